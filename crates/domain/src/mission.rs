//! A selection mission: a team interviewing households in a country of asylum.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::case_error::CaseError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Mission {
    pub id: Uuid,
    pub name: String,
    /// ISO 3166-1 alpha-3.
    pub country_of_asylum: String,
    pub location: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Persons the mission aims to select.
    pub target_places: u32,
    /// Strategic operations are exempt from integration scoring.
    pub strategic: bool,
}

impl Mission {
    /// Checks a mission before it is saved.
    pub fn validate(&self) -> Result<(), CaseError> {
        if self.name.trim().is_empty() || self.location.trim().is_empty() {
            return Err(CaseError::NameRequired);
        }
        if !is_country_code(&self.country_of_asylum) {
            return Err(CaseError::CountryCode(self.country_of_asylum.clone()));
        }
        if self.end_date < self.start_date {
            return Err(CaseError::MissionDates);
        }
        Ok(())
    }
}

/// Whether a text has the shape of an ISO 3166-1 alpha-3 code (three capital letters).
pub fn is_country_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

code_enum! {
    /// Who a team member works for (the design brief: the immigration service, the
    /// refugee council, municipality observers; and interpreters).
    Organisation {
        ImmigrationService => "immigration_service", RefugeeCouncil => "refugee_council",
        Municipality => "municipality", Interpreter => "interpreter", Other => "other",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TeamMember {
    pub id: Uuid,
    pub name: String,
    pub organisation: Organisation,
    pub role: String,
}

/// The cultural orientation has 10 lessons on society and 10 Danish lessons.
pub const ORIENTATION_LESSONS: u32 = 10;

/// Checks a person's attendance record.
pub fn check_attendance(society: u32, danish: u32) -> Result<(), CaseError> {
    for lessons in [society, danish] {
        if lessons > ORIENTATION_LESSONS {
            return Err(CaseError::LessonsOutOfRange {
                lessons,
                max: ORIENTATION_LESSONS,
            });
        }
    }
    Ok(())
}

/// Where a mission stands against its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MissionProgress {
    pub cases: u32,
    pub persons: u32,
    pub interviewed: u32,
    pub scored: u32,
    pub decided: u32,
    pub accepted_cases: u32,
    /// Persons accepted, against `target_places`.
    pub accepted_persons: u32,
    pub target_places: u32,
    /// Adults of accepted cases who signed the declaration, of all such adults.
    pub declarations_signed: u32,
    pub declarations_due: u32,
    /// Persons who attended all 20 orientation lessons.
    pub orientation_complete: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mission() -> Mission {
        Mission {
            id: Uuid::nil(),
            name: "Lebanon 2026".into(),
            country_of_asylum: "LBN".into(),
            location: "Beirut".into(),
            start_date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(),
            target_places: 150,
            strategic: false,
        }
    }

    #[test]
    fn a_mission_has_a_name_a_country_code_and_dates_in_order() {
        assert!(mission().validate().is_ok());
        let mut m = mission();
        m.end_date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(m.validate().unwrap_err().code(), "mission_dates");
        let mut m = mission();
        m.country_of_asylum = "Lebanon".into();
        assert_eq!(m.validate().unwrap_err().code(), "country_code");
        let mut m = mission();
        m.name = " ".into();
        assert_eq!(m.validate().unwrap_err().code(), "name_required");
    }

    #[test]
    fn attendance_is_at_most_ten_lessons_of_each() {
        assert!(check_attendance(10, 0).is_ok());
        assert_eq!(
            check_attendance(3, 11).unwrap_err().code(),
            "lessons_out_of_range"
        );
    }
}
