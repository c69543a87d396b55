//! The office moves from its database file to the server (`resettle migrate`): every row
//! of the file copied into an empty server database in one transaction, the audit chain
//! with its own hashes, and checked before the transaction commits.
//!
//! The copy follows the server's schema, not a list kept here: every table of the public
//! schema, parents before children by their foreign keys, every column but the generated
//! ones. Both backends' migrations are file for file, so a column the server has is one the
//! file has (SQLite's implicit `rowid` included, which the server keeps as a column).
//! Values cross as JSON and the server's own row types convert them
//! (`json_populate_recordset`), as `Dialect::json_field` does for a check-in.
//!
//! What the server already has on a fresh database, from its migrations and `connect`:
//! the municipalities (the file's replace them: both come from the same migrations, and
//! the file's are the office's), the settings (the file's replace all but the server's own
//! `server_privileges`; the database keeps the file's identity, so laptops checked out
//! from the file check in at the server) and `audit_issued` (raised to the file's counter).
//! Any other row means the database is in use, and nothing is copied.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Number, Value};
use sqlx::{Column, PgConnection, Row, SqliteConnection, TypeInfo, ValueRef};

use super::privileges::ident;
use super::{identity, Dialect, PgStore};
use crate::sqlite::SqliteStore;
use crate::{corrupt, StoreError};
use resettle_domain::access::Permission;
use resettle_domain::audit::{ChainCheck, ChainedEntry};

/// Tables a fresh server database already fills, and what the move does with them.
const REPLACED: &[&str] = &["municipalities", "settings"];
/// The server's own counter of issued audit entries (SQLite keeps it in sqlite_sequence).
const SERVER_ONLY: &[&str] = &["audit_issued"];
/// The setting only the server has: the version of its grants (privileges.rs).
const SERVER_SETTING: &str = "server_privileges";
/// Rows per INSERT: one JSON array each.
const BATCH: usize = 1000;

/// One table as the move copied it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MovedTable {
    pub table: String,
    pub rows: u64,
}

/// What `PgStore::take_in_file` copied and checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Moved {
    /// The database's identity, the file's, which the server now has.
    pub database_id: String,
    pub tables: Vec<MovedTable>,
    /// The file's audit entries, copied with their hashes.
    pub audit_entries: usize,
    /// The last copied entry's hash: the file's head, now the server's before the entry
    /// recording the move.
    pub head: String,
    /// The users whose logins got their groups (the active users).
    pub logins: Vec<String>,
}

impl PgStore {
    /// Connects to the database at `url` for a move, which only the login that owns it
    /// makes: any other login is refused before the schema is touched (`connect` would
    /// tell it to have the owner run `init`, which a move must not follow).
    pub async fn connect_owner(url: &str) -> Result<Self, StoreError> {
        let options = Self::probe(url).await?;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|cause| StoreError::Open {
                path: super::redact(url),
                cause,
            })?;
        let who = identity(&pool).await;
        pool.close().await;
        let who = who?;
        if !(who.owner || who.superuser) {
            return Err(StoreError::MoveNeedsOwner {
                login: who.login,
                database: who.database,
            });
        }
        Self::connect(url).await
    }

    /// Copies the database file `file` into this server database, which must be empty,
    /// for `actor`, an administrator of the file; this store's login must own the
    /// database (only the owner may set the audit log's stamp aside for the copy). Every
    /// active user of the file needs a login of the same name on the server. Calls
    /// `progress(table, rows copied, rows in the table)` as it goes. One transaction:
    /// a refusal or a failed check leaves the server database as it was.
    pub async fn take_in_file(
        &self,
        file: &SqliteStore,
        actor: &str,
        file_name: &str,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<Moved, StoreError> {
        file.authorize(actor, Permission::ManageSettings).await?;
        let who = identity(&self.pool).await?;
        if !(who.owner || who.superuser) {
            return Err(StoreError::MoveNeedsOwner {
                login: who.login,
                database: who.database,
            });
        }
        // A file whose chain does not verify is refused before anything is read. What is
        // copied is the read snapshot below, checked again on the server.
        match file.verify_audit().await? {
            ChainCheck::Intact { .. } => {}
            ChainCheck::Broken { seq, why } => {
                return Err(StoreError::MoveSourceBroken {
                    path: file_name.to_owned(),
                    seq,
                    why,
                })
            }
        };

        // The write lock every write takes, so no other write runs beside the copy.
        let mut tx = self.begin_write().await?;

        let tables = tables_in_order(&mut tx).await?;
        let mut in_use = Vec::new();
        for table in tables.iter().filter(|t| !REPLACED.contains(&t.as_str())) {
            if SERVER_ONLY.contains(&table.as_str()) {
                continue;
            }
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", ident(table)))
                .fetch_one(&mut *tx)
                .await?;
            if n > 0 {
                in_use.push(format!("{table} ({n})"));
            }
        }
        if !in_use.is_empty() {
            let more = in_use.len().saturating_sub(4);
            in_use.truncate(4);
            if more > 0 {
                in_use.push(format!("{more} more tables"));
            }
            return Err(StoreError::ServerNotEmpty {
                database: who.database,
                rows: in_use.join(", "),
            });
        }

        // One read transaction on the file: every table as of the same moment.
        let mut source = file.pool().begin().await?;
        let active: Vec<String> =
            sqlx::query_scalar("SELECT name FROM users WHERE active ORDER BY name")
                .fetch_all(&mut *source)
                .await?;
        let logins: BTreeSet<String> = sqlx::query_scalar(
            "SELECT CAST(rolname AS TEXT) FROM pg_roles WHERE rolcanlogin AND rolname = ANY($1)",
        )
        .bind(&active)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        let missing: Vec<&str> = active
            .iter()
            .filter(|u| !logins.contains(*u))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(StoreError::MoveLoginsMissing {
                logins: missing.join(", "),
            });
        }

        // The entries keep the file's numbers, times, actors and hashes: the stamp would
        // make them the owner's, now. Inside this transaction only, and for the owner only.
        sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_stamp")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM municipalities")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM settings WHERE key <> $1")
            .bind(SERVER_SETTING)
            .execute(&mut *tx)
            .await?;

        let mut moved = Vec::new();
        for table in tables.iter().filter(|t| !SERVER_ONLY.contains(&t.as_str())) {
            let rows = copy_table(&mut source, &mut tx, table, progress)
                .await
                .map_err(|e| match e {
                    // The server's types refuse what SQLite let in: the file's fault, named.
                    StoreError::Database(sqlx::Error::Database(db)) => StoreError::MoveCopyFailed {
                        table: table.clone(),
                        reason: db.message().to_owned(),
                    },
                    other => other,
                })?;
            moved.push(MovedTable {
                table: table.clone(),
                rows,
            });
        }
        let issued: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
                .fetch_optional(&mut *source)
                .await?;
        sqlx::query("UPDATE audit_issued SET seq = GREATEST(seq, $1) WHERE id")
            .bind(issued.unwrap_or(0))
            .execute(&mut *tx)
            .await?;
        reset_identities(&mut tx).await?;
        sqlx::query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_stamp")
            .execute(&mut *tx)
            .await?;
        for user in &active {
            sqlx::query("SELECT resettle_sync_login($1)")
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }

        // Checked before anything is committed: each table holds what the file holds, and
        // the chain is the file's, link for link.
        for t in &moved {
            let here: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {} WHERE {}",
                ident(&t.table),
                if t.table == "settings" {
                    format!("key <> '{SERVER_SETTING}'")
                } else {
                    "TRUE".to_owned()
                }
            ))
            .fetch_one(&mut *tx)
            .await?;
            if here as u64 != t.rows {
                return Err(StoreError::MoveCheckFailed(format!(
                    "{} holds {here} rows on the server and {} in the file",
                    t.table, t.rows
                )));
            }
        }
        // The snapshot's own log: its length and its last entry's hash.
        let file_entries = moved
            .iter()
            .find(|t| t.table == "audit_log")
            .map_or(0, |t| t.rows as usize);
        let file_head: String = sqlx::query_scalar::<_, Option<String>>(
            "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        )
        .fetch_optional(&mut *source)
        .await?
        .flatten()
        .unwrap_or_else(|| resettle_domain::audit::GENESIS.to_owned());
        let entries: Vec<ChainedEntry> = super::audit::audit_rows(&mut tx)
            .await?
            .iter()
            .map(resettle_bundle::AuditRow::chained)
            .collect();
        let issued_here: i64 = sqlx::query_scalar("SELECT seq FROM audit_issued")
            .fetch_one(&mut *tx)
            .await?;
        match resettle_domain::audit::verify(&entries, issued_here) {
            ChainCheck::Intact { entries, head } if entries == file_entries && head == file_head => {}
            ChainCheck::Intact { entries, head } => {
                return Err(StoreError::MoveCheckFailed(format!(
                    "the server's chain has {entries} entries ending in {head}, the file's {file_entries} ending in {file_head}"
                )))
            }
            ChainCheck::Broken { seq, why } => {
                return Err(StoreError::MoveCheckFailed(format!(
                    "the copied audit chain breaks at entry {seq}: {why}"
                )))
            }
        }
        let database_id = super::audit::database_identity(&mut tx).await?;
        // The move is itself an entry, stamped by the server as the owner's, chained to
        // the file's head.
        sqlx::query("INSERT INTO audit_log (actor, action, subject) VALUES ($1, $2, $3)")
            .bind(&who.login)
            .bind("database.moved_to_server")
            .bind(format!(
                "file={file_name} database={database_id} entries={file_entries} head={file_head}"
            ))
            .execute(&mut *tx)
            .await?;
        drop(source);
        tx.commit().await?;
        Ok(Moved {
            database_id,
            tables: moved,
            audit_entries: file_entries,
            head: file_head,
            logins: active,
        })
    }
}

/// The public schema's tables, each after the tables its foreign keys name (ties by name,
/// so the order is the same on every server).
async fn tables_in_order(conn: &mut PgConnection) -> Result<Vec<String>, StoreError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(tablename AS TEXT) FROM pg_tables
         WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(conrelid::regclass AS TEXT), CAST(confrelid::regclass AS TEXT)
         FROM pg_constraint
         WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conrelid <> confrelid",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut parents: BTreeMap<String, BTreeSet<String>> =
        names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    for (child, parent) in edges {
        parents.entry(child).or_default().insert(parent);
    }
    let mut order = Vec::with_capacity(parents.len());
    while !parents.is_empty() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(_, p)| p.iter().all(|p| order.contains(p)))
            .map(|(t, _)| t.clone())
            .collect();
        if ready.is_empty() {
            return Err(corrupt(format!(
                "the server's foreign keys form a cycle among {:?}",
                parents.keys().collect::<Vec<_>>()
            )));
        }
        for t in ready {
            parents.remove(&t);
            order.push(t);
        }
    }
    Ok(order)
}

/// Copies one table's rows from the file into the server; returns how many.
async fn copy_table(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    table: &str,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<u64, StoreError> {
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *target)
    .await?;
    let list = columns
        .iter()
        .map(|c| ident(c))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql_where = String::new();
    if table == "settings" {
        sql_where = format!(" WHERE key <> '{SERVER_SETTING}'");
    }
    let total: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}{sql_where}", ident(table)))
            .fetch_one(&mut *source)
            .await?;
    let insert = format!(
        "INSERT INTO {t} ({list}) OVERRIDING SYSTEM VALUE
         SELECT {list} FROM json_populate_recordset(NULL::{t}, CAST($1 AS JSON))",
        t = ident(table)
    );
    let rows = sqlx::query(&format!("SELECT {list} FROM {}{sql_where}", ident(table)))
        .fetch_all(&mut *source)
        .await?;
    let mut copied = 0u64;
    for chunk in rows.chunks(BATCH) {
        let batch: Vec<Value> = chunk.iter().map(row_json).collect::<Result<_, _>>()?;
        sqlx::query(&insert)
            .bind(Value::Array(batch).to_string())
            .execute(&mut *target)
            .await?;
        copied += chunk.len() as u64;
        progress(table, copied, total as u64);
    }
    if rows.is_empty() {
        progress(table, 0, 0);
    }
    Ok(copied)
}

/// One SQLite row as a JSON object, each value by its storage class. A REAL goes as the
/// shortest text that reads back as the same double, so nothing is rounded on the way.
fn row_json(row: &sqlx::sqlite::SqliteRow) -> Result<Value, StoreError> {
    let mut object = Map::new();
    for (i, column) in row.columns().iter().enumerate() {
        let raw = row.try_get_raw(i)?;
        let value = if raw.is_null() {
            Value::Null
        } else {
            match raw.type_info().name() {
                "INTEGER" => Value::from(row.try_get::<i64, _>(i)?),
                "REAL" => {
                    let x: f64 = row.try_get(i)?;
                    Number::from_f64(x).map(Value::Number).ok_or_else(|| {
                        corrupt(format!(
                            "{} holds a number that is not finite",
                            column.name()
                        ))
                    })?
                }
                "TEXT" => Value::from(row.try_get::<String, _>(i)?),
                // No column of the schema holds bytes; bytea reads \x and hex digits.
                "BLOB" => {
                    let bytes: Vec<u8> = row.try_get(i)?;
                    Value::from(format!(
                        "\\x{}",
                        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
                    ))
                }
                other => return Err(corrupt(format!("{} holds a {other}", column.name()))),
            }
        };
        object.insert(column.name().to_owned(), value);
    }
    Ok(Value::Object(object))
}

/// Each identity column's sequence set past the largest value copied, so the next row the
/// server numbers is a new one.
async fn reset_identities(conn: &mut PgConnection) -> Result<(), StoreError> {
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT)
         FROM information_schema.columns
         WHERE table_schema = 'public' AND is_identity = 'YES'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, column) in identities {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({c}), 0) + 1, false)
             FROM {t}",
            c = ident(&column),
            t = ident(&table)
        ))
        .bind(ident(&table))
        .bind(&column)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
