//! The visitation's files and the learned model, for the command line and the window
//! alike: a year's municipality wishes from CSV, an outcome history from CSV, and a model
//! trained on the history (cross-validated beside the hand-weighted model) and kept as the
//! next version. Each file is read whole and checked before anything is written; a file
//! with problems is refused with every problem listed and nothing written.

use std::path::Path;

use resettle_domain::municipality::official_list;
use resettle_domain::placement::instance::MunicipalitySlot;
use resettle_domain::placement::outcomes::{read_history, PastArrival, TrainingData};
use resettle_domain::placement::wishes_file;
use resettle_learning::{fit, LearnError, Provenance};
use resettle_storage::{HistoryImport, ModelVersion, MunicipalityWishesRow, Store, StoreError};

use crate::import::ImportFailure;
use crate::session::Session;

/// The folds of the cross-validation a model is trained with, and the seed that deals
/// the rows into them (fixed, so that training twice on one file gives one model).
pub const FOLDS: usize = 5;
const FOLD_SEED: u64 = 22;

/// What a file import came to when nothing failed: what was written, or every problem of
/// the file (each naming its line or row and column), with nothing written.
#[derive(Debug)]
pub enum FileOutcome<T> {
    Imported(T),
    Refused(Vec<String>),
}

async fn read_text(path: &Path) -> Result<(String, Vec<u8>), ImportFailure> {
    let bytes = crate::import::read_bytes(path).await?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| ImportFailure::CannotRead {
        path: path.display().to_string(),
        reason: "it is not UTF-8 text".into(),
    })?;
    Ok((text, bytes))
}

/// Replaces `year`'s municipality wishes with the file at `path`
/// (`docs/placement-format.md`, "Municipality wishes file").
pub async fn import_municipality_wishes_file(
    store: &Store,
    session: &Session,
    path: &Path,
    year: i32,
) -> Result<FileOutcome<Vec<MunicipalityWishesRow>>, ImportFailure> {
    let (text, _) = read_text(path).await?;
    let codes: Vec<u16> = official_list().iter().map(|m| m.code).collect();
    let rows = match wishes_file::read(&text, &codes) {
        Ok(rows) => rows,
        Err(problems) => return Ok(FileOutcome::Refused(problems)),
    };
    store
        .import_municipality_wishes(year, &rows, &path.display().to_string(), session.actor())
        .await
        .map(FileOutcome::Imported)
        .map_err(ImportFailure::Store)
}

/// Keeps the outcome history at `path` (`docs/outcome-history-format.md`) as the one
/// forecasts and training read.
pub async fn import_history_file(
    store: &Store,
    session: &Session,
    path: &Path,
) -> Result<FileOutcome<HistoryImport>, ImportFailure> {
    let (text, bytes) = read_text(path).await?;
    let slots = store
        .municipality_slots(session.year())
        .await
        .map_err(ImportFailure::Store)?;
    let arrivals = match read_history(&text, &slots) {
        Ok(arrivals) => arrivals,
        Err(problems) => {
            return Ok(FileOutcome::Refused(
                problems.iter().map(ToString::to_string).collect(),
            ))
        }
    };
    if let Some(late) = arrivals.iter().find(|a| a.arrival_year > session.year()) {
        return Ok(FileOutcome::Refused(vec![format!(
            "household {}: arrival year {} is after this year ({}); the history holds past arrivals",
            late.household.id,
            late.arrival_year,
            session.year()
        )]));
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let data = TrainingData::of_file(&name, &bytes, &arrivals);
    store
        .import_history(&text, &data, session.actor())
        .await
        .map(FileOutcome::Imported)
        .map_err(ImportFailure::Store)
}

/// The newest history as stored, with the municipalities it is read against (as the
/// session's year describes them) and its arrivals.
struct StoredHistory {
    import: HistoryImport,
    text: String,
    municipalities: Vec<MunicipalitySlot>,
    arrivals: Vec<PastArrival>,
}

/// Reads the newest history again (it was checked whole when imported, so a problem now
/// is a stored value this version cannot read).
async fn stored_history(
    store: &Store,
    session: &Session,
) -> Result<Option<StoredHistory>, StoreError> {
    let Some((import, text)) = store.outcome_history().await? else {
        return Ok(None);
    };
    let municipalities = store.municipality_slots(session.year()).await?;
    let arrivals = read_history(&text, &municipalities).map_err(|problems| {
        StoreError::Corrupt(format!(
            "the stored outcome history no longer reads: {}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    Ok(Some(StoredHistory {
        import,
        text,
        municipalities,
        arrivals,
    }))
}

/// The newest history and its arrivals (what a forecast draws from).
pub async fn history(
    store: &Store,
    session: &Session,
) -> Result<Option<(HistoryImport, Vec<PastArrival>)>, StoreError> {
    Ok(stored_history(store, session)
        .await?
        .map(|h| (h.import, h.arrivals)))
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the model could not be trained on the history: {0}")]
    Learn(#[from] LearnError),
}

/// Trains a model on the newest history with the municipalities as they are described in
/// the session's year, cross-validated in `FOLDS` folds, and keeps it as the next version
/// (not in use until a quota manager puts it in use). Cross-validating and fitting take
/// seconds on thousands of rows, on the blocking pool.
pub async fn train_model(store: &Store, session: &Session) -> Result<ModelVersion, TrainError> {
    let Some(StoredHistory {
        import,
        text,
        municipalities,
        arrivals,
    }) = stored_history(store, session).await?
    else {
        return Err(StoreError::NoHistory.into());
    };
    let provenance = Provenance {
        trained_by: session.actor().to_owned(),
        trained_at: session.now().naive_utc(),
        data: TrainingData::of_file(&import.file_name, text.as_bytes(), &arrivals),
    };
    let fitting = tokio::task::spawn_blocking(move || {
        fit(&arrivals, &municipalities, FOLDS, FOLD_SEED, provenance)
    });
    let model = match fitting.await {
        Ok(fitted) => fitted?,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the fit was cancelled: {e}"),
    };
    Ok(store
        .save_model(&model, import.seq, session.actor())
        .await?)
}
