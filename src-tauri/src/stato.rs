//! Managed state of the app: the template registry, the database path and the open store.

use crate::error::{ErroreIpc, Esito};
use pianozona::store::Store;
use pianozona::template::{Family, Registry};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

pub struct Stato {
    pub registro: Registry,
    pub percorso_db: PathBuf,
    archivio: Mutex<Option<Store>>,
    /// Why the database could not be opened (shown once at start, and on every store command).
    pub errore_apertura: Option<String>,
    /// `--esempio`: open the demo fascicolo at start (scripts/run-demo.sh).
    pub esempio_all_avvio: bool,
}

impl Stato {
    pub fn avvia(percorso_db: PathBuf) -> Result<Stato, String> {
        let registro = Registry::load(None).map_err(|e| e.to_string())?;
        let (archivio, errore_apertura) = match Store::open(&percorso_db) {
            Ok(s) => (Some(s), None),
            Err(e) => (
                None,
                Some(format!("{}. Il programma non modifica questo file; chiudetelo e riavviatelo indicando un archivio valido (o ripristinate una copia di sicurezza).", e.to_string().trim_end_matches('.'))),
            ),
        };
        let esempio_all_avvio = std::env::args().any(|a| a == "--esempio");
        Ok(Stato { registro, percorso_db, archivio: Mutex::new(archivio), errore_apertura, esempio_all_avvio })
    }

    /// The open store, or the Italian reason why there is none.
    pub fn archivio(&self) -> Esito<StoreGuard<'_>> {
        let g = self.archivio.lock().unwrap_or_else(|p| p.into_inner());
        if g.is_none() {
            return Err(ErroreIpc::new(
                "archivio",
                self.errore_apertura.clone().unwrap_or_else(|| "Archivio non disponibile.".into()),
            ));
        }
        Ok(StoreGuard(g))
    }

    pub fn famiglia(&self, id: &str) -> Esito<&Family> {
        self.registro.family(id).ok_or_else(|| {
            ErroreIpc::new(
                "non_trovato",
                format!("Modulistica «{id}» non disponibile in questa versione del programma."),
            )
        })
    }
}

pub struct StoreGuard<'a>(MutexGuard<'a, Option<Store>>);
impl std::ops::Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.0.as_ref().expect("checked")
    }
}
impl std::ops::DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.0.as_mut().expect("checked")
    }
}

/// `--db PATH` on the command line, else `PIANOZONA_DB`, else the OS data directory.
pub fn percorso_db() -> PathBuf {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--db" {
            if let Some(p) = args.next() {
                return PathBuf::from(p);
            }
        } else if let Some(p) = a.strip_prefix("--db=") {
            return PathBuf::from(p);
        }
    }
    if let Some(p) = std::env::var_os("PIANOZONA_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    Store::default_path()
}
