//! JSON exchange: export → import → export is byte-identical, for generated fascicoli.

use pianozona::exchange::{export_json, import_json};
use pianozona::model::*;
use pianozona::money::Money;
use pianozona::template::load_embedded;
use proptest::prelude::*;

fn arb_text() -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Za-zàèéìòù’'€0-9 ,.;:()\\-]{0,30}", 0..4).prop_map(|v| v.join("\n\n"))
}

prop_compose! {
    fn arb_fascicolo()(title in "[A-Za-z ]{1,20}", obiettivo in arb_text(), cents in prop::collection::vec(0i64..1_000_000_000, 1..5),
                       start in 0i32..24, len in 0i32..12, area in prop::sample::select(vec!["A","B","J"])) -> Fascicolo {
        let from = YearMonth::new(2022, 1).unwrap().plus_months(start);
        let rows = cents.iter().enumerate().map(|(i, c)| MoneyRow {
            activity: format!("a{i}"), cost: Some(Money(*c)),
            amounts: [("proprie".to_string(), Money(*c))].into(), ..Default::default()
        }).collect();
        let activities = cents.iter().enumerate().map(|(i, _)| Activity {
            id: format!("a{i}"), label: format!("Attività {i}"), in_budget: true,
            periods: vec![Period { from, to: from.plus_months(len) }], ..Default::default()
        }).collect();
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("obiettivo".to_string(), FieldValue::Text { text: obiettivo });
        fields.insert("macroarea".to_string(), FieldValue::Choice { selected: vec![area.to_string()], text: String::new() });
        fields.insert("risorse_economiche".to_string(), FieldValue::MoneyTable(MoneyTable { rows, ..Default::default() }));
        Fascicolo {
            title, family: "qp2021".into(), variant: "ambito".into(),
            signer: LegalRep { name: "N".into(), title: String::new(), gender: Gender::M },
            documents: vec![Document { id: "s1".into(), form: "scheda_1b".into(), number: Some(1), activities, fields, ..Default::default() }],
            ..Default::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn export_import_export_is_byte_identical(f in arb_fascicolo()) {
        let reg = load_embedded().unwrap();
        let profile = OfficeProfile { ambito: "Oglio Po".into(), ..Default::default() };
        let a = export_json(&profile, &f);
        let back = import_json(&a, &reg).unwrap();
        prop_assert_eq!(&back.fascicolo, &f);
        let b = export_json(&back.profile, &back.fascicolo);
        prop_assert_eq!(a, b);
    }
}

#[test]
fn labels_and_aliases_map_to_stable_ids_on_import() {
    let reg = load_embedded().unwrap();
    let json = r#"{"format":"pianozona.fascicolo","version":1,
      "profile":{"ambito":"X","ente_capofila":"Y","legal_rep":{"name":"N","gender":"F"}},
      "fascicolo":{"title":"t","family":"qp2021","variant":"ambito","signer":{"name":"N","gender":"F"},
        "documents":[{"id":"s","form":"scheda_1b","fields":{
          "punti_chiave":{"kind":"choice","selected":["Allargamento della rete e co programmazione","Qualità dell'abitare","B4"]}}}]}}"#;
    let f = import_json(json, &reg).unwrap().fascicolo;
    match &f.documents[0].fields["punti_chiave"] {
        FieldValue::Choice { selected, .. } => assert_eq!(selected, &vec!["B4".to_string(), "B3".to_string()]),
        other => panic!("{other:?}"),
    }
    let bad = json.replace("Qualità dell'abitare", "Punto inventato");
    let e = import_json(&bad, &reg).unwrap_err().to_string();
    assert!(e.contains("selected[1]") && e.contains("Punto inventato"), "{e}");
}

/// Issue 13: an amount typed wrongly in a table (the seed's «€   1.015.679,505») does not refuse
/// the file: it is kept exactly as typed, reported by the Verifica with its cell, stored, and
/// written back in its cell by the export (export → import → export byte-identical, also through
/// the archive).
#[test]
fn malformed_amounts_are_kept_as_typed_flagged_and_round_tripped() {
    let reg = load_embedded().unwrap();
    let demo = std::fs::read_to_string("assets/demo/oglio-po-2021-2023-quota-premiale.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&demo).unwrap();
    let seed_amount = "€   1.015.679,505";
    let t = v.pointer_mut("/fascicolo/documents/1/fields/risorse_economiche").unwrap();
    t["rows"][0]["cost"] = seed_amount.into();
    t["rows"][1]["amounts"]["ats"] = "12.3456,00".into();
    let s = v.pointer_mut("/fascicolo/documents/2/fields/risorse_umane/rows/0/cells").unwrap();
    s["ats"] = serde_json::json!({"euro": "1,2,3"});
    let text = serde_json::to_string_pretty(&v).unwrap();

    let ex = import_json(&text, &reg).expect("a wrong amount does not refuse the file");
    let d1 = &ex.fascicolo.documents[1];
    assert_eq!(d1.as_typed.get("risorse_economiche/rows/0/cost").map(String::as_str), Some(seed_amount));
    assert_eq!(d1.as_typed.get("risorse_economiche/rows/1/amounts/ats").map(String::as_str), Some("12.3456,00"));
    let d2 = &ex.fascicolo.documents[2];
    assert_eq!(d2.as_typed.get("risorse_umane/rows/0/cells/ats/euro").map(String::as_str), Some("1,2,3"));
    // the rest of the table is imported as usual
    let FieldValue::MoneyTable(mt) = &d1.fields["risorse_economiche"] else { panic!("money table") };
    assert_eq!(mt.rows[0].cost, None);
    assert_eq!(mt.rows[0].amounts.get("ats"), Some(&Money::parse_it("150,00").unwrap()));

    // the Verifica reports each one, with the others, pointing at its cell
    let fam = reg.family("qp2021").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
    let findings = pianozona::rules::check(fam, &ex.fascicolo, &ex.profile, today);
    let typed: Vec<_> = findings.iter().filter(|f| f.rule == "QP-T-03").collect();
    assert_eq!(typed.len(), 3, "{typed:#?}");
    let cost = typed.iter().find(|f| f.document == "scheda-1" && f.path == "risorse_economiche/rows/0/cost").unwrap();
    assert_eq!(cost.severity, pianozona::template::Severity::Errore);
    assert!(cost.message.contains("1.015.679,505") && cost.message.contains("due decimali"), "{}", cost.message);
    assert!(findings.len() > typed.len(), "reported beside the other findings");

    // export → import → export, byte-identical; the typed text is back in its cell
    let a = export_json(&ex.profile, &ex.fascicolo);
    let av: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(av.pointer("/fascicolo/documents/1/fields/risorse_economiche/rows/0/cost").unwrap(), seed_amount);
    assert!(!a.contains("as_typed"));
    let back = import_json(&a, &reg).unwrap();
    assert_eq!(back.fascicolo, ex.fascicolo);
    let b = export_json(&back.profile, &back.fascicolo);
    assert_eq!(a, b);

    // through the archive too
    let dir = tempfile::tempdir().unwrap();
    let mut store = pianozona::store::Store::open(&dir.path().join("a.sqlite")).unwrap();
    let id = store.create(&back.fascicolo, "import").unwrap();
    let c = export_json(&back.profile, &store.load(id).unwrap());
    assert_eq!(a, c);

    // once the office types a good amount in the cell, the kept text is stale: no finding, and
    // the export writes the new amount
    let mut fixed = ex.fascicolo.clone();
    let FieldValue::MoneyTable(mt) = fixed.documents[1].fields.get_mut("risorse_economiche").unwrap() else { panic!() };
    mt.rows[0].cost = Some(Money::parse_it("1.015.679,50").unwrap());
    let findings = pianozona::rules::check(fam, &fixed, &ex.profile, today);
    assert_eq!(findings.iter().filter(|f| f.rule == "QP-T-03").count(), 2);
    let e = export_json(&ex.profile, &fixed);
    let ev: serde_json::Value = serde_json::from_str(&e).unwrap();
    assert_eq!(ev.pointer("/fascicolo/documents/1/fields/risorse_economiche/rows/0/cost").unwrap(), "1.015.679,50");
}

/// Other mistakes still refuse the file, naming the place.
#[test]
fn a_wrong_type_still_refuses_the_file() {
    let reg = load_embedded().unwrap();
    let demo = std::fs::read_to_string("assets/demo/oglio-po-2021-2023-quota-premiale.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&demo).unwrap();
    v["fascicolo"]["documents"][1]["fields"]["risorse_economiche"]["rows"][0]["cost"] = "1.015.679,505".into();
    v["fascicolo"]["documents"][1]["fields"]["risorse_economiche"]["rows"][1]["cost"] = 12.into();
    let e = import_json(&serde_json::to_string_pretty(&v).unwrap(), &reg).unwrap_err().to_string();
    assert!(e.contains("fascicolo.documents[1].fields") && e.contains("tipo"), "{e}");
}

/// Issue 13: rich text (headings, bold, italic, lists) survives export → import → export
/// byte-identically, directly and through the archive, and stays searchable without its marks.
#[test]
fn rich_text_round_trips_byte_identical_and_is_searchable() {
    let reg = load_embedded().unwrap();
    let demo = std::fs::read_to_string("assets/demo/oglio-po-2021-2023-quota-premiale.json").unwrap();
    let mut ex = import_json(&demo, &reg).unwrap();
    let rich = "## Obiettivi specifici\n\nIl progetto **rafforza** la rete e *accompagna* le famiglie → autonomia:\n\n- primo punto con «virgolette» e l’apostrofo\n- secondo punto ≥ 3 incontri\n\n### Nota\n\nTesto finale con \\*asterisco letterale.";
    let doc = ex.fascicolo.documents.iter_mut().find(|d| d.id == "scheda-1").unwrap();
    doc.fields.insert("obiettivo".into(), FieldValue::Text { text: rich.into() });
    let a = export_json(&ex.profile, &ex.fascicolo);
    let back = import_json(&a, &reg).unwrap();
    assert_eq!(back.fascicolo, ex.fascicolo);
    assert_eq!(export_json(&back.profile, &back.fascicolo), a);
    let dir = tempfile::tempdir().unwrap();
    let mut store = pianozona::store::Store::open(&dir.path().join("a.sqlite")).unwrap();
    let id = store.create(&back.fascicolo, "import").unwrap();
    assert_eq!(export_json(&back.profile, &store.load(id).unwrap()), a);
    let hits = store.search("rafforza", 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(!hits[0].snippet.contains("**"), "{}", hits[0].snippet);
    let hits = store.search("Obiettivi specifici", 50).unwrap();
    assert!(hits.iter().any(|h| h.key == "doc/scheda-1/field/obiettivo"), "{hits:?}");
}
