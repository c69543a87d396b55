//! How the store suites open their database: plain SQLite by default, SQLCipher when
//! `RESETTLE_TEST_STORE=sqlcipher`. `cargo xtask test` runs the suites both ways, so every
//! store operation is tried on an encrypted file too.

use std::path::Path;

use resettle::domain::access::founder;
use resettle::storage::cipher::{is_encrypted, Passphrase};
use resettle::storage::{SqliteStore, StoreError};

/// The backend the suites run against, from `RESETTLE_TEST_STORE`.
pub fn backend() -> &'static str {
    match std::env::var("RESETTLE_TEST_STORE").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => "sqlite",
        Ok("sqlcipher") => "sqlcipher",
        Ok(other) => panic!("RESETTLE_TEST_STORE={other}: use sqlite or sqlcipher"),
    }
}

/// The suites' passphrase: a test value, never a real one.
pub const TEST_PASSPHRASE: &str = "store suite passphrase, not a secret";

/// The names the suites act under. Each holds every role and the export grant, so that
/// the suites test what the store does; `tests/access.rs` tests who may do it.
#[allow(dead_code)] // tests/access.rs registers its own users
pub const TEST_USERS: &[&str] = &[
    "test",
    "kim",
    "ane",
    "x",
    "reader-kim",
    "tester",
    "quota.manager",
    "minister",
];

/// Opens (creating if needed) the database at `path` on the suites' backend, with the
/// suites' users registered.
#[allow(dead_code)]
pub async fn open_store(path: &Path) -> Result<SqliteStore, StoreError> {
    let store = open_bare(path).await?;
    store.claim_first_user(TEST_USERS[0]).await?;
    for name in &TEST_USERS[1..] {
        if store.user(name).await?.is_none() {
            let user = founder(name).expect("a valid name");
            store.add_user(&user, TEST_USERS[0]).await?;
        }
    }
    Ok(store)
}

/// Opens the database at `path` on the suites' backend, registering nobody.
#[allow(dead_code)] // not every suite needs a database without users
pub async fn open_bare(path: &Path) -> Result<SqliteStore, StoreError> {
    match backend() {
        "sqlcipher" => {
            let passphrase = Passphrase::new(TEST_PASSPHRASE);
            if is_encrypted(path) {
                SqliteStore::open_with(path, Some(&passphrase)).await
            } else {
                SqliteStore::create_encrypted(path, &passphrase).await
            }
        }
        _ => SqliteStore::open(path).await,
    }
}

/// The row count of each table, in order: what a refused operation must leave as it was.
#[allow(dead_code)] // not every suite checks refusals this way
pub async fn row_counts(store: &SqliteStore, tables: &[&str]) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in tables {
        counts.push(
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(store.pool())
                .await
                .unwrap(),
        );
    }
    counts
}
