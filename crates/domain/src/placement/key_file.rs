//! The key inputs file of a year (`docs/key-inputs-format.md`): one row per municipality
//! with its population, non-Western immigrants and refugees, and family-reunified
//! relatives. Lines starting with `#` are comments. Checked whole before anything is
//! stored: every problem is listed with its line.

use std::collections::BTreeSet;

use super::key::KeyInput;

const HEADER: [&str; 4] = ["code", "population", "non_western", "reunified"];

/// A reader of one of the placement's CSV files (`#` comments, fields trimmed) whose
/// header has been checked to be exactly `header`.
pub(crate) fn reader<'a>(
    text: &'a str,
    header: &[&str],
) -> Result<csv::Reader<&'a [u8]>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) if h.iter().eq(header.iter().copied()) => Ok(reader),
        Ok(h) => Err(vec![format!(
            "the header must be {}, not {}",
            header.join(","),
            h.iter().collect::<Vec<_>>().join(",")
        )]),
        Err(e) => Err(vec![format!("cannot read the header: {e}")]),
    }
}

/// Reads the file; `codes` are the municipalities that must each appear exactly once.
pub fn read(text: &str, codes: &[u16]) -> Result<Vec<KeyInput>, Vec<String>> {
    let mut reader = reader(text, &HEADER)?;
    let mut problems = Vec::new();
    let known: BTreeSet<u16> = codes.iter().copied().collect();
    let mut seen = BTreeSet::new();
    let mut inputs = Vec::new();
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
        let number = |i: usize, problems: &mut Vec<String>| -> Option<u64> {
            field(i).parse::<u64>().ok().or_else(|| {
                problems.push(format!(
                    "line {line}: {} {:?} is not a whole number of 0 or more",
                    HEADER[i],
                    field(i)
                ));
                None
            })
        };
        let code = match field(0).parse::<u16>() {
            Ok(c) if known.contains(&c) => Some(c),
            _ => {
                problems.push(format!(
                    "line {line}: {:?} is not a municipality code",
                    field(0)
                ));
                None
            }
        };
        let (population, non_western, reunified) = (
            number(1, &mut problems),
            number(2, &mut problems),
            number(3, &mut problems),
        );
        let (Some(code), Some(population), Some(non_western), Some(reunified)) =
            (code, population, non_western, reunified)
        else {
            continue;
        };
        if !seen.insert(code) {
            problems.push(format!("line {line}: municipality {code} appears again"));
            continue;
        }
        if non_western > population {
            problems.push(format!(
                "line {line}: municipality {code} has more non-Western immigrants ({non_western}) than inhabitants ({population})"
            ));
        }
        inputs.push(KeyInput {
            code,
            population,
            non_western,
            reunified,
        });
    }
    let missing: Vec<String> = known.difference(&seen).map(u16::to_string).collect();
    if !missing.is_empty() && problems.is_empty() {
        problems.push(format!(
            "{} municipalities are missing: {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(problems)
    }
}

/// The synthetic inputs for 2026 shipped with the demo data (invented, marked as such).
pub const SYNTHETIC_2026: &str = include_str!("../../../../data/key-inputs-2026-synthetic.csv");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::municipality::official_list;
    use crate::placement::key::{distribute, KeyExemption};

    fn codes() -> Vec<u16> {
        official_list().iter().map(|m| m.code).collect()
    }

    #[test]
    fn the_synthetic_file_names_every_municipality_and_gives_600_places() {
        let inputs = read(SYNTHETIC_2026, &codes()).unwrap();
        assert_eq!(inputs.len(), 98);
        let quotas = distribute(600, &inputs, &[KeyExemption { from: 825, to: 860 }]).unwrap();
        assert_eq!(quotas.values().sum::<u32>(), 600);
        assert_eq!(quotas[&825], 0, "Læsø is exempted");
        // København's excess share of non-Western residents takes its share to 0, as the
        // key intends; Aalborg, large with a small excess, gets the most.
        assert_eq!(quotas[&101], 0);
        assert_eq!(quotas.values().max(), Some(&quotas[&851]));
    }

    #[test]
    fn every_problem_is_listed_with_its_line() {
        let text = "# a comment\ncode,population,non_western,reunified\n101,1000,50,2\n101,1000,50,2\n147,x,5,1\n999,10,1,0\n151,10,20,0\n";
        let problems = read(text, &[101, 147, 151, 153]).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("line 4") && p.contains("appears again")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("line 5") && p.contains("population \"x\"")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("line 6") && p.contains("\"999\"")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("line 7") && p.contains("more non-Western")),
            "{problems:?}"
        );
        let missing = read(
            "code,population,non_western,reunified\n101,10,1,0\n",
            &[101, 147],
        )
        .unwrap_err();
        assert_eq!(
            missing,
            vec!["1 municipalities are missing: 147".to_owned()]
        );
        let header = read("kode,pop\n", &[101]).unwrap_err();
        assert!(header[0].starts_with("the header must be"), "{header:?}");
    }
}
