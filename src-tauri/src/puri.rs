//! Commands that need no database: thin adapters over the core's parsing, counting and sums.

use crate::dto::{
    AvvisoGriglia, CellaImporto, CellaPersonale, EsitoGriglia, FasciaGriglia, RigaGriglia, TotaleFondo, TotaleRiga,
    TotaleScritto, TotaliFondi, TotaliRisorse,
};
use crate::error::{ErroreIpc, Esito};
use crate::stato::Stato;
use pianozona::model::compute;
use pianozona::model::{EvaluationGrid, FundTable, MoneyTable, StaffValue};
use pianozona::money::Money;
use pianozona::template::{Registry, Section};
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

/// Reads staff cells with the core: "2" (persone), "40 h mensili" (ore), "€ 1.000" (euro), else text.
#[tauri::command]
pub fn analizza_personale(celle: Vec<String>) -> Vec<CellaPersonale> {
    celle.iter().map(|c| CellaPersonale { valore: StaffValue::parse_it(c), errore: None }).collect()
}

fn sezione<'a>(registro: &'a Registry, famiglia: &str, forma: &str, sezione: &str) -> Esito<&'a Section> {
    registro
        .family(famiglia)
        .and_then(|f| f.form(forma))
        .and_then(|f| f.section(sezione))
        .ok_or_else(|| ErroreIpc::new("non_trovato", format!("Sezione «{sezione}» non trovata nella modulistica.")))
}

/// Computed rows, band and import mismatches of an evaluation grid (the core's `evaluate_grid`).
#[tauri::command]
pub fn calcola_griglia(
    stato: State<'_, Stato>,
    famiglia: String,
    forma: String,
    sezione: String,
    griglia: EvaluationGrid,
) -> Esito<EsitoGriglia> {
    let s = self::sezione(&stato.registro, &famiglia, &forma, &sezione)?;
    Ok(esito_griglia(s, &griglia))
}

fn esito_griglia(s: &Section, griglia: &EvaluationGrid) -> EsitoGriglia {
    let r = compute::evaluate_grid(s, griglia);
    let righe = r
        .rows
        .iter()
        .map(|x| RigaGriglia {
            id: x.id.clone(),
            tipo: x.kind.clone(),
            testo: x.display.clone(),
            fascia: x.band.map(|b| b as u32),
            da_import: x.from_typed,
        })
        .collect();
    // Imported printed values checked against the computation (number and band word).
    let mut avvisi = Vec::new();
    for (id, testo) in &griglia.typed {
        let Some(row) = r.row(id) else { continue };
        let Some(v) = row.value else { continue };
        let fascia = s
            .rows
            .iter()
            .find(|x| x.kind.as_deref() == Some("band") && x.formula.as_deref() == Some(id.as_str()))
            .and_then(|x| r.row(&x.id));
        let numero_diverso = !row.from_typed && compute::typed_number(testo).is_some_and(|n| n.round() != v.round());
        let parola_diversa = match (compute::typed_band_word(testo), fascia.and_then(|f| f.band)) {
            (Some(w), Some(b)) => r.bands[b].word.to_lowercase() != w,
            _ => false,
        };
        if numero_diverso || parola_diversa {
            let calcolato =
                fascia.map(|f| f.display.clone()).filter(|d| !d.is_empty()).unwrap_or_else(|| row.display.clone());
            avvisi.push(AvvisoGriglia { id: id.clone(), importato: testo.clone(), calcolato });
        }
    }
    let fasce = r.bands.iter().map(|b| FasciaGriglia { label: b.label.clone(), word: b.word.clone() }).collect();
    EsitoGriglia { righe, fasce, avvisi }
}

/// Column totals (partial when cells are not assigned) and group subtotals of a fund table
/// (the core's `fund_totals`), printed in the plan's money style ("suffix" | "prefix").
#[tauri::command]
pub fn totali_fondi(
    stato: State<'_, Stato>,
    famiglia: String,
    forma: String,
    sezione: String,
    tabella: FundTable,
    stile: String,
) -> Esito<TotaliFondi> {
    let s = self::sezione(&stato.registro, &famiglia, &forma, &sezione)?;
    Ok(esito_fondi(s, &tabella, &stile))
}

fn esito_fondi(s: &Section, tabella: &FundTable, stile: &str) -> TotaliFondi {
    let t = compute::fund_totals(s, tabella);
    let colonne = t
        .columns
        .iter()
        .map(|(c, m)| {
            let non_assegnate = t.not_assigned.get(c).copied().unwrap_or(0) as u32;
            (c.clone(), TotaleFondo { testo: compute::money_style(*m, stile, false), non_assegnate })
        })
        .collect();
    let mut gruppi: BTreeMap<String, BTreeMap<String, String>> = t
        .groups
        .iter()
        .map(|(g, cols)| {
            (g.clone(), cols.iter().map(|(c, m)| (c.clone(), compute::money_style(*m, stile, false))).collect())
        })
        .collect();
    // Groups with no rows yet print a zero subtotal.
    for g in s.rows.iter().filter(|r| r.kind.as_deref() == Some("group")) {
        let e = gruppi.entry(g.id.clone()).or_default();
        for c in compute::fund_columns(s) {
            e.entry(c.to_string()).or_insert_with(|| compute::money_style(Money::ZERO, stile, false));
        }
    }
    let scritti_diversi = tabella
        .typed_totals
        .iter()
        .filter(|(c, m)| t.columns.get(*c).is_some_and(|tot| tot != *m))
        .map(|(c, m)| TotaleScritto { colonna: c.clone(), testo: compute::money_style(*m, stile, false) })
        .collect();
    TotaliFondi { colonne, gruppi, scritti_diversi }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sezione_di(kind: pianozona::template::FieldKind) -> Section {
        let reg = Registry::load(None).expect("templates");
        for fam in &reg.families {
            for f in &fam.forms {
                for s in &f.sections {
                    if s.kind == kind && s.rows.iter().any(|r| r.kind.as_deref() != Some("input") && r.kind.is_some()) {
                        return s.clone();
                    }
                }
            }
        }
        panic!("no {kind:?} section");
    }

    #[test]
    fn grid_is_computed_by_the_core() {
        let s = sezione_di(pianozona::template::FieldKind::EvaluationGrid);
        let inputs: Vec<_> = s.rows.iter().filter(|r| r.kind.as_deref().unwrap_or("input") == "input").collect();
        let mut g = EvaluationGrid::default();
        for (i, r) in inputs.iter().enumerate() {
            g.inputs.insert(r.id.clone(), if i == 0 { "9".into() } else { "10".into() });
        }
        let e = esito_griglia(&s, &g);
        assert_eq!(
            e.righe.len(),
            s.rows.len(),
            "{:?}",
            e.righe.iter().map(|r| (&r.id, &r.tipo, &r.testo)).collect::<Vec<_>>()
        );
        assert!(e.righe.iter().any(|r| r.tipo == "computed" && !r.testo.is_empty()));
    }

    #[test]
    fn fund_totals_are_computed_by_the_core() {
        let s = sezione_di(pianozona::template::FieldKind::FundTable);
        let t = esito_fondi(&s, &FundTable::default(), "suffix");
        assert!(t.colonne.values().all(|c| c.testo == "0,00 €" && c.non_assegnate == 0));
    }

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
