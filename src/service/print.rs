//! Printing through CUPS: the printers come from `lpstat`, a PDF goes to one with `lp`. Messages in
//! Italian; CUPS's own English texts stay out.

use crate::error::{Error, Result};
use std::process::{Command, Stdio};

/// A CUPS destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printer {
    pub name: String,
    /// The system's default destination.
    pub default: bool,
}

/// A job accepted by CUPS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// CUPS's request id, e.g. "PDF-12".
    pub id: String,
    pub printer: Option<String>,
}

fn tool(name: &str) -> Command {
    let mut c = Command::new(name);
    // CUPS speaks the user's language; parse its C-locale output.
    c.env("LC_ALL", "C").env("LANG", "C");
    c
}

fn missing(name: &str, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::Other(format!("il comando «{name}» non è installato: per stampare serve CUPS (pacchetto «cups-client»)"))
    } else {
        Error::Other(format!("impossibile avviare «{name}» (errore di sistema {})", e.raw_os_error().unwrap_or(0)))
    }
}

/// CUPS printer names: printable, no space, '/', '#' or leading '-' (lpadmin's own rule).
pub fn valid_printer_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 127
        && !name.starts_with('-')
        && name.chars().all(|c| !c.is_control() && !c.is_whitespace() && c != '/' && c != '#' && c != '\'' && c != '"')
}

/// The printers CUPS knows, the default one marked. None installed: an empty list.
pub fn printers() -> Result<Vec<Printer>> {
    let out = tool("lpstat").arg("-e").output().map_err(|e| missing("lpstat", e))?;
    // With no destinations lpstat -e exits non-zero and prints nothing useful.
    let names: Vec<String> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    let default =
        tool("lpstat").arg("-d").output().ok().and_then(|o| parse_default(&String::from_utf8_lossy(&o.stdout)));
    Ok(names.into_iter().map(|n| Printer { default: default.as_deref() == Some(n.as_str()), name: n }).collect())
}

/// "system default destination: NAME" → NAME ("no system default destination" → None).
fn parse_default(s: &str) -> Option<String> {
    s.lines().find_map(|l| l.strip_prefix("system default destination:")).map(|n| n.trim().to_string())
}

/// "request id is PDF-12 (1 file(s))" → "PDF-12".
fn parse_request_id(s: &str) -> Option<String> {
    s.lines()
        .find_map(|l| l.trim().strip_prefix("request id is "))
        .and_then(|r| r.split_whitespace().next())
        .map(str::to_string)
}

/// Sends `pdf` to `printer` (None: the system default) in `copies` copies; `title` names the job.
pub fn print_pdf(pdf: &[u8], printer: Option<&str>, copies: u32, title: &str) -> Result<Job> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(Error::Invalid("il file da stampare non è un PDF".into()));
    }
    if !(1..=99).contains(&copies) {
        return Err(Error::Invalid(format!("numero di copie non ammesso: {copies} (da 1 a 99)")));
    }
    let mut cmd = tool("lp");
    if let Some(p) = printer {
        if !valid_printer_name(p) {
            return Err(Error::Invalid(format!("«{p}» non è un nome di stampante valido")));
        }
        cmd.arg(format!("-d{p}"));
    }
    let title: String = title.chars().filter(|c| !c.is_control()).take(200).collect();
    // lp reads a file (its copy goes to the CUPS spool at once): no pipe that a refusing lp could
    // close under us (the CLI dies of SIGPIPE on a closed pipe).
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let file = std::env::temp_dir().join(format!("pianozona-stampa-{}-{nanos}.pdf", std::process::id()));
    crate::durable::write_file(&file, pdf).map_err(|e| Error::Other(format!("file temporaneo di stampa: {e}")))?;
    cmd.arg(format!("-n{copies}"))
        .arg("-t")
        .arg(if title.trim().is_empty() { "Piano di Zona" } else { title.as_str() })
        .arg("-o")
        .arg("document-format=application/pdf")
        .arg("--")
        .arg(&file)
        .stdin(Stdio::null());
    let out = cmd.output();
    let _ = std::fs::remove_file(&file);
    let out = out.map_err(|e| missing("lp", e))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(Error::Other(lp_error(&stderr, printer)));
    }
    let id = parse_request_id(&stdout).unwrap_or_default();
    Ok(Job { id, printer: printer.map(str::to_string) })
}

/// CUPS's English refusal in Italian words.
fn lp_error(stderr: &str, printer: Option<&str>) -> String {
    let s = stderr.to_lowercase();
    if s.contains("no default destination") {
        "nessuna stampante predefinita: indicarne una con --printer (elenco: «pianozona print --list»)".into()
    } else if s.contains("does not exist") || s.contains("not found") {
        format!("la stampante «{}» non esiste (elenco: «pianozona print --list»)", printer.unwrap_or(""))
    } else if s.contains("not accepting") {
        format!("la stampante «{}» non accetta lavori in questo momento", printer.unwrap_or("predefinita"))
    } else if s.contains("scheduler") || s.contains("connect") {
        "il servizio di stampa CUPS non è in esecuzione".into()
    } else {
        "il servizio di stampa CUPS ha rifiutato il lavoro".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cups_output() {
        assert_eq!(parse_request_id("request id is PDF-12 (1 file(s))\n").as_deref(), Some("PDF-12"));
        assert_eq!(parse_request_id("").as_deref(), None);
        assert_eq!(parse_default("system default destination: PDF\n").as_deref(), Some("PDF"));
        assert_eq!(parse_default("no system default destination\n"), None);
    }

    #[test]
    fn refuses_bad_input_in_italian() {
        let e = print_pdf(b"not a pdf", None, 1, "x").unwrap_err().to_string();
        assert!(e.contains("non è un PDF"), "{e}");
        let e = print_pdf(b"%PDF-1.7", Some("-o evil"), 1, "x").unwrap_err().to_string();
        assert!(e.contains("nome di stampante"), "{e}");
        let e = print_pdf(b"%PDF-1.7", None, 0, "x").unwrap_err().to_string();
        assert!(e.contains("copie"), "{e}");
        assert!(valid_printer_name("PDF") && valid_printer_name("Ufficio_2") && !valid_printer_name("a b"));
        assert!(lp_error("lp: Error - No default destination.", None).contains("predefinita"));
        assert!(lp_error("lp: The printer or class does not exist.", Some("X")).contains("«X» non esiste"));
    }
}
