//! Encryption at rest for the field laptop's database: SQLCipher encrypts every page of the
//! file (and of its WAL) with a 256-bit key, which each member unlocks with their own
//! passphrase through Argon2id.
//!
//! The key derivation's parameters (salt, memory, passes, lanes) are not secret and live in
//! a small JSON file beside the database (`resettle.db.key.json`), so that the cost can be
//! raised for new databases without breaking old ones. The file's presence is also how the
//! app and the CLI know to ask for a passphrase before opening the database. What else the
//! file holds (a key slot per team member, the office's recovery slot) is `keyslots.rs`.

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

/// How a key is derived from a passphrase by Argon2id: not secret, kept in the key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kdf {
    /// Always "argon2id".
    pub kdf: String,
    /// Argon2's version, 19 (0x13).
    pub version: u32,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// 16 random bytes, hex.
    pub salt: String,
}

impl Kdf {
    /// Parameters for a new key: a fresh random salt, 64 MiB and 3 passes (RFC 9106's
    /// second recommended setting, with one lane so that a laptop's cores stay free).
    pub fn generate() -> Result<Self, StoreError> {
        let salt = random_bytes::<16>()?;
        Ok(Self {
            kdf: "argon2id".to_owned(),
            version: 0x13,
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
            salt: hex(&salt[..]),
        })
    }

    /// The 256-bit key for this passphrase.
    pub fn derive(&self, passphrase: &Passphrase) -> Result<Zeroizing<[u8; 32]>, StoreError> {
        if self.kdf != "argon2id" || self.version != 0x13 {
            return Err(StoreError::Cipher(format!(
                "the key file asks for {} version {}, which this version does not know",
                self.kdf, self.version
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
}

/// The key file of a database made before key slots (one passphrase, whose Argon2id key
/// is the database key itself). Such a file still opens with its passphrase; new
/// databases get key slots (`keyslots.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyParams {
    #[serde(flatten)]
    pub kdf: Kdf,
    /// Always "sqlcipher4": the page cipher the derived key is given to.
    pub cipher: String,
}

impl KeyParams {
    /// The 256-bit key for SQLCipher.
    pub fn derive(&self, passphrase: &Passphrase) -> Result<Zeroizing<[u8; 32]>, StoreError> {
        if self.cipher != "sqlcipher4" {
            return Err(StoreError::Cipher(format!(
                "the key file asks for the cipher {}, which this version does not know",
                self.cipher
            )));
        }
        self.kdf.derive(passphrase)
    }
}

/// SQLCipher's `PRAGMA key` value for a raw key: `"x'…'"`, so that SQLCipher uses the key as
/// it is instead of running its own PBKDF2 over it.
pub(crate) fn raw_key_pragma(key: &[u8; 32]) -> Zeroizing<String> {
    Zeroizing::new(format!("\"x'{}'\"", hex(key)))
}

/// `N` bytes from the operating system's random source.
pub(crate) fn random_bytes<const N: usize>() -> Result<Zeroizing<[u8; N]>, StoreError> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(&mut bytes[..])
        .map_err(|e| StoreError::Cipher(format!("no random numbers: {e}")))?;
    Ok(bytes)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
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

    fn params() -> Kdf {
        Kdf {
            salt: "000102030405060708090a0b0c0d0e0f".into(),
            ..Kdf::generate().unwrap()
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
        let other_salt = Kdf {
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
        assert_ne!(Kdf::generate().unwrap().salt, Kdf::generate().unwrap().salt);
        assert_eq!(Kdf::generate().unwrap().salt.len(), 32);
    }

    #[test]
    fn a_key_file_of_an_unknown_kind_is_refused() {
        let p = Kdf {
            kdf: "pbkdf2".into(),
            ..params()
        };
        assert!(matches!(
            p.derive(&Passphrase::new("correct horse battery")),
            Err(StoreError::Cipher(_))
        ));
        let p = Kdf {
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
