//! Core error type. Each layer has its own variants; `Display` is the Italian message shown to users,
//! with library and OS errors translated (no "os error 2", no "database is locked").

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Modello «{file}»: {message}")]
    Template { file: String, message: String },
    #[error("Archivio: {0}")]
    Store(String),
    #[error("Archivio: {}", sqlite_text(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("File di scambio non valido: {0}")]
    Exchange(String),
    #[error("Dati non validi: {0}")]
    Invalid(String),
    #[error("Elemento non trovato: {0}")]
    NotFound(String),
    #[error("Impossibile leggere o scrivere «{}»: {}", path.display(), io_text(source))]
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

/// An OS error in the user's words.
pub fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "il file o la cartella non esiste".into(),
        K::PermissionDenied => "permessi insufficienti".into(),
        K::AlreadyExists => "esiste già".into(),
        K::IsADirectory => "è una cartella, non un file".into(),
        K::NotADirectory => "una parte del percorso non è una cartella".into(),
        K::StorageFull => "spazio su disco esaurito".into(),
        K::ReadOnlyFilesystem => "il disco è in sola lettura".into(),
        K::InvalidData => "il contenuto non è testo leggibile (UTF-8)".into(),
        K::UnexpectedEof => "il file è troncato".into(),
        K::WouldBlock | K::ResourceBusy => "il file è in uso da un altro programma".into(),
        K::Interrupted | K::TimedOut => "operazione interrotta, riprovare".into(),
        K::FileTooLarge => "il file è troppo grande".into(),
        K::InvalidFilename => "nome di file non valido".into(),
        _ => match e.raw_os_error() {
            Some(c) => format!("errore del sistema operativo (codice {c})"),
            None => "errore di lettura o scrittura".into(),
        },
    }
}

/// A SQLite error in the user's words.
pub fn sqlite_text(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            C::DatabaseBusy | C::DatabaseLocked => {
                "l'archivio è in uso da un altro programma (o da un'altra finestra di Piano di Zona Desktop): chiuderlo e riprovare.".into()
            }
            C::ReadOnly => "l'archivio è in sola lettura: non è possibile salvare modifiche.".into(),
            C::DatabaseCorrupt | C::NotADatabase => {
                "l'archivio è danneggiato. Ripristinare la copia di sicurezza più recente.".into()
            }
            C::DiskFull => "spazio su disco esaurito: la modifica non è stata salvata.".into(),
            C::CannotOpen => "impossibile aprire l'archivio (cartella inesistente o permessi insufficienti).".into(),
            C::PermissionDenied | C::AuthorizationForStatementDenied => "permessi insufficienti sull'archivio.".into(),
            C::SystemIoFailure => "errore di lettura o scrittura del disco: la modifica non è stata salvata.".into(),
            C::OutOfMemory => "memoria insufficiente.".into(),
            C::TooBig => "il dato è troppo grande per l'archivio.".into(),
            C::ConstraintViolation => "operazione non ammessa dai vincoli dell'archivio.".into(),
            C::FileLockingProtocolFailed => "impossibile bloccare l'archivio per la scrittura (disco di rete?).".into(),
            _ => format!("operazione sull'archivio non riuscita (codice SQLite {}).", f.extended_code),
        },
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::Utf8Error(..) => {
            "dati dell'archivio illeggibili: l'archivio potrebbe essere danneggiato. Ripristinare la copia di sicurezza più recente.".into()
        }
        _ => "operazione sull'archivio non riuscita.".into(),
    }
}

/// True when the SQLite error means the file is damaged or not a database.
pub fn sqlite_is_damage(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => matches!(f.code, C::DatabaseCorrupt | C::NotADatabase),
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::Utf8Error(..) => true,
        _ => false,
    }
}
