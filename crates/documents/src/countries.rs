//! Country and nationality codes (ISO 3166-1 alpha-3, as UNHCR's files carry them) as names
//! in Danish and English, from i18n-iso-countries' lists: the files in `data/countries/`,
//! copied from the npm package the window uses (`ui/src/lib/countries.ts`), whose own test
//! checks the copies are the package's, so a PDF and the window name a country alike.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// A country's names in one language: the official one first, as the package's `getName`
/// gives by default.
#[derive(Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Several(Vec<String>),
}

impl Names {
    fn official(&self) -> &str {
        match self {
            Names::One(name) => name,
            Names::Several(names) => names.first().map(String::as_str).unwrap_or(""),
        }
    }
}

#[derive(Deserialize)]
struct Locale {
    countries: HashMap<String, Names>,
}

struct Countries {
    /// alpha-3 → alpha-2
    alpha2: HashMap<String, String>,
    da: Locale,
    en: Locale,
}

fn countries() -> &'static Countries {
    static COUNTRIES: OnceLock<Countries> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        let codes: Vec<Vec<String>> =
            serde_json::from_str(include_str!("../../../data/countries/codes.json"))
                .expect("data/countries/codes.json is the package's list");
        Countries {
            alpha2: codes
                .into_iter()
                .filter_map(|c| Some((c.get(1)?.clone(), c.first()?.clone())))
                .collect(),
            da: serde_json::from_str(include_str!("../../../data/countries/da.json"))
                .expect("data/countries/da.json is the package's list"),
            en: serde_json::from_str(include_str!("../../../data/countries/en.json"))
                .expect("data/countries/en.json is the package's list"),
        }
    })
}

/// The country's name in `language` (`da` or `en`), for an alpha-3 code; None for a code
/// the lists do not hold or another language.
pub fn country_name(code: &str, language: &str) -> Option<&'static str> {
    let c = countries();
    let alpha2 = c.alpha2.get(&code.trim().to_uppercase())?;
    let locale = match language {
        "da" => &c.da,
        "en" => &c.en,
        _ => return None,
    };
    locale.countries.get(alpha2).map(Names::official)
}

/// "Syrien / Syrian Arab Republic (SYR)", or "Somalia (SOM)" where the names agree: Danish first, as on
/// every bilingual label of the documents; an unknown code as it is.
pub fn bilingual(code: &str) -> String {
    match (country_name(code, "da"), country_name(code, "en")) {
        (Some(da), Some(en)) if da == en => format!("{da} ({code})"),
        (Some(da), Some(en)) => format!("{da} / {en} ({code})"),
        _ => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_names_in_both_languages() {
        assert_eq!(country_name("SYR", "da"), Some("Syrien"));
        assert_eq!(country_name("SYR", "en"), Some("Syrian Arab Republic"));
        assert_eq!(
            country_name("cod", "en"),
            Some("Democratic Republic of the Congo")
        );
        assert_eq!(bilingual("SYR"), "Syrien / Syrian Arab Republic (SYR)");
        assert_eq!(bilingual("SOM"), "Somalia (SOM)");
        assert_eq!(bilingual("XXX"), "XXX");
        assert_eq!(country_name("SYR", "ar"), None);
    }

    #[test]
    fn every_code_of_the_list_has_a_name_in_both_languages() {
        let c = countries();
        assert!(c.alpha2.len() >= 249, "{}", c.alpha2.len());
        for alpha3 in c.alpha2.keys() {
            for language in ["da", "en"] {
                let name = country_name(alpha3, language);
                assert!(
                    name.is_some_and(|n| !n.is_empty()),
                    "{alpha3} in {language}"
                );
            }
        }
    }
}
