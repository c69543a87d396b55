//! The learned model against a known truth: on the demo's synthetic history (outcomes
//! drawn from a ground-truth logistic model with interactions), the fitted model must rank
//! and calibrate about as well as the truth itself, beat the hand-weighted feature model,
//! and predict what the truth predicts for pairs it never saw.

use chrono::NaiveDate;

use resettle_demo::history::{synthetic_history, GroundTruth, SyntheticHistory};
use resettle_domain::placement::instance::{HouseholdToPlace, MunicipalitySlot};
use resettle_domain::placement::outcomes::{write_history, TrainingData, FEATURE_NAMES};
use resettle_learning::{
    auc, brier, cross_validate, fit, folds, from_json, hand_weighted_score, to_json, LearnError,
    ModelFileError, Provenance,
};

const SEED: u64 = 20_260_422;
const ROWS: usize = 4000;
const K: usize = 5;
const FOLD_SEED: u64 = 7;

fn slot<'a>(history: &'a SyntheticHistory, code: &str) -> &'a MunicipalitySlot {
    history
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .expect("placed in a municipality of the list")
}

fn provenance(history: &SyntheticHistory) -> Provenance {
    let file = write_history(&history.arrivals);
    Provenance {
        trained_by: "test".into(),
        trained_at: NaiveDate::from_ymd_opt(2027, 1, 4)
            .unwrap()
            .and_hms_opt(10, 30, 0)
            .unwrap(),
        data: TrainingData::of_file("synthetic.csv", file.as_bytes(), &history.arrivals),
    }
}

/// The truth's mean AUC and Brier score over the same folds the cross-validation uses.
fn truth_on_folds(history: &SyntheticHistory, truth: &GroundTruth) -> (f64, f64) {
    let outcomes: Vec<bool> = history.arrivals.iter().map(|a| a.outcome).collect();
    let probabilities: Vec<f64> = history
        .arrivals
        .iter()
        .map(|a| truth.probability(&a.household, slot(history, &a.municipality)))
        .collect();
    let fold = folds(&outcomes, K, FOLD_SEED);
    let (mut auc_sum, mut brier_sum) = (0.0, 0.0);
    for f in 0..K {
        let rows: Vec<usize> = (0..outcomes.len()).filter(|&i| fold[i] == f).collect();
        let p: Vec<f64> = rows.iter().map(|&i| probabilities[i]).collect();
        let y: Vec<bool> = rows.iter().map(|&i| outcomes[i]).collect();
        auc_sum += auc(&p, &y);
        brier_sum += brier(&p, &y);
    }
    (auc_sum / K as f64, brier_sum / K as f64)
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn cross_validated_the_model_ranks_and_calibrates_like_the_truth_and_beats_the_hand_weights() {
    let history = synthetic_history(SEED, ROWS);
    let v = cross_validate(&history.arrivals, &history.municipalities, K, FOLD_SEED).unwrap();
    let (truth_auc, truth_brier) = truth_on_folds(&history, &history.truth);
    eprintln!(
        "learned {:?}, hand-weighted {:?}, truth auc {truth_auc:.4} brier {truth_brier:.4}",
        v.learned, v.hand_weighted
    );
    assert_eq!(
        (v.folds, v.seed, v.per_fold.len()),
        (K as u32, FOLD_SEED, K)
    );
    assert_eq!(
        v.per_fold.iter().map(|f| f.rows as usize).sum::<usize>(),
        ROWS
    );
    assert!(
        (v.learned.auc - truth_auc).abs() < 0.02,
        "learned AUC {} against the truth's {truth_auc}",
        v.learned.auc
    );
    assert!(
        (v.learned.brier - truth_brier).abs() < 0.005,
        "learned Brier {} against the truth's {truth_brier}",
        v.learned.brier
    );
    assert!(
        v.learned.auc > v.hand_weighted.auc + 0.02,
        "learned AUC {} against the hand-weighted {}",
        v.learned.auc,
        v.hand_weighted.auc
    );
    assert!(v.learned.brier < v.hand_weighted.brier);
    // The truth is a real target: a model that ignores every pair (the base rate) or
    // the truth without its interactions ranks clearly worse.
    let mut main_effects = history.truth.clone();
    for (c, name) in main_effects.coefficients.iter_mut().zip(FEATURE_NAMES) {
        if name.contains("_x_") {
            *c = 0.0;
        }
    }
    let (without_interactions, _) = truth_on_folds(&history, &main_effects);
    assert!(
        truth_auc > without_interactions + 0.01,
        "the interactions matter: {truth_auc} against {without_interactions}"
    );
}

#[test]
fn the_fitted_model_predicts_what_the_truth_predicts_for_pairs_it_never_saw() {
    let history = synthetic_history(SEED, ROWS);
    let model = fit(
        &history.arrivals,
        &history.municipalities,
        K,
        FOLD_SEED,
        provenance(&history),
    )
    .unwrap();
    // Households of another draw, each in every municipality: 150 × 98 pairs.
    let others = synthetic_history(SEED + 1, 150);
    let (mut learned, mut truth) = (Vec::new(), Vec::new());
    for a in &others.arrivals {
        for m in &history.municipalities {
            learned.push(model.probability(&a.household, m));
            truth.push(history.truth.probability(&a.household, m));
        }
    }
    let r = pearson(&learned, &truth);
    let mean_error = learned
        .iter()
        .zip(&truth)
        .map(|(l, t)| (l - t).abs())
        .sum::<f64>()
        / truth.len() as f64;
    eprintln!("correlation {r:.4}, mean absolute error {mean_error:.4}");
    assert!(r > 0.95, "correlation with the truth {r}");
    assert!(mean_error < 0.04, "mean absolute error {mean_error}");
    // Where each household would do best: the municipality the model picks is, on
    // average, nearly as good by the truth as the truth's own best, and far better than
    // the hand-weighted model's pick.
    let regret = |score: &dyn Fn(&HouseholdToPlace, &MunicipalitySlot) -> f64| {
        let mut sum = 0.0;
        for a in &others.arrivals {
            let h = &a.household;
            let truth_of = |m: &MunicipalitySlot| history.truth.probability(h, m);
            let best = history
                .municipalities
                .iter()
                .map(truth_of)
                .fold(f64::MIN, f64::max);
            let pick = history
                .municipalities
                .iter()
                .max_by(|x, y| score(h, x).total_cmp(&score(h, y)))
                .unwrap();
            sum += best - truth_of(pick);
        }
        sum / others.arrivals.len() as f64
    };
    let learned_regret = regret(&|h, m| model.probability(h, m));
    let hand_regret = regret(&|h, m| hand_weighted_score(h, m));
    eprintln!("regret: learned {learned_regret:.4}, hand-weighted {hand_regret:.4}");
    assert!(learned_regret < 0.015, "learned regret {learned_regret}");
    assert!(
        learned_regret < hand_regret / 2.0,
        "{learned_regret} against {hand_regret}"
    );
}

#[test]
fn fit_records_its_provenance_and_validation_and_the_model_reads_back_identically() {
    let history = synthetic_history(SEED, 1500);
    let provenance = provenance(&history);
    let model = fit(
        &history.arrivals,
        &history.municipalities,
        K,
        FOLD_SEED,
        provenance.clone(),
    )
    .unwrap();
    model.check().unwrap();
    assert_eq!(model.features, FEATURE_NAMES);
    assert_eq!(model.trained_by, "test");
    assert_eq!(model.trained_at, provenance.trained_at);
    assert_eq!(model.data, provenance.data);
    assert_eq!(model.data.rows, 1500);
    assert_eq!(model.data.sha256.len(), 64);
    assert_eq!(model.validation.folds, K as u32);
    assert_eq!(model.validation.per_fold.len(), K);
    assert!(model.validation.learned.auc > 0.6);

    let json = to_json(&model);
    let again = from_json(&json).unwrap();
    assert_eq!(again, model);
    for a in history.arrivals.iter().take(20) {
        let m = slot(&history, &a.municipality);
        assert_eq!(
            again.probability(&a.household, m).to_bits(),
            model.probability(&a.household, m).to_bits()
        );
    }
    // A model for other features is refused on reading, not misapplied.
    let renamed = json.replacen("\"skills_share\"", "\"skills\"", 1);
    assert!(matches!(from_json(&renamed), Err(ModelFileError::Model(_))));
    assert!(matches!(from_json("{}"), Err(ModelFileError::Json(_))));
}

#[test]
fn contributions_name_real_features_and_add_up_to_the_log_odds() {
    let history = synthetic_history(SEED, 3000);
    let model = fit(
        &history.arrivals,
        &history.municipalities,
        K,
        FOLD_SEED,
        provenance(&history),
    )
    .unwrap();
    let (mut network_named, mut with_network) = (0, 0);
    for a in history.arrivals.iter().take(300) {
        let m = slot(&history, &a.municipality);
        let contributions = model.contributions(&a.household, m);
        assert!(!contributions.is_empty());
        for pair in contributions.windows(2) {
            assert!(pair[0].log_odds.abs() >= pair[1].log_odds.abs());
        }
        for c in &contributions {
            assert!(FEATURE_NAMES.contains(&c.feature), "{}", c.feature);
            let word = if c.log_odds > 0.0 {
                "raised"
            } else {
                "lowered"
            };
            assert!(c.detail.contains(word), "{}", c.detail);
        }
        // What is left out moved the log-odds by less than 0.005 each.
        let sum: f64 = contributions.iter().map(|c| c.log_odds).sum();
        let rest = model.log_odds(&a.household, m) - model.intercept - sum;
        assert!(rest.abs() <= 0.005 * FEATURE_NAMES.len() as f64, "{rest}");
        // Placed with its network, a household's reasons name it among the first three.
        if a.household.network.contains(&a.municipality) {
            with_network += 1;
            let top: Vec<&str> = contributions.iter().take(3).map(|c| c.feature).collect();
            if top.iter().any(|f| f.starts_with("network")) {
                network_named += 1;
            } else {
                eprintln!("{}: {top:?}", a.household.id);
            }
        }
    }
    assert!(
        with_network >= 20,
        "{with_network} placed with their network"
    );
    assert!(
        network_named * 10 >= with_network * 8,
        "the network named for {network_named} of {with_network}"
    );
    let reasons = model.reasons(
        &history.arrivals[0].household,
        &history.municipalities[0],
        3,
    );
    assert_eq!(reasons.len(), 3);
    assert!(reasons[0].ends_with("log-odds)"), "{reasons:?}");
}

#[test]
fn a_history_that_cannot_be_learned_from_is_refused() {
    let history = synthetic_history(SEED, 60);
    let m = &history.municipalities;
    assert!(matches!(
        cross_validate(&[], m, K, 1),
        Err(LearnError::Empty)
    ));
    let mut elsewhere = history.arrivals.clone();
    elsewhere[3].municipality = "999".into();
    assert!(matches!(
        cross_validate(&elsewhere, m, K, 1),
        Err(LearnError::UnknownMunicipality { municipality, .. }) if municipality == "999"
    ));
    assert!(matches!(
        cross_validate(&history.arrivals, m, 1, 1),
        Err(LearnError::Folds { k: 1, .. })
    ));
    let all_good: Vec<_> = history
        .arrivals
        .iter()
        .cloned()
        .map(|mut a| {
            a.outcome = true;
            a
        })
        .collect();
    assert!(matches!(
        cross_validate(&all_good, m, K, 1),
        Err(LearnError::Folds { negatives: 0, .. })
    ));
}
