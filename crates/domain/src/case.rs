//! A case is a household submitted by UNHCR: its members and the facts the quota,
//! selection and placement rules depend on.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use super::code::UnknownCode;

code_enum! {
    /// UNHCR submission priority; it sets the limit from submission to departure.
    Priority { Emergency => "emergency", Urgent => "urgent", Normal => "normal" }
}

code_enum! {
    /// How the case reaches a decision: interviewed on a selection mission, or examined on dossier.
    Route { Mission => "mission", Dossier => "dossier" }
}

code_enum! {
    Sex { F => "F", M => "M", X => "X" }
}

code_enum! {
    /// A member's relationship to the principal applicant.
    Relationship {
        Principal => "principal", Spouse => "spouse", Child => "child",
        Parent => "parent", Sibling => "sibling", Other => "other",
    }
}

code_enum! {
    /// UNHCR Resettlement Handbook submission categories.
    Category {
        LegalPhysicalProtection => "LPN", SurvivorViolenceTorture => "SVT", Medical => "MED",
        WomenGirlsAtRisk => "AWR", FamilyUnity => "FAM", ChildrenAtRisk => "CHL",
        NoAlternativeSolution => "LAS",
    }
}

code_enum! {
    /// Where a case stands in the workflow of the design brief.
    CaseStatus {
        Submitted => "submitted", Interviewed => "interviewed", Examined => "examined",
        Accepted => "accepted", Rejected => "rejected", Deferred => "deferred",
        PendingDeparture => "pending_departure", Departed => "departed", Arrived => "arrived",
        Withdrawn => "withdrawn",
    }
}

/// One member of a household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Person {
    pub id: Uuid,
    pub relationship: Relationship,
    pub given_name: String,
    pub family_name: String,
    pub sex: Sex,
    pub date_of_birth: NaiveDate,
    /// ISO 639 codes, most used first.
    pub languages: Vec<String>,
    pub literate: bool,
    pub education_years: u8,
    pub occupation: Option<String>,
    /// Sensitive: released to a municipality only with the refugee's consent.
    pub special_needs: Option<String>,
    /// A patient under UNHCR's Twenty-or-More programme (charged to the medical sub-quota).
    pub tom_patient: bool,
}

/// A case: one household, never split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Household {
    pub id: Uuid,
    pub unhcr_case_no: String,
    pub rrf_ref: String,
    /// ISO 3166-1 alpha-3.
    pub country_of_asylum: String,
    /// ISO 3166-1 alpha-3.
    pub nationality: String,
    pub primary_category: Category,
    pub secondary_category: Option<Category>,
    pub priority: Priority,
    pub route: Route,
    pub submission_date: NaiveDate,
    pub mission_id: Option<Uuid>,
    pub status: CaseStatus,
    pub members: Vec<Person>,
}

impl Person {
    /// Age in whole years on `day` (0 before birth).
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        day.years_since(self.date_of_birth).unwrap_or(0)
    }

    /// Adults (18 and over) sign the declaration.
    pub fn is_adult_on(&self, day: NaiveDate) -> bool {
        self.age_on(day) >= ADULT_AGE
    }
}

/// The age from which a person signs the declaration.
pub const ADULT_AGE: u32 = 18;

/// The last birthday of an adult on `day`: a person born on or before it is an adult,
/// as `Person::is_adult_on` says (a store counts adults with a range instead of ages).
pub fn adult_if_born_by(day: NaiveDate) -> NaiveDate {
    // Months keep the day of the month, so 29 February steps back to the 28th in a year
    // without one, and a person born on the 29th is an adult on 1 March.
    day.checked_sub_months(chrono::Months::new(12 * ADULT_AGE))
        .expect("a date eighteen years back is representable")
}

impl Household {
    /// Whether two records are the same submission: every field UNHCR submitted agrees,
    /// member by member in order. Ids, status and mission are the agency's, not UNHCR's.
    pub fn same_submission(&self, other: &Household) -> bool {
        fn person(p: &Person) -> impl PartialEq + '_ {
            (
                p.relationship,
                &p.given_name,
                &p.family_name,
                p.sex,
                p.date_of_birth,
                &p.languages,
                p.literate,
                p.education_years,
                &p.occupation,
                &p.special_needs,
                p.tom_patient,
            )
        }
        fn household(h: &Household) -> impl PartialEq + '_ {
            (
                &h.unhcr_case_no,
                &h.rrf_ref,
                &h.country_of_asylum,
                &h.nationality,
                h.primary_category,
                h.secondary_category,
                h.priority,
                h.route,
                h.submission_date,
            )
        }
        household(self) == household(other)
            && self.members.len() == other.members.len()
            && self
                .members
                .iter()
                .zip(&other.members)
                .all(|(a, b)| person(a) == person(b))
    }

    /// The principal applicant, if the household has exactly one.
    pub fn principal(&self) -> Option<&Person> {
        let mut principals = self
            .members
            .iter()
            .filter(|m| m.relationship == Relationship::Principal);
        match (principals.next(), principals.next()) {
            (Some(p), None) => Some(p),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for p in Priority::ALL {
            assert_eq!(p.code().parse::<Priority>().unwrap(), *p);
        }
        for c in Category::ALL {
            assert_eq!(c.code().parse::<Category>().unwrap(), *c);
        }
        for s in CaseStatus::ALL {
            assert_eq!(s.code().parse::<CaseStatus>().unwrap(), *s);
        }
        assert_eq!(Category::ALL.len(), 7);
    }

    #[test]
    fn born_by_the_cut_off_is_an_adult_exactly_when_is_adult_on_says_so() {
        // Birthdays around every day of a leap year and the years either side.
        let mut person = crate::testing::adult(Relationship::Principal);
        let mut day = NaiveDate::from_ymd_opt(2027, 12, 1).unwrap();
        while day < NaiveDate::from_ymd_opt(2029, 4, 1).unwrap() {
            let cut = adult_if_born_by(day);
            for shift in -3i64..=3 {
                person.date_of_birth = cut + chrono::Duration::days(shift);
                assert_eq!(
                    person.date_of_birth <= cut,
                    person.is_adult_on(day),
                    "born {} on {day}",
                    person.date_of_birth
                );
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn unknown_code_names_kind_and_code() {
        let err = "EMERGENCY".parse::<Priority>().unwrap_err();
        assert_eq!(err.to_string(), r#"unknown Priority code "EMERGENCY""#);
    }

    #[test]
    fn serde_uses_the_codes() {
        assert_eq!(
            serde_json::to_string(&Category::Medical).unwrap(),
            r#""MED""#
        );
        assert_eq!(
            serde_json::to_string(&CaseStatus::PendingDeparture).unwrap(),
            r#""pending_departure""#
        );
    }
}
