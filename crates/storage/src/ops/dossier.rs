//! Reading cases: a case's whole dossier, and the Cases view's search.

use chrono::NaiveDate;
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use super::cases::load_household;
use super::columns::int;
use super::columns::parse_uuid;
use super::decisions::decisions;
use super::selection::{interviews, latest_score, load_flags};
use super::Backend;
use super::Dialect;
use super::{append_audit, corrupt};
use super::{Conn, Db};
use crate::types::{search_words, CaseRef, DEFAULT_LIMIT};
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::dossier::{
    Attendance, CaseQuery, CaseRow, CaseSearch, Commitment, Declaration, Dossier, MissionRef,
    Transition,
};
use resettle_domain::{workflow, CaseDeadline};

impl Backend {
    pub(crate) async fn dossier(
        &self,
        case_no: &str,
        today: NaiveDate,
        reader: &str,
    ) -> Result<Dossier, StoreError> {
        self.authorize(reader, Permission::ReadCases).await?;
        let dossier = self.read_dossier(case_no, today).await?;
        let sensitive = dossier.sensitive_contents();
        if !sensitive.is_empty() {
            let mut tx = self.begin_as(reader, Permission::ReadCases).await?;
            let subject = format!("{} {}", dossier.household.id, sensitive.join(","));
            append_audit(&mut tx, reader, "case.sensitive_read", &subject).await?;
            tx.commit().await?;
        }
        Ok(dossier)
    }

    pub(super) async fn read_dossier(&self, case_no: &str, today: NaiveDate) -> Result<Dossier, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let household = load_household(&mut conn, CaseRef::Number(case_no)).await?;
        let id = household.id;
        let mission = match household.mission_id {
            Some(m) => sqlx::query("SELECT name, strategic FROM missions WHERE id = $1")
                .bind(m.to_string())
                .fetch_optional(&mut *conn)
                .await?
                .map(|r| -> Result<MissionRef, StoreError> {
                    Ok(MissionRef {
                        id: m,
                        name: r.try_get("name")?,
                        strategic: r.try_get("strategic")?,
                    })
                })
                .transpose()?,
            None => None,
        };
        let departed_on: Option<NaiveDate> =
            sqlx::query_scalar("SELECT departed_on FROM cases WHERE id = $1")
                .bind(id.to_string())
                .fetch_one(&mut *conn)
                .await?;
        let deadline = CaseDeadline::new(
            id,
            household.unhcr_case_no.clone(),
            household.priority,
            household.status,
            household.submission_date,
            departed_on,
            today,
        );
        let adults = household
            .members
            .iter()
            .filter(|m| m.is_adult_on(today))
            .map(|m| m.id)
            .collect();
        Ok(Dossier {
            mission,
            deadline,
            interviews: interviews(&mut conn, id).await?,
            flags: load_flags(&mut conn, id).await?,
            score: latest_score(&mut conn, id).await?,
            decisions: decisions(&mut conn, id).await?,
            transitions: transitions(&mut conn, id).await?,
            declarations: declarations(&mut conn, id).await?,
            attendance: attendance(&mut conn, id).await?,
            commitments: commitments(&mut conn, id).await?,
            erasures: super::privacy::erasures_of(&mut conn, id).await?,
            consents: super::consents::consents(&mut conn, id).await?,
            next: workflow::next_statuses(household.status, household.route).to_vec(),
            adults,
            household,
        })
    }

    pub(crate) async fn search_cases(
        &self,
        query: &CaseQuery,
        reader: &str,
    ) -> Result<CaseSearch, StoreError> {
        self.authorize(reader, Permission::ReadCases).await?;
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
        let words = search_words(query.text.as_deref().unwrap_or(""));
        let filters = |b: &mut QueryBuilder<'_, Db>| {
            b.push(" WHERE 1 = 1");
            if !words.is_empty() {
                Backend::text_match(b, &words);
            }
            if let Some(n) = query.nationality.as_deref().filter(|n| !n.is_empty()) {
                b.push(" AND c.nationality = ").push_bind(n.to_uppercase());
            }
            if let Some(p) = query.priority {
                b.push(" AND c.priority = ").push_bind(p.code());
            }
            if let Some(s) = query.status {
                b.push(" AND c.status = ").push_bind(s.code());
            }
            if let Some(m) = query.mission {
                b.push(" AND c.mission_id = ").push_bind(m.to_string());
            }
        };
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM cases c");
        filters(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        let mut rows = QueryBuilder::new(
            "SELECT c.unhcr_case_no, c.nationality, c.priority, c.status, c.submission_date,
                    m.name AS mission,
                    (SELECT p.given_name || ' ' || p.family_name FROM persons p
                     WHERE p.case_id = c.id ORDER BY p.relationship != 'principal', p.position
                     LIMIT 1) AS principal,
                    (SELECT COUNT(*) FROM persons p WHERE p.case_id = c.id) AS members
             FROM cases c LEFT JOIN missions m ON m.id = c.mission_id",
        );
        filters(&mut rows);
        rows.push(" ORDER BY c.submission_date DESC, c.unhcr_case_no LIMIT ")
            .push_bind(i64::from(limit));
        let rows = rows.build().fetch_all(&self.pool).await?;
        let rows = rows
            .iter()
            .map(|r| {
                Ok(CaseRow {
                    unhcr_case_no: r.try_get("unhcr_case_no")?,
                    principal: r
                        .try_get::<Option<String>, _>("principal")?
                        .unwrap_or_default(),
                    members: r.try_get::<i64, _>("members")? as u32,
                    nationality: r.try_get("nationality")?,
                    priority: r
                        .try_get::<String, _>("priority")?
                        .parse()
                        .map_err(corrupt)?,
                    status: r.try_get::<String, _>("status")?.parse().map_err(corrupt)?,
                    submission_date: r.try_get("submission_date")?,
                    mission: r.try_get("mission")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(CaseSearch {
            total: total as u32,
            rows,
        })
    }
}

/// Writes a case's row in the search index (after the case and its members).
pub(super) async fn index_case(
    conn: &mut Conn,
    household: &resettle_domain::Household,
) -> Result<(), StoreError> {
    let mut text = format!("{} {}", household.unhcr_case_no, household.rrf_ref);
    for m in &household.members {
        text.push(' ');
        text.push_str(&m.given_name);
        text.push(' ');
        text.push_str(&m.family_name);
    }
    let terms = search_words(&text).join(" ");
    sqlx::query(
        "INSERT INTO case_search (rowid, terms)
         SELECT rowid, $1 FROM cases WHERE id = $2",
    )
    .bind(terms)
    .bind(household.id.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn transitions(conn: &mut Conn, case_id: Uuid) -> Result<Vec<Transition>, StoreError> {
    let rows = sqlx::query(
        "SELECT from_status, to_status, at, actor, reason FROM case_transitions
         WHERE case_id = $1 ORDER BY seq",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Transition {
                from: r
                    .try_get::<String, _>("from_status")?
                    .parse()
                    .map_err(corrupt)?,
                to: r
                    .try_get::<String, _>("to_status")?
                    .parse()
                    .map_err(corrupt)?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

async fn declarations(conn: &mut Conn, case_id: Uuid) -> Result<Vec<Declaration>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.person_id, d.signed_on, d.place FROM declarations d
         JOIN persons p ON p.id = d.person_id WHERE p.case_id = $1 ORDER BY p.position",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Declaration {
                person_id: parse_uuid(&r.try_get::<String, _>("person_id")?)?,
                signed_on: r.try_get("signed_on")?,
                place: r.try_get("place")?,
            })
        })
        .collect()
}

async fn attendance(conn: &mut Conn, case_id: Uuid) -> Result<Vec<Attendance>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.person_id, a.society_lessons, a.danish_lessons FROM orientation_attendance a
         JOIN persons p ON p.id = a.person_id WHERE p.case_id = $1 ORDER BY p.position",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Attendance {
                person_id: parse_uuid(&r.try_get::<String, _>("person_id")?)?,
                society_lessons: r.try_get::<i64, _>("society_lessons")? as u32,
                danish_lessons: r.try_get::<i64, _>("danish_lessons")? as u32,
            })
        })
        .collect()
}

async fn commitments(conn: &mut Conn, case_id: Uuid) -> Result<Vec<Commitment>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.start_year, e.year, e.sub_quota,
                CAST(SUM(CASE e.kind WHEN 'commitment' THEN e.places ELSE -e.places END) AS BIGINT) AS held,
                CAST(SUM(CASE e.kind WHEN 'arrival' THEN e.places ELSE 0 END) AS BIGINT) AS used
         FROM quota_entries e JOIN quota_periods p ON p.id = e.period_id
         WHERE e.case_id = $1
         GROUP BY p.start_year, e.year, e.sub_quota ORDER BY e.year, e.sub_quota",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut list = Vec::new();
    for r in &rows {
        let held: i64 = r.try_get("held")?;
        let used: i64 = r.try_get("used")?;
        let sub_quota = r
            .try_get::<String, _>("sub_quota")?
            .parse()
            .map_err(corrupt)?;
        for (places, used) in [(held, false), (used, true)] {
            if places > 0 {
                list.push(Commitment {
                    period: int(r, "start_year")?,
                    year: int(r, "year")?,
                    sub_quota,
                    places: places as u32,
                    used,
                });
            }
        }
    }
    Ok(list)
}
