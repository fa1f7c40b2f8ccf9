//! What changed after a signature. The signed revision (bytes `..end`) and the final file are
//! compared object by object from the trailer down: objects redefined, added, freed or left
//! unreadable by the later updates, and every changed object reachable from the trailer must be
//! one of the changes ISO 32000-2 (DocMDP) and PAdES allow after a signature: new signature
//! fields with their values and widgets (invisible, or drawn by a later signature in a box that
//! does not cover the page), DSS/VRI validation data, document timestamps, additions to
//! `/AcroForm /Fields` and to the pages' `/Annots` for those widgets, metadata updates.
//! Anything else can change what a reader sees and is reported.

use std::collections::{HashMap, HashSet, VecDeque};

use lopdf::xref::XrefEntry;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// What the bytes after a signature's coverage contain.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LaterChanges {
    /// Nothing after the signature (apart from white space).
    None,
    /// Only the changes allowed after a signature (further signatures, validation data, ...).
    SignaturesOnly,
    /// Other changes: the listed descriptions (Italian).
    Other(Vec<String>),
}

fn only_whitespace(b: &[u8]) -> bool {
    b.iter().all(|c| c.is_ascii_whitespace() || *c == 0)
}

fn name_of<'a>(d: &'a Dictionary, k: &[u8]) -> Option<&'a [u8]> {
    d.get(k).ok().and_then(|o| o.as_name().ok())
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.objects.get(id),
        other => Some(other),
    }
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, k: &[u8]) -> Option<&'a Object> {
    d.get(k).ok().and_then(|o| resolve(doc, o))
}

fn get_dict<'a>(doc: &'a Document, d: &'a Dictionary, k: &[u8]) -> Option<&'a Dictionary> {
    get(doc, d, k).and_then(|o| match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    })
}

fn get_array<'a>(doc: &'a Document, d: &'a Dictionary, k: &[u8]) -> Vec<Object> {
    get(doc, d, k).and_then(|o| o.as_array().ok()).cloned().unwrap_or_default()
}

fn ref_of(d: &Dictionary, k: &[u8]) -> Option<ObjectId> {
    d.get(k).ok().and_then(|o| o.as_reference().ok())
}

fn obj_dict(o: &Object) -> Option<&Dictionary> {
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn describe(id: ObjectId) -> String {
    format!("{} {}", id.0, id.1)
}

fn key_name(k: &[u8]) -> String {
    String::from_utf8_lossy(k).into_owned()
}

/// Keys whose value differs between two dictionaries.
fn differing_keys(a: &Dictionary, b: &Dictionary) -> Vec<Vec<u8>> {
    let mut keys: Vec<Vec<u8>> = a.iter().map(|(k, _)| k.clone()).collect();
    for (k, _) in b.iter() {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    keys.into_iter().filter(|k| a.get(k).ok() != b.get(k).ok()).collect()
}

/// Every reference inside an object (not following them).
fn refs_in(o: &Object, out: &mut Vec<(Vec<u8>, ObjectId)>, key: &[u8], depth: usize) {
    if depth > 64 {
        return;
    }
    match o {
        Object::Reference(id) => out.push((key.to_vec(), *id)),
        Object::Array(a) => a.iter().for_each(|x| refs_in(x, out, key, depth + 1)),
        Object::Dictionary(d) => d.iter().for_each(|(k, v)| refs_in(v, out, k, depth + 1)),
        Object::Stream(s) => s.dict.iter().for_each(|(k, v)| refs_in(v, out, k, depth + 1)),
        _ => {}
    }
}

/// Page size (inherited /MediaBox), in square points.
fn page_area(doc: &Document, page: ObjectId) -> f64 {
    let mut cur = doc.objects.get(&page).and_then(obj_dict);
    for _ in 0..32 {
        let Some(d) = cur else { break };
        let mb = get_array(doc, d, b"MediaBox");
        if mb.len() == 4 {
            let n: Vec<f64> = mb.iter().filter_map(|o| o.as_float().ok().map(f64::from)).collect();
            if n.len() == 4 {
                return ((n[2] - n[0]) * (n[3] - n[1])).abs();
            }
        }
        cur = get_dict(doc, d, b"Parent");
    }
    612.0 * 792.0
}

fn rect_area(doc: &Document, w: &Dictionary) -> f64 {
    let r = get_array(doc, w, b"Rect");
    let n: Vec<f64> = r.iter().filter_map(|o| o.as_float().ok().map(f64::from)).collect();
    if n.len() != 4 {
        return 0.0;
    }
    ((n[2] - n[0]) * (n[3] - n[1])).abs()
}

/// True when a widget can draw something: not hidden, a non-empty box, and an appearance
/// stream with content (or border/background colours a reader may draw).
fn widget_visible(doc: &Document, w: &Dictionary) -> bool {
    let flags = w.get(b"F").ok().and_then(|f| f.as_i64().ok()).unwrap_or(0);
    if flags & (2 | 32) != 0 {
        return false;
    }
    if rect_area(doc, w) < 1.0 {
        return false;
    }
    let Some(ap) = get_dict(doc, w, b"AP") else {
        let mk = get_dict(doc, w, b"MK");
        return mk.is_some_and(|mk| mk.has(b"BG") || mk.has(b"BC"));
    };
    let mut streams = Vec::new();
    for (_, v) in ap.iter() {
        match resolve(doc, v) {
            Some(Object::Stream(s)) => streams.push(s),
            Some(Object::Dictionary(states)) => {
                for (_, sv) in states.iter() {
                    match resolve(doc, sv) {
                        Some(Object::Stream(s)) => streams.push(s),
                        Some(Object::Null) | None => {}
                        Some(_) => return true,
                    }
                }
            }
            Some(Object::Null) | None => {}
            Some(_) => return true,
        }
    }
    streams.iter().any(|s| match s.decompressed_content() {
        Ok(c) => !only_whitespace(&c),
        Err(_) => !only_whitespace(&s.content),
    })
}

fn same_entry(a: &XrefEntry, b: &XrefEntry) -> bool {
    match (a, b) {
        (XrefEntry::Normal { offset: o1, generation: g1 }, XrefEntry::Normal { offset: o2, generation: g2 }) => {
            o1 == o2 && g1 == g2
        }
        (XrefEntry::Compressed { container: c1, index: i1 }, XrefEntry::Compressed { container: c2, index: i2 }) => {
            c1 == c2 && i1 == i2
        }
        (XrefEntry::Free | XrefEntry::UnusableFree, XrefEntry::Free | XrefEntry::UnusableFree) => true,
        _ => false,
    }
}

struct Ctx<'a> {
    old: &'a Document,
    new: &'a Document,
    /// Signature dictionaries of the signatures made after this one.
    later_sigs: &'a HashSet<ObjectId>,
    problems: Vec<String>,
    /// Changed objects a rule has accepted.
    accepted: HashSet<ObjectId>,
    /// Objects whose whole subtree of new objects is allowed (signature values, DSS, the
    /// appearance of a later visible signature).
    free_roots: HashSet<ObjectId>,
    /// Widgets of accepted new or newly signed signature fields, with their page area limit.
    sig_widgets: HashSet<ObjectId>,
}

impl Ctx<'_> {
    fn changed(&self, id: ObjectId) -> bool {
        self.old.objects.get(&id) != self.new.objects.get(&id)
    }

    fn problem(&mut self, p: String) {
        if !self.problems.contains(&p) {
            self.problems.push(p);
        }
    }

    fn page_of_widget(&self, w: ObjectId, wd: &Dictionary) -> Option<ObjectId> {
        if let Some(p) = ref_of(wd, b"P") {
            return Some(p);
        }
        self.new.get_pages().values().copied().find(|pid| {
            self.new
                .objects
                .get(pid)
                .and_then(obj_dict)
                .is_some_and(|pd| get_array(self.new, pd, b"Annots").contains(&Object::Reference(w)))
        })
    }

    /// A widget of a signature field added or signed after this signature.
    fn check_sig_widget(&mut self, wid: ObjectId, field: &Dictionary) {
        let Some(wd) = self.new.objects.get(&wid).and_then(obj_dict).cloned() else {
            self.problem(format!("widget della firma {} illeggibile", describe(wid)));
            return;
        };
        if self.old.objects.contains_key(&wid) && !self.old_sig_field_unsigned(wid) {
            // A widget that existed (and was already signed or was something else) must not change.
            if self.changed(wid) {
                self.problem(format!("modificato l'aspetto di un campo firma esistente ({})", describe(wid)));
            }
            return;
        }
        let signed_later = ref_of(field, b"V").is_some_and(|v| self.later_sigs.contains(&v));
        if widget_visible(self.new, &wd) {
            let area = self.page_of_widget(wid, &wd).map(|p| page_area(self.new, p)).unwrap_or(612.0 * 792.0);
            if !signed_later {
                self.problem(format!(
                    "aggiunto un campo firma non firmato che disegna sulla pagina (oggetto {})",
                    describe(wid)
                ));
                return;
            }
            if rect_area(self.new, &wd) > area / 4.0 {
                self.problem(format!(
                    "l'aspetto di una firma successiva copre gran parte della pagina (oggetto {})",
                    describe(wid)
                ));
                return;
            }
        }
        if let Ok(ap) = wd.get(b"AP") {
            let mut refs = Vec::new();
            refs_in(ap, &mut refs, b"AP", 0);
            for (_, r) in refs {
                if !self.old.objects.contains_key(&r) {
                    self.free_roots.insert(r);
                }
            }
        }
        self.sig_widgets.insert(wid);
        self.accepted.insert(wid);
    }

    fn old_sig_field_unsigned(&self, id: ObjectId) -> bool {
        self.old.objects.get(&id).and_then(obj_dict).is_some_and(|d| name_of(d, b"FT") == Some(b"Sig") && !d.has(b"V"))
    }

    /// A field reached from /Fields that is new or changed.
    fn check_field(&mut self, fid: ObjectId) {
        let Some(fd) = self.new.objects.get(&fid).and_then(obj_dict).cloned() else {
            self.problem(format!("campo del modulo {} illeggibile", describe(fid)));
            return;
        };
        if name_of(&fd, b"FT") != Some(b"Sig") {
            self.problem(format!("aggiunto o modificato un campo del modulo che non è una firma ({})", describe(fid)));
            return;
        }
        if let Some(v) = ref_of(&fd, b"V") {
            if !self.later_sigs.contains(&v) {
                self.problem(format!(
                    "il campo firma {} punta a un valore che non è una firma successiva valida",
                    describe(fid)
                ));
                return;
            }
            self.free_roots.insert(v);
        } else if fd.has(b"V") {
            self.problem(format!("valore del campo firma {} non ammesso", describe(fid)));
            return;
        }
        if self.old.objects.contains_key(&fid) {
            // Filling an empty signature field: only /V and the appearance may appear.
            let Some(od) = self.old.objects.get(&fid).and_then(obj_dict) else { return };
            if !self.old_sig_field_unsigned(fid) {
                self.problem(format!("modificato un campo firma già firmato ({})", describe(fid)));
                return;
            }
            for k in differing_keys(od, &fd) {
                if !matches!(k.as_slice(), b"V" | b"AP" | b"Lock" | b"SV") {
                    self.problem(format!("modificata la voce /{} del campo firma {}", key_name(&k), describe(fid)));
                }
            }
        }
        self.accepted.insert(fid);
        if name_of(&fd, b"Subtype") == Some(b"Widget") || fd.has(b"Rect") {
            self.check_sig_widget(fid, &fd);
        }
        for k in get_array(self.new, &fd, b"Kids") {
            if let Object::Reference(kid) = k {
                if self.old.objects.contains_key(&kid) && !self.changed(kid) {
                    continue;
                }
                self.check_sig_widget(kid, &fd);
            }
        }
        if let Ok(Object::Reference(kids)) = fd.get(b"Kids") {
            if !self.old.objects.contains_key(kids) {
                self.accepted.insert(*kids);
            }
        }
    }

    fn check_catalog(&mut self, root: ObjectId) {
        let empty = Dictionary::new();
        let oc = self.old.objects.get(&root).and_then(obj_dict).unwrap_or(&empty).clone();
        let Some(nc) = self.new.objects.get(&root).and_then(obj_dict).cloned() else {
            self.problem("il catalogo del documento non è più leggibile".into());
            return;
        };
        for k in differing_keys(&oc, &nc) {
            match k.as_slice() {
                b"AcroForm" | b"DSS" | b"Extensions" | b"Metadata" | b"Version" => {}
                _ => self.problem(format!("modificata la voce /{} del catalogo", key_name(&k))),
            }
        }
        self.accepted.insert(root);
        // AcroForm (direct or indirect).
        let oaf = get_dict(self.old, &oc, b"AcroForm").cloned().unwrap_or_default();
        if let Some(naf) = get_dict(self.new, &nc, b"AcroForm").cloned() {
            if let Some(id) = ref_of(&nc, b"AcroForm") {
                self.accepted.insert(id);
                if ref_of(&oc, b"AcroForm").is_some_and(|o| o != id) {
                    self.problem("sostituito il modulo (/AcroForm) del documento".into());
                }
            }
            for k in differing_keys(&oaf, &naf) {
                match k.as_slice() {
                    b"Fields" | b"SigFlags" | b"DR" => {}
                    _ => self.problem(format!("modificata la voce /{} del modulo (/AcroForm)", key_name(&k))),
                }
            }
            if oaf.get(b"DR").ok() != naf.get(b"DR").ok() {
                // Default resources only serve to build new appearances.
                let mut refs = Vec::new();
                if let Ok(dr) = naf.get(b"DR") {
                    refs_in(dr, &mut refs, b"DR", 0);
                }
                for (_, r) in refs {
                    if !self.old.objects.contains_key(&r) {
                        self.free_roots.insert(r);
                    }
                }
                if let Some(id) = ref_of(&naf, b"DR") {
                    if self.old.objects.contains_key(&id) && self.changed(id) {
                        self.problem("modificate le risorse predefinite del modulo (/DR)".into());
                    }
                }
            }
            if let Some(id) = ref_of(&naf, b"Fields") {
                self.accepted.insert(id);
            }
            let old_fields = get_array(self.old, &oaf, b"Fields");
            let new_fields = get_array(self.new, &naf, b"Fields");
            for f in &old_fields {
                if !new_fields.contains(f) {
                    self.problem("rimosso un campo dal modulo (/AcroForm /Fields)".into());
                }
            }
            for f in &new_fields {
                match f {
                    Object::Reference(id) if !old_fields.contains(f) || self.changed(*id) => self.check_field(*id),
                    Object::Reference(_) => {}
                    _ => self.problem("voce non valida in /AcroForm /Fields".into()),
                }
            }
        } else if !oaf.is_empty() {
            self.problem("rimosso il modulo (/AcroForm) del documento".into());
        }
        // Validation data and metadata.
        if let Some(id) = ref_of(&nc, b"DSS") {
            self.free_roots.insert(id);
            // An existing DSS updated in place, with its own arrays and VRI dictionary.
            if ref_of(&oc, b"DSS") == Some(id) {
                self.accepted.insert(id);
                if let Some(d) = self.old.objects.get(&id).and_then(obj_dict) {
                    for (_, v) in d.iter() {
                        if let Object::Reference(r) = v {
                            self.accepted.insert(*r);
                            self.free_roots.insert(*r);
                        }
                    }
                }
            }
        } else if let Ok(Object::Dictionary(dss)) = nc.get(b"DSS") {
            let mut refs = Vec::new();
            refs_in(&Object::Dictionary(dss.clone()), &mut refs, b"DSS", 0);
            self.free_roots.extend(refs.into_iter().map(|(_, r)| r));
        }
        if let Some(id) = ref_of(&nc, b"Metadata") {
            let is_xmp = self
                .new
                .objects
                .get(&id)
                .and_then(|o| o.as_stream().ok())
                .is_some_and(|s| name_of(&s.dict, b"Type") == Some(b"Metadata"));
            if is_xmp {
                self.accepted.insert(id);
            }
        }
    }

    fn check_pages(&mut self) {
        let old_pages = self.old.get_pages();
        let new_pages = self.new.get_pages();
        if old_pages != new_pages {
            self.problem(format!(
                "cambiate le pagine del documento ({} pagine firmate, {} ora)",
                old_pages.len(),
                new_pages.len()
            ));
        }
        for (no, pid) in &new_pages {
            if !self.changed(*pid) {
                continue;
            }
            let (Some(op), Some(np)) =
                (self.old.objects.get(pid).and_then(obj_dict), self.new.objects.get(pid).and_then(obj_dict))
            else {
                continue;
            };
            for k in differing_keys(op, np) {
                if k.as_slice() != b"Annots" {
                    self.problem(format!("modificata la voce /{} della pagina {no}", key_name(&k)));
                }
            }
            self.accepted.insert(*pid);
        }
        // /Annots: only additions, and only widgets of signature fields accepted above.
        for (no, pid) in &new_pages {
            let empty = Dictionary::new();
            let op = self.old.objects.get(pid).and_then(obj_dict).unwrap_or(&empty);
            let Some(np) = self.new.objects.get(pid).and_then(obj_dict) else { continue };
            let oa = get_array(self.old, op, b"Annots");
            let na = get_array(self.new, np, b"Annots");
            if let (Some(oid), Some(nid)) = (ref_of(op, b"Annots"), ref_of(np, b"Annots")) {
                if oid != nid && self.old.objects.contains_key(&nid) {
                    self.problem(format!("sostituite le annotazioni della pagina {no}"));
                }
            }
            if let Some(nid) = ref_of(np, b"Annots") {
                if self.changed(nid) {
                    self.accepted.insert(nid);
                }
            }
            for a in &oa {
                if !na.contains(a) {
                    self.problem(format!("rimossa un'annotazione dalla pagina {no}"));
                }
            }
            for a in &na {
                if oa.contains(a) {
                    continue;
                }
                match a {
                    Object::Reference(id) if self.sig_widgets.contains(id) => {}
                    Object::Reference(id) => {
                        let what = self
                            .new
                            .objects
                            .get(id)
                            .and_then(obj_dict)
                            .and_then(|d| name_of(d, b"Subtype"))
                            .map(|s| format!(" /{}", key_name(s)))
                            .unwrap_or_default();
                        self.problem(format!(
                            "aggiunta un'annotazione{what} alla pagina {no} (oggetto {}) che non è il widget di una nuova firma",
                            describe(*id)
                        ));
                    }
                    _ => self.problem(format!("aggiunta un'annotazione diretta alla pagina {no}")),
                }
            }
        }
    }
}

impl Ctx<'_> {
    /// The trailer keeps the signed catalog and /Info, and adds no encryption. Returns the new
    /// /Root and /Info.
    fn check_trailer(&mut self) -> (Option<ObjectId>, Option<ObjectId>) {
        let (old, new) = (self.old, self.new);
        let old_root = ref_of(&old.trailer, b"Root");
        let new_root = ref_of(&new.trailer, b"Root");
        if old_root != new_root {
            self.problem(
                "il file punta a un nuovo catalogo (/Root): il documento mostrato non è quello firmato".into(),
            );
        }
        let old_info = ref_of(&old.trailer, b"Info");
        let new_info = ref_of(&new.trailer, b"Info");
        if old_info.is_some() && old_info != new_info {
            self.problem("sostituito il dizionario delle informazioni del documento (/Info)".into());
        }
        if new.trailer.has(b"Encrypt") && !old.trailer.has(b"Encrypt") {
            self.problem("il documento è stato cifrato dopo la firma".into());
        }
        (new_root, new_info)
    }

    /// Cross-reference entries redefined by the later updates: freed or unreadable objects, and
    /// signed objects no longer readable under their number and generation.
    fn check_xref_entries(&mut self) {
        let (old, new) = (self.old, self.new);
        // Cross-reference entries redefined by the later updates: freed or unreadable objects.
        let old_numbers: HashSet<u32> = old.objects.keys().map(|k| k.0).collect();
        let new_numbers: HashSet<u32> = new.objects.keys().map(|k| k.0).collect();
        let new_ids: HashSet<ObjectId> = new.objects.keys().copied().collect();
        for (n, entry) in &new.reference_table.entries {
            let old_entry = old.reference_table.get(*n);
            if old_entry.is_some_and(|o| same_entry(o, entry)) {
                continue;
            }
            match entry {
                XrefEntry::Free | XrefEntry::UnusableFree => {
                    if old_numbers.contains(n) {
                        self.problem(format!("eliminato l'oggetto {n} dopo la firma"));
                    }
                }
                XrefEntry::Normal { .. } | XrefEntry::Compressed { .. } => {
                    if !new_numbers.contains(n) {
                        self.problem(format!("l'oggetto {n} aggiunto dopo la firma non è interpretabile"));
                    }
                }
            }
        }
        // By number and generation: an object redefined with another generation leaves every
        // reference to the signed one pointing at nothing (null), which changes what is shown.
        let mut gone: Vec<ObjectId> = old.objects.keys().filter(|id| !new_ids.contains(id)).copied().collect();
        gone.sort();
        for id in gone {
            self.problem(format!("l'oggetto {} della revisione firmata non è più leggibile", describe(id)));
        }
    }

    /// Walks from the trailer: every changed object reachable outside the allowed subtrees must
    /// have been accepted by a rule before; old objects changed in place too, even unreachable.
    fn walk_from_trailer(&mut self, changed: &[ObjectId]) {
        let (old, new) = (self.old, self.new);
        let mut seen: HashSet<ObjectId> = HashSet::new();
        let mut parent: HashMap<ObjectId, (ObjectId, Vec<u8>)> = HashMap::new();
        let mut queue: VecDeque<ObjectId> = VecDeque::new();
        let mut trailer_refs = Vec::new();
        refs_in(&Object::Dictionary(new.trailer.clone()), &mut trailer_refs, b"trailer", 0);
        for (k, r) in trailer_refs {
            if matches!(k.as_slice(), b"Root" | b"Info" | b"Encrypt") && seen.insert(r) {
                queue.push_back(r);
            }
        }
        while let Some(id) = queue.pop_front() {
            if self.free_roots.contains(&id) && !old.objects.contains_key(&id) {
                continue;
            }
            let Some(obj) = new.objects.get(&id) else { continue };
            if old.objects.get(&id) != Some(obj) && !self.accepted.contains(&id) {
                let how = parent
                    .get(&id)
                    .map(|(p, k)| format!(" (raggiunto da /{} dell'oggetto {})", key_name(k), describe(*p)))
                    .unwrap_or_default();
                let what = obj_dict(obj)
                    .and_then(|d| name_of(d, b"Type").or_else(|| name_of(d, b"Subtype")))
                    .map(|t| format!(" /{}", key_name(t)))
                    .unwrap_or_default();
                if old.objects.contains_key(&id) {
                    self.problem(format!("modificato l'oggetto {}{what}{how}", describe(id)));
                } else {
                    self.problem(format!("aggiunto l'oggetto {}{what}{how}", describe(id)));
                }
            }
            let mut refs = Vec::new();
            refs_in(obj, &mut refs, b"", 0);
            for (k, r) in refs {
                if seen.insert(r) {
                    parent.insert(r, (id, k));
                    queue.push_back(r);
                }
            }
        }
        // Old objects changed in place must have been accepted even when no longer reachable.
        for id in changed {
            if old.objects.contains_key(id) && !self.accepted.contains(id) && !seen.contains(id) {
                self.problem(format!("modificato l'oggetto {} (non più usato dal documento)", describe(*id)));
            }
        }
    }
}

/// Compares the revision signed (bytes `..end`) with the whole file.
/// `later_sigs` are the signature dictionaries of the signatures covering more than `end`.
pub(crate) fn later_changes(
    data: &[u8],
    end: usize,
    full: Option<&Document>,
    later_sigs: &HashSet<ObjectId>,
) -> LaterChanges {
    if end >= data.len() || only_whitespace(&data[end..]) {
        return LaterChanges::None;
    }
    // An incremental update ends with %%EOF; anything else appended is foreign data.
    let tail = data[end..].iter().rposition(|c| !(c.is_ascii_whitespace() || *c == 0)).map(|p| &data[end..=end + p]);
    if !tail.is_some_and(|t| t.ends_with(b"%%EOF")) {
        return LaterChanges::Other(vec!["dati estranei aggiunti in coda al file".into()]);
    }
    let Some(new) = full else {
        return LaterChanges::Other(vec!["dati aggiunti dopo la firma (struttura non leggibile)".into()]);
    };
    if new.xref_recovery.is_some() {
        return LaterChanges::Other(vec![
            "la tabella dei riferimenti (xref) aggiunta dopo la firma è danneggiata: i lettori PDF possono mostrare un documento diverso".into(),
        ]);
    }
    let Ok(old) = Document::load_mem(&data[..end]) else {
        return LaterChanges::Other(vec!["la revisione firmata non è leggibile".into()]);
    };
    let mut cx = Ctx {
        old: &old,
        new,
        later_sigs,
        problems: Vec::new(),
        accepted: HashSet::new(),
        free_roots: HashSet::new(),
        sig_widgets: HashSet::new(),
    };

    let (new_root, new_info) = cx.check_trailer();

    cx.check_xref_entries();
    let changed: Vec<ObjectId> =
        new.objects.iter().filter(|(id, o)| old.objects.get(id) != Some(*o)).map(|(id, _)| *id).collect();
    if changed.is_empty() && cx.problems.is_empty() {
        return LaterChanges::SignaturesOnly;
    }

    if let Some(root) = new_root {
        cx.check_catalog(root);
    }
    cx.check_pages();
    if let Some(info) = new_info {
        cx.accepted.insert(info);
    }

    cx.walk_from_trailer(&changed);
    if cx.problems.is_empty() {
        LaterChanges::SignaturesOnly
    } else {
        cx.problems.truncate(12);
        LaterChanges::Other(cx.problems)
    }
}
