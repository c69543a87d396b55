//! The retention schedule and erasures, for the administrator's part of Settings. The
//! core checks the permission and every rule; these only pass the window's values on.

use resettle::domain::retention::{ErasureRun, RetentionSchedule};
use resettle::ipc::CommandError;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn retention_schedule(
    state: State<'_, AppState>,
) -> Result<RetentionSchedule, CommandError> {
    Ok(state.store.get()?.retention_schedule().await?)
}

#[tauri::command]
pub async fn set_retention_schedule(
    state: State<'_, AppState>,
    schedule: RetentionSchedule,
) -> Result<RetentionSchedule, CommandError> {
    Ok(state
        .store
        .get()?
        .set_retention_schedule(schedule, state.session().actor())
        .await?)
}

/// Runs the schedule on today's date; `dry_run` only lists what is due.
#[tauri::command]
pub async fn run_retention(
    state: State<'_, AppState>,
    dry_run: bool,
) -> Result<ErasureRun, CommandError> {
    let session = state.session();
    Ok(state
        .store
        .get()?
        .run_retention(session.today(), dry_run, session.actor())
        .await?)
}

/// Erases a closed case's personal data on the person's request.
#[tauri::command]
pub async fn erase_case(
    state: State<'_, AppState>,
    case_no: String,
    reason: String,
) -> Result<ErasureRun, CommandError> {
    let session = state.session();
    Ok(state
        .store
        .get()?
        .erase_case(&case_no, &reason, session.today(), session.actor())
        .await?)
}
