//! `cargo bench -p resettle --bench placement` (run by `cargo xtask bench`): the
//! municipality placement solver on seeded random instances of 500, 5,000 and 50,000
//! households × 98 municipalities, with scores from the feature model (default weights).
//!
//! For each size: the optimal solve (`solver::optimal_with`: its own `solve_ms` and the
//! wall-clock, the objective, the LP bound, the gap, whether optimality was proven) and
//! the greedy baseline (its time and objective), and how much more the optimal plan scores.
//! Every plan is checked against the hard constraints first; a wrong plan aborts the bench.
//! 500 households: median of 5 runs, proven optimal (mip_gap 0); 5,000 and 50,000: one run
//! each with mip_gap 0.1 % and a time limit (60 s, 300 s, for the whole solve). Each size runs in a child process of the bench, so that its
//! peak RSS (read from /proc, Linux) is its own, and the bench stops a child that overruns
//! its budget (2 × the time limit per run + 2 minutes) and says so in the table.
//! `PLACEMENT_SIZES=500,5000` runs only the sizes listed. About 10 to 15 minutes in all.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use resettle::domain::placement::greedy::greedy;
use resettle::domain::placement::instance::{HouseholdToPlace, Instance, MunicipalitySlot};
use resettle::domain::placement::plan::{check_plan, Plan};
use resettle::solver::{optimal_with, SolveOptions};
use serde::{Deserialize, Serialize};

const SEED: u64 = 20_251_116;
const MUNICIPALITIES: usize = 98;
/// Places of quota in all per person to place.
const QUOTA_SLACK: f64 = 1.15;
/// Units of each capacity in all per household that needs one.
const CAPACITY_SLACK: f64 = 1.2;

const LABOUR: [&str; 12] = [
    "health",
    "care",
    "construction",
    "transport",
    "hospitality",
    "retail",
    "agriculture",
    "fishery",
    "manufacturing",
    "it",
    "education",
    "cleaning",
];
const SERVICES: [&str; 6] = [
    "trauma_therapy",
    "physiotherapy",
    "special_education",
    "dialysis",
    "mental_health",
    "elderly_care",
];
/// Languages, with how common they are among the households.
const LANGUAGES: [(&str, u32); 10] = [
    ("ar", 30),
    ("ti", 15),
    ("fa", 12),
    ("prs", 10),
    ("so", 10),
    ("ku", 8),
    ("uk", 6),
    ("fr", 4),
    ("en", 3),
    ("sw", 2),
];
/// Persons per household, 1 to 8, with how common each is.
const SIZES: [(u32, u32); 8] = [
    (1, 10),
    (2, 18),
    (3, 20),
    (4, 20),
    (5, 14),
    (6, 9),
    (7, 5),
    (8, 4),
];

/// One size of the benchmark and how it is solved.
struct Case {
    households: usize,
    options: SolveOptions,
    runs: usize,
    target: Target,
}

#[derive(Clone, Copy)]
enum Target {
    /// Proven optimal within this many seconds.
    Proven(f64),
    /// Within this relative gap of the LP bound, within this many seconds.
    Gap(f64, f64),
    /// No target: report what it reaches.
    Report,
}

const CASES: [Case; 3] = [
    Case {
        households: 500,
        options: SolveOptions {
            time_limit: Some(60.0),
            mip_gap: 0.0,
        },
        runs: 5,
        target: Target::Proven(2.0),
    },
    Case {
        households: 5_000,
        options: SolveOptions {
            time_limit: Some(60.0),
            mip_gap: 1e-3,
        },
        runs: 1,
        target: Target::Gap(1e-3, 30.0),
    },
    Case {
        households: 50_000,
        options: SolveOptions {
            time_limit: Some(300.0),
            mip_gap: 1e-3,
        },
        runs: 1,
        target: Target::Report,
    },
];

impl Case {
    /// How long the bench waits for a size before it stops it: twice the time limit per
    /// run plus a margin. A guard against a solve that overruns its limit (HiGHS does not
    /// check it during its set-up).
    fn budget(&self) -> Duration {
        let limit = self.options.time_limit.unwrap_or(60.0);
        Duration::from_secs_f64(self.runs as f64 * 2.0 * limit + 120.0)
    }
}

/// Set (to a number of households) in the child process that measures one size.
const CHILD: &str = "RESETTLE_PLACEMENT_BENCH_CHILD";

/// What the child measured for one size.
#[derive(Debug, Serialize, Deserialize)]
struct Measured {
    households: usize,
    persons: u64,
    /// Median over the runs.
    greedy_ms: f64,
    /// None when greedy got stuck.
    greedy_objective: Option<f64>,
    optimal: Result<Optimal, Failed>,
    peak_rss_kib: Option<u64>,
}

/// No plan from the optimal solve: after how long, and the solver's reason.
#[derive(Debug, Serialize, Deserialize)]
struct Failed {
    after_ms: f64,
    why: String,
}

/// The optimal solve of the run with the median wall-clock.
#[derive(Debug, Serialize, Deserialize)]
struct Optimal {
    wall_ms: f64,
    solve_ms: u64,
    objective: f64,
    bound: f64,
    gap: f64,
    proven_optimal: bool,
}

/// A row of the table: what the child measured, or how long it ran before it was stopped.
struct Row<'a> {
    case: &'a Case,
    outcome: Result<Measured, Duration>,
    /// Peak RSS of the child as last seen from outside (for a stopped child).
    peak_rss_kib: Option<u64>,
}

fn main() {
    if let Ok(n) = std::env::var(CHILD) {
        let n: usize = n.parse().expect("a number of households");
        let case = CASES.iter().find(|c| c.households == n).expect("a size");
        let measured = measure(case);
        println!(
            "RESULT {}",
            serde_json::to_string(&measured).expect("serialisable")
        );
        return;
    }
    let started = Instant::now();
    let only: Option<Vec<usize>> = std::env::var("PLACEMENT_SIZES").ok().map(|s| {
        s.split(',')
            .map(|n| n.trim().replace('_', "").parse().expect("PLACEMENT_SIZES"))
            .collect()
    });
    println!(
        "Placement benchmark: seed {SEED} (ChaCha8, a fresh stream per size), {MUNICIPALITIES} municipalities, feature-model scores with default weights; each size in its own process"
    );
    let mut rows = Vec::new();
    for case in &CASES {
        if only.as_ref().is_some_and(|o| !o.contains(&case.households)) {
            continue;
        }
        rows.push(run_child(case));
    }
    println!();
    print_table(&rows);
    println!();
    println!(
        "wall: around `optimal_with`; solve_ms: its own figure. gap: (LP bound − objective) / LP bound. 500 households: median of 5 runs; larger sizes: one run. Bench total {:.0} s.",
        started.elapsed().as_secs_f64()
    );
}

/// Measures one size in a child process (so that its peak memory is its own), and stops
/// it when it overruns its budget.
fn run_child(case: &Case) -> Row<'_> {
    let started = Instant::now();
    // /proc/self/exe still runs this binary when cargo has rebuilt the file meanwhile.
    let exe = Path::new("/proc/self/exe");
    let exe = if exe.exists() {
        exe.to_owned()
    } else {
        std::env::current_exe().expect("the bench's path")
    };
    let mut child = Command::new(exe)
        .env(CHILD, case.households.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the child");
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut measured = None;
    let mut peak = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => match line.strip_prefix("RESULT ") {
                Some(json) => {
                    measured = Some(serde_json::from_str::<Measured>(json).expect("a result"))
                }
                None => println!("{line}"),
            },
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        peak = peak_rss_kib(&format!("/proc/{}/status", child.id())).or(peak);
        if started.elapsed() > case.budget() {
            eprintln!(
                "{} households: no result after {:.0} s; stopping the child",
                case.households,
                started.elapsed().as_secs_f64()
            );
            child.kill().expect("stop the child");
            break;
        }
    }
    let status = child.wait().expect("the child's status");
    match measured {
        Some(m) => Row {
            case,
            outcome: Ok(m),
            peak_rss_kib: peak,
        },
        None if started.elapsed() > case.budget() => Row {
            case,
            outcome: Err(started.elapsed()),
            peak_rss_kib: peak,
        },
        // A panic in the child: a wrong plan, an invalid instance.
        None => panic!(
            "the child measuring {} households failed ({status}); see its message above",
            case.households
        ),
    }
}

/// In the child: builds the instance, runs greedy and the optimal solve, checks both plans.
fn measure(case: &Case) -> Measured {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let built = Instant::now();
    let instance = generate(&mut rng, case.households);
    instance
        .validate()
        .expect("the generated instance is valid");
    let persons: u64 = instance.households.iter().map(|h| u64::from(h.size)).sum();
    println!("{}", describe(&instance, built.elapsed()));

    let mut greedy_times = Vec::new();
    let mut greedy_objective = None;
    for _ in 0..case.runs {
        let start = Instant::now();
        let plan = greedy(&instance);
        greedy_times.push(start.elapsed());
        match plan {
            Ok(plan) => {
                check(&instance, &plan, "greedy");
                greedy_objective = Some(plan.objective);
            }
            Err(why) => eprintln!("greedy got stuck: {}", why.join("; ")),
        }
    }
    greedy_times.sort();

    let mut solves = Vec::new();
    for r in 0..case.runs {
        eprintln!(
            "{} households: optimal solve {} of {} ...",
            case.households,
            r + 1,
            case.runs
        );
        let start = Instant::now();
        let solved = match optimal_with(&instance, &case.options) {
            Ok(solved) => solved,
            Err(why) => {
                let why = why.join("; ");
                eprintln!(
                    "  no plan after {:.1} s: {why}",
                    start.elapsed().as_secs_f64()
                );
                return Measured {
                    households: case.households,
                    persons,
                    greedy_ms: ms(greedy_times[case.runs / 2]),
                    greedy_objective,
                    optimal: Err(Failed {
                        after_ms: ms(start.elapsed()),
                        why,
                    }),
                    peak_rss_kib: peak_rss_kib("/proc/self/status"),
                };
            }
        };
        let wall = start.elapsed();
        check(&instance, &solved.plan, "optimal");
        assert!(
            solved.plan.objective <= solved.bound + 1e-6 * solved.bound.abs().max(1.0),
            "objective {} above the LP bound {}",
            solved.plan.objective,
            solved.bound
        );
        eprintln!(
            "  {:.2} s (solve_ms {}), objective {:.2}, bound {:.2}, gap {:.4} %, proven {}",
            wall.as_secs_f64(),
            solved.solve_ms,
            solved.plan.objective,
            solved.bound,
            solved.gap * 100.0,
            solved.proven_optimal
        );
        solves.push((wall, solved));
    }
    solves.sort_by_key(|(wall, _)| *wall);
    let (wall, solved) = solves.swap_remove(case.runs / 2);
    Measured {
        households: case.households,
        persons,
        greedy_ms: ms(greedy_times[case.runs / 2]),
        greedy_objective,
        optimal: Ok(Optimal {
            wall_ms: ms(wall),
            solve_ms: solved.solve_ms,
            objective: solved.plan.objective,
            bound: solved.bound,
            gap: solved.gap,
            proven_optimal: solved.proven_optimal,
        }),
        peak_rss_kib: peak_rss_kib("/proc/self/status"),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A plan that breaks a hard constraint makes every figure of the bench worthless.
fn check(instance: &Instance, plan: &Plan, method: &str) {
    if let Err(e) = check_plan(instance, plan) {
        panic!(
            "the {method} plan for {} households breaks a hard constraint: {e}",
            instance.households.len()
        );
    }
}

fn print_table(rows: &[Row]) {
    println!(
        "| {:>10} | {:>7} | {:>9} | {:>9} | {:>10} | {:>10} | {:>8} | {:>6} | {:>9} | {:>10} | {:>9} | {:>9} | {:<40} |",
        "households",
        "persons",
        "wall",
        "solve_ms",
        "objective",
        "LP bound",
        "gap",
        "proven",
        "greedy",
        "greedy obj",
        "vs greedy",
        "peak RSS",
        "target"
    );
    println!(
        "|{:->12}|{:->9}|{:->11}|{:->11}|{:->12}|{:->12}|{:->10}|{:->8}|{:->11}|{:->12}|{:->11}|{:->11}|{:-<42}|",
        "", "", "", "", "", "", "", "", "", "", "", "", ""
    );
    for r in rows {
        let target = |met: Option<bool>| {
            let median = if r.case.runs > 1 { " (median)" } else { "" };
            let met = match met {
                Some(true) => "met",
                Some(false) => "NOT met",
                None => "no result",
            };
            match r.case.target {
                Target::Proven(limit) => format!("proven optimal < {limit} s: {met}{median}"),
                Target::Gap(gap, limit) => {
                    format!("gap ≤ {} % < {limit} s: {met}{median}", gap * 100.0)
                }
                Target::Report => "none (report)".to_owned(),
            }
        };
        let m = match &r.outcome {
            Ok(m) => m,
            Err(after) => {
                println!(
                    "| {:>10} | {:>7} | {:<104} | {:>9} | {:<40} |",
                    thousands(r.case.households as u64),
                    "",
                    format!(
                        "no result: stopped by the bench after {:.0} s",
                        after.as_secs_f64()
                    ),
                    mib(r.peak_rss_kib),
                    target(None)
                );
                continue;
            }
        };
        let peak = mib(m.peak_rss_kib.or(r.peak_rss_kib));
        let greedy_obj = m
            .greedy_objective
            .map(|g| format!("{g:.1}"))
            .unwrap_or_else(|| "stuck".into());
        let o = match &m.optimal {
            Ok(o) => o,
            Err(failed) => {
                // The solver's own words are on stderr; the last clause names the cause.
                let cause = failed.why.rsplit(": ").next().unwrap_or("");
                println!(
                    "| {:>10} | {:>7} | {:<67} | {:>6.1} ms | {:>10} | {:>9} | {:>9} | {:<40} |",
                    thousands(m.households as u64),
                    thousands(m.persons),
                    format!(
                        "no plan after {:.0} s: {}",
                        failed.after_ms / 1000.0,
                        cause.trim_end_matches('.')
                    ),
                    m.greedy_ms,
                    greedy_obj,
                    "-",
                    peak,
                    target(Some(false))
                );
                continue;
            }
        };
        let versus = m
            .greedy_objective
            .map(|g| {
                // Rounded first, so that an equal objective reads +0.0 and not -0.0.
                let percent = ((o.objective - g) / g.abs() * 1000.0).round() / 10.0 + 0.0;
                format!("{percent:+.1} %")
            })
            .unwrap_or_else(|| "-".into());
        let secs = o.wall_ms / 1000.0;
        let met = match r.case.target {
            Target::Proven(limit) => Some(o.proven_optimal && secs < limit),
            Target::Gap(gap, limit) => Some(o.gap <= gap && secs < limit),
            Target::Report => None,
        };
        println!(
            "| {:>10} | {:>7} | {:>7.2} s | {:>9} | {:>10.1} | {:>10.1} | {:>6.3} % | {:>6} | {:>6.1} ms | {:>10} | {:>9} | {:>9} | {:<40} |",
            thousands(m.households as u64),
            thousands(m.persons),
            secs,
            thousands(o.solve_ms),
            o.objective,
            o.bound,
            o.gap * 100.0,
            if o.proven_optimal { "yes" } else { "no" },
            m.greedy_ms,
            greedy_obj,
            versus,
            peak,
            target(met)
        );
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{:.0} MiB", k as f64 / 1024.0))
        .unwrap_or_else(|| "-".into())
}

/// A line about the instance: what there is to place and where.
fn describe(instance: &Instance, took: Duration) -> String {
    let (persons, places) = (instance.persons(), instance.places());
    let units = instance.units();
    let pairs: usize = units
        .iter()
        .map(|u| {
            instance
                .municipalities
                .iter()
                .filter(|m| instance.fits(u, m))
                .count()
        })
        .sum();
    let mut needs = String::new();
    for c in ["wheelchair", "specialist_care"] {
        let needed = instance
            .households
            .iter()
            .filter(|h| h.needs.iter().any(|n| n == c))
            .count();
        let free: u32 = instance
            .municipalities
            .iter()
            .map(|m| m.capacities.get(c).copied().unwrap_or(0))
            .sum();
        needs.push_str(&format!(", {c} {needed} of {free}"));
    }
    let linked = instance
        .households
        .iter()
        .filter(|h| h.link_group.is_some())
        .count();
    format!(
        "{} households: {} persons, {} places of quota{needs}, {} households in link groups, {} units × {} municipalities → {} variables (built in {} ms)",
        thousands(instance.households.len() as u64),
        thousands(persons),
        thousands(places),
        linked,
        thousands(units.len() as u64),
        instance.municipalities.len(),
        thousands(pairs as u64),
        took.as_millis()
    )
}

/// A random instance of `n` households and `MUNICIPALITIES` municipalities: sizes of
/// municipalities spread like a log-normal, households of 1 to 8 persons, a few needs,
/// link groups and networks, and profiles for the feature model.
fn generate(rng: &mut ChaCha8Rng, n: usize) -> Instance {
    // Municipality sizes: exp of an approximately normal draw, so a few are large.
    let weights: Vec<f64> = (0..MUNICIPALITIES)
        .map(|_| {
            let z: f64 = ((0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0) * 3f64.sqrt();
            (1.1 * z).exp()
        })
        .collect();
    let cumulative: Vec<f64> = weights
        .iter()
        .scan(0.0, |sum, w| {
            *sum += w;
            Some(*sum)
        })
        .collect();

    let mut households = Vec::with_capacity(n);
    let mut groups = 0;
    while households.len() < n {
        let mut h = household(rng, households.len(), &cumulative);
        // About 4 % of households in link groups of two (with the next one), which share
        // their network.
        if households.len() + 1 < n && rng.random_bool(0.02) {
            let group = format!("L{groups}");
            groups += 1;
            let mut other = household(rng, households.len() + 1, &cumulative);
            h.link_group = Some(group.clone());
            other.link_group = Some(group);
            other.network = h.network.clone();
            households.push(h);
            households.push(other);
        } else {
            households.push(h);
        }
    }
    let persons: u64 = households.iter().map(|h| u64::from(h.size)).sum();

    // Quotas: 15 % more places in all than persons, by size (at least 3 places each).
    let total = cumulative[MUNICIPALITIES - 1];
    let places = QUOTA_SLACK * persons as f64;
    let mut municipalities: Vec<MunicipalitySlot> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| MunicipalitySlot {
            code: code(i),
            quota: ((places * w / total).round() as u32).max(3),
            labour_market: pick(rng, &LABOUR, 3..=6),
            services: pick(rng, &SERVICES, 0..=4),
            languages: pick(rng, &LANGUAGES.map(|(l, _)| l), 1..=4),
            ..Default::default()
        })
        .collect();
    // Capacities: 20 % more units in all than households need, each unit to a
    // municipality drawn by size.
    for capacity in ["wheelchair", "specialist_care"] {
        let needed = households
            .iter()
            .filter(|h| h.needs.iter().any(|c| c == capacity))
            .count();
        let units = (CAPACITY_SLACK * needed as f64).ceil() as usize;
        for _ in 0..units {
            let m = draw(rng, &cumulative);
            *municipalities[m]
                .capacities
                .entry(capacity.to_owned())
                .or_insert(0) += 1;
        }
    }
    Instance {
        municipalities,
        households,
        scores: None,
        weights: None,
        model: None,
    }
}

/// One household. About 30 % have a network in one municipality, more likely a large one
/// (municipality codes are `m0` to `m97`).
fn household(rng: &mut ChaCha8Rng, i: usize, cumulative: &[f64]) -> HouseholdToPlace {
    let size = weighted(rng, &SIZES);
    // About 5 % need a wheelchair-accessible home, 5 % specialist care (not both).
    let needs = match rng.random_range(0..100) {
        0..5 => vec!["wheelchair".to_owned()],
        5..10 => vec!["specialist_care".to_owned()],
        _ => Vec::new(),
    };
    let first = weighted(rng, &LANGUAGES);
    let mut languages = vec![first.to_owned()];
    if rng.random_bool(0.4) {
        let second = weighted(rng, &LANGUAGES);
        if second != first {
            languages.push(second.to_owned());
        }
    }
    let network = if rng.random_bool(0.3) {
        vec![code(draw(rng, cumulative))]
    } else {
        Vec::new()
    };
    let services = if rng.random_bool(0.2) { 1..=1 } else { 0..=0 };
    HouseholdToPlace {
        id: format!("H{i:05}"),
        size,
        needs,
        network,
        skills: pick(rng, &LABOUR, 0..=3),
        services: pick(rng, &SERVICES, services),
        languages,
        ..Default::default()
    }
}

fn code(m: usize) -> String {
    format!("m{m}")
}

/// A random number of distinct tags from `tags`.
fn pick(
    rng: &mut ChaCha8Rng,
    tags: &[&str],
    count: std::ops::RangeInclusive<usize>,
) -> Vec<String> {
    let k = rng.random_range(count);
    tags.choose_multiple(rng, k)
        .map(|t| (*t).to_owned())
        .collect()
}

/// A value drawn with the given relative frequencies.
fn weighted<T: Copy>(rng: &mut ChaCha8Rng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for &(value, w) in table {
        if x < w {
            return value;
        }
        x -= w;
    }
    unreachable!()
}

/// An index drawn with probability proportional to its weight, from cumulative weights.
fn draw(rng: &mut ChaCha8Rng, cumulative: &[f64]) -> usize {
    let x = rng.random::<f64>() * cumulative[cumulative.len() - 1];
    cumulative
        .partition_point(|&c| c <= x)
        .min(cumulative.len() - 1)
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A process's peak resident set, in KiB, from its /proc status (Linux).
fn peak_rss_kib(status: &str) -> Option<u64> {
    std::fs::read_to_string(status)
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
