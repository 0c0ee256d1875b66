//! The last resort of the fitting: a word no column width can hold, even
//! hyphenated and with the table set smaller (a long e-mail address, a
//! code of digits, a compound typed without spaces), would cross the
//! table's rule. The cell it is in is set smaller until the word fits, and
//! a warning names the row, so the clerk can break the word or widen the
//! column; both backends read the cell's size.

use super::fit::{piece_width, pieces};
use crate::diag::{Code, Diagnostic};
use crate::model::grid::{Slot, header_layout};
use crate::model::metrics::cell_padding_pt as cell_pad;
use crate::model::*;

/// No cell is set smaller than this, in points: below it the text cannot
/// be read in print, and the warning stands anyway.
const MIN_CELL_PT: f32 = 6.0;

/// Sets the cells whose words are wider than their columns (as fitted to
/// `avail` points) smaller, and returns a warning for each.
pub(super) fn shrink_cells(t: &mut Table, avail: f32, size: f32) -> Vec<Diagnostic> {
    let n = t.widths.len();
    let total: f32 = t.widths.iter().sum();
    if n == 0 || total <= 0.0 || !total.is_finite() {
        return Vec::new();
    }
    let size = size * t.font_scale.clamp(0.1, 1.0);
    // The widths each backend draws: the plan's shares of the text width.
    let width: Vec<f32> = t.widths.iter().map(|w| w / total * avail).collect();
    let hyph = |col: usize| t.hyphenate.get(col).copied().unwrap_or(false);
    let mut found = Vec::new();
    for (ri, row) in t.rows.iter_mut().enumerate() {
        let Row::Cells { cells, .. } = row else {
            continue;
        };
        let mut col = 0;
        for cell in cells.iter_mut() {
            let span = usize::from(cell.colspan.max(1));
            let end = (col + span).min(n);
            let room = width[col.min(n)..end].iter().sum::<f32>() - cell_pad();
            let hyphenated = (col..end).all(hyph);
            // The smallest share of the size at which every word fits.
            let mut worst: Option<(f32, &str)> = None;
            for p in &cell.paras {
                let hang = if p.marker.is_some() {
                    0.9 * size + 4.0
                } else {
                    0.0
                };
                // The warning names the whole word, not the piece of it
                // between hyphens that is too wide.
                for word in p.text.split([' ', '\n', '\t', '\u{200b}']) {
                    for piece in pieces(word) {
                        let need = piece_width(piece, size, hyphenated);
                        // Slack of a quarter point (widths are rounded to
                        // twips in the DOCX, to hundredths in typst) and 2 %
                        // for kerning, which only narrows and which the
                        // measure leaves out.
                        if need + hang > room + 0.25 + 0.02 * need && need > 0.0 {
                            let share = ((room - hang) / need).max(0.0);
                            if worst.is_none_or(|(s, _)| share < s) {
                                worst = Some((share, word));
                            }
                        }
                    }
                }
            }
            if let Some((share, word)) = worst {
                // Half points, as Word stores a size: PDF and DOCX alike.
                let pt = ((size * share * 2.0).floor() / 2.0).clamp(MIN_CELL_PT, size);
                // At 6 pt or more the word fits; below, it still crosses.
                let fits = size * share >= MIN_CELL_PT;
                found.push((ri, col, word.replace('\u{a0}', " "), pt, fits, hyphenated));
                cell.size_pt = Some(pt);
            }
            col = end;
            if col >= n {
                break;
            }
        }
    }
    found
        .into_iter()
        .map(|(ri, col, word, pt, fits, hyphenated)| {
            let title = column_title(t, col);
            let even = if hyphenated { " даже с переносами" } else { "" };
            let message = if fits {
                format!(
                    "слово «{word}» не помещается в графу «{title}»{even}: ячейка набрана кеглем {} пт вместо {}",
                    points(pt),
                    points(size)
                )
            } else {
                format!(
                    "слово «{word}» не помещается в графу «{title}» даже кеглем {} пт: оно выйдет за линию таблицы",
                    points(MIN_CELL_PT)
                )
            };
            Diagnostic::warning(Code::CellTextShrunk, message)
                .at_opt(t.places.rows.get(ri).copied().flatten().or(t.places.table))
                .hint("разделите слово пробелом или дефисом, сократите его или расширьте графу (`width`)")
        })
        .collect()
}

/// «10,5» for 10.5 points, as a Russian reader writes a size.
fn points(pt: f32) -> String {
    let s = format!("{:.1}", pt);
    s.trim_end_matches(".0").replace('.', ",")
}

/// The header text over column `col` (the lowest cell spanning it alone),
/// or its number.
fn column_title(t: &Table, col: usize) -> String {
    let mut title = None;
    for row in header_layout(t, t.widths.len()) {
        for slot in row {
            if let Slot::Cell { cell, col: c, span } = slot
                && c <= col
                && col < c + span
            {
                title = Some(cell.text.replace(['\n', '\u{a0}'], " "));
            }
        }
    }
    title
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| format!("{}", col + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(widths: Vec<f32>, row: &[&str]) -> Table {
        let mut t = Table::grid(
            widths.len(),
            vec![vec![
                HeaderCell::plain("№"),
                HeaderCell::plain("Ответственный"),
            ]],
            vec![Row::Cells {
                id: None,
                cells: row.iter().map(|c| Cell::text(c.to_string())).collect(),
            }],
        );
        t.widths = widths;
        t
    }

    #[test]
    fn a_word_wider_than_its_column_sets_only_its_cell_smaller_and_names_the_column() {
        let mail = "metodicheskiy.otdel.obrazovaniya@admin-obninsk.ru";
        let mut t = table(vec![1.0, 1.0], &["1", mail]);
        let d = shrink_cells(&mut t, 240.0, 12.0);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("«Ответственный»"), "{}", d[0].message);
        assert!(d[0].message.contains(mail), "{}", d[0].message);
        let Row::Cells { cells, .. } = &t.rows[0] else {
            panic!("a row of cells")
        };
        assert_eq!(cells[0].size_pt, None, "the number's cell keeps its size");
        let pt = cells[1].size_pt.expect("the address's cell is smaller");
        assert!((MIN_CELL_PT..12.0).contains(&pt), "{pt}");
        assert!(
            crate::model::fonts::text_width(mail, pt) <= 120.0 - cell_pad() + 0.25
                || pt == MIN_CELL_PT,
            "{pt}"
        );
        assert_eq!(pt * 2.0, (pt * 2.0).floor(), "half points: {pt}");
    }

    #[test]
    fn words_that_fit_leave_every_cell_at_the_table_size() {
        let mut t = table(vec![1.0, 4.0], &["1", "Отдел образования"]);
        assert!(shrink_cells(&mut t, 240.0, 12.0).is_empty());
        let Row::Cells { cells, .. } = &t.rows[0] else {
            panic!("a row of cells")
        };
        assert!(cells.iter().all(|c| c.size_pt.is_none()));
    }

    #[test]
    fn sizes_are_written_the_russian_way() {
        assert_eq!(points(10.5), "10,5");
        assert_eq!(points(9.0), "9");
    }
}
