use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::testing::{adult, household};
use crate::{CaseStatus, Category, Household, Priority, Relationship};

fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn assessed(network: &str, motivation: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("network".to_owned(), network.to_owned()),
        ("motivation".to_owned(), motivation.to_owned()),
    ])
}

fn born(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 6, 1).unwrap()
}

#[test]
fn the_default_rubric_is_valid_and_has_the_seven_criteria() {
    let r = default_rubric();
    r.validate().unwrap();
    let keys: Vec<&str> = r.criteria.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "language",
            "education_employment",
            "children",
            "family_unity",
            "network",
            "age",
            "motivation"
        ]
    );
}

#[test]
fn a_family_is_scored_as_a_whole_with_explanations() {
    let mut h = household(CaseStatus::Interviewed, 2);
    h.members[0].languages = vec!["ar".into(), "en".into()];
    h.members[0].education_years = 14;
    let mut child = adult(Relationship::Child);
    child.date_of_birth = born(2018);
    child.literate = false;
    child.education_years = 2;
    h.members.push(child);
    let card = score(
        &default_rubric(),
        &h,
        false,
        &assessed("some", "high"),
        on(),
    )
    .unwrap();
    let level = |k: &str| {
        card.criteria
            .iter()
            .find(|c| c.key == k)
            .unwrap()
            .level
            .clone()
            .unwrap()
    };
    assert_eq!(level("language"), "multilingual");
    assert_eq!(level("education_employment"), "qualified");
    assert_eq!(level("children"), "with_children");
    assert_eq!(level("family_unity"), "together");
    assert_eq!(level("age"), "other");
    // 3×2 + 3×2 + 2×1 + 2×1 + 1×1 + 2×1 + 3×2 = 25 of 3×2+3×2+2+3+2+2+3×2 = 27.
    assert_eq!((card.total, card.max, card.percent), (25, 27, 92));
    assert_eq!(card.assessment, Assessment::Supports);
    let language = &card.criteria[0].explanation;
    assert!(
        language.en.contains("2 of 2 adults read and write"),
        "{}",
        language.en
    );
    assert!(language.da.contains("2 af 2 voksne"), "{}", language.da);
    assert!(card.criteria[2]
        .explanation
        .en
        .contains("1 of 3 members are under 18"));
}

#[test]
fn exempt_cases_show_not_applied_with_the_reason() {
    let r = default_rubric();
    let mut h = household(CaseStatus::Examined, 1);
    for (priority, exemption) in [
        (Priority::Emergency, Exemption::Emergency),
        (Priority::Urgent, Exemption::Urgent),
    ] {
        h.priority = priority;
        let card = score(&r, &h, false, &BTreeMap::new(), on()).unwrap();
        assert_eq!(card.assessment, Assessment::NotApplied);
        assert_eq!(card.exemption, Some(exemption));
        assert!(card.criteria.is_empty());
        assert!(card.summary.en.contains("not applied"));
    }
    h.priority = Priority::Normal;
    h.members[0].tom_patient = true;
    assert_eq!(
        score(&r, &h, false, &BTreeMap::new(), on())
            .unwrap()
            .exemption,
        Some(Exemption::Medical)
    );
    h.members[0].tom_patient = false;
    h.primary_category = Category::Medical;
    assert_eq!(
        score(&r, &h, false, &BTreeMap::new(), on())
            .unwrap()
            .exemption,
        Some(Exemption::Medical)
    );
    h.primary_category = Category::SurvivorViolenceTorture;
    let card = score(&r, &h, true, &BTreeMap::new(), on()).unwrap();
    assert_eq!(card.exemption, Some(Exemption::StrategicMission));
    assert!(card.summary.da.contains("strategisk"));
    assert_eq!(
        score(&r, &h, false, &BTreeMap::new(), on())
            .unwrap()
            .exemption,
        None
    );
}

#[test]
fn without_the_interview_assessments_the_score_is_incomplete() {
    let h = household(CaseStatus::Interviewed, 1);
    let only_network = BTreeMap::from([("network".to_owned(), "strong".to_owned())]);
    let card = score(&default_rubric(), &h, false, &only_network, on()).unwrap();
    assert_eq!(card.assessment, Assessment::Incomplete);
    let motivation = card
        .criteria
        .iter()
        .find(|c| c.key == "motivation")
        .unwrap();
    assert_eq!((motivation.level.as_deref(), motivation.points), (None, 0));
}

#[test]
fn assessments_name_assessed_criteria_and_their_levels() {
    let r = default_rubric();
    let h = household(CaseStatus::Interviewed, 1);
    let e = score(&r, &h, false, &assessed("some", "eager"), on()).unwrap_err();
    assert_eq!(e.code(), "unknown_level");
    let mut derived = assessed("some", "high");
    derived.insert("language".into(), "multilingual".into());
    assert_eq!(
        score(&r, &h, false, &derived, on()).unwrap_err().code(),
        "unknown_criterion"
    );
}

#[test]
fn an_illiterate_household_is_not_marked_concerns_for_that_alone() {
    let mut h = household(CaseStatus::Interviewed, 2);
    for m in &mut h.members {
        m.literate = false;
        m.education_years = 0;
    }
    // Without schooling, with low motivation and no network, the score is low anyway:
    // 5 of 27, and 11 of 27 (40%) even with the best language level, below 50%.
    let mut r = default_rubric();
    r.threshold_percent = 50;
    let card = score(&r, &h, false, &assessed("none", "low"), on()).unwrap();
    assert_eq!((card.total, card.assessment), (5, Assessment::Concerns));
    // With the rest in order, illiteracy alone does not bring concerns, even with a
    // threshold that only a literate household would otherwise reach.
    r.threshold_percent = 80;
    h.members[0].occupation = Some("carpenter".into());
    h.members[0].education_years = 6;
    let card = score(&r, &h, false, &assessed("strong", "high"), on()).unwrap();
    assert!(card.percent < 80, "{}", card.percent);
    assert_eq!(card.assessment, Assessment::Supports);
    assert!(card.summary.en.contains("never count against"));
}

#[test]
fn a_single_very_young_or_old_person_is_marked_by_age() {
    let mut h = household(CaseStatus::Interviewed, 1);
    for (year, level) in [
        (2007, "single_very_young_or_old"),
        (1990, "other"),
        (1955, "single_very_young_or_old"),
    ] {
        h.members[0].date_of_birth = born(year);
        let card = score(
            &default_rubric(),
            &h,
            false,
            &assessed("some", "high"),
            on(),
        )
        .unwrap();
        let age = card.criteria.iter().find(|c| c.key == "age").unwrap();
        assert_eq!(age.level.as_deref(), Some(level), "born {year}");
    }
}

#[test]
fn an_invalid_rubric_says_what_is_wrong() {
    type Break = fn(&mut Rubric);
    let cases: Vec<(Break, &str)> = vec![
        (|r| r.threshold_percent = 101, "above 100%"),
        (|r| r.criteria.clear(), "no criteria"),
        (|r| r.criteria[1].key = "language".into(), "repeated"),
        (|r| r.criteria[0].weight = 11, "above 10"),
        (
            |r| r.criteria[0].levels.pop().map(drop).unwrap_or(()),
            "exactly",
        ),
        (|r| r.criteria[4].method = Method::Derived, "only language"),
        (|r| r.criteria[0].method = Method::Assessed, "not assessed"),
        (|r| r.criteria[6].levels[0].points = 11, "above 10"),
        (|r| r.criteria[6].levels[1].key = "high".into(), "repeated"),
        (
            |r| r.criteria.iter_mut().for_each(|c| c.weight = 0),
            "weighs nothing",
        ),
        (|r| r.criteria[6].name.da = " ".into(), "English and Danish"),
    ];
    for (break_it, expected) in cases {
        let mut r = default_rubric();
        break_it(&mut r);
        let e = r.validate().unwrap_err();
        assert_eq!(e.code(), "invalid_rubric");
        assert!(
            e.to_string().contains(expected),
            "{e} should say {expected}"
        );
    }
}

fn any_household() -> impl Strategy<Value = Household> {
    let member = (
        any::<bool>(),
        0u8..20,
        1usize..4,
        1940i32..2024,
        proptest::option::of("[a-z]{3,8}"),
    );
    (proptest::collection::vec(member, 1..6), any::<bool>()).prop_map(|(members, fam)| {
        let mut h = household(CaseStatus::Interviewed, members.len());
        for (m, (literate, years, languages, year, job)) in h.members.iter_mut().zip(members) {
            m.literate = literate;
            m.education_years = years;
            m.languages = (0..languages).map(|i| format!("l{i}")).collect();
            m.date_of_birth = born(year);
            m.occupation = job;
        }
        if fam {
            h.secondary_category = Some(Category::FamilyUnity);
        }
        h
    })
}

proptest! {
    /// Illiteracy alone never produces concerns: making every member illiterate never
    /// turns a supported household into one with concerns, under any threshold.
    #[test]
    fn illiteracy_alone_never_brings_concerns(
        h in any_household(),
        network in prop::sample::select(vec!["strong", "some", "none"]),
        motivation in prop::sample::select(vec!["high", "moderate", "low"]),
        threshold in 0u32..=100,
    ) {
        let mut r = default_rubric();
        r.threshold_percent = threshold;
        let a = assessed(network, motivation);
        let before = score(&r, &h, false, &a, on()).unwrap();
        let mut illiterate = h.clone();
        for m in &mut illiterate.members {
            m.literate = false;
        }
        let after = score(&r, &illiterate, false, &a, on()).unwrap();
        prop_assert!(before.total >= after.total);
        if before.assessment == Assessment::Supports {
            prop_assert_eq!(after.assessment, Assessment::Supports);
        }
        let sum: u32 = after.criteria.iter().map(|c| c.weighted).sum();
        prop_assert_eq!(after.total, sum);
    }
}
