//! A placement instance: municipalities with their remaining quota (persons), capacities
//! and profile, households with their size, needs, family links and profile, and either
//! the match scores or the weights of the feature model (`features.rs`). The file format
//! is `docs/placement-format.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::features::{self, BadWeight, Weights};
use super::outcomes::{LearnedModel, ModelError};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MunicipalitySlot {
    pub code: String,
    /// Persons the municipality can still receive.
    pub quota: u32,
    /// Units of each capacity (e.g. `wheelchair`, `specialist_care`) still free.
    #[serde(default)]
    pub capacities: BTreeMap<String, u32>,
    /// Labour-market tags (sectors with demand), matched against households' skills.
    #[serde(default)]
    pub labour_market: Vec<String>,
    /// Service tags (e.g. `trauma_therapy`), matched against households' services.
    #[serde(default)]
    pub services: Vec<String>,
    /// Languages with local support (interpreters, teaching, a community).
    #[serde(default)]
    pub languages: Vec<String>,
    /// The region the municipality belongs to (a refugee may wish for a region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// What the municipality asked for in its visitation form for the year.
    #[serde(default, skip_serializing_if = "MunicipalityWishes::is_empty")]
    pub wishes: MunicipalityWishes,
}

/// A municipality's wishes for the year (the visiteringsskema, sent by 31 March): the
/// household types it can receive well, the languages and services it can support. Soft:
/// they score, they do not rule out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MunicipalityWishes {
    /// `HOUSEHOLD_TYPES` codes.
    pub household_types: Vec<String>,
    pub languages: Vec<String>,
    pub services: Vec<String>,
}

impl MunicipalityWishes {
    pub fn is_empty(&self) -> bool {
        self.household_types.is_empty() && self.languages.is_empty() && self.services.is_empty()
    }
}

/// The household types a municipality may wish for, and a household is one of.
pub const HOUSEHOLD_TYPES: [&str; 5] = [
    "single",
    "couple",
    "single_parent",
    "family_with_children",
    "other",
];

/// One of a refugee household's ranked wishes: a municipality or a region, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RefugeeWish {
    /// A municipality code; or else
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// a region code (every municipality of the region honours the wish).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `WISH_REASONS` code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Why a refugee wishes for a place.
pub const WISH_REASONS: [&str; 4] = ["relatives", "community", "work", "other"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HouseholdToPlace {
    pub id: String,
    /// Persons.
    pub size: u32,
    /// Each need names a capacity and uses one unit of it where the household is placed.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Households with the same group go to the same municipality.
    #[serde(default)]
    pub link_group: Option<String>,
    /// Municipality codes where family or a social network of the household lives.
    #[serde(default)]
    pub network: Vec<String>,
    /// Work skills as labour-market tags.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Special needs as service tags (soft: they score, they do not rule out).
    #[serde(default)]
    pub services: Vec<String>,
    /// Languages the household speaks.
    #[serde(default)]
    pub languages: Vec<String>,
    /// The municipality of a qualifying job offer (permanent, at least 15 hours a week):
    /// the household is placed there by rule, even above the municipality's quota.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_offer: Option<String>,
    /// The household's own wishes, first wish first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wishes: Vec<RefugeeWish>,
    /// `HOUSEHOLD_TYPES` code, matched against municipalities' wishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_type: Option<String>,
    /// ISO 3166 alpha-3 code, for the balance report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub municipalities: Vec<MunicipalitySlot>,
    pub households: Vec<HouseholdToPlace>,
    /// When given, the whole objective: household id → municipality code → score, for
    /// every pair.
    #[serde(default)]
    pub scores: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    /// The feature model's weights, used when `scores` is absent (default weights when
    /// this is absent too).
    #[serde(default)]
    pub weights: Option<Weights>,
    /// A model learned from past outcomes (`outcomes.rs`): when given (and `scores` is
    /// not), its predicted chance of a good outcome replaces the feature model's match
    /// terms (`features::scored_contributions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<LearnedModel>,
}

/// What is wrong with an instance file, before any solving.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceError {
    #[error("the instance has no municipalities")]
    NoMunicipalities,
    #[error("municipality {0} appears more than once")]
    DuplicateMunicipality(String),
    #[error("household {0} appears more than once")]
    DuplicateHousehold(String),
    #[error("household {0} has no persons")]
    EmptyHousehold(String),
    #[error("there is no score for household {household} in municipality {municipality}; when scores are given, every pair needs one")]
    MissingScore {
        household: String,
        municipality: String,
    },
    #[error(
        "the score for household {household} in municipality {municipality} is not a finite number"
    )]
    BadScore {
        household: String,
        municipality: String,
    },
    #[error("scores name {0}, which is not a household or municipality of the instance")]
    UnknownInScores(String),
    #[error("{0}")]
    BadWeight(#[from] BadWeight),
    #[error("household {household} has a job offer in {municipality}, which is not a municipality of the instance")]
    UnknownJobOffer {
        household: String,
        municipality: String,
    },
    #[error(
        "link group {0} has job offers in different municipalities; a group is placed together"
    )]
    JobOffersSplitGroup(String),
    #[error("household {household}: wish {rank} must name either a municipality or a region, with a reason of {}", WISH_REASONS.join(", "))]
    BadWish { household: String, rank: usize },
    #[error("household type {kind} is not one of {}", HOUSEHOLD_TYPES.join(", "))]
    BadHouseholdType { kind: String },
    #[error("the learned model cannot be used: {0}")]
    BadModel(#[from] ModelError),
}

/// Households that must be placed together: a link group, or a household on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Indexes into `Instance::households`, in file order.
    pub households: Vec<usize>,
    pub size: u32,
    /// Units of each capacity the whole group needs.
    pub needs: BTreeMap<String, u32>,
}

impl Instance {
    pub fn validate(&self) -> Result<(), InstanceError> {
        if self.municipalities.is_empty() {
            return Err(InstanceError::NoMunicipalities);
        }
        if let Some(model) = &self.model {
            model.check()?;
        }
        let mut codes = BTreeSet::new();
        for m in &self.municipalities {
            if !codes.insert(m.code.as_str()) {
                return Err(InstanceError::DuplicateMunicipality(m.code.clone()));
            }
        }
        let mut ids = BTreeSet::new();
        for h in &self.households {
            if !ids.insert(h.id.as_str()) {
                return Err(InstanceError::DuplicateHousehold(h.id.clone()));
            }
            if h.size == 0 {
                return Err(InstanceError::EmptyHousehold(h.id.clone()));
            }
            if let Some(code) = &h.job_offer {
                if !codes.contains(code.as_str()) {
                    return Err(InstanceError::UnknownJobOffer {
                        household: h.id.clone(),
                        municipality: code.clone(),
                    });
                }
            }
            for (i, w) in h.wishes.iter().enumerate() {
                let reason_ok = w
                    .reason
                    .as_deref()
                    .is_none_or(|r| WISH_REASONS.contains(&r));
                if w.municipality.is_some() == w.region.is_some() || !reason_ok {
                    return Err(InstanceError::BadWish {
                        household: h.id.clone(),
                        rank: i + 1,
                    });
                }
            }
            let types = h.household_type.iter().chain(
                self.municipalities
                    .iter()
                    .flat_map(|m| &m.wishes.household_types),
            );
            for t in types {
                if !HOUSEHOLD_TYPES.contains(&t.as_str()) {
                    return Err(InstanceError::BadHouseholdType { kind: t.clone() });
                }
            }
        }
        let mut offers: BTreeMap<&str, &str> = BTreeMap::new();
        for h in &self.households {
            if let (Some(g), Some(o)) = (&h.link_group, &h.job_offer) {
                if *offers.entry(g.as_str()).or_insert(o.as_str()) != o.as_str() {
                    return Err(InstanceError::JobOffersSplitGroup(g.clone()));
                }
            }
        }
        if let Some(w) = &self.weights {
            w.validate()?;
        }
        if let Some(scores) = &self.scores {
            for (h, row) in scores {
                if !ids.contains(h.as_str()) {
                    return Err(InstanceError::UnknownInScores(h.clone()));
                }
                if let Some(m) = row.keys().find(|m| !codes.contains(m.as_str())) {
                    return Err(InstanceError::UnknownInScores(m.clone()));
                }
            }
            for h in &self.households {
                for m in &self.municipalities {
                    match scores.get(&h.id).and_then(|row| row.get(&m.code)) {
                        None => {
                            return Err(InstanceError::MissingScore {
                                household: h.id.clone(),
                                municipality: m.code.clone(),
                            })
                        }
                        Some(s) if !s.is_finite() => {
                            return Err(InstanceError::BadScore {
                                household: h.id.clone(),
                                municipality: m.code.clone(),
                            })
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// The units to place: link groups (in the order of their first household) and
    /// households without a group.
    pub fn units(&self) -> Vec<Unit> {
        let mut units: Vec<Unit> = Vec::new();
        let mut group_of: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, h) in self.households.iter().enumerate() {
            let index = match h.link_group.as_deref() {
                Some(g) => *group_of.entry(g).or_insert_with(|| {
                    units.push(Unit {
                        households: Vec::new(),
                        size: 0,
                        needs: BTreeMap::new(),
                    });
                    units.len() - 1
                }),
                None => {
                    units.push(Unit {
                        households: Vec::new(),
                        size: 0,
                        needs: BTreeMap::new(),
                    });
                    units.len() - 1
                }
            };
            let unit = &mut units[index];
            unit.households.push(i);
            unit.size += h.size;
            for need in &h.needs {
                *unit.needs.entry(need.clone()).or_insert(0) += 1;
            }
        }
        units
    }

    /// Whether a unit fits a municipality on its own (quota and every capacity it needs).
    pub fn fits(&self, unit: &Unit, municipality: &MunicipalitySlot) -> bool {
        unit.size <= municipality.quota
            && unit
                .needs
                .iter()
                .all(|(c, n)| municipality.capacities.get(c).copied().unwrap_or(0) >= *n)
    }

    /// Every household's score in every municipality: the given scores, or the feature
    /// model's. Computed once per solve; the instance must be valid.
    pub fn score_table(&self) -> ScoreTable {
        let rows = match &self.scores {
            Some(scores) => self
                .households
                .iter()
                .map(|h| {
                    let row = &scores[&h.id];
                    self.municipalities.iter().map(|m| row[&m.code]).collect()
                })
                .collect(),
            None => {
                let weights = self.weights.unwrap_or_default();
                let largest = self.largest_quota();
                self.households
                    .iter()
                    .map(|h| {
                        self.municipalities
                            .iter()
                            .map(|m| {
                                features::scored_contributions(
                                    h,
                                    m,
                                    largest,
                                    &weights,
                                    self.model.as_ref(),
                                )
                                .iter()
                                .fold(0.0, |sum, c| sum + c.points)
                            })
                            .collect()
                    })
                    .collect()
            }
        };
        ScoreTable { rows }
    }

    /// Each municipality's position in the instance, by code.
    pub fn municipality_index(&self) -> BTreeMap<&str, usize> {
        self.municipalities
            .iter()
            .enumerate()
            .map(|(i, m)| (m.code.as_str(), i))
            .collect()
    }

    /// Persons to place in all.
    pub fn persons(&self) -> u64 {
        self.households.iter().map(|h| u64::from(h.size)).sum()
    }

    /// Places of quota left in all.
    pub fn places(&self) -> u64 {
        self.municipalities.iter().map(|m| u64::from(m.quota)).sum()
    }

    /// The largest remaining quota of any municipality (the spread term's scale).
    pub fn largest_quota(&self) -> u32 {
        self.municipalities
            .iter()
            .map(|m| m.quota)
            .max()
            .unwrap_or(0)
    }

    /// What scored for household `h` in municipality `m`, in words: the feature model's
    /// or the learned model's contributions (nothing when the instance gives the scores:
    /// they have no parts).
    pub fn score_reasons(&self, h: usize, m: usize) -> Vec<String> {
        if self.scores.is_some() {
            return Vec::new();
        }
        features::scored_contributions(
            &self.households[h],
            &self.municipalities[m],
            self.largest_quota(),
            &self.weights.unwrap_or_default(),
            self.model.as_ref(),
        )
        .into_iter()
        .map(|c| format!("{} (+{})", c.detail, round2(c.points)))
        .collect()
    }
}

/// Scores by household index, then municipality index.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreTable {
    rows: Vec<Vec<f64>>,
}

impl ScoreTable {
    pub fn household(&self, h: usize, m: usize) -> f64 {
        self.rows[h][m]
    }

    /// The score of a unit: the sum of its households' scores.
    pub fn unit(&self, unit: &Unit, m: usize) -> f64 {
        unit.households.iter().map(|&h| self.rows[h][m]).sum()
    }
}

/// Rounded to two decimals for reading.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
