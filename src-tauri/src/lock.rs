//! The store behind the window, and locking it: an encrypted database opens only with its
//! passphrase, and locking (by hand or after the idle time) closes it again, so that a
//! laptop left open on a mission shows nothing until the passphrase is typed again.

use std::path::PathBuf;
use std::sync::RwLock;

use resettle::ipc::{CommandError, ShellRefusal};
use resettle::storage::cipher::Passphrase;
use resettle::storage::{SqliteStore, Store};
use tauri::State;

use crate::AppState;

/// Where the store is: open, locked (an encrypted database waiting for its passphrase), or
/// failed to open (the reason is shown in the window).
pub enum Slot {
    Open(Store),
    Locked,
    Failed(String),
}

pub struct StoreSlot {
    pub path: Option<PathBuf>,
    pub encrypted: bool,
    slot: RwLock<Slot>,
}

impl StoreSlot {
    pub fn new(path: Option<PathBuf>, encrypted: bool, slot: Slot) -> Self {
        Self {
            path,
            encrypted,
            slot: RwLock::new(slot),
        }
    }

    /// The open store (a handle on its pool), or why there is none.
    pub fn get(&self) -> Result<Store, CommandError> {
        match &*self.slot.read().unwrap_or_else(|e| e.into_inner()) {
            Slot::Open(store) => Ok(store.clone()),
            Slot::Locked => Err(ShellRefusal::Locked.into()),
            Slot::Failed(reason) => Err(CommandError::from(reason.clone())),
        }
    }

    pub fn is_locked(&self) -> bool {
        matches!(
            &*self.slot.read().unwrap_or_else(|e| e.into_inner()),
            Slot::Locked
        )
    }

    fn replace(&self, new: Slot) -> Slot {
        std::mem::replace(
            &mut *self.slot.write().unwrap_or_else(|e| e.into_inner()),
            new,
        )
    }
}

/// Opens the encrypted database with the passphrase typed in the window. A wrong one is
/// refused with its code, and the database stays locked and unchanged.
#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, passphrase: String) -> Result<(), CommandError> {
    let slot = &state.store;
    let Some(path) = slot.path.clone().filter(|_| slot.encrypted) else {
        return Err(ShellRefusal::NotEncrypted(state.database.clone()).into());
    };
    let passphrase = Passphrase::new(passphrase);
    let store = Store::from(SqliteStore::open_with(&path, Some(&passphrase)).await?);
    if let Slot::Open(previous) = slot.replace(Slot::Open(store)) {
        previous.close().await;
    }
    Ok(())
}

/// Closes the encrypted database and forgets the document on preview; the window shows the
/// passphrase screen again.
#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Result<(), CommandError> {
    if !state.store.encrypted {
        return Err(ShellRefusal::NotEncrypted(state.database.clone()).into());
    }
    state.documents.forget();
    if let Slot::Open(store) = state.store.replace(Slot::Locked) {
        store.close().await;
    }
    Ok(())
}

/// Minutes without a key press or pointer movement before the window locks itself.
#[tauri::command]
pub async fn idle_lock_minutes(state: State<'_, AppState>) -> Result<u32, CommandError> {
    Ok(state.store.get()?.idle_lock_minutes().await?)
}

#[tauri::command]
pub async fn set_idle_lock_minutes(
    state: State<'_, AppState>,
    minutes: u32,
) -> Result<u32, CommandError> {
    let store = state.store.get()?;
    store
        .set_idle_lock_minutes(minutes, state.session.actor())
        .await?;
    Ok(store.idle_lock_minutes().await?)
}
