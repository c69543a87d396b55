//! A year's balance (issue 22): how each municipality's quota filled over the months, and
//! the predicted outcomes of the households placed, by nationality and by household type,
//! beside the best any municipality would have given them. The difference is what the
//! plans' trade-offs (quotas, wishes, job offers, spread) cost each group, so a quota
//! manager can see who bears it. Pure: the store reads the placements, this tallies them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::instance::{HouseholdToPlace, MunicipalitySlot};
use super::outcomes::LearnedModel;

/// A household placed in the year (an active proposal) and the month it was proposed in.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedHousehold {
    pub household: HouseholdToPlace,
    pub municipality: String,
    /// 1 to 12.
    pub month: u32,
}

/// A municipality's quota and the persons placed in it by the end of each month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MunicipalityFill {
    pub code: String,
    pub quota: u32,
    /// Persons placed by the end of January, February, ... December (12 numbers).
    pub placed_by_month: Vec<u32>,
    /// The same as shares of the quota (0 when the quota is 0).
    pub fill_by_month: Vec<f64>,
}

/// A group's households placed and their predicted chance of work or education two years
/// on: where they were placed, and at best.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GroupOutcome {
    /// A nationality code or a household type; "unknown" when not recorded.
    pub group: String,
    pub households: u32,
    pub persons: u32,
    /// The mean predicted chance where they were placed (none without a model).
    pub predicted: Option<f64>,
    /// The mean of each household's best predicted chance in any municipality.
    pub best: Option<f64>,
    /// best − predicted: what the year's trade-offs cost the group, in chance.
    pub cost: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BalanceReport {
    pub year: i32,
    pub municipalities: Vec<MunicipalityFill>,
    pub by_nationality: Vec<GroupOutcome>,
    pub by_household_type: Vec<GroupOutcome>,
    /// The model version the outcomes were predicted with (none: no model in use, and
    /// no outcomes predicted).
    pub model_version: Option<u32>,
}

/// The balance of `year`: `municipalities` with their whole quota for the year (not what
/// is left), `placed` the year's active placements, and the model in use, if any.
pub fn balance(
    year: i32,
    municipalities: &[MunicipalitySlot],
    placed: &[PlacedHousehold],
    model: Option<(u32, &LearnedModel)>,
) -> BalanceReport {
    let fills = municipalities
        .iter()
        .map(|m| {
            let mut by_month = vec![0u32; 12];
            for p in placed.iter().filter(|p| p.municipality == m.code) {
                let from = p.month.clamp(1, 12) as usize - 1;
                for month in &mut by_month[from..] {
                    *month += p.household.size;
                }
            }
            MunicipalityFill {
                code: m.code.clone(),
                quota: m.quota,
                fill_by_month: by_month
                    .iter()
                    .map(|&n| {
                        if m.quota == 0 {
                            0.0
                        } else {
                            f64::from(n) / f64::from(m.quota)
                        }
                    })
                    .collect(),
                placed_by_month: by_month,
            }
        })
        .collect();
    let chances: Vec<Option<(f64, f64)>> = placed
        .iter()
        .map(|p| {
            let (_, model) = model?;
            let here = municipalities.iter().find(|m| m.code == p.municipality)?;
            let best = municipalities
                .iter()
                .map(|m| model.probability(&p.household, m))
                .fold(f64::NEG_INFINITY, f64::max);
            Some((model.probability(&p.household, here), best))
        })
        .collect();
    let group_by = |key: &dyn Fn(&HouseholdToPlace) -> Option<String>| -> Vec<GroupOutcome> {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in placed.iter().enumerate() {
            let name = key(&p.household).unwrap_or_else(|| "unknown".to_owned());
            groups.entry(name).or_default().push(i);
        }
        groups
            .into_iter()
            .map(|(group, members)| {
                let known: Vec<(f64, f64)> = members.iter().filter_map(|&i| chances[i]).collect();
                let mean = |f: fn(&(f64, f64)) -> f64| {
                    (!known.is_empty() && known.len() == members.len())
                        .then(|| known.iter().map(f).sum::<f64>() / known.len() as f64)
                };
                let predicted = mean(|c| c.0);
                let best = mean(|c| c.1);
                GroupOutcome {
                    group,
                    households: members.len() as u32,
                    persons: members.iter().map(|&i| placed[i].household.size).sum(),
                    predicted,
                    best,
                    cost: predicted.zip(best).map(|(p, b)| b - p),
                }
            })
            .collect()
    };
    BalanceReport {
        year,
        municipalities: fills,
        by_nationality: group_by(&|h| h.nationality.clone()),
        by_household_type: group_by(&|h| h.household_type.clone()),
        model_version: model.map(|(v, _)| v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::outcomes::{FEATURE_COUNT, FEATURE_NAMES};

    fn slot(code: &str, quota: u32, languages: &[&str]) -> MunicipalitySlot {
        MunicipalitySlot {
            code: code.into(),
            quota,
            languages: languages.iter().map(|l| (*l).to_owned()).collect(),
            ..MunicipalitySlot::default()
        }
    }

    fn placed(
        id: &str,
        size: u32,
        nationality: &str,
        kind: &str,
        municipality: &str,
        month: u32,
    ) -> PlacedHousehold {
        PlacedHousehold {
            household: HouseholdToPlace {
                id: id.into(),
                size,
                languages: vec!["ar".into()],
                nationality: Some(nationality.into()),
                household_type: Some(kind.into()),
                ..HouseholdToPlace::default()
            },
            municipality: municipality.into(),
            month,
        }
    }

    /// A model in which only language support matters: +2 log-odds.
    fn language_model() -> LearnedModel {
        let mut coefficients = vec![0.0; FEATURE_COUNT];
        let i = FEATURE_NAMES
            .iter()
            .position(|n| *n == "language_support")
            .unwrap();
        coefficients[i] = 2.0;
        serde_json::from_value(serde_json::json!({
            "features": FEATURE_NAMES,
            "means": vec![0.0; FEATURE_COUNT],
            "scales": vec![1.0; FEATURE_COUNT],
            "coefficients": coefficients,
            "intercept": 0.0,
            "regularisation": 1.0,
            "trained_by": "test",
            "trained_at": "2026-01-01T00:00:00",
            "data": {"file_name": "h.csv", "sha256": "x", "rows": 1, "first_year": 2020,
                     "last_year": 2020, "outcome_rate": 0.5},
            "validation": {"folds": 2, "seed": 1, "learned": {"auc": 0.5, "brier": 0.25},
                           "hand_weighted": {"auc": 0.5, "brier": 0.25}, "per_fold": []}
        }))
        .unwrap()
    }

    #[test]
    fn quotas_fill_month_by_month_and_the_cost_falls_on_the_group_placed_away_from_support() {
        let municipalities = [slot("101", 10, &["ar"]), slot("147", 5, &[])];
        let year = [
            placed("A", 4, "SYR", "family_with_children", "101", 2),
            placed("B", 1, "SYR", "single", "101", 5),
            placed("C", 5, "SOM", "family_with_children", "147", 5),
        ];
        let model = language_model();
        let report = balance(2026, &municipalities, &year, Some((3, &model)));
        let first = &report.municipalities[0];
        assert_eq!(first.placed_by_month[0], 0);
        assert_eq!(first.placed_by_month[1], 4);
        assert_eq!(first.placed_by_month[4], 5);
        assert_eq!(first.placed_by_month[11], 5);
        assert_eq!(first.fill_by_month[11], 0.5);
        assert_eq!(report.municipalities[1].fill_by_month[11], 1.0);
        // Syrians were placed where Arabic is supported; the Somali family was not, and
        // bears the whole cost: logistic(2) − logistic(0).
        let syr = &report.by_nationality[1];
        assert_eq!(
            (syr.group.as_str(), syr.households, syr.persons),
            ("SYR", 2, 5)
        );
        assert!(syr.cost.unwrap().abs() < 1e-12);
        let som = &report.by_nationality[0];
        let expected = 1.0 / (1.0 + (-2.0f64).exp()) - 0.5;
        assert!((som.cost.unwrap() - expected).abs() < 1e-12, "{som:?}");
        let families = report
            .by_household_type
            .iter()
            .find(|g| g.group == "family_with_children")
            .unwrap();
        assert_eq!(families.households, 2);
        assert!((families.cost.unwrap() - expected / 2.0).abs() < 1e-12);
        assert_eq!(report.model_version, Some(3));
        // Without a model: the fill rates, and no predicted outcomes.
        let plain = balance(2026, &municipalities, &year, None);
        assert_eq!(plain.municipalities, report.municipalities);
        assert!(plain.by_nationality.iter().all(|g| g.predicted.is_none()));
    }
}
