//! Find in the open fascicolo (Ctrl+F of the app, through the store's full-text index): each hit
//! names its place as the history does and carries the document and section to scroll to.

use super::history::place;
use crate::error::Result;
use crate::store::Store;
use crate::template::{FieldKind, Registry};
use serde::Serialize;

/// Hits shown at most.
pub const MAX_HITS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// Document id, when the text is inside a document.
    pub document: Option<String>,
    /// Section id inside the document, when the text is in a section (the Gantt for activities).
    pub section: Option<String>,
    /// "Scheda progetto n. 1 – Titolo › Obiettivo".
    pub place: String,
    /// An excerpt with the matches between [ and ].
    pub snippet: String,
}

/// Where `text` occurs in fascicolo `id` (words, prefix match on the last one, accents ignored).
pub fn find_in(store: &Store, reg: &Registry, id: i64, text: &str) -> Result<Vec<Found>> {
    let hits = store.search_in(id, text, MAX_HITS)?;
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let f = store.load(id)?;
    let fam = super::family(reg, &f.family).ok();
    Ok(hits
        .into_iter()
        .map(|h| {
            let (doc, sec) = place(reg, &f, &h.key);
            let rest = h.key.strip_prefix("doc/");
            let (document, section) = match rest.map(|r| r.rsplit_once("/field/")) {
                Some(Some((d, s))) => (Some(d.to_string()), Some(s.to_string())),
                Some(None) => {
                    let r = rest.unwrap_or_default();
                    match r.strip_suffix("/activities") {
                        Some(d) => {
                            let gantt = fam
                                .zip(f.documents.iter().find(|x| x.id == d))
                                .and_then(|(fam, x)| fam.form(&x.form))
                                .and_then(|fo| fo.sections.iter().find(|s| s.kind == FieldKind::Gantt))
                                .map(|s| s.id.clone());
                            (Some(d.to_string()), gantt)
                        }
                        None => (Some(r.to_string()), None),
                    }
                }
                None => (None, None),
            };
            Found {
                document,
                section,
                place: if doc.is_empty() { sec } else { format!("{doc} › {sec}") },
                snippet: h.snippet,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service;

    #[test]
    fn finds_in_one_fascicolo_only_with_places_to_scroll_to() {
        let dir = tempfile::tempdir().unwrap();
        let reg = Registry::load(None).unwrap();
        let mut store = Store::open(&dir.path().join("a.sqlite")).unwrap();
        let demo =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/oglio-po-2021-2023-quota-premiale.json");
        let a = service::import_file(&mut store, &reg, &demo).unwrap().id;
        let b = service::import_file(&mut store, &reg, &demo).unwrap().id;
        let mut f = store.load(b).unwrap();
        f.documents[1]
            .fields
            .insert("obiettivo".into(), crate::model::FieldValue::Text { text: "Parola zanzibar.".into() });
        store.save(b, &f, "prova").unwrap();
        assert!(find_in(&store, &reg, a, "zanzibar").unwrap().is_empty());
        let hits = find_in(&store, &reg, b, "Zanzibàr").unwrap();
        assert_eq!(hits.len(), 1, "{hits:?}");
        let h = &hits[0];
        assert_eq!(
            (h.document.as_deref(), h.section.as_deref()),
            (Some(f.documents[1].id.as_str()), Some("obiettivo"))
        );
        assert!(
            h.snippet.contains("[zanzibar]") && h.place.ends_with("Obiettivo") || h.place.contains("biettivo"),
            "{h:?}"
        );
        assert!(!h.place.contains("scheda-"), "{h:?}");
        // Activity labels lead to the Gantt.
        let label = f.documents[1].activities[0].label.clone();
        let word = label.split_whitespace().find(|w| w.len() > 5).unwrap().to_string();
        let hits = find_in(&store, &reg, b, &word).unwrap();
        assert!(hits.iter().any(|h| h.section.as_deref() == Some("cronoprogramma")), "{word}: {hits:?}");
        assert!(find_in(&store, &reg, b, "  ").unwrap().is_empty());
        assert!(find_in(&store, &reg, 999, "casa").is_err());
    }
}
