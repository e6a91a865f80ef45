#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| antom::fuzzing::signature_header(data));
