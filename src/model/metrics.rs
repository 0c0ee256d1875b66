//! Layout measures that both backends draw with, in one place: the typst
//! template reads them as `/metrics.json` (see `templates/default.typ`), the
//! DOCX writer and the column fitting (`resolve::fit`) from [`METRICS`]. A measure changed here changes both, so the
//! PDF and the DOCX of an order keep the same shape.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    /// Width of an appendix stamp or grif block at the right margin (ГОСТ
    /// practice: about 8 cm).
    pub stamp_width_mm: f32,
    /// Width of the frame of the electronic-signature stamp.
    pub esign_width_mm: f32,
    /// Line width of that frame.
    pub esign_rule_pt: f32,
    /// Line width of table rules.
    pub table_rule_pt: f32,
    /// Letter-spacing of the document kind («П Р И К А З») when spaced.
    pub doc_kind_tracking_em: f32,
    /// Letter-spacing of a spaced operative word («п р и к а з ы в а ю»).
    pub operative_tracking_em: f32,
    /// How much larger than the body text the document kind is set.
    pub doc_kind_size_step_pt: f32,
    /// Gap above and below the document kind on the letterhead, in ems of
    /// the body text.
    pub doc_kind_gap_em: f32,
    /// Gap below the emblem, in ems of the body text.
    pub emblem_gap_em: f32,
    /// Space between a table cell's text and its left and right rules.
    pub cell_pad_x_pt: f32,
    /// Space between a table cell's text and its top and bottom rules.
    pub cell_pad_y_pt: f32,
}

pub const METRICS: Metrics = Metrics {
    stamp_width_mm: 80.0,
    esign_width_mm: 70.0,
    esign_rule_pt: 0.75,
    table_rule_pt: 0.5,
    doc_kind_tracking_em: 0.3,
    operative_tracking_em: 0.35,
    doc_kind_size_step_pt: 2.0,
    doc_kind_gap_em: 1.2,
    emblem_gap_em: 0.3,
    cell_pad_x_pt: 3.5,
    cell_pad_y_pt: 1.5,
};

/// What a table cell adds to its text's width, in points: the padding on
/// both sides and a point for the rules (column fitting and DOCX header
/// heights measure with it).
pub fn cell_padding_pt() -> f32 {
    2.0 * METRICS.cell_pad_x_pt + 1.0
}

/// Twentieths of a point, the unit of DOCX measures.
pub fn twips(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

#[derive(Serialize)]
struct ForTemplate {
    #[serde(flatten)]
    metrics: Metrics,
    /// The font's line measures: the PDF sets lines at the pitch Word's
    /// single spacing gives the same font.
    line: crate::model::fonts::Vertical,
}

/// `METRICS` and the font's line measures, as the template reads them.
pub fn json() -> Vec<u8> {
    let v = ForTemplate {
        metrics: METRICS,
        line: crate::model::fonts::vertical(),
    };
    // Serialising a struct of numbers cannot fail.
    serde_json::to_vec(&v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn metrics_reach_the_template_as_the_numbers_written_here() {
        let v: serde_json::Value = serde_json::from_slice(&super::json()).expect("json");
        assert_eq!(v["stamp_width_mm"], 80.0);
        assert_eq!(v["doc_kind_tracking_em"].as_f64(), Some(0.3));
        assert_eq!(v["cell_pad_y_pt"].as_f64(), Some(1.5));
        let pitch = v["line"]["ascent_em"].as_f64().unwrap_or(0.0)
            + v["line"]["descent_em"].as_f64().unwrap_or(0.0)
            + v["line"]["line_gap_em"].as_f64().unwrap_or(0.0);
        // Word's single spacing for Times New Roman: 1.15 em.
        assert!((pitch - 1.149).abs() < 0.002, "{pitch}");
    }
}
