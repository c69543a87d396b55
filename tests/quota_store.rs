//! The quota ledger in a real SQLite database: what the store records, what it refuses
//! (writing nothing), and concurrent commitments of the last places.

mod common;

use std::path::Path;

use resettle::demo;
use resettle::domain::quota::{EntryKind, QuotaError, QuotaPeriod, QuotaStatus, SubQuota};
use resettle::domain::{DeadlineStatus, Priority};
use resettle::storage::{Change, Store, StoreError};
use sqlx::Row;
use tempfile::TempDir;

const BY: Change = Change {
    author: "test",
    reason: "test",
};

async fn fresh() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = common::open_store(&dir.path().join("resettle.db"))
        .await
        .unwrap();
    (dir, store)
}

async fn seeded() -> (TempDir, Store) {
    let (dir, store) = fresh().await;
    store
        .seed_demo(&demo::generate(demo::DEFAULT_SEED), "test")
        .await
        .unwrap();
    (dir, store)
}

fn cell(s: &QuotaStatus, year: i32, sub: SubQuota) -> (u32, u32, u32, u32) {
    let c = s.year(year).unwrap().sub_quota(sub);
    (c.allocated, c.committed, c.used, c.available)
}

/// Rows in the ledger and the audit log: a refusal must change neither.
async fn written(store: &Store) -> (i64, u32) {
    let entries: i64 = common::on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM quota_entries"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    (entries, store.audit_len().await.unwrap())
}

#[tokio::test]
async fn a_new_period_gets_the_default_allocations() {
    let (_dir, store) = fresh().await;
    let recorded = store
        .create_period(&QuotaPeriod::new(2026, 1500), &[], &BY)
        .await
        .unwrap();
    assert_eq!(recorded.entries, 9);
    let status = store.quota_status(2026).await.unwrap();
    assert_eq!(status, recorded.status);
    assert_eq!(status.years.len(), 3);
    for y in &status.years {
        assert_eq!(
            cell(&status, y.year, SubQuota::Geographical),
            (395, 0, 0, 395)
        );
        assert_eq!(cell(&status, y.year, SubQuota::EmergencyUrgent).3, 75);
        assert_eq!(cell(&status, y.year, SubQuota::Medical).3, 30);
    }
    // A one-year regime with explicit allocations.
    let one_year = QuotaPeriod {
        years: 1,
        ..QuotaPeriod::new(2029, 200)
    };
    let more_medical = [(2029, SubQuota::Medical, 20)];
    assert!(matches!(
        store
            .create_period(&one_year, &more_medical, &BY)
            .await
            .unwrap_err(),
        StoreError::Quota(QuotaError::ExceedsPeriodTotal {
            would_be: 208,
            total: 200
        })
    ));
    let allocations = [more_medical[0], (2029, SubQuota::Geographical, 150)];
    store
        .create_period(&one_year, &allocations, &BY)
        .await
        .unwrap();
    let s = store.quota_status(2029).await.unwrap();
    assert_eq!(cell(&s, 2029, SubQuota::Medical).0, 20);
    assert_eq!(cell(&s, 2029, SubQuota::Geographical).0, 150);
    assert_eq!(cell(&s, 2029, SubQuota::EmergencyUrgent).0, 30);
}

#[tokio::test]
async fn refusals_write_nothing() {
    let (_dir, store) = fresh().await;
    store
        .create_period(&QuotaPeriod::new(2026, 1500), &[], &BY)
        .await
        .unwrap();
    let before = written(&store).await;
    let overlap = store
        .create_period(&QuotaPeriod::new(2028, 1500), &[], &BY)
        .await
        .unwrap_err();
    assert!(matches!(
        overlap,
        StoreError::Quota(QuotaError::PeriodOverlaps { .. })
    ));
    let over_cap = store
        .allocate(2026, 2027, SubQuota::Medical, 40, None, &BY)
        .await
        .unwrap_err();
    assert_eq!(
        over_cap.to_string(),
        "the period's allocations would come to 1510 places, 10 more than its 1500 places"
    );
    assert_eq!(over_cap.field(), Some("places"));
    let missing = store
        .reallocate(
            2026,
            2026,
            SubQuota::Medical,
            SubQuota::Geographical,
            31,
            &BY,
        )
        .await
        .unwrap_err();
    assert!(missing.to_string().starts_with("1 place(s) missing"));
    assert!(matches!(
        store.close_year(2026, 2027, &BY).await.unwrap_err(),
        StoreError::Quota(QuotaError::EarlierYearOpen { .. })
    ));
    let silent = Change {
        author: "test",
        reason: "  ",
    };
    let no_reason = store
        .allocate(2026, 2026, SubQuota::Medical, 20, None, &silent)
        .await
        .unwrap_err();
    assert!(matches!(no_reason, StoreError::ReasonRequired));
    assert_eq!(no_reason.field(), Some("reason"));
    assert!(matches!(
        store.close_year(2026, 2026, &silent).await.unwrap_err(),
        StoreError::ReasonRequired
    ));
    assert!(matches!(
        store.quota_status(2031).await.unwrap_err(),
        StoreError::Quota(QuotaError::NoSuchPeriod(2031))
    ));
    assert_eq!(written(&store).await, before);
}

#[tokio::test]
async fn changes_are_entries_with_author_and_reason_and_never_edited() {
    let (_dir, store) = fresh().await;
    store
        .create_period(&QuotaPeriod::new(2026, 1500), &[], &BY)
        .await
        .unwrap();
    let who = Change {
        author: "quota.manager",
        reason: "more dossier cases than planned",
    };
    let r = store
        .reallocate(
            2026,
            2026,
            SubQuota::Geographical,
            SubQuota::EmergencyUrgent,
            20,
            &who,
        )
        .await
        .unwrap();
    assert_eq!(cell(&r.status, 2026, SubQuota::EmergencyUrgent).0, 95);
    store.close_year(2026, 2026, &BY).await.unwrap();
    let history = store.quota_history(2026, 100, None).await.unwrap();
    // Newest first: the year's close, three carry-overs, the reallocation, 9 allocations.
    assert_eq!(history.len(), 14);
    assert_eq!(history[0].kind.code(), "year_closed");
    let moved = history
        .iter()
        .find(|e| e.kind.code() == "reallocation")
        .unwrap();
    assert_eq!(
        (moved.author.as_str(), moved.reason.as_str(), moved.places),
        ("quota.manager", "more dossier cases than planned", 20)
    );
    let carried = store
        .quota_history(2026, 100, Some(EntryKind::CarryOver))
        .await
        .unwrap();
    assert_eq!(carried.len(), 3);
    assert!(carried.iter().all(|e| e.to_year == Some(2027)));
    let status = store.quota_status(2026).await.unwrap();
    assert_eq!(cell(&status, 2027, SubQuota::EmergencyUrgent).3, 75 + 95);
    assert_eq!(store.quota_status_from_entries(2026).await.unwrap(), status);
    for sql in [
        "UPDATE quota_entries SET places = 1000",
        "DELETE FROM quota_entries",
    ] {
        let err = common::on_pool!(store, |pool| sqlx::query(sql)
            .execute(pool)
            .await
            .map(|_| ())
            .unwrap_err());
        assert!(err.to_string().contains("never changed"), "{err}");
    }
}

/// A mission household without a TOM patient: all its persons go to `geographical`.
async fn geographical_cases(store: &Store) -> Vec<(String, u32)> {
    common::on_pool!(store, |pool| {
        sqlx::query(
        "SELECT c.unhcr_case_no, COUNT(*) AS persons FROM cases c JOIN persons p ON p.case_id = c.id
         WHERE c.route = 'mission'
         GROUP BY c.id HAVING SUM(CASE WHEN p.tom_patient THEN 1 ELSE 0 END) = 0
         ORDER BY c.unhcr_case_no",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get::<i64, _>(1) as u32))
    .collect()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_commitments_never_overcommit_the_last_places() {
    let (dir, store) = seeded().await;
    // Leave 20 geographical places in 2026 and let 16 users, each with their own
    // connection pool, accept a household at the same moment.
    store
        .allocate(2026, 2026, SubQuota::Geographical, 20, None, &BY)
        .await
        .unwrap();
    let cases = geographical_cases(&store).await;
    let contenders: Vec<(String, u32)> = cases.into_iter().take(16).collect();
    let path = dir.path().join("resettle.db");
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(contenders.len()));
    // On the server, each is a login of their own, a quota manager by the server's grants,
    // and the ledger and the audit log name them.
    let server = common::backend() == "postgres";
    let logins: Vec<String> = (0..contenders.len())
        .map(|i| format!("contender_{}_{i}", std::process::id()))
        .collect();
    if server {
        for login in &logins {
            common::pg_login(login).await;
            let mut user = resettle::domain::access::founder(login).unwrap();
            user.roles = [resettle::domain::access::Role::QuotaManager].into();
            store.add_user(&user, "test").await.unwrap();
        }
    }
    let mut tasks = Vec::new();
    for ((case_no, persons), login) in contenders.clone().into_iter().zip(logins.clone()) {
        let (path, barrier) = (path.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let (user, author) = if server {
                let url = common::as_login(&common::pg_database(Path::new(&path)).await, &login);
                let store = resettle::storage::PgStore::connect(&url).await.unwrap();
                (Store::from(store), login)
            } else {
                let store = common::open_store(Path::new(&path)).await.unwrap();
                (store, BY.author.to_owned())
            };
            barrier.wait().await;
            let by = Change {
                author: &author,
                reason: BY.reason,
            };
            let result = user
                .commit_case(&case_no, 2026, Some(2026), None, &by)
                .await;
            user.close().await;
            (case_no, persons, result)
        }));
    }
    let mut accepted = 0;
    let mut winners = 0;
    let mut refused = 0;
    for t in tasks {
        let (case_no, persons, result) = t.await.unwrap();
        match result {
            Ok(_) => {
                accepted += persons;
                winners += 1;
            }
            Err(StoreError::Quota(QuotaError::NotEnoughPlaces(s))) => {
                refused += 1;
                assert_eq!(s[0].needed, persons, "{case_no}");
            }
            Err(e) => panic!("{case_no}: {e}"),
        }
    }
    let status = store.quota_status(2026).await.unwrap();
    let (_, committed, _, available) = cell(&status, 2026, SubQuota::Geographical);
    assert!(refused > 0, "the test must contend for too few places");
    assert_eq!(committed, accepted);
    assert!(committed <= 20);
    assert_eq!(available, 20 - committed);
    assert_eq!(store.quota_status_from_entries(2026).await.unwrap(), status);
    if server {
        // Each acceptance is in the audit log under the login that made it.
        let actors: Vec<String> = common::on_pool!(store, |pool| sqlx::query_scalar(
            "SELECT actor FROM audit_log WHERE actor LIKE 'contender%'"
        )
        .fetch_all(pool)
        .await
        .unwrap());
        let distinct: std::collections::BTreeSet<&String> = actors.iter().collect();
        assert_eq!(actors.len(), distinct.len());
        assert_eq!(actors.len(), winners);
        assert!(actors.iter().all(|a| logins.contains(a)), "{actors:?}");
    }
}

#[tokio::test]
async fn commit_release_and_arrival_of_cases() {
    let (_dir, store) = seeded().await;
    let cases = geographical_cases(&store).await;
    let (a, a_persons) = &cases[0];
    let (b, b_persons) = &cases[1];
    store.commit_case(a, 2026, None, None, &BY).await.unwrap();
    store.commit_case(b, 2026, None, None, &BY).await.unwrap();
    assert!(matches!(
        store
            .commit_case(a, 2026, None, None, &BY)
            .await
            .unwrap_err(),
        StoreError::Quota(QuotaError::AlreadyCommitted(_))
    ));
    let arrived = store.arrive_case(a, &BY).await.unwrap();
    assert_eq!(
        cell(&arrived.status, 2026, SubQuota::Geographical),
        (395, *b_persons, *a_persons, 395 - a_persons - b_persons)
    );
    // Released after 2026 closed: the places go to 2027, not back to the closed year.
    store.close_year(2026, 2026, &BY).await.unwrap();
    let released = store.release_case(b, &BY).await.unwrap();
    let s = &released.status;
    assert_eq!(cell(s, 2026, SubQuota::Geographical).3, 0);
    let g27 = s.year(2027).unwrap().sub_quota(SubQuota::Geographical);
    assert_eq!(g27.carried_in, 395 - a_persons);
    assert!(matches!(
        store.release_case(b, &BY).await.unwrap_err(),
        StoreError::Quota(QuotaError::NothingCommitted(_))
    ));
    assert!(matches!(
        store
            .commit_case("NO-SUCH", 2026, None, None, &BY)
            .await
            .unwrap_err(),
        StoreError::NoSuchCase(_)
    ));
}

#[tokio::test]
async fn an_exceptional_situation_lets_a_year_pass_the_cap() {
    let (_dir, store) = fresh().await;
    store
        .create_period(&QuotaPeriod::new(2026, 1500), &[], &BY)
        .await
        .unwrap();
    store
        .allocate(2026, 2028, SubQuota::Geographical, 300, None, &BY)
        .await
        .unwrap();
    let refused = store
        .allocate(2026, 2027, SubQuota::Geographical, 490, None, &BY)
        .await
        .unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Quota(QuotaError::ExceedsAnnualCap { would_be: 595, .. })
    ));
    let decision = store
        .record_exceptional(
            2026,
            2027,
            &Change {
                author: "minister",
                reason: "a sudden crisis",
            },
        )
        .await
        .unwrap();
    let other = store.record_exceptional(2026, 2026, &BY).await.unwrap();
    assert!(matches!(
        store
            .allocate(2026, 2027, SubQuota::Geographical, 490, Some(other.id), &BY)
            .await
            .unwrap_err(),
        StoreError::Quota(QuotaError::ExceptionalForOtherYear { .. })
    ));
    let r = store
        .allocate(
            2026,
            2027,
            SubQuota::Geographical,
            490,
            Some(decision.id),
            &BY,
        )
        .await
        .unwrap();
    assert_eq!(cell(&r.status, 2027, SubQuota::Geographical).0, 490);
    let history = store.quota_history(2026, 1, None).await.unwrap();
    assert_eq!(history[0].exceptional_id, Some(decision.id));
}

#[tokio::test]
async fn deadlines_list_open_cases_most_urgent_first() {
    let (_dir, store) = seeded().await;
    let today = demo::reference_date();
    let list = store.deadlines(today, false).await.unwrap();
    let open: i64 = common::on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(list.len() as i64, open, "every demo case is still open");
    assert!(list.windows(2).all(|w| w[0].days_left <= w[1].days_left));
    for d in &list {
        let limit = match d.priority {
            Priority::Emergency => 7,
            Priority::Urgent => 42,
            Priority::Normal => (d.deadline - d.submission_date).num_days(),
        };
        assert_eq!((d.deadline - d.submission_date).num_days(), limit);
        let expected = if d.days_left < 0 {
            DeadlineStatus::Overdue
        } else if 4 * i64::from(d.days_left) < limit {
            DeadlineStatus::AtRisk
        } else {
            DeadlineStatus::OnTrack
        };
        assert_eq!(d.status, expected, "{}", d.unhcr_case_no);
    }
    // A departed case leaves the open list and shows whether it met its deadline.
    let first = &list[0];
    common::on_pool!(store, |pool| sqlx::query(
        "UPDATE cases SET status = 'departed', departed_on = $1 WHERE id = $2"
    )
    .bind(first.deadline)
    .bind(first.case_id.to_string())
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    assert_eq!(
        store.deadlines(today, false).await.unwrap().len(),
        list.len() - 1
    );
    let all = store.deadlines(today, true).await.unwrap();
    let departed = all.iter().find(|d| d.case_id == first.case_id).unwrap();
    assert_eq!(departed.status, DeadlineStatus::Met);
}
