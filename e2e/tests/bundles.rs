//! Field laptops in the real window: the office makes its bundle key and checks a mission
//! out to a laptop's key from the Missions view; the laptop's database (through the CLI)
//! receives the file, and the office's own window cannot read it back. The laptop's return
//! comes back with a deliberate conflict, shown side by side and resolved in the window.

mod harness;

use harness::{
    axe_violations, cli, click, count, fill, open_dossier, scroll_to, select, wait_for_text, App,
};

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

/// The whole way out and back: the office checks a mission out; the laptop (through its
/// CLI) and the office (in the dossier) both change one member's medical needs,
/// differently; the office's window checks the laptop's return in, shows the conflict side
/// by side, and a quota manager takes the laptop's side.
#[tokio::test]
async fn a_mission_comes_back_with_a_conflict_shown_and_resolved_in_the_window() {
    conflict_round_trip(App::start(26).await, "").await;
}

/// The same with the office's window on the PostgreSQL server (the laptop a file): the
/// office's side of a check-in is the server's.
#[tokio::test]
async fn the_office_on_its_server_resolves_a_laptop_s_conflict_in_the_window() {
    conflict_round_trip(App::start_on_server(26).await, "-server").await;
}

/// A check-out to a laptop (through its CLI), field work there and a return; the office
/// records the same member's needs in the dossier, checks the return in from the window,
/// sees the conflict side by side and takes the laptop's. Screenshots end in `shots`.
async fn conflict_round_trip(app: App, shots: &str) {
    let dir = tempfile::tempdir().unwrap();
    let laptop = dir.path().join("laptop.db");
    cli(&laptop, &["init"]);
    let key = cli(&laptop, &["keys", "init"])["recipient"]
        .as_str()
        .unwrap()
        .to_owned();
    cli(&app.db, &["keys", "init"]);
    let mission = cli(&app.db, &["mission", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = dir.path().join("out.age");
    let back = dir.path().join("back.age");
    let (out_f, back_f) = (out.to_str().unwrap(), back.to_str().unwrap());
    cli(
        &app.db,
        &[
            "mission", "checkout", &mission, "--to", &key, "--out", out_f,
        ],
    );
    cli(&laptop, &["mission", "receive", out_f]);
    let cases = cli(&app.db, &["case", "search", "--mission", &mission]);
    let case = cases["rows"][0]["unhcr_case_no"]
        .as_str()
        .unwrap()
        .to_owned();
    cli(
        &laptop,
        &[
            "case",
            "needs",
            &case,
            "--member",
            "1",
            "--needs",
            "dialysis twice a week",
        ],
    );
    cli(&laptop, &["mission", "return", &mission, "--out", back_f]);

    // The office records member 1's needs from the dossier meanwhile.
    open_dossier(&app, &case).await;
    fill(&app, "#needs-0-text", "uses a wheelchair").await;
    click(&app, "#needs-0-submit").await;
    wait_for_text(&app, "#dossier-members", |t| {
        t.contains("uses a wheelchair")
    })
    .await;
    scroll_to(&app, "#needs").await;
    app.screenshot(&format!("dossier-needs{shots}")).await;

    app.open("Missions").await;
    // The office received no check-out, so it has nothing to return: said next to the
    // mission, and no file written.
    let elsewhere = dir.path().join("nothing.age");
    select(&app, "#return-mission", &mission).await;
    fill(&app, "#return-path", elsewhere.to_str().unwrap()).await;
    click(&app, "#return-submit").await;
    wait_for_text(&app, "#return-mission-error", |t| {
        t.contains("no check-out")
    })
    .await;
    assert!(!elsewhere.exists());

    wait_for_text(&app, "#conflicts-none", |t| !t.is_empty()).await;
    fill(&app, "#checkin-path", back_f).await;
    let receipt = dir.path().join("receipt.json");
    fill(&app, "#checkin-receipt", receipt.to_str().unwrap()).await;
    click(&app, "#checkin-submit").await;
    let done = wait_for_text(&app, "#checkin-done", |t| t.contains("Checked in")).await;
    assert!(done.contains("conflicts to resolve: 1"), "{done}");
    assert!(done.contains("receipt.json"), "{done}");
    // With the window's receipt, the laptop (through its CLI) erases its copy.
    let released = cli(&laptop, &["mission", "release", receipt.to_str().unwrap()]);
    assert!(released["released"]["households"].as_u64().unwrap() > 0);
    let card = app.wait_for(fantoccini::Locator::Css("#conflict-0")).await;
    assert_eq!(
        card.attr("data-case").await.unwrap().as_deref(),
        Some(case.as_str())
    );
    assert_eq!(
        card.attr("data-kind").await.unwrap().as_deref(),
        Some("medical_needs")
    );
    assert_eq!(
        app.text_of("#conflict-0 tr.differs td.office").await,
        "uses a wheelchair"
    );
    assert_eq!(
        app.text_of("#conflict-0 tr.differs td.laptop").await,
        "dialysis twice a week"
    );
    let needs_sql = format!(
        "SELECT COUNT(*) FROM persons p JOIN cases c ON c.id = p.case_id
         WHERE c.unhcr_case_no = '{case}' AND p.position = (SELECT MIN(position) FROM persons
         WHERE case_id = c.id) AND p.special_needs = "
    );
    assert_eq!(
        count(&app.db, &format!("{needs_sql}'uses a wheelchair'")).await,
        1,
        "the office's value stands until someone takes a side"
    );
    scroll_to(&app, "#conflict-0").await;
    app.screenshot(&format!("checkin-conflict{shots}")).await;

    click(&app, "#conflict-0-laptop").await;
    wait_for_text(&app, "#conflicts-none", |t| !t.is_empty()).await;
    assert_eq!(
        count(&app.db, &format!("{needs_sql}'dialysis twice a week'")).await,
        1
    );
    assert_eq!(
        count(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM checkin_conflicts WHERE resolution = 'laptop'
                 AND resolved_by = '{}'",
                harness::MANAGER
            )
        )
        .await,
        1
    );
    // The same file again changes nothing.
    click(&app, "#checkin-submit").await;
    wait_for_text(&app, "#checkin-done", |t| t.contains("before")).await;
    app.screenshot(&format!("checkin-resolved{shots}")).await;
    app.stop().await;
}

/// The laptop's side in its own window: the office (through its CLI) checks the return in
/// and writes the receipt; the laptop's Missions view erases its copy with it. The form
/// passes axe; the cases stay as tombstones.
#[tokio::test]
async fn the_laptop_erases_its_copy_in_the_window_with_the_office_s_receipt() {
    let app = App::start_empty().await;
    let dir = tempfile::tempdir().unwrap();
    let office = dir.path().join("office.db");
    cli(&office, &["init"]);
    cli(&office, &["demo-data"]);
    cli(&office, &["keys", "init"]);
    let key = cli(&app.db, &["keys", "init"])["recipient"]
        .as_str()
        .unwrap()
        .to_owned();
    let mission = cli(&office, &["mission", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    cli(
        &office,
        &[
            "mission",
            "checkout",
            &mission,
            "--to",
            &key,
            "--out",
            &file("out.age"),
        ],
    );
    let households = cli(&app.db, &["mission", "receive", &file("out.age")])["received"]
        ["households"]
        .as_u64()
        .unwrap();
    // The principals' names, word by word (the file holds given and family names apart).
    let names: Vec<String> = cli(&app.db, &["case", "search", "--mission", &mission])["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["principal"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let file_holds = |name: &str| {
        let mut bytes = std::fs::read(&app.db).unwrap();
        bytes
            .extend(std::fs::read(format!("{}-wal", app.db.to_string_lossy())).unwrap_or_default());
        bytes.windows(name.len()).any(|w| w == name.as_bytes())
    };
    assert!(
        file_holds(&names[0]),
        "the check can fail: {} is there before",
        names[0]
    );
    cli(
        &app.db,
        &["mission", "return", &mission, "--out", &file("back.age")],
    );
    cli(
        &office,
        &[
            "mission",
            "checkin",
            &file("back.age"),
            "--receipt",
            &file("receipt.json"),
        ],
    );

    app.open("Missions").await;
    scroll_to(&app, "#release-path").await;
    // Without a file: said next to the field, nothing erased.
    click(&app, "#release-submit").await;
    wait_for_text(&app, "#release-path-error", |t| !t.is_empty()).await;
    fill(&app, "#release-path", &file("receipt.json")).await;
    let violations = axe_violations(&app).await;
    assert!(violations.is_empty(), "the release form: {violations:?}");
    click(&app, "#release-submit").await;
    let done = wait_for_text(&app, "#release-done", |t| t.contains("erased")).await;
    assert!(done.contains(&format!("{households} households")), "{done}");
    app.screenshot("bundle-released").await;
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM erasures WHERE rule = 'checked_in' AND scope = 'case'"
        )
        .await,
        households
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM persons WHERE given_name <> '—'"
        )
        .await,
        0,
        "no name is left on the laptop"
    );
    // Nor in its files: the erasure compacted the database and emptied its log.
    for name in &names {
        assert!(!file_holds(name), "{name} is still in the laptop's file");
    }
    app.stop().await;
}
