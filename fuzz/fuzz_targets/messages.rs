#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| antom::fuzzing::messages(data));
