//! The baseline a person with a spreadsheet would follow: the biggest household (or
//! linked group) first, to the municipality with the most quota left that satisfies the
//! hard constraints (ties to the first in the instance's order).

use super::instance::Instance;
use super::job_offer;
use super::plan::{describe, explain_infeasible, ruled_out, wish_reasons, Assignment, Plan};

/// The greedy plan, or why it got stuck (which may happen on instances that an optimal
/// solver can still place). Job offers are placed first, by rule.
pub fn greedy(instance: &Instance) -> Result<Plan, Vec<String>> {
    let split = job_offer::split(instance);
    if split.fixed.is_empty() {
        return by_size(instance);
    }
    Ok(job_offer::merge(instance, &split, by_size(&split.rest)?))
}

fn by_size(instance: &Instance) -> Result<Plan, Vec<String>> {
    let mut units = instance.units();
    units.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then(a.households[0].cmp(&b.households[0]))
    });
    let mut quota_left: Vec<u32> = instance.municipalities.iter().map(|m| m.quota).collect();
    let mut capacity_left: Vec<_> = instance
        .municipalities
        .iter()
        .map(|m| m.capacities.clone())
        .collect();
    let scores = instance.score_table();
    let mut assignments = Vec::new();
    let mut objective = 0.0;
    for unit in &units {
        let fits = |i: usize| {
            quota_left[i] >= unit.size
                && unit
                    .needs
                    .iter()
                    .all(|(c, n)| capacity_left[i].get(c).copied().unwrap_or(0) >= *n)
        };
        let candidates: Vec<usize> = (0..instance.municipalities.len())
            .filter(|&i| fits(i))
            .collect();
        let Some(&best) = candidates
            .iter()
            .max_by(|&&a, &&b| quota_left[a].cmp(&quota_left[b]).then(b.cmp(&a)))
        else {
            let mut why = explain_infeasible(instance);
            why.push(format!(
                "the greedy rule could not place {}: {}",
                describe(instance, unit),
                ruled_out(instance, unit, &quota_left, &capacity_left).unwrap_or_default()
            ));
            return Err(why);
        };
        let mut reasons = vec![format!(
            "the most quota left ({}) of the {} municipalities that fit",
            quota_left[best],
            candidates.len()
        )];
        reasons.extend(ruled_out(instance, unit, &quota_left, &capacity_left));
        quota_left[best] -= unit.size;
        for (c, n) in &unit.needs {
            *capacity_left[best].get_mut(c).expect("fits checked it") -= n;
        }
        for &h in &unit.households {
            let score = scores.household(h, best);
            objective += score;
            let mut own = reasons.clone();
            own.extend(wish_reasons(instance, unit, h, best));
            assignments.push(Assignment {
                household: instance.households[h].id.clone(),
                municipality: instance.municipalities[best].code.clone(),
                score,
                reasons: own,
            });
        }
    }
    assignments.sort_by(|a, b| a.household.cmp(&b.household));
    Ok(Plan {
        assignments,
        objective,
        overruns: Vec::new(),
    })
}
