//! A synthetic history of past arrivals whose outcomes come from a KNOWN ground truth, so
//! that a test (and the bench) can check that a model fitted on it recovers the truth.
//!
//! The households are drawn as the demo's own are (`household`: origins, sizes, members,
//! occupations, special needs) and described as the placement demo describes them
//! (`household_to_place`); the municipalities are the 98, with profiles drawn as the
//! placement demo draws them, and wishes. Each household is placed in a municipality (in
//! its network's for some, at random for the rest) and its outcome is drawn from a
//! logistic model over `pair_features`, interactions included, so that a model without
//! them does worse. No real person, place or outcome is in it.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use resettle_domain::municipality::official_list;
use resettle_domain::placement::instance::{
    HouseholdToPlace, MunicipalitySlot, MunicipalityWishes, HOUSEHOLD_TYPES,
};
use resettle_domain::placement::outcomes::{
    logistic, pair_features, PastArrival, FEATURE_COUNT, FEATURE_NAMES,
};
use resettle_domain::placement::profile::{household_to_place, PlacementProfile};
use resettle_domain::{Household, Person, Relationship};

use super::{
    Batch, AFGHANISTAN, CONGO, ERITREA, LABOUR_MARKET, MYANMAR, SERVICES, SOMALIA, SOUTH_SUDAN,
    SUDAN, SUPPORTED_LANGUAGES, SYRIA,
};

/// The history, the municipality profiles its features come from, and the truth its
/// outcomes were drawn from.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticHistory {
    pub municipalities: Vec<MunicipalitySlot>,
    pub arrivals: Vec<PastArrival>,
    pub truth: GroundTruth,
}

/// The model the outcomes are drawn from: a logistic regression over the raw (not
/// standardised) `pair_features`, one coefficient per name of `FEATURE_NAMES`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroundTruth {
    pub intercept: f64,
    pub coefficients: Vec<f64>,
}

impl GroundTruth {
    /// The truth's coefficient of a named feature.
    pub fn coefficient(&self, name: &str) -> f64 {
        let i = FEATURE_NAMES
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("{name} is not a feature"));
        self.coefficients[i]
    }

    pub fn log_odds(&self, household: &HouseholdToPlace, municipality: &MunicipalitySlot) -> f64 {
        pair_features(household, municipality)
            .iter()
            .zip(&self.coefficients)
            .fold(self.intercept, |sum, (x, c)| sum + x * c)
    }

    /// The true probability of the outcome for this pair.
    pub fn probability(
        &self,
        household: &HouseholdToPlace,
        municipality: &MunicipalitySlot,
    ) -> f64 {
        logistic(self.log_odds(household, municipality))
    }
}

/// The truth's coefficients, by name (every feature named once), on the raw features.
/// Chosen to look like what the research finds: a network and skills the local labour
/// market wants help; capacity needs, special needs and single parenthood weigh down. And
/// with interactions a model of main effects cannot stand in for: a network and language
/// support help mostly those without work skills; each person more weighs down in a narrow
/// labour market (3 sectors: −0.17) and not in a broad one (6 sectors: +0.16); needs cost
/// much where no service is offered (−2.0) and turn round where three are (+0.7).
const TRUTH: [(&str, f64); FEATURE_COUNT] = [
    ("network", 0.6),
    ("skills_share", 1.3),
    ("services_share", 0.5),
    ("language_support", 0.1),
    ("wished_type", 0.3),
    ("wished_language", 0.2),
    ("wished_services", 0.3),
    ("size", -0.06),
    ("has_skills", 0.4),
    ("has_needs", -1.1),
    ("has_services", -0.5),
    ("languages_spoken", 0.3),
    ("single_parent", -0.6),
    ("labour_market_tags", 0.24),
    ("service_tags", 0.0),
    ("language_tags", 0.05),
    ("network_x_no_skills", 1.5),
    ("language_support_x_no_skills", 1.5),
    ("size_x_labour_market_tags", 0.11),
    ("has_needs_x_service_tags", 0.9),
];
const TRUTH_INTERCEPT: f64 = -2.46;

/// The ground truth the synthetic history's outcomes are drawn from.
pub fn ground_truth() -> GroundTruth {
    GroundTruth {
        intercept: TRUTH_INTERCEPT,
        coefficients: FEATURE_NAMES
            .iter()
            .map(|name| {
                TRUTH
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, c)| *c)
                    .unwrap_or_else(|| panic!("the truth has no coefficient for {name}"))
            })
            .collect(),
    }
}

/// Years the synthetic households arrived in.
const YEARS: std::ops::RangeInclusive<i32> = 2015..=2023;
/// The share of households with a network that were placed in its municipality.
const PLACED_WITH_NETWORK: f64 = 0.4;

/// `rows` past arrivals from a seed (the same seed gives the same history).
pub fn synthetic_history(seed: u64, rows: usize) -> SyntheticHistory {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let municipalities = municipalities(&mut rng);
    let truth = ground_truth();
    let origins = [
        &SYRIA,
        &CONGO,
        &SOUTH_SUDAN,
        &ERITREA,
        &SUDAN,
        &AFGHANISTAN,
        &SOMALIA,
        &MYANMAR,
    ];
    // Mission households, as most are; one in five a dossier case, which is where the
    // medical (TOM) cases and so most capacity needs are.
    let mission = super::mission(&mut rng, "History", "UGA", "Kampala", (3, 9), 0, false);
    let missions = Batch {
        count: rows,
        origins: &origins,
        mission: Some(&mission),
        prefix: "HIS",
    };
    let dossiers = Batch {
        mission: None,
        prefix: "HID",
        ..missions
    };
    let mut arrivals = Vec::with_capacity(rows);
    for i in 0..rows {
        let batch = if rng.random_bool(0.2) {
            &dossiers
        } else {
            &missions
        };
        let case = super::household(&mut rng, batch, i, i + 1);
        let household = describe(&mut rng, &case, &municipalities);
        let placed = match household.network.first() {
            Some(code) if rng.random_bool(PLACED_WITH_NETWORK) => municipalities
                .iter()
                .find(|m| m.code == *code)
                .expect("a network names a municipality of the list"),
            _ => municipalities.choose(&mut rng).expect("98 municipalities"),
        };
        let outcome = rng.random_bool(truth.probability(&household, placed));
        arrivals.push(PastArrival {
            municipality: placed.code.clone(),
            arrival_year: rng.random_range(YEARS),
            outcome,
            household,
        });
    }
    SyntheticHistory {
        municipalities,
        arrivals,
        truth,
    }
}

/// The 98 municipalities with profiles drawn as the placement demo draws them, and wishes
/// for the year: the household types, languages and services each can receive well.
fn municipalities(rng: &mut ChaCha8Rng) -> Vec<MunicipalitySlot> {
    let pick = |rng: &mut ChaCha8Rng, from: &[&str], n: usize| -> Vec<String> {
        from.choose_multiple(rng, n)
            .map(|s| (*s).to_owned())
            .collect()
    };
    official_list()
        .into_iter()
        .map(|m| {
            let labour = rng.random_range(3..=6);
            let services = rng.random_range(0..=3);
            let languages = rng.random_range(1..=4);
            let labour_market = pick(rng, LABOUR_MARKET, labour);
            let services = pick(rng, SERVICES, services);
            let languages = pick(rng, SUPPORTED_LANGUAGES, languages);
            let wished_types = rng.random_range(0..=2);
            let wished_languages = rng.random_range(0..=2);
            let wished_services = rng.random_range(0..=2);
            let wishes = MunicipalityWishes {
                household_types: pick(rng, &HOUSEHOLD_TYPES, wished_types),
                languages: pick(rng, SUPPORTED_LANGUAGES, wished_languages),
                services: pick(rng, SERVICES, wished_services),
            };
            MunicipalitySlot {
                code: m.code.to_string(),
                quota: 10,
                labour_market,
                services,
                languages,
                region: Some(m.region_code.to_string()),
                wishes,
                ..MunicipalitySlot::default()
            }
        })
        .collect()
}

/// A demo household as a household to place, with what a caseworker would have recorded:
/// a network for about one in four, the services its members' special needs call for, its
/// type and nationality.
fn describe(
    rng: &mut ChaCha8Rng,
    case: &Household,
    municipalities: &[MunicipalitySlot],
) -> HouseholdToPlace {
    let members: Vec<&Person> = case.members.iter().collect();
    let network = if rng.random_bool(0.25) {
        let m = municipalities.choose(rng).expect("98 municipalities");
        vec![m
            .code
            .parse::<u16>()
            .expect("municipality codes are numbers")]
    } else {
        Vec::new()
    };
    let mut services: Vec<String> = Vec::new();
    for p in &members {
        for service in services_for(p) {
            if !services.iter().any(|s| s == service) {
                services.push(service.to_owned());
            }
        }
    }
    // Many arrive with trauma that no record names yet.
    if rng.random_bool(0.12) && !services.iter().any(|s| s == "trauma_therapy") {
        services.push("trauma_therapy".to_owned());
    }
    let profile = PlacementProfile {
        network,
        services,
        ..PlacementProfile::default()
    };
    household_to_place(case, &members, &profile)
}

/// The service tags a member's recorded special needs call for (of `SERVICES`).
fn services_for(person: &Person) -> Vec<&'static str> {
    let needs = person.special_needs.as_deref().unwrap_or("").to_lowercase();
    let mut out = Vec::new();
    for (word, service) in [
        ("post-traumatic", "trauma_therapy"),
        ("physiotherapy", "physiotherapy"),
        ("rehabilitation", "physiotherapy"),
        ("diabetes", "diabetes_clinic"),
        ("hearing", "sign_language"),
        ("dialysis", "dialysis"),
    ] {
        if needs.contains(word) && !out.contains(&service) {
            out.push(service);
        }
    }
    if !needs.is_empty() && person.relationship == Relationship::Child {
        out.push("special_school");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use resettle_domain::placement::outcomes::{read_history, write_history};

    #[test]
    fn the_same_seed_gives_the_same_history_and_another_does_not() {
        let a = synthetic_history(7, 300);
        assert_eq!(a, synthetic_history(7, 300));
        assert_ne!(a.arrivals, synthetic_history(8, 300).arrivals);
    }

    #[test]
    fn the_history_is_varied_and_reads_back_as_a_file() {
        let history = synthetic_history(2026, 2000);
        let a = &history.arrivals;
        assert_eq!(a.len(), 2000);
        let rate = a.iter().filter(|a| a.outcome).count() as f64 / a.len() as f64;
        assert!((0.25..=0.75).contains(&rate), "outcome rate {rate}");
        let share = |f: &dyn Fn(&HouseholdToPlace) -> bool| {
            a.iter().filter(|a| f(&a.household)).count() as f64 / a.len() as f64
        };
        assert!(share(&|h| !h.network.is_empty()) > 0.15);
        assert!(share(&|h| !h.needs.is_empty()) > 0.03);
        assert!(share(&|h| !h.services.is_empty()) > 0.1);
        assert!(share(&|h| h.skills.is_empty()) > 0.05);
        assert!(share(&|h| h.household_type.as_deref() == Some("single_parent")) > 0.03);
        let placed_in_network = a
            .iter()
            .filter(|a| a.household.network.contains(&a.municipality))
            .count();
        assert!(placed_in_network > 100, "{placed_in_network}");
        let again = read_history(&write_history(a), &history.municipalities).unwrap();
        assert_eq!(&again, a);
    }

    #[test]
    fn outcomes_follow_the_truth() {
        // The truth's mean probability matches the outcome rate, and households it gives a
        // better chance do better: the outcomes are drawn from it, not beside it.
        let history = synthetic_history(11, 4000);
        let slot = |code: &str| {
            history
                .municipalities
                .iter()
                .find(|m| m.code == code)
                .unwrap()
        };
        let mut scored: Vec<(f64, bool)> = history
            .arrivals
            .iter()
            .map(|a| {
                (
                    history
                        .truth
                        .probability(&a.household, slot(&a.municipality)),
                    a.outcome,
                )
            })
            .collect();
        let n = scored.len() as f64;
        let expected: f64 = scored.iter().map(|(p, _)| p).sum::<f64>() / n;
        let observed = scored.iter().filter(|(_, o)| *o).count() as f64 / n;
        assert!((expected - observed).abs() < 0.03, "{expected} {observed}");
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        let rate = |part: &[(f64, bool)]| {
            part.iter().filter(|(_, o)| *o).count() as f64 / part.len() as f64
        };
        let (low, high) = scored.split_at(scored.len() / 2);
        assert!(
            rate(high) > rate(low) + 0.15,
            "{} {}",
            rate(low),
            rate(high)
        );
        // Every coefficient is there by name, the interactions among them.
        assert_eq!(history.truth.coefficients.len(), FEATURE_COUNT);
        assert!(history.truth.coefficient("network_x_no_skills") > 0.5);
    }
}
