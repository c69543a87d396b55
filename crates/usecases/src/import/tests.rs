//! The importer against files with one thing wrong at a time, and a good file.

use chrono::NaiveDate;

use super::*;
use resettle_domain::{Category, Priority, Relationship, Route};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
}

const HEADER: &str = "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient";

/// A good household of three (rows 2-4) and one of one (row 5).
fn good_rows() -> Vec<String> {
    vec![
        "UGA-26C00001,RRF-1,principal,Amani,Fiktivi,F,1988-03-01,COD,UGA,sw;fr,yes,9,tailor,,LPN,SVT,normal,2026-05-04,mission,no".into(),
        "UGA-26C00001,RRF-1,child,Baraka,Fiktivi,M,2015-07-12,COD,UGA,sw,yes,4,,,LPN,SVT,normal,2026-05-04,mission,no".into(),
        "UGA-26C00001,RRF-1,spouse,Chane,Fiktivi,M,1985-01-30,COD,UGA,sw;en,no,0,farmer,needs a wheelchair,LPN,SVT,normal,2026-05-04,mission,yes".into(),
        "LBN-26C00002,RRF-2,principal,Dalia,Eksempli,F,1990-10-10,SYR,LBN,ar,yes,12,nurse,,MED,,urgent,2026-11-01,dossier,no".into(),
    ]
}

fn csv(rows: &[String]) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.into_bytes()
}

/// The good file with one field of one row replaced.
fn with(row: usize, column: &str, value: &str) -> Vec<u8> {
    let mut rows = good_rows();
    let index = COLUMNS.iter().position(|c| *c == column).unwrap();
    let mut fields: Vec<String> = rows[row].split(',').map(str::to_owned).collect();
    fields[index] = value.to_owned();
    rows[row] = fields.join(",");
    csv(&rows)
}

fn problems(bytes: &[u8]) -> Vec<Problem> {
    read_csv(bytes, today()).expect_err("the file must be refused")
}

fn only(bytes: &[u8]) -> Problem {
    let p = problems(bytes);
    assert_eq!(p.len(), 1, "{p:?}");
    p.into_iter().next().unwrap()
}

#[test]
fn a_good_file_gives_its_households() {
    let submissions = read_csv(&csv(&good_rows()), today()).unwrap();
    assert_eq!(
        submissions.iter().map(|s| s.first_row).collect::<Vec<_>>(),
        [2, 5]
    );
    let households: Vec<_> = submissions.into_iter().map(|s| s.household).collect();
    assert_eq!(households.len(), 2);
    let h = &households[0];
    assert_eq!(h.unhcr_case_no, "UGA-26C00001");
    assert_eq!(h.members.len(), 3);
    assert_eq!(h.members[0].relationship, Relationship::Principal);
    assert_eq!(h.members[0].languages, ["sw", "fr"]);
    assert_eq!(
        h.secondary_category,
        Some(Category::SurvivorViolenceTorture)
    );
    assert!(h.members[2].tom_patient);
    assert_eq!(
        h.members[2].special_needs.as_deref(),
        Some("needs a wheelchair")
    );
    assert_eq!(h.members[1].occupation, None);
    let d = &households[1];
    assert_eq!(
        (d.priority, d.route, d.secondary_category),
        (Priority::Urgent, Route::Dossier, None)
    );
}

#[test]
fn every_bad_field_is_named_with_its_row_and_column() {
    let cases = [
        (0, "date_of_birth", "1988-02-30", "not a date"),
        (1, "date_of_birth", "2027-01-01", "in the future"),
        (0, "submission_date", "2026-12-01", "in the future"),
        (
            1,
            "date_of_birth",
            "2026-05-05",
            "after the submission date",
        ),
        (0, "relationship", "head", "unknown code"),
        (0, "sex", "f", "unknown code"),
        (0, "primary_category", "XYZ", "unknown code"),
        (3, "secondary_category", "med", "unknown code"),
        (3, "priority", "high", "unknown code"),
        (3, "route", "mail", "unknown code"),
        (0, "literate", "y", "not yes or no"),
        (0, "tom_patient", "true", "not yes or no"),
        (0, "education_years", "31", "0 to 30"),
        (0, "education_years", "-1", "0 to 30"),
        (3, "nationality", "Syria", "alpha-3"),
        (3, "country_of_asylum", "lb", "alpha-3"),
        (0, "languages", "Swahili", "ISO 639"),
        (3, "given_name", "", "required"),
    ];
    for (row, column, value, reason) in cases {
        let p = if [
            "nationality",
            "country_of_asylum",
            "primary_category",
            "priority",
            "route",
            "submission_date",
            "secondary_category",
        ]
        .contains(&column)
            && row == 0
        {
            // A household-level field changed in one row also conflicts with its other rows.
            problems(&with(row, column, value)).remove(0)
        } else {
            only(&with(row, column, value))
        };
        assert_eq!(p.row, row as u32 + 2, "{column}={value}: {p}");
        assert_eq!(p.column.as_deref(), Some(column), "{p}");
        assert!(p.reason.contains(reason), "{column}={value}: {p}");
    }
}

#[test]
fn a_household_needs_exactly_one_principal() {
    let p = only(&with(1, "relationship", "principal"));
    assert_eq!((p.row, p.column.as_deref()), (2, Some("relationship")));
    assert!(p.reason.contains("has 2 principal applicants"), "{p}");
    assert!(p.reason.contains("rows 2, 3, 4"), "{p}");
    let p = only(&with(3, "relationship", "spouse"));
    assert!(p.reason.contains("has 0 principal"), "{p}");
}

#[test]
fn household_fields_must_agree_between_its_rows() {
    let p = only(&with(2, "priority", "urgent"));
    assert_eq!((p.row, p.column.as_deref()), (4, Some("priority")));
    assert!(p.reason.contains("differs from \"normal\" in row 2"), "{p}");
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let mut rows = good_rows();
    rows[0] = rows[0]
        .replace("1988-03-01", "1988-13-01")
        .replace(",F,", ",W,");
    rows[3] = rows[3].replace("urgent", "soon");
    let p = problems(&csv(&rows));
    let found: Vec<(u32, &str)> = p
        .iter()
        .map(|p| (p.row, p.column.as_deref().unwrap()))
        .collect();
    assert_eq!(found, [(2, "sex"), (2, "date_of_birth"), (5, "priority")]);
}

#[test]
fn a_missing_column_or_a_ragged_row_is_refused() {
    let text = String::from_utf8(csv(&good_rows()))
        .unwrap()
        .replace(",tom_patient", ",tom");
    let p = problems(text.as_bytes());
    assert_eq!(p[0].column.as_deref(), Some("tom_patient"));
    assert!(p[0].reason.contains("missing"));
    let mut rows = good_rows();
    rows[1].push_str(",extra");
    let p = only(&csv(&rows));
    assert_eq!(p.row, 3);
    assert!(
        p.reason.contains("21 fields where the header has 20"),
        "{p}"
    );
    assert_eq!(only(HEADER.as_bytes()).reason, "the file has no rows");
    let mut latin1 = csv(&good_rows());
    let at = latin1.iter().position(|b| *b == b'A').unwrap();
    latin1[at] = 0xC5; // "Å" in Latin-1, not UTF-8
    let p = only(&latin1);
    assert_eq!(p.row, 2);
    assert!(p.reason.contains("not UTF-8"), "{p}");
}

#[test]
fn json_reads_the_same_rows() {
    let csv_households = read_csv(&csv(&good_rows()), today()).unwrap();
    let mut items = Vec::new();
    for row in good_rows() {
        let fields: Vec<&str> = row.split(',').collect();
        let mut object = serde_json::Map::new();
        for (column, value) in COLUMNS.iter().zip(fields) {
            let value = match *column {
                "education_years" => serde_json::json!(value.parse::<u32>().unwrap()),
                "languages" => serde_json::json!(value.split(';').collect::<Vec<_>>()),
                _ => serde_json::json!(value),
            };
            object.insert(column.to_string(), value);
        }
        items.push(serde_json::Value::Object(object));
    }
    let json = serde_json::to_vec(&items).unwrap();
    let households = read_json(&json, today()).unwrap();
    let strip = |hs: Vec<Submission>| -> Vec<(String, usize, Vec<Vec<String>>)> {
        hs.into_iter()
            .map(|s| s.household)
            .map(|h| {
                (
                    h.unhcr_case_no,
                    h.members.len(),
                    h.members.into_iter().map(|m| m.languages).collect(),
                )
            })
            .collect()
    };
    assert_eq!(strip(households), strip(csv_households));
    let p = read_json(b"{\"rows\": []}", today()).unwrap_err();
    assert!(p[0].reason.contains("JSON array"));
    let p = read_json(b"[{\"unhcr_case_no\": [1]}]", today()).unwrap_err();
    assert!(p
        .iter()
        .any(|p| p.column.as_deref() == Some("rrf_ref") && p.reason.contains("missing")));
}

#[test]
fn a_written_file_reads_back_as_the_same_submissions() {
    let households = resettle_demo::generate(3).households;
    let read = read_csv(&write_csv(&households), today()).unwrap();
    assert_eq!(read.len(), households.len());
    for (r, h) in read.iter().zip(&households) {
        assert!(r.household.same_submission(h), "{}", h.unhcr_case_no);
    }
}

/// The fuzz targets' seeds and every input they ever crashed on (`fuzz/regressions/`,
/// none so far) run through both readers and the round-trip oracle on every test run.
#[test]
fn fuzz_seeds_and_regressions_hold_the_oracle() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut inputs = 0;
    for dir in ["seeds/import_csv", "seeds/import_json", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            check_round_trip(read_csv(&bytes, today()), today());
            check_round_trip(read_json(&bytes, today()), today());
            inputs += 1;
        }
    }
    assert!(
        inputs >= 2,
        "the seeds are where the fuzz targets expect them"
    );
}

#[test]
fn awkward_names_survive_the_round_trip() {
    let mut rows = good_rows();
    rows[0] = rows[0].replace("Amani", "\"Am\"\"ani, \nthe first\"");
    let read = read_csv(&csv(&rows), today());
    assert!(read.is_ok(), "{read:?}");
    check_round_trip(read, today());
}
