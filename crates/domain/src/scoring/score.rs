//! Scoring a household against a rubric. The household is scored as a whole; every
//! criterion's score carries an explanation built from the facts it used, in English and
//! Danish, so a caseworker can read it aloud to a colleague.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Criterion, Method, Rubric, Text};
use crate::case_error::CaseError;
use crate::{Category, Household, Person, Priority};

code_enum! {
    /// Why the criteria are not applied to a case (design brief: emergency, urgent and
    /// medical cases, and strategic operations).
    Exemption {
        Emergency => "emergency", Urgent => "urgent", Medical => "medical",
        StrategicMission => "strategic_mission",
    }
}

code_enum! {
    /// What the score says to the person deciding. It never decides.
    Assessment {
        Supports => "supports", Concerns => "concerns", Incomplete => "incomplete",
        NotApplied => "not_applied",
    }
}

impl Exemption {
    pub fn reason(self) -> Text {
        match self {
            Exemption::Emergency => Text::new(
                "Emergency priority: the integration criteria are not applied.",
                "Akut prioritet: integrationskriterierne anvendes ikke.",
            ),
            Exemption::Urgent => Text::new(
                "Urgent priority: the integration criteria are not applied.",
                "Hastende prioritet: integrationskriterierne anvendes ikke.",
            ),
            Exemption::Medical => Text::new(
                "Medical case: the integration criteria are not applied.",
                "Medicinsk sag: integrationskriterierne anvendes ikke.",
            ),
            Exemption::StrategicMission => Text::new(
                "Selected on a strategic operation: the integration criteria are not applied.",
                "Udvalgt på en strategisk operation: integrationskriterierne anvendes ikke.",
            ),
        }
    }
}

/// One criterion's part of a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CriterionScore {
    pub key: String,
    pub name: Text,
    /// None when an assessed criterion was not assessed yet.
    pub level: Option<String>,
    pub points: u32,
    pub max_points: u32,
    pub weight: u32,
    pub weighted: u32,
    pub max_weighted: u32,
    pub explanation: Text,
}

/// A household's score under one rubric version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScoreCard {
    pub rubric_version: u32,
    pub assessment: Assessment,
    pub exemption: Option<Exemption>,
    pub total: u32,
    pub max: u32,
    pub percent: u32,
    pub threshold_percent: u32,
    pub criteria: Vec<CriterionScore>,
    /// The overall explanation: why the criteria were not applied, or what the total says.
    pub summary: Text,
}

/// Whether the household is exempt from the criteria, and why.
pub fn exemption(household: &Household, strategic_mission: bool) -> Option<Exemption> {
    match household.priority {
        Priority::Emergency => return Some(Exemption::Emergency),
        Priority::Urgent => return Some(Exemption::Urgent),
        Priority::Normal => {}
    }
    if household.primary_category == Category::Medical
        || household.members.iter().any(|m| m.tom_patient)
    {
        return Some(Exemption::Medical);
    }
    strategic_mission.then_some(Exemption::StrategicMission)
}

/// Checks that each assessment names an assessed criterion of the rubric and one of its
/// levels.
pub fn check_assessments(
    rubric: &Rubric,
    assessments: &BTreeMap<String, String>,
) -> Result<(), CaseError> {
    for (criterion, level) in assessments {
        match rubric.criterion(criterion) {
            Some(c) if c.method == Method::Assessed => {
                if c.level(level).is_none() {
                    return Err(CaseError::UnknownLevel {
                        criterion: criterion.clone(),
                        level: level.clone(),
                    });
                }
            }
            _ => return Err(CaseError::UnknownCriterion(criterion.clone())),
        }
    }
    Ok(())
}

/// Scores a household on `on` (ages are counted on that day). `assessments` gives the
/// caseworker's level for each assessed criterion, from the interview.
pub fn score(
    rubric: &Rubric,
    household: &Household,
    strategic_mission: bool,
    assessments: &BTreeMap<String, String>,
    on: NaiveDate,
) -> Result<ScoreCard, CaseError> {
    check_assessments(rubric, assessments)?;
    if let Some(e) = exemption(household, strategic_mission) {
        return Ok(ScoreCard {
            rubric_version: rubric.version,
            assessment: Assessment::NotApplied,
            exemption: Some(e),
            total: 0,
            max: 0,
            percent: 0,
            threshold_percent: rubric.threshold_percent,
            criteria: Vec::new(),
            summary: e.reason(),
        });
    }
    let facts = Facts::of(household, on);
    let criteria: Vec<CriterionScore> = rubric
        .criteria
        .iter()
        .map(|c| {
            let (level, facts_text) = match c.method {
                Method::Derived => {
                    let (level, text) = facts.derive(&c.key);
                    (Some(level.to_owned()), text)
                }
                Method::Assessed => match assessments.get(&c.key) {
                    Some(level) => (
                        Some(level.clone()),
                        Text::new("Assessed at the interview.", "Vurderet ved samtalen."),
                    ),
                    None => (
                        None,
                        Text::new(
                            "Not assessed yet: record it with the interview.",
                            "Endnu ikke vurderet: registrér det med samtalen.",
                        ),
                    ),
                },
            };
            criterion_score(c, level, facts_text)
        })
        .collect();
    let total: u32 = criteria.iter().map(|c| c.weighted).sum();
    let max: u32 = criteria.iter().map(|c| c.max_weighted).sum();
    let percent = (total * 100).checked_div(max).unwrap_or(0);
    let threshold = rubric.threshold_percent;
    let (assessment, summary) = if criteria.iter().any(|c| c.level.is_none()) {
        (
            Assessment::Incomplete,
            Text::new(
                "Incomplete: some criteria are not assessed yet.",
                "Ufuldstændig: nogle kriterier er endnu ikke vurderet.",
            ),
        )
    } else if percent >= threshold {
        (
            Assessment::Supports,
            Text::new(
                format!("{total} of {max} points ({percent}%), at or above the {threshold}% threshold."),
                format!("{total} af {max} point ({percent} %), på eller over tærsklen på {threshold} %."),
            ),
        )
    } else if language_alone_below(&criteria, max, threshold) {
        // Illiteracy (or a single language) alone never counts against a household: when
        // the language criterion at its best would reach the threshold, it does not decide.
        (
            Assessment::Supports,
            Text::new(
                format!("{total} of {max} points ({percent}%): below the {threshold}% threshold only because of language and literacy, which alone never count against a household."),
                format!("{total} af {max} point ({percent} %): under tærsklen på {threshold} % kun på grund af sprog og læsefærdighed, som alene aldrig tæller imod en husstand."),
            ),
        )
    } else {
        (
            Assessment::Concerns,
            Text::new(
                format!("{total} of {max} points ({percent}%), below the {threshold}% threshold. The score informs the decision; it does not make it."),
                format!("{total} af {max} point ({percent} %), under tærsklen på {threshold} %. Scoren informerer afgørelsen; den træffer den ikke."),
            ),
        )
    };
    Ok(ScoreCard {
        rubric_version: rubric.version,
        assessment,
        exemption: None,
        total,
        max,
        percent,
        threshold_percent: threshold,
        criteria,
        summary,
    })
}

fn language_alone_below(criteria: &[CriterionScore], max: u32, threshold: u32) -> bool {
    let total: u32 = criteria
        .iter()
        .map(|c| {
            if c.key == "language" {
                c.max_weighted
            } else {
                c.weighted
            }
        })
        .sum();
    max > 0 && total * 100 / max >= threshold
}

fn criterion_score(c: &Criterion, level: Option<String>, facts: Text) -> CriterionScore {
    let chosen = level.as_deref().and_then(|k| c.level(k));
    let points = chosen.map_or(0, |l| l.points);
    let max_points = c.max_points();
    let explanation = match chosen {
        Some(l) => Text::new(
            format!(
                "{} Level: {} ({points} of {max_points} points, weight {}).",
                facts.en, l.label.en, c.weight
            ),
            format!(
                "{} Niveau: {} ({points} af {max_points} point, vægt {}).",
                facts.da, l.label.da, c.weight
            ),
        ),
        None => facts,
    };
    CriterionScore {
        key: c.key.clone(),
        name: c.name.clone(),
        level,
        points,
        max_points,
        weight: c.weight,
        weighted: points * c.weight,
        max_weighted: max_points * c.weight,
        explanation,
    }
}

/// The facts of a household the derived criteria read.
struct Facts<'a> {
    household: &'a Household,
    ages: Vec<u32>,
    /// Members 18 and over; all members when there is no adult.
    adults: Vec<&'a Person>,
}

fn list(items: &[String], none_en: &str, none_da: &str) -> (String, String) {
    if items.is_empty() {
        (none_en.to_owned(), none_da.to_owned())
    } else {
        (items.join(", "), items.join(", "))
    }
}

impl<'a> Facts<'a> {
    fn of(household: &'a Household, on: NaiveDate) -> Self {
        let age = |p: &Person| on.years_since(p.date_of_birth).unwrap_or(0);
        let ages = household.members.iter().map(age).collect();
        let mut adults: Vec<&Person> = household.members.iter().filter(|p| age(p) >= 18).collect();
        if adults.is_empty() {
            adults = household.members.iter().collect();
        }
        Self {
            household,
            ages,
            adults,
        }
    }

    /// A derived criterion's level and the facts that chose it. `Rubric::validate` only
    /// lets the keys of `DERIVED` be derived.
    fn derive(&self, key: &str) -> (&'static str, Text) {
        let n = self.adults.len();
        match key {
            "language" => {
                let literate = self.adults.iter().filter(|p| p.literate).count();
                let most = self
                    .adults
                    .iter()
                    .map(|p| p.languages.len())
                    .max()
                    .unwrap_or(0);
                let level = if literate == 0 {
                    "illiterate"
                } else if self
                    .adults
                    .iter()
                    .any(|p| p.literate && p.languages.len() >= 2)
                {
                    "multilingual"
                } else {
                    "literate"
                };
                let mut text = Text::new(
                    format!("{literate} of {n} adults read and write; the most languages one adult speaks is {most}."),
                    format!("{literate} af {n} voksne kan læse og skrive; den voksne med flest sprog taler {most}."),
                );
                if literate == 0 {
                    text.en
                        .push_str(" Illiteracy alone never counts against a household.");
                    text.da
                        .push_str(" Analfabetisme alene tæller aldrig imod en husstand.");
                }
                (level, text)
            }
            "education_employment" => {
                let years = self
                    .adults
                    .iter()
                    .map(|p| p.education_years)
                    .max()
                    .unwrap_or(0);
                let jobs: Vec<String> = self
                    .adults
                    .iter()
                    .filter_map(|p| p.occupation.clone())
                    .collect();
                let level = if self.adults.iter().any(|p| {
                    p.education_years >= 12 || p.occupation.is_some() && p.education_years >= 9
                }) {
                    "qualified"
                } else if !jobs.is_empty() || years >= 6 {
                    "some"
                } else {
                    "none"
                };
                let (en, da) = list(&jobs, "none recorded", "ingen registreret");
                (
                    level,
                    Text::new(
                        format!("The most schooling among the adults is {years} years; work experience: {en}."),
                        format!("Den længste skolegang blandt de voksne er {years} år; erhvervserfaring: {da}."),
                    ),
                )
            }
            "children" => {
                let children = self.ages.iter().filter(|a| **a < 18).count();
                let all = self.ages.len();
                (
                    if children > 0 {
                        "with_children"
                    } else {
                        "without_children"
                    },
                    Text::new(
                        format!("{children} of {all} members are under 18."),
                        format!("{children} af {all} medlemmer er under 18 år."),
                    ),
                )
            }
            "family_unity" => {
                let h = self.household;
                let all = h.members.len();
                if h.primary_category == Category::FamilyUnity
                    || h.secondary_category == Some(Category::FamilyUnity)
                {
                    (
                        "reunites",
                        Text::new(
                            "Submitted under restoring family unity (FAM).",
                            "Indstillet under genforening af familier (FAM).",
                        ),
                    )
                } else if all > 1 {
                    (
                        "together",
                        Text::new(
                            format!("{all} members travel together."),
                            format!("{all} medlemmer rejser sammen."),
                        ),
                    )
                } else {
                    ("single", Text::new("A single person.", "En enlig person."))
                }
            }
            "age" => {
                let youngest = self.ages.iter().min().copied().unwrap_or(0);
                let oldest = self.ages.iter().max().copied().unwrap_or(0);
                if self.ages.len() == 1 {
                    let level = if !(21..65).contains(&youngest) {
                        "single_very_young_or_old"
                    } else {
                        "other"
                    };
                    (
                        level,
                        Text::new(
                            format!("A single person aged {youngest}."),
                            format!("En enlig på {youngest} år."),
                        ),
                    )
                } else {
                    (
                        "other",
                        Text::new(
                            format!("{} members aged {youngest} to {oldest}.", self.ages.len()),
                            format!(
                                "{} medlemmer i alderen {youngest} til {oldest} år.",
                                self.ages.len()
                            ),
                        ),
                    )
                }
            }
            other => {
                unreachable!("{other} is not a derived criterion; Rubric::validate refuses it")
            }
        }
    }
}
