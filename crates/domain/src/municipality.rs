//! The 98 Danish municipalities (official codes and regions), carried as project data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Municipality {
    pub code: u16,
    pub name: String,
    pub region_code: u16,
    pub region_name: String,
}

/// The official list as shipped with the project (`data/municipalities.csv`).
const MUNICIPALITIES_CSV: &str = include_str!("../../../data/municipalities.csv");

/// Parses the shipped list. The data is compiled in, so a parse failure is a build defect;
/// the test below makes sure it cannot ship.
pub fn official_list() -> Vec<Municipality> {
    let mut reader = csv::Reader::from_reader(MUNICIPALITIES_CSV.as_bytes());
    reader
        .deserialize()
        .collect::<Result<Vec<Municipality>, _>>()
        .expect("data/municipalities.csv is valid")
}

/// Where and when a household arrives: what its referral form and the store say of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub municipality_code: String,
    pub municipality_name: String,
    /// None until a date is known.
    pub date: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_list_has_98_municipalities_in_5_regions() {
        let list = official_list();
        assert_eq!(list.len(), 98);
        let codes: HashSet<_> = list.iter().map(|m| m.code).collect();
        assert_eq!(codes.len(), 98, "codes are unique");
        let regions: HashSet<_> = list.iter().map(|m| m.region_code).collect();
        assert_eq!(regions.len(), 5);
        let laeso = list.iter().find(|m| m.name == "Læsø").expect("Læsø");
        assert_eq!(laeso.region_name, "Region Nordjylland");
    }
}
