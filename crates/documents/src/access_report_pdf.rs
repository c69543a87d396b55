//! A person's access report (GDPR Art. 15) as a PDF for the person: the Danish text,
//! then the same in the person's language where a declaration translation exists (the
//! labels are in `data/declarations/`, beside the declaration's), set right to left
//! where it reads so. The data (names, dates, reasons as recorded, audit actions) is
//! printed as held. The rules of what is left out are `AccessReport::assemble`'s; this
//! prints what the report holds, and says why the interview notes are missing when
//! they are.

use super::declaration::{self, Translation};
use super::declaration_pdf::draft_note;
use super::pdf::{Column, PdfError, Writer, BODY, SMALL};
use super::shaping::Direction;
use resettle_domain::subject_access::{
    AccessEvent, AccessReport, ConfidentialDisclosure, NotesDisclosure,
};

/// The report's PDF: in Danish, and in `signer`'s language too when given.
pub fn render(
    report: &AccessReport,
    danish: &Translation,
    signer: Option<&Translation>,
    document_id: &str,
) -> Result<Vec<u8>, PdfError> {
    let mut w = Writer::new(
        &format!(
            "{} / Access report {}",
            danish.labels["access_title"], report.case_no
        ),
        "da",
        document_id,
        report.made_on,
    );
    // Only the draft translation's note is "Dansk / English".
    w.bilingual(Some("en"));
    w.section(None, |w| section(w, report, danish, document_id));
    if let Some(t) = signer.filter(|t| t.language != danish.language) {
        w.new_page();
        w.section(Some(&t.language), |w| section(w, report, t, document_id));
        draft_note(&mut w, t);
    }
    w.finish()
}

fn section(w: &mut Writer, r: &AccessReport, t: &Translation, document_id: &str) {
    let direction = match t.direction {
        declaration::Direction::Ltr => Direction::Ltr,
        declaration::Direction::Rtl => Direction::Rtl,
    };
    let label = |key: &str| t.labels[key].as_str();
    w.heading(1, label("access_title"), direction);
    w.space(6.0);
    let subject = match r.member {
        Some(_) => r
            .household
            .members
            .first()
            .map(|m| format!("{} {}", m.given_name, m.family_name))
            .unwrap_or_default(),
        None => r
            .household
            .members
            .iter()
            .map(|m| format!("{} {}", m.given_name, m.family_name))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let scope = match r.member {
        Some(_) => label("access_scope_member"),
        None => label("access_scope_household"),
    };
    for (key, value) in [
        ("case_number", r.case_no.clone()),
        ("name", subject),
        ("access_scope", scope.to_owned()),
        ("access_made_on", r.made_on.format("%Y-%m-%d").to_string()),
        ("document_id", document_id.to_owned()),
    ] {
        w.field(label(key), &value, BODY, direction);
    }
    w.space(8.0);
    w.paragraph(label("access_intro"), BODY, direction, 0.0);

    heading(w, label("access_registration"), direction);
    let wide = w.text_width();
    let members: Vec<Vec<String>> = r
        .household
        .members
        .iter()
        .map(|m| {
            vec![
                format!("{} {}", m.given_name, m.family_name),
                m.date_of_birth.format("%Y-%m-%d").to_string(),
                m.languages.join(", "),
            ]
        })
        .collect();
    w.table_in(
        &[
            Column {
                header: label("name"),
                width: wide * 0.45,
            },
            Column {
                header: label("date_of_birth"),
                width: wide * 0.25,
            },
            Column {
                header: label("access_languages"),
                width: wide * 0.30,
            },
        ],
        &members,
        direction,
    );

    heading(w, label("access_interviews"), direction);
    if r.interviews.is_empty() {
        none(w, t, direction);
    }
    for interview in &r.interviews {
        w.field(
            label("access_date"),
            &format!(
                "{} ({})",
                interview.held_on.format("%Y-%m-%d"),
                interview.interviewer
            ),
            BODY,
            direction,
        );
        if r.notes == NotesDisclosure::Included && !interview.notes.trim().is_empty() {
            w.paragraph(&interview.notes, BODY, Direction::Ltr, 12.0);
        }
    }
    if r.notes == NotesDisclosure::WithheldOtherMembers && !r.interviews.is_empty() {
        w.paragraph(label("access_notes_withheld"), SMALL, direction, 0.0);
    }

    heading(w, label("access_score"), direction);
    match &r.score {
        None => none(w, t, direction),
        Some(score) => {
            let card = &score.card;
            w.field(
                label("access_date"),
                &format!(
                    "{}: {}/{} ({} %)",
                    score.scored_at.format("%Y-%m-%d"),
                    card.total,
                    card.max,
                    card.percent
                ),
                BODY,
                direction,
            );
            // The explanations exist in Danish and English only.
            let english = t.language != "da";
            w.section(english.then_some("en"), |w| {
                let summary = if english {
                    &card.summary.en
                } else {
                    &card.summary.da
                };
                w.paragraph(summary, BODY, Direction::Ltr, 0.0);
                for c in &card.criteria {
                    let (name, why) = if english {
                        (&c.name.en, &c.explanation.en)
                    } else {
                        (&c.name.da, &c.explanation.da)
                    };
                    w.paragraph(
                        &format!("{name}: {}/{}. {why}", c.points, c.max_points),
                        SMALL,
                        Direction::Ltr,
                        12.0,
                    );
                }
            });
        }
    }

    heading(w, label("access_decisions"), direction);
    rows(
        w,
        t,
        direction,
        r.decisions
            .iter()
            .map(|d| {
                [
                    d.at.format("%Y-%m-%d").to_string(),
                    d.by.clone(),
                    format!("{}: {}", d.verdict.code(), d.reasons),
                ]
            })
            .collect(),
    );

    heading(w, label("access_consents"), direction);
    rows(
        w,
        t,
        direction,
        r.consents
            .iter()
            .map(|c| {
                let released: Vec<&str> = c.released.iter().map(|i| i.code()).collect();
                let mut what = format!("{} ({})", released.join(", "), c.language);
                if let Some(withdrawn) = &c.withdrawn {
                    what.push_str(&format!(
                        "; {} {} ({})",
                        label("access_withdrawn"),
                        withdrawn.at.format("%Y-%m-%d"),
                        withdrawn.by
                    ));
                }
                [
                    c.recorded_at.format("%Y-%m-%d").to_string(),
                    c.recorded_by.clone(),
                    what,
                ]
            })
            .collect(),
    );

    heading(w, label("access_placements"), direction);
    rows(
        w,
        t,
        direction,
        r.placements
            .iter()
            .map(|p| {
                [
                    p.year.to_string(),
                    String::new(),
                    format!("{} ({}): {}", p.municipality_name, p.municipality, p.status),
                ]
            })
            .collect(),
    );

    // The section is there only in the member's own report: a household's report, or
    // another member's, must not even show that a note exists.
    match (&r.confidential, r.confidential_disclosure) {
        (Some(note), ConfidentialDisclosure::Included) => {
            heading(w, label("access_confidential"), direction);
            w.field(
                label("access_date"),
                &format!(
                    "{} ({})",
                    note.recorded_at.format("%Y-%m-%d"),
                    note.recorded_by
                ),
                BODY,
                direction,
            );
            w.paragraph(&note.note, BODY, Direction::Ltr, 12.0);
        }
        (_, ConfidentialDisclosure::ReaderWithoutGrant) => {
            heading(w, label("access_confidential"), direction);
            w.paragraph(label("access_incomplete"), BODY, direction, 0.0);
        }
        _ => {}
    }

    heading(w, label("access_documents"), direction);
    rows(w, t, direction, events(&r.documents));
    heading(w, label("access_reads"), direction);
    rows(w, t, direction, events(&r.reads));
    heading(w, label("access_erasures"), direction);
    rows(
        w,
        t,
        direction,
        r.erasures
            .iter()
            .map(|e| {
                [
                    e.erased_at.format("%Y-%m-%d").to_string(),
                    e.erased_by.clone(),
                    format!("{} ({})", e.scope.code(), e.rule.code()),
                ]
            })
            .collect(),
    );
}

fn events(events: &[AccessEvent]) -> Vec<[String; 3]> {
    events
        .iter()
        .map(|e| {
            [
                e.at.chars().take(16).collect::<String>().replace('T', " "),
                e.actor.clone(),
                e.action.clone(),
            ]
        })
        .collect()
}

fn heading(w: &mut Writer, text: &str, direction: Direction) {
    w.keep(70.0);
    w.space(10.0);
    w.heading(2, text, direction);
    w.space(2.0);
}

fn none(w: &mut Writer, t: &Translation, direction: Direction) {
    w.paragraph(&t.labels["access_none"], BODY, direction, 0.0);
}

/// A table of date, who and what; "none" when there are no rows.
fn rows(w: &mut Writer, t: &Translation, direction: Direction, rows: Vec<[String; 3]>) {
    if rows.is_empty() {
        none(w, t, direction);
        return;
    }
    let wide = w.text_width();
    let rows: Vec<Vec<String>> = rows.into_iter().map(Vec::from).collect();
    w.table_in(
        &[
            Column {
                header: &t.labels["access_date"],
                width: wide * 0.2,
            },
            Column {
                header: &t.labels["access_by"],
                width: wide * 0.2,
            },
            Column {
                header: &t.labels["access_what"],
                width: wide * 0.6,
            },
        ],
        &rows,
        direction,
    );
}
