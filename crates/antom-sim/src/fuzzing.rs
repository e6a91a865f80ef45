//! What the fuzz targets (`fuzz/`) feed arbitrary bytes to, and the regression test replays:
//! the simulator's readers of what a merchant or a browser sends. None may panic.

/// Session data as the element page and the SDK pass it back, and request fields: the URL rule
/// and the idempotency fingerprint.
pub fn session_data(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::session::token_of(&text);
    let _ = crate::wire::url_like(&text);
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_slice::<serde_json::Value>(data) {
        let a = crate::wire::fingerprint(&m);
        assert_eq!(a, crate::wire::fingerprint(&m), "the fingerprint is a function of the fields");
    }
}
