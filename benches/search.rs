//! `cargo bench --bench search` (run by `cargo xtask bench`): the Cases view's search on
//! 100,000 cases. The store's search (an FTS5 index of case numbers and names, indexed
//! filters) against the baseline a first version would write: `LIKE '%text%'` over every
//! member's name. Medians of repeated runs in one process on one database, which is built
//! once (about a minute, through the importer) and kept under target/bench-data.

use std::path::Path;
use std::time::{Duration, Instant};

use resettle::demo;
use resettle::domain::dossier::CaseQuery;
use resettle::domain::{CaseStatus, Priority};
use resettle::import::Submission;
use resettle::storage::{SqliteStore, Store};
use uuid::Uuid;

mod common;
use common::{median, RUNS};

const CASES: usize = 100_000;
/// Bump when the synthetic data changes, so an old database is not reused.
const VERSION: u32 = 1;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("search-v{VERSION}.db"));
    if !path.exists() {
        let started = Instant::now();
        build(&path).await;
        println!(
            "built {} in {:.1} s",
            path.display(),
            started.elapsed().as_secs_f64()
        );
    }
    let sqlite = SqliteStore::open(&path).await.unwrap();
    let store = Store::from(sqlite.clone());
    store.claim_first_user("bench").await.unwrap();
    let (cases, persons): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM persons)")
            .fetch_one(sqlite.pool())
            .await
            .unwrap();
    println!("Search benchmark: {cases} cases, {persons} persons; median of {RUNS} runs");
    // A name and a case number that are in the data.
    let (name, number): (String, String) = sqlx::query_as(
        "SELECT p.family_name, c.unhcr_case_no FROM cases c JOIN persons p ON p.case_id = c.id
         ORDER BY c.rowid LIMIT 1 OFFSET 54321",
    )
    .fetch_one(sqlite.pool())
    .await
    .unwrap();
    let prefix: String = name.chars().take(4).collect();
    let queries = [
        ("newest 200, no filter", CaseQuery::default(), None),
        (
            "case number",
            CaseQuery {
                text: Some(number.clone()),
                ..Default::default()
            },
            None,
        ),
        (
            "name prefix",
            CaseQuery {
                text: Some(prefix.clone()),
                ..Default::default()
            },
            Some(prefix.clone()),
        ),
        (
            "name prefix + nationality SYR",
            CaseQuery {
                text: Some(prefix.clone()),
                nationality: Some("SYR".into()),
                ..Default::default()
            },
            Some(prefix.clone()),
        ),
        (
            "status submitted + priority emergency",
            CaseQuery {
                status: Some(CaseStatus::Submitted),
                priority: Some(Priority::Emergency),
                ..Default::default()
            },
            None,
        ),
    ];
    println!(
        "{:<40} {:>8} {:>12} {:>14}",
        "query", "matches", "search", "LIKE baseline"
    );
    for (label, query, like) in &queries {
        let found = store.search_cases(query, "bench").await.unwrap();
        let time = median(|| async { store.search_cases(query, "bench").await.unwrap() }).await;
        let baseline = match like {
            Some(text) => {
                let n = like_search(&sqlite, text).await;
                // The baseline matches inside words too, so it finds at least as many.
                assert!(
                    n >= u64::from(found.total),
                    "{label}: {n} < {}",
                    found.total
                );
                format!("{:.1} ms", ms(median(|| like_search(&sqlite, text)).await))
            }
            None => "-".into(),
        };
        println!(
            "{label:<40} {:>8} {:>9.1} ms {baseline:>14}",
            found.total,
            ms(time)
        );
    }
    let dossier = median(|| async {
        store
            .dossier(&number, chrono::Local::now().date_naive(), "bench")
            .await
            .unwrap()
    })
    .await;
    println!(
        "{:<40} {:>8} {:>9.1} ms",
        "open one dossier",
        1,
        ms(dossier)
    );
}

/// The baseline: every member's names scanned with LIKE, then the newest 200.
async fn like_search(store: &SqliteStore, text: &str) -> u64 {
    let pattern = format!("%{text}%");
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases c WHERE EXISTS (SELECT 1 FROM persons p WHERE p.case_id = c.id
           AND (p.given_name LIKE ?1 OR p.family_name LIKE ?1))",
    )
    .bind(&pattern)
    .fetch_one(store.pool())
    .await
    .unwrap();
    let _rows: Vec<(String,)> = sqlx::query_as(
        "SELECT c.unhcr_case_no FROM cases c WHERE EXISTS (SELECT 1 FROM persons p
           WHERE p.case_id = c.id AND (p.given_name LIKE ?1 OR p.family_name LIKE ?1))
         ORDER BY c.submission_date DESC LIMIT 200",
    )
    .bind(&pattern)
    .fetch_all(store.pool())
    .await
    .unwrap();
    n as u64
}

/// 100,000 demo households under fresh case numbers, written through the importer.
async fn build(path: &Path) {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let sqlite = SqliteStore::open(&tmp).await.unwrap();
    let store = Store::from(sqlite.clone());
    store.claim_first_user("bench").await.unwrap();
    let mut batch = Vec::new();
    let mut n = 0;
    let mut seed = 1;
    while n < CASES {
        for mut h in demo::generate(seed).households {
            if n == CASES {
                break;
            }
            n += 1;
            h.id = Uuid::new_v4();
            h.unhcr_case_no = format!("{}-{:08}", &h.unhcr_case_no[..3], n);
            h.mission_id = None;
            h.status = CaseStatus::Submitted;
            for m in &mut h.members {
                m.id = Uuid::new_v4();
            }
            batch.push(Submission {
                first_row: n as u32,
                household: h,
            });
            if batch.len() == 10_000 {
                store
                    .import_submissions(std::mem::take(&mut batch), None, false, "bench")
                    .await
                    .unwrap();
            }
        }
        seed += 1;
    }
    if !batch.is_empty() {
        store
            .import_submissions(batch, None, false, "bench")
            .await
            .unwrap();
    }
    store.close().await;
    std::fs::rename(&tmp, path).unwrap();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
