//! The bound a plan is measured against, by column generation, and the pairs a better
//! plan could still use.
//!
//! The full relaxation has a column per (unit, municipality) pair: 4.8 million at 50,000
//! households, too many to hand HiGHS at once. It starts instead from each unit's few
//! best pairs, and after each solve prices every pair at the relaxation's duals, adding
//! the pairs worth more than the unit's current choice; when none is, the restricted
//! relaxation's optimum is the full one's. The bound itself is the Lagrangian one,
//! computed here from the prices: it holds for any non-negative prices, so it stays an
//! upper bound even if the loop stops early or the duals are slightly off.

use std::time::Instant;

use good_lp::ResolutionError;

use super::program::{Limits, Pairs, Prices, Program};
use resettle_domain::placement::instance::Unit;

/// Pairs each unit starts with: its best by score.
const FIRST_PAIRS: usize = 10;
/// Pairs a unit gains per round at most: its most valuable at the current prices.
const NEW_PAIRS: usize = 5;
/// A safety stop for the loop; it ends in 2 to 4 rounds on the bench's instances.
const MAX_ROUNDS: usize = 50;

/// An upper bound on every plan's objective, with the prices it was computed at.
pub(super) struct Bound {
    /// No plan scores more: the prices' charge for every quota and capacity, plus each
    /// unit's best value at the prices.
    pub value: f64,
    prices: Prices,
    /// Each unit's best value at the prices.
    best: Vec<f64>,
    /// The pair each unit takes whole in the last relaxation, if it takes one whole.
    pub whole: Vec<Option<usize>>,
}

/// Solves the relaxation by column generation until no pair is worth adding, or until
/// `deadline`.
pub(super) fn relaxation(
    units: &[Unit],
    pairs: &Pairs,
    limits: &Limits,
    deadline: Option<Instant>,
) -> Result<Bound, ResolutionError> {
    let place: Vec<usize> = (0..units.len()).collect();
    let mut in_master = vec![false; pairs.list.len()];
    let mut columns = Vec::new();
    for own in &pairs.by_unit {
        let mut own = own.clone();
        own.sort_by(|&a, &b| pairs.list[b].score.total_cmp(&pairs.list[a].score));
        for &p in own.iter().take(FIRST_PAIRS) {
            in_master[p] = true;
            columns.push(p);
        }
    }
    // Leaving a unit out must cost more than any placement is worth, so that the
    // relaxation only does it while its columns cannot place the unit.
    let largest = pairs
        .list
        .iter()
        .map(|p| p.score.abs())
        .fold(0.0_f64, f64::max);
    let penalty = 10.0 * (1.0 + largest);
    let mut round = 0;
    loop {
        round += 1;
        let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64());
        let relaxed = Program {
            units,
            pairs: &pairs.list,
            limits,
            place: &place,
            columns: &columns,
        }
        .relax(penalty, remaining)?;
        // Each unit's best value among its columns (or leaving it out), and among all
        // its pairs.
        let mut current: Vec<f64> = vec![-penalty; units.len()];
        for &p in &columns {
            let pair = &pairs.list[p];
            let v = relaxed.prices.value(pair, &units[pair.unit], limits);
            current[pair.unit] = current[pair.unit].max(v);
        }
        let mut best = vec![f64::NEG_INFINITY; units.len()];
        let mut added = 0;
        for (u, own) in pairs.by_unit.iter().enumerate() {
            let mut better: Vec<(f64, usize)> = Vec::new();
            for &p in own {
                let v = relaxed.prices.value(&pairs.list[p], &units[u], limits);
                best[u] = best[u].max(v);
                if !in_master[p] && v > current[u] + 1e-7 {
                    better.push((v, p));
                }
            }
            better.sort_by(|a, b| b.0.total_cmp(&a.0));
            for &(_, p) in better.iter().take(NEW_PAIRS) {
                in_master[p] = true;
                columns.push(p);
                added += 1;
            }
        }
        let charge: f64 = relaxed
            .prices
            .quota
            .iter()
            .zip(&limits.quota)
            .map(|(price, quota)| price * quota)
            .sum::<f64>()
            + relaxed
                .prices
                .capacity
                .iter()
                .zip(&limits.capacity)
                .flat_map(|(prices, caps)| prices.iter().zip(caps).map(|(p, (_, n))| p * n))
                .sum::<f64>();
        let out_of_time = deadline.is_some_and(|d| Instant::now() >= d);
        if added == 0 || out_of_time || round >= MAX_ROUNDS {
            let mut whole = vec![None; units.len()];
            for (&p, &x) in columns.iter().zip(&relaxed.values) {
                if x > 1.0 - 1e-6 {
                    whole[pairs.list[p].unit] = Some(p);
                }
            }
            return Ok(Bound {
                value: charge + best.iter().sum::<f64>(),
                prices: relaxed.prices,
                best,
                whole,
            });
        }
    }
}

impl Bound {
    /// Each unit's `per_unit` pairs of the highest value at the prices: where a good plan
    /// most likely places it.
    pub fn nearest(
        &self,
        units: &[Unit],
        pairs: &Pairs,
        limits: &Limits,
        per_unit: usize,
    ) -> Vec<usize> {
        let mut chosen = Vec::new();
        for (u, own) in pairs.by_unit.iter().enumerate() {
            let mut by_value: Vec<(f64, usize)> = own
                .iter()
                .map(|&p| (self.prices.value(&pairs.list[p], &units[u], limits), p))
                .collect();
            by_value.sort_by(|a, b| b.0.total_cmp(&a.0));
            chosen.extend(by_value.iter().take(per_unit).map(|&(_, p)| p));
        }
        chosen
    }

    /// The pairs a plan scoring at least `floor` may use. A plan that places unit u in
    /// municipality m scores at most `value` less what that pair's value falls short of
    /// u's best (the other units cannot make up for it at these prices), so the pairs
    /// for which that is below `floor` can be left out of the search for a better plan.
    pub fn pairs_reaching(
        &self,
        units: &[Unit],
        pairs: &Pairs,
        limits: &Limits,
        floor: f64,
    ) -> Vec<usize> {
        let slack = 1e-6 * (1.0 + floor.abs());
        (0..pairs.list.len())
            .filter(|&p| {
                let pair = &pairs.list[p];
                let shortfall =
                    self.best[pair.unit] - self.prices.value(pair, &units[pair.unit], limits);
                self.value - shortfall >= floor - slack
            })
            .collect()
    }
}

impl Bound {
    /// The bound at zero prices: each unit in its best municipality, quotas ignored. It
    /// always holds; it is what is left when the relaxation runs out of time.
    pub fn trivial(units: &[Unit], pairs: &Pairs, limits: &Limits) -> Self {
        let best: Vec<f64> = pairs
            .by_unit
            .iter()
            .map(|own| {
                own.iter()
                    .map(|&p| pairs.list[p].score)
                    .fold(f64::NEG_INFINITY, f64::max)
            })
            .collect();
        Bound {
            value: best.iter().sum(),
            prices: Prices {
                quota: vec![0.0; limits.quota.len()],
                capacity: limits.capacity.iter().map(|c| vec![0.0; c.len()]).collect(),
            },
            best,
            whole: vec![None; units.len()],
        }
    }
}
