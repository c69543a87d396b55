//! Roles checked in the core: the store called as a caseworker, a quota manager, an
//! administrator, a user without the export grant, a deactivated user and a stranger, on
//! real database files (SQLite, or SQLCipher with RESETTLE_TEST_STORE=sqlcipher). Each
//! refusal is checked for its code and for having written nothing.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::NaiveDate;
use resettle::demo;
use resettle::domain::access::{Role, User};
use resettle::domain::decision::{DecisionRequest, Verdict};
use resettle::domain::dossier::CaseQuery;
use resettle::domain::placement::proposal::{ProposalMethod, ProposalStatus};
use resettle::domain::SubQuota;
use resettle::exports::{self, DocumentRequest};
use resettle::placement;
use resettle::session::Session;
use resettle::solver::SolveOptions;
use resettle::storage::{Batch, Change, Store, StoreError};
use tempfile::TempDir;

const FOUNDER: &str = "founder";
const CASEWORKER: &str = "cw";
const CASEWORKER_EXPORT: &str = "cw-export";
const MANAGER: &str = "qm";
const ADMIN: &str = "admin";
const GONE: &str = "left";
const STRANGER: &str = "stranger";

fn user(name: &str, roles: &[Role], export: bool) -> User {
    User {
        name: name.to_owned(),
        roles: roles.iter().copied().collect(),
        export,
        confidential: false,
        active: true,
    }
}

fn today() -> NaiveDate {
    demo::reference_date()
}

/// The demo world with its placement data, set up by the founder, and one user of each
/// kind.
async fn world() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let store = common::open_bare(&dir.path().join("a.db")).await.unwrap();
    assert!(store.claim_first_user(FOUNDER).await.unwrap());
    let data = demo::generate(demo::DEFAULT_SEED);
    store.seed_demo(&data, FOUNDER).await.unwrap();
    store
        .seed_placement_demo(&data.placement, FOUNDER)
        .await
        .unwrap();
    for u in [
        user(CASEWORKER, &[Role::Caseworker], false),
        user(CASEWORKER_EXPORT, &[Role::Caseworker], true),
        user(MANAGER, &[Role::QuotaManager], false),
        user(ADMIN, &[Role::Administrator], false),
        user(GONE, &[Role::QuotaManager], true),
    ] {
        store.add_user(&u, FOUNDER).await.unwrap();
    }
    let gone = User {
        active: false,
        ..user(GONE, &[Role::QuotaManager], true)
    };
    store.update_user(&gone, FOUNDER).await.unwrap();
    (dir, store)
}

/// Row counts of everything a guarded operation could write.
async fn footprint(store: &Store) -> Vec<i64> {
    common::row_counts(
        store,
        &[
            "audit_log",
            "quota_entries",
            "decisions",
            "case_transitions",
            "placements",
            "placement_transitions",
            "interviews",
            "users",
            "user_roles",
        ],
    )
    .await
}

fn code(result: Result<impl std::fmt::Debug, StoreError>) -> String {
    match result {
        Ok(v) => panic!("allowed, expected a refusal: {v:?}"),
        Err(e) => e.code().unwrap_or("(no code)").to_owned(),
    }
}

async fn allocate(store: &Store, actor: &str) -> Result<(), StoreError> {
    let status = store.quota_status(2026).await?;
    let geo = status.years[0]
        .sub_quotas
        .iter()
        .find(|s| s.sub_quota == SubQuota::Geographical)
        .unwrap()
        .allocated;
    let change = Change {
        author: actor,
        reason: "access test",
    };
    store
        .allocate(2026, 2026, SubQuota::Geographical, geo, None, &change)
        .await
        .map(|_| ())
}

async fn interviewed_case(store: &Store) -> String {
    common::on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT unhcr_case_no FROM cases WHERE status = 'interviewed' LIMIT 1"
    )
    .fetch_one(pool)
    .await
    .unwrap())
}

async fn defer(store: &Store, case: &str, actor: &str) -> Result<(), StoreError> {
    let request = DecisionRequest {
        verdict: Verdict::Defer,
        by: "Ane Holm".into(),
        reasons: "waiting for a medical report".into(),
        accepted: None,
    };
    store
        .decide_case(case, request, None, today(), actor)
        .await
        .map(|_| ())
}

#[tokio::test]
async fn only_a_quota_manager_changes_allocations_and_decides_cases() {
    let (_dir, store) = world().await;
    let case = interviewed_case(&store).await;
    let before = footprint(&store).await;
    for actor in [CASEWORKER, CASEWORKER_EXPORT, ADMIN] {
        assert_eq!(code(allocate(&store, actor).await), "forbidden", "{actor}");
        assert_eq!(
            code(defer(&store, &case, actor).await),
            "forbidden",
            "{actor}"
        );
    }
    assert_eq!(code(allocate(&store, GONE).await), "inactive_user");
    assert_eq!(code(allocate(&store, STRANGER).await), "unknown_user");
    assert_eq!(footprint(&store).await, before, "a refusal writes nothing");

    allocate(&store, MANAGER).await.unwrap();
    defer(&store, &case, MANAGER).await.unwrap();
    assert_ne!(footprint(&store).await, before);

    // The refusal says who and what is missing, in the words the app shows.
    let e = allocate(&store, CASEWORKER).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "cw may not change the quota's allocations: that needs the quota manager role"
    );
    assert!(e.params().contains(&("role", "quota_manager".to_owned())));
}

#[tokio::test]
async fn only_a_quota_manager_proposes_and_confirms_placements() {
    let (_dir, store) = world().await;
    let propose = |actor: &'static str| {
        let store = store.clone();
        async move {
            placement::propose(
                &store,
                &Session::local(actor),
                2026,
                &Batch::Accepted,
                ProposalMethod::Optimal,
                &SolveOptions::default(),
            )
            .await
        }
    };
    let before = footprint(&store).await;
    assert_eq!(code(propose(CASEWORKER).await), "forbidden");
    assert_eq!(code(propose(ADMIN).await), "forbidden");
    assert_eq!(footprint(&store).await, before);
    let proposed = propose(MANAGER).await.unwrap();
    let case = proposed.proposals[0].case_no.clone();
    store
        .transition_proposal(&case, ProposalStatus::Consulted, "phoned", MANAGER)
        .await
        .unwrap();
    let before = footprint(&store).await;
    for actor in [CASEWORKER, CASEWORKER_EXPORT, ADMIN, GONE] {
        let refused = store
            .transition_proposal(&case, ProposalStatus::Confirmed, "", actor)
            .await;
        assert!(
            ["forbidden", "inactive_user"].contains(&code(refused).as_str()),
            "{actor}"
        );
    }
    assert_eq!(footprint(&store).await, before);
    let confirmed = store
        .transition_proposal(&case, ProposalStatus::Confirmed, "", MANAGER)
        .await
        .unwrap();
    assert_eq!(confirmed.status, ProposalStatus::Confirmed);
}

#[tokio::test]
async fn exporting_needs_the_export_grant_whatever_the_role() {
    let (dir, store) = world().await;
    let request = DocumentRequest::QuotaReport { period: 2026 };
    let render = |actor: &'static str| {
        let store = store.clone();
        let request = request.clone();
        async move {
            exports::render(
                &store,
                &Session::local(actor),
                &request,
                Arc::new(|_, _| {}),
                Arc::new(AtomicBool::new(false)),
            )
            .await
        }
    };
    for actor in [CASEWORKER, MANAGER, ADMIN, GONE, STRANGER] {
        let Err(e) = render(actor).await else {
            panic!("{actor} rendered a document to export")
        };
        assert!(
            ["forbidden", "inactive_user", "unknown_user"].contains(&e.code().unwrap()),
            "{actor}: {e}"
        );
    }
    let rendered = render(CASEWORKER_EXPORT).await.unwrap();
    assert!(rendered.bytes.starts_with(b"%PDF"));

    // Saving checks again, inside the audit entry's transaction: nothing is left on disk.
    let before = footprint(&store).await;
    let out = dir.path().join("report.pdf");
    let Err(e) = exports::save(&store, &Session::local(MANAGER), &rendered, &out).await else {
        panic!("saved without the export grant")
    };
    assert_eq!(e.code(), Some("forbidden"));
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("report"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(footprint(&store).await, before);
    exports::save(&store, &Session::local(CASEWORKER_EXPORT), &rendered, &out)
        .await
        .unwrap();
    assert!(out.exists());
}

#[tokio::test]
async fn caseworkers_record_fieldwork_and_administrators_read_no_case() {
    let (_dir, store) = world().await;
    let case = interviewed_case(&store).await;
    store.dossier(&case, today(), CASEWORKER).await.unwrap();
    store
        .search_cases(&CaseQuery::default(), CASEWORKER)
        .await
        .unwrap();
    store
        .raise_flag(
            &case,
            resettle::domain::screening::ExclusionGround::Article1F,
            "a name in a report",
            CASEWORKER,
        )
        .await
        .unwrap();
    let before = footprint(&store).await;
    assert_eq!(
        code(store.dossier(&case, today(), ADMIN).await),
        "forbidden"
    );
    assert_eq!(
        code(store.search_cases(&CaseQuery::default(), ADMIN).await),
        "forbidden"
    );
    assert_eq!(
        code(store.dossier(&case, today(), STRANGER).await),
        "unknown_user"
    );
    let rubric = store.rubric(MANAGER).await.unwrap();
    assert_eq!(
        code(store.save_rubric(rubric.clone(), "a try", CASEWORKER).await),
        "forbidden"
    );
    assert_eq!(
        code(store.set_idle_lock_minutes(5, MANAGER).await),
        "forbidden"
    );
    assert_eq!(footprint(&store).await, before);
    store.set_idle_lock_minutes(5, ADMIN).await.unwrap();
}

#[tokio::test]
async fn an_administrator_manages_users_and_one_always_remains() {
    let (_dir, store) = world().await;
    let newcomer = user("newcomer", &[Role::Caseworker], false);
    let before = footprint(&store).await;
    for actor in [CASEWORKER, MANAGER, GONE, STRANGER] {
        let refused = store.add_user(&newcomer, actor).await;
        assert!(
            ["forbidden", "inactive_user", "unknown_user"].contains(&code(refused).as_str()),
            "{actor}"
        );
    }
    let promote = user(CASEWORKER, &[Role::Administrator], true);
    assert_eq!(
        code(store.update_user(&promote, MANAGER).await),
        "forbidden"
    );
    assert_eq!(
        code(store.add_user(&user("two words", &[], false), ADMIN).await),
        "bad_user_name"
    );
    assert_eq!(
        code(store.add_user(&user(MANAGER, &[], false), ADMIN).await),
        "user_exists"
    );
    assert_eq!(
        code(store.update_user(&user("nobody", &[], false), ADMIN).await),
        "no_such_user"
    );
    assert_eq!(footprint(&store).await, before);
    store.add_user(&newcomer, ADMIN).await.unwrap();

    // A role taken away is gone for the very next call.
    allocate(&store, MANAGER).await.unwrap();
    store
        .update_user(&user(MANAGER, &[Role::Caseworker], false), ADMIN)
        .await
        .unwrap();
    assert_eq!(code(allocate(&store, MANAGER).await), "forbidden");

    // The founder and the administrator are the administrators; one may step down, not
    // both.
    let founder_steps_down = user(FOUNDER, &[Role::QuotaManager], true);
    store.update_user(&founder_steps_down, ADMIN).await.unwrap();
    let before = footprint(&store).await;
    let admin_leaves = User {
        active: false,
        ..user(ADMIN, &[Role::Administrator], false)
    };
    assert_eq!(
        code(store.update_user(&admin_leaves, ADMIN).await),
        "last_administrator"
    );
    assert_eq!(
        code(
            store
                .update_user(&user(ADMIN, &[Role::Caseworker], false), ADMIN)
                .await
        ),
        "last_administrator"
    );
    assert_eq!(footprint(&store).await, before);
    let users = store.users().await.unwrap();
    assert_eq!(users.iter().filter(|u| u.is_administrator()).count(), 1);

    // Users are deactivated, never deleted.
    let deleted = common::on_pool!(store, |pool| sqlx::query(
        "DELETE FROM users WHERE name = $1"
    )
    .bind(GONE)
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(deleted.is_err());
}

#[tokio::test]
async fn a_database_without_users_is_claimed_once_and_refuses_work_until_then() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("new.db");
    let store = common::open_bare(&path).await.unwrap();
    assert_eq!(
        code(store.seed_demo(&demo::generate(1), "someone").await),
        "no_users"
    );
    assert_eq!(store.audit_len().await.unwrap(), 0);
    assert!(store.claim_first_user("first").await.unwrap());
    assert!(!store.claim_first_user("second").await.unwrap());
    let users = store.users().await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].name, "first");
    assert!(users[0].roles.len() == 3 && users[0].export && users[0].active);
    assert_eq!(
        code(store.claim_first_user("two words").await),
        "bad_user_name"
    );
    store.close().await;
    // The users survive a reopen (and the audit log records the founding).
    let store = reopen(&path).await;
    assert_eq!(store.users().await.unwrap().len(), 1);
    assert_eq!(store.audit_len().await.unwrap(), 1);
}

async fn reopen(path: &Path) -> Store {
    common::open_bare(path).await.unwrap()
}
