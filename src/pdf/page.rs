//! Pages as lists of drawing operations, in points with y measured from the top of the page.

use super::fonts::Style;

/// A4 portrait.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_L: f32 = 62.0;
pub const MARGIN_R: f32 = 56.0;
pub const MARGIN_T: f32 = 54.0;
pub const MARGIN_B: f32 = 58.0;
/// Baseline of the page-number line.
pub const FOOTER_Y: f32 = PAGE_H - 30.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
pub const GREY_TEXT: Rgb = Rgb(0.30, 0.30, 0.30);
pub const RULE: Rgb = Rgb(0.45, 0.45, 0.45);
pub const HEADER_FILL: Rgb = Rgb(0.90, 0.90, 0.90);
pub const BAR_FILL: Rgb = Rgb(0.42, 0.42, 0.42);
pub const OUTSIDE_FILL: Rgb = Rgb(0.96, 0.96, 0.96);
pub const HATCH: Rgb = Rgb(0.72, 0.72, 0.72);
pub const DEADLINE: Rgb = Rgb(0.75, 0.05, 0.05);
pub const WATERMARK: Rgb = Rgb(0.86, 0.86, 0.86);

#[derive(Debug, Clone)]
pub enum Op {
    /// Text at baseline `y`; `tag` is the structure element (1-based index into the layout's
    /// elements), 0 for page furniture (an artifact).
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        color: Rgb,
        text: String,
        tag: u32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
        width: f32,
    },
    /// Diagonal hatching clipped to a rectangle.
    Hatch {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
        step: f32,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub ops: Vec<Op>,
}

/// A structure element of the tagged PDF: a standard role and its parent (0 = the document).
#[derive(Debug, Clone)]
pub struct Elem {
    pub role: &'static str,
    pub parent: u32,
    /// Alternative text (e.g. "X" for a filled Gantt cell, which has no text of its own).
    pub alt: Option<String>,
}

/// An empty signature field (/FT /Sig widget) to be filled by the signer: page index, box in
/// layout coordinates (x, y from the top, width, height; a zero box is an invisible field).
#[derive(Debug, Clone, PartialEq)]
pub struct SigField {
    pub name: String,
    pub page: usize,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}
