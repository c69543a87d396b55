//! `resettle mission ...` and `resettle rubric ...`: planning selection missions, their
//! progress, and the versioned integration rubric.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use resettle::domain::mission::Organisation;
use resettle::domain::scoring::Rubric;
use resettle::domain::Mission;
use resettle::session::Session;
use resettle::storage::Store;
use serde_json::json;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum MissionCommand {
    /// Plan a mission.
    Create {
        #[arg(long)]
        name: String,
        /// The country of asylum, ISO 3166-1 alpha-3.
        #[arg(long)]
        country: String,
        #[arg(long)]
        location: String,
        #[arg(long)]
        start: NaiveDate,
        #[arg(long)]
        end: NaiveDate,
        /// Persons the mission aims to select.
        #[arg(long)]
        target: u32,
        /// A strategic operation: the integration criteria are not applied.
        #[arg(long)]
        strategic: bool,
    },
    /// Missions, latest first.
    List,
    /// A mission's team and progress against its target.
    Show { mission: Uuid },
    /// Add a member to a mission's team.
    TeamAdd {
        mission: Uuid,
        #[arg(long)]
        name: String,
        #[arg(long)]
        organisation: Organisation,
        #[arg(long, default_value = "")]
        role: String,
    },
    /// Attach submitted cases to a mission (all or none).
    Attach {
        mission: Uuid,
        #[arg(required = true)]
        cases: Vec<String>,
    },
    /// Check a mission out to a field laptop: its households and the rubric, encrypted to
    /// the laptop's public bundle key (`resettle keys show` on the laptop).
    Checkout {
        mission: Uuid,
        /// The laptop's public bundle key (age1...).
        #[arg(long)]
        to: String,
        /// The bundle file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// On the laptop: receive a mission bundle the office checked out to it.
    Receive { file: PathBuf },
    /// On the laptop: write the return bundle of a mission received (its households and
    /// the field work on them), encrypted to the office that checked it out.
    Return {
        mission: Uuid,
        /// The bundle file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// At the office: check a laptop's return bundle in. What both sides changed waits in
    /// the conflict queue (`resettle mission conflicts`).
    Checkin {
        file: PathBuf,
        /// Also write the receipt for the laptop, which lets it erase its copy of the
        /// mission (`resettle mission release`). Checking the same file in again writes
        /// it again.
        #[arg(long)]
        receipt: Option<PathBuf>,
    },
    /// On the laptop: erase this laptop's copy of a mission with the office's receipt for
    /// its return. Refused unless the receipt proves the office holds everything the
    /// laptop holds for the mission (field work since the return must go back first).
    Release { receipt: PathBuf },
    /// The check-in conflicts still open (all of them with --all), both sides each.
    Conflicts {
        #[arg(long)]
        all: bool,
    },
    /// Resolve a check-in conflict by taking the office's side or the laptop's.
    Resolve {
        conflict: Uuid,
        #[arg(long, value_parser = parse_side)]
        take: resettle::domain::checkin::Side,
    },
    /// Record a person's cultural-orientation attendance (lessons attended of 10 each).
    Attendance {
        #[arg(long)]
        person: Uuid,
        #[arg(long)]
        society: u32,
        #[arg(long)]
        danish: u32,
    },
}

#[derive(Subcommand)]
pub enum RubricCommand {
    /// The rubric in force (or a saved version) as JSON.
    Show {
        #[arg(long)]
        version: Option<u32>,
    },
    /// Every saved version: who saved it, when and why.
    Versions,
    /// Save an edited rubric (a JSON file like `rubric show` prints) as a new version.
    Edit {
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        reason: String,
    },
}

pub async fn run(
    store: &Store,
    session: &Session,
    command: MissionCommand,
    as_json: bool,
) -> anyhow::Result<()> {
    let user = session.actor().to_owned();
    match command {
        MissionCommand::Checkout { mission, to, out } => {
            crate::bundle::checkout(store, session, mission, &to, &out, as_json).await?
        }
        MissionCommand::Receive { file } => {
            crate::bundle::receive(store, session, &file, as_json).await?
        }
        MissionCommand::Return { mission, out } => {
            crate::bundle::return_mission(store, session, mission, &out, as_json).await?
        }
        MissionCommand::Checkin { file, receipt } => {
            crate::bundle::check_in(store, session, &file, receipt.as_deref(), as_json).await?
        }
        MissionCommand::Release { receipt } => {
            crate::bundle::release(store, session, &receipt, as_json).await?
        }
        MissionCommand::Conflicts { all } => {
            crate::bundle::conflicts(store, session, all, as_json).await?
        }
        MissionCommand::Resolve { conflict, take } => {
            crate::bundle::resolve(store, session, conflict, take, as_json).await?
        }
        MissionCommand::Create {
            name,
            country,
            location,
            start,
            end,
            target,
            strategic,
        } => {
            let mission = Mission {
                id: Uuid::new_v4(),
                name,
                country_of_asylum: country.trim().to_uppercase(),
                location,
                start_date: start,
                end_date: end,
                target_places: target,
                strategic,
            };
            store.create_mission(&mission, &user).await?;
            if as_json {
                println!("{}", json!({ "ok": true, "mission": mission }));
            } else {
                println!("Mission {} created: {}", mission.id, mission.name);
            }
        }
        MissionCommand::List => {
            let missions = store.missions().await?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&missions)?);
            } else {
                for m in &missions {
                    println!(
                        "{}  {:<28} {} {:<14} {} to {}  target {}{}",
                        m.id,
                        m.name,
                        m.country_of_asylum,
                        m.location,
                        m.start_date,
                        m.end_date,
                        m.target_places,
                        if m.strategic { "  strategic" } else { "" }
                    );
                }
            }
        }
        MissionCommand::Show { mission } => {
            let m = store.mission(mission).await?;
            let progress = store.mission_progress(mission, session.today()).await?;
            let team = store.team(mission).await?;
            if as_json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &json!({ "mission": m, "progress": progress, "team": team })
                    )?
                );
            } else {
                println!(
                    "{} ({} {}), {} to {}",
                    m.name, m.country_of_asylum, m.location, m.start_date, m.end_date
                );
                for t in &team {
                    println!("  team: {} ({}, {})", t.name, t.organisation, t.role);
                }
                let p = &progress;
                println!("Cases {} ({} persons)", p.cases, p.persons);
                println!(
                    "Interviewed {}  scored {}  decided {}",
                    p.interviewed, p.scored, p.decided
                );
                println!(
                    "Accepted {} persons of a target of {}",
                    p.accepted_persons, p.target_places
                );
                println!(
                    "Declarations signed {} of {}",
                    p.declarations_signed, p.declarations_due
                );
                println!("Orientation complete {}", p.orientation_complete);
            }
        }
        MissionCommand::TeamAdd {
            mission,
            name,
            organisation,
            role,
        } => {
            let t = store
                .add_team_member(mission, &name, organisation, &role, &user)
                .await?;
            if as_json {
                println!("{}", json!({ "ok": true, "member": t }));
            } else {
                println!("{} added to the team.", t.name);
            }
        }
        MissionCommand::Attach { mission, cases } => {
            let n = store.attach_cases(mission, &cases, &user).await?;
            if as_json {
                println!("{}", json!({ "ok": true, "attached": n }));
            } else {
                println!("{n} cases attached.");
            }
        }
        MissionCommand::Attendance {
            person,
            society,
            danish,
        } => {
            store
                .record_attendance(person, society, danish, &user)
                .await?;
            if as_json {
                println!("{}", json!({ "ok": true }));
            } else {
                println!("Attendance recorded: {society} society and {danish} Danish lessons.");
            }
        }
    }
    Ok(())
}

pub async fn run_rubric(
    store: &Store,
    session: &Session,
    command: RubricCommand,
    as_json: bool,
) -> anyhow::Result<()> {
    let user = session.actor().to_owned();
    match command {
        RubricCommand::Show { version } => {
            let rubric = match version {
                Some(v) => store.rubric_version(v).await?,
                None => store.rubric(&user).await?,
            };
            println!("{}", serde_json::to_string_pretty(&rubric)?);
        }
        RubricCommand::Versions => {
            let versions = store.rubric_versions().await?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&versions)?);
            } else {
                for v in &versions {
                    println!(
                        "v{}  {}  {}  {}",
                        v.version, v.created_at, v.created_by, v.reason
                    );
                }
            }
        }
        RubricCommand::Edit { file, reason } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let rubric: Rubric = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{} is not a rubric: {e}", file.display()))?;
            let saved = store.save_rubric(rubric, &reason, &user).await?;
            if as_json {
                println!("{}", json!({ "ok": true, "version": saved.version }));
            } else {
                println!("Rubric saved as version {}.", saved.version);
            }
        }
    }
    Ok(())
}

fn parse_side(text: &str) -> Result<resettle::domain::checkin::Side, String> {
    text.parse()
        .map_err(|_| format!("{text:?}: take office or laptop"))
}
