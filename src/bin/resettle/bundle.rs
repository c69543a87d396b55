//! Mission bundles on the command line: `resettle keys ...` (this database's bundle key),
//! `resettle mission checkout`, `checkin`, `conflicts` and `resolve` (the office), and
//! `resettle mission receive` and `return` (the laptop).

use std::path::Path;

use clap::Subcommand;
use resettle::exports::write_recorded;
use resettle::session::Session;
use resettle::storage::Store;
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

pub async fn run_keys(
    store: &Store,
    session: &Session,
    command: KeysCommand,
    json: bool,
) -> anyhow::Result<()> {
    let recipient = match command {
        KeysCommand::Init => store.init_bundle_key(session.actor()).await?,
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
    store: &Store,
    session: &Session,
    mission: Uuid,
    to: &str,
    out: &Path,
    json: bool,
) -> anyhow::Result<()> {
    let actor = session.actor().to_owned();
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

pub async fn receive(
    store: &Store,
    session: &Session,
    file: &Path,
    json: bool,
) -> anyhow::Result<()> {
    let bytes = read(file)?;
    let got = store.receive_checkout(&bytes, session.actor()).await?;
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

/// Writes the laptop's return of `mission` into `out`, whole or not at all.
pub async fn return_mission(
    store: &Store,
    session: &Session,
    mission: Uuid,
    out: &Path,
    json: bool,
) -> anyhow::Result<()> {
    let actor = session.actor().to_owned();
    let prepared = store.prepare_return(mission, &actor).await?;
    write_recorded(out, &prepared.bytes, store.record_return(&prepared, &actor)).await?;
    let r = &prepared.ret;
    let sha256 = resettle::documents::sha256_hex(&prepared.bytes);
    if json {
        println!(
            "{}",
            json!({ "ok": true, "bundle": r.id, "checkout": r.checkout, "mission": r.mission,
                    "file": out.display().to_string(), "households": r.households.len(),
                    "records": prepared.records(), "bytes": prepared.bytes.len(), "sha256": sha256 })
        );
    } else {
        println!(
            "{}: {} households and {} records of field work for the office {}, {} bytes, SHA-256 {sha256}",
            out.display(),
            r.households.len(),
            prepared.records(),
            prepared.recipient,
            prepared.bytes.len(),
        );
    }
    Ok(())
}

pub async fn check_in(
    store: &Store,
    session: &Session,
    file: &Path,
    receipt: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    let bytes = read(file)?;
    let done = store.check_in(&bytes, session.actor()).await?;
    if let Some(out) = receipt {
        resettle::exports::write_receipt(&done, file, out).await?;
    }
    if json {
        println!(
            "{}",
            json!({
                "ok": true,
                "checked_in": done,
                "receipt": receipt.map(|p| p.display().to_string()),
            })
        );
    } else if done.already_checked_in {
        println!(
            "Return {} was checked in before; nothing changed.",
            done.bundle
        );
    } else {
        println!(
            "Checked in {} households: {} fields taken from the laptop, {} records added, {} conflicts to resolve{}.",
            done.households,
            done.fields_taken,
            done.records_added,
            done.conflicts,
            if done.conflicts > 0 { " (resettle mission conflicts)" } else { "" }
        );
    }
    Ok(())
}

pub async fn release(
    store: &Store,
    session: &Session,
    file: &Path,
    json: bool,
) -> anyhow::Result<()> {
    let bytes = read(file)?;
    let released = store.release_field_copy(&bytes, session.actor()).await?;
    if json {
        println!("{}", json!({ "ok": true, "released": released }));
    } else {
        println!(
            "Erased this laptop's copy of mission {}: {} households, kept as tombstones (case numbers and counts).",
            released.mission_name, released.households
        );
    }
    Ok(())
}

pub async fn conflicts(
    store: &Store,
    session: &Session,
    all: bool,
    json: bool,
) -> anyhow::Result<()> {
    let list = store.conflicts(all, session.actor()).await?;
    if json {
        println!("{}", json!({ "ok": true, "conflicts": list }));
        return Ok(());
    }
    if list.is_empty() {
        println!("No check-in conflicts{}.", if all { "" } else { " open" });
    }
    for c in &list {
        let state = match (&c.resolution, &c.resolved_by) {
            (Some(side), Some(by)) => format!("resolved: {side}'s taken by {by}"),
            _ => "open".to_owned(),
        };
        println!(
            "{} case {} {} {} ({state})",
            c.id, c.case_no, c.kind, c.subject
        );
        let width = c
            .office
            .iter()
            .chain(&c.laptop)
            .map(|l| l.field.len())
            .max();
        for (name, side) in [("office", &c.office), ("laptop", &c.laptop)] {
            println!("  {name}:");
            for l in side.iter() {
                println!("    {:w$}  {}", l.field, l.value, w = width.unwrap_or(0));
            }
        }
    }
    Ok(())
}

pub async fn resolve(
    store: &Store,
    session: &Session,
    id: Uuid,
    take: resettle::domain::checkin::Side,
    json: bool,
) -> anyhow::Result<()> {
    let c = store
        .resolve_conflict(id, take, session.today(), session.actor())
        .await?;
    if json {
        println!("{}", json!({ "ok": true, "conflict": c }));
    } else {
        println!(
            "Resolved: case {} {} {}, the {take}'s side taken.",
            c.case_no, c.kind, c.subject
        );
    }
    Ok(())
}

/// A bundle's or a receipt's bytes.
fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))
}
