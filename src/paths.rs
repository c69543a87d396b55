//! Where the database lives. No platform-specific paths: the `dirs` crate knows each
//! platform's data folder (XDG on Linux, %APPDATA% on Windows, Application Support on macOS).

use std::path::PathBuf;

use crate::storage::Location;

/// The environment variable that points the app and the CLI at another database.
pub const DB_ENV: &str = "RESETTLE_DB";

/// The embedded database in the user's data folder.
pub fn default_database_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("Resettle").join("resettle.db"))
}

/// The database to open, a file or a `postgres://` server: an explicit choice, else
/// `RESETTLE_DB`, else the default file.
pub fn resolve_location(explicit: Option<String>) -> Result<Location, NoDataFolder> {
    match explicit.or_else(|| std::env::var(DB_ENV).ok().filter(|v| !v.is_empty())) {
        Some(text) => Ok(Location::parse(&text)),
        None => resolve_database(None).map(Location::File),
    }
}

/// The database file to open: an explicit choice, else `RESETTLE_DB`, else the default.
pub fn resolve_database(explicit: Option<PathBuf>) -> Result<PathBuf, NoDataFolder> {
    explicit
        .or_else(|| {
            std::env::var_os(DB_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(default_database_path)
        .ok_or(NoDataFolder)
}

#[derive(Debug, thiserror::Error)]
#[error(
    "this system reports no data folder for the user; set {DB_ENV} to the database file to use"
)]
pub struct NoDataFolder;

/// Where a document is offered to be saved: the user's documents folder (their home
/// folder if there is none), with the document's file name.
pub fn suggested_document_path(file_name: &str) -> PathBuf {
    dirs::document_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_default()
        .join(file_name)
}
