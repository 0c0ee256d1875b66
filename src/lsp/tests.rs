//! The language server's answers on the seed plans, without the protocol.

use std::path::Path;

use crate::index::Index;
use crate::project::Project;

use super::complete::{self, ItemKind};
use super::{outline, symbols};

fn project() -> Project {
    Project::open(&[Path::new("plans").to_path_buf()], Path::new("."))
}

const ORDER: &str = "plans/smolensk-2024-978/order.yaml";
const APPENDIX: &str = "plans/smolensk-2024-978/appendix.yaml";

/// Completions with the text cut at the first `marker` (the cursor).
fn complete_at(p: &mut Project, name: &str, before: &str, typed: &str) -> Vec<complete::Item> {
    let id = p.file_id(name).expect("file");
    let text = p.sources().text(id).to_string();
    let at = text.find(before).expect("marker") + before.len();
    let edited = format!("{}{typed}\n{}", &text[..at], &text[at..]);
    let id = p.set_file(name, edited.into_bytes());
    let ws = p.workspace();
    let (ix, _) = Index::build(ws);
    let schema = crate::plan::json_schema();
    complete::complete(ws, &ix, &schema, id, at + typed.len())
}

fn labels(items: &[complete::Item]) -> Vec<&str> {
    items.iter().map(|i| i.label.as_str()).collect()
}

#[test]
fn the_order_keys_are_offered_at_the_top_level() {
    let mut p = project();
    let items = complete_at(
        &mut p,
        ORDER,
        "appendices: [smolensk-2024-978-plan]\n",
        "ex",
    );
    assert_eq!(labels(&items), ["executor"], "{items:?}");
    assert_eq!(items[0].kind, ItemKind::Key);
    assert_eq!(items[0].insert, "executor: ");
}

#[test]
fn a_clause_offers_its_own_keys() {
    let mut p = project();
    let items = complete_at(
        &mut p,
        ORDER,
        "        deadline: до 20.07.2025\n",
        "      - ",
    );
    let l = labels(&items);
    for k in ["id", "text", "deadline", "to", "items", "clauses"] {
        assert!(l.contains(&k), "{k} not in {l:?}");
    }
    assert!(!l.contains(&"signatory"), "{l:?}");
    // The keys the order already has are not offered again.
    let items = complete_at(&mut p, ORDER, "appendices: [smolensk-2024-978-plan]\n", "");
    let l = labels(&items);
    assert!(!l.contains(&"title") && !l.contains(&"signatory"), "{l:?}");
    assert!(l.contains(&"executor") && l.contains(&"approvals"), "{l:?}");
}

#[test]
fn a_row_offers_its_tables_column_keys_with_their_titles() {
    let mut p = project();
    let items = complete_at(&mut p, APPENDIX, "(далее – РОИВ)\n", "            - ");
    let l = labels(&items);
    for k in [
        "activity",
        "audience",
        "specifics",
        "deadline",
        "responsible",
        "id",
    ] {
        assert!(l.contains(&k), "{k} not in {l:?}");
    }
    let a = items.iter().find(|i| i.label == "audience").unwrap();
    assert_eq!(a.detail.as_deref(), Some("графа «Целевая аудитория»"));
    // Inside a row, the cells it has are not offered again.
    let items = complete_at(
        &mut p,
        APPENDIX,
        "              deadline: Ноябрь 2024\n",
        "              ",
    );
    let l = labels(&items);
    assert!(
        !l.contains(&"activity") && !l.contains(&"deadline"),
        "{l:?}"
    );
}

#[test]
fn a_deadline_cell_offers_deadlines_of_the_plan_period() {
    let mut p = project();
    let items = complete_at(
        &mut p,
        APPENDIX,
        "              deadline: Ноябрь 2024\n",
        "              deadline: ",
    );
    let l = labels(&items);
    assert!(l.contains(&"ежеквартально"), "{l:?}");
    assert!(l.iter().any(|s| s.contains("2025")), "{l:?}");
}

#[test]
fn enumerated_values_and_registry_ids_are_offered_after_their_keys() {
    let mut p = project();
    let items = complete_at(
        &mut p,
        ORDER,
        "appendices: [smolensk-2024-978-plan]\n",
        "status: ",
    );
    let l = labels(&items);
    assert!(l.contains(&"draft") && l.contains(&"registered"), "{l:?}");
    let items = complete_at(
        &mut p,
        ORDER,
        "appendices: [smolensk-2024-978-plan]\n",
        "executor: fo",
    );
    assert_eq!(labels(&items), ["fominykh"]);
    let items = complete_at(
        &mut p,
        ORDER,
        "appendices: [smolensk-2024-978-plan]\n",
        "issuer: smolensk-",
    );
    assert!(labels(&items).contains(&"smolensk-mon"), "{items:?}");
    let mut p = project();
    let items = complete_at(
        &mut p,
        ORDER,
        "appendices: [smolensk-2024-978-plan]\n",
        "approvals:\n  - person: shelabina\n    clause: om",
    );
    assert_eq!(labels(&items), ["omsu"], "a visa's clause: {items:?}");
}

#[test]
fn references_inside_expressions_complete_the_units_own_ids() {
    let mut p = project();
    let items = complete_at(&mut p, ORDER, "preamble: >-\n", "  {{ act(\"");
    let l = labels(&items);
    // In the order the acts are listed.
    assert_eq!(l, ["concept-548", "clusters-771"], "{items:?}");
    let items = complete_at(&mut p, ORDER, "preamble: >-\n", "  {{ clause(\"so");
    // Dash items have no number to cite: only the clause itself.
    assert_eq!(labels(&items), ["soiro"], "{items:?}");
    assert_eq!(items[0].detail.as_deref(), Some("п. 2"));
    let items = complete_at(&mut p, ORDER, "preamble: >-\n", "  {{ appendix(\"");
    assert_eq!(labels(&items), ["smolensk-2024-978-plan"]);
}

#[test]
fn an_appendix_id_is_used_by_its_order_and_defined_in_its_file() {
    let p = project();
    let ws = p.workspace();
    let (ix, _) = Index::build(ws);
    let all = symbols::everywhere(ws, &ix);
    let order = p.file_id(ORDER).unwrap();
    let text = p.sources().text(order);
    let at = text.find("appendix(\"smolensk").unwrap() + "appendix(\"".len() + 2;
    let here = symbols::at(ws, &ix, order, at).expect("id under the cursor");
    assert_eq!(here.kind, symbols::Kind::Appendix);
    let def = symbols::definition(&all, &here).expect("definition");
    assert_eq!(p.sources().name(def.file), APPENDIX);
    let uses = all.iter().filter(|o| o.same_symbol(&here)).count();
    // `appendices:` list, the reference in clause 1, the appendix's own id.
    assert_eq!(uses, 3);
}

#[test]
fn the_outline_shows_clauses_and_rows_with_their_printed_numbers() {
    let p = project();
    let ws = p.workspace();
    let (ix, _) = Index::build(ws);
    let order = outline::symbols(ws, &ix, p.file_id(ORDER).unwrap());
    assert!(
        order[0].name.starts_with("1. Утвердить план"),
        "{:?}",
        order[0].name
    );
    let soiro = &order[1];
    assert!(soiro.name.starts_with("2. "), "{}", soiro.name);
    assert_eq!(soiro.children.as_ref().map(Vec::len), Some(2));
    let appendix = outline::symbols(ws, &ix, p.file_id(APPENDIX).unwrap());
    let first = &appendix[0];
    assert!(
        first.name.starts_with("1. Организационно-управленческое"),
        "{}",
        first.name
    );
    let rows = first.children.as_ref().expect("rows");
    assert!(
        rows[0].name.starts_with("1.1 Разработка"),
        "{}",
        rows[0].name
    );
}

/// The order of seed 000 with `(from, to)` edits, in a project of all plans.
fn edited(edits: &[(&str, &str)]) -> Project {
    let mut p = project();
    let id = p.file_id(ORDER).unwrap();
    let mut text = p.sources().text(id).to_string();
    for (a, b) in edits {
        assert!(text.contains(a), "no «{a}»");
        text = text.replacen(a, b, 1);
    }
    p.set_file(ORDER, text.into_bytes());
    p
}

#[test]
fn the_quick_fixes_of_real_diagnostics_remove_them() {
    let mut p = edited(&[
        ("person(\"fominykh\")", "person(\"fominyh\")"),
        (
            "обеспечить организационно-методическое",
            "обеспечить силами СОИРО организационно-методическое",
        ),
        (
            "муниципальном уровне.",
            "муниципальном уровне согласно п. 2.",
        ),
    ]);
    let codes = [
        "unknown-reference",
        "institution-alias",
        "hand-typed-reference",
    ];
    let diags = p.check();
    let mut fixes: Vec<super::diagnostics::Fix> = diags
        .iter()
        .filter(|d| codes.contains(&d.code.as_str()))
        .flat_map(|d| super::diagnostics::fixes(d, p.sources()))
        .collect();
    assert_eq!(fixes.len(), 3, "{diags:#?}");
    let id = p.file_id(ORDER).unwrap();
    let mut text = p.sources().text(id).to_string();
    fixes.sort_by_key(|f| std::cmp::Reverse(f.span.start));
    for f in &fixes {
        assert_eq!(f.span.file, id);
        text.replace_range(f.span.start..f.span.end, &f.text);
    }
    assert!(text.contains("согласно {{ clause(\"soiro\") }}."), "{text}");
    assert!(text.contains("силами ГАУ ДПО СОИРО"), "{text}");
    p.set_file(ORDER, text.into_bytes());
    let after = p.check();
    assert!(
        !after.iter().any(|d| codes.contains(&d.code.as_str())),
        "{after:#?}"
    );
}

#[test]
fn hover_gives_the_printed_number_of_a_clause_and_the_text_of_an_act() {
    let p = project();
    let ws = p.workspace();
    let (ix, _) = Index::build(ws);
    let order = p.file_id(ORDER).unwrap();
    let text = p.sources().text(order);
    let at = |needle: &str, shift: usize| text.find(needle).unwrap() + shift;
    let (h, _) = super::hover::hover(ws, &ix, order, at("id: omsu\n", 5)).unwrap();
    assert_eq!(h, "пункт **3**");
    let (h, _) = super::hover::hover(ws, &ix, order, at("муниципальных планов", 3)).unwrap();
    assert_eq!(h, "подпункт «–»", "a dash item has no number");
    let (h, _) =
        super::hover::hover(ws, &ix, order, at("act(\"concept-548\", \"gen\")", 2)).unwrap();
    assert!(
        h.starts_with("**Печатается:** «приказа Департамента Смоленской области"),
        "{h}"
    );
    let (h, _) = super::hover::hover(ws, &ix, order, at("issuer: smolensk-mon", 9)).unwrap();
    assert_eq!(h, "**Министерство образования и науки Смоленской области**");
}

#[test]
fn an_edit_re_checks_only_the_unit_it_changes() {
    let (server, _client) = lsp_server::Connection::memory();
    let mut s = super::State::open(Path::new(".")).expect("state");
    s.analyze(&server).expect("analyze");
    let all = s.checked;
    assert!(all >= 5, "{all}");
    let id = s.project.file_id(ORDER).unwrap();
    let text = s.project.sources().text(id).replace(
        "адресной\n  поддержки",
        "адресной\n  и постоянной поддержки",
    );
    s.project.set_file(ORDER, text.into_bytes());
    s.analyze(&server).expect("analyze");
    assert_eq!(s.checked, 1);
}

fn initialize(client: &lsp_server::Connection) {
    use lsp_server::{Message, Request};
    client
        .sender
        .send(Message::Request(Request::new(
            1.into(),
            "initialize".into(),
            serde_json::json!({"processId": null, "capabilities": {}}),
        )))
        .unwrap();
    while !matches!(client.receiver.recv().unwrap(), Message::Response(_)) {}
    notify(client, "initialized");
}

fn notify(client: &lsp_server::Connection, method: &str) {
    let n = lsp_server::Notification::new(method.into(), serde_json::Value::Null);
    client.sender.send(n.into()).unwrap();
}

#[test]
fn exit_without_shutdown_is_an_error_and_a_second_shutdown_is_answered() {
    use lsp_server::{Connection, Message, Request};
    let (server, client) = Connection::memory();
    let t = std::thread::spawn(move || super::serve(&server));
    initialize(&client);
    notify(&client, "exit");
    assert!(matches!(
        t.join().unwrap(),
        Err(super::LspError::ExitWithoutShutdown)
    ));

    let (server, client) = Connection::memory();
    let t = std::thread::spawn(move || super::serve(&server));
    initialize(&client);
    for id in [2, 3] {
        let r = Request::new(id.into(), "shutdown".into(), serde_json::Value::Null);
        client.sender.send(r.into()).unwrap();
        loop {
            if let Message::Response(r) = client.receiver.recv().unwrap() {
                assert!(r.response_result.is_ok(), "{r:?}");
                break;
            }
        }
    }
    notify(&client, "exit");
    assert!(t.join().unwrap().is_ok());
}

mod never_panics {
    use proptest::prelude::*;

    use super::super::{complete, diagnostics, hover, outline, symbols, text};
    use crate::index::Index;
    use crate::project::Project;

    const REGISTRY: &str = include_str!("../../plans/registry.yaml");
    const ORDER: &str = include_str!("../../plans/smolensk-2024-978/order.yaml");
    const APPENDIX: &str = include_str!("../../plans/smolensk-2024-978/appendix.yaml");

    fn cut(s: &str, at: f64) -> usize {
        let mut i = ((s.len() as f64) * at) as usize;
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Whatever the clerk has typed half-way, every answer of the server
        /// comes back: completion, hover, ids, outline, quick fixes, positions.
        #[test]
        fn a_half_typed_plan_gets_answers_without_a_panic(
            at in 0.0f64..1.0,
            len in 0usize..80,
            insert in "[-a-z{}()\"':\\[\\] \\nа-я№.𝄞]{0,24}",
            appendix in any::<bool>(),
            probes in proptest::collection::vec(0.0f64..1.0, 4),
            line in 0u32..400,
            character in 0u32..200,
        ) {
            let base = if appendix { APPENDIX } else { ORDER };
            let a = cut(base, at);
            let b = cut(base, ((a + len).min(base.len()) as f64) / (base.len() as f64));
            let edited = format!("{}{}{}", &base[..a], insert, &base[b.max(a)..]);
            let (order, appendix_text) = if appendix { (ORDER, edited.as_str()) } else { (edited.as_str(), APPENDIX) };
            let p = Project::from_texts(
                &[("registry.yaml", REGISTRY), ("order.yaml", order), ("appendix.yaml", appendix_text)],
                std::path::Path::new("."),
            );
            let ws = p.workspace();
            let (ix, _) = Index::build(ws);
            let schema = crate::plan::json_schema();
            let file = p.file_id(if appendix { "appendix.yaml" } else { "order.yaml" }).unwrap();
            let src = p.sources().text(file);
            for probe in probes {
                let offset = cut(src, probe);
                let _ = complete::complete(ws, &ix, &schema, file, offset);
                let _ = hover::hover(ws, &ix, file, offset);
                let _ = symbols::at(ws, &ix, file, offset);
            }
            let _ = outline::symbols(ws, &ix, file);
            let all = symbols::everywhere(ws, &ix);
            for o in &all {
                let _ = symbols::definition(&all, o);
            }
            for d in p.check() {
                for f in diagnostics::fixes(&d, p.sources()) {
                    prop_assert!(f.span.start <= f.span.end && f.span.end <= p.sources().text(f.span.file).len());
                }
            }
            let lines = text::Lines::new(src);
            let offset = lines.offset(lsp_types::Position::new(line, character));
            prop_assert!(src.is_char_boundary(offset));
            let mut copy = src.to_string();
            text::apply_change(
                &mut copy,
                Some(lsp_types::Range::new(lsp_types::Position::new(line, character), lsp_types::Position::new(line / 2, character))),
                &insert,
            );
        }
    }
}
