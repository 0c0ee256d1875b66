//! The parser: phrases that own the whole text, list elements from tokens,
//! lists that lend a year or unit to earlier elements, and the bracketed remark.

use chrono::{Datelike, NaiveDate};

use super::lexer::{Text, Tok, lex};
use super::vocabulary::{
    RECURRING, SCHEDULE, Unit, is_school_word, is_year_word, month_of, numeral_word, unit_of,
    year_of,
};
use super::{Deadline, Item, MonthRef, ParseError, err, unparsed, ymd};

/// A remark is kept only if it says something: «ежемесячно.» has none.
fn meaningful(note: String) -> Option<String> {
    note.chars().any(char::is_alphanumeric).then_some(note)
}

/// «ежемесячно, до 5 числа» and «по отдельному графику»: the whole text is
/// one item with the rest kept as written.
fn phrase_item(t: &Text) -> Option<Item> {
    for (w, kind) in RECURRING {
        if t.starts_with_word(w) {
            let note = t.rest(w.chars().count());
            return Some(Item::Recurring {
                kind,
                note: meaningful(note),
            });
        }
    }
    if SCHEDULE.iter().any(|p| t.starts_with(p)) {
        let s = t.rest(0);
        let mut cs = s.chars();
        let first = cs.next()?;
        return Some(Item::Schedule(first.to_lowercase().chain(cs).collect()));
    }
    None
}

/// One end of a range, or a single value, before the other end fills gaps.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pt {
    Date(NaiveDate),
    DayMonth(u32, u32),
    /// A bare one- or two-digit number: a day («с 1 по 15 сентября») or a
    /// quarter («1–2 квартал»), told by the other end.
    Small(u32),
    /// A bare Roman or word numeral («II–III квартал»).
    Numeral(u32),
    Month(u32, Option<i32>),
    Unit(Unit, u32, Option<i32>),
    Year(i32),
    /// «2024/2025»
    Pair(i32),
    School(Option<i32>),
}

/// A list element, possibly waiting for a later element to complete it
/// («I и II квартал 2025», «10, 20 декабря 2024»).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Item(Item),
    Num { n: u32, roman: bool, by: bool },
    DayMonth { d: u32, m: u32, by: bool },
}

struct Cursor<'a> {
    t: &'a [Tok],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }

    fn word(&self, k: usize) -> Option<&str> {
        match self.t.get(self.i + k) {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn eat(&mut self, w: &str) -> bool {
        let hit = self.word(0) == Some(w);
        self.i += usize::from(hit);
        hit
    }

    fn eat_dash(&mut self) -> bool {
        let hit = self.peek() == Some(&Tok::Dash);
        self.i += usize::from(hit);
        hit
    }

    fn at_end(&self) -> bool {
        self.i >= self.t.len()
    }

    fn year_words(&mut self) {
        while self.word(0).is_some_and(is_year_word) {
            self.i += 1;
        }
    }

    /// An optional four-digit year with its «г.», «года»; `None` if a number
    /// is there but is no year.
    fn opt_year(&mut self) -> Option<Option<i32>> {
        if let Some(Tok::Num(s)) = self.peek()
            && s.len() == 4
        {
            let y = year_of(s)?;
            self.i += 1;
            self.year_words();
            return Some(Some(y));
        }
        Some(None)
    }

    /// Leading words: returns (by, from).
    fn prefix(&mut self) -> (bool, bool) {
        let (mut by, mut from) = (false, false);
        loop {
            let (a, b) = (self.word(0), self.word(1));
            let n = match (a, b) {
                (Some("в"), Some("течение" | "период" | "срок")) => 2,
                (Some("на"), Some("протяжении")) => 2,
                (Some("не"), Some("позднее" | "позже")) => {
                    by = true;
                    2
                }
                (Some("в" | "во" | "на"), _) => 1,
                (Some("до" | "к" | "ко"), _) => {
                    by = true;
                    1
                }
                (Some("с" | "со" | "от"), _) => {
                    from = true;
                    1
                }
                _ => break,
            };
            self.i += n;
        }
        (by, from)
    }

    fn point(&mut self) -> Option<Pt> {
        match self.peek()?.clone() {
            Tok::Date(d) => {
                self.i += 1;
                self.year_words();
                Some(Pt::Date(d))
            }
            Tok::Num(s) if s.len() <= 2 => {
                self.i += 1;
                let n: u32 = s.parse().ok()?;
                if let Some(m) = self.word(0).and_then(month_of) {
                    self.i += 1;
                    return Some(match self.opt_year()? {
                        Some(y) => Pt::Date(ymd(y, m, n)?),
                        None => Pt::DayMonth(n, m),
                    });
                }
                if let Some(u) = self.word(0).and_then(unit_of) {
                    self.i += 1;
                    return Some(Pt::Unit(u, n, self.opt_year()?));
                }
                Some(Pt::Small(n))
            }
            Tok::Num(s) => {
                let y = year_of(&s)?;
                self.i += 1;
                if self.peek() == Some(&Tok::Slash) {
                    self.i += 1;
                    let Some(Tok::Num(b)) = self.peek().cloned() else {
                        return None;
                    };
                    self.i += 1;
                    self.year_words();
                    return school_pair(y, &b).map(Pt::Pair);
                }
                self.year_words();
                Some(Pt::Year(y))
            }
            Tok::Word(w) => {
                self.i += 1;
                if let Some(m) = month_of(&w) {
                    return Some(Pt::Month(m, self.opt_year()?));
                }
                if let Some(n) = numeral_word(&w) {
                    if let Some(u) = self.word(0).and_then(unit_of) {
                        self.i += 1;
                        return Some(Pt::Unit(u, n, self.opt_year()?));
                    }
                    return Some(Pt::Numeral(n));
                }
                if is_school_word(&w) && self.word(0).is_some_and(is_year_word) {
                    self.i += 1;
                    // «учебный год 2024/2025», «учебного года 2024-2025».
                    if let Some(Tok::Num(a)) = self.peek().cloned() {
                        let a = year_of(&a)?;
                        self.i += 1;
                        if !matches!(self.peek(), Some(Tok::Slash | Tok::Dash)) {
                            return None;
                        }
                        self.i += 1;
                        let Some(Tok::Num(b)) = self.peek().cloned() else {
                            return None;
                        };
                        self.i += 1;
                        return school_pair(a, &b).map(|a| Pt::School(Some(a)));
                    }
                    return Some(Pt::School(None));
                }
                None
            }
            Tok::Dash | Tok::Slash => None,
        }
    }

    /// «учебный год» after a year pair or range.
    fn school_suffix(&mut self) -> bool {
        if self.word(0).is_some_and(is_school_word) && self.word(1).is_some_and(is_year_word) {
            self.i += 2;
            return true;
        }
        false
    }
}

/// «2024/2025», «2024/25»: the second year must follow the first.
fn school_pair(a: i32, b: &str) -> Option<i32> {
    let ok = match b.len() {
        4 => year_of(b)? == a + 1,
        2 => b.parse::<i32>().ok()? == (a + 1) % 100,
        _ => false,
    };
    ok.then_some(a)
}

/// Months of one range written with a single year: «сентябрь – ноябрь 2024»
/// is one year, but «декабрь – февраль 2025» crosses New Year inside a school
/// year, so it starts the year before. Any other backwards pair stays in one
/// year and is reported as reversed.
pub(super) fn wraps(m1: u32, m2: u32) -> bool {
    m1 > m2 && m1 >= 9 && m2 <= 8
}

pub(super) fn year_after(y1: i32, m1: u32, m2: u32) -> Option<i32> {
    if wraps(m1, m2) {
        y1.checked_add(1)
    } else {
        Some(y1)
    }
}

pub(super) fn year_before(y2: i32, m1: u32, m2: u32) -> Option<i32> {
    if wraps(m1, m2) {
        y2.checked_sub(1)
    } else {
        Some(y2)
    }
}

fn numeral(n: u32, u: Unit) -> Option<u8> {
    (1..=u.max()).contains(&n).then_some(n as u8)
}

fn range(a: Pt, b: Pt) -> Option<Item> {
    Some(match (a, b) {
        (Pt::Date(x), Pt::Date(y)) => Item::Between(x, y),
        (Pt::DayMonth(d, m), Pt::Date(y)) => Item::Between(ymd(y.year(), m, d)?, y),
        (Pt::Small(d), Pt::Date(y)) => Item::Between(ymd(y.year(), y.month(), d)?, y),
        (Pt::Month(m1, y1), Pt::Month(m2, y2)) => {
            let (y1, y2) = match (y1, y2) {
                (None, Some(y)) => (Some(year_before(y, m1, m2)?), Some(y)),
                (Some(y), None) => (Some(y), Some(year_after(y, m1, m2)?)),
                other => other,
            };
            Item::Months(
                MonthRef {
                    month: m1,
                    year: y1,
                    by: false,
                },
                MonthRef {
                    month: m2,
                    year: y2,
                    by: false,
                },
            )
        }
        (
            Pt::Numeral(n1) | Pt::Small(n1) | Pt::Unit(Unit::Quarter, n1, None),
            Pt::Unit(Unit::Quarter, n2, year),
        ) => Item::Quarters {
            from: numeral(n1, Unit::Quarter)?,
            to: numeral(n2, Unit::Quarter)?,
            year,
        },
        (Pt::Unit(Unit::Quarter, n1, Some(y1)), Pt::Unit(Unit::Quarter, n2, Some(y2)))
            if y1 == y2 =>
        {
            Item::Quarters {
                from: numeral(n1, Unit::Quarter)?,
                to: numeral(n2, Unit::Quarter)?,
                year: Some(y2),
            }
        }
        (Pt::Year(a), Pt::Year(b)) => Item::Years(a, b),
        _ => return None,
    })
}

fn single(p: Pt, by: bool) -> Option<Part> {
    let item = match p {
        Pt::Date(d) if by => Item::By(d),
        Pt::Date(d) => Item::On(d),
        Pt::Month(month, year) => Item::Month(MonthRef { month, year, by }),
        Pt::DayMonth(d, m) => return Some(Part::DayMonth { d, m, by }),
        Pt::Small(n) => {
            return Some(Part::Num {
                n,
                roman: false,
                by,
            });
        }
        Pt::Numeral(n) => return Some(Part::Num { n, roman: true, by }),
        _ if by => return None,
        Pt::Unit(u, n, year) => match u {
            Unit::Quarter => Item::Quarter {
                q: numeral(n, u)?,
                year,
            },
            Unit::Half => Item::Half {
                h: numeral(n, u)?,
                year,
            },
        },
        Pt::Year(y) => Item::Year(y),
        Pt::Pair(a) => Item::SchoolYear(Some(a)),
        Pt::School(a) => Item::SchoolYear(a),
    };
    Some(Part::Item(item))
}

fn element(toks: &[Tok]) -> Option<Part> {
    let mut c = Cursor { t: toks, i: 0 };
    let (by, from) = c.prefix();
    let left = c.point()?;
    let mut part = if c.eat_dash() || c.eat("по") || (from && c.eat("до")) {
        if by {
            return None;
        }
        Part::Item(range(left, c.point()?)?)
    } else if from {
        // «с сентября 2024» alone has no end.
        return None;
    } else {
        single(left, by)?
    };
    if c.school_suffix() {
        part = match part {
            Part::Item(Item::Years(a, b)) if b == a + 1 => Part::Item(Item::SchoolYear(Some(a))),
            Part::Item(Item::SchoolYear(Some(a))) => Part::Item(Item::SchoolYear(Some(a))),
            _ => return None,
        };
    }
    c.at_end().then_some(part)
}

// ------------------------------------------------------------------ lists

/// Splits on «,», «;» and a standalone «и».
fn split_list(t: &Text) -> Vec<Text> {
    let mut out = Vec::new();
    let mut start = 0;
    let f = &t.fold;
    let mut i = 0;
    while i < f.len() {
        let and = f[i] == 'и' && i > 0 && f[i - 1] == ' ' && f.get(i + 1) == Some(&' ');
        if f[i] == ',' || f[i] == ';' || and {
            out.push(t.slice(start, i));
            start = i + 1;
        }
        i += 1;
    }
    out.push(t.slice(start, f.len()));
    out
}

/// Context a list element takes from the nearest element after it.
enum Ctx {
    Unit(Unit, Option<i32>),
    Date(u32, i32),
}

fn parse_list(t: &Text) -> Result<Vec<Item>, ParseError> {
    let mut parts = Vec::new();
    for el in split_list(t) {
        let el = el.trimmed();
        if el.is_empty() {
            continue;
        }
        if let Some(item) = phrase_item(&el) {
            parts.push(Part::Item(item));
            continue;
        }
        let toks = lex(&el.fold)?;
        parts.push(element(&toks).ok_or_else(unparsed)?);
    }
    if parts.is_empty() {
        return Err(unparsed());
    }
    // Right to left, so a trailing year or unit reaches everything before it.
    let mut month_year: Option<i32> = None;
    let mut ctx: Option<Ctx> = None;
    let mut items = Vec::with_capacity(parts.len());
    for part in parts.into_iter().rev() {
        let item = match part {
            Part::Item(item) => item,
            Part::Num { n, roman, by } => match ctx {
                Some(Ctx::Unit(u, year)) if !by => match u {
                    Unit::Quarter => Item::Quarter {
                        q: numeral(n, u).ok_or_else(unparsed)?,
                        year,
                    },
                    Unit::Half => Item::Half {
                        h: numeral(n, u).ok_or_else(unparsed)?,
                        year,
                    },
                },
                Some(Ctx::Date(m, y)) if !roman => dated(ymd(y, m, n).ok_or_else(unparsed)?, by),
                _ => return Err(unparsed()),
            },
            Part::DayMonth { d, m, by } => match ctx {
                Some(Ctx::Date(_, y)) => dated(ymd(y, m, d).ok_or_else(unparsed)?, by),
                _ => return Err(unparsed()),
            },
        };
        let item = match item {
            Item::Month(mut m) => {
                m.year = m.year.or(month_year);
                month_year = m.year.or(month_year);
                Item::Month(m)
            }
            Item::Months(mut a, mut b) => {
                if let (None, None, Some(y)) = (a.year, b.year, month_year) {
                    b.year = Some(y);
                    a.year = year_before(y, a.month, b.month);
                }
                month_year = a.year.or(month_year);
                Item::Months(a, b)
            }
            other => other,
        };
        ctx = match &item {
            Item::Quarter { year, .. } | Item::Quarters { year, .. } => {
                Some(Ctx::Unit(Unit::Quarter, *year))
            }
            Item::Half { year, .. } => Some(Ctx::Unit(Unit::Half, *year)),
            Item::On(d) | Item::By(d) => Some(Ctx::Date(d.month(), d.year())),
            _ => None,
        };
        items.push(item);
    }
    items.reverse();
    Ok(items)
}

fn dated(d: NaiveDate, by: bool) -> Item {
    if by { Item::By(d) } else { Item::On(d) }
}

/// Splits off a trailing «(…)» remark.
fn split_note(t: &Text) -> Result<(Text, Option<String>), ParseError> {
    if t.fold.last() != Some(&')') {
        return Ok((t.clone(), None));
    }
    let mut depth = 0usize;
    for (i, c) in t.fold.iter().enumerate().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let inner = t.slice(i + 1, t.fold.len() - 1).rest(0);
                    let main = t.slice(0, i);
                    if main.trimmed().is_empty() {
                        // The whole text is bracketed: parse what is inside.
                        return Ok((t.slice(i + 1, t.fold.len() - 1), None));
                    }
                    return Ok((main, meaningful(inner)));
                }
            }
            _ => {}
        }
    }
    Err(unparsed())
}

/// [`parse`] remembering earlier results on this thread: a plan repeats the same
/// few deadlines («Ноябрь 2024», «ежемесячно») in hundreds of rows.
pub fn parse_cached(text: &str) -> Result<Deadline, ParseError> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static MEMO: RefCell<HashMap<String, Result<Deadline, ParseError>>> = RefCell::new(HashMap::new());
    }
    MEMO.with(|m| {
        if let Some(r) = m.borrow().get(text) {
            return r.clone();
        }
        let r = parse(text);
        let mut m = m.borrow_mut();
        // Bounded: a repository of unique deadlines must not grow memory without end.
        if m.len() >= 4096 {
            m.clear();
        }
        m.insert(text.to_string(), r.clone());
        r
    })
}

/// Parses a deadline; a list («сентябрь, декабрь 2024») gives several items.
pub fn parse(text: &str) -> Result<Deadline, ParseError> {
    // Long enough for any real cell; bounds the work on pasted garbage.
    if text.chars().count() > 1000 {
        return Err(err("слишком длинный текст срока"));
    }
    // One deadline per line of a cell («Октябрь 2025 г.» / «март 2026 г.»):
    // each is read, the whole printed as typed.
    let trimmed = text.trim();
    if trimmed.contains('\n') {
        let mut items = Vec::new();
        for line in trimmed.lines().filter(|l| !l.trim().is_empty()) {
            let d = parse(line)?;
            items.extend(d.items);
        }
        return Ok(Deadline {
            items,
            note: None,
            verbatim: Some(trimmed.to_string()),
            open_end: false,
        });
    }
    let t = Text::new(text).trimmed();
    if t.is_empty() {
        return Err(err("срок пуст"));
    }
    // A recurring or schedule phrase owns the whole text, brackets and commas
    // included: «ежегодно (июнь, декабрь)».
    if let Some(item) = phrase_item(&t) {
        return Ok(Deadline {
            items: vec![item],
            note: None,
            verbatim: None,
            open_end: false,
        });
    }
    let core = split_note(&t).and_then(|(main, note)| {
        let items = parse_list(&main.trimmed())?;
        Ok(Deadline {
            items,
            note,
            verbatim: None,
            open_end: false,
        })
    });
    match core {
        Ok(d) => Ok(d),
        Err(e) => super::fallback::parse(&t).ok_or(e),
    }
}

/// The items of a text with no phrase and no remark: what [`parse`] reads
/// of the dated part of a longer deadline.
pub(super) fn parse_items(t: &Text) -> Result<Vec<Item>, ParseError> {
    if t.is_empty() {
        return Err(unparsed());
    }
    parse_list(t)
}
