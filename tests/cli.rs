//! The `pianozona` CLI contract: exit codes, Italian messages, the id on the last line of import,
//! and the store commands through the real binary on a real SQLite file.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_pianozona");

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN).arg("--db").arg(db).args(args).env_remove("PIANOZONA_DB").output().expect("run pianozona")
}
fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const MINI: &str = r#"{
  "format": "pianozona.fascicolo",
  "version": 1,
  "profile": {"ambito": "Oglio Po", "ente_capofila": "Consorzio", "legal_rep": {"name": "Anna Rossi", "gender": "F"}, "formed_after_dgr_7631": true},
  "fascicolo": {"title": "Prova CLI", "family": "qp2021", "variant": "ambito", "signer": {"name": "Anna Rossi", "gender": "F"},
    "documents": [
      {"id": "lettera", "form": "lettera_1a", "fields": {"luogo": {"kind": "text", "text": "Viadana"}, "data": {"kind": "date", "date": "2022-02-18"}}},
      {"id": "scheda-1", "form": "scheda_1b", "number": 1, "all_n": 11,
       "fields": {"titolo": {"kind": "text", "text": "AGENZIA PER L’ABITARE"}, "obiettivo": {"kind": "text", "text": "Creare un’agenzia per la casa."}}}
    ]}
}"#;

#[test]
fn import_check_history_restore_backup_search() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite");
    let file = dir.path().join("mini.json");
    std::fs::write(&file, MINI).unwrap();

    let o = run(&db, &["import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", err(&o));
    let id = out(&o).lines().last().unwrap().trim().to_string();
    assert_eq!(id, "1");

    let o = run(&db, &["check", &id, "--json"]);
    assert_eq!(o.status.code(), Some(1), "required sections are empty: errori expected");
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let arr = v.as_array().unwrap();
    assert!(!arr.is_empty());
    for f in arr {
        for k in ["rule", "severity", "document", "path", "message"] {
            assert!(f.get(k).is_some(), "finding without {k}: {f}");
        }
    }
    assert!(arr.iter().any(|f| f["rule"] == "QP-S-05" && f["document"] == "scheda-1" && f["path"] == "contesto"));

    let o = run(&db, &["check", &id]);
    assert!(out(&o).contains("Verifica:") && out(&o).contains("errori"), "{}", out(&o));

    let o = run(&db, &["search", "agenzia", "casa"]);
    assert!(out(&o).contains("Prova CLI"), "{}", out(&o));

    // A second import makes a second fascicolo; export → import of our own file works.
    let exported = dir.path().join("out.json");
    assert!(run(&db, &["export", &id, "-o", exported.to_str().unwrap()]).status.success());
    let o = run(&db, &["import", exported.to_str().unwrap()]);
    assert_eq!(out(&o).lines().last().unwrap().trim(), "2");

    let o = run(&db, &["history", &id]);
    assert!(out(&o).starts_with("1\t"), "{}", out(&o));

    let bak = dir.path().join("copia.sqlite");
    assert!(run(&db, &["backup", bak.to_str().unwrap()]).status.success());
    assert!(bak.exists());
    assert!(run(&db, &["delete", "2"]).status.success());
    assert!(!out(&run(&db, &["list"])).contains("\n2\t") && out(&run(&db, &["list", "--all"])).contains("[cestino]"));
    assert!(run(&db, &["restore-backup", bak.to_str().unwrap()]).status.success());
    assert_eq!(out(&run(&db, &["list"])).lines().count(), 2);
}

#[test]
fn errors_exit_2_with_italian_messages() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite");

    let o = run(&db, &["import", "/nonexistent/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("Impossibile leggere"), "{}", err(&o));

    let foreign = dir.path().join("package.json");
    std::fs::write(&foreign, r#"{"name": "x", "version": "1.0.0"}"#).unwrap();
    let o = run(&db, &["import", foreign.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("non è un fascicolo di Piano di Zona Desktop"), "{}", err(&o));

    let o = run(&db, &["check", "42"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("fascicolo 42"), "{}", err(&o));

    let o = run(&db, &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));

    let o = run(&db, &["templates"]);
    assert!(o.status.success());
    assert!(out(&o).contains("qp2021") && out(&o).contains("scheda_1b"), "{}", out(&o));

    // A corrupted database is reported, not overwritten.
    let bad = dir.path().join("rotto.sqlite");
    std::fs::write(&bad, vec![0x42u8; 4096]).unwrap();
    let o = run(&bad, &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("danneggiato"), "{}", err(&o));
    assert_eq!(std::fs::read(&bad).unwrap(), vec![0x42u8; 4096]);
}

#[test]
fn malformed_template_dir_names_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let tdir = dir.path().join("modelli");
    std::fs::create_dir(&tdir).unwrap();
    std::fs::write(
        tdir.join("rotto.toml"),
        "id = \"x\"\ntitle = \"X\"\ncycle = \"c\"\nforms = [{ id = \"f\", title = \"F\", role = \"sceda\" }]\n",
    )
    .unwrap();
    let o = Command::new(BIN).args(["--templates", tdir.to_str().unwrap(), "templates"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("rotto.toml") && e.contains("forms[0].role"), "{e}");
}
