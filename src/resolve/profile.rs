//! The issuer's layout profile and the text style it asks for, with ГОСТ
//! defaults.

use crate::lang::typo::Dash;
use crate::model::*;
use crate::plan::*;

/// Resolve-time choices of the issuer's profile that the model does not carry
/// (they shape text, not layout).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub dash: Dash,
    pub date_words: bool,
    pub operative: OperativeStyle,
    pub stamp: StampKind,
    pub deadline_capitalize: bool,
    /// Deadlines rewritten into the uniform print form, not as typed.
    pub deadline_normalize: bool,
}

/// Layout profile and text style of an issuer, with ГОСТ defaults (gost.md).
pub fn profile(org: Option<&Organisation>) -> (Profile, Style) {
    let spec = org.and_then(|o| o.profile.clone()).unwrap_or_default();
    let f = |v: &Option<Spanned<f32>>, d: f32| v.as_ref().map(|x| *x.get()).unwrap_or(d);
    let b = |v: &Option<Spanned<bool>>, d: bool| v.as_ref().map(|x| *x.get()).unwrap_or(d);
    let margins = spec
        .margins
        .as_ref()
        .map(|m| Margins {
            left: *m.left.get(),
            right: *m.right.get(),
            top: *m.top.get(),
            bottom: *m.bottom.get(),
        })
        .unwrap_or(Margins {
            left: 30.0,
            right: 10.0,
            top: 20.0,
            bottom: 20.0,
        });
    let p = Profile {
        template: spec
            .template
            .as_ref()
            .map(|t| t.get().clone())
            .unwrap_or_else(|| "default".into()),
        margins_mm: margins,
        font_family: spec
            .font_family
            .as_ref()
            .map(|t| t.get().clone())
            .unwrap_or_else(|| "Times New Roman".into()),
        pdf_font_family: "Liberation Serif".into(),
        font_size_pt: f(&spec.font_size, 14.0),
        table_font_size_pt: f(&spec.table_font_size, 12.0),
        small_font_size_pt: 10.0,
        line_spacing: f(&spec.line_spacing, 1.0),
        first_line_indent_mm: f(&spec.first_line_indent, 12.5),
        page_numbers_from: 2,
        appendix_page_restart: b(&spec.appendix_page_restart, false),
        title_bold: b(&spec.title_bold, true),
        title_align: match spec.title_align.as_ref().map(|a| *a.get()) {
            Some(AlignSpec::Left) => Align::Left,
            _ => Align::Center,
        },
        letterhead_bold: b(&spec.letterhead_bold, true),
        clause_hanging: b(&spec.clause_hanging, false),
        hyphenate: b(&spec.hyphenate, false),
        repeat_numbers_only: matches!(
            spec.repeat_header.as_ref().map(|r| *r.get()),
            Some(RepeatHeaderSpec::Numbers)
        ),
    };
    let s = Style {
        dash: match spec.dash.as_ref().map(|d| *d.get()) {
            Some(DashSpec::En) => Dash::En,
            _ => Dash::Em,
        },
        date_words: spec
            .date_style
            .as_ref()
            .is_some_and(|d| *d.get() == DateStyle::Words),
        operative: match spec.operative.as_ref().map(|o| *o.get()) {
            Some(OperativeStyleSpec::Spaced) => OperativeStyle::Spaced,
            _ => OperativeStyle::Line,
        },
        stamp: spec
            .stamp
            .as_ref()
            .map(|s| *s.get())
            .unwrap_or(StampKind::Appendix),
        deadline_capitalize: b(&spec.deadline_capitalize, true),
        deadline_normalize: spec
            .deadline_print
            .as_ref()
            .is_some_and(|d| *d.get() == DeadlinePrint::Normalized),
    };
    (p, s)
}

pub(super) fn doc_kind_spaced(org: Option<&Organisation>) -> bool {
    org.and_then(|o| o.profile.as_ref())
        .and_then(|p| p.doc_kind_spaced.as_ref())
        .map(|v| *v.get())
        .unwrap_or(true)
}

/// The operative word as the issuer prints it («приказываю:»), when its
/// profile gives one.
pub(super) fn operative_text(org: Option<&Organisation>) -> Option<String> {
    org.and_then(|o| o.profile.as_ref())
        .and_then(|p| p.operative_text.as_ref())
        .map(|t| t.get().trim().to_string())
        .filter(|t| !t.is_empty())
}
