//! The one error shape that crosses IPC: `{ codice, messaggio }`, the message in Italian.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ErroreIpc {
    /// Stable code the UI may branch on ("archivio", "dati", "file", "non_trovato", "firma", …).
    pub codice: String,
    /// Italian sentence for the user.
    pub messaggio: String,
}

impl ErroreIpc {
    pub fn new(codice: &str, messaggio: impl Into<String>) -> Self {
        ErroreIpc { codice: codice.into(), messaggio: messaggio.into() }
    }
}

impl From<pianozona::error::Error> for ErroreIpc {
    fn from(e: pianozona::error::Error) -> Self {
        use pianozona::error::Error as E;
        let codice = match &e {
            E::Template { .. } => "modello",
            E::Store(_) | E::Sqlite(_) => "archivio",
            E::Exchange(_) => "scambio",
            E::Invalid(_) => "dati",
            E::NotFound(_) => "non_trovato",
            E::Io { .. } => "file",
            _ => "errore",
        };
        ErroreIpc::new(codice, e.to_string())
    }
}

impl From<serde_json::Error> for ErroreIpc {
    fn from(e: serde_json::Error) -> Self {
        ErroreIpc::new("dati", format!("Dati non validi: {e}"))
    }
}

pub type Esito<T> = Result<T, ErroreIpc>;
