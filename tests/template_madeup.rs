//! A new cycle is data: a template written only for this test (tests/fixtures/madeup/orti2031.toml,
//! a made-up "Orti Urbani 2031" form that uses every field kind of the code) is loaded at run time
//! from a directory, and a document goes through edit (built as JSON, imported, saved as a new
//! revision in a SQLite file), check (its rules fire, and stop firing once fixed) and PDF — with no
//! Rust written for the form.

use pianozona::exchange;
use pianozona::model::{FieldValue, YesNo};
use pianozona::rules;
use pianozona::store::Store;
use pianozona::template::Registry;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/madeup")
}

/// The field kinds the code knows, read from the `FieldKind` enum itself (so a kind added later
/// without being exercised here makes this test fail).
fn code_kinds() -> BTreeSet<String> {
    let src = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/template/mod.rs"))
        .expect("template source");
    let body =
        src.split("pub enum FieldKind {").nth(1).expect("FieldKind enum").split("\n}").next().expect("enum body");
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('#') && l.ends_with(','))
        .map(|l| {
            let name = l.trim_end_matches(',');
            let mut snake = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_uppercase() {
                    if i > 0 {
                        snake.push('_');
                    }
                    snake.extend(c.to_lowercase());
                } else {
                    snake.push(c);
                }
            }
            snake
        })
        .collect()
}

fn document() -> Value {
    json!({
        "id": "domanda-1",
        "form": "domanda_orti",
        "number": 1,
        "activities": [
            {"id": "a1", "label": "Preparazione del terreno", "periods": [{"from": "2031-03", "to": "2031-04"}]},
            {"id": "a2", "label": "Semina e raccolto", "periods": [{"from": "2033-05", "to": "2034-02"}]}
        ],
        "fields": {
            "titolo": {"kind": "text", "text": "L’orto di via dei Mille"},
            "descrizione": {"kind": "text", "text": "Un orto condiviso tra la scuola primaria, il centro anziani e le famiglie del quartiere, con turni di cura settimanali, un piccolo frutteto, una compostiera di comunità e laboratori aperti a tutti i bambini e ai loro nonni del quartiere nord."},
            "data_avvio": {"kind": "date", "date": "2031-03-01"},
            "mese_raccolto": {"kind": "month", "month": "2031-07"},
            "mq": {"kind": "number", "value": 350},
            "quartiere": {"kind": "choice", "selected": []},
            "temi": {"kind": "choice", "selected": ["N1", "Compostaggio di comunità", "custom:Apicoltura urbana"]},
            "terreno": {"kind": "enumeration", "value": "comodato", "note": "Comodato decennale"},
            "scuole": {"kind": "yes_no", "answer": null, "text": "La scuola primaria Collodi ha già aderito."},
            "partner": {"kind": "entities", "items": [{"name": "Associazione Pollice Verde", "entity_type": "Terzo Settore", "role": "Coordina i turni"}]},
            "attrezzi": {"kind": "items", "items": ["Vanghe", "Compostiera", "Serbatoio per l’acqua piovana"]},
            "altri_quartieri": {"kind": "secondary_areas", "items": [{"area": "S", "key_points": ["S1"], "explanation": "Scambio di piantine con la serra del quartiere sud."}]},
            "calendario": {"kind": "gantt", "mode": "mensile", "start": "2031-03"},
            "prodotti": {"kind": "deliverables", "rows": [{"activity": "a2", "results": ["Ortaggi per 40 famiglie"], "indicators": ["n. famiglie servite"]}]},
            "spese": {"kind": "money_table", "rows": [
                {"activity": "a1", "cost": "2.000,00", "amounts": {"comune": "1.500,00", "soci": "500,00"}},
                {"activity": "a2", "cost": "3.000,00", "amounts": {"comune": "2.000,00", "soci": "500,00"}}
            ]},
            "volontari": {"kind": "staff_table", "rows": [{"role": "Ortolano esperto", "cells": {"associazione": {"persone": 3}}}]},
            "indicatori": {"kind": "indicators", "items": [{"text": "Famiglie che ritirano ortaggi", "level": "risultato", "unit": "n", "value": "40"}]},
            "risorse": {"kind": "resource_lines", "lines": [{"amount": "5.000,00", "sources": ["Comune"]}]},
            "personale": {"kind": "staff_lines", "items": [{"count": 1, "role": "Agronomo", "provider": "Comune"}]},
            "contributi": {"kind": "fund_table", "rows": [
                {"source": "comune", "cells": {"2031": {"value": "3.500,00"}, "2032": "zero"}},
                {"source": "fondazione", "cells": {"2031": {"value": "1.000,00"}, "2032": "not_assigned"}}
            ], "typed_totals": {"2031": "4.000,00"}},
            "resa": {"kind": "evaluation_grid", "inputs": {"piantine": "200", "kg": "50"}, "typed": {"resa": "2,5 (buona)"}},
            "firme": {"kind": "empty"}
        }
    })
}

fn exchange_text() -> String {
    let file = json!({
        "format": "pianozona.fascicolo",
        "version": 1,
        "profile": {"ambito": "Ambito di Prova", "ente_capofila": "Comune di Prova", "legal_rep": {"name": "Maria Rossi", "gender": "F"}},
        "fascicolo": {
            "title": "Orti urbani 2031 (prova)",
            "family": "orti2031",
            "date": "2031-02-01",
            "signer": {"name": "Maria Rossi", "gender": "F"},
            "documents": [document()]
        }
    });
    serde_json::to_string_pretty(&file).expect("json")
}

fn rule_ids(findings: &[rules::Finding]) -> BTreeSet<String> {
    findings.iter().map(|f| f.rule.clone()).collect()
}

#[test]
fn the_made_up_template_uses_every_field_kind() {
    let text = std::fs::read_to_string(fixtures().join("orti2031.toml")).expect("fixture");
    let tpl: toml::Value = toml::from_str(&text).expect("toml");
    let used: BTreeSet<String> = tpl["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .flat_map(|f| f["sections"].as_array().cloned().unwrap_or_default())
        .filter_map(|s| s["kind"].as_str().map(str::to_string))
        .collect();
    let all = code_kinds();
    assert_eq!(all.len(), 22, "field kinds read from the code: {all:?}");
    let missing: Vec<_> = all.difference(&used).collect();
    assert!(missing.is_empty(), "kinds not exercised by the made-up template: {missing:?}");
    // It is not embedded: only the directory makes it known.
    let embedded = Registry::load(None).expect("embedded");
    assert!(embedded.family("orti2031").is_none());
}

#[test]
fn edit_check_and_pdf_with_no_rust_for_the_form() {
    let reg = Registry::load(Some(&fixtures())).expect("templates with the made-up directory");
    let fam = reg.family("orti2031").expect("made-up family loaded at run time");

    // ---- edit: import the JSON, store it, change it, save a new revision.
    let ex = exchange::import_json(&exchange_text(), &reg).expect("the made-up document imports");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("orti.sqlite");
    let mut store = Store::open(&db).expect("store");
    store.save_profile(&ex.profile).expect("profile");
    let id = store.create(&ex.fascicolo, "Importato").expect("create");
    let mut f = store.load(id).expect("load");
    assert_eq!(f, ex.fascicolo, "stored and loaded unchanged");
    // Label → id normalisation of the key-point table happened on import.
    match f.documents[0].field("temi") {
        Some(FieldValue::Choice { selected, .. }) => assert_eq!(selected, &["N1", "N2", "custom:Apicoltura urbana"]),
        other => panic!("temi: {other:?}"),
    }

    let today = chrono::NaiveDate::from_ymd_opt(2031, 2, 1).expect("date");
    let before = rules::check(fam, &f, &ex.profile, today);
    let ids = rule_ids(&before);
    // Fire: the required SI/NO is unanswered (ORTI-01 and ORTI-04), word limit (45 words > 40), no
    // quartiere, row a2 income ≠ cost, a period past 12/2033, band typed "buona" for
    // 50*10/200 = 2,5 (scarsa), typed total 4.000,00 ≠ 4.500,00, a resource line with no basis.
    for expected in ["ORTI-01", "ORTI-02", "ORTI-03", "ORTI-04", "ORTI-05", "ORTI-06", "ORTI-07", "ORTI-08", "ORTI-09"]
    {
        assert!(ids.contains(expected), "{expected} should fire: {before:#?}");
    }
    let required: Vec<_> = before.iter().filter(|x| x.rule == "ORTI-01").map(|x| x.path.as_str()).collect();
    assert_eq!(required, ["scuole"], "only the unanswered SI/NO is missing");
    // Does not fire: there is a partner.
    assert!(!ids.contains("ORTI-10"), "{before:#?}");
    let band = before.iter().find(|x| x.rule == "ORTI-07").expect("band finding");
    assert!(band.message.contains("«meno di 5 (scarsa)»") && band.message.contains("non «buona»"), "{}", band.message);
    let total = before.iter().find(|x| x.rule == "ORTI-08").expect("total finding");
    assert!(total.message.contains("4.000,00") && total.message.contains("4.500,00"), "{}", total.message);

    // Fix some of them, as the editor would, and save a revision.
    {
        let d = &mut f.documents[0];
        d.fields.insert("quartiere".into(), FieldValue::Choice { selected: vec!["N".into()], text: String::new() });
        if let Some(FieldValue::YesNo(y)) = d.fields.get_mut("scuole") {
            y.answer = Some(YesNo::SI);
        }
        if let Some(FieldValue::ResourceLines(r)) = d.fields.get_mut("risorse") {
            r.lines[0].basis = "annuo".into();
        }
        if let Some(FieldValue::EvaluationGrid(g)) = d.fields.get_mut("resa") {
            g.typed.clear();
        }
    }
    let rev = store.save(id, &f, "Quartiere, scuole, base dell’importo").expect("save");
    assert_eq!(rev, 2);
    assert_eq!(store.history(id).expect("history").len(), 2);
    let reloaded = store.load(id).expect("reload");
    assert_eq!(reloaded, f);

    let after = rule_ids(&rules::check(fam, &reloaded, &ex.profile, today));
    for fixed in ["ORTI-01", "ORTI-03", "ORTI-04", "ORTI-07", "ORTI-09"] {
        assert!(!after.contains(fixed), "{fixed} should be gone: {after:?}");
    }
    for still in ["ORTI-02", "ORTI-05", "ORTI-06", "ORTI-08"] {
        assert!(after.contains(still), "{still} should remain: {after:?}");
    }
    drop(store);

    // ---- the same through the real CLI, the templates coming from the directory.
    let cli = |args: &[&str]| -> Output {
        Command::new(env!("CARGO_BIN_EXE_pianozona"))
            .arg("--db")
            .arg(&db)
            .arg("--templates")
            .arg(fixtures())
            .args(args)
            .output()
            .expect("run pianozona")
    };
    let o = cli(&["templates"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("orti2031\t"), "{o:?}");
    let o = cli(&["check", &id.to_string(), "--json"]);
    assert_eq!(o.status.code(), Some(1), "errori remain: exit 1");
    let v: Value = serde_json::from_slice(&o.stdout).expect("check --json");
    let cli_ids: BTreeSet<String> =
        v.as_array().expect("array").iter().filter_map(|x| x["rule"].as_str().map(str::to_string)).collect();
    assert_eq!(cli_ids, after);

    // ---- PDF: every section label of the made-up form is printed.
    let pdf = dir.path().join("orti.pdf");
    let o = cli(&["pdf", &id.to_string(), "--final", "-o", pdf.to_str().expect("path")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "pdf: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&pdf).expect("pdf file");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let txt = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&txt.stdout);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in &fam.forms[0].sections {
        let words: Vec<&str> = s.heading.split_whitespace().collect();
        // pdftotext may put the first word of the answer on the label's line: check word by word.
        let mut at = 0;
        for w in &words {
            match flat[at..].find(w) {
                Some(i) => at += i + w.len(),
                None => panic!("label «{}» not in the PDF text:\n{text}", s.heading),
            }
        }
    }
    for content in [
        "L’orto di via dei Mille",
        "Associazione Pollice Verde",
        "Serbatoio per l’acqua piovana",
        "Famiglie che ritirano ortaggi",
    ] {
        assert!(flat.contains(content), "«{content}» not in the PDF");
    }
}
