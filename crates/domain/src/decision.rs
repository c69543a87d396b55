//! The final decision on a case: accept, reject or defer, by a named person, with
//! reasons. It is recorded apart from the integration score, which only informs it. An
//! acceptance may be split: it names the members accepted, and only they are charged to
//! the quota.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::case_error::CaseError;
use super::screening::{check_acceptable, ScreeningFlag};
use super::workflow::check_transition;
use super::{CaseStatus, Household};

code_enum! {
    Verdict { Accept => "accept", Reject => "reject", Defer => "defer" }
}

impl Verdict {
    /// The status a case takes with this verdict.
    pub fn status(self) -> CaseStatus {
        match self {
            Verdict::Accept => CaseStatus::Accepted,
            Verdict::Reject => CaseStatus::Rejected,
            Verdict::Defer => CaseStatus::Deferred,
        }
    }
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Decision {
    pub id: Uuid,
    pub verdict: Verdict,
    pub by: String,
    pub reasons: String,
    pub at: DateTime<Utc>,
    /// The members accepted (all of them unless the decision was split); empty unless
    /// the verdict is accept.
    pub accepted: Vec<Uuid>,
}

/// What a caseworker asks to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRequest {
    pub verdict: Verdict,
    pub by: String,
    pub reasons: String,
    /// For an acceptance, the members accepted; None accepts the whole household.
    pub accepted: Option<Vec<Uuid>>,
}

/// Checks a decision against the case and its screening flags and gives the members it
/// accepts, in household order. Nothing is recorded here; the store records the result.
pub fn check_decision(
    household: &Household,
    flags: &[ScreeningFlag],
    request: &DecisionRequest,
) -> Result<Vec<Uuid>, CaseError> {
    if request.by.trim().is_empty() {
        return Err(CaseError::DeciderRequired);
    }
    if request.reasons.trim().is_empty() {
        return Err(CaseError::ReasonsRequired);
    }
    let case = &household.unhcr_case_no;
    check_transition(
        case,
        household.status,
        request.verdict.status(),
        household.route,
    )?;
    if request.verdict != Verdict::Accept {
        return match request.accepted {
            Some(_) => Err(CaseError::MembersOnlyWhenAccepting),
            None => Ok(Vec::new()),
        };
    }
    check_acceptable(case, flags)?;
    let Some(named) = &request.accepted else {
        return Ok(household.members.iter().map(|m| m.id).collect());
    };
    let named: BTreeSet<Uuid> = named.iter().copied().collect();
    if let Some(stranger) = named
        .iter()
        .find(|id| !household.members.iter().any(|m| m.id == **id))
    {
        return Err(CaseError::NotAMember {
            case: case.clone(),
            person: stranger.to_string(),
        });
    }
    if named.is_empty() {
        return Err(CaseError::NoMemberAccepted);
    }
    Ok(household
        .members
        .iter()
        .map(|m| m.id)
        .filter(|id| named.contains(id))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screening::ExclusionGround;
    use crate::testing::household;

    fn request(verdict: Verdict, accepted: Option<Vec<Uuid>>) -> DecisionRequest {
        DecisionRequest {
            verdict,
            by: "Ane Holm".into(),
            reasons: "meets the criteria".into(),
            accepted,
        }
    }

    #[test]
    fn an_acceptance_takes_the_whole_household_unless_split() {
        let h = household(CaseStatus::Interviewed, 3);
        let all = check_decision(&h, &[], &request(Verdict::Accept, None)).unwrap();
        assert_eq!(all.len(), 3);
        let split = vec![h.members[2].id, h.members[0].id];
        let some = check_decision(&h, &[], &request(Verdict::Accept, Some(split))).unwrap();
        assert_eq!(some, vec![h.members[0].id, h.members[2].id]);
    }

    #[test]
    fn a_split_names_members_of_this_household_only() {
        let h = household(CaseStatus::Interviewed, 2);
        let e = check_decision(
            &h,
            &[],
            &request(Verdict::Accept, Some(vec![Uuid::new_v4()])),
        );
        assert_eq!(e.unwrap_err().code(), "not_a_member");
        let e = check_decision(&h, &[], &request(Verdict::Accept, Some(vec![])));
        assert_eq!(e.unwrap_err().code(), "no_member_accepted");
        let e = check_decision(
            &h,
            &[],
            &request(Verdict::Reject, Some(vec![h.members[0].id])),
        );
        assert_eq!(e.unwrap_err().code(), "members_only_when_accepting");
    }

    #[test]
    fn a_decision_needs_a_name_reasons_and_a_case_ready_for_it() {
        let h = household(CaseStatus::Interviewed, 1);
        let mut r = request(Verdict::Reject, None);
        r.by = " ".into();
        assert_eq!(
            check_decision(&h, &[], &r).unwrap_err().code(),
            "decider_required"
        );
        let mut r = request(Verdict::Defer, None);
        r.reasons = "".into();
        assert_eq!(
            check_decision(&h, &[], &r).unwrap_err().code(),
            "reasons_required"
        );
        let submitted = household(CaseStatus::Submitted, 1);
        assert_eq!(
            check_decision(&submitted, &[], &request(Verdict::Accept, None))
                .unwrap_err()
                .code(),
            "transition_not_allowed"
        );
    }

    #[test]
    fn an_undecided_flag_blocks_acceptance_but_not_a_rejection() {
        let h = household(CaseStatus::Examined, 1);
        let flag = ScreeningFlag {
            id: Uuid::new_v4(),
            ground: ExclusionGround::SeriousCrime,
            raised_by: "kim".into(),
            raised_at: Utc::now(),
            note: "n".into(),
            decision: None,
        };
        let e = check_decision(
            &h,
            std::slice::from_ref(&flag),
            &request(Verdict::Accept, None),
        );
        assert_eq!(e.unwrap_err().code(), "exclusion_undecided");
        assert!(check_decision(&h, &[flag], &request(Verdict::Reject, None)).is_ok());
    }
}
