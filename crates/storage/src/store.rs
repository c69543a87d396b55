//! `Store`: one database, on whichever backend it lives. The CLI, the app and the tests
//! hold a `Store`; each operation goes to the backend's own compilation of `ops/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use uuid::Uuid;

use super::cipher::Passphrase;
use super::keyslots::{KeySlotList, Unlock};
use super::types::*;
use super::{BackupFile, PgStore, SqliteStore, StoreError};
use resettle_demo::DemoData;
use resettle_domain::access::{Permission, User};
use resettle_domain::audit::ChainCheck;
use resettle_domain::checkin::Side;
use resettle_domain::consent::{Consent, ReleaseItem};
use resettle_domain::decision::DecisionRequest;
use resettle_domain::dossier::{CaseQuery, CaseSearch, Dossier, Interview, StoredScore};
use resettle_domain::mission::{MissionProgress, Organisation, TeamMember};
use resettle_domain::placement::balance::BalanceReport;
use resettle_domain::placement::features::Weights;
use resettle_domain::placement::forecast::ForecastSummary;
use resettle_domain::placement::instance::{Instance, MunicipalitySlot, MunicipalityWishes};
use resettle_domain::placement::job_offer::JobOffer;
use resettle_domain::placement::key::{KeyExemption, KeyInput};
use resettle_domain::placement::outcomes::{LearnedModel, TrainingData};
use resettle_domain::placement::plan::Plan;
use resettle_domain::placement::profile::{MunicipalityProfile, PlacementProfile};
use resettle_domain::placement::proposal::{ProposalMethod, ProposalStatus};
use resettle_domain::quota::{
    EntryKind, ExceptionalSituation, LedgerEntry, QuotaPeriod, QuotaStatus, SubQuota,
};
use resettle_domain::scoring::Rubric;
use resettle_domain::screening::{ExclusionGround, FlagResolution, ScreeningFlag};
use resettle_domain::statistics::Statistics;
use resettle_domain::submission::Submission;
use resettle_domain::{CaseDeadline, CaseStatus};
use resettle_domain::{Dashboard, Household, Mission, Municipality, Overview};

/// Where a database is: a file (SQLite, perhaps encrypted) or a PostgreSQL server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Server(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL names a server; anything else is a path.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Server(text.to_owned())
        } else {
            Location::File(PathBuf::from(text))
        }
    }

    /// The location as shown to a user: a server's URL without its password.
    pub fn shown(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Server(url) => redact(url),
        }
    }
}

/// A URL without its password, whether in its user part or as a `password=` parameter.
pub(crate) fn redact(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return "the PostgreSQL URL given".to_owned();
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("***"));
    }
    if parsed.query_pairs().any(|(k, _)| k == "password") {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "password" { "***".into() } else { v };
                (k.into_owned(), v.into_owned())
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

/// One database: a file or a server.
#[derive(Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl From<SqliteStore> for Store {
    fn from(store: SqliteStore) -> Self {
        Store::Sqlite(store)
    }
}

impl From<PgStore> for Store {
    fn from(store: PgStore) -> Self {
        Store::Postgres(store)
    }
}

impl Store {
    /// Opens the database at `location`. A passphrase belongs to an encrypted file only:
    /// a server keeps its data encrypted by its own means and is refused one.
    pub async fn open(
        location: &Location,
        passphrase: Option<&Passphrase>,
    ) -> Result<Store, StoreError> {
        match location {
            Location::File(path) => Ok(SqliteStore::open_with(path, passphrase).await?.into()),
            Location::Server(url) => match passphrase {
                Some(_) => Err(StoreError::PassphraseForServer),
                None => Ok(PgStore::connect(url).await?.into()),
            },
        }
    }

    /// Opens the database at `location` with what unlocks it: a member's passphrase or the
    /// office's recovery key (an encrypted file only).
    pub async fn open_unlocking(
        location: &Location,
        unlock: Option<Unlock<'_>>,
    ) -> Result<Store, StoreError> {
        match location {
            Location::File(path) => Ok(SqliteStore::open_unlocking(path, unlock).await?.into()),
            Location::Server(url) => match unlock {
                Some(_) => Err(StoreError::PassphraseForServer),
                None => Ok(PgStore::connect(url).await?.into()),
            },
        }
    }

    /// Opens an unencrypted database file.
    pub async fn open_file(path: &Path) -> Result<Store, StoreError> {
        Ok(SqliteStore::open(path).await?.into())
    }

    /// The login the database itself authenticated, where it has one: the office server's
    /// `session_user`, or the member whose key slot unlocked a laptop's file. A plain file
    /// has none.
    pub fn login(&self) -> Option<&str> {
        match self {
            Store::Sqlite(s) => s.member(),
            Store::Postgres(s) => Some(s.login()),
        }
    }

    /// Writes a consistent copy of the database to `out` (a new file) while others work,
    /// for an administrator; an encrypted file's copy stays encrypted under the same key
    /// slots. A server database is backed up with the server's own tools.
    pub async fn backup(&self, out: &Path, actor: &str) -> Result<BackupFile, StoreError> {
        match self {
            Store::Sqlite(s) => s.backup_to(out, actor).await,
            Store::Postgres(_) => Err(StoreError::BackupOnServer),
        }
    }

    /// Closes the database (a file's WAL first copied into it).
    pub async fn close(self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(s) => s.close().await,
        }
    }
}

/// One line in the log for a call of the store: its name, the backend, how long it took
/// and how it ended: a refusal by its code, a fault by its kind. Never its arguments or
/// what it returned, which may be a person's: the log holds no personal data. A call that
/// succeeds is a debug line (the audit log records every change already); a refusal an
/// info line; a fault a warning.
fn logged(
    op: &'static str,
    backend: &'static str,
    started: std::time::Instant,
    error: Option<&StoreError>,
) {
    let ms = started.elapsed().as_millis() as u64;
    match error {
        None => tracing::debug!(target: "resettle::store", op, backend, ms, "ok"),
        Some(e) => match e.code() {
            Some(code) => {
                tracing::info!(target: "resettle::store", op, backend, ms, code, "refused")
            }
            None => {
                tracing::warn!(target: "resettle::store", op, backend, ms, fault = e.fault_kind(), "failed")
            }
        },
    }
}

impl Store {
    /// Which backend holds the database, for the log: `file` or `server`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "file",
            Store::Postgres(_) => "server",
        }
    }
}

/// Each operation, handed to the backend that holds the database, and logged (`logged`).
macro_rules! delegate {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$doc])*
                // The backends' own signatures, some long (recording an interview).
                #[allow(clippy::too_many_arguments)]
                pub async fn $name(&self, $($arg: $ty),*) -> $ret {
                    let started = std::time::Instant::now();
                    let result = match self {
                        Store::Sqlite(s) => s.$name($($arg),*).await,
                        Store::Postgres(s) => s.$name($($arg),*).await,
                    };
                    logged(stringify!($name), self.backend(), started, result.as_ref().err());
                    result
                }
            )*
        }
    };
}

delegate! {
    /// Checks the audit log's hash chain from its first entry: the first broken link, or
    /// the number of entries and the head's hash.
    fn verify_audit() -> Result<ChainCheck, StoreError>;
    /// The number of entries in the audit log.
    fn audit_len() -> Result<u32, StoreError>;
    /// The hash of the audit entry `seq`, if the log holds it (a receipt's check).
    fn audit_hash_at(seq: i64) -> Result<Option<String>, StoreError>;
    /// The database's identity, made with its schema and kept by its copies.
    fn database_id() -> Result<String, StoreError>;
    /// The counts the Overview shows, in one read.
    fn overview() -> Result<Overview, StoreError>;
    /// What needs the office on `today` (the Overview's work list), in one read, for a
    /// user who reads cases.
    fn dashboard(today: NaiveDate, actor: &str) -> Result<Dashboard, StoreError>;
    /// The year's statistics for the ministry (arrivals by nationality, sub-quota,
    /// category, priority, municipality and region; time to departure; decisions; the
    /// quota), in one read, for a user who reads cases.
    fn statistics(year: i32, actor: &str) -> Result<Statistics, StoreError>;
    /// Writes the demo data set in one transaction: all of it or, on any error, none.
    /// Refuses a database that already holds cases or missions.
    fn seed_demo(data: &DemoData, actor: &str) -> Result<(), StoreError>;
    /// Municipalities, by code.
    fn municipalities() -> Result<Vec<Municipality>, StoreError>;
    /// This database's public bundle key (age1...), once made.
    fn bundle_recipient() -> Result<Option<String>, StoreError>;
    /// Opens a laptop database through its recovery slot with this database's bundle key
    /// and gives `member` a new key slot under `passphrase`: the office's way back in when
    /// a passphrase is lost.
    fn recover_laptop(laptop: &Path, member: &str, passphrase: &Passphrase, actor: &str) -> Result<KeySlotList, StoreError>;
    /// Makes this database's bundle key pair, kept in the database (encrypted with it on
    /// a laptop), and returns the public key to give to the other side. A database keeps
    /// its key: asked again, it returns the one it has.
    fn init_bundle_key(actor: &str) -> Result<String, StoreError>;
    /// The check-out of a mission for the laptop whose public key is `to`: the mission,
    /// its households and the rubric in force, encrypted to that key. Nothing is recorded
    /// until `record_checkout`, after the file is written.
    fn prepare_checkout(mission: Uuid, to: &str, actor: &str) -> Result<PreparedCheckout, StoreError>;
    /// Records a check-out whose file is written: the bundle, each household's state at
    /// this moment (for the check-in to compare), and the audit entry.
    fn record_checkout(prepared: &PreparedCheckout, actor: &str) -> Result<(), StoreError>;
    /// Receives a check-out on the laptop: decrypted with this database's key, checked
    /// whole, then written in one transaction, or nothing when anything disagrees with
    /// what the laptop holds.
    fn receive_checkout(bytes: &[u8], actor: &str) -> Result<Received, StoreError>;
    /// Writes the households of a submission file in one transaction: all of them or, on
    /// any problem, none. A case number already in the database is left alone when the
    /// file has it exactly as stored (so importing a file again changes nothing) and is a
    /// problem when the file has it differently. A dry run checks everything and writes
    /// nothing.
    fn import_submissions(submissions: Vec<Submission>, mission: Option<Uuid>, dry_run: bool, actor: &str) -> Result<ImportReport, StoreError>;
    /// Cases against their priority deadlines on `today`, most urgent first: the open
    /// cases, and with `with_departed` also those that departed (met or missed).
    fn deadlines(today: NaiveDate, with_departed: bool) -> Result<Vec<CaseDeadline>, StoreError>;
    /// The laptop's return for `mission`: every household of the mission as the laptop
    /// holds it, with its field work, encrypted to the office that checked it out.
    /// Nothing is recorded until `record_return`, after the file is written.
    fn prepare_return(mission: Uuid, actor: &str) -> Result<PreparedReturn, StoreError>;
    /// Records a return whose file is written.
    fn record_return(prepared: &PreparedReturn, actor: &str) -> Result<(), StoreError>;
    /// Checks a laptop's return in at the office: what only the laptop changed is taken,
    /// field work the office lacks is added, and the rest goes to the conflict queue.
    /// The result carries the receipt that lets the laptop erase its copy.
    fn check_in(bytes: &[u8], actor: &str) -> Result<CheckedIn, StoreError>;
    /// On the laptop: erases its copy of the mission the office's receipt (the file's
    /// bytes) is for, once it proves the office holds everything the laptop holds for it.
    fn release_field_copy(receipt: &[u8], actor: &str) -> Result<Released, StoreError>;
    /// The conflict queue: the open entries, or every entry with `all`.
    fn conflicts(all: bool, reader: &str) -> Result<Vec<Conflict>, StoreError>;
    /// Resolves a conflict by taking one side. Taking the laptop's applies it as the office
    /// would have recorded it: a status through the workflow, a decision through the
    /// quota; a refusal leaves the conflict open and nothing written.
    fn resolve_conflict(id: Uuid, side: Side, today: NaiveDate, actor: &str) -> Result<Conflict, StoreError>;
    /// Records what a household released to whom, in the language it was read to them.
    fn record_consent(case_no: &str, released: Vec<ReleaseItem>, language: &str, actor: &str) -> Result<Consent, StoreError>;
    /// Withdraws a consent; what it released is no longer printed from now on.
    fn withdraw_consent(case_no: &str, consent: Uuid, actor: &str) -> Result<(), StoreError>;
    /// Records a decision. An acceptance charges its accepted persons to the quota (the
    /// period holding `quota_year`, or this year's; its open year unless `quota_year`
    /// names one) in the same transaction: when places are missing nothing is recorded.
    fn decide_case(case_no: &str, request: DecisionRequest, quota_year: Option<i32>, today: NaiveDate, actor: &str) -> Result<Decided, StoreError>;
    /// Moves a case on after its decision: to pending departure, departed (on `on`),
    /// arrived (its committed places become used) or withdrawn (they are released).
    fn move_case(case_no: &str, to: CaseStatus, on: NaiveDate, change: &Change<'_>) -> Result<Option<Recorded>, StoreError>;
    /// A household's registration: its members, as the documents print them.
    fn household(case_no: &str) -> Result<Household, StoreError>;
    /// The referral's sources for a case with an active placement proposal.
    fn referral_source(case_no: &str) -> Result<ReferralSource, StoreError>;
    /// The pack's sources: the municipality, its quota and use for the year, and every
    /// household whose placement there that year is confirmed, by case number.
    fn pack_source(code: u16, year: i32) -> Result<PackSource, StoreError>;
    /// Records an export in the audit log: `kind` (declaration, referral, ...), the
    /// case or municipality it is for (an ID or code), the document IDs and the file's
    /// hash.
    fn record_export(actor: &str, kind: &str, subject: &str, document_ids: &[String], sha256: &str) -> Result<(), StoreError>;
    /// Everything held on a case, as of `today` (for its deadline and who is an adult).
    /// A case's dossier as `reader` sees it. When it shows sensitive information (interview
    /// or screening notes, special or medical needs) the read is recorded in the audit log:
    /// the case's ID and the kinds shown, never the information itself.
    fn dossier(case_no: &str, today: NaiveDate, reader: &str) -> Result<Dossier, StoreError>;
    /// Cases matching every given filter, newest submission first. Text matches words
    /// that start a case number, RRF reference or member's name (diacritics folded).
    /// Only a reader who may read cases searches them: the rows carry names.
    fn search_cases(query: &CaseQuery, reader: &str) -> Result<CaseSearch, StoreError>;
    /// Plans a selection mission.
    fn create_mission(mission: &Mission, actor: &str) -> Result<(), StoreError>;
    /// Missions, latest first.
    fn missions() -> Result<Vec<Mission>, StoreError>;
    /// One mission by its id.
    fn mission(id: Uuid) -> Result<Mission, StoreError>;
    /// Adds a member to a mission's team.
    fn add_team_member(mission: Uuid, name: &str, organisation: Organisation, role: &str, actor: &str) -> Result<TeamMember, StoreError>;
    /// A mission's team.
    fn team(mission: Uuid) -> Result<Vec<TeamMember>, StoreError>;
    /// Attaches submitted cases to a mission, all or none.
    fn attach_cases(mission: Uuid, case_nos: &[String], actor: &str) -> Result<u32, StoreError>;
    /// The mission's progress on `today` (who counts as an adult for the declarations).
    fn mission_progress(mission: Uuid, today: NaiveDate) -> Result<MissionProgress, StoreError>;
    /// Replaces the year's key inputs with `inputs` (which must name every municipality
    /// once; `key_file::read` checks that). All or nothing.
    fn import_key_inputs(year: i32, inputs: &[KeyInput], source: &str, synthetic: bool, actor: &str) -> Result<KeyInputSet, StoreError>;
    /// The distribution key's inputs imported for `year`, if any (with whether they are synthetic).
    fn key_input_set(year: i32) -> Result<Option<KeyInputSet>, StoreError>;
    /// Computes the year's municipal quotas from its key inputs and the national number,
    /// replacing earlier ones (hand edits stay in their log). Returns code → quota.
    fn compute_quotas(year: i32, national: u32, exemptions: &[KeyExemption], actor: &str) -> Result<BTreeMap<u16, u32>, StoreError>;
    /// Changes one municipality's quota of a year by hand, with a reason.
    fn set_municipal_quota(year: i32, code: u16, quota: u32, reason: &str, actor: &str) -> Result<(), StoreError>;
    /// Sets the units of one capacity of a municipality.
    fn set_capacity(code: u16, capacity: &str, units: u32, actor: &str) -> Result<(), StoreError>;
    /// Sets a municipality's labour market, services and language support for the feature model.
    fn set_municipality_profile(code: u16, profile: &MunicipalityProfile, actor: &str) -> Result<(), StoreError>;
    /// The demo's placement world (after `seed_demo`): synthetic key inputs, the year's
    /// quotas, capacities, profiles, and a dozen households accepted by the real decision
    /// path (so their places are charged to the quota).
    fn seed_placement_demo(demo: &resettle_demo::PlacementDemo, actor: &str) -> Result<(), StoreError>;
    /// Every municipality with its quota, use and capacities for the year.
    fn municipality_quotas(year: i32) -> Result<Vec<MunicipalityQuota>, StoreError>;
    /// The feature model's weights (the defaults until set).
    fn placement_weights() -> Result<Weights, StoreError>;
    /// Sets the feature model's weights, checked first.
    fn set_placement_weights(weights: &Weights, actor: &str) -> Result<(), StoreError>;
    /// A household's placement profile: network, needs, services, link group.
    fn placement_profile(case_no: &str) -> Result<PlacementProfile, StoreError>;
    /// Sets a household's placement profile; every municipality it names must exist.
    fn set_placement_profile(case_no: &str, profile: &PlacementProfile, actor: &str) -> Result<(), StoreError>;
    /// Every municipality with its profile, region and wishes in `year`, and its quota
    /// left (0 without quotas): what a learned model is trained and applied on.
    fn municipality_slots(year: i32) -> Result<Vec<MunicipalitySlot>, StoreError>;
    /// The year's balance: fill over the months per municipality, and predicted outcomes
    /// by nationality and household type with the model in use.
    fn placement_balance(year: i32) -> Result<BalanceReport, StoreError>;
    /// Accepted households without an active proposal.
    fn placement_pool() -> Result<Vec<PoolEntry>, StoreError>;
    /// The batch as the solver takes it: its households, and each municipality with the
    /// quota and capacities its active proposals leave, all read in one snapshot. No write
    /// lock is taken: the solve that follows may take many seconds, and every other writer
    /// must go on meanwhile. Refused unless `actor` may place households.
    fn placement_instance(year: i32, batch: &Batch, actor: &str) -> Result<Instance, StoreError>;
    /// Saves a plan solved from `solved_from` (an earlier `placement_instance`) as
    /// proposals, in one short write transaction. The batch is read again under the write
    /// lock: if any household, quota, capacity or weight differs from what was solved,
    /// nothing is saved and `PlacementChanged` says so, so that two proposals can never
    /// both spend the same places. Returns the saved proposals.
    /// `forecast` is what the solve's forecast said of the rest of the year (kept on each
    /// proposal); the model in use is recorded on each as well.
    fn save_proposals(year: i32, batch: &Batch, method: ProposalMethod, solved_from: &Instance, plan: &Plan, forecast: Option<&ForecastSummary>, actor: &str) -> Result<Vec<Proposal>, StoreError>;
    /// Proposals of a year (every year when None), active first.
    fn proposals(year: Option<i32>) -> Result<Vec<Proposal>, StoreError>;
    /// What moving a household's active proposal to `municipality` would break.
    fn check_move(case_no: &str, municipality: u16) -> Result<MoveCheck, StoreError>;
    /// Moves a household's open proposal to another municipality by hand. Over the
    /// quota only with an override reason; never without a capacity it needs, nor away
    /// from its link group. The proposal is proposed again (to the new municipality).
    fn move_proposal(case_no: &str, municipality: u16, override_reason: Option<&str>, actor: &str) -> Result<Proposal, StoreError>;
    /// Moves a household's active proposal to `to` (consulted, confirmed, declined). A
    /// declined household goes back to the pool.
    fn transition_proposal(case_no: &str, to: ProposalStatus, note: &str, actor: &str) -> Result<Proposal, StoreError>;
    /// A household's job offer, if one is recorded.
    fn job_offer(case_no: &str) -> Result<Option<JobOfferRecord>, StoreError>;
    /// Records or replaces a household's job offer (any override of the old one goes).
    fn set_job_offer(case_no: &str, offer: &JobOffer, actor: &str) -> Result<JobOfferRecord, StoreError>;
    /// A quota manager's override of a job offer with its reason, or `None` to lift it.
    fn override_job_offer(case_no: &str, reason: Option<&str>, actor: &str) -> Result<JobOfferRecord, StoreError>;
    fn remove_job_offer(case_no: &str, actor: &str) -> Result<(), StoreError>;
    /// The municipalities' wishes for a year, those that sent any.
    fn municipality_wishes(year: i32) -> Result<Vec<MunicipalityWishesRow>, StoreError>;
    /// Sets one municipality's wishes for a year (empty: none).
    fn set_municipality_wishes(year: i32, code: u16, wishes: &MunicipalityWishes, actor: &str) -> Result<Vec<MunicipalityWishesRow>, StoreError>;
    /// Replaces a year's wishes with a file's rows.
    fn import_municipality_wishes(year: i32, rows: &[(u16, MunicipalityWishes)], source: &str, actor: &str) -> Result<Vec<MunicipalityWishesRow>, StoreError>;
    /// Keeps an outcome history file read whole by `read_history`.
    fn import_history(content: &str, data: &TrainingData, actor: &str) -> Result<HistoryImport, StoreError>;
    /// The newest outcome history and its text.
    fn outcome_history() -> Result<Option<(HistoryImport, String)>, StoreError>;
    /// Keeps a learned model as the next version, not yet in use.
    fn save_model(model: &LearnedModel, history: i64, actor: &str) -> Result<ModelVersion, StoreError>;
    fn model_versions() -> Result<Vec<ModelVersion>, StoreError>;
    /// Puts a model version in use for proposals, or none (the feature model's weights).
    fn use_model(version: Option<u32>, actor: &str) -> Result<(), StoreError>;
    /// Creates a period with its allocations: the defaults, or the given ones in their place.
    fn create_period(period: &QuotaPeriod, allocations: &[(i32, SubQuota, u32)], change: &Change<'_>) -> Result<Recorded, StoreError>;
    /// All periods, by first year.
    fn quota_periods() -> Result<Vec<QuotaPeriod>, StoreError>;
    /// The period's balances: the database adds up the entries per kind, year and
    /// sub-quota, and the domain replays the sums.
    fn quota_status(start_year: i32) -> Result<QuotaStatus, StoreError>;
    /// The same balances rebuilt from every raw entry in order: the check that the summed
    /// replay and the full replay agree, and the benchmark's second figure.
    fn quota_status_from_entries(start_year: i32) -> Result<QuotaStatus, StoreError>;
    /// The period's newest entries, newest first; only those of one kind if given (the
    /// used-over-time chart reads every arrival).
    fn quota_history(start_year: i32, limit: u32, kind: Option<EntryKind>) -> Result<Vec<LedgerEntry>, StoreError>;
    /// Sets a year's allocation to a sub-quota.
    fn allocate(start_year: i32, year: i32, sub: SubQuota, places: u32, exceptional: Option<Uuid>, change: &Change<'_>) -> Result<Recorded, StoreError>;
    /// Moves places of `year` from one sub-quota to another, by the ledger's rules.
    fn reallocate(start_year: i32, year: i32, from: SubQuota, to: SubQuota, places: u32, change: &Change<'_>) -> Result<Recorded, StoreError>;
    /// Closes a year of the period: what is left carries over as the ledger allows.
    fn close_year(start_year: i32, year: i32, change: &Change<'_>) -> Result<Recorded, StoreError>;
    /// Records a decision that lets `year` go above the annual cap; allocations and
    /// commitments reference it by the returned id.
    fn record_exceptional(start_year: i32, year: i32, change: &Change<'_>) -> Result<ExceptionalSituation, StoreError>;
    /// Charges an accepted case's persons to a year of a period (its open year if none is
    /// given). The sub-quotas follow `Charges::for_household`.
    fn commit_case(case_no: &str, start_year: i32, year: Option<i32>, exceptional: Option<Uuid>, change: &Change<'_>) -> Result<Recorded, StoreError>;
    /// Gives a withdrawn case's committed places back.
    fn release_case(case_no: &str, change: &Change<'_>) -> Result<Recorded, StoreError>;
    /// The case's persons arrived: its committed places become used.
    fn arrive_case(case_no: &str, change: &Change<'_>) -> Result<Recorded, StoreError>;
    /// Records an interview with its notes and the criteria assessed (sensitive: read back only in the dossier, audited).
    fn record_interview(case_no: &str, held_on: NaiveDate, interviewer: &str, notes: &str, assessments: BTreeMap<String, String>, today: NaiveDate, actor: &str) -> Result<Interview, StoreError>;
    /// Raises an exclusion screening flag; the case cannot be accepted until it is decided.
    fn raise_flag(case_no: &str, ground: ExclusionGround, note: &str, actor: &str) -> Result<ScreeningFlag, StoreError>;
    /// Records the reasoned decision on a screening flag: `by` is who decided it (the
    /// record's words), `actor` the quota manager who records it.
    fn decide_flag(case_no: &str, flag_id: Uuid, resolution: FlagResolution, by: &str, reason: &str, actor: &str) -> Result<ScreeningFlag, StoreError>;
    /// The rubric in force: the latest saved version, or the default one (saved as version
    /// 1 the first time it is needed).
    fn rubric(actor: &str) -> Result<Rubric, StoreError>;
    /// One saved rubric version.
    fn rubric_version(version: u32) -> Result<Rubric, StoreError>;
    /// Every version of the scoring rubric, oldest first.
    fn rubric_versions() -> Result<Vec<RubricVersion>, StoreError>;
    /// Saves an edited rubric as a new version; scores made before keep theirs.
    fn save_rubric(rubric: Rubric, reason: &str, actor: &str) -> Result<Rubric, StoreError>;
    /// Scores the household under the rubric in force, with the assessments of its latest
    /// interview, and records the score.
    fn score_case(case_no: &str, today: NaiveDate, actor: &str) -> Result<StoredScore, StoreError>;
    /// Records that an adult member signed the declaration.
    fn sign_declaration(case_no: &str, person: Uuid, signed_on: NaiveDate, place: &str, today: NaiveDate, actor: &str) -> Result<(), StoreError>;
    /// Records what a mission learnt of a member's medical needs: the special needs (None
    /// clears them) and whether they are a patient of UNHCR's TOM programme. Member
    /// `position` counts from 1, as the dossier lists them.
    fn set_medical_needs(case_no: &str, position: u32, needs: &resettle_domain::checkin::Needs, actor: &str) -> Result<(), StoreError>;
    /// The case's confidential member information (of member `member` alone, counted from
    /// 1, when given): what members asked to be kept from the rest of the household. Needs
    /// the confidential grant beside `ReadCases`; a read that shows any note is recorded in
    /// the audit log (the members shown, not the text).
    fn confidential_notes(case_no: &str, member: Option<u32>, reader: &str) -> Result<Vec<resettle_domain::dossier::ConfidentialNote>, StoreError>;
    /// Records (or, with None or blank text, clears) member `position`'s confidential
    /// information. Needs the confidential grant beside `RecordFieldwork`; refused on a
    /// laptop's copy of a mission, which no return would carry it from.
    fn set_confidential_note(case_no: &str, position: u32, note: Option<&str>, actor: &str) -> Result<(), StoreError>;
    /// What the agency holds about the household, or about member `member` (from 1), for
    /// their access report (GDPR Art. 15); needs `ReadCases`. With the confidential grant,
    /// the member's own confidential information is read (and the read logged) for it.
    fn access_report(case_no: &str, member: Option<u32>, today: NaiveDate, reader: &str) -> Result<resettle_domain::subject_access::AccessReport, StoreError>;
    /// Records a person's cultural-orientation attendance (lessons attended so far).
    fn record_attendance(person: Uuid, society_lessons: u32, danish_lessons: u32, actor: &str) -> Result<(), StoreError>;
    /// Minutes without input before the app locks an encrypted database (10 until set).
    fn idle_lock_minutes() -> Result<u32, StoreError>;
    /// Sets how many idle minutes lock an encrypted database's window.
    fn set_idle_lock_minutes(minutes: u32, actor: &str) -> Result<(), StoreError>;
    /// The office's retention schedule (`domain::retention`'s defaults until one is saved).
    fn retention_schedule() -> Result<resettle_domain::retention::RetentionSchedule, StoreError>;
    /// Saves the retention schedule (an administrator's setting).
    fn set_retention_schedule(schedule: resettle_domain::retention::RetentionSchedule, actor: &str) -> Result<resettle_domain::retention::RetentionSchedule, StoreError>;
    /// Erases what the retention schedule says is due on `today`, in one transaction, then
    /// takes the bytes out of the files where this login may; with `dry_run`, only lists
    /// it. An administrator's work.
    fn run_retention(today: NaiveDate, dry_run: bool, actor: &str) -> Result<resettle_domain::retention::ErasureRun, StoreError>;
    /// Erases a closed case's personal data on the person's request, leaving its
    /// tombstone (case number, counts, categories): an administrator's work.
    fn erase_case(case_no: &str, reason: &str, today: NaiveDate, actor: &str) -> Result<resettle_domain::retention::ErasureRun, StoreError>;
    /// Rewrites the database's files without erased bytes; on the server only the tables'
    /// owner may.
    fn compact_erased(actor: &str) -> Result<(), StoreError>;
    /// Checks, without writing, that `actor` may do `permission`: for work that must not
    /// start at all when it would be refused (rendering a document to export).
    fn authorize(actor: &str, permission: Permission) -> Result<(), StoreError>;
    /// Every user, by name.
    fn users() -> Result<Vec<User>, StoreError>;
    /// The user named `name`, if registered.
    fn user(name: &str) -> Result<Option<User>, StoreError>;
    /// Registers `name` as the first user, with every role and the export grant, when the
    /// database has no user yet; otherwise does nothing. Returns whether it registered.
    /// Whoever creates a database sets it up; on one that has users nobody can claim it.
    fn claim_first_user(name: &str) -> Result<bool, StoreError>;
    /// Adds a user (an administrator's work).
    fn add_user(user: &User, actor: &str) -> Result<User, StoreError>;
    /// Changes a user's roles, export grant or whether they are active. Refused when no
    /// active administrator would remain.
    fn update_user(user: &User, actor: &str) -> Result<User, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_a_server_and_anything_else_a_file() {
        let server = Location::parse("postgresql://office@db.example/resettle");
        assert!(matches!(server, Location::Server(_)));
        assert_eq!(
            Location::parse("/home/kim/resettle.db"),
            Location::File(PathBuf::from("/home/kim/resettle.db"))
        );
    }

    #[test]
    fn a_password_is_never_shown() {
        let shown = Location::parse("postgres://office:s3cret@db.example:5432/resettle").shown();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.example"), "{shown}");
        let shown = redact("postgres://office@db.example/resettle?sslmode=require&password=s3cret");
        assert!(
            !shown.contains("s3cret") && shown.contains("sslmode=require"),
            "{shown}"
        );
        assert_eq!(redact("not a url"), "the PostgreSQL URL given");
    }
}
