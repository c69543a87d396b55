//! Resettle's use cases: every operation the command line (`src/bin/resettle`) and the
//! window (`src-tauri`) offer, written once. An adapter parses its input, calls one use
//! case and prints or serialises what comes back; it composes nothing itself.

pub mod exports;
pub mod import;
pub mod ipc;
pub mod key_inputs;
pub mod logging;
pub mod paths;
pub mod placement;
pub mod receipt;
pub mod session;
pub mod visitation;
