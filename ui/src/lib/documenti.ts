import type { Document, Fascicolo, Family } from "./api";

/** Section id holding a scheda's title ("Titolo progetto"): the first text section. */
export function sezioneTitolo(fam: Family, formId: string): string | null {
  const form = fam.forms.find((f) => f.id === formId);
  const testi = form?.sections.filter((x) => x.kind === "text") ?? [];
  const s = testi.find((x) => x.id === "titolo") ?? testi.find((x) => /^titolo/i.test(x.heading)) ?? testi[0];
  return s ? s.id : null;
}

export function titoloDocumento(fam: Family, d: Document): string {
  const id = sezioneTitolo(fam, d.form);
  const v = id ? d.fields[id] : undefined;
  return v && v.kind === "text" ? v.text.trim() : "";
}

export function nomeDocumento(_f: Fascicolo, fam: Family, d: Document): string {
  const form = fam.forms.find((x) => x.id === d.form);
  if (form?.role === "letter") return "Lettera di richiesta";
  const t = titoloDocumento(fam, d);
  const base = form?.role === "scheda" ? `Scheda ${d.number ?? ""}` : (form?.title ?? d.form);
  return t ? `${base} · ${t}` : base;
}
