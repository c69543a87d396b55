//! The SQLite store: one file in the user's data folder (or wherever `RESETTLE_DB` points).

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, Sqlite, SqliteConnection, SqlitePool, Transaction};

use super::cipher::{key_file_path, raw_key_pragma, KeyParams, Passphrase};
use super::StoreError;
use crate::demo::DemoData;
use crate::domain::access::Permission;
use crate::domain::audit::{entry_hash, AuditEntry, ChainCheck, ChainedEntry, GENESIS};
use crate::domain::overview::PeriodSummary;
use crate::domain::{Household, Mission, Municipality, Overview, PriorityCounts, QuotaPeriod};

mod bundles;
mod cases;
mod checkin;
mod consents;
mod decisions;
mod documents;
mod dossier;
mod missions;
mod municipalities;
mod placement;
mod quota;
mod selection;
mod settings;
mod users;

pub use bundles::{PreparedCheckout, Received};
pub use cases::{CaseRef, ImportReport};
pub use checkin::{CheckedIn, Conflict, Line, PreparedReturn};
pub use decisions::Decided;
pub use documents::{PackSource, ReferralSource};
pub use dossier::{match_expression, DEFAULT_LIMIT};
pub use municipalities::{CapacityUse, KeyInputSet, MunicipalityQuota};
pub use placement::{Batch, MoveCheck, PoolEntry, Proposal, Proposed};
pub use quota::{Change, Recorded};
pub use selection::RubricVersion;

/// SQLite's SQLITE_NOTADB: what SQLCipher answers for a wrong key, and SQLite for a file
/// that is not a database (or is encrypted).
fn not_a_database(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "26")
}

/// Tries the key on an immutable, read-only connection first: a wrong key then touches no
/// file. (A connection in WAL mode, even one whose key is wrong, checkpoints the WAL's
/// still-encrypted frames into the database when it closes, which changes its bytes.)
async fn check_key(path: &Path, key: &[u8; 32]) -> Result<(), StoreError> {
    if !path.exists() {
        return Ok(());
    }
    let shown = || path.display().to_string();
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .pragma("key", raw_key_pragma(key).to_string());
    let result = async {
        let mut conn = sqlx::ConnectOptions::connect(&options).await?;
        // The header is on page 1 alone: decrypting it tells a wrong key, without reading
        // the schema (which, with the WAL ignored, may be older than the WAL's pages).
        let read = sqlx::query("PRAGMA user_version")
            .fetch_one(&mut conn)
            .await
            .map(|_| ());
        sqlx::Connection::close(conn).await?;
        read
    }
    .await;
    match result {
        Err(e) if not_a_database(&e) => Err(StoreError::WrongPassphrase { path: shown() }),
        // Anything else is left to the real open, which says it better.
        _ => Ok(()),
    }
}

/// A file beside the database: its WAL (`-wal`) or shared-memory index (`-shm`).
fn sidecar(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// A stored value this version cannot read (a code, an id, a JSON column).
fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) an unencrypted database file and brings its schema up to
    /// date. An encrypted database is refused with `PassphraseRequired`.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, None).await
    }

    /// Opens a database, encrypted or not: an encrypted one (it has a key file beside it)
    /// needs its passphrase, and a passphrase for a plain one is refused rather than
    /// ignored, so that nobody believes a plain file is protected.
    ///
    /// WAL lets the UI read while a write is in progress; `synchronous=FULL` makes a
    /// committed decision survive a power cut on a field laptop; foreign keys are off by
    /// default in SQLite and must be switched on for every connection.
    pub async fn open_with(
        path: &Path,
        passphrase: Option<&Passphrase>,
    ) -> Result<Self, StoreError> {
        // SQLCipher's OpenSSL registers `OPENSSL_cleanup` to run at process exit, where it
        // can race a connection thread's own OpenSSL teardown: a core dump of the CLI showed
        // the main thread in OPENSSL_cleanup and a just-closed connection's thread freeing
        // its thread-local state, "double free or corruption", about once in a few hundred
        // runs. Initialising OpenSSL first with OPENSSL_INIT_NO_ATEXIT (what this does)
        // leaves that memory to the operating system instead.
        openssl_sys::init();
        let shown = || path.display().to_string();
        let key = match (KeyParams::read(path)?, passphrase) {
            (Some(params), Some(passphrase)) => Some(params.derive(passphrase)?),
            (Some(_), None) => return Err(StoreError::PassphraseRequired { path: shown() }),
            (None, Some(_)) => return Err(StoreError::NotEncrypted { path: shown() }),
            (None, None) => None,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: shown(),
                source: sqlx::Error::Io(e),
            })?;
        }
        if let Some(key) = &key {
            check_key(path, key).await?;
        }
        let mut options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(key) = &key {
            // sqlx sends `key` before every other pragma, as SQLCipher needs. The pool keeps
            // the options (and so the key) to open further connections while it lives.
            options = options.pragma("key", raw_key_pragma(key).to_string());
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| match (not_a_database(&source), key.is_some()) {
                (true, true) => StoreError::WrongPassphrase { path: shown() },
                (true, false) => StoreError::NotADatabase { path: shown() },
                (false, _) => StoreError::Open {
                    path: shown(),
                    source,
                },
            })?;
        if key.is_some() {
            // A build without SQLCipher would ignore the key and write plaintext.
            let version: Option<String> = sqlx::query_scalar("PRAGMA cipher_version")
                .fetch_optional(&pool)
                .await?;
            if version.is_none() {
                pool.close().await;
                return Err(StoreError::Cipher(
                    "this build has no SQLCipher: it cannot open an encrypted database".into(),
                ));
            }
        }
        // Entries from before the hash chain are sealed once, by the open that adds the
        // chain; never later, so that clearing an entry's hash cannot get it re-sealed.
        let chained: Option<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE version = ?")
                .bind(AUDIT_CHAIN_MIGRATION)
                .fetch_optional(&pool)
                .await
                .unwrap_or(None);
        MIGRATOR.run(&pool).await?;
        if chained.is_none() {
            seal_audit_log(&pool).await?;
        }
        Ok(Self { pool })
    }

    /// Creates a new encrypted database: the key file with fresh parameters, then the
    /// database under the key derived from the passphrase. Refuses where a database or a
    /// key file already is, and removes both again if the creation fails half-way.
    pub async fn create_encrypted(
        path: &Path,
        passphrase: &Passphrase,
    ) -> Result<Self, StoreError> {
        passphrase.check_strength()?;
        let key_file = key_file_path(path);
        if path.exists() || key_file.exists() {
            return Err(StoreError::AlreadyExists {
                path: path.display().to_string(),
            });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                source: sqlx::Error::Io(e),
            })?;
        }
        KeyParams::generate()?.write_new(path)?;
        match Self::open_with(path, Some(passphrase)).await {
            Ok(store) => Ok(store),
            Err(e) => {
                for leftover in [
                    path.to_owned(),
                    key_file,
                    sidecar(path, "-wal"),
                    sidecar(path, "-shm"),
                ] {
                    let _ = std::fs::remove_file(leftover);
                }
                Err(e)
            }
        }
    }

    /// A write transaction that holds SQLite's write lock from its first statement. A
    /// deferred transaction would read first and could then fail to upgrade when another
    /// writer got in between; an immediate one waits its turn (up to the busy timeout), so
    /// every check it makes still holds when it commits.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Checks the audit log's hash chain from its first entry: the first broken link, or
    /// the number of entries and the head's hash.
    pub async fn verify_audit(&self) -> Result<ChainCheck, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, prev_hash, hash FROM audit_log
             ORDER BY seq",
        )
        .fetch_all(&mut *conn)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                Ok(ChainedEntry {
                    entry: AuditEntry {
                        seq: r.try_get("seq")?,
                        at: r.try_get("at")?,
                        actor: r.try_get("actor")?,
                        action: r.try_get("action")?,
                        subject: r.try_get("subject")?,
                    },
                    prev_hash: r.try_get("prev_hash")?,
                    hash: r.try_get("hash")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let issued = issued_audit_seq(&mut conn).await?;
        Ok(crate::domain::audit::verify(&entries, issued))
    }

    /// Closes the database, its WAL first copied into the file and emptied, so that the
    /// file alone is whole (a copy of it to a backup stick needs nothing beside it).
    pub async fn close(self) {
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await;
        self.pool.close().await;
    }

    /// A pragma's current value, for checking how the connection was configured.
    ///
    /// Pragma names cannot be bound as parameters, so the name is a `'static` string from
    /// the program's own code, never user input.
    pub async fn pragma(&self, name: &'static str) -> Result<String, StoreError> {
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "not a pragma name: {name:?}"
        );
        let row = sqlx::query(&format!("PRAGMA {name}"))
            .fetch_one(&self.pool)
            .await?;
        // journal_mode answers in text, the others in numbers.
        Ok(match row.try_get::<String, _>(0) {
            Ok(text) => text,
            Err(_) => row.try_get::<i64, _>(0)?.to_string(),
        })
    }

    pub async fn overview(&self) -> Result<Overview, StoreError> {
        let counts = sqlx::query(
            "SELECT
                (SELECT COUNT(*) FROM cases) AS households,
                (SELECT COUNT(*) FROM persons) AS persons,
                (SELECT COUNT(*) FROM missions) AS missions,
                (SELECT COUNT(*) FROM municipalities) AS municipalities,
                (SELECT COUNT(*) FROM cases WHERE priority = 'emergency') AS emergency,
                (SELECT COUNT(*) FROM cases WHERE priority = 'urgent') AS urgent,
                (SELECT COUNT(*) FROM cases WHERE priority = 'normal') AS normal",
        )
        .fetch_one(&self.pool)
        .await?;
        let count = |name: &str| -> Result<u32, StoreError> {
            let n: i64 = counts.try_get(name)?;
            u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{name} count {n}")))
        };
        // Until the quota engine tracks which period is open, the Overview shows the latest.
        let period = sqlx::query(
            "SELECT start_year, years, total_places FROM quota_periods
             ORDER BY start_year DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?
        .map(|row| -> Result<PeriodSummary, StoreError> {
            let start_year: i64 = row.try_get("start_year")?;
            let years: i64 = row.try_get("years")?;
            let total: i64 = row.try_get("total_places")?;
            Ok(PeriodSummary {
                start_year: start_year as i32,
                end_year: (start_year + years - 1) as i32,
                total_places: total as u32,
            })
        })
        .transpose()?;
        Ok(Overview {
            households: count("households")?,
            persons: count("persons")?,
            missions: count("missions")?,
            municipalities: count("municipalities")?,
            by_priority: PriorityCounts {
                emergency: count("emergency")?,
                urgent: count("urgent")?,
                normal: count("normal")?,
            },
            period,
        })
    }

    /// Writes the demo data set in one transaction: all of it or, on any error, none.
    /// Refuses a database that already holds cases or missions.
    pub async fn seed_demo(&self, data: &DemoData, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::LoadDemoData).await?;
        let (households, missions): (i64, i64) =
            sqlx::query_as("SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM missions)")
                .fetch_one(&mut *tx)
                .await?;
        if households > 0 || missions > 0 {
            return Err(StoreError::NotEmpty {
                households: households as u32,
                missions: missions as u32,
            });
        }
        for m in &data.municipalities {
            insert_municipality(&mut tx, m).await?;
        }
        insert_period(&mut tx, &data.period).await?;
        let allocations = crate::domain::quota::Ledger::initial_allocations(&data.period, &[])?;
        quota::record_allocations(&mut tx, &data.period, &allocations, actor).await?;
        for m in &data.missions {
            insert_mission(&mut tx, m).await?;
        }
        for h in &data.households {
            insert_household(&mut tx, h).await?;
        }
        append_audit(
            &mut tx,
            actor,
            "demo_data.seeded",
            &format!(
                "{} households, {} missions, seed {}",
                data.households.len(),
                data.missions.len(),
                data.seed
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Municipalities, by code.
    pub async fn municipalities(&self) -> Result<Vec<Municipality>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name, region_code, region_name FROM municipalities ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Municipality {
                    code: r.try_get::<i64, _>("code")? as u16,
                    name: r.try_get("name")?,
                    region_code: r.try_get::<i64, _>("region_code")? as u16,
                    region_name: r.try_get("region_name")?,
                })
            })
            .collect()
    }

    /// The number of entries in the audit log.
    pub async fn audit_len(&self) -> Result<u32, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u32)
    }

    /// Raw access for tests that check what the schema itself refuses.
    #[doc(hidden)]
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

async fn insert_municipality(
    tx: &mut Transaction<'_, Sqlite>,
    m: &Municipality,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO municipalities (code, name, region_code, region_name) VALUES (?, ?, ?, ?)
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(i64::from(m.code))
    .bind(&m.name)
    .bind(i64::from(m.region_code))
    .bind(&m.region_name)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_period(conn: &mut SqliteConnection, p: &QuotaPeriod) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO quota_periods (id, start_year, years, total_places, carry_over, annual_cap)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(p.id.to_string())
    .bind(p.start_year)
    .bind(i64::from(p.years))
    .bind(i64::from(p.total_places))
    .bind(p.carry_over)
    .bind(i64::from(p.annual_cap))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn insert_mission(tx: &mut SqliteConnection, m: &Mission) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO missions (id, name, country_of_asylum, location, start_date, end_date,
                               target_places, strategic)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(m.id.to_string())
    .bind(&m.name)
    .bind(&m.country_of_asylum)
    .bind(&m.location)
    .bind(m.start_date)
    .bind(m.end_date)
    .bind(i64::from(m.target_places))
    .bind(m.strategic)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn insert_household(conn: &mut SqliteConnection, h: &Household) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cases (id, unhcr_case_no, rrf_ref, country_of_asylum, nationality,
                            primary_category, secondary_category, priority, route,
                            submission_date, mission_id, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(h.id.to_string())
    .bind(&h.unhcr_case_no)
    .bind(&h.rrf_ref)
    .bind(&h.country_of_asylum)
    .bind(&h.nationality)
    .bind(h.primary_category.code())
    .bind(h.secondary_category.map(|c| c.code()))
    .bind(h.priority.code())
    .bind(h.route.code())
    .bind(h.submission_date)
    .bind(h.mission_id.map(|id| id.to_string()))
    .bind(h.status.code())
    .execute(&mut *conn)
    .await?;
    for (position, p) in h.members.iter().enumerate() {
        sqlx::query(
            "INSERT INTO persons (id, case_id, position, relationship, given_name, family_name,
                                  sex, date_of_birth, languages, literate, education_years,
                                  occupation, special_needs, tom_patient)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(p.id.to_string())
        .bind(h.id.to_string())
        .bind(position as i64)
        .bind(p.relationship.code())
        .bind(&p.given_name)
        .bind(&p.family_name)
        .bind(p.sex.code())
        .bind(p.date_of_birth)
        .bind(p.languages.join(";"))
        .bind(p.literate)
        .bind(i64::from(p.education_years))
        .bind(p.occupation.as_deref())
        .bind(p.special_needs.as_deref())
        .bind(p.tom_patient)
        .execute(&mut *conn)
        .await?;
    }
    dossier::index_case(conn, h).await
}

async fn append_audit(
    conn: &mut SqliteConnection,
    actor: &str,
    action: &str,
    subject: &str,
) -> Result<(), StoreError> {
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
        None => (issued_audit_seq(conn).await? + 1, GENESIS.to_owned()),
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
         VALUES (?, ?, ?, ?, ?, ?, ?)",
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

/// The highest sequence number the audit log ever issued (SQLite's AUTOINCREMENT
/// counter), 0 for a new log.
async fn issued_audit_seq(conn: &mut SqliteConnection) -> Result<i64, StoreError> {
    let issued: Option<i64> =
        sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(issued.unwrap_or(0))
}

/// The migration that adds the audit log's hash chain.
const AUDIT_CHAIN_MIGRATION: i64 = 20261128000000;

/// Links entries written before the chain existed, in order, once.
async fn seal_audit_log(pool: &SqlitePool) -> Result<(), StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let unsealed: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT seq, at, actor, action, subject FROM audit_log WHERE hash IS NULL ORDER BY seq",
    )
    .fetch_all(&mut *tx)
    .await?;
    if unsealed.is_empty() {
        return Ok(());
    }
    let mut prev: String = sqlx::query_scalar(
        "SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await?
    .unwrap_or_else(|| GENESIS.to_owned());
    for (seq, at, actor, action, subject) in unsealed {
        let entry = AuditEntry {
            seq,
            at,
            actor,
            action,
            subject,
        };
        let hash = entry_hash(&entry, &prev);
        sqlx::query("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?")
            .bind(&prev)
            .bind(&hash)
            .bind(seq)
            .execute(&mut *tx)
            .await?;
        prev = hash;
    }
    tx.commit().await?;
    Ok(())
}
