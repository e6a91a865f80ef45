//! The workspace's layering, checked on every `make test`: no module-level import cycle inside a
//! crate (`cardbind_testkit::modules` reads the graph from the source), and the domain crate
//! touches the Antom simulator only in its composition root, behind the `demo` feature.

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
            } else if p.extension().is_some_and(|x| x == "rs") && p != src.join("context.rs") {
                let code = cardbind_testkit::modules::strip(&std::fs::read_to_string(&p).unwrap());
                if code.contains("antom_sim") {
                    offenders.push(p.display().to_string());
                }
            }
        }
    }
    assert!(offenders.is_empty(), "only context.rs may use antom_sim: {offenders:?}");
    let context = std::fs::read_to_string(src.join("context.rs")).unwrap();
    for line in context.lines().filter(|l| l.starts_with("use antom_sim")) {
        let before = context.split(line).next().unwrap().trim_end();
        assert!(before.ends_with("#[cfg(feature = \"demo\")]"), "`{line}` is not behind the demo feature");
    }
    let manifest = std::fs::read_to_string(workspace_root().join("crates/core/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("antom-sim = { path = \"../antom-sim\", optional = true }"),
        "cardbind-core's dependency on the simulator must be optional (the demo feature)"
    );
}
