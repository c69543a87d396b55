//! Placement proposals on the database: a batch of accepted households becomes an
//! instance (each municipality with the quota and capacities its active proposals leave),
//! the solver's plan becomes proposals, and proposals move proposed → consulted →
//! confirmed or declined, or to another municipality by hand with the checks made again.

use std::collections::BTreeMap;

use chrono::{Datelike, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::cases::load_household;
use super::columns::{int, opt_int};
use super::municipalities::{json_tags, municipality_quotas, tags_json};
use super::settings::{read_setting, write_setting};
use super::Conn;
use super::Dialect;
use super::{append_audit, corrupt, Backend};
use crate::types::{Batch, CaseRef, MoveCheck, PoolEntry, Proposal};
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::placement::balance::{balance, BalanceReport, PlacedHousehold};
use resettle_domain::placement::features::{self, Weights};
use resettle_domain::placement::forecast::ForecastSummary;
use resettle_domain::placement::instance::{round2, HouseholdToPlace, Instance, MunicipalitySlot};
use resettle_domain::placement::job_offer::JobOffer;
use resettle_domain::placement::plan::{check_plan, Plan};
use resettle_domain::placement::profile::{household_to_place, PlacementProfile};
use resettle_domain::placement::proposal::{
    check_transition, ProposalError, ProposalMethod, ProposalStatus,
};
use resettle_domain::placement::visitation::check_refugee_wishes;
use resettle_domain::Person;

const WEIGHTS_KEY: &str = "placement.weights";

impl Backend {
    pub(crate) async fn placement_weights(&self) -> Result<Weights, StoreError> {
        let mut conn = self.pool.acquire().await?;
        weights(&mut conn).await
    }

    pub(crate) async fn set_placement_weights(
        &self,
        weights: &Weights,
        actor: &str,
    ) -> Result<(), StoreError> {
        weights.validate()?;
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let value = serde_json::to_string(weights).map_err(corrupt)?;
        write_setting(&mut tx, WEIGHTS_KEY, &value).await?;
        append_audit(&mut tx, actor, "placement_weights.set", WEIGHTS_KEY).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn placement_profile(
        &self,
        case_no: &str,
    ) -> Result<PlacementProfile, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let household = load_household(&mut conn, CaseRef::Number(case_no)).await?;
        profile(&mut conn, household.id).await
    }

    pub(crate) async fn set_placement_profile(
        &self,
        case_no: &str,
        profile: &PlacementProfile,
        actor: &str,
    ) -> Result<(), StoreError> {
        check_refugee_wishes(&profile.wishes)?;
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        for code in &profile.network {
            super::municipalities::known_municipality(&mut tx, *code).await?;
        }
        let network: Vec<String> = profile.network.iter().map(u16::to_string).collect();
        sqlx::query(
            "INSERT INTO placement_profiles (case_id, network, needs, services, link_group, wishes)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (case_id) DO UPDATE SET network = excluded.network,
                 needs = excluded.needs, services = excluded.services,
                 link_group = excluded.link_group, wishes = excluded.wishes",
        )
        .bind(household.id.to_string())
        .bind(tags_json(&network))
        .bind(tags_json(&profile.needs))
        .bind(tags_json(&profile.services))
        .bind(
            profile
                .link_group
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty()),
        )
        .bind(serde_json::to_string(&profile.wishes).map_err(corrupt)?)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "placement_profile.set",
            &format!("case {case_no}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn municipality_slots(
        &self,
        year: i32,
    ) -> Result<Vec<MunicipalitySlot>, StoreError> {
        let mut tx = self.begin_read().await?;
        let slots = municipality_slots(&mut tx, year).await?;
        tx.commit().await?;
        Ok(slots)
    }

    /// The year's balance: each municipality's fill over the months and the placed
    /// households' predicted outcomes by nationality and household type, with the model in
    /// use (`domain::placement::balance`).
    pub(crate) async fn placement_balance(&self, year: i32) -> Result<BalanceReport, StoreError> {
        let mut tx = self.begin_read().await?;
        let quotas = municipality_quotas(&mut tx, year).await?;
        if quotas.iter().all(|m| m.quota.is_none()) {
            return Err(StoreError::NoQuotasForYear(year));
        }
        let whole: BTreeMap<String, u32> = quotas
            .iter()
            .map(|m| (m.code.to_string(), m.quota.unwrap_or(0)))
            .collect();
        let mut slots = municipality_slots(&mut tx, year).await?;
        for slot in &mut slots {
            slot.quota = whole.get(&slot.code).copied().unwrap_or(0);
        }
        let rows = sqlx::query(
            "SELECT c.unhcr_case_no, p.municipality, p.proposed_at FROM placements p
             JOIN cases c ON c.id = p.case_id
             WHERE p.year = $1 AND p.status <> 'declined' ORDER BY c.unhcr_case_no",
        )
        .bind(year)
        .fetch_all(&mut *tx)
        .await?;
        let mut placed = Vec::with_capacity(rows.len());
        for r in &rows {
            let case_no: String = r.try_get("unhcr_case_no")?;
            let at: chrono::DateTime<Utc> = r.try_get("proposed_at")?;
            // A proposal made before its year counts from January, one after from December.
            let month = match at.year().cmp(&year) {
                std::cmp::Ordering::Less => 1,
                std::cmp::Ordering::Equal => at.month(),
                std::cmp::Ordering::Greater => 12,
            };
            placed.push(PlacedHousehold {
                household: to_place(&mut tx, &case_no).await?.0,
                municipality: r.try_get::<i64, _>("municipality")?.to_string(),
                month,
            });
        }
        let model = super::visitation::model_in_use(&mut tx).await?;
        tx.commit().await?;
        Ok(balance(
            year,
            &slots,
            &placed,
            model.as_ref().map(|(v, m)| (*v, m)),
        ))
    }

    pub(crate) async fn placement_pool(&self) -> Result<Vec<PoolEntry>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::new();
        for (case_no, mission) in pool_cases(&mut conn, &Batch::Accepted).await? {
            let (h, _) = to_place(&mut conn, &case_no).await?;
            out.push(PoolEntry {
                case_no,
                persons: h.size,
                mission,
                needs: h.needs,
                link_group: h.link_group,
            });
        }
        Ok(out)
    }

    pub(crate) async fn placement_instance(
        &self,
        year: i32,
        batch: &Batch,
        actor: &str,
    ) -> Result<Instance, StoreError> {
        let mut tx = self.begin_read().await?;
        super::users::require(&mut tx, actor, Permission::PlaceHouseholds).await?;
        let instance = batch_instance(&mut tx, year, batch).await?;
        tx.commit().await?;
        Ok(instance)
    }

    // The snapshot's key (year, batch), what was solved and how, and who saves it: each
    // is checked or recorded, and a struct of them would only be unpacked here.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn save_proposals(
        &self,
        year: i32,
        batch: &Batch,
        method: ProposalMethod,
        solved_from: &Instance,
        plan: &Plan,
        forecast: Option<&ForecastSummary>,
        actor: &str,
    ) -> Result<Vec<Proposal>, StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let now_instance = batch_instance(&mut tx, year, batch).await?;
        let model_version = super::visitation::model_in_use(&mut tx)
            .await?
            .map(|(v, _)| i64::from(v));
        let forecast = forecast
            .map(serde_json::to_string)
            .transpose()
            .map_err(corrupt)?;
        if now_instance != *solved_from {
            return Err(StoreError::PlacementChanged(batch.to_string()));
        }
        check_plan(&now_instance, plan).map_err(|why| StoreError::Infeasible(vec![why]))?;
        let now = Utc::now();
        let batch_name = batch.to_string();
        for a in &plan.assignments {
            let h = now_instance
                .households
                .iter()
                .find(|h| h.id == a.household)
                .expect("check_plan places only the instance's households");
            let case_id: String =
                sqlx::query_scalar("SELECT id FROM cases WHERE unhcr_case_no = $1")
                    .bind(&h.id)
                    .fetch_one(&mut *tx)
                    .await?;
            let id = Uuid::new_v4().to_string();
            let code: u16 = a.municipality.parse().map_err(corrupt)?;
            sqlx::query(
                "INSERT INTO placements (id, case_id, year, municipality, persons, needs, link_group,
                     status, score, reasons, method, batch, proposed_by, proposed_at,
                     model_version, forecast)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'proposed', $8, $9, $10, $11, $12, $13,
                     $14, $15)",
            )
            .bind(&id)
            .bind(&case_id)
            .bind(year)
            .bind(i64::from(code))
            .bind(i64::from(h.size))
            .bind(tags_json(&h.needs))
            .bind(&h.link_group)
            .bind(a.score)
            .bind(tags_json(&a.reasons))
            .bind(method.code())
            .bind(&batch_name)
            .bind(actor)
            .bind(now)
            .bind(model_version)
            .bind(&forecast)
            .execute(&mut *tx)
            .await?;
            record_transition(
                &mut tx,
                &id,
                None,
                ProposalStatus::Proposed,
                code,
                actor,
                "",
            )
            .await?;
        }
        append_audit(
            &mut tx,
            actor,
            "placements.proposed",
            &format!(
                "{batch_name}, year {year}: {} households ({})",
                plan.assignments.len(),
                method.code()
            ),
        )
        .await?;
        let cases: Vec<&str> = plan
            .assignments
            .iter()
            .map(|a| a.household.as_str())
            .collect();
        let mut proposals = proposals(&mut tx, Some(year)).await?;
        proposals.retain(|p| cases.contains(&p.case_no.as_str()) && p.status.is_active());
        tx.commit().await?;
        Ok(proposals)
    }

    pub(crate) async fn proposals(&self, year: Option<i32>) -> Result<Vec<Proposal>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        proposals(&mut conn, year).await
    }

    pub(crate) async fn check_move(
        &self,
        case_no: &str,
        municipality: u16,
    ) -> Result<MoveCheck, StoreError> {
        let mut conn = self.pool.acquire().await?;
        check_move(&mut conn, case_no, municipality).await
    }

    pub(crate) async fn move_proposal(
        &self,
        case_no: &str,
        municipality: u16,
        override_reason: Option<&str>,
        actor: &str,
    ) -> Result<Proposal, StoreError> {
        if actor.trim().is_empty() {
            return Err(ProposalError::NameRequired.into());
        }
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let check = check_move(&mut tx, case_no, municipality).await?;
        if let Some(problem) = check.problems.into_iter().next() {
            return Err(problem.into());
        }
        let override_reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
        if let Some(over) = check.over_quota {
            if override_reason.is_none() {
                return Err(over.into());
            }
        }
        let (id, from) = active(&mut tx, case_no).await?;
        let mut reasons = vec![format!("moved here by hand by {actor}")];
        if let Some(r) = override_reason {
            reasons.push(format!("over the quota by override: {r}"));
        }
        reasons.extend(check.reasons);
        sqlx::query(
            "UPDATE placements SET municipality = $1, score = $2, reasons = $3, method = 'hand',
                 override_reason = $4, status = 'proposed' WHERE id = $5",
        )
        .bind(i64::from(municipality))
        .bind(check.score)
        .bind(tags_json(&reasons))
        .bind(override_reason)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        record_transition(
            &mut tx,
            &id,
            Some(from),
            ProposalStatus::Proposed,
            municipality,
            actor,
            override_reason.unwrap_or("moved by hand"),
        )
        .await?;
        append_audit(
            &mut tx,
            actor,
            "placement.moved",
            &format!("case {case_no} to {municipality}"),
        )
        .await?;
        let proposal = proposals(&mut tx, None)
            .await?
            .into_iter()
            .find(|p| p.case_no == case_no && p.status.is_active())
            .expect("the proposal just moved");
        tx.commit().await?;
        Ok(proposal)
    }

    pub(crate) async fn transition_proposal(
        &self,
        case_no: &str,
        to: ProposalStatus,
        note: &str,
        actor: &str,
    ) -> Result<Proposal, StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let (id, from) = active(&mut tx, case_no).await?;
        check_transition(from, to, actor, note)?;
        let municipality: i64 =
            sqlx::query_scalar("SELECT municipality FROM placements WHERE id = $1")
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("UPDATE placements SET status = $1 WHERE id = $2")
            .bind(to.code())
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        record_transition(
            &mut tx,
            &id,
            Some(from),
            to,
            municipality as u16,
            actor,
            note.trim(),
        )
        .await?;
        append_audit(
            &mut tx,
            actor,
            "placement.status",
            &format!("case {case_no}: {from} → {to}"),
        )
        .await?;
        let proposal = proposals(&mut tx, None)
            .await?
            .into_iter()
            .find(|p| p.case_no == case_no && (p.status == to))
            .expect("the proposal just changed");
        tx.commit().await?;
        Ok(proposal)
    }
}

async fn weights(conn: &mut Conn) -> Result<Weights, StoreError> {
    read_setting(conn, WEIGHTS_KEY)
        .await?
        .map_or(Ok(Weights::default()), |v| {
            serde_json::from_str(&v).map_err(corrupt)
        })
}

async fn profile(conn: &mut Conn, case_id: Uuid) -> Result<PlacementProfile, StoreError> {
    let row = sqlx::query(
        "SELECT network, needs, services, link_group, wishes FROM placement_profiles WHERE case_id = $1",
    )
    .bind(case_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Ok(PlacementProfile::default());
    };
    Ok(PlacementProfile {
        network: json_tags(&r.try_get::<String, _>("network")?)?
            .iter()
            .map(|c| c.parse().map_err(corrupt))
            .collect::<Result<_, _>>()?,
        needs: json_tags(&r.try_get::<String, _>("needs")?)?,
        services: json_tags(&r.try_get::<String, _>("services")?)?,
        link_group: r.try_get("link_group")?,
        wishes: serde_json::from_str(&r.try_get::<String, _>("wishes")?).map_err(corrupt)?,
    })
}

/// A case as a household to place: its accepted members (all members when no
/// acceptance names them) and its placement profile.
async fn to_place(conn: &mut Conn, case_no: &str) -> Result<(HouseholdToPlace, Uuid), StoreError> {
    let household = load_household(conn, CaseRef::Number(case_no)).await?;
    let accepted: Vec<String> = sqlx::query_scalar(
        "SELECT m.person_id FROM decision_members m
         WHERE m.decision_id = (SELECT d.id FROM decisions d WHERE d.case_id = $1
                                ORDER BY d.decided_at DESC, d.rowid DESC LIMIT 1)",
    )
    .bind(household.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let members: Vec<&Person> = household
        .members
        .iter()
        .filter(|p| accepted.is_empty() || accepted.contains(&p.id.to_string()))
        .collect();
    let profile = profile(conn, household.id).await?;
    let mut place = household_to_place(&household, &members, &profile);
    place.job_offer = super::visitation::job_offer_of(conn, &household.id.to_string())
        .await?
        .filter(JobOffer::decides)
        .map(|offer| offer.municipality.to_string());
    Ok((place, household.id))
}

/// The batch's cases that can be placed: accepted (or pending departure) and without an
/// active proposal, with their mission's name. Named cases that cannot are refused.
async fn pool_cases(
    conn: &mut Conn,
    batch: &Batch,
) -> Result<Vec<(String, Option<String>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.unhcr_case_no, c.status, c.mission_id, m.name AS mission,
                EXISTS (SELECT 1 FROM placements p WHERE p.case_id = c.id AND p.status <> 'declined') AS placed
         FROM cases c LEFT JOIN missions m ON m.id = c.mission_id
         ORDER BY c.unhcr_case_no",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for r in &rows {
        let case_no: String = r.try_get("unhcr_case_no")?;
        let status: String = r.try_get("status")?;
        let placed: bool = r.try_get("placed")?;
        let placeable = matches!(status.as_str(), "accepted" | "pending_departure") && !placed;
        let wanted = match batch {
            Batch::Accepted => placeable,
            Batch::Mission(id) => {
                placeable
                    && r.try_get::<Option<String>, _>("mission_id")?.as_deref()
                        == Some(&id.to_string())
            }
            Batch::Cases(cases) => {
                if !cases.contains(&case_no) {
                    continue;
                }
                seen.push(case_no.clone());
                if !placeable {
                    return Err(StoreError::NotPlaceable {
                        case: case_no,
                        why: if placed {
                            "already has an active proposal".into()
                        } else {
                            format!("is {status}, not accepted")
                        },
                    });
                }
                true
            }
        };
        if wanted {
            out.push((case_no, r.try_get("mission")?));
        }
    }
    if let Batch::Cases(cases) = batch {
        if let Some(missing) = cases.iter().find(|c| !seen.contains(c)) {
            return Err(StoreError::NoSuchCase(missing.clone()));
        }
    }
    if let Batch::Mission(id) = batch {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM missions WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NoSuchMission(id.to_string()));
        }
    }
    Ok(out)
}

/// Each municipality as the solver sees it in `year`: the quota and capacities its
/// active proposals leave, and its profile.
async fn slots(conn: &mut Conn, year: i32) -> Result<Vec<MunicipalitySlot>, StoreError> {
    let table = municipality_quotas(conn, year).await?;
    if table.iter().all(|m| m.quota.is_none()) {
        return Err(StoreError::NoQuotasForYear(year));
    }
    described_slots(conn, year, table).await
}

/// Every municipality as the learned model describes it in `year`: its profile, region
/// and wishes, and the quota left (0 in a year without quotas).
pub(super) async fn municipality_slots(
    conn: &mut Conn,
    year: i32,
) -> Result<Vec<MunicipalitySlot>, StoreError> {
    let table = municipality_quotas(conn, year).await?;
    described_slots(conn, year, table).await
}

async fn described_slots(
    conn: &mut Conn,
    year: i32,
    table: Vec<crate::types::MunicipalityQuota>,
) -> Result<Vec<MunicipalitySlot>, StoreError> {
    let mut wishes = super::visitation::wishes_of_year(conn, year).await?;
    let regions: BTreeMap<i64, i64> =
        sqlx::query_as::<_, (i64, i64)>("SELECT code, region_code FROM municipalities")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    Ok(table
        .into_iter()
        .map(|m| MunicipalitySlot {
            region: regions.get(&i64::from(m.code)).map(i64::to_string),
            wishes: wishes.remove(&m.code).unwrap_or_default(),
            code: m.code.to_string(),
            quota: m.left.max(0) as u32,
            capacities: m
                .capacities
                .iter()
                .map(|c| (c.capacity.clone(), c.units.saturating_sub(c.used)))
                .collect(),
            labour_market: m.profile.labour_market,
            services: m.profile.services,
            languages: m.profile.languages,
        })
        .collect())
}

async fn batch_instance(conn: &mut Conn, year: i32, batch: &Batch) -> Result<Instance, StoreError> {
    let municipalities = slots(conn, year).await?;
    let mut households = Vec::new();
    for (case_no, _) in pool_cases(conn, batch).await? {
        households.push(to_place(conn, &case_no).await?.0);
    }
    if households.is_empty() {
        return Err(StoreError::NothingToPlace(batch.to_string()));
    }
    Ok(Instance {
        municipalities,
        households,
        scores: None,
        weights: Some(weights(conn).await?),
        model: super::visitation::model_in_use(conn).await?.map(|(_, m)| m),
    })
}

/// The active proposal of a case: its id and status.
async fn active(conn: &mut Conn, case_no: &str) -> Result<(String, ProposalStatus), StoreError> {
    let row = sqlx::query(
        "SELECT p.id, p.status FROM placements p JOIN cases c ON c.id = p.case_id
         WHERE c.unhcr_case_no = $1 AND p.status <> 'declined'",
    )
    .bind(case_no)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NoActiveProposal(case_no.to_owned()))?;
    Ok((
        row.try_get("id")?,
        row.try_get::<String, _>("status")?
            .parse()
            .map_err(corrupt)?,
    ))
}

async fn check_move(
    conn: &mut Conn,
    case_no: &str,
    municipality: u16,
) -> Result<MoveCheck, StoreError> {
    let (id, status) = active(conn, case_no).await?;
    super::municipalities::known_municipality(conn, municipality).await?;
    let row = sqlx::query(
        "SELECT year, municipality, persons, needs, link_group FROM placements WHERE id = $1",
    )
    .bind(&id)
    .fetch_one(&mut *conn)
    .await?;
    let year: i32 = int(&row, "year")?;
    let current = row.try_get::<i64, _>("municipality")? as u16;
    let persons = row.try_get::<i64, _>("persons")? as u32;
    let needs = json_tags(&row.try_get::<String, _>("needs")?)?;
    let group: Option<String> = row.try_get("link_group")?;
    let mut problems = Vec::new();
    if !status.is_open() {
        problems.push(ProposalError::Closed);
    }
    let slots = slots(conn, year).await?;
    let largest = slots.iter().map(|s| s.quota).max().unwrap_or(0);
    let target = slots
        .iter()
        .find(|s| s.code == municipality.to_string())
        .expect("every municipality has a slot")
        .clone();
    // The household's own places count as free where it is now.
    let moving = current != municipality;
    let left = i64::from(target.quota) + if moving { 0 } else { i64::from(persons) };
    let over_quota = (moving && i64::from(persons) > left).then_some(ProposalError::OverQuota {
        municipality,
        persons,
        left,
    });
    if moving {
        for need in &needs {
            if target.capacities.get(need).copied().unwrap_or(0) == 0 {
                problems.push(ProposalError::NoCapacity {
                    municipality,
                    capacity: need.clone(),
                });
            }
        }
    }
    if let Some(g) = &group {
        let elsewhere: Option<i64> = sqlx::query_scalar(
            "SELECT municipality FROM placements WHERE link_group = $1 AND id <> $2 AND status <> 'declined'
               AND municipality <> $3 LIMIT 1",
        )
        .bind(g)
        .bind(&id)
        .bind(i64::from(municipality))
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(m) = elsewhere {
            problems.push(ProposalError::LinkGroupSplit {
                group: g.clone(),
                municipality: m as u16,
            });
        }
    }
    let (household, _) = to_place(conn, case_no).await?;
    let weights = weights(conn).await?;
    let model = super::visitation::model_in_use(conn).await?.map(|(_, m)| m);
    let contributions =
        features::scored_contributions(&household, &target, largest, &weights, model.as_ref());
    Ok(MoveCheck {
        problems,
        over_quota,
        score: contributions.iter().fold(0.0, |sum, c| sum + c.points),
        reasons: contributions
            .into_iter()
            .map(|c| format!("{} (+{})", c.detail, round2(c.points)))
            .collect(),
    })
}

async fn record_transition(
    conn: &mut Conn,
    placement: &str,
    from: Option<ProposalStatus>,
    to: ProposalStatus,
    municipality: u16,
    actor: &str,
    note: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO placement_transitions (placement_id, from_status, to_status, municipality, at, actor, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(placement)
    .bind(from.map(|s| s.code()))
    .bind(to.code())
    .bind(i64::from(municipality))
    .bind(Utc::now())
    .bind(actor)
    .bind(note)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn proposals(conn: &mut Conn, year: Option<i32>) -> Result<Vec<Proposal>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.unhcr_case_no, p.persons, p.needs, p.link_group, p.year, p.municipality,
                m.name AS municipality_name, p.status, p.score, p.reasons, p.method,
                p.override_reason, p.proposed_by, p.proposed_at, p.model_version, p.forecast
         FROM placements p JOIN cases c ON c.id = p.case_id
         JOIN municipalities m ON m.code = p.municipality
         WHERE $1 IS NULL OR p.year = $1
         ORDER BY p.status = 'declined', c.unhcr_case_no, p.proposed_at",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Proposal {
                case_no: r.try_get("unhcr_case_no")?,
                persons: r.try_get::<i64, _>("persons")? as u32,
                needs: json_tags(&r.try_get::<String, _>("needs")?)?,
                link_group: r.try_get("link_group")?,
                year: int(r, "year")?,
                municipality: r.try_get::<i64, _>("municipality")? as u16,
                municipality_name: r.try_get("municipality_name")?,
                status: r.try_get::<String, _>("status")?.parse().map_err(corrupt)?,
                score: r.try_get("score")?,
                reasons: json_tags(&r.try_get::<String, _>("reasons")?)?,
                method: r.try_get::<String, _>("method")?.parse().map_err(corrupt)?,
                override_reason: r.try_get("override_reason")?,
                proposed_by: r.try_get("proposed_by")?,
                proposed_at: r.try_get("proposed_at")?,
                model_version: opt_int(r, "model_version")?,
                forecast: r
                    .try_get::<Option<String>, _>("forecast")?
                    .map(|f| serde_json::from_str(&f).map_err(corrupt))
                    .transpose()?,
            })
        })
        .collect()
}
