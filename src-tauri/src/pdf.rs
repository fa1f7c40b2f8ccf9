//! Adapter to the core's PDF/A export (`pianozona::pdf`).

use crate::error::{ErroreIpc, Esito};
use pianozona::model::{Fascicolo, OfficeProfile};
use pianozona::pdf::{render, PdfOptions};
use pianozona::template::Family;

/// Renders the fascicolo; `bozza` prints the "BOZZA" watermark (export with Verifica errors).
pub fn esporta(fam: &Family, f: &Fascicolo, p: &OfficeProfile, bozza: bool) -> Esito<Vec<u8>> {
    let opts = PdfOptions { draft: bozza, ..Default::default() };
    render(fam, f, p, &opts).map_err(|e| ErroreIpc::new("pdf", format!("Esportazione PDF non riuscita: {e}.")))
}
