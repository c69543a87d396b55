//! `resettle keys` and `resettle mission checkout|receive` with the real binary: an office
//! database checks a mission out to an encrypted laptop database; the file holds no
//! personal data in the clear, the laptop receives it once, and the office cannot read it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const PASSPHRASE: &str = "the laptop's passphrase, for the test";

fn run(login: &str, db: &Path, laptop: bool, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_resettle"));
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

fn ok(login: &str, db: &Path, laptop: bool, args: &[&str]) -> Value {
    let out = run(login, db, laptop, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn a_mission_is_checked_out_to_a_laptop_and_received_once() {
    let dir = tempfile::tempdir().unwrap();
    let office = dir.path().join("office.db");
    let laptop = dir.path().join("laptop.db");
    ok("boss", &office, false, &["demo-data"]);
    ok("boss", &office, false, &["keys", "init"]);
    ok("kim", &laptop, true, &["init", "--encrypted"]);
    let key = ok("kim", &laptop, true, &["keys", "init"])["recipient"]
        .as_str()
        .unwrap()
        .to_owned();
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
