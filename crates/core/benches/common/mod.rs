//! Shared by the benches: the median of repeated runs.

use std::time::{Duration, Instant};

#[allow(dead_code)]
pub fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[runs / 2]
}

/// p50 and p99 of repeated runs.
#[allow(dead_code)]
pub fn percentiles(mut f: impl FnMut(), runs: usize) -> (Duration, Duration) {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    (t[runs / 2], t[(runs * 99).div_ceil(100) - 1])
}
