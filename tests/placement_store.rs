//! Placement on a real SQLite database, from the demo world (synthetic key inputs, the
//! 2026 quotas by the key, capacities, profiles and twelve accepted households): batch
//! proposals within the quotas and capacities, moves by hand checked like the solver's
//! constraints, link groups, the consultation workflow, and refusals that write nothing.

mod common;

use std::collections::BTreeMap;

use resettle::demo;
use resettle::domain::placement::profile::PlacementProfile;
use resettle::domain::placement::proposal::{ProposalMethod, ProposalStatus};
use resettle::placement;
use resettle::session::Session;
use resettle::solver::SolveOptions;
use resettle::storage::{Batch, Store, StoreError};
use tempfile::TempDir;

const YEAR: i32 = 2026;
const QM: &str = "ane";

async fn world() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let store = common::open_store(&dir.path().join("p.db")).await.unwrap();
    let data = demo::generate(demo::DEFAULT_SEED);
    store.seed_demo(&data, "test").await.unwrap();
    store
        .seed_placement_demo(&data.placement, "test")
        .await
        .unwrap();
    (dir, store)
}

async fn propose(store: &Store, batch: Batch) -> Result<resettle::storage::Proposed, StoreError> {
    placement::propose(
        store,
        &Session::local(QM),
        YEAR,
        &batch,
        ProposalMethod::Optimal,
        &SolveOptions::default(),
    )
    .await
}

async fn count(store: &Store, table: &str) -> i64 {
    common::on_pool!(store, |pool| sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {table}"
    ))
    .fetch_one(pool)
    .await
    .unwrap())
}

/// Every municipality's persons and capacities in use stay within its quota and units.
async fn assert_within_limits(store: &Store) {
    for m in store.municipality_quotas(YEAR).await.unwrap() {
        assert!(m.left >= 0, "{} over its quota: {m:?}", m.code);
        for c in &m.capacities {
            assert!(
                c.used <= c.units,
                "{} over its {}: {c:?}",
                m.code,
                c.capacity
            );
        }
    }
}

#[tokio::test]
async fn a_batch_is_proposed_within_the_quotas_and_the_table_adds_up() {
    let (_dir, store) = world().await;
    let set = store.key_input_set(YEAR).await.unwrap().unwrap();
    assert!(set.synthetic, "the demo's key inputs are marked synthetic");
    assert_eq!(set.municipalities, 98);
    let pool = store.placement_pool().await.unwrap();
    assert_eq!(pool.len(), 12);
    let persons: u32 = pool.iter().map(|p| p.persons).sum();

    let proposed = propose(&store, Batch::Accepted).await.unwrap();
    assert_eq!(proposed.proposals.len(), 12);
    assert!(proposed.proven_optimal);
    assert!(proposed.gap.unwrap() < 1e-6);
    assert!(proposed
        .proposals
        .iter()
        .all(|p| p.status == ProposalStatus::Proposed && !p.reasons.is_empty()));
    let table = store.municipality_quotas(YEAR).await.unwrap();
    assert_eq!(table.iter().map(|m| m.used).sum::<u32>(), persons);
    assert_eq!(table.iter().filter_map(|m| m.quota).sum::<u32>(), 600);
    assert_within_limits(&store).await;
    assert!(store.placement_pool().await.unwrap().is_empty());

    // Nothing is left to place, and a placed case cannot be proposed again.
    let e = propose(&store, Batch::Accepted).await.unwrap_err();
    assert_eq!(e.code(), Some("nothing_to_place"));
    let case = proposed.proposals[0].case_no.clone();
    let e = propose(&store, Batch::Cases(vec![case])).await.unwrap_err();
    assert_eq!(e.code(), Some("not_placeable"));
}

#[tokio::test]
async fn the_optimal_proposal_scores_at_least_the_greedy_one() {
    let (_dir, optimal_world) = world().await;
    let (_dir2, greedy_world) = world().await;
    let optimal = propose(&optimal_world, Batch::Accepted).await.unwrap();
    let greedy = placement::propose(
        &greedy_world,
        &Session::local(QM),
        YEAR,
        &Batch::Accepted,
        ProposalMethod::Greedy,
        &SolveOptions::default(),
    )
    .await
    .unwrap();
    assert!(optimal.objective >= greedy.objective - 1e-9);
    assert_within_limits(&greedy_world).await;
}

#[tokio::test]
async fn moves_by_hand_are_checked_and_a_refused_move_writes_nothing() {
    let (_dir, store) = world().await;
    let pool = store.placement_pool().await.unwrap();
    // One household needs a wheelchair-accessible home.
    let wheelchair = pool[0].case_no.clone();
    store
        .set_placement_profile(
            &wheelchair,
            &PlacementProfile {
                needs: vec!["wheelchair".into()],
                ..PlacementProfile::default()
            },
            QM,
        )
        .await
        .unwrap();
    store.set_capacity(147, "wheelchair", 0, QM).await.unwrap();
    let proposed = propose(&store, Batch::Accepted).await.unwrap();
    let placed = |case: &str| {
        proposed
            .proposals
            .iter()
            .find(|p| p.case_no == case)
            .unwrap()
            .clone()
    };
    assert_eq!(placed(&wheelchair).needs, vec!["wheelchair".to_owned()]);
    assert_within_limits(&store).await;

    // Frederiksberg (147) has no wheelchair home: a hard refusal.
    let check = store.check_move(&wheelchair, 147).await.unwrap();
    assert_eq!(check.problems.len(), 1);
    assert_eq!(check.problems[0].code(), "no_capacity");
    let before = store.proposals(Some(YEAR)).await.unwrap();
    let e = store
        .move_proposal(&wheelchair, 147, Some("the family asked"), QM)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("no_capacity"));
    assert_eq!(store.proposals(Some(YEAR)).await.unwrap(), before);

    // København (101) has a quota of 0 by the key: only with an override reason.
    let other = placed(&pool[1].case_no);
    let check = store.check_move(&other.case_no, 101).await.unwrap();
    assert!(check.problems.is_empty());
    assert_eq!(check.over_quota.as_ref().unwrap().code(), "over_quota");
    let e = store
        .move_proposal(&other.case_no, 101, None, QM)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("over_quota"));
    assert_eq!(e.field(), Some("override_reason"));
    assert_eq!(store.proposals(Some(YEAR)).await.unwrap(), before);
    let moved = store
        .move_proposal(&other.case_no, 101, Some("relatives in Nørrebro"), QM)
        .await
        .unwrap();
    assert_eq!(moved.municipality, 101);
    assert_eq!(moved.method, ProposalMethod::Hand);
    assert_eq!(
        moved.override_reason.as_deref(),
        Some("relatives in Nørrebro")
    );
    assert!(moved.reasons[0].contains("by hand"));
    let table: BTreeMap<u16, i64> = store
        .municipality_quotas(YEAR)
        .await
        .unwrap()
        .iter()
        .map(|m| (m.code, m.left))
        .collect();
    assert_eq!(table[&101], -i64::from(other.persons));
    assert_eq!(
        table[&other.municipality],
        store
            .municipality_quotas(YEAR)
            .await
            .unwrap()
            .iter()
            .find(|m| m.code == other.municipality)
            .map(|m| i64::from(m.quota.unwrap()) - i64::from(m.used))
            .unwrap()
    );
}

#[tokio::test]
async fn linked_households_go_together_and_are_not_split_by_hand() {
    let (_dir, store) = world().await;
    let pool = store.placement_pool().await.unwrap();
    let (a, b) = (pool[2].case_no.clone(), pool[3].case_no.clone());
    for case in [&a, &b] {
        store
            .set_placement_profile(
                case,
                &PlacementProfile {
                    link_group: Some("sisters".into()),
                    network: vec![751],
                    ..PlacementProfile::default()
                },
                QM,
            )
            .await
            .unwrap();
    }
    let proposed = propose(&store, Batch::Accepted).await.unwrap();
    let at = |case: &str| {
        proposed
            .proposals
            .iter()
            .find(|p| p.case_no == case)
            .unwrap()
            .municipality
    };
    assert_eq!(at(&a), at(&b));
    let e = store
        .move_proposal(&a, if at(&a) == 851 { 860 } else { 851 }, Some("x"), QM)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("link_group_split"));
}

#[tokio::test]
async fn proposals_are_consulted_then_confirmed_or_declined_back_to_the_pool() {
    let (_dir, store) = world().await;
    let proposed = propose(&store, Batch::Accepted).await.unwrap();
    let (one, two) = (
        proposed.proposals[0].case_no.clone(),
        proposed.proposals[1].case_no.clone(),
    );
    let e = store
        .transition_proposal(&one, ProposalStatus::Confirmed, "", QM)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("bad_transition"));
    store
        .transition_proposal(&one, ProposalStatus::Consulted, "phoned", QM)
        .await
        .unwrap();
    let confirmed = store
        .transition_proposal(&one, ProposalStatus::Confirmed, "", QM)
        .await
        .unwrap();
    assert_eq!(confirmed.status, ProposalStatus::Confirmed);
    let e = store
        .move_proposal(&one, 851, Some("x"), QM)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("closed"));

    let e = store
        .transition_proposal(&two, ProposalStatus::Declined, " ", QM)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("reason_required"));
    store
        .transition_proposal(
            &two,
            ProposalStatus::Declined,
            "no housing before March",
            QM,
        )
        .await
        .unwrap();
    let pool = store.placement_pool().await.unwrap();
    assert_eq!(pool.len(), 1);
    assert_eq!(pool[0].case_no, two);
    let again = propose(&store, Batch::Cases(vec![two.clone()]))
        .await
        .unwrap();
    assert_eq!(again.proposals.len(), 1);
    // The declined proposal stays as history beside the new one.
    let all = store.proposals(Some(YEAR)).await.unwrap();
    assert_eq!(all.iter().filter(|p| p.case_no == two).count(), 2);
    assert_within_limits(&store).await;
    // The history cannot be rewritten.
    assert!(count(&store, "placement_transitions").await >= 15);
    let raw = common::on_pool!(store, |pool| sqlx::query(
        "UPDATE placement_transitions SET actor = 'someone else'"
    )
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(raw.is_err());
}

#[tokio::test]
async fn an_infeasible_batch_is_explained_and_nothing_is_saved() {
    let (_dir, store) = world().await;
    let e = placement::propose(
        &store,
        &Session::local(QM),
        2027,
        &Batch::Accepted,
        ProposalMethod::Optimal,
        &SolveOptions::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), Some("no_quotas_for_year"));
    // Ten places in the whole country for the twelve households' persons.
    store.compute_quotas(YEAR, 10, &[], QM).await.unwrap();
    let before = count(&store, "audit_log").await;
    let e = propose(&store, Batch::Accepted).await.unwrap_err();
    let StoreError::Infeasible(why) = &e else {
        panic!("{e}")
    };
    assert!(why[0].contains("places missing"), "{why:?}");
    assert_eq!(count(&store, "placements").await, 0);
    assert_eq!(count(&store, "placement_transitions").await, 0);
    assert_eq!(count(&store, "audit_log").await, before);
}

#[tokio::test]
async fn a_hand_edit_of_a_quota_needs_a_reason_and_is_kept() {
    let (_dir, store) = world().await;
    let e = store
        .set_municipal_quota(YEAR, 101, 5, " ", QM)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("reason_required"));
    store
        .set_municipal_quota(YEAR, 101, 5, "agreed within the region", QM)
        .await
        .unwrap();
    let row = store
        .municipality_quotas(YEAR)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.code == 101)
        .unwrap();
    assert_eq!((row.computed, row.quota), (Some(0), Some(5)));
    assert_eq!(row.edit_reason.as_deref(), Some("agreed within the region"));
    let raw = common::on_pool!(store, |pool| sqlx::query(
        "DELETE FROM municipal_quota_edits"
    )
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(raw.is_err());
    let e = store
        .set_municipal_quota(2030, 101, 5, "x", QM)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("no_quotas_for_year"));
}

/// A long solve holds no lock. While HiGHS works on a batch of 500 households, another
/// quota manager's change to a municipality's quota commits in under a second; the plan
/// solved before that change is not saved, and the one saved is solved again on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_solve_lets_another_user_commit_and_is_solved_again_on_their_change() {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use resettle::domain::CaseStatus;
    use resettle::import::Submission;
    use resettle::placement::Stage;

    let (_dir, store) = world().await;
    // 350 more households from other demo seeds, through the importer, so that the batch
    // takes seconds to solve; then every household is made placeable. The status is set
    // in SQL because what is tested here is the solve, not the decisions (tested above).
    let mut extra = Vec::new();
    for seed in 1.. {
        for mut h in demo::generate(seed).households {
            if extra.len() == 350 {
                break;
            }
            h.id = uuid::Uuid::new_v4();
            h.unhcr_case_no = format!("{}-{:08}", &h.unhcr_case_no[..3], extra.len() + 1);
            h.mission_id = None;
            h.status = CaseStatus::Submitted;
            for m in &mut h.members {
                m.id = uuid::Uuid::new_v4();
            }
            extra.push(Submission {
                first_row: extra.len() as u32 + 1,
                household: h,
            });
        }
        if extra.len() == 350 {
            break;
        }
    }
    store
        .import_submissions(extra, None, false, QM)
        .await
        .unwrap();
    common::on_pool!(store, |pool| sqlx::query(
        "UPDATE cases SET status = 'accepted' WHERE status <> 'accepted'"
    )
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    store.compute_quotas(YEAR, 4_000, &[], QM).await.unwrap();
    let largest = store
        .municipality_quotas(YEAR)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|m| m.quota)
        .unwrap();

    // The proposal runs on its own task; its stages are recorded as they begin.
    let stages = Arc::new(Mutex::new(Vec::new()));
    let proposing = {
        let (store, stages) = (store.clone(), stages.clone());
        tokio::spawn(async move {
            placement::propose_reporting(
                &store,
                &Session::local(QM),
                YEAR,
                &Batch::Accepted,
                ProposalMethod::Optimal,
                &SolveOptions {
                    time_limit: Some(4.0),
                    mip_gap: 0.0,
                },
                placement::Forecasting::FromHistory,
                |stage| stages.lock().unwrap().push((stage, Instant::now())),
            )
            .await
        })
    };
    let solving = || {
        matches!(
            stages.lock().unwrap().last(),
            Some((Stage::Solving { attempt: 1 }, _))
        )
    };
    let waited = Instant::now();
    while !solving() {
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "the solve never began"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let solve_began = stages.lock().unwrap().last().unwrap().1;

    // Another user closes the largest municipality for the year, in the middle of the solve.
    let started = Instant::now();
    store
        .set_municipal_quota(YEAR, largest.code, 0, "housing withdrawn", "kim")
        .await
        .unwrap();
    let took = started.elapsed();
    let committed = Instant::now();
    assert!(
        took < Duration::from_secs(1),
        "the quota change waited {took:?}"
    );
    assert!(
        solving(),
        "the quota change committed while the solve ran: {:?} after it began",
        committed - solve_began
    );

    let proposed = proposing.await.unwrap().unwrap();
    let stages: Vec<Stage> = stages.lock().unwrap().iter().map(|(s, _)| *s).collect();
    assert!(
        stages.contains(&Stage::Solving { attempt: 2 }),
        "the batch was solved again after the change: {stages:?}"
    );
    assert_eq!(proposed.proposals.len(), 500);
    assert!(
        proposed
            .proposals
            .iter()
            .all(|p| p.municipality != largest.code),
        "nobody is proposed to {} once its quota is 0",
        largest.code
    );
    assert_within_limits(&store).await;
}
