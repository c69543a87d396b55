//! From submission to decision in a real SQLite database: interviews, screening, scores
//! under versioned rubrics, decisions that charge the quota (or refuse and write nothing),
//! the status workflow, missions and the case search.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use resettle::domain::audit::ChainCheck;
use resettle::domain::decision::{DecisionRequest, Verdict};
use resettle::domain::dossier::CaseQuery;
use resettle::domain::mission::Organisation;
use resettle::domain::quota::{QuotaPeriod, SubQuota};
use resettle::domain::scoring::{Assessment, Exemption};
use resettle::domain::screening::{ExclusionGround, FlagResolution};
use resettle::domain::{CaseError, CaseStatus, Mission, Priority};
use resettle::import::read_csv;
use resettle::storage::{Change, Store, StoreError};
use tempfile::TempDir;
use uuid::Uuid;

const HEADER: &str = "unhcr_case_no,rrf_ref,relationship,given_name,family_name,sex,date_of_birth,nationality,country_of_asylum,languages,literate,education_years,occupation,special_needs,primary_category,secondary_category,priority,submission_date,route,tom_patient";

/// A mission family of four (two adults), a TOM patient's dossier case of three, an
/// urgent dossier case of one, and a single mission case.
const ROWS: &[&str] = &[
    "UGA-26C00001,RRF-1,principal,Amani,Fiktivi,F,1988-03-01,COD,UGA,sw;fr,yes,12,tailor,,LPN,SVT,normal,2026-05-04,mission,no",
    "UGA-26C00001,RRF-1,spouse,Chane,Fiktivi,M,1985-01-30,COD,UGA,sw,no,0,farmer,,LPN,SVT,normal,2026-05-04,mission,no",
    "UGA-26C00001,RRF-1,child,Baraka,Fiktivi,M,2015-07-12,COD,UGA,sw,yes,4,,,LPN,SVT,normal,2026-05-04,mission,no",
    "UGA-26C00001,RRF-1,child,Neema,Fiktivi,F,2019-02-02,COD,UGA,sw,no,0,,,LPN,SVT,normal,2026-05-04,mission,no",
    "JOR-26C00002,RRF-2,principal,Rami,Müller-Eksempel,M,1979-04-04,SYR,JOR,ar,yes,10,driver,dialysis,MED,,normal,2026-06-01,dossier,yes",
    "JOR-26C00002,RRF-2,spouse,Huda,Eksempel,F,1982-08-08,SYR,JOR,ar,yes,8,,,MED,,normal,2026-06-01,dossier,no",
    "JOR-26C00002,RRF-2,child,Sami,Eksempel,M,2012-12-12,SYR,JOR,ar,yes,6,,,MED,,normal,2026-06-01,dossier,no",
    "LBN-26C00003,RRF-3,principal,Dalia,Prøve,F,1990-10-10,SYR,LBN,ar;en,yes,12,nurse,,AWR,,urgent,2026-11-01,dossier,no",
    "UGA-26C00004,RRF-4,principal,Juma,Tester,M,1996-05-05,SSD,UGA,en,yes,9,,,LAS,,normal,2026-04-01,mission,no",
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn by(reason: &str) -> Change<'_> {
    Change {
        author: "ane",
        reason,
    }
}

async fn store_with_cases() -> (TempDir, Store, Uuid) {
    let dir = tempfile::tempdir().unwrap();
    let store = common::open_store(&dir.path().join("r.db")).await.unwrap();
    store
        .create_period(
            &QuotaPeriod::new(2026, 1500),
            &[],
            &by("the 2026-2028 quota"),
        )
        .await
        .unwrap();
    let mission = Mission {
        id: Uuid::new_v4(),
        name: "Uganda 2026".into(),
        country_of_asylum: "UGA".into(),
        location: "Kampala".into(),
        start_date: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
        end_date: NaiveDate::from_ymd_opt(2026, 10, 16).unwrap(),
        target_places: 5,
        strategic: false,
    };
    store.create_mission(&mission, "test").await.unwrap();
    let mut text = String::from(HEADER);
    for r in ROWS {
        text.push('\n');
        text.push_str(r);
    }
    let subs = read_csv(text.as_bytes(), today()).unwrap();
    store
        .import_submissions(subs, None, false, "test")
        .await
        .unwrap();
    store
        .attach_cases(
            mission.id,
            &["UGA-26C00001".into(), "UGA-26C00004".into()],
            "test",
        )
        .await
        .unwrap();
    (dir, store, mission.id)
}

fn assess(network: &str, motivation: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("network".to_owned(), network.to_owned()),
        ("motivation".to_owned(), motivation.to_owned()),
    ])
}

fn decide(verdict: Verdict, accepted: Option<Vec<Uuid>>) -> DecisionRequest {
    DecisionRequest {
        verdict,
        by: "Ane Holm".into(),
        reasons: "the household meets the conditions".into(),
        accepted,
    }
}

async fn interview(store: &Store, case: &str) {
    store
        .record_interview(
            case,
            today(),
            "Kim Berg",
            "SENSITIVE-NOTE",
            assess("some", "high"),
            today(),
            "kim",
        )
        .await
        .unwrap();
}

/// Rows that a refused operation must leave as they were.
async fn footprint(store: &Store) -> Vec<i64> {
    common::row_counts(
        store,
        &[
            "quota_entries",
            "decisions",
            "decision_members",
            "case_transitions",
            "audit_log",
            "scores",
        ],
    )
    .await
}

fn geo_committed(s: &resettle::domain::quota::QuotaStatus, year: i32, sub: SubQuota) -> u32 {
    s.year(year).unwrap().sub_quota(sub).committed
}

#[tokio::test]
async fn a_mission_case_goes_from_interview_to_arrival_and_the_quota_follows() {
    let (_dir, store, mission) = store_with_cases().await;
    interview(&store, "UGA-26C00001").await;
    let scored = store
        .score_case("UGA-26C00001", today(), "kim")
        .await
        .unwrap();
    assert_eq!(scored.card.rubric_version, 1);
    assert_eq!(scored.card.assessment, Assessment::Supports);
    assert_eq!(scored.card.criteria.len(), 7);
    let decided = store
        .decide_case(
            "UGA-26C00001",
            decide(Verdict::Accept, None),
            None,
            today(),
            "test",
        )
        .await
        .unwrap();
    let status = decided.quota.unwrap().status;
    assert_eq!(geo_committed(&status, 2026, SubQuota::Geographical), 4);
    let d = store
        .dossier("UGA-26C00001", today(), "test")
        .await
        .unwrap();
    assert_eq!(d.household.status, CaseStatus::Accepted);
    assert_eq!(d.commitments.len(), 1);
    assert_eq!(d.adults.len(), 2);
    assert_eq!(
        d.transitions.iter().map(|t| t.to).collect::<Vec<_>>(),
        [CaseStatus::Interviewed, CaseStatus::Accepted]
    );
    // Declarations: adults only.
    let child = d.household.members[2].id;
    let e = store
        .sign_declaration("UGA-26C00001", child, today(), "Kampala", today(), "kim")
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Case(CaseError::NotAnAdult(_))),
        "{e}"
    );
    for adult in &d.adults {
        store
            .sign_declaration("UGA-26C00001", *adult, today(), "Kampala", today(), "kim")
            .await
            .unwrap();
    }
    store
        .record_attendance(d.household.members[0].id, 10, 10, "kim")
        .await
        .unwrap();
    let progress = store.mission_progress(mission, today()).await.unwrap();
    assert_eq!(
        (
            progress.cases,
            progress.interviewed,
            progress.scored,
            progress.decided
        ),
        (2, 1, 1, 1)
    );
    assert_eq!((progress.accepted_persons, progress.target_places), (4, 5));
    assert_eq!(
        (progress.declarations_signed, progress.declarations_due),
        (2, 2)
    );
    assert_eq!(progress.orientation_complete, 1);

    // Arrival needs departure first; then the places become used.
    let arrive = store
        .move_case("UGA-26C00001", CaseStatus::Arrived, today(), &by("arrived"))
        .await
        .unwrap_err();
    assert!(matches!(
        arrive,
        StoreError::Case(CaseError::TransitionNotAllowed { .. })
    ));
    store
        .move_case(
            "UGA-26C00001",
            CaseStatus::PendingDeparture,
            today(),
            &by("travel documents"),
        )
        .await
        .unwrap();
    store
        .move_case("UGA-26C00001", CaseStatus::Departed, today(), &by("flight"))
        .await
        .unwrap();
    let arrived = store
        .move_case(
            "UGA-26C00001",
            CaseStatus::Arrived,
            today(),
            &by("arrived in Billund"),
        )
        .await
        .unwrap()
        .unwrap();
    let cell = arrived
        .status
        .year(2026)
        .unwrap()
        .sub_quota(SubQuota::Geographical)
        .clone();
    assert_eq!((cell.committed, cell.used), (0, 4));
    let d = store
        .dossier("UGA-26C00001", today(), "test")
        .await
        .unwrap();
    assert_eq!(d.deadline.departed_on, Some(today()));
    assert!(d.next.is_empty());
}

#[tokio::test]
async fn a_split_decision_charges_the_accepted_persons_only_and_the_tom_rule_holds() {
    let (_dir, store, _) = store_with_cases().await;
    interview(&store, "JOR-26C00002").await;
    let d = store
        .dossier("JOR-26C00002", today(), "test")
        .await
        .unwrap();
    assert_eq!(
        d.household.status,
        CaseStatus::Examined,
        "a dossier case is examined"
    );
    let score = store
        .score_case("JOR-26C00002", today(), "kim")
        .await
        .unwrap();
    assert_eq!(score.card.exemption, Some(Exemption::Medical));
    assert_eq!(score.card.assessment, Assessment::NotApplied);
    // The patient and one child accepted; the spouse not.
    let m = &d.household.members;
    let decided = store
        .decide_case(
            "JOR-26C00002",
            decide(Verdict::Accept, Some(vec![m[0].id, m[2].id])),
            Some(2027),
            today(),
            "test",
        )
        .await
        .unwrap();
    assert_eq!(decided.decision.accepted, vec![m[0].id, m[2].id]);
    let stored = store
        .dossier("JOR-26C00002", today(), "test")
        .await
        .unwrap();
    assert_eq!(
        stored.decisions[0].accepted,
        vec![m[0].id, m[2].id],
        "in household order"
    );
    let s = decided.quota.unwrap().status;
    assert_eq!(geo_committed(&s, 2027, SubQuota::Medical), 1);
    assert_eq!(geo_committed(&s, 2027, SubQuota::Geographical), 1);
    assert_eq!(geo_committed(&s, 2026, SubQuota::Medical), 0);
    // Withdrawing gives the places back.
    let released = store
        .move_case(
            "JOR-26C00002",
            CaseStatus::Withdrawn,
            today(),
            &by("the family withdrew"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(geo_committed(&released.status, 2027, SubQuota::Medical), 0);
    assert_eq!(
        geo_committed(&released.status, 2027, SubQuota::Geographical),
        0
    );
}

#[tokio::test]
async fn an_acceptance_without_places_is_refused_and_writes_nothing() {
    let (_dir, store, _) = store_with_cases().await;
    interview(&store, "LBN-26C00003").await;
    // Leave no emergency/urgent places in 2026.
    store
        .allocate(2026, 2026, SubQuota::EmergencyUrgent, 0, None, &by("test"))
        .await
        .unwrap();
    let before = footprint(&store).await;
    let e = store
        .decide_case(
            "LBN-26C00003",
            decide(Verdict::Accept, None),
            None,
            today(),
            "test",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("not_enough_places"), "{e}");
    assert_eq!(footprint(&store).await, before);
    let d = store
        .dossier("LBN-26C00003", today(), "test")
        .await
        .unwrap();
    assert_eq!(d.household.status, CaseStatus::Examined);
    assert!(d.decisions.is_empty());
    // No period covers 2031.
    let e = store
        .decide_case(
            "LBN-26C00003",
            decide(Verdict::Accept, None),
            Some(2031),
            today(),
            "test",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("no_period_for_year"));
    // A deferral is not a rejection: the case is decided again later.
    store
        .decide_case(
            "LBN-26C00003",
            decide(Verdict::Defer, None),
            None,
            today(),
            "test",
        )
        .await
        .unwrap();
    let d = store
        .decide_case(
            "LBN-26C00003",
            decide(Verdict::Accept, None),
            Some(2027),
            today(),
            "test",
        )
        .await
        .unwrap();
    assert_eq!(
        geo_committed(&d.quota.unwrap().status, 2027, SubQuota::EmergencyUrgent),
        1
    );
}

#[tokio::test]
async fn an_exclusion_flag_blocks_acceptance_until_decided() {
    let (_dir, store, _) = store_with_cases().await;
    interview(&store, "UGA-26C00004").await;
    let flag = store
        .raise_flag(
            "UGA-26C00004",
            ExclusionGround::Article1F,
            "named in a report",
            "kim",
        )
        .await
        .unwrap();
    let before = footprint(&store).await;
    let e = store
        .decide_case(
            "UGA-26C00004",
            decide(Verdict::Accept, None),
            None,
            today(),
            "test",
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (Some("exclusion_undecided"), Some("verdict"))
    );
    assert_eq!(footprint(&store).await, before);
    let e = store
        .decide_flag(
            "UGA-26C00004",
            flag.id,
            FlagResolution::Cleared,
            "Ane Holm",
            " ",
            "test",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("reasons_required"));
    store
        .decide_flag(
            "UGA-26C00004",
            flag.id,
            FlagResolution::Cleared,
            "Ane Holm",
            "the report names another person",
            "test",
        )
        .await
        .unwrap();
    let e = store
        .decide_flag(
            "UGA-26C00004",
            flag.id,
            FlagResolution::Excluded,
            "Ane Holm",
            "x",
            "test",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("flag_already_decided"));
    // The schema keeps a decided flag as it is, whatever writes to it.
    let raw = common::on_pool!(store, |pool| sqlx::query(
        "UPDATE screening_flags SET resolution = 'excluded' WHERE id = $1"
    )
    .bind(flag.id.to_string())
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(raw.is_err());
    store
        .decide_case(
            "UGA-26C00004",
            decide(Verdict::Accept, None),
            None,
            today(),
            "test",
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_new_rubric_version_scores_new_scores_and_old_ones_keep_theirs() {
    let (_dir, store, _) = store_with_cases().await;
    interview(&store, "UGA-26C00004").await;
    let first = store
        .score_case("UGA-26C00004", today(), "kim")
        .await
        .unwrap();
    let mut rubric = store.rubric("kim").await.unwrap();
    assert_eq!(rubric.version, 1);
    rubric.criteria[0].weight = 5;
    let e = store
        .save_rubric(rubric.clone(), "", "ane")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("reason_required"));
    let mut broken = rubric.clone();
    broken.criteria[0].levels.clear();
    assert_eq!(
        store
            .save_rubric(broken, "x", "ane")
            .await
            .unwrap_err()
            .code(),
        Some("invalid_rubric")
    );
    let saved = store
        .save_rubric(rubric, "language weighs more", "ane")
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    let second = store
        .score_case("UGA-26C00004", today(), "kim")
        .await
        .unwrap();
    assert_eq!(second.card.rubric_version, 2);
    assert!(second.card.max > first.card.max);
    assert_eq!(store.rubric_version(1).await.unwrap().criteria[0].weight, 2);
    let versions = store.rubric_versions().await.unwrap();
    assert_eq!(versions.len(), 2);
    // The first score is still stored with version 1.
    let v: i64 = common::on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT rubric_version FROM scores WHERE id = $1"
    )
    .bind(first.id.to_string())
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(v, 1);
}

#[tokio::test]
async fn the_workflow_refuses_skipped_steps_and_bad_records() {
    let (_dir, store, mission) = store_with_cases().await;
    let before = footprint(&store).await;
    let e = store
        .decide_case(
            "UGA-26C00004",
            decide(Verdict::Accept, None),
            None,
            today(),
            "test",
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some("transition_not_allowed"),
        "a submitted case is not decided"
    );
    let e = store
        .record_interview(
            "UGA-26C00004",
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            "Kim",
            "",
            BTreeMap::new(),
            today(),
            "kim",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("date_in_future"));
    let e = store
        .record_interview(
            "UGA-26C00004",
            today(),
            "Kim",
            "",
            assess("some", "eager"),
            today(),
            "kim",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("unknown_level"));
    let e = store
        .record_attendance(Uuid::new_v4(), 1, 1, "kim")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("no_such_person"));
    let e = store
        .move_case("UGA-26C00004", CaseStatus::Departed, today(), &by("x"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("transition_not_allowed"));
    let e = store
        .attach_cases(mission, &["NOPE-1".into()], "kim")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("no_such_case"));
    assert_eq!(footprint(&store).await, before);
    let e = store
        .add_team_member(
            mission,
            " ",
            Organisation::RefugeeCouncil,
            "observer",
            "kim",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("name_required"));
    store
        .add_team_member(
            mission,
            "Sofie Dahl",
            Organisation::RefugeeCouncil,
            "observer",
            "kim",
        )
        .await
        .unwrap();
    assert_eq!(store.team(mission).await.unwrap().len(), 1);
}

#[tokio::test]
async fn search_finds_cases_by_number_name_and_filters() {
    let (_dir, store, mission) = store_with_cases().await;
    let find = |text: &str| CaseQuery {
        text: Some(text.into()),
        ..CaseQuery::default()
    };
    let numbers = |s: resettle::domain::dossier::CaseSearch| -> Vec<String> {
        s.rows.into_iter().map(|r| r.unhcr_case_no).collect()
    };
    assert_eq!(
        numbers(
            store
                .search_cases(&find("UGA-26C00001"), "test")
                .await
                .unwrap()
        ),
        ["UGA-26C00001"]
    );
    // A member's name, a prefix, folded diacritics, any order of words.
    assert_eq!(
        numbers(store.search_cases(&find("baraka"), "test").await.unwrap()),
        ["UGA-26C00001"]
    );
    assert_eq!(
        numbers(store.search_cases(&find("mull"), "test").await.unwrap()),
        ["JOR-26C00002"]
    );
    assert_eq!(
        numbers(
            store
                .search_cases(&find("prøve dalia"), "test")
                .await
                .unwrap()
        ),
        ["LBN-26C00003"]
    );
    // FTS syntax typed by a user is taken as words, not as a query.
    assert_eq!(
        store
            .search_cases(&find("\"NEAR( OR"), "test")
            .await
            .unwrap()
            .total,
        0
    );
    let all = store
        .search_cases(&CaseQuery::default(), "test")
        .await
        .unwrap();
    assert_eq!(all.total, 4);
    assert_eq!(
        all.rows[0].unhcr_case_no, "LBN-26C00003",
        "newest submission first"
    );
    assert_eq!(all.rows[1].principal, "Rami Müller-Eksempel");
    let urgent = CaseQuery {
        priority: Some(Priority::Urgent),
        ..CaseQuery::default()
    };
    assert_eq!(
        numbers(store.search_cases(&urgent, "test").await.unwrap()),
        ["LBN-26C00003"]
    );
    let on_mission = CaseQuery {
        mission: Some(mission),
        nationality: Some("ssd".into()),
        ..CaseQuery::default()
    };
    assert_eq!(
        numbers(store.search_cases(&on_mission, "test").await.unwrap()),
        ["UGA-26C00004"]
    );
    let limited = CaseQuery {
        limit: Some(2),
        ..CaseQuery::default()
    };
    let s = store.search_cases(&limited, "test").await.unwrap();
    assert_eq!((s.total, s.rows.len()), (4, 2));
}

#[tokio::test]
async fn a_consent_is_recorded_and_withdrawn_once() {
    use resettle::domain::consent::{released_now, ReleaseItem};
    let (_dir, store, _) = store_with_cases().await;
    let e = store
        .record_consent("JOR-26C00002", vec![], "ar", "kim")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("nothing_released"));
    let e = store
        .record_consent(
            "JOR-26C00002",
            vec![ReleaseItem::SpecialNeeds],
            "Arabic",
            "kim",
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (Some("language_code"), Some("language"))
    );
    let c = store
        .record_consent("JOR-26C00002", vec![ReleaseItem::SpecialNeeds], "ar", "kim")
        .await
        .unwrap();
    let d = store
        .dossier("JOR-26C00002", today(), "test")
        .await
        .unwrap();
    assert!(released_now(&d.consents, ReleaseItem::SpecialNeeds));
    // Another case's consent cannot be withdrawn through this one.
    let e = store
        .withdraw_consent("UGA-26C00004", c.id, "kim")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("no_such_consent"));
    store
        .withdraw_consent("JOR-26C00002", c.id, "kim")
        .await
        .unwrap();
    let e = store
        .withdraw_consent("JOR-26C00002", c.id, "kim")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("no_such_consent"));
    let d = store
        .dossier("JOR-26C00002", today(), "test")
        .await
        .unwrap();
    assert!(!released_now(&d.consents, ReleaseItem::SpecialNeeds));
    assert_eq!(d.consents[0].withdrawn.as_ref().unwrap().by, "kim");
    let raw = common::on_pool!(store, |pool| sqlx::query(
        "UPDATE consents SET withdrawn_at = NULL, withdrawn_by = NULL"
    )
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(raw.is_err(), "a withdrawal is not undone");
}

/// The audit log's last entry: action, actor and subject.
async fn last_audit(store: &Store) -> (String, String, String) {
    common::on_pool!(store, |pool| sqlx::query_as(
        "SELECT action, actor, subject FROM audit_log ORDER BY seq DESC LIMIT 1"
    )
    .fetch_one(pool)
    .await
    .unwrap())
}

#[tokio::test]
async fn reading_a_dossier_with_sensitive_fields_is_audited_with_ids_and_kinds_only() {
    let (_dir, store, _) = store_with_cases().await;
    interview(&store, "UGA-26C00001").await;
    let entries = store.audit_len().await.unwrap();
    let d = store
        .dossier("UGA-26C00001", today(), "reader-kim")
        .await
        .unwrap();
    assert_eq!(store.audit_len().await.unwrap(), entries + 1);
    let (action, actor, subject) = last_audit(&store).await;
    assert_eq!(
        (action.as_str(), actor.as_str()),
        ("case.sensitive_read", "reader-kim")
    );
    assert!(
        subject.starts_with(&d.household.id.to_string()),
        "{subject}"
    );
    assert!(subject.contains("interview_notes"), "{subject}");
    assert!(
        !subject.contains("SENSITIVE-NOTE"),
        "the notes stay out of the log"
    );
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        ChainCheck::Intact { .. }
    ));

    // A TOM patient's dialysis: special and medical needs.
    store
        .dossier("JOR-26C00002", today(), "reader-kim")
        .await
        .unwrap();
    let (action, _, subject) = last_audit(&store).await;
    assert_eq!(action, "case.sensitive_read");
    assert!(subject.ends_with(" special_needs,medical"), "{subject}");
    assert!(!subject.contains("dialysis"));

    // A dossier that shows nothing sensitive is read without an entry.
    let plain = store
        .dossier("UGA-26C00004", today(), "reader-kim")
        .await
        .unwrap();
    assert_eq!(plain.sensitive_contents(), Vec::<&str>::new());
    assert_eq!(store.audit_len().await.unwrap(), entries + 2);
}

/// The append-only tables stay append-only around an erasure: before it, a decision's
/// reasons cannot become the tombstone; after it, they cannot become anything else, nor
/// may any other column change. The triggers hold this on both backends, whoever writes.
#[tokio::test]
async fn an_erasure_opens_the_append_only_tables_to_the_tombstone_alone() {
    let (_dir, store, _) = store_with_cases().await;
    interview(&store, "UGA-26C00004").await;
    store
        .decide_case(
            "UGA-26C00004",
            decide(Verdict::Reject, None),
            None,
            today(),
            "test",
        )
        .await
        .unwrap();
    let write = |sql: &'static str| {
        let store = &store;
        async move {
            common::on_pool!(store, |pool| sqlx::query(sql)
                .execute(pool)
                .await
                .map(|_| ()))
        }
    };
    const TOMBSTONE: &str = "UPDATE decisions SET reasons = '—' WHERE case_id =
        (SELECT id FROM cases WHERE unhcr_case_no = 'UGA-26C00004')";
    const OTHER_TEXT: &str = "UPDATE decisions SET reasons = 'rewritten' WHERE case_id =
        (SELECT id FROM cases WHERE unhcr_case_no = 'UGA-26C00004')";
    const VERDICT: &str = "UPDATE decisions SET reasons = '—', verdict = 'accept' WHERE case_id =
        (SELECT id FROM cases WHERE unhcr_case_no = 'UGA-26C00004')";
    let err = write(TOMBSTONE).await.unwrap_err();
    assert!(err.to_string().contains("never changed"), "{err}");

    // An open case is not erased; the rejected one is.
    let open = store
        .erase_case("UGA-26C00001", "request 1", today(), "test")
        .await
        .unwrap_err();
    assert_eq!(open.code(), Some("case_open"), "{open}");
    let run = store
        .erase_case("UGA-26C00004", "request 2", today(), "test")
        .await
        .unwrap();
    assert_eq!(run.erasures.len(), 1);
    for sql in [OTHER_TEXT, VERDICT] {
        let err = write(sql).await.unwrap_err();
        assert!(err.to_string().contains("never changed"), "{sql}: {err}");
    }
    write(TOMBSTONE)
        .await
        .expect("the tombstone again is no change");
    let dossier = store
        .dossier("UGA-26C00004", today(), "test")
        .await
        .unwrap();
    assert_eq!(dossier.decisions[0].reasons, "—");
    assert_eq!(dossier.interviews[0].notes, "—");
    assert_eq!(dossier.household.members[0].given_name, "—");
    assert_eq!(
        dossier.household.members[0].date_of_birth,
        NaiveDate::from_ymd_opt(1996, 1, 1).unwrap()
    );
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}
