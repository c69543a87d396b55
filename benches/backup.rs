//! `cargo bench --bench backup`: `resettle backup` (SQLite's `VACUUM INTO`, through the
//! store) of a database of at least 1 GiB, against `cp` of the same file, in MB/s, median of
//! three runs each. The database is a real office schema made by `init`, filled with
//! synthetic households (cases with their members, through SQL for speed) until the file
//! passes 1 GiB; it is kept in target/bench-data/ for the next run.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use resettle::storage::{SqliteStore, Store};

/// Bump when the database's content changes, so an old one is not reused.
const VERSION: u32 = 1;
const TARGET_BYTES: u64 = 1 << 30;
const RUNS: usize = 3;
/// Households added per round until the file is large enough.
const ROUND: i64 = 100_000;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("backup-v{VERSION}.db"));
    if !path.exists() {
        build(&path).await;
    }
    let store = Store::from(SqliteStore::open(&path).await.unwrap());
    let bytes = std::fs::metadata(&path).unwrap().len();
    let (cases, persons): (i64, i64) = match &store {
        Store::Sqlite(s) => {
            sqlx::query_as("SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM persons)")
                .fetch_one(s.pool())
                .await
                .unwrap()
        }
        Store::Postgres(_) => unreachable!("a file"),
    };
    println!(
        "Backup benchmark: {:.2} GiB database, {cases} cases, {persons} persons; median of {RUNS} runs",
        bytes as f64 / (1u64 << 30) as f64
    );

    let out_dir = dir.join("backup-out");
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut backups = Vec::new();
    let mut copies = Vec::new();
    for i in 0..RUNS {
        let out = out_dir.join(format!("backup-{i}.db"));
        let start = Instant::now();
        let written = store.backup(&out, "bench").await.unwrap();
        backups.push((start.elapsed(), written.bytes));
        std::fs::remove_file(&out).unwrap();

        let copy = out_dir.join(format!("copy-{i}.db"));
        let start = Instant::now();
        let status = Command::new("cp").arg(&path).arg(&copy).status().unwrap();
        assert!(status.success());
        copies.push((start.elapsed(), bytes));
        std::fs::remove_file(&copy).unwrap();
    }
    let median = |mut runs: Vec<(Duration, u64)>| {
        runs.sort();
        runs[RUNS / 2]
    };
    let (backup, backup_bytes) = median(backups);
    let (cp, cp_bytes) = median(copies);
    let mbs = |d: Duration, b: u64| b as f64 / 1e6 / d.as_secs_f64();
    println!("| {:<48} | {:>9} | {:>10} |", "operation", "median", "MB/s");
    println!("|{:-<50}|{:->11}|{:->12}|", "", "", "");
    println!(
        "| {:<48} | {:>7.2} s | {:>10.0} |",
        format!(
            "resettle backup (VACUUM INTO, {} MB written)",
            backup_bytes / 1_000_000
        ),
        backup.as_secs_f64(),
        mbs(backup, bytes)
    );
    println!(
        "| {:<48} | {:>7.2} s | {:>10.0} |",
        format!("cp of the same file ({} MB)", cp_bytes / 1_000_000),
        cp.as_secs_f64(),
        mbs(cp, cp_bytes)
    );
    println!("(MB/s of the database's size for both: the backup reads the whole database and writes it compacted.)");
    store.close().await;
    let _ = std::fs::remove_dir_all(&out_dir);
}

/// A database made by `init`, then households added in rounds of `ROUND` (five members
/// each, names and needs as free text of realistic length) until it passes 1 GiB.
async fn build(path: &Path) {
    eprintln!("building the benchmark database at {} ...", path.display());
    let started = Instant::now();
    let tmp = path.with_extension("partial");
    for ext in ["partial", "partial-wal", "partial-shm"] {
        let _ = std::fs::remove_file(path.with_extension(ext));
    }
    let sqlite = SqliteStore::open(&tmp).await.unwrap();
    let store = Store::from(sqlite.clone());
    store.claim_first_user("bench").await.unwrap();
    let mut round = 0i64;
    loop {
        let first = round * ROUND;
        let mut tx = sqlite.pool().begin().await.unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1 + ?2)
             INSERT INTO cases (id, unhcr_case_no, rrf_ref, country_of_asylum, nationality,
                                primary_category, priority, route, submission_date, status)
             SELECT printf('case-%010d', i), printf('BKP-%08d', i), printf('RRF-%08d', i),
                    'KEN', 'SOM', 'LPN',
                    CASE i % 20 WHEN 0 THEN 'emergency' WHEN 1 THEN 'urgent' ELSE 'normal' END,
                    'dossier', printf('2026-%02d-01', 1 + i % 12),
                    CASE i % 4 WHEN 0 THEN 'arrived' WHEN 1 THEN 'accepted' ELSE 'submitted' END
             FROM n",
        )
        .bind(first)
        .bind(ROUND)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1 + ?2),
                            k(p) AS (SELECT 1 UNION ALL SELECT p + 1 FROM k WHERE p < 5)
             INSERT INTO persons (id, case_id, position, relationship, given_name, family_name,
                                  sex, date_of_birth, languages, literate, education_years,
                                  occupation, special_needs)
             SELECT printf('person-%010d-%d', i, p), printf('case-%010d', i), p,
                    CASE p WHEN 1 THEN 'principal' WHEN 2 THEN 'spouse' ELSE 'child' END,
                    printf('Given%d', i), printf('Family%d', i),
                    CASE p % 2 WHEN 0 THEN 'F' ELSE 'M' END,
                    printf('%04d-%02d-15', 1960 + (i + p * 7) % 60, 1 + p),
                    'so,en', 1, (i + p) % 16, 'occupation of the member, as the interview recorded it',
                    CASE WHEN i % 7 = 0 THEN 'special needs described in a sentence or two by the caseworker, as the RRF has them' END
             FROM n, k",
        )
        .bind(first)
        .bind(ROUND)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        round += 1;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(sqlite.pool())
            .await
            .unwrap();
        let size = std::fs::metadata(&tmp).unwrap().len();
        eprintln!("  {} households: {} MB", round * ROUND, size / 1_000_000);
        if size >= TARGET_BYTES {
            break;
        }
    }
    store.close().await;
    std::fs::rename(&tmp, path).unwrap();
    eprintln!("built in {:.0} s", started.elapsed().as_secs_f64());
}
