//! What the app may touch on the user's disk: a file is written only where the user chose it in a
//! save dialog, and a PKCS#11 library (code loaded into the program) only from the known system
//! locations or one the user picked in an open dialog. The app's dialog commands record the
//! choices here; every command that writes or loads checks them, so a path sent by the web view
//! on its own is refused.

use crate::error::{Error, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The user's choices in the dialogs of this session.
#[derive(Default)]
pub struct Grants {
    writes: Mutex<HashSet<PathBuf>>,
    modules: Mutex<HashSet<PathBuf>>,
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
            self.writes.lock().unwrap_or_else(|e| e.into_inner()).insert(p);
        }
    }

    /// Records a PKCS#11 library the user picked in an open dialog.
    pub fn allow_module(&self, path: &Path) {
        if let Some(p) = canonical(path) {
            self.modules.lock().unwrap_or_else(|e| e.into_inner()).insert(p);
        }
    }

    /// Ok when the user chose `path` in a save dialog.
    pub fn check_write(&self, path: &Path) -> Result<()> {
        let ok = canonical(path).is_some_and(|p| self.writes.lock().unwrap_or_else(|e| e.into_inner()).contains(&p));
        if ok {
            Ok(())
        } else {
            Err(Error::Other(format!(
                "«{}» non è stato scelto nella finestra di salvataggio: il file non è stato scritto.",
                path.display()
            )))
        }
    }

    /// Ok when `module` is a known system PKCS#11 library or one the user picked.
    pub fn check_module(&self, module: &Path) -> Result<()> {
        let Some(p) = canonical(module) else {
            return Err(Error::Other(format!("La libreria «{}» non esiste.", module.display())));
        };
        let known =
            crate::sign::KNOWN_PKCS11_MODULES.iter().any(|k| Path::new(k).canonicalize().ok().as_ref() == Some(&p));
        if known || self.modules.lock().unwrap_or_else(|e| e.into_inner()).contains(&p) {
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
    }
}
