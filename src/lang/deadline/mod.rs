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

/// A parsed deadline: one item, or several for a list («май, сентябрь 2025»).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub items: Vec<Item>,
    /// A remark in brackets after the deadline, kept as written: «Ноябрь 2024
    /// (далее – ежеквартально)». Real plans have these, and dropping them
    /// would either lose text or make the whole deadline unparsed.
    pub note: Option<String>,
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

// ------------------------------------------------------------------ words

pub const MONTHS_NOM: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
/// Genitive month names («до 15 декабря», «по конец ноября»): one list for dates and deadlines.
pub use crate::lang::morph::MONTHS_GEN;

/// A month name in any case form, or a common abbreviation («сент.»).
fn month_of(w: &str) -> Option<u32> {
    const SOFT: [(&str, u32); 9] = [
        ("январ", 1),
        ("феврал", 2),
        ("апрел", 4),
        ("июн", 6),
        ("июл", 7),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
    ];
    const ABBR: [(&str, u32); 14] = [
        ("янв", 1),
        ("фев", 2),
        ("февр", 2),
        ("мар", 3),
        ("апр", 4),
        ("июн", 6),
        ("июл", 7),
        ("авг", 8),
        ("сен", 9),
        ("сент", 9),
        ("окт", 10),
        ("ноя", 11),
        ("нояб", 11),
        ("дек", 12),
    ];
    if let Some(&(_, m)) = ABBR.iter().find(|(a, _)| *a == w) {
        return Some(m);
    }
    // The hard stems «март», «август» and «май» decline differently.
    for (stem, m, ends) in [
        ("март", 3, &["", "а", "е", "у", "ом"][..]),
        ("август", 8, &["", "а", "е", "у", "ом"][..]),
        ("ма", 5, &["й", "я", "е", "ю", "ем"][..]),
    ] {
        if let Some(rest) = w.strip_prefix(stem)
            && ends.contains(&rest)
        {
            return Some(m);
        }
    }
    SOFT.iter()
        .find(|(stem, _)| {
            w.strip_prefix(stem)
                .is_some_and(|rest| ["ь", "я", "е", "ю", "ем"].contains(&rest))
        })
        .map(|&(_, m)| m)
}

fn is_year_word(w: &str) -> bool {
    matches!(
        w,
        "г" | "гг"
            | "год"
            | "года"
            | "году"
            | "годы"
            | "годов"
            | "годах"
            | "годам"
            | "годом"
    )
}

fn is_school_word(w: &str) -> bool {
    matches!(
        w,
        "учебный"
            | "учебного"
            | "учебном"
            | "учебному"
            | "учебным"
            | "учебные"
            | "учебных"
            | "уч"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Quarter,
    Half,
}

impl Unit {
    fn max(self) -> u32 {
        match self {
            Unit::Quarter => 4,
            Unit::Half => 2,
        }
    }
}

fn unit_of(w: &str) -> Option<Unit> {
    if w == "кв"
        || w.strip_prefix("квартал")
            .is_some_and(|r| ["", "а", "е", "у", "ом", "ы", "ов", "ах", "ам"].contains(&r))
    {
        Some(Unit::Quarter)
    } else if w
        .strip_prefix("полугоди")
        .is_some_and(|r| ["е", "я", "и", "ю", "ем", "й", "ях", "ям"].contains(&r))
    {
        Some(Unit::Half)
    } else {
        None
    }
}

/// «I», «IV», «первое», «третьего» → 1–4.
fn numeral_word(w: &str) -> Option<u32> {
    // Cyrillic «і» typed for the Latin one.
    let latin: String = w.chars().map(|c| if c == 'і' { 'i' } else { c }).collect();
    match latin.as_str() {
        "i" => return Some(1),
        "ii" => return Some(2),
        "iii" => return Some(3),
        "iv" => return Some(4),
        _ => {}
    }
    const ADJ: [&str; 10] = ["ый", "ой", "ое", "ого", "ом", "ая", "ую", "ому", "ые", "ых"];
    const THIRD: [&str; 10] = [
        "ий", "ье", "ьего", "ьем", "ья", "ьей", "ью", "ьему", "ьи", "ьих",
    ];
    for (stem, n, ends) in [
        ("перв", 1, &ADJ[..]),
        ("втор", 2, &ADJ[..]),
        ("трет", 3, &THIRD[..]),
        ("четверт", 4, &ADJ[..]),
    ] {
        if w.strip_prefix(stem).is_some_and(|r| ends.contains(&r)) {
            return Some(n);
        }
    }
    None
}

fn roman(n: u32) -> String {
    match n {
        1 => "I".into(),
        2 => "II".into(),
        3 => "III".into(),
        4 => "IV".into(),
        _ => n.to_string(),
    }
}

/// A four-digit year in a sane range; anything else is a typo, not a year.
fn year_of(digits: &str) -> Option<i32> {
    if digits.len() != 4 {
        return None;
    }
    digits
        .parse::<i32>()
        .ok()
        .filter(|y| (1900..=2200).contains(y))
}

// ------------------------------------------------------- folding, phrases

/// One char in comparison form. Char-for-char, so positions in the folded
/// text are positions in the original too.
fn fold(c: char) -> char {
    match c {
        c if c.is_whitespace() => ' ',
        '–' | '—' | '−' | '‒' | '―' | '‐' | '‑' => '-',
        'ё' | 'Ё' => 'е',
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// The text with whitespace runs squashed, as original and folded chars.
#[derive(Clone)]
struct Text {
    orig: Vec<char>,
    fold: Vec<char>,
}

impl Text {
    fn new(s: &str) -> Text {
        let mut orig = Vec::new();
        for c in s.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if c == ' ' && orig.last().is_none_or(|l| *l == ' ') {
                continue;
            }
            orig.push(c);
        }
        while orig.last() == Some(&' ') {
            orig.pop();
        }
        let fold = orig.iter().map(|c| fold(*c)).collect();
        Text { orig, fold }
    }

    fn slice(&self, a: usize, b: usize) -> Text {
        let b = b.min(self.orig.len());
        let a = a.min(b);
        Text::new(&self.orig[a..b].iter().collect::<String>())
    }

    fn is_empty(&self) -> bool {
        self.orig.is_empty()
    }

    fn starts_with(&self, phrase: &str) -> bool {
        let p: Vec<char> = phrase.chars().collect();
        self.fold.len() >= p.len() && self.fold[..p.len()] == p[..]
    }

    /// `phrase` followed by the end or a non-letter.
    fn starts_with_word(&self, phrase: &str) -> bool {
        let n = phrase.chars().count();
        self.starts_with(phrase) && self.fold.get(n).is_none_or(|c| !c.is_alphanumeric())
    }

    fn rest(&self, from: usize) -> String {
        self.orig
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    }

    /// Trims list punctuation and quotes from both ends.
    fn trimmed(&self) -> Text {
        let junk = |c: &char| matches!(c, ' ' | ',' | ';' | '"' | '«' | '»' | '“' | '”' | '„');
        let a = self
            .orig
            .iter()
            .position(|c| !junk(c))
            .unwrap_or(self.orig.len());
        let b = self
            .orig
            .iter()
            .rposition(|c| !junk(c))
            .map_or(a, |b| b + 1);
        self.slice(a, b)
    }
}

const RECURRING: [(&str, Recurrence); 14] = [
    ("еженедельно", Recurrence::Weekly),
    ("ежемесячно", Recurrence::Monthly),
    ("ежеквартально", Recurrence::Quarterly),
    ("ежегодно", Recurrence::Yearly),
    ("постоянно", Recurrence::Constantly),
    ("в течение всего года", Recurrence::DuringYear),
    ("в течение календарного года", Recurrence::DuringYear),
    ("в течение года", Recurrence::DuringYear),
    ("на протяжении года", Recurrence::DuringYear),
    ("в течение всего периода", Recurrence::DuringPeriod),
    ("в течение периода", Recurrence::DuringPeriod),
    ("на протяжении всего периода", Recurrence::DuringPeriod),
    ("весь период", Recurrence::DuringPeriod),
    ("в течение всего срока", Recurrence::DuringPeriod),
];

/// Phrases that name no dates; matched as prefixes, so stems are enough.
const SCHEDULE: [&str; 28] = [
    "по отдельному графику",
    "по специальному графику",
    "по спец",
    "по утвержденному графику",
    "по графику",
    "по плану",
    "по мере",
    "по необходимости",
    "по запросу",
    "по запросам",
    "по согласованию",
    "по потребност",
    "по расписанию",
    "по итогам",
    "по окончании",
    "по завершении",
    "по факту",
    "в соответствии с",
    "согласно",
    "в установленные сроки",
    "в сроки",
    "один раз в",
    "раз в",
    "два раза в",
    "три раза в",
    "не реже",
    "не менее",
    "ежедневно",
];

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

// ---------------------------------------------------------------- tokens

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Num(String),
    Date(NaiveDate),
    Word(String),
    Dash,
    Slash,
}

/// Latin letters that look Cyrillic, typed by mistake inside Russian words.
fn cyrillic_lookalike(c: char) -> char {
    match c {
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        'k' => 'к',
        'm' => 'м',
        't' => 'т',
        'h' => 'н',
        'b' => 'в',
        _ => c,
    }
}

fn lex(s: &[char]) -> Result<Vec<Tok>, ParseError> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c.is_ascii_digit() {
            let start = i;
            while s.get(i).is_some_and(|c| c.is_ascii_digit())
                || (s.get(i) == Some(&'.') && s.get(i + 1).is_some_and(|c| c.is_ascii_digit()))
            {
                i += 1;
            }
            let text: String = s[start..i].iter().collect();
            if text.contains('.') {
                out.push(Tok::Date(dotted_date(&text)?));
            } else {
                out.push(Tok::Num(text));
            }
        } else if c.is_alphabetic() {
            let start = i;
            while s.get(i).is_some_and(|c| c.is_alphabetic()) {
                i += 1;
            }
            let w: String = s[start..i].iter().collect();
            let cyrillic = w.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
            out.push(Tok::Word(if cyrillic {
                w.chars().map(cyrillic_lookalike).collect()
            } else {
                w
            }));
        } else {
            match c {
                '-' => out.push(Tok::Dash),
                '/' => out.push(Tok::Slash),
                // Abbreviation dots («г.», «кв.») and stray quotes carry nothing.
                ' ' | '.' | '"' | '«' | '»' | '“' | '”' | '„' => {}
                _ => return Err(unparsed()),
            }
            i += 1;
        }
    }
    Ok(out)
}

/// «15.12.2024», also with a two-digit year «15.12.24».
fn dotted_date(text: &str) -> Result<NaiveDate, ParseError> {
    let bad = || err(format!("нет такой даты: {text}"));
    let parts: Vec<&str> = text.split('.').collect();
    let [d, m, y] = parts[..] else {
        return Err(bad());
    };
    if d.len() > 2 || m.len() > 2 {
        return Err(bad());
    }
    let y = match y.len() {
        2 => y.parse::<i32>().ok().map(|y| 2000 + y),
        _ => year_of(y),
    }
    .ok_or_else(bad)?;
    let (d, m) = (
        d.parse::<u32>().map_err(|_| bad())?,
        m.parse::<u32>().map_err(|_| bad())?,
    );
    ymd(y, m, d).ok_or_else(bad)
}

// ---------------------------------------------------------------- grammar

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
fn wraps(m1: u32, m2: u32) -> bool {
    m1 > m2 && m1 >= 9 && m2 <= 8
}

fn year_after(y1: i32, m1: u32, m2: u32) -> Option<i32> {
    if wraps(m1, m2) {
        y1.checked_add(1)
    } else {
        Some(y1)
    }
}

fn year_before(y2: i32, m1: u32, m2: u32) -> Option<i32> {
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
        });
    }
    let (main, note) = split_note(&t)?;
    let items = parse_list(&main.trimmed())?;
    Ok(Deadline { items, note })
}

// ----------------------------------------------------------------- bounds

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
        Some((
            all.iter().map(|b| b.0).min()?,
            all.iter().map(|b| b.1).max()?,
        ))
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

    /// The normalised print form: «сентябрь – ноябрь 2024 г.», «до
    /// 15.12.2024», «I квартал 2025 г.». Years are printed as written, never
    /// filled from a period; no-break spaces keep «2024 г.» and the dash
    /// with what precedes them.
    pub fn print(&self, capitalize: bool) -> String {
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
}

// ------------------------------------------------------------------ print

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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn p(s: &str) -> Deadline {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn one(s: &str) -> Item {
        let x = p(s);
        assert_eq!(x.items.len(), 1, "{s}: {x:?}");
        x.items[0].clone()
    }

    fn mr(month: u32, year: Option<i32>) -> MonthRef {
        MonthRef {
            month,
            year,
            by: false,
        }
    }

    /// The printed form with no-break spaces shown as plain ones, for readable asserts.
    fn pr(s: &str, cap: bool) -> String {
        p(s).print(cap).replace('\u{a0}', " ")
    }

    #[test]
    fn dates() {
        assert_eq!(one("15.12.2024"), Item::On(d(2024, 12, 15)));
        assert_eq!(one("15 декабря 2024 г."), Item::On(d(2024, 12, 15)));
        assert_eq!(one("1.9.24"), Item::On(d(2024, 9, 1)));
        assert_eq!(one("до 15.12.2024"), Item::By(d(2024, 12, 15)));
        assert_eq!(one("не позднее 15.12.2024"), Item::By(d(2024, 12, 15)));
        assert_eq!(
            one("Не позже 15 декабря 2024 года"),
            Item::By(d(2024, 12, 15))
        );
        assert_eq!(one("в срок до 10.11.2024"), Item::By(d(2024, 11, 10)));
        assert_eq!(pr("в срок до 10.11.2024", false), "до 10.11.2024");
        assert_eq!(pr("15 декабря 2024 г.", false), "15.12.2024");
    }

    #[test]
    fn date_ranges() {
        let r = Item::Between(d(2024, 9, 1), d(2024, 12, 31));
        assert_eq!(one("с 01.09.2024 по 31.12.2024"), r);
        assert_eq!(one("01.09.2024 – 31.12.2024"), r);
        assert_eq!(one("01.09.2024-31.12.2024"), r);
        assert_eq!(one("с 01.09.2024 до 31.12.2024"), r);
        assert_eq!(one("с 1 сентября по 31 декабря 2024 г."), r);
        assert_eq!(
            one("с 1 по 15 сентября 2024"),
            Item::Between(d(2024, 9, 1), d(2024, 9, 15))
        );
        assert_eq!(
            pr("с 01.09.2024 по 31.12.2024", false),
            "01.09.2024 – 31.12.2024"
        );
        assert_eq!(
            p("01.09.2024 — 31.12.2024").print(false),
            "01.09.2024\u{a0}– 31.12.2024"
        );
    }

    #[test]
    fn months() {
        assert_eq!(one("сентябрь 2024"), Item::Month(mr(9, Some(2024))));
        assert_eq!(one("Сентябрь"), Item::Month(mr(9, None)));
        assert_eq!(one("в сентябре 2024 г."), Item::Month(mr(9, Some(2024))));
        assert_eq!(
            one("в течение сентября 2024 года"),
            Item::Month(mr(9, Some(2024)))
        );
        assert_eq!(one("  НОЯБРЬ   2024  "), Item::Month(mr(11, Some(2024))));
        assert_eq!(
            one("до сентября 2024"),
            Item::Month(MonthRef {
                month: 9,
                year: Some(2024),
                by: true
            })
        );
        assert_eq!(
            one("до мая"),
            Item::Month(MonthRef {
                month: 5,
                year: None,
                by: true
            })
        );
        for (forms, m) in [
            (&["январь", "января", "январе"][..], 1),
            (&["февраль", "февраля", "феврале"][..], 2),
            (&["март", "марта", "марте"][..], 3),
            (&["апрель", "апреля", "апреле"][..], 4),
            (&["май", "мая", "мае"][..], 5),
            (&["июнь", "июня", "июне"][..], 6),
            (&["июль", "июля", "июле"][..], 7),
            (&["август", "августа", "августе"][..], 8),
            (&["сентябрь", "сентября", "сентябре", "сент."][..], 9),
            (&["октябрь", "октября", "октябре"][..], 10),
            (&["ноябрь", "ноября", "ноябре"][..], 11),
            (&["декабрь", "декабря", "декабре", "дек."][..], 12),
        ] {
            for f in forms {
                assert_eq!(
                    one(&format!("{f} 2025")),
                    Item::Month(mr(m, Some(2025))),
                    "{f}"
                );
            }
        }
        // Latin «с» and «е» typed inside a Russian word.
        assert_eq!(one("ceнтябрь 2024"), Item::Month(mr(9, Some(2024))));
        assert!(parse("мартовский 2024").is_err());
        assert!(parse("ма 2024").is_err());
    }

    #[test]
    fn month_printing() {
        assert_eq!(pr("Ноябрь 2024", true), "Ноябрь 2024 г.");
        assert_eq!(p("Ноябрь 2024").print(false), "ноябрь 2024\u{a0}г.");
        assert_eq!(pr("в сентябре", false), "сентябрь");
        assert_eq!(pr("до сентября 2024 года", false), "до сентября 2024 г.");
        assert_eq!(pr("до мая", true), "До мая");
    }

    #[test]
    fn month_ranges() {
        assert_eq!(
            one("сентябрь – ноябрь 2024"),
            Item::Months(mr(9, Some(2024)), mr(11, Some(2024)))
        );
        assert_eq!(
            one("октябрь-декабрь"),
            Item::Months(mr(10, None), mr(12, None))
        );
        assert_eq!(
            one("ноябрь 2024 – февраль 2025"),
            Item::Months(mr(11, Some(2024)), mr(2, Some(2025)))
        );
        assert_eq!(
            one("Сентябрь 2024 г. - май 2025 г."),
            Item::Months(mr(9, Some(2024)), mr(5, Some(2025)))
        );
        assert_eq!(
            one("с сентября по ноябрь 2024 года"),
            Item::Months(mr(9, Some(2024)), mr(11, Some(2024)))
        );
        assert_eq!(
            one("в сентябре—октябре 2024"),
            Item::Months(mr(9, Some(2024)), mr(10, Some(2024)))
        );
        // A single trailing year across New Year inside a school year.
        assert_eq!(
            one("декабрь-февраль 2025"),
            Item::Months(mr(12, Some(2024)), mr(2, Some(2025)))
        );
        assert_eq!(
            pr("сентябрь – ноябрь 2024", false),
            "сентябрь – ноябрь 2024 г."
        );
        assert_eq!(
            p("Сентябрь - ноябрь 2024").print(true),
            "Сентябрь\u{a0}– ноябрь 2024\u{a0}г."
        );
        assert_eq!(
            pr("ноябрь 2024 г. - февраль 2025 г.", false),
            "ноябрь 2024 г. – февраль 2025 г."
        );
        assert_eq!(pr("октябрь-декабрь", true), "Октябрь – декабрь");
        assert_eq!(
            p("Июль-август 2025").bounds(None),
            Some((d(2025, 7, 1), d(2025, 8, 31)))
        );
        assert_eq!(
            p("декабрь-февраль 2025").bounds(None),
            Some((d(2024, 12, 1), d(2025, 2, 28)))
        );
    }

    #[test]
    fn quarters_and_halves() {
        assert_eq!(
            one("I квартал 2025"),
            Item::Quarter {
                q: 1,
                year: Some(2025)
            }
        );
        assert_eq!(
            one("1 квартал 2025 г."),
            Item::Quarter {
                q: 1,
                year: Some(2025)
            }
        );
        assert_eq!(
            one("IV кв. 2024"),
            Item::Quarter {
                q: 4,
                year: Some(2024)
            }
        );
        assert_eq!(
            one("в течение III квартала 2025 года"),
            Item::Quarter {
                q: 3,
                year: Some(2025)
            }
        );
        assert_eq!(one("первый квартал"), Item::Quarter { q: 1, year: None });
        assert_eq!(
            one("II–III квартал 2025"),
            Item::Quarters {
                from: 2,
                to: 3,
                year: Some(2025)
            }
        );
        assert_eq!(
            one("с I по III квартал 2025 г."),
            Item::Quarters {
                from: 1,
                to: 3,
                year: Some(2025)
            }
        );
        assert_eq!(
            one("I полугодие 2025"),
            Item::Half {
                h: 1,
                year: Some(2025)
            }
        );
        assert_eq!(
            one("2 полугодие 2024 года"),
            Item::Half {
                h: 2,
                year: Some(2024)
            }
        );
        assert_eq!(
            one("первое полугодие 2025"),
            Item::Half {
                h: 1,
                year: Some(2025)
            }
        );
        assert_eq!(one("во втором полугодии"), Item::Half { h: 2, year: None });
        assert!(parse("V квартал 2025").is_err());
        assert!(parse("5 квартал 2025").is_err());
        assert!(parse("3 полугодие 2025").is_err());
        assert_eq!(pr("IV кв. 2024", false), "IV квартал 2024 г.");
        assert_eq!(pr("II-III квартал 2025", false), "II–III кварталы 2025 г.");
        assert_eq!(
            pr("первое полугодие 2025 года", true),
            "I полугодие 2025 г."
        );
        assert_eq!(
            p("I квартал 2025 г.").bounds(None),
            Some((d(2025, 1, 1), d(2025, 3, 31)))
        );
        assert_eq!(
            p("II-III квартал 2025").bounds(None),
            Some((d(2025, 4, 1), d(2025, 9, 30)))
        );
        assert_eq!(
            p("2 полугодие 2024 года").bounds(None),
            Some((d(2024, 7, 1), d(2024, 12, 31)))
        );
    }

    #[test]
    fn years_and_school_years() {
        assert_eq!(one("2025"), Item::Year(2025));
        assert_eq!(one("2025 год"), Item::Year(2025));
        assert_eq!(one("в течение 2025 года"), Item::Year(2025));
        assert_eq!(one("2022–2025 годы"), Item::Years(2022, 2025));
        assert_eq!(one("2023-2024 гг."), Item::Years(2023, 2024));
        assert_eq!(one("2024/2025 учебный год"), Item::SchoolYear(Some(2024)));
        assert_eq!(
            one("в течение 2024/2025 учебного года"),
            Item::SchoolYear(Some(2024))
        );
        assert_eq!(one("2024-2025 учебный год"), Item::SchoolYear(Some(2024)));
        assert_eq!(one("2024/25 уч. год"), Item::SchoolYear(Some(2024)));
        assert_eq!(one("учебный год 2024/2025"), Item::SchoolYear(Some(2024)));
        assert_eq!(one("в течение учебного года"), Item::SchoolYear(None));
        assert!(parse("2024/2026 учебный год").is_err());
        assert!(parse("2022-2025 учебный год").is_err());
        assert_eq!(pr("2025 год", false), "2025 г.");
        assert_eq!(pr("2023-2024 гг.", false), "2023–2024 гг.");
        assert_eq!(
            pr("2024-2025 учебный год", true),
            "В течение 2024/2025 учебного года"
        );
        assert_eq!(
            pr("в течение учебного года", false),
            "в течение учебного года"
        );
        assert_eq!(
            p("2022–2025 гг.").bounds(None),
            Some((d(2022, 1, 1), d(2025, 12, 31)))
        );
        assert_eq!(
            p("2024/2025 учебный год").bounds(None),
            Some((d(2024, 9, 1), d(2025, 8, 31)))
        );
    }

    #[test]
    fn recurring() {
        for (s, kind) in [
            ("еженедельно", Recurrence::Weekly),
            ("Ежемесячно", Recurrence::Monthly),
            ("ежеквартально", Recurrence::Quarterly),
            ("ежегодно", Recurrence::Yearly),
            ("постоянно", Recurrence::Constantly),
            ("в течение года", Recurrence::DuringYear),
            ("В течение периода", Recurrence::DuringPeriod),
            ("в течение всего периода", Recurrence::DuringPeriod),
        ] {
            assert_eq!(one(s), Item::Recurring { kind, note: None }, "{s}");
            assert_eq!(p(s).bounds(None), None);
        }
        assert_eq!(
            one("ежемесячно, до 5 числа"),
            Item::Recurring {
                kind: Recurrence::Monthly,
                note: Some(", до 5 числа".into())
            }
        );
        assert_eq!(
            one("ежегодно в сентябре"),
            Item::Recurring {
                kind: Recurrence::Yearly,
                note: Some("в сентябре".into())
            }
        );
        assert_eq!(
            pr("Ежеквартально, до 5 числа", false),
            "ежеквартально, до 5 числа"
        );
        assert_eq!(
            pr("ежегодно (июнь, декабрь)", true),
            "Ежегодно (июнь, декабрь)"
        );
        assert_eq!(
            pr(
                "В течение года в соответствии с графиком СКИРО ПК и ПРО",
                true
            ),
            "В течение года в соответствии с графиком СКИРО ПК и ПРО"
        );
        // «ежегодной» is a different word.
        assert!(parse("ежегодной").is_err());
    }

    #[test]
    fn schedules() {
        assert_eq!(
            one("по отдельному графику"),
            Item::Schedule("по отдельному графику".into())
        );
        assert_eq!(
            one("По мере  необходимости"),
            Item::Schedule("по мере необходимости".into())
        );
        assert_eq!(one("по запросу"), Item::Schedule("по запросу".into()));
        assert_eq!(one("по плану ОО"), Item::Schedule("по плану ОО".into()));
        assert_eq!(pr("По графику ОО", true), "По графику ОО");
        assert_eq!(pr("По графику ОО", false), "по графику ОО");
        assert_eq!(pr("один раз в квартал", false), "один раз в квартал");
        assert_eq!(p("по запросу").bounds(None), None);
    }

    #[test]
    fn lists() {
        assert_eq!(
            p("сентябрь 2024, январь 2025").items,
            vec![
                Item::Month(mr(9, Some(2024))),
                Item::Month(mr(1, Some(2025)))
            ]
        );
        assert_eq!(p("октябрь 2024; март 2025").items.len(), 2);
        let x = p("май, сентябрь 2025");
        assert_eq!(
            x.items,
            vec![
                Item::Month(mr(5, Some(2025))),
                Item::Month(mr(9, Some(2025)))
            ]
        );
        assert!(!x.has_yearless());
        assert_eq!(x.bounds(None), Some((d(2025, 5, 1), d(2025, 9, 30))));
        assert_eq!(
            x.print(false).replace('\u{a0}', " "),
            "май, сентябрь 2025 г."
        );
        assert_eq!(
            pr("май 2025 и сентябрь 2025", false),
            "май, сентябрь 2025 г."
        );
        assert_eq!(
            p("I и II квартал 2025").items,
            vec![
                Item::Quarter {
                    q: 1,
                    year: Some(2025)
                },
                Item::Quarter {
                    q: 2,
                    year: Some(2025)
                }
            ]
        );
        assert_eq!(
            p("10, 20 декабря 2024").items,
            vec![Item::On(d(2024, 12, 10)), Item::On(d(2024, 12, 20))]
        );
        assert_eq!(
            p("сентябрь – октябрь, декабрь 2024").items,
            vec![
                Item::Months(mr(9, Some(2024)), mr(10, Some(2024))),
                Item::Month(mr(12, Some(2024)))
            ]
        );
        assert_eq!(
            pr("ноябрь 2024, 15.03.2025, ежемесячно", false),
            "ноябрь 2024 г., 15.03.2025, ежемесячно"
        );
        assert!(parse("I, сентябрь 2025").is_err());
        assert!(parse("январь 2024 август 2025").is_err());
    }

    #[test]
    fn bracketed_remarks() {
        let x = p("Ноябрь 2024 (далее – ежеквартально)");
        assert_eq!(x.items, vec![Item::Month(mr(11, Some(2024)))]);
        assert_eq!(x.note.as_deref(), Some("далее – ежеквартально"));
        assert_eq!(
            x.print(true).replace('\u{a0}', " "),
            "Ноябрь 2024 г. (далее – ежеквартально)"
        );
        assert_eq!(
            p("Ноябрь 2024, апрель 2025 (по отдельному графику)")
                .items
                .len(),
            2
        );
        assert_eq!(
            one("(I квартал 2025)"),
            Item::Quarter {
                q: 1,
                year: Some(2025)
            }
        );
        assert!(parse("Ноябрь 2024 (далее").is_err());
        assert!(parse("Ноябрь (2024)  декабрь").is_err());
    }

    #[test]
    fn bounds_without_period() {
        assert_eq!(
            p("15.12.2024").bounds(None),
            Some((d(2024, 12, 15), d(2024, 12, 15)))
        );
        assert_eq!(
            p("до 15.12.2024").bounds(None),
            Some((d(2024, 12, 15), d(2024, 12, 15)))
        );
        assert_eq!(
            p("сентябрь 2024").bounds(None),
            Some((d(2024, 9, 1), d(2024, 9, 30)))
        );
        assert_eq!(
            p("февраль 2024").bounds(None),
            Some((d(2024, 2, 1), d(2024, 2, 29)))
        );
        // «до сентября» is before September begins.
        assert_eq!(
            p("до сентября 2024").bounds(None),
            Some((d(2024, 8, 31), d(2024, 8, 31)))
        );
        assert_eq!(
            p("до января 2025").bounds(None),
            Some((d(2024, 12, 31), d(2024, 12, 31)))
        );
        assert_eq!(p("сентябрь").bounds(None), None);
        assert_eq!(p("I квартал").bounds(None), None);
        assert_eq!(p("в течение учебного года").bounds(None), None);
        assert_eq!(
            p("сентябрь 2024, ежемесячно").bounds(None),
            Some((d(2024, 9, 1), d(2024, 9, 30)))
        );
    }

    #[test]
    fn bounds_with_period() {
        let sy = Period::school_year(2024);
        assert_eq!(
            sy,
            Period {
                start: d(2024, 9, 1),
                end: d(2025, 8, 31)
            }
        );
        assert!(sy.spans_two_years());
        let b = |s: &str, per: &Period| p(s).bounds(Some(per));
        assert_eq!(b("декабрь", &sy), Some((d(2024, 12, 1), d(2024, 12, 31))));
        assert_eq!(b("май", &sy), Some((d(2025, 5, 1), d(2025, 5, 31))));
        assert_eq!(
            b("ноябрь – февраль", &sy),
            Some((d(2024, 11, 1), d(2025, 2, 28)))
        );
        assert_eq!(
            b("до сентября", &sy),
            Some((d(2025, 8, 31), d(2025, 8, 31)))
        );
        assert_eq!(
            b("IV квартал", &sy),
            Some((d(2024, 10, 1), d(2024, 12, 31)))
        );
        assert_eq!(b("I квартал", &sy), Some((d(2025, 1, 1), d(2025, 3, 31))));
        assert_eq!(
            b("I полугодие", &sy),
            Some((d(2024, 9, 1), d(2024, 12, 31)))
        );
        assert_eq!(
            b("II полугодие", &sy),
            Some((d(2025, 1, 1), d(2025, 8, 31)))
        );
        assert_eq!(
            b("в течение учебного года", &sy),
            Some((d(2024, 9, 1), d(2025, 8, 31)))
        );
        // Written years win over the period.
        assert_eq!(
            b("сентябрь 2025", &sy),
            Some((d(2025, 9, 1), d(2025, 9, 30)))
        );
        let one_year = Period::years(2025, 2025);
        assert!(!one_year.spans_two_years());
        assert_eq!(
            b("I квартал", &one_year),
            Some((d(2025, 1, 1), d(2025, 3, 31)))
        );
        assert_eq!(
            b("II полугодие", &one_year),
            Some((d(2025, 7, 1), d(2025, 12, 31)))
        );
        assert_eq!(
            b("май, сентябрь", &one_year),
            Some((d(2025, 5, 1), d(2025, 9, 30)))
        );
        assert_eq!(b("в течение учебного года", &one_year), None);
        let several = Period::years(2022, 2025);
        assert_eq!(b("май", &several), None);
        let x = p("сентябрь, 15.03.2025");
        assert_eq!(
            Deadline::item_bounds(&x.items[0], Some(&sy)),
            Some((d(2024, 9, 1), d(2024, 9, 30)))
        );
        assert_eq!(
            Deadline::item_bounds(&x.items[1], Some(&sy)),
            Some((d(2025, 3, 15), d(2025, 3, 15)))
        );
        assert_eq!(x.bounds(Some(&sy)), Some((d(2024, 9, 1), d(2025, 3, 15))));
    }

    #[test]
    fn yearless() {
        assert!(p("май").has_yearless());
        assert!(p("октябрь-декабрь").has_yearless());
        assert!(p("I квартал").has_yearless());
        assert!(p("II полугодие").has_yearless());
        assert!(!p("сентябрь, январь 2025").has_yearless());
        assert!(p("январь 2025, сентябрь").has_yearless());
        assert!(!p("сентябрь – ноябрь 2024").has_yearless());
        assert!(!p("в течение учебного года").has_yearless());
        assert!(!p("15.12.2024").has_yearless());
    }

    #[test]
    fn reversed_ranges() {
        assert_eq!(p("ноябрь – сентябрь 2024").reversed(), vec![0]);
        assert_eq!(p("ноябрь 2024 – сентябрь 2024").reversed(), vec![0]);
        assert_eq!(p("31.12.2024 – 01.09.2024").reversed(), vec![0]);
        assert_eq!(p("III–I квартал 2025").reversed(), vec![0]);
        assert_eq!(p("2025–2022 гг.").reversed(), vec![0]);
        assert_eq!(p("май 2025, ноябрь – сентябрь 2024").reversed(), vec![1]);
        assert_eq!(p("март – январь").reversed(), vec![0]);
        assert!(p("сентябрь – ноябрь 2024").reversed().is_empty());
        assert!(p("декабрь – февраль").reversed().is_empty());
        assert!(p("декабрь – февраль 2025").reversed().is_empty());
        // Bounds of a reversed range are still earliest..latest.
        assert_eq!(
            p("31.12.2024 – 01.09.2024").bounds(None),
            Some((d(2024, 9, 1), d(2024, 12, 31)))
        );
        assert_eq!(
            p("ноябрь – сентябрь 2024").bounds(None),
            Some((d(2024, 9, 1), d(2024, 11, 30)))
        );
        assert_eq!(
            p("2025–2022 гг.").bounds(None),
            Some((d(2022, 1, 1), d(2025, 12, 31)))
        );
        assert_eq!(
            p("III–I квартал 2025").bounds(None),
            Some((d(2025, 1, 1), d(2025, 9, 30)))
        );
        // Printing keeps a reversed range reversed.
        let x = p("декабрь 2025 – февраль 2025");
        assert_eq!(parse(&x.print(false)).unwrap(), x);
    }

    #[test]
    fn unparsed() {
        for s in [
            "",
            "  ",
            "до",
            "с",
            "в течение",
            "13.13.2024",
            "31.02.2024",
            "15.12",
            "99999999999 год",
            "сентябрь 99999999999",
            "I квартал 99999",
            "Ноябрь 20245",
            "когда-нибудь",
            "αβγ сентябрь",
            "-",
            "с по",
            "с сентября 2024",
            "до 2025 года",
            "до сентября – ноября 2024",
            "IV квартал 2024 – I квартал 2025",
            "15",
            "15 декабря",
            "сентябрь 2024 октябрь",
            "сентябрь: 2024",
        ] {
            assert!(parse(s).is_err(), "{s:?} parsed as {:?}", parse(s));
        }
        assert_eq!(
            parse("13.13.2024").unwrap_err().message,
            "нет такой даты: 13.13.2024"
        );
        assert_eq!(parse("  ").unwrap_err().message, "срок пуст");
        assert_eq!(
            parse("январь 2024 август 2025").unwrap_err().message,
            "не удалось разобрать срок"
        );
    }

    /// Every accepted form prints to text that parses back to the same value.
    #[test]
    fn print_round_trips() {
        for s in [
            "15.12.2024",
            "до 15.12.2024",
            "с 01.09.2024 по 31.12.2024",
            "сентябрь 2024",
            "Сентябрь",
            "до сентября 2024",
            "до мая",
            "сентябрь – ноябрь 2024",
            "октябрь-декабрь",
            "ноябрь 2024 – февраль 2025",
            "декабрь-февраль 2025",
            "ноябрь – сентябрь 2024",
            "I квартал 2025",
            "IV кв.",
            "II–III квартал 2025",
            "2 полугодие 2024 года",
            "2025",
            "2022–2025 годы",
            "2024/2025 учебный год",
            "в течение учебного года",
            "ежемесячно, до 5 числа",
            "ежегодно в сентябре",
            "в течение всего периода",
            "по отдельному графику",
            "май, сентябрь 2025",
            "сентябрь 2024, январь 2025",
            "I и II квартал 2025",
            "Ноябрь 2024, апрель 2025 (по отдельному графику)",
        ] {
            let x = p(s);
            let printed = x.print(true);
            assert_eq!(parse(&printed).as_ref(), Ok(&x), "{s} → {printed}");
        }
    }

    /// Deterministic pseudo-random strings from clerk-like fragments and odd
    /// characters: nothing may panic, and what parses must print and re-parse.
    #[test]
    fn odd_input_never_panics() {
        const FRAGMENTS: [&str; 40] = [
            "до",
            "с",
            "по",
            "в течение",
            "не позднее",
            "сентябрь",
            "мая",
            "декабре",
            "2024",
            "2025",
            "г.",
            "года",
            "гг.",
            "15.12.2024",
            "13.13.2024",
            "31.02.2024",
            "I",
            "IV",
            "V",
            "квартал",
            "кв.",
            "полугодие",
            "первое",
            "учебный год",
            "2024/2025",
            "/",
            "-",
            "–",
            "—",
            ",",
            ";",
            " и ",
            "(",
            ")",
            "ежемесячно",
            "по графику",
            "99999999999 год",
            "0",
            "αβγ",
            "\u{a0}",
        ];
        const CHARS: [char; 16] = [
            '.', ' ', '-', '/', '(', ')', '1', '9', 'I', 'і', 'ё', 'Ё', '\u{0301}', '😀', '\0', 'ß',
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let sy = Period::school_year(2024);
        let cy = Period::years(2025, 2025);
        let wide = Period::years(2022, 2025);
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..next(7) {
                if next(4) == 0 {
                    s.push(CHARS[next(CHARS.len())]);
                } else {
                    s.push_str(FRAGMENTS[next(FRAGMENTS.len())]);
                    if next(2) == 0 {
                        s.push(' ');
                    }
                }
            }
            let Ok(x) = parse(&s) else { continue };
            for per in [None, Some(&sy), Some(&cy), Some(&wide)] {
                let _ = x.bounds(per);
                for i in &x.items {
                    let _ = Deadline::item_bounds(i, per);
                }
            }
            let _ = (x.has_yearless(), x.reversed());
            let printed = x.print(true);
            assert_eq!(parse(&printed).as_ref(), Ok(&x), "{s:?} → {printed:?}");
        }
        let long = "сентябрь, ".repeat(500);
        assert!(parse(&long).is_err());
    }

    /// Values built by hand, not by the parser, may be out of range.
    #[test]
    fn odd_values_never_panic() {
        let sy = Period::school_year(i32::MAX);
        let odd = [
            Item::Month(MonthRef {
                month: 0,
                year: Some(i32::MAX),
                by: true,
            }),
            Item::Month(MonthRef {
                month: 13,
                year: None,
                by: false,
            }),
            Item::Month(MonthRef {
                month: 1,
                year: Some(i32::MIN),
                by: true,
            }),
            Item::Months(mr(12, Some(i32::MAX)), mr(1, None)),
            Item::Months(mr(0, None), mr(99, None)),
            Item::Quarter {
                q: 0,
                year: Some(2025),
            },
            Item::Quarters {
                from: 9,
                to: 0,
                year: None,
            },
            Item::Half {
                h: 7,
                year: Some(i32::MIN),
            },
            Item::Year(i32::MAX),
            Item::Years(i32::MIN, i32::MAX),
            Item::SchoolYear(Some(i32::MAX)),
        ];
        for per in [None, Some(&sy), Some(&Period::years(i32::MIN, i32::MAX))] {
            for i in &odd {
                let _ = Deadline::item_bounds(i, per);
            }
        }
        let x = Deadline {
            items: odd.to_vec(),
            note: Some(String::new()),
        };
        let _ = (
            x.print(true),
            x.print(false),
            x.has_yearless(),
            x.reversed(),
            x.bounds(None),
        );
        assert_eq!(
            Deadline {
                items: vec![],
                note: None
            }
            .print(true),
            ""
        );
    }
}
