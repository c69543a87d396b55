//! `resettle`: the command line over the same core as the desktop app, for scripting and
//! batch work. Every command prints plain text, or JSON with `--json`.

mod audit;
mod bundle;
mod case;
mod docs;
mod import;
mod keyslot;
mod mission;
mod municipality;
mod placement;
mod privacy;
mod quota;
mod user;
mod visitation;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use resettle::demo;
use resettle::domain::audit::ChainCheck;
use resettle::logging;
use resettle::paths::{resolve_location, DB_ENV};
use resettle::session::{current_user, Session};
use resettle::storage::cipher::{is_encrypted, Passphrase, PASSPHRASE_ENV};
use resettle::storage::keyslots::Unlock;
use resettle::storage::{Location, PgStore, SqliteStore, Store, StoreError};
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "resettle",
    version,
    about = "Resettle: quotas, selection missions and placement of resettled refugees"
)]
struct Cli {
    /// The database: a file (default: the user's data folder), or the office's server as
    /// postgres://USER@HOST:PORT/DATABASE; or set RESETTLE_DB.
    #[arg(long, global = true, value_name = "PATH|URL")]
    db: Option<String>,
    /// A file whose first line is the passphrase of an encrypted database (or set
    /// RESETTLE_PASSPHRASE).
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// Whose key slot the passphrase is, on a laptop database with several members (or set
    /// RESETTLE_AS). The member it unlocks is who acts. For `init --encrypted`, the
    /// first member (default: the operating system's login).
    #[arg(long = "as", global = true, value_name = "NAME", env = "RESETTLE_AS")]
    unlock_as: Option<String>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database (or bring an existing one's schema up to date).
    Init {
        /// Create it encrypted (SQLCipher, the key from the passphrase by Argon2id), as a
        /// field laptop's database must be.
        #[arg(long)]
        encrypted: bool,
        /// With --encrypted: the office's public key (age1..., `resettle keys show` at the
        /// office), to which the database key is also encrypted, so that the office can
        /// open the laptop when a passphrase is lost.
        #[arg(long, value_name = "AGE1...", requires = "encrypted")]
        recovery: Option<String>,
    },
    /// Fill an empty database with the synthetic demo data set.
    DemoData {
        /// The generator's seed: the same seed gives the same data.
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
    },
    /// Write a consistent copy of the database to a new file while others work (an
    /// administrator's). An encrypted database's copy stays encrypted, with a copy of its
    /// key file beside it. On the office's server, use pg_dump (README).
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Put a backup in place of the database (--db). Its audit chain must verify, and you
    /// must be one of its administrators; an existing database is replaced only with
    /// --force.
    Restore {
        backup: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Move the office from its database file (--from) to the server (--to, the URL of
    /// the login that owns a new, empty database): everything copied in one transaction,
    /// the audit chain with its hashes, then checked on the server. Every active user
    /// needs a server login of the same name first. The file is left as it was.
    Migrate {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[arg(long, value_name = "postgres://OWNER@HOST/DATABASE")]
        to: String,
    },
    /// Print the counts the app's Overview shows.
    Overview,
    /// What needs the office today, as the app's Overview lists it: cases overdue or at
    /// risk against their UNHCR deadline, decisions and declarations waiting, placements
    /// waiting for a municipality, missions in the field, check-in conflicts, and this
    /// year's quota.
    Dashboard {
        /// The day to count on (YYYY-MM-DD); today by default.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// The quota ledger: periods, allocations, commitments, closing years, deadlines.
    #[command(subcommand)]
    Quota(quota::QuotaCommand),
    /// Import UNHCR submissions.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// A case: dossier, interview, screening, score, decision, departure, arrival.
    #[command(subcommand)]
    Case(case::CaseCommand),
    /// Selection missions: plan, team, attach cases, attendance, progress.
    #[command(subcommand)]
    Mission(mission::MissionCommand),
    /// The versioned integration rubric.
    #[command(subcommand)]
    Rubric(mission::RubricCommand),
    /// Placement in municipalities: solve an instance file; propose, move, consult,
    /// confirm or decline on the database.
    #[command(subcommand)]
    Placement(placement::PlacementCommand),
    /// Municipalities: key inputs, quotas per year, capacities, profiles.
    #[command(subcommand)]
    Municipality(municipality::MunicipalityCommand),
    /// Documents as PDF: declarations, referral forms, municipality packs, quota reports.
    #[command(subcommand)]
    Docs(docs::DocsCommand),
    /// Reports for the ministry: the year's statistics as .xlsx or .csv.
    #[command(subcommand)]
    Report(docs::ReportCommand),
    /// The retention schedule: show it, change it, run it (erasing what is due).
    #[command(subcommand)]
    Retention(privacy::RetentionCommand),
    /// The people's data: erase a closed case on request; compact the server's tables.
    #[command(subcommand)]
    Privacy(privacy::PrivacyCommand),
    /// The audit log: check its hash chain.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// This database's key for mission bundles (check-out to laptops and back).
    #[command(subcommand)]
    Keys(bundle::KeysCommand),
    /// Users and their roles: caseworker, quota manager, administrator; the export grant.
    #[command(subcommand)]
    User(user::UserCommand),
    /// A laptop database's key slots: a passphrase per team member, the office's recovery.
    #[command(subcommand)]
    Keyslot(keyslot::KeyslotCommand),
}

fn main() -> ExitCode {
    end_quietly_on_a_closed_pipe();
    let matches = Cli::command().get_matches();
    // The command by its subcommands' names only: its arguments may name a person.
    let command = command_name(&matches);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let _log = logging::start("resettle-cli");
    let started = std::time::Instant::now();
    tracing::info!(command, version = env!("CARGO_PKG_VERSION"), "started");
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(json, &format!("cannot start: {e}")),
    };
    let ms = |started: std::time::Instant| started.elapsed().as_millis() as u64;
    match runtime.block_on(run(cli)) {
        Ok(()) => {
            tracing::info!(command, ms = ms(started), "done");
            ExitCode::SUCCESS
        }
        // Already reported in full (an import's list of problems).
        Err(e) if e.is::<Refused>() => {
            tracing::info!(command, ms = ms(started), "refused");
            ExitCode::FAILURE
        }
        Err(e) => match refusal_of(&e) {
            Some((code, field, params)) => {
                tracing::info!(command, ms = ms(started), code, "refused");
                if json {
                    print_refusal(&e.to_string(), Some(code), field, params);
                    ExitCode::FAILURE
                } else {
                    fail(json, &format!("{e:#}"))
                }
            }
            None => {
                let kind = e
                    .downcast_ref::<StoreError>()
                    .map(StoreError::fault_kind)
                    .unwrap_or_else(|| "other".to_owned());
                tracing::warn!(command, ms = ms(started), fault = kind, "failed");
                fail(json, &format!("{e:#}"))
            }
        },
    }
}

/// `case decide`, `quota status`: the names of the subcommands given, nothing else.
fn command_name(matches: &clap::ArgMatches) -> String {
    let mut names = Vec::new();
    let mut at = matches;
    while let Some((name, sub)) = at.subcommand() {
        names.push(name);
        at = sub;
    }
    names.join(" ")
}

/// The code, field and values of a refusal the core gave: the store's, or an export's
/// (which wraps the store's); None for a fault or any other error.
type RefusalParts = (
    &'static str,
    Option<&'static str>,
    Vec<(&'static str, String)>,
);

fn refusal_of(e: &anyhow::Error) -> Option<RefusalParts> {
    if let Some(s) = e.downcast_ref::<StoreError>() {
        return s.code().map(|code| (code, s.field(), s.params()));
    }
    if let Some(x) = e.downcast_ref::<resettle::exports::ExportError>() {
        return x.code().map(|code| (code, x.field(), x.params()));
    }
    None
}

/// A refusal as `--json` gives it: the message, its code, the field and the values the
/// message names.
fn print_refusal(
    error: &str,
    code: Option<&str>,
    field: Option<&str>,
    params: Vec<(&'static str, String)>,
) {
    let params: serde_json::Map<String, serde_json::Value> = params
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into()))
        .collect();
    println!(
        "{}",
        json!({ "ok": false, "error": error, "code": code, "field": field, "params": params })
    );
}

/// A closed pipe (`resettle ... --json | head`) ends the program the way it ends other
/// Unix tools, by SIGPIPE, instead of a panic in the next `println!`: Rust starts programs
/// with SIGPIPE ignored. Every write is a transaction, so being stopped mid-print leaves
/// the database whole, as the kill tests show for SIGKILL.
#[cfg(unix)]
fn end_quietly_on_a_closed_pipe() {
    // SAFETY: sets the default action of one signal, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_a_closed_pipe() {}

/// The passphrase from `--passphrase-file`, else from `RESETTLE_PASSPHRASE`, else none.
fn passphrase(file: Option<&std::path::Path>) -> Result<Option<Passphrase>, StoreError> {
    if let Some(file) = file {
        return Passphrase::from_file(file).map(Some);
    }
    Ok(std::env::var(PASSPHRASE_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .map(Passphrase::new))
}

/// A refusal whose details the command has printed itself.
#[derive(Debug, thiserror::Error)]
#[error("refused")]
struct Refused;

fn fail(json: bool, message: &str) -> ExitCode {
    if json {
        println!("{}", json!({ "ok": false, "error": message }));
    } else {
        eprintln!("resettle: {message}");
    }
    ExitCode::FAILURE
}

/// `resettle migrate`: the file's office moved to the server, and the server's chain
/// checked again afterwards on a connection of its own.
async fn migrate(
    from: &std::path::Path,
    to: &str,
    passphrase: Option<Passphrase>,
    member: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    if !from.is_file() {
        return Err(StoreError::FileAccess {
            path: from.display().to_string(),
            reason: "there is no database file there".into(),
        }
        .into());
    }
    if !matches!(Location::parse(to), Location::Server(_)) {
        anyhow::bail!(
            "--to takes the server database's URL (postgres://OWNER@HOST/DATABASE), not {to}"
        );
    }
    let unlock = passphrase.as_ref().map(|passphrase| Unlock::Member {
        name: member,
        passphrase,
    });
    let file = SqliteStore::open_unlocking(from, unlock).await?;
    let actor = file
        .member()
        .map(str::to_owned)
        .unwrap_or_else(current_user);
    let server = PgStore::connect_owner(to).await?;
    let name = from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut progress = |table: &str, copied: u64, total: u64| {
        if !json && copied == total {
            eprintln!("  {table}: {copied} rows");
        }
    };
    let moved = server
        .take_in_file(&file, &actor, &name, &mut progress)
        .await;
    file.close().await;
    let moved = moved?;
    let store = Store::from(server);
    let check = store.verify_audit().await?;
    let ChainCheck::Intact { entries, head } = check else {
        anyhow::bail!("the server's audit chain does not verify after the move: {check:?}");
    };
    if json {
        println!(
            "{}",
            json!({ "ok": true, "moved": moved, "server_audit": { "entries": entries, "head": head } })
        );
    } else {
        let rows: u64 = moved.tables.iter().map(|t| t.rows).sum();
        println!(
            "Moved {} to {}: {rows} rows in {} tables, {} audit entries with their hashes; database {}.",
            from.display(),
            Location::parse(to).shown(),
            moved.tables.len(),
            moved.audit_entries,
            moved.database_id
        );
        println!(
            "The server's audit chain verifies: {entries} entries (the move's own included), head {head}."
        );
        println!("Logins given their roles: {}.", moved.logins.join(", "));
    }
    Ok(())
}

/// Opens (or, for `init`, creates) a database file, encrypted or not. An encrypted one
/// opens with `member`'s key slot (or its only one).
async fn open_file(
    path: &std::path::Path,
    command: &Command,
    passphrase: Option<Passphrase>,
    member: Option<&str>,
) -> anyhow::Result<Store> {
    let store = match (command, passphrase) {
        (
            Command::Init {
                encrypted: true,
                recovery,
            },
            Some(p),
        ) if !path.exists() => {
            let first = member.map(str::to_owned).unwrap_or_else(current_user);
            SqliteStore::create_encrypted(path, &first, &p, recovery.as_deref()).await?
        }
        (Command::Init { encrypted: true, .. }, None) => anyhow::bail!(
            "an encrypted database needs a passphrase: give --passphrase-file FILE or set {PASSPHRASE_ENV}"
        ),
        (Command::Init { encrypted: true, .. }, Some(_)) if !is_encrypted(path) => {
            return Err(StoreError::AlreadyExists {
                path: path.display().to_string(),
            }
            .into())
        }
        (_, Some(passphrase)) => {
            SqliteStore::open_unlocking(
                path,
                Some(Unlock::Member {
                    name: member,
                    passphrase: &passphrase,
                }),
            )
            .await?
        }
        (_, None) => SqliteStore::open(path).await?,
    };
    Ok(store.into())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Solving an instance file needs no database.
    if matches!(&cli.command, Command::Placement(c) if !c.needs_database()) {
        let Command::Placement(command) = cli.command else {
            unreachable!("matched above")
        };
        return if placement::run(command)? {
            Ok(())
        } else {
            Err(anyhow::anyhow!(Refused))
        };
    }
    // Nor does making the office's signing key.
    if matches!(&cli.command, Command::Audit(c) if !c.needs_database()) {
        let Command::Audit(command) = cli.command else {
            unreachable!("matched above")
        };
        return if audit::keygen(command, cli.json)? {
            Ok(())
        } else {
            Err(anyhow::anyhow!(Refused))
        };
    }
    let location = resolve_location(cli.db)?;
    let passphrase = passphrase(cli.passphrase_file.as_deref())?;
    // Restoring replaces the database's file, so the database is not opened first.
    if let Command::Restore { backup, force } = &cli.command {
        let Location::File(target) = &location else {
            return Err(StoreError::BackupOnServer.into());
        };
        let unlock = passphrase.as_ref().map(|passphrase| Unlock::Member {
            name: cli.unlock_as.as_deref(),
            passphrase,
        });
        let restored =
            SqliteStore::restore(backup, target, unlock, *force, &current_user()).await?;
        if cli.json {
            println!("{}", json!({ "ok": true, "restored": restored }));
        } else {
            println!(
                "Restored {} from {}: its audit chain verifies ({} entries, the restore's own included); sha256 {}.",
                restored.path,
                backup.display(),
                restored.audit_entries,
                restored.sha256
            );
        }
        return Ok(());
    }
    if let Command::Migrate { from, to } = &cli.command {
        return migrate(from, to, passphrase, cli.unlock_as.as_deref(), cli.json).await;
    }
    let db = location.shown();
    let (store, creating, encrypted) = match &location {
        Location::File(path) => {
            let creating = !path.exists();
            let store = open_file(path, &cli.command, passphrase, cli.unlock_as.as_deref()).await?;
            (store, creating, is_encrypted(path))
        }
        Location::Server(url) => {
            if matches!(
                cli.command,
                Command::Init {
                    encrypted: true,
                    ..
                }
            ) {
                anyhow::bail!("--encrypted is for a laptop's database file; a PostgreSQL server keeps its data encrypted by its own means");
            }
            if passphrase.is_some() {
                return Err(StoreError::PassphraseForServer.into());
            }
            (Store::from(PgStore::connect(url).await?), false, false)
        }
    };
    let session = Session::for_store(&store);
    let me = session.actor().to_owned();
    // Whoever sets a database up is its first user, with every role: the command that
    // creates its file, or `init` and `demo-data` on one without users (a database from
    // before users existed). Any other command on a database without users is refused by
    // the core (no_users), and on one with users nobody can claim it.
    let founded =
        if creating || matches!(cli.command, Command::Init { .. } | Command::DemoData { .. }) {
            store.claim_first_user(&me).await?
        } else {
            false
        };
    if founded && !cli.json {
        println!("{me} is this database's first user: administrator, quota manager and caseworker, with the export permission.");
    }
    match cli.command {
        Command::Init { .. } => {
            if cli.json {
                println!(
                    "{}",
                    json!({ "ok": true, "database": db, "encrypted": encrypted, "first_user": founded.then_some(&me) })
                );
            } else {
                println!("Database ready at {db}");
                if matches!(store, Store::Postgres(_)) {
                    println!("(Connected as {me}, the server's login.)");
                }
                if let Some(member) = store.login().filter(|_| encrypted) {
                    println!("(Encrypted: it opens only with a member's passphrase; {member} has the first key slot.)");
                }
                println!("(Point the app and the CLI elsewhere with --db PATH or {DB_ENV}.)");
            }
        }
        Command::DemoData { seed } => {
            let data = demo::generate(seed);
            store.seed_demo(&data, &me).await?;
            store.seed_placement_demo(&data.placement, &me).await?;
            let persons: usize = data.households.iter().map(|h| h.members.len()).sum();
            if cli.json {
                println!(
                    "{}",
                    json!({
                        "ok": true, "database": db, "seed": seed,
                        "municipalities": data.municipalities.len(), "missions": data.missions.len(),
                        "households": data.households.len(), "persons": persons,
                    })
                );
            } else {
                println!(
                    "Seeded {db} with demo data (seed {seed}): {} municipalities, {} missions, {} households, {persons} persons.",
                    data.municipalities.len(),
                    data.missions.len(),
                    data.households.len()
                );
            }
        }
        Command::Overview => {
            let o = store.overview().await?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&o)?);
            } else {
                println!("Households      {}", o.households);
                println!("Persons         {}", o.persons);
                println!("Missions        {}", o.missions);
                println!("Municipalities  {}", o.municipalities);
                println!(
                    "By priority     emergency {}, urgent {}, normal {}",
                    o.by_priority.emergency, o.by_priority.urgent, o.by_priority.normal
                );
                if let Some(p) = o.period {
                    println!(
                        "Quota period    {}-{}, {} places",
                        p.start_year, p.end_year, p.total_places
                    );
                }
            }
        }
        Command::Backup { out } => {
            let b = store.backup(&out, session.actor()).await?;
            if cli.json {
                println!("{}", json!({ "ok": true, "backup": b }));
            } else {
                println!(
                    "Wrote {} ({} bytes{}, {} audit entries); sha256 {}.",
                    b.path,
                    b.bytes,
                    if b.encrypted {
                        ", encrypted, its key file beside it"
                    } else {
                        ""
                    },
                    b.audit_entries,
                    b.sha256
                );
            }
        }
        Command::Restore { .. } => unreachable!("restored before the database is opened"),
        Command::Migrate { .. } => unreachable!("moved before the database is opened"),
        Command::Dashboard { today } => {
            let d = store
                .dashboard(today.unwrap_or_else(|| session.today()), session.actor())
                .await?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                print_dashboard(&d);
            }
        }
        Command::Quota(command) => quota::run(&store, &session, command, cli.json).await?,
        Command::Case(command) => case::run(&store, &session, command, cli.json).await?,
        Command::Mission(command) => mission::run(&store, &session, command, cli.json).await?,
        Command::Rubric(command) => {
            mission::run_rubric(&store, &session, command, cli.json).await?
        }
        Command::Placement(command) => {
            placement::run_on_database(&store, &session, command, cli.json).await?
        }
        Command::Municipality(command) => {
            municipality::run(&store, &session, command, cli.json).await?
        }
        Command::Docs(command) => docs::run(&store, &session, command, cli.json).await?,
        Command::Report(command) => docs::run_report(&store, &session, command, cli.json).await?,
        Command::User(command) => user::run(&store, &session, command, cli.json).await?,
        Command::Retention(command) => {
            privacy::run_retention(&store, &session, command, cli.json).await?
        }
        Command::Privacy(command) => {
            privacy::run_privacy(&store, &session, command, cli.json).await?
        }
        Command::Keys(command) => bundle::run_keys(&store, &session, command, cli.json).await?,
        Command::Keyslot(command) => {
            keyslot::run(store, &session, command, cli.json)
                .await?
                .close()
                .await;
            return Ok(());
        }
        Command::Audit(command) => {
            let intact = audit::run(&store, &session, command, cli.json).await?;
            store.close().await;
            // The broken link is printed; the exit says so.
            return if intact {
                Ok(())
            } else {
                Err(anyhow::anyhow!(Refused))
            };
        }
        Command::Import(command) => {
            let imported = import::run(&store, &session, command, cli.json).await?;
            store.close().await;
            // The problems are printed; the exit says the file was refused.
            return if imported {
                Ok(())
            } else {
                Err(anyhow::anyhow!(Refused))
            };
        }
    }
    store.close().await;
    Ok(())
}

fn print_dashboard(d: &resettle::domain::Dashboard) {
    println!("On {}:", d.today);
    println!(
        "Deadlines       {} overdue, {} at risk",
        d.overdue, d.at_risk
    );
    println!("Decisions       {} waiting", d.awaiting_decision);
    let wait = match d.longest_wait_days {
        Some(days) => format!(", the longest for {days} days"),
        None => String::new(),
    };
    println!(
        "Placements      {} to put to municipalities, {} waiting for an answer{wait}",
        d.proposals_to_send, d.awaiting_answer
    );
    println!(
        "Declarations    {} cases with an adult yet to sign",
        d.declarations_missing
    );
    println!(
        "Missions        {} in the field, {} check-in conflicts open",
        d.missions_in_field, d.open_conflicts
    );
    match &d.quota {
        Some(q) => println!(
            "Quota {}      {} allocated, {} committed, {} used, {} left (annual cap {})",
            q.year, q.allocated, q.committed, q.used, q.available, q.annual_cap
        ),
        None => println!("Quota           no period covers {}", d.today.format("%Y")),
    }
}
