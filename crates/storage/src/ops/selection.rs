//! The caseworker's records on a case before the decision: interviews (with their
//! sensitive notes and the assessed criteria), exclusion screening flags, the integration
//! rubric and scores, declarations and orientation attendance.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::cases::load_household;
use super::corrupt;
use super::columns::parse_uuid;
use super::Conn;
use super::{append_audit, Backend};
use resettle_domain::access::Permission;
use resettle_domain::dossier::{Interview, StoredScore};
use resettle_domain::mission::check_attendance;
use resettle_domain::scoring::{self, Method, Rubric};
use resettle_domain::screening::{
    check_flag_decision, ExclusionGround, FlagDecision, FlagResolution, ScreeningFlag,
};
use resettle_domain::{CaseError, CaseStatus, Household, Route};
use crate::types::{CaseRef, RubricVersion};
use crate::StoreError;

impl Backend {
    /// Records an interview (mission route) or examination (dossier route). The first one
    /// moves a submitted case to interviewed or examined. Assessments must name assessed
    /// criteria of the current rubric and their levels.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn record_interview(
        &self,
        case_no: &str,
        held_on: NaiveDate,
        interviewer: &str,
        notes: &str,
        assessments: BTreeMap<String, String>,
        today: NaiveDate,
        actor: &str,
    ) -> Result<Interview, StoreError> {
        if interviewer.trim().is_empty() {
            return Err(CaseError::NameRequired.into());
        }
        if held_on > today {
            return Err(CaseError::DateInFuture(held_on.to_string()).into());
        }
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let rubric = current_rubric(&mut tx, actor).await?;
        scoring::check_assessments(&rubric, &assessments)?;
        let seen = match household.route {
            Route::Mission => CaseStatus::Interviewed,
            Route::Dossier => CaseStatus::Examined,
        };
        match household.status {
            CaseStatus::Submitted => {
                transition(&mut tx, &household, seen, actor, "interview recorded").await?
            }
            CaseStatus::Interviewed | CaseStatus::Examined | CaseStatus::Deferred => {}
            from => {
                return Err(CaseError::TransitionNotAllowed {
                    case: case_no.to_owned(),
                    from,
                    to: seen,
                }
                .into())
            }
        }
        let interview = Interview {
            id: Uuid::new_v4(),
            held_on,
            interviewer: interviewer.trim().to_owned(),
            notes: notes.to_owned(),
            assessments,
        };
        sqlx::query(
            "INSERT INTO interviews (id, case_id, held_on, interviewer, notes, assessments,
                                     recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(interview.id.to_string())
        .bind(household.id.to_string())
        .bind(held_on)
        .bind(&interview.interviewer)
        .bind(notes)
        .bind(serde_json::to_string(&interview.assessments).map_err(corrupt)?)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "case.interviewed",
            &format!("case {case_no}"),
        )
        .await?;
        tx.commit().await?;
        Ok(interview)
    }

    pub(crate) async fn raise_flag(
        &self,
        case_no: &str,
        ground: ExclusionGround,
        note: &str,
        actor: &str,
    ) -> Result<ScreeningFlag, StoreError> {
        if note.trim().is_empty() {
            return Err(CaseError::ReasonsRequired.into());
        }
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let flag = ScreeningFlag {
            id: Uuid::new_v4(),
            ground,
            raised_by: actor.to_owned(),
            raised_at: Utc::now(),
            note: note.to_owned(),
            decision: None,
        };
        sqlx::query(
            "INSERT INTO screening_flags (id, case_id, ground, raised_by, raised_at, note)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(flag.id.to_string())
        .bind(household.id.to_string())
        .bind(ground.code())
        .bind(actor)
        .bind(flag.raised_at)
        .bind(note)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "screening.flag_raised",
            &format!("case {case_no}: {ground}"),
        )
        .await?;
        tx.commit().await?;
        Ok(flag)
    }

    pub(crate) async fn decide_flag(
        &self,
        case_no: &str,
        flag_id: Uuid,
        resolution: FlagResolution,
        by: &str,
        reason: &str,
        actor: &str,
    ) -> Result<ScreeningFlag, StoreError> {
        let mut tx = self.begin_as(actor, Permission::DecideCases).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let mut flag = load_flags(&mut tx, household.id)
            .await?
            .into_iter()
            .find(|f| f.id == flag_id)
            .ok_or(CaseError::NoSuchFlag(flag_id))?;
        check_flag_decision(&flag, by, reason)?;
        let decision = FlagDecision {
            resolution,
            by: by.trim().to_owned(),
            reason: reason.trim().to_owned(),
            at: Utc::now(),
        };
        sqlx::query(
            "UPDATE screening_flags SET resolution = $1, decided_by = $2, decision_reason = $3,
                                        decided_at = $4
             WHERE id = $5",
        )
        .bind(resolution.code())
        .bind(&decision.by)
        .bind(&decision.reason)
        .bind(decision.at)
        .bind(flag_id.to_string())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "screening.flag_decided",
            &format!("case {case_no}: {} {resolution}", flag.ground),
        )
        .await?;
        tx.commit().await?;
        flag.decision = Some(decision);
        Ok(flag)
    }

    pub(crate) async fn rubric(&self, actor: &str) -> Result<Rubric, StoreError> {
        let mut tx = self.begin_as(actor, Permission::ReadCases).await?;
        let rubric = current_rubric(&mut tx, actor).await?;
        tx.commit().await?;
        Ok(rubric)
    }

    pub(crate) async fn rubric_version(&self, version: u32) -> Result<Rubric, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_rubric(&mut conn, version)
            .await?
            .ok_or(StoreError::NoSuchRubric(version))
    }

    pub(crate) async fn rubric_versions(&self) -> Result<Vec<RubricVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, created_at, created_by, reason FROM rubric_versions ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RubricVersion {
                    version: r.try_get::<i64, _>("version")? as u32,
                    created_at: r.try_get("created_at")?,
                    created_by: r.try_get("created_by")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }

    pub(crate) async fn save_rubric(
        &self,
        mut rubric: Rubric,
        reason: &str,
        actor: &str,
    ) -> Result<Rubric, StoreError> {
        rubric.validate()?;
        if reason.trim().is_empty() {
            return Err(StoreError::ReasonRequired);
        }
        let mut tx = self.begin_as(actor, Permission::EditRubric).await?;
        current_rubric(&mut tx, actor).await?;
        let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM rubric_versions")
            .fetch_one(&mut *tx)
            .await?;
        rubric.version = last as u32 + 1;
        insert_rubric(&mut tx, &rubric, actor, reason).await?;
        append_audit(
            &mut tx,
            actor,
            "rubric.saved",
            &format!("version {}", rubric.version),
        )
        .await?;
        tx.commit().await?;
        Ok(rubric)
    }

    pub(crate) async fn score_case(
        &self,
        case_no: &str,
        today: NaiveDate,
        actor: &str,
    ) -> Result<StoredScore, StoreError> {
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let rubric = current_rubric(&mut tx, actor).await?;
        let assessments = latest_interview(&mut tx, household.id)
            .await?
            .map(|i| i.assessments)
            .unwrap_or_default();
        // An assessment of a criterion a later rubric version dropped no longer counts.
        let assessments: BTreeMap<String, String> = assessments
            .into_iter()
            .filter(|(k, v)| {
                rubric
                    .criterion(k)
                    .is_some_and(|c| c.method == Method::Assessed && c.level(v).is_some())
            })
            .collect();
        let strategic = strategic_mission(&mut tx, &household).await?;
        let card = scoring::score(&rubric, &household, strategic, &assessments, today)?;
        let stored = StoredScore {
            id: Uuid::new_v4(),
            scored_at: Utc::now(),
            scored_by: actor.to_owned(),
            card,
        };
        sqlx::query(
            "INSERT INTO scores (id, case_id, rubric_version, scored_at, scored_by, assessment,
                                 total, max, card)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(stored.id.to_string())
        .bind(household.id.to_string())
        .bind(i64::from(rubric.version))
        .bind(stored.scored_at)
        .bind(actor)
        .bind(stored.card.assessment.code())
        .bind(i64::from(stored.card.total))
        .bind(i64::from(stored.card.max))
        .bind(serde_json::to_string(&stored.card).map_err(corrupt)?)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "case.scored",
            &format!("case {case_no}: rubric version {}", rubric.version),
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    pub(crate) async fn sign_declaration(
        &self,
        case_no: &str,
        person: Uuid,
        signed_on: NaiveDate,
        place: &str,
        today: NaiveDate,
        actor: &str,
    ) -> Result<(), StoreError> {
        if place.trim().is_empty() {
            return Err(CaseError::NameRequired.into());
        }
        if signed_on > today {
            return Err(CaseError::DateInFuture(signed_on.to_string()).into());
        }
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let member = household
            .members
            .iter()
            .find(|m| m.id == person)
            .ok_or_else(|| CaseError::NotAMember {
                case: case_no.to_owned(),
                person: person.to_string(),
            })?;
        if !member.is_adult_on(signed_on) {
            return Err(CaseError::NotAnAdult(format!(
                "{} {}",
                member.given_name, member.family_name
            ))
            .into());
        }
        sqlx::query(
            "INSERT INTO declarations (person_id, signed_on, place, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (person_id) DO UPDATE SET signed_on = excluded.signed_on,
                 place = excluded.place, recorded_by = excluded.recorded_by,
                 recorded_at = excluded.recorded_at",
        )
        .bind(person.to_string())
        .bind(signed_on)
        .bind(place.trim())
        .bind(actor)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "case.declaration_signed",
            &format!("case {case_no}: person {person}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn set_medical_needs(
        &self,
        case_no: &str,
        position: u32,
        needs: &resettle_domain::checkin::Needs,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let person = position
            .checked_sub(1)
            .and_then(|i| household.members.get(i as usize))
            .ok_or_else(|| CaseError::NotAMember {
                case: case_no.to_owned(),
                person: format!("member {position}"),
            })?;
        let text = needs
            .special_needs
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        set_needs(&mut tx, person.id, text, needs.tom_patient).await?;
        // The needs themselves are sensitive: the audit entry names the member only.
        append_audit(
            &mut tx,
            actor,
            "case.medical_needs",
            &format!("case {case_no}: member {position}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn record_attendance(
        &self,
        person: Uuid,
        society_lessons: u32,
        danish_lessons: u32,
        actor: &str,
    ) -> Result<(), StoreError> {
        check_attendance(society_lessons, danish_lessons)?;
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM persons WHERE id = $1")
            .bind(person.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(CaseError::NoSuchPerson(person.to_string()).into());
        }
        sqlx::query(
            "INSERT INTO orientation_attendance (person_id, society_lessons, danish_lessons,
                                                 recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (person_id) DO UPDATE SET society_lessons = excluded.society_lessons,
                 danish_lessons = excluded.danish_lessons, recorded_by = excluded.recorded_by,
                 recorded_at = excluded.recorded_at",
        )
        .bind(person.to_string())
        .bind(i64::from(society_lessons))
        .bind(i64::from(danish_lessons))
        .bind(actor)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "mission.attendance",
            &format!("person {person}: {society_lessons}+{danish_lessons} lessons"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Moves a case to `to`, checked against the workflow, and records the transition.
pub(super) async fn transition(
    conn: &mut Conn,
    household: &Household,
    to: CaseStatus,
    actor: &str,
    reason: &str,
) -> Result<(), StoreError> {
    resettle_domain::workflow::check_transition(
        &household.unhcr_case_no,
        household.status,
        to,
        household.route,
    )?;
    sqlx::query("UPDATE cases SET status = $1 WHERE id = $2")
        .bind(to.code())
        .bind(household.id.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO case_transitions (case_id, from_status, to_status, at, actor, reason)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(household.id.to_string())
    .bind(household.status.code())
    .bind(to.code())
    .bind(Utc::now())
    .bind(actor)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn current_rubric(conn: &mut Conn, actor: &str) -> Result<Rubric, StoreError> {
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM rubric_versions")
        .fetch_one(&mut *conn)
        .await?;
    match last {
        Some(v) => load_rubric(conn, v as u32)
            .await?
            .ok_or(StoreError::NoSuchRubric(v as u32)),
        None => {
            let mut rubric = scoring::default_rubric();
            rubric.version = 1;
            insert_rubric(
                conn,
                &rubric,
                actor,
                "the default rubric of the design brief",
            )
            .await?;
            Ok(rubric)
        }
    }
}

pub(super) async fn load_rubric(
    conn: &mut Conn,
    version: u32,
) -> Result<Option<Rubric>, StoreError> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM rubric_versions WHERE version = $1")
            .bind(i64::from(version))
            .fetch_optional(&mut *conn)
            .await?;
    let Some(body) = body else { return Ok(None) };
    let rubric: Rubric = serde_json::from_str(&body).map_err(corrupt)?;
    // Only valid rubrics are saved; one that no longer validates was changed outside
    // the app, and scoring with it could pick levels the code does not know.
    rubric
        .validate()
        .map_err(|e| StoreError::Corrupt(format!("rubric version {version}: {e}")))?;
    Ok(Some(rubric))
}

pub(super) async fn insert_rubric(
    conn: &mut Conn,
    rubric: &Rubric,
    actor: &str,
    reason: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO rubric_versions (version, created_at, created_by, reason, body)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(i64::from(rubric.version))
    .bind(Utc::now())
    .bind(actor)
    .bind(reason)
    .bind(serde_json::to_string(rubric).map_err(corrupt)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn load_flags(
    conn: &mut Conn,
    case_id: Uuid,
) -> Result<Vec<ScreeningFlag>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, ground, raised_by, raised_at, note, resolution, decided_by,
                decision_reason, decided_at
         FROM screening_flags WHERE case_id = $1 ORDER BY raised_at, id",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let resolution: Option<String> = r.try_get("resolution")?;
            Ok(ScreeningFlag {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                ground: r.try_get::<String, _>("ground")?.parse().map_err(corrupt)?,
                raised_by: r.try_get("raised_by")?,
                raised_at: r.try_get("raised_at")?,
                note: r.try_get("note")?,
                decision: match resolution {
                    None => None,
                    Some(res) => Some(FlagDecision {
                        resolution: res.parse().map_err(corrupt)?,
                        by: r.try_get("decided_by")?,
                        reason: r.try_get("decision_reason")?,
                        at: r.try_get("decided_at")?,
                    }),
                },
            })
        })
        .collect()
}

pub(super) async fn interviews(
    conn: &mut Conn,
    case_id: Uuid,
) -> Result<Vec<Interview>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, held_on, interviewer, notes, assessments FROM interviews
         WHERE case_id = $1 ORDER BY held_on, recorded_at",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Interview {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                held_on: r.try_get("held_on")?,
                interviewer: r.try_get("interviewer")?,
                notes: r.try_get("notes")?,
                assessments: serde_json::from_str(&r.try_get::<String, _>("assessments")?)
                    .map_err(corrupt)?,
            })
        })
        .collect()
}

async fn latest_interview(conn: &mut Conn, case_id: Uuid) -> Result<Option<Interview>, StoreError> {
    Ok(interviews(conn, case_id).await?.pop())
}

pub(super) async fn strategic_mission(
    conn: &mut Conn,
    household: &Household,
) -> Result<bool, StoreError> {
    let Some(mission) = household.mission_id else {
        return Ok(false);
    };
    Ok(
        sqlx::query_scalar::<_, bool>("SELECT strategic FROM missions WHERE id = $1")
            .bind(mission.to_string())
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(false),
    )
}

pub(super) async fn latest_score(
    conn: &mut Conn,
    case_id: Uuid,
) -> Result<Option<StoredScore>, StoreError> {
    let row = sqlx::query(
        "SELECT id, scored_at, scored_by, card FROM scores WHERE case_id = $1
         ORDER BY scored_at DESC, rowid DESC LIMIT 1",
    )
    .bind(case_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(StoredScore {
            id: parse_uuid(&r.try_get::<String, _>("id")?)?,
            scored_at: r.try_get("scored_at")?,
            scored_by: r.try_get("scored_by")?,
            card: serde_json::from_str(&r.try_get::<String, _>("card")?).map_err(corrupt)?,
        })
    })
    .transpose()
}

pub(super) async fn set_needs(
    conn: &mut Conn,
    person: Uuid,
    special_needs: Option<&str>,
    tom_patient: bool,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE persons SET special_needs = $1, tom_patient = $2 WHERE id = $3")
        .bind(special_needs)
        .bind(tom_patient)
        .bind(person.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
