//! DOCX backend: docx-rs builds the document from the model; one small
//! post-processing pass ([`finish`](package::finish)) adds what docx-rs has no
//! API for (repeating table headers, document properties, the document
//! language) and re-packs the archive with fixed timestamps so the bytes are
//! reproducible.
//!
//! Wording and numbering come from the model as they are: computed numbers are
//! plain text, never Word auto-numbering, so they stay what the PDF shows even
//! after the file is edited or converted.
//!
//! This file assembles the sections; [`blocks`](mod@blocks) builds the
//! paragraphs of an order and of its appendices, [`tables`] the tables,
//! [`styles`](mod@styles) the styles, fonts and page setup, [`package`] the
//! post-processing pass.

mod blocks;
mod bundle;
mod package;
mod styles;
mod tables;
#[cfg(test)]
mod tests;

use std::io::Cursor;

use docx_rs::{Docx, Header, PageNum, Paragraph, Section, Table as DTable};

use crate::model::*;

pub use crate::model::grid::{Slot, body_cells, header_layout};
pub use blocks::{clause_text, list_item_text};
pub use package::{SectionSetup, mark_header_rows, pack, set_up_sections};
pub use tables::cell_para_text;

use blocks::{blocks, para, stamp_and_title};
use styles::st;

/// Why a document could not be written as DOCX; each variant keeps the
/// underlying error as its source.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// docx-rs or the re-pack could not write the archive.
    #[error("не удалось собрать DOCX: {0}")]
    Pack(#[source] zip::result::ZipError),
    /// The bytes of an entry could not be written into the re-packed archive.
    #[error("не удалось собрать DOCX: {0}")]
    PackWrite(#[source] std::io::Error),
    /// The archive docx-rs wrote could not be read back.
    #[error("не удалось прочитать собранный DOCX: {0}")]
    Repack(#[source] zip::result::ZipError),
    /// An entry of that archive could not be read.
    #[error("не удалось прочитать собранный DOCX: {0}")]
    RepackRead(#[source] std::io::Error),
}

/// Twips (1/20 pt) in a millimetre.
const TWIPS_PER_MM: f32 = 56.692_91;
const A4_W_MM: f32 = 210.0;
const A4_H_MM: f32 = 297.0;

fn tw(mm: f32) -> i32 {
    (mm * TWIPS_PER_MM).round() as i32
}

/// A line width in OOXML border units (eighths of a point).
fn eighths(pt: f32) -> usize {
    (pt * 8.0).round() as usize
}

struct Ctx<'a> {
    prof: &'a Profile,
    draft: bool,
    /// Header-row counts of top-level tables in document order, for
    /// [`finish`](package::finish).
    header_rows: Vec<usize>,
    /// Reviewers' comments numbered so far (ids run through a bundle's
    /// orders; [`package::comments_xml`] numbers them the same way).
    comments: usize,
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

/// Renders a document to DOCX bytes. A bundle's contents get no cached
/// page numbers (Word fills them on its first field update): use
/// [`render_with_pages`] with the PDF's layout for them.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    render_with_pages(doc, &[])
}

/// [`render`], with the printed page on which each order of a bundle
/// starts, in the PDF's layout, as the contents' cached page numbers.
pub fn render_with_pages(doc: &Document, order_pages: &[(u32, u32)]) -> Result<Vec<u8>, DocxError> {
    let prof = &doc.profile;
    let mut ctx = Ctx {
        prof,
        draft: doc.meta.draft,
        header_rows: Vec::new(),
        comments: 0,
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
            let items = bundle::front(b, order_pages, ctx.page(false).text_w as usize);
            let mut parts = vec![Part::portrait(items)];
            for (i, o) in b.orders.iter().enumerate() {
                let mut own = order_parts(&mut ctx, o);
                // The bookmarks the contents' PAGEREFs point to: the order's
                // first and last paragraphs.
                if let Some(Item::P(p)) = own.first_mut().and_then(|f| f.items.first_mut()) {
                    let id = 100 + 2 * i;
                    *p = std::mem::take(p)
                        .add_bookmark_start(id, bundle::bookmark(i, false))
                        .add_bookmark_end(id);
                }
                // The very last paragraph, inside the last cell when the
                // order ends with a table.
                let last = own
                    .last_mut()
                    .and_then(|part| part.items.last_mut())
                    .and_then(|it| match it {
                        Item::P(p) => Some(p),
                        Item::T(t) => bundle::last_paragraph(t),
                    });
                if let Some(p) = last {
                    let id = 101 + 2 * i;
                    *p = std::mem::take(p)
                        .add_bookmark_start(id, bundle::bookmark(i, true))
                        .add_bookmark_end(id);
                }
                parts.extend(own);
            }
            parts
        }
    };
    let (docx, setup) = assemble(&ctx, parts);
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).map_err(DocxError::Pack)?;
    package::finish(buf.into_inner(), doc, &ctx.header_rows, &setup)
}

/// The sections of an order: the order itself, each appendix, the approval
/// sheet.
fn order_parts(ctx: &mut Ctx, o: &Order) -> Vec<Part> {
    let mut parts = vec![Part::portrait(blocks::order(ctx, o))];
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
        items.push(Item::T(tables::table(ctx, &sheet.table, page)));
        parts.push(Part::portrait(items));
    }
    parts
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

fn assemble(ctx: &Ctx, parts: Vec<Part>) -> (Docx, Vec<SectionSetup>) {
    let prof = ctx.prof;
    let mut docx = styles::document(ctx);
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
            docx = ctx.document_geometry(docx, part.landscape);
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
