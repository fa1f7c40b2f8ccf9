//! The plan budget (schede's resources by funding source × year) and rule PZ-F-07, which checks the
//! fund table against it, on the Lodi demo. The demo's fund table covers the past triennium
//! (2022-2024) and the plan programmes 2025-2027, so the demo itself compares nothing; here the plan
//! declares 2022-2024 as its programme years (years are data of the fascicolo), the fund table is
//! filled from the budget, then one figure is changed by hand.

use pianozona::model::plan::plan_budget;
use pianozona::model::{Fascicolo, FieldValue, FundCell, FundRow, OfficeProfile};
use pianozona::money::Money;
use pianozona::template::Registry;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/piano-di-zona-2025-2027-lodi.json");

fn demo(reg: &Registry) -> (OfficeProfile, Fascicolo) {
    let ex = pianozona::exchange::import_json(&std::fs::read_to_string(DEMO).expect("demo"), reg).expect("import");
    (ex.profile, ex.fascicolo)
}

fn findings(reg: &Registry, p: &OfficeProfile, f: &Fascicolo) -> Vec<pianozona::rules::Finding> {
    let fam = reg.family(&f.family).expect("family");
    let today = chrono::NaiveDate::from_ymd_opt(2025, 1, 15).expect("date");
    pianozona::rules::check(fam, f, p, today).into_iter().filter(|x| x.rule == "PZ-F-07").collect()
}

#[test]
fn the_budget_sums_the_schede_by_source_and_year() {
    let reg = Registry::load(None).expect("templates");
    let (_, f) = demo(&reg);
    let fam = reg.family(&f.family).expect("family");
    let years = [2025, 2026, 2027];
    let rows = plan_budget(fam, &f, "risorse_economiche", &years);
    assert!(!rows.is_empty());
    // Every amount of every scheda line is in the budget: an annual one in each year, any other
    // once (spread over the years, in the first one, or unallocated).
    let mut lines = Money::ZERO;
    for d in f.documents.iter().filter(|d| d.form == "scheda_obiettivo") {
        if let Some(FieldValue::ResourceLines(r)) = d.field("risorse_economiche") {
            for l in &r.lines {
                let Some(a) = l.amount else { continue };
                lines += if l.basis == "annuo" { Money::from_cents(a.cents() * years.len() as i64) } else { a };
            }
        }
    }
    let budget: Money = rows.iter().map(|r| r.years.values().copied().sum::<Money>() + r.unallocated).sum();
    assert_eq!(budget, lines, "the budget does not hold exactly the schede's amounts");
    // The Lodi demo's 2025-2027 budget, as the PDF prints it (TOTALE row, chapter 5.4).
    let total: Money = rows.iter().map(|r| r.years.values().copied().sum::<Money>() + r.unallocated).sum();
    assert_eq!(total.format_number(), "17.930.000,00");
    // The demo compares nothing: its fund table is of the past triennium.
    let (p, f) = demo(&reg);
    assert!(findings(&reg, &p, &f).is_empty());
}

#[test]
fn a_fund_table_figure_changed_by_hand_is_flagged() {
    let reg = Registry::load(None).expect("templates");
    let (p, mut f) = demo(&reg);
    let fam = reg.family(&f.family).expect("family");
    let years = vec![2022, 2023, 2024];
    f.plan.as_mut().expect("plan").years.programma = years.clone();
    let rows = plan_budget(fam, &f, "risorse_economiche", &years);
    // Before: the demo's real fund table disagrees with what the schede programme in those years.
    assert!(!findings(&reg, &p, &f).is_empty());

    // The fund table filled from the budget (single-source rows; the others emptied).
    let single: Vec<_> = rows.iter().filter(|r| r.sources.len() == 1).collect();
    let multi: Vec<&String> = rows.iter().filter(|r| r.sources.len() > 1).flat_map(|r| &r.sources).collect();
    let d = f.documents.iter_mut().find(|d| d.form == "tabella_fondi").expect("fund table");
    let Some(FieldValue::FundTable(t)) = d.fields.get_mut("fondi") else { panic!("fondi") };
    // A row for each source the schede fund alone that the table lacks (as the office would add).
    for r in &single {
        if !t.rows.iter().any(|x| x.source == r.sources[0]) {
            t.rows.push(FundRow { source: r.sources[0].clone(), ..Default::default() });
        }
    }
    let mut compared = Vec::new();
    for row in &mut t.rows {
        for y in &years {
            let amount = single
                .iter()
                .find(|r| r.sources[0] == row.source)
                .and_then(|r| r.years.get(y).copied())
                .unwrap_or(Money::ZERO);
            row.cells.insert(y.to_string(), if amount.is_zero() { FundCell::Zero } else { FundCell::Value(amount) });
            if !amount.is_zero() && !multi.contains(&&row.source) {
                compared.push((row.source.clone(), *y));
            }
        }
    }
    assert!(findings(&reg, &p, &f).is_empty(), "{:#?}", findings(&reg, &p, &f));
    let (source, year) = compared.first().cloned().expect("a source the schede fund alone");

    // One figure changed by hand: one finding, naming the source and the year.
    let d = f.documents.iter_mut().find(|d| d.form == "tabella_fondi").expect("fund table");
    let Some(FieldValue::FundTable(t)) = d.fields.get_mut("fondi") else { panic!("fondi") };
    let row = t.rows.iter_mut().find(|r| r.source == source).expect("row");
    let cell = row.cells.get_mut(&year.to_string()).expect("cell");
    let FundCell::Value(m) = cell else { panic!("value") };
    *m += Money::from_cents(10_000);
    let found = findings(&reg, &p, &f);
    assert_eq!(found.len(), 1, "{found:#?}");
    let msg = &found[0].message;
    assert!(msg.contains(&format!("anno {year}")) && msg.contains("differenza € 100,00"), "{msg}");
    assert_eq!(found[0].path, format!("fondi/righe/{source}/{year}"));
}
