//! The fuzz targets of the three crates that read outside bytes (antom, antom-sim, core), in one
//! place. Every input the fuzzers kept (the minimised corpus in `fuzz/corpus/<target>`) and every
//! crash they found (`fuzz/regressions/<target>`) is run again through the same entry point, so
//! `make test` fails if one of them panics again.

use std::path::PathBuf;

fn replay(target: &str, run: fn(&[u8])) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).unwrap();
            let path = e.path();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {} panics again", path.display());
            n += 1;
        }
    }
    assert!(n > 0, "{target}: no saved inputs in fuzz/corpus or fuzz/regressions (run `make fuzz`)");
}

#[test]
fn saved_fuzz_inputs_still_pass() {
    replay("signature_header", antom::fuzzing::signature_header);
    replay("keys", antom::fuzzing::keys);
    replay("messages", antom::fuzzing::messages);
    replay("session_data", antom_sim::fuzzing::session_data);
    replay("settings", cardbind_core::fuzzing::settings);
}
