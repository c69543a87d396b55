//! The year's statistics the ministry asks for: arrivals and persons by nationality,
//! sub-quota, UNHCR category, priority, municipality and region; the median time from
//! submission to departure per priority against UNHCR's limits; decisions and withdrawals;
//! and the quota used per sub-quota. Pure tallies of facts the store reads; the store
//! decides nothing here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::deadline::deadline;
use crate::decision::Verdict;
use crate::quota::{SubQuota, YearStatus};
use crate::{Category, Priority};

/// A household that arrived in the year, as the statistics count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub nationality: String,
    pub category: Category,
    pub priority: Priority,
    pub persons: u32,
    /// The persons its arrival used of each sub-quota (the ledger's arrival entries).
    pub sub_quotas: Vec<(SubQuota, u32)>,
    /// Where it was placed (its confirmed placement): code, name and region.
    pub municipality: Option<(u16, String, String)>,
}

/// A household that departed in the year: its priority and its two days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Departure {
    pub priority: Priority,
    pub submitted: NaiveDate,
    pub departed: NaiveDate,
}

/// One line of a breakdown: a key (a code), its name where it has one, and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub key: String,
    pub name: String,
    pub households: u32,
    pub persons: u32,
}

/// Departures of one priority against UNHCR's limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeToDeparture {
    pub priority: Priority,
    pub departures: u32,
    /// The median days from submission to departure; None without departures.
    pub median_days: Option<f64>,
    /// The limit: 7 days, 42 days (6 weeks), or 365 days (12 months, 366 across a 29
    /// February); whether a case met it is counted by its own deadline.
    pub limit_days: u32,
    pub within_limit: u32,
}

/// Decisions made and cases withdrawn in the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Decisions {
    pub accepted: u32,
    pub rejected: u32,
    pub deferred: u32,
    pub withdrawn: u32,
}

/// The year's figures of one sub-quota, as `quota status` gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaUse {
    pub sub_quota: SubQuota,
    pub allocated: u32,
    pub carried_in: u32,
    pub committed: u32,
    pub used: u32,
    pub available: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistics {
    pub year: i32,
    pub households: u32,
    pub persons: u32,
    pub by_nationality: Vec<Count>,
    pub by_sub_quota: Vec<Count>,
    pub by_category: Vec<Count>,
    pub by_priority: Vec<Count>,
    pub by_municipality: Vec<Count>,
    pub by_region: Vec<Count>,
    pub time_to_departure: Vec<TimeToDeparture>,
    pub decisions: Decisions,
    /// Empty when no quota period covers the year.
    pub quota: Vec<QuotaUse>,
}

/// The name a breakdown shows for a household placed nowhere (arrived without a
/// confirmed placement, as a case from before placements were recorded).
pub const NOT_PLACED: &str = "not placed";

#[derive(Default)]
struct Tally(BTreeMap<String, (String, u32, u32)>);

impl Tally {
    fn add(&mut self, key: &str, name: &str, households: u32, persons: u32) {
        let entry = self
            .0
            .entry(key.to_owned())
            .or_insert_with(|| (name.to_owned(), 0, 0));
        entry.1 += households;
        entry.2 += persons;
    }

    /// Most persons first, then by key, so the list reads from the largest group.
    fn lines(self) -> Vec<Count> {
        let mut lines: Vec<Count> = self
            .0
            .into_iter()
            .map(|(key, (name, households, persons))| Count {
                key,
                name,
                households,
                persons,
            })
            .collect();
        lines.sort_by(|a, b| b.persons.cmp(&a.persons).then(a.key.cmp(&b.key)));
        lines
    }
}

/// The median of the days, the mean of the two middle ones for an even count.
pub fn median(days: &mut [i64]) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let mid = days.len() / 2;
    Some(if days.len() % 2 == 1 {
        days[mid] as f64
    } else {
        (days[mid - 1] + days[mid]) as f64 / 2.0
    })
}

/// The year's statistics from its arrivals, departures, decisions (verdicts) and
/// withdrawals, and its quota figures.
pub fn compile(
    year: i32,
    arrivals: &[Arrival],
    departures: &[Departure],
    verdicts: &[Verdict],
    withdrawn: u32,
    quota: Option<&YearStatus>,
) -> Statistics {
    let mut by = [(); 6].map(|_| Tally::default());
    for a in arrivals {
        let [nationality, sub_quota, category, priority, municipality, region] = &mut by;
        nationality.add(&a.nationality, &a.nationality, 1, a.persons);
        category.add(a.category.code(), a.category.code(), 1, a.persons);
        priority.add(a.priority.code(), a.priority.code(), 1, a.persons);
        match &a.municipality {
            Some((code, name, region_name)) => {
                municipality.add(&code.to_string(), name, 1, a.persons);
                region.add(region_name, region_name, 1, a.persons);
            }
            None => {
                municipality.add("-", NOT_PLACED, 1, a.persons);
                region.add("-", NOT_PLACED, 1, a.persons);
            }
        }
        // A household counts once in each sub-quota it used places of (a TOM patient's
        // family in geographical, the patient in medical).
        for (sub, persons) in &a.sub_quotas {
            sub_quota.add(sub.code(), sub.code(), 1, *persons);
        }
    }
    let [nationality, sub_quota, category, priority, municipality, region] = by;
    let time_to_departure = Priority::ALL
        .iter()
        .map(|p| {
            let mine: Vec<&Departure> = departures.iter().filter(|d| d.priority == *p).collect();
            let mut days: Vec<i64> = mine
                .iter()
                .map(|d| (d.departed - d.submitted).num_days())
                .collect();
            TimeToDeparture {
                priority: *p,
                departures: mine.len() as u32,
                median_days: median(&mut days),
                limit_days: match p {
                    Priority::Emergency => 7,
                    Priority::Urgent => 42,
                    Priority::Normal => 365,
                },
                within_limit: mine
                    .iter()
                    .filter(|d| d.departed <= deadline(d.priority, d.submitted))
                    .count() as u32,
            }
        })
        .collect();
    let count = |v: Verdict| verdicts.iter().filter(|x| **x == v).count() as u32;
    Statistics {
        year,
        households: arrivals.len() as u32,
        persons: arrivals.iter().map(|a| a.persons).sum(),
        by_nationality: nationality.lines(),
        by_sub_quota: sub_quota.lines(),
        by_category: category.lines(),
        by_priority: priority.lines(),
        by_municipality: municipality.lines(),
        by_region: region.lines(),
        time_to_departure,
        decisions: Decisions {
            accepted: count(Verdict::Accept),
            rejected: count(Verdict::Reject),
            deferred: count(Verdict::Defer),
            withdrawn,
        },
        quota: quota
            .map(|y| {
                y.sub_quotas
                    .iter()
                    .map(|s| QuotaUse {
                        sub_quota: s.sub_quota,
                        allocated: s.allocated,
                        carried_in: s.carried_in,
                        committed: s.committed,
                        used: s.used,
                        available: s.available,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn arrival(nationality: &str, persons: u32, municipality: Option<u16>) -> Arrival {
        Arrival {
            nationality: nationality.into(),
            category: Category::LegalPhysicalProtection,
            priority: Priority::Normal,
            persons,
            sub_quotas: vec![(SubQuota::Geographical, persons)],
            municipality: municipality.map(|c| (c, format!("M{c}"), "Region X".into())),
        }
    }

    #[test]
    fn the_median_is_the_middle_day_or_the_mean_of_the_two_middle_days() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [9]), Some(9.0));
        assert_eq!(median(&mut [30, 10, 20]), Some(20.0));
        assert_eq!(median(&mut [40, 10, 30, 20]), Some(25.0));
    }

    #[test]
    fn breakdowns_add_up_to_the_arrivals_largest_group_first() {
        let mut tom = arrival("SYR", 5, Some(101));
        tom.sub_quotas = vec![(SubQuota::Medical, 1), (SubQuota::Geographical, 4)];
        let s = compile(
            2026,
            &[arrival("SOM", 3, Some(751)), arrival("SOM", 1, None), tom],
            &[],
            &[Verdict::Accept, Verdict::Accept, Verdict::Reject],
            1,
            None,
        );
        assert_eq!((s.households, s.persons), (3, 9));
        assert_eq!(
            s.by_nationality
                .iter()
                .map(|c| (c.key.as_str(), c.households, c.persons))
                .collect::<Vec<_>>(),
            [("SYR", 1, 5), ("SOM", 2, 4)]
        );
        for list in [
            &s.by_nationality,
            &s.by_municipality,
            &s.by_region,
            &s.by_category,
        ] {
            assert_eq!(list.iter().map(|c| c.persons).sum::<u32>(), 9);
            assert_eq!(list.iter().map(|c| c.households).sum::<u32>(), 3);
        }
        // Persons per sub-quota add up too; the TOM household counts in both.
        assert_eq!(s.by_sub_quota.iter().map(|c| c.persons).sum::<u32>(), 9);
        assert_eq!(s.by_sub_quota[0].key, "geographical");
        assert_eq!(s.by_sub_quota[0].households, 3);
        assert!(s.by_municipality.iter().any(|c| c.name == NOT_PLACED));
        assert_eq!(
            s.decisions,
            Decisions {
                accepted: 2,
                rejected: 1,
                deferred: 0,
                withdrawn: 1
            }
        );
        assert!(s.quota.is_empty());
    }

    #[test]
    fn time_to_departure_is_counted_against_each_case_s_own_deadline() {
        let dep = |p, s: &str, t: &str| Departure {
            priority: p,
            submitted: d(s),
            departed: d(t),
        };
        let s = compile(
            2026,
            &[],
            &[
                dep(Priority::Emergency, "2026-01-01", "2026-01-08"), // 7 days: met
                dep(Priority::Emergency, "2026-01-01", "2026-01-10"), // 9: missed
                dep(Priority::Normal, "2025-03-01", "2026-03-01"),    // 365: met
            ],
            &[],
            0,
            None,
        );
        let e = &s.time_to_departure[0];
        assert_eq!(e.priority, Priority::Emergency);
        assert_eq!(
            (e.departures, e.within_limit, e.median_days),
            (2, 1, Some(8.0))
        );
        let n = &s.time_to_departure[2];
        assert_eq!(
            (n.departures, n.within_limit, n.median_days),
            (1, 1, Some(365.0))
        );
        assert_eq!(s.time_to_departure[1].median_days, None);
    }
}
