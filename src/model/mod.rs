//! The resolved document model: plain data that both backends read.
//!
//! Everything here is final print text: numbers are computed, references are
//! expanded, names are in their cases and typography (no-break spaces, quotes,
//! dashes) is applied. A backend must not change wording, only lay it out; that
//! is what keeps the PDF and the DOCX identical word for word.
//!
//! The model is serialised to JSON and handed to the typst template as data,
//! so every type derives `Serialize`. Field names are part of that contract
//! with `templates/*.typ`.

pub mod fonts;
pub mod grid;
pub mod metrics;
pub mod walk;

use serde::Serialize;

/// One output file (a PDF and/or a DOCX).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// The plan's id (order, document or bundle): what stays the same across
    /// revisions when the date, number and file name change.
    pub id: String,
    /// File name without extension, safe on every file system, e.g. `2024-10-31_978-ОД`.
    pub file_stem: String,
    pub meta: Meta,
    pub profile: Profile,
    pub body: Body,
}

/// Document properties written into the PDF and DOCX metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    pub title: String,
    /// The issuing body's full name.
    pub author: String,
    /// BCP 47 language tag, always `ru`.
    pub language: String,
    /// A draft carries the `ПРОЕКТ` mark on every page.
    pub draft: bool,
    /// Creation date for metadata (the order's date, never the wall clock).
    pub date: Option<String>,
}

/// Layout settings of the issuing body (see `shared/gost.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Name of the typst layout template in `templates/` (without `.typ`).
    pub template: String,
    pub margins_mm: Margins,
    /// Font family as named in the documents, e.g. `Times New Roman`.
    pub font_family: String,
    /// The family actually embedded in the PDF (a metric-compatible free font).
    pub pdf_font_family: String,
    pub font_size_pt: f32,
    pub table_font_size_pt: f32,
    pub small_font_size_pt: f32,
    /// Line height as a multiple of the font size for body text (1.0 – 1.5).
    pub line_spacing: f32,
    pub first_line_indent_mm: f32,
    /// Page numbers start on this page (2 by default), top centre.
    pub page_numbers_from: u32,
    /// Restart page numbering for each appendix instead of continuing the order's.
    pub appendix_page_restart: bool,
    pub title_bold: bool,
    pub title_align: Align,
    pub letterhead_bold: bool,
    /// Clauses with a hanging indent (marker in the margin of its level, text
    /// lines aligned) instead of the usual first-line indent.
    pub clause_hanging: bool,
    /// Russian hyphenation in the body text (tables hyphenate the columns
    /// `Table::hyphenate` names whatever this says).
    pub hyphenate: bool,
    /// Under a header with a row of column numbers, the PDF repeats only
    /// that row on following pages (ГОСТ's option). Word repeats header rows
    /// only as a run from the first, so the DOCX repeats the whole header.
    pub repeat_numbers_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Margins {
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Body {
    Order(Order),
    Standalone(Standalone),
    Bundle(Bundle),
}

/// An order (приказ) with its appendices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    pub letterhead: Letterhead,
    /// The issuer in the genitive, as the stamps and a bundle's contents
    /// cite it («Министерства образования и науки Смоленской области»).
    pub issuer_gen: String,
    /// Title (заголовок), e.g. `Об утверждении …`, no final period.
    pub title: String,
    /// Preamble paragraphs, the basis of the order.
    pub preamble: Vec<String>,
    pub operative: Operative,
    pub clauses: Vec<Clause>,
    pub signature: Signature,
    /// Approval visas printed on the last page of the order (may be empty).
    pub visas: Vec<Visa>,
    /// Executor mark at the bottom of the order's last page, small type.
    pub executor: Option<Executor>,
    pub appendices: Vec<Appendix>,
    /// Approvals as a separate approval sheet (лист согласования) after the
    /// appendices, instead of visas under the signature.
    pub approval_sheet: Option<ApprovalSheet>,
    /// QR code at the bottom right of the first page (ГОСТ Р 7.0.97-2025).
    pub qr: Option<Qr>,
}

impl Order {
    /// Approvers' remarks that name a clause, from the visas or the sheet.
    pub fn clause_comments(&self) -> impl Iterator<Item = &ClauseComment> {
        self.visas
            .iter()
            .filter_map(|v| v.comment.as_ref())
            .chain(self.approval_sheet.iter().flat_map(|s| &s.comments))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovalSheet {
    /// `ЛИСТ СОГЛАСОВАНИЯ`, `проекта приказа …`, the title.
    pub title: Vec<String>,
    pub table: Table,
    /// Remarks that name a clause: comments anchored at it (DOCX), as
    /// visas' are when they are printed under the signature.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<ClauseComment>,
}

/// A QR code as its modules, so each backend draws it itself (the PDF as
/// vector squares).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Qr {
    /// The encoded text (a link or the document's identifier).
    pub text: String,
    /// Rows of modules, `1` dark and `0` light, without the quiet zone.
    pub modules: Vec<String>,
    /// Side of the printed code, quiet zone excluded.
    pub size_mm: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Letterhead {
    /// Optional emblem image, path relative to the plan repository and its bytes'
    /// format; the backends embed it.
    pub emblem: Option<Emblem>,
    /// Name of the parent body, if any (may be several lines).
    pub parent_lines: Vec<String>,
    /// Name of the issuing body (several lines).
    pub body_lines: Vec<String>,
    /// `ПРИКАЗ`.
    pub doc_kind: String,
    /// Print the document kind letter-spaced (by character spacing, never by spaces).
    pub doc_kind_spaced: bool,
    /// Date as printed at the left margin: `31.10.2024` or `31 октября 2024 г.`.
    pub date: String,
    /// Number as printed at the right margin: `№ 978-ОД`.
    pub number: String,
    /// Place of issue, e.g. `г. Смоленск`; `None` when the body's name says it.
    pub place: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Emblem {
    /// Virtual path the PDF backend reads the image from (`/assets/<name>`).
    pub path: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Height of the emblem on the page.
    pub height_mm: f32,
}

/// The operative word: `ПРИКАЗЫВАЮ:` on its own line, or `приказываю:` letter-spaced
/// at the end of the preamble.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operative {
    pub text: String,
    pub style: OperativeStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OperativeStyle {
    /// Upper case, on a line of its own, at the left margin.
    Line,
    /// Lower case, letter-spaced by character spacing, on a line of its own.
    Spaced,
}

/// A clause or sub-item of the order's operative part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    /// Stable id from the plan, when it has one (diffs match clauses by it).
    pub id: Option<String>,
    /// Printed marker: `1.`, `2.1.`, `–`, `а)`.
    pub marker: String,
    pub marker_kind: MarkerKind,
    /// Nesting level, 1 for top-level clauses.
    pub level: u8,
    pub text: String,
    pub children: Vec<Clause>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkerKind {
    Number,
    Dash,
    Letter,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Signature {
    /// Position lines at the left margin (`И.о. министра`).
    pub position_lines: Vec<String>,
    /// Initials and surname at the right margin (`Д.С. Хнычева`, with a no-break space).
    pub name: String,
    /// Signed electronically: the stamp replaces the handwritten signature.
    pub electronic: Option<ElectronicSignature>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElectronicSignature {
    /// Lines of the stamp box, first `ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ`.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visa {
    pub position: String,
    pub name: String,
    pub date: String,
    pub remarks: Option<String>,
    /// The remarks as a reviewer's comment on the clause they name (DOCX).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<ClauseComment>,
}

/// An approver's remarks anchored at one clause of the order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseComment {
    /// The clause's id ([`Clause::id`]).
    pub clause: String,
    /// Who wrote them: the approver, «Д.С. Хнычева».
    pub author: String,
    /// The visa's date as `YYYY-MM-DDT00:00:00Z`, when it has one.
    pub date: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Executor {
    /// Full name, then phone, each on its own line.
    pub lines: Vec<String>,
}

/// An appendix: stamp or grif, title, blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appendix {
    /// The appendix plan's id.
    pub id: String,
    /// Lines of the stamp at the top right (`Приложение № 2`, `к приказу …`, `от … № …`)
    /// or of the grif (`УТВЕРЖДЕН`, `приказом …`, `от … № …`).
    pub stamp: Vec<String>,
    /// Title lines, centred and bold.
    pub title: Vec<String>,
    pub landscape: bool,
    pub blocks: Vec<Block>,
}

/// A standalone document (roadmap, programme) with no order around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standalone {
    /// Grif or other lines at the top right (may be empty).
    pub stamp: Vec<String>,
    /// Title lines, centred and bold.
    pub title: Vec<String>,
    pub landscape: bool,
    pub blocks: Vec<Block>,
}

/// Several orders in one file with a cover and a table of contents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bundle {
    pub cover: Vec<String>,
    /// How many leading cover lines are bold.
    pub cover_bold: usize,
    /// Heading of the table of contents (`Содержание`).
    pub contents_title: String,
    /// Heading of the contents' page column (`стр.`).
    pub page_label: String,
    /// One entry per order; page ranges are taken by each backend from its own layout.
    pub entries: Vec<BundleEntry>,
    pub orders: Vec<Order>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleEntry {
    /// `Приказ от 31.10.2024 № 978-ОД «Об утверждении …»`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Heading {
        text: String,
    },
    /// A bold line flush left that stays with what follows: a group's title
    /// over its items («Кластер 1. «Западный»»).
    Subheading {
        text: String,
    },
    Paragraph {
        text: String,
    },
    List(List),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct List {
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    /// `1.`, `–`, `а)`.
    pub marker: String,
    pub text: String,
}

/// Every table of a plan (activity plan, indicators, marker matrix, generic) is
/// lowered to this one shape, so each backend has a single table renderer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Stable id of the table in the plan, if any.
    pub id: Option<String>,
    /// Column keys from the plan (`number`, `activity`, `deadline` …), one per
    /// column, or empty when the table kind has none.
    pub keys: Vec<String>,
    /// Optional caption printed above the table.
    pub caption: Option<String>,
    /// Relative column widths (sum is arbitrary; backends normalise).
    pub widths: Vec<f32>,
    /// Header rows; cells may span columns and rows. Repeated on every page.
    pub header: Vec<Vec<HeaderCell>>,
    /// A row of column numbers `1 2 3 …` under the header, repeated with it on
    /// following pages (alone with `Profile::repeat_numbers_only`).
    pub number_row: bool,
    pub rows: Vec<Row>,
    /// Keep each row on one page when it fits.
    pub keep_rows: bool,
    /// Per row: estimated taller than a third of a page, so it may break
    /// across pages (the header repeats) rather than leave the rest of a page
    /// empty, even when `keep_rows`; empty for none (`resolve::rows`).
    pub tall_rows: Vec<bool>,
    /// Horizontal alignment per column.
    pub align: Vec<Align>,
    /// Columns whose words break by Russian hyphenation, because the longest
    /// words of all columns do not fit the page even at the smallest size;
    /// empty for none.
    pub hyphenate: Vec<bool>,
    /// The table's text size as a share of the profile's (1 normally; less
    /// when its longest words do not fit the page together at full size).
    pub font_scale: f32,
    /// Where the table and its rows were written, for the layout's
    /// diagnostics.
    #[serde(skip)]
    pub places: Places,
}

/// Where a table and each of its rows were written in the plan (empty when
/// the table was not made from a plan's rows). Not part of the document:
/// two tables that print the same are equal wherever they were written.
#[derive(Debug, Clone, Default)]
pub struct Places {
    pub table: Option<crate::diag::Span>,
    pub rows: Vec<Option<crate::diag::Span>>,
}

impl PartialEq for Places {
    fn eq(&self, _: &Places) -> bool {
        true
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderCell {
    pub text: String,
    pub colspan: u16,
    pub rowspan: u16,
    /// Rotated 90° (narrow marker columns).
    pub rotate: bool,
    pub emphasis: Emphasis,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Row {
    /// A section row spanning all columns.
    Section {
        id: Option<String>,
        text: String,
        style: Emphasis,
    },
    Cells {
        /// Stable row id from the plan, when it has one.
        id: Option<String>,
        cells: Vec<Cell>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Emphasis {
    Plain,
    Bold,
    Italic,
}

/// A table cell: several paragraphs and dash-list items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub paras: Vec<Para>,
    /// Cell spans this many columns (1 normally).
    pub colspan: u16,
    /// The cell's own text size in points, smaller than the table's, when a
    /// word in it is wider than its column even hyphenated (`resolve::fit`).
    pub size_pt: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Para {
    /// `None` for a plain paragraph, `Some("–")` for a dash-list item, `Some("а)")` …
    pub marker: Option<String>,
    pub text: String,
    /// The same text split into runs when parts of it are emphasised (the
    /// changed words of a comparison table); empty means one plain run.
    pub runs: Vec<Run>,
}

/// A stretch of a paragraph's text with its emphasis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub text: String,
    pub emphasis: Emphasis,
}

impl HeaderCell {
    /// A header cell spanning one column and one row.
    pub fn plain(text: impl Into<String>) -> HeaderCell {
        HeaderCell::spanning(text, 1, 1)
    }

    /// A header cell spanning `colspan` columns and `rowspan` rows.
    pub fn spanning(text: impl Into<String>, colspan: u16, rowspan: u16) -> HeaderCell {
        HeaderCell {
            text: text.into(),
            colspan,
            rowspan,
            rotate: false,
            emphasis: Emphasis::Plain,
        }
    }
}

/// One column of a table with a single header row: key, title, relative
/// width, alignment.
pub type Column<'a> = (&'a str, &'a str, f32, Align);

impl Table {
    /// A table with one header row (journals, approval sheets, comparison
    /// tables), rows kept whole.
    pub fn simple(columns: &[Column], rows: Vec<Row>) -> Table {
        Table {
            id: None,
            keys: columns.iter().map(|c| c.0.to_string()).collect(),
            caption: None,
            widths: columns.iter().map(|c| c.2).collect(),
            header: vec![columns.iter().map(|c| HeaderCell::plain(c.1)).collect()],
            number_row: false,
            rows,
            keep_rows: true,
            align: columns.iter().map(|c| c.3).collect(),
            hyphenate: Vec::new(),
            tall_rows: Vec::new(),
            font_scale: 1.0,
            places: Places::default(),
        }
    }

    /// A table of `ncols` equal columns with a (possibly grouped) header:
    /// no keys, no caption, rows free to break.
    pub fn grid(ncols: usize, header: Vec<Vec<HeaderCell>>, rows: Vec<Row>) -> Table {
        Table {
            id: None,
            keys: Vec::new(),
            caption: None,
            widths: vec![1.0; ncols],
            header,
            number_row: false,
            rows,
            keep_rows: false,
            align: Vec::new(),
            hyphenate: Vec::new(),
            tall_rows: Vec::new(),
            font_scale: 1.0,
            places: Places::default(),
        }
    }
}

impl Para {
    pub fn plain(marker: Option<String>, text: impl Into<String>) -> Para {
        Para {
            marker,
            text: text.into(),
            runs: Vec::new(),
        }
    }
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            paras: vec![Para::plain(None, s)],
            colspan: 1,
            size_pt: None,
        }
    }
}

/// Column titles of a table, one per column, from its (possibly grouped) header.
pub fn column_titles(t: &Table) -> Vec<String> {
    let ncols = t.widths.len().max(
        t.header
            .first()
            .map(|r| r.iter().map(|c| usize::from(c.colspan.max(1))).sum())
            .unwrap_or(0),
    );
    let mut titles = vec![String::new(); ncols];
    // Rows still covered by a rowspan from above, per column.
    let mut covered = vec![0u16; ncols];
    for row in &t.header {
        let mut col = 0;
        for c in row {
            while col < ncols && covered[col] > 0 {
                col += 1;
            }
            let span = usize::from(c.colspan.max(1));
            for k in col..(col + span).min(ncols) {
                if !titles[k].is_empty() {
                    titles[k].push_str(": ");
                }
                titles[k].push_str(&c.text);
                covered[k] = c.rowspan.max(1);
            }
            col += span;
        }
        for c in &mut covered {
            *c = c.saturating_sub(1);
        }
    }
    titles
}
