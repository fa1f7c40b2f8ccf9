//! Verifica rules on constructed fascicoli: each rule fires where it should and stays quiet
//! where it should not.

use chrono::NaiveDate;
use pianozona::model::*;
use pianozona::money::Money;
use pianozona::rules::{check, Finding};
use pianozona::template::load_embedded;
use std::collections::BTreeMap;

fn ym(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}
fn m(s: &str) -> Money {
    Money::parse_it(s).unwrap()
}
fn text(t: &str) -> FieldValue {
    FieldValue::Text { text: t.into() }
}
fn choice(ids: &[&str]) -> FieldValue {
    FieldValue::Choice { selected: ids.iter().map(|s| s.to_string()).collect(), text: String::new() }
}
fn entities(names: &[&str]) -> FieldValue {
    FieldValue::Entities(EntityList {
        items: names.iter().map(|n| Entity { name: n.to_string(), ..Default::default() }).collect(),
        ..Default::default()
    })
}

/// A complete, clean scheda: the Verifica should find nothing but what a test changes.
fn scheda(n: u32, area: &str, kp: &str) -> Document {
    let mut f = BTreeMap::new();
    f.insert("titolo".into(), text(&format!("PROGETTO {n}")));
    f.insert("macroarea".into(), choice(&[area]));
    f.insert("punti_chiave".into(), choice(&[kp]));
    for s in [
        "obiettivo",
        "integrazione",
        "contesto",
        "innovazione",
        "attivita",
        "beneficiari",
        "criticita",
        "sostenibilita",
    ] {
        f.insert(s.into(), text("Testo breve della sezione."));
    }
    f.insert("ats".into(), entities(&["ATS Val Padana"]));
    f.insert("ambiti".into(), entities(&["Oglio Po"]));
    f.insert("asst".into(), entities(&["ASST di Mantova"]));
    f.insert("altri_enti".into(), entities(&["Comune di Viadana"]));
    f.insert(
        "deliverable".into(),
        FieldValue::Deliverables(Deliverables {
            text: String::new(),
            rows: vec![DeliverableRow {
                activity: "a1".into(),
                results: vec!["Rete attiva".into()],
                indicators: vec!["n. incontri".into()],
                ..Default::default()
            }],
        }),
    );
    f.insert("cronoprogramma".into(), FieldValue::Gantt(Gantt { start: Some(ym("2022-01")), ..Default::default() }));
    f.insert(
        "risorse_economiche".into(),
        FieldValue::MoneyTable(MoneyTable {
            rows: vec![MoneyRow {
                activity: "a1".into(),
                cost: Some(m("2.150,00")),
                amounts: [("proprie".to_string(), m("150")), ("comuni".to_string(), m("2.000,00"))].into(),
                ..Default::default()
            }],
            ..Default::default()
        }),
    );
    f.insert(
        "risorse_umane".into(),
        FieldValue::StaffTable(StaffTable {
            rows: vec![StaffRow {
                role: "Assistente sociale".into(),
                cells: [("proprie".to_string(), StaffValue::Persone(2))].into(),
            }],
            ..Default::default()
        }),
    );
    Document {
        id: format!("scheda-{n}"),
        form: "scheda_1b".into(),
        number: Some(n),
        all_n: Some(10 + n),
        activities: vec![Activity {
            id: "a1".into(),
            label: "Co-progettazione".into(),
            periods: vec![Period { from: ym("2022-02"), to: ym("2023-06") }],
            in_budget: true,
            ..Default::default()
        }],
        fields: f,
        ..Default::default()
    }
}

fn fascicolo(variant: &str, schede: Vec<Document>) -> Fascicolo {
    let mut letter = Document { id: "lettera".into(), form: "lettera_1a".into(), ..Default::default() };
    letter.fields.insert("luogo".into(), text("Viadana"));
    letter.fields.insert("data".into(), FieldValue::Date { date: NaiveDate::from_ymd_opt(2022, 2, 18) });
    let mut docs = vec![letter];
    docs.extend(schede);
    Fascicolo {
        title: "Prova".into(),
        family: "qp2021".into(),
        variant: variant.into(),
        signer: LegalRep { name: "Mariagrazia Tripodo".into(), title: "Prof.ssa".into(), gender: Gender::F },
        documents: docs,
        ..Default::default()
    }
}

/// Runs the Verifica; messages with the no-break space after "€" turned into a plain space.
fn run(f: &Fascicolo) -> Vec<Finding> {
    let reg = load_embedded().unwrap();
    let profile = OfficeProfile { ambito: "Oglio Po".into(), formed_after_dgr_7631: true, ..Default::default() };
    let mut found = check(reg.family("qp2021").unwrap(), f, &profile, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    for x in &mut found {
        x.message = x.message.replace('\u{a0}', " ");
    }
    found
}
fn ids(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|x| x.rule.as_str()).collect()
}
fn set(f: &mut Fascicolo, doc: &str, sec: &str, v: FieldValue) {
    f.document_mut(doc).unwrap().fields.insert(sec.into(), v);
}

#[test]
fn clean_fascicolo_has_no_findings() {
    let f = fascicolo("ambito", vec![scheda(1, "J", "J1"), scheda(2, "B", "B4")]);
    let found = run(&f);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn word_limits_count_like_a_word_processor() {
    let mut f = fascicolo("ambito", vec![scheda(1, "J", "J1")]);
    let words = |n: usize| (0..n).map(|i| format!("parola{i}")).collect::<Vec<_>>().join(" ");
    set(&mut f, "scheda-1", "obiettivo", text(&format!("- {}\n- € –", words(601))));
    set(&mut f, "scheda-1", "integrazione", text(&words(575)));
    let found = run(&f);
    let w1 = found.iter().find(|x| x.rule == "QP-W-01").expect("over limit");
    assert_eq!(
        w1.message,
        "«Obiettivo progetto (max 600 parole)»: 601 parole, oltre il limite di 600 (eccedenza 1 parole)."
    );
    assert_eq!(w1.path, "obiettivo");
    assert_eq!(w1.document, "scheda-1");
    let w2 = found.iter().find(|x| x.rule == "QP-W-02").expect("near limit");
    assert!(w2.message.contains("575 parole su 600"), "{}", w2.message);
}

#[test]
fn budget_balance_totals_and_control_column() {
    let mut f = fascicolo("ambito", vec![scheda(1, "J", "J1")]);
    let mut t = MoneyTable::default();
    t.extra_columns.push(ExtraColumn { id: "x1".into(), source: String::new() });
    t.rows.push(MoneyRow {
        activity: "a1".into(),
        cost: Some(m("900,00")),
        amounts: [("proprie".to_string(), m("900,00")), ("ats".to_string(), m("100,00"))].into(),
        typed_control: Some(m("900,00")),
        ..Default::default()
    });
    t.rows.push(MoneyRow { activity: "ghost".into(), cost: None, ..Default::default() });
    t.typed_totals.insert("ats".into(), Money::ZERO);
    set(&mut f, "scheda-1", "risorse_economiche", FieldValue::MoneyTable(t));
    let found = run(&f);
    let b1 = found.iter().find(|x| x.rule == "QP-B-01").unwrap();
    assert!(b1.message.contains("differenza € 100,00, eccedenza di entrate"), "{}", b1.message);
    assert_eq!(b1.path, "risorse_economiche/righe/0");
    let b2 = found.iter().find(|x| x.rule == "QP-B-02").unwrap();
    assert!(b2.message.contains("Entrate da finanziamento ATS") && b2.message.contains("€ 100,00"), "{}", b2.message);
    for r in ["QP-B-04", "QP-B-05", "QP-B-06", "QP-B-07", "QP-A-04"] {
        assert!(ids(&found).contains(&r), "{r} missing: {:?}", ids(&found));
    }
}

#[test]
fn gantt_window_and_deadline() {
    let mut f = fascicolo("ambito", vec![scheda(1, "J", "J1")]);
    let d = f.document_mut("scheda-1").unwrap();
    d.activities[0].periods =
        vec![Period { from: ym("2021-11"), to: ym("2024-03") }, Period { from: ym("2023-05"), to: ym("2023-02") }];
    d.activities[0].milestones = vec![Milestone { label: "Report finale".into(), month: ym("2021-01") }];
    d.activities.push(Activity {
        id: "a2".into(),
        label: "Sperimentazione".into(),
        in_budget: true,
        ..Default::default()
    });
    let found = run(&f);
    let got = ids(&found);
    for r in ["QP-G-02", "QP-G-03", "QP-G-04", "QP-G-05", "QP-A-02", "QP-A-03"] {
        assert!(got.contains(&r), "{r} missing: {got:?}");
    }
    let g3 = found.iter().find(|x| x.rule == "QP-G-03").unwrap();
    assert_eq!(g3.message, "«Co-progettazione»: il periodo 11/2021–03/2024 termina oltre il 31/12/2023, data entro cui il progetto deve concludersi.");
}

#[test]
fn staff_euro_bounded_by_income_of_linked_source() {
    let mut f = fascicolo("ambito", vec![scheda(1, "J", "J1")]);
    let st = StaffTable {
        extra_columns: vec![StaffExtraColumn { id: "coop".into(), ente: "Cooperativa".into(), linked_column: None }],
        rows: vec![
            StaffRow {
                role: "Educatore".into(),
                cells: [
                    ("comuni".to_string(), StaffValue::Euro(m("2.500,00"))),
                    ("coop".to_string(), StaffValue::Euro(m("10,00"))),
                ]
                .into(),
            },
            StaffRow { role: "".into(), cells: [("comuni".to_string(), StaffValue::Persone(1))].into() },
            StaffRow { role: "Psicologo".into(), cells: BTreeMap::new() },
        ],
    };
    set(&mut f, "scheda-1", "risorse_umane", FieldValue::StaffTable(st));
    let found = run(&f);
    let h1 = found.iter().find(|x| x.rule == "QP-H-01").expect("H-01");
    assert!(
        h1.message.contains("€ 2.500,00")
            && h1.message.contains("€ 2.000,00")
            && h1.message.contains("differenza € 500,00"),
        "{}",
        h1.message
    );
    for r in ["QP-H-02", "QP-H-03", "QP-H-04", "QP-H-05"] {
        assert!(ids(&found).contains(&r), "{r} missing: {:?}", ids(&found));
    }
}

#[test]
fn key_points_macroaree_and_secondary_areas() {
    let mut f = fascicolo("ambito", vec![scheda(1, "J", "E5")]);
    set(
        &mut f,
        "scheda-1",
        "integrazione_macroaree",
        FieldValue::SecondaryAreas(SecondaryAreas {
            items: vec![
                SecondaryArea { area: "K".into(), ..Default::default() },
                SecondaryArea { area: "J".into(), ..Default::default() },
                SecondaryArea { area: "E".into(), key_points: vec!["B4".into()], ..Default::default() },
            ],
            text: String::new(),
        }),
    );
    let found = run(&f);
    // E5 has J1's label but belongs to E: J has no key point ticked.
    let s3 = found.iter().find(|x| x.rule == "QP-S-03").unwrap();
    assert_eq!(
        s3.message,
        "Indicare almeno un punto chiave della macroarea J. Interventi a favore di persone con disabilità."
    );
    assert!(ids(&found).contains(&"QP-S-04"));
    assert_eq!(found.iter().filter(|x| x.rule == "QP-S-11").count(), 3, "K, J (=primary) and B4 under E");
    set(&mut f, "scheda-1", "macroarea", choice(&["J", "E"]));
    assert!(ids(&run(&f)).contains(&"QP-S-02"));
    set(&mut f, "scheda-1", "macroarea", choice(&[]));
    assert!(ids(&run(&f)).contains(&"QP-S-01"));
}

#[test]
fn sovrazonale_needs_two_ambiti_or_a_deroga_and_one_scheda() {
    let mut f = fascicolo("sovrazonale", vec![scheda(1, "J", "J1"), scheda(2, "B", "B1")]);
    let found = run(&f);
    assert!(ids(&found).contains(&"QP-S-07"));
    assert!(ids(&found).contains(&"QP-L-03"));
    assert!(!ids(&found).contains(&"QP-L-10"), "profile flag only for the ambito variant");
    set(
        &mut f,
        "scheda-1",
        "ambiti",
        FieldValue::Entities(EntityList {
            deroga: "Cooperazione non vincolante ai sensi della DGR.".into(),
            ..Default::default()
        }),
    );
    let found = run(&f);
    assert_eq!(found.iter().filter(|x| x.rule == "QP-S-07").count(), 1, "only scheda 2 still lacks Ambiti");
}

#[test]
fn letter_rules() {
    let mut f = fascicolo("ambito", vec![scheda(1, "J", "J1"), scheda(2, "B", "B4")]);
    f.documents[2].all_n = Some(11);
    f.documents[2].number = Some(3);
    set(&mut f, "lettera", "macroaree", choice(&["B"]));
    set(
        &mut f,
        "lettera",
        "titoli_progetti",
        FieldValue::Items { items: vec!["PROGETTO 1".into(), "ALTRO TITOLO".into()] },
    );
    set(&mut f, "lettera", "data", FieldValue::Date { date: NaiveDate::from_ymd_opt(2020, 1, 1) });
    f.documents[0].fields.remove("luogo");
    f.signer.name.clear();
    let found = run(&f);
    let got = ids(&found);
    for r in ["QP-L-01", "QP-L-02", "QP-L-05", "QP-L-06", "QP-L-08", "QP-L-09"] {
        assert!(got.contains(&r), "{r} missing: {got:?}");
    }
    assert_eq!(found.iter().filter(|x| x.rule == "QP-L-01").count(), 2, "signer name and luogo");
    let l2 = found.iter().find(|x| x.rule == "QP-L-02").unwrap();
    assert_eq!(
        l2.message,
        "Le macroaree indicate nella lettera (B) non coincidono con quelle delle schede progetto (B, J)."
    );
    let l6 = found.iter().find(|x| x.rule == "QP-L-06").unwrap();
    assert_eq!(l6.message, "Il numero «All. n. 11 al PDZ 2021/2023» è usato da più schede (schede n. 1, 3).");
}

#[test]
fn malformed_amounts_in_text_are_flagged() {
    let mut f = fascicolo("ambito", vec![scheda(1, "J", "J1")]);
    set(&mut f, "scheda-1", "contesto", text("| Anno | Spesa |\n| 2020 | €   1.015.679,505 |\nTotale € 2.150,00."));
    let found = run(&f);
    let f1: Vec<_> = found.iter().filter(|x| x.rule == "QP-F-01").collect();
    assert_eq!(f1.len(), 1, "{f1:?}");
    assert!(f1[0].message.contains("1.015.679,505"));
}
