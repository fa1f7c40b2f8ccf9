//! The whole plan: chapters and sub-chapters holding narrative text and the fascicolo's documents,
//! following the template's `[plan]`. Numbering is computed (1, 1.1, 1.1.1); the office adds,
//! renames, reorders and deletes its own sub-chapters; a chapter the Region requires can be empty
//! but not deleted.

use super::{Document, Fascicolo};
use crate::error::{Error, Result};
use crate::template::{ChapterDef, Family, GeneratedDef, PlanDef};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};

/// Years of the plan: the past triennium (consuntivi) and the programme.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PlanYears {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consuntivo: Vec<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programma: Vec<i32>,
}

impl PlanYears {
    pub fn is_empty(&self) -> bool {
        self.consuntivo.is_empty() && self.programma.is_empty()
    }
}

/// The plan of a fascicolo.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Years declared by this plan (empty = the template's).
    #[serde(default, skip_serializing_if = "PlanYears::is_empty")]
    pub years: PlanYears,
    pub chapters: Vec<Chapter>,
}

/// A chapter: the instance of a template chapter (`template` = its id) or the office's own.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// Unique in the plan.
    pub id: String,
    /// Template chapter id; empty for the office's own chapters.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub template: String,
    /// Title; empty = the template's.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Narrative text and documents, in print order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Chapter>,
}

/// A part of a chapter.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Part {
    /// Rich text (see `words` and `pdf::richtext` for the conventions).
    Text { text: String },
    /// A document of the fascicolo (grid, fund table, scheda…), by id.
    Document { id: String },
}

impl Plan {
    /// A plan with one empty chapter per template chapter.
    pub fn from_template(def: &PlanDef) -> Plan {
        fn make(defs: &[ChapterDef]) -> Vec<Chapter> {
            defs.iter()
                .map(|d| Chapter {
                    id: d.id.clone(),
                    template: d.id.clone(),
                    children: make(&d.children),
                    ..Default::default()
                })
                .collect()
        }
        Plan { years: PlanYears::default(), chapters: make(&def.chapters) }
    }

    /// Every chapter, depth first.
    pub fn all(&self) -> Vec<&Chapter> {
        crate::template::depth_first(&self.chapters, |c| &c.children)
    }

    pub fn chapter(&self, id: &str) -> Option<&Chapter> {
        self.all().into_iter().find(|c| c.id == id)
    }

    pub fn chapter_mut(&mut self, id: &str) -> Option<&mut Chapter> {
        fn find<'a>(cs: &'a mut [Chapter], id: &str) -> Option<&'a mut Chapter> {
            for c in cs.iter_mut() {
                if c.id == id {
                    return Some(c);
                }
                if let Some(x) = find(&mut c.children, id) {
                    return Some(x);
                }
            }
            None
        }
        find(&mut self.chapters, id)
    }

    /// The sibling list holding chapter `id`, and its index there.
    fn siblings_mut(&mut self, id: &str) -> Option<(&mut Vec<Chapter>, usize)> {
        fn find<'a>(cs: &'a mut Vec<Chapter>, id: &str) -> Option<(&'a mut Vec<Chapter>, usize)> {
            if let Some(i) = cs.iter().position(|c| c.id == id) {
                return Some((cs, i));
            }
            for c in cs.iter_mut() {
                if let Some(x) = find(&mut c.children, id) {
                    return Some(x);
                }
            }
            None
        }
        find(&mut self.chapters, id)
    }

    /// Ids of the documents the chapters place explicitly.
    pub fn placed_documents(&self) -> BTreeSet<&str> {
        self.all()
            .into_iter()
            .flat_map(|c| c.parts.iter())
            .filter_map(|p| match p {
                Part::Document { id } => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The years of the plan: its own, else the template's.
    pub fn years<'a>(&'a self, def: &'a PlanDef) -> &'a PlanYears {
        if self.years.is_empty() {
            &def.years
        } else {
            &self.years
        }
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("capitolo «{id}»"))
}

fn plan_mut(f: &mut Fascicolo) -> Result<&mut Plan> {
    f.plan.as_mut().ok_or_else(|| Error::Invalid("il fascicolo non ha la struttura del Piano (capitoli)".into()))
}

/// Gives the fascicolo the template's chapters if it has none yet. Returns whether it changed.
pub fn ensure_plan(family: &Family, f: &mut Fascicolo) -> bool {
    match (&family.plan, &f.plan) {
        (Some(def), None) => {
            f.plan = Some(Plan::from_template(def));
            true
        }
        _ => false,
    }
}

/// Adds an office sub-chapter under `parent` (or at the top level), after the existing ones.
/// Returns its id.
pub fn add_chapter(f: &mut Fascicolo, parent: Option<&str>, title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::Invalid("il titolo del capitolo è vuoto".into()));
    }
    let plan = plan_mut(f)?;
    let used: HashSet<String> = plan.all().into_iter().map(|c| c.id.clone()).collect();
    let id = (1..).map(|n| format!("cap-{n}")).find(|id| !used.contains(id)).unwrap_or_default();
    let ch = Chapter { id: id.clone(), title: title.to_string(), ..Default::default() };
    match parent {
        Some(p) => plan.chapter_mut(p).ok_or_else(|| not_found(p))?.children.push(ch),
        None => plan.chapters.push(ch),
    }
    Ok(id)
}

/// Renames a chapter (the template's title is kept aside: an empty title restores it).
pub fn rename_chapter(f: &mut Fascicolo, id: &str, title: &str) -> Result<()> {
    let ch = plan_mut(f)?.chapter_mut(id).ok_or_else(|| not_found(id))?;
    if ch.template.is_empty() && title.trim().is_empty() {
        return Err(Error::Invalid("il titolo del capitolo è vuoto".into()));
    }
    ch.title = title.trim().to_string();
    Ok(())
}

/// Moves a chapter to position `to` among its siblings.
pub fn move_chapter(f: &mut Fascicolo, id: &str, to: usize) -> Result<()> {
    let (sibs, i) = plan_mut(f)?.siblings_mut(id).ok_or_else(|| not_found(id))?;
    let ch = sibs.remove(i);
    let to = to.min(sibs.len());
    sibs.insert(to, ch);
    Ok(())
}

/// Deletes a chapter and its sub-chapters; refused for chapters the Region requires (also when
/// nested inside the one being deleted). The documents it placed go back to their default place.
pub fn remove_chapter(family: &Family, f: &mut Fascicolo, id: &str) -> Result<()> {
    let def = family.plan.as_ref();
    let plan = plan_mut(f)?;
    let ch = plan.chapter(id).ok_or_else(|| not_found(id))?;
    let mut stack = vec![ch];
    while let Some(c) = stack.pop() {
        if let Some(d) = def.and_then(|d| d.chapter(&c.template)).filter(|d| d.required) {
            return Err(Error::Invalid(format!(
                "il capitolo «{}» è richiesto dalla Regione: si può lasciare vuoto, non eliminare",
                d.title
            )));
        }
        stack.extend(c.children.iter());
    }
    let (sibs, i) = plan.siblings_mut(id).ok_or_else(|| not_found(id))?;
    sibs.remove(i);
    Ok(())
}

/// Replaces the narrative text of a chapter (its first text part; one is added if none).
pub fn set_chapter_text(f: &mut Fascicolo, id: &str, text: &str) -> Result<()> {
    let ch = plan_mut(f)?.chapter_mut(id).ok_or_else(|| not_found(id))?;
    match ch.parts.iter_mut().find(|p| matches!(p, Part::Text { .. })) {
        Some(Part::Text { text: t }) => *t = text.to_string(),
        _ => ch.parts.insert(0, Part::Text { text: text.to_string() }),
    }
    Ok(())
}

/// Checks a plan read from a file against the template and the documents: unique chapter ids,
/// known template chapters, existing documents placed once. The message names the place.
pub fn check_plan(family: &Family, f: &Fascicolo) -> std::result::Result<(), String> {
    let Some(plan) = &f.plan else { return Ok(()) };
    let Some(def) = &family.plan else {
        return Err(format!("«fascicolo.plan»: il modello «{}» non prevede la struttura del Piano", family.id));
    };
    let mut ids = HashSet::new();
    let mut placed = HashSet::new();
    let mut templ = HashSet::new();
    for c in plan.all() {
        if c.id.trim().is_empty() || c.id.contains('/') {
            return Err(format!("«fascicolo.plan»: identificativo di capitolo «{}» non valido", c.id));
        }
        if !ids.insert(c.id.as_str()) {
            return Err(format!("«fascicolo.plan»: capitolo «{}» ripetuto", c.id));
        }
        if !c.template.is_empty() {
            if def.chapter(&c.template).is_none() {
                return Err(format!(
                    "«fascicolo.plan»: il capitolo «{}» rinvia al capitolo «{}», che il modello non contiene",
                    c.id, c.template
                ));
            }
            if !templ.insert(c.template.as_str()) {
                return Err(format!("«fascicolo.plan»: il capitolo del modello «{}» compare due volte", c.template));
            }
        } else if c.title.trim().is_empty() {
            return Err(format!("«fascicolo.plan»: il capitolo «{}» non ha titolo", c.id));
        }
        for p in &c.parts {
            if let Part::Document { id } = p {
                if f.document(id).is_none() {
                    return Err(format!(
                        "«fascicolo.plan»: il capitolo «{}» colloca il documento «{id}», che non esiste",
                        c.id
                    ));
                }
                if !placed.insert(id.as_str()) {
                    return Err(format!("«fascicolo.plan»: il documento «{id}» è collocato due volte"));
                }
            }
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------- the resolved outline

/// A part of a chapter as printed.
#[derive(Debug, Clone)]
pub enum OutlinePart<'a> {
    Text(&'a str),
    Document(&'a Document),
    Generated(&'a GeneratedDef),
}

/// A chapter with its computed number, printed title and everything it holds.
#[derive(Debug, Clone)]
pub struct OutlineNode<'a> {
    pub id: String,
    /// "1", "1.2", "1.2.3"; empty for unnumbered chapters (Premessa, Allegati).
    pub number: String,
    pub title: String,
    /// 1 = chapter, 2 = sub-chapter, 3 = …
    pub level: u8,
    pub def: Option<&'a ChapterDef>,
    pub parts: Vec<OutlinePart<'a>>,
    pub children: Vec<OutlineNode<'a>>,
}

impl OutlineNode<'_> {
    /// "1.2 Titolo" or "Titolo".
    pub fn heading(&self) -> String {
        if self.number.is_empty() {
            self.title.clone()
        } else {
            format!("{} {}", self.number, self.title)
        }
    }
    /// Whether the chapter (with its sub-chapters) holds nothing written or placed.
    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|p| match p {
            OutlinePart::Text(t) => t.trim().is_empty(),
            OutlinePart::Document(_) => false,
            OutlinePart::Generated(_) => true,
        }) && self.children.iter().all(|c| c.is_empty())
    }
}

/// The plan as printed: template chapters missing from the fascicolo restored (empty) in their
/// place, documents of the chapters' forms placed where the template puts them, documents placed
/// nowhere in a last unnumbered chapter, numbers computed.
pub fn outline<'a>(family: &'a Family, f: &'a Fascicolo) -> Vec<OutlineNode<'a>> {
    let Some(def) = &family.plan else { return Vec::new() };
    let chapters: &[Chapter] = f.plan.as_ref().map(|p| p.chapters.as_slice()).unwrap_or(&[]);
    let explicit = f.plan.as_ref().map(|p| p.placed_documents()).unwrap_or_default();
    let mut auto_placed: HashSet<&str> = HashSet::new();
    let mut nodes = build_level(def, &def.chapters, chapters, f, &explicit, &mut auto_placed, "", 1);
    let rest: Vec<OutlinePart> = f
        .documents
        .iter()
        .filter(|d| !explicit.contains(d.id.as_str()) && !auto_placed.contains(d.id.as_str()))
        .map(OutlinePart::Document)
        .collect();
    if !rest.is_empty() {
        nodes.push(OutlineNode {
            id: String::new(),
            number: String::new(),
            title: "Altri documenti del fascicolo".into(),
            level: 1,
            def: None,
            parts: rest,
            children: Vec::new(),
        });
    }
    nodes
}

#[allow(clippy::too_many_arguments)]
fn build_level<'a>(
    def: &'a PlanDef,
    defs: &'a [ChapterDef],
    chapters: &'a [Chapter],
    f: &'a Fascicolo,
    explicit: &BTreeSet<&str>,
    auto_placed: &mut HashSet<&'a str>,
    prefix: &str,
    level: u8,
) -> Vec<OutlineNode<'a>> {
    // The fascicolo's order, with missing template chapters inserted after their predecessor.
    let mut order: Vec<(Option<&'a Chapter>, Option<&'a ChapterDef>)> =
        chapters.iter().map(|c| (Some(c), def.chapter(&c.template).filter(|_| !c.template.is_empty()))).collect();
    for (i, d) in defs.iter().enumerate() {
        if order.iter().any(|(_, od)| od.is_some_and(|od| od.id == d.id)) {
            continue;
        }
        let after = defs[..i]
            .iter()
            .rev()
            .find_map(|p| order.iter().position(|(_, od)| od.is_some_and(|od| od.id == p.id)))
            .map(|p| p + 1)
            .unwrap_or(0);
        order.insert(after, (None, Some(d)));
    }
    let mut n = 0;
    let mut out = Vec::new();
    for (ch, cd) in order {
        let numbered = cd.map(|d| d.numbered).unwrap_or(!prefix.is_empty() || level == 1);
        // Sub-chapters of an unnumbered chapter (Allegati) stay unnumbered.
        let numbered = numbered && (level == 1 || !prefix.is_empty());
        let number = if numbered {
            n += 1;
            if prefix.is_empty() {
                n.to_string()
            } else {
                format!("{prefix}.{n}")
            }
        } else {
            String::new()
        };
        let title = match (ch, cd) {
            (Some(c), _) if !c.title.trim().is_empty() => c.title.clone(),
            (_, Some(d)) => d.title.clone(),
            _ => String::new(),
        };
        let mut parts: Vec<OutlinePart<'a>> = Vec::new();
        if let Some(c) = ch {
            for p in &c.parts {
                match p {
                    Part::Text { text } => parts.push(OutlinePart::Text(text)),
                    Part::Document { id } => {
                        if let Some(d) = f.document(id) {
                            parts.push(OutlinePart::Document(d));
                        }
                    }
                }
            }
        }
        if let Some(d) = cd {
            for doc in &f.documents {
                if d.forms.contains(&doc.form)
                    && !explicit.contains(doc.id.as_str())
                    && !auto_placed.contains(doc.id.as_str())
                {
                    auto_placed.insert(doc.id.as_str());
                    parts.push(OutlinePart::Document(doc));
                }
            }
            parts.extend(d.generated.iter().map(OutlinePart::Generated));
        }
        let child_defs: &[ChapterDef] = cd.map(|d| d.children.as_slice()).unwrap_or(&[]);
        let child_chs: &[Chapter] = ch.map(|c| c.children.as_slice()).unwrap_or(&[]);
        let children = build_level(def, child_defs, child_chs, f, explicit, auto_placed, &number, level + 1);
        out.push(OutlineNode {
            id: ch.map(|c| c.id.clone()).or(cd.map(|d| d.id.clone())).unwrap_or_default(),
            number,
            title,
            level,
            def: cd,
            parts,
            children,
        });
    }
    out
}

/// Every node of an outline, depth first.
pub fn flatten_outline<'o, 'a>(nodes: &'o [OutlineNode<'a>]) -> Vec<&'o OutlineNode<'a>> {
    let mut out = Vec::new();
    for n in nodes {
        out.push(n);
        out.extend(flatten_outline(&n.children));
    }
    out
}

// ------------------------------------------------------------------------------ the plan budget

/// One row of the plan budget: a funding source (or several, as a scheda line names them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BudgetRow {
    /// Source ids of the resource lines ("fnps"; several joined by "+").
    pub sources: Vec<String>,
    /// Amount by programme year.
    pub years: std::collections::BTreeMap<i32, crate::money::Money>,
    /// Amounts whose time basis is not declared (not spread over the years).
    pub unallocated: crate::money::Money,
}

/// The plan budget by source × year, from the schede's resource lines (`section`): an annual
/// amount counts in every year, a triennial one is spread evenly (cents to the first years), a
/// first-year or one-off amount counts in the first year; without a basis it stays unallocated.
pub fn plan_budget(family: &Family, f: &Fascicolo, section: &str, years: &[i32]) -> Vec<BudgetRow> {
    use crate::money::Money;
    let mut rows: Vec<BudgetRow> = Vec::new();
    for d in &f.documents {
        let is_scheda = family.form(&d.form).is_some_and(|x| x.role == crate::template::FormRole::Scheda);
        let Some(super::FieldValue::ResourceLines(r)) = d.field(section).filter(|_| is_scheda) else { continue };
        for l in &r.lines {
            let Some(amount) = l.amount else { continue };
            let mut sources = l.sources.clone();
            sources.dedup();
            let i = match rows.iter().position(|r| r.sources == sources) {
                Some(i) => i,
                None => {
                    rows.push(BudgetRow { sources, ..Default::default() });
                    rows.len() - 1
                }
            };
            let row = &mut rows[i];
            match (l.basis.as_str(), years.first()) {
                ("annuo", Some(_)) => {
                    for y in years {
                        *row.years.entry(*y).or_insert(Money::ZERO) += amount;
                    }
                }
                ("triennale", Some(_)) => {
                    let n = years.len() as i64;
                    let (q, r) = (amount.cents() / n, amount.cents() % n);
                    for (k, y) in years.iter().enumerate() {
                        let c = q + if (k as i64) < r { 1 } else { 0 };
                        *row.years.entry(*y).or_insert(Money::ZERO) += Money::from_cents(c);
                    }
                }
                ("prima_annualita" | "una_tantum", Some(y0)) => {
                    *row.years.entry(*y0).or_insert(Money::ZERO) += amount;
                }
                _ => row.unallocated += amount,
            }
        }
    }
    rows
}
