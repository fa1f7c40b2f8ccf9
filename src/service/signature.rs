//! Use cases of the digital signature shared by the CLI and the app: verify a file into the
//! one verdict (valid / intact but untrusted / invalid) with its Italian wording, and sign a
//! file refusing empty secrets, unsuitable certificates and overwriting.

use std::path::{Path, PathBuf};

use crate::sign::{
    self, CadesAdd, CadesOptions, KeySource, LoadedKey, PadesOptions, SignError, TrustStore, Verdict, VerifyReport,
};

/// Exit code of `pianozona verify` for a verdict: 0 valid, 1 invalid, 3 intact but untrusted.
pub fn exit_code(v: Verdict) -> u8 {
    match v {
        Verdict::Valid => 0,
        Verdict::Invalid => 1,
        Verdict::IntactUntrusted => 3,
    }
}

/// Trust store from CA certificate files or folders of them (PEM/DER).
pub fn trust_store(paths: &[PathBuf]) -> Result<TrustStore, SignError> {
    let mut trust = TrustStore::new();
    for p in paths {
        if p.is_dir() {
            let (dir, _) = TrustStore::from_dir(p)?;
            for c in dir.certificates_der() {
                trust.add_bytes(&c)?;
            }
        } else {
            trust.add_file(p)?;
        }
    }
    Ok(trust)
}

/// Verifies a signed PDF, .p7m, .tsd or .m7m against the CA certificates in `trust`; a
/// detached signature (.p7s) with the document beside it (same name without ".p7s").
pub fn verify_file(path: &Path, trust: &[PathBuf]) -> Result<VerifyReport, SignError> {
    let store = trust_store(trust)?;
    verify_path(path, None, &store)
}

/// Like [`verify_file`] with a trust store already built; `document` is the signed document of
/// a detached signature (.p7s); without it the file of the same name without ".p7s" is used.
pub fn verify_path(path: &Path, document: Option<&Path>, trust: &TrustStore) -> Result<VerifyReport, SignError> {
    let data = std::fs::read(path).map_err(|e| SignError::io(path, e))?;
    let is_p7s = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("p7s"));
    let doc_path = match document {
        Some(d) => Some(d.to_path_buf()),
        None if is_p7s => Some(path.with_extension("")),
        None => None,
    };
    match doc_path {
        Some(d) => {
            let doc = std::fs::read(&d).map_err(|e| SignError::io(&d, e))?;
            sign::verify_detached(&data, &doc, trust)
        }
        None => sign::verify(&data, trust),
    }
}

/// The report as Italian lines: verdict, then one block per signature (signer, codice fiscale,
/// provider, trusted time and its source, claimed time, reasons).
pub fn report_lines(r: &VerifyReport) -> Vec<String> {
    let mut out = vec![format!("Esito: {}", r.summary)];
    for s in &r.signatures {
        let field = s.field_name.as_deref().map(|f| format!(", campo {f}")).unwrap_or_default();
        out.push(format!("Firma {}{field}: {}", s.index, s.verdict.label()));
        if let Some(c) = &s.signer {
            let cf = c.codice_fiscale.as_deref().map(|x| format!(" — codice fiscale {x}")).unwrap_or_default();
            out.push(format!("  Firmatario: {}{cf}", c.display_name()));
            out.push(format!("  Certificatore: {}", c.issuer_common_name.as_deref().unwrap_or(&c.issuer)));
        }
        if let Some(p) = &s.provider {
            let q = match s.qualified {
                Some(true) => "certificato qualificato",
                _ => "certificato NON qualificato",
            };
            out.push(format!("  Prestatore (elenco di fiducia): {p} — {q}"));
        }
        if let (Some(t), Some(src)) = (&s.signing_time, &s.signing_time_source) {
            out.push(format!(
                "  Ora usata per il controllo: {} ({src})",
                sign::italian_time(t).format("%d/%m/%Y %H:%M:%S")
            ));
        }
        if let (Some(t), Some(src)) = (&s.claimed_time, &s.claimed_time_source) {
            out.push(format!("  Ora {src}: {} (non verificata)", sign::italian_time(t).format("%d/%m/%Y %H:%M:%S")));
        }
        for p in &s.problems {
            out.push(format!("  ✗ {p}"));
        }
        if let Some(t) = &s.trust_problem {
            out.push(format!("  ✗ {t}"));
        }
        for w in &s.warnings {
            out.push(format!("  ! {w}"));
        }
    }
    for p in &r.problems {
        out.push(format!("✗ {p}"));
    }
    out
}

/// The smart-card / token libraries (PKCS#11) of the known Italian middlewares installed on
/// this machine, for the app's device choice.
pub fn pkcs11_modules() -> Vec<sign::Pkcs11Module> {
    sign::discover_pkcs11_modules()
}

/// The smart cards / tokens present now, found by themselves: every known middleware installed
/// is asked for its devices (no PIN). A library that cannot be read gives its Italian reason.
pub fn discover_tokens() -> Vec<(sign::Pkcs11Module, std::result::Result<Vec<sign::TokenSlot>, String>)> {
    pkcs11_modules()
        .into_iter()
        .map(|m| {
            let found = sign::list_tokens(&m.path).map_err(|e| e.to_string());
            (m, found)
        })
        .collect()
}

/// The time-stamping authority typed by the user ("" = none): an http(s) address.
pub fn timestamp_authority(url: &str) -> std::result::Result<Option<sign::TimestampAuthority>, String> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(None);
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!(
            "indirizzo del servizio di marca temporale non valido: «{url}» (deve iniziare con http:// o https://)"
        ));
    }
    Ok(Some(sign::TimestampAuthority::new(url)))
}

/// The library to use when the user named none: the only one installed, else an Italian
/// message listing what was found (or saying that nothing was).
pub fn default_pkcs11_module() -> Result<PathBuf, String> {
    let found = pkcs11_modules();
    match found.as_slice() {
        [one] => Ok(one.path.clone()),
        [] => Err("nessuna libreria di smart card o token (PKCS#11) trovata su questo computer: installa il software del dispositivo, oppure indica la libreria o un file .p12".into()),
        many => Err(format!(
            "sono installate più librerie di smart card o token (PKCS#11): indica quale usare tra {}",
            many.iter().map(|m| format!("{} — {}", m.path.display(), m.vendor)).collect::<Vec<_>>().join("; ")
        )),
    }
}

/// Format of a new signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignFormat {
    Pades,
    Cades,
}

/// Result of [`sign_file`].
#[derive(Clone, Debug)]
pub struct Signed {
    pub output: PathBuf,
    pub signer: String,
    pub codice_fiscale: Option<String>,
    /// What was made, in Italian: "PAdES", "CAdES-T (.p7m, con marca temporale)"…
    pub kind: &'static str,
    /// Italian warnings (e.g. authentication-only certificate).
    pub warnings: Vec<String>,
}

/// Opens a key, refusing an empty password or PIN.
pub fn open_key(source: &KeySource) -> Result<LoadedKey, SignError> {
    match source {
        KeySource::Pkcs12 { password, .. } if password.is_empty() => {
            return Err(SignError::MissingSecret("la password del certificato"))
        }
        KeySource::Pkcs11 { pin, .. } if pin.is_empty() => return Err(SignError::MissingSecret("il PIN")),
        _ => {}
    }
    sign::load_key(source)
}

/// Signs `input` into `output` (never overwriting an existing file); with `pades.timestamp`
/// the signature gets an RFC 3161 timestamp (PAdES B-T, CAdES-T).
pub fn sign_file(
    input: &Path,
    output: &Path,
    key: &LoadedKey,
    format: SignFormat,
    pades: &PadesOptions,
) -> Result<Signed, SignError> {
    sign_file_adding(input, output, key, format, pades, None)
}

/// Like [`sign_file`]; with CAdES and `cades_add`, `input` is a .p7m that gets a second signer
/// or a countersignature instead of a new envelope.
pub fn sign_file_adding(
    input: &Path,
    output: &Path,
    key: &LoadedKey,
    format: SignFormat,
    pades: &PadesOptions,
    cades_add: Option<CadesAdd>,
) -> Result<Signed, SignError> {
    if output.exists() {
        return Err(SignError::io(
            output,
            std::io::Error::new(std::io::ErrorKind::AlreadyExists, "il file esiste già: scegli un altro nome"),
        ));
    }
    let data = std::fs::read(input).map_err(|e| SignError::io(input, e))?;
    let signed = match format {
        // The TSA of `pades` serves CAdES-T too.
        SignFormat::Cades => sign::sign_cades_with(
            &data,
            key,
            &CadesOptions { timestamp: pades.timestamp.clone(), add_to_existing: cades_add, ..Default::default() },
        )?,
        SignFormat::Pades => sign::sign_pdf_with(&data, key, pades)?,
    };
    crate::durable::write_file(output, &signed).map_err(|e| SignError::Internal(e.to_string()))?;
    let who = key.certificate();
    let kind = match (format, pades.timestamp.is_some()) {
        (SignFormat::Cades, false) => "CAdES (.p7m)",
        (SignFormat::Cades, true) => "CAdES-T (.p7m, con marca temporale)",
        (SignFormat::Pades, false) => "PAdES",
        (SignFormat::Pades, true) => "PAdES B-T (con marca temporale)",
    };
    Ok(Signed {
        output: output.to_path_buf(),
        signer: who.display_name(),
        codice_fiscale: who.codice_fiscale.clone(),
        kind,
        warnings: key.key_usage_warning().into_iter().collect(),
    })
}

/// A certificate id (CKA_ID) typed or chosen as hex ("0A1b"); None when it is not hex.
pub fn cert_id_from_hex(h: &str) -> Option<Vec<u8>> {
    hex::decode(h.trim()).ok()
}

/// Where the app writes a signature of `input` when the user does not choose: PAdES beside it as
/// "<nome>-firmato.pdf", CAdES as "<nome>.pdf.p7m"; with " (2)", " (3)"… when that file exists,
/// since `sign_file` never overwrites.
pub fn default_signed_path(input: &Path, format: SignFormat) -> PathBuf {
    let name = |n: u32| {
        let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
        match format {
            SignFormat::Pades => {
                let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                input.with_file_name(format!("{stem}-firmato{suffix}.pdf"))
            }
            SignFormat::Cades => {
                let file = input.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                input.with_file_name(format!("{file}{suffix}.p7m"))
            }
        }
    };
    (1..1000).map(&name).find(|p| !p.exists()).unwrap_or_else(|| name(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cert_ids_are_hex() {
        assert_eq!(cert_id_from_hex("0A1b"), Some(vec![0x0a, 0x1b]));
        assert_eq!(cert_id_from_hex("0A1"), None);
        assert_eq!(cert_id_from_hex("zz"), None);
        assert_eq!(cert_id_from_hex("éé"), None);
    }

    #[test]
    fn signed_names_never_overwrite() {
        let d = tempfile::tempdir().unwrap();
        let pdf = d.path().join("piano.pdf");
        assert_eq!(default_signed_path(&pdf, SignFormat::Pades), d.path().join("piano-firmato.pdf"));
        assert_eq!(default_signed_path(&pdf, SignFormat::Cades), d.path().join("piano.pdf.p7m"));
        std::fs::write(d.path().join("piano-firmato.pdf"), b"x").unwrap();
        assert_eq!(default_signed_path(&pdf, SignFormat::Pades), d.path().join("piano-firmato (2).pdf"));
    }
}
