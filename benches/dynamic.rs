//! `cargo bench -p resettle --bench dynamic` (run by `cargo xtask bench`): placement
//! through the year. Simulated years of 98 municipalities whose quotas add up to a national
//! number of 600 persons, and households arriving in 12 monthly batches until the year's
//! persons reach the national number. A household's score in a municipality is an
//! employment-like probability with household × municipality interactions: the logistic
//! of a household term, a municipality term and the product of a household's and a
//! municipality's latent vectors.
//!
//! Five policies, each against the hindsight optimum (every arrival known at once, solved
//! exactly by `solver::optimal`):
//! - dynamic: each month, `solver::with_forecast` with samples of the rest of the year
//!   drawn from the same distribution (not the year's real arrivals), filling the places
//!   the batch leaves; valued by potentials (the default) and, for comparison, by class
//!   means with one sample (`solver::Valuation`; with five it takes 15 to 30 s a month);
//! - myopic: each month's batch solved exactly on its own (`solver::optimal`);
//! - greedy: the project's greedy rule per batch (biggest household first, to the most
//!   quota left);
//! - best-first: each household in turn to the best-scoring municipality that still fits.
//!
//! A month none of a policy's plans can place is counted as infeasible, and its
//! households score 0. `DYNAMIC_SEEDS=N` (default 10) sets the number of years,
//! `DYNAMIC_SAMPLES=K` (default 5) the samples per month, `DYNAMIC_TIME_LIMIT=S` the
//! dynamic policy's time limit a month in seconds (none by default: each month proven).

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use resettle::domain::placement::forecast::{Forecast, Scenario};
use resettle::domain::placement::greedy::greedy;
use resettle::domain::placement::instance::{HouseholdToPlace, Instance, MunicipalitySlot};
use resettle::domain::placement::plan::{check_plan, Plan};
use resettle::solver::{optimal_with, with_forecast_valued, SolveOptions, Valuation};
use std::collections::BTreeMap;

const MUNICIPALITIES: usize = 98;
const NATIONAL_NUMBER: u32 = 600;
const MONTHS: usize = 12;
const LATENT: usize = 3;
/// Household sizes and their relative frequencies (mean about 3.7 persons).
const SIZES: [(u32, u32); 8] = [
    (1, 22),
    (2, 12),
    (3, 14),
    (4, 16),
    (5, 14),
    (6, 11),
    (7, 7),
    (8, 4),
];

/// The municipalities' fixed characteristics: what the scores of any household use.
struct World {
    quotas: Vec<u32>,
    base: Vec<f64>,
    latent: Vec<[f64; LATENT]>,
}

/// A household as it arrives: its size, its own term and latent vector.
#[derive(Clone)]
struct Arrival {
    id: String,
    size: u32,
    base: f64,
    latent: [f64; LATENT],
}

impl World {
    fn new(rng: &mut ChaCha8Rng) -> Self {
        // Quotas by a skewed size (a few large municipalities, many small), the national
        // number shared by largest remainder.
        let weights: Vec<f64> = (0..MUNICIPALITIES)
            .map(|_| (rng.random::<f64>() * 3.0).exp())
            .collect();
        let total: f64 = weights.iter().sum();
        let exact: Vec<f64> = weights
            .iter()
            .map(|w| f64::from(NATIONAL_NUMBER) * w / total)
            .collect();
        let mut quotas: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
        let mut order: Vec<usize> = (0..MUNICIPALITIES).collect();
        order.sort_by(|&a, &b| {
            (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor()))
        });
        let short = NATIONAL_NUMBER - quotas.iter().sum::<u32>();
        for &m in order.iter().take(short as usize) {
            quotas[m] += 1;
        }
        World {
            quotas,
            base: (0..MUNICIPALITIES)
                .map(|_| rng.random_range(-1.0..1.0))
                .collect(),
            latent: (0..MUNICIPALITIES).map(|_| latent(rng)).collect(),
        }
    }

    fn score(&self, h: &Arrival, m: usize) -> f64 {
        let interaction: f64 = (0..LATENT).map(|k| h.latent[k] * self.latent[m][k]).sum();
        let z = -0.5 + h.base + self.base[m] + 2.0 * interaction;
        (1.0 / (1.0 + (-z).exp()) * 1000.0).round() / 1000.0
    }

    fn slots(&self, quotas: &[u32]) -> Vec<MunicipalitySlot> {
        quotas
            .iter()
            .enumerate()
            .map(|(m, q)| MunicipalitySlot {
                code: format!("m{m:02}"),
                quota: *q,
                ..MunicipalitySlot::default()
            })
            .collect()
    }

    fn scores(&self, arrivals: &[Arrival]) -> BTreeMap<String, BTreeMap<String, f64>> {
        arrivals
            .iter()
            .map(|h| {
                let row = (0..MUNICIPALITIES)
                    .map(|m| (format!("m{m:02}"), self.score(h, m)))
                    .collect();
                (h.id.clone(), row)
            })
            .collect()
    }

    fn instance(&self, quotas: &[u32], arrivals: &[Arrival]) -> Instance {
        Instance {
            municipalities: self.slots(quotas),
            households: households(arrivals),
            scores: Some(self.scores(arrivals)),
            weights: None,
            model: None,
        }
    }
}

/// The arrivals as households of an instance (their scores come from the world).
fn households(arrivals: &[Arrival]) -> Vec<HouseholdToPlace> {
    arrivals
        .iter()
        .map(|h| HouseholdToPlace {
            id: h.id.clone(),
            size: h.size,
            ..HouseholdToPlace::default()
        })
        .collect()
}

fn latent(rng: &mut ChaCha8Rng) -> [f64; LATENT] {
    std::array::from_fn(|_| rng.random_range(-1.0..1.0))
}

fn arrival(rng: &mut ChaCha8Rng, id: String) -> Arrival {
    let total: u32 = SIZES.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    let mut size = 1;
    for (s, w) in SIZES {
        if x < w {
            size = s;
            break;
        }
        x -= w;
    }
    Arrival {
        id,
        size,
        base: rng.random_range(-1.0..1.0),
        latent: latent(rng),
    }
}

/// Households drawn until the next would take the persons past `places`.
fn fill(rng: &mut ChaCha8Rng, places: u32, prefix: &str) -> Vec<Arrival> {
    let mut out = Vec::new();
    let mut persons = 0;
    loop {
        let h = arrival(rng, format!("{prefix}{:03}", out.len()));
        if persons + h.size > places {
            return out;
        }
        persons += h.size;
        out.push(h);
    }
}

/// What one policy did over a year.
#[derive(Default, Clone)]
struct Outcome {
    score: f64,
    infeasible_months: u32,
    /// The months (1 to 12) no plan placed.
    failed: Vec<usize>,
    slowest_ms: u64,
}

fn take(quotas: &mut [u32], instance: &Instance, plan: &Plan) -> f64 {
    for a in &plan.assignments {
        let m: usize = a.municipality[1..].parse().unwrap();
        let h = instance
            .households
            .iter()
            .find(|h| h.id == a.household)
            .unwrap();
        quotas[m] -= h.size;
    }
    plan.objective
}

#[derive(Clone, Copy, PartialEq)]
enum Policy {
    Dynamic(Valuation),
    Myopic,
    Greedy,
    BestFirst,
}

fn run_year(
    world: &World,
    months: &[Vec<Arrival>],
    policy: Policy,
    seed: u64,
    samples: usize,
    time_limit: Option<f64>,
) -> Outcome {
    let mut quotas = world.quotas.clone();
    let mut out = Outcome::default();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xF0F0);
    for (month, batch) in months.iter().enumerate() {
        let instance = world.instance(&quotas, batch);
        let started = Instant::now();
        let plan = match policy {
            Policy::Myopic => optimal_with(&instance, &SolveOptions::default()).map(|s| s.plan),
            Policy::Greedy => greedy(&instance),
            Policy::BestFirst => best_first(world, &quotas, batch),
            Policy::Dynamic(valuation) => {
                // Class means with several samples take 15 to 30 s a month: one sample.
                let samples = if valuation == Valuation::ClassMeans {
                    1
                } else {
                    samples
                };
                let left = quotas.iter().sum::<u32>() - batch.iter().map(|h| h.size).sum::<u32>();
                let scenarios = (0..samples)
                    .map(|k| {
                        let future = fill(&mut rng, left, &format!("F{k}-"));
                        Scenario {
                            scores: Some(world.scores(&future)),
                            households: households(&future),
                        }
                    })
                    .collect();
                let forecast = Forecast {
                    scenarios,
                    ..Forecast::default()
                };
                let options = SolveOptions {
                    time_limit,
                    ..SolveOptions::default()
                };
                with_forecast_valued(&instance, &forecast, &options, valuation).map(|s| s.plan)
            }
        };
        out.slowest_ms = out.slowest_ms.max(started.elapsed().as_millis() as u64);
        match plan {
            Ok(plan) => {
                check_plan(&instance, &plan).expect("a policy's plan broke a hard constraint");
                out.score += take(&mut quotas, &instance, &plan);
            }
            Err(_) => {
                out.infeasible_months += 1;
                out.failed.push(month + 1);
            }
        }
    }
    out
}

/// Each household in turn to the best-scoring municipality with room left.
fn best_first(world: &World, quotas: &[u32], batch: &[Arrival]) -> Result<Plan, Vec<String>> {
    let mut left = quotas.to_vec();
    let mut plan = Plan {
        assignments: Vec::new(),
        objective: 0.0,
        overruns: Vec::new(),
    };
    for h in batch {
        let best = (0..MUNICIPALITIES)
            .filter(|&m| left[m] >= h.size)
            .max_by(|&a, &b| world.score(h, a).total_cmp(&world.score(h, b)))
            .ok_or_else(|| vec![format!("{} fits nowhere", h.id)])?;
        left[best] -= h.size;
        plan.objective += world.score(h, best);
        plan.assignments
            .push(resettle::domain::placement::plan::Assignment {
                household: h.id.clone(),
                municipality: format!("m{best:02}"),
                score: world.score(h, best),
                reasons: Vec::new(),
            });
    }
    Ok(plan)
}

fn main() {
    let seeds: u64 = std::env::var("DYNAMIC_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let samples: usize = std::env::var("DYNAMIC_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let time_limit: Option<f64> = std::env::var("DYNAMIC_TIME_LIMIT")
        .ok()
        .and_then(|s| s.parse().ok());
    println!("## Placement through the year ({seeds} simulated years, {samples} forecast sample(s) a month)\n");
    println!("| seed | households | persons | hindsight | dynamic | dynamic (class means, 1 sample) | myopic | greedy | best-first | infeasible months (dyn/means/myo/gre/bf) | slowest month dyn/means/myo (ms) |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let mut ratios = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut infeasible = [0u32; 5];
    let mut slowest = 0;
    let mut below_myopic = 0;
    let mut redrawn = 0;
    let (mut failed_dynamic, mut failed_myopic) = (Vec::new(), Vec::new());
    for seed in 0..seeds {
        let mut rng = ChaCha8Rng::seed_from_u64(20_261_206 + seed);
        // A year whose hindsight plan exists (every household placeable at once).
        let (world, months, hindsight) = loop {
            let world = World::new(&mut rng);
            let arrivals = fill(&mut rng, NATIONAL_NUMBER, "H");
            let mut months: Vec<Vec<Arrival>> = vec![Vec::new(); MONTHS];
            for h in arrivals.iter() {
                months[rng.random_range(0..MONTHS)].push(h.clone());
            }
            let all = world.instance(&world.quotas, &arrivals);
            match optimal_with(&all, &SolveOptions::default()) {
                Ok(solved) => break (world, months, solved.plan.objective),
                Err(_) => redrawn += 1,
            }
        };
        let households: usize = months.iter().map(Vec::len).sum();
        let persons: u32 = months.iter().flatten().map(|h| h.size).sum();
        let results: Vec<Outcome> = [
            Policy::Dynamic(Valuation::Potentials),
            Policy::Dynamic(Valuation::ClassMeans),
            Policy::Myopic,
            Policy::Greedy,
            Policy::BestFirst,
        ]
        .iter()
        .map(|&p| run_year(&world, &months, p, seed, samples, time_limit))
        .collect();
        for (i, r) in results.iter().enumerate() {
            ratios[i].push(r.score / hindsight);
            infeasible[i] += r.infeasible_months;
        }
        slowest = slowest.max(results[0].slowest_ms);
        failed_dynamic.extend(results[0].failed.iter().copied());
        failed_myopic.extend(results[2].failed.iter().copied());
        if results[0].score < results[2].score - 1e-9 {
            below_myopic += 1;
        }
        let pct = |r: &Outcome| format!("{:.2} %", 100.0 * r.score / hindsight);
        println!(
            "| {seed} | {households} | {persons} | {hindsight:.2} | {} | {} | {} | {} | {} | {}/{}/{}/{}/{} | {}/{}/{} |",
            pct(&results[0]),
            pct(&results[1]),
            pct(&results[2]),
            pct(&results[3]),
            pct(&results[4]),
            results[0].infeasible_months,
            results[1].infeasible_months,
            results[2].infeasible_months,
            results[3].infeasible_months,
            results[4].infeasible_months,
            results[0].slowest_ms,
            results[1].slowest_ms,
            results[2].slowest_ms,
        );
    }
    let mean = |v: &[f64]| 100.0 * v.iter().sum::<f64>() / v.len() as f64;
    let min = |v: &[f64]| 100.0 * v.iter().cloned().fold(f64::MAX, f64::min);
    println!();
    println!("| policy | mean of hindsight | worst year | infeasible months |");
    println!("|---|---|---|---|");
    for (i, name) in [
        "dynamic (two-stage: potentials, counts by size)",
        "dynamic (two-stage: class means, 1 sample)",
        "myopic (each batch optimal)",
        "greedy (most quota left)",
        "best-first (each household its best)",
    ]
    .iter()
    .enumerate()
    {
        println!(
            "| {name} | {:.2} % | {:.2} % | {} |",
            mean(&ratios[i]),
            min(&ratios[i]),
            infeasible[i]
        );
    }
    println!();
    println!("months no plan placed, dynamic: {failed_dynamic:?}; myopic: {failed_myopic:?}");
    println!("dynamic below myopic in {below_myopic} of {seeds} years; slowest dynamic month {slowest} ms; years redrawn because no hindsight plan existed: {redrawn}");
}
