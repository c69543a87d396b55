//! Reading stored ids, and integer columns into the domain's narrower types. Both backends store integers
//! as 64 bits (SQLite always; PostgreSQL as BIGINT), and PostgreSQL's driver reads a
//! BIGINT into an `i64` only, so every integer is read as one and then narrowed, with a
//! value out of range reported as a stored value this version cannot read.

use sqlx::Row;
use uuid::Uuid;

use super::DbRow;
use crate::{corrupt, StoreError};

/// The integer in `column`, as `T`.
pub(super) fn int<T: TryFrom<i64>>(r: &DbRow, column: &str) -> Result<T, StoreError> {
    let n: i64 = r.try_get(column)?;
    T::try_from(n).map_err(|_| corrupt(format!("{column} {n} is out of range")))
}

/// The integer in `column`, if any, as `T`.
pub(super) fn opt_int<T: TryFrom<i64>>(r: &DbRow, column: &str) -> Result<Option<T>, StoreError> {
    let n: Option<i64> = r.try_get(column)?;
    n.map(|n| T::try_from(n).map_err(|_| corrupt(format!("{column} {n} is out of range"))))
        .transpose()
}

/// A stored id (UUIDs are kept as text on both backends).
pub(super) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("not an id: {s:?}")))
}
