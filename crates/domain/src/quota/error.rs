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

crate::refusal_table! {
    impl QuotaError {
        Self::InvalidRegime(detail) => "invalid_regime" in "start_year" [detail],
        Self::PeriodOverlaps { start_year, end_year, other_start, other_end } =>
            "period_overlaps" in "start_year" [start_year, end_year, other_start, other_end],
        Self::NoSuchPeriod(period) => "no_such_period" in "period" [period],
        Self::YearOutsidePeriod { year, start_year, end_year } =>
            "year_outside_period" in "year" [year, start_year, end_year],
        Self::YearClosed(year) => "year_closed" in "year" [year],
        Self::EarlierYearOpen { year, open } => "earlier_year_open" in "year" [year, open],
        Self::NoPlaces => "no_places" in "places",
        Self::SameSubQuota => "same_sub_quota" in "to",
        Self::ExceedsPeriodTotal { would_be, total } =>
            "exceeds_period_total" in "places" [would_be, total, over = would_be - total],
        Self::ExceedsAnnualCap { year, would_be, cap } =>
            "exceeds_annual_cap" in "places" [year, would_be, cap],
        Self::ExceptionalForOtherYear { id, recorded_for, year } =>
            "exceptional_for_other_year" in "exceptional" [id, recorded_for, year],
        Self::NoSuchExceptional(id) => "no_such_exceptional" in "exceptional" [id],
        Self::BelowCommitted { year, sub_quota, minimum } =>
            "below_committed" in "places" [year, sub_quota, minimum],
        // A list of shortfalls is `sub_quota/year/needed/available` items joined by `;`.
        Self::NotEnoughPlaces(shortfalls) => "not_enough_places" in "places" [
            missing = missing_total(shortfalls),
            shortfalls = shortfalls
                .iter()
                .map(|f| format!("{}/{}/{}/{}", f.sub_quota, f.year, f.needed, f.available))
                .collect::<Vec<_>>()
                .join(";"),
        ],
        Self::NothingCommitted(case) => "nothing_committed" in "case" [case],
        Self::AlreadyCommitted(case) => "already_committed" in "case" [case],
    }
    faults { Self::Inconsistent(_) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each refusal: adding a variant without a code in `CODES` (which the
    /// front end translates) fails here.
    #[test]
    fn every_refusal_has_a_listed_code_and_its_values() {
        let short = Shortfall {
            year: 2026,
            sub_quota: SubQuota::Medical,
            needed: 5,
            available: 2,
        };
        let all = [
            QuotaError::InvalidRegime("x".into()),
            QuotaError::PeriodOverlaps {
                start_year: 1,
                end_year: 2,
                other_start: 1,
                other_end: 2,
            },
            QuotaError::NoSuchPeriod(1),
            QuotaError::YearOutsidePeriod {
                year: 1,
                start_year: 2,
                end_year: 3,
            },
            QuotaError::YearClosed(1),
            QuotaError::EarlierYearOpen { year: 2, open: 1 },
            QuotaError::NoPlaces,
            QuotaError::SameSubQuota,
            QuotaError::ExceedsPeriodTotal {
                would_be: 2,
                total: 1,
            },
            QuotaError::ExceedsAnnualCap {
                year: 1,
                would_be: 2,
                cap: 1,
            },
            QuotaError::ExceptionalForOtherYear {
                id: "a".into(),
                recorded_for: 1,
                year: 2,
            },
            QuotaError::NoSuchExceptional("a".into()),
            QuotaError::BelowCommitted {
                year: 1,
                sub_quota: SubQuota::Medical,
                minimum: 1,
            },
            QuotaError::NotEnoughPlaces(vec![short.clone(), short]),
            QuotaError::NothingCommitted("c".into()),
            QuotaError::AlreadyCommitted("c".into()),
        ];
        let codes: Vec<&str> = all.iter().filter_map(QuotaError::code).collect();
        assert_eq!(codes, QuotaError::CODES);
        let missing = &all[13].params();
        assert_eq!(
            missing,
            &[
                ("missing", "6".to_owned()),
                ("shortfalls", "medical/2026/5/2;medical/2026/5/2".to_owned())
            ]
        );
        assert_eq!(QuotaError::Inconsistent("x".into()).code(), None);
    }
}
