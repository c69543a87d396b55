//! Cases (households) and their members, and the priority deadline list.

use chrono::NaiveDate;
use sqlx::Row;

use uuid::Uuid;

use super::corrupt;
use super::columns::parse_uuid;
use super::Conn;
use super::{append_audit, insert_household, Backend};
use resettle_domain::access::Permission;
use resettle_domain::deadline::{self, sort_by_urgency};
use resettle_domain::{CaseDeadline, CaseStatus, Household, Person};
use resettle_domain::submission::{Problem, Submission};
use crate::types::{CaseRef, ImportReport};
use crate::StoreError;

/// One household with its members, in their recorded order.
pub(super) async fn load_household(
    conn: &mut Conn,
    case: CaseRef<'_>,
) -> Result<Household, StoreError> {
    let CaseRef::Number(number) = case;
    let r = sqlx::query(
        "SELECT id, unhcr_case_no, rrf_ref, country_of_asylum, nationality, primary_category,
                secondary_category, priority, route, submission_date, mission_id, status
         FROM cases WHERE unhcr_case_no = $1",
    )
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NoSuchCase(number.to_owned()))?;
    let id = parse_uuid(&r.try_get::<String, _>("id")?)?;
    let members = sqlx::query(
        "SELECT id, relationship, given_name, family_name, sex, date_of_birth, languages,
                literate, education_years, occupation, special_needs, tom_patient
         FROM persons WHERE case_id = $1 ORDER BY position",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|p| {
        Ok(Person {
            id: parse_uuid(&p.try_get::<String, _>("id")?)?,
            relationship: p
                .try_get::<String, _>("relationship")?
                .parse()
                .map_err(corrupt)?,
            given_name: p.try_get("given_name")?,
            family_name: p.try_get("family_name")?,
            sex: p.try_get::<String, _>("sex")?.parse().map_err(corrupt)?,
            date_of_birth: p.try_get("date_of_birth")?,
            languages: p
                .try_get::<String, _>("languages")?
                .split(';')
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            literate: p.try_get("literate")?,
            education_years: p.try_get::<i64, _>("education_years")? as u8,
            occupation: p.try_get("occupation")?,
            special_needs: p.try_get("special_needs")?,
            tom_patient: p.try_get("tom_patient")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Household {
        id,
        unhcr_case_no: r.try_get("unhcr_case_no")?,
        rrf_ref: r.try_get("rrf_ref")?,
        country_of_asylum: r.try_get("country_of_asylum")?,
        nationality: r.try_get("nationality")?,
        primary_category: r
            .try_get::<String, _>("primary_category")?
            .parse()
            .map_err(corrupt)?,
        secondary_category: r
            .try_get::<Option<String>, _>("secondary_category")?
            .map(|c| c.parse().map_err(corrupt))
            .transpose()?,
        priority: r
            .try_get::<String, _>("priority")?
            .parse()
            .map_err(corrupt)?,
        route: r.try_get::<String, _>("route")?.parse().map_err(corrupt)?,
        submission_date: r.try_get("submission_date")?,
        mission_id: r
            .try_get::<Option<String>, _>("mission_id")?
            .map(|s| parse_uuid(&s))
            .transpose()?,
        status: r.try_get::<String, _>("status")?.parse().map_err(corrupt)?,
        members,
    })
}

impl Backend {
    pub(crate) async fn import_submissions(
        &self,
        submissions: Vec<Submission>,
        mission: Option<Uuid>,
        dry_run: bool,
        actor: &str,
    ) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        if let Some(id) = mission {
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM missions WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NoSuchMission(id.to_string()));
            }
        }
        let mut report = ImportReport {
            households: 0,
            persons: 0,
            unchanged: 0,
            dry_run,
        };
        let mut problems = Vec::new();
        for Submission {
            first_row,
            mut household,
        } in submissions
        {
            let exists: Option<String> =
                sqlx::query_scalar("SELECT id FROM cases WHERE unhcr_case_no = $1")
                    .bind(&household.unhcr_case_no)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_some() {
                let stored =
                    load_household(&mut tx, CaseRef::Number(&household.unhcr_case_no)).await?;
                if stored.same_submission(&household) {
                    report.unchanged += 1;
                } else {
                    problems.push(Problem {
                        row: first_row,
                        column: Some("unhcr_case_no".into()),
                        reason: format!(
                            "case {} already exists with different data; it is not overwritten",
                            household.unhcr_case_no
                        ),
                    });
                }
                continue;
            }
            household.mission_id = mission;
            insert_household(&mut tx, &household).await?;
            report.households += 1;
            report.persons += household.members.len() as u32;
        }
        if !problems.is_empty() {
            return Err(StoreError::Import(problems));
        }
        if dry_run {
            tx.rollback().await?;
            return Ok(report);
        }
        if report.households > 0 {
            append_audit(
                &mut tx,
                actor,
                "import.submissions",
                &format!(
                    "{} households, {} persons ({} unchanged)",
                    report.households, report.persons, report.unchanged
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    pub(crate) async fn deadlines(
        &self,
        today: NaiveDate,
        with_departed: bool,
    ) -> Result<Vec<CaseDeadline>, StoreError> {
        // Only the statuses the list shows are read; the rule of which ones is the domain's.
        let shown: Vec<String> = CaseStatus::ALL
            .iter()
            .filter(|s| {
                deadline::is_open(**s)
                    || with_departed && matches!(s, CaseStatus::Departed | CaseStatus::Arrived)
            })
            // Codes from the closed vocabulary, never user input.
            .map(|s| format!("'{}'", s.code()))
            .collect();
        let rows = sqlx::query(&format!(
            "SELECT id, unhcr_case_no, priority, status, submission_date, departed_on
             FROM cases WHERE status IN ({})",
            shown.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut list = Vec::new();
        for r in &rows {
            let status: CaseStatus = r.try_get::<String, _>("status")?.parse().map_err(corrupt)?;
            let departed_on: Option<NaiveDate> = r.try_get("departed_on")?;
            let departed = matches!(status, CaseStatus::Departed | CaseStatus::Arrived);
            list.push(CaseDeadline::new(
                parse_uuid(&r.try_get::<String, _>("id")?)?,
                r.try_get("unhcr_case_no")?,
                r.try_get::<String, _>("priority")?
                    .parse()
                    .map_err(corrupt)?,
                status,
                r.try_get("submission_date")?,
                departed_on.filter(|_| departed),
                today,
            ));
        }
        sort_by_urgency(&mut list);
        Ok(list)
    }
}
