//! The inverse of reading: households written as a submission file, for test data, the
//! benchmark and a later export.

use super::COLUMNS;
use resettle_domain::Household;

/// The households as a CSV submission file, one row per person, in the documented columns.
pub fn write_csv(households: &[Household]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
    // Writing to memory cannot fail, but the csv crate's writer still returns Results.
    w.write_record(COLUMNS).expect("write to memory");
    for h in households {
        for m in &h.members {
            w.write_record([
                h.unhcr_case_no.clone(),
                h.rrf_ref.clone(),
                m.relationship.code().into(),
                m.given_name.clone(),
                m.family_name.clone(),
                m.sex.code().into(),
                m.date_of_birth.to_string(),
                h.nationality.clone(),
                h.country_of_asylum.clone(),
                m.languages.join(";"),
                yes(m.literate),
                m.education_years.to_string(),
                m.occupation.clone().unwrap_or_default(),
                m.special_needs.clone().unwrap_or_default(),
                h.primary_category.code().into(),
                h.secondary_category
                    .map(|c| c.code().to_owned())
                    .unwrap_or_default(),
                h.priority.code().into(),
                h.submission_date.to_string(),
                h.route.code().into(),
                yes(m.tom_patient),
            ])
            .expect("write to memory");
        }
    }
    w.into_inner().expect("write to memory")
}
