//! The Placement view's commands: the per-municipality quota table, the pool, proposals
//! for a batch, live checks and moves by hand, the consultation steps, quota edits and
//! the feature model's weights, and the year's key inputs and quota computation.

use std::path::Path;

use resettle::domain::placement::balance::BalanceReport;
use resettle::domain::placement::features::Weights;
use resettle::domain::placement::instance::RefugeeWish;
use resettle::domain::placement::job_offer::JobOffer;
use resettle::domain::placement::key::KeyExemption;
use resettle::import::ImportFailure;
use resettle::ipc::{
    CommandError, ComputeQuotasForm, ComputedQuotas, HouseholdWishesForm, JobOfferForm,
    JobOfferOverrideForm, KeyInputsForm, KeyInputsResult, MoveProposalForm, MunicipalQuotaForm,
    MunicipalityTable, ProposalTransitionForm, ProposeForm, ShellRefusal, VisitationFileForm,
    VisitationFileResult, VisitationState,
};
use resettle::key_inputs::{import_key_inputs_file, KeyInputsOutcome};
use resettle::placement;
use resettle::solver::SolveOptions;
use resettle::storage::{
    Batch, JobOfferRecord, ModelVersion, MoveCheck, PoolEntry, Proposal, Proposed,
};
use resettle::visitation::{self, FileOutcome, TrainError};
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

/// What the visitation panel shows for a year: the municipalities' wishes, the history in
/// use and the model versions.
#[tauri::command]
pub async fn visitation_state(
    state: State<'_, AppState>,
    year: i32,
) -> Result<VisitationState, CommandError> {
    let store = store(&state)?;
    Ok(VisitationState {
        year,
        municipality_wishes: store.municipality_wishes(year).await?,
        history: store.outcome_history().await?.map(|(import, _)| import),
        models: store.model_versions().await?,
    })
}

#[tauri::command]
pub async fn job_offer(
    state: State<'_, AppState>,
    case_no: String,
) -> Result<Option<JobOfferRecord>, CommandError> {
    Ok(store(&state)?.job_offer(case_no.trim()).await?)
}

/// Records (or replaces) a household's job offer.
#[tauri::command]
pub async fn set_job_offer(
    state: State<'_, AppState>,
    form: JobOfferForm,
) -> Result<JobOfferRecord, CommandError> {
    let offer = JobOffer {
        municipality: form.municipality,
        hours_per_week: form.hours_per_week,
        permanent: form.permanent,
        document: form.document,
        overridden: None,
    };
    Ok(store(&state)?
        .set_job_offer(form.case_no.trim(), &offer, state.session().actor())
        .await?)
}

/// Overrides a job offer with its reason, or follows it again (no reason).
#[tauri::command]
pub async fn override_job_offer(
    state: State<'_, AppState>,
    form: JobOfferOverrideForm,
) -> Result<JobOfferRecord, CommandError> {
    Ok(store(&state)?
        .override_job_offer(
            form.case_no.trim(),
            form.reason.as_deref(),
            state.session().actor(),
        )
        .await?)
}

/// Sets a household's own wishes (the rest of its placement notes unchanged) and gives
/// them back as recorded.
#[tauri::command]
pub async fn set_household_wishes(
    state: State<'_, AppState>,
    form: HouseholdWishesForm,
) -> Result<Vec<RefugeeWish>, CommandError> {
    let store = store(&state)?;
    let case_no = form.case_no.trim();
    let mut profile = store.placement_profile(case_no).await?;
    profile.wishes = form.wishes;
    store
        .set_placement_profile(case_no, &profile, state.session().actor())
        .await?;
    Ok(store.placement_profile(case_no).await?.wishes)
}

/// A household's own wishes, first wish first.
#[tauri::command]
pub async fn household_wishes(
    state: State<'_, AppState>,
    case_no: String,
) -> Result<Vec<RefugeeWish>, CommandError> {
    Ok(store(&state)?
        .placement_profile(case_no.trim())
        .await?
        .wishes)
}

fn file_result<T>(
    file: String,
    outcome: Result<FileOutcome<T>, ImportFailure>,
    rows: impl Fn(&T) -> u32,
) -> Result<VisitationFileResult, CommandError> {
    match outcome {
        Ok(FileOutcome::Imported(t)) => Ok(VisitationFileResult {
            file,
            rows: Some(rows(&t)),
            problems: Vec::new(),
        }),
        Ok(FileOutcome::Refused(problems)) => Ok(VisitationFileResult {
            file,
            rows: None,
            problems,
        }),
        Err(e @ ImportFailure::CannotRead { .. }) => {
            Err(ShellRefusal::CannotReadFile(e.to_string()).into())
        }
        Err(ImportFailure::Store(e)) => Err(e.into()),
    }
}

/// Replaces a year's municipality wishes with a CSV file's; problems come back as a list.
#[tauri::command]
pub async fn import_municipality_wishes(
    state: State<'_, AppState>,
    form: VisitationFileForm,
) -> Result<VisitationFileResult, CommandError> {
    let store = store(&state)?;
    let path = Path::new(form.path.trim());
    let year = form.year.unwrap_or_else(|| state.session().year());
    let outcome =
        visitation::import_municipality_wishes_file(&store, &state.session(), path, year).await;
    file_result(path.display().to_string(), outcome, |rows| {
        rows.len() as u32
    })
}

/// Keeps an outcome history CSV file; problems come back as a list.
#[tauri::command]
pub async fn import_outcome_history(
    state: State<'_, AppState>,
    form: VisitationFileForm,
) -> Result<VisitationFileResult, CommandError> {
    let store = store(&state)?;
    let path = Path::new(form.path.trim());
    let outcome = visitation::import_history_file(&store, &state.session(), path).await;
    file_result(path.display().to_string(), outcome, |h| h.rows)
}

/// Trains a model on the history and keeps it as the next version, not yet in use.
#[tauri::command]
pub async fn train_model(state: State<'_, AppState>) -> Result<ModelVersion, CommandError> {
    match visitation::train_model(&store(&state)?, &state.session()).await {
        Ok(version) => Ok(version),
        Err(TrainError::Store(e)) => Err(e.into()),
        Err(e @ TrainError::Learn(_)) => Err(ShellRefusal::TrainingFailed(e.to_string()).into()),
    }
}

/// Puts a model version in use for proposals, or none.
#[tauri::command]
pub async fn use_model(
    state: State<'_, AppState>,
    version: Option<u32>,
) -> Result<(), CommandError> {
    Ok(store(&state)?
        .use_model(version, state.session().actor())
        .await?)
}

/// The year's balance: fill over the months per municipality, and predicted outcomes by
/// nationality and household type with the model in use.
#[tauri::command]
pub async fn placement_balance(
    state: State<'_, AppState>,
    year: i32,
) -> Result<BalanceReport, CommandError> {
    Ok(store(&state)?.placement_balance(year).await?)
}
