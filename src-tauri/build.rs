fn main() {
    // Every app command must be granted explicitly in capabilities/main.json (least privilege).
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(pianozona_app_commands::COMMANDS)),
    )
    .expect("tauri build script");
    demo();
}

mod pianozona_app_commands {
    include!("src/commands_list.rs");
    ipc_commands!(command_names);
}

/// Embeds the demo fascicoli (assets/demo/*.json, in name order): `DEMOS` as (file stem, text),
/// `DEMO` the first one.
fn demo() {
    use std::path::Path;
    let dir = Path::new("../assets/demo");
    println!("cargo:rerun-if-changed=../assets/demo");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("pub static DEMOS: &[(&str, &str)] = &[\n");
    for p in &files {
        let abs = std::fs::canonicalize(p).expect("demo path");
        println!("cargo:rerun-if-changed={}", abs.display());
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        code.push_str(&format!("    ({stem:?}, include_str!({:?})),\n", abs.display().to_string()));
    }
    code.push_str("];\npub static DEMO: Option<&str> = match DEMOS.first() { Some(d) => Some(d.1), None => None };\n");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("demo.rs");
    std::fs::write(out, code).unwrap();
}
