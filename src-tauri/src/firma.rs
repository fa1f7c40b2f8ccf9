//! Adapter to the core's digital signatures (`pianozona::sign`, issue 5).

use crate::dto::{EsitoFirma, EsitoVerificaFirma};
use crate::error::{ErroreIpc, Esito};
use std::path::Path;

pub fn firma(_pdf: &Path, _cert: &Path, _pin: &str, _formato: &str) -> Esito<EsitoFirma> {
    Err(ErroreIpc::new("firma", "La firma digitale non è ancora disponibile in questa versione."))
}

pub fn verifica(_p: &Path) -> Esito<EsitoVerificaFirma> {
    Err(ErroreIpc::new("firma", "La verifica della firma non è ancora disponibile in questa versione."))
}
