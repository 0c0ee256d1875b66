//! Text preparation for one unit: references expanded, then typography;
//! paragraphs and dash items of table cells; dates in the issuer's style.

use chrono::NaiveDate;

use crate::index::refs::Refs;
use crate::lang::expr;
use crate::lang::morph;
use crate::lang::typo;
use crate::model::Para;

use super::Style;

/// One unit's text preparation: expansion of references, then typography.
pub(super) struct Prep<'r, 'i, 'a> {
    pub(super) refs: &'r Refs<'i, 'a>,
    pub(super) style: Style,
}

impl Prep<'_, '_, '_> {
    pub(super) fn raw(&self, raw: &str) -> String {
        let (s, _) = expr::expand(&typo::line_breaks(raw), |c| self.refs.resolve(c));
        s
    }
    pub(super) fn text(&self, raw: &str) -> String {
        typo::typeset(&self.raw(raw), self.style.dash)
    }
    /// Paragraphs separated by blank lines.
    pub(super) fn paragraphs(&self, raw: &str) -> Vec<String> {
        raw.split("\n\n")
            .map(|p| self.text(p))
            .filter(|p| !p.is_empty())
            .collect()
    }
    /// A cell's paragraphs and dash-list items: lines starting with `-`/`–`/`•`
    /// are items, other consecutive lines form one paragraph.
    pub(super) fn cell_paras(&self, raw: &str) -> Vec<Para> {
        let expanded = self.raw(raw);
        let mut out: Vec<Para> = Vec::new();
        let mut current = String::new();
        let flush = |current: &mut String, out: &mut Vec<Para>, style: Style| {
            let t = typo::typeset(current, style.dash);
            if !t.is_empty() {
                out.push(Para::plain(None, t));
            }
            current.clear();
        };
        for line in expanded.lines() {
            let l = line.trim();
            if l.is_empty() {
                flush(&mut current, &mut out, self.style);
                continue;
            }
            let item = ["- ", "– ", "— ", "• ", "-\u{a0}", "–\u{a0}"]
                .iter()
                .find_map(|m| l.strip_prefix(m));
            match item {
                Some(rest) => {
                    flush(&mut current, &mut out, self.style);
                    out.push(Para::plain(
                        Some(self.style.dash.char().to_string()),
                        typo::typeset(rest, self.style.dash),
                    ));
                }
                None => {
                    // A line that continues a list item belongs to it.
                    if current.is_empty()
                        && let Some(last) = out.last_mut()
                        && last.marker.is_some()
                        && line.starts_with([' ', '\t'])
                    {
                        last.text = typo::typeset(&format!("{} {l}", last.text), self.style.dash);
                        continue;
                    }
                    if !current.is_empty() {
                        current.push(' ');
                    }
                    current.push_str(l);
                }
            }
        }
        flush(&mut current, &mut out, self.style);
        out
    }
}

pub(super) fn date_text(d: NaiveDate, style: Style) -> String {
    if style.date_words {
        morph::date_words(d)
    } else {
        morph::date_numeric(d)
    }
}

pub(super) fn lines(s: &str, style: Style) -> Vec<String> {
    s.lines()
        .map(|l| typo::typeset(l, style.dash))
        .filter(|l| !l.is_empty())
        .collect()
}
