//! Who is working: the author of every ledger entry and audit record.

/// Who is making a change: the operating system's login. The store looks it up among the
/// database's users (src/domain/access.rs) for their roles, and records it as the author
/// of ledger entries and audit records. It is who the operating system says is logged in,
/// not a separate password: on a laptop the database's passphrase is the lock.
pub fn current_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}
