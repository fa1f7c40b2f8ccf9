//! The whole Lodi 2025-2027 plan exported by `pianozona pdf` carries an empty signature field
//! (/FT /Sig) on its approval page, as the template's option `signature_field` says; `pianozona
//! sign` signs the whole plan PAdES into that field. The result is valid for our verifier,
//! pyHanko and pdfsig, and still passes the PDF/A check.

mod common;

use common::sign::*;
use std::path::Path;
use std::process::Command;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/piano-di-zona-2025-2027-lodi.json");

/// The 1-based page of the empty signature field named `name`, read with lopdf.
fn field_page(pdf: &Path, name: &str) -> Option<u32> {
    let doc = lopdf::Document::load(pdf).expect("pdf");
    let catalog = doc.catalog().expect("catalog");
    let af = catalog.get(b"AcroForm").ok()?.as_dict().ok()?;
    let fields = af.get(b"Fields").ok()?.as_array().ok()?;
    let pages = doc.get_pages();
    for f in fields {
        let d = doc.get_object(f.as_reference().ok()?).ok()?.as_dict().ok()?;
        let is_sig = d.get(b"FT").ok()?.as_name().ok()? == b"Sig";
        let t = d.get(b"T").ok().and_then(|t| t.as_str().ok()).map(|t| String::from_utf8_lossy(t).into_owned());
        if is_sig && t.as_deref() == Some(name) && !d.has(b"V") {
            let p = d.get(b"P").ok()?.as_reference().ok()?;
            return pages.iter().find(|(_, id)| **id == p).map(|(n, _)| *n);
        }
    }
    None
}

#[test]
fn the_whole_plan_is_signed_into_its_empty_signature_field() {
    let pki = Pki::new(false);
    let db = pki.path("lodi.sqlite");
    let o = run(pianozona().arg("--db").arg(&db).arg("import").arg(DEMO));
    assert!(o.status.success(), "{}", text(&o));
    let id = String::from_utf8_lossy(&o.stdout).lines().last().unwrap_or_default().trim().to_string();
    let plan = pki.path("piano.pdf");
    let o = run(pianozona().arg("--db").arg(&db).args(["pdf", &id, "--final", "-o"]).arg(&plan));
    assert!(o.status.success(), "{}", text(&o));

    // The unsigned export: PDF/A with the empty field on the approval page.
    let (ok, out) = pdfa_check(&plan);
    assert!(ok, "unsigned export: {out}");
    let page = field_page(&plan, "FirmaLegaleRappresentante").expect("no empty signature field in the plan");
    require_tool("pdftotext", "Debian package poppler-utils");
    let p = page.to_string();
    let o = run(Command::new("pdftotext").args(["-f", &p, "-l", &p]).arg(&plan).arg("-"));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Approvazione dell’Accordo di Programma"),
        "the signature field is on page {page}, not on the approval page"
    );
    let unsigned = std::fs::read(&plan).unwrap();
    assert!(sign_verify_says_unsigned(&unsigned), "an empty field must not read as a signature");

    // Signed by the CLI into that field.
    let signed = pki.path("piano-firmato.pdf");
    let o = run(pianozona()
        .arg("sign")
        .arg(&plan)
        .arg("-o")
        .arg(&signed)
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .arg("--password-file")
        .arg(pki.path("p12.pass")));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let bytes = std::fs::read(&signed).unwrap();
    assert!(bytes.starts_with(&unsigned), "the signature must be an incremental update of the export");

    let r = pianozona::sign::verify(&bytes, &pki.trust()).expect("verify");
    assert_eq!(r.verdict, pianozona::sign::Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures.len(), 1, "{r:#?}");
    assert_eq!(r.signatures[0].field_name.as_deref(), Some("FirmaLegaleRappresentante"), "{r:#?}");
    let o = run(pianozona().arg("verify").arg(&signed).arg("--trust").arg(pki.path("ca.crt")));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    let (ok, out) = pyhanko_validate(&pki, &signed);
    assert!(ok, "{out}");
    let p = pdfsig(&pki, &signed);
    assert!(p.contains("Signature is Valid.") && p.contains("Total document signed"), "{p}");
    let (ok, q) = qpdf_check(&signed);
    assert!(ok, "{q}");
    let (ok, out) = pdfa_check(&signed);
    assert!(ok, "signed plan: {out}");

    // A change after the signature is caught.
    let mut tampered = bytes.clone();
    let at = unsigned.len() / 2;
    tampered[at] ^= 0x20;
    let r = pianozona::sign::verify(&tampered, &pki.trust());
    assert!(r.map(|r| r.verdict != pianozona::sign::Verdict::Valid).unwrap_or(true), "tampered plan verified as valid");
}

fn sign_verify_says_unsigned(pdf: &[u8]) -> bool {
    match pianozona::sign::verify(pdf, &pianozona::sign::TrustStore::new()) {
        Ok(r) => r.signatures.is_empty(),
        Err(_) => true,
    }
}
