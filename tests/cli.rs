//! The `resettle` binary, run as a user or a script would run it.

use std::process::{Command, Output};

fn resettle(args: &[&str], env_db: Option<&std::path::Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_resettle"));
    cmd.args(args).env_remove("RESETTLE_DB");
    if let Some(db) = env_db {
        cmd.env("RESETTLE_DB", db);
    }
    cmd.output().expect("run resettle")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn init_then_demo_data_then_overview_with_db_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let db = db.to_str().unwrap();
    let out = resettle(&["--db", db, "init", "--json"], None);
    assert!(out.status.success());
    assert_eq!(json(&out)["ok"], true);
    let out = resettle(&["--db", db, "demo-data", "--json"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let seeded = json(&out);
    let out = resettle(&["--json", "--db", db, "overview"], None);
    let overview = json(&out);
    assert_eq!(overview["households"], seeded["households"]);
    assert_eq!(overview["persons"], seeded["persons"]);
    assert_eq!(overview["missions"], 3);
}

#[test]
fn resettle_db_points_at_another_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.db");
    let out = resettle(&["demo-data", "--seed", "5"], Some(&db));
    assert!(out.status.success());
    assert!(db.exists());
    // --db wins over the environment.
    let other = dir.path().join("other.db");
    let out = resettle(
        &["--db", other.to_str().unwrap(), "--json", "overview"],
        Some(&db),
    );
    assert_eq!(json(&out)["households"], 0);
}

#[test]
fn seeding_twice_fails_with_a_clear_message_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("twice.db");
    assert!(resettle(&["demo-data"], Some(&db)).status.success());
    let out = resettle(&["demo-data"], Some(&db));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("already holds data"), "{stderr}");
    let out = resettle(&["demo-data", "--json"], Some(&db));
    assert_eq!(json(&out)["ok"], false);
}

#[test]
fn a_database_that_cannot_be_opened_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the file should be.
    let out = resettle(&["--db", dir.path().to_str().unwrap(), "overview"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open the database"));
}
