//! Shared by the benches: the median, p50 and p99 of repeated runs.

use std::time::{Duration, Instant};

fn timings(mut f: impl FnMut(), runs: usize) -> Vec<Duration> {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t
}

#[allow(dead_code)]
pub fn median(f: impl FnMut(), runs: usize) -> Duration {
    timings(f, runs)[runs / 2]
}

/// p50 and p99 of repeated runs.
#[allow(dead_code)]
pub fn percentiles(f: impl FnMut(), runs: usize) -> (Duration, Duration) {
    let t = timings(f, runs);
    (t[runs / 2], t[(runs * 99).div_ceil(100) - 1])
}
