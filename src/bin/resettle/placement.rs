//! `resettle placement solve`: a placement instance file in, a plan (or why there is
//! none) out. The formats are in docs/placement-format.md.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Subcommand, ValueEnum};
use resettle::domain::placement::greedy::greedy;
use resettle::domain::placement::instance::Instance;
use resettle::solver::optimal;
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
    },
}

/// Ok(false) when the instance has no plan (the explanation is printed).
pub fn run(command: PlacementCommand) -> anyhow::Result<bool> {
    let PlacementCommand::Solve {
        input,
        output,
        method,
        time_limit,
    } = command;
    let text = std::fs::read_to_string(&input)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", input.display()))?;
    let instance: Instance = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not a placement instance: {e}", input.display()))?;
    instance
        .validate()
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    let started = Instant::now();
    let result = match method {
        Method::Optimal => optimal(&instance, time_limit).map(serde_json::to_value),
        Method::Greedy => greedy(&instance).map(|plan| {
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
