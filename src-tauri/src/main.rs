//! The desktop shell: opens the window and translates IPC calls into calls of the core.
//! No rule lives here; see ARCHITECTURE.md.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bundles;
mod cases;
mod commands;
mod database;
mod documents;
mod lock;
mod missions;
mod placement;
mod privacy;
mod quota;
mod users;

use lock::{Slot, StoreSlot};
use resettle::paths::resolve_location;
use resettle::session::Session;
use resettle::storage::cipher::is_encrypted;
use resettle::storage::{Location, PgStore, Store};
use tauri::Manager;

/// What every command can reach: the store (open, locked until its passphrase is typed, or
/// why it could not be opened, shown in the window rather than a silent exit, so a user
/// can tell someone what went wrong).
pub struct AppState {
    pub database: String,
    /// Where the log files are written, shown in Settings.
    pub log_dir: Option<String>,
    pub store: StoreSlot,
    pub bench: commands::BenchSignal,
    pub documents: documents::DocumentState,
}

impl AppState {
    /// Who is working at this window, on the office's clock: the login the database itself
    /// authenticated (the server's login, or the member whose key slot unlocked a laptop's
    /// file), else the operating system's login (a plain file, or while locked).
    pub fn session(&self) -> Session {
        match self.store.get() {
            Ok(store) => Session::for_store(&store),
            Err(_) => Session::from_login(),
        }
    }
}

/// Opens a plain database; one the window creates (its first start on this machine) gets
/// the login at the window as its first user, as `resettle init` does.
async fn open_plain(
    path: &std::path::Path,
    session: &Session,
) -> Result<Store, resettle::storage::StoreError> {
    let creating = !path.exists();
    let store = Store::open_file(path).await?;
    if creating {
        store.claim_first_user(session.actor()).await?;
    }
    Ok(store)
}

/// The slot for a store that opened, or for the reason it did not.
fn opened(result: Result<Store, resettle::storage::StoreError>) -> Slot {
    match result {
        Ok(store) => Slot::Open(store),
        Err(e) => {
            eprintln!("resettle-app: {e}");
            match e.code() {
                Some(code) => tracing::info!(code, "the database did not open"),
                None => tracing::warn!(fault = e.fault_kind(), "the database did not open"),
            }
            Slot::Failed(e.to_string())
        }
    }
}

fn main() {
    // Kept until the window closes, so the last lines reach the file.
    let log = resettle::logging::start("resettle-app");
    let log_dir = log.dir.as_ref().map(|d| d.display().to_string());
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "started");
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let session = Session::from_login();
            let mut shown = String::new();
            let store = match resolve_location(None) {
                // An encrypted database waits for its passphrase in the window.
                Ok(Location::File(path)) if is_encrypted(&path) => {
                    shown = path.display().to_string();
                    StoreSlot::new(Some(path), true, Slot::Locked)
                }
                Ok(Location::File(path)) => {
                    shown = path.display().to_string();
                    let slot = opened(tauri::async_runtime::block_on(open_plain(&path, &session)));
                    StoreSlot::new(Some(path), false, slot)
                }
                // The office's server (RESETTLE_DB=postgres://...): its users are managed
                // there, so the window claims nothing.
                Ok(location @ Location::Server(_)) => {
                    shown = location.shown();
                    let Location::Server(url) = location else {
                        unreachable!("matched above")
                    };
                    // Who works is the server's login, whatever the machine's user is.
                    let connected =
                        tauri::async_runtime::block_on(PgStore::connect(&url)).map(Store::from);
                    StoreSlot::new(None, false, opened(connected))
                }
                Err(e) => {
                    eprintln!("resettle-app: {e}");
                    StoreSlot::new(None, false, Slot::Failed(e.to_string()))
                }
            };
            tracing::info!(
                backend = store.get().map(|s| s.backend()).unwrap_or("none"),
                locked = store.is_locked(),
                "database"
            );
            app.manage(AppState {
                database: shown,
                log_dir: log_dir.clone(),
                store,
                bench: commands::BenchSignal::from_env(),
                documents: documents::DocumentState::default(),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::overview,
            commands::app_info,
            database::choose_database,
            database::forget_database_choice,
            commands::overview_shown,
            lock::unlock,
            lock::key_slot_members,
            lock::key_slots,
            lock::add_key_slot,
            lock::remove_key_slot,
            lock::set_recovery_key,
            lock::lock,
            lock::idle_lock_minutes,
            lock::set_idle_lock_minutes,
            privacy::retention_schedule,
            privacy::set_retention_schedule,
            privacy::run_retention,
            privacy::erase_case,
            bundles::bundle_recipient,
            bundles::init_bundle_key,
            bundles::checkout_mission,
            bundles::receive_bundle,
            bundles::return_mission,
            bundles::check_in_bundle,
            bundles::release_field_copy,
            bundles::checkin_conflicts,
            bundles::resolve_conflict,
            users::whoami,
            users::permissions,
            users::write_audit_receipt,
            users::login_name,
            users::users,
            users::add_user,
            users::update_user,
            quota::quota_periods,
            quota::quota_status,
            quota::quota_history,
            quota::create_period,
            quota::allocate,
            quota::reallocate,
            quota::close_year,
            quota::deadlines,
            quota::dashboard,
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
            cases::set_medical_needs,
            cases::confidential_notes,
            cases::set_confidential_note,
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
            placement::import_key_inputs,
            placement::compute_quotas,
            placement::placement_weights,
            placement::set_placement_weights,
            placement::visitation_state,
            placement::job_offer,
            placement::set_job_offer,
            placement::override_job_offer,
            placement::household_wishes,
            placement::set_household_wishes,
            placement::import_municipality_wishes,
            placement::import_outcome_history,
            placement::train_model,
            placement::use_model,
            placement::placement_balance,
            documents::declaration_languages,
            documents::render_document,
            documents::cancel_document,
            documents::document_bytes,
            documents::save_document,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Resettle application");
    tracing::info!("closed");
    drop(log);
}
