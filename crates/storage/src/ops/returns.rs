//! The way back from the field: the laptop's return bundle for the check-out it received,
//! every household of the mission with its field work, sealed to the office.

use chrono::Utc;
use sqlx::Row;
use uuid::Uuid;

use super::bundles::{insert_bundle, BundleRow};
use super::cases::load_household;
use super::checkin::field_status;
use super::columns::parse_uuid;
use super::missions::load_mission;
use super::privacy::erase;
use super::Conn;
use super::Dialect;
use super::{append_audit, corrupt, Backend};
use crate::types::{CaseRef, PreparedReturn, Released};
use crate::StoreError;
use resettle_bundle::{self as bundle, Owner, Record, Return, Returned, Table};
use resettle_domain::access::Permission;
use resettle_domain::digest::sha256_hex;
use resettle_domain::retention::{Erasure, ErasureScope, RetentionRule};

impl Backend {
    pub(crate) async fn prepare_return(
        &self,
        mission: Uuid,
        actor: &str,
    ) -> Result<PreparedReturn, StoreError> {
        // One read transaction: every household and row from the same moment, although
        // the window may be recording more field work meanwhile.
        let mut conn = self.begin_read().await?;
        super::users::require(&mut conn, actor, Permission::RecordFieldwork).await?;
        let mission = load_mission(&mut conn, mission).await?;
        let row = sqlx::query(
            "SELECT id, peer, token FROM mission_bundles
             WHERE kind = 'checkout' AND direction = 'received' AND mission_id = $1
             ORDER BY at DESC LIMIT 1",
        )
        .bind(mission.id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NoCheckout(mission.name.clone()))?;
        let checkout = parse_uuid(row.try_get("id")?)?;
        let office: String = row.try_get("peer")?;
        let token: Option<String> = row.try_get("token")?;
        if released(&mut conn, mission.id).await? {
            return Err(StoreError::FieldCopyReleased(mission.name));
        }
        let households = field_households(&mut conn, mission.id).await?;
        let audit = bundle::LaptopAudit {
            database: super::audit::database_identity(&mut conn).await?,
            entries: super::audit::audit_rows(&mut conn).await?,
        };
        conn.rollback().await?;
        let ret = Return {
            format: bundle::RETURN_FORMAT.into(),
            version: bundle::RETURN_VERSION,
            id: Uuid::new_v4(),
            checkout,
            token: token.ok_or_else(|| corrupt("a received check-out without its token"))?,
            created_at: Utc::now(),
            created_by: actor.to_owned(),
            mission: mission.id,
            households,
            audit: Some(audit),
        };
        let bytes = bundle::seal_return(&ret, &office)?;
        Ok(PreparedReturn {
            ret,
            bytes,
            recipient: office,
        })
    }

    pub(crate) async fn record_return(
        &self,
        prepared: &PreparedReturn,
        actor: &str,
    ) -> Result<(), StoreError> {
        let r = &prepared.ret;
        let sha256 = sha256_hex(&prepared.bytes);
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let row = BundleRow {
            id: r.id,
            kind: "return",
            direction: "sent",
            mission: r.mission,
            peer: &prepared.recipient,
            households: r.households.len(),
            sha256: &sha256,
            token_sha256: None,
            token: None,
        };
        insert_bundle(&mut tx, &row, actor).await?;
        append_audit(
            &mut tx,
            actor,
            "mission.returned",
            &format!(
                "mission={} checkout={} bundle={} households={} records={} sha256={sha256}",
                r.mission,
                r.checkout,
                r.id,
                r.households.len(),
                prepared.records()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Backend {
    /// Erases the laptop's copy of a mission once the office has checked its return in:
    /// the receipt must carry the proof only this laptop's check-out token and the office
    /// that decrypted the return can make, and name the households exactly as the laptop
    /// holds them now (field work since the return stays, and the release is refused).
    /// Every household is then erased through the same path as any erasure (rule
    /// `checked_in`), in one transaction, and the file compacted.
    pub(crate) async fn release_field_copy(
        &self,
        receipt: &[u8],
        actor: &str,
    ) -> Result<Released, StoreError> {
        let receipt = bundle::parse_receipt(receipt)?;
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let mission = load_mission(&mut tx, receipt.mission).await?;
        let token: Option<String> = sqlx::query_scalar(
            "SELECT token FROM mission_bundles
             WHERE id = $1 AND kind = 'checkout' AND direction = 'received' AND mission_id = $2",
        )
        .bind(receipt.checkout.to_string())
        .bind(mission.id.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
        let token = token.ok_or_else(|| StoreError::NoCheckout(mission.name.clone()))?;
        if released(&mut tx, mission.id).await? {
            return Err(StoreError::FieldCopyReleased(mission.name));
        }
        let households = field_households(&mut tx, mission.id).await?;
        receipt.verify(&token, &households)?;
        let today = Utc::now().date_naive();
        let reason = format!(
            "checked in at the office: return {} of check-out {}",
            receipt.return_id, receipt.checkout
        );
        for h in &households {
            let erasure = Erasure {
                case_no: h.household.unhcr_case_no.clone(),
                rule: RetentionRule::CheckedIn,
                scope: ErasureScope::Case,
                due_on: today,
            };
            erase(
                &mut tx,
                &h.household.id.to_string(),
                &erasure,
                &reason,
                actor,
            )
            .await?;
        }
        append_audit(
            &mut tx,
            actor,
            "mission.released",
            &format!(
                "mission={} checkout={} return={} households={}",
                mission.id,
                receipt.checkout,
                receipt.return_id,
                households.len()
            ),
        )
        .await?;
        tx.commit().await?;
        let compacted = self.compact_after_erasure().await;
        Ok(Released {
            mission: mission.id,
            mission_name: mission.name,
            households: households.len() as u32,
            compacted,
        })
    }
}

/// Every household of the mission as the laptop holds it now, with its field work: what
/// a return carries, and what a receipt's digest is checked against.
async fn field_households(conn: &mut Conn, mission: Uuid) -> Result<Vec<Returned>, StoreError> {
    let numbers: Vec<String> = sqlx::query_scalar(
        "SELECT unhcr_case_no FROM cases WHERE mission_id = $1 ORDER BY unhcr_case_no",
    )
    .bind(mission.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut households = Vec::with_capacity(numbers.len());
    for n in &numbers {
        let mut household = load_household(conn, CaseRef::Number(n)).await?;
        household.status = field_status(conn, &household).await?;
        let mut records = Vec::new();
        for table in Table::ALL {
            records.extend(rows_of(conn, table, household.id).await?);
        }
        households.push(Returned { household, records });
    }
    Ok(households)
}

/// Whether the laptop has erased its copy of the mission (`release_field_copy`).
async fn released(conn: &mut Conn, mission: Uuid) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM erasures e JOIN cases c ON c.id = e.case_id
         WHERE c.mission_id = $1 AND e.rule = 'checked_in'",
    )
    .bind(mission.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// The field work of one table for one household, as rows of its columns.
async fn rows_of(conn: &mut Conn, table: Table, case: Uuid) -> Result<Vec<Record>, StoreError> {
    let filter = match table.owner() {
        Owner::Case => "case_id = $1",
        Owner::Person => "person_id IN (SELECT id FROM persons WHERE case_id = $1)",
        Owner::Decision => "decision_id IN (SELECT id FROM decisions WHERE case_id = $1)",
    };
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter} ORDER BY {}",
        json_object(table),
        table.name(),
        table.key().join(", ")
    );
    let texts: Vec<String> = sqlx::query_scalar(&sql)
        .bind(case.to_string())
        .fetch_all(&mut *conn)
        .await?;
    texts
        .iter()
        .map(|t| {
            Ok(Record {
                table,
                row: serde_json::from_str(t).map_err(corrupt)?,
            })
        })
        .collect()
}

/// The row as a JSON object of the table's columns: names from `Table`, never input.
pub(super) fn json_object(table: Table) -> String {
    Backend::row_json(table.columns())
}

pub(super) fn key_filter(table: Table) -> String {
    table
        .key()
        .iter()
        .map(|c| format!("{c} = {}", Backend::json_field(table.name(), c)))
        .collect::<Vec<_>>()
        .join(" AND ")
}
