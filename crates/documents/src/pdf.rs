//! Pages of shaped text and rules, written as tagged PDF by krilla: PDF/UA-1 (a structure
//! tree a screen reader follows) and PDF/A-2a (for the archive), with the fonts subset to
//! the glyphs used. krilla checks both standards when it writes the file.
//!
//! The documents lay their content out through `Writer`: a cursor that moves down an A4
//! page and starts a new page when the content reaches the bottom margin. Each method
//! both draws and says what the content is (heading, paragraph, list, table, figure),
//! so the structure tree cannot drift from what is on the page. Drawing is recorded and
//! written at `finish`, because the footer names the page count.

use std::num::NonZeroU16;

use chrono::{Datelike, NaiveDate};

use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill as PaintFill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use super::shaping::{Direction, Face, Line, Run, Shaper};

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
/// A paragraph set apart by weight, not a heading (the declaration's "I declare:").
pub const LEAD: Style = Style {
    size: 11.5,
    bold: true,
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

/// Why a document could not be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    /// The text has a character neither embedded font has a glyph for (a name in a
    /// script the fonts do not cover): PDF/A forbids printing an empty box instead.
    #[error("{text:?} has a character the document's fonts cannot print")]
    Unprintable { text: String },
    /// krilla refused the file: a fault of this module, not of the data.
    #[error("the PDF could not be written: {0}")]
    Library(String),
}

/// How a mark on the page is tagged: as content of the structure element that holds
/// leaf number `n`, or as an artifact a screen reader skips.
#[derive(Debug, Clone, Copy)]
enum Tagged {
    Content(usize),
    Artifact(ArtifactType),
}

/// What is drawn on a page, in the order drawn (which is the reading order).
enum Mark {
    Text {
        line: Line,
        size: f32,
        x: f32,
        y: f32,
        tagged: Tagged,
        /// The span's language, where it is not its element's.
        lang: Option<String>,
    },
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        fill: Fill,
        tagged: Tagged,
    },
    Rule {
        from: f32,
        to: f32,
        y: f32,
    },
}

/// A structure element being built: its tag and children in reading order.
struct Element {
    tag: TagKind,
    children: Vec<Child>,
}

enum Child {
    Element(Element),
    Leaf(usize),
}

/// Lays content out page by page.
pub struct Writer {
    shaper: Shaper,
    pages: Vec<Vec<Mark>>,
    /// The baseline of the next line, from the page's bottom edge.
    y: f32,
    title: String,
    language: String,
    footer: String,
    /// The open structure elements, outermost first; the first is the document.
    open: Vec<Element>,
    leaves: usize,
    /// The first text with a character no font has.
    unprintable: Option<String>,
    /// The headings, for the document's outline (bookmarks): level, text, page and
    /// the top of the heading from the page's bottom edge.
    headings: Vec<(u16, String, usize, f32)>,
    issued: NaiveDate,
    /// The language of the text after " / " in the document's own language: the labels
    /// of most documents are "Dansk / English" (`bilingual`).
    second: Option<String>,
    /// Sections in a language of their own now open: their text is not split.
    foreign: usize,
    /// The text block being set has passed its " / ": the rest is in `second`.
    after_separator: bool,
}

/// How a line continues the text before it, for marking the language after " / ".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// The first line of a text (a paragraph, a label, a cell).
    Starts,
    /// A later line of the same text.
    Continues,
    /// Data, never split (a figure such as "54 / 395").
    Data,
}

impl Writer {
    /// A document titled `title`, mainly in `language` (ISO 639-1), made on `issued`,
    /// whose pages carry `footer` (a document ID, say) at the bottom.
    pub fn new(title: &str, language: &str, footer: &str, issued: NaiveDate) -> Self {
        let mut w = Writer {
            shaper: Shaper::new(),
            pages: Vec::new(),
            y: 0.0,
            title: title.to_owned(),
            language: language.to_owned(),
            footer: footer.to_owned(),
            open: vec![Element {
                tag: Tag::Part.into(),
                children: Vec::new(),
            }],
            leaves: 0,
            unprintable: None,
            headings: Vec::new(),
            issued,
            second: None,
            foreign: 0,
            after_separator: false,
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

    /// A section of the document (one signer's declaration, one household's form),
    /// in `language` when it differs from the document's: a screen reader switches
    /// voice for it.
    pub fn section(&mut self, language: Option<&str>, body: impl FnOnce(&mut Writer)) {
        let mut tag: TagKind = Tag::Section.into();
        let foreign = language.is_some_and(|l| l != self.language);
        if let Some(language) = language.filter(|_| foreign) {
            tag.set_lang(Some(language.to_owned()));
        }
        self.foreign += usize::from(foreign);
        self.open(tag);
        body(self);
        self.close();
        self.foreign -= usize::from(foreign);
    }

    /// From here, text in the document's language that reads "Dansk / English" has its
    /// part after " / " marked as `second` (a screen reader switches voice there); None
    /// when the document's text is in one language.
    pub fn bilingual(&mut self, second: Option<&str>) {
        self.second = second.map(str::to_owned);
    }

    /// A heading: level 1 is the title of the document or of a section of it.
    pub fn heading(&mut self, level: u16, text: &str, direction: Direction) {
        let style = if level <= 1 { TITLE } else { HEADING };
        // The first line is kept on this page, where the outline points.
        self.keep(style.size * 1.45);
        self.headings
            .push((level, text.to_owned(), self.pages.len() - 1, self.y));
        let level = NonZeroU16::new(level.max(1)).expect("at least 1");
        self.open(Tag::Hn(level, Some(text.to_owned())).into());
        self.lines(text, style, direction, 0.0);
        self.close();
    }

    /// A paragraph, wrapped to the text width and indented by `indent` points from the
    /// side it starts on (the right for right-to-left text).
    pub fn paragraph(&mut self, text: &str, style: Style, direction: Direction, indent: f32) {
        self.open(Tag::P.into());
        self.lines(text, style, direction, indent);
        self.close();
    }

    /// A numbered list, `gap` points between items: each number in the margin of the
    /// text's starting side, on the baseline of the item's first line.
    pub fn list(&mut self, items: &[&str], style: Style, direction: Direction, gap: f32) {
        let indent = 18.0;
        self.open(Tag::L(ListNumbering::Decimal).into());
        for (i, text) in items.iter().enumerate() {
            self.open(Tag::LI.into());
            let label = self
                .shaper
                .line(&format!("{}.", i + 1), style.size, style.bold, direction);
            let lines = self.shaper.wrap(
                text,
                style.size,
                style.bold,
                direction,
                self.text_width() - indent,
            );
            for (n, line) in lines.iter().enumerate() {
                self.fit(style.size * 1.45);
                if n == 0 {
                    let x = match direction {
                        Direction::Ltr => MARGIN,
                        Direction::Rtl => WIDTH - MARGIN - label.width,
                    };
                    self.open(Tag::Lbl.into());
                    self.text(&label, style, x, self.y, Flow::Starts);
                    self.close();
                    self.open(Tag::LBody.into());
                }
                let flow = if n == 0 {
                    Flow::Starts
                } else {
                    Flow::Continues
                };
                self.line_at_cursor(line, style, direction, indent, flow);
            }
            self.close();
            self.close();
            self.space(gap);
        }
        self.close();
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
        self.open(Tag::P.into());
        match direction {
            Direction::Ltr => {
                self.text(&label, style, MARGIN, y, Flow::Starts);
                self.text(&value, style, MARGIN + label.width + gap, y, Flow::Starts);
            }
            Direction::Rtl => {
                let x = WIDTH - MARGIN - label.width;
                self.text(&label, style, x, y, Flow::Starts);
                self.text(&value, style, x - gap - value.width, y, Flow::Starts);
            }
        }
        self.close();
    }

    /// A labelled line to write or sign on: the label, then a rule to the right margin
    /// (to the left margin for right-to-left labels).
    pub fn signature_line(&mut self, label: &str, direction: Direction) {
        let style = BODY;
        self.fit(style.size * 3.0);
        self.space(style.size * 1.6);
        let line = self.shaper.line(label, style.size, style.bold, direction);
        let y = self.y;
        self.open(Tag::P.into());
        match direction {
            Direction::Ltr => {
                self.text(&line, style, MARGIN, y, Flow::Starts);
                self.rule(MARGIN + line.width + 6.0, WIDTH - MARGIN, y - 2.0);
            }
            Direction::Rtl => {
                let x = WIDTH - MARGIN - line.width;
                self.text(&line, style, x, y, Flow::Starts);
                self.rule(MARGIN, x - 6.0, y - 2.0);
            }
        }
        self.close();
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
    /// its column. A row is never split across pages, and a new page repeats the header
    /// (as an artifact: a screen reader has it once, as the table's header row).
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        self.table_in(columns, rows, Direction::Ltr);
    }

    /// A table whose columns run in `direction`: right to left, the first column is at
    /// the right margin, the headers are set right to left and each cell is aligned to
    /// the right (a report's section in Arabic). The structure keeps the columns' order,
    /// which is then the reading order.
    pub fn table_in(&mut self, columns: &[Column], rows: &[Vec<String>], direction: Direction) {
        let header: Vec<String> = columns.iter().map(|c| c.header.to_owned()).collect();
        self.open(Tag::Table.into());
        self.open(Tag::THead.into());
        self.table_row(columns, &header, CELL_HEADER, Some(Cell::Header), direction);
        self.close();
        self.header_rule(columns, direction);
        self.open(Tag::TBody.into());
        for row in rows {
            let height = self.row_height(columns, row, CELL);
            if self.y - height < MARGIN + FOOTER {
                self.new_page();
                self.table_row(columns, &header, CELL_HEADER, None, direction);
                self.header_rule(columns, direction);
            }
            self.table_row(columns, row, CELL, Some(Cell::Data), direction);
        }
        self.close();
        self.close();
        self.space(4.0);
    }

    /// A horizontal bar chart: each bar's segments stacked left to right, scaled so
    /// that `max` fills the room right of the labels. It is one figure whose
    /// alternative text, `description`, says in words what the bars show.
    pub fn bar_chart(
        &mut self,
        bars: &[Bar],
        max: u32,
        legend: &[(&str, Fill)],
        description: &str,
    ) {
        let label_width = 150.0;
        let note_width = 70.0;
        let bar_height = 11.0;
        let room = self.text_width() - label_width - note_width;
        self.keep(bar_height * 2.5 + 20.0);
        self.open(Tag::Figure(Some(description.to_owned())).into());
        for bar in bars {
            self.keep(bar_height * 1.8);
            self.space(bar_height * 1.6);
            let y = self.y;
            let label = self
                .shaper
                .line(&bar.label, CELL.size, false, Direction::Ltr);
            self.text(&label, CELL, MARGIN, y, Flow::Starts);
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
            self.text(&note, CELL, x + 4.0, y, Flow::Data);
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
            self.text(&line, SMALL, x + 11.0, y, Flow::Starts);
            x += 11.0 + line.width + 14.0;
        }
        self.close();
        self.space(8.0);
    }

    /// The PDF, each page with its footer and number.
    pub fn finish(mut self) -> Result<Vec<u8>, PdfError> {
        if let Some(text) = self.unprintable.take() {
            return Err(PdfError::Unprintable { text });
        }
        while self.open.len() > 1 {
            self.close();
        }
        let root = self.open.pop().expect("the document element");
        let count = self.pages.len();
        let pages = std::mem::take(&mut self.pages);

        let configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_A)
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
            .map_err(|e| PdfError::Library(format!("{e:?}")))?;
        let settings = SerializeSettings {
            configuration,
            enable_tagging: true,
            ..SerializeSettings::default()
        };
        let mut document = Document::new_with(settings);
        document.set_metadata(
            Metadata::new()
                .title(self.title.clone())
                .language(self.language.clone())
                .creator("Resettle".to_owned())
                .creation_date(
                    DateTime::new(self.issued.year() as u16)
                        .month(self.issued.month() as u8)
                        .day(self.issued.day() as u8),
                ),
        );
        document.set_outline(outline(&self.headings));
        let fonts: Vec<Font> = Face::ALL
            .iter()
            .map(|face| {
                Font::new(face.bytes().into(), 0).ok_or_else(|| {
                    PdfError::Library(format!("the embedded font {face:?} does not parse"))
                })
            })
            .collect::<Result<_, _>>()?;
        let mut ids: Vec<Option<Identifier>> = vec![None; self.leaves];
        let size = PageSettings::from_wh(WIDTH, HEIGHT).expect("A4 is a valid page size");
        for (i, marks) in pages.into_iter().enumerate() {
            let mut page = document.start_page_with(size.clone());
            let mut surface = page.surface();
            for mark in &marks {
                draw(&mut surface, mark, &fonts, &mut ids);
            }
            let text = format!("{}  ·  {}/{}", self.footer, i + 1, count);
            let line = self.shaper.line(&text, SMALL.size, false, Direction::Ltr);
            draw(
                &mut surface,
                &Mark::Text {
                    line,
                    size: SMALL.size,
                    x: MARGIN,
                    y: MARGIN - FOOTER + 8.0,
                    tagged: Tagged::Artifact(ArtifactType::Footer),
                    lang: None,
                },
                &fonts,
                &mut ids,
            );
            surface.finish();
            page.finish();
        }
        let mut tree = TagTree::new();
        for child in root.children {
            if let Some(node) = node(child, &ids) {
                tree.push(node);
            }
        }
        document.set_tag_tree(tree);
        document
            .finish()
            .map_err(|e| PdfError::Library(format!("{e:?}")))
    }

    /// Opens a structure element inside the innermost open one.
    fn open(&mut self, tag: TagKind) {
        self.open.push(Element {
            tag,
            children: Vec::new(),
        });
    }

    /// Closes the innermost open element.
    fn close(&mut self) {
        let element = self.open.pop().expect("an open element");
        self.open
            .last_mut()
            .expect("the document element stays open")
            .children
            .push(Child::Element(element));
    }

    /// A new leaf of the innermost open element: one mark's content.
    fn leaf(&mut self) -> Tagged {
        let n = self.leaves;
        self.leaves += 1;
        self.open
            .last_mut()
            .expect("the document element stays open")
            .children
            .push(Child::Leaf(n));
        Tagged::Content(n)
    }

    /// Wrapped lines of the open element, from the cursor.
    fn lines(&mut self, text: &str, style: Style, direction: Direction, indent: f32) {
        let width = self.text_width() - indent;
        let lines = self
            .shaper
            .wrap(text, style.size, style.bold, direction, width);
        for (n, line) in lines.iter().enumerate() {
            self.fit(style.size * 1.45);
            let flow = if n == 0 {
                Flow::Starts
            } else {
                Flow::Continues
            };
            self.line_at_cursor(line, style, direction, indent, flow);
        }
    }

    fn line_at_cursor(
        &mut self,
        line: &Line,
        style: Style,
        direction: Direction,
        indent: f32,
        flow: Flow,
    ) {
        let x = match direction {
            Direction::Ltr => MARGIN + indent,
            Direction::Rtl => WIDTH - MARGIN - indent - line.width,
        };
        let y = self.y;
        self.text(line, style, x, y, flow);
    }

    /// Moves to the next line, on a new page if this one is full.
    fn fit(&mut self, height: f32) {
        if self.y - height < MARGIN + FOOTER {
            self.new_page();
        }
        self.y -= height;
    }

    /// A line of the open element at (x, y). In the document's own language, with a
    /// second language set (`bilingual`), the part after " / " is a span of its own in
    /// that language, and so is every later line of the same text.
    fn text(&mut self, line: &Line, style: Style, x: f32, y: f32, flow: Flow) {
        if line.runs.iter().all(|r| r.glyphs.is_empty()) {
            return;
        }
        self.check_printable(line);
        if flow != Flow::Continues {
            self.after_separator = false;
        }
        let second = self.second.clone().filter(|_| self.foreign == 0);
        match second {
            Some(second) if flow != Flow::Data => {
                if self.after_separator {
                    self.span(line.clone(), style, x, y, Some(second));
                    return;
                }
                match split_at_separator(line) {
                    Separated::No => self.span(line.clone(), style, x, y, None),
                    Separated::AtEnd => {
                        self.span(line.clone(), style, x, y, None);
                        self.after_separator = true;
                    }
                    Separated::Within(first, rest) => {
                        let width = first.width;
                        self.span(first, style, x, y, None);
                        self.span(rest, style, x + width, y, Some(second));
                        self.after_separator = true;
                    }
                }
            }
            _ => self.span(line.clone(), style, x, y, None),
        }
    }

    fn span(&mut self, line: Line, style: Style, x: f32, y: f32, lang: Option<String>) {
        let tagged = self.leaf();
        self.mark(Mark::Text {
            line,
            size: style.size,
            x,
            y,
            tagged,
            lang,
        });
    }

    /// Notes the first line with a glyph the fonts lack (glyph 0, "not defined").
    fn check_printable(&mut self, line: &Line) {
        if self.unprintable.is_some() {
            return;
        }
        let missing = line
            .runs
            .iter()
            .flat_map(|r| &r.glyphs)
            .any(|g| g.gid == 0 && !g.text.trim().is_empty());
        if missing {
            let text: String = line
                .runs
                .iter()
                .flat_map(|r| &r.glyphs)
                .map(|g| g.text.as_str())
                .collect();
            self.unprintable = Some(text);
        }
    }

    fn mark(&mut self, mark: Mark) {
        self.pages.last_mut().expect("a page").push(mark);
    }

    /// One table row at the cursor: each cell's wrapped lines from the row's top. With
    /// `cell` the row is tagged (TR of TH or TD); without, it is a repeated header.
    fn table_row(
        &mut self,
        columns: &[Column],
        cells: &[String],
        style: Style,
        cell: Option<Cell>,
        direction: Direction,
    ) {
        let line_height = style.size * 1.35;
        let top = self.y;
        let mut lowest = top;
        // Where the column starts, from the margin of the side the table starts on.
        let mut offset = 0.0;
        if cell.is_some() {
            self.open(Tag::TR.into());
        }
        for (column, text) in columns.iter().zip(cells) {
            // A header is text in the table's direction; a data cell is data (a date, a
            // name, a code) set left to right as a unit, like a field's value, so that
            // "2026-12-07 05:40" keeps its order in a right-to-left table.
            let base = match cell {
                Some(Cell::Data) => Direction::Ltr,
                _ => direction,
            };
            let lines =
                self.shaper
                    .wrap(text, style.size, style.bold, base, column.width - CELL_GAP);
            match cell {
                Some(Cell::Header) => self.open(Tag::TH(TableHeaderScope::Column).into()),
                Some(Cell::Data) => self.open(Tag::TD.into()),
                None => {}
            }
            let mut y = top;
            for (n, line) in lines.iter().enumerate() {
                y -= line_height;
                let x = match direction {
                    Direction::Ltr => MARGIN + offset,
                    Direction::Rtl => WIDTH - MARGIN - offset - line.width,
                };
                if cell.is_some() {
                    let flow = if n == 0 {
                        Flow::Starts
                    } else {
                        Flow::Continues
                    };
                    self.text(line, style, x, y, flow);
                } else {
                    self.check_printable(line);
                    self.mark(Mark::Text {
                        line: line.clone(),
                        size: style.size,
                        x,
                        y,
                        tagged: Tagged::Artifact(ArtifactType::PaginationOther),
                        lang: None,
                    });
                }
            }
            if cell.is_some() {
                self.close();
            }
            lowest = lowest.min(y);
            offset += column.width;
        }
        if cell.is_some() {
            self.close();
        }
        self.y = lowest.min(top - line_height) - 2.0;
    }

    fn header_rule(&mut self, columns: &[Column], direction: Direction) {
        let y = self.y - 3.0;
        match direction {
            Direction::Ltr => self.rule(MARGIN, MARGIN + table_width(columns), y),
            Direction::Rtl => self.rule(WIDTH - MARGIN - table_width(columns), WIDTH - MARGIN, y),
        }
        self.space(3.0);
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

    /// A filled rectangle from its lower left corner, as content of the open element
    /// (the bars of a chart).
    fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, fill: Fill) {
        let tagged = self.leaf();
        self.mark(Mark::Rect {
            x,
            y,
            width,
            height,
            fill,
            tagged,
        });
    }

    /// A rule is layout, never content.
    fn rule(&mut self, from: f32, to: f32, y: f32) {
        self.mark(Mark::Rule { from, to, y });
    }
}

/// The kind of a tagged table row's cells.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Header,
    Data,
}

fn table_width(columns: &[Column]) -> f32 {
    columns.iter().map(|c| c.width).sum()
}

/// Draws one mark, in krilla's coordinates (from the top left), inside its marked
/// content; the content's identifier is kept for the structure tree.
fn draw(surface: &mut Surface, mark: &Mark, fonts: &[Font], ids: &mut [Option<Identifier>]) {
    let tagged = match mark {
        Mark::Text { tagged, .. } | Mark::Rect { tagged, .. } => *tagged,
        Mark::Rule { .. } => Tagged::Artifact(ArtifactType::Layout),
    };
    let content = match (tagged, mark) {
        (Tagged::Artifact(kind), _) => ContentTag::Artifact(Artifact::with_kind(kind)),
        (Tagged::Content(_), Mark::Text { lang, .. }) => {
            ContentTag::Span(SpanTag::empty().with_lang(lang.as_deref()))
        }
        (Tagged::Content(_), _) => ContentTag::Other,
    };
    let id = surface.start_tagged(content);
    if let Tagged::Content(n) = tagged {
        ids[n] = Some(id);
    }
    match mark {
        Mark::Text {
            line, size, x, y, ..
        } => {
            surface.set_fill(Some(PaintFill::default()));
            let mut x = *x;
            for run in &line.runs {
                let (text, glyphs) = glyphs(run, *size);
                surface.draw_glyphs(
                    Point::from_xy(x, HEIGHT - y),
                    &glyphs,
                    fonts[run.face as usize].clone(),
                    &text,
                    *size,
                    false,
                );
                x += run.width;
            }
        }
        Mark::Rect {
            x,
            y,
            width,
            height,
            fill,
            ..
        } => {
            if let Some(rect) = Rect::from_xywh(*x, HEIGHT - y - height, *width, *height) {
                let mut path = PathBuilder::new();
                path.push_rect(rect);
                if let Some(path) = path.finish() {
                    surface.set_fill(Some(PaintFill {
                        paint: colour(*fill).into(),
                        ..PaintFill::default()
                    }));
                    surface.set_stroke(None);
                    surface.draw_path(&path);
                }
            }
        }
        Mark::Rule { from, to, y } => {
            let mut path = PathBuilder::new();
            path.move_to(*from, HEIGHT - y);
            path.line_to(*to, HEIGHT - y);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke::default()));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
    }
    surface.end_tagged();
}

/// The outline: a level-1 heading at the top, the headings below it as its children.
fn outline(headings: &[(u16, String, usize, f32)]) -> Outline {
    let mut outline = Outline::new();
    let mut top: Option<OutlineNode> = None;
    for (level, text, page, y) in headings {
        let node = OutlineNode::new(
            text.clone(),
            XyzDestination::new(*page, Point::from_xy(MARGIN, HEIGHT - y)),
        );
        match (&mut top, level) {
            (Some(parent), 2..) => parent.push_child(node),
            _ => {
                if let Some(done) = top.replace(node) {
                    outline.push_child(done);
                }
            }
        }
    }
    if let Some(done) = top {
        outline.push_child(done);
    }
    outline
}

/// Where a line's " / " is: the separator of "Dansk / English".
enum Separated {
    No,
    /// The line ends with " /": the text after it starts on the next line.
    AtEnd,
    /// The line up to and with " / ", and the rest.
    Within(Line, Line),
}

/// Finds the first " / " of a line (a slash with a space before it), in the order the
/// glyphs are set: a left-to-right line's reading order.
fn split_at_separator(line: &Line) -> Separated {
    let glyphs: Vec<(usize, usize)> = line
        .runs
        .iter()
        .enumerate()
        .flat_map(|(r, run)| (0..run.glyphs.len()).map(move |g| (r, g)))
        .collect();
    let text = |i: usize| {
        let (r, g) = glyphs[i];
        line.runs[r].glyphs[g].text.as_str()
    };
    let Some(slash) = (1..glyphs.len()).find(|&i| text(i) == "/" && text(i - 1) == " ") else {
        return Separated::No;
    };
    // The rest starts after the space that follows the slash.
    let cut = slash + 1 + usize::from(slash + 1 < glyphs.len() && text(slash + 1) == " ");
    if cut >= glyphs.len() {
        return Separated::AtEnd;
    }
    let (r, g) = glyphs[cut];
    let part = |runs: Vec<Run>| {
        let runs: Vec<Run> = runs.into_iter().filter(|r| !r.glyphs.is_empty()).collect();
        let width = runs.iter().map(|r| r.width).sum();
        Line { runs, width }
    };
    let piece = |run: &Run, glyphs: &[super::shaping::Glyph]| Run {
        face: run.face,
        glyphs: glyphs.to_vec(),
        width: glyphs.iter().map(|g| g.advance).sum(),
    };
    let mut first: Vec<Run> = line.runs[..r].to_vec();
    first.push(piece(&line.runs[r], &line.runs[r].glyphs[..g]));
    let mut rest = vec![piece(&line.runs[r], &line.runs[r].glyphs[g..])];
    rest.extend(line.runs[r + 1..].iter().cloned());
    Separated::Within(part(first), part(rest))
}

fn colour(fill: Fill) -> rgb::Color {
    let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    rgb::Color::new(byte(fill.0), byte(fill.1), byte(fill.2))
}

/// A run's text and its glyphs for krilla: each glyph points at the characters it
/// stands for (the later glyphs of a cluster at the same characters as the first), so
/// that the text can be copied, searched and read aloud.
fn glyphs(run: &Run, size: f32) -> (String, Vec<KrillaGlyph>) {
    let mut text = String::new();
    let mut glyphs = Vec::with_capacity(run.glyphs.len());
    let mut previous = 0..0;
    for g in &run.glyphs {
        let range = if g.text.is_empty() {
            previous.clone()
        } else {
            let start = text.len();
            text.push_str(&g.text);
            start..text.len()
        };
        previous = range.clone();
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(u32::from(g.gid)),
            g.advance / size,
            0.0,
            0.0,
            0.0,
            range,
            None,
        ));
    }
    (text, glyphs)
}

/// The krilla node of a built element; an element with no content is left out (a
/// paragraph of an empty string, say).
fn node(child: Child, ids: &[Option<Identifier>]) -> Option<Node> {
    match child {
        Child::Leaf(n) => ids[n].map(Node::Leaf),
        Child::Element(element) => {
            let mut group = TagGroup::new(element.tag);
            let mut any = false;
            for child in element.children {
                if let Some(node) = node(child, ids) {
                    group.push(node);
                    any = true;
                }
            }
            any.then_some(Node::Group(group))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn every_kind_of_content_is_written_as_pdf_a_and_ua() {
        let mut w = Writer::new("Prøve / Test", "da", "DOC-1", day());
        w.heading(1, "Overskrift / Heading", Direction::Ltr);
        w.paragraph("Et afsnit. / A paragraph.", BODY, Direction::Ltr, 0.0);
        w.list(&["én", "to"], BODY, Direction::Ltr, 2.0);
        w.field("Navn / Name", "Amina Testani", BODY, Direction::Ltr);
        w.section(Some("ar"), |w| {
            w.paragraph("الاسم", BODY, Direction::Rtl, 0.0);
            w.table_in(
                &[Column {
                    header: "التاريخ",
                    width: 100.0,
                }],
                &[vec!["2026-12-07 05:40".to_owned()]],
                Direction::Rtl,
            );
        });
        let rows: Vec<Vec<String>> = (0..120).map(|i| vec![i.to_string()]).collect();
        w.table(
            &[Column {
                header: "Tal / Number",
                width: 100.0,
            }],
            &rows,
        );
        w.bar_chart(
            &[Bar {
                label: "2026".into(),
                segments: vec![(3, Fill(0.1, 0.3, 0.5))],
                note: "3".into(),
            }],
            3,
            &[("Brugt / Used", Fill(0.1, 0.3, 0.5))],
            "Én søjle: 3 brugt / One bar: 3 used",
        );
        w.signature_line("Underskrift / Signature", Direction::Ltr);
        let pdf = w
            .finish()
            .expect("krilla accepts it as PDF/A-2a and PDF/UA-1");
        let text = String::from_utf8_lossy(&pdf);
        for marker in [
            "/StructTreeRoot",
            "/MarkInfo",
            "/Lang(da)",
            "/Lang(ar)",
            "/Alt",
            "/Outlines",
            "pdfuaid:part",
        ] {
            assert!(text.contains(marker), "{marker}");
        }
    }

    #[test]
    fn a_character_no_font_has_is_refused_naming_the_text() {
        let mut w = Writer::new("Prøve", "da", "DOC-1", day());
        w.field("Navn / Name", "王秀英", BODY, Direction::Ltr);
        assert_eq!(
            w.finish(),
            Err(PdfError::Unprintable {
                text: "王秀英".to_owned()
            })
        );
    }
}
