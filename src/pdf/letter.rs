//! Letter-like forms (sub-allegato 1A): the template's `body` blocks in order, placeholders
//! filled from the office profile, the fascicolo and the letter's own fields.

use super::fonts::Style;
use super::layout::{Align, Layout, Para, Span};
use super::page::GREY_TEXT;
use super::{emphasis, Ctx};
use crate::model::{Document, FieldValue};

use crate::rules;
use crate::template::{BodyBlock, Form, FormRole};

/// The schede a letter requests, in fascicolo order.
/// The schede a letter requests (see `Fascicolo::letter_schede`).
pub fn letter_schede<'a>(ctx: &Ctx<'a>, letter: &Document) -> Vec<&'a Document> {
    ctx.fasc.letter_schede(ctx.family, letter)
}

/// Ticked macroaree: the letter's override, else the union of the schede's primary macroarea.
pub fn letter_ticks(ctx: &Ctx, letter: &Document, vocabulary: &str) -> Vec<String> {
    let own = letter.selected(vocabulary).to_vec();
    if !own.is_empty() {
        return own;
    }
    let scheda_form = ctx.family.forms.iter().find(|f| f.role == FormRole::Scheda);
    let sec = scheda_form
        .and_then(|f| {
            f.sections.iter().find(|s| {
                s.vocabulary.as_deref() == Some(vocabulary) && s.kind == crate::template::FieldKind::Checklist
            })
        })
        .map(|s| s.id.clone())
        .unwrap_or_else(|| "macroarea".into());
    let mut out: Vec<String> = Vec::new();
    for d in letter_schede(ctx, letter) {
        if let Some(first) = d.selected(&sec).first().cloned() {
            if !out.contains(&first) {
                out.push(first);
            }
        }
    }
    out
}

pub fn format_date(ctx: &Ctx, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if ctx.opt_str("letter_date_format") == "long" {
        format!("{} {} {}", d.day(), crate::model::MONTHS_IT_LONG[(d.month() - 1) as usize], d.year())
    } else {
        d.format("%d/%m/%Y").to_string()
    }
}

fn block_applies(ctx: &Ctx, b: &BodyBlock) -> bool {
    (b.variants.is_empty() || b.variants.contains(&ctx.fasc.variant))
        && b.when_option.as_ref().is_none_or(|o| ctx.opt_bool_or(o, true))
}

pub fn render(ctx: &Ctx, lay: &mut Layout, doc: &Document, form: &Form) {
    let sz = ctx.sz;
    let signer = if ctx.fasc.signer.name.trim().is_empty() { &ctx.profile.legal_rep } else { &ctx.fasc.signer };
    let ambito = if ctx.opt_bool_or("quote_ambito_name", false) {
        format!("“{}”", ctx.profile.ambito)
    } else {
        ctx.profile.ambito.clone()
    };
    let date = match doc.field("data") {
        Some(FieldValue::Date { date: Some(d) }) => format_date(ctx, *d),
        _ => String::new(),
    };
    let luogo = doc.text("luogo").to_string();
    let schede = letter_schede(ctx, doc);
    let first_title = schede.first().map(|d| d.title().to_string()).unwrap_or_default();
    let vars: Vec<(&str, String)> = vec![
        ("sottoscritto", signer.gender.sottoscritto().to_string()),
        ("nome", signer.name.clone()),
        ("ambito", ambito),
        ("luogo", luogo),
        ("data", date),
        ("titolo", first_title),
        ("titolo_firmatario", signer.title.clone()),
    ];
    let fill = |t: &str| rules::fill(t, &vars).split_whitespace().collect::<Vec<_>>().join(" ");
    let body = sz.body + 0.5;
    let gap = body * 0.9;
    for b in form.body.iter().filter(|b| block_applies(ctx, b)) {
        match b.kind.as_str() {
            "label_right" => {
                lay.para(&Para::text(fill(&b.text), Style::Regular, body).align(Align::Right).after(gap * 2.0))
            }
            "letterhead" => {
                // The office's letterhead lines at the top of the letter (sovrazonale copies).
                let lines = &ctx.profile.letterhead.lines;
                let lines: Vec<&String> = if lines.is_empty() { Vec::new() } else { lines.iter().collect() };
                if lines.is_empty() {
                    lay.para(
                        &Para::text(
                            format!("UFFICIO DI PIANO\nAMBITO DI {}", ctx.profile.ambito.to_uppercase()),
                            Style::Bold,
                            body,
                        )
                        .align(Align::Center)
                        .after(gap * 2.0),
                    );
                } else if ctx.profile.letterhead.pages == "none" {
                    for l in lines {
                        lay.para(&Para::text(l.clone(), Style::Bold, body).align(Align::Center));
                    }
                    lay.space(gap * 2.0);
                }
            }
            "addressee" => {
                lay.para(&Para::text(fill(&b.text), Style::Regular, body).align(Align::Right).after(gap * 1.5))
            }
            "subject" => lay.para(
                &Para::new(emphasis(&fill(&b.text), &b.italic, Style::Bold, Style::BoldItalic), body)
                    .align(Align::Justify)
                    .after(gap * 1.5),
            ),
            "paragraph" => {
                lay.para(&Para::new(spans(&fill(&b.text), b), body).align(Align::Justify).leading(1.45).after(gap))
            }
            "centered_bold" => lay.para(
                &Para::text(fill(&b.text), Style::Bold, body + 1.0)
                    .align(Align::Center)
                    .before(gap * 0.5)
                    .after(gap * 1.3),
            ),
            "checklist" => {
                let vid = b.vocabulary.clone().unwrap_or_else(|| "macroaree".into());
                let ticks = letter_ticks(ctx, doc, &vid);
                if let Some(v) = ctx.family.vocabulary(&vid) {
                    lay.space(gap * 0.3);
                    for item in &v.items {
                        let t = ticks.contains(&item.id);
                        let mark = ctx.checkbox(t);
                        let p = Para::new(
                            emphasis(&v.display(&item.id), &item.italic, Style::Regular, Style::Italic),
                            body,
                        )
                        .indent(30.0)
                        .marker(Span::new(mark, if t { Style::Bold } else { Style::Regular }), 16.0)
                        .leading(1.45);
                        lay.para(&p);
                    }
                    lay.space(gap);
                }
            }
            "projects" => {
                if !b.text.is_empty() {
                    lay.para(&Para::text(fill(&b.text), Style::Regular, body).after(gap));
                }
                let pattern = b.item.clone().unwrap_or_else(|| "{n}. {titolo}".into());
                let whole_bold = b.bold.contains(&pattern);
                for (i, d) in schede.iter().enumerate() {
                    let n = d.number.unwrap_or(i as u32 + 1);
                    let mut v = vars.clone();
                    v.retain(|(k, _)| *k != "titolo");
                    v.push(("titolo", d.title().to_string()));
                    v.push(("n", n.to_string()));
                    v.push(("all_n", d.all_n.map(|a| a.to_string()).unwrap_or_else(|| "…".into())));
                    let line = rules::fill(&pattern, &v);
                    let style = if whole_bold { Style::Bold } else { Style::Regular };
                    // "1. TITLE (All. n. …)": hang the number.
                    let p = match line.split_once(". ") {
                        Some((num, rest)) if num.chars().all(|c| c.is_ascii_digit()) && !num.is_empty() => {
                            Para::text(rest.to_string(), style, body)
                                .indent(18.0)
                                .marker(Span::new(format!("{num}."), style), 18.0)
                        }
                        _ => Para::text(line, style, body),
                    };
                    lay.para(&p.align(Align::Left).leading(1.45).after(gap));
                }
            }
            "place_date" => {
                let mut t = fill(&b.text);
                if ctx.opt_bool_or("keep_place_date_label", false) {
                    t = format!("Luogo e data, {t}");
                }
                lay.para(&Para::text(t, Style::Regular, body).before(gap * 0.5).after(gap * 2.0));
            }
            "signature" => {
                lay.ensure(76.0);
                let w = lay.width();
                let col = Para::text(fill(&b.text), Style::Regular, body).align(Align::Center).indent(w * 0.5);
                lay.para(&col);
                if ctx.opt_bool_or("show_signer_name", true) {
                    if let Some(item) = &b.item {
                        let name = fill(item);
                        if !name.trim().is_empty() {
                            lay.para(&Para::text(name, Style::Regular, body).align(Align::Center).indent(w * 0.5));
                        }
                    }
                }
                // The box takes the room left for the signature.
                let used = super::signature_field(ctx, lay, 160.0, 42.0);
                lay.space((gap * 3.0 - used).max(gap * 0.5));
            }
            "note" => lay.para(&Para::text(fill(&b.text), Style::Regular, sz.small).color(GREY_TEXT).before(gap)),
            _ => {
                if !b.text.is_empty() {
                    lay.para(&Para::new(spans(&fill(&b.text), b), body).align(Align::Justify).after(gap));
                }
            }
        }
    }
}

fn spans(text: &str, b: &BodyBlock) -> Vec<Span> {
    let mut spans = Vec::new();
    for s in emphasis(text, &b.bold, Style::Regular, Style::Bold) {
        if s.style == Style::Bold {
            spans.push(s);
        } else {
            spans.extend(emphasis(&s.text, &b.italic, Style::Regular, Style::Italic));
        }
    }
    spans
}
