//! Mission bundles in the window: this database's bundle key, the office's check-out of a
//! mission to a laptop, and the laptop's receipt of it. The core does the work and the
//! checks; these only carry paths and answers.

use std::path::Path;

use resettle::exports::write_recorded;
use resettle::ipc::{CheckoutDone, CheckoutForm, CommandError};
use resettle::session::current_user;
use resettle::storage::Received;
use tauri::State;

use crate::AppState;

fn path_of(path: &str) -> Result<&Path, CommandError> {
    if path.trim().is_empty() {
        return Err(CommandError::refusal(
            "path",
            "path_required",
            "choose the file",
        ));
    }
    Ok(Path::new(path.trim()))
}

#[tauri::command]
pub async fn bundle_recipient(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    Ok(state.store.get()?.bundle_recipient().await?)
}

#[tauri::command]
pub async fn init_bundle_key(state: State<'_, AppState>) -> Result<String, CommandError> {
    Ok(state.store.get()?.init_bundle_key(&current_user()).await?)
}

#[tauri::command]
pub async fn checkout_mission(
    state: State<'_, AppState>,
    form: CheckoutForm,
) -> Result<CheckoutDone, CommandError> {
    let store = state.store.get()?;
    let out = path_of(&form.path)?;
    let actor = current_user();
    let prepared = store
        .prepare_checkout(form.mission, &form.to, &actor)
        .await?;
    write_recorded(
        out,
        &prepared.bytes,
        store.record_checkout(&prepared, &actor),
    )
    .await?;
    Ok(CheckoutDone {
        bundle: prepared.checkout.id,
        households: prepared.checkout.households.len() as u32,
        bytes: prepared.bytes.len() as u32,
        sha256: prepared.sha256(),
        file: out.display().to_string(),
    })
}

#[tauri::command]
pub async fn receive_bundle(
    state: State<'_, AppState>,
    path: String,
) -> Result<Received, CommandError> {
    let store = state.store.get()?;
    let file = path_of(&path)?;
    let bytes = tokio::fs::read(file).await.map_err(|e| {
        CommandError::refusal(
            "path",
            "cannot_read_file",
            format!("cannot read {}: {e}", file.display()),
        )
    })?;
    Ok(store.receive_checkout(&bytes, &current_user()).await?)
}
