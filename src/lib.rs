//! Resettle's core: the domain rules (pure), storage, and the types the desktop shell
//! and the command line share. See ARCHITECTURE.md for the map.

pub mod bundle;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod exports;
pub mod import;
pub mod ipc;
pub mod paths;
pub mod session;
pub mod solver;
pub mod storage;
