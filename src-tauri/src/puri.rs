//! Commands that need no database: thin adapters over the core's parsing, counting and sums.

use crate::dto::{CellaImporto, CellaPersonale, TotaleRiga, TotaliRisorse};
use crate::error::{ErroreIpc, Esito};
use crate::stato::Stato;
use pianozona::model::{Document, FieldValue, MoneyTable, StaffValue};
use pianozona::money::Money;
use std::collections::BTreeMap;
use tauri::State;

/// Words of a text, counted as the Region counts them (word-processor method).
#[tauri::command]
pub fn conta_parole(testo: String) -> u32 {
    pianozona::words::count_rich_words(&testo) as u32
}

/// Checks typed amounts ("2.150,50", "€ 3.500", "-5" …) with the core's Italian parser.
#[tauri::command]
pub fn analizza_importi(celle: Vec<String>) -> Vec<CellaImporto> {
    celle
        .iter()
        .map(|c| match Money::parse_it(c) {
            Ok(m) => CellaImporto { importo: Some(m.format_number()), errore: None },
            Err(e) => CellaImporto { importo: None, errore: Some(e.to_string()) },
        })
        .collect()
}

/// Per-row Σ entrate and balance, and column totals, computed by the core.
#[tauri::command]
pub fn totali_risorse(tabella: MoneyTable) -> TotaliRisorse {
    let righe = tabella
        .rows
        .iter()
        .map(|r| {
            let entrate = r.income().cents();
            TotaleRiga { entrate, differenza: entrate - r.cost.unwrap_or_default().cents() }
        })
        .collect();
    let mut colonne = BTreeMap::new();
    for r in &tabella.rows {
        for k in r.amounts.keys() {
            colonne.entry(k.clone()).or_insert_with(|| tabella.total_of(k).cents());
        }
    }
    let entrate = tabella.rows.iter().map(|r| r.income().cents()).sum();
    TotaliRisorse { righe, colonne, costo: tabella.total_cost().cents(), entrate }
}

/// Reads a staff cell: "2" (persone), "40 h mensili" (ore), "€ 1.000" (euro), else text.
#[tauri::command]
pub fn analizza_personale(celle: Vec<String>) -> Vec<CellaPersonale> {
    celle.iter().map(|c| leggi_personale(c)).collect()
}

fn leggi_personale(c: &str) -> CellaPersonale {
    let t = c.trim();
    let ok = |v| CellaPersonale { valore: Some(v), errore: None };
    if t.is_empty() {
        return CellaPersonale { valore: None, errore: None };
    }
    if let Ok(n) = t.parse::<u32>() {
        return ok(StaffValue::Persone(n));
    }
    if t.starts_with('-') && t[1..].trim().parse::<u32>().is_ok() {
        return CellaPersonale { valore: None, errore: Some(format!("«{t}»: il numero di persone non può essere negativo")) };
    }
    let lower = t.to_lowercase();
    if let Some((h, rest)) = lower.split_once('h') {
        if let Ok(hours) = h.trim().parse::<u32>() {
            let rest = rest.trim_start_matches(|ch: char| ch.is_alphabetic() && "ore".contains(ch)).trim();
            return ok(StaffValue::Ore { hours, period: rest.to_string() });
        }
    }
    if t.contains('€') {
        return match Money::parse_it(t) {
            Ok(m) => ok(StaffValue::Euro(m)),
            Err(e) => CellaPersonale { valore: None, errore: Some(e.to_string()) },
        };
    }
    ok(StaffValue::Testo(t.to_string()))
}

/// A new document of a form, with an empty value for every section (the core's `empty_for`).
#[tauri::command]
pub fn documento_vuoto(stato: State<'_, Stato>, famiglia: String, forma: String) -> Esito<Document> {
    let fam = stato.famiglia(&famiglia)?;
    let form = fam
        .form(&forma)
        .ok_or_else(|| ErroreIpc::new("non_trovato", format!("Il modulo «{forma}» non esiste in «{}».", fam.title)))?;
    let mut d = Document { id: form.role_id().to_string(), form: form.id.clone(), ..Default::default() };
    for s in &form.sections {
        d.fields.insert(s.id.clone(), FieldValue::empty_for(s.kind));
    }
    Ok(d)
}

trait RoleId {
    fn role_id(&self) -> &'static str;
}
impl RoleId for pianozona::template::Form {
    fn role_id(&self) -> &'static str {
        match self.role {
            pianozona::template::FormRole::Letter => "lettera",
            pianozona::template::FormRole::Scheda => "scheda",
            pianozona::template::FormRole::Other => "documento",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_cells() {
        assert!(matches!(leggi_personale("3").valore, Some(StaffValue::Persone(3))));
        match leggi_personale("40 h mensili").valore {
            Some(StaffValue::Ore { hours: 40, period }) => assert_eq!(period, "mensili"),
            v => panic!("{v:?}"),
        }
        assert!(matches!(leggi_personale("€ 1.000").valore, Some(StaffValue::Euro(_))));
        assert!(leggi_personale("-2").errore.is_some());
        assert!(matches!(leggi_personale("Partner co-progettazione").valore, Some(StaffValue::Testo(_))));
    }

    #[test]
    fn amounts_are_checked_by_the_core() {
        let r = analizza_importi(vec!["2.150,50".into(), "-5".into(), "abc".into()]);
        assert_eq!(r[0].importo.as_deref(), Some("2.150,50"));
        assert!(r[1].errore.as_deref().unwrap().contains("negativ"));
        assert!(r[2].errore.is_some());
    }
}
