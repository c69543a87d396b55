//! Where the database lives. No platform-specific paths: the `dirs` crate knows each
//! platform's data and config folders (XDG on Linux, %APPDATA% on Windows, Application
//! Support on macOS).

use std::path::{Path, PathBuf};

use resettle_storage::Location;

/// The environment variable that points the app and the CLI at another database.
pub const DB_ENV: &str = "RESETTLE_DB";

/// The embedded database in the user's data folder.
pub fn default_database_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("Resettle").join("resettle.db"))
}

/// The database to open, a file or a `postgres://` server: an explicit choice, else
/// `RESETTLE_DB`, else the one chosen in the app's Settings on this machine, else the
/// default file. A choice file that cannot be read is said, not passed over.
pub fn resolve_location(explicit: Option<String>) -> Result<Location, NoDataFolder> {
    if let Some(text) = explicit.or_else(|| std::env::var(DB_ENV).ok().filter(|v| !v.is_empty())) {
        return Ok(Location::parse(&text));
    }
    if let Some(file) = choice_file() {
        match read_choice(&file) {
            Ok(Some(location)) => return Ok(location),
            Ok(None) => {}
            Err(e) => eprintln!("resettle: {e}; opening the default database"),
        }
    }
    resolve_database(None).map(Location::File)
}

/// Where this machine keeps the database chosen in the app's Settings.
pub fn choice_file() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("Resettle").join("database.json"))
}

/// The chosen database, as a file holds it: `{"database": "PATH or URL"}`.
#[derive(serde::Serialize, serde::Deserialize)]
struct Choice {
    database: String,
}

/// The database chosen in `file`, or None when there is no choice.
pub fn read_choice(file: &Path) -> Result<Option<Location>, ChoiceError> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ChoiceError::new(file, e)),
    };
    let choice: Choice = serde_json::from_slice(&bytes).map_err(|e| ChoiceError::new(file, e))?;
    Ok(Some(Location::parse(choice.database.trim())))
}

/// Keeps `location` as this machine's choice (written whole: beside, then renamed), or
/// with None forgets the choice, so the default opens again.
pub fn write_choice(file: &Path, location: Option<&str>) -> Result<(), ChoiceError> {
    let Some(location) = location else {
        return match std::fs::remove_file(file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ChoiceError::new(file, e)),
            _ => Ok(()),
        };
    };
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ChoiceError::new(file, e))?;
    }
    let text = serde_json::to_vec_pretty(&Choice {
        database: location.to_owned(),
    })
    .map_err(|e| ChoiceError::new(file, e))?;
    let partial = file.with_extension("json.partial");
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, file))
        .map_err(|e| ChoiceError::new(file, e))
}

#[derive(Debug, thiserror::Error)]
#[error("the database choice in {file}: {reason}")]
pub struct ChoiceError {
    file: String,
    reason: String,
}

impl ChoiceError {
    fn new(file: &Path, reason: impl std::fmt::Display) -> Self {
        Self {
            file: file.display().to_string(),
            reason: reason.to_string(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_is_kept_read_back_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config/Resettle/database.json");
        assert!(read_choice(&file).unwrap().is_none(), "no file, no choice");
        let url = "postgres://kim@db.office.example/resettle";
        write_choice(&file, Some(url)).unwrap();
        assert_eq!(
            read_choice(&file).unwrap(),
            Some(Location::Server(url.to_owned()))
        );
        assert!(!file.with_extension("json.partial").exists());
        write_choice(&file, Some("/srv/resettle.db")).unwrap();
        assert_eq!(
            read_choice(&file).unwrap(),
            Some(Location::File("/srv/resettle.db".into()))
        );
        write_choice(&file, None).unwrap();
        assert!(read_choice(&file).unwrap().is_none());
        write_choice(&file, None).unwrap();
    }

    #[test]
    fn a_damaged_choice_is_said_with_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("database.json");
        std::fs::write(&file, "{not json").unwrap();
        let e = read_choice(&file).unwrap_err().to_string();
        assert!(e.contains("database.json"), "{e}");
    }
}
