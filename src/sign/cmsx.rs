//! CMS SignedData for CAdES-BES (attached .p7m) and PAdES (detached, ETSI.CAdES.detached):
//! building with RustCrypto `cms` types and an external digest signer, and parsing/verifying
//! any SignedData (ours, OpenSSL's, pyHanko's, the Italian desktop tools').

use chrono::{DateTime, Utc};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier as Oid, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Tag};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use super::asn1;
use super::certs::{self, DigestAlg};
use super::error::SignError;
use super::keys::{KeyKind, LoadedKey};

pub(crate) const OID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
pub(crate) const OID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
const OID_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
const OID_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
const OID_SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
const OID_SIGNING_CERT: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
const OID_SIGNING_CERT_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
const OID_SIG_TIMESTAMP: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
const OID_COUNTERSIGNATURE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.6");
const OID_SKI: Oid = Oid::new_unwrap("2.5.29.14");

/// ESS IssuerSerial (RFC 5035).
#[derive(Clone, Debug, der::Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// ESSCertIDv2 with the hash algorithm left to its DEFAULT (SHA-256).
#[derive(Clone, Debug, der::Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

#[derive(Clone, Debug, der::Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn attr(oid: Oid, value: Any) -> Result<Attribute, SignError> {
    Ok(Attribute { oid, values: SetOfVec::try_from(vec![value])? })
}

fn sha256_alg() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid: certs::OID_SHA256, parameters: None }
}

fn signature_alg(kind: KeyKind) -> AlgorithmIdentifierOwned {
    match kind {
        KeyKind::Rsa { .. } => AlgorithmIdentifierOwned { oid: certs::OID_RSA, parameters: Some(Any::null()) },
        KeyKind::P256 | KeyKind::P384 => AlgorithmIdentifierOwned { oid: certs::OID_ECDSA_SHA256, parameters: None },
    }
}

/// What to put in the signed attributes.
pub(crate) struct CmsRequest<'a> {
    /// SHA-256 of the signed content (the PDF byte ranges, or the whole file for .p7m).
    pub message_digest: [u8; 32],
    /// The content itself for an attached (enveloping) .p7m; `None` for detached (PAdES).
    pub econtent: Option<&'a [u8]>,
    /// CAdES `signing-time` attribute; PAdES baseline keeps the time in /M instead.
    pub signing_time: Option<DateTime<Utc>>,
    /// TSA asked for a signature timestamp over the signature value (CAdES-T / PAdES B-T).
    pub timestamp: Option<&'a super::tsa::TimestampAuthority>,
}

/// One SignerInfo over `message_digest`: content-type (unless a countersignature), signing-time,
/// message-digest and signing-certificate-v2 signed; a signature timestamp unsigned when asked.
fn signer_info(
    key: &LoadedKey,
    message_digest: &[u8],
    content_type: bool,
    signing_time: Option<DateTime<Utc>>,
    timestamp: Option<&super::tsa::TimestampAuthority>,
    dummy_signature: bool,
) -> Result<SignerInfo, SignError> {
    let cert = &key.cert;
    let mut attrs = Vec::new();
    if content_type {
        attrs.push(attr(OID_CONTENT_TYPE, Any::encode_from(&OID_DATA)?)?);
    }
    attrs.push(attr(OID_MESSAGE_DIGEST, Any::new(Tag::OctetString, message_digest.to_vec())?)?);
    if let Some(t) = signing_time {
        let d = std::time::Duration::from_secs(t.timestamp().max(0) as u64);
        let time = x509_cert::time::Time::try_from(std::time::UNIX_EPOCH + d)
            .map_err(|e| SignError::Internal(e.to_string()))?;
        attrs.push(attr(OID_SIGNING_TIME, Any::encode_from(&time)?)?);
    }
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(DigestAlg::Sha256.digest_parts(&[&key.cert_der]))?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(cert.tbs_certificate.issuer.clone())],
                serial_number: cert.tbs_certificate.serial_number.clone(),
            },
        }],
    };
    attrs.push(attr(OID_SIGNING_CERT_V2, Any::encode_from(&ess)?)?);
    let signed_attrs: SetOfVec<Attribute> = SetOfVec::try_from(attrs)?;
    let to_sign = signed_attrs.to_der()?;
    let signature = if dummy_signature {
        vec![0u8; key.kind.max_sig_len()]
    } else {
        key.sign_sha256(&DigestAlg::Sha256.digest_parts(&[&to_sign]))?
    };
    let unsigned_attrs = match (timestamp, dummy_signature) {
        (Some(tsa), false) => {
            let token = super::tsa::timestamp_token(tsa, &signature)?;
            Some(SetOfVec::try_from(vec![attr(OID_SIG_TIMESTAMP, Any::from_der(&token)?)?])?)
        }
        _ => None,
    };
    Ok(SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256_alg(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: signature_alg(key.kind),
        signature: OctetString::new(signature)?,
        unsigned_attrs,
    })
}

fn key_certificates(key: &LoadedKey) -> Vec<CertificateChoices> {
    let mut v = vec![CertificateChoices::Certificate(key.cert.clone())];
    for c in &key.chain {
        v.push(CertificateChoices::Certificate(c.clone()));
    }
    v
}

/// Builds the DER ContentInfo. With `dummy_signature` the key is not used: the signature is
/// zero-filled at its maximum length, which gives the exact size to reserve in the PDF.
pub(crate) fn build(key: &LoadedKey, req: &CmsRequest<'_>, dummy_signature: bool) -> Result<Vec<u8>, SignError> {
    let si = signer_info(key, &req.message_digest, true, req.signing_time, req.timestamp, dummy_signature)?;
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256_alg()])?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: OID_DATA,
            econtent: match req.econtent {
                Some(c) => Some(Any::new(Tag::OctetString, c.to_vec())?),
                None => None,
            },
        },
        certificates: Some(CertificateSet(SetOfVec::try_from(key_certificates(key))?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![si])?),
    };
    let ci = ContentInfo { content_type: OID_SIGNED_DATA, content: Any::encode_from(&sd)? };
    Ok(ci.to_der()?)
}

/// How a signature is added to an existing .p7m.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CadesAdd {
    /// Another signer of the same document (firma parallela).
    Parallel,
    /// A countersignature of the signer at this 1-based position (controfirma, as Dike does).
    Countersign(usize),
}

/// Adds a signer to an existing SignedData with the document inside, keeping the existing
/// signatures byte for byte valid (checked before returning).
pub(crate) fn add_signer(
    existing: &[u8],
    key: &LoadedKey,
    how: CadesAdd,
    signing_time: DateTime<Utc>,
    timestamp: Option<&super::tsa::TimestampAuthority>,
) -> Result<Vec<u8>, SignError> {
    let not_p7m = |d: String| SignError::InvalidSignature(d);
    let der = match asn1::read_tlv(existing).filter(|t| ContentInfo::from_der(t.raw).is_ok()) {
        Some(t) => t.raw.to_vec(),
        None => {
            asn1::ber_to_der(existing).map(|(d, _)| d).ok_or_else(|| not_p7m("struttura ASN.1 non valida".into()))?
        }
    };
    let before = parse(&der).map_err(not_p7m)?;
    let content = before.econtent.clone().ok_or_else(|| {
        not_p7m("la busta non contiene il documento (firma staccata): aggiungi la firma al documento originale".into())
    })?;
    let ci = ContentInfo::from_der(&der).map_err(|e| not_p7m(format!("ContentInfo: {e}")))?;
    let mut sd: SignedData = ci.content.decode_as().map_err(|e| not_p7m(format!("SignedData: {e}")))?;
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.iter().cloned().collect();
    match how {
        CadesAdd::Parallel => {
            let md = DigestAlg::Sha256.digest_parts(&[&content]);
            infos.push(signer_info(key, &md, true, Some(signing_time), timestamp, false)?);
        }
        CadesAdd::Countersign(n) => {
            let target = n
                .checked_sub(1)
                .and_then(|i| infos.get_mut(i))
                .ok_or_else(|| not_p7m(format!("la firma n. {n} da controfirmare non esiste")))?;
            let md = DigestAlg::Sha256.digest_parts(&[target.signature.as_bytes()]);
            let cs = signer_info(key, &md, false, Some(signing_time), timestamp, false)?;
            let mut unsigned: Vec<Attribute> =
                target.unsigned_attrs.as_ref().map(|u| u.iter().cloned().collect()).unwrap_or_default();
            unsigned.push(attr(OID_COUNTERSIGNATURE, Any::encode_from(&cs)?)?);
            target.unsigned_attrs = Some(SetOfVec::try_from(unsigned)?);
        }
    }
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos)?);
    let mut certs: Vec<CertificateChoices> =
        sd.certificates.as_ref().map(|c| c.0.iter().cloned().collect()).unwrap_or_default();
    for c in key_certificates(key) {
        if !certs.contains(&c) {
            certs.push(c);
        }
    }
    sd.certificates = Some(CertificateSet(SetOfVec::try_from(certs)?));
    let mut algs: Vec<AlgorithmIdentifierOwned> = sd.digest_algorithms.iter().cloned().collect();
    if !algs.iter().any(|a| a.oid == certs::OID_SHA256) {
        algs.push(sha256_alg());
    }
    sd.digest_algorithms = SetOfVec::try_from(algs)?;
    let out = ContentInfo { content_type: OID_SIGNED_DATA, content: Any::encode_from(&sd)? }.to_der()?;
    // The signatures already there must check exactly as before.
    let after = parse(&out).map_err(|e| SignError::Internal(format!("busta riletta: {e}")))?;
    for p in &before.signers {
        let was = check_signer(p, &[&content]);
        let now = after.signers.iter().find(|q| q.signature == p.signature).map(|q| check_signer(q, &[&content]));
        let same = now.is_some_and(|n| n.digest_ok == was.digest_ok && n.signature_ok == was.signature_ok);
        if !same {
            return Err(SignError::Internal(
                "aggiungere la firma altererebbe le firme già presenti nella busta: firma annullata".into(),
            ));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- parsing / verification

/// One SignerInfo, parsed, with everything needed to verify it.
#[derive(Debug)]
pub(crate) struct ParsedSigner {
    pub digest_alg: Option<DigestAlg>,
    pub digest_alg_oid: Oid,
    pub sig_alg: Oid,
    pub sig_alg_params: Option<Any>,
    pub signature: Vec<u8>,
    /// Signed attributes as the signature covers them (tag 0x31).
    pub signed_attrs_raw: Option<Vec<u8>>,
    pub message_digest: Option<Vec<u8>>,
    pub content_type_attr: Option<Oid>,
    pub signing_time: Option<DateTime<Utc>>,
    /// SHA-256 (or the stated hash) of the certificate, from signing-certificate-v2.
    pub signing_cert_v2: Option<(DigestAlg, Vec<u8>)>,
    pub has_signing_cert_v1: bool,
    pub timestamp_token: Option<Vec<u8>>,
    pub cert: Option<Certificate>,
    /// Countersignatures (unsigned attribute countersignature) of this signer.
    pub countersignatures: Vec<ParsedSigner>,
}

#[derive(Debug)]
pub(crate) struct ParsedCms {
    pub econtent_type: Oid,
    pub econtent: Option<Vec<u8>>,
    pub certs: Vec<Certificate>,
    pub signers: Vec<ParsedSigner>,
    /// Bytes taken by the DER ContentInfo (anything after it is not part of the signature).
    pub der_len: usize,
}

fn time_from_any(v: &Any) -> Option<DateTime<Utc>> {
    let t = x509_cert::time::Time::from_der(&v.to_der().ok()?).ok()?;
    Some(certs::to_chrono(&t))
}

/// Parses a DER ContentInfo(SignedData); trailing bytes (PDF zero padding) are ignored.
pub(crate) fn parse(data: &[u8]) -> Result<ParsedCms, String> {
    let direct = asn1::read_tlv(data).filter(|t| ContentInfo::from_der(t.raw).is_ok()).map(|t| t.raw.len());
    let (owned, used) = match direct {
        Some(n) => (None, n),
        None => {
            let (der, used) = asn1::ber_to_der(data).ok_or_else(|| "struttura ASN.1 non valida".to_string())?;
            (Some(der), used)
        }
    };
    let mut der_bytes: Vec<u8> = owned.unwrap_or_else(|| data[..used].to_vec());
    let mut ci = ContentInfo::from_der(&der_bytes).map_err(|e| format!("ContentInfo: {e}"))?;
    if ci.content_type != OID_SIGNED_DATA {
        return Err(format!("il contenuto non è una SignedData ({})", ci.content_type));
    }
    let sd: SignedData = match ci.content.decode_as() {
        Ok(sd) => sd,
        Err(first) => {
            // Duplicate certificates in a SET (seen from NSS): retry without them.
            let fixed = asn1::dedupe_signed_data_sets(&der_bytes).ok_or_else(|| format!("SignedData: {first}"))?;
            ci = ContentInfo::from_der(&fixed).map_err(|e| format!("ContentInfo: {e}"))?;
            let sd = ci.content.decode_as().map_err(|_| format!("SignedData: {first}"))?;
            der_bytes = fixed;
            sd
        }
    };
    let der_bytes: &[u8] = &der_bytes;
    let raw_attrs = asn1::signed_attrs_for_signing(der_bytes).unwrap_or_default();
    let certs: Vec<Certificate> = sd
        .certificates
        .as_ref()
        .map(|cs| {
            cs.0.iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let econtent = match &sd.encap_content_info.econtent {
        Some(any) => {
            let os: OctetString = any.decode_as().map_err(|e| format!("eContent: {e}"))?;
            Some(os.into_bytes())
        }
        None => None,
    };
    let signers = sd
        .signer_infos
        .0
        .iter()
        .enumerate()
        .map(|(i, si)| parsed_signer(si, raw_attrs.get(i).cloned().flatten(), &certs, 0))
        .collect();
    Ok(ParsedCms { econtent_type: sd.encap_content_info.econtent_type, econtent, certs, signers, der_len: used })
}

/// One SignerInfo as [`ParsedSigner`]; `raw_attrs` are the signed attributes as they are in the
/// file (re-encoded when not given, e.g. for countersignatures).
fn parsed_signer(si: &SignerInfo, raw_attrs: Option<Vec<u8>>, certs: &[Certificate], depth: usize) -> ParsedSigner {
    let raw_attrs = raw_attrs.or_else(|| si.signed_attrs.as_ref().and_then(|a| a.to_der().ok()));
    let mut p = ParsedSigner {
        digest_alg: DigestAlg::from_oid(&si.digest_alg.oid),
        digest_alg_oid: si.digest_alg.oid,
        sig_alg: si.signature_algorithm.oid,
        sig_alg_params: si.signature_algorithm.parameters.clone(),
        signature: si.signature.as_bytes().to_vec(),
        signed_attrs_raw: raw_attrs,
        message_digest: None,
        content_type_attr: None,
        signing_time: None,
        signing_cert_v2: None,
        has_signing_cert_v1: false,
        timestamp_token: None,
        cert: None,
        countersignatures: Vec::new(),
    };
    if let Some(attrs) = &si.signed_attrs {
        for a in attrs.iter() {
            let Some(v) = a.values.iter().next() else { continue };
            match a.oid {
                OID_MESSAGE_DIGEST => p.message_digest = v.decode_as::<OctetString>().ok().map(|o| o.into_bytes()),
                OID_CONTENT_TYPE => p.content_type_attr = v.decode_as::<Oid>().ok(),
                OID_SIGNING_TIME => p.signing_time = time_from_any(v),
                OID_SIGNING_CERT => p.has_signing_cert_v1 = true,
                OID_SIGNING_CERT_V2 => p.signing_cert_v2 = parse_signing_cert_v2(v),
                _ => {}
            }
        }
    }
    if let Some(attrs) = &si.unsigned_attrs {
        for a in attrs.iter() {
            if a.oid == OID_SIG_TIMESTAMP {
                p.timestamp_token = a.values.iter().next().and_then(|v| v.to_der().ok());
            }
            if a.oid == OID_COUNTERSIGNATURE && depth < 4 {
                for v in a.values.iter() {
                    if let Ok(cs) = v.decode_as::<SignerInfo>() {
                        p.countersignatures.push(parsed_signer(&cs, None, certs, depth + 1));
                    }
                }
            }
        }
    }
    p.cert = find_signer_cert(&si.sid, certs);
    p
}

/// ESSCertIDv2 may carry an explicit hash algorithm, so it is walked by hand.
fn parse_signing_cert_v2(v: &Any) -> Option<(DigestAlg, Vec<u8>)> {
    let der = v.to_der().ok()?;
    let outer = asn1::read_tlv(&der)?; // SigningCertificateV2
    let certs_seq = asn1::children(outer.content)?.into_iter().next()?;
    let first = asn1::children(certs_seq.content)?.into_iter().next()?; // ESSCertIDv2
    let kids = asn1::children(first.content)?;
    let (alg, hash) = match kids.first()?.tag {
        0x30 => {
            let alg_id = AlgorithmIdentifierOwned::from_der(kids[0].raw).ok()?;
            (DigestAlg::from_oid(&alg_id.oid)?, kids.get(1)?)
        }
        _ => (DigestAlg::Sha256, kids.first()?),
    };
    if hash.tag != 0x04 {
        return None;
    }
    Some((alg, hash.content.to_vec()))
}

fn find_signer_cert(sid: &SignerIdentifier, certs: &[Certificate]) -> Option<Certificate> {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => certs
            .iter()
            .find(|c| c.tbs_certificate.issuer == ias.issuer && c.tbs_certificate.serial_number == ias.serial_number)
            .cloned(),
        SignerIdentifier::SubjectKeyIdentifier(ski) => certs
            .iter()
            .find(|c| {
                c.tbs_certificate.extensions.as_ref().is_some_and(|exts| {
                    exts.iter().any(|e| {
                        e.extn_id == OID_SKI
                            && OctetString::from_der(e.extn_value.as_bytes())
                                .is_ok_and(|o| o.as_bytes() == ski.0.as_bytes())
                    })
                })
            })
            .cloned(),
    }
}

/// The cryptographic checks of one signer over content given as byte slices.
#[derive(Debug, Clone)]
pub(crate) struct SignerCheck {
    pub digest_ok: bool,
    pub signature_ok: bool,
    pub signing_cert_ok: Option<bool>,
    pub problems: Vec<String>,
}

pub(crate) fn check_signer(p: &ParsedSigner, content: &[&[u8]]) -> SignerCheck {
    let mut problems = Vec::new();
    let Some(alg) = p.digest_alg else {
        return SignerCheck {
            digest_ok: false,
            signature_ok: false,
            signing_cert_ok: None,
            problems: vec![format!("algoritmo di hash non supportato ({})", p.digest_alg_oid)],
        };
    };
    if alg == DigestAlg::Sha1 {
        problems.push("la firma usa l'algoritmo SHA-1, non più ammesso per le firme qualificate".into());
    }
    let content_digest = alg.digest_parts(content);
    let Some(cert) = &p.cert else {
        return SignerCheck {
            digest_ok: false,
            signature_ok: false,
            signing_cert_ok: None,
            problems: vec!["il certificato del firmatario non è incluso nella firma".into()],
        };
    };
    let (digest_ok, signed) = match &p.signed_attrs_raw {
        Some(raw) => {
            let ok = p.message_digest.as_deref() == Some(content_digest.as_slice());
            if !ok {
                problems.push(
                    "l'impronta del documento non corrisponde: il contenuto è stato modificato dopo la firma".into(),
                );
            }
            (ok, alg.digest_parts(&[raw]))
        }
        None => (true, content_digest.clone()),
    };
    let signature_ok =
        match certs::verify_digest(cert, &p.sig_alg, p.sig_alg_params.as_ref(), alg, &signed, &p.signature) {
            Ok(()) => true,
            Err(e) => {
                problems.push(format!("la firma crittografica non è valida ({e})"));
                false
            }
        };
    let signing_cert_ok = p.signing_cert_v2.as_ref().map(|(a, h)| {
        let der = cert.to_der().unwrap_or_default();
        a.digest_parts(&[&der]) == *h
    });
    if signing_cert_ok == Some(false) {
        problems.push("l'attributo signing-certificate-v2 non corrisponde al certificato del firmatario".into());
    }
    SignerCheck { digest_ok, signature_ok, signing_cert_ok, problems }
}

/// genTime of an RFC 3161 timestamp token (not cryptographically checked here).
pub(crate) fn timestamp_time(token: &[u8]) -> Option<DateTime<Utc>> {
    let parsed = parse(token).ok()?;
    let tst = parsed.econtent?;
    let seq = asn1::read_tlv(&tst)?;
    let kids = asn1::children(seq.content)?;
    let gt = kids.iter().find(|k| k.tag == 0x18)?;
    let s = std::str::from_utf8(gt.content).ok()?;
    let base = s.get(0..14)?;
    let naive = chrono::NaiveDateTime::parse_from_str(base, "%Y%m%d%H%M%S").ok()?;
    Some(DateTime::<Utc>::from_naive_utc_and_offset(naive, Utc))
}

/// Nonce of an RFC 3161 token (INTEGER contents), when the TSA echoed one.
pub(crate) fn timestamp_nonce(token: &[u8]) -> Option<Vec<u8>> {
    let parsed = parse(token).ok()?;
    let tst = parsed.econtent?;
    let seq = asn1::read_tlv(&tst)?;
    let kids = asn1::children(seq.content)?;
    let gen_time = kids.iter().position(|k| k.tag == 0x18)?;
    kids[gen_time + 1..].iter().find(|k| k.tag == 0x02).map(|k| k.content.to_vec())
}

/// Result of checking an RFC 3161 signature timestamp token.
#[derive(Debug, Clone)]
pub(crate) struct TimestampCheck {
    pub time: Option<DateTime<Utc>>,
    /// Token intact, signed by its TSA, and its imprint matches the signature value.
    pub valid: bool,
    pub tsa: Option<Certificate>,
    pub tsa_pool: Vec<Certificate>,
    pub problem: Option<String>,
}

/// Checks an RFC 3161 token whose imprint covers `stamped` (the signature value for CAdES-T /
/// PAdES B-T, the byte ranges for a PDF document timestamp).
pub(crate) fn check_timestamp(token: &[u8], stamped: &[&[u8]]) -> TimestampCheck {
    let mut out =
        TimestampCheck { time: timestamp_time(token), valid: false, tsa: None, tsa_pool: Vec::new(), problem: None };
    let parsed = match parse(token) {
        Ok(p) => p,
        Err(e) => {
            out.problem = Some(format!("marca temporale illeggibile: {e}"));
            return out;
        }
    };
    let (Some(tst), Some(signer)) = (parsed.econtent.as_deref(), parsed.signers.first()) else {
        out.problem = Some("marca temporale senza contenuto o senza firmatario".into());
        return out;
    };
    out.tsa = signer.cert.clone();
    out.tsa_pool = parsed.certs.clone();
    let check = check_signer(signer, &[tst]);
    if !(check.digest_ok && check.signature_ok) {
        out.problem = Some("la firma della marca temporale non è valida".into());
        return out;
    }
    // messageImprint = SEQUENCE { AlgorithmIdentifier, OCTET STRING }
    let imprint_ok = (|| {
        let seq = asn1::read_tlv(tst)?;
        let kids = asn1::children(seq.content)?;
        let mi = kids.get(2)?;
        let mk = asn1::children(mi.content)?;
        let alg = AlgorithmIdentifierOwned::from_der(mk.first()?.raw).ok()?;
        let alg = DigestAlg::from_oid(&alg.oid)?;
        let hashed = mk.get(1)?;
        Some(alg.digest_parts(stamped) == hashed.content)
    })();
    match imprint_ok {
        Some(true) => out.valid = true,
        Some(false) => out.problem = Some("la marca temporale non si riferisce a questa firma".into()),
        None => out.problem = Some("marca temporale malformata".into()),
    }
    out
}
