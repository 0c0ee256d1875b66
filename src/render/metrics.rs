//! Layout measures that both backends draw with, in one place: the typst
//! template reads them as `/metrics.json` (see `templates/default.typ`), the
//! DOCX writer from [`METRICS`]. A measure changed here changes both, so the
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
    /// A table row with fewer characters than this is kept on one page;
    /// a longer one may break rather than overflow the page.
    pub keep_row_max_chars: u32,
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
    keep_row_max_chars: 1800,
};

/// `METRICS` as the template reads it.
pub fn json() -> Vec<u8> {
    // Serialising a struct of numbers cannot fail.
    serde_json::to_vec(&METRICS).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn metrics_reach_the_template_as_the_numbers_written_here() {
        let v: serde_json::Value = serde_json::from_slice(&super::json()).expect("json");
        assert_eq!(v["stamp_width_mm"], 80.0);
        assert_eq!(v["doc_kind_tracking_em"].as_f64(), Some(0.3));
        assert_eq!(v["keep_row_max_chars"], 1800);
    }
}
