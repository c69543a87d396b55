//! The SQLite store against a real database file.

mod common;

/// The entries registering the suites' users: one per user.
const USERS_AUDITED: u32 = common::TEST_USERS.len() as u32;

use resettle::demo;
use resettle::storage::{Store, StoreError};
use tempfile::TempDir;

async fn fresh() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = common::open_store(&dir.path().join("nested/folder/resettle.db"))
        .await
        .unwrap();
    (dir, store)
}

#[tokio::test]
async fn a_new_database_is_configured_for_durability() {
    let (_dir, store) = fresh().await;
    match &store {
        Store::Sqlite(file) => {
            assert_eq!(file.pragma("journal_mode").await.unwrap(), "wal");
            assert_eq!(file.pragma("synchronous").await.unwrap(), "2", "FULL");
            assert_eq!(file.pragma("foreign_keys").await.unwrap(), "1");
        }
        // A server's durability is its own configuration; the store must not weaken it
        // for its sessions.
        Store::Postgres(server) => {
            let commit: String = sqlx::query_scalar("SHOW synchronous_commit")
                .fetch_one(server.pool())
                .await
                .unwrap();
            assert_eq!(commit, "on");
        }
    }
    // Empty but for the reference data every database has: the municipalities.
    assert_eq!(
        store.overview().await.unwrap(),
        resettle::domain::Overview {
            municipalities: 98,
            ..Default::default()
        }
    );
}

#[tokio::test]
async fn reopening_runs_no_migration_twice_and_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("resettle.db");
    let store = common::open_store(&path).await.unwrap();
    store.seed_demo(&demo::generate(1), "test").await.unwrap();
    let before = store.overview().await.unwrap();
    store.close().await;
    let store = common::open_store(&path).await.unwrap();
    assert_eq!(store.overview().await.unwrap(), before);
}

#[tokio::test]
async fn the_overview_counts_what_was_seeded() {
    let (_dir, store) = fresh().await;
    let data = demo::generate(demo::DEFAULT_SEED);
    store.seed_demo(&data, "test").await.unwrap();
    let o = store.overview().await.unwrap();
    assert_eq!(o.households as usize, data.households.len());
    assert_eq!(
        o.persons as usize,
        data.households
            .iter()
            .map(|h| h.members.len())
            .sum::<usize>()
    );
    assert_eq!(o.missions, 3);
    assert_eq!(o.municipalities, 98);
    let by = |p| data.households.iter().filter(|h| h.priority == p).count() as u32;
    assert_eq!(
        o.by_priority.emergency,
        by(resettle::domain::Priority::Emergency)
    );
    assert_eq!(o.by_priority.urgent, by(resettle::domain::Priority::Urgent));
    assert_eq!(o.by_priority.normal, by(resettle::domain::Priority::Normal));
    let period = o.period.expect("period");
    assert_eq!(
        (period.start_year, period.end_year, period.total_places),
        (2026, 2028, 1500)
    );
    assert_eq!(store.municipalities().await.unwrap(), data.municipalities);
    assert_eq!(
        store.audit_len().await.unwrap(),
        USERS_AUDITED + 1,
        "the seeding is audited"
    );
}

/// An office that starts from `init` alone, without the demo data: the municipalities are
/// there, so the year's key inputs import and its municipal quotas compute.
#[tokio::test]
async fn a_new_database_holds_the_98_municipalities_and_takes_the_key_inputs() {
    let (_dir, store) = fresh().await;
    let official = resettle::domain::municipality::official_list();
    assert_eq!(official.len(), 98);
    assert_eq!(store.municipalities().await.unwrap(), official);
    assert_eq!(store.overview().await.unwrap().municipalities, 98);
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/key-inputs-2026-synthetic.csv"),
    )
    .unwrap();
    let codes: Vec<u16> = official.iter().map(|m| m.code).collect();
    let inputs = resettle::domain::placement::key_file::read(&text, &codes).unwrap();
    let set = store
        .import_key_inputs(2026, &inputs, "key-inputs-2026-synthetic.csv", true, "test")
        .await
        .unwrap();
    assert_eq!(set.municipalities, 98);
    let quotas = store.compute_quotas(2026, 500, &[], "test").await.unwrap();
    assert_eq!(quotas.len(), 98);
    assert_eq!(quotas.values().sum::<u32>(), 500);
}

#[tokio::test]
async fn demo_data_goes_only_into_an_empty_database_and_a_refusal_writes_nothing() {
    let (_dir, store) = fresh().await;
    store.seed_demo(&demo::generate(1), "test").await.unwrap();
    let before = store.overview().await.unwrap();
    let err = store
        .seed_demo(&demo::generate(2), "test")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotEmpty {
                households: 150,
                missions: 3
            }
        ),
        "{err}"
    );
    assert_eq!(store.overview().await.unwrap(), before);
    assert_eq!(store.audit_len().await.unwrap(), USERS_AUDITED + 1);
}

#[tokio::test]
async fn a_failing_seed_leaves_nothing_half_written() {
    let (_dir, store) = fresh().await;
    let before = store.overview().await.unwrap();
    assert_eq!((before.households, before.missions), (0, 0));
    let mut data = demo::generate(3);
    // Two households with one case number: the second insert fails inside the transaction.
    let dup = data.households[0].unhcr_case_no.clone();
    data.households[100].unhcr_case_no = dup;
    assert!(store.seed_demo(&data, "test").await.is_err());
    assert_eq!(store.overview().await.unwrap(), before);
    assert_eq!(store.audit_len().await.unwrap(), USERS_AUDITED);
}

#[tokio::test]
async fn the_schema_refuses_orphans_and_audit_edits() {
    let (_dir, store) = fresh().await;
    store.seed_demo(&demo::generate(1), "test").await.unwrap();
    let orphan = common::on_pool!(store, |pool| {
        sqlx::query(
        "INSERT INTO persons (id, case_id, position, relationship, given_name, family_name, sex,
                              date_of_birth, languages, literate, education_years)
         VALUES ('p', 'no-such-case', 0, 'principal', 'A', 'B', 'F', '1990-01-01', 'ar', TRUE, 5)",
    )
    .execute(pool)
    .await.map(|_| ())
    });
    assert!(orphan.is_err(), "foreign keys are enforced");
    let update = common::on_pool!(store, |pool| sqlx::query(
        "UPDATE audit_log SET actor = 'someone else'"
    )
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = common::on_pool!(store, |pool| sqlx::query("DELETE FROM audit_log")
        .execute(pool)
        .await
        .map(|_| ()));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    // PostgreSQL's TRUNCATE fires no row trigger: the append-only tables refuse it too.
    if let Store::Postgres(server) = &store {
        for table in [
            "audit_log",
            "quota_entries",
            "decisions",
            "consents",
            "users",
        ] {
            let truncate = sqlx::query(&format!("TRUNCATE {table} CASCADE"))
                .execute(server.pool())
                .await;
            let err = truncate.unwrap_err().to_string();
            assert!(err.contains("never truncated"), "{table}: {err}");
        }
    }
    assert_eq!(store.audit_len().await.unwrap(), USERS_AUDITED + 1);
}

#[tokio::test]
async fn the_idle_lock_is_ten_minutes_until_set_and_refuses_zero() {
    let (_dir, store) = fresh().await;
    assert_eq!(store.idle_lock_minutes().await.unwrap(), 10);
    let entries = store.audit_len().await.unwrap();
    let err = store.set_idle_lock_minutes(0, "test").await.unwrap_err();
    assert_eq!(err.code(), Some("idle_lock_range"));
    assert_eq!(err.field(), Some("idle_lock"));
    assert_eq!(
        store.audit_len().await.unwrap(),
        entries,
        "a refusal writes nothing"
    );
    store.set_idle_lock_minutes(5, "test").await.unwrap();
    assert_eq!(store.idle_lock_minutes().await.unwrap(), 5);
    assert_eq!(store.audit_len().await.unwrap(), entries + 1);
}
