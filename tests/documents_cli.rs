//! `resettle docs declaration` with the real binary on a demo database: every language's
//! PDF passes `qpdf --check`, and `pdftotext` finds the signer's name and every statement
//! in Danish and in the signer's language (Arabic included: shaped, right to left, and
//! extracted as the right characters). The export is in the audit log with the file's
//! SHA-256; an unknown language is refused and writes nothing.

use std::path::Path;
use std::process::{Command, Output};

use std::collections::BTreeSet;

use resettle::documents::declaration::{Direction, Translations, STATEMENTS};
use resettle::documents::sha256_hex;
use serde_json::Value;

fn resettle(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", "test-exporter")
        .output()
        .expect("run resettle")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A demo database and one of its cases with at least one adult.
fn demo(dir: &Path) -> (std::path::PathBuf, String) {
    let db = dir.join("demo.db");
    ok(&resettle(&db, &["init"]));
    ok(&resettle(&db, &["demo-data"]));
    let rows: Value = serde_json::from_str(&ok(&resettle(
        &db,
        &["--json", "case", "search", "--limit", "1"],
    )))
    .unwrap();
    let case = rows["rows"][0]["unhcr_case_no"]
        .as_str()
        .unwrap()
        .to_owned();
    (db, case)
}

/// The text layer as one line: bidi controls dropped, whitespace collapsed.
fn text_of(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    normalise(&String::from_utf8(out.stdout).unwrap())
}

fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_punctuation(c: char) -> bool {
    matches!(c, '.' | ',' | ':' | '(' | ')' | '،' | '؛')
}

fn qpdf_check(pdf: &Path) {
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .expect("qpdf is installed");
    assert!(
        out.status.success(),
        "qpdf --check {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn declarations_in_every_language_are_valid_pdfs_with_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let (db, case) = demo(dir.path());
    let show: Value =
        serde_json::from_str(&ok(&resettle(&db, &["--json", "case", "show", &case]))).unwrap();
    let principal = &show["household"]["members"][0];
    let name = format!(
        "{} {}",
        principal["given_name"].as_str().unwrap(),
        principal["family_name"].as_str().unwrap()
    );
    let translations = Translations::builtin().unwrap();
    let danish = translations.get("da").unwrap();
    for lang in translations.available() {
        let pdf = dir.path().join(format!("declaration-{lang}.pdf"));
        let printed: Value = serde_json::from_str(&ok(&resettle(
            &db,
            &[
                "--json",
                "docs",
                "declaration",
                &case,
                "--lang",
                &lang,
                "--out",
                pdf.to_str().unwrap(),
            ],
        )))
        .unwrap();
        qpdf_check(&pdf);
        let text = text_of(&pdf);
        assert!(text.contains(&name), "{lang}: no {name:?} in {text}");
        assert!(text.contains(&case), "{lang}: no case number");
        let signer = translations.get(&lang).unwrap();
        let words: BTreeSet<&str> = text
            .split(|c: char| c.is_whitespace() || is_punctuation(c))
            .collect();
        for key in STATEMENTS {
            for t in [danish, signer] {
                let statement = normalise(&t.statements[key]);
                match t.direction {
                    Direction::Ltr => assert!(
                        text.contains(&statement),
                        "{lang}: {key} ({}) not found in {text}",
                        t.language
                    ),
                    // pdftotext reorders right-to-left lines on its own and moves phrases
                    // around punctuation and line ends; each word must still come out
                    // whole, its letters in reading order (which wrong shaping, or a
                    // ligature mapped back in the wrong order, would break).
                    Direction::Rtl => {
                        for word in statement
                            .split(|c: char| c.is_whitespace() || is_punctuation(c))
                            .filter(|w| !w.is_empty())
                        {
                            assert!(
                                words.contains(word),
                                "{lang}: {key}: no word {word:?} in {text}"
                            );
                        }
                    }
                }
            }
        }
        // The export is in the audit log, with this file's hash.
        let bytes = std::fs::read(&pdf).unwrap();
        assert_eq!(printed["sha256"], sha256_hex(&bytes));
        let log = audit_rows(&db);
        assert!(
            log.iter()
                .any(|(actor, action, subject)| actor == "test-exporter"
                    && action == "document.declaration.exported"
                    && subject.contains(&sha256_hex(&bytes))),
            "{log:?}"
        );
    }
}

#[test]
fn an_unknown_language_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, case) = demo(dir.path());
    let pdf = dir.path().join("declaration-xx.pdf");
    let out = resettle(
        &db,
        &[
            "docs",
            "declaration",
            &case,
            "--lang",
            "xx",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no declaration in xx") && err.contains("ar, da, en, fr, so"),
        "{err}"
    );
    assert!(!pdf.exists());
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("partial")));
}

/// The audit log's (actor, action, subject) rows, read with sqlx through the store.
fn audit_rows(db: &Path) -> Vec<(String, String, String)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = resettle::storage::SqliteStore::open(db).await.unwrap();
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT actor, action, subject FROM audit_log ORDER BY seq")
                .fetch_all(store.pool())
                .await
                .unwrap();
        store.close().await;
        rows
    })
}
