//! The team members of a laptop database: who has a key slot, adding and removing one, the
//! office's recovery slot, and the rekey that removing a member needs. The slots' crypto is
//! `keyslots.rs`; this is what the database does around it (the permission, the audit log,
//! closing and reopening the file under a new key).

use std::path::Path;

use super::users::load_user;
use super::{append_audit, Dialect, SqliteStore};
use crate::cipher::{raw_key_pragma, Passphrase};
use crate::keyslots::{new_key, DbKey, KeyFile, KeySlotList, KeySlots, Unlock};
use crate::StoreError;
use resettle_domain::access::{AccessError, Permission};

impl SqliteStore {
    /// The member whose passphrase unlocked this database, if one did.
    pub fn member(&self) -> Option<&str> {
        self.unlocked.as_ref()?.member.as_deref()
    }

    fn key(&self) -> Result<&DbKey, StoreError> {
        match &self.unlocked {
            Some(unlocked) => Ok(&unlocked.key),
            None => Err(StoreError::NotEncrypted {
                path: self.path.display().to_string(),
            }),
        }
    }

    fn slots(&self) -> Result<KeySlots, StoreError> {
        self.key()?;
        match KeyFile::read(&self.path)? {
            Some(KeyFile::Slots(slots)) => Ok(slots),
            Some(KeyFile::Single(_)) => Err(StoreError::NoKeySlots),
            None => Err(StoreError::NotEncrypted {
                path: self.path.display().to_string(),
            }),
        }
    }

    pub fn key_slots(&self) -> Result<KeySlotList, StoreError> {
        let slots = self.slots()?;
        Ok(KeySlotList {
            members: slots.names(),
            recovery: slots.recovery,
        })
    }

    /// Gives `name` (an active user of this database) a key slot under their own
    /// passphrase. The key is unchanged, so nothing else moves.
    pub async fn add_member(
        &self,
        name: &str,
        passphrase: &Passphrase,
        actor: &str,
    ) -> Result<KeySlotList, StoreError> {
        let name = name.trim();
        let mut tx = self.begin_as(actor, Permission::ManageUsers).await?;
        match load_user(&mut tx, name).await? {
            None => return Err(AccessError::NoSuchUser(name.to_owned()).into()),
            Some(user) if !user.active => {
                return Err(AccessError::InactiveUser {
                    actor: name.to_owned(),
                }
                .into())
            }
            Some(_) => {}
        }
        let next = self.slots()?.with_member(name, passphrase, self.key()?)?;
        append_audit(
            &mut tx,
            actor.trim(),
            "keyslot.added",
            &format!("member={name}"),
        )
        .await?;
        // The file first: if it cannot be written, the entry is rolled back with nothing
        // changed; a commit that failed after it would leave a slot the log lacks, never
        // a logged slot that does not exist.
        next.write(&self.path, true)?;
        tx.commit().await?;
        self.key_slots()
    }

    /// Takes `name`'s key slot away and gives the database a new key for the members who
    /// remain. Consumes the store (its connections know the old key) and returns it
    /// reopened under the new one.
    pub async fn remove_member(self, name: &str, actor: &str) -> Result<Self, StoreError> {
        let name = name.trim();
        if self.member() == Some(name) {
            return Err(StoreError::RemoveSelf(name.to_owned()));
        }
        let mut tx = self.begin_as(actor, Permission::ManageUsers).await?;
        let new = new_key()?;
        let (during, after) = self.slots()?.without_member(name, self.key()?, &new)?;
        append_audit(
            &mut tx,
            actor.trim(),
            "keyslot.removed",
            &format!("member={name}"),
        )
        .await?;
        during.write(&self.path, true)?;
        tx.commit().await?;
        self.rekey(new, after).await
    }

    /// Sets the recovery slot to the office's public key. Replacing one rekeys the database,
    /// so that the old key's holder can open it no more.
    pub async fn set_recovery(self, recipient: &str, actor: &str) -> Result<Self, StoreError> {
        let mut tx = self.begin_as(actor, Permission::ManageUsers).await?;
        let new = new_key()?;
        let (during, after) = self.slots()?.with_recovery(recipient, self.key()?, &new)?;
        let recovery = after.recovery.clone().unwrap_or_default();
        append_audit(
            &mut tx,
            actor.trim(),
            "keyslot.recovery",
            &format!("recipient={recovery}"),
        )
        .await?;
        during.write(&self.path, true)?;
        tx.commit().await?;
        self.rekey(new, after).await
    }

    /// Closes every connection, re-encrypts the file under `new` and writes the key file
    /// that holds only the new key. Cut off at any point, the file still opens: the key
    /// file written before this holds both keys.
    async fn rekey(self, new: DbKey, after: KeySlots) -> Result<Self, StoreError> {
        let path = self.path.as_ref().clone();
        let member = self.member().map(str::to_owned);
        let old = self.key()?.clone();
        self.close().await;
        rekey_file(&path, &old, &new).await?;
        after.write(&path, true)?;
        Self::open_keyed(&path, Some(new), member).await
    }

    /// Turns a laptop database from before key slots into one with them: its key, unchanged,
    /// sealed for `name` (an active user of it) under the passphrase that opened it.
    pub(super) async fn convert_to_slots(
        &self,
        name: &str,
        passphrase: &Passphrase,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        match load_user(&mut tx, name).await? {
            Some(user) if user.active => {}
            _ => return Err(AccessError::NoSuchUser(name.to_owned()).into()),
        }
        let slots = KeySlots::create(name, passphrase, None, self.key()?)?;
        append_audit(&mut tx, name, "keyslot.added", &format!("member={name}")).await?;
        slots.write(&self.path, true)?;
        tx.commit().await?;
        Ok(())
    }

    /// The office's recovery of a laptop database: opens `path` with the office's private
    /// key and gives `name` a new key slot under `passphrase` (replacing the slot whose
    /// passphrase was lost). `actor` is the office's login, recorded in the laptop's log.
    pub async fn recover_member(
        path: &Path,
        office: &age::x25519::Identity,
        name: &str,
        passphrase: &Passphrase,
        actor: &str,
    ) -> Result<KeySlotList, StoreError> {
        let name = resettle_domain::access::check_user_name(name)?;
        let store = Self::open_unlocking(path, Some(Unlock::Recovery(office))).await?;
        let result = async {
            let mut tx = store.begin_write().await?;
            let next = store
                .slots()?
                .with_member_replaced(&name, passphrase, store.key()?)?;
            append_audit(
                &mut tx,
                actor.trim(),
                "keyslot.recovered",
                &format!("member={name}"),
            )
            .await?;
            next.write(&store.path, true)?;
            tx.commit().await?;
            store.key_slots()
        }
        .await;
        store.close().await;
        result
    }
}

/// Re-encrypts every page of the file under `new` (SQLCipher's rekey), on a connection of
/// its own. SQLCipher rekeys a database in rollback-journal mode only, so the WAL is
/// emptied into the file first and WAL mode restored after.
async fn rekey_file(path: &Path, old: &DbKey, new: &DbKey) -> Result<(), StoreError> {
    let options = super::connect_options(path).pragma("key", raw_key_pragma(old).to_string());
    let mut conn = sqlx::ConnectOptions::connect(&options).await?;
    let result = async {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await?;
        sqlx::query("PRAGMA journal_mode = DELETE")
            .execute(&mut conn)
            .await?;
        sqlx::query(&format!("PRAGMA rekey = {}", raw_key_pragma(new).as_str()))
            .execute(&mut conn)
            .await?;
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&mut conn)
            .await?;
        Ok::<_, StoreError>(())
    }
    .await;
    sqlx::Connection::close(conn).await?;
    result
}
