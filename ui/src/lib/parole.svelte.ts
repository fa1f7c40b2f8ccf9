// Word counts of the open document's texts, keyed "documento/sezione": the editor writes them, the
// section title shows them (always in view, beside the title, like a word processor's status bar).
export const parole = $state<Record<string, number | null>>({});
