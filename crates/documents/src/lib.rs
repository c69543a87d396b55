//! The documents people sign and the packs municipalities receive: what each contains,
//! built from the domain (`declaration`, `referral`); how their text is set (`shaping`);
//! and the PDF bytes (`pdf`, `declaration_pdf`). No I/O: bytes out, the caller writes.

pub mod access_report_pdf;
pub mod countries;
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
pub mod statistics;
pub mod statistics_pdf;

/// Re-exported: the documents' fingerprints are the domain's (the audit log records them).
pub use resettle_domain::digest::sha256_hex;
