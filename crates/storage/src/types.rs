//! The values the store's operations take and give. They are defined once, here, and
//! not in `ops/`, which is compiled once per backend: a `Recorded` from SQLite and one
//! from PostgreSQL must be the same type for `Store` to hand either to its callers.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::StoreError;
use resettle_bundle::{Checkout, Return};
use resettle_domain::checkin::{ConflictKind, Side};
use resettle_domain::consent::Consent;
use resettle_domain::decision::Decision;
use resettle_domain::digest::sha256_hex;
use resettle_domain::municipality::Arrival;
use resettle_domain::placement::forecast::ForecastSummary;
use resettle_domain::placement::instance::MunicipalityWishes;
use resettle_domain::placement::job_offer::JobOffer;
use resettle_domain::placement::outcomes::Metrics;
use resettle_domain::placement::profile::MunicipalityProfile;
use resettle_domain::placement::proposal::{ProposalError, ProposalMethod, ProposalStatus};
use resettle_domain::quota::QuotaStatus;
use resettle_domain::Household;

// Mission check-out and receipt (ops/bundles.rs)

/// A check-out made and not yet recorded: the caller writes the file, then records it.
pub struct PreparedCheckout {
    pub checkout: Checkout,
    pub bytes: Vec<u8>,
    pub recipient: String,
}

/// Names the bundle only: its households are personal data, not for a log or a panic.
impl std::fmt::Debug for PreparedCheckout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedCheckout")
            .field("bundle", &self.checkout.id)
            .field("mission", &self.checkout.mission.id)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl PreparedCheckout {
    pub fn sha256(&self) -> String {
        sha256_hex(&self.bytes)
    }
}

/// What receiving a bundle did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Received {
    pub bundle: Uuid,
    pub mission: Uuid,
    pub households: u32,
    pub persons: u32,
    /// Households the laptop already held exactly as the bundle has them.
    pub unchanged: u32,
    /// The bundle had been received before: nothing was written.
    pub already_received: bool,
}

// Cases and their import (ops/cases.rs)

/// How a caller names a case.
#[derive(Debug, Clone, Copy)]
pub enum CaseRef<'a> {
    /// The UNHCR case number.
    Number(&'a str),
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ImportReport {
    /// New households written.
    pub households: u32,
    pub persons: u32,
    /// Households already in the database exactly as the file has them.
    pub unchanged: u32,
    pub dry_run: bool,
}

// A laptop's return and its check-in (ops/checkin.rs)

/// A return made and not yet recorded: the caller writes the file, then records it.
pub struct PreparedReturn {
    pub ret: Return,
    pub bytes: Vec<u8>,
    pub recipient: String,
}

/// Names the bundle only: its households are personal data, not for a log or a panic.
impl std::fmt::Debug for PreparedReturn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedReturn")
            .field("bundle", &self.ret.id)
            .field("checkout", &self.ret.checkout)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl PreparedReturn {
    pub fn records(&self) -> u32 {
        self.ret
            .households
            .iter()
            .map(|h| h.records.len() as u32)
            .sum()
    }
}

/// What checking a return in did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct CheckedIn {
    pub bundle: Uuid,
    pub mission: Uuid,
    pub households: u32,
    /// Fields of households the office took from the laptop (statuses, medical needs).
    pub fields_taken: u32,
    /// Rows of field work the office did not have.
    pub records_added: u32,
    /// New entries in the conflict queue.
    pub conflicts: u32,
    /// The return had been checked in before: nothing was written.
    pub already_checked_in: bool,
    /// The receipt for the laptop, which lets it erase its copy (`release_field_copy`):
    /// written to a file by whoever asked for it, never sent to the window.
    #[serde(skip)]
    #[ts(skip)]
    pub receipt: Option<resettle_bundle::CheckinReceipt>,
}

/// What a laptop's release of its copy of a mission erased.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Released {
    pub mission: Uuid,
    pub mission_name: String,
    /// The households whose personal data was erased from this laptop.
    pub households: u32,
    /// Whether the file was rewritten without the erased bytes at once.
    pub compacted: bool,
}

/// One line of one side of a conflict: a field and its value, as text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Line {
    pub field: String,
    pub value: String,
}

/// An entry of the conflict queue, both sides as they were at the check-in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Conflict {
    pub id: Uuid,
    pub case_no: String,
    pub kind: ConflictKind,
    /// What it is about: "status", a member ("member 2"), a decision, "consents", a record.
    pub subject: String,
    pub office: Vec<Line>,
    pub laptop: Vec<Line>,
    pub raised_at: chrono::DateTime<Utc>,
    pub resolution: Option<Side>,
    pub resolved_by: Option<String>,
}

// Decisions (ops/decisions.rs)

/// What a decision recorded; an acceptance also says what it charged to the quota.
#[derive(Debug, Clone)]
pub struct Decided {
    pub decision: Decision,
    pub quota: Option<Recorded>,
}

// Documents (ops/documents.rs)

/// What a household's referral is made from.
#[derive(Debug, Clone)]
pub struct ReferralSource {
    pub household: Household,
    pub consents: Vec<Consent>,
    pub arrival: Arrival,
}

/// What a municipality's pack is made from: its confirmed households of the year.
#[derive(Debug, Clone)]
pub struct PackSource {
    pub municipality_code: u16,
    pub municipality_name: String,
    pub year: i32,
    /// The municipality's quota for the year; None before the quotas are computed.
    pub quota: Option<u32>,
    /// Persons in the year's active proposals for the municipality.
    pub used: u32,
    pub households: Vec<ReferralSource>,
}

// The dossier and case search (ops/dossier.rs)

/// The rows a search returns when the query does not say.
pub const DEFAULT_LIMIT: u32 = 200;

/// The words of a text as the case search indexes and matches them: split at anything
/// that is not a letter or digit, lowercased, with diacritics taken off ("Müller" is
/// "muller"), so that both backends' indexes see the same words and a user's own
/// punctuation never reaches a query language.
pub fn search_words(text: &str) -> Vec<String> {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect()
}

// Municipalities, their key and their quotas (ops/municipalities.rs)

/// One capacity: units recorded and units held by active proposals of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CapacityUse {
    pub capacity: String,
    pub units: u32,
    pub used: u32,
}

/// A row of the per-municipality table for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MunicipalityQuota {
    pub code: u16,
    pub name: String,
    pub region_name: String,
    /// What the distribution key gave; None before the year's quotas are computed.
    pub computed: Option<u32>,
    pub quota: Option<u32>,
    /// Persons in active proposals (proposed, consulted, confirmed) of the year.
    pub used: u32,
    /// quota − used; negative when an override placed more.
    #[ts(type = "number")]
    pub left: i64,
    /// The reason of the latest hand edit, if the quota was edited.
    pub edit_reason: Option<String>,
    pub capacities: Vec<CapacityUse>,
    pub profile: MunicipalityProfile,
}

/// Where a year's key inputs came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyInputSet {
    pub year: i32,
    pub source: String,
    /// Invented figures for demonstration, not official statistics.
    pub synthetic: bool,
    pub municipalities: u32,
}

// Placement (ops/placement.rs)

/// Which households to place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// The accepted, unplaced households of a mission.
    Mission(Uuid),
    /// Every accepted, unplaced household.
    Accepted,
    /// These case numbers (each must be accepted and unplaced).
    Cases(Vec<String>),
}

impl std::fmt::Display for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Batch::Mission(id) => write!(f, "mission:{id}"),
            Batch::Accepted => f.write_str("accepted"),
            Batch::Cases(cases) => write!(f, "cases:{}", cases.join(",")),
        }
    }
}

impl FromStr for Batch {
    type Err = StoreError;
    /// `accepted`, `mission:<id>` or `cases:<number>,<number>,...`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || StoreError::BadBatch(s.to_owned());
        match s.split_once(':') {
            None if s == "accepted" => Ok(Batch::Accepted),
            Some(("mission", id)) => Ok(Batch::Mission(id.trim().parse().map_err(|_| bad())?)),
            Some(("cases", list)) => {
                let cases: Vec<String> = list
                    .split(',')
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect();
                if cases.is_empty() {
                    return Err(bad());
                }
                Ok(Batch::Cases(cases))
            }
            _ => Err(bad()),
        }
    }
}

/// A household's proposal as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Proposal {
    pub case_no: String,
    pub persons: u32,
    pub needs: Vec<String>,
    pub link_group: Option<String>,
    pub year: i32,
    pub municipality: u16,
    pub municipality_name: String,
    pub status: ProposalStatus,
    pub score: f64,
    pub reasons: Vec<String>,
    pub method: ProposalMethod,
    pub override_reason: Option<String>,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    /// The learned model that scored it (none: the feature model's weights).
    pub model_version: Option<u32>,
    /// What the forecast said the rest of the year still needs once its batch was placed
    /// (none: solved without a forecast).
    pub forecast: Option<ForecastSummary>,
}

/// What a batch proposal produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Proposed {
    pub batch: String,
    pub method: ProposalMethod,
    pub objective: f64,
    /// The LP bound and gap (optimal method only).
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub proven_optimal: bool,
    #[ts(type = "number")]
    pub solve_ms: u64,
    pub proposals: Vec<Proposal>,
    /// What the rest of the year still needs once the batch is placed, by the forecast
    /// drawn from the outcome history (none: no history, or asked for none).
    pub forecast: Option<ForecastSummary>,
    /// Why there was no forecast, when there was none.
    pub no_forecast: Option<String>,
}

/// A household waiting for a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PoolEntry {
    pub case_no: String,
    pub persons: u32,
    pub mission: Option<String>,
    pub needs: Vec<String>,
    pub link_group: Option<String>,
}

/// The checks of a move by hand, made before it is saved (the view shows them live).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MoveCheck {
    /// Hard problems: the move is refused while any remains.
    pub problems: Vec<ProposalError>,
    /// The municipality's quota would be exceeded: allowed only with an override reason.
    pub over_quota: Option<ProposalError>,
    pub score: f64,
    pub reasons: Vec<String>,
}

// The quota ledger (ops/quota.rs)

/// Who made a change and why: every ledger entry carries both.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub author: &'a str,
    pub reason: &'a str,
}

impl Change<'_> {
    /// Every change says why: an empty reason is refused before anything is read.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        if self.reason.trim().is_empty() {
            return Err(StoreError::ReasonRequired);
        }
        Ok(())
    }
}

/// What an operation recorded: the entries written and the balances after them.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub entries: usize,
    pub status: QuotaStatus,
}

// Selection (ops/selection.rs)

/// A rubric version as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RubricVersion {
    pub version: u32,
    pub created_at: chrono::DateTime<Utc>,
    pub created_by: String,
    pub reason: String,
}

// The visitation's inputs and the learned models (ops/visitation.rs)

/// A household's job offer as recorded, and what it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct JobOfferRecord {
    pub case_no: String,
    pub offer: JobOffer,
    pub municipality_name: String,
    /// Permanent and at least 15 hours a week.
    pub qualifies: bool,
    /// It qualifies and was not overridden: it places the household.
    pub decides: bool,
    pub overridden_by: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A municipality's wishes for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MunicipalityWishesRow {
    pub code: u16,
    pub name: String,
    pub wishes: MunicipalityWishes,
}

/// An imported outcome history, without its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryImport {
    #[ts(type = "number")]
    pub seq: i64,
    pub file_name: String,
    pub sha256: String,
    pub rows: u32,
    pub first_year: i32,
    pub last_year: i32,
    pub imported_by: String,
    pub imported_at: DateTime<Utc>,
}

/// A learned model's version as listed: who trained it on which history, and how it did
/// in cross-validation beside the hand-weighted feature model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelVersion {
    pub version: u32,
    pub trained_by: String,
    pub trained_at: DateTime<Utc>,
    pub history_file: String,
    pub history_sha256: String,
    pub rows: u32,
    pub folds: u32,
    pub learned: Metrics,
    pub hand_weighted: Metrics,
    /// The version `placement propose` scores with.
    pub in_use: bool,
}
