//! How long the people's data is kept, and what an erasure leaves behind.
//!
//! The schedule is the office's configuration (`RetentionSchedule`, a setting); `due`
//! says, for one case's dates and status, which erasure the schedule asks for and from
//! which day. An erasure replaces the personal data of a case (names, exact dates of
//! birth, languages, occupation, needs and every free text) by `ERASED` and keeps what
//! the quota ledger and the statistics count: the case number, its categories, priority,
//! route and status, its members' number, sex, relationship, year of birth and medical
//! sub-quota flag, and every date of its workflow. The audit log holds identifiers and
//! hashes only, so an erasure takes nothing out of its chain.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;
use ts_rs::TS;

use crate::case::CaseStatus;
use crate::scoring::{ScoreCard, Text};

/// What an erased free text reads: language-neutral, never empty (some columns refuse an
/// empty text), and not a word anyone types.
pub const ERASED: &str = "—";

/// The office's retention schedule. The defaults are the programme's starting point, to
/// be confirmed by the office's records officer against the archival rules that bind it;
/// each field's comment says why it is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub struct RetentionSchedule {
    /// Years after a case was rejected or withdrawn that its personal data is kept.
    /// Default 5: UNHCR may submit the same household again in the next three-year
    /// quota period, and the service must then see why it said no; five years covers the
    /// rest of the period and the whole of the next.
    pub closed_case_years: u32,
    /// Days after a case's last decision in which it can still be complained about. The
    /// interview notes of an arrived case are kept until this window is over. Default
    /// 365: a complaint to the Parliamentary Ombudsman must be made within twelve months
    /// of the final decision.
    pub complaint_window_days: u32,
    /// Years after arrival that an arrived case's identifying data is kept. Default 10:
    /// the resettlement file is consulted when the person applies for permanent
    /// residence (at the earliest after eight years) and for family reunification.
    pub arrived_case_years: u32,
}

impl Default for RetentionSchedule {
    fn default() -> Self {
        RetentionSchedule {
            closed_case_years: 5,
            complaint_window_days: 365,
            arrived_case_years: 10,
        }
    }
}

/// A schedule's years: never zero (an erasure on the day of the decision leaves no time
/// for a complaint), never beyond a working life.
pub const YEARS: RangeInclusive<u32> = 1..=50;
/// A complaint window: from none to ten years.
pub const WINDOW_DAYS: RangeInclusive<u32> = 0..=3650;

code_enum! {
    /// Which rule asks for an erasure: a rejected or withdrawn case `closed_case_years`
    /// after it closed, an arrived case's interview notes once the complaint window is
    /// over, an arrived case `arrived_case_years` after arrival, the person's own
    /// request (GDPR Art. 17), which is not the schedule's, or, on a field laptop, the
    /// office's receipt for the mission's return (`checked_in`): the office holds it all.
    RetentionRule {
        ClosedCase => "closed_case",
        InterviewNotes => "interview_notes",
        ArrivedCase => "arrived_case",
        Request => "request",
        CheckedIn => "checked_in",
    }
}

code_enum! {
    /// How much an erasure takes: every piece of personal data of the case (replaced by
    /// its tombstone), or the interview notes only.
    ErasureScope {
        Case => "case",
        InterviewNotes => "interview_notes",
    }
}

/// An erasure done, as the dossier shows it: what was erased, by which rule, when and by
/// whom (not the reason, which the administrator's records keep).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErasureRecord {
    pub scope: ErasureScope,
    pub rule: RetentionRule,
    pub erased_at: DateTime<Utc>,
    pub erased_by: String,
}

impl RetentionRule {
    pub fn scope(self) -> ErasureScope {
        match self {
            RetentionRule::InterviewNotes => ErasureScope::InterviewNotes,
            _ => ErasureScope::Case,
        }
    }
}

/// What the schedule needs to know of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLife {
    pub status: CaseStatus,
    /// The day the case last became rejected or withdrawn.
    pub closed_on: Option<NaiveDate>,
    pub arrived_on: Option<NaiveDate>,
    /// The day of its last decision.
    pub last_decision_on: Option<NaiveDate>,
    /// Whether any interview of the case still has notes, or a member a confidential note.
    pub has_notes: bool,
    /// Whether the whole case was erased already.
    pub erased: bool,
}

/// One case's erasure: done, or due (a dry run, `resettle retention show`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Erasure {
    pub case_no: String,
    pub rule: RetentionRule,
    pub scope: ErasureScope,
    /// The day from which the schedule asked for it (the day of a request).
    pub due_on: NaiveDate,
}

/// What a retention run or an erasure on request did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErasureRun {
    pub erasures: Vec<Erasure>,
    /// Nothing was erased: the erasures are the ones due.
    pub dry_run: bool,
    /// Whether the erased bytes have left the database's files already. A SQLite file is
    /// vacuumed at once; on the server only the tables' owner may rewrite them
    /// (`resettle privacy compact`), so an administrator's erasure leaves that to it.
    pub compacted: bool,
}

/// One erasure the schedule asks for, and the day from which it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub rule: RetentionRule,
    pub on: NaiveDate,
}

impl RetentionSchedule {
    /// Checks every field's range, naming the first out of range.
    pub fn check(self) -> Result<Self, PrivacyError> {
        for (field, value, range) in [
            ("closed_case_years", self.closed_case_years, &YEARS),
            (
                "complaint_window_days",
                self.complaint_window_days,
                &WINDOW_DAYS,
            ),
            ("arrived_case_years", self.arrived_case_years, &YEARS),
        ] {
            if !range.contains(&value) {
                return Err(PrivacyError::ScheduleRange {
                    field,
                    value,
                    min: *range.start(),
                    max: *range.end(),
                });
            }
        }
        Ok(self)
    }

    /// The erasure the schedule asks for on `today`, if any: the widest one due (a whole
    /// case before its notes alone).
    pub fn due(&self, case: &CaseLife, today: NaiveDate) -> Option<Due> {
        if case.erased {
            return None;
        }
        let whole = match (case.status, case.closed_on, case.arrived_on) {
            (CaseStatus::Rejected | CaseStatus::Withdrawn, Some(closed), _) => Some(Due {
                rule: RetentionRule::ClosedCase,
                on: add_years(closed, self.closed_case_years),
            }),
            (CaseStatus::Arrived, _, Some(arrived)) => Some(Due {
                rule: RetentionRule::ArrivedCase,
                on: add_years(arrived, self.arrived_case_years),
            }),
            _ => None,
        };
        if let Some(due) = whole.filter(|d| d.on <= today) {
            return Some(due);
        }
        match (case.status, case.arrived_on, case.has_notes) {
            (CaseStatus::Arrived, Some(arrived), true) => {
                let window_over = case
                    .last_decision_on
                    .map(|d| d + Days::new(u64::from(self.complaint_window_days)))
                    .unwrap_or(arrived);
                let on = arrived.max(window_over);
                (on <= today).then_some(Due {
                    rule: RetentionRule::InterviewNotes,
                    on,
                })
            }
            _ => None,
        }
    }
}

fn add_years(day: NaiveDate, years: u32) -> NaiveDate {
    // 29 February steps back to the 28th in a year without one.
    day.checked_add_months(Months::new(12 * years))
        .expect("a date within fifty years is representable")
}

/// The date of birth an erased member keeps: 1 January of the year, enough for the
/// statistics' age groups and no longer a birthday.
pub fn erased_birth_date(born: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(born.year(), 1, 1).expect("1 January exists")
}

/// A score card as an erasure leaves it: the levels, points and totals stay (they are
/// categories), each criterion's explanation goes, since it quotes the household's facts
/// (an occupation, years of schooling).
pub fn erased_card(mut card: ScoreCard) -> ScoreCard {
    for criterion in &mut card.criteria {
        criterion.explanation = Text::new(ERASED, ERASED);
    }
    card
}

/// The statuses after which a case's personal data may be erased: the case is over.
pub fn is_closed(status: CaseStatus) -> bool {
    matches!(
        status,
        CaseStatus::Rejected | CaseStatus::Withdrawn | CaseStatus::Arrived
    )
}

/// Checks an erasure on request: a reason is given, the case is over, and it was not
/// erased already. Returns the reason trimmed.
pub fn check_request(
    case_no: &str,
    status: CaseStatus,
    erased: bool,
    reason: &str,
) -> Result<String, PrivacyError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(PrivacyError::ReasonRequired);
    }
    if erased {
        return Err(PrivacyError::AlreadyErased {
            case_no: case_no.to_owned(),
        });
    }
    if !is_closed(status) {
        return Err(PrivacyError::CaseOpen {
            case_no: case_no.to_owned(),
            status,
        });
    }
    Ok(reason.to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrivacyError {
    #[error("{field} is {value}; it must be from {min} to {max}")]
    ScheduleRange {
        field: &'static str,
        value: u32,
        min: u32,
        max: u32,
    },
    #[error("an erasure needs its reason (for example, the request's reference)")]
    ReasonRequired,
    #[error("case {case_no} was erased already")]
    AlreadyErased { case_no: String },
    #[error("case {case_no} is {status}, not over: withdraw it (or decide it) before erasing it")]
    CaseOpen { case_no: String, status: CaseStatus },
}

crate::refusal_table! {
    impl PrivacyError {
        Self::ScheduleRange { field, value, min, max } => "retention_range" [field, value, min, max],
        Self::ReasonRequired => "erasure_reason_required" in "reason",
        Self::AlreadyErased { case_no } => "already_erased" in "case" [case_no],
        Self::CaseOpen { case_no, status } => "case_open" in "case" [case_no, status = status.code()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn life(status: CaseStatus) -> CaseLife {
        CaseLife {
            status,
            closed_on: None,
            arrived_on: None,
            last_decision_on: None,
            has_notes: false,
            erased: false,
        }
    }

    #[test]
    fn a_rejected_case_is_erased_the_schedules_years_after_it_closed() {
        let s = RetentionSchedule::default();
        let case = CaseLife {
            closed_on: Some(day("2021-03-15")),
            ..life(CaseStatus::Rejected)
        };
        assert_eq!(s.due(&case, day("2026-03-14")), None);
        assert_eq!(
            s.due(&case, day("2026-03-15")),
            Some(Due {
                rule: RetentionRule::ClosedCase,
                on: day("2026-03-15")
            })
        );
        assert_eq!(
            s.due(
                &CaseLife {
                    erased: true,
                    ..case
                },
                day("2030-01-01")
            ),
            None
        );
    }

    #[test]
    fn an_arrived_cases_notes_go_when_the_complaint_window_is_over_and_the_case_later() {
        let s = RetentionSchedule::default();
        let case = CaseLife {
            arrived_on: Some(day("2024-06-01")),
            last_decision_on: Some(day("2024-02-10")),
            has_notes: true,
            ..life(CaseStatus::Arrived)
        };
        // The decision's window ends 365 days after it: 2025-02-09.
        assert_eq!(s.due(&case, day("2025-02-08")), None);
        assert_eq!(
            s.due(&case, day("2025-02-09")).map(|d| d.rule),
            Some(RetentionRule::InterviewNotes)
        );
        // No notes left: nothing until the whole case is due.
        let noteless = CaseLife {
            has_notes: false,
            ..case.clone()
        };
        assert_eq!(s.due(&noteless, day("2030-01-01")), None);
        assert_eq!(
            s.due(&noteless, day("2034-06-01")),
            Some(Due {
                rule: RetentionRule::ArrivedCase,
                on: day("2034-06-01")
            })
        );
        // The whole case wins over its notes.
        assert_eq!(
            s.due(&case, day("2034-06-01")).map(|d| d.rule),
            Some(RetentionRule::ArrivedCase)
        );
    }

    #[test]
    fn an_open_case_is_never_due_and_never_erased_on_request() {
        let s = RetentionSchedule::default();
        for status in CaseStatus::ALL {
            let case = CaseLife {
                closed_on: Some(day("2000-01-01")),
                arrived_on: Some(day("2000-01-01")),
                has_notes: true,
                ..life(*status)
            };
            let due = s.due(&case, day("2099-01-01"));
            assert_eq!(due.is_some(), is_closed(*status), "{status}");
            let request = check_request("C1", *status, false, "ref 12");
            assert_eq!(request.is_ok(), is_closed(*status), "{status}");
        }
        assert_eq!(
            check_request("C1", CaseStatus::Arrived, false, "  "),
            Err(PrivacyError::ReasonRequired)
        );
        assert_eq!(
            check_request("C1", CaseStatus::Arrived, true, "ref")
                .unwrap_err()
                .code(),
            "already_erased"
        );
    }

    #[test]
    fn the_schedule_refuses_a_value_out_of_range_by_name() {
        assert!(RetentionSchedule::default().check().is_ok());
        let bad = RetentionSchedule {
            arrived_case_years: 0,
            ..Default::default()
        };
        assert_eq!(
            bad.check(),
            Err(PrivacyError::ScheduleRange {
                field: "arrived_case_years",
                value: 0,
                min: 1,
                max: 50
            })
        );
    }

    #[test]
    fn an_erased_birth_date_keeps_the_year_only() {
        assert_eq!(erased_birth_date(day("1988-09-30")), day("1988-01-01"));
    }
}
