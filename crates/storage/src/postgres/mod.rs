//! The PostgreSQL store: the office's shared server, which several quota managers use at
//! once. The operations are the same source as SQLite's (`../ops/`, compiled here against
//! PostgreSQL's types); this module holds what only PostgreSQL has: connecting by URL, its
//! migrations and how a write transaction waits its turn.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Transaction};

use super::store::redact;
use super::{corrupt, StoreError};

mod from_file;
mod privileges;

pub use from_file::{Moved, MovedTable};

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
    /// The server's authenticated login (`session_user`): who acts, whatever the client
    /// says.
    login: String,
    /// A superuser can become any login (`SET SESSION AUTHORIZATION`) and change any
    /// table, so the server's stamp proves nothing for it: it may act under an app user's
    /// name. It is the one account outside the model (the test servers' `postgres`); no
    /// person works as it.
    superuser: bool,
    /// The login owns the database (and so its tables): only it may rewrite them.
    owner: bool,
}

/// Who the server says the connection is, and what it may do to the schema.
struct Identity {
    login: String,
    superuser: bool,
    owner: bool,
    create_roles: bool,
    database: String,
}

impl PgStore {
    /// Connects to the server at `url` (`postgres://user@host:port/database`). The login
    /// that owns the database (or a superuser) brings the schema up to date and sets the
    /// server's grants (privileges.rs); any other login only checks that the schema is
    /// current and is refused, naming the versions, if it is behind. The URL's password,
    /// if any, is never shown.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = Self::probe(url).await?;
        let failed = |source| StoreError::Open {
            path: redact(url),
            cause: source,
        };
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(options)
            .await
            .map_err(failed)?;
        let who = identity(&pool).await?;
        if who.owner || who.superuser {
            MIGRATOR.run(&pool).await?;
            let mut tx = pool.begin().await?;
            // One owner connection at a time sets the grants (two GRANTs on one table at
            // once fail with "tuple concurrently updated").
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            if !privileges::current(&mut tx, &who.database).await? {
                privileges::apply(&mut tx, &who.database, &who.login, who.create_roles).await?;
            }
            tx.commit().await?;
        } else {
            check_schema(&pool, &who.database).await?;
        }
        Ok(Self {
            pool,
            login: who.login,
            superuser: who.superuser,
            owner: who.owner,
        })
    }

    /// The login the server authenticated: the actor of everything this store writes.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// Checks that the server at `url` answers and lets its login into the database,
    /// without changing anything there (no migration): one connection, opened and closed.
    /// A pool would retry a refused or unauthorised connection until its timeout and then
    /// say only that it timed out; this says why at once.
    pub async fn probe(url: &str) -> Result<PgConnectOptions, StoreError> {
        let failed = |source| StoreError::Open {
            path: redact(url),
            cause: source,
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

async fn identity(pool: &PgPool) -> Result<Identity, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(session_user AS TEXT) AS login, r.rolsuper, r.rolcreaterole,
                d.datdba = r.oid AS owner, CAST(current_database() AS TEXT) AS database
         FROM pg_roles r, pg_database d
         WHERE r.rolname = session_user AND d.datname = current_database()",
    )
    .fetch_one(pool)
    .await?;
    use sqlx::Row;
    let superuser: bool = row.try_get("rolsuper")?;
    Ok(Identity {
        login: row.try_get("login")?,
        superuser,
        owner: row.try_get("owner")?,
        create_roles: superuser || row.try_get::<bool, _>("rolcreaterole")?,
        database: row.try_get("database")?,
    })
}

/// For a login that does not own the database: the schema must be the one this version
/// migrates to, since only the owner may change it.
async fn check_schema(pool: &PgPool, database: &str) -> Result<(), StoreError> {
    let need = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let have: Result<Option<i64>, sqlx::Error> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await;
    let have = match have {
        Ok(have) => have,
        // No table (undefined_table), or not one this login may read: not set up.
        Err(e)
            if e.as_database_error()
                .and_then(|d| d.code())
                .is_some_and(|c| c == "42P01" || c == "42501") =>
        {
            None
        }
        Err(e) => return Err(e.into()),
    };
    match have {
        None => Err(StoreError::NotSetUp {
            database: database.to_owned(),
        }),
        Some(have) if have < need => Err(StoreError::SchemaBehind { have, need }),
        Some(_) => Ok(()),
    }
}

/// The tables an erasure writes to, which `compact` rewrites.
const ERASED_TABLES: &str =
    "persons, cases, case_search, interviews, scores, screening_flags, decisions, \
     case_transitions, checkin_conflicts, placement_transitions, placements, placement_profiles, \
     job_offers, checkout_households, confidential_notes";

/// PostgreSQL's side of the storage contract.
impl Dialect for PgStore {
    type Db = Postgres;

    /// The trigger `audit_log_stamp` numbers, times, signs with `session_user` and chains
    /// each entry (migration 20261204000000).
    const STAMPS_AUDIT: bool = true;

    /// The login, and only the login: a claim of another name is refused, not corrected,
    /// since it means the client and the server disagree on who is working.
    fn acting_as<'a>(&'a self, claimed: &'a str) -> Result<&'a str, StoreError> {
        if self.superuser || claimed.trim() == self.login {
            Ok(claimed.trim())
        } else {
            Err(StoreError::ConnectedAs {
                login: self.login.clone(),
                claimed: claimed.trim().to_owned(),
            })
        }
    }

    /// Gives the user's login the group roles their app user holds, through the owner's
    /// `resettle_sync_login` (privileges.rs).
    async fn sync_login(conn: &mut PgConnection, name: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT resettle_sync_login($1)")
            .bind(name)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

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

    /// VACUUM FULL writes each table anew from its live rows and removes the old files;
    /// only the owner (or a superuser) may run it. A plain VACUUM would only mark the old
    /// row versions free, leaving their bytes in the pages.
    async fn compact(&self) -> Result<bool, StoreError> {
        if !(self.owner || self.superuser) {
            return Ok(false);
        }
        sqlx::raw_sql(&format!("VACUUM (FULL) {ERASED_TABLES}"))
            .execute(&self.pool)
            .await?;
        Ok(true)
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
