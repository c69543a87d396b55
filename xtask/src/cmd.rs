//! Running the tools the tasks are made of, echoing each command so that a log reads like
//! a recipe somebody could follow by hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{bail, Context, Result};

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_path_buf()
}

pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs a command to completion with inherited output; fails on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<()> {
    echo(cmd);
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {:?}", cmd.get_program()))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs a command and captures its output; fails on a non-zero exit, showing stderr.
pub fn output(cmd: &mut Command) -> Result<Output> {
    echo(cmd);
    let out = cmd
        .output()
        .with_context(|| format!("cannot start {:?}", cmd.get_program()))?;
    if !out.status.success() {
        // Tools that print JSON (the resettle CLI with --json) report errors on stdout.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let message = if stderr.trim().is_empty() {
            String::from_utf8_lossy(&out.stdout)
        } else {
            stderr
        };
        bail!(
            "{} failed ({}):\n{}",
            describe(cmd),
            out.status,
            message.trim_end()
        );
    }
    Ok(out)
}

/// Whether a command starts and exits successfully, its output discarded: how every
/// prerequisite probe (`npm --version`, `pkg-config --exists ...`, `cargo tauri --version`)
/// asks its question.
pub fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether this process runs as root (`id -u` says 0), without a binding to libc.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        s.push(' ');
        s.push_str(&quoted(&arg.to_string_lossy()));
    }
    s
}

/// An argument as a shell would need it, so that an echoed command can be pasted.
pub fn quoted(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

fn echo(cmd: &Command) {
    match cmd.get_current_dir() {
        Some(dir) => eprintln!("$ (cd {} && {})", dir.display(), describe(cmd)),
        None => eprintln!("$ {}", describe(cmd)),
    }
}

/// `npm` in the front end's folder.
pub fn npm(args: &[&str]) -> Command {
    let mut cmd = Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" });
    cmd.args(args).current_dir(root().join("ui"));
    cmd
}
