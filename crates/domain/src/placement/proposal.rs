//! A placement proposal's life: proposed to a municipality, consulted with it, then
//! confirmed or declined. A declined household goes back to the pool (it has no active
//! proposal and can be proposed again); a confirmed one is final.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

code_enum! {
    /// Where a placement proposal stands.
    ProposalStatus {
        Proposed => "proposed", Consulted => "consulted",
        Confirmed => "confirmed", Declined => "declined",
    }
}

code_enum! {
    /// How a proposal's municipality was chosen.
    ProposalMethod { Optimal => "optimal", Greedy => "greedy", Hand => "hand" }
}

impl ProposalStatus {
    /// The statuses a proposal may move to from this one.
    pub fn next(self) -> &'static [ProposalStatus] {
        use ProposalStatus::*;
        match self {
            Proposed => &[Consulted, Declined],
            Consulted => &[Confirmed, Declined],
            Confirmed | Declined => &[],
        }
    }

    /// Whether the proposal holds places of the municipality's quota and capacities.
    pub fn is_active(self) -> bool {
        self != ProposalStatus::Declined
    }

    /// Whether the municipality can still be changed by hand (not after confirmation).
    pub fn is_open(self) -> bool {
        matches!(self, ProposalStatus::Proposed | ProposalStatus::Consulted)
    }
}

/// Why a change to a proposal is refused; `code` is the UI's translation key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ProposalError {
    #[error("a proposal that is {from} cannot become {to}")]
    BadTransition { from: String, to: String },
    #[error("a confirmed or declined proposal cannot be moved")]
    Closed,
    #[error("{municipality} has {left} places left for {persons} persons; record an override reason to place them anyway")]
    OverQuota {
        municipality: u16,
        persons: u32,
        #[ts(type = "number")]
        left: i64,
    },
    #[error("{municipality} has no {capacity} free")]
    NoCapacity { municipality: u16, capacity: String },
    #[error("the household is linked ({group}) to households proposed to {municipality}; move the group together")]
    LinkGroupSplit { group: String, municipality: u16 },
    #[error("who made the change must be named")]
    NameRequired,
    #[error("a declined proposal needs a reason")]
    ReasonRequired,
}

crate::refusal_table! {
    impl ProposalError {
        Self::BadTransition { from, to } => "bad_transition" [from, to],
        Self::Closed => "closed",
        Self::OverQuota { municipality, persons, left } =>
            "over_quota" in "override_reason" [municipality, persons, left],
        Self::NoCapacity { municipality, capacity } =>
            "no_capacity" in "municipality" [municipality, capacity],
        Self::LinkGroupSplit { group, municipality } =>
            "link_group_split" in "municipality" [group, municipality],
        Self::NameRequired => "name_required" in "by",
        Self::ReasonRequired => "reason_required" in "note",
    }
}

/// Checks a status change: one of `next`, by a named person, a decline with a reason.
pub fn check_transition(
    from: ProposalStatus,
    to: ProposalStatus,
    by: &str,
    note: &str,
) -> Result<(), ProposalError> {
    if by.trim().is_empty() {
        return Err(ProposalError::NameRequired);
    }
    if !from.next().contains(&to) {
        return Err(ProposalError::BadTransition {
            from: from.code().into(),
            to: to.code().into(),
        });
    }
    if to == ProposalStatus::Declined && note.trim().is_empty() {
        return Err(ProposalError::ReasonRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProposalStatus::*;

    #[test]
    fn proposals_go_proposed_consulted_then_confirmed_or_declined() {
        assert!(check_transition(Proposed, Consulted, "Quota manager", "").is_ok());
        assert!(check_transition(Consulted, Confirmed, "Quota manager", "").is_ok());
        assert!(check_transition(Consulted, Declined, "QM", "no housing").is_ok());
        assert!(check_transition(Proposed, Declined, "QM", "too far").is_ok());
        assert!(matches!(
            check_transition(Proposed, Confirmed, "QM", ""),
            Err(ProposalError::BadTransition { .. })
        ));
        assert!(matches!(
            check_transition(Confirmed, Declined, "QM", "x"),
            Err(ProposalError::BadTransition { .. })
        ));
        assert_eq!(
            check_transition(Consulted, Declined, "QM", " "),
            Err(ProposalError::ReasonRequired)
        );
        assert_eq!(
            check_transition(Proposed, Consulted, "", ""),
            Err(ProposalError::NameRequired)
        );
        assert!(!Declined.is_active() && Confirmed.is_active() && !Confirmed.is_open());
    }
}
