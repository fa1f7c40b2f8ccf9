//! Managed state of the app: the template registry, the database path and the open store.

use crate::error::{IpcError, IpcResult};
use pianozona::service;
use pianozona::store::{BackupInfo, RestoreReport, Store};
use pianozona::template::{Family, Registry};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub struct AppState {
    pub registry: Registry,
    pub db_path: PathBuf,
    store: Mutex<Option<Store>>,
    /// Why the archive could not be opened, and the newest intact backup that may replace it.
    archive_issue: Mutex<Option<ArchiveIssue>>,
    /// Why the user's templates were not loaded (shown once at start).
    templates_notice: Option<String>,
    /// `--esempio`: open the demo fascicolo at start (scripts/run-demo.sh).
    pub demo_at_start: bool,
    /// Paths the user chose in this session's dialogs (`files::choose_file`) and the app's own
    /// folders: every command that takes a path checks them.
    pub grants: service::grants::Grants,
}

/// Test-only grant: in debug builds (the end-to-end tests build the app with `--debug`) the folders
/// listed in this variable (separated as in PATH) may be read and written without a dialog, so the
/// scenario can hand paths through `window.__PDZ_TEST_PATHS__`. A release build ignores it, and the
/// web view cannot set the environment of the process in any build.
pub const TEST_GRANT_ENV: &str = "PIANOZONA_TEST_GRANT";

fn grants_for(db_path: &Path) -> service::grants::Grants {
    let g = service::grants::Grants::default();
    // The automatic backups may be offered for a restore without a dialog.
    g.allow_folder(&pianozona::store::backup_dir(db_path), false);
    #[cfg(debug_assertions)]
    if let Some(v) = std::env::var_os(TEST_GRANT_ENV) {
        for d in std::env::split_paths(&v).filter(|d| d.is_absolute()) {
            log::warn!("test-only grant of {}", d.display());
            g.allow_folder(&d, true);
        }
    }
    g
}

/// An archive that did not open: the Italian reason and, when it is damaged, a backup to offer.
#[derive(Clone)]
struct ArchiveIssue {
    reason: String,
    backup: Option<BackupInfo>,
}

impl AppState {
    /// Opens the store at `db_path` and loads the templates: the embedded ones plus the `*.toml`
    /// of `templates` (as the CLI's `--templates`). Templates that do not load are left out with a
    /// notice; a database that does not open leaves the app without a store, with the reason.
    pub fn start(db_path: PathBuf, templates: Option<&Path>) -> Result<AppState, String> {
        let (registry, templates_error) = match templates.filter(|d| d.is_dir()) {
            None => (Registry::load(None).map_err(|e| e.to_string())?, None),
            Some(dir) => match Registry::load(Some(dir)) {
                Ok(r) => (r, None),
                Err(e) => {
                    log::warn!("user templates not loaded from {}", dir.display());
                    let why = format!(
                        "I modelli della cartella «{}» non sono stati caricati: {}",
                        dir.display(),
                        e.to_string().trim_end_matches('.')
                    );
                    (Registry::load(None).map_err(|e| e.to_string())?, Some(why + "."))
                }
            },
        };
        let opening = service::open_archive(&db_path);
        let issue = match opening.store {
            Some(_) => None,
            None => {
                log::warn!("archive not opened: {}", db_path.display());
                let why = opening.message.unwrap_or_else(|| "Archivio non disponibile".into());
                // With a backup to offer, the button below the message says what to do.
                let reason = if opening.latest_backup.is_some() {
                    why
                } else {
                    format!(
                        "{}. Il programma non modifica questo file; chiudetelo e riavviatelo indicando un archivio valido (o ripristinate una copia di sicurezza).",
                        why.trim_end_matches('.')
                    )
                };
                Some(ArchiveIssue { reason, backup: opening.latest_backup })
            }
        };
        let demo_at_start = std::env::args().any(|a| a == "--esempio");
        let grants = grants_for(&db_path);
        Ok(AppState {
            registry,
            db_path,
            store: Mutex::new(opening.store),
            archive_issue: Mutex::new(issue),
            templates_notice: templates_error,
            demo_at_start,
            grants,
        })
    }

    /// What to tell the user once: why the archive did not open, why templates were left out.
    pub fn notice(&self) -> Option<String> {
        let issue = self.issue().map(|i| i.reason);
        match (issue, &self.templates_notice) {
            (Some(s), Some(t)) => Some(format!("{s} {t}")),
            (Some(s), None) => Some(s),
            (None, t) => t.clone(),
        }
    }

    /// The date of the backup that can replace an archive that did not open («YYYY-MM-DD HH:MM»).
    pub fn recoverable_backup(&self) -> Option<String> {
        self.issue().and_then(|i| i.backup).map(|b| b.modified)
    }

    fn issue(&self) -> Option<ArchiveIssue> {
        self.archive_issue.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// «Apri la copia di sicurezza più recente»: puts the newest intact backup in place of the
    /// archive that did not open (the damaged file is kept among the backups) and opens it.
    pub fn restore_latest_backup(&self) -> IpcResult<RestoreReport> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let mut issue = self.archive_issue.lock().unwrap_or_else(|p| p.into_inner());
        let Some(backup) = issue.as_ref().and_then(|i| i.backup.clone()) else {
            return Err(IpcError::new("archivio", "Non c’è una copia di sicurezza integra da rimettere in uso."));
        };
        let opening = service::ArchiveOpening {
            store: store.take(),
            path: self.db_path.clone(),
            message: None,
            latest_backup: Some(backup),
        };
        match service::restore_latest_backup(opening) {
            Ok((s, r)) => {
                log::info!("archive replaced by its latest backup");
                *store = Some(s);
                *issue = None;
                Ok(r)
            }
            Err(e) => {
                *store = Store::open(&self.db_path).ok();
                Err(e.into())
            }
        }
    }

    /// The open store, or the Italian reason why there is none.
    pub fn store(&self) -> IpcResult<StoreGuard<'_>> {
        let g = self.store.lock().unwrap_or_else(|p| p.into_inner());
        if g.is_none() {
            return Err(IpcError::new(
                "archivio",
                self.issue().map(|i| i.reason).unwrap_or_else(|| "Archivio non disponibile.".into()),
            ));
        }
        Ok(StoreGuard(g))
    }

    pub fn family(&self, id: &str) -> IpcResult<&Family> {
        Ok(pianozona::service::family(&self.registry, id)?)
    }
}

/// The locked store; only built when the store is open.
pub struct StoreGuard<'a>(MutexGuard<'a, Option<Store>>);

impl std::ops::Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        match self.0.as_ref() {
            Some(s) => s,
            None => unreachable!("StoreGuard is only built over an open store"),
        }
    }
}

impl std::ops::DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        match self.0.as_mut() {
            Some(s) => s,
            None => unreachable!("StoreGuard is only built over an open store"),
        }
    }
}

/// The value of `--NAME PATH` or `--NAME=PATH` on the command line.
fn arg_path(name: &str) -> Option<PathBuf> {
    let flag = format!("--{name}");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == flag {
            return args.next().map(PathBuf::from);
        } else if let Some(p) = a.strip_prefix(&format!("{flag}=")) {
            return Some(PathBuf::from(p));
        }
    }
    None
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// `--db PATH` on the command line, else `PIANOZONA_DB`, else the OS data directory (as the CLI).
pub fn db_path() -> PathBuf {
    arg_path("db").or_else(|| env_path("PIANOZONA_DB")).unwrap_or_else(Store::default_path)
}

/// `--templates DIR`, else `PIANOZONA_TEMPLATES` (as the CLI), else the user's templates folder.
pub fn templates_dir() -> Option<PathBuf> {
    arg_path("templates").or_else(|| env_path("PIANOZONA_TEMPLATES")).or_else(pianozona::service::user_templates_dir)
}
