//! The Placement view's commands: the per-municipality quota table, the pool, proposals
//! for a batch, live checks and moves by hand, the consultation steps, quota edits and
//! the feature model's weights, and the year's key inputs and quota computation.

use std::path::Path;

use resettle::domain::placement::features::Weights;
use resettle::domain::placement::key::KeyExemption;
use resettle::import::ImportFailure;
use resettle::ipc::{
    CommandError, ComputeQuotasForm, ComputedQuotas, KeyInputsForm, KeyInputsResult,
    MoveProposalForm, MunicipalQuotaForm, MunicipalityTable, ProposalTransitionForm, ProposeForm,
    ShellRefusal,
};
use resettle::key_inputs::{import_key_inputs_file, KeyInputsOutcome};
use resettle::placement;
use resettle::solver::SolveOptions;
use resettle::storage::{Batch, MoveCheck, PoolEntry, Proposal, Proposed};
use tauri::State;

use crate::cases::store;
use crate::AppState;

/// The year's 98 municipalities with their quotas (None before they are computed), use and capacities.
#[tauri::command]
pub async fn municipality_table(
    state: State<'_, AppState>,
    year: i32,
) -> Result<MunicipalityTable, CommandError> {
    let store = store(&state)?;
    Ok(MunicipalityTable {
        year,
        synthetic_inputs: store
            .key_input_set(year)
            .await?
            .is_some_and(|s| s.synthetic),
        rows: store.municipality_quotas(year).await?,
    })
}

/// Accepted households without an active proposal.
#[tauri::command]
pub async fn placement_pool(state: State<'_, AppState>) -> Result<Vec<PoolEntry>, CommandError> {
    Ok(store(&state)?.placement_pool().await?)
}

#[tauri::command]
pub async fn proposals(
    state: State<'_, AppState>,
    year: i32,
) -> Result<Vec<Proposal>, CommandError> {
    Ok(store(&state)?.proposals(Some(year)).await?)
}

/// Proposes a municipality for every household of a batch (`accepted`, `mission:<id>` or
/// `cases:<no>,<no>`); all or nothing. May take a few seconds.
#[tauri::command]
pub async fn propose_placements(
    state: State<'_, AppState>,
    form: ProposeForm,
) -> Result<Proposed, CommandError> {
    let batch: Batch = form.batch.parse()?;
    Ok(placement::propose(
        &store(&state)?,
        &state.session(),
        form.year,
        &batch,
        form.method,
        &SolveOptions {
            // A proposal in the app never hangs the window: the best plan found in 30 s
            // is returned, marked as not proven optimal.
            time_limit: Some(30.0),
            ..SolveOptions::default()
        },
    )
    .await?)
}

/// What moving a household's proposal to `municipality` would break; changes nothing.
#[tauri::command]
pub async fn check_move(
    state: State<'_, AppState>,
    case_no: String,
    municipality: u16,
) -> Result<MoveCheck, CommandError> {
    Ok(store(&state)?.check_move(&case_no, municipality).await?)
}

#[tauri::command]
pub async fn move_proposal(
    state: State<'_, AppState>,
    form: MoveProposalForm,
) -> Result<Proposal, CommandError> {
    Ok(store(&state)?
        .move_proposal(
            &form.case_no,
            form.municipality,
            form.override_reason.as_deref(),
            state.session().actor(),
        )
        .await?)
}

/// Consulted, confirmed or declined (a decline needs its reason as the note).
#[tauri::command]
pub async fn transition_proposal(
    state: State<'_, AppState>,
    form: ProposalTransitionForm,
) -> Result<Proposal, CommandError> {
    Ok(store(&state)?
        .transition_proposal(&form.case_no, form.to, &form.note, state.session().actor())
        .await?)
}

/// Changes one municipality's quota of a year by hand, with its reason.
#[tauri::command]
pub async fn set_municipal_quota(
    state: State<'_, AppState>,
    form: MunicipalQuotaForm,
) -> Result<(), CommandError> {
    Ok(store(&state)?
        .set_municipal_quota(
            form.year,
            form.code,
            form.quota,
            &form.reason,
            state.session().actor(),
        )
        .await?)
}

/// Imports the year's key inputs from a CSV file the user picked (or typed the path of).
/// Problems in the file come back as a list, not as an error, so the view shows each.
#[tauri::command]
pub async fn import_key_inputs(
    state: State<'_, AppState>,
    form: KeyInputsForm,
) -> Result<KeyInputsResult, CommandError> {
    let store = store(&state)?;
    let path = Path::new(form.path.trim());
    let file = path.display().to_string();
    match import_key_inputs_file(&store, &state.session(), path, form.year, form.synthetic).await {
        Ok(KeyInputsOutcome::Imported(set)) => Ok(KeyInputsResult {
            file,
            imported: Some(set),
            problems: Vec::new(),
        }),
        Ok(KeyInputsOutcome::Refused(problems)) => Ok(KeyInputsResult {
            file,
            imported: None,
            problems,
        }),
        Err(e @ ImportFailure::CannotRead { .. }) => {
            Err(ShellRefusal::CannotReadFile(e.to_string()).into())
        }
        Err(ImportFailure::Store(e)) => Err(e.into()),
    }
}

/// Computes the year's municipal quotas from its key inputs and the national number.
#[tauri::command]
pub async fn compute_quotas(
    state: State<'_, AppState>,
    form: ComputeQuotasForm,
) -> Result<ComputedQuotas, CommandError> {
    let exemptions: Vec<KeyExemption> = form
        .exemptions
        .iter()
        .map(|e| KeyExemption {
            from: e.from,
            to: e.to,
        })
        .collect();
    let quotas = store(&state)?
        .compute_quotas(
            form.year,
            form.national,
            &exemptions,
            state.session().actor(),
        )
        .await?;
    Ok(ComputedQuotas {
        year: form.year,
        national: form.national,
        given: quotas.values().filter(|q| **q > 0).count() as u32,
        municipalities: quotas.len() as u32,
    })
}

#[tauri::command]
pub async fn placement_weights(state: State<'_, AppState>) -> Result<Weights, CommandError> {
    Ok(store(&state)?.placement_weights().await?)
}

#[tauri::command]
pub async fn set_placement_weights(
    state: State<'_, AppState>,
    weights: Weights,
) -> Result<(), CommandError> {
    Ok(store(&state)?
        .set_placement_weights(&weights, state.session().actor())
        .await?)
}
