//! The job-offer rule of the visitation: a documented permanent job offer of at least 15
//! hours a week places the household (and any household linked to it) in the offer's
//! municipality, even above what is left of its quota or capacities. The overrun is
//! shown and counted, never hidden. Whether an offer qualifies, and a quota manager's
//! recorded override, are decided before an instance is made (`JobOffer::qualifies`):
//! in an instance, `job_offer` is already the rule.
//!
//! Every solver places the offers first (`split`), solves the rest in what is left, and
//! puts the two together (`merge`), so no method can place an offer elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::instance::{round2, Instance, ScoreTable};
use super::plan::{Assignment, Plan};
use super::wishes;

/// "1 person", "3 persons".
fn persons(n: u32) -> String {
    if n == 1 {
        "1 person".to_owned()
    } else {
        format!("{n} persons")
    }
}

/// The least hours a week of a qualifying offer.
pub const QUALIFYING_HOURS: f64 = 15.0;

/// A job offer as recorded for a household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct JobOffer {
    /// The municipality of the workplace.
    pub municipality: u16,
    pub hours_per_week: f64,
    pub permanent: bool,
    /// Where the offer is documented (a letter's reference, a file number).
    pub document: String,
    /// A quota manager's reason for not following the offer; the offer then does not
    /// place the household.
    #[serde(default)]
    pub overridden: Option<String>,
}

impl JobOffer {
    /// Permanent and at least 15 hours a week.
    pub fn qualifies(&self) -> bool {
        self.permanent && self.hours_per_week >= QUALIFYING_HOURS
    }

    /// Whether it places the household: it qualifies and no override is recorded.
    pub fn decides(&self) -> bool {
        self.qualifies() && self.overridden.is_none()
    }
}

/// Places taken above what a municipality had left, by job offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Overrun {
    pub municipality: String,
    /// Persons of quota it had left.
    pub quota_left: u32,
    /// Persons placed there by job offers.
    pub persons: u32,
    /// Persons above the quota left.
    pub over_quota: u32,
    /// Units above each capacity left.
    pub over_capacity: BTreeMap<String, u32>,
    pub households: Vec<String>,
}

/// An instance with its job offers placed: the rest to solve, in what is left.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The households without an offer, in the municipalities' quotas and capacities
    /// less what the offers take (never below 0).
    pub rest: Instance,
    /// (household index, municipality index) in the whole instance.
    pub fixed: Vec<(usize, usize)>,
    pub overruns: Vec<Overrun>,
}

/// Places every household of a unit with a job offer in the offer's municipality. The
/// instance must be valid (every offer names a municipality of it, one offer per group).
pub fn split(instance: &Instance) -> Split {
    let index = instance.municipality_index();
    let mut fixed = Vec::new();
    let mut taken_persons = vec![0u32; instance.municipalities.len()];
    let mut taken: Vec<BTreeMap<String, u32>> =
        vec![BTreeMap::new(); instance.municipalities.len()];
    let mut households_in: Vec<Vec<String>> = vec![Vec::new(); instance.municipalities.len()];
    let mut placed = BTreeSet::new();
    for unit in instance.units() {
        let Some(code) = unit
            .households
            .iter()
            .find_map(|&h| instance.households[h].job_offer.as_deref())
        else {
            continue;
        };
        let m = index[code];
        taken_persons[m] += unit.size;
        for (c, n) in &unit.needs {
            *taken[m].entry(c.clone()).or_insert(0) += n;
        }
        for &h in &unit.households {
            fixed.push((h, m));
            placed.insert(h);
            households_in[m].push(instance.households[h].id.clone());
        }
    }
    let mut rest = instance.clone();
    let mut overruns = Vec::new();
    for (m, slot) in rest.municipalities.iter_mut().enumerate() {
        if taken_persons[m] == 0 && taken[m].is_empty() {
            continue;
        }
        let mut over_capacity = BTreeMap::new();
        for (c, n) in &taken[m] {
            let free = slot.capacities.get(c).copied().unwrap_or(0);
            if *n > free {
                over_capacity.insert(c.clone(), n - free);
            }
            slot.capacities.insert(c.clone(), free.saturating_sub(*n));
        }
        let over_quota = taken_persons[m].saturating_sub(slot.quota);
        if over_quota > 0 || !over_capacity.is_empty() {
            overruns.push(Overrun {
                municipality: slot.code.clone(),
                quota_left: slot.quota,
                persons: taken_persons[m],
                over_quota,
                over_capacity,
                households: households_in[m].clone(),
            });
        }
        slot.quota = slot.quota.saturating_sub(taken_persons[m]);
    }
    rest.households = instance
        .households
        .iter()
        .enumerate()
        .filter(|(i, _)| !placed.contains(i))
        .map(|(_, h)| h.clone())
        .collect();
    if let Some(scores) = &mut rest.scores {
        scores.retain(|h, _| rest.households.iter().any(|kept| kept.id == *h));
    }
    Split {
        rest,
        fixed,
        overruns,
    }
}

/// The whole plan: the rest's plan with the offers' households added, each with its
/// score in the whole instance and why it is there.
pub fn merge(instance: &Instance, split: &Split, rest: Plan) -> Plan {
    if split.fixed.is_empty() {
        return rest;
    }
    let scores: ScoreTable = instance.score_table();
    let mut plan = rest;
    for &(h, m) in &split.fixed {
        let household = &instance.households[h];
        let code = &instance.municipalities[m].code;
        let score = scores.household(h, m);
        let mut reasons = vec![match household.job_offer.as_deref() {
            Some(offer) if offer == code => format!(
                "a qualifying job offer in {code} (permanent, at least 15 hours a week) places the household here"
            ),
            _ => format!("linked to a household with a qualifying job offer in {code}"),
        }];
        if let Some(o) = split.overruns.iter().find(|o| o.municipality == *code) {
            if o.over_quota > 0 {
                reasons.push(format!(
                    "{} above the {} {} {code} had left, by job offers",
                    persons(o.over_quota),
                    o.quota_left,
                    if o.quota_left == 1 { "place" } else { "places" }
                ));
            }
            for (c, n) in &o.over_capacity {
                reasons.push(format!("{n} {c} above what {code} had free, by job offers"));
            }
        }
        // The household's own wishes are accounted for here as in every plan: honoured,
        // or set aside by the offer.
        let honoured = wishes::honoured(household, &instance.municipalities[m]).map(|(r, _)| r);
        for (i, wish) in household.wishes.iter().enumerate() {
            let rank = i + 1;
            if Some(rank) == honoured {
                reasons.push(format!(
                    "{} wish honoured ({})",
                    wishes::ordinal(rank),
                    wishes::describe(wish)
                ));
                break;
            }
            reasons.push(format!(
                "wish {rank} ({}) not followed: the job offer decides",
                wishes::describe(wish)
            ));
        }
        reasons.push(format!("scores {} here", round2(score)));
        reasons.extend(instance.score_reasons(h, m));
        plan.objective += score;
        plan.assignments.push(Assignment {
            household: household.id.clone(),
            municipality: code.clone(),
            score,
            reasons,
        });
    }
    plan.assignments
        .sort_by(|a, b| a.household.cmp(&b.household));
    plan.overruns = split.overruns.clone();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::plan::check_plan;

    #[test]
    fn an_offer_qualifies_when_permanent_and_fifteen_hours_or_more() {
        let offer = JobOffer {
            municipality: 101,
            hours_per_week: 15.0,
            permanent: true,
            document: "letter 2026-04".into(),
            overridden: None,
        };
        assert!(offer.qualifies() && offer.decides());
        assert!(!JobOffer {
            hours_per_week: 14.5,
            ..offer.clone()
        }
        .qualifies());
        assert!(!JobOffer {
            permanent: false,
            ..offer.clone()
        }
        .qualifies());
        let overridden = JobOffer {
            overridden: Some("the employer withdrew".into()),
            ..offer
        };
        assert!(overridden.qualifies() && !overridden.decides());
    }

    #[test]
    fn offers_place_their_group_even_above_the_quota_and_the_overrun_is_counted() {
        let instance: Instance = serde_json::from_value(serde_json::json!({
            "municipalities": [
                {"code": "101", "quota": 3, "capacities": {"wheelchair": 0}},
                {"code": "147", "quota": 10}
            ],
            "households": [
                {"id": "H1", "size": 2, "job_offer": "101", "link_group": "L", "needs": ["wheelchair"],
                 "wishes": [{"municipality": "147", "reason": "relatives"}]},
                {"id": "H2", "size": 3, "link_group": "L"},
                {"id": "H3", "size": 4}
            ],
            "scores": {"H1": {"101": 1, "147": 5}, "H2": {"101": 1, "147": 5}, "H3": {"101": 9, "147": 1}}
        }))
        .unwrap();
        instance.validate().unwrap();
        let split = split(&instance);
        assert_eq!(split.fixed, vec![(0, 0), (1, 0)]);
        assert_eq!(split.rest.households.len(), 1);
        assert_eq!(split.rest.municipalities[0].quota, 0);
        assert_eq!(
            split.overruns,
            vec![Overrun {
                municipality: "101".into(),
                quota_left: 3,
                persons: 5,
                over_quota: 2,
                over_capacity: BTreeMap::from([("wheelchair".into(), 1)]),
                households: vec!["H1".into(), "H2".into()],
            }]
        );
        // The rest goes where there is room, and the whole plan keeps the rule.
        let rest = crate::placement::greedy::greedy(&split.rest).unwrap();
        let plan = merge(&instance, &split, rest);
        check_plan(&instance, &plan).unwrap();
        let h1 = &plan.assignments[0];
        assert_eq!(h1.municipality, "101");
        assert!(
            h1.reasons[0].contains("job offer in 101"),
            "{:?}",
            h1.reasons
        );
        assert!(h1.reasons[1].contains("2 persons above the 3 places"));
        // Its wish is accounted for: the offer set it aside.
        assert!(h1
            .reasons
            .contains(&"wish 1 (147, relatives) not followed: the job offer decides".to_owned()));
        assert_eq!(plan.assignments[2].municipality, "147");
        assert_eq!(plan.objective, 1.0 + 1.0 + 1.0);
        assert_eq!(plan.overruns.len(), 1);
    }
}
