//! The real app in its real window: start, navigation, the Overview's figures, Danish.

mod harness;

use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{
    axe_violations, cli, click, count, fill, number, unnamed_controls, wait_for_text, App,
};

const VIEWS: [(&str, &str, &str); 7] = [
    ("overview", "Overview", "Overblik"),
    ("quotas", "Quotas", "Kvoter"),
    ("missions", "Missions", "Missioner"),
    ("cases", "Cases", "Sager"),
    ("placement", "Placement", "Placering"),
    ("documents", "Documents", "Dokumenter"),
    ("settings", "Settings", "Indstillinger"),
];

#[tokio::test]
async fn the_overview_shows_the_counts_in_the_database() {
    let app = App::start(11).await;
    let households = count(&app.db, "SELECT COUNT(*) FROM cases").await;
    let persons = count(&app.db, "SELECT COUNT(*) FROM persons").await;
    let missions = count(&app.db, "SELECT COUNT(*) FROM missions").await;
    let emergency = count(
        &app.db,
        "SELECT COUNT(*) FROM cases WHERE priority = 'emergency'",
    )
    .await;
    assert!(households > 100 && persons > households && missions == 3);

    assert_eq!(number(&app.text_of("#count-households").await), households);
    assert_eq!(number(&app.text_of("#count-persons").await), persons);
    assert_eq!(number(&app.text_of("#count-missions").await), missions);
    assert_eq!(number(&app.text_of("#count-municipalities").await), 98);
    assert_eq!(number(&app.text_of("#priority-emergency").await), emergency);
    let period = app.text_of("#overview-period").await;
    assert!(
        period.contains("2026") && period.contains("2028"),
        "{period}"
    );
    // Today's work: each count as the command line reads it on the same database (that
    // reading is checked against SQL in tests/first_year.rs), in words, and a link.
    let work = cli(&app.db, &["dashboard"]);
    for (id, field) in [
        ("overdue", "overdue"),
        ("at-risk", "at_risk"),
        ("decisions", "awaiting_decision"),
        ("to-send", "proposals_to_send"),
        ("answers", "awaiting_answer"),
        ("declarations", "declarations_missing"),
        ("missions", "missions_in_field"),
        ("conflicts", "open_conflicts"),
    ] {
        let text = app.text_of(&format!("#work-{id}")).await;
        assert_eq!(
            number(text.split_whitespace().next().unwrap()),
            work[field].as_u64().unwrap(),
            "{id}: {text}"
        );
    }
    assert_eq!(
        work["awaiting_decision"].as_u64().unwrap(),
        count(
            &app.db,
            "SELECT COUNT(*) FROM cases WHERE status IN ('interviewed', 'examined', 'deferred')"
        )
        .await
    );
    let quota = app.text_of("#work-quota").await;
    let left = work["quota"]["available"].as_u64().unwrap();
    assert!(
        quota.contains("left") && number_in(&quota, left),
        "{quota} should say {left} left"
    );
    let violations = axe_violations(&app).await;
    assert!(violations.is_empty(), "the Overview: {violations:?}");
    app.screenshot("overview").await;
    // The overdue cases' link opens the deadline list.
    click(&app, "#work-overdue").await;
    app.wait_for_heading("Quotas").await;
    app.stop().await;
}

/// Whether `text` has `value` among its numbers, as the window writes them (1,234).
fn number_in(text: &str, value: u64) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || c == ','))
        .filter(|w| !w.is_empty())
        .any(|w| number(w) == value)
}

#[tokio::test]
async fn every_navigation_link_opens_its_view() {
    let app = App::start(12).await;
    app.wait_for(Locator::Css("#count-households")).await;
    for (view, label, _) in VIEWS {
        app.open(label).await;
        let current = app.wait_for(Locator::LinkText(label)).await;
        assert_eq!(
            current.attr("aria-current").await.unwrap().as_deref(),
            Some("page"),
            "{label}"
        );
        let url = app.client.current_url().await.unwrap();
        assert_eq!(url.fragment(), Some(format!("/{view}").as_str()));
        assert_eq!(
            unnamed_controls(&app).await,
            Vec::<String>::new(),
            "on {view}"
        );
        app.screenshot(view).await;
    }
    // Settings names the database the app opened: the temporary one.
    let db = app.text_of("#database-path").await;
    assert_eq!(db, app.db.to_string_lossy());
    // And where its log is: the user's log folder, holding today's file of the app's start,
    // in which the database is named by its kind, not its path or anyone's name.
    let logs = app.log_dir();
    let shown = app.text_of("#log-dir").await;
    assert!(shown.starts_with(&*logs.to_string_lossy()), "{shown}");
    let today = chrono::Utc::now().format("%Y-%m-%d");
    let file = logs.join(format!("resettle-app.{today}.log"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(
        text.contains("started") && text.contains("backend=\"file\""),
        "{text}"
    );
    assert!(!text.contains(&*app.db.to_string_lossy()), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn the_views_are_reachable_by_keyboard() {
    let app = App::start(13).await;
    app.wait_for(Locator::Css("#count-households")).await;
    // Alt+3 opens the third view of the menu.
    let body = app.wait_for(Locator::Css("body")).await;
    body.send_keys(&format!(
        "{}3{}",
        char::from(Key::Alt),
        char::from(Key::Null)
    ))
    .await
    .unwrap();
    app.wait_for_heading("Missions").await;
    // Focus a menu link and activate it with Enter, as a keyboard user would.
    let link = app.wait_for(Locator::LinkText("Cases")).await;
    link.send_keys(&char::from(Key::Enter).to_string())
        .await
        .unwrap();
    app.wait_for_heading("Cases").await;
    // After a navigation, focus is on the new view's heading.
    let focused = app.client.active_element().await.unwrap();
    assert_eq!(focused.tag_name().await.unwrap().to_lowercase(), "h1");
    app.stop().await;
}

#[tokio::test]
async fn switching_the_language_to_danish_changes_the_navigation() {
    let app = App::start(14).await;
    app.open("Settings").await;
    let select = app.wait_for(Locator::Css("#language")).await;
    select.select_by_value("da").await.unwrap();
    app.wait_for_heading("Indstillinger").await;
    for (_, english, danish) in VIEWS {
        app.wait_for(Locator::LinkText(danish)).await;
        assert!(
            app.client.find(Locator::LinkText(english)).await.is_err() || english == danish,
            "{english} is still shown"
        );
    }
    app.open("Overblik").await;
    app.wait_for(Locator::Css("#count-households")).await;
    app.screenshot("overview-da").await;
    app.stop().await;
}

/// Settings keeps the office's server as the database of the next start, after checking
/// that it answers; the command line on this machine (the same resolution as the app's
/// start) then opens the server. A server that does not answer is refused at the field.
#[tokio::test]
async fn settings_choose_the_office_server_for_the_next_start() {
    let app = App::start(14).await;
    let name = harness::seeded_server(15, false).await;
    let superuser = std::env::var("RESETTLE_TEST_PG_URL").unwrap();
    let server = harness::login_url(&superuser, harness::MANAGER, &name);
    app.open("Settings").await;
    fill(
        &app,
        "#database-choice",
        "postgres://nobody@127.0.0.1:1/resettle",
    )
    .await;
    click(&app, "#database-choice-save").await;
    wait_for_text(&app, "#database-choice-error", |t| {
        t.contains("cannot open the database")
    })
    .await;
    let file = app.config_home().join("Resettle/database.json");
    assert!(!file.exists(), "a refused choice is not kept");
    fill(&app, "#database-choice", &server).await;
    click(&app, "#database-choice-save").await;
    let next = wait_for_text(&app, "#database-choice-next", |t| t.contains("postgres://")).await;
    // Shown without its password.
    assert!(
        next.contains(&name) && next.contains(harness::MANAGER),
        "{next}"
    );
    assert!(!next.contains("secret"), "{next}");
    harness::scroll_to(&app, "#database-choice-next").await;
    app.screenshot("settings-database-choice").await;
    // What this machine opens now with no --db and no RESETTLE_DB: the server, which
    // alone knows a user registered there meanwhile (a login the server has).
    {
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&superuser).await.unwrap();
        sqlx::query(
            "DO $$ BEGIN
                 IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'only-on-the-server') THEN
                     CREATE ROLE \"only-on-the-server\" LOGIN;
                 END IF;
             END $$",
        )
        .execute(&mut admin)
        .await
        .unwrap();
        admin.close().await.unwrap();
    }
    harness::cli(
        &server,
        &["user", "add", "only-on-the-server", "--role", "caseworker"],
    );
    let cli = std::env::var_os("RESETTLE_E2E_CLI").expect("RESETTLE_E2E_CLI");
    let out = std::process::Command::new(cli)
        .args(["--json", "user", "list"])
        .env_remove("RESETTLE_DB")
        .env("XDG_CONFIG_HOME", app.config_home())
        .env("USER", harness::MANAGER)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{listed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(listed.contains("only-on-the-server"), "{listed}");
    click(&app, "#database-choice-forget").await;
    wait_for_text(&app, "#database-choice-next", |t| t.contains("default")).await;
    assert!(!file.exists());
    app.stop().await;
}
