//! `resettle retention ...` and `resettle privacy ...`: the retention schedule, the
//! erasures it asks for, and an erasure on the person's request (an administrator's
//! work; `retention show` lists what is due to anyone who may erase).

use chrono::NaiveDate;
use clap::Subcommand;
use resettle::domain::retention::{ErasureRun, RetentionSchedule};
use resettle::session::Session;
use resettle::storage::Store;
use serde_json::json;

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// The schedule in force and what it asks to erase today.
    Show {
        /// The day to count on (YYYY-MM-DD); today by default.
        #[arg(long)]
        today: Option<NaiveDate>,
    },
    /// Change the schedule: give only the values that change.
    Set {
        /// Years a rejected or withdrawn case's personal data is kept after it closed.
        #[arg(long, value_name = "YEARS")]
        closed_case_years: Option<u32>,
        /// Days after the last decision in which it can be complained about; an arrived
        /// case's interview notes are kept until it is over.
        #[arg(long, value_name = "DAYS")]
        complaint_window_days: Option<u32>,
        /// Years an arrived case's identifying data is kept after arrival.
        #[arg(long, value_name = "YEARS")]
        arrived_case_years: Option<u32>,
    },
    /// Erase what the schedule says is due, in one transaction.
    Run {
        /// The day to count on (YYYY-MM-DD); today by default.
        #[arg(long)]
        today: Option<NaiveDate>,
        /// Only list what would be erased.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
pub enum PrivacyCommand {
    /// Erase a closed case's personal data on the person's request (GDPR Art. 17): names,
    /// dates of birth (the year stays), languages, occupations, needs and every free text
    /// become a tombstone; the case number, counts and categories stay for the quota and
    /// the statistics. Cannot be undone.
    Erase {
        /// The UNHCR case number.
        case: String,
        /// Why (for example, the request's reference); kept with the erasure.
        #[arg(long)]
        reason: String,
    },
    /// What the agency holds about a household, or one member of it, for their access
    /// request (GDPR Art. 15), as a PDF for the person (in Danish and in their language) or
    /// as JSON for the file: registration data, interviews (their notes
    /// only in a household's report, or a household of one), the score with its
    /// explanations, decisions, consents, placements, the member's own confidential
    /// information (with the confidential grant), the documents made with their data and
    /// the reads of their sensitive fields. Needs the export grant; the export is audited.
    AccessReport {
        /// The UNHCR case number.
        case: String,
        /// The member the report is for (from 1, as `case show` lists them); the whole
        /// household without it.
        #[arg(long)]
        member: Option<u32>,
        /// For a PDF, the person's language besides Danish (a declaration language, e.g.
        /// ar); by default the first of their languages that has a translation.
        #[arg(long)]
        lang: Option<String>,
        /// The file to write: .pdf for the person, .json for the file.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Rewrite the server's tables without the bytes erasures replaced (the database
    /// owner's; a file is rewritten at each erasure).
    Compact,
}

pub async fn run_retention(
    store: &Store,
    session: &Session,
    command: RetentionCommand,
    json: bool,
) -> anyhow::Result<()> {
    match command {
        RetentionCommand::Show { today } => {
            let today = today.unwrap_or_else(|| session.today());
            let schedule = store.retention_schedule().await?;
            let due = store.run_retention(today, true, session.actor()).await?;
            if json {
                println!(
                    "{}",
                    json!({ "ok": true, "schedule": schedule, "today": today,
                            "due": due.erasures })
                );
            } else {
                print_schedule(&schedule);
                print_run(&due);
            }
        }
        RetentionCommand::Set {
            closed_case_years,
            complaint_window_days,
            arrived_case_years,
        } => {
            let now = store.retention_schedule().await?;
            let wanted = RetentionSchedule {
                closed_case_years: closed_case_years.unwrap_or(now.closed_case_years),
                complaint_window_days: complaint_window_days.unwrap_or(now.complaint_window_days),
                arrived_case_years: arrived_case_years.unwrap_or(now.arrived_case_years),
            };
            let saved = store
                .set_retention_schedule(wanted, session.actor())
                .await?;
            if json {
                println!("{}", json!({ "ok": true, "schedule": saved }));
            } else {
                print_schedule(&saved);
            }
        }
        RetentionCommand::Run { today, dry_run } => {
            let today = today.unwrap_or_else(|| session.today());
            let run = store.run_retention(today, dry_run, session.actor()).await?;
            if json {
                println!("{}", json!({ "ok": true, "today": today, "run": run }));
            } else {
                print_run(&run);
            }
        }
    }
    Ok(())
}

pub async fn run_privacy(
    store: &Store,
    session: &Session,
    command: PrivacyCommand,
    json: bool,
) -> anyhow::Result<()> {
    match command {
        PrivacyCommand::Erase { case, reason } => {
            let run = store
                .erase_case(&case, &reason, session.today(), session.actor())
                .await?;
            if json {
                println!("{}", json!({ "ok": true, "run": run }));
            } else {
                print_run(&run);
            }
        }
        PrivacyCommand::AccessReport {
            case,
            member,
            lang,
            out,
        } => {
            let rendered = resettle::exports::access_report(
                store,
                session,
                &case,
                member,
                lang.as_deref(),
                &out,
            )
            .await?;
            let exported = resettle::exports::save(store, session, &rendered, &out).await?;
            crate::docs::print_exported(&exported, json);
        }
        PrivacyCommand::Compact => {
            store.compact_erased(session.actor()).await?;
            if json {
                println!("{}", json!({ "ok": true, "compacted": true }));
            } else {
                println!("Rewrote the tables: no erased text is left in the database's files.");
            }
        }
    }
    Ok(())
}

fn print_schedule(s: &RetentionSchedule) {
    println!("Retention schedule:");
    println!(
        "  rejected or withdrawn cases  erased {} years after they closed",
        s.closed_case_years
    );
    println!(
        "  interview notes              erased once an arrived case's decisions are {} days old",
        s.complaint_window_days
    );
    println!(
        "  arrived cases                erased {} years after arrival",
        s.arrived_case_years
    );
}

fn print_run(run: &ErasureRun) {
    let verb = if run.dry_run { "Due" } else { "Erased" };
    if run.erasures.is_empty() {
        println!("{verb}: nothing.");
        return;
    }
    println!("{verb}: {} erasures.", run.erasures.len());
    for e in &run.erasures {
        println!(
            "  {}  {}  ({}, from {})",
            e.case_no, e.scope, e.rule, e.due_on
        );
    }
    if !run.dry_run && !run.compacted {
        println!(
            "The rows are erased, but their old versions are still in the database's files: \
             run `resettle privacy compact` (on the server, as the database's owner)."
        );
    }
}
