//! The command line's log: a file a day in the log folder, the oldest removed past
//! fourteen, and lines that name commands, operations and codes but never a person, a
//! passphrase or a key, even at the most verbose level. Real CLI runs on real files.

use std::path::Path;
use std::process::{Command, Output};

/// A family name no line of the log may hold: it is only ever a refugee's.
const MARKER: &str = "Qorvashindi";
const PASSPHRASE: &str = "a laptop passphrase the log never sees";

fn submissions() -> String {
    format!(
        "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient
KEN-26L00001,RRF-L1,principal,Zahra,{MARKER},F,1986-02-17,SOM,KEN,so,yes,11,nurse,diabetes {MARKER},LPN,,normal,2026-02-03,dossier,no
"
    )
}

fn resettle(logs: &Path, level: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .args(args)
        .env_remove("RESETTLE_DB")
        .env_remove("RESETTLE_PASSPHRASE")
        .env_remove("RESETTLE_AS")
        .env("USER", "boss")
        .env("RESETTLE_LOG_DIR", logs)
        .env("RESETTLE_LOG", level)
        .output()
        .expect("run resettle")
}

/// Every log file's text, by file name.
fn read_logs(logs: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(logs)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_log_names_commands_and_codes_and_never_a_person_or_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let db = dir.path().join("office.db");
    let d = db.to_str().unwrap();
    let csv = dir.path().join("submissions.csv");
    std::fs::write(&csv, submissions()).unwrap();
    let c = csv.to_str().unwrap();
    let laptop = dir.path().join("laptop.db");
    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, PASSPHRASE).unwrap();

    // The most verbose level a support call could ask for.
    for (args, success) in [
        (vec!["--db", d, "init"], true),
        (
            vec![
                "--db",
                d,
                "quota",
                "create-period",
                "--start-year",
                "2026",
                "--places",
                "1500",
            ],
            true,
        ),
        (vec!["--db", d, "import", "submissions", c], true),
        (vec!["--db", d, "--json", "case", "search", MARKER], true),
        (
            vec!["--db", d, "--json", "case", "show", "KEN-26L00001"],
            true,
        ),
        (vec!["--db", d, "case", "show", "KEN-26L09999"], false),
        (
            vec![
                "--db",
                laptop.to_str().unwrap(),
                "--passphrase-file",
                pass.to_str().unwrap(),
                "init",
                "--encrypted",
            ],
            true,
        ),
        (
            vec![
                "--db",
                laptop.to_str().unwrap(),
                "--passphrase-file",
                pass.to_str().unwrap(),
                "overview",
            ],
            true,
        ),
    ] {
        let out = resettle(&logs, "trace", &args);
        assert_eq!(
            out.status.success(),
            success,
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The screen did show the person (the log is what must not).
    let shown = resettle(
        &logs,
        "trace",
        &["--db", d, "--json", "case", "show", "KEN-26L00001"],
    );
    assert!(String::from_utf8_lossy(&shown.stdout).contains(MARKER));

    let files = read_logs(&logs);
    let today = chrono::Utc::now().format("%Y-%m-%d");
    assert_eq!(
        files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
        vec![format!("resettle-cli.{today}.log")]
    );
    let text = &files[0].1;
    for expected in [
        "command=\"import submissions\"",
        "command=\"case search\"",
        "op=\"import_submissions\"",
        "op=\"dossier\"",
        "code=\"no_such_case\"",
        "refused command=\"case show\"",
        "done command=\"init\"",
    ] {
        assert!(text.contains(expected), "the log lacks {expected}:\n{text}");
    }
    for secret in [
        MARKER,
        "Zahra",
        "1986-02-17",
        "diabetes",
        PASSPHRASE,
        "PRAGMA key",
        "KEN-26L09999",
    ] {
        assert!(!text.contains(secret), "the log holds {secret}:\n{text}");
    }
}

#[test]
fn the_log_keeps_fourteen_days_and_leaves_the_app_s_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    // Twenty earlier days of the command line's log, and the app's own files.
    for day in 1..=20 {
        std::fs::write(
            logs.join(format!("resettle-cli.2026-10-{day:02}.log")),
            "old\n",
        )
        .unwrap();
        std::fs::write(
            logs.join(format!("resettle-app.2026-10-{day:02}.log")),
            "old\n",
        )
        .unwrap();
    }
    let db = dir.path().join("office.db");
    let out = resettle(&logs, "info", &["--db", db.to_str().unwrap(), "init"]);
    assert!(out.status.success());
    let names: Vec<String> = read_logs(&logs).into_iter().map(|(n, _)| n).collect();
    let cli = names
        .iter()
        .filter(|n| n.starts_with("resettle-cli."))
        .count();
    let app = names
        .iter()
        .filter(|n| n.starts_with("resettle-app."))
        .count();
    assert_eq!(cli, 14, "{names:?}");
    assert_eq!(app, 20, "{names:?}");
    let today = chrono::Utc::now().format("%Y-%m-%d");
    assert!(names.contains(&format!("resettle-cli.{today}.log")));
}
