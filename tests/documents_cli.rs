//! `resettle docs declaration` with the real binary on a demo database: every language's
//! PDF passes `qpdf --check`, and `pdftotext` finds the signer's name and every statement
//! in Danish and in the signer's language (Arabic included: shaped, right to left, and
//! extracted as the right characters). The export is in the audit log with the file's
//! SHA-256; an unknown language is refused and writes nothing.

mod pdf_check;

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
    pdf_check::conforms(pdf);
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
        // The signer's section, and the signature labels' second half, in their language.
        assert!(
            pdf_check::languages(&pdf).contains(lang.as_str()),
            "{lang}: {:?}",
            pdf_check::languages(&pdf)
        );
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
/// The official name of the country with the alpha-3 `code` in `language`, from the
/// i18n-iso-countries lists the documents use.
fn country_name(code: &str, language: &str) -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/countries");
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(data.join(f)).unwrap()).unwrap()
    };
    let codes = read("codes.json");
    let alpha2 = codes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[1] == code)
        .unwrap_or_else(|| panic!("{code} in codes.json"))[0]
        .as_str()
        .unwrap()
        .to_owned();
    let names = &read(&format!("{language}.json"))["countries"][&alpha2];
    match names {
        Value::Array(all) => all[0].as_str().unwrap().to_owned(),
        one => one.as_str().unwrap().to_owned(),
    }
}

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

/// What `placed_case_with_needs` set up.
struct Placed {
    case: String,
    municipality: String,
    municipality_name: String,
    /// The member names and their special needs, as registered.
    names: Vec<String>,
    needs: Vec<String>,
}

/// An interviewed demo case with a member who has special needs, taken through an
/// interview, a screening flag and its decision, acceptance, a placement proposal, the
/// municipality's consultation and confirmation, with `marker` written into every free
/// text the agency keeps on the claim: the interview notes, the flag's note, its
/// decision and the acceptance's reasons.
fn placed_case_with_needs(db: &Path, marker: &str) -> Placed {
    let found: Value = serde_json::from_str(&ok(&resettle(
        db,
        &[
            "--json",
            "case",
            "search",
            "--status",
            "interviewed",
            "--limit",
            "200",
        ],
    )))
    .unwrap();
    let (case, members) = found["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["unhcr_case_no"].as_str().unwrap().to_owned())
        .find_map(|case| {
            let show: Value =
                serde_json::from_str(&ok(&resettle(db, &["--json", "case", "show", &case])))
                    .unwrap();
            let members = show["household"]["members"].as_array().unwrap().clone();
            members
                .iter()
                .any(|m| m["special_needs"].is_string())
                .then_some((case, members))
        })
        .expect("the demo data has an interviewed household with special needs");
    let names = members
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m["given_name"].as_str().unwrap(),
                m["family_name"].as_str().unwrap()
            )
        })
        .collect();
    let needs = members
        .iter()
        .filter_map(|m| m["special_needs"].as_str().map(str::to_owned))
        .collect();
    let claim = format!("{marker} fled after threats from the militia");
    ok(&resettle(
        db,
        &[
            "case",
            "interview",
            &case,
            "--date",
            "2026-11-02",
            "--interviewer",
            "Kim",
            "--notes",
            &claim,
        ],
    ));
    let flag: Value = serde_json::from_str(&ok(&resettle(
        db,
        &[
            "--json",
            "case",
            "flag",
            &case,
            "--ground",
            "serious_crime",
            "--note",
            &format!("{marker} alleged membership"),
        ],
    )))
    .unwrap();
    ok(&resettle(
        db,
        &[
            "case",
            "decide-flag",
            &case,
            "--flag",
            flag["flag"].as_str().unwrap(),
            "--cleared",
            "--by",
            "Quota Manager",
            "--reason",
            &format!("{marker} no evidence"),
        ],
    ));
    ok(&resettle(
        db,
        &[
            "case",
            "decide",
            &case,
            "--accept",
            "--by",
            "Quota Manager",
            "--reason",
            &format!("{marker} protection needs established"),
        ],
    ));
    let year = chrono::Local::now().format("%Y").to_string();
    ok(&resettle(
        db,
        &[
            "placement",
            "propose",
            "--batch",
            &format!("cases:{case}"),
            "--year",
            &year,
        ],
    ));
    ok(&resettle(db, &["placement", "consult", &case]));
    ok(&resettle(db, &["placement", "confirm", &case]));
    let list: Value = serde_json::from_str(&ok(&resettle(
        db,
        &["--json", "placement", "list", "--year", &year],
    )))
    .unwrap();
    let proposal = list["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["case_no"] == case.as_str())
        .unwrap();
    Placed {
        municipality: proposal["municipality"].to_string(),
        municipality_name: proposal["municipality_name"].as_str().unwrap().to_owned(),
        case,
        names,
        needs,
    }
}

fn export(db: &Path, args: &[&str], out: &Path) -> Value {
    let mut all = vec!["--json", "docs"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out.to_str().unwrap()]);
    let printed: Value = serde_json::from_str(&ok(&resettle(db, &all))).unwrap();
    qpdf_check(out);
    assert_eq!(
        printed["sha256"],
        sha256_hex(&std::fs::read(out).unwrap()),
        "the printed hash is the file's"
    );
    printed
}

/// Neither the text layer nor the file's bytes hold `marker`.
fn assert_absent(pdf: &Path, text: &str, marker: &str) {
    assert!(!text.contains(marker), "{} holds {marker}", pdf.display());
    let bytes = std::fs::read(pdf).unwrap();
    assert!(
        !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
        "{} holds {marker} in its bytes",
        pdf.display()
    );
}

#[test]
fn referral_pack_and_report_hold_the_household_and_never_the_claim_or_unreleased_needs() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = demo(dir.path());
    let marker = "MARKER-7f3c9e1a-claim";
    let placed = placed_case_with_needs(&db, marker);
    let year = chrono::Local::now().format("%Y").to_string();
    let file = |name: &str| dir.path().join(name);

    // Without consent: every member, the municipality, the "nothing released" line, and
    // neither the needs nor the claim.
    let referral = file("referral-1.pdf");
    export(&db, &["referral", &placed.case], &referral);
    let text = text_of(&referral);
    for name in &placed.names {
        assert!(text.contains(name), "no {name:?} in {text}");
    }
    assert!(text.contains(&placed.case));
    assert!(text.contains(&placed.municipality_name));
    assert!(text.contains("Husstanden har ikke frigivet"), "{text}");
    // The nationality by its names in Danish and English, read here from the lists
    // themselves (data/countries/), with its code.
    let show: Value = serde_json::from_str(&ok(&resettle(
        &db,
        &["--json", "case", "show", &placed.case],
    )))
    .unwrap();
    let nationality = show["household"]["nationality"].as_str().unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for language in ["da", "en"] {
        let name = country_name(nationality, language);
        assert!(flat.contains(&name), "no {name:?} ({language}) in {flat}");
    }
    assert!(flat.contains(&format!("({nationality})")), "{flat}");
    for need in &placed.needs {
        assert!(
            !text.contains(need.as_str()),
            "unreleased need {need:?} printed"
        );
    }
    assert_absent(&referral, &text, marker);

    // With consent to release special needs: the needs appear, the claim still not.
    ok(&resettle(
        &db,
        &[
            "case",
            "consent",
            &placed.case,
            "--release",
            "special_needs",
            "--language",
            "ar",
        ],
    ));
    let pack = file("pack.pdf");
    let printed = export(
        &db,
        &[
            "pack",
            "--municipality",
            &placed.municipality,
            "--year",
            &year,
        ],
        &pack,
    );
    let text = text_of(&pack);
    assert!(text.contains(&format!("{} Kommune", placed.municipality_name)));
    assert!(text.contains(&placed.case));
    for name in &placed.names {
        assert!(text.contains(name), "no {name:?} in the pack");
    }
    for need in &placed.needs {
        assert!(
            text.contains(need.as_str()),
            "released need {need:?} missing"
        );
    }
    assert!(text.contains("Kvote / Quota"), "{text}");
    assert_absent(&pack, &text, marker);
    // The pack's ID and one referral ID per household, all in the audit entry.
    let ids: Vec<&str> = printed["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(ids[0].starts_with("PACK-") && ids[1..].iter().all(|i| i.starts_with("REF-")));
    let log = audit_rows(&db);
    assert!(log
        .iter()
        .any(|(actor, action, subject)| actor == "test-exporter"
            && action == "document.pack.exported"
            && subject.contains(&format!("for=municipality:{}", placed.municipality))
            && subject.contains(printed["sha256"].as_str().unwrap())
            && ids.iter().all(|id| subject.contains(id))));

    // The consent withdrawn: the needs are gone again at the next export.
    let show: Value = serde_json::from_str(&ok(&resettle(
        &db,
        &["--json", "case", "show", &placed.case],
    )))
    .unwrap();
    let consent = show["consents"][0]["id"].as_str().unwrap().to_owned();
    ok(&resettle(
        &db,
        &[
            "case",
            "withdraw-consent",
            &placed.case,
            "--consent",
            &consent,
        ],
    ));
    let referral = file("referral-2.pdf");
    export(&db, &["referral", &placed.case], &referral);
    let text = text_of(&referral);
    for need in &placed.needs {
        assert!(
            !text.contains(need.as_str()),
            "withdrawn need {need:?} printed"
        );
    }
    assert!(text.contains("Husstanden har ikke frigivet"));

    // The arrival date, once recorded, is on the form.
    for (step, date) in [
        ("prepare", None),
        ("depart", Some("2026-12-01")),
        ("arrive", Some("2026-12-02")),
    ] {
        let mut args = vec!["case", step, placed.case.as_str()];
        if let Some(d) = date {
            args.extend_from_slice(&["--date", d]);
        }
        ok(&resettle(&db, &args));
    }
    let referral = file("referral-3.pdf");
    export(&db, &["referral", &placed.case], &referral);
    let text = text_of(&referral);
    assert!(
        text.contains("Ankomstdato / Arrival date: 2026-12-02"),
        "{text}"
    );

    // The declarations and the quota report hold no claim either.
    let declaration = file("declaration.pdf");
    export(
        &db,
        &["declaration", &placed.case, "--lang", "ar"],
        &declaration,
    );
    assert_absent(&declaration, &text_of(&declaration), marker);
    let status: Value = serde_json::from_str(&ok(&resettle(
        &db,
        &["--json", "quota", "status", "--period", &year],
    )))
    .unwrap();
    let report = file("report.pdf");
    export(&db, &["quota-report", "--period", &year], &report);
    let text = text_of(&report);
    assert_absent(&report, &text, marker);
    assert!(text.contains("Kvoterapport / Quota report"));
    // Danish, with each label's English half marked as English.
    let marked = pdf_check::languages(&report);
    assert!(marked.contains("da") && marked.contains("en"), "{marked:?}");
    // Each year's bars carry used and committed of allocated and carried in.
    for y in status["years"].as_array().unwrap() {
        for s in y["sub_quotas"].as_array().unwrap() {
            let n = |k: &str| s[k].as_u64().unwrap();
            let figure = format!(
                "{} / {}",
                n("used") + n("committed"),
                n("allocated") + n("carried_in")
            );
            assert!(text.contains(&figure), "no {figure:?} in {text}");
        }
    }
}

#[test]
fn a_pack_without_confirmed_households_and_a_referral_without_placement_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, case) = demo(dir.path());
    let pdf = dir.path().join("x.pdf");
    let out = resettle(
        &db,
        &["docs", "referral", &case, "--out", pdf.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no active placement"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = resettle(
        &db,
        &[
            "docs",
            "pack",
            "--municipality",
            "751",
            "--year",
            "2026",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no confirmed household"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        !name.ends_with(".pdf") && !name.contains("partial")
    }));
}
