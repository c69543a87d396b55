//! How the store suites open their database: plain SQLite by default, SQLCipher when
//! `RESETTLE_TEST_STORE=sqlcipher`, and a PostgreSQL server when
//! `RESETTLE_TEST_STORE=postgres` (the server's URL in `RESETTLE_TEST_PG_URL`; `cargo
//! xtask test` starts one). `cargo xtask test` runs the suites each way, so every store
//! operation is tried on an encrypted file and on the office's server too.

use std::path::Path;

use resettle::domain::access::founder;
use resettle::storage::cipher::{is_encrypted, Passphrase};
use resettle::storage::keyslots::Unlock;
use resettle::storage::{PgStore, SqliteStore, Store, StoreError};

/// The backend the suites run against, from `RESETTLE_TEST_STORE`.
pub fn backend() -> &'static str {
    match std::env::var("RESETTLE_TEST_STORE").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => "sqlite",
        Ok("sqlcipher") => "sqlcipher",
        Ok("postgres") => "postgres",
        Ok(other) => panic!("RESETTLE_TEST_STORE={other}: use sqlite, sqlcipher or postgres"),
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
pub async fn open_store(path: &Path) -> Result<Store, StoreError> {
    let store = open_bare(path).await?;
    register_test_users(&store).await?;
    Ok(store)
}

async fn register_test_users(store: &Store) -> Result<(), StoreError> {
    store.claim_first_user(TEST_USERS[0]).await?;
    for name in &TEST_USERS[1..] {
        if store.user(name).await?.is_none() {
            let user = founder(name).expect("a valid name");
            store.add_user(&user, TEST_USERS[0]).await?;
        }
    }
    Ok(())
}

/// Opens a field laptop's database at `path`, with the suites' users: always a file, as
/// a laptop's is (encrypted when the suites run on SQLCipher), so that on the PostgreSQL
/// run a mission goes from the server to a file and back, as it does in the field.
#[allow(dead_code)] // only the bundle suites have a laptop
pub async fn open_laptop(path: &Path) -> Result<Store, StoreError> {
    if backend() == "postgres" {
        let store = Store::from(SqliteStore::open(path).await?);
        register_test_users(&store).await?;
        Ok(store)
    } else {
        open_store(path).await
    }
}

/// Opens the database at `path` on the suites' backend, registering nobody. On
/// PostgreSQL, `path` names a database of its own on the server, created on first use,
/// so that each test has a fresh one and opening the same path again opens the same.
#[allow(dead_code)] // not every suite needs a database without users
pub async fn open_bare(path: &Path) -> Result<Store, StoreError> {
    match backend() {
        "sqlcipher" => {
            // The file's one member is TEST_USERS[0], whose passphrase the CLI suites give
            // (so the CLI acts as that member). The store suites act as several users on one
            // store, which a member's unlock refuses (`unlocked_as`), so they open it
            // through the recovery slot, which knows no member, with the suites' own office
            // key; tests/keyslots.rs tests the members themselves.
            if !is_encrypted(path) {
                let passphrase = Passphrase::new(TEST_PASSPHRASE);
                let office = test_office_key().recipient();
                SqliteStore::create_encrypted(path, "test", &passphrase, Some(&office))
                    .await?
                    .close()
                    .await;
            }
            Ok(SqliteStore::open_unlocking(
                path,
                Some(Unlock::Recovery(test_office_key().identity())),
            )
            .await?
            .into())
        }
        "postgres" => Ok(PgStore::connect(&pg_database(path).await).await?.into()),
        _ => Ok(SqliteStore::open(path).await?.into()),
    }
}

/// The suites' office key for the recovery slots of their encrypted files: made once per
/// test process (a file is opened by the process that made it).
pub fn test_office_key() -> &'static resettle::bundle::BundleKey {
    static KEY: std::sync::OnceLock<resettle::bundle::BundleKey> = std::sync::OnceLock::new();
    KEY.get_or_init(resettle::bundle::BundleKey::generate)
}

/// The URL of the server's database for `path`, created if it is not there yet.
#[allow(dead_code)] // not every suite has a server
pub async fn pg_database(path: &Path) -> String {
    use sqlx::Connection;
    let server = std::env::var("RESETTLE_TEST_PG_URL")
        .expect("RESETTLE_TEST_STORE=postgres needs RESETTLE_TEST_PG_URL (cargo xtask pg)");
    let digest = resettle::documents::sha256_hex(path.to_string_lossy().as_bytes());
    let name = format!("t_{}", &digest[..24]);
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .expect("the test server answers");
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut admin)
        .await
        .unwrap();
    if exists.is_none() {
        // Several tasks of one test may open the same path at once: one creates the
        // database, the others find it made (duplicate_database, or the catalog's
        // unique_violation when they raced inside CREATE DATABASE itself).
        if let Err(e) = sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
        {
            let code = e.as_database_error().and_then(|d| d.code());
            assert!(
                matches!(code.as_deref(), Some("42P04") | Some("23505")),
                "CREATE DATABASE {name}: {e}"
            );
        }
    }
    admin.close().await.unwrap();
    let mut url = url::Url::parse(&server).expect("RESETTLE_TEST_PG_URL is a URL");
    url.set_path(&name);
    url.to_string()
}

/// The password of every login the suites make on the test server: a test value.
#[allow(dead_code)]
pub const TEST_LOGIN_PASSWORD: &str = "a suite login password, not a secret";

/// Makes the server login `login` (with `TEST_LOGIN_PASSWORD`) if the server lacks it.
/// Logins are the whole server's, so several tests may make the same one at once.
#[allow(dead_code)] // only the suites whose CLI works as server logins
pub async fn pg_login(login: &str) {
    make_login(login, "").await
}

/// Makes (or sets) the login with `options` (e.g. CREATEROLE) and the suites' password,
/// one test at a time: two changes of one role at once fail with "tuple concurrently
/// updated".
#[allow(dead_code)] // not every suite makes logins
async fn make_login(login: &str, options: &str) {
    use sqlx::Connection;
    let server = std::env::var("RESETTLE_TEST_PG_URL").expect("RESETTLE_TEST_PG_URL");
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(ROLES_LOCK)
        .execute(&mut admin)
        .await
        .unwrap();
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(login)
            .fetch_one(&mut admin)
            .await
            .unwrap();
    // Made before (perhaps by hand, with another password): set as the suites need it.
    let verb = if exists { "ALTER" } else { "CREATE" };
    let sql = format!("{verb} ROLE \"{login}\" LOGIN {options} PASSWORD '{TEST_LOGIN_PASSWORD}'");
    sqlx::query(&sql)
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    // Closing the session releases the lock.
    admin.close().await.unwrap();
}

/// The advisory lock the suites take around changes to the server's roles.
#[allow(dead_code)]
const ROLES_LOCK: i64 = 0x524f_4c45; // "ROLE"

/// `url` (a server database's) as the login `login` with its password: how a person
/// reaches the office server, and so who the server says is acting.
#[allow(dead_code)]
pub fn as_login(url: &str, login: &str) -> String {
    let mut url = url::Url::parse(url).expect("a server database's URL");
    url.set_username(login).unwrap();
    url.set_password(Some(TEST_LOGIN_PASSWORD)).unwrap();
    url.to_string()
}

/// Whether the server refuses `sql` to the login in `url` for want of a privilege
/// (SQLSTATE 42501), as a person with `psql` and their own login would try it.
#[allow(dead_code)] // only the suites that check the server's grants
pub fn pg_denied(url: &str, sql: &str) -> bool {
    use sqlx::Connection;
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        let result = sqlx::query(sql).fetch_all(&mut conn).await;
        conn.close().await.unwrap();
        match result {
            Ok(_) => false,
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42501") => true,
            Err(e) => panic!("{sql}: {e}"),
        }
    })
}

/// As `pg_database`, with the database owned by the login `owner` (made if missing), so
/// that the owner's CLI sets it up as an office's IT department would have it; its URL
/// as the superuser.
#[allow(dead_code)]
pub async fn pg_owned_database(path: &Path, owner: &str) -> String {
    use sqlx::Connection;
    // The owner makes the group roles at its first init.
    make_login(owner, "CREATEROLE").await;
    let url = pg_database(path).await;
    let name = url::Url::parse(&url)
        .unwrap()
        .path()
        .trim_start_matches('/')
        .to_owned();
    let server = std::env::var("RESETTLE_TEST_PG_URL").expect("RESETTLE_TEST_PG_URL");
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("ALTER DATABASE {name} OWNER TO \"{owner}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    url
}

/// A copy of the server database at `url`, named after it and `name`, made with the
/// original as its template (which needs nobody connected to the original); its URL.
#[allow(dead_code)] // not every suite copies databases
pub async fn pg_copy(url: &str, name: &str) -> String {
    use sqlx::Connection;
    let mut target = url::Url::parse(url).expect("a server database's URL");
    let original = target.path().trim_start_matches('/').to_owned();
    let copy = format!("{original}_{name}").replace('-', "_");
    let server = std::env::var("RESETTLE_TEST_PG_URL").expect("RESETTLE_TEST_PG_URL");
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    // Owned by the original's owner, as a copy an owner restored would be.
    let owner: String = sqlx::query_scalar(
        "SELECT CAST(pg_get_userbyid(datdba) AS TEXT) FROM pg_database WHERE datname = $1",
    )
    .bind(&original)
    .fetch_one(&mut admin)
    .await
    .unwrap();
    sqlx::query(&format!(
        "CREATE DATABASE {copy} TEMPLATE {original} OWNER \"{owner}\""
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    admin.close().await.unwrap();
    target.set_path(&copy);
    target.to_string()
}

/// Runs `$body` with `$pool` bound to the store's own pool, whichever backend it is, for
/// tests that read or change tables behind the store's back. The body is compiled once
/// per backend, so its SQL must suit both (`$1` placeholders, portable functions).
#[allow(unused_macros)]
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store {
            resettle::storage::Store::Sqlite(s) => {
                let $pool = s.pool();
                $body
            }
            resettle::storage::Store::Postgres(s) => {
                let $pool = s.pool();
                $body
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_pool;

/// The row count of each table, in order: what a refused operation must leave as it was.
#[allow(dead_code)] // not every suite checks refusals this way
pub async fn row_counts(store: &Store, tables: &[&str]) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in tables {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        counts.push(on_pool!(store, |pool| sqlx::query_scalar(&sql)
            .fetch_one(pool)
            .await
            .unwrap()));
    }
    counts
}
