//! The normalised print form of a deadline, with no-break spaces where the
//! typography asks for them.

use chrono::{Datelike, NaiveDate};

use super::grammar::wraps;
use super::vocabulary::{MONTHS_GEN, MONTHS_NOM, roman};
use super::{Deadline, Item, MonthRef, Recurrence};

impl Deadline {
    /// The normalised print form: «сентябрь – ноябрь 2024 г.», «до
    /// 15.12.2024», «I квартал 2025 г.». Years are printed as written, never
    /// filled from a period; no-break spaces keep «2024 г.» and the dash
    /// with what precedes them.
    pub fn print(&self, capitalize: bool) -> String {
        if let Some(v) = &self.verbatim {
            return capitalized(v.clone(), capitalize);
        }
        let mut parts = Vec::with_capacity(self.items.len());
        for (i, item) in self.items.iter().enumerate() {
            // «май, сентябрь 2025 г.»: a run of months of one year shows it once.
            let next_same_year = match (item, self.items.get(i + 1)) {
                (Item::Month(a), Some(Item::Month(b))) => a.year.is_some() && a.year == b.year,
                _ => false,
            };
            parts.push(match item {
                Item::Month(m) if next_same_year => month_text(m, false),
                _ => print_item(item),
            });
        }
        let mut s = parts.join(", ");
        if let Some(n) = &self.note {
            s.push_str(&format!(" ({n})"));
        }
        capitalized(s, capitalize)
    }
}

fn capitalized(s: String, capitalize: bool) -> String {
    if capitalize {
        let mut cs = s.chars();
        match cs.next() {
            Some(f) => f.to_uppercase().chain(cs).collect(),
            None => s,
        }
    } else {
        s
    }
}

// A narrow deadline column must be able to break between the month and the
// year («Сентябрь / 2024 г.»); only «2024 г.» stays together.
fn year_suffix(y: Option<i32>) -> String {
    y.map(|y| format!(" {y}\u{a0}г.")).unwrap_or_default()
}

fn month_text(m: &MonthRef, with_year: bool) -> String {
    let names = if m.by { &MONTHS_GEN } else { &MONTHS_NOM };
    let name = m
        .month
        .checked_sub(1)
        .and_then(|i| names.get(i as usize))
        .copied()
        .unwrap_or("?");
    let by = if m.by { "до " } else { "" };
    let year = if with_year {
        year_suffix(m.year)
    } else {
        String::new()
    };
    format!("{by}{name}{year}")
}

fn date_text(d: &NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

fn print_item(i: &Item) -> String {
    const DASH: &str = "\u{a0}– ";
    match i {
        Item::On(d) => date_text(d),
        Item::By(d) => format!("до {}", date_text(d)),
        Item::Between(a, b) => format!("{}{DASH}{}", date_text(a), date_text(b)),
        Item::Month(m) => month_text(m, true),
        Item::Months(a, b) => {
            // One year printed once, unless re-reading would move the start
            // to the year before («декабрь 2025 – февраль 2025» stays full).
            let once = match (a.year, b.year) {
                (Some(x), Some(y)) => x == y && !wraps(a.month, b.month),
                (None, None) => true,
                _ => false,
            };
            if once {
                format!("{}{DASH}{}", month_text(a, false), month_text(b, true))
            } else {
                format!("{}{DASH}{}", month_text(a, true), month_text(b, true))
            }
        }
        Item::Quarter { q, year } => format!(
            "{}\u{a0}квартал{}",
            roman(u32::from(*q)),
            year_suffix(*year)
        ),
        // Numeral ranges take a closed-up en dash, as year ranges do.
        Item::Quarters { from, to, year } => {
            format!(
                "{}–{}\u{a0}кварталы{}",
                roman(u32::from(*from)),
                roman(u32::from(*to)),
                year_suffix(*year)
            )
        }
        Item::Half { h, year } => format!(
            "{}\u{a0}полугодие{}",
            roman(u32::from(*h)),
            year_suffix(*year)
        ),
        Item::Year(y) => format!("{y}\u{a0}г."),
        Item::Years(a, b) => format!("{a}–{b}\u{a0}гг."),
        Item::SchoolYear(Some(a)) => format!("в течение {a}/{} учебного года", i64::from(*a) + 1),
        Item::SchoolYear(None) => "в течение учебного года".into(),
        Item::Recurring { kind, note } => {
            let w = match kind {
                Recurrence::Weekly => "еженедельно",
                Recurrence::Monthly => "ежемесячно",
                Recurrence::Quarterly => "ежеквартально",
                Recurrence::Yearly => "ежегодно",
                Recurrence::Constantly => "постоянно",
                Recurrence::DuringYear => "в течение года",
                Recurrence::DuringPeriod => "в течение периода",
            };
            match note.as_deref().map(str::trim) {
                Some(n) if n.starts_with([',', ';']) => format!("{w}{n}"),
                Some("") | None => w.to_string(),
                Some(n) => format!("{w} {n}"),
            }
        }
        Item::Schedule(s) => s.clone(),
    }
}
