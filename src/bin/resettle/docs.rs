//! `resettle docs ...`: the documents as PDF files. Every export is recorded in the audit
//! log with the file's SHA-256 before the file appears; it is written whole or not at all.

use std::path::{Path, PathBuf};

use chrono::Local;
use clap::Subcommand;
use resettle::documents::declaration::{declaration, Translations};
use resettle::documents::{declaration_pdf, sha256_hex};
use resettle::session::current_user;
use resettle::storage::SqliteStore;
use serde_json::json;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum DocsCommand {
    /// The declaration of each adult member of a case, in Danish and in `--lang`.
    Declaration {
        /// The UNHCR case number.
        case: String,
        /// The signers' language (ISO 639: da, en, ar, fr, so, or any language with a
        /// translation file).
        #[arg(long)]
        lang: String,
        #[arg(long)]
        out: PathBuf,
    },
}

pub async fn run(store: &SqliteStore, command: DocsCommand, json: bool) -> anyhow::Result<()> {
    let actor = current_user();
    match command {
        DocsCommand::Declaration { case, lang, out } => {
            let household = store.household(&case).await?;
            let translations = Translations::builtin()?;
            let today = Local::now().date_naive();
            let adults: Vec<_> = household
                .members
                .iter()
                .filter(|m| m.is_adult_on(today))
                .collect();
            if adults.is_empty() {
                anyhow::bail!("case {case} has no adult member to sign a declaration");
            }
            let declarations = adults
                .into_iter()
                .map(|m| {
                    let id = format!("DECL-{}", &Uuid::new_v4().simple().to_string()[..12]);
                    declaration(&household, m, &lang, today, &id, &translations)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let bytes = declaration_pdf::render(&declarations);
            let sha256 = sha256_hex(&bytes);
            let ids: Vec<String> = declarations.iter().map(|d| d.document_id.clone()).collect();
            // The file is written beside its destination, the export recorded, and only
            // then the file moved into place: no exported file without its audit entry.
            let partial = write_partial(&out, &bytes)?;
            let recorded = store
                .record_export(
                    &actor,
                    "declaration",
                    &format!("case:{}", household.id),
                    &ids,
                    &sha256,
                )
                .await;
            if let Err(e) = recorded {
                let _ = std::fs::remove_file(&partial);
                return Err(e.into());
            }
            std::fs::rename(&partial, &out).map_err(|e| {
                let _ = std::fs::remove_file(&partial);
                anyhow::anyhow!("cannot write {}: {e}", out.display())
            })?;
            if json {
                println!(
                    "{}",
                    json!({"ok": true, "file": out, "documents": ids, "sha256": sha256, "bytes": bytes.len()})
                );
            } else {
                println!(
                    "{}: {} declaration(s) in Danish and {lang}, {} bytes, SHA-256 {sha256}",
                    out.display(),
                    ids.len(),
                    bytes.len()
                );
            }
        }
    }
    Ok(())
}

/// Writes the bytes to a file beside `path` (`NAME.partial`), for a rename into place:
/// a reader never sees half a PDF, and a failure leaves no file behind.
fn write_partial(path: &Path, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("{} is not a file name", path.display()))?;
    let mut partial = name.to_owned();
    partial.push(".partial");
    let temporary = path.with_file_name(partial);
    if let Err(e) = std::fs::write(&temporary, bytes) {
        let _ = std::fs::remove_file(&temporary);
        anyhow::bail!("cannot write {}: {e}", temporary.display());
    }
    Ok(temporary)
}
