//! `cargo bench -p resettle --bench learning` (run by `cargo xtask bench`): the match
//! score learned from past outcomes, on the demo's synthetic history of 5,000 arrivals
//! whose outcomes were drawn from a known ground-truth logistic model with household ×
//! municipality interactions (`demo::history`).
//!
//! One table, every figure the mean over the same 5 stratified folds: the ground truth's
//! own AUC and Brier score (the best any model can expect), the learned model's
//! (cross-validated: fitted on 4 folds, scored on the fifth), and the hand-weighted feature
//! model's (default weights, Platt-calibrated on each training fold). Then the fit's time
//! (median of 11 runs: the 5-fold cross-validation and the final fit on every row) and how
//! closely the fitted model's probabilities follow the truth's on pairs it never saw.
//! Seeds are fixed; a few seconds in all.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use resettle::demo::history::{synthetic_history, SyntheticHistory};
use resettle::domain::placement::instance::MunicipalitySlot;
use resettle::domain::placement::outcomes::{write_history, Metrics, TrainingData};
use resettle::learning::{auc, brier, cross_validate, fit, folds, Provenance};

const SEED: u64 = 2026;
const ROWS: usize = 5000;
const K: usize = 5;
const FOLD_SEED: u64 = 7;
const RUNS: usize = 11;

fn main() {
    let history = synthetic_history(SEED, ROWS);
    let outcomes: Vec<bool> = history.arrivals.iter().map(|a| a.outcome).collect();
    let rate = outcomes.iter().filter(|o| **o).count() as f64 / ROWS as f64;

    let validation = cross_validate(&history.arrivals, &history.municipalities, K, FOLD_SEED)
        .expect("the synthetic history can be learned from");
    let truth = truth_on_folds(&history, &outcomes);

    let file = write_history(&history.arrivals);
    let provenance = Provenance {
        trained_by: "bench".into(),
        trained_at: NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
        data: TrainingData::of_file("synthetic.csv", file.as_bytes(), &history.arrivals),
    };
    let cv_time = median(|| {
        cross_validate(&history.arrivals, &history.municipalities, K, FOLD_SEED).unwrap();
    });
    let fit_time = median(|| {
        fit(
            &history.arrivals,
            &history.municipalities,
            K,
            FOLD_SEED,
            provenance.clone(),
        )
        .unwrap();
    });
    let model = fit(
        &history.arrivals,
        &history.municipalities,
        K,
        FOLD_SEED,
        provenance,
    )
    .unwrap();

    // Households of another draw, each in every municipality: pairs the fit never saw.
    let others = synthetic_history(SEED + 1, 200);
    let (mut learned, mut truth_p) = (Vec::new(), Vec::new());
    for a in &others.arrivals {
        for m in &history.municipalities {
            learned.push(model.probability(&a.household, m));
            truth_p.push(history.truth.probability(&a.household, m));
        }
    }

    println!();
    println!(
        "Learned match score: {ROWS} synthetic arrivals (seed {SEED}, outcome rate {:.0} %), \
         {K}-fold cross-validation (seed {FOLD_SEED}), means over the folds",
        rate * 100.0
    );
    println!();
    println!("| model | AUC | Brier |");
    println!("|---|---:|---:|");
    let row = |name: &str, m: &Metrics| println!("| {name} | {:.4} | {:.4} |", m.auc, m.brier);
    row(
        "ground truth (the model the outcomes were drawn from)",
        &truth,
    );
    row(
        "learned (L2 logistic regression, linfa, 20 features)",
        &validation.learned,
    );
    row(
        "hand-weighted (default weights, Platt-calibrated per fold)",
        &validation.hand_weighted,
    );
    println!();
    println!("| fit | median of {RUNS} |");
    println!("|---|---:|");
    println!(
        "| {K}-fold cross-validation ({K} × (learned + Platt) fits) | {:.0} ms |",
        ms(cv_time)
    );
    println!(
        "| `fit`: the cross-validation and the final fit on {ROWS} rows | {:.0} ms |",
        ms(fit_time)
    );
    println!();
    println!(
        "On {} unseen pairs ({} households × {} municipalities) the learned probability's \
         correlation with the truth's is {:.4}, its mean absolute difference {:.4}.",
        learned.len(),
        others.arrivals.len(),
        history.municipalities.len(),
        pearson(&learned, &truth_p),
        learned
            .iter()
            .zip(&truth_p)
            .map(|(l, t)| (l - t).abs())
            .sum::<f64>()
            / learned.len() as f64
    );
}

/// The truth's AUC and Brier score, the mean over the folds the cross-validation used.
fn truth_on_folds(history: &SyntheticHistory, outcomes: &[bool]) -> Metrics {
    let slot = |code: &str| -> &MunicipalitySlot {
        history
            .municipalities
            .iter()
            .find(|m| m.code == code)
            .expect("a municipality of the list")
    };
    let p: Vec<f64> = history
        .arrivals
        .iter()
        .map(|a| {
            history
                .truth
                .probability(&a.household, slot(&a.municipality))
        })
        .collect();
    let fold = folds(outcomes, K, FOLD_SEED);
    let (mut a, mut b) = (0.0, 0.0);
    for f in 0..K {
        let rows: Vec<usize> = (0..outcomes.len()).filter(|&i| fold[i] == f).collect();
        let fp: Vec<f64> = rows.iter().map(|&i| p[i]).collect();
        let fy: Vec<bool> = rows.iter().map(|&i| outcomes[i]).collect();
        a += auc(&fp, &fy);
        b += brier(&fp, &fy);
    }
    Metrics {
        auc: a / K as f64,
        brier: b / K as f64,
    }
}

/// The median time of `RUNS` runs of `f`, after one warm-up run.
fn median(f: impl Fn()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}
