//! Writing like in a word processor: Ctrl+F over the open fascicolo (`service::find`) and the
//! window's zoom, remembered on this computer (`service::settings`, beside the archive).

use crate::error::IpcResult;
use crate::state::AppState;
use pianozona::service;
use serde::Serialize;
use tauri::{State, WebviewWindow};
use ts_rs::TS;

/// One place where the searched text occurs.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FoundView {
    pub documento: Option<String>,
    pub sezione: Option<String>,
    pub luogo: String,
    /// Excerpt with the matches between [ and ].
    pub estratto: String,
}

impl AppState {
    pub fn find_in_fascicolo(&self, id: i64, text: &str) -> IpcResult<Vec<FoundView>> {
        Ok(service::find::find_in(&*self.store()?, &self.registry, id, text)?
            .into_iter()
            .map(|f| FoundView { documento: f.document, sezione: f.section, luogo: f.place, estratto: f.snippet })
            .collect())
    }

    /// Steps the remembered zoom (`step` > 0 larger, < 0 smaller, 0 = 100%) and returns it.
    pub fn change_zoom(&self, step: i32) -> IpcResult<f64> {
        Ok(service::settings::change_zoom(&self.db_path, step)?)
    }
}

#[tauri::command]
pub fn find_in_fascicolo(state: State<'_, AppState>, id: i64, text: String) -> IpcResult<Vec<FoundView>> {
    state.find_in_fascicolo(id, &text)
}

/// Ctrl+plus / Ctrl+minus / Ctrl+0: zooms the window's page and remembers the level.
#[tauri::command]
pub fn zoom(state: State<'_, AppState>, window: WebviewWindow, step: i32) -> IpcResult<f64> {
    let z = state.change_zoom(step)?;
    if let Err(e) = window.set_zoom(z) {
        log::warn!("zoom not applied: {e}");
    }
    Ok(z)
}

/// The remembered zoom, applied when the window opens.
pub fn apply_saved_zoom(app: &tauri::App, db: &std::path::Path) {
    use tauri::Manager;
    let z = service::settings::load_settings(db).zoom;
    if (z - 1.0).abs() > 1e-6 {
        if let Some(w) = app.get_webview_window("main") {
            let _ = w.set_zoom(z);
        }
    }
}
