//! The domain: plain types and rules, no I/O. Storage, the solver, documents, bundles,
//! the use cases and the shells depend on this crate, never the reverse; its normal
//! dependencies are serialisation, dates, ids and hashing only (see ARCHITECTURE.md).

#[macro_use]
pub mod code;
#[macro_use]
pub mod refusal;

pub mod access;
pub mod audit;
pub mod case;
pub mod case_error;
pub mod checkin;
pub mod consent;
pub mod deadline;
pub mod decision;
pub mod digest;
pub mod dossier;
pub mod idle_lock;
pub mod mission;
pub mod municipality;
pub mod overview;
pub mod placement;
pub mod quota;
pub mod receipt;
pub mod retention;
pub mod scoring;
pub mod screening;
pub mod statistics;
pub mod subject_access;
pub mod submission;
/// Small households and members for the tests of this crate and of the crates above it
/// (their dev-dependency turns the `testing` feature on); not part of a release build.
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod workflow;

pub use case::{CaseStatus, Category, Household, Person, Priority, Relationship, Route, Sex};
pub use case_error::CaseError;
pub use code::UnknownCode;
pub use deadline::{CaseDeadline, DeadlineStatus};
pub use mission::Mission;
pub use municipality::Municipality;
pub use overview::{Dashboard, Overview, PriorityCounts, YearQuota};
pub use quota::{QuotaError, QuotaPeriod, SubQuota};
