//! Checking a laptop's field work back in: a three-way comparison of each household as
//! the office checked it out (the common ancestor), as the office holds it now and as the
//! laptop returns it. A field only one side changed takes that side's value; a field both
//! changed differently is a conflict for a quota manager, shown side by side. Nothing is
//! settled by whoever wrote last.
//!
//! Of a household, either side may change two things: its status (the laptop by its
//! interviews) and each member's medical needs (special needs, the TOM programme). The
//! registration data is UNHCR's: a return that changes it is refused whole.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseStatus, Household};

code_enum! {
    /// Which side a quota manager takes.
    Side {
        Office => "office",
        Laptop => "laptop",
    }
}

code_enum! {
    /// What a conflict is about: a status both sides moved differently; a member's medical
    /// needs both changed differently; a decision recorded in the field (confirmed at the
    /// office, where the quota is, beside whatever the office decided meanwhile); consents
    /// recorded in the field while the office also recorded or withdrew one; a record held
    /// differently on each side under the same key.
    ConflictKind {
        Status => "status",
        MedicalNeeds => "medical_needs",
        Decision => "decision",
        Consent => "consent",
        Record => "record",
    }
}

/// A member's medical needs: the one part of a person either side may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    pub special_needs: Option<String>,
    pub tom_patient: bool,
}

/// One field of a household, three ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The laptop did not change it, or both sides made the same change.
    Keep,
    /// Only the laptop changed it: the office takes the laptop's value.
    Take(T),
    /// Both changed it, differently.
    Conflict { office: T, laptop: T },
}

fn three_way<T: PartialEq + Clone>(base: &T, office: &T, laptop: &T) -> Outcome<T> {
    if laptop == base || laptop == office {
        Outcome::Keep
    } else if office == base {
        Outcome::Take(laptop.clone())
    } else {
        Outcome::Conflict {
            office: office.clone(),
            laptop: laptop.clone(),
        }
    }
}

/// What a check-in does to one household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub status: Outcome<CaseStatus>,
    /// For each member whose needs are not kept, by person ID.
    pub needs: Vec<(Uuid, Outcome<Needs>)>,
}

impl Merge {
    pub fn changes_nothing(&self) -> bool {
        self.status == Outcome::Keep && self.needs.is_empty()
    }
}

fn needs_of(h: &Household, person: Uuid) -> Option<Needs> {
    h.members.iter().find(|p| p.id == person).map(|p| Needs {
        special_needs: p.special_needs.clone(),
        tom_patient: p.tom_patient,
    })
}

/// The household without what either side may change: what must agree on all three.
fn registration(h: &Household) -> Household {
    let mut h = h.clone();
    h.status = CaseStatus::Submitted;
    for p in &mut h.members {
        p.special_needs = None;
        p.tom_patient = false;
    }
    h
}

/// Compares one household three ways. `office_since` are the statuses the office's case
/// has passed through since the check-out: a laptop status among them is one the office
/// already took (an earlier return brought it) and has moved on from. Err names what the
/// laptop changed that no one may.
pub fn merge(
    base: &Household,
    office: &Household,
    office_since: &[CaseStatus],
    laptop: &Household,
) -> Result<Merge, String> {
    if registration(laptop) != registration(base) {
        return Err(format!(
            "the laptop returns case {} with other registration data than it was given",
            laptop.unhcr_case_no
        ));
    }
    let mut needs = Vec::new();
    for p in &base.members {
        let (Some(b), Some(o), Some(l)) = (
            needs_of(base, p.id),
            needs_of(office, p.id),
            needs_of(laptop, p.id),
        ) else {
            return Err(format!(
                "case {} no longer has the members it was checked out with",
                base.unhcr_case_no
            ));
        };
        match three_way(&b, &o, &l) {
            Outcome::Keep => {}
            other => needs.push((p.id, other)),
        }
    }
    let status = if office_since.contains(&laptop.status) {
        Outcome::Keep
    } else {
        three_way(&base.status, &office.status, &laptop.status)
    };
    Ok(Merge { status, needs })
}

/// The statuses a laptop's field work can leave a case in without a decision; a decision
/// recorded in the field travels as a record and is confirmed at the office.
pub fn is_field_status(status: CaseStatus) -> bool {
    matches!(
        status,
        CaseStatus::Submitted | CaseStatus::Interviewed | CaseStatus::Examined
    )
}

/// One thing a check-in does to a household at the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Moves the case to the status the field work left it in.
    TakeStatus(CaseStatus),
    /// Sets a member's needs as the laptop left them.
    TakeNeeds { person: Uuid, needs: Needs },
    /// Queues the status for a quota manager, both sides side by side.
    QueueStatus {
        office: CaseStatus,
        laptop: CaseStatus,
    },
    /// Queues a member's needs for a quota manager.
    QueueNeeds {
        person: Uuid,
        office: Needs,
        laptop: Needs,
    },
}

/// The check-in's policy for one household: take what only the laptop changed when the
/// office can take it by itself, queue the rest. A status is taken only if it is one field
/// work reaches and the case may move there from where the office has it now (a case the
/// office withdrew meanwhile is not moved back by a laptop's interview); anything else the
/// laptop changed waits for a quota manager, as does whatever both sides changed.
pub fn steps(office: &Household, merge: &Merge) -> Vec<Step> {
    let mut out = Vec::new();
    match &merge.status {
        Outcome::Keep => {}
        Outcome::Take(to)
            if is_field_status(*to)
                && crate::workflow::check_transition(
                    &office.unhcr_case_no,
                    office.status,
                    *to,
                    office.route,
                )
                .is_ok() =>
        {
            out.push(Step::TakeStatus(*to));
        }
        Outcome::Take(to) | Outcome::Conflict { laptop: to, .. } => out.push(Step::QueueStatus {
            office: office.status,
            laptop: *to,
        }),
    }
    for (person, outcome) in &merge.needs {
        match outcome {
            Outcome::Keep => {}
            Outcome::Take(needs) => out.push(Step::TakeNeeds {
                person: *person,
                needs: needs.clone(),
            }),
            Outcome::Conflict { office, laptop } => out.push(Step::QueueNeeds {
                person: *person,
                office: office.clone(),
                laptop: laptop.clone(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A submitted household of two (the demo data lives in a crate above this one).
    fn household() -> Household {
        crate::testing::household(CaseStatus::Submitted, 2)
    }

    #[test]
    fn the_office_takes_by_itself_only_a_field_status_it_may_move_to() {
        let base = household();
        let mut laptop = base.clone();
        laptop.status = CaseStatus::Interviewed;
        let m = merge(&base, &base, &[], &laptop).unwrap();
        assert_eq!(
            steps(&base, &m),
            vec![Step::TakeStatus(CaseStatus::Interviewed)]
        );
        // The office withdrew the case meanwhile: the interview does not move it back.
        let mut withdrawn = base.clone();
        withdrawn.status = CaseStatus::Withdrawn;
        let m = Merge {
            status: Outcome::Take(CaseStatus::Interviewed),
            needs: Vec::new(),
        };
        assert_eq!(
            steps(&withdrawn, &m),
            vec![Step::QueueStatus {
                office: CaseStatus::Withdrawn,
                laptop: CaseStatus::Interviewed
            }]
        );
        // A decision's status is the office's to confirm, never taken from a laptop.
        let m = Merge {
            status: Outcome::Take(CaseStatus::Accepted),
            needs: Vec::new(),
        };
        assert!(matches!(steps(&base, &m)[..], [Step::QueueStatus { .. }]));
        // Needs: one side's change is taken, both sides' is queued.
        let person = base.members[0].id;
        let needs = |text: &str| Needs {
            special_needs: Some(text.into()),
            tom_patient: false,
        };
        let m = Merge {
            status: Outcome::Keep,
            needs: vec![
                (person, Outcome::Take(needs("a"))),
                (
                    person,
                    Outcome::Conflict {
                        office: needs("b"),
                        laptop: needs("c"),
                    },
                ),
            ],
        };
        assert_eq!(
            steps(&base, &m),
            vec![
                Step::TakeNeeds {
                    person,
                    needs: needs("a")
                },
                Step::QueueNeeds {
                    person,
                    office: needs("b"),
                    laptop: needs("c")
                },
            ]
        );
    }

    #[test]
    fn one_sided_changes_are_taken_and_kept() {
        let base = household();
        let mut laptop = base.clone();
        laptop.status = CaseStatus::Interviewed;
        laptop.members[1].special_needs = Some("insulin, cold chain".into());
        let m = merge(&base, &base, &[], &laptop).unwrap();
        assert_eq!(m.status, Outcome::Take(CaseStatus::Interviewed));
        assert_eq!(
            m.needs,
            vec![(
                base.members[1].id,
                Outcome::Take(Needs {
                    special_needs: Some("insulin, cold chain".into()),
                    tom_patient: base.members[1].tom_patient,
                })
            )]
        );
        // The office changed, the laptop did not: the office's stays.
        let mut office = base.clone();
        office.status = CaseStatus::Interviewed;
        office.members[0].tom_patient = !base.members[0].tom_patient;
        assert!(merge(&base, &office, &[], &base).unwrap().changes_nothing());
        // Both made the same change: nothing to do.
        assert!(merge(&base, &laptop, &[], &laptop)
            .unwrap()
            .changes_nothing());
    }

    #[test]
    fn changes_on_both_sides_are_conflicts_not_last_writer_wins() {
        let base = household();
        let mut office = base.clone();
        let mut laptop = base.clone();
        office.members[0].special_needs = Some("wheelchair".into());
        laptop.members[0].special_needs = Some("dialysis twice a week".into());
        office.status = CaseStatus::Withdrawn;
        laptop.status = CaseStatus::Interviewed;
        let m = merge(&base, &office, &[], &laptop).unwrap();
        assert_eq!(
            m.status,
            Outcome::Conflict {
                office: CaseStatus::Withdrawn,
                laptop: CaseStatus::Interviewed
            }
        );
        let [(
            person,
            Outcome::Conflict {
                office: o,
                laptop: l,
            },
        )] = m.needs.as_slice()
        else {
            panic!("one conflict expected: {:?}", m.needs);
        };
        assert_eq!(*person, base.members[0].id);
        assert_eq!(o.special_needs.as_deref(), Some("wheelchair"));
        assert_eq!(l.special_needs.as_deref(), Some("dialysis twice a week"));
        // The office took the laptop's status from an earlier return and moved on.
        let mut later = base.clone();
        later.status = CaseStatus::Rejected;
        let m = merge(
            &base,
            &later,
            &[CaseStatus::Interviewed, CaseStatus::Rejected],
            &laptop,
        )
        .unwrap();
        assert_eq!(m.status, Outcome::Keep);
        // A change of another field on the office's side does not make the laptop's
        // change of this one a conflict.
        let mut office = base.clone();
        office.members[1].special_needs = Some("hearing aid".into());
        let mut laptop = base.clone();
        laptop.members[0].special_needs = Some("asthma".into());
        let m = merge(&base, &office, &[], &laptop).unwrap();
        assert!(matches!(m.needs.as_slice(), [(p, Outcome::Take(_))] if *p == base.members[0].id));
    }

    #[test]
    fn a_laptop_that_changes_registration_data_is_refused() {
        let base = household();
        let mut laptop = base.clone();
        laptop.members[0].family_name.push('x');
        assert!(merge(&base, &base, &[], &laptop).is_err());
        let mut fewer = base.clone();
        fewer.members.pop();
        assert!(merge(&base, &base, &[], &fewer).is_err());
        assert!(merge(&base, &fewer, &[], &base).is_err());
    }
}
