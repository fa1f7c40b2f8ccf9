//! Trusted lists in the ETSI TS 119 612 format (the Italian list AgID publishes, saved by the
//! user when online): the certificates of the providers' qualified CA and time-stamping services
//! whose current status is "granted", with the provider's name.
//!
//! The list's own XML signature (XAdES, enveloped) is NOT verified yet: no Rust crate for XML
//! canonicalization and XML-DSig is mature enough to anchor trust on (the pure-Rust one is a
//! pre-release that says it is not for production), and a C library (libxmlsec1) is not
//! wanted in the core. Until it is, a list without a signature in the XML-DSig namespace is
//! refused (an official list, such as AgID's, is always signed); a signed list that was altered
//! afterwards is NOT detected, which the import and the documentation say.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::asn1;

/// Service types of a trusted list that we import.
const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
const TSA_QTST: &str = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST";
const TSA_ANY: &str = "http://uri.etsi.org/TrstSvc/Svctype/TSA";
/// Namespace of an XML signature (ds:Signature).
const XMLDSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
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

/// The namespace declarations of an element: (prefix, namespace); the default one has prefix "".
fn namespaces(e: &quick_xml::events::BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .filter_map(|a| {
            let key: &str = a.key.as_ref();
            let prefix = if key == "xmlns" { Some("") } else { key.strip_prefix("xmlns:") };
            prefix.map(|p| (p.to_string(), a.value.to_string()))
        })
        .collect()
}

/// True when the element is in the XML-DSig namespace, declared on it or on the root.
fn is_xmldsig(e: &quick_xml::events::BytesStart, root_ns: &[(String, String)]) -> bool {
    let prefix = e.name().prefix().map(|p| p.into_inner().to_string()).unwrap_or_default();
    let own = namespaces(e);
    own.iter().chain(root_ns).find(|(p, _)| *p == prefix).is_some_and(|(_, ns)| ns == XMLDSIG)
}

/// What the parser has seen so far.
#[derive(Default)]
struct State {
    path: Vec<String>,
    out: TlParsed,
    provider_it: Option<String>,
    provider_any: Option<String>,
    scheme_op_it: Option<String>,
    cur: Option<Current>,
    text: String,
    lang_it: bool,
    root_ok: bool,
    root_ns: Vec<(String, String)>,
}

impl State {
    fn start(&mut self, e: &quick_xml::events::BytesStart) -> Result<(), String> {
        let name = e.local_name().into_inner().to_string();
        if self.path.is_empty() {
            if name != "TrustServiceStatusList" {
                return Err(
                    "il file non è un elenco di fiducia nel formato ETSI TS 119 612 (TrustServiceStatusList)".into()
                );
            }
            self.root_ok = true;
            self.root_ns = namespaces(e);
        }
        self.lang_it = e
            .attributes()
            .flatten()
            .any(|a| a.key.local_name().into_inner() == "lang" && a.value.eq_ignore_ascii_case("it"));
        if name == "TrustServiceProvider" {
            self.provider_it = None;
            self.provider_any = None;
        }
        if name == "TSPService" {
            self.cur = Some(Current::default());
        }
        if name == "Signature" && self.path.len() == 1 && is_xmldsig(e, &self.root_ns) {
            self.out.signed = true;
        }
        self.path.push(name);
        self.text.clear();
        Ok(())
    }

    /// The end of an element; false after the root's.
    fn end(&mut self) -> bool {
        let Some(name) = self.path.pop() else { return false };
        let parent = self.path.last().map(String::as_str).unwrap_or("");
        let in_history = self.path.iter().any(|p| p == "ServiceHistory");
        let value = self.text.trim().to_string();
        let lang_it = self.lang_it;
        match name.as_str() {
            "SchemeTerritory" if parent == "SchemeInformation" => self.out.territory = Some(value),
            "Name" if parent == "SchemeOperatorName" && (lang_it || self.scheme_op_it.is_none()) => {
                self.scheme_op_it = Some(value)
            }
            "Name" if parent == "TSPName" => {
                if lang_it {
                    self.provider_it = Some(value);
                } else if self.provider_any.is_none() {
                    self.provider_any = Some(value);
                }
            }
            "Name" if parent == "ServiceName" && !in_history => {
                if let Some(c) = self.cur.as_mut() {
                    if lang_it {
                        c.name_it = Some(value);
                    } else if c.name_any.is_none() {
                        c.name_any = Some(value);
                    }
                }
            }
            "ServiceTypeIdentifier" if !in_history => {
                if let Some(c) = self.cur.as_mut() {
                    c.stype = value;
                }
            }
            "ServiceStatus" if !in_history => {
                if let Some(c) = self.cur.as_mut() {
                    c.status = value;
                }
            }
            "X509Certificate" if !in_history && self.path.iter().any(|p| p == "ServiceDigitalIdentity") => {
                if let (Some(c), Some(der)) = (self.cur.as_mut(), asn1::base64_decode_lenient(value.as_bytes())) {
                    c.certs.push(der);
                }
            }
            "TSPService" => self.service_done(),
            _ => {}
        }
        self.text.clear();
        self.lang_it = false;
        true
    }

    /// A service ends: imported when it is a qualified CA or a TSA in force with a certificate.
    fn service_done(&mut self) {
        let Some(c) = self.cur.take() else { return };
        let qualified_ca = c.stype == CA_QC;
        let timestamping = c.stype == TSA_QTST || c.stype == TSA_ANY;
        let in_force = IN_FORCE.contains(&c.status.as_str());
        if (qualified_ca || timestamping) && in_force && !c.certs.is_empty() {
            self.out.services.push(TlService {
                provider: self.provider_it.clone().or_else(|| self.provider_any.clone()).unwrap_or_default(),
                service: c.name_it.or(c.name_any).unwrap_or_default(),
                qualified_ca,
                timestamping,
                certificates: c.certs,
            });
        } else {
            self.out.skipped += 1;
        }
    }
}

/// Parses a TS 119 612 trusted list. Errors are Italian and name no XML library.
pub(crate) fn parse(xml: &[u8]) -> Result<TlParsed, String> {
    let mut reader = Reader::from_reader(xml);
    // Text is trimmed once whole: trimming each piece would eat the spaces around `&amp;`.
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut st = State::default();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|_| format!("XML non valido vicino al byte {}", reader.buffer_position()))?;
        match ev {
            Event::Start(e) => st.start(&e)?,
            Event::Empty(e)
                if e.local_name().into_inner() == "Signature" && st.path.len() == 1 && is_xmldsig(&e, &st.root_ns) =>
            {
                st.out.signed = true
            }
            Event::Text(t) => st.text.push_str(&t.xml10_content()),
            Event::CData(t) => st.text.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    st.text.push(c);
                } else {
                    st.text.push_str(entity(r.as_bytes()));
                }
            }
            Event::End(_) if !st.end() => break,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !st.root_ok {
        return Err("il file non è un elenco di fiducia nel formato ETSI TS 119 612 (file vuoto o non XML)".into());
    }
    st.out.operator = st.scheme_op_it;
    Ok(st.out)
}
