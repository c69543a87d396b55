//! The Cases view in the real window: a submission file imported through the app (a bad
//! one first, which imports nothing), the case found by search and keyboard, interviewed,
//! scored and accepted, and the Quotas view showing the places it took. A screening flag
//! raised from the command line blocks the next acceptance, said next to the form.

mod harness;

use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{
    cli, click, count, fill, number, scroll_to, select, unnamed_controls, wait_for_number,
    wait_for_text, App,
};

const HEADER: &str = "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient";

/// A family of three on the mission route and a single man: 4 persons.
const GOOD: &[&str] = &[
    "E2E-26C00001,RRF-E1,principal,Leyla,Testdottir,F,1986-01-15,AFG,IRN,fa;en,yes,14,engineer,,LPN,FAM,normal,2026-08-01,mission,no",
    "E2E-26C00001,RRF-E1,spouse,Omid,Testdottir,M,1984-03-20,AFG,IRN,fa,yes,10,mechanic,,LPN,FAM,normal,2026-08-01,mission,no",
    "E2E-26C00001,RRF-E1,child,Sara,Testdottir,F,2016-06-06,AFG,IRN,fa,yes,4,,,LPN,FAM,normal,2026-08-01,mission,no",
    "E2E-26C00002,RRF-E2,principal,Nasir,Provesen,M,1990-09-09,AFG,IRN,fa,yes,8,,,LAS,,normal,2026-08-02,mission,no",
];

fn file(rows: &[&str]) -> String {
    let mut text = String::from(HEADER);
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text
}

async fn committed_geographical_2026(db: &std::ffi::OsStr) -> u64 {
    count(
        db,
        "SELECT COALESCE(SUM(CASE e.kind WHEN 'commitment' THEN e.places ELSE -e.places END), 0)
         FROM quota_entries e JOIN quota_periods p ON p.id = e.period_id
         WHERE p.start_year = 2026 AND e.year = 2026 AND e.sub_quota = 'geographical'
           AND e.kind IN ('commitment', 'release', 'arrival')",
    )
    .await
}

#[tokio::test]
async fn a_file_imported_in_the_app_is_scored_accepted_and_charged_to_the_quota() {
    let app = App::start(31).await;
    let dir = tempfile::tempdir().unwrap();
    let cases_before = count(&app.db, "SELECT COUNT(*) FROM cases").await;
    let committed_before = committed_geographical_2026(&app.db).await;

    // A file with a birth in the future imports nothing and says where the problem is.
    let bad = dir.path().join("bad.csv");
    let mut rows = GOOD.to_vec();
    let future = GOOD[3].replace("1990-09-09", "2030-01-01");
    rows[3] = &future;
    std::fs::write(&bad, file(&rows)).unwrap();
    app.open("Cases").await;
    fill(&app, "#import-path", bad.to_str().unwrap()).await;
    click(&app, "#import-submit").await;
    let problems = wait_for_text(&app, "#import-problems", |t| t.contains("date_of_birth")).await;
    assert!(problems.contains('5'), "the row is named: {problems}");
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM cases").await,
        cases_before
    );
    app.screenshot("cases-import-problems").await;

    // The good file imports.
    let good = dir.path().join("good.csv");
    std::fs::write(&good, file(GOOD)).unwrap();
    fill(&app, "#import-path", good.to_str().unwrap()).await;
    click(&app, "#import-submit").await;
    wait_for_text(&app, "#import-result", |t| {
        t.contains('2') && t.contains('4')
    })
    .await;
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM cases").await,
        cases_before + 2
    );

    // Found by a member's name; "/" focuses the search from anywhere in the view.
    app.client
        .execute(
            "document.activeElement && document.activeElement.blur();",
            vec![],
        )
        .await
        .unwrap();
    app.wait_for(Locator::Css("body"))
        .await
        .send_keys("/")
        .await
        .unwrap();
    let focused = app
        .client
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!("case-search"));
    fill(&app, "#case-search", "testdottir").await;
    wait_for_text(&app, "#case-total", |t| number(t) == 1).await;
    click(&app, "[data-case='E2E-26C00001']").await;
    wait_for_status(&app, "submitted").await;
    // Codes are shown as names in the user's language, the code beside them.
    let facts = app.text_of(".case-facts").await;
    assert!(
        facts.contains("Afghanistan (AFG)") && facts.contains("(IRN)") && facts.contains("Iran"),
        "{facts}"
    );

    // Interview with the assessed criteria; a mission case becomes interviewed.
    let today = chrono::Local::now().date_naive().to_string();
    fill(&app, "#interview-held_on", &today).await;
    fill(&app, "#interview-interviewer", "Kim Berg").await;
    fill(&app, "#interview-notes", "E2E-SENSITIVE interview notes").await;
    select(&app, "#interview-assess-motivation", "high").await;
    select(&app, "#interview-assess-network", "some").await;
    click(&app, "#interview-submit").await;
    wait_for_status(&app, "interviewed").await;

    // The score supports, with its explanations.
    click(&app, "#score-submit").await;
    let assessment = app.wait_for(Locator::Css("#score-assessment")).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while assessment
        .attr("data-assessment")
        .await
        .ok()
        .flatten()
        .as_deref()
        != Some("supports")
    {
        assert!(std::time::Instant::now() < deadline, "no supporting score");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let card = app.text_of("#score-card").await;
    assert!(card.contains("2 of 2 adults read and write"), "{card}");
    assert!(card.contains("family unity"), "{card}");
    scroll_to(&app, "#score-card").await;
    app.screenshot("cases-score").await;

    // The decision accepts the household and charges three places to 2026.
    select(&app, "#decision-verdict", "accept").await;
    fill(&app, "#decision-by", "Ane Holm").await;
    fill(
        &app,
        "#decision-reasons",
        "Strong integration prospects; family kept together (e2e)",
    )
    .await;
    fill(&app, "#decision-quota_year", "2026").await;
    click(&app, "#decision-submit").await;
    wait_for_status(&app, "accepted").await;
    assert_eq!(
        committed_geographical_2026(&app.db).await,
        committed_before + 3
    );
    scroll_to(&app, "#dossier").await;
    app.screenshot("cases-dossier").await;
    assert_eq!(unnamed_controls(&app).await, Vec::<String>::new());

    // The Quotas view shows the places taken.
    app.open("Quotas").await;
    wait_for_number(&app, "#q-2026-geographical-committed", committed_before + 3).await;

    // A flag raised from the command line blocks the other case's acceptance; the app
    // says why, and nothing is charged.
    cli(
        &app.db,
        &[
            "case",
            "interview",
            "E2E-26C00002",
            "--date",
            &today,
            "--interviewer",
            "Kim Berg",
        ],
    );
    cli(
        &app.db,
        &[
            "case",
            "flag",
            "E2E-26C00002",
            "--ground",
            "article_1f",
            "--note",
            "e2e",
        ],
    );
    app.open("Cases").await;
    fill(&app, "#case-search", "E2E-26C00002").await;
    click(&app, "[data-case='E2E-26C00002']").await;
    wait_for_status(&app, "interviewed").await;
    select(&app, "#decision-verdict", "accept").await;
    fill(&app, "#decision-by", "Ane Holm").await;
    fill(&app, "#decision-reasons", "e2e").await;
    click(&app, "#decision-submit").await;
    let refusal = wait_for_text(&app, "#decision-error", |t| !t.is_empty()).await;
    assert!(refusal.contains("1F"), "{refusal}");
    assert_eq!(
        committed_geographical_2026(&app.db).await,
        committed_before + 3
    );
    // Alt+ArrowDown opens the next case of the results (the newer submission is first).
    fill(&app, "#case-search", "E2E").await;
    wait_for_text(&app, "#case-total", |t| number(t) == 2).await;
    click(&app, "[data-case='E2E-26C00002']").await;
    wait_for_status(&app, "interviewed").await;
    app.wait_for(Locator::Css("body"))
        .await
        .send_keys(&format!("{}{}", Key::Alt, Key::Down))
        .await
        .unwrap();
    wait_for_status(&app, "accepted").await;

    // The mission view shows its progress.
    app.open("Missions").await;
    app.wait_for(Locator::Css("#mission-name")).await;
    app.screenshot("missions").await;
    app.stop().await;
}

async fn wait_for_status(app: &App, status: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Ok(d) = app.client.find(Locator::Css("#dossier")).await {
            if d.attr("data-status").await.ok().flatten().as_deref() == Some(status) {
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the dossier is not {status} after 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
