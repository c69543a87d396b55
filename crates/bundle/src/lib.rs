//! Mission bundles: what the office sends a field laptop for one mission (the mission, its
//! households, the rubric in force), as JSON encrypted with age to the laptop's X25519
//! key. Only the holder of that key reads it: an intercepted bundle reveals nothing, and
//! the office that sent it cannot read it back. Bytes in, bytes out: no I/O here.
//!
//! The reader refuses anything that is not whole and consistent before the store sees it,
//! since a bundle arrives from outside the database (`fuzz/fuzz_targets/bundle.rs`).

use std::collections::HashSet;

use age::secrecy::ExposeSecret;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use resettle_domain::scoring::Rubric;
use resettle_domain::{Household, Mission};

mod receipt;
mod returned;
pub use receipt::{
    households_digest, parse_receipt, receipt, CheckinReceipt, ReceiptError, RECEIPT_FORMAT,
    RECEIPT_VERSION,
};
pub use returned::{
    canonical_row, open_return, parse_return, seal_return, AuditRow, LaptopAudit, Owner, Record,
    Return, Returned, Table, RETURN_FORMAT, RETURN_VERSION,
};

pub const FORMAT: &str = "resettle-mission-bundle";
pub const VERSION: u32 = 1;
/// The largest bundle read: a mission has hundreds of households, not millions; anything
/// larger is refused before it is decrypted.
pub const MAX_BYTES: usize = 64 << 20;

/// The office's check-out of one mission for one laptop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkout {
    pub format: String,
    pub version: u32,
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// The office's public key: where the laptop's return bundle is encrypted to.
    pub return_to: String,
    /// A random secret the return bundle must carry (the office keeps only its hash).
    pub return_token: String,
    pub mission: Mission,
    pub rubric: Rubric,
    pub households: Vec<Household>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("the bundle is {bytes} bytes; a bundle is at most {max} bytes")]
    TooLarge { bytes: usize, max: usize },
    #[error("this bundle is not for this database: it was encrypted to another key")]
    NotForThisDatabase,
    #[error("the bundle is damaged or not an age file: {0}")]
    Damaged(String),
    #[error("the bundle's content is not a mission bundle: {0}")]
    NotABundle(String),
    #[error("the bundle is version {0}; this version of Resettle reads version {VERSION}")]
    UnsupportedVersion(u32),
    #[error("the bundle is inconsistent: {0}")]
    Inconsistent(String),
    #[error("{0:?} is not an age public key (age1...)")]
    BadRecipient(String),
}

// The front end's messages for these name no values; the detail is the English text.
resettle_domain::refusal_table! {
    impl BundleError {
        e @ Self::TooLarge { .. } => "bundle_too_large" [detail = e],
        e @ Self::NotForThisDatabase => "bundle_not_for_us" [detail = e],
        e @ Self::Damaged(_) => "bundle_damaged" [detail = e],
        e @ Self::NotABundle(_) => "not_a_bundle" [detail = e],
        e @ Self::UnsupportedVersion(_) => "bundle_version" [detail = e],
        e @ Self::Inconsistent(_) => "bundle_inconsistent" [detail = e],
        e @ Self::BadRecipient(_) => "bad_recipient" [detail = e],
    }
}

/// A database's key pair for bundles. The secret stays in the database (encrypted on a
/// laptop); only the public key (age1...) is given out.
pub struct BundleKey(age::x25519::Identity);

impl BundleKey {
    pub fn generate() -> Self {
        BundleKey(age::x25519::Identity::generate())
    }

    /// The secret as stored (AGE-SECRET-KEY-1...).
    pub fn secret(&self) -> zeroize::Zeroizing<String> {
        zeroize::Zeroizing::new(self.0.to_string().expose_secret().to_owned())
    }

    pub fn from_secret(secret: &str) -> Result<Self, BundleError> {
        secret
            .parse()
            .map(BundleKey)
            .map_err(|_| BundleError::Damaged("the stored bundle key is not an age key".into()))
    }

    pub fn recipient(&self) -> String {
        self.0.to_public().to_string()
    }

    /// The key pair itself, for what else is encrypted to this database's public key (a
    /// laptop's recovery slot).
    pub fn identity(&self) -> &age::x25519::Identity {
        &self.0
    }
}

pub fn parse_recipient(text: &str) -> Result<age::x25519::Recipient, BundleError> {
    text.trim()
        .parse()
        .map_err(|_| BundleError::BadRecipient(text.trim().to_owned()))
}

/// Encrypts the check-out to `recipient`.
pub fn seal(checkout: &Checkout, recipient: &str) -> Result<Vec<u8>, BundleError> {
    parse_recipient(recipient)?;
    check(checkout)?;
    encrypt(
        &serde_json::to_vec(checkout).expect("a bundle serialises"),
        recipient,
    )
}

/// Decrypts and reads a check-out with this database's key.
pub fn open(bytes: &[u8], key: &BundleKey) -> Result<Checkout, BundleError> {
    parse(&decrypt(bytes, key)?)
}

/// Reads a decrypted check-out: JSON of the current format, whole and consistent.
pub fn parse(plain: &[u8]) -> Result<Checkout, BundleError> {
    read_head(plain, FORMAT, VERSION)?;
    let checkout: Checkout =
        serde_json::from_slice(plain).map_err(|e| BundleError::NotABundle(e.to_string()))?;
    check(&checkout)?;
    Ok(checkout)
}

/// A fresh return token: 32 random bytes from the operating system, as hex.
pub fn new_return_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn encrypt(plain: &[u8], recipient: &str) -> Result<Vec<u8>, BundleError> {
    let to = parse_recipient(recipient)?;
    age::encrypt(&to, plain).map_err(|e| BundleError::Damaged(e.to_string()))
}

fn decrypt(bytes: &[u8], key: &BundleKey) -> Result<Vec<u8>, BundleError> {
    if bytes.len() > MAX_BYTES {
        return Err(BundleError::TooLarge {
            bytes: bytes.len(),
            max: MAX_BYTES,
        });
    }
    age::decrypt(&key.0, bytes).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => BundleError::NotForThisDatabase,
        other => BundleError::Damaged(other.to_string()),
    })
}

/// Checks the size, format and version first, so that a newer bundle says so rather than
/// failing on a field this version does not know.
fn read_head(plain: &[u8], format: &str, version: u32) -> Result<(), BundleError> {
    if plain.len() > MAX_BYTES {
        return Err(BundleError::TooLarge {
            bytes: plain.len(),
            max: MAX_BYTES,
        });
    }
    #[derive(Deserialize)]
    struct Head {
        format: String,
        version: u32,
    }
    let head: Head =
        serde_json::from_slice(plain).map_err(|e| BundleError::NotABundle(e.to_string()))?;
    if head.format != format {
        return Err(BundleError::NotABundle(format!(
            "its format is {:?}, not {format:?}",
            head.format
        )));
    }
    if head.version != version {
        return Err(BundleError::UnsupportedVersion(head.version));
    }
    Ok(())
}

/// What must hold of every check-out, sent or received.
fn check(c: &Checkout) -> Result<(), BundleError> {
    let bad = |why: String| Err(BundleError::Inconsistent(why));
    parse_recipient(&c.return_to)?;
    if c.return_token.len() < 32 {
        return bad("the return token is missing".into());
    }
    if let Err(e) = c.mission.validate() {
        return bad(format!("the mission: {e}"));
    }
    if let Err(e) = c.rubric.validate() {
        return bad(format!("the rubric: {e}"));
    }
    let mut ids = HashSet::new();
    let mut numbers = HashSet::new();
    let mut persons = HashSet::new();
    for h in &c.households {
        if h.mission_id != Some(c.mission.id) {
            return bad(format!("case {} is not in the mission", h.unhcr_case_no));
        }
        if h.unhcr_case_no.trim().is_empty() || h.members.is_empty() {
            return bad("a case without a number or without members".into());
        }
        if !ids.insert(h.id) || !numbers.insert(h.unhcr_case_no.as_str()) {
            return bad(format!("case {} appears twice", h.unhcr_case_no));
        }
        for p in &h.members {
            if !persons.insert(p.id) {
                return bad(format!(
                    "a person of case {} appears twice",
                    h.unhcr_case_no
                ));
            }
        }
    }
    Ok(())
}

/// A household's state as a hash: the office keeps it for each household it checks out,
/// so that a check-in can tell what the office changed since.
pub fn fingerprint(h: &Household) -> String {
    resettle_domain::digest::sha256_hex(&serde_json::to_vec(h).expect("a household serialises"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use resettle_demo as demo;

    fn checkout(return_to: &str) -> Checkout {
        let data = demo::generate(3);
        let mission = data.missions[0].clone();
        let households: Vec<Household> = data
            .households
            .into_iter()
            .filter(|h| h.mission_id == Some(mission.id))
            .collect();
        assert!(!households.is_empty());
        Checkout {
            format: FORMAT.into(),
            version: VERSION,
            id: Uuid::new_v4(),
            created_at: Utc::now(),
            created_by: "office".into(),
            return_to: return_to.into(),
            return_token: new_return_token(),
            mission,
            rubric: resettle_domain::scoring::default_rubric(),
            households,
        }
    }

    #[test]
    fn only_the_recipient_reads_a_bundle() {
        let office = BundleKey::generate();
        let laptop = BundleKey::generate();
        let c = checkout(&office.recipient());
        let sealed = seal(&c, &laptop.recipient()).unwrap();
        assert_eq!(open(&sealed, &laptop).unwrap(), c);
        // The sender cannot read back what it sent, nor can anyone else.
        assert_eq!(open(&sealed, &office), Err(BundleError::NotForThisDatabase));
        assert_eq!(
            open(&sealed, &BundleKey::generate()),
            Err(BundleError::NotForThisDatabase)
        );
        // Nothing of the households is visible in the sealed bytes.
        for h in &c.households {
            for needle in [&h.unhcr_case_no, &h.members[0].family_name] {
                assert!(!sealed.windows(needle.len()).any(|w| w == needle.as_bytes()));
            }
        }
    }

    #[test]
    fn a_changed_byte_anywhere_is_refused() {
        let laptop = BundleKey::generate();
        let c = checkout(&BundleKey::generate().recipient());
        let sealed = seal(&c, &laptop.recipient()).unwrap();
        for at in [0, 10, sealed.len() / 2, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[at] ^= 0x01;
            assert!(open(&bad, &laptop).is_err(), "byte {at}");
        }
        assert!(open(&sealed[..sealed.len() - 1], &laptop).is_err());
        assert!(open(b"", &laptop).is_err());
    }

    #[test]
    fn the_reader_refuses_what_is_not_whole_and_consistent() {
        let c = checkout(&BundleKey::generate().recipient());
        let good = serde_json::to_vec(&c).unwrap();
        assert_eq!(parse(&good).unwrap(), c);
        for n in [0, 1, good.len() / 3, good.len() - 1] {
            assert!(parse(&good[..n]).is_err(), "cut at {n}");
        }
        let mut v: serde_json::Value = serde_json::from_slice(&good).unwrap();
        v["version"] = 2.into();
        assert_eq!(
            parse(&serde_json::to_vec(&v).unwrap()),
            Err(BundleError::UnsupportedVersion(2))
        );
        let mut twice = c.clone();
        twice.households.push(twice.households[0].clone());
        let e = parse(&serde_json::to_vec(&twice).unwrap()).unwrap_err();
        assert_eq!(e.code(), "bundle_inconsistent");
        let mut elsewhere = c.clone();
        elsewhere.households[0].mission_id = Some(Uuid::new_v4());
        assert_eq!(
            parse(&serde_json::to_vec(&elsewhere).unwrap())
                .unwrap_err()
                .code(),
            "bundle_inconsistent"
        );
        let mut extra = v.clone();
        extra["version"] = 1.into();
        extra["unexpected"] = true.into();
        assert!(parse(&serde_json::to_vec(&extra).unwrap()).is_err());
    }

    #[test]
    fn fuzz_seeds_and_regressions_are_read_without_panicking() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
        let seed = std::fs::read(root.join("seeds/bundle/checkout.json")).unwrap();
        assert!(parse(&seed).is_ok(), "the seed is a valid bundle");
        if let Ok(entries) = std::fs::read_dir(root.join("regressions/bundle")) {
            for entry in entries {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                let _ = parse(&bytes);
            }
        }
        read_mutations(&seed, |bytes| {
            let _ = parse(bytes);
        });
    }

    /// Without a nightly toolchain for cargo-fuzz, a deterministic stand-in: the seed with
    /// bytes changed, inserted and cut, 3,000 times, each given to `read` (which must not
    /// panic).
    pub(super) fn read_mutations(seed: &[u8], read: impl Fn(&[u8])) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..3000 {
            let mut bytes = seed.to_vec();
            for _ in 0..rng.random_range(1..8) {
                let at = rng.random_range(0..bytes.len());
                match rng.random_range(0..3) {
                    0 => bytes[at] = rng.random(),
                    1 => bytes.insert(at, rng.random()),
                    _ => bytes.truncate(at.max(1)),
                }
            }
            read(&bytes);
        }
    }
}
