//! How the store suites open their database: plain SQLite by default, SQLCipher when
//! `RESETTLE_TEST_STORE=sqlcipher`. `cargo xtask test` runs the suites both ways, so every
//! store operation is tried on an encrypted file too.

use std::path::Path;

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

/// Opens (creating if needed) the database at `path` on the suites' backend.
pub async fn open_store(path: &Path) -> Result<SqliteStore, StoreError> {
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
