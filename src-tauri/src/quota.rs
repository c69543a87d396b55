//! The Quotas view's commands: each reads its form, calls the store with the user as the
//! author, and hands back the period's figures or the refusal with its form field.

use chrono::NaiveDate;
use resettle::domain::quota::{EntryKind, LedgerEntry, QuotaPeriod, QuotaStatus};
use resettle::domain::{CaseDeadline, Dashboard};
use resettle::ipc::{
    AllocateForm, CloseYearForm, CommandError, CreatePeriodForm, ReallocateForm, ShellRefusal,
};
use resettle::storage::{Change, Store};
use tauri::State;

use crate::AppState;

fn store(state: &AppState) -> Result<Store, CommandError> {
    state.store.get()
}

/// Every quota period, oldest first.
#[tauri::command]
pub async fn quota_periods(state: State<'_, AppState>) -> Result<Vec<QuotaPeriod>, CommandError> {
    Ok(store(&state)?.quota_periods().await?)
}

/// A period's figures; a period is named by its first year.
#[tauri::command]
pub async fn quota_status(
    state: State<'_, AppState>,
    period: i32,
) -> Result<QuotaStatus, CommandError> {
    Ok(store(&state)?.quota_status(period).await?)
}

/// The period's newest `limit` ledger entries, newest first; only those of `kind` if given.
#[tauri::command]
pub async fn quota_history(
    state: State<'_, AppState>,
    period: i32,
    limit: u32,
    kind: Option<EntryKind>,
) -> Result<Vec<LedgerEntry>, CommandError> {
    Ok(store(&state)?.quota_history(period, limit, kind).await?)
}

#[tauri::command]
pub async fn create_period(
    state: State<'_, AppState>,
    form: CreatePeriodForm,
) -> Result<QuotaStatus, CommandError> {
    let period = QuotaPeriod {
        years: form.years,
        carry_over: form.carry_over,
        annual_cap: form.annual_cap,
        ..QuotaPeriod::new(form.start_year, form.places)
    };
    let author = state.session().actor().to_owned();
    let change = Change {
        author: &author,
        reason: &form.reason,
    };
    Ok(store(&state)?
        .create_period(&period, &[], &change)
        .await?
        .status)
}

/// Sets (does not add to) a sub-quota's allocation for a year.
#[tauri::command]
pub async fn allocate(
    state: State<'_, AppState>,
    form: AllocateForm,
) -> Result<QuotaStatus, CommandError> {
    let exceptional = match form.exceptional_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(
            id.parse()
                .map_err(|_| CommandError::from(ShellRefusal::NotAnExceptionalId(id.to_owned())))?,
        ),
    };
    let author = state.session().actor().to_owned();
    let change = Change {
        author: &author,
        reason: &form.reason,
    };
    Ok(store(&state)?
        .allocate(
            form.period,
            form.year,
            form.sub_quota,
            form.places,
            exceptional,
            &change,
        )
        .await?
        .status)
}

#[tauri::command]
pub async fn reallocate(
    state: State<'_, AppState>,
    form: ReallocateForm,
) -> Result<QuotaStatus, CommandError> {
    let author = state.session().actor().to_owned();
    let change = Change {
        author: &author,
        reason: &form.reason,
    };
    Ok(store(&state)?
        .reallocate(
            form.period,
            form.year,
            form.from,
            form.to,
            form.places,
            &change,
        )
        .await?
        .status)
}

#[tauri::command]
pub async fn close_year(
    state: State<'_, AppState>,
    form: CloseYearForm,
) -> Result<QuotaStatus, CommandError> {
    let author = state.session().actor().to_owned();
    let change = Change {
        author: &author,
        reason: &form.reason,
    };
    Ok(store(&state)?
        .close_year(form.period, form.year, &change)
        .await?
        .status)
}

/// Open cases against their deadlines, most urgent first; `today` (YYYY-MM-DD) defaults
/// to the computer's date.
#[tauri::command]
pub async fn deadlines(
    state: State<'_, AppState>,
    today: Option<String>,
) -> Result<Vec<CaseDeadline>, CommandError> {
    let today = match today {
        Some(day) => day
            .parse::<NaiveDate>()
            .map_err(|e| CommandError::from(format!("{day:?} is not a date: {e}")))?,
        None => state.session().today(),
    };
    Ok(store(&state)?.deadlines(today, false).await?)
}

/// What needs the user's attention today (the Overview's work list), for a user who reads
/// cases; the counts link to the views that resolve them.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> Result<Dashboard, CommandError> {
    let session = state.session();
    Ok(store(&state)?
        .dashboard(session.today(), session.actor())
        .await?)
}
