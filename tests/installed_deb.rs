//! The .deb installs the command line beside the app: `dpkg -i` of the package
//! `cargo xtask bundle` made, then the installed `resettle` run as a user would (its
//! version, `init` of a database on a temporary path, the Overview of it), then `dpkg -r`
//! leaves neither program behind.
//!
//! Changes the machine (installs a package), so it runs only when asked: `RESETTLE_DEB` (the
//! .deb's path) and root; `cargo xtask test` builds the package and runs it with
//! `--ignored` on CI's fresh machine.

use std::path::Path;
use std::process::{Command, Output};

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .env_remove("RESETTLE_DB")
        .env("USER", "installer-test")
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn ok(program: &str, args: &[&str]) -> String {
    let out = run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Removes the package when the test ends, passed or not.
struct Installed(String);

impl Drop for Installed {
    fn drop(&mut self) {
        let _ = run("dpkg", &["-r", &self.0]);
    }
}

#[test]
#[ignore = "installs a package: cargo xtask test runs it with RESETTLE_DEB on CI"]
fn the_deb_installs_the_command_line_beside_the_app_and_removes_both() {
    let deb = std::env::var("RESETTLE_DEB").expect("RESETTLE_DEB: the .deb to install");
    let package = ok("dpkg-deb", &["-f", &deb, "Package"]).trim().to_owned();
    assert_eq!(package, "resettle");
    ok("dpkg", &["-i", &deb]);
    let installed = Installed(package.clone());

    // dpkg says which files are the package's: both programs, in /usr/bin.
    let files = ok("dpkg", &["-L", &package]);
    for program in ["/usr/bin/resettle", "/usr/bin/resettle-app"] {
        assert!(
            files.lines().any(|l| l == program),
            "{program} in:\n{files}"
        );
        assert!(Path::new(program).is_file());
    }
    let version = ok("/usr/bin/resettle", &["--version"]);
    assert_eq!(
        version.trim(),
        format!("resettle {}", env!("CARGO_PKG_VERSION"))
    );

    // The installed CLI makes a database where it is told and reads it back.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let d = db.to_str().unwrap();
    let init: serde_json::Value =
        serde_json::from_str(&ok("/usr/bin/resettle", &["--db", d, "--json", "init"])).unwrap();
    assert_eq!(init["ok"], true);
    assert_eq!(init["first_user"], "installer-test");
    let overview: serde_json::Value =
        serde_json::from_str(&ok("/usr/bin/resettle", &["--db", d, "--json", "overview"])).unwrap();
    assert_eq!(overview["municipalities"], 98);
    assert_eq!(overview["households"], 0);

    drop(installed);
    for program in ["/usr/bin/resettle", "/usr/bin/resettle-app"] {
        assert!(!Path::new(program).exists(), "{program} left behind");
    }
    let status = run("dpkg", &["-s", &package]);
    assert!(!status.status.success(), "the package is still installed");
}
