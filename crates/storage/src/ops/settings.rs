//! Settings of a database that are not the office's placement weights: the idle lock.

use super::{append_audit, corrupt, Backend};
use resettle_domain::access::Permission;
use resettle_domain::idle_lock::{check_idle_lock, DEFAULT_IDLE_LOCK_MINUTES};
use crate::StoreError;

const IDLE_LOCK_KEY: &str = "idle_lock_minutes";

impl Backend {
    pub(crate) async fn idle_lock_minutes(&self) -> Result<u32, StoreError> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(IDLE_LOCK_KEY)
            .fetch_optional(&self.pool)
            .await?;
        match value {
            None => Ok(DEFAULT_IDLE_LOCK_MINUTES),
            Some(text) => text.parse().map_err(corrupt),
        }
    }

    pub(crate) async fn set_idle_lock_minutes(&self, minutes: u32, actor: &str) -> Result<(), StoreError> {
        let minutes = check_idle_lock(minutes)?;
        let mut tx = self.begin_as(actor, Permission::ManageSettings).await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(IDLE_LOCK_KEY)
        .bind(minutes.to_string())
        .execute(&mut *tx)
        .await?;
        append_audit(&mut tx, actor, "settings.idle_lock", &minutes.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }
}
