//! The audit log: every change appends one entry, chained to the one before by its hash,
//! in the same transaction as the change. Shared by both backends (see `storage/mod.rs`).

use sqlx::Row;

use super::Dialect;
use super::{Backend, Conn};
use resettle_domain::audit::{entry_hash, AuditEntry, ChainCheck, ChainedEntry, GENESIS};

use crate::StoreError;

impl Backend {
    pub(crate) async fn verify_audit(&self) -> Result<ChainCheck, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let entries: Vec<ChainedEntry> = audit_rows(&mut conn)
            .await?
            .iter()
            .map(resettle_bundle::AuditRow::chained)
            .collect();
        let issued = Backend::issued_audit_seq(&mut conn).await?;
        Ok(resettle_domain::audit::verify(&entries, issued))
    }

    /// The hash of the entry `seq`, if the log holds it.
    pub(crate) async fn audit_hash_at(&self, seq: i64) -> Result<Option<String>, StoreError> {
        let hash: Option<Option<String>> =
            sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
                .bind(seq)
                .fetch_optional(&self.pool)
                .await?;
        Ok(hash.flatten())
    }

    /// The database's identity (migration 20261205000000), which its copies keep.
    pub(crate) async fn database_id(&self) -> Result<String, StoreError> {
        let mut conn = self.pool.acquire().await?;
        database_identity(&mut conn).await
    }

    pub(crate) async fn audit_len(&self) -> Result<u32, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u32)
    }
}

/// The whole log with its links, in order: what a laptop's return carries home.
pub(super) async fn audit_rows(
    conn: &mut Conn,
) -> Result<Vec<resettle_bundle::AuditRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(resettle_bundle::AuditRow {
                seq: r.try_get("seq")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(Into::into)
}

pub(super) async fn database_identity(conn: &mut Conn) -> Result<String, StoreError> {
    super::settings::read_setting(conn, "database_id")
        .await?
        .ok_or_else(|| StoreError::Corrupt("the database has no identity".to_owned()))
}

pub(crate) async fn append_audit(
    conn: &mut Conn,
    actor: &str,
    action: &str,
    subject: &str,
) -> Result<(), StoreError> {
    if Backend::STAMPS_AUDIT {
        // The server's trigger fills in the rest; the actor is kept only for a superuser
        // (see PgStore), every other login's is its own.
        sqlx::query("INSERT INTO audit_log (actor, action, subject) VALUES ($1, $2, $3)")
            .bind(actor)
            .bind(action)
            .bind(subject)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    // Called inside a write transaction: the last entry read here is still the last when
    // this one is inserted (and the unique index on prev_hash refuses a fork regardless).
    let last: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (seq, prev_hash) = match last {
        Some((seq, Some(hash))) => (seq + 1, hash),
        Some((seq, None)) => {
            return Err(StoreError::Corrupt(format!(
                "audit entry {seq} is not sealed into the chain"
            )))
        }
        None => (
            Backend::issued_audit_seq(conn).await? + 1,
            GENESIS.to_owned(),
        ),
    };
    let entry = AuditEntry {
        seq,
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        actor: actor.to_owned(),
        action: action.to_owned(),
        subject: subject.to_owned(),
    };
    let hash = entry_hash(&entry, &prev_hash);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.seq)
    .bind(&entry.at)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.subject)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
