//! A laptop database's key slots: who may unlock it, each with their own passphrase, and the
//! office's recovery slot.
//!
//! The database has one random 256-bit SQLCipher key. Each team member has an X25519 key
//! pair (age's); its secret half is sealed (XChaCha20-Poly1305) under a key Argon2id derives
//! from the member's passphrase, with the member's name and public key bound in as
//! associated data, so a slot cannot be renamed or given another's public key. The
//! database key itself is encrypted with age to every member's public key and to the
//! office's (the recovery slot). So:
//!
//! - unlocking with your passphrase proves which slot is yours, and that name is the actor;
//! - adding a member needs the database key (someone unlocked) and the new member's
//!   passphrase, nobody else's;
//! - removing a member gives the database a new key (SQLCipher's rekey), encrypted to the
//!   members who remain: the removed member's passphrase, or a copy of the old key file,
//!   no longer opens it;
//! - the office opens it with its private key when every passphrase is lost.
//!
//! Everything in the file is public but the sealed secrets; the names are the team's, never
//! a refugee's. During a rekey the file holds the new key and the old one (newest first),
//! both encrypted to the remaining members only, so that a rekey cut off half-way leaves a
//! file that still opens.

use std::io::Write;
use std::path::Path;

use age::secrecy::ExposeSecret;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::cipher::{hex, key_file_path, random_bytes, unhex, Kdf, KeyParams, Passphrase};
use crate::StoreError;

/// A database key, wiped when dropped.
pub type DbKey = Zeroizing<[u8; 32]>;

const FORMAT: &str = "resettle-keyslots";
const VERSION: u32 = 2;
const CIPHER: &str = "sqlcipher4";

/// The key file of a database with key slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySlots {
    pub format: String,
    pub version: u32,
    /// The page cipher the database key is given to.
    pub cipher: String,
    pub members: Vec<MemberSlot>,
    /// The office's public key (age1...), to which the database key is also encrypted.
    pub recovery: Option<String>,
    /// The database key, age-encrypted to every member and the recovery key, hex. One,
    /// or two (newest first) while a rekey is under way.
    pub keys: Vec<String>,
}

/// One member's slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSlot {
    /// The member's user name in the database: who acts when this slot unlocks it.
    pub name: String,
    /// The member's public key (age1...).
    pub recipient: String,
    pub kdf: Kdf,
    /// 24 random bytes, hex.
    pub nonce: String,
    /// The member's secret key (AGE-SECRET-KEY-1...), sealed under the passphrase's key, hex.
    pub sealed: String,
}

/// Who can open a laptop database, for the Settings view and `keyslot list`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct KeySlotList {
    pub members: Vec<String>,
    /// The office's public key of the recovery slot, if there is one.
    pub recovery: Option<String>,
}

/// What unlocks an encrypted database.
pub enum Unlock<'a> {
    /// A member's passphrase: the member named, or the only one.
    Member {
        name: Option<&'a str>,
        passphrase: &'a Passphrase,
    },
    /// The office's private key, through the recovery slot.
    Recovery(&'a age::x25519::Identity),
}

/// What is beside an encrypted database: a key file from before key slots, or key slots.
pub enum KeyFile {
    Single(KeyParams),
    Slots(KeySlots),
}

impl KeyFile {
    /// Reads a database's key file, if it has one.
    pub fn read(database: &Path) -> Result<Option<KeyFile>, StoreError> {
        let path = key_file_path(database);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StoreError::Cipher(format!(
                    "cannot read the key file {}: {e}",
                    path.display()
                )))
            }
        };
        let unreadable = |e: serde_json::Error| {
            StoreError::Cipher(format!(
                "the key file {} cannot be read: {e}",
                path.display()
            ))
        };
        let value: serde_json::Value = serde_json::from_str(&text).map_err(unreadable)?;
        if value.get("format").is_some() {
            let slots: KeySlots = serde_json::from_value(value).map_err(unreadable)?;
            if slots.format != FORMAT || slots.version != VERSION || slots.cipher != CIPHER {
                return Err(StoreError::Cipher(format!(
                    "the key file {} is {} version {} for {}, which this version does not know",
                    path.display(),
                    slots.format,
                    slots.version,
                    slots.cipher
                )));
            }
            Ok(Some(KeyFile::Slots(slots)))
        } else {
            serde_json::from_value(value)
                .map(|p| Some(KeyFile::Single(p)))
                .map_err(unreadable)
        }
    }
}

/// The names in a database's key slots, without unlocking it: what the unlock screen
/// offers. Empty for a plain database or one from before key slots.
pub fn member_names(database: &Path) -> Result<Vec<String>, StoreError> {
    Ok(match KeyFile::read(database)? {
        Some(KeyFile::Slots(slots)) => slots.names(),
        _ => Vec::new(),
    })
}

/// A new random database key.
pub fn new_key() -> Result<DbKey, StoreError> {
    random_bytes::<32>()
}

fn associated_data(name: &str, recipient: &str) -> Vec<u8> {
    format!("{FORMAT}\0{VERSION}\0{name}\0{recipient}").into_bytes()
}

impl MemberSlot {
    /// A slot for `name` with a fresh key pair sealed under `passphrase`.
    fn new(name: &str, passphrase: &Passphrase) -> Result<Self, StoreError> {
        passphrase.check_strength()?;
        let identity = age::x25519::Identity::generate();
        let recipient = identity.to_public().to_string();
        let kdf = Kdf::generate()?;
        let seal_key = kdf.derive(passphrase)?;
        let nonce = random_bytes::<24>()?;
        let secret = identity.to_string();
        let sealed = XChaCha20Poly1305::new((&*seal_key).into())
            .encrypt(
                XNonce::from_slice(&nonce[..]),
                Payload {
                    msg: secret.expose_secret().as_bytes(),
                    aad: &associated_data(name, &recipient),
                },
            )
            .map_err(|_| StoreError::Cipher("sealing the member's key failed".into()))?;
        Ok(Self {
            name: name.to_owned(),
            recipient,
            kdf,
            nonce: hex(&nonce[..]),
            sealed: hex(&sealed),
        })
    }

    /// The member's secret key, if `passphrase` is theirs.
    fn open(
        &self,
        passphrase: &Passphrase,
        path: &Path,
    ) -> Result<age::x25519::Identity, StoreError> {
        let damaged = || StoreError::Cipher(format!("{}'s key slot is damaged", self.name));
        let nonce = unhex(&self.nonce)
            .filter(|n| n.len() == 24)
            .ok_or_else(damaged)?;
        let sealed = unhex(&self.sealed).ok_or_else(damaged)?;
        let seal_key = self.kdf.derive(passphrase)?;
        // A wrong passphrase and a slot edited by hand (its name or public key changed)
        // both fail the tag: either way, this passphrase does not open this slot.
        let secret = Zeroizing::new(
            XChaCha20Poly1305::new((&*seal_key).into())
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &sealed,
                        aad: &associated_data(&self.name, &self.recipient),
                    },
                )
                .map_err(|_| StoreError::WrongPassphrase {
                    path: path.display().to_string(),
                })?,
        );
        let identity: age::x25519::Identity = std::str::from_utf8(&secret)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(damaged)?;
        if identity.to_public().to_string() != self.recipient {
            return Err(damaged());
        }
        Ok(identity)
    }
}

impl KeySlots {
    /// The key file of a new database: one member and, if given, the office's recovery key.
    pub fn create(
        member: &str,
        passphrase: &Passphrase,
        recovery: Option<&str>,
        key: &DbKey,
    ) -> Result<Self, StoreError> {
        let mut slots = KeySlots {
            format: FORMAT.to_owned(),
            version: VERSION,
            cipher: CIPHER.to_owned(),
            members: vec![MemberSlot::new(member, passphrase)?],
            recovery: recovery.map(check_recipient).transpose()?,
            keys: Vec::new(),
        };
        slots.keys = vec![slots.wrap(key)?];
        Ok(slots)
    }

    pub fn names(&self) -> Vec<String> {
        self.members.iter().map(|m| m.name.clone()).collect()
    }

    fn slot(&self, name: &str) -> Option<&MemberSlot> {
        self.members.iter().find(|m| m.name == name)
    }

    /// The slot to try: the one named, or the only one. Names are matched exactly, as the
    /// database's user names are.
    pub fn pick<'a>(&'a self, member: Option<&str>) -> Result<&'a str, StoreError> {
        match member.map(str::trim) {
            Some(name) => {
                self.slot(name)
                    .map(|m| m.name.as_str())
                    .ok_or_else(|| StoreError::NoSuchMember {
                        name: name.to_owned(),
                        members: self.names().join(", "),
                    })
            }
            None => match self.members.as_slice() {
                [only] => Ok(&only.name),
                _ => Err(StoreError::MemberRequired {
                    members: self.names().join(", "),
                }),
            },
        }
    }

    /// The database keys `name`'s passphrase unlocks (newest first).
    pub fn unlock_member(
        &self,
        name: &str,
        passphrase: &Passphrase,
        path: &Path,
    ) -> Result<Vec<DbKey>, StoreError> {
        let slot = self.pick(Some(name))?;
        let identity = self.slot(slot).expect("picked").open(passphrase, path)?;
        self.unwrap_keys(&identity, &format!("{name}'s key slot"))
    }

    /// The database keys the office's private key unlocks.
    pub fn unlock_recovery(
        &self,
        office: &age::x25519::Identity,
    ) -> Result<Vec<DbKey>, StoreError> {
        match &self.recovery {
            None => Err(StoreError::NoRecoverySlot),
            Some(r) if *r != office.to_public().to_string() => Err(StoreError::RecoveryKeyWrong {
                recovery: r.clone(),
            }),
            Some(_) => self.unwrap_keys(office, "the recovery slot"),
        }
    }

    fn unwrap_keys(
        &self,
        identity: &age::x25519::Identity,
        whose: &str,
    ) -> Result<Vec<DbKey>, StoreError> {
        let mut keys = Vec::new();
        for wrapped in &self.keys {
            let bytes = unhex(wrapped).ok_or_else(|| {
                StoreError::Cipher("the key file's database key is not hex".into())
            })?;
            let plain = Zeroizing::new(age::decrypt(identity, &bytes).map_err(|e| {
                StoreError::Cipher(format!("{whose} does not open the database key: {e}"))
            })?);
            let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| {
                StoreError::Cipher("the key file's database key is not 32 bytes".into())
            })?;
            keys.push(Zeroizing::new(key));
        }
        if keys.is_empty() {
            return Err(StoreError::Cipher(
                "the key file holds no database key".into(),
            ));
        }
        Ok(keys)
    }

    /// `key` encrypted to every member and the recovery key.
    fn wrap(&self, key: &DbKey) -> Result<String, StoreError> {
        let mut recipients: Vec<age::x25519::Recipient> = Vec::new();
        for r in self
            .members
            .iter()
            .map(|m| m.recipient.as_str())
            .chain(self.recovery.as_deref())
        {
            recipients.push(r.parse().map_err(|_| {
                StoreError::Cipher(format!("the key file's public key {r} is not an age key"))
            })?);
        }
        let encryptor =
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| StoreError::Cipher(format!("encrypting the database key: {e}")))?;
        let mut out = Vec::new();
        let mut writer = encryptor
            .wrap_output(&mut out)
            .map_err(|e| StoreError::Cipher(e.to_string()))?;
        writer
            .write_all(&key[..])
            .and_then(|_| writer.finish().map(|_| ()))
            .map_err(|e| StoreError::Cipher(e.to_string()))?;
        Ok(hex(&out))
    }

    /// These slots with `name` added under their own passphrase (the key unchanged).
    pub fn with_member(
        &self,
        name: &str,
        passphrase: &Passphrase,
        key: &DbKey,
    ) -> Result<Self, StoreError> {
        if self.slot(name).is_some() {
            return Err(StoreError::MemberExists(name.to_owned()));
        }
        self.with_member_replaced(name, passphrase, key)
    }

    /// These slots with `name`'s slot made anew under a new passphrase (the office's
    /// recovery of a lost one), or added if they have none.
    pub fn with_member_replaced(
        &self,
        name: &str,
        passphrase: &Passphrase,
        key: &DbKey,
    ) -> Result<Self, StoreError> {
        let mut next = self.clone();
        next.members.retain(|m| m.name != name);
        next.members.push(MemberSlot::new(name, passphrase)?);
        next.keys = vec![next.wrap(key)?];
        Ok(next)
    }

    /// These slots without `name`, and their key file during the rekey (the new key and the
    /// old, both for the remaining members only) and after it.
    pub fn without_member(
        &self,
        name: &str,
        old: &DbKey,
        new: &DbKey,
    ) -> Result<(Self, Self), StoreError> {
        let Some(slot) = self.slot(name) else {
            return Err(StoreError::NoSuchMember {
                name: name.to_owned(),
                members: self.names().join(", "),
            });
        };
        if self.members.len() == 1 {
            return Err(StoreError::LastMember(slot.name.clone()));
        }
        let mut after = self.clone();
        after.members.retain(|m| m.name != name);
        self.rekeyed(after, old, new)
    }

    /// These slots with the recovery key set to `recipient`. Replacing one rekeys the
    /// database, as removing a member does, so the old key's holder opens it no more.
    pub fn with_recovery(
        &self,
        recipient: &str,
        old: &DbKey,
        new: &DbKey,
    ) -> Result<(Self, Self), StoreError> {
        let mut after = self.clone();
        after.recovery = Some(check_recipient(recipient)?);
        self.rekeyed(after, old, new)
    }

    fn rekeyed(
        &self,
        mut after: Self,
        old: &DbKey,
        new: &DbKey,
    ) -> Result<(Self, Self), StoreError> {
        let new_wrapped = after.wrap(new)?;
        let mut during = after.clone();
        during.keys = vec![new_wrapped.clone(), during.wrap(old)?];
        after.keys = vec![new_wrapped];
        Ok((during, after))
    }

    /// Writes the key file whole: a temporary file beside it, flushed, then renamed over
    /// it, so that a cut-off write leaves the previous file.
    pub fn write(&self, database: &Path, replace: bool) -> Result<(), StoreError> {
        let path = key_file_path(database);
        let fail = |e: std::io::Error| {
            StoreError::Cipher(format!("cannot write the key file {}: {e}", path.display()))
        };
        if !replace && path.exists() {
            return Err(StoreError::AlreadyExists {
                path: path.display().to_string(),
            });
        }
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let text =
            serde_json::to_string_pretty(self).map_err(|e| StoreError::Cipher(e.to_string()))?;
        let mut file = std::fs::File::create(&partial).map_err(fail)?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        drop(file);
        if !replace {
            // A new database's key file is never put over another's.
            std::fs::hard_link(&partial, &path).map_err(fail)?;
            std::fs::remove_file(&partial).map_err(fail)?;
        } else {
            std::fs::rename(&partial, &path).map_err(fail)?;
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename itself is durable only once the folder is flushed (POSIX).
            if let Ok(dir) = std::fs::File::open(dir) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    }
}

/// An age public key, trimmed, or the refusal naming it.
fn check_recipient(text: &str) -> Result<String, StoreError> {
    let text = text.trim();
    text.parse::<age::x25519::Recipient>()
        .map(|r| r.to_string())
        .map_err(|_| resettle_bundle::BundleError::BadRecipient(text.to_owned()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANE: &str = "ane's long passphrase";
    const BO: &str = "bo's other passphrase";

    fn path() -> &'static Path {
        Path::new("laptop.db")
    }

    #[test]
    fn each_member_unlocks_the_same_key_with_their_own_passphrase_and_no_other() {
        let key = new_key().unwrap();
        let slots = KeySlots::create("ane", &Passphrase::new(ANE), None, &key).unwrap();
        let slots = slots.with_member("bo", &Passphrase::new(BO), &key).unwrap();
        for (name, pass) in [("ane", ANE), ("bo", BO)] {
            let keys = slots
                .unlock_member(name, &Passphrase::new(pass), path())
                .unwrap();
            assert_eq!(*keys[0], *key, "{name}");
        }
        assert!(matches!(
            slots.unlock_member("ane", &Passphrase::new(BO), path()),
            Err(StoreError::WrongPassphrase { .. })
        ));
        assert!(matches!(
            slots.unlock_member("cy", &Passphrase::new(BO), path()),
            Err(StoreError::NoSuchMember { .. })
        ));
        assert!(matches!(
            slots.pick(None),
            Err(StoreError::MemberRequired { .. })
        ));
    }

    #[test]
    fn a_slot_renamed_in_the_file_opens_for_no_one() {
        let key = new_key().unwrap();
        let mut slots = KeySlots::create("ane", &Passphrase::new(ANE), None, &key).unwrap();
        slots.members[0].name = "boss".into();
        assert!(matches!(
            slots.unlock_member("boss", &Passphrase::new(ANE), path()),
            Err(StoreError::WrongPassphrase { .. })
        ));
    }

    #[test]
    fn a_removed_member_unlocks_nothing_and_the_others_get_the_new_key() {
        let key = new_key().unwrap();
        let slots = KeySlots::create("ane", &Passphrase::new(ANE), None, &key).unwrap();
        let slots = slots.with_member("bo", &Passphrase::new(BO), &key).unwrap();
        let new = new_key().unwrap();
        let (during, after) = slots.without_member("bo", &key, &new).unwrap();
        assert_eq!(during.keys.len(), 2);
        let keys = during
            .unlock_member("ane", &Passphrase::new(ANE), path())
            .unwrap();
        assert_eq!((*keys[0], *keys[1]), (*new, *key));
        assert_eq!(
            *after
                .unlock_member("ane", &Passphrase::new(ANE), path())
                .unwrap()[0],
            *new
        );
        assert!(after
            .unlock_member("bo", &Passphrase::new(BO), path())
            .is_err());
        // bo's old identity, kept from before, decrypts neither key of the new file.
        let bo_identity = slots
            .slot("bo")
            .unwrap()
            .open(&Passphrase::new(BO), path())
            .unwrap();
        assert!(during.unwrap_keys(&bo_identity, "bo").is_err());
        assert!(matches!(
            after.without_member("ane", &new, &key),
            Err(StoreError::LastMember(_))
        ));
    }

    #[test]
    fn the_office_key_opens_the_recovery_slot_and_another_key_does_not() {
        let office = age::x25519::Identity::generate();
        let key = new_key().unwrap();
        let slots = KeySlots::create(
            "ane",
            &Passphrase::new(ANE),
            Some(&office.to_public().to_string()),
            &key,
        )
        .unwrap();
        assert_eq!(*slots.unlock_recovery(&office).unwrap()[0], *key);
        assert!(matches!(
            slots.unlock_recovery(&age::x25519::Identity::generate()),
            Err(StoreError::RecoveryKeyWrong { .. })
        ));
        let none = KeySlots::create("ane", &Passphrase::new(ANE), None, &key).unwrap();
        assert!(matches!(
            none.unlock_recovery(&office),
            Err(StoreError::NoRecoverySlot)
        ));
    }
}
