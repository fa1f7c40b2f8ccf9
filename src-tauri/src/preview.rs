//! "Anteprima": the bytes of the exact PDF the export writes, for the in-app viewer (pdf.js) and
//! for printing. The PDF comes from the core (`service::render_pdf`), the same call as the export.

use crate::error::Esito;
use crate::stato::Stato;
use tauri::ipc::Response;
use tauri::State;

/// The PDF/A of the stored fascicolo `id` (`draft`: with the «BOZZA» watermark), as raw bytes.
#[tauri::command]
pub async fn preview_pdf(stato: State<'_, Stato>, id: i64, draft: bool) -> Esito<Response> {
    let (f, profile) = {
        let a = stato.archivio()?;
        (a.load(id)?, pianozona::service::profile(&a)?)
    };
    let bytes = pianozona::service::render_pdf(&stato.registro, &f, &profile, draft)?;
    Ok(Response::new(bytes))
}
