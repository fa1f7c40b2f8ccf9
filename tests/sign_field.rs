//! Visible signature by default in the document's empty signature field (the box on the
//! letter's signature line, made here by pyHanko `addfields`): filled and drawn, valid for us,
//! pyHanko and pdfsig; a second signer after a first one fills it too; opting out adds a new
//! invisible field. The drawn box is checked on the page rendered by poppler.

mod common;

use common::sign::*;
use pianozona::sign::{self, PadesOptions, Verdict};
use std::path::Path;
use std::process::Command;

/// Dark pixels inside the box x 380..560, y 50..110 (PDF points, page 595x842) at 72 dpi.
fn ink_in_box(pki: &Pki, pdf: &Path, name: &str) -> usize {
    require_tool("pdftoppm", "Debian package poppler-utils");
    let prefix = pki.path(name);
    let o = run(Command::new("pdftoppm").args(["-r", "72", "-gray", "-f", "1", "-l", "1"]).arg(pdf).arg(&prefix));
    assert!(o.status.success(), "{}", text(&o));
    let file = std::fs::read_dir(&pki.dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with(name) && p.extension().is_some_and(|x| x == "pgm")
        })
        .unwrap();
    let data = std::fs::read(file).unwrap();
    // P5 header: "P5\nW H\n255\n"
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[s..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let px = &data[i + 1..];
    let mut n = 0;
    for y in (h - 110)..(h - 50) {
        for x in 380..560.min(w) {
            if px[y * w + x] < 128 {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn the_empty_signature_field_is_filled_and_drawn_by_default() {
    let pki = Pki::new(false);
    require_tool("pyhanko", "pip package pyhanko-cli");
    let plain = pki.make_pdf("doc.pdf", &[]);
    let with_field = pki.path("campo.pdf");
    let o = run(Command::new("pyhanko")
        .args(["sign", "addfields", "--field", "1/380,50,560,110/FirmaLR"])
        .arg(&plain)
        .arg(&with_field));
    assert!(o.status.success(), "{}", text(&o));
    let input = std::fs::read(&with_field).unwrap();
    let blank = ink_in_box(&pki, &with_field, "blank");

    let signed = sign::sign_pdf(&input, &pki.p12("signer.p12"), &PadesOptions::default()).unwrap();
    let signed_path = pki.path("firmato.pdf");
    std::fs::write(&signed_path, &signed).unwrap();
    let r = sign::verify(&signed, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures[0].field_name.as_deref(), Some("FirmaLR"));
    let (ok, out) = pyhanko_validate(&pki, &signed_path);
    assert!(ok, "{out}");
    let p = pdfsig(&pki, &signed_path);
    assert!(p.contains("Signature is Valid.") && p.contains("Total document signed"), "{p}");
    let (ok, q) = qpdf_check(&signed_path);
    assert!(ok, "{q}");
    let drawn = ink_in_box(&pki, &signed_path, "signed");
    assert!(drawn > blank + 200, "signature not drawn in the box: {blank} -> {drawn} dark pixels");

    // Opting out: a new invisible field, the empty one stays empty.
    let opts = PadesOptions { ignore_empty_fields: true, ..Default::default() };
    let first = sign::sign_pdf(&input, &pki.p12("signer.p12"), &opts).unwrap();
    let r = sign::verify(&first, &pki.trust()).unwrap();
    assert_eq!(r.signatures[0].field_name.as_deref(), Some("Firma1"), "{r:#?}");
    let first_path = pki.path("primo.pdf");
    std::fs::write(&first_path, &first).unwrap();
    assert!(ink_in_box(&pki, &first_path, "first") <= blank + 50);

    // A second signer then fills the empty field: both valid for us and pyHanko.
    let second = sign::sign_pdf(&first, &pki.p12("ec.p12"), &PadesOptions::default()).unwrap();
    let second_path = pki.path("secondo.pdf");
    std::fs::write(&second_path, &second).unwrap();
    let r = sign::verify(&second, &pki.trust()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[1].field_name.as_deref(), Some("FirmaLR"));
    let (ok, out) = pyhanko_validate(&pki, &second_path);
    assert!(ok, "{out}");
    assert!(ink_in_box(&pki, &second_path, "second") > blank + 200);
}
