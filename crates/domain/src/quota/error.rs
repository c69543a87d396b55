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

/// Every code `QuotaError::code` gives.
pub const REFUSAL_CODES: &[&str] = &[
    "invalid_regime",
    "period_overlaps",
    "no_such_period",
    "year_outside_period",
    "year_closed",
    "earlier_year_open",
    "no_places",
    "same_sub_quota",
    "exceeds_period_total",
    "exceeds_annual_cap",
    "exceptional_for_other_year",
    "no_such_exceptional",
    "below_committed",
    "not_enough_places",
    "nothing_committed",
    "already_committed",
];

impl QuotaError {
    /// A stable name for the refusal, with `params`, so that a front end can say it in the
    /// user's language (the `Display` text is English). None for faults, not refusals.
    pub fn code(&self) -> Option<&'static str> {
        Some(match self {
            QuotaError::InvalidRegime(_) => "invalid_regime",
            QuotaError::PeriodOverlaps { .. } => "period_overlaps",
            QuotaError::NoSuchPeriod(_) => "no_such_period",
            QuotaError::YearOutsidePeriod { .. } => "year_outside_period",
            QuotaError::YearClosed(_) => "year_closed",
            QuotaError::EarlierYearOpen { .. } => "earlier_year_open",
            QuotaError::NoPlaces => "no_places",
            QuotaError::SameSubQuota => "same_sub_quota",
            QuotaError::ExceedsPeriodTotal { .. } => "exceeds_period_total",
            QuotaError::ExceedsAnnualCap { .. } => "exceeds_annual_cap",
            QuotaError::ExceptionalForOtherYear { .. } => "exceptional_for_other_year",
            QuotaError::NoSuchExceptional(_) => "no_such_exceptional",
            QuotaError::BelowCommitted { .. } => "below_committed",
            QuotaError::NotEnoughPlaces(_) => "not_enough_places",
            QuotaError::NothingCommitted(_) => "nothing_committed",
            QuotaError::AlreadyCommitted(_) => "already_committed",
            QuotaError::Inconsistent(_) => return None,
        })
    }

    /// The values the refusal's message is made of, by name. A list of shortfalls is
    /// `sub_quota/year/needed/available` items joined by `;`.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let s = |v: &dyn ToString| v.to_string();
        match self {
            QuotaError::InvalidRegime(detail) | QuotaError::Inconsistent(detail) => {
                vec![("detail", detail.clone())]
            }
            QuotaError::PeriodOverlaps {
                start_year,
                end_year,
                other_start,
                other_end,
            } => vec![
                ("start_year", s(start_year)),
                ("end_year", s(end_year)),
                ("other_start", s(other_start)),
                ("other_end", s(other_end)),
            ],
            QuotaError::NoSuchPeriod(period) => vec![("period", s(period))],
            QuotaError::YearOutsidePeriod {
                year,
                start_year,
                end_year,
            } => vec![
                ("year", s(year)),
                ("start_year", s(start_year)),
                ("end_year", s(end_year)),
            ],
            QuotaError::YearClosed(year) => vec![("year", s(year))],
            QuotaError::EarlierYearOpen { year, open } => {
                vec![("year", s(year)), ("open", s(open))]
            }
            QuotaError::NoPlaces | QuotaError::SameSubQuota => Vec::new(),
            QuotaError::ExceedsPeriodTotal { would_be, total } => vec![
                ("would_be", s(would_be)),
                ("total", s(total)),
                ("over", s(&(would_be - total))),
            ],
            QuotaError::ExceedsAnnualCap {
                year,
                would_be,
                cap,
            } => vec![
                ("year", s(year)),
                ("would_be", s(would_be)),
                ("cap", s(cap)),
            ],
            QuotaError::ExceptionalForOtherYear {
                id,
                recorded_for,
                year,
            } => vec![
                ("id", id.clone()),
                ("recorded_for", s(recorded_for)),
                ("year", s(year)),
            ],
            QuotaError::NoSuchExceptional(id) => vec![("id", id.clone())],
            QuotaError::BelowCommitted {
                year,
                sub_quota,
                minimum,
            } => vec![
                ("year", s(year)),
                ("sub_quota", s(sub_quota)),
                ("minimum", s(minimum)),
            ],
            QuotaError::NotEnoughPlaces(shortfalls) => vec![
                ("missing", s(&missing_total(shortfalls))),
                (
                    "shortfalls",
                    shortfalls
                        .iter()
                        .map(|f| format!("{}/{}/{}/{}", f.sub_quota, f.year, f.needed, f.available))
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
            ],
            QuotaError::NothingCommitted(case) | QuotaError::AlreadyCommitted(case) => {
                vec![("case", case.clone())]
            }
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each refusal: adding a variant without a code in `REFUSAL_CODES` (which the
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
        assert_eq!(codes, REFUSAL_CODES);
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
