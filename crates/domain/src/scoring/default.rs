//! The default rubric: the seven integration criteria of the design brief. The points
//! and weights are a starting point for the programme to tune; editing them saves a new
//! rubric version.

use super::{Criterion, Level, Method, Rubric, Text};

fn level(key: &str, points: u32, en: &str, da: &str) -> Level {
    Level {
        key: key.into(),
        points,
        label: Text::new(en, da),
    }
}

fn criterion(
    key: &str,
    en: &str,
    da: &str,
    method: Method,
    weight: u32,
    levels: Vec<Level>,
) -> Criterion {
    Criterion {
        key: key.into(),
        name: Text::new(en, da),
        method,
        weight,
        levels,
    }
}

pub fn default_rubric() -> Rubric {
    use Method::*;
    Rubric {
        version: 0,
        threshold_percent: 40,
        criteria: vec![
            criterion(
                "language",
                "Language and literacy",
                "Sprog og læsefærdighed",
                Derived,
                2,
                vec![
                    level(
                        "multilingual",
                        3,
                        "Literate, speaks several languages",
                        "Kan læse og skrive, taler flere sprog",
                    ),
                    level("literate", 2, "Literate", "Kan læse og skrive"),
                    level(
                        "illiterate",
                        0,
                        "No adult reads or writes",
                        "Ingen voksne kan læse eller skrive",
                    ),
                ],
            ),
            criterion(
                "education_employment",
                "Education and employment",
                "Uddannelse og beskæftigelse",
                Derived,
                2,
                vec![
                    level(
                        "qualified",
                        3,
                        "Twelve or more years of education, or a trade with schooling",
                        "Tolv års uddannelse eller mere, eller et fag med skolegang",
                    ),
                    level(
                        "some",
                        2,
                        "Some schooling or work experience",
                        "Nogen skolegang eller erhvervserfaring",
                    ),
                    level(
                        "none",
                        0,
                        "No schooling or work experience recorded",
                        "Ingen skolegang eller erhvervserfaring registreret",
                    ),
                ],
            ),
            criterion(
                "children",
                "Families with children",
                "Familier med børn",
                Derived,
                1,
                vec![
                    level(
                        "with_children",
                        2,
                        "Family with children",
                        "Familie med børn",
                    ),
                    level("without_children", 1, "No children", "Ingen børn"),
                ],
            ),
            criterion(
                "family_unity",
                "Family unity",
                "Familiens enhed",
                Derived,
                1,
                vec![
                    level(
                        "reunites",
                        3,
                        "Resettlement restores family unity",
                        "Genbosættelsen genforener familien",
                    ),
                    level(
                        "together",
                        2,
                        "The family travels together",
                        "Familien rejser samlet",
                    ),
                    level("single", 1, "Single person", "Enlig"),
                ],
            ),
            criterion(
                "network",
                "Social network in the country of asylum",
                "Socialt netværk i asyllandet",
                Assessed,
                1,
                vec![
                    level("strong", 2, "Strong network", "Stærkt netværk"),
                    level("some", 1, "Some network", "Noget netværk"),
                    level("none", 0, "No network", "Intet netværk"),
                ],
            ),
            criterion(
                "age",
                "Age",
                "Alder",
                Derived,
                1,
                vec![
                    level(
                        "single_very_young_or_old",
                        0,
                        "A single person under 21 or 65 and over",
                        "En enlig under 21 eller 65 år og derover",
                    ),
                    level(
                        "other",
                        2,
                        "Not a very young or very old single person",
                        "Ikke en meget ung eller meget gammel enlig",
                    ),
                ],
            ),
            criterion(
                "motivation",
                "Motivation",
                "Motivation",
                Assessed,
                2,
                vec![
                    level(
                        "high",
                        3,
                        "Clearly motivated to settle, learn Danish and work",
                        "Tydeligt motiveret for at bosætte sig, lære dansk og arbejde",
                    ),
                    level("moderate", 2, "Motivated", "Motiveret"),
                    level(
                        "low",
                        0,
                        "Little motivation shown",
                        "Viser ringe motivation",
                    ),
                ],
            ),
        ],
    }
}
