//! Likely arrivals for the rest of the year, to place a batch with the year in view: one
//! sample of households (`{"households": [...], "scores": {...}}`, the instance's
//! household format) or several (`{"scenarios": [{...}, ...]}`). The solver uses them
//! only to value what the batch leaves of the quotas and capacities; it places only the
//! batch. A forecast's job offers are not known yet, so they are ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::instance::{HouseholdToPlace, Instance, InstanceError};

/// One sampled rest of the year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub households: Vec<HouseholdToPlace>,
    /// Household id → municipality code → score for every pair; the batch's weights
    /// (or the feature model's defaults) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<BTreeMap<String, BTreeMap<String, f64>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// A single sample, as the format has it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub households: Vec<HouseholdToPlace>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    /// Several samples, each weighed equally.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<Scenario>,
}

/// What the forecast says of the rest of the year once a batch is placed (averages over
/// the samples): what a proposal shows as "what the rest of the year still needs".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ForecastSummary {
    #[ts(type = "number")]
    pub samples: usize,
    /// Households and persons still expected.
    pub households: f64,
    pub persons: f64,
    /// Places of quota left in all once the batch is placed.
    #[ts(type = "number")]
    pub places_left: u64,
    /// Persons of the forecast no plan could place after this batch: 0 when the year can
    /// still be completed.
    pub unplaced_persons: f64,
    /// The forecast's expected score in what the batch leaves.
    pub expected_score: f64,
}

/// What is wrong with a forecast: which scenario (1 for the first), and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("forecast scenario {scenario}: {problem}")]
pub struct ForecastError {
    pub scenario: usize,
    pub problem: InstanceError,
}

impl Forecast {
    /// The samples: the top-level one (when it has households) first, then the others.
    pub fn samples(&self) -> Vec<Scenario> {
        let mut all = Vec::new();
        if !self.households.is_empty() {
            all.push(Scenario {
                households: self.households.clone(),
                scores: self.scores.clone(),
            });
        }
        all.extend(self.scenarios.iter().cloned());
        all
    }

    /// Each sample as an instance in the batch's municipalities (with the batch's
    /// weights), its job offers dropped; refused when one is not a valid instance.
    pub fn instances(&self, batch: &Instance) -> Result<Vec<Instance>, ForecastError> {
        self.samples()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let instance = Instance {
                    municipalities: batch.municipalities.clone(),
                    households: s
                        .households
                        .into_iter()
                        .map(|h| HouseholdToPlace {
                            job_offer: None,
                            ..h
                        })
                        .collect(),
                    scores: s.scores,
                    weights: batch.weights,
                    model: batch.model.clone(),
                };
                instance.validate().map_err(|problem| ForecastError {
                    scenario: i + 1,
                    problem,
                })?;
                Ok(instance)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sample_or_several_and_each_checked_like_an_instance() {
        let batch: Instance = serde_json::from_value(serde_json::json!({
            "municipalities": [{"code": "101", "quota": 4}], "households": []
        }))
        .unwrap();
        let one: Forecast = serde_json::from_value(serde_json::json!({
            "households": [{"id": "F1", "size": 2, "job_offer": "101"}]
        }))
        .unwrap();
        let instances = one.instances(&batch).unwrap();
        assert_eq!(instances.len(), 1);
        assert_eq!(instances[0].households[0].job_offer, None);
        let several: Forecast = serde_json::from_value(serde_json::json!({
            "scenarios": [
                {"households": [{"id": "F1", "size": 2}]},
                {"households": [{"id": "F1", "size": 0}]}
            ]
        }))
        .unwrap();
        let err = several.instances(&batch).unwrap_err();
        assert_eq!(err.scenario, 2);
        assert_eq!(
            err.to_string(),
            "forecast scenario 2: household F1 has no persons"
        );
    }
}
