//! Households for the domain's unit tests.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{CaseStatus, Category, Household, Person, Priority, Relationship, Route, Sex};

/// An adult, literate, Arabic-speaking member born in 1985.
pub fn adult(relationship: Relationship) -> Person {
    Person {
        id: Uuid::new_v4(),
        relationship,
        given_name: "Amal".into(),
        family_name: "Haddad".into(),
        sex: Sex::F,
        date_of_birth: NaiveDate::from_ymd_opt(1985, 3, 1).unwrap(),
        languages: vec!["ar".into()],
        literate: true,
        education_years: 9,
        occupation: None,
        special_needs: None,
        tom_patient: false,
    }
}

/// A normal-priority mission case of `members` adults (the first is the principal).
pub fn household(status: CaseStatus, members: usize) -> Household {
    Household {
        id: Uuid::new_v4(),
        unhcr_case_no: "LBN-26C00001".into(),
        rrf_ref: "RRF-1".into(),
        country_of_asylum: "LBN".into(),
        nationality: "SYR".into(),
        primary_category: Category::LegalPhysicalProtection,
        secondary_category: None,
        priority: Priority::Normal,
        route: Route::Mission,
        submission_date: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
        mission_id: None,
        status,
        members: (0..members)
            .map(|i| {
                adult(if i == 0 {
                    Relationship::Principal
                } else {
                    Relationship::Spouse
                })
            })
            .collect(),
    }
}
