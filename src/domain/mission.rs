//! A selection mission: a team interviewing households in a country of asylum.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mission {
    pub id: Uuid,
    pub name: String,
    /// ISO 3166-1 alpha-3.
    pub country_of_asylum: String,
    pub location: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Persons the mission aims to select.
    pub target_places: u32,
    /// Strategic operations are exempt from integration scoring.
    pub strategic: bool,
}
