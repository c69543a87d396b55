//! `resettle placement solve`: a placement instance file in, a plan (or why there is
//! none) out (the formats are in docs/placement-format.md). The other subcommands work on
//! the database: propose a batch, list, move by hand, consult, confirm, decline.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Subcommand, ValueEnum};
use resettle::domain::placement::forecast::Forecast;
use resettle::domain::placement::greedy::greedy;
use resettle::domain::placement::instance::{Instance, RefugeeWish};
use resettle::domain::placement::proposal::{ProposalMethod, ProposalStatus};
use resettle::placement::{Forecasting, Stage};
use resettle::session::Session;
use resettle::solver::{optimal, SolveOptions};
use resettle::storage::{Batch, Proposal, Store, StoreError};
use serde_json::json;

#[derive(Clone, Copy, ValueEnum)]
pub enum Method {
    /// The integer program, solved by HiGHS.
    Optimal,
    /// The spreadsheet rule: biggest household first, most quota left.
    Greedy,
}

#[derive(Subcommand)]
pub enum PlacementCommand {
    /// Propose a municipality for each household of a batch (all or nothing).
    Propose {
        /// accepted | mission:<id> | cases:<number>,<number>,...
        #[arg(long)]
        batch: String,
        /// The year whose municipal quotas are used.
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value = "optimal")]
        method: Method,
        #[arg(long)]
        time_limit: Option<f64>,
        /// Place the batch on its own terms, without drawing the rest of the year from
        /// the outcome history.
        #[arg(long)]
        no_forecast: bool,
    },
    /// The proposals of a year.
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    /// Accepted households waiting for a proposal.
    Pool,
    /// What moving a household to a municipality would break (nothing is saved).
    Check {
        case: String,
        #[arg(long)]
        municipality: u16,
    },
    /// Move a household's open proposal to another municipality by hand.
    Move {
        case: String,
        #[arg(long)]
        municipality: u16,
        /// Needed when the municipality's quota would be exceeded.
        #[arg(long = "override")]
        override_reason: Option<String>,
    },
    /// The municipality was consulted on the proposal.
    Consult {
        case: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The municipality confirmed the proposal.
    Confirm {
        case: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The municipality declined: the household goes back to the pool.
    Decline {
        case: String,
        #[arg(long)]
        reason: String,
    },
    /// Show or set a household's placement notes.
    Profile {
        case: String,
        /// Municipality codes where family or network lives (comma-separated).
        #[arg(long, value_delimiter = ',')]
        network: Option<Vec<u16>>,
        /// Capacities needed besides those derived from the members.
        #[arg(long, value_delimiter = ',')]
        needs: Option<Vec<String>>,
        #[arg(long, value_delimiter = ',')]
        services: Option<Vec<String>>,
        /// Households with the same group go to the same municipality ("" clears it).
        #[arg(long)]
        link_group: Option<String>,
        /// The household's own wishes, first wish first, each CODE or region:CODE with
        /// an optional :REASON (relatives, community, work, other): --wish 101:relatives
        /// --wish region:1084:work. Replaces the wishes recorded.
        #[arg(long = "wish", value_parser = parse_wish)]
        wishes: Vec<RefugeeWish>,
        /// Remove the household's wishes.
        #[arg(long, conflicts_with = "wishes")]
        no_wishes: bool,
    },
    /// A household's job offer: show, set, override with a reason, remove.
    #[command(subcommand)]
    JobOffer(crate::visitation::JobOfferCommand),
    /// The municipalities' wishes for a year (their visitation forms).
    #[command(subcommand)]
    Wishes(crate::visitation::WishesCommand),
    /// The outcome history of past arrivals: the forecasts draw from it, models learn
    /// from it.
    #[command(subcommand)]
    History(crate::visitation::HistoryCommand),
    /// Match scores learned from the history: train, list, choose the one in use.
    #[command(subcommand)]
    Model(crate::visitation::ModelCommand),
    /// The year's balance: each municipality's quota filled over the months, and the
    /// predicted outcomes by nationality and household type beside the best they could
    /// have had (with a model in use).
    Balance {
        #[arg(long)]
        year: i32,
    },
    /// Show or set the feature model's weights, e.g. --set network=4 --set spread=0.5.
    Weights {
        #[arg(long = "set", value_parser = parse_weight)]
        set: Vec<(String, f64)>,
    },
    /// Solve a placement instance file.
    Solve {
        #[arg(long)]
        input: PathBuf,
        /// Where to write the plan (default: standard output).
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "optimal")]
        method: Method,
        /// Stop the optimal search after this many seconds with the best plan found.
        #[arg(long)]
        time_limit: Option<f64>,
        /// Likely arrivals for the rest of the year (docs/placement-format.md, "Forecast"):
        /// the batch is placed with them in view, by a two-stage program. Without it, each
        /// batch is solved on its own.
        #[arg(long, conflicts_with = "method")]
        forecast: Option<PathBuf>,
    },
}

fn parse_wish(s: &str) -> Result<RefugeeWish, String> {
    let parts: Vec<&str> = s.split(':').map(str::trim).collect();
    let (municipality, region, reason) = match parts.as_slice() {
        ["region", code] => (None, Some(*code), None),
        ["region", code, reason] => (None, Some(*code), Some(*reason)),
        [code] => (Some(*code), None, None),
        [code, reason] => (Some(*code), None, Some(*reason)),
        _ => {
            return Err(format!(
                "{s:?} is not CODE[:REASON] or region:CODE[:REASON]"
            ))
        }
    };
    Ok(RefugeeWish {
        municipality: municipality.map(str::to_owned),
        region: region.map(str::to_owned),
        reason: reason.map(str::to_owned),
    })
}

fn parse_weight(s: &str) -> Result<(String, f64), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not NAME=VALUE"))?;
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a number"))?;
    Ok((name.trim().to_owned(), value))
}

impl PlacementCommand {
    /// Solving an instance file needs no database.
    pub fn needs_database(&self) -> bool {
        !matches!(
            self,
            PlacementCommand::Solve { .. }
                | PlacementCommand::History(crate::visitation::HistoryCommand::Sample { .. })
        )
    }
}

/// Ok(false) when the instance has no plan (the explanation is printed).
pub fn run(command: PlacementCommand) -> anyhow::Result<bool> {
    if let PlacementCommand::History(history) = &command {
        if let Some(done) = crate::visitation::sample(history) {
            return done.map(|()| true);
        }
    }
    let PlacementCommand::Solve {
        input,
        output,
        method,
        time_limit,
        forecast,
    } = command
    else {
        unreachable!("database commands go to run_on_database")
    };
    let text = std::fs::read_to_string(&input)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", input.display()))?;
    let instance: Instance = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not a placement instance: {e}", input.display()))?;
    instance
        .validate()
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    let forecast: Option<Forecast> = match &forecast {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            let forecast: Forecast = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{} is not a forecast: {e}", path.display()))?;
            forecast
                .instances(&instance)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Some(forecast)
        }
        None => None,
    };
    let started = Instant::now();
    let result = match (method, &forecast) {
        (_, Some(forecast)) => resettle::solver::with_forecast(
            &instance,
            forecast,
            &resettle::solver::SolveOptions {
                time_limit,
                ..Default::default()
            },
        )
        .map(serde_json::to_value),
        (Method::Optimal, None) => optimal(&instance, time_limit).map(serde_json::to_value),
        (Method::Greedy, None) => greedy(&instance).map(|plan| {
            let mut value = serde_json::to_value(&plan)?;
            value["solve_ms"] = json!(started.elapsed().as_millis() as u64);
            Ok(value)
        }),
    };
    match result {
        Ok(value) => {
            let text = serde_json::to_string_pretty(&value?)?;
            match output {
                Some(path) => std::fs::write(&path, text + "\n")
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
                None => println!("{text}"),
            }
            Ok(true)
        }
        Err(why) => {
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &json!({ "ok": false, "infeasible": true, "why": why })
                )?
            );
            Ok(false)
        }
    }
}

pub async fn run_on_database(
    store: &Store,
    session: &Session,
    command: PlacementCommand,
    json: bool,
) -> anyhow::Result<()> {
    let actor = session.actor().to_owned();
    let print = |value: serde_json::Value, text: String| {
        if json {
            println!("{value}");
        } else {
            println!("{text}");
        }
    };
    match command {
        PlacementCommand::Solve { .. } => unreachable!("handled without a database"),
        PlacementCommand::Propose {
            batch,
            year,
            method,
            time_limit,
            no_forecast,
        } => {
            let batch: Batch = batch.parse()?;
            let method = match method {
                Method::Optimal => ProposalMethod::Optimal,
                Method::Greedy => ProposalMethod::Greedy,
            };
            let options = SolveOptions {
                time_limit,
                ..SolveOptions::default()
            };
            let forecasting = if no_forecast {
                Forecasting::Off
            } else {
                Forecasting::FromHistory
            };
            let proposed = match resettle::placement::propose_reporting(
                store,
                session,
                year,
                &batch,
                method,
                &options,
                forecasting,
                |stage| {
                    if !json {
                        if let Stage::Solving { .. } = stage {
                            eprintln!("Solving...");
                        }
                    }
                },
            )
            .await
            {
                Err(StoreError::Infeasible(why)) if json => {
                    println!(
                        "{}",
                        json!({"ok": false, "code": "infeasible", "infeasible": true, "why": why})
                    );
                    return Err(anyhow::anyhow!(crate::Refused));
                }
                other => other?,
            };
            let mut text = format!(
                "Proposed {} households ({}, objective {:.2}{}):",
                proposed.proposals.len(),
                proposed.method,
                proposed.objective,
                proposed
                    .gap
                    .map(|g| format!(", gap {:.4} %", g * 100.0))
                    .unwrap_or_default()
            );
            for p in &proposed.proposals {
                text.push('\n');
                text.push_str(&proposal_line(p));
            }
            text.push('\n');
            text.push_str(&match (&proposed.forecast, &proposed.no_forecast) {
                (Some(f), _) => format!(
                    "The rest of the year ({} samples from the outcome history): {:.0} households, {:.0} persons expected for {} places left{}.",
                    f.samples,
                    f.households,
                    f.persons,
                    f.places_left,
                    if f.unplaced_persons > 0.0 {
                        format!("; {:.1} persons of them could not be placed", f.unplaced_persons)
                    } else {
                        String::new()
                    }
                ),
                (None, Some(why)) => format!("Solved without a forecast: {why}."),
                (None, None) => String::new(),
            });
            if let Some(v) = proposed.proposals.first().and_then(|p| p.model_version) {
                text.push_str(&format!("\nScored by learned model version {v}."));
            }
            text.push_str("\nA proposal supports the decision; the municipality is consulted and a person confirms it.");
            print(json!({"ok": true, "proposed": proposed}), text);
        }
        PlacementCommand::JobOffer(c) => {
            crate::visitation::job_offer(store, session, c, json).await?
        }
        PlacementCommand::Wishes(c) => crate::visitation::wishes(store, session, c, json).await?,
        PlacementCommand::History(c) => crate::visitation::history(store, session, c, json).await?,
        PlacementCommand::Model(c) => crate::visitation::model(store, session, c, json).await?,
        PlacementCommand::Balance { year } => crate::visitation::balance(store, year, json).await?,
        PlacementCommand::List { year } => {
            let list = store.proposals(year).await?;
            let text = if list.is_empty() {
                "No proposals.".to_owned()
            } else {
                list.iter()
                    .map(proposal_line)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            print(json!({"ok": true, "proposals": list}), text);
        }
        PlacementCommand::Pool => {
            let pool = store.placement_pool().await?;
            let text = pool
                .iter()
                .map(|p| {
                    format!(
                        "{:<16} {} persons{}{}",
                        p.case_no,
                        p.persons,
                        if p.needs.is_empty() {
                            String::new()
                        } else {
                            format!(", needs {}", p.needs.join(", "))
                        },
                        p.mission
                            .as_deref()
                            .map(|m| format!(" ({m})"))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            print(json!({"ok": true, "pool": pool}), text);
        }
        PlacementCommand::Check { case, municipality } => {
            let check = store.check_move(&case, municipality).await?;
            let text = format!(
                "Score {:.2} in {municipality}.{}{}",
                check.score,
                check
                    .problems
                    .iter()
                    .map(|p| format!("\n  refused: {p}"))
                    .collect::<String>(),
                check
                    .over_quota
                    .as_ref()
                    .map(|p| format!("\n  needs an override: {p}"))
                    .unwrap_or_default()
            );
            print(json!({"ok": true, "check": check}), text);
        }
        PlacementCommand::Move {
            case,
            municipality,
            override_reason,
        } => {
            let p = store
                .move_proposal(&case, municipality, override_reason.as_deref(), &actor)
                .await?;
            print(json!({"ok": true, "proposal": p}), proposal_line(&p));
        }
        PlacementCommand::Consult { case, note } => {
            let p = store
                .transition_proposal(&case, ProposalStatus::Consulted, &note, &actor)
                .await?;
            print(json!({"ok": true, "proposal": p}), proposal_line(&p));
        }
        PlacementCommand::Confirm { case, note } => {
            let p = store
                .transition_proposal(&case, ProposalStatus::Confirmed, &note, &actor)
                .await?;
            print(json!({"ok": true, "proposal": p}), proposal_line(&p));
        }
        PlacementCommand::Decline { case, reason } => {
            let p = store
                .transition_proposal(&case, ProposalStatus::Declined, &reason, &actor)
                .await?;
            print(
                json!({"ok": true, "proposal": p}),
                format!("{}\n{case} is back in the pool.", proposal_line(&p)),
            );
        }
        PlacementCommand::Profile {
            case,
            network,
            needs,
            services,
            link_group,
            wishes,
            no_wishes,
        } => {
            let mut profile = store.placement_profile(&case).await?;
            let changed = network.is_some()
                || needs.is_some()
                || services.is_some()
                || link_group.is_some()
                || !wishes.is_empty()
                || no_wishes;
            if !wishes.is_empty() || no_wishes {
                profile.wishes = wishes;
            }
            if let Some(n) = network {
                profile.network = n;
            }
            if let Some(n) = needs {
                profile.needs = n.into_iter().filter(|t| !t.trim().is_empty()).collect();
            }
            if let Some(s) = services {
                profile.services = s.into_iter().filter(|t| !t.trim().is_empty()).collect();
            }
            if let Some(g) = link_group {
                profile.link_group = Some(g.trim().to_owned()).filter(|g| !g.is_empty());
            }
            if changed {
                store.set_placement_profile(&case, &profile, &actor).await?;
            }
            print(
                json!({"ok": true, "profile": profile}),
                format!(
                    "{case}: network {:?}, needs {:?}, services {:?}, link group {}, wishes {}",
                    profile.network,
                    profile.needs,
                    profile.services,
                    profile.link_group.as_deref().unwrap_or("none"),
                    if profile.wishes.is_empty() {
                        "none".to_owned()
                    } else {
                        profile
                            .wishes
                            .iter()
                            .map(resettle::domain::placement::wishes::describe)
                            .collect::<Vec<_>>()
                            .join("; ")
                    }
                ),
            );
        }
        PlacementCommand::Weights { set } => {
            let mut weights = store.placement_weights().await?;
            for (name, value) in &set {
                let slot = match name.as_str() {
                    "network" => &mut weights.network,
                    "skills" => &mut weights.skills,
                    "services" => &mut weights.services,
                    "language" => &mut weights.language,
                    "spread" => &mut weights.spread,
                    "wish" => &mut weights.wish,
                    "municipality_wish" => &mut weights.municipality_wish,
                    "outcome" => &mut weights.outcome,
                    other => anyhow::bail!(
                        "{other:?} is not a weight: network, skills, services, language, spread, wish, municipality_wish or outcome"
                    ),
                };
                *slot = *value;
            }
            if !set.is_empty() {
                store.set_placement_weights(&weights, &actor).await?;
            }
            print(
                json!({"ok": true, "weights": weights}),
                format!(
                    "network {}, skills {}, services {}, language {}, spread {}, wish {}, municipality_wish {}, outcome {}",
                    weights.network,
                    weights.skills,
                    weights.services,
                    weights.language,
                    weights.spread,
                    weights.wish,
                    weights.municipality_wish,
                    weights.outcome
                ),
            );
        }
    }
    Ok(())
}

fn proposal_line(p: &Proposal) -> String {
    format!(
        "{:<16} {} persons → {} {} [{}] score {:.2}",
        p.case_no, p.persons, p.municipality, p.municipality_name, p.status, p.score
    )
}
