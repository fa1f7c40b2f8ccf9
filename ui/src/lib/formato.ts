// Display helpers (formatting only; parsing and sums are done by the core through the API).

/** Canonical Italian amount without symbol: 215050 → "2.150,50". */
export function euro(cents: number | null | undefined, conSimbolo = false): string {
  if (cents === null || cents === undefined) return "";
  const neg = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const interi = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const dec = (abs % 100).toString().padStart(2, "0");
  const s = `${neg ? "-" : ""}${interi},${dec}`;
  return conSimbolo ? `€\u00a0${s}` : s;
}

export const MESI = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"];
export const INIZIALI = ["G", "F", "M", "A", "M", "G", "L", "A", "S", "O", "N", "D"];

/** "2022-04" ↔ month index (year*12 + month-1). */
export function meseIndice(ym: string): number {
  const [y, m] = ym.split("-").map(Number);
  return y * 12 + (m - 1);
}
export function indiceMese(i: number): string {
  const y = Math.floor(i / 12);
  const m = (i % 12) + 1;
  return `${y}-${String(m).padStart(2, "0")}`;
}
export function etichettaMese(i: number): string {
  return `${MESI[i % 12]} ${String(Math.floor(i / 12) % 100).padStart(2, "0")}`;
}

export function dataOra(iso: string): string {
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return d.toLocaleString("it-IT", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

let seq = 0;
export function nuovoId(prefisso: string): string {
  seq += 1;
  return `${prefisso}-${Date.now().toString(36)}${seq}`;
}

/** Italian labels of the PDF renderer's style values (print options: the values are code, the
 *  labels are what the user reads). Unknown values are shown as they are. */
const STILI: Record<string, string> = {
  box: "casella spuntata ☒", x: "crocetta «X»",
  numeric: "in cifre (31/12/2023)", long: "per esteso (31 dicembre 2023)",
  suffix: "importo e poi € (1.234,00 €)", prefix: "€ e poi importo (€ 1.234,00)",
  full: "nome completo della fonte", short: "nome abbreviato",
  inline: "sulla stessa riga", block: "sotto l’intestazione",
  newline: "a capo", comma: "virgola",
  zero: "0,00", dash: "trattino (–)",
};
export function etichettaStile(v: string): string { return STILI[v] ?? v; }

/** "1 voce", "3 voci": Italian singular and plural. */
export function quante(n: number, uno: string, molti: string): string { return `${n.toLocaleString("it-IT")} ${n === 1 ? uno : molti}`; }
