//! Why the ledger refuses an entry, in words a quota manager can act on. Each refusal
//! names the form field it belongs to, so the app can show it next to that field.

use std::fmt;

use super::SubQuota;

/// Places a commitment needs in one sub-quota and year, and what is left there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub year: i32,
    pub sub_quota: SubQuota,
    pub needed: u32,
    pub available: u32,
}

impl Shortfall {
    pub fn missing(&self) -> u32 {
        self.needed - self.available
    }
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} needs {}, {} available",
            self.sub_quota, self.year, self.needed, self.available
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuotaError {
    #[error("{0}")]
    InvalidRegime(String),
    #[error("the period {start_year}-{end_year} overlaps the period {other_start}-{other_end}: a year belongs to one period")]
    PeriodOverlaps {
        start_year: i32,
        end_year: i32,
        other_start: i32,
        other_end: i32,
    },
    #[error("there is no quota period named {0} (a period is named by its first year)")]
    NoSuchPeriod(i32),
    #[error("{year} is not a year of the period {start_year}-{end_year}")]
    YearOutsidePeriod {
        year: i32,
        start_year: i32,
        end_year: i32,
    },
    #[error(
        "{0} is closed: its places were carried over or lapsed, and a closed year is not reopened"
    )]
    YearClosed(i32),
    #[error("close {open} first: years close in order")]
    EarlierYearOpen { year: i32, open: i32 },
    #[error("the number of places must be more than 0")]
    NoPlaces,
    #[error("places move between two different sub-quotas")]
    SameSubQuota,
    #[error("the period's allocations would come to {would_be} places, {} more than its {total} places", would_be - total)]
    ExceedsPeriodTotal { would_be: u32, total: u32 },
    #[error("{year} would reach {would_be} persons, above the annual cap of {cap}; an exceptional situation decision for {year} must be recorded and referenced")]
    ExceedsAnnualCap { year: i32, would_be: u32, cap: u32 },
    #[error("the exceptional situation {id} was recorded for {recorded_for}, not {year}")]
    ExceptionalForOtherYear {
        id: String,
        recorded_for: i32,
        year: i32,
    },
    #[error("no exceptional situation {0} is recorded for this period")]
    NoSuchExceptional(String),
    #[error("{sub_quota} {year} cannot go below {minimum}: {minimum} of its places are committed, used or carried out")]
    BelowCommitted {
        year: i32,
        sub_quota: SubQuota,
        minimum: u32,
    },
    #[error("{} place(s) missing: {}", missing_total(.0), list(.0))]
    NotEnoughPlaces(Vec<Shortfall>),
    #[error("case {0} has no places committed")]
    NothingCommitted(String),
    #[error("case {0} already has places committed; release them first")]
    AlreadyCommitted(String),
    #[error("the ledger is inconsistent: {0}")]
    Inconsistent(String),
}

fn missing_total(shortfalls: &[Shortfall]) -> u32 {
    shortfalls.iter().map(Shortfall::missing).sum()
}

fn list(shortfalls: &[Shortfall]) -> String {
    shortfalls
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl QuotaError {
    /// The form field the refusal belongs to, as the app's forms name them.
    pub fn field(&self) -> Option<&'static str> {
        Some(match self {
            QuotaError::InvalidRegime(_) | QuotaError::PeriodOverlaps { .. } => "start_year",
            QuotaError::NoSuchPeriod(_) => "period",
            QuotaError::YearOutsidePeriod { .. }
            | QuotaError::YearClosed(_)
            | QuotaError::EarlierYearOpen { .. } => "year",
            QuotaError::NoPlaces
            | QuotaError::ExceedsPeriodTotal { .. }
            | QuotaError::ExceedsAnnualCap { .. }
            | QuotaError::BelowCommitted { .. }
            | QuotaError::NotEnoughPlaces(_) => "places",
            QuotaError::SameSubQuota => "to",
            QuotaError::ExceptionalForOtherYear { .. } | QuotaError::NoSuchExceptional(_) => {
                "exceptional"
            }
            QuotaError::NothingCommitted(_) | QuotaError::AlreadyCommitted(_) => "case",
            QuotaError::Inconsistent(_) => return None,
        })
    }
}
