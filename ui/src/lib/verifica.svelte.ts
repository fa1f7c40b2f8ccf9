// Verifica that guides: a finding on a section the user has not touched yet and that is still empty
// is "da completare" (a neutral to-do), not an errore, until the user asks for the full check (or
// exports). Header badge, panel and navigation all count through here, so they always agree.
import type { Document, Fascicolo, Family, FindingView } from "./api";
import { nomeDocumento } from "./documenti";

class Guida {
  /** "documento/sezione" the user has edited in this session. */
  toccate = $state<Record<string, true>>({});
  /** The user asked for the full check (panel button, export, preview): everything shows as it is. */
  completa = $state(false);

  tocca(documento: string, sezione: string) {
    if (!this.toccate[`${documento}/${sezione}`]) this.toccate[`${documento}/${sezione}`] = true;
  }
  azzera() { this.toccate = {}; this.completa = false; }
}
export const guida = new Guida();

/** True when a field value holds nothing the user wrote (structure only). */
export function vuoto(v: unknown): boolean {
  const IGNORA = new Set(["kind", "mode", "start", "style", "level", "first_column_header", "entity_type", "in_budget", "id", "activity", "parent"]);
  const pieno = (x: unknown, k = ""): boolean => {
    if (IGNORA.has(k)) return false;
    if (x === null || x === undefined || x === false) return false;
    if (typeof x === "string") return x.trim() !== "";
    if (typeof x === "number") return true;
    if (typeof x === "boolean") return x;
    if (Array.isArray(x)) return x.some((y) => pieno(y));
    if (typeof x === "object") return Object.entries(x as Record<string, unknown>).some(([kk, y]) => pieno(y, kk));
    return false;
  };
  return !pieno(v);
}

export interface Classificati { errori: FindingView[]; avvisi: FindingView[]; daFare: FindingView[] }

export function classifica(rilievi: FindingView[], f: Fascicolo | null): Classificati {
  const out: Classificati = { errori: [], avvisi: [], daFare: [] };
  for (const r of rilievi) {
    if (!guida.completa && r.documento && r.sezione && !guida.toccate[`${r.documento}/${r.sezione}`]) {
      const d = f?.documents.find((x) => x.id === r.documento);
      const v = d?.fields[r.sezione];
      // A Gantt's bars live on the scheda's activities, not in the field.
      const senza = v?.kind === "gantt" ? !(d?.activities ?? []).some((a) => (a.periods ?? []).length > 0) : vuoto(v);
      if (d && senza) { out.daFare.push(r); continue; }
    }
    (r.gravita === "errore" ? out.errori : out.avvisi).push(r);
  }
  return out;
}

/** The core's message in the user's words: document ids become the scheda's name, an empty «» a
 *  readable "(senza nome)". */
export function messaggio(r: FindingView, f: Fascicolo | null, fam: Family | null): string {
  let m = r.messaggio;
  if (f && fam) {
    for (const d of f.documents) {
      if (m.includes(`«${d.id}»`)) m = m.split(`«${d.id}»`).join(`«${nomeDocumento(f, fam, d)}»`);
    }
  }
  return m.replace(/«\s*»/g, "(senza nome)");
}

export function documentoDi(f: Fascicolo | null, r: FindingView): Document | undefined {
  return f?.documents.find((x) => x.id === r.documento);
}
