//! The municipality pack as one PDF: the cover letter, then a referral form per
//! household, each on its own page. Rendering reports its progress per form and stops
//! when asked to, for the app's progress bar and cancel button.

use super::pack::Pack;
use super::pdf::{Column, PdfError, Writer, BODY};
use super::referral_pdf;
use super::shaping::Direction;

/// Why a pack was not rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum PackError {
    /// The user cancelled it.
    Cancelled,
    /// The PDF could not be written.
    Pdf(PdfError),
}

/// The pack's PDF. `progress(done, total)` is called before the first form and after
/// each; when it returns false, rendering stops and nothing is returned.
pub fn render(
    pack: &Pack,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<u8>, PackError> {
    let total = pack.referrals.len();
    if !progress(0, total) {
        return Err(PackError::Cancelled);
    }
    let mut w = Writer::new(
        &format!(
            "Kommunepakke / Municipality pack {}",
            pack.municipality_name
        ),
        "da",
        &pack.document_id,
        pack.issued,
    );
    w.bilingual(Some("en"));
    w.section(None, |w| cover(w, pack));
    for (i, r) in pack.referrals.iter().enumerate() {
        w.new_page();
        w.section(None, |w| referral_pdf::form(w, r));
        if !progress(i + 1, total) {
            return Err(PackError::Cancelled);
        }
    }
    w.finish().map_err(PackError::Pdf)
}

fn cover(w: &mut Writer, pack: &Pack) {
    let ltr = Direction::Ltr;
    w.heading(
        1,
        "Boligplacering af kvoteflygtninge / Housing placement of quota refugees",
        ltr,
    );
    w.space(6.0);
    for (label, value) in [
        (
            "Til / To",
            format!(
                "{} Kommune ({})",
                pack.municipality_name, pack.municipality_code
            ),
        ),
        ("Dato / Date", pack.issued.format("%Y-%m-%d").to_string()),
        ("År / Year", pack.year.to_string()),
        ("Dokument-ID / Document ID", pack.document_id.clone()),
    ] {
        w.field(label, &value, BODY, ltr);
    }
    w.space(10.0);
    let households = pack.referrals.len();
    let persons: usize = pack.referrals.iter().map(|r| r.members.len()).sum();
    w.paragraph(
        &format!(
            "Udlændingestyrelsen har boligplaceret {households} husstand(e) med i alt \
             {persons} person(er) i kommunen. Henvisningsskemaerne følger efter dette brev; \
             de indeholder kun de oplysninger, husstandene har givet samtykke til at frigive."
        ),
        BODY,
        ltr,
        0.0,
    );
    w.space(4.0);
    w.section(Some("en"), |w| {
        w.paragraph(
            &format!(
                "The Immigration Service has placed {households} household(s), {persons} \
                 person(s) in all, in the municipality. The referral forms follow this \
                 letter; they hold only what the households consented to release."
            ),
            BODY,
            ltr,
            0.0,
        )
    });

    w.keep(80.0);
    w.space(12.0);
    w.heading(2, "Husstande / Households", ltr);
    w.space(2.0);
    let wide = w.text_width();
    let rows: Vec<Vec<String>> = pack
        .cover_lines()
        .into_iter()
        .map(|l| {
            vec![
                l.case_number,
                l.principal,
                l.persons.to_string(),
                l.arrival
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| "ikke fastsat / not yet fixed".to_owned()),
            ]
        })
        .collect();
    w.table(
        &[
            Column {
                header: "Sagsnummer / Case number",
                width: wide * 0.25,
            },
            Column {
                header: "Hovedperson / Principal",
                width: wide * 0.35,
            },
            Column {
                header: "Personer / Persons",
                width: wide * 0.14,
            },
            Column {
                header: "Ankomst / Arrival",
                width: wide * 0.26,
            },
        ],
        &rows,
    );

    w.keep(60.0);
    w.space(10.0);
    w.heading(
        2,
        &format!("Kommunekvote / Municipal quota {}", pack.year),
        ltr,
    );
    w.space(2.0);
    match (pack.quota, pack.left()) {
        (Some(quota), Some(left)) => {
            for (label, value) in [
                ("Kvote / Quota", quota.to_string()),
                ("Boligplaceret / Placed", pack.used.to_string()),
                ("Tilbage / Left", left.to_string()),
            ] {
                w.field(label, &value, BODY, ltr);
            }
        }
        _ => w.paragraph(
            "Årets kommunekvoter er endnu ikke fastsat. / The year's municipal quotas are \
             not yet set.",
            BODY,
            ltr,
            0.0,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referral::{referral, Arrival};
    use chrono::{NaiveDate, Utc};
    use resettle_domain::testing::household;
    use resettle_domain::CaseStatus;

    fn pack(forms: usize) -> Pack {
        let h = household(CaseStatus::Accepted, 3);
        let arrival = Arrival {
            municipality_code: "751".into(),
            municipality_name: "Aarhus".into(),
            date: None,
        };
        Pack {
            document_id: "PACK-1".into(),
            issued: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            municipality_code: "751".into(),
            municipality_name: "Aarhus".into(),
            year: 2026,
            quota: Some(10),
            used: 4,
            referrals: (0..forms)
                .map(|i| referral(&h, &[], arrival.clone(), &format!("REF-{i}"), Utc::now()))
                .collect(),
        }
    }

    #[test]
    fn progress_is_reported_per_form_and_a_cancel_stops_the_pack() {
        let mut seen = Vec::new();
        let pdf = render(&pack(3), &mut |done, total| {
            seen.push((done, total));
            true
        })
        .unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(seen, vec![(0, 3), (1, 3), (2, 3), (3, 3)]);

        let mut calls = 0;
        let cancelled = render(&pack(5), &mut |done, _| {
            calls += 1;
            done < 2
        });
        assert_eq!(cancelled, Err(PackError::Cancelled));
        assert_eq!(calls, 3, "no form is rendered after the cancel");
    }
}
