//! The named checks. Each reads its scope (form, sections, variants) and parameters from the rule.

use super::params::{self, Count};
use super::{Ctx, Sink};
use crate::model::*;
use crate::money::{Money, MoneyError};
use crate::template::{normalise_label, FieldKind, Form, FormRole, RuleDef, Section};
use crate::words::{count_rich_words, count_words};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn run(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    if super::checks_pdz::KNOWN_CHECKS.contains(&rule.check.as_str()) {
        return super::checks_pdz::run(ctx, rule, sink);
    }
    if super::checks_plan::KNOWN_CHECKS.contains(&rule.check.as_str()) {
        return super::checks_plan::run(ctx, rule, sink);
    }
    if super::checks_table::KNOWN_CHECKS.contains(&rule.check.as_str()) {
        return super::checks_table::run(ctx, rule, sink);
    }
    match rule.check.as_str() {
        "letter_required" => letter_required(ctx, rule, sink),
        "letter_areas_match" => letter_areas_match(ctx, rule, sink),
        "letter_scheda_count" => letter_scheda_count(ctx, rule, sink),
        "letter_titles_match" => letter_titles_match(ctx, rule, sink),
        "annex_unique" => annex_unique(ctx, sink),
        "annex_present" => annex_present(ctx, sink),
        "date_plausible" => date_plausible(ctx, rule, sink),
        "scheda_numbering" => scheda_numbering(ctx, sink),
        "profile_flag" => profile_flag(ctx, rule, sink),
        "activities_min" => {
            let min = params::get::<Count>(rule).min.unwrap_or(1).max(0) as usize;
            for (doc, _) in docs(ctx, rule) {
                if doc.activities.len() < min {
                    sink.push(Some(doc), None, "attivita", None, &[("n", doc.activities.len().to_string())]);
                }
            }
        }
        "activity_has_period" => {
            for (doc, _) in docs(ctx, rule) {
                for (i, a) in doc.activities.iter().enumerate() {
                    if a.kind == ActivityKind::Activity && a.periods.is_empty() {
                        sink.push(Some(doc), None, &format!("attivita/{i}"), None, &[("attività", a.label.clone())]);
                    }
                }
            }
        }
        _ => per_section(ctx, rule, sink),
    }
}

// ------------------------------------------------------------------ scope helpers

pub(super) fn docs<'a>(ctx: &Ctx<'a>, rule: &'a RuleDef) -> impl Iterator<Item = (&'a Document, &'a Form)> + 'a {
    let fam = ctx.family;
    ctx.fascicolo.documents.iter().filter_map(move |d| {
        let f = fam.form(&d.form)?;
        match &rule.form {
            Some(id) if *id != f.id => None,
            _ => Some((d, f)),
        }
    })
}

/// Words of a section the way the word limit counts them (tables included).
pub fn section_words(value: Option<&FieldValue>) -> usize {
    match value {
        Some(FieldValue::Text { text }) => count_rich_words(text),
        Some(FieldValue::Deliverables(d)) => {
            count_rich_words(&d.text)
                + d.rows
                    .iter()
                    .map(|r| {
                        count_words(&r.phase)
                            + r.results.iter().map(|s| count_words(s)).sum::<usize>()
                            + r.indicators.iter().map(|s| count_words(s)).sum::<usize>()
                    })
                    .sum::<usize>()
        }
        Some(v) => v.texts().iter().map(|t| count_rich_words(t)).sum(),
        None => 0,
    }
}

/// Whether a section counts as empty for "required" rules.
pub fn is_empty(doc: &Document, section: &Section) -> bool {
    let Some(v) = doc.field(&section.id) else {
        return match section.kind {
            FieldKind::Gantt => !doc.activities.iter().any(|a| !a.periods.is_empty()),
            FieldKind::Heading => false,
            _ => true,
        };
    };
    match v {
        FieldValue::Text { text } => count_words(text) == 0,
        FieldValue::Date { date } => date.is_none(),
        FieldValue::Month { month } => month.is_none(),
        FieldValue::Number { value } => value.is_none(),
        FieldValue::Choice { selected, text } => selected.is_empty() && count_words(text) == 0,
        FieldValue::Enumeration { value, .. } => value.is_none(),
        FieldValue::YesNo(y) => y.answer.is_none(),
        FieldValue::Entities(e) => e.items.is_empty() && e.note.trim().is_empty() && e.deroga.trim().is_empty(),
        FieldValue::Items { items } => items.iter().all(|i| i.trim().is_empty()),
        FieldValue::SecondaryAreas(s) => s.items.is_empty() && count_words(&s.text) == 0,
        FieldValue::Gantt(_) => !doc.activities.iter().any(|a| !a.periods.is_empty()),
        FieldValue::Deliverables(d) => d.rows.is_empty() && count_words(&d.text) == 0,
        FieldValue::MoneyTable(t) => t.rows.is_empty(),
        FieldValue::StaffTable(t) => t.rows.is_empty(),
        FieldValue::Indicators { items } => items.is_empty(),
        FieldValue::ResourceLines(r) => !r.none_needed && r.lines.is_empty(),
        FieldValue::StaffLines { items } => items.is_empty(),
        FieldValue::FundTable(t) => t.rows.is_empty(),
        FieldValue::EvaluationGrid(g) => g.inputs.is_empty(),
        FieldValue::Empty {} => false,
    }
}

fn activity_label(doc: &Document, id: &str) -> String {
    doc.activity(id).map(|a| a.label.clone()).unwrap_or_else(|| id.to_string())
}
fn budget_row_label(doc: &Document, id: &str) -> String {
    match doc.activity(id) {
        Some(a) => a.budget_label.clone().unwrap_or_else(|| a.label.clone()),
        None => id.to_string(),
    }
}

/// Printed header of a table column: the template's fixed header, else the repeatable column's
/// header with its source name (or the placeholder when unnamed).
fn column_header(section: &Section, col: &str, extra_name: Option<&str>) -> String {
    if let Some(c) = section.columns.iter().find(|c| c.id == col) {
        return c.header.clone();
    }
    match (extra_name, &section.repeatable_column) {
        (Some(name), Some(rc)) if !name.is_empty() => rc.named_header.replace("{fonte}", name),
        (Some(_), Some(rc)) => rc.placeholder.clone(),
        (Some(name), None) => name.to_string(),
        (None, _) => col.to_string(),
    }
}

/// Printed header of a money-table column (fixed or extra).
pub fn money_column_header(section: &Section, table: &MoneyTable, col: &str) -> String {
    column_header(section, col, table.extra_columns.iter().find(|c| c.id == col).map(|c| c.source.as_str()))
}

/// Printed header of a staff-table column (fixed or extra).
pub fn staff_column_header(section: &Section, table: &StaffTable, col: &str) -> String {
    column_header(section, col, table.extra_columns.iter().find(|c| c.id == col).map(|c| c.ente.as_str()))
}

fn gantt_start(doc: &Document, section: &Section) -> Option<YearMonth> {
    let own = match doc.field(&section.id) {
        Some(FieldValue::Gantt(g)) => g.start,
        _ => None,
    };
    own.or_else(|| section.props.get("default_start").and_then(|v| v.as_str()).and_then(YearMonth::parse))
}

fn euro(m: Money) -> String {
    m.format_it()
}

// ------------------------------------------------------------------ section-scoped checks

fn per_section(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    for (doc, form) in docs(ctx, rule) {
        let sections: Vec<&Section> = if rule.sections.is_empty() {
            form.sections.iter().collect()
        } else {
            rule.sections.iter().filter_map(|s| form.section(s)).collect()
        };
        for sec in sections {
            section_check(ctx, rule, sink, doc, form, sec);
        }
    }
}

fn section_check(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, form: &Form, sec: &Section) {
    let value = doc.field(&sec.id);
    match rule.check.as_str() {
        "required_sections" if sec.required && is_empty(doc, sec) => {
            sink.push(Some(doc), Some(sec), "", None, &[("sezione", sec.heading.clone())]);
        }
        "section_not_empty" if is_empty(doc, sec) => {
            sink.push(Some(doc), Some(sec), "", None, &[("sezione", sec.heading.clone())]);
        }
        "word_limit" | "word_limit_near" => {
            let Some(max) = sec.word_limit else { return };
            let n = section_words(value);
            let max = max as usize;
            let over = n > max;
            let ratio = params::get::<params::WordLimit>(rule).ratio_percent.unwrap_or(95) as usize;
            let near = !over && n * 100 >= max * ratio;
            if (rule.check == "word_limit" && over) || (rule.check == "word_limit_near" && near) {
                sink.push(
                    Some(doc),
                    Some(sec),
                    "",
                    None,
                    &[
                        ("sezione", sec.heading.clone()),
                        ("n", n.to_string()),
                        ("max", max.to_string()),
                        ("eccedenza", n.saturating_sub(max).to_string()),
                    ],
                );
            }
        }
        "choice_min" | "choice_max" => {
            let n = doc.selected(&sec.id).len() as i64;
            let p = params::get::<Count>(rule);
            let bad = if rule.check == "choice_min" { n < p.min.unwrap_or(1) } else { n > p.max.unwrap_or(1) };
            if bad {
                sink.push(Some(doc), Some(sec), "", None, &[("n", n.to_string())]);
            }
        }
        "keypoints_of_primary" | "keypoints_outside_primary" => keypoints(ctx, rule, sink, doc, sec),
        "entity_count" => {
            let p = params::get::<params::EntityCount>(rule);
            let Some(FieldValue::Entities(e)) = value else {
                if p.min.unwrap_or(0) > 0 {
                    sink.push(Some(doc), Some(sec), "", None, &[("n", "0".into())]);
                }
                return;
            };
            let n = e.items.iter().filter(|i| !i.name.trim().is_empty()).count() as i64;
            if p.or_deroga && !e.deroga.trim().is_empty() {
                return;
            }
            if p.or_note && !e.note.trim().is_empty() {
                return;
            }
            if n < p.min.unwrap_or(0) {
                sink.push(Some(doc), Some(sec), "", Some("none"), &[("n", n.to_string())]);
            } else if p.max.is_some_and(|m| n > m) {
                sink.push(Some(doc), Some(sec), "", Some("many"), &[("n", n.to_string())]);
            }
        }
        "secondary_areas_valid" => secondary_areas(ctx, rule, sink, doc, sec),
        "deliverable_indicators" => {
            if let Some(FieldValue::Deliverables(d)) = value {
                for (i, r) in d.rows.iter().enumerate() {
                    if r.indicators.iter().all(|s| s.trim().is_empty()) {
                        let name =
                            if r.activity.is_empty() { r.phase.clone() } else { activity_label(doc, &r.activity) };
                        sink.push(Some(doc), Some(sec), &format!("righe/{i}"), None, &[("deliverable", name)]);
                    }
                }
            }
        }
        "activity_in_budget" => {
            let covered: BTreeSet<&str> = match value {
                Some(FieldValue::MoneyTable(t)) => t.rows.iter().map(|r| r.activity.as_str()).collect(),
                _ => BTreeSet::new(),
            };
            for a in &doc.activities {
                let by_parent = a.parent.as_deref().is_some_and(|p| covered.contains(p));
                if a.kind == ActivityKind::Activity && a.in_budget && !covered.contains(a.id.as_str()) && !by_parent {
                    sink.push(Some(doc), Some(sec), "", None, &[("attività", a.label.clone())]);
                }
            }
        }
        "budget_row_activity"
        | "budget_row_balance"
        | "budget_typed_totals"
        | "budget_row_cost"
        | "budget_column_named"
        | "budget_column_nonempty"
        | "budget_control_column" => {
            if let Some(FieldValue::MoneyTable(t)) = value {
                budget(rule, sink, doc, sec, t);
            }
        }
        "gantt_start_deadline" | "period_after_start" | "period_deadline" | "period_order" | "milestone_in_period" => {
            gantt(ctx, rule, sink, doc, sec)
        }
        "staff_euro_within_income" | "staff_euro_linked" | "staff_column_kinds" | "staff_role" | "staff_row_values" => {
            if let Some(FieldValue::StaffTable(t)) = value {
                staff(rule, sink, doc, form, sec, t);
            }
        }
        "text_money_format" => {
            if let Some(v) = value {
                for text in v.texts() {
                    for bad in malformed_amounts(text) {
                        sink.push(Some(doc), Some(sec), "", None, &[("testo", bad)]);
                    }
                }
            }
        }
        _ => {}
    }
}

fn keypoints(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section) {
    let p = params::get::<params::Keypoints>(rule);
    let Some(primary) = doc.selected(&p.primary).first() else { return };
    let Some(voc) = sec.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v)) else { return };
    let groups = voc.grouped_by.as_deref().and_then(|g| ctx.family.vocabulary(g));
    let group_label = groups.and_then(|g| g.item(primary)).map(|i| i.label.clone()).unwrap_or_default();
    let chosen = doc.selected(&sec.id);
    if rule.check == "keypoints_of_primary" {
        let any = chosen.iter().any(|id| voc.item(id).is_some_and(|i| i.group.as_deref() == Some(primary)));
        if !any {
            sink.push(Some(doc), Some(sec), "", None, &[("codice", primary.clone()), ("etichetta", group_label)]);
        }
    } else {
        for id in chosen {
            if let Some(item) = voc.item(id) {
                if item.group.as_deref() != Some(primary) {
                    sink.push(
                        Some(doc),
                        Some(sec),
                        id,
                        None,
                        &[("punto", item.label.clone()), ("id", id.clone()), ("codice", primary.clone())],
                    );
                }
            }
        }
    }
}

fn secondary_areas(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section) {
    let Some(FieldValue::SecondaryAreas(s)) = doc.field(&sec.id) else { return };
    let p = params::get::<params::SecondaryAreas>(rule);
    let primary = doc.selected(&p.primary).first().cloned().unwrap_or_default();
    let Some(voc) = sec.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v)) else { return };
    let kp_voc = p.key_points.as_deref().and_then(|v| ctx.family.vocabulary(v));
    for (i, item) in s.items.iter().enumerate() {
        if voc.item(&item.area).is_none() || item.area == primary {
            sink.push(
                Some(doc),
                Some(sec),
                &format!("voci/{i}"),
                None,
                &[("codice", item.area.clone()), ("principale", primary.clone())],
            );
            continue;
        }
        if let Some(kv) = kp_voc {
            for kp in &item.key_points {
                if kv.item(kp).is_none_or(|k| k.group.as_deref() != Some(item.area.as_str())) {
                    let label = kv.item(kp).map(|k| k.label.clone()).unwrap_or_else(|| kp.clone());
                    sink.push(
                        Some(doc),
                        Some(sec),
                        &format!("voci/{i}"),
                        Some("key_point"),
                        &[("punto", label), ("codice", item.area.clone())],
                    );
                }
            }
        }
    }
}

fn budget(rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section, t: &MoneyTable) {
    match rule.check.as_str() {
        "budget_row_activity" => {
            for (i, r) in t.rows.iter().enumerate() {
                if doc.activity(&r.activity).is_none() {
                    sink.push(Some(doc), Some(sec), &format!("righe/{i}"), None, &[("riga", r.activity.clone())]);
                }
            }
        }
        "budget_row_balance" => {
            for (i, r) in t.rows.iter().enumerate() {
                let Some(cost) = r.cost.filter(|c| !c.is_zero()) else { continue };
                let income = r.income();
                if income != cost {
                    let diff = income - cost;
                    let esito = if diff.cents() > 0 { "eccedenza di entrate" } else { "costo non coperto" };
                    sink.push(
                        Some(doc),
                        Some(sec),
                        &format!("righe/{i}"),
                        None,
                        &[
                            ("riga", budget_row_label(doc, &r.activity)),
                            ("entrate", euro(income)),
                            ("costo", euro(cost)),
                            ("diff", euro(Money(diff.cents().abs()))),
                            ("esito", esito.into()),
                        ],
                    );
                }
            }
        }
        "budget_typed_totals" => {
            for (col, typed) in &t.typed_totals {
                let computed = if col == "cost" { t.total_cost() } else { t.total_of(col) };
                if computed != *typed {
                    sink.push(
                        Some(doc),
                        Some(sec),
                        &format!("totali/{col}"),
                        None,
                        &[
                            ("colonna", money_column_header(sec, t, col)),
                            ("riportato", euro(*typed)),
                            ("calcolato", euro(computed)),
                            ("diff", euro(Money((computed - *typed).cents().abs()))),
                        ],
                    );
                }
            }
        }
        "budget_row_cost" => {
            for (i, r) in t.rows.iter().enumerate() {
                if r.cost.is_none_or(|c| c.is_zero()) {
                    sink.push(
                        Some(doc),
                        Some(sec),
                        &format!("righe/{i}"),
                        None,
                        &[("riga", budget_row_label(doc, &r.activity))],
                    );
                }
            }
        }
        "budget_column_named" => {
            for c in t.extra_columns.iter().filter(|c| c.source.trim().is_empty()) {
                sink.push(Some(doc), Some(sec), &format!("colonne/{}", c.id), None, &[]);
            }
        }
        "budget_column_nonempty" => {
            let cols: Vec<&str> = if params::get::<params::BudgetColumns>(rule).only_extra {
                t.extra_columns.iter().map(|c| c.id.as_str()).collect()
            } else {
                t.column_ids(&sec.columns)
            };
            for col in cols {
                if !t.rows.is_empty() && t.rows.iter().all(|r| !r.amounts.contains_key(col)) {
                    sink.push(
                        Some(doc),
                        Some(sec),
                        &format!("colonne/{col}"),
                        None,
                        &[("colonna", money_column_header(sec, t, col))],
                    );
                }
            }
        }
        "budget_control_column" => {
            for (i, r) in t.rows.iter().enumerate() {
                if let Some(v) = r.typed_control {
                    if v != r.income() {
                        sink.push(
                            Some(doc),
                            Some(sec),
                            &format!("righe/{i}"),
                            None,
                            &[
                                ("riga", budget_row_label(doc, &r.activity)),
                                ("valore", euro(v)),
                                ("entrate", euro(r.income())),
                            ],
                        );
                    }
                }
            }
        }
        _ => {}
    }
}

fn gantt(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section) {
    let start = gantt_start(doc, sec);
    let deadline = ctx.family.deadline;
    if rule.check == "gantt_start_deadline" {
        if let (Some(s), Some(d)) = (start, deadline) {
            if s > d {
                sink.push(Some(doc), Some(sec), "", None, &[("avvio", s.display_it())]);
            }
        }
        return;
    }
    for (i, a) in doc.activities.iter().enumerate() {
        for p in &a.periods {
            let vars = [
                ("attività", a.label.clone()),
                ("da", p.from.display_it()),
                ("a", p.to.display_it()),
                ("avvio", start.map(|s| s.display_it()).unwrap_or_default()),
            ];
            let bad = match rule.check.as_str() {
                "period_after_start" => start.is_some_and(|s| p.from < s),
                "period_deadline" => deadline.is_some_and(|d| p.to > d),
                "period_order" => p.from > p.to,
                _ => false,
            };
            if bad {
                sink.push(Some(doc), Some(sec), &format!("attivita/{i}"), None, &vars);
            }
        }
        if rule.check == "milestone_in_period" {
            for m in &a.milestones {
                if !a.periods.iter().any(|p| p.from <= m.month && m.month <= p.to) {
                    sink.push(
                        Some(doc),
                        Some(sec),
                        &format!("attivita/{i}"),
                        None,
                        &[
                            ("milestone", m.label.clone()),
                            ("mese", m.month.display_it()),
                            ("attività", a.label.clone()),
                        ],
                    );
                }
            }
        }
    }
}

fn staff(rule: &RuleDef, sink: &mut Sink, doc: &Document, form: &Form, sec: &Section, t: &StaffTable) {
    // Staff columns: fixed (with their links) then extra.
    let mut cols: Vec<(String, Option<String>, bool)> = sec
        .columns
        .iter()
        .filter(|c| c.kind.as_deref() == Some("staff"))
        .map(|c| (c.id.clone(), c.links.clone(), false))
        .collect();
    cols.extend(t.extra_columns.iter().map(|c| (c.id.clone(), c.linked_column.clone(), true)));
    match rule.check.as_str() {
        "staff_role" => {
            for (i, r) in t.rows.iter().enumerate() {
                if r.role.trim().is_empty() {
                    sink.push(Some(doc), Some(sec), &format!("righe/{i}"), None, &[("n", (i + 1).to_string())]);
                }
            }
        }
        "staff_row_values" => {
            for (i, r) in t.rows.iter().enumerate() {
                if r.cells.is_empty() && !r.role.trim().is_empty() {
                    sink.push(Some(doc), Some(sec), &format!("righe/{i}"), None, &[("tipologia", r.role.clone())]);
                }
            }
        }
        "staff_column_kinds" => {
            for (col, _, _) in &cols {
                let kinds: BTreeSet<&str> = t
                    .rows
                    .iter()
                    .filter_map(|r| r.cells.get(col))
                    .map(|v| v.kind_label())
                    .filter(|k| *k != "testo")
                    .collect();
                if kinds.len() > 1 {
                    let tipi = kinds.into_iter().collect::<Vec<_>>().join(", ");
                    sink.push(
                        Some(doc),
                        Some(sec),
                        &format!("colonne/{col}"),
                        None,
                        &[("colonna", staff_column_header(sec, t, col)), ("tipi", tipi)],
                    );
                }
            }
        }
        "staff_euro_linked" | "staff_euro_within_income" => {
            let budget_id = params::get::<params::StaffBudget>(rule).budget;
            let budget_sec = form.section(&budget_id);
            let budget = budget_sec.and_then(|b| match doc.field(&b.id) {
                Some(FieldValue::MoneyTable(m)) => Some(m),
                _ => None,
            });
            for (col, link, _) in &cols {
                let euros: Money = t
                    .rows
                    .iter()
                    .filter_map(|r| match r.cells.get(col) {
                        Some(StaffValue::Euro(m)) => Some(*m),
                        _ => None,
                    })
                    .sum();
                let has_euro = t.rows.iter().any(|r| matches!(r.cells.get(col), Some(StaffValue::Euro(_))));
                if !has_euro {
                    continue;
                }
                let header = staff_column_header(sec, t, col);
                match (rule.check.as_str(), link) {
                    ("staff_euro_linked", None) => {
                        sink.push(Some(doc), Some(sec), &format!("colonne/{col}"), None, &[("colonna", header)]);
                    }
                    ("staff_euro_within_income", Some(l)) => {
                        let (Some(b), Some(bs)) = (budget, budget_sec) else { continue };
                        let income = b.total_of(l);
                        if euros > income {
                            sink.push(
                                Some(doc),
                                Some(sec),
                                &format!("colonne/{col}"),
                                None,
                                &[
                                    ("colonna", header),
                                    ("personale", euro(euros)),
                                    ("fonte", money_column_header(bs, b, l)),
                                    ("entrate", euro(income)),
                                    ("diff", euro(euros - income)),
                                ],
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Amounts in running text that a regional reader would find malformed ("1.015.679,505", "12.3456,00").
pub fn malformed_amounts(text: &str) -> Vec<String> {
    let toks: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, raw) in toks.iter().enumerate() {
        let tok = raw.trim_end_matches(['.', ';', ':', ')', ']', '»']);
        let tok = tok.trim_start_matches(['(', '[', '«']);
        let core = tok.trim_start_matches('€').trim_end_matches('€');
        let near_euro = tok.contains('€')
            || (i > 0 && toks[i - 1] == "€")
            || toks.get(i + 1).is_some_and(|n| n.starts_with('€') || n.starts_with("euro"));
        if !near_euro || core.is_empty() || !core.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
            continue;
        }
        if !core.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        if matches!(Money::parse_it(core), Err(MoneyError::TooManyDecimals(_) | MoneyError::BadThousands(_))) {
            out.push(raw.to_string());
        }
    }
    out
}

// ------------------------------------------------------------------ fascicolo-level checks

fn letters<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = (&'a Document, &'a Form)> + 'a {
    let fam = ctx.family;
    ctx.fascicolo
        .documents
        .iter()
        .filter_map(move |d| fam.form(&d.form).filter(|f| f.role == FormRole::Letter).map(|f| (d, f)))
}

fn letter_required(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let p = params::get::<params::LetterRequired>(rule);
    for (doc, form) in letters(ctx).filter(|(_, f)| rule.form.as_ref().is_none_or(|id| *id == f.id)) {
        let mut missing = Vec::new();
        if ctx.fascicolo.signer.name.trim().is_empty() {
            missing.push(("firmatario", "Nome del Rappresentante legale"));
        }
        if ctx.profile.ambito.trim().is_empty() {
            missing.push(("", "Ambito territoriale"));
        }
        if doc.text(&p.place_section).trim().is_empty() {
            missing.push((p.place_section.as_str(), "Luogo"));
        }
        if !matches!(doc.field(&p.date_section), Some(FieldValue::Date { date: Some(_) })) {
            missing.push((p.date_section.as_str(), "Data"));
        }
        for (path, campo) in missing {
            let sec = form.section(path);
            sink.push(Some(doc), sec, if sec.is_none() { path } else { "" }, None, &[("campo", campo.into())]);
        }
    }
}

fn letter_areas_match(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let p = params::get::<params::LetterAreas>(rule);
    let (areas_sec, scheda_sec) = (p.areas_section.as_str(), p.scheda_section.as_str());
    for (doc, form) in letters(ctx) {
        let ticked: BTreeSet<&String> = doc.selected(areas_sec).iter().collect();
        if ticked.is_empty() {
            continue; // derived from the schede: nothing to compare
        }
        let derived: BTreeSet<&String> =
            ctx.fascicolo.letter_schede(ctx.family, doc).iter().flat_map(|d| d.selected(scheda_sec).first()).collect();
        if ticked != derived {
            let join = |s: &BTreeSet<&String>| s.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ");
            sink.push(
                Some(doc),
                form.section(areas_sec),
                "",
                None,
                &[("lettera", join(&ticked)), ("schede", join(&derived))],
            );
        }
    }
}

fn letter_scheda_count(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let p = params::get::<Count>(rule);
    for (doc, _) in letters(ctx) {
        let n = ctx.fascicolo.letter_schede(ctx.family, doc).len() as i64;
        if n < p.min.unwrap_or(0) || p.max.is_some_and(|m| n > m) {
            sink.push(Some(doc), None, "schede", None, &[("n", n.to_string())]);
        }
    }
}

fn letter_titles_match(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let p = params::get::<params::LetterTitles>(rule);
    let sec_id = p.titles_section.as_str();
    for (doc, form) in letters(ctx) {
        let Some(FieldValue::Items { items }) = doc.field(sec_id) else { continue };
        let schede = ctx.fascicolo.letter_schede(ctx.family, doc);
        for (i, t) in items.iter().enumerate() {
            let Some(s) = schede.get(i) else { continue };
            if normalise_label(t) != normalise_label(s.title()) {
                sink.push(
                    Some(doc),
                    form.section(sec_id),
                    &i.to_string(),
                    None,
                    &[
                        ("titolo_lettera", t.clone()),
                        ("k", s.number.unwrap_or(i as u32 + 1).to_string()),
                        ("titolo_scheda", s.title().to_string()),
                    ],
                );
            }
        }
    }
}

fn annex_unique(ctx: &Ctx, sink: &mut Sink) {
    let mut by_n: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (i, (d, _)) in ctx.schede().enumerate() {
        if let Some(n) = d.all_n {
            by_n.entry(n).or_default().push(d.number.unwrap_or(i as u32 + 1).to_string());
        }
    }
    for (n, list) in by_n.into_iter().filter(|(_, l)| l.len() > 1) {
        sink.push(
            None,
            None,
            "all_n",
            None,
            &[("N", n.to_string()), ("elenco", format!("schede n. {}", list.join(", ")))],
        );
    }
}

fn annex_present(ctx: &Ctx, sink: &mut Sink) {
    for (i, (d, _)) in ctx.schede().enumerate() {
        if d.all_n.is_none() {
            sink.push(Some(d), None, "all_n", None, &[("k", d.number.unwrap_or(i as u32 + 1).to_string())]);
        }
    }
}

fn date_plausible(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let not_before = params::get::<params::DatePlausible>(rule).not_before;
    for (doc, form) in docs(ctx, rule) {
        for sec_id in &rule.sections {
            if let Some(FieldValue::Date { date: Some(d) }) = doc.field(sec_id) {
                if not_before.is_some_and(|nb| *d < nb) || *d > ctx.today {
                    sink.push(Some(doc), form.section(sec_id), "", None, &[("data", d.format("%d/%m/%Y").to_string())]);
                }
            }
        }
    }
}

fn scheda_numbering(ctx: &Ctx, sink: &mut Sink) {
    let nums: Vec<Option<u32>> = ctx.schede().map(|(d, _)| d.number).collect();
    let ok = nums.iter().enumerate().all(|(i, n)| *n == Some(i as u32 + 1));
    if !ok {
        let elenco =
            nums.iter().map(|n| n.map(|n| n.to_string()).unwrap_or_else(|| "—".into())).collect::<Vec<_>>().join(", ");
        sink.push(None, None, "number", None, &[("elenco", elenco)]);
    }
}

fn profile_flag(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let set = match params::get::<params::ProfileFlag>(rule).flag {
        params::ProfileFlagName::FormedAfterDgr7631 => ctx.profile.formed_after_dgr_7631,
    };
    if !set {
        sink.push(None, None, "profilo", None, &[]);
    }
}
