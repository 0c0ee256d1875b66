//! One test per rule of `prikaz check`: a valid plan is broken in one place
//! and the diagnostic's code, message and exact location are checked.

use std::path::{Path, PathBuf};

use prikaz::diag::Severity;

pub(crate) const REGISTRY: &str = r#"kind: registry
organisations:
  - id: mon
    name: Министерство образования области
    cases: { gen: Министерства образования области, dat: Министерству образования области }
    registers: [ОД]
positions:
  - id: minister
    name: министр
    cases: { gen: министра, acc: министра }
  - id: deputy
    name: заместитель министра
    cases: { gen: заместителя министра, acc: заместителя министра }
people:
  - id: boss
    surname: Иванов
    initials: И.И.
    gender: м
    positions:
      - { position: minister, org: mon, from: 2020-01-01 }
  - id: helper
    surname: Петрова
    initials: М.С.
    gender: ж
    positions:
      - { position: deputy, org: mon, from: 2020-01-01 }
institutions:
  - id: school-1
    name: Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»
    short: МБОУ СШ № 1
    aliases: [СШ № 1 города]
abbreviations:
  - { abbr: ОМСУ, full: органы местного самоуправления }
  - { abbr: ЕГЭ, full: единый государственный экзамен, common: true }
"#;

pub(crate) const ORDER: &str = r#"kind: order
id: o1
issuer: mon
date: 2024-10-31
number: 10-ОД
status: draft
period: 2024/2025
title: Об утверждении плана
clauses:
  - id: approve
    text: Утвердить план ({{ appendix("plan") }}).
  - id: report
    text: Представить отчёт.
    deadline: до 10.12.2024
control: { person: helper }
signatory: boss
appendices: [plan]
"#;

pub(crate) const APPENDIX: &str = r#"kind: appendix
id: plan
title: План мероприятий
blocks:
  - activities:
      columns:
        - { key: activity, title: Мероприятие }
        - { key: deadline, title: Срок, type: deadline }
        - { key: responsible, title: Ответственный }
      sections:
        - id: s1
          title: Организационные мероприятия
          rows:
            - id: r1
              activity: Совещание с руководителями органов местного самоуправления (далее – ОМСУ)
              deadline: Ноябрь 2024
              responsible: ОМСУ
"#;

#[derive(Debug)]
pub(crate) struct D {
    pub(crate) code: String,
    pub(crate) severity: Severity,
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
    pub(crate) related: Vec<(String, usize, usize)>,
}

pub(crate) fn run(files: &[(&str, &str)]) -> Vec<D> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
    }
    run_in(dir.path())
}

fn run_in(root: &Path) -> Vec<D> {
    let project = prikaz::project::Project::open(&[root.to_path_buf()], root);
    let ws = project.workspace();
    project
        .check()
        .iter()
        .map(|d| {
            let (file, line, column) = match d.span {
                Some(s) => {
                    let (l, c) = ws.sources.line_col(s.file, s.start);
                    (ws.sources.name(s.file).to_string(), l, c)
                }
                None => (String::new(), 0, 0),
            };
            D {
                code: d.code.to_string(),
                severity: d.severity,
                file,
                line,
                column,
                message: d.message.clone(),
                hint: d.hint.clone(),
                related: d
                    .secondary
                    .iter()
                    .map(|l| {
                        let (line, col) = ws.sources.line_col(l.span.file, l.span.start);
                        (ws.sources.name(l.span.file).to_string(), line, col)
                    })
                    .collect(),
            }
        })
        .collect()
}

pub(crate) fn plans(order: &str, appendix: &str) -> Vec<D> {
    run(&[
        ("registry.yaml", REGISTRY),
        ("order.yaml", order),
        ("appendix.yaml", appendix),
    ])
}

/// 1-based line and character column of the `nth` occurrence of `needle`.
pub(crate) fn pos(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let (off, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("no «{needle}» in text"));
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Finds the one diagnostic with `code` and checks file, position and message.
#[track_caller]
pub(crate) fn expect<'a>(
    diags: &'a [D],
    code: &str,
    file: &str,
    at: (usize, usize),
    message: &str,
) -> &'a D {
    let found: Vec<&D> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one «{code}», got {diags:#?}");
    let d = found[0];
    assert_eq!(d.file, file, "{d:#?}");
    assert_eq!((d.line, d.column), at, "{d:#?}");
    assert!(
        d.message.contains(message),
        "message «{}» lacks «{message}»",
        d.message
    );
    d
}

pub(crate) fn edit(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "base lacks «{from}»");
    base.replacen(from, to, 1)
}

#[test]
fn valid_plan_checks_clean() {
    let d = plans(ORDER, APPENDIX);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn real_plans_check_clean() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let d = run_in(&root.join("plans"));
    assert!(d.is_empty(), "{d:#?}");
}

// ------------------------------------------------------------ YAML and schema

#[test]
fn yaml_syntax_error_is_located() {
    let order = edit(
        ORDER,
        "title: Об утверждении плана",
        "title: [Об утверждении",
    );
    let d = plans(&order, APPENDIX);
    let x = d
        .iter()
        .find(|d| d.code == "yaml-syntax")
        .expect("yaml-syntax");
    assert_eq!(x.file, "order.yaml");
    assert!(x.line >= 8, "{x:#?}");
}

#[test]
fn unknown_key_names_the_closest_known_key() {
    let order = edit(ORDER, "signatory: boss", "signatury: boss");
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "unknown-key",
        "order.yaml",
        pos(&order, "signatury", 0),
        "неизвестный ключ «signatury»",
    );
    assert_eq!(
        x.hint.as_deref(),
        Some("возможно, имелось в виду «signatory»")
    );
}

#[test]
fn missing_key_is_reported() {
    let order = edit(ORDER, "signatory: boss\n", "");
    let d = plans(&order, APPENDIX);
    assert!(
        d.iter()
            .any(|d| d.code == "missing-key" && d.message.contains("signatory")),
        "{d:#?}"
    );
}

#[test]
fn duplicate_keys_are_rejected_at_the_second_key() {
    let order = edit(ORDER, "status: draft\n", "status: draft\nstatus: final\n");
    let d = plans(&order, APPENDIX);
    let x = d
        .iter()
        .find(|d| d.code == "duplicate-key")
        .expect("duplicate-key");
    assert_eq!(
        (x.file.as_str(), x.line),
        ("order.yaml", pos(&order, "status: final", 0).0)
    );
}

#[test]
fn wrong_type_is_reported_at_the_value() {
    let order = edit(ORDER, "appendices: [plan]", "appendices: plan");
    let d = plans(&order, APPENDIX);
    let x = d
        .iter()
        .find(|d| d.code == "invalid-type")
        .expect("invalid-type");
    assert_eq!(x.line, pos(&order, "appendices: plan", 0).0);
    assert!(x.message.contains("список"), "{x:#?}");
}

#[test]
fn invalid_enum_value_suggests_the_nearest() {
    let order = edit(ORDER, "status: draft", "status: drft");
    let d = plans(&order, APPENDIX);
    let x = d
        .iter()
        .find(|d| d.code == "invalid-value")
        .expect("invalid-value");
    assert_eq!(x.hint.as_deref(), Some("возможно, имелось в виду «draft»"));
}

#[test]
fn invalid_date_is_reported() {
    let order = edit(ORDER, "date: 2024-10-31", "date: 31.13.2024");
    let d = plans(&order, APPENDIX);
    let x = d
        .iter()
        .find(|d| d.code == "invalid-value")
        .expect("invalid-value");
    assert!(x.message.contains("некорректная дата"), "{x:#?}");
}

#[test]
fn unknown_and_missing_kind_are_reported() {
    let d = run(&[("a.yaml", "kind: ordr\nid: x\n"), ("b.yaml", "id: x\n")]);
    let x = expect(&d, "unknown-kind", "a.yaml", (1, 7), "ordr");
    assert_eq!(x.hint.as_deref(), Some("возможно, имелось в виду «order»"));
    expect(&d, "missing-kind", "b.yaml", (1, 1), "kind");
}

#[test]
fn empty_file_is_reported() {
    let d = run(&[("empty.yaml", "")]);
    expect(&d, "empty-file", "empty.yaml", (1, 1), "пуст");
}

// ------------------------------------------------------------ references and ids

#[test]
fn unknown_references_name_the_nearest_id() {
    let order = edit(ORDER, "signatory: boss", "signatory: bos");
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "unknown-reference",
        "order.yaml",
        pos(&order, "bos\n", 0),
        "«bos»",
    );
    assert_eq!(x.hint.as_deref(), Some("возможно, имелось в виду «boss»"));
}

#[test]
fn unknown_reference_inside_text_points_at_the_expression() {
    let order = edit(
        ORDER,
        "Представить отчёт.",
        "Представить отчёт по {{ clause(\"aprove\") }}.",
    );
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "unknown-reference",
        "order.yaml",
        pos(&order, "{{ clause(\"aprove\") }}", 0),
        "«aprove»",
    );
    assert_eq!(
        x.hint.as_deref(),
        Some("возможно, имелось в виду «approve»")
    );
}

#[test]
fn template_syntax_errors_are_located() {
    let order = edit(
        ORDER,
        "Представить отчёт.",
        "Представить {{ clause(\"report\" }}.",
    );
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "template-syntax",
        "order.yaml",
        pos(&order, "{{ clause", 0),
        "синтаксическая ошибка",
    );
}

#[test]
fn duplicate_clause_ids_are_reported_with_both_locations() {
    let order = edit(ORDER, "  - id: report", "  - id: approve");
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "duplicate-id",
        "order.yaml",
        pos(&order, "approve", 1),
        "«approve»",
    );
    assert_eq!(
        x.related,
        vec![(
            "order.yaml".to_string(),
            pos(&order, "approve", 0).0,
            pos(&order, "approve", 0).1
        )]
    );
}

#[test]
fn duplicate_registry_ids_are_reported_with_both_locations() {
    let reg = edit(REGISTRY, "  - id: helper", "  - id: boss");
    let order = edit(ORDER, "{ person: helper }", "self");
    let d = run(&[
        ("registry.yaml", &reg),
        ("order.yaml", &order),
        ("appendix.yaml", APPENDIX),
    ]);
    let x = expect(
        &d,
        "duplicate-id",
        "registry.yaml",
        pos(&reg, "boss", 1),
        "«boss»",
    );
    assert_eq!(x.related.len(), 1);
}

#[test]
fn unknown_rule_in_allow_is_reported() {
    let appendix = format!("{APPENDIX}allow: [empty-apendix]\n");
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "unknown-rule",
        "appendix.yaml",
        pos(&appendix, "empty-apendix", 0),
        "empty-apendix",
    );
    assert_eq!(
        x.hint.as_deref(),
        Some("возможно, имелось в виду «empty-appendix»")
    );
}

// ------------------------------------------------------------ numbering

#[test]
fn fixed_numbers_with_repeats_are_reported() {
    let order = edit(
        ORDER,
        "  - id: report\n",
        "  - id: report\n    number: \"1\"\n",
    );
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "number-repeated",
        "order.yaml",
        pos(&order, "\"1\"", 0),
        "«1»",
    );
    assert!(x.hint.as_deref().unwrap_or("").contains("number"));
}

#[test]
fn fixed_numbers_with_gaps_are_reported() {
    let order = edit(
        ORDER,
        "  - id: report\n",
        "  - id: report\n    number: \"4\"\n",
    );
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "number-gap",
        "order.yaml",
        pos(&order, "\"4\"", 0),
        "после 1 идёт 4",
    );
}

#[test]
fn clauses_nested_deeper_than_four_levels_are_reported() {
    let deep = "  - id: l1\n    text: a\n    clauses:\n      - id: l2\n        text: b\n        clauses:\n          - id: l3\n            text: c\n            clauses:\n              - id: l4\n                text: d\n                clauses:\n                  - id: l5\n                    text: e\n";
    let order = edit(ORDER, "clauses:\n", &format!("clauses:\n{deep}"));
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "clause-depth",
        "order.yaml",
        pos(&order, "l5", 0),
        "больше 4",
    );
}

// ------------------------------------------------------------ deadlines and years

#[test]
fn unparsed_deadline_is_a_warning_and_kept() {
    let appendix = edit(APPENDIX, "deadline: Ноябрь 2024", "deadline: когда-нибудь");
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "deadline-unparsed",
        "appendix.yaml",
        pos(&appendix, "когда-нибудь", 0),
        "не распознан",
    );
    assert_eq!(x.severity, Severity::Warning);
}

#[test]
fn a_year_inside_an_unparsed_deadline_is_still_checked_against_the_period() {
    let appendix = edit(
        APPENDIX,
        "deadline: Ноябрь 2024",
        "deadline: в 2021 году, когда позволит бюджет",
    );
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "deadline-unparsed",
        "appendix.yaml",
        pos(&appendix, "в 2021", 0),
        "не распознан",
    );
    expect(
        &d,
        "year-outside-period",
        "appendix.yaml",
        pos(&appendix, "2021 году", 0),
        "«2021»",
    );
}

/// A date followed by a qualifier («… согласно плану работы») is read: the
/// date is checked against the period like any deadline, the words kept.
#[test]
fn a_deadline_with_a_trailing_qualifier_is_checked_by_its_date() {
    let appendix = edit(
        APPENDIX,
        "deadline: Ноябрь 2024",
        "deadline: в течение 2021 года согласно плану работы",
    );
    let d = plans(ORDER, &appendix);
    assert!(!d.iter().any(|x| x.code == "deadline-unparsed"), "{d:#?}");
    expect(
        &d,
        "deadline-outside-period",
        "appendix.yaml",
        pos(&appendix, "в течение 2021", 0),
        "2021",
    );
}

#[test]
fn reversed_range_is_reported() {
    let appendix = edit(
        APPENDIX,
        "deadline: Ноябрь 2024",
        "deadline: ноябрь 2024 – сентябрь 2024",
    );
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "deadline-reversed",
        "appendix.yaml",
        pos(&appendix, "ноябрь 2024 –", 0),
        "конец раньше начала",
    );
}

#[test]
fn deadline_outside_the_period_is_an_error() {
    let appendix = edit(APPENDIX, "deadline: Ноябрь 2024", "deadline: Сентябрь 2025");
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "deadline-outside-period",
        "appendix.yaml",
        pos(&appendix, "Сентябрь 2025", 0),
        "вне периода плана",
    );
}

#[test]
fn deadline_partly_outside_the_period_is_a_warning() {
    let appendix = edit(
        APPENDIX,
        "deadline: Ноябрь 2024",
        "deadline: Июль-сентябрь 2025",
    );
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "deadline-partly-outside-period",
        "appendix.yaml",
        pos(&appendix, "Июль-сентябрь 2025", 0),
        "выходит за период",
    );
    assert_eq!(x.severity, Severity::Warning);
}

#[test]
fn deadline_before_the_order_date_is_reported() {
    let order = edit(ORDER, "deadline: до 10.12.2024", "deadline: до 10.10.2024");
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "deadline-before-order",
        "order.yaml",
        pos(&order, "до 10.10.2024", 0),
        "раньше даты документа",
    );
}

#[test]
fn month_without_year_in_a_two_year_plan_is_reported() {
    let appendix = edit(APPENDIX, "deadline: Ноябрь 2024", "deadline: ноябрь");
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "deadline-no-year",
        "appendix.yaml",
        pos(&appendix, "ноябрь", 0),
        "месяц без года",
    );
}

#[test]
fn school_year_outside_the_period_is_reported_with_the_right_one() {
    let appendix = edit(
        APPENDIX,
        "activity: Совещание",
        "activity: Совещание о задачах на 2023/2024 учебный год,",
    );
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "year-outside-period",
        "appendix.yaml",
        pos(&appendix, "2023/2024", 0),
        "«2023/2024»",
    );
    assert_eq!(
        x.hint.as_deref(),
        Some("возможно, имелось в виду «2024/2025»")
    );
}

#[test]
fn dates_of_cited_acts_and_looks_back_at_past_years_are_not_plan_years() {
    for text in [
        "в соответствии с Федеральным законом от 29 декабря 2012 г. № 273-ФЗ «Об образовании»",
        "во исполнение приказа от «15» мая 2019 г. № 12",
        "согласно распоряжению от 01.09.2019 № 5-р",
        "по итогам 2023/2024 учебного года",
        "с анализом результатов 2023 года",
        "с отчётом за 2023 год",
        "в сравнении с 2022 годом",
    ] {
        let appendix = edit(
            APPENDIX,
            "activity: Совещание",
            &format!("activity: Совещание {text},"),
        );
        let d = plans(ORDER, &appendix);
        assert!(
            !d.iter().any(|d| d.code == "year-outside-period"),
            "{text}: {d:#?}"
        );
    }
    // A look back at a year after the period is still a slip.
    let appendix = edit(
        APPENDIX,
        "activity: Совещание",
        "activity: Совещание по итогам 2026 года,",
    );
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "year-outside-period",
        "appendix.yaml",
        pos(&appendix, "2026", 0),
        "«2026»",
    );
}

#[test]
fn allow_on_a_row_silences_only_that_row() {
    let appendix = edit(
        APPENDIX,
        "            - id: r1\n",
        "            - id: r1\n              allow: [year-outside-period]\n",
    );
    let appendix = edit(
        &appendix,
        "activity: Совещание",
        "activity: Совещание на 2025/2026 учебный год",
    );
    let d = plans(ORDER, &appendix);
    assert!(d.is_empty(), "{d:#?}");
}

// ------------------------------------------------------------ registration and people

#[test]
fn registration_number_must_match_the_issuers_register() {
    let order = edit(ORDER, "number: 10-ОД", "number: 10-ЛС");
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "number-format",
        "order.yaml",
        pos(&order, "10-ЛС", 0),
        "«10-ЛС»",
    );
    assert!(
        x.hint.as_deref().unwrap_or("").contains("«10-ОД»"),
        "{x:#?}"
    );
}

#[test]
fn same_number_twice_in_a_year_is_reported_with_both_orders() {
    let second = edit(
        &edit(ORDER, "id: o1", "id: o2"),
        "appendices: [plan]",
        "appendices: []",
    );
    let second = edit(&second, "({{ appendix(\"plan\") }})", "");
    let second = edit(&second, "date: 2024-10-31", "date: 2024-12-01");
    let d = run(&[
        ("registry.yaml", REGISTRY),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
        ("z/second.yaml", &second),
    ]);
    let x = expect(
        &d,
        "number-duplicate",
        "z/second.yaml",
        pos(&second, "10-ОД", 0),
        "«10-ОД»",
    );
    assert_eq!(x.related[0].0, "order.yaml");
}

#[test]
fn registered_order_without_number_is_reported() {
    let order = edit(
        &edit(ORDER, "number: 10-ОД\n", ""),
        "status: draft",
        "status: registered",
    );
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "number-missing",
        "order.yaml",
        pos(&order, "o1", 0),
        "нет регистрационного номера",
    );
}

#[test]
fn signatory_out_of_office_on_the_order_date_is_reported() {
    let reg = edit(
        REGISTRY,
        "{ position: minister, org: mon, from: 2020-01-01 }",
        "{ position: minister, org: mon, from: 2020-01-01, to: 2024-06-30 }",
    );
    let d = run(&[
        ("registry.yaml", &reg),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ]);
    let x = expect(
        &d,
        "not-in-office",
        "order.yaml",
        pos(ORDER, "boss", 0),
        "не занимает должность",
    );
    assert!(
        x.hint.as_deref().unwrap_or("").contains("30.06.2024"),
        "{x:#?}"
    );
}

#[test]
fn missing_case_form_names_the_registry_key() {
    let reg = edit(
        REGISTRY,
        "cases: { gen: заместителя министра, acc: заместителя министра }",
        "cases: { gen: заместителя министра }",
    );
    let d = run(&[
        ("registry.yaml", &reg),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ]);
    let x = expect(
        &d,
        "missing-case",
        "order.yaml",
        pos(ORDER, "helper", 0),
        "винительный",
    );
    assert!(x.hint.as_deref().unwrap_or("").contains("acc"), "{x:#?}");
}

// ------------------------------------------------------------ abbreviations

#[test]
fn abbreviation_never_defined_is_reported_with_the_registry_full_form() {
    let appendix = edit(APPENDIX, "responsible: ОМСУ", "responsible: МОЦ");
    let appendix = edit(&appendix, " (далее – ОМСУ)", "");
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "abbr-undefined",
        "appendix.yaml",
        pos(&appendix, "МОЦ", 0),
        "«МОЦ»",
    );
    assert_eq!(x.severity, Severity::Warning);
}

#[test]
fn abbreviation_used_before_its_definition_is_reported() {
    let order = edit(ORDER, "Представить отчёт.", "Представить отчёт в ОМСУ.");
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "abbr-used-before-definition",
        "order.yaml",
        pos(&order, "ОМСУ", 0),
        "«ОМСУ»",
    );
    assert_eq!(x.related[0].0, "appendix.yaml");
}

/// A short name of ordinary words is used in its plain sense before the
/// text fixes it, and a cited act's title or the order's title are not uses
/// before the definition: only an abbreviation needs its expansion first.
#[test]
fn a_word_term_or_a_title_or_a_citation_before_the_definition_is_not_reported() {
    let order = edit(
        ORDER,
        "Представить отчёт.",
        "Представить отчёт о ходе реализации дорожной карты.",
    );
    let appendix = edit(
        APPENDIX,
        "Совещание с руководителями",
        "Совещание по плану мероприятий (далее – дорожная карта) с руководителями",
    );
    let d = plans(&order, &appendix);
    assert!(
        !d.iter().any(|x| x.code == "abbr-used-before-definition"),
        "{d:#?}"
    );
    // An abbreviation in the order's title, defined in the text later.
    let order = edit(
        ORDER,
        "title: Об утверждении плана",
        "title: Об утверждении плана ОМСУ",
    );
    let d = plans(&order, APPENDIX);
    assert!(
        !d.iter().any(|x| x.code == "abbr-used-before-definition"),
        "{d:#?}"
    );
}

#[test]
fn abbreviation_defined_twice_is_reported_with_both() {
    let appendix = edit(
        APPENDIX,
        "responsible: ОМСУ",
        "responsible: органы местного самоуправления (далее – ОМСУ)",
    );
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "abbr-defined-twice",
        "appendix.yaml",
        pos(&appendix, "ОМСУ", 1),
        "«ОМСУ»",
    );
    assert_eq!(x.related.len(), 1);
}

#[test]
fn abbreviation_defined_and_never_used_is_reported() {
    let appendix = edit(APPENDIX, "responsible: ОМСУ", "responsible: Министерство");
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "abbr-unused",
        "appendix.yaml",
        pos(&appendix, "ОМСУ", 0),
        "не используется",
    );
}

#[test]
fn one_letter_off_abbreviation_suggests_the_known_one() {
    let appendix = edit(APPENDIX, "responsible: ОМСУ", "responsible: ОМСЮ");
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "abbr-near-miss",
        "appendix.yaml",
        pos(&appendix, "ОМСЮ", 0),
        "«ОМСЮ»",
    );
    assert_eq!(x.hint.as_deref(), Some("возможно, имелось в виду «ОМСУ»"));
    assert_eq!(x.severity, Severity::Warning);
}

#[test]
fn an_abbreviation_the_registry_knows_is_undefined_not_a_near_miss() {
    let registry = edit(
        REGISTRY,
        "  - { abbr: ОМСУ, full: органы местного самоуправления }\n",
        "  - { abbr: ОМСУ, full: органы местного самоуправления }\n  - { abbr: ОО, full: общеобразовательные организации }\n  - { abbr: МО, full: муниципальные образования }\n",
    );
    let appendix = edit(APPENDIX, "responsible: ОМСУ", "responsible: ОМСУ, ОО");
    let d = run(&[
        ("registry.yaml", &registry),
        ("order.yaml", ORDER),
        ("appendix.yaml", &appendix),
    ]);
    assert!(!d.iter().any(|d| d.code == "abbr-near-miss"), "{d:#?}");
    let x = expect(
        &d,
        "abbr-undefined",
        "appendix.yaml",
        pos(&appendix, "ОО", 0),
        "«ОО»",
    );
    assert!(
        x.hint
            .as_deref()
            .unwrap_or("")
            .contains("общеобразовательные организации (далее – ОО)"),
        "{x:#?}"
    );
}

#[test]
fn ordinary_words_in_capitals_are_not_abbreviations() {
    // «СПИСОК» is a word orders capitalise; «ШКОЛ» is written in lower case
    // elsewhere in the same document.
    let appendix = edit(
        APPENDIX,
        "title: План мероприятий",
        "title: СПИСОК ШКОЛ и план мероприятий для школ",
    );
    let d = plans(ORDER, &appendix);
    assert!(!d.iter().any(|d| d.code.starts_with("abbr-")), "{d:#?}");
    // A real one next to them still is.
    let appendix = edit(
        APPENDIX,
        "title: План мероприятий",
        "title: План мероприятий СПИСОК для МОЦ",
    );
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "abbr-undefined",
        "appendix.yaml",
        pos(&appendix, "МОЦ", 0),
        "«МОЦ»",
    );
}

#[test]
fn a_defined_name_with_quotes_of_its_own_is_one_term_and_its_uses_count() {
    let order = edit(
        ORDER,
        "text: Представить отчёт.",
        "text: Поручить муниципальному казённому учреждению «Информационно-методический центр» (далее – МКУ «ИМЦ») представить отчёт.\n  - id: imc\n    text: МКУ «ИМЦ» обеспечить сбор данных.",
    );
    let d = plans(&order, APPENDIX);
    assert!(!d.iter().any(|d| d.code.starts_with("abbr-")), "{d:#?}");
    // Unused, it is reported under its whole name.
    let order = edit(
        ORDER,
        "text: Представить отчёт.",
        "text: Поручить учреждению «Информационно-методический центр» (далее – МКУ «ИМЦ») представить отчёт.",
    );
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "abbr-unused",
        "order.yaml",
        pos(&order, "МКУ «ИМЦ»", 0),
        "«МКУ «ИМЦ»»",
    );
}

#[test]
fn a_glossary_entry_and_a_definition_in_the_text_are_one_definition() {
    let appendix = edit(
        APPENDIX,
        "blocks:\n",
        "blocks:\n  - glossary:\n      terms:\n        - ОМСУ – органы местного самоуправления\n",
    );
    let d = plans(ORDER, &appendix);
    assert!(!d.iter().any(|d| d.code == "abbr-defined-twice"), "{d:#?}");
}

#[test]
fn a_defined_term_is_used_in_another_case_and_at_the_start_of_a_sentence() {
    let order = edit(
        ORDER,
        "text: Представить отчёт.",
        "text: Назначить ответственного за мониторинг (далее – региональный координатор).\n  - id: coord\n    text: Региональному координатору обеспечить сбор данных.",
    );
    let d = plans(&order, APPENDIX);
    assert!(!d.iter().any(|d| d.code == "abbr-unused"), "{d:#?}");
}

#[test]
fn common_abbreviations_need_no_definition() {
    let appendix = edit(
        APPENDIX,
        "responsible: ОМСУ",
        "responsible: ОМСУ по итогам ЕГЭ",
    );
    assert!(plans(ORDER, &appendix).is_empty());
}

// ------------------------------------------------------------ appendices and references

#[test]
fn appendix_never_referred_to_is_reported() {
    let order = edit(ORDER, " ({{ appendix(\"plan\") }})", "");
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "appendix-unreferenced",
        "order.yaml",
        pos(&order, "[plan]", 0).into_next(),
        "нет ссылки",
    );
}

trait Next {
    fn into_next(self) -> (usize, usize);
}
impl Next for (usize, usize) {
    fn into_next(self) -> (usize, usize) {
        (self.0, self.1 + 1)
    }
}

#[test]
fn reference_to_a_missing_appendix_is_reported() {
    let order = edit(ORDER, "appendices: [plan]", "appendices: [plan, plan-2]");
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "unknown-reference",
        "order.yaml",
        pos(&order, "plan-2", 0),
        "«plan-2»",
    );
}

#[test]
fn reference_to_another_orders_appendix_is_reported() {
    let other = edit(
        &edit(APPENDIX, "id: plan", "id: other-plan"),
        "id: s1",
        "id: s9",
    );
    let other = edit(&other, "id: r1", "id: r9");
    let order2 = edit(
        &edit(
            &edit(ORDER, "id: o1", "id: o2"),
            "number: 10-ОД",
            "number: 11-ОД",
        ),
        "appendices: [plan]",
        "appendices: [other-plan]",
    );
    let order2 = edit(
        &order2,
        "Представить отчёт.",
        "Представить отчёт ({{ appendix(\"plan\") }}).",
    );
    let order2 = edit(
        &order2,
        "({{ appendix(\"plan\") }}).\n    deadline",
        "({{ appendix(\"plan\") }}).\n    deadline",
    );
    let order2 = edit(
        &order2,
        "Утвердить план ({{ appendix(\"plan\") }}).",
        "Утвердить план ({{ appendix(\"other-plan\") }}).",
    );
    let d = run(&[
        ("registry.yaml", REGISTRY),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
        ("b/order.yaml", &order2),
        ("b/appendix.yaml", &other),
    ]);
    expect(
        &d,
        "appendix-not-attached",
        "b/order.yaml",
        pos(&order2, "{{ appendix(\"plan\") }}", 0),
        "не входит в этот приказ",
    );
}

#[test]
fn appendix_of_no_order_is_reported() {
    let orphan = edit(
        &edit(&edit(APPENDIX, "id: plan", "id: lost"), "id: s1", "id: s2"),
        "id: r1",
        "id: r2",
    );
    let d = run(&[
        ("registry.yaml", REGISTRY),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
        ("lost.yaml", &orphan),
    ]);
    expect(
        &d,
        "appendix-orphan",
        "lost.yaml",
        pos(&orphan, "lost", 0),
        "«lost»",
    );
}

#[test]
fn appendix_attached_to_two_orders_is_reported() {
    let order2 = edit(
        &edit(ORDER, "id: o1", "id: o2"),
        "number: 10-ОД",
        "number: 11-ОД",
    );
    let d = run(&[
        ("registry.yaml", REGISTRY),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
        ("z.yaml", &order2),
    ]);
    let x = expect(
        &d,
        "appendix-shared",
        "z.yaml",
        pos(&order2, "[plan]", 0).into_next(),
        "уже входит в другой приказ",
    );
    assert_eq!(x.related[0].0, "order.yaml");
}

#[test]
fn a_hand_typed_appendix_is_answered_with_a_reference_in_the_same_case() {
    let order = edit(
        ORDER,
        "Представить отчёт.",
        "Представить отчёт согласно Приложению № 1.",
    );
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "hand-typed-reference",
        "order.yaml",
        pos(&order, "Приложению № 1", 0),
        "набран вручную",
    );
    assert!(
        x.hint
            .as_deref()
            .unwrap_or("")
            .contains("{{ appendix(\"plan\", \"dat\") }}"),
        "{x:#?}"
    );
}

#[test]
fn hand_typed_appendix_and_clause_numbers_are_reported_with_the_reference_to_use() {
    let order = edit(
        ORDER,
        "Представить отчёт.",
        "Представить отчёт (приложение № 1) по п. 1.",
    );
    let d = plans(&order, APPENDIX);
    let found: Vec<&D> = d
        .iter()
        .filter(|d| d.code == "hand-typed-reference")
        .collect();
    assert_eq!(found.len(), 2, "{d:#?}");
    assert_eq!(
        (found[0].line, found[0].column),
        pos(&order, "приложение № 1", 0)
    );
    assert!(
        found[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("{{ appendix(\"plan\") }}")
    );
    assert_eq!((found[1].line, found[1].column), pos(&order, "п. 1", 0));
    assert!(
        found[1]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("{{ clause(\"approve\") }}")
    );
}

#[test]
fn clause_numbers_of_other_acts_are_not_hand_typed_references() {
    let order = edit(
        ORDER,
        "Представить отчёт.",
        "Представить отчёт согласно п. 3 ст. 28 Федерального закона.",
    );
    assert!(plans(&order, APPENDIX).is_empty());
}

#[test]
fn institution_alias_is_reported_with_the_canonical_name() {
    let appendix = edit(
        APPENDIX,
        "responsible: ОМСУ",
        "responsible: ОМСУ, СШ № 1 города",
    );
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "institution-alias",
        "appendix.yaml",
        pos(&appendix, "СШ № 1 города", 0),
        "«СШ № 1 города»",
    );
    assert_eq!(
        x.hint.as_deref(),
        Some("возможно, имелось в виду «МБОУ СШ № 1»")
    );
}

/// A school written another way than the registry's is found without an
/// alias listed for it: another legal form, an honorary name added, a typo
/// in the initials. Another school (another number) is not.
#[test]
fn an_institution_variant_nobody_listed_is_reported_with_the_canonical_name() {
    for variant in [
        "МАОУ СШ № 1",
        "МБОУ «Средняя школа № 1 им. А.С. Пушкина»",
        "МБОУ «Средняя шкала № 1»",
    ] {
        let appendix = edit(
            APPENDIX,
            "responsible: ОМСУ",
            &format!("responsible: \"ОМСУ, {variant}\""),
        );
        let d = plans(ORDER, &appendix);
        let x = expect(
            &d,
            "institution-alias",
            "appendix.yaml",
            pos(&appendix, variant, 0),
            variant,
        );
        assert_eq!(
            x.hint.as_deref(),
            Some("возможно, имелось в виду «МБОУ СШ № 1»")
        );
        // Its capitals are a name, not undefined abbreviations.
        assert!(
            !d.iter().any(|x| x.code == "abbr-undefined"),
            "{variant}: {d:#?}"
        );
    }
    for other in ["МБОУ СШ № 2", "МБОУ СШ № 1"] {
        let appendix = edit(
            APPENDIX,
            "responsible: ОМСУ",
            &format!("responsible: \"ОМСУ, {other}\""),
        );
        let d = plans(ORDER, &appendix);
        assert!(
            !d.iter().any(|x| x.code == "institution-alias"),
            "{other}: {d:#?}"
        );
    }
}

// ------------------------------------------------------------ tables

#[test]
fn empty_section_is_reported() {
    let appendix = format!("{APPENDIX}        - id: s2\n          title: Пустой раздел\n");
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "empty-section",
        "appendix.yaml",
        pos(&appendix, "Пустой раздел", 0),
        "без мероприятий",
    );
}

#[test]
fn empty_appendix_is_reported() {
    let appendix = "kind: appendix\nid: plan\ntitle: План\nblocks: []\n";
    let d = plans(ORDER, appendix);
    expect(
        &d,
        "empty-appendix",
        "appendix.yaml",
        pos(appendix, "plan", 0),
        "пустое",
    );
}

#[test]
fn required_cell_left_empty_is_reported() {
    let appendix = edit(
        APPENDIX,
        "              responsible: ОМСУ\n",
        "              responsible: \"\"\n",
    );
    let appendix = edit(&appendix, " (далее – ОМСУ)", "");
    let d = plans(ORDER, &appendix);
    expect(
        &d,
        "empty-cell",
        "appendix.yaml",
        pos(&appendix, "\"\"", 0),
        "«Ответственный»",
    );
}

#[test]
fn row_key_not_declared_as_column_is_reported() {
    let appendix = edit(
        APPENDIX,
        "              responsible: ОМСУ",
        "              responsible: ОМСУ\n              responsibel: ОМСУ",
    );
    let d = plans(ORDER, &appendix);
    let x = expect(
        &d,
        "unknown-column",
        "appendix.yaml",
        pos(&appendix, "responsibel", 0),
        "«responsibel»",
    );
    assert_eq!(
        x.hint.as_deref(),
        Some("возможно, имелось в виду «responsible»")
    );
}

const MATRIX: &str = r#"kind: appendix
id: plan
title: Отметки
blocks:
  - markers:
      row_title: Школа
      groups:
        - { id: y2024, title: "2024", columns: [ВПР, ОГЭ] }
        - { id: y2025, title: "2025", columns: [ВПР, ОГЭ] }
      criteria:
        - { id: low, title: Низкие результаты два года, at_least: 3 }
      rows:
        - { institution: school-1, markers: [1, 1, 1, 0], criteria: [1] }
        - { label: Другая школа, markers: [1, 0, 0, 0], criteria: [1] }
"#;

#[test]
fn marker_criteria_that_disagree_with_the_markers_are_reported() {
    let d = plans(ORDER, MATRIX);
    expect(
        &d,
        "marker-criteria",
        "appendix.yaml",
        pos(MATRIX, "[1] }", 1).into_next(),
        "указано 1, а по отметкам 0",
    );
}

/// The text of the documents built from the order and `appendix`.
fn printed(appendix: &str) -> String {
    let p = prikaz::project::Project::from_texts(
        &[
            ("registry.yaml", REGISTRY),
            ("order.yaml", ORDER),
            ("appendix.yaml", appendix),
        ],
        std::path::Path::new("."),
    );
    let a = p.analyze(prikaz::project::Options::default());
    a.docs
        .iter()
        .map(prikaz::render::text::render)
        .collect::<String>()
}

/// Criteria say more than «at least N»: the same procedure N years running
/// (the same place in consecutive groups), any or all of chosen columns; a
/// criterion with no rule, or a column no group has, is reported.
#[test]
fn marker_criteria_read_consecutive_years_any_and_all_over_chosen_columns() {
    let m = edit(
        MATRIX,
        "        - { id: low, title: Низкие результаты два года, at_least: 3 }\n",
        "        - { id: run, title: Одна процедура два года подряд, consecutive: 2 }\n        - { id: oge, title: ОГЭ хотя бы раз, any: true, columns: [ОГЭ] }\n        - { id: all24, title: Всё в 2024, all: true, groups: [y2024] }\n",
    );
    let m = edit(
        &m,
        "markers: [1, 1, 1, 0], criteria: [1] }",
        "markers: [1, 1, 1, 0], criteria: [1, 1, 1] }",
    );
    let m = edit(
        &m,
        "markers: [1, 0, 0, 0], criteria: [1] }",
        "markers: [1, 0, 0, 1], criteria: [0, 1, 0] }",
    );
    let d = plans(ORDER, &m);
    assert!(d.is_empty(), "{d:#?}");
    // A wrong typed value is reported with the rule in words.
    let wrong = edit(&m, "criteria: [0, 1, 0] }", "criteria: [1, 1, 0] }");
    let d = plans(ORDER, &wrong);
    let x = expect(
        &d,
        "marker-criteria",
        "appendix.yaml",
        pos(&wrong, "[1, 1, 0] }", 0).into_next(),
        "указано 1, а по отметкам 0",
    );
    assert!(
        x.hint
            .as_deref()
            .is_some_and(|h| h.contains("2 раз подряд")),
        "{:?}",
        x.hint
    );
    let none = edit(&m, "consecutive: 2 }", "}");
    expect(
        &plans(ORDER, &none),
        "invalid-value",
        "appendix.yaml",
        pos(&none, "run", 0),
        "нет правила",
    );
    let col = edit(&m, "columns: [ОГЭ]", "columns: [ЕГЭ]");
    expect(
        &plans(ORDER, &col),
        "unknown-reference",
        "appendix.yaml",
        pos(&col, "ЕГЭ", 0),
        "ЕГЭ",
    );
}

/// Criteria typed in the plan print as typed (an `allow`ed faithful copy
/// keeps its own values); criteria not typed are computed. A common title
/// may head the criteria columns.
#[test]
fn typed_criteria_print_as_typed_and_a_common_title_heads_the_criteria() {
    let m = edit(
        MATRIX,
        "kind: appendix\n",
        "kind: appendix\nallow: [marker-criteria]\n",
    );
    let m = edit(
        &m,
        "      rows:\n",
        "      criteria_title: Критерии отнесения\n      rows:\n",
    );
    let m = edit(
        &m,
        "markers: [1, 1, 1, 0], criteria: [1] }",
        "markers: [1, 1, 1, 0] }",
    );
    let t = printed(&m);
    assert!(t.contains("Критерии отнесения"), "{t}");
    // Computed for school-1 (three marks), typed «1» kept for the other.
    assert!(t.contains("| 1 | 1 | 1 | 0 | 1"), "{t}");
    assert!(t.contains("Другая школа | 1 | 0 | 0 | 0 | 1"), "{t}");
}

#[test]
fn marker_rows_of_the_wrong_length_are_reported() {
    let m = edit(MATRIX, "markers: [1, 0, 0, 0]", "markers: [1, 0, 0]");
    let d = plans(ORDER, &m);
    expect(
        &d,
        "table-shape",
        "appendix.yaml",
        pos(&m, "[1, 0, 0]", 0),
        "отметок 3, а граф 4",
    );
}

#[test]
fn indicator_rows_need_a_value_per_year() {
    let doc = "kind: document\nid: d\ntitle: Программа\nperiod: 2023-2025\nblocks:\n  - indicators:\n      years: [2023, 2024, 2025]\n      rows:\n        - { indicator: Доля, unit: \"%\", values: [\"1\", \"2\"] }\n";
    let d = run(&[("registry.yaml", REGISTRY), ("doc.yaml", doc)]);
    expect(
        &d,
        "table-shape",
        "doc.yaml",
        pos(doc, "[\"1\"", 0),
        "значений 2, а лет в таблице 3",
    );
}

// ------------------------------------------------------------ emblem

#[test]
fn emblem_that_is_not_an_image_is_reported_at_its_path() {
    let registry = edit(
        REGISTRY,
        "    registers: [ОД]\n",
        "    registers: [ОД]\n    emblem: gerb.png\n",
    );
    let d = run(&[
        ("registry.yaml", &registry),
        ("gerb.png", "это не картинка"),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ]);
    let e = expect(
        &d,
        "emblem-unreadable",
        "registry.yaml",
        pos(&registry, "gerb.png", 0),
        "герб «gerb.png»: это не PNG и не JPEG",
    );
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("PNG")));
}

#[test]
fn missing_emblem_file_is_reported() {
    let registry = edit(
        REGISTRY,
        "    registers: [ОД]\n",
        "    registers: [ОД]\n    emblem: нет/gerb.png\n",
    );
    let d = plans_with_registry(&registry);
    expect(
        &d,
        "emblem-unreadable",
        "registry.yaml",
        pos(&registry, "нет/gerb.png", 0),
        "файл не прочитан",
    );
}

fn plans_with_registry(registry: &str) -> Vec<D> {
    run(&[
        ("registry.yaml", registry),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ])
}

// ------------------------------------------------------------ sign-off

/// ORDER with approvals (and anything else) added before `signatory:`.
fn order_with(extra: &str) -> String {
    edit(
        ORDER,
        "signatory: boss\n",
        &format!("signatory: boss\n{extra}"),
    )
}

#[test]
fn approval_by_an_unknown_person_names_the_closest_id() {
    let order = order_with("approvals:\n  - { person: helpr, date: 2024-10-30, result: agreed }\n");
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "unknown-reference",
        "order.yaml",
        pos(&order, "helpr", 0),
        "helpr",
    );
    assert!(x.hint.as_deref().unwrap_or("").contains("helper"), "{x:#?}");
}

#[test]
fn the_same_approver_twice_is_reported_with_both_locations() {
    let order = order_with(
        "approvals:\n  - { person: helper, date: 2024-10-30, result: agreed }\n  - { person: helper, date: 2024-10-30, result: agreed }\n",
    );
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "approval-duplicate",
        "order.yaml",
        pos(&order, "helper", 2),
        "указана дважды",
    );
    assert_eq!(x.related.len(), 1, "{x:#?}");
    assert_eq!(x.severity, Severity::Warning);
}

#[test]
fn approval_dated_after_the_order_is_a_warning_at_the_date() {
    let order =
        order_with("approvals:\n  - { person: helper, date: 2024-11-05, result: agreed }\n");
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "approval-after-signing",
        "order.yaml",
        pos(&order, "2024-11-05", 0),
        "виза от 05.11.2024 позже даты приказа 31.10.2024",
    );
}

#[test]
fn rejected_approval_is_reported_at_its_result() {
    let order = order_with(
        "approvals:\n  - { person: helper, date: 2024-10-30, result: rejected, remarks: Нет сроков }\n",
    );
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "approval-rejected",
        "order.yaml",
        pos(&order, "rejected", 0),
        "не согласовал",
    );
}

#[test]
fn signed_order_with_a_visa_not_yet_given_is_an_error() {
    let order = edit(
        &order_with("approvals:\n  - { person: helper }\n"),
        "status: draft",
        "status: signed",
    );
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "approval-pending",
        "order.yaml",
        pos(&order, "helper", 1),
        "нет даты и результата",
    );
}

#[test]
fn approver_without_office_on_the_visa_date_is_reported() {
    let reg = edit(
        REGISTRY,
        "- { position: deputy, org: mon, from: 2020-01-01 }",
        "- { position: deputy, org: mon, from: 2020-01-01, to: 2024-06-30 }",
    );
    let order =
        order_with("approvals:\n  - { person: helper, date: 2024-10-30, result: agreed }\n");
    let order = edit(&order, "control: { person: helper }\n", "control: self\n");
    let d = run(&[
        ("registry.yaml", &reg),
        ("order.yaml", &order),
        ("appendix.yaml", APPENDIX),
    ]);
    expect(
        &d,
        "not-in-office",
        "order.yaml",
        pos(&order, "helper", 0),
        "визирующий «helper» не занимает должность в «mon» на 30.10.2024",
    );
}

#[test]
fn expired_certificate_is_reported_at_its_serial() {
    let order = edit(
        &order_with("esign: { certificate: 01AB23CD, from: 2023-01-01, to: 2024-01-01 }\n"),
        "status: draft",
        "status: signed",
    );
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "esign-expired",
        "order.yaml",
        pos(&order, "01AB23CD", 0),
        "на дату приказа 31.10.2024 сертификат недействителен (с 01.01.2023 по 01.01.2024)",
    );
}

#[test]
fn electronic_signature_on_a_draft_is_a_warning() {
    let order = order_with("esign: { certificate: 01AB23CD, from: 2024-01-01, to: 2025-01-01 }\n");
    let d = plans(&order, APPENDIX);
    expect(
        &d,
        "esign-unsigned",
        "order.yaml",
        pos(&order, "01AB23CD", 0),
        "приказ не подписан",
    );
}

/// What `build --final` adds to `check`'s diagnostics.
fn final_diags(files: &[(&str, &str)]) -> Vec<(String, usize, usize, String, Option<String>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let root = dir.path().to_path_buf();
    let project = prikaz::project::Project::open(std::slice::from_ref(&root), &root);
    let ws = project.workspace();
    let analysis = project.analyze(prikaz::project::Options::default());
    prikaz::check::lifecycle::final_readiness(&analysis.ix)
        .into_iter()
        .map(|d| {
            let s = d.span.expect("located");
            let (l, c) = ws.sources.line_col(s.file, s.start);
            (d.code.to_string(), l, c, d.message, d.hint)
        })
        .collect()
}

#[test]
fn final_build_refuses_a_draft_and_says_so_at_the_status() {
    let d = final_diags(&[
        ("registry.yaml", REGISTRY),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ]);
    assert_eq!(d.len(), 1, "{d:#?}");
    let (line, col) = pos(ORDER, "draft", 0);
    assert_eq!(d[0].0, "final-not-signed");
    assert_eq!((d[0].1, d[0].2), (line, col));
    assert!(d[0].3.contains("статус «проект»"), "{d:#?}");
}

#[test]
fn final_build_refuses_an_order_without_a_number() {
    let order = edit(
        &edit(ORDER, "number: 10-ОД\n", ""),
        "status: draft",
        "status: signed",
    );
    let d = final_diags(&[
        ("registry.yaml", REGISTRY),
        ("order.yaml", &order),
        ("appendix.yaml", APPENDIX),
    ]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].0, "final-number-missing");
    assert_eq!((d[0].1, d[0].2), pos(&order, "o1", 0));
    assert!(d[0].4.as_deref().unwrap_or("").contains("prikaz register"));
}

#[test]
fn final_build_names_each_missing_required_visa() {
    let reg = edit(
        REGISTRY,
        "    registers: [ОД]\n",
        "    registers: [ОД]\n    profile:\n      approvers: [deputy]\n",
    );
    let order = edit(ORDER, "status: draft", "status: signed");
    let d = final_diags(&[
        ("registry.yaml", &reg),
        ("order.yaml", &order),
        ("appendix.yaml", APPENDIX),
    ]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].0, "final-approval-missing");
    assert_eq!(d[0].3, "нет визы: заместитель министра");
    assert_eq!((d[0].1, d[0].2), pos(&order, "o1", 0));
    // With the visa given, the order is ready.
    let order =
        order_with("approvals:\n  - { person: helper, date: 2024-10-30, result: agreed }\n");
    let order = edit(&order, "status: draft", "status: signed");
    let d = final_diags(&[
        ("registry.yaml", &reg),
        ("order.yaml", &order),
        ("appendix.yaml", APPENDIX),
    ]);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn final_build_refuses_pending_and_rejected_visas_at_the_person() {
    let order = edit(
        &order_with(
            "approvals:\n  - { person: helper, result: agreed }\n  - { person: boss, date: 2024-10-30, result: rejected }\n",
        ),
        "status: draft",
        "status: signed",
    );
    let d = final_diags(&[
        ("registry.yaml", REGISTRY),
        ("order.yaml", &order),
        ("appendix.yaml", APPENDIX),
    ]);
    let codes: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        codes,
        ["final-approval-pending", "final-approval-rejected"],
        "{d:#?}"
    );
    assert_eq!((d[0].1, d[0].2), pos(&order, "helper", 1));
    assert_eq!(d[0].3, "у визы «helper» нет даты");
    assert_eq!((d[1].1, d[1].2), pos(&order, "boss", 1));
}

// ------------------------------------------------------------ located at the file or the template

#[test]
fn missing_key_is_reported_in_the_mapping_that_lacks_it() {
    let order = edit(ORDER, "signatory: boss\n", "");
    let d = plans(&order, APPENDIX);
    let x = d
        .iter()
        .find(|d| d.code == "missing-key")
        .unwrap_or_else(|| panic!("{d:#?}"));
    assert_eq!(x.file, "order.yaml");
    // serde-saphyr reports it where the mapping ends: at its last key.
    assert_eq!((x.line, x.column), pos(&order, "appendices:", 0), "{x:#?}");
    assert!(x.message.contains("signatory"), "{x:#?}");
}

#[test]
fn files_that_are_not_utf8_text_or_too_deep_are_reported_at_their_start() {
    let mut deep = String::from("kind: document\nid: d\ntitle: T\nblocks: ");
    deep.push_str(&"[".repeat(10_000));
    deep.push_str(&"]".repeat(10_000));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("latin1.yaml"),
        b"kind: order\ntitle: \xcf\xf0\n",
    )
    .expect("w");
    std::fs::write(
        dir.path().join("image.yaml"),
        [0x89, b'P', b'N', b'G', 0, 0],
    )
    .expect("w");
    std::fs::write(dir.path().join("deep.yaml"), deep).expect("w");
    let d = run_in(dir.path());
    expect(&d, "not-utf8", "latin1.yaml", (1, 1), "строка 2");
    expect(&d, "not-text", "image.yaml", (1, 1), "нулевые байты");
    let x = d
        .iter()
        .find(|d| d.code == "yaml-limit")
        .unwrap_or_else(|| panic!("{d:#?}"));
    assert_eq!(x.file, "deep.yaml");
    assert!(x.line >= 1 && x.line <= 4, "{x:#?}");
}

#[test]
fn a_template_error_is_located_in_the_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [
        ("registry.yaml", REGISTRY),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).expect("mkdir");
    let template = "#let doc = 1\n#let broken = (\n";
    std::fs::write(templates.join("default.typ"), template).expect("write");
    let project = prikaz::project::Project::open(&[dir.path().to_path_buf()], dir.path());
    let analysis = project.analyze(prikaz::project::Options::default());
    assert!(analysis.buildable(), "{:?}", analysis.diags);
    let mut engine = prikaz::render::pdf::Engine::new();
    engine.add_template_dir(&templates).expect("templates");
    let Err(err) = engine.layout(&analysis.docs[0]) else {
        panic!("a broken template fails");
    };
    let prikaz::render::pdf::PdfError::Layout(diags, sources) = err else {
        panic!("not a located template error: {err}");
    };
    let d = diags
        .iter()
        .find(|d| d.code == "template")
        .expect("template code");
    let s = d.span.expect("located");
    assert!(sources.name(s.file).ends_with("default.typ"));
    assert_eq!(sources.line_col(s.file, s.start).0, 2, "{}", d.message);
}

// ------------------------------------------------------------ characters that cannot be printed

#[test]
fn a_control_character_in_a_text_is_reported_at_the_value() {
    let order = edit(
        ORDER,
        "text: Представить отчёт.",
        r#"text: "Представить\fотчёт.""#,
    );
    let d = plans(&order, APPENDIX);
    let x = expect(
        &d,
        "control-character",
        "order.yaml",
        pos(&order, "\"Представить", 0),
        "U+000C",
    );
    assert!(x.severity == Severity::Error);
}

#[test]
fn a_control_character_in_the_registry_is_reported_at_the_value() {
    let at = REGISTRY.find("surname: ").expect("a surname") + "surname: ".len();
    let end = at + REGISTRY[at..].find('\n').expect("line end");
    let surname = &REGISTRY[at..end];
    let reg = format!(
        "{}\"{surname}\\u0001\"{}",
        &REGISTRY[..at],
        &REGISTRY[end..]
    );
    let d = run(&[
        ("registry.yaml", &reg),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ]);
    expect(
        &d,
        "control-character",
        "registry.yaml",
        pos(&reg, &format!("\"{surname}"), 0),
        "U+0001",
    );
}

#[test]
fn words_line_break_reads_as_a_typed_line_break_not_an_error() {
    let with = |escape: &str| {
        edit(
            APPENDIX,
            "activity: Совещание с руководителями органов местного самоуправления (далее – ОМСУ)",
            &format!(
                r#"activity: "Совещание с руководителями{escape}- органов местного самоуправления{escape}(далее – ОМСУ)""#
            ),
        )
    };
    let docs = |appendix: &str| {
        let d = plans(ORDER, appendix);
        assert!(d.is_empty(), "{d:#?}");
        let files = [
            ("registry.yaml", REGISTRY),
            ("order.yaml", ORDER),
            ("appendix.yaml", appendix),
        ]
        .iter()
        .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
        .collect();
        let project = prikaz::project::Project::from_memory(files, std::path::Path::new("."));
        project.analyze(prikaz::project::Options::default()).docs
    };
    // U+000B (Shift+Enter in Word, `\v` in YAML) gives the documents a line
    // feed gives: here a dash item on its own line in the cell.
    let vt = docs(&with("\\v"));
    assert_eq!(vt, docs(&with("\\n")));
    let docx = prikaz::render::docx::render(&vt[0]).expect("docx");
    let xml = crate::common::docx_xml(&docx);
    assert!(!xml.contains('\u{b}'), "U+000B reached the DOCX");
    assert!(
        xml.contains("органов местного самоуправления"),
        "the text is there"
    );
}

// ------------------------------------------------------------ files the plans name

/// A PNG of `w`×`h` pixels, as the image crate writes it.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbaImage::new(w, h)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// The header of a PNG that claims `w`×`h` pixels, with no pixels behind it:
/// a decompression bomb is a small file whose header says this.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        let body: Vec<u8> = kind.iter().chain(data).copied().collect();
        c.extend(&body);
        c.extend(crc32(&body).to_be_bytes());
        c
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    // An empty zlib stream: a decoder that believed the header would now
    // allocate 60,000 × 60,000 × 4 bytes.
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// The plans with `emblem: PATH` in a fresh directory, after `prepare` put
/// whatever it needs there; the emblem's diagnostics.
fn emblem_case(path: &str, prepare: impl FnOnce(&Path)) -> (String, Vec<D>) {
    let registry = edit(
        REGISTRY,
        "    registers: [ОД]\n",
        &format!("    registers: [ОД]\n    emblem: \"{path}\"\n"),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [
        ("registry.yaml", registry.as_str()),
        ("order.yaml", ORDER),
        ("appendix.yaml", APPENDIX),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    prepare(dir.path());
    let d = run_in(dir.path())
        .into_iter()
        .filter(|d| d.code == "emblem-unreadable")
        .collect();
    (registry, d)
}

#[test]
fn an_emblem_inside_the_repository_is_read() {
    let (_, d) = emblem_case("gerb.png", |dir| {
        std::fs::write(dir.join("gerb.png"), png(4, 4)).expect("write");
    });
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn an_emblem_outside_the_repository_is_refused_by_path_and_by_symlink() {
    let outside = tempfile::tempdir().expect("tempdir");
    let host = outside.path().join("host.png");
    std::fs::write(&host, png(4, 4)).expect("write");
    let host_path = host.to_string_lossy().to_string();
    let rel = format!(
        "../{}/host.png",
        outside
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
    );
    for path in [host_path.as_str(), rel.as_str(), "link.png"] {
        let (registry, d) = emblem_case(path, |dir| {
            #[cfg(unix)]
            std::os::unix::fs::symlink(&host, dir.join("link.png")).expect("symlink");
        });
        expect(
            &d,
            "emblem-unreadable",
            "registry.yaml",
            pos(&registry, &format!("\"{path}"), 0),
            "вне репозитория",
        );
    }
}

#[cfg(unix)]
#[test]
fn an_emblem_that_is_a_fifo_or_a_device_is_refused_without_reading_it() {
    let fifo = |dir: &Path| {
        let s = std::process::Command::new("mkfifo")
            .arg(dir.join("fifo.png"))
            .status()
            .expect("mkfifo");
        assert!(s.success());
    };
    let (registry, d) = emblem_case("fifo.png", fifo);
    expect(
        &d,
        "emblem-unreadable",
        "registry.yaml",
        pos(&registry, "\"fifo.png", 0),
        "не обычный файл",
    );
    // /dev/zero has no end: a symlink to it inside the repository still
    // points outside, and it is not a regular file either.
    let (registry, d) = emblem_case("zero.png", |dir| {
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero.png")).expect("symlink");
    });
    expect(
        &d,
        "emblem-unreadable",
        "registry.yaml",
        pos(&registry, "\"zero.png", 0),
        "герб",
    );
}

#[test]
fn an_emblem_whose_header_claims_gigapixels_is_refused_before_decoding() {
    let (registry, d) = emblem_case("bomb.png", |dir| {
        std::fs::write(dir.join("bomb.png"), png_claiming(60_000, 60_000)).expect("write");
    });
    expect(
        &d,
        "emblem-unreadable",
        "registry.yaml",
        pos(&registry, "\"bomb.png", 0),
        "60000×60000",
    );
}

#[test]
fn a_damaged_emblem_is_reported_at_the_registry_not_the_template() {
    let (registry, d) = emblem_case("broken.png", |dir| {
        let mut bytes = png(16, 16);
        let n = bytes.len();
        // Keep the header, spoil the pixels.
        for b in &mut bytes[n / 2..n - 12] {
            *b = 0xff;
        }
        std::fs::write(dir.join("broken.png"), bytes).expect("write");
    });
    expect(
        &d,
        "emblem-unreadable",
        "registry.yaml",
        pos(&registry, "\"broken.png", 0),
        "повреждено",
    );
}
