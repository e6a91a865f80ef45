//! What the fuzz targets (`fuzz/`) feed arbitrary bytes to, and the regression test replays:
//! files the app reads from disk. None may panic.

/// `settings.json`, parsed and validated as at start-up.
pub fn settings(data: &[u8]) {
    if let Ok(s) = serde_json::from_slice::<crate::settings::Settings>(data) {
        let _ = s.validate();
        let _ = s.gateway();
    }
    crate::backup::fuzz_manifest(data);
}
