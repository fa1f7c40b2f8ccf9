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

/// Where a section starts in the PDF of the preview.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct SectionPage {
    pub documento: String,
    /// Section id; "" for the document's first page.
    pub sezione: String,
    #[ts(type = "number")]
    pub pagina: usize,
}

impl AppState {
    /// The page of each document and section in the PDF `pdf_bytes` gives (`service::section_pages`).
    pub fn section_pages(&self, id: i64, draft: bool) -> IpcResult<Vec<SectionPage>> {
        let (f, profile) = {
            let store = self.store()?;
            (store.load(id)?, pianozona::service::profile(&store)?)
        };
        Ok(pianozona::service::section_pages(&self.registry, &f, &profile, draft)?
            .into_iter()
            .map(|(documento, sezione, pagina)| SectionPage { documento, sezione, pagina })
            .collect())
    }
}

/// The page of each document and section of the preview (a Verifica finding → its page).
#[tauri::command]
pub async fn preview_pages(state: State<'_, AppState>, id: i64, draft: bool) -> IpcResult<Vec<SectionPage>> {
    state.section_pages(id, draft)
}
