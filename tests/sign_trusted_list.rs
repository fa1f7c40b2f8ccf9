//! Trust from a trusted list in the ETSI TS 119 612 format, generated here from the test PKI:
//! the qualified CA in force is trusted and named, a withdrawn CA and one only in the service
//! history are not, a certificate without QcCompliance is trusted but not qualified.

mod common;

use common::sign::*;
use pianozona::sign::{self, CadesOptions, PadesOptions, TrustStore, Verdict};
use std::path::Path;
use std::process::Command;

fn b64_of_pem(path: &Path) -> String {
    let pem = std::fs::read_to_string(path).unwrap();
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

fn service(stype: &str, status: &str, name: &str, cert_b64: &str, history: &str) -> String {
    format!(
        r#"<tsl:TSPService><tsl:ServiceInformation>
  <tsl:ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/{stype}</tsl:ServiceTypeIdentifier>
  <tsl:ServiceName><tsl:Name xml:lang="en">{name}</tsl:Name></tsl:ServiceName>
  <tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>
{cert_b64}
  </tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity>
  <tsl:ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/{status}</tsl:ServiceStatus>
  <tsl:StatusStartingTime>2020-01-01T00:00:00Z</tsl:StatusStartingTime>
</tsl:ServiceInformation>{history}</tsl:TSPService>"#
    )
}

/// A signature element in the XML-DSig namespace. Its value is NOT checked by the import (see
/// src/sign/tl.rs): only a list without any signature is refused.
const SIGNATURE: &str = r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>"#;

fn trusted_list(pki: &Pki) -> String {
    let ca = b64_of_pem(&pki.path("ca.crt"));
    let tsa = b64_of_pem(&pki.path("tsa.crt"));
    let other = b64_of_pem(&pki.path("other-ca.crt"));
    let history = format!(
        r#"<tsl:ServiceHistory><tsl:ServiceHistoryInstance><tsl:ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</tsl:ServiceTypeIdentifier>
<tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>{other}</tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity>
<tsl:ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</tsl:ServiceStatus></tsl:ServiceHistoryInstance></tsl:ServiceHistory>"#
    );
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag">
<tsl:SchemeInformation>
  <tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier>
  <tsl:SchemeOperatorName><tsl:Name xml:lang="en">Agency for Digital Italy - AgID</tsl:Name><tsl:Name xml:lang="it">Agenzia per l'Italia Digitale - AgID</tsl:Name></tsl:SchemeOperatorName>
  <tsl:SchemeTerritory>IT</tsl:SchemeTerritory>
</tsl:SchemeInformation>
<tsl:TrustServiceProviderList>
<tsl:TrustServiceProvider>
  <tsl:TSPInformation><tsl:TSPName><tsl:Name xml:lang="en">Test QTSP SpA</tsl:Name><tsl:Name xml:lang="it">Test QTSP S.p.A. &amp; C.</tsl:Name></tsl:TSPName></tsl:TSPInformation>
  <tsl:TSPServices>
{}
{}
{}
  </tsl:TSPServices>
</tsl:TrustServiceProvider>
<tsl:TrustServiceProvider>
  <tsl:TSPInformation><tsl:TSPName><tsl:Name xml:lang="en">Altro Prestatore</tsl:Name></tsl:TSPName></tsl:TSPInformation>
  <tsl:TSPServices>
{}
  </tsl:TSPServices>
</tsl:TrustServiceProvider>
</tsl:TrustServiceProviderList>
{SIGNATURE}
</tsl:TrustServiceStatusList>
"#,
        service("CA/QC", "granted", "Test Root CA qualificata", &ca, ""),
        service("TSA/QTST", "granted", "Test TSA", &tsa, ""),
        service("CA/PKC", "granted", "CA non qualificata", &other, &history),
        service("CA/QC", "withdrawn", "CA revocata", &other, ""),
    )
}

/// A signer certificate declaring QcCompliance, and one signed by the other CA.
fn extra_signers(pki: &Pki) {
    let d = &pki.dir;
    let sh = format!(
        r#"set -e
cd '{}'
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\nqcStatements=DER:30:0a:30:08:06:06:04:00:8e:46:01:01\n' > qc.ext
sed 's/^qcStatements=/1.3.6.1.5.5.7.1.3=/' qc.ext > qc2.ext
openssl x509 -req -in signer.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 730 -sha256 -extfile qc2.ext -out qualified.crt 2>/dev/null
openssl pkcs12 -export -inkey signer.key -in qualified.crt -certfile ca.crt -name q -passout pass:test1234 -out qualified.p12
openssl x509 -req -in signer.csr -CA other-ca.crt -CAkey other-ca.key -CAcreateserial -days 730 -sha256 -extfile signer.ext -out byother.crt 2>/dev/null
openssl pkcs12 -export -inkey signer.key -in byother.crt -certfile other-ca.crt -name o -passout pass:test1234 -out byother.p12
"#,
        d.display()
    );
    let o = run(Command::new("bash").arg("-c").arg(sh));
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn trusted_list_names_the_provider_and_the_qualified_certificate() {
    let pki = Pki::new(false);
    extra_signers(&pki);
    let tl_path = pki.path("IT_TL.xml");
    std::fs::write(&tl_path, trusted_list(&pki)).unwrap();
    let mut trust = TrustStore::new();
    let imp = trust.add_trusted_list(&std::fs::read(&tl_path).unwrap()).unwrap();
    assert_eq!(imp.territory.as_deref(), Some("IT"));
    assert_eq!(imp.operator.as_deref(), Some("Agenzia per l'Italia Digitale - AgID"));
    assert_eq!((imp.providers, imp.services, imp.certificates, imp.skipped), (1, 2, 2, 2), "{imp:?}");
    assert!(imp.signed);
    // The same list without its signature is refused, by the library and by the CLI.
    let unsigned = trusted_list(&pki).replace(SIGNATURE, "");
    let e = TrustStore::new().add_trusted_list(unsigned.as_bytes()).unwrap_err().to_string();
    assert!(e.starts_with("Elenco di fiducia non importato") && e.contains("non è firmato"), "{e}");

    let input = std::fs::read(pki.make_pdf("doc.pdf", &[])).unwrap();
    // Qualified: trusted, provider named (Italian name preferred, entity decoded).
    let q = sign::sign_pdf(&input, &pki.p12("qualified.p12"), &PadesOptions::default()).unwrap();
    let r = sign::verify(&q, &trust).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    let s = &r.signatures[0];
    assert_eq!(s.provider.as_deref(), Some("Test QTSP S.p.A. & C."));
    assert_eq!(s.qualified, Some(true), "{s:#?}");
    // Same CA, no QcCompliance: trusted, not qualified, said so.
    let p7m = sign::sign_cades(&input, &pki.p12("signer.p12"), &CadesOptions::default()).unwrap();
    let r = sign::verify(&p7m, &trust).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures[0].qualified, Some(false));
    assert!(r.signatures[0].warnings.iter().any(|w| w.contains("QcCompliance")), "{r:#?}");
    // The other CA is only withdrawn, non-qualified or in the history: not trusted.
    let o = sign::sign_pdf(&input, &pki.p12("byother.p12"), &PadesOptions::default()).unwrap();
    let r = sign::verify(&o, &trust).unwrap();
    assert_eq!(r.verdict, Verdict::IntactUntrusted, "{r:#?}");
    assert_eq!(r.signatures[0].provider, None);
    // A CA file added beside the list: trusted, no provider, qualified unknown.
    let mut both = trust.clone();
    both.add_file(&pki.path("other-ca.crt")).unwrap();
    let r = sign::verify(&o, &both).unwrap();
    assert_eq!(r.verdict, Verdict::Valid);
    assert_eq!((r.signatures[0].provider.clone(), r.signatures[0].qualified), (None, None));

    // CLI: --trust takes the list file; the report names provider and qualification.
    let qp = pki.path("q.pdf");
    std::fs::write(&qp, &q).unwrap();
    let out = run(pianozona().arg("verify").arg(&qp).arg("--trust").arg(&tl_path));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("Prestatore (elenco di fiducia): Test QTSP S.p.A. & C. — certificato qualificato: sì"),
        "{}",
        text(&out)
    );
    // Also from a folder of trust files.
    let dir = pki.path("fiducia");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(&tl_path, dir.join("IT_TL.xml")).unwrap();
    let out = run(pianozona().arg("verify").arg(&qp).arg("--trust").arg(&dir));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // An unsigned list given to the CLI: usage error, said in Italian, nothing verified.
    let bad = pki.path("IT_TL_senza_firma.xml");
    std::fs::write(&bad, trusted_list(&pki).replace(SIGNATURE, "")).unwrap();
    let out = run(pianozona().arg("verify").arg(&qp).arg("--trust").arg(&bad));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("non è firmato"), "{}", text(&out));
}

#[test]
fn bad_trusted_lists_are_refused_in_italian() {
    let mut t = TrustStore::new();
    for (xml, words) in [
        (&b"<html><body>pagina di errore</body></html>"[..], "ETSI TS 119 612"),
        (b"<tsl:TrustServiceStatusList xmlns:tsl='x'><tsl:SchemeInformation>", "non è firmato"),
        (
            b"<tsl:TrustServiceStatusList xmlns:tsl='x'><ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'/></tsl:TrustServiceStatusList>",
            "non contiene certificati",
        ),
        // A Signature element outside the XML-DSig namespace is no signature.
        (b"<TrustServiceStatusList><Signature/><SchemeInformation/></TrustServiceStatusList>", "non è firmato"),
        (b"<TrustServiceStatusList><a></b></TrustServiceStatusList>", "XML non valido"),
        (b"", "ETSI TS 119 612"),
    ] {
        let e = t.add_trusted_list(xml).unwrap_err().to_string();
        assert!(e.starts_with("Elenco di fiducia non importato") && e.contains(words), "{e}");
        assert!(!e.contains("quick") && !e.contains("Error"), "{e}");
    }
    assert!(t.is_empty());
}
