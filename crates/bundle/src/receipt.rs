//! The office's receipt for a laptop's return: proof, for the laptop, that the office has
//! checked in everything the laptop holds for the mission, so that the field copy can be
//! erased. The receipt names the return, its check-out and mission, and a digest of the
//! households it carried, under an HMAC-SHA256 keyed by the check-out's return token. Only
//! the laptop (which received the token) and an office that decrypted the return know
//! that token, so a receipt cannot be made from public data; and the laptop checks the
//! digest against what it holds now, so field work recorded after the return is never
//! erased with it. The receipt holds no personal data, so it travels in the clear.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use super::{read_head, BundleError, Return, Returned};
use resettle_domain::digest::sha256_hex;

pub const RECEIPT_FORMAT: &str = "resettle-checkin-receipt";
pub const RECEIPT_VERSION: u32 = 1;

/// What the office gives the laptop after checking its return in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinReceipt {
    pub format: String,
    pub version: u32,
    /// The return checked in.
    pub return_id: Uuid,
    pub checkout: Uuid,
    pub mission: Uuid,
    pub households: u32,
    /// `households_digest` of the returned households.
    pub content_sha256: String,
    /// HMAC-SHA256 of the fields above under the return token, in hex.
    pub proof: String,
}

/// Why a receipt does not release the field copy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("the receipt was not made for this laptop's check-out: its proof does not match")]
    NotOurs,
    #[error(
        "field work was recorded after the return this receipt is for: write a new return, \
         have it checked in, and use its receipt"
    )]
    Stale,
}

resettle_domain::refusal_table! {
    impl ReceiptError {
        e @ Self::NotOurs => "checkin_receipt_other" in "receipt" [detail = e],
        e @ Self::Stale => "checkin_receipt_stale" in "receipt" [detail = e],
    }
}

/// The digest of the households a return carries, as both sides compute it: the office
/// from the return it decrypted, the laptop from what it holds now.
pub fn households_digest(households: &[Returned]) -> String {
    sha256_hex(&serde_json::to_vec(households).expect("households serialise"))
}

/// The receipt for a return the office has checked in.
pub fn receipt(ret: &Return) -> CheckinReceipt {
    let mut receipt = CheckinReceipt {
        format: RECEIPT_FORMAT.into(),
        version: RECEIPT_VERSION,
        return_id: ret.id,
        checkout: ret.checkout,
        mission: ret.mission,
        households: ret.households.len() as u32,
        content_sha256: households_digest(&ret.households),
        proof: String::new(),
    };
    receipt.proof = hex::encode(mac(&ret.token, &receipt).finalize().into_bytes());
    receipt
}

/// Reads a receipt file: JSON of the current format.
pub fn parse_receipt(bytes: &[u8]) -> Result<CheckinReceipt, BundleError> {
    read_head(bytes, RECEIPT_FORMAT, RECEIPT_VERSION)?;
    serde_json::from_slice(bytes).map_err(|e| BundleError::NotABundle(e.to_string()))
}

impl CheckinReceipt {
    /// The file the office writes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a receipt serialises");
        bytes.push(b'\n');
        bytes
    }

    /// Whether the receipt releases a laptop that holds `token` for the check-out and
    /// `now` for the mission's households.
    pub fn verify(&self, token: &str, now: &[Returned]) -> Result<(), ReceiptError> {
        let proof = hex::decode(&self.proof).map_err(|_| ReceiptError::NotOurs)?;
        mac(token, self)
            .verify_slice(&proof)
            .map_err(|_| ReceiptError::NotOurs)?;
        if now.len() as u32 != self.households || households_digest(now) != self.content_sha256 {
            return Err(ReceiptError::Stale);
        }
        Ok(())
    }
}

/// The HMAC over the receipt's fields (all but the proof), in a fixed order.
fn mac(token: &str, r: &CheckinReceipt) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(token.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{}",
            r.format, r.version, r.return_id, r.checkout, r.mission, r.households, r.content_sha256
        )
        .as_bytes(),
    );
    mac
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn ret(token: &str) -> Return {
        Return {
            format: crate::RETURN_FORMAT.into(),
            version: crate::RETURN_VERSION,
            id: Uuid::new_v4(),
            checkout: Uuid::new_v4(),
            token: token.into(),
            created_at: Utc::now(),
            created_by: "cw".into(),
            mission: Uuid::new_v4(),
            households: Vec::new(),
            audit: None,
        }
    }

    #[test]
    fn a_receipt_releases_only_the_laptop_with_the_token_and_the_same_content() {
        let token = "t".repeat(43);
        let receipt = parse_receipt(&receipt(&ret(&token)).to_bytes()).unwrap();
        assert_eq!(receipt.verify(&token, &[]), Ok(()));
        assert_eq!(
            receipt.verify(&"u".repeat(43), &[]),
            Err(ReceiptError::NotOurs)
        );
        let mut forged = receipt.clone();
        forged.content_sha256 = households_digest(&[]).replace('a', "b");
        assert_eq!(forged.verify(&token, &[]), Err(ReceiptError::NotOurs));
        let mut bad = receipt.clone();
        bad.proof = "zz".into();
        assert_eq!(bad.verify(&token, &[]), Err(ReceiptError::NotOurs));
        assert!(
            parse_receipt(b"{\"format\": \"resettle-mission-bundle\", \"version\": 1}").is_err()
        );
    }
}
