//! A period's figures, as `resettle quota status --json` prints them and the Quotas view
//! shows them. The field names are part of the command line's stable interface.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::SubQuota;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SubQuotaStatus {
    pub sub_quota: SubQuota,
    pub allocated: u32,
    pub carried_in: u32,
    pub committed: u32,
    pub used: u32,
    pub available: u32,
    pub carried_out: u32,
    pub lapsed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct YearStatus {
    pub year: i32,
    pub closed: bool,
    pub sub_quotas: Vec<SubQuotaStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuotaStatus {
    /// The period's first year, which names it.
    pub period: i32,
    pub end_year: i32,
    pub total_places: u32,
    pub annual_cap: u32,
    pub carry_over: bool,
    /// The first year not yet closed; None once the whole period is closed.
    pub open_year: Option<i32>,
    pub years: Vec<YearStatus>,
}

impl QuotaStatus {
    pub fn year(&self, year: i32) -> Option<&YearStatus> {
        self.years.iter().find(|y| y.year == year)
    }
}

impl YearStatus {
    pub fn sub_quota(&self, sub: SubQuota) -> &SubQuotaStatus {
        self.sub_quotas
            .iter()
            .find(|s| s.sub_quota == sub)
            .expect("every year lists every sub-quota")
    }
}
