// Application state (Svelte 5 runes). Edits mutate `fascicolo` in place and call `modificato()`;
// autosave sends a snapshot to the core after a short pause and shows "Salvato".
import { tick } from "svelte";
import { api, ErroreApp } from "./api";
import { normalizza } from "./normalizza";
import { guida } from "./verifica.svelte";
import type { AppStatus, Fascicolo, Family, FindingView, SaveResult } from "./api";

export type Schermata = "caricamento" | "benvenuto" | "profilo" | "elenco" | "fascicolo";
export type StatoSalvataggio = "salvato" | "modificato" | "in-corso" | "errore";

const ATTESA_AUTOSALVATAGGIO_MS = 400;

/** Runs `cambia` (e.g. new Verifica messages above the cursor) keeping the focused element where it
 *  is on screen: the page never jumps under the pointer or the caret. */
async function ancorato(cambia: () => void) {
  const cont = typeof document === "undefined" ? null : document.getElementById("contenuto");
  const el = cont && document.activeElement instanceof HTMLElement && cont.contains(document.activeElement) ? document.activeElement : null;
  const prima = el?.getBoundingClientRect().top;
  cambia();
  if (!el || !cont || prima === undefined) return;
  await tick();
  if (!el.isConnected) return;
  const d = el.getBoundingClientRect().top - prima;
  if (Math.abs(d) > 0.5) cont.scrollTop += d;
}

class Stato {
  schermata = $state<Schermata>("caricamento");
  app = $state<AppStatus | null>(null);
  fascicoloId = $state<number | null>(null);
  fascicolo = $state<Fascicolo | null>(null);
  famiglia = $state<Family | null>(null);
  /** Document open in the editor; null = the fascicolo overview (letter + schede). */
  documentoId = $state<string | null>(null);
  /** The plan's chapters are shown (families with a `[plan]`), at chapter `capitoloId`. */
  vistaPiano = $state(false);
  capitoloId = $state<string | null>(null);
  rilievi = $state<FindingView[]>([]);
  salvataggio = $state<StatoSalvataggio>("salvato");
  ultimoSalvataggio = $state<string>("");
  erroreSalvataggio = $state("");
  notifica = $state<{ tipo: "ok" | "errore" | "avviso"; testo: string } | null>(null);
  /** Open beside the editor only on wide screens; at 1366 px it folds into the header badge. */
  pannelloVerifica = $state(typeof window === "undefined" || window.innerWidth >= 1500);
  /** Field to focus after a click in the Verifica panel. */
  richiestaFocus = $state<{ documento: string | null; sezione: string | null; n: number } | null>(null);

  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Chapter texts edited since the last save (saved alone, `save_chapter`), unless `intero`:
   *  something else changed too and the whole fascicolo (which holds those texts) is saved. */
  private capitoli = new Map<string, { capitolo: string; indice: number | null; testo: string }>();
  private intero = false;
  private inVolo: Promise<void> | null = null;
  private ancora = false;

  async avvia() {
    try {
      this.app = await api.stato();
      this.schermata = this.app.profilo ? "elenco" : "benvenuto";
      if (this.app.avviso) { /* shown by the start screen */ }
      else if (this.app.esempio) {
        const esistenti = await api.fascicoli("");
        const id = esistenti.length > 0 ? esistenti[0].id : await api.apriEsempio();
        this.app = await api.stato();
        await this.apri(id);
      }
    } catch (e) {
      this.errore(e);
      this.schermata = "benvenuto";
    }
  }

  errore(e: unknown) {
    const testo = e instanceof ErroreApp || e instanceof Error ? e.message : String(e);
    this.notifica = { tipo: "errore", testo };
  }
  ok(testo: string) {
    this.notifica = { tipo: "ok", testo };
  }

  async apri(id: number, documento: string | null = null) {
    await this.salvaOra();
    try {
      const f = await api.apriFascicolo(id);
      this.famiglia = await api.famiglia(f.fascicolo.family);
      this.fascicoloId = id;
      this.fascicolo = normalizza(f.fascicolo);
      guida.azzera();
      this.rilievi = f.rilievi;
      this.ultimoSalvataggio = f.salvato_il;
      this.salvataggio = "salvato";
      this.documentoId = documento;
      // A whole plan opens on its chapters (unless a document was asked for).
      this.vistaPiano = documento === null && !!this.famiglia?.plan;
      this.capitoloId = null;
      this.capitoli.clear();
      this.intero = false;
      this.schermata = "fascicolo";
      if (this.notifica?.tipo === "errore") this.notifica = null;
    } catch (e) {
      this.errore(e);
    }
  }

  async chiudi() {
    await this.salvaOra();
    this.fascicolo = null;
    this.fascicoloId = null;
    this.documentoId = null;
    this.rilievi = [];
    // First run: the office's own data before anything else (an example never provides them).
    this.schermata = this.app?.profilo ? "elenco" : "benvenuto";
  }

  /** Call after every edit of `fascicolo`. */
  modificato() {
    this.intero = true;
    this.salvataggio = "modificato";
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.salvaOra(), ATTESA_AUTOSALVATAGGIO_MS);
  }

  /** Saves now (if there are unsaved edits) and waits for it. */
  async salvaOra(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (this.inVolo) { this.ancora = true; await this.inVolo; }
    if (this.salvataggio !== "modificato" && this.salvataggio !== "errore") return;
    if (this.fascicoloId === null || !this.fascicolo) return;
    const id = this.fascicoloId;
    const dati = $state.snapshot(this.fascicolo) as Fascicolo;
    const capitoli = this.intero ? [] : [...this.capitoli.values()];
    this.capitoli.clear();
    this.intero = false;
    this.salvataggio = "in-corso";
    this.inVolo = (async () => {
      try {
        let r: SaveResult | null = null;
        for (const c of capitoli) r = await api.salvaCapitolo(id, c.capitolo, c.indice, c.testo);
        if (!r) r = await api.salvaFascicolo(id, dati);
        if (this.fascicoloId === id) {
          await ancorato(() => { this.rilievi = r.rilievi; });
          this.ultimoSalvataggio = r.salvato_il;
          if (this.salvataggio === "in-corso") this.salvataggio = "salvato";
          this.erroreSalvataggio = "";
        }
      } catch (e) {
        this.intero = true; // the retry saves the whole fascicolo, which holds every edit
        this.salvataggio = "errore";
        this.erroreSalvataggio = e instanceof Error ? e.message : String(e);
      } finally {
        this.inVolo = null;
      }
    })();
    await this.inVolo;
    if (this.ancora) { this.ancora = false; if ((this.salvataggio as StatoSalvataggio) === "modificato") await this.salvaOra(); }
  }

  /** Replaces the fascicolo with one returned by the core (add / move document) and saves. */
  sostituisci(f: Fascicolo) {
    this.fascicolo = normalizza(f);
    this.modificato();
  }

  /** A chapter's text edited in place (`testo` is already in `fascicolo.plan`): saved alone. */
  capitoloModificato(capitolo: string, indice: number | null, testo: string) {
    this.capitoli.set(`${capitolo}#${indice ?? ""}`, { capitolo, indice, testo });
    this.salvataggio = "modificato";
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.salvaOra(), ATTESA_AUTOSALVATAGGIO_MS);
  }

  /** Opens a document's editor (from a chapter of the plan or anywhere else). */
  apriDocumento(id: string | null) {
    this.vistaPiano = false;
    this.documentoId = id;
  }

  vaiA(documento: string | null, sezione: string | null) {
    this.vistaPiano = false;
    this.documentoId = documento;
    this.richiestaFocus = { documento, sezione, n: (this.richiestaFocus?.n ?? 0) + 1 };
  }
}

export const stato = new Stato();
