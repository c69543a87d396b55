use std::collections::BTreeMap;

use proptest::prelude::*;

use super::greedy::greedy;
use super::instance::{HouseholdToPlace, Instance, InstanceError, MunicipalitySlot};
use super::plan::{check_plan, explain_infeasible};

const EXAMPLE: &str = r#"{"municipalities": [{"code": "101", "quota": 12, "capacities": {"wheelchair": 1, "specialist_care": 2}},
                                            {"code": "147", "quota": 6}],
 "households": [{"id": "H1", "size": 4, "needs": ["wheelchair"], "link_group": "L1"},
                {"id": "H2", "size": 3, "link_group": "L1"},
                {"id": "H3", "size": 5}],
 "scores": {"H1": {"101": 3.5, "147": 1}, "H2": {"101": 1, "147": 2}, "H3": {"101": 0.5, "147": 2.5}}}"#;

fn example() -> Instance {
    serde_json::from_str(EXAMPLE).unwrap()
}

fn municipality(code: &str, quota: u32, wheelchairs: u32) -> MunicipalitySlot {
    MunicipalitySlot {
        code: code.into(),
        quota,
        capacities: BTreeMap::from([("wheelchair".into(), wheelchairs)]),
        ..Default::default()
    }
}

fn household(id: &str, size: u32, wheelchair: bool, group: Option<&str>) -> HouseholdToPlace {
    HouseholdToPlace {
        id: id.into(),
        size,
        needs: if wheelchair {
            vec!["wheelchair".into()]
        } else {
            vec![]
        },
        link_group: group.map(str::to_owned),
        ..Default::default()
    }
}

#[test]
fn the_documented_example_reads_and_the_greedy_plan_keeps_the_constraints() {
    let instance = example();
    instance.validate().unwrap();
    let units = instance.units();
    assert_eq!(units.len(), 2, "H1 and H2 are one unit");
    assert_eq!(units[0].size, 7);
    let plan = greedy(&instance).unwrap();
    check_plan(&instance, &plan).unwrap();
    let place = |h: &str| {
        plan.assignments
            .iter()
            .find(|a| a.household == h)
            .unwrap()
            .municipality
            .clone()
    };
    // The group of 7 with the wheelchair can only go to 101; then H3 (5) fits 147 (6 left).
    assert_eq!(
        (place("H1"), place("H2"), place("H3")),
        ("101".into(), "101".into(), "147".into())
    );
    assert_eq!(plan.objective, 3.5 + 1.0 + 2.5);
    let reasons = &plan.assignments[0].reasons;
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("ruled out: 1 without 7 places left")),
        "{reasons:?}"
    );
}

#[test]
fn scores_must_cover_every_pair() {
    let mut instance = example();
    instance
        .scores
        .as_mut()
        .unwrap()
        .get_mut("H3")
        .unwrap()
        .remove("147");
    assert_eq!(
        instance.validate(),
        Err(InstanceError::MissingScore {
            household: "H3".into(),
            municipality: "147".into()
        })
    );
    let mut instance = example();
    instance.households[2].id = "H1".into();
    assert_eq!(
        instance.validate(),
        Err(InstanceError::DuplicateHousehold("H1".into()))
    );
    let mut instance = example();
    instance.households[2].size = 0;
    assert_eq!(
        instance.validate(),
        Err(InstanceError::EmptyHousehold("H3".into()))
    );
}

#[test]
fn an_infeasible_instance_is_explained() {
    let instance = Instance {
        municipalities: vec![municipality("101", 5, 0), municipality("147", 3, 1)],
        households: vec![
            household("H1", 4, true, None),
            household("H2", 3, true, None),
            household("H3", 2, false, None),
        ],
        ..Default::default()
    };
    let why = explain_infeasible(&instance);
    assert!(
        why.iter()
            .any(|w| w.starts_with("1 places missing: 9 persons")),
        "{why:?}"
    );
    assert!(
        why.iter().any(|w| w.starts_with("1 wheelchair missing")),
        "{why:?}"
    );
    assert!(
        why.iter().any(|w| w
            .starts_with("household H1 (4 persons, needs wheelchair) cannot be placed anywhere")),
        "{why:?}"
    );
    let stuck = greedy(&instance).unwrap_err();
    assert!(
        stuck
            .last()
            .unwrap()
            .starts_with("the greedy rule could not place"),
        "{stuck:?}"
    );
}

#[test]
fn check_plan_finds_every_broken_constraint() {
    let instance = example();
    let good = greedy(&instance).unwrap();
    let mut split = good.clone();
    split
        .assignments
        .iter_mut()
        .find(|a| a.household == "H2")
        .unwrap()
        .municipality = "147".into();
    assert!(check_plan(&instance, &split).unwrap_err().contains("split"));
    let mut missing = good.clone();
    missing.assignments.retain(|a| a.household != "H3");
    assert!(check_plan(&instance, &missing)
        .unwrap_err()
        .contains("not placed"));
    let mut crowded = good.clone();
    crowded
        .assignments
        .iter_mut()
        .for_each(|a| a.municipality = "147".into());
    assert!(check_plan(&instance, &crowded).is_err());
    let mut twice = good;
    let first = twice.assignments[0].clone();
    twice.assignments.push(first);
    assert!(check_plan(&instance, &twice).unwrap_err().contains("twice"));
}

fn any_instance() -> impl Strategy<Value = Instance> {
    let municipalities = proptest::collection::vec((0u32..20, 0u32..3), 1..8);
    let households = proptest::collection::vec(
        (
            1u32..8,
            proptest::bool::weighted(0.2),
            proptest::option::weighted(0.2, 0u8..3),
        ),
        0..25,
    );
    (municipalities, households).prop_map(|(ms, hs)| Instance {
        municipalities: ms
            .into_iter()
            .enumerate()
            .map(|(i, (q, w))| municipality(&format!("{}", 100 + i), q, w))
            .collect(),
        households: hs
            .into_iter()
            .enumerate()
            .map(|(i, (size, w, g))| {
                let group = g.map(|g| format!("L{g}"));
                household(&format!("H{i}"), size, w, group.as_deref())
            })
            .collect(),
        ..Default::default()
    })
}

proptest! {
    /// Every greedy plan keeps every hard constraint; when greedy is stuck, it says why.
    #[test]
    fn greedy_plans_keep_the_constraints(instance in any_instance()) {
        instance.validate().unwrap();
        match greedy(&instance) {
            Ok(plan) => prop_assert_eq!(check_plan(&instance, &plan), Ok(())),
            Err(why) => prop_assert!(!why.is_empty()),
        }
        // When simple counts find a problem, no plan exists, so greedy cannot find one.
        if !explain_infeasible(&instance).is_empty() {
            prop_assert!(greedy(&instance).is_err());
        }
    }
}
