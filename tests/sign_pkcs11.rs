//! Signing through a real PKCS#11 token: SoftHSM2, loaded by `cryptoki` exactly like a vendor
//! smart-card library. Each test has its own token directory (SOFTHSM2_CONF), so the tests run
//! one at a time in this binary (SoftHSM reads the variable when the module is initialised).

mod common;

use common::sign::*;
use pianozona::sign::{self, CadesOptions, KeySource, PadesOptions, SignError};
use std::process::Command;
use std::sync::Mutex;

static TOKEN_LOCK: Mutex<()> = Mutex::new(());

fn with_token<F: FnOnce(&Pki)>(f: F) {
    let _g = TOKEN_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let pki = Pki::new(true);
    std::env::set_var("SOFTHSM2_CONF", pki.path("softhsm2.conf"));
    f(&pki);
}

#[test]
fn token_end_to_end_pades_cades_listing_and_errors() {
    with_token(|pki| {
        let module = pki.softhsm_module();

        // Listing without PIN: three slots; the signing certificate is in slot "firma".
        let slots = sign::list_tokens(&module).expect("list");
        let labels: Vec<&str> = slots.iter().map(|s| s.label.as_str()).collect();
        assert!(labels.contains(&"cns") && labels.contains(&"firma"), "{labels:?}");
        let firma = slots.iter().find(|s| s.label == "firma").unwrap();
        let signing: Vec<_> = firma.certificates.iter().filter(|c| c.signing).collect();
        assert_eq!(signing.len(), 1, "{firma:#?}");
        assert_eq!(signing[0].id, "01");
        assert_eq!(signing[0].certificate.codice_fiscale.as_deref(), Some("RSSMRA80A01F205X"));

        // PAdES with the slot chosen automatically (first slot with a signing certificate
        // that has a private key is "firma"; "solocert" has none but comes later).
        let input_path = pki.make_pdf("in.pdf", &[]);
        let input = std::fs::read(&input_path).unwrap();
        let key = KeySource::Pkcs11 {
            module: module.clone(),
            slot: Some(firma.slot_id),
            pin: "123456".to_string().into(),
            cert_id: None,
        };
        let signed = sign::sign_pdf(&input, &key, &PadesOptions::default()).expect("sign via token");
        let p = pki.path("signed-p11.pdf");
        std::fs::write(&p, &signed).unwrap();
        let (ok, out) = pyhanko_validate(pki, &p);
        assert!(ok, "pyHanko:\n{out}");
        let sig = pdfsig(pki, &p);
        assert!(sig.contains("Signature is Valid.") && sig.contains("Certificate is Trusted."), "{sig}");
        let (ok, out) = pdfa_check(&p);
        assert!(ok, "{out}");
        let r = sign::verify(&signed, &pki.trust()).unwrap();
        assert!(r.valid, "{r:#?}");

        // Without a slot, two different signing certificates on the device: no guessing.
        let auto = KeySource::pkcs11(&module, None, "123456");
        let e = sign::load_key(&auto).err().expect("ambiguous");
        assert!(matches!(e, SignError::AmbiguousCertificate(ref n) if n.len() == 2), "{e:?}");
        assert!(e.to_string().contains("Mario Rossi"), "{e}");
        // The certificate id alone is enough when it is unique across slots.
        let by_id = KeySource::Pkcs11 {
            module: module.clone(),
            slot: None,
            pin: "123456".to_string().into(),
            cert_id: Some(vec![1]),
        };
        let loaded = sign::load_key(&by_id).expect("by CKA_ID");
        assert_eq!(loaded.certificate().common_name.as_deref(), Some("Mario Rossi"));
        drop(loaded);

        // CAdES through the token, checked by openssl.
        let p7m = sign::sign_cades(&input, &key, &CadesOptions::default()).expect("cades via token");
        let pp = pki.path("doc.pdf.p7m");
        std::fs::write(&pp, &p7m).unwrap();
        let o = run(Command::new("openssl")
            .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
            .arg(&pp)
            .arg("-CAfile")
            .arg(pki.path("ca.crt"))
            .arg("-out")
            .arg(pki.path("out.pdf")));
        assert!(o.status.success(), "openssl:\n{}", text(&o));

        // ECDSA P-256 key on a token (CKM_ECDSA, raw r||s converted to DER), chosen by CKA_ID.
        let ec_slot = slots.iter().find(|s| s.label == "firma-ec").expect("firma-ec slot");
        let ec = KeySource::Pkcs11 {
            module: module.clone(),
            slot: Some(ec_slot.slot_id),
            pin: "123456".to_string().into(),
            cert_id: Some(vec![0x0a]),
        };
        let ec_signed = sign::sign_pdf(&input, &ec, &PadesOptions::default()).expect("ECDSA via token");
        let pe = pki.path("signed-p11-ec.pdf");
        std::fs::write(&pe, &ec_signed).unwrap();
        let (ok, out) = pyhanko_validate(pki, &pe);
        assert!(ok, "pyHanko (ECDSA token):\n{out}");
        let r = sign::verify(&ec_signed, &pki.trust()).unwrap();
        assert!(r.valid, "{r:#?}");
        assert_eq!(r.signatures[0].signer.as_ref().unwrap().codice_fiscale.as_deref(), Some("BNCLCU75C41F205Y"));

        // Wrong PIN: clear error, no PIN in the message.
        let wrong = KeySource::Pkcs11 {
            module: module.clone(),
            slot: Some(firma.slot_id),
            pin: "999999".to_string().into(),
            cert_id: None,
        };
        let e = sign::sign_pdf(&input, &wrong, &PadesOptions::default()).unwrap_err();
        assert!(matches!(e, SignError::WrongPin { .. }), "{e:?}");
        assert!(e.to_string().starts_with("PIN errato") && !e.to_string().contains("999999"));
        // The right PIN still works afterwards.
        sign::sign_pdf(&input, &key, &PadesOptions::default()).expect("after a wrong PIN");

        // A certificate whose private key is not on the token.
        let solo = slots.iter().find(|s| s.label == "solocert").unwrap();
        let nokey = KeySource::pkcs11(&module, Some(solo.slot_id), "123456");
        let e = sign::load_key(&nokey).err().expect("no private key");
        assert!(matches!(e, SignError::NoPrivateKey(_)), "{e:?}");

        // A slot without certificates, a slot that does not exist, a library that does not exist.
        let cns = slots.iter().find(|s| s.label == "cns").unwrap();
        let e = sign::load_key(&KeySource::pkcs11(&module, Some(cns.slot_id), "123456")).err().unwrap();
        assert!(matches!(e, SignError::NoCertificate(_)), "{e:?}");
        let e = sign::load_key(&KeySource::pkcs11(&module, Some(4242), "123456")).err().unwrap();
        assert!(matches!(e, SignError::SlotNotFound(4242)), "{e:?}");
        let e = sign::list_tokens(std::path::Path::new("/nonexistent/libbit4xpki.so")).unwrap_err();
        assert!(matches!(e, SignError::Pkcs11Module { .. }), "{e:?}");
        let e = sign::list_tokens(&pki.path("ca.crt")).unwrap_err();
        assert!(matches!(e, SignError::Pkcs11Module { .. }), "{e:?}");
    });
}

#[test]
fn known_middleware_list_contains_italian_libraries() {
    for lib in ["libbit4xpki.so", "libbit4ipki.so", "libASEP11.so", "opensc-pkcs11.so"] {
        assert!(sign::KNOWN_PKCS11_MODULES.iter().any(|p| p.ends_with(lib)), "{lib}");
    }
    // On this machine SoftHSM2 is installed, so at least it is proposed.
    let found = sign::installed_pkcs11_modules();
    assert!(found.iter().any(|p| p.to_string_lossy().contains("softhsm")), "{found:?}");
}

/// Discovery of the installed middlewares: each library once, named by its vendor; the CLI
/// uses the only one without --pkcs11, or lists them all when there are more.
#[test]
fn installed_modules_are_discovered_and_the_cli_uses_the_only_one() {
    with_token(|pki| {
        let found = sign::discover_pkcs11_modules();
        let soft: Vec<_> = found.iter().filter(|m| m.vendor.starts_with("SoftHSM")).collect();
        assert_eq!(soft.len(), 1, "SoftHSM listed once although two paths lead to it: {found:#?}");
        let mut real: Vec<_> = found.iter().map(|m| std::fs::canonicalize(&m.path).unwrap()).collect();
        real.sort();
        real.dedup();
        assert_eq!(real.len(), found.len(), "{found:#?}");
        assert_eq!(pianozona::service::signature::pkcs11_modules(), found);
        assert!(found.iter().all(|m| !m.vendor.is_empty()));

        let input = pki.make_pdf("in.pdf", &[]);
        std::fs::write(pki.path("pin.txt"), "123456\n").unwrap();
        let out = pki.path("auto.pdf");
        let o = run(pianozona()
            .env("SOFTHSM2_CONF", pki.path("softhsm2.conf"))
            .arg("sign")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .arg("--pin-file")
            .arg(pki.path("pin.txt")));
        let t = text(&o);
        match pianozona::service::signature::default_pkcs11_module() {
            Ok(only) => {
                assert_eq!(found.len(), 1);
                assert!(only.to_string_lossy().contains("softhsm"));
                assert!(o.status.success(), "{t}");
                assert!(sign::verify(&std::fs::read(&out).unwrap(), &pki.trust()).unwrap().signatures.len() == 1);
            }
            Err(msg) => {
                assert!(found.len() > 1, "{msg}");
                assert_eq!(o.status.code(), Some(2), "{t}");
                for m in &found {
                    assert!(t.contains(&m.path.display().to_string()), "{t}");
                }
                assert!(!out.exists());
            }
        }
    });
}
