//! The deadline grammar: no panic on any text, and the print form of a
//! parsed deadline parses again to the same print form.
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
    let _ = d.print(true);
    let _ = d.bounds(None);
    match parse(&printed) {
        Ok(again) => assert_eq!(again.print(false), printed, "print is not stable for {text:?}"),
        Err(e) => panic!("the print form {printed:?} of {text:?} does not parse: {e:?}"),
    }
});
