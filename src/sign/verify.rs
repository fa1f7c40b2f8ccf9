//! Verification of signed PDFs (PAdES / adbe.pkcs7.detached) and CAdES .p7m files, into a plain,
//! serialisable report with Italian messages.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::asn1;
use super::certs::{CertSummary, TrustStore};
use super::changes::{self, LaterChanges};
use super::cmsx;
use super::error::SignError;
use super::pdf;

/// Kind of signed file.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SignedFileKind {
    /// A PDF with signatures inside (PAdES or adbe.pkcs7.detached).
    Pdf,
    /// A CAdES / PKCS#7 envelope (.p7m) holding the signed document.
    P7m,
    /// A detached CAdES signature (.p7s) verified together with its document.
    P7s,
    /// A signed file with a timestamp around it: RFC 5544 TimeStampedData (.tsd) or the
    /// MIME envelope of the Italian desktop tools (.m7m).
    Timestamped,
}

/// The one verdict of a signature or of a whole file, the same in the app, the CLI and JSON.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Intact, unchanged after signing, certificate valid at a trusted time and trusted.
    Valid,
    /// Intact and unchanged, but the signer's certificate does not lead to a trusted CA.
    IntactUntrusted,
    /// Altered, damaged, modified after signing, certificate not valid, or no signature.
    Invalid,
}

impl Verdict {
    /// Italian label.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Valid => "firma valida",
            Verdict::IntactUntrusted => "firma integra ma non attendibile",
            Verdict::Invalid => "firma NON valida",
        }
    }
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
    /// Verdict of this signature.
    pub verdict: Verdict,
    /// The signature is structurally damaged (bad /ByteRange, unreadable CMS, ...).
    pub damaged: bool,
    /// Trusted time at which the certificate is checked: a verified signature timestamp
    /// (RFC 3161) when present, otherwise the time of verification.
    pub signing_time: Option<DateTime<Utc>>,
    /// "marca temporale" or "ora della verifica".
    pub signing_time_source: Option<String>,
    /// Time the signer claims (/M of the PDF or the signingTime attribute): shown, never trusted.
    pub claimed_time: Option<DateTime<Utc>>,
    /// "dichiarata nel PDF (/M)" or "dichiarata dal firmatario (signingTime)".
    pub claimed_time_source: Option<String>,
    /// Why the signer's certificate is not trusted (chain not leading to an imported CA).
    pub trust_problem: Option<String>,
    pub timestamp_time: Option<DateTime<Utc>>,
    /// RFC 3161 signature timestamp: present and valid (intact, matching, trusted TSA).
    pub timestamp_valid: Option<bool>,
    pub cert_valid_at_signing_time: Option<bool>,
    pub non_repudiation: bool,
    /// ESS signing-certificate-v2 present and matching (None = absent).
    pub signing_certificate_v2: Option<bool>,
    pub trusted: bool,
    /// Trust service provider of the CA, when trusted through an imported trusted list.
    pub provider: Option<String>,
    /// Qualified certificate: its CA is a qualified CA (CA/QC) in force in an imported trusted
    /// list and the certificate declares QcCompliance. `None` when no list says.
    pub qualified: Option<bool>,
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
    /// Verdict of the whole file: the worst of its signatures and of the file checks.
    pub verdict: Verdict,
    /// The verdict in Italian, e.g. "firma valida".
    pub verdict_text: String,
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
    /// .tsd / .m7m: time of the timestamp around the signed file, when valid and trusted.
    pub file_timestamp: Option<DateTime<Utc>>,
}

impl VerifyReport {
    fn finish(mut self) -> VerifyReport {
        let worst = self.signatures.iter().map(|s| s.verdict).max().unwrap_or(Verdict::Invalid);
        self.verdict =
            if self.signatures.is_empty() || !self.problems.is_empty() || self.unsigned_data_after_last_signature {
                Verdict::Invalid
            } else {
                worst
            };
        self.valid = self.verdict == Verdict::Valid;
        self.verdict_text = self.verdict.label().to_string();
        let n = self.signatures.len();
        let who: Vec<String> =
            self.signatures.iter().filter_map(|s| s.signer.as_ref().map(|c| c.display_name())).collect();
        let who = if who.is_empty() { "firmatario sconosciuto".to_string() } else { who.join(", ") };
        let first_reason = |v: &VerifyReport| -> String {
            v.problems
                .first()
                .cloned()
                .or_else(|| {
                    v.signatures
                        .iter()
                        .filter(|s| s.verdict == Verdict::Invalid)
                        .find_map(|s| s.problems.first().cloned())
                })
                .unwrap_or_default()
        };
        self.summary = match self.verdict {
            _ if n == 0 => "Firma NON valida: il file non contiene firme digitali.".to_string(),
            Verdict::Valid if n == 1 => format!("Firma valida di {who}: il documento è integro."),
            Verdict::Valid => format!("{n} firme valide ({who}): il documento è integro."),
            Verdict::IntactUntrusted => format!(
                "Firma integra ma non attendibile ({who}): il documento non è stato modificato, ma il certificato non porta a un'autorità di certificazione attendibile importata."
            ),
            Verdict::Invalid => {
                let modified = self.unsigned_data_after_last_signature
                    || self.signatures.iter().any(|s| s.changes_after_signing == ChangesAfterSigning::Modified);
                let why = first_reason(&self);
                if self.signatures.iter().any(|s| s.damaged) {
                    format!("Firma NON valida: firma danneggiata ({why}).")
                } else if modified {
                    format!("Firma NON valida: documento modificato dopo la firma ({why}).")
                } else {
                    format!("Firma NON valida: {why}.")
                }
            }
        };
        self
    }
}

fn base_report(kind: SignedFileKind) -> VerifyReport {
    VerifyReport {
        kind,
        verdict: Verdict::Invalid,
        verdict_text: String::new(),
        valid: false,
        summary: String::new(),
        signatures: Vec::new(),
        unsigned_data_after_last_signature: false,
        problems: Vec::new(),
        content_size: None,
        content_is_pdf: None,
        revocation_checked: false,
        file_timestamp: None,
    }
}

fn empty_sig(index: usize) -> SignatureReport {
    SignatureReport {
        index,
        field_name: None,
        sub_filter: None,
        signer: None,
        intact: false,
        digest_matches: false,
        signature_matches: false,
        covers_whole_file: false,
        changes_after_signing: ChangesAfterSigning::None,
        change_details: Vec::new(),
        verdict: Verdict::Invalid,
        damaged: false,
        signing_time: None,
        signing_time_source: None,
        claimed_time: None,
        claimed_time_source: None,
        trust_problem: None,
        timestamp_time: None,
        timestamp_valid: None,
        cert_valid_at_signing_time: None,
        non_repudiation: false,
        signing_certificate_v2: None,
        trusted: false,
        provider: None,
        qualified: None,
        trust_chain: Vec::new(),
        digest_algorithm: None,
        reason: None,
        location: None,
        valid: false,
        problems: Vec::new(),
        warnings: Vec::new(),
    }
}

/// Checks one parsed signer: crypto, certificate at a trusted time, key usage, trust.
/// `claimed` is the time the PDF claims (/M); the signingTime attribute is used otherwise.
/// `now` is the time of verification.
fn signer_report(
    index: usize,
    p: &cmsx::ParsedSigner,
    pool: &[x509_cert::Certificate],
    content: &[&[u8]],
    claimed: Option<(DateTime<Utc>, &str)>,
    trust: &TrustStore,
    now: DateTime<Utc>,
) -> SignatureReport {
    let check = cmsx::check_signer(p, content);
    let mut r = empty_sig(index);
    r.problems = check.problems.clone();
    let signer = p.cert.as_ref().map(CertSummary::of);
    // Signature timestamp (CAdES-T / PAdES B-T): the only trusted signing time.
    let ts = p.timestamp_token.as_deref().map(|t| cmsx::check_timestamp(t, &[&p.signature]));
    let mut ts_time = None;
    if let Some(tc) = &ts {
        if let Some(problem) = &tc.problem {
            r.problems.push(problem.clone());
        }
        if let (true, Some(tsa), Some(t)) = (tc.valid, &tc.tsa, tc.time) {
            match trust.chain_to_anchor(tsa, &tc.tsa_pool, &t) {
                Ok(_) => ts_time = Some(t),
                Err(e) => r.warnings.push(format!(
                    "marca temporale di un'autorità non attendibile ({e}): il certificato è controllato all'ora della verifica"
                )),
            }
        }
    }
    r.timestamp_time = ts_time;
    r.timestamp_valid = ts.as_ref().map(|t| t.valid && ts_time.is_some());
    let (check_time, source) = match ts_time {
        Some(t) => (t, "marca temporale"),
        None => (now, "ora della verifica"),
    };
    r.signing_time = Some(check_time);
    r.signing_time_source = Some(source.to_string());
    match (claimed, p.signing_time) {
        (Some((t, src)), _) => {
            r.claimed_time = Some(t);
            r.claimed_time_source = Some(src.to_string());
        }
        (None, Some(t)) => {
            r.claimed_time = Some(t);
            r.claimed_time_source = Some("dichiarata dal firmatario (signingTime)".to_string());
        }
        _ => {}
    }
    if let (Some(ts), Some(claimed)) = (ts_time, r.claimed_time) {
        if claimed > ts + chrono::Duration::minutes(10) {
            r.warnings.push("l'ora dichiarata è successiva alla marca temporale".into());
        }
    }
    let cert_valid = signer.as_ref().map(|s| s.valid_at(&check_time));
    r.cert_valid_at_signing_time = cert_valid;
    if let (Some(false), Some(s)) = (cert_valid, &signer) {
        let when = if ts_time.is_some() { "alla data della marca temporale" } else { "oggi (nessuna marca temporale)" };
        r.problems.push(format!(
            "il certificato del firmatario non è valido {when}: validità dal {} al {}",
            super::certs::it_date(&s.not_before),
            super::certs::it_date(&s.not_after)
        ));
    }
    if let Some(s) = &signer {
        if s.has_key_usage && !s.non_repudiation && !s.digital_signature {
            r.problems.push("il certificato non è abilitato alla firma (key usage)".into());
        } else if !s.non_repudiation {
            r.warnings.push(
                "il certificato non ha l'uso «non ripudio» dei certificati di firma qualificata (es. certificato di autenticazione CNS)"
                    .into(),
            );
        }
        if s.codice_fiscale.is_none() {
            r.warnings.push("il certificato non riporta un codice fiscale (TINIT-)".into());
        }
    }
    if p.signing_cert_v2.is_none() && !p.has_signing_cert_v1 {
        r.warnings.push("manca l'attributo signing-certificate (richiesto da CAdES/PAdES)".into());
    }
    if let Some(c) = &p.cert {
        match trust.chain_to_anchor(c, pool, &check_time) {
            Ok(chain) => {
                r.trusted = true;
                r.trust_chain = chain;
                if let Some(info) = trust.anchor_info(c, pool, &check_time) {
                    let declared = super::certs::declares_qualified(c);
                    r.qualified = Some(info.qualified_ca && declared);
                    if info.qualified_ca && !declared {
                        r.warnings.push("il certificato non si dichiara qualificato (manca QcCompliance)".into());
                    }
                    if !info.qualified_ca {
                        r.warnings
                            .push("la CA nell'elenco di fiducia non è un servizio di certificati qualificati".into());
                    }
                    r.provider = Some(info.provider);
                }
            }
            Err(e) => r.trust_problem = Some(format!("certificato non attendibile: {e}")),
        }
    }
    r.non_repudiation = signer.as_ref().is_some_and(|s| s.non_repudiation);
    r.signer = signer;
    r.intact = check.digest_ok && check.signature_ok && p.cert.is_some();
    r.digest_matches = check.digest_ok;
    r.signature_matches = check.signature_ok;
    r.covers_whole_file = true;
    r.signing_certificate_v2 = check.signing_cert_ok;
    r.digest_algorithm = p.digest_alg.map(|a| a.name().to_string());
    r
}

fn finish_sig(mut r: SignatureReport) -> SignatureReport {
    let sound = r.intact
        && !r.damaged
        && r.cert_valid_at_signing_time == Some(true)
        && r.changes_after_signing != ChangesAfterSigning::Modified
        && r.problems.is_empty();
    r.verdict = match (sound, r.trusted) {
        (false, _) => Verdict::Invalid,
        (true, false) => Verdict::IntactUntrusted,
        (true, true) => Verdict::Valid,
    };
    r.valid = r.verdict == Verdict::Valid;
    r
}

/// Verifies a signed file: a PDF with signatures or a .p7m (DER or base64).
pub fn verify(data: &[u8], trust: &TrustStore) -> Result<VerifyReport, SignError> {
    verify_at(data, trust, Utc::now())
}

/// Same as [`verify`] with the time of verification given (the certificate is checked at the
/// signature timestamp when there is one, otherwise at `now`).
pub fn verify_at(data: &[u8], trust: &TrustStore, now: DateTime<Utc>) -> Result<VerifyReport, SignError> {
    let head = &data[..data.len().min(1024)];
    if data.first() != Some(&0x30) && head.windows(5).any(|w| w == b"%PDF-") {
        return verify_pdf_at(data, trust, now);
    }
    if is_mime(data) {
        let (signed, token) = parse_m7m(data).ok_or_else(|| {
            SignError::InvalidSignature("file .m7m senza busta firmata o senza marca temporale".into())
        })?;
        return verify_timestamped(&signed, Some(&token), trust, now);
    }
    if let Ok(der) = p7m_der(data) {
        let der = asn1::ber_to_der(&der).map(|(d, _)| d).unwrap_or_else(|| der.to_vec());
        if let Some((signed, tokens)) = parse_tsd(&der) {
            return verify_timestamped(&signed, tokens.first().map(|t| t.as_slice()), trust, now);
        }
    }
    verify_p7m_at(data, trust, now)
}

/// Verifies the signatures inside a PDF.
pub fn verify_pdf(data: &[u8], trust: &TrustStore) -> Result<VerifyReport, SignError> {
    verify_pdf_at(data, trust, Utc::now())
}

fn verify_pdf_at(data: &[u8], trust: &TrustStore, now: DateTime<Utc>) -> Result<VerifyReport, SignError> {
    let (sigs, doc) = pdf::find_signatures(data)?;
    let mut report = base_report(SignedFileKind::Pdf);
    if doc.is_none() {
        report.problems.push("la struttura del PDF è danneggiata".into());
    }
    let last_end = sigs.iter().filter(|s| s.damage.is_none()).map(|s| s.signed_end()).max().unwrap_or(0);
    for (i, s) in sigs.iter().enumerate() {
        let mut base = empty_sig(i + 1);
        base.field_name = s.field_name.clone();
        base.sub_filter = s.sub_filter.clone();
        base.reason = s.reason.clone();
        base.location = s.location.clone();
        base.claimed_time = s.m_time;
        base.claimed_time_source = s.m_time.map(|_| "dichiarata nel PDF (/M)".into());
        if let Some(why) = &s.damage {
            base.damaged = true;
            base.problems.push(format!("firma danneggiata: {why}"));
            report.signatures.push(finish_sig(base));
            continue;
        }
        let [_, a, b, c] = s.byte_range;
        let content: [&[u8]; 2] = [&data[..a], &data[b..b + c]];
        let cms = match cmsx::parse(&s.contents) {
            Ok(c) if !c.signers.is_empty() => c,
            other => {
                let detail = other.err().unwrap_or_else(|| "nessun firmatario".into());
                base.damaged = true;
                base.problems.push(format!("firma danneggiata: il contenuto della firma non è leggibile ({detail})"));
                report.signatures.push(finish_sig(base));
                continue;
            }
        };
        let claimed = s.m_time.map(|t| (t, "dichiarata nel PDF (/M)"));
        let is_doc_ts = s.is_doc_timestamp || s.sub_filter.as_deref() == Some("ETSI.RFC3161");
        let mut r = if is_doc_ts {
            // Document timestamp: the CMS signs the TSTInfo, whose imprint covers the byte ranges.
            let tst = cms.econtent.clone().unwrap_or_default();
            let mut r = signer_report(i + 1, &cms.signers[0], &cms.certs, &[&tst], None, trust, now);
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
                r.problems.retain(|p| !p.starts_with("il certificato del firmatario non è valido"));
                if r.cert_valid_at_signing_time == Some(false) {
                    r.problems
                        .push("il certificato dell'autorità di marcatura non era valido alla data della marca".into());
                }
            }
            r.warnings.push("marca temporale del documento (DocTimeStamp), non una firma personale".into());
            r.warnings.retain(|w| {
                !w.contains("non ripudio") && !w.contains("codice fiscale") && !w.contains("signing-certificate")
            });
            r
        } else {
            signer_report(i + 1, &cms.signers[0], &cms.certs, &content, claimed, trust, now)
        };
        r.field_name = base.field_name;
        r.sub_filter = base.sub_filter;
        r.reason = base.reason;
        r.location = base.location;
        if let Some(sf) = &s.sub_filter {
            if sf != "ETSI.CAdES.detached" && sf != "adbe.pkcs7.detached" && sf != "ETSI.RFC3161" {
                r.problems.push(format!("formato di firma PDF non supportato ({sf})"));
            }
        }
        if s.dict_id.is_none() && doc.is_some() {
            r.problems.push("la firma non è collegata al documento (nessun dizionario di firma la contiene)".into());
        }
        r.covers_whole_file =
            s.signed_end() >= data.len() || data[s.signed_end()..].iter().all(|c| c.is_ascii_whitespace());
        let later: std::collections::HashSet<lopdf::ObjectId> = sigs
            .iter()
            .filter(|o| o.damage.is_none() && o.signed_end() > s.signed_end())
            .filter_map(|o| o.dict_id)
            .collect();
        match changes::later_changes(data, s.signed_end(), doc.as_ref(), &later) {
            LaterChanges::None => {}
            LaterChanges::SignaturesOnly => {
                r.changes_after_signing = ChangesAfterSigning::SignaturesOnly;
                r.warnings.push("dopo questa firma sono state aggiunte solo altre firme o dati di validazione".into());
            }
            LaterChanges::Other(details) => {
                r.changes_after_signing = ChangesAfterSigning::Modified;
                r.problems.push(format!("documento modificato dopo la firma: {}", details.join("; ")));
                r.change_details = details;
            }
        }
        report.signatures.push(finish_sig(r));
    }
    if sigs.iter().any(|s| s.damage.is_none()) {
        match changes::later_changes(data, last_end, doc.as_ref(), &Default::default()) {
            LaterChanges::None | LaterChanges::SignaturesOnly => {}
            LaterChanges::Other(details) => {
                report.unsigned_data_after_last_signature = true;
                report.problems.push(format!(
                    "documento modificato dopo l'ultima firma: {} byte aggiunti e non firmati ({})",
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
    verify_p7m_at(data, trust, Utc::now())
}

fn verify_p7m_at(data: &[u8], trust: &TrustStore, now: DateTime<Utc>) -> Result<VerifyReport, SignError> {
    let der = p7m_der(data)?;
    let cms = cmsx::parse(&der).map_err(SignError::InvalidSignature)?;
    let mut report = base_report(SignedFileKind::P7m);
    let Some(content) = cms.econtent.as_deref() else {
        let why = "firma «staccata» (detached, .p7s): il documento firmato non è contenuto nel file, verificala insieme al documento";
        report.problems.push(why.into());
        for (i, p) in cms.signers.iter().enumerate() {
            let mut r = empty_sig(i + 1);
            r.signer = p.cert.as_ref().map(CertSummary::of);
            r.sub_filter = Some("CAdES (firma staccata)".into());
            r.problems.push(why.into());
            report.signatures.push(finish_sig(r));
        }
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
        let mut r =
            signer_report(report.signatures.len() + 1, &cms.signers[i], &cms.certs, &[content], None, trust, now);
        r.sub_filter = Some("CAdES".into());
        if cms.signers.len() > 1 {
            r.warnings.push(format!("firma parallela {} di {}", i + 1, cms.signers.len()));
        }
        if let Some(ct) = cms.signers[i].content_type_attr {
            if ct != cms.econtent_type {
                r.problems.push("l'attributo content-type non corrisponde al contenuto".into());
            }
        }
        let target = r.index;
        report.signatures.push(finish_sig(r));
        add_countersignatures(&mut report, &cms.signers[i], target, &cms.certs, trust, now);
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
            let mut r = signer_report(n, &inner.signers[i], &inner.certs, &[&inner_doc], None, trust, now);
            r.sub_filter = Some("CAdES".into());
            r.warnings.push(format!("firma della busta interna (livello {})", depth + 2));
            report.signatures.push(finish_sig(r));
        }
        inner_content = inner_doc;
    }
    report.content_size = Some(inner_content.len() as u64);
    report.content_is_pdf = Some(inner_content.starts_with(b"%PDF-"));
    add_pdf_signatures(&mut report, &inner_content, trust, now);
    Ok(report.finish())
}

/// Countersignatures of `p` (reported as signature `target`), each over p's signature value.
fn add_countersignatures(
    report: &mut VerifyReport,
    p: &cmsx::ParsedSigner,
    target: usize,
    pool: &[x509_cert::Certificate],
    trust: &TrustStore,
    now: DateTime<Utc>,
) {
    for cs in &p.countersignatures {
        let mut r = signer_report(report.signatures.len() + 1, cs, pool, &[&p.signature], None, trust, now);
        r.sub_filter = Some(format!("CAdES, controfirma della firma {target}"));
        if cs.content_type_attr.is_some() {
            r.problems.push("la controfirma contiene l'attributo content-type, vietato dalla RFC 5652".into());
        }
        let me = r.index;
        report.signatures.push(finish_sig(r));
        add_countersignatures(report, cs, me, pool, trust, now);
    }
}

/// A PDF inside an envelope (or with a detached signature) may be PAdES-signed itself: its
/// signatures are reported after the envelope's, and judged like any PDF's.
fn add_pdf_signatures(report: &mut VerifyReport, content: &[u8], trust: &TrustStore, now: DateTime<Utc>) {
    if !content.starts_with(b"%PDF-") {
        return;
    }
    let Ok(inner) = verify_pdf_at(content, trust, now) else { return };
    if inner.signatures.is_empty() {
        return;
    }
    for mut s in inner.signatures {
        s.index = report.signatures.len() + 1;
        s.warnings.push("firma PAdES dentro il PDF contenuto nella busta".into());
        report.signatures.push(s);
    }
    for p in inner.problems {
        report.problems.push(format!("PDF contenuto: {p}"));
    }
}

/// Verifies a detached CAdES signature (.p7s) over `document`.
pub fn verify_detached(p7s: &[u8], document: &[u8], trust: &TrustStore) -> Result<VerifyReport, SignError> {
    verify_detached_at(p7s, document, trust, Utc::now())
}

fn verify_detached_at(
    p7s: &[u8],
    document: &[u8],
    trust: &TrustStore,
    now: DateTime<Utc>,
) -> Result<VerifyReport, SignError> {
    let der = p7m_der(p7s)?;
    let cms = cmsx::parse(&der).map_err(SignError::InvalidSignature)?;
    let mut report = base_report(SignedFileKind::P7s);
    report.content_size = Some(document.len() as u64);
    report.content_is_pdf = Some(document.starts_with(b"%PDF-"));
    if let Some(inside) = &cms.econtent {
        if inside.as_slice() != document {
            report.problems.push("la firma contiene già un documento, diverso da quello indicato".into());
        }
    }
    if cms.der_len < der.len() && !der[cms.der_len..].iter().all(|c| *c == 0 || c.is_ascii_whitespace()) {
        report.unsigned_data_after_last_signature = true;
        report.problems.push(format!("il file contiene {} byte aggiunti dopo la firma", der.len() - cms.der_len));
    }
    for i in 0..cms.signers.len() {
        let mut r =
            signer_report(report.signatures.len() + 1, &cms.signers[i], &cms.certs, &[document], None, trust, now);
        r.sub_filter = Some("CAdES (firma staccata)".into());
        let target = r.index;
        report.signatures.push(finish_sig(r));
        add_countersignatures(&mut report, &cms.signers[i], target, &cms.certs, trust, now);
    }
    add_pdf_signatures(&mut report, document, trust, now);
    Ok(report.finish())
}

const OID_TIMESTAMPED_DATA: &[u8] = &[0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x1f];

/// RFC 5544 TimeStampedData: (content, timestamp tokens). Only the first token is used: the
/// later ones renew it.
fn parse_tsd(der: &[u8]) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
    let ci = asn1::read_tlv(der)?;
    let kids = asn1::children(ci.content)?;
    if kids.first()?.raw != OID_TIMESTAMPED_DATA {
        return None;
    }
    let explicit = kids.get(1)?; // [0] EXPLICIT
    let tsd = asn1::read_tlv(explicit.content)?;
    let fields = asn1::children(tsd.content)?;
    let content = fields.iter().find(|f| f.tag == 0x04)?.content.to_vec();
    let evidence = fields.iter().find(|f| f.tag == 0xa0)?; // tstEvidence [0]
    let tokens = asn1::children(evidence.content)?
        .iter()
        .filter_map(|tsc| asn1::children(tsc.content).and_then(|k| k.first().map(|t| t.raw.to_vec())))
        .collect::<Vec<_>>();
    Some((content, tokens))
}

/// The MIME envelope (.m7m): (signed file, timestamp token).
fn parse_m7m(data: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let text = String::from_utf8_lossy(data);
    let lower = text.to_ascii_lowercase();
    let b = lower.find("boundary=")? + "boundary=".len();
    let raw_boundary = &text[b..];
    let boundary: String = if let Some(q) = raw_boundary.strip_prefix('"') {
        q.split('"').next()?.to_string()
    } else {
        raw_boundary.split(|c: char| c.is_whitespace() || c == ';').next()?.to_string()
    };
    if boundary.is_empty() {
        return None;
    }
    let (mut signed, mut token) = (None, None);
    for part in text.split(&format!("--{boundary}")).skip(1) {
        let Some(split) = part.find("\r\n\r\n").map(|p| (p, 4)).or_else(|| part.find("\n\n").map(|p| (p, 2))) else {
            continue;
        };
        let headers = part[..split.0].to_ascii_lowercase();
        let body = &part[split.0 + split.1..];
        let bytes = if headers.contains("base64") {
            asn1::base64_decode_lenient(body.as_bytes())?
        } else {
            continue;
        };
        if headers.contains("timestamp") || headers.contains(".tsr") || headers.contains(".tst") {
            token = Some(bytes);
        } else if headers.contains("pkcs7") || headers.contains(".p7m") {
            signed = Some(bytes);
        }
    }
    let token = token?;
    // A TimeStampResp { status, token } or the token itself.
    let token = match cmsx::parse(&token) {
        Ok(_) => token,
        Err(_) => {
            let outer = asn1::read_tlv(&token)?;
            asn1::children(outer.content)?.get(1)?.raw.to_vec()
        }
    };
    Some((signed?, token))
}

/// Verifies a .tsd / .m7m: the timestamp must cover the signed file inside; the signatures in
/// it are then checked at the timestamp's time (when its TSA is trusted).
fn verify_timestamped(
    signed: &[u8],
    token: Option<&[u8]>,
    trust: &TrustStore,
    now: DateTime<Utc>,
) -> Result<VerifyReport, SignError> {
    let mut problems = Vec::new();
    let mut at = None;
    match token {
        None => problems.push("il file non contiene la marca temporale".to_string()),
        Some(t) => {
            let tc = cmsx::check_timestamp(t, &[signed]);
            if let Some(p) = tc.problem {
                problems.push(p);
            }
            if let (true, Some(tsa), Some(time)) = (tc.valid, &tc.tsa, tc.time) {
                match trust.chain_to_anchor(tsa, &tc.tsa_pool, &time) {
                    Ok(_) => at = Some(time),
                    Err(e) => problems.push(format!("marca temporale di un'autorità non attendibile ({e})")),
                }
            }
        }
    }
    let mut report = verify_at(signed, trust, at.unwrap_or(now))?;
    report.kind = SignedFileKind::Timestamped;
    report.file_timestamp = at;
    if at.is_some() {
        for s in &mut report.signatures {
            if s.signing_time_source.as_deref() == Some("ora della verifica") {
                s.signing_time_source = Some("marca temporale del file (.tsd/.m7m)".into());
            }
        }
    }
    report.problems.extend(problems);
    Ok(report.finish())
}

fn is_mime(data: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&data[..data.len().min(4096)]).to_ascii_lowercase();
    head.contains("mime-version") && head.contains("multipart")
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
