//! The `pianozona` command line. Messages in Italian; exit codes: 0 ok, 1 check found errori /
//! invalid signature, 2 usage or I/O error.

pub mod print;
pub mod sign;
mod usage;

use crate::error::{Error, Result};
use crate::rules;
use crate::service::{self, Listing};
use crate::store::Store;
use crate::template::Registry;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "pianozona",
    version,
    about = "Piano di Zona Desktop: fascicoli, Verifica, PDF/A e firma da riga di comando"
)]
pub struct Cli {
    /// Archivio SQLite (anche con la variabile PIANOZONA_DB; predefinito: cartella dati del sistema)
    #[arg(long, global = true, env = "PIANOZONA_DB", hide_env = true)]
    pub db: Option<PathBuf>,
    /// Cartella con modelli aggiuntivi (*.toml; anche con la variabile PIANOZONA_TEMPLATES)
    #[arg(long, global = true, env = "PIANOZONA_TEMPLATES", hide_env = true)]
    pub templates: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: the size of the sign options does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Importa un fascicolo da un file JSON; stampa l'id del nuovo fascicolo come ultima riga
    Import { file: PathBuf },
    /// Esporta un fascicolo in JSON
    Export {
        id: i64,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Elenca i fascicoli
    List {
        /// Mostra anche quelli nel cestino
        #[arg(long)]
        all: bool,
    },
    /// Elenca i modelli disponibili
    Templates,
    /// Cerca in tutti i testi
    Search { text: Vec<String> },
    /// Revisioni di un fascicolo
    History { id: i64 },
    /// Differenze campo per campo tra due revisioni
    Diff {
        /// Fascicolo
        id: i64,
        /// Revisione di partenza
        from: i64,
        /// Revisione di arrivo
        to: i64,
    },
    /// Ripristina una revisione (come nuova revisione: nulla va perso)
    Restore {
        /// Fascicolo
        id: i64,
        /// Revisione da ripristinare
        rev: i64,
    },
    /// Copia di sicurezza dell'archivio
    Backup { file: PathBuf },
    /// Sostituisce l'archivio con una copia di sicurezza
    RestoreBackup { file: PathBuf },
    /// Sposta un fascicolo nel cestino
    Delete { id: i64 },
    /// Recupera un fascicolo dal cestino
    Undelete { id: i64 },
    /// Verifica le regole regionali
    Check {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Firma un PDF: PAdES (firma nel PDF) o, con --cades, CAdES (.p7m)
    Sign(sign::SignArgs),
    /// Verifica un PDF firmato o un file .p7m
    Verify(sign::VerifyArgs),
    /// Elenca dispositivi di firma (PKCS#11) e certificati
    Tokens(sign::TokensArgs),
    /// Stampa su una stampante CUPS il PDF di un fascicolo o un file PDF; --list elenca le stampanti
    Print(print::PrintArgs),
    /// Esporta un fascicolo in PDF/A-2b (impaginazione del modello regionale)
    Pdf {
        id: i64,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Filigrana «BOZZA» su ogni pagina
        #[arg(long, conflicts_with = "final_")]
        draft: bool,
        /// PDF definitivo anche se la Verifica trova errori
        #[arg(long = "final")]
        final_: bool,
    },
}

/// The command line as parsed, with its help in Italian (`usage::italianise`).
pub fn command() -> clap::Command {
    usage::italianise(Cli::command())
}

pub fn main() -> ExitCode {
    let parsed = command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            use std::io::Write;
            let _ = std::io::stdout().write_all(usage::help_text(&e).as_bytes());
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("errore: {}. Elenco dei comandi: «pianozona --help».", usage::italian(&e));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("errore: {e}");
            ExitCode::from(2)
        }
    }
}

/// Templates: embedded ones plus the extra directory, if any.
pub fn registry(extra: Option<&Path>) -> Result<Registry> {
    Registry::load(extra)
}

fn open_store(db: &Option<PathBuf>) -> Result<Store> {
    let path = db.clone().unwrap_or_else(Store::default_path);
    let store = Store::open(&path)?;
    if let Some(why) = store.read_only_reason() {
        eprintln!("attenzione: {why}");
    }
    Ok(store)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Sign(a) => return Ok(sign::run_sign(a)),
        Command::Verify(a) => return Ok(sign::run_verify(a)),
        Command::Tokens(a) => return Ok(sign::run_tokens(a)),
        _ => {}
    }
    let reg = registry(cli.templates.as_deref())?;
    match cli.command {
        Command::Templates => print_templates(&reg),
        Command::Check { id, json } => return check(&open_store(&cli.db)?, &reg, id, json),
        Command::Print(a) => return print::run(&a, &reg, || open_store(&cli.db)),
        Command::Pdf { id, output, draft, final_ } => {
            let store = open_store(&cli.db)?;
            if !draft && !final_ {
                let errori = service::errori_before_final(&store, &reg, id)?;
                if errori > 0 {
                    let n = if errori == 1 { "1 errore".to_string() } else { format!("{errori} errori") };
                    eprintln!(
                        "errore: la Verifica del fascicolo {id} trova {n}: il PDF definitivo non è stato scritto. \
                         Esportare una bozza con --draft (filigrana «BOZZA») oppure confermare il PDF definitivo \
                         con --final (dettagli: «pianozona check {id}»)."
                    );
                    return Ok(ExitCode::from(1));
                }
            }
            let n = service::export_pdf_to(&store, &reg, id, draft, &output)?;
            println!("Esportato il fascicolo {id} in {} (PDF/A-2b, {n} byte)", output.display());
        }
        cmd => run_store(cmd, &mut open_store(&cli.db)?, &reg)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_templates(reg: &Registry) {
    for f in &reg.families {
        println!("{}\t{} ({})", f.id, f.title, f.cycle);
        for form in &f.forms {
            println!("  {}\t{}", form.id, form.title);
        }
    }
}

/// Commands that only read or write the store.
fn run_store(cmd: Command, store: &mut Store, reg: &Registry) -> Result<()> {
    match cmd {
        Command::Import { file } => {
            let im = service::import_file(store, reg, &file)?;
            println!("Importato «{}» ({} documenti)", im.title, im.documents);
            println!("{}", im.id);
        }
        Command::Export { id, output } => {
            service::export_json_to(store, id, &output)?;
            println!("Esportato il fascicolo {id} in {}", output.display());
        }
        Command::List { all } => {
            for s in service::list(store, reg, if all { Listing::All } else { Listing::Active }, "")? {
                let bin = if s.deleted { "\t[cestino]" } else { "" };
                println!("{}\t{}\t{}\trev. {}\t{}{bin}", s.id, s.title, s.family, s.head_rev, s.updated_at);
            }
        }
        Command::Search { text } => {
            let hits = store.search(&text.join(" "), 50)?;
            if hits.is_empty() {
                println!("Nessun risultato.");
            }
            for h in hits {
                println!("{}\t{}\t{}\t{}", h.fascicolo_id, h.fascicolo_title, h.label, h.snippet.replace('\n', " "));
            }
        }
        Command::History { id } => {
            for r in service::history(store, id)? {
                println!("{}\t{}\t{} campi\t{}", r.rev, r.created_at, r.changed, r.message);
            }
        }
        Command::Diff { id, from, to } => {
            let changes = service::diff(store, id, from, Some(to))?;
            if changes.is_empty() {
                println!("Nessuna differenza.");
            }
            for c in changes {
                println!("== {}", c.label);
                println!("-- prima:\n{}", c.before.as_deref().unwrap_or("(assente)"));
                println!("++ dopo:\n{}", c.after.as_deref().unwrap_or("(assente)"));
            }
        }
        Command::Restore { id, rev } => {
            let new = service::restore(store, id, rev)?;
            println!("Revisione {rev} ripristinata come revisione {new}.");
        }
        Command::Backup { file } => {
            service::backup(store, &file)?;
            println!("Copia di sicurezza salvata in {}", file.display());
        }
        Command::RestoreBackup { file } => {
            let r = service::restore_backup(store, &file)?;
            println!("{}", service::restore_summary(&file, &r));
        }
        Command::Delete { id } => {
            store.delete(id)?;
            println!("Fascicolo {id} spostato nel cestino (recuperabile con «undelete {id}»).");
        }
        Command::Undelete { id } => {
            store.undelete(id)?;
            println!("Fascicolo {id} recuperato.");
        }
        other => return Err(Error::Other(format!("comando non gestito: {other:?}"))),
    }
    Ok(())
}

fn check(store: &Store, reg: &Registry, id: i64, json: bool) -> Result<ExitCode> {
    let findings = service::check_stored(store, reg, id, service::today())?;
    let (errori, avvisi) = rules::counts(&findings);
    if json {
        let s = serde_json::to_string_pretty(&findings).map_err(|e| Error::Other(e.to_string()))?;
        println!("{s}");
    } else {
        for x in &findings {
            let loc = if x.path.is_empty() { String::new() } else { format!(" [{}]", x.path) };
            let sev = x.severity.label().to_uppercase();
            println!("{sev} {} — {}{}: {}", x.rule, x.document_label, loc, x.message);
        }
        println!("Verifica: {errori} errori, {avvisi} avvisi.");
    }
    Ok(if errori > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Durable write through the one writer (`crate::durable`).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    service::write_user_file(path, bytes)
}
