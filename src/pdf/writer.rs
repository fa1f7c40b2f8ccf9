//! The PDF/A-2b file layer: pages of drawing operations in, bytes out. Written with `pdf-writer`
//! (object level, no layout), fonts subset with `subsetter`, streams deflated with `miniz_oxide`.
//! Everything PDF/A-2b asks of a text-and-vector document is here: PDF 1.7 header with binary
//! marker, XMP metadata (pdfaid part 2 / conformance B) matching the Info dictionary, a GTS_PDFA1
//! OutputIntent with the embedded sRGB profile, every font embedded (CIDFontType2, Identity, with
//! ToUnicode), no transparency, no encryption, a trailer /ID derived from the content, and an
//! outline. No clock and no randomness: the same pages and metadata give the same bytes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pdf_writer::types::{CidFontType, FontFlags, OutputIntentSubtype, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use super::fonts::{Fonts, Style};
use super::page::{Elem, Op, Page, Rgb, SigField, PAGE_H, PAGE_W};
use super::PdfError;

static SRGB_ICC: &[u8] = include_bytes!("../../assets/icc/sRGB.icc");

/// Document metadata: the same values go into the Info dictionary and the XMP packet.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: String,
    pub creator: String,
    pub producer: String,
    pub date: NaiveDate,
    pub lang: String,
}

/// A bookmark: level 1 = document, 2 = section.
#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub title: String,
    pub level: u8,
    pub page: usize,
    /// Distance from the top of the page, in points.
    pub y: f32,
}

struct Alloc(i32);
impl Alloc {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Per-face glyph usage: old gid → new gid, and the character each new gid stands for.
struct FaceUse {
    remapper: subsetter::GlyphRemapper,
    chars: BTreeMap<u16, char>,
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

fn rgb_fill(c: &mut Content, col: Rgb) {
    c.set_fill_rgb(col.0, col.1, col.2);
}
fn rgb_stroke(c: &mut Content, col: Rgb) {
    c.set_stroke_rgb(col.0, col.1, col.2);
}

/// Encodes a page's content; returns the stream and, per marked-content id, its element tag.
fn encode_page(page: &Page, fonts: &Fonts, uses: &mut [Option<FaceUse>], elems: &[Elem]) -> (Vec<u8>, Vec<u32>) {
    let mut c = Content::new();
    let mut mcids: Vec<u32> = Vec::new();
    let y = |v: f32| PAGE_H - v;
    // Consecutive operations of the same element share one marked-content sequence.
    let mut open: Option<u32> = None;
    for op in &page.ops {
        // Tagged text is marked content of its element; everything else is an artifact.
        let tag = match op {
            Op::Text { tag, .. } if *tag > 0 && (*tag as usize) <= elems.len() => *tag,
            _ => 0,
        };
        if open != Some(tag) {
            if open.is_some() {
                c.end_marked_content();
            }
            if tag > 0 {
                let role = elems[tag as usize - 1].role;
                c.begin_marked_content_with_properties(Name(role.as_bytes()))
                    .properties()
                    .pair(Name(b"MCID"), mcids.len() as i32);
                mcids.push(tag);
            } else {
                c.begin_marked_content(Name(b"Artifact"));
            }
            open = Some(tag);
        }
        match op {
            Op::Rect { x, y: top, w, h, fill, stroke } => {
                if let Some(f) = fill {
                    rgb_fill(&mut c, *f);
                }
                if let Some((s, lw)) = stroke {
                    rgb_stroke(&mut c, *s);
                    c.set_line_width(*lw);
                }
                c.rect(*x, y(*top + *h), *w, *h);
                match (fill.is_some(), stroke.is_some()) {
                    (true, true) => c.fill_nonzero_and_stroke(),
                    (true, false) => c.fill_nonzero(),
                    (false, true) => c.stroke(),
                    (false, false) => c.end_path(),
                };
            }
            Op::Line { x1, y1, x2, y2, color, width } => {
                rgb_stroke(&mut c, *color);
                c.set_line_width(*width);
                c.move_to(*x1, y(*y1)).line_to(*x2, y(*y2)).stroke();
            }
            Op::Hatch { x, y: top, w, h, color, step } => {
                c.save_state();
                c.rect(*x, y(*top + *h), *w, *h).clip_nonzero().end_path();
                rgb_stroke(&mut c, *color);
                c.set_line_width(0.4);
                let (x0, y0) = (*x, y(*top + *h));
                let mut d = -*h;
                while d < *w {
                    c.move_to(x0 + d, y0).line_to(x0 + d + *h, y0 + *h);
                    d += *step;
                }
                c.stroke();
                c.restore_state();
            }
            Op::Text { x, y: base, size, style, color, text, .. } => {
                encode_text(&mut c, fonts, uses, *x, y(*base), *size, *style, *color, text);
            }
        }
    }
    if open.is_some() {
        c.end_marked_content();
    }
    (c.finish().to_vec(), mcids)
}

#[allow(clippy::too_many_arguments)]
fn encode_text(
    c: &mut Content,
    fonts: &Fonts,
    uses: &mut [Option<FaceUse>],
    x: f32,
    y: f32,
    size: f32,
    style: Style,
    color: Rgb,
    text: &str,
) {
    if text.is_empty() {
        return;
    }
    c.begin_text();
    rgb_fill(c, color);
    let mut cur_face: Option<u8> = None;
    let mut buf: Vec<u8> = Vec::new();
    let mut pen = x;
    let mut run_start = x;
    let flush = |c: &mut Content, face: Option<u8>, buf: &mut Vec<u8>, at: f32| {
        if let Some(f) = face {
            if !buf.is_empty() {
                let name = format!("F{f}");
                c.set_font(Name(name.as_bytes()), size);
                c.set_text_matrix([1.0, 0.0, 0.0, 1.0, at, y]);
                c.show(Str(buf));
                buf.clear();
            }
        }
    };
    for ch in text.chars() {
        if ch.is_control() || super::fonts::is_invisible(ch) {
            continue;
        }
        let g = fonts.glyph(style, ch);
        if cur_face != Some(g.face) {
            flush(c, cur_face, &mut buf, run_start);
            cur_face = Some(g.face);
            run_start = pen;
        }
        let u = uses[g.face as usize]
            .get_or_insert_with(|| FaceUse { remapper: subsetter::GlyphRemapper::new(), chars: BTreeMap::new() });
        let new = u.remapper.remap(g.gid);
        u.chars.entry(new).or_insert(g.ch);
        buf.extend_from_slice(&new.to_be_bytes());
        pen += g.advance * size / 1000.0;
    }
    flush(c, cur_face, &mut buf, run_start);
    c.end_text();
}

fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c if c.is_control() => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

fn xmp(meta: &Meta, doc_id: &str) -> String {
    let d = meta.date.format("%Y-%m-%dT00:00:00Z").to_string();
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{d}</xmp:CreateDate>
   <xmp:ModifyDate>{d}</xmp:ModifyDate>
   <xmp:MetadataDate>{d}</xmp:MetadataDate>
   <xmpMM:DocumentID>uuid:{doc_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{doc_id}</xmpMM:InstanceID>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        title = xml_escape(&meta.title),
        author = xml_escape(&meta.author),
        subject = xml_escape(&meta.subject),
        lang = xml_escape(&meta.lang),
        producer = xml_escape(&meta.producer),
        keywords = xml_escape(&meta.keywords),
        creator = xml_escape(&meta.creator),
    )
}

fn pdf_date(d: NaiveDate) -> Date {
    use chrono::Datelike;
    Date::new(d.year().clamp(0, 9999) as u16)
        .month(d.month() as u8)
        .day(d.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Six upper-case letters derived from the glyph set: the subset tag of the font name.
fn subset_tag(seed: &[u8]) -> String {
    let h = Sha256::digest(seed);
    h.iter().take(6).map(|b| (b'A' + b % 26) as char).collect()
}

/// Serialises the pages into a PDF/A-2b file.
pub fn write(
    pages: &[Page],
    outline: &[OutlineEntry],
    elems: &[Elem],
    fields: &[SigField],
    meta: &Meta,
) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::get()?;
    let mut uses: Vec<Option<FaceUse>> = (0..fonts.faces.len()).map(|_| None).collect();
    let mut page_mcids: Vec<Vec<u32>> = Vec::new();
    let contents: Vec<Vec<u8>> = pages
        .iter()
        .map(|p| {
            let (content, mcids) = encode_page(p, fonts, &mut uses, elems);
            page_mcids.push(mcids);
            deflate(&content)
        })
        .collect();

    let mut hasher = Sha256::new();
    let mut alloc = Alloc(0);
    let catalog_id = alloc.next();
    let pages_id = alloc.next();
    let info_id = alloc.next();
    let meta_id = alloc.next();
    let icc_id = alloc.next();
    let outline_id = alloc.next();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc.next(), alloc.next())).collect();
    let struct_root = alloc.next();
    let doc_elem = alloc.next();
    let elem_ids: Vec<Ref> = elems.iter().map(|_| alloc.next()).collect();
    let parent_arrays: Vec<Ref> = pages.iter().map(|_| alloc.next()).collect();
    // Signature fields: widget and its appearance.
    let field_ids: Vec<(Ref, Ref)> = fields.iter().map(|_| (alloc.next(), alloc.next())).collect();

    let mut pdf = Pdf::with_settings(pdf_writer::Settings { pretty: false });
    pdf.set_version(1, 7);

    // Fonts.
    let mut font_refs: Vec<(usize, Ref)> = Vec::new();
    for (fi, u) in uses.iter().enumerate() {
        let Some(u) = u else { continue };
        let face = &fonts.faces[fi];
        let type0 = alloc.next();
        let cid = alloc.next();
        let desc = alloc.next();
        let file = alloc.next();
        let tounicode = alloc.next();
        font_refs.push((fi, type0));

        let old_gids: Vec<u16> = u.remapper.remapped_gids().collect();
        let mut seed = face.ps_name.as_bytes().to_vec();
        for g in &old_gids {
            seed.extend_from_slice(&g.to_be_bytes());
        }
        let base = format!("{}+{}", subset_tag(&seed), face.ps_name);
        let program = subsetter::subset(face.data, 0, &u.remapper).map_err(|e| PdfError::Font(format!("{e:?}")))?;
        hasher.update(&program);

        pdf.type0_font(type0)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(tounicode);
        let widths: Vec<f32> = old_gids.iter().map(|g| face.advance(*g).round()).collect();
        let mut cf = pdf.cid_font(cid);
        cf.subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 })
            .font_descriptor(desc)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cf.widths().consecutive(0, widths);
        cf.finish();

        let mut flags = if face.symbolic { FontFlags::SYMBOLIC } else { FontFlags::NON_SYMBOLIC };
        if face.italic {
            flags |= FontFlags::ITALIC;
        }
        pdf.font_descriptor(desc)
            .name(Name(base.as_bytes()))
            .family(Str(face.family.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(face.bbox[0], face.bbox[1], face.bbox[2], face.bbox[3]))
            .italic_angle(face.italic_angle)
            .ascent(face.ascender)
            .descent(face.descender)
            .cap_height(face.cap_height)
            .weight(face.weight)
            .stem_v(if face.weight >= 600 { 140.0 } else { 80.0 })
            .font_file2(file);
        let packed = deflate(&program);
        pdf.stream(file, &packed).filter(Filter::FlateDecode).pair(Name(b"Length1"), program.len() as i32);

        let mut cmap = UnicodeCmap::<u16>::new(
            Name(b"Custom"),
            SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 },
        );
        for (g, ch) in &u.chars {
            cmap.pair(*g, *ch);
        }
        let cmap = cmap.finish();
        pdf.cmap(tounicode, &cmap);
    }

    // Pages.
    let mut pg = pdf.pages(pages_id);
    pg.kids(page_ids.iter().map(|(p, _)| *p)).count(pages.len() as i32);
    pg.finish();
    for (pi, ((page_id, content_id), content)) in page_ids.iter().zip(&contents).enumerate() {
        hasher.update(content);
        let mut page = pdf.page(*page_id);
        page.parent(pages_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(*content_id)
            .struct_parents(pi as i32);
        let annots: Vec<Ref> =
            fields.iter().zip(&field_ids).filter(|(f, _)| f.page == pi).map(|(_, (w, _))| *w).collect();
        if !annots.is_empty() {
            page.annotations(annots);
        }
        let mut res = page.resources();
        let mut fd = res.fonts();
        for (fi, r) in &font_refs {
            fd.pair(Name(format!("F{fi}").as_bytes()), *r);
        }
        fd.finish();
        res.finish();
        page.finish();
        pdf.stream(*content_id, content).filter(Filter::FlateDecode);
    }

    write_sig_fields(&mut pdf, fields, &field_ids, &page_ids);

    // Outline: documents (level 1) with their sections (level 2), documents closed.
    let mut tops: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, e) in outline.iter().enumerate() {
        if e.level <= 1 || tops.is_empty() {
            tops.push((i, Vec::new()));
        } else if let Some(last) = tops.last_mut() {
            last.1.push(i);
        }
    }
    let item_ids: Vec<Ref> = outline.iter().map(|_| alloc.next()).collect();
    if !tops.is_empty() {
        let mut o = pdf.outline(outline_id);
        o.first(item_ids[tops[0].0]).last(item_ids[tops.last().unwrap().0]).count(tops.len() as i32);
        o.finish();
        let write_item =
            |pdf: &mut Pdf, idx: usize, parent: Ref, prev: Option<usize>, next: Option<usize>, kids: &[usize]| {
                let e = &outline[idx];
                let mut it = pdf.outline_item(item_ids[idx]);
                it.title(TextStr(&e.title)).parent(parent);
                if let Some(p) = prev {
                    it.prev(item_ids[p]);
                }
                if let Some(n) = next {
                    it.next(item_ids[n]);
                }
                if !kids.is_empty() {
                    it.first(item_ids[kids[0]]).last(item_ids[*kids.last().unwrap()]).count(-(kids.len() as i32));
                }
                let page = page_ids.get(e.page).map(|p| p.0).unwrap_or(page_ids[0].0);
                it.dest().page(page).xyz(0.0, PAGE_H - e.y + 4.0, None);
                it.finish();
            };
        for (ti, (idx, kids)) in tops.iter().enumerate() {
            let prev = ti.checked_sub(1).map(|p| tops[p].0);
            let next = tops.get(ti + 1).map(|t| t.0);
            write_item(&mut pdf, *idx, outline_id, prev, next, kids);
            for (ki, k) in kids.iter().enumerate() {
                let prev = ki.checked_sub(1).map(|p| kids[p]);
                let next = kids.get(ki + 1).copied();
                write_item(&mut pdf, *k, item_ids[*idx], prev, next, &[]);
            }
        }
    }

    // Logical structure: Document > P / H1-H3 / Table > TR > TH / TD, leaves pointing at the
    // marked content of the pages; the ParentTree maps each page's MCIDs back to elements.
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); elems.len() + 1];
    for (i, e) in elems.iter().enumerate() {
        let parent = (e.parent as usize).min(elems.len());
        kids[parent].push(i + 1);
    }
    let mut mcrs: Vec<Vec<(usize, i32)>> = vec![Vec::new(); elems.len() + 1];
    for (pi, m) in page_mcids.iter().enumerate() {
        for (mcid, tag) in m.iter().enumerate() {
            mcrs[*tag as usize].push((pi, mcid as i32));
        }
    }
    let elem_ref = |tag: usize| if tag == 0 { doc_elem } else { elem_ids[tag - 1] };
    {
        let mut d = pdf.struct_element(doc_elem);
        d.kind(pdf_writer::types::StructRole::Document).parent(struct_root);
        let mut ch = d.children();
        for k in &kids[0] {
            ch.struct_element(elem_ref(*k));
        }
    }
    for (i, e) in elems.iter().enumerate() {
        let tag = i + 1;
        let mut el = pdf.struct_element(elem_ids[i]);
        el.custom_kind(Name(e.role.as_bytes())).parent(elem_ref((e.parent as usize).min(elems.len())));
        if let Some(alt) = &e.alt {
            el.alt(TextStr(alt));
        }
        // Content on a single page: /Pg on the element and plain MCIDs (compact); else MCR dicts.
        let one_page = mcrs[tag].first().map(|f| f.0).filter(|p0| mcrs[tag].iter().all(|(p, _)| p == p0));
        if let Some(p0) = one_page {
            el.page(page_ids[p0].0);
        }
        let mut ch = el.children();
        for k in &kids[tag] {
            ch.struct_element(elem_ref(*k));
        }
        for (pi, mcid) in &mcrs[tag] {
            if one_page.is_some() {
                ch.marked_content_id(*mcid);
            } else {
                ch.marked_content_ref().page(page_ids[*pi].0).marked_content_id(*mcid);
            }
        }
    }
    for (pi, m) in page_mcids.iter().enumerate() {
        pdf.indirect(parent_arrays[pi]).array().items(m.iter().map(|t| elem_ref(*t as usize)));
    }
    {
        let mut root = pdf.indirect(struct_root).start::<pdf_writer::writers::StructTreeRoot>();
        root.child(doc_elem);
        let mut tree = root.parent_tree();
        let mut nums = tree.nums();
        for (pi, r) in parent_arrays.iter().enumerate() {
            nums.insert(pi as i32, *r);
        }
        nums.finish();
        tree.finish();
        root.parent_tree_next_key(pages.len() as i32);
    }

    // Identity of the file: a hash of content, fonts and metadata.
    for s in [&meta.title, &meta.author, &meta.subject, &meta.keywords, &meta.creator, &meta.producer] {
        hasher.update(s.as_bytes());
        hasher.update([0]);
    }
    hasher.update(meta.date.to_string().as_bytes());
    let digest = hasher.finalize();
    let id = digest[..16].to_vec();
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let uuid = format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]);

    // Metadata (uncompressed, as PDF/A readers expect to find it), Info, OutputIntent, catalog.
    let xmp = xmp(meta, &uuid);
    pdf.metadata(meta_id, xmp.as_bytes());
    let date = pdf_date(meta.date);
    pdf.document_info(info_id)
        .title(TextStr(&meta.title))
        .author(TextStr(&meta.author))
        .subject(TextStr(&meta.subject))
        .keywords(TextStr(&meta.keywords))
        .creator(TextStr(&meta.creator))
        .producer(TextStr(&meta.producer))
        .creation_date(date)
        .modified_date(date);
    let icc = deflate(SRGB_ICC);
    {
        let mut p = pdf.icc_profile(icc_id, &icc);
        p.n(3).range([0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
        p.filter(Filter::FlateDecode);
    }

    let mut cat = pdf.catalog(catalog_id);
    cat.pages(pages_id).metadata(meta_id).lang(TextStr(&meta.lang));
    cat.pair(Name(b"StructTreeRoot"), struct_root);
    cat.mark_info().marked(true);
    if !fields.is_empty() {
        // No /SigFlags yet: the document holds no signature until the signer fills the field.
        cat.insert(Name(b"AcroForm")).dict().insert(Name(b"Fields")).array().items(field_ids.iter().map(|(w, _)| *w));
    }
    if !tops.is_empty() {
        cat.outlines(outline_id);
        cat.pair(Name(b"PageMode"), Name(b"UseOutlines"));
    }
    {
        let mut intents = cat.output_intents();
        let mut oi = intents.push();
        oi.subtype(OutputIntentSubtype::PDFA)
            .output_condition(TextStr("sRGB"))
            .output_condition_identifier(TextStr("sRGB IEC61966-2.1"))
            .registry_name(TextStr("http://www.color.org"))
            .info(TextStr("sRGB IEC61966-2.1"))
            .dest_output_profile(icc_id);
        oi.finish();
        intents.finish();
    }
    cat.finish();

    pdf.set_file_id((id.clone(), id));
    Ok(pdf.finish())
}

/// Empty signature fields: a merged field/widget, printed (PDF/A), with an appearance showing a
/// thin grey frame where the signature goes (an invisible field has a zero box and an empty
/// appearance).
fn write_sig_fields(pdf: &mut Pdf, fields: &[SigField], ids: &[(Ref, Ref)], page_ids: &[(Ref, Ref)]) {
    for (f, (wid, apid)) in fields.iter().zip(ids) {
        let Some((page_ref, _)) = page_ids.get(f.page) else { continue };
        let rect = if f.w > 0.0 {
            Rect::new(f.x, PAGE_H - f.y - f.h, f.x + f.w, PAGE_H - f.y)
        } else {
            Rect::new(0.0, 0.0, 0.0, 0.0)
        };
        let mut c = Content::new();
        if f.w > 0.0 {
            rgb_stroke(&mut c, Rgb(0.6, 0.6, 0.6));
            c.set_line_width(0.5);
            c.rect(0.25, 0.25, f.w - 0.5, f.h - 0.5);
            c.stroke();
        }
        let content = c.finish();
        let mut x = pdf.form_xobject(*apid, &content);
        x.bbox(Rect::new(0.0, 0.0, f.w.max(0.0), f.h.max(0.0)));
        x.finish();
        let mut d = pdf.indirect(*wid).dict();
        d.pair(Name(b"Type"), Name(b"Annot"));
        d.pair(Name(b"Subtype"), Name(b"Widget"));
        d.pair(Name(b"FT"), Name(b"Sig"));
        d.pair(Name(b"T"), TextStr(&f.name));
        d.pair(Name(b"F"), 4);
        d.pair(Name(b"P"), *page_ref);
        d.pair(Name(b"Rect"), rect);
        d.insert(Name(b"AP")).dict().pair(Name(b"N"), *apid);
        d.finish();
    }
}
