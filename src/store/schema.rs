//! Schema migrations (rusqlite_migration; the version lives in `PRAGMA user_version`).

use crate::error::{Error, Result};
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use std::path::Path;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            "CREATE TABLE profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            json TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE fascicoli (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            family TEXT NOT NULL,
            variant TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            head_rev INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE revisions (
            fascicolo_id INTEGER NOT NULL REFERENCES fascicoli(id) ON DELETE CASCADE,
            rev INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (fascicolo_id, rev)
        ) WITHOUT ROWID;
        CREATE TABLE field_versions (
            fascicolo_id INTEGER NOT NULL,
            rev INTEGER NOT NULL,
            key TEXT NOT NULL,
            json TEXT,
            PRIMARY KEY (fascicolo_id, key, rev),
            FOREIGN KEY (fascicolo_id, rev) REFERENCES revisions(fascicolo_id, rev) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE INDEX field_versions_rev ON field_versions (fascicolo_id, rev);
        CREATE VIRTUAL TABLE search USING fts5 (
            fascicolo_id UNINDEXED, key UNINDEXED, text,
            tokenize = 'unicode61 remove_diacritics 2'
        );",
        ),
        // 2: our application id, and a search index addressed by rowid (search_keys maps
        // (fascicolo, key) to the rowid of its FTS row), so a save never scans the index.
        // The index is refilled from the head revisions by `rebuild_search_if_needed`.
        M::up(
            "PRAGMA application_id = 1348092977;
        DROP TABLE search;
        CREATE VIRTUAL TABLE search USING fts5 (
            fascicolo_id UNINDEXED, key UNINDEXED, text,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE search_keys (
            id INTEGER PRIMARY KEY,
            fascicolo_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            UNIQUE (fascicolo_id, key)
        );
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (name, value) VALUES ('search_rebuild', '1');",
        ),
    ])
}

/// `PRAGMA application_id` of our archives ("PZD1").
pub const APPLICATION_ID: i64 = 0x505A_4431;

/// Tables every archive of ours has (schema 1 and later).
pub const OUR_TABLES: &[&str] = &["profile", "fascicoli", "revisions", "field_versions", "search"];

/// Schema version this program writes (number of migrations).
pub const KNOWN_VERSION: i64 = 2;

/// Refuses a database written by a newer program (it would not understand its data).
pub fn check_version(conn: &Connection, path: &Path) -> Result<()> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| {
        Error::Store(format!("impossibile leggere «{}»: {}", path.display(), crate::error::sqlite_text(&e)))
    })?;
    check_version_number(v, path)
}

pub fn check_version_number(v: i64, path: &Path) -> Result<()> {
    if v > KNOWN_VERSION {
        return Err(Error::Store(format!(
            "l’archivio «{}» è stato creato da una versione più recente di Piano di Zona Desktop (schema {v}, questa versione gestisce fino allo schema {KNOWN_VERSION}): aggiornare il programma. L’archivio non è stato modificato.",
            path.display()
        )));
    }
    Ok(())
}

pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    check_version(conn, path)?;
    migrations().to_latest(conn).map_err(|e| {
        let detail = match &e {
            rusqlite_migration::Error::RusqliteError { err, .. } => crate::error::sqlite_text(err),
            _ => "schema non riconosciuto".into(),
        };
        Error::Store(format!("aggiornamento dello schema di «{}» non riuscito: {detail}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }
}
