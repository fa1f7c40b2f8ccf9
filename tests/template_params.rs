//! Rule parameters are typed and checked when a template loads: each test copies a shipped
//! template into a folder with one change and loads the folder as the app and the CLI do.

use pianozona::template::load_dir;

const QP: &str = include_str!("../assets/templates/qp2021-quota-premiale.toml");
const PDZ: &str = include_str!("../assets/templates/pdz2025-piano-di-zona.toml");

/// Loads `text` with `from` replaced by `to` (exactly once) from a file on disk; returns the
/// error and the 1-based line where `to` landed.
fn load_changed(base: &str, from: &str, to: &str) -> (String, usize) {
    assert_eq!(base.matches(from).count(), 1, "«{from}» must occur once");
    let text = base.replacen(from, to, 1);
    // The line of the change (of its `params` when the change spans lines).
    let at = text.find(to).unwrap() + to.find("params").unwrap_or(0);
    let line = text[..at].matches('\n').count() + 1;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("modificato.toml");
    std::fs::write(&path, &text).unwrap();
    let err = load_dir(dir.path()).expect_err("the changed template must not load").to_string();
    assert!(err.contains("modificato.toml"), "{err}");
    assert!(err.contains(&format!("(riga {line})")), "line {line}: {err}");
    (err, line)
}

#[test]
fn unchanged_copies_load() {
    for text in [QP, PDZ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("copia.toml"), text).unwrap();
        assert_eq!(load_dir(dir.path()).unwrap().families.len(), 1);
    }
}

#[test]
fn misspelt_parameter_is_refused_with_file_and_line() {
    let (err, _) = load_changed(QP, "params = { ratio_percent = 95 }", "params = { ratio_percnt = 95 }");
    assert!(err.contains("rules.QP-W-02.params.ratio_percnt"), "{err}");
    assert!(err.contains("parametro «ratio_percnt» sconosciuto"), "{err}");
    assert!(err.contains("ratio_percent"), "the allowed names are listed: {err}");
}

#[test]
fn parameter_on_a_check_without_parameters_is_refused() {
    let (err, _) = load_changed(
        QP,
        "check = \"annex_unique\"\nseverity = \"errore\"\n",
        "check = \"annex_unique\"\nseverity = \"errore\"\nparams = { form = \"scheda_1b\" }\n",
    );
    assert!(err.contains("rules.QP-L-06.params.form"), "{err}");
    assert!(err.contains("non ha parametri"), "{err}");
}

#[test]
fn parameter_naming_a_missing_section_is_refused() {
    let (err, _) = load_changed(
        QP,
        "params = { titles_section = \"titoli_progetti\" }",
        "params = { titles_section = \"titoli_progetto\" }",
    );
    assert!(err.contains("rules.QP-L-05.params.titles_section"), "{err}");
    assert!(err.contains("sezione «titoli_progetto» inesistente nel modulo «lettera_1a»"), "{err}");
}

#[test]
fn parameter_naming_a_missing_form_or_choice_is_refused() {
    let (err, _) = load_changed(
        PDZ,
        "registry_form = \"progetto_premiale\", outcome_section",
        "registry_form = \"premiale\", outcome_section",
    );
    assert!(err.contains("rules.PZ-P-02.params.registry_form"), "{err}");
    assert!(err.contains("modulo «premiale» inesistente"), "{err}");
    let (err, _) = load_changed(
        PDZ,
        "registry_form = \"progetto_premiale\", outcome_section = \"esito\", funded = \"finanziato\"",
        "registry_form = \"progetto_premiale\", outcome_section = \"esito\", funded = \"finanziata\"",
    );
    assert!(err.contains("valore «finanziata» inesistente nella sezione «esito»"), "{err}");
}

#[test]
fn wrong_type_is_refused_in_italian() {
    let (err, _) = load_changed(
        PDZ,
        "params = { area_section = \"macro_area\", consecutive = false }",
        "params = { area_section = \"macro_area\", consecutive = \"no\" }",
    );
    assert!(err.contains("rules.PZ-S-16.params.consecutive"), "{err}");
    assert!(err.contains("atteso vero o falso"), "{err}");
    assert!(!err.contains("invalid type") && !err.contains("expected"), "no library words: {err}");
    let (err, _) = load_changed(QP, "params = { ratio_percent = 95 }", "params = { ratio_percent = \"95%\" }");
    assert!(err.contains("atteso un numero intero"), "{err}");
}

#[test]
fn missing_parameter_is_refused() {
    let (err, _) = load_changed(
        PDZ,
        "params = { registry_form = \"progetto_premiale\", registry_section = \"importi\", row = \"premialita\" }",
        "params = { registry_form = \"progetto_premiale\", row = \"premialita\" }",
    );
    assert!(err.contains("rules.PZ-P-03.params"), "{err}");
    assert!(err.contains("parametro «registry_section» obbligatorio"), "{err}");
}
