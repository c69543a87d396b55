//! The two kinds of wishes the visitation weighs, as soft terms of the score:
//!
//! - a refugee household's own ranked wishes (municipalities or regions, and why),
//!   recorded at the interview (Integration Act; BEK 550 § 14). The first wish honoured
//!   is worth the whole weight, the second half of it, the k-th 1/k: a lower wish is
//!   still worth something, never as much as a higher one.
//! - a municipality's wishes for the year (the visiteringsskema): household types it can
//!   receive well, languages and services it can support. Worth the weight times the
//!   share of the municipality's wish kinds the household meets.
//!
//! Each wish is always accounted for in a plan's reasons: honoured, or why not.

use super::instance::{HouseholdToPlace, MunicipalitySlot, RefugeeWish};

/// The best-ranked of the household's wishes that the municipality honours: its rank
/// (1 for the first wish) and the wish.
pub fn honoured<'a>(
    household: &'a HouseholdToPlace,
    municipality: &MunicipalitySlot,
) -> Option<(usize, &'a RefugeeWish)> {
    household
        .wishes
        .iter()
        .enumerate()
        .find(|(_, w)| covers(w, municipality))
        .map(|(i, w)| (i + 1, w))
}

/// Whether a wish names this municipality, or its region.
pub fn covers(wish: &RefugeeWish, municipality: &MunicipalitySlot) -> bool {
    match (&wish.municipality, &wish.region) {
        (Some(code), _) => *code == municipality.code,
        (None, Some(region)) => municipality.region.as_deref() == Some(region.as_str()),
        (None, None) => false,
    }
}

/// The share of the weight a wish of this rank is worth: 1/rank.
pub fn rank_share(rank: usize) -> f64 {
    1.0 / rank.max(1) as f64
}

/// "1st", "2nd", "3rd", "4th", ...
pub fn ordinal(rank: usize) -> String {
    let suffix = match (rank % 10, rank % 100) {
        (1, n) if n != 11 => "st",
        (2, n) if n != 12 => "nd",
        (3, n) if n != 13 => "rd",
        _ => "th",
    };
    format!("{rank}{suffix}")
}

/// A wish in words: "101", "region 1084", with its reason when one was given.
pub fn describe(wish: &RefugeeWish) -> String {
    let place = match (&wish.municipality, &wish.region) {
        (Some(code), _) => code.clone(),
        (None, Some(region)) => format!("region {region}"),
        (None, None) => "no place".to_owned(),
    };
    match &wish.reason {
        Some(reason) => format!("{place}, {reason}"),
        None => place,
    }
}

/// What the municipality wished for that this household meets, and how many kinds of
/// wish it sent; None when it sent none.
pub fn municipality_match(
    household: &HouseholdToPlace,
    municipality: &MunicipalitySlot,
) -> Option<(Vec<String>, usize)> {
    let wishes = &municipality.wishes;
    let mut asked = 0;
    let mut met = Vec::new();
    if !wishes.household_types.is_empty() {
        asked += 1;
        if let Some(t) = household
            .household_type
            .as_ref()
            .filter(|t| wishes.household_types.contains(t))
        {
            met.push(t.clone());
        }
    }
    if !wishes.languages.is_empty() {
        asked += 1;
        if let Some(l) = household
            .languages
            .iter()
            .find(|l| wishes.languages.contains(l))
        {
            met.push(l.clone());
        }
    }
    if !wishes.services.is_empty() {
        asked += 1;
        if let Some(s) = household
            .services
            .iter()
            .find(|s| wishes.services.contains(s))
        {
            met.push(s.clone());
        }
    }
    (asked > 0).then_some((met, asked))
}

/// What became of each of the household's wishes ranked above the one the plan honours
/// (all of them when it honours none): "wish 1 (101, relatives) full" when no
/// municipality of the wish had the places and capacities for the household's unit when
/// the plan was made, else "wish 1 (101, relatives) not chosen: the plan as a whole scores
/// more this way". Then "2nd wish honoured (147, work)" for the one honoured.
pub fn outcome(
    household: &HouseholdToPlace,
    placed_in: &MunicipalitySlot,
    municipalities: &[MunicipalitySlot],
    fits: impl Fn(&MunicipalitySlot) -> bool,
) -> Vec<String> {
    let honoured = honoured(household, placed_in).map(|(rank, _)| rank);
    let mut lines = Vec::new();
    for (i, wish) in household.wishes.iter().enumerate() {
        let rank = i + 1;
        if Some(rank) == honoured {
            lines.push(format!(
                "{} wish honoured ({})",
                ordinal(rank),
                describe(wish)
            ));
            break;
        }
        let places: Vec<&MunicipalitySlot> =
            municipalities.iter().filter(|m| covers(wish, m)).collect();
        let why = if places.is_empty() {
            "not among the municipalities with places this year".to_owned()
        } else if places.iter().all(|m| !fits(m)) {
            "full".to_owned()
        } else {
            "not chosen: the plan as a whole scores more this way".to_owned()
        };
        lines.push(format!("wish {rank} ({}) {why}", describe(wish)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn household(wishes: serde_json::Value) -> HouseholdToPlace {
        serde_json::from_value(serde_json::json!({
            "id": "H1", "size": 3, "household_type": "family_with_children",
            "languages": ["ar"], "wishes": wishes
        }))
        .unwrap()
    }

    fn municipality(code: &str, region: &str, quota: u32) -> MunicipalitySlot {
        serde_json::from_value(serde_json::json!({
            "code": code, "quota": quota, "region": region,
            "wishes": {"household_types": ["family_with_children"], "services": ["dialysis"]}
        }))
        .unwrap()
    }

    #[test]
    fn the_best_ranked_wish_a_municipality_honours_counts() {
        let h = household(serde_json::json!([
            {"municipality": "101", "reason": "relatives"},
            {"region": "1085", "reason": "work"}
        ]));
        assert_eq!(honoured(&h, &municipality("101", "1084", 5)).unwrap().0, 1);
        assert_eq!(honoured(&h, &municipality("253", "1085", 5)).unwrap().0, 2);
        assert!(honoured(&h, &municipality("147", "1084", 5)).is_none());
        assert_eq!(rank_share(2), 0.5);
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(11), "11th");
        assert_eq!(ordinal(23), "23rd");
    }

    #[test]
    fn every_wish_above_the_honoured_one_says_why_not() {
        let h = household(serde_json::json!([
            {"municipality": "101", "reason": "relatives"},
            {"municipality": "147"},
            {"region": "1085", "reason": "work"}
        ]));
        let all = [
            municipality("101", "1084", 2),
            municipality("147", "1084", 9),
            municipality("253", "1085", 9),
        ];
        let fits = |m: &MunicipalitySlot| m.quota >= 3;
        let lines = outcome(&h, &all[2], &all, fits);
        assert_eq!(
            lines,
            vec![
                "wish 1 (101, relatives) full",
                "wish 2 (147) not chosen: the plan as a whole scores more this way",
                "3rd wish honoured (region 1085, work)",
            ]
        );
        // Placed by the first wish: nothing else is said.
        assert_eq!(
            outcome(&h, &all[0], &all, |_| true),
            vec!["1st wish honoured (101, relatives)"]
        );
    }

    #[test]
    fn a_municipality_wish_is_met_per_kind() {
        let h = household(serde_json::json!([]));
        let (met, asked) = municipality_match(&h, &municipality("101", "1084", 5)).unwrap();
        assert_eq!((met, asked), (vec!["family_with_children".to_owned()], 2));
        let none = MunicipalitySlot {
            code: "147".into(),
            ..MunicipalitySlot::default()
        };
        assert!(municipality_match(&h, &none).is_none());
    }
}
