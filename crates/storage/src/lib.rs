//! Storage: the database behind the domain. SQLite is the embedded default (a field
//! laptop's file, encrypted with SQLCipher); the office's PostgreSQL server is the second
//! backend. The operations are written once, in `ops/`, and compiled for each backend
//! against its own types (sqlx's `Any` driver cannot carry chrono or uuid types, nor open
//! an SQLCipher file), each backend with its own migrations folder; `Store` hands each
//! call to the backend that holds the database.

pub mod cipher;
mod dialect;
pub mod keyslots;
mod sides;

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
        #[path = "../ops/confidential.rs"]
        mod confidential;
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
        #[path = "../ops/privacy.rs"]
        mod privacy;
        #[path = "../ops/quota.rs"]
        mod quota;
        #[path = "../ops/returns.rs"]
        mod returns;
        #[path = "../ops/selection.rs"]
        mod selection;
        #[path = "../ops/settings.rs"]
        mod settings;
        #[path = "../ops/statistics.rs"]
        mod statistics;
        #[path = "../ops/subject_access.rs"]
        mod subject_access;
        #[path = "../ops/users.rs"]
        mod users;
        #[path = "../ops/visitation.rs"]
        mod visitation;

        use crate::dialect::Dialect;
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

pub use postgres::{Moved, MovedTable, PgStore};
pub use sqlite::{BackupFile, SqliteStore};
pub use store::{Location, Store};
pub use types::{
    search_words, Batch, CapacityUse, CaseRef, Change, CheckedIn, Conflict, Decided, HistoryImport,
    ImportReport, JobOfferRecord, KeyInputSet, Line, ModelVersion, MoveCheck, MunicipalityQuota,
    MunicipalityWishesRow, PackSource, PoolEntry, PreparedCheckout, PreparedReturn, Proposal,
    Proposed, Received, Recorded, ReferralSource, Released, RubricVersion, DEFAULT_LIMIT,
};

/// SQLSTATE 42501, insufficient_privilege: the server's grants refused the statement.
const INSUFFICIENT_PRIVILEGE: &str = "42501";

/// Raised by `resettle_sync_login` (postgres/privileges.rs) for a login the server lacks.
pub(crate) const NO_SUCH_LOGIN: &str = "RS001";

impl From<sqlx::Error> for StoreError {
    /// A refusal the server makes on its own (its privileges, or the login function's
    /// checks) is the user's refusal, said as such; anything else stays a fault.
    fn from(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error() {
            match db.code().as_deref() {
                Some(INSUFFICIENT_PRIVILEGE) => {
                    return StoreError::ServerDenied {
                        detail: db.message().to_owned(),
                    }
                }
                Some(NO_SUCH_LOGIN) => return StoreError::NoServerLogin(db.message().to_owned()),
                _ => {}
            }
        }
        StoreError::Database(e)
    }
}

impl StoreError {
    /// What kind of fault this is, in words that hold no value from the database (for the
    /// log): the variant, and a server's SQLSTATE. None of a fault's own text, which may
    /// quote a row. A refusal has its code instead (`code`).
    pub fn fault_kind(&self) -> String {
        let sqlstate = |e: &sqlx::Error| match e.as_database_error().and_then(|d| d.code()) {
            Some(code) => format!(" {code}"),
            None => String::new(),
        };
        match self {
            Self::Open { cause, .. } => format!("open{}", sqlstate(cause)),
            Self::Database(e) => format!("database{}", sqlstate(e)),
            Self::NotADatabase { .. } => "not_a_database".into(),
            Self::AlreadyExists { .. } => "already_exists".into(),
            Self::PassphraseFile { .. } => "passphrase_file".into(),
            Self::Cipher(_) => "cipher".into(),
            Self::Migrate(_) => "migrate".into(),
            Self::NotEmpty { .. } => "not_empty".into(),
            Self::Corrupt(_) => "corrupt".into(),
            Self::Import(problems) => format!("import ({} problems)", problems.len()),
            Self::MoveCheckFailed(_) => "move_check_failed".into(),
            other => other.code().unwrap_or("other").into(),
        }
    }
}

/// Why a database did not open, in the words of whoever refused: the server's message
/// ("password authentication failed for user ...") or the operating system's.
fn open_reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_owned(),
        sqlx::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// A stored value this version cannot read (a code, an id, a JSON column).
pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Why a storage operation failed, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Said once, with the server's or the file system's own words (not sqlx's wrapping
    /// of them, and not again as a chain of sources).
    #[error("cannot open the database at {path}: {}", open_reason(.cause))]
    Open { path: String, cause: sqlx::Error },
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
    #[error(transparent)]
    Receipt(#[from] resettle_bundle::ReceiptError),
    #[error("this laptop's copy of mission {0} was erased after the office checked it in: nothing of it is left here to return or erase")]
    FieldCopyReleased(String),
    #[error("there is no check-in conflict {0}")]
    NoSuchConflict(String),
    #[error("the check-in conflict {0} is already resolved")]
    ConflictResolved(String),
    #[error("the office's {table} row {id} is final (decided, withdrawn or recorded once) and is never changed: keep the office's side")]
    OfficeRowFinal { table: String, id: String },
    #[error(transparent)]
    IdleLock(#[from] resettle_domain::idle_lock::IdleLockOutOfRange),
    #[error("encryption: {0}")]
    Cipher(String),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database already holds data ({households} households, {missions} missions); demo data goes only into an empty database")]
    NotEmpty { households: u32, missions: u32 },
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The server's own privileges refused a statement: the login's group roles do not
    /// allow it (postgres/privileges.rs), whatever the app would have allowed.
    #[error("the server refuses this to your login ({detail}): your role does not allow it")]
    ServerDenied { detail: String },
    #[error("you are connected to the server as {login}; that login cannot act as {claimed}")]
    ConnectedAs { login: String, claimed: String },
    #[error("the database's schema is at version {have}, and this Resettle needs {need}: its owner opens it once (resettle --db postgres://OWNER@... init) to bring it up to date")]
    SchemaBehind { have: i64, need: i64 },
    #[error("the database {database} has no Resettle schema yet: the login that owns it runs `resettle --db postgres://OWNER@.../{database} init` first")]
    NotSetUp { database: String },
    #[error("the server has no login {0}: the IT department creates it first (CREATE ROLE {0} LOGIN ...), then an administrator adds the user")]
    NoServerLogin(String),
    #[error("{login} owns the database but may not create roles: the IT department gives it CREATEROLE (ALTER ROLE {login} CREATEROLE) so that init can make the group roles")]
    OwnerCannotCreateRoles { login: String },
    #[error("this return comes from laptop database {database}, whose audit log no longer holds entry {seq} that the office checked in before (it has {entries} entries): the laptop was restored from an older copy of itself; nothing was checked in")]
    LaptopRolledBack {
        database: String,
        seq: i64,
        entries: usize,
    },
    #[error("this laptop database has several members ({members}): say which one you are (--as NAME, or choose your name in the window)")]
    MemberRequired { members: String },
    #[error("{name} has no key slot in this laptop database; its members are {members}")]
    NoSuchMember { name: String, members: String },
    #[error("{0} already has a key slot in this laptop database")]
    MemberExists(String),
    #[error("{0} is the laptop database's last member: add another before removing them, or nobody could open it")]
    LastMember(String),
    #[error("{0} cannot remove their own key slot while unlocked with it: another administrator removes it")]
    RemoveSelf(String),
    #[error("the database was unlocked by {member}; that member cannot act as {claimed}")]
    UnlockedAs { member: String, claimed: String },
    #[error("this laptop database has no recovery slot: its administrator adds the office's key with `resettle keyslot recovery age1...`")]
    NoRecoverySlot,
    #[error("this laptop database's recovery slot is for the key {recovery}, not this office's")]
    RecoveryKeyWrong { recovery: String },
    #[error("this laptop database was made before key slots and opens with one passphrase: its members are managed once it has slots (open it once with --as NAME, or your name in the window)")]
    NoKeySlots,
    #[error("the database name {0} is too long for its group roles: at most 49 characters")]
    DatabaseNameTooLong(String),
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
    #[error("cannot use the file {path}: {reason}")]
    FileAccess { path: String, reason: String },
    #[error("{path} already exists: a backup never overwrites a file; choose a new name")]
    BackupExists { path: String },
    #[error("a database on the office's server is backed up by the server's own tools (pg_dump) and restored with pg_restore: see the README")]
    BackupOnServer,
    #[error(
        "{path} already holds a database: restoring over it needs --force (it is replaced whole)"
    )]
    RestoreWouldOverwrite { path: String },
    #[error("the backup {path} does not verify: its audit chain breaks at entry {seq} ({why}); nothing was restored")]
    RestoreChainBroken { path: String, seq: i64, why: String },
    #[error("{login} does not own the server database {database}: the move from a file is made by the login that owns it")]
    MoveNeedsOwner { login: String, database: String },
    #[error("{login} does not own the server's tables: only the database's owner rewrites them without the erased rows (resettle privacy compact)")]
    CompactNeedsOwner { login: String },
    #[error("the file {path} does not verify: its audit chain breaks at entry {seq} ({why}); nothing was moved")]
    MoveSourceBroken { path: String, seq: i64, why: String },
    #[error("the server database {database} is not empty ({rows}): a file moves only into a new, empty database; nothing was moved")]
    ServerNotEmpty { database: String, rows: String },
    #[error("the server has no login for the users {logins}: the IT department creates them first (CREATE ROLE name LOGIN ...); nothing was moved")]
    MoveLoginsMissing { logins: String },
    #[error("the file's table {table} holds a value the server does not accept ({reason}); nothing was moved")]
    MoveCopyFailed { table: String, reason: String },
    #[error("the copy on the server does not match the file, so it was not kept: {0}")]
    MoveCheckFailed(String),
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
    #[error(transparent)]
    Visitation(#[from] resettle_domain::placement::visitation::VisitationError),
    #[error(transparent)]
    Privacy(#[from] resettle_domain::retention::PrivacyError),
    #[error("case {0} has no job offer recorded")]
    NoJobOffer(String),
    #[error("no outcome history has been imported: import one first (resettle placement history import FILE)")]
    NoHistory,
    #[error("there is no model version {0}")]
    NoSuchModel(u32),
}

resettle_domain::refusal_table! {
    impl StoreError {
        Self::PassphraseRequired { path } => "passphrase_required" in "passphrase" [path],
        Self::WrongPassphrase { path } => "wrong_passphrase" in "passphrase" [path],
        Self::NotEncrypted { path } => "not_encrypted" [path],
        Self::PassphraseForServer => "passphrase_for_server" in "passphrase",
        Self::WeakPassphrase { chars, min } => "weak_passphrase" in "passphrase" [chars, min],
        Self::IdleLock(e) => "idle_lock_range" in "idle_lock" [minutes = e.minutes],
        Self::NoBundleKey => "no_bundle_key",
        Self::BundleRefused(why) => "bundle_refused" in "path" [why = why.join("; ")],
        Self::NoCheckout(mission) => "no_checkout" in "mission" [mission],
        Self::FieldCopyReleased(mission) => "field_copy_released" in "mission" [mission],
        Self::NoSuchConflict(conflict) => "no_such_conflict" in "conflict" [conflict],
        Self::ConflictResolved(conflict) => "conflict_resolved" in "conflict" [conflict],
        Self::OfficeRowFinal { table, id } => "office_row_final" in "conflict" [table, id],
        Self::NoSuchCase(case) => "no_such_case" in "case" [case],
        Self::ReasonRequired => "reason_required" in "reason",
        Self::NoSuchMission(mission) => "no_such_mission" in "mission" [mission],
        Self::NoPeriodForYear(year) => "no_period_for_year" in "year" [year],
        Self::NoSuchRubric(version) => "no_such_rubric" in "rubric" [version],
        Self::NoKeyInputs(year) => "no_key_inputs" in "year" [year],
        Self::Key(e) => "key_error" [detail = e],
        Self::NoQuotasForYear(year) => "no_quotas_for_year" in "year" [year],
        Self::NoSuchMunicipality(municipality) =>
            "no_such_municipality" in "municipality" [municipality],
        Self::CapacityNameRequired => "capacity_name_required" in "capacity",
        Self::BadWeight(e) => "bad_weight" in "weights" [weight = e.0],
        Self::BadBatch(batch) => "bad_batch" in "batch" [batch],
        Self::NothingToPlace(batch) => "nothing_to_place" in "batch" [batch],
        Self::NotPlaceable { case, why } => "not_placeable" in "case" [case, why],
        Self::NoActiveProposal(case) => "no_active_proposal" in "case" [case],
        Self::Infeasible(why) => "infeasible" [why = why.join("; ")],
        Self::PlacementChanged(batch) => "placement_changed" in "batch" [batch],
        Self::ServerDenied { detail } => "server_denied" [detail],
        Self::ConnectedAs { login, claimed } => "connected_as" [login, claimed],
        Self::SchemaBehind { have, need } => "schema_behind" [have, need],
        Self::NotSetUp { database } => "not_set_up" [database],
        Self::NoServerLogin(login) => "no_server_login" in "name" [login],
        Self::OwnerCannotCreateRoles { login } => "owner_cannot_create_roles" [login],
        Self::DatabaseNameTooLong(database) => "database_name_too_long" [database],
        Self::MemberRequired { members } => "member_required" in "member" [members],
        Self::NoSuchMember { name, members } => "no_such_member" in "member" [name, members],
        Self::MemberExists(name) => "member_exists" in "member" [name],
        Self::LastMember(name) => "last_member" in "member" [name],
        Self::RemoveSelf(name) => "remove_self" in "member" [name],
        Self::UnlockedAs { member, claimed } => "unlocked_as" [member, claimed],
        Self::NoRecoverySlot => "no_recovery_slot",
        Self::RecoveryKeyWrong { recovery } => "recovery_key_wrong" in "path" [recovery],
        Self::NoKeySlots => "no_key_slots",
        Self::LaptopRolledBack { database, seq, entries } =>
            "laptop_rolled_back" in "path" [database, seq, entries],
        Self::FileAccess { path, reason } => "file_access" in "path" [path, reason],
        Self::BackupExists { path } => "backup_exists" in "out" [path],
        Self::BackupOnServer => "backup_on_server",
        Self::RestoreWouldOverwrite { path } => "restore_would_overwrite" in "force" [path],
        Self::RestoreChainBroken { path, seq, why } =>
            "restore_chain_broken" in "path" [path, seq, why],
        Self::MoveNeedsOwner { login, database } => "move_needs_owner" in "to" [login, database],
        Self::CompactNeedsOwner { login } => "compact_needs_owner" [login],
        Self::MoveSourceBroken { path, seq, why } =>
            "move_source_broken" in "from" [path, seq, why],
        Self::ServerNotEmpty { database, rows } => "server_not_empty" in "to" [database, rows],
        Self::MoveLoginsMissing { logins } => "move_logins_missing" in "to" [logins],
        Self::MoveCopyFailed { table, reason } => "move_copy_failed" in "from" [table, reason],
        Self::NoJobOffer(case) => "no_job_offer" in "case" [case],
        Self::NoHistory => "no_history" in "history",
        Self::NoSuchModel(version) => "no_such_model" in "model" [version],
    }
    delegated {
        Self::Quota(e) => e,
        Self::Case(e) => e,
        Self::Access(e) => e,
        Self::Proposal(e) => e,
        Self::Visitation(e) => e,
        Self::Privacy(e) => e,
        Self::Receipt(e) => e,
        Self::Bundle(e @ resettle_bundle::BundleError::BadRecipient(_)) => e in "to",
        Self::Bundle(e) => e in "path",
    }
    faults {
        Self::Open { .. },
        Self::NotADatabase { .. },
        Self::AlreadyExists { .. },
        Self::PassphraseFile { .. },
        Self::Cipher(_),
        Self::Migrate(_),
        Self::NotEmpty { .. },
        Self::Database(_),
        Self::Corrupt(_),
        Self::Import(_),
        Self::MoveCheckFailed(_),
    }
}
