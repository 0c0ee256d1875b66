//! Rules on dates: deadlines (parsed, ordered, inside the plan's period and
//! after the document's date) and years mentioned in text.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::texts::{Item, locate};
use super::{has, rx};
use crate::diag::{Code, Diagnostic, Sources};
use crate::lang::deadline::{self, Deadline, Period};

pub(super) fn check_deadline(
    sources: &Sources,
    it: &Item,
    period: Option<&Period>,
    order_date: Option<NaiveDate>,
    diags: &mut Vec<Diagnostic>,
) {
    let raw = it.text.get();
    if raw.contains("{{") || raw.trim().is_empty() {
        return;
    }
    let at = locate(sources, it.file, it.text, 0..raw.len());
    let d: Deadline = match deadline::parse_cached(raw) {
        Ok(d) => d,
        Err(e) => {
            diags.push(
                Diagnostic::warning(Code::DeadlineUnparsed, format!("срок «{}» не распознан: {}", raw.trim(), e.message))
                    .at(at)
                    .hint("пишите, например: «ноябрь 2024», «до 15.12.2024», «I квартал 2025», «ежемесячно»"),
            );
            return;
        }
    };
    for _ in d.reversed() {
        diags.push(
            Diagnostic::error(
                Code::DeadlineReversed,
                format!("в сроке «{}» конец раньше начала", raw.trim()),
            )
            .at(at)
            .hint("поменяйте границы местами"),
        );
    }
    if let Some(p) = period {
        if d.has_yearless() && p.spans_two_years() {
            diags.push(
                Diagnostic::warning(
                    Code::DeadlineNoYear,
                    format!(
                        "в сроке «{}» месяц без года, а план охватывает два календарных года",
                        raw.trim()
                    ),
                )
                .at(at)
                .hint(format!(
                    "укажите год, например «{} {}»",
                    raw.trim(),
                    p.start.year()
                )),
            );
        }
        for item in &d.items {
            let Some((from, to)) = Deadline::item_bounds(item, Some(p)) else {
                continue;
            };
            if to < p.start || from > p.end {
                diags.push(
                    Diagnostic::error(
                        Code::DeadlineOutsidePeriod,
                        format!(
                            "срок «{}» вне периода плана ({} – {})",
                            raw.trim(),
                            crate::lang::morph::date_numeric(p.start),
                            crate::lang::morph::date_numeric(p.end)
                        ),
                    )
                    .at(at)
                    .hint("перенесите срок в период плана или измените period"),
                );
            } else if from < p.start || to > p.end {
                diags.push(
                    Diagnostic::warning(
                        Code::DeadlinePartlyOutsidePeriod,
                        format!(
                            "срок «{}» выходит за период плана ({} – {})",
                            raw.trim(),
                            crate::lang::morph::date_numeric(p.start),
                            crate::lang::morph::date_numeric(p.end)
                        ),
                    )
                    .at(at),
                );
            }
        }
    }
    if let (Some(date), Some((_, to))) = (order_date, d.bounds(period))
        && to < date
    {
        diags.push(
            Diagnostic::error(
                Code::DeadlineBeforeOrder,
                format!(
                    "срок «{}» истекает раньше даты документа {}",
                    raw.trim(),
                    crate::lang::morph::date_numeric(date)
                ),
            )
            .at(at),
        );
    }
}

pub(super) fn check_years(
    sources: &Sources,
    it: &Item,
    masked: &str,
    p: &Period,
    diags: &mut Vec<Diagnostic>,
) {
    static YEARS: OnceLock<Regex> = OnceLock::new();
    if !has(masked, finder!("19")) && !has(masked, finder!("20")) {
        return;
    }
    let re = rx(
        &YEARS,
        r"\b((?:19|20)\d\d)(?:\s*([/–—-])\s*((?:19|20)\d\d))?\b",
    );
    let (lo, hi) = (p.start.year(), p.end.year());
    for c in re.captures_iter(masked) {
        let Some(whole) = c.get(0) else { continue };
        // A date after «от» or a number after «№» cites another act.
        let before: String = masked[..whole.start()]
            .chars()
            .rev()
            .take(12)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        if before.trim_end().ends_with("от")
            || before.contains('№')
            || before.contains("от ") && before.ends_with('.')
        {
            continue;
        }
        let a: i32 = c.get(1).and_then(|m| m.as_str().parse().ok()).unwrap_or(lo);
        let b: Option<i32> = c.get(3).and_then(|m| m.as_str().parse().ok());
        let sep = c.get(2).map(|m| m.as_str()).unwrap_or("");
        let inside = match b {
            None => (lo..=hi).contains(&a),
            Some(b) if sep == "/" => a >= lo && b <= hi,
            Some(b) => (lo..=hi).contains(&a) && (lo..=hi).contains(&b),
        };
        if !inside {
            let period = if p.spans_two_years() && p.start.month() == 9 {
                format!("{lo}/{hi} учебный год")
            } else if lo == hi {
                format!("{lo} год")
            } else {
                format!("{lo}–{hi} годы")
            };
            diags.push(
                Diagnostic::warning(
                    Code::YearOutsidePeriod,
                    format!("«{}» вне периода плана ({period})", whole.as_str()),
                )
                .at(locate(sources, it.file, it.text, whole.range()))
                .hint(if sep == "/" {
                    format!("возможно, имелось в виду «{lo}/{hi}»")
                } else {
                    "если год упомянут намеренно, добавьте allow: [year-outside-period]".to_string()
                }),
            );
        }
    }
}
