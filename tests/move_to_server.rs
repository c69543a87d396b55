//! The office moves from its database file to the server with `resettle migrate`, as an
//! office does once: a file made by `init`, worked on, copied into an empty server database
//! by the login that owns it, checked table by table and link by link against the file,
//! and then worked on at the server by its users' own logins. And every way the move can
//! be refused leaves the server database as it was.
//!
//! Needs a server: `RESETTLE_TEST_PG_URL` (a superuser's URL), so ignored without one;
//! `cargo xtask test` runs it with `--ignored`. Logins are the whole server's, so each test
//! names its own after itself and the process.

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use sqlx::{Connection, Row};

const SUBMISSIONS: &str = "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient
KEN-26M00001,RRF-M1,principal,Zahra,Kopiani,F,1986-02-02,SOM,KEN,so,yes,11,nurse,,LPN,,normal,2026-02-03,dossier,no
KEN-26M00001,RRF-M1,child,Nuur,Kopiani,M,2015-03-03,SOM,KEN,so,yes,5,,,LPN,,normal,2026-02-03,dossier,no
KEN-26M00002,RRF-M2,principal,Idris,Kopiani,M,1979-05-05,SOM,KEN,so,yes,12,,,LAS,,emergency,2026-02-04,dossier,no
";

const MORE: &str = "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient
KEN-26M00003,RRF-M3,principal,Amina,Halane,F,1990-01-01,SOM,KEN,so,yes,9,,,LPN,,urgent,2026-03-01,dossier,no
";

/// `resettle --json ARGS` with `USER` set to `user` (who acts on a plain file).
fn run(user: &str, args: &[&dyn AsRef<OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .arg("--json")
        .args(args.iter().map(|a| a.as_ref()))
        .env_remove("RESETTLE_DB")
        .env_remove("RESETTLE_PASSPHRASE")
        .env_remove("RESETTLE_AS")
        .env_remove("USERNAME")
        .env_remove("LOGNAME")
        .env("USER", user)
        .output()
        .expect("run resettle")
}

fn ok(user: &str, args: &[&dyn AsRef<OsStr>]) -> Value {
    let out = run(user, args);
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_owned()).collect();
    assert!(
        out.status.success(),
        "{shown:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A refusal: exit 1, JSON with its code, and no raw database text.
fn refused(user: &str, args: &[&dyn AsRef<OsStr>]) -> Value {
    let out = run(user, args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    for raw in ["database error", "SQLSTATE", "constraint"] {
        assert!(!text.contains(raw), "{text}");
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A file office made by `init` alone and worked on by hand: a caseworker, a period,
/// three households (one imported by the caseworker), a quota allocation, the bundle key.
fn file_office(dir: &Path, boss: &str, cw: &str) -> std::path::PathBuf {
    let db = dir.join("office.db");
    let d = db.to_str().unwrap();
    ok(boss, &[&"--db", &d, &"init"]);
    ok(
        boss,
        &[&"--db", &d, &"user", &"add", &cw, &"--role", &"caseworker"],
    );
    ok(
        boss,
        &[
            &"--db",
            &d,
            &"quota",
            &"create-period",
            &"--start-year",
            &"2026",
            &"--places",
            &"1500",
        ],
    );
    let file = dir.join("submissions.csv");
    std::fs::write(&file, SUBMISSIONS).unwrap();
    ok(cw, &[&"--db", &d, &"import", &"submissions", &file]);
    ok(boss, &[&"--db", &d, &"keys", &"init"]);
    db
}

/// The number of rows in each table of the file.
async fn file_counts(db: &Path) -> Vec<(String, i64)> {
    let url = format!("sqlite://{}?mode=ro", db.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           AND name NOT LIKE '_sqlx%' AND name NOT LIKE 'case_search_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0);
        out.push((t, n));
    }
    out
}

/// The number of rows in `tables` on the server (as its superuser, who reads all).
async fn server_counts(url: &str, tables: &[String]) -> Vec<(String, i64)> {
    let mut conn = sqlx::PgConnection::connect(&superuser_url(url))
        .await
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0);
        out.push((t.clone(), n));
    }
    conn.close().await.unwrap();
    out
}

/// `url`'s database, as the test server's superuser.
fn superuser_url(url: &str) -> String {
    let mut su = url::Url::parse(&std::env::var("RESETTLE_TEST_PG_URL").unwrap()).unwrap();
    su.set_path(url::Url::parse(url).unwrap().path());
    su.to_string()
}

/// Names unique to this test and process: logins are the server's, not the database's.
fn names(test: &str) -> (String, String, String) {
    let pid = std::process::id();
    (
        format!("{test}_owner_{pid}"),
        format!("{test}_boss_{pid}"),
        format!("{test}_cw_{pid}"),
    )
}

#[test]
#[ignore = "needs the test server: cargo xtask test's PostgreSQL step"]
fn a_file_office_from_init_moves_to_the_server_whole_and_works_on_there() {
    let dir = tempfile::tempdir().unwrap();
    let (owner, boss, cw) = names("mvwhole");
    let db = file_office(dir.path(), &boss, &cw);
    let d = db.to_str().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        common::pg_login(&boss).await;
        common::pg_login(&cw).await;
        common::pg_owned_database(&dir.path().join("server"), &owner).await
    });
    let as_owner = common::as_login(&server, &owner);
    let as_boss = common::as_login(&server, &boss);
    let as_cw = common::as_login(&server, &cw);

    let before = ok(&boss, &[&"--db", &d, &"audit", &"verify"]);
    let file_sha = std::fs::read(&db).unwrap();
    let moved = ok(&boss, &[&"migrate", &"--from", &d, &"--to", &as_owner]);
    assert_eq!(moved["moved"]["audit_entries"], before["entries"]);
    assert_eq!(moved["moved"]["head"], before["head"]);
    // The server's chain is the file's, with the move's own entry after it.
    let after = ok(&boss, &[&"--db", &as_boss, &"audit", &"verify"]);
    let n = before["entries"].as_u64().unwrap();
    assert_eq!(after["entries"].as_u64(), Some(n + 1));
    // The file is left as it was (its bytes: the move only reads it).
    assert_eq!(std::fs::read(&db).unwrap(), file_sha, "the file changed");

    runtime.block_on(async {
        // Table by table, the server holds what the file holds (checked here by the test's
        // own counts, not the command's): the server's settings add its grants' version,
        // its log the move's entry; the file's FTS5 shadow tables are not tables of data.
        let file = file_counts(&db).await;
        let tables: Vec<String> = file.iter().map(|(t, _)| t.clone()).collect();
        let here = server_counts(&server, &tables).await;
        for ((table, in_file), (_, on_server)) in file.iter().zip(&here) {
            let expected = match table.as_str() {
                "audit_log" | "settings" => in_file + 1,
                _ => *in_file,
            };
            assert_eq!(*on_server, expected, "{table}");
        }
        assert!(file.iter().any(|(t, n)| t == "cases" && *n == 2));

        // Link for link: each copied entry has the file's time, actor and hash.
        let mut f = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", db.display()))
            .await
            .unwrap();
        let mut s = sqlx::PgConnection::connect(&superuser_url(&server))
            .await
            .unwrap();
        let q =
            "SELECT seq, at, actor, action, subject, prev_hash, hash FROM audit_log ORDER BY seq";
        let in_file: Vec<(i64, String, String, String, String, String, String)> =
            sqlx::query_as(q).fetch_all(&mut f).await.unwrap();
        let on_server: Vec<(i64, String, String, String, String, String, String)> =
            sqlx::query_as(q).fetch_all(&mut s).await.unwrap();
        assert_eq!(on_server[..in_file.len()], in_file[..]);
        let last = on_server.last().unwrap();
        assert_eq!(
            last.2, owner,
            "the move is the owner's entry, stamped by the server"
        );
        assert_eq!(last.3, "database.moved_to_server");
        assert_eq!(
            last.5,
            in_file.last().unwrap().6,
            "chained to the file's head"
        );
        // The database keeps its identity, so laptops checked out from the file come home.
        let id_file: String =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'database_id'")
                .fetch_one(&mut f)
                .await
                .unwrap();
        let id_server: String =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'database_id'")
                .fetch_one(&mut s)
                .await
                .unwrap();
        assert_eq!(id_server, id_file);
        assert_eq!(moved["moved"]["database_id"], id_file.as_str());
        s.close().await.unwrap();
    });

    // What the office sees is the same on both sides.
    for args in [
        vec!["overview"],
        vec!["dashboard", "--today", "2026-06-01"],
        vec!["quota", "status", "--period", "2026"],
        vec!["keys", "show"],
    ] {
        let mut on_file: Vec<&dyn AsRef<OsStr>> = vec![&"--db", &d];
        let mut on_server: Vec<&dyn AsRef<OsStr>> = vec![&"--db", &as_boss];
        for a in &args {
            on_file.push(a);
            on_server.push(a);
        }
        assert_eq!(ok(&boss, &on_file), ok(&boss, &on_server), "{args:?}");
    }

    // Work goes on at the server, as the users' own logins: a new household gets new
    // numbers (the identity columns continue past the copied ones) and is found by search.
    let more = dir.path().join("more.csv");
    std::fs::write(&more, MORE).unwrap();
    ok(&cw, &[&"--db", &as_cw, &"import", &"submissions", &more]);
    let found = ok(&cw, &[&"--db", &as_cw, &"case", &"search", &"Halane"]);
    assert_eq!(found["total"], 1, "{found}");
    // The roles the file gave are the server's grants now: the caseworker's own login,
    // going round the app, may not make itself an administrator.
    let denied = refused(
        &cw,
        &[
            &"--db",
            &as_cw,
            &"user",
            &"add",
            &"someone",
            &"--role",
            &"caseworker",
        ],
    );
    assert_eq!(denied["code"], "forbidden");
    runtime.block_on(async {
        let mut c = sqlx::PgConnection::connect(&as_cw).await.unwrap();
        let e = sqlx::query("INSERT INTO user_roles (\"user\", role) VALUES ($1, 'administrator')")
            .bind(&cw)
            .execute(&mut c)
            .await
            .expect_err("a caseworker's login writes no role");
        assert_eq!(
            e.as_database_error().unwrap().code().as_deref(),
            Some("42501"),
            "{e}"
        );
        c.close().await.unwrap();
    });
    let verified = ok(&boss, &[&"--db", &as_boss, &"audit", &"verify"]);
    assert_eq!(verified["entries"].as_u64(), Some(n + 2));
}

#[test]
#[ignore = "needs the test server: cargo xtask test's PostgreSQL step"]
fn a_move_that_is_refused_leaves_the_server_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (owner, boss, cw) = names("mvrefuse");
    let db = file_office(dir.path(), &boss, &cw);
    let d = db.to_str().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        common::pg_login(&boss).await;
        common::pg_owned_database(&dir.path().join("server"), &owner).await
    });
    let as_owner = common::as_login(&server, &owner);
    let as_boss = common::as_login(&server, &boss);
    let data_tables: Vec<String> = ["users", "cases", "persons", "audit_log", "quota_periods"]
        .map(String::from)
        .to_vec();
    let empty: Vec<(String, i64)> = data_tables.iter().map(|t| (t.clone(), 0)).collect();
    let server_rows = || runtime.block_on(server_counts(&server, &data_tables));

    // The caseworker has no login on the server yet: named, and nothing copied.
    let r = refused(&boss, &[&"migrate", &"--from", &d, &"--to", &as_owner]);
    assert_eq!(r["code"], "move_logins_missing");
    assert_eq!(r["params"]["logins"], cw.as_str());
    assert_eq!(r["field"], "to");
    runtime.block_on(common::pg_login(&cw));
    // Connected as the owner (which sets the schema up), the server is still empty.
    assert_eq!(server_rows(), empty);

    // Only the owner moves a file in: a login the server lets connect (here by a grant
    // of IT's) is not enough.
    runtime.block_on(async {
        let mut s = sqlx::PgConnection::connect(&superuser_url(&server))
            .await
            .unwrap();
        let name: String = sqlx::query_scalar("SELECT CAST(current_database() AS TEXT)")
            .fetch_one(&mut s)
            .await
            .unwrap();
        sqlx::query(&format!("GRANT CONNECT ON DATABASE {name} TO \"{boss}\""))
            .execute(&mut s)
            .await
            .unwrap();
        s.close().await.unwrap();
    });
    let r = refused(&boss, &[&"migrate", &"--from", &d, &"--to", &as_boss]);
    assert_eq!(r["code"], "move_needs_owner", "{r}");
    assert_eq!(r["params"]["login"], boss.as_str());

    // Only an administrator of the file moves it.
    let r = refused(&cw, &[&"migrate", &"--from", &d, &"--to", &as_owner]);
    assert_eq!(r["code"], "forbidden", "{r}");

    // No such file: said, and no file made.
    let missing = dir.path().join("nowhere.db");
    let m = missing.to_str().unwrap();
    let r = refused(&boss, &[&"migrate", &"--from", &m, &"--to", &as_owner]);
    assert_eq!(r["code"], "file_access");
    assert!(!missing.exists());

    // A value SQLite let in and the server's types refuse: the table is named, the copy
    // so far rolled back (the audit stamp's trigger with it).
    let bad = dir.path().join("bad.db");
    std::fs::copy(&db, &bad).unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", bad.display()))
            .await
            .unwrap();
        sqlx::query("UPDATE persons SET date_of_birth = 'in the spring' WHERE given_name = 'Nuur'")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    let b = bad.to_str().unwrap();
    let r = refused(&boss, &[&"migrate", &"--from", &b, &"--to", &as_owner]);
    assert_eq!(r["code"], "move_copy_failed", "{r}");
    assert_eq!(r["params"]["table"], "persons");
    assert_eq!(server_rows(), empty);
    runtime.block_on(async {
        let mut s = sqlx::PgConnection::connect(&superuser_url(&server))
            .await
            .unwrap();
        let enabled: String = sqlx::query_scalar(
            "SELECT CAST(tgenabled AS TEXT) FROM pg_trigger WHERE tgname = 'audit_log_stamp'",
        )
        .fetch_one(&mut s)
        .await
        .unwrap();
        assert_eq!(enabled, "O", "the audit stamp is on again");
        s.close().await.unwrap();
    });

    // A file whose chain does not verify is not moved.
    let broken = dir.path().join("broken.db");
    std::fs::copy(&db, &broken).unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", broken.display()))
            .await
            .unwrap();
        for sql in [
            "DROP TRIGGER audit_log_no_update",
            "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        conn.close().await.unwrap();
    });
    let k = broken.to_str().unwrap();
    let r = refused(&boss, &[&"migrate", &"--from", &k, &"--to", &as_owner]);
    assert_eq!(r["code"], "move_source_broken");
    assert_eq!(r["params"]["seq"], "2");
    assert_eq!(server_rows(), empty);

    // The move itself, then a second one: refused, the database named, nothing changed.
    ok(&boss, &[&"migrate", &"--from", &d, &"--to", &as_owner]);
    let moved = server_rows();
    assert_ne!(moved, empty);
    let r = refused(&boss, &[&"migrate", &"--from", &d, &"--to", &as_owner]);
    assert_eq!(r["code"], "server_not_empty");
    assert!(
        r["params"]["rows"].as_str().unwrap().contains("audit_log"),
        "{r}"
    );
    assert_eq!(server_rows(), moved);
}
