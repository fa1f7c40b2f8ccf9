//! Shared setup of the signing tests: a fresh test PKI (and SoftHSM2 token) per test run,
//! made with openssl / softhsm2-util by tests/support/sign/make_pki.sh, test PDFs, the
//! `pianozona` binary and the external verifiers (pyHanko, pdfsig, qpdf, openssl).
//! A missing tool is a test failure with the install hint, never a silent skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn support_dir() -> PathBuf {
    repo().join("tests/support/sign")
}

/// Fails with a clear message when an external tool is missing.
pub fn require_tool(tool: &str, hint: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(found, "strumento mancante: `{tool}` — installalo con `bash scripts/install-deps.sh` ({hint})");
}

/// The `pianozona` binary of this build.
pub fn pianozona() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pianozona"))
}

/// Exit code of a finished process (-1 when killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

pub fn run(cmd: &mut Command) -> Output {
    match cmd.output() {
        Ok(o) => o,
        Err(e) => panic!("cannot run {cmd:?}: {e}"),
    }
}

pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

pub struct Pki {
    pub tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Pki {
    /// A new PKI; with `softhsm` also a SoftHSM2 token directory of its own.
    pub fn new(softhsm: bool) -> Pki {
        require_tool("openssl", "openssl");
        require_tool("certutil", "Debian package libnss3-tools");
        if softhsm {
            require_tool("softhsm2-util", "Debian package softhsm2");
            require_tool("pkcs11-tool", "Debian package opensc");
        }
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().to_path_buf();
        let mut cmd = Command::new("bash");
        cmd.arg(support_dir().join("make_pki.sh")).arg(&dir);
        if softhsm {
            cmd.arg("--softhsm");
        }
        let o = run(&mut cmd);
        assert!(o.status.success(), "make_pki.sh failed:\n{}", text(&o));
        Pki { tmp, dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn softhsm_module(&self) -> PathBuf {
        let s = std::fs::read_to_string(self.path("softhsm.module")).expect("softhsm.module");
        PathBuf::from(s.trim())
    }

    pub fn trust(&self) -> pianozona::sign::TrustStore {
        let mut t = pianozona::sign::TrustStore::new();
        t.add_file(&self.path("ca.crt")).expect("ca.crt");
        t
    }

    pub fn p12(&self, name: &str) -> pianozona::sign::KeySource {
        pianozona::sign::KeySource::pkcs12_file(&self.path(name), "test1234").expect("p12")
    }

    /// A test PDF/A-2b made by make_pdf.py (pikepdf); `args` e.g. ["--xref-stream"].
    pub fn make_pdf(&self, name: &str, args: &[&str]) -> PathBuf {
        require_tool("python3", "python3");
        let out = self.path(name);
        let o = run(Command::new("python3").arg(support_dir().join("make_pdf.py")).arg(&out).args(args));
        assert!(o.status.success(), "make_pdf.py failed (pip install pikepdf):\n{}", text(&o));
        out
    }
}

/// `openssl cms -verify` of a DER .p7m against the test CA, the content written to `out`.
/// Returns (exit ok, output).
pub fn openssl_cms_verify(pki: &Pki, p7m: &Path, out: &Path) -> (bool, String) {
    let o = run(Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(p7m)
        .arg("-CAfile")
        .arg(pki.path("ca.crt"))
        .arg("-out")
        .arg(out));
    (o.status.success(), text(&o))
}

/// pyHanko validation with the test CA as the only trust root. Returns (exit ok, output).
pub fn pyhanko_validate(pki: &Pki, pdf: &Path) -> (bool, String) {
    require_tool("pyhanko", "pip package pyhanko-cli, see scripts/deps/pip.txt");
    let o = run(Command::new("pyhanko")
        .args(["sign", "validate", "--pretty-print", "--trust"])
        .arg(pki.path("ca.crt"))
        .args(["--trust-replace", "--no-revocation-check"])
        .arg(pdf));
    (o.status.success(), text(&o))
}

/// poppler's pdfsig with the NSS db trusting the test CA. It exits 0 even on a bad digest,
/// so callers parse the text.
pub fn pdfsig(pki: &Pki, pdf: &Path) -> String {
    require_tool("pdfsig", "Debian package poppler-utils");
    let o = run(Command::new("pdfsig").arg("-nssdir").arg(format!("sql:{}", pki.path("nssdb").display())).arg(pdf));
    text(&o)
}

/// The structural PDF/A smoke check shipped in shared/tools.
pub fn pdfa_check(pdf: &Path) -> (bool, String) {
    let tool = repo().join("../shared/tools/pdfa_check.py");
    let tool = if tool.exists() { tool } else { PathBuf::from("/work/shared/tools/pdfa_check.py") };
    assert!(tool.exists(), "shared/tools/pdfa_check.py non trovato");
    let o = run(Command::new("python3").arg(tool).arg(pdf));
    (o.status.success(), text(&o))
}

pub fn qpdf_check(pdf: &Path) -> (bool, String) {
    require_tool("qpdf", "Debian package qpdf");
    let o = run(Command::new("qpdf").arg("--check").arg(pdf));
    (o.status.success(), text(&o))
}

/// The PDF the product really signs: the demo fascicolo exported by `pianozona pdf`, as soon as
/// that command exists (then it must work); until then the PDF/A fixture of make_pdf.py.
pub fn demo_or_fixture_pdf(pki: &Pki) -> PathBuf {
    let help = run(pianozona().arg("--help"));
    let has_pdf = String::from_utf8_lossy(&help.stdout).lines().any(|l| l.trim_start().starts_with("pdf "));
    if !has_pdf {
        eprintln!("note: `pianozona pdf` not available yet: signing the PDF/A fixture");
        return pki.make_pdf("fixture.pdf", &[]);
    }
    let demo_dir = repo().join("assets/demo");
    let mut demos: Vec<PathBuf> = std::fs::read_dir(&demo_dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect()
        })
        .unwrap_or_default();
    demos.sort();
    let demo = demos.first().unwrap_or_else(|| panic!("`pianozona pdf` exists but assets/demo has no *.json"));
    let db = pki.path("demo.db");
    let o = run(pianozona().arg("--db").arg(&db).arg("import").arg(demo));
    assert!(o.status.success(), "import {}:\n{}", demo.display(), text(&o));
    let id = String::from_utf8_lossy(&o.stdout).lines().last().unwrap_or_default().trim().to_string();
    let out = pki.path("demo.pdf");
    let o = run(pianozona().arg("--db").arg(&db).arg("pdf").arg(&id).arg("--final").arg("-o").arg(&out));
    assert!(o.status.success() && out.exists(), "pdf export of {}:\n{}", demo.display(), text(&o));
    eprintln!("note: signing the demo export of {}", demo.display());
    out
}

/// Failure lines of the PDF/A smoke check (empty when it passes).
pub fn pdfa_failures(pdf: &Path) -> Vec<String> {
    let (_, out) = pdfa_check(pdf);
    out.lines().filter(|l| l.trim_start().starts_with('-')).map(|l| l.trim().to_string()).collect()
}

/// A loopback RFC 3161 TSA (tsa_server.py + `openssl ts -reply`), killed on drop.
pub struct Tsa {
    child: std::process::Child,
    pub url: String,
}

impl Tsa {
    pub fn start(pki: &Pki) -> Tsa {
        use std::io::BufRead;
        let mut child = Command::new("python3")
            .arg(support_dir().join("tsa_server.py"))
            .arg(pki.path("tsa.cnf"))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start tsa_server.py");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        std::io::BufReader::new(stdout).read_line(&mut line).expect("tsa port");
        let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("tsa_server.py printed {line:?}"));
        Tsa { child, url: format!("http://127.0.0.1:{port}/") }
    }
}

impl Drop for Tsa {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
