//! The Quotas view in the real window: the figures come from the ledger, the forms change
//! it (or show why not, next to the field), and the history and the database agree.

mod harness;

use fantoccini::Locator;
use harness::{
    cli, click, count, fill, number, scroll_to, select, unnamed_controls, wait_for_number,
    wait_for_text, App,
};
use resettle::storage::SqliteStore;

/// The reason typed for the reallocation; the ledger history must show it.
const REASON: &str = "Syrian families from the Kenya mission need 20 more places (e2e)";
const REFUSED_REASON: &str = "Kenya mission, second round (e2e)";
/// The login name the harness gives the app, which it records as the author.
const AUTHOR: &str = "e2e-manager";

#[tokio::test]
async fn allocations_change_through_the_forms_and_the_ledger_agrees() {
    let app = App::start(21).await;
    app.open("Quotas").await;

    // The open year's figures, as the ledger in the database sums them.
    assert_eq!(allocated(&app.db, 2026, "geographical").await, 395);
    wait_for_number(&app, "#q-2026-geographical-allocated", 395).await;
    assert_eq!(number(&app.text_of("#q-2026-total-allocated").await), 500);
    assert!(app
        .text_of("#quota-no-arrivals")
        .await
        .contains("No arrivals"));

    // Every place is allocated: lower 2028's geographical allocation first...
    select(&app, "#allocate-year", "2028").await;
    select(&app, "#allocate-sub_quota", "geographical").await;
    fill(&app, "#allocate-places", "300").await;
    fill(&app, "#allocate-reason", "Make room in 2028 (e2e)").await;
    click(&app, "#allocate-submit").await;
    wait_for_text(&app, "#quota-message", |t| t.contains("300")).await;
    // ...the view now shows the year that changed.
    wait_for_number(&app, "#q-2028-geographical-allocated", 300).await;
    assert_eq!(number(&app.text_of("#q-2028-total-allocated").await), 405);

    // ...then 2027 to 490: within the period's places, but 595 persons is above the annual
    // cap. The refusal stands next to the places field, and what was typed stays.
    select(&app, "#allocate-year", "2027").await;
    fill(&app, "#allocate-places", "490").await;
    fill(&app, "#allocate-reason", REFUSED_REASON).await;
    click(&app, "#allocate-submit").await;
    let refusal = wait_for_text(&app, "#allocate-places-error", |t| t.contains("annual cap")).await;
    assert!(refusal.contains("595"), "{refusal}");
    let places = app.wait_for(Locator::Css("#allocate-places")).await;
    assert_eq!(
        places.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        places.attr("aria-describedby").await.unwrap().as_deref(),
        Some("allocate-places-error")
    );
    assert_eq!(places.prop("value").await.unwrap().as_deref(), Some("490"));
    // Every control of the loaded view, errors shown, has an accessible name.
    assert_eq!(unnamed_controls(&app).await, Vec::<String>::new());

    // Move 20 places of 2026 from emergency and urgent to geographical.
    select(&app, "#reallocate-year", "2026").await;
    select(&app, "#reallocate-from", "emergency_urgent").await;
    select(&app, "#reallocate-to", "geographical").await;
    fill(&app, "#reallocate-places", "20").await;
    fill(&app, "#reallocate-reason", REASON).await;
    click(&app, "#reallocate-submit").await;
    wait_for_number(&app, "#q-2026-geographical-allocated", 415).await;
    assert_eq!(
        number(&app.text_of("#q-2026-emergency_urgent-allocated").await),
        55
    );
    assert_eq!(number(&app.text_of("#q-2026-total-allocated").await), 500);
    assert!(app
        .text_of("#quota-message")
        .await
        .contains("20 places moved from Emergency and urgent to Geographical in 2026"));

    // The newest entry of the ledger history is the move, with its reason.
    let newest = wait_for_text(&app, "#quota-history tbody tr:first-child", |t| {
        t.contains(REASON)
    })
    .await;
    for words in [
        AUTHOR,
        "Reallocation",
        "Emergency and urgent",
        "Geographical",
        "20",
    ] {
        assert!(newest.contains(words), "{words} is not in {newest:?}");
    }

    // The database agrees, and the refused change left nothing behind.
    assert_eq!(allocated(&app.db, 2026, "geographical").await, 415);
    assert_eq!(allocated(&app.db, 2026, "emergency_urgent").await, 55);
    assert_eq!(allocated(&app.db, 2027, "geographical").await, 395);
    assert_eq!(allocated(&app.db, 2028, "geographical").await, 300);
    assert_eq!(
        count(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM quota_entries WHERE kind = 'reallocation' AND year = 2026 \
                 AND sub_quota = 'emergency_urgent' AND to_sub_quota = 'geographical' \
                 AND places = 20 AND reason = '{REASON}'"
            ),
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.db,
            &format!("SELECT COUNT(*) FROM quota_entries WHERE reason = '{REFUSED_REASON}'"),
        )
        .await,
        0
    );

    // The command line reads the same ledger: what the window changed is in its status...
    let status = cli(&app.db, &["quota", "status", "--period", "2026"]);
    let geo = |year: usize| status["years"][year]["sub_quotas"][0].clone();
    assert_eq!(geo(0)["allocated"], 415);
    assert_eq!(geo(2)["allocated"], 300);
    // ...and what the command line changes shows in the window once the view reloads.
    cli(
        &app.db,
        &[
            "quota",
            "allocate",
            "--period",
            "2026",
            "--year",
            "2028",
            "--sub-quota",
            "geographical",
            "--places",
            "290",
            "--reason",
            "changed from the CLI (e2e)",
        ],
    );
    app.open("Overview").await;
    app.open("Quotas").await;
    select(&app, "#quota-year", "2028").await;
    wait_for_number(&app, "#q-2028-geographical-allocated", 290).await;
    wait_for_text(&app, "#quota-history tbody tr:first-child", |t| {
        t.contains("changed from the CLI (e2e)")
    })
    .await;

    scroll_to(&app, "body").await;
    app.screenshot("quotas").await;
    scroll_to(&app, "#allocate").await;
    app.screenshot("quotas-forms").await;
    scroll_to(&app, "#quota-history").await;
    app.screenshot("quotas-history").await;
    app.stop().await;
}

#[tokio::test]
async fn arrivals_show_as_used_places_over_time() {
    let app = App::start(22).await;
    // The back office charges five cases to 2026 and three of them arrive, with the command
    // line, while the app runs.
    let store = SqliteStore::open(std::path::Path::new(&app.db))
        .await
        .unwrap();
    let cases: Vec<String> =
        sqlx::query_scalar("SELECT unhcr_case_no FROM cases ORDER BY unhcr_case_no LIMIT 5")
            .fetch_all(store.pool())
            .await
            .unwrap();
    store.close().await;
    for case in &cases {
        cli(
            &app.db,
            &[
                "quota",
                "commit",
                "--case",
                case,
                "--period",
                "2026",
                "--reason",
                "accepted (e2e)",
            ],
        );
    }
    for case in &cases[..3] {
        cli(&app.db, &["quota", "arrive", "--case", case]);
    }
    let used = count(
        &app.db,
        "SELECT SUM(places) FROM quota_entries WHERE kind = 'arrival'",
    )
    .await;
    let committed = count(
        &app.db,
        "SELECT (SELECT SUM(places) FROM quota_entries WHERE kind = 'commitment')
              - (SELECT SUM(places) FROM quota_entries WHERE kind = 'arrival')",
    )
    .await;
    assert!(used > 0 && committed > 0);

    app.open("Quotas").await;
    wait_for_number(&app, "#q-2026-total-used", used).await;
    assert_eq!(
        number(&app.text_of("#q-2026-total-committed").await),
        committed
    );
    // The step line is drawn (the shell's timestamps parse in the web view) and its text
    // equivalent gives the total.
    let line = app.wait_for(Locator::Css("#quota-used path.used")).await;
    let path = line.attr("d").await.unwrap().unwrap_or_default();
    assert!(path.starts_with('M') && path.contains('V'), "{path:?}");
    assert!(!path.contains("NaN"), "{path:?}");
    let note = app.text_of("#quota-used-note").await;
    assert!(note.contains(&format!("{used} of the period")), "{note}");
    assert!(app
        .client
        .find(Locator::Css("#quota-no-arrivals"))
        .await
        .is_err());
    // Nothing is wider than the window (no sideways scrolling).
    let overflow = app
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflow, serde_json::json!(0));
    assert_eq!(unnamed_controls(&app).await, Vec::<String>::new());
    scroll_to(&app, "#quota-bars-caption").await;
    app.screenshot("quotas-arrivals").await;

    // In Danish: the words, the numbers' format and the deadline statuses.
    app.open("Settings").await;
    app.wait_for(Locator::Css("#language"))
        .await
        .select_by_value("da")
        .await
        .unwrap();
    app.wait_for_heading("Indstillinger").await;
    app.open("Kvoter").await;
    wait_for_number(&app, "#q-2026-total-used", used).await;
    assert_eq!(
        app.text_of("#quota-table thead th:first-child").await,
        "Delkvote"
    );
    assert!(app.text_of("#deadlines").await.contains("Overskredet"));
    assert!(app
        .text_of("#quota-summary")
        .await
        .contains("1.500 pladser"));
    // A refusal from the core, said in Danish.
    select(&app, "#allocate-year", "2027").await;
    select(&app, "#allocate-sub_quota", "medical").await;
    fill(&app, "#allocate-places", "40").await;
    fill(&app, "#allocate-reason", "flere TOM-sager (e2e)").await;
    click(&app, "#allocate-submit").await;
    let refusal = wait_for_text(&app, "#allocate-places-error", |t| !t.is_empty()).await;
    assert_eq!(
        refusal,
        "Periodens fordeling ville komme op på 1.510 pladser, 10 flere end periodens 1.500 pladser."
    );
    app.screenshot("quotas-da").await;
    app.stop().await;
}

/// A year's allocation to a sub-quota, summed from the ledger's entries with SQL of its
/// own: allocations (signed), plus places reallocated in, minus places reallocated out.
async fn allocated(db: &std::ffi::OsStr, year: i32, sub_quota: &str) -> u64 {
    let sql = format!(
        "SELECT COALESCE(SUM(CASE
             WHEN e.kind = 'allocation' AND e.sub_quota = '{sub_quota}' THEN e.places
             WHEN e.kind = 'reallocation' AND e.to_sub_quota = '{sub_quota}' THEN e.places
             WHEN e.kind = 'reallocation' AND e.sub_quota = '{sub_quota}' THEN -e.places
             ELSE 0 END), 0)
         FROM quota_entries e JOIN quota_periods p ON p.id = e.period_id
         WHERE p.start_year = 2026 AND e.year = {year}"
    );
    count(db, &sql).await
}
