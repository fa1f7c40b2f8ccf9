//! Use-cases of the whole plan (families with a `[plan]`): the outline with computed numbers and
//! counts, a chapter's text saved on its own (`Store::save_chapter`), and the office's own
//! sub-chapters added, renamed, moved and removed. The app's commands and the CLI call these.

use super::{check, family, profile, Saved};
use crate::error::{Error, Result};
use crate::model::plan::{self, flatten_outline, OutlinePart};
use crate::model::{Fascicolo, Part};
use crate::rules::{document_label, Finding};
use crate::store::Store;
use crate::template::Registry;
use chrono::NaiveDate;

/// A part of a chapter as the editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum PartView {
    /// Narrative text; `index` is its place among the chapter's stored parts (None: the chapter
    /// has no text yet, the editor starts one).
    Text { index: Option<usize>, text: String },
    /// A document of the fascicolo placed here (explicitly or by the template's `forms`).
    Document { id: String, label: String },
    /// A part computed from the data (cover, budget, mapping…): only its title is shown.
    Generated { title: String },
}

/// One chapter of the outline, depth first.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterView {
    /// Chapter id; empty for the last, unnumbered "Altri documenti del fascicolo".
    pub id: String,
    /// "1", "1.2"; empty for unnumbered chapters.
    pub number: String,
    pub title: String,
    /// 1 = chapter, 2 = sub-chapter…
    pub level: u8,
    /// Required by the Region: can be left empty, not deleted.
    pub required: bool,
    /// The office's own chapter (not in the template).
    pub own: bool,
    /// Stored in the fascicolo (a template chapter not yet written is shown but not stored).
    pub stored: bool,
    /// Words of the chapter's own texts (not of its sub-chapters or documents).
    pub words: usize,
    /// Verifica findings on the documents placed in this chapter: (errori, avvisi).
    pub errors: usize,
    pub warnings: usize,
    /// Nothing written or placed, sub-chapters included.
    pub empty: bool,
    /// Guidance of the template (never printed).
    pub hint: String,
    pub parts: Vec<PartView>,
}

/// The outline of a fascicolo's plan (empty for families without a `[plan]`), with the counts of
/// `findings` per chapter.
pub fn outline(reg: &Registry, f: &Fascicolo, findings: &[Finding]) -> Result<Vec<ChapterView>> {
    let fam = family(reg, &f.family)?;
    let nodes = plan::outline(fam, f);
    let stored = f.plan.as_ref();
    let mut out = Vec::new();
    for n in flatten_outline(&nodes) {
        let ch = stored.and_then(|p| p.chapter(&n.id)).filter(|_| !n.id.is_empty());
        let mut parts = Vec::new();
        let mut docs = Vec::new();
        let mut words = 0;
        // Texts by their index among the stored parts; the outline keeps the stored order.
        let mut text_index = ch
            .map(|c| {
                c.parts
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| matches!(p, Part::Text { .. }))
                    .map(|(i, _)| i)
                    .collect::<Vec<usize>>()
            })
            .unwrap_or_default()
            .into_iter();
        for p in &n.parts {
            match p {
                OutlinePart::Text(t) => {
                    words += crate::words::count_rich_words(t);
                    parts.push(PartView::Text { index: text_index.next(), text: t.to_string() });
                }
                OutlinePart::Document(d) => {
                    docs.push(d.id.as_str());
                    // Schede are numbered per macro area: their title tells them apart.
                    let base = document_label(fam, d);
                    let title = d.title();
                    let label = if title.trim().is_empty() || base.contains(title.trim()) {
                        base
                    } else {
                        format!("{base} · {}", title.trim())
                    };
                    parts.push(PartView::Document { id: d.id.clone(), label });
                }
                OutlinePart::Generated(g) => parts.push(PartView::Generated {
                    title: if g.title.is_empty() { generated_title(&g.kind) } else { g.title.clone() },
                }),
            }
        }
        if !n.id.is_empty() && !parts.iter().any(|p| matches!(p, PartView::Text { .. })) {
            parts.insert(0, PartView::Text { index: None, text: String::new() });
        }
        let mine = findings.iter().filter(|x| docs.contains(&x.document.as_str()));
        let (errors, warnings) = mine.fold((0, 0), |(e, w), x| match x.severity {
            crate::template::Severity::Errore => (e + 1, w),
            _ => (e, w + 1),
        });
        out.push(ChapterView {
            id: n.id.clone(),
            number: n.number.clone(),
            title: n.title.clone(),
            level: n.level,
            required: n.def.is_some_and(|d| d.required),
            own: ch.is_some_and(|c| c.template.is_empty()),
            stored: ch.is_some(),
            words,
            errors,
            warnings,
            empty: n.is_empty(),
            hint: n.def.map(|d| d.hint.clone()).unwrap_or_default(),
            parts,
        });
    }
    Ok(out)
}

fn generated_title(kind: &str) -> String {
    match kind {
        "approvazione" => "Firmatari dell’Accordo di Programma (dal profilo dell’ufficio)",
        "schema_indicatori" => "Schema degli indicatori (dalle schede obiettivo)",
        "bilancio_piano" => "Bilancio del Piano (dalle schede obiettivo)",
        "mappatura_aree" => "Corrispondenza delle macro aree (dalle schede obiettivo)",
        _ => "Parte calcolata dai dati",
    }
    .into()
}

/// Gives the fascicolo its plan if it has none (a new 2025-2027 fascicolo), so that it can be edited.
fn ensure(reg: &Registry, f: &mut Fascicolo) -> Result<()> {
    let fam = family(reg, &f.family)?;
    if fam.plan.is_none() {
        return Err(Error::Invalid(format!("la modulistica «{}» non prevede i capitoli del Piano", fam.title)));
    }
    plan::ensure_plan(fam, f);
    Ok(())
}

/// Writes the text of a chapter into `f`: the text part at `index` of its parts, or (None) its
/// first text part, one being added if it has none. A chapter of the template not yet stored is
/// added in its place first.
pub fn set_text(reg: &Registry, f: &mut Fascicolo, chapter: &str, index: Option<usize>, text: &str) -> Result<()> {
    ensure(reg, f)?;
    restore_template_chapter(reg, f, chapter)?;
    match index {
        None => plan::set_chapter_text(f, chapter, text),
        Some(i) => {
            let ch = f.plan.as_mut().and_then(|p| p.chapter_mut(chapter));
            match ch.and_then(|c| c.parts.get_mut(i)) {
                Some(Part::Text { text: t }) => {
                    *t = text.to_string();
                    Ok(())
                }
                _ => Err(Error::NotFound(format!("testo n. {} del capitolo «{chapter}»", i + 1))),
            }
        }
    }
}

/// A template chapter that the outline shows but the fascicolo does not store yet is inserted
/// (empty) after its stored predecessor, so that it can hold text.
fn restore_template_chapter(reg: &Registry, f: &mut Fascicolo, chapter: &str) -> Result<()> {
    let fam = family(reg, &f.family)?;
    let Some(def) = fam.plan.as_ref() else { return Ok(()) };
    let Some(p) = f.plan.as_mut() else { return Ok(()) };
    if p.chapter(chapter).is_some() {
        return Ok(());
    }
    // The template parent and the siblings before it.
    fn find<'a>(
        defs: &'a [crate::template::ChapterDef],
        id: &str,
        parent: Option<&'a str>,
    ) -> Option<(Option<&'a str>, Vec<&'a str>)> {
        for (i, d) in defs.iter().enumerate() {
            if d.id == id {
                return Some((parent, defs[..i].iter().map(|x| x.id.as_str()).collect()));
            }
            if let Some(x) = find(&d.children, id, Some(&d.id)) {
                return Some(x);
            }
        }
        None
    }
    let Some((parent, before)) = find(&def.chapters, chapter, None) else {
        return Err(Error::NotFound(format!("capitolo «{chapter}»")));
    };
    let new = crate::model::Chapter { id: chapter.into(), template: chapter.into(), ..Default::default() };
    let list = match parent {
        None => &mut p.chapters,
        Some(par) => {
            restore_parent(def, p, par)?;
            &mut p.chapter_mut(par).ok_or_else(|| Error::NotFound(format!("capitolo «{par}»")))?.children
        }
    };
    let at = list.iter().rposition(|c| before.contains(&c.template.as_str())).map(|i| i + 1).unwrap_or(0);
    list.insert(at, new);
    Ok(())
}

fn restore_parent(def: &crate::template::PlanDef, p: &mut crate::model::Plan, id: &str) -> Result<()> {
    if p.chapter(id).is_some() {
        return Ok(());
    }
    // A missing template parent is only possible at the top level (nested ones come with it).
    let before: Vec<&str> = def.chapters.iter().take_while(|d| d.id != id).map(|d| d.id.as_str()).collect::<Vec<_>>();
    let at = p.chapters.iter().rposition(|c| before.contains(&c.template.as_str())).map(|i| i + 1).unwrap_or(0);
    p.chapters.insert(at, crate::model::Chapter { id: id.into(), template: id.into(), ..Default::default() });
    Ok(())
}

/// The app's autosave of a chapter's text: only that chapter is written as a new revision
/// (`Store::save_chapter`), then the Verifica of the saved fascicolo. The fascicolo is read from
/// the store; what it holds elsewhere is untouched.
#[allow(clippy::too_many_arguments)] // the chapter's place (id, text index) and the save's context
pub fn save_chapter_text(
    store: &mut Store,
    reg: &Registry,
    id: i64,
    chapter: &str,
    index: Option<usize>,
    text: &str,
    message: &str,
    today: NaiveDate,
) -> Result<Saved> {
    let mut f = store.load(id)?;
    let had = f.plan.as_ref().and_then(|p| p.chapter(chapter)).is_some();
    set_text(reg, &mut f, chapter, index, text)?;
    let rev = if had {
        let parts = f.plan.as_ref().and_then(|p| p.chapter(chapter)).map(|c| c.parts.clone()).unwrap_or_default();
        store.save_chapter(id, chapter, &parts, message)?
    } else {
        // First text of a chapter the fascicolo did not store yet: the plan's structure changes.
        store.save(id, &f, message)?
    };
    let findings = check(reg, &f, &profile(store)?, today)?;
    Ok(Saved { rev, saved_at: chrono::Utc::now().to_rfc3339(), findings })
}

/// Adds an office sub-chapter under `parent` (None: a chapter at the top level); returns its id.
pub fn add_chapter(reg: &Registry, f: &mut Fascicolo, parent: Option<&str>, title: &str) -> Result<String> {
    ensure(reg, f)?;
    if let Some(p) = parent {
        restore_template_chapter(reg, f, p)?;
    }
    plan::add_chapter(f, parent, title)
}

/// Renames a chapter (an empty title gives a template chapter its template title back).
pub fn rename_chapter(reg: &Registry, f: &mut Fascicolo, chapter: &str, title: &str) -> Result<()> {
    ensure(reg, f)?;
    restore_template_chapter(reg, f, chapter)?;
    plan::rename_chapter(f, chapter, title)
}

/// Moves a chapter among its siblings by `delta` places (-1 up, +1 down).
pub fn move_chapter(reg: &Registry, f: &mut Fascicolo, chapter: &str, delta: i32) -> Result<()> {
    ensure(reg, f)?;
    restore_template_chapter(reg, f, chapter)?;
    let p = f.plan.as_ref().ok_or_else(|| Error::NotFound(format!("capitolo «{chapter}»")))?;
    let pos = sibling_position(&p.chapters, chapter).ok_or_else(|| Error::NotFound(format!("capitolo «{chapter}»")))?;
    let to = (pos as i64 + delta as i64).max(0) as usize;
    plan::move_chapter(f, chapter, to)
}

fn sibling_position(cs: &[crate::model::Chapter], id: &str) -> Option<usize> {
    cs.iter().position(|c| c.id == id).or_else(|| cs.iter().find_map(|c| sibling_position(&c.children, id)))
}

/// Deletes an office chapter and its sub-chapters; a chapter the Region requires is refused with
/// an Italian message (it can be left empty).
pub fn remove_chapter(reg: &Registry, f: &mut Fascicolo, chapter: &str) -> Result<()> {
    ensure(reg, f)?;
    plan::remove_chapter(family(reg, &f.family)?, f, chapter)
}

/// The same edits on a stored fascicolo (the CLI): load, edit, save one revision.
pub fn edit_stored(
    store: &mut Store,
    id: i64,
    message: &str,
    edit: impl FnOnce(&mut Fascicolo) -> Result<()>,
) -> Result<i64> {
    let mut f = store.load(id)?;
    edit(&mut f)?;
    store.save(id, &f, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lodi() -> (tempfile::TempDir, Store, Registry, i64) {
        let d = tempfile::tempdir().unwrap();
        let mut store = Store::open(&d.path().join("a.sqlite")).unwrap();
        let reg = Registry::load(None).unwrap();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/demo/piano-di-zona-2025-2027-lodi.json"
        ))
        .unwrap();
        let id = super::super::import_example(&mut store, &reg, &text).unwrap().id;
        (d, store, reg, id)
    }

    #[test]
    fn outline_numbers_and_counts() {
        let (_d, store, reg, id) = lodi();
        let f = store.load(id).unwrap();
        let o = outline(&reg, &f, &[]).unwrap();
        let n: Vec<&str> = o.iter().map(|c| c.number.as_str()).collect();
        assert!(n.contains(&"1") && n.contains(&"1.1") && n.contains(&"2.3"), "{n:?}");
        let premessa = &o[0];
        assert_eq!((premessa.number.as_str(), premessa.title.as_str()), ("", "Premessa"));
        assert!(premessa.words > 100 && premessa.required && !premessa.own);
        let tem = o.iter().find(|c| c.id == "obiettivi_tematici").unwrap();
        assert!(tem.parts.iter().filter(|p| matches!(p, PartView::Document { .. })).count() >= 8);
    }

    #[test]
    fn chapter_text_saves_only_that_chapter() {
        let (_d, mut store, reg, id) = lodi();
        let before = store.load(id).unwrap();
        let s = save_chapter_text(
            &mut store,
            &reg,
            id,
            "premessa",
            None,
            "# Titolo\n\n- uno\n- due",
            "t",
            super::super::today(),
        )
        .unwrap();
        let after = store.load(id).unwrap();
        assert_eq!(s.rev, store.head(id).unwrap());
        let t = &after.plan.as_ref().unwrap().chapter("premessa").unwrap().parts[0];
        assert_eq!(*t, Part::Text { text: "# Titolo\n\n- uno\n- due".into() });
        // Everything else unchanged.
        let mut expect = before.clone();
        plan::set_chapter_text(&mut expect, "premessa", "# Titolo\n\n- uno\n- due").unwrap();
        assert_eq!(expect, after);
        // A text part by index in a chapter with documents between texts.
        save_chapter_text(&mut store, &reg, id, "esiti_tematici", Some(2), "secondo", "t", super::super::today())
            .unwrap();
        let f = store.load(id).unwrap();
        assert_eq!(f.plan.unwrap().chapter("esiti_tematici").unwrap().parts[2], Part::Text { text: "secondo".into() });
        // An index that is a document is refused.
        assert!(save_chapter_text(&mut store, &reg, id, "esiti_tematici", Some(1), "x", "t", super::super::today())
            .is_err());
    }

    #[test]
    fn sub_chapters_and_required_ones() {
        let (_d, mut store, reg, id) = lodi();
        let mut f = store.load(id).unwrap();
        let new = add_chapter(&reg, &mut f, Some("contesto"), "Dati sul lavoro").unwrap();
        rename_chapter(&reg, &mut f, &new, "Dati sul lavoro e l’occupazione").unwrap();
        move_chapter(&reg, &mut f, &new, -1).unwrap();
        let o = outline(&reg, &f, &[]).unwrap();
        let c = o.iter().find(|c| c.id == new).unwrap();
        assert_eq!((c.number.as_str(), c.own), ("2.3", true));
        assert!(remove_chapter(&reg, &mut f, &new).is_ok());
        let e = remove_chapter(&reg, &mut f, "premessa").unwrap_err().to_string();
        assert!(e.contains("richiesto dalla Regione") && e.contains("non eliminare"), "{e}");
        let e = remove_chapter(&reg, &mut f, "contesto").unwrap_err().to_string();
        assert!(e.contains("richiesto"), "{e}");
        let rev = store.head(id).unwrap();
        let r2 = edit_stored(&mut store, id, "t", |f| add_chapter(&reg, f, None, "Mio").map(|_| ())).unwrap();
        assert!(r2 > rev);
    }

    #[test]
    fn a_new_plan_and_a_template_chapter_not_stored() {
        let reg = Registry::load(None).unwrap();
        let fam = reg.families.iter().find(|f| f.plan.is_some()).unwrap();
        let mut f = crate::model::new_fascicolo(fam, "", "Nuovo Piano", &Default::default(), None);
        assert!(f.plan.is_none());
        // The outline shows the template's chapters; none is stored yet, each starts with an empty text.
        let o = outline(&reg, &f, &[]).unwrap();
        assert!(o.iter().all(|c| !c.stored));
        assert!(o[0].empty && o[0].required && o[0].title == "Premessa");
        assert!(matches!(o[0].parts[0], PartView::Text { index: None, .. }));
        set_text(&reg, &mut f, "contesto_socioeconomico", None, "Reddito medio.").unwrap();
        assert!(f.plan.is_some());
        // A template chapter that is not required may be deleted; it comes back, empty, in its place
        // when written again.
        remove_chapter(&reg, &mut f, "contesto_demografia").unwrap();
        let o = outline(&reg, &f, &[]).unwrap();
        let d = o.iter().find(|c| c.id == "contesto_demografia").unwrap();
        assert!(!d.stored && d.number == "2.1", "{}", d.number);
        set_text(&reg, &mut f, "contesto_demografia", None, "Popolazione.").unwrap();
        let contesto = f.plan.as_ref().unwrap().chapter("contesto").unwrap();
        let ids: Vec<&str> = contesto.children.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["contesto_demografia", "contesto_socioeconomico", "contesto_risorse"]);
        // A family without a plan: an Italian refusal.
        let other = reg.families.iter().find(|f| f.plan.is_none()).unwrap();
        let mut g = crate::model::new_fascicolo(other, "", "Schede", &Default::default(), None);
        let e = add_chapter(&reg, &mut g, None, "X").unwrap_err().to_string();
        assert!(e.contains("non prevede i capitoli"), "{e}");
    }
}
