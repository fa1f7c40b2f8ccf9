//! A corpus of bad inputs, generated here, run through the real `pianozona` binary: malformed and
//! truncated JSON, wrong types, absurd numbers, invalid dates, BOM/UTF-16/NUL, huge texts, deep
//! nesting, foreign/empty/damaged/newer/locked/write-protected archives, missing folders, broken
//! PDFs and wrong passwords. For each: exit code 1 or 2 (no panic), an Italian message without
//! library English, and the archive unchanged.

mod common;

use serde_json::{json, Value};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

const DEMO: &str = "assets/demo/oglio-po-2021-2023-quota-premiale.json";

/// English words and phrases of the libraries (and of Rust) that must never reach a user.
const DENY_WORDS: &[&str] = &[
    "error",
    "expected",
    "eof",
    "database",
    "panicked",
    "invalid",
    "failed",
    "unable",
    "cannot",
    "unwrap",
    "conversion",
    "locked",
    "malformed",
    "syntax",
    "parsing",
    "unexpected",
    "unknown",
    "missing",
    "denied",
    "such",
    "line",
    "column",
    "type",
    "value",
    "string",
    "integer",
    "found",
    "readonly",
    "attempt",
    "tmp",
    "utf8",
    "null",
];
const DENY_PHRASES: &[&str] = &["os error", "no such file", "permission denied", "at line", "invalid type", "(os "];

fn english_words(msg: &str) -> Vec<String> {
    let lower = msg.to_lowercase();
    let mut bad: Vec<String> =
        lower.split(|c: char| !c.is_alphanumeric()).filter(|w| DENY_WORDS.contains(w)).map(str::to_string).collect();
    bad.extend(DENY_PHRASES.iter().filter(|p| lower.contains(*p)).map(|p| p.to_string()));
    bad
}

struct Case {
    name: String,
    args: Vec<OsString>,
    /// Archive given with --db, and checked unchanged afterwards.
    db: PathBuf,
    /// Extra files that must be unchanged (e.g. the source of a refused restore).
    also_unchanged: Vec<PathBuf>,
}

fn case(name: impl Into<String>, db: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Case {
    Case {
        name: name.into(),
        args: args.iter().map(|a| a.as_ref().to_os_string()).collect(),
        db: db.to_path_buf(),
        also_unchanged: vec![],
    }
}

fn run(db: &Path, args: &[OsString]) -> std::process::Output {
    common::run(db, args)
}

/// File bytes (plus the WAL's, if any), for "unchanged" checks.
fn snapshot(p: &Path) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut w = p.as_os_str().to_owned();
    w.push("-wal");
    Some((std::fs::read(p).ok()?, std::fs::read(PathBuf::from(w)).unwrap_or_default()))
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A JSON variant of the demo with one change.
fn mutate(base: &Value, f: impl FnOnce(&mut Value)) -> String {
    let mut v = base.clone();
    f(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

fn sqlite(path: &Path, sql: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(sql).unwrap();
}

#[test]
fn bad_inputs_are_refused_in_italian_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo_text = std::fs::read_to_string(DEMO).unwrap();
    let demo: Value = serde_json::from_str(&demo_text).unwrap();

    // The office's archive, with one fascicolo.
    let db = d.join("archivio.sqlite");
    let id = common::import(&db, Path::new(DEMO));
    assert_eq!(id, "1");

    let mut cases: Vec<Case> = Vec::new();
    let imp = |name: String, bytes: Vec<u8>, cases: &mut Vec<Case>| {
        let p = write(d, &format!("in-{}.json", cases.len()), bytes);
        cases.push(case(name, &db, &[&"import", &p]));
    };

    // 1. truncated JSON (30 cut points)
    for k in 1..=30 {
        let cut = demo_text.len() * k / 31;
        let cut = (0..=cut).rev().find(|i| demo_text.is_char_boundary(*i)).unwrap();
        imp(format!("troncato a {cut} byte"), demo_text.as_bytes()[..cut].to_vec(), &mut cases);
    }
    // 2. malformed JSON: structural characters removed or replaced
    let structural: Vec<usize> = demo_text.match_indices([',', ':', '{', '}', '[', ']', '"']).map(|(i, _)| i).collect();
    let (mut k, mut made) = (0, 0);
    while made < 24 {
        let at = structural[(k * 97 + 13) % structural.len()];
        let mut b = demo_text.as_bytes().to_vec();
        if k % 2 == 0 {
            b.remove(at);
        } else {
            b[at] = b';';
        }
        k += 1;
        // Only changes that really break the JSON (a quote inside a text may not).
        if serde_json::from_slice::<Value>(&b).is_ok() {
            continue;
        }
        made += 1;
        imp(format!("malformato #{k} a {at}"), b, &mut cases);
    }
    for (n, t) in [
        ("vuoto", ""),
        ("solo spazi", "   \n\t "),
        ("null", "null"),
        ("numero", "42"),
        ("testo", "\"ciao\""),
        ("elenco", "[]"),
        ("oggetto vuoto", "{}"),
        ("virgola finale", "{\"format\": \"pianozona.fascicolo\", \"version\": 1,}"),
        ("chiave senza virgolette", "{format: 1}"),
        ("apici singoli", "{'format': 'pianozona.fascicolo'}"),
        ("commento", "// fascicolo\n{}"),
        ("due oggetti", "{} {}"),
        ("escape rotto", "{\"format\": \"pianozona\\q\"}"),
        ("unicode rotto", "{\"format\": \"\\ud800\"}"),
        ("escape troncato", "{\"format\": \"\\u12\"}"),
        ("NaN", "{\"format\": NaN}"),
        ("altro programma", "{\"name\": \"package\", \"version\": \"1.0.0\"}"),
        ("versione futura", "{\"format\": \"pianozona.fascicolo\", \"version\": 99}"),
    ] {
        imp(format!("JSON: {n}"), t.as_bytes().to_vec(), &mut cases);
    }
    // 3. wrong types, absurd numbers, invalid dates, unknown names
    type Mutation = Box<dyn Fn(&mut Value)>;
    let muts: Vec<(&str, Mutation)> = vec![
        ("version testo", Box::new(|v| v["version"] = json!("1"))),
        ("version negativa", Box::new(|v| v["version"] = json!(-1))),
        ("version enorme", Box::new(|v| v["version"] = json!(18446744073709551615u64))),
        ("version decimale", Box::new(|v| v["version"] = json!(1.5))),
        ("format numero", Box::new(|v| v["format"] = json!(1))),
        ("profilo null", Box::new(|v| v["profile"] = Value::Null)),
        ("profilo elenco", Box::new(|v| v["profile"] = json!([]))),
        ("fascicolo mancante", Box::new(|v| drop(v.as_object_mut().unwrap().remove("fascicolo")))),
        ("campo sconosciuto", Box::new(|v| v["extra"] = json!(true))),
        ("titolo numero", Box::new(|v| v["fascicolo"]["title"] = json!(5))),
        ("titolo null", Box::new(|v| v["fascicolo"]["title"] = Value::Null)),
        ("titolo elenco", Box::new(|v| v["fascicolo"]["title"] = json!(["a"]))),
        ("famiglia sconosciuta", Box::new(|v| v["fascicolo"]["family"] = json!("qp1999"))),
        ("variante sconosciuta", Box::new(|v| v["fascicolo"]["variant"] = json!("nessuna"))),
        ("documenti oggetto", Box::new(|v| v["fascicolo"]["documents"] = json!({}))),
        ("documenti testo", Box::new(|v| v["fascicolo"]["documents"] = json!("tutti"))),
        ("documento null", Box::new(|v| v["fascicolo"]["documents"][0] = Value::Null)),
        ("documento ripetuto", Box::new(|v| v["fascicolo"]["documents"][1]["id"] = json!("lettera"))),
        ("modulo sconosciuto", Box::new(|v| v["fascicolo"]["documents"][1]["form"] = json!("scheda_9z"))),
        ("numero testo", Box::new(|v| v["fascicolo"]["documents"][1]["number"] = json!("uno"))),
        ("numero negativo", Box::new(|v| v["fascicolo"]["documents"][1]["number"] = json!(-1))),
        ("numero enorme", Box::new(|v| v["fascicolo"]["documents"][1]["number"] = json!(1e20))),
        ("numero decimale", Box::new(|v| v["fascicolo"]["documents"][1]["number"] = json!(3.5))),
        ("all_n enorme", Box::new(|v| v["fascicolo"]["documents"][1]["all_n"] = json!(99999999999u64))),
        ("data 30 febbraio", Box::new(|v| v["fascicolo"]["date"] = json!("2024-02-30"))),
        ("data italiana", Box::new(|v| v["fascicolo"]["date"] = json!("18/02/2022"))),
        ("data mese 13", Box::new(|v| v["fascicolo"]["date"] = json!("2022-13-01"))),
        ("data vuota", Box::new(|v| v["fascicolo"]["date"] = json!(""))),
        ("data numero", Box::new(|v| v["fascicolo"]["date"] = json!(20220218))),
        ("data anno enorme", Box::new(|v| v["fascicolo"]["date"] = json!("99999-01-01"))),
        ("data con ora", Box::new(|v| v["fascicolo"]["date"] = json!("2022-02-18T10:00:00"))),
        (
            "data lettera invalida",
            Box::new(|v| {
                v["fascicolo"]["documents"][0]["fields"]["data"] = json!({"kind": "date", "date": "2022-02-31"})
            }),
        ),
        ("genere sconosciuto", Box::new(|v| v["fascicolo"]["signer"]["gender"] = json!("X"))),
        ("firmatario testo", Box::new(|v| v["fascicolo"]["signer"] = json!("Mario"))),
        ("opzione sconosciuta", Box::new(|v| v["fascicolo"]["options"]["colore"] = json!("blu"))),
        (
            "tipo di campo sconosciuto",
            Box::new(|v| v["fascicolo"]["documents"][1]["fields"]["obiettivo"] = json!({"kind": "poesia"})),
        ),
        (
            "campo senza kind",
            Box::new(|v| v["fascicolo"]["documents"][1]["fields"]["obiettivo"] = json!({"text": "x"})),
        ),
        (
            "testo numero",
            Box::new(|v| v["fascicolo"]["documents"][1]["fields"]["obiettivo"] = json!({"kind": "text", "text": 7})),
        ),
        (
            "tipo non adatto alla sezione",
            Box::new(|v| v["fascicolo"]["documents"][1]["fields"]["obiettivo"] = json!({"kind": "items", "items": []})),
        ),
        (
            "sezione sconosciuta",
            Box::new(|v| v["fascicolo"]["documents"][1]["fields"]["poesia"] = json!({"kind": "text", "text": "x"})),
        ),
        (
            "voce di vocabolario sconosciuta",
            Box::new(|v| {
                v["fascicolo"]["documents"][1]["fields"]["macroarea"]["selected"] = json!(["nessuna-voce-simile-zzz"])
            }),
        ),
        (
            "persone testo",
            Box::new(|v| {
                v["fascicolo"]["documents"][1]["fields"]["risorse_umane"]["rows"][0]["cells"]["proprie"]["persone"] =
                    json!("due")
            }),
        ),
        (
            "persone negative",
            Box::new(|v| {
                v["fascicolo"]["documents"][1]["fields"]["risorse_umane"]["rows"][0]["cells"]["proprie"]["persone"] =
                    json!(-3)
            }),
        ),
        (
            "gantt modo sconosciuto",
            Box::new(|v| v["fascicolo"]["documents"][1]["fields"]["cronoprogramma"]["mode"] = json!("annuale")),
        ),
        (
            "gantt mese invalido",
            Box::new(|v| v["fascicolo"]["documents"][1]["fields"]["cronoprogramma"]["start"] = json!("2022-14")),
        ),
        ("attività null", Box::new(|v| v["fascicolo"]["documents"][1]["activities"] = Value::Null)),
        (
            "attività ripetuta",
            Box::new(|v| {
                let a = v["fascicolo"]["documents"][1]["activities"][0].clone();
                v["fascicolo"]["documents"][1]["activities"].as_array_mut().unwrap().push(a);
            }),
        ),
        ("asst numero", Box::new(|v| v["profile"]["asst"] = json!(3))),
        ("rappresentante mancante", Box::new(|v| drop(v["profile"].as_object_mut().unwrap().remove("legal_rep")))),
    ];
    for (n, m) in &muts {
        imp(format!("tipo: {n}"), mutate(&demo, m).into_bytes(), &mut cases);
    }
    // 4. encodings, NUL, huge texts, deep nesting
    let bad_title = mutate(&demo, |v| v["fascicolo"]["title"] = json!(5));
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend_from_slice(&bad_title.as_bytes()[..bad_title.len() / 2]);
    imp("BOM UTF-8 e troncato".into(), b, &mut cases);
    let utf16 = |s: &str, be: bool, bom: bool| -> Vec<u8> {
        let mut out = if !bom {
            vec![]
        } else if be {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in s.encode_utf16() {
            out.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    };
    imp("UTF-16 LE con BOM, titolo numero".into(), utf16(&bad_title, false, true), &mut cases);
    imp("UTF-16 BE con BOM, titolo numero".into(), utf16(&bad_title, true, true), &mut cases);
    imp("UTF-16 LE senza BOM".into(), utf16(&demo_text, false, false), &mut cases);
    imp("UTF-16 BE senza BOM".into(), utf16(&demo_text, true, false), &mut cases);
    let mut odd = utf16(&demo_text, false, true);
    odd.pop();
    imp("UTF-16 troncato a metà carattere".into(), odd, &mut cases);
    imp(
        "Latin-1".into(),
        demo_text.replace('à', "\u{0}").bytes().map(|c| if c == 0 { 0xE0 } else { c }).collect(),
        &mut cases,
    );
    imp("NUL in un testo".into(), demo_text.replacen("Oglio Po", "Oglio\u{0}Po", 1).into_bytes(), &mut cases);
    imp("NUL all'inizio".into(), [&[0u8][..], demo_text.as_bytes()].concat(), &mut cases);
    imp("tutti NUL".into(), vec![0u8; 4096], &mut cases);
    imp("binario".into(), (0..8192u32).map(|i| (i.wrapping_mul(2654435761u32) >> 13) as u8).collect(), &mut cases);
    imp("PDF al posto del JSON".into(), b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".to_vec(), &mut cases);
    let huge = "abitare ".repeat(2_000_000);
    imp(
        "testo enorme troncato".into(),
        mutate(&demo, |v| v["fascicolo"]["notes"] = json!(huge)).as_bytes()[..12_000_000].to_vec(),
        &mut cases,
    );
    imp(
        "testo enorme con tipo sbagliato".into(),
        mutate(&demo, |v| {
            v["fascicolo"]["notes"] = json!(huge);
            v["fascicolo"]["title"] = json!(false)
        })
        .into_bytes(),
        &mut cases,
    );
    imp(
        "numero di 5000 cifre".into(),
        format!("{{\"format\": \"pianozona.fascicolo\", \"version\": 1{}}}", "0".repeat(5000)).into_bytes(),
        &mut cases,
    );
    imp(
        "numero di 400 cifre come numero di scheda".into(),
        demo_text.replacen("\"number\": 1", &format!("\"number\": 1{}", "0".repeat(400)), 1).into_bytes(),
        &mut cases,
    );
    imp("annidamento 100000".into(), "[".repeat(100_000).into_bytes(), &mut cases);
    imp("annidamento oggetti 5000".into(), "{\"a\":".repeat(5000).into_bytes(), &mut cases);
    imp(
        "annidamento in un campo".into(),
        demo_text
            .replacen("\"notes\":", &format!("\"notes\": {}1{}, \"x\":", "[".repeat(200), "]".repeat(200)), 1)
            .into_bytes(),
        &mut cases,
    );
    // 5. files and folders that are not there
    cases.push(case("import di un file inesistente", &db, &[&"import", &d.join("manca.json")]));
    cases.push(case("import di una cartella", &db, &[&"import", &d]));
    cases.push(case("import da cartella inesistente", &db, &[&"import", &d.join("manca/dentro.json")]));
    cases.push(case("export in cartella inesistente", &db, &[&"export", &"1", &"-o", &d.join("manca/f.json")]));
    cases.push(case("export su una cartella", &db, &[&"export", &"1", &"-o", &d]));
    cases.push(case("pdf in cartella inesistente", &db, &[&"pdf", &"1", &"--final", &"-o", &d.join("manca/f.pdf")]));
    cases.push(case("backup in cartella inesistente", &db, &[&"backup", &d.join("manca/b.sqlite")]));
    cases.push(case("backup su una cartella", &db, &[&"backup", &d]));
    cases.push(case("backup sull'archivio stesso", &db, &[&"backup", &db]));
    for (n, a) in [
        ("export fascicolo inesistente", vec!["export", "999", "-o", "x.json"]),
        ("history fascicolo inesistente", vec!["history", "999"]),
        ("diff revisione inesistente", vec!["diff", "1", "1", "99"]),
        ("diff revisione zero", vec!["diff", "1", "0", "1"]),
        ("restore revisione inesistente", vec!["restore", "1", "99"]),
        ("restore fascicolo inesistente", vec!["restore", "77", "1"]),
        ("check fascicolo inesistente", vec!["check", "999"]),
        ("pdf fascicolo inesistente", vec!["pdf", "999", "-o", "x.pdf"]),
        ("delete fascicolo inesistente", vec!["delete", "999"]),
        ("undelete fascicolo inesistente", vec!["undelete", "999"]),
        ("export id negativo", vec!["export", "-5", "-o", "x.json"]),
    ] {
        let a: Vec<&dyn AsRef<std::ffi::OsStr>> = a.iter().map(|s| s as &dyn AsRef<std::ffi::OsStr>).collect();
        cases.push(case(n, &db, &a));
    }

    // 6. archives that are not ours, empty, damaged, newer, truncated
    let foreign = d.join("altro-programma.sqlite");
    sqlite(
        &foreign,
        "CREATE TABLE clienti (id INTEGER PRIMARY KEY, nome TEXT); INSERT INTO clienti VALUES (1, 'Rossi');",
    );
    let foreign_wal = d.join("altro-wal.sqlite");
    sqlite(
        &foreign_wal,
        "PRAGMA journal_mode=WAL; CREATE TABLE fascicoli (id INTEGER PRIMARY KEY); PRAGMA user_version=1;",
    );
    let empty_sqlite = d.join("vuoto.sqlite");
    sqlite(&empty_sqlite, "CREATE TABLE t (a); DROP TABLE t;");
    let zero = write(d, "zero.sqlite", b"");
    let junk = write(d, "spazzatura.sqlite", b"questo non e un archivio".repeat(400));
    let good = std::fs::read(&db).unwrap();
    let truncated = write(d, "troncato.sqlite", &good[..good.len() / 3]);
    let header_only = write(d, "solo-intestazione.sqlite", &good[..100]);
    let damaged = d.join("danneggiato.sqlite");
    {
        let mut b = good.clone();
        let page = 4096;
        let pages = b.len() / page;
        for p in [pages / 2, pages - 1] {
            for x in &mut b[p * page..(p + 1) * page] {
                *x = 0x55;
            }
        }
        std::fs::write(&damaged, b).unwrap();
    }
    let newer = d.join("nuovo.sqlite");
    std::fs::copy(&db, &newer).unwrap();
    sqlite(&newer, "PRAGMA user_version = 99;");
    let dir_db = d.join("cartella.sqlite");
    std::fs::create_dir(&dir_db).unwrap();
    let demo_path = PathBuf::from(DEMO);
    let bad_dbs = [
        ("altro programma", &foreign),
        ("altro programma WAL con tabella fascicoli", &foreign_wal),
        ("SQLite vuoto", &empty_sqlite),
        ("non SQLite", &junk),
        ("troncato", &truncated),
        ("solo intestazione", &header_only),
        ("più recente", &newer),
        ("cartella", &dir_db),
    ];
    for (n, p) in &bad_dbs {
        for (cmd, a) in [
            ("list", vec![OsString::from("list")]),
            ("search", vec!["search".into(), "abitare".into()]),
            ("import", vec!["import".into(), demo_path.clone().into()]),
            ("export", vec!["export".into(), "1".into(), "-o".into(), d.join("e.json").into()]),
            ("backup", vec!["backup".into(), d.join("b.sqlite").into()]),
            ("delete", vec!["delete".into(), "1".into()]),
        ] {
            cases.push(Case {
                name: format!("archivio {n}: {cmd}"),
                args: a,
                db: p.to_path_buf(),
                also_unchanged: vec![],
            });
        }
    }
    // damaged archive: writes refused (reads work, checked below)
    for (cmd, a) in [
        ("import", vec![OsString::from("import"), demo_path.clone().into()]),
        ("delete", vec!["delete".into(), "1".into()]),
        ("restore", vec!["restore".into(), "1".into(), "1".into()]),
        ("backup", vec!["backup".into(), d.join("dal-danneggiato.sqlite").into()]),
    ] {
        cases.push(Case {
            name: format!("archivio danneggiato: {cmd}"),
            args: a,
            db: damaged.clone(),
            also_unchanged: vec![],
        });
    }
    // 7. restore-backup from what is not a good archive of ours
    for (n, p) in [
        ("file vuoto", &zero),
        ("altro programma", &foreign),
        ("SQLite vuoto", &empty_sqlite),
        ("non SQLite", &junk),
        ("troncato", &truncated),
        ("solo intestazione", &header_only),
        ("danneggiato", &damaged),
        ("più recente", &newer),
        ("cartella", &dir_db),
        ("JSON", &demo_path),
    ] {
        cases.push(Case {
            name: format!("restore-backup da {n}"),
            args: vec!["restore-backup".into(), p.into()],
            db: db.clone(),
            also_unchanged: vec![p.to_path_buf()],
        });
    }
    cases.push(case("restore-backup da file inesistente", &db, &[&"restore-backup", &d.join("manca.sqlite")]));
    cases.push(case("restore-backup dall'archivio stesso", &db, &[&"restore-backup", &db]));

    // 8. write-protected archive: writes refused
    let ro = d.join("protetto.sqlite");
    std::fs::copy(&db, &ro).unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&ro, perm).unwrap();
    for (cmd, a) in [
        ("import", vec![OsString::from("import"), demo_path.clone().into()]),
        ("delete", vec!["delete".into(), "1".into()]),
    ] {
        cases.push(Case { name: format!("archivio protetto: {cmd}"), args: a, db: ro.clone(), also_unchanged: vec![] });
    }

    // 9. verify / sign with broken files and wrong passwords
    let pdf_ok = d.join("ok.pdf");
    let o = run(&db, &["pdf".into(), "1".into(), "--final".into(), "-o".into(), pdf_ok.clone().into()]);
    assert_eq!(o.status.code(), Some(0), "{}", common::text(&o));
    let pdf = std::fs::read(&pdf_ok).unwrap();
    let broken_pdfs = [
        ("vuoto", Vec::new()),
        ("solo intestazione", b"%PDF-1.7\n".to_vec()),
        ("troncato a metà", pdf[..pdf.len() / 2].to_vec()),
        ("senza xref", pdf[..pdf.len() - 200].to_vec()),
        ("testo", b"non sono un pdf".to_vec()),
        ("JSON", demo_text.as_bytes().to_vec()),
        ("p7m finto", vec![0x30, 0x82, 0x01, 0x00, 0x06, 0x09]),
        ("byte a caso", (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect()),
    ];
    let pass = write(d, "giusta.pass", "segreta\n");
    let p12_junk = write(d, "finto.p12", b"non un p12");
    for (n, bytes) in &broken_pdfs {
        let p = write(d, &format!("rotto-{}.pdf", n.replace(' ', "-")), bytes);
        cases.push(case(format!("verify PDF {n}"), &db, &[&"verify", &p]));
        cases.push(case(
            format!("sign PDF {n}"),
            &db,
            &[&"sign", &p, &"-o", &d.join("firmato.pdf"), &"--p12", &p12_junk, &"--password-file", &pass],
        ));
    }
    cases.push(case("verify file inesistente", &db, &[&"verify", &d.join("manca.pdf")]));
    cases.push(case("verify una cartella", &db, &[&"verify", &d]));
    cases.push(case(
        "sign con p12 inesistente",
        &db,
        &[&"sign", &pdf_ok, &"-o", &d.join("f.pdf"), &"--p12", &d.join("manca.p12"), &"--password-file", &pass],
    ));
    cases.push(case(
        "sign con file password inesistente",
        &db,
        &[&"sign", &pdf_ok, &"-o", &d.join("f.pdf"), &"--p12", &p12_junk, &"--password-file", &d.join("manca.pass")],
    ));
    cases.push(case(
        "sign con p12 vuoto",
        &db,
        &[&"sign", &pdf_ok, &"-o", &d.join("f.pdf"), &"--p12", &zero, &"--password-file", &pass],
    ));
    // a real PKCS#12 made by openssl, with the wrong password
    let key = d.join("k.pem");
    let crt = d.join("c.pem");
    let p12 = d.join("vero.p12");
    let ok = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Mario Rossi", "-days", "30", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
        && Command::new("openssl")
            .args(["pkcs12", "-export", "-passout", "pass:giusta", "-inkey"])
            .arg(&key)
            .arg("-in")
            .arg(&crt)
            .arg("-out")
            .arg(&p12)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
    assert!(ok, "openssl is needed to make a PKCS#12");
    for (n, pw) in
        [("errata", "sbagliata\n"), ("vuota", ""), ("lunghissima", &"x".repeat(100_000)), ("con NUL", "giu\0sta")]
    {
        let pf = write(d, &format!("pw-{n}.pass"), pw);
        cases.push(case(
            format!("sign con password {n}"),
            &db,
            &[&"sign", &pdf_ok, &"-o", &d.join("f.pdf"), &"--p12", &p12, &"--password-file", &pf],
        ));
        cases.push(case(
            format!("sign CAdES con password {n}"),
            &db,
            &[&"sign", &"--cades", &pdf_ok, &"-o", &d.join("f.p7m"), &"--p12", &p12, &"--password-file", &pf],
        ));
    }

    // Run them all.
    let (mut refused, mut panics, mut lost, mut english) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for c in &cases {
        let mut watched = vec![c.db.clone()];
        watched.extend(c.also_unchanged.iter().cloned());
        let before: Vec<_> = watched.iter().map(|p| snapshot(p)).collect();
        let o = run(&c.db, &c.args);
        let msg = common::text(&o);
        let code = o.status.code();
        let mut why = Vec::new();
        if msg.contains("panicked") || code == Some(101) {
            panics += 1;
            why.push("panic".to_string());
        }
        if matches!(code, Some(1) | Some(2)) {
            refused += 1;
        } else {
            why.push(format!("exit {code:?}"));
        }
        let en = english_words(&msg.replace(&*d.to_string_lossy(), "CARTELLA"));
        if !en.is_empty() {
            english += 1;
            why.push(format!("English {en:?}"));
        }
        if msg.trim().is_empty() {
            why.push("no message".into());
        }
        let after: Vec<_> = watched.iter().map(|p| snapshot(p)).collect();
        if before != after {
            lost += 1;
            why.push("archive changed".into());
        }
        if !why.is_empty() {
            failures.push(format!("{} → {}: {}", c.name, why.join(", "), msg.trim()));
        }
    }

    // Reads still work on a damaged and on a write-protected archive (with the Italian warning).
    for p in [&damaged, &ro] {
        let before = snapshot(p);
        let o = run(p, &["list".into()]);
        let t = common::text(&o);
        assert_eq!(o.status.code(), Some(0), "{t}");
        assert!(t.contains("sola lettura") && t.contains("Richiesta quota premiale"), "{t}");
        assert!(english_words(&t.replace(&*d.to_string_lossy(), "CARTELLA")).is_empty(), "{t}");
        let o = run(p, &["search".into(), "Viadana".into()]);
        assert_eq!(o.status.code(), Some(0), "{}", common::text(&o));
        assert_eq!(before, snapshot(p));
    }
    let o = run(&ro, &["export".into(), "1".into(), "-o".into(), d.join("da-protetto.json").into()]);
    assert_eq!(o.status.code(), Some(0), "{}", common::text(&o));
    // A JSON saved with a BOM or as UTF-16 is accepted.
    for (n, bytes) in [
        ("bom", [&[0xEF, 0xBB, 0xBF][..], demo_text.as_bytes()].concat()),
        ("utf16le", utf16(&demo_text, false, true)),
        ("utf16be", utf16(&demo_text, true, true)),
    ] {
        let p = write(d, &format!("ok-{n}.json"), bytes);
        let o = run(&d.join("accetta.sqlite"), &["import".into(), p.into()]);
        assert_eq!(o.status.code(), Some(0), "{n}: {}", common::text(&o));
    }

    eprintln!(
        "bad inputs: {} inputs, {refused} refused with exit 1/2, {} with English words, {panics} panics, {lost} archives changed",
        cases.len(),
        english
    );
    assert!(cases.len() >= 150, "corpus too small: {}", cases.len());
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// An archive locked by another program: refused in Italian after the wait, nothing changed.
#[test]
fn locked_archive_is_said_in_italian() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archivio.sqlite");
    common::import(&db, Path::new(DEMO));
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;").unwrap();
    let o = run(&db, &["import".into(), DEMO.into()]);
    let t = common::text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("in uso da un altro programma"), "{t}");
    assert!(english_words(&t.replace(&*dir.path().to_string_lossy(), "CARTELLA")).is_empty(), "{t}");
    holder.execute_batch("ROLLBACK;").unwrap();
    drop(holder);
    let s = pianozona::store::Store::open(&db).unwrap();
    assert_eq!(s.list(false).unwrap().len(), 1);
}

/// `pianozona … | head -0`: the reader goes away; the program ends quietly (SIGPIPE), no panic.
#[test]
fn closed_pipe_is_not_a_panic() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archivio.sqlite");
    for _ in 0..3 {
        common::import(&db, Path::new(DEMO));
    }
    for args in [vec!["templates"], vec!["list"], vec!["tokens"], vec!["history", "1"], vec!["search", "Viadana"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pianozona"))
            .arg("--db")
            .arg(&db)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // closed before anything is read
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            o.status.success() || o.status.signal() == Some(13) || o.status.code() == Some(141),
            "{args:?}: {:?} {err}",
            o.status
        );
    }
}

/// `pianozona --help` and the help of every command are Italian: no clap heading or placeholder
/// in English («Usage», «Options», «Print help», «[OPTIONS]», «<OUTPUT>»).
#[test]
fn help_is_italian_for_every_command() {
    let bin = env!("CARGO_BIN_EXE_pianozona");
    let mut commands = vec![vec!["--help".to_string()]];
    for c in [
        "import",
        "export",
        "list",
        "templates",
        "search",
        "history",
        "diff",
        "restore",
        "backup",
        "restore-backup",
        "delete",
        "undelete",
        "check",
        "sign",
        "verify",
        "tokens",
        "pdf",
        "chapters",
        "chapter-text",
        "chapter-add",
        "chapter-rename",
        "chapter-remove",
    ] {
        commands.push(vec![c.to_string(), "--help".to_string()]);
    }
    for args in commands {
        let out = Command::new(bin).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Uso: pianozona") && text.contains("Opzioni:"), "{args:?}:\n{text}");
        for en in [
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "Print help",
            "Print version",
            "[OPTIONS]",
            "<OUTPUT>",
            "<INPUT>",
            "<TEXT>",
            "<FROM>",
            "<MODULE>",
            "<CHAPTER>",
            "<TITLE>",
            "<PARENT>",
            "<PART>",
            "[env:",
            "\n  help ",
        ] {
            assert!(!text.contains(en), "{args:?}: «{en}» in\n{text}");
        }
    }
    let out = Command::new(bin).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("pianozona "));
}
