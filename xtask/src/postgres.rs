//! A throwaway PostgreSQL server for the store suites (`cargo xtask test`) and for running
//! them by hand (`cargo xtask pg`): a fresh cluster made with the newest
//! `/usr/lib/postgresql/<version>/bin`, listening on a free port on 127.0.0.1 only (its
//! Unix socket in its own data directory), stopped when the guard is dropped.
//!
//! As root the cluster belongs to the `postgres` OS user, because initdb and the server
//! refuse to run as root: initdb and pg_ctl then run through `runuser -u postgres --`.
//!
//! The data directory, server log included, stays after the stop, for reading; the next
//! start removes the directories of runs whose xtask process is gone.

use std::ffi::OsString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::cmd::{self, is_root, succeeds};

/// Where Debian's packages put each major version's server binaries.
const VERSIONS_DIR: &str = "/usr/lib/postgresql";

/// The data directory's fallback (see `data_dir`), followed by this process's ID.
const TMP_PREFIX: &str = "/tmp/resettle-pg-";

/// A socket path's longest length: the kernel's `sun_path` holds 108 bytes, NUL included.
const MAX_SOCKET_PATH: usize = 107;

/// The name of the server's socket in its directory, at its longest (port 65535).
const SOCKET_NAME: &str = "/.s.PGSQL.65535";

/// Stops the server if xtask dies without dropping the guard: Ctrl-C kills xtask at once
/// (it has no signal handler), while the server, which pg_ctl starts in a session of its
/// own, would live on. This shell ignores those signals and waits for its standard input,
/// a pipe only xtask writes to, to close; that happens whenever xtask ends, however it
/// ends. Then, if the server is still up, it runs the stop command it was given.
const WATCHDOG: &str = r#"trap '' INT HUP TERM
while read -r _; do :; done
[ -f "$1/postmaster.pid" ] || exit 0
shift
exec "$@""#;

/// A running server; dropping it stops the server (`pg_ctl stop -m fast`).
pub struct Server {
    url: String,
    data: PathBuf,
    bin: PathBuf,
    /// Run initdb and pg_ctl as the `postgres` OS user (xtask runs as root).
    as_postgres: bool,
    watchdog: Option<Child>,
}

impl Server {
    /// Starts a fresh cluster in `base/<pid>` (e.g. `target/pg-test/<pid>`) on a free port.
    /// One server per xtask process.
    pub fn start(base: &Path) -> Result<Self> {
        Self::start_on(base, None)
    }

    /// As `start`, on the given port if there is one.
    pub fn start_on(base: &Path, port: Option<u16>) -> Result<Self> {
        let (bin, version) = newest_bin_dir()?;
        let as_postgres = is_root();
        remove_stale_dirs(base, &bin, as_postgres);
        let data = data_dir(base, &bin, as_postgres)?;
        // The guard exists from here on, so that whatever fails below still stops what
        // was started.
        let mut server = Self {
            url: String::new(),
            watchdog: Some(spawn_watchdog(&bin, &data, as_postgres)?),
            data,
            bin,
            as_postgres,
        };
        // Logins over TCP prove themselves with a password (scram-sha-256), as on an office
        // server, so the tests' logins are real ones; the local socket stays trust for
        // pg_ctl. The superuser's password is made here and lives only in the URL.
        let password = format!(
            "xtask-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let pwfile = std::env::temp_dir().join(format!("resettle-pg-{}.pw", std::process::id()));
        std::fs::write(&pwfile, &password).context("writing the superuser's password file")?;
        let initdb = cmd::output(
            server
                .tool("initdb")
                .args([
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "-U",
                    "postgres",
                ])
                .arg(format!("--pwfile={}", pwfile.display()))
                .args(["--no-sync", "-E", "UTF8"])
                // The same collation (code point order) and character classes (Unicode)
                // on every machine, whatever the locale of the shell that runs the tests.
                .arg("--locale=C.UTF-8")
                .arg("-D")
                .arg(&server.data),
        );
        let _ = std::fs::remove_file(&pwfile);
        initdb.context("initdb failed")?;

        let port = match port {
            Some(port) => port,
            None => free_port()?,
        };
        let log = server.data.join("log");
        // pg_ctl hands these options to the server through `sh -c`, hence the quotes.
        let options = format!(
            "-h 127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=200",
            cmd::quoted(&server.data.to_string_lossy())
        );
        let started = cmd::output(
            server
                .tool("pg_ctl")
                .args(["start", "-w", "-D"])
                .arg(&server.data)
                .arg("-l")
                .arg(&log)
                .arg("-o")
                .arg(options),
        );
        if let Err(e) = started {
            bail!(
                "PostgreSQL {version} did not start on 127.0.0.1:{port}: {e:#}\n{}",
                log_tail(&log)
            );
        }
        server.url = format!("postgres://postgres:{password}@127.0.0.1:{port}/postgres");
        eprintln!(
            "PostgreSQL {version} is up at {} (data and log: {})",
            server.url,
            server.data.display()
        );
        Ok(server)
    }

    /// `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres`: the superuser.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn tool(&self, name: &str) -> Command {
        tool(&self.bin, self.as_postgres, name)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.data.join("postmaster.pid").exists() {
            let stop = cmd::output(
                self.tool("pg_ctl")
                    .args(["stop", "-m", "fast", "-D"])
                    .arg(&self.data),
            );
            match stop {
                Ok(_) => eprintln!(
                    "PostgreSQL stopped; its log stays in {} until the next start",
                    self.data.join("log").display()
                ),
                Err(e) => eprintln!("xtask: could not stop PostgreSQL: {e:#}"),
            }
        }
        if let Some(mut watchdog) = self.watchdog.take() {
            // The end of its input: it sees the server stopped, and exits.
            drop(watchdog.stdin.take());
            let _ = watchdog.wait();
        }
    }
}

/// initdb, pg_ctl, ...: as the `postgres` user when xtask is root. From `/`, which that
/// user can always enter (xtask's own folder may be under /root).
fn tool(bin: &Path, as_postgres: bool, name: &str) -> Command {
    let argv = tool_argv(bin, as_postgres, name);
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..]).current_dir("/");
    cmd
}

fn tool_argv(bin: &Path, as_postgres: bool, name: &str) -> Vec<OsString> {
    let mut argv: Vec<OsString> = Vec::new();
    if as_postgres {
        argv.extend(["runuser", "-u", "postgres", "--"].map(OsString::from));
    }
    argv.push(bin.join(name).into_os_string());
    argv
}

/// The `bin` folder of the newest major version under /usr/lib/postgresql that has
/// initdb and pg_ctl, and that version's name.
fn newest_bin_dir() -> Result<(PathBuf, String)> {
    let mut found: Vec<(Vec<u32>, String, PathBuf)> = std::fs::read_dir(VERSIONS_DIR)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            // "15", "16", or "9.6" before version 10: compared as numbers.
            let version = name
                .split('.')
                .map(|part| part.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
                .then_some((version, name, bin))
        })
        .collect();
    found.sort();
    let (_, version, bin) = found.pop().with_context(|| {
        format!(
            "no PostgreSQL server: found no {VERSIONS_DIR}/<version>/bin with initdb and \
             pg_ctl (on Debian and Ubuntu the package postgresql, which `cargo xtask test` \
             installs)"
        )
    })?;
    Ok((bin, version))
}

/// A fresh, empty data directory for this process, owned by the user the server runs as.
///
/// `base/<pid>` when it will do. Otherwise `/tmp/resettle-pg-<pid>`: as root, when the
/// `postgres` user cannot reach `base` (a checkout under /root, which is mode 700, or a
/// restrictive umask on `target/`), since the server must enter its data directory; and
/// whenever the path is too long for the server's Unix socket, which lives in that
/// directory.
fn data_dir(base: &Path, bin: &Path, as_postgres: bool) -> Result<PathBuf> {
    let pid = std::process::id();
    let preferred = base.join(pid.to_string());
    if socket_fits(&preferred) {
        std::fs::create_dir_all(base)
            .with_context(|| format!("cannot create {}", base.display()))?;
        make_fresh(&preferred, bin, as_postgres)?;
        if !as_postgres || postgres_can_use(&preferred) {
            return Ok(preferred);
        }
        let _ = std::fs::remove_dir(&preferred);
        eprintln!(
            "The postgres user cannot reach {}; the data directory goes under /tmp instead",
            preferred.display()
        );
    } else {
        eprintln!(
            "{} is too long a path for the server's socket; the data directory goes under \
             /tmp instead",
            preferred.display()
        );
    }
    let fallback = PathBuf::from(format!("{TMP_PREFIX}{pid}"));
    make_fresh(&fallback, bin, as_postgres)?;
    if as_postgres && !postgres_can_use(&fallback) {
        bail!(
            "the postgres user cannot write to {}, which xtask made for it",
            fallback.display()
        );
    }
    Ok(fallback)
}

fn socket_fits(dir: &Path) -> bool {
    dir.as_os_str().len() + SOCKET_NAME.len() <= MAX_SOCKET_PATH
}

/// Creates `dir` empty (removing a stale one first) and, as root, gives it to `postgres`.
fn make_fresh(dir: &Path, bin: &Path, as_postgres: bool) -> Result<()> {
    if dir.symlink_metadata().is_ok() {
        discard(dir, bin, as_postgres)?;
    }
    std::fs::create_dir(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if as_postgres {
        cmd::run(Command::new("chown").arg("postgres:").arg(dir))?;
    }
    Ok(())
}

fn postgres_can_use(dir: &Path) -> bool {
    succeeds(
        Command::new("runuser")
            .args(["-u", "postgres", "--", "test", "-w"])
            .arg(dir)
            .current_dir("/"),
    )
}

/// Removes the data directories that earlier runs left: those named after a process that
/// no longer exists, under `base` and under /tmp. Only on Linux, where /proc says which
/// processes exist. Failures are only reported: they do not keep this run from starting.
fn remove_stale_dirs(base: &Path, bin: &Path, as_postgres: bool) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let own = std::process::id();
    let stale = |name: &str| {
        name.parse::<u32>()
            .is_ok_and(|pid| pid != own && !Path::new(&format!("/proc/{pid}")).exists())
    };
    let (tmp_dir, tmp_prefix) = TMP_PREFIX.rsplit_once('/').expect("TMP_PREFIX has a '/'");
    let candidates = [(base, ""), (Path::new(tmp_dir), tmp_prefix)];
    for (dir, prefix) in candidates {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && name.strip_prefix(prefix).is_some_and(stale) {
                match discard(&entry.path(), bin, as_postgres) {
                    // Another user's, in /tmp: theirs to remove.
                    Err(e) if is_permission_denied(&e) => {}
                    Err(e) => eprintln!("xtask: {e:#}"),
                    Ok(()) => {}
                }
            }
        }
    }
}

fn is_permission_denied(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
}

/// Removes a data directory, stopping first the server that still runs on it, if any
/// (its xtask was killed along with the watchdog).
fn discard(dir: &Path, bin: &Path, as_postgres: bool) -> Result<()> {
    if server_runs_on(dir) {
        let mut stop = tool(bin, as_postgres, "pg_ctl");
        stop.args(["stop", "-m", "immediate", "-D"]).arg(dir);
        if let Err(e) = cmd::output(&mut stop) {
            eprintln!("xtask: {e:#}");
        }
    }
    std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))
}

/// Whether the process named in `dir/postmaster.pid` is a server started on `dir`: a
/// server that died leaves the file, and its process ID may since belong to another.
fn server_runs_on(dir: &Path) -> bool {
    let Ok(pidfile) = std::fs::read_to_string(dir.join("postmaster.pid")) else {
        return false;
    };
    let Some(pid) = pidfile
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<u32>().ok())
    else {
        return false;
    };
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let dir = dir.as_os_str().as_encoded_bytes();
    cmdline.split(|&b| b == 0).any(|arg| arg == dir)
}

/// The watchdog (see `WATCHDOG`), given the command that stops the server.
fn spawn_watchdog(bin: &Path, data: &Path, as_postgres: bool) -> Result<Child> {
    Command::new("sh")
        .args(["-c", WATCHDOG, "resettle-pg-watchdog"])
        .arg(data)
        .args(tool_argv(bin, as_postgres, "pg_ctl"))
        .args(["stop", "-m", "fast", "-D"])
        .arg(data)
        .current_dir("/")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start the watchdog shell (sh)")
}

/// A port nobody listens on now: the one the system gives a listener bound to port 0.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

fn log_tail(log: &Path) -> String {
    const LINES: usize = 30;
    match std::fs::read_to_string(log) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(LINES)..];
            format!(
                "The end of the server log ({}):\n{}",
                log.display(),
                tail.join("\n")
            )
        }
        Err(e) => format!("No server log at {} ({e})", log.display()),
    }
}
