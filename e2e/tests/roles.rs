//! Roles in the real window: a caseworker's window says who they are and has its change
//! of an allocation refused by the core; an administrator adds a user and is stopped from
//! leaving the database without an administrator.

mod harness;

use harness::{click, count, fill, select, wait_for_text, App, CASEWORKER, MANAGER};

#[tokio::test]
async fn a_caseworker_is_refused_what_needs_a_quota_manager() {
    let app = App::start_as(23, CASEWORKER).await;
    app.open("Settings").await;
    let me = wait_for_text(&app, "#whoami", |t| t.contains(CASEWORKER)).await;
    assert!(me.contains("Caseworker"), "{me}");
    assert!(me.contains("may not export"), "{me}");
    // Only an administrator sees the users.
    assert!(app
        .client
        .find(fantoccini::Locator::Css("#users-table"))
        .await
        .is_err());

    app.open("Quotas").await;
    let entries = count(&app.db, "SELECT COUNT(*) FROM quota_entries").await;
    select(&app, "#allocate-year", "2028").await;
    select(&app, "#allocate-sub_quota", "geographical").await;
    fill(&app, "#allocate-places", "300").await;
    fill(&app, "#allocate-reason", "A caseworker tries (e2e)").await;
    click(&app, "#allocate-submit").await;
    let refusal = wait_for_text(&app, "#allocate-alert", |t| t.contains("may not")).await;
    assert!(
        refusal.contains("e2e-caseworker may not do this: it needs the quota manager role"),
        "{refusal}"
    );
    app.screenshot("roles-caseworker-refused").await;
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM quota_entries").await,
        entries,
        "the refusal wrote nothing"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_administrator_adds_a_user_and_cannot_remove_the_last_administrator() {
    let app = App::start(24).await;
    app.open("Settings").await;
    wait_for_text(&app, "#whoami", |t| {
        t.contains(MANAGER) && t.contains("Administrator")
    })
    .await;
    wait_for_text(&app, "#users-table", |t| t.contains(CASEWORKER)).await;

    fill(&app, "#new-user", "e2e-newcomer").await;
    click(&app, "[data-new-role='quota_manager']").await;
    click(&app, "#new-user-export").await;
    click(&app, "#add-user").await;
    wait_for_text(&app, "#users-saved", |t| t.contains("e2e-newcomer added")).await;
    wait_for_text(&app, "#users-table", |t| t.contains("e2e-newcomer")).await;
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM user_roles WHERE user = 'e2e-newcomer'"
        )
        .await,
        2,
        "caseworker and quota manager"
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM users WHERE name = 'e2e-newcomer' AND export = 1"
        )
        .await,
        1
    );

    // A login with a space is refused next to the field.
    fill(&app, "#new-user", "two words").await;
    click(&app, "#add-user").await;
    wait_for_text(&app, "#new-user-error", |t| t.contains("is not a login")).await;

    // The window's own user is the only administrator: taking the role away is refused.
    let own = format!("tr[data-user='{MANAGER}'] input[data-role='administrator']");
    click(&app, &own).await;
    click(&app, &format!("tr[data-user='{MANAGER}'] button.save")).await;
    let refusal = wait_for_text(&app, "#users-error", |t| t.contains("last")).await;
    assert!(
        refusal.contains("e2e-manager is the last active administrator"),
        "{refusal}"
    );
    app.screenshot("roles-users").await;
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM user_roles WHERE user = 'e2e-manager' AND role = 'administrator'"
        )
        .await,
        1
    );
    app.stop().await;
}
