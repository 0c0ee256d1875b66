//! Unit tests of the index: ids and their duplicates, the numbering of
//! clauses, appendices and activity rows, and plan periods.

use std::path::Path;

use super::*;

mod refs;

pub(super) const REGISTRY: &str = "kind: registry
organisations:
  - id: min
    name: Министерство образования
    cases: { gen: Министерства образования }
    registers: [ОД]
positions:
  - id: minister
    name: министр
    cases: { gen: министра, dat: министру, acc: министра, ins: министром }
people:
  - id: ivanov
    surname: Иванов
    name: Иван
    patronymic: Иванович
    gender: м
    positions:
      - { position: minister, org: min, from: 2020-01-01 }
institutions:
  - id: school-1
    name: Средняя школа № 1
    short: СШ № 1
";

/// An order of `clauses` (YAML lines under `clauses:`) with `appendices`.
pub(super) fn order(clauses: &str, appendices: &[&str]) -> String {
    format!(
        "kind: order
id: o1
issuer: min
date: 2024-10-31
title: О проведении совещания
clauses:
{clauses}signatory: ivanov
appendices: [{}]
",
        appendices.join(", ")
    )
}

/// An appendix `id` holding one activity table (YAML lines under `activities:`).
pub(super) fn appendix(id: &str, table: &str) -> String {
    format!(
        "kind: appendix
id: {id}
title: План
blocks:
  - activities:
      columns:
        - {{ key: activity, title: Мероприятие }}
{table}"
    )
}

/// Loads the files, builds the index and the units, and hands them to `f`
/// with the diagnostics of both.
pub(super) fn with_units<R>(
    files: &[(&str, &str)],
    f: impl FnOnce(&Workspace, &Index, &[Unit], &[Diagnostic]) -> R,
) -> R {
    let project = crate::project::Project::from_texts(files, Path::new("."));
    let ws = project.workspace();
    let load_diags = project.load_diagnostics();
    assert!(load_diags.is_empty(), "{load_diags:?}");
    let (ix, mut diags) = Index::build(ws);
    let units = units(&ix, &mut diags);
    f(ws, &ix, &units, &diags)
}

/// File name and 1-based line of a span.
pub(super) fn line(ws: &Workspace, span: Span) -> (String, usize) {
    let (l, _) = ws.sources.line_col(span.file, span.start);
    (ws.sources.name(span.file).to_string(), l)
}

/// 1-based line of the `n`-th (0-based) line of `text` containing `needle`.
pub(super) fn line_of(text: &str, needle: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n)
        .unwrap_or_else(|| panic!("no {n}-th «{needle}»"))
        .0
        + 1
}

fn only(diags: &[Diagnostic], code: Code) -> &Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "one {code:?} in {diags:?}");
    found[0]
}

/// Printed numbers of the sections (`§n`) and rows of the first table of the unit.
fn row_numbers(unit: &Unit) -> Vec<String> {
    let (_, rows) = unit.tables.iter().next().expect("a table");
    rows.iter()
        .map(|r| match r {
            NumberedRow::Section { number, .. } => {
                format!("§{}", number.as_deref().unwrap_or("-"))
            }
            NumberedRow::Row { number, .. } => number.clone(),
        })
        .collect()
}

const TWO_SECTIONS: &str = "      sections:
        - id: s1
          title: Первый
          rows:
            - { id: r1, activity: a }
            - { id: r2, activity: b }
        - id: s2
          title: Второй
          rows:
            - { id: r3, activity: c }
            - { id: r4, activity: d }
";

// ---------------------------------------------------------------- rows

#[test]
fn rows_of_a_table_with_sections_are_numbered_within_each_section() {
    let o = order("  - text: Утвердить.\n", &["plan"]);
    let a = appendix("plan", TWO_SECTIONS);
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |_, _, units, diags| {
            assert!(diags.is_empty(), "{diags:?}");
            let u = &units[0];
            assert_eq!(
                row_numbers(u),
                ["§1", "1.1", "1.2", "§2", "2.1", "2.2"].map(String::from)
            );
            let r3 = &u.numbers.by_id["r3"];
            assert_eq!((r3.target, r3.number.as_str()), (Target::Row, "2.1"));
            let s2 = &u.numbers.by_id["s2"];
            assert_eq!((s2.target, s2.number.as_str()), (Target::Section, "2"));
        },
    );
}

#[test]
fn continuous_rows_run_across_unnumbered_sections() {
    let o = order("  - text: Утвердить.\n", &["plan"]);
    let a = appendix(
        "plan",
        &format!("      numbering: continuous\n{TWO_SECTIONS}"),
    );
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |_, _, units, diags| {
            assert!(diags.is_empty(), "{diags:?}");
            assert_eq!(
                row_numbers(&units[0]),
                ["§-", "1", "2", "§-", "3", "4"].map(String::from)
            );
        },
    );
}

#[test]
fn with_sections_numbering_only_the_sections_carry_numbers() {
    let o = order("  - text: Утвердить.\n", &["plan"]);
    let a = appendix(
        "plan",
        &format!("      numbering: sections\n{TWO_SECTIONS}"),
    );
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |_, _, units, _| {
            assert_eq!(
                row_numbers(&units[0]),
                ["§1", "", "", "§2", "", ""].map(String::from)
            );
        },
    );
}

#[test]
fn a_table_without_sections_is_numbered_continuously_by_default() {
    let o = order("  - text: Утвердить.\n", &["plan"]);
    let a = appendix(
        "plan",
        "      rows:\n        - { activity: a }\n        - { activity: b }\n        - { activity: c }\n",
    );
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |_, _, units, _| {
            assert_eq!(row_numbers(&units[0]), ["1", "2", "3"].map(String::from));
        },
    );
}

#[test]
fn a_fixed_row_number_that_repeats_a_computed_one_is_reported_at_both() {
    let o = order("  - text: Утвердить.\n", &["plan"]);
    let a = appendix(
        "plan",
        "      rows:\n        - { id: r1, activity: a }\n        - { id: r2, number: \"1\", activity: b }\n",
    );
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |ws, _, units, diags| {
            assert_eq!(row_numbers(&units[0]), ["1", "1"].map(String::from));
            let d = only(diags, Code::NumberRepeated);
            assert_eq!(d.message, "номер «1» повторяется");
            assert_eq!(
                line(ws, d.span.unwrap()),
                ("a.yaml".into(), line_of(&a, "r2", 0))
            );
            assert_eq!(d.secondary.len(), 1);
            assert_eq!(
                line(ws, d.secondary[0].span),
                ("a.yaml".into(), line_of(&a, "r1", 0))
            );
        },
    );
}

// ---------------------------------------------------------------- clauses

#[test]
fn clauses_are_numbered_by_level_with_dashes_and_letters_as_asked() {
    let clauses = "  - id: first
    text: Первый.
    clauses:
      - { id: sub, text: Подпункт. }
  - text: Второй
    items: dash
    clauses:
      - { text: тире }
  - text: Третий
    items: letters
    clauses:
      - { text: a }
      - { text: b }
      - { text: c }
      - { text: d }
      - { text: e }
      - { text: f }
      - { text: g }
      - { text: h }
";
    let o = order(clauses, &[]);
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o)],
        |_, _, units, diags| {
            assert!(diags.is_empty(), "{diags:?}");
            let cs = &units[0].clauses;
            let markers: Vec<&str> = cs.iter().map(|c| c.marker.as_str()).collect();
            assert_eq!(markers, ["1.", "2.", "3."]);
            assert_eq!(cs[0].children[0].marker, "1.1.");
            assert_eq!(cs[0].children[0].number, "1.1");
            assert_eq!(cs[0].children[0].level, 2);
            assert_eq!(cs[1].children[0].marker, "–");
            assert_eq!(cs[1].children[0].number, "");
            let letters: Vec<&str> = cs[2].children.iter().map(|c| c.marker.as_str()).collect();
            // ё and з are skipped.
            assert_eq!(letters, ["а)", "б)", "в)", "г)", "д)", "е)", "ж)", "и)"]);
            let sub = &units[0].numbers.by_id["sub"];
            assert_eq!((sub.target, sub.number.as_str()), (Target::Clause, "1.1"));
        },
    );
}

#[test]
fn a_repeated_fixed_clause_number_is_reported_with_its_first_use() {
    let clauses =
        "  - id: a\n    number: \"1\"\n    text: A.\n  - id: b\n    number: \"1\"\n    text: B.\n";
    let o = order(clauses, &[]);
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o)],
        |ws, _, _, diags| {
            let d = only(diags, Code::NumberRepeated);
            assert_eq!(d.message, "номер «1» повторяется");
            assert_eq!(
                line(ws, d.span.unwrap()),
                ("o.yaml".into(), line_of(&o, "\"1\"", 1))
            );
            assert_eq!(
                line(ws, d.secondary[0].span),
                ("o.yaml".into(), line_of(&o, "\"1\"", 0))
            );
            assert_eq!(
                d.hint.as_deref(),
                Some("удалите ключ number: номера вычисляются автоматически")
            );
        },
    );
}

#[test]
fn a_gap_after_a_computed_clause_number_is_reported_at_the_fixed_one() {
    let clauses = "  - id: a\n    text: A.\n  - id: b\n    number: \"3\"\n    text: B.\n";
    let o = order(clauses, &[]);
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o)],
        |ws, _, units, diags| {
            let d = only(diags, Code::NumberGap);
            assert_eq!(d.message, "пропуск в нумерации: после 1 идёт 3");
            assert_eq!(
                line(ws, d.span.unwrap()),
                ("o.yaml".into(), line_of(&o, "\"3\"", 0))
            );
            // The fixed number is printed as written all the same.
            assert_eq!(units[0].clauses[1].marker, "3.");
        },
    );
}

#[test]
fn fixed_numbers_in_sequence_are_not_reported() {
    let clauses =
        "  - number: \"1\"\n    text: A.\n  - number: \"2.\"\n    text: B.\n  - text: C.\n";
    let o = order(clauses, &[]);
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o)],
        |_, _, units, diags| {
            assert!(diags.is_empty(), "{diags:?}");
            let markers: Vec<&str> = units[0].clauses.iter().map(|c| c.marker.as_str()).collect();
            assert_eq!(markers, ["1.", "2.", "3."]);
        },
    );
}

/// Clauses nested `depth` levels deep, ids `l1` … `l<depth>`.
fn nested(depth: usize) -> String {
    let mut s = String::new();
    for level in 1..=depth {
        let pad = "    ".repeat(level - 1);
        if level > 1 {
            s.push_str(&format!("{pad}clauses:\n"));
        }
        s.push_str(&format!("{pad}  - id: l{level}\n{pad}    text: t{level}\n"));
    }
    s
}

#[test]
fn clauses_four_levels_deep_are_allowed() {
    let o = order(&nested(4), &[]);
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o)],
        |_, _, units, diags| {
            assert!(diags.is_empty(), "{diags:?}");
            let mut c = &units[0].clauses[0];
            while let Some(next) = c.children.first() {
                c = next;
            }
            assert_eq!((c.level, c.marker.as_str()), (4, "1.1.1.1."));
        },
    );
}

#[test]
fn a_clause_nested_deeper_than_four_levels_is_reported_at_it() {
    let o = order(&nested(5), &[]);
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o)],
        |ws, _, _, diags| {
            let d = only(diags, Code::ClauseDepth);
            assert_eq!(
                d.message,
                format!("вложенность пунктов больше {MAX_CLAUSE_DEPTH} уровней")
            );
            assert_eq!(
                line(ws, d.span.unwrap()),
                ("o.yaml".into(), line_of(&o, "id: l5", 0))
            );
        },
    );
}

// ---------------------------------------------------------------- appendices

#[test]
fn a_single_appendix_has_no_number_and_several_are_counted() {
    let one = order("  - text: Утвердить.\n", &["a1"]);
    let a1 = appendix("a1", "      rows:\n        - { activity: a }\n");
    let a2 = appendix("a2", "      rows:\n        - { activity: b }\n");
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &one), ("a1.yaml", &a1)],
        |_, _, units, _| {
            let n = &units[0].numbers.by_id["a1"];
            assert_eq!((n.target, n.number.as_str()), (Target::Appendix, ""));
        },
    );
    let two = order("  - text: Утвердить.\n", &["a1", "a2"]);
    with_units(
        &[
            ("r.yaml", REGISTRY),
            ("o.yaml", &two),
            ("a1.yaml", &a1),
            ("a2.yaml", &a2),
        ],
        |_, ix, units, diags| {
            assert!(diags.is_empty(), "{diags:?}");
            let u = &units[0];
            assert_eq!(u.numbers.by_id["a1"].number, "1");
            assert_eq!(u.numbers.by_id["a2"].number, "2");
            assert_eq!(u.block_lists().len(), 2);
            assert_eq!(ix.owner.get("a2"), Some(&"o1"));
        },
    );
}

#[test]
fn an_unknown_appendix_is_reported_with_the_nearest_id() {
    let o = order("  - text: Утвердить.\n", &["pln"]);
    let a = appendix("plan", "      rows:\n        - { activity: a }\n");
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |ws, _, units, diags| {
            let d = only(diags, Code::UnknownReference);
            assert_eq!(d.message, "приложение «pln»: нет такого id");
            assert_eq!(d.hint.as_deref(), Some("возможно, имелось в виду «plan»"));
            assert_eq!(
                line(ws, d.span.unwrap()),
                ("o.yaml".into(), line_of(&o, "appendices", 0))
            );
            assert!(units[0].appendices[0].1.is_none());
        },
    );
}

// ---------------------------------------------------------------- ids

#[test]
fn a_duplicate_clause_id_is_reported_with_both_locations() {
    let clauses = "  - id: same\n    text: A.\n  - id: same\n    text: B.\n";
    let o = order(clauses, &[]);
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o)],
        |ws, _, units, diags| {
            let d = only(diags, Code::DuplicateId);
            assert_eq!(
                d.message,
                "идентификатор «same» уже использован в этом документе"
            );
            assert_eq!(
                line(ws, d.span.unwrap()),
                ("o.yaml".into(), line_of(&o, "id: same", 1))
            );
            assert_eq!(d.secondary.len(), 1);
            assert_eq!(d.secondary[0].message, "первое использование здесь");
            assert_eq!(
                line(ws, d.secondary[0].span),
                ("o.yaml".into(), line_of(&o, "id: same", 0))
            );
            // The first one keeps its number.
            assert_eq!(units[0].numbers.by_id["same"].number, "1");
        },
    );
}

#[test]
fn a_row_id_that_repeats_a_clause_id_is_a_duplicate_in_the_unit() {
    let o = order("  - id: r1\n    text: A.\n", &["plan"]);
    let a = appendix("plan", "      rows:\n        - { id: r1, activity: a }\n");
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |ws, _, _, diags| {
            let d = only(diags, Code::DuplicateId);
            assert_eq!(line(ws, d.span.unwrap()).0, "a.yaml");
            assert_eq!(line(ws, d.secondary[0].span).0, "o.yaml");
        },
    );
}

#[test]
fn a_duplicate_registry_id_is_reported_with_both_locations() {
    let second = "kind: registry\npeople:\n  - id: ivanov\n    surname: Петров\n    gender: м\n";
    with_units(
        &[("r.yaml", REGISTRY), ("r2.yaml", second)],
        |ws, ix, _, diags| {
            let d = only(diags, Code::DuplicateId);
            assert_eq!(d.message, "лицо «ivanov» уже описан(а)");
            assert_eq!(line(ws, d.span.unwrap()), ("r2.yaml".into(), 3));
            assert_eq!(
                line(ws, d.secondary[0].span),
                ("r.yaml".into(), line_of(REGISTRY, "id: ivanov", 0))
            );
            // The first description is the one kept.
            assert_eq!(ix.people["ivanov"].item.surname.get(), "Иванов");
        },
    );
}

#[test]
fn documents_of_every_kind_share_one_id_space() {
    let o = order("  - text: Утвердить.\n", &[]);
    let a = appendix("o1", "      rows:\n        - { activity: a }\n");
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |ws, ix, _, diags| {
            let d = only(diags, Code::DuplicateId);
            assert_eq!(d.message, "документ «o1» уже описан(а)");
            assert_eq!(line(ws, d.span.unwrap()).0, "a.yaml");
            assert!(ix.appendices.is_empty());
        },
    );
}

#[test]
fn the_same_id_in_two_registry_classes_is_not_a_duplicate() {
    let more = "kind: registry\ninstitutions:\n  - id: ivanov\n    name: Школа Иванова\n";
    with_units(
        &[("r.yaml", REGISTRY), ("r2.yaml", more)],
        |_, ix, _, diags| {
            assert!(diags.is_empty(), "{diags:?}");
            assert!(ix.people.contains_key("ivanov") && ix.institutions.contains_key("ivanov"));
        },
    );
}

// ---------------------------------------------------------------- periods

#[test]
fn periods_are_school_years_ranges_or_single_years() {
    assert_eq!(parse_period("2024/2025"), Some(Period::school_year(2024)));
    assert_eq!(parse_period("2022–2025"), Some(Period::years(2022, 2025)));
    assert_eq!(
        parse_period("2022-2025 гг."),
        Some(Period::years(2022, 2025))
    );
    assert_eq!(parse_period(" 2025 г. "), Some(Period::years(2025, 2025)));
    assert_eq!(parse_period("2024/2026"), None, "a school year is one year");
    assert_eq!(parse_period("2025–2022"), None, "reversed");
    assert_eq!(parse_period("1800"), None);
    assert_eq!(parse_period("весь год"), None);
}

#[test]
fn an_unreadable_period_is_reported_at_the_value() {
    let o = order("  - text: Утвердить.\n", &[]).replace(
        "title: О проведении",
        "period: когда-нибудь\ntitle: О проведении",
    );
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o)],
        |ws, _, units, diags| {
            let d = only(diags, Code::InvalidValue);
            assert_eq!(d.message, "непонятный период «когда-нибудь»");
            assert_eq!(
                line(ws, d.span.unwrap()),
                ("o.yaml".into(), line_of(&o, "period", 0))
            );
            assert_eq!(units[0].period, None);
        },
    );
}
