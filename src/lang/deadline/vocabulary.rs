//! The words of deadlines: month names, years, quarters and halves, numerals,
//! and the recurring and schedule phrases that name no dates.

use super::Recurrence;

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

/// A month name in any case form, or a common abbreviation («сент.»),
/// in lower case.
pub fn month_of(w: &str) -> Option<u32> {
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

pub(super) fn is_year_word(w: &str) -> bool {
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

pub(super) fn is_school_word(w: &str) -> bool {
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
pub(super) enum Unit {
    Quarter,
    Half,
}

impl Unit {
    pub(super) fn max(self) -> u32 {
        match self {
            Unit::Quarter => 4,
            Unit::Half => 2,
        }
    }
}

pub(super) fn unit_of(w: &str) -> Option<Unit> {
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
pub(super) fn numeral_word(w: &str) -> Option<u32> {
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

pub(super) fn roman(n: u32) -> String {
    match n {
        1 => "I".into(),
        2 => "II".into(),
        3 => "III".into(),
        4 => "IV".into(),
        _ => n.to_string(),
    }
}

/// A four-digit year in a sane range; anything else is a typo, not a year.
pub(super) fn year_of(digits: &str) -> Option<i32> {
    if digits.len() != 4 {
        return None;
    }
    digits
        .parse::<i32>()
        .ok()
        .filter(|y| super::YEARS.contains(y))
}

pub(super) const RECURRING: [(&str, Recurrence); 14] = [
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
pub(super) const SCHEDULE: [&str; 28] = [
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

/// Deadlines an editor offers while a clerk types one: the forms the grammar
/// reads, with the years of `period` filled in, then the recurring phrases.
/// Every suggestion parses (pinned by a test).
pub fn suggestions(period: Option<&super::Period>) -> Vec<String> {
    use chrono::Datelike;
    let (a, b) = match period {
        Some(p) => (p.start.year(), p.end.year()),
        None => (2025, 2025),
    };
    let mut out = Vec::new();
    for y in [a, b]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
    {
        out.push(format!("до 1 {} {y} г.", MONTHS_GEN[11]));
        out.push(format!("{} {y} г.", capitalised(MONTHS_NOM[8])));
        out.push(format!("I квартал {y} г."));
        out.push(format!("I полугодие {y} г."));
        out.push(format!("в течение {y} г."));
    }
    if a != b {
        out.push(format!("{a}/{b} учебный год"));
        out.push(format!("сентябрь {a} г. – май {b} г."));
    }
    out.extend(RECURRING.iter().map(|(w, _)| w.to_string()));
    out.extend(
        [
            "по отдельному графику",
            "по мере необходимости",
            "по запросу",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    out
}

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
