//! `resettle keys` and `resettle mission checkout|receive|return|checkin|conflicts|resolve`
//! with the real binary: an office database checks a mission out to an encrypted laptop
//! database; the file holds no personal data in the clear, the laptop receives it once, and
//! the office cannot read it. The laptop's return comes back with a deliberate conflict,
//! which waits for a quota manager and is resolved side by side.
//!
//! The office is a file, or, when `RESETTLE_TEST_STORE=postgres` (`cargo xtask test`'s
//! PostgreSQL step), a database on the server (`--db postgres://...`); the laptop is always
//! an encrypted file.

mod common;

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const PASSPHRASE: &str = "the laptop's passphrase, for the test";

/// The office's users, who on the server are its logins (boss owns the database).
const OFFICE_LOGINS: &[&str] = &["boss", "cw"];

fn run(login: &str, db: &OsStr, laptop: bool, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_resettle"));
    // On the server, who acts is the login, not USER.
    let db: OsString = match db.to_str() {
        Some(url) if url.starts_with("postgres://") => common::as_login(url, login).into(),
        _ => db.to_owned(),
    };
    cmd.arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .env_remove("RESETTLE_DB")
        .env_remove("USERNAME")
        .env_remove("LOGNAME")
        .env("USER", login);
    if laptop {
        cmd.env("RESETTLE_PASSPHRASE", PASSPHRASE);
    } else {
        cmd.env_remove("RESETTLE_PASSPHRASE");
    }
    cmd.output().expect("run resettle")
}

fn ok(login: &str, db: &OsStr, laptop: bool, args: &[&str]) -> Value {
    let out = run(login, db, laptop, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// An office database with the demo data and its bundle key (as boss), and an encrypted
/// laptop database with its own (as kim): the folder, both paths, the laptop's public key.
fn office_and_laptop() -> (tempfile::TempDir, OsString, OsString, String) {
    let dir = tempfile::tempdir().unwrap();
    let office = office_db(&dir.path().join("office.db"));
    let laptop = dir.path().join("laptop.db").into_os_string();
    ok("boss", &office, false, &["demo-data"]);
    ok("boss", &office, false, &["keys", "init"]);
    ok("kim", &laptop, true, &["init", "--encrypted"]);
    let key = ok("kim", &laptop, true, &["keys", "init"])["recipient"]
        .as_str()
        .unwrap()
        .to_owned();
    (dir, office, laptop, key)
}

/// The office's database: the file at `path`, or the server's database for it.
fn office_db(path: &Path) -> OsString {
    if common::backend() == "postgres" {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime
            .block_on(async {
                for login in OFFICE_LOGINS {
                    common::pg_login(login).await;
                }
                common::pg_owned_database(path, OFFICE_LOGINS[0]).await
            })
            .into()
    } else {
        path.as_os_str().to_owned()
    }
}

/// What a refused command must leave as it was: the file's bytes, or on the server the
/// row count of every table.
fn footprint(office: &OsStr) -> Vec<u8> {
    let location = office.to_string_lossy();
    if !location.starts_with("postgres://") {
        return std::fs::read(office).unwrap();
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&location).await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let mut counts = String::new();
        for table in tables {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&mut conn)
                .await
                .unwrap();
            counts.push_str(&format!("{table}={n}\n"));
        }
        counts.into_bytes()
    })
}

#[test]
fn a_mission_is_checked_out_to_a_laptop_and_received_once() {
    let (dir, office, laptop, key) = office_and_laptop();
    assert!(key.starts_with("age1"), "{key}");
    assert_eq!(
        ok("kim", &laptop, true, &["keys", "show"])["recipient"],
        key
    );

    let missions = ok("boss", &office, false, &["mission", "list"]);
    let mission = missions[0]["id"].as_str().unwrap().to_owned();
    let file = dir.path().join("mission.age");
    let f = file.to_str().unwrap();
    let out = ok(
        "boss",
        &office,
        false,
        &["mission", "checkout", &mission, "--to", &key, "--out", f],
    );
    let households = out["households"].as_u64().unwrap();
    assert!(households > 0);
    assert!(!dir.path().join("mission.age.partial").exists());

    // Nothing of the mission's cases is readable in the file.
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    let cases = ok(
        "boss",
        &office,
        false,
        &["case", "search", "--mission", &mission],
    );
    let rows = cases["rows"].as_array().unwrap();
    assert_eq!(rows.len() as u64, households);
    for row in rows {
        for field in ["unhcr_case_no", "principal"] {
            let text = row[field].as_str().expect(field);
            assert!(
                !bytes.windows(text.len()).any(|w| w == text.as_bytes()),
                "{text} is in the bundle"
            );
        }
    }

    // The office cannot read its own bundle back.
    let refused = run("boss", &office, false, &["mission", "receive", f]);
    assert_eq!(refused.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(answer["code"], "bundle_not_for_us");

    let got = ok("kim", &laptop, true, &["mission", "receive", f]);
    assert_eq!(got["received"]["households"].as_u64().unwrap(), households);
    let again = ok("kim", &laptop, true, &["mission", "receive", f]);
    assert_eq!(again["received"]["already_received"], true);
    let overview = ok("kim", &laptop, true, &["overview"]);
    assert_eq!(overview["households"].as_u64().unwrap(), households);
    assert_eq!(overview["missions"], 1);

    // A checkout by someone who is not a quota manager is refused and writes no file.
    ok(
        "boss",
        &office,
        false,
        &["user", "add", "cw", "--role", "caseworker"],
    );
    let other = dir.path().join("other.age");
    let refused = run(
        "cw",
        &office,
        false,
        &[
            "mission",
            "checkout",
            &mission,
            "--to",
            &key,
            "--out",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(!other.exists());
}

#[test]
fn a_return_comes_back_with_a_conflict_that_a_quota_manager_resolves() {
    let (dir, office, laptop, key) = office_and_laptop();
    let mission = ok("boss", &office, false, &["mission", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = dir.path().join("out.age");
    let back = dir.path().join("back.age");
    let (out_f, back_f) = (out.to_str().unwrap(), back.to_str().unwrap());
    ok(
        "boss",
        &office,
        false,
        &[
            "mission", "checkout", &mission, "--to", &key, "--out", out_f,
        ],
    );
    // The office has nothing to return: it received no check-out.
    let refused = run(
        "boss",
        &office,
        false,
        &["mission", "return", &mission, "--out", back_f],
    );
    assert_eq!(refused.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(answer["code"], "no_checkout");
    assert!(!back.exists());
    ok("kim", &laptop, true, &["mission", "receive", out_f]);

    let cases = ok(
        "boss",
        &office,
        false,
        &["case", "search", "--mission", &mission],
    );
    let rows = cases["rows"].as_array().unwrap();
    let (a, b) = (
        rows[0]["unhcr_case_no"].as_str().unwrap(),
        rows[1]["unhcr_case_no"].as_str().unwrap(),
    );
    // Both sides record member 1's needs of case a, differently; the laptop alone b's.
    let needs = |login: &str, db: &OsStr, laptop: bool, case: &str, text: &str| {
        ok(
            login,
            db,
            laptop,
            &["case", "needs", case, "--member", "1", "--needs", text],
        );
    };
    needs("boss", &office, false, a, "uses a wheelchair");
    needs("kim", &laptop, true, a, "dialysis twice a week");
    needs("kim", &laptop, true, b, "asthma inhaler");
    let made = ok(
        "kim",
        &laptop,
        true,
        &["mission", "return", &mission, "--out", back_f],
    );
    assert_eq!(made["households"].as_u64(), Some(rows.len() as u64));
    let bytes = std::fs::read(&back).unwrap();
    for text in ["dialysis", a] {
        assert!(
            !bytes.windows(text.len()).any(|w| w == text.as_bytes()),
            "{text} is readable in the return"
        );
    }
    // The laptop cannot read its own return; a caseworker at the office cannot check in.
    let refused = run("kim", &laptop, true, &["mission", "checkin", back_f]);
    let answer: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(answer["code"], "bundle_not_for_us");
    ok(
        "boss",
        &office,
        false,
        &["user", "add", "cw", "--role", "caseworker"],
    );
    let before = footprint(&office);
    let refused = run("cw", &office, false, &["mission", "checkin", back_f]);
    assert_eq!(refused.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(answer["code"], "forbidden");
    assert!(footprint(&office) == before, "nothing written");

    let done = ok("boss", &office, false, &["mission", "checkin", back_f]);
    assert_eq!(done["checked_in"]["fields_taken"], 1, "{done}");
    assert_eq!(done["checked_in"]["conflicts"], 1, "{done}");
    let again = ok("boss", &office, false, &["mission", "checkin", back_f]);
    assert_eq!(again["checked_in"]["already_checked_in"], true);

    let member_needs = |case: &str| {
        ok("boss", &office, false, &["case", "show", case])["household"]["members"][0]
            ["special_needs"]
            .clone()
    };
    assert_eq!(member_needs(b), "asthma inhaler");
    assert_eq!(
        member_needs(a),
        "uses a wheelchair",
        "not settled by itself"
    );
    let open = ok("boss", &office, false, &["mission", "conflicts"]);
    let list = open["conflicts"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{open}");
    let c = &list[0];
    assert_eq!(c["case_no"], a);
    assert_eq!(c["kind"], "medical_needs");
    let side = |name: &str| {
        c[name]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["field"] == "special_needs")
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(side("office"), "uses a wheelchair");
    assert_eq!(side("laptop"), "dialysis twice a week");
    let id = c["id"].as_str().unwrap();
    let bad = run(
        "boss",
        &office,
        false,
        &["mission", "resolve", id, "--take", "both"],
    );
    assert_eq!(bad.status.code(), Some(2), "a clap error");
    ok(
        "boss",
        &office,
        false,
        &["mission", "resolve", id, "--take", "laptop"],
    );
    assert_eq!(member_needs(a), "dialysis twice a week");
    let open = ok("boss", &office, false, &["mission", "conflicts"]);
    assert_eq!(open["conflicts"].as_array().unwrap().len(), 0);
    let all = ok("boss", &office, false, &["mission", "conflicts", "--all"]);
    assert_eq!(all["conflicts"][0]["resolution"], "laptop");
    assert_eq!(all["conflicts"][0]["resolved_by"], "boss");
    assert_eq!(ok("boss", &office, false, &["audit", "verify"])["ok"], true);
}

/// The laptop's copy is erased with the office's receipt, and only then: a receipt for an
/// earlier return (field work since), a receipt altered by hand, and a release without a
/// check-out are refused with nothing erased; the right receipt erases every household
/// of the mission through the erasure path, the office keeps everything, and the laptop
/// can no longer send a return.
#[test]
fn a_laptop_erases_its_copy_with_the_office_s_receipt_for_its_last_return() {
    let (dir, office, laptop, key) = office_and_laptop();
    let mission = ok("boss", &office, false, &["mission", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    ok(
        "boss",
        &office,
        false,
        &[
            "mission",
            "checkout",
            &mission,
            "--to",
            &key,
            "--out",
            &file("out.age"),
        ],
    );
    // Before it has received anything, the laptop has nothing to release.
    ok(
        "kim",
        &laptop,
        true,
        &["mission", "receive", &file("out.age")],
    );
    let rows = ok(
        "kim",
        &laptop,
        true,
        &["case", "search", "--mission", &mission],
    )["rows"]
        .as_array()
        .unwrap()
        .clone();
    let case = rows[0]["unhcr_case_no"].as_str().unwrap().to_owned();
    let principal = rows[0]["principal"].as_str().unwrap().to_owned();
    let needs = |text: &str| {
        ok(
            "kim",
            &laptop,
            true,
            &["case", "needs", &case, "--member", "1", "--needs", text],
        );
    };
    needs("FIELD-MARK insulin");
    ok(
        "kim",
        &laptop,
        true,
        &["mission", "return", &mission, "--out", &file("back-1.age")],
    );
    // More field work after the first return.
    needs("FIELD-MARK insulin and a wheelchair");
    let first = ok(
        "boss",
        &office,
        false,
        &[
            "mission",
            "checkin",
            &file("back-1.age"),
            "--receipt",
            &file("receipt-1.json"),
        ],
    );
    assert_eq!(first["receipt"], file("receipt-1.json"));
    let refused = |receipt: &str| -> Value {
        let out = run("kim", &laptop, true, &["mission", "release", receipt]);
        assert_eq!(out.status.code(), Some(1), "{receipt}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let stale = refused(&file("receipt-1.json"));
    assert_eq!(
        (&stale["code"], &stale["field"]),
        (&"checkin_receipt_stale".into(), &"receipt".into()),
        "{stale}"
    );
    // The second return carries it all; its receipt, altered, is not the office's.
    ok(
        "kim",
        &laptop,
        true,
        &["mission", "return", &mission, "--out", &file("back-2.age")],
    );
    ok(
        "boss",
        &office,
        false,
        &[
            "mission",
            "checkin",
            &file("back-2.age"),
            "--receipt",
            &file("receipt-2.json"),
        ],
    );
    let mut altered: Value =
        serde_json::from_slice(&std::fs::read(file("receipt-2.json")).unwrap()).unwrap();
    altered["households"] = (rows.len() as u64 + 1).into();
    std::fs::write(file("altered.json"), altered.to_string()).unwrap();
    let other = refused(&file("altered.json"));
    assert_eq!(other["code"], "checkin_receipt_other", "{other}");
    let shown = ok("kim", &laptop, true, &["case", "show", &case]);
    assert_eq!(
        shown["household"]["members"][0]["special_needs"], "FIELD-MARK insulin and a wheelchair",
        "nothing was erased by a refused release"
    );

    let released = ok(
        "kim",
        &laptop,
        true,
        &["mission", "release", &file("receipt-2.json")],
    );
    assert_eq!(
        released["released"]["households"].as_u64(),
        Some(rows.len() as u64)
    );
    // Tombstones on the laptop: the case numbers stay, the names and needs are gone.
    let shown = ok("kim", &laptop, true, &["case", "show", &case]);
    let member = &shown["household"]["members"][0];
    assert_eq!(member["given_name"], "—", "{shown}");
    assert_ne!(
        member["special_needs"],
        "FIELD-MARK insulin and a wheelchair"
    );
    let found = ok("kim", &laptop, true, &["case", "search", &principal]);
    assert_eq!(found["total"], 0, "{found}");
    assert_eq!(
        ok("kim", &laptop, true, &["audit", "verify"])["ok"],
        true,
        "the laptop's audit chain holds"
    );
    // Nothing is left to return; the office still has it all.
    let out = run(
        "kim",
        &laptop,
        true,
        &["mission", "return", &mission, "--out", &file("back-3.age")],
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["code"], "field_copy_released", "{answer}");
    assert!(!dir.path().join("back-3.age").exists());
    let again = refused(&file("receipt-2.json"));
    assert_eq!(again["code"], "field_copy_released", "{again}");
    // (The first return's needs were taken; the second's wait in the conflict queue,
    // since the office's value is no longer the check-out's.)
    let office_case = ok("boss", &office, false, &["case", "show", &case]);
    assert_eq!(
        office_case["household"]["members"][0]["special_needs"],
        "FIELD-MARK insulin"
    );
    let open = ok("boss", &office, false, &["mission", "conflicts"]);
    assert!(
        open.to_string()
            .contains("FIELD-MARK insulin and a wheelchair"),
        "{open}"
    );
}
