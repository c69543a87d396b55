//! The audit log as a hash chain: each entry's hash covers its own fields and the hash of
//! the entry before it, so that changing, deleting or reordering an entry breaks every
//! link after it. The encoding is canonical (each field length-prefixed, in a fixed
//! order, under a version tag) and carries what the log holds: sequence numbers, times,
//! user names, actions and subjects made of IDs and hashes, not personal data.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Names this encoding, so a later one can be told apart.
const VERSION: &str = "resettle-audit-v1";

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
}

/// A stored entry with its links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedEntry {
    pub entry: AuditEntry,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// The entry's hash after `prev_hash`, in lowercase hex.
pub fn entry_hash(entry: &AuditEntry, prev_hash: &str) -> String {
    let mut hasher = Sha256::new();
    let seq = entry.seq.to_string();
    for field in [
        VERSION,
        &seq,
        &entry.at,
        &entry.actor,
        &entry.action,
        &entry.subject,
        prev_hash,
    ] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every link holds: how many entries, and the last one's hash (the head).
    Intact { entries: usize, head: String },
    /// The first link that does not hold.
    Broken { seq: i64, why: String },
}

/// Checks the chain in the order stored. `last_issued` is the highest sequence number the
/// database ever issued (SQLite's AUTOINCREMENT counter): entries removed from the end
/// leave it above the last entry, which the links alone cannot show.
pub fn verify(entries: &[ChainedEntry], last_issued: i64) -> ChainCheck {
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    for e in entries {
        let seq = e.entry.seq;
        let broken = |why: String| ChainCheck::Broken { seq, why };
        if seq != expected_seq {
            return ChainCheck::Broken {
                seq: expected_seq,
                why: format!(
                    "entry {expected_seq} is missing or out of order (entry {seq} is in its place)"
                ),
            };
        }
        match &e.prev_hash {
            Some(p) if *p == prev => {}
            Some(_) => {
                return broken(
                    "it does not link to the entry before it (an entry before it was \
                     changed, removed or moved)"
                        .to_owned(),
                )
            }
            None => return broken("it has no link: it was never sealed".to_owned()),
        }
        let hash = entry_hash(&e.entry, &prev);
        if e.hash.as_deref() != Some(hash.as_str()) {
            return broken("its content does not match its hash (it was changed)".to_owned());
        }
        prev = hash;
        expected_seq += 1;
    }
    if last_issued >= expected_seq {
        return ChainCheck::Broken {
            seq: expected_seq,
            why: format!(
                "entries {expected_seq} to {last_issued} were issued but are gone (the log \
                 was truncated)"
            ),
        };
    }
    ChainCheck::Intact {
        entries: entries.len(),
        head: prev,
    }
}

/// Whether a chain holds entry `seq` with the hash `head` (a head recorded earlier).
pub fn holds_head(entries: &[ChainedEntry], seq: i64, head: &str) -> bool {
    entries
        .iter()
        .any(|e| e.entry.seq == seq && e.hash.as_deref() == Some(head))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<ChainedEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let entry = AuditEntry {
                    seq,
                    at: format!("2026-11-24T10:00:{seq:02}Z"),
                    actor: "kim".into(),
                    action: "case.status".into(),
                    subject: format!("case:{seq}"),
                };
                let hash = entry_hash(&entry, &prev);
                let e = ChainedEntry {
                    entry,
                    prev_hash: Some(prev.clone()),
                    hash: Some(hash.clone()),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn broken_at(check: ChainCheck) -> i64 {
        match check {
            ChainCheck::Broken { seq, .. } => seq,
            other => panic!("not broken: {other:?}"),
        }
    }

    #[test]
    fn an_intact_chain_verifies_and_names_its_head() {
        let c = chain(5);
        assert_eq!(
            verify(&c, 5),
            ChainCheck::Intact {
                entries: 5,
                head: c[4].hash.clone().unwrap()
            }
        );
        assert!(matches!(
            verify(&[], 0),
            ChainCheck::Intact { entries: 0, .. }
        ));
    }

    #[test]
    fn a_change_a_removal_a_swap_and_a_truncation_are_each_found() {
        let mut changed = chain(5);
        changed[2].entry.subject = "case:999".into();
        assert_eq!(broken_at(verify(&changed, 5)), 3);

        let mut removed = chain(5);
        removed.remove(2);
        assert_eq!(broken_at(verify(&removed, 5)), 3);

        let mut swapped = chain(5);
        swapped.swap(1, 2);
        assert_eq!(broken_at(verify(&swapped, 5)), 2);

        let truncated = chain(3);
        assert_eq!(broken_at(verify(&truncated, 5)), 4);

        // Re-hashing a changed entry moves the break to the next link.
        let mut rehashed = chain(5);
        rehashed[2].entry.subject = "case:999".into();
        let prev = rehashed[1].hash.clone().unwrap();
        rehashed[2].hash = Some(entry_hash(&rehashed[2].entry, &prev));
        assert_eq!(broken_at(verify(&rehashed, 5)), 4);
    }

    #[test]
    fn each_field_is_covered_and_fields_cannot_shift_into_each_other() {
        let e = chain(1).remove(0).entry;
        let base = entry_hash(&e, GENESIS);
        let mut moved = e.clone();
        moved.actor = "kima".into();
        moved.action = "ase.status".into();
        assert_ne!(entry_hash(&moved, GENESIS), base);
        for f in 0..5 {
            let mut other = e.clone();
            match f {
                0 => other.seq += 1,
                1 => other.at.push('x'),
                2 => other.actor.push('x'),
                3 => other.action.push('x'),
                _ => other.subject.push('x'),
            }
            assert_ne!(entry_hash(&other, GENESIS), base, "field {f}");
        }
        assert_ne!(entry_hash(&e, &"1".repeat(64)), base);
    }
}
