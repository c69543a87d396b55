//! The real app in its real window: start, navigation, the Overview's figures, Danish.

mod harness;

use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{count, number, unnamed_controls, App};

const VIEWS: [(&str, &str, &str); 7] = [
    ("overview", "Overview", "Overblik"),
    ("quotas", "Quotas", "Kvoter"),
    ("missions", "Missions", "Missioner"),
    ("cases", "Cases", "Sager"),
    ("placement", "Placement", "Placering"),
    ("documents", "Documents", "Dokumenter"),
    ("settings", "Settings", "Indstillinger"),
];

#[tokio::test]
async fn the_overview_shows_the_counts_in_the_database() {
    let app = App::start(11).await;
    let households = count(&app.db, "SELECT COUNT(*) FROM cases").await;
    let persons = count(&app.db, "SELECT COUNT(*) FROM persons").await;
    let missions = count(&app.db, "SELECT COUNT(*) FROM missions").await;
    let emergency = count(
        &app.db,
        "SELECT COUNT(*) FROM cases WHERE priority = 'emergency'",
    )
    .await;
    assert!(households > 100 && persons > households && missions == 3);

    assert_eq!(number(&app.text_of("#count-households").await), households);
    assert_eq!(number(&app.text_of("#count-persons").await), persons);
    assert_eq!(number(&app.text_of("#count-missions").await), missions);
    assert_eq!(number(&app.text_of("#count-municipalities").await), 98);
    assert_eq!(number(&app.text_of("#priority-emergency").await), emergency);
    let period = app.text_of("#overview-period").await;
    assert!(
        period.contains("2026") && period.contains("2028"),
        "{period}"
    );
    app.screenshot("overview").await;
    app.stop().await;
}

#[tokio::test]
async fn every_navigation_link_opens_its_view() {
    let app = App::start(12).await;
    app.wait_for(Locator::Css("#count-households")).await;
    for (view, label, _) in VIEWS {
        app.open(label).await;
        let current = app.wait_for(Locator::LinkText(label)).await;
        assert_eq!(
            current.attr("aria-current").await.unwrap().as_deref(),
            Some("page"),
            "{label}"
        );
        let url = app.client.current_url().await.unwrap();
        assert_eq!(url.fragment(), Some(format!("/{view}").as_str()));
        assert_eq!(
            unnamed_controls(&app).await,
            Vec::<String>::new(),
            "on {view}"
        );
        app.screenshot(view).await;
    }
    // Settings names the database the app opened: the temporary one.
    let db = app.text_of("#database-path").await;
    assert_eq!(db, app.db.to_string_lossy());
    app.stop().await;
}

#[tokio::test]
async fn the_views_are_reachable_by_keyboard() {
    let app = App::start(13).await;
    app.wait_for(Locator::Css("#count-households")).await;
    // Alt+3 opens the third view of the menu.
    let body = app.wait_for(Locator::Css("body")).await;
    body.send_keys(&format!(
        "{}3{}",
        char::from(Key::Alt),
        char::from(Key::Null)
    ))
    .await
    .unwrap();
    app.wait_for_heading("Missions").await;
    // Focus a menu link and activate it with Enter, as a keyboard user would.
    let link = app.wait_for(Locator::LinkText("Cases")).await;
    link.send_keys(&char::from(Key::Enter).to_string())
        .await
        .unwrap();
    app.wait_for_heading("Cases").await;
    // After a navigation, focus is on the new view's heading.
    let focused = app.client.active_element().await.unwrap();
    assert_eq!(focused.tag_name().await.unwrap().to_lowercase(), "h1");
    app.stop().await;
}

#[tokio::test]
async fn switching_the_language_to_danish_changes_the_navigation() {
    let app = App::start(14).await;
    app.open("Settings").await;
    let select = app.wait_for(Locator::Css("#language")).await;
    select.select_by_value("da").await.unwrap();
    app.wait_for_heading("Indstillinger").await;
    for (_, english, danish) in VIEWS {
        app.wait_for(Locator::LinkText(danish)).await;
        assert!(
            app.client.find(Locator::LinkText(english)).await.is_err() || english == danish,
            "{english} is still shown"
        );
    }
    app.open("Overblik").await;
    app.wait_for(Locator::Css("#count-households")).await;
    app.screenshot("overview-da").await;
    app.stop().await;
}
