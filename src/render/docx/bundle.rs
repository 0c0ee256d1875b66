//! A bundle's cover and contents. Each contents line ends in a PAGEREF field
//! to a bookmark at the start of its order, so Word keeps the numbers right
//! after any edit; the field's cached result is the page the PDF's layout
//! gave (`render::pdf::order_start_pages`), so Word and LibreOffice show the
//! same numbers as the PDF before any update.

use docx_rs::{
    BreakType, FieldCharType, InstrPAGEREF, InstrText, Paragraph, Run, Tab, TabValueType, Table,
    TableCellContent, TableChild, TableRowChild,
};

use super::Item;
use super::blocks::para;
use super::styles::st;
use crate::model::Bundle;

/// The bookmark at the start (or the end) of the `i`-th order of a bundle.
pub(super) fn bookmark(i: usize, end: bool) -> String {
    format!("_prikaz_order_{}{}", i + 1, if end { "_end" } else { "" })
}

/// The last paragraph of a table's last cell: where an order ending in a
/// table ends.
pub(super) fn last_paragraph(t: &mut Table) -> Option<&mut Paragraph> {
    let TableChild::TableRow(row) = t.rows.last_mut()?;
    let TableRowChild::TableCell(cell) = row.cells.last_mut()?;
    cell.children.iter_mut().rev().find_map(|c| match c {
        TableCellContent::Paragraph(p) => Some(p.as_mut()),
        _ => None,
    })
}

/// The runs of a PAGEREF field to `mark` showing `cached` until updated.
fn page_ref(mut p: Paragraph, mark: String, cached: String) -> Paragraph {
    p = p
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::PAGEREF(InstrPAGEREF::new(mark).hyperlink())))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text(cached))
        .add_run(Run::new().add_field_char(FieldCharType::End, false));
    p
}

/// The cover: its first `cover_bold` lines bold, the rest plain.
fn cover(b: &Bundle) -> Paragraph {
    let mut p = Paragraph::new().style(st::COVER);
    for (i, line) in b.cover.iter().enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
        if i < b.cover_bold {
            run = run.bold();
        }
        p = p.add_run(run);
    }
    p
}

/// Cover, contents title, the page column's label and one line per order,
/// its page number right-aligned at `text_width` twips.
pub(super) fn front(b: &Bundle, pages: &[(u32, u32)], text_width: usize) -> Vec<Item> {
    let mut items = vec![Item::P(cover(b))];
    // The contents start on a page of their own.
    items.push(Item::P(
        para(st::HEADING, &b.contents_title).page_break_before(true),
    ));
    items.push(Item::P(para(st::CONTENTS_LABEL, &b.page_label)));
    for (i, e) in b.entries.iter().enumerate() {
        let (from, to) = pages.get(i).copied().unwrap_or((0, 0));
        let shown = |n: u32| if n > 0 { n.to_string() } else { String::new() };
        let mut p = Paragraph::new()
            .style(st::CONTENTS)
            .add_tab(Tab::new().val(TabValueType::Right).pos(text_width))
            .add_run(Run::new().add_text(&e.text).add_tab());
        p = page_ref(p, bookmark(i, false), shown(from));
        // «3–9», as the PDF prints an order of several pages.
        if to > from || pages.is_empty() {
            p = p.add_run(Run::new().add_text("–"));
            p = page_ref(p, bookmark(i, true), shown(to));
        }
        items.push(Item::P(p));
    }
    items
}
