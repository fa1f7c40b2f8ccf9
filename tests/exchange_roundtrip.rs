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
