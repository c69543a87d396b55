//! The municipalities' wishes for a year as a file (`docs/placement-format.md`,
//! "Municipality wishes file"): one row per municipality that sent its visitation form,
//! with the household types, languages and services it asks for. Lines starting with `#`
//! are comments. Checked whole before anything is stored: every problem is listed with
//! its line, and a file with any problem is refused.

use std::collections::BTreeSet;

use super::instance::{MunicipalityWishes, HOUSEHOLD_TYPES};
use super::outcomes::tags;

pub const HEADER: [&str; 4] = ["code", "household_types", "languages", "services"];

/// Reads the file; `codes` are the municipalities a row may name (each at most once).
pub fn read(text: &str, codes: &[u16]) -> Result<Vec<(u16, MunicipalityWishes)>, Vec<String>> {
    let mut reader = super::key_file::reader(text, &HEADER)?;
    let known: BTreeSet<u16> = codes.iter().copied().collect();
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let before = problems.len();
        let code = match field(0).parse::<u16>() {
            Ok(c) if known.contains(&c) => c,
            _ => {
                problems.push(format!(
                    "line {line}: code {:?} is not a municipality code",
                    field(0)
                ));
                0
            }
        };
        if code != 0 && !seen.insert(code) {
            problems.push(format!("line {line}: municipality {code} appears again"));
        }
        let mut list = |i: usize| -> Vec<String> {
            tags(field(i), None).unwrap_or_else(|why| {
                problems.push(format!("line {line}, {}: {why}", HEADER[i]));
                Vec::new()
            })
        };
        let wishes = MunicipalityWishes {
            household_types: list(1),
            languages: list(2),
            services: list(3),
        };
        for kind in &wishes.household_types {
            if !HOUSEHOLD_TYPES.contains(&kind.as_str()) {
                problems.push(format!(
                    "line {line}: household type {kind:?} is not one of {}",
                    HOUSEHOLD_TYPES.join(", ")
                ));
            }
        }
        if problems.len() == before {
            rows.push((code, wishes));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(vec!["the file has no rows".into()]);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: [u16; 3] = [101, 147, 461];

    #[test]
    fn a_good_file_is_read_with_its_lists() {
        let rows = read(
            "# from the visitation forms\ncode,household_types,languages,services\n101,single;couple,ar;fa,trauma_therapy\n461,,,\n",
            &CODES,
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 101);
        assert_eq!(rows[0].1.household_types, vec!["single", "couple"]);
        assert_eq!(rows[0].1.languages, vec!["ar", "fa"]);
        assert!(rows[1].1.is_empty());
    }

    #[test]
    fn every_problem_is_listed_with_its_line_and_nothing_is_read() {
        let problems = read(
            "code,household_types,languages,services\n999,single,,\n101,pensioners,AR,\n101,,,\n",
            &CODES,
        )
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                "line 2: code \"999\" is not a municipality code",
                "line 3, languages: \"AR\" is not a tag (lower-case letters, digits, _ or -)",
                "line 3: household type \"pensioners\" is not one of single, couple, single_parent, family_with_children, other",
                "line 4: municipality 101 appears again",
            ]
        );
        assert_eq!(
            read("code,types\n", &CODES).unwrap_err(),
            vec!["the header must be code,household_types,languages,services, not code,types"]
        );
        assert_eq!(
            read("code,household_types,languages,services\n", &CODES).unwrap_err(),
            vec!["the file has no rows"]
        );
    }
}
