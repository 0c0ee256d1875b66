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
use crate::model::*;
use crate::render::metrics::METRICS;

/// A row holding more text than this may break across pages (the PDF
/// template reads the same limit), shorter rows are kept whole.
pub const KEEP_ROW_MAX_CHARS: usize = METRICS.keep_row_max_chars as usize;

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

pub(super) fn table(ctx: &mut Ctx, t: &Table, page: Page) -> DTable {
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
        b.set(TableBorder::new(pos).size(eighths(METRICS.table_rule_pt)))
    });
    let table = DTable::new(rows)
        .set_borders(rules)
        .set_grid(grid.clone())
        .width(grid.iter().sum(), WidthType::Dxa)
        .layout(docx_rs::TableLayoutType::Fixed)
        .margins(docx_rs::TableCellMargins::new().margin(30, 70, 30, 70));
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
fn sized(mut table: DTable, half_points: usize) -> DTable {
    use docx_rs::{ParagraphChild, TableCellContent, TableChild, TableRowChild};
    for TableChild::TableRow(row) in &mut table.rows {
        for TableRowChild::TableCell(cell) in &mut row.cells {
            for content in &mut cell.children {
                if let TableCellContent::Paragraph(p) = content {
                    for child in &mut p.children {
                        if let ParagraphChild::Run(r) = child {
                            **r = std::mem::take(&mut **r).size(half_points);
                        }
                    }
                    **p = std::mem::take(&mut **p).size(half_points);
                }
            }
        }
    }
    table
}
