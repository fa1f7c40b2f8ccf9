//! CAdES-BES attached (.pdf.p7m): ours checked by `openssl cms -verify`, OpenSSL's checked by ours.

mod common;

use common::sign::*;
use pianozona::sign::{self, CadesOptions};
use std::process::Command;

#[test]
fn our_p7m_verifies_with_openssl_and_ours() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("doc.pdf", &[])).unwrap();
    for key in ["signer.p12", "ec.p12"] {
        let p7m = sign::sign_cades(&input, &pki.p12(key), &CadesOptions::default()).expect("sign");
        let p = pki.path(&format!("{key}.pdf.p7m"));
        std::fs::write(&p, &p7m).unwrap();
        let extracted = pki.path("extracted.pdf");
        let (ok, out) = openssl_cms_verify(&pki, &p, &extracted);
        assert!(ok && out.contains("Verification successful"), "{key}: openssl:\n{out}");
        assert_eq!(std::fs::read(&extracted).unwrap(), input, "enveloped content must be byte-identical");

        let o = run(Command::new("openssl").args(["cms", "-cmsout", "-print", "-inform", "DER", "-in"]).arg(&p));
        let dump = text(&o);
        for attr in ["contentType", "signingTime", "messageDigest", "id-smime-aa-signingCertificateV2"] {
            assert!(dump.contains(attr), "{key}: missing {attr}:\n{dump}");
        }

        let r = sign::verify(&p7m, &pki.trust()).unwrap();
        assert!(r.valid, "{key}: {r:#?}");
        assert_eq!(r.kind, sign::SignedFileKind::P7m);
        assert_eq!(r.content_is_pdf, Some(true));
        assert_eq!(r.signatures[0].signing_time_source.as_deref(), Some("ora della verifica"));
        assert_eq!(r.signatures[0].claimed_time_source.as_deref(), Some("dichiarata dal firmatario (signingTime)"));
        assert_eq!(sign::extract_p7m_content(&p7m).unwrap(), input);
    }
}

#[test]
fn openssl_made_p7m_verifies_with_ours_also_base64() {
    let pki = Pki::new(false);
    let doc = pki.make_pdf("doc.pdf", &[]);
    let p7m = pki.path("doc.pdf.p7m");
    let o = run(Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-nodetach", "-cades", "-md", "sha256", "-in"])
        .arg(&doc)
        .arg("-signer")
        .arg(pki.path("signer.crt"))
        .arg("-inkey")
        .arg(pki.path("signer.key"))
        .arg("-certfile")
        .arg(pki.path("ca.crt"))
        .args(["-outform", "DER", "-out"])
        .arg(&p7m));
    assert!(o.status.success(), "openssl cms -sign:\n{}", text(&o));
    let bytes = std::fs::read(&p7m).unwrap();
    let r = sign::verify(&bytes, &pki.trust()).unwrap();
    assert!(r.valid, "{r:#?}");
    let s = &r.signatures[0];
    assert_eq!(s.signer.as_ref().unwrap().codice_fiscale.as_deref(), Some("RSSMRA80A01F205X"));
    assert_eq!(s.signing_certificate_v2, Some(true));

    // Some Italian tools save .p7m as base64 (PEM): same result.
    let pem = pki.path("doc.pem.p7m");
    let o = run(Command::new("openssl")
        .args(["cms", "-cmsout", "-inform", "DER", "-outform", "PEM", "-in"])
        .arg(&p7m)
        .arg("-out")
        .arg(&pem));
    assert!(o.status.success(), "{}", text(&o));
    let r = sign::verify(&std::fs::read(&pem).unwrap(), &pki.trust()).unwrap();
    assert!(r.valid, "{r:#?}");

    // Streamed (BER, indefinite lengths, segmented content) as NSS-based tools write it.
    let ber = pki.path("doc.ber.p7m");
    let o = run(Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-nodetach", "-stream", "-cades", "-md", "sha256", "-in"])
        .arg(&doc)
        .arg("-signer")
        .arg(pki.path("signer.crt"))
        .arg("-inkey")
        .arg(pki.path("signer.key"))
        .args(["-outform", "DER", "-out"])
        .arg(&ber));
    assert!(o.status.success(), "{}", text(&o));
    let ber_bytes = std::fs::read(&ber).unwrap();
    assert_eq!(ber_bytes[1], 0x80, "expected indefinite-length BER from -stream");
    let r = sign::verify(&ber_bytes, &pki.trust()).unwrap();
    assert!(r.valid, "{r:#?}");
    assert_eq!(sign::extract_p7m_content(&ber_bytes).unwrap(), std::fs::read(&doc).unwrap());

    // Detached .p7s: reported as such, not as valid.
    let p7s = pki.path("doc.pdf.p7s");
    let o = run(Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-cades", "-md", "sha256", "-in"])
        .arg(&doc)
        .arg("-signer")
        .arg(pki.path("signer.crt"))
        .arg("-inkey")
        .arg(pki.path("signer.key"))
        .args(["-outform", "DER", "-out"])
        .arg(&p7s));
    assert!(o.status.success(), "{}", text(&o));
    let r = sign::verify(&std::fs::read(&p7s).unwrap(), &pki.trust()).unwrap();
    assert!(!r.valid && r.problems.iter().any(|p| p.contains("staccata")), "{r:#?}");
}

#[test]
fn tampered_p7m_is_caught_by_us_and_openssl() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("doc.pdf", &[])).unwrap();
    let mut p7m = sign::sign_cades(&input, &pki.p12("signer.p12"), &CadesOptions::default()).unwrap();
    let pos = p7m.windows(5).position(|w| w == b"Piano").expect("content inside");
    p7m[pos] = b'Q';
    let p = pki.path("tampered.p7m");
    std::fs::write(&p, &p7m).unwrap();
    let r = sign::verify(&p7m, &pki.trust()).unwrap();
    assert!(!r.valid && !r.signatures[0].digest_matches, "{r:#?}");
    let (ok, out) = openssl_cms_verify(&pki, &p, &pki.path("x.pdf"));
    assert!(!ok, "openssl accepted a tampered p7m:\n{out}");

    // Bytes appended after the envelope.
    let mut good = sign::sign_cades(&input, &pki.p12("signer.p12"), &CadesOptions::default()).unwrap();
    good.extend_from_slice(b"coda");
    let r = sign::verify(&good, &pki.trust()).unwrap();
    assert!(!r.valid && r.unsigned_data_after_last_signature, "{r:#?}");

    // Garbage never panics.
    assert!(sign::verify(&[0x30, 0x82, 0xff, 0xff, 1, 2, 3], &pki.trust()).is_err());
    assert!(sign::extract_p7m_content(b"nope").is_err());
}

#[test]
fn trust_store_from_a_folder() {
    let pki = Pki::new(false);
    let dir = pki.path("ca-attendibili");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(pki.path("ca.crt"), dir.join("test-root.pem")).unwrap();
    std::fs::copy(pki.path("ca.der"), dir.join("same-root.der")).unwrap();
    std::fs::write(dir.join("rotto.pem"), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n").unwrap();
    std::fs::write(dir.join("leggimi.txt"), "ignored").unwrap();
    let (store, skipped) = sign::TrustStore::from_dir(&dir).unwrap();
    assert_eq!(store.len(), 1, "the same CA twice counts once");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    let input = std::fs::read(pki.make_pdf("doc.pdf", &[])).unwrap();
    let p7m = sign::sign_cades(&input, &pki.p12("signer.p12"), &CadesOptions::default()).unwrap();
    assert!(sign::verify(&p7m, &store).unwrap().valid);
    assert!(sign::TrustStore::from_dir(&pki.path("missing")).is_err());
}

#[test]
fn parallel_and_nested_p7m() {
    let pki = Pki::new(false);
    let doc = pki.make_pdf("doc.pdf", &[]);
    let input = std::fs::read(&doc).unwrap();

    // Parallel signatures: ours, then OpenSSL adds a second signer to the same envelope.
    let p7m = pki.path("doc.pdf.p7m");
    std::fs::write(&p7m, sign::sign_cades(&input, &pki.p12("signer.p12"), &CadesOptions::default()).unwrap()).unwrap();
    let two = pki.path("two.p7m");
    let o = run(Command::new("openssl")
        .args(["cms", "-resign", "-binary", "-nodetach", "-cades", "-md", "sha256", "-inform", "DER", "-in"])
        .arg(&p7m)
        .arg("-signer")
        .arg(pki.path("ec.crt"))
        .arg("-inkey")
        .arg(pki.path("ec.key"))
        .args(["-outform", "DER", "-out"])
        .arg(&two));
    assert!(o.status.success(), "openssl -resign:\n{}", text(&o));
    let r = sign::verify(&std::fs::read(&two).unwrap(), &pki.trust()).unwrap();
    assert!(r.valid && r.signatures.len() == 2, "{r:#?}");
    let names: Vec<String> = r.signatures.iter().map(|s| s.signer.as_ref().unwrap().display_name()).collect();
    assert!(
        names.contains(&"Mario Rossi".to_string()) && names.contains(&"Lucia Bianchi Niccolò".to_string()),
        "{names:?}"
    );

    // Nested .p7m.p7m: a second signer envelopes the first envelope.
    let inner = std::fs::read(&p7m).unwrap();
    let outer = sign::sign_cades(&inner, &pki.p12("ec.p12"), &CadesOptions::default()).unwrap();
    let r = sign::verify(&outer, &pki.trust()).unwrap();
    assert!(r.valid && r.signatures.len() == 2, "{r:#?}");
    assert_eq!(r.content_is_pdf, Some(true));
    assert_eq!(sign::extract_p7m_content(&outer).unwrap(), input);
    let mut bad = outer.clone();
    let pos = bad.windows(5).position(|w| w == b"Piano").unwrap();
    bad[pos] = b'Q';
    let r = sign::verify(&bad, &pki.trust()).unwrap();
    assert!(!r.valid, "{r:#?}");
}

#[test]
fn signature_made_with_an_expired_certificate_is_invalid() {
    let pki = Pki::new(false);
    let doc = pki.make_pdf("doc.pdf", &[]);
    let p7m = pki.path("expired.p7m");
    let o = run(Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-nodetach", "-cades", "-md", "sha256", "-in"])
        .arg(&doc)
        .arg("-signer")
        .arg(pki.path("expired.crt"))
        .arg("-inkey")
        .arg(pki.path("expired.key"))
        .args(["-outform", "DER", "-out"])
        .arg(&p7m));
    assert!(o.status.success(), "{}", text(&o));
    let r = sign::verify(&std::fs::read(&p7m).unwrap(), &pki.trust()).unwrap();
    let s = &r.signatures[0];
    assert!(!r.valid && s.intact, "{r:#?}");
    assert_eq!(s.cert_valid_at_signing_time, Some(false));
    assert!(s.problems.iter().any(|p| p.contains("non è valido oggi")), "{s:#?}");
}
