//! The return bundle: what a field laptop sends back to the office for one check-out —
//! each household of the mission as the laptop holds it now, with the field work recorded
//! on it (interviews, scores, screening flags, decisions, declarations, attendance,
//! consents). Encrypted with age to the office's key named in the check-out; it carries
//! the check-out's return token, which only the laptop that opened the check-out knows.
//!
//! Field work travels as rows of a fixed set of tables, column for column, under the IDs
//! the laptop gave them: the office inserts what it lacks, so a return checked in twice
//! finds everything present. The reader checks that every row has exactly its table's
//! columns and belongs to the household it travels with, so a return cannot write into
//! another case. Bytes in, bytes out: no I/O here.

use std::collections::HashSet;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{decrypt, encrypt, read_head, BundleError, BundleKey};
use resettle_domain::Household;

pub const RETURN_FORMAT: &str = "resettle-return-bundle";
pub const RETURN_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Return {
    pub format: String,
    pub version: u32,
    pub id: Uuid,
    /// The check-out this returns.
    pub checkout: Uuid,
    /// The check-out's return token, as the laptop received it.
    pub token: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub mission: Uuid,
    pub households: Vec<Returned>,
    /// The laptop's audit log as it stood when the return was made, so that the office
    /// can tell a laptop restored from an older copy of itself (its log no longer holds
    /// the head the office recorded at the last check-in). The log holds IDs, hashes and
    /// logins, no personal data. Absent from returns made before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<LaptopAudit>,
}

/// A laptop database's identity and its audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaptopAudit {
    pub database: String,
    pub entries: Vec<AuditRow>,
}

/// One audit entry with its links, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl AuditRow {
    pub fn chained(&self) -> resettle_domain::audit::ChainedEntry {
        resettle_domain::audit::ChainedEntry {
            entry: resettle_domain::audit::AuditEntry {
                seq: self.seq,
                at: self.at.clone(),
                actor: self.actor.clone(),
                action: self.action.clone(),
                subject: self.subject.clone(),
            },
            prev_hash: self.prev_hash.clone(),
            hash: self.hash.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Returned {
    pub household: Household,
    pub records: Vec<Record>,
}

/// One row of field work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub table: Table,
    pub row: Map<String, Value>,
}

/// The tables whose rows travel back, and how each row is tied to its household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Interviews,
    Scores,
    ScreeningFlags,
    Decisions,
    DecisionMembers,
    Declarations,
    OrientationAttendance,
    Consents,
}

/// What ties a row to its household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Case,
    Person,
    Decision,
}

impl Table {
    pub const ALL: [Table; 8] = [
        Table::Interviews,
        Table::Scores,
        Table::ScreeningFlags,
        // Decisions before their members: the members' rows refer to them.
        Table::Decisions,
        Table::DecisionMembers,
        Table::Declarations,
        Table::OrientationAttendance,
        Table::Consents,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Interviews => "interviews",
            Table::Scores => "scores",
            Table::ScreeningFlags => "screening_flags",
            Table::Decisions => "decisions",
            Table::DecisionMembers => "decision_members",
            Table::Declarations => "declarations",
            Table::OrientationAttendance => "orientation_attendance",
            Table::Consents => "consents",
        }
    }

    /// Every column, as in the schema.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Interviews => &[
                "id",
                "case_id",
                "held_on",
                "interviewer",
                "notes",
                "assessments",
                "recorded_at",
            ],
            Table::Scores => &[
                "id",
                "case_id",
                "rubric_version",
                "scored_at",
                "scored_by",
                "assessment",
                "total",
                "max",
                "card",
            ],
            Table::ScreeningFlags => &[
                "id",
                "case_id",
                "ground",
                "raised_by",
                "raised_at",
                "note",
                "resolution",
                "decided_by",
                "decision_reason",
                "decided_at",
            ],
            Table::Decisions => &[
                "id",
                "case_id",
                "verdict",
                "decided_by",
                "reasons",
                "decided_at",
            ],
            Table::DecisionMembers => &["decision_id", "person_id"],
            Table::Declarations => &[
                "person_id",
                "signed_on",
                "place",
                "recorded_by",
                "recorded_at",
            ],
            Table::OrientationAttendance => &[
                "person_id",
                "society_lessons",
                "danish_lessons",
                "recorded_by",
                "recorded_at",
            ],
            Table::Consents => &[
                "id",
                "case_id",
                "released",
                "language",
                "recorded_by",
                "recorded_at",
                "withdrawn_at",
                "withdrawn_by",
            ],
        }
    }

    /// The primary key's columns.
    pub fn key(self) -> &'static [&'static str] {
        match self {
            Table::DecisionMembers => &["decision_id", "person_id"],
            Table::Declarations | Table::OrientationAttendance => &["person_id"],
            _ => &["id"],
        }
    }

    pub fn owner(self) -> Owner {
        match self {
            Table::DecisionMembers => Owner::Decision,
            Table::Declarations | Table::OrientationAttendance => Owner::Person,
            _ => Owner::Case,
        }
    }
}

impl Record {
    pub fn text(&self, column: &str) -> Option<&str> {
        self.row.get(column).and_then(Value::as_str)
    }

    /// The row's key, as one string: `decision_id/person_id` for two columns.
    pub fn key(&self) -> String {
        self.table
            .key()
            .iter()
            .map(|c| self.text(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Encrypts the return to the office's key (the check-out's `return_to`).
pub fn seal_return(ret: &Return, recipient: &str) -> Result<Vec<u8>, BundleError> {
    check_return(ret)?;
    encrypt(
        &serde_json::to_vec(ret).expect("a return serialises"),
        recipient,
    )
}

/// Decrypts and reads a return with this database's key.
pub fn open_return(bytes: &[u8], key: &BundleKey) -> Result<Return, BundleError> {
    parse_return(&decrypt(bytes, key)?)
}

/// Reads a decrypted return: JSON of the current format, whole and consistent.
pub fn parse_return(plain: &[u8]) -> Result<Return, BundleError> {
    read_head(plain, RETURN_FORMAT, RETURN_VERSION)?;
    let ret: Return =
        serde_json::from_slice(plain).map_err(|e| BundleError::NotABundle(e.to_string()))?;
    check_return(&ret)?;
    Ok(ret)
}

fn check_return(r: &Return) -> Result<(), BundleError> {
    let bad = |why: String| Err(BundleError::Inconsistent(why));
    if r.token.len() < 32 {
        return bad("the return token is missing".into());
    }
    let mut ids = HashSet::new();
    let mut keys = HashSet::new();
    for Returned {
        household: h,
        records,
    } in &r.households
    {
        let case = &h.unhcr_case_no;
        if h.mission_id != Some(r.mission) {
            return bad(format!("case {case} is not in the mission"));
        }
        if !ids.insert(h.id) {
            return bad(format!("case {case} appears twice"));
        }
        let case_id = h.id.to_string();
        let persons: HashSet<String> = h.members.iter().map(|p| p.id.to_string()).collect();
        let decisions: HashSet<&str> = records
            .iter()
            .filter(|x| x.table == Table::Decisions)
            .filter_map(|x| x.text("id"))
            .collect();
        for x in records {
            let columns = x.table.columns();
            if x.row.len() != columns.len() || columns.iter().any(|c| !x.row.contains_key(*c)) {
                return bad(format!(
                    "a {} row of case {case} does not have the table's columns",
                    x.table.name()
                ));
            }
            if x.row
                .values()
                .any(|v| !(v.is_string() || v.is_i64() || v.is_null()))
            {
                return bad(format!(
                    "a {} row of case {case} holds a value that is not text, a whole number or empty",
                    x.table.name()
                ));
            }
            let owned = match x.table.owner() {
                Owner::Case => x.text("case_id") == Some(case_id.as_str()),
                Owner::Person => x.text("person_id").is_some_and(|p| persons.contains(p)),
                Owner::Decision => {
                    x.text("decision_id").is_some_and(|d| decisions.contains(d))
                        && x.text("person_id").is_some_and(|p| persons.contains(p))
                }
            };
            if !owned {
                return bad(format!(
                    "a {} row travels with case {case} but belongs to another",
                    x.table.name()
                ));
            }
            if x.table.key().iter().any(|c| x.text(c).is_none()) {
                return bad(format!("a {} row has no key", x.table.name()));
            }
            if !keys.insert((x.table, x.key())) {
                return bad(format!("a {} row appears twice", x.table.name()));
            }
        }
    }
    Ok(())
}

/// A row as both backends would write it, for telling whether two copies of a row hold
/// the same: SQLite keeps a flag as 0 or 1 where PostgreSQL has a boolean, and a time
/// as the text it was given (to the nanosecond) where PostgreSQL keeps microseconds in
/// its own notation. Flags become 0 or 1, times UTC to the nearest microsecond, whole floats
/// integers. Only for comparing: what is stored is the row as it came.
pub fn canonical_row(row: &Map<String, Value>) -> Map<String, Value> {
    row.iter()
        .map(|(k, v)| (k.clone(), canonical_value(v)))
        .collect()
}

fn canonical_value(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::from(i64::from(*b)),
        Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Value::from(f as i64)
            }
            _ => v.clone(),
        },
        Value::String(text) => match DateTime::parse_from_rfc3339(text) {
            // PostgreSQL rounds a time to the nearest microsecond, as round_subsecs does.
            Ok(at) => Value::from(
                at.with_timezone(&Utc)
                    .round_subsecs(6)
                    .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                    .to_string(),
            ),
            Err(_) => v.clone(),
        },
        _ => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use resettle_demo as demo;
    use serde_json::json;

    fn ret() -> Return {
        let data = demo::generate(3);
        let mission = data.missions[0].id;
        let households: Vec<Returned> = data
            .households
            .into_iter()
            .filter(|h| h.mission_id == Some(mission))
            .map(|h| {
                let consent = json!({
                    "id": Uuid::new_v4().to_string(), "case_id": h.id.to_string(),
                    "released": "[\"special_needs\"]", "language": "ar",
                    "recorded_by": "kim", "recorded_at": "2026-12-01T10:00:00Z",
                    "withdrawn_at": null, "withdrawn_by": null,
                });
                let declaration = json!({
                    "person_id": h.members[0].id.to_string(), "signed_on": "2026-12-01",
                    "place": "Kampala", "recorded_by": "kim",
                    "recorded_at": "2026-12-01T10:00:00Z",
                });
                let records = [
                    (Table::Consents, consent),
                    (Table::Declarations, declaration),
                ]
                .into_iter()
                .map(|(table, row)| Record {
                    table,
                    row: row.as_object().unwrap().clone(),
                })
                .collect();
                Returned {
                    household: h,
                    records,
                }
            })
            .collect();
        assert!(!households.is_empty());
        Return {
            format: RETURN_FORMAT.into(),
            version: RETURN_VERSION,
            id: Uuid::new_v4(),
            checkout: Uuid::new_v4(),
            token: "ab".repeat(32),
            created_at: Utc::now(),
            created_by: "kim".into(),
            mission,
            households,
            audit: None,
        }
    }

    #[test]
    fn the_fuzz_seed_and_its_mutations_are_read_without_panicking() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
        let seed = std::fs::read(root.join("seeds/return/return.json")).unwrap();
        assert!(parse_return(&seed).is_ok(), "the seed is a valid return");
        if let Ok(entries) = std::fs::read_dir(root.join("regressions/return")) {
            for entry in entries {
                let _ = parse_return(&std::fs::read(entry.unwrap().path()).unwrap());
            }
        }
        super::super::tests::read_mutations(&seed, |bytes| {
            let _ = parse_return(bytes);
        });
    }

    #[test]
    fn a_return_is_read_back_only_by_the_office() {
        let office = BundleKey::generate();
        let laptop = BundleKey::generate();
        let r = ret();
        let sealed = seal_return(&r, &office.recipient()).unwrap();
        assert_eq!(open_return(&sealed, &office).unwrap(), r);
        // A laptop cannot read back what it sent.
        assert_eq!(
            open_return(&sealed, &laptop),
            Err(BundleError::NotForThisDatabase)
        );
        // A check-out's reader does not take a return for a check-out.
        let plain = serde_json::to_vec(&r).unwrap();
        assert_eq!(
            super::super::parse(&plain).unwrap_err().code(),
            "not_a_bundle"
        );
    }

    #[test]
    fn rows_that_do_not_belong_to_their_household_are_refused() {
        let good = ret();
        let refused = |r: &Return| {
            parse_return(&serde_json::to_vec(r).unwrap())
                .unwrap_err()
                .code()
        };
        // A consent of another case travelling with this one.
        let mut other = good.clone();
        let foreign = other.households[1].household.id.to_string();
        other.households[0].records[0]
            .row
            .insert("case_id".into(), foreign.into());
        assert_eq!(refused(&other), "bundle_inconsistent");
        // A declaration of a person not in the household.
        let mut stranger = good.clone();
        stranger.households[0].records[1]
            .row
            .insert("person_id".into(), Uuid::new_v4().to_string().into());
        assert_eq!(refused(&stranger), "bundle_inconsistent");
        // A column the table does not have, or one missing.
        let mut extra = good.clone();
        extra.households[0].records[0]
            .row
            .insert("status".into(), "accepted".into());
        assert_eq!(refused(&extra), "bundle_inconsistent");
        let mut missing = good.clone();
        missing.households[0].records[0].row.remove("language");
        assert_eq!(refused(&missing), "bundle_inconsistent");
        // A value of another kind than the schema's.
        let mut nested = good.clone();
        nested.households[0].records[0]
            .row
            .insert("released".into(), json!(["special_needs"]));
        assert_eq!(refused(&nested), "bundle_inconsistent");
        // The same row twice, and no token.
        let mut twice = good.clone();
        let row = twice.households[0].records[0].clone();
        twice.households[0].records.push(row);
        assert_eq!(refused(&twice), "bundle_inconsistent");
        let mut tokenless = good.clone();
        tokenless.token.clear();
        assert_eq!(refused(&tokenless), "bundle_inconsistent");
        assert!(parse_return(&serde_json::to_vec(&good).unwrap()).is_ok());
    }

    #[test]
    fn a_row_from_either_backend_reads_the_same() {
        let sqlite = serde_json::json!({
            "id": "c1", "tom_patient": 1, "total": 7,
            "recorded_at": "2026-12-02T02:51:06.123456789+00:00", "on": "2026-12-01",
            "notes": "left at 10:00"
        });
        let postgres = serde_json::json!({
            "id": "c1", "tom_patient": true, "total": 7.0,
            "recorded_at": "2026-12-02T03:51:06.123457+01:00", "on": "2026-12-01",
            "notes": "left at 10:00"
        });
        let (a, b) = (sqlite.as_object().unwrap(), postgres.as_object().unwrap());
        assert_ne!(a, b);
        assert_eq!(canonical_row(a), canonical_row(b));
        let mut later = b.clone();
        later.insert("recorded_at".into(), "2026-12-02T02:51:06.123456Z".into());
        assert_ne!(
            canonical_row(a),
            canonical_row(&later),
            "a microsecond apart"
        );
        later.insert("recorded_at".into(), "2026-12-02T02:51:06.123457Z".into());
        later.insert("tom_patient".into(), false.into());
        assert_ne!(canonical_row(a), canonical_row(&later), "a flag apart");
    }
}
