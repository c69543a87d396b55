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
    #[error("case {0} is on this laptop for a mission: confidential member information is recorded at the office, since no return carries it")]
    ConfidentialInTheField(String),
}

crate::refusal_table! {
    impl CaseError {
        Self::TransitionNotAllowed { case, from, to } => "transition_not_allowed" in "status" [case, from, to],
        Self::ExclusionUndecided { case, ground } => "exclusion_undecided" in "verdict" [case, ground],
        Self::Excluded { case, ground } => "excluded" in "verdict" [case, ground],
        Self::FlagAlreadyDecided(flag) => "flag_already_decided" in "flag" [flag],
        Self::NoSuchFlag(flag) => "no_such_flag" in "flag" [flag],
        Self::DeciderRequired => "decider_required" in "by",
        Self::ReasonsRequired => "reasons_required" in "reason",
        Self::NoMemberAccepted => "no_member_accepted" in "members",
        Self::NotAMember { case, person } => "not_a_member" in "members" [case, person],
        Self::MembersOnlyWhenAccepting => "members_only_when_accepting" in "members",
        Self::UnknownCriterion(criterion) => "unknown_criterion" in "assessments" [criterion],
        Self::UnknownLevel { criterion, level } => "unknown_level" in "assessments" [criterion, level],
        Self::InvalidRubric(detail) => "invalid_rubric" in "rubric" [detail],
        Self::LessonsOutOfRange { lessons, max } => "lessons_out_of_range" in "lessons" [lessons, max],
        Self::NotAnAdult(person) => "not_an_adult" in "person" [person],
        Self::MissionDates => "mission_dates" in "end_date",
        Self::CountryCode(code) => "country_code" in "country_of_asylum" [code],
        Self::NameRequired => "name_required" in "name",
        Self::DateInFuture(date) => "date_in_future" in "date" [date],
        Self::NoSuchPerson(person) => "no_such_person" in "person" [person],
        Self::NothingReleased => "nothing_released" in "released",
        Self::LanguageCode(code) => "language_code" in "language" [code],
        Self::NoSuchConsent(consent) => "no_such_consent" in "consent" [consent],
        Self::ConfidentialInTheField(case) => "confidential_in_the_field" in "note" [case],
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
            CaseError::ConfidentialInTheField("c".into()),
        ];
        let codes: Vec<&str> = all.iter().map(CaseError::code).collect();
        assert_eq!(codes, CaseError::CODES);
        assert!(all.iter().all(|e| e.field().is_some()));
    }
}
