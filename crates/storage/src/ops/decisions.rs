//! Decisions and the rest of a case's way: accept (charging the quota in the same
//! transaction), reject, defer; then pending departure, departed, arrived (the places
//! become used), or withdrawn (the places are released).

use chrono::{Datelike, NaiveDate, Utc};
use sqlx::{Row, Transaction};
use uuid::Uuid;

use super::cases::load_household;
use super::corrupt;
use super::columns::parse_uuid;
use super::quota as ledger;
use super::selection::{load_flags, transition};
use super::{append_audit, Backend};
use super::{Conn, Db};
use resettle_domain::access::Permission;
use resettle_domain::decision::{check_decision, Decision, DecisionRequest, Verdict};
use resettle_domain::{CaseStatus, Household};
use crate::types::{CaseRef, Change, Decided, Recorded};
use crate::StoreError;

impl Backend {
    pub(crate) async fn decide_case(
        &self,
        case_no: &str,
        request: DecisionRequest,
        quota_year: Option<i32>,
        today: NaiveDate,
        actor: &str,
    ) -> Result<Decided, StoreError> {
        let mut tx = self.begin_as(actor, Permission::DecideCases).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let decision = Decision {
            id: Uuid::new_v4(),
            verdict: request.verdict,
            by: request.by.trim().to_owned(),
            reasons: request.reasons.trim().to_owned(),
            at: Utc::now(),
            accepted: Vec::new(),
        };
        decide_in(
            tx,
            &household,
            decision,
            request.accepted,
            quota_year,
            today,
            actor,
        )
        .await
    }

    pub(crate) async fn move_case(
        &self,
        case_no: &str,
        to: CaseStatus,
        on: NaiveDate,
        change: &Change<'_>,
    ) -> Result<Option<Recorded>, StoreError> {
        if change.reason.trim().is_empty() {
            return Err(StoreError::ReasonRequired);
        }
        let mut tx = self
            .begin_as(change.author, Permission::DecideCases)
            .await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        transition(&mut tx, &household, to, change.author, change.reason).await?;
        // The days of travel and arrival: the deadline is judged against the one, and
        // the municipality's papers print the other.
        let day_column = match to {
            CaseStatus::Departed => Some("departed_on"),
            CaseStatus::Arrived => Some("arrived_on"),
            _ => None,
        };
        if let Some(column) = day_column {
            sqlx::query(&format!("UPDATE cases SET {column} = $1 WHERE id = $2"))
                .bind(on)
                .bind(household.id.to_string())
                .execute(&mut *tx)
                .await?;
        }
        append_audit(
            &mut tx,
            change.author,
            "case.status",
            &format!("case {case_no}: {} -> {to} on {on}", household.status),
        )
        .await?;
        let settle = match to {
            CaseStatus::Arrived => ledger::plan_settlement(&mut tx, &household, true).await?,
            CaseStatus::Withdrawn => ledger::plan_settlement(&mut tx, &household, false).await?,
            _ => None,
        };
        match settle {
            Some(plan) => Ok(Some(plan.finish(tx, household.id, change).await?)),
            None => {
                tx.commit().await?;
                Ok(None)
            }
        }
    }
}

/// Records `decision` in `tx` and commits: checked against the case and its flags (the
/// members accepted come from `accepted`), an acceptance charged to the quota. Used by
/// `decide_case` and by a check-in's confirmation of a decision made in the field, which
/// keeps the field's ID and time.
pub(super) async fn decide_in(
    mut tx: Transaction<'static, Db>,
    household: &Household,
    mut decision: Decision,
    accepted: Option<Vec<Uuid>>,
    quota_year: Option<i32>,
    today: NaiveDate,
    actor: &str,
) -> Result<Decided, StoreError> {
    let case_no = &household.unhcr_case_no;
    let flags = load_flags(&mut tx, household.id).await?;
    let request = DecisionRequest {
        verdict: decision.verdict,
        by: decision.by.clone(),
        reasons: decision.reasons.clone(),
        accepted,
    };
    decision.accepted = check_decision(household, &flags, &request)?;
    // The quota is planned first: a shortfall refuses before anything is written.
    let plan = if decision.verdict == Verdict::Accept {
        let period = ledger::period_of_year(&mut tx, quota_year.unwrap_or(today.year())).await?;
        Some(
            ledger::plan_commitment(
                &mut tx,
                household,
                period.start_year,
                quota_year,
                None,
                &decision.accepted,
            )
            .await?,
        )
    } else {
        None
    };
    sqlx::query(
        "INSERT INTO decisions (id, case_id, verdict, decided_by, reasons, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(decision.id.to_string())
    .bind(household.id.to_string())
    .bind(decision.verdict.code())
    .bind(&decision.by)
    .bind(&decision.reasons)
    .bind(decision.at)
    .execute(&mut *tx)
    .await?;
    for person in &decision.accepted {
        sqlx::query("INSERT INTO decision_members (decision_id, person_id) VALUES ($1, $2)")
            .bind(decision.id.to_string())
            .bind(person.to_string())
            .execute(&mut *tx)
            .await?;
    }
    transition(
        &mut tx,
        household,
        decision.verdict.status(),
        &decision.by,
        &decision.reasons,
    )
    .await?;
    append_audit(
        &mut tx,
        actor,
        "case.decided",
        &format!(
            "case {case_no}: {} ({} of {} members)",
            decision.verdict,
            decision.accepted.len(),
            household.members.len()
        ),
    )
    .await?;
    let change = Change {
        author: &decision.by,
        reason: &decision.reasons,
    };
    let quota = match plan {
        Some(plan) => Some(plan.finish(tx, household.id, &change).await?),
        None => {
            tx.commit().await?;
            None
        }
    };
    Ok(Decided { decision, quota })
}

pub(super) async fn decisions(conn: &mut Conn, case_id: Uuid) -> Result<Vec<Decision>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.id, d.verdict, d.decided_by, d.reasons, d.decided_at,
                (SELECT string_agg(x.person_id, ',') FROM (
                     SELECT m.person_id FROM decision_members m
                     JOIN persons p ON p.id = m.person_id
                     WHERE m.decision_id = d.id ORDER BY p.position) AS x) AS accepted
         FROM decisions d WHERE d.case_id = $1 ORDER BY d.decided_at, d.rowid",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let accepted: Option<String> = r.try_get("accepted")?;
            Ok(Decision {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                verdict: r
                    .try_get::<String, _>("verdict")?
                    .parse()
                    .map_err(corrupt)?,
                by: r.try_get("decided_by")?,
                reasons: r.try_get("reasons")?,
                at: r.try_get("decided_at")?,
                accepted: accepted
                    .unwrap_or_default()
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(parse_uuid)
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}
