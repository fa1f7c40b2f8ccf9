//! PDF/A-2b export of a fascicolo, laid out from the template: every document in order, each on
//! new pages; letters from their `body` blocks; other forms section by section ("blocks": heading,
//! italic instruction, content; or "two_column": label | answer), each field kind drawn by its own
//! small renderer in `kinds`. Page furniture (page numbers, letterhead, draft watermark) is added
//! once the page count is known. `writer` turns the pages into a deterministic PDF/A-2b file.
//!
//! Why not printpdf 0.12 (the library named in the spec): it writes PDF 1.3, no XMP, a CMYK
//! PDF/X OutputIntent and embeds whole fonts without subsetting (shared/spec/reference-signing-
//! pdfa.md §3.1), and its HTML table layout ran past the margin in a probe. Post-processing would
//! have meant rewriting its fonts, content streams, catalog and trailer, i.e. everything. So the
//! layout is ours (it must be, to follow the template), and the file layer uses `pdf-writer`
//! (the object writer under typst/krilla) with `subsetter` for the font subsets.

mod fonts;
pub use fonts::unprintable;
mod kinds;
mod layout;
mod letter;
mod page;
mod plan;
mod richtext;
#[doc(hidden)]
pub mod sample;
mod view;
mod writer;
pub use view::{section_view, CellMark, ViewBlock, ViewCell};

use chrono::NaiveDate;

use crate::model::{Document, Fascicolo, FieldValue, OfficeProfile};
use crate::rules;
use crate::template::{Family, Form, FormRole, Section};
use fonts::{Fonts, Style};
use layout::{Align, Cell, Layout, Para, Span, Table};
use page::*;

pub use writer::{Meta, OutlineEntry};

/// Export options chosen at export time (not stored in the fascicolo).
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Print a "BOZZA" watermark on every page (the Verifica has errori and the user exports anyway).
    pub draft: bool,
    /// Watermark text; empty = "BOZZA".
    pub watermark: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("carattere tipografico non utilizzabile: {0}")]
    Font(String),
    #[error("il fascicolo usa il modello «{0}», diverso da quello indicato")]
    WrongFamily(String),
    #[error("il documento «{doc}» usa il modulo «{form}», che il modello non contiene")]
    UnknownForm { doc: String, form: String },
    #[error("il fascicolo non contiene documenti da stampare")]
    Empty,
}

/// Font sizes of the export.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub body: f32,
    pub instruction: f32,
    pub heading: f32,
    pub table: f32,
    pub small: f32,
}

pub const SIZES: Sizes = Sizes { body: 10.0, instruction: 9.2, heading: 10.5, table: 8.3, small: 7.8 };

/// What a field renderer produces: flowing paragraphs, tables and vertical space.
#[derive(Debug, Clone)]
pub enum Piece {
    Para(Para),
    Table(Table),
    Space(f32),
    /// Keep this much height together below the cursor (a heading with what follows).
    Keep(f32),
}

/// Everything a renderer may look at.
pub struct Ctx<'a> {
    pub family: &'a Family,
    pub fasc: &'a Fascicolo,
    pub profile: &'a OfficeProfile,
    pub fonts: &'static Fonts,
    pub sz: Sizes,
    /// Text width of the page.
    pub width: f32,
}

impl Ctx<'_> {
    pub fn opt_bool(&self, id: &str) -> bool {
        rules::option_bool(self.family, self.fasc, id)
    }
    /// Boolean option with a default when the template does not define it.
    pub fn opt_bool_or(&self, id: &str, default: bool) -> bool {
        rules::option_value(self.family, self.fasc, id).and_then(|v| v.as_bool()).unwrap_or(default)
    }
    pub fn opt_str(&self, id: &str) -> String {
        rules::option_str(self.family, self.fasc, id)
    }
    /// Checkbox glyph (or typed-X style) for a ticked / unticked item.
    pub fn checkbox(&self, ticked: bool) -> &'static str {
        if self.opt_str("checkbox_style") == "x" {
            if ticked {
                "X"
            } else {
                " "
            }
        } else if ticked {
            "\u{2612}"
        } else {
            "\u{2610}"
        }
    }
}

/// Lays out every page of the fascicolo (with page furniture), ready to be written.
fn lay_out(
    family: &Family,
    fascicolo: &Fascicolo,
    profile: &OfficeProfile,
    opts: &PdfOptions,
) -> Result<Layout<'static>, PdfError> {
    if fascicolo.family != family.id {
        return Err(PdfError::WrongFamily(fascicolo.family.clone()));
    }
    let forms: Vec<(&Document, &Form)> = fascicolo
        .documents
        .iter()
        .map(|d| {
            family
                .form(&d.form)
                .map(|f| (d, f))
                .ok_or_else(|| PdfError::UnknownForm { doc: d.id.clone(), form: d.form.clone() })
        })
        .collect::<Result<_, _>>()?;
    if forms.is_empty() {
        return Err(PdfError::Empty);
    }
    let fonts = Fonts::get()?;
    let mut lay = Layout::new(fonts);
    let ctx = Ctx { family, fasc: fascicolo, profile, fonts, sz: SIZES, width: lay.width() };

    // Letterhead band: reserve its height on the pages that carry it.
    let lh = &profile.letterhead;
    let lh_lines: Vec<&str> = lh.lines.iter().map(String::as_str).filter(|l| !l.trim().is_empty()).collect();
    let lh_h = letterhead_height(fonts, &lh_lines, lay.width());
    let (first, other) = match lh.pages.as_str() {
        _ if lh_lines.is_empty() => (0.0, 0.0),
        "every_page" => (lh_h, lh_h),
        "first_page" => (lh_h, 0.0),
        _ => (0.0, 0.0),
    };
    if lh.position == "header" {
        lay.reserve_top = (first, other);
    } else {
        lay.reserve_bottom = (first, other);
    }

    if let (Some(def), Some(_)) = (&family.plan, &fascicolo.plan) {
        let (rt, rb) = (lay.reserve_top, lay.reserve_bottom);
        lay = plan::lay_out(&ctx, def, &|| {
            let mut l = Layout::new(fonts);
            l.reserve_top = rt;
            l.reserve_bottom = rb;
            l
        });
    }
    for (doc, form) in forms.iter().filter(|_| fascicolo.plan.is_none() || family.plan.is_none()) {
        lay.start_document();
        let label = rules::document_label(family, doc);
        let title = match form.role {
            FormRole::Scheda => format!("{label} – {}", doc.title()),
            _ => label,
        };
        lay.bookmark(&title, 1);
        lay.anchor(&doc.id, "");
        match form.role {
            FormRole::Letter => letter::render(&ctx, &mut lay, doc, form),
            _ => {
                if !form.body.is_empty() {
                    letter::render(&ctx, &mut lay, doc, form);
                }
                render_form(&ctx, &mut lay, doc, form, true);
            }
        }
    }

    furniture(&ctx, &mut lay, opts, &lh_lines, lh_h);
    Ok(lay)
}

/// The page (from 1) where each document and section starts in the PDF `render` writes:
/// (document id, section id or "" for the document's first page, page).
pub fn section_pages(
    family: &Family,
    fascicolo: &Fascicolo,
    profile: &OfficeProfile,
    opts: &PdfOptions,
) -> Result<Vec<(String, String, usize)>, PdfError> {
    let lay = lay_out(family, fascicolo, profile, opts)?;
    Ok(lay.anchors.into_iter().map(|(d, s, p)| (d, s, p + 1)).collect())
}

/// Renders the fascicolo to a PDF/A-2b file.
pub fn render(
    family: &Family,
    fascicolo: &Fascicolo,
    profile: &OfficeProfile,
    opts: &PdfOptions,
) -> Result<Vec<u8>, PdfError> {
    let lay = lay_out(family, fascicolo, profile, opts)?;
    let date =
        fascicolo.date.or_else(|| letter_date(fascicolo)).unwrap_or(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
    let author = if profile.ente_capofila.trim().is_empty() {
        fascicolo.signer.name.clone()
    } else {
        profile.ente_capofila.clone()
    };
    let meta = Meta {
        title: fascicolo.title.clone(),
        author,
        subject: family.title.clone(),
        keywords: format!("Piano di Zona {}; {}", family.cycle, profile.ambito),
        creator: "Piano di Zona Desktop".into(),
        producer: format!("pianozona {}", env!("CARGO_PKG_VERSION")),
        date,
        lang: "it-IT".into(),
    };
    writer::write(&lay.pages, &lay.outline, &lay.elems, &lay.sig_fields, &meta)
}

fn letter_date(f: &Fascicolo) -> Option<NaiveDate> {
    f.documents.iter().find_map(|d| match d.field("data") {
        Some(FieldValue::Date { date }) => *date,
        _ => None,
    })
}

fn letterhead_height(fonts: &Fonts, lines: &[&str], width: f32) -> f32 {
    if lines.is_empty() {
        return 0.0;
    }
    let h: f32 = lines
        .iter()
        .map(|l| {
            layout::lay_para(
                fonts,
                &Para::text(*l, Style::Regular, SIZES.small).align(Align::Center).leading(1.2),
                width,
            )
            .iter()
            .map(|b| b.h)
            .sum::<f32>()
        })
        .sum();
    h + 10.0
}

/// Page numbers, letterhead and watermark, now that the page count is known.
fn furniture(ctx: &Ctx, lay: &mut Layout, opts: &PdfOptions, lh_lines: &[&str], lh_h: f32) {
    let n = lay.pages.len();
    let numbers = ctx.opt_bool_or("page_numbers", true);
    let lh = &ctx.profile.letterhead;
    let width = lay.width();
    let lh_boxes: Vec<layout::LineBox> = lh_lines
        .iter()
        .flat_map(|l| {
            layout::lay_para(
                ctx.fonts,
                &Para::text(*l, Style::Regular, SIZES.small).align(Align::Center).leading(1.2).color(GREY_TEXT),
                width,
            )
        })
        .collect();
    for i in 0..n {
        let first_of_doc = lay.doc_starts.contains(&i);
        let page = &mut lay.pages[i];
        if opts.draft {
            let text = if opts.watermark.is_empty() { "BOZZA" } else { opts.watermark.as_str() };
            // Behind the content: insert first. Big, light, horizontal (no transparency in PDF/A).
            let size = (110.0f32).min((PAGE_W - 2.0 * MARGIN_L) / ctx.fonts.width(Style::Bold, 1.0, text).max(1.0));
            let w = ctx.fonts.width(Style::Bold, size, text);
            page.ops.insert(
                0,
                Op::Text {
                    x: (PAGE_W - w) / 2.0,
                    y: PAGE_H / 2.0 + size / 3.0,
                    size,
                    style: Style::Bold,
                    color: WATERMARK,
                    text: text.to_string(),
                    tag: 0,
                },
            );
        }
        let show_lh = !lh_lines.is_empty() && (lh.pages == "every_page" || (lh.pages == "first_page" && first_of_doc));
        if show_lh {
            let (y0, rule_y) = if lh.position == "header" {
                (MARGIN_T - 12.0, MARGIN_T - 12.0 + lh_h - 4.0)
            } else {
                let top = PAGE_H - MARGIN_B - lh_h + 8.0;
                (top, top - 3.0)
            };
            page.ops.push(Op::Line {
                x1: MARGIN_L,
                y1: rule_y,
                x2: PAGE_W - MARGIN_R,
                y2: rule_y,
                color: RULE,
                width: 0.4,
            });
            layout::draw_lines(page, &lh_boxes, MARGIN_L, y0);
        }
        // The cover of a whole plan carries no page number.
        let cover = i == 0 && ctx.family.plan.is_some() && ctx.fasc.plan.is_some();
        if numbers && !cover {
            let text = format!("pag. {} di {}", i + 1, n);
            let w = ctx.fonts.width(Style::Regular, SIZES.small, &text);
            page.ops.push(Op::Text {
                x: PAGE_W - MARGIN_R - w,
                y: FOOTER_Y,
                size: SIZES.small,
                style: Style::Regular,
                color: GREY_TEXT,
                text,
                tag: 0,
            });
        }
    }
}

/// The empty signature field of the legal representative where the template's option
/// `signature_field` puts it: "box" (a visible box here, filled and drawn by the signer),
/// "invisible", or "none" (the default when the template does not say).
/// Returns the height it took in the flow.
fn signature_field(ctx: &Ctx, lay: &mut Layout, w: f32, h: f32) -> f32 {
    match ctx.opt_str("signature_field").as_str() {
        "box" => {
            lay.space(4.0);
            lay.signature_field(SIGNATURE_FIELD, w, h);
            h + 4.0
        }
        "invisible" => {
            lay.signature_field(SIGNATURE_FIELD, 0.0, 0.0);
            0.0
        }
        _ => 0.0,
    }
}

/// Name of the empty signature field (`pianozona firma --campo` can name it).
pub const SIGNATURE_FIELD: &str = "FirmaLegaleRappresentante";

/// Places renderer pieces in the flow.
fn flow(lay: &mut Layout, pieces: &[Piece]) {
    for p in pieces {
        match p {
            Piece::Para(p) => lay.para(p),
            Piece::Table(t) => lay.table(t),
            Piece::Space(h) => lay.space(*h),
            Piece::Keep(h) => lay.ensure(*h),
        }
    }
}

/// Whether a table-like block holds nothing (no rows, no Gantt period).
fn is_absent_table(doc: &Document, s: &Section) -> bool {
    use crate::template::FieldKind as K;
    if s.kind == K::EvaluationGrid {
        // Values typed in an imported document and the note count as content.
        return match doc.field(&s.id) {
            Some(FieldValue::EvaluationGrid(g)) => {
                g.inputs.values().all(|v| v.trim().is_empty())
                    && g.typed.values().all(|v| v.trim().is_empty())
                    && g.note.trim().is_empty()
            }
            Some(_) => false,
            None => true,
        };
    }
    matches!(
        s.kind,
        K::Gantt
            | K::Deliverables
            | K::MoneyTable
            | K::StaffTable
            | K::FundTable
            | K::IndicatorList
            | K::StaffLines
            | K::ResourceLines
            | K::EntityList
    ) && rules::is_empty(doc, s)
}

fn section_title(ctx: &Ctx, s: &Section) -> String {
    // Period labels such as "{periodo_precedente}" come from the fascicolo options.
    let heading = s.heading_with(|k| Some(ctx.opt_str(k)));
    // The template's "section_numbers" option: whether the form prints its block numbers.
    match &s.n {
        Some(n) if !n.is_empty() && ctx.opt_bool_or("section_numbers", true) => format!("{n}. {heading}"),
        _ => heading,
    }
}

/// The instruction text in italics, with the template's bold spans.
fn instruction_paras(ctx: &Ctx, s: &Section, size: f32) -> Vec<Para> {
    let Some(instr) = &s.instruction else { return Vec::new() };
    if !ctx.opt_bool_or("print_instructions", true) {
        return Vec::new();
    }
    instr
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            Para::new(emphasis(p.trim(), &s.instruction_bold, Style::Italic, Style::BoldItalic), size)
                .align(Align::Justify)
                .after(size * 0.35)
                .color(Rgb(0.2, 0.2, 0.2))
        })
        .collect()
}

/// Splits `text` into spans, `marked` substrings in `hi` style, the rest in `base`.
pub fn emphasis(text: &str, marked: &[String], base: Style, hi: Style) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut rest = text;
    loop {
        let next =
            marked.iter().filter(|m| !m.is_empty()).filter_map(|m| rest.find(m.as_str()).map(|i| (i, m.len()))).min();
        match next {
            Some((i, len)) => {
                if i > 0 {
                    spans.push(Span::new(&rest[..i], base));
                }
                spans.push(Span::new(&rest[i..i + len], hi));
                rest = &rest[i + len..];
            }
            None => {
                if !rest.is_empty() {
                    spans.push(Span::new(rest, base));
                }
                return spans;
            }
        }
    }
}

/// Whether a section is printed (conditional and optional rows).
fn section_shown(doc: &Document, s: &Section) -> bool {
    if s.optional {
        let on = doc.options.get(&s.id).and_then(|v| v.as_bool()).unwrap_or(false) || doc.fields.contains_key(&s.id);
        if !on {
            return false;
        }
    }
    if let Some(cond) = &s.condition {
        if let Some((sec, want)) = cond.split_once('=') {
            let got = match doc.field(sec.trim()) {
                Some(FieldValue::YesNo(v)) => v.answer.map(|a| format!("{a:?}")),
                Some(FieldValue::Enumeration { value, .. }) => value.clone(),
                Some(FieldValue::Text { text }) => Some(text.clone()),
                _ => None,
            };
            return got.as_deref() == Some(want.trim());
        }
    }
    true
}

/// Header furniture of a numbered form and then its sections. `group_heading`: whether a
/// section placed as the group heading (props.group, e.g. the macro area) is printed here; a
/// whole plan prints it once per group.
fn render_form(ctx: &Ctx, lay: &mut Layout, doc: &Document, form: &Form, group_heading: bool) {
    let sz = ctx.sz;
    let show_header = ctx.opt_bool_or("show_scheda_header", true);
    // Headings the form prints from its own fields ("OBIETTIVO N° {n} – {titolo}") replace the
    // form's generic heading and title.
    let placed = form.sections.iter().any(|s| s.props.contains_key("format"));
    if form.role == FormRole::Scheda && show_header {
        if let Some(label) = &form.label {
            lay.para(&Para::text(label.clone(), Style::Regular, sz.body).align(Align::Right).after(2.0));
        }
        if let (Some(r), Some(n)) = (&form.annex_ref, doc.all_n) {
            lay.para(&Para::text(r.replace("{all_n}", &n.to_string()), Style::Regular, sz.body).after(10.0));
        }
        if let Some(h) = form.heading.as_ref().filter(|_| !placed) {
            let n = doc.number.map(|n| n.to_string()).unwrap_or_default();
            lay.para(&Para::text(h.replace("{n}", &n), Style::Bold, sz.heading + 1.5).after(10.0).role("H1"));
        }
    } else if form.role != FormRole::Scheda && form.body.is_empty() && !placed {
        lay.para(&Para::text(form.title.clone(), Style::Bold, sz.heading + 1.5).after(10.0).role("H1"));
    }
    let sections: Vec<&Section> = form.sections.iter().filter(|s| section_shown(doc, s)).collect();
    if form.layout == "two_column" {
        placed_headings(ctx, lay, doc, &sections, group_heading);
        two_column(ctx, lay, doc, form, &sections);
        return;
    }
    for s in sections {
        render_section(ctx, lay, doc, form, s);
    }
}

/// Whether a section is printed above the grid rather than as one of its rows.
fn is_placed_heading(s: &Section) -> bool {
    s.props.get("placement").and_then(|v| v.as_str()) == Some("heading")
}

/// The heading a section prints from its value (props.format with "{n}", "{value}", "{VALUE}"
/// for the value in upper case, "{codes}" for the codes of the ticked items); None when the
/// section has no format or no value.
pub(crate) fn placed_heading(ctx: &Ctx, doc: &Document, s: &Section) -> Option<String> {
    let format = s.props.get("format")?.as_str()?;
    let voc = s.vocabulary.as_deref().and_then(|v| ctx.family.vocabulary(v));
    let (value, codes) = match doc.field(&s.id) {
        Some(FieldValue::Text { text }) => (text.trim().to_string(), String::new()),
        Some(FieldValue::Choice { selected, text }) => {
            let codes: Vec<String> = selected
                .iter()
                .filter(|c| !c.starts_with("custom:"))
                .map(|c| voc.and_then(|v| v.item(c)).and_then(|i| i.code.clone()).unwrap_or_else(|| c.clone()))
                .collect();
            let value = if text.trim().is_empty() {
                let labels: Vec<String> = selected
                    .iter()
                    .map(|c| {
                        voc.and_then(|v| v.item(c))
                            .map(|i| i.label.clone())
                            .unwrap_or_else(|| c.strip_prefix("custom:").unwrap_or(c).to_string())
                    })
                    .collect();
                labels.join(" / ")
            } else {
                text.trim().to_string()
            };
            (value, codes.join(", "))
        }
        _ => (String::new(), String::new()),
    };
    // Without a value the heading still prints when it carries the document's number.
    let numbered = format.contains("{n}") && doc.number.is_some();
    if value.is_empty() && codes.is_empty() && !numbered {
        return None;
    }
    let n = doc.number.map(|n| n.to_string()).unwrap_or_default();
    let out = rules::fill(format, &[("n", n), ("VALUE", value.to_uppercase()), ("value", value), ("codes", codes)]);
    Some(out.trim().trim_end_matches([' ', '\u{2013}', '-', ':']).trim().to_string())
}

/// The sections of a two-column form placed above its grid: formatted headings (the group one
/// only when asked), then rich text such as the premessa. Editor-only fields print nothing.
fn placed_headings(ctx: &Ctx, lay: &mut Layout, doc: &Document, sections: &[&Section], group_heading: bool) {
    let sz = ctx.sz;
    for s in sections.iter().filter(|s| is_placed_heading(s)) {
        let group = s.props.get("group").and_then(|v| v.as_bool()).unwrap_or(false);
        if let Some(h) = placed_heading(ctx, doc, s) {
            if group && !group_heading {
                continue;
            }
            let (size, role) = if group { (sz.heading + 2.0, "H2") } else { (sz.heading + 0.5, "H3") };
            let p = Para::text(h, Style::Bold, size).after(if group { 8.0 } else { 6.0 }).role(role);
            // Never alone at a page foot.
            lay.ensure(lay.height_of(&p) + sz.body * 4.5);
            lay.para(&p);
        } else if !s.props.contains_key("format") && s.kind == crate::template::FieldKind::RichText {
            let text = doc.text(&s.id);
            if !text.trim().is_empty() {
                flow(lay, &richtext::pieces(ctx.fonts, text, &sz, lay.width()));
                lay.space(4.0);
            }
        }
    }
}

fn render_section(ctx: &Ctx, lay: &mut Layout, doc: &Document, form: &Form, s: &Section) {
    let sz = ctx.sz;
    // The scheda title: "Titolo progetto: {TITOLO}" on one line (or the block layout).
    if s.id == "titolo" && form.role == FormRole::Scheda {
        let title = doc.text("titolo");
        lay.bookmark(&section_title(ctx, s), 2);
        lay.anchor(&doc.id, &s.id);
        if ctx.opt_str("title_layout") == "block" {
            lay.para(&Para::text(s.heading.clone(), Style::Bold, sz.heading).after(3.0));
            lay.para(&Para::text(format!("“{title}”"), Style::Regular, sz.body).after(12.0));
        } else {
            lay.para(
                &Para::new(
                    vec![Span::new(format!("{}: ", s.heading), Style::Bold), Span::new(title, Style::Regular)],
                    sz.heading,
                )
                .after(12.0),
            );
        }
        return;
    }
    // A title or caption the office types for the table below ("placement" in the template): the
    // text alone, without the editor's label. In a whole plan the chapter heading is the title.
    match s.props.get("placement").and_then(|v| v.as_str()) {
        Some("heading") => {
            let t = doc.text(&s.id).trim();
            let in_plan = ctx.family.plan.is_some() && ctx.fasc.plan.is_some();
            if !t.is_empty() && !in_plan {
                lay.para(&Para::text(t.to_string(), Style::Bold, sz.heading).after(6.0).role("H2"));
            }
            return;
        }
        Some("caption") => {
            let t = doc.text(&s.id).trim();
            if !t.is_empty() {
                let p = Para::text(t.to_string(), Style::Italic, sz.body).after(4.0).role("Caption");
                lay.ensure(lay.height_of(&p) + 60.0);
                lay.para(&p);
            }
            return;
        }
        _ => {}
    }
    let heading_size = if s.level >= 2 { sz.body + 0.3 } else { sz.heading };
    let heading = Para::text(section_title(ctx, s), Style::Bold, heading_size).after(3.0).role(if s.level >= 2 {
        "H3"
    } else {
        "H2"
    });
    let instr = instruction_paras(ctx, s, sz.instruction);
    let pieces = if is_absent_table(doc, s) && ctx.opt_bool_or("non_compilato", true) {
        // An empty table block reads "non compilato", not as an empty Gantt or a zero budget.
        vec![Piece::Para(Para::text("non compilato", Style::Italic, sz.body).after(4.0).color(GREY_TEXT))]
    } else {
        kinds::render(ctx, doc, s)
    };
    // Keep the heading with its instruction and the start of the content.
    let mut keep = lay.height_of(&heading) + instr.iter().map(|p| lay.height_of(p)).sum::<f32>() + 44.0;
    if let Some(Piece::Para(p)) = pieces.first() {
        keep += lay.height_of(p).min(30.0);
    }
    // No label printed twice: a table whose first header cell repeats the heading ("FONDI")
    // stands without it.
    let repeated = match pieces.first() {
        Some(Piece::Table(t)) => t.header.first().and_then(|r| r.first()).is_some_and(|c| {
            let text: String = c.paras.iter().flat_map(|p| p.spans.iter().map(|sp| sp.text.as_str())).collect();
            text.trim() == section_title(ctx, s).trim()
        }),
        _ => false,
    };
    lay.space(if s.level >= 2 { 6.0 } else { 10.0 });
    lay.ensure(keep);
    lay.bookmark(&section_title(ctx, s), 2);
    lay.anchor(&doc.id, &s.id);
    if !repeated {
        lay.para(&heading);
    }
    for p in &instr {
        lay.para(p);
    }
    if !instr.is_empty() {
        lay.space(3.0);
    }
    flow(lay, &pieces);
}

/// The 2025 forms: a two-column table, label (heading + instruction) | answer. Answers that are
/// themselves tables break out of the grid and run full width under their label row.
fn two_column(ctx: &Ctx, lay: &mut Layout, doc: &Document, _form: &Form, sections: &[&Section]) {
    let sz = ctx.sz;
    let w = lay.width();
    let widths = vec![w * 0.35, w * 0.65];
    let mut grid = Table::new(widths.clone());
    grid.repeat_first_col = true;
    // The grid's header row as the form prints it (props.header = ["DIMENSIONE", "OUTPUT"]), once.
    if let Some(h) = sections.iter().find_map(|s| s.props.get("header").and_then(|v| v.as_array())) {
        let cells: Vec<Cell> = h
            .iter()
            .filter_map(|x| x.as_str())
            .map(|t| Cell::text(t.to_string(), Style::Bold, sz.table + 0.4).fill(HEADER_FILL))
            .collect();
        if cells.len() == widths.len() {
            grid.header.push(cells);
        }
    }
    // The header goes on whichever table comes first: the grid or a label row above a table.
    let mut header = std::mem::take(&mut grid.header);
    // Sections whose label is a row of the grid not yet drawn: their page is known once it is.
    let mut pending: Vec<(usize, &str)> = Vec::new();
    let flush = |lay: &mut Layout, grid: &mut Table, pending: &mut Vec<(usize, &str)>| {
        if !grid.rows.is_empty() {
            lay.table(grid);
            grid.rows.clear();
            grid.header.clear();
            for (row, sec) in pending.drain(..) {
                if let Some(p) = lay.row_pages.get(row).copied() {
                    lay.anchors.push((doc.id.clone(), sec.to_string(), p));
                }
            }
        }
    };
    // Sub-rows (level 2) left empty are not printed: no empty sub-tables, no lone dash.
    let shown = |s: &&&Section| !(is_placed_heading(s) || (s.level >= 2 && rules::is_empty(doc, s)));
    for s in sections.iter().filter(shown) {
        let mut label = vec![Para::text(section_title(ctx, s), Style::Bold, sz.table + 0.4).after(2.0)];
        label.extend(instruction_paras(ctx, s, sz.small).into_iter().map(|p| p.align(Align::Left)));
        let pieces = if s.kind == crate::template::FieldKind::Heading {
            Vec::new()
        } else if is_absent_table(doc, s) && ctx.opt_bool_or("non_compilato", true) {
            vec![Piece::Para(Para::text("non compilato", Style::Italic, sz.table + 0.4).color(GREY_TEXT))]
        } else {
            kinds::render(ctx, doc, s)
        };
        let mut answer: Vec<Para> = Vec::new();
        let mut tables: Vec<Table> = Vec::new();
        for p in pieces {
            match p {
                Piece::Para(mut p) => {
                    p.size = p.size.min(sz.table + 0.7);
                    // Justified lines in a narrow column open wide gaps: align left.
                    if p.align == Align::Justify {
                        p.align = Align::Left;
                    }
                    answer.push(p);
                }
                Piece::Table(t) => tables.push(t),
                Piece::Space(_) | Piece::Keep(_) => {}
            }
        }
        if s.kind == crate::template::FieldKind::Heading {
            flush(lay, &mut grid, &mut pending);
            lay.space(8.0);
            lay.ensure(40.0);
            lay.bookmark(&section_title(ctx, s), 2);
            lay.anchor(&doc.id, &s.id);
            for p in label {
                lay.para(&p);
            }
            continue;
        }
        if answer.is_empty() && !tables.is_empty() {
            // The answer is a table printed under the label: the label spans the grid and is kept
            // on the page of the table's first rows.
            flush(lay, &mut grid, &mut pending);
            let h: f32 = label.iter().map(|p| lay.height_of(p)).sum::<f32>() + 8.0;
            lay.ensure(h + 70.0);
            lay.bookmark(&section_title(ctx, s), 2);
            lay.anchor(&doc.id, &s.id);
            let mut head = Table::new(widths.clone());
            head.header = std::mem::take(&mut header);
            head.rows.push(vec![Cell::new(label).fill(Rgb(0.95, 0.95, 0.95)).span(2)]);
            lay.table(&head);
        } else {
            if grid.rows.is_empty() && grid.header.is_empty() {
                grid.header = std::mem::take(&mut header);
            }
            lay.bookmark(&section_title(ctx, s), 2);
            pending.push((grid.rows.len(), s.id.as_str()));
            grid.rows.push(vec![Cell::new(label).fill(Rgb(0.95, 0.95, 0.95)), Cell::new(answer)]);
        }
        if !tables.is_empty() {
            flush(lay, &mut grid, &mut pending);
            for t in tables {
                lay.space(4.0);
                lay.table(&t);
            }
            lay.space(6.0);
        }
    }
    flush(lay, &mut grid, &mut pending);
}
