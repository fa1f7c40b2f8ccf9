//! IPC commands over the fascicoli. Each `#[tauri::command]` only unpacks its arguments and calls
//! the method of the same name on `AppState`, which calls the use-case in `pianozona::service`
//! (the CLI calls the same functions) and maps the result for the UI. The methods are what the
//! tests call, without a window.

use crate::dto::*;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use pianozona::model::{Fascicolo, OfficeProfile};
use pianozona::service::{self, Listing};
use pianozona::template::Family;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Emitter, State};

const AUTOSAVE: &str = "Salvataggio automatico";

fn findings(v: Vec<pianozona::rules::Finding>) -> Vec<FindingView> {
    v.into_iter().map(FindingView::from).collect()
}

/// A path chosen by the user in a dialog: only absolute paths.
pub fn user_path(p: &str) -> IpcResult<PathBuf> {
    let p = PathBuf::from(p);
    if !p.is_absolute() {
        return Err(IpcError::new("file", "Percorso del file non valido."));
    }
    Ok(p)
}

fn summary(s: service::Summary) -> FascicoloSummary {
    FascicoloSummary {
        id: s.id,
        titolo: s.title,
        famiglia: s.family,
        famiglia_titolo: s.family_title,
        variante: s.variant_label,
        schede: s.schede,
        modificato_il: s.updated_at,
        estratto: s.excerpt,
    }
}

impl AppState {
    pub fn app_status(&self) -> AppStatus {
        let profile = self.store().ok().and_then(|s| s.profile().ok().flatten());
        let mut families: Vec<FamilySummary> = self
            .registry
            .families
            .iter()
            .map(|f| FamilySummary {
                id: f.id.clone(),
                titolo: f.title.clone(),
                ciclo: f.cycle.clone(),
                varianti: f.variants.clone(),
            })
            .collect();
        families.sort_by(|a, b| b.ciclo.cmp(&a.ciclo).then(a.titolo.cmp(&b.titolo)));
        AppStatus {
            versione: env!("CARGO_PKG_VERSION").into(),
            percorso_db: self.db_path.display().to_string(),
            profilo: profile,
            famiglie: families,
            avviso: self.notice(),
            copia_recuperabile: self.recoverable_backup(),
            esempio: self.demo_at_start,
        }
    }

    pub fn save_profile(&self, profile: &OfficeProfile) -> IpcResult<()> {
        if profile.ambito.trim().is_empty() || profile.legal_rep.name.trim().is_empty() {
            return Err(IpcError::new("dati", "Indicate almeno l’Ambito e il legale rappresentante."));
        }
        Ok(self.store()?.save_profile(profile)?)
    }

    /// Fascicoli of `which`; with a search text, only those whose texts or title match.
    pub fn list_fascicoli(&self, which: Listing, search: &str) -> IpcResult<Vec<FascicoloSummary>> {
        Ok(service::list(&*self.store()?, &self.registry, which, search)?.into_iter().map(summary).collect())
    }

    pub fn create_fascicolo(&self, new: &NewFascicolo) -> IpcResult<i64> {
        let fam = self.family(&new.famiglia)?;
        let title = new.titolo.trim();
        if title.is_empty() {
            return Err(IpcError::new("dati", "Date un titolo al fascicolo."));
        }
        let variant = if fam.variants.is_empty() || fam.variants.iter().any(|v| v.id == new.variante) {
            new.variante.clone()
        } else {
            fam.variants[0].id.clone()
        };
        let mut store = self.store()?;
        let profile = service::profile(&store)?;
        let f = pianozona::model::new_fascicolo(fam, &variant, title, &profile.legal_rep, Some(service::today()));
        Ok(store.create(&f, "Creazione")?)
    }

    /// Imports a demo fascicolo shipped with the app (by file stem; "" = the first), a new copy each time.
    pub fn open_demo(&self, name: &str) -> IpcResult<i64> {
        let demos = crate::demo::DEMOS;
        let text =
            demos.iter().find(|(stem, _)| name.is_empty() || *stem == name).map(|(_, text)| *text).ok_or_else(
                || IpcError::new("non_trovato", "Il fascicolo di esempio non è incluso in questa versione."),
            )?;
        // Never the example's office profile: the user's own fascicoli must not print another Ambito.
        Ok(service::import_example(&mut *self.store()?, &self.registry, text)?.id)
    }

    /// Opens a fascicolo (`service::open`: read only, nothing saved); the editors get
    /// `service::editable`, the Verifica is the one of the stored data.
    pub fn open_fascicolo(&self, id: i64) -> IpcResult<OpenedFascicolo> {
        let o = service::open(&*self.store()?, &self.registry, id, service::today())?;
        log::info!("fascicolo {id} opened: {} findings", o.findings.len());
        Ok(OpenedFascicolo {
            id: o.id,
            fascicolo: service::editable(&self.registry, &o.fascicolo),
            rilievi: findings(o.findings),
            salvato_il: o.saved_at,
        })
    }

    /// Autosave (`service::save_edited`): a revision with only the changed fields, and the Verifica.
    pub fn save_fascicolo(&self, id: i64, f: &Fascicolo) -> IpcResult<SaveResult> {
        let s = service::save_edited(&mut *self.store()?, &self.registry, id, f, AUTOSAVE, service::today())?;
        Ok(SaveResult { revisione: s.rev, salvato_il: s.saved_at, rilievi: findings(s.findings) })
    }

    /// The history as editing sessions named by section (`service::history`), newest first.
    pub fn revisions(&self, id: i64) -> IpcResult<Vec<RevisionInfo>> {
        Ok(service::history::sessions(&*self.store()?, &self.registry, id)?
            .into_iter()
            .rev()
            .map(|s| RevisionInfo {
                numero: s.last_rev,
                primo: s.first_rev,
                iniziato_il: s.started_at,
                salvato_il: s.ended_at,
                salvataggi: s.saves,
                titolo: s.title,
                luoghi: s.places,
                nota: s.message,
            })
            .collect())
    }

    /// What changed from revision `rev` to revision `to` (None = the head), section by section,
    /// drawn as in the PDF.
    pub fn compare_revision(&self, id: i64, rev: i64, to: Option<i64>) -> IpcResult<Vec<FieldChangeView>> {
        Ok(service::history::changes(&*self.store()?, &self.registry, id, rev, to)?
            .into_iter()
            .map(|c| FieldChangeView { documento: c.document, campo: c.section, prima: c.before, dopo: c.after })
            .collect())
    }

    pub fn restore_revision(&self, id: i64, rev: i64) -> IpcResult<OpenedFascicolo> {
        service::restore(&mut *self.store()?, id, rev)?;
        self.open_fascicolo(id)
    }

    pub fn export_json(&self, id: i64, path: &Path) -> IpcResult<()> {
        self.grants.check_write(path)?;
        Ok(service::export_json_to(&*self.store()?, id, path)?)
    }

    /// Imports a fascicolo file (`service::import_file`: 64 MB, UTF-8, strict format).
    pub fn import_json(&self, path: &Path) -> IpcResult<i64> {
        self.grants.check_read(path)?;
        let id = service::import_file(&mut *self.store()?, &self.registry, path)?.id;
        log::info!("fascicolo {id} imported");
        Ok(id)
    }

    /// The PDF/A of a stored fascicolo, rendered without holding the store.
    pub fn pdf_bytes(&self, id: i64, draft: bool) -> IpcResult<Vec<u8>> {
        let (f, profile) = {
            let store = self.store()?;
            (store.load(id)?, service::profile(&store)?)
        };
        Ok(service::render_pdf(&self.registry, &f, &profile, draft)?)
    }

    /// Writes the PDF/A of a fascicolo to `path`; returns its size in bytes.
    pub fn export_pdf(&self, id: i64, draft: bool, path: &Path, progress: impl Fn(u8, &str)) -> IpcResult<usize> {
        self.grants.check_write(path)?;
        progress(20, "Impaginazione del PDF/A…");
        let bytes = self.pdf_bytes(id, draft)?;
        progress(90, "Scrittura del file…");
        service::write_user_file(path, &bytes)?;
        log::info!("fascicolo {id} exported as PDF/A ({} bytes, draft: {draft})", bytes.len());
        progress(100, "Fatto.");
        Ok(bytes.len())
    }

    pub fn backup(&self, path: &Path) -> IpcResult<()> {
        self.grants.check_write(path)?;
        Ok(service::backup(&*self.store()?, path)?)
    }

    /// Replaces the archive with a backup (an automatic one or a file picked in the dialog): only
    /// an intact archive of ours, the replaced one kept; what happened, with both counts.
    pub fn restore_backup(&self, path: &Path) -> IpcResult<RestoreOutcome> {
        self.grants.check_read(path)?;
        let r = service::restore_backup(&mut *self.store()?, path)?;
        log::info!("archive restored from a backup");
        Ok(RestoreOutcome {
            fascicoli: r.restored_fascicoli as u32,
            fascicoli_prima: r.previous_fascicoli.map(|n| n as u32),
            copia_conservata: r.kept_copy.display().to_string(),
            messaggio: service::restore_summary(path, &r),
        })
    }
}

/// Benchmarks (scripts/bench-app.sh): with PIANOZONA_BENCH set, the UI reports when the first
/// screen is interactive; the time is printed as UNIX milliseconds, and with PIANOZONA_BENCH=esci
/// the app then quits.
#[tauri::command]
pub fn ready(app: AppHandle) {
    if let Ok(v) = std::env::var("PIANOZONA_BENCH") {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        println!("PDZ_PRONTO_UNIX_MS={ms}");
        if v == "esci" {
            app.exit(0);
        }
    }
}

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    state.app_status()
}

#[tauri::command]
pub fn save_profile(state: State<'_, AppState>, profile: OfficeProfile) -> IpcResult<()> {
    state.save_profile(&profile)
}

#[tauri::command]
pub fn family(state: State<'_, AppState>, id: String) -> IpcResult<Family> {
    Ok(state.family(&id)?.clone())
}

/// Fascicoli not deleted; with a search text, only those whose texts match (FTS), with an excerpt.
#[tauri::command]
pub fn list_fascicoli(state: State<'_, AppState>, search: String) -> IpcResult<Vec<FascicoloSummary>> {
    state.list_fascicoli(Listing::Active, &search)
}

/// Fascicoli in the bin.
#[tauri::command]
pub fn trash(state: State<'_, AppState>) -> IpcResult<Vec<FascicoloSummary>> {
    state.list_fascicoli(Listing::Deleted, "")
}

#[tauri::command]
pub fn create_fascicolo(state: State<'_, AppState>, new: NewFascicolo) -> IpcResult<i64> {
    state.create_fascicolo(&new)
}

#[tauri::command]
pub fn open_demo(state: State<'_, AppState>, name: String) -> IpcResult<i64> {
    state.open_demo(&name)
}

#[tauri::command]
pub fn open_fascicolo(state: State<'_, AppState>, id: i64) -> IpcResult<OpenedFascicolo> {
    state.open_fascicolo(id)
}

#[tauri::command]
pub fn save_fascicolo(state: State<'_, AppState>, id: i64, fascicolo: Fascicolo) -> IpcResult<SaveResult> {
    state.save_fascicolo(id, &fascicolo)
}

#[tauri::command]
pub fn duplicate_fascicolo(state: State<'_, AppState>, id: i64) -> IpcResult<i64> {
    Ok(state.store()?.duplicate(id)?)
}

#[tauri::command]
pub fn delete_fascicolo(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    Ok(state.store()?.delete(id)?)
}

#[tauri::command]
pub fn undelete_fascicolo(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    Ok(state.store()?.undelete(id)?)
}

#[tauri::command]
pub fn revisions(state: State<'_, AppState>, id: i64) -> IpcResult<Vec<RevisionInfo>> {
    state.revisions(id)
}

#[tauri::command]
pub fn compare_revision(
    state: State<'_, AppState>,
    id: i64,
    rev: i64,
    to: Option<i64>,
) -> IpcResult<Vec<FieldChangeView>> {
    state.compare_revision(id, rev, to)
}

#[tauri::command]
pub fn restore_revision(state: State<'_, AppState>, id: i64, rev: i64) -> IpcResult<OpenedFascicolo> {
    state.restore_revision(id, rev)
}

#[tauri::command]
pub fn export_json(state: State<'_, AppState>, id: i64, path: String) -> IpcResult<()> {
    state.export_json(id, &user_path(&path)?)
}

/// Imports a fascicolo file (strict: another program's file or a newer format is refused in Italian).
#[tauri::command]
pub fn import_json(state: State<'_, AppState>, path: String) -> IpcResult<i64> {
    state.import_json(&user_path(&path)?)
}

/// Exports the PDF/A of the fascicolo; progress is sent as "export-progress" events.
#[tauri::command]
pub async fn export_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    path: String,
    draft: bool,
) -> IpcResult<()> {
    let path = user_path(&path)?;
    let progress = |percentuale: u8, messaggio: &str| {
        let _ = app.emit("export-progress", ExportProgress { percentuale, messaggio: messaggio.into() });
    };
    state.export_pdf(id, draft, &path, progress).map(|_| ())
}

/// Opens a file we exported with the desktop's default program (viewer → print dialog).
#[tauri::command]
pub fn open_file(state: State<'_, AppState>, path: String) -> IpcResult<()> {
    let p = user_path(&path)?;
    state.grants.check_read(&p)?;
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    if !["pdf", "p7m", "json"].contains(&ext.as_str()) || !p.is_file() {
        return Err(IpcError::new("file", "Si possono aprire solo i PDF e i file esportati dal programma."));
    }
    std::process::Command::new("xdg-open")
        .arg(&p)
        .spawn()
        .map(|_| ())
        .map_err(|_| IpcError::new("file", format!("Nessun programma installato sa aprire «{}».", p.display())))
}

/// Online copy of the whole archive.
#[tauri::command]
pub fn backup(state: State<'_, AppState>, path: String) -> IpcResult<()> {
    state.backup(&user_path(&path)?)
}

/// «Apri la copia di sicurezza più recente» on the "Archivio non disponibile" screen; returns how
/// many fascicoli the restored archive holds.
#[tauri::command]
pub fn restore_latest_backup(state: State<'_, AppState>) -> IpcResult<u32> {
    Ok(state.restore_latest_backup()?.restored_fascicoli as u32)
}

/// Replaces the archive with a backup (the replaced one is kept beside it).
#[tauri::command]
pub fn restore_backup(state: State<'_, AppState>, path: String) -> IpcResult<RestoreOutcome> {
    state.restore_backup(&user_path(&path)?)
}

/// Adds a document of a form to the fascicolo being edited (core: numbering of the schede).
#[tauri::command]
pub fn add_document(state: State<'_, AppState>, fascicolo: Fascicolo, form: String) -> IpcResult<AddedDocument> {
    let fam = state.family(&fascicolo.family)?;
    let mut f = fascicolo;
    let id = pianozona::model::add_document(fam, &mut f, &form)
        .ok_or_else(|| IpcError::new("non_trovato", format!("Il modulo «{form}» non esiste in «{}».", fam.title)))?;
    Ok(AddedDocument { fascicolo: f, id })
}

/// Moves a document up (-1) or down (+1) and renumbers the schede (core).
#[tauri::command]
pub fn move_document(state: State<'_, AppState>, fascicolo: Fascicolo, id: String, delta: i32) -> IpcResult<Fascicolo> {
    let fam = state.family(&fascicolo.family)?;
    let mut f = fascicolo;
    pianozona::model::move_document(fam, &mut f, &id, delta);
    Ok(f)
}

/// Renumbers the schede 1…N in document order (core).
#[tauri::command]
pub fn renumber_schede(state: State<'_, AppState>, fascicolo: Fascicolo) -> IpcResult<Fascicolo> {
    let fam = state.family(&fascicolo.family)?;
    let mut f = fascicolo;
    pianozona::model::renumber_schede(fam, &mut f);
    Ok(f)
}

// ------------------------------------------------------------------ the whole plan (issue 9)

/// Autosave message of a chapter's text.
const AUTOSAVE_CHAPTER: &str = "Salvataggio automatico del capitolo";

/// The plan's editors work like `add_document`: the fascicolo being edited goes in, the edited one
/// comes back and the UI's autosave saves it; only a chapter's text is saved on its own.
impl AppState {
    /// The plan's outline (`service::plan::outline`) of the fascicolo being edited.
    pub fn plan_outline(&self, f: &Fascicolo) -> IpcResult<Vec<CapitoloPiano>> {
        Ok(service::plan::outline(&self.registry, f, &[])?.into_iter().map(CapitoloPiano::from).collect())
    }

    /// Autosave of a chapter's text: only that chapter is written (`Store::save_chapter`).
    pub fn save_chapter(&self, id: i64, chapter: &str, index: Option<u32>, text: &str) -> IpcResult<SaveResult> {
        let s = service::plan::save_chapter_text(
            &mut *self.store()?,
            &self.registry,
            id,
            chapter,
            index.map(|i| i as usize),
            text,
            AUTOSAVE_CHAPTER,
            service::today(),
        )?;
        Ok(SaveResult { revisione: s.rev, salvato_il: s.saved_at, rilievi: findings(s.findings) })
    }

    pub fn set_chapter_text(
        &self,
        mut f: Fascicolo,
        chapter: &str,
        index: Option<u32>,
        text: &str,
    ) -> IpcResult<Fascicolo> {
        service::plan::set_text(&self.registry, &mut f, chapter, index.map(|i| i as usize), text)?;
        Ok(f)
    }

    pub fn add_chapter(&self, mut f: Fascicolo, parent: Option<&str>, title: &str) -> IpcResult<CapitoloAggiunto> {
        let id = service::plan::add_chapter(&self.registry, &mut f, parent, title)?;
        Ok(CapitoloAggiunto { fascicolo: f, id })
    }

    pub fn rename_chapter(&self, mut f: Fascicolo, chapter: &str, title: &str) -> IpcResult<Fascicolo> {
        service::plan::rename_chapter(&self.registry, &mut f, chapter, title)?;
        Ok(f)
    }

    pub fn move_chapter(&self, mut f: Fascicolo, chapter: &str, delta: i32) -> IpcResult<Fascicolo> {
        service::plan::move_chapter(&self.registry, &mut f, chapter, delta)?;
        Ok(f)
    }

    pub fn remove_chapter(&self, mut f: Fascicolo, chapter: &str) -> IpcResult<Fascicolo> {
        service::plan::remove_chapter(&self.registry, &mut f, chapter)?;
        Ok(f)
    }
}

#[tauri::command]
pub fn plan_outline(state: State<'_, AppState>, fascicolo: Fascicolo) -> IpcResult<Vec<CapitoloPiano>> {
    state.plan_outline(&fascicolo)
}

#[tauri::command]
pub fn save_chapter(
    state: State<'_, AppState>,
    id: i64,
    chapter: String,
    index: Option<u32>,
    text: String,
) -> IpcResult<SaveResult> {
    state.save_chapter(id, &chapter, index, &text)
}

/// The text of a chapter the fascicolo does not store yet (the plan's structure changes: the UI
/// saves the whole fascicolo it gets back).
#[tauri::command]
pub fn set_chapter_text(
    state: State<'_, AppState>,
    fascicolo: Fascicolo,
    chapter: String,
    index: Option<u32>,
    text: String,
) -> IpcResult<Fascicolo> {
    state.set_chapter_text(fascicolo, &chapter, index, &text)
}

#[tauri::command]
pub fn add_chapter(
    state: State<'_, AppState>,
    fascicolo: Fascicolo,
    parent: Option<String>,
    title: String,
) -> IpcResult<CapitoloAggiunto> {
    state.add_chapter(fascicolo, parent.as_deref(), &title)
}

#[tauri::command]
pub fn rename_chapter(
    state: State<'_, AppState>,
    fascicolo: Fascicolo,
    chapter: String,
    title: String,
) -> IpcResult<Fascicolo> {
    state.rename_chapter(fascicolo, &chapter, &title)
}

#[tauri::command]
pub fn move_chapter(
    state: State<'_, AppState>,
    fascicolo: Fascicolo,
    chapter: String,
    delta: i32,
) -> IpcResult<Fascicolo> {
    state.move_chapter(fascicolo, &chapter, delta)
}

/// Deletes an office chapter; a chapter the Region requires is refused in Italian.
#[tauri::command]
pub fn remove_chapter(state: State<'_, AppState>, fascicolo: Fascicolo, chapter: String) -> IpcResult<Fascicolo> {
    state.remove_chapter(fascicolo, &chapter)
}
