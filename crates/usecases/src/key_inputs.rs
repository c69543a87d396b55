//! The key-input import: a year's distribution-key figures (docs/key-inputs-format.md) from a
//! CSV file into the store, all or nothing. The command line and the Placement view both
//! call `import_key_inputs_file` and only say what came back.

use std::path::Path;

use resettle_domain::municipality::official_list;
use resettle_domain::placement::key_file;
use resettle_storage::{KeyInputSet, Store};

use crate::import::ImportFailure;
use crate::session::Session;

/// What an import of key inputs came to, when nothing failed: the set written, or every
/// problem of the file (each naming its line and column), with nothing written.
#[derive(Debug)]
pub enum KeyInputsOutcome {
    Imported(KeyInputSet),
    Refused(Vec<String>),
}

/// Reads the file at `path`, checks that it names every municipality once with figures,
/// and replaces `year`'s key inputs with it as the session's user.
pub async fn import_key_inputs_file(
    store: &Store,
    session: &Session,
    path: &Path,
    year: i32,
    synthetic: bool,
) -> Result<KeyInputsOutcome, ImportFailure> {
    let text = tokio::fs::read_to_string(path)
        .await
        .map_err(|e| ImportFailure::CannotRead {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
    let codes: Vec<u16> = official_list().iter().map(|m| m.code).collect();
    let inputs = match key_file::read(&text, &codes) {
        Ok(inputs) => inputs,
        Err(problems) => return Ok(KeyInputsOutcome::Refused(problems)),
    };
    store
        .import_key_inputs(
            year,
            &inputs,
            &path.display().to_string(),
            synthetic,
            session.actor(),
        )
        .await
        .map(KeyInputsOutcome::Imported)
        .map_err(ImportFailure::Store)
}
