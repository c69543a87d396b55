//! `cargo bench --bench import` (run by `cargo xtask bench`): importing a submission file
//! of 10,000 persons into a fresh SQLite database, against writing the same households
//! through the demo seeder (the baseline: the same rows, no file to read or check).
//!
//! Medians of repeated runs, each on a new database file, all in one process.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use resettle::demo::{self, DemoData};
use resettle::domain::Household;
use resettle::import::{self, write_csv};
use resettle::storage::{SqliteStore, Store};
use uuid::Uuid;

const PERSONS: usize = 10_000;
const RUNS: usize = 9;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let households = households();
    let persons: usize = households.iter().map(|h| h.members.len()).sum();
    let file = write_csv(&households);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let dir = tempfile::tempdir().unwrap();
    println!(
        "Import benchmark: {} households, {persons} persons, {} KiB of CSV; median of {RUNS} runs",
        households.len(),
        file.len() / 1024
    );

    let read = median(|_| async { import::read_csv(&file, today).unwrap() }).await;
    let mut n = 0;
    let mut fresh = || {
        n += 1;
        dir.path().join(format!("run-{n}.db"))
    };
    let mut paths = Vec::new();
    for _ in 0..(RUNS + 2) * 2 {
        paths.push(fresh());
    }
    let (first, second) = paths.split_at(RUNS + 2);
    let import = median(|i| {
        let path = first[i].clone();
        let file = &file;
        async move {
            let sqlite = SqliteStore::open(&path).await.unwrap();
            let store = Store::from(sqlite.clone());
            store.claim_first_user("bench").await.unwrap();
            let submissions = import::read_csv(file, today).unwrap();
            let report = store
                .import_submissions(submissions, None, false, "bench")
                .await
                .unwrap();
            store.close().await;
            report
        }
    })
    .await;
    let baseline = median(|i| {
        let path = second[i].clone();
        let households = households.clone();
        async move {
            let sqlite = SqliteStore::open(&path).await.unwrap();
            let store = Store::from(sqlite.clone());
            store.claim_first_user("bench").await.unwrap();
            let data = DemoData {
                seed: 0,
                municipalities: Vec::new(),
                period: resettle::domain::QuotaPeriod::new(2026, 1500),
                missions: Vec::new(),
                households,
                placement: Default::default(),
            };
            store.seed_demo(&data, "bench").await.unwrap();
            store.close().await;
        }
    })
    .await;
    println!("| {:<44} | {:>10} |", "operation", "median");
    println!("|{:-<46}|{:->12}|", "", "");
    for (name, t) in [
        ("read and check the file (no database)", read),
        ("import: open, read, check, write, commit", import),
        ("baseline: the same households via the seeder", baseline),
    ] {
        println!("| {:<44} | {:>7.1} ms |", name, t.as_secs_f64() * 1000.0);
    }
    println!(
        "import / baseline: {:.2}x",
        import.as_secs_f64() / baseline.as_secs_f64()
    );
}

async fn median<F, Fut, T>(f: F) -> Duration
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..RUNS + 2 {
        let start = Instant::now();
        std::hint::black_box(f(i).await);
        if i >= 2 {
            times.push(start.elapsed());
        }
    }
    times.sort();
    times[RUNS / 2]
}

/// Demo households, cloned with new case numbers, up to 10,000 persons.
fn households() -> Vec<Household> {
    let template = demo::generate(demo::DEFAULT_SEED).households;
    let mut out = Vec::new();
    let mut persons = 0;
    for i in 0.. {
        let mut h = template[i % template.len()].clone();
        if persons + h.members.len() > PERSONS {
            h.members.truncate(PERSONS - persons);
            if h.members.is_empty() {
                break;
            }
        }
        h.id = Uuid::new_v4();
        h.unhcr_case_no = format!("BENCH-{i:05}");
        h.mission_id = None;
        for m in &mut h.members {
            m.id = Uuid::new_v4();
        }
        persons += h.members.len();
        out.push(h);
        if persons == PERSONS {
            break;
        }
    }
    out
}
