//! Use-cases: one function each, called by both front ends (the CLI in `src/cli` and the app's IPC
//! commands in `src-tauri`), so they cannot drift apart. The front ends only parse arguments and
//! print or return what these functions give back. Every file written goes through
//! `crate::durable::write_file`.

pub mod feedback;
pub mod find;
pub mod grants;
pub mod history;
pub mod plan;
pub mod print;
pub mod settings;
pub mod signature;

use crate::error::{Error, Result};
use crate::exchange;
use crate::model::{Fascicolo, FieldValue, OfficeProfile};
use crate::pdf::{self, PdfOptions};
use crate::rules::{self, Finding};
use crate::store::{FieldChange, Revision, Store};
use crate::template::{Family, FormRole, Registry};
use chrono::NaiveDate;
use std::path::Path;

/// Largest file `import_file` accepts: a fascicolo is text, far below this.
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// Today in the local calendar (deadlines of the Verifica).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The family of templates `id`, or an Italian "not available".
pub fn family<'a>(reg: &'a Registry, id: &str) -> Result<&'a Family> {
    reg.family(id).ok_or_else(|| {
        Error::NotFound(format!("modulistica «{id}» (non disponibile in questa versione del programma)"))
    })
}

/// The office profile saved in the store, or an empty one.
pub fn profile(store: &Store) -> Result<OfficeProfile> {
    Ok(store.profile()?.unwrap_or_default())
}

/// Writes a file we hand to the user through the one durable writer.
pub fn write_user_file(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::durable::write_file(path, bytes).map_err(|e| Error::Other(e.to_string()))
}

/// The folder of the user's own templates (`modelli` beside the default archive): the app loads
/// the `*.toml` there as the CLI loads those of `--templates`.
pub fn user_templates_dir() -> Option<std::path::PathBuf> {
    Store::default_path().parent().map(|d| d.join("modelli"))
}

// ------------------------------------------------------------------ open, check, save

/// The Verifica of a fascicolo (in memory, as the user is editing it).
pub fn check(reg: &Registry, f: &Fascicolo, profile: &OfficeProfile, today: NaiveDate) -> Result<Vec<Finding>> {
    Ok(rules::check(family(reg, &f.family)?, f, profile, today))
}

/// The Verifica of a stored fascicolo at its head revision.
pub fn check_stored(store: &Store, reg: &Registry, id: i64, today: NaiveDate) -> Result<Vec<Finding>> {
    check(reg, &store.load(id)?, &profile(store)?, today)
}

/// A fascicolo as opened for editing.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub id: i64,
    pub fascicolo: Fascicolo,
    pub findings: Vec<Finding>,
    /// When the head revision was saved (RFC 3339).
    pub saved_at: String,
}

/// Opens a fascicolo: read only. Nothing is filled in or saved, so opening never changes the data,
/// the revisions or the Verifica; editors render a missing value as empty without storing it.
pub fn open(store: &Store, reg: &Registry, id: i64, today: NaiveDate) -> Result<Opened> {
    let fascicolo = store.load(id)?;
    let saved_at = store.list(true)?.into_iter().find(|s| s.id == id).map(|s| s.updated_at).unwrap_or_default();
    let findings = check(reg, &fascicolo, &profile(store)?, today)?;
    Ok(Opened { id, fascicolo, findings, saved_at })
}

/// The outcome of a save.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// The new head revision (unchanged when nothing changed).
    pub rev: i64,
    pub saved_at: String,
    pub findings: Vec<Finding>,
}

/// Saves a revision (only the changed fields) and runs the Verifica on what was saved.
pub fn save_and_check(
    store: &mut Store,
    reg: &Registry,
    id: i64,
    f: &Fascicolo,
    message: &str,
    today: NaiveDate,
) -> Result<Saved> {
    let findings = check(reg, f, &profile(store)?, today)?;
    let rev = store.save(id, f, message)?;
    Ok(Saved { rev, saved_at: chrono::Utc::now().to_rfc3339(), findings })
}

/// The editors' view of a fascicolo: every section of every document holds a value of its kind
/// (an empty one where nothing is stored), so each editor has something to bind to. Display only:
/// `save_edited` drops those values again while they stay empty, so opening changes nothing.
pub fn editable(reg: &Registry, f: &Fascicolo) -> Fascicolo {
    let mut f = f.clone();
    if let Some(fam) = reg.family(&f.family) {
        for d in &mut f.documents {
            for s in fam.form(&d.form).map(|x| x.sections.as_slice()).unwrap_or_default() {
                d.fields.entry(s.id.clone()).or_insert_with(|| FieldValue::empty_for(s.kind));
            }
        }
    }
    f
}

/// Saves what an editor sends back (see `editable`): an empty value of a section that the stored
/// document does not hold is not an edit and is not written; then `save_and_check`, so the
/// Verifica sees what the CLI sees.
pub fn save_edited(
    store: &mut Store,
    reg: &Registry,
    id: i64,
    f: &Fascicolo,
    message: &str,
    today: NaiveDate,
) -> Result<Saved> {
    let stored = store.stored_fields(id)?;
    let mut f = f.clone();
    if let Some(fam) = reg.family(&f.family) {
        for d in &mut f.documents {
            let (true, Some(form)) = (stored.documents.contains(&d.id), fam.form(&d.form)) else { continue };
            let doc = d.id.clone();
            d.fields.retain(|k, v| {
                stored.fields.contains(&(doc.clone(), k.clone()))
                    || form.section(k).is_none_or(|s| *v != FieldValue::empty_for(s.kind))
            });
        }
    }
    for d in &mut f.documents {
        settle_as_typed(d);
    }
    save_and_check(store, reg, id, &f, message, today)
}

/// Amounts kept as typed (`Document::as_typed`) once the user corrected them in the editor: an
/// entry whose cell holds an amount again, or whose cell is gone (row removed), is dropped, so
/// what is saved keeps only the amounts still waiting for a correction. An entry the user
/// retyped, still not an amount, keeps the new text; an emptied one goes.
pub fn settle_as_typed(d: &mut crate::model::Document) {
    let done: Vec<String> = d
        .as_typed
        .iter()
        .filter(|(place, text)| text.trim().is_empty() || !exchange::as_typed::still_empty(d, place))
        .map(|(place, _)| place.clone())
        .collect();
    for place in done {
        d.as_typed.remove(&place);
    }
}

// ------------------------------------------------------------------ list

/// Which fascicoli a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Active,
    Deleted,
    All,
}

/// One line of the list of fascicoli.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: i64,
    pub title: String,
    pub family: String,
    /// Title of the family, or its id when this version does not know it.
    pub family_title: String,
    pub variant: String,
    /// Label of the variant ("" when none or unknown).
    pub variant_label: String,
    /// Documents that are not letters.
    pub schede: u32,
    pub updated_at: String,
    pub head_rev: i64,
    pub deleted: bool,
    /// With a search text: where it was found (FTS excerpt, without the match markers).
    pub excerpt: Option<String>,
}

/// The fascicoli of `which`; with a non-empty `search`, only those whose texts (FTS) or title match.
/// Counting schede reads only document headers (`Store::document_forms`), not whole fascicoli.
pub fn list(store: &Store, reg: &Registry, which: Listing, search: &str) -> Result<Vec<Summary>> {
    let search = search.trim();
    let hits = if search.is_empty() { None } else { Some(store.search(search, 200)?) };
    let needle = search.to_lowercase();
    let mut out = Vec::new();
    for s in store.list(which != Listing::Active)? {
        if which == Listing::Deleted && !s.deleted {
            continue;
        }
        let excerpt = match &hits {
            None => None,
            Some(h) => match h.iter().find(|h| h.fascicolo_id == s.id) {
                Some(h) => Some(h.snippet.replace(['[', ']'], "")),
                None if s.title.to_lowercase().contains(&needle) => None,
                None => continue,
            },
        };
        let fam = reg.family(&s.family);
        let is_scheda = |form: &String| fam.and_then(|f| f.form(form)).is_some_and(|f| f.role != FormRole::Letter);
        let schede = store.document_forms(s.id)?.iter().filter(|f| is_scheda(f)).count() as u32;
        let variant_label = fam
            .and_then(|f| f.variants.iter().find(|v| v.id == s.variant))
            .map(|v| v.label.clone())
            .unwrap_or_default();
        out.push(Summary {
            id: s.id,
            family_title: fam.map(|f| f.title.clone()).unwrap_or_else(|| s.family.clone()),
            title: s.title,
            family: s.family,
            variant: s.variant,
            variant_label,
            schede,
            updated_at: s.updated_at,
            head_rev: s.head_rev,
            deleted: s.deleted,
            excerpt,
        });
    }
    Ok(out)
}

// ------------------------------------------------------------------ import, export

/// A fascicolo just imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub id: i64,
    pub title: String,
    pub documents: usize,
}

fn read_error(path: &Path, e: &std::io::Error) -> Error {
    use std::io::ErrorKind as K;
    let p = path.display();
    Error::Other(match e.kind() {
        K::NotFound => format!("Impossibile leggere «{p}»: il file non esiste."),
        K::PermissionDenied => format!("Impossibile leggere «{p}»: mancano i permessi."),
        K::IsADirectory => format!("«{p}» è una cartella, non un file."),
        _ => format!(
            "Impossibile leggere «{p}» (errore di sistema {}).",
            e.raw_os_error().map(|c| c.to_string()).unwrap_or_else(|| "?".into())
        ),
    })
}

/// Reads a file to import, with the one set of guards: at most `MAX_IMPORT_BYTES`, UTF-8 text
/// (a leading byte-order mark is dropped); every refusal is an Italian sentence.
pub fn read_import_file(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| read_error(path, &e))?;
    if meta.is_dir() {
        return Err(Error::Other(format!("«{}» è una cartella, non un file.", path.display())));
    }
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(Error::Exchange("il file è troppo grande per essere un fascicolo (oltre 64 MB)".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| read_error(path, &e))?;
    exchange::messages::decode_text(&bytes)
        .map_err(|why| Error::Exchange(format!("il file non è un fascicolo di Piano di Zona Desktop ({why})")))
}

/// Imports fascicolo JSON text as a new fascicolo (the profile too, when the store has none).
pub fn import_text(store: &mut Store, reg: &Registry, text: &str, message: &str) -> Result<Imported> {
    let ex = parse_exchange(reg, text)?;
    if store.profile()?.is_none() {
        store.save_profile(&ex.profile)?;
    }
    create_imported(store, &ex.fascicolo, message)
}

/// Exchange JSON text, with or without a byte-order mark.
fn parse_exchange(reg: &Registry, text: &str) -> Result<exchange::ExchangeFile> {
    exchange::import_json(text.strip_prefix('\u{feff}').unwrap_or(text), reg)
}

fn create_imported(store: &mut Store, f: &Fascicolo, message: &str) -> Result<Imported> {
    let id = store.create(f, message)?;
    Ok(Imported { id, title: f.title.clone(), documents: f.documents.len() })
}

/// Imports the example fascicolo: marked as an example in its title, and never the office profile
/// (the user's own fascicoli must not print the example Ambito's name, signatory or letterhead).
pub fn import_example(store: &mut Store, reg: &Registry, text: &str) -> Result<Imported> {
    let mut f = parse_exchange(reg, text)?.fascicolo;
    if !f.title.starts_with(EXAMPLE_PREFIX) {
        f.title = format!("{EXAMPLE_PREFIX}{}", f.title);
    }
    create_imported(store, &f, "Esempio dimostrativo")
}

/// Title prefix of the example fascicolo (the UI marks it with a banner too).
pub const EXAMPLE_PREFIX: &str = "ESEMPIO – ";

/// Imports a fascicolo file (guards of `read_import_file`).
pub fn import_file(store: &mut Store, reg: &Registry, path: &Path) -> Result<Imported> {
    let text = read_import_file(path)?;
    import_text(store, reg, &text, &format!("Importato da {}", path.file_name().unwrap_or_default().to_string_lossy()))
}

/// The exchange JSON of a stored fascicolo.
pub fn export_json(store: &Store, id: i64) -> Result<String> {
    Ok(exchange::export_json(&profile(store)?, &store.load(id)?))
}

/// Writes the exchange JSON of a stored fascicolo to `path`.
pub fn export_json_to(store: &Store, id: i64, path: &Path) -> Result<()> {
    write_user_file(path, export_json(store, id)?.as_bytes())
}

/// The PDF/A-2b of a stored fascicolo; `draft` prints the «BOZZA» watermark.
pub fn export_pdf(store: &Store, reg: &Registry, id: i64, draft: bool) -> Result<Vec<u8>> {
    render_pdf(reg, &store.load(id)?, &profile(store)?, draft)
}

/// The PDF/A-2b of a fascicolo already loaded (the app renders without holding the store).
pub fn render_pdf(reg: &Registry, f: &Fascicolo, profile: &OfficeProfile, draft: bool) -> Result<Vec<u8>> {
    let opts = PdfOptions { draft, ..Default::default() };
    pdf::render(family(reg, &f.family)?, f, profile, &opts)
        .map_err(|e| Error::Other(format!("Esportazione PDF non riuscita: {e}.")))
}

/// Where each document and section starts in the PDF `render_pdf` writes (page from 1; section ""
/// = the document's first page): a finding of the Verifica leads to its page of the preview.
pub fn section_pages(
    reg: &Registry,
    f: &Fascicolo,
    profile: &OfficeProfile,
    draft: bool,
) -> Result<Vec<(String, String, usize)>> {
    let opts = PdfOptions { draft, ..Default::default() };
    pdf::section_pages(family(reg, &f.family)?, f, profile, &opts)
        .map_err(|e| Error::Other(format!("Impaginazione non riuscita: {e}.")))
}

/// Writes the PDF/A-2b of a stored fascicolo to `path`; returns its size in bytes.
pub fn export_pdf_to(store: &Store, reg: &Registry, id: i64, draft: bool, path: &Path) -> Result<usize> {
    let bytes = export_pdf(store, reg, id, draft)?;
    write_user_file(path, &bytes)?;
    Ok(bytes.len())
}

// ------------------------------------------------------------------ revisions, backup

/// Revisions of a fascicolo, oldest first.
pub fn history(store: &Store, id: i64) -> Result<Vec<Revision>> {
    store.history(id)
}

/// Per-field differences between revisions `from` and `to` (`None` = the head).
pub fn diff(store: &Store, id: i64, from: i64, to: Option<i64>) -> Result<Vec<FieldChange>> {
    let to = match to {
        Some(t) => t,
        None => store.head(id)?,
    };
    store.diff(id, from, to)
}

/// Restores revision `rev` as a new revision (nothing is lost); returns the new revision.
pub fn restore(store: &mut Store, id: i64, rev: i64) -> Result<i64> {
    store.restore(id, rev)
}

/// Online backup of the whole store to `path`.
pub fn backup(store: &Store, path: &Path) -> Result<()> {
    store.backup_to(path)
}

/// Replaces the store with a backup (only an intact archive of ours; the replaced one is kept).
pub fn restore_backup(store: &mut Store, path: &Path) -> Result<crate::store::RestoreReport> {
    store.restore_from(path)
}

/// What a restore did, in the words of the CLI and of the app's restore screen.
pub fn restore_summary(file: &Path, r: &crate::store::RestoreReport) -> String {
    let before =
        r.previous_fascicoli.map(|n| format!("{n} fascicoli")).unwrap_or_else(|| "contenuto illeggibile".into());
    format!(
        "Archivio ripristinato da {}: ora contiene {} fascicoli. L'archivio sostituito ({before}) è conservato in {}",
        file.display(),
        r.restored_fascicoli,
        r.kept_copy.display()
    )
}

/// One automatic backup as «Ripristina da copia…» lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupEntry {
    pub path: std::path::PathBuf,
    pub name: String,
    /// Local time «YYYY-MM-DD HH:MM».
    pub modified: String,
    pub bytes: u64,
    /// Fascicoli (not in the bin) it holds; None when it is not an intact archive of ours.
    pub fascicoli: Option<i64>,
    /// Why it cannot be restored (Italian), when it cannot.
    pub problem: Option<String>,
}

/// The automatic backups of the open archive, newest first, each with how many fascicoli it holds
/// (a quick check; the restore itself runs the full one).
pub fn backups(store: &Store) -> Vec<BackupEntry> {
    store
        .backups()
        .into_iter()
        .map(|b| {
            // In a list, a short reason; the restore itself says it in full if chosen anyway.
            let (fascicoli, problem) = match crate::store::inspect_archive(&b.path, false) {
                Ok(n) => (Some(n), None),
                Err(_) => (None, Some("copia danneggiata o non leggibile: non si può ripristinare".to_string())),
            };
            BackupEntry { path: b.path, name: b.name, modified: b.modified, bytes: b.bytes, fascicoli, problem }
        })
        .collect()
}

// ------------------------------------------------------------------ opening the archive

/// The archive as the app's start screen needs it: the store when it could be opened (writable or
/// read-only), the Italian message to show when something is wrong, and what the user can do.
pub struct ArchiveOpening {
    pub store: Option<Store>,
    pub path: std::path::PathBuf,
    /// None when the archive opened writable; otherwise what to tell the user.
    pub message: Option<String>,
    /// The newest intact backup that may replace this archive: offered only when the archive is
    /// damaged (never for another program's file or a newer archive).
    pub latest_backup: Option<crate::store::BackupInfo>,
}

impl ArchiveOpening {
    /// Whether «Apri la copia di sicurezza più recente» can be offered.
    pub fn can_restore_latest(&self) -> bool {
        self.latest_backup.is_some()
    }
}

/// Opens the archive at `path` for the app or the CLI, never failing: a file that cannot be used
/// comes back with its Italian message and the recovery the user may choose.
pub fn open_archive(path: &Path) -> ArchiveOpening {
    use crate::store::{self, Condition};
    match Store::open(path) {
        Ok(s) => {
            let message = s.read_only_reason().map(str::to_string);
            let latest_backup = if s.is_damaged() { store::latest_good_backup(path) } else { None };
            ArchiveOpening { store: Some(s), path: path.to_path_buf(), message, latest_backup }
        }
        Err(e) => {
            let offer = matches!(store::condition(path), Ok(Condition::Damaged));
            let latest_backup = if offer { store::latest_good_backup(path) } else { None };
            ArchiveOpening { store: None, path: path.to_path_buf(), message: Some(e.to_string()), latest_backup }
        }
    }
}

/// «Apri la copia di sicurezza più recente»: replaces the archive of `opening` with its newest
/// intact backup (the replaced file is kept in the backups folder) and opens it.
pub fn restore_latest_backup(opening: ArchiveOpening) -> Result<(Store, crate::store::RestoreReport)> {
    let Some(b) = opening.latest_backup.clone() else {
        return Err(Error::Store("non c'è una copia di sicurezza integra di questo archivio.".into()));
    };
    match opening.store {
        Some(mut s) => {
            let r = s.restore_from(&b.path)?;
            Ok((s, r))
        }
        None => {
            let r = crate::store::replace_with_backup(&opening.path, &b.path)?;
            let s = Store::open(&opening.path)?;
            Ok((s, r))
        }
    }
}

/// «Scegli un altro archivio»: closes the current one (if any) and opens the one at `path`.
pub fn choose_archive(current: Option<Store>, path: &Path) -> ArchiveOpening {
    drop(current);
    open_archive(path)
}

/// How many errori the Verifica finds: a final (non-draft) PDF of a fascicolo with errori needs the
/// user's explicit confirmation, in the app and in the CLI alike.
pub fn errori_before_final(store: &Store, reg: &Registry, id: i64) -> Result<usize> {
    Ok(rules::counts(&check_stored(store, reg, id, today())?).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_never_writes_the_profile() {
        let d = tempfile::tempdir().unwrap();
        let mut store = Store::open(&d.path().join("a.sqlite")).unwrap();
        let reg = Registry::load(None).unwrap();
        let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/oglio-po-2021-2023-quota-premiale.json");
        let text = std::fs::read_to_string(demo).unwrap();
        let im = import_example(&mut store, &reg, &text).unwrap();
        assert!(store.profile().unwrap().is_none(), "the example wrote the office profile");
        assert!(store.load(im.id).unwrap().title.starts_with(EXAMPLE_PREFIX));
        // A second example stays marked once; a real profile is never replaced.
        let mine = OfficeProfile { ambito: "Mio Ambito".into(), ..Default::default() };
        store.save_profile(&mine).unwrap();
        let again = export_json(&store, im.id).unwrap();
        let im2 = import_example(&mut store, &reg, &again).unwrap();
        assert_eq!(store.load(im2.id).unwrap().title.matches(EXAMPLE_PREFIX).count(), 1);
        assert_eq!(store.profile().unwrap().unwrap().ambito, "Mio Ambito");
    }

    /// A malformed amount imported «as typed», corrected in the editor: the cell becomes the
    /// amount and the entry is dropped on save; another one, not corrected, stays with the
    /// Verifica's finding.
    #[test]
    fn corrected_amounts_drop_their_as_typed_entry_on_save() {
        let d = tempfile::tempdir().unwrap();
        let mut store = Store::open(&d.path().join("a.sqlite")).unwrap();
        let reg = Registry::load(None).unwrap();
        let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/oglio-po-2021-2023-quota-premiale.json");
        let text = std::fs::read_to_string(demo).unwrap();
        let text = text.replacen("\"cost\": \"2.150,00\"", "\"cost\": \"1.23,4\"", 1).replacen(
            "\"ats\": \"100,00\"",
            "\"ats\": \"10.0,0\"",
            1,
        );
        let id = import_text(&mut store, &reg, &text, "import").unwrap().id;
        let stored = store.load(id).unwrap();
        let s1 = stored.document("scheda-1").unwrap();
        assert_eq!(s1.as_typed.get("risorse_economiche/rows/0/cost").map(String::as_str), Some("1.23,4"));
        assert_eq!(
            stored
                .document("scheda-2")
                .unwrap()
                .as_typed
                .get("risorse_economiche/rows/0/amounts/ats")
                .map(String::as_str),
            Some("10.0,0")
        );
        let rule = |f: &Fascicolo| {
            check(&reg, f, &OfficeProfile::default(), today())
                .unwrap()
                .iter()
                .filter(|x| x.rule.contains("as_typed") || x.message.contains("1.23,4") || x.message.contains("10.0,0"))
                .count()
        };
        let before = rule(&stored);
        assert!(before >= 2, "the Verifica reports both amounts kept as typed");

        // The editor: the first cell corrected (the UI writes the amount and may leave the entry).
        let mut f = editable(&reg, &stored);
        let doc = f.document_mut("scheda-1").unwrap();
        let Some(FieldValue::MoneyTable(t)) = doc.fields.get_mut("risorse_economiche") else { panic!("money table") };
        t.rows[0].cost = Some(crate::money::Money::parse_it("1.234,00").unwrap());
        // The second one retyped, still not an amount: kept with the new text.
        f.document_mut("scheda-2")
            .unwrap()
            .as_typed
            .insert("risorse_economiche/rows/0/amounts/ats".into(), "10.0,00".into());
        save_edited(&mut store, &reg, id, &f, "correzione", today()).unwrap();
        let saved = store.load(id).unwrap();
        let s1 = saved.document("scheda-1").unwrap();
        assert!(s1.as_typed.is_empty(), "{:?}", s1.as_typed);
        let Some(FieldValue::MoneyTable(t)) = s1.fields.get("risorse_economiche") else { panic!("money table") };
        assert_eq!(t.rows[0].cost.map(|m| m.cents()), Some(123_400));
        assert_eq!(
            saved
                .document("scheda-2")
                .unwrap()
                .as_typed
                .get("risorse_economiche/rows/0/amounts/ats")
                .map(String::as_str),
            Some("10.0,00")
        );
        assert_eq!(rule(&saved), before - 1);
        // The export writes the corrected amount and the retyped text in their cells.
        let out = export_json(&store, id).unwrap();
        assert!(!out.contains("1.23,4") && out.contains("10.0,00"), "export");
    }

    #[test]
    fn import_guards_speak_italian() {
        let d = tempfile::tempdir().unwrap();
        let e = read_import_file(&d.path().join("manca.json")).unwrap_err().to_string();
        assert!(e.contains("non esiste") && !e.contains("os error"), "{e}");
        let e = read_import_file(d.path()).unwrap_err().to_string();
        assert!(e.contains("cartella"), "{e}");
        let p = d.path().join("latin1.json");
        std::fs::write(&p, b"{\"a\": \"caf\xe9\"}").unwrap();
        let e = read_import_file(&p).unwrap_err().to_string();
        assert!(e.contains("UTF-8"), "{e}");
        let p = d.path().join("bom.json");
        std::fs::write(&p, b"\xEF\xBB\xBF{}").unwrap();
        assert_eq!(read_import_file(&p).unwrap(), "{}");
        let p = d.path().join("grande.json");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(MAX_IMPORT_BYTES + 1).unwrap();
        let e = read_import_file(&p).unwrap_err().to_string();
        assert!(e.contains("64 MB"), "{e}");
    }
}
