//! Which database the app opens: chosen in Settings, kept on this machine
//! (`paths::choice_file`), and opened from the next start. The window never switches
//! databases while it runs: what it shows, holds open and has cached all belong to one.

use std::path::Path;

use resettle::ipc::{CommandError, DatabaseChoice, ShellRefusal};
use resettle::paths::{choice_file, read_choice, write_choice};
use resettle::storage::{Location, PgStore};

/// Keeps `location` (a file's full path, or a `postgres://` URL whose server answers) as
/// the database of the next start. Nothing is kept when it is refused.
#[tauri::command]
pub async fn choose_database(location: String) -> Result<DatabaseChoice, CommandError> {
    let text = location.trim();
    if text.is_empty() {
        return Err(ShellRefusal::DatabaseRequired.into());
    }
    let chosen = Location::parse(text);
    match &chosen {
        Location::File(path) if !path.is_absolute() => {
            return Err(ShellRefusal::DatabasePathRelative.into());
        }
        Location::File(_) => {}
        Location::Server(url) => {
            PgStore::probe(url).await.map_err(|e| CommandError {
                field: Some("database".to_owned()),
                ..CommandError::from(e)
            })?;
        }
    }
    save(Some(text))?;
    Ok(DatabaseChoice {
        chosen: Some(chosen.shown()),
    })
}

/// Forgets the choice: the next start opens `RESETTLE_DB` or the default file again.
#[tauri::command]
pub fn forget_database_choice() -> Result<DatabaseChoice, CommandError> {
    save(None)?;
    Ok(DatabaseChoice { chosen: None })
}

/// The choice kept for the next start, as shown.
pub fn chosen() -> Option<String> {
    let file = choice_file()?;
    read_choice(&file).ok().flatten().map(|l| l.shown())
}

fn save(location: Option<&str>) -> Result<(), CommandError> {
    let file = choice_file().ok_or_else(|| {
        ShellRefusal::CannotSaveChoice(
            "this system reports no configuration folder for the user".to_owned(),
        )
    })?;
    write_choice(Path::new(&file), location)
        .map_err(|e| ShellRefusal::CannotSaveChoice(e.to_string()).into())
}
