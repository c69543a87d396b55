//! What the script-style benches share: the median of repeated runs.

use std::time::{Duration, Instant};

/// Runs per figure; the median is reported.
pub const RUNS: usize = 21;

/// The median time of `RUNS` runs of `f`, after two warm-up runs.
pub async fn median<F, Fut, T>(f: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    for _ in 0..2 {
        std::hint::black_box(f().await);
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        std::hint::black_box(f().await);
        times.push(start.elapsed());
    }
    times.sort();
    times[RUNS / 2]
}
