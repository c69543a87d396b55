//! `resettle docs ...` and `resettle report ...`: the documents as PDF files and the ministry's
//! statistics, through `resettle::exports`: every export is recorded in the audit log with the
//! file's SHA-256 before the file appears, and it is written whole or not at all.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use clap::Subcommand;
use resettle::exports::{self, DocumentRequest, StatisticsFormat};
use resettle::session::Session;
use resettle::storage::Store;

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
    /// A household's referral form for the municipality of its active placement.
    Referral {
        /// The UNHCR case number.
        case: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// A municipality's pack: the cover letter and the referral form of each household
    /// confirmed there in the year.
    Pack {
        /// The municipality's code, e.g. 751 for Aarhus.
        #[arg(long)]
        municipality: u16,
        /// The placement year (default: this year).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        out: PathBuf,
    },
    /// A quota period's figures per year and sub-quota, with a chart.
    QuotaReport {
        /// The period's first year.
        #[arg(long)]
        period: i32,
        #[arg(long)]
        out: PathBuf,
    },
}

pub async fn run(
    store: &Store,
    session: &Session,
    command: DocsCommand,
    json: bool,
) -> anyhow::Result<()> {
    let (request, out) = match command {
        DocsCommand::Declaration { case, lang, out } => (
            DocumentRequest::Declaration {
                case_no: case,
                language: lang,
            },
            out,
        ),
        DocsCommand::Referral { case, out } => (DocumentRequest::Referral { case_no: case }, out),
        DocsCommand::Pack {
            municipality,
            year,
            out,
        } => (
            DocumentRequest::Pack {
                municipality,
                year: year.unwrap_or_else(|| session.year()),
            },
            out,
        ),
        DocsCommand::QuotaReport { period, out } => (DocumentRequest::QuotaReport { period }, out),
    };
    export(store, session, request, &out, json).await
}

/// Reports for the ministry, as files other programs read.
#[derive(Subcommand)]
pub enum ReportCommand {
    /// The year's statistics: arrivals and persons by nationality, sub-quota, UNHCR
    /// category, priority, municipality and region; median days from submission to
    /// departure per priority against UNHCR's limits; decisions and withdrawals; the
    /// quota per sub-quota. An .xlsx file has a sheet per table; a .csv file has them all
    /// in long form (table,key,name,measure,value); a .pdf file has them as tables to read.
    Statistics {
        #[arg(long)]
        year: i32,
        /// The file to write: its name ends in .xlsx, .csv or .pdf.
        #[arg(long)]
        out: PathBuf,
    },
}

pub async fn run_report(
    store: &Store,
    session: &Session,
    command: ReportCommand,
    json: bool,
) -> anyhow::Result<()> {
    let ReportCommand::Statistics { year, out } = command;
    let Some(format) = StatisticsFormat::from_path(&out) else {
        anyhow::bail!(
            "--out {}: the statistics are written as .xlsx, .csv or .pdf; name the file so",
            out.display()
        );
    };
    export(
        store,
        session,
        DocumentRequest::Statistics { year, format },
        &out,
        json,
    )
    .await
}

/// Renders the document, saves it with its audit entry, and says what was written.
async fn export(
    store: &Store,
    session: &Session,
    request: DocumentRequest,
    out: &std::path::Path,
    json: bool,
) -> anyhow::Result<()> {
    // A pack's progress goes to standard error, one line per 10 %, so that a long export
    // shows it is moving without cluttering a pipe of the JSON result.
    let progress: exports::Progress = if json {
        Arc::new(|_, _| {})
    } else {
        Arc::new(|done, total| {
            if total >= 20 && (done * 10 / total) > ((done.max(1) - 1) * 10 / total) {
                let _ = writeln!(std::io::stderr(), "{done}/{total} referral forms");
            }
        })
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let rendered = exports::render(store, session, &request, progress, cancel).await?;
    let exported = exports::save(store, session, &rendered, out).await?;
    print_exported(&exported, json);
    Ok(())
}

/// Says what an export wrote: as JSON (file, kind, document ids, SHA-256, size) or a line.
pub fn print_exported(exported: &exports::Exported, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::json!({"ok": true, "file": exported.file, "kind": exported.kind,
                "documents": exported.document_ids, "sha256": exported.sha256,
                "bytes": exported.bytes})
        );
    } else {
        println!(
            "{}: {} ({} document(s)), {} bytes, SHA-256 {}",
            exported.file,
            exported.kind,
            exported.document_ids.len(),
            exported.bytes,
            exported.sha256
        );
    }
}
