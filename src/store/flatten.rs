//! A fascicolo as a map of independently versioned keys:
//! `fascicolo` (everything but the documents, plus their order), `doc/{id}` (document header),
//! `doc/{id}/activities`, `doc/{id}/field/{section}`, and for a whole plan `plan/{chapter id}` (the
//! chapter's parts: a keystroke in a chapter writes that chapter only).

use crate::error::{Error, Result};
use crate::model::{Activity, Document, Fascicolo, FieldValue, Part};
use std::collections::BTreeMap;

#[derive(serde::Serialize, serde::Deserialize)]
struct Head {
    #[serde(flatten)]
    fascicolo: Fascicolo,
    order: Vec<String>,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|_| Error::Store("dato non registrabile.".into()))
}

pub fn flatten(f: &Fascicolo) -> Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    let mut head = f.clone();
    head.documents.clear();
    if let Some(plan) = &mut head.plan {
        fn take(cs: &mut [crate::model::Chapter], map: &mut BTreeMap<String, String>) -> Result<()> {
            for c in cs {
                if !c.parts.is_empty() {
                    map.insert(format!("plan/{}", c.id), json(&std::mem::take(&mut c.parts))?);
                }
                take(&mut c.children, map)?;
            }
            Ok(())
        }
        take(&mut plan.chapters, &mut map)?;
    }
    let order = f.documents.iter().map(|d| d.id.clone()).collect();
    map.insert("fascicolo".to_string(), json(&Head { fascicolo: head, order })?);
    for d in &f.documents {
        let mut h = d.clone();
        h.fields.clear();
        h.activities.clear();
        map.insert(format!("doc/{}", d.id), json(&h)?);
        if !d.activities.is_empty() {
            map.insert(format!("doc/{}/activities", d.id), json(&d.activities)?);
        }
        for (k, v) in &d.fields {
            map.insert(format!("doc/{}/field/{k}", d.id), json(v)?);
        }
    }
    Ok(map)
}

pub fn unflatten(map: &BTreeMap<String, String>) -> Result<Fascicolo> {
    let bad = |k: &str, _: serde_json::Error| {
        Error::Store(format!(
            "dato «{}» illeggibile: l'archivio potrebbe essere danneggiato. Ripristinare la copia di sicurezza più recente.",
            describe_key(k)
        ))
    };
    let head_json = map.get("fascicolo").ok_or_else(|| Error::Store("fascicolo senza intestazione".into()))?;
    let Head { mut fascicolo, order } = serde_json::from_str(head_json).map_err(|e| bad("fascicolo", e))?;
    let mut docs: BTreeMap<String, Document> = BTreeMap::new();
    if let Some(plan) = &mut fascicolo.plan {
        for (k, v) in map.range("plan/".to_string().."plan0".to_string()) {
            let id = &k["plan/".len()..];
            let parts: Vec<Part> = serde_json::from_str(v).map_err(|e| bad(k, e))?;
            if let Some(c) = plan.chapter_mut(id) {
                c.parts = parts;
            }
        }
    }
    for (k, v) in map {
        let Some(rest) = k.strip_prefix("doc/") else { continue };
        if let Some(id) = rest.strip_suffix("/activities") {
            let acts: Vec<Activity> = serde_json::from_str(v).map_err(|e| bad(k, e))?;
            docs.entry(id.to_string()).or_default().activities = acts;
        } else if let Some((id, sec)) = rest.rsplit_once("/field/") {
            let val: FieldValue = serde_json::from_str(v).map_err(|e| bad(k, e))?;
            docs.entry(id.to_string()).or_default().fields.insert(sec.to_string(), val);
        } else {
            let h: Document = serde_json::from_str(v).map_err(|e| bad(k, e))?;
            let e = docs.entry(rest.to_string()).or_default();
            let (fields, acts) = (std::mem::take(&mut e.fields), std::mem::take(&mut e.activities));
            *e = h;
            e.fields = fields;
            e.activities = acts;
        }
    }
    fascicolo.documents = order.iter().filter_map(|id| docs.remove(id)).collect();
    Ok(fascicolo)
}

/// "doc/scheda-1/field/obiettivo" → "scheda-1 › obiettivo".
pub fn describe_key(k: &str) -> String {
    if k == "fascicolo" {
        return "Dati del fascicolo".into();
    }
    if let Some(id) = k.strip_prefix("plan/") {
        return format!("capitolo {id}");
    }
    let rest = k.strip_prefix("doc/").unwrap_or(k);
    if let Some(id) = rest.strip_suffix("/activities") {
        return format!("{id} › attività");
    }
    match rest.rsplit_once("/field/") {
        Some((id, sec)) => format!("{id} › {sec}"),
        None => format!("{rest} › intestazione"),
    }
}

/// Readable content of a stored value: the text itself for text fields, pretty JSON otherwise.
pub fn readable(j: &str) -> String {
    if let Ok(FieldValue::Text { text }) = serde_json::from_str::<FieldValue>(j) {
        return text;
    }
    serde_json::from_str::<serde_json::Value>(j)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| j.to_string())
}

/// The text indexed for search.
pub fn search_text(k: &str, j: &str) -> String {
    if k == "fascicolo" {
        return serde_json::from_str::<Head>(j)
            .map(|h| format!("{}\n{}", h.fascicolo.title, h.fascicolo.notes))
            .unwrap_or_default();
    }
    if k.ends_with("/activities") {
        return serde_json::from_str::<Vec<Activity>>(j)
            .map(|a| a.iter().map(|a| a.label.as_str()).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
    }
    if k.starts_with("plan/") {
        return serde_json::from_str::<Vec<Part>>(j)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| match p {
                        Part::Text { text } => Some(crate::words::plain_rich(text)),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
    }
    if k.contains("/field/") {
        // Rich-text marks (headings, emphasis) are not indexed, so snippets read as the text does.
        return serde_json::from_str::<FieldValue>(j)
            .map(|v| v.texts().iter().map(|t| crate::words::plain_rich(t)).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
    }
    String::new()
}
