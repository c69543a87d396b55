//! A receipt of the audit chain's head: a statement, signed with the office's key and kept
//! outside the database, that this database held this entry at this sequence number. The
//! chain alone shows an edit inside the log; only a receipt kept elsewhere shows that the
//! whole database was replaced by an older copy of itself, or cut back and re-sealed.
//! Signing is the use case's; here are the statement's bytes and what a database's log
//! says about a receipt.

use serde::{Deserialize, Serialize};

use crate::audit::ChainCheck;

/// Names this statement's encoding.
pub const FORMAT: &str = "resettle-audit-receipt-v1";

/// What a receipt states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub format: String,
    /// The database's identity (a random id made with its schema, kept by its copies).
    pub database: String,
    /// The sequence number of the head entry when the receipt was made.
    pub seq: i64,
    /// That entry's hash.
    pub head: String,
    /// When the receipt was made (RFC 3339, UTC).
    pub issued_at: String,
}

impl Statement {
    /// The bytes the signature covers: each field length-prefixed, in a fixed order, so
    /// no two statements share them.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let seq = self.seq.to_string();
        let mut bytes = Vec::new();
        for field in [
            self.format.as_str(),
            &self.database,
            &seq,
            &self.head,
            &self.issued_at,
        ] {
            bytes.extend_from_slice(&(field.len() as u64).to_be_bytes());
            bytes.extend_from_slice(field.as_bytes());
        }
        bytes
    }
}

/// What the database holds, set against a receipt whose signature holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReceiptCheck {
    /// The entry is there with the receipt's hash; `since` entries were added after it.
    Holds { since: i64 },
    /// The receipt is of another database.
    OtherDatabase { receipt: String, database: String },
    /// The log has fewer entries than the receipt's head: an older copy, or cut back.
    RolledBack { seq: i64, entries: i64 },
    /// The entry at the receipt's sequence number has another hash: the log was rewritten.
    Diverged { seq: i64 },
    /// The chain itself is broken (`audit verify` names where).
    ChainBroken { seq: i64, why: String },
}

impl ReceiptCheck {
    pub fn holds(&self) -> bool {
        matches!(self, ReceiptCheck::Holds { .. })
    }

    /// In words, for the CLI.
    pub fn describe(&self, statement: &Statement) -> String {
        match self {
            ReceiptCheck::Holds { since } => format!(
                "the receipt holds: entry {} is still {}, and {since} {} added since",
                statement.seq,
                statement.head,
                if *since == 1 {
                    "entry was"
                } else {
                    "entries were"
                }
            ),
            ReceiptCheck::OtherDatabase { receipt, database } => {
                format!("the receipt is of database {receipt}, and this is database {database}")
            }
            ReceiptCheck::RolledBack { seq, entries } => format!(
                "the receipt's head is entry {seq}, but the log has only {entries} entries: the \
                 database was replaced by an older copy or cut back"
            ),
            ReceiptCheck::Diverged { seq } => format!(
                "entry {seq} is not the one the receipt signed: the log was rewritten after it"
            ),
            ReceiptCheck::ChainBroken { seq, why } => {
                format!("the audit log is broken at entry {seq}: {why}")
            }
        }
    }
}

/// Sets a receipt against the database: its identity, its chain's check, and the hash of
/// its entry at the receipt's sequence number (None when there is none).
pub fn check(
    statement: &Statement,
    database: &str,
    chain: &ChainCheck,
    hash_at_seq: Option<&str>,
) -> ReceiptCheck {
    if statement.database != database {
        return ReceiptCheck::OtherDatabase {
            receipt: statement.database.clone(),
            database: database.to_owned(),
        };
    }
    let entries = match chain {
        ChainCheck::Broken { seq, why } => {
            return ReceiptCheck::ChainBroken {
                seq: *seq,
                why: why.clone(),
            }
        }
        ChainCheck::Intact { entries, .. } => *entries as i64,
    };
    if entries < statement.seq {
        return ReceiptCheck::RolledBack {
            seq: statement.seq,
            entries,
        };
    }
    match hash_at_seq {
        Some(hash) if hash == statement.head => ReceiptCheck::Holds {
            since: entries - statement.seq,
        },
        _ => ReceiptCheck::Diverged { seq: statement.seq },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement() -> Statement {
        Statement {
            format: FORMAT.to_owned(),
            database: "db-1".to_owned(),
            seq: 10,
            head: "ab".repeat(32),
            issued_at: "2026-12-03T12:00:00Z".to_owned(),
        }
    }

    fn intact(entries: usize) -> ChainCheck {
        ChainCheck::Intact {
            entries,
            head: String::new(),
        }
    }

    #[test]
    fn a_grown_log_holds_and_an_older_one_does_not() {
        let s = statement();
        let head = s.head.clone();
        assert_eq!(
            check(&s, "db-1", &intact(14), Some(&head)),
            ReceiptCheck::Holds { since: 4 }
        );
        assert_eq!(
            check(&s, "db-1", &intact(10), Some(&head)),
            ReceiptCheck::Holds { since: 0 }
        );
        assert_eq!(
            check(&s, "db-1", &intact(9), None),
            ReceiptCheck::RolledBack {
                seq: 10,
                entries: 9
            }
        );
        assert_eq!(
            check(&s, "db-1", &intact(12), Some("cd")),
            ReceiptCheck::Diverged { seq: 10 }
        );
        assert!(matches!(
            check(&s, "db-2", &intact(12), Some(&head)),
            ReceiptCheck::OtherDatabase { .. }
        ));
    }

    #[test]
    fn every_field_is_signed() {
        let s = statement();
        let mut other = s.clone();
        other.seq = 11;
        assert_ne!(s.signed_bytes(), other.signed_bytes());
        let mut other = s.clone();
        other.database = "db-2".to_owned();
        assert_ne!(s.signed_bytes(), other.signed_bytes());
    }
}
