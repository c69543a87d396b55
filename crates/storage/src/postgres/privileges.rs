//! The server's side of `domain::access`: what each app role may do, said again in the
//! server's own terms, so that a login reaching the server with `psql` can do no more
//! than the app would let it. This is the one place that maps permissions to grants.
//!
//! * **Group roles.** Each database has five NOLOGIN roles, named after it:
//!   `<db>_caseworker`, `<db>_quota_manager`, `<db>_administrator` (one per `Role`),
//!   `<db>_export` (the export grant) and `<db>_confidential` (the confidential grant). A
//!   person's login is made a member of the groups their app user holds, by
//!   `resettle_sync_login` (below) in the same transaction as the change to
//!   `users`/`user_roles`; deactivating a user revokes them all. Named after the
//!   database because roles are the whole cluster's: a training database beside the real
//!   one must not share its caseworkers.
//! * **Tables.** Nobody but the owner has anything by default (`REVOKE ALL ... FROM
//!   PUBLIC`, on the database, the schema and every table). Each group then gets, per
//!   permission its role holds, the privileges `table_grants` lists. A table no permission
//!   names for UPDATE or DELETE is append-only for every login but the owner, and no login
//!   but the owner may TRUNCATE, ALTER (e.g. `DISABLE TRIGGER`) or DROP anything, because
//!   those need ownership.
//! * **Reading people.** `ReadCases` reads every table but `confidential_notes`, which
//!   only `<db>_confidential` reads and writes (`ReadConfidential`): a caseworker's login
//!   without the grant is refused by the server itself. The administrator, whose role
//!   reads no case, reads only `EVERYONE_READS`, the few columns the overview counts
//!   (`ADMIN_COLUMNS`) and what an erasure must read (`ErasePersonalData`: case numbers,
//!   statuses, dates, members' dates of birth, and the score cards it strips of their
//!   explanations, which quote an occupation or years of schooling): names, interview
//!   notes, protection needs and every other free text about a person are out of its
//!   reach.
//! * **The bundle secret** (`settings` row `bundle_key`) is hidden by row-level security
//!   from every login whose role does not check missions in (`CheckOutMissions`).
//! * **The export grant** guards no table (a document is made from what its reader may
//!   read); the audit log's trigger refuses to record an export for a login outside
//!   `<db>_export`, and the app writes no document whose export was not recorded.
//! * **The audit log** is written through its trigger (`audit_log_stamp`, migration
//!   20261204000000): the actor is `session_user` and the time the server's clock,
//!   whatever the client sends.
//! * `LoadDemoData` has no grant: on the server, demo data is loaded by the owner only.

use resettle_domain::access::{Permission, Role};
use sqlx::{PgConnection, Row};

use super::settings::{read_setting, write_setting};
use crate::StoreError;

/// Raised into `settings` so that a new mapping is applied once, at the owner's next
/// connection, and not on every connection after it.
pub(super) const VERSION: &str = "2026-12-13.1";
const VERSION_SETTING: &str = "server_privileges";

/// The longest database name whose group roles fit PostgreSQL's 63-byte names.
const MAX_DATABASE_NAME: usize = 49;

/// A group role of the database: one per app role, and one per grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    Role(Role),
    Export,
    Confidential,
}

impl Group {
    pub(super) const ALL: [Group; 5] = [
        Group::Role(Role::Caseworker),
        Group::Role(Role::QuotaManager),
        Group::Role(Role::Administrator),
        Group::Export,
        Group::Confidential,
    ];

    pub(super) fn name(self, database: &str) -> String {
        let suffix = match self {
            Group::Role(role) => role.code(),
            Group::Export => "export",
            Group::Confidential => "confidential",
        };
        format!("{database}_{suffix}")
    }

    fn permissions(self) -> &'static [Permission] {
        match self {
            Group::Role(role) => role.permissions(),
            Group::Export => &[Permission::ExportDocuments],
            Group::Confidential => &[Permission::ReadConfidential],
        }
    }
}

/// What every group reads: enough to open the database (its schema version), to know who
/// may do what (`users`, `user_roles`) and to append to and check the audit log. None of
/// them holds a person's data.
const EVERYONE_READS: &[&str] = &[
    "_sqlx_migrations",
    "municipalities",
    "quota_periods",
    "quota_entries",
    "exceptional_situations",
    "users",
    "user_roles",
    "settings",
    "audit_log",
    "audit_issued",
];

/// The columns the administrator may read of tables about people: the overview's counts.
const ADMIN_COLUMNS: &[(&str, &str)] = &[
    ("cases", "id, priority"),
    ("persons", "id"),
    ("missions", "id"),
];

/// The tables `ReadCases` does not read: what only a grant of its own opens.
const NOT_READ_WITH_CASES: &[&str] = &["confidential_notes"];

/// The privileges a permission needs on the office server, beyond `EVERYONE_READS` and
/// the audit log's INSERT (which every group has). `ReadCases` reads every table but
/// `NOT_READ_WITH_CASES`, listed apart in `apply` since it is "all of them".
pub(super) fn table_grants(
    permission: Permission,
) -> &'static [(&'static str, &'static [&'static str])] {
    use Permission::*;
    match permission {
        // The search index is written as it is read (dossier.rs).
        ReadCases => &[("INSERT, UPDATE, DELETE", &["case_search"])],
        RecordFieldwork => &[
            // A declaration signed again replaces the first (its date and place), and an
            // adult's attendance is a running count: the store writes both with INSERT ...
            // ON CONFLICT DO UPDATE, which PostgreSQL allows only with UPDATE as well.
            (
                "INSERT, UPDATE",
                &[
                    "cases",
                    "persons",
                    "screening_flags",
                    "consents",
                    "declarations",
                    "orientation_attendance",
                ],
            ),
            ("INSERT", &["interviews", "scores", "case_transitions"]),
        ],
        PlanMissions => &[
            ("INSERT, UPDATE", &["missions"]),
            ("INSERT, DELETE", &["mission_team"]),
            ("UPDATE", &["cases"]),
        ],
        EditRubric => &[("INSERT", &["rubric_versions"])],
        ChangeQuotas => &[(
            "INSERT",
            &["quota_periods", "quota_entries", "exceptional_situations"],
        )],
        DecideCases => &[
            (
                "INSERT",
                &[
                    "decisions",
                    "decision_members",
                    "quota_entries",
                    "case_transitions",
                ],
            ),
            ("UPDATE", &["cases", "screening_flags", "checkin_conflicts"]),
        ],
        PlaceHouseholds => &[
            (
                "INSERT, UPDATE, DELETE",
                &[
                    "key_input_sets",
                    "key_inputs",
                    "municipal_quotas",
                    "municipality_capacities",
                    "municipality_profiles",
                    "placement_profiles",
                    // The visitation's inputs (20261211000000_visitation.sql).
                    "job_offers",
                    "municipality_wishes",
                ],
            ),
            ("INSERT, UPDATE", &["placements", "settings"]),
            (
                "INSERT",
                &[
                    "municipal_quota_edits",
                    "placement_transitions",
                    "case_transitions",
                    // Histories and model versions are kept, never changed.
                    "outcome_histories",
                    "placement_models",
                ],
            ),
            ("UPDATE", &["cases"]),
        ],
        // A check-out is recorded; a check-in writes what the mission recorded (the
        // fieldwork tables, which the same role holds through RecordFieldwork) and queues
        // what it cannot take.
        CheckOutMissions => &[
            (
                "INSERT",
                &["mission_bundles", "checkout_households", "laptop_heads"],
            ),
            ("INSERT, UPDATE", &["checkin_conflicts"]),
        ],
        ExportDocuments => &[],
        // A member's note is recorded again by replacing it, and cleared by deleting it.
        ReadConfidential => &[("SELECT, INSERT, UPDATE, DELETE", &["confidential_notes"])],
        ManageUsers => &[
            ("INSERT, UPDATE", &["users"]),
            ("INSERT, DELETE", &["user_roles"]),
        ],
        ManageSettings => &[("INSERT, UPDATE", &["settings"])],
        LoadDemoData => &[],
        // An erasure (ops/privacy.rs) reads the keys, statuses and dates it chooses by and
        // writes the tombstone's columns, no more: the administrator still reads no name
        // or text. On the append-only tables, the triggers let a text change only to the
        // tombstone, and only for a case `erasures` names.
        ErasePersonalData => &[
            ("SELECT, INSERT", &["erasures"]),
            (
                "SELECT (id, unhcr_case_no, status, arrived_on, rowid), UPDATE (rrf_ref)",
                &["cases"],
            ),
            (
                "SELECT (id, case_id, date_of_birth), UPDATE (given_name, family_name, \
                 date_of_birth, languages, occupation, special_needs)",
                &["persons"],
            ),
            ("SELECT (case_id), UPDATE (notes)", &["interviews"]),
            // The card is read to keep its levels and points and drop its explanations.
            ("SELECT (id, case_id, card), UPDATE (card)", &["scores"]),
            (
                "SELECT (case_id, resolution), UPDATE (note, decision_reason)",
                &["screening_flags"],
            ),
            (
                "SELECT (case_id, decided_at), UPDATE (reasons)",
                &["decisions"],
            ),
            (
                "SELECT (case_id, to_status, at), UPDATE (reason)",
                &["case_transitions"],
            ),
            (
                "SELECT (case_id), UPDATE (office, laptop)",
                &["checkin_conflicts"],
            ),
            (
                "SELECT (placement_id), UPDATE (note)",
                &["placement_transitions"],
            ),
            (
                "SELECT (id, case_id, override_reason), UPDATE (override_reason)",
                &["placements"],
            ),
            (
                "SELECT (case_id, override_reason), UPDATE (document, override_reason)",
                &["job_offers"],
            ),
            (
                "SELECT (case_id), DELETE",
                &["placement_profiles", "confidential_notes"],
            ),
            (
                "SELECT (case_id), UPDATE (snapshot)",
                &["checkout_households"],
            ),
            ("SELECT (rowid), UPDATE (terms)", &["case_search"]),
        ],
    }
}

/// The group roles that may read the bundle secret: those whose role checks missions in.
fn secret_readers() -> impl Iterator<Item = Group> {
    Group::ALL
        .into_iter()
        .filter(|g| g.permissions().contains(&Permission::CheckOutMissions))
}

/// Whether the database's group roles exist and the current mapping was applied.
pub(super) async fn current(conn: &mut PgConnection, database: &str) -> Result<bool, StoreError> {
    let names: Vec<String> = Group::ALL.iter().map(|g| g.name(database)).collect();
    let roles: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_roles WHERE rolname = ANY($1)")
        .bind(&names)
        .fetch_one(&mut *conn)
        .await?;
    let applied = read_setting(conn, VERSION_SETTING).await?;
    Ok(roles == names.len() as i64 && applied.as_deref() == Some(VERSION))
}

/// Makes the group roles (if missing) and sets every grant anew, in the caller's
/// transaction, as the database's owner (or a superuser). `can_create_roles` is the
/// login's CREATEROLE (or superuser).
pub(super) async fn apply(
    conn: &mut PgConnection,
    database: &str,
    login: &str,
    can_create_roles: bool,
) -> Result<(), StoreError> {
    if database.len() > MAX_DATABASE_NAME {
        return Err(StoreError::DatabaseNameTooLong(database.to_owned()));
    }
    for group in Group::ALL {
        let name = group.name(database);
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
                .bind(&name)
                .fetch_one(&mut *conn)
                .await?;
        if !exists {
            if !can_create_roles {
                return Err(StoreError::OwnerCannotCreateRoles {
                    login: login.to_owned(),
                });
            }
            exec(conn, &format!("CREATE ROLE {} NOLOGIN", ident(&name))).await?;
        }
    }
    exec(conn, &sync_login_function(database)).await?;
    exec(
        conn,
        "REVOKE ALL ON FUNCTION resettle_sync_login(TEXT) FROM PUBLIC",
    )
    .await?;
    let db = ident(database);
    let groups: Vec<String> = Group::ALL
        .iter()
        .map(|g| ident(&g.name(database)))
        .collect();
    let all = groups.join(", ");
    let tables: Vec<String> =
        sqlx::query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("tablename"))
            .collect::<Result<_, _>>()?;

    // Nothing for anyone but the owner, then what each group's permissions need.
    exec(conn, &format!("REVOKE ALL ON DATABASE {db} FROM PUBLIC")).await?;
    exec(conn, "REVOKE ALL ON SCHEMA public FROM PUBLIC").await?;
    exec(conn, &format!("GRANT CONNECT ON DATABASE {db} TO {all}")).await?;
    exec(conn, &format!("GRANT USAGE ON SCHEMA public TO {all}")).await?;
    exec(
        conn,
        &format!("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {all}"),
    )
    .await?;
    exec(
        conn,
        &format!("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {all}"),
    )
    .await?;
    exec(
        conn,
        &format!("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {all}"),
    )
    .await?;
    exec(
        conn,
        &format!("GRANT SELECT ON {} TO {all}", EVERYONE_READS.join(", ")),
    )
    .await?;
    exec(conn, &format!("GRANT INSERT ON audit_log TO {all}")).await?;
    for group in Group::ALL {
        let to = ident(&group.name(database));
        if group.permissions().contains(&Permission::ReadCases) {
            for table in tables
                .iter()
                .filter(|t| !NOT_READ_WITH_CASES.contains(&t.as_str()))
            {
                exec(conn, &format!("GRANT SELECT ON {} TO {to}", ident(table))).await?;
            }
        }
        if group == Group::Role(Role::Administrator) {
            for (table, columns) in ADMIN_COLUMNS {
                exec(
                    conn,
                    &format!("GRANT SELECT ({columns}) ON {table} TO {to}"),
                )
                .await?;
            }
            exec(
                conn,
                &format!("GRANT EXECUTE ON FUNCTION resettle_sync_login(TEXT) TO {to}"),
            )
            .await?;
        }
        for permission in group.permissions() {
            for (privileges, on) in table_grants(*permission) {
                exec(
                    conn,
                    &format!("GRANT {privileges} ON {} TO {to}", on.join(", ")),
                )
                .await?;
            }
        }
    }

    // The bundle secret: visible only to the groups that check missions in.
    let readers: Vec<String> = secret_readers()
        .map(|g| {
            format!(
                "pg_has_role(session_user, {}, 'MEMBER')",
                literal(&g.name(database))
            )
        })
        .collect();
    exec(conn, "ALTER TABLE settings ENABLE ROW LEVEL SECURITY").await?;
    exec(conn, "DROP POLICY IF EXISTS bundle_secret ON settings").await?;
    exec(
        conn,
        &format!(
            "CREATE POLICY bundle_secret ON settings USING (key <> 'bundle_key' OR {})
             WITH CHECK (TRUE)",
            readers.join(" OR ")
        ),
    )
    .await?;

    write_setting(conn, VERSION_SETTING, VERSION).await
}

/// The function an administrator's login calls to give a person's login the groups their
/// app user holds (and take away the rest): `SECURITY DEFINER`, so it runs with the
/// owner's right to grant roles, narrowed to the database's five groups and to a caller
/// who is an administrator (or the owner). Made by `apply`, since it names the groups.
pub(super) fn sync_login_function(database: &str) -> String {
    let group = |g: Group| literal(&g.name(database));
    let wanted = |g: Group| match g {
        Group::Role(role) => format!(
            "EXISTS (SELECT 1 FROM users u JOIN user_roles r ON r.\"user\" = u.name
                     WHERE u.name = login AND u.active AND r.role = {})",
            literal(role.code())
        ),
        Group::Export => {
            "EXISTS (SELECT 1 FROM users u WHERE u.name = login AND u.active AND u.export)"
                .to_owned()
        }
        Group::Confidential => "EXISTS (SELECT 1 FROM users u
                                        WHERE u.name = login AND u.active AND u.confidential)"
            .to_owned(),
    };
    let steps: Vec<String> = Group::ALL
        .iter()
        .map(|g| {
            format!(
                "grp := {}; wanted := {};
                 direct := EXISTS (SELECT 1 FROM pg_auth_members m
                                   WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = grp)
                                     AND m.member = (SELECT oid FROM pg_roles WHERE rolname = login));
                 IF wanted AND NOT direct THEN EXECUTE format('GRANT %I TO %I', grp, login);
                 ELSIF direct AND NOT wanted THEN EXECUTE format('REVOKE %I FROM %I', grp, login);
                 END IF;",
                group(*g),
                wanted(*g)
            )
        })
        .collect();
    format!(
        "CREATE OR REPLACE FUNCTION resettle_sync_login(login TEXT) RETURNS VOID
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
         DECLARE grp TEXT; wanted BOOLEAN; direct BOOLEAN;
         BEGIN
             IF NOT (pg_has_role(session_user, {admin}, 'MEMBER')
                     OR session_user = (SELECT pg_get_userbyid(datdba) FROM pg_database
                                        WHERE datname = current_database())) THEN
                 RAISE EXCEPTION 'permission denied: only an administrator gives logins their roles'
                     USING ERRCODE = '42501';
             END IF;
             IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login AND rolcanlogin) THEN
                 -- A superuser acts under any name (PgStore), so it may register a user
                 -- whose login is still to come; anyone else names a login that exists.
                 IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
                     RETURN;
                 END IF;
                 RAISE EXCEPTION '%', login USING ERRCODE = '{no_login}';
             END IF;
             {steps}
         END;
         $fn$",
        admin = group(Group::Role(Role::Administrator)),
        no_login = crate::NO_SUCH_LOGIN,
        steps = steps.join("\n"),
    )
}

async fn exec(conn: &mut PgConnection, sql: &str) -> Result<(), StoreError> {
    sqlx::query(sql).execute(&mut *conn).await?;
    Ok(())
}

/// An SQL identifier, quoted (names come from the database's own name or catalogue).
pub(super) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables whose rows, once written, are never changed or removed by anyone but
    /// the owner: no permission may grant UPDATE or DELETE on them.
    const APPEND_ONLY: &[&str] = &[
        "audit_log",
        "audit_issued",
        "quota_entries",
        "exceptional_situations",
        "case_transitions",
        "placement_transitions",
        "decisions",
        "decision_members",
        "municipal_quota_edits",
        "interviews",
        "scores",
        "rubric_versions",
        "mission_bundles",
        "laptop_heads",
    ];

    /// The erasure's one UPDATE of each append-only table, whose trigger lets the text
    /// become the tombstone only.
    const ERASED_TEXTS: &[(&str, &str)] = &[
        (
            "case_transitions",
            "SELECT (case_id, to_status, at), UPDATE (reason)",
        ),
        (
            "placement_transitions",
            "SELECT (placement_id), UPDATE (note)",
        ),
        (
            "decisions",
            "SELECT (case_id, decided_at), UPDATE (reasons)",
        ),
        ("interviews", "SELECT (case_id), UPDATE (notes)"),
        ("scores", "SELECT (id, case_id, card), UPDATE (card)"),
    ];

    #[test]
    fn no_permission_changes_an_append_only_table_but_to_erase_its_text() {
        for permission in Permission::ALL {
            for (privileges, tables) in table_grants(*permission) {
                for table in *tables {
                    if !APPEND_ONLY.contains(table) {
                        continue;
                    }
                    if *permission == Permission::ErasePersonalData {
                        assert!(
                            ERASED_TEXTS.contains(&(table, privileges)),
                            "{permission:?} on {table}: {privileges}"
                        );
                    } else {
                        assert_eq!(*privileges, "INSERT", "{permission:?} on {table}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_caseworker_writes_no_quota_decision_or_user() {
        for permission in Role::Caseworker.permissions() {
            for (_, tables) in table_grants(*permission) {
                for table in ["quota_entries", "decisions", "users", "user_roles"] {
                    assert!(!tables.contains(&table), "{permission:?} writes {table}");
                }
            }
        }
    }

    #[test]
    fn only_the_roles_that_check_missions_in_read_the_bundle_secret() {
        let readers: Vec<Group> = secret_readers().collect();
        assert_eq!(readers, vec![Group::Role(Role::QuotaManager)]);
    }
}
