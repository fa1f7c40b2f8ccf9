//! Checks specific to the Piano di Zona forms (2025-2027 scheda obiettivo, evaluation grid, fund
//! tables, premialità registry; older scheda, esiti card and plan budget). Templates name them like
//! any other check; scope (form, sections) and parameters come from the rule. Derived values
//! (grid percentages and bands, fund totals) come from `model::compute`.

use super::params::{self, get};
use super::{Ctx, Sink};
use crate::model::compute::{self, Ratio};
use crate::model::{Document, FieldValue, FundCell, FundTable, Indicator, ResourceLines, YesNo, YesNoValue};
use crate::money::Money;
use crate::template::{normalise_label, FieldKind, Form, RuleDef, Section};
use std::collections::{BTreeMap, BTreeSet};

pub const KNOWN_CHECKS: &[&str] = &[
    "pdz_area_mapped",
    "pdz_area_coverage",
    "pdz_area_fold",
    "pdz_area_unique",
    "pdz_area_label",
    "pdz_system_objectives",
    "pdz_required",
    "pdz_yesno_answered",
    "pdz_yes_text",
    "pdz_yes_refs",
    "pdz_own_area_crossref",
    "pdz_custom_entries",
    "pdz_terzo_settore_missing",
    "pdz_terzo_settore_extra",
    "pdz_enum_valid",
    "pdz_enum_present",
    "pdz_yes_implies_yes",
    "pdz_objective_numbering",
    "pdz_guidance_as_content",
    "pdz_resources_present",
    "pdz_resource_basis",
    "pdz_resource_source",
    "pdz_resource_shares",
    "pdz_shared_envelope",
    "pdz_mixed_bases",
    "pdz_indicator_present",
    "pdz_indicator_target",
    "pdz_indicator_unit",
    "pdz_indicator_value",
    "pdz_indicator_levels",
    "pdz_indicator_achieved",
    "pdz_grid_inputs",
    "pdz_grid_band",
    "pdz_grid_present",
    "pdz_grid_over_100",
    "pdz_grid_link",
    "pdz_percent_valid",
    "pdz_grade_vs_answer",
    "pdz_unique_titles",
    "pdz_fund_typed_totals",
    "pdz_fund_negative",
    "pdz_fund_period",
    "pdz_fund_footnotes",
    "pdz_fund_partial",
    "pdz_fund_empty_row",
    "pdz_premiale_funded",
    "pdz_premiale_fund_row",
    "pdz_premiale_esiti",
];

pub(super) fn run(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    match rule.check.as_str() {
        "pdz_area_coverage" => area_coverage(ctx, rule, sink),
        "pdz_area_fold" => area_fold(ctx, rule, sink),
        "pdz_area_unique" => area_unique(ctx, rule, sink),
        "pdz_area_label" => area_label_uniform(ctx, rule, sink),
        "pdz_system_objectives" => system_objectives(ctx, rule, sink),
        "pdz_objective_numbering" => objective_numbering(ctx, rule, sink),
        "pdz_shared_envelope" => shared_envelope(ctx, rule, sink),
        "pdz_grid_link" => grid_link(ctx, rule, sink),
        "pdz_unique_titles" => unique_titles(ctx, rule, sink),
        "pdz_premiale_fund_row" => premiale_fund_row(ctx, rule, sink),
        _ => {
            for (doc, form) in docs(ctx, rule) {
                for sec in scoped(rule, form) {
                    if present(doc, sec) {
                        section_check(ctx, rule, sink, doc, form, sec);
                    }
                }
            }
        }
    }
}

// ------------------------------------------------------------------ helpers

fn docs<'a>(ctx: &Ctx<'a>, rule: &'a RuleDef) -> Vec<(&'a Document, &'a Form)> {
    super::checks::docs(ctx, rule).collect()
}

fn scoped<'a>(rule: &RuleDef, form: &'a Form) -> Vec<&'a Section> {
    if rule.sections.is_empty() {
        form.sections.iter().collect()
    } else {
        rule.sections.iter().filter_map(|s| form.section(s)).collect()
    }
}

/// Whether an optional row is switched on (a value, or document option `{section id}` = true).
pub fn present(doc: &Document, sec: &Section) -> bool {
    !sec.optional
        || doc.fields.contains_key(&sec.id)
        || doc.options.get(&sec.id).and_then(|v| v.as_bool()).unwrap_or(false)
}

fn yesno<'a>(doc: &'a Document, id: &str) -> Option<&'a YesNoValue> {
    match doc.field(id) {
        Some(FieldValue::YesNo(y)) => Some(y),
        _ => None,
    }
}

fn selected<'a>(doc: &'a Document, id: &str) -> (&'a [String], &'a str) {
    match doc.field(id) {
        Some(FieldValue::Choice { selected, text }) => (selected, text),
        _ => (&[], ""),
    }
}

fn texty(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t != "/" && t != "\\" && t != "//"
}

/// Name of the objective for messages: the title, else the document id.
fn obiettivo(doc: &Document) -> String {
    doc.title().to_string()
}

/// Short reference of a scheda: "{codes}-{n}" ("B-1", "D, E-2"), else its title.
fn scheda_ref(doc: &Document, area_section: &str) -> String {
    let (sel, _) = selected(doc, area_section);
    let codes: Vec<&str> = sel.iter().filter(|s| !s.starts_with("custom:")).map(String::as_str).collect();
    match (codes.is_empty(), doc.number) {
        (false, Some(n)) => format!("{}-{n}", codes.join(", ")),
        _ => obiettivo(doc),
    }
}

/// Local macro area of a scheda: its label (text of the area section), else its codes.
fn local_area(doc: &Document, area_section: &str) -> String {
    match doc.field(area_section) {
        Some(FieldValue::Choice { selected, text }) => {
            if !text.trim().is_empty() {
                text.trim().to_string()
            } else {
                selected.join(", ")
            }
        }
        Some(FieldValue::Text { text }) => text.trim().to_string(),
        _ => String::new(),
    }
}

fn euro_plain(m: Money) -> String {
    m.format_number()
}

fn level_name(sec: &Section) -> String {
    sec.props.get("level").and_then(|v| v.as_str()).unwrap_or("processo").to_string()
}

fn push(sink: &mut Sink, doc: &Document, sec: &Section, sub: &str, vars: &[(&str, String)]) {
    sink.push(Some(doc), Some(sec), sub, None, vars);
}

// ------------------------------------------------------------------ section-scoped checks

/// The «obiettivo» placeholder of a finding.
fn ob(doc: &Document) -> (&'static str, String) {
    ("obiettivo", obiettivo(doc))
}

/// The «etichetta» placeholder: the section heading with the fascicolo's options filled in.
fn et(ctx: &Ctx, sec: &Section) -> (&'static str, String) {
    ("etichetta", sec.heading_with(|k| Some(super::option_str(ctx.family, ctx.fascicolo, k))))
}

fn section_check(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, form: &Form, sec: &Section) {
    let value = doc.field(&sec.id);
    match rule.check.as_str() {
        "pdz_area_mapped" | "pdz_own_area_crossref" | "pdz_custom_entries" => area_check(ctx, rule, sink, doc, sec),
        "pdz_required" | "pdz_yesno_answered" | "pdz_yes_text" | "pdz_yes_refs" | "pdz_yes_implies_yes" => {
            answer_check(ctx, rule, sink, doc, sec)
        }
        "pdz_terzo_settore_missing" | "pdz_terzo_settore_extra" => terzo_settore(ctx, rule, sink, doc, form, sec),
        "pdz_enum_valid" | "pdz_enum_present" => {
            let v = match value {
                Some(FieldValue::Enumeration { value, .. }) => value.as_deref(),
                _ => None,
            };
            let bad = match v {
                None => true,
                Some(x) => rule.check == "pdz_enum_valid" && !sec.choices.iter().any(|c| c.id == x),
            };
            if bad {
                push(sink, doc, sec, "", &[ob(doc), et(ctx, sec), ("valore", v.unwrap_or_default().to_string())]);
            }
        }
        "pdz_guidance_as_content" => guidance_as_content(ctx, sink, doc, sec),
        "pdz_resources_present" => {
            let ok = match value {
                Some(FieldValue::ResourceLines(r)) => {
                    let valid = r.lines.iter().any(|l| l.amount.is_some());
                    (r.none_needed && r.lines.is_empty()) || (!r.none_needed && valid)
                }
                _ => false,
            };
            if !ok {
                push(sink, doc, sec, "", &[ob(doc), et(ctx, sec)]);
            }
        }
        "pdz_resource_basis" | "pdz_resource_source" | "pdz_resource_shares" | "pdz_mixed_bases" => {
            if let Some(FieldValue::ResourceLines(r)) = value {
                resources(rule, sink, doc, sec, r);
            }
        }
        "pdz_indicator_present" => {
            let empty = match value {
                Some(FieldValue::Indicators { items }) => items.iter().all(|i| i.text.trim().is_empty()),
                _ => true,
            };
            if empty {
                push(sink, doc, sec, "", &[ob(doc), et(ctx, sec), ("livello", level_name(sec))]);
            }
        }
        "pdz_indicator_target" | "pdz_indicator_unit" | "pdz_indicator_value" | "pdz_indicator_achieved" => {
            if let Some(FieldValue::Indicators { items }) = value {
                for (i, it) in items.iter().enumerate() {
                    indicator(rule, sink, doc, sec, i, it);
                }
            }
        }
        "pdz_indicator_levels" => indicator_levels(rule, sink, doc, form, sec),
        "pdz_grid_inputs" | "pdz_grid_band" | "pdz_grid_present" | "pdz_grid_over_100" | "pdz_percent_valid" => {
            grid(rule, sink, doc, sec)
        }
        "pdz_grade_vs_answer" => grade_vs_answer(rule, sink, doc, sec),
        "pdz_fund_negative"
        | "pdz_fund_typed_totals"
        | "pdz_fund_period"
        | "pdz_fund_footnotes"
        | "pdz_fund_partial"
        | "pdz_fund_empty_row" => fund(ctx, rule, sink, doc, form, sec),
        "pdz_premiale_funded" | "pdz_premiale_esiti" => premiale(ctx, rule, sink, doc, sec),
        "pdz_system_objectives" => {}
        _ => {}
    }
}

/// Intervention areas: mapped to the Region's list, not the scheda's own area among the
/// cross-references, free entries shown.
fn area_check(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section) {
    match rule.check.as_str() {
        "pdz_area_mapped" => {
            let (sel, _) = selected(doc, &sec.id);
            if !sel.iter().any(|s| !s.starts_with("custom:")) {
                push(sink, doc, sec, "", &[("macro", local_area(doc, &sec.id))]);
            }
        }
        "pdz_own_area_crossref" => {
            let p = get::<params::OwnAreaCrossref>(rule);
            let (own, label) = selected(doc, &p.area_section);
            let Some(y) = yesno(doc, &sec.id) else { return };
            let voc = sec.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v));
            for r in &y.refs {
                let same_code =
                    own.iter().any(|o| o == r && !o.starts_with("custom:") && p.open_area.as_ref() != Some(o));
                let same_label = r
                    .strip_prefix("custom:")
                    .is_some_and(|c| !label.is_empty() && normalise_label(c) == normalise_label(label));
                if same_code || same_label {
                    let area = voc.map(|v| v.display(r)).unwrap_or_else(|| r.clone());
                    push(sink, doc, sec, "", &[("area", area)]);
                }
            }
        }
        "pdz_custom_entries" => {
            let (sel, _) = selected(doc, &sec.id);
            for (i, s) in sel.iter().enumerate() {
                if let Some(t) = s.strip_prefix("custom:") {
                    push(sink, doc, sec, &i.to_string(), &[("testo", t.to_string())]);
                }
            }
        }
        _ => {}
    }
}

/// Required sections and yes/no answers (answered, explained, with references, implying another).
fn answer_check(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section) {
    let bad = match rule.check.as_str() {
        "pdz_required" => {
            let skip = get::<params::PdzRequired>(rule).skip;
            let skip_kinds = [FieldKind::YesNo, FieldKind::ResourceLines, FieldKind::IndicatorList, FieldKind::Heading];
            sec.required
                && sec.condition.is_none()
                && !skip.contains(&sec.id)
                && !skip_kinds.contains(&sec.kind)
                && super::is_empty(doc, sec)
        }
        "pdz_yesno_answered" => sec.kind == FieldKind::YesNo && yesno(doc, &sec.id).is_none_or(|y| y.answer.is_none()),
        "pdz_yes_text" => yesno(doc, &sec.id).is_some_and(|y| {
            y.answer == Some(YesNo::SI) && !texty(&y.text) && y.refs.iter().all(|r| r.trim().is_empty())
        }),
        "pdz_yes_refs" => yesno(doc, &sec.id).is_some_and(|y| {
            let has_refs = y.refs.iter().any(|r| !r.trim().is_empty());
            y.answer == Some(YesNo::SI) && !has_refs && !(get::<params::YesRefs>(rule).or_text && texty(&y.text))
        }),
        "pdz_yes_implies_yes" => {
            let then = get::<params::YesImpliesYes>(rule).then;
            yesno(doc, &sec.id).and_then(|y| y.answer) == Some(YesNo::SI)
                && yesno(doc, &then).and_then(|y| y.answer) != Some(YesNo::SI)
        }
        _ => false,
    };
    if bad {
        push(sink, doc, sec, "", &[ob(doc), et(ctx, sec)]);
    }
}

/// Third-sector involvement explained when some answer is NO, not when all are SI.
fn terzo_settore(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, form: &Form, sec: &Section) {
    let when: Vec<&Section> = get::<params::TerzoSettore>(rule)
        .when
        .iter()
        .filter_map(|id| form.section(id))
        .filter(|s| present(doc, s))
        .collect();
    let answers: Vec<Option<YesNo>> = when.iter().map(|s| yesno(doc, &s.id).and_then(|y| y.answer)).collect();
    let any_no = answers.contains(&Some(YesNo::NO));
    let all_si = !answers.is_empty() && answers.iter().all(|a| *a == Some(YesNo::SI));
    let text = match doc.field(&sec.id) {
        Some(FieldValue::Text { text }) => text.as_str(),
        _ => "",
    };
    let bad = if rule.check == "pdz_terzo_settore_missing" { any_no && !texty(text) } else { all_si && texty(text) };
    if bad {
        push(sink, doc, sec, "", &[ob(doc), et(ctx, sec)]);
    }
}

/// Items that repeat the section's instruction instead of answering it.
fn guidance_as_content(ctx: &Ctx, sink: &mut Sink, doc: &Document, sec: &Section) {
    let Some(guide) = sec.instruction.as_deref() else { return };
    let g = strip_bullet(guide);
    let texts: Vec<&str> = match doc.field(&sec.id) {
        Some(FieldValue::Indicators { items }) => items.iter().map(|it| it.text.as_str()).collect(),
        Some(FieldValue::Items { items }) => items.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    for (i, t) in texts.into_iter().enumerate() {
        if strip_bullet(t) == g {
            push(sink, doc, sec, &format!("voci/{i}"), &[ob(doc), et(ctx, sec)]);
        }
    }
}

/// The same indicator at more than one level; run once per document, on the first scoped section.
fn indicator_levels(rule: &RuleDef, sink: &mut Sink, doc: &Document, form: &Form, sec: &Section) {
    if scoped(rule, form).first().map(|s| s.id.as_str()) != Some(sec.id.as_str()) {
        return;
    }
    let mut seen: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for s in scoped(rule, form) {
        if let Some(FieldValue::Indicators { items }) = doc.field(&s.id) {
            for it in items.iter().filter(|i| !i.text.trim().is_empty()) {
                let e =
                    seen.entry(normalise_label(&strip_bullet(&it.text))).or_insert_with(|| (it.text.clone(), vec![]));
                let lv = level_name(s);
                if !e.1.contains(&lv) {
                    e.1.push(lv);
                }
            }
        }
    }
    for (text, levels) in seen.into_values().filter(|(_, l)| l.len() > 1) {
        push(sink, doc, sec, "", &[("indicatore", text), ("livelli", levels.join(", "))]);
    }
}

/// The grade of the evaluation grid against the yes/no answer (≥ 100% with NO, < 50% with SI).
fn grade_vs_answer(rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section) {
    let p = get::<params::GradeVsAnswer>(rule);
    let ans_sec = p.answer_section.as_str();
    let row = p.grade_row.as_deref().unwrap_or(&sec.id);
    let Some(FieldValue::EvaluationGrid(g)) = doc.field(&sec.id) else { return };
    let res = compute::evaluate_grid(sec, g);
    let Some(v) = res.row(row).and_then(|r| r.value) else { return };
    let ans = yesno(doc, ans_sec).and_then(|y| y.answer);
    let bad = (v.cmp_int(100).is_ge() && ans == Some(YesNo::NO)) || (v.cmp_int(50).is_lt() && ans == Some(YesNo::SI));
    if bad {
        let risposta = if ans == Some(YesNo::SI) { "SI" } else { "NO" };
        push(sink, doc, sec, "", &[ob(doc), ("grado", format!("{}%", v.format_it(2))), ("risposta", risposta.into())]);
    }
}

/// Projects of the premiale: referenced ones funded, funded ones with their outcomes.
fn premiale(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section) {
    if rule.check == "pdz_premiale_esiti" {
        let p = get::<params::PremialeEsiti>(rule);
        let funded = matches!(doc.field(&p.outcome_section),
            Some(FieldValue::Enumeration { value: Some(v), .. }) if *v == p.funded);
        if funded && super::is_empty(doc, sec) {
            push(sink, doc, sec, "", &[("progetto", premiale_name(doc, &p.name_section))]);
        }
        return;
    }
    let Some(y) = yesno(doc, &sec.id) else { return };
    let p = get::<params::PremialeFunded>(rule);
    for r in &y.refs {
        let Some(entry) = ctx.fascicolo.document(r).filter(|d| d.form == p.registry_form) else { continue };
        let esito = match entry.field(&p.outcome_section) {
            Some(FieldValue::Enumeration { value, .. }) => value.as_deref(),
            _ => None,
        };
        if esito != Some(p.funded.as_str()) {
            push(sink, doc, sec, "", &[("progetto", premiale_name(entry, &p.name_section))]);
        }
    }
}

fn premiale_name(d: &Document, name_section: &str) -> String {
    let short = d.text(name_section);
    if short.trim().is_empty() {
        d.title().to_string()
    } else {
        short.to_string()
    }
}

fn strip_bullet(s: &str) -> String {
    normalise_label(s.trim().trim_start_matches(['•', '-', '–', '▪', '*']).trim().trim_end_matches([':', ';', '.']))
}

// ------------------------------------------------------------------ resources

fn resources(rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section, r: &ResourceLines) {
    let basis_label =
        |b: &str| sec.choices.iter().find(|c| c.id == b).map(|c| c.label.clone()).unwrap_or_else(|| b.to_string());
    match rule.check.as_str() {
        "pdz_resource_basis" => {
            for (i, l) in r.lines.iter().enumerate() {
                let ok = !l.basis.is_empty() && (sec.choices.is_empty() || sec.choices.iter().any(|c| c.id == l.basis));
                if let (false, Some(a)) = (ok, l.amount) {
                    push(sink, doc, sec, &format!("righe/{i}"), &[("importo", euro_plain(a))]);
                }
            }
        }
        "pdz_resource_source" => {
            for (i, l) in r.lines.iter().enumerate() {
                if let (true, Some(a)) = (l.sources.iter().all(|s| s.trim().is_empty()), l.amount) {
                    push(sink, doc, sec, &format!("righe/{i}"), &[("importo", euro_plain(a))]);
                }
            }
        }
        "pdz_resource_shares" => {
            for (i, l) in r.lines.iter().enumerate() {
                let Some(total) = l.amount else { continue };
                let sum: Money = l.di_cui.iter().filter_map(|s| s.amount).sum();
                let pct: Vec<Option<Ratio>> = l
                    .di_cui
                    .iter()
                    .filter(|s| !s.percent.trim().is_empty())
                    .map(|s| compute::parse_number(&s.percent))
                    .collect();
                let pct_sum = pct.iter().flatten().try_fold(Ratio::int(0), |acc, p| acc.checked_add(*p));
                let bad_pct = pct.iter().any(|p| p.is_none_or(|p| p.cmp_int(100).is_gt() || p.num < 0))
                    || pct_sum.is_none_or(|s| s.cmp_int(100).is_gt());
                if sum > total || bad_pct {
                    let quota = if sum > total {
                        format!("€ {}", euro_plain(sum))
                    } else {
                        l.di_cui
                            .iter()
                            .filter(|s| !s.percent.is_empty())
                            .map(|s| format!("{}%", s.percent))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    };
                    push(sink, doc, sec, &format!("righe/{i}"), &[("quota", quota), ("importo", euro_plain(total))]);
                }
            }
        }
        "pdz_mixed_bases" => {
            let bases: BTreeSet<&str> = r
                .lines
                .iter()
                .filter(|l| l.amount.is_some())
                .map(|l| l.basis.as_str())
                .filter(|b| !b.is_empty())
                .collect();
            if bases.len() > 1 {
                let basi = bases.iter().map(|b| basis_label(b)).collect::<Vec<_>>().join(", ");
                push(sink, doc, sec, "", &[("basi", basi)]);
            }
        }
        _ => {}
    }
}

fn shared_envelope(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let area_sec = get::<params::SharedEnvelope>(rule).area_section;
    type Key = (Money, Vec<String>);
    let mut groups: BTreeMap<Key, Vec<(&Document, &Section)>> = BTreeMap::new();
    for (doc, form) in docs(ctx, rule) {
        for sec in scoped(rule, form) {
            let Some(FieldValue::ResourceLines(r)) = doc.field(&sec.id) else { continue };
            for l in r.lines.iter().filter(|l| l.envelope.trim().is_empty()) {
                let Some(a) = l.amount.filter(|a| !a.is_zero()) else { continue };
                let mut src: Vec<String> = l.sources.iter().map(|s| normalise_label(s)).collect();
                src.sort();
                src.dedup();
                let e = groups.entry((a, src)).or_default();
                if !e.iter().any(|(d, _)| d.id == doc.id) {
                    e.push((doc, sec));
                }
            }
        }
    }
    for ((amount, _), list) in groups.into_iter().filter(|(_, l)| l.len() > 1) {
        let (first, sec) = list[0];
        let fonti = fonti_labels(ctx, sec, first, amount);
        let elenco = list.iter().map(|(d, _)| scheda_ref(d, &area_sec)).collect::<Vec<_>>().join(", ");
        push(sink, first, sec, "", &[("importo", euro_plain(amount)), ("fonti", fonti), ("elenco", elenco)]);
    }
}

fn fonti_labels(ctx: &Ctx, sec: &Section, doc: &Document, amount: Money) -> String {
    let voc = sec.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v));
    let Some(FieldValue::ResourceLines(r)) = doc.field(&sec.id) else { return String::new() };
    r.lines
        .iter()
        .find(|l| l.amount == Some(amount))
        .map(|l| {
            l.sources
                .iter()
                .map(|s| {
                    voc.and_then(|v| v.item(s))
                        .map(|i| i.label.clone())
                        .unwrap_or_else(|| s.strip_prefix("custom:").unwrap_or(s).to_string())
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

// ------------------------------------------------------------------ indicators

/// Parsed unit: ("scale", Some((min, max))) for "scale:0-10".
fn unit_parts(unit: &str) -> (&str, Option<(Ratio, Ratio)>) {
    match unit.split_once(':') {
        Some((u, range)) => {
            let r =
                range.split_once('-').and_then(|(a, b)| Some((compute::parse_number(a)?, compute::parse_number(b)?)));
            (u.trim(), r)
        }
        None => (unit.trim(), None),
    }
}

fn indicator(rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section, i: usize, it: &Indicator) {
    let sub = format!("voci/{i}");
    let name = it.text.clone();
    let level = level_name(sec);
    let (unit, range) = unit_parts(&it.unit);
    let has_value = !it.value.trim().is_empty();
    match rule.check.as_str() {
        "pdz_indicator_target" if level != "input" && !has_value && !it.text.trim().is_empty() => {
            push(sink, doc, sec, &sub, &[("indicatore", name)]);
        }
        "pdz_indicator_unit" if has_value && (unit.is_empty() || (unit == "scale" && range.is_none())) => {
            push(sink, doc, sec, &sub, &[("indicatore", name), ("valore", it.value.clone())]);
        }
        "pdz_indicator_value" => {
            if !has_value {
                return;
            }
            let v = compute::parse_number(&it.value);
            let bad = match (v, unit) {
                (None, _) => true,
                (Some(v), "percent") => v.num < 0 || v.cmp_int(100).is_gt(),
                (Some(v), "scale") => range.is_some_and(|(lo, hi)| {
                    v.checked_sub(lo).is_none_or(|d| d.num < 0) || v.checked_sub(hi).is_none_or(|d| d.num > 0)
                }),
                (Some(v), "n" | "document") => v.num < 0 || v.den != 1,
                (Some(v), _) => v.num < 0,
            };
            if bad {
                push(sink, doc, sec, &sub, &[("indicatore", name), ("valore", it.value.clone())]);
            }
        }
        "pdz_indicator_achieved" if has_value && it.realizzato.trim().is_empty() => {
            push(sink, doc, sec, &sub, &[("indicatore", name)]);
        }
        _ => {}
    }
}

// ------------------------------------------------------------------ evaluation grids

fn grid(rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section) {
    let ob = ("obiettivo", obiettivo(doc));
    let g = match doc.field(&sec.id) {
        Some(FieldValue::EvaluationGrid(g)) => g.clone(),
        _ => Default::default(),
    };
    let res = compute::evaluate_grid(sec, &g);
    match rule.check.as_str() {
        "pdz_grid_inputs" => {
            let p = get::<params::GridInputs>(rule);
            let (min_one, positive_if) = (p.at_least_one, p.positive_if);
            let mut bad = false;
            for r in res.rows.iter().filter(|r| r.kind == "input") {
                let typed = g.inputs.get(&r.id).is_some_and(|t| !t.trim().is_empty());
                match r.value {
                    None if typed => bad = true,
                    Some(v) if v.num < 0 => bad = true,
                    Some(v) if min_one.contains(&r.id) && v.cmp_int(1).is_lt() => bad = true,
                    _ => {}
                }
            }
            for (must, when) in &positive_if {
                let w = res.row(when).and_then(|r| r.value);
                let m = res.row(must).and_then(|r| r.value);
                if w.is_some_and(|w| w.num > 0) && m.is_none_or(|m| m.num <= 0) {
                    bad = true;
                }
            }
            if bad {
                push(sink, doc, sec, "", &[ob]);
            }
        }
        "pdz_grid_band" => {
            for m in compute::band_mismatches(sec, &g, &res) {
                let (Some(r), Some(band)) = (res.row(&m.row), res.bands.get(m.band)) else { continue };
                let grado = r.value.map(|v| v.round().to_string()).unwrap_or_default();
                let fasce = [("grado", grado), ("fascia_corretta", band.label.clone()), ("fascia_indicata", m.word)];
                push(sink, doc, sec, "", &[&[ob.clone()][..], &fasce[..]].concat());
            }
        }
        "pdz_grid_present" => {
            let any = res.rows.iter().any(|r| r.kind == "computed" && r.value.is_some());
            if !any {
                push(sink, doc, sec, "", &[ob]);
            }
        }
        "pdz_grid_over_100" => {
            for r in res.rows.iter().filter(|r| r.kind == "computed") {
                if let Some(v) = r.value.filter(|v| v.cmp_int(100).is_gt()) {
                    push(sink, doc, sec, &r.id, &[ob.clone(), ("valore", v.round().to_string())]);
                }
            }
        }
        "pdz_percent_valid" => {
            for r in res.rows.iter().filter(|r| r.kind != "band") {
                let raw = g.inputs.get(&r.id).or_else(|| g.typed.get(&r.id));
                let Some(raw) = raw.filter(|t| !t.trim().is_empty()) else { continue };
                let decimals =
                    raw.trim().trim_end_matches('%').trim().rsplit_once(',').map(|(_, d)| d.len()).unwrap_or(0);
                let bad = match compute::typed_number(raw) {
                    None => true,
                    Some(v) => v.num < 0 || v.cmp_int(100).is_gt() || decimals > 2,
                };
                if bad {
                    push(sink, doc, sec, &r.id, &[ob.clone(), ("valore", raw.clone())]);
                }
            }
        }
        _ => {}
    }
}

fn grid_link(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let p = get::<params::GridLink>(rule);
    let (target_form, target_sec) = (p.target_form.as_str(), p.target_section.as_str());
    for (doc, form) in docs(ctx, rule) {
        for sec in scoped(rule, form) {
            let Some(y) = yesno(doc, &sec.id) else { continue };
            if y.answer != Some(YesNo::SI) {
                continue;
            }
            let linked = y.refs.iter().any(|r| {
                ctx.fascicolo.document(r).is_some_and(|d| {
                    d.form == target_form && yesno(d, target_sec).and_then(|t| t.answer) == Some(YesNo::SI)
                })
            });
            if !linked {
                push(sink, doc, sec, "", &[("obiettivo", obiettivo(doc))]);
            }
        }
    }
    // Conversely (param converse): a scheda declared in continuity is linked back by some grid.
    if !p.converse {
        return;
    }
    let linked_ids: BTreeSet<&str> = docs(ctx, rule)
        .iter()
        .flat_map(|(d, f)| scoped(rule, f).into_iter().filter_map(move |s| yesno(d, &s.id)))
        .flat_map(|y| y.refs.iter().map(String::as_str))
        .collect();
    let Some(tf) = ctx.family.form(target_form) else { return };
    let Some(ts) = tf.section(target_sec) else { return };
    for d in ctx.fascicolo.documents.iter().filter(|d| d.form == target_form) {
        if yesno(d, target_sec).and_then(|t| t.answer) == Some(YesNo::SI) && !linked_ids.contains(d.id.as_str()) {
            sink.push(Some(d), Some(ts), "", Some("converse"), &[("obiettivo", obiettivo(d))]);
        }
    }
}

// ------------------------------------------------------------------ numbering and titles

fn objective_numbering(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let p = get::<params::ObjectiveNumbering>(rule);
    let (area_sec, consecutive) = (p.area_section.as_str(), p.consecutive);
    let mut by_area: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (doc, _) in docs(ctx, rule) {
        let key = local_area(doc, area_sec);
        if !order.contains(&key) {
            order.push(key.clone());
        }
        by_area.entry(key).or_default().push(doc);
    }
    for key in order {
        let Some(list) = by_area.get(&key) else { continue };
        let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
        for d in list {
            match d.number {
                Some(n) => {
                    let c = seen.entry(n).or_default();
                    *c += 1;
                    if *c == 2 {
                        sink.push(Some(d), None, "number", None, &[("macro", key.clone()), ("n", n.to_string())]);
                    }
                }
                None if consecutive => {
                    sink.push(Some(d), None, "number", None, &[("macro", key.clone()), ("n", "—".into())])
                }
                None => {}
            }
        }
        if consecutive {
            let max = seen.keys().max().copied().unwrap_or(0);
            for n in 1..=max {
                if !seen.contains_key(&n) {
                    sink.push(
                        list.first().copied(),
                        None,
                        "number",
                        None,
                        &[("macro", key.clone()), ("n", n.to_string())],
                    );
                }
            }
        }
    }
}

fn unique_titles(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let Some(sec_id) = rule.sections.first().map(String::as_str) else { return };
    let mut count: BTreeMap<String, (String, Vec<&Document>)> = BTreeMap::new();
    for (doc, _) in docs(ctx, rule) {
        let t = doc.text(sec_id).trim().to_string();
        if t.is_empty() {
            continue;
        }
        count.entry(normalise_label(&t)).or_insert_with(|| (t.clone(), vec![])).1.push(doc);
    }
    for (_, (title, list)) in count.into_iter().filter(|(_, (_, l))| l.len() > 1) {
        sink.push(list.get(1).copied(), None, sec_id, None, &[("titolo", title), ("n", list.len().to_string())]);
    }
}

// ------------------------------------------------------------------ fund tables

fn year_of(sec: &Section, col: &str) -> String {
    sec.columns.iter().find(|c| c.id == col).map(|c| c.header.clone()).unwrap_or_else(|| col.to_string())
}

fn years_in(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let cs: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        if cs[i].is_ascii_digit() {
            let st = i;
            while i < cs.len() && cs[i].is_ascii_digit() {
                i += 1;
            }
            if i - st == 4 {
                let s: String = cs[st..i].iter().collect();
                if let Ok(y) = s.parse::<u32>() {
                    if (1990..=2100).contains(&y) {
                        out.push(y);
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

fn fund(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, form: &Form, sec: &Section) {
    let Some(FieldValue::FundTable(t)) = doc.field(&sec.id) else { return };
    let cols = compute::fund_columns(sec);
    let style = super::option_str(ctx.family, ctx.fascicolo, "money_style");
    let money = |m: Money| compute::money_style(m, if style.is_empty() { "suffix" } else { &style }, false);
    match rule.check.as_str() {
        "pdz_fund_negative" => {
            for (i, r) in t.rows.iter().enumerate() {
                for c in &cols {
                    if let Some(FundCell::Value(m)) = r.cells.get(*c) {
                        if m.cents() < 0 {
                            push(
                                sink,
                                doc,
                                sec,
                                &format!("righe/{i}"),
                                &[
                                    ("fondo", compute::fund_row_label(sec, r)),
                                    ("anno", year_of(sec, c)),
                                    ("voce", compute::fund_row_label(sec, r)),
                                ],
                            );
                        }
                    }
                }
            }
        }
        "pdz_fund_typed_totals" => fund_typed_totals(sink, doc, sec, t, &money),
        "pdz_fund_period" => fund_period(ctx, rule, sink, doc, sec, &cols),
        "pdz_fund_footnotes" => fund_footnotes(rule, sink, doc, sec, t),
        "pdz_fund_partial" => {
            let notes_sec = get::<params::FundNotes>(rule).notes;
            let notes: Vec<String> = match doc.field(&notes_sec) {
                Some(FieldValue::Items { items }) => items.clone(),
                _ => vec![],
            };
            let tot = compute::fund_totals(sec, t);
            for c in &cols {
                let n = tot.not_assigned.get(*c).copied().unwrap_or(0);
                if n == 0 {
                    continue;
                }
                let year = year_of(sec, c);
                let ys = years_in(&year);
                let explained = notes.iter().any(|note| ys.iter().any(|y| years_in(note).contains(y)));
                if !explained {
                    push(sink, doc, sec, &format!("colonne/{c}"), &[("anno", year), ("n", n.to_string())]);
                }
            }
        }
        "pdz_fund_empty_row" => {
            for (i, r) in t.rows.iter().enumerate() {
                if cols.iter().all(|c| matches!(r.cells.get(*c), None | Some(FundCell::NotAssigned))) {
                    push(sink, doc, sec, &format!("righe/{i}"), &[("fondo", compute::fund_row_label(sec, r))]);
                }
            }
        }
        _ => {}
    }
    let _ = form;
}

/// Totals typed in the table that differ from the sums of its cells.
fn fund_typed_totals(sink: &mut Sink, doc: &Document, sec: &Section, t: &FundTable, money: &dyn Fn(Money) -> String) {
    let tot = compute::fund_totals(sec, t);
    for (key, typed) in &t.typed_totals {
        let (group, col) = match key.split_once('/') {
            Some((g, c)) => (Some(g), c),
            None => (None, key.as_str()),
        };
        let computed = match group {
            Some(g) => tot.groups.get(g).and_then(|m| m.get(col)).copied().unwrap_or(Money::ZERO),
            None => tot.columns.get(col).copied().unwrap_or(Money::ZERO),
        };
        if computed != *typed {
            let gruppo = group
                .and_then(|g| sec.rows.iter().find(|r| r.id == g))
                .map(|r| r.label.clone())
                .unwrap_or_else(|| "TOTALE".into());
            push(
                sink,
                doc,
                sec,
                &format!("totali/{key}"),
                &[
                    ("anno", year_of(sec, col)),
                    ("gruppo", gruppo),
                    ("riportato", money(*typed)),
                    ("calcolato", money(computed)),
                    ("diff", money(Money((computed - *typed).cents().abs()))),
                ],
            );
        }
    }
}

/// The years of the table against the period written in the titles or the fascicolo's option.
fn fund_period(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section, cols: &[&str]) {
    let table_years: Vec<u32> = cols.iter().filter_map(|c| years_in(&year_of(sec, c)).first().copied()).collect();
    if table_years.is_empty() {
        return;
    }
    let p = get::<params::FundPeriod>(rule);
    let mut sources: Vec<String> = p.title_sections.iter().map(|s| doc.text(s).to_string()).collect();
    if let Some(o) = p.period_option.as_deref() {
        sources.push(super::option_str(ctx.family, ctx.fascicolo, o));
    }
    let anni = table_years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ");
    for text in sources {
        let ys = years_in(&text);
        if ys.len() < 2 {
            continue;
        }
        let (lo, hi) = (ys[0].min(ys[1]), ys[0].max(ys[1]));
        let period: Vec<u32> = (lo..=hi).collect();
        if period != table_years {
            let periodo = period_as_written(&text).unwrap_or_else(|| format!("{lo}-{hi}"));
            push(
                sink,
                doc,
                sec,
                "",
                &[("periodo", periodo), ("anni", anni.clone()), ("periodo_piano", format!("{lo}-{hi}"))],
            );
        }
    }
}

/// Footnote marks in row labels or the caption without their note.
fn fund_footnotes(rule: &RuleDef, sink: &mut Sink, doc: &Document, sec: &Section, t: &FundTable) {
    let p = get::<params::FundNotes>(rule);
    let notes_sec = p.notes.as_str();
    let notes: BTreeSet<String> = match doc.field(notes_sec) {
        Some(FieldValue::Items { items }) => items.iter().filter_map(|n| compute::note_marker(n)).collect(),
        _ => BTreeSet::new(),
    };
    let mut labels: Vec<(String, String)> =
        t.rows.iter().enumerate().map(|(i, r)| (format!("righe/{i}"), compute::fund_row_label(sec, r))).collect();
    if let Some(c) = p.caption.as_deref() {
        let cap = doc.text(c);
        if !cap.is_empty() {
            labels.push((String::new(), cap.to_string()));
        }
    }
    for (sub, label) in labels {
        if let Some(m) = compute::footnote_marker(&label) {
            if !notes.contains(&m) {
                push(sink, doc, sec, &sub, &[("fondo", label.clone()), ("voce", label), ("segno", m)]);
            }
        }
    }
}

/// "triennio 2021/2023" → "2021/2023" (the period as written in a title).
fn period_as_written(text: &str) -> Option<String> {
    let cs: Vec<char> = text.chars().collect();
    for i in 0..cs.len() {
        if i + 4 <= cs.len()
            && cs[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && (i == 0 || !cs[i - 1].is_ascii_digit())
        {
            let mut j = i + 4;
            while j < cs.len() && matches!(cs[j], '/' | '-' | '–' | ' ') {
                j += 1;
            }
            if j + 4 <= cs.len() && cs[j..j + 4].iter().all(|c| c.is_ascii_digit()) && j > i + 4 {
                return Some(cs[i..j + 4].iter().collect());
            }
        }
    }
    None
}

fn premiale_fund_row(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let p = get::<params::PremialeFundRow>(rule);
    let (reg_form, reg_sec, row_id) = (p.registry_form.as_str(), p.registry_section.as_str(), p.row.as_str());
    let registry: Vec<&Document> = ctx.fascicolo.documents.iter().filter(|d| d.form == reg_form).collect();
    if registry.is_empty() {
        return;
    }
    for (doc, form) in docs(ctx, rule) {
        for sec in scoped(rule, form) {
            let Some(FieldValue::FundTable(t)) = doc.field(&sec.id) else { continue };
            let Some(row) = t.rows.iter().find(|r| r.source == row_id) else { continue };
            for c in compute::fund_columns(sec) {
                let table = match row.cells.get(c) {
                    Some(FundCell::Value(m)) => *m,
                    _ => Money::ZERO,
                };
                let reg: Money = registry
                    .iter()
                    .filter_map(|d| match d.field(reg_sec) {
                        Some(FieldValue::FundTable(rt)) => Some(
                            rt.rows
                                .iter()
                                .map(|r| match r.cells.get(c) {
                                    Some(FundCell::Value(m)) => *m,
                                    _ => Money::ZERO,
                                })
                                .sum::<Money>(),
                        ),
                        _ => None,
                    })
                    .sum();
                if reg != table {
                    push(
                        sink,
                        doc,
                        sec,
                        &format!("colonne/{c}"),
                        &[("anno", year_of(sec, c)), ("tabella", euro_plain(table)), ("registro", euro_plain(reg))],
                    );
                }
            }
        }
    }
}

// ------------------------------------------------------------------ aree di policy

/// Folds from the fascicolo option: "F=K, X=Y" → [(F, K), (X, Y)].
fn folds(ctx: &Ctx, rule: &RuleDef) -> Vec<(String, String)> {
    let Some(opt) = get::<params::Areas>(rule).folds_option else { return vec![] };
    super::option_str(ctx.family, ctx.fascicolo, &opt)
        .split([',', ';'])
        .filter_map(|p| {
            let (a, b) = p.split_once('=')?;
            Some((a.trim().to_string(), b.trim().trim_start_matches("vedi").trim().to_string()))
        })
        .filter(|(a, _)| !a.is_empty())
        .collect()
}

/// Regional code → local macro areas (labels) that map it, over every scheda.
fn mapping(ctx: &Ctx, rule: &RuleDef) -> BTreeMap<String, Vec<String>> {
    let Some(area_sec) = rule.sections.first().map(String::as_str) else { return BTreeMap::new() };
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (doc, _) in docs(ctx, rule) {
        let (sel, _) = selected(doc, area_sec);
        let label = local_area(doc, area_sec);
        for code in sel.iter().filter(|s| !s.starts_with("custom:")) {
            let e = m.entry(code.clone()).or_default();
            if !e.contains(&label) {
                e.push(label.clone());
            }
        }
    }
    // The plan's declared local macro areas (option, "D, E) label" per line or ";").
    for (codes, label) in declared_areas(ctx, rule) {
        for code in codes {
            let e = m.entry(code).or_default();
            if !e.iter().any(|l| normalise_label(l) == normalise_label(&label)) {
                e.push(label.clone());
            }
        }
    }
    // System objectives count as the mapping of K.
    let p = get::<params::Areas>(rule);
    if let (Some(form), Some(area)) = (p.system_form, p.system_area) {
        if ctx.fascicolo.documents.iter().any(|d| d.form == form) {
            m.entry(area).or_default();
        }
    }
    m
}

/// Local macro areas declared in the fascicolo option named by `areas_option`: one per line (or
/// separated by ";"), written as in the mapping table: "D, E) Interventi a favore…", "L) Altro…".
fn declared_areas(ctx: &Ctx, rule: &RuleDef) -> Vec<(Vec<String>, String)> {
    let Some(opt) = get::<params::Areas>(rule).areas_option else { return vec![] };
    super::option_str(ctx.family, ctx.fascicolo, &opt)
        .split(['\n', ';'])
        .filter_map(|l| {
            let (codes, label) = l.split_once(')')?;
            let codes: Vec<String> =
                codes.split([',', '-']).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
            (!codes.is_empty() && codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_uppercase())))
                .then(|| (codes, label.trim().to_string()))
        })
        .collect()
}

/// PZ-A-05: a scheda's macro-area label differs from the one declared for its codes.
fn area_label_uniform(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let declared = declared_areas(ctx, rule);
    let Some(area_sec) = rule.sections.first().map(String::as_str) else { return };
    let open_area = get::<params::Areas>(rule).open_area;
    for (doc, form) in docs(ctx, rule) {
        let (sel, text) = selected(doc, area_sec);
        if text.trim().is_empty() {
            continue;
        }
        let codes: Vec<&String> = sel.iter().filter(|s| !s.starts_with("custom:")).collect();
        let Some((_, canonical)) =
            declared.iter().find(|(c, _)| c.len() == codes.len() && c.iter().all(|x| codes.contains(&x)))
        else {
            continue;
        };
        if normalise_label(canonical) != normalise_label(text)
            && codes.first().is_none_or(|c| open_area.as_ref() != Some(*c))
        {
            sink.push(
                Some(doc),
                form.section(area_sec),
                "",
                None,
                &[("trovata", text.trim().to_string()), ("canonica", canonical.clone())],
            );
        }
    }
}

fn area_coverage(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    if docs(ctx, rule).is_empty() {
        return;
    }
    let p = get::<params::Areas>(rule);
    let Some(voc) = p.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v)) else { return };
    let except = p.except;
    let map = mapping(ctx, rule);
    let folded: BTreeSet<String> = folds(ctx, rule).into_iter().map(|(a, _)| a).collect();
    for it in voc.items.iter().filter(|i| !except.contains(&i.id)) {
        if !map.contains_key(&it.id) && !folded.contains(&it.id) {
            sink.push(
                None,
                None,
                "aree",
                None,
                &[("codice", it.code.clone().unwrap_or_else(|| it.id.clone())), ("etichetta", it.label.clone())],
            );
        }
    }
}

fn area_fold(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let p = get::<params::Areas>(rule);
    let voc = p.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v));
    let fl = folds(ctx, rule);
    let map = mapping(ctx, rule);
    let target_of: BTreeMap<&str, &str> = fl.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    for (from, to) in &fl {
        let valid_code = voc.is_none_or(|v| v.item(to).is_some());
        let mapped = map.contains_key(to);
        // Circular: following the folds comes back to `from`.
        let mut cur = to.as_str();
        let mut circular = false;
        for _ in 0..=fl.len() {
            if cur == from {
                circular = true;
                break;
            }
            match target_of.get(cur) {
                Some(n) => cur = n,
                None => break,
            }
        }
        if !valid_code || !mapped || circular {
            sink.push(None, None, "aree", None, &[("codice", from.clone()), ("destinazione", to.clone())]);
        }
    }
}

fn area_unique(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let open_area = get::<params::Areas>(rule).open_area;
    for (code, locals) in mapping(ctx, rule) {
        if locals.len() > 1 && open_area.as_ref() != Some(&code) {
            sink.push(None, None, "aree", None, &[("codice", code), ("elenco", locals.join("; "))]);
        }
    }
}

fn system_objectives(ctx: &Ctx, rule: &RuleDef, sink: &mut Sink) {
    let list = docs(ctx, rule);
    let any = list.iter().any(|(d, f)| scoped(rule, f).iter().any(|s| !super::is_empty(d, s)));
    if !any {
        let path = rule.sections.first().map(String::as_str).unwrap_or_default();
        sink.push(list.first().map(|(d, _)| *d), None, path, None, &[]);
    }
}
