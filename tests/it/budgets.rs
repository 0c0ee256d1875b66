//! What plans may expand to, and what the fonts can print: budgets for rows,
//! texts and characters, expressions that compute instead of naming, years
//! no order has, characters the PDF would drop. Each is a located
//! diagnostic from `check`, so `build` never meets them.

use std::time::Instant;

use prikaz::diag::Severity;

use crate::rules::{APPENDIX, ORDER, REGISTRY, edit, expect, plans, pos, run};

const FIRST_ROW: &str = "activity: Совещание с руководителями органов местного самоуправления (далее – ОМСУ)\n              deadline: Ноябрь 2024\n              responsible: ОМСУ\n";

/// The appendix with `n` more rows after the first, each made by `row(i)`.
fn with_rows(n: usize, row: impl Fn(usize) -> String) -> String {
    let mut rows = String::from(FIRST_ROW);
    for i in 1..=n {
        rows.push_str(&row(i));
    }
    edit(APPENDIX, FIRST_ROW, &rows)
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    eprintln!("{what}: {:?}", t.elapsed());
    r
}

#[test]
fn a_table_over_the_row_budget_is_reported_at_its_first_row_too_many() {
    let row = |i: usize| {
        format!(
            "            - activity: Мероприятие {i}\n              deadline: Ноябрь 2024\n              responsible: ОМСУ\n"
        )
    };
    let at_limit = with_rows(4_999, row);
    let d = timed("5 000 rows", || plans(ORDER, &at_limit));
    assert!(!d.iter().any(|d| d.code == "too-big"), "{d:#?}");
    let over = with_rows(5_000, row);
    let d = timed("5 001 rows", || plans(ORDER, &over));
    let x = expect(
        &d,
        "too-big",
        "appendix.yaml",
        pos(&over, "activity: Мероприятие 5000\n", 0),
        "в таблице 5001 строк, больше допустимых 5000",
    );
    assert_eq!(x.severity, Severity::Error);
    // The 100,000-row table of the probe (under the 8 MB file cap) is
    // refused as quickly.
    let huge = with_rows(100_000, |i| {
        format!("            - {{activity: a{i}, deadline: 2024, responsible: ОМСУ}}\n")
    });
    assert!(huge.len() < 8 << 20, "{} bytes", huge.len());
    let d = timed("100 001 rows", || plans(ORDER, &huge));
    let over: Vec<&str> = d
        .iter()
        .filter(|d| d.code == "too-big")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(over.len(), 2, "{over:?}");
    assert!(over.iter().any(|m| m.contains("100001 строк")), "{over:?}");
    assert!(over.iter().any(|m| m.contains("20000 текстов")), "{over:?}");
}

#[test]
fn a_text_over_the_length_budget_is_reported_at_its_start() {
    let long = "мероприятие ".repeat(4_200);
    let appendix = with_rows(1, |_| {
        format!(
            "            - activity: {long}\n              deadline: Ноябрь 2024\n              responsible: ОМСУ\n"
        )
    });
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "too-big",
        "appendix.yaml",
        {
            let (line, col) = pos(&appendix, &format!("activity: {}", &long[..23]), 0);
            (line, col + "activity: ".len())
        },
        "текст длиной 50399 знаков, больше допустимых 50000",
    );
}

#[test]
fn a_document_over_the_volume_budget_is_reported_once() {
    // 41 texts of 49,000 characters: none is too long, together they are.
    let text = "слово ".repeat(8_166);
    let appendix = with_rows(41, |i| {
        format!(
            "            - activity: {i} {text}\n              deadline: Ноябрь 2024\n              responsible: ОМСУ\n"
        )
    });
    let d = timed("2 M characters", || plans(ORDER, &appendix));
    let x = expect(
        &d,
        "too-big",
        "appendix.yaml",
        pos(&appendix, &format!("41 {}", &text[..24]), 0),
        "в документе больше 2000000 знаков текста",
    );
    assert!(x.hint.as_deref().is_some_and(|h| h.contains("разделите")));
    // And a list of 20,001 one-letter items: few characters, too many texts.
    let items: String = (0..20_001).map(|_| "          - а\n").collect();
    let appendix = edit(
        APPENDIX,
        "blocks:\n",
        &format!("blocks:\n  - list:\n      items:\n{items}"),
    );
    let d = timed("20 001 texts", || plans(ORDER, &appendix));
    assert_eq!(
        d.iter()
            .filter(|d| d.code == "too-big" && d.message.contains("20000 текстов"))
            .count(),
        1,
        "{:#?}",
        d.iter().filter(|d| d.code == "too-big").collect::<Vec<_>>()
    );
}

#[test]
fn an_expression_that_computes_a_huge_text_is_refused_where_it_is_written() {
    let order = edit(
        ORDER,
        "text: Представить отчёт.",
        r#"text: "Представить {{ \"a\" * 100000000 }} отчёт.""#,
    );
    let d = timed("string bomb", || plans(&order, APPENDIX));
    expect(
        &d,
        "template-syntax",
        "order.yaml",
        // A quoted scalar is located at its opening quote.
        pos(&order, "\"Представить", 0),
        "знак «*»: в выражении допускаются только вызовы функций",
    );
}

#[test]
fn an_emoji_the_fonts_lack_is_a_warning_naming_it_and_its_place() {
    let order = edit(
        ORDER,
        "title: Об утверждении плана",
        "title: Об утверждении плана ✅ и 😀",
    );
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "missing-glyph",
        "order.yaml",
        pos(&order, "✅", 0),
        "знака «✅» (U+2705) нет во встроенных шрифтах: в PDF он не будет напечатан (и ещё 1",
    );
    assert_eq!(x.severity, Severity::Warning);
    // The registry's names are printed too: they are checked the same way.
    let registry = edit(REGISTRY, "surname: Иванов", "surname: Иванов 中");
    let d = run(&[
        ("registry.yaml", &registry),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ]);
    expect(
        &d,
        "missing-glyph",
        "registry.yaml",
        pos(&registry, "中", 0),
        "U+4E2D",
    );
}

#[test]
fn year_9999_is_out_of_range_in_a_deadline_and_in_the_order_date_alike() {
    let order = edit(ORDER, "deadline: до 10.12.2024", "deadline: до 31.12.9999");
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "deadline-unparsed",
        "order.yaml",
        pos(&order, "до 31.12.9999", 0),
        "год 9999 вне допустимого диапазона 1900–2200",
    );
    let order = edit(ORDER, "date: 2024-10-31", "date: 9999-12-31");
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "invalid-value",
        "order.yaml",
        pos(&order, "9999-12-31", 0),
        "год 9999 вне допустимого диапазона 1900–2200",
    );
}
