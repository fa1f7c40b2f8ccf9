//! Keystroke-to-saved latency (scripts/bench-app.sh): what `salva_fascicolo` does on every
//! autosave — IPC JSON in/out, a revision in SQLite (WAL, synchronous=FULL), the Verifica — with a
//! 2,400-word section, one character added per save. Prints figures; asserts nothing.

use pianozona::model::FieldValue;
use std::time::Instant;

fn main() {
    let demo = pianozona_app::demo::DEMO.expect("demo fascicolo embedded");
    let registry = pianozona::template::Registry::load(None).expect("templates");
    let file = pianozona::exchange::import_json(demo, &registry).expect("demo import");
    let dir = std::env::temp_dir().join(format!("pdz-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = pianozona::store::Store::open(&dir.join("bench.sqlite")).expect("store");
    store.save_profile(&file.profile).unwrap();
    let mut f = file.fascicolo;
    let fam = registry.family(&f.family).unwrap().clone();
    // The 2,400-word section "Definizione delle attività" of the first scheda (or the first rich text).
    let (di, sid) = f
        .documents
        .iter()
        .enumerate()
        .find_map(|(i, d)| {
            let form = fam.form(&d.form)?;
            form.sections.iter().find(|s| s.word_limit == Some(2400)).map(|s| (i, s.id.clone()))
        })
        .expect("a section with a 2,400-word limit");
    let text: String = (0..2400).map(|i| format!("parola{} ", i % 97)).collect();
    f.documents[di].fields.insert(sid.clone(), FieldValue::Text { text });
    let id = store.create(&f, "bench").unwrap();
    let n = 60;
    let mut ms = Vec::with_capacity(n);
    for i in 0..n {
        if let Some(FieldValue::Text { text }) = f.documents[di].fields.get_mut(&sid) {
            text.push(char::from(b'a' + (i % 26) as u8));
        }
        let t0 = Instant::now();
        let json = serde_json::to_string(&f).unwrap(); // UI → Rust
        let incoming: pianozona::model::Fascicolo = serde_json::from_str(&json).unwrap();
        store.save(id, &incoming, "Salvataggio automatico").unwrap();
        let findings = pianozona::rules::check(&fam, &incoming, &file.profile, chrono::Local::now().date_naive());
        let words = pianozona::words::count_rich_words(incoming.documents[di].text(&sid));
        let _out = serde_json::to_string(&findings).unwrap(); // Rust → UI
        ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        assert!(words >= 2400);
    }
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "salvataggio (sezione di 2.400 parole, {n} salvataggi): mediana {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        p(0.5),
        p(0.95),
        p(1.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
