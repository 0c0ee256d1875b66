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

/// `fmt` puts keys in the format's order from its own lists: a key the
/// format gained and the list lacks would be moved to the end of its map.
#[test]
fn every_key_of_the_format_has_its_place_in_fmt_order() {
    use crate::plan::*;
    fn keys<T: schemars::JsonSchema>() -> Vec<String> {
        let schema = serde_json::to_value(schemars::schema_for!(T)).expect("schema");
        schema["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }
    for (ty, all) in [
        ("profile", keys::<ProfileSpec>()),
        ("organisation", keys::<Organisation>()),
        ("person", keys::<Person>()),
        ("order", keys::<OrderFile>()),
        ("appendix", keys::<AppendixFile>()),
        ("document", keys::<DocumentFile>()),
    ] {
        assert!(!all.is_empty(), "{ty}: no keys in the schema");
        let order = fields(ty);
        let missing: Vec<&String> = all
            .iter()
            .filter(|k| !order.contains(&k.as_str()))
            .collect();
        assert!(missing.is_empty(), "{ty}: fmt has no place for {missing:?}");
    }
}
