//! Verification of what offices receive: a detached .p7s with its document (made by openssl),
//! a .p7m holding a PAdES-signed PDF (both levels), .tsd (RFC 5544) and .m7m (MIME) wrapping a
//! .p7m with a timestamp from `openssl ts`; each also altered.

mod common;

use common::sign::*;
use pianozona::sign::{self, CadesOptions, PadesOptions, SignedFileKind, Verdict};
use std::path::{Path, PathBuf};
use std::process::Command;

fn openssl(args: &[&str], paths: &[&Path]) -> String {
    let mut c = Command::new("openssl");
    c.args(args);
    for p in paths {
        c.arg(p);
    }
    let o = run(&mut c);
    assert!(o.status.success(), "openssl {args:?}: {}", text(&o));
    text(&o)
}

#[test]
fn detached_p7s_with_its_document() {
    let pki = Pki::new(false);
    let doc = pki.make_pdf("delibera.pdf", &[]);
    let p7s = pki.path("delibera.pdf.p7s");
    let o = run(Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-cades", "-md", "sha256", "-outform", "DER", "-in"])
        .arg(&doc)
        .arg("-signer")
        .arg(pki.path("signer.crt"))
        .arg("-inkey")
        .arg(pki.path("signer.key"))
        .arg("-out")
        .arg(&p7s));
    assert!(o.status.success(), "{}", text(&o));
    // openssl's own view of the pair
    let o = run(Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(&p7s)
        .arg("-content")
        .arg(&doc)
        .arg("-CAfile")
        .arg(pki.path("ca.crt"))
        .args(["-out", "/dev/null"]));
    assert!(o.status.success(), "{}", text(&o));

    let sig = std::fs::read(&p7s).unwrap();
    let data = std::fs::read(&doc).unwrap();
    let r = sign::verify_detached(&sig, &data, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.kind, SignedFileKind::P7s);
    // Alone, the .p7s says where the document is missing.
    let r = sign::verify(&sig, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Invalid);
    assert!(r.summary.contains("staccata"), "{}", r.summary);
    // Another document: invalid, for openssl too.
    let mut other = data.clone();
    let n = other.len() / 2;
    other[n] ^= 1;
    let r = sign::verify_detached(&sig, &other, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Invalid, "{r:#?}");
    let other_path = pki.path("altro.pdf");
    std::fs::write(&other_path, &other).unwrap();
    let o = run(Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(&p7s)
        .arg("-content")
        .arg(&other_path)
        .arg("-CAfile")
        .arg(pki.path("ca.crt"))
        .args(["-out", "/dev/null"]));
    assert!(!o.status.success());

    // CLI: the document beside the .p7s is found by name; --documento names another one.
    let o = run(pianozona().arg("verify").arg(&p7s).arg("--trust").arg(pki.path("ca.crt")));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("firma CAdES staccata"), "{}", text(&o));
    let o = run(pianozona()
        .arg("verify")
        .arg(&p7s)
        .arg("--documento")
        .arg(&other_path)
        .arg("--trust")
        .arg(pki.path("ca.crt")));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    std::fs::remove_file(&doc).unwrap();
    let o = run(pianozona().arg("verify").arg(&p7s).arg("--trust").arg(pki.path("ca.crt")));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("delibera.pdf") && !text(&o).contains("os error"), "{}", text(&o));
}

#[test]
fn p7m_holding_a_pades_pdf_reports_both_levels() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("doc.pdf", &[])).unwrap();
    let pades = sign::sign_pdf(&input, &pki.p12("signer.p12"), &PadesOptions::default()).unwrap();
    let p7m = sign::sign_cades(&pades, &pki.p12("ec.p12"), &CadesOptions::default()).unwrap();
    let r = sign::verify(&p7m, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures.len(), 2, "{r:#?}");
    assert_eq!(r.signatures[0].sub_filter.as_deref(), Some("CAdES"));
    assert_eq!(r.signatures[1].sub_filter.as_deref(), Some("ETSI.CAdES.detached"));

    // The PDF altered after its PAdES signature, then enveloped: the envelope is intact, the
    // whole is not valid.
    let signed_path = pki.path("pades.pdf");
    std::fs::write(&signed_path, &pades).unwrap();
    let altered = pki.path("altered.pdf");
    let o = run(Command::new("python3")
        .arg(support_dir().join("attack.py"))
        .arg(&signed_path)
        .arg(&altered)
        .arg("content_inplace"));
    assert!(o.status.success(), "{}", text(&o));
    let p7m =
        sign::sign_cades(&std::fs::read(&altered).unwrap(), &pki.p12("ec.p12"), &CadesOptions::default()).unwrap();
    let r = sign::verify(&p7m, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Invalid, "{r:#?}");
    assert_eq!(r.signatures[0].verdict, Verdict::Valid);
    assert_eq!(r.signatures[1].verdict, Verdict::Invalid);
}

/// A .p7m by us, a token and a reply over it from `openssl ts`, wrapped by make_tsd.py.
fn tsd_and_m7m(pki: &Pki, p7m: &Path, prefix: &str) -> (PathBuf, PathBuf) {
    let q = pki.path(&format!("{prefix}.tsq"));
    openssl(&["ts", "-query", "-sha256", "-cert", "-data"], &[p7m, Path::new("-out"), &q]);
    let tok = pki.path(&format!("{prefix}.tst"));
    let rep = pki.path(&format!("{prefix}.tsr"));
    let cnf = pki.path("tsa.cnf");
    openssl(
        &["ts", "-reply", "-config"],
        &[&cnf, Path::new("-queryfile"), &q, Path::new("-token_out"), Path::new("-out"), &tok],
    );
    openssl(&["ts", "-reply", "-config"], &[&cnf, Path::new("-queryfile"), &q, Path::new("-out"), &rep]);
    let tsd = pki.path(&format!("{prefix}.tsd"));
    let m7m = pki.path(&format!("{prefix}.m7m"));
    let o = run(Command::new("python3").arg(support_dir().join("make_tsd.py")).args([p7m, &tok, &rep, &tsd, &m7m]));
    assert!(o.status.success(), "{}", text(&o));
    (tsd, m7m)
}

#[test]
fn tsd_and_m7m_with_a_timestamp_around_a_p7m() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("doc.pdf", &[])).unwrap();
    let p7m = sign::sign_cades(&input, &pki.p12("signer.p12"), &CadesOptions::default()).unwrap();
    let p7m_path = pki.path("doc.pdf.p7m");
    std::fs::write(&p7m_path, &p7m).unwrap();
    let (tsd, m7m) = tsd_and_m7m(&pki, &p7m_path, "doc");
    for f in [&tsd, &m7m] {
        let r = sign::verify(&std::fs::read(f).unwrap(), &pki.trust()).unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{}: {r:#?}", f.display());
        assert_eq!(r.kind, SignedFileKind::Timestamped);
        assert!(r.file_timestamp.is_some());
        assert_eq!(r.signatures[0].signing_time_source.as_deref(), Some("marca temporale del file (.tsd/.m7m)"));
        let o = run(pianozona().arg("verify").arg(f).arg("--trust").arg(pki.path("ca.crt")));
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(text(&o).contains("Marca temporale del file"), "{}", text(&o));
    }

    // The timestamp of another file: the imprint does not match.
    let other = sign::sign_cades(b"altro documento", &pki.p12("signer.p12"), &CadesOptions::default()).unwrap();
    let other_path = pki.path("other.p7m");
    std::fs::write(&other_path, &other).unwrap();
    let (other_tsd, other_m7m) = tsd_and_m7m(&pki, &other_path, "other");
    let swap = |wrapper: &Path| -> Vec<u8> {
        // Put our p7m where the other one was (same wrapper, other timestamp).
        let w = std::fs::read(wrapper).unwrap();
        if wrapper.extension().is_some_and(|e| e == "m7m") {
            let s = String::from_utf8(w).unwrap();
            let b64 = |b: &[u8]| {
                let o = run(Command::new("base64").arg("-w0").arg(write_tmp(&pki, b)));
                String::from_utf8(o.stdout).unwrap()
            };
            let old = b64(&other)
                .chars()
                .collect::<Vec<_>>()
                .chunks(76)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("\r\n");
            let new = b64(&p7m)
                .chars()
                .collect::<Vec<_>>()
                .chunks(76)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("\r\n");
            assert!(s.contains(&old));
            s.replace(&old, &new).into_bytes()
        } else {
            // Rebuild the .tsd with the other token around our p7m.
            let out = pki.path("swapped.tsd");
            let o = run(Command::new("python3").arg(support_dir().join("make_tsd.py")).args([
                &p7m_path,
                &pki.path("other.tst"),
                &pki.path("other.tsr"),
                &out,
                &pki.path("swapped.m7m"),
            ]));
            assert!(o.status.success(), "{}", text(&o));
            std::fs::read(out).unwrap()
        }
    };
    for f in [&other_tsd, &other_m7m] {
        let bytes = swap(f);
        let r = sign::verify(&bytes, &pki.trust()).unwrap();
        assert_eq!(r.verdict, Verdict::Invalid, "{}: {r:#?}", f.display());
        assert!(r.problems.iter().any(|p| p.contains("marca temporale")), "{r:#?}");
    }
    // The .p7m inside altered: the envelope signature breaks.
    let mut bad = std::fs::read(&tsd).unwrap();
    let pos = bad.windows(5).position(|w| w == b"%PDF-").unwrap() + 200;
    bad[pos] ^= 1;
    assert_eq!(sign::verify(&bad, &pki.trust()).unwrap().verdict, Verdict::Invalid);
    // An untrusted TSA (and signer): intact but untrusted at best, never valid.
    let mut other_ca = sign::TrustStore::new();
    other_ca.add_file(&pki.path("other-ca.crt")).unwrap();
    let r = sign::verify(&std::fs::read(&tsd).unwrap(), &other_ca).unwrap();
    assert_ne!(r.verdict, Verdict::Valid, "{r:#?}");
}

fn write_tmp(pki: &Pki, b: &[u8]) -> PathBuf {
    let p = pki.path(&format!("tmp-{}.bin", b.len()));
    std::fs::write(&p, b).unwrap();
    p
}
