//! Helpers shared by the tests that drive the real `pianozona` binary; `sign`: the test PKI and
//! the external verifiers of the signing tests.
#![allow(dead_code)]

pub mod sign;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Runs the CLI on database `db`, with only the embedded templates.
pub fn run<S: AsRef<std::ffi::OsStr>>(db: &Path, args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pianozona"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PIANOZONA_TEMPLATES")
        .output()
        .expect("run pianozona")
}

/// stdout followed by stderr.
pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Imports a file into `db` and returns the new fascicolo id (last line of stdout).
pub fn import(db: &Path, file: &Path) -> String {
    let o = run(db, &["import", file.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0), "import: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).lines().last().expect("id line").trim().to_string()
}

/// The findings printed by `check --json`.
pub struct Findings(pub Vec<Value>);

impl Findings {
    pub fn of(&self, rule: &str, doc: &str) -> Vec<&Value> {
        self.0.iter().filter(|f| f["rule"] == rule && f["document"] == doc).collect()
    }
}
