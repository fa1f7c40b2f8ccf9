//! Signature commands over `pianozona::service::signature` (the CLI's `sign`/`verify` use the
//! same functions): PKCS#12 file or smart card (PKCS#11), PAdES or CAdES, and the one verdict.
//! PINs and passwords are only handed to the core (zeroized there), never stored or logged.

use crate::commands::user_path;
use crate::dto::{CardFound, SignOutcome, TokenCertificate, TokenSlot, VerifyOutcome};
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use pianozona::service::signature::{self as svc, SignFormat};
use pianozona::sign::{self, KeySource, PadesOptions, Verdict};
use std::path::Path;

fn format_of(name: &str) -> SignFormat {
    if name == "cades" {
        SignFormat::Cades
    } else {
        SignFormat::Pades
    }
}

/// Signs `pdf` with `key` beside it (`default_signed_path`); `tsa`: address of a time-stamping
/// authority for a signature timestamp (PAdES B-T / CAdES-T), as the CLI's `--tsa`.
pub fn sign_with(pdf: &Path, key: &KeySource, format: SignFormat, tsa: Option<&str>) -> IpcResult<SignOutcome> {
    let timestamp = svc::timestamp_authority(tsa.unwrap_or("")).map_err(|m| IpcError::new("firma", capital(&m)))?;
    let loaded = svc::open_key(key)?;
    let out = svc::default_signed_path(pdf, format);
    let opts = PadesOptions { timestamp, ..Default::default() };
    let s = svc::sign_file(pdf, &out, &loaded, format, &opts)?;
    log::info!("document signed ({format:?})");
    Ok(SignOutcome { percorso: s.output.display().to_string(), firmatario: s.signer, avvisi: s.warnings })
}

fn capital(m: &str) -> String {
    let mut c = m.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str() + ".").unwrap_or_default()
}

/// Verifies a signed PDF or .p7m (no extra trusted CAs): the verdict and the lines of the CLI.
pub fn verify(path: &Path) -> IpcResult<VerifyOutcome> {
    let r = svc::verify_file(path, &[])?;
    let mut lines = svc::report_lines(&r);
    let mut seen = std::collections::HashSet::new();
    lines.retain(|d| seen.insert(d.clone()));
    Ok(VerifyOutcome {
        valida: r.verdict == Verdict::Valid,
        integra: r.verdict == Verdict::IntactUntrusted,
        codice_uscita: svc::exit_code(r.verdict),
        dettagli: lines,
    })
}

/// Slots and certificates of a PKCS#11 module (no PIN needed).
pub fn token_slots(module: &Path) -> IpcResult<Vec<TokenSlot>> {
    Ok(slots_view(sign::list_tokens(module)?))
}

fn slots_view(slots: Vec<sign::TokenSlot>) -> Vec<TokenSlot> {
    slots
        .into_iter()
        .map(|s| TokenSlot {
            slot: s.slot_id,
            etichetta: s.label,
            produttore: s.manufacturer,
            modello: s.model,
            pin_bloccato: s.pin_locked,
            ultimo_tentativo: s.pin_final_try,
            pin_pad: s.pin_pad,
            certificati: s
                .certificates
                .into_iter()
                .map(|c| TokenCertificate {
                    id: c.id,
                    etichetta: c.label,
                    di_firma: c.signing,
                    titolare: c.certificate.display_name(),
                    emittente: c.certificate.issuer_common_name.clone().unwrap_or(c.certificate.issuer.clone()),
                })
                .collect(),
        })
        .collect()
}

/// Paths of the signing commands: the PDF and the certificate file are read only when the user
/// picked (or saved) them, a PKCS#11 library is loaded only from the known list or when picked
/// (`service::grants`); the signed file is written beside the PDF under the name the core gives it
/// (never a path from the web view) and may then be verified and opened.
impl AppState {
    pub fn sign_p12(
        &self,
        pdf: &Path,
        certificate: &Path,
        pin: &str,
        format: SignFormat,
        tsa: Option<&str>,
    ) -> IpcResult<SignOutcome> {
        self.grants.check_read(pdf)?;
        self.grants.check_read(certificate)?;
        let key = KeySource::pkcs12_file(certificate, pin)?;
        self.signed(sign_with(pdf, &key, format, tsa)?)
    }

    pub fn sign_token(
        &self,
        pdf: &Path,
        module: &Path,
        key: &KeySource,
        format: SignFormat,
        tsa: Option<&str>,
    ) -> IpcResult<SignOutcome> {
        self.grants.check_read(pdf)?;
        self.grants.check_module(module)?;
        self.signed(sign_with(pdf, key, format, tsa)?)
    }

    pub fn read_token(&self, module: &Path) -> IpcResult<Vec<TokenSlot>> {
        self.grants.check_module(module)?;
        token_slots(module)
    }

    pub fn verify_signature(&self, path: &Path) -> IpcResult<VerifyOutcome> {
        self.grants.check_read(path)?;
        verify(path)
    }

    fn signed(&self, out: SignOutcome) -> IpcResult<SignOutcome> {
        self.grants.allow_read(Path::new(&out.percorso));
        Ok(out)
    }
}

/// Signs with a PKCS#12 certificate file: PAdES → "<nome>-firmato.pdf", CAdES → "<nome>.pdf.p7m".
#[tauri::command(async)]
pub fn sign_pdf(
    state: tauri::State<'_, AppState>,
    pdf: String,
    certificate: String,
    pin: String,
    format: String,
    tsa: Option<String>,
) -> IpcResult<SignOutcome> {
    state.sign_p12(&user_path(&pdf)?, &user_path(&certificate)?, &pin, format_of(&format), tsa.as_deref())
}

/// PKCS#11 libraries of smart cards / tokens found on this machine.
#[tauri::command]
pub fn pkcs11_modules() -> Vec<String> {
    sign::installed_pkcs11_modules().iter().map(|p| p.display().to_string()).collect()
}

/// Slots and certificates of a smart card / token (no PIN).
#[tauri::command(async)]
pub fn read_token(state: tauri::State<'_, AppState>, module: String) -> IpcResult<Vec<TokenSlot>> {
    state.read_token(&user_path(&module)?)
}

/// Signs with a smart card / token; `certificate` is the CKA_ID (hex) chosen in the UI, None lets
/// the core pick the signing certificate.
// An IPC command: each argument is a named field of the UI's call (api.ts), not a Rust signature to shrink.
#[allow(clippy::too_many_arguments)]
#[tauri::command(async)]
pub fn sign_pdf_token(
    state: tauri::State<'_, AppState>,
    pdf: String,
    module: String,
    slot: Option<u64>,
    certificate: Option<String>,
    pin: String,
    format: String,
    tsa: Option<String>,
) -> IpcResult<SignOutcome> {
    // Never an empty login: a card asks for its PIN.
    if pin.is_empty() {
        return Err(IpcError::new("firma", "Inserite il PIN della smart card o del token."));
    }
    let cert_id = match certificate.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        None => None,
        Some(h) => {
            Some(svc::cert_id_from_hex(h).ok_or_else(|| IpcError::new("firma", "Certificato scelto non valido."))?)
        }
    };
    let module = user_path(&module)?;
    let mut key = KeySource::pkcs11(&module, slot, &pin);
    if let KeySource::Pkcs11 { cert_id: chosen, .. } = &mut key {
        *chosen = cert_id;
    }
    state.sign_token(&user_path(&pdf)?, &module, &key, format_of(&format), tsa.as_deref())
}

/// The smart cards / tokens present now, from every known middleware installed (no PIN).
#[tauri::command(async)]
pub fn find_cards() -> Vec<CardFound> {
    svc::discover_tokens()
        .into_iter()
        .map(|(m, found)| {
            let (dispositivi, errore) = match found {
                Ok(slots) => (slots_view(slots), None),
                Err(e) => (Vec::new(), Some(capital(&e))),
            };
            CardFound { modulo: m.path.display().to_string(), fornitore: m.vendor, dispositivi, errore }
        })
        .collect()
}

#[tauri::command(async)]
pub fn verify_signature(state: tauri::State<'_, AppState>, path: String) -> IpcResult<VerifyOutcome> {
    state.verify_signature(&user_path(&path)?)
}
