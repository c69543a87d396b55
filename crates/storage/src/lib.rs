//! Storage: the database behind the domain. SQLite is the embedded default (a field
//! laptop's file, encrypted with SQLCipher); the office's PostgreSQL server is the second
//! backend. The operations are written once, in `ops/`, and compiled for each backend
//! against its own types (sqlx's `Any` driver cannot carry chrono or uuid types, nor open
//! an SQLCipher file), each backend with its own migrations folder; `Store` hands each
//! call to the backend that holds the database.

pub mod cipher;

/// The operations, declared in a backend's module: each file of `ops/` compiled there
/// against that backend's `Db`, `Conn`, `DbRow` and `Backend`. One list for both, so a new
/// file of operations reaches both backends or neither.
macro_rules! ops_modules {
    () => {
        #[path = "../ops/audit.rs"]
        mod audit;
        #[path = "../ops/base.rs"]
        mod base;
        #[path = "../ops/bundles.rs"]
        mod bundles;
        #[path = "../ops/cases.rs"]
        mod cases;
        #[path = "../ops/checkin.rs"]
        mod checkin;
        #[path = "../ops/columns.rs"]
        mod columns;
        #[path = "../ops/conflicts.rs"]
        mod conflicts;
        #[path = "../ops/consents.rs"]
        mod consents;
        #[path = "../ops/decisions.rs"]
        mod decisions;
        #[path = "../ops/documents.rs"]
        mod documents;
        #[path = "../ops/dossier.rs"]
        mod dossier;
        #[path = "../ops/missions.rs"]
        mod missions;
        #[path = "../ops/municipalities.rs"]
        mod municipalities;
        #[path = "../ops/placement.rs"]
        mod placement;
        #[path = "../ops/quota.rs"]
        mod quota;
        #[path = "../ops/returns.rs"]
        mod returns;
        #[path = "../ops/selection.rs"]
        mod selection;
        #[path = "../ops/settings.rs"]
        mod settings;
        #[path = "../ops/users.rs"]
        mod users;

        use audit::append_audit;
        use base::{insert_household, insert_mission, insert_period};
    };
}

// Each file of `ops/` is compiled once in each backend, by design: the same operations
// against each backend's types (see `store.rs`).
#[allow(clippy::duplicate_mod)]
mod postgres;
#[allow(clippy::duplicate_mod)]
mod sqlite;
mod store;
mod types;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use store::{Location, Store};
pub use types::{
    search_words, Batch, CapacityUse, CaseRef, Change, CheckedIn, Conflict, Decided, ImportReport,
    KeyInputSet, Line, MoveCheck, MunicipalityQuota, PackSource, PoolEntry, PreparedCheckout,
    PreparedReturn, Proposal, Proposed, Received, Recorded, ReferralSource, RubricVersion,
    DEFAULT_LIMIT,
};

/// A stored value this version cannot read (a code, an id, a JSON column).
pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Why a storage operation failed, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database at {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("the database {path} is encrypted: give its passphrase (--passphrase-file FILE or RESETTLE_PASSPHRASE)")]
    PassphraseRequired { path: String },
    #[error("the passphrase does not open the database {path}; nothing was changed")]
    WrongPassphrase { path: String },
    #[error("the database {path} is not encrypted, but a passphrase was given; give none, or create an encrypted database with `resettle init --encrypted`")]
    NotEncrypted { path: String },
    #[error(
        "a PostgreSQL server is not opened with a passphrase: give none for a postgres:// database"
    )]
    PassphraseForServer,
    #[error("{path} cannot be read as a database: it is not a Resettle database, or an encrypted one whose key file ({path}.key.json) is missing")]
    NotADatabase { path: String },
    #[error("{path} already exists; an encrypted database is created only where there is none")]
    AlreadyExists { path: String },
    #[error("the passphrase has {chars} characters; an encrypted database needs at least {min}")]
    WeakPassphrase { chars: usize, min: usize },
    #[error("cannot read the passphrase from {path}: {reason}")]
    PassphraseFile { path: String, reason: String },
    #[error(transparent)]
    Access(#[from] resettle_domain::access::AccessError),
    #[error(transparent)]
    Bundle(#[from] resettle_bundle::BundleError),
    #[error(
        "this database has no bundle key yet: an administrator makes one with `resettle keys init`"
    )]
    NoBundleKey,
    #[error("the bundle disagrees with this database; nothing was received: {}", .0.join("; "))]
    BundleRefused(Vec<String>),
    #[error("this database has received no check-out of mission {0}: a return goes back for a check-out received")]
    NoCheckout(String),
    #[error("there is no check-in conflict {0}")]
    NoSuchConflict(String),
    #[error("the check-in conflict {0} is already resolved")]
    ConflictResolved(String),
    #[error(transparent)]
    IdleLock(#[from] resettle_domain::idle_lock::IdleLockOutOfRange),
    #[error("encryption: {0}")]
    Cipher(String),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database already holds data ({households} households, {missions} missions); demo data goes only into an empty database")]
    NotEmpty { households: u32, missions: u32 },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Quota(#[from] resettle_domain::QuotaError),
    #[error("there is no case with UNHCR case number {0}")]
    NoSuchCase(String),
    #[error("every change to the quota needs its reason")]
    ReasonRequired,
    #[error("{} problem(s) in the file; nothing was imported", .0.len())]
    Import(Vec<resettle_domain::submission::Problem>),
    #[error("there is no mission {0}")]
    NoSuchMission(String),
    #[error(transparent)]
    Case(#[from] resettle_domain::CaseError),
    #[error("no quota period covers {0}; create one first")]
    NoPeriodForYear(i32),
    #[error("there is no rubric version {0}")]
    NoSuchRubric(u32),
    #[error("no key inputs for {0}: import them first")]
    NoKeyInputs(i32),
    #[error(transparent)]
    Key(#[from] resettle_domain::placement::key::KeyError),
    #[error("no municipal quotas for {0}: compute them from the key inputs first")]
    NoQuotasForYear(i32),
    #[error("there is no municipality {0}")]
    NoSuchMunicipality(u16),
    #[error("a capacity needs a name (e.g. wheelchair, specialist_care)")]
    CapacityNameRequired,
    #[error(transparent)]
    BadWeight(#[from] resettle_domain::placement::features::BadWeight),
    #[error("{0:?} is not a batch: use accepted, mission:<id> or cases:<number>,...")]
    BadBatch(String),
    #[error("there is no accepted household without a proposal in {0}")]
    NothingToPlace(String),
    #[error("case {case} cannot be placed: it {why}")]
    NotPlaceable { case: String, why: String },
    #[error("case {0} has no active placement proposal")]
    NoActiveProposal(String),
    #[error("no plan places the whole batch; nothing was saved: {}", .0.join("; "))]
    Infeasible(Vec<String>),
    #[error("the quotas, capacities or households of {0} changed while its plan was solved; nothing was saved: propose again")]
    PlacementChanged(String),
    #[error(transparent)]
    Proposal(#[from] resettle_domain::placement::proposal::ProposalError),
}

/// The codes `StoreError::code` gives besides the quota engine's.
pub const STORE_REFUSAL_CODES: &[&str] = &[
    "passphrase_required",
    "wrong_passphrase",
    "not_encrypted",
    "passphrase_for_server",
    "weak_passphrase",
    "idle_lock_range",
    "no_bundle_key",
    "bundle_refused",
    "no_checkout",
    "no_such_conflict",
    "conflict_resolved",
    "no_such_case",
    "reason_required",
    "no_such_mission",
    "no_period_for_year",
    "no_such_rubric",
    "no_key_inputs",
    "key_error",
    "no_quotas_for_year",
    "no_such_municipality",
    "capacity_name_required",
    "bad_weight",
    "bad_batch",
    "nothing_to_place",
    "not_placeable",
    "no_active_proposal",
    "infeasible",
    "placement_changed",
    "bad_transition",
    "closed",
    "over_quota",
    "no_capacity",
    "link_group_split",
    "name_required",
];

impl StoreError {
    /// A stable name for a refusal and its values (see `QuotaError::code`); None for
    /// faults, whose text is all there is to say.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            StoreError::Quota(e) => e.code(),
            StoreError::Case(e) => e.code(),
            StoreError::Access(e) => Some(e.code()),
            StoreError::Bundle(e) => Some(e.code()),
            StoreError::NoBundleKey => Some("no_bundle_key"),
            StoreError::BundleRefused(_) => Some("bundle_refused"),
            StoreError::NoCheckout(_) => Some("no_checkout"),
            StoreError::NoSuchConflict(_) => Some("no_such_conflict"),
            StoreError::ConflictResolved(_) => Some("conflict_resolved"),
            StoreError::NoSuchCase(_) => Some("no_such_case"),
            StoreError::PassphraseRequired { .. } => Some("passphrase_required"),
            StoreError::WrongPassphrase { .. } => Some("wrong_passphrase"),
            StoreError::NotEncrypted { .. } => Some("not_encrypted"),
            StoreError::PassphraseForServer => Some("passphrase_for_server"),
            StoreError::WeakPassphrase { .. } => Some("weak_passphrase"),
            StoreError::IdleLock(_) => Some("idle_lock_range"),
            StoreError::ReasonRequired => Some("reason_required"),
            StoreError::NoSuchMission(_) => Some("no_such_mission"),
            StoreError::NoPeriodForYear(_) => Some("no_period_for_year"),
            StoreError::NoSuchRubric(_) => Some("no_such_rubric"),
            StoreError::NoKeyInputs(_) => Some("no_key_inputs"),
            StoreError::Key(_) => Some("key_error"),
            StoreError::NoQuotasForYear(_) => Some("no_quotas_for_year"),
            StoreError::NoSuchMunicipality(_) => Some("no_such_municipality"),
            StoreError::CapacityNameRequired => Some("capacity_name_required"),
            StoreError::BadWeight(_) => Some("bad_weight"),
            StoreError::BadBatch(_) => Some("bad_batch"),
            StoreError::NothingToPlace(_) => Some("nothing_to_place"),
            StoreError::NotPlaceable { .. } => Some("not_placeable"),
            StoreError::NoActiveProposal(_) => Some("no_active_proposal"),
            StoreError::Infeasible(_) => Some("infeasible"),
            StoreError::PlacementChanged(_) => Some("placement_changed"),
            StoreError::Proposal(e) => Some(e.code()),
            _ => None,
        }
    }

    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            StoreError::Quota(e) => e.params(),
            StoreError::Case(e) => e.params(),
            StoreError::Access(e) => e.params(),
            StoreError::BundleRefused(why) => vec![("why", why.join("; "))],
            StoreError::Bundle(e) => vec![("detail", e.to_string())],
            StoreError::NoSuchCase(case) => vec![("case", case.clone())],
            StoreError::NoSuchMission(mission) | StoreError::NoCheckout(mission) => {
                vec![("mission", mission.clone())]
            }
            StoreError::NoSuchConflict(id) | StoreError::ConflictResolved(id) => {
                vec![("conflict", id.clone())]
            }
            StoreError::PassphraseRequired { path }
            | StoreError::WrongPassphrase { path }
            | StoreError::NotEncrypted { path } => vec![("path", path.clone())],
            StoreError::IdleLock(e) => vec![("minutes", e.minutes.to_string())],
            StoreError::WeakPassphrase { chars, min } => {
                vec![("chars", chars.to_string()), ("min", min.to_string())]
            }
            StoreError::NoPeriodForYear(year) => vec![("year", year.to_string())],
            StoreError::NoSuchRubric(version) => vec![("version", version.to_string())],
            StoreError::NoKeyInputs(year) | StoreError::NoQuotasForYear(year) => {
                vec![("year", year.to_string())]
            }
            StoreError::Key(e) => vec![("detail", e.to_string())],
            StoreError::NoSuchMunicipality(code) => vec![("municipality", code.to_string())],
            StoreError::BadWeight(e) => vec![("weight", e.0.to_owned())],
            StoreError::BadBatch(batch)
            | StoreError::NothingToPlace(batch)
            | StoreError::PlacementChanged(batch) => {
                vec![("batch", batch.clone())]
            }
            StoreError::NotPlaceable { case, why } => {
                vec![("case", case.clone()), ("why", why.clone())]
            }
            StoreError::NoActiveProposal(case) => vec![("case", case.clone())],
            StoreError::Infeasible(why) => vec![("why", why.join("; "))],
            StoreError::Proposal(e) => e.params(),
            _ => Vec::new(),
        }
    }

    /// The form field a refusal belongs to, so the app can show it next to that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            StoreError::Quota(e) => e.field(),
            StoreError::Case(e) => e.field(),
            StoreError::Access(e) => e.field(),
            StoreError::Bundle(resettle_bundle::BundleError::BadRecipient(_)) => Some("to"),
            StoreError::Bundle(_) | StoreError::BundleRefused(_) => Some("path"),
            StoreError::NoSuchCase(_) => Some("case"),
            StoreError::NoPeriodForYear(_) => Some("year"),
            StoreError::NoSuchRubric(_) => Some("rubric"),
            StoreError::ReasonRequired => Some("reason"),
            StoreError::PassphraseRequired { .. }
            | StoreError::WrongPassphrase { .. }
            | StoreError::WeakPassphrase { .. }
            | StoreError::PassphraseForServer => Some("passphrase"),
            StoreError::IdleLock(_) => Some("idle_lock"),
            StoreError::NoSuchMission(_) | StoreError::NoCheckout(_) => Some("mission"),
            StoreError::NoSuchConflict(_) | StoreError::ConflictResolved(_) => Some("conflict"),
            StoreError::NoKeyInputs(_) | StoreError::NoQuotasForYear(_) => Some("year"),
            StoreError::NoSuchMunicipality(_) => Some("municipality"),
            StoreError::CapacityNameRequired => Some("capacity"),
            StoreError::BadWeight(_) => Some("weights"),
            StoreError::BadBatch(_)
            | StoreError::NothingToPlace(_)
            | StoreError::PlacementChanged(_) => Some("batch"),
            StoreError::NotPlaceable { .. } | StoreError::NoActiveProposal(_) => Some("case"),
            StoreError::Proposal(e) => e.field(),
            _ => None,
        }
    }
}
