//! Who is working and what day it is: the two things every use case is given rather than
//! finding out for itself.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};

/// "Now" and "today" for the use cases. Today is the office's local date, never UTC's: a
/// conflict resolved at 00:30 in Copenhagen belongs to the new day and, on 1 January, to
/// the new quota year. Nothing below this crate reads the clock for a date; it is handed one.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// The office's calendar date at `now`.
    fn today(&self) -> NaiveDate;
}

/// The machine's clock in the machine's time zone: the office's, for the CLI and the window.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalClock;

impl Clock for LocalClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn today(&self) -> NaiveDate {
        Local::now().date_naive()
    }
}

/// A clock stopped on one day (a `--today` given on the command line, or a test's date);
/// `now` is that day's noon in UTC.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub NaiveDate);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
            .and_hms_opt(12, 0, 0)
            .expect("noon exists on every day")
            .and_utc()
    }
    fn today(&self) -> NaiveDate {
        self.0
    }
}

/// One person's work: who is acting (the author of every ledger entry and audit record)
/// and the clock their "today" comes from.
#[derive(Clone)]
pub struct Session {
    actor: String,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("actor", &self.actor)
            .field("today", &self.today())
            .finish()
    }
}

impl Session {
    pub fn new(actor: impl Into<String>, clock: Arc<dyn Clock>) -> Session {
        Session {
            actor: actor.into(),
            clock,
        }
    }

    /// The operating system's login on the machine's clock: who works on a database file,
    /// before it is open.
    pub fn from_login() -> Session {
        Session::local(current_user())
    }

    /// Who works on `store`: the login the database authenticated where it has one (the
    /// office server's `session_user`, or the member whose key slot unlocked a laptop's
    /// file; never an environment variable), else the operating system's login (a plain
    /// file). On the machine's clock.
    pub fn for_store(store: &resettle_storage::Store) -> Session {
        match store.login() {
            Some(login) => Session::local(login),
            None => Session::from_login(),
        }
    }

    /// `actor` on the machine's clock.
    pub fn local(actor: impl Into<String>) -> Session {
        Session::new(actor, Arc::new(LocalClock))
    }

    /// The same person on another clock (e.g. a `--today` given for one command).
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Session {
        Session::new(self.actor.clone(), clock)
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    pub fn year(&self) -> i32 {
        self.today().year()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Who is making a change to a plain database file: the operating system's login. The
/// store looks it up among the database's users (crates/domain/src/access.rs) for their
/// roles, and records it as the author of ledger entries and audit records. It is who the
/// operating system says is logged in, not a separate password. On an encrypted laptop
/// file the member whose key slot unlocked it is used instead, and on the office server
/// the server's login (`Session::for_store`); each refuses any other name.
pub fn current_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_gives_its_day_and_year() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let session = Session::new("ane", Arc::new(FixedClock(day)));
        assert_eq!(session.today(), day);
        assert_eq!(session.year(), 2027);
        assert_eq!(session.now().date_naive(), day);
        assert_eq!(session.actor(), "ane");
    }
}
