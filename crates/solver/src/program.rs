//! One HiGHS program over a chosen set of (unit, municipality) pairs: a variable per
//! pair, each unit of the program placed exactly once, no municipality's persons or
//! capacity units over what the limits allow. Solved either as a linear relaxation (with
//! the prices of the quota and capacity rows, for the bound and for pricing new pairs) or
//! as an integer program.

use good_lp::{
    constraint, constraint::ConstraintReference, highs, variable, DualValues, Expression,
    ProblemVariables, ResolutionError, Solution, SolutionStatus, SolutionWithDual, SolverModel,
    Variable, WithInitialSolution,
};

use resettle_domain::placement::instance::{Instance, ScoreTable, Unit};

/// A (unit, municipality) pair where the unit fits on its own, with its score there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Pair {
    pub unit: usize,
    pub municipality: usize,
    pub score: f64,
}

/// Every pair of an instance, and the pairs of each unit.
pub(super) struct Pairs {
    pub list: Vec<Pair>,
    pub by_unit: Vec<Vec<usize>>,
}

impl Pairs {
    pub fn new(instance: &Instance, units: &[Unit], scores: &ScoreTable) -> Self {
        let mut list = Vec::new();
        let mut by_unit = vec![Vec::new(); units.len()];
        for (u, unit) in units.iter().enumerate() {
            for (m, slot) in instance.municipalities.iter().enumerate() {
                if instance.fits(unit, slot) {
                    by_unit[u].push(list.len());
                    list.push(Pair {
                        unit: u,
                        municipality: m,
                        score: scores.unit(unit, m),
                    });
                }
            }
        }
        Pairs { list, by_unit }
    }
}

/// What may be used per municipality: persons of quota, and units of each capacity (in
/// the order of the municipality's capacities).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Limits {
    pub quota: Vec<f64>,
    pub capacity: Vec<Vec<(String, f64)>>,
}

impl Limits {
    pub fn of(instance: &Instance) -> Self {
        Limits {
            quota: instance
                .municipalities
                .iter()
                .map(|m| f64::from(m.quota))
                .collect(),
            capacity: instance
                .municipalities
                .iter()
                .map(|m| {
                    m.capacities
                        .iter()
                        .map(|(c, n)| (c.clone(), f64::from(*n)))
                        .collect()
                })
                .collect(),
        }
    }

    /// What is left once each `(unit, municipality)` of `placed` is placed.
    pub fn without(&self, units: &[Unit], placed: &[(usize, usize)]) -> Self {
        let mut left = self.clone();
        for &(u, m) in placed {
            left.quota[m] -= f64::from(units[u].size);
            for (capacity, free) in &mut left.capacity[m] {
                *free -= need(&units[u], capacity);
            }
        }
        left
    }
}

/// Units of a capacity a unit needs.
pub(super) fn need(unit: &Unit, capacity: &str) -> f64 {
    f64::from(unit.needs.get(capacity).copied().unwrap_or(0))
}

/// What a person of quota and a unit of each capacity are worth in each municipality:
/// the duals of the relaxation's rows, never negative.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Prices {
    pub quota: Vec<f64>,
    pub capacity: Vec<Vec<f64>>,
}

impl Prices {
    /// A pair's score less what it uses, at these prices.
    pub fn value(&self, pair: &Pair, unit: &Unit, limits: &Limits) -> f64 {
        let m = pair.municipality;
        let mut value = pair.score - f64::from(unit.size) * self.quota[m];
        for ((capacity, _), price) in limits.capacity[m].iter().zip(&self.capacity[m]) {
            value -= need(unit, capacity) * price;
        }
        value
    }
}

/// A program: the units to place and the pairs it may use.
pub(super) struct Program<'a> {
    pub units: &'a [Unit],
    pub pairs: &'a [Pair],
    pub limits: &'a Limits,
    /// The units to place, each exactly once.
    pub place: &'a [usize],
    /// Indexes into `pairs`; each pair's unit is one of `place`.
    pub columns: &'a [usize],
}

/// The linear relaxation's solution.
pub(super) struct Relaxed {
    /// The value of each column, in the order of `Program::columns`.
    pub values: Vec<f64>,
    pub prices: Prices,
}

/// The integer program's solution.
pub(super) struct Integral {
    /// The pair chosen for each unit of `Program::place`, in its order.
    pub chosen: Vec<usize>,
    pub objective: f64,
    /// False when a time or gap limit stopped the search before a proof.
    pub proven: bool,
}

/// The variables, rows and objective of a program, ready for HiGHS.
struct Built {
    model: good_lp::solvers::highs::HighsProblem,
    x: Vec<Variable>,
    quota_rows: Vec<Option<ConstraintReference>>,
    capacity_rows: Vec<Vec<Option<ConstraintReference>>>,
    objective: Expression,
}

impl Program<'_> {
    /// The linear relaxation, where a unit may also stay (partly) unplaced at
    /// `unplaced_penalty` per unit, so that the program is feasible whatever columns it
    /// has: column generation starts from a few pairs per unit.
    pub fn relax(
        &self,
        unplaced_penalty: f64,
        time_limit: Option<f64>,
    ) -> Result<Relaxed, ResolutionError> {
        let built = self.build(true, Some(unplaced_penalty), None, time_limit, 0.0)?;
        let mut solution = built.model.solve()?;
        if !matches!(solution.status(), SolutionStatus::Optimal) {
            return Err(ResolutionError::Str(
                "the relaxation stopped at its time limit".to_owned(),
            ));
        }
        let values = built.x.iter().map(|v| solution.value(*v)).collect();
        let duals = solution.compute_dual();
        // HiGHS gives a maximisation's binding ≤ rows a negative dual; the prices are
        // its opposite, and a price is never negative (a slack row is free).
        let price = |row: &Option<ConstraintReference>| match row {
            Some(r) => duals.dual(r.clone()).max(0.0),
            None => 0.0,
        };
        let prices = Prices {
            quota: built.quota_rows.iter().map(price).collect(),
            capacity: built
                .capacity_rows
                .iter()
                .map(|rows| rows.iter().map(price).collect())
                .collect(),
        };
        Ok(Relaxed { values, prices })
    }

    /// The integer program, started from `start` (a pair per unit of `place`) if given.
    pub fn solve(
        &self,
        start: Option<&[usize]>,
        time_limit: Option<f64>,
        mip_gap: f64,
    ) -> Result<Integral, ResolutionError> {
        let built = self.build(false, None, start, time_limit, mip_gap)?;
        let solution = built.model.solve()?;
        let mut chosen = vec![usize::MAX; self.place.len()];
        let slot = self.slots();
        for (&p, v) in self.columns.iter().zip(&built.x) {
            if solution.value(*v) > 0.5 {
                chosen[slot[self.pairs[p].unit]] = p;
            }
        }
        if chosen.contains(&usize::MAX) {
            return Err(ResolutionError::Str(
                "the solver returned a plan that leaves a household out".to_owned(),
            ));
        }
        Ok(Integral {
            chosen,
            objective: solution.eval(&built.objective),
            // good_lp reports HiGHS's "optimal" as GapLimit whenever the final gap is not
            // exactly 0, however small; asked for a gap of 0, HiGHS stops only within its
            // absolute tolerance (1e-6), which is optimal for scores like ours.
            proven: match solution.status() {
                SolutionStatus::Optimal => true,
                SolutionStatus::GapLimit => mip_gap == 0.0,
                SolutionStatus::TimeLimit => false,
            },
        })
    }

    /// The position of each unit in `place` (usize::MAX for units not in it).
    fn slots(&self) -> Vec<usize> {
        let mut slot = vec![usize::MAX; self.units.len()];
        for (i, &u) in self.place.iter().enumerate() {
            slot[u] = i;
        }
        slot
    }

    fn build(
        &self,
        relaxed: bool,
        unplaced_penalty: Option<f64>,
        start: Option<&[usize]>,
        time_limit: Option<f64>,
        mip_gap: f64,
    ) -> Result<Built, ResolutionError> {
        let municipalities = self.limits.quota.len();
        let slot = self.slots();
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = self
            .columns
            .iter()
            .map(|_| {
                if relaxed {
                    vars.add(variable().min(0).max(1))
                } else {
                    vars.add(variable().binary())
                }
            })
            .collect();
        let unplaced: Vec<Variable> = match unplaced_penalty {
            Some(_) => self
                .place
                .iter()
                .map(|_| vars.add(variable().min(0).max(1)))
                .collect(),
            None => Vec::new(),
        };
        let mut objective: Expression = self
            .columns
            .iter()
            .zip(&x)
            .map(|(&p, v)| self.pairs[p].score * *v)
            .sum();
        if let Some(penalty) = unplaced_penalty {
            objective -= unplaced.iter().map(|v| penalty * *v).sum::<Expression>();
        }
        let mut model = vars.maximise(objective.clone()).using(highs);
        if let Some(start) = start {
            let mut values = vec![0.0; x.len()];
            let column_of: std::collections::HashMap<usize, usize> = self
                .columns
                .iter()
                .enumerate()
                .map(|(c, &p)| (p, c))
                .collect();
            for p in start {
                if let Some(&c) = column_of.get(p) {
                    values[c] = 1.0;
                }
            }
            model = model.with_initial_solution(x.iter().copied().zip(values));
        }
        if let Some(t) = time_limit {
            model = model.set_time_limit(t.max(0.0));
        }
        model = model
            .set_mip_rel_gap(mip_gap as f32)
            .map_err(|e| ResolutionError::Str(e.to_string()))?;

        let mut once: Vec<Expression> = vec![Expression::default(); self.place.len()];
        let mut persons: Vec<Expression> = vec![Expression::default(); municipalities];
        let mut used: Vec<Vec<Expression>> = self
            .limits
            .capacity
            .iter()
            .map(|c| vec![Expression::default(); c.len()])
            .collect();
        let mut any_in = vec![false; municipalities];
        let mut any_need: Vec<Vec<bool>> = self
            .limits
            .capacity
            .iter()
            .map(|c| vec![false; c.len()])
            .collect();
        for (&p, v) in self.columns.iter().zip(&x) {
            let Pair {
                unit, municipality, ..
            } = self.pairs[p];
            let u = &self.units[unit];
            once[slot[unit]] += *v;
            persons[municipality].add_mul(f64::from(u.size), *v);
            any_in[municipality] = true;
            for (k, (capacity, _)) in self.limits.capacity[municipality].iter().enumerate() {
                let n = need(u, capacity);
                if n > 0.0 {
                    used[municipality][k].add_mul(n, *v);
                    any_need[municipality][k] = true;
                }
            }
        }
        for (i, row) in once.into_iter().enumerate() {
            let row = match unplaced.get(i) {
                Some(a) => row + *a,
                None => row,
            };
            model.add_constraint(constraint!(row == 1));
        }
        let mut quota_rows = vec![None; municipalities];
        let mut capacity_rows: Vec<Vec<Option<ConstraintReference>>> = self
            .limits
            .capacity
            .iter()
            .map(|c| vec![None; c.len()])
            .collect();
        for (m, row) in persons.into_iter().enumerate() {
            if any_in[m] {
                let quota = self.limits.quota[m];
                quota_rows[m] = Some(model.add_constraint(constraint!(row <= quota)));
            }
        }
        for (m, rows) in used.into_iter().enumerate() {
            for (k, row) in rows.into_iter().enumerate() {
                if any_need[m][k] {
                    let free = self.limits.capacity[m][k].1;
                    capacity_rows[m][k] = Some(model.add_constraint(constraint!(row <= free)));
                }
            }
        }
        Ok(Built {
            model,
            x,
            quota_rows,
            capacity_rows,
            objective,
        })
    }
}
