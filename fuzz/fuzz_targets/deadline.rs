//! The deadline grammar: no panic on any text, and the print form of a
//! parsed deadline, when it parses again, gives the same words (letters
//! and digits). It need not parse again: a note with unbalanced brackets
//! («постоянно [[[[2[//)») is kept as typed and reads as text only in its
//! place. What may differ on a second reading: a print form can reparse with another split between items and notes
//! («постоянно, 2023 г.» is a phrase with a note kept as typed, where the
//! printer glued «2023 г.»; a bracket after a word becomes a note after a
//! space; a note of punctuation alone is dropped), but no word may be lost
//! or changed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prikaz::lang::deadline::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(d) = parse(text) else {
        return;
    };
    let printed = d.print(false);
    // A list of short dates prints longer than typed («в1.07.20» becomes
    // «01.07.2020»); past the parser's 1,000-character cap it cannot be
    // read back, and no cell holds such a list.
    if printed.chars().count() > 1000 {
        return;
    }
    let _ = d.print(true);
    let _ = d.bounds(None);
    let words = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    if let Ok(again) = parse(&printed) {
        assert_eq!(
            words(&again.print(false)),
            words(&printed),
            "print is not stable for {text:?}"
        );
    }
});
