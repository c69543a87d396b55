//! A mission checked out from an office database to a laptop database, both real files
//! (SQLite, or SQLCipher with RESETTLE_TEST_STORE=sqlcipher): what arrives, that the same
//! bundle twice changes nothing, and that every refusal writes nothing on either side.

mod common;

use resettle::demo;
use resettle::domain::access::{Role, User};
use resettle::domain::decision::{DecisionRequest, Verdict};
use resettle::domain::Household;
use resettle::exports::write_recorded;
use resettle::storage::{Store, StoreError};
use tempfile::TempDir;
use uuid::Uuid;

const OFFICE: &str = "test";
const LAPTOP: &str = "kim";

struct World {
    dir: TempDir,
    office: Store,
    laptop: Store,
    mission: Uuid,
    laptop_key: String,
}

async fn world() -> World {
    let dir = TempDir::new().unwrap();
    let office = common::open_store(&dir.path().join("office.db"))
        .await
        .unwrap();
    let data = demo::generate(demo::DEFAULT_SEED);
    office.seed_demo(&data, OFFICE).await.unwrap();
    office.init_bundle_key(OFFICE).await.unwrap();
    let laptop = common::open_laptop(&dir.path().join("laptop.db"))
        .await
        .unwrap();
    let laptop_key = laptop.init_bundle_key(LAPTOP).await.unwrap();
    // The mission with the most households.
    let mission = data
        .missions
        .iter()
        .max_by_key(|m| {
            data.households
                .iter()
                .filter(|h| h.mission_id == Some(m.id))
                .count()
        })
        .unwrap()
        .id;
    World {
        dir,
        office,
        laptop,
        mission,
        laptop_key,
    }
}

async fn checkout(w: &World) -> Vec<u8> {
    let prepared = w
        .office
        .prepare_checkout(w.mission, &w.laptop_key, OFFICE)
        .await
        .unwrap();
    w.office.record_checkout(&prepared, OFFICE).await.unwrap();
    prepared.bytes
}

async fn households_of(store: &Store, mission: Uuid) -> Vec<Household> {
    let numbers: Vec<String> = common::on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT unhcr_case_no FROM cases WHERE mission_id = $1 ORDER BY unhcr_case_no",
    )
    .bind(mission.to_string())
    .fetch_all(pool)
    .await
    .unwrap());
    let mut out = Vec::new();
    for n in numbers {
        out.push(store.household(&n).await.unwrap());
    }
    out
}

async fn footprint(store: &Store) -> Vec<i64> {
    common::row_counts(
        store,
        &[
            "audit_log",
            "missions",
            "cases",
            "persons",
            "rubric_versions",
            "mission_bundles",
            "checkout_households",
        ],
    )
    .await
}

fn code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    r.expect_err("refused")
        .code()
        .unwrap_or("(none)")
        .to_owned()
}

#[tokio::test]
async fn a_mission_goes_out_whole_and_a_second_receipt_changes_nothing() {
    let w = world().await;
    let bytes = checkout(&w).await;
    let sent = households_of(&w.office, w.mission).await;
    assert!(sent.len() > 10, "{} households", sent.len());

    let got = w.laptop.receive_checkout(&bytes, LAPTOP).await.unwrap();
    assert!(!got.already_received);
    assert_eq!(got.households as usize, sent.len());
    assert_eq!(got.mission, w.mission);
    assert_eq!(households_of(&w.laptop, w.mission).await, sent);
    assert_eq!(
        w.laptop.mission(w.mission).await.unwrap(),
        w.office.mission(w.mission).await.unwrap()
    );
    assert_eq!(
        w.laptop.rubric(LAPTOP).await.unwrap(),
        w.office.rubric(OFFICE).await.unwrap()
    );
    // The office keeps each household's state at check-out, for the check-in.
    let kept: i64 = common::on_pool!(w.office, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM checkout_households"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(kept as usize, sent.len());

    let before = footprint(&w.laptop).await;
    let again = w.laptop.receive_checkout(&bytes, LAPTOP).await.unwrap();
    assert!(again.already_received);
    assert_eq!(again.households, 0);
    assert_eq!(footprint(&w.laptop).await, before, "nothing changed");

    // A second check-out of the same, unchanged mission: every household is already
    // there as it is, and the new bundle is recorded.
    let second = checkout(&w).await;
    let got = w.laptop.receive_checkout(&second, LAPTOP).await.unwrap();
    assert_eq!((got.households, got.unchanged as usize), (0, sent.len()));
}

#[tokio::test]
async fn refused_bundles_write_nothing() {
    let w = world().await;
    let bytes = checkout(&w).await;
    let laptop_before = footprint(&w.laptop).await;

    // Damaged in transit.
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    assert_eq!(
        code(w.laptop.receive_checkout(&damaged, LAPTOP).await),
        "bundle_damaged"
    );
    assert_eq!(footprint(&w.laptop).await, laptop_before);
    // The office cannot read back what it sent.
    let office_before = footprint(&w.office).await;
    assert_eq!(
        code(w.office.receive_checkout(&bytes, OFFICE).await),
        "bundle_not_for_us"
    );
    assert_eq!(footprint(&w.office).await, office_before);
    // A database without a key, and a user who may not record fieldwork.
    let keyless = common::open_store(&w.dir.path().join("keyless.db"))
        .await
        .unwrap();
    assert_eq!(
        code(keyless.receive_checkout(&bytes, LAPTOP).await),
        "no_bundle_key"
    );
    let admin_only = User {
        name: "admin-only".into(),
        roles: [Role::Administrator].into(),
        export: false,
        confidential: false,
        active: true,
    };
    w.laptop.add_user(&admin_only, LAPTOP).await.unwrap();
    let laptop_before = footprint(&w.laptop).await;
    assert_eq!(
        code(w.laptop.receive_checkout(&bytes, "admin-only").await),
        "forbidden"
    );
    assert_eq!(footprint(&w.laptop).await, laptop_before);

    // Received; then the office defers one of the cases and checks the mission out
    // again. The laptop's copy of that case no longer matches, and the whole later bundle
    // is refused: the laptop never overwrites what it holds.
    w.laptop.receive_checkout(&bytes, LAPTOP).await.unwrap();
    let case: String = common::on_pool!(w.office, |pool| {
        sqlx::query_scalar(
        "SELECT unhcr_case_no FROM cases WHERE mission_id = $1 AND status = 'interviewed' LIMIT 1",
    )
    .bind(w.mission.to_string())
    .fetch_one(pool)
    .await
    .unwrap()
    });
    let request = DecisionRequest {
        verdict: Verdict::Defer,
        by: "Ane Holm".into(),
        reasons: "a medical report is awaited".into(),
        accepted: None,
    };
    w.office
        .decide_case(&case, request, None, demo::reference_date(), OFFICE)
        .await
        .unwrap();
    let later = checkout(&w).await;
    let before = footprint(&w.laptop).await;
    let e = w
        .laptop
        .receive_checkout(&later, LAPTOP)
        .await
        .expect_err("refused");
    assert_eq!(e.code(), Some("bundle_refused"));
    assert!(e.to_string().contains(&case), "{e}");
    assert_eq!(footprint(&w.laptop).await, before);
}

#[tokio::test]
async fn a_checkout_is_the_office_s_and_is_recorded_only_with_its_file() {
    let w = world().await;
    let caseworker = User {
        name: "cw".into(),
        roles: [Role::Caseworker].into(),
        export: true,
        confidential: false,
        active: true,
    };
    w.office.add_user(&caseworker, OFFICE).await.unwrap();
    let before = footprint(&w.office).await;
    assert_eq!(
        code(
            w.office
                .prepare_checkout(w.mission, &w.laptop_key, "cw")
                .await
        ),
        "forbidden"
    );
    assert_eq!(
        code(
            w.office
                .prepare_checkout(w.mission, "age1notakey", OFFICE)
                .await
        ),
        "bad_recipient"
    );
    assert_eq!(
        code(
            w.office
                .prepare_checkout(Uuid::new_v4(), &w.laptop_key, OFFICE)
                .await
        ),
        "no_such_mission"
    );
    // The file cannot be written: no check-out is recorded.
    let prepared = w
        .office
        .prepare_checkout(w.mission, &w.laptop_key, OFFICE)
        .await
        .unwrap();
    let nowhere = w.dir.path().join("no/such/folder/m.age");
    assert!(write_recorded(
        &nowhere,
        &prepared.bytes,
        w.office.record_checkout(&prepared, OFFICE)
    )
    .await
    .is_err());
    assert_eq!(footprint(&w.office).await, before);
    let out = w.dir.path().join("m.age");
    write_recorded(
        &out,
        &prepared.bytes,
        w.office.record_checkout(&prepared, OFFICE),
    )
    .await
    .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), prepared.bytes);
    assert_ne!(footprint(&w.office).await, before);
}

/// Gives `name` the confidential grant, as the database's first user (an administrator).
async fn grant_confidential(store: &Store, name: &str) {
    let mut user = store.user(name).await.unwrap().unwrap();
    user.confidential = true;
    store.update_user(&user, OFFICE).await.unwrap();
}

#[tokio::test]
async fn confidential_member_information_stays_at_the_office() {
    let w = world().await;
    let marker = "CONFIDENTIAL-MARK-bundle-51f0";
    let case = households_of(&w.office, w.mission).await[0]
        .unhcr_case_no
        .clone();
    grant_confidential(&w.office, OFFICE).await;
    w.office
        .set_confidential_note(&case, 1, Some(marker), OFFICE)
        .await
        .unwrap();
    let bytes = checkout(&w).await;
    w.laptop.receive_checkout(&bytes, LAPTOP).await.unwrap();

    // The check-out carried no note: the laptop has none, and nothing of the case holds it.
    let on_laptop: i64 = common::on_pool!(w.laptop, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM confidential_notes"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(on_laptop, 0);
    let household = serde_json::to_string(&w.laptop.household(&case).await.unwrap()).unwrap();
    assert!(!household.contains(marker));

    // Recorded on the laptop it would never come back, so it is refused there, by name.
    grant_confidential(&w.laptop, LAPTOP).await;
    let before = footprint(&w.laptop).await;
    let refused = w
        .laptop
        .set_confidential_note(&case, 1, Some("told in the field"), LAPTOP)
        .await
        .expect_err("refused in the field");
    assert_eq!(refused.code(), Some("confidential_in_the_field"));
    assert!(refused.to_string().contains(&case), "{refused}");
    assert_eq!(footprint(&w.laptop).await, before, "nothing written");
}
