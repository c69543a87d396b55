//! Who may do what. Three roles (caseworker, quota manager, administrator) and two grants
//! held apart from them, given person by person: exporting documents (a PDF leaves the
//! system with personal data in it) and confidential member information (what one member
//! told the mission to be kept from the rest of the household). The store checks these
//! inside each write's transaction, so the app's hidden buttons are a convenience, never
//! the protection.

use std::collections::BTreeSet;

code_enum! {
    /// A user's role. A user may hold several (a small office's quota manager is often
    /// its administrator too).
    Role {
        Caseworker => "caseworker",
        QuotaManager => "quota_manager",
        Administrator => "administrator",
    }
}

code_enum! {
    /// One kind of operation the store guards.
    Permission {
        ReadCases => "read_cases",
        RecordFieldwork => "record_fieldwork",
        PlanMissions => "plan_missions",
        EditRubric => "edit_rubric",
        ChangeQuotas => "change_quotas",
        DecideCases => "decide_cases",
        PlaceHouseholds => "place_households",
        CheckOutMissions => "check_out_missions",
        ExportDocuments => "export_documents",
        ManageUsers => "manage_users",
        ManageSettings => "manage_settings",
        LoadDemoData => "load_demo_data",
        ErasePersonalData => "erase_personal_data",
        ReadConfidential => "read_confidential",
    }
}

impl Role {
    /// What the role allows. Reading and recording the fieldwork of a case is shared by
    /// the office and the mission; what binds the programme (the quota, decisions,
    /// placements, the rubric) is the quota manager's; the administrator manages who may
    /// work and how the database behaves, and reads no case.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Caseworker => &[ReadCases, RecordFieldwork, PlanMissions],
            Role::QuotaManager => &[
                ReadCases,
                RecordFieldwork,
                PlanMissions,
                EditRubric,
                ChangeQuotas,
                DecideCases,
                PlaceHouseholds,
                CheckOutMissions,
            ],
            // Erasing reads no case: it replaces a closed case's personal data by its
            // tombstone, on the person's request or the retention schedule's.
            Role::Administrator => &[ManageUsers, ManageSettings, LoadDemoData, ErasePersonalData],
        }
    }

    /// The role that grants `permission` in the refusal's words (the two grants are no
    /// role's).
    pub fn granting(permission: Permission) -> Option<Role> {
        [Role::QuotaManager, Role::Caseworker, Role::Administrator]
            .into_iter()
            .find(|r| r.permissions().contains(&permission))
    }
}

/// A user of the database: the name the operating system logs them in under.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct User {
    pub name: String,
    pub roles: BTreeSet<Role>,
    /// May save documents (declarations, referral forms, packs, reports) to files.
    pub export: bool,
    /// May read and record members' confidential information.
    pub confidential: bool,
    /// A user who left keeps their name in the records but may do nothing.
    pub active: bool,
}

impl User {
    pub fn may(&self, permission: Permission) -> bool {
        self.active
            && if permission == Permission::ExportDocuments {
                self.export
            } else if permission == Permission::ReadConfidential {
                self.confidential
            } else {
                self.roles
                    .iter()
                    .any(|r| r.permissions().contains(&permission))
            }
    }

    pub fn is_administrator(&self) -> bool {
        self.active && self.roles.contains(&Role::Administrator)
    }
}

/// The longest user name: an operating system login, not a sentence.
pub const MAX_USER_NAME: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error(
        "{actor} is not a user of this database; an administrator adds users (resettle user add)"
    )]
    UnknownUser { actor: String },
    #[error("{actor}'s account is deactivated")]
    InactiveUser { actor: String },
    #[error("{actor} may not {}: that needs {}", describe(*.permission), needs(*.permission))]
    Forbidden {
        actor: String,
        permission: Permission,
    },
    #[error("this database has no users yet: run `resettle init` to register yourself as its first administrator")]
    NoUsers,
    #[error("{0:?} is not a user name: 1 to 64 characters, no spaces or control characters")]
    BadUserName(String),
    #[error("{0} is already a user")]
    UserExists(String),
    #[error("there is no user {0}")]
    NoSuchUser(String),
    #[error("{0} is the last active administrator; make someone else an administrator first")]
    LastAdministrator(String),
}

crate::refusal_table! {
    impl AccessError {
        Self::UnknownUser { actor } => "unknown_user" [actor],
        Self::InactiveUser { actor } => "inactive_user" [actor],
        Self::Forbidden { actor, permission } => "forbidden" [
            actor,
            permission = permission.code(),
            role = needed(*permission),
        ],
        Self::NoUsers => "no_users",
        // The user being added or changed.
        Self::BadUserName(user) => "bad_user_name" in "user" [user],
        Self::UserExists(user) => "user_exists" in "user" [user],
        Self::NoSuchUser(user) => "no_such_user" in "user" [user],
        Self::LastAdministrator(user) => "last_administrator" in "user" [user],
    }
}

fn describe(p: Permission) -> &'static str {
    match p {
        Permission::ReadCases => "read cases",
        Permission::RecordFieldwork => "record interviews, scores, screening or consents",
        Permission::PlanMissions => "plan missions",
        Permission::EditRubric => "change the rubric",
        Permission::ChangeQuotas => "change the quota's allocations",
        Permission::DecideCases => "decide cases",
        Permission::PlaceHouseholds => "place households in municipalities",
        Permission::CheckOutMissions => "check missions out to field laptops",
        Permission::ExportDocuments => "export documents",
        Permission::ManageUsers => "manage users",
        Permission::ManageSettings => "change the database's settings",
        Permission::LoadDemoData => "load demo data",
        Permission::ErasePersonalData => "erase personal data",
        Permission::ReadConfidential => "read or record confidential member information",
    }
}

fn needs(p: Permission) -> &'static str {
    match needed(p) {
        "quota_manager" => "the quota manager role",
        "caseworker" => "the caseworker role",
        "administrator" => "the administrator role",
        "confidential" => "the confidential information permission",
        _ => "the export permission",
    }
}

/// What grants `p`, as the refusal's `role` value: a role's code, or the grant's name.
fn needed(p: Permission) -> &'static str {
    match (Role::granting(p), p) {
        (Some(role), _) => role.code(),
        (None, Permission::ReadConfidential) => "confidential",
        (None, _) => "export",
    }
}

/// Checks that `user` (None when the name is not registered) may do `permission`.
pub fn authorize(
    actor: &str,
    user: Option<&User>,
    permission: Permission,
) -> Result<(), AccessError> {
    let actor = actor.to_owned();
    match user {
        None => Err(AccessError::UnknownUser { actor }),
        Some(u) if !u.active => Err(AccessError::InactiveUser { actor }),
        Some(u) if u.may(permission) => Ok(()),
        Some(_) => Err(AccessError::Forbidden { actor, permission }),
    }
}

/// A user name as given: trimmed, 1–64 characters, no whitespace or control characters
/// inside (it is an operating system login).
pub fn check_user_name(name: &str) -> Result<String, AccessError> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_USER_NAME
        && !name.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(name.to_owned())
    } else {
        Err(AccessError::BadUserName(name.to_owned()))
    }
}

/// Refuses a change to the users that would leave nobody able to manage them.
pub fn check_administrators_remain(users: &[User], changed: &User) -> Result<(), AccessError> {
    let remaining = users
        .iter()
        .map(|u| if u.name == changed.name { changed } else { u })
        .filter(|u| u.is_administrator())
        .count();
    if remaining == 0 {
        Err(AccessError::LastAdministrator(changed.name.clone()))
    } else {
        Ok(())
    }
}

/// The first user of a new database: every role and the export grant, so that someone can
/// set it up; they hand roles to others and may then give up their own. Not the
/// confidential grant: who reads what a member asked to keep from their family is chosen
/// person by person, and the choice is in the audit log.
pub fn founder(name: &str) -> Result<User, AccessError> {
    Ok(User {
        name: check_user_name(name)?,
        roles: Role::ALL.iter().copied().collect(),
        export: true,
        confidential: false,
        active: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role], export: bool) -> User {
        User {
            name: "u".into(),
            roles: roles.iter().copied().collect(),
            export,
            confidential: false,
            active: true,
        }
    }

    #[test]
    fn only_a_quota_manager_changes_the_quota_decides_and_places() {
        for p in [
            Permission::ChangeQuotas,
            Permission::DecideCases,
            Permission::PlaceHouseholds,
            Permission::EditRubric,
        ] {
            assert!(user(&[Role::QuotaManager], false).may(p));
            assert!(!user(&[Role::Caseworker], true).may(p));
            assert!(!user(&[Role::Administrator], true).may(p));
        }
    }

    #[test]
    fn export_is_a_grant_of_its_own() {
        for role in Role::ALL {
            assert!(!user(&[*role], false).may(Permission::ExportDocuments));
            assert!(user(&[*role], true).may(Permission::ExportDocuments));
        }
        assert_eq!(Role::granting(Permission::ExportDocuments), None);
    }

    #[test]
    fn confidential_information_is_a_grant_of_its_own() {
        for role in Role::ALL {
            let mut u = user(&[*role], true);
            assert!(!u.may(Permission::ReadConfidential));
            u.confidential = true;
            assert!(u.may(Permission::ReadConfidential));
        }
        assert!(!founder("ane").unwrap().may(Permission::ReadConfidential));
        let refusal = authorize(
            "kim",
            Some(&user(&[Role::Caseworker], false)),
            Permission::ReadConfidential,
        )
        .unwrap_err();
        assert!(refusal
            .params()
            .contains(&("role", "confidential".to_owned())));
        assert!(refusal
            .to_string()
            .contains("confidential information permission"));
    }

    #[test]
    fn an_administrator_manages_users_and_reads_no_case() {
        let admin = user(&[Role::Administrator], false);
        assert!(admin.may(Permission::ManageUsers));
        assert!(!admin.may(Permission::ReadCases));
        assert!(!user(&[Role::QuotaManager], true).may(Permission::ManageUsers));
    }

    #[test]
    fn a_deactivated_user_may_do_nothing() {
        let mut u = founder("ane").unwrap();
        u.active = false;
        for p in Permission::ALL {
            assert!(!u.may(*p));
        }
        assert_eq!(
            authorize("ane", Some(&u), Permission::ReadCases)
                .unwrap_err()
                .code(),
            "inactive_user"
        );
        assert_eq!(
            authorize("bo", None, Permission::ReadCases)
                .unwrap_err()
                .code(),
            "unknown_user"
        );
    }

    #[test]
    fn refusals_say_which_role_is_needed() {
        let e = authorize(
            "kim",
            Some(&user(&[Role::Caseworker], false)),
            Permission::DecideCases,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "kim may not decide cases: that needs the quota manager role"
        );
        assert!(e.params().contains(&("role", "quota_manager".to_owned())));
    }

    #[test]
    fn user_names_are_logins() {
        assert_eq!(check_user_name(" kim ").unwrap(), "kim");
        for bad in ["", "  ", "kim jensen", "a\u{7}b", &"x".repeat(65)] {
            assert!(check_user_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_last_administrator_stays() {
        let a = User {
            name: "a".into(),
            ..founder("a").unwrap()
        };
        let b = User {
            name: "b".into(),
            ..user(&[Role::Caseworker], false)
        };
        let users = vec![a.clone(), b.clone()];
        let demoted = User {
            roles: [Role::QuotaManager].into(),
            ..a.clone()
        };
        assert!(check_administrators_remain(&users, &demoted).is_err());
        let gone = User {
            active: false,
            ..a.clone()
        };
        assert!(check_administrators_remain(&users, &gone).is_err());
        let promoted = User {
            roles: [Role::Administrator].into(),
            ..b
        };
        let users = vec![a.clone(), promoted];
        assert!(check_administrators_remain(&users, &demoted).is_ok());
    }
}
