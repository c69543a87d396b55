//! The placement problem solved exactly as an integer program by HiGHS (through
//! `good_lp`): a binary variable per (unit, municipality) pair that fits on its own, each
//! unit placed exactly once, and no municipality's quota or capacity exceeded. The LP
//! relaxation of the same model gives the bound the plan is measured against.
//!
//! Computation only, no I/O; it lives outside `domain/` because it links a C++ solver.

use std::collections::BTreeMap;
use std::time::Instant;

use good_lp::{
    constraint, highs, variable, Expression, ProblemVariables, ResolutionError, Solution,
    SolutionStatus, SolverModel, Variable, WithInitialSolution,
};
use serde::Serialize;

use crate::domain::placement::greedy::greedy;
use crate::domain::placement::instance::{round2, Instance, ScoreTable, Unit};
use crate::domain::placement::plan::{explain_infeasible, ruled_out, Assignment, Plan};

/// An optimal (or, after a time limit, the best found) plan with its quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solved {
    #[serde(flatten)]
    pub plan: Plan,
    /// The LP relaxation's objective: no plan scores more.
    pub bound: f64,
    /// (bound − objective) / |bound|; 0 when the bound is 0.
    pub gap: f64,
    pub solve_ms: u64,
    /// False when the time limit stopped the search before optimality was proven.
    pub proven_optimal: bool,
}

/// How long and how exactly to search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOptions {
    /// Seconds; the best plan found by then is returned, not proven optimal.
    pub time_limit: Option<f64>,
    /// Stop when the plan is within this relative gap of HiGHS's own bound. 0 asks for
    /// a proof of optimality.
    pub mip_gap: f64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: None,
            mip_gap: 0.0,
        }
    }
}

/// Solves the instance (which must be valid) to proven optimality, or until the time
/// limit. `Err` explains why no plan exists.
pub fn optimal(instance: &Instance, time_limit: Option<f64>) -> Result<Solved, Vec<String>> {
    optimal_with(
        instance,
        &SolveOptions {
            time_limit,
            ..SolveOptions::default()
        },
    )
}

pub fn optimal_with(instance: &Instance, options: &SolveOptions) -> Result<Solved, Vec<String>> {
    let started = Instant::now();
    let why = explain_infeasible(instance);
    if !why.is_empty() {
        return Err(why);
    }
    let units = instance.units();
    let scores = instance.score_table();
    let mut model = Model::new(instance, &units, &scores);
    // The greedy plan, when it finds one, is HiGHS's first incumbent: the search starts
    // from a whole plan, and a time limit always has a plan to return.
    if let Ok(plan) = greedy(instance) {
        model.start_from(&plan);
    }
    let bound = match model.solve(true, options) {
        Ok(outcome) => outcome.objective,
        Err(ResolutionError::Infeasible) => return Err(too_tight(instance)),
        Err(e) => return Err(vec![format!("the solver failed: {e}")]),
    };
    let outcome = match model.solve(false, options) {
        Ok(outcome) => outcome,
        Err(ResolutionError::Infeasible) => return Err(too_tight(instance)),
        Err(e) => return Err(vec![format!("the solver failed: {e}")]),
    };
    let plan = assignments(
        instance,
        &units,
        &scores,
        &outcome.chosen,
        outcome.objective,
    );
    let gap = if bound.abs() < 1e-9 {
        0.0
    } else {
        ((bound - outcome.objective) / bound.abs()).max(0.0)
    };
    Ok(Solved {
        plan,
        bound,
        gap,
        solve_ms: started.elapsed().as_millis() as u64,
        proven_optimal: outcome.proven_optimal,
    })
}

/// The integer program: a variable per (unit, municipality) pair where the unit fits on
/// its own, with the pairs indexed by unit and by municipality so that building the
/// constraints is linear in the number of pairs.
struct Model<'a> {
    instance: &'a Instance,
    units: &'a [Unit],
    /// (unit, municipality, score of the unit there).
    pairs: Vec<(usize, usize, f64)>,
    by_unit: Vec<Vec<usize>>,
    by_municipality: Vec<Vec<usize>>,
    /// A known plan as the pair chosen per unit, to start the integer search from.
    start: Option<Vec<usize>>,
}

struct Outcome {
    /// The municipality chosen per unit (binary model only).
    chosen: Vec<usize>,
    objective: f64,
    proven_optimal: bool,
}

impl<'a> Model<'a> {
    fn new(instance: &'a Instance, units: &'a [Unit], scores: &ScoreTable) -> Self {
        let mut pairs = Vec::new();
        let mut by_unit = vec![Vec::new(); units.len()];
        let mut by_municipality = vec![Vec::new(); instance.municipalities.len()];
        for (u, unit) in units.iter().enumerate() {
            for (m, slot) in instance.municipalities.iter().enumerate() {
                if instance.fits(unit, slot) {
                    by_unit[u].push(pairs.len());
                    by_municipality[m].push(pairs.len());
                    pairs.push((u, m, scores.unit(unit, m)));
                }
            }
        }
        Model {
            instance,
            units,
            pairs,
            by_unit,
            by_municipality,
            start: None,
        }
    }

    fn start_from(&mut self, plan: &Plan) {
        let municipality_of: BTreeMap<&str, &str> = plan
            .assignments
            .iter()
            .map(|a| (a.household.as_str(), a.municipality.as_str()))
            .collect();
        let start: Option<Vec<usize>> = self
            .units
            .iter()
            .enumerate()
            .map(|(u, unit)| {
                let code = municipality_of
                    .get(self.instance.households[unit.households[0]].id.as_str())?;
                self.by_unit[u]
                    .iter()
                    .copied()
                    .find(|&p| self.instance.municipalities[self.pairs[p].1].code == *code)
            })
            .collect();
        self.start = start;
    }

    /// One solve: binary variables, or (relaxed) continuous ones from 0 to 1.
    fn solve(&self, relaxed: bool, options: &SolveOptions) -> Result<Outcome, ResolutionError> {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = self
            .pairs
            .iter()
            .map(|_| {
                if relaxed {
                    vars.add(variable().min(0).max(1))
                } else {
                    vars.add(variable().binary())
                }
            })
            .collect();
        let objective: Expression = self
            .pairs
            .iter()
            .zip(&x)
            .map(|(&(_, _, score), v)| score * *v)
            .sum();
        let mut model = vars.maximise(objective.clone()).using(highs);
        if let (false, Some(start)) = (relaxed, &self.start) {
            let mut values = vec![0.0; x.len()];
            for &p in start {
                values[p] = 1.0;
            }
            model = model.with_initial_solution(x.iter().copied().zip(values));
        }
        if let Some(t) = options.time_limit {
            model = model.set_time_limit(t);
        }
        model = model
            .set_mip_rel_gap(options.mip_gap as f32)
            .map_err(|e| ResolutionError::Str(e.to_string()))?;
        for pairs in &self.by_unit {
            let once: Expression = pairs.iter().map(|&p| x[p]).sum();
            model = model.with(constraint!(once == 1));
        }
        for (m, slot) in self.instance.municipalities.iter().enumerate() {
            let here = &self.by_municipality[m];
            if here.is_empty() {
                continue;
            }
            let persons: Expression = here
                .iter()
                .map(|&p| f64::from(self.units[self.pairs[p].0].size) * x[p])
                .sum();
            model = model.with(constraint!(persons <= f64::from(slot.quota)));
            for (capacity, units_free) in &slot.capacities {
                let used: Expression = here
                    .iter()
                    .map(|&p| {
                        let need = self.units[self.pairs[p].0].needs.get(capacity);
                        f64::from(need.copied().unwrap_or(0)) * x[p]
                    })
                    .sum();
                model = model.with(constraint!(used <= f64::from(*units_free)));
            }
        }
        let solution = model.solve()?;
        let mut chosen = vec![usize::MAX; self.units.len()];
        if !relaxed {
            for (&(u, m, _), v) in self.pairs.iter().zip(&x) {
                if solution.value(*v) > 0.5 {
                    chosen[u] = m;
                }
            }
        }
        Ok(Outcome {
            chosen,
            objective: solution.eval(&objective),
            proven_optimal: matches!(solution.status(), SolutionStatus::Optimal),
        })
    }
}

fn assignments(
    instance: &Instance,
    units: &[Unit],
    scores: &ScoreTable,
    chosen: &[usize],
    objective: f64,
) -> Plan {
    let quota: Vec<u32> = instance.municipalities.iter().map(|m| m.quota).collect();
    let capacities: Vec<_> = instance
        .municipalities
        .iter()
        .map(|m| m.capacities.clone())
        .collect();
    let mut list = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        let m = chosen[u];
        let code = &instance.municipalities[m].code;
        let here = scores.unit(unit, m);
        let best = (0..instance.municipalities.len())
            .filter(|&i| instance.fits(unit, &instance.municipalities[i]))
            .map(|i| (scores.unit(unit, i), i))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut reasons = vec![match best {
            Some((score, i)) if i != m && score > here + 1e-9 => format!(
                "scores {} here; {} would score {} on its own, but the plan as a whole scores more this way",
                round2(here),
                instance.municipalities[i].code,
                round2(score)
            ),
            _ => format!(
                "scores {} here, the most any municipality offers it",
                round2(here)
            ),
        }];
        reasons.extend(ruled_out(instance, unit, &quota, &capacities));
        for &h in &unit.households {
            // The score first, then what made it, then what ruled the others out.
            let mut own = vec![reasons[0].clone()];
            own.extend(instance.score_reasons(h, m));
            own.extend(reasons[1..].iter().cloned());
            list.push(Assignment {
                household: instance.households[h].id.clone(),
                municipality: code.clone(),
                score: scores.household(h, m),
                reasons: own,
            });
        }
    }
    list.sort_by(|a, b| a.household.cmp(&b.household));
    Plan {
        assignments: list,
        objective,
    }
}

/// Each unit fits somewhere on its own, yet not all together.
fn too_tight(instance: &Instance) -> Vec<String> {
    let mut why = vec![
        "every household fits some municipality on its own, but no plan places them all at once: the quotas and capacities are too tight together".to_owned(),
    ];
    if let Err(stuck) = greedy(instance) {
        why.extend(
            stuck
                .into_iter()
                .filter(|w| w.starts_with("the greedy rule")),
        );
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::placement::plan::check_plan;

    #[test]
    fn the_optimal_plan_beats_greedy_where_greedy_goes_wrong() {
        // Greedy puts the big household where the most quota is left (101); the scores
        // prefer it in 147, and 101 has room for the two small ones.
        let instance: Instance = serde_json::from_str(
            r#"{"municipalities": [{"code": "101", "quota": 8}, {"code": "147", "quota": 5}],
                "households": [{"id": "H1", "size": 5}, {"id": "H2", "size": 3}, {"id": "H3", "size": 3}],
                "scores": {"H1": {"101": 1, "147": 5}, "H2": {"101": 2, "147": 1}, "H3": {"101": 2, "147": 1}}}"#,
        )
        .unwrap();
        let solved = optimal(&instance, None).unwrap();
        check_plan(&instance, &solved.plan).unwrap();
        assert_eq!(solved.plan.objective, 9.0);
        assert!(solved.gap < 1e-6 && solved.proven_optimal);
        let g = greedy(&instance).unwrap();
        assert_eq!(g.objective, 4.0);
        // With 6 places in 101, greedy gets stuck where a plan exists.
        let mut tight = instance.clone();
        tight.municipalities[0].quota = 6;
        assert!(greedy(&tight).is_err());
        let solved = optimal(&tight, None).unwrap();
        check_plan(&tight, &solved.plan).unwrap();
        assert_eq!(solved.plan.objective, 9.0);
    }

    #[test]
    fn a_batch_too_tight_together_is_explained() {
        // Each fits on its own (quota 4 each), but 3 + 3 + 3 persons do not fit 4 + 4
        // without splitting a household.
        let instance: Instance = serde_json::from_str(
            r#"{"municipalities": [{"code": "101", "quota": 4}, {"code": "147", "quota": 5}],
                "households": [{"id": "H1", "size": 3}, {"id": "H2", "size": 3}, {"id": "H3", "size": 3}]}"#,
        )
        .unwrap();
        let why = optimal(&instance, None).unwrap_err();
        assert!(why[0].contains("too tight together"), "{why:?}");
    }

    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn any_instance() -> impl Strategy<Value = Instance> {
        let municipalities = proptest::collection::vec((0u32..16, 0u32..3), 1..6);
        let households = proptest::collection::vec(
            (
                1u32..7,
                proptest::bool::weighted(0.2),
                proptest::option::weighted(0.2, 0u8..3),
            ),
            1..14,
        );
        (municipalities, households, proptest::collection::vec(0u32..10, 6 * 14))
            .prop_map(|(ms, hs, scores)| {
                let codes: Vec<String> = (0..ms.len()).map(|i| format!("{}", 100 + i)).collect();
                let mut table = BTreeMap::new();
                for (i, _) in hs.iter().enumerate() {
                    let row: BTreeMap<String, f64> = codes
                        .iter()
                        .enumerate()
                        .map(|(j, c)| (c.clone(), f64::from(scores[i * 6 + j])))
                        .collect();
                    table.insert(format!("H{i}"), row);
                }
                serde_json::from_value(serde_json::json!({
                    "municipalities": ms.iter().zip(&codes).map(|((q, w), c)| serde_json::json!(
                        {"code": c, "quota": q, "capacities": {"wheelchair": w}})).collect::<Vec<_>>(),
                    "households": hs.iter().enumerate().map(|(i, (size, w, g))| serde_json::json!({
                        "id": format!("H{i}"), "size": size,
                        "needs": if *w { vec!["wheelchair"] } else { vec![] },
                        "link_group": g.map(|g| format!("L{g}")),
                    })).collect::<Vec<_>>(),
                    "scores": table,
                }))
                .unwrap()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        /// Every optimal plan keeps every hard constraint and is never worse than greedy;
        /// when no plan exists, greedy finds none either, and the reason is given.
        #[test]
        fn optimal_plans_keep_the_constraints_and_beat_greedy(instance in any_instance()) {
            instance.validate().unwrap();
            match (optimal(&instance, None), greedy(&instance)) {
                (Ok(solved), greedy) => {
                    prop_assert_eq!(check_plan(&instance, &solved.plan), Ok(()));
                    prop_assert!(solved.plan.objective <= solved.bound + 1e-6);
                    if let Ok(g) = greedy {
                        prop_assert!(solved.plan.objective >= g.objective - 1e-6,
                            "optimal {} < greedy {}", solved.plan.objective, g.objective);
                    }
                }
                (Err(why), greedy) => {
                    prop_assert!(!why.is_empty());
                    prop_assert!(greedy.is_err(), "greedy placed what the solver could not");
                }
            }
        }
    }
}
