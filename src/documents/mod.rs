//! The documents people sign and the packs municipalities receive: what each contains,
//! built from the domain with no I/O (`declaration`, `referral`); and how their text is
//! set (`shaping`).

pub mod declaration;
pub mod referral;
pub mod shaping;
