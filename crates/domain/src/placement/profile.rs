//! A case as a household to place: its size (the accepted members), the capacities it
//! needs, its skills, languages and the caseworker's placement notes (network, services,
//! link group). Pure: the store reads the rows, this turns them into the solver's input.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::instance::{HouseholdToPlace, RefugeeWish};
use crate::{Household, Person, Relationship};

/// What a caseworker records for placement beyond the case's facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlacementProfile {
    /// Municipality codes where family or a social network lives.
    pub network: Vec<u16>,
    /// Capacities needed beyond those derived from the members (see `derived_needs`).
    pub needs: Vec<String>,
    /// Service tags wanted (e.g. `trauma_therapy`).
    pub services: Vec<String>,
    /// Households with the same link group are placed in the same municipality.
    pub link_group: Option<String>,
    /// The household's own wishes, recorded at the interview, first wish first.
    #[serde(default)]
    pub wishes: Vec<RefugeeWish>,
}

/// The tags that describe a municipality for the feature model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MunicipalityProfile {
    /// Sectors with demand for labour.
    pub labour_market: Vec<String>,
    /// Services offered (e.g. `trauma_therapy`, `special_school`).
    pub services: Vec<String>,
    /// Languages with local support.
    pub languages: Vec<String>,
}

/// Occupation keywords and the labour-market tag they count towards. A keyword matches a
/// lower-case word of the occupation: the whole word, or its beginning when the keyword
/// has 4 letters or more ("agricultur" matches "agricultural"; "it" only "it").
const SKILL_TAGS: &[(&str, &str)] = &[
    ("farmer", "agriculture"),
    ("agricultur", "agriculture"),
    ("tailor", "manufacturing"),
    ("seamstress", "manufacturing"),
    ("teacher", "education"),
    ("nurse", "health"),
    ("doctor", "health"),
    ("pharmacist", "health"),
    ("midwife", "health"),
    ("mechanic", "industry"),
    ("electrician", "construction"),
    ("construction", "construction"),
    ("carpenter", "construction"),
    ("builder", "construction"),
    ("trader", "retail"),
    ("shop", "retail"),
    ("cook", "hospitality"),
    ("chef", "hospitality"),
    ("hairdresser", "service"),
    ("cleaner", "service"),
    ("driver", "transport"),
    ("accountant", "finance"),
    ("it", "it"),
    ("software", "it"),
];

/// The labour-market tags of an occupation, in the table's order, without repeats.
pub fn skills_of(occupation: &str) -> Vec<&'static str> {
    let text = occupation.to_lowercase();
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    let mut tags: Vec<&'static str> = Vec::new();
    for (keyword, tag) in SKILL_TAGS {
        let matches = |w: &&str| *w == *keyword || (keyword.len() >= 4 && w.starts_with(keyword));
        if words.iter().any(matches) && !tags.contains(tag) {
            tags.push(tag);
        }
    }
    tags
}

/// Capacities the members' recorded facts call for: a TOM patient needs specialist care;
/// a member whose special needs mention a wheelchair needs a wheelchair-accessible home.
pub fn derived_needs(members: &[&Person]) -> Vec<String> {
    let mut needs = Vec::new();
    if members.iter().any(|p| p.tom_patient) {
        needs.push("specialist_care".to_owned());
    }
    if members.iter().any(|p| {
        p.special_needs
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains("wheelchair"))
    }) {
        needs.push("wheelchair".to_owned());
    }
    needs
}

/// The household's type (`HOUSEHOLD_TYPES`) from the members to place: one person is
/// single; anyone beyond spouses and children (a parent, a sibling, another relative)
/// makes it `other`; then by spouse and children.
pub fn household_type(members: &[&Person]) -> &'static str {
    let has = |r: Relationship| members.iter().any(|p| p.relationship == r);
    let others = members.iter().any(|p| {
        matches!(
            p.relationship,
            Relationship::Parent | Relationship::Sibling | Relationship::Other
        )
    });
    match (
        members.len(),
        has(Relationship::Spouse),
        has(Relationship::Child),
    ) {
        (1, _, _) => "single",
        _ if others => "other",
        (_, true, true) => "family_with_children",
        (_, true, false) => "couple",
        (_, false, true) => "single_parent",
        _ => "other",
    }
}

/// The household to place: its case number and nationality, `members` the accepted
/// members, and the caseworker's placement notes (its wishes among them).
pub fn household_to_place(
    household: &Household,
    members: &[&Person],
    profile: &PlacementProfile,
) -> HouseholdToPlace {
    let mut needs = derived_needs(members);
    for n in &profile.needs {
        if !needs.contains(n) {
            needs.push(n.clone());
        }
    }
    let mut skills: Vec<String> = Vec::new();
    let mut languages: Vec<String> = Vec::new();
    for p in members {
        for tag in p.occupation.as_deref().map(skills_of).unwrap_or_default() {
            if !skills.iter().any(|s| s == tag) {
                skills.push(tag.to_owned());
            }
        }
        for l in &p.languages {
            if !languages.contains(l) {
                languages.push(l.clone());
            }
        }
    }
    HouseholdToPlace {
        id: household.unhcr_case_no.clone(),
        size: members.len() as u32,
        needs,
        link_group: profile.link_group.clone(),
        network: profile.network.iter().map(u16::to_string).collect(),
        skills,
        services: profile.services.clone(),
        languages,
        job_offer: None,
        wishes: profile.wishes.clone(),
        household_type: Some(household_type(members).to_owned()),
        nationality: Some(household.nationality.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupations_become_labour_market_tags() {
        assert_eq!(skills_of("Car mechanic"), vec!["industry"]);
        assert_eq!(skills_of("IT technician"), vec!["it"]);
        assert_eq!(skills_of("nurse and midwife"), vec!["health"]);
        assert!(skills_of("unemployed").is_empty());
        // "it" only as a word, not inside "fruit".
        assert!(skills_of("fruit seller").is_empty());
        assert_eq!(skills_of("agricultural worker"), vec!["agriculture"]);
    }

    #[test]
    fn a_household_to_place_counts_the_members_given_and_derives_its_needs() {
        let household = crate::testing::household(crate::CaseStatus::Accepted, 3);
        let members: Vec<&Person> = household.members.iter().collect();
        let mut profile = PlacementProfile {
            network: vec![101],
            needs: vec!["wheelchair".into()],
            ..PlacementProfile::default()
        };
        profile.link_group = Some("L1".into());
        let h = household_to_place(&household, &members[..1], &profile);
        assert_eq!(h.id, household.unhcr_case_no);
        assert_eq!(h.size, 1);
        assert_eq!(h.household_type.as_deref(), Some("single"));
        assert_eq!(
            h.nationality.as_deref(),
            Some(household.nationality.as_str())
        );
        assert_eq!(h.network, vec!["101"]);
        assert_eq!(h.link_group.as_deref(), Some("L1"));
        assert!(h.needs.contains(&"wheelchair".to_owned()));
        assert!(!h.languages.is_empty());
    }
}
