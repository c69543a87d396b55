//! Who is at the window, and the users an administrator manages. The core checks every
//! permission itself; the window uses these to say who you are and to offer only what
//! your roles allow.

use resettle::domain::access::User;
use resettle::ipc::CommandError;
use tauri::State;

use crate::AppState;

/// The user the window acts as (the operating system's login), or None when that login is
/// not a user of this database.
#[tauri::command]
pub async fn whoami(state: State<'_, AppState>) -> Result<Option<User>, CommandError> {
    Ok(state.store.get()?.user(state.session.actor()).await?)
}

/// The login the window acts as, registered or not.
#[tauri::command]
pub fn login_name(state: State<'_, AppState>) -> String {
    state.session.actor().to_owned()
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
        .add_user(&user, state.session.actor())
        .await?)
}

#[tauri::command]
pub async fn update_user(state: State<'_, AppState>, user: User) -> Result<User, CommandError> {
    Ok(state
        .store
        .get()?
        .update_user(&user, state.session.actor())
        .await?)
}
