//! Unit tests of the fast reader; the differential tests against serde-saphyr
//! live in `tests/it/subset.rs`.

use super::*;

fn parse(y: &str) -> Option<Node<'_>> {
    Parser::new(y).document().ok()
}

fn text<'n>(n: &'n Node, key: &str) -> &'n str {
    let Kind::Map(es) = &n.kind else {
        panic!("not a map")
    };
    for (k, v) in es {
        if let (Kind::Scalar { text: kt, .. }, Kind::Scalar { text, .. }) = (&k.kind, &v.kind)
            && kt == key
        {
            return text;
        }
    }
    panic!("no key {key}")
}

#[test]
fn folds_plain_and_block_scalars_like_yaml() {
    let n = parse("a: one\n  two\n\n  three\nb: >-\n  x\n  y\n\n  z\nc: |\n  l1\n   l2\n").unwrap();
    assert_eq!(text(&n, "a"), "one two\nthree");
    assert_eq!(text(&n, "b"), "x y\nz");
    assert_eq!(text(&n, "c"), "l1\n l2\n");
}

#[test]
fn decodes_quoted_scalars() {
    let n = parse("a: \"x\\ty \\u0416\"\nb: 'it''s'\nc: \"multi\n  line\"\n").unwrap();
    assert_eq!(text(&n, "a"), "x\ty Ж");
    assert_eq!(text(&n, "b"), "it's");
    assert_eq!(text(&n, "c"), "multi line");
}

#[test]
fn declines_what_it_does_not_read() {
    for y in [
        "a: &x 1\nb: *x\n",
        "a: !tag x\n",
        "---\na: 1\n",
        "a: 1\na: 2\n",
        "a: b: c\n",
        "a:\n\t- x\n",
        "a: 1\r\nb: 2\r\n",
        "a: |2\n   x\n",
        "a: >\n  x\n    y\n",
        "- a\n",
    ] {
        assert!(parse(y).is_none(), "{y:?}");
    }
}
