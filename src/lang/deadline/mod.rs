//! Deadlines as clerks write them in the «Срок» column («Ноябрь 2024», «до
//! 15.12.2024», «I квартал 2025 г.», «в течение 2024/2025 учебного года»,
//! «ежемесячно»), parsed into values that can be checked against the plan's
//! period and printed uniformly.
//!
//! The parser works on a folded copy of the text (lower case, «ё» as «е», one
//! kind of dash and space) split into list elements and then into tokens, so
//! that every spelling variant is handled in one place and no input can make
//! it panic: numbers are length-checked before conversion and dates are built
//! with the checked `chrono` constructors.

use std::fmt;

use chrono::{Datelike, NaiveDate};

mod bounds;
mod fallback;
mod grammar;
mod lexer;
mod printer;
mod vocabulary;

#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod tests;

pub use grammar::{parse, parse_cached};
pub use lexer::out_of_range;

/// The years a deadline or an order's date may name. Anything else is a
/// typo («20224», «31.12.9999» typed for «бессрочно»), in deadlines and in
/// plan dates alike.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;
pub use vocabulary::{MONTHS_GEN, MONTHS_NOM, month_of, suggestions};

/// A parsed deadline: one item, or several for a list («май, сентябрь 2025»).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub items: Vec<Item>,
    /// A remark in brackets after the deadline, kept as written: «Ноябрь 2024
    /// (далее – ежеквартально)». Real plans have these, and dropping them
    /// would either lose text or make the whole deadline unparsed.
    pub note: Option<String>,
    /// The text as typed, for a deadline read around its dated part («С
    /// апреля ежеквартально», «до 1 марта 2021 г. согласно плану»): printed
    /// so even when deadlines are normalised, since a rewrite would reorder
    /// or drop the clerk's words.
    pub verbatim: Option<String>,
    /// «с 1 сентября 2025 года», «С апреля ежеквартально»: the deadline runs
    /// from its date to the end of the period, not only on it.
    pub open_end: bool,
}

/// A month, with the year if the clerk wrote one (or a list/range gave one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRef {
    /// 1–12.
    pub month: u32,
    pub year: Option<i32>,
    /// «до сентября»: the deadline is the end of the month before.
    pub by: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recurrence {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    Constantly,
    DuringYear,
    DuringPeriod,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    On(NaiveDate),
    By(NaiveDate),
    Between(NaiveDate, NaiveDate),
    Month(MonthRef),
    Months(MonthRef, MonthRef),
    Quarter {
        q: u8,
        year: Option<i32>,
    },
    Quarters {
        from: u8,
        to: u8,
        year: Option<i32>,
    },
    Half {
        h: u8,
        year: Option<i32>,
    },
    Year(i32),
    Years(i32, i32),
    /// Start year of the school year; `None` for «в течение учебного года».
    SchoolYear(Option<i32>),
    /// «ежемесячно, до 5 числа»: the note is the rest as written («, до 5 числа»).
    Recurring {
        kind: Recurrence,
        note: Option<String>,
    },
    /// «по отдельному графику», «по мере необходимости»: no dates.
    Schedule(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// In Russian, for the diagnostic shown to the clerk.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

fn err(message: impl Into<String>) -> ParseError {
    ParseError {
        message: message.into(),
    }
}

/// The generic failure; its wording is pinned by the seed snapshots.
fn unparsed() -> ParseError {
    err("не удалось разобрать срок")
}

/// The plan period, used to fill missing years and to check bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

impl Period {
    /// 1 September of `start_year` to 31 August of the next.
    pub fn school_year(start_year: i32) -> Period {
        Period {
            start: ymd(start_year, 9, 1).unwrap_or(NaiveDate::MIN),
            end: ymd(start_year.saturating_add(1), 8, 31).unwrap_or(NaiveDate::MAX),
        }
    }

    /// 1 January of `a` to 31 December of `b`.
    pub fn years(a: i32, b: i32) -> Period {
        Period {
            start: ymd(a, 1, 1).unwrap_or(NaiveDate::MIN),
            end: ymd(b, 12, 31).unwrap_or(NaiveDate::MAX),
        }
    }

    pub fn spans_two_years(&self) -> bool {
        self.start.year() != self.end.year()
    }

    /// Starts on 1 September and ends in the next calendar year.
    fn is_school_year(&self) -> bool {
        self.start.month() == 9
            && self.start.day() == 1
            && self.start.year().checked_add(1) == Some(self.end.year())
    }

    /// The year a yearless month falls in: in a school year Sep–Dec belong to
    /// the first year, Jan–Aug to the second; in a one-year period, that year;
    /// otherwise it cannot be told.
    fn year_of_month(&self, month: u32) -> Option<i32> {
        if self.is_school_year() {
            Some(if month >= 9 {
                self.start.year()
            } else {
                self.end.year()
            })
        } else if !self.spans_two_years() {
            Some(self.start.year())
        } else {
            None
        }
    }
}
