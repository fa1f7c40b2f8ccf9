//! The one error shape that crosses IPC: `{ codice, messaggio }`, the message in Italian.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    /// Stable code the UI may branch on ("archivio", "dati", "file", "non_trovato", "firma", …).
    pub codice: String,
    /// Italian sentence for the user.
    pub messaggio: String,
}

impl IpcError {
    /// The message goes to the UI only; the log gets the code (messages may quote the user's text).
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        log::warn!("command refused: {code}");
        IpcError { codice: code.into(), messaggio: message.into() }
    }
}

impl From<pianozona::error::Error> for IpcError {
    fn from(e: pianozona::error::Error) -> Self {
        use pianozona::error::Error as E;
        let code = match &e {
            E::Template { .. } => "modello",
            E::Store(_) | E::Sqlite(_) => "archivio",
            E::Exchange(_) => "scambio",
            E::Invalid(_) => "dati",
            E::NotFound(_) => "non_trovato",
            E::Io { .. } => "file",
            _ => "errore",
        };
        IpcError::new(code, e.to_string())
    }
}

impl From<pianozona::sign::SignError> for IpcError {
    fn from(e: pianozona::sign::SignError) -> Self {
        IpcError::new("firma", e.to_string())
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
