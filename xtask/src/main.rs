//! `cargo xtask <task>`: the project's own task runner.
//!
//!   run        check and install prerequisites, build the UI, seed a fresh database, start the app
//!   test       the whole suite: fmt, clippy, Rust tests, front-end checks and tests, end to end
//!   bench      start-up time and memory against a minimal Tauri window, and the .deb's size
//!   bundle     the installable package for this platform (.deb on Debian), the command line
//!              inside it; `--debug` for one of the test build's artifacts
//!   gen-types  rewrite ui/src/lib/bindings.ts from the Rust types, and ui/src/lib/commands.ts
//!              (the IPC client) from the shell's commands
//!   pg         a throwaway PostgreSQL server for running the store suites by hand: prints
//!              its RESETTLE_TEST_PG_URL and runs until Ctrl-C or the end of its input
//!              (`--port N` for a fixed port)

mod bench;
mod cmd;
mod display;
mod ipc_client;
mod postgres;
mod prereq;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use cmd::{cargo, npm, root};
use prereq::Purpose;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run_app(),
        Some("test") => test(),
        Some("bench") => bench::bench(),
        Some("bundle") => bundle(if args.get(1).map(String::as_str) == Some("--debug") {
            Profile::Debug
        } else {
            Profile::Release
        })
        .map(|debs| {
            for deb in debs {
                println!("{}", deb.display());
            }
        }),
        Some("gen-types") => gen_types(),
        Some("pg") => pg(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|bench|bundle [--debug]|gen-types|pg [--port N]>"
            );
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

/// Builds the front end into ui/dist, which the app's binary embeds.
pub fn build_ui() -> Result<()> {
    cmd::run(&mut npm(&["run", "build"]))
}

fn resettle_cli(args: &[&str]) -> Result<serde_json::Value> {
    let out = cmd::output(
        cargo()
            .args(["run", "--quiet", "--bin", "resettle", "--", "--json"])
            .args(args)
            .current_dir(root()),
    )?;
    serde_json::from_slice(&out.stdout).context("the resettle CLI printed no JSON")
}

fn run_app() -> Result<()> {
    prereq::ensure(Purpose::Run)?;
    build_ui()?;
    // Seed the database on first run: when it has neither households nor missions.
    let init = resettle_cli(&["init"])?;
    let overview = resettle_cli(&["overview"])?;
    if overview["households"] == 0 && overview["missions"] == 0 {
        eprintln!("A fresh database: loading the demo data set.");
        resettle_cli(&["demo-data"])?;
    }
    eprintln!(
        "Starting Resettle on {}",
        init["database"].as_str().unwrap_or("?")
    );
    cmd::run(
        cargo()
            .args(["run", "--quiet", "-p", "resettle-app"])
            .current_dir(root()),
    )
}

/// One step of the suite, timed and named in the summary.
struct Suite {
    passed: Vec<(String, f64)>,
}

impl Suite {
    fn step(&mut self, name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        f().with_context(|| format!("step failed: {name}"))?;
        let secs = start.elapsed().as_secs_f64();
        // Said as each step ends, so that a failed run's log still has the times before it.
        eprintln!("==> ok {secs:.1} s: {name}");
        self.passed.push((name.to_owned(), secs));
        Ok(())
    }
}

fn test() -> Result<()> {
    let started = Instant::now();
    let mut suite = Suite { passed: Vec::new() };
    let root = root();
    suite.step("prerequisites", || prereq::ensure(Purpose::Test))?;
    suite.step("cargo fmt --check", || {
        cmd::run(
            cargo()
                .args(["fmt", "--all", "--", "--check"])
                .current_dir(&root),
        )
    })?;
    suite.step("front end: type check (svelte-check, tsc)", || {
        cmd::run(&mut npm(&["run", "check"]))
    })?;
    suite.step("front end: lint (eslint)", || {
        cmd::run(&mut npm(&["run", "lint"]))
    })?;
    suite.step("front end: unit tests (vitest)", || {
        cmd::run(&mut npm(&["run", "test"]))
    })?;
    suite.step("front end: build", build_ui)?;
    suite.step("cargo clippy -D warnings", || {
        cmd::run(
            cargo()
                .args([
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ])
                .current_dir(&root),
        )
    })?;
    suite.step("Rust unit and integration tests", || {
        cmd::run(cargo().arg("test").args(TESTED_PACKAGES).current_dir(&root))
    })?;
    suite.step(
        "the store suites again on SQLCipher (encrypted files)",
        || {
            // The same packages as the step before, so that cargo resolves the same
            // features and runs the test binaries it built, instead of building the
            // library, HiGHS's bindings and the suites a second time.
            cmd::run(
                cargo()
                    .args(["test"])
                    .args(TESTED_PACKAGES)
                    .args(STORE_SUITES.iter().flat_map(|t| ["--test", t]))
                    .env("RESETTLE_TEST_STORE", "sqlcipher")
                    .current_dir(&root),
            )
        },
    )?;
    suite.step(
        "the store suites again on PostgreSQL, and the tests that need a server",
        || {
            let server = postgres::Server::start(&root.join(PG_DIR))?;
            // The same packages again, for the same reason as above; the CLI's check-out
            // and check-in with the office on the server (the laptop stays a file); the
            // audit chain's tampering done to databases on the server; and an office's
            // first year from `init`, by three server logins.
            let result = cmd::run(
                cargo()
                    .args(["test"])
                    .args(TESTED_PACKAGES)
                    .args(STORE_SUITES.iter().flat_map(|t| ["--test", t]))
                    .args(["--test", "bundle_cli", "--test", "audit_chain"])
                    .args(["--test", "first_year"])
                    .env("RESETTLE_TEST_STORE", "postgres")
                    .env("RESETTLE_TEST_PG_URL", server.url())
                    .current_dir(&root),
            )
            .and_then(|()| {
                // The tests that need a server and are ignored without one: the check-in
                // killed at random with the office on the server, the server's logins
                // and grants (tests/server_roles.rs), a pg_dump restored with
                // pg_restore (tests/backup.rs), an earlier build's database opened by
                // this one (tests/upgrade.rs) and a file office moved to the server
                // (tests/move_to_server.rs).
                cmd::run(
                    cargo()
                        .args(["test"])
                        .args(TESTED_PACKAGES)
                        .args(["--test", "kill_import", "--test", "server_roles"])
                        .args(["--test", "backup", "--test", "upgrade"])
                        .args(["--test", "move_to_server"])
                        .args(["--", "--ignored"])
                        .env("RESETTLE_TEST_PG_URL", server.url())
                        .current_dir(&root),
                )
            });
            // Stopped whether the suites passed or not.
            drop(server);
            result
        },
    )?;
    suite.step("end-to-end tests in the real window", || e2e(&root))?;
    // After the end-to-end tests: `tauri build` stamps the debug app it packages.
    if cfg!(target_os = "linux") && cmd::is_root() {
        suite.step(
            "the .deb carries the command line: installed, run and removed",
            || {
                let debs = bundle(Profile::Debug)?;
                let deb = debs.first().context("tauri build made no .deb")?;
                cmd::run(
                    cargo()
                        .args(["test"])
                        .args(TESTED_PACKAGES)
                        .args(["--test", "installed_deb", "--", "--ignored"])
                        .env("RESETTLE_DEB", deb)
                        .current_dir(&root),
                )
            },
        )?;
    } else {
        eprintln!("skipped: the .deb's installation test (needs Linux and root, as on CI)");
    }
    eprintln!(
        "\nSummary ({:.0} s in all):",
        started.elapsed().as_secs_f64()
    );
    for (name, secs) in &suite.passed {
        eprintln!("  ok  {secs:>6.1} s  {name}");
    }
    Ok(())
}

/// The packages the Rust tests run on: the end-to-end tests need the display and run on
/// their own; the floor app is the benchmark's.
const TESTED_PACKAGES: &[&str] = &[
    "--workspace",
    "--exclude",
    "resettle-e2e",
    "--exclude",
    "floor-app",
];

/// The integration tests that open their store through `tests/common` and so run on each
/// backend named by `RESETTLE_TEST_STORE`.
const STORE_SUITES: &[&str] = &[
    "store",
    "quota_store",
    "selection_store",
    "placement_store",
    "access",
    "bundle_store",
    "checkin_store",
];

/// Where the throwaway PostgreSQL servers keep their data, one folder per xtask process.
const PG_DIR: &str = "target/pg-test";

/// `cargo xtask pg [--port N]`: the server the PostgreSQL step of `test` uses, started for
/// running the store suites by hand; stopped on Ctrl-C or at the end of standard input.
fn pg(args: &[String]) -> Result<()> {
    let port = match args {
        [] => None,
        [flag, port] if flag == "--port" => Some(
            port.parse::<u16>()
                .with_context(|| format!("--port {port}: not a port number"))?,
        ),
        _ => bail!("usage: cargo xtask pg [--port N]"),
    };
    prereq::ensure_postgres()?;
    let server = postgres::Server::start_on(&root().join(PG_DIR), port)?;
    println!("RESETTLE_TEST_PG_URL={}", server.url());
    eprintln!(
        "\nThe store suites against it, from another terminal:\n  \
         RESETTLE_TEST_STORE=postgres RESETTLE_TEST_PG_URL={} cargo test {} {}\n\
         Ctrl-C or Ctrl-D (the end of input) stops the server.",
        server.url(),
        TESTED_PACKAGES.join(" "),
        STORE_SUITES
            .iter()
            .map(|t| format!("--test {t}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // Ctrl-C ends xtask here and the server's watchdog stops the server; the end of input
    // ends the wait, and the guard stops it.
    std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink())
        .context("cannot read standard input")?;
    drop(server);
    Ok(())
}

/// Builds the app with the embedded front end and drives it under a virtual display.
fn e2e(root: &PathBuf) -> Result<()> {
    cmd::run(
        cargo()
            .args(["build", "-p", "resettle-app", "--bin", "resettle-app"])
            .args(["-p", "resettle", "--bin", "resettle"])
            .current_dir(root),
    )?;
    let driver = prereq::ensure_tauri_driver()?;
    let app = root.join("target/debug/resettle-app");
    if !app.exists() {
        bail!("the app binary is missing at {}", app.display());
    }
    let display = display::VirtualDisplay::start()?;
    let screenshots = root.join("target/e2e-screenshots");
    // For the office's window on its server (the others open files); stopped on return.
    let server = postgres::Server::start(&root.join(PG_DIR))?;
    cmd::run(
        cargo()
            // resettle-app is named only so that cargo resolves features as in the build
            // above (HiGHS is then not compiled again); `--test '*'` runs e2e's tests alone.
            .args([
                "test",
                "-p",
                "resettle-e2e",
                "-p",
                "resettle-app",
                "--test",
                "*",
            ])
            .args(["--", "--test-threads=1"])
            .current_dir(root)
            .env("DISPLAY", &display.name)
            .env("RESETTLE_E2E_APP", &app)
            // The command line, to check that a change made in the window shows in its
            // output and the other way round.
            .env("RESETTLE_E2E_CLI", root.join("target/debug/resettle"))
            .env("RESETTLE_E2E_DRIVER", &driver)
            .env("RESETTLE_E2E_SCREENSHOTS", &screenshots)
            .env("RESETTLE_TEST_PG_URL", server.url()),
    )?;
    eprintln!("Screenshots of every view: {}", screenshots.display());
    Ok(())
}

/// Builds the installable package(s) for this platform with the Tauri CLI (the cargo
/// subcommand, installed when missing) and returns the paths of the .deb files made.
/// The build profile of a bundle: `release` for the package a user installs, `debug` for
/// the test step's package (the same configuration, on the test build's artifacts).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Release,
    Debug,
}

impl Profile {
    fn dir(self) -> &'static str {
        match self {
            Profile::Release => "release",
            Profile::Debug => "debug",
        }
    }
}

/// Makes the installable package with the command line inside it: the CLI built and staged
/// in `target/bundle-cli/`, where the bundle configuration (`src-tauri/tauri.conf.json`:
/// the .deb's `files`, the macOS bundle's `files`, the Windows installer's hooks) takes it
/// from, then `tauri build` (the npm package's binary, ui/node_modules). Returns the .debs.
pub fn bundle(profile: Profile) -> Result<Vec<PathBuf>> {
    prereq::ensure(Purpose::Run)?;
    build_ui()?;
    let root = root();
    // With the app, as the end-to-end step builds both: cargo resolves the features of the
    // package set, so the same set reuses that build instead of compiling the tree again.
    let mut cli = cargo();
    cli.args(["build", "-p", "resettle-app", "--bin", "resettle-app"])
        .args(["-p", "resettle", "--bin", "resettle"]);
    if profile == Profile::Release {
        cli.arg("--release");
    }
    cmd::run(cli.current_dir(&root))?;
    let exe = if cfg!(windows) {
        "resettle.exe"
    } else {
        "resettle"
    };
    let staged = root.join("target/bundle-cli");
    std::fs::create_dir_all(&staged)?;
    std::fs::copy(
        root.join("target").join(profile.dir()).join(exe),
        staged.join(exe),
    )
    .context("staging the command line for the bundle")?;
    let tauri = root.join("ui/node_modules/.bin/tauri");
    let mut build = std::process::Command::new(&tauri);
    build.args(["build"]).current_dir(root.join("src-tauri"));
    if profile == Profile::Debug {
        build.arg("--debug");
    }
    if cfg!(target_os = "linux") {
        // AppImage and rpm would need tools fetched from the network; the .deb needs none.
        build.args(["--bundles", "deb"]);
    }
    cmd::run(&mut build)?;
    let deb_dir = root.join("target").join(profile.dir()).join("bundle/deb");
    let mut debs: Vec<PathBuf> = std::fs::read_dir(&deb_dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "deb"))
                .collect()
        })
        .unwrap_or_default();
    debs.sort();
    Ok(debs)
}

fn gen_types() -> Result<()> {
    cmd::run(
        cargo()
            .args([
                "test",
                "-p",
                "resettle-usecases",
                "--lib",
                "ipc::tests::generated_bindings_are_up_to_date",
            ])
            .env("UPDATE_BINDINGS", "1")
            .current_dir(root()),
    )?;
    eprintln!(
        "Rewrote {}",
        root().join("ui/src/lib/bindings.ts").display()
    );
    let client = root().join(ipc_client::CLIENT_PATH);
    std::fs::write(&client, ipc_client::generate(&root())?)
        .with_context(|| format!("writing {}", client.display()))?;
    eprintln!("Rewrote {}", client.display());
    Ok(())
}
