//! Durability: the `resettle` binary killed with SIGKILL at random moments of an import,
//! many times, on a plain and on an encrypted database. After each kill the database must
//! pass SQLite's integrity and foreign-key checks, its audit chain must hold, and the
//! import must be whole or absent; finishing it afterwards must work.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use resettle::demo;
use resettle::domain::audit::ChainCheck;
use resettle::import::write_csv;
use resettle::storage::cipher::Passphrase;
use resettle::storage::SqliteStore;

const PASSPHRASE: &str = "kill test laptop passphrase";
const KILLS_PER_BACKEND: usize = 20;

fn import(db: &Path, file: &Path, encrypted: bool) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_resettle"));
    cmd.arg("--db")
        .arg(db)
        .args(["--json", "import", "submissions"])
        .arg(file)
        .env_remove("RESETTLE_DB")
        .env_remove("RESETTLE_PASSPHRASE")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if encrypted {
        cmd.env("RESETTLE_PASSPHRASE", PASSPHRASE);
    }
    cmd
}

async fn open(db: &Path, encrypted: bool) -> SqliteStore {
    let passphrase = Passphrase::new(PASSPHRASE);
    SqliteStore::open_with(db, encrypted.then_some(&passphrase))
        .await
        .expect("the database opens after a kill")
}

/// What a killed import left: (cases, persons) after SQLite's own checks passed.
async fn check(db: &Path, encrypted: bool) -> (i64, i64) {
    let store = open(db, encrypted).await;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let fk: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(fk.is_empty(), "foreign keys broken in {fk:?}");
    assert!(
        matches!(
            store.verify_audit().await.unwrap(),
            ChainCheck::Intact { .. }
        ),
        "the audit chain holds"
    );
    let counts =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM persons)")
            .fetch_one(store.pool())
            .await
            .unwrap();
    store.close().await;
    counts
}

async fn kill_during_imports(encrypted: bool) {
    let dir = tempfile::tempdir().unwrap();
    let data = demo::generate(41);
    let file = dir.path().join("submissions.csv");
    std::fs::write(&file, write_csv(&data.households)).unwrap();
    let whole = (
        data.households.len() as i64,
        data.households
            .iter()
            .map(|h| h.members.len())
            .sum::<usize>() as i64,
    );

    // An empty database to copy before each run, and how long a whole import takes.
    let base = dir.path().join("base.db");
    let store = if encrypted {
        SqliteStore::create_encrypted(&base, &Passphrase::new(PASSPHRASE)).await
    } else {
        SqliteStore::open(&base).await
    }
    .unwrap();
    // The binary runs as this login, which must be a user who may import.
    store
        .claim_first_user(&resettle::session::current_user())
        .await
        .unwrap();
    store.close().await;
    let timed = dir.path().join("timed.db");
    copy_database(&base, &timed);
    let started = Instant::now();
    assert!(import(&timed, &file, encrypted).status().unwrap().success());
    let full = started.elapsed();
    assert_eq!(check(&timed, encrypted).await, whole);

    let seed: u64 = std::env::var("KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| started.elapsed().as_nanos() as u64 ^ 0x5eed);
    eprintln!("kill test seed {seed} (KILL_SEED={seed} repeats it); a whole import takes {full:?}");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (mut absent, mut complete) = (0, 0);
    for run in 0..KILLS_PER_BACKEND {
        let db = dir.path().join(format!("run-{run}.db"));
        copy_database(&base, &db);
        let after = Duration::from_micros(rng.random_range(0..=full.as_micros() as u64));
        let mut child = import(&db, &file, encrypted).spawn().unwrap();
        std::thread::sleep(after);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let left = check(&db, encrypted).await;
        assert!(
            left == (0, 0) || left == whole,
            "run {run} (killed after {after:?}): {left:?} is neither absent nor whole {whole:?}"
        );
        if left == whole {
            complete += 1;
        } else {
            absent += 1;
            // The import runs to its end after the kill.
            assert!(import(&db, &file, encrypted).status().unwrap().success());
            assert_eq!(check(&db, encrypted).await, whole, "run {run} finished");
        }
    }
    eprintln!(
        "{} kills ({}): {absent} left nothing, {complete} left the whole import",
        KILLS_PER_BACKEND,
        if encrypted { "SQLCipher" } else { "SQLite" }
    );
}

/// Copies the database with its key file (the base is closed, so there is no WAL).
fn copy_database(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    let key = resettle::storage::cipher::key_file_path(from);
    if key.exists() {
        std::fs::copy(key, resettle::storage::cipher::key_file_path(to)).unwrap();
    }
}

#[tokio::test]
async fn an_import_killed_at_random_is_whole_or_absent_on_sqlite() {
    kill_during_imports(false).await;
}

#[tokio::test]
async fn an_import_killed_at_random_is_whole_or_absent_on_sqlcipher() {
    kill_during_imports(true).await;
}
