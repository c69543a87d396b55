//! `cargo xtask bench`: the project's benchmarks, printed as tables.
//!
//! Start-up: from spawning the process to the Overview showing data from the database,
//! against the framework's floor (bench/floor-app: a Tauri window with a static page, built
//! with the same profile and features). Memory: after start, the proportional set size
//! (PSS) of the whole process tree, because WebKit runs the page in child processes and
//! RSS would count their shared libraries once per process. Runs alternate between the two
//! apps so that a change in the machine's load hits both alike. Then the quota engine's
//! benchmark (benches/quota.rs: status and deadlines on 200,000 synthetic cases) and the
//! import benchmark (benches/import.rs: a file of 10,000 persons), the case search
//! (benches/search.rs: 100,000 cases) and the placement solver (benches/placement.rs:
//! 500, 5,000 and 50,000 households × 98 municipalities, optimal against greedy), and the
//! documents (benches/documents.rs: a municipality pack of 1,000 referral forms against
//! one PDF per form), and the backup (benches/backup.rs: `resettle backup` of a 1 GiB
//! database against `cp` of the file, in MB/s).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::cmd::{self, cargo, root};
use crate::display::VirtualDisplay;
use crate::prereq::{self, Purpose};

const RUNS: usize = 7;
const READY_LINE: &str = "RESETTLE_OVERVIEW_READY";
/// How long the app is left to settle after it is ready, before memory is read.
const SETTLE: Duration = Duration::from_secs(2);

/// A table row: its name, how to read the figure from a sample, and the unit.
type Row = (&'static str, fn(&Sample) -> f64, &'static str);

struct Sample {
    ready: Duration,
    pss_kib: u64,
    rss_main_kib: u64,
}

pub fn bench() -> Result<()> {
    prereq::ensure(Purpose::Test)?;
    let root = root();
    let debs = crate::bundle(crate::Profile::Release)?;
    cmd::run(
        cargo()
            .args([
                "build",
                "--release",
                "-p",
                "resettle-app",
                "-p",
                "floor-app",
            ])
            .current_dir(&root),
    )?;
    cmd::run(
        cargo()
            .args(["build", "--release", "--bin", "resettle"])
            .current_dir(&root),
    )?;

    let dir = std::env::temp_dir().join(format!("resettle-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("bench.db");
    let _ = std::fs::remove_file(&db);
    cmd::output(
        Command::new(root.join("target/release/resettle"))
            .arg("--db")
            .arg(&db)
            .arg("demo-data"),
    )?;

    let display = VirtualDisplay::start()?;
    let apps = [
        (
            "floor (minimal Tauri window)",
            root.join("target/release/floor-app"),
        ),
        ("Resettle", root.join("target/release/resettle-app")),
    ];
    let mut samples: [Vec<Sample>; 2] = [Vec::new(), Vec::new()];
    for run in 0..RUNS {
        for (i, (name, exe)) in apps.iter().enumerate() {
            let sample = measure(exe, &display.name, &db, &dir)
                .with_context(|| format!("run {} of {name}", run + 1))?;
            eprintln!(
                "run {}: {name}: ready in {} ms, PSS {} MiB",
                run + 1,
                sample.ready.as_millis(),
                sample.pss_kib / 1024
            );
            samples[i].push(sample);
        }
    }
    drop(display);
    let _ = std::fs::remove_dir_all(&dir);

    let median = |v: &mut Vec<f64>| -> f64 {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let stat = |i: usize, f: fn(&Sample) -> f64| median(&mut samples[i].iter().map(f).collect());
    let rows: [Row; 3] = [
        (
            "start to Overview with data",
            |s| s.ready.as_secs_f64() * 1000.0,
            "ms",
        ),
        (
            "memory, PSS of process tree",
            |s| s.pss_kib as f64 / 1024.0,
            "MiB",
        ),
        (
            "memory, RSS of main process",
            |s| s.rss_main_kib as f64 / 1024.0,
            "MiB",
        ),
    ];
    println!();
    println!("Benchmarks (release builds, median of {RUNS} alternating runs under Xvfb)");
    println!(
        "| {:<30} | {:>12} | {:>12} | {:>8} |",
        "metric", "floor", "Resettle", "ratio"
    );
    println!("|{:-<32}|{:->14}|{:->14}|{:->10}|", "", "", "", "");
    for (name, f, unit) in rows {
        let (floor, app) = (stat(0, f), stat(1, f));
        println!(
            "| {:<30} | {:>8.1} {:<3} | {:>8.1} {:<3} | {:>7.2}x |",
            name,
            floor,
            unit,
            app,
            unit,
            app / floor
        );
    }
    for deb in debs {
        let size = std::fs::metadata(&deb)?.len();
        println!(
            "| {:<30} | {:>12} | {:>8.1} MiB | {:>8} |",
            ".deb package size",
            "",
            size as f64 / (1024.0 * 1024.0),
            ""
        );
        println!("  ({})", deb.display());
    }
    println!();
    // The core's script-style benches (benches/quota.rs, import.rs, search.rs,
    // placement.rs, documents.rs, backup.rs, dynamic.rs: placement through the year,
    // learning.rs: the learned match score): each prints its own table against its baseline.
    for bench in [
        "quota",
        "import",
        "search",
        "placement",
        "documents",
        "backup",
        "dynamic",
        "learning",
    ] {
        cmd::run(
            cargo()
                .args(["bench", "-p", "resettle", "--bench", bench])
                .current_dir(&root),
        )?;
    }
    Ok(())
}

fn measure(exe: &Path, display: &str, db: &Path, home: &Path) -> Result<Sample> {
    if !exe.exists() {
        bail!("{} is missing", exe.display());
    }
    let start = Instant::now();
    let mut child = Command::new(exe)
        .env("DISPLAY", display)
        .env("RESETTLE_BENCH_READY", "1")
        .env("RESETTLE_DB", db)
        // A private home keeps WebKit's caches of one run from warming the next.
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", exe.display()))?;
    let ready = wait_for_ready(&mut child, start);
    let result = ready.map(|ready| {
        std::thread::sleep(SETTLE);
        let tree = process_tree(child.id());
        let pss_kib = tree
            .iter()
            .map(|pid| status_kib(*pid, "smaps_rollup", "Pss:"))
            .sum();
        let rss_main_kib = status_kib(child.id(), "status", "VmRSS:");
        Sample {
            ready,
            pss_kib,
            rss_main_kib,
        }
    });
    kill_tree(&mut child);
    result
}

fn wait_for_ready(child: &mut Child, start: Instant) -> Result<Duration> {
    let stdout = child.stdout.take().context("no stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.trim() == READY_LINE {
                let _ = tx.send(start.elapsed());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .context("the app did not report that it showed data within 60 s")
}

/// The process and all its descendants, from /proc.
fn process_tree(root_pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) {
                // The command name is in parentheses and may hold spaces: read after the last ')'.
                if let Some(ppid) = stat
                    .rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                    .and_then(|s| s.parse().ok())
                {
                    parents.push((pid, ppid));
                }
            }
        }
    }
    let mut tree = vec![root_pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree
}

fn status_kib(pid: u32, file: &str, field: &str) -> u64 {
    let path = PathBuf::from(format!("/proc/{pid}/{file}"));
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn kill_tree(child: &mut Child) {
    let tree = process_tree(child.id());
    for pid in tree.iter().rev() {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg(pid.to_string())
            .status();
    }
    let _ = child.wait();
}
