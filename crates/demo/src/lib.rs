//! A deterministic, synthetic demo data set: the 98 municipalities, the 2026-2028 quota
//! period, three selection missions and about 150 households.
//!
//! Everything is made from a seeded generator, so the same seed gives the same data on
//! every machine. Family names are invented (Fiktivi, Eksempli, ...) so that nobody can
//! take a demo household for a real one. No I/O here: `Store::seed_demo` writes it.

use chrono::{Datelike, Days, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use resettle_domain::municipality::official_list;
use resettle_domain::placement::key::{KeyExemption, KeyInput};
use resettle_domain::placement::key_file;
use resettle_domain::placement::profile::MunicipalityProfile;
use resettle_domain::{
    CaseStatus, Category, Household, Mission, Municipality, Person, Priority, QuotaPeriod,
    Relationship, Route, Sex,
};

pub mod history;

/// The seed `resettle demo-data` uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 2026;

/// The demo world's "today": fixed, so that the data does not depend on the clock.
pub fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 16).expect("valid date")
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoData {
    pub seed: u64,
    pub municipalities: Vec<Municipality>,
    pub period: QuotaPeriod,
    pub missions: Vec<Mission>,
    pub households: Vec<Household>,
    pub placement: PlacementDemo,
}

/// The demo's placement world: the year's synthetic key inputs (marked synthetic when
/// stored), the national number and exemption, invented capacities and profiles, and the
/// households the demo accepts (through the real decision path) so there is a batch to
/// place. Empty by default (benches that seed only households).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlacementDemo {
    pub year: i32,
    pub national: u32,
    pub exemptions: Vec<KeyExemption>,
    pub key_inputs: Vec<KeyInput>,
    /// (municipality, capacity, units).
    pub capacities: Vec<(u16, &'static str, u32)>,
    pub profiles: Vec<(u16, MunicipalityProfile)>,
    /// Case numbers to accept, whole households.
    pub accept: Vec<String>,
}

/// Where a group of households comes from: nationality, the countries hosting them, the
/// languages they speak and the given names in use.
struct Origin {
    nationality: &'static str,
    asylum: &'static [&'static str],
    languages: &'static [&'static [&'static str]],
    female: &'static [&'static str],
    male: &'static [&'static str],
}

const SYRIA: Origin = Origin {
    nationality: "SYR",
    asylum: &["LBN", "JOR", "TUR"],
    languages: &[&["ar"], &["ar", "en"], &["ku", "ar"], &["ar", "fr"]],
    female: &[
        "Amina", "Rania", "Lina", "Huda", "Noor", "Salma", "Rasha", "Dima", "Hala", "Yara",
    ],
    male: &[
        "Ahmad", "Omar", "Khaled", "Yusuf", "Hassan", "Rami", "Samir", "Tarek", "Bilal", "Fadi",
    ],
};
const CONGO: Origin = Origin {
    nationality: "COD",
    asylum: &["UGA", "RWA", "TZA"],
    languages: &[
        &["fr", "sw"],
        &["sw"],
        &["ln", "fr"],
        &["sw", "rw"],
        &["fr", "en", "sw"],
    ],
    female: &[
        "Esperance",
        "Furaha",
        "Neema",
        "Aline",
        "Chantal",
        "Grace",
        "Mapendo",
        "Solange",
    ],
    male: &[
        "Jean", "Emmanuel", "Patrick", "Baraka", "Innocent", "Olivier", "Didier", "Amani",
    ],
};
const SOUTH_SUDAN: Origin = Origin {
    nationality: "SSD",
    asylum: &["UGA", "KEN"],
    languages: &[
        &["din", "ar"],
        &["nus", "en"],
        &["en", "ar"],
        &["din", "en"],
    ],
    female: &[
        "Nyandeng", "Achol", "Abuk", "Nyakuoth", "Mary", "Rebecca", "Ayen",
    ],
    male: &[
        "Deng", "Garang", "Malual", "Chol", "Gatluak", "John", "Peter",
    ],
};
const ERITREA: Origin = Origin {
    nationality: "ERI",
    asylum: &["RWA", "SDN", "ETH"],
    languages: &[&["ti"], &["ti", "ar"], &["ti", "en"], &["tig", "ar"]],
    female: &[
        "Senait", "Helen", "Mebrat", "Selam", "Rahel", "Saba", "Yohana",
    ],
    male: &[
        "Yonas", "Tesfay", "Dawit", "Habtom", "Robel", "Filmon", "Ermias",
    ],
};
const SUDAN: Origin = Origin {
    nationality: "SDN",
    asylum: &["RWA", "TCD", "EGY"],
    languages: &[&["ar"], &["ar", "en"], &["fvr", "ar"]],
    female: &["Fatima", "Mariam", "Khadija", "Zainab", "Aisha", "Hawa"],
    male: &["Mohamed", "Abdalla", "Ibrahim", "Adam", "Ismail", "Osman"],
};
const AFGHANISTAN: Origin = Origin {
    nationality: "AFG",
    asylum: &["IRN", "PAK", "TUR"],
    languages: &[&["fa"], &["ps", "fa"], &["fa", "en"], &["haz", "fa"]],
    female: &[
        "Zahra", "Maryam", "Parwana", "Shabnam", "Farzana", "Nilofar",
    ],
    male: &["Ali", "Hamid", "Farid", "Najib", "Rahim", "Sohrab"],
};
const SOMALIA: Origin = Origin {
    nationality: "SOM",
    asylum: &["KEN", "ETH"],
    languages: &[&["so"], &["so", "ar"], &["so", "en"], &["so", "sw"]],
    female: &["Hodan", "Fadumo", "Asha", "Ifrah", "Sagal", "Ubah"],
    male: &["Abdi", "Mohamud", "Ahmed", "Liban", "Farah", "Yasin"],
};
const MYANMAR: Origin = Origin {
    nationality: "MMR",
    asylum: &["BGD", "MYS"],
    languages: &[&["rhg"], &["rhg", "my"], &["my", "en"]],
    female: &["Rashida", "Nur", "Sanjida", "Hasina", "Tasmin"],
    male: &["Mohammed", "Anwar", "Rafiq", "Salim", "Hamid"],
};

/// Invented family names, so that demo data is recognisably not real.
const FAMILY_NAMES: &[&str] = &[
    "Fiktivi",
    "Eksempli",
    "Demoyan",
    "Testani",
    "Prøvesen",
    "Samplawi",
    "Mockiri",
    "Placeholda",
    "Dummoudi",
    "Syntetiq",
    "Imaginari",
    "Opdigtet",
    "Modeli",
    "Skabeloni",
    "Tænktsen",
    "Forsøgi",
];

const OCCUPATIONS: &[&str] = &[
    "farmer",
    "tailor",
    "teacher",
    "nurse",
    "car mechanic",
    "electrician",
    "market trader",
    "cook",
    "driver",
    "construction worker",
    "hairdresser",
    "carpenter",
    "pharmacist",
    "accountant",
    "cleaner",
    "IT technician",
];

const SPECIAL_NEEDS: &[&str] = &[
    "wheelchair user",
    "type 1 diabetes, needs insulin",
    "post-traumatic stress, needs psychological support",
    "hearing impairment",
    "epilepsy, on medication",
    "visual impairment",
    "cerebral palsy, needs physiotherapy",
    "asthma",
];

const TOM_CONDITIONS: &[&str] = &[
    "chronic kidney disease, needs dialysis",
    "congenital heart defect, needs surgery",
    "leukaemia, under treatment",
    "spinal injury, paraplegic, needs rehabilitation",
];

/// A batch of households to generate: how many, from where, on which route.
struct Batch<'a> {
    count: usize,
    origins: &'a [&'a Origin],
    mission: Option<&'a Mission>,
    prefix: &'static str,
}

/// Generates the demo data set for a seed.
pub fn generate(seed: u64) -> DemoData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let period = QuotaPeriod {
        id: uuid(&mut rng),
        start_year: 2026,
        years: 3,
        total_places: 1500,
        carry_over: true,
        annual_cap: 500,
    };
    let missions = vec![
        mission(
            &mut rng,
            "Uganda 2026",
            "UGA",
            "Kampala and Nakivale",
            (3, 9),
            150,
            false,
        ),
        mission(
            &mut rng,
            "Lebanon 2026",
            "LBN",
            "Beirut",
            (5, 4),
            130,
            false,
        ),
        mission(
            &mut rng,
            "Rwanda ETM 2026",
            "RWA",
            "Gashora transit centre",
            (9, 14),
            115,
            true,
        ),
    ];
    let batches = [
        Batch {
            count: 42,
            origins: &[&CONGO, &SOUTH_SUDAN],
            mission: Some(&missions[0]),
            prefix: "UGA",
        },
        Batch {
            count: 38,
            origins: &[&SYRIA],
            mission: Some(&missions[1]),
            prefix: "LBN",
        },
        Batch {
            count: 35,
            origins: &[&ERITREA, &SUDAN],
            mission: Some(&missions[2]),
            prefix: "RWA",
        },
        Batch {
            count: 35,
            origins: &[&AFGHANISTAN, &SOMALIA, &MYANMAR, &SYRIA],
            mission: None,
            prefix: "DOS",
        },
    ];
    let mut households = Vec::new();
    for batch in &batches {
        for i in 0..batch.count {
            let serial = households.len() + 1;
            households.push(household(&mut rng, batch, i, serial));
        }
    }
    // A generator of its own, so that adding placement data left the rest unchanged.
    let placement = placement_demo(
        &mut ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_0005),
        &households,
    );
    DemoData {
        seed,
        municipalities: official_list(),
        period,
        missions,
        households,
        placement,
    }
}

const LABOUR_MARKET: &[&str] = &[
    "agriculture",
    "manufacturing",
    "education",
    "health",
    "industry",
    "construction",
    "retail",
    "hospitality",
    "service",
    "transport",
    "finance",
    "it",
];
const SERVICES: &[&str] = &[
    "trauma_therapy",
    "special_school",
    "physiotherapy",
    "diabetes_clinic",
    "sign_language",
    "dialysis",
];
const SUPPORTED_LANGUAGES: &[&str] = &["ar", "en", "fr", "ku", "so", "ti", "prs", "ps", "my", "sw"];

fn placement_demo(rng: &mut ChaCha8Rng, households: &[Household]) -> PlacementDemo {
    let codes: Vec<u16> = official_list().iter().map(|m| m.code).collect();
    let key_inputs = key_file::read(key_file::SYNTHETIC_2026, &codes)
        .expect("the shipped synthetic key inputs are valid (tested)");
    let mut capacities = Vec::new();
    let mut profiles = Vec::new();
    for &code in &codes {
        let pick = |rng: &mut ChaCha8Rng, from: &[&str], n: usize| -> Vec<String> {
            from.choose_multiple(rng, n)
                .map(|s| (*s).to_owned())
                .collect()
        };
        let labour = rng.random_range(3..=6);
        let services = rng.random_range(0..=3);
        let languages = rng.random_range(1..=4);
        profiles.push((
            code,
            MunicipalityProfile {
                labour_market: pick(rng, LABOUR_MARKET, labour),
                services: pick(rng, SERVICES, services),
                languages: pick(rng, SUPPORTED_LANGUAGES, languages),
            },
        ));
        capacities.push((code, "wheelchair", rng.random_range(0..=2)));
        capacities.push((code, "specialist_care", rng.random_range(0..=2)));
        capacities.push((code, "housing", rng.random_range(2..=12)));
        capacities.push((code, "language_school", rng.random_range(5..=40)));
    }
    // Twelve interviewed mission households, accepted so that the Placement view has a
    // batch; the rest stay for the selection demo.
    let accept = households
        .iter()
        .filter(|h| h.status == CaseStatus::Interviewed)
        .take(12)
        .map(|h| h.unhcr_case_no.clone())
        .collect();
    PlacementDemo {
        year: 2026,
        national: 600,
        exemptions: vec![KeyExemption { from: 825, to: 860 }],
        key_inputs,
        capacities,
        profiles,
        accept,
    }
}

fn uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

fn mission(
    rng: &mut ChaCha8Rng,
    name: &str,
    country: &str,
    location: &str,
    (month, day): (u32, u32),
    target_places: u32,
    strategic: bool,
) -> Mission {
    let start_date = NaiveDate::from_ymd_opt(2026, month, day).expect("valid date");
    Mission {
        id: uuid(rng),
        name: name.to_owned(),
        country_of_asylum: country.to_owned(),
        location: location.to_owned(),
        start_date,
        end_date: start_date + Days::new(11),
        target_places,
        strategic,
    }
}

/// Household sizes, weighted towards the families of three to six that missions meet most.
const SIZE_WEIGHTS: &[(usize, u32)] = &[
    (1, 10),
    (2, 12),
    (3, 15),
    (4, 18),
    (5, 17),
    (6, 13),
    (7, 8),
    (8, 5),
    (9, 2),
];

fn household(rng: &mut ChaCha8Rng, batch: &Batch, index: usize, serial: usize) -> Household {
    let origin = *batch.origins.choose(rng).expect("origins");
    let size = SIZE_WEIGHTS
        .choose_weighted(rng, |(_, w)| *w)
        .map(|(s, _)| *s)
        .expect("weights");
    let today = reference_date();

    // Dossier cases carry the emergency, urgent and medical (TOM) priorities; mission cases
    // are mostly normal priority, a few urgent.
    let (priority, medical) = match batch.mission {
        Some(_) => (
            if rng.random_bool(0.1) {
                Priority::Urgent
            } else {
                Priority::Normal
            },
            false,
        ),
        None => match index % 7 {
            0 => (Priority::Emergency, false),
            1 | 2 => (Priority::Urgent, true),
            3 | 4 => (Priority::Urgent, false),
            _ => (Priority::Normal, index.is_multiple_of(2)),
        },
    };
    let submission_date = match (batch.mission, priority) {
        (Some(m), _) => m.start_date - Days::new(rng.random_range(30..120)),
        (None, Priority::Emergency) => today - Days::new(rng.random_range(0..6)),
        (None, Priority::Urgent) => today - Days::new(rng.random_range(3..50)),
        (None, Priority::Normal) => today - Days::new(rng.random_range(20..300)),
    };
    let family_name = (*FAMILY_NAMES.choose(rng).expect("names")).to_owned();
    let languages: Vec<String> = origin
        .languages
        .choose(rng)
        .expect("languages")
        .iter()
        .map(|l| (*l).to_owned())
        .collect();

    let family = Family {
        origin,
        family_name: &family_name,
        languages: &languages,
        submitted: submission_date,
    };
    let mut members = Vec::with_capacity(size);
    let principal_sex = if rng.random_bool(0.55) {
        Sex::M
    } else {
        Sex::F
    };
    let principal_age = rng.random_range(19..62);
    members.push(person(
        rng,
        &family,
        Relationship::Principal,
        principal_sex,
        principal_age,
    ));
    let with_spouse = size >= 2 && rng.random_bool(0.75);
    if with_spouse {
        let sex = if principal_sex == Sex::M {
            Sex::F
        } else {
            Sex::M
        };
        let age = (principal_age + rng.random_range(-6..7)).clamp(18, 70);
        members.push(person(rng, &family, Relationship::Spouse, sex, age));
    }
    while members.len() < size {
        let roll: f64 = rng.random();
        let (relationship, age) = if roll < 0.08 {
            (
                Relationship::Parent,
                principal_age + rng.random_range(20..32),
            )
        } else if roll < 0.14 {
            (
                Relationship::Sibling,
                (principal_age + rng.random_range(-8..9)).max(1),
            )
        } else {
            let oldest = (principal_age - 17).clamp(1, 18);
            (Relationship::Child, rng.random_range(0..oldest))
        };
        let sex = if rng.random_bool(0.5) { Sex::F } else { Sex::M };
        members.push(person(rng, &family, relationship, sex, age));
    }
    if medical {
        let patient = rng.random_range(0..members.len());
        members[patient].tom_patient = true;
        members[patient].special_needs =
            Some((*TOM_CONDITIONS.choose(rng).expect("conditions")).to_owned());
    }

    let primary_category = if medical {
        Category::Medical
    } else {
        *[
            Category::LegalPhysicalProtection,
            Category::SurvivorViolenceTorture,
            Category::WomenGirlsAtRisk,
            Category::ChildrenAtRisk,
            Category::FamilyUnity,
            Category::NoAlternativeSolution,
        ]
        .choose(rng)
        .expect("categories")
    };
    let secondary_category = if rng.random_bool(0.6) {
        Category::ALL
            .iter()
            .copied()
            .filter(|c| *c != primary_category)
            .collect::<Vec<_>>()
            .choose(rng)
            .copied()
    } else {
        None
    };
    let status = match batch.mission {
        Some(m) if m.end_date < today => CaseStatus::Interviewed,
        Some(_) => CaseStatus::Submitted,
        None if rng.random_bool(0.5) => CaseStatus::Examined,
        None => CaseStatus::Submitted,
    };
    let asylum = batch
        .mission
        .map(|m| m.country_of_asylum.clone())
        .unwrap_or_else(|| (*origin.asylum.choose(rng).expect("asylum")).to_owned());
    Household {
        id: uuid(rng),
        unhcr_case_no: format!(
            "{}-{:02}C{:05}",
            batch.prefix,
            submission_date.year() % 100,
            90000 + serial
        ),
        rrf_ref: format!("RRF-{}-{:04}", submission_date.year(), serial),
        country_of_asylum: asylum,
        nationality: origin.nationality.to_owned(),
        primary_category,
        secondary_category,
        priority,
        route: if batch.mission.is_some() {
            Route::Mission
        } else {
            Route::Dossier
        },
        submission_date,
        mission_id: batch.mission.map(|m| m.id),
        status,
        members,
    }
}

/// What every member of a household shares.
struct Family<'a> {
    origin: &'a Origin,
    family_name: &'a str,
    languages: &'a [String],
    submitted: NaiveDate,
}

fn person(
    rng: &mut ChaCha8Rng,
    family: &Family,
    relationship: Relationship,
    sex: Sex,
    age: i32,
) -> Person {
    let origin = family.origin;
    let names = if sex == Sex::F {
        origin.female
    } else {
        origin.male
    };
    // Ages are as at submission, so that nobody is born after their case was submitted.
    let year = family.submitted.year() - age - 1;
    let date_of_birth =
        NaiveDate::from_yo_opt(year, rng.random_range(1..=365)).expect("valid day of year");
    let adult = age >= 18;
    let literate = if adult {
        rng.random_bool(0.7)
    } else {
        age >= 8 && rng.random_bool(0.85)
    };
    let education_years = if adult {
        if literate {
            rng.random_range(4..17)
        } else {
            rng.random_range(0..3)
        }
    } else {
        (age - 6).clamp(0, 12) as u8
    };
    let mut person_languages = family.languages.to_vec();
    if adult && rng.random_bool(0.2) && !person_languages.iter().any(|l| l == "en") {
        person_languages.push("en".to_owned());
    }
    Person {
        id: uuid(rng),
        relationship,
        given_name: (*names.choose(rng).expect("names")).to_owned(),
        family_name: family.family_name.to_owned(),
        sex,
        date_of_birth,
        languages: person_languages,
        literate,
        education_years,
        occupation: (adult && rng.random_bool(0.8))
            .then(|| (*OCCUPATIONS.choose(rng).expect("jobs")).to_owned()),
        special_needs: rng
            .random_bool(0.08)
            .then(|| (*SPECIAL_NEEDS.choose(rng).expect("needs")).to_owned()),
        tom_patient: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_same_seed_gives_the_same_data_and_another_seed_does_not() {
        assert_eq!(generate(7), generate(7));
        assert_ne!(generate(7).households, generate(8).households);
    }

    #[test]
    fn the_data_set_has_the_shape_the_issue_asks_for() {
        let data = generate(DEFAULT_SEED);
        assert_eq!(data.municipalities.len(), 98);
        assert_eq!(data.missions.len(), 3);
        assert_eq!(data.households.len(), 150);
        assert_eq!(
            (data.period.start_year, data.period.end_year()),
            (2026, 2028)
        );
        let sizes: HashSet<_> = data.households.iter().map(|h| h.members.len()).collect();
        assert!(sizes.len() >= 7, "varied household sizes: {sizes:?}");
        let nationalities: HashSet<_> = data
            .households
            .iter()
            .map(|h| h.nationality.as_str())
            .collect();
        assert!(
            nationalities.len() >= 6,
            "varied nationalities: {nationalities:?}"
        );
        for p in Priority::ALL {
            assert!(
                data.households.iter().any(|h| h.priority == *p),
                "some {p} cases"
            );
        }
        assert!(data
            .households
            .iter()
            .flat_map(|h| &h.members)
            .any(|m| m.special_needs.is_some()));
    }

    #[test]
    fn every_household_is_consistent() {
        let data = generate(DEFAULT_SEED);
        let mission_ids: HashSet<_> = data.missions.iter().map(|m| m.id).collect();
        let case_numbers: HashSet<_> = data.households.iter().map(|h| &h.unhcr_case_no).collect();
        assert_eq!(
            case_numbers.len(),
            data.households.len(),
            "case numbers are unique"
        );
        for h in &data.households {
            assert!(
                h.principal().is_some(),
                "{} has exactly one principal",
                h.unhcr_case_no
            );
            assert!(h.submission_date <= reference_date());
            assert_eq!(h.route == Route::Mission, h.mission_id.is_some());
            if let Some(id) = h.mission_id {
                assert!(mission_ids.contains(&id));
            }
            let patients = h.members.iter().filter(|m| m.tom_patient).count();
            assert_eq!(
                patients == 1,
                h.primary_category == Category::Medical,
                "{}",
                h.unhcr_case_no
            );
            for m in &h.members {
                assert!(
                    m.date_of_birth < h.submission_date,
                    "born before submission"
                );
                assert!(
                    FAMILY_NAMES.contains(&m.family_name.as_str()),
                    "synthetic family name"
                );
            }
        }
    }
}
