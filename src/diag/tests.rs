use super::*;

#[test]
fn russian_plurals_follow_the_last_digits() {
    assert_eq!(plural(1, "ошибка", "ошибки", "ошибок"), "ошибка");
    assert_eq!(plural(3, "ошибка", "ошибки", "ошибок"), "ошибки");
    assert_eq!(plural(11, "ошибка", "ошибки", "ошибок"), "ошибок");
    assert_eq!(plural(21, "ошибка", "ошибки", "ошибок"), "ошибка");
    assert_eq!(plural(0, "ошибка", "ошибки", "ошибок"), "ошибок");
}

#[test]
fn line_and_column_count_characters_not_bytes() {
    let mut s = Sources::default();
    let id = s.add("a.yaml".into(), "ключ: значение\nвторая: ШПРО\n".into());
    let off = s.text(id).find("ШПРО").unwrap_or(0);
    assert_eq!(s.line_col(id, off), (2, 9));
    assert_eq!(s.offset_of(id, 2, 9), off);
}

#[test]
fn snippet_shows_file_line_column_and_caret_under_the_value() {
    let mut s = Sources::default();
    s.add("other.yaml".into(), "kind: registry\n".into());
    let id = s.add("a.yaml".into(), "ключ: значение\nвторая: ШПРО\n".into());
    let start = s.text(id).find("ШПРО").unwrap_or(0);
    let d = Diagnostic::warning(Code::AbbrNearMiss, "опечатка")
        .at(Span {
            file: id,
            start,
            end: start + "ШПРО".len(),
        })
        .hint("возможно, имелось в виду «ШНРО»");
    let out = render_plain(&s, &[d]);
    assert!(out.contains("a.yaml:2:9"), "{out}");
    assert!(out.contains("2 │ вторая: ШПРО"), "{out}");
    assert!(out.contains("│         ^^^^"), "{out}");
    assert!(
        out.contains("подсказка: возможно, имелось в виду «ШНРО»"),
        "{out}"
    );
    // A span at the very end of a file renders too (no fallback line).
    let end = s.text(id).len();
    let d = Diagnostic::error(Code::YamlSyntax, "конец").at(Span {
        file: id,
        start: end,
        end,
    });
    let out = render_plain(&s, &[d]);
    assert!(out.contains("a.yaml:3:1"), "{out}");
}

#[test]
fn closest_finds_one_letter_typos_only() {
    assert_eq!(closest("ШПРО", ["ШНРО", "ОМСУ"]), Some("ШНРО"));
    assert_eq!(closest("ЯЯЯЯ", ["ШНРО", "ОМСУ"]), None);
}
