//! Gate: forms are data. No form, section or rule id of a shipped template may appear as a string
//! literal in the Rust code of the library or the app (tests excluded: a file is read up to its
//! `#[cfg(test)]`). Rule parameters carry the ids instead (see src/rules/params.rs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Words that are both an id and an ordinary word of the code, per file.
const ALLOWED: &[(&str, &str)] = &[
    // The findings' path of the document's activity list (model field `activities`).
    ("src/rules/checks.rs", "attivita"),
    ("src/rules/checks_table.rs", "attivita"),
    // `IndicatorLevel::Impatto` printed by name.
    ("src/pdf/kinds.rs", "impatto"),
    // The model's indicator qualifier (`Indicator::qualifier`: none | stima | almeno).
    ("src/pdf/kinds.rs", "stima"),
    // The kind of a letter body block (`BodyBlock::kind`).
    ("src/pdf/letter.rs", "note"),
];

/// Known debt outside the rules and templates, to be moved into templates (letter PDF, model
/// helpers) or out of the library (the PDF sample fixture). Entries only shrink.
const DEBT: &[(&str, &[&str])] = &[
    ("src/model/build.rs", &["data"]),
    ("src/model/mod.rs", &["titolo"]),
    ("src/pdf/mod.rs", &["data", "titolo"]),
    ("src/pdf/letter.rs", &["data", "luogo", "macroarea", "macroaree", "titolo"]),
    ("src/pdf/sample.rs", &["*"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// String literals of a line (escapes kept; raw strings are read as plain ones).
fn literals(line: &str) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            break;
        }
        if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            i += 3; // a char literal such as '"'
            continue;
        }
        if b[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push((start, j.min(b.len())));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn no_template_id_in_rust() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ids = BTreeSet::new();
    let mut placeholders = BTreeSet::new();
    for e in std::fs::read_dir(root.join("assets/templates")).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let fam = pianozona::template::parse_family(&e.path().display().to_string(), &text).unwrap();
        for f in &fam.forms {
            ids.insert(f.id.clone());
            ids.extend(f.sections.iter().map(|s| s.id.clone()));
        }
        ids.extend(fam.rules.iter().map(|r| r.id.clone()));
        for part in text.split('{').skip(1) {
            if let Some((w, _)) = part.split_once('}') {
                if !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    placeholders.insert(w.to_string());
                }
            }
        }
    }
    assert!(ids.len() > 100, "ids collected: {}", ids.len());
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("src-tauri/src"), &mut files);
    assert!(files.len() > 20);
    let mut found = Vec::new();
    for path in files {
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let debt: &[&str] = DEBT.iter().find(|(f, _)| *f == rel).map(|(_, w)| *w).unwrap_or(&[]);
        // The app's test module (`#[cfg(test)] mod tests;`) is test code, as `#[cfg(test)]` blocks are.
        if debt == ["*"] || rel == "src-tauri/src/tests.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (a, b) in literals(line) {
                let word = &line[a..b];
                if !ids.contains(word) || debt.contains(&word) || ALLOWED.contains(&(rel.as_str(), word)) {
                    continue;
                }
                // A message placeholder passed as ("name", value): the name is the template's `{name}`.
                let pair = line[..a - 1].trim_end().ends_with('(') && line[b + 1..].trim_start().starts_with(',');
                if pair && placeholders.contains(word) {
                    continue;
                }
                found.push(format!("{rel}:{}: «{word}»", n + 1));
            }
        }
    }
    assert!(found.is_empty(), "template ids in Rust code (move them into rule params):\n{}", found.join("\n"));
}

#[test]
fn the_gate_sees_an_id() {
    // The scanner itself: a literal id is found, a comment is not.
    let line = r#"let s = form.section("macro_area"); // "titolo""#;
    let lits: Vec<&str> = literals(line).into_iter().map(|(a, b)| &line[a..b]).collect();
    assert_eq!(lits, ["macro_area"]);
}
