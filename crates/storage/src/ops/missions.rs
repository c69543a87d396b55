//! Selection missions: planning (the mission and its team), the submissions attached to
//! it, and its progress against the target.

use chrono::NaiveDate;
use sqlx::Row;
use uuid::Uuid;

use super::corrupt;
use super::columns::parse_uuid;
use super::Conn;
use super::DbRow;
use super::{append_audit, insert_mission, Backend};
use resettle_domain::access::Permission;
use resettle_domain::mission::{MissionProgress, Organisation, TeamMember};
use resettle_domain::{CaseError, Mission};
use crate::StoreError;

impl Backend {
    pub(crate) async fn create_mission(&self, mission: &Mission, actor: &str) -> Result<(), StoreError> {
        mission.validate()?;
        let mut tx = self.begin_as(actor, Permission::PlanMissions).await?;
        insert_mission(&mut tx, mission).await?;
        append_audit(
            &mut tx,
            actor,
            "mission.created",
            &format!("mission {} ({})", mission.id, mission.name),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn missions(&self) -> Result<Vec<Mission>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {MISSION_COLUMNS} FROM missions ORDER BY start_date DESC, name"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(mission_from_row).collect()
    }

    pub(crate) async fn mission(&self, id: Uuid) -> Result<Mission, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_mission(&mut conn, id).await
    }

    pub(crate) async fn add_team_member(
        &self,
        mission: Uuid,
        name: &str,
        organisation: Organisation,
        role: &str,
        actor: &str,
    ) -> Result<TeamMember, StoreError> {
        if name.trim().is_empty() {
            return Err(CaseError::NameRequired.into());
        }
        let mut tx = self.begin_as(actor, Permission::PlanMissions).await?;
        check_mission(&mut tx, mission).await?;
        let member = TeamMember {
            id: Uuid::new_v4(),
            name: name.trim().to_owned(),
            organisation,
            role: role.trim().to_owned(),
        };
        sqlx::query(
            "INSERT INTO mission_team (id, mission_id, name, organisation, role)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(member.id.to_string())
        .bind(mission.to_string())
        .bind(&member.name)
        .bind(organisation.code())
        .bind(&member.role)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "mission.team",
            &format!("mission {mission}: {} ({organisation})", member.name),
        )
        .await?;
        tx.commit().await?;
        Ok(member)
    }

    pub(crate) async fn team(&self, mission: Uuid) -> Result<Vec<TeamMember>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, organisation, role FROM mission_team WHERE mission_id = $1
             ORDER BY organisation, name",
        )
        .bind(mission.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TeamMember {
                    id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                    name: r.try_get("name")?,
                    organisation: r
                        .try_get::<String, _>("organisation")?
                        .parse()
                        .map_err(corrupt)?,
                    role: r.try_get("role")?,
                })
            })
            .collect()
    }

    pub(crate) async fn attach_cases(
        &self,
        mission: Uuid,
        case_nos: &[String],
        actor: &str,
    ) -> Result<u32, StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlanMissions).await?;
        check_mission(&mut tx, mission).await?;
        for case_no in case_nos {
            let updated = sqlx::query("UPDATE cases SET mission_id = $1 WHERE unhcr_case_no = $2")
                .bind(mission.to_string())
                .bind(case_no)
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::NoSuchCase(case_no.clone()));
            }
        }
        append_audit(
            &mut tx,
            actor,
            "mission.cases_attached",
            &format!("mission {mission}: {} cases", case_nos.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(case_nos.len() as u32)
    }

    pub(crate) async fn mission_progress(
        &self,
        mission: Uuid,
        today: NaiveDate,
    ) -> Result<MissionProgress, StoreError> {
        let m = self.mission(mission).await?;
        let id = mission.to_string();
        let adult_born_by = today
            .checked_sub_months(chrono::Months::new(12 * 18))
            .unwrap_or(today);
        let r = sqlx::query(
            "WITH mc AS (SELECT id, status FROM cases WHERE mission_id = $1),
                  latest AS (
                      SELECT d.case_id, d.id, d.verdict FROM decisions d
                      WHERE d.case_id IN (SELECT id FROM mc)
                        AND d.rowid = (SELECT MAX(rowid) FROM decisions x WHERE x.case_id = d.case_id)),
                  accepted AS (
                      SELECT m.person_id FROM latest l JOIN decision_members m ON m.decision_id = l.id
                      JOIN mc ON mc.id = l.case_id
                      WHERE l.verdict = 'accept' AND mc.status != 'withdrawn')
             SELECT
                (SELECT COUNT(*) FROM mc) AS cases,
                (SELECT COUNT(*) FROM persons WHERE case_id IN (SELECT id FROM mc)) AS persons,
                (SELECT COUNT(DISTINCT case_id) FROM interviews
                 WHERE case_id IN (SELECT id FROM mc)) AS interviewed,
                (SELECT COUNT(DISTINCT case_id) FROM scores
                 WHERE case_id IN (SELECT id FROM mc)) AS scored,
                (SELECT COUNT(*) FROM latest) AS decided,
                (SELECT COUNT(*) FROM latest l JOIN mc ON mc.id = l.case_id
                 WHERE l.verdict = 'accept' AND mc.status != 'withdrawn') AS accepted_cases,
                (SELECT COUNT(*) FROM accepted) AS accepted_persons,
                (SELECT COUNT(*) FROM accepted a JOIN persons p ON p.id = a.person_id
                 WHERE p.date_of_birth <= $2) AS declarations_due,
                (SELECT COUNT(*) FROM accepted a JOIN persons p ON p.id = a.person_id
                 JOIN declarations d ON d.person_id = a.person_id
                 WHERE p.date_of_birth <= $2) AS declarations_signed,
                (SELECT COUNT(*) FROM orientation_attendance o JOIN persons p ON p.id = o.person_id
                 WHERE p.case_id IN (SELECT id FROM mc)
                   AND o.society_lessons = 10 AND o.danish_lessons = 10) AS orientation_complete",
        )
        .bind(&id)
        .bind(adult_born_by)
        .fetch_one(&self.pool)
        .await?;
        let n = |name: &str| -> Result<u32, StoreError> { Ok(r.try_get::<i64, _>(name)? as u32) };
        Ok(MissionProgress {
            cases: n("cases")?,
            persons: n("persons")?,
            interviewed: n("interviewed")?,
            scored: n("scored")?,
            decided: n("decided")?,
            accepted_cases: n("accepted_cases")?,
            accepted_persons: n("accepted_persons")?,
            target_places: m.target_places,
            declarations_signed: n("declarations_signed")?,
            declarations_due: n("declarations_due")?,
            orientation_complete: n("orientation_complete")?,
        })
    }
}

async fn check_mission(conn: &mut Conn, mission: Uuid) -> Result<(), StoreError> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM missions WHERE id = $1")
        .bind(mission.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::NoSuchMission(mission.to_string()))
}

const MISSION_COLUMNS: &str =
    "id, name, country_of_asylum, location, start_date, end_date, target_places, strategic";

/// One mission, inside the caller's transaction or connection.
pub(super) async fn load_mission(conn: &mut Conn, id: Uuid) -> Result<Mission, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {MISSION_COLUMNS} FROM missions WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NoSuchMission(id.to_string()))?;
    mission_from_row(&row)
}

fn mission_from_row(r: &DbRow) -> Result<Mission, StoreError> {
    Ok(Mission {
        id: parse_uuid(&r.try_get::<String, _>("id")?)?,
        name: r.try_get("name")?,
        country_of_asylum: r.try_get("country_of_asylum")?,
        location: r.try_get("location")?,
        start_date: r.try_get("start_date")?,
        end_date: r.try_get("end_date")?,
        target_places: r.try_get::<i64, _>("target_places")? as u32,
        strategic: r.try_get("strategic")?,
    })
}
