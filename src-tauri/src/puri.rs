//! Commands that need no database: thin adapters over the core's parsing, counting and sums.

use crate::dto::{CellaImporto, CellaPersonale, TotaleRiga, TotaliRisorse};
use pianozona::model::{MoneyTable, StaffValue};
use pianozona::money::Money;
use std::collections::BTreeMap;

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

/// Reads staff cells with the core: "2" (persone), "40 h mensili" (ore), "€ 1.000" (euro), else text.
#[tauri::command]
pub fn analizza_personale(celle: Vec<String>) -> Vec<CellaPersonale> {
    celle.iter().map(|c| CellaPersonale { valore: StaffValue::parse_it(c), errore: None }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_cells_use_the_core() {
        let r = analizza_personale(vec!["3".into(), "Partner co-progettazione".into(), "".into()]);
        assert!(matches!(r[0].valore, Some(StaffValue::Persone(3))));
        assert!(matches!(r[1].valore, Some(StaffValue::Testo(_))));
        assert!(r[2].valore.is_none());
    }

    #[test]
    fn amounts_are_checked_by_the_core() {
        let r = analizza_importi(vec!["2.150,50".into(), "-5".into(), "abc".into()]);
        assert_eq!(r[0].importo.as_deref(), Some("2.150,50"));
        assert!(r[1].errore.as_deref().unwrap().contains("negativ"));
        assert!(r[2].errore.is_some());
    }
}
