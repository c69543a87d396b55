//! What the documents read, and the audit record of every export. A document reads the
//! household's registration only (never interviews or screening), and each export is
//! recorded with who made it, for which case, and the file's SHA-256: IDs and hashes,
//! no personal data.

use super::cases::{load_household, CaseRef};
use super::{append_audit, SqliteStore};
use crate::domain::case::Household;
use crate::storage::StoreError;

impl SqliteStore {
    /// A household's registration: its members, as the documents print them.
    pub async fn household(&self, case_no: &str) -> Result<Household, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_household(&mut conn, CaseRef::Number(case_no)).await
    }

    /// Records an export in the audit log: `kind` (declaration, referral, ...), the
    /// case or municipality it is for (an ID or code), the document IDs and the file's
    /// hash.
    pub async fn record_export(
        &self,
        actor: &str,
        kind: &str,
        subject: &str,
        document_ids: &[String],
        sha256: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        append_audit(
            &mut conn,
            actor,
            &format!("document.{kind}.exported"),
            &format!(
                "for={subject} documents={} sha256={sha256}",
                document_ids.join(",")
            ),
        )
        .await
    }
}
