//! The `settings` table's one way in and out (`read_setting`, `write_setting`, which the
//! other operations' settings use too), and the idle lock.

use super::{append_audit, corrupt, Backend, Conn};
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::idle_lock::{check_idle_lock, DEFAULT_IDLE_LOCK_MINUTES};

const IDLE_LOCK_KEY: &str = "idle_lock_minutes";

impl Backend {
    pub(crate) async fn idle_lock_minutes(&self) -> Result<u32, StoreError> {
        let mut conn = self.pool.acquire().await?;
        match read_setting(&mut conn, IDLE_LOCK_KEY).await? {
            None => Ok(DEFAULT_IDLE_LOCK_MINUTES),
            Some(text) => text.parse().map_err(corrupt),
        }
    }

    pub(crate) async fn set_idle_lock_minutes(
        &self,
        minutes: u32,
        actor: &str,
    ) -> Result<(), StoreError> {
        let minutes = check_idle_lock(minutes)?;
        let mut tx = self.begin_as(actor, Permission::ManageSettings).await?;
        write_setting(&mut tx, IDLE_LOCK_KEY, &minutes.to_string()).await?;
        append_audit(&mut tx, actor, "settings.idle_lock", &minutes.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A setting's stored text; None when it was never set.
pub(super) async fn read_setting(conn: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Sets a setting, replacing what it held, in the caller's transaction.
pub(super) async fn write_setting(
    conn: &mut Conn,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
