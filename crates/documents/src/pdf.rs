//! Pages of shaped text and rules, written as PDF by printpdf with the fonts embedded
//! (subset to the glyphs used). The documents lay their content out through `Writer`:
//! a cursor that moves down an A4 page and starts a new page when the content reaches
//! the bottom margin.

use std::collections::BTreeMap;

use printpdf::{
    Codepoint, Color, FontId, Line as PdfLine, LinePoint, Mm, Op, PaintMode, ParsedFont,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use super::shaping::{Direction, Face, Line, Shaper};

/// A4 in points.
const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
/// Room kept at the bottom for the footer.
const FOOTER: f32 = 28.0;
/// Room between a table cell's text and the next column.
const CELL_GAP: f32 = 6.0;

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
/// Table cells.
pub const CELL: Style = Style {
    size: 9.0,
    bold: false,
};
pub const CELL_HEADER: Style = Style {
    size: 9.0,
    bold: true,
};

/// A fill colour, as red, green and blue from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill(pub f32, pub f32, pub f32);

/// A table column: its header and its width in points.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub header: &'a str,
    pub width: f32,
}

/// One bar of a chart: its label and its segments (value, colour), drawn left to right.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub segments: Vec<(u32, Fill)>,
    /// Printed after the bar (e.g. the total).
    pub note: String,
}

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

    /// Starts a new page unless `points` of height are left on this one: a heading is
    /// kept with what follows it.
    pub fn keep(&mut self, points: f32) {
        if self.y - points < MARGIN + FOOTER {
            self.new_page();
        }
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

    /// A table, left to right: a bold header row, then the rows, each cell wrapped to
    /// its column. A row is never split across pages, and a new page repeats the header.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let header: Vec<String> = columns.iter().map(|c| c.header.to_owned()).collect();
        self.table_row(columns, &header, CELL_HEADER);
        let header_bottom = self.y - 3.0;
        self.rule(MARGIN, MARGIN + table_width(columns), header_bottom);
        self.space(3.0);
        for row in rows {
            let height = self.row_height(columns, row, CELL);
            if self.y - height < MARGIN + FOOTER {
                self.new_page();
                self.table_row(columns, &header, CELL_HEADER);
                let y = self.y - 3.0;
                self.rule(MARGIN, MARGIN + table_width(columns), y);
                self.space(3.0);
            }
            self.table_row(columns, row, CELL);
        }
        self.space(4.0);
    }

    /// A horizontal bar chart: each bar's segments stacked left to right, scaled so
    /// that `max` fills the room right of the labels.
    pub fn bar_chart(&mut self, bars: &[Bar], max: u32, legend: &[(&str, Fill)]) {
        let label_width = 150.0;
        let note_width = 70.0;
        let bar_height = 11.0;
        let room = self.text_width() - label_width - note_width;
        self.keep(bar_height * 2.5 + 20.0);
        for bar in bars {
            self.keep(bar_height * 1.8);
            self.space(bar_height * 1.6);
            let y = self.y;
            let label = self
                .shaper
                .line(&bar.label, CELL.size, false, Direction::Ltr);
            self.place(&label, CELL, MARGIN, y);
            let mut x = MARGIN + label_width;
            for (value, fill) in &bar.segments {
                let width = if max == 0 {
                    0.0
                } else {
                    room * *value as f32 / max as f32
                };
                if width > 0.0 {
                    self.rect(x, y - 2.5, width, bar_height, *fill);
                }
                x += width;
            }
            let note = self
                .shaper
                .line(&bar.note, CELL.size, false, Direction::Ltr);
            self.place(&note, CELL, x + 4.0, y);
        }
        // The legend: a swatch and its name, side by side.
        self.space(bar_height * 2.0);
        let mut y = self.y;
        let mut x = MARGIN;
        for (name, fill) in legend {
            let line = self.shaper.line(name, SMALL.size, false, Direction::Ltr);
            if x > MARGIN && x + 11.0 + line.width > WIDTH - MARGIN {
                self.space(SMALL.size * 1.8);
                y = self.y;
                x = MARGIN;
            }
            self.rect(x, y - 1.0, 8.0, 8.0, *fill);
            self.place(&line, SMALL, x + 11.0, y);
            x += 11.0 + line.width + 14.0;
        }
        self.space(8.0);
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

    /// One table row at the cursor: each cell's wrapped lines from the row's top.
    fn table_row(&mut self, columns: &[Column], cells: &[String], style: Style) {
        let line_height = style.size * 1.35;
        let top = self.y;
        let mut lowest = top;
        let mut x = MARGIN;
        for (column, cell) in columns.iter().zip(cells) {
            let lines = self.shaper.wrap(
                cell,
                style.size,
                style.bold,
                Direction::Ltr,
                column.width - CELL_GAP,
            );
            let mut y = top;
            for line in &lines {
                y -= line_height;
                self.place(line, style, x, y);
            }
            lowest = lowest.min(y);
            x += column.width;
        }
        self.y = lowest.min(top - line_height) - 2.0;
    }

    fn row_height(&self, columns: &[Column], cells: &[String], style: Style) -> f32 {
        let lines = columns
            .iter()
            .zip(cells)
            .map(|(column, cell)| {
                self.shaper
                    .wrap(
                        cell,
                        style.size,
                        style.bold,
                        Direction::Ltr,
                        column.width - CELL_GAP,
                    )
                    .len()
                    .max(1)
            })
            .max()
            .unwrap_or(1);
        lines as f32 * style.size * 1.35 + 2.0
    }

    /// A filled rectangle from its lower left corner; the fill colour is set back to
    /// black after it, for the text that follows.
    fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, fill: Fill) {
        let ops = self.pages.last_mut().expect("a page");
        ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb::new(fill.0, fill.1, fill.2, None)),
        });
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(width),
                height: Pt(height),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
        ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
        });
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

fn table_width(columns: &[Column]) -> f32 {
    columns.iter().map(|c| c.width).sum()
}
