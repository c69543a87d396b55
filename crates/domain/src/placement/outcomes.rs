//! Match scores learned from past outcomes (issue 22), as far as they are rules and values:
//!
//! - the history of past arrivals (`docs/outcome-history-format.md`): one row per
//!   household with its profile, the municipality it was placed in, its arrival year and
//!   its outcome (in employment or education two years after arrival). Read whole: a file
//!   with any bad row is refused with every problem listed, and nothing of it is used;
//! - the features of a (household, municipality) pair, `pair_features`, under the fixed
//!   names of `FEATURE_NAMES`: what matches, what the household brings, what the
//!   municipality offers, and household × municipality interactions;
//! - the learned model as a value (`LearnedModel`): its standardisation, coefficients and
//!   intercept, and its provenance (who trained it and when, on which file, how it did in
//!   cross-validation beside the hand-weighted feature model), so that a model can be
//!   versioned like a rubric and a plan can name the model it used.
//!
//! Fitting needs a numerical library (linfa, ndarray) and is the `resettle-learning`
//! crate's; the domain only reads, describes and applies a model, and reads no clock: the
//! time a model was trained is the caller's.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::instance::{HouseholdToPlace, MunicipalitySlot, HOUSEHOLD_TYPES};
use crate::digest::sha256_hex;

// ---------------------------------------------------------------------------------------
// The history file
// ---------------------------------------------------------------------------------------

/// The history file's columns, in this order.
pub const HISTORY_HEADER: [&str; 12] = [
    "household",
    "size",
    "needs",
    "network",
    "skills",
    "services",
    "languages",
    "household_type",
    "nationality",
    "municipality",
    "arrival_year",
    "outcome",
];

/// Arrival years a history may hold. The domain reads no clock, so "not in the future" is
/// the caller's to check; these bounds only catch a year mistyped beyond any doubt.
pub const ARRIVAL_YEARS: std::ops::RangeInclusive<i32> = 1980..=2100;

/// Persons a household in the history may have: at least one, and no more than any
/// household the programme has received (a larger number is a typing error).
pub const HOUSEHOLD_SIZES: std::ops::RangeInclusive<u32> = 1..=30;

/// One household of the history: its profile (only the fields the history has), where it
/// was placed, when it arrived and how it fared.
#[derive(Debug, Clone, PartialEq)]
pub struct PastArrival {
    pub household: HouseholdToPlace,
    /// The code of the municipality it was placed in.
    pub municipality: String,
    pub arrival_year: i32,
    /// In employment or education two years after arrival.
    pub outcome: bool,
}

/// One thing wrong with a history file: its row (the file's line, so the header is row 1
/// as in a spreadsheet), the column and the value, when the problem is one field's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryProblem {
    pub row: u64,
    pub field: Option<String>,
    pub value: Option<String>,
    pub reason: String,
}

impl HistoryProblem {
    fn row(row: u64, reason: impl Into<String>) -> Self {
        HistoryProblem {
            row,
            field: None,
            value: None,
            reason: reason.into(),
        }
    }

    fn field(row: u64, field: &str, value: &str, reason: impl Into<String>) -> Self {
        HistoryProblem {
            row,
            field: Some(field.to_owned()),
            value: Some(value.to_owned()),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for HistoryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.field, &self.value) {
            (Some(field), Some(value)) => {
                write!(f, "row {}, {field} {value:?}: {}", self.row, self.reason)
            }
            (Some(field), None) => write!(f, "row {}, {field}: {}", self.row, self.reason),
            _ => write!(f, "row {}: {}", self.row, self.reason),
        }
    }
}

/// Reads a history file. `municipalities` are the profiles the features come from: every
/// placement and every network entry must name one of them, or the row could not be
/// described. All or nothing: any problem refuses the whole file, every problem listed.
pub fn read_history(
    text: &str,
    municipalities: &[MunicipalitySlot],
) -> Result<Vec<PastArrival>, Vec<HistoryProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) if h.iter().eq(HISTORY_HEADER) => {}
        Ok(h) => {
            let row = h.position().map_or(1, |p| p.line());
            return Err(vec![HistoryProblem::row(
                row,
                format!(
                    "the header must be {}, not {}",
                    HISTORY_HEADER.join(","),
                    h.iter().collect::<Vec<_>>().join(",")
                ),
            )]);
        }
        Err(e) => {
            let row = e.position().map_or(1, |p| p.line());
            return Err(vec![HistoryProblem::row(
                row,
                format!("cannot read the header: {e}"),
            )]);
        }
    }
    let codes: BTreeSet<&str> = municipalities.iter().map(|m| m.code.as_str()).collect();
    let mut problems = Vec::new();
    let mut first_row_of: BTreeMap<String, u64> = BTreeMap::new();
    let mut arrivals = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line());
                problems.push(HistoryProblem::row(
                    row,
                    format!("cannot read the row: {e}"),
                ));
                continue;
            }
        };
        let row = record.position().map_or(0, |p| p.line());
        let before = problems.len();
        let field = |name: &str| {
            let i = HISTORY_HEADER
                .iter()
                .position(|h| *h == name)
                .expect("a column of the header");
            record.get(i).unwrap_or("")
        };
        let mut bad = |name: &str, reason: String| {
            problems.push(HistoryProblem::field(row, name, field(name), reason));
        };

        let id = field("household");
        if id.is_empty() {
            bad("household", "a household needs an identifier".into());
        } else if let Some(first) = first_row_of.get(id) {
            bad(
                "household",
                format!(
                    "the household appears again (first in row {first}); one row per household"
                ),
            );
        }
        let size = match field("size").parse::<u32>() {
            Ok(n) if HOUSEHOLD_SIZES.contains(&n) => n,
            _ => {
                bad(
                    "size",
                    format!(
                        "persons must be a whole number from {} to {}",
                        HOUSEHOLD_SIZES.start(),
                        HOUSEHOLD_SIZES.end()
                    ),
                );
                0
            }
        };
        let mut list = |name: &str, codes: Option<&BTreeSet<&str>>| -> Vec<String> {
            match tags(field(name), codes) {
                Ok(items) => items,
                Err(reason) => {
                    bad(name, reason);
                    Vec::new()
                }
            }
        };
        let needs = list("needs", None);
        let network = list("network", Some(&codes));
        let skills = list("skills", None);
        let services = list("services", None);
        let languages = list("languages", None);
        let household_type = match field("household_type") {
            "" => None,
            t if HOUSEHOLD_TYPES.contains(&t) => Some(t.to_owned()),
            _ => {
                bad(
                    "household_type",
                    format!("must be empty or one of {}", HOUSEHOLD_TYPES.join(", ")),
                );
                None
            }
        };
        let nationality = match field("nationality") {
            "" => None,
            n if n.len() == 3 && n.bytes().all(|b| b.is_ascii_uppercase()) => Some(n.to_owned()),
            _ => {
                bad(
                    "nationality",
                    "must be empty or an ISO 3166 alpha-3 code in capitals (SYR, COD, ...)".into(),
                );
                None
            }
        };
        let municipality = field("municipality");
        if !codes.contains(municipality) {
            bad(
                "municipality",
                "is not the code of a municipality with a profile".into(),
            );
        }
        let arrival_year = match field("arrival_year").parse::<i32>() {
            Ok(y) if ARRIVAL_YEARS.contains(&y) => y,
            _ => {
                bad(
                    "arrival_year",
                    format!(
                        "must be a year from {} to {}",
                        ARRIVAL_YEARS.start(),
                        ARRIVAL_YEARS.end()
                    ),
                );
                0
            }
        };
        let outcome = match field("outcome") {
            "1" => true,
            "0" => false,
            _ => {
                bad(
                    "outcome",
                    "must be 1 (in employment or education two years after arrival) or 0".into(),
                );
                false
            }
        };
        if !id.is_empty() {
            first_row_of.entry(id.to_owned()).or_insert(row);
        }
        if problems.len() > before {
            continue;
        }
        arrivals.push(PastArrival {
            household: HouseholdToPlace {
                id: id.to_owned(),
                size,
                needs,
                network,
                skills,
                services,
                languages,
                household_type,
                nationality,
                ..HouseholdToPlace::default()
            },
            municipality: municipality.to_owned(),
            arrival_year,
            outcome,
        });
    }
    if problems.is_empty() && arrivals.is_empty() {
        problems.push(HistoryProblem::row(1, "the history has no rows"));
    }
    if problems.is_empty() {
        Ok(arrivals)
    } else {
        Err(problems)
    }
}

/// A `;`-separated list: empty for an empty field; each item a tag of lower-case letters,
/// digits, `_` or `-` (or, with `codes`, one of those municipality codes), none twice.
pub(crate) fn tags(text: &str, codes: Option<&BTreeSet<&str>>) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut items: Vec<String> = Vec::new();
    for item in text.split(';').map(str::trim) {
        if item.is_empty() {
            return Err("has an empty item (two `;` together, or one at an end)".into());
        }
        match codes {
            Some(codes) if !codes.contains(item) => {
                return Err(format!(
                    "{item:?} is not the code of a municipality with a profile"
                ))
            }
            None if !item.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
            }) =>
            {
                return Err(format!(
                    "{item:?} is not a tag (lower-case letters, digits, _ or -)"
                ))
            }
            _ => {}
        }
        if items.iter().any(|i| i == item) {
            return Err(format!("{item:?} appears twice"));
        }
        items.push(item.to_owned());
    }
    Ok(items)
}

/// The history as a file `read_history` reads back (the demo's synthetic history, a
/// sample). Values the format cannot hold (a `;` inside a tag) are the caller's to avoid.
pub fn write_history(arrivals: &[PastArrival]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(HISTORY_HEADER)
        .expect("writing to memory cannot fail");
    for a in arrivals {
        let h = &a.household;
        writer
            .write_record([
                h.id.as_str(),
                &h.size.to_string(),
                &h.needs.join(";"),
                &h.network.join(";"),
                &h.skills.join(";"),
                &h.services.join(";"),
                &h.languages.join(";"),
                h.household_type.as_deref().unwrap_or(""),
                h.nationality.as_deref().unwrap_or(""),
                &a.municipality,
                &a.arrival_year.to_string(),
                if a.outcome { "1" } else { "0" },
            ])
            .expect("writing to memory cannot fail");
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the fields are UTF-8")
}

/// Which data a model was trained on: the file by name and by the SHA-256 of its bytes (a
/// file changed after training no longer matches), its rows, years and outcome rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingData {
    pub file_name: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub rows: u32,
    pub first_year: i32,
    pub last_year: i32,
    /// The share of rows with outcome 1.
    pub outcome_rate: f64,
}

impl TrainingData {
    /// The description of a file that `read_history` read into `arrivals`.
    pub fn of_file(file_name: &str, bytes: &[u8], arrivals: &[PastArrival]) -> Self {
        let years = arrivals.iter().map(|a| a.arrival_year);
        let positives = arrivals.iter().filter(|a| a.outcome).count();
        TrainingData {
            file_name: file_name.to_owned(),
            sha256: sha256_hex(bytes),
            rows: arrivals.len() as u32,
            first_year: years.clone().min().unwrap_or(0),
            last_year: years.max().unwrap_or(0),
            outcome_rate: if arrivals.is_empty() {
                0.0
            } else {
                positives as f64 / arrivals.len() as f64
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// The features of a pair
// ---------------------------------------------------------------------------------------

/// What a feature describes, for the format doc and the model's reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureGroup {
    /// How the household and the municipality match.
    Match,
    /// The household alone.
    Household,
    /// The municipality alone.
    Municipality,
    /// A household feature times a municipality feature: lets the model say that a thing
    /// matters more for some households than for others.
    Interaction,
}

/// How a feature's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    /// 0 or 1: "yes" or "no".
    Indicator,
    /// A share from 0 to 1: a percentage.
    Share,
    /// A number (a count, or a product of counts).
    Number,
}

/// One feature: its fixed name, what it describes, and a phrase for reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    pub name: &'static str,
    pub group: FeatureGroup,
    pub kind: FeatureKind,
    /// What the feature is, for a sentence: "skills in the local labour market".
    pub label: &'static str,
}

const fn feature(
    name: &'static str,
    group: FeatureGroup,
    kind: FeatureKind,
    label: &'static str,
) -> Feature {
    Feature {
        name,
        group,
        kind,
        label,
    }
}

pub const FEATURE_COUNT: usize = 20;

/// The features `pair_features` computes, in its order. A model records the names it was
/// trained on; one whose names differ from these is refused (`LearnedModel::check`), so
/// changing this list means training again. Each is documented in
/// `docs/outcome-history-format.md`.
pub const FEATURES: [Feature; FEATURE_COUNT] = {
    use FeatureGroup::*;
    use FeatureKind::*;
    [
        feature("network", Match, Indicator, "family or network living here"),
        feature(
            "skills_share",
            Match,
            Share,
            "skills in the local labour market",
        ),
        feature(
            "services_share",
            Match,
            Share,
            "special needs the municipality serves",
        ),
        feature(
            "language_support",
            Match,
            Indicator,
            "local support in a language the household speaks",
        ),
        feature(
            "wished_type",
            Match,
            Indicator,
            "the municipality's wish for this type of household",
        ),
        feature(
            "wished_language",
            Match,
            Indicator,
            "the municipality's wish for a language the household speaks",
        ),
        feature(
            "wished_services",
            Match,
            Share,
            "the municipality's wish for the household's special needs",
        ),
        feature("size", Household, Number, "the household's size"),
        feature("has_skills", Household, Indicator, "work skills"),
        feature(
            "has_needs",
            Household,
            Indicator,
            "needs for capacities (wheelchair, specialist care, ...)",
        ),
        feature("has_services", Household, Indicator, "special needs"),
        feature(
            "languages_spoken",
            Household,
            Number,
            "languages the household speaks",
        ),
        feature("single_parent", Household, Indicator, "a single parent"),
        feature(
            "labour_market_tags",
            Municipality,
            Number,
            "sectors with demand for labour here",
        ),
        feature(
            "service_tags",
            Municipality,
            Number,
            "services offered here",
        ),
        feature(
            "language_tags",
            Municipality,
            Number,
            "languages with local support here",
        ),
        feature(
            "network_x_no_skills",
            Interaction,
            Indicator,
            "family or network here, for a household without work skills",
        ),
        feature(
            "language_support_x_no_skills",
            Interaction,
            Indicator,
            "language support, for a household without work skills",
        ),
        feature(
            "size_x_labour_market_tags",
            Interaction,
            Number,
            "the household's size against the breadth of the labour market",
        ),
        feature(
            "has_needs_x_service_tags",
            Interaction,
            Number,
            "needs for capacities against the services offered here",
        ),
    ]
};

/// The points the products of counts are centred at: a household of 4, 4 sectors with
/// demand, 1 service. Centring changes no prediction (the main effects and the intercept
/// take up the shift), but without it a product moves with its own factors, and a pair's
/// reasons would show the size and the size × sectors term pulling hard against each
/// other; centred, the product is about 0 for a typical pair and says only what the
/// combination adds.
pub const SIZE_REFERENCE: f64 = 4.0;
pub const SECTORS_REFERENCE: f64 = 4.0;
pub const SERVICES_REFERENCE: f64 = 1.0;

/// The names of `FEATURES`, in order.
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = {
    let mut names = [""; FEATURE_COUNT];
    let mut i = 0;
    while i < FEATURE_COUNT {
        names[i] = FEATURES[i].name;
        i += 1;
    }
    names
};

/// The features of `household` placed in `municipality`, in `FEATURE_NAMES`' order. The
/// municipality's features come from its profile (labour market, services, languages,
/// wishes); its quota and capacities are this year's and say nothing of outcomes.
pub fn pair_features(household: &HouseholdToPlace, municipality: &MunicipalitySlot) -> Vec<f64> {
    let h = household;
    let m = municipality;
    let network = indicator(h.network.contains(&m.code));
    let language_support = indicator(h.languages.iter().any(|l| m.languages.contains(l)));
    let wished_type = indicator(
        h.household_type
            .as_ref()
            .is_some_and(|t| m.wishes.household_types.contains(t)),
    );
    let wished_language = indicator(h.languages.iter().any(|l| m.wishes.languages.contains(l)));
    let size = f64::from(h.size);
    let has_skills = indicator(!h.skills.is_empty());
    let has_needs = indicator(!h.needs.is_empty());
    let labour_market_tags = distinct(&m.labour_market);
    let service_tags = distinct(&m.services);
    let no_skills = 1.0 - has_skills;
    let features = vec![
        network,
        share(&h.skills, &m.labour_market),
        share(&h.services, &m.services),
        language_support,
        wished_type,
        wished_language,
        share(&h.services, &m.wishes.services),
        size,
        has_skills,
        has_needs,
        indicator(!h.services.is_empty()),
        distinct(&h.languages),
        indicator(h.household_type.as_deref() == Some("single_parent")),
        labour_market_tags,
        service_tags,
        distinct(&m.languages),
        network * no_skills,
        language_support * no_skills,
        (size - SIZE_REFERENCE) * (labour_market_tags - SECTORS_REFERENCE),
        has_needs * (service_tags - SERVICES_REFERENCE),
    ];
    debug_assert_eq!(features.len(), FEATURE_COUNT);
    features
}

fn indicator(yes: bool) -> f64 {
    if yes {
        1.0
    } else {
        0.0
    }
}

/// Distinct tags, so that a tag listed twice in a profile does not count twice.
fn distinct(tags: &[String]) -> f64 {
    tags.iter().collect::<BTreeSet<_>>().len() as f64
}

/// The share of the distinct `wanted` tags found in `offered`; 0 when nothing is wanted.
fn share(wanted: &[String], offered: &[String]) -> f64 {
    let wanted: BTreeSet<&String> = wanted.iter().collect();
    if wanted.is_empty() {
        return 0.0;
    }
    let matched = wanted.iter().filter(|t| offered.contains(t)).count();
    matched as f64 / wanted.len() as f64
}

/// Each feature's mean and scale over `rows` (the population standard deviation; 1 for a
/// feature that does not vary, which then contributes nothing). The learning crate
/// standardises with this before fitting, so that one L2 penalty treats every feature
/// alike whatever its unit, and `LearnedModel` applies the same numbers to a new pair.
pub fn standardisation(rows: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let width = rows.first().map_or(0, Vec::len);
    let n = rows.len().max(1) as f64;
    let mut means = vec![0.0; width];
    for row in rows {
        for (mean, x) in means.iter_mut().zip(row) {
            *mean += x / n;
        }
    }
    let mut scales = vec![0.0; width];
    for row in rows {
        for ((scale, x), mean) in scales.iter_mut().zip(row).zip(&means) {
            *scale += (x - mean).powi(2) / n;
        }
    }
    for scale in &mut scales {
        *scale = scale.sqrt();
        if !scale.is_finite() || *scale < 1e-12 {
            *scale = 1.0;
        }
    }
    (means, scales)
}

// ---------------------------------------------------------------------------------------
// The learned model
// ---------------------------------------------------------------------------------------

/// How a model scored on held-out data: the area under the ROC curve (0.5 is chance, 1 a
/// perfect ranking) and the Brier score (the mean squared difference between the predicted
/// probability and the 0/1 outcome; lower is better, 0.25 is a coin's).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Metrics {
    pub auc: f64,
    pub brier: f64,
}

/// One fold of the cross-validation: the held-out rows and both models' scores on them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldMetrics {
    pub rows: u32,
    pub learned: Metrics,
    pub hand_weighted: Metrics,
}

/// How the model did in k-fold cross-validation, beside the hand-weighted feature model
/// (`features::score` with the default weights, calibrated to a probability on each
/// training fold) on the same folds. `learned` and `hand_weighted` are the means over the
/// folds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    pub folds: u32,
    /// The seed the rows were dealt into folds with (stratified by outcome).
    pub seed: u64,
    pub learned: Metrics,
    pub hand_weighted: Metrics,
    pub per_fold: Vec<FoldMetrics>,
}

/// A logistic regression over the standardised `pair_features`, with its provenance: a
/// model is a versioned thing, like a rubric, and a plan can record which one scored it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedModel {
    /// The feature names it was trained on: `FEATURE_NAMES` at the time.
    pub features: Vec<String>,
    /// Per feature, subtracted before dividing by `scales`.
    pub means: Vec<f64>,
    pub scales: Vec<f64>,
    /// Per standardised feature, in log-odds.
    pub coefficients: Vec<f64>,
    /// The log-odds of a pair whose every feature is at its training mean.
    pub intercept: f64,
    /// The L2 penalty the coefficients were fitted with (linfa's `alpha`).
    pub regularisation: f64,
    pub trained_by: String,
    /// Given by the caller (the session's clock); the domain reads none.
    pub trained_at: NaiveDateTime,
    pub data: TrainingData,
    pub validation: Validation,
}

/// Why a model cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("the model was trained on other features ({found}) than this version computes ({expected}); train it again")]
    OtherFeatures { found: String, expected: String },
    #[error("the model has {found} {what} for {expected} features")]
    Length {
        what: &'static str,
        found: usize,
        expected: usize,
    },
    #[error("the model's {0} are not all finite numbers")]
    NotFinite(&'static str),
    #[error("the model's scales must all be above 0")]
    BadScale,
}

/// One feature's part in a pair's predicted log-odds, measured from the average pair of the
/// training data: positive when this pair's value raised the chance.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnedContribution {
    pub feature: &'static str,
    /// The pair's value of the feature.
    pub value: f64,
    pub log_odds: f64,
    /// E.g. "skills in the local labour market (67 %) raised the predicted chance (+0.21
    /// log-odds)".
    pub detail: String,
}

impl LearnedModel {
    /// Whether this model can be applied by this version: the same features, one number of
    /// each kind per feature, finite numbers, positive scales. A model read from a file is
    /// checked before use; `probability` assumes it.
    pub fn check(&self) -> Result<(), ModelError> {
        if !self.features.iter().map(String::as_str).eq(FEATURE_NAMES) {
            return Err(ModelError::OtherFeatures {
                found: self.features.join(","),
                expected: FEATURE_NAMES.join(","),
            });
        }
        for (what, values) in [
            ("means", &self.means),
            ("scales", &self.scales),
            ("coefficients", &self.coefficients),
        ] {
            if values.len() != FEATURE_COUNT {
                return Err(ModelError::Length {
                    what,
                    found: values.len(),
                    expected: FEATURE_COUNT,
                });
            }
            if !values.iter().all(|v| v.is_finite()) {
                return Err(ModelError::NotFinite(what));
            }
        }
        if !self.intercept.is_finite() {
            return Err(ModelError::NotFinite("intercept"));
        }
        if !self.scales.iter().all(|s| *s > 0.0) {
            return Err(ModelError::BadScale);
        }
        Ok(())
    }

    /// Each feature's term of the log-odds for a pair with these features.
    fn terms(&self, features: &[f64]) -> Vec<f64> {
        features
            .iter()
            .zip(&self.means)
            .zip(&self.scales)
            .zip(&self.coefficients)
            .map(|(((x, mean), scale), c)| c * (x - mean) / scale)
            .collect()
    }

    /// The predicted log-odds of the outcome for `household` placed in `municipality`.
    pub fn log_odds(&self, household: &HouseholdToPlace, municipality: &MunicipalitySlot) -> f64 {
        let features = pair_features(household, municipality);
        self.intercept + self.terms(&features).iter().sum::<f64>()
    }

    /// The predicted probability of the outcome (in employment or education two years
    /// after arrival) for `household` placed in `municipality`.
    pub fn probability(
        &self,
        household: &HouseholdToPlace,
        municipality: &MunicipalitySlot,
    ) -> f64 {
        logistic(self.log_odds(household, municipality))
    }

    /// What moved this pair's log-odds away from the average pair's, largest first; a
    /// feature that moved it by less than 0.005 is left out.
    pub fn contributions(
        &self,
        household: &HouseholdToPlace,
        municipality: &MunicipalitySlot,
    ) -> Vec<LearnedContribution> {
        let features = pair_features(household, municipality);
        let mut out: Vec<LearnedContribution> = self
            .terms(&features)
            .into_iter()
            .enumerate()
            .filter(|(_, term)| term.abs() >= 0.005)
            .map(|(i, term)| {
                let f = &FEATURES[i];
                LearnedContribution {
                    feature: f.name,
                    value: features[i],
                    log_odds: term,
                    detail: format!(
                        "{} ({}) {} the predicted chance ({:+.2} log-odds)",
                        f.label,
                        value_text(f.kind, features[i]),
                        if term > 0.0 { "raised" } else { "lowered" },
                        term
                    ),
                }
            })
            .collect();
        out.sort_by(|a, b| b.log_odds.abs().total_cmp(&a.log_odds.abs()));
        out
    }

    /// The `most` contributions that moved the pair most, in words (a plan's reasons).
    pub fn reasons(
        &self,
        household: &HouseholdToPlace,
        municipality: &MunicipalitySlot,
        most: usize,
    ) -> Vec<String> {
        self.contributions(household, municipality)
            .into_iter()
            .take(most)
            .map(|c| c.detail)
            .collect()
    }
}

/// The logistic function: log-odds to a probability.
pub fn logistic(log_odds: f64) -> f64 {
    1.0 / (1.0 + (-log_odds).exp())
}

fn value_text(kind: FeatureKind, value: f64) -> String {
    match kind {
        FeatureKind::Indicator if value > 0.5 => "yes".into(),
        FeatureKind::Indicator => "no".into(),
        FeatureKind::Share => format!("{:.0} %", value * 100.0),
        FeatureKind::Number if value.fract() == 0.0 => format!("{value:.0}"),
        FeatureKind::Number => format!("{value:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::instance::MunicipalityWishes;

    const SAMPLE: &str = include_str!("../../../../docs/samples/outcome-history.csv");

    fn slot(
        code: &str,
        labour: &[&str],
        services: &[&str],
        languages: &[&str],
    ) -> MunicipalitySlot {
        let tags = |t: &[&str]| t.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        MunicipalitySlot {
            code: code.into(),
            quota: 10,
            labour_market: tags(labour),
            services: tags(services),
            languages: tags(languages),
            ..MunicipalitySlot::default()
        }
    }

    /// The municipalities the sample file names.
    fn municipalities() -> Vec<MunicipalitySlot> {
        vec![
            slot(
                "101",
                &["health", "it", "hospitality"],
                &["trauma_therapy"],
                &["ar", "en"],
            ),
            slot("147", &["retail", "service"], &[], &["fa"]),
            slot(
                "461",
                &["health", "manufacturing", "transport"],
                &["physiotherapy"],
                &["ar", "so"],
            ),
            slot(
                "751",
                &["it", "education", "construction"],
                &["trauma_therapy", "dialysis"],
                &["ti", "ar"],
            ),
            slot(
                "851",
                &["agriculture", "industry", "construction"],
                &["special_school"],
                &["sw", "fr"],
            ),
        ]
    }

    const GOOD_ROW: &str =
        "H1,3,wheelchair,101,health;it,trauma_therapy,ar;en,couple,SYR,101,2019,1";

    fn with_header(rows: &[&str]) -> String {
        let mut text = HISTORY_HEADER.join(",");
        for row in rows {
            text.push('\n');
            text.push_str(row);
        }
        text.push('\n');
        text
    }

    #[test]
    fn a_good_file_is_read_field_by_field() {
        let arrivals = read_history(
            &with_header(&[GOOD_ROW, "H2,1,,,,,so,,,147,2021,0"]),
            &municipalities(),
        )
        .unwrap();
        assert_eq!(arrivals.len(), 2);
        let a = &arrivals[0];
        assert_eq!(a.household.id, "H1");
        assert_eq!(a.household.size, 3);
        assert_eq!(a.household.needs, vec!["wheelchair"]);
        assert_eq!(a.household.network, vec!["101"]);
        assert_eq!(a.household.skills, vec!["health", "it"]);
        assert_eq!(a.household.services, vec!["trauma_therapy"]);
        assert_eq!(a.household.languages, vec!["ar", "en"]);
        assert_eq!(a.household.household_type.as_deref(), Some("couple"));
        assert_eq!(a.household.nationality.as_deref(), Some("SYR"));
        assert_eq!(
            (a.municipality.as_str(), a.arrival_year, a.outcome),
            ("101", 2019, true)
        );
        let b = &arrivals[1];
        assert!(b.household.needs.is_empty() && b.household.skills.is_empty());
        assert_eq!(
            (b.household.household_type.as_ref(), b.outcome),
            (None, false)
        );
    }

    #[test]
    fn the_sample_file_is_read_and_written_back_the_same() {
        let arrivals = read_history(SAMPLE, &municipalities()).unwrap();
        assert!(arrivals.len() >= 10, "a sample worth reading");
        assert!(arrivals.iter().any(|a| a.outcome) && arrivals.iter().any(|a| !a.outcome));
        let again = read_history(&write_history(&arrivals), &municipalities()).unwrap();
        assert_eq!(again, arrivals);
        let data = TrainingData::of_file("outcome-history.csv", SAMPLE.as_bytes(), &arrivals);
        assert_eq!(data.rows as usize, arrivals.len());
        assert_eq!(data.sha256, sha256_hex(SAMPLE.as_bytes()));
        assert!(data.first_year <= data.last_year);
    }

    /// Reads a file with one bad row and returns its one problem.
    fn refusal(row: &str) -> HistoryProblem {
        let problems = read_history(
            &with_header(&[GOOD_ROW.replace("H1", "H0").as_str(), row]),
            &municipalities(),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        problems.into_iter().next().unwrap()
    }

    fn assert_refused(row: &str, field: &str, value: &str, reason: &str) {
        let p = refusal(row);
        assert_eq!(p.row, 3, "{p}");
        assert_eq!(p.field.as_deref(), Some(field), "{p}");
        assert_eq!(p.value.as_deref(), Some(value), "{p}");
        assert!(p.reason.contains(reason), "{p}");
    }

    #[test]
    fn each_bad_field_is_refused_with_its_row_column_and_value() {
        let row = |i: usize, value: &str| {
            let mut fields: Vec<&str> = GOOD_ROW.split(',').collect();
            fields[i] = value;
            fields.join(",")
        };
        assert_refused(&row(0, ""), "household", "", "identifier");
        assert_refused(&row(0, "H0"), "household", "H0", "first in row 2");
        assert_refused(&row(1, "0"), "size", "0", "from 1 to 30");
        assert_refused(&row(1, "three"), "size", "three", "whole number");
        assert_refused(
            &row(2, "wheelchair;;care"),
            "needs",
            "wheelchair;;care",
            "empty item",
        );
        assert_refused(
            &row(3, "101;999"),
            "network",
            "101;999",
            "\"999\" is not the code",
        );
        assert_refused(&row(4, "Health"), "skills", "Health", "not a tag");
        assert_refused(
            &row(5, "trauma_therapy;trauma_therapy"),
            "services",
            "trauma_therapy;trauma_therapy",
            "twice",
        );
        assert_refused(&row(6, "ar;"), "languages", "ar;", "empty item");
        assert_refused(
            &row(7, "family"),
            "household_type",
            "family",
            "single_parent",
        );
        assert_refused(&row(8, "Syria"), "nationality", "Syria", "alpha-3");
        assert_refused(&row(9, "999"), "municipality", "999", "profile");
        assert_refused(&row(10, "19"), "arrival_year", "19", "from 1980 to 2100");
        assert_refused(&row(11, "yes"), "outcome", "yes", "1 (in employment");
    }

    #[test]
    fn every_problem_of_every_row_is_listed_and_nothing_is_read() {
        let text = with_header(&[
            GOOD_ROW,
            "H2,0,,,,,,,,999,2019,2",
            "H3,2,,,,,ar",
            "# a comment line is skipped",
            "H4,2,,,,,ar,,,147,2020,0",
        ]);
        let problems = read_history(&text, &municipalities()).unwrap_err();
        let fields: Vec<(u64, Option<&str>)> = problems
            .iter()
            .map(|p| (p.row, p.field.as_deref()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (3, Some("size")),
                (3, Some("municipality")),
                (3, Some("outcome")),
                (4, None)
            ],
            "{problems:#?}"
        );
        assert!(
            problems[3].reason.contains("cannot read the row"),
            "{}",
            problems[3]
        );
        assert_eq!(
            problems[0].to_string(),
            "row 3, size \"0\": persons must be a whole number from 1 to 30"
        );
    }

    #[test]
    fn a_wrong_header_or_an_empty_file_is_refused() {
        let header = read_history("household,size\nH1,3\n", &municipalities()).unwrap_err();
        assert_eq!(header.len(), 1);
        assert!(
            header[0]
                .reason
                .starts_with("the header must be household,size,needs"),
            "{:?}",
            header
        );
        let empty = read_history(&with_header(&[]), &municipalities()).unwrap_err();
        assert_eq!(empty[0].reason, "the history has no rows");
    }

    fn household() -> HouseholdToPlace {
        let tags = |t: &[&str]| t.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        HouseholdToPlace {
            id: "H1".into(),
            size: 4,
            needs: tags(&["wheelchair"]),
            network: tags(&["101"]),
            skills: tags(&["health", "transport", "it"]),
            services: tags(&["trauma_therapy", "physiotherapy"]),
            languages: tags(&["ar", "en"]),
            household_type: Some("single_parent".into()),
            ..HouseholdToPlace::default()
        }
    }

    #[test]
    fn pair_features_follow_the_named_list() {
        let mut m = municipalities().remove(0);
        m.wishes = MunicipalityWishes {
            household_types: vec!["single_parent".into()],
            languages: vec!["so".into()],
            services: vec!["physiotherapy".into()],
        };
        let x = pair_features(&household(), &m);
        assert_eq!(x.len(), FEATURE_NAMES.len());
        let get = |name: &str| x[FEATURE_NAMES.iter().position(|n| *n == name).unwrap()];
        assert_eq!(get("network"), 1.0);
        assert_eq!(get("skills_share"), 2.0 / 3.0);
        assert_eq!(get("services_share"), 0.5);
        assert_eq!(get("language_support"), 1.0);
        assert_eq!(get("wished_type"), 1.0);
        assert_eq!(get("wished_language"), 0.0);
        assert_eq!(get("wished_services"), 0.5);
        assert_eq!(get("size"), 4.0);
        assert_eq!(
            (get("has_skills"), get("has_needs"), get("has_services")),
            (1.0, 1.0, 1.0)
        );
        assert_eq!((get("languages_spoken"), get("single_parent")), (2.0, 1.0));
        assert_eq!(
            (
                get("labour_market_tags"),
                get("service_tags"),
                get("language_tags")
            ),
            (3.0, 1.0, 2.0)
        );
        assert_eq!(
            (
                get("network_x_no_skills"),
                get("language_support_x_no_skills")
            ),
            (0.0, 0.0)
        );
        assert_eq!(
            (
                get("size_x_labour_market_tags"),
                get("has_needs_x_service_tags")
            ),
            (0.0, 0.0)
        );
        let big = HouseholdToPlace {
            size: 7,
            ..household()
        };
        let x = pair_features(&big, &municipalities()[3]);
        assert_eq!((x[18], x[19]), (-3.0, 1.0), "3 sectors, 2 services");
        // Without skills, network and language support count again in the interactions;
        // elsewhere the network does not count at all.
        let unskilled = HouseholdToPlace {
            skills: Vec::new(),
            ..household()
        };
        let x = pair_features(&unskilled, &m);
        assert_eq!((x[16], x[17], x[1]), (1.0, 1.0, 0.0));
        let x = pair_features(&unskilled, &municipalities()[1]);
        assert_eq!((x[0], x[16]), (0.0, 0.0));
        // Every name is unique and documented.
        let names: BTreeSet<&str> = FEATURE_NAMES.iter().copied().collect();
        assert_eq!(names.len(), FEATURE_COUNT);
        let doc = include_str!("../../../../docs/outcome-history-format.md");
        for name in FEATURE_NAMES {
            assert!(doc.contains(&format!("`{name}`")), "{name} is documented");
        }
    }

    fn model() -> LearnedModel {
        let mut coefficients = vec![0.0; FEATURE_COUNT];
        coefficients[0] = 0.8; // network
        coefficients[1] = 0.5; // skills_share
        coefficients[9] = -0.3; // has_needs
        LearnedModel {
            features: FEATURE_NAMES.iter().map(|s| (*s).to_owned()).collect(),
            means: vec![0.25; FEATURE_COUNT],
            scales: vec![0.5; FEATURE_COUNT],
            coefficients,
            intercept: -0.2,
            regularisation: 1.0,
            trained_by: "anna".into(),
            trained_at: chrono::NaiveDate::from_ymd_opt(2027, 1, 4)
                .unwrap()
                .and_hms_opt(10, 30, 0)
                .unwrap(),
            data: TrainingData::of_file("h.csv", b"", &[]),
            validation: Validation {
                folds: 5,
                seed: 1,
                learned: Metrics {
                    auc: 0.7,
                    brier: 0.2,
                },
                hand_weighted: Metrics {
                    auc: 0.6,
                    brier: 0.23,
                },
                per_fold: Vec::new(),
            },
        }
    }

    #[test]
    fn the_model_predicts_from_standardised_features_and_names_what_moved_it() {
        let model = model();
        model.check().unwrap();
        let h = household();
        let m = &municipalities()[0];
        // network 1 → 0.8 × (1 − 0.25)/0.5 = 1.2; skills 2/3 → 0.5 × (2/3 − 0.25)/0.5;
        // needs 1 → −0.3 × 1.5 = −0.45.
        let expected = -0.2 + 1.2 + (2.0 / 3.0 - 0.25) - 0.45;
        assert!((model.log_odds(&h, m) - expected).abs() < 1e-12);
        assert!((model.probability(&h, m) - 1.0 / (1.0 + (-expected).exp())).abs() < 1e-12);
        let c = model.contributions(&h, m);
        assert_eq!(
            c.iter().map(|c| c.feature).collect::<Vec<_>>(),
            vec!["network", "has_needs", "skills_share"]
        );
        assert_eq!(
            c[0].detail,
            "family or network living here (yes) raised the predicted chance (+1.20 log-odds)"
        );
        assert_eq!(
            c[1].detail,
            "needs for capacities (wheelchair, specialist care, ...) (yes) lowered the predicted chance (-0.45 log-odds)"
        );
        assert_eq!(
            c[2].detail,
            "skills in the local labour market (67 %) raised the predicted chance (+0.42 log-odds)"
        );
        assert_eq!(model.reasons(&h, m, 1), vec![c[0].detail.clone()]);
    }

    #[test]
    fn a_model_for_other_features_or_with_bad_numbers_is_refused() {
        let mut other = model();
        other.features[3] = "language".into();
        assert!(matches!(
            other.check(),
            Err(ModelError::OtherFeatures { .. })
        ));
        let mut short = model();
        short.coefficients.pop();
        assert_eq!(
            short.check(),
            Err(ModelError::Length {
                what: "coefficients",
                found: FEATURE_COUNT - 1,
                expected: FEATURE_COUNT
            })
        );
        let mut nan = model();
        nan.means[2] = f64::NAN;
        assert_eq!(nan.check(), Err(ModelError::NotFinite("means")));
        let mut zero = model();
        zero.scales[0] = 0.0;
        assert_eq!(zero.check(), Err(ModelError::BadScale));
    }

    #[test]
    fn standardisation_centres_and_scales_and_leaves_constants_alone() {
        let rows = vec![vec![1.0, 5.0], vec![3.0, 5.0]];
        let (means, scales) = standardisation(&rows);
        assert_eq!(means, vec![2.0, 5.0]);
        assert_eq!(scales, vec![1.0, 1.0]);
        let rows = vec![vec![0.0], vec![4.0], vec![8.0], vec![4.0]];
        let (means, scales) = standardisation(&rows);
        assert_eq!(means, vec![4.0]);
        assert!((scales[0] - 8.0f64.sqrt()).abs() < 1e-12);
    }
}
