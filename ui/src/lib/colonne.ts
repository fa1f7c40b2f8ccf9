// Columns of every grid resizable as in a spreadsheet: drag the right edge of a column title
// (the cursor changes there), double-click the edge to give the column back its natural width.
// One listener on the document serves every table.griglia, present or future.

const BORDO = 7; // px from the right edge of a title that grab the column

function bordo(e: PointerEvent | MouseEvent): HTMLTableCellElement | null {
  const th = (e.target as HTMLElement | null)?.closest?.("table.griglia thead th") as HTMLTableCellElement | null;
  if (!th) return null;
  const r = th.getBoundingClientRect();
  return e.clientX >= r.right - BORDO && e.clientX <= r.right + 2 ? th : null;
}

export function larghezzaColonna(th: HTMLTableCellElement, px: number | null) {
  if (px === null) {
    th.style.removeProperty("width");
    th.style.removeProperty("min-width");
    th.style.removeProperty("max-width");
    th.removeAttribute("data-larghezza");
    return;
  }
  const w = `${Math.max(40, Math.round(px))}px`;
  th.style.width = w;
  th.style.minWidth = w;
  th.style.maxWidth = w;
  th.dataset.larghezza = String(Math.round(px));
}

export function abilitaColonneRidimensionabili(doc: Document = document): () => void {
  let attiva: { th: HTMLTableCellElement; x: number; w: number } | null = null;
  const giu = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const th = bordo(e);
    if (!th) return;
    e.preventDefault();
    attiva = { th, x: e.clientX, w: th.getBoundingClientRect().width };
    doc.documentElement.classList.add("ridimensiona-colonna");
  };
  const muovi = (e: PointerEvent) => {
    if (!attiva) return;
    e.preventDefault();
    larghezzaColonna(attiva.th, attiva.w + e.clientX - attiva.x);
  };
  const su = () => {
    if (!attiva) return;
    attiva = null;
    doc.documentElement.classList.remove("ridimensiona-colonna");
  };
  const doppio = (e: MouseEvent) => {
    const th = bordo(e);
    if (th) { e.preventDefault(); larghezzaColonna(th, null); }
  };
  doc.addEventListener("pointerdown", giu, true);
  doc.addEventListener("pointermove", muovi, true);
  doc.addEventListener("pointerup", su, true);
  doc.addEventListener("pointercancel", su, true);
  doc.addEventListener("dblclick", doppio, true);
  return () => {
    doc.removeEventListener("pointerdown", giu, true);
    doc.removeEventListener("pointermove", muovi, true);
    doc.removeEventListener("pointerup", su, true);
    doc.removeEventListener("pointercancel", su, true);
    doc.removeEventListener("dblclick", doppio, true);
  };
}
