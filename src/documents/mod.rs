//! The documents people sign and the packs municipalities receive: what each contains,
//! built from the domain (`declaration`, `referral`); how their text is set (`shaping`);
//! and the PDF bytes (`pdf`, `declaration_pdf`). No I/O: bytes out, the caller writes.

pub mod declaration;
pub mod declaration_pdf;
pub mod labels;
pub mod pack;
pub mod pack_pdf;
pub mod pdf;
pub mod quota_report_pdf;
pub mod referral;
pub mod referral_pdf;
pub mod shaping;

use sha2::{Digest, Sha256};

/// The lowercase hex SHA-256 of a file's bytes, as the audit log records each export.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
