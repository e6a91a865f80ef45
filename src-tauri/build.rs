//! tauri.conf.json lives here in src-tauri, where Tauri's CLI (the bundler of `make package`)
//! looks for it next to the app's Cargo.toml; the workspace root has a symlink to it (the design
//! card's layout). Paths in it are relative to this folder. The command names come from the one list in `crates/core/src/api.rs`: they generate one
//! `allow-<command>` permission each (which `capabilities/main.json`, also generated from that
//! list, grants to the app's own window only) and the `generate_handler!` list that src/lib.rs
//! includes.

include!("command_names.rs");

fn main() {
    const API: &str = "../crates/core/src/api.rs";
    println!("cargo:rerun-if-changed={API}");
    println!("cargo:rerun-if-changed=command_names.rs");
    let api = std::fs::read_to_string(API).unwrap_or_else(|e| panic!("cannot read {API}: {e}"));
    let names = command_names(&api);
    let handlers: Vec<String> = names.iter().map(|n| format!("commands::{n}")).collect();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("handlers.rs"), format!("tauri::generate_handler![{}]", handlers.join(", ")))
        .expect("OUT_DIR is writable");

    let names: Vec<&'static str> = names.into_iter().map(|n| &*Box::leak(n.into_boxed_str())).collect();
    let attributes = tauri_build::Attributes::new()
        .config_path("tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice())));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}. Build the UI first (`make ui`): tauri.conf.json embeds ui/dist");
    }
}
