//! The year's statistics for the ministry as a spreadsheet (XLSX, one sheet a table, by
//! rust_xlsxwriter) or as one CSV in long form (`table,key,name,measure,value`, by the
//! csv crate), both from the same tables so they cannot disagree.

use resettle_domain::statistics::{Count, Statistics};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One table: its rows keyed by a code, with a name where the code has one, and the
/// values of its measures (None where there is none, e.g. a median of no departures).
pub struct Table {
    pub name: &'static str,
    pub key: &'static str,
    pub measures: &'static [&'static str],
    pub rows: Vec<(String, String, Vec<Option<f64>>)>,
}

fn counts(name: &'static str, key: &'static str, lines: &[Count]) -> Table {
    Table {
        name,
        key,
        measures: &["households", "persons"],
        rows: lines
            .iter()
            .map(|c| {
                (
                    c.key.clone(),
                    c.name.clone(),
                    vec![Some(c.households.into()), Some(c.persons.into())],
                )
            })
            .collect(),
    }
}

/// Every table of the year's statistics, in the order a reader takes them.
pub fn tables(s: &Statistics) -> Vec<Table> {
    let n = |v: u32| Some(f64::from(v));
    vec![
        Table {
            name: "arrivals",
            key: "year",
            measures: &["households", "persons"],
            rows: vec![(
                s.year.to_string(),
                String::new(),
                vec![n(s.households), n(s.persons)],
            )],
        },
        counts("by_nationality", "nationality", &s.by_nationality),
        counts("by_sub_quota", "sub_quota", &s.by_sub_quota),
        counts("by_category", "unhcr_category", &s.by_category),
        counts("by_priority", "priority", &s.by_priority),
        counts("by_municipality", "municipality", &s.by_municipality),
        counts("by_region", "region", &s.by_region),
        Table {
            name: "time_to_departure",
            key: "priority",
            measures: &["departures", "median_days", "limit_days", "within_limit"],
            rows: s
                .time_to_departure
                .iter()
                .map(|t| {
                    (
                        t.priority.code().to_owned(),
                        String::new(),
                        vec![
                            n(t.departures),
                            t.median_days,
                            n(t.limit_days),
                            n(t.within_limit),
                        ],
                    )
                })
                .collect(),
        },
        Table {
            name: "decisions",
            key: "outcome",
            measures: &["cases"],
            rows: [
                ("accepted", s.decisions.accepted),
                ("rejected", s.decisions.rejected),
                ("deferred", s.decisions.deferred),
                ("withdrawn", s.decisions.withdrawn),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), String::new(), vec![n(v)]))
            .collect(),
        },
        Table {
            name: "quota",
            key: "sub_quota",
            measures: &["allocated", "carried_in", "committed", "used", "available"],
            rows: s
                .quota
                .iter()
                .map(|q| {
                    (
                        q.sub_quota.code().to_owned(),
                        String::new(),
                        vec![
                            n(q.allocated),
                            n(q.carried_in),
                            n(q.committed),
                            n(q.used),
                            n(q.available),
                        ],
                    )
                })
                .collect(),
        },
    ]
}

/// The statistics in long form: one line per table, row and measure.
pub fn csv(s: &Statistics) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, fields: [&str; 5]| {
        out.write_record(fields)
            .expect("writing CSV to memory cannot fail")
    };
    write(&mut out, ["table", "key", "name", "measure", "value"]);
    for table in tables(s) {
        for (key, name, values) in &table.rows {
            for (measure, value) in table.measures.iter().zip(values) {
                let value = value.map(|v| v.to_string()).unwrap_or_default();
                write(&mut out, [table.name, key, name, measure, &value]);
            }
        }
    }
    out.into_inner().expect("writing CSV to memory cannot fail")
}

/// The statistics as a workbook: a sheet per table, its header row bold and frozen.
pub fn xlsx(s: &Statistics) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables(s) {
        let sheet = book.add_worksheet();
        sheet.set_name(table.name)?;
        let named = table.rows.iter().any(|(_, name, _)| !name.is_empty());
        let mut col: u16 = 0;
        sheet.write_string_with_format(0, col, table.key, &bold)?;
        if named {
            col += 1;
            sheet.write_string_with_format(0, col, "name", &bold)?;
        }
        for (i, m) in table.measures.iter().enumerate() {
            sheet.write_string_with_format(0, col + 1 + i as u16, *m, &bold)?;
        }
        for (r, (key, name, values)) in table.rows.iter().enumerate() {
            let row = r as u32 + 1;
            sheet.write_string(row, 0, key)?;
            if named {
                sheet.write_string(row, 1, name)?;
            }
            for (i, v) in values.iter().enumerate() {
                if let Some(v) = v {
                    sheet.write_number(row, col + 1 + i as u16, *v)?;
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use resettle_domain::decision::Verdict;
    use resettle_domain::quota::SubQuota;
    use resettle_domain::statistics::{compile, Arrival};
    use resettle_domain::{Category, Priority};

    fn year() -> Statistics {
        compile(
            2026,
            &[Arrival {
                nationality: "SOM".into(),
                category: Category::LegalPhysicalProtection,
                priority: Priority::Normal,
                persons: 3,
                sub_quotas: vec![(SubQuota::Geographical, 3)],
                municipality: Some((751, "Aarhus".into(), "Region Midtjylland".into())),
            }],
            &[],
            &[Verdict::Accept, Verdict::Reject],
            0,
            None,
        )
    }

    #[test]
    fn the_csv_has_one_line_per_table_row_and_measure() {
        let text = String::from_utf8(csv(&year())).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "table,key,name,measure,value");
        assert!(lines.contains(&"arrivals,2026,,persons,3"));
        assert!(lines.contains(&"by_municipality,751,Aarhus,persons,3"));
        assert!(lines.contains(&"decisions,rejected,,cases,1"));
        // A median of no departures is left empty, not 0.
        assert!(lines.contains(&"time_to_departure,emergency,,median_days,"));
    }

    #[test]
    fn the_workbook_is_a_zip_with_a_sheet_per_table() {
        let bytes = xlsx(&year()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }
}
