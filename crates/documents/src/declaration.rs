//! The declaration each adult signs before a final decision: the statements of the
//! design brief in Danish and in a language the signer reads, with the case number, the
//! signer's name and date of birth, and a document ID.
//!
//! Translations are data (`data/declarations/<language>.json`, embedded at build time).
//! Danish is the reference: every other file must carry the same statements and labels,
//! each non-empty. A file that does not is refused when its language is asked for, so a
//! half-translated declaration is never printed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use resettle_domain::case::{Household, Person};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/declarations.rs"));
}

/// The reference language: every declaration is printed in it.
pub const REFERENCE: &str = "da";

/// The statements in the order they are printed.
pub const STATEMENTS: [&str; 5] = [
    "informed",
    "wish",
    "integrate",
    "family_reunification",
    "aid",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// How far a translation can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslationStatus {
    /// The Danish text itself.
    Reference,
    /// Checked by a certified translator.
    Reviewed,
    /// Not yet checked by a translator; printed with that said on the page.
    Draft,
}

/// One language's text of the declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// ISO 639 code.
    pub language: String,
    /// The language's own name for itself.
    pub name: String,
    pub direction: Direction,
    pub status: TranslationStatus,
    pub title: String,
    pub intro: String,
    pub statements: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeclarationError {
    #[error("there is no declaration in {language}; languages available: {}", available.join(", "))]
    NoTranslation {
        language: String,
        available: Vec<String>,
    },
    #[error("the {language} declaration is incomplete (missing or empty: {}); it is not printed half-translated", missing.join(", "))]
    Incomplete {
        language: String,
        missing: Vec<String>,
    },
    #[error("declaration file {file}: {why}")]
    BadFile { file: String, why: String },
    #[error("{name} is {age} on {on}; only adults (18 and over) sign the declaration")]
    NotAdult {
        name: String,
        age: u32,
        on: NaiveDate,
    },
    #[error("no member {0} in this case")]
    NoSuchMember(String),
}

/// Every translation, each checked against the Danish reference.
#[derive(Debug, Clone)]
pub struct Translations {
    by_language: BTreeMap<String, Result<Translation, DeclarationError>>,
}

impl Translations {
    /// The translations built into the program.
    pub fn builtin() -> Result<Self, DeclarationError> {
        Self::from_files(embedded::FILES)
    }

    /// Reads (file name, JSON) pairs. A file that does not parse, or names another
    /// language than its file name, is an error; an incomplete one is kept as such.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, DeclarationError> {
        let mut parsed = BTreeMap::new();
        for (file, text) in files {
            let t: Translation =
                serde_json::from_str(text).map_err(|e| DeclarationError::BadFile {
                    file: (*file).to_owned(),
                    why: e.to_string(),
                })?;
            if file.strip_suffix(".json") != Some(t.language.as_str()) {
                return Err(DeclarationError::BadFile {
                    file: (*file).to_owned(),
                    why: format!("it says it is in {:?}", t.language),
                });
            }
            parsed.insert(t.language.clone(), t);
        }
        let reference =
            parsed
                .get(REFERENCE)
                .cloned()
                .ok_or_else(|| DeclarationError::BadFile {
                    file: format!("{REFERENCE}.json"),
                    why: "the Danish reference is missing".to_owned(),
                })?;
        if let Some(missing) = STATEMENTS.iter().find(|s| {
            reference
                .statements
                .get(**s)
                .is_none_or(|t| t.trim().is_empty())
        }) {
            return Err(DeclarationError::BadFile {
                file: format!("{REFERENCE}.json"),
                why: format!("the reference lacks the statement {missing:?}"),
            });
        }
        let by_language = parsed
            .into_iter()
            .map(|(language, t)| {
                let checked = match missing_from(&reference, &t) {
                    missing if missing.is_empty() => Ok(t),
                    missing => Err(DeclarationError::Incomplete {
                        language: language.clone(),
                        missing,
                    }),
                };
                (language, checked)
            })
            .collect();
        Ok(Translations { by_language })
    }

    /// The languages that can be printed (complete translations).
    pub fn available(&self) -> Vec<String> {
        self.by_language
            .iter()
            .filter(|(_, t)| t.is_ok())
            .map(|(l, _)| l.clone())
            .collect()
    }

    pub fn get(&self, language: &str) -> Result<&Translation, DeclarationError> {
        match self.by_language.get(language) {
            Some(Ok(t)) => Ok(t),
            Some(Err(e)) => Err(e.clone()),
            None => Err(DeclarationError::NoTranslation {
                language: language.to_owned(),
                available: self.available(),
            }),
        }
    }
}

/// What `t` lacks (or leaves empty) of the reference: statements, labels, title, intro.
fn missing_from(reference: &Translation, t: &Translation) -> Vec<String> {
    let mut missing = Vec::new();
    if t.title.trim().is_empty() {
        missing.push("title".to_owned());
    }
    if t.intro.trim().is_empty() {
        missing.push("intro".to_owned());
    }
    for (kind, wanted, given) in [
        ("statements", &reference.statements, &t.statements),
        ("labels", &reference.labels, &t.labels),
    ] {
        let keys: BTreeSet<&String> = wanted.keys().collect();
        for key in keys {
            if given.get(key).is_none_or(|v| v.trim().is_empty()) {
                missing.push(format!("{kind}.{key}"));
            }
        }
    }
    missing
}

/// A declaration ready to print: the Danish text and, unless the signer's language is
/// Danish, the same text in that language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub document_id: String,
    pub case_number: String,
    pub name: String,
    pub date_of_birth: NaiveDate,
    /// The day it was made.
    pub issued: NaiveDate,
    pub danish: Translation,
    pub signer: Option<Translation>,
}

/// The declaration of one adult member of a household, in Danish and `language`.
pub fn declaration(
    household: &Household,
    member: &Person,
    language: &str,
    today: NaiveDate,
    document_id: &str,
    translations: &Translations,
) -> Result<Declaration, DeclarationError> {
    let name = format!("{} {}", member.given_name, member.family_name);
    if !household.members.iter().any(|m| m.id == member.id) {
        return Err(DeclarationError::NoSuchMember(name));
    }
    if !member.is_adult_on(today) {
        return Err(DeclarationError::NotAdult {
            name,
            age: member.age_on(today),
            on: today,
        });
    }
    let danish = translations.get(REFERENCE)?.clone();
    let signer = if language == REFERENCE {
        None
    } else {
        Some(translations.get(language)?.clone())
    };
    Ok(Declaration {
        document_id: document_id.to_owned(),
        case_number: household.unhcr_case_no.clone(),
        name,
        date_of_birth: member.date_of_birth,
        issued: today,
        danish,
        signer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_translation_is_complete() {
        let t = Translations::builtin().unwrap();
        assert_eq!(t.available(), ["ar", "da", "en", "fr", "so"]);
        assert_eq!(t.get("ar").unwrap().direction, Direction::Rtl);
        assert_eq!(t.get("da").unwrap().status, TranslationStatus::Reference);
    }

    #[test]
    fn a_half_translated_file_is_refused_and_a_missing_language_is_named() {
        let da = embedded::FILES
            .iter()
            .find(|(f, _)| *f == "da.json")
            .unwrap()
            .1;
        let mut half: serde_json::Value = serde_json::from_str(
            embedded::FILES
                .iter()
                .find(|(f, _)| *f == "en.json")
                .unwrap()
                .1,
        )
        .unwrap();
        half["language"] = "de".into();
        half["statements"]
            .as_object_mut()
            .unwrap()
            .remove("family_reunification");
        half["labels"]["signature"] = "  ".into();
        let half = half.to_string();
        let t = Translations::from_files(&[("da.json", da), ("de.json", &half)]).unwrap();
        let err = t.get("de").unwrap_err();
        assert_eq!(
            err,
            DeclarationError::Incomplete {
                language: "de".into(),
                missing: vec![
                    "statements.family_reunification".into(),
                    "labels.signature".into()
                ],
            }
        );
        assert_eq!(t.available(), ["da"]);
        assert!(matches!(
            t.get("ti"),
            Err(DeclarationError::NoTranslation { available, .. }) if available == ["da"]
        ));
    }

    #[test]
    fn a_file_named_for_another_language_is_an_error() {
        let da = embedded::FILES
            .iter()
            .find(|(f, _)| *f == "da.json")
            .unwrap()
            .1;
        let en = embedded::FILES
            .iter()
            .find(|(f, _)| *f == "en.json")
            .unwrap()
            .1;
        let err = Translations::from_files(&[("da.json", da), ("fr.json", en)]).unwrap_err();
        assert!(matches!(err, DeclarationError::BadFile { file, .. } if file == "fr.json"));
    }

    #[test]
    fn only_adults_of_the_case_get_a_declaration_in_danish_and_their_language() {
        use resettle_domain::testing::household;
        use resettle_domain::CaseStatus;
        let t = Translations::builtin().unwrap();
        let mut h = household(CaseStatus::Interviewed, 2);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let adult = h.members[0].clone();
        let d = declaration(&h, &adult, "ar", today, "DOC-1", &t).unwrap();
        assert_eq!(
            (d.case_number.as_str(), d.name.as_str()),
            ("LBN-26C00001", "Amal Haddad")
        );
        assert_eq!(d.danish.language, "da");
        assert_eq!(d.signer.as_ref().unwrap().language, "ar");
        assert!(declaration(&h, &adult, "da", today, "DOC-2", &t)
            .unwrap()
            .signer
            .is_none());
        assert!(matches!(
            declaration(&h, &adult, "xx", today, "DOC-3", &t),
            Err(DeclarationError::NoTranslation { .. })
        ));

        h.members[1].date_of_birth = NaiveDate::from_ymd_opt(2008, 11, 24).unwrap();
        let child = h.members[1].clone();
        assert!(matches!(
            declaration(&h, &child, "en", today, "DOC-4", &t),
            Err(DeclarationError::NotAdult { age: 17, .. })
        ));
        let stranger = resettle_domain::testing::adult(resettle_domain::Relationship::Other);
        assert!(matches!(
            declaration(&h, &stranger, "en", today, "DOC-5", &t),
            Err(DeclarationError::NoSuchMember(_))
        ));
    }
}
