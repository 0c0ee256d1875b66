//! Tables: the column grid, header rows (grouped cells as `gridSpan` and
//! `vMerge`, repeated through `tblHeader`), body rows and the rules.

use docx_rs::{
    BreakType, Paragraph, Run, Table as DTable, TableBorder, TableBorderPosition, TableBorders,
    TableCell, TableRow, TextDirectionType, VMergeType, WidthType,
};

use super::Ctx;
use super::blocks::para;
use super::eighths;
use super::styles::{Page, align_of, st};
use crate::model::grid::{Slot, body_cells, header_layout};
use crate::model::metrics::{METRICS, twips};
use crate::model::*;

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

/// The printed text of a cell paragraph: a dash item is `– text`.
pub fn cell_para_text(p: &Para) -> String {
    match &p.marker {
        Some(m) => format!("{m}\u{a0}{}", p.text),
        None => p.text.clone(),
    }
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

/// A one-run paragraph set bold or italic.
fn emphasised(p: Paragraph, e: Emphasis) -> Paragraph {
    if e == Emphasis::Plain {
        return p;
    }
    let mut p = p;
    for child in &mut p.children {
        if let docx_rs::ParagraphChild::Run(r) = child {
            let run = std::mem::take(r.as_mut());
            **r = match e {
                Emphasis::Bold => run.bold(),
                Emphasis::Italic => run.italic(),
                Emphasis::Plain => run,
            };
        }
    }
    p
}

/// The least height in points of each header row, so that a cell spanning
/// several rows has room for its text: LibreOffice does not grow merged rows
/// to their content and lets the text run over the row below. 0 for rows
/// with no spanning cell (they grow on their own).
fn header_heights(ctx: &Ctx, t: &Table, layout: &[Vec<Slot<'_>>], grid: &[usize]) -> Vec<f32> {
    let size = ctx.prof.table_font_size_pt * t.font_scale.clamp(0.1, 1.0);
    let pitch = crate::model::fonts::vertical().single_pitch_em() * size;
    let pad = crate::model::metrics::cell_padding_pt();
    let height = |h: &HeaderCell, col: usize, span: usize| {
        let width = span_width(grid, col, span) as f32 / 20.0 - pad;
        let n = crate::model::fonts::wrapped_lines(&h.text, width, size);
        n as f32 * pitch + 2.0 * METRICS.cell_pad_y_pt
    };
    let mut own = vec![0.0f32; layout.len()];
    for (r, slots) in layout.iter().enumerate() {
        for slot in slots {
            if let Slot::Cell { cell, col, span } = *slot
                && cell.rowspan <= 1
                && !cell.rotate
            {
                own[r] = own[r].max(height(cell, col, span));
            }
        }
    }
    let mut least = vec![0.0f32; layout.len()];
    for (r, slots) in layout.iter().enumerate() {
        for slot in slots {
            if let Slot::Cell { cell, col, span } = *slot
                && cell.rowspan > 1
                && !cell.rotate
            {
                let last = (r + usize::from(cell.rowspan) - 1).min(layout.len() - 1);
                let have: f32 = own[r..=last].iter().sum();
                let need = height(cell, col, span);
                if need > have {
                    least[last] = least[last].max(own[last] + need - have);
                }
            }
        }
    }
    least
}

pub(super) fn table(ctx: &mut Ctx, t: &Table, page: Page) -> DTable {
    let grid = grid(t, page);
    let ncols = grid.len();
    let mut rows = Vec::new();
    let layout = header_layout(t, ncols);
    // Columns the fitting could hold only with hyphenation (as the PDF).
    let hy = |col: usize| t.hyphenate.get(col).copied().unwrap_or(false);
    let heights = header_heights(ctx, t, &layout, &grid);
    for (slots, height) in layout.into_iter().zip(heights) {
        let cells = slots
            .into_iter()
            .map(|slot| match slot {
                Slot::Cell { cell: h, col, span } => {
                    let mut cell = TableCell::new()
                        .grid_span(span)
                        .width(span_width(&grid, col, span), WidthType::Dxa)
                        .vertical_align(docx_rs::VAlignType::Center)
                        .add_paragraph(emphasised(
                            para(
                                if hy(col) {
                                    st::TABLE_HEADER_HY
                                } else {
                                    st::TABLE_HEADER
                                },
                                &h.text,
                            ),
                            h.emphasis,
                        ));
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
        let mut row = TableRow::new(cells).cant_split();
        if height > 0.0 {
            row = row
                .row_height(height * 20.0)
                .height_rule(docx_rs::HeightRule::AtLeast);
        }
        rows.push(row);
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
    for (i, r) in t.rows.iter().enumerate() {
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
                    .add_paragraph(Paragraph::new().style(st::TABLE_SECTION).add_run(run));
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
                        let style = match (p.marker.is_some(), hy(col)) {
                            (true, false) => st::TABLE_DASH,
                            (true, true) => st::TABLE_DASH_HY,
                            (false, false) => st::TABLE_TEXT,
                            (false, true) => st::TABLE_TEXT_HY,
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
                    if let Some(pt) = c.size_pt {
                        size_paragraphs(&mut cell, (pt * 2.0).round().max(2.0) as usize, true);
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
                // Rows a third of a page tall may break (`resolve::rows`).
                if t.keep_rows && !t.tall_rows.get(i).copied().unwrap_or(false) {
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
        b.set(TableBorder::new(pos).size(eighths(METRICS.table_rule_pt)))
    });
    let table = DTable::new(rows)
        .set_borders(rules)
        .set_grid(grid.clone())
        .width(grid.iter().sum(), WidthType::Dxa)
        .layout(docx_rs::TableLayoutType::Fixed)
        .margins({
            let (y, x) = (
                twips(METRICS.cell_pad_y_pt) as usize,
                twips(METRICS.cell_pad_x_pt) as usize,
            );
            docx_rs::TableCellMargins::new().margin(y, x, y, x)
        });
    if t.font_scale < 1.0 && t.font_scale > 0.0 {
        let hp = (ctx.prof.table_font_size_pt * t.font_scale * 2.0)
            .round()
            .max(2.0) as usize;
        sized(table, hp)
    } else {
        table
    }
}

/// The table set at `half_points`: every run and paragraph mark of its
/// cells, as the PDF sets the whole table at `font_scale` of its size.
/// Cells with a size of their own keep it.
fn sized(mut table: DTable, half_points: usize) -> DTable {
    use docx_rs::{TableChild, TableRowChild};
    for TableChild::TableRow(row) in &mut table.rows {
        for TableRowChild::TableCell(cell) in &mut row.cells {
            size_paragraphs(cell, half_points, false);
        }
    }
    table
}

/// Sets the runs and paragraph marks of `cell` at `half_points`; with
/// `own`, the cell's own size (`Cell::size_pt`), which a table-wide size
/// set afterwards leaves alone.
fn size_paragraphs(cell: &mut TableCell, half_points: usize, own: bool) {
    use docx_rs::{ParagraphChild, TableCellContent};
    for content in &mut cell.children {
        if let TableCellContent::Paragraph(p) = content {
            if !own && p.property.run_property.sz.is_some() {
                continue;
            }
            for child in &mut p.children {
                if let ParagraphChild::Run(r) = child {
                    **r = std::mem::take(&mut **r).size(half_points);
                }
            }
            **p = std::mem::take(&mut **p).size(half_points);
        }
    }
}
