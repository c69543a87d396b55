//! Why a case operation (a status change, a screening or final decision, an interview, a
//! score, a mission record) is refused. Like `QuotaError`, each refusal names the form
//! field it belongs to and has a stable code with its values, so the app can say it in
//! the user's language next to that field.

use uuid::Uuid;

use super::screening::ExclusionGround;
use super::CaseStatus;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("case {case} is {from}; it cannot move to {to}")]
    TransitionNotAllowed {
        case: String,
        from: CaseStatus,
        to: CaseStatus,
    },
    #[error("case {case} has a {ground} screening flag without a decision; decide the flag before accepting")]
    ExclusionUndecided {
        case: String,
        ground: ExclusionGround,
    },
    #[error("case {case} is excluded on the ground {ground}; it cannot be accepted")]
    Excluded {
        case: String,
        ground: ExclusionGround,
    },
    #[error("the screening flag {0} is already decided")]
    FlagAlreadyDecided(Uuid),
    #[error("there is no screening flag {0} on this case")]
    NoSuchFlag(Uuid),
    #[error("a decision names the person who made it")]
    DeciderRequired,
    #[error("a decision gives its reasons")]
    ReasonsRequired,
    #[error("an acceptance names at least one member")]
    NoMemberAccepted,
    #[error("{person} is not a member of case {case}")]
    NotAMember { case: String, person: String },
    #[error("members are named only when accepting")]
    MembersOnlyWhenAccepting,
    #[error("the rubric has no criterion {0:?} to assess")]
    UnknownCriterion(String),
    #[error("the criterion {criterion} has no level {level:?}")]
    UnknownLevel { criterion: String, level: String },
    #[error("the rubric is not valid: {0}")]
    InvalidRubric(String),
    #[error("{lessons} lessons is more than the {max} the orientation has")]
    LessonsOutOfRange { lessons: u32, max: u32 },
    #[error("{0} is not an adult; only adults sign the declaration")]
    NotAnAdult(String),
    #[error("a mission ends on or after the day it starts")]
    MissionDates,
    #[error("{0:?} is not an ISO 3166-1 alpha-3 country code")]
    CountryCode(String),
    #[error("a name is required")]
    NameRequired,
    #[error("the date {0} is in the future")]
    DateInFuture(String),
    #[error("there is no person {0} on this mission")]
    NoSuchPerson(String),
    #[error("a consent releases at least one item")]
    NothingReleased,
    #[error("{0:?} is not an ISO 639 language code")]
    LanguageCode(String),
    #[error("there is no consent {0} on this case, or it is already withdrawn")]
    NoSuchConsent(Uuid),
}

/// Every code `CaseError::code` gives.
pub const CASE_REFUSAL_CODES: &[&str] = &[
    "transition_not_allowed",
    "exclusion_undecided",
    "excluded",
    "flag_already_decided",
    "no_such_flag",
    "decider_required",
    "reasons_required",
    "no_member_accepted",
    "not_a_member",
    "members_only_when_accepting",
    "unknown_criterion",
    "unknown_level",
    "invalid_rubric",
    "lessons_out_of_range",
    "not_an_adult",
    "mission_dates",
    "country_code",
    "name_required",
    "date_in_future",
    "no_such_person",
    "nothing_released",
    "language_code",
    "no_such_consent",
];

impl CaseError {
    pub fn code(&self) -> Option<&'static str> {
        Some(match self {
            CaseError::TransitionNotAllowed { .. } => "transition_not_allowed",
            CaseError::ExclusionUndecided { .. } => "exclusion_undecided",
            CaseError::Excluded { .. } => "excluded",
            CaseError::FlagAlreadyDecided(_) => "flag_already_decided",
            CaseError::NoSuchFlag(_) => "no_such_flag",
            CaseError::DeciderRequired => "decider_required",
            CaseError::ReasonsRequired => "reasons_required",
            CaseError::NoMemberAccepted => "no_member_accepted",
            CaseError::NotAMember { .. } => "not_a_member",
            CaseError::MembersOnlyWhenAccepting => "members_only_when_accepting",
            CaseError::UnknownCriterion(_) => "unknown_criterion",
            CaseError::UnknownLevel { .. } => "unknown_level",
            CaseError::InvalidRubric(_) => "invalid_rubric",
            CaseError::LessonsOutOfRange { .. } => "lessons_out_of_range",
            CaseError::NotAnAdult(_) => "not_an_adult",
            CaseError::MissionDates => "mission_dates",
            CaseError::CountryCode(_) => "country_code",
            CaseError::NameRequired => "name_required",
            CaseError::DateInFuture(_) => "date_in_future",
            CaseError::NoSuchPerson(_) => "no_such_person",
            CaseError::NothingReleased => "nothing_released",
            CaseError::LanguageCode(_) => "language_code",
            CaseError::NoSuchConsent(_) => "no_such_consent",
        })
    }

    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            CaseError::TransitionNotAllowed { case, from, to } => vec![
                ("case", case.clone()),
                ("from", from.to_string()),
                ("to", to.to_string()),
            ],
            CaseError::ExclusionUndecided { case, ground }
            | CaseError::Excluded { case, ground } => {
                vec![("case", case.clone()), ("ground", ground.to_string())]
            }
            CaseError::LanguageCode(c) => vec![("code", c.clone())],
            CaseError::NoSuchConsent(id) => vec![("consent", id.to_string())],
            CaseError::FlagAlreadyDecided(id) | CaseError::NoSuchFlag(id) => {
                vec![("flag", id.to_string())]
            }
            CaseError::NotAMember { case, person } => {
                vec![("case", case.clone()), ("person", person.clone())]
            }
            CaseError::UnknownCriterion(c) => vec![("criterion", c.clone())],
            CaseError::UnknownLevel { criterion, level } => {
                vec![("criterion", criterion.clone()), ("level", level.clone())]
            }
            CaseError::InvalidRubric(detail) => vec![("detail", detail.clone())],
            CaseError::LessonsOutOfRange { lessons, max } => {
                vec![("lessons", lessons.to_string()), ("max", max.to_string())]
            }
            CaseError::NotAnAdult(p) | CaseError::NoSuchPerson(p) => vec![("person", p.clone())],
            CaseError::CountryCode(c) => vec![("code", c.clone())],
            CaseError::DateInFuture(d) => vec![("date", d.clone())],
            CaseError::DeciderRequired
            | CaseError::ReasonsRequired
            | CaseError::NoMemberAccepted
            | CaseError::MembersOnlyWhenAccepting
            | CaseError::MissionDates
            | CaseError::NothingReleased
            | CaseError::NameRequired => Vec::new(),
        }
    }

    /// The form field the refusal belongs to, as the app's forms name them.
    pub fn field(&self) -> Option<&'static str> {
        Some(match self {
            CaseError::TransitionNotAllowed { .. } => "status",
            CaseError::ExclusionUndecided { .. } | CaseError::Excluded { .. } => "verdict",
            CaseError::FlagAlreadyDecided(_) | CaseError::NoSuchFlag(_) => "flag",
            CaseError::DeciderRequired => "by",
            CaseError::ReasonsRequired => "reason",
            CaseError::NoMemberAccepted
            | CaseError::NotAMember { .. }
            | CaseError::MembersOnlyWhenAccepting => "members",
            CaseError::UnknownCriterion(_) | CaseError::UnknownLevel { .. } => "assessments",
            CaseError::InvalidRubric(_) => "rubric",
            CaseError::LessonsOutOfRange { .. } => "lessons",
            CaseError::NotAnAdult(_) | CaseError::NoSuchPerson(_) => "person",
            CaseError::MissionDates => "end_date",
            CaseError::CountryCode(_) => "country_of_asylum",
            CaseError::NameRequired => "name",
            CaseError::DateInFuture(_) => "date",
            CaseError::NothingReleased => "released",
            CaseError::LanguageCode(_) => "language",
            CaseError::NoSuchConsent(_) => "consent",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each refusal: a variant without a code in the list (which the front end
    /// translates) fails here.
    #[test]
    fn every_refusal_has_a_listed_code() {
        let id = Uuid::nil();
        let all = [
            CaseError::TransitionNotAllowed {
                case: "c".into(),
                from: CaseStatus::Submitted,
                to: CaseStatus::Arrived,
            },
            CaseError::ExclusionUndecided {
                case: "c".into(),
                ground: ExclusionGround::Security,
            },
            CaseError::Excluded {
                case: "c".into(),
                ground: ExclusionGround::Security,
            },
            CaseError::FlagAlreadyDecided(id),
            CaseError::NoSuchFlag(id),
            CaseError::DeciderRequired,
            CaseError::ReasonsRequired,
            CaseError::NoMemberAccepted,
            CaseError::NotAMember {
                case: "c".into(),
                person: "p".into(),
            },
            CaseError::MembersOnlyWhenAccepting,
            CaseError::UnknownCriterion("x".into()),
            CaseError::UnknownLevel {
                criterion: "x".into(),
                level: "y".into(),
            },
            CaseError::InvalidRubric("x".into()),
            CaseError::LessonsOutOfRange {
                lessons: 11,
                max: 10,
            },
            CaseError::NotAnAdult("p".into()),
            CaseError::MissionDates,
            CaseError::CountryCode("x".into()),
            CaseError::NameRequired,
            CaseError::DateInFuture("2099-01-01".into()),
            CaseError::NoSuchPerson("p".into()),
            CaseError::NothingReleased,
            CaseError::LanguageCode("x".into()),
            CaseError::NoSuchConsent(id),
        ];
        let codes: Vec<&str> = all.iter().filter_map(CaseError::code).collect();
        assert_eq!(codes, CASE_REFUSAL_CODES);
        assert!(all.iter().all(|e| e.field().is_some()));
    }
}
