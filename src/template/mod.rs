//! Form templates as data. One TOML file per form family under `assets/templates/` describes its
//! forms (sections, labels, instruction texts, limits), vocabularies, options and rules. Field
//! kinds and named checks live in code; the forms live in data.

mod load;
mod plan;
pub use load::{load_dir, load_embedded, parse_family, Registry};
pub use plan::{depth_first, ChapterDef, GeneratedDef, PlanDef, GENERATED_KINDS};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::month::YearMonth;

/// A family of forms for one regional decree / cycle (e.g. the 2021-2023 quota premiale).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: String,
    pub title: String,
    pub cycle: String,
    #[serde(default)]
    pub description: String,
    /// The programme deadline (last month in which a period may end), if the family has one.
    #[serde(default)]
    pub deadline: Option<YearMonth>,
    /// Human wording of the deadline, e.g. "31/12/2023".
    #[serde(default)]
    pub deadline_label: Option<String>,
    #[serde(default)]
    pub variants: Vec<Variant>,
    #[serde(default)]
    pub options: Vec<OptionDef>,
    #[serde(default)]
    pub vocabularies: Vec<Vocabulary>,
    pub forms: Vec<Form>,
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// The whole plan's chapters, for families that deliver a whole plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    pub label: String,
}

/// A fascicolo-level option with its default (booleans or strings).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub id: String,
    pub label: String,
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub default: toml::Value,
    /// Allowed values for string options.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Per-variant default overrides.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub variant_defaults: BTreeMap<String, toml::Value>,
}

/// A closed list of items (macroaree, punti chiave…), optionally grouped (item.group = group id).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    pub id: String,
    #[serde(default)]
    pub title: String,
    /// Id of the vocabulary whose items are this one's groups (e.g. punti chiave grouped by macroarea).
    #[serde(default)]
    pub grouped_by: Option<String>,
    /// Whether users may add their own entries (ids starting with "custom:").
    #[serde(default)]
    pub allow_custom: bool,
    pub items: Vec<VocItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct VocItem {
    pub id: String,
    pub label: String,
    /// Printed code, e.g. "A" for "A. Contrasto alla povertà…".
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    /// Other spellings mapped to this item on import.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Spans of the label printed in italics (exact substrings).
    #[serde(default)]
    pub italic: Vec<String>,
    /// Plural of the label, for units printed after a number ("1 documento", "2 documenti").
    #[serde(default)]
    pub plural: Option<String>,
}

/// The role a form plays in a fascicolo.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FormRole {
    /// A request letter signed by the legal representative.
    Letter,
    /// A numbered project / objective card.
    Scheda,
    /// Anything else (evaluation grid, fund table…).
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub id: String,
    pub title: String,
    pub role: FormRole,
    /// Label printed at the top right of the first page ("sub-allegato 1B").
    #[serde(default)]
    pub label: Option<String>,
    /// Heading printed above the sections, with `{n}` for the document number ("SCHEDA PROGETTO N. {n}").
    #[serde(default)]
    pub heading: Option<String>,
    /// Annex reference printed at top left, with `{all_n}` ("All. n. {all_n} al PDZ 2021/2023").
    #[serde(default)]
    pub annex_ref: Option<String>,
    /// Variants in which the form exists (empty = all).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Whether the document has a shared list of activities/phases (Gantt, budget, deliverables).
    #[serde(default)]
    pub activities: bool,
    /// How sections are laid out in the PDF: "blocks" (heading + instruction + content) or
    /// "two_column" (label | answer table).
    #[serde(default = "default_layout")]
    pub layout: String,
    /// Fixed text of a letter-like form: an ordered list of printed blocks.
    #[serde(default)]
    pub body: Vec<BodyBlock>,
    #[serde(default)]
    pub sections: Vec<Section>,
}

fn default_layout() -> String {
    "blocks".into()
}

/// A printed block of a letter-like form. `text` may contain placeholders such as `{sottoscritto}`,
/// `{nome}`, `{ambito}`, `{luogo}`, `{data}`, `{titolo}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct BodyBlock {
    /// paragraph | label_right | centered_bold | checklist | projects | place_date | signature |
    /// note | letterhead | subject | addressee
    pub kind: String,
    #[serde(default)]
    pub text: String,
    /// Variants in which the block is printed (empty = all).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Option that must be true for the block to be printed.
    #[serde(default)]
    pub when_option: Option<String>,
    /// Vocabulary for checklist blocks.
    #[serde(default)]
    pub vocabulary: Option<String>,
    /// Spans printed in italics / bold (exact substrings).
    #[serde(default)]
    pub italic: Vec<String>,
    #[serde(default)]
    pub bold: Vec<String>,
    /// Per-item pattern for list blocks (`projects`, `signature`).
    #[serde(default)]
    pub item: Option<String>,
}

/// Field kinds known to the code. A template picks one per section.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Narrative text with paragraphs, lists and simple tables; may have a word limit.
    RichText,
    /// A date (gg/mm/aaaa).
    Date,
    /// A month (mm/aaaa).
    Month,
    /// A whole number.
    Number,
    /// Checkboxes over a vocabulary (min/max selections).
    Checklist,
    /// The whole grouped vocabulary as a 2-column table of checkboxes (punti chiave).
    KeypointTable,
    /// One value from a list of options, with an optional note.
    Enumeration,
    /// SI/NO with motivation text and optional references / selections.
    YesNo,
    /// A list of entities (ATS, Ambiti, ASST, other bodies) with optional type and role.
    EntityList,
    /// A bullet list of short items.
    ItemList,
    /// Secondary areas with key points and explanation (integrazione tra macroaree).
    SecondaryAreas,
    /// The Gantt chart of the document's activities.
    Gantt,
    /// Deliverables per activity: results and indicators.
    Deliverables,
    /// Budget table: rows = activities, columns = funding sources.
    MoneyTable,
    /// Staff table: rows = roles, columns = providers; typed cells.
    StaffTable,
    /// Indicators with level, unit and target value.
    IndicatorList,
    /// Resource lines with basis and "di cui" shares, or "nessuna risorsa".
    ResourceLines,
    /// Staff lines "n. {count} {role}".
    StaffLines,
    /// A grid of rows × years with three cell states (value, zero, not assigned).
    FundTable,
    /// Evaluation grid: numeric inputs, computed percentages and a derived judgement band.
    EvaluationGrid,
    /// A heading with instruction only (container of sub-sections).
    Heading,
}

/// A section (block / row) of a form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    /// Printed number ("4", "13b"), if any.
    #[serde(default)]
    pub n: Option<String>,
    pub heading: String,
    /// Instruction text (italics under the heading). Paragraphs separated by "\n\n".
    #[serde(default)]
    pub instruction: Option<String>,
    /// Spans of the instruction printed in bold.
    #[serde(default)]
    pub instruction_bold: Vec<String>,
    pub kind: FieldKind,
    #[serde(default)]
    pub word_limit: Option<u32>,
    #[serde(default)]
    pub required: bool,
    /// Heading level: 1 = block, 2 = sub-heading.
    #[serde(default = "one")]
    pub level: u8,
    #[serde(default)]
    pub vocabulary: Option<String>,
    /// Options for enumerations / multi-selects: id → printed label.
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub min: Option<u32>,
    #[serde(default)]
    pub max: Option<u32>,
    /// Entity type for entity lists (ats, asst, ambito, ente).
    #[serde(default)]
    pub entity: Option<String>,
    /// Fixed columns for money/staff/fund tables and grids.
    #[serde(default)]
    pub columns: Vec<ColumnDef>,
    /// Rows for fund tables / evaluation grids.
    #[serde(default)]
    pub rows: Vec<RowDef>,
    /// Label and placeholder of the repeatable column, if the table has one.
    #[serde(default)]
    pub repeatable_column: Option<RepeatableColumn>,
    /// Footnote printed under the table.
    #[serde(default)]
    pub footnote: Option<String>,
    /// Section shown only when another section has a given answer: "row13=NO".
    #[serde(default)]
    pub condition: Option<String>,
    /// Optional row: present only when the fascicolo/document switches it on.
    #[serde(default)]
    pub optional: bool,
    /// Free-form extra properties for a kind (e.g. indicator level, guidance text).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub props: BTreeMap<String, toml::Value>,
}

fn one() -> u8 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ColumnDef {
    pub id: String,
    pub header: String,
    /// money | text | staff | number | percent | computed
    #[serde(default)]
    pub kind: Option<String>,
    /// For staff columns: the money-table column whose entrate bound this column's euro values.
    #[serde(default)]
    pub links: Option<String>,
    /// Formula for computed columns (e.g. "a / b * 100").
    #[serde(default)]
    pub formula: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RowDef {
    pub id: String,
    pub label: String,
    /// input | computed | band | group | subtotal
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RepeatableColumn {
    /// Header for a named column, with `{fonte}`: "Entrate da finanziamento {fonte}".
    pub named_header: String,
    /// Header printed for an unnamed column (the template's placeholder).
    pub placeholder: String,
    /// Short header style ("{fonte}") when option `other_header_style = "short"`.
    #[serde(default)]
    pub short_header: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Errore,
    Avviso,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Errore => "errore",
            Severity::Avviso => "avviso",
        }
    }
}

/// A rule of the Region: which named check runs, where, with which severity and message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    /// Name of the check implemented in code (see `rules::checks`).
    pub check: String,
    pub severity: Severity,
    /// Italian message with `{placeholders}` filled by the check.
    pub message: String,
    /// Alternative messages keyed by case (e.g. "none" / "many").
    #[serde(default)]
    pub messages: BTreeMap<String, String>,
    /// Form the rule applies to (empty = fascicolo-level).
    #[serde(default)]
    pub form: Option<String>,
    /// Sections the rule applies to.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Variant in which the rule applies (empty = all).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Check-specific parameters.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub params: BTreeMap<String, toml::Value>,
    /// Short description of what the rule checks (shown in the rule list).
    #[serde(default)]
    pub description: String,
}

impl Family {
    pub fn form(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.id == id)
    }
    pub fn vocabulary(&self, id: &str) -> Option<&Vocabulary> {
        self.vocabularies.iter().find(|v| v.id == id)
    }
    pub fn option_def(&self, id: &str) -> Option<&OptionDef> {
        self.options.iter().find(|o| o.id == id)
    }
    pub fn letter_form(&self, variant: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.role == FormRole::Letter && f.applies_to(variant))
    }
    pub fn scheda_form(&self, variant: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.role == FormRole::Scheda && f.applies_to(variant))
    }
}

impl Form {
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
    pub fn applies_to(&self, variant: &str) -> bool {
        self.variants.is_empty() || self.variants.iter().any(|v| v == variant)
    }
}

impl Section {
    /// The heading with `{name}` placeholders filled by `lookup` (e.g. fascicolo options such as
    /// `{periodo_precedente}`); unknown placeholders are left as written.
    pub fn heading_with(&self, lookup: impl Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        let mut rest = self.heading.as_str();
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            match rest[i + 1..].find('}') {
                Some(j) => {
                    let name = &rest[i + 1..i + 1 + j];
                    match lookup(name).filter(|v| !v.is_empty()) {
                        Some(v) => out.push_str(&v),
                        None => out.push_str(&rest[i..i + j + 2]),
                    }
                    rest = &rest[i + j + 2..];
                }
                None => {
                    out.push_str(&rest[i..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl Vocabulary {
    pub fn item(&self, id: &str) -> Option<&VocItem> {
        self.items.iter().find(|i| i.id == id)
    }
    /// Display "A. Label" when the item has a code.
    pub fn display(&self, id: &str) -> String {
        match self.item(id) {
            Some(i) => match &i.code {
                Some(c) => format!("{c}. {}", i.label),
                None => i.label.clone(),
            },
            None => id.strip_prefix("custom:").unwrap_or(id).to_string(),
        }
    }
    /// Finds an item by id, label or alias (apostrophes and spaces normalised).
    pub fn resolve(&self, text: &str, group: Option<&str>) -> Option<&VocItem> {
        let key = normalise_label(text);
        self.items.iter().filter(|i| group.is_none() || i.group.as_deref() == group).find(|i| {
            i.id == text || normalise_label(&i.label) == key || i.aliases.iter().any(|a| normalise_label(a) == key)
        })
    }
}

/// Canonical comparison form of a label: typographic apostrophes to ', whitespace collapsed, lower case.
pub fn normalise_label(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}', '`'], "'").split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}
