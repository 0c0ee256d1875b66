//! Column widths that hold their words. The plan's widths are preferences;
//! a column narrower than its longest unbreakable word (a header such as
//! «Ответственный», a name glued by no-break spaces) is widened to it and
//! the others give way in proportion. Measured with the embedded fonts'
//! metrics, so the PDF and the DOCX get the same widths. When the longest
//! words of all columns cannot fit the page together, the table is set
//! smaller (down to 9 pt for 12 pt), and only past that are columns set with
//! Russian hyphenation, one by one until the rest fit.

use crate::model::fonts::text_width;
use crate::model::metrics::cell_padding_pt as cell_pad;
use crate::model::*;

const PT_PER_MM: f32 = 72.0 / 25.4;

/// The smallest share of the profile's table size a table is set in to fit
/// its words (12 pt → 9 pt) before words are hyphenated.
const MIN_SCALE: f32 = 0.75;

/// The text area's width in points for a page of this orientation.
pub(super) fn text_width_pt(p: &Profile, landscape: bool) -> f32 {
    let page = if landscape { 297.0 } else { 210.0 };
    (page - p.margins_mm.left - p.margins_mm.right).max(20.0) * PT_PER_MM
}

/// The text area's height in points for a page of this orientation.
fn text_height_pt(p: &Profile, landscape: bool) -> f32 {
    let page = if landscape { 210.0 } else { 297.0 };
    (page - p.margins_mm.top - p.margins_mm.bottom).max(20.0) * PT_PER_MM
}

/// Fits every table of the document to its page, sets the cells whose
/// words still do not fit smaller (with a warning each), then marks the
/// rows too tall to keep whole.
pub(super) fn fit_document(doc: &mut Document) -> Vec<crate::diag::Diagnostic> {
    let profile = doc.profile.clone();
    let mut tables: Vec<(&mut Table, bool)> = Vec::new();
    fn of_blocks<'a>(bs: &'a mut [Block], landscape: bool, out: &mut Vec<(&'a mut Table, bool)>) {
        for b in bs {
            if let Block::Table(t) = b {
                out.push((t, landscape));
            }
        }
    }
    fn of_order<'a>(o: &'a mut Order, out: &mut Vec<(&'a mut Table, bool)>) {
        for a in &mut o.appendices {
            of_blocks(&mut a.blocks, a.landscape, out);
        }
        if let Some(s) = &mut o.approval_sheet {
            out.push((&mut s.table, false));
        }
    }
    match &mut doc.body {
        Body::Order(o) => of_order(o, &mut tables),
        Body::Standalone(s) => of_blocks(&mut s.blocks, s.landscape, &mut tables),
        Body::Bundle(b) => b.orders.iter_mut().for_each(|o| of_order(o, &mut tables)),
    }
    let mut warnings = Vec::new();
    for (t, landscape) in tables {
        let (w, size) = (
            text_width_pt(&profile, landscape),
            profile.table_font_size_pt,
        );
        fit_table(t, w, size);
        warnings.extend(super::shrink::shrink_cells(t, w, size));
        super::rows::mark_tall(t, w, text_height_pt(&profile, landscape), size, cell_pad());
    }
    warnings
}

/// The pieces of a text no line can break inside: words between spaces,
/// split after a hyphen («организационно-|методической»). No-break spaces
/// glue, as they do in print.
pub(super) fn pieces(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', '\n', '\t', '\u{200b}'])
        .flat_map(|w| w.split_inclusive('-'))
        .flat_map(split_at_word_slashes)
        .filter(|w| !w.is_empty())
}

/// The template lets a line break after a slash between two words of three
/// letters or more («Мероприятие/|направление»), never inside «п/п».
fn split_at_word_slashes(w: &str) -> Vec<&str> {
    let letters = |s: &str, rev: bool| {
        let n = if rev {
            s.chars().rev().take_while(|c| c.is_alphabetic()).count()
        } else {
            s.chars().take_while(|c| c.is_alphabetic()).count()
        };
        n >= 3
    };
    let mut out = Vec::new();
    let mut from = 0;
    for (i, _) in w.match_indices('/') {
        if letters(&w[from..i], true) && letters(&w[i + 1..], false) {
            out.push(&w[from..=i]);
            from = i + 1;
        }
    }
    out.push(&w[from..]);
    out
}

/// The widest piece of `text`, in points.
fn widest(text: &str, size: f32) -> f32 {
    // Measure only the few longest by characters: a 5,000-row table has
    // 100,000 words, and the widest is among the longest.
    let mut ws: Vec<&str> = pieces(text).collect();
    ws.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    ws.iter()
        .take(8)
        .map(|w| text_width(w, size))
        .fold(0.0, f32::max)
}

/// The widest piece of `text` once words may break at their hyphenation
/// points, the hyphen included. As typst does (with the same `hypher`
/// patterns), only runs of letters are hyphenated: «Ответственный2» or a
/// word glued by a no-break space («для управленческих») keeps what is
/// around its syllables attached.
fn widest_hyphenated(text: &str, size: f32) -> f32 {
    pieces(text)
        .map(|p| piece_width(p, size, true))
        .fold(0.0, f32::max)
}

/// The width one unbreakable piece needs: whole, or with `hyphenated` its
/// widest syllable run and the hyphen.
pub(super) fn piece_width(piece: &str, size: f32, hyphenated: bool) -> f32 {
    if !hyphenated {
        return text_width(piece, size);
    }
    let hyphen = text_width("-", size);
    let mut breaks = Vec::new();
    let mut run: Option<usize> = None;
    let end = std::iter::once((piece.len(), ' '));
    for (i, c) in piece.char_indices().chain(end) {
        if i < piece.len() && c.is_alphabetic() {
            run.get_or_insert(i);
            continue;
        }
        let Some(start) = run.take() else { continue };
        let word = &piece[start..i];
        // A run ends a word only where a non-letter follows that is not
        // a digit: «Ответственный2» is one word segment for typst.
        if piece[i..]
            .chars()
            .next()
            .is_some_and(|n| n.is_alphanumeric())
            || piece[..start]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_alphanumeric())
        {
            continue;
        }
        let syllables: Vec<&str> = hypher::hyphenate(word, hypher::Lang::Russian).collect();
        let mut at = start;
        for syl in syllables.iter().take(syllables.len().saturating_sub(1)) {
            at += syl.len();
            breaks.push(at);
        }
    }
    let (mut widest, mut from) = (0.0f32, 0);
    for b in breaks {
        widest = widest.max(text_width(&piece[from..b], size) + hyphen);
        from = b;
    }
    widest.max(text_width(&piece[from..], size))
}

/// The narrowest each column may be: its widest unbreakable piece plus the
/// cell's padding (`METRICS.cell_pad_x_pt` a side, as both backends draw it).
fn minimums(t: &Table, size: f32) -> Vec<f32> {
    column_minimums(t, size, widest)
}

/// [`minimums`] with words broken at their hyphenation points.
fn hyphenated_minimums(t: &Table, size: f32) -> Vec<f32> {
    column_minimums(t, size, widest_hyphenated)
}

fn column_minimums(t: &Table, size: f32, measure: fn(&str, f32) -> f32) -> Vec<f32> {
    let n = t.widths.len();
    let pad = cell_pad();
    let mut min = vec![0.0f32; n];
    let mut note = |col: usize, text: &str, extra: f32| {
        if let Some(m) = min.get_mut(col) {
            *m = m.max(measure(text, size) + extra);
        }
    };
    // Header cells where they land: a second header row under a grouped
    // cell starts right of the cells spanning both rows.
    let mut spanning = Vec::new();
    for row in crate::model::grid::header_layout(t, n) {
        for slot in row {
            if let crate::model::grid::Slot::Cell { cell: h, col, span } = slot
                && !h.rotate
            {
                if span == 1 {
                    note(col, &h.text, 0.0);
                } else {
                    spanning.push((col, span, measure(&h.text, size)));
                }
            }
        }
    }
    for r in &t.rows {
        if let Row::Cells { cells, .. } = r {
            let mut col = 0;
            for c in cells {
                if c.colspan == 1 {
                    for p in &c.paras {
                        // A list item hangs its text 0.9 em after the marker.
                        let hang = if p.marker.is_some() {
                            0.9 * size + 4.0
                        } else {
                            0.0
                        };
                        note(col, &p.text, hang);
                    }
                }
                col += usize::from(c.colspan.max(1));
            }
        }
    }
    let mut min: Vec<f32> = min
        .iter()
        .map(|m| if *m > 0.0 { m + pad } else { 0.0 })
        .collect();
    // A grouped header's longest word fits the columns it spans together:
    // they are widened alike when it does not.
    for (col, span, need) in spanning {
        let end = (col + span).min(n);
        let have: f32 = min[col..end].iter().sum();
        let need = need + pad;
        if need > have && end > col {
            let more = (need - have) / (end - col) as f32;
            min[col..end].iter_mut().for_each(|m| *m += more);
        }
    }
    min
}

/// Widens the columns narrower than their minimum, taking the width from the
/// others in proportion to their preferred widths; sets the table smaller,
/// or marks columns for hyphenation, when the minimums alone exceed the
/// text width.
fn fit_table(t: &mut Table, avail: f32, size: f32) {
    let n = t.widths.len();
    let total: f32 = t.widths.iter().sum();
    if n == 0 || total <= 0.0 || !total.is_finite() {
        return;
    }
    let mut min = minimums(t, size);
    let pref: Vec<f32> = t.widths.iter().map(|w| w / total * avail).collect();
    let pad = cell_pad();
    let need: f32 = min.iter().sum();
    if need > avail {
        // Too wide together at full size: set the whole table smaller, as a
        // clerk would in Word, down to three quarters of the size; what
        // still does not fit is hyphenated, column by column, starting with
        // the one whose words most exceed the width the plan gave it.
        let text: f32 = min.iter().filter(|m| **m > 0.0).map(|m| m - pad).sum();
        let pads = need - text;
        let scale = ((avail - pads) / text).clamp(MIN_SCALE, 1.0);
        t.font_scale = (scale * 100.0).floor() / 100.0;
        for m in &mut min {
            if *m > 0.0 {
                *m = pad + (*m - pad) * t.font_scale;
            }
        }
        let hmin = hyphenated_minimums(t, size * t.font_scale);
        let mut hyphenate = vec![false; n];
        while min.iter().sum::<f32>() > avail {
            let over = |i: usize| min[i] / pref[i].max(1.0);
            let pick = (0..n)
                .filter(|&i| !hyphenate[i] && min[i] > 2.0 * pad)
                .max_by(|&a, &b| over(a).total_cmp(&over(b)));
            let Some(i) = pick else { break };
            hyphenate[i] = true;
            min[i] = hmin[i].min(min[i]);
        }
        if hyphenate.contains(&true) {
            t.hyphenate = hyphenate;
        }
    }
    if pref.iter().zip(&min).all(|(p, m)| p >= m) {
        return;
    }
    // Water-filling: pin the columns below their minimum, share what is left
    // among the rest by preference, repeat until none falls below.
    let mut pinned = vec![false; n];
    let mut w = pref.clone();
    for _ in 0..n {
        let fixed: f32 = (0..n).filter(|&i| pinned[i]).map(|i| min[i]).sum();
        let free_pref: f32 = (0..n).filter(|&i| !pinned[i]).map(|i| pref[i]).sum();
        let left = avail - fixed;
        let mut changed = false;
        for i in 0..n {
            w[i] = if pinned[i] {
                min[i]
            } else if free_pref > 0.0 {
                pref[i] / free_pref * left
            } else {
                0.0
            };
            if !pinned[i] && w[i] < min[i] {
                pinned[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Keep the plan's scale: widths stay relative, summing as before.
    t.widths = w.iter().map(|x| x / avail * total).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(widths: Vec<f32>, header: &[&str], row: &[&str]) -> Table {
        let mut t = Table::grid(
            widths.len(),
            vec![
                header
                    .iter()
                    .map(|h| HeaderCell::plain(h.to_string()))
                    .collect(),
            ],
            vec![Row::Cells {
                id: None,
                cells: row.iter().map(|c| Cell::text(c.to_string())).collect(),
            }],
        );
        t.widths = widths;
        t
    }

    #[test]
    fn a_column_too_narrow_for_its_header_is_widened_and_the_others_give_way() {
        let mut t = table(
            vec![1.0, 8.0, 1.0],
            &["№", "Мероприятие", "Ответственный"],
            &["1", "Совещание", "ОМСУ"],
        );
        fit_table(&mut t, 480.0, 12.0);
        let w = &t.widths;
        assert!((w.iter().sum::<f32>() - 10.0).abs() < 1e-3, "{w:?}");
        let need = text_width("Ответственный", 12.0);
        assert!(w[2] / 10.0 * 480.0 >= need, "{w:?} < {need}");
        assert!(w[1] > w[2], "{w:?}");
        assert!(t.hyphenate.is_empty());
    }

    #[test]
    fn widths_that_hold_their_words_are_left_as_the_plan_gave_them() {
        let mut t = table(vec![1.0, 3.0], &["№", "Мероприятие"], &["1", "Совещание"]);
        fit_table(&mut t, 480.0, 12.0);
        assert_eq!(t.widths, vec![1.0, 3.0]);
    }

    #[test]
    fn words_a_little_too_long_together_set_the_table_smaller_without_hyphenation() {
        let mut t = table(
            vec![1.0; 5],
            &[
                "Ответственный",
                "Мероприятие",
                "Исполнитель",
                "Срок",
                "Примечание",
            ],
            &["1", "Совещание", "ОМСУ", "Ноябрь", "—"],
        );
        let need: f32 = minimums(&t, 12.0).iter().sum();
        fit_table(&mut t, need * 0.9, 12.0);
        assert!(t.hyphenate.is_empty(), "{:?}", t.hyphenate);
        assert!(
            t.font_scale < 0.95 && t.font_scale >= 0.85,
            "{}",
            t.font_scale
        );
        // At that size every column holds its longest word.
        let sum: f32 = t.widths.iter().sum();
        for (i, w) in [
            "Ответственный",
            "Мероприятие",
            "Исполнитель",
            "Срок",
            "Примечание",
        ]
        .iter()
        .enumerate()
        {
            let col = t.widths[i] / sum * need * 0.9;
            assert!(
                col >= text_width(w, 12.0 * t.font_scale),
                "{i}: {:?}",
                t.widths
            );
        }
    }

    #[test]
    fn words_too_long_for_the_page_even_smaller_hyphenate_the_widest_columns_only() {
        let long = "Превысокомногорассмотрительствующий";
        let mut t = table(
            vec![1.0; 4],
            &["№", long, "Срок", long],
            &["1", "Совещание", "Ноябрь", "ОМСУ"],
        );
        fit_table(&mut t, 330.0, 12.0);
        assert_eq!(t.font_scale, MIN_SCALE);
        // Both long columns are over their share; one is hyphenated, the
        // other keeps its word whole, and «Срок» holds «Ноябрь».
        assert_eq!(
            t.hyphenate.iter().filter(|h| **h).count(),
            1,
            "{:?}",
            t.hyphenate
        );
        let col = |i: usize| t.widths[i] / t.widths.iter().sum::<f32>() * 330.0;
        assert!(col(2) >= text_width("Ноябрь", 9.0), "{:?}", t.widths);
        let whole = if t.hyphenate[1] { 3 } else { 1 };
        assert!(col(whole) >= text_width(long, 9.0), "{:?}", t.widths);
    }

    #[test]
    fn hyphenated_words_need_only_their_widest_syllables() {
        let whole = widest("Ответственный", 12.0);
        let hyph = widest_hyphenated("Ответственный", 12.0);
        assert!(hyph < whole * 0.7, "{hyph} vs {whole}");
        assert!(hyph >= text_width("ствен-", 12.0) - 0.01, "{hyph}");
        // A word typst would not hyphenate (letters next to digits) stays whole.
        let glued = widest_hyphenated("Ответственный2", 12.0);
        assert!(
            (glued - widest("Ответственный2", 12.0)).abs() < 0.01,
            "{glued}"
        );
    }

    #[test]
    fn no_break_spaces_glue_and_hyphens_break() {
        assert_eq!(
            pieces("ГАУ\u{a0}ДПО СОИРО организационно-методической Мероприятие/направление")
                .collect::<Vec<_>>(),
            [
                "ГАУ\u{a0}ДПО",
                "СОИРО",
                "организационно-",
                "методической",
                "Мероприятие/",
                "направление"
            ]
        );
    }

    #[test]
    fn a_line_breaks_after_a_slash_between_words_but_never_inside_p_p() {
        let got: Vec<&str> = pieces("№ п/п Мероприятие/направление 1/2").collect();
        assert_eq!(got, vec!["№", "п/п", "Мероприятие/", "направление", "1/2"]);
    }
}
