//! Match scores learned from past outcomes: fitting a `LearnedModel` on a history of past
//! arrivals, and k-fold cross-validation of it beside the hand-weighted feature model
//! (`docs/outcome-history-format.md`). The model, its features and the history file are
//! the domain's (`placement::outcomes`); this crate is apart because it links linfa and
//! ndarray, which the domain must not.
//!
//! The fit is linfa's L2-regularised logistic regression (L-BFGS) on standardised
//! features; the AUC is linfa's ROC curve's area. Nothing here reads a clock or a file:
//! the caller gives the time and describes the data (`Provenance`).

use chrono::NaiveDateTime;
use linfa::metrics::BinaryClassification;
use linfa::prelude::Pr;
use linfa::traits::Fit;
use linfa::Dataset;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use resettle_domain::placement::features::{self, Weights};
use resettle_domain::placement::instance::{HouseholdToPlace, MunicipalitySlot};
use resettle_domain::placement::outcomes::{
    logistic, pair_features, standardisation, FoldMetrics, LearnedModel, Metrics, ModelError,
    PastArrival, TrainingData, Validation, FEATURE_NAMES,
};

/// How the logistic regression is fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// The L2 penalty on the standardised coefficients (linfa's `alpha`). linfa's loss is
    /// the log-loss summed over the rows plus `alpha / 2 × |w|²`, so the penalty weighs
    /// less as the history grows: 1 is a light touch on thousands of rows, enough to keep
    /// nearly collinear features (a share and its indicator) from drifting apart.
    pub alpha: f64,
    /// L-BFGS stops after this many iterations, or
    pub max_iterations: u64,
    /// when the gradient's norm is below this.
    pub gradient_tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            alpha: 1.0,
            max_iterations: 1000,
            gradient_tolerance: 1e-6,
        }
    }
}

/// The penalty of the one-feature Platt calibration of the hand-weighted score: next to
/// none (two parameters, thousands of rows), only enough to keep it finite if a fold's
/// scores happened to separate the outcomes perfectly.
const PLATT_ALPHA: f64 = 1e-3;

/// Who trained a model, when, and on what: the caller's to say (the domain and this crate
/// read no clock and no file).
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub trained_by: String,
    pub trained_at: NaiveDateTime,
    pub data: TrainingData,
}

#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    #[error("the history has no rows")]
    Empty,
    #[error("household {household} was placed in {municipality}, which has no profile")]
    UnknownMunicipality {
        household: String,
        municipality: String,
    },
    #[error("{k}-fold cross-validation needs k of at least 2 and at least k rows of each outcome; the history has {positives} with outcome 1 and {negatives} with 0")]
    Folds {
        k: usize,
        positives: usize,
        negatives: usize,
    },
    #[error("the logistic regression could not be fitted: {0}")]
    Fit(#[from] linfa_logistic::error::Error),
}

/// The history as the fit sees it: each row's features, hand-weighted score and outcome.
struct Rows {
    features: Vec<Vec<f64>>,
    hand: Vec<f64>,
    outcomes: Vec<bool>,
}

fn rows(history: &[PastArrival], municipalities: &[MunicipalitySlot]) -> Result<Rows, LearnError> {
    if history.is_empty() {
        return Err(LearnError::Empty);
    }
    let mut out = Rows {
        features: Vec::with_capacity(history.len()),
        hand: Vec::with_capacity(history.len()),
        outcomes: Vec::with_capacity(history.len()),
    };
    for a in history {
        let m = municipalities
            .iter()
            .find(|m| m.code == a.municipality)
            .ok_or_else(|| LearnError::UnknownMunicipality {
                household: a.household.id.clone(),
                municipality: a.municipality.clone(),
            })?;
        out.features.push(pair_features(&a.household, m));
        out.hand.push(hand_weighted_score(&a.household, m));
        out.outcomes.push(a.outcome);
    }
    Ok(out)
}

/// The hand-weighted feature model's score of a pair: `features::score` with the default
/// weights and no `spread` term (a largest quota of 0 switches it off): spreading is about
/// this year's quotas, not about how past arrivals fared.
pub fn hand_weighted_score(household: &HouseholdToPlace, municipality: &MunicipalitySlot) -> f64 {
    features::score(household, municipality, 0, &Weights::default())
}

/// A logistic regression fitted on standardised features.
struct Fitted {
    means: Vec<f64>,
    scales: Vec<f64>,
    coefficients: Vec<f64>,
    intercept: f64,
}

impl Fitted {
    fn probability(&self, x: &[f64]) -> f64 {
        let z = x
            .iter()
            .zip(&self.means)
            .zip(&self.scales)
            .zip(&self.coefficients)
            .fold(self.intercept, |z, (((x, m), s), c)| z + c * (x - m) / s);
        logistic(z)
    }
}

/// Fits linfa's logistic regression on `rows` (standardised with their own means and
/// scales), returning the probability of outcome 1.
fn fit_logistic(
    rows: &[&[f64]],
    outcomes: &[bool],
    alpha: f64,
    options: &FitOptions,
) -> Result<Fitted, LearnError> {
    let owned: Vec<Vec<f64>> = rows.iter().map(|r| r.to_vec()).collect();
    let (means, scales) = standardisation(&owned);
    let width = means.len();
    let mut x = Array2::<f64>::zeros((rows.len(), width));
    for (i, row) in rows.iter().enumerate() {
        for j in 0..width {
            x[[i, j]] = (row[j] - means[j]) / scales[j];
        }
    }
    let y = Array1::from(outcomes.to_vec());
    let dataset = Dataset::new(x, y);
    let model = LogisticRegression::default()
        .alpha(alpha)
        .max_iterations(options.max_iterations)
        .gradient_tolerance(options.gradient_tolerance)
        .fit(&dataset)?;
    // linfa's probabilities are those of the class it calls positive, which is the more
    // frequent of the two, not necessarily outcome 1: turn them round when it is 0.
    let sign = if model.labels().pos.class { 1.0 } else { -1.0 };
    Ok(Fitted {
        means,
        scales,
        coefficients: model.params().iter().map(|c| sign * c).collect(),
        intercept: sign * model.intercept(),
    })
}

/// The fold (0 to k − 1) of each row: the rows of each outcome shuffled with the seed and
/// dealt in turn, so every fold has about the same share of each outcome (stratified).
pub fn folds(outcomes: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut fold = vec![0; outcomes.len()];
    let mut next = 0;
    for class in [true, false] {
        let mut rows: Vec<usize> = (0..outcomes.len())
            .filter(|&i| outcomes[i] == class)
            .collect();
        rows.shuffle(&mut rng);
        for i in rows {
            fold[i] = next % k.max(1);
            next += 1;
        }
    }
    fold
}

/// The area under the ROC curve of `probabilities` against `outcomes` (linfa's
/// `ReceiverOperatingCharacteristic`; probabilities go to it as f32). Needs both outcomes
/// among the rows (NaN otherwise).
pub fn auc(probabilities: &[f64], outcomes: &[bool]) -> f64 {
    let pr: Vec<Pr> = probabilities
        .iter()
        .map(|p| Pr::new(p.clamp(0.0, 1.0) as f32))
        .collect();
    let roc = pr
        .as_slice()
        .roc(outcomes)
        .expect("linfa's ROC of probabilities and labels always succeeds");
    f64::from(roc.area_under_curve())
}

/// The Brier score: the mean of (probability − outcome)². Lower is better; always
/// predicting 0.5 scores 0.25.
pub fn brier(probabilities: &[f64], outcomes: &[bool]) -> f64 {
    let n = probabilities.len().max(1) as f64;
    probabilities
        .iter()
        .zip(outcomes)
        .map(|(p, &o)| (p - if o { 1.0 } else { 0.0 }).powi(2))
        .sum::<f64>()
        / n
}

/// k-fold cross-validation of the learned model beside the hand-weighted feature model, on
/// the same folds (`folds`), with the default fit options.
pub fn cross_validate(
    history: &[PastArrival],
    municipalities: &[MunicipalitySlot],
    k: usize,
    seed: u64,
) -> Result<Validation, LearnError> {
    cross_validate_with(history, municipalities, k, seed, &FitOptions::default())
}

pub fn cross_validate_with(
    history: &[PastArrival],
    municipalities: &[MunicipalitySlot],
    k: usize,
    seed: u64,
    options: &FitOptions,
) -> Result<Validation, LearnError> {
    let rows = rows(history, municipalities)?;
    validate(&rows, k, seed, options)
}

fn validate(
    rows: &Rows,
    k: usize,
    seed: u64,
    options: &FitOptions,
) -> Result<Validation, LearnError> {
    let positives = rows.outcomes.iter().filter(|o| **o).count();
    let negatives = rows.outcomes.len() - positives;
    if k < 2 || positives < k || negatives < k {
        return Err(LearnError::Folds {
            k,
            positives,
            negatives,
        });
    }
    let fold = folds(&rows.outcomes, k, seed);
    let mut per_fold = Vec::with_capacity(k);
    for f in 0..k {
        let (train, test): (Vec<usize>, Vec<usize>) =
            (0..rows.outcomes.len()).partition(|&i| fold[i] != f);
        let outcomes = |rows_of: &[usize]| -> Vec<bool> {
            rows_of.iter().map(|&i| rows.outcomes[i]).collect()
        };
        let (train_y, test_y) = (outcomes(&train), outcomes(&test));

        let features = |rows_of: &[usize]| -> Vec<&[f64]> {
            rows_of
                .iter()
                .map(|&i| rows.features[i].as_slice())
                .collect()
        };
        let learned = fit_logistic(&features(&train), &train_y, options.alpha, options)?;
        let learned_p: Vec<f64> = features(&test)
            .iter()
            .map(|x| learned.probability(x))
            .collect();

        // The hand-weighted score is points, not a probability: Platt scaling (a
        // one-feature logistic regression of the outcome on the score, fitted on this
        // training fold only) makes it one, so that its Brier score means something. Its
        // AUC is the score's own ranking either way (the calibration is monotone).
        let hand = |rows_of: &[usize]| -> Vec<[f64; 1]> {
            rows_of.iter().map(|&i| [rows.hand[i]]).collect()
        };
        let hand_train = hand(&train);
        let hand_train: Vec<&[f64]> = hand_train.iter().map(|x| x.as_slice()).collect();
        let platt = fit_logistic(&hand_train, &train_y, PLATT_ALPHA, options)?;
        let hand_p: Vec<f64> = hand(&test).iter().map(|x| platt.probability(x)).collect();

        per_fold.push(FoldMetrics {
            rows: test.len() as u32,
            learned: Metrics {
                auc: auc(&learned_p, &test_y),
                brier: brier(&learned_p, &test_y),
            },
            hand_weighted: Metrics {
                auc: auc(&hand_p, &test_y),
                brier: brier(&hand_p, &test_y),
            },
        });
    }
    let mean = |f: &dyn Fn(&FoldMetrics) -> f64| per_fold.iter().map(f).sum::<f64>() / k as f64;
    Ok(Validation {
        folds: k as u32,
        seed,
        learned: Metrics {
            auc: mean(&|f| f.learned.auc),
            brier: mean(&|f| f.learned.brier),
        },
        hand_weighted: Metrics {
            auc: mean(&|f| f.hand_weighted.auc),
            brier: mean(&|f| f.hand_weighted.brier),
        },
        per_fold,
    })
}

/// Fits the model on the whole history, after cross-validating it in `k` folds dealt with
/// `seed` (its `validation`), with the default fit options.
pub fn fit(
    history: &[PastArrival],
    municipalities: &[MunicipalitySlot],
    k: usize,
    seed: u64,
    provenance: Provenance,
) -> Result<LearnedModel, LearnError> {
    fit_with(
        history,
        municipalities,
        k,
        seed,
        provenance,
        &FitOptions::default(),
    )
}

pub fn fit_with(
    history: &[PastArrival],
    municipalities: &[MunicipalitySlot],
    k: usize,
    seed: u64,
    provenance: Provenance,
    options: &FitOptions,
) -> Result<LearnedModel, LearnError> {
    let rows = rows(history, municipalities)?;
    let validation = validate(&rows, k, seed, options)?;
    let features: Vec<&[f64]> = rows.features.iter().map(Vec::as_slice).collect();
    let fitted = fit_logistic(&features, &rows.outcomes, options.alpha, options)?;
    Ok(LearnedModel {
        features: FEATURE_NAMES.iter().map(|s| (*s).to_owned()).collect(),
        means: fitted.means,
        scales: fitted.scales,
        coefficients: fitted.coefficients,
        intercept: fitted.intercept,
        regularisation: options.alpha,
        trained_by: provenance.trained_by,
        trained_at: provenance.trained_at,
        data: provenance.data,
        validation,
    })
}

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    #[error("the model file is not a model: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Model(#[from] ModelError),
}

/// A model as JSON (`docs/outcome-history-format.md`, "The model").
pub fn to_json(model: &LearnedModel) -> String {
    serde_json::to_string_pretty(model).expect("a model is plain data")
}

/// A model read from JSON, checked (`LearnedModel::check`): the same numbers that were
/// written (serde_json's `float_roundtrip`), for the features this version computes.
pub fn from_json(text: &str) -> Result<LearnedModel, ModelFileError> {
    let model: LearnedModel = serde_json::from_str(text)?;
    model.check()?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The AUC by its definition: the share of (outcome 1, outcome 0) pairs the
    /// probabilities order right, ties counting half.
    fn auc_by_pairs(p: &[f64], y: &[bool]) -> f64 {
        let (mut right, mut pairs) = (0.0, 0.0);
        for i in 0..p.len() {
            for j in 0..p.len() {
                if y[i] && !y[j] {
                    pairs += 1.0;
                    right += if p[i] > p[j] {
                        1.0
                    } else if p[i] == p[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        }
        right / pairs
    }

    #[test]
    fn linfas_auc_is_the_share_of_pairs_ordered_right() {
        let p = [0.1, 0.4, 0.35, 0.8];
        let y = [false, false, true, true];
        assert!((auc(&p, &y) - 0.75).abs() < 1e-6);
        let p = [0.9, 0.2, 0.3, 0.3, 0.6, 0.05, 0.3, 0.7, 0.4, 0.55];
        let y = [
            true, false, true, false, false, false, true, true, false, true,
        ];
        assert!((auc(&p, &y) - auc_by_pairs(&p, &y)).abs() < 1e-6);
        let perfect = auc(&[0.2, 0.3, 0.7, 0.9], &[false, false, true, true]);
        assert!((perfect - 1.0).abs() < 1e-6);
        let reversed = auc(&[0.8, 0.7, 0.3, 0.1], &[false, false, true, true]);
        assert!(reversed.abs() < 1e-6);
    }

    #[test]
    fn the_brier_score_is_a_mean_of_squares() {
        assert_eq!(brier(&[0.5, 0.5], &[true, false]), 0.25);
        assert!(
            (brier(&[0.9, 0.2, 0.6], &[true, false, false]) - (0.01 + 0.04 + 0.36) / 3.0).abs()
                < 1e-12
        );
    }

    #[test]
    fn folds_are_stratified_and_follow_the_seed() {
        let outcomes: Vec<bool> = (0..103).map(|i| i % 3 == 0).collect();
        let f = folds(&outcomes, 5, 9);
        assert_eq!(f, folds(&outcomes, 5, 9));
        assert_ne!(f, folds(&outcomes, 5, 10));
        for k in 0..5 {
            let size = f.iter().filter(|&&x| x == k).count();
            let ones = (0..103).filter(|&i| f[i] == k && outcomes[i]).count();
            assert!((20..=21).contains(&size), "fold {k} has {size} rows");
            assert!((6..=7).contains(&ones), "fold {k} has {ones} of outcome 1");
        }
    }

    /// The mean held-out AUC of models fitted on only the `columns` of the features.
    fn cross_validated_auc(rows: &Rows, columns: &[usize]) -> f64 {
        let fold = folds(&rows.outcomes, 5, 3);
        let mut sum = 0.0;
        for f in 0..5 {
            let (train, test): (Vec<usize>, Vec<usize>) =
                (0..rows.outcomes.len()).partition(|&i| fold[i] != f);
            let pick =
                |i: usize| -> Vec<f64> { columns.iter().map(|&j| rows.features[i][j]).collect() };
            let train_x: Vec<Vec<f64>> = train.iter().map(|&i| pick(i)).collect();
            let train_x: Vec<&[f64]> = train_x.iter().map(Vec::as_slice).collect();
            let train_y: Vec<bool> = train.iter().map(|&i| rows.outcomes[i]).collect();
            let fitted = fit_logistic(&train_x, &train_y, 1.0, &FitOptions::default()).unwrap();
            let p: Vec<f64> = test.iter().map(|&i| fitted.probability(&pick(i))).collect();
            let y: Vec<bool> = test.iter().map(|&i| rows.outcomes[i]).collect();
            sum += auc(&p, &y);
        }
        sum / 5.0
    }

    #[test]
    fn the_interactions_earn_their_place_on_the_synthetic_history() {
        // The demo's truth has household × municipality interactions; a model fitted
        // without those columns ranks the held-out households worse.
        let history = resettle_demo::history::synthetic_history(5, 4000);
        let rows = rows(&history.arrivals, &history.municipalities).unwrap();
        let all: Vec<usize> = (0..FEATURE_NAMES.len()).collect();
        let main: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&j| !FEATURE_NAMES[j].contains("_x_"))
            .collect();
        assert!(main.len() < all.len());
        let (with, without) = (
            cross_validated_auc(&rows, &all),
            cross_validated_auc(&rows, &main),
        );
        eprintln!("with interactions {with:.4}, without {without:.4}");
        assert!(with > without + 0.01, "{with} against {without}");
    }

    #[test]
    fn the_fit_finds_a_one_feature_logistic_curve_whichever_outcome_is_commoner() {
        // Outcomes drawn exactly in proportion from p = logistic(−1 + 2x): the fit on the
        // standardised feature must give back −1 + 2x (alpha near 0), whether 1 or 0 is
        // the commoner outcome (linfa calls the commoner class positive).
        for shift in [-1.0, 2.5] {
            let mut rows = Vec::new();
            let mut y = Vec::new();
            for step in 0..=40 {
                let x = -3.0 + step as f64 * 0.15;
                let p = logistic(shift + 2.0 * x);
                let ones = (p * 200.0).round() as usize;
                for i in 0..200 {
                    rows.push(vec![x]);
                    y.push(i < ones);
                }
            }
            let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
            let fitted = fit_logistic(&refs, &y, 1e-6, &FitOptions::default()).unwrap();
            for x in [-2.0, 0.0, 1.5] {
                let truth = logistic(shift + 2.0 * x);
                assert!(
                    (fitted.probability(&[x]) - truth).abs() < 0.01,
                    "shift {shift}, x {x}: {} against {truth}",
                    fitted.probability(&[x])
                );
            }
        }
    }
}
