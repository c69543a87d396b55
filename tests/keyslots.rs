//! A laptop database shared by a team: a key slot per member, each unlocking as themselves;
//! a removed member refused (even with a copy of the old key file); the office opening it
//! with its private key; a file from before key slots; and the actor being the member
//! whatever `USER` says. Real SQLCipher files, real Argon2id, real age keys.

use std::path::{Path, PathBuf};
use std::process::Command;

use resettle::bundle::BundleKey;
use resettle::domain::access::{Role, User};
use resettle::storage::cipher::{key_file_path, Kdf, Passphrase};
use resettle::storage::keyslots::{KeyFile, Unlock};
use resettle::storage::{SqliteStore, Store, StoreError};

const ANE: &str = "ane's passphrase on the mission";
const BO: &str = "bo's passphrase, another one";

fn as_member<'a>(name: &'a str, passphrase: &'a Passphrase) -> Option<Unlock<'a>> {
    Some(Unlock::Member {
        name: Some(name),
        passphrase,
    })
}

async fn open_as(db: &Path, name: &str, passphrase: &str) -> Result<SqliteStore, StoreError> {
    SqliteStore::open_unlocking(db, as_member(name, &Passphrase::new(passphrase))).await
}

fn caseworker(name: &str) -> User {
    User {
        name: name.to_owned(),
        roles: [Role::Caseworker].into(),
        export: false,
        confidential: false,
        active: true,
    }
}

/// A laptop made by `init` alone (ane its founder and first member), with bo a caseworker
/// holding a slot of their own, and the office's key in the recovery slot.
async fn laptop_of_two(dir: &Path, office: &BundleKey) -> PathBuf {
    let db = dir.join("laptop.db");
    let store =
        SqliteStore::create_encrypted(&db, "ane", &Passphrase::new(ANE), Some(&office.recipient()))
            .await
            .unwrap();
    assert_eq!(store.member(), Some("ane"));
    let store = Store::from(store);
    assert!(store.claim_first_user("ane").await.unwrap());
    store.add_user(&caseworker("bo"), "ane").await.unwrap();
    let Store::Sqlite(laptop) = store else {
        unreachable!()
    };
    let list = laptop
        .add_member("bo", &Passphrase::new(BO), "ane")
        .await
        .unwrap();
    assert_eq!(list.members, ["ane", "bo"]);
    assert_eq!(list.recovery.as_deref(), Some(office.recipient().as_str()));
    laptop.close().await;
    db
}

async fn audit(db: &SqliteStore) -> Vec<(String, String)> {
    sqlx::query_as("SELECT actor, action FROM audit_log ORDER BY seq")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn each_member_and_the_office_open_the_file_and_each_acts_as_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let office = BundleKey::generate();
    let db = laptop_of_two(dir.path(), &office).await;

    for (name, pass) in [("ane", ANE), ("bo", BO)] {
        let store = Store::from(open_as(&db, name, pass).await.unwrap());
        assert_eq!(store.login(), Some(name), "who unlocked is the login");
        assert_eq!(store.users().await.unwrap().len(), 2);
        store.close().await;
    }
    // Someone else's passphrase, an unknown name, and no name with two members.
    assert!(matches!(
        open_as(&db, "bo", ANE).await,
        Err(StoreError::WrongPassphrase { .. })
    ));
    match open_as(&db, "cy", ANE).await {
        Err(StoreError::NoSuchMember { name, members }) => {
            assert_eq!((name.as_str(), members.as_str()), ("cy", "ane, bo"))
        }
        other => panic!("{:?}", other.err()),
    }
    assert!(matches!(
        SqliteStore::open_with(&db, Some(&Passphrase::new(ANE))).await,
        Err(StoreError::MemberRequired { .. })
    ));

    // The office opens it with its private key; another office's key does not.
    let store = SqliteStore::open_unlocking(&db, Some(Unlock::Recovery(office.identity())))
        .await
        .unwrap();
    assert_eq!(store.member(), None);
    assert_eq!(Store::from(store.clone()).users().await.unwrap().len(), 2);
    store.close().await;
    let stranger = BundleKey::generate();
    assert!(matches!(
        SqliteStore::open_unlocking(&db, Some(Unlock::Recovery(stranger.identity()))).await,
        Err(StoreError::RecoveryKeyWrong { .. })
    ));

    // Unlocked as bo, the store refuses to act as ane, and bo (a caseworker) may not manage
    // the slots.
    let bo = Store::from(open_as(&db, "bo", BO).await.unwrap());
    match bo.add_user(&caseworker("cy"), "ane").await {
        Err(StoreError::UnlockedAs { member, claimed }) => {
            assert_eq!((member.as_str(), claimed.as_str()), ("bo", "ane"))
        }
        other => panic!("{other:?}"),
    }
    let Store::Sqlite(bo) = bo else {
        unreachable!()
    };
    let key_file = std::fs::read(key_file_path(&db)).unwrap();
    let err = bo
        .add_member("bo", &Passphrase::new("bo's second passphrase"), "bo")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("forbidden"), "{err}");
    assert_eq!(std::fs::read(key_file_path(&db)).unwrap(), key_file);
    let log = audit(&bo).await;
    assert_eq!(
        log.iter()
            .map(|(a, b)| format!("{a} {b}"))
            .collect::<Vec<_>>(),
        ["ane user.founded", "ane user.added", "ane keyslot.added"]
    );
    bo.close().await;
}

#[tokio::test]
async fn a_removed_member_is_refused_even_with_a_copy_of_the_old_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let office = BundleKey::generate();
    let db = laptop_of_two(dir.path(), &office).await;
    let old_key_file = std::fs::read(key_file_path(&db)).unwrap();

    let ane = open_as(&db, "ane", ANE).await.unwrap();
    assert!(matches!(
        ane.clone().remove_member("ane", "ane").await,
        Err(StoreError::RemoveSelf(_))
    ));
    let ane = ane.remove_member("bo", "ane").await.unwrap();
    assert_eq!(ane.key_slots().unwrap().members, ["ane"]);
    // The store is open again under the new key, and still works.
    let store = Store::from(ane);
    store.add_user(&caseworker("cy"), "ane").await.unwrap();
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        resettle::domain::audit::ChainCheck::Intact { .. }
    ));
    store.close().await;

    assert!(matches!(
        open_as(&db, "bo", BO).await,
        Err(StoreError::NoSuchMember { .. })
    ));
    // bo kept the key file from before: their slot in it opens, but its key no longer
    // opens the database, which was re-encrypted.
    let new_key_file = std::fs::read(key_file_path(&db)).unwrap();
    std::fs::write(key_file_path(&db), &old_key_file).unwrap();
    assert!(matches!(
        open_as(&db, "bo", BO).await,
        Err(StoreError::WrongPassphrase { .. })
    ));
    std::fs::write(key_file_path(&db), &new_key_file).unwrap();

    let ane = open_as(&db, "ane", ANE).await.unwrap();
    assert_eq!(Store::from(ane.clone()).users().await.unwrap().len(), 3);
    assert!(matches!(
        ane.clone().remove_member("cy", "ane").await,
        Err(StoreError::NoSuchMember { .. })
    ));
    ane.close().await;
    let Some(KeyFile::Slots(slots)) = KeyFile::read(&db).unwrap() else {
        panic!("slots")
    };
    assert_eq!(slots.keys.len(), 1, "the rekey finished");
}

#[tokio::test]
async fn a_rekey_cut_off_before_the_file_is_re_encrypted_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let office = BundleKey::generate();
    let db = laptop_of_two(dir.path(), &office).await;
    // What `remove_member` writes before the rekey, and nothing after it: the new key and
    // the old in the file, the database still under the old.
    let Some(KeyFile::Slots(slots)) = KeyFile::read(&db).unwrap() else {
        panic!("slots")
    };
    let old = slots
        .unlock_member("ane", &Passphrase::new(ANE), &db)
        .unwrap()
        .remove(0);
    let new = resettle::storage::keyslots::new_key().unwrap();
    let (during, _) = slots.without_member("bo", &old, &new).unwrap();
    during.write(&db, true).unwrap();
    let ane = Store::from(open_as(&db, "ane", ANE).await.unwrap());
    assert_eq!(ane.users().await.unwrap().len(), 2);
    ane.close().await;
    assert!(open_as(&db, "bo", BO).await.is_err());
}

#[tokio::test]
async fn the_office_gives_a_member_who_lost_their_passphrase_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let office_db = dir.path().join("office.db");
    let office = Store::open_file(&office_db).await.unwrap();
    office.claim_first_user("kim").await.unwrap();
    office.add_user(&caseworker("cw"), "kim").await.unwrap();
    let recipient = office.init_bundle_key("kim").await.unwrap();

    let db = dir.path().join("laptop.db");
    let laptop = SqliteStore::create_encrypted(&db, "ane", &Passphrase::new(ANE), Some(&recipient))
        .await
        .unwrap();
    Store::from(laptop.clone())
        .claim_first_user("ane")
        .await
        .unwrap();
    laptop.close().await;

    let fresh = Passphrase::new("ane's new passphrase, given at the office");
    // A caseworker at the office may not (the bundle key is not theirs to read).
    let err = office
        .recover_laptop(&db, "ane", &fresh, "cw")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("forbidden"), "{err}");
    let list = office
        .recover_laptop(&db, "ane", &fresh, "kim")
        .await
        .unwrap();
    assert_eq!(list.members, ["ane"]);
    assert!(matches!(
        open_as(&db, "ane", ANE).await,
        Err(StoreError::WrongPassphrase { .. })
    ));
    let ane = open_as(&db, "ane", "ane's new passphrase, given at the office")
        .await
        .unwrap();
    let log = audit(&ane).await;
    assert_eq!(
        log.last().unwrap(),
        &("kim".into(), "keyslot.recovered".into())
    );
    ane.close().await;

    // A laptop without a recovery slot cannot be recovered, and says so.
    let other = dir.path().join("other.db");
    SqliteStore::create_encrypted(&other, "ane", &Passphrase::new(ANE), None)
        .await
        .unwrap()
        .close()
        .await;
    assert!(matches!(
        office.recover_laptop(&other, "ane", &fresh, "kim").await,
        Err(StoreError::NoRecoverySlot)
    ));
    office.close().await;
}

#[tokio::test]
async fn a_laptop_from_before_key_slots_opens_and_gets_slots_when_opened_with_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    // The key file of the previous version: the passphrase's Argon2id key is the database
    // key itself.
    let salt = Kdf::generate().unwrap().salt;
    std::fs::write(
        key_file_path(&db),
        format!(
            r#"{{
  "kdf": "argon2id",
  "version": 19,
  "memory_kib": 65536,
  "iterations": 3,
  "parallelism": 1,
  "salt": "{salt}",
  "cipher": "sqlcipher4"
}}"#
        ),
    )
    .unwrap();
    let old = SqliteStore::open_with(&db, Some(&Passphrase::new(ANE)))
        .await
        .unwrap();
    assert_eq!(old.member(), None, "one passphrase knows no member");
    Store::from(old.clone())
        .claim_first_user("ane")
        .await
        .unwrap();
    old.close().await;
    assert!(matches!(
        open_as(&db, "nobody", ANE).await,
        Err(StoreError::Access(_))
    ));
    assert!(matches!(
        KeyFile::read(&db).unwrap(),
        Some(KeyFile::Single(_))
    ));
    let ane = open_as(&db, "ane", ANE).await.unwrap();
    assert_eq!(ane.member(), Some("ane"));
    assert_eq!(ane.key_slots().unwrap().members, ["ane"]);
    ane.close().await;
    let again = open_as(&db, "ane", ANE).await.unwrap();
    assert_eq!(audit(&again).await.last().unwrap().1, "keyslot.added");
    again.close().await;
}

/// The CLI on a laptop of two: the actor is the member who unlocked, whatever USER says.
#[tokio::test]
async fn on_the_command_line_the_actor_is_the_member_whatever_user_says() {
    let dir = tempfile::tempdir().unwrap();
    let office = BundleKey::generate();
    let db = laptop_of_two(dir.path(), &office).await;
    let pass_file = |name: &str, pass: &str| {
        let file = dir.path().join(format!("{name}.txt"));
        std::fs::write(&file, format!("{pass}\n")).unwrap();
        file
    };
    let (ane_file, bo_file) = (pass_file("ane", ANE), pass_file("bo", BO));
    let run = |user: &str, member: &str, file: &Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_resettle"))
            .arg("--db")
            .arg(&db)
            .arg("--as")
            .arg(member)
            .arg("--passphrase-file")
            .arg(file)
            .arg("--json")
            .args(args)
            .env_remove("RESETTLE_DB")
            .env_remove("RESETTLE_PASSPHRASE")
            .env_remove("RESETTLE_AS")
            .env("USER", user)
            .env("USERNAME", user)
            .env("LOGNAME", user)
            .output()
            .unwrap()
    };
    let json = |out: &std::process::Output| -> serde_json::Value {
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
    };
    let out = run("ane", "bo", &bo_file, &["user", "whoami"]);
    assert!(out.status.success());
    let who = json(&out);
    assert_eq!(
        (who["user"].as_str(), who["authenticated_by"].as_str()),
        (Some("bo"), Some("key_slot"))
    );
    // bo, with USER=ane, may not do what ane may.
    let out = run(
        "ane",
        "bo",
        &bo_file,
        &["user", "add", "cy", "--role", "caseworker"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["code"], "forbidden");
    // ane, with USER=bo, acts as ane; the log says so.
    let out = run(
        "bo",
        "ane",
        &ane_file,
        &["user", "add", "cy", "--role", "caseworker"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And a passphrase given for another member's name opens nothing.
    let out = run("ane", "ane", &bo_file, &["overview"]);
    assert_eq!(json(&out)["code"], "wrong_passphrase");
    let ane = open_as(&db, "ane", ANE).await.unwrap();
    assert_eq!(
        audit(&ane).await.last().unwrap(),
        &("ane".into(), "user.added".into())
    );
    ane.close().await;
}
