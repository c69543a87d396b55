//! The two sides of a check-in conflict, as the queue keeps them (JSON text in
//! `checkin_conflicts.office` and `.laptop`) and as resolving it reads them back: one shape
//! per kind of conflict, so a side is never written in one shape and read in another.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{corrupt, StoreError};
use resettle_bundle::{Record, Table};
use resettle_domain::checkin::{ConflictKind, Needs};
use resettle_domain::CaseStatus;

/// A bundle row or an office row, column by column, as the bundle carries them.
pub(crate) type JsonRow = Map<String, Value>;

/// What each side holds, by kind of conflict.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sides {
    /// The case's status at the office, and the one the field work left it in.
    Status {
        office: CaseStatus,
        laptop: CaseStatus,
    },
    /// One member's needs on each side.
    MedicalNeeds { office: Needs, laptop: Needs },
    /// The office's status and its decisions since the check-out, against the decision
    /// made in the field and the members it accepted (person ids).
    Decision {
        office: OfficeDecisions,
        laptop: FieldDecision,
    },
    /// Consents recorded on both sides since the check-out.
    Consent {
        office: Vec<JsonRow>,
        laptop: Vec<JsonRow>,
    },
    /// One row both sides changed.
    Record { office: Record, laptop: Record },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StatusSide {
    status: CaseStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct OfficeDecisions {
    pub status: CaseStatus,
    pub decisions: Vec<JsonRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FieldDecision {
    pub decision: JsonRow,
    pub accepted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ConsentsSide {
    consents: Vec<JsonRow>,
}

impl Sides {
    pub fn kind(&self) -> ConflictKind {
        match self {
            Sides::Status { .. } => ConflictKind::Status,
            Sides::MedicalNeeds { .. } => ConflictKind::MedicalNeeds,
            Sides::Decision { .. } => ConflictKind::Decision,
            Sides::Consent { .. } => ConflictKind::Consent,
            Sides::Record { .. } => ConflictKind::Record,
        }
    }

    /// The office's and the laptop's side as the columns keep them. Written through
    /// `Value`, whose keys are sorted, so the same side is always the same text (a
    /// check-in compares it to find a conflict an earlier return already raised).
    pub fn to_json(&self) -> (String, String) {
        fn text(side: impl Serialize) -> String {
            serde_json::to_value(side)
                .expect("a conflict side is plain data")
                .to_string()
        }
        match self {
            Sides::Status { office, laptop } => (
                text(StatusSide { status: *office }),
                text(StatusSide { status: *laptop }),
            ),
            Sides::MedicalNeeds { office, laptop } => (text(office), text(laptop)),
            Sides::Decision { office, laptop } => (text(office), text(laptop)),
            Sides::Consent { office, laptop } => (
                text(ConsentsSide {
                    consents: office.clone(),
                }),
                text(ConsentsSide {
                    consents: laptop.clone(),
                }),
            ),
            Sides::Record { office, laptop } => (text(office), text(laptop)),
        }
    }

    /// Reads back what `to_json` wrote for a conflict of `kind`.
    pub fn from_json(kind: ConflictKind, office: &str, laptop: &str) -> Result<Self, StoreError> {
        fn read<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
            serde_json::from_str(text).map_err(corrupt)
        }
        Ok(match kind {
            ConflictKind::Status => Sides::Status {
                office: read::<StatusSide>(office)?.status,
                laptop: read::<StatusSide>(laptop)?.status,
            },
            ConflictKind::MedicalNeeds => Sides::MedicalNeeds {
                office: read(office)?,
                laptop: read(laptop)?,
            },
            ConflictKind::Decision => Sides::Decision {
                office: read(office)?,
                laptop: read(laptop)?,
            },
            ConflictKind::Consent => Sides::Consent {
                office: read::<ConsentsSide>(office)?.consents,
                laptop: read::<ConsentsSide>(laptop)?.consents,
            },
            ConflictKind::Record => Sides::Record {
                office: read(office)?,
                laptop: read(laptop)?,
            },
        })
    }
}

/// Whether a row can no longer be changed (the schema's triggers keep it so): a decided
/// screening flag, a withdrawn consent, a score or a decision. A conflict over such a row
/// at the office is resolved only by keeping the office's side.
pub(crate) fn is_final(record: &Record) -> bool {
    let filled = |column: &str| record.row.get(column).is_some_and(|v| !v.is_null());
    match record.table {
        Table::ScreeningFlags => filled("resolution"),
        Table::Consents => filled("withdrawn_at"),
        Table::Scores | Table::Decisions | Table::DecisionMembers => true,
        Table::Interviews | Table::Declarations | Table::OrientationAttendance => false,
    }
}

/// Rows of `table` as bundle records.
pub(crate) fn records(table: Table, rows: &[JsonRow]) -> Vec<Record> {
    rows.iter()
        .map(|row| Record {
            table,
            row: row.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> JsonRow {
        v.as_object().unwrap().clone()
    }

    /// Each kind is read back as it was written, and in the text the queue kept before
    /// the sides were typed (the `json!` literals the check-in used to write).
    #[test]
    fn every_kind_is_read_back_as_written_and_as_the_queue_wrote_it_before() {
        let consent = row(json!({"id": "c1", "released": "[\"identity\"]", "withdrawn_at": null}));
        let cases = [
            (
                Sides::Status {
                    office: CaseStatus::Accepted,
                    laptop: CaseStatus::Interviewed,
                },
                json!({"status": "accepted"}),
                json!({"status": "interviewed"}),
            ),
            (
                Sides::MedicalNeeds {
                    office: Needs {
                        special_needs: None,
                        tom_patient: false,
                    },
                    laptop: Needs {
                        special_needs: Some("wheelchair".into()),
                        tom_patient: true,
                    },
                },
                json!({"special_needs": null, "tom_patient": false}),
                json!({"special_needs": "wheelchair", "tom_patient": true}),
            ),
            (
                Sides::Decision {
                    office: OfficeDecisions {
                        status: CaseStatus::Examined,
                        decisions: vec![row(json!({"id": "d0", "verdict": "defer"}))],
                    },
                    laptop: FieldDecision {
                        decision: row(json!({"id": "d1", "verdict": "accept"})),
                        accepted: vec!["p1".into()],
                    },
                },
                json!({"status": "examined", "decisions": [{"id": "d0", "verdict": "defer"}]}),
                json!({"decision": {"id": "d1", "verdict": "accept"}, "accepted": ["p1"]}),
            ),
            (
                Sides::Consent {
                    office: vec![consent.clone()],
                    laptop: vec![],
                },
                json!({"consents": [consent.clone()]}),
                json!({"consents": []}),
            ),
            (
                Sides::Record {
                    office: Record {
                        table: Table::Interviews,
                        row: row(json!({"id": "i1", "notes": "office"})),
                    },
                    laptop: Record {
                        table: Table::Interviews,
                        row: row(json!({"id": "i1", "notes": "laptop"})),
                    },
                },
                json!({"table": "interviews", "row": {"id": "i1", "notes": "office"}}),
                json!({"table": "interviews", "row": {"id": "i1", "notes": "laptop"}}),
            ),
        ];
        for (sides, office, laptop) in cases {
            let (o, l) = sides.to_json();
            assert_eq!(
                (o.as_str(), l.as_str()),
                (office.to_string().as_str(), laptop.to_string().as_str())
            );
            assert_eq!(Sides::from_json(sides.kind(), &o, &l).unwrap(), sides);
        }
        assert!(Sides::from_json(ConflictKind::Status, "{}", "{}").is_err());
    }
}
