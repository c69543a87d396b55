//! The domain: plain types and rules, no I/O. Storage, documents and the shells depend on
//! this module, never the reverse.

#[macro_use]
pub mod code;

pub mod access;
pub mod audit;
pub mod case;
pub mod case_error;
pub mod checkin;
pub mod consent;
pub mod deadline;
pub mod decision;
pub mod dossier;
pub mod idle_lock;
pub mod mission;
pub mod municipality;
pub mod overview;
pub mod placement;
pub mod quota;
pub mod scoring;
pub mod screening;
#[cfg(test)]
pub(crate) mod testing;
pub mod workflow;

pub use case::{CaseStatus, Category, Household, Person, Priority, Relationship, Route, Sex};
pub use case_error::CaseError;
pub use code::UnknownCode;
pub use deadline::{CaseDeadline, DeadlineStatus};
pub use mission::Mission;
pub use municipality::Municipality;
pub use overview::{Overview, PriorityCounts};
pub use quota::{QuotaError, QuotaPeriod, SubQuota};
