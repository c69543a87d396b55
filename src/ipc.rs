//! Types that cross the IPC boundary to the front end, and the generator of their
//! TypeScript declarations (`ui/src/lib/bindings.ts`). The front end never declares a copy
//! of a Rust type by hand: a test fails when the generated file is out of date, and
//! `cargo xtask gen-types` rewrites it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::overview::PeriodSummary;
use crate::domain::quota::{EntryKind, LedgerEntry, QuotaStatus, SubQuotaStatus, YearStatus};
use crate::domain::{
    CaseDeadline, CaseStatus, DeadlineStatus, Municipality, Overview, Priority, PriorityCounts,
    QuotaPeriod, SubQuota,
};

/// What the Settings view shows about the running app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    /// Where the database is: a file path for SQLite.
    pub database: String,
}

/// A refused or failed command: the message, and the form field it belongs to (if any)
/// so the view can show it next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommandError {
    pub message: String,
    pub field: Option<String>,
}

impl From<crate::storage::StoreError> for CommandError {
    fn from(e: crate::storage::StoreError) -> Self {
        Self {
            field: e.field().map(str::to_owned),
            message: e.to_string(),
        }
    }
}

impl From<String> for CommandError {
    fn from(message: String) -> Self {
        Self {
            message,
            field: None,
        }
    }
}

/// The Quotas view's "new period" form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CreatePeriodForm {
    pub start_year: i32,
    pub places: u32,
    pub years: u8,
    pub carry_over: bool,
    pub annual_cap: u32,
    pub reason: String,
}

/// Sets a year's allocation to a sub-quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AllocateForm {
    pub period: i32,
    pub year: i32,
    pub sub_quota: SubQuota,
    pub places: u32,
    /// The id of a recorded exceptional situation, to pass the annual cap.
    pub exceptional_id: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReallocateForm {
    pub period: i32,
    pub year: i32,
    pub from: SubQuota,
    pub to: SubQuota,
    pub places: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CloseYearForm {
    pub period: i32,
    pub year: i32,
    pub reason: String,
}

/// The path of the generated file, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

/// The TypeScript declarations of every IPC type, in a stable order.
pub fn typescript_bindings() -> String {
    let declarations = [
        AllocateForm::decl(),
        AppInfo::decl(),
        CaseDeadline::decl(),
        CaseStatus::decl(),
        CloseYearForm::decl(),
        CommandError::decl(),
        CreatePeriodForm::decl(),
        DeadlineStatus::decl(),
        EntryKind::decl(),
        LedgerEntry::decl(),
        Municipality::decl(),
        Overview::decl(),
        PeriodSummary::decl(),
        Priority::decl(),
        PriorityCounts::decl(),
        QuotaPeriod::decl(),
        QuotaStatus::decl(),
        ReallocateForm::decl(),
        SubQuota::decl(),
        SubQuotaStatus::decl(),
        YearStatus::decl(),
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
