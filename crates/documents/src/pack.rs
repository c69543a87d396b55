//! A municipality's pack: a cover letter (the date, the households with their persons and
//! arrival dates, the municipality's quota used and left) and then each household's
//! referral form. It is built from referrals only, so it holds nothing a referral cannot.

use chrono::NaiveDate;

use super::referral::Referral;
use resettle_domain::case::Relationship;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    pub document_id: String,
    pub issued: NaiveDate,
    pub municipality_code: String,
    pub municipality_name: String,
    pub year: i32,
    /// The municipality's quota for the year; None before the quotas are computed.
    pub quota: Option<u32>,
    /// Persons placed in the municipality in the year (active proposals).
    pub used: u32,
    pub referrals: Vec<Referral>,
}

/// One line of the cover letter's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverLine {
    pub case_number: String,
    /// The principal applicant's name (the first member if none is marked principal).
    pub principal: String,
    pub persons: usize,
    pub arrival: Option<NaiveDate>,
}

impl Pack {
    pub fn cover_lines(&self) -> Vec<CoverLine> {
        self.referrals
            .iter()
            .map(|r| CoverLine {
                case_number: r.case_number.clone(),
                principal: r
                    .members
                    .iter()
                    .find(|m| m.relationship == Relationship::Principal)
                    .or(r.members.first())
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                persons: r.members.len(),
                arrival: r.arrival.date,
            })
            .collect()
    }

    /// Places left of the quota: negative when more were placed than the quota.
    pub fn left(&self) -> Option<i64> {
        self.quota.map(|q| i64::from(q) - i64::from(self.used))
    }
}
