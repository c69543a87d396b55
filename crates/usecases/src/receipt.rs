//! Audit receipts (src/domain/receipt.rs): the office's signing key, a receipt of the
//! chain's head signed with it, and a receipt checked against a database. Ed25519 by
//! `ed25519-dalek`; the key's randomness from the operating system (`getrandom`).
//!
//! The key is a file the office keeps apart from the database (an administrator's, e.g.
//! on a removable drive): a key kept inside would be copied, and could sign, with the
//! database it is meant to check. A receipt carries its public key, but is trusted only
//! against the public key the person checking gives.

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use resettle_domain::access::Permission;
use resettle_domain::audit::ChainCheck;
use resettle_domain::receipt::{check, ReceiptCheck, Statement, FORMAT};
use resettle_storage::{Store, StoreError};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::session::Session;

const KEY_FORMAT: &str = "resettle-audit-key-v1";

#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path} already exists; a signing key is never overwritten")]
    KeyExists { path: String },
    #[error("cannot read the signing key {path}: {reason}")]
    BadKey { path: String, reason: String },
    #[error("cannot read the receipt {path}: {reason}")]
    BadReceipt { path: String, reason: String },
    #[error("{key:?} is not a public key: 64 hex digits")]
    BadPublicKey { key: String },
    #[error(
        "the receipt was signed with the key {signed_with}, not with the office's key {trusted}"
    )]
    OtherKey {
        signed_with: String,
        trusted: String,
    },
    #[error("the receipt's signature does not hold: it was changed after it was signed")]
    Altered,
    #[error(
        "the audit log is broken at entry {seq}: {why}; a receipt is made of an intact log only"
    )]
    ChainBroken { seq: i64, why: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
}

resettle_domain::refusal_table! {
    impl ReceiptError {
        Self::KeyExists { path } => "key_exists" in "path" [path],
        Self::BadKey { path, reason } => "bad_signing_key" in "key" [path, reason],
        Self::BadReceipt { path, reason } => "bad_receipt" in "receipt" [path, reason],
        Self::BadPublicKey { key } => "bad_public_key" in "public_key" [key],
        Self::OtherKey { signed_with, trusted } => "receipt_other_key" in "receipt" [signed_with, trusted],
        Self::Altered => "receipt_altered" in "receipt",
        Self::ChainBroken { seq, why } => "audit_chain_broken" [seq, why],
        Self::Write { path, reason } => "cannot_write_file" in "path" [path, reason],
    }
    delegated { Self::Store(e) => e }
}

/// The key file: the 32 secret bytes in hex, under a format tag.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    format: String,
    secret: String,
}

/// The receipt file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receipt {
    pub statement: Statement,
    /// The signer's public key (hex), to say which key signed; never trusted by itself.
    pub public_key: String,
    pub signature: String,
}

/// Makes the office's signing key at `out` (readable by its owner only) and returns its
/// public key in hex.
pub fn generate_key(out: &Path) -> Result<String, ReceiptError> {
    if out.exists() {
        return Err(ReceiptError::KeyExists {
            path: out.display().to_string(),
        });
    }
    let mut secret = Zeroizing::new([0u8; 32]);
    getrandom::getrandom(secret.as_mut()).map_err(|e| ReceiptError::Write {
        path: out.display().to_string(),
        reason: format!("no randomness from the operating system: {e}"),
    })?;
    let key = SigningKey::from_bytes(&secret);
    let text = Zeroizing::new(
        serde_json::to_string_pretty(&KeyFile {
            format: KEY_FORMAT.to_owned(),
            secret: hex::encode(secret.as_ref()),
        })
        .expect("a key file serialises"),
    );
    write_new(out, text.as_bytes(), true)?;
    Ok(hex::encode(key.verifying_key().as_bytes()))
}

/// The public key of the signing key at `path`, in hex.
pub fn public_key_of(path: &Path) -> Result<String, ReceiptError> {
    Ok(hex::encode(read_key(path)?.verifying_key().as_bytes()))
}

/// Signs a receipt of the chain's head with the key at `key` and writes it to `out`.
/// An administrator's: it speaks for the database, and reads nothing of a case.
pub async fn write_receipt(
    store: &Store,
    session: &Session,
    key: &Path,
    out: &Path,
) -> Result<Receipt, ReceiptError> {
    store
        .authorize(session.actor(), Permission::ManageSettings)
        .await?;
    let signing = read_key(key)?;
    let (entries, head) = match store.verify_audit().await? {
        ChainCheck::Intact { entries, head } => (entries as i64, head),
        ChainCheck::Broken { seq, why } => return Err(ReceiptError::ChainBroken { seq, why }),
    };
    let statement = Statement {
        format: FORMAT.to_owned(),
        database: store.database_id().await?,
        seq: entries,
        head,
        issued_at: session
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let signature = signing.sign(&statement.signed_bytes());
    let receipt = Receipt {
        statement,
        public_key: hex::encode(signing.verifying_key().as_bytes()),
        signature: hex::encode(signature.to_bytes()),
    };
    let text = serde_json::to_string_pretty(&receipt).expect("a receipt serialises");
    write_new(out, text.as_bytes(), false)?;
    Ok(receipt)
}

/// Reads the receipt at `path`, checks its signature against `trusted` (a public key in
/// hex) and sets it against the database.
pub async fn verify_receipt(
    store: &Store,
    path: &Path,
    trusted: &str,
) -> Result<(Receipt, ReceiptCheck), ReceiptError> {
    let bad = |reason: String| ReceiptError::BadReceipt {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let receipt: Receipt = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
    let trusted_key = parse_public_key(trusted)?;
    if receipt.public_key.to_lowercase() != hex::encode(trusted_key.as_bytes()) {
        return Err(ReceiptError::OtherKey {
            signed_with: receipt.public_key.clone(),
            trusted: hex::encode(trusted_key.as_bytes()),
        });
    }
    let signature: [u8; 64] = hex::decode(&receipt.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(ReceiptError::Altered)?;
    trusted_key
        .verify(
            &receipt.statement.signed_bytes(),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| ReceiptError::Altered)?;
    let chain = store.verify_audit().await?;
    let hash = store.audit_hash_at(receipt.statement.seq).await?;
    let database = store.database_id().await?;
    let outcome = check(&receipt.statement, &database, &chain, hash.as_deref());
    Ok((receipt, outcome))
}

fn parse_public_key(text: &str) -> Result<VerifyingKey, ReceiptError> {
    let bad = || ReceiptError::BadPublicKey {
        key: text.to_owned(),
    };
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| bad())
}

fn read_key(path: &Path) -> Result<SigningKey, ReceiptError> {
    let bad = |reason: String| ReceiptError::BadKey {
        path: path.display().to_string(),
        reason,
    };
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?);
    let file: KeyFile = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    if file.format != KEY_FORMAT {
        return Err(bad(format!(
            "its format is {:?}, not {KEY_FORMAT}",
            file.format
        )));
    }
    let secret = Zeroizing::new(hex::decode(&file.secret).map_err(|e| bad(e.to_string()))?);
    let secret: [u8; 32] = secret
        .as_slice()
        .try_into()
        .map_err(|_| bad("its secret is not 32 bytes".to_owned()))?;
    Ok(SigningKey::from_bytes(&secret))
}

/// Writes `bytes` to `out`, which must not exist, whole (beside it, then renamed); with
/// `private`, readable by its owner only.
fn write_new(out: &Path, bytes: &[u8], private: bool) -> Result<(), ReceiptError> {
    let failed = |e: std::io::Error| ReceiptError::Write {
        path: out.display().to_string(),
        reason: e.to_string(),
    };
    let mut name = out.as_os_str().to_owned();
    name.push(".partial");
    let partial = PathBuf::from(name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let written = options.open(&partial).and_then(|mut f| {
        use std::io::Write;
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(failed(e));
    }
    std::fs::rename(&partial, out).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        failed(e)
    })
}
