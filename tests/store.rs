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
