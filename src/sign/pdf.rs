//! PAdES on PDF: a small incremental-update writer (the original bytes are kept as they are,
//! `/ID` and `/Info` are carried into the new trailer, `/M` is written) and the reader of
//! signature dictionaries used by the verifier.

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::asn1;
use super::cmsx::{self, CmsRequest};
use super::error::SignError;
use super::keys::LoadedKey;

/// Placeholder for `/ByteRange`, patched in place once offsets are known.
const BYTE_RANGE_PLACEHOLDER: &str = "[0 0000000000 0000000000 0000000000]";

/// Options of a PAdES signature.
#[derive(Clone, Debug, Default)]
pub struct PadesOptions {
    /// Motivo della firma (e.g. "Domanda di contributo").
    pub reason: Option<String>,
    /// Luogo (e.g. "Milano").
    pub location: Option<String>,
    pub contact_info: Option<String>,
    /// Name of the new signature field; default "Firma1", "Firma2", …
    pub field_name: Option<String>,
    /// Signing time written in `/M`; default now. Fixed in tests for reproducible output.
    pub time: Option<DateTime<Utc>>,
    /// Visible signature box (e.g. on the letter's signature line); `None` = invisible.
    pub visible: Option<super::appearance::VisibleSignature>,
    /// Time-stamping authority for a signature timestamp (PAdES B-T); `None` = B-B.
    pub timestamp: Option<super::tsa::TimestampAuthority>,
    /// Do not sign into an empty signature field of the document. By default, without
    /// `visible`, the signature goes into the document's empty signature field (e.g. the box on
    /// the letter's signature line) and is drawn there.
    pub ignore_empty_fields: bool,
}

/// An empty signature field whose widget has a box on a page: (field, its dictionary, page, box).
fn empty_signature_field(
    doc: &Document,
    catalog: &Dictionary,
    name: Option<&str>,
) -> Option<(ObjectId, Dictionary, ObjectId, [f32; 4])> {
    let af = catalog.get(b"AcroForm").ok().and_then(|o| deref(doc, o)).and_then(|o| o.as_dict().ok())?;
    let fields = dict_get(doc, af, b"Fields").and_then(|f| f.as_array().ok())?;
    let num = |o: &Object| match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    };
    for f in fields {
        let Ok(fid) = f.as_reference() else { continue };
        let Ok(d) = doc.get_object(fid).and_then(Object::as_dict) else { continue };
        let is_sig = d.get(b"FT").ok().and_then(|o| o.as_name().ok()) == Some(b"Sig".as_slice());
        let widget = d.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) == Some(b"Widget".as_slice());
        if !is_sig || !widget || d.has(b"V") || d.has(b"Kids") {
            continue;
        }
        let t = d.get(b"T").ok().and_then(|o| o.as_str().ok()).map(decode_text);
        if name.is_some_and(|n| t.as_deref() != Some(n)) {
            continue;
        }
        let Some(rect) = dict_get(doc, d, b"Rect").and_then(|r| r.as_array().ok()) else { continue };
        let v: Vec<f32> = rect.iter().filter_map(num).collect();
        if v.len() != 4 {
            continue;
        }
        let r = [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])];
        if r[2] - r[0] < 20.0 || r[3] - r[1] < 10.0 {
            continue; // invisible field: a new field is simpler and as good
        }
        let Ok(page) = d.get(b"P").and_then(Object::as_reference) else { continue };
        return Some((fid, d.clone(), page, r));
    }
    None
}

// ---------------------------------------------------------------- serialisation of objects

fn is_regular(c: u8) -> bool {
    !(c <= b' ' || c >= 0x7f || b"()<>[]{}/%#".contains(&c))
}

fn write_name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &c in n {
        if is_regular(c) {
            out.push(c);
        } else {
            out.extend_from_slice(format!("#{c:02X}").as_bytes());
        }
    }
}

fn write_literal(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'(');
    for &c in s {
        match c {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(c);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(c),
        }
    }
    out.push(b')');
}

fn fmt_real(f: f32) -> String {
    if !f.is_finite() {
        return "0".into();
    }
    // Shortest text that reads back as the same f32 (never exponent notation), so a rewritten
    // dictionary compares equal to the original one in every reader.
    // A whole real keeps its ".0" so it is read back as a real, not an integer.
    let s = format!("{f}");
    let s = if s == "-0" { "0".to_string() } else { s };
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

pub(crate) fn write_object(out: &mut Vec<u8>, o: &Object) {
    match o {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(fmt_real(*r).as_bytes()),
        Object::Name(n) => write_name(out, n),
        Object::String(s, StringFormat::Literal) => write_literal(out, s),
        Object::String(s, StringFormat::Hexadecimal) => {
            out.push(b'<');
            out.extend_from_slice(hex::encode_upper(s).as_bytes());
            out.push(b'>');
        }
        Object::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, x);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => write_dict(out, d),
        Object::Stream(s) => {
            let mut d = s.dict.clone();
            d.set("Length", Object::Integer(s.content.len() as i64));
            write_dict(out, &d);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&s.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((n, g)) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
    }
}

fn write_dict(out: &mut Vec<u8>, d: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (k, v) in d.iter() {
        write_name(out, k);
        out.push(b' ');
        write_object(out, v);
        out.push(b'\n');
    }
    out.extend_from_slice(b">>");
}

/// A PDF text string: PDFDocEncoding-compatible ASCII as a literal, anything else UTF-16BE.
pub(crate) fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut v = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(v, StringFormat::Hexadecimal)
    }
}

/// Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ≈ Latin-1).
pub(crate) fn decode_text(b: &[u8]) -> String {
    if b.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = b[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(&b[3..]).into_owned()
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

pub(crate) fn pdf_date(t: &DateTime<Utc>) -> String {
    t.format("D:%Y%m%d%H%M%S+00'00'").to_string()
}

/// Parses `D:YYYYMMDDHHmmSS[Z|+HH'mm'|-HH'mm']`, missing parts defaulting as ISO 32000 says.
pub(crate) fn parse_pdf_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim().strip_prefix("D:").unwrap_or(s.trim());
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 4 {
        return None;
    }
    let num = |a: usize, b: usize, d: u32| -> u32 { digits.get(a..b).and_then(|x| x.parse().ok()).unwrap_or(d) };
    let year: i32 = digits.get(0..4)?.parse().ok()?;
    let (mo, da, h, mi, se) = (num(4, 6, 1), num(6, 8, 1), num(8, 10, 0), num(10, 12, 0), num(12, 14, 0));
    let naive = chrono::NaiveDate::from_ymd_opt(year, mo, da)?.and_hms_opt(h, mi, se)?;
    let rest = &s[digits.len()..];
    let mut offset_secs: i64 = 0;
    if let Some(sign) = rest.chars().next().filter(|c| *c == '+' || *c == '-') {
        let tz: String = rest[1..].chars().filter(|c| c.is_ascii_digit()).collect();
        let oh: i64 = tz.get(0..2).and_then(|x| x.parse().ok()).unwrap_or(0);
        let om: i64 = tz.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
        offset_secs = (oh * 3600 + om * 60) * if sign == '-' { -1 } else { 1 };
    }
    let utc = naive - chrono::Duration::seconds(offset_secs);
    Some(DateTime::<Utc>::from_naive_utc_and_offset(utc, Utc))
}

// ---------------------------------------------------------------- reading helpers

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).rev().find(|&i| &hay[i..i + needle.len()] == needle)
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut v = Vec::new();
    if needle.len() > hay.len() {
        return v;
    }
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if &hay[i..i + needle.len()] == needle {
            v.push(i);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    v
}

/// Offset given by the last `startxref`.
fn last_startxref(data: &[u8]) -> Option<usize> {
    let p = find_last(data, b"startxref")?;
    let rest = &data[p + 9..];
    let s: String = rest
        .iter()
        .skip_while(|c| c.is_ascii_whitespace())
        .take_while(|c| c.is_ascii_digit())
        .map(|&c| c as char)
        .collect();
    s.parse().ok()
}

fn looks_encrypted(data: &[u8]) -> bool {
    find_last(data, b"/Encrypt").is_some()
}

pub(crate) fn load(data: &[u8]) -> Result<Document, SignError> {
    let head = &data[..data.len().min(1024)];
    if find_last(head, b"%PDF-").is_none() {
        return Err(SignError::InvalidPdf("manca l'intestazione %PDF".into()));
    }
    let doc = match Document::load_mem(data) {
        Ok(d) => d,
        Err(e) => {
            if looks_encrypted(data) {
                return Err(SignError::EncryptedPdf);
            }
            return Err(SignError::InvalidPdf(e.to_string()));
        }
    };
    if doc.trailer.get(b"Encrypt").is_ok() || doc.was_encrypted() {
        return Err(SignError::EncryptedPdf);
    }
    Ok(doc)
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().and_then(|o| deref(doc, o))
}

/// DocMDP permission level of a certified document (1 = no changes allowed), if certified.
pub(crate) fn docmdp_level(doc: &Document) -> Option<i64> {
    let cat = doc.catalog().ok()?;
    let perms = dict_get(doc, cat, b"Perms")?.as_dict().ok()?;
    let sig = dict_get(doc, perms, b"DocMDP")?.as_dict().ok()?;
    let refs = dict_get(doc, sig, b"Reference").and_then(|r| r.as_array().ok());
    if let Some(refs) = refs {
        for r in refs {
            let Some(rd) = deref(doc, r).and_then(|o| o.as_dict().ok()) else {
                continue;
            };
            let is_docmdp =
                dict_get(doc, rd, b"TransformMethod").and_then(|m| m.as_name().ok()) == Some(b"DocMDP".as_slice());
            if is_docmdp {
                let p = dict_get(doc, rd, b"TransformParams")
                    .and_then(|tp| tp.as_dict().ok())
                    .and_then(|tp| dict_get(doc, tp, b"P"))
                    .and_then(|p| p.as_i64().ok());
                return Some(p.unwrap_or(2));
            }
        }
    }
    Some(2)
}

fn collect_field_names(doc: &Document, fields: &[Object], prefix: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    for f in fields {
        let Some(d) = deref(doc, f).and_then(|o| o.as_dict().ok()) else {
            continue;
        };
        let t = d.get(b"T").ok().and_then(|t| t.as_str().ok()).map(decode_text);
        let full = match (&t, prefix.is_empty()) {
            (Some(t), true) => t.clone(),
            (Some(t), false) => format!("{prefix}.{t}"),
            (None, _) => prefix.to_string(),
        };
        out.push(full.clone());
        if let Some(kids) = dict_get(doc, d, b"Kids").and_then(|k| k.as_array().ok()) {
            collect_field_names(doc, kids, &full, out, depth + 1);
        }
    }
}

// ---------------------------------------------------------------- signing

/// Refuses documents that cannot take one more signature.
pub(crate) fn check_signable(doc: &Document) -> Result<(), SignError> {
    if docmdp_level(doc) == Some(1) {
        return Err(SignError::CertifiedPdf);
    }
    if doc.xref_recovery.is_some() {
        // An update chained to a broken cross-reference table would not verify elsewhere.
        return Err(SignError::InvalidPdf(
            "la tabella dei riferimenti interni (xref) è danneggiata: apri il PDF e salvalo di nuovo, poi firmalo"
                .into(),
        ));
    }
    if doc.get_pages().is_empty() {
        return Err(SignError::InvalidPdf("il documento non ha pagine".into()));
    }
    Ok(())
}

/// What the update keeps from the document it is chained to.
struct Base {
    /// Offset of the last cross-reference section (/Prev of the update).
    prev: usize,
    /// The last section is a classic `xref` table (else a cross-reference stream).
    classic_xref: bool,
    root_id: ObjectId,
    info: Option<Object>,
    id: Object,
    old_size: u32,
}

impl Base {
    fn read(doc: &Document, input: &[u8]) -> Result<Base, SignError> {
        let prev = last_startxref(input).ok_or_else(|| SignError::InvalidPdf("startxref mancante".into()))?;
        let classic_xref = input.get(prev..prev + 4) == Some(b"xref".as_slice());
        let root_id = doc
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(|_| SignError::InvalidPdf("manca il catalogo (/Root)".into()))?;
        let info = doc.trailer.get(b"Info").ok().cloned();
        let id = match doc.trailer.get(b"ID").ok().and_then(|o| o.as_array().ok()) {
            Some(a) if a.len() == 2 => Object::Array(a.clone()),
            _ => {
                let h = super::certs::DigestAlg::Sha256.digest_parts(&[input]);
                let s = Object::String(h[..16].to_vec(), StringFormat::Hexadecimal);
                Object::Array(vec![s.clone(), s])
            }
        };
        let old_size = doc.trailer.get(b"Size").and_then(Object::as_i64).unwrap_or(0).max(0) as u32;
        Ok(Base { prev, classic_xref, root_id, info, id, old_size })
    }
}

/// Numbers of the new objects, after the highest one in use.
struct NewIds(u32);

impl NewIds {
    fn next(&mut self) -> ObjectId {
        let n = self.0;
        self.0 += 1;
        (n, 0)
    }
}

/// An empty signature field of the document that the signature fills.
type EmptyField = (ObjectId, Dictionary, ObjectId, [f32; 4]);

/// Where the signature goes: the page of its widget, the empty field it fills (if any) and the
/// visible rectangle (None = invisible).
struct Placement {
    page_id: ObjectId,
    empty_field: Option<EmptyField>,
    visible_box: Option<[f32; 4]>,
}

fn placement(doc: &Document, catalog: &Dictionary, opts: &PadesOptions) -> Result<Placement, SignError> {
    let pages = doc.get_pages();
    let page_no = opts.visible.as_ref().map(|v| v.page).unwrap_or(1);
    let mut page_id = *pages.get(&page_no).ok_or_else(|| {
        if pages.is_empty() {
            SignError::InvalidPdf("il documento non ha pagine".into())
        } else {
            SignError::InvalidPdf(format!("la pagina {page_no} non esiste (il documento ha {} pagine)", pages.len()))
        }
    })?;
    let empty_field = match (&opts.visible, opts.ignore_empty_fields) {
        (None, false) => empty_signature_field(doc, catalog, opts.field_name.as_deref())
            .filter(|(_, _, p, _)| pages.values().any(|v| v == p)),
        _ => None,
    };
    let visible_box = match (&opts.visible, &empty_field) {
        (Some(v), _) => Some(v.rect),
        (None, Some((_, _, p, r))) => {
            page_id = *p;
            Some(*r)
        }
        _ => None,
    };
    Ok(Placement { page_id, empty_field, visible_box })
}

/// A field name not used in the form: the one asked for, else "Firma1", "Firma2"…
fn unique_field_name(doc: &Document, catalog: &Dictionary, wanted: Option<&String>) -> String {
    let mut names = Vec::new();
    let af_existing = catalog.get(b"AcroForm").ok().and_then(|o| deref(doc, o)).and_then(|o| o.as_dict().ok());
    if let Some(af) = af_existing {
        if let Some(fields) = dict_get(doc, af, b"Fields").and_then(|f| f.as_array().ok()) {
            collect_field_names(doc, fields, "", &mut names, 0);
        }
    }
    match wanted {
        Some(n) if !names.contains(n) => n.clone(),
        _ => (1..).map(|i| format!("Firma{i}")).find(|n| !names.contains(n)).unwrap_or_default(),
    }
}

/// The AcroForm gets the new field in /Fields and SigFlags 3 (SignaturesExist | AppendOnly).
fn add_to_acroform(
    doc: &Document,
    af: &mut Dictionary,
    field_id: Option<ObjectId>,
    updates: &mut Vec<(ObjectId, Object)>,
) -> Result<(), SignError> {
    if let Some(field_id) = field_id {
        match af.get(b"Fields").ok().cloned() {
            Some(Object::Reference(fid)) => {
                let mut arr = doc
                    .get_object(fid)
                    .and_then(Object::as_array)
                    .map_err(|_| SignError::InvalidPdf("elenco dei campi (/Fields) illeggibile".into()))?
                    .clone();
                arr.push(Object::Reference(field_id));
                updates.push((fid, Object::Array(arr)));
            }
            Some(Object::Array(mut arr)) => {
                arr.push(Object::Reference(field_id));
                af.set("Fields", Object::Array(arr));
            }
            _ => af.set("Fields", Object::Array(vec![Object::Reference(field_id)])),
        }
    }
    let flags = af.get(b"SigFlags").and_then(Object::as_i64).unwrap_or(0);
    af.set("SigFlags", Object::Integer(flags | 3));
    Ok(())
}

/// Updates the AcroForm (in the catalog or its own object); `new_field` is None when the
/// signature fills a field the form has already.
fn update_acroform(
    doc: &Document,
    mut catalog: Dictionary,
    root_id: ObjectId,
    new_field: Option<ObjectId>,
    updates: &mut Vec<(ObjectId, Object)>,
) -> Result<(), SignError> {
    match catalog.get(b"AcroForm").ok().cloned() {
        Some(Object::Reference(af_id)) => {
            let mut af = doc
                .get_object(af_id)
                .and_then(Object::as_dict)
                .map_err(|_| SignError::InvalidPdf("modulo (/AcroForm) illeggibile".into()))?
                .clone();
            add_to_acroform(doc, &mut af, new_field, updates)?;
            updates.push((af_id, Object::Dictionary(af)));
        }
        Some(Object::Dictionary(mut af)) => {
            add_to_acroform(doc, &mut af, new_field, updates)?;
            catalog.set("AcroForm", Object::Dictionary(af));
            updates.push((root_id, Object::Dictionary(catalog)));
        }
        _ => {
            let mut af = Dictionary::new();
            add_to_acroform(doc, &mut af, new_field, updates)?;
            catalog.set("AcroForm", Object::Dictionary(af));
            updates.push((root_id, Object::Dictionary(catalog)));
        }
    }
    Ok(())
}

/// The page gets the new widget in /Annots (an existing field's widget is there already).
fn add_widget_to_page(
    doc: &Document,
    page_id: ObjectId,
    field_id: ObjectId,
    updates: &mut Vec<(ObjectId, Object)>,
) -> Result<(), SignError> {
    let mut page = doc
        .get_object(page_id)
        .and_then(Object::as_dict)
        .map_err(|_| SignError::InvalidPdf("pagina illeggibile".into()))?
        .clone();
    match page.get(b"Annots").ok().cloned() {
        Some(Object::Reference(aid)) => {
            let mut arr = doc.get_object(aid).and_then(Object::as_array).cloned().unwrap_or_default();
            arr.push(Object::Reference(field_id));
            updates.push((aid, Object::Array(arr)));
        }
        Some(Object::Array(mut arr)) => {
            arr.push(Object::Reference(field_id));
            page.set("Annots", Object::Array(arr));
            updates.push((page_id, Object::Dictionary(page)));
        }
        _ => {
            page.set("Annots", Object::Array(vec![Object::Reference(field_id)]));
            updates.push((page_id, Object::Dictionary(page)));
        }
    }
    Ok(())
}

/// The field + widget (merged) pointing at the signature `sig_id`, with its appearance objects
/// when visible (four new objects); invisible: zero rectangle. Print + Locked (PDF/A friendly).
fn signature_widget(
    place: &Placement,
    field_name: &str,
    sig_id: ObjectId,
    key: &LoadedKey,
    time: &DateTime<Utc>,
    ids: &mut NewIds,
) -> Result<(Dictionary, Vec<(ObjectId, Object)>), SignError> {
    let new_field = place.empty_field.is_none();
    let mut field = match &place.empty_field {
        Some((_, d, _, _)) => {
            let mut d = d.clone();
            let f = d.get(b"F").and_then(Object::as_i64).unwrap_or(0);
            d.set("F", Object::Integer((f | 4) & !2)); // printed, not hidden
            d
        }
        None => {
            let mut field = Dictionary::new();
            field.set("Type", Object::Name(b"Annot".to_vec()));
            field.set("Subtype", Object::Name(b"Widget".to_vec()));
            field.set("FT", Object::Name(b"Sig".to_vec()));
            field.set("T", text_string(field_name));
            field.set("F", Object::Integer(132));
            field.set("P", Object::Reference(place.page_id));
            field
        }
    };
    field.set("V", Object::Reference(sig_id));
    let Some(rect) = place.visible_box else {
        let zero = Object::Array(vec![Object::Integer(0), Object::Integer(0), Object::Integer(0), Object::Integer(0)]);
        field.set("Rect", zero);
        return Ok((field, Vec::new()));
    };
    let [x1, y1, x2, y2] = rect;
    if new_field {
        field.set("Rect", Object::Array(rect.iter().map(|n| Object::Real(*n)).collect()));
    }
    let who = key.certificate();
    let mut lines = vec!["Firmato digitalmente da".to_string(), who.display_name()];
    if let Some(cf) = &who.codice_fiscale {
        lines.push(format!("CF {cf}"));
    }
    let local = super::appearance::italian_time(time);
    lines.push(format!("il {} alle {}", local.format("%d/%m/%Y"), local.format("%H:%M")));
    let ap_ids = [ids.next(), ids.next(), ids.next(), ids.next()];
    let objects = super::appearance::build(&lines, x2 - x1, y2 - y1, ap_ids)
        .ok_or_else(|| SignError::Internal("carattere per la firma visibile illeggibile".into()))?;
    let mut ap = Dictionary::new();
    ap.set("N", Object::Reference(ap_ids[3]));
    field.set("AP", Object::Dictionary(ap));
    Ok((field, objects))
}

/// The incremental update being written after the input bytes, with the offset of each object.
struct Update {
    out: Vec<u8>,
    offsets: Vec<(u32, u16, usize)>,
}

/// Where the placeholders of the signature dictionary are in the update.
struct Placeholders {
    byte_range: usize,
    /// Offset of `<` and just after `>` of /Contents.
    contents: (usize, usize),
    /// Bytes reserved for the CMS (twice as many hex digits).
    reserve: usize,
}

impl Update {
    fn new(input: &[u8]) -> Update {
        let mut out = input.to_vec();
        if !matches!(out.last(), Some(b'\n') | Some(b'\r')) {
            out.push(b'\n');
        }
        Update { out, offsets: Vec::new() }
    }

    fn object(&mut self, id: ObjectId, o: &Object) {
        self.offsets.push((id.0, id.1, self.out.len()));
        self.out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
        write_object(&mut self.out, o);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// The signature dictionary, written by hand to know where the placeholders are.
    fn signature_dict(
        &mut self,
        sig_id: ObjectId,
        key: &LoadedKey,
        opts: &PadesOptions,
        time: &DateTime<Utc>,
        reserve: usize,
    ) -> Placeholders {
        let out = &mut self.out;
        self.offsets.push((sig_id.0, sig_id.1, out.len()));
        out.extend_from_slice(format!("{} {} obj\n", sig_id.0, sig_id.1).as_bytes());
        out.extend_from_slice(b"<</Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n/ByteRange ");
        let byte_range = out.len();
        out.extend_from_slice(BYTE_RANGE_PLACEHOLDER.as_bytes());
        out.extend_from_slice(b"\n/Contents ");
        let contents_pos = out.len();
        out.push(b'<');
        out.resize(out.len() + reserve * 2, b'0');
        out.push(b'>');
        let contents_end = out.len();
        out.extend_from_slice(b"\n/M ");
        write_object(out, &Object::String(pdf_date(time).into_bytes(), StringFormat::Literal));
        let signer_name = key.certificate().display_name();
        out.extend_from_slice(b"\n/Name ");
        write_object(out, &text_string(&signer_name));
        for (k, v) in [("Reason", &opts.reason), ("Location", &opts.location), ("ContactInfo", &opts.contact_info)] {
            if let Some(v) = v {
                out.extend_from_slice(format!("\n/{k} ").as_bytes());
                write_object(out, &text_string(v));
            }
        }
        out.extend_from_slice(b"\n>>\nendobj\n");
        Placeholders { byte_range, contents: (contents_pos, contents_end), reserve }
    }

    /// Runs of consecutive object numbers in `offsets` (sorted): (first index, count).
    fn runs(&self) -> Vec<(usize, usize)> {
        let o = &self.offsets;
        let mut runs = Vec::new();
        let mut i = 0;
        while i < o.len() {
            let mut j = i + 1;
            while j < o.len() && o[j].0 == o[j - 1].0 + 1 {
                j += 1;
            }
            runs.push((i, j - i));
            i = j;
        }
        runs
    }

    /// Classic `xref` table and trailer.
    fn xref_table(&mut self, mut trailer: Dictionary, old_size: u32) {
        let size = old_size.max(self.offsets.iter().map(|o| o.0 + 1).max().unwrap_or(0));
        trailer.set("Size", Object::Integer(size as i64));
        self.offsets.sort();
        let xref_pos = self.out.len();
        self.out.extend_from_slice(b"xref\n");
        for (i, n) in self.runs() {
            self.out.extend_from_slice(format!("{} {}\n", self.offsets[i].0, n).as_bytes());
            for (_, g, off) in &self.offsets[i..i + n] {
                self.out.extend_from_slice(format!("{off:010} {g:05} n\r\n").as_bytes());
            }
        }
        self.out.extend_from_slice(b"trailer\n");
        write_dict(&mut self.out, &trailer);
        self.out.extend_from_slice(format!("\nstartxref\n{xref_pos}\n%%EOF\n").as_bytes());
    }

    /// Cross-reference stream (object `xref_id`) carrying the trailer.
    fn xref_stream(&mut self, mut trailer: Dictionary, old_size: u32, xref_id: ObjectId) {
        let xref_pos = self.out.len();
        self.offsets.push((xref_id.0, xref_id.1, xref_pos));
        self.offsets.sort();
        let size = old_size.max(self.offsets.iter().map(|o| o.0 + 1).max().unwrap_or(0));
        let w = if xref_pos + 4096 < u32::MAX as usize { 4 } else { 8 };
        let mut index = Vec::new();
        let mut rows = Vec::new();
        for (i, n) in self.runs() {
            index.push(Object::Integer(self.offsets[i].0 as i64));
            index.push(Object::Integer(n as i64));
            for (_, g, off) in &self.offsets[i..i + n] {
                rows.push(1u8);
                rows.extend_from_slice(&(*off as u64).to_be_bytes()[8 - w..]);
                rows.extend_from_slice(&g.to_be_bytes());
            }
        }
        trailer.set("Type", Object::Name(b"XRef".to_vec()));
        trailer.set("Size", Object::Integer(size as i64));
        trailer.set("Index", Object::Array(index));
        trailer.set("W", Object::Array(vec![Object::Integer(1), Object::Integer(w as i64), Object::Integer(2)]));
        trailer.set("Length", Object::Integer(rows.len() as i64));
        let out = &mut self.out;
        out.extend_from_slice(format!("{} {} obj\n", xref_id.0, xref_id.1).as_bytes());
        write_dict(out, &trailer);
        out.extend_from_slice(b"\nstream\r\n");
        out.extend_from_slice(&rows);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        out.extend_from_slice(format!("startxref\n{xref_pos}\n%%EOF\n").as_bytes());
    }

    /// Fills /ByteRange, digests the file around /Contents and writes the CMS there.
    fn seal(
        mut self,
        at: &Placeholders,
        key: &LoadedKey,
        timestamp: Option<&super::TimestampAuthority>,
    ) -> Result<Vec<u8>, SignError> {
        let out = &mut self.out;
        let (a, b) = at.contents;
        let c = out.len() - b;
        let br = format!("[0 {a} {b} {c}]");
        if br.len() > BYTE_RANGE_PLACEHOLDER.len() {
            return Err(SignError::Internal("file troppo grande per /ByteRange".into()));
        }
        let padded = format!("{br:<width$}", width = BYTE_RANGE_PLACEHOLDER.len());
        out[at.byte_range..at.byte_range + padded.len()].copy_from_slice(padded.as_bytes());

        let digest = super::certs::DigestAlg::Sha256.digest_parts(&[&out[..a], &out[b..]]);
        let mut md = [0u8; 32];
        md.copy_from_slice(&digest);
        let req = CmsRequest { message_digest: md, econtent: None, signing_time: None, timestamp };
        let cms_der = cmsx::build(key, &req, false)?;
        let hex = hex::encode_upper(&cms_der);
        if hex.len() > at.reserve * 2 {
            return Err(SignError::Internal("spazio riservato alla firma insufficiente".into()));
        }
        out[a + 1..a + 1 + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(self.out)
    }
}

/// Signs `input` as PAdES B-B with an incremental update.
pub(crate) fn sign(input: &[u8], key: &LoadedKey, opts: &PadesOptions) -> Result<Vec<u8>, SignError> {
    let doc = load(input)?;
    check_signable(&doc)?;
    let base = Base::read(&doc, input)?;
    let mut ids = NewIds(base.old_size.max(doc.max_id + 1));
    let catalog = doc
        .get_object(base.root_id)
        .and_then(Object::as_dict)
        .map_err(|_| SignError::InvalidPdf("catalogo illeggibile".into()))?
        .clone();
    let place = placement(&doc, &catalog, opts)?;
    let sig_id = ids.next();
    let (field_id, new_field) = match &place.empty_field {
        Some((id, ..)) => (*id, None),
        None => {
            let id = ids.next();
            (id, Some(id))
        }
    };
    // A filled field keeps its own name.
    let field_name = match new_field {
        Some(_) => unique_field_name(&doc, &catalog, opts.field_name.as_ref()),
        None => String::new(),
    };
    let mut updates: Vec<(ObjectId, Object)> = Vec::new();
    update_acroform(&doc, catalog, base.root_id, new_field, &mut updates)?;
    if new_field.is_some() {
        add_widget_to_page(&doc, place.page_id, field_id, &mut updates)?;
    }
    let time = opts.time.unwrap_or_else(Utc::now);
    let (field, appearance_objects) = signature_widget(&place, &field_name, sig_id, key, &time, &mut ids)?;

    // Size of /Contents: exact CMS size with a maximal dummy signature, plus slack.
    // A signature timestamp (token with the TSA's certificates) gets a generous 16 KB more.
    let dummy_req = CmsRequest { message_digest: [0u8; 32], econtent: None, signing_time: None, timestamp: None };
    let ts_room = if opts.timestamp.is_some() { 16 * 1024 } else { 0 };
    let reserve = cmsx::build(key, &dummy_req, true)?.len() + 64 + ts_room;

    let mut update = Update::new(input);
    let at = update.signature_dict(sig_id, key, opts, &time, reserve);
    update.object(field_id, &Object::Dictionary(field));
    for (id, o) in appearance_objects.iter().chain(&updates) {
        update.object(*id, o);
    }
    let mut trailer = Dictionary::new();
    trailer.set("Root", Object::Reference(base.root_id));
    if let Some(i) = base.info {
        trailer.set("Info", i);
    }
    trailer.set("ID", base.id);
    trailer.set("Prev", Object::Integer(base.prev as i64));
    if base.classic_xref {
        update.xref_table(trailer, base.old_size);
    } else {
        update.xref_stream(trailer, base.old_size, ids.next());
    }
    update.seal(&at, key, opts.timestamp.as_ref())
}

// ---------------------------------------------------------------- reading signatures

/// One signature found in a PDF.
#[derive(Debug, Clone)]
pub(crate) struct PdfSignature {
    pub byte_range: [usize; 4],
    /// Decoded /Contents (DER plus zero padding).
    pub contents: Vec<u8>,
    pub field_name: Option<String>,
    pub sub_filter: Option<String>,
    pub m_time: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub location: Option<String>,
    pub is_doc_timestamp: bool,
    /// The signature dictionary, when the document structure is readable.
    pub dict_id: Option<ObjectId>,
    /// Why this signature cannot be checked (bad /ByteRange, unreadable /Contents, ...).
    pub damage: Option<String>,
}

impl PdfSignature {
    pub fn signed_end(&self) -> usize {
        self.byte_range[2].saturating_add(self.byte_range[3])
    }

    fn empty(byte_range: [usize; 4], damage: Option<String>) -> PdfSignature {
        PdfSignature {
            byte_range,
            contents: Vec::new(),
            field_name: None,
            sub_filter: None,
            m_time: None,
            reason: None,
            location: None,
            is_doc_timestamp: false,
            dict_id: None,
            damage,
        }
    }
}

/// The numbers of a `/ByteRange [...]` at `at`, whatever they are.
fn parse_byte_range_raw(data: &[u8], at: usize) -> Option<Vec<i64>> {
    let rest = data.get(at + b"/ByteRange".len()..)?;
    let rest = &rest[..rest.len().min(200)];
    let open = rest.iter().position(|&c| c == b'[')?;
    if rest[..open].iter().any(|c| !c.is_ascii_whitespace()) {
        return None;
    }
    let close = rest.iter().position(|&c| c == b']')?;
    let inner = std::str::from_utf8(&rest[open + 1..close]).ok()?;
    inner.split_ascii_whitespace().map(|n| n.parse().ok()).collect()
}

/// Checks a byte range against the file: four numbers, starting at 0, a hole holding exactly
/// the hex /Contents, inside the file.
fn check_byte_range(data: &[u8], nums: &[i64]) -> Result<([usize; 4], Vec<u8>), String> {
    if nums.len() != 4 || nums.iter().any(|n| *n < 0) {
        return Err("/ByteRange non ha quattro numeri non negativi".into());
    }
    let [z, a, b, c] = [nums[0] as usize, nums[1] as usize, nums[2] as usize, nums[3] as usize];
    if z != 0 {
        return Err("/ByteRange non parte dall'inizio del file".into());
    }
    if a >= b || b < 2 || b.checked_add(c).is_none_or(|e| e > data.len()) {
        return Err("/ByteRange esce dal file o è incoerente".into());
    }
    if data[a] != b'<' || data[b - 1] != b'>' {
        return Err("/ByteRange non lascia fuori esattamente il valore /Contents".into());
    }
    let contents = asn1::hex_decode_lenient(&data[a + 1..b - 1])
        .ok_or_else(|| "il valore /Contents non è esadecimale".to_string())?;
    Ok(([z, a, b, c], contents))
}

/// Finds every signature by its /ByteRange in the raw bytes (robust even when the structure is
/// damaged), then enriches it from the parsed document when that is readable. Signatures whose
/// byte range is unusable are kept, with `damage` set.
pub(crate) fn find_signatures(data: &[u8]) -> Result<(Vec<PdfSignature>, Option<Document>), SignError> {
    let head = &data[..data.len().min(1024)];
    if find_last(head, b"%PDF-").is_none() {
        return Err(SignError::InvalidPdf("manca l'intestazione %PDF".into()));
    }
    let mut sigs = byte_range_signatures(data);
    sigs.sort_by_key(|s| s.signed_end());
    let doc = Document::load_mem(data).ok();
    if let Some(doc) = &doc {
        let field_of = signature_fields(doc);
        let mut sig_dicts: Vec<ObjectId> = field_of.iter().map(|(v, _)| *v).collect();
        for (id, obj) in doc.objects.iter() {
            let Ok(d) = obj.as_dict() else { continue };
            if d.has(b"ByteRange") && !sig_dicts.contains(id) {
                sig_dicts.push(*id);
            }
        }
        sig_dicts.sort();
        sig_dicts.dedup();
        let used_by_field: Vec<ObjectId> = field_of.iter().map(|(v, _)| *v).collect();
        for id in sig_dicts {
            let Some(d) = doc.objects.get(&id).and_then(|o| o.as_dict().ok()) else {
                if used_by_field.contains(&id) {
                    let mut s = PdfSignature::empty(
                        [0, 0, 0, data.len()],
                        Some("il dizionario della firma non è leggibile".into()),
                    );
                    s.dict_id = Some(id);
                    s.field_name = field_of.iter().find(|(v, _)| *v == id).map(|(_, n)| n.clone());
                    sigs.push(s);
                }
                continue;
            };
            let nums: Vec<i64> = d
                .get(b"ByteRange")
                .and_then(Object::as_array)
                .map(|a| a.iter().map(|o| o.as_i64().unwrap_or(-1)).collect())
                .unwrap_or_default();
            let idx = match check_byte_range(data, &nums) {
                Ok((br, _)) => sigs.iter().position(|s| s.byte_range == br && s.dict_id.is_none()),
                Err(_) => None,
            };
            let idx = match idx {
                Some(i) => i,
                None => {
                    // A damaged signature: reuse the raw entry for the same numbers if any.
                    let why = match check_byte_range(data, &nums) {
                        Err(w) => w,
                        Ok(_) => "/ByteRange non corrisponde al file".into(),
                    };
                    let is_sigish = used_by_field.contains(&id)
                        || d.get(b"Type")
                            .ok()
                            .and_then(|o| o.as_name().ok())
                            .is_some_and(|t| t == b"Sig" || t == b"DocTimeStamp");
                    if !is_sigish {
                        continue;
                    }
                    match sigs.iter().position(|s| s.damage.is_some() && s.dict_id.is_none()) {
                        Some(i) => i,
                        None => {
                            sigs.push(PdfSignature::empty([0, 0, 0, data.len()], Some(why)));
                            sigs.len() - 1
                        }
                    }
                }
            };
            describe_signature(&mut sigs[idx], id, d, &field_of);
        }
    }
    sigs.sort_by_key(|s| (s.damage.is_some(), s.signed_end()));
    Ok((sigs, doc))
}

/// The signatures found by their /ByteRange in the bytes (also where the structure is not
/// readable), one per distinct range; damaged ranges are kept as damaged signatures.
fn byte_range_signatures(data: &[u8]) -> Vec<PdfSignature> {
    let mut sigs: Vec<PdfSignature> = Vec::new();
    let mut damaged_raw: Vec<Vec<i64>> = Vec::new();
    for pos in find_all(data, b"/ByteRange") {
        let Some(nums) = parse_byte_range_raw(data, pos) else {
            continue;
        };
        match check_byte_range(data, &nums) {
            Ok((br, contents)) => {
                if sigs.iter().any(|s| s.byte_range == br) {
                    continue;
                }
                let mut s = PdfSignature::empty(br, None);
                s.contents = contents;
                sigs.push(s);
            }
            Err(why) => {
                if !damaged_raw.contains(&nums) {
                    damaged_raw.push(nums);
                    let br = [0, 0, 0, data.len()];
                    sigs.push(PdfSignature::empty(br, Some(why)));
                }
            }
        }
    }
    sigs
}

/// Signature fields with a value: (signature dictionary, field name).
fn signature_fields(doc: &Document) -> Vec<(ObjectId, String)> {
    let mut field_of: Vec<(ObjectId, String)> = Vec::new();
    for (_, obj) in doc.objects.iter() {
        let Ok(d) = obj.as_dict() else { continue };
        let is_sig_field = d.get(b"FT").ok().and_then(|o| o.as_name().ok()) == Some(b"Sig".as_slice());
        if let (true, Ok(Object::Reference(v))) = (is_sig_field, d.get(b"V")) {
            let name = d.get(b"T").ok().and_then(|t| t.as_str().ok()).map(decode_text).unwrap_or_default();
            field_of.push((*v, name));
        }
    }
    field_of
}

/// Fills a signature from its dictionary `d` (object `id`).
fn describe_signature(s: &mut PdfSignature, id: ObjectId, d: &Dictionary, field_of: &[(ObjectId, String)]) {
    s.dict_id = Some(id);
    let text = |k: &[u8]| d.get(k).ok().and_then(|o| o.as_str().ok()).map(decode_text);
    s.sub_filter =
        d.get(b"SubFilter").ok().and_then(|o| o.as_name().ok()).map(|n| String::from_utf8_lossy(n).into_owned());
    s.m_time = text(b"M").and_then(|m| parse_pdf_date(&m));
    s.reason = text(b"Reason");
    s.location = text(b"Location");
    s.is_doc_timestamp = d.get(b"Type").ok().and_then(|o| o.as_name().ok()) == Some(b"DocTimeStamp".as_slice());
    s.field_name = field_of.iter().find(|(v, _)| *v == id).map(|(_, n)| n.clone());
    if s.damage.is_none() {
        // The parsed /Contents must be the bytes in the hole (no second /Contents elsewhere).
        let parsed = d.get(b"Contents").ok().and_then(|o| o.as_str().ok());
        if parsed.is_some_and(|p| p != s.contents.as_slice()) {
            s.damage = Some("il valore /Contents non è quello escluso da /ByteRange".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_read_back_as_the_same_object() {
        for v in [595.28f32, 841.89, 0.0, 1.0, -12.5, 0.001, 123456.79] {
            let mut out = Vec::new();
            write_object(&mut out, &Object::Real(v));
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains('.') && !text.contains('e'), "{text}");
            assert_eq!(text.parse::<f32>().unwrap(), v, "{text}");
        }
    }

    #[test]
    fn names_strings_and_dates() {
        let mut out = Vec::new();
        write_object(&mut out, &Object::Name(b"A B#(".to_vec()));
        write_object(&mut out, &Object::String(b"a(b)\\c\n".to_vec(), StringFormat::Literal));
        assert_eq!(out, b"/A#20B#23#28(a\\(b\\)\\\\c\\n)".to_vec());
        assert_eq!(decode_text(&[0xFE, 0xFF, 0, b'o', 0, 0xF2]), "oò");
        let t = parse_pdf_date("D:20261124233000+01'00'").unwrap();
        assert_eq!(t.format("%Y-%m-%d %H:%M").to_string(), "2026-11-24 22:30");
        assert!(parse_pdf_date("D:20").is_none());
        assert!(parse_pdf_date("garbage").is_none());
        assert_eq!(parse_pdf_date(&pdf_date(&t)), Some(t));
    }
}
