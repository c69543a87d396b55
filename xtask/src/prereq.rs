//! The machine's prerequisites: checked every time, installed on Debian and Ubuntu, and
//! spelled out for every other system.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Result};

use crate::cmd::{self, is_root, npm, root, succeeds};

/// Debian packages the desktop app needs to build (Tauri on Linux: WebKitGTK and friends).
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    // HiGHS, the placement solver, is built from source by highs-sys.
    "cmake",
    "libclang-dev",
    // Noto Sans and Noto Sans Arabic, embedded in the PDFs at build time (build.rs).
    "fonts-noto-core",
    // LLD, the linker xtask/link-with-lld uses when it is there (plain cc otherwise).
    "lld",
];

/// Debian packages the tests and the benchmark add: WebKit's WebDriver and a virtual
/// display; qpdf and poppler-utils (pdftotext, pdftoppm) to check the PDFs; the PostgreSQL
/// server, whose binaries (`/usr/lib/postgresql/<version>/bin`) start a throwaway cluster
/// for the store suites (postgres.rs; the cluster Debian itself may create is not used);
/// gdb, to watch that the CLI never runs OpenSSL's exit handler (tests/encryption_cli.rs).
const TEST_PACKAGES: &[&str] = &[
    "webkit2gtk-driver",
    "xvfb",
    "xauth",
    "qpdf",
    "poppler-utils",
    "postgresql",
    "gdb",
];

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Build and run the app.
    Run,
    /// Also drive it end to end under a virtual display.
    Test,
}

pub fn ensure(purpose: Purpose) -> Result<()> {
    ensure_node()?;
    if cfg!(target_os = "linux") {
        let mut wanted: Vec<&str> = BUILD_PACKAGES.to_vec();
        if purpose == Purpose::Test {
            wanted.extend(TEST_PACKAGES);
        }
        if is_debian_like() {
            install_missing_debian(&wanted)?;
        } else if !pkg_config_ok() {
            bail!(
                "WebKitGTK 4.1 development files were not found. Install the equivalents of these \
                 Debian packages with your system's package manager, then run again:\n  {}",
                wanted.join(" ")
            );
        }
    } else if purpose == Purpose::Test {
        bail!(
            "the end-to-end tests drive the app through WebKitWebDriver under Xvfb, which only \
             exists on Linux; run `cargo xtask test` on Debian or Ubuntu"
        );
    }
    ensure_npm_dependencies()?;
    if purpose == Purpose::Test {
        ensure_tauri_driver()?;
        ensure_pdfua()?;
    }
    Ok(())
}

/// The PDF/UA checker the document tests run on every document type: the `pdfua` package
/// from PyPI (pikepdf-based, no JVM), at the version the tests were written against.
const PDFUA: &str = "pdfua==0.1.3";

fn ensure_pdfua() -> Result<()> {
    if succeeds(Command::new("python3").args(["-m", "pdfua", "--version"])) {
        return Ok(());
    }
    cmd::run(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg(PDFUA),
    )
}

/// The PostgreSQL server alone, for `cargo xtask pg`: installed on Debian and Ubuntu when
/// missing; elsewhere `postgres::Server::start` says what it looked for.
pub fn ensure_postgres() -> Result<()> {
    if cfg!(target_os = "linux") && is_debian_like() {
        install_missing_debian(&["postgresql"])?;
    }
    Ok(())
}

fn ensure_node() -> Result<()> {
    if !succeeds(&mut npm(&["--version"])) {
        bail!(
            "Node.js 20.19 or newer with npm is needed to build the front end. Install it from \
             your system's packages or nodejs.org, then run again."
        );
    }
    Ok(())
}

fn is_debian_like() -> bool {
    let Ok(release) = std::fs::read_to_string("/etc/os-release") else {
        return false;
    };
    release.lines().any(|line| {
        let line = line.trim();
        (line.starts_with("ID=") || line.starts_with("ID_LIKE="))
            && (line.contains("debian") || line.contains("ubuntu"))
    })
}

fn pkg_config_ok() -> bool {
    succeeds(Command::new("pkg-config").args([
        "--exists",
        "webkit2gtk-4.1",
        "gtk+-3.0",
        "libsoup-3.0",
    ]))
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn install_missing_debian(wanted: &[&str]) -> Result<()> {
    let missing: Vec<&str> = wanted.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("Installing missing Debian packages: {}", missing.join(" "));
    let is_root = is_root();
    let apt = |args: &[&str]| -> Command {
        let mut cmd = if is_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    if !is_root && !succeeds(Command::new("sudo").arg("--version")) {
        bail!(
            "these packages are missing and this user cannot install them (not root, no sudo): {}",
            missing.join(" ")
        );
    }
    cmd::run(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    cmd::run(&mut install)
}

/// `npm ci` when `node_modules` is missing or older than the lock file.
pub fn ensure_npm_dependencies() -> Result<()> {
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&stamp), modified(&lock)) {
        (Some(s), Some(l)) => s >= l,
        _ => false,
    };
    if !fresh {
        cmd::run(&mut npm(&["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}

/// The path of `tauri-driver`, installed with cargo (2.x) if it is not there.
pub fn ensure_tauri_driver() -> Result<PathBuf> {
    let in_cargo_home = home_cargo_bin().map(|d| d.join("tauri-driver"));
    if let Some(path) = in_cargo_home.as_ref().filter(|p| p.exists()) {
        return Ok(path.clone());
    }
    if succeeds(Command::new("tauri-driver").arg("--help")) {
        return Ok(PathBuf::from("tauri-driver"));
    }
    cmd::run(cmd::cargo().args(["install", "tauri-driver", "--locked", "--version", "^2"]))?;
    match in_cargo_home.filter(|p| p.exists()) {
        Some(path) => Ok(path),
        None => Ok(PathBuf::from("tauri-driver")),
    }
}

fn home_cargo_bin() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|d| d.join("bin"))
}
