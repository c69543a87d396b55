//! The match score of a household in a municipality, when an instance gives no scores of
//! its own: a weighted sum of documented features (`docs/placement-format.md`, "Feature
//! model"). Each feature is worth between 0 and its weight, so a weight says directly how
//! much the feature can matter; the weights are settings.
//!
//! - network: family or a social network of the household already lives there;
//! - skills: the share of the household's work skills (tags) in the local labour market;
//! - services: the share of the household's special needs (tags) the municipality serves;
//! - language: the municipality supports one of the household's languages;
//! - spread: the share of the largest remaining quota that this municipality has left, so
//!   that, other things equal, placements spread over the quotas. Gentle by default;
//! - wish: the household's own wish for the municipality or its region, 1/rank of the
//!   weight (`wishes.rs`);
//! - municipality_wish: the share of the municipality's wishes for the year (household
//!   types, languages, services) the household meets;
//! - outcome: with a model learned from past outcomes (`outcomes.rs`), its predicted
//!   chance of work or education two years on, times this weight. The model has the
//!   match features (network, skills, services, language, the municipality's wishes)
//!   among its own, weighed by what the outcomes showed, so with a model they do not
//!   score again; spread and the household's own wish still do (`scored_contributions`).
//!
//! A linear score per (household, municipality) keeps the problem an assignment integer
//! program that HiGHS solves exactly.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::instance::{HouseholdToPlace, MunicipalitySlot};
use super::outcomes::LearnedModel;
use super::wishes;

/// How much each feature can add to a household's score in a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Weights {
    pub network: f64,
    pub skills: f64,
    pub services: f64,
    pub language: f64,
    pub spread: f64,
    pub wish: f64,
    pub municipality_wish: f64,
    pub outcome: f64,
}

impl Default for Weights {
    /// Network first: relatives are the strongest predictor of staying and of a first
    /// job; then needs that must be served, skills (employment is the central factor of
    /// the visitation), language support, and a small nudge towards spreading.
    fn default() -> Self {
        Weights {
            network: 4.0,
            skills: 3.0,
            services: 3.0,
            language: 1.0,
            spread: 0.5,
            // The household's own first wish weighs like needs served: the law asks that
            // it be weighed, not that it decide. The municipality's wishes weigh like
            // language support.
            wish: 3.0,
            municipality_wish: 1.0,
            // A chance of 0.1 more of work or education is worth a point: the difference
            // a model sees between two municipalities for one household is a few tenths,
            // so it weighs like a first wish or a network.
            outcome: 10.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the weight of {0} must be a finite number from 0 to 100")]
pub struct BadWeight(pub &'static str);

impl Weights {
    pub fn validate(&self) -> Result<(), BadWeight> {
        for (name, w) in self.named() {
            if !w.is_finite() || !(0.0..=100.0).contains(&w) {
                return Err(BadWeight(name));
            }
        }
        Ok(())
    }

    fn named(&self) -> [(&'static str, f64); 8] {
        [
            ("network", self.network),
            ("skills", self.skills),
            ("services", self.services),
            ("language", self.language),
            ("spread", self.spread),
            ("wish", self.wish),
            ("municipality_wish", self.municipality_wish),
            ("outcome", self.outcome),
        ]
    }
}

/// One feature's share of a score, with what it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub feature: &'static str,
    pub points: f64,
    /// What scored, e.g. "skills in the local labour market: health, transport (2 of 3)".
    pub detail: String,
}

/// The features that score for `household` in `municipality`; `largest_quota` is the
/// largest remaining quota of the instance (for the spread term).
pub fn contributions(
    household: &HouseholdToPlace,
    municipality: &MunicipalitySlot,
    largest_quota: u32,
    weights: &Weights,
) -> Vec<Contribution> {
    let mut out = Vec::new();
    if household.network.contains(&municipality.code) {
        out.push(Contribution {
            feature: "network",
            points: weights.network,
            detail: "family or network already lives here".into(),
        });
    }
    if let Some(c) = share(
        "skills",
        &household.skills,
        &municipality.labour_market,
        weights.skills,
        "skills in the local labour market",
    ) {
        out.push(c);
    }
    if let Some(c) = share(
        "services",
        &household.services,
        &municipality.services,
        weights.services,
        "special needs the municipality serves",
    ) {
        out.push(c);
    }
    let spoken: Vec<&String> = household
        .languages
        .iter()
        .filter(|l| municipality.languages.contains(l))
        .collect();
    if !spoken.is_empty() {
        out.push(Contribution {
            feature: "language",
            points: weights.language,
            detail: format!("language support in {}", join(&spoken)),
        });
    }
    if largest_quota > 0 && municipality.quota > 0 {
        out.push(Contribution {
            feature: "spread",
            points: weights.spread * f64::from(municipality.quota) / f64::from(largest_quota),
            detail: format!(
                "{} places left, of the most any municipality has ({largest_quota})",
                municipality.quota
            ),
        });
    }
    if let Some((rank, wish)) = wishes::honoured(household, municipality) {
        out.push(Contribution {
            feature: "wish",
            points: weights.wish * wishes::rank_share(rank),
            detail: format!(
                "{} wish honoured ({})",
                wishes::ordinal(rank),
                wishes::describe(wish)
            ),
        });
    }
    if let Some((met, asked)) = wishes::municipality_match(household, municipality) {
        if !met.is_empty() {
            let met: Vec<&String> = met.iter().collect();
            out.push(Contribution {
                feature: "municipality_wish",
                points: weights.municipality_wish * met.len() as f64 / asked as f64,
                detail: format!(
                    "the municipality asked for {} ({} of {} wishes)",
                    join(&met),
                    met.len(),
                    asked
                ),
            });
        }
    }
    out.retain(|c| c.points > 0.0);
    out
}

/// The parts of a pair's score: the feature model's (`contributions`), or with a learned
/// model its predicted chance of a good outcome in place of the match terms, beside the
/// spread and the household's own wish, which the model does not know.
pub fn scored_contributions(
    household: &HouseholdToPlace,
    municipality: &MunicipalitySlot,
    largest_quota: u32,
    weights: &Weights,
    model: Option<&LearnedModel>,
) -> Vec<Contribution> {
    let hand = contributions(household, municipality, largest_quota, weights);
    let Some(model) = model else {
        return hand;
    };
    let chance = model.probability(household, municipality);
    let moved = model.reasons(household, municipality, 2);
    let mut out = vec![Contribution {
        feature: "outcome",
        points: weights.outcome * chance,
        detail: format!(
            "predicted chance of work or education two years on: {:.0} %{}",
            chance * 100.0,
            if moved.is_empty() {
                String::new()
            } else {
                format!(" ({})", moved.join("; "))
            }
        ),
    }];
    out.extend(
        hand.into_iter()
            .filter(|c| matches!(c.feature, "spread" | "wish")),
    );
    out.retain(|c| c.points > 0.0);
    out
}

/// The score: the sum of the contributions.
pub fn score(
    household: &HouseholdToPlace,
    municipality: &MunicipalitySlot,
    largest_quota: u32,
    weights: &Weights,
) -> f64 {
    contributions(household, municipality, largest_quota, weights)
        .iter()
        .fold(0.0, |sum, c| sum + c.points)
}

/// The share of `wanted` found in `offered`, times the weight; None when nothing matches.
fn share(
    feature: &'static str,
    wanted: &[String],
    offered: &[String],
    weight: f64,
    label: &str,
) -> Option<Contribution> {
    let matched: Vec<&String> = wanted.iter().filter(|t| offered.contains(t)).collect();
    if matched.is_empty() {
        return None;
    }
    Some(Contribution {
        feature,
        points: weight * matched.len() as f64 / wanted.len() as f64,
        detail: format!(
            "{label}: {} ({} of {})",
            join(&matched),
            matched.len(),
            wanted.len()
        ),
    })
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn household() -> HouseholdToPlace {
        serde_json::from_value(serde_json::json!({
            "id": "H1", "size": 3, "network": ["101"], "skills": ["health", "transport", "it"],
            "services": ["trauma_therapy"], "languages": ["ar", "en"]
        }))
        .unwrap()
    }

    fn municipality(code: &str, quota: u32) -> MunicipalitySlot {
        serde_json::from_value(serde_json::json!({
            "code": code, "quota": quota, "labour_market": ["health", "transport"],
            "services": ["trauma_therapy"], "languages": ["ar"]
        }))
        .unwrap()
    }

    #[test]
    fn each_feature_scores_up_to_its_weight_and_says_what_matched() {
        let w = Weights::default();
        let here = contributions(&household(), &municipality("101", 10), 20, &w);
        let by = |f: &str| here.iter().find(|c| c.feature == f).unwrap().clone();
        assert_eq!(by("network").points, 4.0);
        assert_eq!(by("skills").points, 2.0);
        assert_eq!(
            by("skills").detail,
            "skills in the local labour market: health, transport (2 of 3)"
        );
        assert_eq!(by("services").points, 3.0);
        assert_eq!(by("language").detail, "language support in ar");
        assert_eq!(by("spread").points, 0.25);
        assert_eq!(
            score(&household(), &municipality("101", 10), 20, &w),
            4.0 + 2.0 + 3.0 + 1.0 + 0.25
        );
        // Elsewhere the network does not score; a municipality with no places left gets
        // no spread.
        let there = contributions(&household(), &municipality("147", 0), 20, &w);
        assert!(there
            .iter()
            .all(|c| c.feature != "network" && c.feature != "spread"));
    }

    #[test]
    fn a_zero_weight_switches_a_feature_off_and_bad_weights_are_refused() {
        let w = Weights {
            network: 0.0,
            ..Weights::default()
        };
        let here = contributions(&household(), &municipality("101", 10), 20, &w);
        assert!(here.iter().all(|c| c.feature != "network"));
        assert!(w.validate().is_ok());
        let bad = Weights {
            skills: f64::NAN,
            ..Weights::default()
        };
        assert_eq!(bad.validate(), Err(BadWeight("skills")));
        let bad = Weights {
            spread: -1.0,
            ..Weights::default()
        };
        assert_eq!(bad.validate(), Err(BadWeight("spread")));
    }
}
