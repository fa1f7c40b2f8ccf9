//! Adapter to the core's digital signatures (`pianozona::sign`).

use crate::dto::{CertificatoToken, DispositivoFirma, EsitoFirma, EsitoVerificaFirma};
use crate::error::{ErroreIpc, Esito};
use pianozona::sign::{self, CadesOptions, KeySource, PadesOptions};
use std::path::{Path, PathBuf};

fn leggi(p: &Path) -> Esito<Vec<u8>> {
    std::fs::read(p).map_err(|e| ErroreIpc::new("file", format!("Impossibile leggere «{}»: {e}", p.display())))
}
fn errore(e: sign::SignError) -> ErroreIpc {
    ErroreIpc::new("firma", e.to_string())
}

/// Signs `pdf` with the PKCS#12 certificate: PAdES → "<nome>-firmato.pdf", CAdES → "<nome>.pdf.p7m".
pub fn firma(pdf: &Path, cert: &Path, pin: &str, formato: &str) -> Esito<EsitoFirma> {
    let chiave = KeySource::pkcs12_file(cert, pin).map_err(errore)?;
    firma_con(pdf, &chiave, formato)
}

/// Signs `pdf` with a smart card / token through its PKCS#11 module. `certificato` is the CKA_ID
/// (hex) chosen in the UI; `None` lets the core pick the signing certificate. The PIN is only
/// handed to the core (zeroized there), never stored or logged.
pub fn firma_token(
    pdf: &Path,
    modulo: &Path,
    slot: Option<u64>,
    certificato: Option<&str>,
    pin: &str,
    formato: &str,
) -> Esito<EsitoFirma> {
    let mut chiave = KeySource::pkcs11(modulo, slot, pin);
    if let (KeySource::Pkcs11 { cert_id, .. }, Some(hex)) = (&mut chiave, certificato.filter(|h| !h.is_empty())) {
        *cert_id = Some(da_esadecimale(hex).ok_or_else(|| ErroreIpc::new("firma", "Certificato scelto non valido."))?);
    }
    firma_con(pdf, &chiave, formato)
}

fn da_esadecimale(h: &str) -> Option<Vec<u8>> {
    let h = h.trim();
    if !h.len().is_multiple_of(2) {
        return None;
    }
    (0..h.len()).step_by(2).map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok()).collect()
}

/// PKCS#11 libraries found on this machine (to prefill the module path).
pub fn moduli() -> Vec<String> {
    sign::installed_pkcs11_modules().iter().map(|p| p.display().to_string()).collect()
}

/// Slots and certificates of a PKCS#11 module (no PIN needed).
pub fn dispositivi(modulo: &Path) -> Esito<Vec<DispositivoFirma>> {
    let slots = sign::list_tokens(modulo).map_err(errore)?;
    Ok(slots
        .into_iter()
        .map(|s| DispositivoFirma {
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
                .map(|c| CertificatoToken {
                    id: c.id,
                    etichetta: c.label,
                    di_firma: c.signing,
                    titolare: c.certificate.display_name(),
                    emittente: c.certificate.issuer_common_name.clone().unwrap_or(c.certificate.issuer.clone()),
                })
                .collect(),
        })
        .collect())
}

fn firma_con(pdf: &Path, chiave: &KeySource, formato: &str) -> Esito<EsitoFirma> {
    let dati = leggi(pdf)?;
    let caricata = pianozona::service::signature::open_key(chiave).map_err(errore)?;
    let firmatario = Some(caricata.certificate().display_name());
    let (firmato, uscita): (Vec<u8>, PathBuf) = if formato == "cades" {
        let mut nome = pdf.as_os_str().to_owned();
        nome.push(".p7m");
        (sign::sign_cades_with(&dati, &caricata, &CadesOptions::default()).map_err(errore)?, PathBuf::from(nome))
    } else {
        sign::check_signable_pdf(&dati).map_err(errore)?;
        let stem = pdf.file_stem().and_then(|s| s.to_str()).unwrap_or("documento");
        (
            sign::sign_pdf_with(&dati, &caricata, &PadesOptions::default()).map_err(errore)?,
            pdf.with_file_name(format!("{stem}-firmato.pdf")),
        )
    };
    pianozona::durable::write_file(&uscita, &firmato).map_err(|e| ErroreIpc::new("file", e.to_string()))?;
    Ok(EsitoFirma { percorso: uscita.display().to_string(), firmatario })
}

/// Verifies a signed PDF or .p7m through the core service: the same verdict and wording as
/// the CLI; only "firma valida" counts as valid.
pub fn verifica(p: &Path) -> Esito<EsitoVerificaFirma> {
    let r = pianozona::service::signature::verify_file(p, &[]).map_err(errore)?;
    let mut dettagli = pianozona::service::signature::report_lines(&r);
    let mut visti = std::collections::HashSet::new();
    dettagli.retain(|d| visti.insert(d.clone()));
    Ok(EsitoVerificaFirma {
        valida: r.verdict == sign::Verdict::Valid,
        integra: r.verdict == sign::Verdict::IntactUntrusted,
        dettagli,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn cert_ids_are_hex() {
        assert_eq!(super::da_esadecimale("0A1b"), Some(vec![0x0a, 0x1b]));
        assert_eq!(super::da_esadecimale("0A1"), None);
        assert_eq!(super::da_esadecimale("zz"), None);
    }
}
