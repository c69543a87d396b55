//! Proposing placements for a batch: read the batch in a snapshot, solve it on a blocking
//! thread with no lock held, then save the plan in a short write transaction that checks
//! nothing changed meanwhile, solving again from a fresh snapshot when something did.

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use resettle_domain::placement::forecast::{Forecast, ForecastSummary, Scenario};
use resettle_domain::placement::greedy::greedy;
use resettle_domain::placement::instance::{HouseholdToPlace, Instance};
use resettle_domain::placement::outcomes::PastArrival;
use resettle_domain::placement::plan::Plan;
use resettle_domain::placement::proposal::ProposalMethod;
use resettle_solver::{optimal_with, with_forecast, SolveOptions};
use resettle_storage::{Batch, Proposed, Store, StoreError};

use crate::session::Session;

/// Whether a proposal looks at the rest of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Forecasting {
    /// Draw the rest of the year from the outcome history, when one is imported (the
    /// optimal method only; greedy looks at no future).
    #[default]
    FromHistory,
    /// Place the batch on its own terms (myopic).
    Off,
}

/// Samples of the rest of the year a proposal weighs. On the bench (`benches/dynamic.rs`,
/// 10 simulated years of 98 municipalities) 5 samples left 8 months of 120 with no plan,
/// the slowest month 10.5 s; one sample (valued by class means) left 10, at 1.9 s.
pub const FORECAST_SAMPLES: usize = 5;

/// How many times a batch is solved again when its quotas or capacities changed while it
/// was being solved. Each change is another person's commit during a solve; three in a
/// row means the year is being edited right now, and the quota manager is told so.
const ATTEMPTS: usize = 3;

/// Proposes a municipality for every household of the batch, within the year's quotas
/// left. All or nothing: an infeasible batch is explained and nothing is saved. The store's
/// write lock is held only for the saving, never during the solve, so other people's
/// changes go on while HiGHS works.
pub async fn propose(
    store: &Store,
    session: &Session,
    year: i32,
    batch: &Batch,
    method: ProposalMethod,
    options: &SolveOptions,
) -> Result<Proposed, StoreError> {
    propose_reporting(
        store,
        session,
        year,
        batch,
        method,
        options,
        Forecasting::FromHistory,
        |_| {},
    )
    .await
}

/// Where a proposal is: for a progress line, and for the test that changes a quota while
/// the solve runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the batch and the quotas left (a snapshot, no lock).
    Reading,
    /// The solver at work, no lock held; `attempt` is 2 or 3 when the batch changed
    /// while an earlier plan was solved.
    Solving { attempt: usize },
    /// Saving the plan in a short write transaction.
    Saving,
}

/// `propose`, looking at the rest of the year as `forecasting` says and telling
/// `progress` each stage as it begins.
#[allow(clippy::too_many_arguments)]
pub async fn propose_reporting(
    store: &Store,
    session: &Session,
    year: i32,
    batch: &Batch,
    method: ProposalMethod,
    options: &SolveOptions,
    forecasting: Forecasting,
    progress: impl Fn(Stage),
) -> Result<Proposed, StoreError> {
    if method == ProposalMethod::Hand {
        return Err(StoreError::BadBatch("hand".into()));
    }
    let history = match (forecasting, method) {
        (Forecasting::FromHistory, ProposalMethod::Optimal) => {
            crate::visitation::history(store, session).await?
        }
        _ => None,
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        progress(Stage::Reading);
        let instance = store
            .placement_instance(year, batch, session.actor())
            .await?;
        let forecast = match &history {
            Some((_, arrivals)) => rest_of_year(arrivals, &instance, year),
            None => None,
        };
        let no_forecast = match (forecasting, method, &history, &forecast) {
            (_, _, _, Some(_)) => None,
            (Forecasting::Off, _, _, _) => Some("asked for none".to_owned()),
            (_, ProposalMethod::Greedy, _, _) => {
                Some("the greedy method looks at no future".to_owned())
            }
            (_, _, None, _) => Some("no outcome history has been imported".to_owned()),
            (_, _, Some(_), None) => {
                Some("the batch fills what is left of the year's quotas".to_owned())
            }
        };
        progress(Stage::Solving { attempt });
        let (instance, solved) = solve_blocking(instance, method, forecast, *options).await?;
        progress(Stage::Saving);
        match store
            .save_proposals(
                year,
                batch,
                method,
                &instance,
                &solved.plan,
                solved.forecast.as_ref(),
                session.actor(),
            )
            .await
        {
            Ok(proposals) => {
                return Ok(Proposed {
                    batch: batch.to_string(),
                    method,
                    objective: solved.plan.objective,
                    bound: solved.bound,
                    gap: solved.gap,
                    proven_optimal: solved.proven_optimal,
                    solve_ms: solved.solve_ms,
                    proposals,
                    forecast: solved.forecast,
                    no_forecast,
                })
            }
            Err(StoreError::PlacementChanged(_)) if attempt < ATTEMPTS => continue,
            Err(e) => return Err(e),
        }
    }
}

/// A plan and how good it is known to be.
struct Solution {
    plan: Plan,
    bound: Option<f64>,
    gap: Option<f64>,
    proven_optimal: bool,
    solve_ms: u64,
    forecast: Option<ForecastSummary>,
}

/// Solves on tokio's blocking pool: HiGHS may work for seconds, and an async worker
/// thread held that long would stall every other request of the window.
async fn solve_blocking(
    instance: Instance,
    method: ProposalMethod,
    forecast: Option<Forecast>,
    options: SolveOptions,
) -> Result<(Instance, Solution), StoreError> {
    let solving = tokio::task::spawn_blocking(move || {
        let solved = solve(&instance, method, forecast.as_ref(), &options);
        solved.map(|s| (instance, s))
    });
    match solving.await {
        Ok(solved) => solved,
        // A panic in the solver is a bug, reported as it would be had it run inline.
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the solve was cancelled: {e}"),
    }
}

fn solve(
    instance: &Instance,
    method: ProposalMethod,
    forecast: Option<&Forecast>,
    options: &SolveOptions,
) -> Result<Solution, StoreError> {
    match method {
        ProposalMethod::Optimal => {
            let solved = match forecast {
                Some(forecast) => with_forecast(instance, forecast, options),
                None => optimal_with(instance, options),
            }
            .map_err(StoreError::Infeasible)?;
            Ok(Solution {
                plan: solved.plan,
                bound: Some(solved.bound),
                gap: Some(solved.gap),
                proven_optimal: solved.proven_optimal,
                solve_ms: solved.solve_ms,
                forecast: solved.forecast,
            })
        }
        ProposalMethod::Greedy => {
            let started = Instant::now();
            let plan = greedy(instance).map_err(StoreError::Infeasible)?;
            Ok(Solution {
                plan,
                bound: None,
                gap: None,
                proven_optimal: false,
                solve_ms: started.elapsed().as_millis() as u64,
                forecast: None,
            })
        }
        ProposalMethod::Hand => Err(StoreError::BadBatch("hand".into())),
    }
}

/// The rest of the year as `FORECAST_SAMPLES` samples drawn from the history: past
/// arrivals drawn at random (with replacement) until they fill the places the batch
/// leaves in the year's quotas, since the year's arrivals fill its national number. A
/// drawn household that would go over is put back and another drawn; the draws stop once
/// the places are filled or none fits. The seed is the year and the batch's households,
/// so the same batch in the same year draws the same samples. None when the batch leaves
/// no places.
pub fn rest_of_year(history: &[PastArrival], batch: &Instance, year: i32) -> Option<Forecast> {
    let left = batch.places().saturating_sub(batch.persons());
    let smallest = history.iter().map(|a| u64::from(a.household.size)).min()?;
    if left < smallest {
        return None;
    }
    let seed = batch
        .households
        .iter()
        .flat_map(|h| h.id.bytes())
        .fold(year as u64, |s, b| {
            s.wrapping_mul(31).wrapping_add(u64::from(b))
        });
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let scenarios = (1..=FORECAST_SAMPLES)
        .map(|sample| {
            let mut filled = 0;
            let mut households: Vec<HouseholdToPlace> = Vec::new();
            let mut misses = 0;
            while left - filled >= smallest && misses < 100 {
                let past = &history[rng.random_range(0..history.len())];
                let size = u64::from(past.household.size);
                if filled + size > left {
                    misses += 1;
                    continue;
                }
                filled += size;
                households.push(HouseholdToPlace {
                    id: format!("forecast-{sample}-{}", households.len() + 1),
                    job_offer: None,
                    link_group: None,
                    ..past.household.clone()
                });
            }
            Scenario {
                households,
                scores: None,
            }
        })
        .collect();
    Some(Forecast {
        scenarios,
        ..Forecast::default()
    })
}
