//! `resettle municipality ...`: the distribution key's inputs, the municipal quotas of a
//! year (computed, then edited by hand with a reason), capacities and profiles.

use std::path::PathBuf;

use clap::Subcommand;
use resettle::domain::placement::key::KeyExemption;
use resettle::domain::placement::profile::MunicipalityProfile;
use resettle::import::ImportFailure;
use resettle::key_inputs::{import_key_inputs_file, KeyInputsOutcome};
use resettle::session::Session;
use resettle::storage::{Store, StoreError};
use serde_json::json;

#[derive(Subcommand)]
pub enum MunicipalityCommand {
    /// Import a year's key inputs (docs/key-inputs-format.md); all or nothing.
    KeyInputs {
        #[arg(long)]
        year: i32,
        file: PathBuf,
        /// The figures are invented (demo or test data), not official statistics.
        #[arg(long)]
        synthetic: bool,
    },
    /// Compute the year's municipal quotas from its key inputs and the national number.
    ComputeQuotas {
        #[arg(long)]
        year: i32,
        /// The national number of refugees (landstal) for the year.
        #[arg(long)]
        national: u32,
        /// An exempted municipality and the one its amount passes to, as FROM:TO
        /// (e.g. 825:860, Læsø to Hjørring). Repeatable.
        #[arg(long = "exempt", value_parser = parse_exemption)]
        exemptions: Vec<KeyExemption>,
    },
    /// Change one municipality's quota of a year by hand.
    SetQuota {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        code: u16,
        #[arg(long)]
        quota: u32,
        #[arg(long)]
        reason: String,
    },
    /// Set the units of a capacity (wheelchair, specialist_care, housing, ...).
    SetCapacity {
        #[arg(long)]
        code: u16,
        #[arg(long)]
        capacity: String,
        #[arg(long)]
        units: u32,
    },
    /// Set a municipality's profile tags (comma-separated lists).
    SetProfile {
        #[arg(long)]
        code: u16,
        #[arg(long, value_delimiter = ',', default_value = "")]
        labour_market: Vec<String>,
        #[arg(long, value_delimiter = ',', default_value = "")]
        services: Vec<String>,
        #[arg(long, value_delimiter = ',', default_value = "")]
        languages: Vec<String>,
    },
    /// Every municipality's quota, persons proposed or placed, and places left in a year.
    Quotas {
        #[arg(long)]
        year: i32,
    },
}

fn parse_exemption(s: &str) -> Result<KeyExemption, String> {
    let (from, to) = s
        .split_once(':')
        .ok_or_else(|| format!("{s:?} is not FROM:TO"))?;
    Ok(KeyExemption {
        from: from
            .trim()
            .parse()
            .map_err(|_| format!("{from:?} is not a code"))?,
        to: to
            .trim()
            .parse()
            .map_err(|_| format!("{to:?} is not a code"))?,
    })
}

fn tags(list: Vec<String>) -> Vec<String> {
    list.into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

pub async fn run(
    store: &Store,
    session: &Session,
    command: MunicipalityCommand,
    json: bool,
) -> anyhow::Result<()> {
    let actor = session.actor().to_owned();
    match command {
        MunicipalityCommand::KeyInputs {
            year,
            file,
            synthetic,
        } => {
            let set = match import_key_inputs_file(store, session, &file, year, synthetic).await {
                Ok(KeyInputsOutcome::Imported(set)) => set,
                Ok(KeyInputsOutcome::Refused(problems)) => {
                    return Err(crate::import::refused_file(&file, &problems, json))
                }
                Err(ImportFailure::Store(e)) => return Err(e.into()),
                Err(e) => return Err(anyhow::anyhow!("{e}")),
            };
            if json {
                println!("{}", json!({"ok": true, "key_inputs": set}));
            } else {
                println!(
                    "Imported the {year} key inputs of {} municipalities{}.",
                    set.municipalities,
                    if synthetic { " (synthetic)" } else { "" }
                );
            }
        }
        MunicipalityCommand::ComputeQuotas {
            year,
            national,
            exemptions,
        } => {
            let quotas = store
                .compute_quotas(year, national, &exemptions, &actor)
                .await?;
            if json {
                println!("{}", json!({"ok": true, "year": year, "quotas": quotas}));
            } else {
                let given = quotas.values().filter(|q| **q > 0).count();
                println!(
                    "{year}: {national} persons over {given} municipalities (of {}).",
                    quotas.len()
                );
            }
        }
        MunicipalityCommand::SetQuota {
            year,
            code,
            quota,
            reason,
        } => {
            store
                .set_municipal_quota(year, code, quota, &reason, &actor)
                .await?;
            if json {
                println!("{}", json!({"ok": true}));
            } else {
                println!("{year}: municipality {code} now has a quota of {quota}.");
            }
        }
        MunicipalityCommand::SetCapacity {
            code,
            capacity,
            units,
        } => {
            store.set_capacity(code, &capacity, units, &actor).await?;
            if json {
                println!("{}", json!({"ok": true}));
            } else {
                println!("Municipality {code}: {capacity} = {units}.");
            }
        }
        MunicipalityCommand::SetProfile {
            code,
            labour_market,
            services,
            languages,
        } => {
            let profile = MunicipalityProfile {
                labour_market: tags(labour_market),
                services: tags(services),
                languages: tags(languages),
            };
            store
                .set_municipality_profile(code, &profile, &actor)
                .await?;
            if json {
                println!("{}", json!({"ok": true}));
            } else {
                println!("Municipality {code}: profile saved.");
            }
        }
        MunicipalityCommand::Quotas { year } => {
            let table = store.municipality_quotas(year).await?;
            if table.iter().all(|m| m.quota.is_none()) {
                return Err(StoreError::NoQuotasForYear(year).into());
            }
            let synthetic = store
                .key_input_set(year)
                .await?
                .is_some_and(|s| s.synthetic);
            if json {
                println!(
                    "{}",
                    json!({"ok": true, "year": year, "synthetic_inputs": synthetic, "municipalities": table})
                );
            } else {
                if synthetic {
                    println!("(The {year} key inputs are synthetic demo figures.)");
                }
                println!(
                    "{:<6} {:<22} {:>8} {:>6} {:>5} {:>5}",
                    "code", "municipality", "computed", "quota", "used", "left"
                );
                for m in &table {
                    println!(
                        "{:<6} {:<22} {:>8} {:>6} {:>5} {:>5}{}",
                        m.code,
                        m.name,
                        m.computed.unwrap_or(0),
                        m.quota.unwrap_or(0),
                        m.used,
                        m.left,
                        m.edit_reason
                            .as_deref()
                            .map(|r| format!("  edited: {r}"))
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    Ok(())
}
