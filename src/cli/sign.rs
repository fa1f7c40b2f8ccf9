//! `pianozona sign`, `pianozona verify`, `pianozona tokens`.
//! Exit codes of `verify`: 0 valid; 1 invalid (altered, damaged, modified after signing,
//! certificate not valid, no signature); 3 intact but untrusted (CA not imported); 2 usage or
//! I/O error. `sign`: 0 signed; 1 refused (wrong password or PIN, expired or unsuitable
//! certificate, encrypted or certified PDF); 2 usage or I/O error.
//! Passwords and PINs are read from files (or `-` = standard input), or asked at the terminal
//! without echo; never printed, never empty.

use crate::service::signature::{self as svc, SignFormat};
use crate::sign::{self, KeySource, PadesOptions, SignError, VerifyReport};
use clap::Args;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

#[derive(Args, Debug)]
pub struct SignArgs {
    /// PDF da firmare
    pub input: PathBuf,
    /// File firmato da scrivere (PDF firmato, oppure .p7m con --cades)
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Certificato di firma in un file PKCS#12 (.p12/.pfx)
    #[arg(long, value_name = "FILE", conflicts_with = "pkcs11")]
    pub p12: Option<PathBuf>,
    /// File che contiene la password del .p12 («-» = standard input)
    #[arg(long = "password-file", value_name = "F", requires = "p12")]
    pub password_file: Option<PathBuf>,
    /// Libreria PKCS#11 della smart card / token (es. /usr/lib/libbit4xpki.so); senza --p12 né
    /// --pkcs11 si usa la sola libreria nota installata (vedi `pianozona tokens`)
    #[arg(long, value_name = "MODULE")]
    pub pkcs11: Option<PathBuf>,
    /// Slot del dispositivo (predefinito: quello con il certificato di firma)
    #[arg(long, value_name = "N", requires = "pkcs11")]
    pub slot: Option<u64>,
    /// File che contiene il PIN («-» = standard input)
    #[arg(long = "pin-file", value_name = "F", conflicts_with = "p12")]
    pub pin_file: Option<PathBuf>,
    /// CKA_ID esadecimale del certificato da usare (vedi `pianozona tokens`)
    #[arg(long = "cert-id", value_name = "HEX", requires = "pkcs11")]
    pub cert_id: Option<String>,
    /// Firma CAdES-BES (.p7m, documento imbustato) invece di PAdES
    #[arg(long)]
    pub cades: bool,
    /// Motivo della firma (solo PAdES)
    #[arg(long)]
    pub reason: Option<String>,
    /// Luogo della firma (solo PAdES)
    #[arg(long)]
    pub location: Option<String>,
    /// Firma visibile: PAGINA/x1,y1,x2,y2 in punti PDF (es. 1/380,50,560,110); solo PAdES
    #[arg(long, value_name = "PAGINA/x1,y1,x2,y2", conflicts_with = "cades")]
    pub visible: Option<String>,
    /// Marca temporale dal servizio (TSA) a questo indirizzo http:// (PAdES B-T, CAdES-T);
    /// utente e password nell'indirizzo: http://utente:password@server/percorso
    #[arg(long, value_name = "URL", env = "PIANOZONA_TSA")]
    pub tsa: Option<String>,
    /// Con --cades su un file .p7m: aggiunge una firma parallela (secondo firmatario) invece di
    /// imbustarlo di nuovo
    #[arg(long, requires = "cades", conflicts_with = "controfirma")]
    pub aggiungi: bool,
    /// Con --cades su un file .p7m: controfirma la firma numero N (come fa Dike)
    #[arg(long, value_name = "N", requires = "cades")]
    pub controfirma: Option<usize>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// PDF firmato o file .p7m
    pub file: PathBuf,
    /// Certificati delle CA attendibili (PEM o DER; ripetibile)
    #[arg(long, value_name = "CA.pem")]
    pub trust: Vec<PathBuf>,
    /// Risultato in JSON
    #[arg(long)]
    pub json: bool,
    /// Documento firmato di una firma staccata (.p7s); predefinito: lo stesso nome senza .p7s
    #[arg(long, value_name = "FILE")]
    pub documento: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct TokensArgs {
    /// Libreria PKCS#11; senza, usa quelle note installate su questo computer
    #[arg(long, value_name = "MODULE")]
    pub pkcs11: Option<PathBuf>,
    /// Risultato in JSON
    #[arg(long)]
    pub json: bool,
}

fn read_secret(path: &Path) -> Result<Zeroizing<String>, SignError> {
    let mut s = Zeroizing::new(String::new());
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut s).map_err(|e| SignError::io("<stdin>", e))?;
    } else {
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| SignError::io(path, e))?);
        s.push_str(&String::from_utf8_lossy(&bytes));
    }
    let trimmed = Zeroizing::new(s.trim_end_matches(['\r', '\n']).to_string());
    Ok(trimmed)
}

fn exit_for(e: &SignError) -> ExitCode {
    match e {
        SignError::Io { .. } | SignError::Pkcs11Module { .. } | SignError::NoTerminal(_) | SignError::Usage(_) => {
            ExitCode::from(2)
        }
        _ => ExitCode::from(1),
    }
}

fn fail(e: SignError) -> ExitCode {
    eprintln!("errore: {e}");
    exit_for(&e)
}

/// Asks a secret at the terminal without echo; refuses when there is no terminal.
fn prompt_secret(what: &str, flag: &str) -> Result<Zeroizing<String>, SignError> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(SignError::NoTerminal(format!(
            "{what}: non indicato e nessun terminale da cui chiederlo; usa {flag} FILE (oppure «{flag} -» per leggerlo dallo standard input)"
        )));
    }
    let s = rpassword::prompt_password(format!("{what}: ")).map_err(|e| SignError::io("<terminale>", e))?;
    Ok(Zeroizing::new(s))
}

fn key_source(a: &SignArgs) -> Result<KeySource, SignError> {
    if let Some(p12) = &a.p12 {
        let password = match &a.password_file {
            Some(f) => read_secret(f)?,
            None => prompt_secret("Password del certificato (.p12)", "--password-file")?,
        };
        return KeySource::pkcs12_file(p12, &password);
    }
    let module = match &a.pkcs11 {
        Some(m) => m.clone(),
        None => svc::default_pkcs11_module()
            .map_err(|m| SignError::Usage(format!("{m} (--pkcs11 LIBRERIA oppure --p12 FILE)")))?,
    };
    let pin = match &a.pin_file {
        Some(f) => read_secret(f)?,
        None => prompt_secret("PIN del dispositivo di firma", "--pin-file")?,
    };
    let cert_id = match &a.cert_id {
        Some(h) => Some(
            svc::cert_id_from_hex(h).ok_or_else(|| SignError::Token(format!("--cert-id «{h}» non è esadecimale")))?,
        ),
        None => None,
    };
    Ok(KeySource::Pkcs11 { module, slot: a.slot, pin, cert_id })
}

pub fn run_sign(a: &SignArgs) -> ExitCode {
    // Checked before any PIN is asked: a signature never replaces an existing file.
    if a.output.exists() {
        eprintln!("errore: il file «{}» esiste già: scegli un altro nome per il file firmato.", a.output.display());
        return ExitCode::from(2);
    }
    let visible = match &a.visible {
        Some(v) => match sign::VisibleSignature::parse(v) {
            Some(v) => Some(v),
            None => {
                eprintln!(
                    "errore: --visible «{v}» non valido: usa PAGINA/x1,y1,x2,y2 (es. 1/380,50,560,110), riquadro di almeno 20×10 punti"
                );
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    // A missing input is said before any PIN or password is asked.
    if let Err(e) = std::fs::File::open(&a.input) {
        return fail(SignError::io(&a.input, e));
    }
    let source = match key_source(a) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let key = match svc::open_key(&source) {
        Ok(k) => k,
        Err(e) => return fail(e),
    };
    drop(source);
    let (format, cades_add) = match (a.cades, a.aggiungi, a.controfirma) {
        (false, _, _) => (SignFormat::Pades, None),
        (true, true, _) => (SignFormat::Cades, Some(sign::CadesAdd::Parallel)),
        (true, false, Some(n)) => (SignFormat::Cades, Some(sign::CadesAdd::Countersign(n))),
        (true, false, None) => (SignFormat::Cades, None),
    };
    let pades = PadesOptions {
        reason: a.reason.clone(),
        location: a.location.clone(),
        visible,
        timestamp: a.tsa.as_deref().map(sign::TimestampAuthority::new),
        ..Default::default()
    };
    let signed = match svc::sign_file_adding(&a.input, &a.output, &key, format, &pades, cades_add) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    for w in &signed.warnings {
        eprintln!("{w}");
    }
    let cf = signed.codice_fiscale.as_deref().map(|c| format!(" (CF {c})")).unwrap_or_default();
    println!("Firmato {} da {}{cf}: {}", signed.kind, signed.signer, a.output.display());
    ExitCode::SUCCESS
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "sì"
    } else {
        "no"
    }
}

/// Human-readable Italian report.
pub fn render_report(r: &VerifyReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let kind = match r.kind {
        sign::SignedFileKind::Pdf => "PDF firmato",
        sign::SignedFileKind::P7m => "busta CAdES (.p7m)",
        sign::SignedFileKind::P7s => "firma CAdES staccata (.p7s) con il suo documento",
        sign::SignedFileKind::Timestamped => "file firmato con marca temporale (.tsd / .m7m)",
    };
    let _ = writeln!(s, "Tipo: {kind}");
    if let Some(t) = &r.file_timestamp {
        let _ =
            writeln!(s, "Marca temporale del file: {} ora italiana", sign::italian_time(t).format("%d/%m/%Y %H:%M:%S"));
    }
    let _ = writeln!(s, "Esito: {}", r.summary);
    for sig in &r.signatures {
        let field = sig.field_name.as_deref().map(|f| format!(", campo {f}")).unwrap_or_default();
        let sf = sig.sub_filter.as_deref().unwrap_or("?");
        let _ = writeln!(s, "\nFirma {}{field} ({sf}): {}", sig.index, sig.verdict.label().to_uppercase());
        if let Some(c) = &sig.signer {
            let cf = c.codice_fiscale.as_deref().map(|x| format!(" — CF {x}")).unwrap_or_default();
            let org = c.organization.as_deref().map(|x| format!(" — {x}")).unwrap_or_default();
            let _ = writeln!(s, "  Firmatario: {}{cf}{org}", c.display_name());
            let _ = writeln!(s, "  Emesso da: {}", c.issuer_common_name.as_deref().unwrap_or(&c.issuer));
            if let Some(p) = &sig.provider {
                let q = if sig.qualified == Some(true) { "sì" } else { "no" };
                let _ = writeln!(s, "  Prestatore (elenco di fiducia): {p} — certificato qualificato: {q}");
            }
            let _ = writeln!(
                s,
                "  Validità del certificato: dal {} al {}",
                c.not_before.format("%d/%m/%Y"),
                c.not_after.format("%d/%m/%Y")
            );
        }
        if let (Some(t), Some(src)) = (&sig.signing_time, &sig.signing_time_source) {
            let local = sign::italian_time(t);
            let _ = writeln!(s, "  Ora del controllo: {} ora italiana ({src})", local.format("%d/%m/%Y %H:%M:%S"));
        }
        match (&sig.claimed_time, &sig.claimed_time_source) {
            (Some(t), Some(src)) => {
                let local = sign::italian_time(t);
                let _ = writeln!(
                    s,
                    "  Data della firma: {} ora italiana, {src} (non verificata)",
                    local.format("%d/%m/%Y %H:%M:%S")
                );
            }
            _ => {
                let _ = writeln!(s, "  Data della firma: non indicata");
            }
        }
        let _ = writeln!(s, "  Documento integro: {}", yes_no(sig.intact));
        if let Some(v) = sig.cert_valid_at_signing_time {
            let _ = writeln!(s, "  Certificato valido alla data della firma: {}", yes_no(v));
        }
        let _ = writeln!(s, "  Uso «non ripudio»: {}", yes_no(sig.non_repudiation));
        let _ = writeln!(s, "  Certificato attendibile: {}", yes_no(sig.trusted));
        if let Some(t) = &sig.trust_problem {
            let _ = writeln!(s, "  ! {t}");
        }
        let changes = match sig.changes_after_signing {
            sign::ChangesAfterSigning::None => "nessuna",
            sign::ChangesAfterSigning::SignaturesOnly => "solo altre firme",
            sign::ChangesAfterSigning::Modified => "SÌ",
        };
        let _ = writeln!(s, "  Modifiche dopo la firma: {changes}");
        for d in &sig.change_details {
            let _ = writeln!(s, "    · {d}");
        }
        for p in &sig.problems {
            let _ = writeln!(s, "  ✗ {p}");
        }
        for w in &sig.warnings {
            let _ = writeln!(s, "  ! {w}");
        }
    }
    for p in &r.problems {
        let _ = writeln!(s, "✗ {p}");
    }
    if !r.signatures.is_empty() {
        let _ = writeln!(
            s,
            "\nNota: lo stato di revoca dei certificati (CRL/OCSP) non è verificato: il controllo è offline."
        );
    }
    s
}

pub fn run_verify(a: &VerifyArgs) -> ExitCode {
    let trust = match svc::trust_store(&a.trust) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("errore: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match svc::verify_path(&a.file, a.documento.as_deref(), &trust) {
        Ok(r) => r,
        Err(e @ SignError::Io { .. }) => return fail(e),
        Err(e) => {
            eprintln!("errore: {e}");
            return ExitCode::from(1);
        }
    };
    if a.json {
        match serde_json::to_string_pretty(&report) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("errore: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", render_report(&report));
        if trust.is_empty() && !report.signatures.is_empty() {
            println!("Suggerimento: indica con --trust il certificato della CA (PEM) per verificare l'attendibilità.");
        }
    }
    ExitCode::from(svc::exit_code(report.verdict))
}

pub fn run_tokens(a: &TokensArgs) -> ExitCode {
    let modules: Vec<PathBuf> = match &a.pkcs11 {
        Some(m) => vec![m.clone()],
        None => sign::discover_pkcs11_modules().into_iter().map(|m| m.path).collect(),
    };
    if modules.is_empty() {
        eprintln!("Nessuna libreria PKCS#11 nota trovata. Indica quella del tuo dispositivo con --pkcs11, ad esempio:");
        for m in sign::KNOWN_PKCS11_MODULES.iter().take(8) {
            eprintln!("  {m}");
        }
        return ExitCode::from(2);
    }
    let mut all = Vec::new();
    let mut code = ExitCode::SUCCESS;
    for m in &modules {
        match sign::list_tokens(m) {
            Ok(slots) => all.push((m.clone(), slots)),
            Err(e) => {
                eprintln!("errore: {e}");
                code = exit_for(&e);
            }
        }
    }
    if a.json {
        let v: Vec<_> =
            all.iter().map(|(m, s)| serde_json::json!({ "module": m.display().to_string(), "slots": s })).collect();
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return code;
    }
    for (m, slots) in &all {
        println!("Libreria: {} ({})", m.display(), sign::pkcs11_vendor(m));
        if slots.is_empty() {
            println!("  nessun dispositivo inserito");
        }
        for s in slots {
            let lock = if s.pin_locked {
                " — PIN BLOCCATO"
            } else if s.pin_final_try {
                " — ultimo tentativo PIN"
            } else {
                ""
            };
            println!("  Slot {}: «{}» {} {} (n. {}){lock}", s.slot_id, s.label, s.manufacturer, s.model, s.serial);
            if s.certificates.is_empty() {
                println!("    nessun certificato");
            }
            for c in &s.certificates {
                let cf = c.certificate.codice_fiscale.as_deref().map(|x| format!(" CF {x}")).unwrap_or_default();
                let mark = if c.signing { " [firma]" } else { "" };
                println!(
                    "    id {}: {}{cf}, scade il {}{mark}",
                    c.id,
                    c.certificate.display_name(),
                    c.certificate.not_after.format("%d/%m/%Y")
                );
            }
        }
    }
    code
}
