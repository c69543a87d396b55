//! From bytes to rows of named text fields, CSV or JSON alike, so that one validator
//! serves both formats.

use std::collections::BTreeMap;

use super::{Problem, COLUMNS};

/// One person's row: its number (as `Problem::row` counts) and its fields by column.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: u32,
    pub fields: BTreeMap<String, String>,
}

impl Row {
    /// The field's text, trimmed; "" when the column is empty.
    pub fn get(&self, column: &str) -> &str {
        self.fields.get(column).map(|s| s.trim()).unwrap_or("")
    }
}

fn missing_columns(present: &[String], row: u32) -> Vec<Problem> {
    COLUMNS
        .iter()
        .filter(|c| !present.iter().any(|p| p == *c))
        .map(|c| Problem::new(row, Some(c), "the column is missing"))
        .collect()
}

pub fn csv_rows(bytes: &[u8]) -> Result<Vec<Row>, Vec<Problem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes); // a spreadsheet's BOM
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(e) => return Err(vec![Problem::new(1, None, csv_reason(&e))]),
    };
    let missing = missing_columns(&header, 1);
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let number = i as u32 + 2;
        match record {
            Ok(record) => rows.push(Row {
                number,
                fields: header
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_owned))
                    .collect(),
            }),
            Err(e) => problems.push(Problem::new(number, None, csv_reason(&e))),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Problem::new(1, None, "the file has no rows"));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8".to_owned(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => e.to_string(),
    }
}

pub fn json_rows(bytes: &[u8]) -> Result<Vec<Row>, Vec<Problem>> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        vec![Problem::new(
            e.line() as u32,
            None,
            format!("not valid JSON: {e}"),
        )]
    })?;
    let serde_json::Value::Array(items) = value else {
        return Err(vec![Problem::new(
            1,
            None,
            "the file is not a JSON array of rows",
        )]);
    };
    if items.is_empty() {
        return Err(vec![Problem::new(1, None, "the file has no rows")]);
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let number = i as u32 + 1;
        let serde_json::Value::Object(object) = item else {
            problems.push(Problem::new(number, None, "a row must be a JSON object"));
            continue;
        };
        let present: Vec<String> = object.keys().cloned().collect();
        problems.extend(missing_columns(&present, number));
        let mut fields = BTreeMap::new();
        for (column, value) in object {
            let text = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(true) => "yes".to_owned(),
                serde_json::Value::Bool(false) => "no".to_owned(),
                // Languages may come as a list of codes.
                serde_json::Value::Array(items)
                    if column == "languages" && items.iter().all(|v| v.is_string()) =>
                {
                    items
                        .iter()
                        .filter_map(|v| v.as_str())
                        .collect::<Vec<_>>()
                        .join(";")
                }
                serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                    problems.push(Problem::new(
                        number,
                        Some(&column),
                        "a value must be text, a number or true/false",
                    ));
                    continue;
                }
            };
            fields.insert(column, text);
        }
        rows.push(Row { number, fields });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}
