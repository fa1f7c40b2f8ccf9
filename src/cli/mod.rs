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
    /// Storia di un fascicolo: una riga per sessione di lavoro, con le sezioni modificate
    History {
        id: i64,
        /// Una riga per ogni revisione (anche ogni salvataggio automatico)
        #[arg(long)]
        tutte: bool,
    },
    /// Differenze sezione per sezione tra due revisioni (tabelle e cronoprogramma come nel PDF)
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
    /// Indice dei capitoli del Piano (numero, titolo, parole, identificativo)
    Chapters { id: i64 },
    /// Scrive il testo di un capitolo del Piano leggendolo da un file di testo
    ChapterText {
        /// Fascicolo
        id: i64,
        /// Identificativo del capitolo (vedi «chapters»)
        chapter: String,
        /// File di testo (UTF-8) con il testo del capitolo
        file: PathBuf,
        /// Quale testo del capitolo (posizione tra le sue parti, da 1); predefinito: il primo
        #[arg(long)]
        part: Option<usize>,
    },
    /// Aggiunge un sottocapitolo dell'ufficio
    ChapterAdd {
        /// Fascicolo
        id: i64,
        /// Titolo del nuovo capitolo
        title: String,
        /// Capitolo che lo contiene (predefinito: un capitolo di primo livello)
        #[arg(long)]
        parent: Option<String>,
    },
    /// Rinomina un capitolo (titolo vuoto: quello del modello)
    ChapterRename {
        /// Fascicolo
        id: i64,
        chapter: String,
        title: String,
    },
    /// Elimina un capitolo dell'ufficio (i capitoli richiesti dalla Regione non si eliminano)
    ChapterRemove {
        /// Fascicolo
        id: i64,
        chapter: String,
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
        Command::History { id, tutte: true } => {
            for r in service::history(store, id)? {
                println!("{}\t{}\t{} campi\t{}", r.rev, r.created_at, r.changed, r.message);
            }
        }
        Command::History { id, tutte: false } => {
            for s in service::history::sessions(store, reg, id)? {
                let revs = if s.first_rev == s.last_rev {
                    format!("{}", s.last_rev)
                } else {
                    format!("{}-{}", s.first_rev, s.last_rev)
                };
                let saves = if s.saves == 1 { "1 salvataggio".to_string() } else { format!("{} salvataggi", s.saves) };
                println!("{revs}\t{}\t{}\t{saves}\t{}", s.started_at, s.ended_at, s.title);
            }
        }
        Command::Diff { id, from, to } => {
            let changes = service::history::changes(store, reg, id, from, Some(to))?;
            if changes.is_empty() {
                println!("Nessuna differenza.");
            }
            for c in changes {
                let place =
                    if c.document.is_empty() { c.section.clone() } else { format!("{} › {}", c.document, c.section) };
                println!("== {place}");
                for (head, blocks) in [("-- prima:", &c.before), ("++ dopo:", &c.after)] {
                    println!("{head}");
                    if blocks.is_empty() {
                        println!("(assente)");
                    }
                    for b in blocks {
                        for l in service::history::block_lines(b) {
                            println!("{l}");
                        }
                    }
                }
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
        Command::Chapters { id } => {
            let f = store.load(id)?;
            for c in service::plan::outline(reg, &f, &[])? {
                let indent = "  ".repeat(c.level.saturating_sub(1) as usize);
                let num = if c.number.is_empty() { String::new() } else { format!("{} ", c.number) };
                println!("{indent}{num}{}\t{} parole\t{}", c.title, c.words, c.id);
            }
        }
        Command::ChapterText { id, chapter, file, part } => {
            let text = service::read_import_file(&file)?;
            let index = part.map(|n| n.saturating_sub(1));
            let s = service::plan::save_chapter_text(
                store,
                reg,
                id,
                &chapter,
                index,
                &text,
                "Testo del capitolo",
                service::today(),
            )?;
            println!("Capitolo «{chapter}» salvato (revisione {}).", s.rev);
        }
        Command::ChapterAdd { id, title, parent } => {
            let mut new = String::new();
            let rev = service::plan::edit_stored(store, id, "Nuovo capitolo", |f| {
                new = service::plan::add_chapter(reg, f, parent.as_deref(), &title)?;
                Ok(())
            })?;
            println!("Capitolo «{title}» aggiunto (revisione {rev}).");
            println!("{new}");
        }
        Command::ChapterRename { id, chapter, title } => {
            let rev = service::plan::edit_stored(store, id, "Capitolo rinominato", |f| {
                service::plan::rename_chapter(reg, f, &chapter, &title)
            })?;
            println!("Capitolo «{chapter}» rinominato (revisione {rev}).");
        }
        Command::ChapterRemove { id, chapter } => {
            let rev = service::plan::edit_stored(store, id, "Capitolo eliminato", |f| {
                service::plan::remove_chapter(reg, f, &chapter)
            })?;
            println!("Capitolo «{chapter}» eliminato (revisione {rev}).");
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
