//! Unit tests of the abbreviation scanner: term matching and word classes.

use proptest::prelude::*;

use super::abbr::{TermMatcher, build_term_regex, scan_words};

fn pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("ОМСУ"),
        Just("ОО"),
        Just("ООО"),
        Just("ОМСУа"),
        Just("ОМСУ_"),
        Just("ОМСУ1"),
        Just("1ОМСУ"),
        Just(" "),
        Just("\u{a0}"),
        Just(","),
        Just("-"),
        Just("«"),
        Just("\n"),
        Just("е\u{301}"),
        Just("x"),
        Just("ё"),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    /// The substring search for one-word terms finds exactly what the
    /// term's regex finds.
    #[test]
    fn word_term_matcher_finds_what_the_regex_finds(text in pieces()) {
        for term in ["ОМСУ", "ОО", "ООО"] {
            let m = TermMatcher::new(term).expect("matcher");
            prop_assert!(matches!(m, TermMatcher::Word(_)));
            let re = build_term_regex(term).expect("regex");
            let fast: Vec<_> = m.find_iter(&text).collect();
            let slow: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(fast, slow, "term {} in {:?}", term, text);
        }
    }
}

fn phrase_pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("дорожная"),
        Just("дорожной"),
        Just("Дорожная"),
        Just("карта"),
        Just("картами"),
        Just("картография"),
        Just("карт"),
        Just("координатор"),
        Just("координатору"),
        Just("подорожная"),
        Just(" "),
        Just("\u{a0}"),
        Just(","),
        Just("«"),
        Just("1"),
        Just("_"),
    ];
    proptest::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

proptest! {
    /// Phrase terms are found with the boundaries checked outside the
    /// regex: exactly what the regex with `\b` finds.
    #[test]
    fn phrase_term_matcher_finds_what_the_boundary_regex_finds(text in phrase_pieces()) {
        for term in ["дорожная карта", "координатор", "карта", "Дорожная карта"] {
            let m = TermMatcher::new(term).expect("matcher");
            let phrase = matches!(m, TermMatcher::Phrase { .. });
            prop_assert!(phrase);
            let re = build_term_regex(term).expect("regex");
            let fast: Vec<_> = m.find_iter(&text).collect();
            let slow: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(fast, slow, "term {} in {:?}", term, text);
        }
    }
}

#[test]
fn scan_words_finds_abbreviations_outside_headings() {
    let (mut words, mut caps) = (Vec::new(), Vec::new());
    let text = "ПЛАН МЕРОПРИЯТИЙ ОМСУ\nучастие ОМСУ и ОО, ШсРНР; Qx ОмСУ";
    scan_words(text, &mut words, &mut caps);
    let abbr: Vec<&str> = words
        .iter()
        .filter(|w| w.abbr)
        .map(|w| &text[w.range.clone()])
        .collect();
    assert_eq!(
        abbr,
        ["ПЛАН", "МЕРОПРИЯТИЙ", "ОМСУ", "ОМСУ", "ОО", "ШсРНР", "ОмСУ"]
    );
    // The first line is a heading; its words are covered by it.
    assert_eq!(caps, vec![0..text.find('\n').map_or(0, |i| i + 1)]);
    assert!(
        words
            .iter()
            .any(|w| w.shouting && &text[w.range.clone()] == "МЕРОПРИЯТИЙ")
    );
}
