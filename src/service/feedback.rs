//! Feedback while editing a table or a grid, computed by the same core code the Verifica and the
//! PDF use (`model::compute`), so what the field shows and what the Verifica says always agree.

use crate::error::{Error, Result};
use crate::model::compute;
use crate::model::{EvaluationGrid, FundTable, MoneyTable};
use crate::money::Money;
use crate::template::{Registry, Section};
use std::collections::BTreeMap;

/// The section `section` of form `form` in family `family`.
pub fn section<'a>(reg: &'a Registry, family: &str, form: &str, section: &str) -> Result<&'a Section> {
    reg.family(family)
        .and_then(|f| f.form(form))
        .and_then(|f| f.section(section))
        .ok_or_else(|| Error::NotFound(format!("sezione «{section}» nella modulistica")))
}

/// One computed row of an evaluation grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRowFeedback {
    pub id: String,
    /// input | computed | band
    pub kind: String,
    /// Printed value: "12", "90%", "90% (buono)"; "" when missing.
    pub display: String,
    pub band: Option<u32>,
    pub from_typed: bool,
}

/// An imported printed value that disagrees with the computation.
#[derive(Debug, Clone, PartialEq)]
pub struct GridWarning {
    pub id: String,
    pub typed: String,
    pub computed: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GridFeedback {
    pub rows: Vec<GridRowFeedback>,
    /// (label, word) of each band, in template order.
    pub bands: Vec<(String, String)>,
    pub warnings: Vec<GridWarning>,
}

/// Rows, bands and import mismatches of an evaluation grid. Band words are compared by
/// `compute::band_mismatches`, the function of the rule `pdz_grid_band`.
pub fn grid(sec: &Section, g: &EvaluationGrid) -> GridFeedback {
    let r = compute::evaluate_grid(sec, g);
    let bad_bands = compute::band_mismatches(sec, g, &r);
    let rows = r
        .rows
        .iter()
        .map(|x| GridRowFeedback {
            id: x.id.clone(),
            kind: x.kind.clone(),
            display: x.display.clone(),
            band: x.band.map(|b| b as u32),
            from_typed: x.from_typed,
        })
        .collect();
    let mut warnings = Vec::new();
    for (id, typed) in &g.typed {
        let Some(row) = r.row(id) else { continue };
        let number_differs = !row.from_typed
            && row.value.is_some_and(|v| compute::typed_number(typed).is_some_and(|n| n.round() != v.round()));
        let band_differs = bad_bands.iter().find(|m| m.typed_key == *id);
        if !number_differs && band_differs.is_none() {
            continue;
        }
        let band_row = band_differs.and_then(|m| r.row(&m.row)).or_else(|| {
            sec.rows
                .iter()
                .find(|x| x.kind.as_deref() == Some("band") && x.formula.as_deref() == Some(id.as_str()))
                .and_then(|x| r.row(&x.id))
        });
        let computed =
            band_row.map(|f| f.display.clone()).filter(|d| !d.is_empty()).unwrap_or_else(|| row.display.clone());
        warnings.push(GridWarning { id: id.clone(), typed: typed.clone(), computed });
    }
    let bands = r.bands.iter().map(|b| (b.label.clone(), b.word.clone())).collect();
    GridFeedback { rows, bands, warnings }
}

/// A column total of a fund table, in the plan's money style.
#[derive(Debug, Clone, PartialEq)]
pub struct FundColumnTotal {
    pub text: String,
    /// Not-assigned cells in the column (the total is partial when > 0).
    pub not_assigned: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FundFeedback {
    pub columns: BTreeMap<String, FundColumnTotal>,
    /// Group id → column id → subtotal text.
    pub groups: BTreeMap<String, BTreeMap<String, String>>,
    /// Typed totals of an imported document that differ from the computed ones: (column, text).
    pub typed_differs: Vec<(String, String)>,
}

/// Column totals and group subtotals of a fund table (`compute::fund_totals`), printed in the plan's
/// money style ("suffix" | "prefix").
pub fn fund_table(sec: &Section, table: &FundTable, style: &str) -> FundFeedback {
    let t = compute::fund_totals(sec, table);
    let text = |m: Money| compute::money_style(m, style, false);
    let columns = t
        .columns
        .iter()
        .map(|(c, m)| {
            let not_assigned = t.not_assigned.get(c).copied().unwrap_or(0) as u32;
            (c.clone(), FundColumnTotal { text: text(*m), not_assigned })
        })
        .collect();
    let mut groups: BTreeMap<String, BTreeMap<String, String>> = t
        .groups
        .iter()
        .map(|(g, cols)| (g.clone(), cols.iter().map(|(c, m)| (c.clone(), text(*m))).collect()))
        .collect();
    // Groups with no rows yet print a zero subtotal.
    for g in sec.rows.iter().filter(|r| r.kind.as_deref() == Some("group")) {
        let e = groups.entry(g.id.clone()).or_default();
        for c in compute::fund_columns(sec) {
            e.entry(c.to_string()).or_insert_with(|| text(Money::ZERO));
        }
    }
    let typed_differs = table
        .typed_totals
        .iter()
        .filter(|(c, m)| t.columns.get(*c).is_some_and(|tot| tot != *m))
        .map(|(c, m)| (c.clone(), text(*m)))
        .collect();
    FundFeedback { columns, groups, typed_differs }
}

/// Totals of a resources table, in cents.
#[derive(Debug, Clone, PartialEq)]
pub struct MoneyTableTotals {
    /// Per row: (Σ entrate, Σ entrate − costo).
    pub rows: Vec<(i64, i64)>,
    pub columns: BTreeMap<String, i64>,
    pub cost: i64,
    pub income: i64,
}

/// Per-row Σ entrate and balance, and column totals.
pub fn money_table(t: &MoneyTable) -> MoneyTableTotals {
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let income = r.income().cents();
            (income, income - r.cost.unwrap_or_default().cents())
        })
        .collect();
    let mut columns = BTreeMap::new();
    for r in &t.rows {
        for k in r.amounts.keys() {
            columns.entry(k.clone()).or_insert_with(|| t.total_of(k).cents());
        }
    }
    let income = t.rows.iter().map(|r| r.income().cents()).sum();
    MoneyTableTotals { rows, columns, cost: t.total_cost().cents(), income }
}

/// A typed amount checked by the Italian parser: the canonical text ("2.150,50") or the reason.
pub fn amount(text: &str) -> std::result::Result<String, String> {
    Money::parse_it(text).map(|m| m.format_number()).map_err(|e| e.to_string())
}

/// Words of a text, counted as the Region counts them.
pub fn words(text: &str) -> u32 {
    crate::words::count_rich_words(text) as u32
}
