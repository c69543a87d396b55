//! Municipalities' placement data: the distribution key's inputs per year, the municipal
//! quotas (computed by the key, edited by hand with a reason), capacities and profiles,
//! and the table of quota used and left.

use std::collections::BTreeMap;

use chrono::Utc;
use sqlx::Row;

use super::Conn;
use super::{append_audit, corrupt, Backend};
use crate::types::{CapacityUse, KeyInputSet, MunicipalityQuota};
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::placement::key::{distribute, KeyExemption, KeyInput};
use resettle_domain::placement::profile::MunicipalityProfile;

pub(super) fn json_tags(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(corrupt)
}

pub(super) fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).expect("a list of strings serialises")
}

impl Backend {
    pub(crate) async fn import_key_inputs(
        &self,
        year: i32,
        inputs: &[KeyInput],
        source: &str,
        synthetic: bool,
        actor: &str,
    ) -> Result<KeyInputSet, StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        sqlx::query("DELETE FROM key_inputs WHERE year = $1")
            .bind(year)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM key_input_sets WHERE year = $1")
            .bind(year)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO key_input_sets (year, source, synthetic, imported_at, imported_by)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(year)
        .bind(source)
        .bind(synthetic)
        .bind(Utc::now())
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        for i in inputs {
            sqlx::query(
                "INSERT INTO key_inputs (year, code, population, non_western, reunified)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(year)
            .bind(i64::from(i.code))
            .bind(i.population as i64)
            .bind(i.non_western as i64)
            .bind(i.reunified as i64)
            .execute(&mut *tx)
            .await?;
        }
        append_audit(
            &mut tx,
            actor,
            "key_inputs.imported",
            &format!("year {year}: {} municipalities from {source}", inputs.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(KeyInputSet {
            year,
            source: source.to_owned(),
            synthetic,
            municipalities: inputs.len() as u32,
        })
    }

    pub(crate) async fn key_input_set(&self, year: i32) -> Result<Option<KeyInputSet>, StoreError> {
        let row = sqlx::query(
            "SELECT s.source, s.synthetic, (SELECT COUNT(*) FROM key_inputs k WHERE k.year = s.year) AS n
             FROM key_input_sets s WHERE s.year = $1",
        )
        .bind(year)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(KeyInputSet {
                year,
                source: r.try_get("source")?,
                synthetic: r.try_get("synthetic")?,
                municipalities: r.try_get::<i64, _>("n")? as u32,
            })
        })
        .transpose()
    }

    pub(crate) async fn compute_quotas(
        &self,
        year: i32,
        national: u32,
        exemptions: &[KeyExemption],
        actor: &str,
    ) -> Result<BTreeMap<u16, u32>, StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let inputs: Vec<KeyInput> = sqlx::query(
            "SELECT code, population, non_western, reunified FROM key_inputs WHERE year = $1 ORDER BY code",
        )
        .bind(year)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok(KeyInput {
                code: r.try_get::<i64, _>("code")? as u16,
                population: r.try_get::<i64, _>("population")? as u64,
                non_western: r.try_get::<i64, _>("non_western")? as u64,
                reunified: r.try_get::<i64, _>("reunified")? as u64,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        if inputs.is_empty() {
            return Err(StoreError::NoKeyInputs(year));
        }
        let quotas = distribute(national, &inputs, exemptions)?;
        sqlx::query("DELETE FROM municipal_quotas WHERE year = $1")
            .bind(year)
            .execute(&mut *tx)
            .await?;
        for (code, quota) in &quotas {
            sqlx::query(
                "INSERT INTO municipal_quotas (year, code, national, computed, quota) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(year)
            .bind(i64::from(*code))
            .bind(i64::from(national))
            .bind(i64::from(*quota))
            .bind(i64::from(*quota))
            .execute(&mut *tx)
            .await?;
        }
        append_audit(
            &mut tx,
            actor,
            "municipal_quotas.computed",
            &format!("year {year}: national number {national}"),
        )
        .await?;
        tx.commit().await?;
        Ok(quotas)
    }

    pub(crate) async fn set_municipal_quota(
        &self,
        year: i32,
        code: u16,
        quota: u32,
        reason: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        if reason.trim().is_empty() {
            return Err(StoreError::ReasonRequired);
        }
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        // An unknown code is named as such, not taken for a year without quotas.
        known_municipality(&mut tx, code).await?;
        let from: i64 =
            sqlx::query_scalar("SELECT quota FROM municipal_quotas WHERE year = $1 AND code = $2")
                .bind(year)
                .bind(i64::from(code))
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NoQuotasForYear(year))?;
        sqlx::query("UPDATE municipal_quotas SET quota = $1 WHERE year = $2 AND code = $3")
            .bind(i64::from(quota))
            .bind(year)
            .bind(i64::from(code))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO municipal_quota_edits (year, code, from_quota, to_quota, reason, edited_by, edited_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(year)
        .bind(i64::from(code))
        .bind(from)
        .bind(i64::from(quota))
        .bind(reason.trim())
        .bind(actor)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "municipal_quota.edited",
            &format!("year {year}, municipality {code}: {from} → {quota}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn set_capacity(
        &self,
        code: u16,
        capacity: &str,
        units: u32,
        actor: &str,
    ) -> Result<(), StoreError> {
        let capacity = capacity.trim();
        if capacity.is_empty() {
            return Err(StoreError::CapacityNameRequired);
        }
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        known_municipality(&mut tx, code).await?;
        sqlx::query(
            "INSERT INTO municipality_capacities (code, capacity, units) VALUES ($1, $2, $3)
             ON CONFLICT (code, capacity) DO UPDATE SET units = excluded.units",
        )
        .bind(i64::from(code))
        .bind(capacity)
        .bind(i64::from(units))
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "capacity.set",
            &format!("municipality {code}: {capacity} = {units}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn set_municipality_profile(
        &self,
        code: u16,
        profile: &MunicipalityProfile,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        known_municipality(&mut tx, code).await?;
        sqlx::query(
            "INSERT INTO municipality_profiles (code, labour_market, services, languages)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (code) DO UPDATE SET labour_market = excluded.labour_market,
                 services = excluded.services, languages = excluded.languages",
        )
        .bind(i64::from(code))
        .bind(tags_json(&profile.labour_market))
        .bind(tags_json(&profile.services))
        .bind(tags_json(&profile.languages))
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "municipality_profile.set",
            &format!("municipality {code}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn seed_placement_demo(
        &self,
        demo: &resettle_demo::PlacementDemo,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.import_key_inputs(
            demo.year,
            &demo.key_inputs,
            "data/key-inputs-2026-synthetic.csv (invented demo figures)",
            true,
            actor,
        )
        .await?;
        self.compute_quotas(demo.year, demo.national, &demo.exemptions, actor)
            .await?;
        for (code, capacity, units) in &demo.capacities {
            self.set_capacity(*code, capacity, *units, actor).await?;
        }
        for (code, profile) in &demo.profiles {
            self.set_municipality_profile(*code, profile, actor).await?;
        }
        for case in &demo.accept {
            let request = resettle_domain::decision::DecisionRequest {
                verdict: resettle_domain::decision::Verdict::Accept,
                by: "Demo quota manager".into(),
                reasons: "Demo data: accepted so that there is a batch to place.".into(),
                accepted: None,
            };
            self.decide_case(
                case,
                request,
                Some(demo.year),
                resettle_demo::reference_date(),
                actor,
            )
            .await?;
        }
        Ok(())
    }

    pub(crate) async fn municipality_quotas(
        &self,
        year: i32,
    ) -> Result<Vec<MunicipalityQuota>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        municipality_quotas(&mut conn, year).await
    }
}

pub(super) async fn known_municipality(conn: &mut Conn, code: u16) -> Result<(), StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT code FROM municipalities WHERE code = $1")
        .bind(i64::from(code))
        .fetch_optional(&mut *conn)
        .await?;
    found
        .map(|_| ())
        .ok_or(StoreError::NoSuchMunicipality(code))
}

pub(super) async fn municipality_quotas(
    conn: &mut Conn,
    year: i32,
) -> Result<Vec<MunicipalityQuota>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.code, m.name, m.region_name, q.computed, q.quota,
                (SELECT CAST(COALESCE(SUM(p.persons), 0) AS BIGINT) FROM placements p
                 WHERE p.year = $1 AND p.municipality = m.code AND p.status <> 'declined') AS used,
                (SELECT e.reason FROM municipal_quota_edits e
                 WHERE e.year = $1 AND e.code = m.code ORDER BY e.seq DESC LIMIT 1) AS edit_reason,
                pr.labour_market, pr.services, pr.languages
         FROM municipalities m
         LEFT JOIN municipal_quotas q ON q.code = m.code AND q.year = $1
         LEFT JOIN municipality_profiles pr ON pr.code = m.code
         ORDER BY m.code",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    let capacity_rows = sqlx::query(
        "SELECT code, capacity, units FROM municipality_capacities ORDER BY code, capacity",
    )
    .fetch_all(&mut *conn)
    .await?;
    // Units held by active proposals of the year, by municipality and capacity.
    let mut held: BTreeMap<(u16, String), u32> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT municipality, needs FROM placements WHERE year = $1 AND status <> 'declined'",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?
    {
        let code = r.try_get::<i64, _>("municipality")? as u16;
        for need in json_tags(&r.try_get::<String, _>("needs")?)? {
            *held.entry((code, need)).or_insert(0) += 1;
        }
    }
    let mut capacities: BTreeMap<u16, Vec<CapacityUse>> = BTreeMap::new();
    for r in &capacity_rows {
        let code = r.try_get::<i64, _>("code")? as u16;
        let capacity: String = r.try_get("capacity")?;
        let used = held.get(&(code, capacity.clone())).copied().unwrap_or(0);
        capacities.entry(code).or_default().push(CapacityUse {
            capacity,
            units: r.try_get::<i64, _>("units")? as u32,
            used,
        });
    }
    rows.iter()
        .map(|r| {
            let code = r.try_get::<i64, _>("code")? as u16;
            let quota = r.try_get::<Option<i64>, _>("quota")?.map(|q| q as u32);
            let used = r.try_get::<i64, _>("used")? as u32;
            let tags = |column: &str| -> Result<Vec<String>, StoreError> {
                r.try_get::<Option<String>, _>(column)?
                    .map_or(Ok(Vec::new()), |t| json_tags(&t))
            };
            Ok(MunicipalityQuota {
                code,
                name: r.try_get("name")?,
                region_name: r.try_get("region_name")?,
                computed: r.try_get::<Option<i64>, _>("computed")?.map(|q| q as u32),
                quota,
                used,
                left: i64::from(quota.unwrap_or(0)) - i64::from(used),
                edit_reason: r.try_get("edit_reason")?,
                capacities: capacities.remove(&code).unwrap_or_default(),
                profile: MunicipalityProfile {
                    labour_market: tags("labour_market")?,
                    services: tags("services")?,
                    languages: tags("languages")?,
                },
            })
        })
        .collect()
}
