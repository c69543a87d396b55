//! The storage contract: what a backend provides so that `ops/` compiles against it.
//!
//! Each backend module names its types (`Db`, `Conn`, `DbRow`) and its store (`Backend`)
//! and implements `Dialect` for that store; `ops/` reaches a backend only through these.
//! A backend that lacks one of the trait's items does not compile, and an item the trait
//! gains must be written for both.

use sqlx::{QueryBuilder, Transaction};

use super::StoreError;

pub(crate) trait Dialect {
    type Db: sqlx::Database;

    /// Whether the database numbers, times, attributes and chains each audit entry itself
    /// (so the client inserts only the action and subject), instead of the store.
    const STAMPS_AUDIT: bool;

    /// The actor a write runs as, given who the client says is acting: the same name, or
    /// a refusal where the backend knows who is connected and it is someone else.
    fn acting_as<'a>(&'a self, claimed: &'a str) -> Result<&'a str, StoreError>;

    /// Brings the server's own record of what the user `name` may do (its group roles)
    /// in line with `users`/`user_roles`, inside the write that changed them. Nothing to
    /// do for a file, whose only lock is its passphrase.
    async fn sync_login(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        name: &str,
    ) -> Result<(), StoreError>;

    /// A write transaction that waits for every other write to end before it reads
    /// anything, so every check it makes (the places left in a quota, a case's status)
    /// still holds when it commits, with no retry loop.
    async fn begin_write(&self) -> Result<Transaction<'static, Self::Db>, StoreError>;

    /// A read transaction: every query in it sees the database as of its first read, and
    /// it waits for no writer.
    async fn begin_read(&self) -> Result<Transaction<'static, Self::Db>, StoreError>;

    /// The highest sequence number the audit log ever issued, 0 for a new log; deleting
    /// entries does not lower it (so a deleted tail is seen by `audit verify`).
    async fn issued_audit_seq(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
    ) -> Result<i64, StoreError>;

    /// Rewrites the database's files so that the bytes an erasure replaced are in none of
    /// them; false where this connection may not (on the server, anyone but the tables'
    /// owner), which leaves it to the owner's `resettle privacy compact`.
    async fn compact(&self) -> Result<bool, StoreError>;

    /// SQL: `column` holds a time later than the RFC 3339 text bound at `param` (compared
    /// as times, since the two may differ in offset or precision).
    fn later(column: &str, param: &str) -> String;

    /// SQL: a row's columns as the text of one JSON object (names from the program, never
    /// from input).
    fn row_json(columns: &[&str]) -> String;

    /// SQL: the value of `column` in the JSON object bound as `$1`, as the column's type.
    fn json_field(table: &str, column: &str) -> String;

    /// Restricts a case search to cases whose index has every word of `words` as a prefix
    /// of one of its words; the words are bound, never spliced into the SQL.
    fn text_match(b: &mut QueryBuilder<'_, Self::Db>, words: &[String]);
}
