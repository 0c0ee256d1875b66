//! What the clerk typed is what is printed: typography only (quotes,
//! dashes, no-break spaces), unless the issuer's profile asks for more.

use prikaz::project::{Options, Project};

use crate::rules::{APPENDIX, ORDER, REGISTRY, edit};

/// The documents' text (no-break spaces as spaces) of the three plans.
fn text(registry: &str, order: &str, appendix: &str) -> String {
    let p = Project::from_texts(
        &[
            ("registry.yaml", registry),
            ("order.yaml", order),
            ("appendix.yaml", appendix),
        ],
        std::path::Path::new("."),
    );
    let a = p.analyze(Options::default());
    assert!(a.buildable(), "{:#?}", a.diags);
    a.docs
        .iter()
        .map(prikaz::render::text::render)
        .collect::<String>()
        .replace('\u{a0}', " ")
}

#[test]
fn deadlines_print_as_typed_with_every_word_kept() {
    for (typed, printed) in [
        ("До 27 марта 2025 г.", "До 27 марта 2025 г."),
        ("в течение всего периода", "В течение всего периода"),
        ("ноябрь 2024 года", "Ноябрь 2024 года"),
        ("Июль-август 2025", "Июль-август 2025"),
    ] {
        let appendix = edit(
            APPENDIX,
            "deadline: Ноябрь 2024",
            &format!("deadline: {typed}"),
        );
        let t = text(REGISTRY, ORDER, &appendix);
        assert!(t.contains(&format!("| {printed} |")), "{typed}: {t}");
    }
    // Inside a clause the deadline continues the sentence.
    let order = edit(
        ORDER,
        "deadline: до 10.12.2024",
        "deadline: До 10 декабря 2024 года",
    );
    let t = text(REGISTRY, &order, APPENDIX);
    assert!(
        t.contains("Представить отчёт в срок до 10 декабря 2024 года."),
        "{t}"
    );
}

#[test]
fn a_profile_may_ask_for_deadlines_in_one_uniform_form() {
    let registry = edit(
        REGISTRY,
        "    registers: [ОД]\n",
        "    registers: [ОД]\n    profile: { deadline_print: normalized }\n",
    );
    let appendix = edit(
        APPENDIX,
        "deadline: Ноябрь 2024",
        "deadline: ноябрь 2024 года",
    );
    let t = text(&registry, ORDER, &appendix);
    assert!(t.contains("| Ноябрь 2024 г. |"), "{t}");
    let order = edit(
        ORDER,
        "deadline: до 10.12.2024",
        "deadline: До 10 декабря 2024 года",
    );
    let t = text(&registry, &order, APPENDIX);
    assert!(t.contains("в срок до 10.12.2024."), "{t}");
}

#[test]
fn the_executor_mark_keeps_the_initials_the_registry_gives() {
    let order = edit(
        ORDER,
        "signatory: boss\n",
        "signatory: boss\nexecutor: helper\n",
    );
    let t = text(REGISTRY, &order, APPENDIX);
    assert!(t.contains("Петрова М.С."), "{t}");
}

#[test]
fn the_control_clause_is_worded_as_the_issuers_profile_says() {
    let order = edit(ORDER, "control: { person: helper }", "control: self");
    let t = text(REGISTRY, &order, APPENDIX);
    assert!(t.contains("оставляю за собой."), "{t}");
    let registry = edit(
        REGISTRY,
        "    registers: [ОД]\n",
        "    registers: [ОД]\n    profile:\n      control_self: Контроль за исполнением приказа оставляю за собою.\n      control_person: Контроль исполнения приказа возложить на {кому}.\n",
    );
    let t = text(&registry, &order, APPENDIX);
    assert!(
        t.contains("Контроль за исполнением приказа оставляю за собою."),
        "{t}"
    );
    let t = text(&registry, ORDER, APPENDIX);
    assert!(
        t.contains("Контроль исполнения приказа возложить на заместителя министра М.С. Петрову."),
        "{t}"
    );
}

/// A clause leads into its deadline as a clerk writes it: «в срок до …»,
/// «в срок: ноябрь 2024 г.» for a bare period, nothing before a deadline
/// that reads on by itself; a deadline ending in «г.» ends the sentence
/// with one dot.
#[test]
fn a_clause_joins_its_deadline_without_a_stray_colon_or_a_second_dot() {
    for (typed, printed) in [
        (
            "до 1 декабря 2024 г.",
            "Представить отчёт в срок до 1 декабря 2024 г.",
        ),
        ("ежеквартально", "Представить отчёт ежеквартально."),
        (
            "в течение декабря 2024 года",
            "Представить отчёт в течение декабря 2024 года.",
        ),
        (
            "по мере необходимости",
            "Представить отчёт по мере необходимости.",
        ),
        ("ноябрь 2024 г.", "Представить отчёт в срок: ноябрь 2024 г."),
        (
            "IV квартал 2024 г.",
            "Представить отчёт в срок: IV квартал 2024 г.",
        ),
    ] {
        let order = edit(
            ORDER,
            "deadline: до 10.12.2024",
            &format!("deadline: {typed}"),
        );
        let t = text(REGISTRY, &order, APPENDIX);
        assert!(t.contains(printed), "{typed}: {t}");
        assert!(!t.contains("г..") && !t.contains("срок: в"), "{typed}: {t}");
    }
}

/// A number typed in a row prints as typed: «1.1.» keeps its dot and «1.1»
/// stays without, as in the document the plan copies.
#[test]
fn a_fixed_row_number_keeps_its_printed_style() {
    for typed in ["1.1.", "1.1"] {
        let appendix = edit(
            APPENDIX,
            "            - id: r1\n",
            &format!("            - id: r1\n              number: \"{typed}\"\n"),
        );
        let t = text(REGISTRY, ORDER, &appendix);
        assert!(t.contains(&format!("{typed} | Совещание")), "{typed}: {t}");
    }
}
