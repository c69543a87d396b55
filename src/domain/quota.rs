//! The quota regime. The ledger and its rules arrive with the quota engine; the period's
//! configuration is here from the start because every other part refers to it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaPeriod {
    pub id: Uuid,
    pub start_year: i32,
    /// 1 to 3 calendar years: the regime is configuration, not code.
    pub years: u8,
    /// Persons, not cases.
    pub total_places: u32,
    pub carry_over: bool,
    /// Persons admitted in one year, unless an exceptional situation is recorded.
    pub annual_cap: u32,
}

impl QuotaPeriod {
    pub fn end_year(&self) -> i32 {
        self.start_year + i32::from(self.years) - 1
    }
}
