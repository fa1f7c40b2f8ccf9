//! Visible signature appearance: a small box with "Firmato digitalmente da …", the codice
//! fiscale and the time, drawn with the embedded Noto Sans (a simple TrueType font, WinAnsi
//! encoding, widths from the font's own hmtx) and DeviceGray only — nothing PDF/A-2b forbids.

use lopdf::{Dictionary, Object, Stream};

static NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");

/// Italian civil time (CET/CEST, EU rule: summer time from the last Sunday of March to the last
/// Sunday of October, switching at 01:00 UTC), for what users read.
pub fn italian_time(t: &chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::{Datelike, NaiveDate, TimeZone, Utc, Weekday};
    let last_sunday = |year: i32, month: u32| -> Option<chrono::DateTime<Utc>> {
        let first_next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let mut d = first_next.pred_opt()?;
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt()?;
        }
        Some(Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0)?))
    };
    let summer = match (last_sunday(t.year(), 3), last_sunday(t.year(), 10)) {
        (Some(a), Some(b)) => *t >= a && *t < b,
        _ => false,
    };
    let hours = if summer { 2 } else { 1 };
    let offset = chrono::FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| chrono::Offset::fix(&Utc));
    t.with_timezone(&offset)
}

/// Where to draw the visible signature.
#[derive(Clone, Debug, PartialEq)]
pub struct VisibleSignature {
    /// Page number, 1-based.
    pub page: u32,
    /// Rectangle in PDF points: x1, y1, x2, y2 (origin bottom-left).
    pub rect: [f32; 4],
}

impl VisibleSignature {
    /// Parses "PAGE/x1,y1,x2,y2" (pyHanko's notation), e.g. "1/380,50,560,110".
    pub fn parse(s: &str) -> Option<VisibleSignature> {
        let (page, rect) = s.split_once('/')?;
        let page: u32 = page.trim().parse().ok().filter(|p| *p > 0)?;
        let nums: Vec<f32> = rect.split(',').map(|n| n.trim().parse().ok()).collect::<Option<_>>()?;
        if nums.len() != 4 || nums.iter().any(|n| !n.is_finite()) {
            return None;
        }
        let (x1, x2) = (nums[0].min(nums[2]), nums[0].max(nums[2]));
        let (y1, y2) = (nums[1].min(nums[3]), nums[1].max(nums[3]));
        if x2 - x1 < 20.0 || y2 - y1 < 10.0 {
            return None;
        }
        Some(VisibleSignature { page, rect: [x1, y1, x2, y2] })
    }
}

struct Metrics {
    widths: Vec<i64>, // codes 32..=255
    bbox: [i64; 4],
    ascent: i64,
    descent: i64,
    cap_height: i64,
}

fn be16(d: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(o)?, *d.get(o + 1)?]))
}

fn be32(d: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*d.get(o)?, *d.get(o + 1)?, *d.get(o + 2)?, *d.get(o + 3)?]))
}

fn table(d: &[u8], tag: &[u8; 4]) -> Option<usize> {
    let n = be16(d, 4)? as usize;
    (0..n).find_map(|i| {
        let rec = 12 + 16 * i;
        (d.get(rec..rec + 4)? == tag).then(|| be32(d, rec + 8).map(|o| o as usize)).flatten()
    })
}

/// Glyph id of `c` through the (3,1) format-4 cmap.
fn glyph(d: &[u8], cmap: usize, c: u16) -> Option<u16> {
    let n = be16(d, cmap + 2)? as usize;
    let sub = (0..n).find_map(|i| {
        let r = cmap + 4 + 8 * i;
        (be16(d, r)? == 3 && be16(d, r + 2)? == 1).then(|| be32(d, r + 4)).flatten()
    })? as usize
        + cmap;
    if be16(d, sub)? != 4 {
        return None;
    }
    let segx2 = be16(d, sub + 6)? as usize;
    let ends = sub + 14;
    let starts = ends + segx2 + 2;
    let deltas = starts + segx2;
    let ranges = deltas + segx2;
    for i in 0..segx2 / 2 {
        let end = be16(d, ends + 2 * i)?;
        if c > end {
            continue;
        }
        let start = be16(d, starts + 2 * i)?;
        if c < start {
            return None;
        }
        let delta = be16(d, deltas + 2 * i)?;
        let ro = be16(d, ranges + 2 * i)? as usize;
        if ro == 0 {
            return Some(c.wrapping_add(delta));
        }
        let addr = ranges + 2 * i + ro + 2 * (c - start) as usize;
        let g = be16(d, addr)?;
        return Some(if g == 0 { 0 } else { g.wrapping_add(delta) });
    }
    None
}

/// WinAnsiEncoding code → Unicode (0x80–0x9F differ from Latin-1).
fn winansi_char(code: u8) -> Option<char> {
    const HIGH: [u16; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D,
        0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,
        0x017E, 0x0178,
    ];
    match code {
        0x80..=0x9F => char::from_u32(HIGH[(code - 0x80) as usize] as u32).filter(|c| *c != '\0'),
        0x20..=0x7E | 0xA0..=0xFF => Some(code as char),
        _ => None,
    }
}

fn encode(s: &str) -> Vec<u8> {
    s.chars().map(|c| (0x20u8..=0xFF).find(|&b| winansi_char(b) == Some(c)).unwrap_or(b'?')).collect()
}

fn metrics() -> Option<Metrics> {
    let d = NOTO_SANS;
    let head = table(d, b"head")?;
    let hhea = table(d, b"hhea")?;
    let hmtx = table(d, b"hmtx")?;
    let cmap = table(d, b"cmap")?;
    let upem = be16(d, head + 18)? as i64;
    let scale = |v: i64| v * 1000 / upem.max(1);
    let i16at = |o: usize| be16(d, o).map(|v| v as i16 as i64);
    let bbox = [scale(i16at(head + 36)?), scale(i16at(head + 38)?), scale(i16at(head + 40)?), scale(i16at(head + 42)?)];
    let ascent = scale(i16at(hhea + 4)?);
    let descent = scale(i16at(hhea + 6)?);
    let nh = be16(d, hhea + 34)? as usize;
    let cap_height =
        table(d, b"OS/2").and_then(|os2| i16at(os2 + 88)).map(scale).filter(|c| *c > 0).unwrap_or(ascent * 7 / 10);
    let advance = |g: u16| -> i64 {
        let i = (g as usize).min(nh.saturating_sub(1));
        be16(d, hmtx + 4 * i).map(|w| scale(w as i64)).unwrap_or(0)
    };
    let missing = advance(0);
    let widths = (32u16..=255)
        .map(|code| match winansi_char(code as u8).and_then(|c| glyph(d, cmap, c as u16)) {
            Some(g) if g != 0 => advance(g),
            _ => missing,
        })
        .collect();
    Some(Metrics { widths, bbox, ascent, descent, cap_height })
}

fn text_width(m: &Metrics, bytes: &[u8], size: f32) -> f32 {
    bytes.iter().map(|&b| m.widths.get((b as usize).saturating_sub(32)).copied().unwrap_or(500) as f32).sum::<f32>()
        * size
        / 1000.0
}

fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![b'('];
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

fn num(v: f32) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The objects of the appearance: (font file, font descriptor, font, form XObject) built
/// around the ids given; returns the objects to write.
pub(crate) fn build(
    lines: &[String],
    width: f32,
    height: f32,
    ids: [lopdf::ObjectId; 4],
) -> Option<Vec<(lopdf::ObjectId, Object)>> {
    let m = metrics()?;
    let [file_id, desc_id, font_id, form_id] = ids;

    let mut file_dict = Dictionary::new();
    file_dict.set("Length1", Object::Integer(NOTO_SANS.len() as i64));
    let file = Stream::new(file_dict, NOTO_SANS.to_vec());

    let mut desc = Dictionary::new();
    desc.set("Type", Object::Name(b"FontDescriptor".to_vec()));
    desc.set("FontName", Object::Name(b"NotoSans-Regular".to_vec()));
    desc.set("Flags", Object::Integer(32));
    desc.set("FontBBox", Object::Array(m.bbox.iter().map(|v| Object::Integer(*v)).collect()));
    desc.set("ItalicAngle", Object::Integer(0));
    desc.set("Ascent", Object::Integer(m.ascent));
    desc.set("Descent", Object::Integer(m.descent));
    desc.set("CapHeight", Object::Integer(m.cap_height));
    desc.set("StemV", Object::Integer(80));
    desc.set("FontFile2", Object::Reference(file_id));

    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"TrueType".to_vec()));
    font.set("BaseFont", Object::Name(b"NotoSans-Regular".to_vec()));
    font.set("FirstChar", Object::Integer(32));
    font.set("LastChar", Object::Integer(255));
    font.set("Widths", Object::Array(m.widths.iter().map(|w| Object::Integer(*w)).collect()));
    font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    font.set("FontDescriptor", Object::Reference(desc_id));

    // Layout: fit the lines in the box.
    let encoded: Vec<Vec<u8>> = lines.iter().map(|l| encode(l)).collect();
    let pad = 4.0;
    let n = encoded.len().max(1) as f32;
    let mut size: f32 = ((height - 2.0 * pad) / (n * 1.2)).min(10.0);
    for e in &encoded {
        let w = text_width(&m, e, 1.0);
        if w > 0.0 {
            size = size.min((width - 2.0 * pad) / w);
        }
    }
    let size = size.max(3.0);
    let lead = size * 1.2;
    let mut content = Vec::new();
    content.extend_from_slice(
        format!("q 1 g 0.6 w 0 G 0.3 0.3 {} {} re B Q\n", num(width - 0.6), num(height - 0.6)).as_bytes(),
    );
    let top = height - pad - size * m.ascent as f32 / 1000.0;
    content.extend_from_slice(
        format!("BT 0 g /F1 {} Tf {} TL {} {} Td\n", num(size), num(lead), num(pad), num(top)).as_bytes(),
    );
    for (i, e) in encoded.iter().enumerate() {
        if i > 0 {
            content.extend_from_slice(b"T* ");
        }
        content.extend_from_slice(&literal(e));
        content.extend_from_slice(b" Tj\n");
    }
    content.extend_from_slice(b"ET\n");

    let mut form = Dictionary::new();
    form.set("Type", Object::Name(b"XObject".to_vec()));
    form.set("Subtype", Object::Name(b"Form".to_vec()));
    form.set("BBox", Object::Array(vec![0.into(), 0.into(), Object::Real(width), Object::Real(height)]));
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font_id));
    let mut res = Dictionary::new();
    res.set("Font", Object::Dictionary(fonts));
    form.set("Resources", Object::Dictionary(res));
    let form = Stream::new(form, content);

    Some(vec![
        (file_id, Object::Stream(file)),
        (desc_id, Object::Dictionary(desc)),
        (font_id, Object::Dictionary(font)),
        (form_id, Object::Stream(form)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_metrics_and_encoding() {
        let m = metrics().expect("Noto Sans metrics");
        assert_eq!(m.widths.len(), 224);
        let w_a = m.widths[(b'a' - 32) as usize];
        let w_i = m.widths[(b'i' - 32) as usize];
        assert!(w_a > w_i && w_i > 100, "a={w_a} i={w_i}");
        assert_eq!(encode("Niccolò €"), vec![b'N', b'i', b'c', b'c', b'o', b'l', 0xF2, b' ', 0x80]);
        assert_eq!(encode("字"), b"?");
    }

    #[test]
    fn italian_time_follows_summer_time() {
        use chrono::TimeZone;
        let winter = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 0, 11, 0).unwrap();
        assert_eq!(italian_time(&winter).format("%d/%m/%Y %H:%M").to_string(), "25/11/2026 01:11");
        let summer = chrono::Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(italian_time(&summer).format("%H:%M").to_string(), "14:00");
        // 2026: summer time starts 29 March 01:00 UTC
        let before = chrono::Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).unwrap();
        let after = chrono::Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        assert_eq!(italian_time(&before).format("%H:%M").to_string(), "01:59");
        assert_eq!(italian_time(&after).format("%H:%M").to_string(), "03:00");
    }

    #[test]
    fn parse_rect() {
        assert_eq!(VisibleSignature::parse("1/380,50,560,110").unwrap().rect, [380.0, 50.0, 560.0, 110.0]);
        assert_eq!(VisibleSignature::parse("2/560,110,380,50").unwrap().rect, [380.0, 50.0, 560.0, 110.0]);
        assert!(VisibleSignature::parse("0/1,2,3,4").is_none());
        assert!(VisibleSignature::parse("1/1,2,3").is_none());
        assert!(VisibleSignature::parse("x").is_none());
        assert!(VisibleSignature::parse("1/0,0,5,5").is_none());
    }
}
