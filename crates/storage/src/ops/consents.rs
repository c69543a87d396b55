//! Consents: what a household released to the receiving municipality, and withdrawals.

use chrono::Utc;
use sqlx::Row;
use uuid::Uuid;

use super::cases::load_household;
use super::corrupt;
use super::columns::parse_uuid;
use super::Conn;
use super::{append_audit, Backend};
use resettle_domain::access::Permission;
use resettle_domain::consent::{check_consent, Consent, ReleaseItem, Withdrawal};
use resettle_domain::CaseError;
use crate::types::CaseRef;
use crate::StoreError;

impl Backend {
    pub(crate) async fn record_consent(
        &self,
        case_no: &str,
        released: Vec<ReleaseItem>,
        language: &str,
        actor: &str,
    ) -> Result<Consent, StoreError> {
        check_consent(&released, language)?;
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let consent = Consent {
            id: Uuid::new_v4(),
            released,
            language: language.trim().to_owned(),
            recorded_by: actor.to_owned(),
            recorded_at: Utc::now(),
            withdrawn: None,
        };
        sqlx::query(
            "INSERT INTO consents (id, case_id, released, language, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(consent.id.to_string())
        .bind(household.id.to_string())
        .bind(serde_json::to_string(&consent.released).map_err(corrupt)?)
        .bind(&consent.language)
        .bind(actor)
        .bind(consent.recorded_at)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "consent.recorded",
            &format!("case {case_no}: consent {}", consent.id),
        )
        .await?;
        tx.commit().await?;
        Ok(consent)
    }

    pub(crate) async fn withdraw_consent(
        &self,
        case_no: &str,
        consent: Uuid,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let updated = sqlx::query(
            "UPDATE consents SET withdrawn_at = $1, withdrawn_by = $2
             WHERE id = $3 AND case_id = $4 AND withdrawn_at IS NULL",
        )
        .bind(Utc::now())
        .bind(actor)
        .bind(consent.to_string())
        .bind(household.id.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(CaseError::NoSuchConsent(consent).into());
        }
        append_audit(
            &mut tx,
            actor,
            "consent.withdrawn",
            &format!("case {case_no}: consent {consent}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(super) async fn consents(conn: &mut Conn, case_id: Uuid) -> Result<Vec<Consent>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, released, language, recorded_by, recorded_at, withdrawn_at, withdrawn_by
         FROM consents WHERE case_id = $1 ORDER BY recorded_at, rowid",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let withdrawn_at: Option<chrono::DateTime<Utc>> = r.try_get("withdrawn_at")?;
            Ok(Consent {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                released: serde_json::from_str(&r.try_get::<String, _>("released")?)
                    .map_err(corrupt)?,
                language: r.try_get("language")?,
                recorded_by: r.try_get("recorded_by")?,
                recorded_at: r.try_get("recorded_at")?,
                withdrawn: match withdrawn_at {
                    Some(at) => Some(Withdrawal {
                        at,
                        by: r.try_get("withdrawn_by")?,
                    }),
                    None => None,
                },
            })
        })
        .collect()
}
