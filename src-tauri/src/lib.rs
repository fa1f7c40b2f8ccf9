//! Piano di Zona Desktop: the Tauri shell. Thin commands over the use-cases of `pianozona::service`:
//! every command unpacks its arguments, calls the use-case and maps errors to an Italian
//! `{ codice, messaggio }`.

include!("commands_list.rs");
ipc_commands!(command_names);

/// `generate_handler!` over `ipc_commands!`.
macro_rules! handler {
    ($($m:ident :: $c:ident),* $(,)?) => {
        tauri::generate_handler![$($m::$c),*]
    };
}

pub mod commands;
pub mod dto;
pub mod error;
pub mod feedback;
pub mod files;
pub mod preview;
pub mod signature;
pub mod state;
pub mod writing;

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod tests;

pub mod demo {
    include!(concat!(env!("OUT_DIR"), "/demo.rs"));
}

use tauri::Manager;

/// One local document, no browsing: WebKitGTK's "document viewer" cache model and no page cache
/// keep the web process small (see scripts/bench-app.sh).
/// `PIANOZONA_WEBKIT_PREDEFINITO=1` leaves WebKit's defaults (for the benchmark's before/after).
fn tune_webview(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    if std::env::var_os("PIANOZONA_WEBKIT_PREDEFINITO").is_some() {
        log::info!("WebKit settings left at their defaults");
    } else if let Some(w) = app.get_webview_window("main") {
        let _ = w.with_webview(|wv| {
            use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
            let v = wv.inner();
            if let Some(ctx) = v.context() {
                ctx.set_cache_model(CacheModel::DocumentViewer);
            }
            if let Some(s) = WebViewExt::settings(&v) {
                s.set_enable_page_cache(false);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// The log: `pianozona.log` in the data folder (beside the default archive), rotated at 1 MB with
/// the previous files kept; warnings and above from libraries, info from us. Messages name
/// operations and ids, never the user's text, PINs or passwords.
fn log_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    let dir = pianozona::store::Store::default_path().parent().map(std::path::Path::to_path_buf);
    let mut targets = vec![Target::new(TargetKind::Stderr)];
    if let Some(dir) = dir {
        targets.push(Target::new(TargetKind::Folder { path: dir, file_name: Some("pianozona".into()) }));
    }
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets(targets)
        .level(log::LevelFilter::Warn)
        .level_for("pianozona", log::LevelFilter::Info)
        .level_for("pianozona_app", log::LevelFilter::Info)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .build()
}

pub fn run() {
    let db = state::db_path();
    let templates = state::templates_dir();
    tauri::Builder::default()
        .plugin(log_plugin())
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let s = state::AppState::start(db.clone(), templates.as_deref())
                .map_err(|e| -> Box<dyn std::error::Error> { e.into() })?;
            log::info!("started, {} template families", s.registry.families.len());
            app.manage(s);
            tune_webview(app);
            writing::apply_saved_zoom(app, &db);
            Ok(())
        })
        .invoke_handler(ipc_commands!(handler))
        .run(tauri::generate_context!())
        .expect("errore all’avvio di Piano di Zona Desktop");
}
