//! Encryption at rest: an encrypted database file, read as bytes and through SQLite without
//! its key, gives away nothing; a wrong passphrase opens nothing and changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use resettle::demo;
use resettle::storage::cipher::{key_file_path, Passphrase};
use resettle::storage::keyslots::KeyFile;
use resettle::storage::{SqliteStore, Store, StoreError};
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

const PASSPHRASE: &str = "a long field laptop passphrase";

/// Every file in the folder with its SHA-256: the database, its WAL and index, the key file.
fn footprint(dir: &Path) -> BTreeMap<PathBuf, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            // A WAL removed between listing and reading is simply not there.
            let bytes = std::fs::read(&path).ok()?;
            // The shared-memory index holds no data, and an empty WAL none either: the last
            // connection of a closed pool removes both, on its own thread, when it ends.
            let name = path.to_string_lossy();
            if name.ends_with("-shm") || (name.ends_with("-wal") && bytes.is_empty()) {
                return None;
            }
            let hex = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            Some((path, hex))
        })
        .collect()
}

/// The footprint once the files have stopped changing: sqlx's SQLite connections finish
/// closing (the last one checkpoints the WAL) on their own threads after `close` returns.
fn settled_footprint(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut last = footprint(dir);
    let mut unchanged = 0;
    while unchanged < 3 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let now = footprint(dir);
        unchanged = if now == last { unchanged + 1 } else { 0 };
        last = now;
    }
    last
}

/// The bytes of the database and its WAL.
fn raw_bytes(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap();
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    if let Ok(more) = std::fs::read(PathBuf::from(wal)) {
        bytes.extend(more);
    }
    bytes
}

/// Strings of the demo data set a reader of the file must not find: family and given names,
/// case numbers, occupations and special needs.
fn personal_strings(data: &demo::DemoData) -> Vec<String> {
    let mut strings: Vec<String> = Vec::new();
    for h in &data.households {
        strings.push(h.unhcr_case_no.clone());
        for p in &h.members {
            strings.push(p.family_name.clone());
            strings.push(p.given_name.clone());
            strings.extend(p.special_needs.clone());
            strings.extend(p.occupation.clone());
        }
    }
    strings.sort();
    strings.dedup();
    // Very short strings occur by chance in any random bytes.
    strings.retain(|s| s.len() >= 6);
    strings
}

fn found_in(bytes: &[u8], strings: &[String]) -> Vec<String> {
    strings
        .iter()
        .filter(|s| bytes.windows(s.len()).any(|w| w == s.as_bytes()))
        .cloned()
        .collect()
}

async fn seeded(db: &Path, passphrase: Option<&str>) -> demo::DemoData {
    let data = demo::generate(demo::DEFAULT_SEED);
    let store = Store::from(match passphrase {
        Some(p) => SqliteStore::create_encrypted(db, "test", &Passphrase::new(p), None)
            .await
            .unwrap(),
        None => SqliteStore::open(db).await.unwrap(),
    });
    store.claim_first_user("test").await.unwrap();
    store.seed_demo(&data, "test").await.unwrap();
    store.close().await;
    data
}

#[tokio::test]
async fn an_encrypted_file_holds_no_plaintext_case_data_and_sqlite_cannot_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.db");
    let encrypted = dir.path().join("encrypted.db");
    let data = seeded(&plain, None).await;
    seeded(&encrypted, Some(PASSPHRASE)).await;
    let strings = personal_strings(&data);
    assert!(strings.len() > 200, "{} strings to look for", strings.len());

    // The check can fail: the same data in a plain file is there to read.
    let in_plain = found_in(&raw_bytes(&plain), &strings);
    assert!(
        in_plain.len() > strings.len() / 2,
        "only {} of {} found in the plain file",
        in_plain.len(),
        strings.len()
    );
    assert!(raw_bytes(&plain).starts_with(b"SQLite format 3\0"));

    let bytes = raw_bytes(&encrypted);
    assert!(bytes.len() > 100_000, "the encrypted file holds the data");
    assert_eq!(found_in(&bytes, &strings), Vec::<String>::new());
    assert!(!bytes.starts_with(b"SQLite format 3\0"));
    for word in ["CREATE TABLE", "persons", "unhcr_case_no", "Fiktivi"] {
        assert!(
            !bytes.windows(word.len()).any(|w| w == word.as_bytes()),
            "{word:?} is in the encrypted file"
        );
    }

    // SQLite itself, without the key, reads nothing from it.
    let mut conn = SqliteConnectOptions::new()
        .filename(&encrypted)
        .connect()
        .await
        .unwrap();
    let err = sqlx::query("SELECT COUNT(*) FROM persons")
        .fetch_one(&mut conn)
        .await
        .err()
        .expect("SQLite reads nothing without the key");
    assert!(err.to_string().contains("not a database"), "{err}");

    // With the passphrase, it is all there.
    let store = SqliteStore::open_with(&encrypted, Some(&Passphrase::new(PASSPHRASE)))
        .await
        .unwrap();
    assert_eq!(
        Store::from(store.clone())
            .overview()
            .await
            .unwrap()
            .households as usize,
        data.households.len()
    );
    assert!(!store.pragma("cipher_version").await.unwrap().is_empty());
    assert_eq!(store.pragma("journal_mode").await.unwrap(), "wal");
}

#[tokio::test]
async fn a_wrong_passphrase_or_none_opens_nothing_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.db");
    seeded(&db, Some(PASSPHRASE)).await;
    let before = settled_footprint(dir.path());

    let err = SqliteStore::open_with(&db, Some(&Passphrase::new("a long but wrong passphrase")))
        .await
        .err()
        .expect("a wrong passphrase is refused");
    assert!(matches!(err, StoreError::WrongPassphrase { .. }), "{err}");
    assert_eq!(err.code(), Some("wrong_passphrase"));
    let err = SqliteStore::open(&db).await.err().expect("no passphrase");
    assert!(
        matches!(err, StoreError::PassphraseRequired { .. }),
        "{err}"
    );
    assert_eq!(footprint(dir.path()), before, "nothing changed on disk");

    // The key file lost: the file is still no database to anyone.
    let key_file = key_file_path(&db);
    let kept = std::fs::read(&key_file).unwrap();
    std::fs::remove_file(&key_file).unwrap();
    let err = SqliteStore::open(&db).await.err().expect("no key file");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    std::fs::write(&key_file, kept).unwrap();
    assert_eq!(footprint(dir.path()), before);
}

#[tokio::test]
async fn creation_refuses_short_passphrases_and_existing_files_and_plain_files_refuse_a_passphrase()
{
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let err = SqliteStore::create_encrypted(&db, "test", &Passphrase::new("short"), None)
        .await
        .err()
        .unwrap();
    assert!(
        matches!(err, StoreError::WeakPassphrase { chars: 5, .. }),
        "{err}"
    );
    assert!(
        !db.exists() && !key_file_path(&db).exists(),
        "nothing written"
    );

    let plain = dir.path().join("plain.db");
    SqliteStore::open(&plain).await.unwrap().close().await;
    let err = SqliteStore::create_encrypted(&plain, "test", &Passphrase::new(PASSPHRASE), None)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
    let err = SqliteStore::open_with(&plain, Some(&Passphrase::new(PASSPHRASE)))
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::NotEncrypted { .. }), "{err}");
    assert!(!key_file_path(&plain).exists());
}

#[tokio::test]
async fn the_key_file_holds_the_parameters_and_no_key_nor_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    SqliteStore::create_encrypted(&db, "test", &Passphrase::new(PASSPHRASE), None)
        .await
        .unwrap()
        .close()
        .await;
    let Some(KeyFile::Slots(slots)) = KeyFile::read(&db).unwrap() else {
        panic!("a new database has key slots")
    };
    let kdf = &slots.members[0].kdf;
    assert_eq!(kdf.kdf, "argon2id");
    assert_eq!((kdf.memory_kib, kdf.iterations), (65536, 3));
    let key = &slots
        .unlock_member("test", &Passphrase::new(PASSPHRASE), &db)
        .unwrap()[0];
    let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let text = std::fs::read_to_string(key_file_path(&db)).unwrap();
    assert!(
        !text.contains("AGE-SECRET-KEY"),
        "a member's secret key in the clear"
    );
    assert!(!text.contains(&key_hex) && !text.contains(PASSPHRASE));
}
