//! PDF/A export through the real CLI binary, checked with real tools: poppler (pdftotext,
//! pdffonts), qpdf --check and the pikepdf smoke check shared/tools/pdfa_check.py.
//!
//! The fascicolo is the demo (assets/demo/oglio-po-2021-2023-quota-premiale.json) when it exists,
//! else the built-in sample; the stress fascicolo is generated.

use std::path::{Path, PathBuf};
use std::process::Command;

use pianozona::model::{Fascicolo, FieldValue, OfficeProfile};
use pianozona::pdf::sample;
use pianozona::template::{FormRole, Registry};

const BIN: &str = env!("CARGO_BIN_EXE_pianozona");
const DEMO: &str = "assets/demo/oglio-po-2021-2023-quota-premiale.json";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    out
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = run(Command::new(name).args(args));
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The demo fascicolo (or the sample until the demo exists), as (profile, fascicolo, json path).
fn demo(dir: &Path) -> (OfficeProfile, Fascicolo, PathBuf) {
    let demo = root().join(DEMO);
    if demo.exists() {
        let text = std::fs::read_to_string(&demo).unwrap();
        let reg = Registry::load(None).unwrap();
        let ex = pianozona::exchange::import_json(&text, &reg).unwrap();
        return (ex.profile, ex.fascicolo, demo);
    }
    let (p, f) = (sample::profile(), sample::fascicolo());
    let path = dir.join("sample.json");
    std::fs::write(&path, pianozona::exchange::export_json(&p, &f)).unwrap();
    (p, f, path)
}

/// Imports a JSON file into a fresh database and exports the PDF through the CLI.
fn export(dir: &Path, json: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let db = dir.join(format!("{name}.db"));
    let out = run(Command::new(BIN).arg("--db").arg(&db).arg("import").arg(json));
    assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
    let id = String::from_utf8_lossy(&out.stdout).lines().last().unwrap().trim().to_string();
    let pdf = dir.join(format!("{name}.pdf"));
    // These tests look at the layout, not at the Verifica: a final export is confirmed with --final.
    let confirm: &[&str] = if extra.contains(&"--draft") { &[] } else { &["--final"] };
    let out = run(Command::new(BIN).arg("--db").arg(&db).args(["pdf", &id, "-o"]).arg(&pdf).args(extra).args(confirm));
    assert!(out.status.success(), "pdf failed: {}", String::from_utf8_lossy(&out.stderr));
    // PDF_TEST_KEEP=dir keeps a copy of every export, to look at the pages (pdftoppm).
    if let Ok(keep) = std::env::var("PDF_TEST_KEEP") {
        let _ = std::fs::copy(&pdf, Path::new(&keep).join(format!("{name}.pdf")));
    }
    pdf
}

fn pdfa_check_script() -> PathBuf {
    // shared/ sits beside the repository (CI clones it so); PDFA_CHECK may point elsewhere.
    let p = std::env::var_os("PDFA_CHECK")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/tools/pdfa_check.py"));
    assert!(p.exists(), "pdfa_check.py not found: looked for {} (shared/tools/ beside the repository)", p.display());
    p
}

fn structural_checks(pdf: &Path) {
    let p = pdf.to_str().unwrap();
    // qpdf: structure and streams.
    tool("qpdf", &["--check", p]);
    // pikepdf smoke check of the PDF/A claim, OutputIntent, /ID, fonts.
    let script = pdfa_check_script();
    let out = run(Command::new("python3").arg(&script).arg(pdf));
    assert!(
        out.status.success(),
        "pdfa_check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // pdffonts: every font embedded (and subset).
    let fonts = tool("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts listed:\n{fonts}");
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        // name type encoding emb sub uni object ID: emb/sub/uni are the 3 yes/no before "object id".
        let n = cols.len();
        assert!(n >= 7, "unexpected pdffonts row {r}");
        assert_eq!(cols[n - 5], "yes", "font not embedded: {r}");
        assert_eq!(cols[n - 4], "yes", "font not subset: {r}");
        assert_eq!(cols[n - 3], "yes", "font without ToUnicode: {r}");
    }
    let info = tool("pdfinfo", &[p]).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(info.contains("Page size: 595.28 x 841.89 pts (A4)"), "{info}");
    assert!(info.contains("PDF version: 1.7"), "{info}");
    assert!(info.contains("Tagged: yes"), "{info}");
}

// ------------------------------------------------------------------------------ text checks

fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .map(|t| t.trim_matches(|c: char| c == '|'))
        .map(|t| t.replace(['\u{2019}', '\u{2018}'], "'"))
        .map(|t| {
            t.trim_matches(|c: char| matches!(c, ':' | ';' | ',' | '.' | '(' | ')' | '"' | '“' | '”' | '«' | '»'))
                .to_string()
        })
        .filter(|t| !t.is_empty() && t != "•")
        .collect()
}

/// Finds `needle` as a subsequence of `hay[from..to]`; returns (index of its first token, index
/// after its last token).
fn find_seq(hay: &[String], needle: &[String], from: usize, to: usize) -> Result<(usize, usize), String> {
    let mut i = from;
    let mut first = None;
    for (k, n) in needle.iter().enumerate() {
        match hay[i.min(to)..to].iter().position(|h| h == n) {
            Some(p) => {
                if first.is_none() {
                    first = Some(i + p);
                }
                i += p + 1;
            }
            None => {
                let ctx: Vec<&str> =
                    needle[k.saturating_sub(3)..(k + 3).min(needle.len())].iter().map(String::as_str).collect();
                return Err(format!(
                    "token «{n}» (#{k} of {}) not found between {i} and {to} (context: {ctx:?})",
                    needle.len()
                ));
            }
        }
    }
    Ok((first.unwrap_or(from), i))
}

/// A user text in the extracted text: its prose words in order; the cells of its tables each in
/// order (a table's cells may be extracted column by column), after the prose that precedes them.
fn find_user_text(hay: &[String], text: &str, from: usize, to: usize) -> Result<usize, String> {
    let mut pos = from;
    let mut prose: Vec<String> = Vec::new();
    let mut table_end = from;
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i <= lines.len() {
        let line = lines.get(i).copied();
        let is_row = line.is_some_and(|l| l.trim_start().starts_with('|'));
        if (is_row || line.is_none()) && !prose.is_empty() {
            pos = find_seq(hay, &prose, pos.max(table_end), to)?.1;
            prose.clear();
        }
        match line {
            None => break,
            Some(l) if is_row => {
                let start = pos;
                for cell in l.trim().trim_matches('|').split('|') {
                    let t = tokens(cell);
                    if t.is_empty() || cell.trim().chars().all(|c| matches!(c, '-' | ':' | ' ')) {
                        continue;
                    }
                    table_end = table_end.max(find_seq(hay, &t, start, to)?.1);
                }
            }
            Some(l) => prose.extend(tokens(pianozona::words::strip_list_marker(l))),
        }
        i += 1;
    }
    Ok(pos.max(table_end))
}

/// Every heading and instruction of every scheda in order; inside each section, every text the
/// user wrote with its words in order; the letter's fixed wording, ticks and project list.
fn check_text(pdf: &Path, fasc: &Fascicolo) {
    let text = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let hay = tokens(&text);
    let reg = Registry::load(None).unwrap();
    let fam = reg.family(&fasc.family).unwrap();
    let mut pos = 0;
    for doc in &fasc.documents {
        let form = fam.form(&doc.form).unwrap();
        if form.role == FormRole::Letter {
            for needle in [
                "sub-allegato 1A",
                "CHIEDE",
                "Contrasto alla povertà e all'emarginazione sociale",
                "Interventi a favore di persone con disabilità",
                "Firma Rappresentante Legale",
            ] {
                pos = find_seq(&hay, &tokens(needle), pos, hay.len())
                    .unwrap_or_else(|e| panic!("letter: {needle}: {e}"))
                    .0
                    + 1;
            }
            continue;
        }
        pos = find_seq(&hay, &tokens(&format!("SCHEDA PROGETTO N. {}", doc.number.unwrap_or(0))), pos, hay.len())
            .unwrap_or_else(|e| panic!("{}: {e}", doc.id))
            .1;
        // Positions of all headings first, so that each section's text is looked for between its
        // heading and the next one.
        let mut starts = Vec::new();
        for s in &form.sections {
            let heading = if s.id == "titolo" {
                format!("{}:", s.heading)
            } else if fasc.options.get("section_numbers").and_then(|v| v.as_bool()).unwrap_or(false) {
                format!("{}. {}", s.n.clone().unwrap_or_default(), s.heading)
            } else {
                // The 2021-2023 form prints its blocks without numbers (template option).
                s.heading.clone()
            };
            pos = find_seq(&hay, &tokens(&heading), pos, hay.len())
                .unwrap_or_else(|e| panic!("{} heading «{heading}»: {e}", doc.id))
                .1;
            let after_heading = pos;
            if let Some(instr) = &s.instruction {
                pos = find_seq(&hay, &tokens(instr), pos, hay.len())
                    .unwrap_or_else(|e| panic!("{} instruction of «{}»: {e}", doc.id, s.heading))
                    .1;
            }
            starts.push((s, after_heading));
        }
        let doc_end =
            hay[pos..].iter().position(|t| t == "SCHEDA" || t == "sub-allegato").map(|p| p + pos).unwrap_or(hay.len());
        for (i, (s, start)) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map(|x| x.1).unwrap_or(doc_end.max(*start));
            let Some(v) = doc.field(&s.id) else { continue };
            let end = if i + 1 == starts.len() { hay.len() } else { end };
            for t in v.texts() {
                find_user_text(&hay, t, *start, end).unwrap_or_else(|e| {
                    panic!("{} section «{}»: user text not found in order: {e}", doc.id, s.heading)
                });
            }
            if let FieldValue::MoneyTable(m) = v {
                for r in &m.rows {
                    if let Some(c) = r.cost {
                        let want = c.format_it().replace('\u{a0}', " ");
                        find_seq(&hay, &tokens(&want), *start, end)
                            .unwrap_or_else(|e| panic!("{} amount {want}: {e}", doc.id));
                    }
                }
                let total = m.total_cost().format_it().replace('\u{a0}', " ");
                find_seq(&hay, &tokens(&format!("Totale {total}")), *start, end)
                    .unwrap_or_else(|e| panic!("{} totals row: {e}", doc.id));
            }
        }
        for a in &doc.activities {
            find_seq(&hay, &tokens(&a.label), 0, hay.len())
                .unwrap_or_else(|e| panic!("{} activity «{}»: {e}", doc.id, a.label));
        }
    }
    assert!(text.contains("pag. 1 di "), "page numbers missing");
    assert!(text.contains('\u{2612}') && text.contains('\u{2610}'), "ballot boxes missing from the text layer");
}

// ----------------------------------------------------------------------------------- tests

#[test]
fn demo_export_passes_all_checks() {
    let dir = tempfile::tempdir().unwrap();
    let (_p, f, json) = demo(dir.path());
    let pdf = export(dir.path(), &json, "demo", &[]);
    structural_checks(&pdf);
    check_text(&pdf, &f);
    // The outline has a bookmark per document and per section.
    let out = run(Command::new("python3").arg("-c").arg(
        "import sys,pikepdf\np=pikepdf.open(sys.argv[1])\nwith p.open_outline() as o:\n  print(len(o.root), sum(len(i.children) for i in o.root))",
    ).arg(&pdf));
    let s = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<usize> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    assert_eq!(nums.first().copied(), Some(f.documents.len()), "bookmarks: {s}");
    assert!(nums.get(1).copied().unwrap_or(0) >= 19, "section bookmarks: {s}");
    // XMP and Info agree, dates come from the fascicolo.
    let out = run(Command::new("python3").arg("-c").arg(
        "import sys,pikepdf\np=pikepdf.open(sys.argv[1])\nm=p.open_metadata()\nprint(m.get('pdfaid:part'),m.get('pdfaid:conformance'),m.get('xmp:CreateDate'))\nprint(str(p.docinfo['/Title'])==str(m.get('dc:title')), str(p.docinfo['/CreationDate']))",
    ).arg(&pdf));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("2 B"), "{s}");
    assert!(s.contains("True"), "title mismatch: {s}");
    if let Some(d) = f.date {
        assert!(s.contains(&d.format("%Y-%m-%dT").to_string()), "{s}");
        assert!(s.contains(&format!("D:{}", d.format("%Y%m%d"))), "{s}");
    }
}

#[test]
fn exports_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (_p, _f, json) = demo(dir.path());
    let a = std::fs::read(export(dir.path(), &json, "a", &[])).unwrap();
    let b = std::fs::read(export(dir.path(), &json, "b", &[])).unwrap();
    assert_eq!(a.len(), b.len());
    assert!(a == b, "two exports of the same data differ");
}

#[test]
fn stress_fascicolo_stays_inside_the_margins() {
    let dir = tempfile::tempdir().unwrap();
    let (p, f) = (sample::profile(), sample::stress());
    let json = dir.path().join("stress.json");
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).unwrap();
    let pdf = export(dir.path(), &json, "stress", &[]);
    structural_checks(&pdf);
    check_text(&pdf, &f);
    let xml = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let attr = |s: &str, name: &str| -> f32 {
        let k = format!("{name}=\"");
        let i = s.find(&k).unwrap() + k.len();
        s[i..].split('"').next().unwrap().parse().unwrap()
    };
    let (left, right, top, bottom) = (62.0 - 0.6, 595.28 - 56.0 + 0.6, 54.0 - 4.0, 841.89 - 58.0 + 1.0);
    let mut words = 0;
    let mut page = 0;
    let mut bad = Vec::new();
    for line in xml.lines() {
        let l = line.trim();
        if l.starts_with("<page ") {
            page += 1;
        }
        if !l.starts_with("<word ") {
            continue;
        }
        words += 1;
        let (x0, y0, x1, y1) = (attr(l, "xMin"), attr(l, "yMin"), attr(l, "xMax"), attr(l, "yMax"));
        let w = l.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("");
        let footer = y0 > 841.89 - 40.0; // the "pag. N di M" line lives in the bottom margin
        if x0 < left || x1 > right || y0 < top || (y1 > bottom && !footer) || y1 > 841.89 - 20.0 {
            bad.push(format!("page {page}: «{w}» at ({x0:.1},{y0:.1})-({x1:.1},{y1:.1})"));
        }
    }
    assert!(words > 5000, "too few words: {words}");
    assert!(bad.is_empty(), "{} words outside the margins, e.g. {:?}", bad.len(), &bad[..bad.len().min(10)]);
}

#[test]
fn draft_export_carries_the_watermark() {
    let dir = tempfile::tempdir().unwrap();
    let (_p, _f, json) = demo(dir.path());
    let pdf = export(dir.path(), &json, "draft", &["--draft"]);
    structural_checks(&pdf);
    let text = tool("pdftotext", &["-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("BOZZA"), "{text}");
}

#[test]
fn sovrazonale_letter_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut f) = (sample::profile(), sample::fascicolo());
    f.variant = "sovrazonale".into();
    f.documents.truncate(2);
    f.options.insert("letter_date_format".into(), serde_json::json!("long"));
    f.options.insert("checkbox_style".into(), serde_json::json!("x"));
    // Quarterly Gantt starting in April: quarters "gen 22-mar 22" … "ott 23-dic 23", Jan–Mar hatched.
    if let Some(FieldValue::Gantt(g)) = f.documents[1].fields.get_mut("cronoprogramma") {
        g.mode = pianozona::model::GanttMode::Trimestrale;
        g.start = pianozona::model::YearMonth::new(2022, 4);
    }
    let json = dir.path().join("sz.json");
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).unwrap();
    let pdf = export(dir.path(), &json, "sz", &[]);
    structural_checks(&pdf);
    let text = tool("pdftotext", &["-l", "1", pdf.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("A Regione Lombardia"), "{flat}");
    assert!(flat.contains("Luogo e data, Volta Mantovana 18 febbraio 2022"), "{flat}");
    assert!(flat.contains("Titolo progetto “AGENZIA"), "{flat}");
    assert!(flat.contains("X J. Interventi a favore di persone con disabilità"), "{flat}");
    assert!(!flat.contains("sub-allegato 1B"), "{flat}");
    let all = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).split_whitespace().collect::<Vec<_>>().join(" ");
    for q in ["22-mar", "23-dic", "lug 23-set", "Descrizione attività", "fuori dal periodo del programma"] {
        assert!(all.contains(q), "quarterly Gantt: «{q}» missing");
    }
}

#[test]
fn letterhead_as_header_on_first_pages_and_no_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, mut f) = (sample::profile(), sample::fascicolo());
    p.letterhead.position = "header".into();
    p.letterhead.pages = "first_page".into();
    f.options.insert("page_numbers".into(), serde_json::json!(false));
    f.options.insert("title_layout".into(), serde_json::json!("block"));
    let json = dir.path().join("lh.json");
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).unwrap();
    let pdf = export(dir.path(), &json, "lh", &[]);
    structural_checks(&pdf);
    let xml = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    // Page 1 starts with the letterhead at the top; page 3 (inside scheda 1) has none.
    let pages: Vec<&str> = xml.split("<page ").skip(1).collect();
    let first_word = |pg: &str| {
        pg.split("<word ").nth(1).map(|w| w.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("").to_string())
    };
    assert_eq!(first_word(pages[0]).as_deref(), Some("Consorzio"), "page 1 should open with the letterhead");
    assert!(!pages[2].contains(">Consorzio<"), "letterhead printed on a page that is not the first of its document");
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(!text.contains("pag. 1 di"), "page numbers printed although switched off");
    assert!(text.contains("“AGENZIA PER LA VITA INDIPENDENTE"), "block title layout");
}

/// The 2025-2027 forms (two-column layout, indicators, fund tables, evaluation grids), on their
/// demo when it exists: structure checks and every printed heading in the text layer.
#[test]
fn pdz2025_demo_exports() {
    let demo = root().join("assets/demo/piano-di-zona-2025-2027-lodi.json");
    if !demo.exists() {
        eprintln!("skipped: {} not present", demo.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = export(dir.path(), &demo, "pdz2025", &[]);
    structural_checks(&pdf);
    let reg = Registry::load(None).unwrap();
    let ex = pianozona::exchange::import_json(&std::fs::read_to_string(&demo).unwrap(), &reg).unwrap();
    let fam = reg.family(&ex.fascicolo.family).unwrap();
    let hay = tokens(&tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]));
    for doc in &ex.fascicolo.documents {
        let form = fam.form(&doc.form).unwrap();
        // A title or caption ("placement") prints its text without the editor's label.
        let labelled = |s: &&pianozona::template::Section| !s.props.contains_key("placement");
        for s in form
            .sections
            .iter()
            .filter(|s| doc.fields.contains_key(&s.id) && !s.optional && s.condition.is_none())
            .filter(labelled)
        {
            find_seq(&hay, &tokens(&s.heading), 0, hay.len())
                .unwrap_or_else(|e| panic!("{}: heading «{}»: {e}", doc.id, s.heading));
        }
    }
}

#[test]
fn unknown_fascicolo_is_an_italian_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let out = run(Command::new(BIN).arg("--db").arg(&db).args(["pdf", "999", "-o"]).arg(dir.path().join("x.pdf")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("errore:"), "{err}");
    assert!(!dir.path().join("x.pdf").exists());
}

/// At least 500 characters a user can type (Latin-1, Latin Extended-A, punctuation, arrows, maths,
/// Greek, Cyrillic, symbols, common emoji), one word each.
fn typed_characters() -> Vec<char> {
    let mut v: Vec<char> = Vec::new();
    let ranges: &[(u32, u32)] = &[
        (0x21, 0x7e),
        (0xa1, 0xac),
        (0xae, 0xff),
        (0x100, 0x17f),
        (0x391, 0x3a1),
        (0x3a3, 0x3a9),
        (0x3b1, 0x3c9),
        (0x410, 0x44f),
        (0x2190, 0x21ff),
    ];
    for (a, b) in ranges {
        v.extend((*a..=*b).filter_map(char::from_u32));
    }
    v.extend("–—‘’‚“”„†‡•…‰‹›€™№≥≤≠≈∑∏∫√∞∂∆∇∈∉∩∪⊂⊃⊆⊇±×÷∝∠∧∨¬≡≅∼⊕⊗⊥⋅▪◦►❖■□▲▼◆◇○●★☆☐☑☒✓✔✗✘❤☀☎✉✂✏".chars());
    v.extend("😀😃😄😁😆😅😂🙂😉😊😍😘😎🤔😐😢😭😡👍👎👏🙏💪👀🎉🎂🎁📅📌📎📞📧💡🔔🔒🏠🚗🚀⭐🌍🌞🍕☕⚠✅❌".chars());
    v.retain(|c| !c.is_whitespace());
    v.dedup();
    v
}

#[test]
fn every_typed_character_comes_back_from_the_pdf() {
    let chars = typed_characters();
    assert!(chars.len() >= 500, "only {} characters", chars.len());
    let dir = tempfile::tempdir().unwrap();
    let (p, mut f) = (sample::profile(), sample::fascicolo());
    let text: String = chars.iter().map(|c| format!("{c} ")).collect();
    // One character no embedded font has (Thai ko kai): printed as a visible "□", reported by Verifica.
    let text = format!("{text}ก");
    f.documents[1].fields.insert("attivita".into(), FieldValue::Text { text });
    let json = dir.path().join("chars.json");
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).unwrap();
    let pdf = export(dir.path(), &json, "chars", &[]);
    structural_checks(&pdf);
    let out = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let missing: Vec<String> =
        chars.iter().filter(|c| !out.contains(**c)).map(|c| format!("{c} U+{:04X}", *c as u32)).collect();
    assert!(missing.is_empty(), "{} characters not in the text layer: {missing:?}", missing.len());
    assert!(out.contains('□'), "the unprintable character is not replaced by a visible box");
    assert!(!out.contains('ก'));
    // Verifica names the character and the section.
    let reg = Registry::load(None).unwrap();
    let fam = reg.family(&f.family).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2022, 2, 18).unwrap();
    let findings = pianozona::rules::check(fam, &f, &p, today);
    let hits: Vec<_> = findings.iter().filter(|x| x.message.contains("U+0E01")).collect();
    assert_eq!(hits.len(), 1, "{findings:#?}");
    assert_eq!(hits[0].path, "attivita");
    assert!(!hits[0].section.is_empty());
    assert!(findings.iter().all(|x| !x.message.contains("U+2192")), "a printable arrow was reported");
}

#[test]
fn final_pdf_of_a_fascicolo_with_errori_needs_final() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut f) = (sample::profile(), sample::fascicolo());
    f.signer.name.clear(); // the letter then lacks its signer: an errore
    let json = dir.path().join("err.json");
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).unwrap();
    let db = dir.path().join("err.db");
    let out = run(Command::new(BIN).arg("--db").arg(&db).arg("import").arg(&json));
    assert!(out.status.success());
    let id = String::from_utf8_lossy(&out.stdout).lines().last().unwrap().trim().to_string();
    let check = run(Command::new(BIN).arg("--db").arg(&db).args(["check", &id]));
    assert_eq!(check.status.code(), Some(1), "the fascicolo should have errori");
    let pdf = dir.path().join("err.pdf");
    let out = run(Command::new(BIN).arg("--db").arg(&db).args(["pdf", &id, "-o"]).arg(&pdf));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error") && err.contains("--draft") && err.contains("--final"), "{err}");
    assert!(!pdf.exists(), "a final PDF was written despite the errori");
    let out = run(Command::new(BIN).arg("--db").arg(&db).args(["pdf", &id, "-o"]).arg(&pdf).arg("--final"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    structural_checks(&pdf);
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(!text.contains("BOZZA"));
    let out =
        run(Command::new(BIN).arg("--db").arg(&db).args(["pdf", &id, "-o"]).arg(&pdf).args(["--draft", "--final"]));
    assert_eq!(out.status.code(), Some(2), "--draft and --final together are a usage error");
}

#[test]
fn deliverable_row_broken_across_pages_keeps_its_phase() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut f) = (sample::profile(), sample::fascicolo());
    let Some(FieldValue::Deliverables(d)) = f.documents[2].fields.get_mut("deliverable") else {
        panic!("no deliverables")
    };
    d.rows[1].results = (1..=90).map(|i| format!("Risultato atteso numero {i} della sperimentazione")).collect();
    let json = dir.path().join("dl.json");
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).unwrap();
    let pdf = export(dir.path(), &json, "deliverables", &[]);
    structural_checks(&pdf);
    let text = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let with_results: Vec<usize> = (0..pages.len()).filter(|i| pages[*i].contains("Risultato atteso numero")).collect();
    assert!(with_results.len() >= 2, "the row should break across pages: {with_results:?}");
    for i in with_results {
        let flat = pages[i].split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("definizione del modello di Agenzia"), "page {}: phase cell missing", i + 1);
    }
}

#[test]
fn blocks_unnumbered_as_the_2021_form_and_empty_tables_read_non_compilato() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut f) = (sample::profile(), sample::fascicolo());
    // Scheda 1: no budget rows, no Gantt periods.
    f.documents[1].fields.remove("risorse_economiche");
    for a in &mut f.documents[1].activities {
        a.periods.clear();
    }
    let json = dir.path().join("nc.json");
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).unwrap();
    let pdf = export(dir.path(), &json, "nc", &[]);
    structural_checks(&pdf);
    let flat = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!flat.contains("16a. Risorse economiche"), "2021 blocks printed with numbers");
    assert!(flat.contains("Risorse economiche non compilato"), "empty budget not marked: {flat}");
    assert!(flat.contains("Cronoprogramma"), "{flat}");
    assert!(flat.matches("non compilato").count() >= 2, "empty Gantt not marked");
    // The option brings the numbers back.
    f.options.insert("section_numbers".into(), serde_json::json!(true));
    std::fs::write(&json, pianozona::exchange::export_json(&p, &f)).unwrap();
    let pdf = export(dir.path(), &json, "nc2", &[]);
    let flat = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("16a. Risorse economiche"), "{flat}");
}
