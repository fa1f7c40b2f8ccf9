//! The generic table check `row_half_filled` on the templates' declarations, and the template
//! loader refusing unknown params.

use pianozona::model::{Fascicolo, FieldValue};
use pianozona::pdf::sample;
use pianozona::rules::{check, Finding};
use pianozona::template::Registry;

fn findings(f: &Fascicolo, rule: &str) -> Vec<Finding> {
    let reg = Registry::load(None).unwrap();
    let fam = reg.family(&f.family).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2022, 2, 18).unwrap();
    check(fam, f, &sample::profile(), today).into_iter().filter(|x| x.rule == rule).collect()
}

#[test]
fn deliverable_row_half_filled_points_at_the_cell() {
    let mut f = sample::fascicolo();
    assert!(findings(&f, "QP-T-01").is_empty(), "the sample's deliverables are complete");
    let Some(FieldValue::Deliverables(d)) = f.documents[2].fields.get_mut("deliverable") else {
        panic!("no deliverables")
    };
    d.rows[1].results.clear(); // indicators without results
    d.rows[0].indicators = vec!["  ".into()]; // results with a blank indicator
    let found = findings(&f, "QP-T-01");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].document, "scheda-2");
    assert_eq!(found[0].path, "deliverable/rows/0/indicators");
    assert_eq!(found[0].message, "Riga 1: compilata solo in parte, manca «INDICATORI DI RISULTATO».");
    assert_eq!(found[1].path, "deliverable/rows/1/results");
    assert_eq!(found[0].severity, pianozona::template::Severity::Avviso);
    // A row empty in every required cell is not "half filled".
    let Some(FieldValue::Deliverables(d)) = f.documents[2].fields.get_mut("deliverable") else { panic!() };
    d.rows[1].indicators.clear();
    assert_eq!(findings(&f, "QP-T-01").len(), 1);
}

#[test]
fn resource_line_without_source_in_the_2025_form() {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/piano-di-zona-2025-2027-lodi.json");
    let reg = Registry::load(None).unwrap();
    let mut ex = pianozona::exchange::import_json(&std::fs::read_to_string(demo).unwrap(), &reg).unwrap();
    let before = findings(&ex.fascicolo, "PZ-T-01").len();
    let (di, line) = ex
        .fascicolo
        .documents
        .iter()
        .enumerate()
        .find_map(|(i, d)| match d.fields.get("risorse_economiche") {
            Some(FieldValue::ResourceLines(r)) if !r.lines.is_empty() => Some((i, r.lines.len() - 1)),
            _ => None,
        })
        .expect("a scheda with resource lines");
    if let Some(FieldValue::ResourceLines(r)) = ex.fascicolo.documents[di].fields.get_mut("risorse_economiche") {
        r.lines[line].sources.clear();
    }
    let after = findings(&ex.fascicolo, "PZ-T-01");
    assert_eq!(after.len(), before + 1, "{after:#?}");
    let hit =
        after.iter().find(|x| x.path == format!("risorse_economiche/lines/{line}/sources")).expect("path to the cell");
    assert!(hit.message.contains("«Fonte»"), "{}", hit.message);
}

#[test]
fn unknown_params_are_refused_when_loading_a_template() {
    let dir = tempfile::tempdir().unwrap();
    let src =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/templates/qp2021-quota-premiale.toml"))
            .unwrap();
    let bad = src
        .replace("required = [\"results=RISULTATI ATTESI\"", "requried = [\"results=RISULTATI ATTESI\"")
        .replacen("id = \"qp2021\"", "id = \"qp2021x\"", 1);
    assert_ne!(bad, src);
    std::fs::write(dir.path().join("x.toml"), bad).unwrap();
    let Err(err) = Registry::load(Some(dir.path())) else { panic!("template with a misspelt key was accepted") };
    let err = err.to_string();
    assert!(err.contains("QP-T-01") && err.contains("params"), "{err}");
}
