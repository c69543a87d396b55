//! From rows to households: every field checked, rows grouped by UNHCR case number, and
//! the household-level fields compared between a household's rows. Every problem is
//! collected; one is enough for nothing to be imported.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use uuid::Uuid;

use super::read::Row;
use super::{Problem, Submission};
use resettle_domain::{
    CaseStatus, Category, Household, Person, Priority, Relationship, Route, Sex,
};

/// The fields every member of a household repeats; they must agree.
const HOUSEHOLD_COLUMNS: [&str; 8] = [
    "rrf_ref",
    "nationality",
    "country_of_asylum",
    "primary_category",
    "secondary_category",
    "priority",
    "submission_date",
    "route",
];

/// Reads one row's fields, noting each problem instead of stopping at the first.
struct Fields<'a> {
    row: &'a Row,
    problems: &'a mut Vec<Problem>,
}

impl Fields<'_> {
    fn problem(&mut self, column: &str, reason: impl Into<String>) {
        self.problems
            .push(Problem::new(self.row.number, Some(column), reason));
    }

    fn required(&mut self, column: &str) -> Option<String> {
        let text = self.row.get(column);
        if text.is_empty() {
            self.problem(column, "a value is required");
            None
        } else {
            Some(text.to_owned())
        }
    }

    fn optional(&self, column: &str) -> Option<String> {
        Some(self.row.get(column).to_owned()).filter(|s| !s.is_empty())
    }

    fn code<T: FromStr>(&mut self, column: &str, allowed: &str) -> Option<T> {
        let text = self.required(column)?;
        let parsed = text.parse().ok();
        if parsed.is_none() {
            self.problem(
                column,
                format!("unknown code {text:?} (allowed: {allowed})"),
            );
        }
        parsed
    }

    fn yes_no(&mut self, column: &str) -> Option<bool> {
        match self.required(column)?.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            other => {
                self.problem(column, format!("{other:?} is not yes or no"));
                None
            }
        }
    }

    fn date(&mut self, column: &str, today: NaiveDate) -> Option<NaiveDate> {
        let text = self.required(column)?;
        let Ok(date) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") else {
            self.problem(column, format!("{text:?} is not a date as YYYY-MM-DD"));
            return None;
        };
        if date > today {
            self.problem(column, format!("{date} is in the future"));
            return None;
        }
        Some(date)
    }

    fn country(&mut self, column: &str) -> Option<String> {
        let text = self.required(column)?;
        if text.len() == 3 && text.chars().all(|c| c.is_ascii_uppercase()) {
            Some(text)
        } else {
            self.problem(
                column,
                format!("{text:?} is not an ISO 3166-1 alpha-3 code such as SYR"),
            );
            None
        }
    }

    fn languages(&mut self, column: &str) -> Option<Vec<String>> {
        let text = self.required(column)?;
        let codes: Vec<String> = text.split(';').map(|c| c.trim().to_owned()).collect();
        let bad: Vec<&String> = codes
            .iter()
            .filter(|c| {
                !((2..=3).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_lowercase()))
            })
            .collect();
        if bad.is_empty() {
            Some(codes)
        } else {
            self.problem(
                column,
                format!("{bad:?} are not ISO 639 codes such as ar or som, separated by ;"),
            );
            None
        }
    }

    fn years(&mut self, column: &str) -> Option<u8> {
        let text = self.required(column)?;
        match text.parse::<u8>() {
            Ok(n) if n <= 30 => Some(n),
            _ => {
                self.problem(
                    column,
                    format!("{text:?} is not a whole number from 0 to 30"),
                );
                None
            }
        }
    }
}

/// One row read into a person and the household-level fields it carries.
struct Read {
    person: Person,
    case_no: String,
    household: Household,
}

fn read_row(row: &Row, today: NaiveDate, problems: &mut Vec<Problem>) -> Option<Read> {
    let before = problems.len();
    let mut f = Fields { row, problems };
    let case_no = f.required("unhcr_case_no");
    let rrf_ref = f.required("rrf_ref");
    let relationship = f.code::<Relationship>(
        "relationship",
        "principal, spouse, child, parent, sibling, other",
    );
    let given_name = f.required("given_name");
    let family_name = f.required("family_name");
    let sex = f.code::<Sex>("sex", "F, M, X");
    let date_of_birth = f.date("date_of_birth", today);
    let nationality = f.country("nationality");
    let country_of_asylum = f.country("country_of_asylum");
    let languages = f.languages("languages");
    let literate = f.yes_no("literate");
    let education_years = f.years("education_years");
    let occupation = f.optional("occupation");
    let special_needs = f.optional("special_needs");
    const CATEGORIES: &str = "LPN, SVT, MED, AWR, FAM, CHL, LAS";
    let primary_category = f.code::<Category>("primary_category", CATEGORIES);
    let secondary_category = match f.optional("secondary_category") {
        None => Some(None),
        Some(_) => f
            .code::<Category>("secondary_category", CATEGORIES)
            .map(Some),
    };
    let priority = f.code::<Priority>("priority", "emergency, urgent, normal");
    let submission_date = f.date("submission_date", today);
    let route = f.code::<Route>("route", "mission, dossier");
    let tom_patient = f.yes_no("tom_patient");
    if let (Some(born), Some(submitted)) = (date_of_birth, submission_date) {
        if born > submitted {
            f.problem("date_of_birth", "after the submission date");
        }
    }
    if problems.len() > before {
        return None;
    }
    // Every field parsed (no problem was noted), so every Option is Some.
    let person = Person {
        id: Uuid::new_v4(),
        relationship: relationship?,
        given_name: given_name?,
        family_name: family_name?,
        sex: sex?,
        date_of_birth: date_of_birth?,
        languages: languages?,
        literate: literate?,
        education_years: education_years?,
        occupation,
        special_needs,
        tom_patient: tom_patient?,
    };
    let case_no = case_no?;
    Some(Read {
        household: Household {
            id: Uuid::new_v4(),
            unhcr_case_no: case_no.clone(),
            rrf_ref: rrf_ref?,
            country_of_asylum: country_of_asylum?,
            nationality: nationality?,
            primary_category: primary_category?,
            secondary_category: secondary_category?,
            priority: priority?,
            route: route?,
            submission_date: submission_date?,
            mission_id: None,
            status: CaseStatus::Submitted,
            members: Vec::new(),
        },
        case_no,
        person,
    })
}

/// Groups the rows into households, checking each row and each household.
pub fn households(rows: Vec<Row>, today: NaiveDate) -> Result<Vec<Submission>, Vec<Problem>> {
    let mut problems = Vec::new();
    // Households in the order of their first row; each with the rows it came from.
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, (Household, Vec<u32>, &Row)> = BTreeMap::new();
    // Cases with a row that could not be read: their principal count would mislead.
    let mut unreadable: Vec<&str> = Vec::new();
    for row in &rows {
        let Some(read) = read_row(row, today, &mut problems) else {
            unreadable.push(row.get("unhcr_case_no"));
            continue;
        };
        match groups.get_mut(&read.case_no) {
            None => {
                order.push(read.case_no.clone());
                let mut household = read.household;
                household.members.push(read.person);
                groups.insert(read.case_no, (household, vec![row.number], row));
            }
            Some((household, numbers, first)) => {
                for column in HOUSEHOLD_COLUMNS {
                    if row.get(column) != first.get(column) {
                        problems.push(Problem::new(
                            row.number,
                            Some(column),
                            format!(
                                "{:?} differs from {:?} in row {} of the same case {}",
                                row.get(column),
                                first.get(column),
                                first.number,
                                read.case_no
                            ),
                        ));
                    }
                }
                numbers.push(row.number);
                household.members.push(read.person);
            }
        }
    }
    let mut households = Vec::with_capacity(order.len());
    for case_no in order {
        let (household, numbers, _) = groups.remove(&case_no).expect("every case was grouped");
        let principals = household
            .members
            .iter()
            .filter(|m| m.relationship == Relationship::Principal)
            .count();
        if principals != 1 && !unreadable.contains(&case_no.as_str()) {
            problems.push(Problem::new(
                numbers[0],
                Some("relationship"),
                format!(
                    "case {case_no} (rows {}) has {principals} principal applicants; a household has exactly one",
                    numbers
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        households.push(Submission {
            first_row: numbers[0],
            household,
        });
    }
    if problems.is_empty() {
        Ok(households)
    } else {
        problems.sort_by_key(|p| p.row);
        Err(problems)
    }
}
