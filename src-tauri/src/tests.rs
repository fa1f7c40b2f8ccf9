//! The app's commands (their `AppState` methods, without a window, on SQLite files on disk) and the
//! `pianozona` CLI run as a process on the same input give the same result, use-case by use-case;
//! opening any demo writes nothing; the IPC command list agrees with the capability file and api.ts.

use crate::state::AppState;
use pianozona::service::Listing;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `pianozona` binary of this target dir, built once per test run (the core's own tests build
/// it too, so this is usually a no-op).
fn cli_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = option_env!("CARGO").unwrap_or("cargo");
        let st = Command::new(cargo)
            .args(["build", "-q", "-p", "pianozona", "--bin", "pianozona"])
            .current_dir(root())
            .status()
            .expect("cargo build of the CLI");
        assert!(st.success(), "the CLI does not build");
        // target/<profile>/deps/<this test> → target/<profile>/pianozona
        let exe = std::env::current_exe().expect("test executable");
        let bin = exe.parent().and_then(Path::parent).expect("target dir").join("pianozona");
        assert!(bin.is_file(), "{} missing", bin.display());
        bin
    })
}

fn cli<S: AsRef<std::ffi::OsStr>>(db: &Path, args: &[S]) -> Output {
    Command::new(cli_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PIANOZONA_TEMPLATES")
        .output()
        .expect("run pianozona")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn cli_ok<S: AsRef<std::ffi::OsStr>>(db: &Path, args: &[S]) -> String {
    let o = cli(db, args);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    out(&o)
}

fn cli_import(db: &Path, file: &Path) -> i64 {
    let o = cli_ok(db, &["import", file.to_str().unwrap()]);
    o.lines().last().unwrap().trim().parse().unwrap()
}

fn demos() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("assets/demo"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    assert!(v.len() >= 2, "the demos are in assets/demo");
    v
}

struct Fixture {
    dir: tempfile::TempDir,
    app: AppState,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let app = AppState::start(dir.path().join("app.sqlite"), None).unwrap();
        // As the end-to-end tests' grant (PIANOZONA_TEST_GRANT): the test's folder and the demos
        // stand for files picked in the dialogs; `paths_need_the_users_choice` tests without it.
        app.grants.allow_folder(dir.path(), true);
        app.grants.allow_folder(&root().join("assets/demo"), false);
        Fixture { dir, app }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn head(&self, id: i64) -> i64 {
        self.app.store().unwrap().head(id).unwrap()
    }
}

/// (rule, document, message) of each finding, as the CLI prints them with `check --json`.
fn cli_findings(db: &Path, id: i64) -> (Vec<(String, String, String)>, Option<i32>) {
    let o = cli(db, &["check", "--json", &id.to_string()]);
    let v: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", err(&o)));
    let f = v
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("document"), s("message"))
        })
        .collect();
    (f, o.status.code())
}

fn app_findings(v: &[crate::dto::FindingView]) -> Vec<(String, String, String)> {
    v.iter().map(|f| (f.regola.clone(), f.documento.clone().unwrap_or_default(), f.messaggio.clone())).collect()
}

#[test]
fn command_list_matches_capabilities_and_api() {
    let ours: BTreeSet<String> = crate::COMMANDS.iter().map(|c| c.to_string()).collect();
    assert_eq!(ours.len(), crate::COMMANDS.len(), "a command is listed twice");
    let cap: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("src-tauri/capabilities/main.json")).unwrap())
            .unwrap();
    let granted: BTreeSet<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .map(|p| p.strip_prefix("allow-").unwrap_or(p).replace('-', "_"))
        .collect();
    assert_eq!(ours, granted, "src-tauri/capabilities/main.json grants other commands than ipc_commands!");
    let api = std::fs::read_to_string(root().join("ui/src/lib/api.ts")).unwrap();
    let called: BTreeSet<String> = api
        .split("call<")
        .skip(1)
        .filter_map(|s| s.split_once(">(\"").and_then(|(_, r)| r.split_once('"')).map(|(c, _)| c.to_string()))
        .collect();
    assert_eq!(ours, called, "ui/src/lib/api.ts calls other commands than ipc_commands!");
}

/// Every demo opened through the app's commands: no new revision, nothing filled in the store,
/// the Verifica of `pianozona check` (same findings, same counts, same exit code); the copy the
/// editors get, saved back unchanged, writes nothing either.
#[test]
fn opening_any_demo_changes_nothing_and_checks_as_the_cli() {
    let fx = Fixture::new();
    let cli_db = fx.path("cli.sqlite");
    for (stem, text) in crate::demo::DEMOS {
        // The CLI's import keeps the file's office profile in an archive without one; the app's
        // example never writes it. Give the app's archive the same profile, so the input is the same.
        let ex = pianozona::exchange::import_json(text, &fx.app.registry).unwrap();
        let mut store = fx.app.store().unwrap();
        if store.profile().unwrap().is_none() {
            store.save_profile(&ex.profile).unwrap();
        }
        drop(store);
        let id = fx.app.open_demo(stem).unwrap();
        let stored = fx.app.store().unwrap().load(id).unwrap();
        let head = fx.head(id);
        let opened = fx.app.open_fascicolo(id).unwrap();
        let again = fx.app.open_fascicolo(id).unwrap();
        assert_eq!(fx.head(id), head, "{stem}: opening wrote a revision");
        assert_eq!(fx.app.store().unwrap().load(id).unwrap(), stored, "{stem}: opening changed the data");
        assert_eq!(opened.fascicolo, again.fascicolo);

        let cli_id = cli_import(&cli_db, &root().join(format!("assets/demo/{stem}.json")));
        let (want, code) = cli_findings(&cli_db, cli_id);
        assert!(!want.is_empty(), "{stem}: the demo has findings");
        assert_eq!(app_findings(&opened.rilievi), want, "{stem}: Verifica of the app and of the CLI");
        let errori = opened.rilievi.iter().filter(|f| f.gravita == pianozona::template::Severity::Errore).count();
        assert_eq!(code, Some(if errori > 0 { 1 } else { 0 }), "{stem}");

        let saved = fx.app.save_fascicolo(id, &opened.fascicolo).unwrap();
        assert_eq!(saved.revisione, head, "{stem}: saving what was opened wrote a revision");
        assert_eq!(app_findings(&saved.rilievi), want, "{stem}: Verifica after the autosave");
        assert_eq!(fx.app.revisions(id).unwrap().len(), 1, "{stem}");
    }
}

/// One real edit through the app writes that field only, and the Verifica after it is the CLI's.
#[test]
fn an_edit_writes_only_that_field() {
    let fx = Fixture::new();
    let demo = &demos()[0];
    let id = fx.app.import_json(demo).unwrap();
    let mut f = fx.app.open_fascicolo(id).unwrap().fascicolo;
    let stored = fx.app.store().unwrap().load(id).unwrap();
    let doc = f
        .documents
        .iter()
        .position(|d| {
            d.fields.values().any(|v| matches!(v, pianozona::model::FieldValue::Text { text } if !text.is_empty()))
        })
        .unwrap();
    let key = f.documents[doc]
        .fields
        .iter()
        .find(|(_, v)| matches!(v, pianozona::model::FieldValue::Text { text } if !text.is_empty()))
        .map(|(k, _)| k.clone())
        .unwrap();
    f.documents[doc].fields.insert(key.clone(), pianozona::model::FieldValue::Text { text: "Testo cambiato.".into() });
    let saved = fx.app.save_fascicolo(id, &f).unwrap();
    assert_eq!(saved.revisione, 2);
    let revs = fx.app.revisions(id).unwrap();
    // One place changed, named by the template's label of the section, not by its key.
    assert_eq!(revs[0].luoghi.len(), 1, "{:?}", revs[0]);
    assert!(!revs[0].titolo.is_empty() && revs[0].titolo != key && !revs[0].luoghi[0].contains(&key), "{:?}", revs[0]);
    let mut want = stored;
    want.documents[doc].fields.insert(key, pianozona::model::FieldValue::Text { text: "Testo cambiato.".into() });
    assert_eq!(fx.app.store().unwrap().load(id).unwrap(), want);
    let db = fx.app.db_path.clone();
    let (cli, _) = cli_findings(&db, id);
    assert_eq!(app_findings(&saved.rilievi), cli);
}

/// Import, list, export JSON and PDF: the app's commands and the CLI on the same files.
#[test]
fn import_list_and_exports_match_the_cli() {
    let fx = Fixture::new();
    let cli_db = fx.path("cli.sqlite");
    for demo in demos() {
        let app_id = fx.app.import_json(&demo).unwrap();
        let cli_id = cli_import(&cli_db, &demo);

        let a = fx.path("app.json");
        fx.app.export_json(app_id, &a).unwrap();
        let c = fx.path("cli.json");
        cli_ok(&cli_db, &["export", &cli_id.to_string(), "-o", c.to_str().unwrap()]);
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap(), "{demo:?}: JSON export");

        let a = fx.path("app.pdf");
        fx.app.export_pdf(app_id, true, &a, |_, _| {}).unwrap();
        let c = fx.path("cli.pdf");
        cli_ok(&cli_db, &["pdf", &cli_id.to_string(), "--draft", "-o", c.to_str().unwrap()]);
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap(), "{demo:?}: PDF export");
    }
    let app: Vec<(i64, String)> =
        fx.app.list_fascicoli(Listing::Active, "").unwrap().into_iter().map(|s| (s.id, s.titolo)).collect();
    let cli: Vec<(i64, String)> = cli_ok(&cli_db, &["list"])
        .lines()
        .map(|l| {
            let mut c = l.split('\t');
            (c.next().unwrap().parse().unwrap(), c.next().unwrap().to_string())
        })
        .collect();
    let mut app_sorted = app.clone();
    app_sorted.sort();
    let mut cli_sorted = cli.clone();
    cli_sorted.sort();
    assert_eq!(app_sorted, cli_sorted, "list");
    assert_eq!(app.len(), demos().len());
}

/// The import guards (size, UTF-8, missing file, another program's JSON) refuse with the CLI's words.
#[test]
fn import_refusals_are_the_clis() {
    let fx = Fixture::new();
    let cli_db = fx.path("cli.sqlite");
    let latin1 = fx.path("latin1.json");
    std::fs::write(&latin1, b"{\"a\": \"caf\xe9\"}").unwrap();
    let other = fx.path("altro.json");
    std::fs::write(&other, b"{\"name\": \"package\", \"version\": \"1.0.0\"}").unwrap();
    let big = fx.path("grande.json");
    std::fs::File::create(&big).unwrap().set_len(pianozona::service::MAX_IMPORT_BYTES + 1).unwrap();
    for p in [latin1, other, big, fx.path("manca.json")] {
        let app = fx.app.import_json(&p).unwrap_err().messaggio;
        let o = cli(&cli_db, &["import", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{p:?}");
        assert_eq!(err(&o).trim(), format!("errore: {app}"), "{p:?}");
        assert!(!app.contains("os error") && !app.contains("line "), "{app}");
    }
    assert!(fx.app.list_fascicoli(Listing::All, "").unwrap().is_empty());
}

/// History, diff and restore of the same edits: the app's commands on one fascicolo, the CLI on
/// its twin in the same archive.
#[test]
fn history_diff_and_restore_match_the_cli() {
    let fx = Fixture::new();
    let db = fx.app.db_path.clone();
    let demo = &demos()[0];
    let a = fx.app.import_json(demo).unwrap();
    let b = cli_import(&db, demo);
    for id in [a, b] {
        let mut f = fx.app.open_fascicolo(id).unwrap().fascicolo;
        f.title = format!("{} (rivisto)", f.title);
        fx.app.save_fascicolo(id, &f).unwrap();
    }
    // Sessions: the same entries, named the same (CLI: "first-last\tstart\tend\tN salvataggi\ttitle").
    let app: Vec<(i64, String)> = fx.app.revisions(a).unwrap().into_iter().map(|r| (r.numero, r.titolo)).collect();
    let cli: Vec<(i64, String)> = cli_ok(&db, &["history", &b.to_string()])
        .lines()
        .rev()
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].rsplit('-').next().unwrap().parse().unwrap(), c[4].to_string())
        })
        .collect();
    assert_eq!(app, cli, "history");
    assert_eq!(app.len(), 2, "{app:?}");

    let changes = fx.app.compare_revision(a, 1, None).unwrap();
    assert_eq!(fx.app.compare_revision(a, 1, Some(2)).unwrap().len(), 1, "the session's own changes");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].campo, "Dati del fascicolo");
    let d = cli_ok(&db, &["diff", &b.to_string(), "1", "2"]);
    assert!(d.starts_with("== Dati del fascicolo\n-- prima:\n"), "{d}");
    assert!(d.contains("(rivisto)") && !d.contains('{'), "{d}");

    let restored = fx.app.restore_revision(a, 1).unwrap();
    let o = cli_ok(&db, &["restore", &b.to_string(), "1"]);
    assert_eq!(o.trim(), format!("Revisione 1 ripristinata come revisione {}.", fx.head(a)));
    assert_eq!(fx.head(a), fx.head(b));
    let store = fx.app.store().unwrap();
    assert_eq!(store.load(a).unwrap(), store.load(b).unwrap());
    assert_eq!(restored.fascicolo.title, store.load(a).unwrap().title);
}

/// Backup by the app restored by the CLI, and the other way round.
#[test]
fn backup_and_restore_match_the_cli() {
    let fx = Fixture::new();
    let demo = &demos()[0];
    fx.app.import_json(demo).unwrap();
    let app_copy = fx.path("copia-app.sqlite");
    fx.app.backup(&app_copy).unwrap();
    let cli_db = fx.path("cli.sqlite");
    cli_import(&cli_db, demo);
    cli_import(&cli_db, demo);
    let cli_copy = fx.path("copia-cli.sqlite");
    cli_ok(&cli_db, &["backup", cli_copy.to_str().unwrap()]);

    let o = cli_ok(&cli_db, &["restore-backup", app_copy.to_str().unwrap()]);
    assert!(o.contains("ora contiene 1 fascicoli"), "{o}");
    let r = fx.app.restore_backup(&cli_copy).unwrap();
    assert_eq!((r.fascicoli, r.fascicoli_prima), (2, Some(1)));
    assert!(
        r.messaggio.contains("ora contiene 2 fascicoli") && r.messaggio.contains("(1 fascicoli)"),
        "{}",
        r.messaggio
    );
    assert!(Path::new(&r.copia_conservata).is_file(), "the replaced archive is kept");
    assert_eq!(fx.app.list_fascicoli(Listing::Active, "").unwrap().len(), 2);
    let junk = fx.path("non-archivio.sqlite");
    std::fs::write(&junk, b"non un archivio").unwrap();
    let app = fx.app.restore_backup(&junk).unwrap_err().messaggio;
    let o = cli(&cli_db, &["restore-backup", junk.to_str().unwrap()]);
    assert_eq!(err(&o).trim(), format!("errore: {app}"));
    assert_eq!(fx.app.list_fascicoli(Listing::Active, "").unwrap().len(), 2, "a refused backup changed nothing");
}

/// Signing with the app and verifying with the CLI (and the reverse, and a tampered file): one verdict.
#[test]
fn signature_verdicts_match_the_cli() {
    let fx = Fixture::new();
    let pki = fx.path("pki");
    let st = Command::new("bash").arg(root().join("tests/support/sign/make_pki.sh")).arg(&pki).status().unwrap();
    assert!(st.success(), "make_pki.sh");
    let id = fx.app.import_json(&demos()[0]).unwrap();
    let pdf = fx.path("fascicolo.pdf");
    fx.app.export_pdf(id, true, &pdf, |_, _| {}).unwrap();
    let key = pianozona::sign::KeySource::pkcs12_file(&pki.join("signer.p12"), "test1234").unwrap();
    let signed =
        crate::signature::sign_with(&pdf, &key, pianozona::service::signature::SignFormat::Pades, None).unwrap();
    assert_eq!(Path::new(&signed.percorso), fx.path("fascicolo-firmato.pdf"));
    let again =
        crate::signature::sign_with(&pdf, &key, pianozona::service::signature::SignFormat::Pades, None).unwrap();
    assert_eq!(Path::new(&again.percorso), fx.path("fascicolo-firmato (2).pdf"), "never overwrites");
    // The timestamp option: a bad address or an unreachable authority is an Italian message and
    // nothing is written (no signature without the timestamp asked for).
    for tsa in ["ftp://tsa.esempio.it", "http://127.0.0.1:9/tsa"] {
        let e = crate::signature::sign_with(&pdf, &key, pianozona::service::signature::SignFormat::Pades, Some(tsa))
            .unwrap_err();
        assert!(e.messaggio.to_lowercase().contains("marca temporale") || e.messaggio.contains("TSA"), "{tsa}: {e:?}");
        assert!(!e.messaggio.contains("os error") && !e.messaggio.contains("Connection"), "{tsa}: {e:?}");
        assert!(!fx.path("fascicolo-firmato (3).pdf").exists(), "{tsa}");
    }

    let pw = fx.path("pw.txt");
    std::fs::write(&pw, "test1234").unwrap();
    let by_cli = fx.path("cli-firmato.pdf");
    let args = ["sign", pdf.to_str().unwrap(), "-o", by_cli.to_str().unwrap(), "--p12"];
    let o = cli(
        &fx.path("x.sqlite"),
        &[&args[..], &[pki.join("signer.p12").to_str().unwrap(), "--password-file", pw.to_str().unwrap()]].concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains(&signed.firmatario), "{}", out(&o));

    let tampered = fx.path("manomesso.pdf");
    let mut bytes = std::fs::read(&signed.percorso).unwrap();
    let at = bytes.windows(6).position(|w| w == b"stream").unwrap() + 20;
    bytes[at] ^= 0x20;
    std::fs::write(&tampered, bytes).unwrap();
    for (file, want) in [(PathBuf::from(&signed.percorso), 3), (by_cli, 3), (tampered, 1)] {
        let o = cli(&fx.path("x.sqlite"), &["verify", "--json", file.to_str().unwrap()]);
        let app = match crate::signature::verify(&file) {
            Ok(app) => app,
            Err(e) => {
                // A file that does not even parse: the CLI says so and exits 1 too.
                assert_eq!((o.status.code(), want), (Some(1), 1), "{file:?}: {}", e.messaggio);
                assert_eq!(err(&o).trim(), format!("errore: {}", e.messaggio));
                continue;
            }
        };
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", err(&o)));
        assert_eq!(o.status.code(), Some(i32::from(app.codice_uscita)), "{file:?}");
        assert_eq!(app.codice_uscita, want, "{file:?}: {:?}", app.dettagli);
        assert_eq!(app.dettagli[0], format!("Esito: {}", v["summary"].as_str().unwrap()), "{file:?}");
        assert_eq!(app.valida, want == 0);
        assert_eq!(app.integra, want == 3);
    }
}

/// A template in the user's folder loads in the app as with the CLI's `--templates`; a broken one
/// leaves the embedded templates and an Italian notice.
#[test]
fn user_templates_load_as_in_the_cli() {
    let fx = Fixture::new();
    let dir = fx.path("modelli");
    std::fs::create_dir(&dir).unwrap();
    let src = std::fs::read_dir(root().join("tests/fixtures/madeup"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "toml"))
        .expect("a template in tests/fixtures/madeup");
    std::fs::copy(&src, dir.join(src.file_name().unwrap())).unwrap();
    let app = AppState::start(fx.path("t.sqlite"), Some(&dir)).unwrap();
    assert!(app.notice().is_none(), "{:?}", app.notice());
    let o = Command::new(cli_bin()).arg("--templates").arg(&dir).arg("templates").output().unwrap();
    let cli: BTreeSet<String> =
        out(&o).lines().filter(|l| !l.starts_with(' ')).map(|l| l.split('\t').next().unwrap().to_string()).collect();
    let ours: BTreeSet<String> = app.app_status().famiglie.into_iter().map(|f| f.id).collect();
    assert_eq!(ours, cli);
    assert!(ours.len() > AppState::start(fx.path("u.sqlite"), None).unwrap().registry.families.len());

    std::fs::write(dir.join("rotto.toml"), "questo non è toml = = =").unwrap();
    let app = AppState::start(fx.path("v.sqlite"), Some(&dir)).unwrap();
    let notice = app.notice().unwrap_or_default();
    assert!(notice.contains("non sono stati caricati"), "{notice}");
    assert!(!app.registry.families.is_empty());
}

/// The grid feedback the editor shows (`grid_feedback`) warns on every grid the Verifica of the
/// CLI flags with the band check: both come from `compute::band_mismatches`.
#[test]
fn grid_feedback_agrees_with_the_verifica() {
    let fx = Fixture::new();
    let cli_db = fx.path("cli.sqlite");
    let (mut grids, mut flagged) = (0, 0);
    for demo in demos() {
        let id = fx.app.import_json(&demo).unwrap();
        let f = fx.app.store().unwrap().load(id).unwrap();
        let fam = fx.app.family(&f.family).unwrap();
        let band_rules: Vec<&str> =
            fam.rules.iter().filter(|r| r.check == "pdz_grid_band").map(|r| r.id.as_str()).collect();
        if band_rules.is_empty() {
            continue;
        }
        let (findings, _) = cli_findings(&cli_db, cli_import(&cli_db, &demo));
        for d in &f.documents {
            let mut warned = false;
            for (section, v) in &d.fields {
                let pianozona::model::FieldValue::EvaluationGrid(g) = v else { continue };
                grids += 1;
                warned |= !fx.app.grid_feedback(&f.family, &d.form, section, g).unwrap().avvisi.is_empty();
            }
            if findings.iter().any(|(rule, doc, _)| *doc == d.id && band_rules.contains(&rule.as_str())) {
                flagged += 1;
                assert!(warned, "{}: the Verifica flags a band, the editor shows no warning", d.id);
            }
        }
    }
    assert!(grids > 0 && flagged > 0, "{grids} grids, {flagged} flagged: the demos hold band mistakes");
}

/// "Archivio non disponibile" has a way out: a destroyed archive is not opened, the app offers the
/// newest intact backup, and restoring it opens the archive with its fascicoli (the destroyed file
/// is kept); an archive with no backup offers nothing.
#[test]
fn a_destroyed_archive_offers_and_restores_its_latest_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archivio.sqlite");
    {
        let app = AppState::start(db.clone(), None).unwrap();
        for (stem, _) in crate::demo::DEMOS {
            app.open_demo(stem).unwrap();
        }
    }
    drop(AppState::start(db.clone(), None).unwrap()); // today's backup holds the demos
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..4096].fill(0);
    std::fs::write(&db, &bytes).unwrap();

    let app = AppState::start(db.clone(), None).unwrap();
    assert!(app.store().is_err());
    let status = app.app_status();
    assert!(status.avviso.as_deref().unwrap_or("").contains("copia di sicurezza"), "{:?}", status.avviso);
    assert!(status.copia_recuperabile.is_some());
    let r = app.restore_latest_backup().unwrap();
    assert_eq!(r.restored_fascicoli as usize, crate::demo::DEMOS.len());
    assert_eq!(std::fs::read(&r.kept_copy).unwrap(), bytes, "the destroyed file is kept as it was");
    assert_eq!(app.list_fascicoli(Listing::Active, "").unwrap().len(), crate::demo::DEMOS.len());
    let status = app.app_status();
    assert!(status.avviso.is_none() && status.copia_recuperabile.is_none());

    // No backup: nothing offered, and asking anyway is refused in Italian.
    let other = dir.path().join("vuoto").join("archivio.sqlite");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    std::fs::write(&other, &bytes).unwrap();
    let app = AppState::start(other, None).unwrap();
    assert!(app.app_status().copia_recuperabile.is_none());
    let e = app.restore_latest_backup().unwrap_err();
    assert!(e.messaggio.contains("copia di sicurezza"), "{}", e.messaggio);
}

/// The whole plan: a chapter's text written through the app's autosave (`save_chapter`) and through
/// the CLI (`chapter-text`) gives the same fascicolo and the same Verifica; an office sub-chapter
/// added, numbered and removed through the app's commands as through the CLI; a chapter the Region
/// requires is refused in Italian.
#[test]
fn plan_chapters_through_the_app_and_the_cli() {
    let fx = Fixture::new();
    let demo = root().join("assets/demo/piano-di-zona-2025-2027-lodi.json");
    let id = fx.app.import_json(&demo).unwrap();
    let cli_db = fx.path("cli.sqlite");
    let cli_id = cli_import(&cli_db, &demo);
    let text = "# Il nostro Ambito\n\nUn’introduzione prima dell’elenco:\n\n- **primo** punto\n- *secondo* punto\n\n1. uno\n2. due";
    let head = fx.head(id);

    let saved = fx.app.save_chapter(id, "premessa", None, text).unwrap();
    assert_eq!(saved.revisione, head + 1);
    let last = fx.app.store().unwrap().history(id).unwrap().into_iter().last().unwrap();
    assert_eq!((last.rev, last.changed), (head + 1, 1), "only the chapter is written");
    let file = fx.path("premessa.txt");
    std::fs::write(&file, text).unwrap();
    cli_ok(&cli_db, &["chapter-text", &cli_id.to_string(), "premessa", file.to_str().unwrap()]);
    let cli_store = pianozona::store::Store::open(&cli_db).unwrap();
    let from_cli = cli_store.load(cli_id).unwrap();
    let from_app = fx.app.store().unwrap().load(id).unwrap();
    assert_eq!(from_app, from_cli, "the app and the CLI wrote different chapters");
    let ch = from_app.plan.as_ref().unwrap().chapter("premessa").unwrap();
    assert_eq!(ch.parts[0], pianozona::model::Part::Text { text: text.into() });
    let (want, _) = cli_findings(&cli_db, cli_id);
    assert_eq!(app_findings(&saved.rilievi), want, "Verifica after the chapter's autosave");

    // The outline the app shows: numbers computed, the written words counted.
    let opened = fx.app.open_fascicolo(id).unwrap();
    let outline = fx.app.plan_outline(&opened.fascicolo).unwrap();
    let premessa = outline.iter().find(|c| c.id == "premessa").unwrap();
    assert_eq!((premessa.numero.as_str(), premessa.parole), ("", 12));
    assert!(outline.iter().any(|c| c.numero == "2.3" && c.id == "contesto_risorse"));

    // A sub-chapter of the office: added as 2.4, renamed, moved up to 2.3, then removed.
    let added = fx.app.add_chapter(opened.fascicolo.clone(), Some("contesto"), "Dati sul lavoro").unwrap();
    let f = fx.app.rename_chapter(added.fascicolo, &added.id, "Dati sul lavoro e l’occupazione").unwrap();
    let f = fx.app.move_chapter(f, &added.id, -1).unwrap();
    let saved = fx.app.save_fascicolo(id, &f).unwrap();
    assert!(saved.revisione > head + 1);
    let outline = fx.app.plan_outline(&fx.app.open_fascicolo(id).unwrap().fascicolo).unwrap();
    let mine = outline.iter().find(|c| c.id == added.id).unwrap();
    assert_eq!(
        (mine.numero.as_str(), mine.titolo.as_str(), mine.proprio),
        ("2.3", "Dati sul lavoro e l’occupazione", true)
    );
    let out = cli_ok(&cli_db, &["chapter-add", &cli_id.to_string(), "--parent", "contesto", "Dati sul lavoro"]);
    let cli_new = out.lines().last().unwrap().trim().to_string();
    assert_eq!(cli_new, added.id, "the CLI and the app number the new chapter alike");
    cli_ok(&cli_db, &["chapter-rename", &cli_id.to_string(), &cli_new, "Dati sul lavoro e l’occupazione"]);
    let from_cli = pianozona::store::Store::open(&cli_db).unwrap().load(cli_id).unwrap();
    let cli_outline = fx.app.plan_outline(&from_cli).unwrap();
    let cli_mine = cli_outline.iter().find(|c| c.id == cli_new).unwrap();
    assert_eq!((cli_mine.numero.as_str(), cli_mine.titolo.as_str()), ("2.4", mine.titolo.as_str()));

    let f = fx.app.remove_chapter(f, &added.id).unwrap();
    assert!(fx.app.plan_outline(&f).unwrap().iter().all(|c| c.id != added.id));
    for required in ["premessa", "contesto", "obiettivi_tematici"] {
        let e = fx.app.remove_chapter(f.clone(), required).unwrap_err();
        assert!(
            e.messaggio.contains("richiesto dalla Regione") && e.messaggio.contains("non eliminare"),
            "{}",
            e.messaggio
        );
        let o = cli(&cli_db, &["chapter-remove", &cli_id.to_string(), required]);
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("richiesto dalla Regione"), "{}", err(&o));
    }
    // A chapter that does not exist: Italian, with its name.
    let e = fx.app.save_chapter(id, "nessuno", None, "x").unwrap_err();
    assert!(e.messaggio.contains("«nessuno»"), "{}", e.messaggio);
    // An empty title is refused.
    assert!(fx.app.add_chapter(f, None, "   ").unwrap_err().messaggio.contains("titolo"));
}

/// Every command that takes a path refuses one the user did not choose in the app's dialog (or
/// that is not in the app's own folders), in Italian, touching nothing; after the choice
/// (`grant_chosen`, what `files::choose_file` does) it works. A PKCS#11 library comes only from
/// the known list or the dialog. The restore screen lists the automatic backups with their
/// fascicoli, restores one without a dialog, and refuses another program's file or an empty one.
#[test]
fn paths_need_the_users_choice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archivio.sqlite");
    let app = AppState::start(db.clone(), None).unwrap();
    let refused = |e: crate::error::IpcError| {
        assert!(e.messaggio.contains("non è stato scelto"), "{}", e.messaggio);
        assert!(!e.messaggio.contains("os error"), "{}", e.messaggio);
    };
    let demo = &demos()[0];
    refused(app.import_json(demo).unwrap_err());
    assert!(app.list_fascicoli(Listing::Active, "").unwrap().is_empty(), "a refused import wrote");
    app.grant_chosen("import", demo).unwrap();
    let id = app.import_json(demo).unwrap();

    let json = dir.path().join("uscita.json");
    refused(app.export_json(id, &json).unwrap_err());
    let pdf = dir.path().join("uscita.pdf");
    refused(app.export_pdf(id, true, &pdf, |_, _| {}).unwrap_err());
    let copy = dir.path().join("copia.sqlite");
    refused(app.backup(&copy).unwrap_err());
    // The archive itself, named by the web view, is never a place to write.
    refused(app.export_json(id, &db).unwrap_err());
    assert!(!json.exists() && !pdf.exists() && !copy.exists(), "a refused path was written");
    // A file chosen to be read is not one to write over.
    app.grant_chosen("import", &json).unwrap();
    refused(app.export_json(id, &json).unwrap_err());
    app.grant_chosen("json", &json).unwrap();
    app.export_json(id, &json).unwrap();
    app.grant_chosen("pdf", &pdf).unwrap();
    app.export_pdf(id, true, &pdf, |_, _| {}).unwrap();
    app.grant_chosen("copia", &copy).unwrap();
    app.backup(&copy).unwrap();
    assert!(app.grant_chosen("qualsiasi", &copy).is_err(), "unknown dialog kind");

    // Signing: the PDF and the certificate are read only when chosen; a library only when known or chosen.
    let cert = dir.path().join("firma.p12");
    std::fs::write(&cert, b"non un certificato").unwrap();
    refused(app.sign_p12(&pdf, &cert, "1234", pianozona::service::signature::SignFormat::Pades, None).unwrap_err());
    let other_pdf = dir.path().join("altro.pdf");
    std::fs::copy(&pdf, &other_pdf).unwrap();
    app.grant_chosen("certificato", &cert).unwrap();
    refused(
        app.sign_p12(&other_pdf, &cert, "1234", pianozona::service::signature::SignFormat::Pades, None).unwrap_err(),
    );
    refused(app.verify_signature(&other_pdf).unwrap_err());
    let lib = dir.path().join("libqualsiasi.so");
    std::fs::write(&lib, b"\x7fELF").unwrap();
    let e = app.read_token(&lib).unwrap_err();
    assert!(e.messaggio.contains("Sfoglia"), "{}", e.messaggio);
    let key = pianozona::sign::KeySource::pkcs11(&lib, None, "1234");
    let e = app.sign_token(&pdf, &lib, &key, pianozona::service::signature::SignFormat::Pades, None).unwrap_err();
    assert!(e.messaggio.contains("Sfoglia"), "{}", e.messaggio);

    // Restore: another program's SQLite file and an empty file are refused even when chosen.
    let foreign = dir.path().join("altro-programma.sqlite");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE clienti (nome TEXT); INSERT INTO clienti VALUES ('x');").unwrap();
    }
    let empty = dir.path().join("vuoto.sqlite");
    std::fs::write(&empty, b"").unwrap();
    refused(app.restore_backup(&foreign).unwrap_err());
    for f in [&foreign, &empty] {
        let before = std::fs::read(f).unwrap();
        app.grant_chosen("ripristino", f).unwrap();
        let e = app.restore_backup(f).unwrap_err().messaggio;
        assert!(!e.contains("non è stato scelto") && !e.contains("file is not a database"), "{e}");
        assert_eq!(std::fs::read(f).unwrap(), before, "the refused file was changed");
        assert_eq!(app.list_fascicoli(Listing::Active, "").unwrap().len(), 1, "a refused restore changed the archive");
    }
    drop(app);

    // The restore screen: the automatic backup of today, with its fascicoli, restorable without a dialog.
    let app = AppState::start(db.clone(), None).unwrap();
    // Today's backup (1 fascicolo) is made in the background at this opening: complete it before
    // the archive changes, so it holds what the archive held.
    let _ = app.store().unwrap().wait_backup();
    app.grant_chosen("import", demo).unwrap();
    app.import_json(demo).unwrap();
    let list = app.list_backups().unwrap();
    assert_eq!(list.fascicoli_attuali, Some(2));
    let auto = list.copie.iter().find(|c| c.fascicoli == Some(1)).unwrap_or_else(|| panic!("{list:?}"));
    assert!(auto.problema.is_none() && auto.data.len() == 16, "{auto:?}");
    let r = app.restore_backup(Path::new(&auto.percorso)).unwrap();
    assert_eq!((r.fascicoli, r.fascicoli_prima), (1, Some(2)));
    assert_eq!(app.list_fascicoli(Listing::Active, "").unwrap().len(), 1);
    let kept = app.list_backups().unwrap();
    assert!(kept.copie.iter().any(|c| c.percorso == r.copia_conservata && c.fascicoli == Some(2)), "{kept:?}");
}
