// Embeds every template file of assets/templates/ so that a new form family is a data change only.
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("assets/templates");
    println!("cargo:rerun-if-changed=assets/templates");
    let mut files: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("pub static EMBEDDED_TEMPLATES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed=assets/templates/{f}");
        code.push_str(&format!(
            "    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/assets/templates/{f}\"))),\n"
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("templates.rs");
    fs::write(out, code).expect("write templates.rs");
}
