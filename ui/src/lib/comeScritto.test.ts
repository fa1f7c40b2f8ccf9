import { describe, expect, it } from "vitest";
import { posto, comeScritto, dimentica, aggiorna, togliRiga, scambiaRighe, suggerimento } from "./comeScritto";
import type { Document } from "./bindings";

const doc = (as_typed: Record<string, string>) => ({ id: "s", form: "f", fields: {}, as_typed }) as unknown as Document;

describe("importi come scritti", () => {
  it("names places as the core does (JSON pointer escapes)", () => {
    expect(posto("risorse_economiche", "rows", 0, "cost")).toBe("risorse_economiche/rows/0/cost");
    expect(posto("p", "rows", 0, "cells", "c/1", "euro")).toBe("p/rows/0/cells/c~11/euro");
    expect(posto("a~b", "x")).toBe("a~0b/x");
  });
  it("shows, updates and drops the text of a cell", () => {
    const d = doc({ "r/rows/0/cost": "1.23,4" });
    expect(comeScritto(d, "r/rows/0/cost")).toBe("1.23,4");
    expect(suggerimento("1.23,4")).toBe("Importo non valido: «1.23,4»");
    aggiorna(d, "r/rows/0/cost", "1.23,45");
    aggiorna(d, "r/rows/1/cost", "x"); // no entry: nothing added
    expect(d.as_typed).toEqual({ "r/rows/0/cost": "1.23,45" });
    dimentica(d, "r/rows/0/cost");
    expect(d.as_typed).toEqual({});
  });
  it("follows the rows when one is removed", () => {
    const d = doc({ "r/rows/0/cost": "a", "r/rows/1/amounts/x": "b", "r/rows/2/cost": "c", "q/rows/2/cost": "d" });
    togliRiga(d, "r", "rows", 1);
    expect(d.as_typed).toEqual({ "r/rows/0/cost": "a", "r/rows/1/cost": "c", "q/rows/2/cost": "d" });
  });
  it("follows two rows swapped", () => {
    const d = doc({ "f/rows/0/cells/2023/value": "a", "f/rows/1/cells/2024/value": "b", "f/rows/3/cells/2023/value": "c" });
    scambiaRighe(d, "f", "rows", 0, 1);
    expect(d.as_typed).toEqual({ "f/rows/1/cells/2023/value": "a", "f/rows/0/cells/2024/value": "b", "f/rows/3/cells/2023/value": "c" });
  });
});
