//! Encryption at rest for the field laptop's database: the key comes from a passphrase by
//! Argon2id, and SQLCipher encrypts every page of the file (and of its WAL) with it.
//!
//! The key derivation's parameters (salt, memory, passes, lanes) are not secret and live in
//! a small JSON file beside the database (`resettle.db.key.json`), so that the cost can be
//! raised for new databases without breaking old ones. The file's presence is also how the
//! app and the CLI know to ask for a passphrase before opening the database.

use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::StoreError;

/// The shortest passphrase a new encrypted database accepts. A lost or seized laptop can be
/// attacked offline for as long as the attacker likes; Argon2id makes each guess cost, the
/// length makes the guesses many.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// The environment variable the CLI reads the passphrase from (or `--passphrase-file`).
pub const PASSPHRASE_ENV: &str = "RESETTLE_PASSPHRASE";

/// A passphrase, wiped from memory when dropped.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()))
    }

    /// The first line of a file, without its line ending (a passphrase file written with
    /// `echo` ends in a newline that is not part of the passphrase).
    pub fn from_file(path: &Path) -> Result<Self, StoreError> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            StoreError::PassphraseFile {
                path: path.display().to_string(),
                reason: e.to_string(),
            }
        })?);
        let line = text.lines().next().unwrap_or("");
        if line.is_empty() {
            return Err(StoreError::PassphraseFile {
                path: path.display().to_string(),
                reason: "its first line is empty".to_owned(),
            });
        }
        Ok(Self::new(line))
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Refuses a passphrase too short for a new database.
    pub fn check_strength(&self) -> Result<(), StoreError> {
        let chars = self.0.chars().count();
        if chars < MIN_PASSPHRASE_CHARS {
            return Err(StoreError::WeakPassphrase {
                chars,
                min: MIN_PASSPHRASE_CHARS,
            });
        }
        Ok(())
    }
}

/// The key file's name for a database: the database's own name with `.key.json` added.
pub fn key_file_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".key.json");
    PathBuf::from(name)
}

/// Whether a database is encrypted (has its key file beside it).
pub fn is_encrypted(database: &Path) -> bool {
    key_file_path(database).exists()
}

/// How the key is derived: the contents of the key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyParams {
    /// Always "argon2id".
    pub kdf: String,
    /// Argon2's version, 19 (0x13).
    pub version: u32,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// 16 random bytes, hex.
    pub salt: String,
    /// Always "sqlcipher4": the page cipher the derived key is given to.
    pub cipher: String,
}

impl KeyParams {
    /// Parameters for a new database: a fresh random salt, 64 MiB and 3 passes (RFC 9106's
    /// second recommended setting, with one lane so that a laptop's cores stay free).
    pub fn generate() -> Result<Self, StoreError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt)
            .map_err(|e| StoreError::Cipher(format!("no random numbers for the salt: {e}")))?;
        Ok(Self {
            kdf: "argon2id".to_owned(),
            version: 0x13,
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
            salt: hex(&salt),
            cipher: "sqlcipher4".to_owned(),
        })
    }

    /// The 256-bit key for SQLCipher.
    pub fn derive(&self, passphrase: &Passphrase) -> Result<Zeroizing<[u8; 32]>, StoreError> {
        if self.kdf != "argon2id" || self.version != 0x13 || self.cipher != "sqlcipher4" {
            return Err(StoreError::Cipher(format!(
                "the key file asks for {} version {} with {}, which this version does not know",
                self.kdf, self.version, self.cipher
            )));
        }
        let salt = unhex(&self.salt)
            .filter(|s| s.len() >= 16)
            .ok_or_else(|| StoreError::Cipher("the key file's salt is not 16 hex bytes".into()))?;
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
            .map_err(|e| StoreError::Cipher(format!("the key file's parameters: {e}")))?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, &mut key[..])
            .map_err(|e| StoreError::Cipher(format!("deriving the key: {e}")))?;
        Ok(key)
    }

    /// Reads a database's key file, if it has one.
    pub fn read(database: &Path) -> Result<Option<Self>, StoreError> {
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
        serde_json::from_str(&text).map(Some).map_err(|e| {
            StoreError::Cipher(format!(
                "the key file {} cannot be read: {e}",
                path.display()
            ))
        })
    }

    /// Writes a new database's key file; refuses to replace one (that would lock the
    /// database's owner out of it for good).
    pub fn write_new(&self, database: &Path) -> Result<(), StoreError> {
        let path = key_file_path(database);
        let fail = |e: std::io::Error| {
            StoreError::Cipher(format!("cannot write the key file {}: {e}", path.display()))
        };
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(fail)?;
        let text =
            serde_json::to_string_pretty(self).map_err(|e| StoreError::Cipher(e.to_string()))?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        Ok(())
    }
}

/// SQLCipher's `PRAGMA key` value for a raw key: `"x'…'"`, so that SQLCipher uses the key as
/// it is instead of running its own PBKDF2 over it.
pub(crate) fn raw_key_pragma(key: &[u8; 32]) -> Zeroizing<String> {
    Zeroizing::new(format!("\"x'{}'\"", hex(key)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> KeyParams {
        KeyParams {
            salt: "000102030405060708090a0b0c0d0e0f".into(),
            ..KeyParams::generate().unwrap()
        }
    }

    #[test]
    fn the_same_passphrase_and_salt_give_the_same_key_and_others_do_not() {
        let p = params();
        let key = p.derive(&Passphrase::new("correct horse battery")).unwrap();
        assert_eq!(
            *key,
            *p.derive(&Passphrase::new("correct horse battery")).unwrap()
        );
        assert_ne!(
            *key,
            *p.derive(&Passphrase::new("correct horse batterz")).unwrap()
        );
        let other_salt = KeyParams {
            salt: "ff0102030405060708090a0b0c0d0e0f".into(),
            ..p
        };
        assert_ne!(
            *key,
            *other_salt
                .derive(&Passphrase::new("correct horse battery"))
                .unwrap()
        );
    }

    #[test]
    fn new_parameters_have_a_fresh_salt() {
        assert_ne!(
            KeyParams::generate().unwrap().salt,
            KeyParams::generate().unwrap().salt
        );
        assert_eq!(KeyParams::generate().unwrap().salt.len(), 32);
    }

    #[test]
    fn a_key_file_of_an_unknown_kind_is_refused() {
        let p = KeyParams {
            kdf: "pbkdf2".into(),
            ..params()
        };
        assert!(matches!(
            p.derive(&Passphrase::new("correct horse battery")),
            Err(StoreError::Cipher(_))
        ));
        let p = KeyParams {
            salt: "00zz".into(),
            ..params()
        };
        assert!(matches!(
            p.derive(&Passphrase::new("correct horse battery")),
            Err(StoreError::Cipher(_))
        ));
    }

    #[test]
    fn short_passphrases_are_refused_for_new_databases() {
        assert!(Passphrase::new("short").check_strength().is_err());
        assert!(
            Passphrase::new("ærø-æblegrød").check_strength().is_ok(),
            "12 characters"
        );
    }

    #[test]
    fn the_key_file_is_named_after_the_database() {
        assert_eq!(
            key_file_path(Path::new("/data/resettle.db")),
            PathBuf::from("/data/resettle.db.key.json")
        );
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            unhex(&hex(&[0, 1, 254, 255])).unwrap(),
            vec![0, 1, 254, 255]
        );
        assert_eq!(unhex("abc"), None);
    }
}
