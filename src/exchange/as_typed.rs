//! Amounts kept exactly as the office typed them. A table cell holding something that is not an
//! amount ("1.015.679,505", "12.3456,00") does not refuse the whole file: on import the text is
//! taken out of its cell and kept in the document's `as_typed` map, keyed by its place
//! ("{section}/rows/0/cost", a JSON pointer inside the section's value), the cell staying empty;
//! the Verifica reports each one with the others (check `amount_as_typed`); the export writes the
//! text back in its cell, so export → import → export is byte-identical. A cell that holds an
//! amount again wins over a stale entry.

use crate::money::Money;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Where amounts sit in each kind of section value: paths of object keys, `*` for every element
/// of an array or every entry of a map. A last segment in `WRAPPED` is an enum tag around the
/// amount (`{"euro": "…"}`): the whole cell is taken out and put back.
const PLACES: &[(&str, &[&[&str]])] = &[
    (
        "money_table",
        &[
            &["rows", "*", "cost"],
            &["rows", "*", "amounts", "*"],
            &["rows", "*", "typed_control"],
            &["typed_totals", "*"],
        ],
    ),
    ("staff_table", &[&["rows", "*", "cells", "*", "euro"]]),
    ("resource_lines", &[&["lines", "*", "amount"], &["lines", "*", "di_cui", "*", "amount"]]),
    ("fund_table", &[&["rows", "*", "cells", "*", "value"], &["typed_totals", "*"]]),
];

const WRAPPED: &[&str] = &["euro", "value"];

fn escape(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

/// Takes every malformed amount out of the documents of an exchange file (as parsed loosely) and
/// returns them by document index. Values of the right shape are left alone.
pub fn extract(file: &mut Value) -> BTreeMap<usize, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let Some(docs) = file.pointer_mut("/fascicolo/documents").and_then(Value::as_array_mut) else { return out };
    for (di, doc) in docs.iter_mut().enumerate() {
        let Some(fields) = doc.get_mut("fields").and_then(Value::as_object_mut) else { continue };
        let mut kept = BTreeMap::new();
        for (section, value) in fields.iter_mut() {
            let Some(kind) = value.get("kind").and_then(Value::as_str).map(str::to_string) else { continue };
            let Some((_, paths)) = PLACES.iter().find(|(k, _)| *k == kind) else { continue };
            for path in *paths {
                walk(value, path, &mut escape(section), &mut kept);
            }
        }
        if !kept.is_empty() {
            out.insert(di, kept);
        }
    }
    out
}

fn walk(v: &mut Value, path: &[&str], at: &mut String, kept: &mut BTreeMap<String, String>) {
    let Some((first, rest)) = path.split_first() else { return };
    let len = at.len();
    if rest.is_empty() || (rest.len() == 1 && WRAPPED.contains(&rest[0])) {
        // `first` names the cell (or, with a wrapper, the cell holding {tag: amount}).
        let mut take = |obj: &mut Map<String, Value>, key: String| {
            let raw = match obj.get(&key) {
                Some(Value::String(s)) if rest.is_empty() => s.clone(),
                Some(Value::Object(o)) if !rest.is_empty() && o.len() == 1 => match o.get(rest[0]) {
                    Some(Value::String(s)) => s.clone(),
                    _ => return,
                },
                _ => return,
            };
            if Money::parse_it(&raw).is_ok() {
                return;
            }
            let mut place = format!("{at}/{}", escape(&key));
            if let Some(tag) = rest.first() {
                place.push('/');
                place.push_str(tag);
            }
            kept.insert(place, raw);
            // An optional amount becomes null; an entry of a map is removed.
            if rest.is_empty() && !is_map_entry(path) {
                obj.insert(key, Value::Null);
            } else {
                obj.remove(&key);
            }
        };
        if let Some(obj) = v.as_object_mut() {
            if *first == "*" {
                let keys: Vec<String> = obj.keys().cloned().collect();
                for k in keys {
                    take(obj, k);
                }
            } else {
                take(obj, first.to_string());
            }
        }
        return;
    }
    if *first == "*" {
        match v {
            Value::Array(a) => {
                for (i, x) in a.iter_mut().enumerate() {
                    at.push_str(&format!("/{i}"));
                    walk(x, rest, at, kept);
                    at.truncate(len);
                }
            }
            Value::Object(o) => {
                for (k, x) in o.iter_mut() {
                    at.push('/');
                    at.push_str(&escape(k));
                    walk(x, rest, at, kept);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    } else if let Some(x) = v.get_mut(*first) {
        at.push('/');
        at.push_str(first);
        walk(x, rest, at, kept);
        at.truncate(len);
    }
}

/// Whether the cell a path names is an entry of a map (`…, "*"` at the end, or before a wrapper).
fn is_map_entry(path: &[&str]) -> bool {
    path.last() == Some(&"*")
}

/// Writes the kept texts of each document of a serialised exchange file back into their cells
/// (where the cell is still empty) and drops the `as_typed` maps.
pub fn reinsert(file: &mut Value) {
    let Some(docs) = file.pointer_mut("/fascicolo/documents").and_then(Value::as_array_mut) else { return };
    for doc in docs {
        let Some(obj) = doc.as_object_mut() else { continue };
        let Some(Value::Object(kept)) = obj.remove("as_typed") else { continue };
        let Some(fields) = obj.get_mut("fields") else { continue };
        for (place, raw) in kept {
            let Value::String(raw) = raw else { continue };
            put(fields, &place, raw);
        }
    }
}

fn put(fields: &mut Value, place: &str, raw: String) {
    let segs: Vec<String> = place.split('/').map(unescape).collect();
    let Some(kind) = segs.first().and_then(|s| fields.get(s)).and_then(|v| v.get("kind")).and_then(Value::as_str)
    else {
        return;
    };
    // The pattern this place comes from says whether the amount sits inside a tagged cell.
    let fits = |pat: &&&[&str]| {
        pat.len() + 1 == segs.len() && pat.iter().zip(&segs[1..]).all(|(p, s)| *p == "*" || *p == s.as_str())
    };
    let Some(pattern) = PLACES.iter().find(|(k, _)| *k == kind).and_then(|(_, ps)| ps.iter().find(fits)) else {
        return;
    };
    let wrapped =
        pattern.len() >= 2 && WRAPPED.contains(&pattern[pattern.len() - 1]) && pattern[pattern.len() - 2] == "*";
    let (cell_path, tag) =
        if wrapped { (&segs[..segs.len() - 1], Some(&segs[segs.len() - 1])) } else { (&segs[..], None) };
    let Some((last, parents)) = cell_path.split_last() else { return };
    let mut v = fields;
    for s in parents {
        v = match v {
            Value::Object(o) => match o.get_mut(s) {
                Some(x) => x,
                None => return,
            },
            Value::Array(a) => match s.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(x) => x,
                None => return,
            },
            _ => return,
        };
    }
    let Value::Object(o) = v else { return };
    match o.get(last.as_str()) {
        None | Some(Value::Null) => {}
        Some(_) => return, // the cell holds a value again: it wins
    }
    let cell = match tag {
        Some(t) => Value::Object(Map::from_iter([(t.clone(), Value::String(raw))])),
        None => Value::String(raw),
    };
    o.insert(last.clone(), cell);
}

/// The cell an `as_typed` place names is still empty in `doc` (the entry is not stale).
pub fn still_empty(doc: &crate::model::Document, place: &str) -> bool {
    let Some((section, _)) = place.split_once('/') else { return false };
    let Some(value) = doc.fields.get(&unescape(section)) else { return false };
    let Ok(v) = serde_json::to_value(value) else { return false };
    let mut fields = Value::Object(Map::from_iter([(unescape(section), v)]));
    let before = fields.clone();
    put(&mut fields, place, String::new());
    fields != before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_amounts_go_out_and_come_back_in_place() {
        let mut file = serde_json::json!({"fascicolo": {"documents": [{"id": "s1", "fields": {
            "r": {"kind": "money_table", "rows": [
                {"activity": "a", "cost": "1.015.679,505", "amounts": {"fnps": "12.3456,00", "ok": "1.000,00"}},
                {"activity": "b", "cost": "2.000,00", "amounts": {}}
            ]},
            "p": {"kind": "staff_table", "rows": [{"role": "x", "cells": {"c/1": {"euro": "3,333"}, "d": {"persone": 2}}}]},
            "f": {"kind": "fund_table", "rows": [{"source": "s", "cells": {"2023": {"value": "1,2,3"}, "2024": "zero"}}]},
            "t": {"kind": "text", "text": "1.015.679,505"}
        }}]}});
        let original = file.clone();
        let kept = extract(&mut file);
        let k = &kept[&0];
        assert_eq!(k["r/rows/0/cost"], "1.015.679,505");
        assert_eq!(k["r/rows/0/amounts/fnps"], "12.3456,00");
        assert_eq!(k["p/rows/0/cells/c~11/euro"], "3,333");
        assert_eq!(k["f/rows/0/cells/2023/value"], "1,2,3");
        assert_eq!(k.len(), 4, "{k:?}");
        assert_eq!(file.pointer("/fascicolo/documents/0/fields/r/rows/0/cost"), Some(&Value::Null));
        assert!(file.pointer("/fascicolo/documents/0/fields/r/rows/0/amounts/fnps").is_none());
        assert!(file.pointer("/fascicolo/documents/0/fields/p/rows/0/cells/c~11").is_none());
        let doc = file.pointer_mut("/fascicolo/documents/0").unwrap().as_object_mut().unwrap();
        doc.insert("as_typed".into(), serde_json::to_value(k).unwrap());
        reinsert(&mut file);
        // values are back; map entries taken out come back at the end of their map
        let back = |v: &Value, p: &str| v.pointer(p).cloned();
        for p in [
            "/fascicolo/documents/0/fields/r/rows/0/cost",
            "/fascicolo/documents/0/fields/r/rows/0/amounts/fnps",
            "/fascicolo/documents/0/fields/p/rows/0/cells/c~11/euro",
            "/fascicolo/documents/0/fields/f/rows/0/cells/2023/value",
        ] {
            assert_eq!(back(&file, p), back(&original, p), "{p}");
        }
        assert!(file.pointer("/fascicolo/documents/0/as_typed").is_none());
    }
}
