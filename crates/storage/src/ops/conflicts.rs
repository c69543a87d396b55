//! The queue of conflicts a check-in raised (a field both sides changed, a decision made
//! in the field, consents recorded on both sides), and their resolution by a quota
//! manager taking one side.


use chrono::{NaiveDate, Utc};
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use super::checkin::{existing, insert_row, update_row};
use super::cases::load_household;
use super::decisions::decide_in;
use super::columns::parse_uuid;
use super::selection::{set_needs, transition};
use super::{append_audit, corrupt, Backend};
use super::{Conn, DbRow};
use resettle_bundle::Table;
use resettle_domain::access::Permission;
use resettle_domain::checkin::{ConflictKind, Side};
use resettle_domain::decision::{Decision, Verdict};
use crate::sides::{is_final, records, Sides};
use crate::types::{CaseRef, Conflict, Line};
use crate::StoreError;

impl Backend {
    pub(crate) async fn conflicts(&self, all: bool, reader: &str) -> Result<Vec<Conflict>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        super::users::require(&mut conn, reader, Permission::ReadCases).await?;
        let rows = sqlx::query(
            "SELECT k.id, c.unhcr_case_no, k.kind, k.subject, k.office, k.laptop, k.raised_at,
                    k.resolution, k.resolved_by, k.case_id
             FROM checkin_conflicts k JOIN cases c ON c.id = k.case_id
             WHERE $1 OR k.resolution IS NULL
             ORDER BY k.raised_at, c.unhcr_case_no, k.kind, k.subject",
        )
        .bind(all)
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(conflict_of(&mut conn, &row).await?);
        }
        Ok(out)
    }

    pub(crate) async fn resolve_conflict(
        &self,
        id: Uuid,
        side: Side,
        today: NaiveDate,
        actor: &str,
    ) -> Result<Conflict, StoreError> {
        let mut tx = self.begin_as(actor, Permission::DecideCases).await?;
        let row = sqlx::query(
            "SELECT k.id, c.unhcr_case_no, k.kind, k.subject, k.office, k.laptop, k.raised_at,
                    k.resolution, k.resolved_by, k.case_id
             FROM checkin_conflicts k JOIN cases c ON c.id = k.case_id WHERE k.id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NoSuchConflict(id.to_string()))?;
        if row.try_get::<Option<String>, _>("resolution")?.is_some() {
            return Err(StoreError::ConflictResolved(id.to_string()));
        }
        let case_no: String = row.try_get("unhcr_case_no")?;
        let kind = row
            .try_get::<&str, _>("kind")?
            .parse::<ConflictKind>()
            .map_err(corrupt)?;
        let subject: String = row.try_get("subject")?;
        let sides = Sides::from_json(kind, row.try_get("office")?, row.try_get("laptop")?)?;
        if let (Side::Laptop, Sides::Record { office, .. }) = (side, &sides) {
            if is_final(office) {
                return Err(StoreError::OfficeRowFinal {
                    table: office.table.name().to_owned(),
                    id: office.key(),
                });
            }
        }
        sqlx::query(
            "UPDATE checkin_conflicts SET resolution = $1, resolved_by = $2, resolved_at = $3
             WHERE id = $4",
        )
        .bind(side.code())
        .bind(actor)
        .bind(Utc::now())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "checkin.resolved",
            &format!(
                "case {case_no}: conflict {id} ({}) -> {}",
                kind.code(),
                side.code()
            ),
        )
        .await?;
        let mut resolved = conflict_of(&mut tx, &row).await?;
        resolved.resolution = Some(side);
        resolved.resolved_by = Some(actor.to_owned());
        if side == Side::Office {
            tx.commit().await?;
            return Ok(resolved);
        }
        let household = load_household(&mut tx, CaseRef::Number(&case_no)).await?;
        let reason = format!("check-in conflict {id}: the laptop's side taken");
        match sides {
            Sides::Status { laptop: to, .. } => {
                transition(&mut tx, &household, to, actor, &reason).await?;
            }
            Sides::MedicalNeeds { laptop: needs, .. } => {
                let person = parse_uuid(&subject)?;
                set_needs(
                    &mut tx,
                    person,
                    needs.special_needs.as_deref(),
                    needs.tom_patient,
                )
                .await?;
            }
            Sides::Consent { laptop, .. } => {
                for record in records(Table::Consents, &laptop) {
                    if existing(&mut tx, &record).await?.is_none() {
                        insert_row(&mut tx, &record).await?;
                    }
                }
            }
            Sides::Record { laptop: record, .. } => {
                update_row(&mut tx, &record).await?;
            }
            Sides::Decision { laptop, .. } => {
                let d = &laptop.decision;
                let text = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default();
                let decision = Decision {
                    id: parse_uuid(text("id"))?,
                    verdict: text("verdict")
                        .parse::<Verdict>()
                        .map_err(|_| corrupt("a decision without a verdict"))?,
                    by: text("decided_by").to_owned(),
                    reasons: text("reasons").to_owned(),
                    at: text("decided_at").parse().map_err(corrupt)?,
                    accepted: Vec::new(),
                };
                let accepted = match decision.verdict {
                    Verdict::Accept => Some(
                        laptop
                            .accepted
                            .iter()
                            .map(|p| parse_uuid(p))
                            .collect::<Result<Vec<_>, _>>()?,
                    ),
                    _ => None,
                };
                // The decision commits the transaction, with the resolution above.
                decide_in(tx, &household, decision, accepted, None, today, actor).await?;
                return Ok(resolved);
            }
        }
        tx.commit().await?;
        Ok(resolved)
    }
}

/// A queue entry for the list: both sides as lines of text.
async fn conflict_of(conn: &mut Conn, row: &DbRow) -> Result<Conflict, StoreError> {
    let kind = row
        .try_get::<&str, _>("kind")?
        .parse::<ConflictKind>()
        .map_err(corrupt)?;
    let mut subject: String = row.try_get("subject")?;
    if kind == ConflictKind::MedicalNeeds {
        // Named by position, as the dossier lists members; the ID means nothing to a person.
        let position: Option<i64> = sqlx::query_scalar(
            "SELECT 1 + (SELECT COUNT(*) FROM persons q
                         WHERE q.case_id = p.case_id AND q.position < p.position)
             FROM persons p WHERE p.id = $1",
        )
        .bind(&subject)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(n) = position {
            subject = format!("member {n}");
        }
    }
    // Members are shown as "member N", as the dossier lists them; row IDs are left out.
    let persons: Vec<String> =
        sqlx::query_scalar("SELECT id FROM persons WHERE case_id = $1 ORDER BY position")
            .bind(row.try_get::<&str, _>("case_id")?)
            .fetch_all(&mut *conn)
            .await?;
    let side = |column: &str| -> Result<Vec<Line>, StoreError> {
        let v: Value = serde_json::from_str(row.try_get(column)?).map_err(corrupt)?;
        let mut lines = Vec::new();
        flatten("", &v, &mut lines);
        lines.retain(|l| !(l.field.ends_with(".id") || l.field.ends_with("case_id")));
        for line in &mut lines {
            for (i, id) in persons.iter().enumerate() {
                line.value = line
                    .value
                    .replace(id.as_str(), &format!("member {}", i + 1));
            }
        }
        Ok(lines)
    };
    let resolution: Option<String> = row.try_get("resolution")?;
    Ok(Conflict {
        id: parse_uuid(row.try_get("id")?)?,
        case_no: row.try_get("unhcr_case_no")?,
        kind,
        subject,
        office: side("office")?,
        laptop: side("laptop")?,
        raised_at: row.try_get("raised_at")?,
        resolution: resolution.as_deref().and_then(|s| s.parse().ok()),
        resolved_by: row.try_get("resolved_by")?,
    })
}

/// A side's JSON as field/value lines: nested fields joined by dots, lists numbered.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<Line>) {
    let name = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                flatten(&name(k), v, out);
            }
        }
        Value::Array(items) if items.iter().any(|i| i.is_object()) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&name(&(i + 1).to_string()), item, out);
            }
        }
        Value::Array(items) => out.push(Line {
            field: prefix.to_owned(),
            value: items
                .iter()
                .map(|i| i.as_str().map(str::to_owned).unwrap_or(i.to_string()))
                .collect::<Vec<_>>()
                .join(", "),
        }),
        Value::String(s) => out.push(Line {
            field: prefix.to_owned(),
            value: s.clone(),
        }),
        Value::Null => out.push(Line {
            field: prefix.to_owned(),
            value: String::new(),
        }),
        other => out.push(Line {
            field: prefix.to_owned(),
            value: other.to_string(),
        }),
    }
}
