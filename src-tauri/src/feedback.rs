//! Commands that need no database: feedback while editing, from `pianozona::service::feedback`
//! (the same core code the Verifica and the PDF use).

use crate::dto::{
    AmountCell, FundColumnTotal, FundTotals, GridBand, GridResult, GridRow, GridWarning, MoneyRowTotal, MoneyTotals,
    StaffCell, TypedTotal,
};
use crate::error::IpcResult;
use crate::state::AppState;
use pianozona::model::{EvaluationGrid, FundTable, MoneyTable, StaffValue};
use pianozona::service::feedback;
use tauri::State;

/// Words of a text, counted as the Region counts them (word-processor method).
#[tauri::command]
pub fn count_words(text: String) -> u32 {
    feedback::words(&text)
}

/// Checks typed amounts ("2.150,50", "€ 3.500", "-5" …) with the core's Italian parser.
#[tauri::command]
pub fn parse_amounts(cells: Vec<String>) -> Vec<AmountCell> {
    cells
        .iter()
        .map(|c| match feedback::amount(c) {
            Ok(m) => AmountCell { importo: Some(m), errore: None },
            Err(e) => AmountCell { importo: None, errore: Some(e) },
        })
        .collect()
}

/// Per-row Σ entrate and balance, and column totals.
#[tauri::command]
pub fn money_totals(table: MoneyTable) -> MoneyTotals {
    let t = feedback::money_table(&table);
    MoneyTotals {
        righe: t.rows.into_iter().map(|(entrate, differenza)| MoneyRowTotal { entrate, differenza }).collect(),
        colonne: t.columns,
        costo: t.cost,
        entrate: t.income,
    }
}

/// Reads staff cells with the core: "2" (persone), "40 h mensili" (ore), "€ 1.000" (euro), else text.
#[tauri::command]
pub fn parse_staff_cells(cells: Vec<String>) -> Vec<StaffCell> {
    cells.iter().map(|c| StaffCell { valore: StaffValue::parse_it(c), errore: None }).collect()
}

impl AppState {
    /// Computed rows, bands and import mismatches of an evaluation grid (`feedback::grid`).
    pub fn grid_feedback(
        &self,
        family: &str,
        form: &str,
        section: &str,
        grid: &EvaluationGrid,
    ) -> IpcResult<GridResult> {
        let r = feedback::grid(feedback::section(&self.registry, family, form, section)?, grid);
        Ok(GridResult {
            righe: r
                .rows
                .into_iter()
                .map(|x| GridRow { id: x.id, tipo: x.kind, testo: x.display, fascia: x.band, da_import: x.from_typed })
                .collect(),
            fasce: r.bands.into_iter().map(|(label, word)| GridBand { label, word }).collect(),
            avvisi: r
                .warnings
                .into_iter()
                .map(|w| GridWarning { id: w.id, importato: w.typed, calcolato: w.computed })
                .collect(),
        })
    }

    /// Column totals (partial when cells are not assigned) and group subtotals of a fund table, in
    /// the plan's money style ("suffix" | "prefix") (`feedback::fund_table`).
    pub fn fund_totals(
        &self,
        family: &str,
        form: &str,
        section: &str,
        table: &FundTable,
        style: &str,
    ) -> IpcResult<FundTotals> {
        let t = feedback::fund_table(feedback::section(&self.registry, family, form, section)?, table, style);
        Ok(FundTotals {
            colonne: t
                .columns
                .into_iter()
                .map(|(c, x)| (c, FundColumnTotal { testo: x.text, non_assegnate: x.not_assigned }))
                .collect(),
            gruppi: t.groups,
            scritti_diversi: t
                .typed_differs
                .into_iter()
                .map(|(colonna, testo)| TypedTotal { colonna, testo })
                .collect(),
        })
    }
}

#[tauri::command]
pub fn grid_feedback(
    state: State<'_, AppState>,
    family: String,
    form: String,
    section: String,
    grid: EvaluationGrid,
) -> IpcResult<GridResult> {
    state.grid_feedback(&family, &form, &section, &grid)
}

#[tauri::command]
pub fn fund_totals(
    state: State<'_, AppState>,
    family: String,
    form: String,
    section: String,
    table: FundTable,
    style: String,
) -> IpcResult<FundTotals> {
    state.fund_totals(&family, &form, &section, &table, &style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_cells_use_the_core() {
        let r = parse_staff_cells(vec!["3".into(), "Partner co-progettazione".into(), "".into()]);
        assert!(matches!(r[0].valore, Some(StaffValue::Persone(3))));
        assert!(matches!(r[1].valore, Some(StaffValue::Testo(_))));
        assert!(r[2].valore.is_none());
    }

    #[test]
    fn amounts_are_checked_by_the_core() {
        let r = parse_amounts(vec!["2.150,50".into(), "-5".into(), "abc".into()]);
        assert_eq!(r[0].importo.as_deref(), Some("2.150,50"));
        assert!(r[1].errore.as_deref().is_some_and(|e| e.contains("negativ")));
        assert!(r[2].errore.is_some());
    }
}
