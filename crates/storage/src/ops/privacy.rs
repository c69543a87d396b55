//! The people's data through the record's life: the retention schedule (a setting), the
//! erasures it asks for, and an erasure on the person's request. The rules are
//! `domain::retention`'s; this writes the tombstone they describe.
//!
//! An erasure reads and writes only what it must, so that on the server the
//! administrator who erases still reads no case (postgres/privileges.rs): case numbers,
//! statuses and dates, the members' ids and dates of birth (for the year the tombstone
//! keeps), and the score cards it strips of their explanations; never a name or a note.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::settings::{read_setting, write_setting};
use super::{append_audit, corrupt, Backend, Conn, Dialect};
use crate::types::search_words;
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::retention::{
    self, CaseLife, Erasure, ErasureRecord, ErasureRun, ErasureScope, RetentionRule,
    RetentionSchedule, ERASED,
};
use resettle_domain::CaseStatus;

const SCHEDULE_KEY: &str = "retention_schedule";

impl Backend {
    /// The office's retention schedule: the saved one, or the defaults.
    pub(crate) async fn retention_schedule(&self) -> Result<RetentionSchedule, StoreError> {
        let mut conn = self.pool.acquire().await?;
        match read_setting(&mut conn, SCHEDULE_KEY).await? {
            None => Ok(RetentionSchedule::default()),
            Some(text) => serde_json::from_str(&text).map_err(corrupt),
        }
    }

    pub(crate) async fn set_retention_schedule(
        &self,
        schedule: RetentionSchedule,
        actor: &str,
    ) -> Result<RetentionSchedule, StoreError> {
        let schedule = schedule.check()?;
        let mut tx = self.begin_as(actor, Permission::ManageSettings).await?;
        let value = serde_json::to_string(&schedule).map_err(corrupt)?;
        write_setting(&mut tx, SCHEDULE_KEY, &value).await?;
        let subject = format!(
            "closed_case_years={} complaint_window_days={} arrived_case_years={}",
            schedule.closed_case_years, schedule.complaint_window_days, schedule.arrived_case_years
        );
        append_audit(&mut tx, actor, "settings.retention", &subject).await?;
        tx.commit().await?;
        Ok(schedule)
    }

    /// Runs the schedule on `today`: every erasure due, in one transaction, then the
    /// bytes out of the files. With `dry_run`, only says what is due.
    pub(crate) async fn run_retention(
        &self,
        today: NaiveDate,
        dry_run: bool,
        actor: &str,
    ) -> Result<ErasureRun, StoreError> {
        let schedule = self.retention_schedule().await?;
        if dry_run {
            self.authorize(actor, Permission::ErasePersonalData).await?;
            let mut conn = self.pool.acquire().await?;
            let erasures = due(&mut conn, &schedule, today).await?;
            return Ok(ErasureRun {
                erasures: erasures.into_iter().map(|(_, e)| e).collect(),
                dry_run,
                compacted: false,
            });
        }
        let mut tx = self.begin_as(actor, Permission::ErasePersonalData).await?;
        let due = due(&mut tx, &schedule, today).await?;
        for (case_id, erasure) in &due {
            let reason = format!("retention schedule: {}", erasure.rule);
            erase(&mut tx, case_id, erasure, &reason, actor).await?;
        }
        tx.commit().await?;
        let erasures: Vec<Erasure> = due.into_iter().map(|(_, e)| e).collect();
        let compacted = !erasures.is_empty() && self.compact_after_erasure().await;
        Ok(ErasureRun {
            erasures,
            dry_run,
            compacted,
        })
    }

    /// Erases a closed case's personal data on the person's request (GDPR Art. 17).
    pub(crate) async fn erase_case(
        &self,
        case_no: &str,
        reason: &str,
        today: NaiveDate,
        actor: &str,
    ) -> Result<ErasureRun, StoreError> {
        let mut tx = self.begin_as(actor, Permission::ErasePersonalData).await?;
        let row = sqlx::query("SELECT id, status FROM cases WHERE unhcr_case_no = $1")
            .bind(case_no.trim())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NoSuchCase(case_no.trim().to_owned()))?;
        let case_id: String = row.try_get("id")?;
        let status: CaseStatus = row
            .try_get::<String, _>("status")?
            .parse()
            .map_err(corrupt)?;
        let reason = retention::check_request(
            case_no.trim(),
            status,
            case_erased(&mut tx, &case_id).await?,
            reason,
        )?;
        let erasure = Erasure {
            case_no: case_no.trim().to_owned(),
            rule: RetentionRule::Request,
            scope: ErasureScope::Case,
            due_on: today,
        };
        erase(&mut tx, &case_id, &erasure, &reason, actor).await?;
        tx.commit().await?;
        let compacted = self.compact_after_erasure().await;
        Ok(ErasureRun {
            erasures: vec![erasure],
            dry_run: false,
            compacted,
        })
    }

    /// The compaction that follows a committed erasure. The erasure stands whatever
    /// happens here, so a failure (another program holding the file, say) is not the
    /// erasure's: it is logged and reported as not compacted, which `resettle privacy
    /// compact` finishes later.
    pub(super) async fn compact_after_erasure(&self) -> bool {
        match self.compact().await {
            Ok(done) => done,
            Err(e) => {
                tracing::warn!(target: "resettle::store", fault = e.fault_kind(), "erased, not yet compacted");
                false
            }
        }
    }

    /// Rewrites the database's files without the erased bytes: `resettle privacy
    /// compact`, the server owner's part of an administrator's erasure. Refused for any
    /// other login.
    pub(crate) async fn compact_erased(&self, actor: &str) -> Result<(), StoreError> {
        if self.compact().await? {
            Ok(())
        } else {
            Err(StoreError::CompactNeedsOwner {
                login: actor.to_owned(),
            })
        }
    }
}

pub(super) async fn case_erased(conn: &mut Conn, case_id: &str) -> Result<bool, StoreError> {
    let erased: Option<String> =
        sqlx::query_scalar("SELECT id FROM erasures WHERE case_id = $1 AND scope = 'case'")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(erased.is_some())
}

/// The erasures done on a case, oldest first, for its dossier.
pub(super) async fn erasures_of(
    conn: &mut Conn,
    case: Uuid,
) -> Result<Vec<ErasureRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT scope, rule, erased_by, erased_at FROM erasures WHERE case_id = $1
         ORDER BY erased_at, id",
    )
    .bind(case.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ErasureRecord {
                scope: r.try_get::<String, _>("scope")?.parse().map_err(corrupt)?,
                rule: r.try_get::<String, _>("rule")?.parse().map_err(corrupt)?,
                erased_by: r.try_get("erased_by")?,
                erased_at: r.try_get("erased_at")?,
            })
        })
        .collect()
}

/// Every erasure the schedule asks for on `today`, oldest due first, with its case's id.
async fn due(
    conn: &mut Conn,
    schedule: &RetentionSchedule,
    today: NaiveDate,
) -> Result<Vec<(String, Erasure)>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.id, c.unhcr_case_no, c.status, c.arrived_on,
                (SELECT MAX(t.at) FROM case_transitions t
                 WHERE t.case_id = c.id AND t.to_status = c.status) AS closed_at,
                (SELECT MAX(d.decided_at) FROM decisions d WHERE d.case_id = c.id) AS decided_at,
                (EXISTS (SELECT 1 FROM interviews i WHERE i.case_id = c.id)
                 OR EXISTS (SELECT 1 FROM confidential_notes n WHERE n.case_id = c.id))
                    AS interviewed,
                EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = c.id
                        AND e.scope = 'interview_notes') AS notes_erased,
                EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = c.id
                        AND e.scope = 'case') AS erased
         FROM cases c WHERE c.status IN ('rejected', 'withdrawn', 'arrived')
         ORDER BY c.unhcr_case_no",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut erasures = Vec::new();
    for r in rows {
        let erased: bool = r.try_get("erased")?;
        let life = CaseLife {
            status: r.try_get::<String, _>("status")?.parse().map_err(corrupt)?,
            closed_on: r
                .try_get::<Option<DateTime<Utc>>, _>("closed_at")?
                .map(|t| t.date_naive()),
            arrived_on: r.try_get("arrived_on")?,
            last_decision_on: r
                .try_get::<Option<DateTime<Utc>>, _>("decided_at")?
                .map(|t| t.date_naive()),
            has_notes: r.try_get::<bool, _>("interviewed")?
                && !r.try_get::<bool, _>("notes_erased")?
                && !erased,
            erased,
        };
        if let Some(d) = schedule.due(&life, today) {
            let erasure = Erasure {
                case_no: r.try_get("unhcr_case_no")?,
                rule: d.rule,
                scope: d.rule.scope(),
                due_on: d.on,
            };
            erasures.push((r.try_get("id")?, erasure));
        }
    }
    erasures.sort_by(|(_, a), (_, b)| (a.due_on, &a.case_no).cmp(&(b.due_on, &b.case_no)));
    Ok(erasures)
}

/// Records the erasure and writes its tombstone, in the caller's transaction. The
/// `erasures` row comes first: the append-only tables' triggers let a text become
/// `ERASED` only for a case it names.
pub(super) async fn erase(
    conn: &mut Conn,
    case_id: &str,
    erasure: &Erasure,
    reason: &str,
    actor: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO erasures (id, case_id, scope, rule, reason, erased_by, erased_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(case_id)
    .bind(erasure.scope.code())
    .bind(erasure.rule.code())
    .bind(reason)
    .bind(actor)
    .bind(Utc::now())
    .execute(&mut *conn)
    .await?;
    let by_case = |sql: &'static str| sqlx::query(sql).bind(ERASED).bind(case_id);
    by_case("UPDATE interviews SET notes = $1 WHERE case_id = $2")
        .execute(&mut *conn)
        .await?;
    // What a member asked to keep from the household goes with the interview notes.
    sqlx::query("DELETE FROM confidential_notes WHERE case_id = $1")
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    if erasure.scope == ErasureScope::Case {
        erase_members(conn, case_id).await?;
        erase_explanations(conn, case_id).await?;
        for sql in [
            "UPDATE cases SET rrf_ref = $1 WHERE id = $2",
            "UPDATE screening_flags SET note = $1 WHERE case_id = $2 AND resolution IS NULL",
            "UPDATE screening_flags SET note = $1, decision_reason = $1
             WHERE case_id = $2 AND resolution IS NOT NULL",
            "UPDATE decisions SET reasons = $1 WHERE case_id = $2",
            "UPDATE case_transitions SET reason = $1 WHERE case_id = $2",
            "UPDATE checkin_conflicts SET office = $1, laptop = $1 WHERE case_id = $2",
            "UPDATE placement_transitions SET note = $1
             WHERE placement_id IN (SELECT id FROM placements WHERE case_id = $2)",
            "UPDATE placements SET override_reason = $1
             WHERE case_id = $2 AND override_reason IS NOT NULL",
            "UPDATE job_offers SET document = $1 WHERE case_id = $2",
            "UPDATE job_offers SET override_reason = $1
             WHERE case_id = $2 AND override_reason IS NOT NULL",
        ] {
            by_case(sql).execute(&mut *conn).await?;
        }
        // What the household told of its network, needs and wishes is read by no later
        // step of a closed case; what a check-out carried of it is history.
        sqlx::query("DELETE FROM placement_profiles WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE checkout_households SET snapshot = NULL WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *conn)
            .await?;
        // The search index keeps the case number alone.
        sqlx::query(
            "UPDATE case_search SET terms = $1
             WHERE rowid = (SELECT rowid FROM cases WHERE id = $2)",
        )
        .bind(search_words(&erasure.case_no).join(" "))
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    }
    append_audit(
        conn,
        actor,
        "privacy.erased",
        &format!(
            "case {}: {} ({})",
            erasure.case_no, erasure.scope, erasure.rule
        ),
    )
    .await?;
    Ok(())
}

/// The score cards without their explanations, which quote the household's facts.
async fn erase_explanations(conn: &mut Conn, case_id: &str) -> Result<(), StoreError> {
    let scores = sqlx::query("SELECT id, card FROM scores WHERE case_id = $1")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?;
    for s in scores {
        let id: String = s.try_get("id")?;
        let card = serde_json::from_str(&s.try_get::<String, _>("card")?).map_err(corrupt)?;
        let erased = serde_json::to_string(&retention::erased_card(card)).map_err(corrupt)?;
        sqlx::query("UPDATE scores SET card = $1 WHERE id = $2")
            .bind(erased)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The members' tombstones: no name, no languages, occupation or needs, and the year of
/// birth alone.
async fn erase_members(conn: &mut Conn, case_id: &str) -> Result<(), StoreError> {
    let members = sqlx::query("SELECT id, date_of_birth FROM persons WHERE case_id = $1")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?;
    for m in members {
        let id: String = m.try_get("id")?;
        let born: NaiveDate = m.try_get("date_of_birth")?;
        sqlx::query(
            "UPDATE persons SET given_name = $1, family_name = $1, date_of_birth = $2,
                    languages = '', occupation = NULL, special_needs = NULL
             WHERE id = $3",
        )
        .bind(ERASED)
        .bind(retention::erased_birth_date(born))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
