//! The SQLite store: one file in the user's data folder (or wherever `RESETTLE_DB` points),
//! plain or encrypted with SQLCipher. The operations themselves are in `../ops/`, compiled
//! once here against SQLite's types and once in `../postgres/` against PostgreSQL's; this
//! module holds what only SQLite has: opening a file, its key, its pragmas and its locks.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool, Transaction};

use super::cipher::{key_file_path, raw_key_pragma, Passphrase};
use super::keyslots::{new_key, DbKey, KeyFile, KeySlots, Unlock};
use super::{corrupt, StoreError};
use resettle_domain::audit::{entry_hash, AuditEntry, GENESIS};

/// The names `../ops/` is written against.
pub(crate) type Db = Sqlite;
pub(crate) type Conn = SqliteConnection;
pub(crate) type DbRow = sqlx::sqlite::SqliteRow;
pub(crate) type Backend = SqliteStore;

ops_modules!();

mod backup;
mod members;

pub use backup::BackupFile;

/// The options every connection to a database file starts from: the one way in, so that
/// OpenSSL is always set up before SQLCipher first touches it.
///
/// SQLCipher's OpenSSL otherwise registers `OPENSSL_cleanup` to run at process exit, where
/// it can race a connection thread's own OpenSSL teardown: a core dump of the CLI showed the
/// main thread in OPENSSL_cleanup and a just-closed connection's thread freeing its
/// thread-local state, "double free or corruption", about once in a few hundred runs.
/// Initialising OpenSSL first with OPENSSL_INIT_NO_ATEXIT (what `openssl_sys::init` does)
/// leaves that memory to the operating system instead. It must come before the *first*
/// connection: once OpenSSL has initialised itself, its exit handler stays registered.
fn connect_options(path: &Path) -> SqliteConnectOptions {
    openssl_sys::init();
    // Secure deletion overwrites what a write frees with zeros, so an erased name does not
    // linger in a free page between an erasure and its vacuum (Dialect::compact).
    SqliteConnectOptions::new()
        .filename(path)
        .pragma("secure_delete", "ON")
}

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
    let options = connect_options(path)
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

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: Arc<PathBuf>,
    /// An encrypted database's key and who unlocked it.
    unlocked: Option<Arc<Unlocked>>,
}

/// What unlocking an encrypted database gave: its key (to add a member's slot) and the
/// member whose passphrase opened it (none for the office's recovery key, or for a file
/// from before key slots).
struct Unlocked {
    key: DbKey,
    member: Option<String>,
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
        Self::open_unlocking(
            path,
            passphrase.map(|passphrase| Unlock::Member {
                name: None,
                passphrase,
            }),
        )
        .await
    }

    /// Opens a database with what unlocks it: a member's passphrase (the member named, or
    /// the only one), or the office's private key through the recovery slot. The member
    /// whose passphrase opened it is then who acts (`login`), whatever else is claimed.
    pub async fn open_unlocking(
        path: &Path,
        unlock: Option<Unlock<'_>>,
    ) -> Result<Self, StoreError> {
        let shown = || path.display().to_string();
        // A laptop from before key slots opened with a member's name gets its slots now:
        // the same key, sealed for that member under the same passphrase.
        let mut convert: Option<(String, &Passphrase)> = None;
        let (keys, member) = match (KeyFile::read(path)?, unlock) {
            (None, None) => (Vec::new(), None),
            (Some(_), None) => return Err(StoreError::PassphraseRequired { path: shown() }),
            (None, Some(_)) => return Err(StoreError::NotEncrypted { path: shown() }),
            (Some(KeyFile::Single(params)), Some(Unlock::Member { name, passphrase })) => {
                if let Some(name) = name {
                    convert = Some((name.trim().to_owned(), passphrase));
                }
                (vec![params.derive(passphrase)?], None)
            }
            (Some(KeyFile::Single(_)), Some(Unlock::Recovery(_))) => {
                return Err(StoreError::NoRecoverySlot)
            }
            (Some(KeyFile::Slots(slots)), Some(Unlock::Member { name, passphrase })) => {
                let name = slots.pick(name)?.to_owned();
                (slots.unlock_member(&name, passphrase, path)?, Some(name))
            }
            (Some(KeyFile::Slots(slots)), Some(Unlock::Recovery(office))) => {
                (slots.unlock_recovery(office)?, None)
            }
        };
        let key = Self::working_key(path, keys).await?;
        let store = Self::open_keyed(path, key, member).await?;
        if let Some((name, passphrase)) = convert {
            store.convert_to_slots(&name, passphrase).await?;
            let store_path = store.path.clone();
            store.close().await;
            return Box::pin(Self::open_unlocking(
                &store_path,
                Some(Unlock::Member {
                    name: Some(&name),
                    passphrase,
                }),
            ))
            .await;
        }
        Ok(store)
    }

    /// The first of the unlocked keys that opens the file (two while a rekey is under way:
    /// the new key once it is done, the old one before).
    async fn working_key(path: &Path, keys: Vec<DbKey>) -> Result<Option<DbKey>, StoreError> {
        let several = keys.len() > 1;
        let mut last = None;
        for key in keys {
            match check_key(path, &key).await {
                Ok(()) => return Ok(Some(key)),
                Err(e) => last = Some(e),
            }
        }
        match last {
            None => Ok(None),
            Some(StoreError::WrongPassphrase { .. }) if several => Err(StoreError::Cipher(format!(
                "the key slot opened, but no key in it opens {}: the key file belongs to another database",
                path.display()
            ))),
            Some(e) => Err(e),
        }
    }

    async fn open_keyed(
        path: &Path,
        key: Option<DbKey>,
        member: Option<String>,
    ) -> Result<Self, StoreError> {
        let shown = || path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: shown(),
                cause: sqlx::Error::Io(e),
            })?;
        }
        let mut options = connect_options(path)
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
                    cause: source,
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
        // A new file has no migrations table yet; any other failure to read it is an error,
        // never "not chained yet", which would re-seal entries whose hashes were cleared.
        let migrated: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
        )
        .fetch_one(&pool)
        .await?;
        let chained: Option<i64> = if migrated {
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE version = ?")
                .bind(AUDIT_CHAIN_MIGRATION)
                .fetch_optional(&pool)
                .await?
        } else {
            None
        };
        MIGRATOR.run(&pool).await?;
        if chained.is_none() {
            seal_audit_log(&pool).await?;
        }
        Ok(Self {
            pool,
            path: Arc::new(path.to_owned()),
            unlocked: key.map(|key| Arc::new(Unlocked { key, member })),
        })
    }

    /// Creates a new encrypted database: a random key, the key file with `member`'s slot
    /// (and the office's recovery slot, if given), then the database under the key.
    /// Refuses where a database or a key file already is, and removes both again if the
    /// creation fails half-way.
    pub async fn create_encrypted(
        path: &Path,
        member: &str,
        passphrase: &Passphrase,
        recovery: Option<&str>,
    ) -> Result<Self, StoreError> {
        passphrase.check_strength()?;
        let member = resettle_domain::access::check_user_name(member)?;
        let key_file = key_file_path(path);
        if path.exists() || key_file.exists() {
            return Err(StoreError::AlreadyExists {
                path: path.display().to_string(),
            });
        }
        let key = new_key()?;
        let slots = KeySlots::create(&member, passphrase, recovery, &key)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                cause: sqlx::Error::Io(e),
            })?;
        }
        slots.write(path, false)?;
        match Self::open_keyed(path, Some(key), Some(member)).await {
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

    /// Raw access for tests that check what the schema itself refuses.
    #[doc(hidden)]
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
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

/// SQLite's side of the storage contract.
impl Dialect for SqliteStore {
    type Db = Sqlite;

    /// SQLite has no logins: the store chains each entry itself (ops/audit.rs).
    const STAMPS_AUDIT: bool = false;

    /// A database unlocked with a member's key slot knows who that member is and refuses
    /// any other name. A plain file (or one opened with the office's recovery key, or from
    /// before key slots) knows no one: the name given is the actor.
    fn acting_as<'a>(&'a self, claimed: &'a str) -> Result<&'a str, StoreError> {
        match self.member() {
            Some(member) if member != claimed.trim() => Err(StoreError::UnlockedAs {
                member: member.to_owned(),
                claimed: claimed.trim().to_owned(),
            }),
            _ => Ok(claimed.trim()),
        }
    }

    async fn sync_login(_conn: &mut SqliteConnection, _name: &str) -> Result<(), StoreError> {
        Ok(())
    }

    /// Holds SQLite's write lock from the first statement. A deferred transaction would
    /// read first and could then fail to upgrade when another writer got in between; an
    /// immediate one waits its turn (up to the busy timeout).
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn begin_read(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// SQLite's AUTOINCREMENT counter for the log.
    async fn issued_audit_seq(conn: &mut SqliteConnection) -> Result<i64, StoreError> {
        let issued: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
                .fetch_optional(&mut *conn)
                .await?;
        Ok(issued.unwrap_or(0))
    }

    /// Every connection deletes securely (zeroing what a write frees, `connect_options`);
    /// the search index's deleted entries stay in its older segments until they are
    /// merged ('optimize'); a vacuum then rewrites the whole file from its live rows, and
    /// a truncating checkpoint empties the write-ahead log, which held the old pages.
    async fn compact(&self) -> Result<bool, StoreError> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("INSERT INTO case_search (case_search) VALUES ('optimize')")
            .execute(&mut *conn)
            .await?;
        sqlx::query("VACUUM").execute(&mut *conn).await?;
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut *conn)
            .await?;
        Ok(busy == 0)
    }

    fn later(column: &str, param: &str) -> String {
        format!("julianday({column}) > julianday({param})")
    }

    fn row_json(columns: &[&str]) -> String {
        let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {c}")).collect();
        format!("json_object({})", pairs.join(", "))
    }

    fn json_field(_table: &str, column: &str) -> String {
        format!("json_extract($1, '$.{column}')")
    }

    /// FTS5, whose tokenizer folds case and diacritics.
    fn text_match(b: &mut QueryBuilder<'_, Sqlite>, words: &[String]) {
        let expression: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
        b.push(" AND c.rowid IN (SELECT rowid FROM case_search WHERE case_search MATCH ")
            .push_bind(expression.join(" "))
            .push(")");
    }
}
