//! What the Overview shows: counts straight from the database, and the day's work.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::quota::{QuotaStatus, SubQuotaStatus};

/// Households by UNHCR priority.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PriorityCounts {
    pub emergency: u32,
    pub urgent: u32,
    pub normal: u32,
}

/// The current quota period, as shown in the Overview's heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PeriodSummary {
    pub start_year: i32,
    pub end_year: i32,
    pub total_places: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Overview {
    pub households: u32,
    pub persons: u32,
    pub missions: u32,
    pub municipalities: u32,
    pub by_priority: PriorityCounts,
    pub period: Option<PeriodSummary>,
}

/// One year of the quota as the dashboard shows it: every sub-quota together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct YearQuota {
    /// The period's first year, which names it.
    pub period: i32,
    pub year: i32,
    pub annual_cap: u32,
    /// Allocated to the year plus carried in from the year before.
    pub allocated: u32,
    pub committed: u32,
    pub used: u32,
    pub available: u32,
}

impl YearQuota {
    /// The year's figures from its period's status; None when the period has no such year.
    pub fn of(status: &QuotaStatus, year: i32) -> Option<Self> {
        let y = status.year(year)?;
        let sum = |f: fn(&SubQuotaStatus) -> u32| y.sub_quotas.iter().map(f).sum::<u32>();
        Some(Self {
            period: status.period,
            year,
            annual_cap: status.annual_cap,
            allocated: sum(|s| s.allocated + s.carried_in),
            committed: sum(|s| s.committed),
            used: sum(|s| s.used),
            available: sum(|s| s.available),
        })
    }
}

/// What needs the office today: the Overview's work list, each item a count that the
/// window links to the view that resolves it. Read from the store in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    /// The day the deadlines and waits are counted on.
    pub today: NaiveDate,
    /// Open cases past their UNHCR deadline (emergency 7 days, urgent 6 weeks, normal
    /// 12 months from submission to departure).
    pub overdue: u32,
    /// Open cases with less than a quarter of their time left.
    pub at_risk: u32,
    /// Cases interviewed, examined or deferred: waiting for a decision.
    pub awaiting_decision: u32,
    /// Placements proposed and not yet put to the municipality.
    pub proposals_to_send: u32,
    /// Placements put to the municipality and waiting for its answer.
    pub awaiting_answer: u32,
    /// Days the longest of those has waited since it was put to the municipality.
    pub longest_wait_days: Option<u32>,
    /// Accepted cases, not yet departed, with an adult who has not signed the declaration.
    pub declarations_missing: u32,
    /// Missions checked out to a laptop and not returned since.
    pub missions_in_field: u32,
    /// Check-in conflicts no quota manager has resolved yet.
    pub open_conflicts: u32,
    /// This year's quota, when a period covers the year.
    pub quota: Option<YearQuota>,
}
