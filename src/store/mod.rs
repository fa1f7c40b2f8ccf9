//! SQLite storage: office profile, fascicoli, a revision per save (stored per field, so a save
//! writes only what changed), per-field diff and restore, FTS5 search, online backup and restore.
//!
//! Durability: WAL with `synchronous = FULL`; a save is one transaction, acknowledged only after
//! COMMIT, so a crash (even `kill -9`) loses nothing acknowledged and leaves an intact database.

mod flatten;
mod schema;

use crate::error::{Error, Result};
use crate::model::{Fascicolo, OfficeProfile};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use flatten::{describe_key, flatten, unflatten};

/// An open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
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

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
            .map_err(|e| corrupt(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Refuse a newer or foreign file before anything writes to it (WAL changes the header).
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| corrupt(path, e))?;
        schema::check_version_number(version, path)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| corrupt(path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn, path: path.to_path_buf() };
        schema::migrate(&mut store.conn, path)?;
        Ok(store)
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
        json.map(|j| serde_json::from_str(&j).map_err(|e| Error::Store(format!("profilo illeggibile: {e}"))))
            .transpose()
    }

    pub fn save_profile(&mut self, p: &OfficeProfile) -> Result<()> {
        let json = serde_json::to_string(p).map_err(|e| Error::Store(e.to_string()))?;
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
        let tx = self.conn.transaction()?;
        let head: i64 = tx
            .query_row("SELECT head_rev FROM fascicoli WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("fascicolo {id}")))?;
        let current = load_map(&tx, id, head)?;
        let next = flatten(f)?;
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
        let key = format!("doc/{doc_id}/field/{section}");
        let json = serde_json::to_string(value).map_err(|e| Error::Store(e.to_string()))?;
        let tx = self.conn.transaction()?;
        let head: i64 = tx
            .query_row("SELECT head_rev FROM fascicoli WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("fascicolo {id}")))?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM field_versions WHERE fascicolo_id = ?1 AND key = ?2)",
            params![id, format!("doc/{doc_id}")],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(Error::NotFound(format!("documento «{doc_id}» nel fascicolo {id}")));
        }
        let current: Option<String> = tx
            .query_row(
                "SELECT json FROM field_versions WHERE fascicolo_id = ?1 AND key = ?2 ORDER BY rev DESC LIMIT 1",
                params![id, key],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if current.as_deref() == Some(json.as_str()) {
            return Ok(head);
        }
        let cur: BTreeMap<String, String> = current.map(|c| (key.clone(), c)).into_iter().collect();
        let next: BTreeMap<String, String> = [(key, json)].into_iter().collect();
        let ts = now();
        let rev = write_revision(&tx, id, head, &cur, &next, message, &ts)?;
        tx.execute("UPDATE fascicoli SET updated_at = ?2 WHERE id = ?1", params![id, ts])?;
        tx.commit()?;
        Ok(rev)
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
        let n = self.conn.execute("UPDATE fascicoli SET deleted_at = ?2 WHERE id = ?1", params![id, now()])?;
        if n == 0 {
            return Err(Error::NotFound(format!("fascicolo {id}")));
        }
        Ok(())
    }

    pub fn undelete(&mut self, id: i64) -> Result<()> {
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
        let rows = st.query_map(params![fts, limit as i64], |r| {
            let key: String = r.get(2)?;
            Ok(SearchHit {
                fascicolo_id: r.get(0)?,
                fascicolo_title: r.get(1)?,
                label: describe_key(&key),
                key,
                snippet: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    // ------------------------------------------------------------ backup

    /// Online backup to a file (consistent even while the app writes).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            std::fs::remove_file(dest).map_err(|e| Error::io(dest, e))?;
        }
        self.conn
            .backup(rusqlite::DatabaseName::Main, dest, None)
            .map_err(|e| Error::Store(format!("copia di sicurezza su «{}» non riuscita: {e}", dest.display())))
    }

    /// Replaces the whole database with a backup file, after checking that the file is intact.
    pub fn restore_from(&mut self, src: &Path) -> Result<()> {
        {
            let probe =
                Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| corrupt(src, e))?;
            let ok: String =
                probe.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| corrupt(src, e))?;
            if ok != "ok" {
                return Err(Error::Store(format!("la copia «{}» è danneggiata: {ok}", src.display())));
            }
            schema::check_version(&probe, src)?;
        }
        self.conn
            .restore(rusqlite::DatabaseName::Main, src, None::<fn(rusqlite::backup::Progress)>)
            .map_err(|e| Error::Store(format!("ripristino da «{}» non riuscito: {e}", src.display())))?;
        schema::migrate(&mut self.conn, &self.path)?;
        Ok(())
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

fn corrupt(path: &Path, e: rusqlite::Error) -> Error {
    let msg = e.to_string();
    if msg.contains("not a database") || msg.contains("malformed") {
        Error::Store(format!(
            "il file «{}» non è un archivio di Piano di Zona Desktop oppure è danneggiato; non è stato modificato. Ripristinare una copia di sicurezza.",
            path.display()
        ))
    } else {
        Error::Store(format!("impossibile aprire «{}»: {msg}", path.display()))
    }
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
    tx.execute(
        "INSERT INTO revisions (fascicolo_id, rev, created_at, message) VALUES (?1, ?2, ?3, ?4)",
        params![id, rev, ts, message],
    )?;
    let mut ins =
        tx.prepare_cached("INSERT INTO field_versions (fascicolo_id, rev, key, json) VALUES (?1, ?2, ?3, ?4)")?;
    let mut del_fts = tx.prepare_cached("DELETE FROM search WHERE fascicolo_id = ?1 AND key = ?2")?;
    let mut ins_fts = tx.prepare_cached("INSERT INTO search (fascicolo_id, key, text) VALUES (?1, ?2, ?3)")?;
    for (k, v) in next {
        if current.get(k) != Some(v) {
            ins.execute(params![id, rev, k, v])?;
            del_fts.execute(params![id, k])?;
            let text = flatten::search_text(k, v);
            if !text.is_empty() {
                ins_fts.execute(params![id, k, text])?;
            }
        }
    }
    for k in current.keys().filter(|k| !next.contains_key(*k)) {
        // Full saves pass the whole map: a key that disappeared was deleted.
        ins.execute(params![id, rev, k, Option::<String>::None])?;
        del_fts.execute(params![id, k])?;
    }
    tx.execute("UPDATE fascicoli SET head_rev = ?2 WHERE id = ?1", params![id, rev])?;
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
