//! Store on real SQLite files: revisions, per-field diff, restore, FTS search, backup/restore,
//! corrupted and newer-version databases.

use pianozona::model::*;
use pianozona::store::Store;
use std::collections::BTreeMap;

fn sample(title: &str, obiettivo: &str) -> Fascicolo {
    let mut fields = BTreeMap::new();
    fields.insert("titolo".to_string(), FieldValue::Text { text: "AGENZIA PER LA VITA INDIPENDENTE".into() });
    fields.insert("obiettivo".to_string(), FieldValue::Text { text: obiettivo.into() });
    Fascicolo {
        title: title.into(),
        family: "qp2021".into(),
        variant: "ambito".into(),
        date: chrono::NaiveDate::from_ymd_opt(2022, 2, 18),
        signer: LegalRep { name: "Mariagrazia Tripodo".into(), title: "Prof.ssa".into(), gender: Gender::F },
        documents: vec![
            Document { id: "lettera".into(), form: "lettera_1a".into(), ..Default::default() },
            Document {
                id: "scheda-1".into(),
                form: "scheda_1b".into(),
                number: Some(1),
                all_n: Some(11),
                activities: vec![Activity {
                    id: "a1".into(),
                    label: "Co-progettazione".into(),
                    in_budget: true,
                    ..Default::default()
                }],
                fields,
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

fn text(f: &Fascicolo, doc: &str, sec: &str) -> String {
    f.document(doc).map(|d| d.text(sec).to_string()).unwrap_or_default()
}

#[test]
fn revisions_diff_restore_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archivio.sqlite");
    let mut s = Store::open(&path).unwrap();
    let id = s.create(&sample("Quota premiale", "Prima stesura dell’obiettivo."), "creato").unwrap();
    let mut f = s.load(id).unwrap();
    f.document_mut("scheda-1")
        .unwrap()
        .fields
        .insert("obiettivo".into(), FieldValue::Text { text: "Seconda stesura.".into() });
    assert_eq!(s.save(id, &f, "modifica").unwrap(), 2);
    // Saving identical content makes no revision.
    assert_eq!(s.save(id, &f, "nulla").unwrap(), 2);
    let r3 = s
        .save_field(id, "scheda-1", "obiettivo", &FieldValue::Text { text: "Terza stesura.".into() }, "autosave")
        .unwrap();
    assert_eq!(r3, 3);
    drop(s);

    // Reopen from disk: everything is there.
    let mut s = Store::open(&path).unwrap();
    let hist = s.history(id).unwrap();
    assert_eq!(hist.iter().map(|r| r.rev).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(hist[2].changed, 1, "the autosave wrote one field only");
    assert_eq!(text(&s.load(id).unwrap(), "scheda-1", "obiettivo"), "Terza stesura.");
    assert_eq!(text(&s.load_at(id, 1).unwrap(), "scheda-1", "obiettivo"), "Prima stesura dell’obiettivo.");

    let d = s.diff(id, 1, 3).unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].key, "doc/scheda-1/field/obiettivo");
    assert_eq!(d[0].before.as_deref(), Some("Prima stesura dell’obiettivo."));
    assert_eq!(d[0].after.as_deref(), Some("Terza stesura."));

    let r4 = s.restore(id, 1).unwrap();
    assert_eq!(r4, 4);
    assert_eq!(text(&s.load(id).unwrap(), "scheda-1", "obiettivo"), "Prima stesura dell’obiettivo.");
    assert_eq!(s.load(id).unwrap(), s.load_at(id, 1).unwrap(), "restore gives back revision 1 exactly");
    assert!(s.load_at(id, 9).unwrap_err().to_string().contains("revisione 9"));
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn removed_documents_and_fields_are_versioned() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("a.sqlite")).unwrap();
    let id = s.create(&sample("F", "testo"), "").unwrap();
    let mut f = s.load(id).unwrap();
    f.documents.retain(|d| d.id != "scheda-1");
    s.save(id, &f, "scheda eliminata").unwrap();
    assert_eq!(s.load(id).unwrap().documents.len(), 1);
    assert_eq!(s.load_at(id, 1).unwrap().documents.len(), 2);
    assert!(s.search("testo", 10).unwrap().is_empty(), "deleted text is no longer searchable");
}

#[test]
fn search_finds_text_across_fascicoli_and_skips_the_bin() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("a.sqlite")).unwrap();
    let a = s.create(&sample("Alfa", "Agenzia per l’abitare sociale a Viadana."), "").unwrap();
    let b = s.create(&sample("Beta", "Vita indipendente delle persone con disabilità."), "").unwrap();
    let hits = s.search("abitare", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].fascicolo_id, a);
    assert!(hits[0].snippet.contains("[abitare]"), "{}", hits[0].snippet);
    // accents folded, prefix on the last word, FTS syntax is not exposed
    assert_eq!(s.search("disabilita", 10).unwrap()[0].fascicolo_id, b);
    assert_eq!(s.search("perso", 10).unwrap()[0].fascicolo_id, b);
    assert!(s.search("\"AND OR (", 10).is_ok());
    s.delete(b).unwrap();
    assert!(s.search("disabilita", 10).unwrap().is_empty());
    assert_eq!(s.list(false).unwrap().len(), 1);
    s.undelete(b).unwrap();
    assert_eq!(s.search("disabilita", 10).unwrap().len(), 1);
    let c = s.duplicate(b).unwrap();
    assert_eq!(s.load(c).unwrap().title, "Beta (copia)");
}

#[test]
fn backup_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("a.sqlite")).unwrap();
    let id = s.create(&sample("Alfa", "prima"), "").unwrap();
    let bak = dir.path().join("copia.sqlite");
    s.backup_to(&bak).unwrap();
    s.save_field(id, "scheda-1", "obiettivo", &FieldValue::Text { text: "dopo la copia".into() }, "").unwrap();
    s.restore_from(&bak).unwrap();
    assert_eq!(text(&s.load(id).unwrap(), "scheda-1", "obiettivo"), "prima");
    assert_eq!(s.head(id).unwrap(), 1);
    // A damaged backup is refused and the current database is left untouched.
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, vec![7u8; 8192]).unwrap();
    let e = s.restore_from(&junk).unwrap_err().to_string();
    assert!(e.contains("danneggiato") || e.contains("non è un archivio"), "{e}");
    assert_eq!(text(&s.load(id).unwrap(), "scheda-1", "obiettivo"), "prima");
}

#[test]
fn corrupted_and_newer_databases_get_italian_messages_and_are_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("rotto.sqlite");
    let bytes = b"questo non e un database sqlite".repeat(200);
    std::fs::write(&junk, &bytes).unwrap();
    let e = Store::open(&junk).err().expect("must fail").to_string();
    assert!(e.contains("non è un archivio di Piano di Zona Desktop"), "{e}");
    assert_eq!(std::fs::read(&junk).unwrap(), bytes, "file left as it was");

    let newer = dir.path().join("nuovo.sqlite");
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "application_id", 0x505A_4431).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&newer).unwrap();
    let e = Store::open(&newer).err().expect("must fail").to_string();
    assert!(e.contains("versione più recente"), "{e}");
    assert_eq!(std::fs::read(&newer).unwrap(), before, "a newer database is not touched, not even its header");
}

#[test]
fn profile_roundtrip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let mut s = Store::open(&path).unwrap();
    assert!(s.profile().unwrap().is_none());
    let p = OfficeProfile { ambito: "Oglio Po".into(), ente_capofila: "Consorzio".into(), ..Default::default() };
    s.save_profile(&p).unwrap();
    drop(s);
    assert_eq!(Store::open(&path).unwrap().profile().unwrap(), Some(p));
}

fn bytes_of(p: &std::path::Path) -> (Vec<u8>, bool, bool) {
    let mut w = p.as_os_str().to_owned();
    w.push("-wal");
    let mut m = p.as_os_str().to_owned();
    m.push("-shm");
    (std::fs::read(p).unwrap(), std::path::PathBuf::from(w).exists(), std::path::PathBuf::from(m).exists())
}

#[test]
fn foreign_and_empty_sqlite_files_are_refused_before_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("altro.sqlite");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch(
            "CREATE TABLE clienti (id INTEGER PRIMARY KEY, nome TEXT); INSERT INTO clienti VALUES (1, 'Rossi');",
        )
        .unwrap();
    }
    // Another program's file that even has a table called like ours, at schema 1.
    let lookalike = dir.path().join("simile.sqlite");
    {
        let c = rusqlite::Connection::open(&lookalike).unwrap();
        c.execute_batch("CREATE TABLE fascicoli (id INTEGER PRIMARY KEY); PRAGMA user_version = 1;").unwrap();
    }
    let empty = dir.path().join("vuoto.sqlite");
    {
        let c = rusqlite::Connection::open(&empty).unwrap();
        c.execute_batch("CREATE TABLE t (a); DROP TABLE t;").unwrap();
    }
    for p in [&foreign, &lookalike, &empty] {
        let before = bytes_of(p);
        let e = Store::open(p).err().expect("must be refused").to_string();
        assert!(
            e.contains("non è un archivio di Piano di Zona Desktop") && e.contains("non è stato modificato"),
            "{e}"
        );
        assert_eq!(bytes_of(p), before, "{} changed", p.display());
        assert!(!before.1, "no WAL switch");
        // and restore-backup refuses it too
        let mut s = Store::open(&dir.path().join("nostro.sqlite")).unwrap();
        assert!(s.restore_from(p).is_err());
        assert_eq!(bytes_of(p), before);
    }
}

#[test]
fn new_archives_carry_our_application_id() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.sqlite");
    drop(Store::open(&p).unwrap());
    let c = rusqlite::Connection::open(&p).unwrap();
    let app: i64 = c.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(app, 0x505A_4431);
}

/// An archive written by the first schema (no application id, search index without rowid map)
/// is recognised, upgraded, and its search index rebuilt.
#[test]
fn schema_1_archive_is_upgraded_and_search_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("vecchio.sqlite");
    let id = {
        let mut s = Store::open(&p).unwrap();
        s.create(&sample("Vecchio", "Agenzia per l’abitare sociale."), "").unwrap()
    };
    {
        // Turn it back into a schema-1 archive.
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(
            "PRAGMA application_id = 0; PRAGMA user_version = 1; DROP TABLE search_keys; DROP TABLE meta; DELETE FROM search;",
        )
        .unwrap();
        c.execute("INSERT INTO search (fascicolo_id, key, text) VALUES (?1, 'fascicolo', 'vecchio indice')", [id])
            .unwrap();
    }
    let mut s = Store::open(&p).unwrap();
    assert_eq!(s.search("abitare", 10).unwrap().len(), 1, "index rebuilt from the data");
    assert!(s.search("indice", 10).unwrap().is_empty(), "old index dropped");
    s.save_field(id, "scheda-1", "obiettivo", &FieldValue::Text { text: "Nuovo testo sulla casa.".into() }, "")
        .unwrap();
    assert!(s.search("abitare", 10).unwrap().is_empty());
    assert_eq!(s.search("casa", 10).unwrap().len(), 1);
    s.connection().execute("INSERT INTO search(search) VALUES('integrity-check')", []).unwrap();
    let app: i64 = s.connection().query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(app, 0x505A_4431);
}

#[test]
fn saves_touch_one_index_row_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("a.sqlite")).unwrap();
    let id = s.create(&sample("A", "uno"), "").unwrap();
    let rows = |s: &Store| -> (i64, i64) {
        let c = s.connection();
        (
            c.query_row("SELECT COUNT(*) FROM search", [], |r| r.get(0)).unwrap(),
            c.query_row("SELECT COUNT(*) FROM search_keys", [], |r| r.get(0)).unwrap(),
        )
    };
    let before = rows(&s);
    assert_eq!(before.0, before.1);
    for i in 0..20 {
        s.save_field(id, "scheda-1", "obiettivo", &FieldValue::Text { text: format!("stesura {i} zebra{i}") }, "")
            .unwrap();
    }
    assert_eq!(rows(&s), before, "one row per field, replaced in place");
    assert_eq!(s.search("zebra19", 10).unwrap().len(), 1);
    assert!(s.search("zebra18", 10).unwrap().is_empty());
    s.connection().execute("INSERT INTO search(search) VALUES('integrity-check')", []).unwrap();
}

/// Overwrites two pages in the middle and at the end with garbage.
fn damage(p: &std::path::Path) {
    let mut b = std::fs::read(p).unwrap();
    let pages = b.len() / 4096;
    for pg in [pages / 2, pages - 1] {
        for x in &mut b[pg * 4096..(pg + 1) * 4096] {
            *x = 0x55;
        }
    }
    std::fs::write(p, b).unwrap();
}

#[test]
fn damaged_archive_opens_read_only_and_offers_the_latest_good_backup() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("archivio.sqlite");
    {
        let mut s = Store::open_with(&p, false).unwrap();
        for i in 0..30 {
            s.create(&sample(&format!("F{i}"), &"testo lungo ".repeat(400)), "").unwrap();
        }
        // today's automatic backup is made at the next open (none at this one: its thread could
        // copy the archive half-filled)
    }
    drop(Store::open(&p).unwrap());
    let backups = pianozona::store::list_backups(&p);
    assert_eq!(backups.len(), 1, "{backups:?}");
    damage(&p);
    let before = std::fs::read(&p).unwrap();
    let mut s = Store::open(&p).unwrap();
    let why = s.read_only_reason().expect("read-only").to_string();
    assert!(why.contains("danneggiato") && why.contains(&backups[0].name), "{why}");
    // writes refused in Italian, backups refused, nothing written
    let e = s.create(&sample("X", "y"), "").unwrap_err().to_string();
    assert!(e.contains("sola lettura"), "{e}");
    let e = s.backup_to(&dir.path().join("b.sqlite")).unwrap_err().to_string();
    assert!(e.contains("danneggiato"), "{e}");
    assert!(!dir.path().join("b.sqlite").exists());
    assert_eq!(std::fs::read(&p).unwrap(), before);
    // restore from the backup: the damaged file is kept, the archive works again
    let r = s.restore_from(&backups[0].path).unwrap();
    assert_eq!(r.restored_fascicoli, 30);
    assert!(r.kept_copy.exists());
    assert!(s.read_only_reason().is_none());
    assert_eq!(s.list(false).unwrap().len(), 30);
    assert_eq!(s.integrity_check().unwrap(), "ok");
    s.create(&sample("dopo", "z"), "").unwrap();
    drop(s);
    assert!(Store::open(&p).unwrap().read_only_reason().is_none());
}

#[test]
fn restore_keeps_the_replaced_archive_and_counts_fascicoli() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("archivio.sqlite");
    let mut s = Store::open(&p).unwrap();
    s.create(&sample("A", "a"), "").unwrap();
    let bak = dir.path().join("copia.sqlite");
    s.backup_to(&bak).unwrap();
    s.create(&sample("B", "b"), "").unwrap();
    s.create(&sample("C", "c"), "").unwrap();
    let r = s.restore_from(&bak).unwrap();
    assert_eq!((r.restored_fascicoli, r.previous_fascicoli), (1, Some(3)));
    assert_eq!(s.list(false).unwrap().len(), 1);
    assert_eq!(pianozona::store::inspect_archive(&r.kept_copy, true).unwrap(), 3, "the replaced archive is whole");
    assert!(s.backups().iter().any(|b| b.path == r.kept_copy));
    // an empty file is refused
    let zero = dir.path().join("zero.sqlite");
    std::fs::write(&zero, b"").unwrap();
    let e = s.restore_from(&zero).unwrap_err().to_string();
    assert!(e.contains("vuoto"), "{e}");
    assert_eq!(s.list(false).unwrap().len(), 1);
}

#[test]
fn daily_backups_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("archivio.sqlite");
    {
        // No automatic backup at this first open: whether its thread ran before or after the
        // create below, today's copy must be made by the open under test, which also rotates.
        let mut s = Store::open_with(&p, false).unwrap();
        s.create(&sample("A", "a"), "").unwrap();
    }
    let bdir = pianozona::store::backup_dir(&p);
    std::fs::create_dir_all(&bdir).unwrap();
    for d in 1..=10 {
        std::fs::write(bdir.join(format!("archivio-2020-01-{d:02}.sqlite")), b"old").unwrap();
    }
    std::fs::write(bdir.join("altro-2020-01-01.sqlite"), b"not ours").unwrap();
    drop(Store::open(&p).unwrap());
    let names: Vec<String> = pianozona::store::list_backups(&p).into_iter().map(|b| b.name).collect();
    assert_eq!(names.len(), pianozona::store::KEEP_DAILY_BACKUPS, "{names:?}");
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert!(names.contains(&format!("archivio-{today}.sqlite")), "{names:?}");
    assert!(!names.contains(&"archivio-2020-01-01.sqlite".to_string()));
    assert!(bdir.join("altro-2020-01-01.sqlite").exists(), "other archives' backups are left alone");
    assert_eq!(pianozona::store::latest_good_backup(&p).unwrap().name, format!("archivio-{today}.sqlite"));
}

/// Start-up stays cheap: after a clean close the next open skips the quick check (the archive is
/// exactly as we left it); any change to the file, or an end without a clean close, brings the
/// check back, and damage done while the program was closed is still found.
#[test]
fn quick_check_is_skipped_only_after_a_clean_close() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("archivio.sqlite");
    {
        let mut s = Store::open(&p).unwrap();
        assert!(!s.checked_at_open(), "a new archive has nothing to check");
        for i in 0..30 {
            s.create(&sample(&format!("F{i}"), &"testo lungo ".repeat(400)), "").unwrap();
        }
    }
    let s = Store::open(&p).unwrap();
    assert!(!s.checked_at_open(), "clean close: the quick check is skipped");
    // a second connection (another window) keeps the archive open: no clean-close mark
    let s2 = Store::open(&p).unwrap();
    drop(s2);
    drop(s);
    let s = Store::open(&p).unwrap();
    assert!(!s.checked_at_open());
    // an end without a clean close (the process killed): no mark, the check runs
    std::mem::forget(s);
    assert!(Store::open(&p).unwrap().checked_at_open());
    // damage while the program is closed changes the file: the check runs and finds it
    damage(&p);
    let s = Store::open(&p).unwrap();
    assert!(s.checked_at_open() && s.is_damaged());
    assert!(s.read_only_reason().unwrap().contains("danneggiato"));
}

/// The day's backup runs on its own connection while the user goes on saving; it is whole.
#[test]
fn daily_backup_runs_in_the_background_and_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("archivio.sqlite");
    {
        let mut s = Store::open(&p).unwrap();
        for i in 0..20 {
            s.create(&sample(&format!("F{i}"), &"testo lungo ".repeat(400)), "").unwrap();
        }
    }
    let mut s = Store::open(&p).unwrap();
    for i in 0..10 {
        s.save_field(1, "scheda-1", "obiettivo", &FieldValue::Text { text: format!("salvataggio {i}") }, "").unwrap();
    }
    let made = s.wait_backup().expect("a backup was due").unwrap().expect("made");
    assert!(s.wait_backup().is_none());
    let n = pianozona::store::inspect_archive(&made, true).unwrap();
    assert_eq!(n, 20);
    assert_eq!(text(&s.load(1).unwrap(), "scheda-1", "obiettivo"), "salvataggio 9");
    // once a day
    drop(s);
    let mut s = Store::open(&p).unwrap();
    assert!(s.wait_backup().is_none(), "today's copy exists: none started");
}

/// The start screen's recovery: a destroyed archive (first page gone) cannot be opened; the
/// service offers its newest good backup and «Apri la copia di sicurezza più recente» puts it
/// back, keeping the destroyed file. Another program's file is never offered for replacement.
#[test]
fn start_screen_recovery_of_a_destroyed_archive() {
    use pianozona::service;
    use pianozona::store::{condition, Condition};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("archivio.sqlite");
    {
        let mut s = Store::open(&p).unwrap();
        for i in 0..5 {
            s.create(&sample(&format!("F{i}"), "x"), "").unwrap();
        }
    }
    drop(Store::open(&p).unwrap()); // makes today's backup
    let mut b = std::fs::read(&p).unwrap();
    b[..4096].fill(0);
    std::fs::write(&p, &b).unwrap();
    assert_eq!(condition(&p).unwrap(), Condition::Damaged);
    let o = service::open_archive(&p);
    assert!(o.store.is_none());
    assert!(o.message.as_deref().unwrap().contains("danneggiato"), "{:?}", o.message);
    assert!(o.can_restore_latest());
    let (s, r) = service::restore_latest_backup(o).unwrap();
    assert_eq!(r.restored_fascicoli, 5);
    assert_eq!(std::fs::read(&r.kept_copy).unwrap(), b, "the destroyed file is kept as it was");
    assert!(s.read_only_reason().is_none());
    assert_eq!(s.list(false).unwrap().len(), 5);
    drop(s);

    // another program's SQLite file: refused, nothing offered, untouched
    let other = dir.path().join("altro.sqlite");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE clienti (nome TEXT); INSERT INTO clienti VALUES ('x');").unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    assert_eq!(condition(&other).unwrap(), Condition::Foreign);
    let o = service::choose_archive(None, &other);
    assert!(o.store.is_none() && !o.can_restore_latest());
    assert!(o.message.as_deref().unwrap().contains("altro programma"), "{:?}", o.message);
    assert!(pianozona::store::replace_with_backup(&other, &r.kept_copy).is_err());
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn save_compares_per_key_over_a_long_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("archivio.sqlite")).unwrap();
    let id = s.create(&sample("Storia lunga", "Prima."), "creato").unwrap();
    let mut f = s.load(id).unwrap();
    // Many revisions of one field: the save compares head values, not the history.
    let mut head = 1;
    for i in 0..40 {
        let d = f.document_mut("scheda-1").unwrap();
        d.fields.insert("obiettivo".into(), FieldValue::Text { text: format!("Stesura {i}.") });
        head = s.save(id, &f, "modifica").unwrap();
    }
    assert_eq!(head, 41);
    assert_eq!(s.save(id, &f, "identico").unwrap(), 41, "identical content makes no revision");
    // A removed field is written as removed once; saving again without it changes nothing.
    f.document_mut("scheda-1").unwrap().fields.remove("titolo");
    assert_eq!(s.save(id, &f, "tolto").unwrap(), 42);
    assert_eq!(s.save(id, &f, "ancora").unwrap(), 42);
    assert_eq!(s.load(id).unwrap(), f);
    assert!(!s.stored_fields(id).unwrap().fields.contains(&("scheda-1".into(), "titolo".into())));
    // Put back with an old value (present in the history, not at the head): a new revision.
    f.document_mut("scheda-1")
        .unwrap()
        .fields
        .insert("titolo".into(), FieldValue::Text { text: "AGENZIA PER LA VITA INDIPENDENTE".into() });
    assert_eq!(s.save(id, &f, "rimesso").unwrap(), 43);
    assert_eq!(s.load(id).unwrap(), f);
    let changes = s.diff(id, 42, 43).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    // A whole document removed: its header and fields go, the other keys stay.
    f.documents.retain(|d| d.id != "lettera");
    assert_eq!(s.save(id, &f, "senza lettera").unwrap(), 44);
    assert_eq!(s.load(id).unwrap(), f);
    assert!(!s.stored_fields(id).unwrap().documents.contains("lettera"));
    // Another fascicolo's keys are never mixed in.
    let other = s.create(&sample("Altro", "Altro obiettivo."), "creato").unwrap();
    assert_eq!(s.save(id, &f, "ancora").unwrap(), 44);
    assert_eq!(text(&s.load(other).unwrap(), "scheda-1", "obiettivo"), "Altro obiettivo.");
}
