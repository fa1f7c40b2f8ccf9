//! Plans out of the ordinary (issue 9, item 8): a 50,000-word chapter, 200 sub-chapters, a table of
//! 1,000 rows typed in a chapter. Each exports through the real CLI into a PDF that qpdf accepts
//! and whose text (pdftotext) holds what was typed, or is refused with an Italian message; none
//! panics.

mod common;

use common::{import, run, text};
use pianozona::model::plan::{add_chapter, set_chapter_text};
use pianozona::model::{Fascicolo, OfficeProfile};
use pianozona::template::Registry;
use std::process::Command;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/piano-di-zona-2025-2027-lodi.json");

fn demo() -> (OfficeProfile, Fascicolo) {
    let reg = Registry::load(None).expect("templates");
    let ex = pianozona::exchange::import_json(&std::fs::read_to_string(DEMO).expect("demo"), &reg).expect("import");
    (ex.profile, ex.fascicolo)
}

/// Writes the fascicolo as exchange JSON, imports it and exports the PDF with the CLI; returns the
/// PDF's text.
fn export(name: &str, p: &OfficeProfile, f: &Fascicolo) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join(format!("{name}.json"));
    std::fs::write(&json, pianozona::exchange::export_json(p, f)).expect("write");
    let db = dir.path().join("x.sqlite");
    let id = import(&db, &json);
    let pdf = dir.path().join(format!("{name}.pdf"));
    let o = run(&db, &["pdf", &id, "--final", "-o", pdf.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o));
    assert!(!text(&o).contains("panicked"), "{}", text(&o));
    let q = Command::new("qpdf").arg("--check").arg(&pdf).output().expect("qpdf");
    assert!(q.status.success(), "qpdf --check {name}: {}", String::from_utf8_lossy(&q.stdout));
    let t = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    String::from_utf8_lossy(&t.stdout).into_owned()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_chapter_of_50000_words_is_printed_whole() {
    let (p, mut f) = demo();
    // Paragraphs of 100 numbered words: the last word proves nothing was cut.
    let text: String = (0..500)
        .map(|k| (0..100).map(|i| format!("w{}", k * 100 + i)).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n");
    set_chapter_text(&mut f, "premessa", &text).expect("set");
    let out = squash(&export("lungo", &p, &f));
    assert!(out.contains("w0 w1 w2"), "start missing");
    assert!(out.contains("w49998 w49999"), "end missing");
    let n = (0..50_000).filter(|i| i % 997 == 0).filter(|i| !out.contains(&format!("w{i} "))).count();
    assert_eq!(n, 0, "{n} sampled words missing");
}

#[test]
fn two_hundred_sub_chapters_are_numbered_and_listed() {
    let (p, mut f) = demo();
    for i in 1..=200 {
        let id = add_chapter(&mut f, Some("analisi"), &format!("Sottocapitolo di prova {i}")).expect("add");
        set_chapter_text(&mut f, &id, &format!("Testo del sottocapitolo {i}.")).expect("text");
    }
    let out = export("capitoli", &p, &f);
    // The eight sub-chapters of the seed come first (4.1-4.8), then ours: 4.9 … 4.208.
    let flat = squash(&out);
    assert!(flat.contains("4.9 Sottocapitolo di prova 1 "), "first added sub-chapter");
    assert!(flat.contains("4.208 Sottocapitolo di prova 200"), "last added sub-chapter");
    // Listed in the table of contents (before the Premessa's text) and printed as headings.
    let toc_end = out.find("Il triennio di Programmazione").expect("premessa");
    assert!(squash(&out[..toc_end]).contains("4.208 Sottocapitolo di prova 200"), "not in the TOC");
    assert_eq!(out.matches("Testo del sottocapitolo").count(), 200);
}

#[test]
fn a_table_of_1000_rows_breaks_across_pages_with_its_header() {
    let (p, mut f) = demo();
    let mut t = String::from("Tabella di prova:\n\n| Comune | Abitanti | Importo |\n|---|---|---|\n");
    for i in 1..=1000 {
        t.push_str(&format!("| Comune {i} | {} | {},00 € |\n", 1000 + i, 50 * i));
    }
    set_chapter_text(&mut f, "contesto_demografia", &t).expect("set");
    let out = export("tabella", &p, &f);
    let flat = squash(&out);
    assert!(flat.contains("Comune 1 1001 50,00 €"), "first row");
    assert!(flat.contains("Comune 1000 2000 50000,00 €"), "last row");
    // The header row is repeated on every page the table runs over (more than ten pages).
    assert!(out.matches("Abitanti").count() >= 10, "header not repeated: {}", out.matches("Abitanti").count());
}

#[test]
fn a_chapter_text_that_is_not_valid_is_refused_in_italian() {
    // A plan naming a chapter twice, or a document that does not exist, is refused at import.
    let (p, mut f) = demo();
    let plan = f.plan.as_mut().expect("plan");
    let dup = plan.chapters[0].clone();
    plan.chapters.push(dup);
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("doppio.json");
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).expect("write");
    let o = run(&dir.path().join("x.sqlite"), &["import", json.to_str().expect("path")]);
    assert_ne!(o.status.code(), Some(0));
    let msg = text(&o);
    assert!(msg.contains("capitolo") && msg.contains("ripetuto"), "{msg}");
    assert!(!msg.contains("panicked") && !msg.contains("error:"), "{msg}");
}
