//! Integration scoring: decision support, never a decision. The rubric (criteria, their
//! levels and weights) is versioned data kept in the database; this module holds its
//! shape, its validation, the default rubric of the design brief and the scoring rule.
//!
//! A criterion is either *derived* from the household's recorded facts (the code knows how
//! to pick its level, so its level keys are fixed and only their points, labels and the
//! weight are data) or *assessed* by the caseworker at the interview (any levels).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::case_error::CaseError;

mod default;
mod score;
#[cfg(test)]
mod tests;

pub use default::default_rubric;
pub use score::{
    check_assessments, exemption, score, Assessment, CriterionScore, Exemption, ScoreCard,
};

/// A text in both of the app's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Text {
    pub en: String,
    pub da: String,
}

impl Text {
    pub fn new(en: impl Into<String>, da: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            da: da.into(),
        }
    }
}

code_enum! {
    /// How a criterion's level is found.
    Method { Derived => "derived", Assessed => "assessed" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Level {
    pub key: String,
    pub points: u32,
    pub label: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Criterion {
    pub key: String,
    pub name: Text,
    pub method: Method,
    pub weight: u32,
    pub levels: Vec<Level>,
}

impl Criterion {
    pub fn level(&self, key: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.key == key)
    }

    pub fn max_points(&self) -> u32 {
        self.levels.iter().map(|l| l.points).max().unwrap_or(0)
    }
}

/// A rubric. `version` is given by the store when the rubric is saved (0 in a draft); a
/// saved version is never changed, so a score always shows the rubric it was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rubric {
    pub version: u32,
    /// A household scoring below this share of the maximum is marked "concerns".
    pub threshold_percent: u32,
    pub criteria: Vec<Criterion>,
}

/// The criteria the code derives from recorded facts, and their level keys.
pub const DERIVED: &[(&str, &[&str])] = &[
    ("language", &["multilingual", "literate", "illiterate"]),
    ("education_employment", &["qualified", "some", "none"]),
    ("children", &["with_children", "without_children"]),
    ("family_unity", &["reunites", "together", "single"]),
    ("age", &["single_very_young_or_old", "other"]),
];

pub const MAX_WEIGHT: u32 = 10;
pub const MAX_POINTS: u32 = 10;

impl Rubric {
    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.key == key)
    }

    /// Checks a rubric before it is saved, and says what is wrong in the refusal.
    pub fn validate(&self) -> Result<(), CaseError> {
        let bad = |why: String| Err(CaseError::InvalidRubric(why));
        if self.threshold_percent > 100 {
            return bad(format!(
                "the threshold is {}%, above 100%",
                self.threshold_percent
            ));
        }
        if self.criteria.is_empty() {
            return bad("it has no criteria".into());
        }
        let mut keys = BTreeSet::new();
        for c in &self.criteria {
            if c.key.trim().is_empty() || !keys.insert(c.key.as_str()) {
                return bad(format!("criterion key {:?} is empty or repeated", c.key));
            }
            if c.name.en.trim().is_empty() || c.name.da.trim().is_empty() {
                return bad(format!("{} needs a name in English and Danish", c.key));
            }
            if c.weight > MAX_WEIGHT {
                return bad(format!("{} weighs {}, above {MAX_WEIGHT}", c.key, c.weight));
            }
            let mut levels = BTreeSet::new();
            for l in &c.levels {
                if l.key.trim().is_empty() || !levels.insert(l.key.as_str()) {
                    return bad(format!(
                        "{}: level key {:?} is empty or repeated",
                        c.key, l.key
                    ));
                }
                if l.points > MAX_POINTS {
                    return bad(format!(
                        "{}.{} gives {} points, above {MAX_POINTS}",
                        c.key, l.key, l.points
                    ));
                }
                if l.label.en.trim().is_empty() || l.label.da.trim().is_empty() {
                    return bad(format!(
                        "{}.{} needs a label in English and Danish",
                        c.key, l.key
                    ));
                }
            }
            if levels.is_empty() {
                return bad(format!("{} has no levels", c.key));
            }
            let derived = DERIVED.iter().find(|(k, _)| *k == c.key);
            match (c.method, derived) {
                (Method::Derived, None) => {
                    return bad(format!(
                        "{} is marked derived, but only {} can be derived from the case",
                        c.key,
                        DERIVED
                            .iter()
                            .map(|(k, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
                (Method::Derived, Some((_, expected))) => {
                    let expected: BTreeSet<&str> = expected.iter().copied().collect();
                    if levels != expected {
                        return bad(format!(
                            "{} is derived, so its levels are exactly {}",
                            c.key,
                            expected.into_iter().collect::<Vec<_>>().join(", ")
                        ));
                    }
                }
                (Method::Assessed, Some(_)) => {
                    return bad(format!("{} is derived from the case, not assessed", c.key))
                }
                (Method::Assessed, None) => {}
            }
        }
        if self
            .criteria
            .iter()
            .all(|c| c.weight == 0 || c.max_points() == 0)
        {
            return bad("every criterion weighs nothing".into());
        }
        Ok(())
    }
}
