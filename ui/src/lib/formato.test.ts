import { describe, expect, it } from "vitest";
import { euro, meseIndice, indiceMese, etichettaMese } from "./formato";

describe("formato", () => {
  it("formats cents the Italian way", () => {
    expect(euro(215050)).toBe("2.150,50");
    expect(euro(0)).toBe("0,00");
    expect(euro(123456789, true)).toBe("€\u00a01.234.567,89");
    expect(euro(-5)).toBe("-0,05");
  });
  it("round-trips months", () => {
    expect(indiceMese(meseIndice("2022-04"))).toBe("2022-04");
    expect(etichettaMese(meseIndice("2023-12"))).toBe("dic 23");
  });
});
