//! Unit tests of the resolver: control clauses, appendix stamps, file stems,
//! cell paragraphs and the issuer's defaults.

use std::path::Path;

use super::*;
use crate::diag::Code;
use crate::project::{Options, Project};

const REGISTRY: &str = "kind: registry
organisations:
  - id: min
    name: Министерство образования
    cases: { gen: Министерства образования }
    registers: [ОД]
positions:
  - id: minister
    name: министр
    cases: { gen: министра, acc: министра }
  - id: deputy
    name: заместитель министра
    cases: { gen: заместителя министра, acc: заместителя министра }
people:
  - id: ivanov
    surname: Иванов
    initials: И.И.
    gender: м
    positions:
      - { position: minister, org: min, from: 2020-01-01 }
  - id: petrova
    surname: Петрова
    initials: М.С.
    gender: ж
    positions:
      - { position: deputy, org: min, from: 2020-01-01 }
";

const ORDER: &str = "kind: order
id: o1
issuer: min
date: 2024-10-31
number: 10-ОД
title: Об утверждении плана
clauses:
  - id: approve
    text: Утвердить план.
  - id: report
    text: Представить отчёт.
control: { person: petrova }
signatory: ivanov
appendices: [plan]
";

fn appendix(id: &str, title: &str) -> String {
    format!(
        "kind: appendix
id: {id}
title: {title}
blocks:
  - paragraph: Текст.
"
    )
}

fn project(files: &[(&str, &str)]) -> Project {
    Project::from_texts(files, Path::new("."))
}

/// The resolved documents of `files`, which must check clean.
fn documents(files: &[(&str, &str)]) -> Vec<Document> {
    let p = project(files);
    let a = p.analyze(Options::default());
    assert!(a.diags.iter().all(|d| !d.is_error()), "{:?}", a.diags);
    a.docs
}

fn order_of(doc: &Document) -> &Order {
    match &doc.body {
        Body::Order(o) => o,
        other => panic!("not an order: {other:?}"),
    }
}

/// `s` with the no-break spaces of typography shown as plain ones.
fn plain(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

fn plain_all(lines: &[String]) -> Vec<String> {
    lines.iter().map(|l| plain(l)).collect()
}

fn plan() -> String {
    appendix("plan", "План мероприятий")
}

// ---------------------------------------------------------------- control

#[test]
fn control_by_a_person_names_the_position_and_surname_in_the_accusative() {
    let p = project(&[("r.yaml", REGISTRY), ("o.yaml", ORDER), ("a.yaml", &plan())]);
    let a = p.analyze(Options::default());
    let o = a.ix.orders["o1"];
    let (signature, control) = signature_and_control(&a.ix, o.file, o.item).expect("resolves");
    assert_eq!(
        control.as_deref(),
        Some(
            "Контроль за исполнением настоящего приказа возложить на заместителя министра М.С. Петрову."
        )
    );
    assert_eq!(signature.position_lines, ["Министр"]);
    assert_eq!(signature.name, "И.И. Иванов");
}

#[test]
fn the_control_clause_follows_the_last_numbered_clause() {
    let docs = documents(&[("r.yaml", REGISTRY), ("o.yaml", ORDER), ("a.yaml", &plan())]);
    let last = order_of(&docs[0]).clauses.last().expect("clauses").clone();
    assert_eq!(last.id.as_deref(), Some("control"));
    assert_eq!(last.marker, "3.");
    assert_eq!(
        plain(&last.text),
        "Контроль за исполнением настоящего приказа возложить на заместителя министра М.С. Петрову."
    );
}

#[test]
fn control_kept_by_the_signatory_is_said_in_the_first_person() {
    let order = ORDER.replace("control: { person: petrova }", "control: self");
    let p = project(&[
        ("r.yaml", REGISTRY),
        ("o.yaml", &order),
        ("a.yaml", &plan()),
    ]);
    let a = p.analyze(Options::default());
    let o = a.ix.orders["o1"];
    let (_, control) = signature_and_control(&a.ix, o.file, o.item).expect("resolves");
    assert_eq!(
        control.as_deref(),
        Some("Контроль за исполнением настоящего приказа оставляю за собой.")
    );
}

#[test]
fn a_missing_accusative_of_the_controller_position_is_reported_at_the_person() {
    let registry = REGISTRY.replace(
        "{ gen: заместителя министра, acc: заместителя министра }",
        "{ gen: заместителя министра }",
    );
    let p = project(&[
        ("r.yaml", &registry),
        ("o.yaml", ORDER),
        ("a.yaml", &plan()),
    ]);
    let a = p.analyze(Options::default());
    let o = a.ix.orders["o1"];
    let diags = signature_and_control(&a.ix, o.file, o.item).unwrap_err();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, Code::MissingCase);
    let span = diags[0].span.expect("located");
    let text = p.sources().text(span.file);
    assert_eq!(&text[span.start..span.end], "petrova");
    // The order does not resolve, and `check` says why.
    assert!(a.docs.iter().all(|d| d.id != "o1"));
    assert!(a.diags.iter().any(|d| d.code == Code::MissingCase));
}

// ---------------------------------------------------------------- stamps

#[test]
fn the_only_appendix_is_stamped_without_a_number() {
    let docs = documents(&[("r.yaml", REGISTRY), ("o.yaml", ORDER), ("a.yaml", &plan())]);
    let a = &order_of(&docs[0]).appendices[0];
    assert_eq!(
        plain_all(&a.stamp),
        [
            "Приложение",
            "к приказу Министерства образования",
            "от 31.10.2024 № 10-ОД"
        ]
    );
    assert_eq!(a.title, ["План мероприятий"]);
}

#[test]
fn each_of_several_appendices_is_stamped_with_its_number() {
    let order = ORDER.replace("appendices: [plan]", "appendices: [plan, list]");
    let list = appendix("list", "Список участников");
    let docs = documents(&[
        ("r.yaml", REGISTRY),
        ("o.yaml", &order),
        ("a.yaml", &plan()),
        ("b.yaml", &list),
    ]);
    let stamps: Vec<&str> = order_of(&docs[0])
        .appendices
        .iter()
        .map(|a| a.stamp[0].as_str())
        .collect();
    // Typeset: the number never parts from its sign.
    assert_eq!(stamps, ["Приложение №\u{a0}1", "Приложение №\u{a0}2"]);
}

#[test]
fn a_grif_stamp_agrees_with_the_head_noun_of_the_title() {
    let plan = format!("{}stamp: grif\n", plan());
    let docs = documents(&[("r.yaml", REGISTRY), ("o.yaml", ORDER), ("a.yaml", &plan)]);
    assert_eq!(
        plain_all(&order_of(&docs[0]).appendices[0].stamp),
        [
            "УТВЕРЖДЕН",
            "приказом Министерства образования",
            "от 31.10.2024 № 10-ОД"
        ]
    );
}

#[test]
fn an_order_without_a_number_is_stamped_with_a_blank_for_it() {
    let order = ORDER.replace("number: 10-ОД\n", "");
    let docs = documents(&[
        ("r.yaml", REGISTRY),
        ("o.yaml", &order),
        ("a.yaml", &plan()),
    ]);
    let o = order_of(&docs[0]);
    assert_eq!(plain(&o.appendices[0].stamp[2]), "от 31.10.2024 № ____");
    assert_eq!(o.letterhead.number, "№ ____");
}

// ---------------------------------------------------------------- file stems

#[test]
fn an_order_file_is_named_by_its_date_and_number() {
    let docs = documents(&[("r.yaml", REGISTRY), ("o.yaml", ORDER), ("a.yaml", &plan())]);
    assert_eq!(docs[0].file_stem, "2024-10-31_10-ОД");
}

#[test]
fn an_order_without_a_number_is_named_by_its_date_and_id() {
    let order = ORDER.replace("number: 10-ОД\n", "");
    let docs = documents(&[
        ("r.yaml", REGISTRY),
        ("o.yaml", &order),
        ("a.yaml", &plan()),
    ]);
    assert_eq!(docs[0].file_stem, "2024-10-31_o1");
}

#[test]
fn a_standalone_document_file_is_named_by_its_id() {
    let doc = "kind: document
id: plan-2025
issuer: min
title: План работы
blocks:
  - paragraph: Текст.
";
    let docs = documents(&[("r.yaml", REGISTRY), ("d.yaml", doc)]);
    assert_eq!(docs[0].file_stem, "plan-2025");
    assert!(matches!(docs[0].body, Body::Standalone(_)));
}

#[test]
fn two_documents_never_get_the_same_file_name() {
    let second = ORDER
        .replace("id: o1", "id: o2")
        .replace("appendices: [plan]\n", "");
    let p = project(&[
        ("r.yaml", REGISTRY),
        ("o.yaml", ORDER),
        ("o2.yaml", &second),
        ("a.yaml", &plan()),
    ]);
    let docs = p.analyze(Options::default()).docs;
    let stems: Vec<&str> = docs.iter().map(|d| d.file_stem.as_str()).collect();
    assert_eq!(stems, ["2024-10-31_10-ОД", "2024-10-31_10-ОД_2"]);
}

// ---------------------------------------------------------------- text

#[test]
fn cell_lines_with_dashes_become_items_and_indented_lines_continue_them() {
    let p = project(&[("r.yaml", REGISTRY), ("o.yaml", ORDER), ("a.yaml", &plan())]);
    let a = p.analyze(Options::default());
    let mut diags = Vec::new();
    let units = crate::index::units(&a.ix, &mut diags);
    let refs = Refs::new(&a.ix, &units[0]);
    let (_, style) = profile(None);
    let prep = Prep { refs: &refs, style };
    let paras = prep.cell_paras("Провести:\n- совещание\n  с директорами\n- семинар\n\nИтоги");
    let got: Vec<(Option<&str>, String)> = paras
        .iter()
        .map(|p| (p.marker.as_deref(), plain(&p.text)))
        .collect();
    assert_eq!(
        got,
        [
            (None, "Провести:".to_string()),
            (Some("—"), "совещание с директорами".to_string()),
            (Some("—"), "семинар".to_string()),
            (None, "Итоги".to_string()),
        ]
    );
}

#[test]
fn an_issuer_without_a_profile_gets_the_gost_defaults() {
    let (p, s) = profile(None);
    assert_eq!(
        (
            p.margins_mm.left,
            p.margins_mm.right,
            p.margins_mm.top,
            p.margins_mm.bottom
        ),
        (30.0, 10.0, 20.0, 20.0)
    );
    assert_eq!(p.font_size_pt, 14.0);
    assert_eq!(p.font_family, "Times New Roman");
    assert_eq!(s.dash, typo::Dash::Em);
    assert!(!s.date_words && s.stamp == StampKind::Appendix && s.deadline_capitalize);
}
