//! Attacks on a PDF signed by us (incremental updates crafted by tests/support/sign/attack.py),
//! judged by our verifier and by pyHanko. Every attack must be "firma NON valida"; where
//! pyHanko judges a case invalid we must too, and the positive controls must be valid for both.

mod common;

use common::sign::{pyhanko_validate, run, support_dir, text, Pki, Tsa};
use pianozona::sign::{self, PadesOptions, Verdict};
use std::process::Command;

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
    "page_mediabox",
    "page_cropbox",
    "page_rotate",
    "page_userunit",
    "page_added",
    "annot_removed",
    "widget_hidden",
    "widget_moved",
    "sig_value_swap",
    "link_uri",
    "names_javascript",
    "page_aa",
    "need_appearances",
    "gen_bump",
    "xref_stream_update",
    "objstm_page",
    "hybrid_xrefstm",
    "trailer_encrypt",
    "prev_loop",
    "startxref_wrong",
    "resources_xobject_added",
    "empty_update",
];
const BENIGN: &[&str] = &["benign_sig_field", "dss_added"];

/// Attacks pyHanko accepts and we refuse, with the reason we are stricter.
const STRICTER: &[(&str, &str)] = &[
    (
        "fake_sig_field",
        "an empty signature field whose widget paints over the whole page changes what is seen \
         although no signature was added",
    ),
    ("info_swap", "a new /Info changes the title and author readers show"),
    ("garbage", "bytes after the last %%EOF belong to no update and to no signature"),
    (
        "need_appearances",
        "/NeedAppearances true asks the reader to redraw every field, the signed widgets included: \
         what is shown no longer comes from the signed appearance streams",
    ),
];

fn attack(pki: &Pki, signed: &std::path::Path, case: &str) -> std::path::PathBuf {
    let out = pki.path(&format!("{case}.pdf"));
    let o = run(Command::new("python3")
        .arg(support_dir().join("attack.py"))
        .arg(signed)
        .arg(&out)
        .arg(case)
        .arg(pki.path("ca.der")));
    assert!(o.status.success(), "attack.py {case}:\n{}", text(&o));
    out
}

/// pdfsig's view: it checks each signature's bytes only, never what was added after it.
fn pdfsig_view(pki: &Pki, f: &std::path::Path) -> &'static str {
    let out = common::sign::pdfsig(pki, f);
    if out.contains("Digest Mismatch") || out.contains("Signature is Invalid") {
        "non valida"
    } else if !out.contains("Signature is Valid.") {
        "nessuna firma"
    } else if out.contains("Not total document signed") {
        "valida, parziale"
    } else {
        "valida"
    }
}

#[test]
fn attacks_are_invalid_and_benign_updates_are_valid_like_pyhanko() {
    let pki = Pki::new(false);
    let input_path = pki.make_pdf("doc.pdf", &[]);
    let input = std::fs::read(&input_path).unwrap();
    let opts = PadesOptions { visible: sign::VisibleSignature::parse("1/380,50,560,110"), ..Default::default() };
    let signed = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts).unwrap();
    let signed_path = pki.path("signed.pdf");
    std::fs::write(&signed_path, &signed).unwrap();
    let trust = pki.trust();
    let mut table = Vec::new();
    let mut wrong = Vec::new();
    let mut judge = |case: &str, f: &std::path::Path, expect_valid: bool| {
        let bytes = std::fs::read(f).unwrap();
        let ours =
            sign::verify(&bytes, &trust).map(|r| (r.verdict, r.summary)).unwrap_or((Verdict::Invalid, "errore".into()));
        // pyHanko exits 0 on a file where it finds no signature at all (e.g. a new /Root).
        let (py_exit, py_out) = pyhanko_validate(&pki, f);
        let py_ok = py_exit && py_out.contains("judged VALID");
        let stricter = STRICTER.iter().find(|(c, _)| *c == case);
        table.push(format!(
            "{case:26} noi={:16} pyHanko={:13} pdfsig={}{}",
            format!("{:?}", ours.0),
            if py_ok {
                "valida"
            } else if py_exit {
                "nessuna firma"
            } else {
                "NON valida"
            },
            pdfsig_view(&pki, f),
            if stricter.is_some() { "  (più severi di pyHanko)" } else { "" }
        ));
        let ok = if expect_valid {
            ours.0 == Verdict::Valid && py_ok
        } else {
            ours.0 == Verdict::Invalid && (py_ok == stricter.is_some())
        };
        if !ok {
            wrong.push(format!("{case}: ours {:?} ({}) pyhanko ok={py_ok}\n{py_out}", ours.0, ours.1));
        }
    };
    judge("untouched", &signed_path, true);
    for case in ATTACKS.iter().chain(BENIGN) {
        let f = attack(&pki, &signed_path, case);
        judge(case, &f, BENIGN.contains(case));
    }
    // Positive controls: a second signature by us, one by pyHanko, a pyHanko document timestamp,
    // and pyHanko's own PAdES signature.
    let second = sign::sign_pdf(&signed, &pki.p12("ec.p12"), &PadesOptions::default()).unwrap();
    std::fs::write(pki.path("second.pdf"), &second).unwrap();
    judge("second_signature", &pki.path("second.pdf"), true);
    let r = sign::verify(&second, &trust).unwrap();
    assert_eq!(r.signatures.len(), 2);
    let tsa = Tsa::start(&pki);
    let pyhanko = |args: &[&str], input: &std::path::Path, out: &str, p12: bool| {
        let mut cmd = Command::new("pyhanko");
        cmd.args(args);
        if p12 {
            cmd.args(["pkcs12", "--passfile"]).arg(pki.path("p12.pass"));
        } else {
            cmd.arg("--trust").arg(pki.path("ca.crt")).arg("--trust-replace");
        }
        cmd.arg(input).arg(pki.path(out));
        if p12 {
            cmd.arg(pki.path("ec.p12"));
        }
        let o = run(&mut cmd);
        assert!(o.status.success(), "pyhanko {args:?}:\n{}", text(&o));
        pki.path(out)
    };
    let f = pyhanko(&["sign", "addsig", "--field", "Firma2", "--use-pades"], &signed_path, "py_second.pdf", true);
    judge("pyhanko_second_signature", &f, true);
    let f = pyhanko(&["sign", "timestamp", "--timestamp-url", &tsa.url], &signed_path, "py_doc_ts.pdf", false);
    judge("pyhanko_document_timestamp", &f, true);
    let f = pyhanko(
        &["sign", "addsig", "--field", "FirmaLR", "--use-pades", "--timestamp-url", &tsa.url],
        &input_path,
        "py_pades_bt.pdf",
        true,
    );
    judge("pyhanko_pades_b_t", &f, true);
    let bt = sign::verify(&std::fs::read(&f).unwrap(), &trust).unwrap();
    assert_eq!(bt.signatures[0].signing_time_source.as_deref(), Some("marca temporale"), "{bt:#?}");

    // A damaged second signature is reported, not dropped.
    let mut damaged = second.clone();
    let pos = damaged.windows(10).rposition(|w| w == b"/ByteRange").unwrap();
    let open = pos + damaged[pos..].iter().position(|c| *c == b'[').unwrap();
    damaged[open + 1] = b'7'; // [0 ... -> [7 ...: no longer starts at 0
    let r = sign::verify(&damaged, &trust).unwrap();
    table.push(format!("{:26} noi={:?} ({} firme)", "damaged_second", r.verdict, r.signatures.len()));
    if r.verdict != Verdict::Invalid || r.signatures.len() != 2 || !r.signatures.iter().any(|s| s.damaged) {
        wrong.push(format!("damaged second signature: {r:#?}"));
    }
    assert!(r.summary.contains("danneggiata"), "{}", r.summary);
    println!("{} casi PDF:\n{}", table.len(), table.join("\n"));
    assert!(table.len() >= 48, "{}", table.len());
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
