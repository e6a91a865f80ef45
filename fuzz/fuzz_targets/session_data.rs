#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| antom_sim::fuzzing::session_data(data));
