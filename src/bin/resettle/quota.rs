//! `resettle quota ...`: the quota ledger from the command line. Status and deadlines
//! print readable tables, or with `--json` the stable shapes documented in the README.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use resettle::domain::quota::{EntryKind, QuotaPeriod, QuotaStatus, SubQuota, DEFAULT_ANNUAL_CAP};
use resettle::domain::CaseDeadline;
use resettle::session::Session;
use resettle::storage::{Change, Recorded, Store};
use serde_json::json;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum QuotaCommand {
    /// Create a quota period with its allocations (by default 395 / 75 / 30 a year, in
    /// proportion to the period's places).
    CreatePeriod {
        #[arg(long)]
        start_year: i32,
        /// Places (persons) in the whole period.
        #[arg(long)]
        places: u32,
        /// Calendar years in the period, 1 to 3.
        #[arg(long, default_value_t = 3)]
        years: u8,
        /// Unused places lapse when a year closes instead of carrying over.
        #[arg(long)]
        no_carry_over: bool,
        /// Persons admitted in one year without an exceptional situation.
        #[arg(long, default_value_t = DEFAULT_ANNUAL_CAP)]
        annual_cap: u32,
        /// An allocation in place of the default, as YEAR:SUB_QUOTA:PLACES (repeatable).
        #[arg(long = "allocation", value_name = "YEAR:SUB_QUOTA:PLACES", value_parser = parse_allocation)]
        allocations: Vec<(i32, SubQuota, u32)>,
        #[arg(long, default_value = "period created")]
        reason: String,
    },
    /// Set a year's allocation to a sub-quota.
    Allocate {
        #[command(flatten)]
        at: YearArgs,
        #[arg(long)]
        sub_quota: SubQuota,
        #[arg(long)]
        places: u32,
        /// The id of a recorded exceptional situation, to go above the annual cap.
        #[arg(long)]
        exceptional: Option<Uuid>,
        #[arg(long)]
        reason: String,
    },
    /// Move places of a year from one sub-quota to another.
    Reallocate {
        #[command(flatten)]
        at: YearArgs,
        #[arg(long)]
        from: SubQuota,
        #[arg(long)]
        to: SubQuota,
        #[arg(long)]
        places: u32,
        #[arg(long)]
        reason: String,
    },
    /// Close a year: its unused places carry into the next year, or lapse in the last.
    CloseYear {
        #[command(flatten)]
        at: YearArgs,
        #[arg(long, default_value = "year closed")]
        reason: String,
    },
    /// Record an exceptional situation decision that lets a year pass the annual cap.
    Exceptional {
        #[command(flatten)]
        at: YearArgs,
        #[arg(long)]
        reason: String,
    },
    /// Charge an accepted case's persons to a year (the period's open year by default).
    Commit {
        /// The UNHCR case number.
        #[arg(long = "case")]
        case_no: String,
        #[arg(long)]
        period: i32,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        exceptional: Option<Uuid>,
        #[arg(long, default_value = "case accepted")]
        reason: String,
    },
    /// Give a withdrawn case's committed places back.
    Release {
        #[arg(long = "case")]
        case_no: String,
        #[arg(long, default_value = "case withdrawn")]
        reason: String,
    },
    /// Record that a case's persons arrived: committed places become used.
    Arrive {
        #[arg(long = "case")]
        case_no: String,
        #[arg(long, default_value = "persons arrived")]
        reason: String,
    },
    /// The period's figures per year and sub-quota.
    Status {
        #[arg(long)]
        period: i32,
    },
    /// The period's ledger entries, newest first.
    History {
        #[arg(long)]
        period: i32,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only entries of this kind (allocation, reallocation, commitment, release,
        /// arrival, carry_over, lapse, year_closed).
        #[arg(long)]
        kind: Option<EntryKind>,
    },
    /// Cases against their UNHCR priority deadlines, most urgent first.
    Deadlines {
        /// The day to judge on (default: today).
        #[arg(long)]
        today: Option<NaiveDate>,
        /// Include departed cases, with whether they met their deadline.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Args)]
pub struct YearArgs {
    /// The period, named by its first year.
    #[arg(long)]
    period: i32,
    #[arg(long)]
    year: i32,
}

fn parse_allocation(s: &str) -> Result<(i32, SubQuota, u32), String> {
    let parts: Vec<&str> = s.split(':').collect();
    let [year, sub, places] = parts[..] else {
        return Err(format!("{s:?} is not YEAR:SUB_QUOTA:PLACES"));
    };
    Ok((
        year.parse()
            .map_err(|_| format!("{year:?} is not a year"))?,
        sub.parse().map_err(|e| format!("{e}"))?,
        places
            .parse()
            .map_err(|_| format!("{places:?} is not a number of places"))?,
    ))
}

pub async fn run(
    store: &Store,
    session: &Session,
    command: QuotaCommand,
    as_json: bool,
) -> anyhow::Result<()> {
    let author = session.actor().to_owned();
    let by = |reason| Change {
        author: &author,
        reason,
    };
    let recorded = match command {
        QuotaCommand::CreatePeriod {
            start_year,
            places,
            years,
            no_carry_over,
            annual_cap,
            allocations,
            reason,
        } => {
            let period = QuotaPeriod {
                years,
                carry_over: !no_carry_over,
                annual_cap,
                ..QuotaPeriod::new(start_year, places)
            };
            let change = Change {
                author: &author,
                reason: &reason,
            };
            store.create_period(&period, &allocations, &change).await?
        }
        QuotaCommand::Allocate {
            at,
            sub_quota,
            places,
            exceptional,
            reason,
        } => {
            store
                .allocate(
                    at.period,
                    at.year,
                    sub_quota,
                    places,
                    exceptional,
                    &by(reason.as_str()),
                )
                .await?
        }
        QuotaCommand::Reallocate {
            at,
            from,
            to,
            places,
            reason,
        } => {
            store
                .reallocate(at.period, at.year, from, to, places, &by(reason.as_str()))
                .await?
        }
        QuotaCommand::CloseYear { at, reason } => {
            store
                .close_year(at.period, at.year, &by(reason.as_str()))
                .await?
        }
        QuotaCommand::Exceptional { at, reason } => {
            let e = store
                .record_exceptional(at.period, at.year, &by(reason.as_str()))
                .await?;
            if as_json {
                println!("{}", json!({ "ok": true, "id": e.id, "year": e.year }));
            } else {
                println!(
                    "Exceptional situation recorded for {}: {}\nReference it with --exceptional {}",
                    e.year, e.reason, e.id
                );
            }
            return Ok(());
        }
        QuotaCommand::Commit {
            case_no,
            period,
            year,
            exceptional,
            reason,
        } => {
            store
                .commit_case(&case_no, period, year, exceptional, &by(reason.as_str()))
                .await?
        }
        QuotaCommand::Release { case_no, reason } => {
            store.release_case(&case_no, &by(reason.as_str())).await?
        }
        QuotaCommand::Arrive { case_no, reason } => {
            store.arrive_case(&case_no, &by(reason.as_str())).await?
        }
        QuotaCommand::Status { period } => {
            let status = store.quota_status(period).await?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                print_status(&status);
            }
            return Ok(());
        }
        QuotaCommand::History {
            period,
            limit,
            kind,
        } => {
            let entries = store.quota_history(period, limit, kind).await?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&entries)?);
            } else {
                for e in entries {
                    let target = match (e.to_year, e.to_sub_quota) {
                        (Some(y), _) => format!(" → {y}"),
                        (_, Some(s)) => format!(" → {s}"),
                        _ => String::new(),
                    };
                    println!(
                        "{:>5}  {}  {:<12} {} {}{}  {:>5}  {}  {}: {}",
                        e.seq,
                        e.at.format("%Y-%m-%d %H:%M"),
                        e.kind.code(),
                        e.year,
                        e.sub_quota.map(SubQuota::code).unwrap_or(""),
                        target,
                        e.places,
                        e.case_no.as_deref().unwrap_or(""),
                        e.author,
                        e.reason
                    );
                }
            }
            return Ok(());
        }
        QuotaCommand::Deadlines { today, all } => {
            let today = today.unwrap_or_else(|| session.today());
            let list = store.deadlines(today, all).await?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                print_deadlines(&list, today);
            }
            return Ok(());
        }
    };
    report(&recorded, as_json)
}

fn report(recorded: &Recorded, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        println!(
            "{}",
            json!({ "ok": true, "entries": recorded.entries, "status": recorded.status })
        );
    } else {
        if recorded.entries == 0 {
            println!("Nothing to change: the ledger already says so.");
        } else {
            println!("Recorded {} ledger entries.", recorded.entries);
        }
        print_status(&recorded.status);
    }
    Ok(())
}

fn print_status(s: &QuotaStatus) {
    println!(
        "Quota period {}-{}: {} places, annual cap {}, carry-over {}",
        s.period,
        s.end_year,
        s.total_places,
        s.annual_cap,
        if s.carry_over { "on" } else { "off" }
    );
    for y in &s.years {
        println!();
        println!("{} ({})", y.year, if y.closed { "closed" } else { "open" });
        println!(
            "  {:<18}{:>10}{:>11}{:>11}{:>7}{:>11}{:>12}{:>8}",
            "sub-quota",
            "allocated",
            "carried in",
            "committed",
            "used",
            "available",
            "carried out",
            "lapsed"
        );
        let mut total = [0u32; 7];
        for q in &y.sub_quotas {
            let row = [
                q.allocated,
                q.carried_in,
                q.committed,
                q.used,
                q.available,
                q.carried_out,
                q.lapsed,
            ];
            for (t, v) in total.iter_mut().zip(row) {
                *t += v;
            }
            print_row(q.sub_quota.code(), &row);
        }
        print_row("total", &total);
    }
}

fn print_row(label: &str, v: &[u32; 7]) {
    println!(
        "  {:<18}{:>10}{:>11}{:>11}{:>7}{:>11}{:>12}{:>8}",
        label, v[0], v[1], v[2], v[3], v[4], v[5], v[6]
    );
}

fn print_deadlines(list: &[CaseDeadline], today: NaiveDate) {
    println!("{} cases on {today}, most urgent first", list.len());
    println!(
        "{:<16}{:<11}{:<12}{:<12}{:>10}  status",
        "case", "priority", "submitted", "deadline", "days left"
    );
    for d in list {
        println!(
            "{:<16}{:<11}{:<12}{:<12}{:>10}  {}",
            d.unhcr_case_no,
            d.priority.code(),
            d.submission_date,
            d.deadline,
            d.days_left,
            d.status.code().replace('_', " ")
        );
    }
}
