//! Pages of shaped text and rules, written as PDF by printpdf with the fonts embedded
//! (subset to the glyphs used). The documents lay their content out through `Writer`:
//! a cursor that moves down an A4 page and starts a new page when the content reaches
//! the bottom margin.

use std::collections::BTreeMap;

use printpdf::{
    Codepoint, FontId, Line as PdfLine, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use super::shaping::{Direction, Face, Line, Shaper};

/// A4 in points.
const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
/// Room kept at the bottom for the footer.
const FOOTER: f32 = 28.0;

/// Text style: size in points and weight.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
}

pub const TITLE: Style = Style {
    size: 15.0,
    bold: true,
};
pub const HEADING: Style = Style {
    size: 11.5,
    bold: true,
};
pub const BODY: Style = Style {
    size: 10.5,
    bold: false,
};
pub const SMALL: Style = Style {
    size: 8.5,
    bold: false,
};

/// Lays content out page by page.
pub struct Writer {
    doc: PdfDocument,
    fonts: BTreeMap<Face, FontId>,
    shaper: Shaper,
    pages: Vec<Vec<Op>>,
    /// The baseline of the next line, from the page's bottom edge.
    y: f32,
    footer: String,
}

impl Writer {
    /// A document whose pages carry `footer` (a document ID, say) at the bottom.
    pub fn new(title: &str, footer: &str) -> Self {
        let mut doc = PdfDocument::new(title);
        let mut fonts = BTreeMap::new();
        for face in Face::ALL {
            let parsed = ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new())
                .expect("an embedded font parses");
            fonts.insert(face, doc.add_font(&parsed));
        }
        let mut w = Writer {
            doc,
            fonts,
            shaper: Shaper::new(),
            pages: Vec::new(),
            y: 0.0,
            footer: footer.to_owned(),
        };
        w.new_page();
        w
    }

    /// The width text may take, in points.
    pub fn text_width(&self) -> f32 {
        WIDTH - 2.0 * MARGIN
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = HEIGHT - MARGIN;
    }

    /// Moves down by `points`.
    pub fn space(&mut self, points: f32) {
        self.y -= points;
    }

    /// A paragraph, wrapped to the text width and indented by `indent` points from the
    /// side it starts on (the right for right-to-left text).
    pub fn paragraph(&mut self, text: &str, style: Style, direction: Direction, indent: f32) {
        let width = self.text_width() - indent;
        let lines = self
            .shaper
            .wrap(text, style.size, style.bold, direction, width);
        for line in lines {
            self.line(&line, style, direction, indent);
        }
    }

    /// A numbered item: the number in the margin of the text's starting side, on the
    /// baseline of the text's first line.
    pub fn item(&mut self, number: usize, text: &str, style: Style, direction: Direction) {
        let indent = 18.0;
        let label = self
            .shaper
            .line(&format!("{number}."), style.size, style.bold, direction);
        let lines = self.shaper.wrap(
            text,
            style.size,
            style.bold,
            direction,
            self.text_width() - indent,
        );
        for (i, line) in lines.iter().enumerate() {
            self.line(line, style, direction, indent);
            if i == 0 {
                let x = match direction {
                    Direction::Ltr => MARGIN,
                    Direction::Rtl => WIDTH - MARGIN - label.width,
                };
                let y = self.y;
                self.place(&label, style, x, y);
            }
        }
    }

    /// A label and a value (a case number, a name, a date): the value is data, set left
    /// to right as a unit even after a right-to-left label, so that bidi reordering
    /// never turns 1964-05-30 into 30-05-1964.
    pub fn field(&mut self, label: &str, value: &str, style: Style, direction: Direction) {
        let label = self
            .shaper
            .line(&format!("{label}:"), style.size, style.bold, direction);
        let value = self
            .shaper
            .line(value, style.size, style.bold, Direction::Ltr);
        self.fit(style.size * 1.45);
        let y = self.y;
        let gap = style.size * 0.35;
        match direction {
            Direction::Ltr => {
                self.place(&label, style, MARGIN, y);
                self.place(&value, style, MARGIN + label.width + gap, y);
            }
            Direction::Rtl => {
                let x = WIDTH - MARGIN - label.width;
                self.place(&label, style, x, y);
                self.place(&value, style, x - gap - value.width, y);
            }
        }
    }

    /// A labelled line to write or sign on: the label, then a rule to the right margin
    /// (to the left margin for right-to-left labels).
    pub fn signature_line(&mut self, label: &str, direction: Direction) {
        let style = BODY;
        self.fit(style.size * 3.0);
        self.space(style.size * 1.6);
        let line = self.shaper.line(label, style.size, style.bold, direction);
        let y = self.y;
        match direction {
            Direction::Ltr => {
                self.place(&line, style, MARGIN, y);
                self.rule(MARGIN + line.width + 6.0, WIDTH - MARGIN, y - 2.0);
            }
            Direction::Rtl => {
                let x = WIDTH - MARGIN - line.width;
                self.place(&line, style, x, y);
                self.rule(MARGIN, x - 6.0, y - 2.0);
            }
        }
        self.space(style.size * 0.8);
    }

    /// A horizontal rule across the text width.
    pub fn separator(&mut self) {
        self.fit(12.0);
        self.space(6.0);
        let y = self.y;
        self.rule(MARGIN, WIDTH - MARGIN, y);
        self.space(10.0);
    }

    /// The PDF, each page with its footer and number.
    pub fn finish(mut self) -> Vec<u8> {
        let count = self.pages.len();
        let pages: Vec<Vec<Op>> = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(count);
        for (i, mut ops) in pages.into_iter().enumerate() {
            let text = format!("{}  ·  {}/{}", self.footer, i + 1, count);
            let line = self.shaper.line(&text, SMALL.size, false, Direction::Ltr);
            self.show(&mut ops, &line, SMALL, MARGIN, MARGIN - FOOTER + 8.0);
            out.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
        }
        self.doc
            .with_pages(out)
            .save(&PdfSaveOptions::default(), &mut Vec::new())
    }

    fn line(&mut self, line: &Line, style: Style, direction: Direction, indent: f32) {
        self.fit(style.size * 1.45);
        let x = match direction {
            Direction::Ltr => MARGIN + indent,
            Direction::Rtl => WIDTH - MARGIN - indent - line.width,
        };
        let y = self.y;
        self.place(line, style, x, y);
    }

    /// Moves to the next line, on a new page if this one is full.
    fn fit(&mut self, height: f32) {
        if self.y - height < MARGIN + FOOTER {
            self.new_page();
        }
        self.y -= height;
    }

    fn place(&mut self, line: &Line, style: Style, x: f32, y: f32) {
        let mut ops = std::mem::take(self.pages.last_mut().expect("a page"));
        self.show(&mut ops, line, style, x, y);
        *self.pages.last_mut().expect("a page") = ops;
    }

    fn show(&self, ops: &mut Vec<Op>, line: &Line, style: Style, x: f32, y: f32) {
        let mut x = x;
        for run in &line.runs {
            let glyphs: Vec<Codepoint> = run
                .glyphs
                .iter()
                .map(|g| Codepoint {
                    gid: g.gid,
                    // TJ moves by the font's advance; the difference to the shaped
                    // advance is given in thousandths of an em.
                    offset: (g.font_advance - g.advance) / style.size * 1000.0,
                    cid: Some(g.text.clone()),
                })
                .collect();
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(self.fonts[&run.face].clone()),
                size: Pt(style.size),
            });
            ops.push(Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(glyphs)],
            });
            ops.push(Op::EndTextSection);
            x += run.width;
        }
    }

    fn rule(&mut self, from: f32, to: f32, y: f32) {
        let point = |x: f32| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier: false,
        };
        self.pages.last_mut().expect("a page").push(Op::DrawLine {
            line: PdfLine {
                points: vec![point(from), point(to)],
                is_closed: false,
            },
        });
    }
}
