//! The quota report for management: a period's figures per year and sub-quota, as a
//! table and as a chart of how each year's places are used. Figures only, no household.

use chrono::NaiveDate;

use super::labels;
use super::pdf::{Bar, Column, Fill, PdfError, Writer, BODY, SMALL};
use super::shaping::Direction;
use resettle_domain::quota::QuotaStatus;

const USED: Fill = Fill(0.11, 0.30, 0.55);
const COMMITTED: Fill = Fill(0.42, 0.62, 0.84);
const AVAILABLE: Fill = Fill(0.82, 0.85, 0.88);
const GONE: Fill = Fill(0.85, 0.55, 0.35);

pub fn render(
    status: &QuotaStatus,
    document_id: &str,
    issued: NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    let ltr = Direction::Ltr;
    let mut w = Writer::new(
        &format!("Kvoterapport / Quota report {}", status.period),
        "da",
        document_id,
        issued,
    );
    w.bilingual(Some("en"));
    w.heading(
        1,
        &format!(
            "Kvoterapport / Quota report {}–{}",
            status.period, status.end_year
        ),
        ltr,
    );
    w.space(6.0);
    for (label, value) in [
        (
            "Pladser i alt / Total places",
            status.total_places.to_string(),
        ),
        ("Årligt loft / Annual cap", status.annual_cap.to_string()),
        (
            "Overførsel mellem år / Carry-over",
            labels::yes_no(status.carry_over).to_owned(),
        ),
        (
            "Åbent år / Open year",
            status
                .open_year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "ingen, perioden er lukket / none, the period is closed".into()),
        ),
        ("Dato / Date", issued.format("%Y-%m-%d").to_string()),
        ("Dokument-ID / Document ID", document_id.to_owned()),
    ] {
        w.field(label, &value, BODY, ltr);
    }

    w.space(12.0);
    w.heading(2, "Pladsernes brug / How the places are used", ltr);
    let bars: Vec<Bar> = status
        .years
        .iter()
        .flat_map(|y| {
            y.sub_quotas.iter().map(move |s| Bar {
                label: format!("{} {}", y.year, labels::sub_quota(s.sub_quota)),
                segments: vec![
                    (s.used, USED),
                    (s.committed, COMMITTED),
                    (s.available, AVAILABLE),
                    (s.carried_out + s.lapsed, GONE),
                ],
                note: format!("{} / {}", s.used + s.committed, s.allocated + s.carried_in),
            })
        })
        .collect();
    let max = bars
        .iter()
        .map(|b| b.segments.iter().map(|(v, _)| v).sum::<u32>())
        .max()
        .unwrap_or(0);
    // The chart in words, for a screen reader: every figure a bar shows.
    let description = std::iter::once(
        "Søjlediagram over pladsernes brug / Bar chart of how the places are used".to_owned(),
    )
    .chain(bars.iter().map(|b| {
        let [used, committed, available, gone] = [0, 1, 2, 3].map(|i| b.segments[i].0);
        format!(
            "{}: brugt / used {used}, forpligtet / committed {committed}, ledig / available \
             {available}, overført ud eller bortfaldet / carried out or lapsed {gone}",
            b.label
        )
    }))
    .collect::<Vec<_>>()
    .join(". ");
    w.bar_chart(
        &bars,
        max,
        &[
            ("Brugt / Used", USED),
            ("Forpligtet / Committed", COMMITTED),
            ("Ledig / Available", AVAILABLE),
            ("Overført ud eller bortfaldet / Carried out or lapsed", GONE),
        ],
        &description,
    );
    w.paragraph(
        "Tallet efter søjlen: brugt og forpligtet af tildelt og overført ind. / The figure \
         after each bar: used and committed of allocated and carried in.",
        SMALL,
        ltr,
        0.0,
    );

    for y in &status.years {
        w.keep(140.0);
        w.space(14.0);
        let state = if y.closed {
            "lukket / closed"
        } else {
            "åbent / open"
        };
        w.heading(2, &format!("{} ({state})", y.year), ltr);
        w.space(2.0);
        let wide = w.text_width();
        // Seven figures share what the sub-quota's name leaves: room for "Forpligtet".
        let narrow = wide * 0.78 / 7.0;
        let rows: Vec<Vec<String>> = y
            .sub_quotas
            .iter()
            .map(|s| {
                vec![
                    labels::sub_quota(s.sub_quota).to_owned(),
                    s.allocated.to_string(),
                    s.carried_in.to_string(),
                    s.committed.to_string(),
                    s.used.to_string(),
                    s.available.to_string(),
                    s.carried_out.to_string(),
                    s.lapsed.to_string(),
                ]
            })
            .collect();
        let column = |header| Column {
            header,
            width: narrow,
        };
        w.table(
            &[
                Column {
                    header: "Underkvote / Sub-quota",
                    width: wide - 7.0 * narrow,
                },
                column("Tildelt / Allocated"),
                column("Ind / Carried in"),
                column("Forpligtet / Committed"),
                column("Brugt / Used"),
                column("Ledig / Available"),
                column("Ud / Carried out"),
                column("Bortfaldet / Lapsed"),
            ],
            &rows,
        );
    }
    w.finish()
}
