// Amounts kept «as typed» (Document.as_typed, src/exchange/as_typed.rs): a cell of a table that
// held something that is not an amount ("1.23,4") is empty in the model and its text is kept by
// place, a JSON pointer inside the section's value ("risorse_economiche/rows/0/cost"). The editors
// show that text in its cell (red, with the hint), let the user correct it, and drop the entry once
// the cell holds an amount (the core drops stale entries on save as well: service::settle_as_typed).
import type { Document } from "./bindings";

const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** The place of a cell, as the core writes it: section id, then the path inside its value. */
export function posto(sezione: string, ...percorso: (string | number)[]): string {
  return [esc(sezione), ...percorso.map((p) => esc(String(p)))].join("/");
}

/** The text kept as typed for a cell, if any. */
export function comeScritto(doc: Document, p: string): string | undefined {
  return doc.as_typed?.[p];
}

/** The hint beside a cell whose text is not an amount. */
export function suggerimento(testo: string): string {
  return `Importo non valido: «${testo}»`;
}

/** Drops the entry of a cell (now an amount, or emptied). */
export function dimentica(doc: Document, p: string): void {
  if (doc.as_typed && p in doc.as_typed) delete doc.as_typed[p];
}

/** Keeps a retyped text that is still not an amount, for a cell that had one kept as typed. */
export function aggiorna(doc: Document, p: string, testo: string): void {
  if (doc.as_typed && p in doc.as_typed) doc.as_typed[p] = testo;
}

/** Two rows of an array of `sezione` at `percorso` swapped (a row moved up or down): their
 *  entries follow them. */
export function scambiaRighe(doc: Document, sezione: string, percorso: string, a: number, b: number): void {
  const m = doc.as_typed;
  if (!m || a === b) return;
  const prefisso = `${posto(sezione, ...percorso.split("/"))}/`;
  const nuovi: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (v === undefined) continue;
    if (!k.startsWith(prefisso)) { nuovi[k] = v; continue; }
    const [i, ...resto] = k.slice(prefisso.length).split("/");
    const n = Number(i);
    const dove = n === a ? b : n === b ? a : n;
    nuovi[[`${prefisso}${dove}`, ...resto].join("/")] = v;
  }
  doc.as_typed = nuovi;
}

/** A row removed from an array of `sezione` at `percorso` ("rows"): its entries go, those of the
 *  following rows move up one place. */
export function togliRiga(doc: Document, sezione: string, percorso: string, riga: number): void {
  const m = doc.as_typed;
  if (!m) return;
  const prefisso = `${posto(sezione, ...percorso.split("/"))}/`;
  const nuovi: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (v === undefined) continue;
    if (!k.startsWith(prefisso)) { nuovi[k] = v; continue; }
    const [i, ...resto] = k.slice(prefisso.length).split("/");
    const n = Number(i);
    if (!Number.isInteger(n) || n < riga) nuovi[k] = v;
    else if (n > riga) nuovi[[`${prefisso}${n - 1}`, ...resto].join("/")] = v;
  }
  doc.as_typed = nuovi;
}
