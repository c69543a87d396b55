//! The case workflow of the design brief: which status may follow which. Every status
//! change in the store goes through `check_transition`, so a case cannot skip a step.
//!
//! submitted → interviewed (mission route) or examined (dossier route)
//!           → accepted / rejected / deferred → pending departure → departed → arrived;
//! a deferred case is decided again later; a case can be withdrawn until it departs.

use super::case_error::CaseError;
use super::{CaseStatus, Route};

/// The statuses a case in `from` may move to.
pub fn next_statuses(from: CaseStatus, route: Route) -> &'static [CaseStatus] {
    use CaseStatus::*;
    match (from, route) {
        (Submitted, Route::Mission) => &[Interviewed, Withdrawn],
        (Submitted, Route::Dossier) => &[Examined, Withdrawn],
        (Interviewed | Examined | Deferred, _) => &[Accepted, Rejected, Deferred, Withdrawn],
        (Accepted, _) => &[PendingDeparture, Withdrawn],
        (PendingDeparture, _) => &[Departed, Withdrawn],
        (Departed, _) => &[Arrived],
        (Rejected | Arrived | Withdrawn, _) => &[],
    }
}

/// Whether a case may move from `from` to `to`, as a refusal that names both.
pub fn check_transition(
    case_no: &str,
    from: CaseStatus,
    to: CaseStatus,
    route: Route,
) -> Result<(), CaseError> {
    if next_statuses(from, route).contains(&to) {
        Ok(())
    } else {
        Err(CaseError::TransitionNotAllowed {
            case: case_no.to_owned(),
            from,
            to,
        })
    }
}

/// Whether a case in this status is waiting for a decision.
pub fn awaits_decision(status: CaseStatus) -> bool {
    matches!(
        status,
        CaseStatus::Interviewed | CaseStatus::Examined | CaseStatus::Deferred
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn a_mission_case_is_interviewed_and_a_dossier_case_examined() {
        assert!(check_transition("C", Submitted, Interviewed, Route::Mission).is_ok());
        assert!(check_transition("C", Submitted, Examined, Route::Mission).is_err());
        assert!(check_transition("C", Submitted, Examined, Route::Dossier).is_ok());
        assert!(check_transition("C", Submitted, Interviewed, Route::Dossier).is_err());
    }

    #[test]
    fn no_step_is_skipped_and_ends_are_final() {
        assert!(check_transition("C", Submitted, Accepted, Route::Mission).is_err());
        assert!(check_transition("C", Accepted, Departed, Route::Mission).is_err());
        assert!(check_transition("C", PendingDeparture, Arrived, Route::Mission).is_err());
        assert!(check_transition("C", Departed, Withdrawn, Route::Mission).is_err());
        for end in [Rejected, Arrived, Withdrawn] {
            for to in CaseStatus::ALL {
                assert!(check_transition("C", end, *to, Route::Dossier).is_err());
            }
        }
    }

    #[test]
    fn a_deferral_is_decided_again() {
        for to in [Accepted, Rejected, Deferred] {
            assert!(check_transition("C", Deferred, to, Route::Mission).is_ok());
        }
    }

    #[test]
    fn the_refusal_names_both_statuses() {
        let e = check_transition("C-1", Submitted, Arrived, Route::Mission).unwrap_err();
        assert_eq!(e.code(), "transition_not_allowed");
        assert!(e.to_string().contains("submitted"), "{e}");
        assert!(e.to_string().contains("arrived"), "{e}");
    }
}
