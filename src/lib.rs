//! The `resettle` library: the workspace's crates under the module names the command line,
//! the integration tests (`tests/`) and the benchmarks use. It holds no code of its own;
//! see ARCHITECTURE.md for the crates and the arrows between them.

pub use resettle_bundle as bundle;
pub use resettle_demo as demo;
pub use resettle_documents as documents;
pub use resettle_domain as domain;
pub use resettle_learning as learning;
pub use resettle_solver as solver;
pub use resettle_storage as storage;
pub use resettle_usecases::{
    exports, import, ipc, key_inputs, logging, paths, placement, receipt, session, visitation,
};
