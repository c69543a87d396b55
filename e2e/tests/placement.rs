//! The Placement view in the real window: the per-municipality table (with its notice
//! that the demo's key inputs are synthetic), a proposal for the twelve accepted demo
//! households, a move by hand over a quota (refused until an override reason is given),
//! the consultation steps, and a decline that returns a household to the pool. The
//! command line reads the same database and sees each change.

mod harness;

use fantoccini::Locator;
use harness::{axe_violations, cli, click, count, fill, scroll_to, select, wait_for_text, App};
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

/// A new office's first step in the window: on a database made by `init` alone, the
/// Placement view opens with the year's key; a file with a problem imports nothing and
/// says where, the project's key-input file imports, and the quotas are computed from a
/// national number. The command line reads the same quotas.
#[tokio::test]
async fn a_new_office_imports_its_key_inputs_and_computes_the_quotas_in_the_view() {
    let app = App::start_empty().await;
    app.open("Placement").await;
    wait_for_text(&app, "#key-heading", |t| !t.is_empty()).await;
    wait_for_text(&app, "#municipality-table", |t| t.contains("Aalborg")).await;
    assert_eq!(
        axe_violations(&app).await,
        Vec::<String>::new(),
        "with the key's forms open"
    );

    // Nothing filled in: the field says so, and nothing is sent.
    click(&app, "#key-submit").await;
    wait_for_text(&app, "#key-path-error", |t| !t.is_empty()).await;

    // A file that lacks a municipality: every problem listed, nothing imported.
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    let good = data.join("key-inputs-2026-synthetic.csv");
    let text = std::fs::read_to_string(&good).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("short.csv");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("101,")).collect();
    std::fs::write(&short, kept.join("\n")).unwrap();
    fill(&app, "#key-path", short.to_str().unwrap()).await;
    click(&app, "#key-submit").await;
    wait_for_text(&app, "#key-problems", |t| t.contains("101")).await;
    assert_eq!(
        axe_violations(&app).await,
        Vec::<String>::new(),
        "with the problems shown"
    );
    app.screenshot("placement-key-problems").await;
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM key_inputs").await, 0);

    fill(&app, "#key-path", good.to_str().unwrap()).await;
    click(&app, "#key-synthetic").await;
    click(&app, "#key-submit").await;
    wait_for_text(&app, "#placement-message", |t| t.contains("98")).await;

    // A national number of 0 is refused at the field; 600 with Læsø's amount to Hjørring.
    fill(&app, "#quota-national", "0").await;
    click(&app, "#quota-compute").await;
    wait_for_text(&app, "#quota-national-error", |t| !t.is_empty()).await;
    fill(&app, "#quota-national", "600").await;
    fill(&app, "#quota-exemptions", "825:860").await;
    click(&app, "#quota-compute").await;
    wait_for_text(&app, "#placement-message", |t| t.contains("600")).await;
    let quotas = cli(&app.db, &["municipality", "quotas", "--year", "2026"]);
    let rows = quotas["municipalities"].as_array().unwrap();
    let total: u64 = rows.iter().filter_map(|m| m["quota"].as_u64()).sum();
    assert_eq!(total, 600, "{quotas}");
    let laeso = rows.iter().find(|m| m["code"] == 825).unwrap();
    assert_eq!(laeso["quota"], 0);
    // The table shows them, and the view now leads with the proposals.
    let aalborg = rows.iter().find(|m| m["code"] == 851).unwrap()["quota"]
        .as_u64()
        .unwrap();
    wait_for_text(&app, "#municipality-table [data-code='851']", |t| {
        t.contains(&aalborg.to_string())
    })
    .await;
    scroll_to(&app, "#key-heading").await;
    app.screenshot("placement-key-computed").await;
    app.stop().await;
}

/// The visitation in the window, on the demo's placement world: a job offer recorded for
/// an accepted household, an outcome history imported, a model trained and put in use,
/// then a proposal that places the household where its offer is, scores with the model
/// and says what the rest of the year, drawn from the history, still needs. Every form is
/// checked by axe with its results shown; the command line reads each change.
#[tokio::test]
async fn the_visitation_panel_records_an_offer_a_history_and_a_model_that_propose_then_uses() {
    use resettle::domain::placement::outcomes::write_history;

    let app = App::start_with_placement(43).await;
    app.open("Placement").await;
    wait_for_text(&app, "#placement-pool", |t| t.contains("UGA-")).await;
    let pool = cli(&app.db, &["placement", "pool"]);
    let case = pool["pool"][0]["case_no"].as_str().unwrap().to_owned();
    wait_for_text(&app, "#visit-intro", |t| !t.is_empty()).await;
    scroll_to(&app, "#visit-offer-section").await;
    assert_eq!(
        axe_violations(&app).await,
        Vec::<String>::new(),
        "with the visitation's forms open"
    );

    // Hours over 80 are refused at the field, and nothing is recorded.
    fill(&app, "#visit-offer-case", &case).await;
    fill(&app, "#visit-offer-municipality", "101").await;
    fill(&app, "#visit-offer-hours", "120").await;
    fill(&app, "#visit-offer-document", "letter 14").await;
    click(&app, "#visit-offer-save").await;
    wait_for_text(&app, "#visit-offer-hours-error", |t| !t.is_empty()).await;
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM job_offers").await, 0);
    fill(&app, "#visit-offer-hours", "37").await;
    click(&app, "#visit-offer-permanent").await;
    click(&app, "#visit-offer-save").await;
    wait_for_text(&app, "#visit-offer-result", |t| t.contains("101")).await;
    let offer = cli(&app.db, &["placement", "job-offer", "show", &case]);
    assert_eq!(offer["job_offer"]["decides"], true, "{offer}");

    // The history, then a model; it is used once chosen.
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.csv");
    let synthetic = resettle::demo::history::synthetic_history(5, 1500);
    std::fs::write(&history, write_history(&synthetic.arrivals)).unwrap();
    scroll_to(&app, "#visit-model-section").await;
    fill(&app, "#visit-history-path", history.to_str().unwrap()).await;
    click(&app, "#visit-history-submit").await;
    wait_for_text(&app, "#visit-history-summary", |t| {
        t.contains("1500") || t.contains("1,500") || t.contains("1.500")
    })
    .await;
    click(&app, "#visit-train").await;
    wait_for_text(&app, "#visit-models", |t| {
        t.contains("AUC") || t.contains("0.")
    })
    .await;
    click(&app, "#visit-use-1").await;
    wait_for_text(&app, "#visit-model-in-use", |t| t.contains('1')).await;
    let models = cli(&app.db, &["placement", "model", "list"]);
    assert_eq!(models["models"][0]["in_use"], true, "{models}");
    assert_eq!(
        axe_violations(&app).await,
        Vec::<String>::new(),
        "with the history, the model and the offer shown"
    );
    app.screenshot("placement-visitation").await;

    // The proposal: the household where its offer is, every proposal scored by the model
    // and carrying what the rest of the year still needs.
    scroll_to(&app, "#propose-run").await;
    click(&app, "#propose-run").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let list = loop {
        let list = proposals(&app);
        if list.len() == 12 {
            break list;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no proposals after 120 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    let offered = proposal_of(&list, &case);
    assert_eq!(offered["municipality"], 101, "{offered}");
    for p in &list {
        assert_eq!(p["model_version"], 1, "{p}");
        assert_eq!(p["forecast"]["samples"], 5, "{p}");
    }
    let row = format!("#proposals [data-case='{case}']");
    wait_for_text(&app, &row, |t| t.contains("101")).await;
    click(&app, &format!("{row} summary")).await;
    wait_for_text(&app, &format!("{row} .forecast"), |t| !t.is_empty()).await;
    scroll_to(&app, "#proposals").await;
    app.screenshot("placement-visitation-proposed").await;
    assert_eq!(
        axe_violations(&app).await,
        Vec::<String>::new(),
        "with a proposal's reasons open"
    );

    // The year's balance: København holds the household its offer placed over a quota of
    // 0, and the outcomes are predicted with the model in use.
    click(&app, "#balance-show").await;
    wait_for_text(&app, "#balance-fill [data-code='101']", |t| !t.is_empty()).await;
    wait_for_text(&app, "#balance-nationality", |t| !t.is_empty()).await;
    let balance = cli(&app.db, &["placement", "balance", "--year", "2026"]);
    assert_eq!(balance["balance"]["model_version"], 1, "{balance}");
    scroll_to(&app, "#balance-heading").await;
    app.screenshot("placement-balance").await;
    assert_eq!(
        axe_violations(&app).await,
        Vec::<String>::new(),
        "with the balance shown"
    );
    app.stop().await;
}
