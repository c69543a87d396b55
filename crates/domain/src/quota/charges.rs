//! Which sub-quota a household's accepted persons are charged to.

use super::SubQuota;
use crate::{Household, Priority, Route};

/// Persons to charge per sub-quota.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Charges {
    pub geographical: u32,
    pub emergency_urgent: u32,
    pub medical: u32,
}

impl Charges {
    pub fn get(&self, sub: SubQuota) -> u32 {
        match sub {
            SubQuota::Geographical => self.geographical,
            SubQuota::EmergencyUrgent => self.emergency_urgent,
            SubQuota::Medical => self.medical,
        }
    }

    fn add(&mut self, sub: SubQuota, n: u32) {
        match sub {
            SubQuota::Geographical => self.geographical += n,
            SubQuota::EmergencyUrgent => self.emergency_urgent += n,
            SubQuota::Medical => self.medical += n,
        }
    }

    pub fn total(&self) -> u32 {
        self.geographical + self.emergency_urgent + self.medical
    }

    /// The sub-quotas charged, with their places, in the order of `SubQuota::ALL`.
    pub fn iter(&self) -> impl Iterator<Item = (SubQuota, u32)> + '_ {
        SubQuota::ALL
            .iter()
            .map(|&s| (s, self.get(s)))
            .filter(|(_, n)| *n > 0)
    }

    /// The charges for the accepted members of a household (`accepted` filters members by
    /// id; a decision may be split, and only accepted persons are charged).
    ///
    /// A TOM patient is charged to `medical`; the family accompanying a TOM case to
    /// `geographical`. Otherwise emergency and urgent dossier cases go to
    /// `emergency_urgent`, and mission cases and normal dossier cases to `geographical`.
    pub fn for_household(household: &Household, accepted: impl Fn(&uuid::Uuid) -> bool) -> Self {
        let tom_case = household.members.iter().any(|m| m.tom_patient);
        let others = if tom_case {
            SubQuota::Geographical
        } else {
            match (household.route, household.priority) {
                (Route::Dossier, Priority::Emergency | Priority::Urgent) => {
                    SubQuota::EmergencyUrgent
                }
                _ => SubQuota::Geographical,
            }
        };
        let mut charges = Charges::default();
        for m in household.members.iter().filter(|m| accepted(&m.id)) {
            charges.add(
                if m.tom_patient {
                    SubQuota::Medical
                } else {
                    others
                },
                1,
            );
        }
        charges
    }
}
