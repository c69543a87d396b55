//! Starts the real app on a temporary seeded database through tauri-driver and
//! WebKitWebDriver, and gives the test a WebDriver client on its window.

// Every test file compiles the harness as its own module and uses only part of it.
#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use resettle::demo;
use resettle::domain::access::{Role, User};
use resettle::storage::cipher::Passphrase;
use resettle::storage::{Location, PgStore, SqliteStore, Store};
use serde_json::json;
use tempfile::TempDir;

/// The login of the window in most tests: the database's first user, with every role.
pub const MANAGER: &str = "e2e-manager";
/// A second user, a caseworker without the export grant.
pub const CASEWORKER: &str = "e2e-caseworker";

pub struct App {
    pub client: Client,
    driver: Child,
    /// The app's database as `RESETTLE_DB` names it: a file's path, or a server's URL.
    pub db: OsString,
    _home: TempDir,
}

fn required_env(name: &str) -> PathBuf {
    std::env::var_os(name).map(PathBuf::from).unwrap_or_else(|| {
        panic!("{name} is not set: the end-to-end tests are run by `cargo xtask test`, which builds the app and sets it")
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Seeds a fresh database in `dir` with the demo data of `seed` (and, with `placement`,
/// the demo's placement world: quotas by the key, capacities, twelve accepted households).
async fn seeded_database(
    dir: &Path,
    seed: u64,
    placement: bool,
    passphrase: Option<&str>,
) -> PathBuf {
    let db = dir.join("e2e.db");
    let store = match passphrase {
        Some(p) => SqliteStore::create_encrypted(&db, MANAGER, &Passphrase::new(p), None).await,
        None => SqliteStore::open(&db).await,
    }
    .expect("open test database");
    seed_store(store.into(), seed, placement).await;
    db
}

/// The password of the e2e logins on the test server: a test value.
const LOGIN_PASSWORD: &str = "e2e login password, not a secret";

/// The URL of `database` on the server of `server` (a superuser's URL) as `login`.
pub fn login_url(server: &str, login: &str, database: &str) -> String {
    let (_, rest) = server
        .split_once('@')
        .unwrap_or_else(|| panic!("RESETTLE_TEST_PG_URL={server} names no host"));
    let host = rest.split('/').next().unwrap();
    format!(
        "postgres://{login}:{}@{host}/{database}",
        LOGIN_PASSWORD.replace(' ', "%20")
    )
}

/// Seeds a fresh database on the PostgreSQL server of `RESETTLE_TEST_PG_URL` (`cargo
/// xtask test` starts one), owned by the login `MANAGER` as an office's IT department
/// would set it up, with `CASEWORKER` a login of its own; returns the database's name.
pub async fn seeded_server(seed: u64, placement: bool) -> String {
    use sqlx::Connection;
    let server = std::env::var("RESETTLE_TEST_PG_URL")
        .expect("RESETTLE_TEST_PG_URL is not set: `cargo xtask test` starts a server and sets it");
    let name = format!("e2e_{seed}_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    for (login, extra) in [(MANAGER, "CREATEROLE"), (CASEWORKER, "")] {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
                .bind(login)
                .fetch_one(&mut admin)
                .await
                .unwrap();
        let verb = if exists { "ALTER" } else { "CREATE" };
        sqlx::query(&format!(
            "{verb} ROLE \"{login}\" LOGIN {extra} PASSWORD '{LOGIN_PASSWORD}'"
        ))
        .execute(&mut admin)
        .await
        .unwrap();
    }
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name} OWNER \"{MANAGER}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let store = PgStore::connect(&login_url(&server, MANAGER, &name))
        .await
        .expect("open the server's test database");
    seed_store(store.into(), seed, placement).await;
    name
}

async fn seed_store(store: Store, seed: u64, placement: bool) {
    // The window's login sets the database up, as `resettle init` would, and a caseworker
    // is registered beside it for the tests of what a caseworker may not do.
    store.claim_first_user(MANAGER).await.expect("first user");
    store
        .add_user(
            &User {
                name: CASEWORKER.to_owned(),
                roles: [Role::Caseworker].into(),
                export: false,
                confidential: false,
                active: true,
            },
            MANAGER,
        )
        .await
        .expect("add the caseworker");
    let data = demo::generate(seed);
    store.seed_demo(&data, MANAGER).await.expect("seed");
    if placement {
        store
            .seed_placement_demo(&data.placement, MANAGER)
            .await
            .expect("seed placement");
    }
    store.close().await;
}

impl App {
    pub async fn start(seed: u64) -> App {
        Self::start_with(seed, false, None).await
    }

    /// Starts on the demo data with the window logged in as `login` (MANAGER or
    /// CASEWORKER).
    pub async fn start_as(seed: u64, login: &str) -> App {
        Self::start_full(seed, false, None, login).await
    }

    /// Starts on a database made by `init` alone (the window's login its first user, the
    /// 98 municipalities of the migrations, nothing else), as a new office has it.
    #[allow(dead_code)] // only the tests that start from empty
    pub async fn start_empty() -> App {
        let home = tempfile::tempdir().unwrap();
        let db = home.path().join("e2e.db");
        let store = Store::from(SqliteStore::open(&db).await.expect("open test database"));
        store.claim_first_user(MANAGER).await.expect("first user");
        store.close().await;
        Self::start_on(0, home, db.into(), MANAGER).await
    }

    /// Starts on the demo data with its placement world.
    pub async fn start_with_placement(seed: u64) -> App {
        Self::start_with(seed, true, None).await
    }

    /// Starts on the demo data in an encrypted database (the field laptop's).
    pub async fn start_encrypted(seed: u64, passphrase: &str) -> App {
        Self::start_with(seed, false, Some(passphrase)).await
    }

    /// Starts on the demo data in a database on the office's PostgreSQL server, the window
    /// connected as the owner's login (`MANAGER`).
    pub async fn start_on_server(seed: u64) -> App {
        Self::start_on_server_as(seed, MANAGER).await
    }

    /// The same with the window connected as `login`'s own server login. `App::db` is the
    /// owner's URL, for the test's counts and CLI; `USER` is the owner's name whoever
    /// connects, so it cannot be what decides who acts.
    pub async fn start_on_server_as(seed: u64, login: &str) -> App {
        let name = seeded_server(seed, false).await;
        let server = std::env::var("RESETTLE_TEST_PG_URL").unwrap();
        let mut app = Self::start_on(
            seed,
            tempfile::tempdir().unwrap(),
            login_url(&server, login, &name).into(),
            MANAGER,
        )
        .await;
        app.db = login_url(&server, MANAGER, &name).into();
        app
    }

    async fn start_with(seed: u64, placement: bool, passphrase: Option<&str>) -> App {
        Self::start_full(seed, placement, passphrase, MANAGER).await
    }

    async fn start_full(seed: u64, placement: bool, passphrase: Option<&str>, login: &str) -> App {
        let home = tempfile::tempdir().unwrap();
        let db = seeded_database(home.path(), seed, placement, passphrase).await;
        Self::start_on(seed, home, db.into(), login).await
    }

    async fn start_on(seed: u64, home: TempDir, db: OsString, login: &str) -> App {
        let app = required_env("RESETTLE_E2E_APP");
        let driver_bin = required_env("RESETTLE_E2E_DRIVER");
        let port = free_port();
        // Two calls may hand out the same port once the first listener is gone.
        let native_port = loop {
            let candidate = free_port();
            if candidate != port {
                break candidate;
            }
        };
        // tauri-driver starts WebKitWebDriver, which starts the app: the environment set here
        // reaches the app. A private data and config home keeps the window's saved language
        // (local storage) of one test from leaking into the next, and away from the user's.
        let log_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-logs");
        std::fs::create_dir_all(&log_dir).unwrap();
        let log_path = log_dir.join(format!("seed-{seed}.log"));
        let log = std::fs::File::create(&log_path).unwrap();
        eprintln!("app and driver output: {}", log_path.display());
        let driver = Command::new(&driver_bin)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("RESETTLE_DB", &db)
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            // The app's log folder by default ($XDG_STATE_HOME/resettle/logs), here private.
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env_remove("RESETTLE_LOG_DIR")
            .env_remove("RESETTLE_LOG")
            .env("LANG", "C.UTF-8")
            .env("LANGUAGE", "en")
            // The login name, which the app records as the author of its changes (often
            // unset in containers).
            .env("USER", login)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            // Its own process group, so that dropping the harness also ends WebKitWebDriver
            // and the app even when a test panics.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_bin.display()));
        // tauri-driver spawns WebKitWebDriver and then listens itself, without waiting for
        // it: a session asked for before WebKitWebDriver listens on the native port is
        // dropped mid-answer (hyper's IncompleteMessage, seen in CI). Wait for both.
        let deadline = Instant::now() + Duration::from_secs(30);
        for (listener, what) in [(port, "tauri-driver"), (native_port, "WebKitWebDriver")] {
            while TcpStream::connect(("127.0.0.1", listener)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "{what} did not listen on {listener} within 30 s (see its output above)"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": app }));
        // If the app dies at start, WebKitWebDriver waits for it for ever: bound the wait.
        let url = format!("http://127.0.0.1:{port}");
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let connect = builder.connect(&url);
        let client = tokio::time::timeout(Duration::from_secs(60), connect)
            .await
            .expect("the app did not open a WebDriver session within 60 s (did it start? see its output above)")
            .expect("a WebDriver session on the app");
        App {
            client,
            driver,
            db,
            _home: home,
        }
    }

    /// Where the app writes its log by default, in this test's private state home.
    #[allow(dead_code)] // only the tests of Settings read it
    pub fn log_dir(&self) -> PathBuf {
        self._home
            .path()
            .join("state")
            .join("resettle")
            .join("logs")
    }

    /// The app's own configuration folder (`XDG_CONFIG_HOME`), where Settings keeps the
    /// database of the next start.
    pub fn config_home(&self) -> PathBuf {
        self._home.path().join("config")
    }

    /// Waits for an element, up to 20 s.
    pub async fn wait_for(&self, locator: Locator<'_>) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("waiting for {locator:?}: {e}"))
    }

    /// Waits for the element `css` selects and returns its visible text.
    pub async fn text_of(&self, css: &str) -> String {
        self.try_text_of(css)
            .await
            .unwrap_or_else(|e| panic!("reading the text of {css}: {e}"))
    }

    /// The same, for callers that retry: an element replaced by a re-render between
    /// finding and reading it is an error here, not a panic.
    async fn try_text_of(&self, css: &str) -> Result<String, fantoccini::error::CmdError> {
        self.wait_for(Locator::Css(css)).await.text().await
    }

    /// Clicks the menu link named `label` and waits for the view it opens, whose heading
    /// carries the same name.
    pub async fn open(&self, label: &str) {
        let link = self.wait_for(Locator::LinkText(label)).await;
        link.click()
            .await
            .unwrap_or_else(|e| panic!("clicking {label}: {e}"));
        self.wait_for_heading(label).await;
    }

    /// Waits until the view's heading reads `text`.
    pub async fn wait_for_heading(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let heading = self.try_text_of("main h1").await.unwrap_or_default();
            if heading == text {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the heading reads {heading:?}, not {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot of the window under target/e2e-screenshots/.
    pub async fn screenshot(&self, name: &str) {
        let dir = std::env::var_os("RESETTLE_E2E_SCREENSHOTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots")
            });
        std::fs::create_dir_all(&dir).unwrap();
        // A WebKitWebDriver that cannot snapshot the window never answers: bound the wait.
        let png = tokio::time::timeout(Duration::from_secs(30), self.client.screenshot())
            .await
            .expect("WebKitWebDriver took no screenshot within 30 s")
            .expect("screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the session (which closes the app) and the driver.
    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
    }
}

/// A count from the database (a file or a server), read with SQL independent of the
/// store's overview query.
pub async fn count(db: impl AsRef<OsStr>, sql: &str) -> u64 {
    let location = Location::parse(&db.as_ref().to_string_lossy());
    let store = Store::open(&location, None).await.unwrap();
    let n: i64 = match &store {
        Store::Sqlite(file) => sqlx::query_scalar(sql).fetch_one(file.pool()).await,
        Store::Postgres(server) => sqlx::query_scalar(sql).fetch_one(server.pool()).await,
    }
    .unwrap();
    store.close().await;
    n as u64
}

/// The digits of a displayed number ("1,500" and "1.500" both read 1500).
pub fn number(text: &str) -> u64 {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

/// The interactive controls on the page that have no accessible name: no text, no
/// aria-label, no aria-labelledby target with text, and no <label> (a simplified version
/// of the accessible-name computation that covers what this UI uses).
pub async fn unnamed_controls(app: &App) -> Vec<String> {
    let script = r#"
        const controls = document.querySelectorAll('a[href], button, select, input, textarea, [tabindex]:not([tabindex="-1"])');
        const named = (el) => {
            if ((el.getAttribute('aria-label') || '').trim()) return true;
            const by = el.getAttribute('aria-labelledby');
            if (by && by.split(/\s+/).some((id) => (document.getElementById(id)?.textContent || '').trim())) return true;
            if (el.labels && Array.from(el.labels).some((l) => l.textContent.trim())) return true;
            return (el.textContent || '').trim().length > 0 && !['SELECT', 'INPUT', 'TEXTAREA'].includes(el.tagName);
        };
        return Array.from(controls).filter((el) => !named(el)).map((el) => el.outerHTML.slice(0, 120));
    "#;
    let value = app
        .client
        .execute(script, vec![])
        .await
        .expect("run the check in the page");
    serde_json::from_value(value).expect("a list of strings")
}

/// The WCAG 2.1 A and AA rules axe-core finds broken on the page as it is now: each as
/// "rule: the first element's HTML". axe-core is the front end's dev dependency
/// (ui/node_modules, installed by `npm ci`), injected through WebDriver.
#[allow(dead_code)] // not every suite checks a view
pub async fn axe_violations(app: &App) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run npm ci in ui/)", path.display()));
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        {source}
        axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }} }})
          .then((r) => done(r.violations.map((v) => v.id + ': ' + (v.nodes[0]?.html || '').slice(0, 160))))
          .catch((e) => done(['axe failed: ' + e]));"#
    );
    let value = app
        .client
        .execute_async(&script, vec![])
        .await
        .expect("run axe-core in the page");
    serde_json::from_value(value).expect("a list of strings")
}

// Driving the window: each waits for its element first.

/// Runs the `resettle` command line on the app's database and returns its JSON output.
pub fn cli(db: impl AsRef<OsStr>, args: &[&str]) -> serde_json::Value {
    let exe = std::env::var_os("RESETTLE_E2E_CLI")
        .expect("RESETTLE_E2E_CLI: run through `cargo xtask test`");
    let out = std::process::Command::new(exe)
        .arg("--db")
        .arg(db.as_ref())
        .arg("--json")
        .args(args)
        // As the window's user: the database knows no other login.
        .env("USER", MANAGER)
        .env_remove("USERNAME")
        .env_remove("LOGNAME")
        .output()
        .expect("run resettle");
    assert!(
        out.status.success(),
        "resettle {args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from resettle")
}

pub async fn fill(app: &App, css: &str, text: &str) {
    let input = app.wait_for(Locator::Css(css)).await;
    input
        .clear()
        .await
        .unwrap_or_else(|e| panic!("clearing {css}: {e}"));
    input
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

pub async fn select(app: &App, css: &str, value: &str) {
    app.wait_for(Locator::Css(css))
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choosing {value} in {css}: {e}"));
}

/// Opens the Cases view, searches for `case_no` and opens its dossier.
pub async fn open_dossier(app: &App, case_no: &str) {
    app.open("Cases").await;
    fill(app, "#case-search", case_no).await;
    // The list re-renders when the debounced search answers: a click before that can land
    // where the row no longer is (seen once on the server: no dossier opened).
    wait_for_text(app, "#case-total", |t| {
        t.chars().any(|c| c.is_ascii_digit()) && number(t) == 1
    })
    .await;
    click(app, &format!("[data-case='{case_no}']")).await;
    // The dossier renders after the click: wait for this case's.
    wait_for_text(app, "#dossier-case", |t| t == case_no).await;
}

pub async fn click(app: &App, css: &str) {
    app.wait_for(Locator::Css(css))
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
}

/// Scrolls the element `css` selects to the top of the window, and waits until the
/// scrolled page has been painted (a screenshot right away can show the frame before).
pub async fn scroll_to(app: &App, css: &str) {
    app.client
        .execute_async(
            "const [css, done] = arguments;
             document.querySelector(css).scrollIntoView({ block: 'start' });
             requestAnimationFrame(() => requestAnimationFrame(() => done(window.scrollY)));",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap_or_else(|e| panic!("scrolling to {css}: {e}"));
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Waits up to 20 s for the text of the element `css` selects to satisfy `ok`, and
/// returns it. The view re-renders after a change, so a missing or replaced element is
/// retried, not a failure.
pub async fn wait_for_text(app: &App, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = match app.client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if ok(&text) {
            return text;
        }
        assert!(Instant::now() < deadline, "{css} reads {text:?} after 20 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn wait_for_number(app: &App, css: &str, expected: u64) {
    wait_for_text(app, css, |t| {
        t.chars().any(|c| c.is_ascii_digit()) && number(t) == expected
    })
    .await;
}
