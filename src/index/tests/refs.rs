//! Unit tests of `index::refs`: a reference call within a unit becomes the
//! printed text, or an error with the nearest known id.

use super::*;
use crate::index::refs::Refs;
use crate::lang::expr::{self, Call};

fn call(func: &str, id: &str, arg: Option<&str>) -> Call {
    Call {
        func: func.into(),
        id: id.into(),
        arg: arg.map(String::from),
    }
}

const CLAUSES: &str = "  - id: hold
    text: Провести совещание.
    clauses:
      - { id: invite, text: Пригласить. }
  - id: report
    text: Представить отчёт.
";

/// Runs `f` with the references of the order of `CLAUSES` and `appendices`
/// (each an appendix with rows `<id>-r1`, `<id>-r2`).
fn with_refs(appendices: &[&str], f: impl FnOnce(&Refs)) {
    let o = order(CLAUSES, appendices);
    let texts: Vec<(String, String)> = appendices
        .iter()
        .map(|id| {
            let rows = format!(
                "      rows:\n        - {{ id: {id}-r1, activity: a }}\n        - {{ id: {id}-r2, activity: b }}\n"
            );
            (format!("{id}.yaml"), appendix(id, &rows))
        })
        .collect();
    let mut files = vec![("r.yaml", REGISTRY), ("o.yaml", o.as_str())];
    files.extend(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    with_units(&files, |_, ix, units, diags| {
        assert!(diags.is_empty(), "{diags:?}");
        f(&Refs::new(ix, &units[0]));
    });
}

#[test]
fn the_only_appendix_is_cited_without_a_number() {
    with_refs(&["plan"], |r| {
        assert_eq!(
            r.resolve(&call("appendix", "plan", None)).as_deref(),
            Ok("приложение")
        );
    });
}

#[test]
fn one_of_several_appendices_is_cited_by_number_in_the_case_asked() {
    with_refs(&["plan", "list"], |r| {
        assert_eq!(
            r.resolve(&call("appendix", "list", None)).as_deref(),
            Ok("приложение № 2")
        );
        assert_eq!(
            r.resolve(&call("appendix", "plan", Some("dat"))).as_deref(),
            Ok("приложению № 1")
        );
        assert!(r.used.borrow().contains("plan") && r.used.borrow().contains("list"));
    });
}

#[test]
fn a_clause_is_cited_as_a_paragraph_and_num_gives_the_bare_number() {
    with_refs(&["plan"], |r| {
        assert_eq!(
            r.resolve(&call("clause", "invite", None)).as_deref(),
            Ok("п. 1.1")
        );
        assert_eq!(r.resolve(&call("num", "report", None)).as_deref(), Ok("2"));
        assert_eq!(
            r.resolve(&call("num", "plan-r2", None)).as_deref(),
            Ok("2"),
            "rows are citable too"
        );
    });
}

#[test]
fn a_person_is_printed_with_initials_in_the_case_asked() {
    with_refs(&[], |r| {
        let person = |arg| r.resolve(&call("person", "ivanov", arg));
        assert_eq!(person(None).as_deref(), Ok("И.И. Иванов"));
        assert_eq!(person(Some("dat")).as_deref(), Ok("И.И. Иванову"));
        assert_eq!(person(Some("full")).as_deref(), Ok("Иванов Иван Иванович"));
        assert_eq!(person(Some("rev")).as_deref(), Ok("Иванов И.И."));
    });
}

#[test]
fn an_organisation_and_an_institution_are_printed_by_their_names() {
    with_refs(&[], |r| {
        assert_eq!(
            r.resolve(&call("org", "min", Some("gen"))).as_deref(),
            Ok("Министерства образования")
        );
        assert_eq!(
            r.resolve(&call("inst", "school-1", None)).as_deref(),
            Ok("СШ № 1")
        );
        assert_eq!(
            r.resolve(&call("inst", "school-1", Some("full")))
                .as_deref(),
            Ok("Средняя школа № 1")
        );
    });
}

#[test]
fn an_unknown_person_is_an_unknown_reference_with_the_nearest_id() {
    with_refs(&[], |r| {
        let (code, message, hint) = r.resolve(&call("person", "ivanof", None)).unwrap_err();
        assert_eq!(code, Code::UnknownReference);
        assert_eq!(message, "лицо «ivanof»: нет такого id");
        assert_eq!(hint.as_deref(), Some("возможно, имелось в виду «ivanov»"));
    });
}

#[test]
fn an_unknown_clause_is_an_unknown_reference_with_the_nearest_id() {
    with_refs(&["plan"], |r| {
        let (code, message, hint) = r.resolve(&call("clause", "reprt", None)).unwrap_err();
        assert_eq!(code, Code::UnknownReference);
        assert_eq!(
            message,
            "пункт, строка или приложение «reprt»: нет такого id"
        );
        assert_eq!(hint.as_deref(), Some("возможно, имелось в виду «report»"));
        assert!(r.used.borrow().is_empty());
    });
}

#[test]
fn an_unknown_appendix_is_an_unknown_reference_with_the_nearest_attached_id() {
    with_refs(&["plan"], |r| {
        let (code, _, hint) = r.resolve(&call("appendix", "plam", None)).unwrap_err();
        assert_eq!(code, Code::UnknownReference);
        assert_eq!(hint.as_deref(), Some("возможно, имелось в виду «plan»"));
    });
}

#[test]
fn an_unknown_id_far_from_every_known_one_has_no_hint() {
    with_refs(&[], |r| {
        let (code, _, hint) = r
            .resolve(&call("person", "совсем-другой", None))
            .unwrap_err();
        assert_eq!(code, Code::UnknownReference);
        assert_eq!(hint, None);
    });
}

#[test]
fn an_appendix_of_the_repository_not_attached_to_the_order_is_reported_as_such() {
    let o = order(CLAUSES, &[]);
    let a = appendix("plan", "      rows:\n        - { activity: a }\n");
    with_units(
        &[("r.yaml", REGISTRY), ("o.yaml", &o), ("a.yaml", &a)],
        |_, ix, units, _| {
            let r = Refs::new(ix, &units[0]);
            let (code, _, _) = r.resolve(&call("appendix", "plan", None)).unwrap_err();
            assert_eq!(code, Code::AppendixNotAttached);
        },
    );
}

#[test]
fn a_text_with_references_expands_to_the_printed_words() {
    with_refs(&["plan", "list"], |r| {
        let (text, errors) = expr::expand(
            r#"Согласно {{ appendix("list", "dat") }} и {{ clause("invite") }} поручить {{ person("ivanov", "dat") }}."#,
            |c| r.resolve(c),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            text,
            "Согласно приложению № 2 и п. 1.1 поручить И.И. Иванову."
        );
    });
}

#[test]
fn an_act_title_keeps_the_closing_quote_of_a_name_it_ends_with() {
    use crate::index::refs::outer_quotes_off;
    assert_eq!(
        outer_quotes_off("Об утверждении программы «Развитие образования»"),
        "Об утверждении программы «Развитие образования»"
    );
    assert_eq!(outer_quotes_off("«Об образовании»"), "Об образовании");
    assert_eq!(
        outer_quotes_off("«Проект» и «Программа»"),
        "«Проект» и «Программа»"
    );
}
