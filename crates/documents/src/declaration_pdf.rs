//! The declaration as a PDF: for each signer, the Danish text and then the same text in
//! the signer's language (set right to left where it reads so), then the lines to sign.

use super::declaration::{self, Declaration, Translation, TranslationStatus, STATEMENTS};
use super::pdf::{Writer, BODY, HEADING, SMALL, TITLE};
use super::shaping::Direction;

/// One PDF with the declarations of `signers`, each starting on a new page.
pub fn render(signers: &[Declaration]) -> Vec<u8> {
    let footer = signers
        .iter()
        .map(|d| d.document_id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut w = Writer::new("Erklæring / Declaration", &footer);
    for (i, d) in signers.iter().enumerate() {
        if i > 0 {
            w.new_page();
        }
        section(&mut w, d, &d.danish);
        if let Some(signer) = &d.signer {
            w.separator();
            section(&mut w, d, signer);
            if signer.status == TranslationStatus::Draft {
                w.space(4.0);
                w.paragraph(
                    "Oversættelsen er et udkast og er ikke kontrolleret af en translatør. \
                     The translation is a draft, not yet checked by a certified translator.",
                    SMALL,
                    Direction::Ltr,
                    0.0,
                );
            }
        }
        w.separator();
        for key in ["place_and_date", "signature", "interpreter"] {
            w.signature_line(&both(d, key), Direction::Ltr);
        }
    }
    w.finish()
}

fn section(w: &mut Writer, d: &Declaration, t: &Translation) {
    let direction = match t.direction {
        declaration::Direction::Ltr => Direction::Ltr,
        declaration::Direction::Rtl => Direction::Rtl,
    };
    w.paragraph(&t.title, TITLE, direction, 0.0);
    w.space(6.0);
    for (key, value) in [
        ("case_number", d.case_number.clone()),
        ("name", d.name.clone()),
        (
            "date_of_birth",
            d.date_of_birth.format("%Y-%m-%d").to_string(),
        ),
        ("document_id", d.document_id.clone()),
    ] {
        w.field(&t.labels[key], &value, BODY, direction);
    }
    w.space(8.0);
    w.paragraph(&t.intro, HEADING, direction, 0.0);
    w.space(2.0);
    for (n, key) in STATEMENTS.iter().enumerate() {
        w.item(n + 1, &t.statements[*key], BODY, direction);
        w.space(3.0);
    }
}

/// A label in Danish and, if the signer reads another language, in that one too.
fn both(d: &Declaration, key: &str) -> String {
    match &d.signer {
        Some(s) => format!("{} / {}", d.danish.labels[key], s.labels[key]),
        None => d.danish.labels[key].clone(),
    }
}
