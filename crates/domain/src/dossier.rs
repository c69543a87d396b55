//! Read models of a case for the Cases view and `resettle case show`: the dossier and the
//! search results. Plain data assembled by the store.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::consent::Consent;
use super::decision::Decision;
use super::quota::SubQuota;
use super::scoring::ScoreCard;
use super::screening::ScreeningFlag;
use super::{CaseDeadline, CaseStatus, Household, Priority};

/// An interview (mission route) or examination (dossier route).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Interview {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub interviewer: String,
    /// Sensitive: never leaves the agency.
    pub notes: String,
    /// Assessed rubric criteria: criterion key to level key.
    pub assessments: BTreeMap<String, String>,
}

/// What one member told the mission to be kept from the rest of the household (the RRF's
/// confidential information). Only a user with the confidential grant reads or records
/// it, each read is in the audit log, and it is in no dossier, document or bundle: the
/// store keeps it in a table of its own and reads it only for `Store::confidential_notes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConfidentialNote {
    /// The member's number in the household, from 1, as the dossier lists them.
    pub member: u32,
    pub person_id: Uuid,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A score as recorded: who scored, when, and the card (which carries its rubric version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StoredScore {
    pub id: Uuid,
    pub scored_at: DateTime<Utc>,
    pub scored_by: String,
    pub card: ScoreCard,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Transition {
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Declaration {
    pub person_id: Uuid,
    pub signed_on: NaiveDate,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Attendance {
    pub person_id: Uuid,
    pub society_lessons: u32,
    pub danish_lessons: u32,
}

/// Places the case holds in the quota ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Commitment {
    pub period: i32,
    pub year: i32,
    pub sub_quota: SubQuota,
    pub places: u32,
    pub used: bool,
}

/// The mission a case belongs to, as the dossier names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MissionRef {
    pub id: Uuid,
    pub name: String,
    pub strategic: bool,
}

/// Everything the agency holds on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dossier {
    pub household: Household,
    pub mission: Option<MissionRef>,
    pub deadline: CaseDeadline,
    pub interviews: Vec<Interview>,
    pub flags: Vec<ScreeningFlag>,
    /// The latest score, if any.
    pub score: Option<StoredScore>,
    /// Every decision, oldest first; the last is in force.
    pub decisions: Vec<Decision>,
    pub transitions: Vec<Transition>,
    pub declarations: Vec<Declaration>,
    pub attendance: Vec<Attendance>,
    pub commitments: Vec<Commitment>,
    /// The erasures done on the case, oldest first: a tombstone's `—` is explained by them.
    pub erasures: Vec<super::retention::ErasureRecord>,
    /// Releases to the municipality, oldest first (withdrawn ones included).
    pub consents: Vec<Consent>,
    /// The statuses the case may move to next.
    pub next: Vec<CaseStatus>,
    /// Adults (18 and over today), who sign the declaration.
    pub adults: Vec<Uuid>,
}

impl Dossier {
    /// The sensitive kinds of information this dossier shows (interview notes, screening
    /// notes, special and medical needs): reading it is recorded in the audit log with
    /// them. Empty for a dossier that shows none.
    pub fn sensitive_contents(&self) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        if self.interviews.iter().any(|i| !i.notes.trim().is_empty()) {
            kinds.push("interview_notes");
        }
        if !self.flags.is_empty() {
            kinds.push("screening");
        }
        if self
            .household
            .members
            .iter()
            .any(|m| m.special_needs.is_some())
        {
            kinds.push("special_needs");
        }
        if self.household.members.iter().any(|m| m.tom_patient) {
            kinds.push("medical");
        }
        kinds
    }
}

/// The Cases view's search: every given filter must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseQuery {
    /// Words that start a case number, RRF reference or member's name.
    pub text: Option<String>,
    pub nationality: Option<String>,
    pub priority: Option<Priority>,
    pub status: Option<CaseStatus>,
    pub mission: Option<Uuid>,
    /// At most this many rows (default 200).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseRow {
    pub unhcr_case_no: String,
    pub principal: String,
    pub members: u32,
    pub nationality: String,
    pub priority: Priority,
    pub status: CaseStatus,
    pub submission_date: NaiveDate,
    pub mission: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseSearch {
    /// All matches; `rows` holds the first of them, newest submission first.
    pub total: u32,
    pub rows: Vec<CaseRow>,
}
