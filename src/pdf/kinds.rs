//! One small renderer per field kind. Each returns layout pieces (paragraphs, tables, space) and
//! knows nothing about pages, so the same renderer serves the "blocks" and the "two_column" form
//! layouts.

use super::fonts::Style;
use super::layout::{Align, Cell, Para, Span, Table};
use super::page::*;
use super::richtext;
use super::{emphasis, Ctx, Piece};
use crate::model::*;
use crate::money::Money;
use crate::rules::{money_column_header, staff_column_header};
use crate::template::{FieldKind as K, Section, Vocabulary};

pub fn render(ctx: &Ctx, doc: &Document, s: &Section) -> Vec<Piece> {
    let value = doc.field(&s.id).cloned().unwrap_or_else(|| FieldValue::empty_for(s.kind));
    let out = match (&s.kind, &value) {
        (K::Heading, _) => Vec::new(),
        (K::Text, FieldValue::Text { text }) => text_line(ctx, text),
        (K::RichText, FieldValue::Text { text }) => rich(ctx, text),
        (_, FieldValue::Date { date }) => {
            text_line(ctx, &date.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default())
        }
        (_, FieldValue::Month { month }) => text_line(ctx, &month.map(|m| m.display_it()).unwrap_or_default()),
        (_, FieldValue::Number { value }) => text_line(ctx, &value.map(|v| v.to_string()).unwrap_or_default()),
        (K::KeypointTable, FieldValue::Choice { selected, text }) => keypoint_table(ctx, s, selected, text),
        (_, FieldValue::Choice { selected, text }) => checklist(ctx, s, selected, text),
        (_, FieldValue::Enumeration { value, note }) => enumeration(ctx, s, value.as_deref(), note),
        (_, FieldValue::YesNo(v)) => yes_no(ctx, s, v),
        (_, FieldValue::Entities(e)) => entities(ctx, e),
        (_, FieldValue::Items { items }) => bullets(ctx, items),
        (_, FieldValue::SecondaryAreas(a)) => secondary_areas(ctx, s, a),
        (_, FieldValue::Deliverables(d)) => deliverables(ctx, doc, s, d),
        (_, FieldValue::Gantt(g)) => gantt(ctx, doc, s, g),
        (_, FieldValue::MoneyTable(t)) => money_table(ctx, doc, s, t),
        (_, FieldValue::StaffTable(t)) => staff_table(ctx, s, t),
        (_, FieldValue::Indicators { items }) => indicators(ctx, s, items),
        (_, FieldValue::ResourceLines(r)) => resource_lines(ctx, s, r),
        (_, FieldValue::StaffLines { items }) => staff_lines(ctx, items),
        (_, FieldValue::FundTable(f)) => fund_table(ctx, s, f),
        (_, FieldValue::EvaluationGrid(g)) => evaluation_grid(ctx, s, g),
        (_, FieldValue::Text { text }) => rich(ctx, text),
        (_, FieldValue::Empty {}) => Vec::new(),
    };
    if out.is_empty() && s.kind != K::Heading {
        return vec![Piece::Para(Para::text("—", Style::Regular, ctx.sz.body).color(GREY_TEXT).after(4.0))];
    }
    out
}

fn body(ctx: &Ctx, text: impl Into<String>, style: Style) -> Para {
    Para::text(text, style, ctx.sz.body)
}

fn text_line(ctx: &Ctx, text: &str) -> Vec<Piece> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    vec![Piece::Para(body(ctx, text, Style::Regular).after(4.0))]
}

fn rich(ctx: &Ctx, text: &str) -> Vec<Piece> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    richtext::pieces(ctx.fonts, text, &ctx.sz, ctx.width)
}

fn bullets(ctx: &Ctx, items: &[String]) -> Vec<Piece> {
    items
        .iter()
        .filter(|i| !i.trim().is_empty())
        .map(|i| Piece::Para(bullet(ctx, vec![Span::new(i.clone(), Style::Regular)], ctx.sz.body)))
        .collect()
}

fn bullet(_ctx: &Ctx, spans: Vec<Span>, size: f32) -> Para {
    Para::new(spans, size)
        .indent(size * 1.3 + 6.0)
        .marker(Span::new("•", Style::Regular), size * 1.3)
        .after(size * 0.25)
}

/// "☒ A. Label" line of a checklist.
fn check_line(ctx: &Ctx, ticked: bool, spans: Vec<Span>, size: f32) -> Para {
    Para::new(spans, size)
        .indent(size * 1.7)
        .marker(Span::new(ctx.checkbox(ticked), if ticked { Style::Bold } else { Style::Regular }), size * 1.7)
        .after(size * 0.15)
}

fn vocab_spans(v: &Vocabulary, id: &str, with_code: bool) -> Vec<Span> {
    let (label, italic) = match v.item(id) {
        Some(i) => (if with_code { v.display(id) } else { i.label.clone() }, i.italic.clone()),
        None => (id.strip_prefix("custom:").unwrap_or(id).to_string(), Vec::new()),
    };
    emphasis(&label, &italic, Style::Regular, Style::Italic)
}

fn checklist(ctx: &Ctx, s: &Section, selected: &[String], text: &str) -> Vec<Piece> {
    let size = ctx.sz.body;
    let mut out = Vec::new();
    // props.print = "selected": only the chosen entries, as a list (long vocabularies such as the
    // 2025-2027 punti chiave are printed as the plan wrote them, not as a full checklist).
    let only_selected = s.props.get("print").and_then(|v| v.as_str()) == Some("selected");
    if let (true, Some(v)) = (only_selected, s.vocabulary.as_deref().and_then(|id| ctx.family.vocabulary(id))) {
        let names: Vec<String> = selected
            .iter()
            .map(|id| {
                v.item(id)
                    .map(|i| i.label.clone())
                    .unwrap_or_else(|| id.strip_prefix("custom:").unwrap_or(id).to_string())
            })
            .collect();
        out.extend(bullets(ctx, &names));
        out.extend(rich(ctx, text));
        return out;
    }
    if let Some(v) = s.vocabulary.as_deref().and_then(|id| ctx.family.vocabulary(id)) {
        for item in &v.items {
            out.push(Piece::Para(check_line(ctx, selected.contains(&item.id), vocab_spans(v, &item.id, true), size)));
        }
        for id in selected.iter().filter(|id| v.item(id).is_none()) {
            out.push(Piece::Para(check_line(ctx, true, vocab_spans(v, id, true), size)));
        }
    } else if !s.choices.is_empty() {
        for c in &s.choices {
            out.push(Piece::Para(check_line(
                ctx,
                selected.contains(&c.id),
                vec![Span::new(c.label.clone(), Style::Regular)],
                size,
            )));
        }
    } else {
        for id in selected {
            out.push(Piece::Para(check_line(ctx, true, vec![Span::new(id.clone(), Style::Regular)], size)));
        }
    }
    if let Some(Piece::Para(p)) = out.last_mut() {
        p.after = size * 0.6;
    }
    out.extend(rich(ctx, text));
    out
}

fn column_headers(s: &Section, defaults: &[&str]) -> Vec<String> {
    if s.columns.len() >= defaults.len() {
        s.columns.iter().map(|c| c.header.clone()).collect()
    } else {
        defaults.iter().map(|d| d.to_string()).collect()
    }
}

fn header_cell(ctx: &Ctx, text: &str, size: f32) -> Cell {
    let _ = ctx;
    Cell::text(text, Style::Bold, size).fill(HEADER_FILL)
}

/// The whole key-point table: one row per group, every item with its box, header repeated.
fn keypoint_table(ctx: &Ctx, s: &Section, selected: &[String], text: &str) -> Vec<Piece> {
    let size = ctx.sz.table + 0.4;
    let Some(v) = s.vocabulary.as_deref().and_then(|id| ctx.family.vocabulary(id)) else {
        return checklist(ctx, s, selected, text);
    };
    let groups = v.grouped_by.as_deref().and_then(|g| ctx.family.vocabulary(g));
    let heads = column_headers(s, &["Macroarea di policy", "Punti chiave"]);
    let w = ctx.width;
    let mut t = Table::new(vec![w * 0.34, w * 0.66]);
    t.pad_y = 3.0;
    t.header.push(heads.iter().take(2).map(|h| header_cell(ctx, h, size)).collect());
    let group_ids: Vec<(String, Vec<Span>)> = match groups {
        Some(g) => g.items.iter().map(|i| (i.id.clone(), vocab_spans(g, &i.id, true))).collect(),
        None => {
            let mut ids: Vec<String> = Vec::new();
            for i in &v.items {
                let g = i.group.clone().unwrap_or_default();
                if !ids.contains(&g) {
                    ids.push(g);
                }
            }
            ids.into_iter().map(|g| (g.clone(), vec![Span::new(g, Style::Regular)])).collect()
        }
    };
    for (gid, gspans) in group_ids {
        let items: Vec<Para> = v
            .items
            .iter()
            .filter(|i| i.group.as_deref() == Some(gid.as_str()))
            .map(|i| check_line(ctx, selected.contains(&i.id), vocab_spans(v, &i.id, false), size))
            .collect();
        t.rows.push(vec![Cell::new(vec![Para::new(gspans, size)]), Cell::new(items)]);
    }
    let custom: Vec<Para> = selected
        .iter()
        .filter(|id| v.item(id).is_none())
        .map(|id| check_line(ctx, true, vocab_spans(v, id, false), size))
        .collect();
    if !custom.is_empty() {
        t.rows.push(vec![Cell::text("Altri punti chiave", Style::Regular, size), Cell::new(custom)]);
    }
    let mut out = vec![Piece::Table(t), Piece::Space(6.0)];
    out.extend(rich(ctx, text));
    out
}

fn enumeration(ctx: &Ctx, s: &Section, value: Option<&str>, note: &str) -> Vec<Piece> {
    let size = ctx.sz.body;
    let mut out = Vec::new();
    // props.print = "selected": the chosen answer as the form writes it, not every box.
    let only_selected = s.props.get("print").and_then(|v| v.as_str()) == Some("selected");
    if only_selected {
        if let Some(v) = value {
            let label = s.choices.iter().find(|c| c.id == v).map(|c| c.label.as_str()).unwrap_or(v);
            out.push(Piece::Para(body(ctx, label, Style::Regular).after(4.0)));
        }
        out.extend(rich(ctx, note));
        return out;
    }
    if s.choices.is_empty() {
        if let Some(v) = value {
            out.push(Piece::Para(body(ctx, v, Style::Bold).after(4.0)));
        }
    } else {
        for c in &s.choices {
            out.push(Piece::Para(check_line(
                ctx,
                value == Some(c.id.as_str()),
                vec![Span::new(c.label.clone(), Style::Regular)],
                size,
            )));
        }
        if let Some(v) = value.filter(|v| !s.choices.iter().any(|c| c.id == *v)) {
            out.push(Piece::Para(check_line(ctx, true, vec![Span::new(v.to_string(), Style::Regular)], size)));
        }
        out.push(Piece::Space(4.0));
    }
    out.extend(rich(ctx, note));
    out
}

fn yes_no(ctx: &Ctx, s: &Section, v: &YesNoValue) -> Vec<Piece> {
    let mut out = Vec::new();
    let ans = match v.answer {
        Some(YesNo::SI) => "SI",
        Some(YesNo::NO) => "NO",
        None => "",
    };
    if !ans.is_empty() {
        out.push(Piece::Para(body(ctx, ans, Style::Bold).after(4.0)));
    }
    out.extend(rich(ctx, &v.text));
    if !v.refs.is_empty() {
        let labels: Vec<String> = v
            .refs
            .iter()
            .map(|r| {
                s.choices
                    .iter()
                    .find(|c| c.id == *r)
                    .map(|c| c.label.clone())
                    .or_else(|| {
                        s.vocabulary.as_deref().and_then(|id| ctx.family.vocabulary(id)).map(|voc| voc.display(r))
                    })
                    .or_else(|| {
                        // A link to another document of the fascicolo: its label, never its id.
                        ctx.fasc.documents.iter().find(|d| d.id == *r).map(|d| {
                            let label = crate::rules::document_label(ctx.family, d);
                            let title = d.title();
                            if title.trim().is_empty() || label.contains(title) {
                                label
                            } else {
                                format!("{label} – {title}")
                            }
                        })
                    })
                    .unwrap_or_else(|| r.clone())
            })
            .collect();
        out.extend(bullets(ctx, &labels));
    }
    out
}

fn entities(ctx: &Ctx, e: &EntityList) -> Vec<Piece> {
    let size = ctx.sz.body;
    let mut out = Vec::new();
    if !e.deroga.trim().is_empty() {
        out.extend(rich(ctx, &e.deroga));
    }
    for it in &e.items {
        let mut spans = vec![Span::new(it.name.clone(), Style::Regular)];
        if !it.entity_type.is_empty() {
            spans.push(Span::new(format!(" ({})", it.entity_type), Style::Regular));
        }
        if !it.role.is_empty() {
            spans.push(Span::new(format!(": {}", it.role), Style::Regular));
        }
        out.push(Piece::Para(bullet(ctx, spans, size)));
    }
    if !e.items.is_empty() {
        out.push(Piece::Space(size * 0.4));
    }
    out.extend(rich(ctx, &e.note));
    out
}

fn secondary_areas(ctx: &Ctx, s: &Section, a: &SecondaryAreas) -> Vec<Piece> {
    let size = ctx.sz.table + 0.4;
    let mut out = Vec::new();
    if !a.items.is_empty() {
        let areas = s.vocabulary.as_deref().and_then(|id| ctx.family.vocabulary(id));
        let points = areas
            .and_then(|av| ctx.family.vocabularies.iter().find(|v| v.grouped_by.as_deref() == Some(av.id.as_str())));
        let heads = column_headers(s, &["Macroarea di policy", "Punti chiave"]);
        let w = ctx.width;
        let mut t = Table::new(vec![w * 0.34, w * 0.66]);
        t.header.push(heads.iter().take(2).map(|h| header_cell(ctx, h, size)).collect());
        for it in &a.items {
            let first = match areas {
                Some(av) if av.item(&it.area).is_some() => vocab_spans(av, &it.area, true),
                _ => vec![Span::new(it.area.clone(), Style::Regular)],
            };
            let mut cell: Vec<Para> = it
                .key_points
                .iter()
                .map(|k| match points {
                    Some(pv) => check_line(ctx, true, vocab_spans(pv, k, false), size),
                    None => check_line(ctx, true, vec![Span::new(k.clone(), Style::Regular)], size),
                })
                .collect();
            if !it.explanation.trim().is_empty() {
                for p in richtext::parse(&it.explanation) {
                    let text = match p {
                        richtext::Block::Para(t) | richtext::Block::Bullet(t) | richtext::Block::Heading(_, t) => t,
                        richtext::Block::Numbered(m, t) => format!("{m} {t}"),
                        richtext::Block::Table { header, rows } => {
                            header.into_iter().chain(rows).map(|r| r.join(" | ")).collect::<Vec<_>>().join("\n")
                        }
                    };
                    cell.push(Para::text(text, Style::Regular, size).before(2.0).align(Align::Justify));
                }
            }
            t.rows.push(vec![Cell::new(vec![Para::new(first, size)]), Cell::new(cell)]);
        }
        out.push(Piece::Table(t));
        out.push(Piece::Space(6.0));
    }
    out.extend(rich(ctx, &a.text));
    out
}

fn activity_label(doc: &Document, id: &str, budget: bool) -> String {
    match doc.activity(id) {
        Some(a) if budget => a.budget_label.clone().filter(|l| !l.trim().is_empty()).unwrap_or_else(|| a.label.clone()),
        Some(a) => a.label.clone(),
        None => id.to_string(),
    }
}

fn list_cell(items: &[String], size: f32) -> Cell {
    let many = items.iter().filter(|i| !i.trim().is_empty()).count() > 1;
    Cell::new(
        items
            .iter()
            .filter(|i| !i.trim().is_empty())
            .map(|i| {
                let p = Para::text(i.clone(), Style::Regular, size).after(2.0);
                if many {
                    p.indent(8.0).marker(Span::new("•", Style::Regular), 8.0)
                } else {
                    p
                }
            })
            .collect(),
    )
}

fn deliverables(ctx: &Ctx, doc: &Document, s: &Section, d: &Deliverables) -> Vec<Piece> {
    let size = ctx.sz.table + 0.4;
    let mut out = rich(ctx, &d.text);
    if !d.rows.is_empty() {
        let heads = column_headers(s, &["FASI", "RISULTATI ATTESI", "INDICATORI DI RISULTATO"]);
        let w = ctx.width;
        let mut t = Table::new(vec![w * 0.26, w * 0.37, w * 0.37]);
        // A row broken across pages keeps its phase on the continuation.
        t.repeat_first_col = true;
        t.header.push(heads.iter().take(3).map(|h| header_cell(ctx, h, size)).collect());
        for r in &d.rows {
            let phase = if !r.activity.is_empty() { activity_label(doc, &r.activity, false) } else { r.phase.clone() };
            let phase = if !r.activity.is_empty() && !r.phase.is_empty() && r.phase != phase {
                format!("{phase}\n{}", r.phase)
            } else {
                phase
            };
            t.rows.push(vec![
                Cell::text(phase, Style::Bold, size),
                list_cell(&r.results, size),
                list_cell(&r.indicators, size),
            ]);
        }
        out.push(Piece::Table(t));
        out.push(Piece::Space(6.0));
    }
    out
}

// ------------------------------------------------------------------------------------ Gantt

const INITIALS: [&str; 12] = ["G", "F", "M", "A", "M", "G", "L", "A", "S", "O", "N", "D"];

/// One Gantt column: the months it covers and its labels.
struct GCol {
    from: YearMonth,
    to: YearMonth,
    label: String,
}

fn gantt(ctx: &Ctx, doc: &Document, s: &Section, g: &Gantt) -> Vec<Piece> {
    let acts = &doc.activities;
    let prop = |k: &str| s.props.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let periods: Vec<&Period> = acts.iter().flat_map(|a| a.periods.iter()).collect();
    let start = g
        .start
        .or_else(|| prop("default_start").and_then(|p| YearMonth::parse(&p)))
        .or_else(|| periods.iter().map(|p| p.from).min())
        .unwrap_or(YearMonth { year: 2022, month: 1 });
    let deadline = ctx.family.deadline;
    let last_period = periods.iter().map(|p| p.to).max();
    let end = match (deadline, last_period) {
        (Some(d), Some(l)) => d.max(l),
        (Some(d), None) => d,
        (None, Some(l)) => l,
        (None, None) => start.plus_months(11),
    }
    .max(start);
    let first_period = periods.iter().map(|p| p.from).min().unwrap_or(start).min(start);
    // A window too long for monthly columns (absurd or mistyped dates) is drawn by quarter.
    let mode = if g.mode != GanttMode::Trimestrale && first_period.span_to(end) > 60 {
        GanttMode::Trimestrale
    } else {
        g.mode
    };
    let g = &Gantt { mode, ..g.clone() };
    let cols: Vec<GCol> = match g.mode {
        GanttMode::Mensile => {
            let y0 = first_period.year;
            let y1 = end.year;
            (y0..=y1)
                .flat_map(|y| (1..=12).map(move |m| YearMonth { year: y, month: m }))
                .map(|m| GCol { from: m, to: m, label: INITIALS[(m.month - 1) as usize].into() })
                .collect()
        }
        GanttMode::MesiRelativi => {
            let n = start.span_to(end).max(1) as i32;
            (0..n)
                .map(|i| GCol { from: start.plus_months(i), to: start.plus_months(i), label: format!("{}", i + 1) })
                .collect()
        }
        GanttMode::Trimestrale => {
            let q0 = YearMonth { year: first_period.year, month: (first_period.month - 1) / 3 * 3 + 1 };
            let mut out = Vec::new();
            let mut q = q0;
            while q <= end {
                let qe = q.plus_months(2);
                out.push(GCol { from: q, to: qe, label: format!("{}-{}", q.short_it(), qe.short_it()) });
                q = q.plus_months(3);
            }
            out
        }
    };
    let ncols = cols.len().max(1);
    let size = ctx.sz.table;
    let w = ctx.width;
    let num_w = 34.0;
    let min_label = 150.0;
    let cap = match g.mode {
        GanttMode::Trimestrale => 44.0,
        GanttMode::Mensile => 12.5,
        GanttMode::MesiRelativi => 14.0,
    };
    let cw = ((w - num_w - min_label) / ncols as f32).min(cap);
    let label_w = w - num_w - cw * ncols as f32;
    let mut widths = vec![num_w, label_w];
    widths.extend(std::iter::repeat_n(cw, ncols));
    let mut t = Table::new(widths);
    t.pad_x = 1.6;
    t.pad_y = 2.2;
    let head_size = if g.mode == GanttMode::Trimestrale { ctx.sz.small - 1.2 } else { ctx.sz.small - 0.6 };
    let first_header = if !g.first_column_header.is_empty() {
        g.first_column_header.clone()
    } else {
        match g.mode {
            GanttMode::Mensile => prop("header_mensile").unwrap_or_else(|| "Descrizione azione".into()),
            GanttMode::MesiRelativi => prop("header_mesi_relativi").unwrap_or_else(|| "azioni progettuali".into()),
            GanttMode::Trimestrale => prop("header_trimestrale").unwrap_or_else(|| "Descrizione attività".into()),
        }
    };
    let number_header = prop("number_header").unwrap_or_else(|| "n.".into());
    let deadline_col = deadline.and_then(|d| cols.iter().position(|c| c.from <= d && d <= c.to));
    let in_window = |c: &GCol| c.to >= start && deadline.is_none_or(|d| c.from <= d);
    let hcell = |text: &str, sz: f32| Cell::text(text, Style::Bold, sz).fill(HEADER_FILL).align(Align::Center);
    let with_rule = |mut c: Cell, i: usize| {
        if Some(i) == deadline_col {
            c.right_rule = Some(DEADLINE);
        }
        c
    };
    // Header row 1: years spanning their columns (or the quarter labels).
    let mut h1 = vec![
        hcell(&number_header, head_size),
        Cell::text(first_header, Style::Bold, head_size + 0.6).fill(HEADER_FILL),
    ];
    match g.mode {
        GanttMode::Trimestrale => {
            for (i, c) in cols.iter().enumerate() {
                h1.push(with_rule(hcell(&c.label, head_size), i));
            }
        }
        _ => {
            let mut i = 0;
            while i < cols.len() {
                let y = cols[i].from.year;
                let n = cols[i..].iter().take_while(|c| c.from.year == y).count();
                let label = if g.mode == GanttMode::Mensile && n * (cw as usize) >= 70 {
                    format!("mesi dell’anno {y}")
                } else {
                    y.to_string()
                };
                let mut c = hcell(&label, head_size).span(n);
                if deadline_col.is_some_and(|d| d >= i && d < i + n && d == i + n - 1) {
                    c.right_rule = Some(DEADLINE);
                }
                h1.push(c);
                i += n;
            }
        }
    }
    t.header.push(h1);
    let second_row = match g.mode {
        GanttMode::Mensile => g.month_initials,
        GanttMode::MesiRelativi => true,
        GanttMode::Trimestrale => false,
    };
    if second_row {
        let mut h2 = vec![Cell::empty().fill(HEADER_FILL), Cell::empty().fill(HEADER_FILL)];
        for (i, c) in cols.iter().enumerate() {
            h2.push(with_rule(hcell(&c.label, head_size), i));
        }
        t.header.push(h2);
    }
    // Rows: activities and groups in list order, numbered 1, 2, 2.1 …
    let mut top = 0;
    let mut sub = 0;
    for a in acts {
        let num = if a.parent.is_some() {
            sub += 1;
            format!("{top}.{sub}")
        } else {
            top += 1;
            sub = 0;
            format!("{top}")
        };
        let is_group = a.kind == ActivityKind::Group;
        let mut label = Para::text(a.label.clone(), if is_group { Style::Bold } else { Style::Regular }, size);
        if a.parent.is_some() {
            label = label.indent(8.0);
        }
        let mut row = vec![Cell::text(num, Style::Regular, size).align(Align::Center), Cell::new(vec![label])];
        for (i, c) in cols.iter().enumerate() {
            let active = a.periods.iter().any(|p| p.from <= c.to && p.to >= c.from);
            let milestone = a.milestones.iter().any(|m| m.month >= c.from && m.month <= c.to);
            let mut cell = Cell::empty();
            if active {
                cell.fill = Some(BAR_FILL);
                cell.alt = Some("X".into());
                if g.marker_x {
                    cell = Cell::text("X", Style::Bold, head_size).align(Align::Center).fill(BAR_FILL);
                }
            } else if !in_window(c) {
                cell.fill = Some(OUTSIDE_FILL);
                cell.hatch = true;
            }
            if milestone {
                let mut m = Cell::new(vec![Para::text("◆", Style::Bold, head_size)
                    .align(Align::Center)
                    .color(if active { Rgb(1.0, 1.0, 1.0) } else { BLACK })]);
                m.fill = cell.fill;
                m.hatch = cell.hatch;
                m.alt = Some(if active { "X, scadenza".into() } else { "scadenza".into() });
                cell = m;
            }
            row.push(with_rule(cell, i));
        }
        t.rows.push(row);
    }
    let any_outside = t.rows.iter().flatten().any(|c| c.hatch);
    let mut out = vec![Piece::Table(t)];
    // Legend.
    let ls = ctx.sz.small;
    let mut legend = Table::new(vec![14.0, 120.0, 14.0, 150.0, 14.0, w - 312.0]);
    legend.border = Rgb(1.0, 1.0, 1.0);
    legend.pad_y = 1.5;
    let mut deadline_swatch = Cell::empty();
    deadline_swatch.right_rule = Some(DEADLINE);
    let mut hatch = Cell::empty().fill(OUTSIDE_FILL);
    hatch.hatch = true;
    let deadline_text = match &ctx.family.deadline_label {
        Some(l) => format!("termine del programma ({l})"),
        None => "termine del programma".into(),
    };
    let mut items = vec![Cell::empty().fill(BAR_FILL), Cell::text("periodo di svolgimento", Style::Regular, ls)];
    if any_outside {
        items.push(hatch);
        items.push(Cell::text("fuori dal periodo del programma", Style::Regular, ls));
    }
    items.push(deadline_swatch);
    items.push(Cell::text(deadline_text, Style::Regular, ls));
    legend.widths =
        if any_outside { vec![14.0, 120.0, 14.0, 150.0, 14.0, w - 312.0] } else { vec![14.0, 120.0, 14.0, w - 148.0] };
    legend.rows.push(items);
    if deadline.is_some() {
        out.push(Piece::Space(3.0));
        out.push(Piece::Table(legend));
    }
    let window = format!(
        "Periodo: {} – {}{}",
        start.display_it(),
        deadline.unwrap_or(end).display_it(),
        if acts.iter().any(|a| !a.milestones.is_empty()) { "; ◆ scadenza" } else { "" }
    );
    out.push(Piece::Para(Para::text(window, Style::Italic, ls).color(GREY_TEXT).before(2.0).after(6.0)));
    if acts.is_empty() {
        return vec![Piece::Para(
            Para::text("Nessuna attività definita.", Style::Italic, ctx.sz.body).color(GREY_TEXT).after(4.0),
        )];
    }
    out
}

// ---------------------------------------------------------------------------- money & staff

fn money_text(ctx: &Ctx, m: Money, total: bool) -> String {
    if total && m.is_zero() && ctx.opt_str("zero_style") == "dash" {
        "€\u{a0}-".into()
    } else {
        m.format_it()
    }
}

/// An amount in the plan's house style when the template has the option `money_style`
/// ("suffix": "1.282.992,82 €", zero "-   €"; "prefix": "€ 1.282.992,82", zero "€ -"); otherwise
/// the default "€ 1.282.992,82".
fn plan_money(ctx: &Ctx, m: Money, zero_dash: bool) -> String {
    match ctx.opt_str("money_style").as_str() {
        "" => {
            if zero_dash && m.is_zero() {
                "€\u{a0}-".into()
            } else {
                m.format_it()
            }
        }
        style => crate::model::compute::money_style(m, style, zero_dash).replace(' ', "\u{a0}"),
    }
}

/// Header rows of value tables are a little smaller than the values: long source names
/// ("finanziamento") must not squeeze the amounts.
fn head_size(size: f32) -> f32 {
    (size * 0.88).max(5.6)
}

/// Minimum width of a value column: its widest value and its longest header word.
fn value_min(ctx: &Ctx, head: &str, vals: &[String], size: f32) -> f32 {
    let f = ctx.fonts;
    let vw = vals.iter().map(|v| f.width(Style::Bold, size, v)).fold(0.0, f32::max) + 8.0;
    let hw = head.split_whitespace().map(|w| f.width(Style::Bold, head_size(size), w)).fold(0.0, f32::max) + 8.0;
    vw.max(hw).max(28.0)
}

/// Minimum width of the text column: `first_min`, and never less than its longest word.
fn first_min_width(ctx: &Ctx, first_min: f32, labels: &[String], size: f32) -> f32 {
    let lw = labels
        .iter()
        .flat_map(|l| l.split_whitespace())
        .map(|w| ctx.fonts.width(Style::Bold, size, w))
        .fold(0.0, f32::max)
        + 8.0;
    first_min.max(lw.min(ctx.width * 0.4))
}

/// Widths for a table whose first column is text and the others hold short values: value columns
/// get what they need (plus a little air, up to 86 pt), the text column the rest.
fn value_table_widths(
    ctx: &Ctx,
    first_min: f32,
    labels: &[String],
    cols: &[(String, Vec<String>)],
    size: f32,
) -> Vec<f32> {
    let first = first_min_width(ctx, first_min, labels, size);
    let mins: Vec<f32> = cols.iter().map(|(h, v)| value_min(ctx, h, v, size)).collect();
    let spare = ctx.width - first - mins.iter().sum::<f32>();
    if spare <= 0.0 {
        let mut all = vec![first];
        all.extend(mins);
        let total: f32 = all.iter().sum();
        return all.iter().map(|w| w * ctx.width / total).collect();
    }
    let n = cols.len().max(1) as f32;
    let per = (spare * 0.45 / n).min(86.0);
    let mut out: Vec<f32> = mins.iter().map(|m| (m + per).min(m.max(86.0))).collect();
    let used: f32 = out.iter().sum();
    out.insert(0, ctx.width - used);
    out
}

/// Picks the largest table font size at which the value columns fit at their minimum width.
fn fitting_size(ctx: &Ctx, first_min: f32, labels: &[String], cols: &[(String, Vec<String>)]) -> f32 {
    let mut size = ctx.sz.table;
    while size > 5.6 {
        let need: f32 = cols.iter().map(|(h, v)| value_min(ctx, h, v, size)).sum::<f32>()
            + first_min_width(ctx, first_min, labels, size);
        if need <= ctx.width {
            break;
        }
        size -= 0.3;
    }
    size
}

fn money_table(ctx: &Ctx, doc: &Document, s: &Section, t: &MoneyTable) -> Vec<Piece> {
    let fixed: Vec<&crate::template::ColumnDef> = s.columns.iter().collect();
    let activity_head = fixed
        .iter()
        .find(|c| c.id == "activity")
        .map(|c| c.header.clone())
        .unwrap_or_else(|| "Intervento/ attività".into());
    let cost_head =
        fixed.iter().find(|c| c.id == "cost").map(|c| c.header.clone()).unwrap_or_else(|| "Costo totale".into());
    let short = ctx.opt_str("other_header_style") == "short";
    let ids = t.column_ids(&s.columns);
    let header_of = |id: &str| -> String {
        match (t.extra_columns.iter().find(|c| c.id == id), &s.repeatable_column) {
            (Some(x), Some(rc)) if short && !x.source.is_empty() => {
                rc.short_header.clone().unwrap_or_else(|| "{fonte}".into()).replace("{fonte}", &x.source)
            }
            _ => money_column_header(s, t, id),
        }
    };
    let show_totals = ctx.opt_bool_or("show_totals_row", true);
    let control = t.show_control_column;
    let control_head = s.props.get("control_header").and_then(|v| v.as_str()).unwrap_or("Totale entrate").to_string();
    let totals_label = s.props.get("totals_label").and_then(|v| v.as_str()).unwrap_or("Totale").to_string();
    // Column texts (for widths).
    let mut cols: Vec<(String, Vec<String>)> = Vec::new();
    let cost_vals: Vec<String> = t
        .rows
        .iter()
        .map(|r| r.cost.map(|m| m.format_it()).unwrap_or_default())
        .chain([money_text(ctx, t.total_cost(), true)])
        .collect();
    cols.push((cost_head.clone(), cost_vals));
    for id in &ids {
        let vals = t
            .rows
            .iter()
            .map(|r| r.amounts.get(*id).map(|m| m.format_it()).unwrap_or_default())
            .chain([money_text(ctx, t.total_of(id), true)])
            .collect();
        cols.push((header_of(id), vals));
    }
    if control {
        let total: Money = t.rows.iter().map(|r| r.income()).sum();
        cols.push((
            control_head.clone(),
            t.rows.iter().map(|r| r.income().format_it()).chain([total.format_it()]).collect(),
        ));
    }
    let first_min = 96.0;
    let labels: Vec<String> = t.rows.iter().map(|r| activity_label(doc, &r.activity, true)).collect();
    let size = fitting_size(ctx, first_min, &labels, &cols);
    let widths = value_table_widths(ctx, first_min, &labels, &cols, size);
    let mut table = Table::new(widths);
    let mut head = vec![header_cell(ctx, &activity_head, head_size(size))];
    head.extend(cols.iter().map(|(h, _)| header_cell(ctx, h, head_size(size))));
    table.header.push(head);
    let amount = |text: String, note: Option<&String>, style: Style| {
        let mut paras = vec![Para::text(text, style, size).align(Align::Right)];
        if let Some(n) = note.filter(|n| !n.trim().is_empty()) {
            paras.push(Para::text(n.clone(), Style::Italic, size - 1.0).align(Align::Right).color(GREY_TEXT));
        }
        Cell::new(paras)
    };
    for r in &t.rows {
        let mut row = vec![Cell::text(activity_label(doc, &r.activity, true), Style::Regular, size)];
        row.push(amount(r.cost.map(|m| m.format_it()).unwrap_or_default(), r.notes.get("cost"), Style::Regular));
        for id in &ids {
            row.push(amount(
                r.amounts.get(*id).map(|m| m.format_it()).unwrap_or_default(),
                r.notes.get(*id),
                Style::Regular,
            ));
        }
        if control {
            row.push(amount(r.income().format_it(), None, Style::Italic));
        }
        table.rows.push(row);
    }
    if show_totals {
        let mut row = vec![Cell::text(totals_label, Style::Bold, size).fill(HEADER_FILL)];
        row.push(amount(money_text(ctx, t.total_cost(), true), None, Style::Bold).fill(HEADER_FILL));
        for id in &ids {
            row.push(amount(money_text(ctx, t.total_of(id), true), None, Style::Bold).fill(HEADER_FILL));
        }
        if control {
            let total: Money = t.rows.iter().map(|r| r.income()).sum();
            row.push(amount(money_text(ctx, total, true), None, Style::Bold).fill(HEADER_FILL));
        }
        table.strong_rows.push(table.rows.len());
        table.rows.push(row);
    }
    let mut out = vec![Piece::Table(table)];
    if let Some(note) = &s.footnote {
        if ctx.opt_bool_or("show_asst_footnote", true) {
            out.push(Piece::Para(Para::text(note.clone(), Style::Italic, ctx.sz.small).before(3.0).color(GREY_TEXT)));
        }
    }
    out.push(Piece::Space(6.0));
    out
}

fn staff_table(ctx: &Ctx, s: &Section, t: &StaffTable) -> Vec<Piece> {
    let role_head = s
        .columns
        .iter()
        .find(|c| c.id == "role")
        .map(|c| c.header.clone())
        .unwrap_or_else(|| "Tipologia professionale".into());
    let ids: Vec<String> = s
        .columns
        .iter()
        .filter(|c| c.id != "role")
        .map(|c| c.id.clone())
        .chain(t.extra_columns.iter().map(|c| c.id.clone()))
        .collect();
    let cols: Vec<(String, Vec<String>)> = ids
        .iter()
        .map(|id| {
            let vals = t
                .rows
                .iter()
                .map(|r| {
                    r.cells
                        .get(id)
                        .map(|v| if matches!(v, StaffValue::Testo(_)) { String::new() } else { v.display() })
                        .unwrap_or_default()
                })
                .collect();
            (staff_column_header(s, t, id), vals)
        })
        .collect();
    let first_min = 96.0;
    let labels: Vec<String> = t.rows.iter().map(|r| r.role.clone()).collect();
    let size = fitting_size(ctx, first_min, &labels, &cols);
    let mut widths = value_table_widths(ctx, first_min, &labels, &cols, size);
    // Columns holding free text deserve room.
    let texty: Vec<bool> = ids
        .iter()
        .map(|id| t.rows.iter().any(|r| matches!(r.cells.get(id), Some(StaffValue::Testo(x)) if x.len() > 12)))
        .collect();
    if texty.iter().any(|x| *x) {
        let give = widths[0] * 0.3;
        widths[0] -= give;
        let n = texty.iter().filter(|x| **x).count() as f32;
        for (i, tx) in texty.iter().enumerate() {
            if *tx {
                widths[i + 1] += give / n;
            }
        }
    }
    let mut table = Table::new(widths);
    let mut head = vec![header_cell(ctx, &role_head, head_size(size))];
    head.extend(cols.iter().map(|(h, _)| header_cell(ctx, h, head_size(size))));
    table.header.push(head);
    for r in &t.rows {
        let mut row = vec![Cell::text(r.role.clone(), Style::Regular, size)];
        for id in &ids {
            let cell = match r.cells.get(id) {
                None => Cell::empty(),
                Some(v @ StaffValue::Euro(_)) => Cell::text(v.display(), Style::Regular, size).align(Align::Right),
                Some(v @ StaffValue::Persone(_)) => Cell::text(v.display(), Style::Regular, size).align(Align::Center),
                Some(v @ StaffValue::Ore { .. }) => Cell::text(v.display(), Style::Regular, size).align(Align::Center),
                Some(StaffValue::Testo(x)) => Cell::text(x.clone(), Style::Regular, size),
            };
            row.push(cell);
        }
        table.rows.push(row);
    }
    if ctx.opt_bool_or("show_staff_totals", false) {
        let mut row = vec![Cell::text("Totale", Style::Bold, size).fill(HEADER_FILL)];
        for id in &ids {
            let persone: u32 = t
                .rows
                .iter()
                .filter_map(|r| match r.cells.get(id) {
                    Some(StaffValue::Persone(n)) => Some(*n),
                    _ => None,
                })
                .sum();
            let euro: Money = t
                .rows
                .iter()
                .filter_map(|r| match r.cells.get(id) {
                    Some(StaffValue::Euro(m)) => Some(*m),
                    _ => None,
                })
                .sum();
            let mut parts = Vec::new();
            if persone > 0 {
                parts.push(format!("{persone} persone"));
            }
            if !euro.is_zero() {
                parts.push(euro.format_it());
            }
            row.push(Cell::text(parts.join("\n"), Style::Bold, size).align(Align::Center).fill(HEADER_FILL));
        }
        table.strong_rows.push(table.rows.len());
        table.rows.push(row);
    }
    vec![Piece::Table(table), Piece::Space(6.0)]
}

// ------------------------------------------------------------------- 2025-2027 kinds (generic)

pub(super) fn level_label(l: IndicatorLevel) -> &'static str {
    match l {
        IndicatorLevel::Input => "input",
        IndicatorLevel::Processo => "processo",
        IndicatorLevel::Risultato => "risultato",
        IndicatorLevel::Impatto => "impatto",
    }
}

/// An indicator's value as the form writes it: "60%", "1 documento", "almeno 3", "7/10"; the
/// unit's words come from the vocabulary named by the section's props.units.
pub(super) fn indicator_value(ctx: &Ctx, units: Option<&str>, i: &Indicator) -> String {
    let value = i.value.trim();
    let qualifier = if i.qualifier == "none" { "" } else { i.qualifier.as_str() };
    let voc = units.and_then(|u| ctx.family.vocabulary(u));
    let suffix = if let Some(range) = i.unit.strip_prefix("scale:") {
        // "scale:0-10": "7/10".
        range.rsplit('-').next().filter(|m| !m.is_empty()).map(|m| format!("/{m}")).unwrap_or_default()
    } else {
        match voc.and_then(|v| v.item(&i.unit)) {
            Some(item) => {
                let one = value.parse::<f64>().is_ok_and(|v| (v - 1.0).abs() < f64::EPSILON);
                let word = if one { &item.label } else { item.plural.as_ref().unwrap_or(&item.label) };
                match word.chars().next() {
                    Some(c) if c.is_alphanumeric() => format!(" {word}"),
                    _ => word.clone(),
                }
            }
            // Without a vocabulary: the percent sign only, never an internal id.
            None if i.unit == "percent" => "%".into(),
            None if voc.is_none() => String::new(),
            None => format!(" {}", i.unit),
        }
    };
    if value.is_empty() {
        return String::new();
    }
    let value =
        if suffix.starts_with('%') && value.ends_with('%') { value.to_string() } else { format!("{value}{suffix}") };
    [qualifier, value.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

/// The vocabulary of indicator units a section names (props.units).
pub(super) fn units_of(s: &Section) -> Option<&str> {
    s.props.get("units").and_then(|v| v.as_str())
}

fn indicators(ctx: &Ctx, s: &Section, items: &[Indicator]) -> Vec<Piece> {
    if items.is_empty() {
        return Vec::new();
    }
    let size = ctx.sz.table + 0.4;
    let w = ctx.width;
    // Evaluation grids: props.columns = ["Dato previsto", "Dato realizzato"].
    let cols: Vec<String> = s
        .props
        .get("columns")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if cols.len() == 2 {
        if items.iter().all(|i| i.value.is_empty() && i.realizzato.is_empty()) {
            // Outcomes listed as text only (no planned/achieved figures): a plain list.
            let texts: Vec<String> = items.iter().map(|i| i.text.clone()).collect();
            return bullets(ctx, &texts);
        }
        let mut t = Table::new(vec![w * 0.5, w * 0.25, w * 0.25]);
        t.header.push(
            ["Indicatore", cols[0].as_str(), cols[1].as_str()].iter().map(|h| header_cell(ctx, h, size)).collect(),
        );
        for i in items {
            let planned = indicator_value(ctx, units_of(s), &Indicator { qualifier: String::new(), ..i.clone() });
            t.rows.push(vec![
                Cell::text(i.text.clone(), Style::Regular, size),
                Cell::text(planned, Style::Regular, size),
                Cell::text(i.realizzato.clone(), Style::Regular, size),
            ]);
        }
        return vec![Piece::Table(t), Piece::Space(6.0)];
    }
    // The form's bullets: "• {text} – valore atteso {value}{unit}" ("stima" in place of "valore
    // atteso"); the value, period and source only where the text does not already hold them.
    let texts: Vec<String> = items.iter().map(|i| indicator_line(ctx, s, i)).collect();
    let mut out = bullets(ctx, &texts);
    out.push(Piece::Space(4.0));
    out
}

fn indicator_line(ctx: &Ctx, s: &Section, i: &Indicator) -> String {
    let text = i.text.trim();
    let mut line = text.to_string();
    let value = i.value.trim();
    if !value.is_empty() && !text.contains(value) {
        let stima = i.qualifier == "stima";
        let v = indicator_value(
            ctx,
            units_of(s),
            &Indicator { qualifier: if stima { String::new() } else { i.qualifier.clone() }, ..i.clone() },
        );
        let word = if stima {
            "stima"
        } else if i.level == IndicatorLevel::Input {
            "valore rilevato"
        } else {
            "valore atteso"
        };
        line = if line.is_empty() { format!("{word} {v}") } else { format!("{line} – {word} {v}") };
    }
    for extra in [i.period.trim(), i.source.trim()] {
        if !extra.is_empty() && !text.contains(extra) {
            line = format!("{line} ({extra})");
        }
    }
    line
}

fn resource_lines(ctx: &Ctx, s: &Section, r: &ResourceLines) -> Vec<Piece> {
    let size = ctx.sz.body;
    if r.none_needed {
        // The template's wording ("Non sono necessarie risorse economiche"), else a default.
        let none = s.props.get("none_label").and_then(|v| v.as_str()).unwrap_or("Nessuna risorsa economica dedicata.");
        return vec![Piece::Para(body(ctx, none, Style::Regular).after(4.0))];
    }
    let voc = s.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v));
    let money = |m: Money| plan_money(ctx, m, false);
    let mut out = Vec::new();
    for l in &r.lines {
        // Basis phrase: the template's choice label ("valore triennale", "all’anno"…), else a default.
        let basis = match s.choices.iter().find(|c| c.id == l.basis) {
            Some(c) => c.label.clone(),
            None => match l.basis.as_str() {
                "triennale" => "valore triennale",
                "annuo" => "all’anno",
                "prima_annualita" => "per la prima annualità",
                "una_tantum" => "una tantum",
                _ => "",
            }
            .to_string(),
        };
        let mut spans = Vec::new();
        let amount = [l.qualifier.as_str(), &l.amount.map(money).unwrap_or_default(), basis.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if !amount.is_empty() {
            spans.push(Span::new(amount, Style::Bold));
        }
        if !l.label.is_empty() {
            spans.push(Span::new(format!("{}{}", if spans.is_empty() { "" } else { " – " }, l.label), Style::Regular));
        }
        if !l.sources.is_empty() {
            let names: Vec<String> = l
                .sources
                .iter()
                .map(|x| {
                    voc.map(|v| v.display(x)).unwrap_or_else(|| x.strip_prefix("custom:").unwrap_or(x).to_string())
                })
                .collect();
            spans.push(Span::new(format!(" (fonti: {})", names.join(", ")), Style::Regular));
        }
        if !l.envelope.is_empty() {
            spans.push(Span::new(format!("; {}", l.envelope), Style::Regular));
        }
        out.push(Piece::Para(bullet(ctx, spans, size)));
        for d in &l.di_cui {
            let mut t = String::from("di cui ");
            if let Some(a) = d.amount {
                t.push_str(&money(a));
                t.push(' ');
            }
            if !d.percent.is_empty() {
                t.push_str(&format!("({}%) ", d.percent));
            }
            t.push_str(&d.description);
            out.push(Piece::Para(Para::text(t, Style::Regular, size - 0.5).indent(size * 3.0).after(2.0)));
        }
    }
    out
}

fn staff_lines(ctx: &Ctx, items: &[StaffLine]) -> Vec<Piece> {
    items
        .iter()
        .map(|l| {
            let mut t = match l.count {
                Some(n) => format!("n. {n} {}", l.role),
                None => l.role.clone(),
            };
            if !l.provider.is_empty() {
                t.push_str(&format!(" ({})", l.provider));
            }
            if !l.note.is_empty() {
                t.push_str(&format!(" – {}", l.note));
            }
            Piece::Para(bullet(ctx, vec![Span::new(t, Style::Regular)], ctx.sz.body))
        })
        .collect()
}

fn fund_table(ctx: &Ctx, s: &Section, f: &FundTable) -> Vec<Piece> {
    use crate::model::compute;
    let size = ctx.sz.table;
    let years: Vec<(String, String)> = s
        .columns
        .iter()
        .filter(|c| c.kind.as_deref() != Some("text"))
        .map(|c| (c.id.clone(), c.header.clone()))
        .collect();
    let years: Vec<(String, String)> = if years.is_empty() {
        let mut ids: Vec<String> = f.rows.iter().flat_map(|r| r.cells.keys().cloned()).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().map(|i| (i.clone(), i)).collect()
    } else {
        years
    };
    let first_head = s
        .columns
        .iter()
        .find(|c| c.kind.as_deref() == Some("text"))
        .map(|c| c.header.clone())
        .unwrap_or_else(|| "Fonte".into());
    // The three cell states: a value, an explicit zero (the template's "-   €"), not assigned (blank).
    let zero = s
        .props
        .get("zero")
        .and_then(|v| v.as_str())
        .map(|z| z.replace(' ', "\u{a0}"))
        .unwrap_or_else(|| plan_money(ctx, Money::ZERO, true));
    let cell_text = |c: Option<&FundCell>| match c {
        Some(FundCell::Value(m)) => plan_money(ctx, *m, false),
        Some(FundCell::Zero) => zero.clone(),
        _ => String::new(),
    };
    let cols: Vec<(String, Vec<String>)> =
        years.iter().map(|(id, h)| (h.clone(), f.rows.iter().map(|r| cell_text(r.cells.get(id))).collect())).collect();
    let labels: Vec<String> = f.rows.iter().map(|r| compute::fund_row_label(s, r)).collect();
    let size = fitting_size(ctx, 120.0, &labels, &cols).min(size);
    let mut t = Table::new(value_table_widths(ctx, 120.0, &labels, &cols, size));
    let mut head = vec![header_cell(ctx, &first_head, size)];
    head.extend(years.iter().map(|(_, h)| header_cell(ctx, h, size)));
    t.header.push(head);
    let totals = compute::fund_totals(s, f);
    let data_row = |r: &FundRow| {
        let mut row = vec![Cell::text(compute::fund_row_label(s, r), Style::Regular, size)];
        for (id, _) in &years {
            let c = r.cells.get(id);
            let mut cell = Cell::text(cell_text(c), Style::Regular, size).align(Align::Right);
            if matches!(c, None | Some(FundCell::NotAssigned)) {
                cell.fill = Some(OUTSIDE_FILL);
                cell.hatch = true;
            }
            row.push(cell);
        }
        row
    };
    // Row groups of the template (kind "group"): heading row, its rows, its computed subtotal.
    let groups: Vec<&crate::template::RowDef> = s.rows.iter().filter(|r| r.kind.as_deref() == Some("group")).collect();
    for r in f.rows.iter().filter(|r| compute::fund_row_group(s, &r.source).is_none()) {
        t.rows.push(data_row(r));
    }
    for g in &groups {
        let mut heading = vec![Cell::text(g.label.clone(), Style::Bold, size)];
        heading.extend(years.iter().map(|_| Cell::empty()));
        t.rows.push(heading);
        for r in f.rows.iter().filter(|r| compute::fund_row_group(s, &r.source) == Some(g.id.as_str())) {
            t.rows.push(data_row(r));
        }
        let label = s
            .rows
            .iter()
            .find(|r| r.kind.as_deref() == Some("subtotal") && r.group.as_deref() == Some(g.id.as_str()))
            .map(|r| r.label.clone())
            .unwrap_or_else(|| "Totale".into());
        let mut sub = vec![Cell::text(label, Style::Bold, size)];
        for (id, _) in &years {
            let v = totals.groups.get(&g.id).and_then(|m| m.get(id)).copied().unwrap_or(Money::ZERO);
            sub.push(Cell::text(plan_money(ctx, v, false), Style::Bold, size).align(Align::Right));
        }
        t.rows.push(sub);
    }
    // The grand total is computed, never typed ("TOTALI" / "TOTALE" from the template).
    let totals_label = s.props.get("totals_label").and_then(|v| v.as_str()).unwrap_or("Totale");
    let mut total = vec![Cell::text(totals_label, Style::Bold, size).fill(HEADER_FILL)];
    for (id, _) in &years {
        let sum = totals.columns.get(id).copied().unwrap_or(Money::ZERO);
        total.push(Cell::text(plan_money(ctx, sum, false), Style::Bold, size).align(Align::Right).fill(HEADER_FILL));
    }
    t.strong_rows.push(t.rows.len());
    t.rows.push(total);
    vec![Piece::Table(t), Piece::Space(6.0)]
}

fn evaluation_grid(ctx: &Ctx, s: &Section, g: &EvaluationGrid) -> Vec<Piece> {
    use crate::model::compute;
    let size = ctx.sz.table + 0.4;
    let w = ctx.width;
    let mut t = Table::new(vec![w * 0.72, w * 0.28]);
    t.header.push(vec![header_cell(ctx, "Voce", size), header_cell(ctx, "Valore", size)]);
    let mut out = Vec::new();
    if s.rows.is_empty() {
        for (k, v) in &g.inputs {
            t.rows.push(vec![
                Cell::text(k.clone(), Style::Regular, size),
                Cell::text(v.clone(), Style::Regular, size).align(Align::Right),
            ]);
        }
        out.push(Piece::Table(t));
    } else {
        // Inputs as typed; computed rows from the template's formulas; the band derived from the
        // value, never typed (an imported "80% (ottimo)" prints "80% (buono)").
        let res = compute::evaluate_grid(s, g);
        for r in &res.rows {
            let v = match r.kind.as_str() {
                "input" => g.inputs.get(&r.id).cloned().unwrap_or_default(),
                _ => r.display.clone(),
            };
            let style = if r.kind == "band" { Style::Bold } else { Style::Regular };
            t.rows.push(vec![
                Cell::text(r.label.clone(), Style::Regular, size),
                Cell::text(v, style, size).align(Align::Right),
            ]);
        }
        out.push(Piece::Table(t));
        // Option print_scale: the full scale with the matching band ticked.
        if ctx.opt_bool_or("print_scale", false) && !res.bands.is_empty() {
            let chosen = res.rows.iter().find(|r| r.kind == "band").and_then(|r| r.band);
            out.push(Piece::Space(3.0));
            for (i, b) in res.bands.iter().enumerate() {
                out.push(Piece::Para(check_line(
                    ctx,
                    chosen == Some(i),
                    vec![Span::new(b.label.clone(), Style::Regular)],
                    ctx.sz.body,
                )));
            }
        }
    }
    out.push(Piece::Space(4.0));
    out.extend(rich(ctx, &g.note));
    out
}
