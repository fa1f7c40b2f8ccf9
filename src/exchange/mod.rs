//! Versioned JSON exchange of a whole fascicolo (office profile included). Parsing is strict: an
//! error names the JSON path and line. Export is canonical, so export → import → export is
//! byte-identical.

pub mod as_typed;
pub mod messages;

use crate::error::{Error, Result};
use crate::model::{Fascicolo, FieldValue, OfficeProfile};
use crate::template::{FieldKind, Registry};
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "pianozona.fascicolo";
pub const VERSION: u32 = 1;

/// The exchange file: `{"format": "pianozona.fascicolo", "version": 1, "profile": …, "fascicolo": …}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExchangeFile {
    pub format: String,
    pub version: u32,
    pub profile: OfficeProfile,
    pub fascicolo: Fascicolo,
}

/// Canonical JSON of a fascicolo with its office profile.
pub fn export_json(profile: &OfficeProfile, fascicolo: &Fascicolo) -> String {
    let file = ExchangeFile {
        format: FORMAT.into(),
        version: VERSION,
        profile: profile.clone(),
        fascicolo: fascicolo.clone(),
    };
    // Serialising plain data structures cannot fail. Amounts kept as typed go back in their cells.
    let mut v = serde_json::to_value(&file).unwrap_or_default();
    as_typed::reinsert(&mut v);
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// Parses an exchange file and checks it against the templates. Nothing is written anywhere.
pub fn import_json(text: &str, registry: &Registry) -> Result<ExchangeFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // First a loose look, to tell "another program's file" and "a newer version" apart from typos.
    let mut loose: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::Exchange(format!("il file non è JSON valido (riga {}, colonna {}): {}", e.line(), e.column(), plain(&e)))
    })?;
    match loose.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        _ => {
            return Err(Error::Exchange(
                "il file non è un fascicolo di Piano di Zona Desktop (manca «format»: \"pianozona.fascicolo\")".into(),
            ))
        }
    }
    match loose.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == VERSION as u64 => {}
        Some(v) if v > VERSION as u64 => {
            return Err(Error::Exchange(format!(
                "il file usa il formato versione {v}, più recente di quello gestito da questo programma ({VERSION}): aggiornare Piano di Zona Desktop"
            )))
        }
        _ => return Err(Error::Exchange("versione del formato mancante o non valida".into())),
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let strict: std::result::Result<ExchangeFile, _> = serde_path_to_error::deserialize(&mut de);
    let mut file = match strict {
        Ok(f) => f,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let msg = plain(&inner);
            let line = refine_line(text, inner.line(), &msg);
            let refusal = Error::Exchange(format!("«{path}» (riga {line}): {msg}"));
            // Amounts that are not amounts are kept as typed instead of refusing the file; any
            // other problem still refuses it, as said above.
            let kept = as_typed::extract(&mut loose);
            if kept.is_empty() {
                return Err(refusal);
            }
            let mut f: ExchangeFile = serde_path_to_error::deserialize(loose).map_err(|e| {
                let path = e.path().to_string();
                Error::Exchange(format!("«{path}»: {}", plain(&e.into_inner())))
            })?;
            for (di, places) in kept {
                if let Some(d) = f.fascicolo.documents.get_mut(di) {
                    d.as_typed.extend(places);
                }
            }
            f
        }
    };
    normalise_and_check(&mut file.fascicolo, registry)?;
    Ok(file)
}

/// Values inside tagged enums are buffered, so serde reports the end of the enclosing object.
/// When the message quotes the offending value («…»), point at the last line before that which
/// holds it.
fn refine_line(text: &str, reported: usize, msg: &str) -> usize {
    let quoted = msg.split_once('«').and_then(|(_, r)| r.split_once('»')).map(|(v, _)| format!("\"{v}\""));
    // A number found where text was expected: the line holding `: number`.
    let number = msg
        .split_once("trovato il numero ")
        .map(|(_, r)| r.split([',', ' ']).next().unwrap_or_default())
        .map(|n| format!(": {n}"));
    let Some(needle) = quoted.or(number).filter(|v| v.len() > 2) else { return reported };
    text.lines()
        .enumerate()
        .take(reported.max(1))
        .filter(|(_, l)| l.contains(&needle))
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(reported)
}

fn plain(e: &serde_json::Error) -> String {
    // Italian, without serde_json's " at line L column C" (we print those ourselves).
    messages::italian(e)
}

/// Checks references against the template and maps vocabulary labels/aliases to stable ids.
pub fn normalise_and_check(f: &mut Fascicolo, registry: &Registry) -> Result<()> {
    let fam = registry
        .family(&f.family)
        .ok_or_else(|| Error::Exchange(format!("«fascicolo.family»: modello «{}» sconosciuto", f.family)))?;
    if !fam.variants.is_empty() && !fam.variants.iter().any(|v| v.id == f.variant) {
        let ammesse = fam.variants.iter().map(|v| v.id.as_str()).collect::<Vec<_>>().join(", ");
        return Err(Error::Exchange(format!("«fascicolo.variant»: variante «{}» non ammessa ({ammesse})", f.variant)));
    }
    for key in f.options.keys() {
        if fam.option_def(key).is_none() {
            return Err(Error::Exchange(format!("«fascicolo.options.{key}»: opzione sconosciuta")));
        }
    }
    check_fund_years(f, fam)?;
    let mut ids = std::collections::HashSet::new();
    for (di, doc) in f.documents.iter_mut().enumerate() {
        let at = format!("fascicolo.documents[{di}]");
        if !ids.insert(doc.id.clone()) {
            return Err(Error::Exchange(format!("«{at}.id»: documento «{}» ripetuto", doc.id)));
        }
        let form = fam.form(&doc.form).ok_or_else(|| {
            Error::Exchange(format!("«{at}.form»: modulo «{}» sconosciuto nel modello «{}»", doc.form, fam.id))
        })?;
        let mut act_ids = std::collections::HashSet::new();
        for (ai, a) in doc.activities.iter().enumerate() {
            if !act_ids.insert(a.id.as_str()) {
                return Err(Error::Exchange(format!("«{at}.activities[{ai}].id»: attività «{}» ripetuta", a.id)));
            }
        }
        for (key, value) in doc.fields.iter_mut() {
            let sec = form.section(key).ok_or_else(|| {
                Error::Exchange(format!("«{at}.fields.{key}»: sezione sconosciuta nel modulo «{}»", form.id))
            })?;
            if !value.fits(sec.kind) {
                return Err(Error::Exchange(format!(
                    "«{at}.fields.{key}»: valore di tipo non adatto alla sezione «{}» ({:?})",
                    sec.heading, sec.kind
                )));
            }
            if let (FieldValue::Choice { selected, .. }, Some(voc_id)) = (value, &sec.vocabulary) {
                let Some(voc) = fam.vocabulary(voc_id) else { continue };
                for (i, sel) in selected.iter_mut().enumerate() {
                    if voc.item(sel).is_some() || (voc.allow_custom && sel.starts_with("custom:")) {
                        continue;
                    }
                    match voc.resolve(sel, None).or_else(|| resolve_as_written(voc, sel)) {
                        Some(item) => *sel = item.id.clone(),
                        None => {
                            return Err(Error::Exchange(format!(
                                "«{at}.fields.{key}.selected[{i}]»: voce «{sel}» non presente in «{}»",
                                if voc.title.is_empty() { &voc.id } else { &voc.title }
                            )))
                        }
                    }
                }
                if sec.kind == FieldKind::KeypointTable || sec.kind == FieldKind::Checklist {
                    let mut seen = std::collections::HashSet::new();
                    selected.retain(|s| seen.insert(s.clone()));
                }
            }
        }
    }
    crate::model::plan::check_plan(fam, f).map_err(Error::Exchange)?;
    Ok(())
}

/// A fund-table cell must be one of the table's years: a year it does not have would be stored
/// silently and never printed.
fn check_fund_years(f: &Fascicolo, fam: &crate::template::Family) -> Result<()> {
    for (di, doc) in f.documents.iter().enumerate() {
        let Some(form) = fam.form(&doc.form) else { continue };
        for (key, value) in &doc.fields {
            let (FieldValue::FundTable(t), Some(sec)) = (value, form.section(key)) else { continue };
            let years = crate::model::compute::fund_columns(sec);
            if years.is_empty() {
                continue;
            }
            for (ri, row) in t.rows.iter().enumerate() {
                if let Some(y) = row.cells.keys().find(|y| !years.contains(&y.as_str())) {
                    return Err(Error::Exchange(format!(
                        "«fascicolo.documents[{di}].fields.{key}.rows[{ri}].cells»: l’anno «{y}» non è una colonna della tabella «{}» (anni della tabella: {})",
                        sec.heading,
                        years.join(", ")
                    )));
                }
            }
        }
    }
    Ok(())
}

/// A vocabulary entry written the way offices write it: the code in any case, with or without
/// its label, after a dash, a dot or a parenthesis ("k – Interventi di sistema", "(A) Contrasto…",
/// "j. Interventi…"), or the label alone with typographic quotes. When both code and label are
/// given they must agree (the label may be cut short, as in "Interventi…").
fn resolve_written_parts(text: &str) -> (String, String) {
    let t = text.trim().trim_start_matches(['(', '[']);
    let code: String = t.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_')).collect();
    let rest = t[code.len()..]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '.' | ':' | '-' | '–' | '—'))
        .trim_end_matches(['…', '.', ' '])
        .to_string();
    (code, rest)
}

fn resolve_as_written<'v>(voc: &'v crate::template::Vocabulary, text: &str) -> Option<&'v crate::template::VocItem> {
    use crate::template::normalise_label;
    let (code, rest) = resolve_written_parts(text);
    let by_code = voc.items.iter().find(|i| !code.is_empty() && i.id.eq_ignore_ascii_case(&code));
    let label_fits = |item: &crate::template::VocItem| {
        let (l, r) = (normalise_label(&item.label), normalise_label(&rest));
        r.is_empty() || l.starts_with(&r) || r.starts_with(&l)
    };
    match by_code {
        Some(item) if label_fits(item) => Some(item),
        Some(_) => None,
        None => voc.resolve(text.trim().trim_matches(['"', '“', '”', '«', '»', '\'']), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_as_people_write_them() {
        let reg = reg();
        let fam = reg.family("qp2021").expect("qp2021");
        let voc = fam.vocabulary("macroaree").expect("macroaree");
        let a = voc.items.first().expect("an item");
        let short: String = a.label.chars().take(12).collect();
        for written in [
            a.id.to_lowercase(),
            format!("{} – {}", a.id.to_lowercase(), a.label),
            format!("({}) {}…", a.id, short),
            format!("{}. {}", a.id, a.label.to_uppercase()),
            format!("“{}”", a.label),
        ] {
            let got = resolve_as_written(voc, &written).map(|i| i.id.clone());
            assert_eq!(got.as_deref(), Some(a.id.as_str()), "«{written}»");
        }
        // Code and label that disagree are not guessed.
        let b = &voc.items[1];
        assert!(resolve_as_written(voc, &format!("{} – {}", a.id, b.label)).is_none());
    }

    fn reg() -> Registry {
        crate::template::load_embedded().expect("templates")
    }

    #[test]
    fn foreign_and_newer_files_are_explained() {
        let e = import_json("{\"name\": \"package\"}", &reg()).unwrap_err().to_string();
        assert!(e.contains("non è un fascicolo di Piano di Zona Desktop"), "{e}");
        let e = import_json("{\"format\": \"pianozona.fascicolo\", \"version\": 9}", &reg()).unwrap_err().to_string();
        assert!(e.contains("più recente"), "{e}");
        let e = import_json("{ not json", &reg()).unwrap_err().to_string();
        assert!(e.contains("riga 1"), "{e}");
    }

    #[test]
    fn strict_errors_name_path_and_line() {
        let text = r#"{
  "format": "pianozona.fascicolo",
  "version": 1,
  "profile": {"ambito": "X", "ente_capofila": "Y", "legal_rep": {"name": "N", "gender": "F"}},
  "fascicolo": {"title": "t", "family": "qp2021", "variant": "ambito", "signer": {"name": "N", "gender": "F"},
    "documents": [{"id": "s1", "form": "scheda_1b", "fields": {
      "risorse_economiche": {"kind": "money_table", "rows": [{"activity": "a", "cost": 1015679}]}
    }}]}
}"#;
        let e = import_json(text, &reg()).unwrap_err().to_string();
        assert!(e.contains("fascicolo.documents[0].fields"), "{e}");
        assert!(e.contains("riga 7"), "{e}");
        assert!(e.contains("trovato il numero 1015679"), "{e}");
    }
}
