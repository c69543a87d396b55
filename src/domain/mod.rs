//! The domain: plain types and rules, no I/O. Storage, documents and the shells depend on
//! this module, never the reverse.

pub mod case;
pub mod mission;
pub mod municipality;
pub mod overview;
pub mod quota;

pub use case::{CaseStatus, Category, Household, Person, Priority, Relationship, Route, Sex};
pub use mission::Mission;
pub use municipality::Municipality;
pub use overview::{Overview, PriorityCounts};
pub use quota::QuotaPeriod;
