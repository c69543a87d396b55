//! An office's first programme year on the command line, from `init` alone (no demo
//! data): the period, a UNHCR submission file, a mission and its team, interviews, scores
//! and decisions, the key inputs and the municipal quotas, a placement proposed, consulted
//! and confirmed, declarations and consent, the referral form, the municipality's pack and
//! the quota report, departure and arrival. Three people do it, each in their own role:
//! `boss` sets the database up, `cw` (a caseworker) does the field work, `qm` (a quota
//! manager with the export grant) decides, places and exports.
//!
//! Each step's output is checked against SQL written here, on the database's own tables,
//! not through the store. The database is a file, or, when `RESETTLE_TEST_STORE=postgres`
//! (`cargo xtask test`'s PostgreSQL step), a database on the server owned by `boss`, where
//! the three are separate server logins and the server says who acts.

mod common;
mod pdf_check;

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Three households: a family of three and a single man who are accepted, and one who is
/// rejected. Invented names, as in the demo data.
const SUBMISSIONS: &str = "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient
KEN-26F00001,RRF-F1,principal,Halima,Forsti,F,1986-02-02,SOM,KEN,so;en,yes,11,nurse,,LPN,SVT,normal,2026-02-03,mission,no
KEN-26F00001,RRF-F1,spouse,Omar,Forsti,M,1983-06-06,SOM,KEN,so,yes,8,driver,,LPN,SVT,normal,2026-02-03,mission,no
KEN-26F00001,RRF-F1,child,Yusuf,Forsti,M,2016-04-04,SOM,KEN,so,yes,4,,,LPN,SVT,normal,2026-02-03,mission,no
KEN-26F00002,RRF-F2,principal,Abdi,Andreti,M,1979-05-05,SOM,KEN,so;ar,yes,12,electrician,,LAS,,normal,2026-02-04,mission,no
KEN-26F00003,RRF-F3,principal,Faisal,Tredji,M,1990-07-07,SOM,KEN,so,no,0,herder,,LAS,,normal,2026-02-05,mission,no
";

const FAMILY: &str = "KEN-26F00001";
const SINGLE: &str = "KEN-26F00002";
const REJECTED: &str = "KEN-26F00003";

/// The office: where its database is, as the CLI is given it (a file, or the server's
/// URL without a login), and as the checks below read it (the superuser's URL).
struct Office {
    _dir: tempfile::TempDir,
    location: OsString,
    server: bool,
}

impl Office {
    fn new() -> Office {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("office.db");
        if common::backend() == "postgres" {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            let url = runtime.block_on(async {
                for login in ["cw", "qm", "adm"] {
                    common::pg_login(login).await;
                }
                // boss owns the database and may make roles, as an IT department sets it up.
                common::pg_owned_database(&path, "boss").await
            });
            Office {
                _dir: dir,
                location: url.into(),
                server: true,
            }
        } else {
            Office {
                _dir: dir,
                location: path.into_os_string(),
                server: false,
            }
        }
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// `resettle --json ARGS` as `login`: on the server its own login, on a file the
    /// operating system's login name.
    fn run(&self, login: &str, args: &[&str]) -> Output {
        let db: OsString = if self.server {
            common::as_login(self.location.to_str().unwrap(), login).into()
        } else {
            self.location.clone()
        };
        Command::new(env!("CARGO_BIN_EXE_resettle"))
            .arg("--db")
            .arg(db)
            .arg("--json")
            .args(args)
            .env_remove("RESETTLE_DB")
            .env_remove("RESETTLE_PASSPHRASE")
            .env_remove("USERNAME")
            .env_remove("LOGNAME")
            .env("USER", login)
            .output()
            .expect("run resettle")
    }

    fn ok(&self, login: &str, args: &[&str]) -> Value {
        let out = self.run(login, args);
        assert!(
            out.status.success(),
            "{login}: {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    fn refused(&self, login: &str, args: &[&str]) -> Value {
        let out = self.run(login, args);
        assert!(!out.status.success(), "{login}: {args:?} should be refused");
        serde_json::from_slice(&out.stdout).expect("a refusal in JSON")
    }

    /// The rows of `sql` on the database itself, every column read as text (the SQL casts
    /// what is not text), so that one query serves both backends.
    fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        use sqlx::{Connection, Row};
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let rows: Vec<Vec<String>> = if self.server {
                let mut conn = sqlx::PgConnection::connect(self.location.to_str().unwrap())
                    .await
                    .unwrap();
                let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
                rows.iter()
                    .map(|r| (0..r.len()).map(|i| r.get::<String, _>(i)).collect())
                    .collect()
            } else {
                let url = format!("sqlite://{}?mode=ro", self.location.to_str().unwrap());
                let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
                let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
                rows.iter()
                    .map(|r| (0..r.len()).map(|i| r.get::<String, _>(i)).collect())
                    .collect()
            };
            rows
        })
    }

    /// The one value of `sql` as a number.
    fn number(&self, sql: &str) -> i64 {
        let rows = self.rows(sql);
        assert_eq!(rows.len(), 1, "{sql}");
        rows[0][0].parse().unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// `pdftotext` of a PDF as one line, after it passes `qpdf --check` and the PDF/UA and
/// PDF/A checks.
fn pdf_text(pdf: &Path) -> String {
    pdf_check::conforms(pdf);
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sub_quota<'a>(status: &'a Value, year: i64, sub: &str) -> &'a Value {
    status["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == year)
        .unwrap()["sub_quotas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sub_quota"] == sub)
        .unwrap()
}

/// The ledger's committed and used places of a year's sub-quota, summed here from the
/// entries: commitments less releases and arrivals, and arrivals.
fn ledger(office: &Office, year: i64, sub: &str) -> (i64, i64) {
    let sum = |kinds: &str| {
        office.number(&format!(
            "SELECT CAST(COALESCE(SUM(places), 0) AS TEXT) FROM quota_entries
             WHERE year = {year} AND sub_quota = '{sub}' AND kind IN ({kinds})"
        ))
    };
    let arrived = sum("'arrival'");
    (sum("'commitment'") - sum("'release'") - arrived, arrived)
}

/// `resettle dashboard --today TODAY` as the quota manager, each figure checked against
/// SQL of its own (the deadline rule applied here to each open case's row), and returned.
fn dashboard(office: &Office, today: &str) -> Value {
    use resettle::domain::{deadline, CaseStatus, DeadlineStatus, Priority};
    let d = office.ok("qm", &["dashboard", "--today", today]);
    assert_eq!(d["today"], today);
    let day: chrono::NaiveDate = today.parse().unwrap();
    let (mut overdue, mut at_risk) = (0, 0);
    for row in office.rows(
        "SELECT priority, CAST(submission_date AS TEXT), status FROM cases
         WHERE status NOT IN ('rejected', 'withdrawn', 'departed', 'arrived')",
    ) {
        let priority: Priority = row[0].parse().unwrap();
        let _: CaseStatus = row[2].parse().unwrap();
        match deadline::status(priority, row[1].parse().unwrap(), None, day) {
            DeadlineStatus::Overdue => overdue += 1,
            DeadlineStatus::AtRisk => at_risk += 1,
            _ => {}
        }
    }
    assert_eq!(d["overdue"], overdue, "{d}");
    assert_eq!(d["at_risk"], at_risk, "{d}");
    let count = |sql: &str| office.number(&format!("SELECT CAST(COUNT(*) AS TEXT) {sql}"));
    assert_eq!(
        d["awaiting_decision"],
        count("FROM cases WHERE status IN ('interviewed', 'examined', 'deferred')")
    );
    assert_eq!(
        d["proposals_to_send"],
        count("FROM placements WHERE status = 'proposed'")
    );
    assert_eq!(
        d["awaiting_answer"],
        count("FROM placements WHERE status = 'consulted'")
    );
    let consulted = office.rows(
        "SELECT CAST(t.at AS TEXT) FROM placement_transitions t
         JOIN placements p ON p.id = t.placement_id
         WHERE p.status = 'consulted' AND t.to_status = 'consulted'",
    );
    let longest = consulted
        .iter()
        .map(|r| (day - r[0][..10].parse::<chrono::NaiveDate>().unwrap()).num_days())
        .max();
    assert_eq!(d["longest_wait_days"], serde_json::json!(longest));
    // Adults here: 18 on the day, born on or before the same date 18 years earlier.
    let born_by = format!("{}{}", today[..4].parse::<i32>().unwrap() - 18, &today[4..]);
    assert_eq!(
        d["declarations_missing"],
        count(&format!(
            "FROM cases c WHERE c.status IN ('accepted', 'pending_departure')
             AND (SELECT COUNT(*) FROM persons p
                  WHERE p.case_id = c.id AND CAST(p.date_of_birth AS TEXT) <= '{born_by}'
                  AND p.id NOT IN (SELECT person_id FROM declarations)) > 0"
        ))
    );
    assert_eq!(
        d["open_conflicts"],
        count("FROM checkin_conflicts WHERE resolution IS NULL")
    );
    assert_eq!(
        d["missions_in_field"],
        count(
            "FROM missions m WHERE EXISTS (SELECT 1 FROM mission_bundles b
             WHERE b.mission_id = m.id AND b.kind = 'checkout' AND b.direction = 'sent')
             AND NOT EXISTS (SELECT 1 FROM mission_bundles b
             WHERE b.mission_id = m.id AND b.kind = 'return' AND b.direction = 'received')"
        )
    );
    // The year's quota: allocations from the ledger's own entries, the rest as `quota
    // status` and the entries say.
    let year: i64 = today[..4].parse().unwrap();
    let status = office.ok("qm", &["quota", "status", "--period", "2026"]);
    let q = &d["quota"];
    assert_eq!(q["year"], year);
    assert_eq!(q["annual_cap"], status["annual_cap"]);
    let (mut committed, mut used, mut available) = (0, 0, 0);
    for sub in ["geographical", "emergency_urgent", "medical"] {
        let (c, u) = ledger(office, year, sub);
        committed += c;
        used += u;
        available += sub_quota(&status, year, sub)["available"].as_i64().unwrap();
    }
    assert_eq!(q["committed"], committed, "{d}");
    assert_eq!(q["used"], used, "{d}");
    assert_eq!(q["available"], available, "{d}");
    assert_eq!(
        q["allocated"],
        office.number(&format!(
            "SELECT CAST(COALESCE(SUM(places), 0) AS TEXT) FROM quota_entries
             WHERE year = {year} AND kind = 'allocation'"
        )) + office.number(&format!(
            "SELECT CAST(COALESCE(SUM(places), 0) AS TEXT) FROM quota_entries
             WHERE to_year = {year} AND kind = 'carry_over'"
        ))
    );
    d
}

#[test]
fn an_office_runs_its_first_year_from_init_without_demo_data() {
    let office = Office::new();
    let file = |name: &str| office.dir().join(name);
    let path = |name: &str| file(name).to_str().unwrap().to_owned();

    // Setting up: the database, its 98 municipalities, and the office's two colleagues.
    office.ok("boss", &["init"]);
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM municipalities"),
        98
    );
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM cases"),
        0,
        "init alone holds no cases"
    );
    office.ok("boss", &["user", "add", "cw", "--role", "caseworker"]);
    office.ok(
        "boss",
        &["user", "add", "qm", "--role", "quota_manager", "--export"],
    );
    assert_eq!(
        office.rows(
            r#"SELECT u.name, r.role FROM users u JOIN user_roles r ON r."user" = u.name
               WHERE u.name IN ('cw', 'qm') ORDER BY 1, 2"#
        ),
        [["cw", "caseworker"], ["qm", "quota_manager"]]
    );

    // The period: 1,500 places over 2026-2028, 500 a year split 395 / 75 / 30.
    let period = office.ok(
        "qm",
        &[
            "quota",
            "create-period",
            "--start-year",
            "2026",
            "--places",
            "1500",
        ],
    );
    assert_eq!(period["status"]["total_places"], 1500);
    assert_eq!(
        office.number(
            "SELECT CAST(SUM(places) AS TEXT) FROM quota_entries
             WHERE kind = 'allocation' AND year = 2026 AND sub_quota = 'geographical'"
        ),
        sub_quota(&period["status"], 2026, "geographical")["allocated"]
            .as_i64()
            .unwrap()
    );
    assert_eq!(
        office.number(
            "SELECT CAST(SUM(places) AS TEXT) FROM quota_entries WHERE kind = 'allocation'"
        ),
        1500
    );

    // A mission, its submissions and its team: the caseworker's work.
    let mission = office.ok(
        "cw",
        &[
            "mission",
            "create",
            "--name",
            "Kenya 2026",
            "--country",
            "KEN",
            "--location",
            "Kakuma",
            "--start",
            "2026-03-02",
            "--end",
            "2026-03-13",
            "--target",
            "40",
        ],
    );
    let mission = mission["mission"]["id"].as_str().unwrap().to_owned();
    std::fs::write(file("submissions.csv"), SUBMISSIONS).unwrap();
    let imported = office.ok(
        "cw",
        &[
            "import",
            "submissions",
            &path("submissions.csv"),
            "--mission",
            &mission,
        ],
    );
    assert_eq!(imported["report"]["households"], 3);
    assert_eq!(imported["report"]["persons"], 5);
    assert_eq!(
        office.rows(&format!(
            "SELECT c.unhcr_case_no, CAST(COUNT(p.id) AS TEXT), c.status FROM cases c
             JOIN persons p ON p.case_id = c.id WHERE c.mission_id = '{mission}'
             GROUP BY c.unhcr_case_no, c.status ORDER BY 1"
        )),
        [
            [FAMILY, "3", "submitted"],
            [SINGLE, "1", "submitted"],
            [REJECTED, "1", "submitted"]
        ]
    );
    office.ok(
        "cw",
        &[
            "mission",
            "team-add",
            &mission,
            "--name",
            "Sofie Dahl",
            "--organisation",
            "refugee_council",
        ],
    );
    assert_eq!(
        office.rows(&format!(
            "SELECT name FROM mission_team WHERE mission_id = '{mission}'"
        )),
        [["Sofie Dahl"]]
    );

    // Interviews and scores.
    for (case, date) in [
        (FAMILY, "2026-03-03"),
        (SINGLE, "2026-03-04"),
        (REJECTED, "2026-03-05"),
    ] {
        office.ok(
            "cw",
            &[
                "case",
                "interview",
                case,
                "--date",
                date,
                "--interviewer",
                "Sofie Dahl",
                "--notes",
                "the claim as told",
                "--assess",
                "motivation=high",
            ],
        );
        let score = office.ok("cw", &["case", "score", case]);
        let card = &score["card"];
        assert_eq!(
            office.rows(&format!(
                "SELECT s.assessment, CAST(s.total AS TEXT), CAST(s.max AS TEXT), s.scored_by
                 FROM scores s JOIN cases c ON c.id = s.case_id
                 WHERE c.unhcr_case_no = '{case}'"
            )),
            [[
                card["assessment"].as_str().unwrap().to_owned(),
                card["total"].to_string(),
                card["max"].to_string(),
                "cw".to_owned()
            ]]
        );
    }
    assert_eq!(
        office.number(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM cases
             WHERE mission_id = '{mission}' AND status = 'interviewed'"
        )),
        3
    );

    // The quota manager's day a year on: three decisions wait; the family, submitted on
    // 3 February 2026, is past its twelve months, the other two nearly.
    let d = dashboard(&office, "2027-02-04");
    assert_eq!(
        (
            d["awaiting_decision"].as_i64(),
            d["overdue"].as_i64(),
            d["at_risk"].as_i64()
        ),
        (Some(3), Some(1), Some(2))
    );

    // A caseworker may not decide; the quota manager does, and the acceptance charges the
    // quota in the same step.
    let forbidden = office.refused(
        "cw",
        &[
            "case", "decide", FAMILY, "--accept", "--by", "cw", "--reason", "x",
        ],
    );
    assert_eq!(forbidden["code"], "forbidden");
    for case in [FAMILY, SINGLE] {
        office.ok(
            "qm",
            &[
                "case",
                "decide",
                case,
                "--accept",
                "--by",
                "qm",
                "--reason",
                "protection needs established at the interview",
                "--quota-year",
                "2026",
            ],
        );
    }
    office.ok(
        "qm",
        &[
            "case",
            "decide",
            REJECTED,
            "--reject",
            "--by",
            "qm",
            "--reason",
            "does not meet the conditions",
        ],
    );
    assert_eq!(
        office.rows(
            "SELECT c.unhcr_case_no, d.verdict, c.status FROM decisions d
             JOIN cases c ON c.id = d.case_id ORDER BY 1"
        ),
        [
            [FAMILY, "accept", "accepted"],
            [SINGLE, "accept", "accepted"],
            [REJECTED, "reject", "rejected"]
        ]
    );
    let status = office.ok("qm", &["quota", "status", "--period", "2026"]);
    let geographical = sub_quota(&status, 2026, "geographical");
    assert_eq!(geographical["committed"], 4);
    assert_eq!(ledger(&office, 2026, "geographical"), (4, 0));

    // The key inputs and the year's municipal quotas for a national number of 450.
    let inputs = office.ok(
        "qm",
        &[
            "municipality",
            "key-inputs",
            "--year",
            "2026",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/key-inputs-2026-synthetic.csv"
            ),
            "--synthetic",
        ],
    );
    assert_eq!(
        inputs["key_inputs"]["municipalities"],
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM key_inputs WHERE year = 2026")
    );
    let quotas = office.ok(
        "qm",
        &[
            "municipality",
            "compute-quotas",
            "--year",
            "2026",
            "--national",
            "450",
        ],
    );
    assert_eq!(
        office.number("SELECT CAST(SUM(quota) AS TEXT) FROM municipal_quotas WHERE year = 2026"),
        450
    );
    let computed: i64 = quotas["quotas"]
        .as_object()
        .unwrap()
        .values()
        .map(|q| q.as_i64().unwrap())
        .sum();
    assert_eq!(computed, 450);
    for (code, quota) in quotas["quotas"].as_object().unwrap() {
        assert_eq!(
            office.number(&format!(
                "SELECT CAST(quota AS TEXT) FROM municipal_quotas WHERE year = 2026 AND code = {code}"
            )),
            quota.as_i64().unwrap(),
            "municipality {code}"
        );
    }

    // Placement: proposed for the accepted households, consulted, confirmed.
    let proposed = office.ok(
        "qm",
        &[
            "placement",
            "propose",
            "--batch",
            "accepted",
            "--year",
            "2026",
        ],
    );
    let proposals = proposed["proposed"]["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 2);
    let placed_in = |case: &str| -> i64 {
        office.number(&format!(
            "SELECT CAST(p.municipality AS TEXT) FROM placements p JOIN cases c ON c.id = p.case_id
             WHERE c.unhcr_case_no = '{case}' AND p.status <> 'declined'"
        ))
    };
    for p in proposals {
        let case = p["case_no"].as_str().unwrap();
        assert_eq!(p["municipality"].as_i64().unwrap(), placed_in(case));
        // Within the municipality's quota, as the table has it.
        let code = p["municipality"].as_i64().unwrap();
        assert!(
            office.number(&format!(
                "SELECT CAST(quota AS TEXT) FROM municipal_quotas WHERE year = 2026 AND code = {code}"
            )) >= p["persons"].as_i64().unwrap()
        );
    }
    let d = dashboard(&office, "2026-04-01");
    assert_eq!(d["proposals_to_send"], 2);
    assert_eq!(d["quota"]["committed"], 4);
    for case in [FAMILY, SINGLE] {
        office.ok(
            "qm",
            &[
                "placement",
                "consult",
                case,
                "--note",
                "sent to the municipality",
            ],
        );
    }
    // Put to the municipality on the day the test runs: waiting since then.
    let today = chrono::Utc::now().date_naive().to_string();
    let d = dashboard(&office, &today);
    assert_eq!(
        (
            d["proposals_to_send"].as_i64(),
            d["awaiting_answer"].as_i64()
        ),
        (Some(0), Some(2))
    );
    assert_eq!(d["longest_wait_days"], 0);
    for case in [FAMILY, SINGLE] {
        office.ok(
            "qm",
            &[
                "placement",
                "confirm",
                case,
                "--note",
                "the municipality agreed",
            ],
        );
    }
    assert_eq!(
        office.rows(
            "SELECT c.unhcr_case_no, p.status FROM placements p JOIN cases c ON c.id = p.case_id
             ORDER BY 1"
        ),
        [[FAMILY, "confirmed"], [SINGLE, "confirmed"]]
    );
    assert_eq!(
        office.rows(
            "SELECT t.to_status, t.actor FROM placement_transitions t
             JOIN placements p ON p.id = t.placement_id JOIN cases c ON c.id = p.case_id
             WHERE c.unhcr_case_no = 'KEN-26F00001' ORDER BY t.seq"
        ),
        [["proposed", "qm"], ["consulted", "qm"], ["confirmed", "qm"]]
    );
    let family_municipality = placed_in(FAMILY);
    let municipality_name = office.rows(&format!(
        "SELECT name FROM municipalities WHERE code = {family_municipality}"
    ))[0][0]
        .clone();
    let table = office.ok("qm", &["municipality", "quotas", "--year", "2026"]);
    let row = table["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == family_municipality)
        .unwrap();
    assert_eq!(
        row["used"].as_i64().unwrap(),
        office.number(&format!(
            "SELECT CAST(SUM(persons) AS TEXT) FROM placements
             WHERE year = 2026 AND municipality = {family_municipality} AND status <> 'declined'"
        ))
    );

    // Before departure: each adult's declaration, and the family's consent to release its
    // special needs to the municipality.
    office.ok("qm", &["case", "prepare", FAMILY]);
    // Both accepted households have adults yet to sign.
    assert_eq!(dashboard(&office, "2026-04-19")["declarations_missing"], 2);
    let show = office.ok("cw", &["case", "show", FAMILY]);
    let adults: Vec<String> = show["adults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(adults.len(), 2);
    for adult in &adults {
        office.ok(
            "cw",
            &[
                "case",
                "declare",
                FAMILY,
                "--person",
                adult,
                "--date",
                "2026-04-20",
                "--place",
                "Kakuma",
            ],
        );
    }
    office.ok(
        "cw",
        &[
            "case",
            "consent",
            FAMILY,
            "--release",
            "special_needs",
            "--language",
            "so",
        ],
    );
    assert_eq!(
        office.number(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM declarations d JOIN persons p ON p.id = d.person_id
             JOIN cases c ON c.id = p.case_id WHERE c.unhcr_case_no = '{FAMILY}'"
        )),
        2
    );
    assert_eq!(
        office.rows(&format!(
            "SELECT k.language, k.recorded_by FROM consents k JOIN cases c ON c.id = k.case_id
             WHERE c.unhcr_case_no = '{FAMILY}' AND k.withdrawn_at IS NULL"
        )),
        [["so", "cw"]]
    );

    // The family's adults have signed; the single man has not yet.
    assert_eq!(dashboard(&office, "2026-04-21")["declarations_missing"], 1);

    confidential(&office);

    // The documents: the caseworker has no export grant; the quota manager has.
    let no_grant = office.refused(
        "cw",
        &[
            "docs",
            "referral",
            FAMILY,
            "--out",
            &path("cw-referral.pdf"),
        ],
    );
    assert_eq!(no_grant["code"], "forbidden", "{no_grant}");
    assert!(!file("cw-referral.pdf").exists());
    let referral = office.ok(
        "qm",
        &["docs", "referral", FAMILY, "--out", &path("referral.pdf")],
    );
    let text = pdf_text(&file("referral.pdf"));
    assert!(text.contains(FAMILY), "{text}");
    assert!(text.contains(&municipality_name), "{text}");
    assert!(text.contains("Halima") && text.contains("Omar"), "{text}");
    assert_no_confidential(&file("referral.pdf"), &text);
    let code = family_municipality.to_string();
    office.ok(
        "qm",
        &[
            "docs",
            "pack",
            "--municipality",
            &code,
            "--year",
            "2026",
            "--out",
            &path("pack.pdf"),
        ],
    );
    let pack = pdf_text(&file("pack.pdf"));
    assert!(
        pack.contains(FAMILY) && pack.contains(&municipality_name),
        "{pack}"
    );
    assert_no_confidential(&file("pack.pdf"), &pack);
    office.ok(
        "qm",
        &[
            "docs",
            "declaration",
            FAMILY,
            "--lang",
            "so",
            "--out",
            &path("declaration.pdf"),
        ],
    );
    let declaration = pdf_text(&file("declaration.pdf"));
    assert!(declaration.contains("Omar"), "{declaration}");
    assert_no_confidential(&file("declaration.pdf"), &declaration);
    office.ok(
        "qm",
        &[
            "docs",
            "quota-report",
            "--period",
            "2026",
            "--out",
            &path("quota-report.pdf"),
        ],
    );
    let report = pdf_text(&file("quota-report.pdf"));
    assert!(
        report.contains("2026") && report.contains("2028"),
        "{report}"
    );
    // Each export is in the audit log, by qm, with the file's SHA-256.
    assert_eq!(
        office.rows(
            "SELECT action, actor FROM audit_log WHERE action LIKE 'document.%' ORDER BY seq"
        ),
        [
            ["document.referral.exported", "qm"],
            ["document.pack.exported", "qm"],
            ["document.declaration.exported", "qm"],
            ["document.quota_report.exported", "qm"]
        ]
    );
    assert_eq!(
        office.number(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log
             WHERE action = 'document.referral.exported' AND subject LIKE '%sha256={}%'",
            referral["sha256"].as_str().unwrap()
        )),
        1
    );

    // Departure and arrival: committed places become used.
    office.ok("qm", &["case", "depart", FAMILY, "--date", "2026-05-04"]);
    let arrived = office.ok("qm", &["case", "arrive", FAMILY, "--date", "2026-05-05"]);
    let geographical = sub_quota(&arrived["quota"], 2026, "geographical");
    assert_eq!(geographical["committed"], 1);
    assert_eq!(geographical["used"], 3);
    assert_eq!(ledger(&office, 2026, "geographical"), (1, 3));
    assert_eq!(
        office.rows(&format!(
            "SELECT status, CAST(departed_on AS TEXT), CAST(arrived_on AS TEXT) FROM cases WHERE unhcr_case_no = '{FAMILY}'"
        )),
        [["arrived", "2026-05-04", "2026-05-05"]]
    );
    assert_eq!(
        office.rows(&format!(
            "SELECT t.to_status FROM case_transitions t JOIN cases c ON c.id = t.case_id
             WHERE c.unhcr_case_no = '{FAMILY}' ORDER BY t.seq"
        )),
        [
            ["interviewed"],
            ["accepted"],
            ["pending_departure"],
            ["departed"],
            ["arrived"]
        ]
    );

    // The ministry's statistics for the year, as CSV and as a workbook.
    statistics(&office);

    // The whole year is in the audit chain, which verifies.
    let verified = office.ok("boss", &["audit", "verify"]);
    assert_eq!(
        verified["entries"].as_i64().unwrap(),
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log")
    );
    let actors: Vec<String> = office
        .rows("SELECT DISTINCT actor FROM audit_log ORDER BY 1")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert!(
        actors
            .iter()
            .all(|a| ["boss", "cw", "qm"].contains(&a.as_str())),
        "{actors:?}"
    );

    access_report(&office);
    erasure(&office);
}

/// Omar asks what the agency holds about him, then the household asks: each report is a
/// JSON file, made with the export grant and in the audit log; his has his confidential
/// information once the maker holds that grant too, the household's has no member's, and
/// only the household's has the interview notes.
fn access_report(office: &Office) {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let report = |login: &str, member: Option<&str>, file: &str| -> Value {
        let mut args = vec!["privacy", "access-report", FAMILY, "--out", file];
        if let Some(m) = member {
            args.extend(["--member", m]);
        }
        office.ok(login, &args);
        serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
    };

    // Refused without the export grant, to a file that is neither PDF nor JSON, and in a
    // language with no translation; nothing written.
    let refusal = office.refused(
        "cw",
        &["privacy", "access-report", FAMILY, "--out", &out("cw.json")],
    );
    assert_eq!(refusal["code"], "forbidden", "{refusal}");
    let refusal = office.refused(
        "qm",
        &[
            "privacy",
            "access-report",
            FAMILY,
            "--out",
            &out("omar.txt"),
        ],
    );
    assert_eq!(
        (&refusal["code"], &refusal["field"]),
        (&"access_report_format".into(), &"out".into()),
        "{refusal}"
    );
    let refusal = office.refused(
        "qm",
        &[
            "privacy",
            "access-report",
            FAMILY,
            "--lang",
            "xx",
            "--out",
            &out("omar.pdf"),
        ],
    );
    assert_eq!(
        (&refusal["code"], &refusal["field"]),
        (&"no_declaration_language".into(), &"language".into()),
        "{refusal}"
    );
    for file in ["cw.json", "omar.txt", "omar.pdf"] {
        assert!(!dir.path().join(file).exists(), "{file}");
    }

    // Omar's, by the quota manager without the confidential grant: said to be incomplete.
    let omar = report("qm", Some("2"), &out("omar.json"));
    assert_eq!(omar["household"]["members"].as_array().unwrap().len(), 1);
    assert_eq!(omar["household"]["members"][0]["given_name"], "Omar");
    assert_eq!(omar["notes"], "withheld_other_members");
    assert_eq!(omar["interviews"][0]["notes"], "", "{omar}");
    assert_eq!(omar["confidential_disclosure"], "reader_without_grant");
    let kinds: Vec<&str> = omar["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["action"].as_str().unwrap())
        .collect();
    for kind in ["referral", "pack", "declaration"] {
        assert!(
            kinds.contains(&format!("document.{kind}.exported").as_str()),
            "{kind} in {kinds:?}"
        );
    }
    assert!(
        omar["reads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "case.confidential_read" && r["actor"] == "cw"),
        "{omar}"
    );
    assert!(!std::fs::read_to_string(out("omar.json"))
        .unwrap()
        .contains("CONFIDENTIAL-MARK"));

    // With the grant: his own note is in his report, in nobody else's.
    office.ok("boss", &["user", "set", "qm", "--confidential"]);
    let omar = report("qm", Some("2"), &out("omar-2.json"));
    assert_eq!(omar["confidential_disclosure"], "included");
    assert_eq!(omar["confidential"]["note"], CONFIDENTIAL_FAMILY);
    let halima = report("qm", Some("1"), &out("halima.json"));
    assert_eq!(halima["confidential_disclosure"], "none_recorded");
    let household = report("qm", None, &out("household.json"));
    assert_eq!(
        household["confidential_disclosure"],
        "not_in_household_report"
    );
    assert_eq!(household["notes"], "included");
    assert_ne!(household["interviews"][0]["notes"], "");
    assert_eq!(
        household["household"]["members"].as_array().unwrap().len(),
        3
    );
    for file in ["halima.json", "household.json"] {
        let text = std::fs::read_to_string(out(file)).unwrap();
        assert!(!text.contains("CONFIDENTIAL-MARK"), "{file}");
    }

    // The PDFs for the people: Omar's in Danish and Arabic with his note, the household's
    // (in the first of its languages with a translation) without it.
    let pdf = |member: Option<&str>, lang: Option<&str>, file: &str| -> String {
        let mut args = vec!["privacy", "access-report", FAMILY, "--out", file];
        if let Some(m) = member {
            args.extend(["--member", m]);
        }
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        office.ok("qm", &args);
        pdf_text(Path::new(file))
    };
    let omar = pdf(Some("2"), Some("ar"), &out("omar.pdf"));
    for expected in [
        "Indsigt: de oplysninger",
        "Omar",
        FAMILY,
        CONFIDENTIAL_FAMILY,
        "Samtalenoterne er ikke med",
        "المعلومات السرية",
    ] {
        assert!(omar.contains(expected), "{expected} in Omar's PDF: {omar}");
    }
    let household = pdf(None, None, &out("household.pdf"));
    assert!(household.contains("Hele husstanden"), "{household}");
    assert!(!household.contains("CONFIDENTIAL-MARK"), "{household}");
    assert!(
        !household.contains("Samtalenoterne er ikke med"),
        "{household}"
    );
    office.ok("boss", &["user", "set", "qm", "--no-confidential"]);

    // Each report is an export in the audit log, by whom and for which member.
    let exported = office.rows(
        "SELECT actor, subject FROM audit_log WHERE action = 'document.access_report.exported'
         ORDER BY seq",
    );
    assert_eq!(exported.len(), 6, "{exported:?}");
    assert!(exported.iter().all(|r| r[0] == "qm"));
    assert!(exported[0][1].contains(" member:2 "), "{exported:?}");
    assert!(exported[4][1].contains(" member:2 "), "{exported:?}");
    assert!(!exported[5][1].contains("member:"), "{exported:?}");
}

/// What Omar told the mission to keep from his family, and what the rejected man told it.
const CONFIDENTIAL_FAMILY: &str = "CONFIDENTIAL-MARK-omar-4d1e";
const CONFIDENTIAL_REJECTED: &str = "CONFIDENTIAL-MARK-faisal-8a2c";

/// Confidential member information: refused to everyone until an administrator gives the
/// caseworker the grant; then recorded by member, read back with an audit entry that
/// names the member and not the text, and in no dossier. On the server, a login without
/// the grant is refused by the server itself.
fn confidential(office: &Office) {
    let record = |login: &str, case: &str, member: &str, note: &str| {
        office.run(
            login,
            &[
                "case",
                "confidential",
                case,
                "--member",
                member,
                "--note",
                note,
            ],
        )
    };
    for login in ["boss", "cw", "qm"] {
        let out = record(login, FAMILY, "2", CONFIDENTIAL_FAMILY);
        assert!(!out.status.success(), "{login} has no grant yet");
        let refusal: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(refusal["code"], "forbidden", "{refusal}");
        assert_eq!(refusal["params"]["role"], "confidential", "{refusal}");
    }
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM confidential_notes"),
        0
    );
    let granted = office.ok("boss", &["user", "set", "cw", "--confidential"]);
    assert_eq!(granted["users"][0]["confidential"], true, "{granted}");
    assert!(record("cw", FAMILY, "2", CONFIDENTIAL_FAMILY)
        .status
        .success());
    assert!(record("cw", REJECTED, "1", CONFIDENTIAL_REJECTED)
        .status
        .success());
    let refusal = office.refused(
        "cw",
        &[
            "case",
            "confidential",
            FAMILY,
            "--member",
            "4",
            "--note",
            "x",
        ],
    );
    assert_eq!(
        (&refusal["code"], &refusal["field"]),
        (&"not_a_member".into(), &"members".into()),
        "{refusal}"
    );

    // Read back by the grant's holder: Omar's note only, and the read is in the log.
    let read = office.ok("cw", &["case", "confidential", FAMILY, "--all"]);
    let notes = read["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{read}");
    assert_eq!(notes[0]["member"], 2);
    assert_eq!(notes[0]["note"], CONFIDENTIAL_FAMILY);
    assert_eq!(notes[0]["recorded_by"], "cw");
    // One member's alone: Halima has none, so nothing is shown and nothing logged.
    let halima = office.ok("cw", &["case", "confidential", FAMILY, "--member", "1"]);
    assert_eq!(halima["notes"], serde_json::json!([]), "{halima}");
    assert_eq!(
        office.rows("SELECT actor, subject FROM audit_log WHERE action = 'case.confidential_read'"),
        [["cw", &format!("case {FAMILY}: members 2")]]
    );
    assert_eq!(
        office.number(
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log
             WHERE subject LIKE '%CONFIDENTIAL-MARK%' OR action LIKE '%CONFIDENTIAL-MARK%'"
        ),
        0,
        "the log names members, never the text"
    );
    // The quota manager, without the grant, reads the dossier and not the note.
    let refusal = office.refused("qm", &["case", "confidential", FAMILY, "--all"]);
    assert_eq!(refusal["code"], "forbidden");
    let dossier = office.ok("qm", &["case", "show", FAMILY]);
    assert!(
        !dossier.to_string().contains("CONFIDENTIAL-MARK"),
        "{dossier}"
    );
    if office.server {
        let denied = common::pg_denied(
            &common::as_login(office.location.to_str().unwrap(), "qm"),
            "SELECT note FROM confidential_notes",
        );
        assert!(denied, "the server refuses qm's login the notes");
        let allowed = common::pg_denied(
            &common::as_login(office.location.to_str().unwrap(), "cw"),
            "SELECT note FROM confidential_notes",
        );
        assert!(!allowed, "the server lets cw's login read the notes");
    }
}

/// Neither a document's text nor its bytes hold a confidential note.
fn assert_no_confidential(pdf: &Path, text: &str) {
    for mark in [CONFIDENTIAL_FAMILY, CONFIDENTIAL_REJECTED] {
        assert!(!text.contains(mark), "{} holds {mark}", pdf.display());
        let bytes = std::fs::read(pdf).unwrap();
        assert!(
            !bytes.windows(mark.len()).any(|w| w == mark.as_bytes()),
            "{} holds {mark} in its bytes",
            pdf.display()
        );
    }
}

/// The rejected man asks for his data to be erased, and an administrator who is not the
/// database's owner erases it: afterwards no byte of his names, his occupation or his
/// RRF reference is in the database's files, the quota is as it was, the audit chain
/// verifies, and the family's data is still there. Then the retention schedule, run far
/// ahead, erases what it says is due.
fn erasure(office: &Office) {
    // Marks only the rejected household has; the family's are kept.
    const ERASED: &[&str] = &[
        "Faisal",
        "Tredji",
        "herder",
        "RRF-F3",
        CONFIDENTIAL_REJECTED,
    ];
    const KEPT: &[&str] = &["Halima", "Forsti"];
    office.ok("boss", &["user", "add", "adm", "--role", "administrator"]);
    let quota_before = office.ok("qm", &["quota", "status", "--period", "2026"]);
    let members_before = office
        .number("SELECT CAST(COUNT(*) AS TEXT) FROM persons p JOIN cases c ON c.id = p.case_id");
    let found = stored_marks(office);
    for mark in ERASED.iter().chain(KEPT) {
        assert!(
            found(mark),
            "{mark} is in the database's files before the erasure"
        );
    }

    // Refusals first, each naming its field, with nothing written.
    let audit_entries = office.number("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log");
    let refusal = office.refused(
        "qm",
        &["privacy", "erase", REJECTED, "--reason", "request 7"],
    );
    assert_eq!(refusal["code"], "forbidden");
    let refusal = office.refused("adm", &["privacy", "erase", REJECTED, "--reason", "  "]);
    assert_eq!(
        (&refusal["code"], &refusal["field"]),
        (&"erasure_reason_required".into(), &"reason".into())
    );
    let refusal = office.refused(
        "adm",
        &["privacy", "erase", "KEN-26F09999", "--reason", "r"],
    );
    assert_eq!(
        (&refusal["code"], &refusal["field"]),
        (&"no_such_case".into(), &"case".into())
    );
    let refusal = office.refused(
        "adm",
        &["privacy", "erase", SINGLE, "--reason", "request 8"],
    );
    assert_eq!(refusal["code"], "case_open", "{refusal}");
    assert_eq!(refusal["params"]["status"], "accepted");
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log"),
        audit_entries,
        "a refusal writes nothing"
    );
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM erasures"),
        0
    );

    let erased = office.ok(
        "adm",
        &["privacy", "erase", REJECTED, "--reason", "request 7"],
    );
    let run = &erased["run"];
    assert_eq!(run["erasures"][0]["case_no"], REJECTED);
    assert_eq!(run["erasures"][0]["rule"], "request");
    assert_eq!(run["erasures"][0]["scope"], "case");
    // A file is compacted at once; on the server only the owner may rewrite the tables.
    assert_eq!(run["compacted"], !office.server, "{erased}");
    if office.server {
        assert!(
            found("Tredji"),
            "the server keeps the old row versions until compacted"
        );
        let refusal = office.refused("adm", &["privacy", "compact"]);
        assert_eq!(refusal["code"], "compact_needs_owner", "{refusal}");
        assert_eq!(
            office.ok("boss", &["privacy", "compact"])["compacted"],
            true
        );
    }
    let refusal = office.refused("adm", &["privacy", "erase", REJECTED, "--reason", "again"]);
    assert_eq!(refusal["code"], "already_erased");

    let found = stored_marks(office);
    for mark in ERASED {
        assert!(
            !found(mark),
            "{mark} is still in the database's files after the erasure"
        );
    }
    for mark in KEPT {
        assert!(found(mark), "{mark} was not erased and must still be there");
    }
    // The tombstone: the case number, its members' count, sex and year of birth stay.
    assert_eq!(
        office.rows(&format!(
            "SELECT p.given_name, p.family_name, p.sex, CAST(p.date_of_birth AS TEXT), c.rrf_ref
             FROM persons p JOIN cases c ON c.id = p.case_id WHERE c.unhcr_case_no = '{REJECTED}'"
        )),
        [["—", "—", "M", "1990-01-01", "—"]]
    );
    assert_eq!(
        office.rows(&format!(
            "SELECT d.reasons, d.verdict FROM decisions d JOIN cases c ON c.id = d.case_id
             WHERE c.unhcr_case_no = '{REJECTED}'"
        )),
        [["—", "reject"]]
    );
    assert_eq!(
        office.number(
            "SELECT CAST(COUNT(*) AS TEXT) FROM persons p JOIN cases c ON c.id = p.case_id"
        ),
        members_before
    );
    assert_eq!(
        office.ok("qm", &["quota", "status", "--period", "2026"]),
        quota_before
    );
    // The search finds the case by its number, and no longer by a name.
    let by_number = office.ok("qm", &["case", "search", REJECTED]);
    assert_eq!(
        by_number["rows"].as_array().unwrap().len(),
        1,
        "{by_number}"
    );
    let by_name = office.ok("qm", &["case", "search", "Tredji"]);
    assert_eq!(by_name["rows"].as_array().unwrap().len(), 0, "{by_name}");
    // The dossier says what was erased, by which rule, when and by whom.
    let shown = office.ok("qm", &["case", "show", REJECTED]);
    let erasures = shown["erasures"].as_array().unwrap();
    assert_eq!(erasures.len(), 1, "{shown}");
    assert_eq!(
        (
            &erasures[0]["scope"],
            &erasures[0]["rule"],
            &erasures[0]["erased_by"]
        ),
        (&"case".into(), &"request".into(), &"adm".into())
    );
    // The erasure is audited by who did it, with the case number and nothing else.
    assert_eq!(
        office.rows("SELECT actor, subject FROM audit_log WHERE action = 'privacy.erased'"),
        [["adm", &format!("case {REJECTED}: case (request)")]]
    );
    let verified = office.ok("boss", &["audit", "verify"]);
    assert_eq!(
        verified["entries"].as_i64().unwrap(),
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log")
    );

    // The schedule: shown with its defaults; nothing due this year; ten years after the
    // family's arrival, first its interview notes, then the whole case.
    let shown = office.ok("adm", &["retention", "show", "--today", "2026-06-01"]);
    assert_eq!(shown["schedule"]["closed_case_years"], 5);
    assert_eq!(shown["schedule"]["complaint_window_days"], 365);
    assert_eq!(shown["schedule"]["arrived_case_years"], 10);
    assert_eq!(shown["due"], serde_json::json!([]));
    let notes = office.ok(
        "adm",
        &["retention", "run", "--today", "2027-12-31", "--dry-run"],
    );
    assert_eq!(notes["run"]["erasures"][0]["case_no"], FAMILY, "{notes}");
    assert_eq!(notes["run"]["erasures"][0]["scope"], "interview_notes");
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM erasures"),
        1,
        "a dry run erases nothing"
    );
    office.ok("adm", &["retention", "run", "--today", "2027-12-31"]);
    assert_eq!(
        office.rows(&format!(
            "SELECT i.notes FROM interviews i JOIN cases c ON c.id = i.case_id
             WHERE c.unhcr_case_no = '{FAMILY}'"
        )),
        [["—"]]
    );
    assert!(
        found("Halima") || office.server,
        "the notes' erasure leaves the names"
    );
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM confidential_notes"),
        0,
        "Omar's confidential note goes with the interview notes"
    );
    let refusal = office.refused("adm", &["retention", "set", "--arrived-case-years", "0"]);
    assert_eq!(refusal["code"], "retention_range");
    assert_eq!(refusal["params"]["field"], "arrived_case_years");
    let whole = office.ok("adm", &["retention", "run", "--today", "2036-05-05"]);
    assert_eq!(
        whole["run"]["erasures"][0]["rule"], "arrived_case",
        "{whole}"
    );
    assert_eq!(
        office.rows(&format!(
            "SELECT given_name FROM persons p JOIN cases c ON c.id = p.case_id
             WHERE c.unhcr_case_no = '{FAMILY}'"
        )),
        [["—"], ["—"], ["—"]]
    );
    assert_eq!(
        office.ok("qm", &["quota", "status", "--period", "2026"]),
        quota_before
    );
    office.ok("boss", &["audit", "verify"]);
}

/// Whether a text's UTF-8 bytes are anywhere in the database's files: the SQLite file
/// with its write-ahead log and shared memory, or every file of the server database's
/// relations (tables, indexes, TOAST; after a checkpoint, so the pages are on disk).
fn stored_marks(office: &Office) -> impl Fn(&str) -> bool {
    let files: Vec<std::path::PathBuf> = if office.server {
        let _ = office.rows("CHECKPOINT");
        let data = office.rows("SHOW data_directory")[0][0].clone();
        office
            .rows(
                "SELECT pg_relation_filepath(oid) FROM pg_class
                 WHERE pg_relation_filepath(oid) IS NOT NULL",
            )
            .into_iter()
            .flat_map(|r| {
                // A relation's segments: the file, then .1, .2, ... past 1 GB.
                let base = Path::new(&data).join(&r[0]);
                let mut segments = vec![base.clone()];
                for n in 1.. {
                    let next = std::path::PathBuf::from(format!("{}.{n}", base.display()));
                    if !next.exists() {
                        break;
                    }
                    segments.push(next);
                }
                segments
            })
            .filter(|p| p.exists())
            .collect()
    } else {
        let db = Path::new(&office.location).to_owned();
        ["", "-wal", "-shm"]
            .iter()
            .map(|s| std::path::PathBuf::from(format!("{}{s}", db.display())))
            .filter(|p| p.exists())
            .collect()
    };
    assert!(!files.is_empty());
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    move |mark: &str| {
        let needle = mark.as_bytes();
        bytes
            .iter()
            .any(|b| b.windows(needle.len()).any(|w| w == needle))
    }
}

/// `report statistics --year 2026` as CSV and XLSX, each figure checked against SQL of
/// its own and `quota status`, and the workbook read back by calamine to the same values.
fn statistics(office: &Office) {
    use calamine::Reader;
    let csv_path = office.dir().join("statistics-2026.csv");
    let xlsx_path = office.dir().join("statistics-2026.xlsx");
    let forbidden = office.refused(
        "cw",
        &[
            "report",
            "statistics",
            "--year",
            "2026",
            "--out",
            csv_path.to_str().unwrap(),
        ],
    );
    assert_eq!(
        forbidden["code"], "forbidden",
        "no export grant: {forbidden}"
    );
    let exported = office.ok(
        "qm",
        &[
            "report",
            "statistics",
            "--year",
            "2026",
            "--out",
            csv_path.to_str().unwrap(),
        ],
    );
    assert_eq!(exported["kind"], "statistics");
    office.ok(
        "qm",
        &[
            "report",
            "statistics",
            "--year",
            "2026",
            "--out",
            xlsx_path.to_str().unwrap(),
        ],
    );
    // The same tables as a PDF to read, tagged like every document.
    let pdf_path = office.dir().join("statistics-2026.pdf");
    office.ok(
        "qm",
        &[
            "report",
            "statistics",
            "--year",
            "2026",
            "--out",
            pdf_path.to_str().unwrap(),
        ],
    );
    let pdf = pdf_text(&pdf_path);
    for heading in [
        "Statistik / Statistics 2026",
        "Ankomster / Arrivals",
        "Efter kommune / By municipality",
        "Afgørelser / Decisions",
    ] {
        assert!(pdf.contains(heading), "{heading} in {pdf}");
    }
    // table, key, measure -> value, from the CSV.
    let mut figures = std::collections::BTreeMap::new();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    for record in reader.records() {
        let r = record.unwrap();
        figures.insert(
            (r[0].to_owned(), r[1].to_owned(), r[3].to_owned()),
            r[4].to_owned(),
        );
    }
    let fig = |table: &str, key: &str, measure: &str| -> String {
        figures
            .get(&(table.to_owned(), key.to_owned(), measure.to_owned()))
            .cloned()
            .unwrap_or_else(|| panic!("no {table}/{key}/{measure} in {figures:?}"))
    };
    let arrived = "FROM cases c WHERE c.status = 'arrived'
                   AND CAST(c.arrived_on AS TEXT) BETWEEN '2026-01-01' AND '2026-12-31'";
    let arrived_persons = |filter: &str| {
        office.number(&format!(
            "SELECT CAST(COALESCE(SUM(e.places), 0) AS TEXT) FROM quota_entries e
             JOIN cases c ON c.id = e.case_id WHERE e.kind = 'arrival' AND c.id IN
             (SELECT c.id {arrived} {filter})"
        ))
    };
    let households = office.number(&format!("SELECT CAST(COUNT(*) AS TEXT) {arrived}"));
    assert_eq!(households, 1);
    assert_eq!(
        fig("arrivals", "2026", "households"),
        households.to_string()
    );
    assert_eq!(
        fig("arrivals", "2026", "persons"),
        arrived_persons("").to_string()
    );
    for row in office.rows(&format!(
        "SELECT c.nationality, CAST(COUNT(*) AS TEXT) {arrived} GROUP BY c.nationality"
    )) {
        assert_eq!(fig("by_nationality", &row[0], "households"), row[1]);
        let persons = arrived_persons(&format!("AND c.nationality = '{}'", row[0]));
        assert_eq!(
            fig("by_nationality", &row[0], "persons"),
            persons.to_string()
        );
    }
    let placed = office.rows(
        "SELECT CAST(m.code AS TEXT), m.region_name, CAST(COUNT(*) AS TEXT)
         FROM cases c JOIN placements p ON p.case_id = c.id AND p.status = 'confirmed'
         JOIN municipalities m ON m.code = p.municipality
         WHERE c.status = 'arrived' AND CAST(c.arrived_on AS TEXT) LIKE '2026%'
         GROUP BY m.code, m.region_name",
    );
    assert_eq!(placed.len(), 1);
    for row in placed {
        assert_eq!(fig("by_municipality", &row[0], "households"), row[2]);
        assert_eq!(fig("by_region", &row[1], "households"), row[2]);
    }
    // Time to departure: the median of the days from submission to departure.
    let days: Vec<i64> = office
        .rows(
            "SELECT CAST(submission_date AS TEXT), CAST(departed_on AS TEXT) FROM cases
             WHERE priority = 'normal' AND CAST(departed_on AS TEXT) LIKE '2026%'",
        )
        .iter()
        .map(|r| {
            let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
            (day(&r[1]) - day(&r[0])).num_days()
        })
        .collect();
    assert_eq!(days, [90], "submitted 3 February, departed 4 May");
    assert_eq!(fig("time_to_departure", "normal", "median_days"), "90");
    assert_eq!(fig("time_to_departure", "normal", "within_limit"), "1");
    assert_eq!(fig("time_to_departure", "emergency", "median_days"), "");
    // Decisions by the year of their time; withdrawals likewise.
    for (key, verdict) in [
        ("accepted", "accept"),
        ("rejected", "reject"),
        ("deferred", "defer"),
    ] {
        assert_eq!(
            fig("decisions", key, "cases"),
            office
                .number(&format!(
                    "SELECT CAST(COUNT(*) AS TEXT) FROM decisions
                     WHERE verdict = '{verdict}' AND CAST(decided_at AS TEXT) LIKE '2026%'"
                ))
                .to_string()
        );
    }
    // The quota, as `quota status` has it.
    let status = office.ok("qm", &["quota", "status", "--period", "2026"]);
    for sub in ["geographical", "emergency_urgent", "medical"] {
        for measure in ["allocated", "committed", "used", "available"] {
            assert_eq!(
                fig("quota", sub, measure),
                sub_quota(&status, 2026, sub)[measure].to_string(),
                "{sub} {measure}"
            );
        }
    }
    // The workbook holds the same figures, a sheet per table.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx_path).unwrap();
    let nationality = book.worksheet_range("by_nationality").unwrap();
    let rows: Vec<Vec<String>> = nationality
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0], ["nationality", "name", "households", "persons"]);
    assert_eq!(rows[1][0], "SOM");
    assert_eq!(rows[1][3], fig("by_nationality", "SOM", "persons"));
    let quota = book.worksheet_range("quota").unwrap();
    let geographical = quota.rows().find(|r| r[0] == "geographical").unwrap();
    assert_eq!(
        geographical[4].to_string(),
        fig("quota", "geographical", "used")
    );
    // The three exports are in the audit log, by the quota manager.
    assert_eq!(
        office.number(
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log
             WHERE action = 'document.statistics.exported' AND actor = 'qm'"
        ),
        3
    );
}

/// The tables a refused command could have half-written.
const WRITTEN: [&str; 14] = [
    "cases",
    "persons",
    "missions",
    "mission_team",
    "quota_periods",
    "quota_entries",
    "key_inputs",
    "municipal_quotas",
    "municipal_quota_edits",
    "placements",
    "declarations",
    "consents",
    "users",
    "audit_log",
];

fn written(office: &Office) -> Vec<i64> {
    WRITTEN
        .iter()
        .map(|t| office.number(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {t}")))
        .collect()
}

/// The 2026 key inputs (the project's synthetic file) and quotas for a national number of
/// 450, by the quota manager.
fn key_and_quotas(office: &Office) {
    office.ok(
        "qm",
        &[
            "municipality",
            "key-inputs",
            "--year",
            "2026",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/key-inputs-2026-synthetic.csv"
            ),
            "--synthetic",
        ],
    );
    office.ok(
        "qm",
        &[
            "municipality",
            "compute-quotas",
            "--year",
            "2026",
            "--national",
            "450",
        ],
    );
}

/// Every kind of bad input a new office is likely to give, on a database made by `init`:
/// each is refused with its code, the message names the offending value, no raw database
/// error shows, and nothing is written.
#[test]
fn bad_input_is_refused_by_name_and_writes_nothing() {
    let office = Office::new();
    let file = |name: &str| office.dir().join(name);
    let path = |name: &str| file(name).to_str().unwrap().to_owned();
    office.ok("boss", &["init"]);
    office.ok("boss", &["user", "add", "cw", "--role", "caseworker"]);
    office.ok(
        "boss",
        &["user", "add", "qm", "--role", "quota_manager", "--export"],
    );
    office.ok(
        "qm",
        &[
            "quota",
            "create-period",
            "--start-year",
            "2026",
            "--places",
            "1500",
        ],
    );
    let mission = office.ok(
        "cw",
        &[
            "mission",
            "create",
            "--name",
            "Kenya 2026",
            "--country",
            "KEN",
            "--location",
            "Kakuma",
            "--start",
            "2026-03-02",
            "--end",
            "2026-03-13",
            "--target",
            "40",
        ],
    )["mission"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    std::fs::write(file("submissions.csv"), SUBMISSIONS).unwrap();
    office.ok(
        "cw",
        &[
            "import",
            "submissions",
            &path("submissions.csv"),
            "--mission",
            &mission,
        ],
    );
    key_and_quotas(&office);
    // A file that changes a case already imported, and one with a bad date and an unknown
    // relationship: refused row by row.
    std::fs::write(file("changed.csv"), SUBMISSIONS.replace("Halima", "Halimo")).unwrap();
    std::fs::write(
        file("broken.csv"),
        SUBMISSIONS
            .replace("2016-04-04", "2016-14-04")
            .replace(",principal,Abdi", ",cousin,Abdi"),
    )
    .unwrap();
    let nobody = "00000000-0000-0000-0000-0000000000ff";
    let changed = path("changed.csv");
    let broken = path("broken.csv");
    let pdf = path("x.pdf");
    let cases: Vec<(&str, Vec<&str>, &str, &str)> = vec![
        (
            "qm",
            vec![
                "quota",
                "create-period",
                "--start-year",
                "2027",
                "--places",
                "1500",
            ],
            "period_overlaps",
            "2027",
        ),
        (
            "cw",
            vec![
                "mission",
                "create",
                "--name",
                "X",
                "--country",
                "XX",
                "--location",
                "Y",
                "--start",
                "2026-03-02",
                "--end",
                "2026-03-13",
                "--target",
                "4",
            ],
            "country_code",
            "XX",
        ),
        (
            "cw",
            vec!["import", "submissions", &changed, "--mission", &mission],
            "file_problems",
            FAMILY,
        ),
        (
            "cw",
            vec!["import", "submissions", &broken, "--mission", &mission],
            "file_problems",
            "2016-14-04",
        ),
        (
            "cw",
            vec!["import", "submissions", &changed, "--mission", nobody],
            "no_such_mission",
            nobody,
        ),
        (
            "cw",
            vec![
                "mission",
                "team-add",
                nobody,
                "--name",
                "X",
                "--organisation",
                "refugee_council",
            ],
            "no_such_mission",
            nobody,
        ),
        (
            "cw",
            vec![
                "case",
                "interview",
                "KEN-26X99999",
                "--date",
                "2026-03-03",
                "--interviewer",
                "X",
                "--notes",
                "n",
            ],
            "no_such_case",
            "KEN-26X99999",
        ),
        (
            "cw",
            vec![
                "case",
                "declare",
                FAMILY,
                "--person",
                nobody,
                "--date",
                "2026-04-20",
                "--place",
                "Kakuma",
            ],
            "not_a_member",
            nobody,
        ),
        (
            "cw",
            vec![
                "quota",
                "allocate",
                "--period",
                "2026",
                "--year",
                "2026",
                "--sub-quota",
                "geographical",
                "--places",
                "1",
                "--reason",
                "r",
            ],
            "forbidden",
            "cw",
        ),
        (
            "qm",
            vec![
                "quota",
                "allocate",
                "--period",
                "2026",
                "--year",
                "2031",
                "--sub-quota",
                "geographical",
                "--places",
                "410",
                "--reason",
                "r",
            ],
            "year_outside_period",
            "2031",
        ),
        (
            "qm",
            vec![
                "municipality",
                "set-quota",
                "--year",
                "2026",
                "--code",
                "999",
                "--quota",
                "3",
                "--reason",
                "r",
            ],
            "no_such_municipality",
            "999",
        ),
        (
            "qm",
            vec![
                "municipality",
                "set-capacity",
                "--code",
                "999",
                "--capacity",
                "housing",
                "--units",
                "3",
            ],
            "no_such_municipality",
            "999",
        ),
        (
            "qm",
            vec![
                "municipality",
                "compute-quotas",
                "--year",
                "2026",
                "--national",
                "450",
                "--exempt",
                "999:860",
            ],
            "key_error",
            "999",
        ),
        (
            "qm",
            vec![
                "docs",
                "pack",
                "--municipality",
                "999",
                "--year",
                "2026",
                "--out",
                &pdf,
            ],
            "no_such_municipality",
            "999",
        ),
        (
            "qm",
            vec!["docs", "referral", "KEN-26X99999", "--out", &pdf],
            "no_such_case",
            "KEN-26X99999",
        ),
        (
            "qm",
            vec![
                "placement",
                "propose",
                "--batch",
                "cases:KEN-26X99999",
                "--year",
                "2026",
            ],
            "no_such_case",
            "KEN-26X99999",
        ),
        (
            "qm",
            vec!["user", "add", "cw", "--role", "caseworker"],
            "forbidden",
            "qm",
        ),
        (
            "boss",
            vec!["user", "add", "cw", "--role", "caseworker"],
            "user_exists",
            "cw",
        ),
    ];
    for (login, args, code, value) in &cases {
        let before = written(&office);
        let out = office.run(login, args);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(!out.status.success(), "{login} {args:?} was not refused");
        for text in [&stdout, &stderr] {
            assert!(
                !text.to_lowercase().contains("database error")
                    && !text.contains("constraint")
                    && !text.contains("SQLSTATE"),
                "{login} {args:?}: a raw error: {text}"
            );
        }
        let refusal: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}{stderr}"));
        assert_eq!(refusal["code"], *code, "{args:?}: {refusal}");
        assert!(
            refusal.to_string().contains(value),
            "{args:?}: the refusal does not name {value}: {refusal}"
        );
        assert_eq!(written(&office), before, "{args:?} wrote something");
    }
    assert!(!file("x.pdf").exists(), "a refused export wrote its file");
}

/// The visitation on a database made by `init`, on a file and on the server: a job offer
/// recorded by the quota manager (a caseworker may not), the household's own wishes, the
/// municipalities' wishes imported from a file, an outcome history imported, a model
/// trained on it and put in use, and a proposal that follows the offer above the quota,
/// weighs the wishes, records the model's version and says what the rest of the year,
/// drawn from the history, still needs. Bad input is refused by name and writes nothing.
#[test]
fn the_visitation_works_from_init_with_offers_wishes_a_history_and_a_model() {
    use resettle::domain::placement::outcomes::write_history;

    let office = Office::new();
    let file = |name: &str| office.dir().join(name);
    let path = |name: &str| file(name).to_str().unwrap().to_owned();
    office.ok("boss", &["init"]);
    office.ok("boss", &["user", "add", "cw", "--role", "caseworker"]);
    office.ok("boss", &["user", "add", "qm", "--role", "quota_manager"]);
    office.ok(
        "qm",
        &[
            "quota",
            "create-period",
            "--start-year",
            "2026",
            "--places",
            "1500",
        ],
    );
    std::fs::write(file("submissions.csv"), SUBMISSIONS).unwrap();
    office.ok("cw", &["import", "submissions", &path("submissions.csv")]);
    for case in [FAMILY, SINGLE] {
        office.ok(
            "cw",
            &[
                "case",
                "interview",
                case,
                "--date",
                "2026-03-03",
                "--interviewer",
                "Sofie Dahl",
                "--notes",
                "the claim as told",
                "--assess",
                "motivation=high",
            ],
        );
        office.ok("cw", &["case", "score", case]);
        office.ok(
            "qm",
            &[
                "case",
                "decide",
                case,
                "--accept",
                "--by",
                "qm",
                "--reason",
                "protection needs established",
                "--quota-year",
                "2026",
            ],
        );
    }
    key_and_quotas(&office);
    // The smallest quota, so the family of three is over it by its job offer.
    let smallest = office.rows(
        "SELECT CAST(code AS TEXT), CAST(quota AS TEXT) FROM municipal_quotas
         WHERE year = 2026 ORDER BY quota, code LIMIT 1",
    );
    let (offer_in, offer_quota) = (
        smallest[0][0].clone(),
        smallest[0][1].parse::<i64>().unwrap(),
    );
    assert!(offer_quota < 3, "the smallest quota is {offer_quota}");

    // The job offer: only a role that places households records it; bad hours and a
    // missing document are refused by name, and nothing is written.
    let set_offer = |login: &str, hours: &str, document: &str| {
        office.run(
            login,
            &[
                "placement",
                "job-offer",
                "set",
                FAMILY,
                "--municipality",
                &offer_in,
                "--hours",
                hours,
                "--permanent",
                "--document",
                document,
            ],
        )
    };
    let refusal = |out: Output| -> Value {
        assert!(!out.status.success());
        serde_json::from_slice(&out.stdout).expect("a refusal in JSON")
    };
    assert_eq!(
        refusal(set_offer("cw", "37", "letter 14"))["code"],
        "forbidden"
    );
    let bad_hours = refusal(set_offer("qm", "120", "letter 14"));
    assert_eq!(bad_hours["code"], "job_offer_hours");
    assert_eq!(bad_hours["field"], "hours_per_week");
    assert!(bad_hours["error"].as_str().unwrap().contains("120"));
    assert_eq!(
        refusal(set_offer("qm", "37", " "))["code"],
        "job_offer_document"
    );
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM job_offers"),
        0
    );
    let offer =
        serde_json::from_slice::<Value>(&set_offer("qm", "37", "letter 14").stdout).unwrap();
    assert_eq!(offer["job_offer"]["qualifies"], true);
    assert_eq!(offer["job_offer"]["decides"], true);
    assert_eq!(
        office.rows(
            "SELECT CAST(j.municipality AS TEXT), j.document, j.recorded_by FROM job_offers j
             JOIN cases c ON c.id = j.case_id"
        ),
        [[offer_in.as_str(), "letter 14", "qm"]]
    );

    // The single man's own wishes: first Aarhus for his relatives, then the Capital Region.
    let refused = office.refused(
        "qm",
        &["placement", "profile", SINGLE, "--wish", "9999:relatives"],
    );
    assert_eq!(refused["code"], "wish_municipality");
    assert!(refused["error"].as_str().unwrap().contains("9999"));
    let profile = office.ok(
        "qm",
        &[
            "placement",
            "profile",
            SINGLE,
            "--wish",
            "751:relatives",
            "--wish",
            "region:1084:work",
        ],
    );
    assert_eq!(profile["profile"]["wishes"][0]["municipality"], "751");
    assert_eq!(profile["profile"]["wishes"][1]["region"], "1084");

    // The municipalities' wishes, from their visitation forms: a file with a bad row is
    // refused whole, with the row named.
    std::fs::write(
        file("wishes.csv"),
        "code,household_types,languages,services\n751,single,so,\n101,pensioners,,\n",
    )
    .unwrap();
    let refused = office.refused(
        "qm",
        &[
            "placement",
            "wishes",
            "import",
            &path("wishes.csv"),
            "--year",
            "2026",
        ],
    );
    assert_eq!(refused["code"], "file_problems");
    assert!(refused["problems"][0].as_str().unwrap().contains("line 3"));
    assert_eq!(
        office.number("SELECT CAST(COUNT(*) AS TEXT) FROM municipality_wishes"),
        0
    );
    std::fs::write(
        file("wishes.csv"),
        "code,household_types,languages,services\n751,single,so,\n101,family_with_children,ar,trauma_therapy\n",
    )
    .unwrap();
    let wishes = office.ok(
        "qm",
        &[
            "placement",
            "wishes",
            "import",
            &path("wishes.csv"),
            "--year",
            "2026",
        ],
    );
    assert_eq!(wishes["wishes"].as_array().unwrap().len(), 2);

    // The outcome history (the demo's synthetic one), then a model trained on it. No
    // model is in use until the quota manager puts one in use.
    let history = resettle::demo::history::synthetic_history(7, 1200);
    std::fs::write(file("history.csv"), write_history(&history.arrivals)).unwrap();
    assert_eq!(
        office.refused("qm", &["placement", "model", "train"])["code"],
        "no_history"
    );
    let imported = office.ok(
        "qm",
        &["placement", "history", "import", &path("history.csv")],
    );
    assert_eq!(imported["history"]["rows"], 1200);
    let trained = office.ok("qm", &["placement", "model", "train"]);
    let model = &trained["model"];
    assert_eq!(model["version"], 1);
    assert_eq!(model["in_use"], false);
    assert_eq!(model["rows"], 1200);
    assert!(model["learned"]["auc"].as_f64().unwrap() > 0.5);
    assert_eq!(
        office.rows("SELECT CAST(version AS TEXT), trained_by FROM placement_models"),
        [["1", "qm"]]
    );
    assert_eq!(
        office.refused("qm", &["placement", "model", "use", "2"])["code"],
        "no_such_model"
    );
    office.ok("qm", &["placement", "model", "use", "1"]);

    // The proposal: the family where its job offer is, over the quota and said so; the
    // single man scored by the model with his wishes weighed; both record the model, and
    // the forecast drawn from the history says what the rest of the year still needs.
    let proposed = office.ok(
        "qm",
        &[
            "placement",
            "propose",
            "--batch",
            "accepted",
            "--year",
            "2026",
            "--time-limit",
            "60",
        ],
    );
    let proposed = &proposed["proposed"];
    let forecast = &proposed["forecast"];
    assert_eq!(forecast["samples"], 5, "{proposed}");
    // The family takes what its municipality had left and goes over by the rest.
    assert_eq!(
        forecast["places_left"].as_i64().unwrap(),
        450 - 1 - offer_quota.min(3)
    );
    assert!(forecast["persons"].as_f64().unwrap() > 400.0, "{forecast}");
    let by_case = |case: &str| -> &Value {
        proposed["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["case_no"] == case)
            .unwrap()
    };
    let family = by_case(FAMILY);
    assert_eq!(family["municipality"].to_string(), offer_in);
    let reasons = family["reasons"].to_string();
    assert!(reasons.contains("job offer"), "{reasons}");
    let single = by_case(SINGLE);
    let reasons = single["reasons"].to_string();
    assert!(reasons.contains("wish"), "{reasons}");
    assert!(reasons.contains("predicted chance"), "{reasons}");
    assert_eq!(
        office.rows(
            "SELECT CAST(model_version AS TEXT), CAST(forecast IS NOT NULL AS TEXT) FROM placements
             ORDER BY 1"
        ),
        [
            ["1", if office.server { "true" } else { "1" }],
            ["1", if office.server { "true" } else { "1" }]
        ]
    );

    // The year's balance: the offer's municipality holds the family, over its quota; the
    // outcomes are predicted with the model in use, by nationality and household type.
    let balance = office.ok("qm", &["placement", "balance", "--year", "2026"]);
    let balance = &balance["balance"];
    assert_eq!(balance["model_version"], 1);
    let offer_fill = balance["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"].as_str() == Some(offer_in.as_str()))
        .unwrap();
    assert_eq!(offer_fill["placed_by_month"][11], 3);
    let somali = &balance["by_nationality"][0];
    assert_eq!(
        (somali["group"].as_str(), somali["persons"].as_i64()),
        (Some("SOM"), Some(4))
    );
    assert!(somali["cost"].as_f64().unwrap() >= 0.0);
    assert_eq!(balance["by_household_type"].as_array().unwrap().len(), 2);

    // Overridden with a reason, the offer no longer decides; the audit log has each step
    // by who did it, and holds no name of a person.
    let overridden = office.ok(
        "qm",
        &[
            "placement",
            "job-offer",
            "override",
            FAMILY,
            "--reason",
            "the housing fell through",
        ],
    );
    assert_eq!(overridden["job_offer"]["decides"], false);
    assert_eq!(
        office.rows(
            "SELECT action, actor FROM audit_log WHERE action LIKE 'job_offer.%'
             OR action LIKE 'placement_model.%' OR action LIKE 'outcome_history.%'
             OR action LIKE 'municipality_wishes.%' ORDER BY seq"
        ),
        [
            ["job_offer.set", "qm"],
            ["municipality_wishes.imported", "qm"],
            ["outcome_history.imported", "qm"],
            ["placement_model.trained", "qm"],
            ["placement_model.in_use", "qm"],
            ["job_offer.overridden", "qm"],
        ]
    );
    assert_eq!(
        office.number(
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE subject LIKE '%Halima%'
             OR subject LIKE '%Abdi%' OR subject LIKE '%housing%'"
        ),
        0
    );
}
