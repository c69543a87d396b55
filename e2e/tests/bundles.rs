//! Field laptops in the real window: the office makes its bundle key and checks a mission
//! out to a laptop's key from the Missions view; the laptop's database (through the CLI)
//! receives the file, and the office's own window cannot read it back.

mod harness;

use harness::{cli, click, count, fill, select, wait_for_text, App};

#[tokio::test]
async fn the_office_checks_a_mission_out_and_only_the_laptop_reads_it() {
    let app = App::start(25).await;
    let dir = tempfile::tempdir().unwrap();
    let laptop = dir.path().join("laptop.db");
    cli(&laptop, &["init"]);
    let key = cli(&laptop, &["keys", "init"])["recipient"]
        .as_str()
        .unwrap()
        .to_owned();

    app.open("Missions").await;
    click(&app, "#bundle-make-key").await;
    wait_for_text(&app, "#bundle-key", |t| t.starts_with("age1")).await;

    let file = dir.path().join("mission.age");
    let path = file.to_str().unwrap();
    // No mission chosen: refused before anything is made.
    fill(&app, "#checkout-to", &key).await;
    fill(&app, "#checkout-path", path).await;
    click(&app, "#checkout-submit").await;
    wait_for_text(&app, "#checkout-mission-error", |t| !t.is_empty()).await;
    let mission = cli(&app.db, &["mission", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    select(&app, "#checkout-mission", &mission).await;
    // A key that is not one is refused next to its field.
    fill(&app, "#checkout-to", "age1-not-a-key").await;
    fill(&app, "#checkout-path", path).await;
    click(&app, "#checkout-submit").await;
    wait_for_text(&app, "#checkout-to-error", |t| {
        t.contains("not a bundle key")
    })
    .await;
    assert!(!file.exists());

    fill(&app, "#checkout-to", &key).await;
    click(&app, "#checkout-submit").await;
    let done = wait_for_text(&app, "#checkout-done", |t| t.contains("households")).await;
    assert!(file.exists(), "{done}");
    let households = count(
        &app.db,
        &format!("SELECT COUNT(*) FROM cases WHERE mission_id = '{mission}'"),
    )
    .await;
    assert!(done.contains(&format!("{households} households")), "{done}");
    app.screenshot("bundle-checked-out").await;

    // The laptop reads it; the office's window cannot.
    let got = cli(&laptop, &["mission", "receive", path]);
    assert_eq!(got["received"]["households"].as_u64().unwrap(), households);
    fill(&app, "#receive-path", path).await;
    click(&app, "#receive-submit").await;
    wait_for_text(&app, "#receive-path-error", |t| {
        t.contains("not for this database")
    })
    .await;
    app.screenshot("bundle-not-for-us").await;
    app.stop().await;
}
