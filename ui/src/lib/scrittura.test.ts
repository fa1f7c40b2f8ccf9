import { describe, expect, it } from "vitest";
import { avvolgi, continuaElenco, incollaTabella, tabellaDaCalc } from "./scrittura";

describe("grassetto e corsivo", () => {
  it("avvolge la selezione e la toglie al secondo comando", () => {
    const a = avvolgi("una parola qui", 4, 10, "**");
    expect(a.testo).toBe("una **parola** qui");
    expect(a.testo.slice(a.inizio, a.fine)).toBe("parola");
    const b = avvolgi(a.testo, a.inizio, a.fine, "**");
    expect(b.testo).toBe("una parola qui");
  });
  it("lascia fuori gli spazi ai bordi", () => {
    expect(avvolgi("una parola qui", 3, 11, "*").testo).toBe("una *parola* qui");
  });
  it("corsivo dentro un grassetto non toglie il grassetto", () => {
    const a = avvolgi("**parola**", 2, 8, "*");
    expect(a.testo).toBe("***parola***");
  });
  it("senza selezione inserisce la coppia e mette il cursore in mezzo", () => {
    const a = avvolgi("ab", 1, 1, "**");
    expect(a).toEqual({ testo: "a****b", inizio: 3, fine: 3 });
  });
});

describe("elenchi", () => {
  it("Invio continua un elenco puntato", () => {
    const t = "- primo";
    expect(continuaElenco(t, t.length)).toEqual({ testo: "- primo\n- ", inizio: 10, fine: 10 });
  });
  it("Invio continua un elenco numerato", () => {
    const t = "1. primo\n2. secondo";
    expect(continuaElenco(t, t.length)!.testo).toBe("1. primo\n2. secondo\n3. ");
  });
  it("Invio su una voce vuota chiude l'elenco", () => {
    expect(continuaElenco("- primo\n- ", 10)).toEqual({ testo: "- primo\n", inizio: 8, fine: 8 });
  });
  it("fuori da un elenco non interviene", () => {
    expect(continuaElenco("testo normale", 5)).toBeNull();
  });
});

describe("tabella incollata da Excel / Calc", () => {
  it("diventa righe «| a | b |» con la prima come intestazione", () => {
    expect(tabellaDaCalc("Fonte\t2025\t2026\r\nFNPS\t1.000,00\t2.000,50\r\n")).toBe(
      "| Fonte | 2025 | 2026 |\n|---|---|---|\n| FNPS | 1.000,00 | 2.000,50 |");
  });
  it("righe corte completate, «|» nelle celle non spezza la cella", () => {
    expect(tabellaDaCalc("a\tb\tc\nx|y")).toBe("| a | b | c |\n|---|---|---|\n| x/y |  |  |");
  });
  it("un testo senza tabulazioni resta un incolla normale", () => {
    expect(tabellaDaCalc("una riga\naltra riga")).toBeNull();
    expect(incollaTabella("abc", 1, 1, "testo")).toBeNull();
  });
  it("la tabella va su righe sue, il cursore dopo di essa", () => {
    const m = incollaTabella("Prima.\nDopo.", 6, 6, "a\tb\n1\t2")!;
    expect(m.testo).toBe("Prima.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nDopo.");
    expect(m.testo.slice(0, m.inizio).endsWith("| 1 | 2 |")).toBe(true);
  });
});
