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
}

/// Embeds the demo fascicolo (assets/demo/*.json, first in name order) if there is one.
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
    let code = match files.first() {
        Some(p) => {
            let abs = std::fs::canonicalize(p).expect("demo path");
            println!("cargo:rerun-if-changed={}", abs.display());
            format!("pub static DEMO: Option<&str> = Some(include_str!({:?}));\n", abs.display().to_string())
        }
        None => "pub static DEMO: Option<&str> = None;\n".to_string(),
    };
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("demo.rs");
    std::fs::write(out, code).unwrap();
}
