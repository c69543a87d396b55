//! Proposing placements for a batch: read the batch in a snapshot, solve it on a blocking
//! thread with no lock held, then save the plan in a short write transaction that checks
//! nothing changed meanwhile, solving again from a fresh snapshot when something did.

use std::time::Instant;

use resettle_domain::placement::greedy::greedy;
use resettle_domain::placement::instance::Instance;
use resettle_domain::placement::plan::Plan;
use resettle_domain::placement::proposal::ProposalMethod;
use resettle_solver::{optimal_with, SolveOptions};
use resettle_storage::{Batch, Proposed, Store, StoreError};

use crate::session::Session;

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
    propose_reporting(store, session, year, batch, method, options, |_| {}).await
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

/// `propose`, telling `progress` each stage as it begins.
pub async fn propose_reporting(
    store: &Store,
    session: &Session,
    year: i32,
    batch: &Batch,
    method: ProposalMethod,
    options: &SolveOptions,
    progress: impl Fn(Stage),
) -> Result<Proposed, StoreError> {
    if method == ProposalMethod::Hand {
        return Err(StoreError::BadBatch("hand".into()));
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        progress(Stage::Reading);
        let instance = store
            .placement_instance(year, batch, session.actor())
            .await?;
        progress(Stage::Solving { attempt });
        let (instance, solved) = solve_blocking(instance, method, *options).await?;
        progress(Stage::Saving);
        match store
            .save_proposals(
                year,
                batch,
                method,
                &instance,
                &solved.plan,
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
}

/// Solves on tokio's blocking pool: HiGHS may work for seconds, and an async worker
/// thread held that long would stall every other request of the window.
async fn solve_blocking(
    instance: Instance,
    method: ProposalMethod,
    options: SolveOptions,
) -> Result<(Instance, Solution), StoreError> {
    let solving = tokio::task::spawn_blocking(move || {
        let solved = solve(&instance, method, &options);
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
    options: &SolveOptions,
) -> Result<Solution, StoreError> {
    match method {
        ProposalMethod::Optimal => {
            let solved = optimal_with(instance, options).map_err(StoreError::Infeasible)?;
            Ok(Solution {
                plan: solved.plan,
                bound: Some(solved.bound),
                gap: Some(solved.gap),
                proven_optimal: solved.proven_optimal,
                solve_ms: solved.solve_ms,
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
            })
        }
        ProposalMethod::Hand => Err(StoreError::BadBatch("hand".into())),
    }
}
