//! The rules a change must pass before it becomes ledger entries. Each operation looks at
//! the current balances and returns the movements to record, or the reason it is refused;
//! it changes nothing itself, so a refusal leaves the ledger exactly as it was.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ledger::Cell;
use super::{
    CaseCommitment, Charges, Ledger, Movement, QuotaError, QuotaPeriod, Shortfall, SubQuota,
};

/// A recorded decision that a year may go above the annual cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionalSituation {
    pub id: Uuid,
    pub year: i32,
    pub reason: String,
    pub decided_by: String,
    pub at: DateTime<Utc>,
}

/// The default allocations of a period: its places split evenly over its years, and each
/// year's places over the sub-quotas in the proportions 395 / 75 / 30, with integers by the
/// largest-remainder method so that they add up to exactly the period's places.
pub fn default_allocations(period: &QuotaPeriod) -> Vec<(i32, SubQuota, u32)> {
    let years: Vec<i32> = period.year_list().collect();
    let per_year = largest_remainder(period.total_places, &vec![1; years.len()]);
    let weights: Vec<u32> = SubQuota::ALL.iter().map(|s| s.default_weight()).collect();
    years
        .iter()
        .zip(per_year)
        .flat_map(|(&year, places)| {
            largest_remainder(places, &weights)
                .into_iter()
                .zip(SubQuota::ALL)
                .map(move |(n, &sub)| (year, sub, n))
        })
        .collect()
}

/// Splits `total` in proportion to `weights`; ties in the remainders go to the earlier share.
fn largest_remainder(total: u32, weights: &[u32]) -> Vec<u32> {
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let exact: Vec<(u64, u64)> = weights
        .iter()
        .map(|&w| {
            let q = u64::from(total) * u64::from(w);
            (q / sum, q % sum)
        })
        .collect();
    let mut shares: Vec<u32> = exact.iter().map(|(q, _)| *q as u32).collect();
    let left = total - shares.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for &i in order.iter().take(left as usize) {
        shares[i] += 1;
    }
    shares
}

fn places(n: u32) -> i64 {
    i64::from(n)
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl Ledger {
    fn open(&self, year: i32) -> Result<(), QuotaError> {
        self.cell(year, SubQuota::Geographical)?;
        if self.is_closed(year) {
            return Err(QuotaError::YearClosed(year));
        }
        Ok(())
    }

    fn year_sum(&self, year: i32, f: impl Fn(&Cell) -> i64) -> i64 {
        SubQuota::ALL
            .iter()
            .map(|&s| f(&self.cells[&(year, s)]))
            .sum()
    }

    fn check_exceptional(
        &self,
        year: i32,
        would_be: i64,
        exceptional: Option<&ExceptionalSituation>,
    ) -> Result<(), QuotaError> {
        if would_be <= places(self.period.annual_cap) {
            return Ok(());
        }
        match exceptional {
            Some(e) if e.year == year => Ok(()),
            Some(e) => Err(QuotaError::ExceptionalForOtherYear {
                id: e.id.to_string(),
                recorded_for: e.year,
                year,
            }),
            None => Err(QuotaError::ExceedsAnnualCap {
                year,
                would_be: count(would_be),
                cap: self.period.annual_cap,
            }),
        }
    }

    /// The whole period's allocations, for creating it: the defaults, with any of the
    /// given (year, sub-quota, places) in place of the default for that year and sub-quota.
    pub fn initial_allocations(
        period: &QuotaPeriod,
        overrides: &[(i32, SubQuota, u32)],
    ) -> Result<Vec<Movement>, QuotaError> {
        period.validate()?;
        let mut cells = default_allocations(period);
        for &(year, sub, n) in overrides {
            let cell = cells
                .iter_mut()
                .find(|(y, s, _)| *y == year && *s == sub)
                .ok_or(QuotaError::YearOutsidePeriod {
                    year,
                    start_year: period.start_year,
                    end_year: period.end_year(),
                })?;
            cell.2 = n;
        }
        let mut ledger = Ledger::new(period.clone());
        let mut movements = Vec::new();
        for (year, sub, n) in cells {
            for m in ledger.allocate(year, sub, n, None)? {
                ledger.apply(&m)?;
                movements.push(m);
            }
        }
        Ok(movements)
    }

    /// Sets a year's allocation to a sub-quota to `target` places (recorded as the change).
    /// Refused for a closed year, below what is already committed, used or carried out,
    /// beyond the period's places, or above the annual cap without an exceptional situation.
    pub fn allocate(
        &self,
        year: i32,
        sub: SubQuota,
        target: u32,
        exceptional: Option<&ExceptionalSituation>,
    ) -> Result<Vec<Movement>, QuotaError> {
        self.open(year)?;
        let cell = self.cell(year, sub)?;
        let delta = places(target) - cell.allocated;
        if delta == 0 {
            return Ok(Vec::new());
        }
        if cell.available() + delta < 0 {
            return Err(QuotaError::BelowCommitted {
                year,
                sub_quota: sub,
                minimum: count(cell.allocated - cell.available()),
            });
        }
        let period_total: i64 = self.cells.values().map(|c| c.allocated).sum::<i64>() + delta;
        if period_total > places(self.period.total_places) {
            return Err(QuotaError::ExceedsPeriodTotal {
                would_be: count(period_total),
                total: self.period.total_places,
            });
        }
        if delta > 0 {
            let year_total = self.year_sum(year, |c| c.allocated) + delta;
            self.check_exceptional(year, year_total, exceptional)?;
        }
        Ok(vec![Movement::Allocation {
            year,
            sub_quota: sub,
            places: delta,
        }])
    }

    /// Moves available places of a year's allocation from one sub-quota to another.
    pub fn reallocate(
        &self,
        year: i32,
        from: SubQuota,
        to: SubQuota,
        n: u32,
    ) -> Result<Vec<Movement>, QuotaError> {
        self.open(year)?;
        if n == 0 {
            return Err(QuotaError::NoPlaces);
        }
        if from == to {
            return Err(QuotaError::SameSubQuota);
        }
        // Places carried in from an earlier year stay in their sub-quota: only the year's
        // own allocation can move, so no allocation goes below zero.
        let cell = self.cell(year, from)?;
        let available = cell.available().min(cell.allocated);
        if available < places(n) {
            return Err(QuotaError::NotEnoughPlaces(vec![Shortfall {
                year,
                sub_quota: from,
                needed: n,
                available: count(available),
            }]));
        }
        Ok(vec![Movement::Reallocation {
            year,
            from,
            to,
            places: places(n),
        }])
    }

    /// Charges an accepted case's persons to a year. Refused when any sub-quota lacks the
    /// places (the error lists each shortfall), or when the persons admitted in the year
    /// would pass the annual cap without an exceptional situation.
    pub fn commit(
        &self,
        year: i32,
        charges: &Charges,
        exceptional: Option<&ExceptionalSituation>,
    ) -> Result<Vec<Movement>, QuotaError> {
        self.open(year)?;
        if charges.total() == 0 {
            return Err(QuotaError::NoPlaces);
        }
        let shortfalls: Vec<Shortfall> = charges
            .iter()
            .filter_map(|(sub, needed)| {
                let available = self.cells[&(year, sub)].available();
                (available < places(needed)).then(|| Shortfall {
                    year,
                    sub_quota: sub,
                    needed,
                    available: count(available),
                })
            })
            .collect();
        if !shortfalls.is_empty() {
            return Err(QuotaError::NotEnoughPlaces(shortfalls));
        }
        let admitted = self.year_sum(year, |c| c.committed + c.used) + places(charges.total());
        self.check_exceptional(year, admitted, exceptional)?;
        Ok(charges
            .iter()
            .map(|(sub, n)| Movement::Commitment {
                year,
                sub_quota: sub,
                places: places(n),
            })
            .collect())
    }

    /// Gives a withdrawn case's committed places back. Places of a year that has closed
    /// meanwhile go on to the period's open year (or lapse, when carry-over is off or the
    /// period has ended), so a closed year never shows places available again.
    pub fn release(&self, case: &[CaseCommitment]) -> Result<Vec<Movement>, QuotaError> {
        let mut movements = Vec::new();
        for c in case.iter().filter(|c| c.places > 0) {
            self.cell(c.year, c.sub_quota)?;
            let n = places(c.places);
            movements.push(Movement::Release {
                year: c.year,
                sub_quota: c.sub_quota,
                places: n,
            });
            if self.is_closed(c.year) {
                movements.push(match self.open_year().filter(|_| self.period.carry_over) {
                    Some(to_year) => Movement::CarryOver {
                        from_year: c.year,
                        to_year,
                        sub_quota: c.sub_quota,
                        places: n,
                    },
                    None => Movement::Lapse {
                        year: c.year,
                        sub_quota: c.sub_quota,
                        places: n,
                    },
                });
            }
        }
        Ok(movements)
    }

    /// The case's persons arrived: its committed places become used.
    pub fn arrive(&self, case: &[CaseCommitment]) -> Result<Vec<Movement>, QuotaError> {
        case.iter()
            .filter(|c| c.places > 0)
            .map(|c| {
                self.cell(c.year, c.sub_quota)?;
                Ok(Movement::Arrival {
                    year: c.year,
                    sub_quota: c.sub_quota,
                    places: places(c.places),
                })
            })
            .collect()
    }

    /// Closes a year: each sub-quota's available places carry into the same sub-quota of
    /// the next year, or lapse in the period's last year (or always, with carry-over off).
    /// Years close in order, and once.
    pub fn close_year(&self, year: i32) -> Result<Vec<Movement>, QuotaError> {
        self.open(year)?;
        if let Some(open) = self.open_year().filter(|&y| y < year) {
            return Err(QuotaError::EarlierYearOpen { year, open });
        }
        let next = (year < self.period.end_year() && self.period.carry_over).then_some(year + 1);
        let mut movements: Vec<Movement> = SubQuota::ALL
            .iter()
            .filter_map(|&sub| {
                let n = self.cells[&(year, sub)].available();
                (n > 0).then_some(match next {
                    Some(to_year) => Movement::CarryOver {
                        from_year: year,
                        to_year,
                        sub_quota: sub,
                        places: n,
                    },
                    None => Movement::Lapse {
                        year,
                        sub_quota: sub,
                        places: n,
                    },
                })
            })
            .collect();
        movements.push(Movement::YearClosed { year });
        Ok(movements)
    }
}
