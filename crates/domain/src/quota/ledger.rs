//! The ledger: movements of places, and the balances they add up to.
//!
//! Every balance is a sum over movements, and each movement's effect is linear in its
//! places. So replaying the raw entries and replaying per-kind sums give the same balances:
//! the store lets the database add up the entries and replays only the sums.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{QuotaError, QuotaPeriod, QuotaStatus, SubQuota, SubQuotaStatus, YearStatus};

code_enum! {
    /// What a ledger entry records.
    EntryKind {
        Allocation => "allocation",
        Reallocation => "reallocation",
        Commitment => "commitment",
        Release => "release",
        Arrival => "arrival",
        CarryOver => "carry_over",
        Lapse => "lapse",
        YearClosed => "year_closed",
    }
}

/// One movement of places. `places` is signed only for an allocation (a lowered allocation
/// is a negative one); everywhere else it is a count of persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Allocation {
        year: i32,
        sub_quota: SubQuota,
        places: i64,
    },
    Reallocation {
        year: i32,
        from: SubQuota,
        to: SubQuota,
        places: i64,
    },
    /// A case accepted and charged to a year and sub-quota.
    Commitment {
        year: i32,
        sub_quota: SubQuota,
        places: i64,
    },
    /// A withdrawn case gives its committed places back.
    Release {
        year: i32,
        sub_quota: SubQuota,
        places: i64,
    },
    /// The persons arrived: committed places become used.
    Arrival {
        year: i32,
        sub_quota: SubQuota,
        places: i64,
    },
    CarryOver {
        from_year: i32,
        to_year: i32,
        sub_quota: SubQuota,
        places: i64,
    },
    Lapse {
        year: i32,
        sub_quota: SubQuota,
        places: i64,
    },
    YearClosed {
        year: i32,
    },
}

/// A movement as flat columns: (kind, year, sub-quota, target year, target sub-quota,
/// places). The database stores and sums entries in this form.
pub type Columns = (
    EntryKind,
    i32,
    Option<SubQuota>,
    Option<i32>,
    Option<SubQuota>,
    i64,
);

impl Movement {
    pub fn kind(&self) -> EntryKind {
        match self {
            Movement::Allocation { .. } => EntryKind::Allocation,
            Movement::Reallocation { .. } => EntryKind::Reallocation,
            Movement::Commitment { .. } => EntryKind::Commitment,
            Movement::Release { .. } => EntryKind::Release,
            Movement::Arrival { .. } => EntryKind::Arrival,
            Movement::CarryOver { .. } => EntryKind::CarryOver,
            Movement::Lapse { .. } => EntryKind::Lapse,
            Movement::YearClosed { .. } => EntryKind::YearClosed,
        }
    }

    pub fn columns(&self) -> Columns {
        let kind = self.kind();
        match *self {
            Movement::Allocation {
                year,
                sub_quota,
                places,
            }
            | Movement::Commitment {
                year,
                sub_quota,
                places,
            }
            | Movement::Release {
                year,
                sub_quota,
                places,
            }
            | Movement::Arrival {
                year,
                sub_quota,
                places,
            }
            | Movement::Lapse {
                year,
                sub_quota,
                places,
            } => (kind, year, Some(sub_quota), None, None, places),
            Movement::Reallocation {
                year,
                from,
                to,
                places,
            } => (kind, year, Some(from), None, Some(to), places),
            Movement::CarryOver {
                from_year,
                to_year,
                sub_quota,
                places,
            } => (
                kind,
                from_year,
                Some(sub_quota),
                Some(to_year),
                None,
                places,
            ),
            Movement::YearClosed { year } => (kind, year, None, None, None, 0),
        }
    }

    /// Rebuilds a movement from its columns; a row that does not fit its kind is corrupt.
    pub fn from_columns(c: Columns) -> Result<Self, QuotaError> {
        let bad = || QuotaError::Inconsistent(format!("malformed entry {c:?}"));
        let (kind, year, sub, to_year, to_sub, places) = c;
        let sub = || sub.ok_or_else(bad);
        Ok(match kind {
            EntryKind::Allocation => Movement::Allocation {
                year,
                sub_quota: sub()?,
                places,
            },
            EntryKind::Reallocation => Movement::Reallocation {
                year,
                from: sub()?,
                to: to_sub.ok_or_else(bad)?,
                places,
            },
            EntryKind::Commitment => Movement::Commitment {
                year,
                sub_quota: sub()?,
                places,
            },
            EntryKind::Release => Movement::Release {
                year,
                sub_quota: sub()?,
                places,
            },
            EntryKind::Arrival => Movement::Arrival {
                year,
                sub_quota: sub()?,
                places,
            },
            EntryKind::CarryOver => Movement::CarryOver {
                from_year: year,
                to_year: to_year.ok_or_else(bad)?,
                sub_quota: sub()?,
                places,
            },
            EntryKind::Lapse => Movement::Lapse {
                year,
                sub_quota: sub()?,
                places,
            },
            EntryKind::YearClosed => Movement::YearClosed { year },
        })
    }
}

/// One year and sub-quota's running sums. `committed` is what is committed now
/// (commitments less releases and arrivals); `used` is what arrived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Cell {
    pub allocated: i64,
    pub carried_in: i64,
    pub committed: i64,
    pub used: i64,
    pub carried_out: i64,
    pub lapsed: i64,
}

impl Cell {
    /// allocated + carried in − committed − used, less what already left the year.
    pub fn available(&self) -> i64 {
        self.allocated + self.carried_in
            - self.committed
            - self.used
            - self.carried_out
            - self.lapsed
    }
}

/// A period's balances, built by replaying its movements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub(super) period: QuotaPeriod,
    pub(super) cells: BTreeMap<(i32, SubQuota), Cell>,
    pub(super) closed: BTreeSet<i32>,
}

impl Ledger {
    pub fn new(period: QuotaPeriod) -> Self {
        let cells = period
            .year_list()
            .flat_map(|y| {
                SubQuota::ALL
                    .iter()
                    .map(move |s| ((y, *s), Cell::default()))
            })
            .collect();
        Self {
            period,
            cells,
            closed: BTreeSet::new(),
        }
    }

    /// Replays movements in order. Fails if they refer to years outside the period or leave
    /// any balance negative: the entries were not written by this program's rules.
    pub fn replay<'a>(
        period: QuotaPeriod,
        movements: impl IntoIterator<Item = &'a Movement>,
    ) -> Result<Self, QuotaError> {
        let mut ledger = Self::new(period);
        for m in movements {
            ledger.apply(m)?;
        }
        ledger.check()?;
        Ok(ledger)
    }

    pub fn period(&self) -> &QuotaPeriod {
        &self.period
    }

    pub fn is_closed(&self, year: i32) -> bool {
        self.closed.contains(&year)
    }

    /// The first year that is not closed: where late releases go. None once the period ended.
    pub fn open_year(&self) -> Option<i32> {
        self.period.year_list().find(|y| !self.is_closed(*y))
    }

    pub(super) fn cell(&self, year: i32, sub: SubQuota) -> Result<&Cell, QuotaError> {
        self.cells
            .get(&(year, sub))
            .ok_or(QuotaError::YearOutsidePeriod {
                year,
                start_year: self.period.start_year,
                end_year: self.period.end_year(),
            })
    }

    fn cell_mut(&mut self, year: i32, sub: SubQuota) -> Result<&mut Cell, QuotaError> {
        let (start_year, end_year) = (self.period.start_year, self.period.end_year());
        self.cells
            .get_mut(&(year, sub))
            .ok_or(QuotaError::YearOutsidePeriod {
                year,
                start_year,
                end_year,
            })
    }

    pub fn available(&self, year: i32, sub: SubQuota) -> Result<i64, QuotaError> {
        Ok(self.cell(year, sub)?.available())
    }

    /// Adds one movement's effect. It does not check the rules; `rules.rs` does that
    /// before a movement is made.
    pub fn apply(&mut self, m: &Movement) -> Result<(), QuotaError> {
        match *m {
            Movement::Allocation {
                year,
                sub_quota,
                places,
            } => self.cell_mut(year, sub_quota)?.allocated += places,
            Movement::Reallocation {
                year,
                from,
                to,
                places,
            } => {
                self.cell_mut(year, from)?.allocated -= places;
                self.cell_mut(year, to)?.allocated += places;
            }
            Movement::Commitment {
                year,
                sub_quota,
                places,
            } => self.cell_mut(year, sub_quota)?.committed += places,
            Movement::Release {
                year,
                sub_quota,
                places,
            } => self.cell_mut(year, sub_quota)?.committed -= places,
            Movement::Arrival {
                year,
                sub_quota,
                places,
            } => {
                let cell = self.cell_mut(year, sub_quota)?;
                cell.committed -= places;
                cell.used += places;
            }
            Movement::CarryOver {
                from_year,
                to_year,
                sub_quota,
                places,
            } => {
                self.cell_mut(to_year, sub_quota)?;
                self.cell_mut(from_year, sub_quota)?.carried_out += places;
                self.cell_mut(to_year, sub_quota)?.carried_in += places;
            }
            Movement::Lapse {
                year,
                sub_quota,
                places,
            } => self.cell_mut(year, sub_quota)?.lapsed += places,
            Movement::YearClosed { year } => {
                self.cell(year, SubQuota::Geographical)?;
                self.closed.insert(year);
            }
        }
        Ok(())
    }

    /// No figure may be negative, and a closed year has nothing left available.
    pub fn check(&self) -> Result<(), QuotaError> {
        for ((year, sub), c) in &self.cells {
            let figures = [
                ("allocated", c.allocated),
                ("carried in", c.carried_in),
                ("committed", c.committed),
                ("used", c.used),
                ("carried out", c.carried_out),
                ("lapsed", c.lapsed),
                ("available", c.available()),
            ];
            if let Some((name, n)) = figures.iter().find(|(_, n)| *n < 0) {
                return Err(QuotaError::Inconsistent(format!(
                    "{sub} {year}: {name} is {n}"
                )));
            }
            if self.is_closed(*year) && c.available() != 0 {
                return Err(QuotaError::Inconsistent(format!(
                    "{sub} {year} is closed but has {} places available",
                    c.available()
                )));
            }
        }
        Ok(())
    }

    /// The figures per year and sub-quota, as the CLI and the Quotas view show them.
    pub fn status(&self) -> QuotaStatus {
        let n = |v: i64| u32::try_from(v).unwrap_or(0);
        let years = self
            .period
            .year_list()
            .map(|year| YearStatus {
                year,
                closed: self.is_closed(year),
                sub_quotas: SubQuota::ALL
                    .iter()
                    .map(|&sub| {
                        let c = self.cells[&(year, sub)];
                        SubQuotaStatus {
                            sub_quota: sub,
                            allocated: n(c.allocated),
                            carried_in: n(c.carried_in),
                            committed: n(c.committed),
                            used: n(c.used),
                            available: n(c.available()),
                            carried_out: n(c.carried_out),
                            lapsed: n(c.lapsed),
                        }
                    })
                    .collect(),
            })
            .collect();
        QuotaStatus {
            period: self.period.start_year,
            end_year: self.period.end_year(),
            total_places: self.period.total_places,
            annual_cap: self.period.annual_cap,
            carry_over: self.period.carry_over,
            open_year: self.open_year(),
            years,
        }
    }
}

/// What one case has committed now in one year and sub-quota: the base for a release or
/// an arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseCommitment {
    pub year: i32,
    pub sub_quota: SubQuota,
    pub places: u32,
}

/// A recorded ledger entry as the history shows it: the movement with who, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LedgerEntry {
    pub seq: u32,
    pub kind: EntryKind,
    pub year: i32,
    pub sub_quota: Option<SubQuota>,
    pub to_year: Option<i32>,
    pub to_sub_quota: Option<SubQuota>,
    pub places: i32,
    /// The UNHCR case number for commitments, releases and arrivals.
    pub case_no: Option<String>,
    pub exceptional_id: Option<Uuid>,
    pub author: String,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub reason: String,
}
