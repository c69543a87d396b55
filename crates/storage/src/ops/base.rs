//! The records everything else hangs on (municipalities, periods, missions, households)
//! and the overview of them. Shared by both backends (see `storage/mod.rs`).

use sqlx::{Row, Transaction};

use super::audit::append_audit;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{corrupt, dossier, quota, Backend, Conn, Db, Dialect};
use crate::StoreError;
use resettle_demo::DemoData;
use resettle_domain::access::Permission;
use resettle_domain::case::adult_if_born_by;
use resettle_domain::deadline;
use resettle_domain::overview::PeriodSummary;
use resettle_domain::workflow::awaits_decision;
use resettle_domain::{
    CaseStatus, Dashboard, Household, Mission, Municipality, Overview, Priority, PriorityCounts,
    QuotaPeriod, YearQuota,
};

impl Backend {
    pub(crate) async fn overview(&self) -> Result<Overview, StoreError> {
        let counts = sqlx::query(
            "SELECT
                (SELECT COUNT(*) FROM cases) AS households,
                (SELECT COUNT(*) FROM persons) AS persons,
                (SELECT COUNT(*) FROM missions) AS missions,
                (SELECT COUNT(*) FROM municipalities) AS municipalities,
                (SELECT COUNT(*) FROM cases WHERE priority = 'emergency') AS emergency,
                (SELECT COUNT(*) FROM cases WHERE priority = 'urgent') AS urgent,
                (SELECT COUNT(*) FROM cases WHERE priority = 'normal') AS normal",
        )
        .fetch_one(&self.pool)
        .await?;
        let count = |name: &str| -> Result<u32, StoreError> {
            let n: i64 = counts.try_get(name)?;
            u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{name} count {n}")))
        };
        // Until the quota engine tracks which period is open, the Overview shows the latest.
        let period = sqlx::query(
            "SELECT start_year, years, total_places FROM quota_periods
             ORDER BY start_year DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?
        .map(|row| -> Result<PeriodSummary, StoreError> {
            let start_year: i64 = row.try_get("start_year")?;
            let years: i64 = row.try_get("years")?;
            let total: i64 = row.try_get("total_places")?;
            Ok(PeriodSummary {
                start_year: start_year as i32,
                end_year: (start_year + years - 1) as i32,
                total_places: total as u32,
            })
        })
        .transpose()?;
        Ok(Overview {
            households: count("households")?,
            persons: count("persons")?,
            missions: count("missions")?,
            municipalities: count("municipalities")?,
            by_priority: PriorityCounts {
                emergency: count("emergency")?,
                urgent: count("urgent")?,
                normal: count("normal")?,
            },
            period,
        })
    }

    /// What needs the office on `today`, for a user who reads cases: one read
    /// transaction, so the counts agree with each other.
    pub(crate) async fn dashboard(
        &self,
        today: NaiveDate,
        actor: &str,
    ) -> Result<Dashboard, StoreError> {
        let mut tx = self.begin_read().await?;
        super::users::require(&mut tx, actor, Permission::ReadCases).await?;
        // The statuses are the domain's rules, spliced as codes of a closed vocabulary.
        let codes = |keep: fn(CaseStatus) -> bool| -> String {
            CaseStatus::ALL
                .iter()
                .filter(|s| keep(**s))
                .map(|s| format!("'{}'", s.code()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let open = codes(deadline::is_open);
        let (mut overdue, mut at_risk) = (0, 0);
        for priority in Priority::ALL {
            let c = deadline::cutoffs(*priority, today);
            let (late, risky): (i64, i64) = sqlx::query_as(&format!(
                "SELECT
                    COUNT(CASE WHEN submission_date < $2 THEN 1 END),
                    COUNT(CASE WHEN submission_date >= $2 THEN 1 END)
                 FROM cases
                 WHERE priority = $1 AND submission_date < $3 AND status IN ({open})"
            ))
            .bind(priority.code())
            .bind(c.overdue_before)
            .bind(c.at_risk_before)
            .fetch_one(&mut *tx)
            .await?;
            overdue += late;
            at_risk += risky;
        }
        // A case has an adult still to sign when its oldest unsigned member is one
        // (`cases.unsigned_oldest_born`, kept by triggers: migration 20261209000000).
        let before_departure =
            codes(|s| matches!(s, CaseStatus::Accepted | CaseStatus::PendingDeparture));
        let awaiting = codes(awaits_decision);
        let row = sqlx::query(&format!(
            "SELECT
                (SELECT COUNT(*) FROM cases WHERE status IN ({awaiting})) AS awaiting_decision,
                (SELECT COUNT(*) FROM placements WHERE status = 'proposed') AS proposals_to_send,
                (SELECT COUNT(*) FROM placements WHERE status = 'consulted') AS awaiting_answer,
                (SELECT COUNT(*) FROM cases
                 WHERE status IN ({before_departure}) AND unsigned_oldest_born <= $1
                ) AS declarations_missing,
                (SELECT COUNT(DISTINCT o.mission_id) FROM mission_bundles o
                 WHERE o.kind = 'checkout' AND o.direction = 'sent' AND NOT EXISTS (
                     SELECT 1 FROM mission_bundles r
                     WHERE r.mission_id = o.mission_id AND r.kind = 'return'
                       AND r.direction = 'received' AND r.at >= o.at
                 )) AS missions_in_field,
                (SELECT COUNT(*) FROM checkin_conflicts WHERE resolution IS NULL) AS open_conflicts"
        ))
        .bind(adult_if_born_by(today))
        .fetch_one(&mut *tx)
        .await?;
        // When the longest-waiting proposal was put to its municipality: its last move
        // to consulted.
        let oldest: Option<DateTime<Utc>> = sqlx::query_scalar(
            "SELECT t.at FROM placement_transitions t JOIN placements p ON p.id = t.placement_id
             WHERE p.status = 'consulted' AND t.to_status = 'consulted'
             ORDER BY t.at LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let year = today.year();
        let quota = quota::covering_status(&mut tx, year)
            .await?
            .and_then(|status| YearQuota::of(&status, year));
        tx.commit().await?;
        let count = |n: i64| u32::try_from(n).map_err(|_| corrupt(format!("count {n}")));
        let get = |name: &str| -> Result<u32, StoreError> { count(row.try_get::<i64, _>(name)?) };
        Ok(Dashboard {
            today,
            overdue: count(overdue)?,
            at_risk: count(at_risk)?,
            awaiting_decision: get("awaiting_decision")?,
            proposals_to_send: get("proposals_to_send")?,
            awaiting_answer: get("awaiting_answer")?,
            longest_wait_days: oldest.map(|at| (today - at.date_naive()).num_days().max(0) as u32),
            declarations_missing: get("declarations_missing")?,
            missions_in_field: get("missions_in_field")?,
            open_conflicts: get("open_conflicts")?,
            quota,
        })
    }

    pub(crate) async fn seed_demo(&self, data: &DemoData, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::LoadDemoData).await?;
        let (households, missions): (i64, i64) =
            sqlx::query_as("SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM missions)")
                .fetch_one(&mut *tx)
                .await?;
        if households > 0 || missions > 0 {
            return Err(StoreError::NotEmpty {
                households: households as u32,
                missions: missions as u32,
            });
        }
        for m in &data.municipalities {
            insert_municipality(&mut tx, m).await?;
        }
        insert_period(&mut tx, &data.period).await?;
        let allocations = resettle_domain::quota::Ledger::initial_allocations(&data.period, &[])?;
        quota::record_allocations(&mut tx, &data.period, &allocations, actor).await?;
        for m in &data.missions {
            insert_mission(&mut tx, m).await?;
        }
        for h in &data.households {
            insert_household(&mut tx, h).await?;
        }
        append_audit(
            &mut tx,
            actor,
            "demo_data.seeded",
            &format!(
                "{} households, {} missions, seed {}",
                data.households.len(),
                data.missions.len(),
                data.seed
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn municipalities(&self) -> Result<Vec<Municipality>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name, region_code, region_name FROM municipalities ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Municipality {
                    code: r.try_get::<i64, _>("code")? as u16,
                    name: r.try_get("name")?,
                    region_code: r.try_get::<i64, _>("region_code")? as u16,
                    region_name: r.try_get("region_name")?,
                })
            })
            .collect()
    }
}

pub(crate) async fn insert_municipality(
    tx: &mut Transaction<'_, Db>,
    m: &Municipality,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO municipalities (code, name, region_code, region_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(i64::from(m.code))
    .bind(&m.name)
    .bind(i64::from(m.region_code))
    .bind(&m.region_name)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn insert_period(conn: &mut Conn, p: &QuotaPeriod) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO quota_periods (id, start_year, years, total_places, carry_over, annual_cap)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(p.id.to_string())
    .bind(p.start_year)
    .bind(i64::from(p.years))
    .bind(i64::from(p.total_places))
    .bind(p.carry_over)
    .bind(i64::from(p.annual_cap))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn insert_mission(tx: &mut Conn, m: &Mission) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO missions (id, name, country_of_asylum, location, start_date, end_date,
                               target_places, strategic)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(m.id.to_string())
    .bind(&m.name)
    .bind(&m.country_of_asylum)
    .bind(&m.location)
    .bind(m.start_date)
    .bind(m.end_date)
    .bind(i64::from(m.target_places))
    .bind(m.strategic)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub(crate) async fn insert_household(conn: &mut Conn, h: &Household) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cases (id, unhcr_case_no, rrf_ref, country_of_asylum, nationality,
                            primary_category, secondary_category, priority, route,
                            submission_date, mission_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(h.id.to_string())
    .bind(&h.unhcr_case_no)
    .bind(&h.rrf_ref)
    .bind(&h.country_of_asylum)
    .bind(&h.nationality)
    .bind(h.primary_category.code())
    .bind(h.secondary_category.map(|c| c.code()))
    .bind(h.priority.code())
    .bind(h.route.code())
    .bind(h.submission_date)
    .bind(h.mission_id.map(|id| id.to_string()))
    .bind(h.status.code())
    .execute(&mut *conn)
    .await?;
    for (position, p) in h.members.iter().enumerate() {
        sqlx::query(
            "INSERT INTO persons (id, case_id, position, relationship, given_name, family_name,
                                  sex, date_of_birth, languages, literate, education_years,
                                  occupation, special_needs, tom_patient)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(p.id.to_string())
        .bind(h.id.to_string())
        .bind(position as i64)
        .bind(p.relationship.code())
        .bind(&p.given_name)
        .bind(&p.family_name)
        .bind(p.sex.code())
        .bind(p.date_of_birth)
        .bind(p.languages.join(";"))
        .bind(p.literate)
        .bind(i64::from(p.education_years))
        .bind(p.occupation.as_deref())
        .bind(p.special_needs.as_deref())
        .bind(p.tom_patient)
        .execute(&mut *conn)
        .await?;
    }
    dossier::index_case(conn, h).await
}
