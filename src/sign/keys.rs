//! Key sources: a PKCS#12 file, or a PKCS#11 module (smart card, USB token, SoftHSM2 in tests).
//! Both end up as a [`LoadedKey`] that signs a SHA-256 digest and carries the certificate chain.
//! Passwords and PINs are only held in `Zeroizing` buffers for the duration of the call.

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use der::{Decode, Encode};
use serde::Serialize;
use std::path::{Path, PathBuf};
use x509_cert::Certificate;
use zeroize::Zeroizing;

use super::certs::{self, CertSummary};
use super::error::SignError;

/// DER prefix of a SHA-256 DigestInfo (PKCS#1 v1.5), for tokens that only offer CKM_RSA_PKCS.
const SHA256_DIGESTINFO_PREFIX: [u8; 19] =
    [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

/// Where the signing key comes from. Secrets are wiped from memory when this is dropped.
pub enum KeySource {
    /// A PKCS#12 (.p12 / .pfx) file already read into memory.
    Pkcs12 {
        data: Vec<u8>,
        password: Zeroizing<String>,
        /// Shown in messages (usually the file name).
        name: String,
    },
    /// A PKCS#11 module (vendor library of the smart card / token).
    Pkcs11 {
        module: PathBuf,
        /// Slot id; `None` = the first slot holding a signing certificate (Italian cards often
        /// keep the signing certificate in a slot of its own).
        slot: Option<u64>,
        pin: Zeroizing<String>,
        /// CKA_ID of the certificate to use (hex in the UI); `None` = the signing certificate.
        cert_id: Option<Vec<u8>>,
    },
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Pkcs12 { name, .. } => write!(f, "KeySource::Pkcs12({name}, password: ***)"),
            KeySource::Pkcs11 { module, slot, .. } => {
                write!(f, "KeySource::Pkcs11({}, slot {:?}, pin: ***)", module.display(), slot)
            }
        }
    }
}

impl KeySource {
    /// Reads a PKCS#12 file; the password is checked when the key is used.
    pub fn pkcs12_file(path: &Path, password: &str) -> Result<KeySource, SignError> {
        let data = std::fs::read(path).map_err(|e| SignError::io(path, e))?;
        Ok(KeySource::Pkcs12 {
            data,
            password: Zeroizing::new(password.to_string()),
            name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        })
    }

    pub fn pkcs11(module: &Path, slot: Option<u64>, pin: &str) -> KeySource {
        KeySource::Pkcs11 { module: module.to_path_buf(), slot, pin: Zeroizing::new(pin.to_string()), cert_id: None }
    }
}

/// Kind of private key; decides the signature algorithm written in the CMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa { bytes: usize },
    P256,
    P384,
}

impl KeyKind {
    /// Upper bound of the encoded signature length.
    pub(crate) fn max_sig_len(self) -> usize {
        match self {
            KeyKind::Rsa { bytes } => bytes,
            KeyKind::P256 => 72,
            KeyKind::P384 => 104,
        }
    }
}

enum Backend {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Token { session: Session, key: ObjectHandle },
}

/// A usable signing key with its certificate and the rest of the chain it came with.
pub struct LoadedKey {
    pub(crate) cert: Certificate,
    pub(crate) cert_der: Vec<u8>,
    pub(crate) chain: Vec<Certificate>,
    pub(crate) kind: KeyKind,
    backend: Backend,
}

impl LoadedKey {
    /// The signer certificate in plain data (name, codice fiscale, validity …).
    pub fn certificate(&self) -> CertSummary {
        CertSummary::of(&self.cert)
    }

    /// Signs a SHA-256 digest; returns the signature as CMS wants it (RSA raw, ECDSA DER).
    pub(crate) fn sign_sha256(&self, digest: &[u8]) -> Result<Vec<u8>, SignError> {
        use signature::hazmat::PrehashSigner;
        match &self.backend {
            Backend::Rsa(k) => {
                let mut rng = rsa::rand_core::OsRng;
                k.sign_with_rng(&mut rng, rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), digest)
                    .map_err(|e| SignError::Internal(e.to_string()))
            }
            Backend::P256(k) => {
                let s: p256::ecdsa::Signature =
                    k.sign_prehash(digest).map_err(|e| SignError::Internal(e.to_string()))?;
                Ok(s.to_der().as_bytes().to_vec())
            }
            Backend::P384(k) => {
                let s: p384::ecdsa::Signature =
                    k.sign_prehash(digest).map_err(|e| SignError::Internal(e.to_string()))?;
                Ok(s.to_der().as_bytes().to_vec())
            }
            Backend::Token { session, key } => match self.kind {
                KeyKind::Rsa { .. } => {
                    let mut di = SHA256_DIGESTINFO_PREFIX.to_vec();
                    di.extend_from_slice(digest);
                    session.sign(&Mechanism::RsaPkcs, *key, &di).map_err(token_err)
                }
                KeyKind::P256 => {
                    let rs = session.sign(&Mechanism::Ecdsa, *key, digest).map_err(token_err)?;
                    let s = p256::ecdsa::Signature::from_slice(&rs)
                        .map_err(|e| SignError::Token(format!("firma ECDSA non valida dal dispositivo: {e}")))?;
                    Ok(s.to_der().as_bytes().to_vec())
                }
                KeyKind::P384 => {
                    let rs = session.sign(&Mechanism::Ecdsa, *key, digest).map_err(token_err)?;
                    let s = p384::ecdsa::Signature::from_slice(&rs)
                        .map_err(|e| SignError::Token(format!("firma ECDSA non valida dal dispositivo: {e}")))?;
                    Ok(s.to_der().as_bytes().to_vec())
                }
            },
        }
    }

    /// Refuses certificates that are expired or not yet valid at `now`.
    pub(crate) fn check_validity(&self, now: &chrono::DateTime<chrono::Utc>) -> Result<(), SignError> {
        let s = self.certificate();
        if *now > s.not_after {
            return Err(SignError::CertificateExpired(certs::it_date(&s.not_after)));
        }
        if *now < s.not_before {
            return Err(SignError::CertificateNotYetValid(certs::it_date(&s.not_before)));
        }
        if s.has_key_usage && !s.non_repudiation && !s.digital_signature {
            return Err(SignError::NotForSigning);
        }
        Ok(())
    }

    /// Italian warning for a certificate that can sign but is not a firma digitale certificate
    /// (no nonRepudiation: e.g. the authentication certificate of a CNS/CRS).
    pub fn key_usage_warning(&self) -> Option<String> {
        let s = self.certificate();
        if s.non_repudiation {
            return None;
        }
        Some(
            "Attenzione: il certificato scelto è di autenticazione (CNS/CRS), non di firma digitale qualificata (manca l'uso «non ripudio»): la firma non ha il valore legale di una firma digitale."
                .into(),
        )
    }
}

/// Opens the key source: decrypts the PKCS#12 file or logs into the token.
pub fn load_key(source: &KeySource) -> Result<LoadedKey, SignError> {
    match source {
        KeySource::Pkcs12 { data, password, name } => load_p12(data, password, name),
        KeySource::Pkcs11 { module, slot, pin, cert_id } => load_pkcs11(module, *slot, pin, cert_id.as_deref()),
    }
}

// ---------------------------------------------------------------- PKCS#12

fn kind_and_backend_from_pkcs8(der_key: &[u8]) -> Result<(KeyKind, Backend, Vec<u8>), SignError> {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::traits::PublicKeyParts;
    let info = rsa::pkcs8::PrivateKeyInfo::from_der(der_key)
        .map_err(|e| SignError::InvalidP12(String::new(), format!("chiave privata illeggibile: {e}")))?;
    let oid = info.algorithm.oid;
    if oid == certs::OID_RSA {
        let k = rsa::RsaPrivateKey::from_pkcs8_der(der_key)
            .map_err(|e| SignError::InvalidP12(String::new(), format!("chiave RSA illeggibile: {e}")))?;
        let public_bits = {
            use rsa::pkcs1::EncodeRsaPublicKey;
            k.to_public_key().to_pkcs1_der().map(|d| d.as_bytes().to_vec()).unwrap_or_default()
        };
        let bytes = k.size();
        return Ok((KeyKind::Rsa { bytes }, Backend::Rsa(Box::new(k)), public_bits));
    }
    if oid == certs::OID_EC_PUBLIC_KEY {
        let curve = info.algorithm.parameters_oid().ok();
        return match curve {
            Some(c) if c == certs::OID_P256 => {
                let k = p256::ecdsa::SigningKey::from_pkcs8_der(der_key)
                    .map_err(|e| SignError::InvalidP12(String::new(), e.to_string()))?;
                let pt = k.verifying_key().to_encoded_point(false).as_bytes().to_vec();
                Ok((KeyKind::P256, Backend::P256(k), pt))
            }
            Some(c) if c == certs::OID_P384 => {
                let k = p384::ecdsa::SigningKey::from_pkcs8_der(der_key)
                    .map_err(|e| SignError::InvalidP12(String::new(), e.to_string()))?;
                let pt = k.verifying_key().to_encoded_point(false).as_bytes().to_vec();
                Ok((KeyKind::P384, Backend::P384(k), pt))
            }
            other => Err(SignError::UnsupportedKey(format!(
                "ECDSA su curva {}",
                other.map(|o| o.to_string()).unwrap_or_else(|| "sconosciuta".into())
            ))),
        };
    }
    Err(SignError::UnsupportedKey(match oid.to_string().as_str() {
        "1.3.101.112" => "Ed25519".to_string(),
        "1.3.101.113" => "Ed448".to_string(),
        "1.2.840.10040.4.1" => "DSA".to_string(),
        other => format!("algoritmo {other}"),
    }))
}

/// Public key bits of a certificate as comparable bytes (RSA: PKCS#1 DER; EC: uncompressed point).
fn cert_public_bits(cert: &Certificate) -> Vec<u8> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let raw = spki.subject_public_key.raw_bytes().to_vec();
    if spki.algorithm.oid == certs::OID_EC_PUBLIC_KEY && raw.first() != Some(&0x04) {
        // compressed point: decompress through the curve type
        if let Ok(pk) = p256::PublicKey::from_sec1_bytes(&raw) {
            return p256::EncodedPoint::from(pk).to_bytes().to_vec();
        }
        if let Ok(pk) = p384::PublicKey::from_sec1_bytes(&raw) {
            return p384::EncodedPoint::from(pk).to_bytes().to_vec();
        }
    }
    raw
}

fn load_p12(data: &[u8], password: &str, name: &str) -> Result<LoadedKey, SignError> {
    use p12_keystore::error::Error as PE;
    let archive = p12_keystore::Pkcs12Archive::from_pkcs12(data, password).map_err(|e| match e {
        PE::MacError(_) | PE::UnpadError | PE::Pkcs5Error(_) => SignError::WrongPassword,
        other => SignError::InvalidP12(name.to_string(), other.to_string()),
    })?;
    let mut all_certs: Vec<Certificate> = Vec::new();
    for bag in &archive.certs {
        if let Ok(c) = Certificate::from_der(bag.cert.as_der()) {
            all_certs.push(c);
        }
    }
    if archive.keys.is_empty() {
        return Err(SignError::NoPrivateKey(
            all_certs.first().map(|c| CertSummary::of(c).display_name()).unwrap_or_else(|| name.to_string()),
        ));
    }
    // Pair each key with its certificate by public key; prefer non-repudiation certificates.
    let mut best: Option<(LoadedKey, bool)> = None;
    let mut last_err = None;
    for kb in &archive.keys {
        let (kind, backend, public_bits) = match kind_and_backend_from_pkcs8(kb.key.as_der()) {
            Ok(v) => v,
            Err(e) => {
                last_err = Some(e);
                continue;
            }
        };
        let Some(cert) = all_certs.iter().find(|c| cert_public_bits(c) == public_bits).cloned() else {
            last_err = Some(SignError::NoCertificate(format!("per la chiave privata contenuta in «{name}»")));
            continue;
        };
        let nr = CertSummary::of(&cert).non_repudiation;
        let cert_der = cert.to_der()?;
        let chain = order_chain(&cert, &all_certs);
        let lk = LoadedKey { cert, cert_der, chain, kind, backend };
        if best.as_ref().is_none_or(|(_, bnr)| nr && !*bnr) {
            best = Some((lk, nr));
        }
    }
    match best {
        Some((k, _)) => Ok(k),
        None => Err(last_err.unwrap_or_else(|| SignError::NoCertificate(format!("in «{name}»")))),
    }
}

/// The issuers of `leaf` found in `pool`, nearest first.
fn order_chain(leaf: &Certificate, pool: &[Certificate]) -> Vec<Certificate> {
    let mut chain: Vec<Certificate> = Vec::new();
    let mut cur = leaf.clone();
    for _ in 0..8 {
        if cur.tbs_certificate.issuer == cur.tbs_certificate.subject {
            break;
        }
        let Some(next) = pool
            .iter()
            .find(|c| c.tbs_certificate.subject == cur.tbs_certificate.issuer && *c != leaf && !chain.contains(c))
        else {
            break;
        };
        chain.push(next.clone());
        cur = next.clone();
    }
    chain
}

// ---------------------------------------------------------------- PKCS#11

fn token_err(e: CkError) -> SignError {
    match e {
        CkError::Pkcs11(RvError::PinIncorrect, _) | CkError::Pkcs11(RvError::PinLenRange, _) => {
            SignError::WrongPin { final_try: false }
        }
        CkError::Pkcs11(RvError::PinLocked, _) => SignError::PinLocked,
        CkError::Pkcs11(RvError::TokenNotPresent, _) | CkError::Pkcs11(RvError::DeviceRemoved, _) => {
            SignError::Token("il dispositivo è stato rimosso o non risponde".into())
        }
        CkError::Pkcs11(rv, f) => SignError::Token(format!("{f:?}: {rv:?}")),
        other => SignError::Token(other.to_string()),
    }
}

/// One initialised context per library for the whole process: PKCS#11 wants a single
/// C_Initialize per application, and sessions of a loaded key must survive a later listing.
fn open_module(module: &Path) -> Result<Pkcs11, SignError> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CONTEXTS: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    let mut cache = CONTEXTS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(ctx) = cache.get(module) {
        return Ok(ctx.clone());
    }
    let ctx = open_module_uncached(module)?;
    cache.insert(module.to_path_buf(), ctx.clone());
    Ok(ctx)
}

fn open_module_uncached(module: &Path) -> Result<Pkcs11, SignError> {
    if !module.exists() {
        return Err(SignError::Pkcs11Module { module: module.to_path_buf(), detail: "il file non esiste".into() });
    }
    let ctx = Pkcs11::new(module)
        .map_err(|e| SignError::Pkcs11Module { module: module.to_path_buf(), detail: e.to_string() })?;
    match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => Ok(ctx),
        Err(e) => Err(SignError::Pkcs11Module { module: module.to_path_buf(), detail: e.to_string() }),
    }
}

struct TokenCertRaw {
    id: Vec<u8>,
    label: String,
    der: Vec<u8>,
    cert: Certificate,
}

fn token_certs(session: &Session) -> Result<Vec<TokenCertRaw>, SignError> {
    let handles = session.find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)]).map_err(token_err)?;
    let mut out = Vec::new();
    for h in handles {
        let attrs = session
            .get_attributes(h, &[AttributeType::Value, AttributeType::Id, AttributeType::Label])
            .map_err(token_err)?;
        let (mut der, mut id, mut label) = (Vec::new(), Vec::new(), String::new());
        for a in attrs {
            match a {
                Attribute::Value(v) => der = v,
                Attribute::Id(v) => id = v,
                Attribute::Label(v) => label = String::from_utf8_lossy(&v).into_owned(),
                _ => {}
            }
        }
        if let Ok(cert) = Certificate::from_der(&der) {
            out.push(TokenCertRaw { id, label, der, cert });
        }
    }
    Ok(out)
}

/// A signing candidate: an end-entity certificate, non-repudiation preferred.
fn signing_score(c: &Certificate) -> u8 {
    let s = CertSummary::of(c);
    if certs::is_ca(c) {
        0
    } else if s.non_repudiation {
        3
    } else if s.digital_signature || !s.has_key_usage {
        1
    } else {
        0
    }
}

fn load_pkcs11(module: &Path, slot: Option<u64>, pin: &str, cert_id: Option<&[u8]>) -> Result<LoadedKey, SignError> {
    let ctx = open_module(module)?;
    let slots = ctx.get_slots_with_token().map_err(token_err)?;
    if slots.is_empty() {
        return Err(SignError::NoToken { module: module.to_path_buf() });
    }
    let candidates: Vec<Slot> = match slot {
        Some(n) => vec![*slots.iter().find(|s| s.id() == n).ok_or(SignError::SlotNotFound(n))?],
        None => slots,
    };
    // Choose slot + certificate without logging in (certificates are public objects).
    let mut chosen: Option<(Slot, TokenCertRaw, Vec<Certificate>, u8)> = None;
    let mut others_at_best: Vec<(u8, Vec<u8>)> = Vec::new();
    for s in candidates {
        let Ok(session) = ctx.open_ro_session(s) else { continue };
        let list = token_certs(&session)?;
        let pool: Vec<Certificate> = list.iter().map(|c| c.cert.clone()).collect();
        for c in list {
            let base = match cert_id {
                Some(id) if c.id == id => 10,
                Some(_) => 0,
                None => signing_score(&c.cert),
            };
            // Prefer the slot where the key pair is visible (public key with the same CKA_ID):
            // the same certificate may also sit, without its key, in another slot.
            let has_pub = !c.id.is_empty()
                && session
                    .find_objects(&[Attribute::Class(ObjectClass::PUBLIC_KEY), Attribute::Id(c.id.clone())])
                    .is_ok_and(|v| !v.is_empty());
            let score = if base > 0 { base * 2 + u8::from(has_pub) } else { 0 };
            if score > 0 {
                others_at_best.push((score, c.der.clone()));
            }
            if score > 0 && chosen.as_ref().is_none_or(|(_, _, _, best)| score > *best) {
                chosen = Some((s, c, pool.clone(), score));
            }
        }
    }
    let Some((slot, tc, pool, best)) = chosen else {
        return Err(SignError::NoCertificate("sul dispositivo".into()));
    };
    // Never guess between two people's (or two) signing certificates: the user chooses.
    if cert_id.is_none() && others_at_best.iter().any(|(s, der)| *s == best && *der != tc.der) {
        let mut names: Vec<String> = others_at_best
            .iter()
            .filter(|(s, _)| *s == best)
            .filter_map(|(_, der)| Certificate::from_der(der).ok())
            .map(|c| CertSummary::of(&c).display_name())
            .collect();
        names.sort();
        names.dedup();
        return Err(SignError::AmbiguousCertificate(names));
    }
    let info = ctx.get_token_info(slot).map_err(token_err)?;
    if info.user_pin_locked() {
        return Err(SignError::PinLocked);
    }
    let session = ctx.open_ro_session(slot).map_err(token_err)?;
    let login = if info.protected_authentication_path() && pin.is_empty() {
        session.login(UserType::User, None) // PIN pad on the reader
    } else {
        let auth = AuthPin::from(pin.to_string());
        session.login(UserType::User, Some(&auth))
    };
    match login {
        Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
        Err(CkError::Pkcs11(RvError::PinIncorrect, _)) => {
            let final_try = ctx.get_token_info(slot).map(|i| i.user_pin_final_try()).unwrap_or(false);
            let locked = ctx.get_token_info(slot).map(|i| i.user_pin_locked()).unwrap_or(false);
            return Err(if locked { SignError::PinLocked } else { SignError::WrongPin { final_try } });
        }
        Err(e) => return Err(token_err(e)),
    }
    let key = private_key_of(&session, &tc)?;
    let kind = token_key_kind(&session, key, &tc.cert)?;
    let chain = order_chain(&tc.cert, &pool);
    Ok(LoadedKey { cert: tc.cert, cert_der: tc.der, chain, kind, backend: Backend::Token { session, key } })
}

/// The private key of a token certificate: same CKA_ID, else same label, else the only one.
fn private_key_of(session: &Session, tc: &TokenCertRaw) -> Result<ObjectHandle, SignError> {
    let name = CertSummary::of(&tc.cert).display_name();
    let mut keys = Vec::new();
    if !tc.id.is_empty() {
        keys = session
            .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY), Attribute::Id(tc.id.clone())])
            .map_err(token_err)?;
    }
    if keys.is_empty() && !tc.label.is_empty() {
        keys = session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Label(tc.label.clone().into_bytes()),
            ])
            .map_err(token_err)?;
    }
    if keys.is_empty() {
        let all = session.find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)]).map_err(token_err)?;
        if all.len() == 1 {
            keys = all;
        }
    }
    keys.first().copied().ok_or(SignError::NoPrivateKey(name))
}

/// The kind of a token's private key (RSA size, EC curve), from its key type and the certificate.
fn token_key_kind(session: &Session, key: ObjectHandle, cert: &Certificate) -> Result<KeyKind, SignError> {
    let kt = session.get_attributes(key, &[AttributeType::KeyType]).map_err(token_err)?;
    let key_type = kt.iter().find_map(|a| if let Attribute::KeyType(k) = a { Some(*k) } else { None });
    let spki = &cert.tbs_certificate.subject_public_key_info;
    Ok(match key_type {
        Some(k) if k == KeyType::RSA => {
            use rsa::pkcs8::DecodePublicKey;
            use rsa::traits::PublicKeyParts;
            let der = spki.to_der()?;
            let pk = rsa::RsaPublicKey::from_public_key_der(&der)
                .map_err(|e| SignError::UnsupportedKey(format!("RSA illeggibile: {e}")))?;
            KeyKind::Rsa { bytes: pk.size() }
        }
        Some(k) if k == KeyType::EC => {
            let curve =
                spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok());
            match curve {
                Some(c) if c == certs::OID_P256 => KeyKind::P256,
                Some(c) if c == certs::OID_P384 => KeyKind::P384,
                _ => return Err(SignError::UnsupportedKey("ECDSA su curva diversa da P-256/P-384".into())),
            }
        }
        other => return Err(SignError::UnsupportedKey(format!("{other:?}"))),
    })
}

/// One slot of a PKCS#11 module, for the "choose certificate" step of the UI / CLI.
#[derive(Clone, Debug, Serialize)]
pub struct TokenSlot {
    pub slot_id: u64,
    pub label: String,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
    pub pin_locked: bool,
    pub pin_final_try: bool,
    pub pin_pad: bool,
    pub certificates: Vec<TokenCertificate>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TokenCertificate {
    /// CKA_ID in hex (pass it back to choose this certificate).
    pub id: String,
    pub label: String,
    /// True for the certificate that would be used for signing (non-repudiation, end entity).
    pub signing: bool,
    pub certificate: CertSummary,
}

/// Lists slots and certificates of a PKCS#11 module, without a PIN.
pub fn list_tokens(module: &Path) -> Result<Vec<TokenSlot>, SignError> {
    let ctx = open_module(module)?;
    let slots = ctx.get_slots_with_token().map_err(token_err)?;
    let mut out = Vec::new();
    for s in slots {
        let info = match ctx.get_token_info(s) {
            Ok(i) => i,
            Err(_) => continue,
        };
        let mut certificates = Vec::new();
        if let Ok(session) = ctx.open_ro_session(s) {
            for c in token_certs(&session)? {
                certificates.push(TokenCertificate {
                    id: hex::encode_upper(&c.id),
                    label: c.label,
                    signing: signing_score(&c.cert) >= 3,
                    certificate: CertSummary::of(&c.cert),
                });
            }
        }
        out.push(TokenSlot {
            slot_id: s.id(),
            label: info.label().trim().to_string(),
            manufacturer: info.manufacturer_id().trim().to_string(),
            model: info.model().trim().to_string(),
            serial: info.serial_number().trim().to_string(),
            pin_locked: info.user_pin_locked(),
            pin_final_try: info.user_pin_final_try(),
            pin_pad: info.protected_authentication_path(),
            certificates,
        });
    }
    Ok(out)
}

/// Common PKCS#11 libraries of Italian signature cards and tokens (Bit4id, Athena/CRS
/// Lombardia, InfoCert, Aruba, OpenSC …) and of SoftHSM2, in the usual install places.
pub const KNOWN_PKCS11_MODULES: &[&str] = &[
    "/usr/lib/libbit4xpki.so",
    "/usr/lib/libbit4ipki.so",
    "/usr/lib/libbit4opki.so",
    "/usr/lib/libbit4npki.so",
    "/usr/local/lib/libbit4xpki.so",
    "/usr/lib/libASEP11.so",
    "/usr/local/lib/libASEP11.so",
    "/usr/lib/x86_64-linux-gnu/libASEP11.so",
    "/usr/lib/libcvP11.so",
    "/usr/lib/libIDPrimePKCS11.so",
    "/usr/lib/x86_64-linux-gnu/libIDPrimePKCS11.so",
    "/usr/local/lib/libIDPrimePKCS11.dylib",
    "/usr/lib/libeTPkcs11.so",
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so",
    "/usr/lib/opensc-pkcs11.so",
    "/usr/lib/pkcs11/opensc-pkcs11.so",
    "/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so",
    "/usr/local/lib/opensc-pkcs11.so",
    "/Library/OpenSC/lib/opensc-pkcs11.so",
    "/usr/local/lib/libbit4xpki.dylib",
    "/usr/local/lib/libASEP11.dylib",
    "C:\\Windows\\System32\\bit4xpki.dll",
    "C:\\Windows\\System32\\bit4ipki.dll",
    "C:\\Windows\\System32\\asepkcs.dll",
    "C:\\Windows\\System32\\opensc-pkcs11.dll",
    "C:\\Windows\\System32\\IDPrimePKCS1164.dll",
    "C:\\Windows\\System32\\eTPKCS11.dll",
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
];

/// The known PKCS#11 libraries that exist on this machine, to propose in the UI.
pub fn installed_pkcs11_modules() -> Vec<PathBuf> {
    KNOWN_PKCS11_MODULES.iter().map(PathBuf::from).filter(|p| p.is_file()).collect()
}

/// A PKCS#11 library found on this machine, with the middleware it belongs to.
#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct Pkcs11Module {
    pub path: PathBuf,
    /// Italian description, e.g. "Bit4id (carte InfoCert, Aruba, Namirial…)".
    pub vendor: String,
}

/// Middleware of a PKCS#11 library, from its file name.
pub fn pkcs11_vendor(path: &std::path::Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let v = if name.contains("bit4") {
        "Bit4id (carte e token InfoCert, Aruba, Namirial, Poste…)"
    } else if name.contains("asep11") || name.contains("asepkcs") {
        "Athena IDProtect (CRS/CNS Lombardia, Aruba)"
    } else if name.contains("idprime") {
        "Thales/Gemalto IDPrime"
    } else if name.contains("etpkcs11") {
        "SafeNet eToken"
    } else if name.contains("cvp11") {
        "Charismathics (CNS)"
    } else if name.contains("opensc") {
        "OpenSC (lettori e carte generiche)"
    } else if name.contains("softhsm") {
        "SoftHSM (dispositivo software di prova)"
    } else {
        "libreria PKCS#11"
    };
    v.to_string()
}

/// The PKCS#11 libraries of the known Italian card middlewares (Bit4id, Athena/IDPrime,
/// OpenSC…) installed in their standard places, each once (symbolic links to the same file are
/// listed once).
pub fn discover_pkcs11_modules() -> Vec<Pkcs11Module> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for p in installed_pkcs11_modules() {
        let real = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.contains(&real) {
            continue;
        }
        seen.push(real);
        out.push(Pkcs11Module { vendor: pkcs11_vendor(&p), path: p });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cryptoki::context::Function;

    #[test]
    fn token_errors_map_to_italian_messages() {
        let e = token_err(CkError::Pkcs11(RvError::PinLocked, Function::Login));
        assert!(matches!(e, SignError::PinLocked));
        assert!(e.to_string().contains("bloccato"));
        let e = token_err(CkError::Pkcs11(RvError::PinIncorrect, Function::Login));
        assert!(matches!(e, SignError::WrongPin { final_try: false }));
        let e = token_err(CkError::Pkcs11(RvError::DeviceRemoved, Function::Sign));
        assert!(e.to_string().contains("rimosso"));
        assert!(SignError::WrongPin { final_try: true }.to_string().contains("un solo tentativo"));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let k = KeySource::pkcs11(Path::new("/x.so"), Some(1), "123456");
        assert!(!format!("{k:?}").contains("123456"));
        let k = KeySource::Pkcs12 { data: vec![], password: Zeroizing::new("segreta".into()), name: "a.p12".into() };
        assert!(!format!("{k:?}").contains("segreta"));
    }
}
