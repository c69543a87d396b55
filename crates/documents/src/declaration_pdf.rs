//! The declaration as a PDF: for each signer, the Danish text and then the same text in
//! the signer's language (set right to left where it reads so), then the lines to sign.

use chrono::NaiveDate;

use super::declaration::{self, Declaration, Translation, TranslationStatus, STATEMENTS};
use super::pdf::{PdfError, Writer, BODY, LEAD, SMALL};
use super::shaping::Direction;

/// One PDF with the declarations of `signers`, each starting on a new page. The
/// document is in Danish; each translation is a section in its own language.
pub fn render(signers: &[Declaration]) -> Result<Vec<u8>, PdfError> {
    let footer = signers
        .iter()
        .map(|d| d.document_id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let issued = signers.first().map(|d| d.issued).unwrap_or(NaiveDate::MIN);
    let mut w = Writer::new("Erklæring / Declaration", "da", &footer, issued);
    w.bilingual(Some("en"));
    for (i, d) in signers.iter().enumerate() {
        if i > 0 {
            w.new_page();
        }
        w.section(None, |w| section(w, d, &d.danish));
        if let Some(signer) = &d.signer {
            w.separator();
            w.section(Some(&signer.language), |w| section(w, d, signer));
            draft_note(&mut w, signer);
        }
        w.separator();
        // "Sted og dato / <the signer's words>".
        w.bilingual(d.signer.as_ref().map(|s| s.language.as_str()));
        for key in ["place_and_date", "signature", "interpreter"] {
            w.signature_line(&both(d, key), Direction::Ltr);
        }
        w.bilingual(Some("en"));
    }
    w.finish()
}

fn section(w: &mut Writer, d: &Declaration, t: &Translation) {
    let direction = match t.direction {
        declaration::Direction::Ltr => Direction::Ltr,
        declaration::Direction::Rtl => Direction::Rtl,
    };
    w.heading(1, &t.title, direction);
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
    w.paragraph(&t.intro, LEAD, direction, 0.0);
    w.space(2.0);
    let statements: Vec<&str> = STATEMENTS
        .iter()
        .map(|key| t.statements[*key].as_str())
        .collect();
    w.list(&statements, BODY, direction, 3.0);
}

/// A label in Danish and, if the signer reads another language, in that one too.
fn both(d: &Declaration, key: &str) -> String {
    match &d.signer {
        Some(s) => format!("{} / {}", d.danish.labels[key], s.labels[key]),
        None => d.danish.labels[key].clone(),
    }
}

/// Under a translation no certified translator has checked, a line that says so, in
/// Danish and English (the declaration's and the access report's).
pub(crate) fn draft_note(w: &mut Writer, t: &Translation) {
    if t.status == TranslationStatus::Draft {
        w.space(4.0);
        w.paragraph(
            "Oversættelsen er et udkast og er ikke kontrolleret af en translatør. / \
             The translation is a draft, not yet checked by a certified translator.",
            SMALL,
            Direction::Ltr,
            0.0,
        );
    }
}
