//! The words the municipality documents print for the domain's codes, in Danish with
//! English after a slash: the receiving municipality reads Danish, and the English lets
//! the agency's other staff read the same page.

use resettle_domain::case::{Relationship, Sex};
use resettle_domain::quota::SubQuota;

pub fn sex(sex: Sex) -> &'static str {
    match sex {
        Sex::F => "Kvinde / Female",
        Sex::M => "Mand / Male",
        Sex::X => "X",
    }
}

pub fn relationship(relationship: Relationship) -> &'static str {
    match relationship {
        Relationship::Principal => "Hovedperson / Principal",
        Relationship::Spouse => "Ægtefælle / Spouse",
        Relationship::Child => "Barn / Child",
        Relationship::Parent => "Forælder / Parent",
        Relationship::Sibling => "Søskende / Sibling",
        Relationship::Other => "Anden / Other",
    }
}

pub fn sub_quota(sub: SubQuota) -> &'static str {
    match sub {
        SubQuota::Geographical => "Geografisk / Geographical",
        SubQuota::EmergencyUrgent => "Akut / Emergency, urgent",
        SubQuota::Medical => "Medicinsk / Medical",
    }
}

/// A language by its Danish name with its ISO 639 code, e.g. "arabisk (ar)"; a code
/// without a name here is printed as it is.
pub fn language(code: &str) -> String {
    let name = match code {
        "ar" => "arabisk",
        "am" => "amharisk",
        "din" => "dinka",
        "en" => "engelsk",
        "fa" => "persisk",
        "fr" => "fransk",
        "fvr" => "fur",
        "ku" => "kurdisk",
        "ln" => "lingala",
        "my" => "burmesisk",
        "nus" => "nuer",
        "prs" => "dari",
        "ps" => "pashto",
        "rw" => "kinyarwanda",
        "so" => "somali",
        "sw" => "swahili",
        "ti" => "tigrinya",
        "da" => "dansk",
        _ => return code.to_owned(),
    };
    format!("{name} ({code})")
}

pub fn yes_no(value: bool) -> &'static str {
    if value {
        "Ja / Yes"
    } else {
        "Nej / No"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_without_a_name_keeps_its_code() {
        assert_eq!(language("ar"), "arabisk (ar)");
        assert_eq!(language("xyz"), "xyz");
    }
}
