//! Deadlines as clerks write them («Ноябрь 2024», «до 15.12.2024», «I квартал
//! 2025 г.», «в течение 2024/2025 учебного года», «ежемесячно»), parsed into
//! values that can be checked against the plan's period and printed uniformly.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub items: Vec<Item>,
    /// A remark in brackets after the deadline: «(по отдельному графику)».
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRef {
    pub month: u32,
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recurrence {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    Constantly,
    DuringYear,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    On(NaiveDate),
    By(NaiveDate),
    Between(NaiveDate, NaiveDate),
    Month(MonthRef),
    /// «до сентября 2024»
    ByMonth(MonthRef),
    Months(MonthRef, MonthRef),
    Quarter { q: u8, year: Option<i32> },
    Quarters { from: u8, to: u8, year: Option<i32> },
    Half { h: u8, year: Option<i32> },
    Year(i32),
    Years(i32, i32),
    /// Start year of the school year; `None` for «в течение учебного года».
    SchoolYear(Option<i32>),
    Recurring { kind: Recurrence, note: Option<String> },
    /// «по отдельному графику», «по мере необходимости»: no dates.
    Schedule(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
}

/// The period a plan covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y.checked_add(1)?, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1)?.pred_opt()
}

impl Period {
    /// 1 September of `start_year` to 31 August of the next.
    pub fn school_year(start_year: i32) -> Period {
        Period {
            start: ymd(start_year, 9, 1).unwrap_or(NaiveDate::MIN),
            end: ymd(start_year + 1, 8, 31).unwrap_or(NaiveDate::MAX),
        }
    }
    pub fn years(a: i32, b: i32) -> Period {
        Period {
            start: ymd(a, 1, 1).unwrap_or(NaiveDate::MIN),
            end: ymd(b, 12, 31).unwrap_or(NaiveDate::MAX),
        }
    }
    pub fn spans_two_years(&self) -> bool {
        self.start.year() != self.end.year()
    }
    fn is_school_year(&self) -> bool {
        self.start.month() == 9 && self.start.day() == 1 && self.end.year() == self.start.year() + 1
    }
    /// The year a yearless month falls in: in a school year Sep–Dec belong to
    /// the first year, Jan–Aug to the second; in a one-year period, that year.
    fn year_of_month(&self, month: u32) -> Option<i32> {
        if self.is_school_year() {
            Some(if month >= 9 { self.start.year() } else { self.end.year() })
        } else if !self.spans_two_years() {
            Some(self.start.year())
        } else {
            None
        }
    }
    fn the_year(&self) -> Option<i32> {
        (!self.spans_two_years()).then(|| self.start.year())
    }
}

const MONTH_STEMS: [&str; 12] = [
    "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
];
pub const MONTHS_NOM: [&str; 12] = [
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
];
const MONTHS_GEN: [&str; 12] = [
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    // «май/мая/мае» share the two-letter stem with nothing else.
    if matches!(w.as_str(), "май" | "мая" | "мае") {
        return Some(5);
    }
    MONTH_STEMS
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 4)
        .find(|(_, s)| w.starts_with(*s) && w.chars().count() <= s.chars().count() + 2)
        .map(|(i, _)| i as u32 + 1)
}

fn roman(s: &str) -> Option<u8> {
    Some(match s.to_uppercase().as_str() {
        "I" | "1" | "ПЕРВЫЙ" | "ПЕРВОЕ" | "ПЕРВОГО" => 1,
        "II" | "2" | "ВТОРОЙ" | "ВТОРОЕ" | "ВТОРОГО" => 2,
        "III" | "3" | "ТРЕТИЙ" | "ТРЕТЬЕГО" => 3,
        "IV" | "4" | "ЧЕТВЕРТЫЙ" | "ЧЕТВЁРТЫЙ" | "ЧЕТВЕРТОГО" | "ЧЕТВЁРТОГО" => 4,
        _ => return None,
    })
}

const ROMAN: [&str; 5] = ["", "I", "II", "III", "IV"];

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

fn year(s: &str) -> Option<i32> {
    s.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y))
}

fn date(s: &str) -> Option<NaiveDate> {
    let mut it = s.split('.');
    let d: u32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let y = year(it.next()?)?;
    ymd(y, m, d)
}

fn date_words(day: &str, month: &str, y: &str) -> Option<NaiveDate> {
    ymd(year(y)?, month_of(month)?, day.parse().ok()?)
}

/// Normalises spacing, dashes and the year words so patterns stay simple.
fn normalise(s: &str) -> String {
    static YEARWORD: OnceLock<Regex> = OnceLock::new();
    let mut t = s.replace(['\u{a0}', '\t', '\n'], " ");
    t = t.replace(['–', '—', '−'], "-");
    t = re(&YEARWORD, r"(?i)(\d{4})\s*(?:гг\.?|г\.?|годы|годов|годах|года|году|год)(?:\s|$|[,;.])").replace_all(&t, "$1 ").into_owned();
    t = t.replace(" - ", "-").replace("- ", "-").replace(" -", "-");
    t.split_whitespace().collect::<Vec<_>>().join(" ").trim_matches(|c: char| c == '.' || c == ',' || c == ';' || c.is_whitespace()).to_string()
}

fn parse_item(s: &str) -> Option<Item> {
    static DATE_RANGE: OnceLock<Regex> = OnceLock::new();
    static BY_DATE: OnceLock<Regex> = OnceLock::new();
    static ON_DATE: OnceLock<Regex> = OnceLock::new();
    static WORD_DATE: OnceLock<Regex> = OnceLock::new();
    static SCHOOL: OnceLock<Regex> = OnceLock::new();
    static QUARTER: OnceLock<Regex> = OnceLock::new();
    static HALF: OnceLock<Regex> = OnceLock::new();
    static YEARS: OnceLock<Regex> = OnceLock::new();
    static YEAR: OnceLock<Regex> = OnceLock::new();
    static MONTHS: OnceLock<Regex> = OnceLock::new();
    static MONTH: OnceLock<Regex> = OnceLock::new();
    let d = r"(\d{1,2}\.\d{1,2}\.\d{4})";
    let original = s.trim();
    if original.is_empty() {
        return None;
    }
    // Match in lower case; Cyrillic and ASCII keep their byte lengths, so
    // offsets found in `s` slice `original` too.
    let lower = original.to_lowercase();
    let s = lower.as_str();
    let tail = |from: usize| original.get(from..).unwrap_or("").trim().to_string();
    for (w, k) in [
        ("еженедельно", Recurrence::Weekly),
        ("ежемесячно", Recurrence::Monthly),
        ("ежеквартально", Recurrence::Quarterly),
        ("ежегодно", Recurrence::Yearly),
        ("постоянно", Recurrence::Constantly),
        ("в течение года", Recurrence::DuringYear),
        ("в течение всего периода", Recurrence::Constantly),
        ("в течение периода", Recurrence::Constantly),
    ] {
        if s.starts_with(w) {
            let note = tail(w.len());
            return Some(Item::Recurring { kind: k, note: (!note.is_empty()).then_some(note) });
        }
    }
    for p in [
        "по отдельному графику", "по мере необходимости", "по запросу", "по плану", "по согласованию", "по графику",
        "по спец", "по специальному графику", "по потребност", "в соответствии с", "согласно графику",
        "один раз в", "раз в", "два раза в",
    ] {
        if s.starts_with(p) {
            return Some(Item::Schedule(original.to_string()));
        }
    }
    if let Some(c) = re(&DATE_RANGE, &format!(r"^(?:с )?{d}(?:-| по | до ){d}$")).captures(s) {
        return Some(Item::Between(date(&c[1])?, date(&c[2])?));
    }
    if let Some(c) = re(&BY_DATE, &format!(r"^(?:в срок )?(?:до|не позднее|не позже) {d}$")).captures(s) {
        return Some(Item::By(date(&c[1])?));
    }
    if let Some(c) = re(&ON_DATE, &format!(r"^{d}$")).captures(s) {
        return Some(Item::On(date(&c[1])?));
    }
    // Falls through when the word is not a month («2 полугодие 2024»).
    if let Some(c) = re(&WORD_DATE, r"^(до |не позднее )?(\d{1,2}) ([а-яё]+) (\d{4})$").captures(s)
        && let Some(dt) = date_words(&c[2], &c[3], &c[4])
    {
        return Some(if c.get(1).is_some() { Item::By(dt) } else { Item::On(dt) });
    }
    if let Some(c) = re(&SCHOOL, r"^(?:в течение |на )?(?:(\d{4})\s*[/-]\s*(\d{4}) )?учебн(?:ый|ого|ом) год[а-я]*(?: (\d{4})\s*[/-]\s*(\d{4}))?$").captures(s) {
        let (a, b) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(a), Some(b), _, _) | (_, _, Some(a), Some(b)) => (year(a.as_str()), year(b.as_str())),
            _ => return Some(Item::SchoolYear(None)),
        };
        let (a, b) = (a?, b?);
        return (b == a + 1).then_some(Item::SchoolYear(Some(a)));
    }
    if let Some(c) = re(&QUARTER, r"^(?:в течение |в )?(i{1,3}|iv|[1-4])(?:-(i{1,3}|iv|[1-4]))? (?:квартал[а-я]*|кв\.?)(?: (\d{4}))?$").captures(s) {
        let from = roman(&c[1])?;
        let y = match c.get(3) { Some(m) => Some(year(m.as_str())?), None => None };
        return Some(match c.get(2) {
            Some(t) => Item::Quarters { from, to: roman(t.as_str())?, year: y },
            None => Item::Quarter { q: from, year: y },
        });
    }
    if let Some(c) = re(&HALF, r"^(?:в течение |в )?(i{1,2}|[12]|первое|второе|первого|второго) полугоди[а-я]*(?: (\d{4}))?$").captures(s) {
        let h = roman(&c[1]).filter(|h| *h <= 2)?;
        let y = match c.get(2) { Some(m) => Some(year(m.as_str())?), None => None };
        return Some(Item::Half { h, year: y });
    }
    if let Some(c) = re(&YEARS, r"^(?:в течение |в )?(\d{4})-(\d{4})$").captures(s) {
        return Some(Item::Years(year(&c[1])?, year(&c[2])?));
    }
    if let Some(c) = re(&YEAR, r"^(?:в течение |в )?(\d{4})$").captures(s) {
        return Some(Item::Year(year(&c[1])?));
    }
    if let Some(c) = re(&MONTHS, r"^(?:с |в период с )?([а-яё]+)(?: (\d{4}))?(?:-| по | до )([а-яё]+)(?: (\d{4}))?$").captures(s) {
        let (m1, m2) = (month_of(&c[1])?, month_of(&c[3])?);
        let y1 = match c.get(2) { Some(m) => Some(year(m.as_str())?), None => None };
        let y2 = match c.get(4) { Some(m) => Some(year(m.as_str())?), None => None };
        // «сентябрь – ноябрь 2024»: the trailing year belongs to both ends.
        let y1 = y1.or(if m1 <= m2 { y2 } else { y2.map(|y| y - 1) });
        return Some(Item::Months(MonthRef { month: m1, year: y1 }, MonthRef { month: m2, year: y2 }));
    }
    if let Some(c) = re(&MONTH, r"^(до |в |в течение |не позднее )?([а-яё]+)(?: (\d{4}))?$").captures(s) {
        let m = month_of(&c[2])?;
        let y = match c.get(3) { Some(x) => Some(year(x.as_str())?), None => None };
        let r = MonthRef { month: m, year: y };
        return Some(if c.get(1).is_some_and(|p| p.as_str().starts_with("до") || p.as_str().starts_with("не")) { Item::ByMonth(r) } else { Item::Month(r) });
    }
    None
}

/// Parses a deadline; a list («сентябрь, декабрь 2024») gives several items.
pub fn parse(text: &str) -> Result<Deadline, ParseError> {
    let fail = || ParseError { message: "не удалось разобрать срок".into() };
    if text.chars().count() > 200 {
        return Err(ParseError { message: "слишком длинный текст срока".into() });
    }
    // «Ноябрь 2024 (далее – ежеквартально)»: the bracket is a remark, kept as written.
    let mut main = text.trim().trim_end_matches(['.', ';', ',']);
    let mut note = None;
    if main.ends_with(')')
        && let Some(open) = main.rfind('(')
        && open > 0
    {
        let inner = crate::typo::squash(&main[open + 1..main.len() - 1]);
        main = main[..open].trim();
        note = (!inner.is_empty()).then_some(inner);
    }
    let s = normalise(main);
    if s.is_empty() {
        return Err(ParseError { message: "срок пуст".into() });
    }
    let mut d = parse_list(&s).ok_or_else(fail)?;
    d.note = note;
    Ok(d)
}

fn parse_list(s: &str) -> Option<Deadline> {
    if let Some(item) = parse_item(s) {
        return Some(Deadline { items: vec![item], note: None });
    }
    // A list: split on «,», «;» and « и ».
    let parts: Vec<String> = s.replace(" и ", ",").split([',', ';']).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 {
        return None;
    }
    let mut items = Vec::new();
    for p in &parts {
        items.push(parse_item(p)?);
    }
    // «май, сентябрь 2025»: the last year applies to bare months before it.
    let trailing = items.iter().rev().find_map(|i| match i {
        Item::Month(m) | Item::ByMonth(m) => m.year,
        _ => None,
    });
    if let Some(y) = trailing {
        for i in &mut items {
            if let Item::Month(m) | Item::ByMonth(m) = i
                && m.year.is_none()
            {
                m.year = Some(y);
            }
        }
    }
    Some(Deadline { items, note: None })
}

fn month_bounds(m: MonthRef, period: Option<&Period>) -> Option<(NaiveDate, NaiveDate)> {
    let y = m.year.or_else(|| period.and_then(|p| p.year_of_month(m.month)))?;
    Some((ymd(y, m.month, 1)?, month_end(y, m.month)?))
}

impl Deadline {
    /// Earliest and latest day of one item; missing years come from the period.
    pub fn item_bounds(item: &Item, period: Option<&Period>) -> Option<(NaiveDate, NaiveDate)> {
        let py = || period.and_then(|p| p.the_year());
        match item {
            Item::On(d) => Some((*d, *d)),
            Item::By(d) => Some((*d, *d)),
            Item::Between(a, b) => Some((*a.min(b), *a.max(b))),
            Item::Month(m) | Item::ByMonth(m) => month_bounds(*m, period),
            Item::Months(a, b) => Some((month_bounds(*a, period)?.0, month_bounds(*b, period)?.1)),
            Item::Quarter { q, year } => {
                let y = year.or_else(py)?;
                let m = u32::from(*q) * 3;
                Some((ymd(y, m - 2, 1)?, month_end(y, m)?))
            }
            Item::Quarters { from, to, year } => {
                let y = year.or_else(py)?;
                Some((ymd(y, u32::from(*from) * 3 - 2, 1)?, month_end(y, u32::from(*to) * 3)?))
            }
            Item::Half { h, year } => {
                let y = year.or_else(py)?;
                Some(if *h == 1 { (ymd(y, 1, 1)?, ymd(y, 6, 30)?) } else { (ymd(y, 7, 1)?, ymd(y, 12, 31)?) })
            }
            Item::Year(y) => Some((ymd(*y, 1, 1)?, ymd(*y, 12, 31)?)),
            Item::Years(a, b) => Some((ymd(*a, 1, 1)?, ymd(*b, 12, 31)?)),
            Item::SchoolYear(Some(a)) => Some((ymd(*a, 9, 1)?, ymd(a + 1, 8, 31)?)),
            Item::SchoolYear(None) | Item::Recurring { .. } | Item::Schedule(_) => None,
        }
    }

    pub fn bounds(&self, period: Option<&Period>) -> Option<(NaiveDate, NaiveDate)> {
        let all: Vec<_> = self.items.iter().filter_map(|i| Self::item_bounds(i, period)).collect();
        Some((all.iter().map(|b| b.0).min()?, all.iter().map(|b| b.1).max()?))
    }

    pub fn has_yearless(&self) -> bool {
        self.items.iter().any(|i| match i {
            Item::Month(m) | Item::ByMonth(m) => m.year.is_none(),
            Item::Months(a, b) => a.year.is_none() || b.year.is_none(),
            Item::Quarter { year, .. } | Item::Quarters { year, .. } | Item::Half { year, .. } => year.is_none(),
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
                    _ => b.month < a.month && a.year.is_some(),
                },
                Item::Quarters { from, to, .. } => to < from,
                Item::Years(a, b) => b < a,
                _ => false,
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The normalised print form: «сентябрь – ноябрь 2024 г.», «до 15.12.2024».
    pub fn print(&self, capitalize: bool) -> String {
        let mut s = self.items.iter().map(print_item).collect::<Vec<_>>().join(", ");
        if let Some(n) = &self.note {
            s.push_str(&format!(" ({n})"));
        }
        if capitalize { crate::typo::capitalize(&s) } else { s }
    }
}

fn y_suffix(y: Option<i32>) -> String {
    y.map(|y| format!("\u{a0}{y}\u{a0}г.")).unwrap_or_default()
}

fn print_item(i: &Item) -> String {
    let dm = |d: &NaiveDate| d.format("%d.%m.%Y").to_string();
    let nom = |m: u32| MONTHS_NOM.get(m as usize - 1).copied().unwrap_or("");
    match i {
        Item::On(d) => dm(d),
        Item::By(d) => format!("до {}", dm(d)),
        Item::Between(a, b) => format!("{}\u{a0}– {}", dm(a), dm(b)),
        Item::Month(m) => format!("{}{}", nom(m.month), y_suffix(m.year)),
        Item::ByMonth(m) => format!("до {}{}", MONTHS_GEN.get(m.month as usize - 1).copied().unwrap_or(""), y_suffix(m.year)),
        Item::Months(a, b) => {
            if a.year == b.year || a.year.is_none() {
                format!("{}\u{a0}– {}{}", nom(a.month), nom(b.month), y_suffix(b.year))
            } else {
                format!("{}{}\u{a0}– {}{}", nom(a.month), y_suffix(a.year), nom(b.month), y_suffix(b.year))
            }
        }
        Item::Quarter { q, year } => format!("{}\u{a0}квартал{}", ROMAN[*q as usize], y_suffix(*year)),
        Item::Quarters { from, to, year } => format!("{}–{}\u{a0}кварталы{}", ROMAN[*from as usize], ROMAN[*to as usize], y_suffix(*year)),
        Item::Half { h, year } => format!("{}\u{a0}полугодие{}", ROMAN[*h as usize], y_suffix(*year)),
        Item::Year(y) => format!("{y}\u{a0}г."),
        Item::Years(a, b) => format!("{a}–{b}\u{a0}гг."),
        Item::SchoolYear(Some(a)) => format!("в течение {a}/{} учебного года", a + 1),
        Item::SchoolYear(None) => "в течение учебного года".into(),
        Item::Recurring { kind, note } => {
            let w = match kind {
                Recurrence::Weekly => "еженедельно",
                Recurrence::Monthly => "ежемесячно",
                Recurrence::Quarterly => "ежеквартально",
                Recurrence::Yearly => "ежегодно",
                Recurrence::Constantly => "постоянно",
                Recurrence::DuringYear => "в течение года",
            };
            match note {
                Some(n) if n.starts_with(',') => format!("{w}{n}"),
                Some(n) => format!("{w} {n}"),
                None => w.to_string(),
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

    #[test]
    fn months_with_and_without_year() {
        assert_eq!(p("Ноябрь 2024").items, vec![Item::Month(MonthRef { month: 11, year: Some(2024) })]);
        assert_eq!(p("в сентябре 2024 г.").items, vec![Item::Month(MonthRef { month: 9, year: Some(2024) })]);
        assert_eq!(p("май").items, vec![Item::Month(MonthRef { month: 5, year: None })]);
        assert!(p("Май").has_yearless());
        assert_eq!(p("Ноябрь 2024").print(true), "Ноябрь\u{a0}2024\u{a0}г.");
    }

    #[test]
    fn month_ranges_within_and_across_years() {
        let x = p("сентябрь – ноябрь 2024");
        assert_eq!(x.bounds(None), Some((d(2024, 9, 1), d(2024, 11, 30))));
        assert_eq!(x.print(false), "сентябрь\u{a0}– ноябрь\u{a0}2024\u{a0}г.");
        let y = p("ноябрь 2024 г. - февраль 2025 г.");
        assert_eq!(y.bounds(None), Some((d(2024, 11, 1), d(2025, 2, 28))));
        assert_eq!(y.print(false), "ноябрь\u{a0}2024\u{a0}г.\u{a0}– февраль\u{a0}2025\u{a0}г.");
        let z = p("Июль-август 2025");
        assert_eq!(z.bounds(None), Some((d(2025, 7, 1), d(2025, 8, 31))));
        // December–February of one trailing year means the winter across it.
        assert_eq!(p("декабрь-февраль 2025").bounds(None), Some((d(2024, 12, 1), d(2025, 2, 28))));
    }

    #[test]
    fn dates_and_by_dates() {
        assert_eq!(p("до 15.12.2024").items, vec![Item::By(d(2024, 12, 15))]);
        assert_eq!(p("в срок до 10.11.2024").print(false), "до 10.11.2024");
        assert_eq!(p("15 декабря 2024 г.").items, vec![Item::On(d(2024, 12, 15))]);
        assert_eq!(p("с 01.09.2024 по 31.12.2024").bounds(None), Some((d(2024, 9, 1), d(2024, 12, 31))));
        assert_eq!(p("до сентября 2024").items, vec![Item::ByMonth(MonthRef { month: 9, year: Some(2024) })]);
    }

    #[test]
    fn quarters_halves_years_school_years() {
        assert_eq!(p("I квартал 2025 г.").bounds(None), Some((d(2025, 1, 1), d(2025, 3, 31))));
        assert_eq!(p("IV кв. 2024").print(false), "IV\u{a0}квартал\u{a0}2024\u{a0}г.");
        assert_eq!(p("в течение III квартала 2025 года").bounds(None), Some((d(2025, 7, 1), d(2025, 9, 30))));
        assert_eq!(p("II-III квартал 2025").bounds(None), Some((d(2025, 4, 1), d(2025, 9, 30))));
        assert_eq!(p("2 полугодие 2024 года").bounds(None), Some((d(2024, 7, 1), d(2024, 12, 31))));
        assert_eq!(p("2025 год").items, vec![Item::Year(2025)]);
        assert_eq!(p("2022–2025 гг.").items, vec![Item::Years(2022, 2025)]);
        assert_eq!(p("в течение 2024/2025 учебного года").items, vec![Item::SchoolYear(Some(2024))]);
        assert_eq!(p("2024-2025 учебный год").print(true), "В течение 2024/2025 учебного года");
        assert_eq!(p("в течение учебного года").items, vec![Item::SchoolYear(None)]);
    }

    #[test]
    fn recurring_and_schedules_have_no_bounds() {
        assert_eq!(p("ежемесячно").print(false), "ежемесячно");
        assert_eq!(p("Ежеквартально, до 5 числа").print(false), "ежеквартально, до 5 числа");
        assert_eq!(p("В течение года в соответствии с графиком СКИРО ПК и ПРО").print(true), "В течение года в соответствии с графиком СКИРО ПК и ПРО");
        assert_eq!(p("один раз в квартал").print(false), "один раз в квартал");
        assert_eq!(p("По графику ОО").print(true), "По графику ОО");
        assert_eq!(p("постоянно").bounds(None), None);
        assert_eq!(p("по отдельному графику").print(true), "По отдельному графику");
    }

    #[test]
    fn bracketed_remarks_are_kept() {
        let x = p("Ноябрь 2024 (далее - ежеквартально)");
        assert_eq!(x.items, vec![Item::Month(MonthRef { month: 11, year: Some(2024) })]);
        assert_eq!(x.print(true), "Ноябрь\u{a0}2024\u{a0}г. (далее - ежеквартально)");
        assert_eq!(p("ежегодно (август-сентябрь)").items.len(), 1);
        assert!(parse("январь 2024 август 2025").is_err());
    }

    #[test]
    fn lists_share_a_trailing_year() {
        let x = p("май, сентябрь 2025");
        assert_eq!(x.items.len(), 2);
        assert!(!x.has_yearless());
        assert_eq!(x.bounds(None), Some((d(2025, 5, 1), d(2025, 9, 30))));
        assert_eq!(p("октябрь 2024; март 2025").items.len(), 2);
    }

    #[test]
    fn period_fills_missing_years() {
        let sy = Period::school_year(2024);
        assert_eq!(p("декабрь").bounds(Some(&sy)), Some((d(2024, 12, 1), d(2024, 12, 31))));
        assert_eq!(p("май").bounds(Some(&sy)), Some((d(2025, 5, 1), d(2025, 5, 31))));
        assert!(sy.spans_two_years());
        let one = Period::years(2025, 2025);
        assert_eq!(p("I квартал").bounds(Some(&one)), Some((d(2025, 1, 1), d(2025, 3, 31))));
    }

    #[test]
    fn reversed_ranges_are_found() {
        assert_eq!(p("ноябрь 2024 – сентябрь 2024").reversed(), vec![0]);
        assert_eq!(p("31.12.2024 – 01.09.2024").reversed(), vec![0]);
        assert!(p("сентябрь – ноябрь 2024").reversed().is_empty());
    }

    #[test]
    fn nonsense_is_unparsed_and_never_panics() {
        for s in ["", "  ", "до", "13.13.2024", "99999999999 год", "когда-нибудь", "Ноябрь 20245", "αβγ сентябрь", "-", "с по", "I квартал 99999", "31.02.2024"] {
            assert!(parse(s).is_err(), "{s}");
        }
    }
}
