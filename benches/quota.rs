//! `cargo bench --bench quota` (run by `cargo xtask bench`): quota status and the deadline
//! list on a synthetic history of 10 periods, 200,000 cases and about 1,000,000 persons.
//!
//! Figures are medians of repeated runs, all in one process on one database, against a
//! naive baseline that recomputes the figures from every case and its members. The
//! database is built once (a minute or two) and kept under target/bench-data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Utc};
use resettle::demo::{self, DemoData};
use resettle::domain::quota::{CaseCommitment, Charges, Ledger, Movement, QuotaPeriod, SubQuota};
use resettle::domain::{CaseStatus, DeadlineStatus, Household, Priority, Route};
use resettle::storage::{Change, SqliteStore, Store};
use sqlx::Row;
use uuid::Uuid;

mod common;
use common::{median, RUNS};

const PERIODS: i32 = 10;
const FIRST_YEAR: i32 = 1996;
const CASES: usize = 200_000;
/// Bump when the synthetic history changes, so an old database is not reused.
/// 2: arrived cases have departure and arrival days (the statistics count by them).
const VERSION: u32 = 2;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("quota-v{VERSION}.db"));
    if !path.exists() {
        build(&path).await;
    }
    let sqlite = SqliteStore::open(&path).await.unwrap();
    let store = Store::from(sqlite.clone());
    store.claim_first_user("bench").await.unwrap();
    let (cases, persons, entries) = counts(&sqlite).await;
    let last = FIRST_YEAR + 3 * (PERIODS - 1);
    println!(
        "Quota benchmark: {cases} cases, {persons} persons, {entries} ledger entries in {PERIODS} periods; period {last}; median of {RUNS} runs"
    );

    // The three ways to the same figures must agree before any is timed.
    let status = store.quota_status(last).await.unwrap();
    assert_eq!(store.quota_status_from_entries(last).await.unwrap(), status);
    let naive = naive_status(&sqlite, last).await;
    for y in &status.years {
        for s in &y.sub_quotas {
            assert_eq!(
                naive[&(y.year, s.sub_quota)],
                (s.committed, s.used),
                "{} {}",
                y.year,
                s.sub_quota
            );
        }
    }

    let today = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let list = store.deadlines(today, false).await.unwrap();
    println!("{} open cases in the deadline list", list.len());
    // The dashboard's counts agree with the list it summarises before either is timed.
    let work = store.dashboard(today, "bench").await.unwrap();
    let with = |s: DeadlineStatus| list.iter().filter(|c| c.status == s).count() as u32;
    assert_eq!(
        (work.overdue, work.at_risk),
        (with(DeadlineStatus::Overdue), with(DeadlineStatus::AtRisk))
    );
    // And the households with an adult still to sign, kept by triggers on the case,
    // agree with a look at every member.
    let missing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases c WHERE c.status IN ('accepted', 'pending_departure')
         AND EXISTS (SELECT 1 FROM persons p WHERE p.case_id = c.id AND p.date_of_birth <= ?
                     AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.person_id = p.id))",
    )
    .bind(resettle::domain::case::adult_if_born_by(today))
    .fetch_one(sqlite.pool())
    .await
    .unwrap();
    assert_eq!(i64::from(work.declarations_missing), missing);
    println!(
        "dashboard: {} overdue, {} at risk, {} awaiting a decision, {} with declarations missing",
        work.overdue, work.at_risk, work.awaiting_decision, work.declarations_missing
    );
    let stats = store.statistics(last, "bench").await.unwrap();
    println!(
        "statistics {last}: {} arrivals ({} persons), {} departures",
        stats.households,
        stats.persons,
        stats
            .time_to_departure
            .iter()
            .map(|t| t.departures)
            .sum::<u32>()
    );
    let rows = [
        (
            "quota status (sums in SQL, replayed)",
            median(|| async { store.quota_status(last).await.unwrap() }).await,
        ),
        (
            "rebuild from raw entries",
            median(|| async { store.quota_status_from_entries(last).await.unwrap() }).await,
        ),
        (
            "naive: recompute from all cases",
            median(|| async { naive_status(&sqlite, last).await }).await,
        ),
        (
            "deadline list, open cases",
            median(|| async { store.deadlines(today, false).await.unwrap() }).await,
        ),
        (
            "the Overview's work list (dashboard)",
            median(|| async { store.dashboard(today, "bench").await.unwrap() }).await,
        ),
        (
            "a year's statistics (report statistics)",
            median(|| async { store.statistics(last, "bench").await.unwrap() }).await,
        ),
    ];
    let baseline = rows[2].1;
    println!(
        "| {:<38} | {:>10} | {:>12} |",
        "operation", "median", "vs naive"
    );
    println!("|{:-<40}|{:->12}|{:->14}|", "", "", "");
    for (name, t) in rows {
        println!(
            "| {:<38} | {:>7.2} ms | {:>11.1}x |",
            name,
            ms(t),
            baseline.as_secs_f64() / t.as_secs_f64()
        );
    }
    let cli = cli_median(&path, last);
    println!(
        "| {:<38} | {:>7.2} ms | {:>12} |",
        "`resettle quota status --json` process",
        ms(cli),
        ""
    );
    store.close().await;
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The whole command as a user runs it: process start, opening the database, the status.
fn cli_median(db: &Path, period: i32) -> Duration {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_resettle"));
    let mut times = Vec::new();
    for i in 0..RUNS + 2 {
        let start = Instant::now();
        let out = Command::new(&exe)
            .arg("--db")
            .arg(db)
            .args(["--json", "quota", "status", "--period", &period.to_string()])
            .output()
            .unwrap();
        let took = start.elapsed();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if i >= 2 {
            times.push(took);
        }
    }
    times.sort();
    times[RUNS / 2]
}

async fn counts(store: &SqliteStore) -> (i64, i64, i64) {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM persons),
                (SELECT COUNT(*) FROM quota_entries)",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    (row.get(0), row.get(1), row.get(2))
}

/// The baseline a spreadsheet would follow: every case of the period with all its members,
/// charged again by the rules, counted as committed or used by the case's status.
async fn naive_status(store: &SqliteStore, period: i32) -> HashMap<(i32, SubQuota), (u32, u32)> {
    // Which year each case was charged to, then every accepted or arrived case's members.
    let years: HashMap<String, i32> = sqlx::query(
        "SELECT case_id, MIN(year) FROM quota_entries WHERE kind = 'commitment'
         GROUP BY case_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    let rows = sqlx::query(
        "SELECT c.id, c.route, c.priority, c.status, p.tom_patient
         FROM cases c JOIN persons p ON p.case_id = c.id
         WHERE c.status IN ('accepted', 'arrived')",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let mut cases: HashMap<String, (Route, Priority, bool, Vec<bool>)> = HashMap::new();
    for r in &rows {
        let case = cases.entry(r.get("id")).or_insert_with(|| {
            (
                r.get::<String, _>("route").parse().unwrap(),
                r.get::<String, _>("priority").parse().unwrap(),
                r.get::<String, _>("status") == "arrived",
                Vec::new(),
            )
        });
        case.3.push(r.get("tom_patient"));
    }
    let mut figures = HashMap::new();
    for year in period..period + 3 {
        for &sub in SubQuota::ALL {
            figures.insert((year, sub), (0u32, 0u32));
        }
    }
    for (id, (route, priority, arrived, tom)) in cases {
        let Some(&year) = years.get(&id).filter(|y| (period..period + 3).contains(y)) else {
            continue;
        };
        let any_tom = tom.iter().any(|t| *t);
        for t in tom {
            let sub = if t {
                SubQuota::Medical
            } else if any_tom {
                SubQuota::Geographical
            } else {
                match (route, priority) {
                    (Route::Dossier, Priority::Emergency | Priority::Urgent) => {
                        SubQuota::EmergencyUrgent
                    }
                    _ => SubQuota::Geographical,
                }
            };
            let cell = figures.get_mut(&(year, sub)).unwrap();
            if arrived {
                cell.1 += 1;
            } else {
                cell.0 += 1;
            }
        }
    }
    figures
}

/// A period's movements in the order the rules made them, with the case each is for.
type Recorded = Vec<(Movement, Option<Uuid>)>;

/// Builds the synthetic history: households cloned from the demo data set with mean size
/// 5, committed through the ledger's own rules, most of them arrived, some withdrawn, and
/// every year but the last period's closed.
async fn build(path: &Path) {
    eprintln!("building the benchmark database at {} ...", path.display());
    let started = Instant::now();
    let tmp = path.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    let template = demo::generate(demo::DEFAULT_SEED);
    let periods: Vec<QuotaPeriod> = (0..PERIODS)
        .map(|i| QuotaPeriod {
            annual_cap: 60_000,
            ..QuotaPeriod::new(FIRST_YEAR + 3 * i, 120_000)
        })
        .collect();
    let mut households = Vec::with_capacity(CASES);
    for i in 0..CASES {
        let t = &template.households[i % template.households.len()];
        let size = 1 + (i * 7) % 9; // 1..=9, mean 5
        let period = &periods[i % periods.len()];
        let year = period.start_year + ((i / periods.len()) % 3) as i32;
        let mut h: Household = t.clone();
        h.id = Uuid::new_v4();
        h.unhcr_case_no = format!("BENCH-{i:06}");
        h.submission_date = NaiveDate::from_ymd_opt(year, 1 + (i % 12) as u32, 1).unwrap();
        h.mission_id = None;
        (h.route, h.priority) = match i % 20 {
            0..=15 => (Route::Mission, Priority::Normal),
            16..=18 => (Route::Dossier, Priority::Urgent),
            _ => (Route::Dossier, Priority::Emergency),
        };
        let member = t.members[0].clone();
        h.members = (0..size)
            .map(|k| {
                let mut m = member.clone();
                m.id = Uuid::new_v4();
                m.tom_patient = i % 40 == 1 && k == 0;
                m
            })
            .collect();
        households.push(h);
    }
    // Commit through the rules, period by period, closing each year after its cases.
    let mut movements: Vec<(usize, Recorded)> = Vec::new();
    for (p, period) in periods.iter().enumerate() {
        let mut ledger = Ledger::replay(
            period.clone(),
            &Ledger::initial_allocations(period, &[]).unwrap(),
        )
        .unwrap();
        let mut recorded = Vec::new();
        let mut apply = |ledger: &mut Ledger, ms: Vec<Movement>, case: Option<Uuid>| {
            for m in ms {
                ledger.apply(&m).unwrap();
                recorded.push((m, case));
            }
        };
        let last_period = p + 1 == periods.len();
        for year in period.year_list() {
            let mut committed = Vec::new();
            for (i, h) in households.iter_mut().enumerate() {
                if i % periods.len() != p || h.submission_date.year() != year {
                    continue;
                }
                let charges = Charges::for_household(h, |_| true);
                let Ok(ms) = ledger.commit(year, &charges, None) else {
                    continue;
                };
                let case: Vec<CaseCommitment> = charges
                    .iter()
                    .map(|(sub_quota, places)| CaseCommitment {
                        year,
                        sub_quota,
                        places,
                    })
                    .collect();
                apply(&mut ledger, ms, Some(h.id));
                h.status = CaseStatus::Accepted;
                committed.push((i, case));
            }
            let closing = !(last_period && year == period.end_year());
            if closing {
                let ms = ledger.close_year(year).unwrap();
                apply(&mut ledger, ms, None);
            }
            for (n, (i, case)) in committed.into_iter().enumerate() {
                match n % 20 {
                    0 => {
                        let ms = ledger.release(&case).unwrap();
                        apply(&mut ledger, ms, Some(households[i].id));
                        households[i].status = CaseStatus::Withdrawn;
                    }
                    1..=15 => {
                        let ms = ledger.arrive(&case).unwrap();
                        apply(&mut ledger, ms, Some(households[i].id));
                        households[i].status = CaseStatus::Arrived;
                    }
                    _ => {}
                }
            }
        }
        ledger.check().unwrap();
        movements.push((p, recorded));
    }

    let sqlite = SqliteStore::open(&tmp).await.unwrap();

    let store = Store::from(sqlite.clone());
    store.claim_first_user("bench").await.unwrap();
    let data = DemoData {
        seed: 0,
        municipalities: Vec::new(),
        period: periods[0].clone(),
        missions: Vec::new(),
        households,
        placement: Default::default(),
    };
    store.seed_demo(&data, "bench").await.unwrap();
    let change = Change {
        author: "bench",
        reason: "synthetic history",
    };
    for period in &periods[1..] {
        store.create_period(period, &[], &change).await.unwrap();
    }
    // The ledger entries after the allocations, in the order the rules made them.
    let mut tx = sqlite.pool().begin().await.unwrap();
    let at = Utc::now();
    for (p, recorded) in movements {
        let period = &periods[p];
        let initial = Ledger::initial_allocations(period, &[]).unwrap().len();
        for (seq, (m, case)) in recorded.iter().enumerate() {
            let (kind, year, sub, to_year, to_sub, places) = m.columns();
            let case = case.filter(|_| matches!(kind.code(), "commitment" | "release" | "arrival"));
            sqlx::query(
                "INSERT INTO quota_entries (id, period_id, seq, kind, year, sub_quota, to_year,
                     to_sub_quota, places, case_id, exceptional_id, author, at, reason)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'bench', ?, 'synthetic')",
            )
            .bind(Uuid::new_v4().to_string())
            .bind(period.id.to_string())
            .bind((initial + seq + 1) as i64)
            .bind(kind.code())
            .bind(year)
            .bind(sub.map(SubQuota::code))
            .bind(to_year)
            .bind(to_sub.map(SubQuota::code))
            .bind(places)
            .bind(case.map(|c| c.to_string()))
            .bind(at)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    // Arrived cases departed 0 to 299 days after submission (spread by row) and arrived
    // the day after, so that a year's statistics have days to count.
    for sql in [
        "UPDATE cases SET departed_on = date(submission_date, '+' || ((rowid * 37) % 300) || ' days')
         WHERE status = 'arrived'",
        "UPDATE cases SET arrived_on = date(departed_on, '+1 day') WHERE status = 'arrived'",
    ] {
        sqlx::query(sql).execute(sqlite.pool()).await.unwrap();
    }
    sqlx::query("ANALYZE").execute(sqlite.pool()).await.unwrap();
    store.close().await;
    std::fs::rename(&tmp, path).unwrap();
    for ext in ["partial-wal", "partial-shm"] {
        let _ = std::fs::remove_file(path.with_extension(ext));
    }
    eprintln!("built in {:.0} s", started.elapsed().as_secs_f64());
}
