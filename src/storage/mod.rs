//! Storage: the database behind the domain. SQLite is the embedded default; the office's
//! PostgreSQL server arrives as a second implementation of the same operations, each
//! backend with its own migrations folder (sqlx's `Any` driver cannot carry chrono or
//! uuid types).

mod sqlite;

pub use sqlite::{
    match_expression, CaseRef, Change, Decided, ImportReport, Recorded, RubricVersion, SqliteStore,
    DEFAULT_LIMIT,
};

/// Why a storage operation failed, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database at {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database already holds data ({households} households, {missions} missions); demo data goes only into an empty database")]
    NotEmpty { households: u32, missions: u32 },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Quota(#[from] crate::domain::QuotaError),
    #[error("there is no case with UNHCR case number {0}")]
    NoSuchCase(String),
    #[error("every change to the quota needs its reason")]
    ReasonRequired,
    #[error("{} problem(s) in the file; nothing was imported", .0.len())]
    Import(Vec<crate::import::Problem>),
    #[error("there is no mission {0}")]
    NoSuchMission(String),
    #[error(transparent)]
    Case(#[from] crate::domain::CaseError),
    #[error("no quota period covers {0}; create one first")]
    NoPeriodForYear(i32),
    #[error("there is no rubric version {0}")]
    NoSuchRubric(u32),
}

/// The codes `StoreError::code` gives besides the quota engine's.
pub const STORE_REFUSAL_CODES: &[&str] = &[
    "no_such_case",
    "reason_required",
    "no_such_mission",
    "no_period_for_year",
    "no_such_rubric",
];

impl StoreError {
    /// A stable name for a refusal and its values (see `QuotaError::code`); None for
    /// faults, whose text is all there is to say.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            StoreError::Quota(e) => e.code(),
            StoreError::Case(e) => e.code(),
            StoreError::NoSuchCase(_) => Some("no_such_case"),
            StoreError::ReasonRequired => Some("reason_required"),
            StoreError::NoSuchMission(_) => Some("no_such_mission"),
            StoreError::NoPeriodForYear(_) => Some("no_period_for_year"),
            StoreError::NoSuchRubric(_) => Some("no_such_rubric"),
            _ => None,
        }
    }

    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            StoreError::Quota(e) => e.params(),
            StoreError::Case(e) => e.params(),
            StoreError::NoSuchCase(case) => vec![("case", case.clone())],
            StoreError::NoSuchMission(mission) => vec![("mission", mission.clone())],
            StoreError::NoPeriodForYear(year) => vec![("year", year.to_string())],
            StoreError::NoSuchRubric(version) => vec![("version", version.to_string())],
            _ => Vec::new(),
        }
    }

    /// The form field a refusal belongs to, so the app can show it next to that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            StoreError::Quota(e) => e.field(),
            StoreError::Case(e) => e.field(),
            StoreError::NoSuchCase(_) => Some("case"),
            StoreError::NoPeriodForYear(_) => Some("year"),
            StoreError::NoSuchRubric(_) => Some("rubric"),
            StoreError::ReasonRequired => Some("reason"),
            StoreError::NoSuchMission(_) => Some("mission"),
            _ => None,
        }
    }
}
