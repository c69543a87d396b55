//! `resettle audit ...`: checks the audit log's hash chain and names the first broken link;
//! makes the office's signing key, and signed receipts of the chain's head to keep outside
//! the database, and checks a database against such a receipt. Exits non-zero when the
//! chain is broken or a receipt does not hold.

use std::path::PathBuf;

use clap::Subcommand;
use resettle::domain::audit::ChainCheck;
use resettle::receipt::{self, ReceiptError};
use resettle::session::Session;
use resettle::storage::Store;
use serde_json::json;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check every link of the audit log's hash chain, from the first entry; with
    /// --receipt, also that the database still holds the receipt's head.
    Verify {
        /// A receipt made by `audit receipt`.
        #[arg(long)]
        receipt: Option<PathBuf>,
        /// The office's public key (hex) the receipt must be signed with.
        #[arg(long, conflicts_with = "key")]
        public_key: Option<String>,
        /// Or the office's signing key file, whose public key is taken.
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Make the office's signing key for receipts (a new file, readable by you only), and
    /// print its public key. Keep it apart from the database.
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a receipt of the audit chain's head signed with the office's key (an
    /// administrator's). Keep receipts elsewhere, e.g. with each monthly report.
    Receipt {
        #[arg(long)]
        key: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

impl AuditCommand {
    /// Whether the command reads or writes a database (making a key does not).
    pub fn needs_database(&self) -> bool {
        !matches!(self, AuditCommand::Keygen { .. })
    }
}

/// Makes the signing key: no database involved.
pub fn keygen(command: AuditCommand, as_json: bool) -> anyhow::Result<bool> {
    let AuditCommand::Keygen { out } = command else {
        unreachable!("only keygen needs no database")
    };
    Ok(match receipt::generate_key(&out) {
        Ok(public) => {
            if as_json {
                println!("{}", json!({"ok": true, "key": out, "public_key": public}));
            } else {
                println!("Signing key written to {}.", out.display());
                println!("Its public key (give it to whoever checks receipts): {public}");
            }
            true
        }
        Err(e) => refused(&e, as_json),
    })
}

/// Whether the chain (and the receipt) holds; the report is printed either way.
pub async fn run(
    store: &Store,
    session: &Session,
    command: AuditCommand,
    as_json: bool,
) -> anyhow::Result<bool> {
    match command {
        AuditCommand::Verify {
            receipt: None,
            public_key: None,
            key: None,
        } => verify_chain(store, as_json).await,
        AuditCommand::Verify { receipt: None, .. } => {
            anyhow::bail!("--public-key and --key go with --receipt FILE")
        }
        AuditCommand::Verify {
            receipt: Some(path),
            public_key,
            key,
        } => {
            let trusted = match (public_key, key) {
                (Some(public), _) => public,
                (None, Some(key)) => match receipt::public_key_of(&key) {
                    Ok(public) => public,
                    Err(e) => return Ok(refused(&e, as_json)),
                },
                (None, None) => anyhow::bail!(
                    "a receipt is checked against the office's key: give --public-key HEX or --key FILE"
                ),
            };
            match receipt::verify_receipt(store, &path, &trusted).await {
                Ok((receipt, outcome)) => {
                    let holds = outcome.holds();
                    if as_json {
                        println!(
                            "{}",
                            json!({"ok": holds, "receipt": receipt.statement, "check": outcome,
                                   "message": outcome.describe(&receipt.statement)})
                        );
                    } else {
                        println!("{}.", capitalised(&outcome.describe(&receipt.statement)));
                    }
                    Ok(holds)
                }
                Err(e) => Ok(refused(&e, as_json)),
            }
        }
        AuditCommand::Receipt { key, out } => {
            match receipt::write_receipt(store, session, &key, &out).await {
                Ok(r) => {
                    if as_json {
                        println!(
                            "{}",
                            json!({"ok": true, "out": out, "receipt": r.statement})
                        );
                    } else {
                        println!(
                            "Receipt written to {}: entry {}, head {}. Keep it outside the database.",
                            out.display(),
                            r.statement.seq,
                            r.statement.head
                        );
                    }
                    Ok(true)
                }
                Err(e) => Ok(refused(&e, as_json)),
            }
        }
        AuditCommand::Keygen { .. } => keygen(command, as_json),
    }
}

async fn verify_chain(store: &Store, as_json: bool) -> anyhow::Result<bool> {
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

/// Prints a refusal as every command does (its code, field and values with --json).
fn refused(e: &ReceiptError, as_json: bool) -> bool {
    if as_json {
        crate::print_refusal(&e.to_string(), e.code(), e.field(), e.params());
    } else {
        eprintln!("resettle: {e}");
    }
    false
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
