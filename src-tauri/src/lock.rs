//! The store behind the window, and locking it: an encrypted database opens only with a
//! member's passphrase (the member then is who acts), and locking (by hand or after the
//! idle time) closes it again, so that a laptop left open on a mission shows nothing until
//! a passphrase is typed again. Also the laptop's key slots, managed from Settings.

use std::path::PathBuf;
use std::sync::RwLock;

use resettle::ipc::{CommandError, ShellRefusal};
use resettle::storage::cipher::Passphrase;
use resettle::storage::keyslots::{member_names, KeySlotList, Unlock};
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

/// Opens the encrypted database with the passphrase typed in the window, in the key slot of
/// the member chosen (or its only one). A wrong one is refused with its code, and the
/// database stays locked and unchanged.
#[tauri::command]
pub async fn unlock(
    state: State<'_, AppState>,
    member: Option<String>,
    passphrase: String,
) -> Result<(), CommandError> {
    let slot = &state.store;
    let Some(path) = slot.path.clone().filter(|_| slot.encrypted) else {
        return Err(ShellRefusal::NotEncrypted(state.database.clone()).into());
    };
    let passphrase = Passphrase::new(passphrase);
    let unlock = Unlock::Member {
        name: member.as_deref().filter(|m| !m.trim().is_empty()),
        passphrase: &passphrase,
    };
    let store = Store::from(SqliteStore::open_unlocking(&path, Some(unlock)).await?);
    if let Slot::Open(previous) = slot.replace(Slot::Open(store)) {
        previous.close().await;
    }
    Ok(())
}

/// The names in the laptop database's key slots, readable while it is locked: the unlock
/// screen offers them.
#[tauri::command]
pub fn key_slot_members(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    match state
        .store
        .path
        .as_deref()
        .filter(|_| state.store.encrypted)
    {
        Some(path) => Ok(member_names(path)?),
        None => Ok(Vec::new()),
    }
}

fn laptop(state: &AppState) -> Result<SqliteStore, CommandError> {
    match state.store.get()? {
        Store::Sqlite(store) if state.store.encrypted => Ok(store),
        _ => Err(ShellRefusal::NotEncrypted(state.database.clone()).into()),
    }
}

/// Who can unlock the laptop database, and its recovery key.
#[tauri::command]
pub async fn key_slots(state: State<'_, AppState>) -> Result<KeySlotList, CommandError> {
    Ok(laptop(&state)?.key_slots()?)
}

/// Gives a user of the database their own key slot; they type their passphrase.
#[tauri::command]
pub async fn add_key_slot(
    state: State<'_, AppState>,
    name: String,
    passphrase: String,
) -> Result<KeySlotList, CommandError> {
    let actor = state.session().actor().to_owned();
    Ok(laptop(&state)?
        .add_member(&name, &Passphrase::new(passphrase), &actor)
        .await?)
}

/// Takes a member's key slot away: the database is re-encrypted under a new key while its
/// connections are closed, then opened again under it.
#[tauri::command]
pub async fn remove_key_slot(
    state: State<'_, AppState>,
    name: String,
) -> Result<KeySlotList, CommandError> {
    let actor = state.session().actor().to_owned();
    let store = laptop(&state)?.remove_member(&name, &actor).await?;
    let list = store.key_slots()?;
    state.store.replace(Slot::Open(store.into()));
    Ok(list)
}

/// Sets the office's public key for the recovery slot (replacing one rekeys the database).
#[tauri::command]
pub async fn set_recovery_key(
    state: State<'_, AppState>,
    recipient: String,
) -> Result<KeySlotList, CommandError> {
    let actor = state.session().actor().to_owned();
    let store = laptop(&state)?.set_recovery(&recipient, &actor).await?;
    let list = store.key_slots()?;
    state.store.replace(Slot::Open(store.into()));
    Ok(list)
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
        .set_idle_lock_minutes(minutes, state.session().actor())
        .await?;
    Ok(store.idle_lock_minutes().await?)
}
