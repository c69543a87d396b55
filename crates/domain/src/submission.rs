//! A submission file's households and the problems found in them: the values the file
//! import (in the use-case crate) reads and the store writes, all or nothing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Household;

/// One thing wrong with a file. `row` counts as a spreadsheet does: the header is row 1
/// in a CSV file; in a JSON file row 1 is the array's first object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Problem {
    pub row: u32,
    pub column: Option<String>,
    pub reason: String,
}

impl Problem {
    pub fn new(row: u32, column: Option<&str>, reason: impl Into<String>) -> Self {
        Self {
            row,
            column: column.map(str::to_owned),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "row {}, {c}: {}", self.row, self.reason),
            None => write!(f, "row {}: {}", self.row, self.reason),
        }
    }
}

/// A household read from a file, with the row it starts at (for problems found later,
/// against the database).
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub first_row: u32,
    pub household: Household,
}
