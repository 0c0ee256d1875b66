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
            // What the grammar cannot read may still name a year: «… 2021
            // года согласно плану» is checked against the period like text.
            if let Some(p) = period {
                check_years(sources, it, raw, p, diags);
            }
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

/// Whether a year is not the plan's own, told by the words before it: the
/// date of another act («приказ от 29 декабря 2012 г. № 273-ФЗ», «от
/// 01.09.2023», «№ 12 2019 г.»), or, for a year before the period, a look
/// back at it («по итогам 2023/2024 учебного года», «отчёт за 2023 год»).
fn cites_or_looks_back(before: &str, past: bool) -> bool {
    static CITES: OnceLock<Regex> = OnceLock::new();
    static BACK: OnceLock<Regex> = OnceLock::new();
    // The last few words are enough; a char boundary is kept.
    let mut from = before.len().saturating_sub(80);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let tail = &before[from..];
    let cites = rx(
        &CITES,
        r"(?i)(?:\bот|№[^,;()]{0,20})\s*(?:«?\d{1,2}»?\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)|\d{1,2}\.\d{1,2}\.)?\s*$",
    );
    if cites.is_match(tail) {
        return true;
    }
    let back = rx(
        &BACK,
        r"(?i)(?:\bитог\w*|\bрезультат\w*|\bанализ\w*|\bза|\bв\s+сравнении\s+с|\bотносительно|\bпрошл\w+|\bпредыдущ\w+)\s*$",
    );
    past && back.is_match(tail)
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
        let a: i32 = c.get(1).and_then(|m| m.as_str().parse().ok()).unwrap_or(lo);
        if cites_or_looks_back(&masked[..whole.start()], a < lo) {
            continue;
        }
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
