//! The domain: plain types and rules, no I/O. Storage, documents and the shells depend on
//! this module, never the reverse.

#[macro_use]
pub mod code;

pub mod case;
pub mod deadline;
pub mod mission;
pub mod municipality;
pub mod overview;
pub mod quota;

pub use case::{CaseStatus, Category, Household, Person, Priority, Relationship, Route, Sex};
pub use code::UnknownCode;
pub use deadline::{CaseDeadline, DeadlineStatus};
pub use mission::Mission;
pub use municipality::Municipality;
pub use overview::{Overview, PriorityCounts};
pub use quota::{QuotaError, QuotaPeriod, SubQuota};
