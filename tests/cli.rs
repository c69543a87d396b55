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

/// The quota commands' contract on a fresh database, as the README documents it.
#[test]
fn a_server_that_cannot_be_reached_is_reported_without_its_password() {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    let url = "postgres://office:hunter2@127.0.0.1:1/resettle";
    let out = resettle(&["--db", url, "overview"], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(stderr.contains("127.0.0.1:1"), "{stderr}");
    assert!(
        !stderr.contains("hunter2"),
        "the password is shown: {stderr}"
    );
    // The same through RESETTLE_DB, and a server gets no passphrase nor encryption.
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_resettle"));
    let out = cmd
        .args(["--json", "overview"])
        .env("RESETTLE_DB", url)
        .env("RESETTLE_PASSPHRASE", "a passphrase for no file at all")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["code"], "passphrase_for_server");
    let out = resettle(&["--db", url, "init", "--encrypted"], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--encrypted is for a laptop"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file made"
    );
}

#[test]
fn quota_commands_on_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let db = db.to_str().unwrap();
    let run = |args: &[&str]| resettle(&[&["--db", db], args].concat(), None);
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    ok(&[
        "quota",
        "create-period",
        "--start-year",
        "2026",
        "--places",
        "1500",
    ]);
    ok(&[
        "quota",
        "allocate",
        "--period",
        "2026",
        "--year",
        "2028",
        "--sub-quota",
        "geographical",
        "--places",
        "380",
        "--reason",
        "fewer missions in 2028",
    ]);
    let cap = run(&[
        "quota",
        "allocate",
        "--period",
        "2026",
        "--year",
        "2027",
        "--sub-quota",
        "geographical",
        "--places",
        "410",
        "--reason",
        "a second mission",
    ]);
    assert!(String::from_utf8_lossy(&cap.stderr).contains("above the annual cap of 500"));
    let decision = json(&ok(&[
        "--json",
        "quota",
        "exceptional",
        "--period",
        "2026",
        "--year",
        "2027",
        "--reason",
        "a sudden crisis",
    ]));
    let id = decision["id"].as_str().unwrap();
    ok(&[
        "quota",
        "allocate",
        "--period",
        "2026",
        "--year",
        "2027",
        "--sub-quota",
        "geographical",
        "--places",
        "410",
        "--reason",
        "a second mission",
        "--exceptional",
        id,
    ]);
    ok(&[
        "quota",
        "reallocate",
        "--period",
        "2026",
        "--year",
        "2026",
        "--from",
        "emergency_urgent",
        "--to",
        "geographical",
        "--places",
        "20",
        "--reason",
        "x",
    ]);
    ok(&["quota", "close-year", "--period", "2026", "--year", "2026"]);

    let status = json(&ok(&["quota", "status", "--period", "2026", "--json"]));
    assert_eq!(status["period"], 2026);
    assert_eq!(status["total_places"], 1500);
    let years = status["years"].as_array().unwrap();
    assert_eq!(years.len(), 3);
    assert_eq!(years[0]["year"], 2026);
    assert_eq!(years[0]["closed"], true);
    let geo26 = &years[0]["sub_quotas"][0];
    let keys: Vec<&str> = geo26
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "allocated",
            "available",
            "carried_in",
            "carried_out",
            "committed",
            "lapsed",
            "sub_quota",
            "used"
        ]
    );
    assert_eq!(geo26["sub_quota"], "geographical");
    assert_eq!(geo26["allocated"], 415);
    assert_eq!(geo26["carried_out"], 415);
    assert_eq!(geo26["available"], 0);
    let geo27 = &years[1]["sub_quotas"][0];
    assert_eq!(
        (geo27["allocated"].as_u64(), geo27["carried_in"].as_u64()),
        (Some(410), Some(415))
    );
    assert_eq!(geo27["available"], 825);

    // A refusal: non-zero exit, the reason on stderr, nothing changed.
    let refused = run(&[
        "quota",
        "allocate",
        "--period",
        "2026",
        "--year",
        "2027",
        "--sub-quota",
        "medical",
        "--places",
        "40",
        "--reason",
        "x",
    ]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("10 more than its 1500 places"), "{stderr}");
    let again = json(&ok(&["quota", "status", "--period", "2026", "--json"]));
    assert_eq!(again, status);
    let closed = run(&[
        "quota",
        "close-year",
        "--period",
        "2026",
        "--year",
        "2026",
        "--json",
    ]);
    assert!(!closed.status.success());
    assert!(json(&closed)["error"]
        .as_str()
        .unwrap()
        .contains("2026 is closed"));

    let text = String::from_utf8(ok(&["quota", "status", "--period", "2026"]).stdout).unwrap();
    assert!(
        text.contains("2026 (closed)") && text.contains("geographical"),
        "{text}"
    );
}

#[test]
fn deadlines_of_the_demo_cases() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let db = db.to_str().unwrap();
    assert!(resettle(&["--db", db, "demo-data"], None).status.success());
    let out = resettle(
        &[
            "--db",
            db,
            "--json",
            "quota",
            "deadlines",
            "--today",
            "2026-11-16",
        ],
        None,
    );
    assert!(out.status.success());
    let list = json(&out);
    let list = list.as_array().unwrap();
    assert!(list.len() > 100);
    let days: Vec<i64> = list
        .iter()
        .map(|d| d["days_left"].as_i64().unwrap())
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]));
    for d in list {
        let expected = if d["days_left"].as_i64().unwrap() < 0 {
            "overdue"
        } else {
            ""
        };
        if !expected.is_empty() {
            assert_eq!(d["status"], expected);
        }
        assert!(["on_track", "at_risk", "overdue"].contains(&d["status"].as_str().unwrap()));
    }
}

/// A script that reads only the start of the output (`resettle ... | head`) closes the
/// pipe; the command then ends as other Unix tools do, by SIGPIPE: no panic, no message.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pipe.db");
    assert!(resettle(&["--db", db.to_str().unwrap(), "demo-data"], None)
        .status
        .success());
    for args in [
        &["--json", "quota", "deadlines", "--all"][..],
        &["quota", "deadlines", "--all"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_resettle"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the command has opened its database, so its
        // first line meets a closed pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGPIPE),
            "{args:?}: {:?}, {stderr}",
            out.status
        );
        assert!(stderr.is_empty(), "{args:?} said: {stderr}");
    }
}
