//! The Cases and Import views' commands: search, the dossier, and each record a
//! caseworker makes on a case. Each write hands back the case's dossier as it now is.

use std::path::Path;

use chrono::NaiveDate;
use resettle::domain::decision::DecisionRequest;
use resettle::domain::dossier::{CaseQuery, CaseSearch, Dossier};
use resettle::domain::scoring::Rubric;
use resettle::import;
use resettle::ipc::{
    CommandError, ConsentForm, DecisionForm, DeclarationForm, FlagDecisionForm, FlagForm,
    ImportForm, ImportResult, InterviewForm, MoveForm, NeedsForm,
};
use resettle::session::current_user;
use resettle::storage::{Change, Store, StoreError};
use tauri::State;

use crate::AppState;

pub(crate) fn store(state: &AppState) -> Result<Store, CommandError> {
    state.store.get()
}

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

async fn dossier(store: &Store, case_no: &str) -> Result<Dossier, CommandError> {
    Ok(store.dossier(case_no, today(), &current_user()).await?)
}

#[tauri::command]
pub async fn search_cases(
    state: State<'_, AppState>,
    query: CaseQuery,
) -> Result<CaseSearch, CommandError> {
    Ok(store(&state)?.search_cases(&query, &current_user()).await?)
}

#[tauri::command]
pub async fn case_dossier(
    state: State<'_, AppState>,
    case_no: String,
) -> Result<Dossier, CommandError> {
    dossier(&store(&state)?, &case_no).await
}

#[tauri::command]
pub async fn rubric(state: State<'_, AppState>) -> Result<Rubric, CommandError> {
    Ok(store(&state)?.rubric(&current_user()).await?)
}

#[tauri::command]
pub async fn record_interview(
    state: State<'_, AppState>,
    form: InterviewForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .record_interview(
            &form.case_no,
            form.held_on,
            &form.interviewer,
            &form.notes,
            form.assessments,
            today(),
            &current_user(),
        )
        .await?;
    dossier(&store, &form.case_no).await
}

#[tauri::command]
pub async fn score_case(
    state: State<'_, AppState>,
    case_no: String,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store.score_case(&case_no, today(), &current_user()).await?;
    dossier(&store, &case_no).await
}

#[tauri::command]
pub async fn raise_flag(
    state: State<'_, AppState>,
    form: FlagForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .raise_flag(&form.case_no, form.ground, &form.note, &current_user())
        .await?;
    dossier(&store, &form.case_no).await
}

#[tauri::command]
pub async fn decide_flag(
    state: State<'_, AppState>,
    form: FlagDecisionForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .decide_flag(
            &form.case_no,
            form.flag_id,
            form.resolution,
            &form.by,
            &form.reason,
            &current_user(),
        )
        .await?;
    dossier(&store, &form.case_no).await
}

#[tauri::command]
pub async fn decide_case(
    state: State<'_, AppState>,
    form: DecisionForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    let request = DecisionRequest {
        verdict: form.verdict,
        by: form.by,
        reasons: form.reasons,
        accepted: form.accepted,
    };
    store
        .decide_case(
            &form.case_no,
            request,
            form.quota_year,
            today(),
            &current_user(),
        )
        .await?;
    dossier(&store, &form.case_no).await
}

#[tauri::command]
pub async fn move_case(
    state: State<'_, AppState>,
    form: MoveForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    let author = current_user();
    let change = Change {
        author: &author,
        reason: &form.reason,
    };
    store
        .move_case(&form.case_no, form.to, form.on, &change)
        .await?;
    dossier(&store, &form.case_no).await
}

#[tauri::command]
pub async fn sign_declaration(
    state: State<'_, AppState>,
    form: DeclarationForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .sign_declaration(
            &form.case_no,
            form.person_id,
            form.signed_on,
            &form.place,
            today(),
            &current_user(),
        )
        .await?;
    dossier(&store, &form.case_no).await
}

#[tauri::command]
pub async fn record_consent(
    state: State<'_, AppState>,
    form: ConsentForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .record_consent(
            &form.case_no,
            form.released,
            &form.language,
            &current_user(),
        )
        .await?;
    dossier(&store, &form.case_no).await
}

#[tauri::command]
pub async fn set_medical_needs(
    state: State<'_, AppState>,
    form: NeedsForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    let needs = resettle::domain::checkin::Needs {
        special_needs: Some(form.special_needs),
        tom_patient: form.tom_patient,
    };
    store
        .set_medical_needs(&form.case_no, form.position, &needs, &current_user())
        .await?;
    dossier(&store, &form.case_no).await
}

#[tauri::command]
pub async fn withdraw_consent(
    state: State<'_, AppState>,
    case_no: String,
    consent: uuid::Uuid,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .withdraw_consent(&case_no, consent, &current_user())
        .await?;
    dossier(&store, &case_no).await
}

/// Imports a submission file the user picked (or typed the path of). Problems in the
/// file come back as a list, not as an error, so the view can show every one of them.
#[tauri::command]
pub async fn import_submissions(
    state: State<'_, AppState>,
    form: ImportForm,
) -> Result<ImportResult, CommandError> {
    let store = store(&state)?;
    let path = Path::new(form.path.trim());
    let bytes = tokio::fs::read(path).await.map_err(|e| {
        CommandError::refusal(
            "path",
            "cannot_read_file",
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    let file = path.display().to_string();
    let outcome = match import::read_file_bytes(path, &bytes, today()) {
        Ok(subs) => {
            store
                .import_submissions(subs, form.mission, form.dry_run, &current_user())
                .await
        }
        Err(problems) => Err(StoreError::Import(problems)),
    };
    match outcome {
        Ok(report) => Ok(ImportResult {
            file,
            report: Some(report),
            problems: Vec::new(),
        }),
        Err(StoreError::Import(problems)) => Ok(ImportResult {
            file,
            report: None,
            problems,
        }),
        Err(e) => Err(e.into()),
    }
}
