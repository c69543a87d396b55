//! `resettle placement solve` with the real binary: the documented example, the greedy
//! baseline, an infeasible batch explained with a non-zero exit, and a refused file.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn solve(dir: &Path, instance: &str, args: &[&str]) -> Output {
    let input = dir.join("instance.json");
    std::fs::write(&input, instance).unwrap();
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .args(["placement", "solve", "--input"])
        .arg(&input)
        .args(args)
        .output()
        .expect("run resettle")
}

const EXAMPLE: &str = r#"{"municipalities": [{"code": "101", "quota": 12, "capacities": {"wheelchair": 1, "specialist_care": 2}}, {"code": "147", "quota": 6}],
 "households": [{"id": "H1", "size": 4, "needs": ["wheelchair"], "link_group": "L1"}, {"id": "H2", "size": 3, "link_group": "L1"}, {"id": "H3", "size": 5}],
 "scores": {"H1": {"101": 3.5, "147": 1}, "H2": {"101": 1, "147": 2}, "H3": {"101": 0.5, "147": 2.5}}}"#;

#[test]
fn the_documented_example_is_solved_and_written() {
    let dir = tempfile::tempdir().unwrap();
    let plan_file = dir.path().join("plan.json");
    let out = solve(
        dir.path(),
        EXAMPLE,
        &["--output", plan_file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(&plan_file).unwrap()).unwrap();
    let place = |h: &str| {
        plan["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["household"] == h)
            .unwrap()["municipality"]
            .clone()
    };
    assert_eq!(
        (place("H1"), place("H2"), place("H3")),
        ("101".into(), "101".into(), "147".into())
    );
    assert_eq!(plan["objective"], 7.0);
    assert_eq!(plan["bound"], 7.0);
    assert_eq!(plan["gap"], 0.0);
    assert_eq!(plan["proven_optimal"], true);
    assert!(plan["assignments"][0]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("scores 4.5 here"));

    let greedy = solve(dir.path(), EXAMPLE, &["--method", "greedy"]);
    assert!(greedy.status.success());
    let greedy: Value = serde_json::from_slice(&greedy.stdout).unwrap();
    assert_eq!(greedy["objective"], 7.0);
}

#[test]
fn an_infeasible_batch_is_explained_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = solve(
        dir.path(),
        r#"{"municipalities": [{"code": "101", "quota": 5}, {"code": "147", "quota": 3, "capacities": {"wheelchair": 1}}],
            "households": [{"id": "H1", "size": 4, "needs": ["wheelchair"]}, {"id": "H2", "size": 3}]}"#,
        &[],
    );
    assert!(!out.status.success());
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["infeasible"], true);
    let why: Vec<&str> = answer["why"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        why.iter().any(|w| w
            .starts_with("household H1 (4 persons, needs wheelchair) cannot be placed anywhere")),
        "{why:?}"
    );
}

#[test]
fn a_missing_score_is_refused_before_solving() {
    let dir = tempfile::tempdir().unwrap();
    let broken = EXAMPLE.replace(r#""H3": {"101": 0.5, "147": 2.5}"#, r#""H3": {"101": 0.5}"#);
    let out = solve(dir.path(), &broken, &[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no score for household H3 in municipality 147"),
        "{stderr}"
    );
}

fn resettle(db: &Path, args: &[&str]) -> (bool, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_resettle"))
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .output()
        .expect("run resettle");
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), value)
}

#[test]
fn a_batch_on_the_database_is_proposed_listed_and_explained_when_it_cannot_be() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert!(resettle(&db, &["demo-data"]).0);
    let (ok, quotas) = resettle(&db, &["municipality", "quotas", "--year", "2026"]);
    assert!(ok);
    assert_eq!(quotas["synthetic_inputs"], true);
    assert_eq!(quotas["municipalities"].as_array().unwrap().len(), 98);

    // A key-inputs file with a problem is refused whole, each problem with its line.
    let bad = dir.path().join("inputs.csv");
    std::fs::write(
        &bad,
        "code,population,non_western,reunified\n101,100,200,0\n",
    )
    .unwrap();
    let (ok, refused) = resettle(
        &db,
        &[
            "municipality",
            "key-inputs",
            "--year",
            "2027",
            bad.to_str().unwrap(),
        ],
    );
    assert!(!ok);
    assert!(refused["problems"][0].as_str().unwrap().contains("line 2"));

    // Too few places in 2026: the reasons, a non-zero exit, nothing saved.
    let (ok, _) = resettle(
        &db,
        &[
            "municipality",
            "compute-quotas",
            "--year",
            "2026",
            "--national",
            "8",
            "--exempt",
            "825:860",
        ],
    );
    assert!(ok);
    let (ok, infeasible) = resettle(
        &db,
        &[
            "placement",
            "propose",
            "--batch",
            "accepted",
            "--year",
            "2026",
        ],
    );
    assert!(!ok);
    assert_eq!(infeasible["infeasible"], true);
    assert!(!infeasible["why"].as_array().unwrap().is_empty());
    assert!(resettle(&db, &["placement", "list"]).1["proposals"]
        .as_array()
        .unwrap()
        .is_empty());

    // With the national number of 600 the batch is placed.
    resettle(
        &db,
        &[
            "municipality",
            "compute-quotas",
            "--year",
            "2026",
            "--national",
            "600",
            "--exempt",
            "825:860",
        ],
    );
    let (ok, proposed) = resettle(
        &db,
        &[
            "placement",
            "propose",
            "--batch",
            "accepted",
            "--year",
            "2026",
        ],
    );
    assert!(ok, "{proposed}");
    let proposals = proposed["proposed"]["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 12);
    let listed = resettle(&db, &["placement", "list", "--year", "2026"]).1;
    assert_eq!(listed["proposals"].as_array().unwrap().len(), 12);
    let case = proposals[0]["case_no"].as_str().unwrap();
    let (ok, moved) = resettle(&db, &["placement", "move", case, "--municipality", "101"]);
    assert!(!ok);
    assert_eq!(moved["code"], "over_quota");
    assert_eq!(moved["field"], "override_reason");
    let (ok, declined) = resettle(
        &db,
        &["placement", "decline", case, "--reason", "no housing"],
    );
    assert!(ok);
    assert_eq!(declined["proposal"]["status"], "declined");
    let pool = resettle(&db, &["placement", "pool"]).1;
    assert_eq!(pool["pool"][0]["case_no"], case);
}

/// A batch of one household that myopic solving puts where the year's next, larger
/// household alone fits (101); with the forecast it goes to 147 and says why.
const BATCH: &str = r#"{"municipalities": [{"code": "101", "quota": 4}, {"code": "147", "quota": 3}],
 "households": [{"id": "H1", "size": 2, "wishes": [{"municipality": "101", "reason": "relatives"}]}],
 "scores": {"H1": {"101": 5, "147": 4}}}"#;
const FUTURE: &str =
    r#"{"households": [{"id": "F1", "size": 4}], "scores": {"F1": {"101": 1, "147": 1}}}"#;

#[test]
fn a_forecast_keeps_the_places_the_rest_of_the_year_needs() {
    let dir = tempfile::tempdir().unwrap();
    let future = dir.path().join("future.json");
    std::fs::write(&future, FUTURE).unwrap();
    let myopic = solve(dir.path(), BATCH, &[]);
    assert!(myopic.status.success());
    let myopic: Value = serde_json::from_slice(&myopic.stdout).unwrap();
    assert_eq!(myopic["assignments"][0]["municipality"], "101");
    assert!(myopic.get("forecast").is_none());

    let out = solve(dir.path(), BATCH, &["--forecast", future.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let h1 = &plan["assignments"][0];
    assert_eq!(h1["municipality"], "147");
    let reasons: Vec<&str> = h1["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons[0].contains("worth more to the households still expected this year"),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(
            &"wish 1 (101, relatives) not chosen: the plan as a whole scores more this way"
        ),
        "{reasons:?}"
    );
    assert_eq!(plan["forecast"]["unplaced_persons"], 0.0);
    assert_eq!(plan["forecast"]["places_left"], 5);

    // A bad sample is refused before solving, naming the scenario and the household.
    std::fs::write(
        &future,
        r#"{"scenarios": [{"households": [{"id": "F1", "size": 0}]}]}"#,
    )
    .unwrap();
    let out = solve(dir.path(), BATCH, &["--forecast", future.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("forecast scenario 1: household F1 has no persons"),
        "{err}"
    );
}

#[test]
fn a_job_offer_places_its_household_above_the_quota_and_the_overrun_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let instance = r#"{"municipalities": [{"code": "101", "quota": 1}, {"code": "147", "quota": 9}],
      "households": [{"id": "H1", "size": 3, "job_offer": "101"}, {"id": "H2", "size": 2}],
      "scores": {"H1": {"101": 0, "147": 9}, "H2": {"101": 9, "147": 1}}}"#;
    for method in ["optimal", "greedy"] {
        let out = solve(dir.path(), instance, &["--method", method]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(plan["assignments"][0]["municipality"], "101", "{method}");
        assert_eq!(plan["assignments"][1]["municipality"], "147", "{method}");
        assert_eq!(plan["overruns"][0]["municipality"], "101");
        assert_eq!(plan["overruns"][0]["over_quota"], 2);
        assert_eq!(plan["overruns"][0]["households"][0], "H1");
    }
    // An offer in a municipality the instance does not have is refused.
    let out = solve(
        dir.path(),
        &instance.replace(r#""job_offer": "101""#, r#""job_offer": "999""#),
        &[],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "household H1 has a job offer in 999, which is not a municipality of the instance"
    ));
}
