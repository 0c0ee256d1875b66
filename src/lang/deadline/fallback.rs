//! Real deadlines the core grammar does not own, read as a dated part plus
//! words around it: «С апреля ежеквартально», «до 1 марта 2021 года согласно
//! плану-графику», «в период осенних каникул (октябрь – ноябрь 2025 г.)»,
//! «II полугодие 2025/2026 учебного года», and relative ones («в течение 10
//! рабочих дней со дня утверждения»). The dated part is checked against the
//! period like any deadline; the text prints as typed even when the profile
//! normalises deadlines, since rewriting it would reorder the clerk's words.

use std::sync::OnceLock;

use regex::Regex;

use super::grammar::parse_items;
use super::lexer::Text;
use super::vocabulary::RECURRING;
use super::{Deadline, Item, MonthRef};

/// Words after which the rest of a deadline is a qualifier, not a date.
const QUALIFIERS: [&str; 9] = [
    "согласно",
    "в соответствии",
    "по итогам",
    "по результатам",
    "после",
    "по плану",
    "по графику",
    "по мере",
    "при наличии",
];

/// Where `phrase` starts as a whole word in `t` past its first character.
fn find_word(t: &Text, phrase: &str) -> Option<usize> {
    let p: Vec<char> = phrase.chars().collect();
    let f = &t.fold;
    (1..f.len().saturating_sub(p.len() - 1)).find(|&i| {
        f[i..].starts_with(&p)
            && !f[i - 1].is_alphanumeric()
            && f.get(i + p.len()).is_none_or(|c| !c.is_alphanumeric())
    })
}

fn rx(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    // The patterns are literals of this file, tested below.
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| Regex::new("$^").expect("empty")))
}

fn verbatim(items: Vec<Item>, t: &Text) -> Deadline {
    Deadline {
        items,
        note: None,
        verbatim: Some(t.rest(0)),
        open_end: false,
    }
}

/// The deadline `t` read by the first reading that works, or `None`.
pub(super) fn parse(t: &Text) -> Option<Deadline> {
    let folded: String = t.fold.iter().collect();
    // A term counted from an event: no date of its own to check.
    static RELATIVE: OnceLock<Regex> = OnceLock::new();
    let relative = rx(
        &RELATIVE,
        r"^(?:в срок )?(?:в течение|не позднее|не позже|через|за) \d{1,3} (?:рабочих |календарных )?(?:дн|недел|месяц|час)",
    );
    if relative.is_match(&folded) {
        let s = t.rest(0);
        let mut cs = s.chars();
        let first = cs.next()?;
        return Some(Deadline {
            items: vec![Item::Schedule(first.to_lowercase().chain(cs).collect())],
            note: None,
            verbatim: None,
            open_end: false,
        });
    }
    // «I полугодие 2024/2025 учебного года»: September to December of the
    // first year, or January to June of the second.
    static HALF: OnceLock<Regex> = OnceLock::new();
    let half = rx(
        &HALF,
        r"^(i|ii|1|2|первое|второе)[ -]?(?:е )?полугоди[ея] (\d{4}) ?[/-] ?(\d{4}) учебного года$",
    );
    if let Some(c) = half.captures(&folded) {
        let first = matches!(&c[1], "i" | "1" | "первое");
        let a: i32 = c[2].parse().ok()?;
        let b: i32 = c[3].parse().ok()?;
        if b != a + 1 || !super::YEARS.contains(&a) {
            return None;
        }
        let m = |month, year| MonthRef {
            month,
            year: Some(year),
            by: false,
        };
        let items = if first {
            vec![Item::Months(m(9, a), m(12, a))]
        } else {
            vec![Item::Months(m(1, b), m(6, b))]
        };
        return Some(verbatim(items, t));
    }
    // «С апреля ежеквартально», «с марта 2022 г. ежемесячно».
    for (w, kind) in RECURRING {
        if let Some(i) = find_word(t, w) {
            let open = t.starts_with("с ") || t.starts_with("со ");
            let mut items = open_start(&t.slice(0, i).trimmed())?;
            let rest = t.slice(i + w.chars().count(), t.fold.len()).rest(0);
            items.push(Item::Recurring {
                kind,
                note: rest.chars().any(char::is_alphanumeric).then_some(rest),
            });
            return Some(Deadline {
                open_end: open,
                ..verbatim(items, t)
            });
        }
    }
    // A date, then a qualifier kept as written.
    for q in QUALIFIERS {
        if let Some(i) = find_word(t, q)
            && let Ok(items) = parse_items(&t.slice(0, i).trimmed())
        {
            return Some(verbatim(items, t));
        }
    }
    // Words, then the dates in brackets.
    if t.fold.last() == Some(&')')
        && let Some(open) = t.fold.iter().position(|c| *c == '(')
        && let Ok(items) = parse_items(&t.slice(open + 1, t.fold.len() - 1).trimmed())
    {
        return Some(verbatim(items, t));
    }
    // «с 1 сентября 2025 года»: an open start.
    if t.starts_with("с ") || t.starts_with("со ") {
        return Some(Deadline {
            open_end: true,
            ..verbatim(open_start(t)?, t)
        });
    }
    None
}

/// «с апреля», «с 1 сентября 2025 года»: the point a deadline runs from.
fn open_start(t: &Text) -> Option<Vec<Item>> {
    let skip = ["с ", "со "]
        .iter()
        .find(|p| t.starts_with(p))
        .map_or(0, |p| p.chars().count());
    parse_items(&t.slice(skip, t.fold.len()).trimmed()).ok()
}
