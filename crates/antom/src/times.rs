//! Times as Antom writes them (`request-time`, `response-time`, expiry times).

/// A time as Antom writes it: ISO 8601 with an offset, or Unix epoch milliseconds.
pub fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    let s = s.trim();
    if !s.is_empty() && s.len() <= 16 && s.bytes().all(|b| b.is_ascii_digit()) {
        let ms: i128 = s.parse().ok()?;
        return time::OffsetDateTime::from_unix_timestamp_nanos(ms * 1_000_000).ok();
    }
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Iso8601::DEFAULT).ok()
}
