#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cardbind_core::fuzzing::settings(data));
