//! `resettle audit verify`: checks the audit log's hash chain and names the first broken
//! link. Exits non-zero when the chain is broken.

use clap::Subcommand;
use resettle::domain::audit::ChainCheck;
use resettle::storage::Store;
use serde_json::json;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check every link of the audit log's hash chain, from the first entry.
    Verify,
}

/// Whether the chain is intact (the report is printed either way).
pub async fn run(store: &Store, command: AuditCommand, as_json: bool) -> anyhow::Result<bool> {
    match command {
        AuditCommand::Verify => {
            let check = store.verify_audit().await?;
            match &check {
                ChainCheck::Intact { entries, head } => {
                    if as_json {
                        println!("{}", json!({"ok": true, "entries": entries, "head": head}));
                    } else {
                        println!("The audit log is intact: {entries} entries, head {head}.");
                    }
                    Ok(true)
                }
                ChainCheck::Broken { seq, why } => {
                    if as_json {
                        println!("{}", json!({"ok": false, "broken_at": seq, "why": why}));
                    } else {
                        println!("The audit log is broken at entry {seq}: {why}.");
                    }
                    Ok(false)
                }
            }
        }
    }
}
