//! The Missions view's commands: list with progress, plan a mission and its team, and
//! record orientation attendance.

use resettle::domain::Mission;
use resettle::ipc::{AttendanceForm, CommandError, MissionForm, MissionSummary, TeamForm};
use tauri::State;
use uuid::Uuid;

use crate::cases::store;
use crate::AppState;

/// Every mission with its progress and team.
#[tauri::command]
pub async fn missions(state: State<'_, AppState>) -> Result<Vec<MissionSummary>, CommandError> {
    let store = store(&state)?;
    let mut list = Vec::new();
    for mission in store.missions().await? {
        let progress = store
            .mission_progress(mission.id, state.session().today())
            .await?;
        let team = store.team(mission.id).await?;
        list.push(MissionSummary {
            mission,
            progress,
            team,
        });
    }
    Ok(list)
}

#[tauri::command]
pub async fn create_mission(
    state: State<'_, AppState>,
    form: MissionForm,
) -> Result<Mission, CommandError> {
    let mission = Mission {
        id: Uuid::new_v4(),
        name: form.name.trim().to_owned(),
        country_of_asylum: form.country_of_asylum.trim().to_uppercase(),
        location: form.location.trim().to_owned(),
        start_date: form.start_date,
        end_date: form.end_date,
        target_places: form.target_places,
        strategic: form.strategic,
    };
    store(&state)?
        .create_mission(&mission, state.session().actor())
        .await?;
    Ok(mission)
}

#[tauri::command]
pub async fn add_team_member(
    state: State<'_, AppState>,
    form: TeamForm,
) -> Result<(), CommandError> {
    store(&state)?
        .add_team_member(
            form.mission,
            &form.name,
            form.organisation,
            &form.role,
            state.session().actor(),
        )
        .await?;
    Ok(())
}

/// Records a person's orientation attendance; it gives nothing back (read the dossier again).
#[tauri::command]
pub async fn record_attendance(
    state: State<'_, AppState>,
    form: AttendanceForm,
) -> Result<(), CommandError> {
    store(&state)?
        .record_attendance(
            form.person_id,
            form.society_lessons,
            form.danish_lessons,
            state.session().actor(),
        )
        .await?;
    Ok(())
}
