//! The log: what the app and the command line did, for whoever supports the office, in a
//! file per day in the user's log folder, the last fourteen kept. Lines name operations,
//! codes, IDs and times, never a person: the store logs its calls by name and outcome
//! (`resettle_storage::Store`), the front ends their commands by name.
//!
//! `RESETTLE_LOG` filters what is written (`tracing-subscriber`'s directives, e.g. `debug`
//! or `resettle::store=debug`; `info` by default) and `RESETTLE_LOG_DIR` moves the folder.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

/// The environment variable that filters the log.
pub const LOG_ENV: &str = "RESETTLE_LOG";
/// The environment variable that puts the log folder elsewhere.
pub const LOG_DIR_ENV: &str = "RESETTLE_LOG_DIR";
/// How many days of log files are kept.
pub const KEPT_DAYS: usize = 14;

/// The folder the logs go to: `RESETTLE_LOG_DIR`, else the platform's place for them
/// (`$XDG_STATE_HOME/resettle/logs`, i.e. `~/.local/state/resettle/logs`, on Linux;
/// `~/Library/Logs/Resettle` on macOS; `%LOCALAPPDATA%\Resettle\logs` on Windows).
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(LOG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if cfg!(target_os = "macos") {
        return dirs::home_dir().map(|h| h.join("Library").join("Logs").join("Resettle"));
    }
    dirs::state_dir()
        .map(|d| d.join("resettle").join("logs"))
        .or_else(|| dirs::data_local_dir().map(|d| d.join("Resettle").join("logs")))
}

/// Where the logs are written, as the Settings view shows it.
#[derive(Debug)]
pub struct Logging {
    /// The folder, or None if it could not be made (the program runs on without a log).
    pub dir: Option<PathBuf>,
    /// Keeps the writer's thread until the program ends, so the last lines are written.
    _guard: Option<WorkerGuard>,
}

/// Starts the log for `program` (`resettle-cli` or `resettle-app`, the file's prefix, and
/// neither the start of the other, since the oldest files of a prefix are removed): files
/// `PROGRAM.YYYY-MM-DD.log`, a new one each day. Call once, at start.
pub fn start(program: &str) -> Logging {
    let Some(dir) = log_dir() else {
        return Logging {
            dir: None,
            _guard: None,
        };
    };
    let appender = std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            RollingFileAppender::builder()
                .rotation(Rotation::DAILY)
                .filename_prefix(program)
                .filename_suffix("log")
                .max_log_files(KEPT_DAYS)
                .build(&dir)
                .map_err(|e| e.to_string())
        });
    let Ok(appender) = appender else {
        return Logging {
            dir: None,
            _guard: None,
        };
    };
    let (writer, guard) = tracing_appender::non_blocking(appender);
    // sqlx's own events are off whatever RESETTLE_LOG asks: they quote statements, and the
    // statement that opens an encrypted file carries its key (`PRAGMA key`). The store's
    // own lines say which operation ran, how long it took and how it ended.
    let filter = EnvFilter::try_from_env(LOG_ENV)
        .unwrap_or_else(|_| EnvFilter::new("info"))
        .add_directive("sqlx=off".parse().expect("a valid directive"));
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
        .try_init()
        .is_ok();
    Logging {
        dir: installed.then_some(dir),
        _guard: Some(guard),
    }
}
