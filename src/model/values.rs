//! Typed values of form sections. The variant must match the section's `FieldKind`.

use super::YearMonth;
use crate::money::Money;
use crate::template::FieldKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of one section of a document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldValue {
    /// Text and rich text (see `words` for the rich-text conventions).
    Text {
        text: String,
    },
    Date {
        date: Option<NaiveDate>,
    },
    Month {
        month: Option<YearMonth>,
    },
    Number {
        value: Option<i64>,
    },
    /// Checklists, key-point tables and multi-selects: selected vocabulary ids ("custom:…" for own entries).
    Choice {
        selected: Vec<String>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        text: String,
    },
    Enumeration {
        value: Option<String>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    YesNo(YesNoValue),
    Entities(EntityList),
    Items {
        items: Vec<String>,
    },
    SecondaryAreas(SecondaryAreas),
    Gantt(Gantt),
    Deliverables(Deliverables),
    MoneyTable(MoneyTable),
    StaffTable(StaffTable),
    Indicators {
        items: Vec<Indicator>,
    },
    ResourceLines(ResourceLines),
    StaffLines {
        items: Vec<StaffLine>,
    },
    FundTable(FundTable),
    EvaluationGrid(EvaluationGrid),
    /// Container sections hold nothing.
    Empty {},
}

impl FieldValue {
    /// Whether this value is of the shape a section of `kind` expects.
    pub fn fits(&self, kind: FieldKind) -> bool {
        use FieldKind as K;
        matches!(
            (self, kind),
            (FieldValue::Text { .. }, K::Text | K::RichText)
                | (FieldValue::Date { .. }, K::Date)
                | (FieldValue::Month { .. }, K::Month)
                | (FieldValue::Number { .. }, K::Number)
                | (FieldValue::Choice { .. }, K::Checklist | K::KeypointTable)
                | (FieldValue::Enumeration { .. }, K::Enumeration)
                | (FieldValue::YesNo(_), K::YesNo)
                | (FieldValue::Entities(_), K::EntityList)
                | (FieldValue::Items { .. }, K::ItemList)
                | (FieldValue::SecondaryAreas(_), K::SecondaryAreas)
                | (FieldValue::Gantt(_), K::Gantt)
                | (FieldValue::Deliverables(_), K::Deliverables)
                | (FieldValue::MoneyTable(_), K::MoneyTable)
                | (FieldValue::StaffTable(_), K::StaffTable)
                | (FieldValue::Indicators { .. }, K::IndicatorList)
                | (FieldValue::ResourceLines(_), K::ResourceLines)
                | (FieldValue::StaffLines { .. }, K::StaffLines)
                | (FieldValue::FundTable(_), K::FundTable)
                | (FieldValue::EvaluationGrid(_), K::EvaluationGrid)
                | (FieldValue::Empty {}, K::Heading)
        )
    }

    /// An empty value for a section kind (what a new document starts with).
    pub fn empty_for(kind: FieldKind) -> FieldValue {
        use FieldKind as K;
        match kind {
            K::Text | K::RichText => FieldValue::Text { text: String::new() },
            K::Date => FieldValue::Date { date: None },
            K::Month => FieldValue::Month { month: None },
            K::Number => FieldValue::Number { value: None },
            K::Checklist | K::KeypointTable => FieldValue::Choice { selected: vec![], text: String::new() },
            K::Enumeration => FieldValue::Enumeration { value: None, note: String::new() },
            K::YesNo => FieldValue::YesNo(YesNoValue::default()),
            K::EntityList => FieldValue::Entities(EntityList::default()),
            K::ItemList => FieldValue::Items { items: vec![] },
            K::SecondaryAreas => FieldValue::SecondaryAreas(SecondaryAreas::default()),
            K::Gantt => FieldValue::Gantt(Gantt::default()),
            K::Deliverables => FieldValue::Deliverables(Deliverables::default()),
            K::MoneyTable => FieldValue::MoneyTable(MoneyTable::default()),
            K::StaffTable => FieldValue::StaffTable(StaffTable::default()),
            K::IndicatorList => FieldValue::Indicators { items: vec![] },
            K::ResourceLines => FieldValue::ResourceLines(ResourceLines::default()),
            K::StaffLines => FieldValue::StaffLines { items: vec![] },
            K::FundTable => FieldValue::FundTable(FundTable::default()),
            K::EvaluationGrid => FieldValue::EvaluationGrid(EvaluationGrid::default()),
            K::Heading => FieldValue::Empty {},
        }
    }

    /// All the free text the user wrote in this value, for search and word counts of tables.
    pub fn texts(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match self {
            FieldValue::Text { text } => out.push(text),
            FieldValue::Choice { text, .. } => out.push(text),
            FieldValue::Enumeration { note, .. } => out.push(note),
            FieldValue::YesNo(v) => {
                out.push(&v.text);
                out.extend(v.refs.iter().map(String::as_str));
            }
            FieldValue::Entities(e) => {
                out.push(&e.note);
                out.push(&e.deroga);
                for i in &e.items {
                    out.push(&i.name);
                    out.push(&i.role);
                }
            }
            FieldValue::Items { items } => out.extend(items.iter().map(String::as_str)),
            FieldValue::SecondaryAreas(s) => {
                out.push(&s.text);
                out.extend(s.items.iter().map(|i| i.explanation.as_str()));
            }
            FieldValue::Deliverables(d) => {
                out.push(&d.text);
                for r in &d.rows {
                    out.push(&r.phase);
                    out.extend(r.results.iter().map(String::as_str));
                    out.extend(r.indicators.iter().map(String::as_str));
                }
            }
            FieldValue::MoneyTable(t) => {
                out.extend(t.rows.iter().flat_map(|r| r.notes.values().map(String::as_str)));
            }
            FieldValue::StaffTable(t) => {
                for r in &t.rows {
                    out.push(&r.role);
                    for c in r.cells.values() {
                        if let StaffValue::Testo(s) = c {
                            out.push(s);
                        }
                    }
                }
            }
            FieldValue::Indicators { items } => {
                out.extend(items.iter().flat_map(|i| [i.text.as_str(), i.realizzato.as_str()]))
            }
            FieldValue::ResourceLines(r) => out.extend(r.lines.iter().map(|l| l.label.as_str())),
            FieldValue::StaffLines { items } => out.extend(items.iter().map(|l| l.role.as_str())),
            FieldValue::EvaluationGrid(g) => out.push(&g.note),
            _ => {}
        }
        out.retain(|s| !s.is_empty());
        out
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum YesNo {
    SI,
    NO,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct YesNoValue {
    pub answer: Option<YesNo>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Selected ids (other aree, digitalisation aspects…) or references (premialità projects, Ambiti).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub name: String,
    /// Comune | altro ente pubblico | Terzo Settore | privato profit | altro
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entity_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct EntityList {
    #[serde(default)]
    pub items: Vec<Entity>,
    /// Free introductory / closing note (or the whole content, as OP-P1 wrote it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Justification replacing the list (e.g. sovrazonale with fewer than two Ambiti).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deroga: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SecondaryArea {
    /// Macroarea code as written (A–J expected; imported wrong letters are kept and flagged).
    pub area: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_points: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SecondaryAreas {
    #[serde(default)]
    pub items: Vec<SecondaryArea>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    #[default]
    Activity,
    Group,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: YearMonth,
    pub to: YearMonth,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub label: String,
    pub month: YearMonth,
}

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

/// An activity or phase of a scheda, shared by Gantt, budget and deliverables.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "is_default_kind")]
    pub kind: ActivityKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<Period>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// Label used in the budget table only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_label: Option<String>,
    /// False when the activity deliberately has no cost row.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub in_budget: bool,
}
fn is_default_kind(k: &ActivityKind) -> bool {
    *k == ActivityKind::Activity
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum GanttMode {
    #[default]
    Mensile,
    MesiRelativi,
    Trimestrale,
}

/// Cronoprogramma settings; the bars are the activities' periods.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Gantt {
    #[serde(default)]
    pub mode: GanttMode,
    /// First month of the window (`project_start`).
    pub start: Option<YearMonth>,
    /// Header of the first column; empty = the mode's default.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_column_header: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub month_initials: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub marker_x: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DeliverableRow {
    /// Activity id, or free phase text when `activity` is empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub activity: String,
    /// Phase label as printed when it is not an activity.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[serde(default)]
    pub results: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Deliverables {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default)]
    pub rows: Vec<DeliverableRow>,
}

/// A repeatable funding column ("Entrate da finanziamento {source}").
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ExtraColumn {
    pub id: String,
    /// Source name; empty = unnamed (flagged).
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct MoneyRow {
    /// Activity or group id.
    pub activity: String,
    /// Costo totale.
    pub cost: Option<Money>,
    /// Entrate by column id (fixed template columns and extra columns).
    #[serde(default)]
    pub amounts: BTreeMap<String, Money>,
    /// Short notes printed under an amount, by column id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, String>,
    /// Imported control column value ("totale attività"), checked against Σ entrate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed_control: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct MoneyTable {
    #[serde(default)]
    pub extra_columns: Vec<ExtraColumn>,
    #[serde(default)]
    pub rows: Vec<MoneyRow>,
    /// Totals typed in an imported document, by column id ("cost" for Costo totale). Checked, then
    /// replaced by computed totals.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub typed_totals: BTreeMap<String, Money>,
    /// Print the computed control column "Totale entrate".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub show_control_column: bool,
}

impl MoneyRow {
    /// Σ entrate of the row.
    pub fn income(&self) -> Money {
        self.amounts.values().copied().sum()
    }
}

impl MoneyTable {
    /// Column ids of the table: template fixed columns followed by extra columns.
    pub fn column_ids<'a>(&'a self, fixed: &'a [crate::template::ColumnDef]) -> Vec<&'a str> {
        fixed
            .iter()
            .filter(|c| c.id != "cost" && c.id != "activity")
            .map(|c| c.id.as_str())
            .chain(self.extra_columns.iter().map(|c| c.id.as_str()))
            .collect()
    }
    pub fn total_cost(&self) -> Money {
        self.rows.iter().filter_map(|r| r.cost).sum()
    }
    pub fn total_of(&self, column: &str) -> Money {
        self.rows.iter().filter_map(|r| r.amounts.get(column).copied()).sum()
    }
}

/// One staff cell value; never merged across rows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StaffValue {
    Persone(u32),
    Ore { hours: u32, period: String },
    Euro(Money),
    Testo(String),
}

impl StaffValue {
    pub fn kind_label(&self) -> &'static str {
        match self {
            StaffValue::Persone(_) => "persone",
            StaffValue::Ore { .. } => "ore",
            StaffValue::Euro(_) => "euro",
            StaffValue::Testo(_) => "testo",
        }
    }
    pub fn display(&self) -> String {
        match self {
            StaffValue::Persone(n) => n.to_string(),
            StaffValue::Ore { hours, period } => {
                if period.is_empty() {
                    format!("{hours} h")
                } else {
                    format!("{hours} h {period}")
                }
            }
            StaffValue::Euro(m) => m.format_it(),
            StaffValue::Testo(t) => t.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StaffExtraColumn {
    pub id: String,
    /// "altro ente" name; printed "Da {ente}".
    #[serde(default)]
    pub ente: String,
    /// Money-table column id whose entrate bound this column's euro values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_column: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StaffRow {
    pub role: String,
    #[serde(default)]
    pub cells: BTreeMap<String, StaffValue>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StaffTable {
    #[serde(default)]
    pub extra_columns: Vec<StaffExtraColumn>,
    #[serde(default)]
    pub rows: Vec<StaffRow>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum IndicatorLevel {
    Input,
    #[default]
    Processo,
    Risultato,
    Impatto,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub text: String,
    #[serde(default)]
    pub level: IndicatorLevel,
    /// n | percent | scale | document | time | boolean
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Target (or baseline for input indicators), as written: "90", "7", "1.5".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// none | stima | almeno
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub qualifier: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub period: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Achieved value ("Dato realizzato") of an evaluated indicator, or "non realizzato …".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub realizzato: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ResourceShare {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Percent as written ("50").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub percent: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ResourceLine {
    pub amount: Option<Money>,
    /// "" | almeno | circa
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub qualifier: String,
    /// triennale | annuo | prima_annualita | una_tantum | "" (to be chosen)
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub basis: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub di_cui: Vec<ResourceShare>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub envelope: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ResourceLines {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub none_needed: bool,
    #[serde(default)]
    pub lines: Vec<ResourceLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StaffLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    pub role: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A cell of a fund table: a value, an explicit zero ("-   €"), or not yet assigned.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FundCell {
    Value(Money),
    Zero,
    NotAssigned,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FundRow {
    /// Row id of the template, or a custom row label.
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Cells by column (year) id.
    #[serde(default)]
    pub cells: BTreeMap<String, FundCell>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FundTable {
    #[serde(default)]
    pub rows: Vec<FundRow>,
    /// Typed totals from an imported document, by column id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub typed_totals: BTreeMap<String, Money>,
}

/// Evaluation grid: numeric inputs by row id; computed rows and the band are derived.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct EvaluationGrid {
    /// Inputs by row id, as decimal strings ("12", "3.5").
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
    /// Values printed in an imported document (checked against the computation).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub typed: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}
