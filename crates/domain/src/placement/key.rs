//! The distribution key: the year's national number of refugees (landstal) split into
//! municipal quotas (Integration Act §§ 6-8; the executive order on the key, BEK 550 of
//! 2022, § 4, as the design brief states it):
//!
//! 1. a municipality's share is its share of the population minus (its share of
//!    non-Western immigrants and refugees minus its share of the population);
//! 2. that share times (the national number plus the family-reunified relatives of
//!    refugees who arrived the year before), minus those relatives already living in the
//!    municipality;
//! 3. negative results become 0 and the rest is rescaled to the national number;
//! 4. an exempted municipality's amount passes to another (for 2026 Læsø's to Hjørring);
//! 5. whole persons by the largest-remainder method, so the quotas sum exactly to the
//!    national number.
//!
//! The arithmetic is exact: every amount is a fraction of integers (i128), so the
//! remainders are compared exactly and the result never depends on rounding.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One municipality's inputs for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInput {
    pub code: u16,
    pub population: u64,
    /// Non-Western immigrants and refugees living in the municipality.
    pub non_western: u64,
    /// Family-reunified relatives of refugees who arrived the year before, living there.
    pub reunified: u64,
}

/// A municipality exempted from the key whose amount passes to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyExemption {
    pub from: u16,
    pub to: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("there are no municipalities to distribute over")]
    NoMunicipalities,
    #[error("municipality {0} appears more than once")]
    Duplicate(u16),
    #[error("the total population is 0")]
    NoPopulation,
    #[error("the total of non-Western immigrants and refugees is 0")]
    NoNonWestern,
    #[error("the exemption names municipality {0}, which has no inputs")]
    UnknownMunicipality(u16),
    #[error("municipality {0} is exempted more than once, to itself, or passes its share to an exempted municipality")]
    BadExemption(u16),
    #[error(
        "every municipality's amount is 0, so there is nothing to scale to the national number"
    )]
    NothingToScale,
}

/// Municipal quotas in persons, by municipality code; they sum to `national`.
pub fn distribute(
    national: u32,
    inputs: &[KeyInput],
    exemptions: &[KeyExemption],
) -> Result<BTreeMap<u16, u32>, KeyError> {
    if inputs.is_empty() {
        return Err(KeyError::NoMunicipalities);
    }
    let mut codes = BTreeSet::new();
    for i in inputs {
        if !codes.insert(i.code) {
            return Err(KeyError::Duplicate(i.code));
        }
    }
    let population: i128 = inputs.iter().map(|i| i128::from(i.population)).sum();
    let non_western: i128 = inputs.iter().map(|i| i128::from(i.non_western)).sum();
    let reunified: i128 = inputs.iter().map(|i| i128::from(i.reunified)).sum();
    if population == 0 {
        return Err(KeyError::NoPopulation);
    }
    if non_western == 0 {
        return Err(KeyError::NoNonWestern);
    }
    let exempted: BTreeSet<u16> = exemptions.iter().map(|e| e.from).collect();
    for e in exemptions {
        for code in [e.from, e.to] {
            if !codes.contains(&code) {
                return Err(KeyError::UnknownMunicipality(code));
            }
        }
        let times = exemptions.iter().filter(|x| x.from == e.from).count();
        if times > 1 || e.from == e.to || exempted.contains(&e.to) {
            return Err(KeyError::BadExemption(e.from));
        }
    }
    // Over the common denominator population × non_western, municipality i's amount is
    //   ((2·pop_i·nw − nw_i·pop) · (national + reunified) − reunified_i·pop·nw),
    // from share_i = pop_i/pop − (nw_i/nw − pop_i/pop).
    let base = i128::from(national) + reunified;
    let mut amounts: BTreeMap<u16, i128> = inputs
        .iter()
        .map(|i| {
            let share =
                2 * i128::from(i.population) * non_western - i128::from(i.non_western) * population;
            let amount = share * base - i128::from(i.reunified) * population * non_western;
            (i.code, amount.max(0))
        })
        .collect();
    for e in exemptions {
        let passed = std::mem::take(amounts.get_mut(&e.from).expect("checked above"));
        *amounts.get_mut(&e.to).expect("checked above") += passed;
    }
    let total: i128 = amounts.values().sum();
    if total == 0 {
        return Err(KeyError::NothingToScale);
    }
    // Rescaled, municipality i gets national · amount_i / total: its whole part now, and
    // the places left over go to the largest remainders (ties to the lower code).
    let national = i128::from(national);
    let mut quotas: BTreeMap<u16, u32> = BTreeMap::new();
    let mut remainders: Vec<(i128, u16)> = Vec::new();
    for (&code, &amount) in &amounts {
        let scaled = national * amount;
        quotas.insert(code, (scaled / total) as u32);
        remainders.push((scaled % total, code));
    }
    let given: i128 = quotas.values().map(|q| i128::from(*q)).sum();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, code) in remainders.iter().take((national - given) as usize) {
        *quotas.get_mut(code).expect("every code has a quota") += 1;
    }
    Ok(quotas)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(code: u16, population: u64, non_western: u64, reunified: u64) -> KeyInput {
        KeyInput {
            code,
            population,
            non_western,
            reunified,
        }
    }

    #[test]
    fn a_worked_example() {
        // Populations 500/300/200 (shares .5/.3/.2), non-Western 40/50/10 (.4/.5/.1),
        // shares .6/.1/.3; national 100, relatives 0: amounts 60/10/30.
        let q = distribute(
            100,
            &[
                input(1, 500, 40, 0),
                input(2, 300, 50, 0),
                input(3, 200, 10, 0),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(q, BTreeMap::from([(1, 60), (2, 10), (3, 30)]));
    }

    #[test]
    fn relatives_already_there_reduce_the_quota_and_negatives_become_zero() {
        // Relatives 10 (all in 2): base 110; amounts 66, 11 − 10 = 1, 33; total 100.
        let q = distribute(
            100,
            &[
                input(1, 500, 40, 0),
                input(2, 300, 50, 10),
                input(3, 200, 10, 0),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(q, BTreeMap::from([(1, 66), (2, 1), (3, 33)]));
        // Municipality 2 with many non-Western residents: share .3 − (.8 − .3) < 0 → 0,
        // and the others are rescaled to the national number.
        let q = distribute(
            100,
            &[
                input(1, 500, 10, 0),
                input(2, 300, 80, 0),
                input(3, 200, 10, 0),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(q[&2], 0);
        assert_eq!(q.values().sum::<u32>(), 100);
        // 0.9 and 0.3 rescaled to 100: 75 and 25.
        assert_eq!((q[&1], q[&3]), (75, 25));
    }

    #[test]
    fn an_exempted_municipality_passes_its_amount_on() {
        let inputs = [
            input(825, 1_800, 20, 0),
            input(860, 63_000, 4_000, 0),
            input(101, 650_000, 110_000, 0),
        ];
        let plain = distribute(600, &inputs, &[]).unwrap();
        let laeso = distribute(600, &inputs, &[KeyExemption { from: 825, to: 860 }]).unwrap();
        assert!(plain[&825] > 0, "{plain:?}");
        assert_eq!(laeso[&825], 0);
        assert_eq!(laeso.values().sum::<u32>(), 600);
        assert!(
            laeso[&860] >= plain[&860] + plain[&825] - 1,
            "{plain:?} {laeso:?}"
        );
    }

    #[test]
    fn bad_inputs_are_refused() {
        let two = [input(1, 10, 1, 0), input(2, 10, 1, 0)];
        assert_eq!(distribute(5, &[], &[]), Err(KeyError::NoMunicipalities));
        assert_eq!(
            distribute(5, &[input(1, 10, 1, 0), input(1, 5, 1, 0)], &[]),
            Err(KeyError::Duplicate(1))
        );
        assert_eq!(
            distribute(5, &[input(1, 0, 1, 0)], &[]),
            Err(KeyError::NoPopulation)
        );
        assert_eq!(
            distribute(5, &[input(1, 10, 0, 0)], &[]),
            Err(KeyError::NoNonWestern)
        );
        let to_unknown = [KeyExemption { from: 1, to: 9 }];
        assert_eq!(
            distribute(5, &two, &to_unknown),
            Err(KeyError::UnknownMunicipality(9))
        );
        let to_self = [KeyExemption { from: 1, to: 1 }];
        assert_eq!(
            distribute(5, &two, &to_self),
            Err(KeyError::BadExemption(1))
        );
        let chain = [
            KeyExemption { from: 1, to: 2 },
            KeyExemption { from: 2, to: 1 },
        ];
        assert!(matches!(
            distribute(5, &two, &chain),
            Err(KeyError::BadExemption(_))
        ));
    }

    #[test]
    fn the_largest_remainders_get_the_places_left_over() {
        // Three equal municipalities and 100 persons: 33 each and one left over, which
        // goes to the lowest code on a tie.
        let same = [input(3, 10, 1, 0), input(1, 10, 1, 0), input(2, 10, 1, 0)];
        let q = distribute(100, &same, &[]).unwrap();
        assert_eq!(q, BTreeMap::from([(1, 34), (2, 33), (3, 33)]));
    }

    /// The key again in floating point, written from the design brief's words: each
    /// municipality's exact (unrounded) amount after rescaling.
    fn in_floating_point(
        national: u32,
        inputs: &[KeyInput],
        exemptions: &[KeyExemption],
    ) -> BTreeMap<u16, f64> {
        let pop: f64 = inputs.iter().map(|i| i.population as f64).sum();
        let nw: f64 = inputs.iter().map(|i| i.non_western as f64).sum();
        let rel: f64 = inputs.iter().map(|i| i.reunified as f64).sum();
        let mut amounts: BTreeMap<u16, f64> = inputs
            .iter()
            .map(|i| {
                let p = i.population as f64 / pop;
                let share = p - (i.non_western as f64 / nw - p);
                (
                    i.code,
                    (share * (f64::from(national) + rel) - i.reunified as f64).max(0.0),
                )
            })
            .collect();
        for e in exemptions {
            let passed = amounts.insert(e.from, 0.0).unwrap();
            *amounts.get_mut(&e.to).unwrap() += passed;
        }
        let total: f64 = amounts.values().sum();
        amounts
            .values_mut()
            .for_each(|a| *a = *a * f64::from(national) / total);
        amounts
    }

    proptest! {
        /// The quotas always sum to the national number, each within one person of its
        /// exact rescaled amount, and exempted municipalities get none.
        #[test]
        fn quotas_sum_to_the_national_number(
            national in 0u32..5_000,
            rows in proptest::collection::vec((1u64..700_000, 0u64..120_000, 0u64..400), 2..98),
            exempt_first in any::<bool>(),
        ) {
            let inputs: Vec<KeyInput> = rows
                .iter()
                .enumerate()
                .map(|(i, &(p, n, r))| input(i as u16 + 100, p, n.max(1), r))
                .collect();
            let exemptions = if exempt_first {
                vec![KeyExemption { from: 100, to: 101 }]
            } else {
                vec![]
            };
            match distribute(national, &inputs, &exemptions) {
                Ok(q) => {
                    prop_assert_eq!(q.values().map(|v| u64::from(*v)).sum::<u64>(), u64::from(national));
                    prop_assert_eq!(q.len(), inputs.len());
                    if exempt_first {
                        prop_assert_eq!(q[&100], 0);
                    }
                    let exact = in_floating_point(national, &inputs, &exemptions);
                    for (code, quota) in &q {
                        let off = (f64::from(*quota) - exact[code]).abs();
                        prop_assert!(off < 1.0 + 1e-6, "{code}: {quota} vs {}", exact[code]);
                    }
                }
                Err(e) => prop_assert_eq!(e, KeyError::NothingToScale),
            }
        }
    }
}
