//! Building fascicoli from templates: a new fascicolo, a new document with an empty value for
//! every section, scheda numbering.

use super::*;
use crate::template::{Family, FormRole};

/// A new document of `form_id` with an empty value for every section of the form.
pub fn new_document(family: &Family, form_id: &str, id: &str) -> Option<Document> {
    let form = family.form(form_id)?;
    let fields = form
        .sections
        .iter()
        .map(|s| {
            let mut v = FieldValue::empty_for(s.kind);
            if let FieldValue::Gantt(g) = &mut v {
                g.start = s.props.get("default_start").and_then(|v| v.as_str()).and_then(YearMonth::parse);
            }
            (s.id.clone(), v)
        })
        .collect();
    Some(Document { id: id.to_string(), form: form_id.to_string(), fields, ..Default::default() })
}

/// A new fascicolo of a family and variant: the letter (if the family has one) and one scheda.
pub fn new_fascicolo(
    family: &Family,
    variant: &str,
    title: &str,
    signer: &LegalRep,
    date: Option<NaiveDate>,
) -> Fascicolo {
    let mut f = Fascicolo {
        title: title.to_string(),
        family: family.id.clone(),
        variant: variant.to_string(),
        date,
        signer: signer.clone(),
        ..Default::default()
    };
    if let Some(letter) = family.letter_form(variant) {
        if let Some(mut d) = new_document(family, &letter.id, "lettera") {
            if let Some(date) = date {
                d.fields.insert("data".into(), FieldValue::Date { date: Some(date) });
            }
            f.documents.push(d);
        }
    }
    if let Some(scheda) = family.scheda_form(variant) {
        add_document(family, &mut f, &scheda.id.clone());
    } else if let Some(first) = family.forms.iter().find(|x| x.applies_to(variant) && x.role == FormRole::Other) {
        add_document(family, &mut f, &first.id.clone());
    }
    f
}

/// Appends a new document of `form_id`, numbering schede; returns its id.
pub fn add_document(family: &Family, f: &mut Fascicolo, form_id: &str) -> Option<String> {
    let prefix = match family.form(form_id)?.role {
        FormRole::Scheda => "scheda",
        FormRole::Letter => "lettera",
        FormRole::Other => form_id,
    };
    let id = (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|id| f.document(id).is_none())
        .unwrap_or_else(|| prefix.to_string());
    let doc = new_document(family, form_id, &id)?;
    f.documents.push(doc);
    renumber_schede(family, f);
    Some(id)
}

/// Numbers the schede 1…N in document order ("SCHEDA PROGETTO N.").
pub fn renumber_schede(family: &Family, f: &mut Fascicolo) {
    let mut n = 0;
    for d in &mut f.documents {
        if family.form(&d.form).is_some_and(|x| x.role == FormRole::Scheda) {
            n += 1;
            d.number = Some(n);
        }
    }
}

/// Moves a document up (-1) or down (+1) among the documents and renumbers the schede.
pub fn move_document(family: &Family, f: &mut Fascicolo, id: &str, delta: i32) -> bool {
    let Some(i) = f.documents.iter().position(|d| d.id == id) else { return false };
    let j = i as i64 + delta as i64;
    if j < 0 || j >= f.documents.len() as i64 {
        return false;
    }
    f.documents.swap(i, j as usize);
    renumber_schede(family, f);
    true
}

impl StaffValue {
    /// Reads a staff cell as typed: "2" → persone, "40 h mensili" / "40 ore" → ore,
    /// "€ 1.000,00" → euro, anything else → testo. Negative or absurd numbers stay text.
    pub fn parse_it(s: &str) -> Option<StaffValue> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        if t.chars().all(|c| c.is_ascii_digit()) {
            return Some(match t.parse::<u32>() {
                Ok(n) if n <= 100_000 => StaffValue::Persone(n),
                _ => StaffValue::Testo(t.to_string()),
            });
        }
        if t.contains('€') || t.to_lowercase().ends_with("euro") {
            let num = t.trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace());
            if let Ok(m) = crate::money::Money::parse_it(num) {
                return Some(StaffValue::Euro(m));
            }
        }
        let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            let rest = t[digits.len()..].trim_start();
            for unit in ["h ", "ore ", "h", "ore"] {
                if let Some(period) = rest.strip_prefix(unit) {
                    if unit.trim().len() == unit.len() && !period.is_empty() && !period.starts_with(' ') {
                        continue; // "hello": not an hour unit
                    }
                    if let Ok(hours) = digits.parse::<u32>() {
                        return Some(StaffValue::Ore { hours, period: period.trim().to_string() });
                    }
                }
            }
        }
        Some(StaffValue::Testo(t.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_cells_are_typed() {
        assert_eq!(StaffValue::parse_it("2"), Some(StaffValue::Persone(2)));
        assert_eq!(StaffValue::parse_it("40 h mensili"), Some(StaffValue::Ore { hours: 40, period: "mensili".into() }));
        assert_eq!(StaffValue::parse_it("12 ore"), Some(StaffValue::Ore { hours: 12, period: String::new() }));
        assert_eq!(StaffValue::parse_it("€ 1.000,00"), Some(StaffValue::Euro(crate::money::Money(100000))));
        assert_eq!(
            StaffValue::parse_it("Partner co-progettazione"),
            Some(StaffValue::Testo("Partner co-progettazione".into()))
        );
        assert_eq!(StaffValue::parse_it("-3"), Some(StaffValue::Testo("-3".into())));
        assert_eq!(StaffValue::parse_it("  "), None);
    }

    #[test]
    fn new_fascicolo_from_template() {
        let reg = crate::template::load_embedded().expect("templates");
        let fam = reg.family("qp2021").expect("qp2021");
        let mut f = new_fascicolo(fam, "ambito", "Nuovo", &LegalRep::default(), NaiveDate::from_ymd_opt(2022, 2, 18));
        assert_eq!(f.documents.len(), 2);
        assert_eq!(f.documents[1].number, Some(1));
        let scheda = &f.documents[1];
        assert_eq!(scheda.fields.len(), fam.form("scheda_1b").expect("form").sections.len());
        let id = add_document(fam, &mut f, "scheda_1b").expect("added");
        assert_eq!(id, "scheda-2");
        assert!(move_document(fam, &mut f, "scheda-2", -1));
        assert_eq!(f.documents[1].id, "scheda-2");
        assert_eq!(f.documents[1].number, Some(1));
        assert_eq!(f.documents[2].number, Some(2));
    }
}
