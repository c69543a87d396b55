//! The office's check-in of a laptop's return (the return itself is in `returns.rs`, the
//! queue of conflicts it raises in `conflicts.rs`).
//!
//! A check-in is read and checked whole before the write lock is taken, then written in
//! one transaction, or not at all. Its ID is recorded once, so the same return checked
//! in twice changes nothing; field work arrives under the laptop's IDs, so a later return
//! of the same check-out adds only what is new. What cannot be settled without a person
//! (a field both sides changed, a decision made in the field, consents recorded on both
//! sides) waits in `checkin_conflicts`: nothing is settled by whoever wrote last.
use std::collections::HashSet;

use chrono::Utc;
use serde_json::{Map, Value};
use sqlx::Row;
use uuid::Uuid;

use super::bundles::{insert_bundle, load_key, BundleRow};
use super::cases::load_household;
use super::returns::{json_object, key_filter};
use super::selection::{set_needs, transition};
use super::Conn;
use super::Dialect;
use super::{append_audit, corrupt, Backend};
use crate::sides::{FieldDecision, JsonRow, OfficeDecisions, Sides};
use crate::types::{CaseRef, CheckedIn};
use crate::StoreError;
use resettle_bundle::{self as bundle, Record, Returned, Table};
use resettle_domain::access::Permission;
use resettle_domain::checkin::{self, Step};
use resettle_domain::digest::sha256_hex;
use resettle_domain::{CaseStatus, Household};

impl Backend {
    pub(crate) async fn check_in(
        &self,
        bytes: &[u8],
        actor: &str,
    ) -> Result<CheckedIn, StoreError> {
        self.authorize(actor, Permission::CheckOutMissions).await?;
        let key = {
            let mut conn = self.pool.acquire().await?;
            load_key(&mut conn).await?.ok_or(StoreError::NoBundleKey)?
        };
        let r = bundle::open_return(bytes, &key)?;
        let mut tx = self.begin_as(actor, Permission::CheckOutMissions).await?;
        let mut done = CheckedIn {
            bundle: r.id,
            mission: r.mission,
            households: r.households.len() as u32,
            fields_taken: 0,
            records_added: 0,
            conflicts: 0,
            already_checked_in: false,
            receipt: None,
        };
        let seen: Option<String> =
            sqlx::query_scalar("SELECT sha256 FROM mission_bundles WHERE id = $1")
                .bind(r.id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(recorded) = seen {
            done.already_checked_in = true;
            // The same file again gets its receipt again (the laptop may have lost it).
            if recorded == sha256_hex(bytes) {
                done.receipt = Some(bundle::receipt(&r));
            }
            return Ok(done);
        }
        let out = sqlx::query(
            "SELECT mission_id, peer, token_sha256, at FROM mission_bundles
             WHERE id = $1 AND kind = 'checkout' AND direction = 'sent'",
        )
        .bind(r.checkout.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::BundleRefused(vec![format!(
                "this database sent no check-out {}",
                r.checkout
            )])
        })?;
        let token_sha256: Option<String> = out.try_get("token_sha256")?;
        if token_sha256.as_deref() != Some(sha256_hex(r.token.as_bytes()).as_str()) {
            return Err(StoreError::BundleRefused(vec![
                "the return does not carry its check-out's token: it is not from the laptop the mission was checked out to".into(),
            ]));
        }
        if out.try_get::<String, _>("mission_id")? != r.mission.to_string() {
            return Err(StoreError::BundleRefused(vec![
                "the return is for another mission than its check-out".into(),
            ]));
        }
        let laptop_key: String = out.try_get("peer")?;
        let checked_out_at: String = out.try_get("at")?;
        let laptop_head = laptop_chain(&mut tx, &r).await?;
        // Every household is compared first; a return with any problem writes nothing.
        let mut problems = Vec::new();
        let mut merges = Vec::new();
        for returned in &r.households {
            let h = &returned.household;
            let snapshot: Option<String> = sqlx::query_scalar(
                "SELECT snapshot FROM checkout_households WHERE bundle_id = $1 AND case_id = $2",
            )
            .bind(r.checkout.to_string())
            .bind(h.id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
            let Some(snapshot) = snapshot else {
                problems.push(format!(
                    "case {} was not checked out with this mission",
                    h.unhcr_case_no
                ));
                continue;
            };
            let base: Household = serde_json::from_str(&snapshot).map_err(corrupt)?;
            let office = load_household(&mut tx, CaseRef::Number(&base.unhcr_case_no)).await?;
            let since = statuses_since(&mut tx, office.id, &checked_out_at).await?;
            match checkin::merge(&base, &office, &since, h) {
                Ok(m) => merges.push((returned, office, m)),
                Err(why) => problems.push(why),
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::BundleRefused(problems));
        }
        // Recorded first: the conflicts it raises refer to it.
        let sha256 = sha256_hex(bytes);
        let row = BundleRow {
            id: r.id,
            kind: "return",
            direction: "received",
            mission: r.mission,
            peer: &laptop_key,
            households: r.households.len(),
            sha256: &sha256,
            token_sha256: None,
            token: None,
        };
        insert_bundle(&mut tx, &row, actor).await?;
        if let Some((database, seq, head)) = &laptop_head {
            sqlx::query(
                "INSERT INTO laptop_heads (laptop_database, seq, head, bundle_id, at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(database)
            .bind(seq)
            .bind(head)
            .bind(r.id.to_string())
            .bind(chrono::Utc::now().to_rfc3339())
            .execute(&mut *tx)
            .await?;
        }
        let mut queue = Queue {
            return_id: r.id,
            raised: 0,
        };
        for (returned, office, merge) in &merges {
            let reason = format!("field work checked in from return {}", r.id);
            for step in checkin::steps(office, merge) {
                match step {
                    Step::TakeStatus(to) => {
                        transition(&mut tx, office, to, actor, &reason).await?;
                        done.fields_taken += 1;
                    }
                    Step::TakeNeeds { person, needs } => {
                        set_needs(
                            &mut tx,
                            person,
                            needs.special_needs.as_deref(),
                            needs.tom_patient,
                        )
                        .await?;
                        done.fields_taken += 1;
                    }
                    Step::QueueStatus { office: o, laptop } => {
                        let sides = Sides::Status { office: o, laptop };
                        queue.raise(&mut tx, office.id, "status", sides).await?;
                    }
                    Step::QueueNeeds {
                        person,
                        office: o,
                        laptop,
                    } => {
                        let sides = Sides::MedicalNeeds { office: o, laptop };
                        queue
                            .raise(&mut tx, office.id, &person.to_string(), sides)
                            .await?;
                    }
                }
            }
            done.records_added +=
                check_in_records(&mut tx, &mut queue, office, returned, &checked_out_at).await?;
        }
        done.conflicts = queue.raised;
        append_audit(
            &mut tx,
            actor,
            "mission.checked_in",
            &format!(
                "mission={} checkout={} bundle={} households={} fields={} records={} conflicts={} sha256={sha256}",
                r.mission,
                r.checkout,
                r.id,
                done.households,
                done.fields_taken,
                done.records_added,
                done.conflicts
            ),
        )
        .await?;
        tx.commit().await?;
        done.receipt = Some(bundle::receipt(&r));
        Ok(done)
    }
}

/// The status the laptop's field work left a case in, before any decision it recorded:
/// decisions travel as records and are confirmed at the office, where the quota is.
pub(super) async fn field_status(conn: &mut Conn, h: &Household) -> Result<CaseStatus, StoreError> {
    let before: Option<String> = sqlx::query_scalar(
        "SELECT from_status FROM case_transitions
         WHERE case_id = $1 AND to_status IN ('accepted', 'rejected', 'deferred')
         ORDER BY seq LIMIT 1",
    )
    .bind(h.id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    match before {
        Some(s) => s.parse().map_err(corrupt),
        None => Ok(h.status),
    }
}

/// The statuses a case has moved to since `since`.
async fn statuses_since(
    conn: &mut Conn,
    case: Uuid,
    since: &str,
) -> Result<Vec<CaseStatus>, StoreError> {
    let sql = format!(
        "SELECT to_status FROM case_transitions WHERE case_id = $1 AND {} ORDER BY seq",
        Backend::later("at", "$2")
    );
    let codes: Vec<String> = sqlx::query_scalar(&sql)
        .bind(case.to_string())
        .bind(since)
        .fetch_all(&mut *conn)
        .await?;
    codes.iter().map(|c| c.parse().map_err(corrupt)).collect()
}

/// The office's row under the record's key.
pub(super) async fn existing(
    conn: &mut Conn,
    record: &Record,
) -> Result<Option<Map<String, Value>>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {}",
        json_object(record.table),
        record.table.name(),
        key_filter(record.table)
    );
    let text: Option<String> = sqlx::query_scalar(&sql)
        .bind(Value::Object(record.row.clone()).to_string())
        .fetch_optional(&mut *conn)
        .await?;
    text.map(|t| serde_json::from_str(&t).map_err(corrupt))
        .transpose()
}

pub(super) async fn insert_row(conn: &mut Conn, record: &Record) -> Result<(), StoreError> {
    let columns = record.table.columns();
    let values: Vec<String> = columns
        .iter()
        .map(|c| Backend::json_field(record.table.name(), c))
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        record.table.name(),
        columns.join(", "),
        values.join(", ")
    );
    sqlx::query(&sql)
        .bind(Value::Object(record.row.clone()).to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Replaces the office's row with the laptop's; the table's triggers still hold (a
/// decided flag, for one, is never changed).
pub(super) async fn update_row(conn: &mut Conn, record: &Record) -> Result<(), StoreError> {
    let sets: Vec<String> = record
        .table
        .columns()
        .iter()
        .filter(|c| !record.table.key().contains(c))
        .map(|c| format!("{c} = {}", Backend::json_field(record.table.name(), c)))
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE {}",
        record.table.name(),
        sets.join(", "),
        key_filter(record.table)
    );
    sqlx::query(&sql)
        .bind(Value::Object(record.row.clone()).to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The conflicts a check-in raises. An entry raised before with the same laptop side (by
/// an earlier return of the same check-out) is not raised again, resolved or not.
struct Queue {
    return_id: Uuid,
    raised: u32,
}

impl Queue {
    async fn raise(
        &mut self,
        conn: &mut Conn,
        case: Uuid,
        subject: &str,
        sides: Sides,
    ) -> Result<(), StoreError> {
        let kind = sides.kind();
        let (office, laptop) = sides.to_json();
        let before: Option<String> = sqlx::query_scalar(
            "SELECT id FROM checkin_conflicts
             WHERE case_id = $1 AND kind = $2 AND subject = $3 AND laptop = $4",
        )
        .bind(case.to_string())
        .bind(kind.code())
        .bind(subject)
        .bind(&laptop)
        .fetch_optional(&mut *conn)
        .await?;
        if before.is_some() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO checkin_conflicts (id, return_id, case_id, kind, subject, office,
                                            laptop, raised_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(self.return_id.to_string())
        .bind(case.to_string())
        .bind(kind.code())
        .bind(subject)
        .bind(office)
        .bind(laptop)
        .bind(Utc::now())
        .execute(&mut *conn)
        .await?;
        self.raised += 1;
        Ok(())
    }
}

/// The office's rows of `table` for the case recorded or changed after the check-out,
/// leaving out the laptop's own (an earlier return of the same check-out brought them).
async fn office_rows_since(
    conn: &mut Conn,
    table: Table,
    case: Uuid,
    since: &str,
    laptops: &HashSet<String>,
) -> Result<Vec<JsonRow>, StoreError> {
    let changed = match table {
        Table::Consents => format!(
            "{} OR (withdrawn_at IS NOT NULL AND {})",
            Backend::later("recorded_at", "$2"),
            Backend::later("withdrawn_at", "$2")
        ),
        _ => Backend::later("decided_at", "$2"),
    };
    let sql = format!(
        "SELECT id, {} FROM {} WHERE case_id = $1 AND ({changed}) ORDER BY id",
        json_object(table),
        table.name()
    );
    let rows = sqlx::query(&sql)
        .bind(case.to_string())
        .bind(since)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        if !laptops.contains(&r.try_get::<String, _>(0)?) {
            out.push(serde_json::from_str(r.try_get::<&str, _>(1)?).map_err(corrupt)?);
        }
    }
    Ok(out)
}

/// Adds the field work of one household the office lacks; queues what it cannot add
/// by itself. Returns the number of rows added.
async fn check_in_records(
    conn: &mut Conn,
    queue: &mut Queue,
    office: &Household,
    returned: &Returned,
    checked_out_at: &str,
) -> Result<u32, StoreError> {
    let ids = |table: Table| -> HashSet<String> {
        returned
            .records
            .iter()
            .filter(|x| x.table == table)
            .map(Record::key)
            .collect()
    };
    let laptop_consents = ids(Table::Consents);
    let laptop_decisions = ids(Table::Decisions);
    let office_consents = office_rows_since(
        conn,
        Table::Consents,
        office.id,
        checked_out_at,
        &laptop_consents,
    )
    .await?;
    let office_decisions = office_rows_since(
        conn,
        Table::Decisions,
        office.id,
        checked_out_at,
        &laptop_decisions,
    )
    .await?;
    let mut added = 0;
    let mut new_consents = Vec::new();
    for record in &returned.records {
        // Compared as both backends would write them (a flag, a time's precision), since
        // a laptop's file and the office's server keep the same row in different forms.
        let held = existing(conn, record)
            .await?
            .map(|row| bundle::canonical_row(&row));
        let laptop = Record {
            table: record.table,
            row: bundle::canonical_row(&record.row),
        };
        match record.table {
            // Decision members travel with their decision, below.
            Table::DecisionMembers => {}
            Table::Decisions => {
                if held.is_some() {
                    continue;
                }
                let key = record.key();
                let accepted: Vec<String> = returned
                    .records
                    .iter()
                    .filter(|x| {
                        x.table == Table::DecisionMembers && x.text("decision_id") == Some(&key)
                    })
                    .filter_map(|x| x.text("person_id"))
                    .map(str::to_owned)
                    .collect();
                let sides = Sides::Decision {
                    office: OfficeDecisions {
                        status: office.status,
                        decisions: office_decisions.clone(),
                    },
                    laptop: FieldDecision {
                        decision: record.row.clone(),
                        accepted,
                    },
                };
                queue.raise(conn, office.id, &key, sides).await?;
            }
            Table::Consents if held.is_none() => {
                if office_consents.is_empty() {
                    insert_row(conn, record).await?;
                    added += 1;
                } else {
                    new_consents.push(record.row.clone());
                }
            }
            _ => match held {
                None => {
                    insert_row(conn, record).await?;
                    added += 1;
                }
                Some(row) if row == laptop.row => {}
                Some(row) => {
                    if settles_by_itself(&laptop, &row) {
                        update_row(conn, record).await?;
                        added += 1;
                    } else if record.table == Table::Consents && !row["withdrawn_at"].is_null() {
                        // The office withdrew this consent: a withdrawal stands.
                    } else {
                        let subject = format!("{} {}", record.table.name(), record.key());
                        let sides = Sides::Record {
                            office: Record {
                                table: record.table,
                                row,
                            },
                            laptop: record.clone(),
                        };
                        queue.raise(conn, office.id, &subject, sides).await?;
                    }
                }
            },
        }
    }
    if !new_consents.is_empty() {
        let sides = Sides::Consent {
            office: office_consents,
            laptop: new_consents,
        };
        queue.raise(conn, office.id, "consents", sides).await?;
    }
    Ok(added)
}

/// A row both sides hold that differs only by what the laptop added since: a screening
/// flag the laptop decided and the office has not, a consent the laptop withdrew and the
/// office has not. (A consent the office withdrew stays withdrawn.)
fn settles_by_itself(laptop: &Record, office: &Map<String, Value>) -> bool {
    let filled = |column: &str| !laptop.row[column].is_null() && office[column].is_null();
    let same_but = |columns: &[&str]| {
        laptop
            .row
            .iter()
            .all(|(k, v)| columns.contains(&k.as_str()) || office.get(k) == Some(v))
    };
    match laptop.table {
        Table::ScreeningFlags => {
            filled("resolution")
                && same_but(&["resolution", "decided_by", "decision_reason", "decided_at"])
        }
        Table::Consents => filled("withdrawn_at") && same_but(&["withdrawn_at", "withdrawn_by"]),
        _ => false,
    }
}

/// The laptop's chain the return carries: intact, and holding the head the office
/// recorded at this laptop's last check-in (else the laptop was restored from an older
/// copy of itself). Its identity and head, to record; None for a return from before
/// returns carried the chain.
async fn laptop_chain(
    conn: &mut Conn,
    r: &resettle_bundle::Return,
) -> Result<Option<(String, i64, String)>, StoreError> {
    let Some(audit) = &r.audit else {
        return Ok(None);
    };
    let entries: Vec<_> = audit.entries.iter().map(|e| e.chained()).collect();
    let last = entries.last().map_or(0, |e| e.entry.seq);
    let head = match resettle_domain::audit::verify(&entries, last) {
        resettle_domain::audit::ChainCheck::Intact { head, .. } => head,
        resettle_domain::audit::ChainCheck::Broken { seq, why } => {
            return Err(StoreError::BundleRefused(vec![format!(
                "the laptop's audit log is broken at entry {seq}: {why}"
            )]))
        }
    };
    let recorded: Option<(i64, String)> = sqlx::query_as(
        "SELECT seq, head FROM laptop_heads WHERE laptop_database = $1
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(&audit.database)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((seq, recorded)) = recorded {
        if !resettle_domain::audit::holds_head(&entries, seq, &recorded) {
            return Err(StoreError::LaptopRolledBack {
                database: audit.database.clone(),
                seq,
                entries: entries.len(),
            });
        }
    }
    Ok(Some((audit.database.clone(), last, head)))
}
