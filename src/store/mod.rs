//! SQLite storage: office profile, fascicoli, a revision per save (stored per field, so a save
//! writes only what changed), per-field diff and restore, FTS5 search, online backup and restore.
//!
//! Durability: WAL with `synchronous = FULL`; a save is one transaction, acknowledged only after
//! COMMIT, so a crash (even `kill -9`) loses nothing acknowledged and leaves an intact database.
//!
//! Safety of the user's data: only our archives are opened (`PRAGMA application_id`, or the
//! tables of schema 1), anything else is refused before a byte is written; a quick check runs at
//! open and before every backup, and a damaged archive opens read-only naming the latest good
//! backup; a daily backup is kept in `copie-di-sicurezza/` beside the archive (last 7);
//! `restore_from` accepts only an intact archive of ours and keeps the replaced one.
//! The search index is addressed by rowid (`search_keys`), so a save costs the same at any size.

mod flatten;
mod schema;

use crate::error::{Error, Result};
use crate::model::{Fascicolo, OfficeProfile};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use flatten::{describe_key, flatten, search_text, unflatten};

/// An open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    access: Access,
    /// The day's automatic backup, running on its own connection while the user works.
    backup_job: Option<std::thread::JoinHandle<Result<Option<PathBuf>>>>,
    /// Whether the quick check ran at open (skipped after a clean close that left the file as is).
    checked_at_open: bool,
    /// Opened read-only because it is damaged (not merely write-protected).
    damaged: bool,
}

/// A fascicolo in the list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FascicoloSummary {
    pub id: i64,
    pub title: String,
    pub family: String,
    pub variant: String,
    pub created_at: String,
    pub updated_at: String,
    pub head_rev: i64,
    pub deleted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Revision {
    pub rev: i64,
    pub created_at: String,
    pub message: String,
    /// How many fields this revision changed.
    pub changed: i64,
}

/// One field that differs between two revisions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FieldChange {
    /// Storage key ("doc/scheda-1/field/obiettivo").
    pub key: String,
    /// Human description ("scheda-1 › obiettivo").
    pub label: String,
    /// Readable content before/after (text as is; structured values as pretty JSON). None = absent.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchHit {
    pub fascicolo_id: i64,
    pub fascicolo_title: String,
    pub key: String,
    pub label: String,
    /// Excerpt with the matches between [ and ].
    pub snippet: String,
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// How an archive opened: writable, or read-only with the reason (damaged, write-protected).
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    ReadWrite,
    ReadOnly(String),
}

/// A copy of the archive in the backups folder.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub name: String,
    /// Last modification, local time "YYYY-MM-DD HH:MM".
    pub modified: String,
    pub bytes: u64,
}

/// Keys of a fascicolo's head revision (`Store::stored_fields`).
#[derive(Debug, Default)]
pub struct StoredFields {
    pub documents: std::collections::BTreeSet<String>,
    pub fields: std::collections::BTreeSet<(String, String)>,
}

/// What `restore_from` did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RestoreReport {
    /// Fascicoli (not in the bin) in the restored copy.
    pub restored_fascicoli: i64,
    /// Fascicoli in the archive that was replaced (None when it could not be read).
    pub previous_fascicoli: Option<i64>,
    /// Where the replaced archive was kept.
    pub kept_copy: PathBuf,
}

/// Automatic backups kept in the backups folder (one per day).
pub const KEEP_DAILY_BACKUPS: usize = 7;

/// The folder, beside the archive, holding its automatic backups and the copies kept by restores.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("copie-di-sicurezza")
}

fn stem(db: &Path) -> String {
    db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "archivio".into())
}

/// Backups of the archive at `db`, newest first.
pub fn list_backups(db: &Path) -> Vec<BackupInfo> {
    let prefix = format!("{}-", stem(db));
    let Ok(rd) = std::fs::read_dir(backup_dir(db)) else { return vec![] };
    let mut v: Vec<(std::time::SystemTime, BackupInfo)> = rd
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(&prefix) || !name.ends_with(".sqlite") {
                return None;
            }
            let m = e.metadata().ok()?;
            let t = m.modified().ok()?;
            let modified = chrono::DateTime::<chrono::Local>::from(t).format("%Y-%m-%d %H:%M").to_string();
            Some((t, BackupInfo { path: e.path(), name, modified, bytes: m.len() }))
        })
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.name.cmp(&a.1.name)));
    v.into_iter().map(|(_, b)| b).collect()
}

/// The newest backup of `db` that is intact and ours.
pub fn latest_good_backup(db: &Path) -> Option<BackupInfo> {
    list_backups(db).into_iter().find(|b| inspect_archive(&b.path, false).is_ok())
}

/// What kind of file sits at a path we were asked to open as an archive.
enum Kind {
    New,
    Ours,
    /// Ours by its header, but SQLite cannot read it.
    OursUnreadable,
    /// Refused with the Italian reason: another program's file, damaged beyond recognition, newer.
    Foreign(Error),
    Unrecognised(Error),
    Newer(Error),
}

/// What sits at an archive's path, as the start screen needs to know it (nothing is written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Condition {
    /// No file yet (a new archive will be created).
    Missing,
    /// An archive of ours (it may still fail the quick check at open).
    Ours,
    /// Ours by its header but unreadable, or not recognisable at all (first page destroyed):
    /// replacing it with a backup is what the user may want.
    Damaged,
    /// Another program's file (or an empty SQLite file): never replaced, choose another archive.
    Foreign,
    /// Written by a newer version of the program.
    Newer,
}

/// The condition of the file at `path`; Err only for what cannot be read at all (a folder, no
/// permission).
pub fn condition(path: &Path) -> Result<Condition> {
    Ok(match classify_kind(path)? {
        Kind::New => Condition::Missing,
        Kind::Ours => Condition::Ours,
        Kind::OursUnreadable | Kind::Unrecognised(_) => Condition::Damaged,
        Kind::Foreign(_) => Condition::Foreign,
        Kind::Newer(_) => Condition::Newer,
    })
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn not_ours(path: &Path, why: &str) -> Error {
    Error::Store(format!(
        "il file «{}» non è un archivio di Piano di Zona Desktop ({why}); non è stato modificato. Scegliere un altro file o ripristinare una copia di sicurezza.",
        path.display()
    ))
}

fn damaged_unmodified(path: &Path) -> Error {
    Error::Store(format!(
        "il file «{}» non è un archivio di Piano di Zona Desktop oppure è danneggiato; non è stato modificato. Ripristinare una copia di sicurezza.",
        path.display()
    ))
}

/// As `classify_kind`, with the refusals as errors.
fn classify(path: &Path) -> Result<Kind> {
    match classify_kind(path)? {
        Kind::Foreign(e) | Kind::Unrecognised(e) | Kind::Newer(e) => Err(e),
        k => Ok(k),
    }
}

/// Recognises our archives without writing anything: SQLite header, then application id (or, for
/// archives of schema 1, our tables), then the schema version.
fn classify_kind(path: &Path) -> Result<Kind> {
    let meta = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kind::New),
        Err(e) => return Err(Error::io(path, e)),
        Ok(m) => m,
    };
    if meta.is_dir() {
        return Err(Error::Store(format!("«{}» è una cartella, non un archivio.", path.display())));
    }
    if meta.len() == 0 && !wal_path(path).exists() {
        return Ok(Kind::New);
    }
    let mut head = [0u8; 100];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut n = 0;
        while n < head.len() {
            match f.read(&mut head[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) => return Err(Error::io(path, e)),
            }
        }
        if n < head.len() || &head[..16] != SQLITE_MAGIC {
            // Not SQLite at all: another kind of file, or an archive whose first page is destroyed.
            return Ok(Kind::Unrecognised(damaged_unmodified(path)));
        }
    }
    let header_app_id = i64::from(u32::from_be_bytes([head[68], head[69], head[70], head[71]]));
    let probe = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
        Ok(c) => c,
        Err(e) if crate::error::sqlite_is_damage(&e) && header_app_id == schema::APPLICATION_ID => {
            return Ok(Kind::OursUnreadable)
        }
        Err(e) if crate::error::sqlite_is_damage(&e) => return Ok(Kind::Unrecognised(damaged_unmodified(path))),
        Err(e) => return Err(Error::Sqlite(e)),
    };
    let _ = probe.busy_timeout(std::time::Duration::from_secs(5));
    let read = (|| -> rusqlite::Result<(i64, i64, Vec<String>)> {
        let app: i64 = probe.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let ver: i64 = probe.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let mut st = probe.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let tables = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok((app, ver, tables))
    })();
    let (app, ver, tables) = match read {
        Ok(x) => x,
        Err(e) if crate::error::sqlite_is_damage(&e) && header_app_id == schema::APPLICATION_ID => {
            return Ok(Kind::OursUnreadable)
        }
        Err(e) if crate::error::sqlite_is_damage(&e) => return Ok(Kind::Unrecognised(damaged_unmodified(path))),
        Err(e) => return Err(Error::Sqlite(e)),
    };
    let legacy = app == 0 && ver >= 1 && schema::OUR_TABLES.iter().all(|t| tables.iter().any(|x| x == t));
    if app != schema::APPLICATION_ID && !legacy {
        let why = if tables.is_empty() { "è un file SQLite vuoto" } else { "è un file SQLite di un altro programma" };
        return Ok(Kind::Foreign(not_ours(path, why)));
    }
    if let Err(e) = schema::check_version_number(ver, path) {
        return Ok(Kind::Newer(e));
    }
    Ok(Kind::Ours)
}

fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

fn shm_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-shm");
    PathBuf::from(s)
}

/// `PRAGMA integrity_check` when `full`; otherwise the quick check of every B-tree (tables,
/// indexes and the search index's own tables), without SQLite's FTS5 check, which re-reads and
/// re-tokenises every indexed text (most of the time on a large archive; the search index is
/// derived data, rebuilt from the revisions). Ok(()) when intact, Err(first problem).
fn check_intact(conn: &Connection, full: bool) -> std::result::Result<(), String> {
    let one = |sql: &str| match conn.query_row(sql, [], |r| r.get::<_, String>(0)) {
        Ok(s) if s == "ok" => Ok(()),
        Ok(s) => Err(s),
        Err(e) => Err(e.to_string()),
    };
    if full {
        return one("PRAGMA integrity_check");
    }
    let tables: Vec<String> = (|| -> rusqlite::Result<Vec<String>> {
        let mut st = conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect()
    })()
    .map_err(|e| e.to_string())?;
    for t in tables {
        one(&format!("PRAGMA quick_check(\"{}\")", t.replace('"', "\"\"")))?;
    }
    Ok(())
}

/// Checks that `path` is an intact archive of ours (not newer) and returns how many fascicoli (not
/// in the bin) it holds. `full` runs the complete integrity check. Nothing is written.
pub fn inspect_archive(path: &Path, full: bool) -> Result<i64> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() == 0 {
        return Err(not_ours(path, "il file è vuoto"));
    }
    match classify(path)? {
        Kind::Ours => {}
        _ => return Err(damaged_unmodified(path)),
    }
    let c =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|_| damaged_unmodified(path))?;
    if check_intact(&c, full).is_err() {
        return Err(Error::Store(format!("la copia «{}» è danneggiata.", path.display())));
    }
    c.query_row("SELECT COUNT(*) FROM fascicoli WHERE deleted_at IS NULL", [], |r| r.get(0))
        .map_err(|_| damaged_unmodified(path))
}

fn damage_message(path: &Path) -> String {
    let offer = match latest_good_backup(path) {
        Some(b) => format!(
            " La copia di sicurezza integra più recente è «{}» ({}): ripristinarla con «Ripristina copia di sicurezza».",
            b.path.display(),
            b.modified
        ),
        None => " Non è stata trovata una copia di sicurezza integra nella cartella dei dati.".into(),
    };
    format!(
        "l'archivio «{}» è danneggiato: è aperto in sola lettura (si possono consultare, cercare ed esportare i fascicoli, non modificarli).{offer}",
        path.display()
    )
}

impl Store {
    /// Opens (creating if needed) the archive at `path`, checks it, brings its schema up to date and
    /// makes the day's automatic backup. A file that is not ours, or is newer, is refused before
    /// anything is written; a damaged one opens read-only (see `access`).
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, true)
    }

    /// As `open`; `auto_backup` false skips the daily backup (benchmarks, tools).
    ///
    /// Start-up cost stays small at any size: the quick check (which reads every page) is skipped
    /// when the archive is exactly as a clean close left it (see `closed_cleanly`), and the day's
    /// backup runs on its own connection in a background thread (joined by `wait_backup` or drop).
    pub fn open_with(path: &Path, auto_backup: bool) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
        }
        let kind = classify(path)?;
        let mut checked_at_open = false;
        let damaged = match kind {
            Kind::New | Kind::Foreign(_) | Kind::Unrecognised(_) | Kind::Newer(_) => false,
            Kind::OursUnreadable => true,
            Kind::Ours if closed_cleanly(path) => false,
            Kind::Ours => {
                checked_at_open = true;
                let probe = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                probe.busy_timeout(std::time::Duration::from_secs(5))?;
                match check_intact(&probe, false) {
                    Ok(()) => false,
                    Err(detail) if detail.contains("locked") || detail.contains("busy") => {
                        return Err(Error::Store(crate::error::sqlite_text(&rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                            None,
                        ))))
                    }
                    Err(_) => true,
                }
            }
        };
        let read_only = |conn, why| Store {
            conn,
            path: path.to_path_buf(),
            access: Access::ReadOnly(why),
            backup_job: None,
            checked_at_open,
            damaged,
        };
        if damaged {
            let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            return Ok(read_only(conn, damage_message(path)));
        }
        let write_protected = std::fs::metadata(path).map(|m| m.permissions().readonly()).unwrap_or(false);
        if write_protected {
            let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let why = format!(
                "l'archivio «{}» è protetto da scrittura: è aperto in sola lettura (si possono consultare ed esportare i fascicoli, non modificarli).",
                path.display()
            );
            return Ok(read_only(conn, why));
        }
        // From here on the file may change: the clean-close mark no longer vouches for it.
        let _ = std::fs::remove_file(clean_close_path(path));
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every statement of the save path stays prepared (the default cache holds 16).
        conn.set_prepared_statement_cache_capacity(64);
        if matches!(kind, Kind::New) {
            // Our mark first, in its own atomic write: a crash from here on leaves a file we recognise.
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            access: Access::ReadWrite,
            backup_job: None,
            checked_at_open,
            damaged: false,
        };
        schema::migrate(&mut store.conn, path)?;
        rebuild_search_if_needed(&mut store.conn)?;
        if auto_backup && !daily_backup_path(path).exists() {
            // A failed automatic backup must not keep the user from working; it is retried next open.
            let db = path.to_path_buf();
            store.backup_job =
                std::thread::Builder::new().name("copia-giornaliera".into()).spawn(move || daily_backup(&db)).ok();
        }
        Ok(store)
    }

    /// Whether the quick check ran when the archive was opened (it is skipped when the archive is
    /// exactly as the last clean close left it).
    pub fn checked_at_open(&self) -> bool {
        self.checked_at_open
    }

    /// Whether the archive opened read-only because it is damaged.
    pub fn is_damaged(&self) -> bool {
        self.damaged
    }

    /// Waits for the day's automatic backup started at open, if any: `Ok(Some(file))` when one was
    /// made, `Ok(None)` when none was due, `Err` when it failed (for example a damaged archive).
    pub fn wait_backup(&mut self) -> Option<Result<Option<PathBuf>>> {
        let job = self.backup_job.take()?;
        Some(job.join().unwrap_or_else(|_| Err(Error::Store("copia di sicurezza automatica interrotta.".into()))))
    }

    /// Writable, or read-only with the Italian reason to show (damaged or write-protected archive).
    pub fn access(&self) -> &Access {
        &self.access
    }

    /// The reason the archive is read-only, if it is.
    pub fn read_only_reason(&self) -> Option<&str> {
        match &self.access {
            Access::ReadWrite => None,
            Access::ReadOnly(why) => Some(why),
        }
    }

    fn writable(&self) -> Result<()> {
        match &self.access {
            Access::ReadWrite => Ok(()),
            Access::ReadOnly(why) => Err(Error::Store(why.clone())),
        }
    }

    /// Fascicoli not in the bin.
    pub fn count(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM fascicoli WHERE deleted_at IS NULL", [], |r| r.get(0))?)
    }

    /// Backups of this archive (automatic and kept by restores), newest first.
    pub fn backups(&self) -> Vec<BackupInfo> {
        list_backups(&self.path)
    }

    /// Today's automatic backup, made now (once a day, only of a non-empty intact archive), keeping
    /// the last `KEEP_DAILY_BACKUPS`. Returns the new file, if one was made.
    pub fn auto_backup(&mut self) -> Result<Option<PathBuf>> {
        if let Some(r) = self.wait_backup() {
            return r;
        }
        daily_backup(&self.path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The default database location: the OS data directory.
    pub fn default_path() -> PathBuf {
        directories::ProjectDirs::from("it", "PianoDiZona", "PianoDiZona")
            .map(|d| d.data_dir().join("pianozona.sqlite"))
            .unwrap_or_else(|| PathBuf::from("pianozona.sqlite"))
    }

    // ------------------------------------------------------------ profile

    pub fn profile(&self) -> Result<Option<OfficeProfile>> {
        let json: Option<String> =
            self.conn.query_row("SELECT json FROM profile WHERE id = 1", [], |r| r.get(0)).optional()?;
        json.map(|j| {
            serde_json::from_str(&j).map_err(|_| {
                Error::Store("profilo dell'ufficio illeggibile: l'archivio potrebbe essere danneggiato.".into())
            })
        })
        .transpose()
    }

    pub fn save_profile(&mut self, p: &OfficeProfile) -> Result<()> {
        self.writable()?;
        let json =
            serde_json::to_string(p).map_err(|_| Error::Store("profilo dell'ufficio non registrabile.".into()))?;
        self.conn.execute(
            "INSERT INTO profile (id, json, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
            params![json, now()],
        )?;
        Ok(())
    }

    // ------------------------------------------------------------ fascicoli

    /// Creates a fascicolo and its first revision; returns its id.
    pub fn create(&mut self, f: &Fascicolo, message: &str) -> Result<i64> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let ts = now();
        tx.execute(
            "INSERT INTO fascicoli (title, family, variant, created_at, updated_at, head_rev) VALUES (?1, ?2, ?3, ?4, ?4, 0)",
            params![f.title, f.family, f.variant, ts],
        )?;
        let id = tx.last_insert_rowid();
        write_revision(&tx, id, 0, &BTreeMap::new(), &flatten(f)?, message, &ts)?;
        tx.commit()?;
        Ok(id)
    }

    /// Saves the fascicolo as a new revision holding only the changed fields. Returns the head
    /// revision (unchanged when nothing changed).
    pub fn save(&mut self, id: i64, f: &Fascicolo, message: &str) -> Result<i64> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let head: i64 = tx
            .query_row("SELECT head_rev FROM fascicoli WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("fascicolo {id}")))?;
        // Compared per key: the head value of each key being written (a primary-key seek) and the
        // keys that are gone; never the fascicolo's history, whatever its length or the archive's.
        let next = flatten(f)?;
        let mut current = BTreeMap::new();
        for k in next.keys() {
            if let Some(v) = head_value(&tx, id, k)? {
                current.insert(k.clone(), v);
            }
        }
        for k in head_keys(&tx, id)? {
            if !next.contains_key(&k) {
                // Gone from the fascicolo: `write_revision` writes its removal.
                current.insert(k, String::new());
            }
        }
        if current == next {
            return Ok(head);
        }
        let ts = now();
        let rev = write_revision(&tx, id, head, &current, &next, message, &ts)?;
        tx.execute(
            "UPDATE fascicoli SET title = ?2, family = ?3, variant = ?4, updated_at = ?5 WHERE id = ?1",
            params![id, f.title, f.family, f.variant, ts],
        )?;
        tx.commit()?;
        Ok(rev)
    }

    /// Saves one section of one document as a new revision (the app's autosave path): only that
    /// value is written. Returns the new head revision (unchanged when the value is the same).
    pub fn save_field(
        &mut self,
        id: i64,
        doc_id: &str,
        section: &str,
        value: &crate::model::FieldValue,
        message: &str,
    ) -> Result<i64> {
        self.writable()?;
        let key = format!("doc/{doc_id}/field/{section}");
        let json = serde_json::to_string(value).map_err(|_| Error::Store("valore non registrabile.".into()))?;
        let tx = self.conn.transaction()?;
        let head: i64 = tx
            .prepare_cached("SELECT head_rev FROM fascicoli WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("fascicolo {id}")))?;
        let exists: bool = tx
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM field_versions WHERE fascicolo_id = ?1 AND key = ?2)")?
            .query_row(params![id, format!("doc/{doc_id}")], |r| r.get(0))?;
        if !exists {
            return Err(Error::NotFound(format!("documento «{doc_id}» nel fascicolo {id}")));
        }
        commit_key(tx, id, head, key, Some(json), message)
    }

    /// Saves the parts of one chapter of the plan as a new revision (the app's autosave path for a
    /// chapter): only that chapter is written. Returns the new head revision (unchanged when the
    /// parts are the same).
    pub fn save_chapter(
        &mut self,
        id: i64,
        chapter_id: &str,
        parts: &[crate::model::Part],
        message: &str,
    ) -> Result<i64> {
        self.writable()?;
        let key = format!("plan/{chapter_id}");
        let json = serde_json::to_string(parts).map_err(|_| Error::Store("capitolo non registrabile.".into()))?;
        let tx = self.conn.transaction()?;
        let head: i64 = tx
            .query_row("SELECT head_rev FROM fascicoli WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("fascicolo {id}")))?;
        let head_json: Option<String> = tx
            .query_row(
                "SELECT json FROM field_versions WHERE fascicolo_id = ?1 AND key = 'fascicolo' ORDER BY rev DESC LIMIT 1",
                params![id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let has_chapter = head_json
            .and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok())
            .and_then(|v| v.get("plan").cloned())
            .and_then(|p| serde_json::from_value::<crate::model::Plan>(p).ok())
            .is_some_and(|p| p.chapter(chapter_id).is_some());
        if !has_chapter {
            return Err(Error::NotFound(format!("capitolo «{chapter_id}» nel fascicolo {id}")));
        }
        commit_key(tx, id, head, key, (!parts.is_empty()).then_some(json), message)
    }

    /// What the head revision holds, by key only (values are neither read nor parsed; the app's
    /// autosave asks this on every save): the stored documents and their (document, section) pairs.
    pub fn stored_fields(&self, id: i64) -> Result<StoredFields> {
        self.head(id)?;
        let mut out = StoredFields::default();
        for k in head_keys(&self.conn, id)? {
            let Some(rest) = k.strip_prefix("doc/") else { continue };
            if let Some((doc, field)) = rest.split_once("/field/") {
                out.fields.insert((doc.to_string(), field.to_string()));
            } else if !rest.ends_with("/activities") {
                out.documents.insert(rest.to_string());
            }
        }
        Ok(out)
    }

    /// The fascicolo at its head revision.
    pub fn load(&self, id: i64) -> Result<Fascicolo> {
        let head = self.head(id)?;
        self.load_at(id, head)
    }

    pub fn load_at(&self, id: i64, rev: i64) -> Result<Fascicolo> {
        let head = self.head(id)?;
        if rev < 1 || rev > head {
            return Err(Error::NotFound(format!("revisione {rev} del fascicolo {id} (revisioni 1–{head})")));
        }
        unflatten(&load_map(&self.conn, id, rev)?)
    }

    pub fn head(&self, id: i64) -> Result<i64> {
        self.conn
            .query_row("SELECT head_rev FROM fascicoli WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("fascicolo {id}")))
    }

    pub fn list(&self, include_deleted: bool) -> Result<Vec<FascicoloSummary>> {
        let mut st = self.conn.prepare(
            "SELECT id, title, family, variant, created_at, updated_at, head_rev, deleted_at IS NOT NULL
             FROM fascicoli WHERE (?1 OR deleted_at IS NULL) ORDER BY updated_at DESC, id DESC",
        )?;
        let rows = st.query_map([include_deleted], |r| {
            Ok(FascicoloSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                family: r.get(2)?,
                variant: r.get(3)?,
                created_at: r.get(4)?,
                updated_at: r.get(5)?,
                head_rev: r.get(6)?,
                deleted: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Form ids of the documents at the head revision, read from the document headers only (no
    /// field is loaded): what the list needs to count schede without loading every fascicolo.
    pub fn document_forms(&self, id: i64) -> Result<Vec<String>> {
        let head = self.head(id)?;
        let mut st = self.conn.prepare_cached(
            "SELECT v.json FROM field_versions v
             WHERE v.fascicolo_id = ?1 AND v.key LIKE 'doc/%' AND instr(substr(v.key, 5), '/') = 0
               AND v.json IS NOT NULL AND v.rev = (SELECT MAX(w.rev) FROM field_versions w
                   WHERE w.fascicolo_id = ?1 AND w.key = v.key AND w.rev <= ?2)",
        )?;
        let rows = st.query_map(params![id, head], |r| r.get::<_, String>(0))?;
        let mut forms = Vec::new();
        for j in rows {
            let j = j?;
            let v: serde_json::Value =
                serde_json::from_str(&j).map_err(|e| Error::Store(format!("documento illeggibile: {e}")))?;
            forms.push(v.get("form").and_then(|f| f.as_str()).unwrap_or_default().to_string());
        }
        Ok(forms)
    }

    /// Moves a fascicolo to the bin (restorable with `undelete`).
    pub fn delete(&mut self, id: i64) -> Result<()> {
        self.writable()?;
        let n = self.conn.execute("UPDATE fascicoli SET deleted_at = ?2 WHERE id = ?1", params![id, now()])?;
        if n == 0 {
            return Err(Error::NotFound(format!("fascicolo {id}")));
        }
        Ok(())
    }

    pub fn undelete(&mut self, id: i64) -> Result<()> {
        self.writable()?;
        let n = self.conn.execute("UPDATE fascicoli SET deleted_at = NULL WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound(format!("fascicolo {id}")));
        }
        Ok(())
    }

    /// Copies a fascicolo (head revision) into a new one titled "{title} (copia)".
    pub fn duplicate(&mut self, id: i64) -> Result<i64> {
        let mut f = self.load(id)?;
        f.title = format!("{} (copia)", f.title);
        self.create(&f, &format!("Copia del fascicolo {id}"))
    }

    // ------------------------------------------------------------ revisions

    pub fn history(&self, id: i64) -> Result<Vec<Revision>> {
        self.head(id)?;
        let mut st = self.conn.prepare(
            "SELECT r.rev, r.created_at, r.message, (SELECT COUNT(*) FROM field_versions v WHERE v.fascicolo_id = r.fascicolo_id AND v.rev = r.rev)
             FROM revisions r WHERE r.fascicolo_id = ?1 ORDER BY r.rev",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(Revision { rev: r.get(0)?, created_at: r.get(1)?, message: r.get(2)?, changed: r.get(3)? })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The keys each revision wrote, oldest revision first (what a history entry is named after),
    /// and whether the key holds a value after it (false = removed).
    pub fn revision_keys(&self, id: i64) -> Result<Vec<(i64, String, bool)>> {
        self.head(id)?;
        let mut st = self.conn.prepare(
            "SELECT rev, key, json IS NOT NULL FROM field_versions WHERE fascicolo_id = ?1 ORDER BY rev, key",
        )?;
        let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Per-field differences from revision `a` to revision `b`.
    pub fn diff(&self, id: i64, a: i64, b: i64) -> Result<Vec<FieldChange>> {
        let head = self.head(id)?;
        for r in [a, b] {
            if r < 1 || r > head {
                return Err(Error::NotFound(format!("revisione {r} del fascicolo {id} (revisioni 1–{head})")));
            }
        }
        let ma = load_map(&self.conn, id, a)?;
        let mb = load_map(&self.conn, id, b)?;
        let keys: std::collections::BTreeSet<&String> = ma.keys().chain(mb.keys()).collect();
        Ok(keys
            .into_iter()
            .filter(|k| ma.get(*k) != mb.get(*k))
            .map(|k| FieldChange {
                key: k.clone(),
                label: describe_key(k),
                before: ma.get(k).map(|j| flatten::readable(j)),
                after: mb.get(k).map(|j| flatten::readable(j)),
            })
            .collect())
    }

    /// Makes revision `rev` the content of a new head revision; nothing is lost.
    pub fn restore(&mut self, id: i64, rev: i64) -> Result<i64> {
        let f = self.load_at(id, rev)?;
        self.save(id, &f, &format!("Ripristino della revisione {rev}"))
    }

    // ------------------------------------------------------------ search

    /// Full-text search over every text of the head revisions (deleted fascicoli excluded), most
    /// recently edited first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(fts) = fts_query(query) else { return Ok(vec![]) };
        // Most recently written text first: FTS5 walks the doclist backwards and stops at the
        // limit, so common words cost the same as rare ones (no bm25 over every match).
        let mut st = self.conn.prepare_cached(
            "SELECT s.fascicolo_id, f.title, s.key, snippet(search, 2, '[', ']', '…', 12)
             FROM search s JOIN fascicoli f ON f.id = s.fascicolo_id
             WHERE search MATCH ?1 AND f.deleted_at IS NULL ORDER BY s.rowid DESC LIMIT ?2",
        )?;
        let rows = st.query_map(params![fts, limit as i64], search_hit)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Full-text search inside one fascicolo (its head revision), in the order of its keys.
    pub fn search_in(&self, id: i64, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        self.head(id)?;
        let Some(fts) = fts_query(query) else { return Ok(vec![]) };
        let mut st = self.conn.prepare_cached(
            "SELECT s.fascicolo_id, f.title, s.key, snippet(search, 2, '[', ']', '…', 12)
             FROM search s JOIN fascicoli f ON f.id = s.fascicolo_id
             WHERE search MATCH ?1 AND s.fascicolo_id = ?2 ORDER BY s.rowid LIMIT ?3",
        )?;
        let rows = st.query_map(params![fts, id, limit as i64], search_hit)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    // ------------------------------------------------------------ backup

    /// Online backup to a file (consistent even while the app writes), after a quick check: a
    /// damaged archive is not copied over a good backup. The file appears whole or not at all.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if check_intact(&self.conn, false).is_err() {
            return Err(Error::Store(format!(
                "l'archivio «{}» è danneggiato: la copia di sicurezza non è stata fatta, per non sostituire una copia buona con una danneggiata.",
                self.path.display()
            )));
        }
        self.backup_into(dest)
    }

    /// Online backup into a temporary sibling of `dest`, fsync, rename, fsync of the folder.
    fn backup_into(&self, dest: &Path) -> Result<()> {
        backup_conn_into(&self.conn, &self.path, dest)
    }

    /// Replaces the whole archive with a backup, after checking that the backup is an intact
    /// archive of ours. The replaced archive is first kept in the backups folder.
    pub fn restore_from(&mut self, src: &Path) -> Result<RestoreReport> {
        let _ = self.wait_backup();
        if same_file(src, &self.path) {
            return Err(Error::Store("la copia scelta è l'archivio stesso: nulla da ripristinare.".into()));
        }
        let restored_fascicoli = inspect_archive(src, true)?;
        let previous_fascicoli = self.count().ok();
        let dir = backup_dir(&self.path);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
        let kept_copy = dir.join(format!("{}-prima-del-ripristino-{stamp}.sqlite", stem(&self.path)));
        match &self.access {
            Access::ReadWrite => self.backup_into(&kept_copy)?,
            Access::ReadOnly(_) => {
                // Damaged or write-protected: keep the raw files (the WAL beside it keeps its meaning).
                let bytes = std::fs::read(&self.path).map_err(|e| Error::io(&self.path, e))?;
                crate::durable::write_file(&kept_copy, &bytes).map_err(|e| Error::Other(e.to_string()))?;
                if let Ok(w) = std::fs::read(wal_path(&self.path)) {
                    crate::durable::write_file(&wal_path(&kept_copy), &w).map_err(|e| Error::Other(e.to_string()))?;
                }
            }
        }
        if let Access::ReadOnly(_) = self.access {
            let conn = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            self.conn = conn;
        }
        let restored = self.conn.restore(rusqlite::DatabaseName::Main, src, None::<fn(rusqlite::backup::Progress)>);
        if restored.is_err() && self.access != Access::ReadWrite {
            // The damaged file cannot take the copy page by page: replace the file itself.
            let bytes = std::fs::read(src).map_err(|e| Error::io(src, e))?;
            self.conn = Connection::open_in_memory()?;
            let _ = std::fs::remove_file(wal_path(&self.path));
            let _ = std::fs::remove_file(shm_path(&self.path));
            crate::durable::write_file(&self.path, &bytes).map_err(|e| Error::Other(e.to_string()))?;
            self.conn = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        } else if let Err(e) = restored {
            return Err(Error::Store(format!(
                "ripristino da «{}» non riuscito: {}",
                src.display(),
                crate::error::sqlite_text(&e)
            )));
        }
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.access = Access::ReadWrite;
        self.damaged = false;
        schema::migrate(&mut self.conn, &self.path)?;
        rebuild_search_if_needed(&mut self.conn)?;
        Ok(RestoreReport { restored_fascicoli, previous_fascicoli, kept_copy })
    }

    /// `PRAGMA integrity_check` result ("ok" when intact).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Direct access for benchmarks and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Replaces the archive file at `db`, which cannot be opened (damaged, or its first page
/// destroyed), with the backup `src`, after checking that the backup is an intact archive of ours.
/// The unreadable file (and its WAL) is moved into the backups folder, not deleted. Another
/// program's file or a newer archive is never replaced. Used when there is no open `Store` to
/// call `restore_from` on.
pub fn replace_with_backup(db: &Path, src: &Path) -> Result<RestoreReport> {
    match condition(db)? {
        Condition::Foreign | Condition::Newer => {
            return Err(Error::Store(format!(
                "«{}» non è un archivio danneggiato di Piano di Zona Desktop: non viene sostituito. Scegliere un altro archivio.",
                db.display()
            )))
        }
        Condition::Missing | Condition::Ours | Condition::Damaged => {}
    }
    if same_file(src, db) {
        return Err(Error::Store("la copia scelta è l'archivio stesso: nulla da ripristinare.".into()));
    }
    let restored_fascicoli = inspect_archive(src, true)?;
    let dir = backup_dir(db);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let kept_copy = dir.join(format!("{}-prima-del-ripristino-{stamp}.sqlite", stem(db)));
    let folder = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // Copy the backup beside the archive first: until the last rename the old file stays in place.
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = folder.join(format!(".{name}.{}.ripristino.tmp", std::process::id()));
    let copied = (|| -> std::io::Result<()> {
        std::fs::copy(src, &tmp)?;
        std::fs::File::open(&tmp)?.sync_all()
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(db, e));
    }
    let moved = (|| -> std::io::Result<()> {
        if db.exists() {
            std::fs::rename(db, &kept_copy)?;
        }
        if wal_path(db).exists() {
            std::fs::rename(wal_path(db), wal_path(&kept_copy))?;
        }
        let _ = std::fs::remove_file(shm_path(db));
        let _ = std::fs::remove_file(clean_close_path(db));
        crate::durable::sync_dir(&dir)?;
        std::fs::rename(&tmp, db)?;
        crate::durable::sync_dir(folder)
    })();
    if let Err(e) = moved {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(db, e));
    }
    Ok(RestoreReport { restored_fascicoli, previous_fascicoli: None, kept_copy })
}

impl Drop for Store {
    /// A clean close: the day's backup is waited for, the connection closed (SQLite checkpoints and
    /// removes the WAL), and the archive's fingerprint written beside it so the next open can skip
    /// the quick check. Nothing is marked when another connection still holds the archive.
    fn drop(&mut self) {
        let _ = self.wait_backup();
        if self.access != Access::ReadWrite {
            return;
        }
        let Ok(placeholder) = Connection::open_in_memory() else { return };
        let conn = std::mem::replace(&mut self.conn, placeholder);
        if conn.close().is_err() || wal_path(&self.path).exists() {
            return;
        }
        if let Some(f) = fingerprint(&self.path) {
            let _ = crate::durable::write_file(&clean_close_path(&self.path), f.as_bytes());
        }
    }
}

/// One row of the search queries: (fascicolo id, title, key, snippet).
fn search_hit(r: &rusqlite::Row) -> rusqlite::Result<SearchHit> {
    let key: String = r.get(2)?;
    Ok(SearchHit {
        fascicolo_id: r.get(0)?,
        fascicolo_title: r.get(1)?,
        label: describe_key(&key),
        key,
        snippet: r.get(3)?,
    })
}

/// The mark a clean close leaves beside the archive ("{archive}-chiuso").
fn clean_close_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-chiuso");
    PathBuf::from(s)
}

/// Size, modification time and the 100-byte SQLite header of the archive.
fn fingerprint(db: &Path) -> Option<String> {
    use std::io::Read;
    let m = std::fs::metadata(db).ok()?;
    let mtime = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let mut head = [0u8; 100];
    std::fs::File::open(db).ok()?.read_exact(&mut head).ok()?;
    let hex = hex::encode(head);
    Some(format!("{} {} {hex}\n", m.len(), mtime.as_nanos()))
}

/// True when the archive is exactly as our last clean close left it: the mark matches its size,
/// time and header, and there is no WAL content (a crash after writing leaves some).
fn closed_cleanly(db: &Path) -> bool {
    let wal_empty = match std::fs::metadata(wal_path(db)) {
        Ok(m) => m.len() == 0,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    };
    wal_empty
        && std::fs::read_to_string(clean_close_path(db))
            .ok()
            .zip(fingerprint(db))
            .is_some_and(|(saved, now)| saved == now)
}

fn daily_backup_path(db: &Path) -> PathBuf {
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    backup_dir(db).join(format!("{}-{today}.sqlite", stem(db)))
}

/// Today's backup of the archive at `db` on a connection of its own (read-only, so the user's
/// writes go on), after a quick check; then rotation, keeping the last `KEEP_DAILY_BACKUPS`.
fn daily_backup(db: &Path) -> Result<Option<PathBuf>> {
    let dest = daily_backup_path(db);
    if dest.exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM fascicoli WHERE deleted_at IS NULL", [], |r| r.get(0))?;
    if count == 0 {
        return Ok(None);
    }
    if check_intact(&conn, false).is_err() {
        return Err(Error::Store(format!(
            "l'archivio «{}» è danneggiato: la copia di sicurezza automatica non è stata fatta, per non sostituire una copia buona con una danneggiata.",
            db.display()
        )));
    }
    let dir = backup_dir(db);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    backup_conn_into(&conn, db, &dest)?;
    let stem = stem(db);
    // Rotation: daily copies are named {stem}-YYYY-MM-DD.sqlite, so the name orders them.
    let is_daily = |n: &str| {
        n.strip_prefix(&format!("{stem}-"))
            .and_then(|r| r.strip_suffix(".sqlite"))
            .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
    };
    // Temporary copies left by a backup that was killed (an hour old at least: not a running one).
    let stale = |n: &str, p: &Path| {
        n.starts_with(&format!(".{stem}-"))
            && (n.ends_with(".tmp") || n.ends_with(".tmp-journal"))
            && std::fs::metadata(p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600)
    };
    let mut daily: Vec<PathBuf> = Vec::new();
    for e in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?.filter_map(|e| e.ok()) {
        let (p, n) = (e.path(), e.file_name().to_string_lossy().into_owned());
        if is_daily(&n) {
            daily.push(p);
        } else if stale(&n, &p) {
            let _ = std::fs::remove_file(&p);
        }
    }
    daily.sort();
    daily.reverse();
    for old in daily.iter().skip(KEEP_DAILY_BACKUPS) {
        let _ = std::fs::remove_file(old);
    }
    Ok(Some(dest))
}

/// Online backup of `conn` (the archive at `src`) into a temporary sibling of `dest`, fsync,
/// rename, fsync of the folder. All pages are copied in one step, inside one read transaction: a
/// copy taken on its own connection is not restarted by the user's saves.
fn backup_conn_into(conn: &Connection, src: &Path, dest: &Path) -> Result<()> {
    let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::Other(crate::durable::WriteError::NoFolder(dir.to_path_buf()).to_string()));
    }
    if dest.is_dir() {
        return Err(Error::Other(crate::durable::WriteError::IsDir(dest.to_path_buf()).to_string()));
    }
    if same_file(dest, src) {
        return Err(Error::Store("la copia di sicurezza non può sostituire l'archivio stesso.".into()));
    }
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let res = (|| -> Result<()> {
        {
            let mut out = Connection::open(&tmp)?;
            let b = rusqlite::backup::Backup::new(conn, &mut out)?;
            if b.step(-1)? != rusqlite::backup::StepResult::Done {
                return Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    None,
                )));
            }
        }
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| Error::io(dest, e))?;
        std::fs::rename(&tmp, dest).map_err(|e| Error::io(dest, e))?;
        crate::durable::sync_dir(dir).map_err(|e| Error::io(dir, e))
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        let mut j = tmp.as_os_str().to_owned();
        j.push("-journal");
        let _ = std::fs::remove_file(PathBuf::from(j));
        return Err(match e {
            Error::Sqlite(e) => Error::Store(format!(
                "copia di sicurezza su «{}» non riuscita: {}",
                dest.display(),
                crate::error::sqlite_text(&e)
            )),
            e => e,
        });
    }
    Ok(())
}

/// Refills the search index from the head revisions when a migration asked for it.
fn rebuild_search_if_needed(conn: &mut Connection) -> Result<()> {
    let pending: bool =
        conn.query_row("SELECT EXISTS(SELECT 1 FROM meta WHERE name = 'search_rebuild')", [], |r| r.get(0))?;
    if !pending {
        return Ok(());
    }
    let tx = conn.transaction()?;
    tx.execute_batch("DELETE FROM search; DELETE FROM search_keys;")?;
    let heads: Vec<(i64, i64)> = {
        let mut st = tx.prepare("SELECT id, head_rev FROM fascicoli")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    for (id, head) in heads {
        let map = load_map(&tx, id, head)?;
        let mut ix = Indexer::new(&tx)?;
        for (k, v) in &map {
            ix.set(id, k, &flatten::search_text(k, v))?;
        }
    }
    tx.execute("DELETE FROM meta WHERE name = 'search_rebuild'", [])?;
    tx.commit()?;
    Ok(())
}

/// Search index maintenance by rowid: `search_keys` maps (fascicolo, key) to the FTS row, so
/// replacing a key's text touches one row whatever the size of the archive.
struct Indexer<'a> {
    find: rusqlite::CachedStatement<'a>,
    del_key: rusqlite::CachedStatement<'a>,
    del_fts: rusqlite::CachedStatement<'a>,
    ins_key: rusqlite::CachedStatement<'a>,
    ins_fts: rusqlite::CachedStatement<'a>,
}

impl<'a> Indexer<'a> {
    fn new(conn: &'a Connection) -> Result<Self> {
        Ok(Indexer {
            find: conn.prepare_cached("SELECT id FROM search_keys WHERE fascicolo_id = ?1 AND key = ?2")?,
            del_key: conn.prepare_cached("DELETE FROM search_keys WHERE id = ?1")?,
            del_fts: conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?,
            ins_key: conn.prepare_cached("INSERT INTO search_keys (fascicolo_id, key) VALUES (?1, ?2) RETURNING id")?,
            ins_fts: conn
                .prepare_cached("INSERT INTO search (rowid, fascicolo_id, key, text) VALUES (?1, ?2, ?3, ?4)")?,
        })
    }

    /// Replaces the indexed text of (id, key); empty text removes it.
    fn set(&mut self, id: i64, key: &str, text: &str) -> Result<()> {
        if let Some(row) = self.find.query_row(params![id, key], |r| r.get::<_, i64>(0)).optional()? {
            self.del_fts.execute([row])?;
            self.del_key.execute([row])?;
        }
        if !text.is_empty() {
            let row: i64 = self.ins_key.query_row(params![id, key], |r| r.get(0))?;
            self.ins_fts.execute(params![row, id, key, text])?;
        }
        Ok(())
    }
}

/// Keys that hold a value at the head of a fascicolo, one primary-key seek per key (a skip scan
/// over (fascicolo_id, key, rev)): the cost follows the number of keys, not of revisions.
fn head_keys(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "WITH RECURSIVE k(key) AS (
            SELECT (SELECT MIN(key) FROM field_versions WHERE fascicolo_id = ?1)
            UNION ALL
            SELECT (SELECT MIN(key) FROM field_versions WHERE fascicolo_id = ?1 AND key > k.key)
            FROM k WHERE k.key IS NOT NULL)
         SELECT key FROM k WHERE key IS NOT NULL AND (
            SELECT json IS NOT NULL FROM field_versions
            WHERE fascicolo_id = ?1 AND key = k.key ORDER BY rev DESC LIMIT 1)",
    )?;
    let rows = st.query_map([id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The head value of one key of a fascicolo (None when absent or removed): one seek.
fn head_value(conn: &Connection, id: i64, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT json FROM field_versions WHERE fascicolo_id = ?1 AND key = ?2 ORDER BY rev DESC LIMIT 1",
        )?
        .query_row(params![id, key], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// Field map (key → JSON) of a fascicolo at a revision.
fn load_map(conn: &Connection, id: i64, rev: i64) -> Result<BTreeMap<String, String>> {
    let mut st = conn.prepare_cached(
        "SELECT v.key, v.json FROM field_versions v
         WHERE v.fascicolo_id = ?1 AND v.rev = (
            SELECT MAX(w.rev) FROM field_versions w WHERE w.fascicolo_id = ?1 AND w.key = v.key AND w.rev <= ?2)",
    )?;
    let rows = st.query_map(params![id, rev], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
    let mut map = BTreeMap::new();
    for row in rows {
        let (k, j) = row?;
        if let Some(j) = j {
            map.insert(k, j);
        }
    }
    Ok(map)
}

/// Writes one key of a fascicolo as a new revision on top of `head` (`None` removes it) and commits;
/// returns `head` unchanged when the stored value is already the same.
fn commit_key(
    tx: rusqlite::Transaction<'_>,
    id: i64,
    head: i64,
    key: String,
    json: Option<String>,
    message: &str,
) -> Result<i64> {
    let current: Option<String> = tx
        .prepare_cached(
            "SELECT json FROM field_versions WHERE fascicolo_id = ?1 AND key = ?2 ORDER BY rev DESC LIMIT 1",
        )?
        .query_row(params![id, key], |r| r.get(0))
        .optional()?
        .flatten();
    if current == json {
        return Ok(head);
    }
    let cur: BTreeMap<String, String> = current.map(|c| (key.clone(), c)).into_iter().collect();
    let next: BTreeMap<String, String> = json.map(|j| (key, j)).into_iter().collect();
    let ts = now();
    let rev = write_revision(&tx, id, head, &cur, &next, message, &ts)?;
    tx.prepare_cached("UPDATE fascicoli SET updated_at = ?2 WHERE id = ?1")?.execute(params![id, ts])?;
    tx.commit()?;
    Ok(rev)
}

/// Writes the changed keys as revision head+1 and refreshes the search index for them.
fn write_revision(
    tx: &rusqlite::Transaction,
    id: i64,
    head: i64,
    current: &BTreeMap<String, String>,
    next: &BTreeMap<String, String>,
    message: &str,
    ts: &str,
) -> Result<i64> {
    let rev = head + 1;
    tx.prepare_cached("INSERT INTO revisions (fascicolo_id, rev, created_at, message) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, rev, ts, message])?;
    let mut ins =
        tx.prepare_cached("INSERT INTO field_versions (fascicolo_id, rev, key, json) VALUES (?1, ?2, ?3, ?4)")?;
    let mut ix = Indexer::new(tx)?;
    for (k, v) in next {
        if current.get(k) != Some(v) {
            ins.execute(params![id, rev, k, v])?;
            ix.set(id, k, &flatten::search_text(k, v))?;
        }
    }
    for k in current.keys().filter(|k| !next.contains_key(*k)) {
        // Full saves pass the whole map: a key that disappeared was deleted.
        ins.execute(params![id, rev, k, Option::<String>::None])?;
        ix.set(id, k, "")?;
    }
    tx.prepare_cached("UPDATE fascicoli SET head_rev = ?2 WHERE id = ?1")?.execute(params![id, rev])?;
    Ok(rev)
}

/// Turns what a user types into a safe FTS5 query: every word quoted, the last one as a prefix.
fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut s = words.join(" ");
    s.push('*');
    Some(s)
}
