//! The import use case: a submission file from disk into the store, all or nothing. The
//! command line and the Import view both call `import_file`, and only say what came back.

use std::path::Path;

use resettle_storage::{ImportReport, Store, StoreError};
use uuid::Uuid;

use super::{read_file_bytes, Problem};
use crate::session::Session;

/// What an import came to, when nothing failed: the households written (or, in a dry run,
/// that would be), or every problem of the file, with nothing written.
#[derive(Debug)]
pub enum ImportOutcome {
    Imported(ImportReport),
    Refused(Vec<Problem>),
}

/// Why an import could not be tried or finished.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("cannot read {path}: {reason}")]
    CannotRead { path: String, reason: String },
    #[error(transparent)]
    Store(StoreError),
}

/// The bytes of a file to import, or why they cannot be read.
pub async fn read_bytes(path: &Path) -> Result<Vec<u8>, ImportFailure> {
    tokio::fs::read(path)
        .await
        .map_err(|e| ImportFailure::CannotRead {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
}

/// Reads the file at `path` (`.json` as JSON, anything else as CSV), checks every row on
/// the session's date, and imports its households into the store as the session's user,
/// attached to `mission` if given. With `dry_run` everything is checked and nothing written.
pub async fn import_file(
    store: &Store,
    session: &Session,
    path: &Path,
    mission: Option<Uuid>,
    dry_run: bool,
) -> Result<ImportOutcome, ImportFailure> {
    let bytes = read_bytes(path).await?;
    let submissions = match read_file_bytes(path, &bytes, session.today()) {
        Ok(submissions) => submissions,
        Err(problems) => return Ok(ImportOutcome::Refused(problems)),
    };
    match store
        .import_submissions(submissions, mission, dry_run, session.actor())
        .await
    {
        Ok(report) => Ok(ImportOutcome::Imported(report)),
        // The store's own checks (a case already imported differently, an unknown
        // mission) name their rows as the file's do.
        Err(StoreError::Import(problems)) => Ok(ImportOutcome::Refused(problems)),
        Err(e) => Err(ImportFailure::Store(e)),
    }
}
