//! The field laptop's encrypted database in the real window: nothing shows before the
//! passphrase, a wrong one is refused, the right one opens the Overview, and the window
//! locks again by hand (Alt+L) and by itself after the idle time set in Settings.

mod harness;

use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{axe_violations, click, fill, number, wait_for_text, App, CASEWORKER, MANAGER};
use resettle::demo;

const PASSPHRASE: &str = "e2e field laptop passphrase";
const SEED: u64 = 31;

async fn unlock(app: &App, passphrase: &str) {
    fill(app, "#passphrase", passphrase).await;
    click(app, "#unlock").await;
}

/// The idle lock's field once Settings has read it from the database.
async fn idle_lock_field(app: &App) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let input = app.wait_for(Locator::Css("#idle-lock")).await;
        let value = input.prop("value").await.unwrap().unwrap_or_default();
        if !value.is_empty() {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the idle lock never showed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn nav_links(app: &App) -> usize {
    app.client
        .find_all(Locator::Css("nav a"))
        .await
        .map(|links| links.len())
        .unwrap_or(0)
}

#[tokio::test]
async fn an_encrypted_database_opens_with_its_passphrase_and_locks_again() {
    let app = App::start_encrypted(SEED, PASSPHRASE).await;
    let households = demo::generate(SEED).households.len() as u64;

    // Locked: the passphrase screen, and nothing of the database.
    app.wait_for_heading("Resettle is locked").await;
    assert_eq!(nav_links(&app).await, 0, "no menu while locked");
    assert!(app
        .client
        .find(Locator::Css("#count-households"))
        .await
        .is_err());
    app.screenshot("lock-screen").await;

    unlock(&app, "not the passphrase at all").await;
    let error = app.text_of("#passphrase-error").await;
    assert!(error.contains("does not open the database"), "{error}");
    app.wait_for_heading("Resettle is locked").await;
    app.screenshot("lock-wrong-passphrase").await;

    unlock(&app, PASSPHRASE).await;
    app.wait_for_heading("Overview").await;
    let shown = wait_for_text(&app, "#count-households", |t| !t.is_empty()).await;
    assert_eq!(number(&shown), households);
    assert_eq!(nav_links(&app).await, 7);

    // Lock by hand: Alt+L.
    app.wait_for(Locator::Css("body"))
        .await
        .send_keys(&format!("{}l", Key::Alt))
        .await
        .unwrap();
    app.wait_for_heading("Resettle is locked").await;
    assert_eq!(nav_links(&app).await, 0);

    // Settings: the idle lock, refused out of range and then set to one minute.
    unlock(&app, PASSPHRASE).await;
    app.wait_for_heading("Overview").await;
    app.open("Settings").await;
    let encryption = app.text_of("#encryption").await;
    assert!(encryption.starts_with("Encrypted"), "{encryption}");
    assert_eq!(idle_lock_field(&app).await, "10", "the default idle lock");
    fill(&app, "#idle-lock", "0").await;
    click(&app, "#idle-lock-save").await;
    let refused = app.text_of("#idle-lock-error").await;
    assert!(refused.contains("from 1 to 240"), "{refused}");
    fill(&app, "#idle-lock", "1").await;
    click(&app, "#idle-lock-save").await;
    let saved = app.text_of("#idle-lock-saved").await;
    assert!(saved.contains("after 1 minute without"), "{saved}");
    app.screenshot("settings-idle-lock").await;

    // No input for a minute: the window locks itself and says why.
    tokio::time::sleep(Duration::from_secs(62)).await;
    app.wait_for_heading("Resettle is locked").await;
    let notice = app.text_of("#lock-notice").await;
    assert!(notice.contains("after 1 minute without use"), "{notice}");
    assert_eq!(nav_links(&app).await, 0);
    app.screenshot("lock-after-idle").await;

    // Unlocked, the window is back where it was, and the setting was kept in the database.
    unlock(&app, PASSPHRASE).await;
    app.wait_for_heading("Settings").await;
    assert_eq!(idle_lock_field(&app).await, "1");
    click(&app, "#lock-now").await;
    app.wait_for_heading("Resettle is locked").await;
    app.stop().await;
}

const CASEWORKER_PASSPHRASE: &str = "the caseworker's own passphrase";

async fn lock_now(app: &App) {
    click(app, "#lock-now").await;
    app.wait_for_heading("Resettle is locked").await;
}

/// A laptop shared by two: the manager adds the caseworker's key slot in Settings; the
/// unlock screen then lists both; each unlocks as themselves with their own passphrase and
/// not with the other's; removing the caseworker re-encrypts the file and takes them off.
#[tokio::test]
async fn two_members_each_unlock_as_themselves_and_a_removed_one_is_gone() {
    let app = App::start_encrypted(SEED + 1, PASSPHRASE).await;
    app.wait_for_heading("Resettle is locked").await;
    // One member: no choice, the name is said.
    let alone = app.text_of("#lock-member").await;
    assert!(alone.contains(MANAGER), "{alone}");
    unlock(&app, PASSPHRASE).await;
    app.wait_for_heading("Overview").await;

    app.open("Settings").await;
    let source = app.text_of("#login-source").await;
    assert!(source.contains("key slot"), "{source}");
    let members = app.text_of("#slot-list").await;
    assert!(
        members.contains(MANAGER) && !members.contains(CASEWORKER),
        "{members}"
    );
    // Refused first: passphrases that differ, then one too short; nothing is added.
    fill(&app, "#slot-name", CASEWORKER).await;
    fill(&app, "#slot-passphrase", CASEWORKER_PASSPHRASE).await;
    fill(&app, "#slot-repeat", "something else entirely").await;
    click(&app, "#slot-add").await;
    let refused = app.text_of("#slot-error").await;
    assert!(refused.contains("differ"), "{refused}");
    app.screenshot("key-slots-refused").await;
    let violations = axe_violations(&app).await;
    assert!(
        violations.is_empty(),
        "Settings with the key slots: {violations:?}"
    );
    fill(&app, "#slot-passphrase", "short").await;
    fill(&app, "#slot-repeat", "short").await;
    click(&app, "#slot-add").await;
    let refused = wait_for_text(&app, "#slot-error", |t| t.contains("12")).await;
    assert!(refused.contains("at least 12"), "{refused}");
    fill(&app, "#slot-passphrase", CASEWORKER_PASSPHRASE).await;
    fill(&app, "#slot-repeat", CASEWORKER_PASSPHRASE).await;
    click(&app, "#slot-add").await;
    let added = wait_for_text(&app, "#slot-done", |t| !t.is_empty()).await;
    assert!(added.contains(CASEWORKER), "{added}");
    let members = app.text_of("#slot-list").await;
    assert!(members.contains(CASEWORKER), "{members}");
    lock_now(&app).await;

    // Two members: the screen lists them and asks.
    app.wait_for(Locator::Css("#lock-members")).await;
    app.screenshot("lock-two-members").await;
    let violations = axe_violations(&app).await;
    assert!(
        violations.is_empty(),
        "the unlock screen with two members: {violations:?}"
    );
    unlock(&app, CASEWORKER_PASSPHRASE).await;
    let asked = app.text_of("#passphrase-error").await;
    assert!(asked.contains("Choose your name"), "{asked}");
    click(&app, &format!("#member-{MANAGER}")).await;
    unlock(&app, CASEWORKER_PASSPHRASE).await;
    let error = app.text_of("#passphrase-error").await;
    assert!(error.contains("does not open the database"), "{error}");
    click(&app, &format!("#member-{CASEWORKER}")).await;
    unlock(&app, CASEWORKER_PASSPHRASE).await;
    // Back where the window was locked, now as the caseworker.
    app.wait_for_heading("Settings").await;
    let me = wait_for_text(&app, "#whoami", |t| t.contains(CASEWORKER)).await;
    assert!(me.contains("key slot"), "{me}");
    assert!(
        app.client.find(Locator::Css("#slot-list")).await.is_err(),
        "a caseworker manages no key slots"
    );
    lock_now(&app).await;

    // The manager removes the caseworker: a new key, and one member again.
    click(&app, &format!("#member-{MANAGER}")).await;
    unlock(&app, PASSPHRASE).await;
    app.wait_for_heading("Settings").await;
    click(&app, &format!("#slot-remove-{CASEWORKER}")).await;
    app.wait_for(Locator::Css("#slot-confirm")).await;
    app.screenshot("key-slots-confirm-remove").await;
    click(&app, "#slot-confirm").await;
    let removed = wait_for_text(&app, "#slot-done", |t| t.contains(CASEWORKER)).await;
    assert!(removed.contains("new key"), "{removed}");
    // The database still works under its new key.
    app.open("Overview").await;
    let households = demo::generate(SEED + 1).households.len() as u64;
    let shown = wait_for_text(&app, "#count-households", |t| !t.is_empty()).await;
    assert_eq!(number(&shown), households);
    app.open("Settings").await;
    lock_now(&app).await;
    let alone = app.text_of("#lock-member").await;
    assert!(alone.contains(MANAGER), "{alone}");
    app.stop().await;
}
