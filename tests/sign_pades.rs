//! PAdES signing with a PKCS#12 key, checked by independent verifiers (pyHanko, poppler's
//! pdfsig, qpdf, the PDF/A smoke check) and by our own verifier, plus tampering cases.

mod common;

use common::sign::*;
use pianozona::sign::{self, ChangesAfterSigning, PadesOptions, SignError};
use std::process::Command;

fn opts() -> PadesOptions {
    PadesOptions { reason: Some("Domanda Piano di Zona".into()), location: Some("Milano".into()), ..Default::default() }
}

fn assert_pdfsig_valid(out: &str, n: usize) {
    assert_eq!(out.matches("Signature is Valid.").count(), n, "pdfsig:\n{out}");
    assert_eq!(out.matches("Certificate is Trusted.").count(), n, "pdfsig:\n{out}");
    assert!(out.contains("ETSI.CAdES.detached"), "pdfsig:\n{out}");
    assert!(!out.contains("Digest Mismatch"), "pdfsig:\n{out}");
}

fn trailer_id(pdf: &[u8]) -> Vec<u8> {
    // /ID of the last trailer / xref stream, raw text
    let s = String::from_utf8_lossy(pdf);
    let p = s.rfind("/ID").expect("/ID");
    let end = s[p..].find(']').expect("]") + p;
    s[p..=end].replace(char::is_whitespace, "").to_uppercase().into_bytes()
}

#[test]
fn pades_p12_valid_for_pyhanko_pdfsig_qpdf_and_keeps_pdfa() {
    let pki = Pki::new(false);
    let input_path = demo_or_fixture_pdf(&pki);
    let input = std::fs::read(&input_path).unwrap();
    let before = pdfa_failures(&input_path);

    let signed = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts()).expect("sign");
    assert!(signed.starts_with(&input), "original bytes must be kept as a prefix");
    let signed_path = pki.path("signed.pdf");
    std::fs::write(&signed_path, &signed).unwrap();

    // /ID kept, /M written
    assert_eq!(trailer_id(&signed), trailer_id(&input));
    assert!(String::from_utf8_lossy(&signed[input.len()..]).contains("/M (D:"));

    let (ok, out) = pyhanko_validate(&pki, &signed_path);
    assert!(ok, "pyHanko:\n{out}");
    assert!(
        out.contains("The signature is judged VALID")
            && out.contains("The signer's certificate is trusted")
            && out.contains("cryptographically sound")
            && out.contains("covers the entire file"),
        "pyHanko:\n{out}"
    );
    assert_pdfsig_valid(&pdfsig(&pki, &signed_path), 1);
    assert!(pdfsig(&pki, &signed_path).contains("Total document signed"));
    let (ok, out) = qpdf_check(&signed_path);
    assert!(ok && !out.contains("WARNING"), "qpdf:\n{out}");
    // PDF/A: passes after signing when it passed before; signing adds no failure in any case.
    let after = pdfa_failures(&signed_path);
    assert!(after.iter().all(|f| before.contains(f)), "signing broke PDF/A: before {before:?}, after {after:?}");
    if before.is_empty() {
        let (ok, out) = pdfa_check(&signed_path);
        assert!(ok, "PDF/A lost after signing:\n{out}");
    } else {
        eprintln!("note: the input itself fails the PDF/A smoke check: {before:?}");
    }

    let r = sign::verify(&signed, &pki.trust()).expect("verify");
    assert!(r.valid, "{r:#?}");
    let s = &r.signatures[0];
    assert!(s.intact && s.trusted && s.covers_whole_file && s.non_repudiation);
    assert_eq!(s.signing_certificate_v2, Some(true));
    assert_eq!(s.cert_valid_at_signing_time, Some(true));
    assert_eq!(s.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
    // The demo export carries its own empty signature field (template option signature_field):
    // the signature goes there; the fixture has none and gets a new field.
    let own_field = input.windows(25).any(|w| w == b"FirmaLegaleRappresentante");
    assert_eq!(s.field_name.as_deref(), Some(if own_field { "FirmaLegaleRappresentante" } else { "Firma1" }));
    assert_eq!(s.reason.as_deref(), Some("Domanda Piano di Zona"));
    let signer = s.signer.as_ref().unwrap();
    assert_eq!(signer.codice_fiscale.as_deref(), Some("RSSMRA80A01F205X"));
    assert_eq!(signer.display_name(), "Mario Rossi");
    assert!(s.signing_time.is_some());
    // JSON for the app
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("RSSMRA80A01F205X"));
}

#[test]
fn pades_on_xref_stream_input_and_legacy_p12() {
    let pki = Pki::new(false);
    let input_path = pki.make_pdf("in.pdf", &["--xref-stream"]);
    let input = std::fs::read(&input_path).unwrap();
    let signed = sign::sign_pdf(&input, &pki.p12("signer-legacy.p12"), &opts()).expect("sign");
    let p = pki.path("signed.pdf");
    std::fs::write(&p, &signed).unwrap();
    let (ok, out) = pyhanko_validate(&pki, &p);
    assert!(ok, "pyHanko:\n{out}");
    assert_pdfsig_valid(&pdfsig(&pki, &p), 1);
    let (ok, out) = qpdf_check(&p);
    assert!(ok && !out.contains("WARNING"), "qpdf:\n{out}");
    let (ok, out) = pdfa_check(&p);
    assert!(ok, "{out}");
    assert!(sign::verify(&signed, &pki.trust()).unwrap().valid);
}

#[test]
fn second_signature_keeps_the_first_valid() {
    let pki = Pki::new(false);
    let input = std::fs::read(demo_or_fixture_pdf(&pki)).unwrap();
    let once = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts()).unwrap();
    let twice = sign::sign_pdf(&once, &pki.p12("ec.p12"), &PadesOptions::default()).unwrap();
    assert!(twice.starts_with(&once));
    let p = pki.path("twice.pdf");
    std::fs::write(&p, &twice).unwrap();

    let (ok, out) = pyhanko_validate(&pki, &p);
    assert!(ok, "pyHanko:\n{out}");
    assert_pdfsig_valid(&pdfsig(&pki, &p), 2);
    let (ok, out) = pdfa_check(&p);
    assert!(ok, "{out}");

    let r = sign::verify(&twice, &pki.trust()).unwrap();
    assert!(r.valid, "{r:#?}");
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[0].changes_after_signing, ChangesAfterSigning::SignaturesOnly);
    assert!(!r.signatures[0].covers_whole_file);
    assert_eq!(r.signatures[1].changes_after_signing, ChangesAfterSigning::None);
    // The first signature filled the export's own empty field, if it has one (then the second
    // gets the first new name).
    let own_field = input.windows(25).any(|w| w == b"FirmaLegaleRappresentante");
    assert_eq!(r.signatures[1].field_name.as_deref(), Some(if own_field { "Firma1" } else { "Firma2" }));
    let ec = r.signatures[1].signer.as_ref().unwrap();
    assert_eq!(ec.codice_fiscale.as_deref(), Some("BNCLCU75C41F205Y"));
    assert_eq!(ec.common_name.as_deref(), Some("Lucia Bianchi Niccolò"));
}

#[test]
fn flipped_byte_inside_signed_range_is_caught() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("in.pdf", &[])).unwrap();
    let mut signed = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts()).unwrap();
    // Change one letter of the page text ("Piano" -> "Piano" with a different byte).
    let pos = signed.windows(5).position(|w| w == b"Piano").expect("text in content stream");
    signed[pos] = b'Q';
    let p = pki.path("tampered.pdf");
    std::fs::write(&p, &signed).unwrap();

    let r = sign::verify(&signed, &pki.trust()).unwrap();
    assert!(!r.valid);
    assert!(!r.signatures[0].intact && !r.signatures[0].digest_matches, "{r:#?}");
    assert!(r.summary.contains("NON valida"), "{}", r.summary);

    let (ok, out) = pyhanko_validate(&pki, &p);
    assert!(!ok, "pyHanko accepted a tampered file:\n{out}");
    let out = pdfsig(&pki, &p);
    assert!(!out.contains("Signature is Valid."), "pdfsig:\n{out}");
}

#[test]
fn bytes_appended_after_signing_are_detected() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("in.pdf", &[])).unwrap();
    let signed = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts()).unwrap();

    let mut appended = signed.clone();
    appended.extend_from_slice(b"%% aggiunto dopo la firma\n");
    let r = sign::verify(&appended, &pki.trust()).unwrap();
    assert!(r.signatures[0].intact, "the signed bytes are still intact");
    assert!(r.unsigned_data_after_last_signature && !r.valid, "{r:#?}");

    // A real incremental update that replaces the page content after signing.
    let doc = lopdf::Document::load_mem(&signed).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let contents = doc.get_dictionary(page).unwrap().get(b"Contents").unwrap().as_reference().unwrap();
    let mut upd = signed.clone();
    let off = upd.len();
    let body = b"BT /F1 18 Tf 72 760 Td (Testo cambiato) Tj ET";
    upd.extend_from_slice(
        format!("{} {} obj\n<</Length {}>>\nstream\n", contents.0, contents.1, body.len()).as_bytes(),
    );
    upd.extend_from_slice(body);
    upd.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = upd.len();
    let prev = String::from_utf8_lossy(&signed)
        .rsplit("startxref")
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap();
    upd.extend_from_slice(
        format!(
            "xref\n{} 1\n{:010} {:05} n\r\ntrailer\n<</Size {} /Root {} {} R /Prev {}>>\nstartxref\n{}\n%%EOF\n",
            contents.0, off, contents.1, size, root.0, root.1, prev, xref
        )
        .as_bytes(),
    );
    let r = sign::verify(&upd, &pki.trust()).unwrap();
    assert!(!r.valid, "{r:#?}");
    assert!(r.signatures[0].intact);
    assert_eq!(r.signatures[0].changes_after_signing, ChangesAfterSigning::Modified, "{r:#?}");
    let p = pki.path("modified.pdf");
    std::fs::write(&p, &upd).unwrap();
    let (ok, out) = pyhanko_validate(&pki, &p);
    assert!(!ok || !out.contains("The signature is judged VALID"), "pyHanko:\n{out}");
}

#[test]
fn untrusted_ca_is_reported() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("in.pdf", &[])).unwrap();
    let signed = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts()).unwrap();
    let mut other = sign::TrustStore::new();
    other.add_file(&pki.path("other-ca.crt")).unwrap();
    let r = sign::verify(&signed, &other).unwrap();
    assert!(!r.valid && r.signatures[0].intact && !r.signatures[0].trusted, "{r:#?}");
    let r = sign::verify(&signed, &sign::TrustStore::new()).unwrap();
    assert!(!r.valid && !r.signatures[0].trusted);
}

#[test]
fn pyhanko_made_signatures_verify_with_ours() {
    let pki = Pki::new(false);
    let input = pki.make_pdf("in.pdf", &[]);
    require_tool("pyhanko", "pip package pyhanko-cli");
    for (name, extra) in [("pades.pdf", vec!["--use-pades"]), ("pkcs7.pdf", vec![])] {
        let out = pki.path(name);
        let o = run(Command::new("pyhanko")
            .args(["sign", "addsig", "--field", "FirmaLR"])
            .args(&extra)
            .args(["--reason", "Prova", "pkcs12", "--passfile"])
            .arg(pki.path("p12.pass"))
            .arg(&input)
            .arg(&out)
            .arg(pki.path("signer.p12")));
        assert!(o.status.success(), "pyhanko addsig failed:\n{}", text(&o));
        let bytes = std::fs::read(&out).unwrap();
        let r = sign::verify(&bytes, &pki.trust()).unwrap();
        assert!(r.valid, "{name}: {r:#?}");
        assert_eq!(r.signatures[0].field_name.as_deref(), Some("FirmaLR"));
        assert_eq!(r.signatures[0].signer.as_ref().unwrap().codice_fiscale.as_deref(), Some("RSSMRA80A01F205X"));
        // and we can add our signature after pyHanko's, keeping it valid
        let twice = sign::sign_pdf(&bytes, &pki.p12("signer.p12"), &opts()).unwrap();
        let p2 = pki.path(format!("{name}.twice.pdf").as_str());
        std::fs::write(&p2, &twice).unwrap();
        let r = sign::verify(&twice, &pki.trust()).unwrap();
        assert!(r.valid && r.signatures.len() == 2, "{name}: {r:#?}");
        let (ok, out) = pyhanko_validate(&pki, &p2);
        assert!(ok, "pyHanko on {name} + ours:\n{out}");
    }
}

#[test]
fn signing_errors_are_clear_and_in_italian() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("in.pdf", &[])).unwrap();

    let wrong = sign::KeySource::pkcs12_file(&pki.path("signer.p12"), "sbagliata").unwrap();
    let e = sign::sign_pdf(&input, &wrong, &opts()).unwrap_err();
    assert!(matches!(e, SignError::WrongPassword), "{e:?}");
    assert!(e.to_string().contains("Password"), "{e}");
    assert!(!e.to_string().contains("sbagliata"));

    let e = sign::sign_pdf(&input, &pki.p12("nokey.p12"), &opts()).unwrap_err();
    assert!(matches!(e, SignError::NoPrivateKey(_)), "{e:?}");

    let e = sign::sign_pdf(&input, &pki.p12("expired.p12"), &opts()).unwrap_err();
    assert!(matches!(e, SignError::CertificateExpired(_)), "{e:?}");
    assert!(e.to_string().contains("scaduto il 01/01/2021"), "{e}");

    let enc = std::fs::read(pki.make_pdf("enc.pdf", &["--encrypt", "segreto"])).unwrap();
    let e = sign::sign_pdf(&enc, &pki.p12("signer.p12"), &opts()).unwrap_err();
    assert!(matches!(e, SignError::EncryptedPdf), "{e:?}");

    let cert = std::fs::read(pki.make_pdf("cert.pdf", &["--certify-p1"])).unwrap();
    let e = sign::sign_pdf(&cert, &pki.p12("signer.p12"), &opts()).unwrap_err();
    assert!(matches!(e, SignError::CertifiedPdf), "{e:?}");
    assert!(matches!(sign::check_signable_pdf(&cert), Err(SignError::CertifiedPdf)));

    let e = sign::sign_pdf(b"not a pdf at all", &pki.p12("signer.p12"), &opts()).unwrap_err();
    assert!(matches!(e, SignError::InvalidPdf(_)), "{e:?}");
    let e = sign::sign_pdf(&input[..input.len() / 2], &pki.p12("signer.p12"), &opts());
    assert!(e.is_err() || sign::verify(&e.unwrap(), &pki.trust()).is_ok());

    // Broken startxref: refused with a clear message instead of a signature that will not verify.
    let mut broken = input.clone();
    let p = broken.windows(9).rposition(|w| w == b"startxref").unwrap() + 10;
    broken[p] = if broken[p] == b'9' { b'1' } else { b'9' };
    assert!(matches!(sign::check_signable_pdf(&broken), Err(SignError::InvalidPdf(_))));
    assert!(sign::check_signable_pdf(&input).is_ok());
    match sign::sign_pdf(&broken, &pki.p12("signer.p12"), &opts()) {
        Err(SignError::InvalidPdf(m)) => assert!(m.contains("xref"), "{m}"),
        other => panic!("broken xref accepted: {:?}", other.map(|v| v.len())),
    }

    let e = sign::KeySource::pkcs12_file(&pki.path("missing.p12"), "x").unwrap_err();
    assert!(matches!(e, SignError::Io { .. }));
    let garbage =
        sign::KeySource::Pkcs12 { data: b"garbage".to_vec(), password: String::new().into(), name: "x.p12".into() };
    assert!(matches!(sign::load_key(&garbage), Err(SignError::InvalidP12(..)) | Err(SignError::WrongPassword)));

    // Verification of garbage never panics.
    assert!(sign::verify(b"garbage", &pki.trust()).is_err());
    let r = sign::verify(&input, &pki.trust()).unwrap();
    assert!(!r.valid && r.signatures.is_empty());
    assert_eq!(r.summary, "Firma NON valida: il file non contiene firme digitali.");
}

#[test]
fn pyhanko_timestamped_signature_and_document_timestamp_verify_with_ours() {
    let pki = Pki::new(false);
    let input = pki.make_pdf("in.pdf", &[]);
    require_tool("pyhanko", "pip package pyhanko-cli");
    let tsa = Tsa::start(&pki);

    // PAdES B-T: signature timestamp in the unsigned attributes.
    let bt = pki.path("bt.pdf");
    let o = run(Command::new("pyhanko")
        .args([
            "sign",
            "addsig",
            "--field",
            "FirmaLR",
            "--use-pades",
            "--timestamp-url",
            &tsa.url,
            "pkcs12",
            "--passfile",
        ])
        .arg(pki.path("p12.pass"))
        .arg(&input)
        .arg(&bt)
        .arg(pki.path("signer.p12")));
    assert!(o.status.success(), "pyhanko B-T:\n{}", text(&o));
    let bytes = std::fs::read(&bt).unwrap();
    let r = sign::verify(&bytes, &pki.trust()).unwrap();
    assert!(r.valid, "{r:#?}");
    let s = &r.signatures[0];
    assert_eq!(s.timestamp_valid, Some(true), "{s:#?}");
    assert_eq!(s.signing_time_source.as_deref(), Some("marca temporale"));
    assert!(s.timestamp_time.is_some());

    // Document timestamp (ETSI.RFC3161) added after our own signature.
    let ours = sign::sign_pdf(&std::fs::read(&input).unwrap(), &pki.p12("signer.p12"), &opts()).unwrap();
    let ours_path = pki.path("ours.pdf");
    std::fs::write(&ours_path, &ours).unwrap();
    let dts = pki.path("dts.pdf");
    let o = run(Command::new("pyhanko")
        .args(["sign", "timestamp", "--timestamp-url", &tsa.url, "--trust"])
        .arg(pki.path("ca.crt"))
        .arg("--trust-replace")
        .arg(&ours_path)
        .arg(&dts));
    assert!(o.status.success(), "pyhanko timestamp:\n{}", text(&o));
    let bytes = std::fs::read(&dts).unwrap();
    let r = sign::verify(&bytes, &pki.trust()).unwrap();
    assert_eq!(r.signatures.len(), 2, "{r:#?}");
    assert!(r.valid, "{r:#?}");
    assert_eq!(r.signatures[0].changes_after_signing, ChangesAfterSigning::SignaturesOnly);
    assert_eq!(r.signatures[1].sub_filter.as_deref(), Some("ETSI.RFC3161"));

    // A flipped byte in the timestamped signature's value is caught.
    let mut bad = std::fs::read(&bt).unwrap();
    let pos = bad.windows(5).position(|w| w == b"Piano").unwrap();
    bad[pos] = b'Z';
    assert!(!sign::verify(&bad, &pki.trust()).unwrap().valid);
}

#[test]
fn more_certificate_cases() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("in.pdf", &[])).unwrap();

    let e = sign::sign_pdf(&input, &pki.p12("future.p12"), &opts()).unwrap_err();
    assert!(matches!(e, SignError::CertificateNotYetValid(_)), "{e:?}");
    assert!(e.to_string().contains("01/01/2030"), "{e}");

    let e = sign::sign_pdf(&input, &pki.p12("ed25519.p12"), &opts()).unwrap_err();
    assert!(matches!(e, SignError::UnsupportedKey(_)), "{e:?}");
    assert!(e.to_string().contains("Ed25519"), "{e}");

    // digitalSignature-only certificate: signs and verifies, with warnings (no non-repudiation, no CF).
    let signed = sign::sign_pdf(&input, &pki.p12("ds.p12"), &opts()).unwrap();
    let r = sign::verify(&signed, &pki.trust()).unwrap();
    assert!(r.valid, "{r:#?}");
    let s = &r.signatures[0];
    assert!(!s.non_repudiation);
    assert!(s.warnings.iter().any(|w| w.contains("non ripudio")), "{s:#?}");
    assert!(s.warnings.iter().any(|w| w.contains("codice fiscale")), "{s:#?}");

    // A signature whose /Contents was damaged is reported, not a panic.
    let mut broken = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts()).unwrap();
    let at = broken.windows(10).position(|w| w == b"/Contents ").unwrap() + 11;
    broken[at..at + 8].copy_from_slice(b"00000000");
    let r = sign::verify(&broken, &pki.trust()).unwrap();
    assert!(!r.valid && !r.signatures[0].intact, "{r:#?}");

    // Loading the key once and signing twice (what the app does after showing the certificate).
    let key = sign::load_key(&pki.p12("signer.p12")).unwrap();
    assert_eq!(key.certificate().codice_fiscale.as_deref(), Some("RSSMRA80A01F205X"));
    let a = sign::sign_pdf_with(&input, &key, &opts()).unwrap();
    let b = sign::sign_cades_with(&input, &key, &sign::CadesOptions::default()).unwrap();
    assert!(sign::verify(&a, &pki.trust()).unwrap().valid);
    assert!(sign::verify(&b, &pki.trust()).unwrap().valid);

    // Deterministic output for a fixed time (RSA PKCS#1 v1.5 is deterministic).
    let t = chrono::Utc::now();
    let o = PadesOptions { time: Some(t), ..opts() };
    assert_eq!(sign::sign_pdf_with(&input, &key, &o).unwrap(), sign::sign_pdf_with(&input, &key, &o).unwrap());
}

#[test]
fn documents_certified_by_pyhanko_p2_can_be_signed_p1_are_refused() {
    let pki = Pki::new(false);
    let input = pki.make_pdf("in.pdf", &[]);
    require_tool("pyhanko", "pip package pyhanko-cli");
    // P=2 (form filling and signing allowed): pyHanko CLI default for --certify.
    let p2 = pki.path("cert-p2.pdf");
    let o = run(Command::new("pyhanko")
        .args(["sign", "addsig", "--field", "Certificazione", "--certify", "--use-pades", "pkcs12", "--passfile"])
        .arg(pki.path("p12.pass"))
        .arg(&input)
        .arg(&p2)
        .arg(pki.path("signer.p12")));
    assert!(o.status.success(), "{}", text(&o));
    let signed = sign::sign_pdf(&std::fs::read(&p2).unwrap(), &pki.p12("ec.p12"), &opts()).expect("P=2 allows signing");
    let out = pki.path("cert-p2-signed.pdf");
    std::fs::write(&out, &signed).unwrap();
    let (ok, t) = pyhanko_validate(&pki, &out);
    assert!(ok, "pyHanko (DocMDP diff analysis) rejects our update:\n{t}");
    let r = sign::verify(&signed, &pki.trust()).unwrap();
    assert!(r.valid && r.signatures.len() == 2, "{r:#?}");

    // P=1 (no changes at all): made through pyHanko's Python API.
    let p1 = pki.path("cert-p1.pdf");
    let script = format!(
        r#"
from pyhanko.sign import signers, fields
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
s = signers.SimpleSigner.load_pkcs12({p12:?}, passphrase=b'test1234')
with open({inp:?}, 'rb') as f:
    w = IncrementalPdfFileWriter(f)
    meta = signers.PdfSignatureMetadata(field_name='Certificazione', certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES, subfilter=fields.SigSeedSubFilter.PADES)
    with open({out:?}, 'wb') as o:
        signers.sign_pdf(w, meta, signer=s, output=o)
"#,
        p12 = pki.path("signer.p12").display().to_string(),
        inp = input.display().to_string(),
        out = p1.display().to_string()
    );
    let o = run(Command::new("python3").arg("-c").arg(script));
    assert!(o.status.success(), "{}", text(&o));
    let bytes = std::fs::read(&p1).unwrap();
    assert!(sign::verify(&bytes, &pki.trust()).unwrap().valid);
    let e = sign::sign_pdf(&bytes, &pki.p12("signer.p12"), &opts()).unwrap_err();
    assert!(matches!(e, SignError::CertifiedPdf), "{e:?}");
}

#[test]
fn visible_signature_keeps_pdfa_and_validates() {
    let pki = Pki::new(false);
    let input_path = demo_or_fixture_pdf(&pki);
    let input = std::fs::read(&input_path).unwrap();
    let before = pdfa_failures(&input_path);
    let o = PadesOptions { visible: sign::VisibleSignature::parse("1/330,150,535,215"), ..opts() };
    let signed = sign::sign_pdf(&input, &pki.p12("ec.p12"), &o).expect("visible");
    let p = pki.path("visible.pdf");
    std::fs::write(&p, &signed).unwrap();

    let (ok, out) = pyhanko_validate(&pki, &p);
    assert!(ok, "pyHanko:\n{out}");
    assert_pdfsig_valid(&pdfsig(&pki, &p), 1);
    let (ok, out) = qpdf_check(&p);
    assert!(ok && !out.contains("WARNING"), "qpdf:\n{out}");
    let after = pdfa_failures(&p);
    assert!(after.iter().all(|f| before.contains(f)), "before {before:?}, after {after:?}");
    assert!(sign::verify(&signed, &pki.trust()).unwrap().valid);

    // The appearance font is embedded; the text is there and readable.
    require_tool("pdffonts", "Debian package poppler-utils");
    let fonts = text(&run(Command::new("pdffonts").arg(&p)));
    let line = fonts
        .lines()
        .find(|l| l.starts_with("NotoSans-Regular ") && l.contains("TrueType"))
        .unwrap_or_else(|| panic!("{fonts}"));
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cols[cols.len() - 5], "yes", "not embedded:\n{fonts}");
    let txt = text(&run(Command::new("pdftotext").args(["-f", "1", "-l", "1"]).arg(&p).arg("-")));
    assert!(txt.contains("Firmato digitalmente da") && txt.contains("Lucia Bianchi Niccolò"), "{txt}");
    assert!(txt.contains("CF BNCLCU75C41F205Y"), "{txt}");
    // Rendered for a look (kept in the temp dir while debugging).
    let o =
        run(Command::new("pdftoppm").args(["-f", "1", "-l", "1", "-r", "60", "-png"]).arg(&p).arg(pki.path("visible")));
    assert!(o.status.success(), "{}", text(&o));
    if let Ok(dir) = std::env::var("SIGN_TEST_KEEP") {
        let _ = std::fs::copy(&p, std::path::Path::new(&dir).join("visible.pdf"));
        let _ = std::fs::copy(pki.path("visible-01.png"), std::path::Path::new(&dir).join("visible.png"))
            .or_else(|_| std::fs::copy(pki.path("visible-1.png"), std::path::Path::new(&dir).join("visible.png")));
    }

    // A page that does not exist.
    let o = PadesOptions { visible: sign::VisibleSignature::parse("99/330,60,560,130"), ..opts() };
    let e = sign::sign_pdf(&input, &pki.p12("ec.p12"), &o).unwrap_err();
    assert!(e.to_string().contains("pagina 99"), "{e}");
}

#[test]
fn poppler_made_signature_verifies_with_ours() {
    let pki = Pki::new(false);
    let input = pki.make_pdf("in.pdf", &[]);
    require_tool("pk12util", "Debian package libnss3-tools");
    let db = format!("sql:{}", pki.path("nssdb").display());
    let o = run(Command::new("pk12util")
        .arg("-i")
        .arg(pki.path("signer.p12"))
        .args(["-d", &db, "-W", "test1234", "-K", ""]));
    assert!(o.status.success(), "pk12util:\n{}", text(&o));
    let out = pki.path("poppler.pdf");
    // pdfsig signs through NSS (adbe.pkcs7.detached); it may complain at NSS shutdown, so the
    // result is judged by the file and by pdfsig's own reading of it.
    let o = run(Command::new("pdfsig")
        .args(["-add-signature", "-nssdir", &db, "-nick", "Mario Rossi", "-kpw", ""])
        .arg(&input)
        .arg(&out));
    assert!(out.exists(), "pdfsig -add-signature made nothing:\n{}", text(&o));
    let check = pdfsig(&pki, &out);
    assert!(check.contains("Signature is Valid."), "{check}");
    let r = sign::verify(&std::fs::read(&out).unwrap(), &pki.trust()).unwrap();
    assert!(r.valid, "{r:#?}");
    assert_eq!(r.signatures[0].sub_filter.as_deref(), Some("adbe.pkcs7.detached"));
    assert_eq!(r.signatures[0].signer.as_ref().unwrap().codice_fiscale.as_deref(), Some("RSSMRA80A01F205X"));
}
