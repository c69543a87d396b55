//! The Placement view in the real window: the per-municipality table (with its notice
//! that the demo's key inputs are synthetic), a proposal for the twelve accepted demo
//! households, a move by hand over a quota (refused until an override reason is given),
//! the consultation steps, and a decline that returns a household to the pool. The
//! command line reads the same database and sees each change.

mod harness;

use fantoccini::Locator;
use harness::{cli, click, fill, scroll_to, select, wait_for_text, App};
use serde_json::Value;

fn proposals(app: &App) -> Vec<Value> {
    cli(&app.db, &["placement", "list", "--year", "2026"])["proposals"]
        .as_array()
        .unwrap()
        .clone()
}

fn proposal_of<'a>(list: &'a [Value], case: &str) -> &'a Value {
    list.iter()
        .find(|p| p["case_no"] == case && p["status"] != "declined")
        .unwrap_or_else(|| panic!("no active proposal for {case}"))
}

#[tokio::test]
async fn a_batch_is_proposed_moved_consulted_confirmed_and_declined_in_the_view() {
    let app = App::start_with_placement(41).await;
    app.open("Placement").await;
    wait_for_text(&app, "#synthetic-notice", |t| !t.is_empty()).await;
    wait_for_text(&app, "#municipality-table", |t| t.contains("Aalborg")).await;
    wait_for_text(&app, "#placement-pool", |t| t.contains("UGA-")).await;
    app.screenshot("placement-before").await;

    click(&app, "#propose-run").await;
    wait_for_text(&app, "#propose-summary", |t| t.contains("12")).await;
    let list = proposals(&app);
    assert_eq!(list.len(), 12, "the CLI sees the app's proposals");
    // Each row of the view shows the municipality the database holds.
    for p in &list {
        let case = p["case_no"].as_str().unwrap();
        let row = format!("#proposals [data-case='{case}']");
        let name = p["municipality_name"].as_str().unwrap();
        wait_for_text(&app, &row, |t| t.contains(name)).await;
    }
    app.screenshot("placement-proposed").await;

    // Move the first household to København, whose quota by the key is 0: the live check
    // says so and the save waits for an override reason.
    let first = list[0]["case_no"].as_str().unwrap().to_owned();
    click(&app, &format!("#proposal-move-{first}")).await;
    select(&app, "#move-municipality", "101").await;
    wait_for_text(&app, "#move-check", |t| {
        t.contains("101") || t.contains("0")
    })
    .await;
    let save = app.wait_for(Locator::Css("#move-save")).await;
    assert!(
        !save.is_enabled().await.unwrap(),
        "saving over the quota waits for a reason"
    );
    fill(&app, "#move-override", "relatives in Nørrebro").await;
    click(&app, "#move-save").await;
    wait_for_text(&app, &format!("#proposals [data-case='{first}']"), |t| {
        t.contains("København")
    })
    .await;
    let moved = proposal_of(&proposals(&app), &first).clone();
    assert_eq!(moved["municipality"], 101);
    assert_eq!(moved["method"], "hand");
    assert_eq!(moved["override_reason"], "relatives in Nørrebro");
    wait_for_text(&app, "#municipality-table [data-code='101']", |t| {
        t.contains('-') || t.contains('−')
    })
    .await;

    // The second is consulted, then confirmed.
    let second = list[1]["case_no"].as_str().unwrap().to_owned();
    click(&app, &format!("#proposal-consult-{second}")).await;
    wait_for_text(
        &app,
        &format!("#proposals [data-case='{second}'] .proposal-status"),
        |t| t.to_lowercase().contains("consulted"),
    )
    .await;
    click(&app, &format!("#proposal-confirm-{second}")).await;
    wait_for_text(
        &app,
        &format!("#proposals [data-case='{second}'] .proposal-status"),
        |t| t.to_lowercase().contains("confirmed"),
    )
    .await;
    assert_eq!(
        proposal_of(&proposals(&app), &second)["status"],
        "confirmed"
    );

    // The third is declined with a reason and goes back to the pool.
    let third = list[2]["case_no"].as_str().unwrap().to_owned();
    click(&app, &format!("#proposal-decline-{third}")).await;
    fill(
        &app,
        &format!("#decline-reason-{third}"),
        "no housing before March",
    )
    .await;
    click(&app, &format!("#decline-save-{third}")).await;
    wait_for_text(&app, "#placement-pool", |t| t.contains(&third)).await;
    let pool = cli(&app.db, &["placement", "pool"]);
    assert_eq!(pool["pool"][0]["case_no"], third.as_str());
    scroll_to(&app, "#proposals").await;
    app.screenshot("placement-after").await;
    app.stop().await;
}
