//! `Store`: one database, on whichever backend it lives. The CLI, the app and the tests
//! hold a `Store`; each operation goes to the backend's own compilation of `ops/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use uuid::Uuid;

use super::cipher::Passphrase;
use super::types::*;
use super::{PgStore, SqliteStore, StoreError};
use resettle_demo::DemoData;
use resettle_domain::access::{Permission, User};
use resettle_domain::audit::ChainCheck;
use resettle_domain::checkin::Side;
use resettle_domain::consent::{Consent, ReleaseItem};
use resettle_domain::decision::DecisionRequest;
use resettle_domain::dossier::{CaseQuery, CaseSearch, Dossier, Interview, StoredScore};
use resettle_domain::mission::{MissionProgress, Organisation, TeamMember};
use resettle_domain::placement::features::Weights;
use resettle_domain::placement::instance::Instance;
use resettle_domain::placement::key::{KeyExemption, KeyInput};
use resettle_domain::placement::plan::Plan;
use resettle_domain::placement::profile::{MunicipalityProfile, PlacementProfile};
use resettle_domain::placement::proposal::{ProposalMethod, ProposalStatus};
use resettle_domain::quota::{
    EntryKind, ExceptionalSituation, LedgerEntry, QuotaPeriod, QuotaStatus, SubQuota,
};
use resettle_domain::scoring::Rubric;
use resettle_domain::screening::{ExclusionGround, FlagResolution, ScreeningFlag};
use resettle_domain::submission::Submission;
use resettle_domain::{CaseDeadline, CaseStatus};
use resettle_domain::{Household, Mission, Municipality, Overview};

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

    /// Opens an unencrypted database file.
    pub async fn open_file(path: &Path) -> Result<Store, StoreError> {
        Ok(SqliteStore::open(path).await?.into())
    }

    /// Closes the database (a file's WAL first copied into it).
    pub async fn close(self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(s) => s.close().await,
        }
    }
}

/// Each operation, handed to the backend that holds the database.
macro_rules! delegate {
    ($( fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty; )*) => {
        impl Store {
            $(
                // The backends' own signatures, some long (recording an interview).
                #[allow(clippy::too_many_arguments)]
                pub async fn $name(&self, $($arg: $ty),*) -> $ret {
                    match self {
                        Store::Sqlite(s) => s.$name($($arg),*).await,
                        Store::Postgres(s) => s.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

delegate! {
    fn verify_audit() -> Result<ChainCheck, StoreError>;
    fn audit_len() -> Result<u32, StoreError>;
    fn overview() -> Result<Overview, StoreError>;
    fn seed_demo(data: &DemoData, actor: &str) -> Result<(), StoreError>;
    fn municipalities() -> Result<Vec<Municipality>, StoreError>;
    fn bundle_recipient() -> Result<Option<String>, StoreError>;
    fn init_bundle_key(actor: &str) -> Result<String, StoreError>;
    fn prepare_checkout(mission: Uuid, to: &str, actor: &str) -> Result<PreparedCheckout, StoreError>;
    fn record_checkout(prepared: &PreparedCheckout, actor: &str) -> Result<(), StoreError>;
    fn receive_checkout(bytes: &[u8], actor: &str) -> Result<Received, StoreError>;
    fn import_submissions(submissions: Vec<Submission>, mission: Option<Uuid>, dry_run: bool, actor: &str) -> Result<ImportReport, StoreError>;
    fn deadlines(today: NaiveDate, with_departed: bool) -> Result<Vec<CaseDeadline>, StoreError>;
    fn prepare_return(mission: Uuid, actor: &str) -> Result<PreparedReturn, StoreError>;
    fn record_return(prepared: &PreparedReturn, actor: &str) -> Result<(), StoreError>;
    fn check_in(bytes: &[u8], actor: &str) -> Result<CheckedIn, StoreError>;
    fn conflicts(all: bool, reader: &str) -> Result<Vec<Conflict>, StoreError>;
    fn resolve_conflict(id: Uuid, side: Side, today: NaiveDate, actor: &str) -> Result<Conflict, StoreError>;
    fn record_consent(case_no: &str, released: Vec<ReleaseItem>, language: &str, actor: &str) -> Result<Consent, StoreError>;
    fn withdraw_consent(case_no: &str, consent: Uuid, actor: &str) -> Result<(), StoreError>;
    fn decide_case(case_no: &str, request: DecisionRequest, quota_year: Option<i32>, today: NaiveDate, actor: &str) -> Result<Decided, StoreError>;
    fn move_case(case_no: &str, to: CaseStatus, on: NaiveDate, change: &Change<'_>) -> Result<Option<Recorded>, StoreError>;
    fn household(case_no: &str) -> Result<Household, StoreError>;
    fn referral_source(case_no: &str) -> Result<ReferralSource, StoreError>;
    fn pack_source(code: u16, year: i32) -> Result<PackSource, StoreError>;
    fn record_export(actor: &str, kind: &str, subject: &str, document_ids: &[String], sha256: &str) -> Result<(), StoreError>;
    fn dossier(case_no: &str, today: NaiveDate, reader: &str) -> Result<Dossier, StoreError>;
    fn search_cases(query: &CaseQuery, reader: &str) -> Result<CaseSearch, StoreError>;
    fn create_mission(mission: &Mission, actor: &str) -> Result<(), StoreError>;
    fn missions() -> Result<Vec<Mission>, StoreError>;
    fn mission(id: Uuid) -> Result<Mission, StoreError>;
    fn add_team_member(mission: Uuid, name: &str, organisation: Organisation, role: &str, actor: &str) -> Result<TeamMember, StoreError>;
    fn team(mission: Uuid) -> Result<Vec<TeamMember>, StoreError>;
    fn attach_cases(mission: Uuid, case_nos: &[String], actor: &str) -> Result<u32, StoreError>;
    fn mission_progress(mission: Uuid, today: NaiveDate) -> Result<MissionProgress, StoreError>;
    fn import_key_inputs(year: i32, inputs: &[KeyInput], source: &str, synthetic: bool, actor: &str) -> Result<KeyInputSet, StoreError>;
    fn key_input_set(year: i32) -> Result<Option<KeyInputSet>, StoreError>;
    fn compute_quotas(year: i32, national: u32, exemptions: &[KeyExemption], actor: &str) -> Result<BTreeMap<u16, u32>, StoreError>;
    fn set_municipal_quota(year: i32, code: u16, quota: u32, reason: &str, actor: &str) -> Result<(), StoreError>;
    fn set_capacity(code: u16, capacity: &str, units: u32, actor: &str) -> Result<(), StoreError>;
    fn set_municipality_profile(code: u16, profile: &MunicipalityProfile, actor: &str) -> Result<(), StoreError>;
    fn seed_placement_demo(demo: &resettle_demo::PlacementDemo, actor: &str) -> Result<(), StoreError>;
    fn municipality_quotas(year: i32) -> Result<Vec<MunicipalityQuota>, StoreError>;
    fn placement_weights() -> Result<Weights, StoreError>;
    fn set_placement_weights(weights: &Weights, actor: &str) -> Result<(), StoreError>;
    fn placement_profile(case_no: &str) -> Result<PlacementProfile, StoreError>;
    fn set_placement_profile(case_no: &str, profile: &PlacementProfile, actor: &str) -> Result<(), StoreError>;
    fn placement_pool() -> Result<Vec<PoolEntry>, StoreError>;
    fn placement_instance(year: i32, batch: &Batch, actor: &str) -> Result<Instance, StoreError>;
    fn save_proposals(year: i32, batch: &Batch, method: ProposalMethod, solved_from: &Instance, plan: &Plan, actor: &str) -> Result<Vec<Proposal>, StoreError>;
    fn proposals(year: Option<i32>) -> Result<Vec<Proposal>, StoreError>;
    fn check_move(case_no: &str, municipality: u16) -> Result<MoveCheck, StoreError>;
    fn move_proposal(case_no: &str, municipality: u16, override_reason: Option<&str>, actor: &str) -> Result<Proposal, StoreError>;
    fn transition_proposal(case_no: &str, to: ProposalStatus, note: &str, actor: &str) -> Result<Proposal, StoreError>;
    fn create_period(period: &QuotaPeriod, allocations: &[(i32, SubQuota, u32)], change: &Change<'_>) -> Result<Recorded, StoreError>;
    fn quota_periods() -> Result<Vec<QuotaPeriod>, StoreError>;
    fn quota_status(start_year: i32) -> Result<QuotaStatus, StoreError>;
    fn quota_status_from_entries(start_year: i32) -> Result<QuotaStatus, StoreError>;
    fn quota_history(start_year: i32, limit: u32, kind: Option<EntryKind>) -> Result<Vec<LedgerEntry>, StoreError>;
    fn allocate(start_year: i32, year: i32, sub: SubQuota, places: u32, exceptional: Option<Uuid>, change: &Change<'_>) -> Result<Recorded, StoreError>;
    fn reallocate(start_year: i32, year: i32, from: SubQuota, to: SubQuota, places: u32, change: &Change<'_>) -> Result<Recorded, StoreError>;
    fn close_year(start_year: i32, year: i32, change: &Change<'_>) -> Result<Recorded, StoreError>;
    fn record_exceptional(start_year: i32, year: i32, change: &Change<'_>) -> Result<ExceptionalSituation, StoreError>;
    fn commit_case(case_no: &str, start_year: i32, year: Option<i32>, exceptional: Option<Uuid>, change: &Change<'_>) -> Result<Recorded, StoreError>;
    fn release_case(case_no: &str, change: &Change<'_>) -> Result<Recorded, StoreError>;
    fn arrive_case(case_no: &str, change: &Change<'_>) -> Result<Recorded, StoreError>;
    fn record_interview(case_no: &str, held_on: NaiveDate, interviewer: &str, notes: &str, assessments: BTreeMap<String, String>, today: NaiveDate, actor: &str) -> Result<Interview, StoreError>;
    fn raise_flag(case_no: &str, ground: ExclusionGround, note: &str, actor: &str) -> Result<ScreeningFlag, StoreError>;
    fn decide_flag(case_no: &str, flag_id: Uuid, resolution: FlagResolution, by: &str, reason: &str, actor: &str) -> Result<ScreeningFlag, StoreError>;
    fn rubric(actor: &str) -> Result<Rubric, StoreError>;
    fn rubric_version(version: u32) -> Result<Rubric, StoreError>;
    fn rubric_versions() -> Result<Vec<RubricVersion>, StoreError>;
    fn save_rubric(rubric: Rubric, reason: &str, actor: &str) -> Result<Rubric, StoreError>;
    fn score_case(case_no: &str, today: NaiveDate, actor: &str) -> Result<StoredScore, StoreError>;
    fn sign_declaration(case_no: &str, person: Uuid, signed_on: NaiveDate, place: &str, today: NaiveDate, actor: &str) -> Result<(), StoreError>;
    fn set_medical_needs(case_no: &str, position: u32, needs: &resettle_domain::checkin::Needs, actor: &str) -> Result<(), StoreError>;
    fn record_attendance(person: Uuid, society_lessons: u32, danish_lessons: u32, actor: &str) -> Result<(), StoreError>;
    fn idle_lock_minutes() -> Result<u32, StoreError>;
    fn set_idle_lock_minutes(minutes: u32, actor: &str) -> Result<(), StoreError>;
    fn authorize(actor: &str, permission: Permission) -> Result<(), StoreError>;
    fn users() -> Result<Vec<User>, StoreError>;
    fn user(name: &str) -> Result<Option<User>, StoreError>;
    fn claim_first_user(name: &str) -> Result<bool, StoreError>;
    fn add_user(user: &User, actor: &str) -> Result<User, StoreError>;
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
