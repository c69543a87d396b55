//! A laptop database's key slots on the command line: `resettle keyslot list|add|remove|
//! recovery` on the laptop (an administrator, unlocked), and `keyslot recover` at the
//! office, which opens a laptop's recovery slot with the office's bundle key.

use std::path::PathBuf;

use clap::Subcommand;
use resettle::session::Session;
use resettle::storage::cipher::Passphrase;
use resettle::storage::keyslots::KeySlotList;
use resettle::storage::Store;
use serde_json::json;

#[derive(Subcommand)]
pub enum KeyslotCommand {
    /// The members who can unlock this laptop database, and its recovery key.
    List,
    /// Give a user of this database their own key slot. Their passphrase is read from
    /// FILE's first line (they type it there, or into RESETTLE_NEW_PASSPHRASE).
    Add {
        /// The user's name in this database.
        name: String,
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Take a member's key slot away: the database gets a new key for the members who
    /// remain, so the removed member's passphrase opens it no more.
    Remove { name: String },
    /// Encrypt this database's key to the office's public key (age1..., from `resettle
    /// keys show` at the office) too, so that the office can open it when every passphrase
    /// is lost.
    Recovery { recipient: String },
    /// At the office: open a laptop database's recovery slot with this database's bundle
    /// key, and give MEMBER a new key slot under a new passphrase.
    Recover {
        /// The laptop's database file (its key file beside it).
        laptop: PathBuf,
        /// The member whose passphrase was lost (or a new one).
        member: String,
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
}

const NEW_PASSPHRASE_ENV: &str = "RESETTLE_NEW_PASSPHRASE";

fn new_passphrase(file: Option<PathBuf>) -> anyhow::Result<Passphrase> {
    if let Some(file) = file {
        return Ok(Passphrase::from_file(&file)?);
    }
    match std::env::var(NEW_PASSPHRASE_ENV) {
        Ok(p) if !p.is_empty() => Ok(Passphrase::new(p)),
        _ => anyhow::bail!(
            "the member's passphrase is needed: give --new-passphrase-file FILE or set {NEW_PASSPHRASE_ENV}"
        ),
    }
}

fn print(list: &KeySlotList, json: bool) {
    if json {
        println!(
            "{}",
            json!({ "ok": true, "members": list.members, "recovery": list.recovery })
        );
        return;
    }
    for member in &list.members {
        println!("{member}");
    }
    match &list.recovery {
        Some(r) => println!("(recovery: the office's key {r})"),
        None => println!(
            "(no recovery slot: add the office's key with `resettle keyslot recovery age1...`)"
        ),
    }
}

/// Runs the command; returns the store to close (a rekey reopens it under its new key).
pub async fn run(
    store: Store,
    session: &Session,
    command: KeyslotCommand,
    json: bool,
) -> anyhow::Result<Store> {
    let actor = session.actor().to_owned();
    if let KeyslotCommand::Recover {
        laptop,
        member,
        new_passphrase_file,
    } = command
    {
        let passphrase = new_passphrase(new_passphrase_file)?;
        let list = store
            .recover_laptop(&laptop, &member, &passphrase, &actor)
            .await?;
        if !json {
            println!(
                "{} has a new key slot in {}.",
                member.trim(),
                laptop.display()
            );
        }
        print(&list, json);
        return Ok(store);
    }
    let Store::Sqlite(laptop) = store else {
        anyhow::bail!("key slots belong to a laptop's encrypted database file; on the office server each person has their own login");
    };
    let laptop = match command {
        KeyslotCommand::List => {
            print(&laptop.key_slots()?, json);
            laptop
        }
        KeyslotCommand::Add {
            name,
            new_passphrase_file,
        } => {
            let passphrase = new_passphrase(new_passphrase_file)?;
            let list = laptop.add_member(&name, &passphrase, &actor).await?;
            print(&list, json);
            laptop
        }
        KeyslotCommand::Remove { name } => {
            let laptop = laptop.remove_member(&name, &actor).await?;
            if !json {
                println!(
                    "{} can no longer open this database; it has a new key.",
                    name.trim()
                );
            }
            print(&laptop.key_slots()?, json);
            laptop
        }
        KeyslotCommand::Recovery { recipient } => {
            let laptop = laptop.set_recovery(&recipient, &actor).await?;
            print(&laptop.key_slots()?, json);
            laptop
        }
        KeyslotCommand::Recover { .. } => unreachable!("handled above"),
    };
    Ok(laptop.into())
}
