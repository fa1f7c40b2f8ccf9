//! Piano di Zona Desktop: the Tauri shell. Thin commands over the `pianozona` core: every command
//! parses its input, calls the core and maps errors to an Italian `{ codice, messaggio }`.

pub mod comandi;
pub mod dto;
pub mod error;
pub mod firma;
pub mod pdf;
pub mod preview;
pub mod puri;
pub mod stato;

#[cfg(test)]
mod bindings;

pub mod demo {
    include!(concat!(env!("OUT_DIR"), "/demo.rs"));
}

use tauri::Manager;

/// Benchmarks (scripts/bench-app.sh): with PIANOZONA_BENCH set, the UI reports when the first
/// screen is interactive; the time is printed as UNIX milliseconds, and with PIANOZONA_BENCH=esci
/// the app then quits.
#[tauri::command]
fn pronto(app: tauri::AppHandle) {
    if let Ok(v) = std::env::var("PIANOZONA_BENCH") {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        println!("PDZ_PRONTO_UNIX_MS={ms}");
        if v == "esci" {
            app.exit(0);
        }
    }
}

/// One local document, no browsing: WebKitGTK's "document viewer" cache model and no page cache
/// keep the web process small (see scripts/bench-app.sh).
fn regola_webview(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    if let Some(w) = app.get_webview_window("main") {
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

pub fn run() {
    let percorso = stato::percorso_db();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let s = stato::Stato::avvia(percorso.clone()).map_err(|e| -> Box<dyn std::error::Error> { e.into() })?;
            app.manage(s);
            regola_webview(app);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            pronto,
            comandi::app_stato,
            comandi::salva_profilo,
            comandi::famiglia,
            comandi::elenco_fascicoli,
            comandi::cestino,
            comandi::crea_fascicolo,
            comandi::apri_esempio,
            comandi::apri_fascicolo,
            comandi::salva_fascicolo,
            comandi::duplica_fascicolo,
            comandi::elimina_fascicolo,
            comandi::ripristina_fascicolo,
            comandi::revisioni,
            comandi::confronta_revisione,
            comandi::ripristina_revisione,
            comandi::esporta_json,
            comandi::importa_json,
            comandi::esporta_pdf,
            comandi::apri_file,
            comandi::firma_pdf,
            comandi::verifica_firma,
            comandi::moduli_pkcs11,
            comandi::leggi_dispositivo,
            comandi::firma_pdf_token,
            puri::conta_parole,
            puri::analizza_importi,
            puri::totali_risorse,
            puri::analizza_personale,
            puri::calcola_griglia,
            puri::totali_fondi,
            comandi::aggiungi_documento,
            comandi::sposta_documento,
            comandi::rinumera_schede,
            preview::preview_pdf,
        ])
        .run(tauri::generate_context!())
        .expect("errore all’avvio di Piano di Zona Desktop");
}
