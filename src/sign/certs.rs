//! Certificate helpers: identity fields (name, codice fiscale), validity, key usage, signature
//! checks with RSA / ECDSA, and the offline trust store.

use chrono::{DateTime, Utc};
use der::asn1::ObjectIdentifier as Oid;
use der::{Decode, Encode, Tag, Tagged};
use serde::Serialize;
use sha2::Digest;
use std::path::Path;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::asn1;
use super::error::SignError;

pub(crate) const OID_CN: Oid = Oid::new_unwrap("2.5.4.3");
const OID_SURNAME: Oid = Oid::new_unwrap("2.5.4.4");
const OID_SERIAL: Oid = Oid::new_unwrap("2.5.4.5");
const OID_ORG: Oid = Oid::new_unwrap("2.5.4.10");
const OID_GIVEN: Oid = Oid::new_unwrap("2.5.4.42");
const OID_TITLE: Oid = Oid::new_unwrap("2.5.4.12");

pub(crate) const OID_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_SHA1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
const OID_RSA_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const OID_RSA_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const OID_RSA_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
const OID_RSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
pub(crate) const OID_EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
pub(crate) const OID_ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const OID_ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const OID_ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
pub(crate) const OID_P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const OID_P384: Oid = Oid::new_unwrap("1.3.132.0.34");

pub(crate) const OID_SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
pub(crate) const OID_SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const OID_SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const OID_SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

/// Hash algorithms accepted when verifying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DigestAlg {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    pub(crate) fn from_oid(oid: &Oid) -> Option<Self> {
        Some(match *oid {
            OID_SHA1 => DigestAlg::Sha1,
            OID_SHA256 => DigestAlg::Sha256,
            OID_SHA384 => DigestAlg::Sha384,
            OID_SHA512 => DigestAlg::Sha512,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            DigestAlg::Sha1 => "SHA-1",
            DigestAlg::Sha256 => "SHA-256",
            DigestAlg::Sha384 => "SHA-384",
            DigestAlg::Sha512 => "SHA-512",
        }
    }

    pub(crate) fn digest_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            h.finalize().to_vec()
        }
        match self {
            DigestAlg::Sha1 => run::<sha1::Sha1>(parts),
            DigestAlg::Sha256 => run::<sha2::Sha256>(parts),
            DigestAlg::Sha384 => run::<sha2::Sha384>(parts),
            DigestAlg::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

/// Digest implied by a combined signature algorithm OID (None for bare rsaEncryption / ecPublicKey).
fn digest_of_sig_alg(oid: &Oid) -> Option<DigestAlg> {
    Some(match *oid {
        OID_RSA_SHA1 => DigestAlg::Sha1,
        OID_RSA_SHA256 | OID_ECDSA_SHA256 => DigestAlg::Sha256,
        OID_RSA_SHA384 | OID_ECDSA_SHA384 => DigestAlg::Sha384,
        OID_RSA_SHA512 | OID_ECDSA_SHA512 => DigestAlg::Sha512,
        _ => return None,
    })
}

/// Verifies `sig` over the already computed `digest` (made with `alg`) with the public key in `cert`.
/// `sig_alg` is the signature algorithm OID written next to the signature.
pub(crate) fn verify_digest(
    cert: &Certificate,
    sig_alg: &Oid,
    sig_params: Option<&der::Any>,
    alg: DigestAlg,
    digest: &[u8],
    sig: &[u8],
) -> Result<(), String> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let spki_der = spki.to_der().map_err(|e| e.to_string())?;
    match spki.algorithm.oid {
        OID_RSA => {
            use rsa::pkcs8::DecodePublicKey;
            let pk = rsa::RsaPublicKey::from_public_key_der(&spki_der).map_err(|e| e.to_string())?;
            if *sig_alg == OID_RSA_PSS {
                // Salt length as declared in RSASSA-PSS-params (RFC 4055), default 20.
                let (pss_hash, salt) = pss_params(sig_params);
                if pss_hash.is_some_and(|h| h != alg) {
                    return Err("l'algoritmo di hash RSA-PSS non corrisponde a quello della firma".into());
                }
                let scheme = match alg {
                    DigestAlg::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt),
                    DigestAlg::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
                    DigestAlg::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
                    DigestAlg::Sha1 => rsa::Pss::new_with_salt::<sha1::Sha1>(salt),
                };
                return pk.verify(scheme, digest, sig).map_err(|e| e.to_string());
            }
            let scheme = match alg {
                DigestAlg::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                DigestAlg::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                DigestAlg::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                DigestAlg::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            pk.verify(scheme, digest, sig).map_err(|e| e.to_string())
        }
        OID_EC_PUBLIC_KEY => {
            use p256::pkcs8::DecodePublicKey;
            use signature::hazmat::PrehashVerifier;
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<Oid>().ok())
                .ok_or_else(|| "curva ellittica non indicata".to_string())?;
            match curve {
                OID_P256 => {
                    let vk = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der).map_err(|e| e.to_string())?;
                    let s = p256::ecdsa::Signature::from_der(sig).map_err(|e| e.to_string())?;
                    vk.verify_prehash(digest, &s).map_err(|e| e.to_string())
                }
                OID_P384 => {
                    let vk = p384::ecdsa::VerifyingKey::from_public_key_der(&spki_der).map_err(|e| e.to_string())?;
                    let s = p384::ecdsa::Signature::from_der(sig).map_err(|e| e.to_string())?;
                    vk.verify_prehash(digest, &s).map_err(|e| e.to_string())
                }
                other => Err(format!("curva ellittica non supportata ({other})")),
            }
        }
        other => Err(format!("algoritmo di chiave non supportato ({other})")),
    }
}

/// Hash algorithm and salt length of RSASSA-PSS-params (hash default SHA-1, salt default 20).
pub(crate) fn pss_params(params: Option<&der::Any>) -> (Option<DigestAlg>, usize) {
    let mut hash = None;
    let mut salt = 20usize;
    let Some(der) = params.and_then(|p| p.to_der().ok()) else {
        return (Some(DigestAlg::Sha1), salt);
    };
    let Some(kids) = asn1::read_tlv(&der).and_then(|seq| asn1::children(seq.content)) else {
        return (Some(DigestAlg::Sha1), salt);
    };
    for k in kids {
        match k.tag {
            0xA0 => {
                hash = asn1::read_tlv(k.content)
                    .and_then(|t| spki::AlgorithmIdentifierOwned::from_der(t.raw).ok())
                    .and_then(|a| DigestAlg::from_oid(&a.oid));
            }
            0xA2 => {
                if let Some(i) = asn1::read_tlv(k.content).filter(|t| t.tag == 0x02 && t.content.len() <= 4) {
                    salt = i.content.iter().fold(0usize, |acc, b| (acc << 8) | *b as usize);
                }
            }
            _ => {}
        }
    }
    (Some(hash.unwrap_or(DigestAlg::Sha1)), salt)
}

/// True when `issuer`'s key made the signature on `cert`.
pub(crate) fn cert_signed_by(cert_der: &[u8], cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Some(tbs) = asn1::cert_tbs(cert_der) else {
        return false;
    };
    let alg_oid = cert.signature_algorithm.oid;
    let params = cert.signature_algorithm.parameters.as_ref();
    let pss_hash = if alg_oid == OID_RSA_PSS { pss_params(params).0 } else { None };
    let Some(alg) = digest_of_sig_alg(&alg_oid).or(pss_hash) else {
        return false;
    };
    let Some(sig) = cert.signature.as_bytes() else {
        return false;
    };
    let digest = alg.digest_parts(&[tbs]);
    verify_digest(issuer, &alg_oid, params, alg, &digest, sig).is_ok()
}

/// Decodes a directory string (UTF8String, PrintableString, IA5String, BMPString, T61String).
fn any_to_string(v: &der::Any) -> String {
    let bytes = v.value();
    match v.tag() {
        Tag::BmpString => {
            let units: Vec<u16> =
                bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
            String::from_utf16_lossy(&units)
        }
        Tag::Utf8String => String::from_utf8_lossy(bytes).into_owned(),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => bytes.iter().map(|&b| b as char).collect(),
        },
    }
}

pub(crate) fn name_attr(name: &Name, oid: Oid) -> Option<String> {
    name.0.iter().flat_map(|rdn| rdn.0.iter()).find(|atv| atv.oid == oid).map(|atv| any_to_string(&atv.value))
}

pub(crate) fn to_chrono(t: &x509_cert::time::Time) -> DateTime<Utc> {
    let d = t.to_unix_duration();
    DateTime::<Utc>::from_timestamp(d.as_secs() as i64, 0).unwrap_or_default()
}

/// Italian date for messages, e.g. "31/12/2027".
pub(crate) fn it_date(t: &DateTime<Utc>) -> String {
    t.format("%d/%m/%Y").to_string()
}

/// Identity and properties of a certificate, in plain data for the report and the UI.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CertSummary {
    /// Common name, e.g. "Mario Rossi".
    pub common_name: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    /// Codice fiscale, from a `TINIT-` subject serialNumber (Italian qualified certificates).
    pub codice_fiscale: Option<String>,
    /// The raw subject serialNumber attribute (e.g. "TINIT-RSSMRA80A01F205X").
    pub subject_serial_number: Option<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub subject: String,
    pub issuer: String,
    pub issuer_common_name: Option<String>,
    /// Certificate serial number, hex.
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// Key usage contains nonRepudiation (contentCommitment), as on qualified signing certificates.
    pub non_repudiation: bool,
    pub digital_signature: bool,
    /// The certificate has a key usage extension at all.
    pub has_key_usage: bool,
    /// SHA-256 of the DER certificate, hex.
    pub sha256: String,
}

impl CertSummary {
    pub(crate) fn of(cert: &Certificate) -> CertSummary {
        let tbs = &cert.tbs_certificate;
        let subj = &tbs.subject;
        let ssn = name_attr(subj, OID_SERIAL);
        let cf = ssn.as_deref().and_then(|s| {
            let up = s.trim().to_uppercase();
            up.strip_prefix("TINIT-").map(|c| c.to_string())
        });
        let ku = tbs.get::<KeyUsage>().ok().flatten().map(|(_, k)| k);
        let der = cert.to_der().unwrap_or_default();
        CertSummary {
            common_name: name_attr(subj, OID_CN),
            given_name: name_attr(subj, OID_GIVEN),
            surname: name_attr(subj, OID_SURNAME),
            codice_fiscale: cf,
            subject_serial_number: ssn,
            organization: name_attr(subj, OID_ORG),
            title: name_attr(subj, OID_TITLE),
            subject: subj.to_string(),
            issuer: tbs.issuer.to_string(),
            issuer_common_name: name_attr(&tbs.issuer, OID_CN),
            serial: hex::encode_upper(tbs.serial_number.as_bytes()),
            not_before: to_chrono(&tbs.validity.not_before),
            not_after: to_chrono(&tbs.validity.not_after),
            non_repudiation: ku.as_ref().is_some_and(|k| k.non_repudiation()),
            digital_signature: ku.as_ref().is_some_and(|k| k.digital_signature()),
            has_key_usage: ku.is_some(),
            sha256: hex::encode_upper(sha2::Sha256::digest(&der)),
        }
    }

    /// Best display name: "Nome Cognome", else CN, else the subject.
    pub fn display_name(&self) -> String {
        match (&self.given_name, &self.surname, &self.common_name) {
            (_, _, Some(cn)) => cn.clone(),
            (Some(g), Some(s), None) => format!("{g} {s}"),
            _ => self.subject.clone(),
        }
    }

    pub fn valid_at(&self, t: &DateTime<Utc>) -> bool {
        self.not_before <= *t && *t <= self.not_after
    }
}

pub(crate) fn is_ca(cert: &Certificate) -> bool {
    cert.tbs_certificate.get::<BasicConstraints>().ok().flatten().is_some_and(|(_, bc)| bc.ca)
}

/// Offline trust store: the CA certificates the user imported (e.g. the test CA, or the
/// qualified CAs of the Italian trusted list exported as PEM).
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    roots: Vec<(Vec<u8>, Certificate)>,
    /// Provider and service of the anchors imported from a trusted list, by DER.
    listed: std::collections::HashMap<Vec<u8>, AnchorInfo>,
}

/// Where a trust anchor comes from when it was imported from a trusted list.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AnchorInfo {
    /// Trust service provider (e.g. "InfoCert S.p.A.").
    pub provider: String,
    /// Service name in the list.
    pub service: String,
    /// Qualified CA for signatures (CA/QC) in force.
    pub qualified_ca: bool,
    /// Time-stamping service (TSA/QTST).
    pub timestamping: bool,
}

/// What [`TrustStore::add_trusted_list`] imported.
#[derive(Clone, Debug, Serialize)]
pub struct TrustedListImport {
    /// Country of the list (e.g. "IT").
    pub territory: Option<String>,
    /// Who publishes it (e.g. "AgID").
    pub operator: Option<String>,
    /// The list carries an XML signature (not checked here).
    pub signed: bool,
    pub providers: usize,
    pub services: usize,
    pub certificates: usize,
    /// Services not imported: other types, not in force, or unreadable certificates.
    pub skipped: usize,
}

const QC_COMPLIANCE_OID: &[u8] = &[0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x01];
const OID_QC_STATEMENTS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.3");

/// The certificate declares itself qualified (qcStatements with QcCompliance, ETSI EN 319 412-5).
pub(crate) fn declares_qualified(cert: &Certificate) -> bool {
    cert.tbs_certificate.extensions.as_ref().is_some_and(|exts| {
        exts.iter().any(|e| {
            e.extn_id == OID_QC_STATEMENTS
                && e.extn_value.as_bytes().windows(QC_COMPLIANCE_OID.len()).any(|w| w == QC_COMPLIANCE_OID)
        })
    })
}

impl TrustStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Adds every certificate in `data`: PEM (one or more blocks) or a single DER certificate.
    pub fn add_bytes(&mut self, data: &[u8]) -> Result<usize, SignError> {
        let certs: Vec<Certificate> = if data.starts_with(&[0x30]) {
            vec![Certificate::from_der(data)
                .map_err(|e| SignError::InvalidSignature(format!("certificato DER non valido: {e}")))?]
        } else {
            Certificate::load_pem_chain(data)
                .map_err(|e| SignError::InvalidSignature(format!("certificato PEM non valido: {e}")))?
        };
        let n = certs.len();
        for c in certs {
            let der = c.to_der()?;
            if !self.roots.iter().any(|(d, _)| *d == der) {
                self.roots.push((der, c));
            }
        }
        Ok(n)
    }

    /// Adds the certificates of a PEM or DER file, or the services of a trusted list (.xml).
    pub fn add_file(&mut self, path: &Path) -> Result<usize, SignError> {
        let data = std::fs::read(path).map_err(|e| SignError::io(path, e))?;
        let is_xml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            || data.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<');
        if is_xml {
            return self.add_trusted_list(&data).map(|i| i.certificates);
        }
        self.add_bytes(&data)
    }

    /// Imports a trusted list in the ETSI TS 119 612 format (e.g. the Italian list of AgID):
    /// the certificates of the qualified CA and time-stamping services in force, remembered
    /// with their provider so that reports can name it.
    pub fn add_trusted_list(&mut self, xml: &[u8]) -> Result<TrustedListImport, SignError> {
        let parsed = super::tl::parse(xml).map_err(SignError::TrustedList)?;
        if !parsed.signed {
            return Err(SignError::TrustedList(
                "l'elenco non è firmato (manca la firma XML di chi lo pubblica), quindi può essere stato \
                 alterato: un elenco ufficiale, come quello di AgID, è sempre firmato; scaricalo di nuovo dal sito \
                 ufficiale"
                    .into(),
            ));
        }
        let mut providers: Vec<&str> = Vec::new();
        let mut certificates = 0;
        let mut skipped = parsed.skipped;
        for svc in &parsed.services {
            if !providers.contains(&svc.provider.as_str()) {
                providers.push(&svc.provider);
            }
            for der in &svc.certificates {
                match Certificate::from_der(der) {
                    Ok(c) => {
                        if !self.roots.iter().any(|(d, _)| d == der) {
                            self.roots.push((der.clone(), c));
                        }
                        let info = AnchorInfo {
                            provider: svc.provider.clone(),
                            service: svc.service.clone(),
                            qualified_ca: svc.qualified_ca,
                            timestamping: svc.timestamping,
                        };
                        let e = self.listed.entry(der.clone()).or_insert_with(|| info.clone());
                        e.qualified_ca |= info.qualified_ca;
                        e.timestamping |= info.timestamping;
                        certificates += 1;
                    }
                    Err(_) => skipped += 1,
                }
            }
        }
        if certificates == 0 {
            return Err(SignError::TrustedList(
                "l'elenco non contiene certificati di servizi qualificati in vigore".into(),
            ));
        }
        Ok(TrustedListImport {
            territory: parsed.territory,
            operator: parsed.operator,
            signed: parsed.signed,
            providers: providers.len(),
            services: parsed.services.len(),
            certificates,
            skipped,
        })
    }

    /// The trusted-list entry of the anchor that `leaf` chains to, if it came from a list.
    pub(crate) fn anchor_info(
        &self,
        leaf: &Certificate,
        pool: &[Certificate],
        at: &DateTime<Utc>,
    ) -> Option<AnchorInfo> {
        let (_, der) = self.chain_inner(leaf, pool, at).ok()?;
        self.listed.get(&der).cloned()
    }

    /// Loads every certificate file (.pem, .crt, .cer, .der) of a folder, e.g. the app's
    /// "CA attendibili" folder; unreadable files are returned by name, not fatal.
    pub fn from_dir(dir: &Path) -> Result<(TrustStore, Vec<String>), SignError> {
        let mut store = TrustStore::new();
        let mut skipped = Vec::new();
        let rd = std::fs::read_dir(dir).map_err(|e| SignError::io(dir, e))?;
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let ext = p.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase());
            if !matches!(ext.as_deref(), Some("pem" | "crt" | "cer" | "der" | "xml")) {
                continue;
            }
            if store.add_file(&p).is_err() {
                skipped.push(p.display().to_string());
            }
        }
        Ok((store, skipped))
    }

    /// The DER encodings of the trusted certificates.
    pub fn certificates_der(&self) -> Vec<Vec<u8>> {
        self.roots.iter().map(|(d, _)| d.clone()).collect()
    }

    pub fn certificates(&self) -> impl Iterator<Item = CertSummary> + '_ {
        self.roots.iter().map(|(_, c)| CertSummary::of(c))
    }

    /// Builds a chain from `leaf` to an anchor of this store through `pool` (the certificates
    /// shipped in the signature). Returns the subjects of the chain when one is found.
    pub(crate) fn chain_to_anchor(
        &self,
        leaf: &Certificate,
        pool: &[Certificate],
        at: &DateTime<Utc>,
    ) -> Result<Vec<String>, String> {
        self.chain_inner(leaf, pool, at).map(|(p, _)| p)
    }

    /// The chain's subjects and the DER of the anchor reached.
    fn chain_inner(
        &self,
        leaf: &Certificate,
        pool: &[Certificate],
        at: &DateTime<Utc>,
    ) -> Result<(Vec<String>, Vec<u8>), String> {
        if self.roots.is_empty() {
            return Err("nessun certificato di CA attendibile importato".into());
        }
        let mut path = vec![leaf.tbs_certificate.subject.to_string()];
        let mut current = leaf.clone();
        for _ in 0..8 {
            let cur_der = current.to_der().map_err(|e| e.to_string())?;
            // The certificate itself is a trust anchor.
            if self.roots.iter().any(|(d, _)| *d == cur_der) {
                return Ok((path, cur_der));
            }
            if let Some((d, anchor)) = self.roots.iter().find(|(_, a)| cert_signed_by(&cur_der, &current, a)) {
                path.push(anchor.tbs_certificate.subject.to_string());
                return Ok((path, d.clone()));
            }
            let next = pool.iter().find(|c| {
                c.tbs_certificate.subject != current.tbs_certificate.subject
                    && is_ca(c)
                    && CertSummary::of(c).valid_at(at)
                    && cert_signed_by(&cur_der, &current, c)
            });
            match next {
                Some(n) => {
                    path.push(n.tbs_certificate.subject.to_string());
                    current = n.clone();
                }
                None => break,
            }
        }
        Err(format!(
            "la catena del certificato non porta a una CA attendibile (emittente: {})",
            current.tbs_certificate.issuer
        ))
    }
}
