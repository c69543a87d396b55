//! The way back from the field: the laptop's return bundle for the check-out it received,
//! every household of the mission with its field work, sealed to the office.


use chrono::Utc;
use sqlx::Row;
use uuid::Uuid;

use super::Dialect;
use super::checkin::field_status;
use super::bundles::{insert_bundle, BundleRow};
use super::cases::load_household;
use super::missions::load_mission;
use super::columns::parse_uuid;
use super::{append_audit, corrupt, Backend};
use super::Conn;
use resettle_bundle::{self as bundle, Owner, Record, Return, Returned, Table};
use resettle_domain::digest::sha256_hex;
use resettle_domain::access::Permission;
use crate::types::{CaseRef, PreparedReturn};
use crate::StoreError;

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
        let numbers: Vec<String> = sqlx::query_scalar(
            "SELECT unhcr_case_no FROM cases WHERE mission_id = $1 ORDER BY unhcr_case_no",
        )
        .bind(mission.id.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let mut households = Vec::with_capacity(numbers.len());
        for n in &numbers {
            let mut household = load_household(&mut conn, CaseRef::Number(n)).await?;
            household.status = field_status(&mut conn, &household).await?;
            let mut records = Vec::new();
            for table in Table::ALL {
                records.extend(rows_of(&mut conn, table, household.id).await?);
            }
            households.push(Returned { household, records });
        }
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
