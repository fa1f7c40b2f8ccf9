//! Paths the user chooses: the native dialogs are opened here, by Rust, and what the user picks is
//! recorded in `AppState::grants`, so the commands that read, write or load a path accept only
//! those (and the app's own folders). The web view names a kind of dialog, never a path to grant.
//! Also the «Ripristina da copia…» screen: the automatic backups with their fascicoli.

use crate::dto::{BackupList, BackupView};
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use pianozona::service;
use std::path::Path;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

/// What a picked path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Write,
    Read,
    Module,
}

/// The dialogs the UI may ask for: kind → (use, title, filter name, extensions).
pub const DIALOGS: &[(&str, Use, &str, &str, &[&str])] = &[
    ("pdf", Use::Write, "Esporta PDF", "PDF", &["pdf"]),
    ("json", Use::Write, "Esporta fascicolo", "Fascicolo (JSON)", &["json"]),
    ("copia", Use::Write, "Copia dell’archivio", "Archivio di Piano di Zona", &["sqlite"]),
    ("import", Use::Read, "Importa fascicolo", "Fascicolo (JSON)", &["json"]),
    ("certificato", Use::Read, "Certificato di firma", "Certificato PKCS#12", &["p12", "pfx"]),
    ("da-firmare", Use::Read, "Documento da firmare", "PDF", &["pdf"]),
    ("firmato", Use::Read, "File firmato", "PDF o P7M", &["pdf", "p7m", "p7s", "tsd", "m7m"]),
    ("ripristino", Use::Read, "Ripristina da copia", "Archivio di Piano di Zona", &["sqlite", "db"]),
    ("modulo", Use::Module, "Libreria del dispositivo di firma (PKCS#11)", "Libreria PKCS#11", &["so", "dll", "dylib"]),
];

impl AppState {
    /// Records a path the user picked in the dialog of `kind`.
    pub fn grant_chosen(&self, kind: &str, path: &Path) -> IpcResult<()> {
        let Some((_, usage, ..)) = DIALOGS.iter().find(|d| d.0 == kind) else {
            return Err(IpcError::new("file", "Finestra di scelta del file sconosciuta."));
        };
        match usage {
            Use::Write => self.grants.allow_write(path),
            Use::Read => self.grants.allow_read(path),
            Use::Module => self.grants.allow_module(path),
        }
        Ok(())
    }

    /// The automatic backups of the open archive with the fascicoli each holds.
    pub fn list_backups(&self) -> IpcResult<BackupList> {
        let mut store = self.store()?;
        // Today's backup, if it is being made in the background, is listed once complete.
        let _ = store.wait_backup();
        let copie = service::backups(&store)
            .into_iter()
            .map(|b| BackupView {
                percorso: b.path.display().to_string(),
                nome: b.name,
                data: b.modified,
                byte: b.bytes.min(u32::MAX as u64) as u32,
                fascicoli: b.fascicoli.map(|n| n as u32),
                problema: b.problem,
            })
            .collect();
        Ok(BackupList {
            archivio: store.path().display().to_string(),
            fascicoli_attuali: store.count().ok().map(|n| n as u32),
            copie,
        })
    }
}

/// Opens the native dialog of `kind` («pdf», «json», «copia», «import», «certificato»,
/// «da-firmare», «firmato», «ripristino», «modulo») with `name` as the proposed file name, and
/// grants the chosen path to the commands; None when the user cancels.
#[tauri::command(async)]
pub fn choose_file(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: String,
    name: Option<String>,
) -> IpcResult<Option<String>> {
    let Some((_, usage, title, filter, exts)) = DIALOGS.iter().find(|d| d.0 == kind) else {
        return Err(IpcError::new("file", "Finestra di scelta del file sconosciuta."));
    };
    let mut d = app.dialog().file().set_title(*title).add_filter(*filter, exts);
    if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
        d = d.set_file_name(n);
    }
    let picked = if *usage == Use::Write { d.blocking_save_file() } else { d.blocking_pick_file() };
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    state.grant_chosen(&kind, &path)?;
    Ok(Some(path.display().to_string()))
}

/// «Ripristina da copia…»: the automatic backups with date and fascicoli.
#[tauri::command]
pub fn list_backups(state: State<'_, AppState>) -> IpcResult<BackupList> {
    state.list_backups()
}
