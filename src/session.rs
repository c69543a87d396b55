//! Who is working: the author of every ledger entry and audit record.

/// Who is making a change, for the ledger and the audit log: the operating system's user
/// until user accounts and roles arrive.
pub fn current_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}
