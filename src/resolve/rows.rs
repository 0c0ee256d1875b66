//! Rows too tall to keep whole. A kept row that does not fit the rest of a
//! page moves to the next one and leaves the space empty; for a row of a few
//! lines that is what a clerk wants, for a row a third of a page high it
//! leaves half a page blank. Heights are estimated from the fitted column
//! widths and the embedded font's metrics, so both backends break the same
//! rows.

use crate::model::fonts::{vertical, wrapped_lines as lines};
use crate::model::metrics::METRICS;
use crate::model::*;

/// A row taller than this share of the text area may break across pages.
const TALL_SHARE: f32 = 1.0 / 3.0;

/// The hanging indent of a dash item in a cell (both backends: 3 mm).
const DASH_INDENT_PT: f32 = 3.0 * 72.0 / 25.4;

/// The estimated height in points of a row of cells.
fn row_height(cells: &[Cell], col_widths: &[f32], size: f32, pad: f32) -> f32 {
    let pitch = vertical().single_pitch_em() * size;
    let mut col = 0;
    let mut tallest = 0usize;
    for c in cells {
        let span = usize::from(c.colspan.max(1));
        let width: f32 = col_widths.iter().skip(col).take(span).sum::<f32>() - pad;
        col += span;
        let n: usize = c
            .paras
            .iter()
            .map(|p| match &p.marker {
                Some(m) => lines(&format!("{m} {}", p.text), width - DASH_INDENT_PT, size),
                None => lines(&p.text, width, size),
            })
            .sum();
        tallest = tallest.max(n);
    }
    tallest as f32 * pitch + 2.0 * METRICS.cell_pad_y_pt
}

/// Marks in `t.tall_rows` the rows estimated taller than a third of a page
/// `page_h` points high, for a table `avail` points wide set at `size`.
pub(super) fn mark_tall(t: &mut Table, avail: f32, page_h: f32, size: f32, pad: f32) {
    let total: f32 = t.widths.iter().sum();
    if !t.keep_rows || total <= 0.0 || !total.is_finite() {
        return;
    }
    let size = size * t.font_scale.clamp(0.1, 1.0);
    let widths: Vec<f32> = t.widths.iter().map(|w| w / total * avail).collect();
    let limit = page_h * TALL_SHARE;
    let tall: Vec<bool> = t
        .rows
        .iter()
        .map(|r| match r {
            Row::Cells { cells, .. } => row_height(cells, &widths, size, pad) > limit,
            Row::Section { .. } => false,
        })
        .collect();
    if tall.contains(&true) {
        t.tall_rows = tall;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fonts::text_width;

    fn table(texts: &[&str]) -> Table {
        let rows = texts
            .iter()
            .map(|x| Row::Cells {
                id: None,
                cells: vec![Cell::text("1"), Cell::text(x.to_string())],
            })
            .collect();
        let mut t = Table::grid(2, vec![], rows);
        t.widths = vec![1.0, 4.0];
        t.keep_rows = true;
        t
    }

    #[test]
    fn a_row_of_a_few_lines_is_kept_and_a_row_of_half_a_page_may_break() {
        let long = "Мероприятие по сопровождению школ с низкими результатами ".repeat(40);
        let mut t = table(&["Совещание с руководителями", &long]);
        // A4 portrait with 20 mm margins, 12 pt text.
        mark_tall(&mut t, 482.0, 728.0, 12.0, 8.0);
        assert_eq!(t.tall_rows, vec![false, true]);
    }

    #[test]
    fn no_row_is_marked_when_all_are_short() {
        let mut t = table(&["Совещание", "Семинар"]);
        mark_tall(&mut t, 482.0, 728.0, 12.0, 8.0);
        assert!(t.tall_rows.is_empty());
    }

    #[test]
    fn lines_wrap_at_spaces_and_count_typed_line_breaks() {
        let one = text_width("слово", 12.0);
        assert_eq!(lines("слово", one + 1.0, 12.0), 1);
        assert_eq!(lines("слово слово", one + 1.0, 12.0), 2);
        assert_eq!(lines("слово\nслово", 500.0, 12.0), 2);
    }
}
