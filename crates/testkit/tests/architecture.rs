//! The workspace's layering, checked on every `make test`: no module-level import cycle inside a
//! crate (`cardbind_testkit::modules` reads the graph from the source), the domain crate's
//! layers (only `app` sees the app; `store` and `db` name nothing above them), and the domain
//! crate touches the Antom simulator only in its demo module, behind the `demo` feature.

use cardbind_testkit::modules::{cycles, graph};
use std::path::PathBuf;

/// The checkout to check: this one, or `CARDBIND_ARCH_ROOT` (to see another tree's cycles).
fn workspace_root() -> PathBuf {
    std::env::var_os("CARDBIND_ARCH_ROOT").map(PathBuf::from).unwrap_or_else(cardbind_testkit::workspace_root)
}

#[test]
fn no_module_imports_itself_through_others() {
    let root = workspace_root();
    let mut report = Vec::new();
    for krate in ["crates/antom", "crates/antom-sim", "crates/core", "crates/testkit", "src-tauri"] {
        let g = graph(&root.join(krate).join("src"));
        assert!(!g.is_empty(), "{krate}: no modules read");
        for cycle in cycles(&g) {
            report.push(format!("{krate}: {}", cycle.join(" ⇄ ")));
        }
    }
    assert!(report.is_empty(), "import cycles:\n{}", report.join("\n"));
}

#[test]
fn the_domain_uses_the_simulator_only_in_its_composition_root() {
    let src = workspace_root().join("crates/core/src");
    let mut offenders = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && p != src.join("app/demo.rs") {
                let code = cardbind_testkit::modules::strip(&std::fs::read_to_string(&p).unwrap());
                if code.contains("antom_sim") {
                    offenders.push(p.display().to_string());
                }
            }
        }
    }
    assert!(offenders.is_empty(), "only app/demo.rs may use antom_sim: {offenders:?}");
    // the demo module itself is compiled only with the feature
    let app = std::fs::read_to_string(src.join("app/mod.rs")).unwrap();
    assert!(app.contains("#[cfg(feature = \"demo\")]\nmod demo;"), "app/demo.rs is not behind the demo feature");
    let manifest = std::fs::read_to_string(workspace_root().join("crates/core/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("antom-sim = { path = \"../antom-sim\", optional = true }"),
        "cardbind-core's dependency on the simulator must be optional (the demo feature)"
    );
}

/// The layers of the domain crate, from the top: `app` (the context and the use cases) may use
/// everything; `flows`, `staff` and `shop` never name `app`; `store` and `db` name nothing of
/// those four. Read from the module graph, so a `use` and a full path count alike.
#[test]
fn the_domain_crate_keeps_its_layers() {
    let g = graph(&workspace_root().join("crates/core/src"));
    let top = |m: &str| m.split("::").next().unwrap_or(m).to_string();
    let mut report = Vec::new();
    for (module, imports) in &g {
        let layer = top(module);
        let forbidden: &[&str] = match layer.as_str() {
            "flows" | "staff" | "shop" => &["app"],
            "store" | "db" => &["app", "flows", "staff", "shop"],
            _ => &[],
        };
        for i in imports {
            if forbidden.contains(&top(i).as_str()) {
                report.push(format!("{module} → {i}"));
            }
        }
    }
    assert!(!g.keys().any(|m| m == "ops" || m == "context"), "ops.rs and context.rs are gone: use app::ops, app");
    assert!(report.is_empty(), "a lower layer names a higher one:\n{}", report.join("\n"));
}
