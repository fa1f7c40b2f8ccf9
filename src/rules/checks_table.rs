//! Generic checks on what a table holds and on what the PDF can print. Each has a typed params
//! struct (unknown keys refused) read from the rule's `params`.
//!
//! - `row_half_filled`: per table section, the columns the form's instructions require; a row with
//!   some of them filled and others empty is reported with the path to the row and the first
//!   empty cell.
//! - `unprintable_characters`: characters of a section that no embedded font can draw (the PDF
//!   prints "□" in their place).
//! - `amount_as_typed`: amounts kept exactly as typed because they are not amounts
//!   (`Document::as_typed`), with the path to their cell.

use super::checks::docs;
use super::{Ctx, Sink};
use crate::model::{Document, FieldValue};
use crate::template::RuleDef;
use serde::Deserialize;
use serde_json::Value;

/// Check names of this file (dispatch; their params are registered in `params::CHECKS`).
pub const KNOWN_CHECKS: &[&str] = &["row_half_filled", "unprintable_characters", "amount_as_typed"];

/// One table a `row_half_filled` rule looks at.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableColumns {
    /// Section id of the table.
    pub section: String,
    /// Columns the form requires, as field names of the stored row; a dotted path reaches inside
    /// a row ("cells.proprie"). Each entry is `id` or `id=Header as printed`.
    pub required: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowHalfFilledParams {
    pub tables: Vec<TableColumns>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct UnprintableParams {}

/// Parses a rule's params into `P`; a template error becomes one finding-free no-op (the template
/// loader validates them up front through [`validate`]).
fn params<P: for<'de> Deserialize<'de>>(rule: &RuleDef) -> Result<P, String> {
    let table: toml::Table = rule.params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    toml::Value::Table(table).try_into::<P>().map_err(|e| e.message().to_string())
}

/// Checks the params of a rule of this file (used when loading a template).
pub fn validate(rule: &RuleDef) -> Result<(), String> {
    match rule.check.as_str() {
        "row_half_filled" => params::<RowHalfFilledParams>(rule).map(|_| ()),
        "unprintable_characters" => params::<UnprintableParams>(rule).map(|_| ()),
        "amount_as_typed" => params::<UnprintableParams>(rule).map(|_| ()),
        _ => Ok(()),
    }
}

pub(super) fn run(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    match rule.check.as_str() {
        "row_half_filled" => {
            if let Ok(p) = params::<RowHalfFilledParams>(rule) {
                row_half_filled(ctx, rule, sink, &p)
            }
        }
        "unprintable_characters" => unprintable(ctx, rule, sink),
        "amount_as_typed" => amount_as_typed(ctx, rule, sink),
        _ => {}
    }
}

/// The rows of a table value, as JSON objects, with the name of the array that holds them.
fn table_rows(value: &FieldValue) -> Option<(String, Vec<Value>)> {
    let v = serde_json::to_value(value).ok()?;
    let obj = v.as_object()?;
    for key in ["items", "rows", "lines", "inputs"] {
        if let Some(Value::Array(rows)) = obj.get(key) {
            if rows.iter().all(Value::is_object) {
                return Some((key.to_string(), rows.clone()));
            }
        }
    }
    None
}

fn lookup<'v>(row: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(row, |v, k| v.get(k))
}

/// Whether a cell counts as filled: text with a visible character, a number, a non-empty list or
/// map whose contents are filled, `true`.
fn filled(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(_)) => true,
        Some(Value::Array(a)) => a.iter().any(|x| filled(Some(x))),
        Some(Value::Object(o)) => o.values().any(|x| filled(Some(x))),
    }
}

fn row_half_filled(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, p: &RowHalfFilledParams) {
    for (doc, form) in docs(ctx, rule) {
        for t in &p.tables {
            let Some(sec) = form.section(&t.section) else { continue };
            let Some(value) = doc.field(&sec.id) else { continue };
            let Some((key, rows)) = table_rows(value) else { continue };
            let cols: Vec<(&str, &str)> = t
                .required
                .iter()
                .map(|c| match c.split_once('=') {
                    Some((id, header)) => (id.trim(), header.trim()),
                    None => (c.as_str(), c.as_str()),
                })
                .collect();
            for (i, row) in rows.iter().enumerate() {
                let state: Vec<bool> = cols.iter().map(|(id, _)| filled(lookup(row, id))).collect();
                if !state.iter().any(|f| *f) {
                    continue; // an empty row is another rule's business
                }
                let missing: Vec<usize> = (0..cols.len()).filter(|j| !state[*j]).collect();
                let Some(first) = missing.first() else { continue };
                let names: Vec<String> = missing.iter().map(|j| format!("«{}»", cols[*j].1)).collect();
                sink.push(
                    Some(doc),
                    Some(sec),
                    &format!("{key}/{i}/{}", cols[*first].0.replace('.', "/")),
                    None,
                    &[("riga", (i + 1).to_string()), ("colonne", names.join(", "))],
                );
            }
        }
    }
}

/// Every string of a value, in order.
fn strings(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push_str(s);
            out.push(' ');
        }
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn unprintable(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let report = |sink: &mut Sink, doc: &Document, sec: Option<&crate::template::Section>, path: &str, text: &str| {
        for c in crate::pdf::unprintable(text) {
            sink.push(
                Some(doc),
                sec,
                path,
                None,
                &[
                    ("carattere", format!("«{c}» (U+{:04X})", c as u32)),
                    ("sezione", sec.map(|s| s.heading.clone()).unwrap_or_default()),
                ],
            );
        }
    };
    for (doc, form) in docs(ctx, rule) {
        let mut acts = String::new();
        for a in &doc.activities {
            acts.push_str(&a.label);
            acts.push(' ');
            acts.extend(a.budget_label.as_deref());
            acts.push(' ');
            for m in &a.milestones {
                acts.push_str(&m.label);
                acts.push(' ');
            }
        }
        report(sink, doc, None, "attivita", &acts);
        for sec in &form.sections {
            if !rule.sections.is_empty() && !rule.sections.contains(&sec.id) {
                continue;
            }
            let Some(v) = doc.field(&sec.id) else { continue };
            let Ok(json) = serde_json::to_value(v) else { continue };
            let mut text = String::new();
            strings(&json, &mut text);
            report(sink, doc, Some(sec), "", &text);
        }
    }
}

fn amount_as_typed(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    for (doc, form) in docs(ctx, rule) {
        for (place, raw) in &doc.as_typed {
            if !crate::exchange::as_typed::still_empty(doc, place) {
                continue;
            }
            let (section, inner) = place.split_once('/').unwrap_or((place.as_str(), ""));
            let sec = form.section(section);
            let why = match crate::money::Money::parse_it(raw) {
                Err(e) => e.to_string(),
                Ok(_) => String::new(),
            };
            let riga = inner.split('/').nth(1).and_then(|r| r.parse::<usize>().ok()).map(|r| (r + 1).to_string());
            sink.push(
                Some(doc),
                sec,
                if sec.is_some() { inner } else { place },
                None,
                &[
                    ("valore", raw.clone()),
                    ("motivo", why),
                    ("riga", riga.unwrap_or_default()),
                    ("sezione", sec.map(|s| s.heading.clone()).unwrap_or_default()),
                ],
            );
        }
    }
}

impl super::params::Params for RowHalfFilledParams {
    fn refs(&self) -> Vec<super::params::Ref<'_>> {
        use super::params::{In, Ref};
        self.tables.iter().map(|t| Ref::Section { key: "tables", id: &t.section, within: In::RuleForm }).collect()
    }
}

impl super::params::Params for UnprintableParams {}
