//! Benchmark: PDF/A-2b export of the demo fascicolo (assets/demo/oglio-po-2021-2023-quota-premiale.json,
//! or the built-in sample when the demo is missing) and of the stress fascicolo. Prints figures
//! (median time per export, peak memory of the process, pages, bytes); asserts nothing about speed.
//! Run in release: `cargo bench --bench pdf`.

use std::time::{Duration, Instant};

use pianozona::model::{Fascicolo, OfficeProfile};
use pianozona::pdf::{render, sample, PdfOptions};
use pianozona::template::Registry;

fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn pages(pdf: &[u8]) -> usize {
    // Count page objects ("/Type/Page" or "/Type /Page", not followed by "s").
    [&b"/Type/Page"[..], &b"/Type /Page"[..]]
        .iter()
        .map(|needle| {
            pdf.windows(needle.len() + 1).filter(|w| &w[..needle.len()] == *needle && w[needle.len()] != b's').count()
        })
        .sum()
}

fn bench(name: &str, reg: &Registry, profile: &OfficeProfile, f: &Fascicolo) {
    let fam = reg.family(&f.family).expect("family");
    let opts = PdfOptions::default();
    // Warm-up (fonts are parsed once per process).
    let first = render(fam, f, profile, &opts).expect("export");
    let mut times: Vec<Duration> = Vec::new();
    // `cargo test --all-targets` runs this file without "--bench": one quick pass as a smoke test.
    let runs = if std::env::args().any(|a| a == "--bench") { 15 } else { 1 };
    for _ in 0..runs {
        let t = Instant::now();
        let bytes = render(fam, f, profile, &opts).expect("export");
        times.push(t.elapsed());
        assert_eq!(bytes, first, "non-deterministic export");
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "pdf export {name:<8} median {:>7.1} ms  (min {:.1}, max {:.1}; {runs} runs)  pages {:>3}  size {:>7} bytes",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1]),
        pages(&first),
        first.len()
    );
}

fn main() {
    let reg = Registry::load(None).expect("templates");
    let demo =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/oglio-po-2021-2023-quota-premiale.json");
    let (profile, fasc, label) = match std::fs::read_to_string(&demo) {
        Ok(text) => {
            let ex = pianozona::exchange::import_json(&text, &reg).expect("demo");
            (ex.profile, ex.fascicolo, "demo")
        }
        Err(_) => (sample::profile(), sample::fascicolo(), "sample"),
    };
    bench(label, &reg, &profile, &fasc);
    println!("peak memory (VmHWM) after {label}: {} KiB", peak_rss_kib().unwrap_or(0));
    bench("stress", &reg, &sample::profile(), &sample::stress());
    println!("peak memory (VmHWM) after stress: {} KiB", peak_rss_kib().unwrap_or(0));
}
