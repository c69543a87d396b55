//! What the documents read, and the audit record of every export. A document reads the
//! household's registration, its consents and its placement only (never interviews or
//! screening), and each export is recorded with who made it, for which case or
//! municipality, and the file's SHA-256: IDs and hashes, no personal data.

use chrono::NaiveDate;
use sqlx::Row;

use super::cases::load_household;
use super::consents::consents;
use super::municipalities::{known_municipality, municipality_quotas};
use super::Conn;
use super::{append_audit, Backend};
use resettle_domain::municipality::Arrival;
use resettle_domain::access::Permission;
use resettle_domain::case::Household;
use crate::types::{CaseRef, PackSource, ReferralSource};
use crate::StoreError;

impl Backend {
    pub(crate) async fn household(&self, case_no: &str) -> Result<Household, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_household(&mut conn, CaseRef::Number(case_no)).await
    }

    pub(crate) async fn referral_source(&self, case_no: &str) -> Result<ReferralSource, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let household = load_household(&mut conn, CaseRef::Number(case_no)).await?;
        let placed = sqlx::query(
            "SELECT p.municipality, m.name FROM placements p
             JOIN municipalities m ON m.code = p.municipality
             WHERE p.case_id = $1 AND p.status <> 'declined'",
        )
        .bind(household.id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NoActiveProposal(case_no.to_owned()))?;
        let code = placed.try_get::<i64, _>("municipality")? as u16;
        let name: String = placed.try_get("name")?;
        source(&mut conn, household, code, &name).await
    }

    pub(crate) async fn pack_source(&self, code: u16, year: i32) -> Result<PackSource, StoreError> {
        let mut conn = self.pool.acquire().await?;
        known_municipality(&mut conn, code).await?;
        let quota = municipality_quotas(&mut conn, year)
            .await?
            .into_iter()
            .find(|q| q.code == code)
            .ok_or(StoreError::NoSuchMunicipality(code))?;
        let cases: Vec<String> = sqlx::query_scalar(
            "SELECT c.unhcr_case_no FROM placements p JOIN cases c ON c.id = p.case_id
             WHERE p.municipality = $1 AND p.year = $2 AND p.status = 'confirmed'
             ORDER BY c.unhcr_case_no",
        )
        .bind(i64::from(code))
        .bind(year)
        .fetch_all(&mut *conn)
        .await?;
        let mut households = Vec::with_capacity(cases.len());
        for case_no in cases {
            let household = load_household(&mut conn, CaseRef::Number(&case_no)).await?;
            households.push(source(&mut conn, household, code, &quota.name).await?);
        }
        Ok(PackSource {
            municipality_code: code,
            municipality_name: quota.name,
            year,
            quota: quota.quota,
            used: quota.used,
            households,
        })
    }

    pub(crate) async fn record_export(
        &self,
        actor: &str,
        kind: &str,
        subject: &str,
        document_ids: &[String],
        sha256: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::ExportDocuments).await?;
        append_audit(
            &mut tx,
            actor,
            &format!("document.{kind}.exported"),
            &format!(
                "for={subject} documents={} sha256={sha256}",
                document_ids.join(",")
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A household's consents and arrival, for the municipality it is placed in. The
/// arrival date is the one recorded when the case arrived; until then it is unknown.
async fn source(
    conn: &mut Conn,
    household: Household,
    code: u16,
    name: &str,
) -> Result<ReferralSource, StoreError> {
    let consents = consents(conn, household.id).await?;
    let date: Option<NaiveDate> = sqlx::query_scalar("SELECT arrived_on FROM cases WHERE id = $1")
        .bind(household.id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    Ok(ReferralSource {
        household,
        consents,
        arrival: Arrival {
            municipality_code: code.to_string(),
            municipality_name: name.to_owned(),
            date,
        },
    })
}
