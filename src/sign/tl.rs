//! Trusted lists in the ETSI TS 119 612 format (the Italian list AgID publishes, saved by the
//! user when online): the certificates of the providers' qualified CA and time-stamping services
//! whose current status is "granted", with the provider's name.
//!
//! The list's own XML signature is not checked: the file is one the user chose to import (like
//! a CA certificate file); the import says whether the list carries a signature.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::asn1;

/// Service types of a trusted list that we import.
const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
const TSA_QTST: &str = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST";
const TSA_ANY: &str = "http://uri.etsi.org/TrstSvc/Svctype/TSA";
/// Current statuses that mean "in force" (TS 119 612 v2 and the older national values).
const IN_FORCE: &[&str] = &[
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel",
    "http://uri.etsi.org/TrstSvc/Svcstatus/accredited",
    "http://uri.etsi.org/TrstSvc/Svcstatus/undersupervision",
];

/// One service of a trusted list, as imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TlService {
    pub provider: String,
    pub service: String,
    /// Qualified CA (CA/QC) for signatures; false for time-stamping services.
    pub qualified_ca: bool,
    pub timestamping: bool,
    pub certificates: Vec<Vec<u8>>,
}

/// What a trusted list contained.
#[derive(Clone, Debug, Default)]
pub(crate) struct TlParsed {
    pub territory: Option<String>,
    pub operator: Option<String>,
    pub signed: bool,
    pub services: Vec<TlService>,
    /// Services not imported (other types, withdrawn, without a certificate).
    pub skipped: usize,
}

#[derive(Default)]
struct Current {
    stype: String,
    status: String,
    name_it: Option<String>,
    name_any: Option<String>,
    certs: Vec<Vec<u8>>,
}

fn entity(name: &[u8]) -> &'static str {
    match name {
        b"amp" => "&",
        b"lt" => "<",
        b"gt" => ">",
        b"quot" => "\"",
        b"apos" => "'",
        _ => "",
    }
}

/// Parses a TS 119 612 trusted list. Errors are Italian and name no XML library.
pub(crate) fn parse(xml: &[u8]) -> Result<TlParsed, String> {
    let mut reader = Reader::from_reader(xml);
    // Text is trimmed once whole: trimming each piece would eat the spaces around `&amp;`.
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut out = TlParsed::default();
    let mut provider_it: Option<String> = None;
    let mut provider_any: Option<String> = None;
    let mut scheme_op_it: Option<String> = None;
    let mut cur: Option<Current> = None;
    let mut text = String::new();
    let mut lang_it = false;
    let mut root_ok = false;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|_| format!("XML non valido vicino al byte {}", reader.buffer_position()))?;
        match ev {
            Event::Start(e) => {
                let name = e.local_name().into_inner().to_string();
                if path.is_empty() {
                    if name != "TrustServiceStatusList" {
                        return Err(
                            "il file non è un elenco di fiducia nel formato ETSI TS 119 612 (TrustServiceStatusList)"
                                .into(),
                        );
                    }
                    root_ok = true;
                }
                lang_it = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.local_name().into_inner() == "lang" && a.value.eq_ignore_ascii_case("it"));
                if name == "TrustServiceProvider" {
                    provider_it = None;
                    provider_any = None;
                }
                if name == "TSPService" {
                    cur = Some(Current::default());
                }
                if name == "Signature" && path.len() == 1 {
                    out.signed = true;
                }
                path.push(name);
                text.clear();
            }
            Event::Empty(e) if e.local_name().into_inner() == "Signature" && path.len() == 1 => out.signed = true,
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    text.push_str(entity(r.as_bytes()));
                }
            }
            Event::End(_) => {
                let Some(name) = path.pop() else { break };
                let parent = path.last().map(String::as_str).unwrap_or("");
                let in_history = path.iter().any(|p| p == "ServiceHistory");
                let value = text.trim().to_string();
                match name.as_str() {
                    "SchemeTerritory" if parent == "SchemeInformation" => out.territory = Some(value),
                    "Name" if parent == "SchemeOperatorName" && (lang_it || scheme_op_it.is_none()) => {
                        scheme_op_it = Some(value)
                    }
                    "Name" if parent == "TSPName" => {
                        if lang_it {
                            provider_it = Some(value);
                        } else if provider_any.is_none() {
                            provider_any = Some(value);
                        }
                    }
                    "Name" if parent == "ServiceName" && !in_history => {
                        if let Some(c) = cur.as_mut() {
                            if lang_it {
                                c.name_it = Some(value);
                            } else if c.name_any.is_none() {
                                c.name_any = Some(value);
                            }
                        }
                    }
                    "ServiceTypeIdentifier" if !in_history => {
                        if let Some(c) = cur.as_mut() {
                            c.stype = value;
                        }
                    }
                    "ServiceStatus" if !in_history => {
                        if let Some(c) = cur.as_mut() {
                            c.status = value;
                        }
                    }
                    "X509Certificate" if !in_history && path.iter().any(|p| p == "ServiceDigitalIdentity") => {
                        if let (Some(c), Some(der)) = (cur.as_mut(), asn1::base64_decode_lenient(value.as_bytes())) {
                            c.certs.push(der);
                        }
                    }
                    "TSPService" => {
                        if let Some(c) = cur.take() {
                            let qualified_ca = c.stype == CA_QC;
                            let timestamping = c.stype == TSA_QTST || c.stype == TSA_ANY;
                            let in_force = IN_FORCE.contains(&c.status.as_str());
                            if (qualified_ca || timestamping) && in_force && !c.certs.is_empty() {
                                out.services.push(TlService {
                                    provider: provider_it.clone().or_else(|| provider_any.clone()).unwrap_or_default(),
                                    service: c.name_it.or(c.name_any).unwrap_or_default(),
                                    qualified_ca,
                                    timestamping,
                                    certificates: c.certs,
                                });
                            } else {
                                out.skipped += 1;
                            }
                        }
                    }
                    _ => {}
                }
                text.clear();
                lang_it = false;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !root_ok {
        return Err("il file non è un elenco di fiducia nel formato ETSI TS 119 612 (file vuoto o non XML)".into());
    }
    out.operator = scheme_op_it;
    Ok(out)
}
