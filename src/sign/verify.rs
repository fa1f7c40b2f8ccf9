//! Verification of signed PDFs (PAdES / adbe.pkcs7.detached) and CAdES .p7m files, into a plain,
//! serialisable report with Italian messages.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::asn1;
use super::certs::{CertSummary, TrustStore};
use super::cmsx::{self, ParsedCms};
use super::error::SignError;
use super::pdf::{self, LaterChanges};

/// Kind of signed file.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SignedFileKind {
    /// A PDF with signatures inside (PAdES or adbe.pkcs7.detached).
    Pdf,
    /// A CAdES / PKCS#7 envelope (.p7m) holding the signed document.
    P7m,
}

/// What happened to the file after a signature was made.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChangesAfterSigning {
    /// The signature covers the whole file.
    None,
    /// Later incremental updates only add further signatures (e.g. a second signer).
    SignaturesOnly,
    /// Other changes were made after signing (content, annotations, appended data).
    Modified,
}

/// Result for one signature.
#[derive(Clone, Debug, Serialize)]
pub struct SignatureReport {
    /// 1-based position in the file (signing order for PDFs).
    pub index: usize,
    pub field_name: Option<String>,
    /// /SubFilter for PDF (e.g. "ETSI.CAdES.detached"); "CAdES" for .p7m.
    pub sub_filter: Option<String>,
    pub signer: Option<CertSummary>,
    /// Digest and signature both check out: the signed bytes are exactly those signed.
    pub intact: bool,
    pub digest_matches: bool,
    pub signature_matches: bool,
    /// PDF only: the byte range reaches the end of the file.
    pub covers_whole_file: bool,
    pub changes_after_signing: ChangesAfterSigning,
    pub change_details: Vec<String>,
    /// Time used for the checks: timestamp if any, else the claimed time.
    pub signing_time: Option<DateTime<Utc>>,
    /// "marca temporale", "/M del PDF", "attributo signingTime".
    pub signing_time_source: Option<String>,
    pub timestamp_time: Option<DateTime<Utc>>,
    /// RFC 3161 signature timestamp: present and valid (intact, matching, trusted TSA).
    pub timestamp_valid: Option<bool>,
    pub cert_valid_at_signing_time: Option<bool>,
    pub non_repudiation: bool,
    /// ESS signing-certificate-v2 present and matching (None = absent).
    pub signing_certificate_v2: Option<bool>,
    pub trusted: bool,
    /// Subjects from the signer to the trusted CA.
    pub trust_chain: Vec<String>,
    pub digest_algorithm: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    pub valid: bool,
    /// Italian, blocking.
    pub problems: Vec<String>,
    /// Italian, informative.
    pub warnings: Vec<String>,
}

/// Result for a whole file.
#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    pub kind: SignedFileKind,
    /// Every signature valid, trusted, and nothing unsigned after the last one.
    pub valid: bool,
    /// One Italian sentence for the user.
    pub summary: String,
    pub signatures: Vec<SignatureReport>,
    /// Bytes after the last signature that no signature covers.
    pub unsigned_data_after_last_signature: bool,
    /// File-level problems (Italian).
    pub problems: Vec<String>,
    /// .p7m: size of the enveloped document and whether it is a PDF.
    pub content_size: Option<u64>,
    pub content_is_pdf: Option<bool>,
    /// Revocation (CRL/OCSP) is not checked: the app works offline.
    pub revocation_checked: bool,
}

impl VerifyReport {
    fn finish(mut self) -> VerifyReport {
        let all_ok = !self.signatures.is_empty() && self.signatures.iter().all(|s| s.valid);
        self.valid = all_ok && !self.unsigned_data_after_last_signature && self.problems.is_empty();
        let n = self.signatures.len();
        let who: Vec<String> =
            self.signatures.iter().filter_map(|s| s.signer.as_ref().map(|c| c.display_name())).collect();
        self.summary = if n == 0 {
            "Il file non contiene firme digitali.".to_string()
        } else if self.valid {
            if n == 1 {
                format!("Firma valida di {}: il documento è integro.", who.join(", "))
            } else {
                format!("{n} firme valide ({}): il documento è integro.", who.join(", "))
            }
        } else if self.signatures.iter().any(|s| !s.intact) {
            "Firma NON valida: il documento è stato alterato dopo la firma o la firma è danneggiata.".to_string()
        } else if self.unsigned_data_after_last_signature
            || self.signatures.iter().any(|s| s.changes_after_signing == ChangesAfterSigning::Modified)
        {
            "Firma integra, ma il documento è stato modificato dopo la firma.".to_string()
        } else if self.signatures.iter().any(|s| !s.trusted) {
            "Firma integra, ma il certificato del firmatario non è emesso da un'autorità attendibile importata."
                .to_string()
        } else {
            "Firma NON valida: vedi i problemi indicati.".to_string()
        };
        self
    }
}

fn base_report(kind: SignedFileKind) -> VerifyReport {
    VerifyReport {
        kind,
        valid: false,
        summary: String::new(),
        signatures: Vec::new(),
        unsigned_data_after_last_signature: false,
        problems: Vec::new(),
        content_size: None,
        content_is_pdf: None,
        revocation_checked: false,
    }
}

/// Checks one parsed signer: crypto, certificate at signing time, key usage, trust.
fn signer_report(
    index: usize,
    cms: &ParsedCms,
    signer_idx: usize,
    content: &[&[u8]],
    claimed_time: Option<(DateTime<Utc>, &str)>,
    trust: &TrustStore,
) -> SignatureReport {
    let p = &cms.signers[signer_idx];
    let check = cmsx::check_signer(p, content);
    let mut problems = check.problems.clone();
    let mut warnings = Vec::new();
    let signer = p.cert.as_ref().map(CertSummary::of);
    let ts = p.timestamp_token.as_deref().map(|t| cmsx::check_timestamp(t, &[&p.signature]));
    let mut ts_trusted = None;
    if let Some(tc) = &ts {
        if let Some(problem) = &tc.problem {
            problems.push(problem.clone());
        }
        if let (true, Some(tsa), Some(t)) = (tc.valid, &tc.tsa, tc.time) {
            match trust.chain_to_anchor(tsa, &tc.tsa_pool, &t) {
                Ok(_) => ts_trusted = Some(true),
                Err(e) => {
                    ts_trusted = Some(false);
                    warnings.push(format!("marca temporale di un'autorità non attendibile: {e}"));
                }
            }
        }
    }
    let ts_time = ts.as_ref().filter(|t| t.valid && ts_trusted == Some(true)).and_then(|t| t.time);
    let (signing_time, source) = match (ts_time, claimed_time, p.signing_time) {
        (Some(t), _, _) => (Some(t), Some("marca temporale".to_string())),
        (None, Some((t, src)), _) => (Some(t), Some(src.to_string())),
        (None, None, Some(t)) => (Some(t), Some("attributo signingTime".to_string())),
        _ => (None, None),
    };
    let check_time = signing_time.unwrap_or_else(Utc::now);
    if signing_time.is_none() {
        warnings.push("la firma non indica l'ora: il certificato è controllato alla data di oggi".into());
    }
    let cert_valid = signer.as_ref().map(|s| s.valid_at(&check_time));
    if let (Some(false), Some(s)) = (cert_valid, &signer) {
        problems.push(format!(
            "il certificato non era valido al momento della firma (validità dal {} al {})",
            super::certs::it_date(&s.not_before),
            super::certs::it_date(&s.not_after)
        ));
    }
    if let Some(s) = &signer {
        if s.has_key_usage && !s.non_repudiation && !s.digital_signature {
            problems.push("il certificato non è abilitato alla firma (key usage)".into());
        } else if !s.non_repudiation {
            warnings.push("il certificato non ha l'uso «non ripudio» dei certificati di firma qualificata".into());
        }
        if s.codice_fiscale.is_none() {
            warnings.push("il certificato non riporta un codice fiscale (TINIT-)".into());
        }
    }
    if p.signing_cert_v2.is_none() && !p.has_signing_cert_v1 {
        warnings.push("manca l'attributo signing-certificate (richiesto da CAdES/PAdES)".into());
    }
    let (trusted, chain) = match &p.cert {
        Some(c) => match trust.chain_to_anchor(c, &cms.certs, &check_time) {
            Ok(chain) => (true, chain),
            Err(e) => {
                problems.push(format!("certificato non attendibile: {e}"));
                (false, Vec::new())
            }
        },
        None => (false, Vec::new()),
    };
    let intact = check.digest_ok && check.signature_ok && p.cert.is_some();
    SignatureReport {
        index,
        field_name: None,
        sub_filter: None,
        signer,
        intact,
        digest_matches: check.digest_ok,
        signature_matches: check.signature_ok,
        covers_whole_file: true,
        changes_after_signing: ChangesAfterSigning::None,
        change_details: Vec::new(),
        signing_time,
        signing_time_source: source,
        timestamp_time: ts_time,
        timestamp_valid: ts.as_ref().map(|t| t.valid && ts_trusted == Some(true)),
        cert_valid_at_signing_time: cert_valid,
        non_repudiation: p.cert.as_ref().is_some_and(|c| CertSummary::of(c).non_repudiation),
        signing_certificate_v2: check.signing_cert_ok,
        trusted,
        trust_chain: chain,
        digest_algorithm: p.digest_alg.map(|a| a.name().to_string()),
        reason: None,
        location: None,
        valid: false,
        problems,
        warnings,
    }
}

fn finish_sig(mut r: SignatureReport) -> SignatureReport {
    r.valid = r.intact
        && r.trusted
        && r.cert_valid_at_signing_time == Some(true)
        && r.changes_after_signing != ChangesAfterSigning::Modified
        && r.problems.is_empty();
    r
}

/// Verifies a signed file: a PDF with signatures or a .p7m (DER or base64).
pub fn verify(data: &[u8], trust: &TrustStore) -> Result<VerifyReport, SignError> {
    let head = &data[..data.len().min(1024)];
    if data.first() != Some(&0x30) && head.windows(5).any(|w| w == b"%PDF-") {
        return verify_pdf(data, trust);
    }
    verify_p7m(data, trust)
}

/// Verifies the signatures inside a PDF.
pub fn verify_pdf(data: &[u8], trust: &TrustStore) -> Result<VerifyReport, SignError> {
    let (sigs, doc) = pdf::find_signatures(data)?;
    let mut report = base_report(SignedFileKind::Pdf);
    if doc.is_none() {
        report.problems.push("la struttura del PDF è danneggiata".into());
    }
    let last_end = sigs.iter().map(|s| s.signed_end()).max().unwrap_or(0);
    for (i, s) in sigs.iter().enumerate() {
        let [_, a, b, c] = s.byte_range;
        let content: [&[u8]; 2] = [&data[..a], &data[b..b + c]];
        let cms = match cmsx::parse(&s.contents) {
            Ok(c) if !c.signers.is_empty() => c,
            Ok(_) | Err(_) => {
                let detail = cmsx::parse(&s.contents).err().unwrap_or_else(|| "nessun firmatario".into());
                report.signatures.push(SignatureReport {
                    index: i + 1,
                    field_name: s.field_name.clone(),
                    sub_filter: s.sub_filter.clone(),
                    signer: None,
                    intact: false,
                    digest_matches: false,
                    signature_matches: false,
                    covers_whole_file: s.signed_end() >= data.len(),
                    changes_after_signing: ChangesAfterSigning::None,
                    change_details: Vec::new(),
                    signing_time: s.m_time,
                    signing_time_source: s.m_time.map(|_| "/M del PDF".into()),
                    timestamp_time: None,
                    timestamp_valid: None,
                    cert_valid_at_signing_time: None,
                    non_repudiation: false,
                    signing_certificate_v2: None,
                    trusted: false,
                    trust_chain: Vec::new(),
                    digest_algorithm: None,
                    reason: s.reason.clone(),
                    location: s.location.clone(),
                    valid: false,
                    problems: vec![format!("la firma non è leggibile: {detail}")],
                    warnings: Vec::new(),
                });
                continue;
            }
        };
        let claimed = s.m_time.map(|t| (t, "/M del PDF"));
        let is_doc_ts = s.is_doc_timestamp || s.sub_filter.as_deref() == Some("ETSI.RFC3161");
        let mut r = if is_doc_ts {
            // Document timestamp: the CMS signs the TSTInfo, whose imprint covers the byte ranges.
            let tst = cms.econtent.clone().unwrap_or_default();
            let mut r = signer_report(i + 1, &cms, 0, &[&tst], None, trust);
            let tc = cmsx::check_timestamp(&s.contents[..cms.der_len.min(s.contents.len())], &content);
            r.digest_matches = r.digest_matches && tc.valid;
            r.intact = r.intact && tc.valid;
            if let Some(p) = tc.problem {
                r.problems.push(p);
            }
            if let Some(t) = tc.time {
                r.signing_time = Some(t);
                r.signing_time_source = Some("marca temporale del documento".into());
                r.timestamp_time = Some(t);
                r.cert_valid_at_signing_time = r.signer.as_ref().map(|c| c.valid_at(&t));
            }
            r.warnings.push("marca temporale del documento (DocTimeStamp), non una firma personale".into());
            r.warnings.retain(|w| {
                !w.contains("non ripudio") && !w.contains("codice fiscale") && !w.contains("signing-certificate")
            });
            r
        } else {
            signer_report(i + 1, &cms, 0, &content, claimed, trust)
        };
        r.field_name = s.field_name.clone();
        r.sub_filter = s.sub_filter.clone();
        r.reason = s.reason.clone();
        r.location = s.location.clone();
        if let Some(sf) = &s.sub_filter {
            if sf != "ETSI.CAdES.detached" && sf != "adbe.pkcs7.detached" && sf != "ETSI.RFC3161" {
                r.problems.push(format!("formato di firma PDF non supportato ({sf})"));
            }
        }
        r.covers_whole_file =
            s.signed_end() >= data.len() || data[s.signed_end()..].iter().all(|c| c.is_ascii_whitespace());
        match pdf::later_changes(data, s.signed_end(), doc.as_ref()) {
            LaterChanges::None => {}
            LaterChanges::SignaturesOnly => {
                r.changes_after_signing = ChangesAfterSigning::SignaturesOnly;
                r.warnings.push("dopo questa firma sono state aggiunte solo altre firme o dati di validazione".into());
            }
            LaterChanges::Other(details) => {
                r.changes_after_signing = ChangesAfterSigning::Modified;
                r.problems.push("il documento è stato modificato dopo questa firma".into());
                r.change_details = details;
            }
        }
        report.signatures.push(finish_sig(r));
    }
    if !sigs.is_empty() {
        match pdf::later_changes(data, last_end, doc.as_ref()) {
            LaterChanges::None | LaterChanges::SignaturesOnly => {}
            LaterChanges::Other(details) => {
                report.unsigned_data_after_last_signature = true;
                report.problems.push(format!(
                    "il file contiene {} byte aggiunti dopo l'ultima firma e non firmati ({})",
                    data.len() - last_end,
                    details.join("; ")
                ));
            }
        }
    }
    Ok(report.finish())
}

/// Decodes a .p7m that may be DER or base64/PEM.
fn p7m_der(data: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, SignError> {
    let trimmed_start = data.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(0);
    if data.get(trimmed_start) == Some(&0x30) {
        return Ok(std::borrow::Cow::Borrowed(&data[trimmed_start..]));
    }
    match asn1::base64_decode_lenient(data) {
        Some(d) if d.first() == Some(&0x30) => Ok(std::borrow::Cow::Owned(d)),
        _ => Err(SignError::UnknownFormat),
    }
}

/// Verifies a CAdES / PKCS#7 .p7m with the document inside.
pub fn verify_p7m(data: &[u8], trust: &TrustStore) -> Result<VerifyReport, SignError> {
    let der = p7m_der(data)?;
    let cms = cmsx::parse(&der).map_err(SignError::InvalidSignature)?;
    let mut report = base_report(SignedFileKind::P7m);
    let Some(content) = cms.econtent.as_deref() else {
        report.problems.push(
            "firma «staccata» (detached): il documento firmato non è contenuto nel file, verificala insieme al documento".into(),
        );
        return Ok(report.finish());
    };
    report.content_size = Some(content.len() as u64);
    report.content_is_pdf = Some(content.starts_with(b"%PDF-"));
    if cms.der_len < der.len() && !der[cms.der_len..].iter().all(|c| *c == 0 || c.is_ascii_whitespace()) {
        report.unsigned_data_after_last_signature = true;
        report
            .problems
            .push(format!("il file contiene {} byte aggiunti dopo la busta firmata", der.len() - cms.der_len));
    }
    if cms.econtent_type != cmsx::OID_DATA {
        report.problems.push(format!("tipo di contenuto inatteso ({})", cms.econtent_type));
    }
    for i in 0..cms.signers.len() {
        let mut r = signer_report(i + 1, &cms, i, &[content], None, trust);
        r.sub_filter = Some("CAdES".into());
        if cms.signers.len() > 1 {
            r.warnings.push(format!("firma parallela {} di {}", i + 1, cms.signers.len()));
        }
        if let Some(ct) = cms.signers[i].content_type_attr {
            if ct != cms.econtent_type {
                r.problems.push("l'attributo content-type non corrisponde al contenuto".into());
            }
        }
        report.signatures.push(finish_sig(r));
    }
    // "Matrioska" .p7m.p7m: a signed envelope inside another one; verify the inner ones too.
    let mut inner_content = content.to_vec();
    for depth in 0..4 {
        if inner_content.first() != Some(&0x30) {
            break;
        }
        let Ok(inner) = cmsx::parse(&inner_content) else { break };
        let Some(inner_doc) = inner.econtent.clone() else { break };
        for i in 0..inner.signers.len() {
            let n = report.signatures.len() + 1;
            let mut r = signer_report(n, &inner, i, &[&inner_doc], None, trust);
            r.sub_filter = Some("CAdES".into());
            r.warnings.push(format!("firma della busta interna (livello {})", depth + 2));
            report.signatures.push(finish_sig(r));
        }
        inner_content = inner_doc;
    }
    report.content_size = Some(inner_content.len() as u64);
    report.content_is_pdf = Some(inner_content.starts_with(b"%PDF-"));
    Ok(report.finish())
}

/// The document enveloped in a .p7m (also nested .p7m.p7m), e.g. to open the signed PDF.
/// Does not verify anything.
pub fn extract_p7m_content(data: &[u8]) -> Result<Vec<u8>, SignError> {
    let der = p7m_der(data)?;
    let cms = cmsx::parse(&der).map_err(SignError::InvalidSignature)?;
    let mut content = cms
        .econtent
        .ok_or_else(|| SignError::InvalidSignature("la firma è staccata: il documento non è nel file".into()))?;
    for _ in 0..4 {
        match (content.first(), cmsx::parse(&content)) {
            (Some(0x30), Ok(inner)) if inner.econtent.is_some() => content = inner.econtent.unwrap_or_default(),
            _ => break,
        }
    }
    Ok(content)
}
