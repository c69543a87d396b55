//! The office server holds who is working and what they may do, not the client: real
//! PostgreSQL logins with passwords (scram-sha-256 on `cargo xtask test`'s server), the
//! real CLI, and each login's own connection saying to the server what `psql` would.
//!
//! Needs a server: `RESETTLE_TEST_PG_URL` (a superuser's URL), so ignored without one;
//! `cargo xtask test` runs it with `--ignored`. Logins are the whole cluster's, so each
//! test names its own after itself.

use std::process::{Command, Output};

use serde_json::Value;
use sqlx::{Connection, PgConnection, Row};

/// The server's superuser URL.
fn server() -> url::Url {
    let url = std::env::var("RESETTLE_TEST_PG_URL")
        .expect("RESETTLE_TEST_PG_URL: the test server's superuser URL (cargo xtask pg)");
    url::Url::parse(&url).expect("a URL")
}

/// A database owned by its own owner login, and a caseworker, a quota manager and an
/// administrator login, none of them superusers: what an IT department sets up first.
struct Office {
    prefix: String,
    database: String,
}

const PASSWORD: &str = "a test login password";

impl Office {
    async fn new(test: &str) -> Office {
        let prefix = format!("{test}_{}", std::process::id());
        let database = format!("{prefix}_db");
        let mut su = superuser().await;
        for (login, extra) in [
            ("boss", "CREATEROLE"),
            ("cw", ""),
            ("qm", ""),
            ("adm", ""),
            ("outsider", ""),
        ] {
            exec(
                &mut su,
                &format!("CREATE ROLE {prefix}_{login} LOGIN {extra} PASSWORD '{PASSWORD}'"),
            )
            .await;
        }
        exec(
            &mut su,
            &format!("CREATE DATABASE {database} OWNER {prefix}_boss"),
        )
        .await;
        su.close().await.unwrap();
        Office { prefix, database }
    }

    fn login(&self, who: &str) -> String {
        format!("{}_{who}", self.prefix)
    }

    fn url(&self, who: &str) -> String {
        self.url_with(who, PASSWORD)
    }

    fn url_with(&self, who: &str, password: &str) -> String {
        let mut url = server();
        url.set_username(&self.login(who)).unwrap();
        url.set_password(Some(password)).unwrap();
        url.set_path(&self.database);
        url.to_string()
    }

    /// `resettle --db <who's URL> --json ARGS`, with `USER` set to the owner's name: the
    /// operating system's login must change nothing on a server.
    fn cli(&self, who: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_resettle"))
            .arg("--db")
            .arg(self.url(who))
            .arg("--json")
            .args(args)
            .env_remove("RESETTLE_DB")
            .env("USER", self.login("boss"))
            .env("USERNAME", self.login("boss"))
            .env("LOGNAME", self.login("boss"))
            .output()
            .expect("run resettle")
    }

    fn ok(&self, who: &str, args: &[&str]) -> Value {
        let out = self.cli(who, args);
        assert!(
            out.status.success(),
            "{who} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    /// A refusal: exit 1 and its code.
    fn refused(&self, who: &str, args: &[&str]) -> Value {
        let out = self.cli(who, args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{who} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    /// The login's own connection, as `psql` would make it.
    async fn psql(&self, who: &str) -> PgConnection {
        PgConnection::connect(&self.url(who)).await.unwrap()
    }

    async fn as_superuser(&self) -> PgConnection {
        let mut url = server();
        url.set_path(&self.database);
        PgConnection::connect(url.as_str()).await.unwrap()
    }

    /// Sets up the office: init by the owner, the three users, the bundle key.
    fn set_up(&self) {
        let init = self.ok("boss", &["init"]);
        assert_eq!(init["first_user"], self.login("boss"));
        for (who, role, export) in [
            ("cw", "caseworker", false),
            ("qm", "quota_manager", true),
            ("adm", "administrator", false),
        ] {
            let name = self.login(who);
            let mut args = vec!["user", "add", &name, "--role", role];
            if export {
                args.push("--export");
            }
            self.ok("boss", &args);
        }
        self.ok("boss", &["keys", "init"]);
    }
}

async fn superuser() -> PgConnection {
    PgConnection::connect(server().as_str()).await.unwrap()
}

async fn exec(conn: &mut PgConnection, sql: &str) {
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The SQLSTATE the server answers `sql` with, or None when it is done.
async fn denial(conn: &mut PgConnection, sql: &str) -> Option<String> {
    match sqlx::query(sql).execute(&mut *conn).await {
        Ok(_) => None,
        Err(e) => Some(
            e.as_database_error()
                .and_then(|d| d.code())
                .map(|c| c.into_owned())
                .unwrap_or_else(|| format!("not a server error: {e}")),
        ),
    }
}

async fn assert_denied(conn: &mut PgConnection, who: &str, sql: &str) {
    // 42501, insufficient_privilege: a missing grant, or "must be owner of table".
    assert_eq!(
        denial(conn, sql).await.as_deref(),
        Some("42501"),
        "{who} was not denied: {sql}"
    );
}

const PERIOD: &[&str] = &[
    "quota",
    "create-period",
    "--start-year",
    "2026",
    "--places",
    "1500",
];

#[tokio::test]
#[ignore = "needs RESETTLE_TEST_PG_URL (cargo xtask test runs it)"]
async fn the_server_login_is_who_acts_whatever_user_says() {
    let office = Office::new("who_acts").await;
    office.set_up();
    // USER names the owner; the server says who is connected.
    let me = office.ok("cw", &["user", "whoami"]);
    assert_eq!(me["user"], office.login("cw"));
    assert_eq!(me["authenticated_by"], "server");
    assert_eq!(me["users"][0]["roles"], serde_json::json!(["caseworker"]));

    office.ok("qm", PERIOD);
    let mut su = office.as_superuser().await;
    let last: (String, String) =
        sqlx::query_as("SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_one(&mut su)
            .await
            .unwrap();
    assert_eq!(last.0, office.login("qm"), "{last:?}");

    // A caseworker writing the audit log by hand, claiming to be the owner, at a forged
    // time: the server stamps its own login and clock.
    let mut cw = office.psql("cw").await;
    exec(
        &mut cw,
        &format!(
            "INSERT INTO audit_log (seq, at, actor, action, subject, prev_hash, hash)
             VALUES (999, '2020-01-01T00:00:00.000Z', '{}', 'forged', 'x', 'x', 'x')",
            office.login("boss")
        ),
    )
    .await;
    let row = sqlx::query(
        "SELECT seq, at, actor, CAST(at AS TIMESTAMPTZ) > now() - INTERVAL '5 minutes' AS fresh
         FROM audit_log WHERE action = 'forged'",
    )
    .fetch_one(&mut su)
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>("actor"), office.login("cw"));
    assert!(
        row.get::<bool, _>("fresh"),
        "{}",
        row.get::<String, _>("at")
    );
    assert_ne!(row.get::<i64, _>("seq"), 999);
    // The entries the server made chain as the store's would.
    let verify = office.ok("adm", &["audit", "verify"]);
    assert_eq!(verify["ok"], true, "{verify}");

    // Another name claimed through the library is refused, not used.
    let store = resettle::storage::PgStore::connect(&office.url("cw"))
        .await
        .unwrap();
    let store = resettle::storage::Store::from(store);
    assert_eq!(store.login(), Some(office.login("cw").as_str()));
    let err = store
        .create_period(
            &resettle::domain::quota::QuotaPeriod::new(2030, 1500),
            &[],
            &resettle::storage::Change {
                author: &office.login("qm"),
                reason: "claimed by another login",
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("connected_as"), "{err}");
    store.close().await;
}

#[tokio::test]
#[ignore = "needs RESETTLE_TEST_PG_URL (cargo xtask test runs it)"]
async fn each_role_is_held_by_the_server_against_psql() {
    let office = Office::new("roles").await;
    office.set_up();
    office.ok("qm", PERIOD);

    // The CLI refuses a caseworker the quota, and a quota manager the users.
    let refusal = office.refused(
        "cw",
        &[
            "quota",
            "create-period",
            "--start-year",
            "2030",
            "--places",
            "9",
        ],
    );
    assert_eq!(refusal["code"], "forbidden", "{refusal}");
    let refusal = office.refused(
        "qm",
        &[
            "user",
            "add",
            &office.login("outsider"),
            "--role",
            "administrator",
        ],
    );
    assert_eq!(refusal["code"], "forbidden", "{refusal}");

    let boss = office.login("boss");
    let cw_name = office.login("cw");
    let mut cw = office.psql("cw").await;
    for sql in [
        format!("INSERT INTO user_roles (\"user\", role) VALUES ('{cw_name}', 'administrator')"),
        format!("INSERT INTO users (name, export, active, created_at) VALUES ('{boss}x', TRUE, TRUE, 'now')"),
        format!("UPDATE users SET export = TRUE WHERE name = '{cw_name}'"),
        "INSERT INTO quota_entries DEFAULT VALUES".to_owned(),
        "UPDATE quota_entries SET places = 0".to_owned(),
        "INSERT INTO decisions DEFAULT VALUES".to_owned(),
        "UPDATE audit_log SET actor = 'x'".to_owned(),
        "DELETE FROM audit_log".to_owned(),
        "TRUNCATE audit_log".to_owned(),
        "TRUNCATE quota_entries".to_owned(),
        "DELETE FROM case_transitions".to_owned(),
        "UPDATE audit_issued SET seq = 0".to_owned(),
        "ALTER TABLE audit_log DISABLE TRIGGER ALL".to_owned(),
        "DROP TABLE cases".to_owned(),
        "CREATE TABLE mine (x INT)".to_owned(),
        format!("SELECT resettle_sync_login('{cw_name}')"),
        // Recording an export needs the export grant, whatever the client says it is.
        "INSERT INTO audit_log (actor, action, subject) VALUES ('x', 'document.pack.exported', 'x')"
            .to_owned(),
    ] {
        assert_denied(&mut cw, "the caseworker", &sql).await;
    }

    let mut qm = office.psql("qm").await;
    for sql in [
        format!(
            "INSERT INTO user_roles (\"user\", role) VALUES ('{}', 'administrator')",
            office.login("qm")
        ),
        "INSERT INTO users (name, export, active, created_at) VALUES ('x', TRUE, TRUE, 'now')"
            .to_owned(),
        "UPDATE audit_log SET actor = 'x'".to_owned(),
        "DELETE FROM quota_entries".to_owned(),
        "UPDATE quota_entries SET places = 0".to_owned(),
        "UPDATE decisions SET reasons = 'x'".to_owned(),
        "TRUNCATE placements".to_owned(),
        "ALTER TABLE quota_entries DISABLE TRIGGER ALL".to_owned(),
        "DROP TRIGGER audit_log_stamp ON audit_log".to_owned(),
    ] {
        assert_denied(&mut qm, "the quota manager", &sql).await;
    }

    // The administrator reads no case: not the protection texts, not the notes, not a
    // name; only the columns the overview counts.
    let mut adm = office.psql("adm").await;
    for sql in [
        "SELECT * FROM cases",
        "SELECT rrf_ref FROM cases",
        "SELECT * FROM persons",
        "SELECT * FROM interviews",
        "SELECT * FROM screening_flags",
        "SELECT * FROM consents",
        "INSERT INTO quota_entries DEFAULT VALUES",
    ] {
        assert_denied(&mut adm, "the administrator", sql).await;
    }
    assert!(denial(
        &mut adm,
        "SELECT COUNT(*) FROM cases WHERE priority = 'urgent'"
    )
    .await
    .is_none());
    office.ok("adm", &["overview"]);

    // The bundle secret: only the role that checks missions in sees it.
    for (who, conn, rows) in [("cw", &mut cw, 0), ("qm", &mut qm, 1), ("adm", &mut adm, 0)] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM settings WHERE key = 'bundle_key'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(n, rows, "{who} sees the bundle secret {n} times");
    }
    // Its public half is everyone's.
    let shown = office.ok("cw", &["keys", "show"]);
    assert!(shown.to_string().contains("age1"), "{shown}");
}

#[tokio::test]
#[ignore = "needs RESETTLE_TEST_PG_URL (cargo xtask test runs it)"]
async fn users_are_server_logins_granted_and_revoked_by_an_administrator() {
    let office = Office::new("users").await;
    office.set_up();
    let mut su = office.as_superuser().await;
    let groups = |login: String| {
        format!(
            "SELECT COALESCE(string_agg(g.rolname, ',' ORDER BY g.rolname), '') FROM pg_auth_members m
             JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
             WHERE u.rolname = '{login}'"
        )
    };
    let qm_groups: String = sqlx::query_scalar(&groups(office.login("qm")))
        .fetch_one(&mut su)
        .await
        .unwrap();
    assert_eq!(
        qm_groups,
        format!("{0}_export,{0}_quota_manager", office.database)
    );

    // A user needs a login the server knows; nothing is registered without one.
    let users_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut su)
        .await
        .unwrap();
    let refusal = office.refused(
        "adm",
        &["user", "add", "nobody_here", "--role", "caseworker"],
    );
    assert_eq!(refusal["code"], "no_server_login", "{refusal}");
    assert!(
        refusal["error"].as_str().unwrap().contains("nobody_here"),
        "{refusal}"
    );
    let users_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut su)
        .await
        .unwrap();
    assert_eq!(users_before, users_after);

    // A login that is no user cannot even connect; the wrong password neither.
    let out = office.cli("outsider", &["overview"]);
    assert_eq!(out.status.code(), Some(1));
    let out = Command::new(env!("CARGO_BIN_EXE_resettle"))
        .args(["--db", &office.url_with("cw", "wrong password"), "overview"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("password authentication failed"));

    // The administrator adds the outsider: they connect and work as a caseworker.
    office.ok(
        "adm",
        &[
            "user",
            "add",
            &office.login("outsider"),
            "--role",
            "caseworker",
        ],
    );
    office.ok("outsider", &["overview"]);
    // Deactivated: the server takes every group back, and the login is shut out.
    office.ok(
        "adm",
        &["user", "set", &office.login("outsider"), "--deactivate"],
    );
    let left: String = sqlx::query_scalar(&groups(office.login("outsider")))
        .fetch_one(&mut su)
        .await
        .unwrap();
    assert_eq!(left, "");
    let out = office.cli("outsider", &["overview"]);
    assert_eq!(out.status.code(), Some(1));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("permission denied for database"), "{said}");
}

#[tokio::test]
#[ignore = "needs RESETTLE_TEST_PG_URL (cargo xtask test runs it)"]
async fn only_the_owner_changes_the_schema() {
    let office = Office::new("schema").await;
    // Before the owner's init, another login finds nothing to work on, and makes nothing.
    let mut su = office.as_superuser().await;
    exec(
        &mut su,
        &format!(
            "GRANT CONNECT ON DATABASE {} TO {}",
            office.database,
            office.login("cw")
        ),
    )
    .await;
    let refusal = office.refused("cw", &["overview"]);
    assert_eq!(refusal["code"], "not_set_up", "{refusal}");
    let tables: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(&mut su)
            .await
            .unwrap();
    assert_eq!(tables, 0);

    office.set_up();
    office.ok("cw", &["overview"]);
    // A schema behind this version: refused with both versions named, changed by no one
    // but the owner.
    let newest: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&mut su)
        .await
        .unwrap();
    exec(
        &mut su,
        &format!("DELETE FROM _sqlx_migrations WHERE version = {newest}"),
    )
    .await;
    let refusal = office.refused("cw", &["overview"]);
    assert_eq!(refusal["code"], "schema_behind", "{refusal}");
    assert_eq!(refusal["params"]["need"], newest.to_string(), "{refusal}");
    assert!(refusal["params"]["have"].as_str().unwrap() < newest.to_string().as_str());
}
