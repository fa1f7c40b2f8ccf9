//! The whole Lodi 2025-2027 plan (assets/demo/piano-di-zona-2025-2027-lodi.json, transcribed by
//! scripts/transcribe_lodi.py from seed 004) exported as one PDF through the real CLI, read back
//! with poppler (pdftotext per page), checked with qpdf and shared/tools/pdfa_check.py.
//!
//! The seed and the PDF/A checker live in `shared/` beside the repository (`../shared`);
//! `PIANOZONA_SHARED` may point elsewhere. Without them the tests that need them say so and stop.

mod common;

use common::{import, run, text};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/piano-di-zona-2025-2027-lodi.json");
const SEED: &str = "seeds/004_d46b45fbb515c336.txt";

fn shared() -> PathBuf {
    std::env::var_os("PIANOZONA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Exports {
    _dir: tempfile::TempDir,
    first: PathBuf,
    second: PathBuf,
}

/// The demo imported once, exported twice with --final (same database, same fascicolo).
fn exports() -> &'static Exports {
    static E: OnceLock<Exports> = OnceLock::new();
    E.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("lodi.sqlite");
        let id = import(&db, Path::new(DEMO));
        let mut pdfs = Vec::new();
        for name in ["uno.pdf", "due.pdf"] {
            let pdf = dir.path().join(name);
            let o = run(&db, &["pdf", &id, "--final", "-o", pdf.to_str().expect("path")]);
            assert_eq!(o.status.code(), Some(0), "pdf: {}", text(&o));
            if let Ok(keep) = std::env::var("PDF_TEST_KEEP") {
                let _ = std::fs::copy(&pdf, Path::new(&keep).join(format!("lodi-{name}")));
            }
            pdfs.push(pdf);
        }
        let second = pdfs.pop().expect("two");
        let first = pdfs.pop().expect("two");
        Exports { _dir: dir, first, second }
    })
}

fn pages(pdf: &Path) -> Vec<String> {
    let p = pdf.to_str().expect("path");
    let info = tool("pdfinfo", &[p]);
    let n: usize =
        info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|v| v.trim().parse().ok()).expect("page count");
    // One pdftotext run; pages are separated by form feeds.
    let all = tool("pdftotext", &["-layout", p, "-"]);
    let mut out: Vec<String> = all.split('\u{c}').map(str::to_string).collect();
    out.truncate(n);
    assert_eq!(out.len(), n, "pdftotext gave fewer pages than pdfinfo");
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Entries of the table of contents: (heading, printed page number). The number is on the first
/// line of an entry; a heading that wraps goes on in the lines below, without a number.
fn toc_entries(pages: &[String]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let toc: Vec<&String> = pages.iter().skip(1).take_while(|p| p.contains("Indice")).collect();
    assert!(!toc.is_empty(), "page 2 is not the table of contents");
    for p in toc {
        for line in p.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if line == "Indice" || line.starts_with("pag. ") {
                continue;
            }
            match line.rsplit_once(char::is_whitespace) {
                Some((h, n)) if n.chars().all(|c| c.is_ascii_digit()) && !h.trim().is_empty() => {
                    out.push((squash(h), n.parse().expect("number")))
                }
                _ => match out.last_mut() {
                    Some((h, _)) => *h = format!("{h} {line}"),
                    None => panic!("TOC line without a number: {line}"),
                },
            }
        }
    }
    out
}

#[test]
fn the_table_of_contents_gives_the_page_of_every_chapter() {
    let pages = pages(&exports().first);
    let entries = toc_entries(&pages);
    assert!(entries.len() >= 30, "too few TOC entries: {entries:?}");
    let mut last = 0;
    for (heading, n) in &entries {
        assert!(*n >= last, "TOC goes backwards at «{heading}» ({n} after {last})");
        last = *n;
        let page = pages.get(n - 1).unwrap_or_else(|| panic!("«{heading}» on page {n}, past the end"));
        // The heading starts that page's text or is on it (a sub-chapter after its parent's text).
        let body = squash(page);
        let first_words: String = heading.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
        assert!(body.contains(&first_words), "TOC says «{heading}» is on page {n}, whose text is:\n{body}");
        // Not alone at the page foot: something of the chapter follows it on the same page.
        let at = body.find(&first_words).unwrap_or(0);
        let rest = body[at..].replacen(heading.as_str(), "", 1);
        let rest = rest.split(" pag. ").next().unwrap_or("").trim().to_string();
        assert!(rest.split_whitespace().count() >= 5, "«{heading}» is left alone at the foot of page {n}:\n{body}");
    }
    // Numbered chapters, sub-chapters and the unnumbered ones, in the template's order.
    let heads: Vec<&str> = entries.iter().map(|(h, _)| h.as_str()).collect();
    for want in [
        "Premessa",
        "1 Esiti della programmazione zonale 2021-2023",
        "1.1 Esiti degli obiettivi di sistema",
        "2.3 Risorse impiegate nel sociale",
        "3.4 Le reti attive nell’Ambito",
        "5.3 Obiettivi tematici",
        "7.1 Struttura organizzativa Ufficio di Piano",
        "Approvazione dell’Accordo di Programma",
        "Allegati",
    ] {
        assert!(heads.iter().any(|h| h.starts_with(want)), "TOC lacks «{want}»: {heads:#?}");
    }
}

/// Word tokens for the comparison: lower case, typographic apostrophes made straight, punctuation
/// around a word dropped, tokens with no letter or digit dropped (bullets, dashes).
fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|t| t.replace(['\u{2019}', '\u{2018}'], "'").to_lowercase())
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .collect()
}

/// Length of the longest common subsequence of `a` and `b` (bit-parallel, Hyyrö 2004): one bit
/// per token of `a`, one pass over `b`.
fn lcs(a: &[String], b: &[String]) -> usize {
    use std::collections::HashMap;
    let mut pos: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in a.iter().enumerate() {
        pos.entry(t.as_str()).or_default().push(i);
    }
    let nw = a.len().div_ceil(64);
    let mut v = vec![u64::MAX; nw];
    let mut u = vec![0u64; nw];
    for t in b {
        let Some(ps) = pos.get(t.as_str()) else { continue };
        for &p in ps {
            u[p / 64] |= 1 << (p % 64);
        }
        // V' = (V + (V & M)) | (V & !M)
        let mut carry = 0u64;
        for (vk, uk) in v.iter_mut().zip(u.iter()) {
            let x = *vk & uk;
            let y = *vk & !uk;
            let (s1, c1) = vk.overflowing_add(x);
            let (s2, c2) = s1.overflowing_add(carry);
            carry = u64::from(c1 || c2);
            *vk = s2 | y;
        }
        for &p in ps {
            u[p / 64] = 0;
        }
    }
    // LCS = zero bits among the first a.len() bits.
    let tail = a.len() % 64;
    v.iter()
        .enumerate()
        .map(|(k, w)| {
            let w = if k + 1 == nw && tail != 0 { !w & ((1u64 << tail) - 1) } else { !w };
            w.count_ones() as usize
        })
        .sum()
}

#[test]
fn lcs_is_right_on_small_cases() {
    let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    assert_eq!(lcs(&w("a b c d"), &w("a c d")), 3);
    assert_eq!(lcs(&w("a b c d"), &w("d c b a")), 1);
    assert_eq!(lcs(&w("x"), &w("y")), 0);
    // Across a 64-token word boundary.
    let long: Vec<String> = (0..200).map(|i| format!("t{}", i % 7)).collect();
    let other: Vec<String> = (0..150).map(|i| format!("t{}", (i * 3) % 7)).collect();
    let mut dp = vec![vec![0usize; other.len() + 1]; long.len() + 1];
    for i in 1..=long.len() {
        for j in 1..=other.len() {
            dp[i][j] = if long[i - 1] == other[j - 1] { dp[i - 1][j - 1] + 1 } else { dp[i - 1][j].max(dp[i][j - 1]) };
        }
    }
    assert_eq!(lcs(&long, &other), dp[long.len()][other.len()]);
}

/// The seed's lines (1-based, [from, to)) that the demo holds as documents (grids, fund table,
/// schede), as the transcription script placed them.
fn document_ranges(seed: &Path) -> Vec<(usize, usize, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/transcribe_lodi.py");
    let o = Command::new("python3").arg(&script).arg(seed).arg(DEMO).arg("--ranges").output().expect("python3");
    assert!(o.status.success(), "transcribe_lodi.py --ranges: {}", String::from_utf8_lossy(&o.stderr));
    let v: Vec<(usize, usize, String)> = serde_json::from_slice(&o.stdout).expect("ranges");
    assert!(v.len() >= 15, "{v:?}");
    v
}

/// What is compared: the words of seed 004 (the whole plan as text) without the lines that hold
/// only a page number (1-3 digits), against every word of the PDF's text (pdftotext, reading
/// order), both tokenised by `words`; the figure is LCS / seed words. The PDF holds more (TOC,
/// labels of the forms, page numbers): that costs nothing; a seed word missing or out of order
/// costs one. Two figures:
/// - the narrative: every seed line outside the ranges the demo holds as documents — at least 99%;
/// - the whole seed, documents included — at least 97%: a scheda is a two-column table whose
///   cells pdftotext reads in another order than the seed's extract, and its yes/no answers are
///   printed as ticked boxes; the figure is printed.
#[test]
fn the_pdf_holds_the_seed_words_in_order() {
    let seed_path = shared().join(SEED);
    let Ok(seed) = std::fs::read_to_string(&seed_path) else {
        eprintln!("SKIP: seed not found at {} (set PIANOZONA_SHARED)", seed_path.display());
        return;
    };
    let ranges = document_ranges(&seed_path);
    let page_number = |l: &str| {
        let t = l.trim();
        !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
    };
    let lines: Vec<(usize, &str)> =
        seed.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !page_number(l)).collect();
    let whole = words(&lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n"));
    let narrative = words(
        &lines
            .iter()
            .filter(|(n, _)| !ranges.iter().any(|(a, b, _)| (*a..*b).contains(n)))
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let pdf = words(&tool("pdftotext", &[exports().first.to_str().expect("path"), "-"]));
    let ratio = |a: &[String]| lcs(a, &pdf) as f64 / a.len() as f64;
    let (rn, rw) = (ratio(&narrative), ratio(&whole));
    eprintln!(
        "seed words {} (narrative {}), PDF words {}; in the PDF in order: narrative {:.2}%, whole seed {:.2}%",
        whole.len(),
        narrative.len(),
        pdf.len(),
        rn * 100.0,
        rw * 100.0
    );
    assert!(narrative.len() > 35_000, "the narrative is too short: {}", narrative.len());
    assert!(rn >= 0.99, "only {:.2}% of the narrative's words are in the PDF in order", rn * 100.0);
    assert!(rw >= 0.97, "only {:.2}% of the seed's words are in the PDF in order", rw * 100.0);
}

#[test]
fn the_plan_is_a_valid_pdfa_and_deterministic() {
    let e = exports();
    let a = e.first.to_str().expect("path");
    let qpdf = Command::new("qpdf").args(["--check", a]).output().expect("qpdf");
    let out = String::from_utf8_lossy(&qpdf.stdout);
    assert!(
        qpdf.status.success() && !out.contains("WARNING"),
        "qpdf --check: {out}{}",
        String::from_utf8_lossy(&qpdf.stderr)
    );
    assert!(std::fs::read(&e.first).expect("pdf") == std::fs::read(&e.second).expect("pdf"), "two exports differ");
    let info = squash(&tool("pdfinfo", &[a]));
    assert!(info.contains("Tagged: yes") && info.contains("PDF version: 1.7"), "{info}");
    let script =
        std::env::var_os("PDFA_CHECK").map(PathBuf::from).unwrap_or_else(|| shared().join("tools/pdfa_check.py"));
    if !script.exists() {
        eprintln!("SKIP pdfa_check: {} not found (set PDFA_CHECK or PIANOZONA_SHARED)", script.display());
        return;
    }
    let o = Command::new("python3").arg(&script).arg(a).output().expect("python3");
    assert!(
        o.status.success(),
        "pdfa_check: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn bookmarks_name_every_chapter_and_every_scheda() {
    let e = exports();
    let json = tool("qpdf", &["--json", "--json-key=outlines", e.first.to_str().expect("path")]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("qpdf json");
    let mut titles = Vec::new();
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        for o in v.as_array().into_iter().flatten() {
            out.push(o["title"].as_str().unwrap_or_default().to_string());
            walk(&o["kids"], out);
        }
    }
    walk(&v["outlines"], &mut titles);
    let demo: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(DEMO).expect("demo")).expect("json");
    let schede = demo["fascicolo"]["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .filter(|d| d["form"] == "scheda_obiettivo")
        .count();
    let n = titles.iter().filter(|t| t.starts_with("Scheda obiettivo") || t.contains("OBIETTIVO")).count();
    assert!(n >= schede, "{n} scheda bookmarks for {schede} schede: {titles:#?}");
    for want in [
        "Copertina",
        "Indice",
        "Premessa",
        "1 Esiti della programmazione zonale 2021-2023",
        "4.8 MACRO AREA L: Agricoltura sociale",
        "Approvazione dell’Accordo di Programma",
    ] {
        assert!(titles.iter().any(|t| t == want), "no bookmark «{want}»: {titles:#?}");
    }
}

/// The approval page lists the signatories of the Accordo di Programma from the office profile:
/// each Comune with its population and their total, ATS, ASST and the Terzo Settore bodies, then
/// the legal representative with the empty signature field. The Lodi seed does not list its 61
/// Comuni, so the profile here is the demo's with four of them added.
#[test]
fn the_approval_page_lists_the_signatories_from_the_profile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(DEMO).expect("demo")).expect("json");
    demo["profile"]["comuni"] = serde_json::json!([
        { "name": "Lodi", "population": 45_318 },
        { "name": "Codogno", "population": 15_832 },
        { "name": "Casalpusterlengo", "population": 15_187 },
        { "name": "Meleti" }
    ]);
    demo["profile"]["terzo_settore"] = serde_json::json!(["Forum del Terzo Settore di Lodi"]);
    let json = dir.path().join("lodi-profilo.json");
    std::fs::write(&json, serde_json::to_string(&demo).expect("json")).expect("write");
    let db = dir.path().join("lodi.sqlite");
    let id = import(&db, &json);
    let pdf = dir.path().join("lodi.pdf");
    let o = run(&db, &["pdf", &id, "--final", "-o", pdf.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(0), "pdf: {}", text(&o));
    let pages = pages(&pdf);
    let page = pages
        .iter()
        .find(|p| p.contains("Approvazione dell’Accordo di Programma") && p.contains("Sottoscrittore"))
        .expect("no approval page");
    let flat = squash(page);
    for want in [
        "Comune Lodi 45.318",
        "Comune Codogno 15.832",
        "Comune Casalpusterlengo 15.187",
        "Comune Meleti",
        "4 Comuni 76.337",
        "ATS ATS della Città Metropolitana di",
        "ASST ASST di Lodi",
        "Terzo Settore Forum del Terzo Settore di Lodi",
        "Il legale rappresentante dell’ente capofila",
    ] {
        assert!(flat.contains(want), "approval page lacks «{want}»:\n{page}");
    }
}
