//! Who is at the window, and the users an administrator manages. The core checks every
//! permission itself; the window uses these to say who you are and to offer only what
//! your roles allow.

use resettle::domain::access::{Permission, User};
use resettle::ipc::{CommandError, ReceiptWritten};
use tauri::State;

use crate::AppState;

/// The user the window acts as (the operating system's login), or None when that login is
/// not a user of this database.
#[tauri::command]
pub async fn whoami(state: State<'_, AppState>) -> Result<Option<User>, CommandError> {
    Ok(state.store.get()?.user(state.session().actor()).await?)
}

/// What the window's user may do, as the core decides it (`User::may`): the views offer
/// only these; the core still checks each call.
#[tauri::command]
pub async fn permissions(state: State<'_, AppState>) -> Result<Vec<Permission>, CommandError> {
    let user = state.store.get()?.user(state.session().actor()).await?;
    Ok(Permission::ALL
        .iter()
        .copied()
        .filter(|p| user.as_ref().is_some_and(|u| u.may(*p)))
        .collect())
}

/// The login the window acts as, registered or not.
#[tauri::command]
pub fn login_name(state: State<'_, AppState>) -> String {
    state.session().actor().to_owned()
}

#[tauri::command]
pub async fn users(state: State<'_, AppState>) -> Result<Vec<User>, CommandError> {
    Ok(state.store.get()?.users().await?)
}

#[tauri::command]
pub async fn add_user(state: State<'_, AppState>, user: User) -> Result<User, CommandError> {
    Ok(state
        .store
        .get()?
        .add_user(&user, state.session().actor())
        .await?)
}

#[tauri::command]
pub async fn update_user(state: State<'_, AppState>, user: User) -> Result<User, CommandError> {
    Ok(state
        .store
        .get()?
        .update_user(&user, state.session().actor())
        .await?)
}

/// Writes a receipt of the audit chain's head to `out`, signed with the office's key at
/// `key` (an administrator's; the key stays a file outside the database).
#[tauri::command]
pub async fn write_audit_receipt(
    state: State<'_, AppState>,
    key: String,
    out: String,
) -> Result<ReceiptWritten, CommandError> {
    let store = state.store.get()?;
    let receipt = resettle::receipt::write_receipt(
        &store,
        &state.session(),
        std::path::Path::new(&key),
        std::path::Path::new(&out),
    )
    .await?;
    Ok(ReceiptWritten {
        out,
        seq: u32::try_from(receipt.statement.seq).unwrap_or(u32::MAX),
        head: receipt.statement.head,
    })
}
