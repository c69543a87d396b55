//! Backups and restores of a database file through the command line, as an office runs
//! them: a copy taken while another process writes, an encrypted laptop's copy that stays
//! encrypted under the same key slots, and a restore that verifies the backup's audit chain
//! and replaces a database only when told to. Real SQLite and SQLCipher files.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{Connection, Row};

const SUBMISSIONS: &str = "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient
KEN-26B00001,RRF-B1,principal,Zahra,Kopiani,F,1986-02-02,SOM,KEN,so,yes,11,nurse,,LPN,,normal,2026-02-03,dossier,no
KEN-26B00002,RRF-B2,principal,Idris,Kopiani,M,1979-05-05,SOM,KEN,so,yes,12,,,LAS,,normal,2026-02-04,dossier,no
";

/// `resettle --json --db DB ARGS` as `user` (the operating system's login on a file).
fn run(db: impl AsRef<OsStr>, user: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .arg("--db")
        .arg(db.as_ref())
        .arg("--json")
        .args(args)
        .env_remove("RESETTLE_DB")
        .env_remove("RESETTLE_PASSPHRASE")
        .env_remove("RESETTLE_AS")
        .env_remove("USERNAME")
        .env_remove("LOGNAME")
        .env("USER", user)
        .envs(env.iter().copied())
        .output()
        .expect("run resettle")
}

fn ok(db: impl AsRef<OsStr>, user: &str, args: &[&str], env: &[(&str, &str)]) -> Value {
    let out = run(db, user, args, env);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn refused(db: impl AsRef<OsStr>, user: &str, args: &[&str], env: &[(&str, &str)]) -> Value {
    let out = run(db, user, args, env);
    assert!(!out.status.success(), "{args:?} should be refused");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: {e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn sha256(path: &Path) -> String {
    let digest = Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// An office database with a period, two dossier cases and a caseworker.
fn office(dir: &Path) -> PathBuf {
    let db = dir.join("office.db");
    ok(&db, "boss", &["init"], &[]);
    ok(
        &db,
        "boss",
        &["user", "add", "cw", "--role", "caseworker"],
        &[],
    );
    period_and_cases(&db, dir);
    db
}

/// The 2026-2028 period and the two dossier cases of `SUBMISSIONS`, by boss, in the
/// database at `db` (a file or a server's URL); the file is written in `dir`.
fn period_and_cases(db: impl AsRef<OsStr> + Copy, dir: &Path) {
    ok(
        db,
        "boss",
        &[
            "quota",
            "create-period",
            "--start-year",
            "2026",
            "--places",
            "1500",
        ],
        &[],
    );
    let file = dir.join("submissions.csv");
    std::fs::write(&file, SUBMISSIONS).unwrap();
    ok(
        db,
        "boss",
        &["import", "submissions", file.to_str().unwrap()],
        &[],
    );
}

/// The number of rows of each table, read from the file itself.
fn counts(db: &Path) -> Vec<i64> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}?mode=ro", db.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let mut out = Vec::new();
        for table in ["cases", "persons", "quota_entries", "users", "audit_log"] {
            let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&mut conn)
                .await
                .unwrap()
                .get(0);
            out.push(n);
        }
        out
    })
}

#[test]
fn a_backup_taken_while_another_process_writes_is_whole_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    // Another quota manager moves places back and forth while the backup is taken.
    let writer = {
        let db = db.clone();
        std::thread::spawn(move || {
            for i in 0..30 {
                let (from, to) = if i % 2 == 0 {
                    ("emergency_urgent", "geographical")
                } else {
                    ("geographical", "emergency_urgent")
                };
                ok(
                    &db,
                    "boss",
                    &[
                        "quota",
                        "reallocate",
                        "--period",
                        "2026",
                        "--year",
                        "2026",
                        "--from",
                        from,
                        "--to",
                        to,
                        "--places",
                        "1",
                        "--reason",
                        "rebalancing",
                    ],
                    &[],
                );
            }
        })
    };
    let out = dir.path().join("backup.db");
    let taken = ok(
        &db,
        "boss",
        &["backup", "--out", out.to_str().unwrap()],
        &[],
    );
    writer.join().unwrap();
    let backup = &taken["backup"];
    assert_eq!(backup["encrypted"], false);
    // (Opening the copy below writes to it, as opening any database does.)
    let digest = sha256(&out);
    assert_eq!(backup["sha256"], digest);
    assert_eq!(
        backup["bytes"].as_u64().unwrap(),
        std::fs::metadata(&out).unwrap().len()
    );
    // The copy is a database whose chain verifies, holding the office's cases and the
    // audit log as of its moment.
    let verified = ok(&out, "boss", &["audit", "verify"], &[]);
    assert_eq!(verified["entries"], backup["audit_entries"]);
    let (now, then) = (counts(&db), counts(&out));
    assert_eq!(now[..2], then[..2], "cases and persons");
    assert!(then[4] <= now[4]);
    // The office's own log records the backup, with the copy's digest.
    ok(&db, "boss", &["audit", "verify"], &[]);
    let logged = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}?mode=ro", db.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let subject: String =
            sqlx::query_scalar("SELECT subject FROM audit_log WHERE action = 'database.backed_up'")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        subject
    });
    assert!(logged.contains(&digest), "{logged}");

    // Never over an existing file, and only for an administrator.
    let before = sha256(&out);
    let again = refused(
        &db,
        "boss",
        &["backup", "--out", out.to_str().unwrap()],
        &[],
    );
    assert_eq!(again["code"], "backup_exists");
    assert!(again["error"].as_str().unwrap().contains("backup.db"));
    assert_eq!(sha256(&out), before);
    let other = dir.path().join("cw.db");
    let forbidden = refused(
        &db,
        "cw",
        &["backup", "--out", other.to_str().unwrap()],
        &[],
    );
    assert_eq!(forbidden["code"], "forbidden");
    assert!(!other.exists());
}

#[test]
fn an_encrypted_laptop_s_backup_stays_encrypted_and_opens_with_the_same_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.db");
    let pass = [("RESETTLE_PASSPHRASE", "ane’s own passphrase")];
    ok(&db, "ane", &["init", "--encrypted"], &pass);
    let file = dir.path().join("submissions.csv");
    std::fs::write(&file, SUBMISSIONS).unwrap();
    ok(
        &db,
        "ane",
        &["import", "submissions", file.to_str().unwrap()],
        &pass,
    );

    let out = dir.path().join("laptop-backup.db");
    let taken = ok(
        &db,
        "ane",
        &["backup", "--out", out.to_str().unwrap()],
        &pass,
    );
    assert_eq!(taken["backup"]["encrypted"], true);
    // Neither SQLite's header nor a refugee's name is readable in the copy.
    let bytes = std::fs::read(&out).unwrap();
    assert_ne!(&bytes[..16], b"SQLite format 3\0");
    for marker in ["Kopiani", "Zahra", "KEN-26B00001"] {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "{marker} in the clear"
        );
    }
    // The same key slots open it, as the same member.
    assert_eq!(
        std::fs::read(dir.path().join("laptop-backup.db.key.json")).unwrap(),
        std::fs::read(dir.path().join("laptop.db.key.json")).unwrap()
    );
    let overview = ok(&out, "someone", &["overview"], &pass);
    assert_eq!(overview["households"], 2);
    let who = ok(&out, "someone", &["user", "whoami"], &pass);
    assert_eq!(
        (who["user"].as_str(), who["authenticated_by"].as_str()),
        (Some("ane"), Some("key_slot")),
        "{who}"
    );
    let wrong = refused(
        &out,
        "ane",
        &["overview"],
        &[("RESETTLE_PASSPHRASE", "not the passphrase at all")],
    );
    assert_eq!(wrong["code"], "wrong_passphrase");
}

#[test]
fn a_restore_verifies_the_backup_and_replaces_a_database_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    let backup = dir.path().join("monday.db");
    ok(
        &db,
        "boss",
        &["backup", "--out", backup.to_str().unwrap()],
        &[],
    );
    let at_backup = counts(&backup);
    // Work goes on after the backup.
    ok(
        &db,
        "boss",
        &[
            "quota",
            "allocate",
            "--period",
            "2026",
            "--year",
            "2027",
            "--sub-quota",
            "medical",
            "--places",
            "29",
            "--reason",
            "fewer medical places",
        ],
        &[],
    );
    let later = counts(&db);
    assert_ne!(later, at_backup);
    let b = backup.to_str().unwrap();

    // Not over a database without --force; nothing changes.
    let refusal = refused(&db, "boss", &["restore", b], &[]);
    assert_eq!(refusal["code"], "restore_would_overwrite");
    assert!(refusal["error"].as_str().unwrap().contains("office.db"));
    assert_eq!(counts(&db), later);

    // A backup whose audit log was edited is refused, and the database stays as it was.
    let tampered = dir.path().join("tampered.db");
    std::fs::copy(&backup, &tampered).unwrap();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}", tampered.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for sql in [
            "DROP TRIGGER audit_log_no_update",
            "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        conn.close().await.unwrap();
    });
    let broken = refused(
        &db,
        "boss",
        &["restore", tampered.to_str().unwrap(), "--force"],
        &[],
    );
    assert_eq!(broken["code"], "restore_chain_broken");
    assert_eq!(broken["params"]["seq"], "2");
    assert_eq!(counts(&db), later);
    assert!(!dir.path().join("office.db.restoring").exists());

    // Only an administrator of the backup restores it.
    let forbidden = refused(&db, "cw", &["restore", b, "--force"], &[]);
    assert_eq!(forbidden["code"], "forbidden");
    assert_eq!(counts(&db), later);

    // With --force the database is the backup again, its chain whole, the restore logged.
    let restored = ok(&db, "boss", &["restore", b, "--force"], &[]);
    let now = counts(&db);
    assert_eq!(now[..4], at_backup[..4]);
    assert_eq!(now[4], at_backup[4] + 1, "the restore's own entry");
    assert_eq!(restored["restored"]["audit_entries"], now[4]);
    let verified = ok(&db, "boss", &["audit", "verify"], &[]);
    assert_eq!(verified["entries"], now[4]);
    let status = ok(&db, "boss", &["quota", "status", "--period", "2026"], &[]);
    let medical_2027 = &status["years"][1]["sub_quotas"][2];
    assert_eq!(medical_2027["sub_quota"], "medical");
    assert_eq!(
        medical_2027["allocated"], 30,
        "the allocation made after the backup is gone"
    );
    // The backup itself was only read.
    assert_eq!(counts(&backup), at_backup);

    // Restoring where there is no database yet needs no --force.
    let fresh = dir.path().join("fresh").join("office.db");
    std::fs::create_dir_all(fresh.parent().unwrap()).unwrap();
    ok(&fresh, "boss", &["restore", b], &[]);
    assert_eq!(counts(&fresh)[..4], at_backup[..4]);
}

/// `pg_dump` or `pg_restore` (Debian's wrappers pick the newest installed version) with
/// `args`; panics with what it said if it fails.
fn pg_tool(tool: &str, args: &[&str]) {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (postgresql-client) is installed: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The office's server is backed up with the server's own tools, as the README says: a
/// `pg_dump` by the owner restores with `pg_restore` into an empty database of the same
/// owner, whose audit chain then verifies with the same entries and the same cases.
#[test]
#[ignore = "needs the test server: cargo xtask test's PostgreSQL step"]
fn a_server_database_dumped_and_restored_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (source, target) = runtime.block_on(async {
        (
            common::pg_owned_database(&dir.path().join("dump-source"), "boss").await,
            common::pg_owned_database(&dir.path().join("dump-target"), "boss").await,
        )
    });
    let (source, target) = (
        common::as_login(&source, "boss"),
        common::as_login(&target, "boss"),
    );
    ok(&source, "boss", &["init"], &[]);
    period_and_cases(source.as_str(), dir.path());
    let before = ok(&source, "boss", &["audit", "verify"], &[]);
    // A backup on the server is the server's tools' work, and the CLI says so.
    let refusal = refused(&source, "boss", &["backup", "--out", "x.db"], &[]);
    assert_eq!(refusal["code"], "backup_on_server");

    let dump = dir.path().join("resettle.dump");
    pg_tool(
        "pg_dump",
        &[
            "--format=custom",
            "--file",
            dump.to_str().unwrap(),
            "--dbname",
            &source,
        ],
    );
    pg_tool(
        "pg_restore",
        &[
            "--no-owner",
            "--no-privileges",
            "--dbname",
            &target,
            dump.to_str().unwrap(),
        ],
    );
    let after = ok(&target, "boss", &["audit", "verify"], &[]);
    assert_eq!(after["entries"], before["entries"]);
    assert_eq!(after["head"], before["head"]);
    let overview = ok(&target, "boss", &["overview"], &[]);
    assert_eq!(overview["households"], 2);
    assert_eq!(overview["municipalities"], 98);
}
