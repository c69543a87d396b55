//! The desktop shell: opens the window and translates IPC calls into calls of the core.
//! No rule lives here; see ARCHITECTURE.md.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod cases;
mod commands;
mod documents;
mod missions;
mod placement;
mod quota;

use resettle::paths::resolve_database;
use resettle::storage::SqliteStore;
use tauri::Manager;

/// What every command can reach: the opened store, or why it could not be opened (shown
/// in the window rather than a silent exit, so a user can tell someone what went wrong).
pub struct AppState {
    pub database: String,
    pub store: Result<SqliteStore, String>,
    pub bench: commands::BenchSignal,
    pub documents: documents::DocumentState,
}

fn main() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let (database, store) = match resolve_database(None) {
                Ok(path) => {
                    let store = tauri::async_runtime::block_on(SqliteStore::open(&path));
                    (path.display().to_string(), store.map_err(|e| e.to_string()))
                }
                Err(e) => (String::new(), Err(e.to_string())),
            };
            if let Err(e) = &store {
                eprintln!("resettle-app: {e}");
            }
            app.manage(AppState {
                database,
                store,
                bench: commands::BenchSignal::from_env(),
                documents: documents::DocumentState::default(),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::overview,
            commands::app_info,
            commands::overview_shown,
            quota::quota_periods,
            quota::quota_status,
            quota::quota_history,
            quota::create_period,
            quota::allocate,
            quota::reallocate,
            quota::close_year,
            quota::deadlines,
            cases::search_cases,
            cases::case_dossier,
            cases::rubric,
            cases::record_interview,
            cases::score_case,
            cases::raise_flag,
            cases::decide_flag,
            cases::decide_case,
            cases::move_case,
            cases::sign_declaration,
            cases::record_consent,
            cases::withdraw_consent,
            cases::import_submissions,
            missions::missions,
            missions::create_mission,
            missions::add_team_member,
            missions::record_attendance,
            placement::municipality_table,
            placement::placement_pool,
            placement::proposals,
            placement::propose_placements,
            placement::check_move,
            placement::move_proposal,
            placement::transition_proposal,
            placement::set_municipal_quota,
            placement::placement_weights,
            placement::set_placement_weights,
            documents::declaration_languages,
            documents::render_document,
            documents::cancel_document,
            documents::document_bytes,
            documents::save_document,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Resettle application");
}
