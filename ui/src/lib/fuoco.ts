/** After an "Aggiungi …" button added a row: the cursor goes into the new (last) row of the table
 *  next to the button, so typing fills the row instead of pressing the button again. */
export function fuocoNuovaRiga(pulsante: EventTarget | null) {
  setTimeout(() => {
    let el = (pulsante as HTMLElement | null)?.parentElement ?? null;
    for (let k = 0; k < 4 && el; k++, el = el.parentElement) {
      const righe = el.querySelectorAll("table tbody tr, ul.voci > li, .righe > *");
      if (righe.length) {
        righe[righe.length - 1].querySelector<HTMLElement>("input:not([type=checkbox]):not([type=radio]), textarea, select")?.focus();
        return;
      }
    }
  }, 0);
}

/** The text inputs of the table around `el`, in reading order. */
function celleDellaTabella(el: HTMLElement): HTMLInputElement[] {
  const t = el.closest("table");
  return t ? [...t.querySelectorAll<HTMLInputElement>("tbody input:not([type=checkbox]):not([type=radio])")] : [];
}

/** Enter in a one-column grid: confirm and go to the next cell below (Shift+Enter: above). */
export function invioGiu(e: KeyboardEvent) {
  if (e.key !== "Enter") return;
  e.preventDefault();
  const el = e.currentTarget as HTMLInputElement;
  const celle = celleDellaTabella(el);
  const i = celle.indexOf(el);
  el.blur();
  const dest = celle[i + (e.shiftKey ? -1 : 1)];
  dest?.focus(); dest?.select();
}

/** A column copied from Calc (one value per line) fills this cell and the ones below it;
 *  `conferma` validates each as if typed. Returns false for a single value (the usual paste). */
export function incollaColonna(e: ClipboardEvent, conferma: (input: HTMLInputElement) => void): boolean {
  const t = e.clipboardData?.getData("text/plain") ?? "";
  const righe = t.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  if (righe.length < 2) return false;
  e.preventDefault();
  const el = e.currentTarget as HTMLInputElement;
  const celle = celleDellaTabella(el);
  const i = celle.indexOf(el);
  righe.forEach((r, k) => {
    const c = celle[i + k];
    if (!c) return;
    c.value = r.split("\t")[0].trim();
    conferma(c);
  });
  return true;
}
