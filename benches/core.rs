//! Core benchmarks; prints figures. `cargo bench --bench core` runs the full sizes; under
//! `cargo test` (no `--bench` argument) it runs a tiny smoke version so the code stays exercised.
//!
//! 1. Verifica of the demo fascicolo (target < 5 ms)
//! 2. Save of a 2,400-word section through the store, p50/p95 (target p95 < 10 ms)
//! 3. FTS search on 200 fascicoli × 10 schede × 50 revisions (target < 20 ms) and the file size
//! 4. Save p95 in an archive of 1,000 fascicoli (~150 MiB; PIANOZONA_BENCH_DB_1000=path keeps it),
//!    then the start-up cost on that archive (quick check at open, the day's backup)
//! 5. Import of a file of 500/1,000/2,000/3,000 documents (target 3,000 < 10 s, linear)

use pianozona::model::*;
use pianozona::store::Store;
use std::time::{Duration, Instant};

const DEMO: &str = "assets/demo/oglio-po-2021-2023-quota-premiale.json";
const WORDS: &[&str] = &[
    "progetto",
    "comunità",
    "abitare",
    "inclusione",
    "servizi",
    "Ambito",
    "rete",
    "famiglie",
    "territorio",
    "fragilità",
    "coprogettazione",
    "welfare",
    "domiciliarità",
    "minori",
    "anziani",
    "disabilità",
    "sostegno",
    "lavoro",
    "casa",
    "giovani",
];

fn words(n: usize, seed: usize) -> String {
    (0..n).map(|i| WORDS[(i * 7 + seed * 13 + i / 5) % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn scheda(n: u32, seed: usize) -> Document {
    let mut fields = std::collections::BTreeMap::new();
    fields.insert("titolo".into(), FieldValue::Text { text: format!("PROGETTO {n} {}", words(6, seed)) });
    for (i, s) in [
        "obiettivo",
        "integrazione",
        "contesto",
        "innovazione",
        "attivita",
        "beneficiari",
        "criticita",
        "sostenibilita",
    ]
    .iter()
    .enumerate()
    {
        fields.insert(s.to_string(), FieldValue::Text { text: words(120, seed + i) });
    }
    Document {
        id: format!("scheda-{n}"),
        form: "scheda_1b".into(),
        number: Some(n),
        all_n: Some(n),
        fields,
        ..Default::default()
    }
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let reg = pianozona::template::load_embedded().expect("templates");
    println!("== pianozona core benchmarks ({})", if full { "full" } else { "smoke" });

    // 1. check of the demo
    if let Ok(text) = std::fs::read_to_string(DEMO) {
        let ex = pianozona::exchange::import_json(&text, &reg).expect("demo");
        let fam = reg.family(&ex.fascicolo.family).expect("family");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        let iters = if full { 500 } else { 5 };
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..iters {
            let t = Instant::now();
            n = pianozona::rules::check(fam, &ex.fascicolo, &ex.profile, today).len();
            times.push(t.elapsed());
        }
        println!(
            "check demo: {n} findings; p50 {} p95 {} (target < 5 ms)",
            ms(pct(&mut times, 0.5)),
            ms(pct(&mut times, 0.95))
        );
    } else {
        println!("check demo: {DEMO} missing, skipped");
    }

    // 2. save of a 2,400-word section
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = Store::open(&dir.path().join("bench.sqlite")).expect("store");
    let base = Fascicolo {
        title: "Bench".into(),
        family: "qp2021".into(),
        variant: "ambito".into(),
        signer: LegalRep::default(),
        documents: (1..=10).map(|n| scheda(n, n as usize)).collect(),
        ..Default::default()
    };
    let id = store.create(&base, "").expect("create");
    let iters = if full { 300 } else { 5 };
    let mut times = Vec::new();
    for i in 0..iters {
        let v = FieldValue::Text { text: format!("{} {i}", words(2400, i)) };
        let t = Instant::now();
        store.save_field(id, "scheda-3", "attivita", &v, "autosave").expect("save");
        times.push(t.elapsed());
    }
    println!(
        "save 2,400-word section (field autosave, synchronous=FULL): p50 {} p95 {} over {iters} saves (target p95 < 10 ms)",
        ms(pct(&mut times, 0.5)),
        ms(pct(&mut times, 0.95))
    );
    let mut full_times = Vec::new();
    let mut f = base.clone();
    for i in 0..(iters / 3).max(2) {
        f.documents[2]
            .fields
            .insert("attivita".into(), FieldValue::Text { text: format!("{} {i}", words(2400, i + 7)) });
        let t = Instant::now();
        store.save(id, &f, "save").expect("save");
        full_times.push(t.elapsed());
    }
    println!(
        "save whole fascicolo with one changed section (app autosave, Store::save) in an archive of 1 fascicolo: p50 {} p95 {} (target p95 < 10 ms)",
        ms(pct(&mut full_times, 0.5)),
        ms(pct(&mut full_times, 0.95))
    );

    // 3. FTS on a generated database
    let (nf, ns, nr) = if full { (200, 10, 50) } else { (3, 2, 2) };
    // PIANOZONA_BENCH_DB=path keeps the generated database between runs.
    let keep = std::env::var("PIANOZONA_BENCH_DB").ok().filter(|_| full);
    let path = keep.clone().map(std::path::PathBuf::from).unwrap_or_else(|| dir.path().join("search.sqlite"));
    let reuse = keep.is_some() && path.exists();
    let mut s = Store::open(&path).expect("store");
    s.connection().pragma_update(None, "synchronous", "OFF").expect("pragma"); // generation only
    let t = Instant::now();
    for fi in 0..if reuse { 0 } else { nf } {
        let mut f = base.clone();
        f.title = format!("Fascicolo {fi}");
        f.documents = (1..=ns).map(|n| scheda(n as u32, fi * 31 + n)).collect();
        if fi == nf / 2 {
            f.documents[0].fields.insert(
                "obiettivo".into(),
                FieldValue::Text { text: "Sperimentazione di un’agenzia zebrafish per l’abitare".into() },
            );
        }
        let id = s.create(&f, "").expect("create");
        for r in 1..nr {
            let doc = format!("scheda-{}", (r % ns) + 1);
            let v = FieldValue::Text { text: words(120, fi * 1000 + r) };
            s.save_field(id, &doc, "attivita", &v, "autosave").expect("save");
        }
    }
    let gen = t.elapsed();
    s.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let queries = ["abitare", "zebrafish", "coprogettazione domiciliarità", "fragil"];
    for q in queries {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..if full { 50 } else { 2 } {
            let t = Instant::now();
            hits = s.search(q, 50).expect("search").len();
            times.push(t.elapsed());
        }
        println!(
            "search «{q}»: {hits} hits, p50 {} p95 {} (target < 20 ms)",
            ms(pct(&mut times, 0.5)),
            ms(pct(&mut times, 0.95))
        );
    }
    println!(
        "search db: {nf} fascicoli × {ns} schede × {nr} revisions, {} in {:.1} s, file {:.1} MiB",
        if reuse { "reused (generation skipped)" } else { "generated" },
        gen.as_secs_f64(),
        size as f64 / 1048576.0
    );

    big_archive_save(full, &base);
    import_sizes(full, &reg);
}

/// Benchmark 4, save cost in a large archive: the search index is addressed by rowid, so it
/// should match the small archive's figure above.
fn big_archive_save(full: bool, base: &Fascicolo) {
    let nf = if full { 1000 } else { 3 };
    let dir = tempfile::tempdir().expect("tmp");
    let keep = std::env::var("PIANOZONA_BENCH_DB_1000").ok().filter(|_| full);
    let path = keep.clone().map(std::path::PathBuf::from).unwrap_or_else(|| dir.path().join("big.sqlite"));
    let reuse = keep.is_some() && path.exists();
    let mut s = Store::open_with(&path, false).expect("store");
    let t = Instant::now();
    if !reuse {
        s.connection().pragma_update(None, "synchronous", "OFF").expect("pragma");
        for fi in 0..nf {
            let mut f = base.clone();
            f.title = format!("Fascicolo {fi}");
            f.documents = (1..=10).map(|n| scheda(n as u32, fi * 31 + n)).collect();
            s.create(&f, "").expect("create");
        }
        s.connection().pragma_update(None, "synchronous", "FULL").expect("pragma");
        s.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    }
    let gen = t.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let id = s.list(false).expect("list").get(nf / 2).map(|f| f.id).expect("a fascicolo");
    let iters = if full { 200 } else { 5 };
    let mut times = Vec::new();
    for i in 0..iters {
        let v = FieldValue::Text { text: format!("{} {i}", words(2400, i + 3)) };
        let t = Instant::now();
        s.save_field(id, "scheda-3", "attivita", &v, "autosave").expect("save");
        times.push(t.elapsed());
    }
    println!(
        "save 2,400-word section in an archive of {} fascicoli ({:.1} MiB, {} in {:.1} s): p50 {} p95 {} over {iters} saves (target p95 < 10 ms)",
        s.list(false).expect("list").len(),
        size as f64 / 1048576.0,
        if reuse { "reused" } else { "generated" },
        gen.as_secs_f64(),
        ms(pct(&mut times, 0.5)),
        ms(pct(&mut times, 0.95))
    );
    // The app's autosave sends the whole fascicolo (Store::save): compared per key, so it costs
    // what it costs in the archive of 1 fascicolo above.
    let mut f = s.load(id).expect("load");
    let mut whole = Vec::new();
    for i in 0..(iters / 2).max(2) {
        f.documents[2]
            .fields
            .insert("attivita".into(), FieldValue::Text { text: format!("{} {i}", words(2400, i + 11)) });
        let t = Instant::now();
        s.save(id, &f, "save").expect("save");
        whole.push(t.elapsed());
    }
    println!(
        "save whole fascicolo with one changed section (app autosave, Store::save) in an archive of {} fascicoli: p50 {} p95 {} (target p95 < 10 ms)",
        s.list(false).expect("list").len(),
        ms(pct(&mut whole, 0.5)),
        ms(pct(&mut whole, 0.95))
    );
    drop(s);
    start_up(&path, full);
}

/// Benchmark 4b, start-up on the large archive: open after a clean close (quick check skipped),
/// open after an unclean end (quick check of every page), and the day's backup, which runs on its
/// own connection in the background (open returns at once; the copy's own time is printed).
fn start_up(path: &std::path::Path, full: bool) {
    let iters = if full { 5 } else { 2 };
    let mark = {
        let mut s = path.as_os_str().to_owned();
        s.push("-chiuso");
        std::path::PathBuf::from(s)
    };
    let mut clean = Vec::new();
    let mut unclean = Vec::new();
    for _ in 0..iters {
        let t = Instant::now();
        let s = Store::open_with(path, false).expect("open");
        clean.push(t.elapsed());
        assert!(!s.checked_at_open(), "a clean close lets the next open skip the quick check");
        drop(s);
        std::fs::remove_file(&mark).expect("mark of the clean close");
        let t = Instant::now();
        let s = Store::open_with(path, false).expect("open");
        unclean.push(t.elapsed());
        assert!(s.checked_at_open());
    }
    let today = pianozona::store::backup_dir(path).join(format!(
        "{}-{}.sqlite",
        path.file_stem().unwrap_or_default().to_string_lossy(),
        chrono::Local::now().format("%Y-%m-%d")
    ));
    let _ = std::fs::remove_file(&today);
    let t = Instant::now();
    let mut s = Store::open(path).expect("open");
    let returned = t.elapsed();
    let made = s.wait_backup().map(|r| r.expect("backup").is_some()).unwrap_or(false);
    let backup = t.elapsed();
    let _ = std::fs::remove_file(&today);
    println!(
        "start-up on this archive: open after a clean close p50 {} (quick check skipped); after an unclean end p50 {} (quick check); \
         with the day's backup open returns in {} and the backup ({}) completes in the background in {:.2} s",
        ms(pct(&mut clean, 0.5)),
        ms(pct(&mut unclean, 0.5)),
        ms(returned),
        if made { "made" } else { "not due" },
        backup.as_secs_f64()
    );
}

/// Benchmark 5, import (parse, check against the template, one store transaction) of files with many documents.
fn import_sizes(full: bool, reg: &pianozona::template::Registry) {
    let sizes: &[usize] = if full { &[500, 1000, 2000, 3000] } else { &[5, 10] };
    for &n in sizes {
        let f = Fascicolo {
            title: format!("Import {n}"),
            family: "qp2021".into(),
            variant: "ambito".into(),
            signer: LegalRep::default(),
            documents: (1..=n)
                .map(|i| {
                    let mut d = scheda(i as u32, i);
                    d.fields.retain(|k, _| ["titolo", "obiettivo", "attivita"].contains(&k.as_str()));
                    d
                })
                .collect(),
            ..Default::default()
        };
        let text = pianozona::exchange::export_json(&OfficeProfile::default(), &f);
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open_with(&dir.path().join("import.sqlite"), false).expect("store");
        let t = Instant::now();
        let ex = pianozona::exchange::import_json(&text, reg).expect("import");
        let parsed = t.elapsed();
        s.create(&ex.fascicolo, "import").expect("create");
        let total = t.elapsed();
        println!(
            "import of {n} documents ({:.1} MiB JSON): {:.2} s (parse and check {:.2} s, store {:.2} s)",
            text.len() as f64 / 1048576.0,
            total.as_secs_f64(),
            parsed.as_secs_f64(),
            (total - parsed).as_secs_f64()
        );
    }
}
