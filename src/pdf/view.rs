//! One section as plain text and small tables (the history's differences): drawn by the same
//! renderers as the PDF, so column titles, totals and Gantt bars read as in the printed form and
//! never as stored keys.

use super::fonts::Fonts;
use super::layout::{Cell, Layout, Para};
use super::page::{BAR_FILL, HEADER_FILL, OUTSIDE_FILL};
use super::{kinds, Ctx, PdfError, Piece, SIZES};
use crate::model::{Document, Fascicolo, OfficeProfile};
use crate::template::{Family, Section};
use serde::Serialize;

/// How a cell is drawn in the printed form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CellMark {
    Plain,
    /// A filled Gantt period.
    Bar,
    /// A period outside the project (hatched).
    Outside,
    /// A header or totals cell.
    Strong,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ViewCell {
    pub text: String,
    pub mark: CellMark,
    /// Columns this cell spans.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub span: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ViewBlock {
    Text { text: String },
    Table { header: Vec<Vec<ViewCell>>, rows: Vec<Vec<ViewCell>> },
}

fn para_text(p: &Para) -> String {
    let mut s = String::new();
    if let Some((m, _)) = &p.marker {
        s.push_str(m.text.trim_end());
        s.push(' ');
    }
    for sp in &p.spans {
        s.push_str(&sp.text);
    }
    s
}

fn cell(c: &Cell) -> ViewCell {
    let mark = match c.fill {
        _ if c.hatch => CellMark::Outside,
        Some(f) if f == BAR_FILL => CellMark::Bar,
        Some(f) if f == OUTSIDE_FILL => CellMark::Outside,
        Some(f) if f == HEADER_FILL => CellMark::Strong,
        _ => CellMark::Plain,
    };
    let text = c.paras.iter().map(para_text).collect::<Vec<_>>().join("\n");
    ViewCell { text, mark, span: c.span.max(1) }
}

/// The content of `section` of `doc` as the PDF prints it, in text and tables.
pub fn section_view(
    family: &Family,
    fasc: &Fascicolo,
    profile: &OfficeProfile,
    doc: &Document,
    section: &Section,
) -> Result<Vec<ViewBlock>, PdfError> {
    let fonts = Fonts::get()?;
    let width = Layout::new(fonts).width();
    let ctx = Ctx { family, fasc, profile, fonts, sz: SIZES, width };
    let mut out: Vec<ViewBlock> = Vec::new();
    for piece in kinds::render(&ctx, doc, section) {
        match piece {
            Piece::Para(p) => {
                let t = para_text(&p);
                match out.last_mut() {
                    Some(ViewBlock::Text { text }) => {
                        text.push('\n');
                        text.push_str(&t);
                    }
                    _ => out.push(ViewBlock::Text { text: t }),
                }
            }
            Piece::Table(t) => out.push(ViewBlock::Table {
                header: t.header.iter().map(|r| r.iter().map(cell).collect()).collect(),
                rows: t.rows.iter().map(|r| r.iter().map(cell).collect()).collect(),
            }),
            Piece::Space(_) | Piece::Keep(_) => {}
        }
    }
    Ok(out)
}
