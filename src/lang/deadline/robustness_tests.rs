//! Round trips through the printer and odd input or hand-built values that
//! must never panic.

use super::tests::{mr, p};
use super::*;

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
        // What is printed reads back as the same deadline (a deadline kept
        // as typed reads back with its text capitalised, as printed).
        let again = parse(&printed);
        let same = again.as_ref().map(|y| (&y.items, &y.note));
        assert_eq!(same, Ok((&x.items, &x.note)), "{s:?} → {printed:?}");
        assert_eq!(
            again.map(|y| y.print(true)).as_deref(),
            Ok(printed.as_str())
        );
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
        verbatim: None,
        open_end: false,
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
            note: None,
            verbatim: None,
            open_end: false,
        }
        .print(true),
        ""
    );
}
