//! The whole plan as one PDF: cover, table of contents with page numbers (laid out twice: the
//! first pass finds where each chapter starts, the second prints those pages), numbered chapters
//! with their narrative text and documents, and the parts generated from the data (mapping of
//! local areas onto the Region's macro aree, indicator schema, plan budget, approval page).

use super::fonts::Style;
use super::layout::{Align, Cell, Layout, Para, Table};
use super::page::*;
use super::{flow, render_form, richtext, Ctx};
use crate::model::plan::{flatten_outline, outline, plan_budget, OutlineNode, OutlinePart};
use crate::model::{Document, FieldValue};
use crate::money::Money;
use crate::template::{FormRole, GeneratedDef, PlanDef};

/// Lays out the whole plan; returns the layout with its outline.
pub(super) fn lay_out(ctx: &Ctx, def: &PlanDef, lay_new: &dyn Fn() -> Layout<'static>) -> Layout<'static> {
    let nodes = outline(ctx.family, ctx.fasc);
    let flat = flatten_outline(&nodes);
    let mut pages: Vec<Option<usize>> = vec![None; flat.len()];
    let mut lay = lay_new();
    // Pass 1 with unknown numbers, then again until the pages do not move (usually once).
    for _ in 0..4 {
        lay = lay_new();
        let mut found: Vec<Option<usize>> = vec![None; flat.len()];
        cover(ctx, def, &mut lay);
        toc(ctx, def, &mut lay, &flat, &pages);
        for n in &nodes {
            chapter(ctx, &mut lay, n, &flat, &mut found);
        }
        if found == pages {
            break;
        }
        pages = found;
    }
    lay
}

fn cover(ctx: &Ctx, def: &PlanDef, lay: &mut Layout) {
    lay.start_document();
    let p = ctx.profile;
    lay.bookmark("Copertina", 1);
    lay.space(150.0);
    let big = |t: &str, size: f32, style: Style| Para::text(t.to_string(), style, size).align(Align::Center);
    lay.space(150.0);
    lay.para(&big(&def.cover_title, 30.0, Style::Bold).after(12.0).role("Title"));
    let sub = def.cover_subtitle.replace("{ciclo}", &ctx.family.cycle).replace("{ambito}", &p.ambito);
    if !sub.trim().is_empty() {
        lay.para(&big(&sub, 16.0, Style::Regular).after(40.0));
    }
    if !p.ambito.trim().is_empty() {
        lay.para(&big(&format!("Ambito territoriale di {}", p.ambito), 15.0, Style::Bold).after(8.0));
    }
    if !p.ente_capofila.trim().is_empty() {
        lay.para(&big(&format!("Ente capofila: {}", p.ente_capofila), 12.0, Style::Regular).after(6.0));
    }
    let comuni = p.comuni.len();
    if comuni > 0 {
        let pop: u64 = p.comuni.iter().filter_map(|c| c.population).map(u64::from).sum();
        let t = if pop > 0 {
            format!("{comuni} Comuni – {} abitanti", group_thousands(pop))
        } else {
            format!("{comuni} Comuni")
        };
        lay.para(&big(&t, 11.0, Style::Regular).after(6.0));
    }
    if let Some(d) = ctx.fasc.date {
        lay.space(60.0);
        let m = crate::model::MONTHS_IT_LONG.get(d.format("%m").to_string().parse::<usize>().unwrap_or(1) - 1);
        let date = format!("{} {} {}", d.format("%-d"), m.copied().unwrap_or(""), d.format("%Y"));
        lay.para(&big(&date, 11.0, Style::Italic));
    }
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn toc(ctx: &Ctx, def: &PlanDef, lay: &mut Layout, flat: &[&OutlineNode], pages: &[Option<usize>]) {
    lay.start_document();
    lay.bookmark(&def.toc_title, 1);
    lay.para(&Para::text(def.toc_title.clone(), Style::Bold, 16.0).after(14.0).role("H1"));
    let w = lay.width();
    let mut t = Table::new(vec![w - 44.0, 44.0]);
    t.border = Rgb(1.0, 1.0, 1.0);
    t.pad_y = 1.6;
    for (i, n) in flat.iter().enumerate() {
        if n.level > 3 {
            continue;
        }
        let (style, size) = match n.level {
            1 => (Style::Bold, ctx.sz.body + 0.5),
            2 => (Style::Regular, ctx.sz.body),
            _ => (Style::Italic, ctx.sz.body - 0.5),
        };
        let indent = 14.0 * (n.level as f32 - 1.0);
        // A placeholder as wide as a real number in the first pass keeps the layout stable.
        let num = pages[i].map(|p| (p + 1).to_string()).unwrap_or_else(|| "000".into());
        t.rows.push(vec![
            Cell::new(vec![Para::text(n.heading(), style, size).indent(indent)]),
            Cell::text(num, style, size).align(Align::Right),
        ]);
    }
    lay.table(&t);
}

fn chapter<'a>(
    ctx: &Ctx,
    lay: &mut Layout,
    n: &OutlineNode<'a>,
    flat: &[&OutlineNode<'a>],
    found: &mut [Option<usize>],
) {
    let sz = ctx.sz;
    let (size, role) = match n.level {
        1 => (17.0, "H1"),
        2 => (13.5, "H2"),
        _ => (11.5, "H3"),
    };
    let heading = Para::text(n.heading(), Style::Bold, size).after(size * 0.6).role(role);
    // A scheda starts on its own page: a chapter that opens with one goes there with it.
    let opens_with_scheda = matches!(n.parts.first(), Some(OutlinePart::Document(d)) if is_scheda(ctx, d));
    if n.level == 1 || n.def.is_some_and(|d| d.new_page) {
        lay.start_document();
    } else if opens_with_scheda {
        if !lay.at_top() {
            lay.new_page();
        }
    } else {
        lay.space(size * 0.9);
        // Never alone at a page foot: the heading keeps three lines of what follows.
        lay.ensure(lay.height_of(&heading) + sz.body * 4.5);
    }
    if let Some(i) = flat.iter().position(|x| std::ptr::eq(*x, n)) {
        found[i] = Some(lay.pages.len() - 1);
    }
    lay.bookmark(&n.heading(), n.level);
    lay.para(&heading);
    // A form's group heading (the macro area) is printed once per group: not when the previous
    // document had the same one, nor when the text since then already wrote it as a heading.
    let mut last_group: Option<String> = None;
    let mut text_headings: Vec<String> = Vec::new();
    for (k, p) in n.parts.iter().enumerate() {
        match p {
            OutlinePart::Text(t) => {
                text_headings.extend(richtext::parse_rich(t).into_iter().filter_map(|b| match b {
                    richtext::Block::Heading(_, h) => Some(h),
                    _ => None,
                }));
                flow(lay, &richtext::pieces(ctx.fonts, t, &sz, lay.width()))
            }
            OutlinePart::Document(d) => {
                let print = match group_heading(ctx, d) {
                    Some((h, prefix)) => {
                        let written = !prefix.is_empty()
                            && text_headings.iter().any(|t| t.to_uppercase().starts_with(&prefix.to_uppercase()));
                        let print = !written && last_group.as_deref() != Some(h.as_str());
                        last_group = Some(h);
                        print
                    }
                    None => true,
                };
                text_headings.clear();
                document(ctx, lay, d, n.level + 1, k == 0, print)
            }
            OutlinePart::Generated(g) => generated(ctx, lay, g),
        }
    }
    for c in &n.children {
        chapter(ctx, lay, c, flat, found);
    }
}

/// The group heading a document prints (props.group on a placed heading) and the literal start
/// of its format ("MACRO AREA"), by which a heading written in the text is recognised.
fn group_heading(ctx: &Ctx, d: &Document) -> Option<(String, String)> {
    let form = ctx.family.form(&d.form)?;
    let s = form.sections.iter().find(|s| s.props.get("group").and_then(|v| v.as_bool()).unwrap_or(false))?;
    let h = super::placed_heading(ctx, d, s)?;
    let format = s.props.get("format").and_then(|v| v.as_str()).unwrap_or("");
    let prefix = format.split('{').next().unwrap_or("").trim().to_string();
    Some((h, prefix))
}

fn is_scheda(ctx: &Ctx, d: &Document) -> bool {
    ctx.family.form(&d.form).is_some_and(|f| f.role == FormRole::Scheda)
}

/// A document of the chapter; `first` when it follows the chapter heading directly.
fn document(ctx: &Ctx, lay: &mut Layout, doc: &Document, level: u8, first: bool, group_heading: bool) {
    let Some(form) = ctx.family.form(&doc.form) else { return };
    let label = crate::rules::document_label(ctx.family, doc);
    let title = match form.role {
        FormRole::Scheda => format!("{label} – {}", doc.title()),
        _ => label,
    };
    if form.role == FormRole::Scheda {
        if !first {
            lay.new_page();
        }
    } else {
        lay.space(10.0);
        lay.ensure(120.0);
    }
    // Bookmarks name what the page prints: the group heading when printed here ("MACRO AREA A –
    // …"), then the document's own heading ("OBIETTIVO N° 1 – …"), else its label and title.
    let is_group = |s: &crate::template::Section| s.props.get("group").and_then(|v| v.as_bool()).unwrap_or(false);
    let mut own = None;
    for s in form.sections.iter().filter(|s| s.props.contains_key("format")) {
        match super::placed_heading(ctx, doc, s) {
            Some(h) if is_group(s) && group_heading => lay.bookmark(&h, level),
            Some(_) if is_group(s) => {}
            Some(h) => own = own.or(Some(h)),
            None => {}
        }
    }
    lay.bookmark(&own.unwrap_or(title), level);
    lay.anchor(&doc.id, "");
    // Section bookmarks of the form would crowd the plan's outline: keep chapters and documents.
    let keep = lay.outline.len();
    render_form(ctx, lay, doc, form, group_heading);
    lay.outline.truncate(keep);
    lay.space(8.0);
}

fn caption(ctx: &Ctx, lay: &mut Layout, title: &str) {
    if title.is_empty() {
        return;
    }
    let p = Para::text(title.to_string(), Style::Bold, ctx.sz.heading).after(5.0).role("H3");
    lay.space(10.0);
    lay.ensure(lay.height_of(&p) + 60.0);
    lay.para(&p);
}

fn head_cell(ctx: &Ctx, t: &str) -> Cell {
    Cell::text(t.to_string(), Style::Bold, ctx.sz.table).fill(HEADER_FILL)
}

fn cell(ctx: &Ctx, t: impl Into<String>) -> Cell {
    Cell::text(t, Style::Regular, ctx.sz.table)
}

/// The schede of the fascicolo, in order.
fn schede<'a>(ctx: &Ctx<'a>) -> Vec<&'a Document> {
    ctx.fasc.documents.iter().filter(|d| ctx.family.form(&d.form).is_some_and(|f| f.role == FormRole::Scheda)).collect()
}

fn objective(d: &Document) -> String {
    match d.number {
        Some(n) => format!("Obiettivo n. {n} – {}", d.title()),
        None => d.title().to_string(),
    }
}

fn generated(ctx: &Ctx, lay: &mut Layout, g: &GeneratedDef) {
    caption(ctx, lay, &g.title);
    let w = lay.width();
    let voc = g.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v));
    let section = g.sections.first().map(String::as_str).unwrap_or("");
    match g.kind.as_str() {
        "mappatura_aree" => {
            // Local macro area (the checklist's text) → regional codes → objectives.
            let mut groups: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
            for d in schede(ctx) {
                let Some(FieldValue::Choice { selected, text }) = d.field(section) else { continue };
                let codes: Vec<String> =
                    selected.iter().map(|s| voc.map(|v| v.display(s)).unwrap_or_else(|| s.clone())).collect();
                let key = if text.trim().is_empty() { codes.join("; ") } else { text.trim().to_string() };
                match groups.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, c, o)) => {
                        for code in codes {
                            if !c.contains(&code) {
                                c.push(code);
                            }
                        }
                        o.push(objective(d));
                    }
                    None => groups.push((key, codes, vec![objective(d)])),
                }
            }
            let mut t = Table::new(vec![w * 0.32, w * 0.33, w * 0.35]);
            t.header.push(vec![
                head_cell(ctx, "Macro area locale"),
                head_cell(ctx, "Aree di policy regionali"),
                head_cell(ctx, "Obiettivi"),
            ]);
            for (k, c, o) in groups {
                let lines = |v: Vec<String>| {
                    Cell::new(v.into_iter().map(|x| Para::text(x, Style::Regular, ctx.sz.table).after(1.5)).collect())
                };
                t.rows.push(vec![cell(ctx, k), lines(c), lines(o)]);
            }
            if t.rows.is_empty() {
                lay.para(&Para::text("Nessuna scheda obiettivo nel fascicolo.", Style::Italic, ctx.sz.body));
            } else {
                lay.table(&t);
            }
        }
        "schema_indicatori" => {
            let mut t = Table::new(vec![w * 0.25, w * 0.13, w * 0.44, w * 0.18]);
            t.header.push(vec![
                head_cell(ctx, "Obiettivo"),
                head_cell(ctx, "Tipo"),
                head_cell(ctx, "Indicatore"),
                head_cell(ctx, "Valore atteso"),
            ]);
            for d in schede(ctx) {
                let mut first = true;
                for s in &g.sections {
                    let Some(FieldValue::Indicators { items }) = d.field(s) else { continue };
                    for i in items.iter().filter(|i| !i.text.trim().is_empty()) {
                        let level = super::kinds::level_label(i.level).to_string();
                        let units = ctx
                            .family
                            .form(&d.form)
                            .and_then(|f| f.sections.iter().find(|x| x.id == *s))
                            .and_then(super::kinds::units_of);
                        let value = super::kinds::indicator_value(ctx, units, i);
                        t.rows.push(vec![
                            cell(ctx, if first { objective(d) } else { String::new() }),
                            cell(ctx, level),
                            cell(ctx, i.text.clone()),
                            cell(ctx, value),
                        ]);
                        first = false;
                    }
                }
            }
            lay.table(&t);
        }
        "bilancio_piano" => {
            let years = ctx.fasc.plan.as_ref().zip(ctx.family.plan.as_ref()).map(|(p, d)| p.years(d).programma.clone());
            let years = years.unwrap_or_default();
            let rows = plan_budget(ctx.family, ctx.fasc, section, &years);
            let show_unalloc = rows.iter().any(|r| !r.unallocated.is_zero());
            let ncol = years.len() + 2 + usize::from(show_unalloc);
            // Money columns wide enough for "€ 12.000.000,00" on one line.
            let label_w = (w - 74.0 * (ncol - 1) as f32).clamp(w * 0.2, w * 0.4);
            let mut widths = vec![label_w];
            widths.extend(std::iter::repeat_n((w - label_w) / (ncol - 1) as f32, ncol - 1));
            let mut t = Table::new(widths);
            let mut h = vec![head_cell(ctx, "Fonte di finanziamento")];
            h.extend(years.iter().map(|y| head_cell(ctx, &format!("Anno {y}"))));
            if show_unalloc {
                h.push(head_cell(ctx, "Base temporale non indicata"));
            }
            h.push(head_cell(ctx, "Totale"));
            t.header.push(h);
            let money = |m: Money| Cell::text(m.format_it(), Style::Regular, ctx.sz.table).align(Align::Right);
            let mut col_tot: Vec<Money> = vec![Money::ZERO; ncol - 1];
            for r in &rows {
                let label = if r.sources.is_empty() {
                    "Fonte non indicata".to_string()
                } else {
                    r.sources
                        .iter()
                        .map(|s| voc.map(|v| v.display(s)).unwrap_or_else(|| s.clone()))
                        .collect::<Vec<_>>()
                        .join(" + ")
                };
                let mut row = vec![cell(ctx, label)];
                let mut vals: Vec<Money> =
                    years.iter().map(|y| r.years.get(y).copied().unwrap_or(Money::ZERO)).collect();
                if show_unalloc {
                    vals.push(r.unallocated);
                }
                let total: Money = vals.iter().copied().sum();
                vals.push(total);
                for (k, v) in vals.iter().enumerate() {
                    col_tot[k] += *v;
                    row.push(money(*v));
                }
                t.rows.push(row);
            }
            let mut tot = vec![Cell::text("TOTALE", Style::Bold, ctx.sz.table)];
            tot.extend(
                col_tot.iter().map(|m| Cell::text(m.format_it(), Style::Bold, ctx.sz.table).align(Align::Right)),
            );
            t.strong_rows.push(t.rows.len());
            t.rows.push(tot);
            lay.table(&t);
        }
        "approvazione" => {
            let p = ctx.profile;
            let text = g
                .text
                .replace("{ambito}", &p.ambito)
                .replace("{ente}", &p.ente_capofila)
                .replace("{ciclo}", &ctx.family.cycle);
            if !text.trim().is_empty() {
                flow(lay, &richtext::pieces(ctx.fonts, &text, &ctx.sz, w));
            }
            let mut t = Table::new(vec![w * 0.30, w * 0.32, w * 0.13, w * 0.25]);
            t.header.push(vec![
                head_cell(ctx, "Sottoscrittore"),
                head_cell(ctx, "Ente"),
                head_cell(ctx, "Abitanti"),
                head_cell(ctx, "Firma"),
            ]);
            let row = |kind: &str, name: &str, pop: String| {
                vec![
                    cell(ctx, kind.to_string()),
                    cell(ctx, name.to_string()),
                    cell(ctx, pop).align(Align::Right),
                    cell(ctx, "\u{a0}\n\u{a0}"),
                ]
            };
            for c in &p.comuni {
                t.rows.push(row(
                    "Comune",
                    &c.name,
                    c.population.map(|n| group_thousands(n.into())).unwrap_or_default(),
                ));
            }
            let pop: u64 = p.comuni.iter().filter_map(|c| c.population).map(u64::from).sum();
            if p.comuni.len() > 1 && pop > 0 {
                t.strong_rows.push(t.rows.len());
                t.rows.push(vec![
                    Cell::text(format!("{} Comuni", p.comuni.len()), Style::Bold, ctx.sz.table),
                    cell(ctx, String::new()),
                    Cell::text(group_thousands(pop), Style::Bold, ctx.sz.table).align(Align::Right),
                    cell(ctx, String::new()),
                ]);
            }
            if !p.ats.trim().is_empty() {
                t.rows.push(row("ATS", &p.ats, String::new()));
            }
            for a in &p.asst {
                t.rows.push(row("ASST", a, String::new()));
            }
            for e in &p.terzo_settore {
                t.rows.push(row("Terzo Settore", e, String::new()));
            }
            if t.rows.is_empty() {
                lay.para(&Para::text(
                    "I sottoscrittori si indicano nel profilo dell’ufficio (Comuni, ATS, ASST, enti del Terzo Settore).",
                    Style::Italic,
                    ctx.sz.body,
                ));
            } else {
                lay.table(&t);
            }
            lay.space(18.0);
            // The signatory's role always, the name when known; the signature field goes below.
            let signer = &ctx.fasc.signer;
            let name = format!("{} {}", signer.title, signer.name).trim().to_string();
            let who = if name.is_empty() {
                "Il legale rappresentante dell’ente capofila".to_string()
            } else {
                format!("Il legale rappresentante dell’ente capofila\n{name}")
            };
            lay.ensure(lay.height_of(&Para::text(who.clone(), Style::Regular, ctx.sz.body)) + 70.0);
            lay.para(&Para::text(who, Style::Regular, ctx.sz.body).align(Align::Right));
            super::signature_field(ctx, lay, 180.0, 60.0);
        }
        _ => {}
    }
    lay.space(8.0);
}
