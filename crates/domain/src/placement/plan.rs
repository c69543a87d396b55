//! A placement plan, the hard constraints every plan must satisfy, and why an instance
//! cannot be placed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::instance::{Instance, Unit};
use super::job_offer::{self, Overrun};
use super::wishes;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub household: String,
    pub municipality: String,
    pub score: f64,
    /// Why here: what scored, and what ruled the other municipalities out.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub assignments: Vec<Assignment>,
    pub objective: f64,
    /// Places taken above what municipalities had left, by job offers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overruns: Vec<Overrun>,
}

/// Checks every hard constraint: each household placed once in a municipality of the
/// instance, link groups together, a household with a job offer (and its group) in the
/// offer's municipality, and no quota or capacity exceeded by the households placed
/// without one (what the offers take comes first, `job_offer::split`). The error says
/// which.
pub fn check_plan(instance: &Instance, plan: &Plan) -> Result<(), String> {
    let index = instance.municipality_index();
    let mut placed: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &plan.assignments {
        let m = *index
            .get(a.municipality.as_str())
            .ok_or_else(|| format!("{} is not a municipality of the instance", a.municipality))?;
        if placed.insert(a.household.as_str(), m).is_some() {
            return Err(format!("household {} is placed twice", a.household));
        }
    }
    // The limits the households without an offer must keep: what the offers left.
    let split = job_offer::split(instance);
    for &(h, m) in &split.fixed {
        let id = instance.households[h].id.as_str();
        if placed.get(id) != Some(&m) {
            return Err(format!(
                "household {id} is not placed in {}, where its job offer (or its group's) places it",
                instance.municipalities[m].code
            ));
        }
    }
    let limits = &split.rest.municipalities;
    let mut persons = vec![0u32; instance.municipalities.len()];
    let mut used: Vec<BTreeMap<&str, u32>> = vec![BTreeMap::new(); instance.municipalities.len()];
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    let by_offer: BTreeSet<usize> = split.fixed.iter().map(|&(h, _)| h).collect();
    for (i, h) in instance.households.iter().enumerate() {
        let m = *placed
            .get(h.id.as_str())
            .ok_or_else(|| format!("household {} is not placed", h.id))?;
        if !by_offer.contains(&i) {
            persons[m] += h.size;
            for need in &h.needs {
                *used[m].entry(need.as_str()).or_insert(0) += 1;
            }
        }
        if let Some(g) = h.link_group.as_deref() {
            if *groups.entry(g).or_insert(m) != m {
                return Err(format!("link group {g} is split over municipalities"));
            }
        }
    }
    if placed.len() != instance.households.len() {
        return Err("the plan places a household that is not in the instance".into());
    }
    for (i, m) in limits.iter().enumerate() {
        if persons[i] > m.quota {
            return Err(format!(
                "{} receives {} persons, above its quota of {}",
                m.code, persons[i], m.quota
            ));
        }
        for (c, n) in &used[i] {
            let cap = m.capacities.get(*c).copied().unwrap_or(0);
            if *n > cap {
                return Err(format!("{} uses {n} {c}, above its {cap}", m.code));
            }
        }
    }
    Ok(())
}

/// Why an instance cannot be placed, as far as simple counts can tell: places or
/// capacities missing in all, and households that fit no municipality at all. Empty when
/// none of these holds (the households may still not fit together).
pub fn explain_infeasible(instance: &Instance) -> Vec<String> {
    let mut why = Vec::new();
    let (persons, places) = (instance.persons(), instance.places());
    if persons > places {
        why.push(format!(
            "{} places missing: {persons} persons to place and {places} places of quota left in all",
            persons - places
        ));
    }
    let mut needed: BTreeMap<&str, u64> = BTreeMap::new();
    for h in &instance.households {
        for n in &h.needs {
            *needed.entry(n.as_str()).or_insert(0) += 1;
        }
    }
    for (c, n) in &needed {
        let cap: u64 = instance
            .municipalities
            .iter()
            .map(|m| u64::from(m.capacities.get(*c).copied().unwrap_or(0)))
            .sum();
        if *n > cap {
            why.push(format!(
                "{} {c} missing: {n} needed and {cap} available in all",
                n - cap
            ));
        }
    }
    for unit in instance.units() {
        if !instance
            .municipalities
            .iter()
            .any(|m| instance.fits(&unit, m))
        {
            why.push(format!(
                "{} cannot be placed anywhere: {}",
                describe(instance, &unit),
                nowhere(instance, &unit)
            ));
        }
    }
    why
}

/// "household H1 (4 persons, needs wheelchair)" or "link group L1 (H1, H2: 7 persons)".
pub fn describe(instance: &Instance, unit: &Unit) -> String {
    let needs: Vec<String> = unit
        .needs
        .iter()
        .map(|(c, n)| {
            if *n == 1 {
                c.clone()
            } else {
                format!("{n} {c}")
            }
        })
        .collect();
    let needs = if needs.is_empty() {
        String::new()
    } else {
        format!(", needs {}", needs.join(" and "))
    };
    let first = &instance.households[unit.households[0]];
    match (&first.link_group, unit.households.len()) {
        (Some(g), n) if n > 1 => {
            let ids: Vec<&str> = unit
                .households
                .iter()
                .map(|&h| instance.households[h].id.as_str())
                .collect();
            format!(
                "link group {g} ({}: {} persons{needs})",
                ids.join(", "),
                unit.size
            )
        }
        _ => format!("household {} ({} persons{needs})", first.id, unit.size),
    }
}

/// Why no municipality takes a unit: the largest quota left, and the capacities short.
fn nowhere(instance: &Instance, unit: &Unit) -> String {
    let with_quota = instance
        .municipalities
        .iter()
        .filter(|m| m.quota >= unit.size)
        .count();
    let mut parts = vec![format!(
        "{with_quota} of {} municipalities have {} places left",
        instance.municipalities.len(),
        unit.size
    )];
    for (c, n) in &unit.needs {
        let with = instance
            .municipalities
            .iter()
            .filter(|m| m.capacities.get(c).copied().unwrap_or(0) >= *n)
            .count();
        let both = instance
            .municipalities
            .iter()
            .filter(|m| m.quota >= unit.size && m.capacities.get(c).copied().unwrap_or(0) >= *n)
            .count();
        parts.push(format!(
            "{with} have {n} {c} free, {both} of them with the places"
        ));
    }
    parts.join("; ")
}

/// What ruled municipalities out for a unit: "12 without 4 places left, 3 without
/// wheelchair".
pub fn ruled_out(
    instance: &Instance,
    unit: &Unit,
    quota_left: &[u32],
    capacity_left: &[BTreeMap<String, u32>],
) -> Option<String> {
    let mut no_places = 0;
    let mut no_capacity: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, _) in instance.municipalities.iter().enumerate() {
        if quota_left[i] < unit.size {
            no_places += 1;
            continue;
        }
        if let Some((c, _)) = unit
            .needs
            .iter()
            .find(|(c, n)| capacity_left[i].get(*c).copied().unwrap_or(0) < **n)
        {
            *no_capacity.entry(c.as_str()).or_insert(0) += 1;
        }
    }
    let mut parts = Vec::new();
    if no_places > 0 {
        parts.push(format!("{no_places} without {} places left", unit.size));
    }
    for (c, n) in no_capacity {
        parts.push(format!("{n} without {c}"));
    }
    (!parts.is_empty()).then(|| format!("ruled out: {}", parts.join(", ")))
}

/// What became of household `h`'s own wishes, placed in municipality `m` as part of
/// `unit`: every wish above the one honoured, full or not chosen, and the one honoured
/// (`wishes::outcome`). Empty when the household stated no wishes.
pub fn wish_reasons(instance: &Instance, unit: &Unit, h: usize, m: usize) -> Vec<String> {
    wishes::outcome(
        &instance.households[h],
        &instance.municipalities[m],
        &instance.municipalities,
        |slot| instance.fits(unit, slot),
    )
}
