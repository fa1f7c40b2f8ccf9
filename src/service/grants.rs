//! What the app may touch on the user's disk: a file is written only where the user chose it in a
//! save dialog, read only when the user picked it in an open dialog (or saved it, or it lies in
//! the app's own folders, such as the automatic backups), and a PKCS#11 library (code loaded into
//! the program) only from the known system locations or one the user picked in an open dialog.
//! The app's dialog command (opened by Rust, not by the web view) records the choices here; every
//! command that reads, writes or loads a path checks them, so a path sent by the web view on its
//! own is refused.

use crate::error::{Error, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The user's choices in the dialogs of this session.
#[derive(Default)]
pub struct Grants {
    writes: Mutex<HashSet<PathBuf>>,
    reads: Mutex<HashSet<PathBuf>>,
    modules: Mutex<HashSet<PathBuf>>,
    /// Folders whose files may be read (the app's own), and written too when the flag is set
    /// (only the end-to-end tests' folder, see `allow_folder`).
    folders: Mutex<Vec<(PathBuf, bool)>>,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The same file however it is spelt: the folder resolved (the file itself may not exist yet).
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(dir.canonicalize().ok()?.join(path.file_name()?))
}

impl Grants {
    /// Records a path the user chose in a save dialog.
    pub fn allow_write(&self, path: &Path) {
        if let Some(p) = canonical(path) {
            locked(&self.writes).insert(p);
        }
    }

    /// Records a file the user picked in an open dialog.
    pub fn allow_read(&self, path: &Path) {
        if let Some(p) = canonical(path) {
            locked(&self.reads).insert(p);
        }
    }

    /// Lets every file under `dir` be read (the app's own folders) and, with `write`, written: the
    /// app grants a writable folder only to its end-to-end tests, in debug builds, from the
    /// environment of the process (never from the web view).
    pub fn allow_folder(&self, dir: &Path, write: bool) {
        // The folder may not exist yet (the backups folder before the first backup).
        if let Some(d) = canonical(dir).filter(|d| d.is_absolute()) {
            locked(&self.folders).push((d, write));
        }
    }

    fn in_folder(&self, p: &Path, write: bool) -> bool {
        locked(&self.folders).iter().any(|(d, w)| (*w || !write) && p.starts_with(d))
    }

    /// Ok when the user picked `path` in an open dialog, chose it in a save dialog, or it lies in
    /// the app's own folders.
    pub fn check_read(&self, path: &Path) -> Result<()> {
        let ok = canonical(path).is_some_and(|p| {
            locked(&self.reads).contains(&p) || locked(&self.writes).contains(&p) || self.in_folder(&p, false)
        });
        if ok {
            Ok(())
        } else {
            Err(Error::Other(format!(
                "«{}» non è stato scelto con «Scegli…» o «Sfoglia…»: il file non è stato aperto. Sceglierlo dalla finestra del programma.",
                path.display()
            )))
        }
    }

    /// Records a PKCS#11 library the user picked in an open dialog.
    pub fn allow_module(&self, path: &Path) {
        if let Some(p) = canonical(path) {
            locked(&self.modules).insert(p);
        }
    }

    /// Ok when the user chose `path` in a save dialog.
    pub fn check_write(&self, path: &Path) -> Result<()> {
        let ok = canonical(path).is_some_and(|p| locked(&self.writes).contains(&p) || self.in_folder(&p, true));
        if ok {
            Ok(())
        } else {
            Err(Error::Other(format!(
                "«{}» non è stato scelto nella finestra di salvataggio: il file non è stato scritto.",
                path.display()
            )))
        }
    }

    /// Ok when `module` is a known system PKCS#11 library (`sign::discover_pkcs11_modules`, the
    /// list the app offers) or one the user picked in the dialog; a writable test folder does not
    /// count: code is never loaded from a path the web view named.
    pub fn check_module(&self, module: &Path) -> Result<()> {
        let Some(p) = canonical(module) else {
            return Err(Error::Other(format!("La libreria «{}» non esiste.", module.display())));
        };
        let known =
            crate::sign::discover_pkcs11_modules().iter().any(|m| m.path.canonicalize().ok().as_ref() == Some(&p));
        if known || locked(&self.modules).contains(&p) {
            Ok(())
        } else {
            Err(Error::Other(format!(
                "La libreria «{}» non è tra quelle dei dispositivi di firma installate nel sistema: sceglierla con «Sfoglia…» per usarla.",
                module.display()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_chosen_paths_are_written_and_only_known_or_picked_modules_loaded() {
        let d = tempfile::Builder::new().prefix("pz").tempdir().unwrap();
        let g = Grants::default();
        let out = d.path().join("fascicolo.pdf");
        assert!(g.check_write(&out).unwrap_err().to_string().contains("non è stato scelto"));
        g.allow_write(&out);
        g.check_write(&out).unwrap();
        // another spelling of the same file is the same choice; a sibling is not
        g.check_write(&d.path().join(".").join("fascicolo.pdf")).unwrap();
        assert!(g.check_write(&d.path().join("altro.pdf")).is_err());
        let lib = d.path().join("libqualsiasi.so");
        std::fs::write(&lib, b"x").unwrap();
        assert!(g.check_module(&lib).unwrap_err().to_string().contains("Sfoglia"));
        g.allow_module(&lib);
        g.check_module(&lib).unwrap();
        assert!(g.check_module(&d.path().join("manca.so")).is_err());
        // reads: picked, saved, or in a folder of the app; a readable folder is not writable
        let cert = d.path().join("firma.p12");
        std::fs::write(&cert, b"x").unwrap();
        assert!(g.check_read(&cert).unwrap_err().to_string().contains("non è stato scelto"));
        g.allow_read(&cert);
        g.check_read(&cert).unwrap();
        g.check_read(&out).unwrap();
        assert!(g.check_write(&cert).is_err(), "a file picked to read is not one to write");
        let own = d.path().join("copie");
        g.allow_folder(&own, false);
        std::fs::create_dir(&own).unwrap();
        g.check_read(&own.join("copia.sqlite")).unwrap();
        assert!(g.check_write(&own.join("copia.sqlite")).is_err());
        assert!(g.check_read(&own.join("..").join("altro.sqlite")).is_err(), "«..» leaves the folder");
        let test = d.path().join("e2e");
        std::fs::create_dir(&test).unwrap();
        g.allow_folder(&test, true);
        g.check_write(&test.join("x.pdf")).unwrap();
        let lib2 = test.join("lib2.so");
        std::fs::write(&lib2, b"x").unwrap();
        assert!(g.check_module(&lib2).is_err(), "a test folder never grants a library");
    }
}
