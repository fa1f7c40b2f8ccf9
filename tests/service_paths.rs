//! The CLI (as a process) and the use-case layer (`pianozona::service`, what the app's commands call)
//! give the same result on the same input: import + Verifica counts, JSON export, PDF bytes, list,
//! restore; opening a fascicolo changes nothing. The app's command functions are compared with the
//! same service functions in src-tauri (`cargo test -p pianozona-app --lib`).

mod common;

use common::{import, run, text};
use pianozona::rules;
use pianozona::service::{self, Listing};
use pianozona::store::Store;
use pianozona::template::Registry;
use std::path::{Path, PathBuf};

const DEMOS: [&str; 2] = ["oglio-po-2021-2023-quota-premiale.json", "piano-di-zona-2025-2027-lodi.json"];

fn demo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo").join(name)
}

/// One demo imported into two databases: by the CLI and by the service.
struct Pair {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    cli_db: PathBuf,
    cli_id: i64,
    svc: Store,
    svc_id: i64,
    reg: Registry,
}

fn pair(name: &str) -> Pair {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().to_path_buf();
    let cli_db = dir.join("cli.sqlite");
    let cli_id: i64 = import(&cli_db, &demo(name)).parse().unwrap();
    let reg = Registry::load(None).unwrap();
    let mut svc = Store::open(&dir.join("svc.sqlite")).unwrap();
    let svc_id = service::import_file(&mut svc, &reg, &demo(name)).unwrap().id;
    Pair { _dir: d, dir, cli_db, cli_id, svc, svc_id, reg }
}

#[test]
fn import_and_check_give_the_same_findings() {
    for name in DEMOS {
        let p = pair(name);
        let o = run(&p.cli_db, &["check", "--json", &p.cli_id.to_string()]);
        let cli: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
        let svc = service::check_stored(&p.svc, &p.reg, p.svc_id, service::today()).unwrap();
        assert_eq!(cli, serde_json::to_value(&svc).unwrap(), "{name}");
        let (errori, avvisi) = rules::counts(&svc);
        assert!(errori + avvisi > 0, "{name}: the demo has findings");
        assert_eq!(o.status.code(), Some(if errori > 0 { 1 } else { 0 }), "{name}");
    }
}

#[test]
fn json_and_pdf_exports_are_byte_identical() {
    for name in DEMOS {
        let p = pair(name);
        let id = p.cli_id.to_string();
        let (cj, cp) = (p.dir.join("cli.json"), p.dir.join("cli.pdf"));
        for args in
            [vec!["export", &id, "-o", cj.to_str().unwrap()], vec!["pdf", &id, "--draft", "-o", cp.to_str().unwrap()]]
        {
            let o = run(&p.cli_db, &args);
            assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        }
        let sj = p.dir.join("svc.json");
        service::export_json_to(&p.svc, p.svc_id, &sj).unwrap();
        assert_eq!(std::fs::read(&cj).unwrap(), std::fs::read(&sj).unwrap(), "{name}: JSON");
        let pdf = service::export_pdf(&p.svc, &p.reg, p.svc_id, true).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(std::fs::read(&cp).unwrap(), pdf, "{name}: PDF");
        assert_ne!(pdf, service::export_pdf(&p.svc, &p.reg, p.svc_id, false).unwrap(), "draft flag has no effect");
    }
}

#[test]
fn opening_changes_nothing() {
    let p = pair(DEMOS[0]);
    let before = (p.svc.head(p.svc_id).unwrap(), p.svc.load(p.svc_id).unwrap());
    let o = service::open(&p.svc, &p.reg, p.svc_id, service::today()).unwrap();
    let again = service::open(&p.svc, &p.reg, p.svc_id, service::today()).unwrap();
    assert_eq!(p.svc.head(p.svc_id).unwrap(), before.0, "open created a revision");
    assert_eq!(o.fascicolo, before.1, "open changed the data");
    assert_eq!(o, again);
    // Saving what was opened, unchanged, stores no field.
    let mut store = p.svc;
    let s = service::save_and_check(&mut store, &p.reg, p.svc_id, &o.fascicolo, "prova", service::today()).unwrap();
    assert_eq!(s.findings, o.findings);
    assert_eq!(s.rev, before.0, "an unchanged save created a revision");
    assert_eq!(store.history(p.svc_id).unwrap().len(), 1);
}

#[test]
fn list_restore_and_backup_agree() {
    let mut p = pair(DEMOS[1]);
    let s = &service::list(&p.svc, &p.reg, Listing::Active, "").unwrap()[0];
    let full = p.svc.load(p.svc_id).unwrap();
    let fam = p.reg.family(&full.family).unwrap();
    let schede = full
        .documents
        .iter()
        .filter(|d| fam.form(&d.form).is_some_and(|f| f.role != pianozona::template::FormRole::Letter))
        .count();
    assert!(schede > 0);
    assert_eq!(s.schede as usize, schede, "header-only count differs from the loaded fascicolo");
    let o = run(&p.cli_db, &["list"]);
    let line = String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or_default().to_string();
    assert!(line.starts_with(&format!("{}\t{}\t{}\trev. 1\t", p.cli_id, s.title, s.family)), "{line}");

    // Restoring the head changes nothing, on both paths.
    assert_eq!(service::restore(&mut p.svc, p.svc_id, 1).unwrap(), 1);
    let o = run(&p.cli_db, &["restore", &p.cli_id.to_string(), "1"]);
    assert!(text(&o).contains("ripristinata come revisione 1"), "{}", text(&o));
    let mut edited = full.clone();
    edited.title.push_str(" (modificato)");
    service::save_and_check(&mut p.svc, &p.reg, p.svc_id, &edited, "modifica", service::today()).unwrap();
    assert_eq!(service::restore(&mut p.svc, p.svc_id, 1).unwrap(), 3);
    assert_eq!(p.svc.load(p.svc_id).unwrap(), full);

    let b = p.dir.join("copia.sqlite");
    service::backup(&p.svc, &b).unwrap();
    assert_eq!(Store::open(&b).unwrap().load(p.svc_id).unwrap(), full);
}

#[test]
fn import_guards_are_the_same_for_both() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("a.sqlite");
    let bom = d.path().join("bom.json");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(demo(DEMOS[0])).unwrap());
    std::fs::write(&bom, bytes).unwrap();
    assert_eq!(import(&db, &bom), "1", "BOM not stripped by the CLI");
    let latin = d.path().join("latin1.json");
    std::fs::write(&latin, b"{\"titolo\": \"caf\xe9\"}").unwrap();
    let o = run(&db, &["import", latin.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let reg = Registry::load(None).unwrap();
    let mut store = Store::open(&d.path().join("b.sqlite")).unwrap();
    let e = service::import_file(&mut store, &reg, &latin).unwrap_err().to_string();
    assert!(text(&o).contains(&e), "CLI: {} / service: {e}", text(&o));
    let big = d.path().join("grande.json");
    std::fs::File::create(&big).unwrap().set_len(service::MAX_IMPORT_BYTES + 1).unwrap();
    let o = run(&db, &["import", big.to_str().unwrap()]);
    assert!(o.status.code() == Some(2) && text(&o).contains("64 MB"), "{}", text(&o));
}
