//! The history as a person reads it: revisions grouped into editing sessions (autosaves a few
//! minutes apart are one entry) named after the sections they touched, and differences shown as
//! the printed form shows them (text, tables, Gantt bars), never as stored JSON.

use super::family;
use crate::error::Result;
use crate::model::Fascicolo;
use crate::pdf::{self, ViewBlock};
use crate::store::{describe_key, search_text, Store};
use crate::template::{FieldKind, FormRole, Registry};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// Saves further apart than this start a new entry of the history.
pub const SESSION_GAP_MINUTES: i64 = 10;
/// How many section names an entry lists before "e altre N".
const NAMED: usize = 3;

/// One editing session: consecutive revisions with the same note, each within
/// `SESSION_GAP_MINUTES` of the previous one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub first_rev: i64,
    pub last_rev: i64,
    pub started_at: String,
    pub ended_at: String,
    /// Revisions merged into this entry.
    pub saves: usize,
    /// The sections changed, by their labels in the template ("Cronoprogramma, Risorse economiche").
    pub title: String,
    /// Every place changed ("Scheda progetto n. 2 › Cronoprogramma"), in order.
    pub places: Vec<String>,
    /// The note of the revisions ("Salvataggio automatico", "Importazione…").
    pub message: String,
}

/// Where a stored key lives, in the user's words: (document, section).
pub fn place(reg: &Registry, f: &Fascicolo, key: &str) -> (String, String) {
    let fam = family(reg, &f.family).ok();
    if key == "fascicolo" {
        return (String::new(), "Dati del fascicolo".into());
    }
    if let Some(ch) = key.strip_prefix("plan/") {
        let title = f.plan.as_ref().and_then(|p| p.chapter(ch)).map(|c| c.title.clone());
        return (String::new(), title.unwrap_or_else(|| describe_key(key)));
    }
    let rest = key.strip_prefix("doc/").unwrap_or(key);
    let (doc_id, what) = match rest.rsplit_once("/field/") {
        Some((d, s)) => (d, Some(s)),
        None => (rest.strip_suffix("/activities").unwrap_or(rest), None),
    };
    let (Some(fam), Some(doc)) = (fam, f.documents.iter().find(|d| d.id == doc_id)) else {
        let d = describe_key(key);
        return match d.split_once(" › ") {
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => (String::new(), d),
        };
    };
    let form = fam.form(&doc.form);
    let doc_name = match form {
        Some(fo) if fo.role == FormRole::Scheda && doc.number.is_none() => crate::rules::document_label(fam, doc),
        Some(fo) if fo.role == FormRole::Scheda => {
            format!("{} – {}", crate::rules::document_label(fam, doc), doc.title())
        }
        _ => crate::rules::document_label(fam, doc),
    };
    let gantt = form.and_then(|fo| fo.sections.iter().find(|s| s.kind == FieldKind::Gantt));
    let section = match what {
        None if rest.ends_with("/activities") && gantt.is_some() => {
            gantt.map(|s| s.heading_with(|k| Some(crate::rules::option_str(fam, f, k)))).unwrap_or_default()
        }
        Some(sec) => form
            .and_then(|fo| fo.sections.iter().find(|s| s.id == sec))
            .map(|s| s.heading_with(|k| Some(crate::rules::option_str(fam, f, k))))
            .unwrap_or_else(|| sec.to_string()),
        None if rest.ends_with("/activities") => "Attività".into(),
        None => "Intestazione".into(),
    };
    (doc_name, section)
}

fn time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

/// "A, B, C e altre 2 sezioni".
fn name(sections: &[String]) -> String {
    let mut uniq: Vec<&str> = Vec::new();
    for s in sections {
        if !uniq.contains(&s.as_str()) {
            uniq.push(s);
        }
    }
    let shown = uniq.iter().take(NAMED).copied().collect::<Vec<_>>().join(", ");
    match uniq.len().saturating_sub(NAMED) {
        0 => shown,
        1 => format!("{shown} e un'altra sezione"),
        n => format!("{shown} e altre {n} sezioni"),
    }
}

/// The history of a fascicolo as editing sessions, oldest first. The first revision (creation or
/// import) is named by its note, since it writes everything.
pub fn sessions(store: &Store, reg: &Registry, id: i64) -> Result<Vec<Session>> {
    let revs = store.history(id)?;
    let keys = store.revision_keys(id)?;
    let head = store.load(id)?;
    let mut out: Vec<Session> = Vec::new();
    let mut sections: Vec<Vec<String>> = Vec::new();
    // Keys written so far (a document header seen for the first time = a document added), and
    // the documents added in the current session (their sections are not listed one by one).
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut added: Vec<String> = Vec::new();
    for r in revs {
        let touched: Vec<(&String, bool)> =
            keys.iter().filter(|(rv, _, _)| *rv == r.rev).map(|(_, k, present)| (k, *present)).collect();
        let joins = out.last().is_some_and(|s| {
            s.first_rev > 1
                && r.rev > 1
                && s.message == r.message
                && match (time(&s.ended_at), time(&r.created_at)) {
                    (Some(a), Some(b)) => (b - a).num_minutes() < SESSION_GAP_MINUTES,
                    _ => false,
                }
        });
        if !joins {
            out.push(Session {
                first_rev: r.rev,
                last_rev: r.rev,
                started_at: r.created_at.clone(),
                ended_at: r.created_at.clone(),
                saves: 0,
                title: String::new(),
                places: Vec::new(),
                message: r.message.clone(),
            });
            sections.push(Vec::new());
            added.clear();
        }
        let (Some(s), Some(secs)) = (out.last_mut(), sections.last_mut()) else { continue };
        s.last_rev = r.rev;
        s.ended_at = r.created_at;
        s.saves += 1;
        if r.rev == 1 {
            seen.extend(touched.iter().map(|(k, _)| k.as_str()));
            continue;
        }
        for (k, present) in touched {
            let header = k.strip_prefix("doc/").filter(|d| !d.contains('/'));
            let owner = k.strip_prefix("doc/").and_then(|d| d.split('/').next());
            let first = seen.insert(k.as_str());
            let label = match header {
                Some(d) if first && present => {
                    added.push(d.to_string());
                    let (doc, _) = place(reg, &head, k);
                    Some(format!("Nuovo documento: {}", if doc.is_empty() { d.to_string() } else { doc }))
                }
                Some(d) if !present => Some(format!("Documento tolto ({d})")),
                _ if owner.is_some_and(|o| added.iter().any(|a| a == o)) => continue,
                _ => None,
            };
            let (p, sec) = match label {
                Some(l) => (l.clone(), l),
                None => {
                    let (doc, sec) = place(reg, &head, k);
                    (if doc.is_empty() { sec.clone() } else { format!("{doc} › {sec}") }, sec)
                }
            };
            if !s.places.contains(&p) {
                s.places.push(p);
            }
            secs.push(sec);
        }
    }
    for (s, secs) in out.iter_mut().zip(&sections) {
        s.title = if s.first_rev == 1 || secs.is_empty() { s.message.clone() } else { name(secs) };
    }
    Ok(out)
}

/// One changed place between two revisions, drawn as the printed form draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The document ("Scheda progetto n. 2 – Titolo"); empty for data of the whole fascicolo.
    pub document: String,
    /// The section label from the template.
    pub section: String,
    /// Absent before (added) / after (removed) = empty.
    pub before: Vec<ViewBlock>,
    pub after: Vec<ViewBlock>,
}

fn view(reg: &Registry, store: &Store, f: &Fascicolo, key: &str, json: Option<&String>) -> Vec<ViewBlock> {
    let Some(json) = json else { return Vec::new() };
    // A document's header: its name, as the sidebar shows it.
    if let Some(d) = key.strip_prefix("doc/").filter(|d| !d.contains('/')) {
        let (doc, _) = place(reg, f, key);
        return vec![ViewBlock::Text { text: if doc.is_empty() { d.to_string() } else { doc } }];
    }
    // A field is drawn by its section; the activities by the Gantt that shows them.
    let target = key.strip_prefix("doc/").and_then(|r| match r.rsplit_once("/field/") {
        Some((d, s)) => Some((d, Some(s))),
        None => r.strip_suffix("/activities").map(|d| (d, None)),
    });
    if let Some((doc_id, sec)) = target {
        let profile = super::profile(store).unwrap_or_default();
        let found = family(reg, &f.family).ok().and_then(|fam| {
            let doc = f.documents.iter().find(|d| d.id == doc_id)?;
            let mut sections = fam.form(&doc.form)?.sections.iter();
            let s = match sec {
                Some(sec) => sections.find(|s| s.id == sec)?,
                None => sections.find(|s| s.kind == FieldKind::Gantt)?,
            };
            pdf::section_view(fam, f, &profile, doc, s).ok()
        });
        if let Some(v) = found {
            return v;
        }
    }
    vec![ViewBlock::Text { text: search_text(key, json) }]
}

/// The differences from revision `from` to `to` (`None` = the head), place by place.
pub fn changes(store: &Store, reg: &Registry, id: i64, from: i64, to: Option<i64>) -> Result<Vec<Change>> {
    let to = match to {
        Some(t) => t,
        None => store.head(id)?,
    };
    let raw = store.diff(id, from, to)?;
    let (fa, fb) = (store.load_at(id, from)?, store.load_at(id, to)?);
    let (ma, mb) = (crate::store::flatten(&fa)?, crate::store::flatten(&fb)?);
    Ok(raw
        .into_iter()
        .map(|c| {
            let (document, section) = place(reg, if mb.contains_key(&c.key) { &fb } else { &fa }, &c.key);
            Change {
                document,
                section,
                before: view(reg, store, &fa, &c.key, ma.get(&c.key)),
                after: view(reg, store, &fb, &c.key, mb.get(&c.key)),
            }
        })
        .collect())
}

/// A block as plain lines (the CLI): tables one row a line, cells separated by " | ", Gantt
/// periods as "█" (in the bar) and "·".
pub fn block_lines(b: &ViewBlock) -> Vec<String> {
    match b {
        ViewBlock::Text { text } => text.lines().map(str::to_string).collect(),
        ViewBlock::Table { header, rows } => header
            .iter()
            .chain(rows)
            .map(|r| {
                r.iter()
                    .map(|c| match c.mark {
                        pdf::CellMark::Bar if c.text.trim().is_empty() => "█".to_string(),
                        pdf::CellMark::Outside if c.text.trim().is_empty() => "·".to_string(),
                        _ => c.text.replace('\n', " "),
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect(),
    }
}
