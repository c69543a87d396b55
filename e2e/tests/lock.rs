//! The field laptop's encrypted database in the real window: nothing shows before the
//! passphrase, a wrong one is refused, the right one opens the Overview, and the window
//! locks again by hand (Alt+L) and by itself after the idle time set in Settings.

mod harness;

use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{click, fill, number, wait_for_text, App};
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
