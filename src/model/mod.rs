//! The fascicolo model: office profile, fascicolo, documents and typed field values.
//! These types are also the exchange format (see `exchange`), so field names are stable.

mod build;
pub mod compute;
mod lookup;
pub mod plan;
mod values;
pub use crate::month::{YearMonth, MONTHS_IT, MONTHS_IT_LONG};
pub use build::{add_document, move_document, new_document, new_fascicolo, renumber_schede};
pub use lookup::{document_label, fill, option_bool, option_str, option_value};
pub use plan::{Chapter, Part, Plan, PlanYears};
pub use values::*;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Gender {
    #[default]
    F,
    M,
}

impl Gender {
    /// "La sottoscritta" / "Il sottoscritto".
    pub fn sottoscritto(self) -> &'static str {
        match self {
            Gender::F => "La sottoscritta",
            Gender::M => "Il sottoscritto",
        }
    }
}

/// The legal representative of the ente capofila, who signs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct LegalRep {
    pub name: String,
    /// Printed before the name under the signature, e.g. "Prof.ssa".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    pub gender: Gender,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Comune {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u32>,
}

/// Where and when the letterhead is printed. The default is what real submissions do: the
/// letterhead on the first page of each document (the letter, the first page of each scheda).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Letterhead {
    #[serde(default)]
    pub lines: Vec<String>,
    /// "header" or "footer".
    #[serde(default = "footer")]
    pub position: String,
    /// "every_page", "first_page" (default) or "none".
    #[serde(default = "first_page")]
    pub pages: String,
}
impl Default for Letterhead {
    fn default() -> Self {
        Letterhead { lines: vec![], position: footer(), pages: first_page() }
    }
}
fn footer() -> String {
    "footer".into()
}
fn first_page() -> String {
    "first_page".into()
}

/// The office (Ufficio di Piano) that drafts fascicoli.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct OfficeProfile {
    pub ambito: String,
    pub ente_capofila: String,
    pub legal_rep: LegalRep,
    #[serde(default)]
    pub ats: String,
    #[serde(default)]
    pub asst: Vec<String>,
    #[serde(default)]
    pub comuni: Vec<Comune>,
    #[serde(default)]
    pub letterhead: Letterhead,
    /// The Ambito was formed after DGR 7631/2017 (needed for the "a livello di Ambito" request).
    #[serde(default)]
    pub formed_after_dgr_7631: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// Terzo Settore bodies that sign the Accordo di Programma (approval page of the plan).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terzo_settore: Vec<String>,
}

/// One submission: letters and schede of a template family.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Fascicolo {
    pub title: String,
    /// Template family id, e.g. "qp2021".
    pub family: String,
    /// Variant id of the family, e.g. "ambito" or "sovrazonale".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub variant: String,
    /// Date of the fascicolo: used for the PDF metadata, so the same data gives the same bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Snapshot of the signer at the time of the submission.
    pub signer: LegalRep,
    /// Fascicolo options (template-defined ids); missing ones take the template default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, serde_json::Value>,
    pub documents: Vec<Document>,
    /// The whole plan's chapters (families with a `[plan]`): narrative text and where each
    /// document is printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// Free notes of the office (e.g. what was inferred when transcribing).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A document of the fascicolo: a letter, a scheda, a grid… instance of a template form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Stable id inside the fascicolo ("lettera", "scheda-1"…).
    pub id: String,
    /// Form id of the family ("lettera_1a", "scheda_1b").
    pub form: String,
    /// Number of the scheda ("SCHEDA PROGETTO N. {number}").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Annex number in the Piano di Zona ("All. n. {all_n} al PDZ 2021/2023").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_n: Option<u32>,
    /// Letters: ids of the schede they request (empty = all schede, for the "ambito" variant).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
    /// The shared list of activities/phases (Gantt, budget, deliverables).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Activity>,
    /// Section values keyed by section id.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldValue>,
    /// Document options (e.g. optional rows switched on).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, serde_json::Value>,
    /// Amounts typed in a form that are not amounts ("1.015.679,505"), kept exactly as written by
    /// their place ("{section}/rows/0/cost", a JSON pointer inside the section's value; the cell
    /// itself is empty). The Verifica reports them; the exchange file writes them back in their
    /// cells (see `exchange::as_typed`). An entry whose cell holds an amount again is stale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub as_typed: BTreeMap<String, String>,
}

impl Fascicolo {
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
    pub fn document_mut(&mut self, id: &str) -> Option<&mut Document> {
        self.documents.iter_mut().find(|d| d.id == id)
    }
    /// The schede a letter requests: its attachments, or every scheda of the fascicolo.
    pub fn letter_schede(&self, family: &crate::template::Family, letter: &Document) -> Vec<&Document> {
        let is_scheda =
            |d: &&Document| family.form(&d.form).is_some_and(|f| f.role == crate::template::FormRole::Scheda);
        if letter.attachments.is_empty() {
            self.documents.iter().filter(is_scheda).collect()
        } else {
            letter.attachments.iter().filter_map(|id| self.document(id)).filter(is_scheda).collect()
        }
    }
}

/// What an untitled document is called in messages and in the PDF.
pub const UNTITLED: &str = "(senza titolo)";

impl Document {
    pub fn field(&self, id: &str) -> Option<&FieldValue> {
        self.fields.get(id)
    }
    pub fn text(&self, id: &str) -> &str {
        match self.fields.get(id) {
            Some(FieldValue::Text { text }) => text,
            _ => "",
        }
    }
    /// Selected ids of a checklist / multi-select section (empty when absent).
    pub fn selected(&self, id: &str) -> &[String] {
        match self.fields.get(id) {
            Some(FieldValue::Choice { selected, .. }) => selected,
            _ => &[],
        }
    }
    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.activities.iter().find(|a| a.id == id)
    }
    /// The scheda title (section "titolo"), or the document id.
    /// The title people gave the document; an untitled one reads "(senza titolo)", never its internal id.
    pub fn title(&self) -> &str {
        let t = self.text("titolo");
        if t.trim().is_empty() {
            UNTITLED
        } else {
            t
        }
    }
}
