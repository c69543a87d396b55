//! The IPC commands. Each one takes its arguments from the front end, calls the core and
//! hands back a type from `resettle::ipc` or the domain, whose TypeScript twin is generated.
//! Errors cross as text the UI shows as it is.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use resettle::domain::Overview;
use resettle::ipc::AppInfo;
use resettle::storage::Store;
use tauri::State;

use crate::AppState;

fn store(state: &AppState) -> Result<Store, String> {
    state.store.get().map_err(|e| e.message)
}

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> Result<Overview, String> {
    store(&state)?.overview().await.map_err(|e| e.to_string())
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: state.database.clone(),
        encrypted: state.store.encrypted,
        locked: state.store.is_locked(),
        chosen: crate::database::chosen(),
        server_login: state
            .store
            .get()
            .is_ok_and(|s| matches!(s, Store::Postgres(_)) && s.login().is_some()),
        unlocked_as: match state.store.get() {
            Ok(Store::Sqlite(s)) => s.member().map(str::to_owned),
            _ => None,
        },
        log_dir: state.log_dir.clone(),
    }
}

/// The environment variable that asks the app to announce on standard output when the
/// Overview first shows data: `cargo xtask bench` measures start-up time with it.
pub const BENCH_ENV: &str = "RESETTLE_BENCH_READY";

/// The line printed once when the Overview shows data, if asked for.
pub const READY_LINE: &str = "RESETTLE_OVERVIEW_READY";

pub struct BenchSignal {
    enabled: bool,
    sent: AtomicBool,
}

impl BenchSignal {
    pub fn from_env() -> Self {
        Self {
            enabled: std::env::var_os(BENCH_ENV).is_some(),
            sent: AtomicBool::new(false),
        }
    }
}

/// Tells the shell that the Overview shows data: the start-up benchmark waits for this, once per run.
#[tauri::command]
pub fn overview_shown(state: State<'_, AppState>) {
    let signal = &state.bench;
    if signal.enabled && !signal.sent.swap(true, Ordering::SeqCst) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{READY_LINE}");
        let _ = out.flush();
    }
}
