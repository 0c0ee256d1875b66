use super::*;

fn err(text: &str) -> Diagnostic {
    match parse_file(0, text) {
        Ok(_) => panic!("«{text}» parsed"),
        Err(d) => d,
    }
}

#[test]
fn unknown_key_names_the_closest_known_key() {
    let d = err("kind: bundle\nid: b\ntitle: T\norderz: [a]\n");
    assert_eq!(d.code, "unknown-key");
    assert!(d.message.contains("orderz"), "{}", d.message);
    assert_eq!(d.hint.as_deref(), Some("возможно, имелось в виду «orders»"));
    assert_eq!(d.span.map(|s| s.start), Some(28));
}

#[test]
fn duplicate_keys_are_rejected_at_the_second_key() {
    let d = err("kind: bundle\nid: b\nid: c\ntitle: T\norders: []\n");
    assert_eq!(d.code, "duplicate-key");
    let start = d.span.map(|s| s.start).unwrap_or(0);
    assert!(start >= 19, "{start}");
}

#[test]
fn unknown_kind_suggests_a_known_one() {
    let d = err("kind: ordr\n");
    assert_eq!(d.code, "unknown-kind");
    assert_eq!(d.hint.as_deref(), Some("возможно, имелось в виду «order»"));
    assert_eq!(d.span.map(|s| (s.start, s.end)), Some((6, 10)));
}

#[test]
fn invalid_utf8_and_binary_files_are_refused() {
    let e = text_from_bytes(vec![b'a', b'\n', 0xff, 0xfe]).err();
    assert_eq!(e.map(|d| d.code.as_str()), Some("not-utf8"));
    let e = text_from_bytes(vec![b'a', 0, 1]).err();
    assert_eq!(e.map(|d| d.code.as_str()), Some("not-text"));
}

#[test]
fn empty_file_is_reported() {
    assert_eq!(err("   \n").code, "empty-file");
}

#[test]
fn wrong_type_is_reported_at_the_value() {
    let d = err("kind: bundle\nid: b\ntitle: T\norders: 5\n");
    assert_eq!(d.code, "invalid-type", "{}", d.message);
    assert!(d.message.contains("список"), "{}", d.message);
}
