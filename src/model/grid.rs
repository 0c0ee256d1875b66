//! How a table's cells land on its column grid: header cells skip columns
//! still covered by a rowspan from above, spans are clipped to the grid. The
//! DOCX writer and the column fitting (`resolve::fit`) place cells alike.

use super::{Cell, HeaderCell, Table};

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
