//! The year's statistics as a PDF for reading: the same tables as the spreadsheet and
//! the CSV (`statistics::tables`), each under a Danish and English heading, with the
//! measures' names in both languages.

use chrono::NaiveDate;

use super::pdf::{Column, PdfError, Writer, BODY};
use super::shaping::Direction;
use super::statistics::{tables, Table};
use resettle_domain::statistics::Statistics;

pub fn render(s: &Statistics, document_id: &str, issued: NaiveDate) -> Result<Vec<u8>, PdfError> {
    let ltr = Direction::Ltr;
    let title = format!("Statistik / Statistics {}", s.year);
    let mut w = Writer::new(&title, "da", document_id, issued);
    w.bilingual(Some("en"));
    w.heading(1, &title, ltr);
    w.space(6.0);
    for (label, value) in [
        ("År / Year", s.year.to_string()),
        ("Dato / Date", issued.format("%Y-%m-%d").to_string()),
        ("Dokument-ID / Document ID", document_id.to_owned()),
    ] {
        w.field(label, &value, BODY, ltr);
    }
    for table in tables(s) {
        w.keep(90.0);
        w.space(12.0);
        w.heading(2, name(table.name), ltr);
        w.space(2.0);
        section(&mut w, &table);
    }
    w.finish()
}

/// One table: its key (with the name where the key has one), then a column a measure.
fn section(w: &mut Writer, table: &Table) {
    let wide = w.text_width();
    let measures = table.measures.len() as f32;
    let figure = (wide * 0.55 / measures).min(80.0);
    let mut columns = vec![Column {
        header: name(table.key),
        width: wide - figure * measures,
    }];
    columns.extend(table.measures.iter().map(|m| Column {
        header: name(m),
        width: figure,
    }));
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|(key, label, values)| {
            let mut row = vec![if label.is_empty() {
                key.clone()
            } else {
                format!("{label} ({key})")
            }];
            row.extend(values.iter().map(|v| match v {
                Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
                Some(v) => format!("{v:.1}"),
                None => "–".to_owned(),
            }));
            row
        })
        .collect();
    if rows.is_empty() {
        w.paragraph("Ingen / None", BODY, Direction::Ltr, 0.0);
    } else {
        w.table(&columns, &rows);
    }
}

/// The Danish and English name of a table, key or measure of `statistics::tables`.
fn name(code: &str) -> &'static str {
    match code {
        "arrivals" => "Ankomster / Arrivals",
        "by_nationality" => "Efter nationalitet / By nationality",
        "by_sub_quota" => "Efter underkvote / By sub-quota",
        "by_category" => "Efter UNHCR-kategori / By UNHCR category",
        "by_priority" => "Efter prioritet / By priority",
        "by_municipality" => "Efter kommune / By municipality",
        "by_region" => "Efter region / By region",
        "time_to_departure" => "Tid til afrejse / Time to departure",
        "decisions" => "Afgørelser / Decisions",
        "quota" => "Kvote / Quota",
        "year" => "År / Year",
        "nationality" => "Nationalitet / Nationality",
        "sub_quota" => "Underkvote / Sub-quota",
        "unhcr_category" => "Kategori / Category",
        "priority" => "Prioritet / Priority",
        "municipality" => "Kommune / Municipality",
        "region" => "Region / Region",
        "outcome" => "Udfald / Outcome",
        "households" => "Husstande / Households",
        "persons" => "Personer / Persons",
        "departures" => "Afrejser / Departures",
        "median_days" => "Median, dage / Median, days",
        "limit_days" => "Frist, dage / Limit, days",
        "within_limit" => "Inden for fristen / Within the limit",
        "cases" => "Sager / Cases",
        "allocated" => "Tildelt / Allocated",
        "carried_in" => "Ind / Carried in",
        "committed" => "Forpligtet / Committed",
        "used" => "Brugt / Used",
        "available" => "Ledig / Available",
        _ => "–",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use resettle_domain::statistics::compile;

    #[test]
    fn every_table_key_and_measure_has_a_name_and_an_empty_year_renders() {
        let s = compile(2026, &[], &[], &[], 0, None);
        let pdf = render(&s, "STAT-1", NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        for table in tables(&s) {
            assert_ne!(name(table.name), "–", "{}", table.name);
            assert_ne!(name(table.key), "–", "{}", table.key);
            for m in table.measures {
                assert_ne!(name(m), "–", "{m}");
            }
        }
    }
}
