//! Checks on the whole plan.
//!
//! - `plan_budget_vs_funds`: the plan budget (the schede's resource lines summed by funding source
//!   and programme year, `model::plan::plan_budget`) against the fund table of the rule's form and
//!   section: for every row of the table whose source the budget also names, and every column whose
//!   year is a programme year of the plan, the two amounts must agree. A cell "non assegnato" is
//!   not compared; a budget line naming several sources together cannot be split among them, so a
//!   source it names is not compared in that year.

use super::checks::docs;
use super::params::{get, In, Params, Ref};
use super::{Ctx, Sink};
use crate::model::plan::plan_budget;
use crate::model::{FieldValue, FundCell};
use crate::money::Money;
use crate::template::RuleDef;
use serde::Deserialize;

/// Check names of this file (dispatch; their params are registered in `params::CHECKS`).
pub const KNOWN_CHECKS: &[&str] = &["plan_budget_vs_funds"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetVsFunds {
    /// Resource-lines section of the schede the budget sums.
    pub resources: String,
}

impl Params for BudgetVsFunds {
    fn refs(&self) -> Vec<Ref<'_>> {
        vec![Ref::Section { key: "resources", id: &self.resources, within: In::AnyForm }]
    }
    fn needs_sections(&self) -> bool {
        true
    }
}

pub(super) fn run(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    if rule.check == "plan_budget_vs_funds" {
        budget_vs_funds(ctx, rule, sink)
    }
}

/// The year a fund-table column stands for: the first four-digit number of its id, else of its
/// header ("2025", "ANNO 2025").
fn column_year(id: &str, header: &str) -> Option<i32> {
    [id, header]
        .iter()
        .find_map(|t| t.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 4).and_then(|w| w.parse().ok()))
}

fn budget_vs_funds(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let (Some(def), Some(plan)) = (&ctx.family.plan, &ctx.fascicolo.plan) else { return };
    let years = &plan.years(def).programma;
    if years.is_empty() {
        return;
    }
    let p = get::<BudgetVsFunds>(rule);
    let budget = plan_budget(ctx.family, ctx.fascicolo, &p.resources, years);
    for (doc, form) in docs(ctx, rule) {
        for sid in &rule.sections {
            let Some(sec) = form.section(sid) else { continue };
            let Some(FieldValue::FundTable(t)) = doc.field(sid) else { continue };
            for row in &t.rows {
                let named = budget.iter().any(|b| b.sources.contains(&row.source));
                if !named {
                    continue;
                }
                for col in &sec.columns {
                    let Some(year) = column_year(&col.id, &col.header).filter(|y| years.contains(y)) else {
                        continue;
                    };
                    let table = match row.cells.get(&col.id) {
                        Some(FundCell::Value(m)) => *m,
                        Some(FundCell::Zero) | None => Money::ZERO,
                        Some(FundCell::NotAssigned) => continue,
                    };
                    let shared = budget.iter().any(|b| {
                        b.sources.len() > 1
                            && b.sources.contains(&row.source)
                            && b.years.get(&year).is_some_and(|m| !m.is_zero())
                    });
                    if shared {
                        continue;
                    }
                    let schede: Money = budget
                        .iter()
                        .filter(|b| b.sources.len() == 1 && b.sources[0] == row.source)
                        .filter_map(|b| b.years.get(&year).copied())
                        .sum();
                    if schede != table {
                        let fonte = if row.label.trim().is_empty() {
                            sec.vocabulary
                                .as_deref()
                                .and_then(|v| ctx.family.vocabulary(v))
                                .map(|v| v.display(&row.source))
                                .unwrap_or_else(|| row.source.clone())
                        } else {
                            row.label.clone()
                        };
                        sink.push(
                            Some(doc),
                            Some(sec),
                            &format!("righe/{}/{}", row.source, col.id),
                            None,
                            &[
                                ("fonte", fonte),
                                ("anno", year.to_string()),
                                ("tabella", table.format_number()),
                                ("schede", schede.format_number()),
                                ("diff", (table - schede).format_number()),
                            ],
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::column_year;

    #[test]
    fn years_of_columns() {
        assert_eq!(column_year("2025", "ANNO 2025"), Some(2025));
        assert_eq!(column_year("a1", "ANNO 2026"), Some(2026));
        assert_eq!(column_year("fondo", "FONDI"), None);
    }
}
