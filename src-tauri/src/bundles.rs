//! Mission bundles in the window: this database's bundle key, the office's check-out of a
//! mission to a laptop and the laptop's receipt of it, the laptop's return and the office's
//! check-in, and the conflict queue. The core does the work and the checks; these only
//! carry paths and answers.

use std::path::Path;

use resettle::exports::{write_receipt, write_recorded};
use resettle::ipc::{
    CheckoutDone, CheckoutForm, CommandError, ResolveForm, ReturnDone, ReturnForm, ShellRefusal,
};
use resettle::storage::{CheckedIn, Conflict, Received, Released};
use tauri::State;

use crate::AppState;

fn path_of(path: &str) -> Result<&Path, CommandError> {
    if path.trim().is_empty() {
        return Err(ShellRefusal::PathRequired.into());
    }
    Ok(Path::new(path.trim()))
}

/// This database's public bundle key (age1...), or None before one is made.
#[tauri::command]
pub async fn bundle_recipient(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    Ok(state.store.get()?.bundle_recipient().await?)
}

/// Makes this database's bundle key (an administrator's work) and returns its public key.
#[tauri::command]
pub async fn init_bundle_key(state: State<'_, AppState>) -> Result<String, CommandError> {
    Ok(state
        .store
        .get()?
        .init_bundle_key(state.session().actor())
        .await?)
}

/// Checks a mission out to a laptop: the bundle is written whole to the form's path.
#[tauri::command]
pub async fn checkout_mission(
    state: State<'_, AppState>,
    form: CheckoutForm,
) -> Result<CheckoutDone, CommandError> {
    let store = state.store.get()?;
    let out = path_of(&form.path)?;
    let actor = state.session().actor().to_owned();
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

/// Receives a mission bundle from the file at `path`, all or nothing.
#[tauri::command]
pub async fn receive_bundle(
    state: State<'_, AppState>,
    path: String,
) -> Result<Received, CommandError> {
    let store = state.store.get()?;
    let bytes = read_bundle(&path).await?;
    Ok(store
        .receive_checkout(&bytes, state.session().actor())
        .await?)
}

async fn read_bundle(path: &str) -> Result<Vec<u8>, CommandError> {
    let file = path_of(path)?;
    tokio::fs::read(file).await.map_err(|e| {
        ShellRefusal::CannotReadFile(format!("cannot read {}: {e}", file.display())).into()
    })
}

#[tauri::command]
pub async fn return_mission(
    state: State<'_, AppState>,
    form: ReturnForm,
) -> Result<ReturnDone, CommandError> {
    let store = state.store.get()?;
    let out = path_of(&form.path)?;
    let actor = state.session().actor().to_owned();
    let prepared = store.prepare_return(form.mission, &actor).await?;
    write_recorded(out, &prepared.bytes, store.record_return(&prepared, &actor)).await?;
    Ok(ReturnDone {
        bundle: prepared.ret.id,
        households: prepared.ret.households.len() as u32,
        records: prepared.records(),
        bytes: prepared.bytes.len() as u32,
        sha256: resettle::documents::sha256_hex(&prepared.bytes),
        file: out.display().to_string(),
    })
}

/// Checks a return in; with `receipt`, also writes the laptop's receipt there (whole or
/// not at all; checking the same file in again writes it again).
#[tauri::command]
pub async fn check_in_bundle(
    state: State<'_, AppState>,
    path: String,
    receipt: Option<String>,
) -> Result<CheckedIn, CommandError> {
    let store = state.store.get()?;
    let bytes = read_bundle(&path).await?;
    let done = store.check_in(&bytes, state.session().actor()).await?;
    if let Some(out) = receipt.as_deref().filter(|p| !p.trim().is_empty()) {
        write_receipt(&done, Path::new(path.trim()), Path::new(out.trim())).await?;
    }
    Ok(done)
}

/// On the laptop: erases its copy of the mission the office's receipt at `path` is for.
#[tauri::command]
pub async fn release_field_copy(
    state: State<'_, AppState>,
    path: String,
) -> Result<Released, CommandError> {
    let store = state.store.get()?;
    let bytes = read_bundle(&path).await?;
    Ok(store
        .release_field_copy(&bytes, state.session().actor())
        .await?)
}

#[tauri::command]
pub async fn checkin_conflicts(
    state: State<'_, AppState>,
    all: bool,
) -> Result<Vec<Conflict>, CommandError> {
    Ok(state
        .store
        .get()?
        .conflicts(all, state.session().actor())
        .await?)
}

#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    form: ResolveForm,
) -> Result<Conflict, CommandError> {
    Ok(state
        .store
        .get()?
        .resolve_conflict(
            form.id,
            form.side,
            state.session().today(),
            state.session().actor(),
        )
        .await?)
}
