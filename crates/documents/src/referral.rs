//! The referral form a receiving municipality gets for each household (modelled on the
//! immigration service's housing-placement form): the members, their languages,
//! literacy, education and work, the special needs the household released, and the
//! arrival.
//!
//! The types here have no field for the protection claim, interview notes or anything
//! else from the asylum case, and `referral` reads only the household's registration and
//! its consents: a referral cannot contain the claim by construction. Special needs come
//! in only through a consent that releases them and is not withdrawn at the moment of
//! export.

use chrono::{DateTime, NaiveDate, Utc};

use resettle_domain::case::{Household, Relationship, Sex};
use resettle_domain::consent::{Consent, ReleaseItem};

/// One member as the municipality sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralMember {
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub relationship: Relationship,
    /// ISO 639 codes, most used first.
    pub languages: Vec<String>,
    pub literate: bool,
    pub education_years: u8,
    pub occupation: Option<String>,
}

/// The special-needs section: what the household released, or that nothing was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecialNeeds {
    NotReleased,
    Released {
        /// The consent's language, who recorded it and when.
        language: String,
        recorded_by: String,
        recorded_at: DateTime<Utc>,
        /// (member's name, need) for each member with a need.
        needs: Vec<(String, String)>,
    },
}

pub use resettle_domain::municipality::Arrival;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub document_id: String,
    /// The day of the export.
    pub issued: NaiveDate,
    pub case_number: String,
    pub nationality: String,
    pub members: Vec<ReferralMember>,
    pub special_needs: SpecialNeeds,
    pub arrival: Arrival,
}

/// The referral of a household at the moment `now`: special needs only under a consent
/// in force then.
pub fn referral(
    household: &Household,
    consents: &[Consent],
    arrival: Arrival,
    document_id: &str,
    now: DateTime<Utc>,
) -> Referral {
    let members = household
        .members
        .iter()
        .map(|m| ReferralMember {
            name: format!("{} {}", m.given_name, m.family_name),
            date_of_birth: m.date_of_birth,
            sex: m.sex,
            relationship: m.relationship,
            languages: m.languages.clone(),
            literate: m.literate,
            education_years: m.education_years,
            occupation: m.occupation.clone(),
        })
        .collect();
    Referral {
        document_id: document_id.to_owned(),
        issued: now.date_naive(),
        case_number: household.unhcr_case_no.clone(),
        nationality: household.nationality.clone(),
        members,
        special_needs: special_needs(household, consents, now),
        arrival,
    }
}

/// The latest consent in force at `now` that releases special needs decides; without
/// one, nothing is released.
fn special_needs(household: &Household, consents: &[Consent], now: DateTime<Utc>) -> SpecialNeeds {
    let in_force = consents
        .iter()
        .filter(|c| c.released.contains(&ReleaseItem::SpecialNeeds))
        .filter(|c| c.recorded_at <= now)
        .filter(|c| c.withdrawn.as_ref().is_none_or(|w| w.at > now))
        .max_by_key(|c| c.recorded_at);
    let Some(consent) = in_force else {
        return SpecialNeeds::NotReleased;
    };
    let mut needs = Vec::new();
    for m in &household.members {
        let name = format!("{} {}", m.given_name, m.family_name);
        if let Some(need) = m.special_needs.as_deref().filter(|n| !n.trim().is_empty()) {
            needs.push((name.clone(), need.trim().to_owned()));
        }
        if m.tom_patient {
            needs.push((
                name,
                "specialist medical care (Twenty-or-More programme)".to_owned(),
            ));
        }
    }
    SpecialNeeds::Released {
        language: consent.language.clone(),
        recorded_by: consent.recorded_by.clone(),
        recorded_at: consent.recorded_at,
        needs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use resettle_domain::consent::Withdrawal;
    use resettle_domain::testing::household;
    use resettle_domain::CaseStatus;
    use uuid::Uuid;

    fn arrival() -> Arrival {
        Arrival {
            municipality_code: "751".into(),
            municipality_name: "Aarhus".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1),
        }
    }

    fn consent(at: DateTime<Utc>, withdrawn: Option<DateTime<Utc>>) -> Consent {
        Consent {
            id: Uuid::new_v4(),
            released: vec![ReleaseItem::SpecialNeeds],
            language: "ar".into(),
            recorded_by: "kim".into(),
            recorded_at: at,
            withdrawn: withdrawn.map(|at| Withdrawal {
                at,
                by: "kim".into(),
            }),
        }
    }

    #[test]
    fn special_needs_appear_only_under_a_consent_in_force_at_export() {
        let mut h = household(CaseStatus::Accepted, 2);
        h.members[1].special_needs = Some("wheelchair user".into());
        let t = |d| Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap();

        let none = referral(&h, &[], arrival(), "R-1", t(20));
        assert_eq!(none.special_needs, SpecialNeeds::NotReleased);
        assert_eq!(none.members.len(), 2);

        let given = [consent(t(10), None)];
        match referral(&h, &given, arrival(), "R-2", t(20)).special_needs {
            SpecialNeeds::Released {
                needs, language, ..
            } => {
                assert_eq!(
                    needs,
                    [("Amal Haddad".to_owned(), "wheelchair user".to_owned())]
                );
                assert_eq!(language, "ar");
            }
            other => panic!("{other:?}"),
        }
        // Before the consent was given, and after it was withdrawn: nothing.
        assert_eq!(
            referral(&h, &given, arrival(), "R-3", t(5)).special_needs,
            SpecialNeeds::NotReleased
        );
        let withdrawn = [consent(t(10), Some(t(15)))];
        assert_eq!(
            referral(&h, &withdrawn, arrival(), "R-4", t(20)).special_needs,
            SpecialNeeds::NotReleased
        );
    }
}
