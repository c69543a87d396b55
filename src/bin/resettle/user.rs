//! `resettle user ...`: who may use the database and in which roles (an administrator's
//! work; `whoami` and `list` are open to every user).

use std::collections::BTreeSet;

use clap::Subcommand;
use resettle::domain::access::{Role, User};
use resettle::session::Session;
use resettle::storage::{Store, StoreError};
use serde_json::json;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Who you are to this database: your login, roles and whether you may export.
    Whoami,
    /// Every user, with roles, grants and whether active.
    List,
    /// Add a user by their operating system login.
    Add {
        /// The login, as the operating system names the user.
        name: String,
        /// A role: caseworker, quota_manager or administrator (repeat for several).
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// May save documents (declarations, referral forms, packs) to files.
        #[arg(long)]
        export: bool,
        /// May read and record members' confidential information.
        #[arg(long)]
        confidential: bool,
    },
    /// Change a user's roles or grants, or deactivate them (users are never deleted).
    Set {
        name: String,
        /// The user's roles from now on, replacing the ones they had (repeat for several).
        #[arg(long = "role")]
        roles: Vec<Role>,
        /// Grant the export permission.
        #[arg(long, conflicts_with = "no_export")]
        export: bool,
        /// Take the export permission away.
        #[arg(long)]
        no_export: bool,
        /// Grant reading and recording members' confidential information.
        #[arg(long, conflicts_with = "no_confidential")]
        confidential: bool,
        /// Take the confidential information grant away.
        #[arg(long)]
        no_confidential: bool,
        /// Deactivate: the user may do nothing, their name stays in the records.
        #[arg(long, conflicts_with = "activate")]
        deactivate: bool,
        /// Make a deactivated user active again.
        #[arg(long)]
        activate: bool,
    },
}

fn print_authenticated(me: &str, by: &str) {
    if by == "server" {
        println!("Connected as {me}: the server's login.");
    } else if by == "key_slot" {
        println!("Unlocked as {me}: your key slot's passphrase opened this database.");
    } else {
        println!("Working as {me}: the operating system's login (a file knows no logins).");
    }
}

pub async fn run(
    store: &Store,
    session: &Session,
    command: UserCommand,
    json: bool,
) -> anyhow::Result<()> {
    let me = session.actor().to_owned();
    match command {
        UserCommand::Whoami => {
            // Said first, since it is what a server login proves and a file cannot.
            let by = match store {
                _ if store.login().is_none() => "operating_system",
                Store::Sqlite(_) => "key_slot",
                Store::Postgres(_) => "server",
            };
            match store.user(&me).await? {
                Some(user) if json => println!(
                    "{}",
                    json!({ "ok": true, "user": me, "registered": true, "authenticated_by": by,
                            "users": [user] })
                ),
                Some(user) => {
                    print_authenticated(&me, by);
                    print_users(&[user], false)
                }
                None if json => println!(
                    "{}",
                    json!({ "ok": true, "user": me, "registered": false, "authenticated_by": by })
                ),
                None => {
                    print_authenticated(&me, by);
                    println!("{me} is not a user of this database.");
                }
            }
        }
        UserCommand::List => print_users(&store.users().await?, json),
        UserCommand::Add {
            name,
            roles,
            export,
            confidential,
        } => {
            let user = User {
                name,
                roles: roles.into_iter().collect(),
                export,
                confidential,
                active: true,
            };
            let added = store.add_user(&user, &me).await?;
            print_users(&[added], json);
        }
        UserCommand::Set {
            name,
            roles,
            export,
            no_export,
            confidential,
            no_confidential,
            deactivate,
            activate,
        } => {
            let mut user = store.user(&name).await?.ok_or_else(|| {
                StoreError::from(resettle::domain::access::AccessError::NoSuchUser(
                    name.clone(),
                ))
            })?;
            if !roles.is_empty() {
                user.roles = roles.into_iter().collect::<BTreeSet<_>>();
            }
            if export {
                user.export = true;
            }
            if no_export {
                user.export = false;
            }
            if confidential {
                user.confidential = true;
            }
            if no_confidential {
                user.confidential = false;
            }
            if deactivate {
                user.active = false;
            }
            if activate {
                user.active = true;
            }
            let changed = store.update_user(&user, &me).await?;
            print_users(&[changed], json);
        }
    }
    Ok(())
}

fn print_users(users: &[User], json: bool) {
    if json {
        println!("{}", json!({ "ok": true, "users": users }));
        return;
    }
    for u in users {
        let roles: Vec<&str> = u.roles.iter().map(|r| r.code()).collect();
        println!(
            "{:<24} {:<40} {}{}{}",
            u.name,
            if roles.is_empty() {
                "(no role)".to_owned()
            } else {
                roles.join(", ")
            },
            if u.export { "export" } else { "no export" },
            if u.confidential { ", confidential" } else { "" },
            if u.active { "" } else { ", deactivated" }
        );
    }
}
