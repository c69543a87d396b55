//! Types that cross the IPC boundary to the front end, and the generator of their
//! TypeScript declarations (`ui/src/lib/bindings.ts`). The front end never declares a copy
//! of a Rust type by hand: a test fails when the generated file is out of date, and
//! `cargo xtask gen-types` rewrites it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::exports::{DocumentRequest, Exported, StatisticsFormat};
use crate::import::Problem;
use resettle_domain::access::{Permission, Role, User};
use resettle_domain::checkin::{ConflictKind, Side};
use resettle_domain::consent::{Consent, ReleaseItem, Withdrawal};
use resettle_domain::decision::{Decision, Verdict};
use resettle_domain::dossier::{
    Attendance, CaseQuery, CaseRow, CaseSearch, Commitment, Declaration, Dossier, Interview,
    MissionRef, StoredScore, Transition,
};
use resettle_domain::mission::{MissionProgress, Organisation, TeamMember};
use resettle_domain::overview::PeriodSummary;
use resettle_domain::placement::balance::{BalanceReport, GroupOutcome, MunicipalityFill};
use resettle_domain::placement::features::Weights;
use resettle_domain::placement::forecast::ForecastSummary;
use resettle_domain::placement::instance::{MunicipalityWishes, RefugeeWish};
use resettle_domain::placement::job_offer::JobOffer;
use resettle_domain::placement::outcomes::Metrics;
use resettle_domain::placement::profile::{MunicipalityProfile, PlacementProfile};
use resettle_domain::placement::proposal::{ProposalError, ProposalMethod, ProposalStatus};
use resettle_domain::quota::{EntryKind, LedgerEntry, QuotaStatus, SubQuotaStatus, YearStatus};
use resettle_domain::retention::{
    Erasure, ErasureRun, ErasureScope, RetentionRule, RetentionSchedule,
};
use resettle_domain::scoring::{
    Assessment, Criterion, CriterionScore, Exemption, Level, Method, Rubric, ScoreCard, Text,
};
use resettle_domain::screening::{ExclusionGround, FlagDecision, FlagResolution, ScreeningFlag};
use resettle_domain::{
    CaseDeadline, CaseStatus, Category, Dashboard, DeadlineStatus, Household, Mission,
    Municipality, Overview, Person, Priority, PriorityCounts, QuotaPeriod, Relationship, Route,
    Sex, SubQuota, YearQuota,
};
use resettle_storage::keyslots::KeySlotList;
use resettle_storage::{
    CapacityUse, CheckedIn, Conflict, HistoryImport, ImportReport, JobOfferRecord, KeyInputSet,
    Line, ModelVersion, MoveCheck, MunicipalityQuota, MunicipalityWishesRow, PoolEntry, Proposal,
    Proposed, Received, Released,
};

/// What the Settings view shows about the running app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    /// Where the database is: a file path for SQLite.
    pub database: String,
    /// Whether it is encrypted (and so opens with a passphrase, and can be locked).
    pub encrypted: bool,
    /// Whether it is locked now: the window shows only the passphrase screen.
    pub locked: bool,
    /// The database chosen in Settings for the next start, if any (a server's URL without
    /// its password).
    pub chosen: Option<String>,
    /// Whether the database itself authenticated who works (the office server's login),
    /// rather than the operating system's login standing for them (a file).
    pub server_login: bool,
    /// The member whose key slot unlocked a laptop's file: who works, proven by their
    /// passphrase.
    pub unlocked_as: Option<String>,
    /// The folder the app's log files are written to (one a day, the last fourteen kept),
    /// or None if it could not be made.
    pub log_dir: Option<String>,
}

/// A receipt of the audit chain's head written from Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiptWritten {
    /// Where it was written.
    pub out: String,
    /// The head entry's sequence number.
    pub seq: u32,
    /// The head entry's hash.
    pub head: String,
}

/// The database the app opens from its next start, as chosen in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DatabaseChoice {
    /// Where it is, as shown (a server's URL without its password); None for the default.
    pub chosen: Option<String>,
}

/// A refused or failed command: the message (English), the form field it belongs to (if
/// any) so the view can show it next to that field, and for a refusal its code and values
/// so the view can say it in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommandError {
    pub message: String,
    pub field: Option<String>,
    pub code: Option<String>,
    pub params: BTreeMap<String, String>,
}

/// The refusals the desktop shell makes itself, before it calls the core.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellRefusal {
    #[error("{0:?} is not the id of an exceptional situation")]
    NotAnExceptionalId(String),
    #[error("{0}")]
    CannotReadFile(String),
    #[error("choose the file")]
    PathRequired,
    #[error("choose where to save the file")]
    SavePathRequired,
    #[error("the database is locked: type its passphrase")]
    Locked,
    #[error("the database {0} is not encrypted: it has no passphrase to unlock or lock it with")]
    NotEncrypted(String),
    #[error("give a database: a file's full path or a postgres:// URL")]
    DatabaseRequired,
    #[error("give the database file's full path")]
    DatabasePathRelative,
    #[error("cannot keep the choice of database: {0}")]
    CannotSaveChoice(String),
    #[error("{0}")]
    TrainingFailed(String),
}

resettle_domain::refusal_table! {
    impl ShellRefusal {
        Self::NotAnExceptionalId(id) => "not_an_exceptional_id" in "exceptional" [id],
        Self::CannotReadFile(detail) => "cannot_read_file" in "path" [detail],
        Self::PathRequired => "path_required" in "path",
        Self::SavePathRequired => "path_required" in "path",
        Self::Locked => "locked" in "passphrase",
        // The same refusal as the store's when a passphrase is given for a plain file.
        Self::NotEncrypted(path) => "not_encrypted" in "passphrase" [path],
        Self::DatabaseRequired => "database_required" in "database",
        Self::DatabasePathRelative => "database_path_relative" in "database",
        Self::CannotSaveChoice(detail) => "cannot_save_choice" in "database" [detail],
        Self::TrainingFailed(detail) => "training_failed" in "history" [detail],
    }
}

/// A `CommandError` from any error with a refusal table (see `resettle_domain::refusal`).
macro_rules! command_error_from {
    ($($error:ty),*) => {$(
        impl From<$error> for CommandError {
            fn from(e: $error) -> Self {
                Self {
                    field: e.field().map(str::to_owned),
                    code: resettle_domain::refusal::IntoCode::into_code(e.code()).map(str::to_owned),
                    params: e
                        .params()
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect(),
                    message: e.to_string(),
                }
            }
        }
    )*};
}

command_error_from!(
    resettle_storage::StoreError,
    crate::exports::ExportError,
    crate::receipt::ReceiptError,
    ShellRefusal
);

impl From<String> for CommandError {
    fn from(message: String) -> Self {
        Self {
            message,
            field: None,
            code: None,
            params: BTreeMap::new(),
        }
    }
}

/// A document made for the Documents view's preview, not yet saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RenderedDocument {
    pub kind: String,
    pub document_ids: Vec<String>,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Where to offer to save it: the user's documents folder and a name such as
    /// `referral-UGA-25C90012.pdf`.
    pub suggested_path: String,
}

/// A pack's progress: forms rendered of the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// The Quotas view's "new period" form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CreatePeriodForm {
    pub start_year: i32,
    pub places: u32,
    pub years: u8,
    pub carry_over: bool,
    pub annual_cap: u32,
    pub reason: String,
}

/// Sets a year's allocation to a sub-quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AllocateForm {
    pub period: i32,
    pub year: i32,
    pub sub_quota: SubQuota,
    pub places: u32,
    /// The id of a recorded exceptional situation, to pass the annual cap.
    pub exceptional_id: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReallocateForm {
    pub period: i32,
    pub year: i32,
    pub from: SubQuota,
    pub to: SubQuota,
    pub places: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CloseYearForm {
    pub period: i32,
    pub year: i32,
    pub reason: String,
}

/// The Cases view's interview form (an examination, for a dossier case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InterviewForm {
    pub case_no: String,
    pub held_on: NaiveDate,
    pub interviewer: String,
    pub notes: String,
    pub assessments: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FlagForm {
    pub case_no: String,
    pub ground: ExclusionGround,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FlagDecisionForm {
    pub case_no: String,
    pub flag_id: Uuid,
    pub resolution: FlagResolution,
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DecisionForm {
    pub case_no: String,
    pub verdict: Verdict,
    pub by: String,
    pub reasons: String,
    /// For a split acceptance, the members accepted; None accepts the household.
    pub accepted: Option<Vec<Uuid>>,
    /// The quota year to charge; None charges the open year of this year's period.
    pub quota_year: Option<i32>,
}

/// Propose municipalities for a batch: `accepted`, `mission:<id>` or `cases:<a>,<b>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProposeForm {
    pub batch: String,
    pub year: i32,
    pub method: ProposalMethod,
}

/// Move a household's open proposal to another municipality by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MoveProposalForm {
    pub case_no: String,
    pub municipality: u16,
    /// Needed to go over the municipality's quota.
    pub override_reason: Option<String>,
}

/// Consulted, confirmed or declined (a decline needs its reason in `note`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProposalTransitionForm {
    pub case_no: String,
    pub to: ProposalStatus,
    pub note: String,
}

/// A hand edit of a municipality's quota for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MunicipalQuotaForm {
    pub year: i32,
    pub code: u16,
    pub quota: u32,
    pub reason: String,
}

/// The Placement view's import of a year's key inputs from a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyInputsForm {
    pub year: i32,
    pub path: String,
    /// The figures are invented (demo or test data), not official statistics.
    pub synthetic: bool,
}

/// What an import of key inputs came to: the set written, or every problem of the file
/// (with nothing written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyInputsResult {
    pub file: String,
    pub imported: Option<KeyInputSet>,
    pub problems: Vec<String>,
}

/// The Placement view's job-offer form: a household's offer as documented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct JobOfferForm {
    pub case_no: String,
    pub municipality: u16,
    pub hours_per_week: f64,
    pub permanent: bool,
    pub document: String,
}

/// A quota manager's override of a household's job offer: the reason, or none to follow
/// the offer again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JobOfferOverrideForm {
    pub case_no: String,
    pub reason: Option<String>,
}

/// A household's own wishes, first wish first (they replace those recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HouseholdWishesForm {
    pub case_no: String,
    pub wishes: Vec<RefugeeWish>,
}

/// The import of a file the user picked or typed the path of: a year's municipality
/// wishes (`year` given) or an outcome history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VisitationFileForm {
    pub path: String,
    pub year: Option<i32>,
}

/// What a file import came to: how many rows were kept, or every problem of the file
/// (with nothing written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VisitationFileResult {
    pub file: String,
    pub rows: Option<u32>,
    pub problems: Vec<String>,
}

/// The Placement view's visitation panel: what the database holds of the year's
/// municipality wishes, the history and the model versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VisitationState {
    pub year: i32,
    pub municipality_wishes: Vec<MunicipalityWishesRow>,
    pub history: Option<HistoryImport>,
    pub models: Vec<ModelVersion>,
}

/// A municipality exempted from the key and the one its amount passes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuotaExemption {
    pub from: u16,
    pub to: u16,
}

/// The Placement view's computation of a year's municipal quotas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ComputeQuotasForm {
    pub year: i32,
    /// The national number of refugees (landstal) for the year.
    pub national: u32,
    pub exemptions: Vec<QuotaExemption>,
}

/// What the computation gave: the national number over how many municipalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ComputedQuotas {
    pub year: i32,
    pub national: u32,
    /// Municipalities given a quota above 0.
    pub given: u32,
    pub municipalities: u32,
}

/// The per-municipality table of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MunicipalityTable {
    pub year: i32,
    /// The year's key inputs are invented demo figures.
    pub synthetic_inputs: bool,
    pub rows: Vec<MunicipalityQuota>,
}

/// A status change after the decision: pending departure, departed, arrived, withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MoveForm {
    pub case_no: String,
    pub to: CaseStatus,
    pub on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeclarationForm {
    pub case_no: String,
    pub person_id: Uuid,
    pub signed_on: NaiveDate,
    pub place: String,
}

/// The Cases view's consent form: what the household releases to the municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsentForm {
    pub case_no: String,
    pub released: Vec<ReleaseItem>,
    pub language: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportForm {
    pub path: String,
    pub mission: Option<Uuid>,
    pub dry_run: bool,
}

/// What an import from the app did: the report, or every problem in the file (nothing
/// imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportResult {
    pub file: String,
    pub report: Option<ImportReport>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MissionForm {
    pub name: String,
    pub country_of_asylum: String,
    pub location: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub target_places: u32,
    pub strategic: bool,
}

/// The office's check-out of a mission to a laptop, written to `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckoutForm {
    pub mission: Uuid,
    /// The laptop's public bundle key (age1...).
    pub to: String,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckoutDone {
    pub bundle: Uuid,
    pub households: u32,
    /// At most `bundle::MAX_BYTES`, so a u32 (a number, not a bigint, in TypeScript).
    pub bytes: u32,
    pub sha256: String,
    pub file: String,
}

/// The laptop's return of a mission to the office that checked it out, written to `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReturnForm {
    pub mission: Uuid,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReturnDone {
    pub bundle: Uuid,
    pub households: u32,
    /// Rows of field work in the return.
    pub records: u32,
    pub bytes: u32,
    pub sha256: String,
    pub file: String,
}

/// What is known of a member's medical needs (member `position` counts from 1); empty
/// special needs clear them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NeedsForm {
    pub case_no: String,
    pub position: u32,
    pub special_needs: String,
    pub tom_patient: bool,
}

/// A quota manager takes one side of a check-in conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResolveForm {
    pub id: Uuid,
    pub side: Side,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamForm {
    pub mission: Uuid,
    pub name: String,
    pub organisation: Organisation,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttendanceForm {
    pub person_id: Uuid,
    pub society_lessons: u32,
    pub danish_lessons: u32,
}

/// A mission as the Missions view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MissionSummary {
    pub mission: Mission,
    pub progress: MissionProgress,
    pub team: Vec<TeamMember>,
}

/// The path of the generated file, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

/// The TypeScript declarations of every IPC type, in a stable order.
pub fn typescript_bindings() -> String {
    let declarations = [
        AllocateForm::decl(),
        AppInfo::decl(),
        Assessment::decl(),
        Attendance::decl(),
        AttendanceForm::decl(),
        CaseDeadline::decl(),
        CaseQuery::decl(),
        CaseRow::decl(),
        CaseSearch::decl(),
        CapacityUse::decl(),
        CaseStatus::decl(),
        Category::decl(),
        CloseYearForm::decl(),
        CommandError::decl(),
        Commitment::decl(),
        Consent::decl(),
        ConsentForm::decl(),
        CreatePeriodForm::decl(),
        Criterion::decl(),
        CriterionScore::decl(),
        Level::decl(),
        Method::decl(),
        Rubric::decl(),
        DatabaseChoice::decl(),
        DeadlineStatus::decl(),
        Decision::decl(),
        DecisionForm::decl(),
        Declaration::decl(),
        DeclarationForm::decl(),
        Dossier::decl(),
        EntryKind::decl(),
        ExclusionGround::decl(),
        Exemption::decl(),
        FlagDecision::decl(),
        FlagDecisionForm::decl(),
        FlagForm::decl(),
        FlagResolution::decl(),
        Household::decl(),
        ImportForm::decl(),
        ImportReport::decl(),
        ImportResult::decl(),
        Interview::decl(),
        InterviewForm::decl(),
        LedgerEntry::decl(),
        Mission::decl(),
        MissionForm::decl(),
        MissionProgress::decl(),
        MissionRef::decl(),
        MissionSummary::decl(),
        MoveCheck::decl(),
        MoveForm::decl(),
        MoveProposalForm::decl(),
        Municipality::decl(),
        MunicipalityProfile::decl(),
        MunicipalityQuota::decl(),
        MunicipalityTable::decl(),
        KeyInputsForm::decl(),
        KeyInputsResult::decl(),
        KeyInputSet::decl(),
        QuotaExemption::decl(),
        ComputeQuotasForm::decl(),
        ComputedQuotas::decl(),
        DocumentRequest::decl(),
        StatisticsFormat::decl(),
        Exported::decl(),
        RenderedDocument::decl(),
        DocumentProgress::decl(),
        MunicipalQuotaForm::decl(),
        Organisation::decl(),
        Overview::decl(),
        Dashboard::decl(),
        YearQuota::decl(),
        PeriodSummary::decl(),
        Person::decl(),
        PlacementProfile::decl(),
        RefugeeWish::decl(),
        BalanceReport::decl(),
        MunicipalityFill::decl(),
        GroupOutcome::decl(),
        JobOffer::decl(),
        JobOfferRecord::decl(),
        JobOfferForm::decl(),
        JobOfferOverrideForm::decl(),
        HouseholdWishesForm::decl(),
        VisitationFileForm::decl(),
        VisitationFileResult::decl(),
        VisitationState::decl(),
        MunicipalityWishes::decl(),
        MunicipalityWishesRow::decl(),
        HistoryImport::decl(),
        ModelVersion::decl(),
        Metrics::decl(),
        ForecastSummary::decl(),
        PoolEntry::decl(),
        Priority::decl(),
        PriorityCounts::decl(),
        Proposal::decl(),
        ProposalError::decl(),
        ProposalMethod::decl(),
        ProposalStatus::decl(),
        ProposalTransitionForm::decl(),
        Proposed::decl(),
        ProposeForm::decl(),
        Problem::decl(),
        QuotaPeriod::decl(),
        QuotaStatus::decl(),
        ReallocateForm::decl(),
        Relationship::decl(),
        RetentionSchedule::decl(),
        RetentionRule::decl(),
        ErasureScope::decl(),
        Erasure::decl(),
        ErasureRun::decl(),
        resettle_domain::retention::ErasureRecord::decl(),
        ReleaseItem::decl(),
        Route::decl(),
        ScoreCard::decl(),
        ScreeningFlag::decl(),
        Sex::decl(),
        StoredScore::decl(),
        SubQuota::decl(),
        SubQuotaStatus::decl(),
        TeamForm::decl(),
        CheckoutForm::decl(),
        CheckoutDone::decl(),
        Received::decl(),
        ReturnForm::decl(),
        ReturnDone::decl(),
        CheckedIn::decl(),
        Released::decl(),
        Conflict::decl(),
        ConflictKind::decl(),
        Line::decl(),
        ResolveForm::decl(),
        NeedsForm::decl(),
        resettle_domain::dossier::ConfidentialNote::decl(),
        Side::decl(),
        User::decl(),
        Role::decl(),
        Permission::decl(),
        ReceiptWritten::decl(),
        KeySlotList::decl(),
        TeamMember::decl(),
        Text::decl(),
        Transition::decl(),
        Verdict::decl(),
        Weights::decl(),
        Withdrawal::decl(),
        YearStatus::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in src/ by `cargo xtask gen-types`. Do not edit.\n\n",
    );
    for decl in declarations {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    // The refusal codes a `CommandError` may carry; a front-end test checks that each has
    // its message in every language.
    let codes: Vec<String> = refusal_codes().iter().map(|c| format!("'{c}'")).collect();
    out.push_str(&format!(
        "export const REFUSAL_CODES = [{}] as const;\n",
        codes.join(", ")
    ));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Every code a `CommandError` can carry: each error type's table, once each (the store's
/// `not_encrypted` is also the shell's, and "reason_required" the store's and a proposal's).
pub fn refusal_codes() -> Vec<&'static str> {
    let tables: [&[&'static str]; 12] = [
        resettle_domain::QuotaError::CODES,
        resettle_domain::CaseError::CODES,
        resettle_domain::access::AccessError::CODES,
        resettle_domain::placement::proposal::ProposalError::CODES,
        resettle_domain::placement::visitation::VisitationError::CODES,
        resettle_bundle::BundleError::CODES,
        resettle_bundle::ReceiptError::CODES,
        resettle_storage::StoreError::CODES,
        resettle_domain::retention::PrivacyError::CODES,
        crate::exports::ExportError::CODES,
        crate::receipt::ReceiptError::CODES,
        ShellRefusal::CODES,
    ];
    let mut codes: Vec<&'static str> = Vec::new();
    for code in tables.into_iter().flatten() {
        if !codes.contains(code) {
            codes.push(code);
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Fails when the committed bindings differ from the Rust types; with
    /// `UPDATE_BINDINGS=1` it rewrites them instead (what `cargo xtask gen-types` does).
    #[test]
    fn generated_bindings_are_up_to_date() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(BINDINGS_PATH);
        let expected = typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &expected).expect("write bindings");
            return;
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is out of date with the Rust types: run `cargo xtask gen-types`",
            path.display()
        );
    }
}
