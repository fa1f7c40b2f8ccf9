//! Verifica: the Region's rules. Each template rule names a check implemented in `checks`; the
//! template gives its id, severity, Italian message and parameters.

mod checks;
mod checks_pdz;
mod checks_plan;
mod checks_table;
pub mod params;

use crate::model::{Document, Fascicolo, OfficeProfile};
use crate::template::{Family, Form, RuleDef, Section, Severity};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use checks_table::validate as validate_params;
pub use params::is_known;

// Lookups that live in the model, re-exported for the callers that name them here.
pub use crate::model::{document_label, fill, option_bool, option_str, option_value};

pub use checks::{is_empty, malformed_amounts, money_column_header, section_words, staff_column_header};

/// One finding of the Verifica.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// Document id ("lettera", "scheda-2"), empty for fascicolo-level findings.
    pub document: String,
    /// Human label of the document ("Scheda progetto n. 2").
    pub document_label: String,
    /// Location inside the document: section id, then row/column ("risorse_economiche/righe/3").
    pub path: String,
    /// Heading of the section, if any.
    pub section: String,
    pub message: String,
}

/// Everything a check may look at.
pub struct Ctx<'a> {
    pub family: &'a Family,
    pub fascicolo: &'a Fascicolo,
    pub profile: &'a OfficeProfile,
    pub today: NaiveDate,
}

impl<'a> Ctx<'a> {
    /// Value of a fascicolo option: the fascicolo's own, else the variant default, else the default.
    pub fn option(&self, id: &str) -> Option<serde_json::Value> {
        option_value(self.family, self.fascicolo, id)
    }
    pub fn schede(&self) -> impl Iterator<Item = (&'a Document, &'a Form)> + 'a {
        let fam = self.family;
        self.fascicolo.documents.iter().filter_map(move |d| {
            fam.form(&d.form).filter(|f| f.role == crate::template::FormRole::Scheda).map(|f| (d, f))
        })
    }
}

/// Collects findings for one rule; knows where it is.
pub struct Sink<'r> {
    rule: &'r RuleDef,
    family: &'r Family,
    pub findings: Vec<Finding>,
}

impl<'r> Sink<'r> {
    fn new(rule: &'r RuleDef, family: &'r Family) -> Self {
        Sink { rule, family, findings: Vec::new() }
    }
    /// Adds a finding with the rule's main message (or the alternative `case` one).
    pub fn push(
        &mut self,
        doc: Option<&Document>,
        section: Option<&Section>,
        subpath: &str,
        case: Option<&str>,
        vars: &[(&str, String)],
    ) {
        let tpl = case.and_then(|c| self.rule.messages.get(c)).unwrap_or(&self.rule.message);
        let mut path = section.map(|s| s.id.clone()).unwrap_or_default();
        if !subpath.is_empty() {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(subpath);
        }
        self.findings.push(Finding {
            rule: self.rule.id.clone(),
            severity: self.rule.severity,
            document: doc.map(|d| d.id.clone()).unwrap_or_default(),
            document_label: doc.map(|d| document_label(self.family, d)).unwrap_or_else(|| "Fascicolo".into()),
            path,
            section: section.map(|s| s.heading.clone()).unwrap_or_default(),
            message: fill(tpl, vars),
        });
    }
}

/// Runs every rule of the fascicolo's family. Findings come in document order, then rule order.
pub fn check(family: &Family, fascicolo: &Fascicolo, profile: &OfficeProfile, today: NaiveDate) -> Vec<Finding> {
    let ctx = Ctx { family, fascicolo, profile, today };
    let mut all = Vec::new();
    for rule in &family.rules {
        if !rule.variants.is_empty() && !rule.variants.contains(&fascicolo.variant) {
            continue;
        }
        let mut sink = Sink::new(rule, family);
        checks::run(&ctx, rule, &mut sink);
        all.extend(sink.findings);
    }
    let order = |doc: &str| fascicolo.documents.iter().position(|d| d.id == doc).map(|p| p + 1).unwrap_or(0);
    all.sort_by_key(|f| order(&f.document));
    all
}

/// Counts (errori, avvisi).
pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let e = findings.iter().filter(|f| f.severity == Severity::Errore).count();
    (e, findings.len() - e)
}
