//! `pianozona print`: a fascicolo's PDF (the same bytes as `pdf`) or a PDF file to a CUPS printer.

use crate::error::{Error, Result};
use crate::service::{self, print};
use crate::store::Store;
use crate::template::Registry;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct PrintArgs {
    /// Id del fascicolo oppure un file PDF (per esempio quello firmato)
    #[arg(required_unless_present = "list")]
    pub what: Option<String>,
    /// Stampante CUPS (predefinita: quella del sistema)
    #[arg(short = 'p', long = "printer")]
    pub printer: Option<String>,
    /// Numero di copie
    #[arg(short = 'n', long = "copies", default_value_t = 1)]
    pub copies: u32,
    /// Filigrana «BOZZA» su ogni pagina (solo per un fascicolo)
    #[arg(long, conflicts_with = "final_")]
    pub draft: bool,
    /// Stampa definitiva anche se la Verifica trova errori (solo per un fascicolo)
    #[arg(long = "final")]
    pub final_: bool,
    /// Elenca le stampanti e non stampa nulla
    #[arg(long, conflicts_with = "what")]
    pub list: bool,
}

pub fn run(a: &PrintArgs, reg: &Registry, open: impl FnOnce() -> Result<Store>) -> Result<ExitCode> {
    if a.list {
        let ps = print::printers()?;
        if ps.is_empty() {
            println!("Nessuna stampante configurata in CUPS.");
        }
        for p in ps {
            println!("{}{}", p.name, if p.default { "\t(predefinita)" } else { "" });
        }
        return Ok(ExitCode::SUCCESS);
    }
    let what = a.what.as_deref().unwrap_or_default();
    let (bytes, title) = match what.parse::<i64>() {
        Ok(id) => {
            let store = open()?;
            if !a.draft && !a.final_ {
                let errori = service::errori_before_final(&store, reg, id)?;
                if errori > 0 {
                    let n = if errori == 1 { "1 errore".to_string() } else { format!("{errori} errori") };
                    eprintln!(
                        "errore: la Verifica del fascicolo {id} trova {n}: nulla è stato stampato. Stampare una \
                         bozza con --draft (filigrana «BOZZA») oppure confermare con --final."
                    );
                    return Ok(ExitCode::from(1));
                }
            }
            let title = store.load(id)?.title;
            (service::export_pdf(&store, reg, id, a.draft)?, title)
        }
        Err(_) => {
            let p = Path::new(what);
            let bytes = std::fs::read(p).map_err(|e| Error::io(PathBuf::from(p), e))?;
            (bytes, p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        }
    };
    let job = print::print_pdf(&bytes, a.printer.as_deref(), a.copies, &title)?;
    let dove =
        a.printer.as_deref().map(|p| format!("alla stampante «{p}»")).unwrap_or("alla stampante predefinita".into());
    let copie = if a.copies == 1 { "1 copia".to_string() } else { format!("{} copie", a.copies) };
    println!(
        "Inviato {dove} ({copie}, {} byte). Lavoro di stampa: {}",
        bytes.len(),
        if job.id.is_empty() { "-" } else { &job.id }
    );
    Ok(ExitCode::SUCCESS)
}
