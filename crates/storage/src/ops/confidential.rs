//! Confidential member information: what one member told the mission to be kept from the
//! rest of the household. Held in `confidential_notes`, apart from every other read of a
//! case, and guarded by the confidential grant (`Permission::ReadConfidential`) on top of
//! the role's: reading needs `ReadCases`, recording `RecordFieldwork`. Each read that
//! shows a note is in the audit log, as the dossier's sensitive reads are; the log names
//! the members, never the text.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::append_audit;
use super::cases::load_household;
use super::columns::parse_uuid;
use super::privacy::case_erased;
use super::users::require;
use super::Backend;
use super::Conn;
use crate::types::CaseRef;
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::dossier::ConfidentialNote;
use resettle_domain::retention::PrivacyError;
use resettle_domain::{CaseError, Household};

impl Backend {
    pub(crate) async fn confidential_notes(
        &self,
        case_no: &str,
        member: Option<u32>,
        reader: &str,
    ) -> Result<Vec<ConfidentialNote>, StoreError> {
        let mut tx = self.begin_as(reader, Permission::ReadCases).await?;
        require(&mut tx, reader, Permission::ReadConfidential).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no.trim())).await?;
        let rows = sqlx::query(
            "SELECT person_id, note, recorded_by, recorded_at FROM confidential_notes
             WHERE case_id = $1",
        )
        .bind(household.id.to_string())
        .fetch_all(&mut *tx)
        .await?;
        let mut notes = Vec::with_capacity(rows.len());
        for r in rows {
            let person_id = parse_uuid(r.try_get("person_id")?)?;
            let member = household
                .members
                .iter()
                .position(|m| m.id == person_id)
                .ok_or_else(|| super::corrupt(format!("note of a non-member {person_id}")))?;
            notes.push(ConfidentialNote {
                member: member as u32 + 1,
                person_id,
                note: r.try_get("note")?,
                recorded_by: r.try_get("recorded_by")?,
                recorded_at: r.try_get::<DateTime<Utc>, _>("recorded_at")?,
            });
        }
        notes.retain(|n| member.is_none_or(|m| n.member == m));
        notes.sort_by_key(|n| n.member);
        if !notes.is_empty() {
            let members: Vec<String> = notes.iter().map(|n| n.member.to_string()).collect();
            let subject = format!(
                "case {}: members {}",
                household.unhcr_case_no,
                members.join(",")
            );
            append_audit(&mut tx, reader, "case.confidential_read", &subject).await?;
        }
        tx.commit().await?;
        Ok(notes)
    }

    pub(crate) async fn set_confidential_note(
        &self,
        case_no: &str,
        position: u32,
        note: Option<&str>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        require(&mut tx, actor, Permission::ReadConfidential).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no.trim())).await?;
        let person = position
            .checked_sub(1)
            .and_then(|i| household.members.get(i as usize))
            .ok_or_else(|| CaseError::NotAMember {
                case: household.unhcr_case_no.clone(),
                person: format!("member {position}"),
            })?;
        if case_erased(&mut tx, &household.id.to_string()).await? {
            return Err(PrivacyError::AlreadyErased {
                case_no: household.unhcr_case_no,
            }
            .into());
        }
        if in_the_field(&mut tx, &household).await? {
            return Err(CaseError::ConfidentialInTheField(household.unhcr_case_no).into());
        }
        let note = note.map(str::trim).filter(|t| !t.is_empty());
        let action = match note {
            Some(text) => {
                sqlx::query(
                    "INSERT INTO confidential_notes
                         (person_id, case_id, note, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (person_id) DO UPDATE SET note = excluded.note,
                         recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                )
                .bind(person.id.to_string())
                .bind(household.id.to_string())
                .bind(text)
                .bind(actor.trim())
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
                "case.confidential_recorded"
            }
            None => {
                sqlx::query("DELETE FROM confidential_notes WHERE person_id = $1")
                    .bind(person.id.to_string())
                    .execute(&mut *tx)
                    .await?;
                "case.confidential_cleared"
            }
        };
        let subject = format!("case {}: member {position}", household.unhcr_case_no);
        append_audit(&mut tx, actor, action, &subject).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Whether this database holds the case as a laptop's copy for a mission (it received the
/// mission's check-out). A return carries no confidential note, so one recorded here
/// would never reach the office.
async fn in_the_field(conn: &mut Conn, household: &Household) -> Result<bool, StoreError> {
    let Some(mission) = household.mission_id else {
        return Ok(false);
    };
    let received: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM mission_bundles
         WHERE kind = 'checkout' AND direction = 'received' AND mission_id = $1",
    )
    .bind(mission.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(received > 0)
}
