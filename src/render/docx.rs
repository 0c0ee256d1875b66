//! DOCX backend: docx-rs builds the document from the model; one small
//! post-processing pass ([`finish`]) adds what docx-rs has no API for
//! (repeating table headers, document properties, the document language) and
//! re-packs the archive with fixed timestamps so the bytes are reproducible.
//!
//! Wording and numbering come from the model as they are: computed numbers are
//! plain text, never Word auto-numbering, so they stay what the PDF shows even
//! after the file is edited or converted.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AlignmentType, BreakType, Docx, Header, LineSpacing, LineSpacingType, PageMargin, PageNum,
    PageOrientationType, Paragraph, Run, RunFonts, Section, SpecialIndentType, Style, StyleType,
    Tab, TabValueType, Table as DTable, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellBorders, TableRow, TextDirectionType,
    VMergeType, WidthType,
};

use crate::model::*;

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("не удалось собрать DOCX: {0}")]
    Pack(String),
    #[error("не удалось прочитать собранный DOCX: {0}")]
    Repack(String),
}

/// Twips (1/20 pt) in a millimetre.
const TWIPS_PER_MM: f32 = 56.692_91;
const A4_W_MM: f32 = 210.0;
const A4_H_MM: f32 = 297.0;
/// Width of the stamp / grif block at the right margin (ГОСТ practice: ~8 cm).
const STAMP_WIDTH_MM: f32 = 80.0;
/// Width of the electronic-signature mark between position and name (as in the PDF).
const ESIG_WIDTH_MM: f32 = 70.0;
/// Table rules and the e-signature frame: 0.5 pt and 0.75 pt as in the PDF
/// (OOXML border sizes are in eighths of a point).
const RULE_EIGHTHS: usize = 4;
const ESIG_RULE_EIGHTHS: usize = 6;
/// Letter-spacing of the document kind and of the operative word in em, as
/// the PDF template's `tracking`.
const DOC_KIND_TRACKING_EM: f32 = 0.3;
const OPERATIVE_TRACKING_EM: f32 = 0.35;
/// A row holding more text than this may break across pages (the PDF
/// template uses the same limit), shorter rows are kept whole.
pub const KEEP_ROW_MAX_CHARS: usize = 1800;

fn tw(mm: f32) -> i32 {
    (mm * TWIPS_PER_MM).round() as i32
}

fn half_points(pt: f32) -> usize {
    (pt * 2.0).round().max(2.0) as usize
}

/// Character spacing (twips) of `em` at a font size of `pt` points.
fn tracking(em: f32, pt: f32) -> i32 {
    (em * pt * 20.0).round().clamp(0.0, 1584.0) as i32
}

/// Paragraph style ids: defined once in [`styles`], used by name everywhere.
mod st {
    pub const BODY: &str = "PrikazBody";
    pub const LETTERHEAD: &str = "PrikazLetterhead";
    pub const DOC_KIND: &str = "PrikazDocKind";
    pub const DATE_LINE: &str = "PrikazDateLine";
    pub const PLACE: &str = "PrikazPlace";
    pub const TITLE: &str = "PrikazTitle";
    pub const OPERATIVE: &str = "PrikazOperative";
    pub const CLAUSE: &str = "PrikazClause";
    pub const SIGNATURE: &str = "PrikazSignature";
    pub const EXECUTOR: &str = "PrikazExecutor";
    pub const STAMP: &str = "PrikazStamp";
    pub const STAMP_LANDSCAPE: &str = "PrikazStampLandscape";
    pub const SIGNATURE_CELL: &str = "PrikazSignatureCell";
    pub const SIGNATURE_NAME: &str = "PrikazSignatureName";
    pub const ESIG: &str = "PrikazElectronicSignature";
    pub const APPENDIX_TITLE: &str = "PrikazAppendixTitle";
    pub const HEADING: &str = "PrikazHeading";
    pub const CAPTION: &str = "PrikazCaption";
    pub const TABLE_TEXT: &str = "PrikazTableText";
    pub const TABLE_HEADER: &str = "PrikazTableHeader";
    pub const TABLE_DASH: &str = "PrikazTableDash";
    pub const PAGE_NUMBER: &str = "PrikazPageNumber";
    pub const DRAFT: &str = "PrikazDraftMark";
    pub const CONTENTS: &str = "PrikazContents";
    pub const VISA: &str = "PrikazVisa";
}

/// Geometry of one page orientation.
#[derive(Clone, Copy)]
struct Page {
    /// Text width in twips.
    text_w: i32,
}

struct Ctx<'a> {
    prof: &'a Profile,
    draft: bool,
    /// Header-row counts of top-level tables in document order, for [`finish`].
    header_rows: Vec<usize>,
}

impl Ctx<'_> {
    fn page(&self, landscape: bool) -> Page {
        let m = &self.prof.margins_mm;
        let w = if landscape { A4_H_MM } else { A4_W_MM };
        Page {
            text_w: tw(w - m.left - m.right),
        }
    }

    fn section_geometry(&self, s: Section, landscape: bool) -> Section {
        let (w, h) = if landscape {
            (A4_H_MM, A4_W_MM)
        } else {
            (A4_W_MM, A4_H_MM)
        };
        let mut size = docx_rs::PageSize::new().size(tw(w) as u32, tw(h) as u32);
        if landscape {
            size = size.orient(PageOrientationType::Landscape);
        }
        s.page_size(size).page_margin(self.margin())
    }

    fn margin(&self) -> PageMargin {
        let m = &self.prof.margins_mm;
        PageMargin::new()
            .top(tw(m.top))
            .bottom(tw(m.bottom))
            .left(tw(m.left))
            .right(tw(m.right))
            .header(tw(m.top * 0.4))
            .footer(tw(m.bottom * 0.5))
    }
}

/// A paragraph of one style and one text; lines split at `\n` become line breaks.
fn para(style: &str, text: &str) -> Paragraph {
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    Paragraph::new().style(style).add_run(run)
}

/// A paragraph whose runs carry their own emphasis (changed words of a
/// comparison table).
fn runs_para(style: &str, p: &Para) -> Paragraph {
    let mut out = Paragraph::new().style(style);
    if let Some(m) = &p.marker {
        out = out.add_run(Run::new().add_text(format!("{m}\u{a0}")));
    }
    for r in &p.runs {
        let mut run = Run::new();
        for (i, line) in r.text.split('\n').enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(line);
        }
        match r.emphasis {
            Emphasis::Bold => run = run.bold(),
            Emphasis::Italic => run = run.italic(),
            Emphasis::Plain => {}
        }
        out = out.add_run(run);
    }
    out
}

fn lines_para(style: &str, lines: &[String]) -> Paragraph {
    para(style, &lines.join("\n"))
}

/// Content of one section (a run of pages with one orientation).
enum Item {
    P(Paragraph),
    T(DTable),
}

struct Part {
    landscape: bool,
    restart_numbering: bool,
    items: Vec<Item>,
}

impl Part {
    /// A portrait part with continuous page numbering (an order, a cover).
    fn portrait(items: Vec<Item>) -> Part {
        Part {
            landscape: false,
            restart_numbering: false,
            items,
        }
    }
}

/// Renders a document to DOCX bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let prof = &doc.profile;
    let mut ctx = Ctx {
        prof,
        draft: doc.meta.draft,
        header_rows: Vec::new(),
    };
    let parts = match &doc.body {
        Body::Order(o) => order_parts(&mut ctx, o),
        Body::Standalone(s) => {
            let page = ctx.page(s.landscape);
            let mut items = stamp_and_title(&s.stamp, &s.title, s.landscape);
            items.extend(blocks(&mut ctx, &s.blocks, page));
            vec![Part {
                landscape: s.landscape,
                restart_numbering: false,
                items,
            }]
        }
        Body::Bundle(b) => {
            let mut items: Vec<Item> = vec![Item::P(lines_para(st::APPENDIX_TITLE, &b.cover))];
            // The contents start on a page of their own.
            items.push(Item::P(
                para(st::HEADING, &b.contents_title).page_break_before(true),
            ));
            for e in &b.entries {
                items.push(Item::P(para(st::CONTENTS, &e.text)));
            }
            let mut parts = vec![Part::portrait(items)];
            for o in &b.orders {
                parts.extend(order_parts(&mut ctx, o));
            }
            parts
        }
    };
    let (docx, setup) = assemble(&ctx, parts);
    let mut buf = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut buf)
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    finish(buf.into_inner(), doc, &ctx.header_rows, &setup)
}

fn order_parts(ctx: &mut Ctx, o: &Order) -> Vec<Part> {
    let page = ctx.page(false);
    let mut items = Vec::new();
    let lh = &o.letterhead;
    if let Some(e) = &lh.emblem
        && let Some((png, w, h)) = emblem_png(&e.bytes)
    {
        // EMU: 36,000 per millimetre; the width keeps the image's proportions.
        let h_emu = (e.height_mm.max(1.0) * 36_000.0) as u32;
        let w_emu = (h_emu as f64 * w as f64 / h.max(1) as f64) as u32;
        let pic = docx_rs::Pic::new_with_dimensions(png, w, h).size(w_emu, h_emu);
        items.push(Item::P(
            Paragraph::new()
                .style(st::LETTERHEAD)
                .add_run(Run::new().add_image(pic)),
        ));
    }
    let heading: Vec<String> = lh
        .parent_lines
        .iter()
        .chain(&lh.body_lines)
        .cloned()
        .collect();
    let mut head = lines_para(st::LETTERHEAD, &heading);
    if let Some(q) = &o.qr
        && let Some(png) = qr_png(q)
    {
        // Anchored to the first page's bottom right corner, as the PDF places it.
        let side = (q.size_mm * 36_000.0) as u32;
        let px = (q.modules.len() * QR_PX) as u32;
        let pic = docx_rs::Pic::new_with_dimensions(png, px, px)
            .size(side, side)
            .floating()
            .position_h(docx_rs::DrawingPosition::Align(docx_rs::PicAlign::Right))
            .relative_from_h(docx_rs::RelativeFromHType::Margin)
            .position_v(docx_rs::DrawingPosition::Align(docx_rs::PicAlign::Bottom))
            .relative_from_v(docx_rs::RelativeFromVType::Margin);
        head = head.add_run(Run::new().add_image(pic));
    }
    items.push(Item::P(head));
    let mut kind = Run::new().add_text(&lh.doc_kind);
    if lh.doc_kind_spaced {
        // Letter-spacing by character spacing, never by typed spaces.
        kind = kind.character_spacing(tracking(DOC_KIND_TRACKING_EM, ctx.prof.font_size_pt + 2.0));
    }
    items.push(Item::P(Paragraph::new().style(st::DOC_KIND).add_run(kind)));
    items.push(Item::P(
        Paragraph::new()
            .style(st::DATE_LINE)
            .add_tab(right_tab(page))
            .add_run(Run::new().add_text(&lh.date).add_tab().add_text(&lh.number)),
    ));
    if let Some(place) = &lh.place {
        items.push(Item::P(para(st::PLACE, place)));
    }
    items.push(Item::P(para(st::TITLE, &o.title)));
    for p in &o.preamble {
        items.push(Item::P(para(st::BODY, p)));
    }
    let mut op = Run::new().add_text(&o.operative.text);
    if o.operative.style == OperativeStyle::Spaced {
        op = op.character_spacing(tracking(OPERATIVE_TRACKING_EM, ctx.prof.font_size_pt));
    }
    items.push(Item::P(Paragraph::new().style(st::OPERATIVE).add_run(op)));
    clauses(&mut items, &o.clauses, ctx.prof);
    let s = &o.signature;
    match &s.electronic {
        Some(e) => {
            // An empty paragraph carries the space above the signature, which
            // a table cannot; then position | e-signature mark | name, the mark
            // between them as ГОСТ Р 7.0.97 and the PDF place it.
            items.push(Item::P(Paragraph::new().style(st::SIGNATURE)));
            items.push(Item::T(electronic_signature(s, e, page)));
            ctx.header_rows.push(0);
        }
        None => {
            // Position at the left, the name at the right margin on the line
            // of the last position line.
            let mut run = Run::new();
            let n = s.position_lines.len();
            for (i, l) in s.position_lines.iter().enumerate() {
                run = run.add_text(l);
                if i + 1 < n {
                    run = run.add_break(BreakType::TextWrapping);
                }
            }
            run = run.add_tab().add_text(&s.name);
            items.push(Item::P(
                Paragraph::new()
                    .style(st::SIGNATURE)
                    .add_tab(right_tab(page))
                    .add_run(run),
            ));
        }
    }
    for v in &o.visas {
        let mut text = format!("{}\t{}\t{}", v.position, v.name, v.date);
        if let Some(r) = &v.remarks {
            text.push('\n');
            text.push_str(r);
        }
        items.push(Item::P(tabbed(st::VISA, &text, page)));
    }
    if let Some(e) = &o.executor {
        items.push(Item::P(lines_para(st::EXECUTOR, &e.lines)));
    }
    let mut parts = vec![Part::portrait(items)];
    for a in &o.appendices {
        let page = ctx.page(a.landscape);
        let mut items = stamp_and_title(&a.stamp, &a.title, a.landscape);
        items.extend(blocks(ctx, &a.blocks, page));
        parts.push(Part {
            landscape: a.landscape,
            restart_numbering: ctx.prof.appendix_page_restart,
            items,
        });
    }
    if let Some(sheet) = &o.approval_sheet {
        let page = ctx.page(false);
        let mut items = stamp_and_title(&[], &sheet.title, false);
        items.push(Item::T(table(ctx, &sheet.table, page)));
        parts.push(Part::portrait(items));
    }
    parts
}

/// Pixels per QR module in the DOCX image (Word has no vector QR).
const QR_PX: usize = 8;

/// The QR code as a black-and-white PNG.
fn qr_png(q: &crate::model::Qr) -> Option<Vec<u8>> {
    let n = q.modules.len();
    let side = (n * QR_PX) as u32;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x as usize / QR_PX, y as usize / QR_PX);
        let dark = q
            .modules
            .get(my)
            .and_then(|r| r.as_bytes().get(mx))
            .is_some_and(|b| *b == b'1');
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(out.into_inner())
}

/// A borderless row of three cells: the position lines, the framed
/// electronic-signature mark, the name at the right margin.
fn electronic_signature(s: &Signature, e: &ElectronicSignature, page: Page) -> DTable {
    let mark = tw(ESIG_WIDTH_MM).min(page.text_w.max(0));
    let side = ((page.text_w - mark) / 2).max(0) as usize;
    let mark = mark as usize;
    let frame = [
        TableCellBorderPosition::Top,
        TableCellBorderPosition::Left,
        TableCellBorderPosition::Bottom,
        TableCellBorderPosition::Right,
    ]
    .into_iter()
    .fold(TableCellBorders::with_empty(), |b, pos| {
        b.set(TableCellBorder::new(pos).size(ESIG_RULE_EIGHTHS))
    });
    let cell = |w: usize| {
        TableCell::new()
            .width(w, WidthType::Dxa)
            .vertical_align(docx_rs::VAlignType::Center)
    };
    DTable::without_borders(vec![
        TableRow::new(vec![
            cell(side).add_paragraph(lines_para(st::SIGNATURE_CELL, &s.position_lines)),
            cell(mark)
                .set_borders(frame)
                .add_paragraph(lines_para(st::ESIG, &e.lines)),
            cell(side).add_paragraph(para(st::SIGNATURE_NAME, &s.name)),
        ])
        .cant_split(),
    ])
    .set_grid(vec![side, mark, side])
    .width(side * 2 + mark, WidthType::Dxa)
    .layout(docx_rs::TableLayoutType::Fixed)
    .margins(docx_rs::TableCellMargins::new().margin(0, 0, 0, 0))
}

/// The emblem as PNG with its pixel size (docx-rs embeds PNG only); `None`
/// when the image cannot be decoded (check reports unreadable emblems).
fn emblem_png(bytes: &[u8]) -> Option<(Vec<u8>, u32, u32)> {
    let img = image::load_from_memory(bytes).ok()?;
    let (w, h) = (img.width(), img.height());
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some((bytes.to_vec(), w, h));
    }
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some((out.into_inner(), w, h))
}

/// A right-aligned tab stop at the right margin (date line, signature).
fn right_tab(page: Page) -> Tab {
    Tab::new()
        .val(TabValueType::Right)
        .pos(page.text_w.max(0) as usize)
}

/// A paragraph whose `\t` become tabs (visas: position, name, date).
fn tabbed(style: &str, text: &str, page: Page) -> Paragraph {
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        for (j, cell) in line.split('\t').enumerate() {
            if j > 0 {
                run = run.add_tab();
            }
            run = run.add_text(cell);
        }
    }
    Paragraph::new()
        .style(style)
        .add_tab(
            Tab::new()
                .val(TabValueType::Left)
                .pos((page.text_w as f32 * 0.55) as usize),
        )
        .add_tab(
            Tab::new()
                .val(TabValueType::Right)
                .pos(page.text_w as usize),
        )
        .add_run(run)
}

fn clauses(items: &mut Vec<Item>, cs: &[Clause], prof: &Profile) {
    for c in cs {
        let mut p = para(st::CLAUSE, &clause_text(c, prof.clause_hanging));
        if prof.clause_hanging {
            // Hanging indent per level: the marker in its column, wrapped
            // lines aligned with the text (Word tabs to the hanging indent).
            let col = tw(prof.first_line_indent_mm);
            let level = i32::from(c.level.max(1));
            p = p.indent(
                Some(col * level),
                Some(SpecialIndentType::Hanging(col)),
                None,
                None,
            );
        }
        items.push(Item::P(p));
        clauses(items, &c.children, prof);
    }
}

/// The printed text of a clause: its marker, then a no-break space (it must
/// not stretch in justified text) or, with hanging indents, a tab to the
/// text column; then its text.
pub fn clause_text(c: &Clause, hanging: bool) -> String {
    let sep = if hanging { '\t' } else { '\u{a0}' };
    format!("{}{sep}{}", c.marker, c.text)
}

fn stamp_and_title(stamp: &[String], title: &[String], landscape: bool) -> Vec<Item> {
    let mut items = Vec::new();
    if !stamp.is_empty() {
        // The block sits at the right margin, which is further out on a landscape page.
        let style = if landscape {
            st::STAMP_LANDSCAPE
        } else {
            st::STAMP
        };
        items.push(Item::P(lines_para(style, stamp)));
    }
    if !title.is_empty() {
        items.push(Item::P(lines_para(st::APPENDIX_TITLE, title)));
    }
    items
}

fn blocks(ctx: &mut Ctx, bs: &[Block], page: Page) -> Vec<Item> {
    let mut items = Vec::new();
    for b in bs {
        match b {
            Block::Heading { text } => items.push(Item::P(para(st::HEADING, text))),
            Block::Paragraph { text } => items.push(Item::P(para(st::BODY, text))),
            Block::List(l) => {
                for it in &l.items {
                    items.push(Item::P(para(st::BODY, &list_item_text(it))));
                }
            }
            Block::Table(t) => {
                if let Some(c) = &t.caption {
                    items.push(Item::P(para(st::CAPTION, c)));
                }
                items.push(Item::T(table(ctx, t, page)));
            }
        }
    }
    items
}

/// The printed text of a list item: marker, no-break space, text.
pub fn list_item_text(i: &ListItem) -> String {
    format!("{}\u{a0}{}", i.marker, i.text)
}

/// The printed text of a cell paragraph: a dash item is `– text`.
pub fn cell_para_text(p: &Para) -> String {
    match &p.marker {
        Some(m) => format!("{m}\u{a0}{}", p.text),
        None => p.text.clone(),
    }
}

fn align_of(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

fn row_chars(cells: &[Cell]) -> usize {
    cells
        .iter()
        .flat_map(|c| &c.paras)
        .map(|p| p.text.chars().count())
        .sum()
}

/// Column widths in twips: the plan's relative widths spread over the text width.
fn grid(t: &Table, page: Page) -> Vec<usize> {
    let n = t.widths.len().max(1);
    let sum: f32 = t.widths.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    (0..n)
        .map(|i| {
            let w = t
                .widths
                .get(i)
                .copied()
                .filter(|w| w.is_finite() && *w > 0.0);
            let share = match (w, sum > 0.0) {
                (Some(w), true) => w / sum,
                _ => 1.0 / n as f32,
            };
            (share * page.text_w as f32).round().max(100.0) as usize
        })
        .collect()
}

fn span_width(grid: &[usize], from: usize, span: usize) -> usize {
    grid.iter().skip(from).take(span.max(1)).sum()
}

/// Where a header cell lands on the column grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot<'a> {
    /// A cell of the model starting at column `col`, `span` columns wide.
    Cell {
        cell: &'a HeaderCell,
        col: usize,
        span: usize,
    },
    /// Covered by a rowspan from a row above: a vMerge continuation.
    Continue { col: usize, span: usize },
    /// Nothing left in a short row.
    Empty { col: usize },
}

/// Places the header rows on a grid of `ncols` columns: cells fill the
/// columns left to right, skipping those still covered by a rowspan from
/// above. Spans are clipped to the grid and to the next covered column and
/// cells beyond the last column are dropped, so the rows are always exactly
/// `ncols` wide however the model is shaped.
pub fn header_layout(t: &Table, ncols: usize) -> Vec<Vec<Slot<'_>>> {
    // Per column: header rows it stays covered for, and the covering span.
    let mut covered: Vec<(usize, usize)> = vec![(0, 0); ncols];
    let mut out = Vec::with_capacity(t.header.len());
    for hrow in &t.header {
        let mut slots = Vec::new();
        let mut col = 0;
        let mut cells = hrow.iter();
        while col < ncols {
            let (left, span) = covered[col];
            if left > 0 {
                covered[col].0 -= 1;
                let span = span.clamp(1, ncols - col);
                slots.push(Slot::Continue { col, span });
                col += span;
                continue;
            }
            let Some(h) = cells.next() else {
                slots.push(Slot::Empty { col });
                col += 1;
                continue;
            };
            let free = (col..ncols)
                .take_while(|&c| c == col || covered[c].0 == 0)
                .count();
            let span = usize::from(h.colspan).clamp(1, free);
            if h.rowspan > 1 {
                covered[col] = (usize::from(h.rowspan) - 1, span);
            }
            slots.push(Slot::Cell { cell: h, col, span });
            col += span;
        }
        out.push(slots);
    }
    out
}

/// The cells of a body row that fit on a grid of `ncols` columns, each with
/// its span clipped to the grid.
pub fn body_cells(cells: &[Cell], ncols: usize) -> Vec<(&Cell, usize)> {
    let mut out = Vec::with_capacity(cells.len());
    let mut col = 0;
    for c in cells {
        if col >= ncols {
            break;
        }
        let span = usize::from(c.colspan).clamp(1, ncols - col);
        out.push((c, span));
        col += span;
    }
    out
}

fn table(ctx: &mut Ctx, t: &Table, page: Page) -> DTable {
    let grid = grid(t, page);
    let ncols = grid.len();
    let mut rows = Vec::new();
    for slots in header_layout(t, ncols) {
        let cells = slots
            .into_iter()
            .map(|slot| match slot {
                Slot::Cell { cell: h, col, span } => {
                    let mut cell = TableCell::new()
                        .grid_span(span)
                        .width(span_width(&grid, col, span), WidthType::Dxa)
                        .vertical_align(docx_rs::VAlignType::Center)
                        .add_paragraph(para(st::TABLE_HEADER, &h.text));
                    if h.rotate {
                        cell = cell.text_direction(TextDirectionType::BtLr);
                    }
                    if h.rowspan > 1 {
                        cell = cell.vertical_merge(VMergeType::Restart);
                    }
                    cell
                }
                // Same width as the cell it continues, so Word draws one merged cell.
                Slot::Continue { col, span } => TableCell::new()
                    .vertical_merge(VMergeType::Continue)
                    .grid_span(span)
                    .width(span_width(&grid, col, span), WidthType::Dxa)
                    .add_paragraph(Paragraph::new().style(st::TABLE_HEADER)),
                Slot::Empty { col } => TableCell::new()
                    .width(grid[col], WidthType::Dxa)
                    .add_paragraph(Paragraph::new().style(st::TABLE_HEADER)),
            })
            .collect();
        rows.push(TableRow::new(cells).cant_split());
    }
    let mut header_rows = t.header.len();
    if t.number_row {
        let cells = (0..ncols)
            .map(|i| {
                TableCell::new()
                    .width(grid[i], WidthType::Dxa)
                    .add_paragraph(para(st::TABLE_HEADER, &(i + 1).to_string()))
            })
            .collect();
        rows.push(TableRow::new(cells).cant_split());
        header_rows += 1;
    }
    for r in &t.rows {
        match r {
            Row::Section { text, style, .. } => {
                let mut run = Run::new().add_text(text);
                match style {
                    Emphasis::Bold => run = run.bold(),
                    Emphasis::Italic => run = run.italic(),
                    Emphasis::Plain => {}
                }
                let cell = TableCell::new()
                    .grid_span(ncols)
                    .width(span_width(&grid, 0, ncols), WidthType::Dxa)
                    .add_paragraph(Paragraph::new().style(st::TABLE_TEXT).add_run(run));
                let mut row = TableRow::new(vec![cell]);
                if t.keep_rows {
                    row = row.cant_split();
                }
                rows.push(row);
            }
            Row::Cells { cells, .. } => {
                let mut out = Vec::new();
                let mut col = 0;
                for (c, span) in body_cells(cells, ncols) {
                    let align = align_of(t.align.get(col).copied().unwrap_or(Align::Left));
                    let mut cell = TableCell::new()
                        .grid_span(span)
                        .width(span_width(&grid, col, span), WidthType::Dxa);
                    if c.paras.is_empty() {
                        cell = cell.add_paragraph(Paragraph::new().style(st::TABLE_TEXT));
                    }
                    for p in &c.paras {
                        let style = if p.marker.is_some() {
                            st::TABLE_DASH
                        } else {
                            st::TABLE_TEXT
                        };
                        let mut para = if p.runs.is_empty() {
                            para(style, &cell_para_text(p))
                        } else {
                            runs_para(style, p)
                        };
                        if p.marker.is_none() {
                            para = para.align(align);
                        }
                        cell = cell.add_paragraph(para);
                    }
                    out.push(cell);
                    col += span;
                }
                // A short row still spans the grid (Word leaves a ragged edge).
                for w in grid.iter().skip(col) {
                    out.push(
                        TableCell::new()
                            .width(*w, WidthType::Dxa)
                            .add_paragraph(Paragraph::new().style(st::TABLE_TEXT)),
                    );
                }
                let mut row = TableRow::new(out);
                if t.keep_rows && row_chars(cells) < KEEP_ROW_MAX_CHARS {
                    row = row.cant_split();
                }
                rows.push(row);
            }
        }
    }
    ctx.header_rows.push(header_rows);
    let rules = [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |b, pos| {
        b.set(TableBorder::new(pos).size(RULE_EIGHTHS))
    });
    DTable::new(rows)
        .set_borders(rules)
        .set_grid(grid.clone())
        .width(grid.iter().sum(), WidthType::Dxa)
        .layout(docx_rs::TableLayoutType::Fixed)
        .margins(docx_rs::TableCellMargins::new().margin(30, 70, 30, 70))
}

fn headers(ctx: &Ctx) -> (Header, Header) {
    let mut first = Header::new();
    let mut rest = Header::new();
    if ctx.draft {
        first = first.add_paragraph(para(st::DRAFT, "ПРОЕКТ"));
        rest = rest.add_paragraph(para(st::DRAFT, "ПРОЕКТ"));
    }
    rest = rest.add_paragraph(
        Paragraph::new()
            .style(st::PAGE_NUMBER)
            .add_page_num(PageNum::new()),
    );
    if !ctx.draft {
        // An empty first-page header still needs one paragraph.
        first = first.add_paragraph(Paragraph::new().style(st::PAGE_NUMBER));
    }
    (first, rest)
}

/// How [`finish`] must set up each section's `sectPr`, in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionSetup {
    /// Carries the header references (the first section; later ones inherit).
    pub header_refs: bool,
    /// The first page of this section has its own header (no page number).
    pub title_page: bool,
    /// Page numbering restarts at 1.
    pub restart: bool,
}

fn assemble(ctx: &Ctx, parts: Vec<Part>) -> (Docx, Vec<SectionSetup>) {
    let prof = ctx.prof;
    let font = RunFonts::new()
        .ascii(&prof.font_family)
        .hi_ansi(&prof.font_family)
        .east_asia(&prof.font_family)
        .cs(&prof.font_family);
    let mut docx = Docx::new()
        .default_fonts(font)
        .default_size(half_points(prof.font_size_pt))
        .default_tab_stop(tw(12.5) as usize);
    for s in styles(ctx) {
        docx = docx.add_style(s);
    }
    // Both headers are registered once at document level (rIdHeader1: page
    // number, rIdHeader2: first page); `finish` points the first section at
    // them and the later sections inherit them, as Word does. docx-rs drops a
    // section's first-page header when it also has a default one, hence this.
    let (first_header, header) = headers(ctx);
    docx = docx.header(header).first_header(first_header);
    let numbers_from_first = prof.page_numbers_from <= 1;
    let last = parts.len().saturating_sub(1);
    let mut setup = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        setup.push(SectionSetup {
            header_refs: i == 0,
            title_page: (i == 0 && !numbers_from_first) || part.restart_numbering,
            restart: part.restart_numbering,
        });
        if i < last {
            let mut s = ctx.section_geometry(Section::new(), part.landscape);
            for it in part.items {
                s = match it {
                    Item::P(p) => s.add_paragraph(p),
                    Item::T(t) => s.add_table(t),
                };
            }
            docx = docx.add_section(s);
        } else {
            let (w, h) = if part.landscape {
                (A4_H_MM, A4_W_MM)
            } else {
                (A4_W_MM, A4_H_MM)
            };
            docx = docx
                .page_size(tw(w) as u32, tw(h) as u32)
                .page_margin(ctx.margin());
            if part.landscape {
                docx = docx.page_orient(PageOrientationType::Landscape);
            }
            for it in part.items {
                docx = match it {
                    Item::P(p) => docx.add_paragraph(p),
                    Item::T(t) => docx.add_table(t),
                };
            }
        }
    }
    (docx, setup)
}

fn styles(ctx: &Ctx) -> Vec<Style> {
    let p = ctx.prof;
    let size = half_points(p.font_size_pt);
    let table = half_points(p.table_font_size_pt);
    let small = half_points(p.small_font_size_pt);
    let line = (240.0 * p.line_spacing.clamp(1.0, 3.0)).round() as i32;
    let body_spacing = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(line)
        .before(0)
        .after(0);
    let single = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(0)
        .after(0);
    let indent = tw(p.first_line_indent_mm);
    let text_w = |page_w: f32| page_w - p.margins_mm.left - p.margins_mm.right;
    let stamp_left = tw(text_w(A4_W_MM) - STAMP_WIDTH_MM).max(0);
    let stamp_left_landscape = tw(text_w(A4_H_MM) - STAMP_WIDTH_MM).max(0);
    let base = |id: &str, name: &str| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on(st::BODY)
            .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None)
            .align(AlignmentType::Left)
    };
    // Table text, page number and draft mark: table size, single spacing.
    let table_style =
        |id: &str, name: &str| base(id, name).size(table).line_spacing(single.clone());
    let title_align = align_of(p.title_align);
    let mut title = base(st::TITLE, "Заголовок приказа")
        .align(title_align)
        .line_spacing(single.clone().before(240).after(240));
    if p.title_bold {
        title = title.bold();
    }
    let mut letterhead = base(st::LETTERHEAD, "Бланк: наименование")
        .align(AlignmentType::Center)
        .line_spacing(single.clone().after(240));
    if p.letterhead_bold {
        letterhead = letterhead.bold();
    }
    vec![
        Style::new(st::BODY, StyleType::Paragraph)
            .name("Текст приказа")
            .size(size)
            .align(AlignmentType::Both)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(indent)),
                None,
                None,
            )
            .line_spacing(body_spacing.clone()),
        letterhead,
        base(st::DOC_KIND, "Бланк: вид документа")
            .align(AlignmentType::Center)
            .bold()
            .size(size + 4)
            .line_spacing(single.clone().after(240)),
        base(st::DATE_LINE, "Бланк: дата и номер"),
        base(st::PLACE, "Бланк: место издания")
            .align(AlignmentType::Center)
            .line_spacing(single.clone().before(120)),
        title,
        base(st::OPERATIVE, "Распорядительное слово"),
        Style::new(st::CLAUSE, StyleType::Paragraph)
            .name("Пункт приказа")
            .based_on(st::BODY),
        base(st::CONTENTS, "Содержание сборника").line_spacing(single.clone().after(120)),
        base(st::SIGNATURE, "Подпись").line_spacing(single.clone().before(480)),
        base(st::EXECUTOR, "Исполнитель")
            .size(small)
            .line_spacing(single.clone().before(480)),
        base(st::STAMP, "Гриф приложения")
            .indent(
                Some(stamp_left),
                Some(SpecialIndentType::FirstLine(0)),
                None,
                None,
            )
            .line_spacing(single.clone().after(240)),
        base(st::STAMP_LANDSCAPE, "Гриф приложения (альбомная)")
            .based_on(st::STAMP)
            .indent(
                Some(stamp_left_landscape),
                Some(SpecialIndentType::FirstLine(0)),
                None,
                None,
            )
            .line_spacing(single.clone().after(240)),
        base(st::SIGNATURE_CELL, "Подпись: должность"),
        base(st::SIGNATURE_NAME, "Подпись: фамилия").align(AlignmentType::Right),
        base(st::ESIG, "Отметка об электронной подписи")
            .size(small)
            .indent(
                Some(tw(1.5)),
                Some(SpecialIndentType::FirstLine(0)),
                Some(tw(1.5)),
                None,
            )
            .line_spacing(single.clone().before(80).after(80)),
        base(st::APPENDIX_TITLE, "Заголовок приложения")
            .align(AlignmentType::Center)
            .bold()
            .line_spacing(single.clone().after(240)),
        base(st::HEADING, "Подзаголовок")
            .align(AlignmentType::Center)
            .bold()
            .line_spacing(single.clone().before(120).after(60)),
        base(st::CAPTION, "Название таблицы")
            .align(AlignmentType::Center)
            .bold()
            .size(table)
            .line_spacing(single.clone().before(120).after(60)),
        // Visas in table type, as the PDF sets them.
        table_style(st::VISA, "Виза").line_spacing(single.clone().before(240)),
        table_style(st::TABLE_TEXT, "Текст таблицы"),
        table_style(st::TABLE_HEADER, "Шапка таблицы").align(AlignmentType::Center),
        table_style(st::TABLE_DASH, "Перечень в таблице").indent(
            Some(tw(3.0)),
            Some(SpecialIndentType::Hanging(tw(3.0))),
            None,
            None,
        ),
        table_style(st::PAGE_NUMBER, "Номер страницы").align(AlignmentType::Center),
        table_style(st::DRAFT, "Отметка «ПРОЕКТ»")
            .bold()
            .align(AlignmentType::Right),
    ]
}

// ------------------------------------------------------------------ finish

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// `docProps/core.xml` from the model: title, author, language and the
/// order's date (never the clock).
fn core_xml(doc: &Document) -> String {
    let date = doc
        .meta
        .date
        .as_deref()
        .map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>{lang}</dc:language>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#,
            "<cp:revision>1</cp:revision></cp:coreProperties>"
        ),
        title = xml_escape(&doc.meta.title),
        author = xml_escape(&doc.meta.author),
        lang = xml_escape(&doc.meta.language),
        date = date,
    )
}

/// Marks the first `counts[i]` rows of the i-th top-level table of
/// `document.xml` as header rows repeated on every page (`<w:tblHeader/>`).
/// docx-rs has no API for it; this is the one place that edits its XML.
pub fn mark_header_rows(xml: &str, counts: &[usize]) -> String {
    let mut out = String::with_capacity(xml.len() + counts.iter().sum::<usize>() * 32);
    let mut depth = 0usize;
    let mut table = 0usize;
    let mut row_in_table = 0usize;
    let mut rest = xml;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
        let tag = &rest[..end];
        out.push_str(tag);
        rest = &rest[end..];
        if tag.starts_with("<w:tbl>") || tag.starts_with("<w:tbl ") {
            depth += 1;
            if depth == 1 {
                row_in_table = 0;
            }
        } else if tag.starts_with("</w:tbl>") {
            if depth == 1 {
                table += 1;
            }
            depth = depth.saturating_sub(1);
        } else if depth == 1 && (tag.starts_with("<w:tr>") || tag.starts_with("<w:tr ")) {
            let header = row_in_table < counts.get(table).copied().unwrap_or(0);
            row_in_table += 1;
            if header {
                // docx-rs writes `<w:trPr>…</w:trPr>` or `<w:trPr />` first.
                if let Some(r) = rest.strip_prefix("<w:trPr />") {
                    out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                    rest = r;
                } else if let Some(r) = rest.strip_prefix("<w:trPr>") {
                    out.push_str("<w:trPr><w:tblHeader />");
                    rest = r;
                } else {
                    out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// docx-rs names images `rIdImage<n>` from a process-wide counter: number
/// them in order of first use in `document.xml` instead, in the XML parts and
/// in the media file names alike.
fn renumber_images(entries: &mut [(String, Vec<u8>)]) {
    static ID: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = ID.get_or_init(|| {
        regex::Regex::new(r"rIdImage(\d+)")
            .unwrap_or_else(|_| unreachable!("a fixed, tested pattern"))
    });
    let mut map = std::collections::HashMap::new();
    if let Some((_, doc)) = entries.iter().find(|(n, _)| n == "word/document.xml") {
        for c in re.captures_iter(&String::from_utf8_lossy(doc)) {
            let next = map.len() + 1;
            map.entry(c[1].to_string()).or_insert(next);
        }
    }
    if map.is_empty() {
        return;
    }
    let rename = |s: &str| -> String {
        re.replace_all(s, |c: &regex::Captures| match map.get(&c[1]) {
            Some(n) => format!("rIdImage{n}"),
            None => c[0].to_string(),
        })
        .into_owned()
    };
    for (name, data) in entries.iter_mut() {
        *name = rename(name);
        if name.ends_with(".xml") || name.ends_with(".rels") {
            *data = rename(&String::from_utf8_lossy(data)).into_bytes();
        }
    }
}

/// Rewrites `w14:paraId` values as a sequence starting at `*next`.
fn renumber_para_ids(xml: &str, next: &mut u32) -> String {
    const KEY: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(KEY) {
        let start = i + KEY.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str(&format!("{:08X}", *next));
        *next += 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Sets each `<w:sectPr>` of `document.xml` up as `setup` says: header
/// references first (schema order), `pgNumType` before `cols`, `titlePg` last.
pub fn set_up_sections(xml: &str, setup: &[SectionSetup]) -> String {
    static STRIP: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let strip = STRIP.get_or_init(|| {
        regex::Regex::new(r"<w:headerReference [^>]*/>|<w:titlePg ?/>|<w:pgNumType [^>]*/>")
            .unwrap_or_else(|_| unreachable!("a fixed, tested pattern"))
    });
    let mut out = String::with_capacity(xml.len() + setup.len() * 200);
    let mut rest = xml;
    let mut k = 0;
    while let Some(i) = rest.find("<w:sectPr>") {
        let open = i + "<w:sectPr>".len();
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let close = rest.find("</w:sectPr>").unwrap_or(rest.len());
        let body = strip.replace_all(&rest[..close], "").into_owned();
        rest = &rest[close..];
        let s = setup.get(k).copied().unwrap_or(SectionSetup {
            header_refs: false,
            title_page: false,
            restart: false,
        });
        k += 1;
        if s.header_refs {
            out.push_str(r#"<w:headerReference w:type="default" r:id="rIdHeader1" />"#);
            out.push_str(r#"<w:headerReference w:type="first" r:id="rIdHeader2" />"#);
        }
        let body = if s.restart {
            match body.find("<w:cols") {
                Some(c) => format!(r#"{}<w:pgNumType w:start="1" />{}"#, &body[..c], &body[c..]),
                None => format!(r#"{body}<w:pgNumType w:start="1" />"#),
            }
        } else {
            body
        };
        out.push_str(&body);
        if s.title_page {
            out.push_str("<w:titlePg />");
        }
    }
    out.push_str(rest);
    out
}

/// Adds the document language to the default run properties of `styles.xml`,
/// last in `w:rPr` as the schema orders it.
fn set_language(styles: &str, lang: &str) -> String {
    let tag = format!(
        r#"<w:lang w:val="{0}" w:eastAsia="{0}" w:bidi="ar-SA" />"#,
        xml_escape(lang)
    );
    let Some(start) = styles.find("<w:rPrDefault>") else {
        return styles.to_string();
    };
    match styles[start..].find("</w:rPr>") {
        Some(end) => {
            let at = start + end;
            format!("{}{}{}", &styles[..at], tag, &styles[at..])
        }
        None => styles.to_string(),
    }
}

/// Post-processes the archive docx-rs wrote and re-packs it with fixed
/// timestamps, fixed entry order and fixed compression: reproducible bytes.
fn finish(
    packed: Vec<u8>,
    doc: &Document,
    header_rows: &[usize],
    setup: &[SectionSetup],
) -> Result<Vec<u8>, DocxError> {
    let mut zin =
        zip::ZipArchive::new(Cursor::new(packed)).map_err(|e| DocxError::Repack(e.to_string()))?;
    let mut entries = Vec::with_capacity(zin.len());
    for i in 0..zin.len() {
        let mut f = zin
            .by_index(i)
            .map_err(|e| DocxError::Repack(e.to_string()))?;
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data)
            .map_err(|e| DocxError::Repack(e.to_string()))?;
        entries.push((name, data));
    }
    let lang = if doc.meta.language == "ru" {
        "ru-RU".to_string()
    } else {
        doc.meta.language.clone()
    };
    for (name, data) in &mut entries {
        match name.as_str() {
            "word/document.xml" => {
                let xml = String::from_utf8_lossy(data);
                let xml = mark_header_rows(&xml, header_rows);
                *data = set_up_sections(&xml, setup).into_bytes();
            }
            "word/styles.xml" => {
                let xml = String::from_utf8_lossy(data);
                *data = set_language(&xml, &lang).into_bytes();
            }
            "docProps/core.xml" => *data = core_xml(doc).into_bytes(),
            _ => {}
        }
    }
    renumber_images(&mut entries);
    // docx-rs numbers paragraphs from a thread-wide counter: renumber them
    // per package so that the bytes do not depend on earlier renders.
    let mut next_id = 1u32;
    for (name, data) in &mut entries {
        if name.starts_with("word/") && name.ends_with(".xml") {
            let xml = String::from_utf8_lossy(data);
            *data = renumber_para_ids(&xml, &mut next_id).into_bytes();
        }
    }
    let mut out = Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (name, data) in &entries {
            zout.start_file(name.as_str(), opts)
                .map_err(|e| DocxError::Pack(e.to_string()))?;
            zout.write_all(data)
                .map_err(|e| DocxError::Pack(e.to_string()))?;
        }
        zout.finish().map_err(|e| DocxError::Pack(e.to_string()))?;
    }
    Ok(out.into_inner())
}

// ------------------------------------------------------------------ parity

/// The text of a DOCX body, paragraph by paragraph in document order (table
/// cells row by row, cell by cell); tabs as `\t`, line breaks as `\n`; empty
/// paragraphs skipped. Used by the parity tests against [`expected_text`].
pub fn text_of(docx: &[u8]) -> Result<Vec<String>, DocxError> {
    let mut zin =
        zip::ZipArchive::new(Cursor::new(docx)).map_err(|e| DocxError::Repack(e.to_string()))?;
    let mut xml = String::new();
    zin.by_name("word/document.xml")
        .map_err(|e| DocxError::Repack(e.to_string()))?
        .read_to_string(&mut xml)
        .map_err(|e| DocxError::Repack(e.to_string()))?;
    Ok(paragraph_texts(&xml))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn paragraph_texts(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut in_text = false;
    let mut rest = xml;
    while let Some(pos) = rest.find('<') {
        if in_text && let Some(c) = cur.as_mut() {
            c.push_str(&unescape(&rest[..pos]));
        }
        rest = &rest[pos..];
        let end = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        let name = tag
            .trim_start_matches('<')
            .split([' ', '>', '/'])
            .next()
            .unwrap_or("");
        let closing = tag.starts_with("</");
        let self_closing = tag.ends_with("/>");
        match (name, closing) {
            ("w:p", false) if !self_closing => cur = Some(String::new()),
            ("", true) if tag == "</w:p>" => {
                if let Some(t) = cur.take()
                    && !t.is_empty()
                {
                    out.push(t);
                }
            }
            ("w:t", false) => in_text = !self_closing,
            ("w:tab", false) if !tag.contains("w:val") => {
                if let Some(c) = cur.as_mut() {
                    c.push('\t');
                }
            }
            ("w:br", false) => {
                if let Some(c) = cur.as_mut() {
                    c.push('\n');
                }
            }
            _ => {
                if tag == "</w:t>" {
                    in_text = false;
                } else if tag == "</w:p>"
                    && let Some(t) = cur.take()
                    && !t.is_empty()
                {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// What the DOCX of `doc` must read, paragraph by paragraph: the model's
/// text in reading order, exactly as the PDF template prints it.
pub fn expected_text(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    match &doc.body {
        Body::Order(o) => order_text(&mut out, o, doc.profile.clause_hanging),
        Body::Standalone(s) => {
            push_lines(&mut out, &s.stamp);
            push_lines(&mut out, &s.title);
            blocks_text(&mut out, &s.blocks);
        }
        Body::Bundle(b) => {
            push_lines(&mut out, &b.cover);
            out.push(b.contents_title.clone());
            out.extend(b.entries.iter().map(|e| e.text.clone()));
            for o in &b.orders {
                order_text(&mut out, o, doc.profile.clause_hanging);
            }
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn push_lines(out: &mut Vec<String>, lines: &[String]) {
    if !lines.is_empty() {
        out.push(lines.join("\n"));
    }
}

fn order_text(out: &mut Vec<String>, o: &Order, hanging: bool) {
    let lh = &o.letterhead;
    let heading: Vec<String> = lh
        .parent_lines
        .iter()
        .chain(&lh.body_lines)
        .cloned()
        .collect();
    push_lines(out, &heading);
    out.push(lh.doc_kind.clone());
    out.push(format!("{}\t{}", lh.date, lh.number));
    if let Some(p) = &lh.place {
        out.push(p.clone());
    }
    out.push(o.title.clone());
    out.extend(o.preamble.iter().cloned());
    out.push(o.operative.text.clone());
    fn walk(out: &mut Vec<String>, cs: &[Clause], hanging: bool) {
        for c in cs {
            out.push(clause_text(c, hanging));
            walk(out, &c.children, hanging);
        }
    }
    walk(out, &o.clauses, hanging);
    let s = &o.signature;
    match &s.electronic {
        Some(e) => {
            push_lines(out, &s.position_lines);
            push_lines(out, &e.lines);
            out.push(s.name.clone());
        }
        None => out.push(format!("{}\t{}", s.position_lines.join("\n"), s.name)),
    }
    for v in &o.visas {
        let mut t = format!("{}\t{}\t{}", v.position, v.name, v.date);
        if let Some(r) = &v.remarks {
            t.push('\n');
            t.push_str(r);
        }
        out.push(t);
    }
    if let Some(e) = &o.executor {
        push_lines(out, &e.lines);
    }
    for a in &o.appendices {
        push_lines(out, &a.stamp);
        push_lines(out, &a.title);
        blocks_text(out, &a.blocks);
    }
    if let Some(sheet) = &o.approval_sheet {
        push_lines(out, &sheet.title);
        blocks_text(
            out,
            std::slice::from_ref(&Block::Table(sheet.table.clone())),
        );
    }
}

fn blocks_text(out: &mut Vec<String>, bs: &[Block]) {
    for b in bs {
        match b {
            Block::Heading { text } | Block::Paragraph { text } => out.push(text.clone()),
            Block::List(l) => out.extend(l.items.iter().map(list_item_text)),
            Block::Table(t) => {
                if let Some(c) = &t.caption {
                    out.push(c.clone());
                }
                let ncols = t.widths.len().max(1);
                for r in header_layout(t, ncols) {
                    for slot in r {
                        if let Slot::Cell { cell, .. } = slot {
                            out.push(cell.text.clone());
                        }
                    }
                }
                if t.number_row {
                    out.extend((1..=ncols).map(|i| i.to_string()));
                }
                for r in &t.rows {
                    match r {
                        Row::Section { text, .. } => out.push(text.clone()),
                        Row::Cells { cells, .. } => {
                            for (c, _) in body_cells(cells, ncols) {
                                out.extend(c.paras.iter().map(cell_para_text));
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;

    fn document_xml(bytes: &[u8]) -> String {
        let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut s = String::new();
        zin.by_name("word/document.xml")
            .expect("document.xml")
            .read_to_string(&mut s)
            .expect("read");
        s
    }

    #[test]
    fn two_renders_give_identical_bytes() {
        let doc = sample::order(30);
        let a = render(&doc).expect("docx");
        let _ = render(&sample::order(3)).expect("docx");
        let b = render(&doc).expect("docx");
        assert!(a == b, "DOCX bytes differ between renders");
    }

    #[test]
    fn text_matches_model_paragraph_by_paragraph() {
        let doc = sample::order(5);
        let got = text_of(&render(&doc).expect("docx")).expect("text");
        assert_eq!(got, expected_text(&doc));
    }

    #[test]
    fn header_rows_are_marked_to_repeat() {
        let doc = sample::order(5);
        let xml = document_xml(&render(&doc).expect("docx"));
        // Two grouped header rows and the row of column numbers.
        assert_eq!(xml.matches("<w:tblHeader />").count(), 3);
    }

    #[test]
    fn mark_header_rows_handles_every_trpr_form_and_skips_nested_tables() {
        let xml = "<w:tbl><w:tr><w:trPr /><w:tc><w:tbl><w:tr></w:tr></w:tbl></w:tc></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr></w:tr></w:tbl><w:tbl><w:tr></w:tr></w:tbl>";
        let out = mark_header_rows(xml, &[2, 1]);
        assert_eq!(
            out,
            "<w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc><w:tbl><w:tr></w:tr></w:tbl></w:tc></w:tr><w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr></w:tr><w:tr></w:tr></w:tbl><w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr></w:tr></w:tbl>"
        );
    }

    #[test]
    fn sections_get_header_references_restart_and_title_page_in_schema_order() {
        let xml = "<w:sectPr><w:pgSz /><w:cols /><w:headerReference w:type=\"default\" r:id=\"x\" /><w:titlePg /></w:sectPr>x<w:sectPr><w:pgSz /><w:cols /></w:sectPr>";
        let setup = [
            SectionSetup {
                header_refs: true,
                title_page: true,
                restart: false,
            },
            SectionSetup {
                header_refs: false,
                title_page: true,
                restart: true,
            },
        ];
        assert_eq!(
            set_up_sections(xml, &setup),
            "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader1\" /><w:headerReference w:type=\"first\" r:id=\"rIdHeader2\" /><w:pgSz /><w:cols /><w:titlePg /></w:sectPr>x<w:sectPr><w:pgSz /><w:pgNumType w:start=\"1\" /><w:cols /><w:titlePg /></w:sectPr>"
        );
    }

    #[test]
    fn emblem_is_embedded_with_stable_names() {
        let mut doc = sample::order(1);
        sample::with_emblem(&mut doc);
        let a = render(&doc).expect("docx");
        let b = render(&doc).expect("docx");
        assert!(a == b, "image ids must not depend on earlier renders");
        let zin = zip::ZipArchive::new(Cursor::new(a)).expect("zip");
        assert!(zin.file_names().any(|n| n == "word/media/rIdImage1.png"));
    }

    #[test]
    fn hanging_clauses_put_a_tab_after_the_marker_and_indent_by_level() {
        let mut doc = sample::order(1);
        doc.profile.clause_hanging = true;
        let bytes = render(&doc).expect("docx");
        let got = text_of(&bytes).expect("text");
        assert_eq!(got, expected_text(&doc));
        assert!(
            got.iter()
                .any(|p| p == "3.1.\tОбеспечить разработку планов.")
        );
        let xml = document_xml(&bytes);
        let col = tw(12.5);
        assert!(
            xml.contains(&format!(r#"w:left="{}""#, col * 2)),
            "level-2 indent"
        );
        assert!(
            xml.contains(&format!(r#"w:hanging="{col}""#)),
            "hanging indent"
        );
    }

    fn headers_text(bytes: &[u8]) -> Vec<String> {
        let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut out = Vec::new();
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).expect("entry");
            if f.name().starts_with("word/header") {
                let mut s = String::new();
                f.read_to_string(&mut s).expect("read");
                out.push(s);
            }
        }
        out
    }

    #[test]
    fn drafts_carry_the_draft_mark_on_every_page_and_final_documents_do_not() {
        let mut doc = sample::order(1);
        doc.meta.draft = true;
        let draft = headers_text(&render(&doc).expect("docx"));
        assert_eq!(draft.len(), 2, "first-page and other-page headers");
        assert!(draft.iter().all(|h| h.contains("ПРОЕКТ")));
        doc.meta.draft = false;
        let fin = headers_text(&render(&doc).expect("docx"));
        assert!(fin.iter().all(|h| !h.contains("ПРОЕКТ")));
    }

    #[test]
    fn rows_are_kept_whole_when_asked() {
        let doc = sample::order(4);
        let xml = document_xml(&render(&doc).expect("docx"));
        // Header rows (3), the section row and 4 activity rows.
        assert!(xml.matches("<w:cantSplit />").count() >= 8);
    }

    #[test]
    fn grouped_header_uses_gridspan_and_vmerge() {
        let xml = document_xml(&render(&sample::order(1)).expect("docx"));
        assert!(xml.contains(r#"<w:gridSpan w:val="2" />"#), "no gridSpan");
        assert!(
            xml.contains(r#"<w:vMerge w:val="restart" />"#),
            "no vMerge restart"
        );
        assert_eq!(xml.matches(r#"<w:vMerge w:val="continue" />"#).count(), 3);
    }

    fn hc(text: &str, colspan: u16, rowspan: u16) -> HeaderCell {
        HeaderCell {
            text: text.into(),
            colspan,
            rowspan,
            rotate: false,
        }
    }

    /// A table of `ncols` equal columns with the given header and body rows.
    fn bare_table(ncols: usize, header: Vec<Vec<HeaderCell>>, rows: Vec<Row>) -> Table {
        Table {
            id: None,
            keys: Vec::new(),
            caption: None,
            widths: vec![1.0; ncols],
            header,
            number_row: false,
            rows,
            keep_rows: false,
            align: vec![],
        }
    }

    /// (kind, col, span) of each slot: `c` cell, `v` vMerge continue, `e` empty.
    fn shape(t: &Table, ncols: usize) -> Vec<Vec<(char, usize, usize)>> {
        header_layout(t, ncols)
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|s| match s {
                        Slot::Cell { col, span, .. } => ('c', col, span),
                        Slot::Continue { col, span } => ('v', col, span),
                        Slot::Empty { col } => ('e', col, 1),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn header_cells_under_a_rowspan_move_right_and_continue_the_merge() {
        // | A (3 rows) | B (2 cols)  | C (2 cols, 2 rows) |
        // |            | D    | E    |                    |
        // |            | F    | G (3 cols)                |
        let t = bare_table(
            5,
            vec![
                vec![hc("A", 1, 3), hc("B", 2, 1), hc("C", 2, 2)],
                vec![hc("D", 1, 1), hc("E", 1, 1)],
                vec![hc("F", 1, 1), hc("G", 3, 1)],
            ],
            vec![],
        );
        assert_eq!(
            shape(&t, 5),
            vec![
                vec![('c', 0, 1), ('c', 1, 2), ('c', 3, 2)],
                vec![('v', 0, 1), ('c', 1, 1), ('c', 2, 1), ('v', 3, 2)],
                vec![('v', 0, 1), ('c', 1, 1), ('c', 2, 3)],
            ]
        );
    }

    #[test]
    fn malformed_headers_still_fill_the_grid_exactly() {
        // Row 2 asks for 3 columns across a column still covered from row 1,
        // then runs out of cells; row 3 has more cells than columns.
        let t = bare_table(
            3,
            vec![
                vec![hc("A", 1, 1), hc("B", 1, 2), hc("C", 1, 1)],
                vec![hc("X", 3, 1)],
                vec![hc("P", 9, 1), hc("Q", 1, 1)],
            ],
            vec![],
        );
        assert_eq!(
            shape(&t, 3),
            vec![
                vec![('c', 0, 1), ('c', 1, 1), ('c', 2, 1)],
                vec![('c', 0, 1), ('v', 1, 1), ('e', 2, 1)],
                vec![('c', 0, 3)],
            ]
        );
    }

    #[test]
    fn every_table_row_spans_the_whole_grid_and_text_still_matches() {
        let mut doc = sample::order(1);
        let Body::Order(o) = &mut doc.body else {
            unreachable!("the sample is an order")
        };
        let wide = Cell {
            colspan: 7,
            ..Cell::text("шире таблицы")
        };
        o.appendices[0].blocks = vec![Block::Table(bare_table(
            4,
            vec![
                vec![hc("A", 1, 2), hc("B", 3, 1)],
                vec![
                    hc("C", 1, 1),
                    hc("D", 1, 1),
                    hc("E", 1, 1),
                    hc("лишняя", 1, 1),
                ],
            ],
            vec![
                Row::Cells {
                    id: None,
                    cells: vec![Cell::text("короткая строка")],
                },
                Row::Cells {
                    id: None,
                    cells: vec![Cell::text("1"), wide, Cell::text("за краем")],
                },
            ],
        ))];
        let bytes = render(&doc).expect("docx");
        assert_eq!(text_of(&bytes).expect("text"), expected_text(&doc));
        let xml = document_xml(&bytes);
        let table = &xml[xml.find("<w:tbl>").expect("table")..];
        let table = &table[..table.find("</w:tbl>").expect("end")];
        let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
        assert_eq!(rows.len(), 4);
        for row in rows {
            let cells = row.matches("<w:tc>").count();
            let extra: usize = row
                .split(r#"<w:gridSpan w:val=""#)
                .skip(1)
                .filter_map(|s| s.split('"').next()?.parse::<usize>().ok())
                .map(|n| n - 1)
                .sum();
            assert_eq!(cells + extra, 4, "{row}");
        }
    }

    #[test]
    fn markup_characters_appear_literally() {
        let mut doc = sample::order(1);
        if let Body::Order(o) = &mut doc.body {
            o.title = "Об <опасном> & «хитром» тексте".into();
        }
        let got = text_of(&render(&doc).expect("docx")).expect("text");
        assert!(got.iter().any(|p| p == "Об <опасном> & «хитром» тексте"));
        assert!(got.iter().any(|p| p.contains(sample::MARKUP_TEXT)));
    }

    #[test]
    fn landscape_appendix_is_its_own_landscape_section() {
        let xml = document_xml(&render(&sample::order(1)).expect("docx"));
        assert!(
            xml.contains(r#"w:orient="landscape""#),
            "no landscape section"
        );
        let portrait = format!(r#"<w:pgSz w:w="{}" w:h="{}""#, tw(A4_W_MM), tw(A4_H_MM));
        let landscape = format!(r#"<w:pgSz w:w="{}" w:h="{}""#, tw(A4_H_MM), tw(A4_W_MM));
        assert!(xml.contains(&portrait) && xml.contains(&landscape), "{xml}");
    }

    #[test]
    fn page_numbers_start_on_page_two() {
        let bytes = render(&sample::order(1)).expect("docx");
        let xml = document_xml(&bytes);
        assert!(xml.contains("<w:titlePg />"), "no titlePg");
        let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut with_page = 0;
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).expect("entry");
            if f.name().starts_with("word/header") {
                let mut s = String::new();
                f.read_to_string(&mut s).expect("read");
                if s.contains("PAGE") {
                    with_page += 1;
                }
            }
        }
        assert_eq!(with_page, 1, "one header with the PAGE field");
    }

    fn styles_xml(bytes: &[u8]) -> String {
        let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut s = String::new();
        zin.by_name("word/styles.xml")
            .expect("styles.xml")
            .read_to_string(&mut s)
            .expect("read");
        s
    }

    #[test]
    fn stamp_sits_at_the_right_margin_on_landscape_pages_too() {
        let bytes = render(&sample::order(1)).expect("docx");
        let styles = styles_xml(&bytes);
        let m = sample::profile().margins_mm;
        for (id, page_w) in [(st::STAMP, A4_W_MM), (st::STAMP_LANDSCAPE, A4_H_MM)] {
            let at = styles
                .find(&format!(r#"w:styleId="{id}""#))
                .unwrap_or_else(|| panic!("no style {id}"));
            let left = tw(page_w - m.left - m.right - STAMP_WIDTH_MM);
            let style = &styles[at..at + styles[at..].find("</w:style>").expect("end")];
            assert!(style.contains(&format!(r#"w:left="{left}""#)), "{style}");
        }
        // The sample's appendix is landscape: its stamp uses the landscape style.
        let xml = document_xml(&bytes);
        assert!(xml.contains(&format!(r#"w:val="{}""#, st::STAMP_LANDSCAPE)));
        assert!(!xml.contains(&format!(r#"w:val="{}""#, st::STAMP)));
    }

    #[test]
    fn electronic_signature_mark_sits_between_position_and_name() {
        let mut doc = sample::order(1);
        let Body::Order(o) = &mut doc.body else {
            unreachable!("the sample is an order")
        };
        o.signature.electronic = Some(ElectronicSignature {
            lines: vec![
                "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ".into(),
                "Сертификат 01AB".into(),
                "Владелец Хнычева Д.С.".into(),
            ],
        });
        let bytes = render(&doc).expect("docx");
        let got = text_of(&bytes).expect("text");
        assert_eq!(got, expected_text(&doc));
        let at = got
            .iter()
            .position(|p| p == "И.о. министра")
            .expect("position");
        assert!(got[at + 1].starts_with("ДОКУМЕНТ ПОДПИСАН"));
        assert_eq!(got[at + 2], "Д.С.\u{a0}Хнычева");
        let xml = document_xml(&bytes);
        let table = &xml[xml.find("<w:tbl>").expect("table")..];
        let table = &table[..table.find("</w:tbl>").expect("end")];
        assert_eq!(table.matches("<w:gridCol ").count(), 3, "{table}");
        assert_eq!(
            table
                .matches(&format!(r#"w:sz="{ESIG_RULE_EIGHTHS}""#))
                .count(),
            4,
            "a frame around the mark only: {table}"
        );
    }

    #[test]
    fn table_rules_are_half_a_point_like_the_pdf() {
        let xml = document_xml(&render(&sample::order(1)).expect("docx"));
        let borders = &xml[xml.find("<w:tblBorders>").expect("borders")..];
        let borders = &borders[..borders.find("</w:tblBorders>").expect("end")];
        assert_eq!(borders.matches(r#"w:val="single" w:sz="4""#).count(), 6);
    }

    #[test]
    fn letter_spacing_is_character_spacing_not_spaces() {
        let doc = sample::order(1);
        let xml = document_xml(&render(&doc).expect("docx"));
        let fs = doc.profile.font_size_pt;
        for twips in [
            tracking(DOC_KIND_TRACKING_EM, fs + 2.0),
            tracking(OPERATIVE_TRACKING_EM, fs),
        ] {
            assert!(xml.contains(&format!(r#"<w:spacing w:val="{twips}" />"#)));
        }
        assert!(xml.contains(">ПРИКАЗ<") && xml.contains(">приказываю:<"));
    }

    #[test]
    fn properties_carry_title_author_language_and_the_order_date() {
        let bytes = render(&sample::order(1)).expect("docx");
        let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut core = String::new();
        zin.by_name("docProps/core.xml")
            .expect("core")
            .read_to_string(&mut core)
            .expect("read");
        assert!(core.contains("<dc:title>Об утверждении плана"), "{core}");
        assert!(
            core.contains("<dc:creator>Министерство образования"),
            "{core}"
        );
        assert!(core.contains("2024-10-31T00:00:00Z"), "{core}");
        let mut styles = String::new();
        zin.by_name("word/styles.xml")
            .expect("styles")
            .read_to_string(&mut styles)
            .expect("read");
        assert!(styles.contains(r#"<w:lang w:val="ru-RU""#), "no language");
    }
}
