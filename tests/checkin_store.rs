//! A mission out to a laptop database and back to the office, both real files (SQLite, or
//! SQLCipher with RESETTLE_TEST_STORE=sqlcipher): field work the office lacks arrives,
//! what only one side changed is taken, what both changed waits for a quota manager, the
//! same return twice changes nothing, and a refused return writes nothing.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use resettle::bundle;
use resettle::demo;
use resettle::domain::access::{Role, User};
use resettle::domain::audit::ChainCheck;
use resettle::domain::checkin::{ConflictKind, Needs, Side};
use resettle::domain::consent::ReleaseItem;
use resettle::domain::decision::{DecisionRequest, Verdict};
use resettle::domain::screening::{ExclusionGround, FlagResolution};
use resettle::domain::{CaseStatus, Household};
use resettle::storage::{Store, StoreError};
use tempfile::TempDir;
use uuid::Uuid;

const OFFICE: &str = "test";
const LAPTOP: &str = "kim";

struct World {
    _dir: TempDir,
    office: Store,
    laptop: Store,
    mission: Uuid,
    /// The mission's cases still submitted, by number.
    submitted: Vec<String>,
}

fn today() -> NaiveDate {
    demo::reference_date()
}

/// The demo world at the office, its largest mission checked out and received.
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
    let mission = data.missions[0].id;
    // The demo's missions hold interviewed and accepted cases; six submitted (dossier)
    // cases join the first, so that the field work has cases to move on.
    let submitted: Vec<String> = data
        .households
        .iter()
        .filter(|h| h.status == CaseStatus::Submitted && h.members.len() >= 2)
        .take(6)
        .map(|h| h.unhcr_case_no.clone())
        .collect();
    assert_eq!(submitted.len(), 6);
    office
        .attach_cases(mission, &submitted, OFFICE)
        .await
        .unwrap();
    let prepared = office
        .prepare_checkout(mission, &laptop_key, OFFICE)
        .await
        .unwrap();
    office.record_checkout(&prepared, OFFICE).await.unwrap();
    laptop
        .receive_checkout(&prepared.bytes, LAPTOP)
        .await
        .unwrap();
    World {
        _dir: dir,
        office,
        laptop,
        mission,
        submitted,
    }
}

async fn interview(store: &Store, case: &str) {
    store
        .record_interview(
            case,
            today(),
            "Kim Berg",
            "FIELD-NOTE",
            BTreeMap::from([("network".to_owned(), "some".to_owned())]),
            today(),
            LAPTOP,
        )
        .await
        .unwrap();
}

fn caseworker(name: &str) -> User {
    User {
        name: name.to_owned(),
        roles: [Role::Caseworker].into_iter().collect(),
        export: false,
        confidential: false,
        active: true,
    }
}

fn needs(text: &str) -> Needs {
    Needs {
        special_needs: Some(text.into()),
        tom_patient: false,
    }
}

/// The laptop's return, recorded as sent.
async fn make_return(w: &World) -> Vec<u8> {
    let prepared = w.laptop.prepare_return(w.mission, LAPTOP).await.unwrap();
    w.laptop.record_return(&prepared, LAPTOP).await.unwrap();
    prepared.bytes
}

async fn footprint(store: &Store) -> Vec<i64> {
    common::row_counts(
        store,
        &[
            "audit_log",
            "cases",
            "persons",
            "interviews",
            "scores",
            "screening_flags",
            "decisions",
            "decision_members",
            "declarations",
            "orientation_attendance",
            "consents",
            "case_transitions",
            "quota_entries",
            "mission_bundles",
            "checkin_conflicts",
            "laptop_heads",
        ],
    )
    .await
}

/// Everything either side may change of the households, in one comparable value.
async fn state(store: &Store, case: &str) -> Household {
    store.household(case).await.unwrap()
}

async fn count(store: &Store, sql: &str) -> i64 {
    common::on_pool!(store, |pool| sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .unwrap())
}

fn code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    r.expect_err("refused")
        .code()
        .unwrap_or("(none)")
        .to_owned()
}

#[tokio::test]
async fn field_work_comes_home_and_the_same_return_twice_changes_nothing() {
    let w = world().await;
    let [a, b, c, ..] = w.submitted.as_slice() else {
        unreachable!()
    };
    // In the field: an interview (the case moves to interviewed), a consent, a member's
    // attendance and a member's medical needs, on three cases.
    interview(&w.laptop, a).await;
    w.laptop
        .record_consent(b, vec![ReleaseItem::SpecialNeeds], "ar", LAPTOP)
        .await
        .unwrap();
    let member = state(&w.laptop, a).await.members[1].id;
    w.laptop
        .record_attendance(member, 7, 9, LAPTOP)
        .await
        .unwrap();
    w.laptop
        .set_medical_needs(c, 2, &needs("insulin; needs a fridge"), LAPTOP)
        .await
        .unwrap();
    let bytes = make_return(&w).await;

    let done = w.office.check_in(&bytes, OFFICE).await.unwrap();
    assert!(!done.already_checked_in);
    assert_eq!(done.conflicts, 0, "{done:?}");
    assert_eq!(done.fields_taken, 2, "a's status and c's needs: {done:?}");
    assert_eq!(
        done.records_added, 3,
        "interview, consent, attendance: {done:?}"
    );
    // The office now holds the households as the laptop does, and the field work.
    for case in [a, b, c] {
        assert_eq!(state(&w.office, case).await, state(&w.laptop, case).await);
    }
    assert_eq!(state(&w.office, a).await.status, CaseStatus::Examined);
    assert_eq!(
        state(&w.office, c).await.members[1]
            .special_needs
            .as_deref(),
        Some("insulin; needs a fridge")
    );
    let notes: String = common::on_pool!(w.office, |pool| {
        sqlx::query_scalar(
        "SELECT notes FROM interviews i JOIN cases c ON c.id = i.case_id WHERE c.unhcr_case_no = $1",
    )
    .bind(a)
    .fetch_one(pool)
    .await
    .unwrap()
    });
    assert_eq!(notes, "FIELD-NOTE");
    assert_eq!(
        count(&w.office, "SELECT COUNT(*) FROM orientation_attendance").await,
        1
    );
    assert!(matches!(
        w.office.verify_audit().await.unwrap(),
        ChainCheck::Intact { .. }
    ));

    // The same return again: nothing.
    let before = footprint(&w.office).await;
    let again = w.office.check_in(&bytes, OFFICE).await.unwrap();
    assert!(again.already_checked_in);
    assert_eq!(footprint(&w.office).await, before);

    // A later return of the same check-out with nothing new adds nothing but its record.
    let later = make_return(&w).await;
    let done = w.office.check_in(&later, OFFICE).await.unwrap();
    assert_eq!(
        (done.fields_taken, done.records_added, done.conflicts),
        (0, 0, 0),
        "{done:?}"
    );
    let after = footprint(&w.office).await;
    let differs: Vec<usize> = (0..before.len())
        .filter(|&i| before[i] != after[i])
        .collect();
    // audit_log, mission_bundles and the laptop's chain head, one row each.
    assert_eq!(differs, vec![0, 13, 15]);
    assert_eq!(after[0], before[0] + 1);
    assert_eq!(after[13], before[13] + 1);
    assert_eq!(after[15], before[15] + 1);
}

#[tokio::test]
async fn what_both_sides_changed_waits_for_a_quota_manager_side_by_side() {
    let w = world().await;
    let [a, b, d, e, ..] = w.submitted.as_slice() else {
        unreachable!()
    };
    // Both sides change member 1's medical needs of case a, differently.
    w.office
        .set_medical_needs(a, 1, &needs("wheelchair user"), OFFICE)
        .await
        .unwrap();
    w.laptop
        .set_medical_needs(a, 1, &needs("dialysis twice a week"), LAPTOP)
        .await
        .unwrap();
    // Both record a consent for case b.
    w.office
        .record_consent(b, vec![ReleaseItem::SpecialNeeds], "da", OFFICE)
        .await
        .unwrap();
    w.laptop
        .record_consent(b, vec![ReleaseItem::SpecialNeeds], "ar", LAPTOP)
        .await
        .unwrap();
    // The laptop examines and rejects case d (a laptop holds no quota, so it cannot
    // accept: acceptances are the office's), and examines e, which the office meanwhile
    // withdrew.
    interview(&w.laptop, d).await;
    let request = DecisionRequest {
        verdict: Verdict::Reject,
        by: "Ane Holm".into(),
        reasons: "does not meet the conditions, seen in the field".into(),
        accepted: None,
    };
    let field_decision = w
        .laptop
        .decide_case(d, request, None, today(), LAPTOP)
        .await
        .unwrap()
        .decision;
    interview(&w.laptop, e).await;
    w.office
        .move_case(
            e,
            CaseStatus::Withdrawn,
            today(),
            &resettle::storage::Change {
                author: OFFICE,
                reason: "the family withdrew by telephone",
            },
        )
        .await
        .unwrap();
    let office_a = state(&w.office, a).await;
    let office_consents = count(&w.office, "SELECT COUNT(*) FROM consents").await;
    let entries = count(&w.office, "SELECT COUNT(*) FROM quota_entries").await;
    let decisions = count(&w.office, "SELECT COUNT(*) FROM decisions").await;

    let bytes = make_return(&w).await;
    let done = w.office.check_in(&bytes, OFFICE).await.unwrap();
    assert_eq!(done.conflicts, 4, "{done:?}");
    // Nothing of the four was settled by itself.
    assert_eq!(state(&w.office, a).await, office_a);
    assert_eq!(
        count(&w.office, "SELECT COUNT(*) FROM consents").await,
        office_consents
    );
    assert_eq!(state(&w.office, d).await.status, CaseStatus::Examined);
    assert_eq!(
        count(&w.office, "SELECT COUNT(*) FROM decisions").await,
        decisions
    );
    assert_eq!(
        count(&w.office, "SELECT COUNT(*) FROM quota_entries").await,
        entries
    );
    assert_eq!(state(&w.office, e).await.status, CaseStatus::Withdrawn);

    let open = w.office.conflicts(false, OFFICE).await.unwrap();
    let kinds: Vec<(String, ConflictKind)> =
        open.iter().map(|c| (c.case_no.clone(), c.kind)).collect();
    for want in [
        (a.clone(), ConflictKind::MedicalNeeds),
        (b.clone(), ConflictKind::Consent),
        (d.clone(), ConflictKind::Decision),
        (e.clone(), ConflictKind::Status),
    ] {
        assert!(kinds.contains(&want), "{want:?} in {kinds:?}");
    }
    let medical = open
        .iter()
        .find(|c| c.kind == ConflictKind::MedicalNeeds)
        .unwrap();
    assert_eq!(medical.subject, "member 1");
    let value = |lines: &[resettle::storage::Line], field: &str| {
        lines
            .iter()
            .find(|l| l.field == field)
            .map(|l| l.value.clone())
    };
    assert_eq!(
        value(&medical.office, "special_needs").as_deref(),
        Some("wheelchair user")
    );
    assert_eq!(
        value(&medical.laptop, "special_needs").as_deref(),
        Some("dialysis twice a week")
    );

    // A field decision is shown by its verdict and reasons, without row IDs.
    let decision = open
        .iter()
        .find(|c| c.kind == ConflictKind::Decision)
        .unwrap();
    assert_eq!(
        value(&decision.laptop, "decision.verdict").as_deref(),
        Some("reject")
    );
    assert!(
        decision.laptop.iter().all(|l| !l.field.ends_with("id")),
        "{:?}",
        decision.laptop
    );

    // Only a quota manager resolves; a refusal writes nothing.
    w.office.add_user(&caseworker("cw"), OFFICE).await.unwrap();
    let before = footprint(&w.office).await;
    assert_eq!(
        code(
            w.office
                .resolve_conflict(medical.id, Side::Laptop, today(), "cw")
                .await
        ),
        "forbidden"
    );
    assert_eq!(footprint(&w.office).await, before);

    // The laptop's needs taken; the office's consent kept; the field decision confirmed
    // under the field's ID; the office's withdrawal kept.
    w.office
        .resolve_conflict(medical.id, Side::Laptop, today(), OFFICE)
        .await
        .unwrap();
    assert_eq!(
        state(&w.office, a).await.members[0]
            .special_needs
            .as_deref(),
        Some("dialysis twice a week")
    );
    assert_eq!(
        code(
            w.office
                .resolve_conflict(medical.id, Side::Office, today(), OFFICE)
                .await
        ),
        "conflict_resolved"
    );
    let by_kind = |k: ConflictKind| open.iter().find(|c| c.kind == k).unwrap().id;
    w.office
        .resolve_conflict(
            by_kind(ConflictKind::Consent),
            Side::Office,
            today(),
            OFFICE,
        )
        .await
        .unwrap();
    assert_eq!(
        count(&w.office, "SELECT COUNT(*) FROM consents").await,
        office_consents
    );
    w.office
        .resolve_conflict(
            by_kind(ConflictKind::Decision),
            Side::Laptop,
            today(),
            OFFICE,
        )
        .await
        .unwrap();
    assert_eq!(state(&w.office, d).await.status, CaseStatus::Rejected);
    let id: String = common::on_pool!(w.office, |pool| {
        sqlx::query_scalar(
        "SELECT d.id FROM decisions d JOIN cases c ON c.id = d.case_id WHERE c.unhcr_case_no = $1",
    )
    .bind(d)
    .fetch_one(pool)
    .await
    .unwrap()
    });
    assert_eq!(id, field_decision.id.to_string());
    assert_eq!(
        count(&w.office, "SELECT COUNT(*) FROM quota_entries").await,
        entries
    );
    // Taking the laptop's "interviewed" for a withdrawn case is refused by the workflow
    // and leaves the conflict open.
    let status = by_kind(ConflictKind::Status);
    assert_eq!(
        code(
            w.office
                .resolve_conflict(status, Side::Laptop, today(), OFFICE)
                .await
        ),
        "transition_not_allowed"
    );
    w.office
        .resolve_conflict(status, Side::Office, today(), OFFICE)
        .await
        .unwrap();
    assert!(w.office.conflicts(false, OFFICE).await.unwrap().is_empty());
    assert_eq!(w.office.conflicts(true, OFFICE).await.unwrap().len(), 4);
    assert!(matches!(
        w.office.verify_audit().await.unwrap(),
        ChainCheck::Intact { .. }
    ));

    // A later return of the same work raises none of them again.
    let later = make_return(&w).await;
    let done = w.office.check_in(&later, OFFICE).await.unwrap();
    assert_eq!(done.conflicts, 0, "{done:?}");
}

#[tokio::test]
async fn refused_returns_write_nothing() {
    let w = world().await;
    let [a, ..] = w.submitted.as_slice() else {
        unreachable!()
    };
    interview(&w.laptop, a).await;
    let prepared = w.laptop.prepare_return(w.mission, LAPTOP).await.unwrap();
    w.office.add_user(&caseworker("cw"), OFFICE).await.unwrap();
    let before = footprint(&w.office).await;

    // Only someone who may check missions out checks them in.
    assert_eq!(
        code(w.office.check_in(&prepared.bytes, "cw").await),
        "forbidden"
    );

    // A return forged with the office's public key but without the check-out's token.
    let office_key = w.office.bundle_recipient().await.unwrap().unwrap();
    let mut forged = prepared.ret.clone();
    forged.id = Uuid::new_v4();
    forged.token = "00".repeat(32);
    let sealed = bundle::seal_return(&forged, &office_key).unwrap();
    assert_eq!(
        code(w.office.check_in(&sealed, OFFICE).await),
        "bundle_refused"
    );

    // A return for a check-out this office never made.
    let mut stray = prepared.ret.clone();
    stray.id = Uuid::new_v4();
    stray.checkout = Uuid::new_v4();
    let sealed = bundle::seal_return(&stray, &office_key).unwrap();
    assert_eq!(
        code(w.office.check_in(&sealed, OFFICE).await),
        "bundle_refused"
    );

    // A laptop that changed a member's registration data: refused whole, naming the case,
    // although every other household is fine.
    let mut renamed = prepared.ret.clone();
    renamed.id = Uuid::new_v4();
    renamed.households[0].household.members[0]
        .family_name
        .push_str("-x");
    let sealed = bundle::seal_return(&renamed, &office_key).unwrap();
    let e = w.office.check_in(&sealed, OFFICE).await.unwrap_err();
    assert_eq!(e.code(), Some("bundle_refused"));
    assert!(e
        .to_string()
        .contains(&renamed.households[0].household.unhcr_case_no));

    // A byte flipped; a return sealed to the laptop itself; a check-out given as a return.
    let mut flipped = prepared.bytes.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 1;
    assert_eq!(
        code(w.office.check_in(&flipped, OFFICE).await),
        "bundle_damaged"
    );
    let laptop_key = w.laptop.bundle_recipient().await.unwrap().unwrap();
    let to_laptop = bundle::seal_return(&prepared.ret, &laptop_key).unwrap();
    assert_eq!(
        code(w.office.check_in(&to_laptop, OFFICE).await),
        "bundle_not_for_us"
    );
    assert_eq!(footprint(&w.office).await, before, "nothing written");

    // The laptop cannot read its own return back, and the office has nothing to return.
    assert_eq!(
        code(w.laptop.check_in(&prepared.bytes, LAPTOP).await),
        "bundle_not_for_us"
    );
    assert_eq!(
        code(w.office.prepare_return(w.mission, OFFICE).await),
        "no_checkout"
    );
    // The genuine return is then checked in.
    let done = w.office.check_in(&prepared.bytes, OFFICE).await.unwrap();
    assert_eq!(done.fields_taken, 1);
}

/// A row both sides changed (a screening flag the field and the office decided
/// differently) waits as a record conflict with both rows side by side. A decided flag is
/// never changed, so the laptop's side is refused by name, changing nothing, and the
/// office's decision stands.
#[tokio::test]
async fn a_flag_both_sides_decided_waits_and_only_the_offices_decision_can_stand() {
    let w = world().await;
    let case = &w.submitted[0];
    let flag = w
        .laptop
        .raise_flag(case, ExclusionGround::Security, "FIELD-FLAG", LAPTOP)
        .await
        .unwrap();
    w.office
        .check_in(&make_return(&w).await, OFFICE)
        .await
        .unwrap();
    w.office
        .decide_flag(
            case,
            flag.id,
            FlagResolution::Excluded,
            "Office Lead",
            "OFFICE-REASON",
            OFFICE,
        )
        .await
        .unwrap();
    w.laptop
        .decide_flag(
            case,
            flag.id,
            FlagResolution::Cleared,
            "Kim Berg",
            "FIELD-REASON",
            LAPTOP,
        )
        .await
        .unwrap();
    let done = w
        .office
        .check_in(&make_return(&w).await, OFFICE)
        .await
        .unwrap();
    assert_eq!(done.conflicts, 1, "{done:?}");
    let conflicts = w.office.conflicts(false, OFFICE).await.unwrap();
    let record = conflicts
        .iter()
        .find(|c| c.kind == ConflictKind::Record)
        .expect("a record conflict");
    assert!(
        record.office.iter().any(|l| l.value == "OFFICE-REASON"),
        "{record:?}"
    );
    assert!(
        record.laptop.iter().any(|l| l.value == "FIELD-REASON"),
        "{record:?}"
    );
    let sql = format!(
        "SELECT decision_reason FROM screening_flags WHERE id = '{}'",
        flag.id
    );
    let reason = |store: &Store| {
        let sql = sql.clone();
        let store = store.clone();
        async move {
            common::on_pool!(&store, |pool| sqlx::query_scalar::<_, String>(&sql)
                .fetch_one(pool)
                .await
                .unwrap())
        }
    };
    assert_eq!(reason(&w.office).await, "OFFICE-REASON");
    let before = footprint(&w.office).await;
    let refused = w
        .office
        .resolve_conflict(record.id, Side::Laptop, today(), OFFICE)
        .await
        .expect_err("a decided flag is final");
    assert_eq!(refused.code(), Some("office_row_final"));
    assert!(
        refused.to_string().contains(&flag.id.to_string()),
        "{refused}"
    );
    assert_eq!(footprint(&w.office).await, before);
    assert_eq!(reason(&w.office).await, "OFFICE-REASON");
    w.office
        .resolve_conflict(record.id, Side::Office, today(), OFFICE)
        .await
        .unwrap();
    assert_eq!(reason(&w.office).await, "OFFICE-REASON");
    assert!(w.office.conflicts(false, OFFICE).await.unwrap().is_empty());
}

/// A laptop put back to an older copy of itself (after a return was checked in) cannot
/// check in again: its log no longer holds the head the office recorded. The laptop that
/// kept working can.
#[tokio::test]
async fn a_laptop_restored_from_an_older_copy_is_refused_at_check_in() {
    let w = world().await;
    let [a, b, ..] = w.submitted.as_slice() else {
        unreachable!()
    };
    // The laptop's file as it is now, kept aside (with its key file when encrypted),
    // then the field work the office will receive. (A copy taken at the very moment of a
    // return holds everything the office received, and is no loss to it.)
    let World {
        _dir: dir,
        office,
        laptop,
        mission,
        ..
    } = w;
    laptop.close().await;
    let path = dir.path().join("laptop.db");
    let older = dir.path().join("older.db");
    std::fs::copy(&path, &older).unwrap();
    let key = resettle::storage::cipher::key_file_path(&path);
    if key.exists() {
        std::fs::copy(&key, resettle::storage::cipher::key_file_path(&older)).unwrap();
    }
    let laptop = common::open_laptop(&path).await.unwrap();
    interview(&laptop, a).await;
    let first = laptop.prepare_return(mission, LAPTOP).await.unwrap();
    laptop.record_return(&first, LAPTOP).await.unwrap();
    office.check_in(&first.bytes, OFFICE).await.unwrap();

    // The older copy makes a return of its own: refused whole.
    let restored = common::open_laptop(&older).await.unwrap();
    interview(&restored, b).await;
    let stale = restored.prepare_return(mission, LAPTOP).await.unwrap();
    let before = footprint(&office).await;
    assert_eq!(
        code(office.check_in(&stale.bytes, OFFICE).await),
        "laptop_rolled_back"
    );
    assert_eq!(footprint(&office).await, before, "nothing was written");

    // The laptop that kept its log checks in again.
    interview(&laptop, b).await;
    let second = laptop.prepare_return(mission, LAPTOP).await.unwrap();
    office.check_in(&second.bytes, OFFICE).await.unwrap();
    assert_eq!(count(&office, "SELECT COUNT(*) FROM laptop_heads").await, 2);
}
