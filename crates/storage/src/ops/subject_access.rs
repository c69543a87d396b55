//! What the agency holds about a household or one of its members, gathered for their
//! access report (GDPR Art. 15): the dossier's parts, the placements, the member's own
//! confidential information when the reader holds the grant, and the audit log's entries
//! of documents made with the case's data and of reads of its sensitive fields. The rules
//! of what the report leaves out are the domain's (`subject_access`); saving the report,
//! and its audit entry, are the use case's.

use chrono::NaiveDate;
use sqlx::Row;

use super::columns::int;
use super::privacy::erasures_of;
use super::Backend;
use super::Conn;
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::subject_access::{AccessEvent, AccessReport, Gathered, PlacementRecord};
use resettle_domain::CaseError;
use uuid::Uuid;

impl Backend {
    pub(crate) async fn access_report(
        &self,
        case_no: &str,
        member: Option<u32>,
        today: NaiveDate,
        reader: &str,
    ) -> Result<AccessReport, StoreError> {
        self.authorize(reader, Permission::ReadCases).await?;
        let dossier = self.read_dossier(case_no.trim(), today).await?;
        let household = dossier.household;
        let may_read_confidential = self
            .user(reader.trim())
            .await?
            .is_some_and(|u| u.may(Permission::ReadConfidential));
        // The member's own note, read (and so logged) only for their own report.
        let confidential = match member {
            Some(m) if may_read_confidential && (m as usize) <= household.members.len() => self
                .confidential_notes(&household.unhcr_case_no, Some(m), reader)
                .await?
                .pop(),
            _ => None,
        };
        let mut conn = self.pool.acquire().await?;
        let gathered = Gathered {
            interviews: dossier.interviews,
            score: dossier.score,
            decisions: dossier.decisions,
            consents: dossier.consents,
            placements: placements(&mut conn, household.id).await?,
            confidential,
            reader_may_read_confidential: may_read_confidential,
            documents: documents(&mut conn, household.id).await?,
            reads: reads(&mut conn, household.id, &household.unhcr_case_no).await?,
            erasures: erasures_of(&mut conn, household.id).await?,
            household,
        };
        let case = gathered.household.unhcr_case_no.clone();
        AccessReport::assemble(gathered, member, today).map_err(|e| {
            CaseError::NotAMember {
                case,
                person: format!("member {} (of {})", e.member, e.members),
            }
            .into()
        })
    }
}

async fn placements(conn: &mut Conn, case: Uuid) -> Result<Vec<PlacementRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.year, p.municipality, m.name, p.status
         FROM placements p JOIN municipalities m ON m.code = p.municipality
         WHERE p.case_id = $1 ORDER BY p.year, p.id",
    )
    .bind(case.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PlacementRecord {
                year: int(r, "year")?,
                municipality: int(r, "municipality")?,
                municipality_name: r.try_get("name")?,
                status: r.try_get("status")?,
            })
        })
        .collect()
}

/// The saved documents made with the case's data: their audit entries name the case by
/// its id (`for=case:<id>` for a declaration or referral, `case:<id>` among a pack's).
async fn documents(conn: &mut Conn, case: Uuid) -> Result<Vec<AccessEvent>, StoreError> {
    events(
        conn,
        "SELECT at, actor, action, subject FROM audit_log
         WHERE action LIKE 'document.%' AND subject LIKE $1 ORDER BY seq",
        &format!("%case:{case}%"),
    )
    .await
}

/// The reads of the case's sensitive fields: the dossier's (`<id> kinds`) and the
/// confidential information's (`case <number>: members ...`).
async fn reads(conn: &mut Conn, case: Uuid, case_no: &str) -> Result<Vec<AccessEvent>, StoreError> {
    let mut all = events(
        conn,
        "SELECT at, actor, action, subject FROM audit_log
         WHERE action = 'case.sensitive_read' AND subject LIKE $1 ORDER BY seq",
        &format!("{case} %"),
    )
    .await?;
    all.extend(
        events(
            conn,
            "SELECT at, actor, action, subject FROM audit_log
             WHERE action = 'case.confidential_read' AND subject LIKE $1 ORDER BY seq",
            &format!("case {case_no}:%"),
        )
        .await?,
    );
    all.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(all)
}

async fn events(conn: &mut Conn, sql: &str, pattern: &str) -> Result<Vec<AccessEvent>, StoreError> {
    let rows = sqlx::query(sql).bind(pattern).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(AccessEvent {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
            })
        })
        .collect()
}
