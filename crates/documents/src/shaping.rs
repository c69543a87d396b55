//! Text set for the page. A PDF's text operation neither shapes nor reorders
//! right-to-left text, so each line is reordered for display (Unicode bidi, by
//! `unicode-bidi`), cut into runs of one direction, and each run shaped by `rustybuzz`
//! (joined Arabic letters, ligatures, kerning) into positioned glyphs for the PDF.
//!
//! The fonts are embedded at build time (Noto Sans and Noto Sans Arabic, see build.rs).

use std::cell::RefCell;
use std::collections::HashMap;

use rustybuzz::{Direction as HbDirection, UnicodeBuffer};
use unicode_bidi::{BidiInfo, Level};

mod fonts {
    include!(concat!(env!("OUT_DIR"), "/fonts.rs"));
}

/// A font of the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Sans,
    SansBold,
    Arabic,
    ArabicBold,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Sans, Face::SansBold, Face::Arabic, Face::ArabicBold];

    /// The font file, as embedded.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Sans => fonts::NOTO_SANS,
            Face::SansBold => fonts::NOTO_SANS_BOLD,
            Face::Arabic => fonts::NOTO_SANS_ARABIC,
            Face::ArabicBold => fonts::NOTO_SANS_ARABIC_BOLD,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The direction of a paragraph: how a line with text of both directions is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ltr,
    Rtl,
}

/// One glyph as placed on the line.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The glyph's ID in its font.
    pub gid: u16,
    /// How far the pen moves after it, in points, as shaped (kerning included).
    pub advance: f32,
    /// The characters the glyph stands for, for the PDF's text layer (copy, search,
    /// `pdftotext`); empty for the second and later glyphs of one cluster. In a
    /// right-to-left run a ligature's characters are given in display order, which text
    /// extractors reverse back into reading order.
    pub text: String,
}

/// Glyphs of one font and direction, left to right as displayed.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: Face,
    pub glyphs: Vec<Glyph>,
    /// In points.
    pub width: f32,
}

/// A line ready to place: its runs left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub runs: Vec<Run>,
    /// In points.
    pub width: f32,
}

/// The parsed fonts, shared by every line of a document.
pub struct Shaper {
    faces: Vec<rustybuzz::Face<'static>>,
    /// Lines already shaped: a pack repeats its labels on every form, and shaping is the
    /// costly part of setting a page.
    lines: RefCell<HashMap<LineKey, Line>>,
}

/// A shaped line's text, size (as bits), weight and base direction.
type LineKey = (String, u32, bool, Direction);

impl Default for Shaper {
    fn default() -> Self {
        Self::new()
    }
}

impl Shaper {
    pub fn new() -> Self {
        let faces = Face::ALL
            .iter()
            .map(|f| {
                // The fonts were checked when the program was built and are tested.
                rustybuzz::Face::from_slice(f.bytes(), 0).expect("an embedded font parses")
            })
            .collect();
        Shaper {
            faces,
            lines: RefCell::new(HashMap::new()),
        }
    }

    /// One line (no line breaks in `text`), at `size` points.
    pub fn line(&self, text: &str, size: f32, bold: bool, base: Direction) -> Line {
        let key = (text.to_owned(), size.to_bits(), bold, base);
        if let Some(line) = self.lines.borrow().get(&key) {
            return line.clone();
        }
        let line = self.shape_line(text, size, bold, base);
        self.lines.borrow_mut().insert(key, line.clone());
        line
    }

    fn shape_line(&self, text: &str, size: f32, bold: bool, base: Direction) -> Line {
        let level = match base {
            Direction::Ltr => Level::ltr(),
            Direction::Rtl => Level::rtl(),
        };
        let bidi = BidiInfo::new(text, Some(level));
        let mut runs = Vec::new();
        for paragraph in &bidi.paragraphs {
            let (levels, visual) = bidi.visual_runs(paragraph, paragraph.range.clone());
            for range in visual {
                let part = &text[range.clone()];
                if part.is_empty() {
                    continue;
                }
                let rtl = levels[range.start].is_rtl();
                runs.extend(self.runs(part, size, bold, rtl));
            }
        }
        let width = runs.iter().map(|r| r.width).sum();
        Line { runs, width }
    }

    /// Breaks `text` into lines no wider than `max_width` points, at spaces (a word wider
    /// than a line gets a line of its own).
    ///
    /// Lines are first filled by the widths of their words shaped alone (each word is
    /// shaped once, and cached), then each line is shaped whole. Should kerning across a
    /// space make a line wider than the width after all, the paragraph is filled again
    /// by shaping every candidate line, the exact and slow way.
    pub fn wrap(
        &self,
        text: &str,
        size: f32,
        bold: bool,
        base: Direction,
        max_width: f32,
    ) -> Vec<Line> {
        let space = self.line(" ", size, bold, base).width;
        let mut groups: Vec<Vec<&str>> = Vec::new();
        let mut width = 0.0;
        for word in text.split_whitespace() {
            let word_width = self.line(word, size, bold, base).width;
            match groups.last_mut() {
                Some(group) if width + space + word_width <= max_width => {
                    group.push(word);
                    width += space + word_width;
                }
                _ => {
                    groups.push(vec![word]);
                    width = word_width;
                }
            }
        }
        let lines: Vec<Line> = groups
            .iter()
            .map(|g| self.line(&g.join(" "), size, bold, base))
            .collect();
        if lines
            .iter()
            .zip(&groups)
            .any(|(line, group)| group.len() > 1 && line.width > max_width)
        {
            return self.wrap_exactly(text, size, bold, base, max_width);
        }
        if lines.is_empty() {
            return vec![self.line("", size, bold, base)];
        }
        lines
    }

    fn wrap_exactly(
        &self,
        text: &str,
        size: f32,
        bold: bool,
        base: Direction,
        max_width: f32,
    ) -> Vec<Line> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if !current.is_empty() && self.line(&candidate, size, bold, base).width > max_width {
                lines.push(self.line(&current, size, bold, base));
                current = word.to_owned();
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(self.line(&current, size, bold, base));
        }
        lines
    }

    /// The runs of one direction's text: cut where the font changes (the Arabic font has
    /// no Latin letters, and not every punctuation mark), in display order.
    fn runs(&self, text: &str, size: f32, bold: bool, rtl: bool) -> Vec<Run> {
        let arabic_text = text.chars().any(is_arabic);
        let (sans, arabic) = if bold {
            (Face::SansBold, Face::ArabicBold)
        } else {
            (Face::Sans, Face::Arabic)
        };
        let arabic_font = &self.faces[arabic.index()];
        let face_of = |c: char| {
            let in_arabic_font = arabic_font.glyph_index(c).is_some();
            if is_arabic(c) || (arabic_text && in_arabic_font && !c.is_alphabetic()) {
                arabic
            } else {
                sans
            }
        };
        let mut segments: Vec<(Face, usize, usize)> = Vec::new();
        for (i, c) in text.char_indices() {
            let face = face_of(c);
            match segments.last_mut() {
                Some((f, _, end)) if *f == face => *end = i + c.len_utf8(),
                _ => segments.push((face, i, i + c.len_utf8())),
            }
        }
        if rtl {
            segments.reverse();
        }
        segments
            .into_iter()
            .map(|(face, start, end)| self.shape(&text[start..end], face, size, rtl))
            .collect()
    }

    fn shape(&self, text: &str, face: Face, size: f32, rtl: bool) -> Run {
        let font = &self.faces[face.index()];
        let scale = size / f32::from(font.units_per_em() as u16);
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(if rtl {
            HbDirection::RightToLeft
        } else {
            HbDirection::LeftToRight
        });
        let shaped = rustybuzz::shape(font, &[], buffer);
        let mut starts: Vec<usize> = shaped
            .glyph_infos()
            .iter()
            .map(|g| g.cluster as usize)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let mut seen = std::collections::BTreeSet::new();
        let mut glyphs = Vec::new();
        for (info, position) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            let start = info.cluster as usize;
            let end = starts
                .iter()
                .copied()
                .find(|&s| s > start)
                .unwrap_or(text.len());
            let chars = &text[start..end];
            let text = match (seen.insert(start), rtl) {
                (false, _) => String::new(),
                (true, true) => chars.chars().rev().collect(),
                (true, false) => chars.to_owned(),
            };
            glyphs.push(Glyph {
                gid: info.glyph_id as u16,
                advance: position.x_advance as f32 * scale,
                text,
            });
        }
        let width = glyphs.iter().map(|g| g.advance).sum();
        Run {
            face,
            glyphs,
            width,
        }
    }
}

/// Letters the Arabic font sets (Arabic, its supplement and presentation forms).
fn is_arabic(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::Translations;

    fn gids(line: &Line) -> Vec<u16> {
        line.runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.gid))
            .collect()
    }

    #[test]
    fn arabic_letters_join_and_read_right_to_left() {
        let s = Shaper::new();
        // Three behs in a row take their initial, medial and final forms: three
        // different glyphs, none of them the isolated one.
        let isolated = gids(&s.line("ب", 12.0, false, Direction::Rtl))[0];
        let joined = gids(&s.line("ببب", 12.0, false, Direction::Rtl));
        assert_eq!(joined.len(), 3);
        assert!(
            !joined.contains(&isolated),
            "{joined:?} vs isolated {isolated}"
        );
        let distinct: std::collections::BTreeSet<_> = joined.iter().collect();
        assert_eq!(distinct.len(), 3, "{joined:?}");

        // Displayed left to right, the last letter read comes first.
        let line = s.line("سلام", 12.0, false, Direction::Rtl);
        let first = &line.runs[0].glyphs[0];
        assert_eq!(first.text, "م");
        assert_eq!(line.runs[0].face, Face::Arabic);
    }

    #[test]
    fn a_latin_name_in_an_arabic_line_stays_left_to_right_and_in_place() {
        let s = Shaper::new();
        let line = s.line("الاسم: Ahmad Hassan", 12.0, false, Direction::Rtl);
        // Displayed: the name on the left, the Arabic label on the right.
        let faces: Vec<Face> = line.runs.iter().map(|r| r.face).collect();
        assert_eq!(faces.first(), Some(&Face::Sans));
        assert_eq!(faces.last(), Some(&Face::Arabic));
        let latin: String = line.runs[0]
            .glyphs
            .iter()
            .map(|g| g.text.as_str())
            .collect();
        assert_eq!(latin.trim(), "Ahmad Hassan");
    }

    #[test]
    fn every_declaration_text_has_a_glyph_for_every_character() {
        let s = Shaper::new();
        let t = Translations::builtin().unwrap();
        for language in t.available() {
            let tr = t.get(&language).unwrap();
            let base = match tr.direction {
                crate::declaration::Direction::Rtl => Direction::Rtl,
                crate::declaration::Direction::Ltr => Direction::Ltr,
            };
            let texts = [&tr.title, &tr.intro]
                .into_iter()
                .chain(tr.statements.values())
                .chain(tr.labels.values());
            for text in texts {
                let line = s.line(text, 11.0, false, base);
                assert!(
                    !gids(&line).contains(&0),
                    "{language}: a missing glyph in {text:?}"
                );
            }
        }
        assert!(
            !gids(&s.line("Åse Ørsted, Ærø – København", 11.0, true, Direction::Ltr)).contains(&0)
        );
    }

    #[test]
    fn wrapped_lines_fit_the_width_and_keep_every_word() {
        let s = Shaper::new();
        let text = "Jeg vil aktivt arbejde for at blive integreret i det danske samfund, lære dansk og deltage i og gennemføre det integrationsprogram, der tilbydes efter ankomsten.";
        let lines = s.wrap(text, 11.0, false, Direction::Ltr, 200.0);
        assert!(lines.len() >= 3, "{}", lines.len());
        assert!(lines.iter().all(|l| l.width <= 200.0));
        let words: usize = lines
            .iter()
            .map(|l| {
                let t: String = l
                    .runs
                    .iter()
                    .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
                    .collect();
                t.split_whitespace().count()
            })
            .sum();
        assert_eq!(words, text.split_whitespace().count());
    }
}
