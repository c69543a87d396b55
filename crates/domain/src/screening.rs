//! Exclusion screening: a flag on a case (Article 1F of the 1951 Convention, a threat to
//! national security or public order, serious crime) blocks acceptance until someone
//! records a reasoned decision on it. A flag upheld as an exclusion blocks it for good.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::case_error::CaseError;

code_enum! {
    /// The grounds for excluding a person from resettlement.
    ExclusionGround {
        Article1F => "article_1f", Security => "security", SeriousCrime => "serious_crime",
    }
}

code_enum! {
    /// The decision on a flag: the concern is cleared, or the exclusion applies.
    FlagResolution { Cleared => "cleared", Excluded => "excluded" }
}

/// The reasoned decision on a flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct FlagDecision {
    pub resolution: FlagResolution,
    pub by: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// A screening flag raised on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScreeningFlag {
    pub id: Uuid,
    pub ground: ExclusionGround,
    pub raised_by: String,
    pub raised_at: DateTime<Utc>,
    /// What prompted the flag. Sensitive: it never leaves the agency.
    pub note: String,
    pub decision: Option<FlagDecision>,
}

/// Whether the flags allow a case to be accepted: every flag needs a decision, and none
/// may be upheld as an exclusion.
pub fn check_acceptable(case_no: &str, flags: &[ScreeningFlag]) -> Result<(), CaseError> {
    for f in flags {
        match &f.decision {
            None => {
                return Err(CaseError::ExclusionUndecided {
                    case: case_no.to_owned(),
                    ground: f.ground,
                })
            }
            Some(d) if d.resolution == FlagResolution::Excluded => {
                return Err(CaseError::Excluded {
                    case: case_no.to_owned(),
                    ground: f.ground,
                })
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Checks a decision on a flag before it is recorded: a flag is decided once, by a named
/// person, with reasons.
pub fn check_flag_decision(flag: &ScreeningFlag, by: &str, reason: &str) -> Result<(), CaseError> {
    if flag.decision.is_some() {
        return Err(CaseError::FlagAlreadyDecided(flag.id));
    }
    if by.trim().is_empty() {
        return Err(CaseError::DeciderRequired);
    }
    if reason.trim().is_empty() {
        return Err(CaseError::ReasonsRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(decision: Option<FlagResolution>) -> ScreeningFlag {
        ScreeningFlag {
            id: Uuid::new_v4(),
            ground: ExclusionGround::Article1F,
            raised_by: "kim".into(),
            raised_at: Utc::now(),
            note: "n".into(),
            decision: decision.map(|resolution| FlagDecision {
                resolution,
                by: "ane".into(),
                reason: "r".into(),
                at: Utc::now(),
            }),
        }
    }

    #[test]
    fn an_open_flag_blocks_until_cleared_and_an_exclusion_blocks_for_good() {
        assert!(check_acceptable("C", &[]).is_ok());
        let open = check_acceptable("C", &[flag(None)]).unwrap_err();
        assert_eq!(open.code(), "exclusion_undecided");
        assert!(check_acceptable("C", &[flag(Some(FlagResolution::Cleared))]).is_ok());
        let upheld = check_acceptable(
            "C",
            &[
                flag(Some(FlagResolution::Cleared)),
                flag(Some(FlagResolution::Excluded)),
            ],
        )
        .unwrap_err();
        assert_eq!(upheld.code(), "excluded");
    }

    #[test]
    fn a_flag_is_decided_once_with_a_name_and_reasons() {
        assert!(check_flag_decision(&flag(None), "ane", "checked the file").is_ok());
        assert_eq!(
            check_flag_decision(&flag(None), " ", "r")
                .unwrap_err()
                .code(),
            "decider_required"
        );
        assert_eq!(
            check_flag_decision(&flag(None), "ane", "")
                .unwrap_err()
                .code(),
            "reasons_required"
        );
        assert_eq!(
            check_flag_decision(&flag(Some(FlagResolution::Cleared)), "ane", "r")
                .unwrap_err()
                .code(),
            "flag_already_decided"
        );
    }
}
