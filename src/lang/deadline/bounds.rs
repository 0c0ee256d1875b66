//! The days a deadline covers, with missing years filled from the plan period,
//! and the checks for yearless items and reversed ranges.

use chrono::{Datelike, NaiveDate};

use super::grammar::{wraps, year_after, year_before};
use super::{Deadline, Item, Period, ymd};

fn month_start(y: i32, m: u32) -> Option<NaiveDate> {
    ymd(y, m, 1)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 {
        (y.checked_add(1)?, 1)
    } else {
        (y, m.checked_add(1)?)
    };
    ymd(ny, nm, 1)?.pred_opt()
}

fn quarter_start(q: u8) -> Option<u32> {
    (1..=4).contains(&q).then(|| u32::from(q) * 3 - 2)
}

fn quarter_bounds(from: u8, to: u8, y: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        month_start(y, quarter_start(from)?)?,
        month_end(y, quarter_start(to)? + 2)?,
    ))
}

fn ordered(a: NaiveDate, b: NaiveDate) -> (NaiveDate, NaiveDate) {
    (a.min(b), a.max(b))
}

impl Deadline {
    /// Earliest and latest day covered, filling missing years from the
    /// period. None for recurring/schedule-only deadlines.
    pub fn bounds(&self, period: Option<&Period>) -> Option<(NaiveDate, NaiveDate)> {
        let all: Vec<_> = self
            .items
            .iter()
            .filter_map(|i| Self::item_bounds(i, period))
            .collect();
        let from = all.iter().map(|b| b.0).min()?;
        let mut to = all.iter().map(|b| b.1).max()?;
        // An open start runs to the period's end.
        if self.open_end
            && let Some(p) = period
        {
            to = to.max(p.end);
        }
        Some((from, to))
    }

    /// Earliest and latest day of one item; missing years come from the
    /// period. A reversed range still gives (earliest, latest).
    pub fn item_bounds(item: &Item, period: Option<&Period>) -> Option<(NaiveDate, NaiveDate)> {
        let fill = |year: Option<i32>, month: u32| year.or_else(|| period?.year_of_month(month));
        match item {
            Item::On(d) | Item::By(d) => Some((*d, *d)),
            Item::Between(a, b) => Some(ordered(*a, *b)),
            Item::Month(m) | Item::Months(m, _) | Item::Months(_, m)
                if !(1..=12).contains(&m.month) =>
            {
                None
            }
            Item::Month(m) if m.by => {
                // «до сентября»: by the last day of August.
                let (pm, shift) = if m.month == 1 {
                    (12, 1)
                } else {
                    (m.month.checked_sub(1)?, 0)
                };
                let y = match m.year {
                    Some(y) => y.checked_sub(shift)?,
                    None => fill(None, pm)?,
                };
                let d = month_end(y, pm)?;
                Some((d, d))
            }
            Item::Month(m) => {
                let y = fill(m.year, m.month)?;
                Some((month_start(y, m.month)?, month_end(y, m.month)?))
            }
            Item::Months(a, b) => {
                let (ya, yb) = match (a.year, b.year) {
                    (Some(x), Some(y)) => (x, y),
                    (Some(x), None) => (x, year_after(x, a.month, b.month)?),
                    (None, Some(y)) => (year_before(y, a.month, b.month)?, y),
                    // The start from the period, the end after it.
                    (None, None) => {
                        let x = fill(None, a.month)?;
                        (x, year_after(x, a.month, b.month)?)
                    }
                };
                // Earliest start and latest end, so a reversed range still
                // covers both of its months.
                let (sa, sb) = (month_start(ya, a.month)?, month_start(yb, b.month)?);
                let (ea, eb) = (month_end(ya, a.month)?, month_end(yb, b.month)?);
                Some((sa.min(sb), ea.max(eb)))
            }
            // A yearless quarter takes the year of its first month.
            Item::Quarter { q, year } => {
                let y = fill(*year, quarter_start(*q)?)?;
                quarter_bounds(*q, *q, y)
            }
            Item::Quarters { from, to, year } => {
                let (a, b) = (*from.min(to), *from.max(to));
                let y = fill(*year, quarter_start(a)?)?;
                quarter_bounds(a, b, y)
            }
            Item::Half { h, year } => match (year, period) {
                // Schools count halves of the school year: Sep–Dec, Jan–Aug.
                (None, Some(p)) if p.is_school_year() => match h {
                    1 => Some((p.start, month_end(p.start.year(), 12)?)),
                    2 => Some((month_start(p.end.year(), 1)?, p.end)),
                    _ => None,
                },
                _ => {
                    let y = fill(*year, 1)?;
                    match h {
                        1 => Some((ymd(y, 1, 1)?, ymd(y, 6, 30)?)),
                        2 => Some((ymd(y, 7, 1)?, ymd(y, 12, 31)?)),
                        _ => None,
                    }
                }
            },
            Item::Year(y) => Some((ymd(*y, 1, 1)?, ymd(*y, 12, 31)?)),
            Item::Years(a, b) => Some((ymd(*a.min(b), 1, 1)?, ymd(*a.max(b), 12, 31)?)),
            Item::SchoolYear(Some(a)) => Some((ymd(*a, 9, 1)?, ymd(a.checked_add(1)?, 8, 31)?)),
            Item::SchoolYear(None) => period
                .filter(|p| p.is_school_year())
                .map(|p| (p.start, p.end)),
            Item::Recurring { .. } | Item::Schedule(_) => None,
        }
    }

    /// True if some month, quarter or half lacks a year.
    pub fn has_yearless(&self) -> bool {
        self.items.iter().any(|i| match i {
            Item::Month(m) => m.year.is_none(),
            Item::Months(a, b) => a.year.is_none() || b.year.is_none(),
            Item::Quarter { year, .. } | Item::Quarters { year, .. } | Item::Half { year, .. } => {
                year.is_none()
            }
            _ => false,
        })
    }

    /// Indices of items whose end comes before their start.
    pub fn reversed(&self) -> Vec<usize> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, i)| match i {
                Item::Between(a, b) => b < a,
                Item::Months(a, b) => match (a.year, b.year) {
                    (Some(x), Some(y)) => (y, b.month) < (x, a.month),
                    _ => b.month < a.month && !wraps(a.month, b.month),
                },
                Item::Quarters { from, to, .. } => to < from,
                Item::Years(a, b) => b < a,
                _ => false,
            })
            .map(|(i, _)| i)
            .collect()
    }
}
