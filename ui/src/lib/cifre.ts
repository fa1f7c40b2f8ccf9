// Exact arithmetic for display-only figures (never floats). Amounts typed by the user are always
// checked by the core (api.analizzaImporti); these helpers only read the canonical strings the core
// writes ("1.234,56") and add them up as integer cents, and evaluate the simple grid formulas of the
// templates ("azioni_realizzate * 100 / azioni_programmate") as exact fractions, as the core does.

/** Canonical "1.234,56" → 123456n cents; null when the text is not canonical. */
export function centesimi(canonico: string | null | undefined): bigint | null {
  if (!canonico) return null;
  const m = /^(\d{1,3}(?:\.\d{3})*|\d+),(\d{2})$/.exec(canonico.trim());
  if (!m) return null;
  return BigInt(m[1].replace(/\./g, "")) * 100n + BigInt(m[2]);
}

/** 123456n → "1.234,56". */
export function importo(cents: bigint): string {
  const neg = cents < 0n;
  const a = neg ? -cents : cents;
  const interi = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const dec = (a % 100n).toString().padStart(2, "0");
  return `${neg ? "-" : ""}${interi},${dec}`;
}

/** Sum of canonical amounts (non-canonical ones are skipped and counted). */
export function somma(importi: (string | null | undefined)[]): { totale: bigint; scartati: number } {
  let totale = 0n;
  let scartati = 0;
  for (const s of importi) {
    const c = centesimi(s);
    if (c === null) { if (s) scartati++; } else totale += c;
  }
  return { totale, scartati };
}

// ------------------------------------------------------------------ exact fractions

export type Frazione = { n: bigint; d: bigint };

function mcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a; b = b < 0n ? -b : b;
  while (b !== 0n) { [a, b] = [b, a % b]; }
  return a === 0n ? 1n : a;
}
export function frazione(n: bigint, d: bigint): Frazione | null {
  if (d === 0n) return null;
  if (d < 0n) { n = -n; d = -d; }
  const g = mcd(n, d);
  return { n: n / g, d: d / g };
}

/**
 * A number as typed in a grid input: "12", "3,5", "3.5", "150.000,00", "€ 1.550.000" (Italian
 * thousands dots when followed by groups of three digits, decimal comma).
 */
export function leggiNumero(testo: string): Frazione | null {
  const s = testo.replace(/[\s%€\u00a0]/g, "");
  if (!s) return null;
  const neg = s.startsWith("-");
  const body = neg ? s.slice(1) : s;
  let intero: string, dec: string;
  const it = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/.exec(body);
  if (it) { intero = it[1].replace(/\./g, ""); dec = it[2] ?? ""; }
  else {
    const plain = /^(\d*)[.,](\d+)$/.exec(body) ?? /^(\d+)$/.exec(body);
    if (!plain) return null;
    intero = plain[1] || "0"; dec = plain[2] ?? "";
  }
  if (dec.length > 12 || intero.length > 18) return null;
  const den = 10n ** BigInt(dec.length);
  const f = frazione(BigInt(intero) * den + BigInt(dec || "0"), den);
  return f && neg ? { n: -f.n, d: f.d } : f;
}

/** Rounded to the nearest integer, halves away from zero (as the core prints percentages). */
export function arrotonda(f: Frazione): bigint {
  const a = f.n < 0n ? -f.n : f.n;
  const q = a / f.d;
  const r = a % f.d;
  const v = 2n * r >= f.d ? q + 1n : q;
  return f.n < 0n ? -v : v;
}

/** "87,50" with `decimali` digits. */
export function formattaFrazione(f: Frazione, decimali = 2): string {
  const scala = 10n ** BigInt(decimali);
  const v = arrotonda({ n: f.n * scala, d: f.d });
  const neg = v < 0n;
  const a = neg ? -v : v;
  const s = (a / scala).toString() + (decimali > 0 ? "," + (a % scala).toString().padStart(decimali, "0") : "");
  return neg ? "-" + s : s;
}

/** Compares a fraction with an integer: -1, 0, 1. */
export function confronta(f: Frazione, k: number): number {
  const x = f.n - BigInt(k) * f.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
}

/**
 * Evaluates a formula with + - * / and parentheses over numbers and identifiers. Returns null when
 * an operand is missing, on division by zero or on a syntax error.
 */
export function valutaFormula(formula: string, variabile: (id: string) => Frazione | null): Frazione | null {
  const tok = formula.match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:[.,]\d+)?|[-+*/()])/g)?.map((t) => t.trim()) ?? [];
  if (tok.join("") !== formula.replace(/\s+/g, "")) return null;
  let i = 0;
  const op = (a: Frazione | null, o: string, b: Frazione | null): Frazione | null => {
    if (!a || !b) return null;
    if (o === "+") return frazione(a.n * b.d + b.n * a.d, a.d * b.d);
    if (o === "-") return frazione(a.n * b.d - b.n * a.d, a.d * b.d);
    if (o === "*") return frazione(a.n * b.n, a.d * b.d);
    return b.n === 0n ? null : frazione(a.n * b.d, a.d * b.n);
  };
  const fattore = (): Frazione | null => {
    const t = tok[i++];
    if (t === undefined) return null;
    if (t === "(") { const v = somma_(); if (tok[i++] !== ")") return null; return v; }
    if (t === "-") { const v = fattore(); return v ? { n: -v.n, d: v.d } : null; }
    if (/^\d/.test(t)) return leggiNumero(t);
    if (/^[A-Za-z_]/.test(t)) return variabile(t);
    return null;
  };
  const prodotto = (): Frazione | null => {
    let v = fattore();
    while (tok[i] === "*" || tok[i] === "/") { const o = tok[i++]; v = op(v, o, fattore()); }
    return v;
  };
  const somma_ = (): Frazione | null => {
    let v = prodotto();
    while (tok[i] === "+" || tok[i] === "-") { const o = tok[i++]; v = op(v, o, prodotto()); }
    return v;
  };
  const v = somma_();
  return i === tok.length ? v : null;
}
