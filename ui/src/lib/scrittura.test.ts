import { describe, expect, it } from "vitest";
import { avvolgi, continuaElenco } from "./scrittura";

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
