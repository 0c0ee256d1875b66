use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn p(s: &str) -> Deadline {
    parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

fn one(s: &str) -> Item {
    let x = p(s);
    assert_eq!(x.items.len(), 1, "{s}: {x:?}");
    x.items[0].clone()
}

pub(super) fn mr(month: u32, year: Option<i32>) -> MonthRef {
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

#[test]
fn a_recurring_deadline_with_a_start_keeps_the_start_and_prints_as_typed() {
    let x = p("С апреля ежеквартально");
    assert_eq!(x.items[0], Item::Month(mr(4, None)));
    assert!(matches!(
        x.items[1],
        Item::Recurring {
            kind: Recurrence::Quarterly,
            ..
        }
    ));
    assert_eq!(pr("С апреля ежеквартально", true), "С апреля ежеквартально");
    let x = p("С марта 2022 г. ежемесячно");
    assert_eq!(x.items[0], Item::Month(mr(3, Some(2022))));
    assert_eq!(
        pr("С марта 2022 г. ежемесячно", false),
        "С марта 2022 г. ежемесячно"
    );
}

#[test]
fn a_trailing_qualifier_is_kept_and_the_date_before_it_is_checked() {
    let x = p("до 1 марта 2021 года согласно плану-графику");
    assert_eq!(x.items, vec![Item::By(d(2021, 3, 1))]);
    assert_eq!(
        pr("до 1 марта 2021 года согласно плану-графику", false),
        "до 1 марта 2021 года согласно плану-графику"
    );
    let x = p("Ноябрь 2024 по итогам мониторинга");
    assert_eq!(x.items, vec![Item::Month(mr(11, Some(2024)))]);
}

#[test]
fn words_before_bracketed_dates_and_an_open_start_are_read() {
    let x = p("в период осенних каникул (октябрь – ноябрь 2025 г.)");
    assert_eq!(
        x.items,
        vec![Item::Months(mr(10, Some(2025)), mr(11, Some(2025)))]
    );
    assert_eq!(
        p("с сентября 2024").items,
        vec![Item::Month(mr(9, Some(2024)))]
    );
    let x = p("с 1 сентября 2025 года");
    assert_eq!(x.items, vec![Item::On(d(2025, 9, 1))]);
    assert_eq!(pr("с 1 сентября 2025 года", true), "С 1 сентября 2025 года");
}

#[test]
fn a_half_of_a_school_year_is_its_months() {
    assert_eq!(
        p("II полугодие 2025/2026 учебного года").items,
        vec![Item::Months(mr(1, Some(2026)), mr(6, Some(2026)))]
    );
    assert_eq!(
        p("I полугодие 2025/2026 учебного года").items,
        vec![Item::Months(mr(9, Some(2025)), mr(12, Some(2025)))]
    );
    assert!(parse("II полугодие 2025/2027 учебного года").is_err());
}

#[test]
fn a_term_counted_from_an_event_has_no_dates_and_prints_as_typed() {
    for s in [
        "в течение 10 рабочих дней со дня утверждения",
        "не позднее 3 рабочих дней после проведения мероприятия",
        "через 2 недели после совещания",
    ] {
        let x = p(s);
        assert!(matches!(&x.items[..], [Item::Schedule(_)]), "{s}: {x:?}");
        assert_eq!(x.print(false), s);
    }
}

#[test]
fn one_deadline_per_line_of_a_cell_is_read_line_by_line() {
    let x = p("Октябрь 2025 г.\nмарт 2026 г.");
    assert_eq!(
        x.items,
        vec![
            Item::Month(mr(10, Some(2025))),
            Item::Month(mr(3, Some(2026)))
        ]
    );
    assert_eq!(x.print(false), "Октябрь 2025 г.\nмарт 2026 г.");
    assert!(parse("Октябрь 2025 г.\nкогда-нибудь").is_err());
}

#[test]
fn every_suggested_deadline_parses_within_its_period() {
    let period = Period::school_year(2024);
    let all = super::suggestions(Some(&period));
    assert!(all.len() > 20, "{all:?}");
    for s in &all {
        assert!(super::parse(s).is_ok(), "«{s}» не разбирается");
    }
    assert!(all.iter().any(|s| s.contains("2025")), "{all:?}");
}
