//! The audit log's hash chain on a real database file: `resettle audit verify` finds an
//! intact chain intact, and finds each kind of tampering someone with the file could do
//! (the append-only triggers dropped first, as such a person would): an entry changed,
//! deleted, two entries swapped, the end cut off, and a changed entry re-hashed. A log
//! written before the chain existed is sealed once, by the open that adds the chain, and an
//! entry whose links are cleared later is reported, never sealed again.
//!
//! With `RESETTLE_TEST_STORE=postgres` (`cargo xtask test`'s PostgreSQL step) the tampering
//! is done to databases on the server, where a cut end is found through `audit_issued`.

mod common;

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use resettle::storage::{Location, SqliteStore, Store};
use serde_json::Value;

/// Who runs the CLI: on the server, the login that owns the database.
const AUDITOR: &str = "test-auditor";

fn resettle(db: &OsStr, args: &[&str]) -> Output {
    let db: OsString = match db.to_str() {
        Some(url) if url.starts_with("postgres://") => common::as_login(url, AUDITOR).into(),
        _ => db.to_owned(),
    };
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", AUDITOR)
        .output()
        .expect("run resettle")
}

fn verify(db: &OsStr) -> (bool, Value) {
    let out = resettle(db, &["--json", "audit", "verify"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "no JSON: {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(out.status.success(), report["ok"] == true, "{report}");
    (out.status.success(), report)
}

/// A demo database whose audit log has at least ten entries: a file, or on the
/// PostgreSQL run a database on the server.
async fn demo(dir: &Path) -> (OsString, i64) {
    let file = dir.join("demo.db");
    let db: OsString = if common::backend() == "postgres" {
        common::pg_owned_database(&file, AUDITOR).await.into()
    } else {
        file.into()
    };
    for args in [&["init"][..], &["demo-data"][..]] {
        let out = resettle(&db, args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (ok, report) = verify(&db);
    assert!(ok, "{report}");
    let entries = report["entries"].as_i64().unwrap();
    assert!(entries >= 10, "{entries} entries");
    (db, entries)
}

async fn open(db: &OsStr) -> Store {
    Store::open(&Location::parse(&db.to_string_lossy()), None)
        .await
        .unwrap()
}

/// A copy of the database with `sql` run on it after the triggers are dropped: a copied
/// file, or on the server a new database made from this one as its template.
async fn tampered(db: &OsStr, name: &str, sql: &[&str]) -> OsString {
    let text = db.to_string_lossy();
    if text.starts_with("postgres://") {
        return tampered_on_server(&text, name, sql).await.into();
    }
    let db = Path::new(db);
    let copy = db.with_file_name(format!("{name}.db"));
    // The database with its write-ahead log: the newest entries may be only there.
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", db.display()));
        if from.exists() {
            std::fs::copy(&from, format!("{}{suffix}", copy.display())).unwrap();
        }
    }
    let store = SqliteStore::open(&copy).await.unwrap();
    let pool = store.pool();
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(pool)
        .await
        .unwrap();
    for statement in sql {
        sqlx::query(statement).execute(pool).await.unwrap();
    }
    store.close().await;
    copy.into()
}

async fn tampered_on_server(db: &str, name: &str, sql: &[&str]) -> String {
    use sqlx::Connection;
    let copy = common::pg_copy(db, name).await;
    let mut conn = sqlx::PgConnection::connect(&copy).await.unwrap();
    for trigger in ["audit_log_no_update", "audit_log_no_delete"] {
        sqlx::query(&format!("DROP TRIGGER {trigger} ON audit_log"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    for statement in sql {
        sqlx::query(statement).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    copy
}

fn broken_at(db: &OsStr) -> (i64, String) {
    let (ok, report) = verify(db);
    assert!(!ok, "tampering not found: {report}");
    assert!(report["broken_at"].is_i64(), "{report}");
    (
        report["broken_at"].as_i64().unwrap(),
        report["why"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn every_kind_of_tampering_is_found_at_its_first_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let (db, n) = demo(dir.path()).await;

    let changed = tampered(
        &db,
        "changed",
        &["UPDATE audit_log SET actor = 'someone else' WHERE seq = 5"],
    )
    .await;
    let (at, why) = broken_at(&changed);
    assert_eq!(at, 5, "{why}");
    assert!(why.contains("changed"), "{why}");

    let deleted = tampered(&db, "deleted", &["DELETE FROM audit_log WHERE seq = 5"]).await;
    let (at, why) = broken_at(&deleted);
    assert_eq!(at, 5, "{why}");
    assert!(why.contains("missing"), "{why}");

    // Two entries' contents swapped, each keeping its place and its stored hashes.
    let swapped = tampered(
        &db,
        "swapped",
        &[
            "UPDATE audit_log SET seq = -3 WHERE seq = 3",
            "UPDATE audit_log SET seq = 3 WHERE seq = 4",
            "UPDATE audit_log SET seq = 4 WHERE seq = -3",
        ],
    )
    .await;
    let (at, why) = broken_at(&swapped);
    assert_eq!(at, 3, "{why}");

    let cut = n - 2;
    let truncated = tampered(
        &db,
        "truncated",
        &[&format!("DELETE FROM audit_log WHERE seq > {cut}")],
    )
    .await;
    let (at, why) = broken_at(&truncated);
    assert_eq!(at, cut + 1, "{why}");
    assert!(why.contains("truncated"), "{why}");

    // A changed entry given a new hash of its own: the next entry no longer links to it.
    let rehashed = {
        let copy = tampered(
            &db,
            "rehashed",
            &["UPDATE audit_log SET subject = 'forged' WHERE seq = 5"],
        )
        .await;
        let store = open(&copy).await;
        let select =
            "SELECT seq, at, actor, action, subject, prev_hash FROM audit_log WHERE seq = 5";
        let (seq, at, actor, action, subject, prev): (i64, String, String, String, String, String) =
            common::on_pool!(store, |pool| sqlx::query_as(select)
                .fetch_one(pool)
                .await
                .unwrap());
        let hash = resettle::domain::audit::entry_hash(
            &resettle::domain::audit::AuditEntry {
                seq,
                at,
                actor,
                action,
                subject,
            },
            &prev,
        );
        common::on_pool!(store, |pool| sqlx::query(
            "UPDATE audit_log SET hash = $1 WHERE seq = 5"
        )
        .bind(&hash)
        .execute(pool)
        .await
        .map(|_| ())
        .unwrap());
        store.close().await;
        copy
    };
    let (at, why) = broken_at(&rehashed);
    assert_eq!(at, 6, "{why}");
    assert!(why.contains("link"), "{why}");

    // The original is untouched and still verifies; a new entry extends the chain.
    let (ok, before) = verify(&db);
    assert!(ok);
    let store = open(&db).await;
    store
        .record_export(AUDITOR, "referral", "case:x", &["REF-1".into()], "00")
        .await
        .unwrap();
    store.close().await;
    let (ok, after) = verify(&db);
    assert!(ok, "{after}");
    assert_eq!(after["entries"], before["entries"].as_i64().unwrap() + 1);
    assert_ne!(after["head"], before["head"]);
}

#[tokio::test]
async fn a_log_from_before_the_chain_is_sealed_once_by_the_open_that_adds_it() {
    // A database as the version before the chain left it: every earlier migration, and
    // entries with no links.
    let dir = tempfile::tempdir().unwrap();
    let old_migrations = dir.path().join("migrations");
    std::fs::create_dir(&old_migrations).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/storage/migrations/sqlite");
    for file in std::fs::read_dir(&source).unwrap() {
        let file = file.unwrap();
        let name = file.file_name().to_string_lossy().into_owned();
        if name.as_str() < "20261128000000" {
            std::fs::copy(file.path(), old_migrations.join(&name)).unwrap();
        }
    }
    let db = dir.path().join("old.db");
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::migrate::Migrator::new(old_migrations.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        for i in 1..=4 {
            sqlx::query("INSERT INTO audit_log (at, actor, action, subject) VALUES (?, 'kim', 'case.status', ?)")
                .bind(format!("2026-11-0{i}T10:00:00.000Z"))
                .bind(format!("case:{i}"))
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;
    }
    let store = Store::from(SqliteStore::open(&db).await.unwrap());
    let check = store.verify_audit().await.unwrap();
    store.close().await;
    assert!(
        matches!(
            check,
            resettle::domain::audit::ChainCheck::Intact { entries: 4, .. }
        ),
        "{check:?}"
    );

    // Later, an entry whose links were cleared is reported, not sealed again.
    let cleared = tampered(
        db.as_os_str(),
        "cleared",
        &["UPDATE audit_log SET prev_hash = NULL, hash = NULL WHERE seq = 3"],
    )
    .await;
    let (at, why) = broken_at(&cleared);
    assert_eq!(at, 3, "{why}");
    assert!(why.contains("never sealed"), "{why}");
}

/// `resettle --json ARGS` on `db` (as `resettle` runs it), its exit and its answer.
fn answer(db: &OsStr, args: &[&str]) -> (bool, Value) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = resettle(db, &all);
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "{args:?}: no JSON: {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), value)
}

/// A receipt signed with the office's key, kept outside the database: a log that grew
/// still holds it; the database replaced by its older copy, cut back, or another
/// database does not; a changed receipt, or one signed with another key, is refused.
#[tokio::test]
async fn a_receipt_kept_outside_finds_an_older_copy_and_a_cut_log() {
    let dir = tempfile::tempdir().unwrap();
    let (db, n) = demo(dir.path()).await;
    let key = dir.path().join("office.key");
    let key_s = key.to_str().unwrap();
    let (made, _) = answer(&db, &["audit", "keygen", "--out", key_s]);
    assert!(made);
    // A key is never overwritten.
    let (again, refusal) = answer(&db, &["audit", "keygen", "--out", key_s]);
    assert!(!again);
    assert_eq!(refusal["code"], "key_exists", "{refusal}");

    let first = dir.path().join("first.json");
    let (ok, made) = answer(
        &db,
        &[
            "audit",
            "receipt",
            "--key",
            key_s,
            "--out",
            first.to_str().unwrap(),
        ],
    );
    assert!(ok, "{made}");
    assert_eq!(made["receipt"]["seq"], n);
    let check = |db: &OsStr, receipt: &Path| {
        answer(
            db,
            &[
                "audit",
                "verify",
                "--receipt",
                receipt.to_str().unwrap(),
                "--key",
                key_s,
            ],
        )
    };
    let (holds, report) = check(&db, &first);
    assert!(holds, "{report}");
    assert_eq!(report["check"]["since"], 0);

    // The database as it is now, kept aside; then the log grows and a second receipt is
    // made of it.
    let older = tampered(&db, "older", &[]).await;
    let store = open(&db).await;
    store
        .record_export(AUDITOR, "referral", "case:x", &["REF-1".into()], "00")
        .await
        .unwrap();
    store.close().await;
    let (holds, report) = check(&db, &first);
    assert!(holds, "{report}");
    assert_eq!(report["check"]["since"], 1, "{report}");
    let second = dir.path().join("second.json");
    assert!(
        answer(
            &db,
            &[
                "audit",
                "receipt",
                "--key",
                key_s,
                "--out",
                second.to_str().unwrap()
            ]
        )
        .0
    );

    // The older copy put back in the database's place.
    let (holds, report) = check(&older, &second);
    assert!(!holds);
    assert_eq!(report["check"]["outcome"], "rolled_back", "{report}");
    assert_eq!(report["check"]["entries"], n, "{report}");
    // The log cut back to before the receipt's head.
    let cut = tampered(
        &db,
        "cut",
        &[&format!("DELETE FROM audit_log WHERE seq > {}", n - 2)],
    )
    .await;
    let (holds, report) = check(&cut, &second);
    assert!(!holds);
    assert_eq!(report["check"]["outcome"], "chain_broken", "{report}");
    // ...and the same cut with its high-water mark lowered, as someone covering it would.
    let lowered = if common::backend() == "postgres" {
        "UPDATE audit_issued SET seq = 1"
    } else {
        "UPDATE sqlite_sequence SET seq = 1 WHERE name = 'audit_log'"
    };
    let covered = tampered(
        &db,
        "covered",
        &[
            &format!("DELETE FROM audit_log WHERE seq > {}", n - 2),
            lowered,
        ],
    )
    .await;
    assert!(verify(&covered).0, "the chain alone sees nothing");
    let (holds, report) = check(&covered, &second);
    assert!(!holds);
    assert_eq!(report["check"]["outcome"], "rolled_back", "{report}");

    // Another database, a changed receipt, a receipt under another key.
    let other_dir = tempfile::tempdir().unwrap();
    let (other, _) = demo(other_dir.path()).await;
    let (holds, report) = check(&other, &second);
    assert!(!holds);
    assert_eq!(report["check"]["outcome"], "other_database", "{report}");
    let text = std::fs::read_to_string(&second).unwrap();
    let mut changed: Value = serde_json::from_str(&text).unwrap();
    changed["statement"]["seq"] = (n - 1).into();
    let altered = dir.path().join("altered.json");
    std::fs::write(&altered, changed.to_string()).unwrap();
    let (holds, report) = check(&db, &altered);
    assert!(!holds);
    assert_eq!(report["code"], "receipt_altered", "{report}");
    let stranger = dir.path().join("stranger.key");
    assert!(
        answer(
            &db,
            &["audit", "keygen", "--out", stranger.to_str().unwrap()]
        )
        .0
    );
    let (holds, report) = answer(
        &db,
        &[
            "audit",
            "verify",
            "--receipt",
            second.to_str().unwrap(),
            "--key",
            stranger.to_str().unwrap(),
        ],
    );
    assert!(!holds);
    assert_eq!(report["code"], "receipt_other_key", "{report}");
}
