//! Reading UNHCR submissions: one row per person, grouped into households by UNHCR case
//! number, from CSV or JSON (the format is in docs/import-format.md).
//!
//! All or nothing: `read_csv` and `read_json` return either every household of the file or
//! every problem found in it, each with its row, column and reason. They take bytes and
//! return values; checking against the database and writing are the store's work.

mod file;
mod read;
mod validate;
mod write;

use chrono::NaiveDate;
use resettle_domain::Household;

pub use file::{import_file, read_bytes, ImportFailure, ImportOutcome};
pub use resettle_domain::submission::{Problem, Submission};
pub use write::write_csv;

/// The columns a file must have, in the documented order.
pub const COLUMNS: [&str; 20] = [
    "unhcr_case_no",
    "rrf_ref",
    "relationship",
    "given_name",
    "family_name",
    "sex",
    "date_of_birth",
    "nationality",
    "country_of_asylum",
    "languages",
    "literate",
    "education_years",
    "occupation",
    "special_needs",
    "primary_category",
    "secondary_category",
    "priority",
    "submission_date",
    "route",
    "tom_patient",
];

/// The households of a CSV file, or every problem in it. `today` is the day dates are
/// judged against (no birth or submission after it).
pub fn read_csv(bytes: &[u8], today: NaiveDate) -> Result<Vec<Submission>, Vec<Problem>> {
    validate::households(read::csv_rows(bytes)?, today)
}

/// The same from a JSON array of objects with the CSV's column names.
pub fn read_json(bytes: &[u8], today: NaiveDate) -> Result<Vec<Submission>, Vec<Problem>> {
    validate::households(read::json_rows(bytes)?, today)
}

#[cfg(test)]
mod tests;

/// Reads a submission file by its name: `.json` as JSON, anything else as CSV.
pub fn read_file_bytes(
    path: &std::path::Path,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Vec<Submission>, Vec<Problem>> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        read_json(bytes, today)
    } else {
        read_csv(bytes, today)
    }
}

/// The fuzz targets' oracle (see `fuzz/`), public so they can call it: an import either
/// reports at least one problem, or gives households with exactly one principal each that
/// write back out as CSV and read again as the same submissions. Panics otherwise.
#[doc(hidden)]
pub fn check_round_trip(result: Result<Vec<Submission>, Vec<Problem>>, today: NaiveDate) {
    let submissions = match result {
        Err(problems) => {
            assert!(!problems.is_empty(), "a refused file names its problems");
            return;
        }
        Ok(s) => s,
    };
    let households: Vec<Household> = submissions.into_iter().map(|s| s.household).collect();
    for h in &households {
        assert!(
            h.principal().is_some(),
            "{} has one principal",
            h.unhcr_case_no
        );
    }
    let again = read_csv(&write_csv(&households), today)
        .unwrap_or_else(|p| panic!("accepted households written back are refused: {p:?}"));
    assert_eq!(again.len(), households.len());
    for (a, b) in households.iter().zip(&again) {
        assert!(
            a.same_submission(&b.household),
            "{a:?} became {:?}",
            b.household
        );
    }
}
