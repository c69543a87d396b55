//! The SHA-256 fingerprints the audit log records: of an exported document's bytes, of a
//! bundle, of a household as checked out.

use sha2::{Digest, Sha256};

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of bytes given in parts (a file read in chunks, so that a database of a
/// gigabyte is not held in memory whole), as `sha256_hex` gives it.
#[derive(Default)]
pub struct Sha256Parts(Sha256);

impl Sha256Parts {
    pub fn update(&mut self, part: &[u8]) {
        self.0.update(part);
    }

    pub fn hex(self) -> String {
        hex(&self.0.finalize())
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_give_the_digest_of_the_whole() {
        let whole = b"the audit log records fingerprints".repeat(1000);
        let mut parts = Sha256Parts::default();
        for chunk in whole.chunks(4096) {
            parts.update(chunk);
        }
        assert_eq!(parts.hex(), sha256_hex(&whole));
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
