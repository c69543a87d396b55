//! A person's access to what the agency holds about them (GDPR Art. 15): what the report
//! holds, and the two rules that decide what it leaves out. Interview notes record what
//! the household said together, so a report for one member of a larger household withholds
//! them: Art. 15(4) says the right of access must not harm the rights of others. A
//! member's confidential information is theirs alone: it is in their own report (when a
//! user with the confidential grant makes it) and in no household's or other member's.
//! The store gathers the parts; `AccessReport::assemble` applies the rules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::consent::Consent;
use crate::decision::Decision;
use crate::dossier::{ConfidentialNote, Interview, StoredScore};
use crate::retention::ErasureRecord;
use crate::Household;

code_enum! {
    /// Whether the report shows the interview notes, and if not, why: `included` for the
    /// whole household or a household of one; `withheld_other_members` for one member of
    /// several, since the notes record what the others said too.
    NotesDisclosure {
        Included => "included",
        WithheldOtherMembers => "withheld_other_members",
    }
}

code_enum! {
    /// Whether the report shows the member's confidential information, and if not, why:
    /// `included` (the member's own report, made with the confidential grant),
    /// `none_recorded` (their own report, nothing recorded), `not_in_household_report` (a
    /// report for the whole household carries no member's), `reader_without_grant` (their
    /// own report, made by a user who cannot read it: one with the grant must make it for
    /// the report to be complete).
    ConfidentialDisclosure {
        Included => "included",
        NoneRecorded => "none_recorded",
        NotInHouseholdReport => "not_in_household_report",
        ReaderWithoutGrant => "reader_without_grant",
    }
}

/// A placement of the household, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlacementRecord {
    pub year: i32,
    pub municipality: u16,
    pub municipality_name: String,
    /// proposed, consulted, confirmed or declined.
    pub status: String,
}

/// An entry of the audit log about the case: a document made with its data, or a read of
/// its sensitive fields. The log holds ids and codes, never names (ARCHITECTURE.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccessEvent {
    /// RFC 3339, as the audit log stamps it.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
}

/// What the store read of a case for a report, before the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Gathered {
    pub household: Household,
    pub interviews: Vec<Interview>,
    pub score: Option<StoredScore>,
    pub decisions: Vec<Decision>,
    pub consents: Vec<Consent>,
    pub placements: Vec<PlacementRecord>,
    /// The requesting member's note, when one was read (None: none recorded, or not read).
    pub confidential: Option<ConfidentialNote>,
    /// Whether the reader holds the confidential grant (and so the note was looked for).
    pub reader_may_read_confidential: bool,
    pub documents: Vec<AccessEvent>,
    pub reads: Vec<AccessEvent>,
    pub erasures: Vec<ErasureRecord>,
}

/// The report: everything held about the household, or about one of its members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AccessReport {
    pub case_no: String,
    /// The member the report is for (from 1, as the dossier lists them); None for the
    /// whole household.
    pub member: Option<u32>,
    pub made_on: NaiveDate,
    /// The household's registration data: with `member`, that member alone.
    pub household: Household,
    pub interviews: Vec<Interview>,
    pub notes: NotesDisclosure,
    pub score: Option<StoredScore>,
    pub decisions: Vec<Decision>,
    pub consents: Vec<Consent>,
    pub placements: Vec<PlacementRecord>,
    pub confidential: Option<ConfidentialNote>,
    pub confidential_disclosure: ConfidentialDisclosure,
    /// Documents made with the case's data and saved (what, when, by whom).
    pub documents: Vec<AccessEvent>,
    /// Reads of the case's sensitive fields (interview notes, needs, screening,
    /// confidential information).
    pub reads: Vec<AccessEvent>,
    pub erasures: Vec<ErasureRecord>,
}

/// The member numbered `member` (from 1) is not in the household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSuchMember {
    pub member: u32,
    pub members: usize,
}

impl AccessReport {
    /// The report for the household (`member` None) or one member, by the rules above.
    pub fn assemble(
        gathered: Gathered,
        member: Option<u32>,
        made_on: NaiveDate,
    ) -> Result<AccessReport, NoSuchMember> {
        let Gathered {
            mut household,
            mut interviews,
            score,
            decisions,
            consents,
            placements,
            confidential,
            reader_may_read_confidential,
            documents,
            reads,
            erasures,
        } = gathered;
        let members = household.members.len();
        if let Some(m) = member {
            let index = (m as usize)
                .checked_sub(1)
                .filter(|i| *i < members)
                .ok_or(NoSuchMember { member: m, members })?;
            household.members = vec![household.members.swap_remove(index)];
        }
        let notes = notes_disclosure(member, members);
        if notes != NotesDisclosure::Included {
            for interview in &mut interviews {
                interview.notes.clear();
            }
        }
        let (confidential, confidential_disclosure) = match member {
            None => (None, ConfidentialDisclosure::NotInHouseholdReport),
            Some(_) if !reader_may_read_confidential => {
                (None, ConfidentialDisclosure::ReaderWithoutGrant)
            }
            Some(m) => match confidential.filter(|n| n.member == m) {
                Some(note) => (Some(note), ConfidentialDisclosure::Included),
                None => (None, ConfidentialDisclosure::NoneRecorded),
            },
        };
        Ok(AccessReport {
            case_no: household.unhcr_case_no.clone(),
            member,
            made_on,
            household,
            interviews,
            notes,
            score,
            decisions,
            consents,
            placements,
            confidential,
            confidential_disclosure,
            documents,
            reads,
            erasures,
        })
    }
}

/// Whether a report for `member` (None: the household) of a household of `members` shows
/// the interview notes.
pub fn notes_disclosure(member: Option<u32>, members: usize) -> NotesDisclosure {
    match member {
        Some(_) if members > 1 => NotesDisclosure::WithheldOtherMembers,
        _ => NotesDisclosure::Included,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::household;
    use chrono::{TimeZone, Utc};
    use std::collections::BTreeMap;

    fn gathered(members: usize, confidential_of: Option<u32>, grant: bool) -> Gathered {
        let h = household(crate::CaseStatus::Rejected, members);
        let note = confidential_of.map(|m| ConfidentialNote {
            member: m,
            person_id: h.members[m as usize - 1].id,
            note: "told alone".into(),
            recorded_by: "cw".into(),
            recorded_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
        });
        Gathered {
            interviews: vec![Interview {
                id: uuid::Uuid::nil(),
                held_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                interviewer: "cw".into(),
                notes: "what the family said".into(),
                assessments: BTreeMap::new(),
            }],
            household: h,
            score: None,
            decisions: vec![],
            consents: vec![],
            placements: vec![],
            confidential: note,
            reader_may_read_confidential: grant,
            documents: vec![],
            reads: vec![],
            erasures: vec![],
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn a_household_report_has_the_notes_and_no_member_s_confidential_information() {
        let r = AccessReport::assemble(gathered(3, Some(2), true), None, day()).unwrap();
        assert_eq!(r.household.members.len(), 3);
        assert_eq!(r.notes, NotesDisclosure::Included);
        assert_eq!(r.interviews[0].notes, "what the family said");
        assert_eq!(r.confidential, None);
        assert_eq!(
            r.confidential_disclosure,
            ConfidentialDisclosure::NotInHouseholdReport
        );
    }

    #[test]
    fn a_member_s_report_has_their_confidential_information_and_not_the_household_s_notes() {
        let g = gathered(3, Some(2), true);
        let second = g.household.members[1].clone();
        let r = AccessReport::assemble(g, Some(2), day()).unwrap();
        assert_eq!(r.household.members, vec![second]);
        assert_eq!(r.notes, NotesDisclosure::WithheldOtherMembers);
        assert_eq!(r.interviews[0].notes, "");
        assert_eq!(r.confidential.unwrap().note, "told alone");
        assert_eq!(r.confidential_disclosure, ConfidentialDisclosure::Included);

        // Another member's report never carries it.
        let r = AccessReport::assemble(gathered(3, Some(2), true), Some(1), day()).unwrap();
        assert_eq!(r.confidential, None);
        assert_eq!(
            r.confidential_disclosure,
            ConfidentialDisclosure::NoneRecorded
        );
        // Made by a user without the grant, the report says it is incomplete.
        let r = AccessReport::assemble(gathered(3, None, false), Some(2), day()).unwrap();
        assert_eq!(
            r.confidential_disclosure,
            ConfidentialDisclosure::ReaderWithoutGrant
        );
    }

    #[test]
    fn a_household_of_one_sees_its_notes_and_an_unknown_member_is_refused() {
        let r = AccessReport::assemble(gathered(1, None, true), Some(1), day()).unwrap();
        assert_eq!(r.notes, NotesDisclosure::Included);
        assert_eq!(
            AccessReport::assemble(gathered(2, None, true), Some(3), day()).unwrap_err(),
            NoSuchMember {
                member: 3,
                members: 2
            }
        );
        assert!(AccessReport::assemble(gathered(2, None, true), Some(0), day()).is_err());
    }
}
