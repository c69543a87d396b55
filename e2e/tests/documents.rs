//! The Documents view in the real window: each document is made, shown in the preview
//! (pdf.js renders its pages), and saved to a file; the file passes `qpdf --check` and
//! the PDF/UA and PDF/A checks (`tests/pdf_check`), `pdftotext` finds its content, and the audit log holds the export
//! with the file's SHA-256. A preview alone records nothing.

mod harness;
#[path = "../../tests/pdf_check/mod.rs"]
mod pdf_check;

use std::path::Path;
use std::process::Command;

use fantoccini::Locator;
use harness::{
    axe_violations, cli, click, count, fill, open_dossier, scroll_to, select, wait_for_text, App,
};
use resettle::documents::sha256_hex;

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes the document the form describes and waits until the preview has rendered it.
async fn preview(app: &App) {
    click(app, "#docs-make").await;
    wait_for_text(app, "#docs-made", |t| t.contains("KB")).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let preview = app
            .wait_for(Locator::Css("[data-testid='pdf-preview']"))
            .await;
        let rendered = preview.attr("data-rendered").await.unwrap();
        if rendered.is_some_and(|n| n.parse::<u32>().unwrap_or(0) >= 1) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the preview rendered no page within 30 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Saves the document on preview to `file` and checks the file and its audit entry.
async fn save(app: &App, file: &Path, kind: &str, expected: &[&str]) {
    fill(app, "#docs-path", file.to_str().unwrap()).await;
    click(app, "#docs-save-submit").await;
    wait_for_text(app, "#docs-saved", |t| t.contains("SHA-256")).await;
    pdf_check::conforms(file);
    let text = pdftotext(file);
    for e in expected {
        assert!(text.contains(e), "{kind}: no {e:?} in {text}");
    }
    let sha = sha256_hex(&std::fs::read(file).unwrap());
    let audited = count(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'document.{kind}.exported' \
             AND actor = 'e2e-manager' AND subject LIKE '%sha256={sha}%'"
        ),
    )
    .await;
    assert_eq!(audited, 1, "{kind}: the export is in the audit log once");
}

#[tokio::test]
async fn each_document_is_previewed_and_saved_from_the_view() {
    let app = App::start_with_placement(43).await;
    let out = tempfile::tempdir().unwrap();
    // Placement by the command line: the batch proposed, two households confirmed.
    cli(
        &app.db,
        &[
            "placement",
            "propose",
            "--batch",
            "accepted",
            "--year",
            "2026",
        ],
    );
    let list = cli(&app.db, &["placement", "list", "--year", "2026"])["proposals"]
        .as_array()
        .unwrap()
        .clone();
    let first = &list[0];
    let case = first["case_no"].as_str().unwrap().to_owned();
    let code = first["municipality"].to_string();
    let name = first["municipality_name"].as_str().unwrap().to_owned();
    cli(&app.db, &["placement", "consult", &case]);
    cli(&app.db, &["placement", "confirm", &case]);

    app.open("Documents").await;
    fill(&app, "#docs-year", "2026").await;

    // The referral form of the confirmed household.
    select(&app, "#docs-kind", "referral").await;
    select(&app, "#docs-placed", &case).await;
    preview(&app).await;
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'document.%'"
        )
        .await,
        0,
        "a preview records no export"
    );
    app.screenshot("documents-referral-preview").await;
    save(
        &app,
        &out.path().join("referral.pdf"),
        "referral",
        &[&case, &name, "Husstandens medlemmer"],
    )
    .await;

    // The municipality's pack.
    select(&app, "#docs-kind", "pack").await;
    select(&app, "#docs-municipality", &code).await;
    preview(&app).await;
    save(
        &app,
        &out.path().join("pack.pdf"),
        "pack",
        &[&format!("{name} Kommune"), &case, "Kvote / Quota"],
    )
    .await;

    // The declaration in Arabic.
    select(&app, "#docs-kind", "declaration").await;
    fill(&app, "#docs-case", &case).await;
    select(&app, "#docs-language", "ar").await;
    preview(&app).await;
    save(
        &app,
        &out.path().join("declaration.pdf"),
        "declaration",
        &[&case, "Erklæring"],
    )
    .await;

    // The quota report.
    select(&app, "#docs-kind", "quota_report").await;
    select(&app, "#docs-period", "2026").await;
    preview(&app).await;
    scroll_to(&app, "[data-testid='pdf-preview']").await;
    app.screenshot("documents-quota-report-preview").await;
    save(
        &app,
        &out.path().join("report.pdf"),
        "quota_report",
        &["Kvoterapport / Quota report", "Geografisk"],
    )
    .await;

    // The ministry's statistics as CSV: no preview, saved, the same file as the command
    // line writes (but for its document ID, which is in neither file), and audited.
    select(&app, "#docs-kind", "statistics").await;
    fill(&app, "#docs-stats-year", "2026").await;
    select(&app, "#docs-format", "csv").await;
    let violations = axe_violations(&app).await;
    assert!(violations.is_empty(), "the statistics form: {violations:?}");
    click(&app, "#docs-make").await;
    wait_for_text(&app, "#docs-made", |t| t.contains("KB")).await;
    assert!(
        app.client
            .find(Locator::Css("[data-testid='pdf-preview']"))
            .await
            .is_err(),
        "a spreadsheet has no PDF preview"
    );
    let csv = out.path().join("statistics-2026.csv");
    fill(&app, "#docs-path", csv.to_str().unwrap()).await;
    click(&app, "#docs-save-submit").await;
    wait_for_text(&app, "#docs-saved", |t| t.contains("SHA-256")).await;
    app.screenshot("documents-statistics").await;
    let by_cli = out.path().join("by-cli.csv");
    cli(
        &app.db,
        &[
            "report",
            "statistics",
            "--year",
            "2026",
            "--out",
            by_cli.to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        std::fs::read_to_string(&by_cli).unwrap()
    );
    let sha = sha256_hex(&std::fs::read(&csv).unwrap());
    let audited = count(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'document.statistics.exported' \
             AND actor = 'e2e-manager' AND subject LIKE '%sha256={sha}%'"
        ),
    )
    .await;
    assert_eq!(
        audited, 2,
        "the window's export and the command line's, same bytes"
    );

    // A member's access report, from the dossier's link: the Documents view opens with
    // the kind and the case filled in; the report is in Danish and Arabic.
    open_dossier(&app, &case).await;
    click(&app, "#dossier-access-report").await;
    wait_for_text(&app, "label[for='docs-member']", |t| !t.is_empty()).await;
    let prefilled = app
        .wait_for(Locator::Css("#docs-case"))
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(prefilled.as_deref(), Some(case.as_str()));
    fill(&app, "#docs-member", "1").await;
    select(&app, "#docs-report-language", "ar").await;
    let violations = axe_violations(&app).await;
    assert!(
        violations.is_empty(),
        "the access report form: {violations:?}"
    );
    preview(&app).await;
    app.screenshot("documents-access-report-preview").await;
    save(
        &app,
        &out.path().join("access-report.pdf"),
        "access_report",
        &[&case, "Indsigt", "Registrerede oplysninger"],
    )
    .await;
    // A member that is not in the household is refused in words that name it.
    fill(&app, "#docs-member", "40").await;
    click(&app, "#docs-make").await;
    wait_for_text(&app, "#docs-alert", |t| t.contains("40")).await;

    // An unknown case is refused next to its field.
    select(&app, "#docs-kind", "declaration").await;
    fill(&app, "#docs-case", "NO-SUCH-CASE").await;
    click(&app, "#docs-make").await;
    wait_for_text(&app, "#docs-case-error", |t| t.contains("NO-SUCH-CASE")).await;
    app.stop().await;
}
