//! The history as a person reads it: autosaves of one working session are one entry named by the
//! template's section labels, and differences of the Gantt and the budget are tables and bars
//! drawn as in the PDF, never stored JSON. The CLI prints the same entries.

use pianozona::pdf::{CellMark, ViewBlock};
use pianozona::service::{self, history};
use pianozona::store::Store;
use pianozona::template::Registry;
use serde_json::Value;
use std::process::Command;

const AUTOSAVE: &str = "Salvataggio automatico";

fn edit(store: &mut Store, id: i64, change: impl FnOnce(&mut Value)) {
    let f = store.load(id).unwrap();
    let mut v = serde_json::to_value(&f).unwrap();
    change(&mut v["documents"][1]);
    store.save(id, &serde_json::from_value(v).unwrap(), AUTOSAVE).unwrap();
}

fn heading(reg: &Registry, section: &str) -> String {
    let fam = reg.family("qp2021").unwrap();
    fam.form("scheda_1b").unwrap().sections.iter().find(|s| s.id == section).unwrap().heading.clone()
}

fn texts(blocks: &[ViewBlock]) -> Vec<String> {
    blocks
        .iter()
        .flat_map(|b| match b {
            ViewBlock::Text { text } => vec![text.clone()],
            ViewBlock::Table { header, rows } => header.iter().chain(rows).flatten().map(|c| c.text.clone()).collect(),
        })
        .collect()
}

#[test]
fn sessions_are_named_by_section_and_diffs_are_tables() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("storia.sqlite");
    let reg = Registry::load(None).unwrap();
    let mut store = Store::open(&db).unwrap();
    let demo =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/oglio-po-2021-2023-quota-premiale.json");
    let id = service::import_file(&mut store, &reg, &demo).unwrap().id;

    // Five autosaves within a few minutes (Gantt, budget, Gantt, budget), then one 30 minutes later.
    edit(&mut store, id, |d| d["activities"][0]["periods"][0]["to"] = "2022-09".into());
    edit(&mut store, id, |d| d["fields"]["risorse_economiche"]["rows"][0]["cost"] = "3.150,00".into());
    edit(&mut store, id, |d| d["activities"][1]["periods"][0]["from"] = "2022-03".into());
    edit(&mut store, id, |d| d["fields"]["risorse_economiche"]["rows"][1]["cost"] = "5.150,00".into());
    edit(&mut store, id, |d| d["fields"]["obiettivo"]["text"] = "Un obiettivo riscritto.".into());
    let times = ["10:00", "10:03", "10:07", "10:12", "10:42"];
    for (i, t) in times.iter().enumerate() {
        store
            .connection()
            .execute(
                "UPDATE revisions SET created_at = ?1 WHERE fascicolo_id = ?2 AND rev = ?3",
                rusqlite::params![format!("2026-12-03T{t}:00.000Z"), id, i as i64 + 2],
            )
            .unwrap();
    }

    let s = history::sessions(&store, &reg, id).unwrap();
    assert_eq!(
        s.iter().map(|s| (s.first_rev, s.last_rev, s.saves)).collect::<Vec<_>>(),
        [(1, 1, 1), (2, 5, 4), (6, 6, 1)]
    );
    let (gantt, budget, aim) =
        (heading(&reg, "cronoprogramma"), heading(&reg, "risorse_economiche"), heading(&reg, "obiettivo"));
    assert_eq!(s[1].title, format!("{gantt}, {budget}"), "{s:?}");
    assert_eq!(s[2].title, aim);
    assert!(s[1].places.iter().all(|p| p.contains("Scheda") && !p.contains("scheda-1")), "{:?}", s[1].places);
    assert!(!s[0].title.is_empty());

    // The Gantt change: a table of the same activities with the bar one month longer.
    let changes = history::changes(&store, &reg, id, 1, Some(2)).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].section, gantt);
    let bars = |b: &[ViewBlock]| -> usize {
        b.iter()
            .map(|b| match b {
                ViewBlock::Table { rows, .. } => rows.iter().flatten().filter(|c| c.mark == CellMark::Bar).count(),
                _ => 0,
            })
            .sum()
    };
    assert_eq!(bars(&changes[0].after), bars(&changes[0].before) + 3, "three more months in the bar");
    // The budget change: an amount in Italian format in a table; nowhere JSON or stored keys.
    let changes = history::changes(&store, &reg, id, 2, Some(3)).unwrap();
    assert_eq!(changes[0].section, budget);
    assert!(texts(&changes[0].after).iter().any(|t| t.contains("3.150,00")), "{:?}", texts(&changes[0].after));
    assert!(!texts(&changes[0].before).iter().any(|t| t.contains("3.150,00")));
    for c in history::changes(&store, &reg, id, 1, None).unwrap() {
        for t in texts(&c.before).iter().chain(&texts(&c.after)) {
            for bad in ["{", "\"", "activity", "periods", "amounts", "cost"] {
                assert!(!t.contains(bad), "{bad} in {t} ({})", c.section);
            }
        }
    }

    // The CLI names the same sessions and draws the bars.
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_pianozona")).arg("--db").arg(&db).args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let id = id.to_string();
    let out = run(&["history", &id]);
    let titles: Vec<&str> = out.lines().map(|l| l.rsplit('\t').next().unwrap()).collect();
    assert_eq!(titles, s.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(), "{out}");
    assert!(out.lines().nth(1).unwrap().starts_with("2-5\t"), "{out}");
    assert_eq!(run(&["history", &id, "--tutte"]).lines().count(), 6);
    let d = run(&["diff", &id, "1", "2"]);
    assert!(d.contains(&format!("› {gantt}")) && d.contains('█') && !d.contains('{'), "{d}");

    // A document added: one entry "Nuovo documento: …", not each of its sections.
    let id: i64 = id.parse().unwrap();
    let mut v = serde_json::to_value(store.load(id).unwrap()).unwrap();
    let mut doc = v["documents"][1].clone();
    doc["id"] = "scheda-9".into();
    doc["number"] = 9.into();
    v["documents"].as_array_mut().unwrap().push(doc);
    store.save(id, &serde_json::from_value(v).unwrap(), AUTOSAVE).unwrap();
    let s = history::sessions(&store, &reg, id).unwrap();
    let last = s.last().unwrap();
    assert!(last.title.starts_with("Nuovo documento: ") && last.title.contains("9"), "{last:?}");
    // (The fascicolo's own data hold the order of its documents.)
    assert!(last.places.iter().all(|p| !p.contains(" › ")), "no section of the new document listed: {last:?}");
    let head = store.head(id).unwrap();
    let c = history::changes(&store, &reg, id, head - 1, None).unwrap();
    assert!(c.iter().any(|c| c.before.is_empty() && texts(&c.after).iter().any(|t| t.contains("9"))), "{c:?}");
}
