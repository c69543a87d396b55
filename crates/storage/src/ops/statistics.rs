//! The facts behind the year's statistics, read in one transaction; the tallies are the
//! domain's (`statistics::compile`). Shared by both backends (see `storage/mod.rs`).

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::Row;

use super::{corrupt, quota, Backend, Dialect};
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::decision::Verdict;
use resettle_domain::quota::SubQuota;
use resettle_domain::statistics::{compile, Arrival, Departure, Statistics};

impl Backend {
    /// The statistics of `year` (arrivals and departures by their day, decisions and
    /// withdrawals by their time, the quota by its year), for a user who reads cases.
    pub(crate) async fn statistics(
        &self,
        year: i32,
        actor: &str,
    ) -> Result<Statistics, StoreError> {
        let mut tx = self.begin_read().await?;
        super::users::require(&mut tx, actor, Permission::ReadCases).await?;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| corrupt(year))?;
        let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or_else(|| corrupt(year))?;
        // Persons are those the arrival used places for: a split decision's accepted ones.
        let mut used: HashMap<String, Vec<(SubQuota, u32)>> = HashMap::new();
        for r in sqlx::query(
            "SELECT e.case_id, e.sub_quota, CAST(SUM(e.places) AS BIGINT) AS places
             FROM quota_entries e JOIN cases c ON c.id = e.case_id
             WHERE e.kind = 'arrival' AND c.arrived_on >= $1 AND c.arrived_on < $2
             GROUP BY e.case_id, e.sub_quota ORDER BY e.case_id, e.sub_quota",
        )
        .bind(first)
        .bind(next)
        .fetch_all(&mut *tx)
        .await?
        {
            let sub: SubQuota = r
                .try_get::<String, _>("sub_quota")?
                .parse()
                .map_err(corrupt)?;
            used.entry(r.try_get("case_id")?)
                .or_default()
                .push((sub, r.try_get::<i64, _>("places")? as u32));
        }
        // In no order: the tallies (`compile`) are the same in any.
        let mut arrivals = Vec::new();
        for r in sqlx::query(
            "SELECT c.id, c.nationality, c.primary_category, c.priority,
                    m.code, m.name, m.region_name
             FROM cases c
             LEFT JOIN placements p ON p.case_id = c.id AND p.status = 'confirmed'
             LEFT JOIN municipalities m ON m.code = p.municipality
             WHERE c.status = 'arrived' AND c.arrived_on >= $1 AND c.arrived_on < $2",
        )
        .bind(first)
        .bind(next)
        .fetch_all(&mut *tx)
        .await?
        {
            let sub_quotas = used
                .remove(&r.try_get::<String, _>("id")?)
                .unwrap_or_default();
            let code: Option<i64> = r.try_get("code")?;
            arrivals.push(Arrival {
                nationality: r.try_get("nationality")?,
                category: r
                    .try_get::<String, _>("primary_category")?
                    .parse()
                    .map_err(corrupt)?,
                priority: r
                    .try_get::<String, _>("priority")?
                    .parse()
                    .map_err(corrupt)?,
                persons: sub_quotas.iter().map(|(_, n)| n).sum(),
                sub_quotas,
                municipality: match code {
                    Some(code) => {
                        Some((code as u16, r.try_get("name")?, r.try_get("region_name")?))
                    }
                    None => None,
                },
            });
        }
        let departures = sqlx::query(
            "SELECT priority, submission_date, departed_on FROM cases
             WHERE status IN ('departed', 'arrived') AND departed_on >= $1 AND departed_on < $2",
        )
        .bind(first)
        .bind(next)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok(Departure {
                priority: r
                    .try_get::<String, _>("priority")?
                    .parse()
                    .map_err(corrupt)?,
                submitted: r.try_get("submission_date")?,
                departed: r.try_get("departed_on")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        // Times are compared as times (Dialect::later): from the last instant of the year
        // before to the last instant of this one.
        let bounds = |y: i32| format!("{y}-12-31T23:59:59.999Z");
        let in_year = |column: &str| {
            format!(
                "{} AND NOT {}",
                Backend::later(column, "$1"),
                Backend::later(column, "$2")
            )
        };
        let verdicts = sqlx::query(&format!(
            "SELECT verdict FROM decisions WHERE {}",
            in_year("decided_at")
        ))
        .bind(bounds(year - 1))
        .bind(bounds(year))
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            r.try_get::<String, _>("verdict")?
                .parse::<Verdict>()
                .map_err(corrupt)
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let withdrawn: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM case_transitions WHERE to_status = 'withdrawn' AND {}",
            in_year("at")
        ))
        .bind(bounds(year - 1))
        .bind(bounds(year))
        .fetch_one(&mut *tx)
        .await?;
        let status = quota::covering_status(&mut tx, year).await?;
        tx.commit().await?;
        Ok(compile(
            year,
            &arrivals,
            &departures,
            &verdicts,
            withdrawn as u32,
            status.as_ref().and_then(|s| s.year(year)),
        ))
    }
}
