//! Benchmark: PAdES signing of a PDF with a PKCS#12 key, ours vs pyHanko, same file, same key,
//! same run. Prints figures (medians); asserts nothing about speed.
//!
//! Input: the demo export when `pianozona pdf` exists, else the PDF/A test fixture.
//! Figures:
//!   * library: `sign::sign_pdf` in-process (PKCS#12 decryption + signing) vs pyHanko's Python
//!     API in-process (same work, interpreter already started);
//!   * command line: `pianozona sign` vs `pyhanko sign addsig` as processes (what a user waits).

use pianozona::sign::{self, KeySource, PadesOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn sh(cmd: &mut Command) -> std::process::Output {
    let o = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        o.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn demo_pdf(dir: &Path) -> Option<PathBuf> {
    let bin = env!("CARGO_BIN_EXE_pianozona");
    let help = Command::new(bin).arg("--help").output().ok()?;
    if !String::from_utf8_lossy(&help.stdout).lines().any(|l| l.trim_start().starts_with("pdf ")) {
        return None;
    }
    let demo_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let demo = std::fs::read_dir(&demo_dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "json"))?;
    let db = dir.join("bench.db");
    let o = Command::new(bin).arg("--db").arg(&db).arg("import").arg(&demo).output().ok()?;
    let id = String::from_utf8_lossy(&o.stdout).lines().last()?.trim().to_string();
    let out = dir.join("demo.pdf");
    let o =
        Command::new(bin).arg("--db").arg(&db).arg("pdf").arg(&id).arg("--final").arg("-o").arg(&out).output().ok()?;
    if o.status.success() && out.exists() {
        eprintln!("input: demo export of {}", demo.display());
        Some(out)
    } else {
        None
    }
}

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let support = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/sign");
    sh(Command::new("bash").arg(support.join("make_pki.sh")).arg(dir));
    let input = match demo_pdf(dir) {
        Some(p) => p,
        None => {
            let p = dir.join("fixture.pdf");
            sh(Command::new("python3").arg(support.join("make_pdf.py")).arg(&p));
            eprintln!("input: PDF/A test fixture (pianozona pdf not available yet)");
            p
        }
    };
    let pdf = std::fs::read(&input).expect("input");
    let p12 = dir.join("signer.p12");
    let pass = dir.join("p12.pass");
    // `cargo bench` passes --bench; under `cargo test --all-targets` run a quick smoke pass.
    let full = std::env::args().any(|a| a == "--bench");
    let iters = if full { 15 } else { 2 };
    let cli_runs = if full { 5 } else { 1 };

    // --- ours, library
    let key = KeySource::pkcs12_file(&p12, "test1234").expect("p12");
    let _ = sign::sign_pdf(&pdf, &key, &PadesOptions::default()).expect("warm-up");
    let mut ours = Vec::new();
    for _ in 0..iters {
        let t = Instant::now();
        let out = sign::sign_pdf(&pdf, &key, &PadesOptions::default()).expect("sign");
        ours.push(t.elapsed());
        std::hint::black_box(out);
    }
    let ours = median(ours);

    // --- pyHanko, library (same work: load the PKCS#12, sign with PAdES, write to memory)
    let script = format!(
        r#"
import io, time, statistics
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
data = open({input:?}, 'rb').read()
def once():
    s = signers.SimpleSigner.load_pkcs12({p12:?}, passphrase=b'test1234')
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    out = signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name='Firma1', subfilter=SigSeedSubFilter.PADES), signer=s)
    return out.getvalue()
once()
ts = []
for _ in range({iters}):
    t = time.perf_counter(); once(); ts.append(time.perf_counter() - t)
print(statistics.median(ts))
"#,
        input = input.display().to_string(),
        p12 = p12.display().to_string(),
    );
    let o = sh(Command::new("python3").arg("-c").arg(&script));
    let py_lib: f64 = String::from_utf8_lossy(&o.stdout).trim().parse().expect("pyhanko timing");
    let py_lib = Duration::from_secs_f64(py_lib);

    // --- command line, as processes
    let bin = env!("CARGO_BIN_EXE_pianozona");
    let mut ours_cli = Vec::new();
    let mut py_cli = Vec::new();
    for i in 0..cli_runs {
        let out = dir.join(format!("ours{i}.pdf"));
        let t = Instant::now();
        sh(Command::new(bin)
            .arg("sign")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .arg("--p12")
            .arg(&p12)
            .arg("--password-file")
            .arg(&pass));
        ours_cli.push(t.elapsed());
        let out = dir.join(format!("py{i}.pdf"));
        let t = Instant::now();
        sh(Command::new("pyhanko")
            .args(["sign", "addsig", "--field", "Firma1", "--use-pades", "pkcs12", "--passfile"])
            .arg(&pass)
            .arg(&input)
            .arg(&out)
            .arg(&p12));
        py_cli.push(t.elapsed());
    }
    let (ours_cli, py_cli) = (median(ours_cli), median(py_cli));

    println!("PAdES B-B signing, {} KiB PDF, RSA-2048 PKCS#12 key (median)", pdf.len() / 1024);
    println!("  library  ours (sign::sign_pdf)        {:8.2} ms   ({iters} runs)", ms(ours));
    println!("  library  pyHanko (signers.sign_pdf)   {:8.2} ms   ({iters} runs)", ms(py_lib));
    println!("  library  ratio pyHanko / ours         {:8.1}x", py_lib.as_secs_f64() / ours.as_secs_f64());
    println!("  process  ours (pianozona sign)        {:8.2} ms   ({cli_runs} runs)", ms(ours_cli));
    println!("  process  pyHanko (pyhanko sign addsig){:8.2} ms   ({cli_runs} runs)", ms(py_cli));
    println!("  process  ratio pyHanko / ours         {:8.1}x", py_cli.as_secs_f64() / ours_cli.as_secs_f64());
}
