use super::*;

#[test]
fn keys_are_put_in_schema_order_with_their_comments() {
    let src = "kind: order\ntitle: О плане\n# дата подписания\ndate: 2024-10-31\nid: o\nissuer: mo\nsignatory: p\n";
    let out = format(src).expect("fmt");
    assert_eq!(
        out,
        "kind: order\nid: o\nissuer: mo\n# дата подписания\ndate: 2024-10-31\ntitle: О плане\nsignatory: p\n"
    );
}

#[test]
fn row_cells_keep_their_order_and_id_comes_first() {
    let src = "kind: appendix\nid: a\ntitle: T\nblocks:\n  - activities:\n      columns:\n        - { key: b, title: B }\n      rows:\n        - b: текст\n          a: ещё\n          id: r1\n";
    let out = format(src).expect("fmt");
    assert!(
        out.contains("        - id: r1\n          b: текст\n          a: ещё\n"),
        "{out}"
    );
}

#[test]
fn formatting_twice_changes_nothing() {
    let src = "kind: order\nid: o\ntitle:   'О плане'   # заголовок\nclauses:\n- text: Первый\n  id: a\n-   id: b\n    text: >-\n      Второй\n      пункт\n";
    let once = format(src).expect("fmt");
    let twice = format(&once).expect("fmt");
    assert_eq!(once, twice);
    assert!(once.contains("# заголовок"), "{once}");
}

#[test]
fn decomposed_letters_are_composed() {
    // «й» typed as «и» + combining breve.
    let out = format("kind: order\nid: o\ntitle: \"Краи\u{306}\"\n").expect("fmt");
    assert!(out.contains("Край"), "{out}");
}

#[test]
fn broken_yaml_is_refused_not_changed() {
    // Refused the way `check` refuses it: where the syntax breaks.
    assert!(matches!(
        format("kind: order\ntitle: [\n"),
        Err(FmtError::Invalid { .. })
    ));
}
