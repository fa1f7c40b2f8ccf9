//! Typed rule parameters: one struct per named check, deserialised strictly (unknown keys, wrong
//! types and missing keys refused) when a template loads, and checked against the family (the
//! forms, sections, vocabularies and options they name must exist).
//!
//! To add a check: write its `#[derive(Deserialize)] #[serde(deny_unknown_fields)]` struct here
//! (or use `NoParams`), implement `Params` (list the ids it names in `refs`), and add one line to
//! `CHECKS`.

use crate::template::{Family, RuleDef};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where a section named by a parameter must exist.
pub enum In<'a> {
    /// The rule's own form (or any form when the rule has none).
    RuleForm,
    Form(&'a str),
    /// Any form of the family.
    AnyForm,
}

/// An id of the family named by a parameter (`key` is the parameter's name).
pub enum Ref<'a> {
    Section {
        key: &'static str,
        id: &'a str,
        within: In<'a>,
    },
    Form {
        key: &'static str,
        id: &'a str,
    },
    Vocabulary {
        key: &'static str,
        id: &'a str,
    },
    Option {
        key: &'static str,
        id: &'a str,
    },
    /// An item of a vocabulary (for example a regional area code).
    Item {
        key: &'static str,
        vocabulary: &'a str,
        id: &'a str,
    },
    /// A choice of an enumeration section.
    Choice {
        key: &'static str,
        form: &'a str,
        section: &'a str,
        id: &'a str,
    },
}

pub trait Params {
    /// The family ids the parameters name; each must exist.
    fn refs(&self) -> Vec<Ref<'_>> {
        Vec::new()
    }
    /// Whether the rule must list its sections (the check reads `sections[0]`).
    fn needs_sections(&self) -> bool {
        false
    }
}

/// A parameter error: the parameter's path inside `params` (may be empty) and the Italian message.
pub struct ParamError {
    pub key: String,
    pub message: String,
}

type Parser = fn(&toml::Table, &Family, &RuleDef) -> Result<(), ParamError>;

macro_rules! registry {
    ($($name:literal => $ty:ty),* $(,)?) => {
        /// Every named check a template may use, with the parser of its parameters.
        pub const CHECKS: &[(&str, Parser)] = &[$(($name, parse::<$ty>)),*];
    };
}

registry! {
    "letter_required" => LetterRequired,
    "letter_areas_match" => LetterAreas,
    "letter_scheda_count" => Count,
    "letter_titles_match" => LetterTitles,
    "annex_unique" => NoParams,
    "annex_present" => NoParams,
    "date_plausible" => DatePlausible,
    "scheda_numbering" => NoParams,
    "profile_flag" => ProfileFlag,
    "choice_min" => Count,
    "choice_max" => Count,
    "keypoints_of_primary" => Keypoints,
    "keypoints_outside_primary" => Keypoints,
    "required_sections" => NoParams,
    "section_not_empty" => NoParams,
    "entity_count" => EntityCount,
    "secondary_areas_valid" => SecondaryAreas,
    "deliverable_indicators" => NoParams,
    "word_limit" => WordLimit,
    "word_limit_near" => WordLimit,
    "activities_min" => Count,
    "activity_has_period" => NoParams,
    "activity_in_budget" => NoParams,
    "budget_row_activity" => NoParams,
    "gantt_start_deadline" => NoParams,
    "period_after_start" => NoParams,
    "period_deadline" => NoParams,
    "period_order" => NoParams,
    "milestone_in_period" => NoParams,
    "budget_row_balance" => NoParams,
    "budget_typed_totals" => NoParams,
    "budget_row_cost" => NoParams,
    "budget_column_named" => NoParams,
    "budget_column_nonempty" => BudgetColumns,
    "budget_control_column" => NoParams,
    "staff_euro_within_income" => StaffBudget,
    "staff_euro_linked" => NoParams,
    "staff_column_kinds" => NoParams,
    "staff_role" => NoParams,
    "staff_row_values" => NoParams,
    "text_money_format" => NoParams,
    "row_half_filled" => super::checks_table::RowHalfFilledParams,
    "unprintable_characters" => super::checks_table::UnprintableParams,
    "amount_as_typed" => super::checks_table::UnprintableParams,
    "pdz_area_mapped" => NoParams,
    "pdz_area_coverage" => Areas,
    "pdz_area_fold" => Areas,
    "pdz_area_unique" => Areas,
    "pdz_area_label" => Areas,
    "pdz_system_objectives" => NoParams,
    "pdz_required" => PdzRequired,
    "pdz_yesno_answered" => NoParams,
    "pdz_yes_text" => NoParams,
    "pdz_yes_refs" => YesRefs,
    "pdz_own_area_crossref" => OwnAreaCrossref,
    "pdz_custom_entries" => NoParams,
    "pdz_terzo_settore_missing" => TerzoSettore,
    "pdz_terzo_settore_extra" => TerzoSettore,
    "pdz_enum_valid" => NoParams,
    "pdz_enum_present" => NoParams,
    "pdz_yes_implies_yes" => YesImpliesYes,
    "pdz_objective_numbering" => ObjectiveNumbering,
    "pdz_guidance_as_content" => NoParams,
    "pdz_resources_present" => NoParams,
    "pdz_resource_basis" => NoParams,
    "pdz_resource_source" => NoParams,
    "pdz_resource_shares" => NoParams,
    "pdz_shared_envelope" => SharedEnvelope,
    "pdz_mixed_bases" => NoParams,
    "pdz_indicator_present" => NoParams,
    "pdz_indicator_target" => NoParams,
    "pdz_indicator_unit" => NoParams,
    "pdz_indicator_value" => NoParams,
    "pdz_indicator_levels" => NoParams,
    "pdz_indicator_achieved" => NoParams,
    "pdz_grid_inputs" => GridInputs,
    "pdz_grid_band" => NoParams,
    "pdz_grid_present" => NoParams,
    "pdz_grid_over_100" => NoParams,
    "pdz_grid_link" => GridLink,
    "pdz_percent_valid" => NoParams,
    "pdz_grade_vs_answer" => GradeVsAnswer,
    "pdz_unique_titles" => NoParams,
    "pdz_fund_typed_totals" => NoParams,
    "pdz_fund_negative" => NoParams,
    "pdz_fund_period" => FundPeriod,
    "pdz_fund_footnotes" => FundNotes,
    "pdz_fund_partial" => FundNotes,
    "pdz_fund_empty_row" => NoParams,
    "pdz_premiale_funded" => PremialeFunded,
    "pdz_premiale_fund_row" => PremialeFundRow,
    "pdz_premiale_esiti" => PremialeEsiti,
    "plan_budget_vs_funds" => super::checks_plan::BudgetVsFunds,
}

/// Whether a template may name this check.
pub fn is_known(name: &str) -> bool {
    CHECKS.iter().any(|(n, _)| *n == name)
}

/// The typed parameters of a rule, read from its table (checked when the template loaded, so the
/// default is only reached for a rule built outside the loader).
pub fn get<P: DeserializeOwned + Default>(rule: &RuleDef) -> P {
    let table: toml::Table = rule.params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    P::deserialize(toml::Value::Table(table)).unwrap_or_default()
}

/// Deserialises and checks the parameters of a rule whose check is known.
pub fn check_rule(fam: &Family, rule: &RuleDef) -> Result<(), ParamError> {
    let table: toml::Table = rule.params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    match CHECKS.iter().find(|(n, _)| *n == rule.check) {
        Some((_, parse)) => parse(&table, fam, rule),
        None => Err(ParamError { key: String::new(), message: format!("controllo «{}» sconosciuto", rule.check) }),
    }
}

fn parse<P: Params + DeserializeOwned>(table: &toml::Table, fam: &Family, rule: &RuleDef) -> Result<(), ParamError> {
    let p: P = serde_path_to_error::deserialize(toml::Value::Table(table.clone())).map_err(|e| {
        let key = e.path().to_string();
        let key = if key == "." { String::new() } else { key };
        italian(key, &e.into_inner().to_string(), &rule.check)
    })?;
    if p.needs_sections() && rule.sections.is_empty() {
        return Err(ParamError {
            key: String::new(),
            message: format!("il controllo «{}» richiede l'elenco «sections»", rule.check),
        });
    }
    for r in p.refs() {
        check_ref(fam, rule, &r)?;
    }
    Ok(())
}

fn check_ref(fam: &Family, rule: &RuleDef, r: &Ref) -> Result<(), ParamError> {
    let err = |key: &str, message: String| Err(ParamError { key: key.to_string(), message });
    match r {
        Ref::Section { key, id, within } => {
            let form = match within {
                In::RuleForm => rule.form.as_deref(),
                In::Form(f) => Some(*f),
                In::AnyForm => None,
            };
            match form {
                Some(f) => match fam.form(f) {
                    Some(form) if form.section(id).is_some() => Ok(()),
                    Some(_) => err(key, format!("sezione «{id}» inesistente nel modulo «{f}»")),
                    None => err(key, format!("modulo «{f}» inesistente")),
                },
                None if fam.forms.iter().any(|f| f.section(id).is_some()) => Ok(()),
                None => err(key, format!("sezione «{id}» inesistente in tutti i moduli")),
            }
        }
        Ref::Form { key, id } if fam.form(id).is_none() => err(key, format!("modulo «{id}» inesistente")),
        Ref::Vocabulary { key, id } if fam.vocabulary(id).is_none() => {
            err(key, format!("vocabolario «{id}» inesistente"))
        }
        Ref::Option { key, id } if fam.option_def(id).is_none() => err(key, format!("opzione «{id}» inesistente")),
        Ref::Item { key, vocabulary, id } => match fam.vocabulary(vocabulary) {
            Some(v) if v.item(id).is_some() => Ok(()),
            Some(_) => err(key, format!("voce «{id}» inesistente nel vocabolario «{vocabulary}»")),
            None => err(key, format!("vocabolario «{vocabulary}» inesistente")),
        },
        Ref::Choice { key, form, section, id } => match fam.form(form).and_then(|f| f.section(section)) {
            Some(s) if s.choices.iter().any(|c| c.id == *id) => Ok(()),
            Some(_) => err(key, format!("valore «{id}» inesistente nella sezione «{section}» del modulo «{form}»")),
            None => err(key, format!("sezione «{section}» inesistente nel modulo «{form}»")),
        },
        _ => Ok(()),
    }
}

/// The serde message in Italian (no library words reach the user).
fn italian(key: String, raw: &str, check: &str) -> ParamError {
    let raw = raw.split(" for key `").next().unwrap_or(raw).trim();
    let ticked = |s: &str| s.split('`').nth(1).unwrap_or_default().to_string();
    if raw.starts_with("unknown field") {
        let name = ticked(raw);
        let allowed: Vec<&str> =
            raw.split_once("expected").map(|(_, r)| r.split('`').skip(1).step_by(2).collect()).unwrap_or_default();
        let message = if allowed.is_empty() {
            format!("parametro «{name}» sconosciuto: il controllo «{check}» non ha parametri")
        } else {
            format!("parametro «{name}» sconosciuto per il controllo «{check}» (ammessi: {})", allowed.join(", "))
        };
        let key = if key.is_empty() || key == name || key.ends_with(&format!(".{name}")) {
            if key.is_empty() {
                name
            } else {
                key
            }
        } else {
            format!("{key}.{name}")
        };
        return ParamError { key, message };
    }
    if raw.starts_with("missing field") {
        let name = ticked(raw);
        let message = format!("parametro «{name}» obbligatorio per il controllo «{check}»");
        return ParamError { key, message };
    }
    if raw.starts_with("invalid type") || raw.starts_with("invalid value") || raw.starts_with("unknown variant") {
        let expected = raw.rsplit_once("expected ").map(|(_, e)| e).unwrap_or_default();
        let atteso = match expected {
            e if e.contains("bool") => "vero o falso (true/false)".to_string(),
            e if e.contains("integer") || e.starts_with('i') || e.starts_with('u') => "un numero intero".into(),
            e if e.contains("string") => "un testo tra virgolette".into(),
            e if e.contains("sequence") => "un elenco [..]".into(),
            e if e.contains("map") => "una tabella {..}".into(),
            e if e.contains("date") || e.contains("Date") => "una data aaaa-mm-gg".into(),
            e if raw.starts_with("unknown variant") => {
                format!("uno tra {}", e.split('`').skip(1).step_by(2).collect::<Vec<_>>().join(", "))
            }
            _ => "un valore di altro tipo".into(),
        };
        return ParamError { key, message: format!("valore non ammesso: atteso {atteso}") };
    }
    ParamError { key, message: format!("valore non ammesso ({raw})") }
}

fn sections<'a>(key: &'static str, ids: &'a [String], within: fn() -> In<'a>) -> impl Iterator<Item = Ref<'a>> {
    ids.iter().map(move |id| Ref::Section { key, id, within: within() })
}

// ------------------------------------------------------------------ the structs

macro_rules! section_refs {
    ($self:ident; $($key:literal => $field:expr),*) => {
        vec![$(Ref::Section { key: $key, id: $field, within: In::RuleForm }),*]
    };
}

/// Checks without parameters: any key is refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}
impl Params for NoParams {}

/// `min` / `max` counts (choice_min, choice_max, activities_min, letter_scheda_count).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub min: Option<i64>,
    pub max: Option<i64>,
}
impl Params for Count {}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordLimit {
    /// word_limit_near: share of the limit (percent) from which to warn.
    pub ratio_percent: Option<i64>,
}
impl Params for WordLimit {}

/// Sections of the letter read by `letter_required`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterRequired {
    pub place_section: String,
    pub date_section: String,
}
impl Params for LetterRequired {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "place_section" => &self.place_section, "date_section" => &self.date_section)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterAreas {
    /// Checklist of the letter.
    pub areas_section: String,
    /// Area section of the schede.
    pub scheda_section: String,
}
impl Params for LetterAreas {
    fn refs(&self) -> Vec<Ref<'_>> {
        vec![
            Ref::Section { key: "areas_section", id: &self.areas_section, within: In::RuleForm },
            Ref::Section { key: "scheda_section", id: &self.scheda_section, within: In::AnyForm },
        ]
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterTitles {
    pub titles_section: String,
}
impl Params for LetterTitles {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "titles_section" => &self.titles_section)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatePlausible {
    pub not_before: Option<chrono::NaiveDate>,
}
impl Params for DatePlausible {}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileFlagName {
    #[default]
    #[serde(rename = "formed_after_dgr_7631")]
    FormedAfterDgr7631,
}
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFlag {
    pub flag: ProfileFlagName,
}
impl Params for ProfileFlag {}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keypoints {
    /// Section holding the primary area.
    pub primary: String,
}
impl Params for Keypoints {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "primary" => &self.primary)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityCount {
    pub min: Option<i64>,
    pub max: Option<i64>,
    #[serde(default)]
    pub or_deroga: bool,
    #[serde(default)]
    pub or_note: bool,
}
impl Params for EntityCount {}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondaryAreas {
    pub primary: String,
    pub key_points: Option<String>,
}
impl Params for SecondaryAreas {
    fn refs(&self) -> Vec<Ref<'_>> {
        let mut v = section_refs!(self; "primary" => &self.primary);
        if let Some(k) = &self.key_points {
            v.push(Ref::Vocabulary { key: "key_points", id: k });
        }
        v
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetColumns {
    #[serde(default)]
    pub only_extra: bool,
}
impl Params for BudgetColumns {}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffBudget {
    /// Money table whose entrate bound the staff euro values.
    pub budget: String,
}
impl Params for StaffBudget {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "budget" => &self.budget)
    }
}

/// Regional areas mapped by the schede' area section (`sections[0]`): pdz_area_coverage, _fold,
/// _unique, _label.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Areas {
    pub vocabulary: Option<String>,
    #[serde(default)]
    pub except: Vec<String>,
    pub folds_option: Option<String>,
    pub areas_option: Option<String>,
    /// Form whose documents count as the mapping of `system_area`.
    pub system_form: Option<String>,
    pub system_area: Option<String>,
    /// The area several local areas may share ("Altro").
    pub open_area: Option<String>,
}
impl Params for Areas {
    fn refs(&self) -> Vec<Ref<'_>> {
        let mut v = Vec::new();
        if let Some(voc) = &self.vocabulary {
            v.push(Ref::Vocabulary { key: "vocabulary", id: voc });
            v.extend(self.except.iter().map(|id| Ref::Item { key: "except", vocabulary: voc, id }));
            if let Some(id) = &self.open_area {
                v.push(Ref::Item { key: "open_area", vocabulary: voc, id });
            }
            if let Some(id) = &self.system_area {
                v.push(Ref::Item { key: "system_area", vocabulary: voc, id });
            }
        }
        for (key, o) in [("folds_option", &self.folds_option), ("areas_option", &self.areas_option)] {
            if let Some(o) = o {
                v.push(Ref::Option { key, id: o });
            }
        }
        if let Some(f) = &self.system_form {
            v.push(Ref::Form { key: "system_form", id: f });
        }
        v
    }
    fn needs_sections(&self) -> bool {
        true
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdzRequired {
    #[serde(default)]
    pub skip: Vec<String>,
}
impl Params for PdzRequired {
    fn refs(&self) -> Vec<Ref<'_>> {
        sections("skip", &self.skip, || In::RuleForm).collect()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YesRefs {
    #[serde(default)]
    pub or_text: bool,
}
impl Params for YesRefs {}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnAreaCrossref {
    pub area_section: String,
    /// An area the scheda may also cite as cross-cutting ("Altro").
    pub open_area: Option<String>,
}
impl Params for OwnAreaCrossref {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "area_section" => &self.area_section)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerzoSettore {
    pub when: Vec<String>,
}
impl Params for TerzoSettore {
    fn refs(&self) -> Vec<Ref<'_>> {
        sections("when", &self.when, || In::RuleForm).collect()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YesImpliesYes {
    pub then: String,
}
impl Params for YesImpliesYes {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "then" => &self.then)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveNumbering {
    pub area_section: String,
    #[serde(default)]
    pub consecutive: bool,
}
impl Params for ObjectiveNumbering {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "area_section" => &self.area_section)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedEnvelope {
    /// Area section used to name the schede in the message ("B-1").
    pub area_section: String,
}
impl Params for SharedEnvelope {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "area_section" => &self.area_section)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridInputs {
    /// Input rows that must be at least 1.
    #[serde(default)]
    pub at_least_one: Vec<String>,
    /// Row → row: the first must be positive when the second is.
    #[serde(default)]
    pub positive_if: BTreeMap<String, String>,
}
impl Params for GridInputs {}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridLink {
    pub target_form: String,
    pub target_section: String,
    #[serde(default)]
    pub converse: bool,
}
impl Params for GridLink {
    fn refs(&self) -> Vec<Ref<'_>> {
        vec![
            Ref::Form { key: "target_form", id: &self.target_form },
            Ref::Section { key: "target_section", id: &self.target_section, within: In::Form(&self.target_form) },
        ]
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeVsAnswer {
    pub answer_section: String,
    pub grade_row: Option<String>,
}
impl Params for GradeVsAnswer {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "answer_section" => &self.answer_section)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundPeriod {
    #[serde(default)]
    pub title_sections: Vec<String>,
    pub period_option: Option<String>,
}
impl Params for FundPeriod {
    fn refs(&self) -> Vec<Ref<'_>> {
        let mut v: Vec<Ref> = sections("title_sections", &self.title_sections, || In::RuleForm).collect();
        if let Some(o) = &self.period_option {
            v.push(Ref::Option { key: "period_option", id: o });
        }
        v
    }
}

/// pdz_fund_footnotes (with `caption`) and pdz_fund_partial.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundNotes {
    pub notes: String,
    pub caption: Option<String>,
}
impl Params for FundNotes {
    fn refs(&self) -> Vec<Ref<'_>> {
        let mut v = section_refs!(self; "notes" => &self.notes);
        if let Some(c) = &self.caption {
            v.push(Ref::Section { key: "caption", id: c, within: In::RuleForm });
        }
        v
    }
}

/// The premialità registry: form, outcome section, the choice meaning "funded", short name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PremialeFunded {
    pub registry_form: String,
    pub outcome_section: String,
    pub funded: String,
    pub name_section: String,
}
impl Params for PremialeFunded {
    fn refs(&self) -> Vec<Ref<'_>> {
        let f = self.registry_form.as_str();
        vec![
            Ref::Form { key: "registry_form", id: f },
            Ref::Section { key: "name_section", id: &self.name_section, within: In::Form(f) },
            Ref::Choice { key: "funded", form: f, section: &self.outcome_section, id: &self.funded },
        ]
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PremialeEsiti {
    pub outcome_section: String,
    pub funded: String,
    pub name_section: String,
}
impl Params for PremialeEsiti {
    fn refs(&self) -> Vec<Ref<'_>> {
        section_refs!(self; "outcome_section" => &self.outcome_section, "name_section" => &self.name_section)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PremialeFundRow {
    pub registry_form: String,
    pub registry_section: String,
    /// Fund-table row (source) holding the premialità.
    pub row: String,
}
impl Params for PremialeFundRow {
    fn refs(&self) -> Vec<Ref<'_>> {
        vec![
            Ref::Form { key: "registry_form", id: &self.registry_form },
            Ref::Section { key: "registry_section", id: &self.registry_section, within: In::Form(&self.registry_form) },
        ]
    }
}
