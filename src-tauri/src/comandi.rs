//! IPC commands over the store, the rules, the exchange format, the PDF export and the signatures.
//! Thin: parse → call the core → map the result or the error (Italian) for the UI.

use crate::dto::*;
use crate::error::{ErroreIpc, Esito};
use crate::stato::Stato;
use pianozona::model::{Fascicolo, FieldValue, OfficeProfile};
use pianozona::template::{Family, FormRole};
use std::path::PathBuf;
use tauri::{AppHandle, Emitter, State};

fn oggi() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn rilievi(stato: &Stato, f: &Fascicolo, profilo: &OfficeProfile) -> Vec<Rilievo> {
    match stato.registro.family(&f.family) {
        Some(fam) => pianozona::rules::check(fam, f, profilo, oggi()).into_iter().map(Rilievo::from).collect(),
        None => vec![],
    }
}

/// Gives every section of every document a value of its kind, so the editors always find one.
fn completa(fam: &Family, f: &mut Fascicolo) {
    for d in &mut f.documents {
        if let Some(form) = fam.form(&d.form) {
            for s in &form.sections {
                d.fields.entry(s.id.clone()).or_insert_with(|| FieldValue::empty_for(s.kind));
            }
        }
    }
}

fn profilo(stato: &Stato) -> Esito<OfficeProfile> {
    Ok(stato.archivio()?.profile()?.unwrap_or_default())
}

#[tauri::command]
pub fn app_stato(stato: State<'_, Stato>) -> Esito<AppStato> {
    let profilo = match stato.archivio() {
        Ok(a) => a.profile()?,
        Err(_) => None,
    };
    let mut famiglie: Vec<FamigliaSintesi> = stato
        .registro
        .families
        .iter()
        .map(|f| FamigliaSintesi {
            id: f.id.clone(),
            titolo: f.title.clone(),
            ciclo: f.cycle.clone(),
            varianti: f.variants.clone(),
        })
        .collect();
    famiglie.sort_by(|a, b| b.ciclo.cmp(&a.ciclo).then(a.titolo.cmp(&b.titolo)));
    Ok(AppStato {
        versione: env!("CARGO_PKG_VERSION").into(),
        percorso_db: stato.percorso_db.display().to_string(),
        profilo,
        famiglie,
        avviso: stato.errore_apertura.clone(),
        esempio: stato.esempio_all_avvio,
    })
}

#[tauri::command]
pub fn salva_profilo(stato: State<'_, Stato>, profilo: OfficeProfile) -> Esito<()> {
    if profilo.ambito.trim().is_empty() || profilo.legal_rep.name.trim().is_empty() {
        return Err(ErroreIpc::new("dati", "Indicate almeno l’Ambito e il legale rappresentante."));
    }
    stato.archivio()?.save_profile(&profilo)?;
    Ok(())
}

#[tauri::command]
pub fn famiglia(stato: State<'_, Stato>, id: String) -> Esito<Family> {
    Ok(stato.famiglia(&id)?.clone())
}

fn sintesi(stato: &Stato, s: pianozona::store::FascicoloSummary, estratto: Option<String>) -> FascicoloSintesi {
    let fam = stato.registro.family(&s.family);
    let schede = stato
        .archivio()
        .ok()
        .and_then(|a| a.load(s.id).ok())
        .map(|f| {
            f.documents
                .iter()
                .filter(|d| fam.and_then(|fm| fm.form(&d.form)).is_some_and(|fm| fm.role != FormRole::Letter))
                .count() as u32
        })
        .unwrap_or(0);
    let variante =
        fam.and_then(|f| f.variants.iter().find(|v| v.id == s.variant)).map(|v| v.label.clone()).unwrap_or_default();
    FascicoloSintesi {
        id: s.id,
        titolo: s.title,
        famiglia: s.family.clone(),
        famiglia_titolo: fam.map(|f| f.title.clone()).unwrap_or(s.family),
        variante,
        schede,
        modificato_il: s.updated_at,
        estratto,
    }
}

/// Fascicoli not deleted; with a search text, only those whose texts match (FTS), with an excerpt.
#[tauri::command]
pub fn elenco_fascicoli(stato: State<'_, Stato>, ricerca: String) -> Esito<Vec<FascicoloSintesi>> {
    let (tutti, colpi) = {
        let a = stato.archivio()?;
        let tutti = a.list(false)?;
        let colpi = if ricerca.trim().is_empty() { None } else { Some(a.search(&ricerca, 200)?) };
        (tutti, colpi)
    };
    let mut out = Vec::new();
    for s in tutti.into_iter().filter(|s| !s.deleted) {
        let estratto = match &colpi {
            None => None,
            Some(c) => match c.iter().find(|h| h.fascicolo_id == s.id) {
                Some(h) => Some(h.snippet.replace(['[', ']'], "")),
                None if s.title.to_lowercase().contains(&ricerca.trim().to_lowercase()) => None,
                None => continue,
            },
        };
        out.push(sintesi(&stato, s, estratto));
    }
    Ok(out)
}

#[tauri::command]
pub fn cestino(stato: State<'_, Stato>) -> Esito<Vec<FascicoloSintesi>> {
    let tutti = stato.archivio()?.list(true)?;
    Ok(tutti.into_iter().filter(|s| s.deleted).map(|s| sintesi(&stato, s, None)).collect())
}

#[tauri::command]
pub fn crea_fascicolo(stato: State<'_, Stato>, nuovo: NuovoFascicolo) -> Esito<i64> {
    let fam = stato.famiglia(&nuovo.famiglia)?;
    let titolo = nuovo.titolo.trim();
    if titolo.is_empty() {
        return Err(ErroreIpc::new("dati", "Date un titolo al fascicolo."));
    }
    let variante = if fam.variants.is_empty() || fam.variants.iter().any(|v| v.id == nuovo.variante) {
        nuovo.variante.clone()
    } else {
        fam.variants[0].id.clone()
    };
    let prof = profilo(&stato)?;
    let f = pianozona::model::new_fascicolo(fam, &variante, titolo, &prof.legal_rep, Some(oggi()));
    Ok(stato.archivio()?.create(&f, "Creazione")?)
}

fn aperto(stato: &Stato, id: i64) -> Esito<FascicoloAperto> {
    let (mut f, salvato_il) = {
        let a = stato.archivio()?;
        let f = a.load(id)?;
        let s = a.list(true)?.into_iter().find(|s| s.id == id).map(|s| s.updated_at).unwrap_or_default();
        (f, s)
    };
    if let Some(fam) = stato.registro.family(&f.family) {
        completa(fam, &mut f);
    }
    let prof = profilo(stato)?;
    Ok(FascicoloAperto { id, rilievi: rilievi(stato, &f, &prof), fascicolo: f, salvato_il })
}

#[tauri::command]
pub fn apri_fascicolo(stato: State<'_, Stato>, id: i64) -> Esito<FascicoloAperto> {
    aperto(&stato, id)
}

/// Autosave: stores a revision (only changed fields) and returns the Verifica findings.
#[tauri::command]
pub fn salva_fascicolo(stato: State<'_, Stato>, id: i64, fascicolo: Fascicolo) -> Esito<Salvataggio> {
    let revisione = stato.archivio()?.save(id, &fascicolo, "Salvataggio automatico")?;
    let prof = profilo(&stato)?;
    Ok(Salvataggio {
        revisione,
        salvato_il: chrono::Utc::now().to_rfc3339(),
        rilievi: rilievi(&stato, &fascicolo, &prof),
    })
}

#[tauri::command]
pub fn duplica_fascicolo(stato: State<'_, Stato>, id: i64) -> Esito<i64> {
    Ok(stato.archivio()?.duplicate(id)?)
}

#[tauri::command]
pub fn elimina_fascicolo(stato: State<'_, Stato>, id: i64) -> Esito<()> {
    Ok(stato.archivio()?.delete(id)?)
}

#[tauri::command]
pub fn ripristina_fascicolo(stato: State<'_, Stato>, id: i64) -> Esito<()> {
    Ok(stato.archivio()?.undelete(id)?)
}

#[tauri::command]
pub fn revisioni(stato: State<'_, Stato>, id: i64) -> Esito<Vec<RevisioneInfo>> {
    let mut v: Vec<RevisioneInfo> = stato
        .archivio()?
        .history(id)?
        .into_iter()
        .map(|r| RevisioneInfo {
            numero: r.rev,
            salvato_il: r.created_at,
            nota: format!("{} · {} {}", r.message, r.changed, if r.changed == 1 { "campo" } else { "campi" }),
        })
        .collect();
    v.reverse();
    Ok(v)
}

/// Per-field differences between a past revision and the current one.
#[tauri::command]
pub fn confronta_revisione(stato: State<'_, Stato>, id: i64, revisione: i64) -> Esito<Vec<DiffCampo>> {
    let a = stato.archivio()?;
    let head = a.head(id)?;
    Ok(a.diff(id, revisione, head)?
        .into_iter()
        .map(|c| {
            let (documento, campo) = match c.label.split_once(" › ") {
                Some((d, k)) => (d.to_string(), k.to_string()),
                None => (String::new(), c.label.clone()),
            };
            DiffCampo { documento, campo, prima: c.before.unwrap_or_default(), dopo: c.after.unwrap_or_default() }
        })
        .collect())
}

#[tauri::command]
pub fn ripristina_revisione(stato: State<'_, Stato>, id: i64, revisione: i64) -> Esito<FascicoloAperto> {
    stato.archivio()?.restore(id, revisione)?;
    aperto(&stato, id)
}

fn percorso_utente(p: &str) -> Esito<PathBuf> {
    let p = PathBuf::from(p);
    if !p.is_absolute() {
        return Err(ErroreIpc::new("file", "Percorso del file non valido."));
    }
    Ok(p)
}

#[tauri::command]
pub fn esporta_json(stato: State<'_, Stato>, id: i64, percorso: String) -> Esito<()> {
    let p = percorso_utente(&percorso)?;
    let (f, prof) = {
        let a = stato.archivio()?;
        (a.load(id)?, a.profile()?.unwrap_or_default())
    };
    let testo = pianozona::exchange::export_json(&prof, &f);
    pianozona::durable::write_file(&p, testo.as_bytes()).map_err(|e| ErroreIpc::new("file", e.to_string()))
}

fn importa_testo(stato: &Stato, testo: &str, nota: &str) -> Esito<i64> {
    let file = pianozona::exchange::import_json(testo, &stato.registro)?;
    let mut a = stato.archivio()?;
    if a.profile()?.is_none() {
        a.save_profile(&file.profile)?;
    }
    Ok(a.create(&file.fascicolo, nota)?)
}

/// Imports a fascicolo file (strict: another program's file or a newer format is refused in Italian).
#[tauri::command]
pub fn importa_json(stato: State<'_, Stato>, percorso: String) -> Esito<i64> {
    let p = percorso_utente(&percorso)?;
    let meta = std::fs::metadata(&p)
        .map_err(|e| ErroreIpc::new("file", format!("Impossibile leggere «{}»: {e}", p.display())))?;
    if meta.len() > 64 * 1024 * 1024 {
        return Err(ErroreIpc::new("file", "Il file è troppo grande per essere un fascicolo (oltre 64 MB)."));
    }
    let bytes =
        std::fs::read(&p).map_err(|e| ErroreIpc::new("file", format!("Impossibile leggere «{}»: {e}", p.display())))?;
    let testo = String::from_utf8(bytes).map_err(|_| {
        ErroreIpc::new("scambio", "Il file non è un fascicolo di Piano di Zona Desktop (non è testo JSON).")
    })?;
    importa_testo(&stato, &testo, "Importazione")
}

/// Imports the demo fascicolo shipped with the app (a new copy each time).
#[tauri::command]
pub fn apri_esempio(stato: State<'_, Stato>) -> Esito<i64> {
    let testo = crate::demo::DEMO
        .ok_or_else(|| ErroreIpc::new("non_trovato", "Il fascicolo di esempio non è incluso in questa versione."))?;
    Ok(pianozona::service::import_example(&mut *stato.archivio()?, &stato.registro, testo)?.id)
}

/// Exports the PDF/A of the fascicolo; progress is sent as "esportazione" events.
#[tauri::command]
pub async fn esporta_pdf(app: AppHandle, stato: State<'_, Stato>, id: i64, percorso: String, bozza: bool) -> Esito<()> {
    let p = percorso_utente(&percorso)?;
    let avanza = |percentuale: u8, messaggio: &str| {
        let _ = app.emit("esportazione", AvanzamentoEsportazione { percentuale, messaggio: messaggio.into() });
    };
    avanza(5, "Lettura del fascicolo…");
    let (f, prof) = {
        let a = stato.archivio()?;
        (a.load(id)?, a.profile()?.unwrap_or_default())
    };
    let fam = stato.famiglia(&f.family)?;
    avanza(20, "Impaginazione del PDF/A…");
    let bytes = crate::pdf::esporta(fam, &f, &prof, bozza)?;
    avanza(90, "Scrittura del file…");
    pianozona::durable::write_file(&p, &bytes).map_err(|e| ErroreIpc::new("file", e.to_string()))?;
    avanza(100, "Fatto.");
    Ok(())
}

/// Opens a file we exported with the desktop's default program (viewer → print dialog).
#[tauri::command]
pub fn apri_file(percorso: String) -> Esito<()> {
    let p = percorso_utente(&percorso)?;
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    if !["pdf", "p7m", "json"].contains(&ext.as_str()) || !p.is_file() {
        return Err(ErroreIpc::new("file", "Si possono aprire solo i PDF e i file esportati dal programma."));
    }
    std::process::Command::new("xdg-open")
        .arg(&p)
        .spawn()
        .map(|_| ())
        .map_err(|e| ErroreIpc::new("file", format!("Nessun programma per aprire «{}»: {e}", p.display())))
}

#[tauri::command]
pub fn firma_pdf(pdf: String, certificato: String, pin: String, formato: String) -> Esito<EsitoFirma> {
    crate::firma::firma(&percorso_utente(&pdf)?, &percorso_utente(&certificato)?, &pin, &formato)
}

/// PKCS#11 libraries of smart cards / tokens found on this machine.
#[tauri::command]
pub fn moduli_pkcs11() -> Vec<String> {
    crate::firma::moduli()
}

/// Slots and certificates of a smart card / token (no PIN).
#[tauri::command(async)]
pub fn leggi_dispositivo(modulo: String) -> Esito<Vec<crate::dto::DispositivoFirma>> {
    crate::firma::dispositivi(&percorso_utente(&modulo)?)
}

/// Signs with a smart card / token (PKCS#11); the PIN is never stored or logged.
#[tauri::command(async)]
pub fn firma_pdf_token(
    pdf: String,
    modulo: String,
    slot: Option<u64>,
    certificato: Option<String>,
    pin: String,
    formato: String,
) -> Esito<EsitoFirma> {
    crate::firma::firma_token(
        &percorso_utente(&pdf)?,
        &percorso_utente(&modulo)?,
        slot,
        certificato.as_deref(),
        &pin,
        &formato,
    )
}

#[tauri::command]
pub fn verifica_firma(percorso: String) -> Esito<EsitoVerificaFirma> {
    crate::firma::verifica(&percorso_utente(&percorso)?)
}

/// Adds a document of a form to the fascicolo being edited (core: numbering of the schede).
#[tauri::command]
pub fn aggiungi_documento(stato: State<'_, Stato>, fascicolo: Fascicolo, forma: String) -> Esito<DocumentoAggiunto> {
    let fam = stato.famiglia(&fascicolo.family)?;
    let mut f = fascicolo;
    let id = pianozona::model::add_document(fam, &mut f, &forma)
        .ok_or_else(|| ErroreIpc::new("non_trovato", format!("Il modulo «{forma}» non esiste in «{}».", fam.title)))?;
    Ok(DocumentoAggiunto { fascicolo: f, id })
}

/// Moves a document up (-1) or down (+1) and renumbers the schede (core).
#[tauri::command]
pub fn sposta_documento(stato: State<'_, Stato>, fascicolo: Fascicolo, id: String, delta: i32) -> Esito<Fascicolo> {
    let fam = stato.famiglia(&fascicolo.family)?;
    let mut f = fascicolo;
    pianozona::model::move_document(fam, &mut f, &id, delta);
    Ok(f)
}

/// Renumbers the schede 1…N in document order (core).
#[tauri::command]
pub fn rinumera_schede(stato: State<'_, Stato>, fascicolo: Fascicolo) -> Esito<Fascicolo> {
    let fam = stato.famiglia(&fascicolo.family)?;
    let mut f = fascicolo;
    pianozona::model::renumber_schede(fam, &mut f);
    Ok(f)
}
