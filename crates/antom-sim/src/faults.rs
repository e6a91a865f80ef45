//! Fault switches, set by CLI flag or `POST /sim/faults`. Counters apply to the next N Open API
//! requests (or notifications); `latency_ms` applies to every request while set. `only_endpoint`
//! limits all request faults, latency included, to one API.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    /// Added to every Open API response (of `only_endpoint`, when set).
    pub latency_ms: u64,
    /// The next N requests answer HTTP 503 with no body.
    pub http_5xx: u32,
    /// The next N requests answer `UNKNOWN_EXCEPTION` (U), signed, without changing any state.
    pub unknown_exception: u32,
    /// The next N responses carry a signature that does not verify.
    pub bad_signature: u32,
    /// The next N requests are processed and then the connection is cut before the response.
    pub drop_connection: u32,
    /// The next N notifications are not delivered (every resend of them included).
    pub drop_notifications: u32,
    /// The next N notifications are delivered twice.
    pub duplicate_notifications: u32,
    /// The simulator's clock runs this many seconds from the real one in the `response-time`
    /// of its answers (a computer whose clock is off sees the same from the real Antom). Not
    /// counted down.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub clock_offset_secs: i64,
    /// Automatic captures wait while this is set (an acquirer that is slow to capture): the
    /// payments stay authorised, and are captured once it is cleared. Not counted down.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hold_captures: bool,
    /// Only apply request faults to this endpoint (e.g. `inquireVaulting`); all when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_endpoint: Option<String>,
}

/// What to do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestFaults {
    pub clock_offset_secs: i64,
    pub latency_ms: u64,
    pub http_5xx: bool,
    pub unknown_exception: bool,
    pub bad_signature: bool,
    pub drop_connection: bool,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl Faults {
    /// Take this request's faults, counting the switches down.
    pub fn take_for_request(&mut self, endpoint: &str) -> RequestFaults {
        if self.only_endpoint.as_deref().is_some_and(|only| only != endpoint) {
            return RequestFaults::default();
        }
        let take = |n: &mut u32| {
            if *n > 0 {
                *n -= 1;
                true
            } else {
                false
            }
        };
        let http_5xx = take(&mut self.http_5xx);
        RequestFaults {
            clock_offset_secs: self.clock_offset_secs,
            latency_ms: self.latency_ms,
            http_5xx,
            unknown_exception: !http_5xx && take(&mut self.unknown_exception),
            bad_signature: !http_5xx && take(&mut self.bad_signature),
            drop_connection: !http_5xx && take(&mut self.drop_connection),
        }
    }
}
