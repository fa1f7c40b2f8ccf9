//! `pianozona sign` / `verify` / `tokens` as a user runs them, with a test CA made by openssl.

mod common;

use common::sign::*;
use std::process::Command;

#[test]
fn cli_sign_and_verify_pades_and_cades() {
    let pki = Pki::new(false);
    let input = pki.make_pdf("domanda.pdf", &[]);
    let out = pki.path("domanda-firmata.pdf");

    let o = run(pianozona()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .arg("--password-file")
        .arg(pki.path("p12.pass"))
        .args(["--reason", "Domanda", "--location", "Milano", "--visible", "1/330,150,535,215"]));
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("Mario Rossi") && text(&o).contains("RSSMRA80A01F205X"), "{}", text(&o));
    let (ok, t) = pyhanko_validate(&pki, &out);
    assert!(ok, "{t}");

    // verify: valid with the CA, human text in Italian
    let o = run(pianozona().arg("verify").arg(&out).arg("--trust").arg(pki.path("ca.crt")));
    assert_eq!(code(&o), 0, "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("Firma valida di Mario Rossi") && t.contains("CF RSSMRA80A01F205X"), "{t}");

    // --json
    let o = run(pianozona().arg("verify").arg(&out).arg("--trust").arg(pki.path("ca.crt")).arg("--json"));
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["valid"], true);
    assert_eq!(v["signatures"][0]["signer"]["codice_fiscale"], "RSSMRA80A01F205X");
    assert_eq!(v["signatures"][0]["intact"], true);

    // intact but untrusted (no CA / other CA) -> 3
    let o = run(pianozona().arg("verify").arg(&out));
    assert_eq!(code(&o), 3, "{}", text(&o));
    assert!(text(&o).contains("integra ma non attendibile"), "{}", text(&o));
    let o = run(pianozona().arg("verify").arg(&out).arg("--trust").arg(pki.path("other-ca.crt")));
    assert_eq!(code(&o), 3, "{}", text(&o));

    // tampered -> 1
    let mut bytes = std::fs::read(&out).unwrap();
    let pos = bytes.windows(5).position(|w| w == b"Piano").unwrap();
    bytes[pos] = b'X';
    let bad = pki.path("bad.pdf");
    std::fs::write(&bad, &bytes).unwrap();
    let o = run(pianozona().arg("verify").arg(&bad).arg("--trust").arg(pki.path("ca.crt")));
    assert_eq!(code(&o), 1);
    assert!(text(&o).contains("NON valida"), "{}", text(&o));

    // CAdES
    let p7m = pki.path("domanda.pdf.p7m");
    let o = run(pianozona()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&p7m)
        .arg("--cades")
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .arg("--password-file")
        .arg(pki.path("p12.pass")));
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = run(Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(&p7m)
        .arg("-CAfile")
        .arg(pki.path("ca.crt"))
        .arg("-out")
        .arg(pki.path("x.pdf")));
    assert!(o.status.success(), "{}", text(&o));
    let o = run(pianozona().arg("verify").arg(&p7m).arg("--trust").arg(pki.path("ca.crt")));
    assert_eq!(code(&o), 0, "{}", text(&o));
}

#[test]
fn cli_errors_and_exit_codes() {
    let pki = Pki::new(false);
    let input = pki.make_pdf("domanda.pdf", &[]);
    let out = pki.path("o.pdf");
    std::fs::write(pki.path("wrong.pass"), "sbagliata\n").unwrap();

    // wrong password -> 1, Italian, no password echoed
    let o = run(pianozona()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .arg("--password-file")
        .arg(pki.path("wrong.pass")));
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("Password del file di firma") && !text(&o).contains("sbagliata"), "{}", text(&o));
    assert!(!out.exists(), "nothing written on failure");

    // password from stdin
    let mut child = pianozona()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .args(["--password-file", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"test1234\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 0, "{}", text(&o));
    // The signed file is never overwritten (refused before any password is asked).
    let o = run(pianozona().arg("sign").arg(&input).arg("-o").arg(&out).arg("--p12").arg(pki.path("signer.p12")));
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("esiste già"), "{}", text(&o));
    std::fs::remove_file(&out).unwrap();

    // expired certificate -> 1
    let o = run(pianozona()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(pki.path("e.pdf"))
        .arg("--p12")
        .arg(pki.path("expired.p12"))
        .arg("--password-file")
        .arg(pki.path("p12.pass")));
    assert_eq!(code(&o), 1);
    assert!(text(&o).contains("scaduto"), "{}", text(&o));

    // usage errors -> 2
    let o = run(pianozona().arg("sign").arg(&input).arg("-o").arg(&out));
    assert_eq!(code(&o), 2, "{}", text(&o));
    let o = run(pianozona()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .arg("--pkcs11")
        .arg("/x.so"));
    assert_eq!(code(&o), 2, "{}", text(&o));
    let o = run(pianozona().arg("sign").arg(&input).arg("-o").arg(&out).arg("--p12").arg(pki.path("signer.p12")));
    assert_eq!(code(&o), 2, "{}", text(&o));

    let o = run(pianozona()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .arg("--password-file")
        .arg(pki.path("p12.pass"))
        .args(["--visible", "1/10,10"]));
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("--visible"), "{}", text(&o));

    // I/O errors -> 2
    let o = run(pianozona().arg("verify").arg(pki.path("missing.pdf")));
    assert_eq!(code(&o), 2);
    assert!(text(&o).contains("Impossibile leggere"), "{}", text(&o));
    let o = run(pianozona()
        .arg("sign")
        .arg(pki.path("missing.pdf"))
        .arg("-o")
        .arg(&out)
        .arg("--p12")
        .arg(pki.path("signer.p12"))
        .arg("--password-file")
        .arg(pki.path("p12.pass")));
    assert_eq!(code(&o), 2);

    // unsigned PDF / garbage -> 1
    let o = run(pianozona().arg("verify").arg(&input));
    assert_eq!(code(&o), 1);
    assert!(text(&o).contains("non contiene firme"), "{}", text(&o));
    std::fs::write(pki.path("junk.p7m"), b"\x01\x02junk").unwrap();
    let o = run(pianozona().arg("verify").arg(pki.path("junk.p7m")));
    assert_eq!(code(&o), 1, "{}", text(&o));
}

#[test]
fn cli_tokens_and_pkcs11_signing() {
    let pki = Pki::new(true);
    let module = pki.softhsm_module();
    let conf = pki.path("softhsm2.conf");
    let o = run(pianozona().env("SOFTHSM2_CONF", &conf).arg("tokens").arg("--pkcs11").arg(&module));
    assert_eq!(code(&o), 0, "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("«firma»") && t.contains("Mario Rossi CF RSSMRA80A01F205X") && t.contains("[firma]"), "{t}");

    // tokens --json gives the slot id to choose (two signing certificates are on the device)
    let o = run(pianozona().env("SOFTHSM2_CONF", &conf).args(["tokens", "--json", "--pkcs11"]).arg(&module));
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let slot = v[0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["label"] == "firma")
        .map(|s| s["slot_id"].as_u64().unwrap())
        .expect("slot firma");

    std::fs::write(pki.path("pin"), "123456\n").unwrap();
    let input = pki.make_pdf("domanda.pdf", &[]);
    let out = pki.path("p11.pdf");
    let o = run(pianozona()
        .env("SOFTHSM2_CONF", &conf)
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--pkcs11")
        .arg(&module)
        .arg("--slot")
        .arg(slot.to_string())
        .arg("--pin-file")
        .arg(pki.path("pin")));
    assert_eq!(code(&o), 0, "{}", text(&o));
    let (ok, t) = pyhanko_validate(&pki, &out);
    assert!(ok, "{t}");

    std::fs::write(pki.path("badpin"), "000000").unwrap();
    let o = run(pianozona()
        .env("SOFTHSM2_CONF", &conf)
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(pki.path("x.pdf"))
        .arg("--pkcs11")
        .arg(&module)
        .arg("--slot")
        .arg(slot.to_string())
        .arg("--pin-file")
        .arg(pki.path("badpin")));
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("PIN errato") && !text(&o).contains("000000"), "{}", text(&o));
}
