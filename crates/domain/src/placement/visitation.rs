//! What a quota manager or caseworker records for the visitation, checked before it is
//! stored: a household's job offer, its own ranked wishes, a municipality's wishes for the
//! year. One place for these rules, so the command line, the window and an import refuse
//! the same things with the same words.

use std::collections::BTreeSet;

use serde::Serialize;
use ts_rs::TS;

use super::instance::{MunicipalityWishes, RefugeeWish, HOUSEHOLD_TYPES, WISH_REASONS};
use super::job_offer::JobOffer;
use crate::municipality::official_list;

/// The most hours a week an offer can state: more is a typing error.
pub const MOST_HOURS: f64 = 80.0;

/// The most wishes a household ranks: the interview asks for a few, and a long list would
/// stop saying what matters most.
pub const MOST_WISHES: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, TS)]
pub enum VisitationError {
    #[error("hours per week {hours} must be a number above 0 and at most 80")]
    JobOfferHours { hours: String },
    #[error("a job offer needs the reference of the document it is in (a letter, a file number)")]
    JobOfferDocument,
    #[error("overriding a job offer needs the reason, recorded with the decision")]
    OverrideReason,
    #[error("at most {most} wishes are recorded; the household gave {given}")]
    TooManyWishes { given: usize, most: usize },
    #[error("wish {rank} must name a municipality or a region, and only one of them")]
    WishPlace { rank: usize },
    #[error("wish {rank} names municipality {municipality}, which does not exist")]
    WishMunicipality { rank: usize, municipality: String },
    #[error("wish {rank} names region {region}, which does not exist")]
    WishRegion { rank: usize, region: String },
    #[error("wish {rank} gives the reason {reason:?}; the reasons are relatives, community, work and other")]
    WishReason { rank: usize, reason: String },
    #[error("wish {rank} repeats wish {first} ({place})")]
    WishTwice {
        rank: usize,
        first: usize,
        place: String,
    },
    #[error("household type {kind:?} is not one of single, couple, single_parent, family_with_children, other")]
    HouseholdType { kind: String },
    #[error("{field} {value:?} is not a tag (lower-case letters, digits, _ or -)")]
    Tag { field: String, value: String },
}

crate::refusal_table! {
    impl VisitationError {
        Self::JobOfferHours { hours } => "job_offer_hours" in "hours_per_week" [hours],
        Self::JobOfferDocument => "job_offer_document" in "document",
        Self::OverrideReason => "job_offer_override_reason" in "override_reason",
        Self::TooManyWishes { given, most } => "too_many_wishes" in "wishes" [given, most],
        Self::WishPlace { rank } => "wish_place" in "wishes" [rank],
        Self::WishMunicipality { rank, municipality } =>
            "wish_municipality" in "wishes" [rank, municipality],
        Self::WishRegion { rank, region } => "wish_region" in "wishes" [rank, region],
        Self::WishReason { rank, reason } => "wish_reason" in "wishes" [rank, reason],
        Self::WishTwice { rank, first, place } => "wish_twice" in "wishes" [rank, first, place],
        Self::HouseholdType { kind } => "household_type" in "household_types" [kind],
        Self::Tag { field, value } => "bad_tag" in "wishes" [field, value],
    }
}

/// A job offer as it may be recorded: some hours up to 80 a week, and its document.
/// Whether it qualifies (permanent, 15 hours) is not a refusal: a part-time offer is
/// recorded and shown, it only does not decide the municipality.
pub fn check_job_offer(offer: &JobOffer) -> Result<(), VisitationError> {
    if !offer.hours_per_week.is_finite()
        || offer.hours_per_week <= 0.0
        || offer.hours_per_week > MOST_HOURS
    {
        return Err(VisitationError::JobOfferHours {
            hours: offer.hours_per_week.to_string(),
        });
    }
    if offer.document.trim().is_empty() {
        return Err(VisitationError::JobOfferDocument);
    }
    if offer
        .overridden
        .as_deref()
        .is_some_and(|r| r.trim().is_empty())
    {
        return Err(VisitationError::OverrideReason);
    }
    Ok(())
}

/// A household's wishes: at most `MOST_WISHES`, each one existing municipality or region
/// (by the official list), a known reason when one is given, no place twice.
pub fn check_refugee_wishes(wishes: &[RefugeeWish]) -> Result<(), VisitationError> {
    if wishes.len() > MOST_WISHES {
        return Err(VisitationError::TooManyWishes {
            given: wishes.len(),
            most: MOST_WISHES,
        });
    }
    let list = official_list();
    let mut places: Vec<String> = Vec::new();
    for (i, wish) in wishes.iter().enumerate() {
        let rank = i + 1;
        let place = match (&wish.municipality, &wish.region) {
            (Some(code), None) => {
                if !list.iter().any(|m| m.code.to_string() == *code) {
                    return Err(VisitationError::WishMunicipality {
                        rank,
                        municipality: code.clone(),
                    });
                }
                code.clone()
            }
            (None, Some(region)) => {
                if !list.iter().any(|m| m.region_code.to_string() == *region) {
                    return Err(VisitationError::WishRegion {
                        rank,
                        region: region.clone(),
                    });
                }
                format!("region {region}")
            }
            _ => return Err(VisitationError::WishPlace { rank }),
        };
        if let Some(reason) = &wish.reason {
            if !WISH_REASONS.contains(&reason.as_str()) {
                return Err(VisitationError::WishReason {
                    rank,
                    reason: reason.clone(),
                });
            }
        }
        if let Some(first) = places.iter().position(|p| *p == place) {
            return Err(VisitationError::WishTwice {
                rank,
                first: first + 1,
                place,
            });
        }
        places.push(place);
    }
    Ok(())
}

/// A municipality's wishes: known household types, and tags for languages and services.
pub fn check_municipality_wishes(wishes: &MunicipalityWishes) -> Result<(), VisitationError> {
    for kind in &wishes.household_types {
        if !HOUSEHOLD_TYPES.contains(&kind.as_str()) {
            return Err(VisitationError::HouseholdType { kind: kind.clone() });
        }
    }
    for (field, values) in [
        ("languages", &wishes.languages),
        ("services", &wishes.services),
    ] {
        let mut seen = BTreeSet::new();
        for value in values {
            let tag = !value.is_empty()
                && value.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                });
            if !tag || !seen.insert(value) {
                return Err(VisitationError::Tag {
                    field: field.to_owned(),
                    value: value.clone(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wish(municipality: Option<&str>, region: Option<&str>, reason: Option<&str>) -> RefugeeWish {
        RefugeeWish {
            municipality: municipality.map(str::to_owned),
            region: region.map(str::to_owned),
            reason: reason.map(str::to_owned),
        }
    }

    fn offer(hours: f64, document: &str) -> JobOffer {
        JobOffer {
            municipality: 101,
            hours_per_week: hours,
            permanent: true,
            document: document.into(),
            overridden: None,
        }
    }

    #[test]
    fn a_job_offer_needs_real_hours_and_its_document() {
        assert_eq!(check_job_offer(&offer(37.0, "letter 2026-14")), Ok(()));
        // A part-time offer is recorded; it only does not qualify.
        assert_eq!(check_job_offer(&offer(10.0, "letter")), Ok(()));
        for hours in [0.0, -3.0, 81.0, f64::NAN] {
            assert!(matches!(
                check_job_offer(&offer(hours, "letter")),
                Err(VisitationError::JobOfferHours { .. })
            ));
        }
        assert_eq!(
            check_job_offer(&offer(37.0, "  ")),
            Err(VisitationError::JobOfferDocument)
        );
        let mut overridden = offer(37.0, "letter");
        overridden.overridden = Some(" ".into());
        assert_eq!(
            check_job_offer(&overridden),
            Err(VisitationError::OverrideReason)
        );
    }

    #[test]
    fn wishes_name_one_real_place_each_once_with_a_known_reason() {
        let good = [
            wish(Some("101"), None, Some("relatives")),
            wish(None, Some("1084"), Some("work")),
            wish(Some("461"), None, None),
        ];
        assert_eq!(check_refugee_wishes(&good), Ok(()));
        let refused = |w: Vec<RefugeeWish>| check_refugee_wishes(&w).unwrap_err().code();
        assert_eq!(refused(vec![wish(None, None, None)]), "wish_place");
        assert_eq!(
            refused(vec![wish(Some("101"), Some("1084"), None)]),
            "wish_place"
        );
        assert_eq!(
            refused(vec![wish(Some("999"), None, None)]),
            "wish_municipality"
        );
        assert_eq!(refused(vec![wish(None, Some("9"), None)]), "wish_region");
        assert_eq!(
            refused(vec![wish(Some("101"), None, Some("weather"))]),
            "wish_reason"
        );
        assert_eq!(
            check_refugee_wishes(&[wish(Some("101"), None, None), wish(Some("101"), None, None)]),
            Err(VisitationError::WishTwice {
                rank: 2,
                first: 1,
                place: "101".into()
            })
        );
        assert_eq!(
            refused(vec![wish(Some("101"), None, None); 6]),
            "too_many_wishes"
        );
    }

    #[test]
    fn a_municipality_wishes_known_types_and_tags() {
        let mut wishes = MunicipalityWishes {
            household_types: vec!["single".into()],
            languages: vec!["ar".into()],
            services: vec!["trauma_therapy".into()],
        };
        assert_eq!(check_municipality_wishes(&wishes), Ok(()));
        wishes.household_types.push("pensioners".into());
        assert_eq!(
            check_municipality_wishes(&wishes).unwrap_err().code(),
            "household_type"
        );
        wishes.household_types.pop();
        wishes.languages.push("Arabic".into());
        assert_eq!(
            check_municipality_wishes(&wishes),
            Err(VisitationError::Tag {
                field: "languages".into(),
                value: "Arabic".into()
            })
        );
    }
}
