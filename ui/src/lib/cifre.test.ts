import { describe, expect, it } from "vitest";
import { centesimi, importo, somma, leggiNumero, valutaFormula, arrotonda, formattaFrazione, confronta } from "./cifre";

describe("cifre: importi in centesimi", () => {
  it("reads and writes canonical amounts", () => {
    expect(centesimi("1.234,56")).toBe(123456n);
    expect(centesimi("0,05")).toBe(5n);
    expect(centesimi("12.605.289,60")).toBe(1260528960n);
    expect(centesimi("1234,5")).toBeNull();
    expect(centesimi("")).toBeNull();
    expect(importo(1260528960n)).toBe("12.605.289,60");
    expect(importo(0n)).toBe("0,00");
  });
  it("sums exactly (the spec's 2022 column)", () => {
    const col = ["1.282.992,82", "1.273.929,72", null, "222.756,73", "603.794,00", "38.829,71", null, null, "12.117,00", "378.712,00", null,
      "33.868,00", null, "1.510.306,63", "93.403,55", "274.664,62", "30.000,00", "62.107,53", "6.787.807,29"];
    expect(importo(somma(col).totale)).toBe("12.605.289,60");
    // 0,1 + 0,2 in floats is not 0,3
    expect(importo(somma(["0,10", "0,20"]).totale)).toBe("0,30");
  });
});

describe("cifre: formule della griglia", () => {
  const vars = (m: Record<string, string>) => (id: string) => (m[id] !== undefined ? leggiNumero(m[id]) : null);
  it("computes percentages exactly and rounds halves up", () => {
    const f = "azioni_realizzate * 100 / azioni_programmate";
    const v = valutaFormula(f, vars({ azioni_realizzate: "9", azioni_programmate: "10" }))!;
    expect(arrotonda(v)).toBe(90n);
    expect(arrotonda(valutaFormula(f, vars({ azioni_realizzate: "1", azioni_programmate: "8" }))!)).toBe(13n); // 12,5 → 13
    expect(formattaFrazione(valutaFormula(f, vars({ azioni_realizzate: "2", azioni_programmate: "3" }))!)).toBe("66,67");
    expect(confronta(v, 80)).toBe(1);
    expect(confronta(v, 90)).toBe(0);
  });
  it("reads Italian numbers and gives up on missing operands or zero divisors", () => {
    expect(leggiNumero("150.000,00")).toEqual({ n: 150000n, d: 1n });
    expect(leggiNumero("€ 1.550.000")).toEqual({ n: 1550000n, d: 1n });
    expect(leggiNumero("3.5")).toEqual({ n: 7n, d: 2n });
    expect(leggiNumero("abc")).toBeNull();
    const f = "pagato * 100 / preventivato";
    expect(valutaFormula(f, vars({ pagato: "120.000,00", preventivato: "150.000,00" }))).toEqual({ n: 80n, d: 1n });
    expect(valutaFormula(f, vars({ pagato: "1" }))).toBeNull();
    expect(valutaFormula(f, vars({ pagato: "1", preventivato: "0" }))).toBeNull();
    expect(valutaFormula("(a + b) * 2", vars({ a: "1", b: "2" }))).toEqual({ n: 6n, d: 1n });
    expect(valutaFormula("a $ b", vars({ a: "1", b: "2" }))).toBeNull();
  });
});
