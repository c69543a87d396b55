//! The PostgreSQL store: the office's shared server, which several quota managers use at
//! once. The operations are the same source as SQLite's (`../ops/`, compiled here against
//! PostgreSQL's types); this module holds what only PostgreSQL has: connecting by URL, its
//! migrations and how a write transaction waits its turn.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Transaction};

use super::store::redact;
use super::{corrupt, StoreError};

/// The names `../ops/` is written against.
pub(crate) type Db = Postgres;
pub(crate) type Conn = PgConnection;
pub(crate) type DbRow = sqlx::postgres::PgRow;
pub(crate) type Backend = PgStore;

ops_modules!();

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The advisory lock every write transaction takes first (an arbitrary number, the same
/// for every connection to the database).
const WRITE_LOCK: i64 = 0x5245_5345_5454_4c45; // "RESETTLE"

/// How long a write waits for the one before it, as SQLite's busy timeout.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the server at `url` (`postgres://user@host:port/database`) and brings
    /// the database's schema up to date. The URL's password, if any, is never shown.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = Self::probe(url).await?;
        let failed = |source| StoreError::Open {
            path: redact(url),
            source,
        };
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(options)
            .await
            .map_err(failed)?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// Checks that the server at `url` answers and lets its login into the database,
    /// without changing anything there (no migration): one connection, opened and closed.
    /// A pool would retry a refused or unauthorised connection until its timeout and then
    /// say only that it timed out; this says why at once.
    pub async fn probe(url: &str) -> Result<PgConnectOptions, StoreError> {
        let failed = |source| StoreError::Open {
            path: redact(url),
            source,
        };
        let options: PgConnectOptions = url.parse().map_err(failed)?;
        let probe = sqlx::ConnectOptions::connect(&options)
            .await
            .map_err(failed)?;
        let _ = sqlx::Connection::close(probe).await;
        Ok(options)
    }

    /// Closes the pool's connections.
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// Raw access for tests that check what the schema itself refuses.
    #[doc(hidden)]
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// PostgreSQL's side of the storage contract.
impl Dialect for PgStore {
    type Db = Postgres;

    /// Waits on one advisory lock, as SQLite's `BEGIN IMMEDIATE` does. Writes are short and
    /// few (a handful of quota managers), so one at a time is cheap; reads never wait. The
    /// transaction stays READ COMMITTED, PostgreSQL's default, so each statement after the
    /// lock sees every write committed before it took the lock (a REPEATABLE READ snapshot
    /// would date from before the wait).
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "SET LOCAL lock_timeout = '{}s'",
            LOCK_TIMEOUT.as_secs()
        ))
        .execute(&mut *tx)
        .await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    async fn begin_read(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        Ok(self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?)
    }

    /// Kept by a trigger in `audit_issued`.
    async fn issued_audit_seq(conn: &mut PgConnection) -> Result<i64, StoreError> {
        let issued: Option<i64> = sqlx::query_scalar("SELECT seq FROM audit_issued")
            .fetch_optional(&mut *conn)
            .await?;
        Ok(issued.unwrap_or(0))
    }

    fn later(column: &str, param: &str) -> String {
        format!("CAST({column} AS TIMESTAMPTZ) > CAST({param} AS TIMESTAMPTZ)")
    }

    fn row_json(columns: &[&str]) -> String {
        let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {c}")).collect();
        format!("CAST(json_build_object({}) AS TEXT)", pairs.join(", "))
    }

    /// Converted to the column's type by the table's own row type.
    fn json_field(table: &str, column: &str) -> String {
        format!("(json_populate_record(NULL::{table}, CAST($1 AS JSON))).{column}")
    }

    /// Each word quoted as a tsquery lexeme, so none of tsquery's operators come from what
    /// a user typed.
    fn text_match(b: &mut QueryBuilder<'_, Postgres>, words: &[String]) {
        b.push(" AND c.rowid IN (SELECT rowid FROM case_search WHERE doc @@ to_tsquery('simple', ");
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                b.push(" || ' & ' || ");
            }
            b.push("quote_literal(")
                .push_bind(w.to_lowercase())
                .push(") || ':*'");
        }
        b.push("))");
    }
}
