//! Lookups over a fascicolo and its template family: option values (the fascicolo's own, the
//! variant default, the default), the human label of a document, and `{name}` placeholder filling
//! of the templates' messages and patterns.

use super::{Document, Fascicolo};
use crate::template::Family;

/// Resolves a fascicolo option against the template defaults.
pub fn option_value(family: &Family, fasc: &Fascicolo, id: &str) -> Option<serde_json::Value> {
    if let Some(v) = fasc.options.get(id) {
        return Some(v.clone());
    }
    let def = family.option_def(id)?;
    let v = def.variant_defaults.get(&fasc.variant).unwrap_or(&def.default);
    serde_json::to_value(v).ok()
}

pub fn option_bool(family: &Family, fasc: &Fascicolo, id: &str) -> bool {
    option_value(family, fasc, id).and_then(|v| v.as_bool()).unwrap_or(false)
}

pub fn option_str(family: &Family, fasc: &Fascicolo, id: &str) -> String {
    option_value(family, fasc, id).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Human label of a document: "Lettera di richiesta", "Scheda progetto n. 2".
pub fn document_label(family: &Family, doc: &Document) -> String {
    match family.form(&doc.form) {
        Some(f) if f.role == crate::template::FormRole::Scheda => {
            let base = f.title.split(" (").next().unwrap_or(&f.title);
            match doc.number {
                Some(n) => format!("{base} n. {n}"),
                None => format!("{base} «{}»", doc.title()),
            }
        }
        Some(f) => f.title.clone(),
        None => doc.id.clone(),
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}
