//! A small flow layout engine: paragraphs of styled spans (wrapped, optionally justified, with
//! hanging bullets), vertical space, and tables whose cells wrap their text, that never run past
//! the margins and that break across pages with their header rows repeated. It knows the page
//! furniture (letterhead band, footer) only through the top/bottom limits of each new page.

use super::fonts::{Fonts, Style};
use super::page::*;
use super::writer::OutlineEntry;

#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

impl Span {
    pub fn new(text: impl Into<String>, style: Style) -> Span {
        Span { text: text.into(), style }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

/// A paragraph: spans laid out in lines.
#[derive(Debug, Clone)]
pub struct Para {
    pub spans: Vec<Span>,
    pub size: f32,
    pub align: Align,
    /// Left indent of every line.
    pub indent: f32,
    /// Marker printed in the indent of the first line ("•", "1.", "☒"), with its width.
    pub marker: Option<(Span, f32)>,
    pub before: f32,
    pub after: f32,
    pub leading: f32,
    pub color: Rgb,
    /// Structure role in the tagged PDF ("P", "H1", "H2").
    pub role: &'static str,
}

impl Para {
    pub fn new(spans: Vec<Span>, size: f32) -> Para {
        Para {
            spans,
            size,
            align: Align::Left,
            indent: 0.0,
            marker: None,
            before: 0.0,
            after: 0.0,
            leading: 1.32,
            color: BLACK,
            role: "P",
        }
    }
    pub fn role(mut self, r: &'static str) -> Para {
        self.role = r;
        self
    }
    pub fn text(text: impl Into<String>, style: Style, size: f32) -> Para {
        Para::new(vec![Span::new(text, style)], size)
    }
    pub fn align(mut self, a: Align) -> Para {
        self.align = a;
        self
    }
    pub fn after(mut self, a: f32) -> Para {
        self.after = a;
        self
    }
    pub fn before(mut self, b: f32) -> Para {
        self.before = b;
        self
    }
    pub fn indent(mut self, i: f32) -> Para {
        self.indent = i;
        self
    }
    pub fn marker(mut self, m: Span, width: f32) -> Para {
        self.marker = Some((m, width));
        self
    }
    pub fn color(mut self, c: Rgb) -> Para {
        self.color = c;
        self
    }
    pub fn leading(mut self, l: f32) -> Para {
        self.leading = l;
        self
    }
}

/// A laid-out line (or a spacer): items are (dx from the line's left, text, style).
#[derive(Debug, Clone)]
pub struct LineBox {
    pub h: f32,
    /// Baseline offset from the top of the line box.
    pub base: f32,
    pub size: f32,
    pub color: Rgb,
    pub items: Vec<(f32, String, Style)>,
    /// Structure element of the line (0 = artifact).
    pub tag: u32,
}

impl LineBox {
    fn spacer(h: f32) -> LineBox {
        LineBox { h, base: 0.0, size: 0.0, color: BLACK, items: Vec::new(), tag: 0 }
    }
}

/// A word: styled pieces with no space between them.
struct Word {
    pieces: Vec<(String, Style)>,
    w: f32,
    /// Whether a space precedes the word.
    space_before: bool,
    /// Hard line break before the word.
    newline_before: bool,
}

fn words_of(fonts: &Fonts, spans: &[Span], size: f32) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut cur: Option<Word> = None;
    let mut pending_space = false;
    let mut pending_nl = false;
    for sp in spans {
        for ch in sp.text.chars() {
            if ch == '\n' || ch == ' ' || ch == '\t' || ch == '\r' {
                if let Some(w) = cur.take() {
                    out.push(w);
                }
                if ch == '\n' {
                    pending_nl = true;
                    pending_space = false;
                } else if ch != '\r' {
                    pending_space = true;
                }
                continue;
            }
            let gw = fonts.glyph(sp.style, ch).advance * size / 1000.0;
            let w = cur.get_or_insert_with(|| {
                let w = Word { pieces: Vec::new(), w: 0.0, space_before: pending_space, newline_before: pending_nl };
                pending_space = false;
                pending_nl = false;
                w
            });
            match w.pieces.last_mut() {
                Some((t, s)) if *s == sp.style => t.push(ch),
                _ => w.pieces.push((ch.to_string(), sp.style)),
            }
            w.w += gw;
        }
    }
    if let Some(w) = cur.take() {
        out.push(w);
    }
    out
}

/// Splits a word that is wider than `width` into chunks that fit.
fn split_word(fonts: &Fonts, w: Word, size: f32, width: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word { pieces: Vec::new(), w: 0.0, space_before: w.space_before, newline_before: w.newline_before };
    for (text, style) in w.pieces {
        for ch in text.chars() {
            let gw = fonts.glyph(style, ch).advance * size / 1000.0;
            if cur.w + gw > width && !cur.pieces.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Word { pieces: Vec::new(), w: 0.0, space_before: false, newline_before: false },
                ));
            }
            match cur.pieces.last_mut() {
                Some((t, s)) if *s == style => t.push(ch),
                _ => cur.pieces.push((ch.to_string(), style)),
            }
            cur.w += gw;
        }
    }
    if !cur.pieces.is_empty() {
        out.push(cur);
    }
    out
}

/// Lays a paragraph out in lines of at most `width` points.
pub fn lay_para(fonts: &Fonts, p: &Para, width: f32) -> Vec<LineBox> {
    let size = p.size;
    let lh = size * p.leading;
    let base = size * 0.93 + (lh - size * 1.07) / 2.0;
    let avail = (width - p.indent).max(size * 2.0);
    let mut lines: Vec<LineBox> = Vec::new();
    if p.before > 0.0 {
        lines.push(LineBox::spacer(p.before));
    }
    let mut words: Vec<Word> = Vec::new();
    for w in words_of(fonts, &p.spans, size) {
        if w.w > avail {
            words.extend(split_word(fonts, w, size, avail));
        } else {
            words.push(w);
        }
    }
    // Greedy breaking into lines of words.
    let mut rows: Vec<(Vec<Word>, bool)> = Vec::new(); // (words, ends with hard break / last)
    let mut cur: Vec<Word> = Vec::new();
    let mut cur_w = 0.0;
    for w in words {
        let sp = if cur.is_empty() { 0.0 } else { fonts.glyph(w.pieces[0].1, ' ').advance * size / 1000.0 };
        if w.newline_before && !cur.is_empty() {
            rows.push((std::mem::take(&mut cur), true));
            cur_w = 0.0;
        } else if !cur.is_empty() && cur_w + sp + w.w > avail + 0.01 {
            rows.push((std::mem::take(&mut cur), false));
            cur_w = 0.0;
        }
        let sp = if cur.is_empty() { 0.0 } else { sp };
        cur_w += sp + w.w;
        cur.push(w);
    }
    let had_any = !cur.is_empty() || !rows.is_empty();
    if !cur.is_empty() {
        rows.push((cur, true));
    }
    if !had_any {
        // An empty paragraph still takes a line (keeps blank answers visible in tables).
        lines.push(LineBox { h: lh, base, size, color: p.color, items: Vec::new(), tag: 0 });
    }
    let nrows = rows.len();
    for (ri, (row, hard)) in rows.into_iter().enumerate() {
        let space_w = |s: Style| fonts.glyph(s, ' ').advance * size / 1000.0;
        let natural: f32 =
            row.iter().enumerate().map(|(i, w)| w.w + if i > 0 { space_w(w.pieces[0].1) } else { 0.0 }).sum();
        let gaps = row.len().saturating_sub(1) as f32;
        let justify = p.align == Align::Justify && !hard && ri + 1 < nrows && gaps > 0.0;
        let extra = if justify { (avail - natural) / gaps } else { 0.0 };
        let offset = match p.align {
            Align::Center => (avail - natural) / 2.0,
            Align::Right => avail - natural,
            _ => 0.0,
        }
        .max(0.0);
        let mut items: Vec<(f32, String, Style)> = Vec::new();
        if ri == 0 {
            if let Some((m, mw)) = &p.marker {
                // The trailing space keeps marker and text apart in the extracted / tagged text.
                items.push((p.indent - mw, format!("{} ", m.text), m.style));
            }
        }
        let mut x = p.indent + offset;
        let nwords = row.len();
        for (i, w) in row.into_iter().enumerate() {
            let mut w = w;
            // Justified words are placed one by one: a trailing space glyph (invisible, inside the
            // gap) keeps them apart in the text layer, as does one at the end of a wrapped line.
            if (justify && i + 1 < nwords) || (i + 1 == nwords && ri + 1 < nrows) {
                if let Some(last) = w.pieces.last_mut() {
                    last.0.push(' ');
                }
            }
            if i > 0 {
                x += space_w(w.pieces[0].1) + extra;
            }
            let mut px = x;
            for (pi, (t, s)) in w.pieces.into_iter().enumerate() {
                let tw = fonts.width(s, size, &t);
                // Merge with the previous item when contiguous and same style (fewer operators).
                let merge = !justify
                    && matches!(items.last(), Some((_, _, ls)) if *ls == s)
                    && items.len() > usize::from(ri == 0 && p.marker.is_some());
                if merge {
                    let last = items.last_mut().unwrap();
                    if i > 0 && pi == 0 {
                        last.1.push(' ');
                    }
                    last.1.push_str(&t);
                } else {
                    items.push((px, t, s));
                }
                px += tw;
            }
            x += w.w;
        }
        lines.push(LineBox { h: lh, base, size, color: p.color, items, tag: 0 });
    }
    if p.after > 0.0 {
        lines.push(LineBox::spacer(p.after));
    }
    lines
}

/// Draws laid-out lines at (x, y) on a page.
pub fn draw_lines(page: &mut Page, lines: &[LineBox], x: f32, mut y: f32) -> f32 {
    for l in lines {
        for (dx, t, s) in &l.items {
            page.ops.push(Op::Text {
                x: x + dx,
                y: y + l.base,
                size: l.size,
                style: *s,
                color: l.color,
                text: t.clone(),
                tag: l.tag,
            });
        }
        y += l.h;
    }
    y
}

// ------------------------------------------------------------------------------------------ tables

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub paras: Vec<Para>,
    pub fill: Option<Rgb>,
    pub hatch: bool,
    pub span: usize,
    /// Draw a vertical rule at the right edge of this cell in this colour (e.g. the Gantt deadline).
    pub right_rule: Option<Rgb>,
    /// Alternative text of the cell in the tagged structure.
    pub alt: Option<String>,
}

impl Cell {
    pub fn new(paras: Vec<Para>) -> Cell {
        Cell { paras, fill: None, hatch: false, span: 1, right_rule: None, alt: None }
    }
    pub fn text(text: impl Into<String>, style: Style, size: f32) -> Cell {
        Cell::new(vec![Para::text(text, style, size)])
    }
    pub fn empty() -> Cell {
        Cell::new(Vec::new())
    }
    pub fn fill(mut self, c: Rgb) -> Cell {
        self.fill = Some(c);
        self
    }
    pub fn span(mut self, n: usize) -> Cell {
        self.span = n.max(1);
        self
    }
    pub fn align(mut self, a: Align) -> Cell {
        for p in &mut self.paras {
            p.align = a;
        }
        self
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub widths: Vec<f32>,
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
    /// Horizontal / vertical padding inside cells.
    pub pad_x: f32,
    pub pad_y: f32,
    /// On a row split across pages, print the first cell again in full on the next page.
    pub repeat_first_col: bool,
    pub border: Rgb,
    /// Rows that are a "totals" line get a top rule twice as thick.
    pub strong_rows: Vec<usize>,
}

impl Table {
    pub fn new(widths: Vec<f32>) -> Table {
        Table {
            widths,
            header: Vec::new(),
            rows: Vec::new(),
            pad_x: 3.5,
            pad_y: 2.5,
            repeat_first_col: false,
            border: RULE,
            strong_rows: Vec::new(),
        }
    }
}

/// A cell laid out: its lines and its horizontal extent.
struct LaidCell {
    x: f32,
    w: f32,
    lines: Vec<LineBox>,
    fill: Option<Rgb>,
    hatch: bool,
    right_rule: Option<Rgb>,
    alt: Option<String>,
}

struct LaidRow {
    cells: Vec<LaidCell>,
}

impl LaidRow {
    fn content_h(&self, from: &[usize]) -> f32 {
        self.cells.iter().zip(from).map(|(c, f)| c.lines[*f..].iter().map(|l| l.h).sum::<f32>()).fold(0.0, f32::max)
    }
}

// --------------------------------------------------------------------------------------- the flow

/// Where the flow is, and what it has produced so far.
pub struct Layout<'a> {
    pub fonts: &'a Fonts,
    pub pages: Vec<Page>,
    pub y: f32,
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
    pub outline: Vec<OutlineEntry>,
    /// Extra space reserved at the top / bottom of pages for the letterhead: (first page of a
    /// document, other pages).
    pub reserve_top: (f32, f32),
    pub reserve_bottom: (f32, f32),
    /// Index of the first page of each document.
    pub doc_starts: Vec<usize>,
    /// Structure elements of the tagged PDF, in reading order.
    pub elems: Vec<Elem>,
    /// Where each document and section starts: (document id, section id or "", page index).
    pub anchors: Vec<(String, String, usize)>,
    /// The page index where each row of the last table drawn starts.
    pub row_pages: Vec<usize>,
    /// Empty signature fields to write with the pages.
    pub sig_fields: Vec<SigField>,
}

impl<'a> Layout<'a> {
    pub fn new(fonts: &'a Fonts) -> Layout<'a> {
        Layout {
            fonts,
            pages: Vec::new(),
            y: MARGIN_T,
            top: MARGIN_T,
            bottom: PAGE_H - MARGIN_B,
            left: MARGIN_L,
            right: PAGE_W - MARGIN_R,
            outline: Vec::new(),
            reserve_top: (0.0, 0.0),
            reserve_bottom: (0.0, 0.0),
            doc_starts: Vec::new(),
            elems: Vec::new(),
            anchors: Vec::new(),
            row_pages: Vec::new(),
            sig_fields: Vec::new(),
        }
    }

    /// A new structure element; returns its tag.
    pub fn elem(&mut self, role: &'static str, parent: u32) -> u32 {
        self.elems.push(Elem { role, parent, alt: None });
        self.elems.len() as u32
    }

    pub fn width(&self) -> f32 {
        self.right - self.left
    }

    /// Starts a document on a new page.
    pub fn start_document(&mut self) {
        self.doc_starts.push(self.pages.len());
        self.open_page(true);
    }

    fn open_page(&mut self, first: bool) {
        self.pages.push(Page::default());
        let (t, b) = if first {
            (self.reserve_top.0, self.reserve_bottom.0)
        } else {
            (self.reserve_top.1, self.reserve_bottom.1)
        };
        self.top = MARGIN_T + t;
        self.bottom = PAGE_H - MARGIN_B - b;
        self.y = self.top;
    }

    pub fn new_page(&mut self) {
        self.open_page(false);
    }

    pub fn at_top(&self) -> bool {
        self.y <= self.top + 0.5
    }

    /// Makes sure `h` points fit below the cursor, else moves to a new page.
    pub fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() {
            self.start_document();
        }
        if self.y + h > self.bottom && !self.at_top() {
            self.new_page();
        }
    }

    /// An empty signature field of `w`×`h` at the right margin below the cursor (`w` = 0: an
    /// invisible field on the current page). One per document: a second one is ignored.
    pub fn signature_field(&mut self, name: &str, w: f32, h: f32) {
        if self.sig_fields.iter().any(|f| f.name == name) {
            return;
        }
        if w > 0.0 {
            self.ensure(h);
        } else if self.pages.is_empty() {
            self.start_document();
        }
        let (x, y) = if w > 0.0 { (self.right - w, self.y) } else { (0.0, 0.0) };
        self.sig_fields.push(SigField {
            name: name.to_string(),
            page: self.pages.len() - 1,
            x,
            y,
            w,
            h: h * f32::from(u8::from(w > 0.0)),
        });
        if w > 0.0 {
            self.y += h;
        }
    }

    pub fn space(&mut self, h: f32) {
        if !self.at_top() {
            self.y += h;
        }
    }

    /// Records that document `doc` (section `section`, "" for the document) starts on this page.
    pub fn anchor(&mut self, doc: &str, section: &str) {
        if self.pages.is_empty() {
            self.start_document();
        }
        self.anchors.push((doc.to_string(), section.to_string(), self.pages.len() - 1));
    }

    pub fn bookmark(&mut self, title: &str, level: u8) {
        if self.pages.is_empty() {
            self.start_document();
        }
        let page = self.pages.len() - 1;
        self.outline.push(OutlineEntry { title: title.to_string(), level, page, y: self.y });
    }

    /// Lays out a paragraph at the cursor, breaking pages between lines.
    pub fn para(&mut self, p: &Para) {
        let mut lines = lay_para(self.fonts, p, self.width());
        let tag = self.elem(p.role, 0);
        lines.iter_mut().for_each(|l| l.tag = tag);
        // No orphan: a paragraph of several lines does not leave its first line alone at the
        // bottom of a page.
        let text: Vec<f32> = lines.iter().filter(|l| !l.items.is_empty()).map(|l| l.h).collect();
        if text.len() >= 2 && !self.pages.is_empty() && !self.at_top() {
            let before: f32 = lines.iter().take_while(|l| l.items.is_empty()).map(|l| l.h).sum();
            let y1 = self.y + before + text[0];
            if y1 <= self.bottom && y1 + text[1] > self.bottom {
                self.new_page();
            }
        }
        self.lines(&lines, self.left);
    }

    /// Places lines, breaking pages between them. Leading spacers vanish at the top of a page.
    pub fn lines(&mut self, lines: &[LineBox], x: f32) {
        if self.pages.is_empty() {
            self.start_document();
        }
        for l in lines {
            if l.items.is_empty() && l.size == 0.0 {
                if self.at_top() {
                    continue;
                }
                if self.y + l.h > self.bottom {
                    self.new_page();
                    continue;
                }
                self.y += l.h;
                continue;
            }
            if self.y + l.h > self.bottom + 0.01 && !self.at_top() {
                self.new_page();
            }
            let y = self.y;
            draw_lines(self.pages.last_mut().unwrap(), std::slice::from_ref(l), x, y);
            self.y += l.h;
        }
    }

    /// Height of a paragraph at the current width (for keep-together decisions).
    pub fn height_of(&self, p: &Para) -> f32 {
        lay_para(self.fonts, p, self.width()).iter().map(|l| l.h).sum()
    }

    fn lay_row(&self, t: &Table, row: &[Cell], x0: f32) -> LaidRow {
        let mut cells = Vec::new();
        let mut col = 0;
        let mut x = x0;
        for c in row {
            let span = c.span.max(1);
            let w: f32 = t.widths[col.min(t.widths.len())..(col + span).min(t.widths.len())].iter().sum();
            let inner = (w - 2.0 * t.pad_x).max(4.0);
            let mut lines = vec![LineBox::spacer(t.pad_y)];
            for p in &c.paras {
                lines.extend(lay_para(self.fonts, p, inner));
            }
            lines.push(LineBox::spacer(t.pad_y));
            cells.push(LaidCell {
                x,
                w,
                lines,
                fill: c.fill,
                hatch: c.hatch,
                right_rule: c.right_rule,
                alt: c.alt.clone(),
            });
            x += w;
            col += span;
        }
        LaidRow { cells }
    }

    /// Draws the part `from[i]..to[i]` of each cell of a row in a band of height `h` at the cursor.
    fn draw_row_part(&mut self, t: &Table, row: &LaidRow, from: &[usize], to: &[usize], h: f32, strong: bool) {
        let y = self.y;
        let page = self.pages.last_mut().unwrap();
        for (i, c) in row.cells.iter().enumerate() {
            if let Some(f) = c.fill {
                page.ops.push(Op::Rect { x: c.x, y, w: c.w, h, fill: Some(f), stroke: None });
            }
            if c.hatch {
                page.ops.push(Op::Hatch { x: c.x, y, w: c.w, h, color: HATCH, step: 3.0 });
            }
            let mut ly = y;
            let mut lines: Vec<LineBox> = Vec::new();
            if from[i] > 0 {
                lines.push(LineBox::spacer(t.pad_y));
            }
            lines.extend(c.lines[from[i]..to[i]].iter().cloned());
            for l in &lines {
                if !l.items.is_empty() {
                    draw_lines(page, std::slice::from_ref(l), c.x + t.pad_x, ly);
                }
                ly += l.h;
            }
        }
        for c in &row.cells {
            page.ops.push(Op::Rect { x: c.x, y, w: c.w, h, fill: None, stroke: Some((t.border, 0.5)) });
        }
        if strong {
            let x0 = row.cells.first().map(|c| c.x).unwrap_or(self.left);
            let x1 = row.cells.last().map(|c| c.x + c.w).unwrap_or(self.right);
            page.ops.push(Op::Line { x1: x0, y1: y, x2: x1, y2: y, color: BLACK, width: 1.0 });
        }
        for c in &row.cells {
            if let Some(col) = c.right_rule {
                page.ops.push(Op::Line { x1: c.x + c.w, y1: y, x2: c.x + c.w, y2: y + h, color: col, width: 1.6 });
            }
        }
        self.y += h;
    }

    fn draw_header(&mut self, t: &Table, header: &[LaidRow]) {
        for r in header {
            let from = vec![0; r.cells.len()];
            let to: Vec<usize> = r.cells.iter().map(|c| c.lines.len()).collect();
            let h = r.content_h(&from);
            self.draw_row_part(t, r, &from, &to, h, false);
        }
    }

    /// Lays out a table at the cursor. Returns nothing; rows split across pages with the header
    /// repeated.
    pub fn table(&mut self, t: &Table) {
        if self.pages.is_empty() {
            self.start_document();
        }
        // Scale the columns down if they exceed the text width (never past the margin).
        let total: f32 = t.widths.iter().sum();
        let mut t = t.clone();
        if total > self.width() {
            let k = self.width() / total;
            t.widths.iter_mut().for_each(|w| *w *= k);
        }
        let t = &t;
        let x0 = self.left;
        let mut header: Vec<LaidRow> = t.header.iter().map(|r| self.lay_row(t, r, x0)).collect();
        let header_h: f32 = header.iter().map(|r| r.content_h(&vec![0; r.cells.len()])).sum();
        let mut rows: Vec<LaidRow> = t.rows.iter().map(|r| self.lay_row(t, r, x0)).collect();
        // Structure: Table > TR > TH/TD. Header rows repeated after a page break are artifacts.
        let table_tag = self.elem("Table", 0);
        let repeat_header: Vec<LaidRow> = header
            .iter()
            .map(|r| LaidRow {
                cells: r
                    .cells
                    .iter()
                    .map(|c| LaidCell {
                        x: c.x,
                        w: c.w,
                        lines: c.lines.clone(),
                        fill: c.fill,
                        hatch: c.hatch,
                        right_rule: c.right_rule,
                        alt: None,
                    })
                    .collect(),
            })
            .collect();
        for (set, cell_role) in [(&mut header, "TH"), (&mut rows, "TD")] {
            for r in set.iter_mut() {
                let tr = self.elem("TR", table_tag);
                for c in r.cells.iter_mut() {
                    let td = self.elem(cell_role, tr);
                    self.elems[td as usize - 1].alt = c.alt.clone();
                    c.lines.iter_mut().for_each(|l| l.tag = td);
                }
            }
        }
        // Keep the header with at least the first row (or a slice of it).
        let first_h = rows.first().map(|r| r.content_h(&vec![0; r.cells.len()])).unwrap_or(0.0);
        self.row_pages.clear();
        self.ensure(header_h + first_h.min(60.0));
        self.draw_header(t, &header);
        let header = repeat_header;
        for (ri, row) in rows.iter().enumerate() {
            let strong = t.strong_rows.contains(&ri);
            let n = row.cells.len();
            let mut from = vec![0usize; n];
            loop {
                let need = row.content_h(&from) + if from.iter().any(|f| *f > 0) { t.pad_y } else { 0.0 };
                let avail = self.bottom - self.y;
                if need <= avail + 0.01 {
                    let to: Vec<usize> = row.cells.iter().map(|c| c.lines.len()).collect();
                    if from.iter().all(|f| *f == 0) {
                        self.row_pages.push(self.pages.len() - 1);
                    }
                    self.draw_row_part(t, row, &from, &to, need, strong && from.iter().all(|f| *f == 0));
                    break;
                }
                let page_room = self.bottom - self.top - header_h;
                // Move the whole row to the next page when it fits there and little is lost here.
                if need <= page_room && (avail < 72.0 || need <= 140.0) {
                    self.new_page();
                    self.draw_header(t, &header);
                    continue;
                }
                // Split: each cell takes the lines that fit.
                let mut to = from.clone();
                let mut any = false;
                for (i, c) in row.cells.iter().enumerate() {
                    let mut h = if from[i] > 0 { t.pad_y } else { 0.0 };
                    let mut k = from[i];
                    while k < c.lines.len() && h + c.lines[k].h <= avail - t.pad_y {
                        h += c.lines[k].h;
                        k += 1;
                    }
                    // Do not leave a trailing spacer alone.
                    if k > from[i] && c.lines[k - 1].items.is_empty() && k < c.lines.len() {
                        // keep it: harmless
                    }
                    if k > from[i] && c.lines[from[i]..k].iter().any(|l| !l.items.is_empty()) {
                        any = true;
                    }
                    to[i] = k;
                }
                // Do not leave a stub of one or two lines for the next page: keep them together.
                for (i, c) in row.cells.iter().enumerate() {
                    let left = c.lines[to[i]..].iter().filter(|l| !l.items.is_empty()).count();
                    if left > 0 && left <= 2 {
                        let mut k = to[i];
                        let mut pulled = 0;
                        while k > from[i] + 1 && pulled < 3 - left {
                            k -= 1;
                            if !c.lines[k].items.is_empty() {
                                pulled += 1;
                            }
                        }
                        to[i] = k;
                    }
                }
                if !any {
                    if self.at_top() || self.y <= self.top + header_h + 0.5 {
                        // Nothing fits even on a fresh page: force one line per cell.
                        for (i, c) in row.cells.iter().enumerate() {
                            to[i] = (from[i] + 2).min(c.lines.len());
                        }
                    } else {
                        self.new_page();
                        self.draw_header(t, &header);
                        continue;
                    }
                }
                let h = avail;
                if from.iter().all(|f| *f == 0) {
                    self.row_pages.push(self.pages.len() - 1);
                }
                self.draw_row_part(t, row, &from, &to, h, strong && from.iter().all(|f| *f == 0));
                let rest = |i: usize, k: usize| {
                    row.cells[i].lines.get(k..).map(|ls| ls.iter().any(|l| !l.items.is_empty())).unwrap_or(false)
                };
                if !(0..n).any(|i| rest(i, to[i])) {
                    break;
                }
                from = to;
                let first_h: f32 = row.cells[0].lines.iter().map(|l| l.h).sum();
                if t.repeat_first_col && n > 1 && first_h < page_room / 2.0 {
                    from[0] = 0;
                }
                self.new_page();
                self.draw_header(t, &header);
            }
        }
    }
}
