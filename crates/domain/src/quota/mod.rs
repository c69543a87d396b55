//! The quota: a period's configuration (the regime), its sub-quotas, and the ledger of
//! entries from which every balance is computed. Nothing here is edited in place: a change
//! is a new entry, checked against the rules in `rules.rs` before it is recorded.

mod charges;
mod error;
mod ledger;
mod rules;
mod status;

pub use charges::Charges;
pub use error::{QuotaError, Shortfall};
pub use ledger::{CaseCommitment, Columns, EntryKind, Ledger, LedgerEntry, Movement};
pub use rules::{default_allocations, ExceptionalSituation};
pub use status::{QuotaStatus, SubQuotaStatus, YearStatus};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

code_enum! {
    /// The three sub-quotas a year's places are allocated to.
    SubQuota {
        Geographical => "geographical",
        EmergencyUrgent => "emergency_urgent",
        Medical => "medical",
    }
}

impl SubQuota {
    /// The design brief's yearly allocation (395 / 75 / 30 of a 500-place year); a period's
    /// default allocations split its places in these proportions.
    pub fn default_weight(self) -> u32 {
        match self {
            SubQuota::Geographical => 395,
            SubQuota::EmergencyUrgent => 75,
            SubQuota::Medical => 30,
        }
    }
}

/// The regime's defaults: the three-year flexible quota with carry-over.
pub const DEFAULT_YEARS: u8 = 3;
pub const DEFAULT_ANNUAL_CAP: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuotaPeriod {
    pub id: Uuid,
    /// A period is named by its first year.
    pub start_year: i32,
    /// 1 to 3 calendar years: the regime is configuration, not code.
    pub years: u8,
    /// Persons, not cases.
    pub total_places: u32,
    /// Whether a closed year's unused places move to the next year of the period (they
    /// lapse otherwise, and always at the end of the period).
    pub carry_over: bool,
    /// Persons admitted in one year, unless an exceptional situation is recorded.
    pub annual_cap: u32,
}

impl QuotaPeriod {
    /// A period under the default regime.
    pub fn new(start_year: i32, total_places: u32) -> Self {
        Self {
            id: Uuid::new_v4(),
            start_year,
            years: DEFAULT_YEARS,
            total_places,
            carry_over: true,
            annual_cap: DEFAULT_ANNUAL_CAP,
        }
    }

    pub fn end_year(&self) -> i32 {
        self.start_year + i32::from(self.years) - 1
    }

    pub fn year_list(&self) -> impl Iterator<Item = i32> {
        self.start_year..=self.end_year()
    }

    pub fn contains(&self, year: i32) -> bool {
        (self.start_year..=self.end_year()).contains(&year)
    }

    /// Whether two periods share a calendar year: a year belongs to at most one period.
    pub fn overlaps(&self, other: &QuotaPeriod) -> bool {
        self.start_year <= other.end_year() && other.start_year <= self.end_year()
    }

    /// Checks the configuration itself, before any entry is recorded.
    pub fn validate(&self) -> Result<(), QuotaError> {
        if !(1..=3).contains(&self.years) {
            return Err(QuotaError::InvalidRegime(format!(
                "a period runs 1 to 3 years, not {}",
                self.years
            )));
        }
        if !(1900..=9000).contains(&self.start_year) {
            return Err(QuotaError::InvalidRegime(format!(
                "{} is not a plausible start year",
                self.start_year
            )));
        }
        if self.total_places == 0 {
            return Err(QuotaError::InvalidRegime(
                "a period needs at least one place".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
