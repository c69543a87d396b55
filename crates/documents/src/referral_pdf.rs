//! The referral form as a PDF: the household's members, their languages, schooling and
//! work, the special needs released (or that none were), and the arrival. It prints only
//! what `Referral` holds, which has no field for the claim or interview notes.

use chrono::NaiveDate;

use super::labels;
use super::pdf::{Column, PdfError, Writer, BODY, SMALL};
use super::referral::{Referral, SpecialNeeds};
use super::shaping::Direction;

/// One PDF with a form per household, each starting on a new page.
pub fn render(referrals: &[Referral]) -> Result<Vec<u8>, PdfError> {
    let footer = referrals
        .iter()
        .map(|r| r.document_id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let issued = referrals
        .first()
        .map(|r| r.issued)
        .unwrap_or(NaiveDate::MIN);
    let mut w = Writer::new("Henvisning / Referral", "da", &footer, issued);
    w.bilingual(Some("en"));
    for (i, r) in referrals.iter().enumerate() {
        if i > 0 {
            w.new_page();
        }
        w.section(None, |w| form(w, r));
    }
    w.finish()
}

/// One household's form, from the cursor.
pub fn form(w: &mut Writer, r: &Referral) {
    let ltr = Direction::Ltr;
    w.heading(
        1,
        "Henvisning til boligplacering / Referral for housing placement",
        ltr,
    );
    w.space(6.0);
    let arrival_date = r
        .arrival
        .date
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "ikke fastsat / not yet fixed".to_owned());
    for (label, value) in [
        ("Sagsnummer / Case number", r.case_number.clone()),
        (
            "Nationalitet / Nationality",
            crate::countries::bilingual(&r.nationality),
        ),
        (
            "Kommune / Municipality",
            format!(
                "{} ({})",
                r.arrival.municipality_name, r.arrival.municipality_code
            ),
        ),
        ("Ankomstdato / Arrival date", arrival_date),
        ("Personer / Persons", r.members.len().to_string()),
        ("Dato / Date", r.issued.format("%Y-%m-%d").to_string()),
        ("Dokument-ID / Document ID", r.document_id.clone()),
    ] {
        w.field(label, &value, BODY, ltr);
    }

    heading(w, "Husstandens medlemmer / Household members");
    let wide = w.text_width();
    let members: Vec<Vec<String>> = r
        .members
        .iter()
        .map(|m| {
            vec![
                m.name.clone(),
                m.date_of_birth.format("%Y-%m-%d").to_string(),
                labels::sex(m.sex).to_owned(),
                labels::relationship(m.relationship).to_owned(),
            ]
        })
        .collect();
    w.table(
        &[
            Column {
                header: "Navn / Name",
                width: wide * 0.38,
            },
            Column {
                header: "Født / Born",
                width: wide * 0.16,
            },
            Column {
                header: "Køn / Sex",
                width: wide * 0.18,
            },
            Column {
                header: "Relation / Relationship",
                width: wide * 0.28,
            },
        ],
        &members,
    );

    heading(
        w,
        "Sprog, skolegang og arbejde / Languages, schooling and work",
    );
    let schooling: Vec<Vec<String>> = r
        .members
        .iter()
        .map(|m| {
            vec![
                m.name.clone(),
                m.languages
                    .iter()
                    .map(|l| labels::language(l))
                    .collect::<Vec<_>>()
                    .join(", "),
                labels::yes_no(m.literate).to_owned(),
                m.education_years.to_string(),
                m.occupation.clone().unwrap_or_else(|| "–".to_owned()),
            ]
        })
        .collect();
    w.table(
        &[
            Column {
                header: "Navn / Name",
                width: wide * 0.26,
            },
            Column {
                header: "Sprog / Languages",
                width: wide * 0.27,
            },
            Column {
                header: "Læse og skrive / Literate",
                width: wide * 0.14,
            },
            Column {
                header: "Skoleår / School years",
                width: wide * 0.12,
            },
            Column {
                header: "Erhverv / Work experience",
                width: wide * 0.21,
            },
        ],
        &schooling,
    );

    heading(w, "Særlige behov / Special needs");
    match &r.special_needs {
        SpecialNeeds::NotReleased => w.paragraph(
            "Husstanden har ikke frigivet oplysninger om særlige behov til kommunen. \
             / The household has released no information on special needs to the \
             municipality.",
            BODY,
            ltr,
            0.0,
        ),
        SpecialNeeds::Released {
            language,
            recorded_by,
            recorded_at,
            needs,
        } => {
            w.paragraph(
                &format!(
                    "Frigivet af husstanden med samtykke på {}, registreret af {} den {}. \
                     / Released by the household with consent given in {}, recorded by \
                     {} on {}.",
                    labels::language(language),
                    recorded_by,
                    recorded_at.format("%Y-%m-%d"),
                    language,
                    recorded_by,
                    recorded_at.format("%Y-%m-%d"),
                ),
                SMALL,
                ltr,
                0.0,
            );
            w.space(4.0);
            if needs.is_empty() {
                w.paragraph(
                    "Ingen særlige behov registreret. / No special needs recorded.",
                    BODY,
                    ltr,
                    0.0,
                );
            }
            for (name, need) in needs {
                w.paragraph(&format!("{name}: {need}"), BODY, ltr, 12.0);
            }
        }
    }
}

fn heading(w: &mut Writer, text: &str) {
    w.keep(80.0);
    w.space(10.0);
    w.heading(2, text, Direction::Ltr);
    w.space(2.0);
}
