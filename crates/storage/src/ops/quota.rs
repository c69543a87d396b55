//! The quota ledger in SQLite. Every change runs in one `BEGIN IMMEDIATE` transaction:
//! it takes the write lock before it reads the balances, so two users accepting cases at
//! the same time are served one after the other and can never both take the last places.

use chrono::{DateTime, Utc};
use sqlx::{Row, Transaction};
use uuid::Uuid;

use super::cases::load_household;
use super::columns::{int, opt_int, parse_uuid};
use super::{append_audit, Backend};
use super::{Conn, Db, DbRow};
use crate::types::{CaseRef, Change, Recorded};
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::quota::{
    CaseCommitment, Charges, Columns, EntryKind, ExceptionalSituation, Ledger, LedgerEntry,
    Movement, QuotaError, QuotaPeriod, QuotaStatus, SubQuota,
};
use resettle_domain::Household;

impl Backend {
    pub(crate) async fn create_period(
        &self,
        period: &QuotaPeriod,
        allocations: &[(i32, SubQuota, u32)],
        change: &Change<'_>,
    ) -> Result<Recorded, StoreError> {
        let movements = Ledger::initial_allocations(period, allocations)?;
        change.check()?;
        let mut tx = self
            .begin_as(change.author, Permission::ChangeQuotas)
            .await?;
        for other in periods(&mut tx).await? {
            if other.overlaps(period) {
                return Err(QuotaError::PeriodOverlaps {
                    start_year: period.start_year,
                    end_year: period.end_year(),
                    other_start: other.start_year,
                    other_end: other.end_year(),
                }
                .into());
            }
        }
        super::insert_period(&mut tx, period).await?;
        let ledger = Ledger::replay(period.clone(), &movements)?;
        record(&mut tx, period, &movements, None, None, change).await?;
        append_audit(
            &mut tx,
            change.author,
            "quota.period_created",
            &format!(
                "period {}-{}, {} places",
                period.start_year,
                period.end_year(),
                period.total_places
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Recorded {
            entries: movements.len(),
            status: ledger.status(),
        })
    }

    pub(crate) async fn quota_periods(&self) -> Result<Vec<QuotaPeriod>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        periods(&mut conn).await
    }

    pub(crate) async fn quota_status(&self, start_year: i32) -> Result<QuotaStatus, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Ok(load_ledger(&mut conn, start_year).await?.status())
    }

    pub(crate) async fn quota_status_from_entries(
        &self,
        start_year: i32,
    ) -> Result<QuotaStatus, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let period = period(&mut conn, start_year).await?;
        let rows = sqlx::query(
            "SELECT kind, year, sub_quota, to_year, to_sub_quota, places FROM quota_entries
             WHERE period_id = $1 ORDER BY seq",
        )
        .bind(period.id.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let movements = rows.iter().map(movement).collect::<Result<Vec<_>, _>>()?;
        Ok(Ledger::replay(period, &movements)?.status())
    }

    pub(crate) async fn quota_history(
        &self,
        start_year: i32,
        limit: u32,
        kind: Option<EntryKind>,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let period = period(&mut conn, start_year).await?;
        let rows = sqlx::query(
            "SELECT e.seq, e.kind, e.year, e.sub_quota, e.to_year, e.to_sub_quota, e.places,
                    c.unhcr_case_no, e.exceptional_id, e.author, e.at, e.reason
             FROM quota_entries e LEFT JOIN cases c ON c.id = e.case_id
             WHERE e.period_id = $1 AND ($2 IS NULL OR e.kind = $3)
             ORDER BY e.seq DESC LIMIT $4",
        )
        .bind(period.id.to_string())
        .bind(kind.map(EntryKind::code))
        .bind(kind.map(EntryKind::code))
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|r| {
                let (kind, year, sub_quota, to_year, to_sub_quota, places) = columns(r)?;
                Ok(LedgerEntry {
                    seq: r.try_get::<i64, _>("seq")? as u32,
                    kind,
                    year,
                    sub_quota,
                    to_year,
                    to_sub_quota,
                    places: places as i32,
                    case_no: r.try_get("unhcr_case_no")?,
                    exceptional_id: r
                        .try_get::<Option<String>, _>("exceptional_id")?
                        .map(|s| parse_uuid(&s))
                        .transpose()?,
                    author: r.try_get("author")?,
                    at: r.try_get::<DateTime<Utc>, _>("at")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }

    pub(crate) async fn allocate(
        &self,
        start_year: i32,
        year: i32,
        sub: SubQuota,
        places: u32,
        exceptional: Option<Uuid>,
        change: &Change<'_>,
    ) -> Result<Recorded, StoreError> {
        change.check()?;
        let mut tx = self
            .begin_as(change.author, Permission::ChangeQuotas)
            .await?;
        let ledger = load_ledger(&mut tx, start_year).await?;
        let exceptional = match exceptional {
            Some(id) => Some(load_exceptional(&mut tx, ledger.period(), id).await?),
            None => None,
        };
        let movements = ledger.allocate(year, sub, places, exceptional.as_ref())?;
        finish(
            tx,
            ledger,
            &movements,
            None,
            exceptional.as_ref(),
            change,
            "quota.allocated",
            &format!("period {start_year}: {sub} {year} set to {places}"),
        )
        .await
    }

    pub(crate) async fn reallocate(
        &self,
        start_year: i32,
        year: i32,
        from: SubQuota,
        to: SubQuota,
        places: u32,
        change: &Change<'_>,
    ) -> Result<Recorded, StoreError> {
        change.check()?;
        let mut tx = self
            .begin_as(change.author, Permission::ChangeQuotas)
            .await?;
        let ledger = load_ledger(&mut tx, start_year).await?;
        let movements = ledger.reallocate(year, from, to, places)?;
        finish(
            tx,
            ledger,
            &movements,
            None,
            None,
            change,
            "quota.reallocated",
            &format!("period {start_year}: {places} places in {year} from {from} to {to}"),
        )
        .await
    }

    pub(crate) async fn close_year(
        &self,
        start_year: i32,
        year: i32,
        change: &Change<'_>,
    ) -> Result<Recorded, StoreError> {
        change.check()?;
        let mut tx = self
            .begin_as(change.author, Permission::ChangeQuotas)
            .await?;
        let ledger = load_ledger(&mut tx, start_year).await?;
        let movements = ledger.close_year(year)?;
        finish(
            tx,
            ledger,
            &movements,
            None,
            None,
            change,
            "quota.year_closed",
            &format!("period {start_year}: {year} closed"),
        )
        .await
    }

    pub(crate) async fn record_exceptional(
        &self,
        start_year: i32,
        year: i32,
        change: &Change<'_>,
    ) -> Result<ExceptionalSituation, StoreError> {
        change.check()?;
        let mut tx = self
            .begin_as(change.author, Permission::ChangeQuotas)
            .await?;
        let period = period(&mut tx, start_year).await?;
        if !period.contains(year) {
            return Err(QuotaError::YearOutsidePeriod {
                year,
                start_year,
                end_year: period.end_year(),
            }
            .into());
        }
        let e = ExceptionalSituation {
            id: Uuid::new_v4(),
            year,
            reason: change.reason.to_owned(),
            decided_by: change.author.to_owned(),
            at: Utc::now(),
        };
        sqlx::query(
            "INSERT INTO exceptional_situations (id, period_id, year, reason, decided_by, at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.id.to_string())
        .bind(period.id.to_string())
        .bind(year)
        .bind(&e.reason)
        .bind(&e.decided_by)
        .bind(e.at)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            change.author,
            "quota.exceptional_situation",
            &format!("period {start_year}: {year}, decision {}", e.id),
        )
        .await?;
        tx.commit().await?;
        Ok(e)
    }

    pub(crate) async fn commit_case(
        &self,
        case_no: &str,
        start_year: i32,
        year: Option<i32>,
        exceptional: Option<Uuid>,
        change: &Change<'_>,
    ) -> Result<Recorded, StoreError> {
        change.check()?;
        let mut tx = self
            .begin_as(change.author, Permission::DecideCases)
            .await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let everyone: Vec<Uuid> = household.members.iter().map(|m| m.id).collect();
        let plan = plan_commitment(
            &mut tx,
            &household,
            start_year,
            year,
            exceptional,
            &everyone,
        )
        .await?;
        plan.finish(tx, household.id, change).await
    }

    pub(crate) async fn release_case(
        &self,
        case_no: &str,
        change: &Change<'_>,
    ) -> Result<Recorded, StoreError> {
        self.settle_case(case_no, change, false).await
    }

    pub(crate) async fn arrive_case(
        &self,
        case_no: &str,
        change: &Change<'_>,
    ) -> Result<Recorded, StoreError> {
        self.settle_case(case_no, change, true).await
    }

    async fn settle_case(
        &self,
        case_no: &str,
        change: &Change<'_>,
        arrived: bool,
    ) -> Result<Recorded, StoreError> {
        change.check()?;
        let mut tx = self
            .begin_as(change.author, Permission::DecideCases)
            .await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        match plan_settlement(&mut tx, &household, arrived).await? {
            Some(plan) => plan.finish(tx, household.id, change).await,
            None => Err(QuotaError::NothingCommitted(case_no.to_owned()).into()),
        }
    }
}

/// Ledger movements worked out inside a write transaction, waiting to be recorded.
pub(super) struct Plan {
    ledger: Ledger,
    movements: Vec<Movement>,
    exceptional: Option<ExceptionalSituation>,
    action: &'static str,
    subject: String,
}

impl Plan {
    /// Records the movements (see `finish`) and commits the transaction.
    pub(super) async fn finish(
        self,
        tx: Transaction<'static, Db>,
        case_id: Uuid,
        change: &Change<'_>,
    ) -> Result<Recorded, StoreError> {
        finish(
            tx,
            self.ledger,
            &self.movements,
            Some(case_id),
            self.exceptional.as_ref(),
            change,
            self.action,
            &self.subject,
        )
        .await
    }
}

/// The commitment of a household's `accepted` members to a year of the period starting
/// in `start_year` (its open year if `year` is None); refused when the case already holds
/// places or the ledger has too few.
pub(super) async fn plan_commitment(
    conn: &mut Conn,
    household: &Household,
    start_year: i32,
    year: Option<i32>,
    exceptional: Option<Uuid>,
    accepted: &[Uuid],
) -> Result<Plan, StoreError> {
    let case_no = &household.unhcr_case_no;
    if !case_commitments(conn, household.id).await?.is_empty() {
        return Err(QuotaError::AlreadyCommitted(case_no.clone()).into());
    }
    let ledger = load_ledger(conn, start_year).await?;
    let year = match year.or_else(|| ledger.open_year()) {
        Some(y) => y,
        None => return Err(QuotaError::YearClosed(ledger.period().end_year()).into()),
    };
    let exceptional = match exceptional {
        Some(id) => Some(load_exceptional(conn, ledger.period(), id).await?),
        None => None,
    };
    let charges = Charges::for_household(household, |id| accepted.contains(id));
    let movements = ledger.commit(year, &charges, exceptional.as_ref())?;
    Ok(Plan {
        ledger,
        movements,
        exceptional,
        action: "quota.committed",
        subject: format!(
            "case {case_no}: {} persons charged to {year}",
            charges.total()
        ),
    })
}

/// The release (or, when `arrived`, the use) of the places a household holds; None when
/// it holds none.
pub(super) async fn plan_settlement(
    conn: &mut Conn,
    household: &Household,
    arrived: bool,
) -> Result<Option<Plan>, StoreError> {
    let committed = case_commitments(conn, household.id).await?;
    let Some(start_year) = committed.first().map(|(p, _)| *p) else {
        return Ok(None);
    };
    let ledger = load_ledger(conn, start_year).await?;
    let committed: Vec<CaseCommitment> = committed.into_iter().map(|(_, c)| c).collect();
    let (movements, action) = if arrived {
        (ledger.arrive(&committed)?, "quota.arrived")
    } else {
        (ledger.release(&committed)?, "quota.released")
    };
    Ok(Some(Plan {
        ledger,
        movements,
        exceptional: None,
        action,
        subject: format!("case {}", household.unhcr_case_no),
    }))
}

/// The period a year belongs to.
pub(super) async fn period_of_year(conn: &mut Conn, year: i32) -> Result<QuotaPeriod, StoreError> {
    periods(conn)
        .await?
        .into_iter()
        .find(|p| (p.start_year..=p.end_year()).contains(&year))
        .ok_or(StoreError::NoPeriodForYear(year))
}

/// Ends every ledger change the same way: checks the ledger after the new movements,
/// writes them and the audit entry, and commits.
#[allow(clippy::too_many_arguments)]
async fn finish(
    mut tx: Transaction<'static, Db>,
    mut ledger: Ledger,
    movements: &[Movement],
    case_id: Option<Uuid>,
    exceptional: Option<&ExceptionalSituation>,
    change: &Change<'_>,
    action: &str,
    subject: &str,
) -> Result<Recorded, StoreError> {
    for m in movements {
        ledger.apply(m)?;
    }
    ledger.check()?;
    if !movements.is_empty() {
        let period = ledger.period().clone();
        record(&mut tx, &period, movements, case_id, exceptional, change).await?;
        append_audit(&mut tx, change.author, action, subject).await?;
    }
    tx.commit().await?;
    Ok(Recorded {
        entries: movements.len(),
        status: ledger.status(),
    })
}

/// The period's first allocations, written by the demo data set.
pub(super) async fn record_allocations(
    conn: &mut Conn,
    period: &QuotaPeriod,
    movements: &[Movement],
    author: &str,
) -> Result<(), StoreError> {
    let change = Change {
        author,
        reason: "period created",
    };
    record(conn, period, movements, None, None, &change).await
}

async fn record(
    conn: &mut Conn,
    period: &QuotaPeriod,
    movements: &[Movement],
    case_id: Option<Uuid>,
    exceptional: Option<&ExceptionalSituation>,
    change: &Change<'_>,
) -> Result<(), StoreError> {
    let last: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM quota_entries WHERE period_id = $1")
            .bind(period.id.to_string())
            .fetch_one(&mut *conn)
            .await?;
    let at = Utc::now();
    for (i, m) in movements.iter().enumerate() {
        let (kind, year, sub, to_year, to_sub, places) = m.columns();
        let for_case = matches!(
            kind,
            EntryKind::Commitment | EntryKind::Release | EntryKind::Arrival
        );
        sqlx::query(
            "INSERT INTO quota_entries (id, period_id, seq, kind, year, sub_quota, to_year,
                 to_sub_quota, places, case_id, exceptional_id, author, at, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(period.id.to_string())
        .bind(last + 1 + i as i64)
        .bind(kind.code())
        .bind(year)
        .bind(sub.map(SubQuota::code))
        .bind(to_year)
        .bind(to_sub.map(SubQuota::code))
        .bind(places)
        .bind(case_id.filter(|_| for_case).map(|id| id.to_string()))
        .bind(exceptional.map(|e| e.id.to_string()))
        .bind(change.author)
        .bind(at)
        .bind(change.reason)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn periods(conn: &mut Conn) -> Result<Vec<QuotaPeriod>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, start_year, years, total_places, carry_over, annual_cap
         FROM quota_periods ORDER BY start_year",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(period_row).collect()
}

async fn period(conn: &mut Conn, start_year: i32) -> Result<QuotaPeriod, StoreError> {
    let row = sqlx::query(
        "SELECT id, start_year, years, total_places, carry_over, annual_cap
         FROM quota_periods WHERE start_year = $1",
    )
    .bind(start_year)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(QuotaError::NoSuchPeriod(start_year))?;
    period_row(&row)
}

fn period_row(r: &DbRow) -> Result<QuotaPeriod, StoreError> {
    Ok(QuotaPeriod {
        id: parse_uuid(&r.try_get::<String, _>("id")?)?,
        start_year: int(r, "start_year")?,
        years: r.try_get::<i64, _>("years")? as u8,
        total_places: r.try_get::<i64, _>("total_places")? as u32,
        carry_over: r.try_get("carry_over")?,
        annual_cap: r.try_get::<i64, _>("annual_cap")? as u32,
    })
}

/// The status of the period that covers `year`, if one does (the dashboard's and the
/// statistics' quota figures).
pub(super) async fn covering_status(
    conn: &mut Conn,
    year: i32,
) -> Result<Option<QuotaStatus>, StoreError> {
    let period: Option<i64> = sqlx::query_scalar(
        "SELECT start_year FROM quota_periods WHERE start_year <= $1 AND start_year + years > $1",
    )
    .bind(year)
    .fetch_optional(&mut *conn)
    .await?;
    match period {
        Some(start) => Ok(Some(load_ledger(conn, start as i32).await?.status())),
        None => Ok(None),
    }
}

/// The period's ledger from the database's sums per kind, year and sub-quota (each
/// movement's effect is linear in its places, so the sums replay to the same balances).
pub(super) async fn load_ledger(conn: &mut Conn, start_year: i32) -> Result<Ledger, StoreError> {
    let period = period(conn, start_year).await?;
    let rows = sqlx::query(
        "SELECT kind, year, sub_quota, to_year, to_sub_quota, CAST(SUM(places) AS BIGINT) AS places
         FROM quota_entries WHERE period_id = $1
         GROUP BY kind, year, sub_quota, to_year, to_sub_quota",
    )
    .bind(period.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let movements = rows.iter().map(movement).collect::<Result<Vec<_>, _>>()?;
    Ok(Ledger::replay(period, &movements)?)
}

fn columns(r: &DbRow) -> Result<Columns, StoreError> {
    let code = |name: &str| -> Result<Option<SubQuota>, StoreError> {
        r.try_get::<Option<String>, _>(name)?
            .map(|s| s.parse().map_err(|e| StoreError::Corrupt(format!("{e}"))))
            .transpose()
    };
    let kind: String = r.try_get("kind")?;
    Ok((
        kind.parse()
            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        int(r, "year")?,
        code("sub_quota")?,
        opt_int(r, "to_year")?,
        code("to_sub_quota")?,
        r.try_get("places")?,
    ))
}

fn movement(r: &DbRow) -> Result<Movement, StoreError> {
    Ok(Movement::from_columns(columns(r)?)?)
}

/// What a case has committed now, per period, year and sub-quota.
async fn case_commitments(
    conn: &mut Conn,
    case_id: Uuid,
) -> Result<Vec<(i32, CaseCommitment)>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.start_year, e.year, e.sub_quota,
                CAST(SUM(CASE e.kind WHEN 'commitment' THEN e.places ELSE -e.places END) AS BIGINT) AS places
         FROM quota_entries e JOIN quota_periods p ON p.id = e.period_id
         WHERE e.case_id = $1 AND e.kind IN ('commitment', 'release', 'arrival')
         GROUP BY p.start_year, e.year, e.sub_quota
         HAVING SUM(CASE e.kind WHEN 'commitment' THEN e.places ELSE -e.places END) > 0",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let sub: String = r.try_get("sub_quota")?;
            Ok((
                int(r, "start_year")?,
                CaseCommitment {
                    year: int(r, "year")?,
                    sub_quota: sub
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                    places: r.try_get::<i64, _>("places")? as u32,
                },
            ))
        })
        .collect()
}

async fn load_exceptional(
    conn: &mut Conn,
    period: &QuotaPeriod,
    id: Uuid,
) -> Result<ExceptionalSituation, StoreError> {
    let row = sqlx::query(
        "SELECT year, reason, decided_by, at FROM exceptional_situations
         WHERE id = $1 AND period_id = $2",
    )
    .bind(id.to_string())
    .bind(period.id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| QuotaError::NoSuchExceptional(id.to_string()))?;
    Ok(ExceptionalSituation {
        id,
        year: int(&row, "year")?,
        reason: row.try_get("reason")?,
        decided_by: row.try_get("decided_by")?,
        at: row.try_get("at")?,
    })
}
