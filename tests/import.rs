//! Importing submission files with the real `resettle` binary into real SQLite files.

use std::path::Path;
use std::process::{Command, Output};

use resettle::demo;
use resettle::import::write_csv;

fn resettle(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .env_remove("RESETTLE_DB")
        .output()
        .expect("run resettle")
}

/// The one audit entry of `init`: it registers its first user.
const FOUNDED: i64 = 1;

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

async fn counts(db: &Path) -> (i64, i64, i64) {
    let store = resettle::storage::SqliteStore::open(db).await.unwrap();
    let row: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM persons),
                (SELECT COUNT(*) FROM audit_log)",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    store.close().await;
    row
}

#[tokio::test]
async fn a_file_imports_once_and_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("i.db");
    assert!(resettle(&db, &["init"]).status.success());
    let data = demo::generate(7);
    let file = dir.path().join("submissions.csv");
    std::fs::write(
        &file,
        String::from_utf8(write_csv(&data.households)).unwrap(),
    )
    .unwrap();
    let persons: usize = data.households.iter().map(|h| h.members.len()).sum();
    let f = file.to_str().unwrap();

    let dry = resettle(&db, &["import", "submissions", f, "--dry-run"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stdout)
    );
    assert_eq!(json(&dry)["report"]["households"], data.households.len());
    assert_eq!(
        counts(&db).await,
        (0, 0, FOUNDED),
        "a dry run writes nothing"
    );

    let out = resettle(&db, &["import", "submissions", f]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = &json(&out)["report"];
    assert_eq!(report["households"], data.households.len());
    assert_eq!(report["persons"], persons);
    let after = counts(&db).await;
    assert_eq!(
        after,
        (data.households.len() as i64, persons as i64, FOUNDED + 1)
    );

    let again = resettle(&db, &["import", "submissions", f]);
    assert!(again.status.success());
    assert_eq!(json(&again)["report"]["households"], 0);
    assert_eq!(json(&again)["report"]["unchanged"], data.households.len());
    assert_eq!(counts(&db).await, after, "importing again changes nothing");
}

#[tokio::test]
async fn a_file_with_any_problem_imports_nothing_and_lists_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("i.db");
    assert!(resettle(&db, &["init"]).status.success());
    let data = demo::generate(8);
    let good = String::from_utf8(write_csv(&data.households)).unwrap();
    // Break row 3's date of birth and the last row's priority.
    let mut lines: Vec<String> = good.lines().map(str::to_owned).collect();
    let last = lines.len() - 1;
    lines[2] = lines[2].replacen(
        &data.households[0].members[1].date_of_birth.to_string(),
        "1990-02-31",
        1,
    );
    for p in ["emergency", "urgent", "normal"] {
        if lines[last].contains(&format!(",{p},")) {
            lines[last] = lines[last].replacen(&format!(",{p},"), ",soon,", 1);
        }
    }
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = resettle(&db, &["import", "submissions", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let answer = json(&out);
    assert_eq!(answer["ok"], false);
    let problems = answer["problems"].as_array().unwrap();
    let found: Vec<(u64, &str)> = problems
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&(3, "date_of_birth")), "{found:?}");
    assert!(found.contains(&(last as u64 + 1, "priority")), "{found:?}");
    assert_eq!(counts(&db).await, (0, 0, FOUNDED));

    // A case already imported, now with different data, is a problem, not an overwrite.
    let file = dir.path().join("good.csv");
    std::fs::write(&file, &good).unwrap();
    assert!(
        resettle(&db, &["import", "submissions", file.to_str().unwrap()])
            .status
            .success()
    );
    let before = counts(&db).await;
    let first = &data.households[0].members[0];
    let changed = good.replacen(&first.given_name, "Changed", 1);
    std::fs::write(&file, changed).unwrap();
    let out = resettle(&db, &["import", "submissions", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let problems = json(&out)["problems"].clone();
    assert_eq!(problems[0]["row"], 2);
    assert!(problems[0]["reason"]
        .as_str()
        .unwrap()
        .contains("already exists with different data"));
    assert_eq!(counts(&db).await, before);

    // An unknown mission.
    let out = resettle(
        &db,
        &[
            "import",
            "submissions",
            file.to_str().unwrap(),
            "--mission",
            "00000000-0000-0000-0000-000000000001",
        ],
    );
    assert!(!out.status.success());
    assert!(json(&out)["error"].as_str().unwrap().contains("no mission"));
}
