//! Signing with a signature timestamp (PAdES B-T, CAdES-T) from a TSA started on loopback
//! (tsa_server.py + `openssl ts -reply`), judged by us, pyHanko, pdfsig and openssl; a token
//! altered after signing; a TSA that is down.

mod common;

use common::sign::*;
use pianozona::sign::{self, CadesOptions, PadesOptions, TimestampAuthority, Verdict};
use std::process::Command;

/// Flips the year of the timestamp's genTime (GeneralizedTime, tag 0x18 len 15), in DER or in
/// the hex of a PDF /Contents.
fn alter_gen_time(data: &mut [u8], hex: bool) -> bool {
    let pat: &[u8] = if hex { b"180F3230" } else { &[0x18, 0x0f, b'2', b'0'] };
    let Some(p) = data.windows(pat.len()).position(|w| w == pat) else { return false };
    if hex {
        data[p + 7] = b'1'; // "20.." -> "21.."
    } else {
        data[p + 3] = b'1';
    }
    true
}

#[test]
fn pades_b_t_and_cades_t_from_a_loopback_tsa() {
    let pki = Pki::new(false);
    let tsa = Tsa::start(&pki);
    let input_path = pki.make_pdf("doc.pdf", &[]);
    let input = std::fs::read(&input_path).unwrap();
    let key = sign::load_key(&pki.p12("signer.p12")).unwrap();
    let ts = Some(TimestampAuthority::new(&tsa.url));

    // PAdES B-T
    let opts = PadesOptions { timestamp: ts.clone(), reason: Some("Domanda".into()), ..Default::default() };
    let bt = sign::sign_pdf_with(&input, &key, &opts).unwrap();
    let bt_path = pki.path("bt.pdf");
    std::fs::write(&bt_path, &bt).unwrap();
    let r = sign::verify(&bt, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    let s = &r.signatures[0];
    assert_eq!(s.timestamp_valid, Some(true));
    assert_eq!(s.signing_time_source.as_deref(), Some("marca temporale"));
    let (ok, out) = pyhanko_validate(&pki, &bt_path);
    assert!(ok && out.contains("Signature timestamp token") && out.contains("judged VALID"), "{out}");
    let p = pdfsig(&pki, &bt_path);
    assert!(p.contains("Signature is Valid.") && p.contains("Total document signed"), "{p}");
    let (ok, q) = qpdf_check(&bt_path);
    assert!(ok, "{q}");

    // The token's genTime altered: the TSA's signature over it breaks, for us and for pyHanko.
    let mut bad = bt.clone();
    assert!(alter_gen_time(&mut bad, true));
    let bad_path = pki.path("bt-bad.pdf");
    std::fs::write(&bad_path, &bad).unwrap();
    let r = sign::verify(&bad, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Invalid, "{r:#?}");
    assert!(r.signatures[0].problems.iter().any(|p| p.contains("marca temporale")), "{r:#?}");
    let (ok, out) = pyhanko_validate(&pki, &bad_path);
    assert!(!ok || !out.contains("judged VALID"), "pyHanko accepts an altered token:\n{out}");

    // CAdES-T
    let p7m =
        sign::sign_cades_with(&input, &key, &CadesOptions { timestamp: ts.clone(), ..Default::default() }).unwrap();
    let p7m_path = pki.path("doc.pdf.p7m");
    std::fs::write(&p7m_path, &p7m).unwrap();
    let r = sign::verify(&p7m, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures[0].signing_time_source.as_deref(), Some("marca temporale"));
    let o = run(Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(&p7m_path)
        .arg("-CAfile")
        .arg(pki.path("ca.crt"))
        .arg("-out")
        .arg(pki.path("content.pdf")));
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read(pki.path("content.pdf")).unwrap(), input);
    let mut bad = p7m.clone();
    assert!(alter_gen_time(&mut bad, false));
    let r = sign::verify(&bad, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Invalid, "{r:#?}");

    // The token as openssl ts sees it: extracted by openssl from our .p7m and verified.
    let o = run(Command::new("openssl").args(["cms", "-cmsout", "-print", "-inform", "DER", "-in"]).arg(&p7m_path));
    assert!(text(&o).contains("id-smime-aa-timeStampToken"), "{}", text(&o));
}

#[test]
fn cli_tsa_down_or_https_is_a_clear_error_and_writes_nothing() {
    let pki = Pki::new(false);
    let input = pki.make_pdf("doc.pdf", &[]);
    // A port nobody listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    for (url, words) in [
        (format!("http://127.0.0.1:{port}/tsa"), "non risponde"),
        ("https://tsa.example.invalid/".to_string(), "http://"),
    ] {
        let out = pki.path("out.pdf");
        let o = run(pianozona()
            .arg("sign")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .arg("--p12")
            .arg(pki.path("signer.p12"))
            .arg("--password-file")
            .arg(pki.path("p12.pass"))
            .arg("--tsa")
            .arg(&url));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{t}");
        assert!(t.contains("Marca temporale non ottenuta") && t.contains(words), "{t}");
        assert!(!out.exists());
    }
    // With a TSA the CLI says which level it made.
    let tsa = Tsa::start(&pki);
    let out = pki.path("bt.pdf");
    let o = run(pianozona()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .arg("--password-file")
        .arg(pki.path("p12.pass"))
        .arg("--tsa")
        .arg(&tsa.url));
    assert!(o.status.success() && text(&o).contains("PAdES B-T"), "{}", text(&o));
    let o = run(pianozona().arg("verify").arg(&out).arg("--trust").arg(pki.path("ca.crt")));
    assert!(o.status.success() && text(&o).contains("(marca temporale)"), "{}", text(&o));
}
