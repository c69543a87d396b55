//! Users, their roles and the permission check every guarded operation runs inside its
//! own transaction (so a role taken away is in force for the very next write).

use std::collections::BTreeSet;

use sqlx::{Row, Transaction};

use super::Dialect;
use super::{append_audit, corrupt, Backend};
use super::{Conn, Db, DbRow};
use crate::StoreError;
use resettle_domain::access::{
    authorize, check_administrators_remain, check_user_name, founder, AccessError, Permission,
    Role, User,
};

impl Backend {
    /// Begins a write transaction as `actor`, refused unless they may do `permission`.
    pub(crate) async fn begin_as(
        &self,
        actor: &str,
        permission: Permission,
    ) -> Result<Transaction<'static, Db>, StoreError> {
        let actor = self.acting_as(actor)?;
        let mut tx = self.begin_write().await?;
        require(&mut tx, actor, permission).await?;
        Ok(tx)
    }

    pub(crate) async fn authorize(
        &self,
        actor: &str,
        permission: Permission,
    ) -> Result<(), StoreError> {
        let actor = self.acting_as(actor)?;
        let mut conn = self.pool.acquire().await?;
        require(&mut conn, actor, permission).await
    }

    pub(crate) async fn users(&self) -> Result<Vec<User>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        all_users(&mut conn).await
    }

    pub(crate) async fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_user(&mut conn, name).await
    }

    pub(crate) async fn claim_first_user(&self, name: &str) -> Result<bool, StoreError> {
        let user = founder(self.acting_as(name)?)?;
        let mut tx = self.begin_write().await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *tx)
            .await?;
        if count > 0 {
            return Ok(false);
        }
        insert_user(&mut tx, &user).await?;
        Backend::sync_login(&mut tx, &user.name).await?;
        append_audit(&mut tx, &user.name, "user.founded", &summary(&user)).await?;
        // The founder saves the rubric in force (the default, as version 1), so that the
        // first interview or score reads it instead of writing it: on the server a
        // caseworker's login may not write rubric_versions (only quota managers edit it).
        super::selection::current_rubric(&mut tx, &user.name).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn add_user(&self, user: &User, actor: &str) -> Result<User, StoreError> {
        let user = User {
            name: check_user_name(&user.name)?,
            ..user.clone()
        };
        let mut tx = self.begin_as(actor, Permission::ManageUsers).await?;
        if load_user(&mut tx, &user.name).await?.is_some() {
            return Err(AccessError::UserExists(user.name).into());
        }
        insert_user(&mut tx, &user).await?;
        Backend::sync_login(&mut tx, &user.name).await?;
        append_audit(&mut tx, actor, "user.added", &summary(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }

    pub(crate) async fn update_user(&self, user: &User, actor: &str) -> Result<User, StoreError> {
        let mut tx = self.begin_as(actor, Permission::ManageUsers).await?;
        let name = user.name.trim();
        if load_user(&mut tx, name).await?.is_none() {
            return Err(AccessError::NoSuchUser(name.to_owned()).into());
        }
        let user = User {
            name: name.to_owned(),
            ..user.clone()
        };
        check_administrators_remain(&all_users(&mut tx).await?, &user)?;
        sqlx::query("UPDATE users SET export = $1, confidential = $2, active = $3 WHERE name = $4")
            .bind(user.export)
            .bind(user.confidential)
            .bind(user.active)
            .bind(&user.name)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM user_roles WHERE \"user\" = $1")
            .bind(&user.name)
            .execute(&mut *tx)
            .await?;
        insert_roles(&mut tx, &user).await?;
        Backend::sync_login(&mut tx, &user.name).await?;
        append_audit(&mut tx, actor, "user.changed", &summary(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }
}

/// What the audit log says of a user: the login, roles and grants (no personal data
/// beyond the login, which the log records as every actor anyway).
fn summary(user: &User) -> String {
    let roles: Vec<&str> = user.roles.iter().map(|r| r.code()).collect();
    format!(
        "user={} roles={} export={} confidential={} active={}",
        user.name,
        roles.join(","),
        user.export,
        user.confidential,
        user.active
    )
}

pub(super) async fn require(
    conn: &mut Conn,
    actor: &str,
    permission: Permission,
) -> Result<(), StoreError> {
    let user = load_user(conn, actor.trim()).await?;
    if user.is_none() {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *conn)
            .await?;
        if count == 0 {
            return Err(AccessError::NoUsers.into());
        }
    }
    Ok(authorize(actor.trim(), user.as_ref(), permission)?)
}

async fn insert_user(conn: &mut Conn, user: &User) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO users (name, export, confidential, active, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&user.name)
    .bind(user.export)
    .bind(user.confidential)
    .bind(user.active)
    .bind(chrono::Utc::now().to_rfc3339())
    .execute(&mut *conn)
    .await?;
    insert_roles(conn, user).await
}

async fn insert_roles(conn: &mut Conn, user: &User) -> Result<(), StoreError> {
    for role in &user.roles {
        sqlx::query("INSERT INTO user_roles (\"user\", role) VALUES ($1, $2)")
            .bind(&user.name)
            .bind(role.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(super) async fn load_user(conn: &mut Conn, name: &str) -> Result<Option<User>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.name, u.export, u.confidential, u.active, r.role FROM users u
         LEFT JOIN user_roles r ON r.\"user\" = u.name WHERE u.name = $1 ORDER BY r.role",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    Ok(collect(rows)?.pop())
}

async fn all_users(conn: &mut Conn) -> Result<Vec<User>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.name, u.export, u.confidential, u.active, r.role FROM users u
         LEFT JOIN user_roles r ON r.\"user\" = u.name ORDER BY u.name, r.role",
    )
    .fetch_all(&mut *conn)
    .await?;
    collect(rows)
}

/// Users from rows of (name, export, confidential, active, role) ordered by name: one row per role.
fn collect(rows: Vec<DbRow>) -> Result<Vec<User>, StoreError> {
    let mut users: Vec<User> = Vec::new();
    for row in rows {
        let name: String = row.try_get("name")?;
        if users.last().is_none_or(|u| u.name != name) {
            users.push(User {
                name,
                roles: BTreeSet::new(),
                export: row.try_get("export")?,
                confidential: row.try_get("confidential")?,
                active: row.try_get("active")?,
            });
        }
        if let Some(role) = row.try_get::<Option<String>, _>("role")? {
            let role: Role = role.parse().map_err(corrupt)?;
            users.last_mut().expect("pushed above").roles.insert(role);
        }
    }
    Ok(users)
}
