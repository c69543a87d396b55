//! Mission bundles in the database: this database's bundle key, the office's check-out of
//! a mission for a laptop, and the laptop's receipt of it. A bundle is read whole before
//! anything is written, and written in one transaction; its ID is recorded once, so a
//! bundle received twice changes nothing the second time.

use chrono::Utc;
use uuid::Uuid;

use super::cases::load_household;
use super::missions::load_mission;
use super::selection::{current_rubric, insert_rubric, load_rubric};
use super::settings::read_setting;
use super::Conn;
use super::{append_audit, insert_household, insert_mission, Backend};
use crate::types::{CaseRef, PreparedCheckout, Received};
use crate::StoreError;
use resettle_bundle::{self as bundle, BundleKey, Checkout};
use resettle_domain::access::Permission;
use resettle_domain::digest::sha256_hex;

/// The secret half: on the office server only the roles that check missions in can read
/// this row (postgres/privileges.rs).
const KEY_SETTING: &str = "bundle_key";
/// The public half, which anyone may read and give to the other side.
const RECIPIENT_SETTING: &str = "bundle_recipient";

impl Backend {
    pub(crate) async fn bundle_recipient(&self) -> Result<Option<String>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_recipient(&mut conn).await
    }

    /// The office's recovery of a laptop database whose member lost their passphrase: the
    /// laptop's recovery slot opened with this database's bundle key, and the member given
    /// a new slot. Only the roles that may read the bundle key may (on the server, its row
    /// is hidden from all others).
    pub(crate) async fn recover_laptop(
        &self,
        laptop: &std::path::Path,
        member: &str,
        passphrase: &crate::cipher::Passphrase,
        actor: &str,
    ) -> Result<crate::keyslots::KeySlotList, StoreError> {
        let mut tx = self.begin_as(actor, Permission::CheckOutMissions).await?;
        let key = load_key(&mut tx).await?.ok_or(StoreError::NoBundleKey)?;
        let actor = super::Dialect::acting_as(self, actor)?;
        let slots =
            crate::SqliteStore::recover_member(laptop, key.identity(), member, passphrase, actor)
                .await?;
        append_audit(
            &mut tx,
            actor,
            "laptop.recovered",
            &format!("member={}", member.trim()),
        )
        .await?;
        tx.commit().await?;
        Ok(slots)
    }

    pub(crate) async fn init_bundle_key(&self, actor: &str) -> Result<String, StoreError> {
        let mut tx = self.begin_as(actor, Permission::ManageSettings).await?;
        if let Some(recipient) = load_recipient(&mut tx).await? {
            return Ok(recipient);
        }
        let key = BundleKey::generate();
        let (secret, recipient) = (key.secret(), key.recipient());
        for (setting, value) in [
            (KEY_SETTING, secret.as_str()),
            (RECIPIENT_SETTING, &recipient),
        ] {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
                .bind(setting)
                .bind(value)
                .execute(&mut *tx)
                .await?;
        }
        append_audit(&mut tx, actor, "bundle.key_made", &key.recipient()).await?;
        tx.commit().await?;
        Ok(key.recipient())
    }

    pub(crate) async fn prepare_checkout(
        &self,
        mission: Uuid,
        to: &str,
        actor: &str,
    ) -> Result<PreparedCheckout, StoreError> {
        bundle::parse_recipient(to)?;
        let mut tx = self.begin_as(actor, Permission::CheckOutMissions).await?;
        let own = load_key(&mut tx).await?.ok_or(StoreError::NoBundleKey)?;
        let mission = load_mission(&mut tx, mission).await?;
        let numbers: Vec<String> = sqlx::query_scalar(
            "SELECT unhcr_case_no FROM cases WHERE mission_id = $1 ORDER BY unhcr_case_no",
        )
        .bind(mission.id.to_string())
        .fetch_all(&mut *tx)
        .await?;
        let mut households = Vec::with_capacity(numbers.len());
        for n in &numbers {
            households.push(load_household(&mut tx, CaseRef::Number(n)).await?);
        }
        let rubric = current_rubric(&mut tx, actor).await?;
        // Nothing written: `current_rubric` may have saved the default rubric, which
        // waits for the record.
        tx.rollback().await?;
        let checkout = Checkout {
            format: bundle::FORMAT.into(),
            version: bundle::VERSION,
            id: Uuid::new_v4(),
            created_at: Utc::now(),
            created_by: actor.to_owned(),
            return_to: own.recipient(),
            return_token: bundle::new_return_token(),
            mission,
            rubric,
            households,
        };
        let bytes = bundle::seal(&checkout, to)?;
        Ok(PreparedCheckout {
            checkout,
            bytes,
            recipient: to.trim().to_owned(),
        })
    }

    pub(crate) async fn record_checkout(
        &self,
        prepared: &PreparedCheckout,
        actor: &str,
    ) -> Result<(), StoreError> {
        let c = &prepared.checkout;
        let mut tx = self.begin_as(actor, Permission::CheckOutMissions).await?;
        current_rubric(&mut tx, actor).await?;
        let row = BundleRow {
            id: c.id,
            kind: "checkout",
            direction: "sent",
            mission: c.mission.id,
            peer: &prepared.recipient,
            households: c.households.len(),
            sha256: &prepared.sha256(),
            // The office keeps only the token's hash: its database does not hold what
            // would let anyone forge the laptop's return.
            token_sha256: Some(&sha256_hex(c.return_token.as_bytes())),
            token: None,
        };
        insert_bundle(&mut tx, &row, actor).await?;
        for h in &c.households {
            sqlx::query(
                "INSERT INTO checkout_households (bundle_id, case_id, fingerprint, snapshot)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(c.id.to_string())
            .bind(h.id.to_string())
            .bind(bundle::fingerprint(h))
            .bind(serde_json::to_string(h).map_err(super::corrupt)?)
            .execute(&mut *tx)
            .await?;
        }
        append_audit(
            &mut tx,
            actor,
            "mission.checked_out",
            &format!(
                "mission={} bundle={} households={} to={} sha256={}",
                c.mission.id,
                c.id,
                c.households.len(),
                prepared.recipient,
                prepared.sha256()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn receive_checkout(
        &self,
        bytes: &[u8],
        actor: &str,
    ) -> Result<Received, StoreError> {
        // Decrypting and checking are done before the write lock is taken.
        self.authorize(actor, Permission::RecordFieldwork).await?;
        let key = {
            let mut conn = self.pool.acquire().await?;
            load_key(&mut conn).await?.ok_or(StoreError::NoBundleKey)?
        };
        let c = bundle::open(bytes, &key)?;
        let mut tx = self.begin_as(actor, Permission::RecordFieldwork).await?;
        let persons = c.households.iter().map(|h| h.members.len() as u32).sum();
        let seen: Option<String> =
            sqlx::query_scalar("SELECT id FROM mission_bundles WHERE id = $1")
                .bind(c.id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if seen.is_some() {
            return Ok(Received {
                bundle: c.id,
                mission: c.mission.id,
                households: 0,
                persons: 0,
                unchanged: c.households.len() as u32,
                already_received: true,
            });
        }
        let mut problems = Vec::new();
        match load_mission(&mut tx, c.mission.id).await {
            Ok(held) if held == c.mission => {}
            Ok(_) => problems.push(format!(
                "the laptop holds mission {} with other details",
                c.mission.name
            )),
            Err(StoreError::NoSuchMission(_)) => insert_mission(&mut tx, &c.mission).await?,
            Err(e) => return Err(e),
        }
        match load_rubric(&mut tx, c.rubric.version).await? {
            Some(held) if held == c.rubric => {}
            Some(_) => problems.push(format!(
                "the laptop holds another rubric version {}",
                c.rubric.version
            )),
            None => {
                insert_rubric(
                    &mut tx,
                    &c.rubric,
                    &c.created_by,
                    "received with a mission bundle",
                )
                .await?
            }
        }
        let mut unchanged = 0;
        for h in &c.households {
            let held: Option<String> =
                sqlx::query_scalar("SELECT id FROM cases WHERE unhcr_case_no = $1")
                    .bind(&h.unhcr_case_no)
                    .fetch_optional(&mut *tx)
                    .await?;
            match held {
                None => insert_household(&mut tx, h).await?,
                Some(_) => {
                    if load_household(&mut tx, CaseRef::Number(&h.unhcr_case_no)).await? == *h {
                        unchanged += 1;
                    } else {
                        problems.push(format!(
                            "the laptop holds case {} with other data",
                            h.unhcr_case_no
                        ));
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::BundleRefused(problems));
        }
        let sha256 = sha256_hex(bytes);
        let row = BundleRow {
            id: c.id,
            kind: "checkout",
            direction: "received",
            mission: c.mission.id,
            peer: &c.return_to,
            households: c.households.len(),
            sha256: &sha256,
            token_sha256: None,
            // Kept on the laptop (in its encrypted database) for the return.
            token: Some(&c.return_token),
        };
        insert_bundle(&mut tx, &row, actor).await?;
        append_audit(
            &mut tx,
            actor,
            "mission.received",
            &format!(
                "mission={} bundle={} households={} sha256={sha256}",
                c.mission.id,
                c.id,
                c.households.len()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Received {
            bundle: c.id,
            mission: c.mission.id,
            households: c.households.len() as u32 - unchanged,
            persons,
            unchanged,
            already_received: false,
        })
    }
}

/// The public key: its own row, or (a database from before that row) the secret's.
async fn load_recipient(conn: &mut Conn) -> Result<Option<String>, StoreError> {
    match read_setting(conn, RECIPIENT_SETTING).await? {
        Some(r) => Ok(Some(r)),
        None => Ok(load_key(conn).await?.map(|k| k.recipient())),
    }
}

pub(super) async fn load_key(conn: &mut Conn) -> Result<Option<BundleKey>, StoreError> {
    let secret = read_setting(conn, KEY_SETTING)
        .await?
        .map(zeroize::Zeroizing::new);
    Ok(match secret {
        Some(s) => Some(BundleKey::from_secret(&s)?),
        None => None,
    })
}

/// One row of `mission_bundles`.
pub(super) struct BundleRow<'a> {
    pub id: Uuid,
    pub kind: &'static str,
    pub direction: &'static str,
    pub mission: Uuid,
    pub peer: &'a str,
    pub households: usize,
    pub sha256: &'a str,
    pub token_sha256: Option<&'a str>,
    pub token: Option<&'a str>,
}

pub(super) async fn insert_bundle(
    conn: &mut Conn,
    b: &BundleRow<'_>,
    actor: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mission_bundles (id, kind, direction, mission_id, peer, households, sha256,
                                      at, actor, token_sha256, token)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(b.id.to_string())
    .bind(b.kind)
    .bind(b.direction)
    .bind(b.mission.to_string())
    .bind(b.peer)
    .bind(b.households as i64)
    .bind(b.sha256)
    .bind(Utc::now().to_rfc3339())
    .bind(actor)
    .bind(b.token_sha256)
    .bind(b.token)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
