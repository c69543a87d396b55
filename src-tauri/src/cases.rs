//! The Cases and Import views' commands: search, the dossier, and each record a
//! caseworker makes on a case. Each write hands back the case's dossier as it now is.

use std::path::Path;

use resettle::domain::decision::DecisionRequest;
use resettle::domain::dossier::{CaseQuery, CaseSearch, ConfidentialNote, Dossier};
use resettle::domain::scoring::Rubric;
use resettle::import::{self, ImportFailure, ImportOutcome};
use resettle::ipc::{
    CommandError, ConsentForm, DecisionForm, DeclarationForm, FlagDecisionForm, FlagForm,
    ImportForm, ImportResult, InterviewForm, MoveForm, NeedsForm, ShellRefusal,
};
use resettle::session::Session;
use resettle::storage::{Change, Store};
use tauri::State;

use crate::AppState;

pub(crate) fn store(state: &AppState) -> Result<Store, CommandError> {
    state.store.get()
}

async fn dossier(store: &Store, session: &Session, case_no: &str) -> Result<Dossier, CommandError> {
    Ok(store
        .dossier(case_no, session.today(), session.actor())
        .await?)
}

/// Cases matching every given filter, newest submission first.
#[tauri::command]
pub async fn search_cases(
    state: State<'_, AppState>,
    query: CaseQuery,
) -> Result<CaseSearch, CommandError> {
    Ok(store(&state)?
        .search_cases(&query, state.session().actor())
        .await?)
}

#[tauri::command]
pub async fn case_dossier(
    state: State<'_, AppState>,
    case_no: String,
) -> Result<Dossier, CommandError> {
    dossier(&store(&state)?, &state.session(), &case_no).await
}

/// The integration rubric in force.
#[tauri::command]
pub async fn rubric(state: State<'_, AppState>) -> Result<Rubric, CommandError> {
    Ok(store(&state)?.rubric(state.session().actor()).await?)
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
            state.session().today(),
            state.session().actor(),
        )
        .await?;
    dossier(&store, &state.session(), &form.case_no).await
}

#[tauri::command]
pub async fn score_case(
    state: State<'_, AppState>,
    case_no: String,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .score_case(&case_no, state.session().today(), state.session().actor())
        .await?;
    dossier(&store, &state.session(), &case_no).await
}

#[tauri::command]
pub async fn raise_flag(
    state: State<'_, AppState>,
    form: FlagForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .raise_flag(
            &form.case_no,
            form.ground,
            &form.note,
            state.session().actor(),
        )
        .await?;
    dossier(&store, &state.session(), &form.case_no).await
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
            state.session().actor(),
        )
        .await?;
    dossier(&store, &state.session(), &form.case_no).await
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
            state.session().today(),
            state.session().actor(),
        )
        .await?;
    dossier(&store, &state.session(), &form.case_no).await
}

#[tauri::command]
pub async fn move_case(
    state: State<'_, AppState>,
    form: MoveForm,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    let author = state.session().actor().to_owned();
    let change = Change {
        author: &author,
        reason: &form.reason,
    };
    store
        .move_case(&form.case_no, form.to, form.on, &change)
        .await?;
    dossier(&store, &state.session(), &form.case_no).await
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
            state.session().today(),
            state.session().actor(),
        )
        .await?;
    dossier(&store, &state.session(), &form.case_no).await
}

/// Records what the household released to the receiving municipality.
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
            state.session().actor(),
        )
        .await?;
    dossier(&store, &state.session(), &form.case_no).await
}

/// Sets one member's special needs and whether they are a TOM patient; the dossier as it
/// now is comes back.
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
        .set_medical_needs(
            &form.case_no,
            form.position,
            &needs,
            state.session().actor(),
        )
        .await?;
    dossier(&store, &state.session(), &form.case_no).await
}

/// The case's confidential member information, for a user with the confidential grant;
/// the core records the read in the audit log when it shows any note.
#[tauri::command]
pub async fn confidential_notes(
    state: State<'_, AppState>,
    case_no: String,
) -> Result<Vec<ConfidentialNote>, CommandError> {
    Ok(store(&state)?
        .confidential_notes(&case_no, None, state.session().actor())
        .await?)
}

/// Records member `position`'s confidential information (from 1); blank text clears it.
/// Nothing comes back: reading the notes again would be a read of its own.
#[tauri::command]
pub async fn set_confidential_note(
    state: State<'_, AppState>,
    case_no: String,
    position: u32,
    note: String,
) -> Result<(), CommandError> {
    Ok(store(&state)?
        .set_confidential_note(&case_no, position, Some(&note), state.session().actor())
        .await?)
}

/// Withdraws a consent in force; `consent` is its id.
#[tauri::command]
pub async fn withdraw_consent(
    state: State<'_, AppState>,
    case_no: String,
    consent: uuid::Uuid,
) -> Result<Dossier, CommandError> {
    let store = store(&state)?;
    store
        .withdraw_consent(&case_no, consent, state.session().actor())
        .await?;
    dossier(&store, &state.session(), &case_no).await
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
    let file = path.display().to_string();
    match import::import_file(&store, &state.session(), path, form.mission, form.dry_run).await {
        Ok(ImportOutcome::Imported(report)) => Ok(ImportResult {
            file,
            report: Some(report),
            problems: Vec::new(),
        }),
        Ok(ImportOutcome::Refused(problems)) => Ok(ImportResult {
            file,
            report: None,
            problems,
        }),
        Err(e @ ImportFailure::CannotRead { .. }) => {
            Err(ShellRefusal::CannotReadFile(e.to_string()).into())
        }
        Err(ImportFailure::Store(e)) => Err(e.into()),
    }
}
