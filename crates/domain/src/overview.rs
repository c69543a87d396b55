//! What the Overview shows: counts straight from the database.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
