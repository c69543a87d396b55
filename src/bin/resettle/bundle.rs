//! Mission bundles on the command line: `resettle keys ...` (this database's bundle key),
//! `resettle mission checkout` (the office) and `resettle mission receive` (the laptop).

use std::path::Path;

use clap::Subcommand;
use resettle::exports::write_recorded;
use resettle::session::current_user;
use resettle::storage::SqliteStore;
use serde_json::json;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Make this database's bundle key (kept inside the database) and print its public
    /// key, to give to the other side. A database keeps its key: run again, it prints it.
    Init,
    /// Print this database's public bundle key.
    Show,
}

pub async fn run_keys(store: &SqliteStore, command: KeysCommand, json: bool) -> anyhow::Result<()> {
    let recipient = match command {
        KeysCommand::Init => store.init_bundle_key(&current_user()).await?,
        KeysCommand::Show => store
            .bundle_recipient()
            .await?
            .ok_or(resettle::storage::StoreError::NoBundleKey)?,
    };
    if json {
        println!("{}", json!({ "ok": true, "recipient": recipient }));
    } else {
        println!("{recipient}");
    }
    Ok(())
}

/// Writes the check-out of `mission` for the laptop `to` into `out`, whole or not at all.
pub async fn checkout(
    store: &SqliteStore,
    mission: Uuid,
    to: &str,
    out: &Path,
    json: bool,
) -> anyhow::Result<()> {
    let actor = current_user();
    let prepared = store.prepare_checkout(mission, to, &actor).await?;
    write_recorded(
        out,
        &prepared.bytes,
        store.record_checkout(&prepared, &actor),
    )
    .await?;
    let c = &prepared.checkout;
    if json {
        println!(
            "{}",
            json!({ "ok": true, "bundle": c.id, "mission": c.mission.id, "file": out.display().to_string(),
                    "households": c.households.len(), "bytes": prepared.bytes.len(), "sha256": prepared.sha256() })
        );
    } else {
        println!(
            "{}: mission {} with {} households for {}, {} bytes, SHA-256 {}",
            out.display(),
            c.mission.name,
            c.households.len(),
            prepared.recipient,
            prepared.bytes.len(),
            prepared.sha256()
        );
    }
    Ok(())
}

pub async fn receive(store: &SqliteStore, file: &Path, json: bool) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let got = store.receive_checkout(&bytes, &current_user()).await?;
    if json {
        println!("{}", json!({ "ok": true, "received": got }));
    } else if got.already_received {
        println!(
            "Bundle {} was received before; nothing changed.",
            got.bundle
        );
    } else {
        println!(
            "Received mission {}: {} households ({} persons), {} already here unchanged.",
            got.mission, got.households, got.persons, got.unchanged
        );
    }
    Ok(())
}
