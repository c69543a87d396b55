//! `resettle case`, `mission` and `rubric` with the real binary on a real SQLite file:
//! the whole way from a submission file to arrival, the quota figures following, and
//! refusals that exit non-zero with their code and change nothing.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const FILE: &str = "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient
KEN-26C00101,RRF-101,principal,Halima,Testi,F,1987-02-02,SOM,KEN,so;en,yes,11,teacher,,LPN,,normal,2026-03-03,mission,no
KEN-26C00101,RRF-101,child,Yusuf,Testi,M,2014-04-04,SOM,KEN,so,yes,5,,,LPN,,normal,2026-03-03,mission,no
KEN-26C00102,RRF-102,principal,Abdi,Prov,M,1975-05-05,SOM,KEN,so,no,0,herder,,LAS,,normal,2026-03-04,mission,no
";

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .env_remove("RESETTLE_DB")
        .env("USER", "cli-test")
        .output()
        .expect("run resettle")
}

fn ok(db: &Path, args: &[&str]) -> Value {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn refused(db: &Path, args: &[&str]) -> Value {
    let out = run(db, args);
    assert!(!out.status.success(), "{args:?} should be refused");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn committed(status: &Value, year: i64, sub: &str) -> i64 {
    let y = status["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == year)
        .unwrap();
    y["sub_quotas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sub_quota"] == sub)
        .unwrap()["committed"]
        .as_i64()
        .unwrap()
}

#[test]
fn from_submission_to_arrival_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let file = dir.path().join("subs.csv");
    std::fs::write(&file, FILE).unwrap();
    ok(
        &db,
        &[
            "quota",
            "create-period",
            "--start-year",
            "2026",
            "--places",
            "1500",
        ],
    );
    let m = ok(
        &db,
        &[
            "mission",
            "create",
            "--name",
            "Kenya 2026",
            "--country",
            "ken",
            "--location",
            "Dadaab",
            "--start",
            "2026-09-01",
            "--end",
            "2026-09-12",
            "--target",
            "40",
        ],
    );
    let mission = m["mission"]["id"].as_str().unwrap().to_owned();
    assert_eq!(m["mission"]["country_of_asylum"], "KEN");
    ok(
        &db,
        &[
            "import",
            "submissions",
            file.to_str().unwrap(),
            "--mission",
            &mission,
        ],
    );
    ok(
        &db,
        &[
            "mission",
            "team-add",
            &mission,
            "--name",
            "Sofie Dahl",
            "--organisation",
            "refugee_council",
        ],
    );

    // Scoring before the interview is incomplete; the refusal of an unknown level names it.
    let early = ok(&db, &["case", "score", "KEN-26C00101"]);
    assert_eq!(early["card"]["assessment"], "incomplete");
    let bad = refused(
        &db,
        &[
            "case",
            "interview",
            "KEN-26C00101",
            "--date",
            "2026-09-02",
            "--interviewer",
            "Kim Berg",
            "--assess",
            "motivation=eager",
        ],
    );
    assert_eq!(bad["code"], "unknown_level");
    assert_eq!(bad["field"], "assessments");
    ok(
        &db,
        &[
            "case",
            "interview",
            "KEN-26C00101",
            "--date",
            "2026-09-02",
            "--interviewer",
            "Kim Berg",
            "--notes",
            "claim details",
            "--assess",
            "motivation=high",
            "--assess",
            "network=some",
        ],
    );
    let score = ok(&db, &["case", "score", "KEN-26C00101"]);
    assert_eq!(score["card"]["assessment"], "supports");
    assert_eq!(score["card"]["rubric_version"], 1);
    let explanation = score["card"]["criteria"][0]["explanation"]["en"]
        .as_str()
        .unwrap();
    assert!(
        explanation.contains("1 of 1 adults read and write"),
        "{explanation}"
    );

    // A screening flag blocks the acceptance until it is decided.
    let flag = ok(
        &db,
        &[
            "case",
            "flag",
            "KEN-26C00101",
            "--ground",
            "security",
            "--note",
            "a name match",
        ],
    );
    let flag = flag["flag"].as_str().unwrap().to_owned();
    let blocked = refused(
        &db,
        &[
            "case",
            "decide",
            "KEN-26C00101",
            "--accept",
            "--by",
            "Ane Holm",
            "--reason",
            "meets the criteria",
        ],
    );
    assert_eq!(blocked["code"], "exclusion_undecided");
    assert_eq!(blocked["params"]["ground"], "security");
    ok(
        &db,
        &[
            "case",
            "decide-flag",
            "KEN-26C00101",
            "--flag",
            &flag,
            "--cleared",
            "--by",
            "Ane Holm",
            "--reason",
            "a different person of the same name",
        ],
    );
    let decided = ok(
        &db,
        &[
            "case",
            "decide",
            "KEN-26C00101",
            "--accept",
            "--by",
            "Ane Holm",
            "--reason",
            "meets the criteria",
            "--quota-year",
            "2026",
        ],
    );
    assert_eq!(committed(&decided["quota"], 2026, "geographical"), 2);
    let status = ok(&db, &["quota", "status", "--period", "2026"]);
    assert_eq!(committed(&status, 2026, "geographical"), 2);

    let show = ok(&db, &["case", "show", "KEN-26C00101"]);
    assert_eq!(show["household"]["status"], "accepted");
    assert_eq!(show["decisions"][0]["by"], "Ane Holm");
    let adult = show["adults"][0].as_str().unwrap().to_owned();
    ok(
        &db,
        &[
            "case",
            "declare",
            "KEN-26C00101",
            "--person",
            &adult,
            "--date",
            "2026-09-05",
            "--place",
            "Dadaab",
        ],
    );
    let consent = ok(
        &db,
        &[
            "case",
            "consent",
            "KEN-26C00101",
            "--release",
            "special_needs",
            "--language",
            "so",
        ],
    );
    let consent = consent["consent"].as_str().unwrap().to_owned();
    ok(
        &db,
        &[
            "case",
            "withdraw-consent",
            "KEN-26C00101",
            "--consent",
            &consent,
        ],
    );
    let again = refused(
        &db,
        &[
            "case",
            "withdraw-consent",
            "KEN-26C00101",
            "--consent",
            &consent,
        ],
    );
    assert_eq!(again["code"], "no_such_consent");
    let show = ok(&db, &["case", "show", "KEN-26C00101"]);
    assert_eq!(show["consents"][0]["language"], "so");
    assert!(show["consents"][0]["withdrawn"]["by"].is_string());
    let progress = ok(&db, &["mission", "show", &mission]);
    assert_eq!(progress["progress"]["accepted_persons"], 2);
    assert_eq!(progress["progress"]["declarations_signed"], 1);
    assert_eq!(progress["team"][0]["name"], "Sofie Dahl");

    // Arrival is refused before departure and leaves the quota as it was.
    let early = refused(
        &db,
        &["case", "arrive", "KEN-26C00101", "--date", "2026-11-01"],
    );
    assert_eq!(early["code"], "transition_not_allowed");
    ok(&db, &["case", "prepare", "KEN-26C00101"]);
    ok(
        &db,
        &["case", "depart", "KEN-26C00101", "--date", "2026-10-30"],
    );
    let arrived = ok(
        &db,
        &["case", "arrive", "KEN-26C00101", "--date", "2026-10-31"],
    );
    assert_eq!(committed(&arrived["quota"], 2026, "geographical"), 0);

    // The other case: rejected, and withdrawing a rejected case is refused.
    ok(
        &db,
        &[
            "case",
            "interview",
            "KEN-26C00102",
            "--date",
            "2026-09-03",
            "--interviewer",
            "Kim Berg",
        ],
    );
    ok(
        &db,
        &[
            "case",
            "decide",
            "KEN-26C00102",
            "--reject",
            "--by",
            "Ane Holm",
            "--reason",
            "does not meet the conditions",
        ],
    );
    let w = refused(&db, &["case", "withdraw", "KEN-26C00102", "--reason", "x"]);
    assert_eq!(w["code"], "transition_not_allowed");
    let found = ok(&db, &["case", "search", "testi"]);
    assert_eq!(found["total"], 1);
    assert_eq!(found["rows"][0]["status"], "arrived");
    let missing = refused(&db, &["case", "show", "NOPE-1"]);
    assert_eq!(missing["code"], "no_such_case");
}

#[test]
fn an_edited_rubric_is_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let out = run(&db, &["rubric", "show"]);
    assert!(out.status.success());
    let mut rubric: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rubric["version"], 1);
    assert_eq!(rubric["criteria"].as_array().unwrap().len(), 7);
    rubric["threshold_percent"] = 55.into();
    let file = dir.path().join("rubric.json");
    std::fs::write(&file, rubric.to_string()).unwrap();
    let saved = ok(
        &db,
        &[
            "rubric",
            "edit",
            "--file",
            file.to_str().unwrap(),
            "--reason",
            "stricter threshold",
        ],
    );
    assert_eq!(saved["version"], 2);
    rubric["threshold_percent"] = 140.into();
    std::fs::write(&file, rubric.to_string()).unwrap();
    let bad = refused(
        &db,
        &[
            "rubric",
            "edit",
            "--file",
            file.to_str().unwrap(),
            "--reason",
            "x",
        ],
    );
    assert_eq!(bad["code"], "invalid_rubric");
    let versions = ok(&db, &["rubric", "versions"]);
    assert_eq!(versions.as_array().unwrap().len(), 2);
    let v1 = run(&db, &["rubric", "show", "--version", "1"]);
    let v1: Value = serde_json::from_slice(&v1.stdout).unwrap();
    assert_eq!(v1["threshold_percent"], 40);
}
