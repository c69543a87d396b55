//! Roles in the real window: a caseworker's window says who they are and has its change
//! of an allocation refused by the core; an administrator adds a user and is stopped from
//! leaving the database without an administrator, and erases a rejected case on the
//! person's request.

mod harness;

use harness::{
    axe_violations, cli, click, count, fill, open_dossier, scroll_to, wait_for_text, App,
    CASEWORKER, MANAGER,
};

#[tokio::test]
async fn a_caseworker_is_refused_what_needs_a_quota_manager() {
    let app = App::start_as(23, CASEWORKER).await;
    app.open("Settings").await;
    let me = wait_for_text(&app, "#whoami", |t| t.contains(CASEWORKER)).await;
    assert!(me.contains("Caseworker"), "{me}");
    assert!(me.contains("may not export"), "{me}");
    assert!(me.contains("the operating system's login"), "{me}");
    // Only an administrator sees the users.
    assert!(app
        .client
        .find(fantoccini::Locator::Css("#users-table"))
        .await
        .is_err());
    no_quota_controls_and_the_core_refuses(&app, "roles-caseworker-refused").await;
    app.stop().await;
}

/// The office's window on its server, connected with the caseworker's own server login
/// while `USER` names the owner: the server's login is who works, the Quotas view offers
/// no change, and the core refuses the change when the window's command is called anyway.
#[tokio::test]
async fn a_caseworker_s_server_login_decides_the_window_whatever_user_says() {
    let app = App::start_on_server_as(27, CASEWORKER).await;
    app.open("Settings").await;
    let me = wait_for_text(&app, "#whoami", |t| t.contains(CASEWORKER)).await;
    assert!(me.contains("Caseworker"), "{me}");
    assert!(me.contains("the server's login"), "{me}");
    no_quota_controls_and_the_core_refuses(&app, "roles-caseworker-server").await;
    app.stop().await;
}

async fn no_quota_controls_and_the_core_refuses(app: &App, shot: &str) {
    app.open("Quotas").await;
    wait_for_text(app, "#quota-read-only", |t| {
        t.contains("quota manager role")
    })
    .await;
    assert!(app
        .client
        .find(fantoccini::Locator::Css("#allocate-submit"))
        .await
        .is_err());
    app.screenshot(shot).await;
    let entries = count(&app.db, "SELECT COUNT(*) FROM quota_entries").await;
    // The window's own command, called as a script in the window would call it.
    let answer = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke('allocate', { form: {
                 period: 2026, year: 2028, sub_quota: 'geographical', places: 300,
                 exceptional_id: null, reason: 'A caseworker tries (e2e)' } })
               .then((r) => done({ ok: r }), (e) => done({ refused: e }));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(answer["refused"]["code"], "forbidden", "{answer}");
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM quota_entries").await,
        entries,
        "the refusal wrote nothing"
    );
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

    // The administrator writes a receipt of the audit log's head with the office's key,
    // and the command line finds that the database holds it.
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("office.key");
    let receipt = keys.path().join("receipt.json");
    harness::cli(
        &app.db,
        &["audit", "keygen", "--out", key.to_str().unwrap()],
    );
    fill(&app, "#receipt-key", key.to_str().unwrap()).await;
    fill(&app, "#receipt-out", receipt.to_str().unwrap()).await;
    click(&app, "#receipt-write").await;
    let done = wait_for_text(&app, "#receipt-done", |t| t.contains("Receipt written")).await;
    app.screenshot("settings-audit-receipt").await;
    let held = harness::cli(
        &app.db,
        &[
            "audit",
            "verify",
            "--receipt",
            receipt.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(held["check"]["outcome"], "holds", "{held}");
    let head = held["receipt"]["head"].as_str().unwrap();
    assert!(done.contains(head), "{done}");
    app.stop().await;
}

#[tokio::test]
async fn an_administrator_erases_a_rejected_case_on_request() {
    let app = App::start(25).await;
    // The demo data has no closed case: the quota manager rejects an interviewed one.
    let interviewed = cli(&app.db, &["case", "search", "--status", "interviewed"]);
    let case_no = interviewed["rows"][0]["unhcr_case_no"]
        .as_str()
        .unwrap()
        .to_owned();
    cli(
        &app.db,
        &[
            "case",
            "decide",
            &case_no,
            "--reject",
            "--by",
            MANAGER,
            "--reason",
            "e2e: not met",
        ],
    );
    let open = cli(&app.db, &["case", "search", "--status", "submitted"]);
    let open_no = open["rows"][0]["unhcr_case_no"]
        .as_str()
        .unwrap()
        .to_owned();
    let members = count(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM persons p JOIN cases c ON c.id = p.case_id
             WHERE c.unhcr_case_no = '{case_no}'"
        ),
    )
    .await;
    app.open("Settings").await;
    wait_for_text(&app, "#retention-closed_case_years", |_| true).await;
    scroll_to(&app, "#erase-request").await;

    // An open case is refused by the core, next to the form, and nothing is erased.
    fill(&app, "#erase-case", &open_no).await;
    fill(&app, "#erase-reason", "request 2026-41").await;
    click(&app, "#erase-case-submit").await;
    wait_for_text(&app, "#erase-case-text", |t| t.contains(&open_no)).await;
    let violations = axe_violations(&app).await;
    assert!(
        violations.is_empty(),
        "the erasure's confirmation: {violations:?}"
    );
    click(&app, "#erase-case-confirm").await;
    let refusal = wait_for_text(&app, "#erase-error", |t| t.contains("not over")).await;
    assert!(refusal.contains(&open_no), "{refusal}");
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM erasures").await, 0);

    // The rejected case: asked once more, then erased to its tombstone.
    fill(&app, "#erase-case", &case_no).await;
    click(&app, "#erase-case-submit").await;
    wait_for_text(&app, "#erase-case-text", |t| t.contains(&case_no)).await;
    click(&app, "#erase-case-confirm").await;
    let done = wait_for_text(&app, "#erase-done", |t| t.contains("Erased 1 case")).await;
    assert!(done.contains("gone from the database files"), "{done}");
    app.screenshot("settings-retention").await;
    assert_eq!(
        count(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM persons p JOIN cases c ON c.id = p.case_id
                 WHERE c.unhcr_case_no = '{case_no}' AND p.given_name = '—'
                 AND p.family_name = '—' AND p.special_needs IS NULL"
            ),
        )
        .await,
        members
    );
    let verified = cli(&app.db, &["audit", "verify"]);
    assert_eq!(verified["ok"], true, "{verified}");

    // The dossier says the case was erased, and when. The founder reads cases.
    open_dossier(&app, &case_no).await;
    let banner = wait_for_text(&app, ".erased[data-scope='case']", |t| {
        t.contains("the whole case")
    })
    .await;
    assert!(banner.contains("the person's request"), "{banner}");
    let violations = axe_violations(&app).await;
    assert!(violations.is_empty(), "an erased dossier: {violations:?}");
    app.screenshot("cases-erased-dossier").await;
    app.stop().await;
}

/// The confidential grant, given in Settings, opens a dossier's confidential information:
/// read on request, recorded by member, and in the audit log by member, never by text.
#[tokio::test]
async fn a_member_s_confidential_information_is_recorded_with_its_own_grant() {
    let app = App::start(26).await;
    let submitted = cli(&app.db, &["case", "search", "--status", "submitted"]);
    let case_no = submitted["rows"][0]["unhcr_case_no"]
        .as_str()
        .unwrap()
        .to_owned();
    let marker = "E2E-CONFIDENTIAL-told-alone";

    // Without the grant the dossier has no such section.
    open_dossier(&app, &case_no).await;
    let section = app
        .client
        .find_all(fantoccini::Locator::Css("#confidential"))
        .await
        .unwrap();
    assert!(section.is_empty(), "no grant, no section");

    // The administrator gives themselves the grant.
    app.open("Settings").await;
    wait_for_text(&app, "#users-table", |t| t.contains(MANAGER)).await;
    click(
        &app,
        &format!("tr[data-user='{MANAGER}'] input[data-field='confidential']"),
    )
    .await;
    click(&app, &format!("tr[data-user='{MANAGER}'] button.save")).await;
    wait_for_text(&app, "#users-saved", |t| t.contains(MANAGER)).await;

    open_dossier(&app, &case_no).await;
    scroll_to(&app, "#confidential-show").await;
    click(&app, "#confidential-show").await;
    fill(&app, "#confidential-0-text", marker).await;
    click(&app, "#confidential-0-submit").await;
    wait_for_text(&app, "#confidential-0-done", |t| t.contains("saved")).await;
    let violations = axe_violations(&app).await;
    assert!(
        violations.is_empty(),
        "the confidential forms: {violations:?}"
    );
    app.screenshot("cases-confidential").await;

    assert_eq!(
        count(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM confidential_notes n JOIN cases c ON c.id = n.case_id
                 WHERE c.unhcr_case_no = '{case_no}' AND n.note = '{marker}'"
            ),
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'case.confidential_recorded'
                 AND subject = 'case {case_no}: member 1'"
            ),
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.db,
            &format!("SELECT COUNT(*) FROM audit_log WHERE subject LIKE '%{marker}%'"),
        )
        .await,
        0,
        "the log names the member, never the text"
    );
    app.stop().await;
}
