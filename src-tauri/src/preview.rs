//! "Anteprima": the bytes of the exact PDF the export writes, for the in-app viewer (pdf.js) and
//! for printing. Same call as the export (`AppState::pdf_bytes` → `service::render_pdf`).

use crate::error::IpcResult;
use crate::state::AppState;
use tauri::ipc::Response;
use tauri::State;

/// The PDF/A of the stored fascicolo `id` (`draft`: with the «BOZZA» watermark), as raw bytes.
#[tauri::command]
pub async fn preview_pdf(state: State<'_, AppState>, id: i64, draft: bool) -> IpcResult<Response> {
    Ok(Response::new(state.pdf_bytes(id, draft)?))
}
