//! Adding a signature to an already-signed .p7m as offices do: a second signer (parallel
//! signature) or a countersignature of a given signer (as Dike does), on our envelopes and on
//! openssl's; checked by us and by `openssl cms -verify`; a forged countersignature is caught.

mod common;

use common::sign::*;
use pianozona::sign::{self, CadesAdd, CadesOptions, Verdict};
use std::path::Path;
use std::process::Command;

fn openssl_ok(pki: &Pki, p7m: &Path) -> (bool, String) {
    openssl_cms_verify(pki, p7m, Path::new("/dev/null"))
}

fn add(input: &[u8], pki: &Pki, p12: &str, how: CadesAdd) -> Vec<u8> {
    let opts = CadesOptions { add_to_existing: Some(how), ..Default::default() };
    sign::sign_cades(input, &pki.p12(p12), &opts).unwrap()
}

#[test]
fn parallel_signature_and_countersignature_on_ours_and_openssls() {
    let pki = Pki::new(false);
    let doc = pki.make_pdf("doc.pdf", &[]);
    let input = std::fs::read(&doc).unwrap();
    let ours = sign::sign_cades(&input, &pki.p12("signer.p12"), &CadesOptions::default()).unwrap();
    let openssls = pki.path("openssl.p7m");
    let o = run(Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-nodetach", "-cades", "-md", "sha256", "-in"])
        .arg(&doc)
        .arg("-signer")
        .arg(pki.path("signer.crt"))
        .arg("-inkey")
        .arg(pki.path("signer.key"))
        .args(["-outform", "DER", "-out"])
        .arg(&openssls));
    assert!(o.status.success(), "{}", text(&o));
    let openssls = std::fs::read(&openssls).unwrap();

    for (name, first) in [("ours", &ours), ("openssl", &openssls)] {
        // Second signer.
        let two = add(first, &pki, "ec.p12", CadesAdd::Parallel);
        let r = sign::verify(&two, &pki.trust()).unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{name}: {r:#?}");
        assert_eq!(r.signatures.len(), 2);
        assert_eq!(sign::extract_p7m_content(&two).unwrap(), input, "{name}: same document, not enveloped again");
        let p = pki.path(&format!("{name}-two.p7m"));
        std::fs::write(&p, &two).unwrap();
        let (ok, out) = openssl_ok(&pki, &p);
        assert!(ok, "{name} parallel, openssl: {out}");

        // Countersignature of signature 1.
        let cs = add(first, &pki, "ec.p12", CadesAdd::Countersign(1));
        let r = sign::verify(&cs, &pki.trust()).unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{name}: {r:#?}");
        assert_eq!(r.signatures.len(), 2);
        assert_eq!(r.signatures[1].sub_filter.as_deref(), Some("CAdES, controfirma della firma 1"));
        assert_eq!(r.signatures[1].signer.as_ref().unwrap().display_name(), "Lucia Bianchi Niccolò");
        let p = pki.path(&format!("{name}-cs.p7m"));
        std::fs::write(&p, &cs).unwrap();
        let (ok, out) = openssl_ok(&pki, &p);
        assert!(ok, "{name} countersigned, openssl: {out}");
        let o = run(Command::new("openssl").args(["cms", "-cmsout", "-print", "-inform", "DER", "-in"]).arg(&p));
        assert!(text(&o).contains("pkcs9-countersignature") || text(&o).contains("countersignature"), "{}", text(&o));

        // A countersignature of the countersigned envelope's parallel signer, then a third signer.
        let three =
            add(&add(&two, &pki, "signer.p12", CadesAdd::Countersign(2)), &pki, "signer.p12", CadesAdd::Parallel);
        let r = sign::verify(&three, &pki.trust()).unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{name}: {r:#?}");
        assert_eq!(r.signatures.len(), 4, "{r:#?}");
    }

    // Forged countersignature: its signature value altered (the last bytes of the signer's RSA
    // value sit at the end of the countersignature, which is the last element of the file
    // only for EC keys; find the EC signature by re-signing and flipping inside it).
    let cs = add(&ours, &pki, "ec.p12", CadesAdd::Countersign(1));
    let r = sign::verify(&cs, &pki.trust()).unwrap();
    let sig_len = 70; // DER ECDSA P-256 signature is 70–72 bytes; flip one well inside it
    let mut bad = cs.clone();
    // the countersignature is the only ECDSA value: search the ecdsa-with-SHA256 OID and flip after it
    let oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    let pos = bad.windows(oid.len()).rposition(|w| w == oid).unwrap();
    bad[pos + oid.len() + 2 + sig_len / 2] ^= 1;
    let r2 = sign::verify(&bad, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid);
    assert_eq!(r2.verdict, Verdict::Invalid, "{r2:#?}");
    assert_eq!(r2.signatures[0].verdict, Verdict::Valid, "the countersigned signature itself is untouched");

    // Errors: no such signature, detached signature, not a p7m.
    let opts = CadesOptions { add_to_existing: Some(CadesAdd::Countersign(5)), ..Default::default() };
    let e = sign::sign_cades(&ours, &pki.p12("ec.p12"), &opts).unwrap_err().to_string();
    assert!(e.contains("n. 5"), "{e}");
    let opts = CadesOptions { add_to_existing: Some(CadesAdd::Parallel), ..Default::default() };
    let e = sign::sign_cades(&input, &pki.p12("ec.p12"), &opts).unwrap_err().to_string();
    assert!(e.contains("non è una firma"), "{e}");
}

#[test]
fn cli_adds_a_second_signer_and_a_countersignature_without_overwriting() {
    let pki = Pki::new(false);
    let doc = pki.make_pdf("doc.pdf", &[]);
    let first = pki.path("doc.pdf.p7m");
    let sign = |input: &Path, out: &Path, p12: &str, extra: &[&str]| {
        run(pianozona()
            .arg("sign")
            .arg(input)
            .arg("-o")
            .arg(out)
            .arg("--cades")
            .arg("--p12")
            .arg(pki.path(p12))
            .arg("--password-file")
            .arg(pki.path("p12.pass"))
            .args(extra))
    };
    assert!(sign(&doc, &first, "signer.p12", &[]).status.success());
    let two = pki.path("doc2.pdf.p7m");
    let o = sign(&first, &two, "ec.p12", &["--aggiungi"]);
    assert!(o.status.success(), "{}", text(&o));
    let cs = pki.path("doc3.pdf.p7m");
    let o = sign(&two, &cs, "signer.p12", &["--controfirma", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    // Never over an existing file, not even the input.
    let before_bytes = std::fs::read(&two).unwrap();
    let o = sign(&two, &two, "signer.p12", &["--aggiungi"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("esiste già"), "{}", text(&o));
    assert_eq!(std::fs::read(&two).unwrap(), before_bytes);
    let o = run(pianozona().arg("verify").arg(&cs).arg("--trust").arg(pki.path("ca.crt")));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Signature 1 of the input is the one countersigned (DER orders the signers by their
    // encoding, so its number in the new file may differ: the report names the target).
    let before = sign::verify(&std::fs::read(&two).unwrap(), &pki.trust()).unwrap();
    let after = sign::verify(&std::fs::read(&cs).unwrap(), &pki.trust()).unwrap();
    let c = after.signatures.iter().find(|s| s.sub_filter.as_deref().unwrap_or("").contains("controfirma")).unwrap();
    let target: usize = c.sub_filter.as_deref().unwrap().rsplit(' ').next().unwrap().parse().unwrap();
    assert_eq!(after.signatures[target - 1].signer, before.signatures[0].signer);
    assert!(text(&o).contains("controfirma della firma"), "{}", text(&o));
    let (ok, out) = openssl_ok(&pki, &cs);
    assert!(ok, "{out}");
}
