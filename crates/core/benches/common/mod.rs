//! Shared by the benches: the median, p50 and p99 of repeated runs, and how a p50/p99 row is
//! printed.

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

/// The heading of a table of [`row`]s.
#[allow(dead_code)]
pub fn header() {
    println!("{:<44}{:>9}{:>9}", "", "p50 ms", "p99 ms");
}

/// Time `f` `runs` times and print its p50 and p99 in milliseconds under [`header`].
#[allow(dead_code)]
pub fn row(label: &str, f: impl FnMut(), runs: usize) {
    let (p50, p99) = percentiles(f, runs);
    println!("{label:<44}{:>9.3}{:>9.3}", p50.as_secs_f64() * 1e3, p99.as_secs_f64() * 1e3);
}
