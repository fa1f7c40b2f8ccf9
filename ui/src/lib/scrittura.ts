// Writing like in a word processor, on the plain-text rich text the PDF understands
// (src/pdf/richtext.rs): **bold**, *italic*, "- " bullets, "1. " numbered items.

export interface Modifica { testo: string; inizio: number; fine: number }

/** Ctrl+B / Ctrl+I: wraps the selection in `marca` ("**" or "*"), or unwraps it if already wrapped. */
export function avvolgi(testo: string, inizio: number, fine: number, marca: string): Modifica {
  const m = marca.length;
  const sel = testo.slice(inizio, fine);
  // Already wrapped just outside the selection: unwrap.
  if (testo.slice(inizio - m, inizio) === marca && testo.slice(fine, fine + m) === marca &&
      !(marca === "*" && testo.slice(inizio - 2, inizio) === "**" && testo.slice(fine, fine + 2) === "**" && testo.slice(inizio - 3, inizio) !== "***")) {
    return { testo: testo.slice(0, inizio - m) + sel + testo.slice(fine + m), inizio: inizio - m, fine: fine - m };
  }
  // The selection itself carries the markers: unwrap.
  if (sel.length >= 2 * m && sel.startsWith(marca) && sel.endsWith(marca) && !(marca === "*" && sel.startsWith("**") && !sel.startsWith("***"))) {
    const dentro = sel.slice(m, sel.length - m);
    return { testo: testo.slice(0, inizio) + dentro + testo.slice(fine), inizio, fine: inizio + dentro.length };
  }
  // Spaces at the edges stay outside the markers ("**parola** " not "**parola **").
  const lead = sel.length - sel.trimStart().length, trail = sel.length - sel.trimEnd().length;
  const a = inizio + lead, b = Math.max(a, fine - trail);
  const nuovo = testo.slice(0, a) + marca + testo.slice(a, b) + marca + testo.slice(b);
  return { testo: nuovo, inizio: a + m, fine: b + m };
}

const PUNTO = /^(\s*)([-•*–]) (.*)$/;
const NUMERO = /^(\s*)(\d{1,3})([.)]) (.*)$/;

/** Enter at the end of a list item starts the next one; Enter on an empty item ends the list.
 *  Returns null when the caret is not in a list line (the textarea then does its usual thing). */
export function continuaElenco(testo: string, pos: number): Modifica | null {
  const inizioRiga = testo.lastIndexOf("\n", pos - 1) + 1;
  const fineRiga = testo.indexOf("\n", pos) === -1 ? testo.length : testo.indexOf("\n", pos);
  const riga = testo.slice(inizioRiga, fineRiga);
  const prima = testo.slice(inizioRiga, pos), dopo = testo.slice(pos, fineRiga);
  let marca: string | null = null, vuoto = false;
  const p = PUNTO.exec(riga);
  const n = NUMERO.exec(riga);
  if (p) { marca = `${p[1]}${p[2]} `; vuoto = p[3].trim() === ""; }
  else if (n) { marca = `${n[1]}${Number(n[2]) + 1}${n[3]} `; vuoto = n[4].trim() === ""; }
  if (marca === null || prima.length < (p ? p[1].length + 2 : n![1].length + n![2].length + 2)) return null;
  if (vuoto) {
    // Empty item: remove its marker and leave the list.
    const t = testo.slice(0, inizioRiga) + testo.slice(fineRiga);
    return { testo: t, inizio: inizioRiga, fine: inizioRiga };
  }
  const ins = `\n${marca}`;
  const t = testo.slice(0, pos) + ins + dopo + testo.slice(fineRiga);
  return { testo: t, inizio: pos + ins.length, fine: pos + ins.length };
}

/** A block copied from Excel / Calc (cells separated by tabs, rows by line breaks) as a table of the
 *  rich text: "| a | b |" rows, the first one marked as the header by a "|---|" row. A "|" typed in
 *  a cell is kept as "/" (it would split the cell). Null when the text is not a block of cells. */
export function tabellaDaCalc(testo: string): string | null {
  const righe = testo.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  if (!righe.some((r) => r.includes("\t"))) return null;
  const celle = righe.map((r) => r.split("\t").map((c) => c.trim().replace(/\|/g, "/")));
  const n = Math.max(...celle.map((r) => r.length));
  const riga = (r: string[]) => `| ${[...r, ...Array(n - r.length).fill("")].join(" | ")} |`;
  const out = [riga(celle[0])];
  if (celle.length > 1) out.push(`|${Array(n).fill("---").join("|")}|`);
  for (const r of celle.slice(1)) out.push(riga(r));
  return out.join("\n");
}

/** Pasting such a block into a rich text at the caret: the table goes on lines of its own. */
export function incollaTabella(testo: string, inizio: number, fine: number, blocco: string): Modifica | null {
  const t = tabellaDaCalc(blocco);
  if (t === null) return null;
  const prima = testo.slice(0, inizio), dopo = testo.slice(fine);
  const sep1 = prima === "" || prima.endsWith("\n\n") ? "" : prima.endsWith("\n") ? "\n" : "\n\n";
  const sep2 = dopo === "" || dopo.startsWith("\n\n") ? "" : dopo.startsWith("\n") ? "\n" : "\n\n";
  const nuovo = prima + sep1 + t + sep2 + dopo;
  const pos = prima.length + sep1.length + t.length;
  return { testo: nuovo, inizio: pos, fine: pos };
}
