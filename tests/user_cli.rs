//! `resettle user ...` and the roles behind every command, with the real binary on a real
//! SQLite file: the login (USER) decides what a command may do, and a refusal exits 1 with
//! its code and changes nothing.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run_as(login: &str, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .env_remove("RESETTLE_DB")
        .env_remove("USERNAME")
        .env_remove("LOGNAME")
        .env("USER", login)
        .output()
        .expect("run resettle")
}

fn ok(login: &str, db: &Path, args: &[&str]) -> Value {
    let out = run_as(login, db, args);
    assert!(
        out.status.success(),
        "{login} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn refused(login: &str, db: &Path, args: &[&str]) -> Value {
    let out = run_as(login, db, args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{login} {args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn bytes(db: &Path) -> Vec<u8> {
    // A checkpointed file: every command closes the store with a TRUNCATE checkpoint.
    std::fs::read(db).unwrap()
}

const PERIOD: &[&str] = &[
    "quota",
    "create-period",
    "--start-year",
    "2026",
    "--places",
    "1500",
];

#[test]
fn the_login_decides_what_a_command_may_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("u.db");

    let init = ok("boss", &db, &["init"]);
    assert_eq!(init["first_user"], "boss");
    let me = ok("boss", &db, &["user", "whoami"]);
    assert_eq!(
        me["users"][0]["roles"],
        serde_json::json!(["caseworker", "quota_manager", "administrator"])
    );
    assert_eq!(me["users"][0]["export"], true);
    // A second init claims nothing.
    assert!(ok("other", &db, &["init"])["first_user"].is_null());

    ok("boss", &db, &["user", "add", "kim", "--role", "caseworker"]);
    let before = bytes(&db);
    let no = refused("kim", &db, PERIOD);
    assert_eq!(no["code"], "forbidden");
    assert_eq!(no["params"]["role"], "quota_manager");
    assert_eq!(
        no["error"],
        "kim may not change the quota's allocations: that needs the quota manager role"
    );
    let no = refused("kim", &db, &["user", "add", "bo", "--role", "caseworker"]);
    assert_eq!(no["code"], "forbidden");
    let no = refused("stranger", &db, PERIOD);
    assert_eq!(no["code"], "unknown_user");
    assert_eq!(bytes(&db), before, "refusals change nothing");

    // Given the role, kim may; deactivated, kim may do nothing; the list shows both.
    ok(
        "boss",
        &db,
        &["user", "set", "kim", "--role", "quota_manager"],
    );
    ok("kim", &db, PERIOD);
    ok("boss", &db, &["user", "set", "kim", "--deactivate"]);
    let no = refused("kim", &db, &["case", "search"]);
    assert_eq!(no["code"], "inactive_user");
    let list = ok("kim", &db, &["user", "list"]);
    let names: Vec<&str> = list["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["boss", "kim"]);
    assert_eq!(list["users"][1]["active"], false);

    // The last administrator cannot step down.
    let no = refused(
        "boss",
        &db,
        &["user", "set", "boss", "--role", "caseworker"],
    );
    assert_eq!(no["code"], "last_administrator");
    assert_eq!(no["field"], "user");

    let unknown_role = run_as("boss", &db, &["user", "add", "bo", "--role", "minister"]);
    assert!(!unknown_role.status.success());
    assert!(String::from_utf8_lossy(&unknown_role.stderr).contains("minister"));
}

#[test]
fn a_database_without_users_refuses_work_until_init() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    // A database from before users existed: the schema is current, nobody is registered.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = resettle::storage::SqliteStore::open(&db).await.unwrap();
        store.close().await;
    });
    let no = refused("ane", &db, PERIOD);
    assert_eq!(no["code"], "no_users");
    assert!(no["error"].as_str().unwrap().contains("resettle init"));
    assert_eq!(ok("ane", &db, &["init"])["first_user"], "ane");
    ok("ane", &db, PERIOD);
}
