//! Adapter to the core's PDF/A export (`pianozona::pdf`, issue 3).

use crate::error::{ErroreIpc, Esito};
use pianozona::model::{Fascicolo, OfficeProfile};
use pianozona::template::Family;

pub fn esporta(_fam: &Family, _f: &Fascicolo, _p: &OfficeProfile) -> Esito<Vec<u8>> {
    Err(ErroreIpc::new("pdf", "L’esportazione PDF non è ancora disponibile in questa versione."))
}
