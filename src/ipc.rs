//! Types that cross the IPC boundary to the front end, and the generator of their
//! TypeScript declarations (`ui/src/lib/bindings.ts`). The front end never declares a copy
//! of a Rust type by hand: a test fails when the generated file is out of date, and
//! `cargo xtask gen-types` rewrites it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::overview::PeriodSummary;
use crate::domain::{Municipality, Overview, PriorityCounts};

/// What the Settings view shows about the running app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    /// Where the database is: a file path for SQLite.
    pub database: String,
}

/// The path of the generated file, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

/// The TypeScript declarations of every IPC type, in a stable order.
pub fn typescript_bindings() -> String {
    let declarations = [
        AppInfo::decl(),
        Municipality::decl(),
        Overview::decl(),
        PeriodSummary::decl(),
        PriorityCounts::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in src/ by `cargo xtask gen-types`. Do not edit.\n\n",
    );
    for decl in declarations {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Fails when the committed bindings differ from the Rust types; with
    /// `UPDATE_BINDINGS=1` it rewrites them instead (what `cargo xtask gen-types` does).
    #[test]
    fn generated_bindings_are_up_to_date() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        let expected = typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &expected).expect("write bindings");
            return;
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is out of date with the Rust types: run `cargo xtask gen-types`",
            path.display()
        );
    }
}
