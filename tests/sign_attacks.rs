//! Attacks on a PDF signed by us (incremental updates crafted by tests/support/sign/attack.py),
//! judged by our verifier and by pyHanko. Every attack must be "firma NON valida"; where
//! pyHanko judges a case invalid we must too, and the positive controls must be valid for both.

#[path = "support/sign/mod.rs"]
mod support;

use pianozona::sign::{self, PadesOptions, Verdict};
use std::process::Command;
use support::{pyhanko_validate, run, support_dir, text, Pki};

const ATTACKS: &[&str] = &[
    "new_root",
    "page_contents",
    "content_inplace",
    "content_appended",
    "widget_ap",
    "fake_sig_annot",
    "fake_sig_field",
    "fake_dss_annot",
    "fake_type_sig",
    "freetext",
    "unparsable_token",
    "unparsable_name",
    "unparsable_bracket",
    "freed_content",
    "freed_font",
    "info_swap",
    "resources_font_inplace",
    "open_action",
    "garbage",
];
const BENIGN: &[&str] = &["benign_sig_field"];

fn attack(pki: &Pki, signed: &std::path::Path, case: &str) -> std::path::PathBuf {
    let out = pki.path(&format!("{case}.pdf"));
    let o = run(Command::new("python3").arg(support_dir().join("attack.py")).arg(signed).arg(&out).arg(case));
    assert!(o.status.success(), "attack.py {case}:\n{}", text(&o));
    out
}

#[test]
fn attacks_are_invalid_and_benign_updates_are_valid_like_pyhanko() {
    let pki = Pki::new(false);
    let input = std::fs::read(pki.make_pdf("doc.pdf", &[])).unwrap();
    let opts = PadesOptions { visible: sign::VisibleSignature::parse("1/380,50,560,110"), ..Default::default() };
    let signed = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts).unwrap();
    let signed_path = pki.path("signed.pdf");
    std::fs::write(&signed_path, &signed).unwrap();
    let trust = pki.trust();
    let mut table = Vec::new();
    let mut wrong = Vec::new();
    for case in ATTACKS.iter().chain(BENIGN) {
        let f = attack(&pki, &signed_path, case);
        let bytes = std::fs::read(&f).unwrap();
        let ours =
            sign::verify(&bytes, &trust).map(|r| (r.verdict, r.summary)).unwrap_or((Verdict::Invalid, "errore".into()));
        let (py_ok, py_out) = pyhanko_validate(&pki, &f);
        let benign = BENIGN.contains(case);
        table.push(format!("{case:24} ours={:?} pyhanko={}", ours.0, if py_ok { "valid" } else { "invalid" }));
        let ok = if benign { ours.0 == Verdict::Valid && py_ok } else { ours.0 == Verdict::Invalid };
        if !ok {
            wrong.push(format!("{case}: ours {:?} ({}) pyhanko ok={py_ok}\n{py_out}", ours.0, ours.1));
        }
    }
    // The second signature (positive control) and a damaged second signature.
    let second = sign::sign_pdf(&signed, &pki.p12("ec.p12"), &PadesOptions::default()).unwrap();
    let r = sign::verify(&second, &trust).unwrap();
    std::fs::write(pki.path("second.pdf"), &second).unwrap();
    let (py_ok, _) = pyhanko_validate(&pki, &pki.path("second.pdf"));
    table.push(format!("{:24} ours={:?} pyhanko={}", "second_signature", r.verdict, py_ok));
    if r.verdict != Verdict::Valid || r.signatures.len() != 2 || !py_ok {
        wrong.push(format!("second signature: {r:#?}"));
    }
    let mut damaged = second.clone();
    let pos = damaged.windows(10).rposition(|w| w == b"/ByteRange").unwrap();
    let open = pos + damaged[pos..].iter().position(|c| *c == b'[').unwrap();
    damaged[open + 1] = b'7'; // [0 ... -> [7 ...: no longer starts at 0
    let r = sign::verify(&damaged, &trust).unwrap();
    table.push(format!("{:24} ours={:?} ({} firme)", "damaged_second", r.verdict, r.signatures.len()));
    if r.verdict != Verdict::Invalid || r.signatures.len() != 2 || !r.signatures.iter().any(|s| s.damaged) {
        wrong.push(format!("damaged second signature: {r:#?}"));
    }
    assert!(r.summary.contains("danneggiata"), "{}", r.summary);
    println!("{}", table.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// openssl-made .p7m with RSA-PSS (declared salt lengths) and SHA-512 are valid for us as for openssl.
#[test]
fn openssl_pss_and_sha512_p7m_are_valid() {
    let pki = Pki::new(false);
    let doc = pki.make_pdf("doc.pdf", &[]);
    let cases: &[(&str, &[&str])] = &[
        ("pss-default", &["-md", "sha256", "-keyopt", "rsa_padding_mode:pss"]),
        ("pss-max", &["-md", "sha256", "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:max"]),
        ("pss-sha512", &["-md", "sha512", "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"]),
        ("sha512", &["-md", "sha512"]),
    ];
    for (name, args) in cases {
        let p7m = pki.path(&format!("{name}.p7m"));
        let o = run(Command::new("openssl")
            .args(["cms", "-sign", "-binary", "-nodetach", "-cades", "-in"])
            .arg(&doc)
            .arg("-signer")
            .arg(pki.path("signer.crt"))
            .arg("-inkey")
            .arg(pki.path("signer.key"))
            .args(*args)
            .args(["-outform", "DER", "-out"])
            .arg(&p7m));
        assert!(o.status.success(), "{name}: {}", text(&o));
        let r = sign::verify(&std::fs::read(&p7m).unwrap(), &pki.trust()).unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{name}: {r:#?}");
        let mut bad = std::fs::read(&p7m).unwrap();
        let n = bad.len();
        bad[n - 10] ^= 1; // inside the signature value
        let r = sign::verify(&bad, &pki.trust()).unwrap();
        assert_eq!(r.verdict, Verdict::Invalid, "{name} altered: {r:#?}");
    }
}
