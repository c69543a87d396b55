//! `resettle placement job-offer | wishes | history | model`: the visitation's inputs on
//! the database (a household's job offer, the municipalities' wishes for a year, the
//! outcome history) and the learned models. Each command calls one store operation or one
//! use case and prints what came back.

use std::path::PathBuf;

use clap::Subcommand;
use resettle::domain::placement::instance::MunicipalityWishes;
use resettle::domain::placement::job_offer::JobOffer;
use resettle::import::ImportFailure;
use resettle::session::Session;
use resettle::storage::{JobOfferRecord, ModelVersion, MunicipalityWishesRow, Store};
use resettle::visitation::{self, FileOutcome, TrainError};
use serde_json::json;

#[derive(Subcommand)]
pub enum JobOfferCommand {
    /// Show a household's job offer.
    Show { case: String },
    /// Record (or replace) a household's job offer.
    Set {
        case: String,
        /// The municipality of the workplace.
        #[arg(long)]
        municipality: u16,
        #[arg(long)]
        hours: f64,
        /// A permanent position (without it, a temporary one).
        #[arg(long)]
        permanent: bool,
        /// Where the offer is documented (a letter's reference, a file number).
        #[arg(long)]
        document: String,
    },
    /// Do not follow a qualifying offer, for the reason given (a quota manager's decision).
    Override {
        case: String,
        #[arg(long)]
        reason: String,
    },
    /// Follow the offer again.
    LiftOverride { case: String },
    /// Remove a household's job offer.
    Remove { case: String },
}

#[derive(Subcommand)]
pub enum WishesCommand {
    /// The municipalities' wishes for a year.
    Show {
        #[arg(long)]
        year: i32,
    },
    /// Replace a year's wishes with a file (docs/placement-format.md, "Municipality
    /// wishes file"); all or nothing.
    Import {
        file: PathBuf,
        #[arg(long)]
        year: i32,
    },
    /// Set one municipality's wishes for a year (lists comma-separated; none given: none).
    Set {
        code: u16,
        #[arg(long)]
        year: i32,
        #[arg(long, value_delimiter = ',')]
        household_types: Vec<String>,
        #[arg(long, value_delimiter = ',')]
        languages: Vec<String>,
        #[arg(long, value_delimiter = ',')]
        services: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum HistoryCommand {
    /// Import an outcome history (docs/outcome-history-format.md); all or nothing.
    Import { file: PathBuf },
    /// The history in use: its file, rows and years.
    Show,
    /// Write the demo's synthetic history (invented households, outcomes drawn from a
    /// known model) to a file, to try the forecast and the learned model with.
    Sample {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 2000)]
        rows: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

/// `history sample` needs no database.
pub fn sample(command: &HistoryCommand) -> Option<anyhow::Result<()>> {
    let HistoryCommand::Sample { out, rows, seed } = command else {
        return None;
    };
    let history = resettle::demo::history::synthetic_history(*seed, *rows);
    let text = resettle::domain::placement::outcomes::write_history(&history.arrivals);
    Some(
        std::fs::write(out, text)
            .map(|()| {
                println!(
                    "Wrote {} synthetic past arrivals to {}.",
                    history.arrivals.len(),
                    out.display()
                )
            })
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display())),
    )
}

#[derive(Subcommand)]
pub enum ModelCommand {
    /// Train a model on the history and keep it as the next version (not yet in use).
    Train,
    /// The model versions with their cross-validation.
    List,
    /// Score proposals with this version ("none": the feature model's weights).
    Use { version: String },
}

fn printer(json: bool) -> impl Fn(serde_json::Value, String) {
    move |value, text| {
        if json {
            println!("{value}");
        } else {
            println!("{text}");
        }
    }
}

fn import_failure(e: ImportFailure) -> anyhow::Error {
    match e {
        ImportFailure::Store(e) => e.into(),
        e => anyhow::anyhow!("{e}"),
    }
}

pub async fn job_offer(
    store: &Store,
    session: &Session,
    command: JobOfferCommand,
    json: bool,
) -> anyhow::Result<()> {
    let actor = session.actor();
    let record = match command {
        JobOfferCommand::Show { case } => match store.job_offer(&case).await? {
            Some(r) => r,
            None => {
                printer(json)(
                    json!({"ok": true, "job_offer": null}),
                    format!("{case} has no job offer."),
                );
                return Ok(());
            }
        },
        JobOfferCommand::Set {
            case,
            municipality,
            hours,
            permanent,
            document,
        } => {
            let offer = JobOffer {
                municipality,
                hours_per_week: hours,
                permanent,
                document,
                overridden: None,
            };
            store.set_job_offer(&case, &offer, actor).await?
        }
        JobOfferCommand::Override { case, reason } => {
            store
                .override_job_offer(&case, Some(&reason), actor)
                .await?
        }
        JobOfferCommand::LiftOverride { case } => {
            store.override_job_offer(&case, None, actor).await?
        }
        JobOfferCommand::Remove { case } => {
            store.remove_job_offer(&case, actor).await?;
            printer(json)(
                json!({"ok": true, "job_offer": null}),
                format!("{case}: job offer removed."),
            );
            return Ok(());
        }
    };
    printer(json)(
        json!({"ok": true, "job_offer": record}),
        offer_line(&record),
    );
    Ok(())
}

fn offer_line(r: &JobOfferRecord) -> String {
    let o = &r.offer;
    let what = match (&o.overridden, r.qualifies) {
        (Some(reason), _) => format!(
            "overridden by {}: {reason}",
            r.overridden_by.as_deref().unwrap_or("?")
        ),
        (None, true) => "qualifies: it places the household there".to_owned(),
        (None, false) => {
            "does not qualify (a permanent offer of at least 15 hours a week does)".to_owned()
        }
    };
    format!(
        "{}: {} hours a week, {}, in {} {} (document {}); {what}",
        r.case_no,
        o.hours_per_week,
        if o.permanent {
            "permanent"
        } else {
            "temporary"
        },
        o.municipality,
        r.municipality_name,
        o.document
    )
}

pub async fn wishes(
    store: &Store,
    session: &Session,
    command: WishesCommand,
    json: bool,
) -> anyhow::Result<()> {
    let (year, rows) = match command {
        WishesCommand::Show { year } => (year, store.municipality_wishes(year).await?),
        WishesCommand::Import { file, year } => {
            match visitation::import_municipality_wishes_file(store, session, &file, year)
                .await
                .map_err(import_failure)?
            {
                FileOutcome::Imported(rows) => (year, rows),
                FileOutcome::Refused(problems) => {
                    return Err(crate::import::refused_file(&file, &problems, json))
                }
            }
        }
        WishesCommand::Set {
            code,
            year,
            household_types,
            languages,
            services,
        } => {
            let clean = |v: Vec<String>| -> Vec<String> {
                v.into_iter()
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect()
            };
            let wishes = MunicipalityWishes {
                household_types: clean(household_types),
                languages: clean(languages),
                services: clean(services),
            };
            let rows = store
                .set_municipality_wishes(year, code, &wishes, session.actor())
                .await?;
            (year, rows)
        }
    };
    let text = if rows.is_empty() {
        format!("No municipality wishes for {year}.")
    } else {
        rows.iter().map(wishes_line).collect::<Vec<_>>().join("\n")
    };
    printer(json)(json!({"ok": true, "year": year, "wishes": rows}), text);
    Ok(())
}

fn wishes_line(r: &MunicipalityWishesRow) -> String {
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_owned()
        } else {
            v.join(", ")
        }
    };
    format!(
        "{} {}: household types {}; languages {}; services {}",
        r.code,
        r.name,
        list(&r.wishes.household_types),
        list(&r.wishes.languages),
        list(&r.wishes.services)
    )
}

pub async fn history(
    store: &Store,
    session: &Session,
    command: HistoryCommand,
    json: bool,
) -> anyhow::Result<()> {
    let import = match command {
        HistoryCommand::Import { file } => {
            match visitation::import_history_file(store, session, &file)
                .await
                .map_err(import_failure)?
            {
                FileOutcome::Imported(import) => import,
                FileOutcome::Refused(problems) => {
                    return Err(crate::import::refused_file(&file, &problems, json))
                }
            }
        }
        HistoryCommand::Sample { .. } => unreachable!("handled without a database"),
        HistoryCommand::Show => match store.outcome_history().await? {
            Some((import, _)) => import,
            None => {
                printer(json)(
                    json!({"ok": true, "history": null}),
                    "No outcome history has been imported.".to_owned(),
                );
                return Ok(());
            }
        },
    };
    let text = format!(
        "Outcome history {} ({} rows, arrivals {}–{}), imported by {} at {}; sha256 {}",
        import.file_name,
        import.rows,
        import.first_year,
        import.last_year,
        import.imported_by,
        import.imported_at.format("%Y-%m-%d %H:%M UTC"),
        import.sha256
    );
    printer(json)(json!({"ok": true, "history": import}), text);
    Ok(())
}

pub async fn model(
    store: &Store,
    session: &Session,
    command: ModelCommand,
    json: bool,
) -> anyhow::Result<()> {
    match command {
        ModelCommand::Train => {
            let version = match visitation::train_model(store, session).await {
                Ok(v) => v,
                Err(TrainError::Store(e)) => return Err(e.into()),
                Err(e) => return Err(anyhow::anyhow!("{e}")),
            };
            printer(json)(
                json!({"ok": true, "model": version}),
                format!(
                    "{}\nNot in use yet: read the validation, then `resettle placement model use {}`.",
                    version_line(&version),
                    version.version
                ),
            );
        }
        ModelCommand::List => {
            let versions = store.model_versions().await?;
            let text = if versions.is_empty() {
                "No model has been trained: proposals are scored by the feature model's weights."
                    .to_owned()
            } else {
                versions
                    .iter()
                    .map(version_line)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            printer(json)(json!({"ok": true, "models": versions}), text);
        }
        ModelCommand::Use { version } => {
            let chosen = match version.trim() {
                "none" => None,
                v => Some(v.parse::<u32>().map_err(|_| {
                    anyhow::anyhow!("{v:?} is not a model version: give its number, or none")
                })?),
            };
            store.use_model(chosen, session.actor()).await?;
            printer(json)(
                json!({"ok": true, "in_use": chosen}),
                match chosen {
                    Some(v) => format!("Proposals are now scored by model version {v}."),
                    None => "Proposals are now scored by the feature model's weights.".to_owned(),
                },
            );
        }
    }
    Ok(())
}

fn version_line(v: &ModelVersion) -> String {
    format!(
        "version {}{}: trained by {} at {} on {} ({} rows); {}-fold AUC {:.3} and Brier {:.3} (hand-weighted model: {:.3} and {:.3})",
        v.version,
        if v.in_use { " (in use)" } else { "" },
        v.trained_by,
        v.trained_at.format("%Y-%m-%d %H:%M UTC"),
        v.history_file,
        v.rows,
        v.folds,
        v.learned.auc,
        v.learned.brier,
        v.hand_weighted.auc,
        v.hand_weighted.brier
    )
}

pub async fn balance(store: &Store, year: i32, json: bool) -> anyhow::Result<()> {
    let report = store.placement_balance(year).await?;
    let mut text = format!(
        "Balance of {year}: quota filled by the end of March, June, September and December\n"
    );
    for m in report
        .municipalities
        .iter()
        .filter(|m| m.placed_by_month[11] > 0)
    {
        let pct = |i: usize| format!("{:>4.0} %", m.fill_by_month[i] * 100.0);
        text.push_str(&format!(
            "  {:>4}  quota {:>3}  {} {} {} {}  ({} placed)\n",
            m.code,
            m.quota,
            pct(2),
            pct(5),
            pct(8),
            pct(11),
            m.placed_by_month[11]
        ));
    }
    let idle = report
        .municipalities
        .iter()
        .filter(|m| m.quota > 0 && m.placed_by_month[11] == 0)
        .count();
    text.push_str(&format!(
        "  {idle} municipalities with a quota have no one placed yet\n"
    ));
    match report.model_version {
        None => text.push_str(
            "No model is in use, so no outcomes are predicted (resettle placement model use N).",
        ),
        Some(v) => {
            text.push_str(&format!(
                "Predicted chance of work or education two years on (model version {v}): where placed, at best, and the difference"
            ));
            for (title, groups) in [
                ("nationality", &report.by_nationality),
                ("household type", &report.by_household_type),
            ] {
                text.push_str(&format!("\n  by {title}:"));
                for g in groups {
                    let pct = |x: Option<f64>| {
                        x.map_or("-".to_owned(), |x| format!("{:.1} %", x * 100.0))
                    };
                    text.push_str(&format!(
                        "\n    {:<22} {:>3} households {:>4} persons  {:>7} {:>7}  {:>6}",
                        g.group,
                        g.households,
                        g.persons,
                        pct(g.predicted),
                        pct(g.best),
                        pct(g.cost)
                    ));
                }
            }
        }
    }
    printer(json)(json!({"ok": true, "balance": report}), text);
    Ok(())
}
