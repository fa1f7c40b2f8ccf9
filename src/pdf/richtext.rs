//! The app's lightweight rich text (see `crate::words`) turned into layout pieces: paragraphs
//! separated by blank lines, "# " / "## " / "### " headings, "- " / "• " bullets, "1. " / "2) "
//! numbered items, "| a | b |" rows drawn as a real table (a "|---|" separator row marks the row
//! above it as the header), and inline `**bold**`, `*italic*`, `***both***` (`\*` = a literal
//! asterisk; an asterisk without its closing partner is printed as typed).

use super::fonts::Style;
use super::layout::{Align, Cell, Para, Span, Table};
use super::page::HEADER_FILL;
use super::{Piece, Sizes};
use crate::pdf::fonts::Fonts;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading inside the text: level 1–3 ("#", "##", "###").
    Heading(u8, String),
    Para(String),
    Bullet(String),
    Numbered(String, String),
    Table {
        header: Option<Vec<String>>,
        rows: Vec<Vec<String>>,
    },
}

fn bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    ["- ", "• ", "* ", "– "].iter().find_map(|m| t.strip_prefix(m))
}

fn numbered(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &t[digits..];
    if rest.starts_with(". ") || rest.starts_with(") ") {
        Some((&t[..digits + 1], &rest[2..]))
    } else {
        None
    }
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_separator(row: &[String]) -> bool {
    !row.is_empty() && row.iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ' | '=')))
}

/// A heading line: "# Titolo" (1 to 3 "#", then a space).
pub fn heading(line: &str) -> Option<(u8, &str)> {
    let t = line.trim_start();
    let n = t.chars().take_while(|c| *c == '#').count();
    if (1..=3).contains(&n) {
        if let Some(rest) = t[n..].strip_prefix(' ') {
            if !rest.trim().is_empty() {
                return Some((n as u8, rest.trim()));
            }
        }
    }
    None
}

/// The blocks of a rich text, headings printed as bold paragraphs (for renderers that place the
/// text in a table cell).
pub fn parse(text: &str) -> Vec<Block> {
    parse_rich(text)
        .into_iter()
        .map(|b| match b {
            Block::Heading(_, t) => Block::Para(t),
            b => b,
        })
        .collect()
}

/// The blocks of a rich text, headings included.
pub fn parse_rich(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let flush_para = |para: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Para(para.join("\n")));
            para.clear();
        }
    };
    let flush_table = |table: &mut Vec<Vec<String>>, header: &mut Option<Vec<String>>, out: &mut Vec<Block>| {
        if !table.is_empty() || header.is_some() {
            out.push(Block::Table { header: header.take(), rows: std::mem::take(table) });
        }
    };
    let mut last_was_item = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            flush_para(&mut para, &mut out);
            last_was_item = false;
            let row = cells(trimmed);
            if is_separator(&row) {
                if header.is_none() && table.len() == 1 {
                    header = table.pop();
                }
                continue;
            }
            table.push(row);
            continue;
        }
        flush_table(&mut table, &mut header, &mut out);
        if trimmed.is_empty() {
            flush_para(&mut para, &mut out);
            last_was_item = false;
            continue;
        }
        if let Some((level, h)) = heading(line) {
            flush_para(&mut para, &mut out);
            out.push(Block::Heading(level, h.to_string()));
            last_was_item = false;
        } else if let Some(item) = bullet(line) {
            flush_para(&mut para, &mut out);
            out.push(Block::Bullet(item.to_string()));
            last_was_item = true;
        } else if let Some((m, item)) = numbered(line) {
            flush_para(&mut para, &mut out);
            out.push(Block::Numbered(m.to_string(), item.to_string()));
            last_was_item = true;
        } else if last_was_item && line.starts_with([' ', '\t']) {
            // Continuation of a list item.
            match out.last_mut() {
                Some(Block::Bullet(t)) | Some(Block::Numbered(_, t)) => {
                    t.push('\n');
                    t.push_str(trimmed);
                }
                _ => para.push(line),
            }
        } else {
            last_was_item = false;
            para.push(line);
        }
    }
    flush_table(&mut table, &mut header, &mut out);
    flush_para(&mut para, &mut out);
    out
}

/// Splits one block of rich text into styled spans over `base`: `**bold**`, `*italic*`,
/// `***both***`, `\*` for a literal asterisk. Unmatched asterisks stay as typed.
pub fn inline(text: &str, base: Style) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    inline_into(text, base, &mut out);
    // Merge neighbours of the same style.
    let mut merged: Vec<Span> = Vec::new();
    for sp in out {
        match merged.last_mut() {
            Some(last) if last.style == sp.style => last.text.push_str(&sp.text),
            _ => merged.push(sp),
        }
    }
    merged
}

fn star_run(b: &[u8], i: usize) -> usize {
    b[i..].iter().take_while(|c| **c == b'*').count()
}

/// Where the closing run of exactly `n` asterisks is, after `from` (preceded by a non-space).
fn closing(text: &str, from: usize, n: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            continue;
        }
        if b[i] == b'*' {
            let run = star_run(b, i);
            let prev_ok = i > from && !text[..i].ends_with(char::is_whitespace);
            if run == n && prev_ok {
                return Some(i);
            }
            i += run;
            continue;
        }
        i += 1;
    }
    None
}

fn inline_into(text: &str, base: Style, out: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut plain = String::new();
    let mut i = 0;
    let mut start = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'*') {
            plain.push_str(&text[start..i]);
            plain.push('*');
            i += 2;
            start = i;
            continue;
        }
        if b[i] == b'*' {
            let n = star_run(b, i);
            let opens = (1..=3).contains(&n) && text[i + n..].chars().next().is_some_and(|c| !c.is_whitespace());
            if opens {
                if let Some(j) = closing(text, i + n, n) {
                    plain.push_str(&text[start..i]);
                    if !plain.is_empty() {
                        out.push(Span::new(std::mem::take(&mut plain), base));
                    }
                    let style = match n {
                        1 => base.italic(),
                        2 => base.bold(),
                        _ => base.bold().italic(),
                    };
                    inline_into(&text[i + n..j], style, out);
                    i = j + n;
                    start = i;
                    continue;
                }
            }
            i += n;
            continue;
        }
        i += 1;
    }
    plain.push_str(&text[start..]);
    if !plain.is_empty() {
        out.push(Span::new(plain, base));
    }
}

/// Heading sizes inside a text, by level.
fn heading_size(sz: &Sizes, level: u8) -> f32 {
    match level {
        1 => sz.body + 2.0,
        2 => sz.body + 1.0,
        _ => sz.body + 0.3,
    }
}

/// Layout pieces for a rich text at `size`, `width` points wide (for tables).
pub fn pieces(fonts: &Fonts, text: &str, sz: &Sizes, width: f32) -> Vec<Piece> {
    let size = sz.body;
    let mut out = Vec::new();
    let blocks = parse_rich(text);
    let kinds: Vec<u8> = blocks
        .iter()
        .map(|b| match b {
            Block::Bullet(_) => 1,
            Block::Numbered(..) => 2,
            Block::Heading(..) => 3,
            _ => 0,
        })
        .collect();
    let height = |p: &Para| super::layout::lay_para(fonts, p, width).iter().map(|l| l.h).sum::<f32>();
    // Numbered items are renumbered from 1 in each list, as a word processor does.
    for (i, b) in blocks.into_iter().enumerate() {
        let next_is_item = matches!(kinds[i], 1 | 2) && kinds.get(i + 1) == Some(&kinds[i]);
        let next_is_list = matches!(kinds.get(i + 1), Some(1 | 2));
        match b {
            Block::Heading(level, t) => {
                let hs = heading_size(sz, level);
                let style = if level >= 3 { Style::BoldItalic } else { Style::Bold };
                let p = Para::new(inline(&t, style), hs)
                    .before(if i == 0 { 0.0 } else { hs * 0.5 })
                    .after(hs * 0.35)
                    .role(match level {
                        1 => "H3",
                        2 => "H4",
                        _ => "H5",
                    });
                // Never alone at the foot of a page: keep it with two lines of what follows.
                out.push(Piece::Keep(height(&p) + size * 3.0));
                out.push(Piece::Para(p));
            }
            Block::Para(t) => {
                let p = Para::new(inline(&t, Style::Regular), size).align(Align::Justify).after(size * 0.55);
                if next_is_list {
                    // An introductory sentence stays with the start of its list.
                    out.push(Piece::Keep(height(&p) + size * 2.8));
                }
                out.push(Piece::Para(p))
            }
            Block::Bullet(t) => {
                let w = size * 1.3;
                out.push(Piece::Para(
                    Para::new(inline(&t, Style::Regular), size)
                        .indent(w + 6.0)
                        .marker(Span::new("•", Style::Regular), w)
                        .align(Align::Justify)
                        .after(if next_is_item { size * 0.2 } else { size * 0.55 }),
                ))
            }
            Block::Numbered(m, t) => {
                let w = fonts.width(Style::Regular, size, "00.").max(fonts.width(Style::Regular, size, &m)) + 4.0;
                out.push(Piece::Para(
                    Para::new(inline(&t, Style::Regular), size)
                        .indent(w + 8.0)
                        .marker(Span::new(m, Style::Regular), w)
                        .align(Align::Justify)
                        .after(if next_is_item { size * 0.2 } else { size * 0.55 }),
                ))
            }
            Block::Table { header, rows } => {
                out.push(Piece::Table(text_table(fonts, header, rows, sz.table, width)));
                out.push(Piece::Space(size * 0.6));
            }
        }
    }
    out
}

/// A table typed in the text: columns sized by their content, within `width`.
pub fn text_table(fonts: &Fonts, header: Option<Vec<String>>, rows: Vec<Vec<String>>, size: f32, width: f32) -> Table {
    let ncol = header.iter().chain(rows.iter()).map(|r| r.len()).max().unwrap_or(1).max(1);
    // Natural widths (whole text) and minimum widths (longest word); the font shrinks until every
    // column can hold its longest word, so words are never cut.
    let measure = |size: f32| {
        let mut natural = vec![20.0f32; ncol];
        let mut min = vec![16.0f32; ncol];
        for r in header.iter().chain(rows.iter()) {
            for (i, c) in r.iter().enumerate() {
                natural[i] = natural[i].max(fonts.width(Style::Regular, size, c) + 8.0);
                let lw = c.split_whitespace().map(|w| fonts.width(Style::Bold, size, w)).fold(0.0, f32::max) + 7.5;
                min[i] = min[i].max(lw);
            }
        }
        (natural, min)
    };
    let mut size = size;
    let (mut natural, mut min) = measure(size);
    while min.iter().sum::<f32>() > width && size > 5.6 {
        size -= 0.3;
        (natural, min) = measure(size);
    }
    let widths = distribute(&natural, &min, width);
    let mut t = Table::new(widths);
    let pad = |mut r: Vec<String>| {
        r.resize(ncol, String::new());
        r
    };
    if let Some(h) = header {
        t.header.push(pad(h).into_iter().map(|c| Cell::text(c, Style::Bold, size).fill(HEADER_FILL)).collect());
    }
    for r in rows {
        t.rows.push(
            pad(r)
                .into_iter()
                .map(|c| {
                    let numeric = !c.is_empty()
                        && c.chars().any(|ch| ch.is_ascii_digit())
                        && c.chars().all(|ch| ch.is_ascii_digit() || " .,€%+-–\u{a0}".contains(ch));
                    Cell::text(c, Style::Regular, size).align(if numeric { Align::Right } else { Align::Left })
                })
                .collect(),
        );
    }
    t
}

/// Column widths: natural widths when they fit, else shares that respect each column's minimum.
pub fn distribute(natural: &[f32], min: &[f32], width: f32) -> Vec<f32> {
    let total: f32 = natural.iter().sum();
    if total <= width {
        // Spread the slack proportionally so the table spans the text width.
        let k = width / total.max(1.0);
        return natural.iter().map(|w| w * k).collect();
    }
    let min_total: f32 = min.iter().sum();
    if min_total >= width {
        return min.iter().map(|m| m * width / min_total).collect();
    }
    // Give each column its minimum, then share the rest in proportion to what it still wants.
    let rest = width - min_total;
    let want: Vec<f32> = natural.iter().zip(min).map(|(n, m)| (n - m).max(0.0)).collect();
    let want_total: f32 = want.iter().sum::<f32>().max(1.0);
    min.iter().zip(&want).map(|(m, w)| m + rest * w / want_total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_conventions() {
        let b = parse(
            "Intro\nsecond line\n\n- uno\n- due\n\n1. primo\n2) secondo\n\n| A | B |\n|---|---|\n| 1 | 2 |\nDopo",
        );
        assert_eq!(b[0], Block::Para("Intro\nsecond line".into()));
        assert_eq!(b[1], Block::Bullet("uno".into()));
        assert_eq!(b[3], Block::Numbered("1.".into(), "primo".into()));
        assert_eq!(b[4], Block::Numbered("2)".into(), "secondo".into()));
        assert_eq!(
            b[5],
            Block::Table { header: Some(vec!["A".into(), "B".into()]), rows: vec![vec!["1".into(), "2".into()]] }
        );
        assert_eq!(b[6], Block::Para("Dopo".into()));
    }

    #[test]
    fn headings_and_intro_before_list() {
        let b = parse_rich("## Obiettivi\nUn triennio con novità:\n- uno\n- due\n#senza spazio");
        assert_eq!(b[0], Block::Heading(2, "Obiettivi".into()));
        assert_eq!(b[1], Block::Para("Un triennio con novità:".into()));
        assert_eq!(b[2], Block::Bullet("uno".into()));
        assert_eq!(b[4], Block::Para("#senza spazio".into()));
        // Table-cell renderers see headings as paragraphs.
        assert_eq!(parse("# T")[0], Block::Para("T".into()));
    }

    fn styles(t: &str) -> Vec<(String, Style)> {
        inline(t, Style::Regular).into_iter().map(|s| (s.text, s.style)).collect()
    }

    #[test]
    fn inline_emphasis() {
        assert_eq!(
            styles("un **forte** e *corsivo* e ***entrambi***"),
            vec![
                ("un ".into(), Style::Regular),
                ("forte".into(), Style::Bold),
                (" e ".into(), Style::Regular),
                ("corsivo".into(), Style::Italic),
                (" e ".into(), Style::Regular),
                ("entrambi".into(), Style::BoldItalic),
            ]
        );
        // Unmatched and spaced asterisks are text; \* is a literal asterisk.
        assert_eq!(styles("L. 112 - Dopo di Noi*"), vec![("L. 112 - Dopo di Noi*".into(), Style::Regular)]);
        assert_eq!(styles("2 * 3 * 4"), vec![("2 * 3 * 4".into(), Style::Regular)]);
        assert_eq!(styles("\\*nota\\*"), vec![("*nota*".into(), Style::Regular)]);
        assert_eq!(
            styles("**grassetto con *corsivo* dentro**"),
            vec![
                ("grassetto con ".into(), Style::Bold),
                ("corsivo".into(), Style::BoldItalic),
                (" dentro".into(), Style::Bold)
            ]
        );
        assert_eq!(crate::words::plain_rich("# Titolo\nun **b** e *i*"), "Titolo\nun b e i");
    }
}
