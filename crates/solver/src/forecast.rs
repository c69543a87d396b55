//! A batch placed with the rest of the year in view: a two-stage stochastic program over
//! sampled futures (sample average approximation), the method of Ahani, Gölz, Procaccia,
//! Teytelboym and Trapp, "Dynamic placement in refugee resettlement" (Operations Research
//! 72(3), 2024; the allocation of HIAS's Annie MOORE).
//!
//! First stage: the batch, each unit placed exactly once. Second stage, per sampled
//! future: its units counted by size and needs (`Class`) into what the batch leaves of
//! each municipality's quota and capacities. A sample's person left unplaced costs more
//! than any score can gain (`unplaced_penalty`), so the batch's plan leaves every sample
//! placeable whenever some plan of the batch does: whether a 7-person household still
//! fits in December is an integer question, and the counts answer it exactly.
//!
//! What the batch's places are worth to the rest of the year (`Valuation`): by default the
//! paper's "potentials", the prices (duals) of each sample's linear relaxation with the
//! batch's and the sample's households together in the quotas as they are, so a batch
//! pair scores less what it uses at those prices. The other way, each class valued at its
//! mean score where it is counted, is kept for the bench to compare: it ignores which
//! expected household would use a place, and with five samples its program takes 15 to
//! 30 s a month. Placing each sample household individually (16,000 binaries a sample)
//! took 80 s for one month; as fractions beside integer counts, over 15 minutes a year.
//!
//! The samples' counts keep the year placeable for the mixes of sizes they drew; against
//! the mixes they did not draw, the batch also pays for each municipality it leaves with a
//! fragment, fewer places than the largest household expected (`FRAGMENT_SHARE`).

use std::time::Instant;

use good_lp::{
    constraint, highs, variable, Expression, ProblemVariables, Solution, SolutionStatus,
    SolverModel, Variable,
};

use resettle_domain::placement::forecast::{Forecast, ForecastSummary};
use resettle_domain::placement::instance::{round2, Instance, Unit};
use resettle_domain::placement::job_offer;
use resettle_domain::placement::plan::{check_plan, explain_infeasible, Plan};

use crate::program::{need, Limits, Pairs, Program};
use crate::{assignments, optimal_with, relative_gap, SolveOptions, Solved};

/// What the batch pays for each municipality it leaves with a fragment (some places, but
/// fewer than the largest household the samples expect), as a share of the batch's mean
/// score. Only smaller households can fill a fragment, and a handful of samples cannot
/// hold every mix of sizes the last months may bring: where a year's quotas add up to its
/// arrivals, December must fill exactly what is left. On the bench's ten simulated years
/// (`benches/dynamic.rs`, one run each), without this cost 8 Decembers could not be
/// placed at all; at 0.75, 2 (88.72 % of the hindsight optimum, against 88.60 % without);
/// at 1.0 with the batch's largest household counted too, 1, but 87.70 %. The count
/// moves with small changes of the plans: a fixed cost of 0.3 gave none in one run.
const FRAGMENT_SHARE: f64 = 0.75;

/// How the second stage values what the batch leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Valuation {
    /// Each sample's linear relaxation, the batch's and the sample's households together
    /// in the quotas as they are, prices each municipality's places and capacities (its
    /// duals: the "potentials" of Ahani et al.); the batch's pairs score less what they
    /// use at those prices, averaged over the samples. The samples' counts by size then
    /// only keep the year placeable.
    Potentials,
    /// Each sample's classes are valued at their mean score where they are counted.
    ClassMeans,
}

/// The batch's plan from the two-stage program, valued by potentials. Without samples it
/// is the myopic solve (`optimal_with`). Job offers in the batch are placed first by
/// rule, as always.
pub fn with_forecast(
    instance: &Instance,
    forecast: &Forecast,
    options: &SolveOptions,
) -> Result<Solved, Vec<String>> {
    with_forecast_valued(instance, forecast, options, Valuation::Potentials)
}

/// `with_forecast` with the second stage valued as asked (the bench compares the two).
pub fn with_forecast_valued(
    instance: &Instance,
    forecast: &Forecast,
    options: &SolveOptions,
    valuation: Valuation,
) -> Result<Solved, Vec<String>> {
    let started = Instant::now();
    let samples = forecast
        .instances(instance)
        .map_err(|e| vec![e.to_string()])?;
    if samples.is_empty() {
        return optimal_with(instance, options);
    }
    let split = job_offer::split(instance);
    let batch = &split.rest;
    let why = explain_infeasible(batch);
    if !why.is_empty() {
        return Err(why);
    }
    let units = batch.units();
    let scores = batch.score_table();
    let pairs = Pairs::new(batch, &units, &scores);
    let limits = Limits::of(batch);
    // Each sample in what the job offers leave, like the batch.
    let samples: Vec<Instance> = samples
        .into_iter()
        .map(|s| Instance {
            municipalities: batch.municipalities.clone(),
            ..s
        })
        .collect();
    let classes: Vec<Vec<Class>> = samples.iter().map(classes).collect();

    // A person of a sample left unplaced costs more than every score could gain: the
    // batch's range of scores plus the largest sample's.
    let batch_range: f64 = (0..units.len())
        .map(|u| spread(pairs.by_unit[u].iter().map(|&p| pairs.list[p].score)))
        .sum();
    let largest_sample = classes
        .iter()
        .map(|cs| {
            cs.iter()
                .map(|c| f64::from(c.count) * spread(c.value.iter().map(|&(_, v)| v)))
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    // A fragment: places left but fewer than the largest household the samples expect.
    let largest = f64::from(classes.iter().flatten().map(|c| c.size).max().unwrap_or(0));
    let mean_score =
        pairs.list.iter().map(|p| p.score).sum::<f64>() / pairs.list.len().max(1) as f64;
    let fragment_cost = FRAGMENT_SHARE * mean_score.abs();
    let open: Vec<usize> = (0..limits.quota.len())
        .filter(|&m| limits.quota[m] > 0.0)
        .collect();
    // ... and more than every fragment could cost, so avoiding fragments never leaves a
    // sample's person out.
    let unplaced_penalty = 1.0 + batch_range + largest_sample + fragment_cost * open.len() as f64;
    let weight = 1.0 / samples.len() as f64;
    // What each batch pair is worth in the objective, and each class where it is counted.
    let (batch_value, class_weight, relaxed_future) = match valuation {
        Valuation::ClassMeans => (
            pairs.list.iter().map(|p| p.score).collect::<Vec<f64>>(),
            weight,
            None,
        ),
        Valuation::Potentials => {
            let (value, future) = potentials(&units, &pairs, &limits, &samples, options)?;
            (value, 0.0, Some(future))
        }
    };

    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = pairs
        .list
        .iter()
        .map(|_| vars.add(variable().binary()))
        .collect();
    // Per sample and class: how many of its units go to each municipality where the
    // class fits, and how many stay unplaced.
    let y: Vec<Vec<Vec<Variable>>> = classes
        .iter()
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    c.value
                        .iter()
                        .map(|_| vars.add(variable().integer().min(0).max(c.count)))
                        .collect()
                })
                .collect()
        })
        .collect();
    let left_out: Vec<Vec<Variable>> = classes
        .iter()
        .map(|cs| {
            cs.iter()
                .map(|c| vars.add(variable().integer().min(0).max(c.count)))
                .collect()
        })
        .collect();
    // Per municipality with places left: whether the batch empties it, or leaves it at
    // least the largest expected household's size (else it leaves a fragment).
    let whole: Vec<(usize, Variable, Variable)> = open
        .iter()
        .map(|&m| {
            (
                m,
                vars.add(variable().binary()),
                vars.add(variable().binary()),
            )
        })
        .collect();
    let batch_score: Expression = pairs.list.iter().zip(&x).map(|(p, v)| p.score * *v).sum();
    let mut objective: Expression = batch_value.iter().zip(&x).map(|(b, v)| *b * *v).sum();
    for s in 0..samples.len() {
        for (c, class) in classes[s].iter().enumerate() {
            if class_weight > 0.0 {
                for (&(_, value), v) in class.value.iter().zip(&y[s][c]) {
                    objective.add_mul(class_weight * value, *v);
                }
            }
            objective.add_mul(-unplaced_penalty * f64::from(class.size), left_out[s][c]);
        }
    }
    for (_, emptied, roomy) in &whole {
        objective.add_mul(fragment_cost, *emptied);
        objective.add_mul(fragment_cost, *roomy);
    }
    let mut model = vars.maximise(objective).using(highs);
    if let Some(t) = options.time_limit {
        let spent = started.elapsed().as_secs_f64();
        model = model.set_time_limit((t - spent).max(0.0));
    }
    model = model
        .set_mip_rel_gap(options.mip_gap as f32)
        .map_err(|e| vec![format!("the solver failed: {e}")])?;

    // The batch: each unit once.
    for by_unit in &pairs.by_unit {
        let row: Expression = by_unit.iter().map(|&p| x[p]).sum();
        model.add_constraint(constraint!(row == 1));
    }
    let municipalities = limits.quota.len();
    let batch_persons: Vec<Expression> = (0..municipalities)
        .map(|m| {
            pairs
                .list
                .iter()
                .zip(&x)
                .filter(|(p, _)| p.municipality == m)
                .map(|(p, v)| f64::from(units[p.unit].size) * *v)
                .sum()
        })
        .collect();
    let batch_used = |m: usize, capacity: &str| -> Expression {
        pairs
            .list
            .iter()
            .zip(&x)
            .filter(|(p, _)| p.municipality == m)
            .map(|(p, v)| need(&units[p.unit], capacity) * *v)
            .sum()
    };
    for s in 0..samples.len() {
        for (c, class) in classes[s].iter().enumerate() {
            let row: Expression = y[s][c].iter().copied().sum::<Expression>() + left_out[s][c];
            let count = f64::from(class.count);
            model.add_constraint(constraint!(row == count));
        }
        for (m, batch_persons) in batch_persons.iter().enumerate() {
            let mut persons = batch_persons.clone();
            let mut used: Vec<Expression> = limits.capacity[m]
                .iter()
                .map(|(capacity, _)| batch_used(m, capacity))
                .collect();
            for (c, class) in classes[s].iter().enumerate() {
                if let Some(i) = class.value.iter().position(|&(to, _)| to == m) {
                    persons.add_mul(f64::from(class.size), y[s][c][i]);
                    for (k, (capacity, _)) in limits.capacity[m].iter().enumerate() {
                        let n = class.needs.get(capacity).copied().unwrap_or(0);
                        if n > 0 {
                            used[k].add_mul(f64::from(n), y[s][c][i]);
                        }
                    }
                }
            }
            let quota = limits.quota[m];
            model.add_constraint(constraint!(persons <= quota));
            for (row, (_, free)) in used.into_iter().zip(&limits.capacity[m]) {
                let free = *free;
                model.add_constraint(constraint!(row <= free));
            }
        }
    }
    // Emptied: the batch takes every place. Roomy: at least `largest` places stay. A
    // municipality neither emptied nor roomy pays `fragment_cost`.
    for &(m, emptied, roomy) in &whole {
        let quota = limits.quota[m];
        let taken = batch_persons[m].clone();
        model.add_constraint(constraint!(taken.clone() - quota * emptied >= 0.0));
        model.add_constraint(constraint!(taken + largest * roomy <= quota));
        model.add_constraint(constraint!(emptied + roomy <= 1.0));
    }
    let solution = model
        .solve()
        .map_err(|e| vec![format!("the solver found no plan for the batch: {e}")])?;
    let proven = match solution.status() {
        SolutionStatus::Optimal => true,
        SolutionStatus::GapLimit => options.mip_gap == 0.0,
        SolutionStatus::TimeLimit => false,
    };
    let mut chosen = vec![usize::MAX; units.len()];
    for (p, v) in pairs.list.iter().zip(&x) {
        if solution.value(*v) > 0.5 {
            chosen[p.unit] = p.municipality;
        }
    }
    if chosen.contains(&usize::MAX) {
        return Err(vec![
            "the solver found no plan for the batch within the time limit".to_owned(),
        ]);
    }
    let objective: f64 = units
        .iter()
        .enumerate()
        .map(|(u, unit)| scores.unit(unit, chosen[u]))
        .sum();
    let mut rest = assignments(batch, &units, &scores, &chosen, objective);
    say_why_not_the_best(batch, &units, &scores, &chosen, &mut rest);
    let plan = job_offer::merge(instance, &split, rest);
    if let Err(broken) = check_plan(instance, &plan) {
        return Err(vec![format!("the solver's plan is wrong: {broken}")]);
    }

    let mut unplaced = 0.0;
    let mut expected = 0.0;
    for s in 0..samples.len() {
        for (c, class) in classes[s].iter().enumerate() {
            unplaced += weight * f64::from(class.size) * solution.value(left_out[s][c]).round();
            for (&(_, value), v) in class.value.iter().zip(&y[s][c]) {
                expected += weight * value * solution.value(*v).round();
            }
        }
    }
    let batch_persons: u64 = units.iter().map(|u| u64::from(u.size)).sum();
    let summary = ForecastSummary {
        samples: samples.len(),
        households: weight
            * samples
                .iter()
                .map(|s| s.households.len() as f64)
                .sum::<f64>(),
        persons: weight * samples.iter().map(|s| s.persons() as f64).sum::<f64>(),
        places_left: batch.places().saturating_sub(batch_persons),
        unplaced_persons: unplaced,
        expected_score: round2(relaxed_future.unwrap_or(expected)),
    };
    // The bound: the batch alone can score no more than its own optimum's bound; the
    // gap is against the two-stage objective HiGHS proved.
    let two_stage = solution.eval(&batch_score);
    Ok(Solved {
        gap: relative_gap(two_stage.max(plan.objective), plan.objective),
        bound: two_stage.max(plan.objective),
        plan,
        solve_ms: started.elapsed().as_millis() as u64,
        proven_optimal: proven,
        forecast: Some(summary),
    })
}

/// Where the two-stage plan gives up a unit's best municipality, the first reason says
/// that its places there are worth more to the households still expected.
fn say_why_not_the_best(
    batch: &Instance,
    units: &[Unit],
    scores: &resettle_domain::placement::instance::ScoreTable,
    chosen: &[usize],
    plan: &mut Plan,
) {
    for (u, unit) in units.iter().enumerate() {
        let here = scores.unit(unit, chosen[u]);
        let best = (0..batch.municipalities.len())
            .filter(|&m| batch.fits(unit, &batch.municipalities[m]))
            .map(|m| (scores.unit(unit, m), m))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((score, m)) = best else { continue };
        if m == chosen[u] || score <= here + 1e-9 {
            continue;
        }
        let line = format!(
            "scores {} here; {} would score {}, but its places are worth more to the households still expected this year (forecast)",
            round2(here),
            batch.municipalities[m].code,
            round2(score)
        );
        for &h in &unit.households {
            let id = &batch.households[h].id;
            if let Some(a) = plan.assignments.iter_mut().find(|a| a.household == *id) {
                a.reasons[0] = line.clone();
            }
        }
    }
}

/// A sample's units of one size and needs: how many there are, and their mean score in
/// each municipality where they fit. The second stage counts a class's units per
/// municipality instead of placing each: the packing of sizes into what the quotas leave
/// stays exact, and the program stays small (a year's sample has about 20 classes where
/// it has 160 households), at the price of valuing a class's places at its mean score.
struct Class {
    size: u32,
    needs: std::collections::BTreeMap<String, u32>,
    count: u32,
    /// (municipality index, mean score there), for each municipality where it fits.
    value: Vec<(usize, f64)>,
}

/// A unit's size and its needs.
type Kind = (u32, Vec<(String, u32)>);

fn classes(sample: &Instance) -> Vec<Class> {
    let units = sample.units();
    let scores = sample.score_table();
    let mut by_kind: std::collections::BTreeMap<Kind, Vec<&Unit>> =
        std::collections::BTreeMap::new();
    for unit in &units {
        let needs = unit.needs.iter().map(|(c, n)| (c.clone(), *n)).collect();
        by_kind.entry((unit.size, needs)).or_default().push(unit);
    }
    by_kind
        .into_values()
        .map(|members| {
            let first = members[0];
            let value: Vec<(usize, f64)> = (0..sample.municipalities.len())
                .filter(|&m| sample.fits(first, &sample.municipalities[m]))
                .map(|m| {
                    let total: f64 = members.iter().map(|u| scores.unit(u, m)).sum();
                    (m, total / members.len() as f64)
                })
                .collect();
            Class {
                size: first.size,
                needs: first.needs.clone(),
                count: members.len() as u32,
                value,
            }
        })
        .collect()
}

/// The highest value less the lowest (0 for none).
fn spread(values: impl Iterator<Item = f64>) -> f64 {
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
    if hi >= lo {
        hi - lo
    } else {
        0.0
    }
}

/// Per batch pair, its score less what it uses at each sample's prices (averaged over the
/// samples), and the samples' mean score in the relaxation. Each sample's relaxation
/// places the batch's and the sample's units together in the quotas as they are, so a
/// municipality's price is what its last place is worth to whoever would take it.
fn potentials(
    units: &[Unit],
    pairs: &Pairs,
    limits: &Limits,
    samples: &[Instance],
    options: &SolveOptions,
) -> Result<(Vec<f64>, f64), Vec<String>> {
    let weight = 1.0 / samples.len() as f64;
    let mut value = vec![0.0; pairs.list.len()];
    let mut future = 0.0;
    for sample in samples {
        let sample_units = sample.units();
        let sample_pairs = Pairs::new(sample, &sample_units, &sample.score_table());
        let offset = units.len();
        let mut all_units: Vec<Unit> = units.to_vec();
        all_units.extend(sample_units.iter().cloned());
        let mut list = pairs.list.clone();
        list.extend(sample_pairs.list.iter().map(|p| crate::program::Pair {
            unit: p.unit + offset,
            ..*p
        }));
        let place: Vec<usize> = (0..all_units.len()).collect();
        let columns: Vec<usize> = (0..list.len()).collect();
        // Leaving a unit out costs more than any pair scores, so the prices are those of
        // placing everyone the quotas can take.
        let top = list.iter().map(|p| p.score.abs()).fold(0.0, f64::max);
        let relaxed = Program {
            units: &all_units,
            pairs: &list,
            limits,
            place: &place,
            columns: &columns,
        }
        .relax(1.0 + 2.0 * top, options.time_limit)
        .map_err(|e| vec![format!("the solver failed on the forecast: {e}")])?;
        for (p, pair) in pairs.list.iter().enumerate() {
            value[p] += weight * relaxed.prices.value(pair, &units[pair.unit], limits);
        }
        future += weight
            * list[pairs.list.len()..]
                .iter()
                .zip(&relaxed.values[pairs.list.len()..])
                .map(|(p, x)| p.score * x)
                .sum::<f64>();
    }
    Ok((value, future))
}
