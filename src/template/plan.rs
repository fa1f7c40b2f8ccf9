//! The structure of a whole plan as data: chapters and sub-chapters in the Region's order, where
//! each existing form goes, and which parts are generated from the data (mapping of local areas,
//! indicator schema, plan budget, approval page). Numbering (1, 1.1, 1.1.1) is computed.

use serde::{Deserialize, Serialize};

/// `[plan]` of a family that delivers a whole plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PlanDef {
    /// Cover title ("Piano di Zona").
    pub cover_title: String,
    /// Line under the cover title, with `{ciclo}`, `{ambito}`.
    #[serde(default)]
    pub cover_subtitle: String,
    /// Heading of the table of contents.
    #[serde(default = "toc_title")]
    pub toc_title: String,
    /// Years the plan declares unless the fascicolo says otherwise.
    #[serde(default)]
    pub years: crate::model::PlanYears,
    pub chapters: Vec<ChapterDef>,
}

fn toc_title() -> String {
    "Indice".into()
}
fn yes() -> bool {
    true
}

/// A chapter the Region expects.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ChapterDef {
    pub id: String,
    pub title: String,
    /// Counted in the numbering (Premessa and Allegati are not).
    #[serde(default = "yes")]
    pub numbered: bool,
    /// Cannot be deleted; Verifica says when it is empty.
    #[serde(default)]
    pub required: bool,
    /// Starts on a new page.
    #[serde(default)]
    pub new_page: bool,
    /// Guidance for the editor (never printed).
    #[serde(default)]
    pub hint: String,
    /// Documents of these forms not placed elsewhere are printed here, in fascicolo order.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Parts computed from the data, printed after the chapter's own parts.
    #[serde(default)]
    pub generated: Vec<GeneratedDef>,
    #[serde(default)]
    pub children: Vec<ChapterDef>,
}

/// A generated part: `kind` names the code that builds it; the rest says from which data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct GeneratedDef {
    /// mappatura_aree | schema_indicatori | bilancio_piano | approvazione
    pub kind: String,
    /// Caption printed above the part.
    #[serde(default)]
    pub title: String,
    /// Sections of the schede the part reads (areas, indicators, resources).
    #[serde(default)]
    pub sections: Vec<String>,
    /// Vocabulary used to print ids (aree di policy, fonti).
    #[serde(default)]
    pub vocabulary: Option<String>,
    /// Fixed text printed with the part (approval page), with `{ambito}`, `{ente}`, `{ciclo}`.
    #[serde(default)]
    pub text: String,
}

/// Every node of a chapter tree, depth first (chapter definitions and the fascicolo's chapters).
pub fn depth_first<T>(items: &[T], children: fn(&T) -> &[T]) -> Vec<&T> {
    let mut out = Vec::new();
    for c in items {
        out.push(c);
        out.extend(depth_first(children(c), children));
    }
    out
}

/// Kinds of generated parts the code knows.
pub const GENERATED_KINDS: &[&str] = &["mappatura_aree", "schema_indicatori", "bilancio_piano", "approvazione"];

impl PlanDef {
    /// Every chapter definition, depth first.
    pub fn all(&self) -> Vec<&ChapterDef> {
        depth_first(&self.chapters, |c| &c.children)
    }
    pub fn chapter(&self, id: &str) -> Option<&ChapterDef> {
        self.all().into_iter().find(|c| c.id == id)
    }
    /// Semantic checks of the template: unique ids, known forms and generated kinds.
    pub fn check(&self, forms: &[&str]) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for c in self.all() {
            if !seen.insert(c.id.as_str()) {
                return Err(format!("capitolo «{}» ripetuto in [plan]", c.id));
            }
            if let Some(f) = c.forms.iter().find(|f| !forms.contains(&f.as_str())) {
                return Err(format!("il capitolo «{}» colloca il modulo «{f}», che il modello non contiene", c.id));
            }
            if let Some(g) = c.generated.iter().find(|g| !GENERATED_KINDS.contains(&g.kind.as_str())) {
                return Err(format!(
                    "il capitolo «{}» chiede la parte generata «{}», sconosciuta (ammesse: {})",
                    c.id,
                    g.kind,
                    GENERATED_KINDS.join(", ")
                ));
            }
        }
        Ok(())
    }
}
