//! Firma digitale: PAdES B-B (signature inside the PDF, incremental update, PDF/A kept) and
//! CAdES-BES (`.pdf.p7m`, document enveloped), with keys from PKCS#12 files or PKCS#11 tokens;
//! verification of signed PDFs and .p7m files made by us or by other tools.
//!
//! Typical use from the app:
//! ```no_run
//! use pianozona::sign::{self, KeySource, PadesOptions, TrustStore};
//! # fn demo(pdf: &[u8]) -> Result<(), sign::SignError> {
//! let key = KeySource::pkcs12_file("firma.p12".as_ref(), "password")?;
//! let loaded = sign::load_key(&key)?;              // asks nothing, errors in Italian
//! println!("Firmatario: {}", loaded.certificate().display_name());
//! let signed = sign::sign_pdf_with(pdf, &loaded, &PadesOptions::default())?;
//! let mut trust = TrustStore::new();
//! trust.add_file("ca.pem".as_ref())?;
//! let report = sign::verify(&signed, &trust)?;
//! assert!(report.valid);
//! # Ok(()) }
//! ```

mod appearance;
mod asn1;
mod certs;
mod changes;
mod cmsx;
mod error;
mod keys;
mod pdf;
mod tl;
mod tsa;
mod verify;

use chrono::{DateTime, Utc};

pub use appearance::{italian_time, VisibleSignature};
pub use certs::{AnchorInfo, CertSummary, TrustStore, TrustedListImport};
pub use cmsx::CadesAdd;
pub use error::SignError;
pub use keys::{
    discover_pkcs11_modules, installed_pkcs11_modules, list_tokens, load_key, pkcs11_vendor, KeySource, LoadedKey,
    Pkcs11Module, TokenCertificate, TokenSlot, KNOWN_PKCS11_MODULES,
};
pub use pdf::PadesOptions;
pub use tsa::TimestampAuthority;
pub use verify::{
    extract_p7m_content, verify, verify_at, verify_detached, verify_p7m, verify_pdf, ChangesAfterSigning,
    SignatureReport, SignedFileKind, Verdict, VerifyReport,
};

/// Options of a CAdES-BES (.p7m) signature.
#[derive(Clone, Debug, Default)]
pub struct CadesOptions {
    /// Value of the signing-time attribute; default now.
    pub time: Option<DateTime<Utc>>,
    /// Time-stamping authority for a signature timestamp (CAdES-T); `None` = CAdES-BES.
    pub timestamp: Option<TimestampAuthority>,
    /// The input is a .p7m to which a signature is added (parallel or countersignature)
    /// instead of being enveloped again (.p7m.p7m).
    pub add_to_existing: Option<CadesAdd>,
}

/// Signs a PDF as PAdES B-B (ETSI.CAdES.detached, SHA-256, signing-certificate-v2) with an
/// incremental update: the input bytes are the unchanged prefix of the output.
pub fn sign_pdf(input: &[u8], key: &KeySource, opts: &PadesOptions) -> Result<Vec<u8>, SignError> {
    let loaded = load_key(key)?;
    sign_pdf_with(input, &loaded, opts)
}

/// Same as [`sign_pdf`] with a key already opened by [`load_key`] (e.g. after showing the
/// certificate to the user).
pub fn sign_pdf_with(input: &[u8], key: &LoadedKey, opts: &PadesOptions) -> Result<Vec<u8>, SignError> {
    key.check_validity(&opts.time.unwrap_or_else(Utc::now))?;
    pdf::sign(input, key, opts)
}

/// Signs any document as CAdES-BES enveloping (`.p7m`, DER): contentType, signingTime,
/// messageDigest and signing-certificate-v2 as signed attributes.
pub fn sign_cades(input: &[u8], key: &KeySource, opts: &CadesOptions) -> Result<Vec<u8>, SignError> {
    let loaded = load_key(key)?;
    sign_cades_with(input, &loaded, opts)
}

/// Same as [`sign_cades`] with a key already opened.
pub fn sign_cades_with(input: &[u8], key: &LoadedKey, opts: &CadesOptions) -> Result<Vec<u8>, SignError> {
    let time = opts.time.unwrap_or_else(Utc::now);
    key.check_validity(&time)?;
    if let Some(how) = opts.add_to_existing {
        return cmsx::add_signer(input, key, how, time, opts.timestamp.as_ref());
    }
    let digest = certs::DigestAlg::Sha256.digest_parts(&[input]);
    let mut md = [0u8; 32];
    md.copy_from_slice(&digest);
    let req = cmsx::CmsRequest {
        message_digest: md,
        econtent: Some(input),
        signing_time: Some(time),
        timestamp: opts.timestamp.as_ref(),
    };
    cmsx::build(key, &req, false)
}

/// Checks that `input` can be signed (readable PDF with pages, not encrypted, not certified
/// with P=1, cross-reference table intact).
/// Lets the app warn before asking for a PIN.
pub fn check_signable_pdf(input: &[u8]) -> Result<(), SignError> {
    let doc = pdf::load(input)?;
    pdf::check_signable(&doc)
}
