//! Consent (release): what a household released from its RRF to the receiving
//! municipality, in which language it was explained, who recorded it and when, and its
//! withdrawal. Information about the asylum claim is never releasable: it is not an item.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::case_error::CaseError;

code_enum! {
    /// What a consent can release.
    ReleaseItem { SpecialNeeds => "special_needs" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Withdrawal {
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Consent {
    pub id: Uuid,
    pub released: Vec<ReleaseItem>,
    /// ISO 639 code of the language the consent was explained and signed in.
    pub language: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub withdrawn: Option<Withdrawal>,
}

/// Checks a consent before it is recorded: it releases something, in a language code.
pub fn check_consent(released: &[ReleaseItem], language: &str) -> Result<(), CaseError> {
    if released.is_empty() {
        return Err(CaseError::NothingReleased);
    }
    let code = language.trim();
    if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(CaseError::LanguageCode(language.to_owned()));
    }
    Ok(())
}

/// What is released now: the items of consents not withdrawn.
pub fn released_now(consents: &[Consent], item: ReleaseItem) -> bool {
    consents
        .iter()
        .any(|c| c.withdrawn.is_none() && c.released.contains(&item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consent_releases_something_in_a_language() {
        assert!(check_consent(&[ReleaseItem::SpecialNeeds], "ar").is_ok());
        assert_eq!(
            check_consent(&[], "ar").unwrap_err().code(),
            "nothing_released"
        );
        assert_eq!(
            check_consent(&[ReleaseItem::SpecialNeeds], "Arabic")
                .unwrap_err()
                .code(),
            "language_code"
        );
    }

    #[test]
    fn a_withdrawn_consent_releases_nothing() {
        let mut c = Consent {
            id: Uuid::nil(),
            released: vec![ReleaseItem::SpecialNeeds],
            language: "so".into(),
            recorded_by: "kim".into(),
            recorded_at: Utc::now(),
            withdrawn: None,
        };
        assert!(released_now(
            std::slice::from_ref(&c),
            ReleaseItem::SpecialNeeds
        ));
        c.withdrawn = Some(Withdrawal {
            at: Utc::now(),
            by: "kim".into(),
        });
        assert!(!released_now(&[c], ReleaseItem::SpecialNeeds));
    }
}
