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
