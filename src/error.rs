//! Core error type. Each layer has its own variants; `Display` is the Italian message shown to users.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Modello «{file}»: {message}")]
    Template { file: String, message: String },
    #[error("Archivio: {0}")]
    Store(String),
    #[error("Archivio: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("File di scambio non valido: {0}")]
    Exchange(String),
    #[error("Dati non validi: {0}")]
    Invalid(String),
    #[error("Elemento non trovato: {0}")]
    NotFound(String),
    #[error("Impossibile leggere o scrivere «{path}»: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}
