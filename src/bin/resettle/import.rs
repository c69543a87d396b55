//! `resettle import submissions FILE`: UNHCR submissions from CSV or JSON (the format is
//! in docs/import-format.md), all or nothing.

use std::path::PathBuf;

use clap::Subcommand;
use resettle::import::{self, ImportFailure, ImportOutcome, Problem};
use resettle::session::Session;
use resettle::storage::Store;
use serde_json::json;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import a submission file; a file with any problem imports nothing.
    Submissions {
        /// A .csv or .json file.
        file: PathBuf,
        /// Attach the households to this mission.
        #[arg(long)]
        mission: Option<Uuid>,
        /// Check everything and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs the import; Ok(false) when the file had problems (already printed).
pub async fn run(
    store: &Store,
    session: &Session,
    command: ImportCommand,
    as_json: bool,
) -> anyhow::Result<bool> {
    let ImportCommand::Submissions {
        file,
        mission,
        dry_run,
    } = command;
    match import::import_file(store, session, &file, mission, dry_run).await {
        Ok(ImportOutcome::Imported(report)) => {
            if as_json {
                println!("{}", json!({ "ok": true, "file": file, "report": report }));
            } else {
                println!(
                    "{} {} new households ({} persons); {} already imported, unchanged.",
                    if dry_run { "Would import" } else { "Imported" },
                    report.households,
                    report.persons,
                    report.unchanged
                );
            }
            Ok(true)
        }
        Ok(ImportOutcome::Refused(problems)) => {
            print_problems(&file, &problems, as_json);
            Ok(false)
        }
        Err(ImportFailure::Store(e)) => Err(e.into()),
        Err(e) => Err(e.into()),
    }
}

/// The code of a refused file: its problems, each with its row and column, follow.
pub const FILE_PROBLEMS: &str = "file_problems";

/// A refused file whose problems are lines of text (key inputs, municipality wishes, an
/// outcome history): each on standard error, or all in the JSON; nothing was written.
pub fn refused_file(file: &std::path::Path, problems: &[String], as_json: bool) -> anyhow::Error {
    if as_json {
        println!(
            "{}",
            json!({"ok": false, "code": FILE_PROBLEMS, "error": format!("{} problem(s) in the file; nothing was imported", problems.len()), "problems": problems})
        );
    } else {
        eprintln!("{}: nothing was imported", file.display());
        for p in problems {
            eprintln!("  {p}");
        }
    }
    anyhow::anyhow!(crate::Refused)
}

fn print_problems(file: &std::path::Path, problems: &[Problem], as_json: bool) {
    let summary = format!(
        "{}: {} problem(s); nothing was imported",
        file.display(),
        problems.len()
    );
    if as_json {
        println!(
            "{}",
            json!({ "ok": false, "code": FILE_PROBLEMS, "error": summary, "problems": problems })
        );
    } else {
        eprintln!("resettle: {summary}");
        for p in problems {
            eprintln!("  {p}");
        }
    }
}
