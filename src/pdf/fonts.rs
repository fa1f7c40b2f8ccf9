//! The embedded fonts and their metrics: Noto Sans in four styles (Latin, Greek, Cyrillic), then,
//! per glyph, Noto Sans Symbols2, Noto Sans Math, Noto Sans Symbols (OFL, see assets/fonts/OFL.txt)
//! and Symbola for monochrome emoji (free, assets/fonts/LICENSE-Symbola.txt); assets/fonts/SUBSET.md
//! says how they were cut. Text is measured glyph by glyph (no shaping: the scripts covered need
//! none). A character no face has is drawn as a visible "□" ([`REPLACEMENT`]) and reported by
//! Verifica through [`unprintable`].

use std::collections::HashMap;
use std::sync::OnceLock;

use super::PdfError;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Italic.ttf");
static BOLD_ITALIC: &[u8] = include_bytes!("../../assets/fonts/NotoSans-BoldItalic.ttf");
static SYMBOLS: &[u8] = include_bytes!("../../assets/fonts/NotoSansSymbols2-Regular.ttf");
static MATH: &[u8] = include_bytes!("../../assets/fonts/NotoSansMath-Regular.ttf");
static SYMBOLS1: &[u8] = include_bytes!("../../assets/fonts/NotoSansSymbols-Regular.ttf");
static EMOJI: &[u8] = include_bytes!("../../assets/fonts/Symbola.ttf");

/// Drawn (and extracted) in place of a character that no embedded face has.
pub const REPLACEMENT: char = '\u{25a1}';

/// Index of the symbols face in [`Fonts::faces`].
pub const SYMBOLS_FACE: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Style {
    #[default]
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    pub fn new(bold: bool, italic: bool) -> Style {
        match (bold, italic) {
            (false, false) => Style::Regular,
            (true, false) => Style::Bold,
            (false, true) => Style::Italic,
            (true, true) => Style::BoldItalic,
        }
    }
    pub fn bold(self) -> Style {
        Style::new(true, self.is_italic())
    }
    pub fn italic(self) -> Style {
        Style::new(self.is_bold(), true)
    }
    pub fn is_bold(self) -> bool {
        matches!(self, Style::Bold | Style::BoldItalic)
    }
    pub fn is_italic(self) -> bool {
        matches!(self, Style::Italic | Style::BoldItalic)
    }
    fn face(self) -> usize {
        self as usize
    }
}

/// One font program with the metrics the PDF font dictionaries need.
pub struct Face {
    pub ps_name: String,
    pub family: String,
    pub data: &'static [u8],
    pub face: ttf_parser::Face<'static>,
    pub units_per_em: f32,
    pub ascender: f32,
    pub descender: f32,
    pub cap_height: f32,
    pub bbox: [f32; 4],
    pub italic_angle: f32,
    pub weight: u16,
    pub italic: bool,
    pub symbolic: bool,
}

impl Face {
    fn load(data: &'static [u8], symbolic: bool) -> Result<Face, PdfError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| PdfError::Font(e.to_string()))?;
        let name = |id: u16| {
            face.names()
                .into_iter()
                .find(|n| n.name_id == id && n.is_unicode())
                .and_then(|n| n.to_string())
                .unwrap_or_default()
        };
        let upem = face.units_per_em() as f32;
        let k = 1000.0 / upem;
        let bb = face.global_bounding_box();
        Ok(Face {
            ps_name: name(ttf_parser::name_id::POST_SCRIPT_NAME).replace(' ', ""),
            family: name(ttf_parser::name_id::FAMILY),
            data,
            units_per_em: upem,
            ascender: face.ascender() as f32 * k,
            descender: face.descender() as f32 * k,
            cap_height: face.capital_height().map(|c| c as f32 * k).unwrap_or(714.0),
            bbox: [bb.x_min as f32 * k, bb.y_min as f32 * k, bb.x_max as f32 * k, bb.y_max as f32 * k],
            italic_angle: face.italic_angle(),
            weight: face.weight().to_number(),
            italic: face.is_italic(),
            symbolic,
            face,
        })
    }

    /// Advance of a glyph in thousandths of an em.
    pub fn advance(&self, gid: u16) -> f32 {
        self.face.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0) as f32 * 1000.0 / self.units_per_em
    }
}

/// A character resolved to a face and glyph.
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    pub face: u8,
    pub gid: u16,
    /// Advance in thousandths of an em.
    pub advance: f32,
    /// The character as it will be extracted (a replacement may be drawn for unsupported ones).
    pub ch: char,
}

pub struct Fonts {
    pub faces: Vec<Face>,
    /// Fast path for Latin characters, per style.
    latin: Vec<[Option<Glyph>; 0x250]>,
    other: std::sync::Mutex<HashMap<(Style, char), Glyph>>,
}

impl Fonts {
    /// The process-wide fonts (parsed once).
    pub fn get() -> Result<&'static Fonts, PdfError> {
        static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::load().map_err(|e| e.to_string())).as_ref().map_err(|e| PdfError::Font(e.clone()))
    }

    fn load() -> Result<Fonts, PdfError> {
        let faces = vec![
            Face::load(REGULAR, false)?,
            Face::load(BOLD, false)?,
            Face::load(ITALIC, false)?,
            Face::load(BOLD_ITALIC, false)?,
            Face::load(SYMBOLS, true)?,
            Face::load(MATH, true)?,
            Face::load(SYMBOLS1, true)?,
            Face::load(EMOJI, true)?,
        ];
        let mut f = Fonts { faces, latin: Vec::new(), other: Default::default() };
        for style in [Style::Regular, Style::Bold, Style::Italic, Style::BoldItalic] {
            let mut table = [None; 0x250];
            for (i, slot) in table.iter_mut().enumerate() {
                if let Some(c) = char::from_u32(i as u32) {
                    *slot = f.lookup(style, c);
                }
            }
            f.latin.push(table);
        }
        Ok(f)
    }

    fn lookup(&self, style: Style, c: char) -> Option<Glyph> {
        let order = [style.face(), SYMBOLS_FACE, Style::Regular.face(), 5, 6, 7];
        for fi in order {
            let face = &self.faces[fi];
            if let Some(g) = face.face.glyph_index(c) {
                if g.0 != 0 {
                    return Some(Glyph { face: fi as u8, gid: g.0, advance: face.advance(g.0), ch: c });
                }
            }
        }
        None
    }

    /// Resolves a character; one that no face has is drawn as [`REPLACEMENT`] (never a silent
    /// "?"), and invisible format characters ([`is_invisible`]) as a zero-width space.
    pub fn glyph(&self, style: Style, c: char) -> Glyph {
        let c = match c {
            '\t' => ' ',
            '\u{2007}' | '\u{202f}' => '\u{a0}',
            c if is_invisible(c) => '\u{200b}',
            _ => c,
        };
        let i = c as usize;
        if i < 0x250 {
            if let Some(g) = self.latin[style.face()][i] {
                return g;
            }
        } else {
            let mut cache = self.other.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(g) = cache.get(&(style, c)) {
                return *g;
            }
            if let Some(g) = self.lookup(style, c) {
                cache.insert((style, c), g);
                return g;
            }
        }
        // Replacement: typographic fallbacks first, then the visible replacement box.
        let alt = match c {
            '\u{2010}' | '\u{2011}' | '\u{2012}' => '-',
            '\u{2714}' | '\u{2611}' => '\u{2612}',
            _ => REPLACEMENT,
        };
        if alt != c {
            if let Some(g) = self.lookup(style, alt) {
                return g;
            }
        }
        // Every face set above has the replacement box; this keeps a glyph even if one did not.
        Glyph { face: style.face() as u8, gid: 0, advance: self.faces[style.face()].advance(0), ch: REPLACEMENT }
    }

    /// Whether some embedded face draws `c` (control and invisible format characters count as printable).
    pub fn has(&self, c: char) -> bool {
        c.is_control()
            || is_invisible(c)
            || matches!(c, '\u{2007}' | '\u{202f}')
            || if (c as usize) < 0x250 {
                self.latin[Style::Regular.face()][c as usize].is_some()
            } else {
                self.lookup(Style::Regular, c).is_some()
            }
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        text.chars().map(|c| self.glyph(style, c).advance).sum::<f32>() * size / 1000.0
    }

    /// Ascent of the text face, in thousandths of an em.
    pub fn ascent(&self) -> f32 {
        self.faces[0].ascender
    }
}

/// Format characters that print nothing (variation selectors, joiners, word joiner, BOM): drawn as
/// nothing and left out of the text layer.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{e0100}'..='\u{e01ef}')
}

/// The characters of `text` that no embedded face can print (each once, in order of appearance).
/// Empty when the fonts cannot be loaded (the export reports that itself).
pub fn unprintable(text: &str) -> Vec<char> {
    let Ok(fonts) = Fonts::get() else { return Vec::new() };
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if !fonts.has(c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}
