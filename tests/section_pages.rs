//! The page of each section (Verifica → Anteprima): the page `section_pages` gives is the page of
//! the exported PDF where pdftotext finds that section's heading.

use pianozona::model::OfficeProfile;
use pianozona::service;
use pianozona::store::Store;
use pianozona::template::Registry;
use std::process::Command;

fn page_text(pdf: &std::path::Path, page: usize) -> String {
    let o = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&o.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn each_section_is_on_the_page_given() {
    let dir = tempfile::tempdir().unwrap();
    let reg = Registry::load(None).unwrap();
    let mut store = Store::open(&dir.path().join("a.sqlite")).unwrap();
    for demo in ["oglio-po-2021-2023-quota-premiale.json", "piano-di-zona-2025-2027-lodi.json"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo").join(demo);
        let id = service::import_file(&mut store, &reg, &path).unwrap().id;
        let f = store.load(id).unwrap();
        let profile: OfficeProfile = service::profile(&store).unwrap();
        let bytes = service::render_pdf(&reg, &f, &profile, false).unwrap();
        let pdf = dir.path().join(format!("{id}.pdf"));
        std::fs::write(&pdf, &bytes).unwrap();
        let pages = service::section_pages(&reg, &f, &profile, false).unwrap();
        let n_pages = page_text(&pdf, 1).len().min(1); // pdftotext works on this file
        assert_eq!(n_pages, 1, "{demo}");
        let fam = reg.family(&f.family).unwrap();
        let mut checked = 0;
        let mut last = 0;
        for (doc_id, sec, page) in &pages {
            assert!(*page >= 1, "{demo}: {doc_id}/{sec}");
            let doc = f.documents.iter().find(|d| &d.id == doc_id).expect("document of the fascicolo");
            if sec.is_empty() {
                assert!(*page >= last, "{demo}: documents in order");
                last = *page;
                continue;
            }
            let s = fam.form(&doc.form).unwrap().sections.iter().find(|s| &s.id == sec).unwrap();
            if s.heading.contains('{') || s.heading.len() < 8 {
                continue;
            }
            // The first words of the heading (it may wrap), as pdftotext joins them.
            let words: Vec<&str> = s.heading.split_whitespace().take(3).collect();
            let want = words.join(" ");
            let text = page_text(&pdf, *page);
            assert!(
                text.contains(&want),
                "{demo}: «{want}» ({doc_id}/{sec}) not on page {page}: {}",
                &text[..text.len().min(400)]
            );
            checked += 1;
        }
        assert!(checked >= 10, "{demo}: only {checked} sections checked");
        for d in &f.documents {
            assert!(pages.iter().any(|(doc, s, _)| doc == &d.id && s.is_empty()), "{demo}: no page for {}", d.id);
        }
    }
}
