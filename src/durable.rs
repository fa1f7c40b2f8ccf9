//! The one durable file writer: every file we hand to the user (PDF, JSON, signed files, backups'
//! side files) goes through `write_file`. A temporary sibling in the same folder is written, fsynced,
//! renamed over the target, then the folder is fsynced, so a crash or power loss leaves either the
//! old file or the whole new one, never an empty or partial one.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a durable write failed, in the user's words (Italian), without OS or library jargon.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("La cartella «{0}» non esiste: sceglierne un'altra.")]
    NoFolder(PathBuf),
    #[error("Non si hanno i permessi per scrivere in «{0}».")]
    Denied(PathBuf),
    #[error("Spazio su disco esaurito: «{0}» non è stato scritto.")]
    NoSpace(PathBuf),
    #[error("«{0}» è una cartella, non un file.")]
    IsDir(PathBuf),
    #[error("Il disco di «{0}» è in sola lettura.")]
    ReadOnly(PathBuf),
    #[error("Impossibile scrivere «{path}» (errore di sistema {code}).")]
    Other { path: PathBuf, code: String },
}

impl WriteError {
    fn from_io(path: &Path, e: &io::Error) -> Self {
        let p = path.to_path_buf();
        match e.kind() {
            io::ErrorKind::NotFound => WriteError::NoFolder(path.parent().map(Path::to_path_buf).unwrap_or(p)),
            io::ErrorKind::PermissionDenied => WriteError::Denied(p),
            io::ErrorKind::StorageFull => WriteError::NoSpace(p),
            io::ErrorKind::IsADirectory => WriteError::IsDir(p),
            io::ErrorKind::ReadOnlyFilesystem => WriteError::ReadOnly(p),
            _ => WriteError::Other {
                path: p,
                code: e.raw_os_error().map(|c| c.to_string()).unwrap_or_else(|| "?".into()),
            },
        }
    }
}

/// Writes `bytes` to `path` durably and atomically (temporary sibling, fsync, rename, fsync folder).
/// On any failure the target is untouched and the temporary file is removed.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if path.is_dir() {
        return Err(WriteError::IsDir(path.to_path_buf()));
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(WriteError::NoFolder(dir.to_path_buf()));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let res = write_tmp(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path)).and_then(|_| sync_dir(dir));
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(WriteError::from_io(path, &e));
    }
    Ok(())
}

fn write_tmp(tmp: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(tmp)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes a rename or a new file in `dir` durable (no-op where folders cannot be opened, e.g. Windows).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_leaves_no_temporary() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.pdf");
        write_file(&p, b"uno").unwrap();
        write_file(&p, b"due").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"due");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_folder_is_said_in_italian_and_names_no_temporary() {
        // tempfile's default folder names start with ".tmp", which the assertion below looks for.
        let d = tempfile::Builder::new().prefix("pz").tempdir().unwrap();
        let e = write_file(&d.path().join("manca/a.pdf"), b"x").unwrap_err().to_string();
        assert!(e.contains("non esiste") && e.contains("manca") && !e.contains(".a.pdf."), "{e}");
        let e = write_file(d.path(), b"x").unwrap_err().to_string();
        assert!(e.contains("cartella"), "{e}");
    }
}
