//! The rule on hand-typed references: appendix and clause numbers typed in
//! text instead of computed by `appendix(…)` and `clause(…)`.

use std::sync::OnceLock;

use regex::Regex;

use super::texts::{Item, locate};
use super::{has, rx};
use crate::diag::{Code, Diagnostic, Sources};
use crate::index::{Numbered, Target, Unit};

pub(super) fn check_hand_typed(
    sources: &Sources,
    unit: &Unit,
    it: &Item,
    masked: &str,
    diags: &mut Vec<Diagnostic>,
) {
    static APPENDIX: OnceLock<Regex> = OnceLock::new();
    static LONE: OnceLock<Regex> = OnceLock::new();
    static CLAUSE: OnceLock<Regex> = OnceLock::new();
    // Cheap pre-filters (no lower-casing of every text): the first letter of
    // «Приложение», «Пункт» may be of either case.
    if has(masked, finder!("риложени")) || has(masked, finder!("РИЛОЖЕНИ")) {
        let re = rx(
            &APPENDIX,
            r"(?i)\bприложени[а-яё]*[\s\u{a0}]*№[\s\u{a0}]*(\d+)",
        );
        for c in re.captures_iter(masked) {
            let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let id = find_by_number(unit, Target::Appendix, n.as_str());
            // The reference must read in the case the clerk typed:
            // «согласно Приложению № 2» → appendix("id", "dat").
            let word = m.as_str().to_lowercase();
            let case = [
                ("приложению", ", \"dat\""),
                ("приложением", ", \"ins\""),
                ("приложении", ", \"pre\""),
                ("приложения", ", \"gen\""),
            ]
            .iter()
            .find(|(w, _)| word.starts_with(w))
            .map_or("", |(_, c)| *c);
            diags.push(hand_typed(
                sources,
                it,
                m.range(),
                "номер приложения набран вручную",
                id.map(|i| format!("{{{{ appendix(\"{i}\"{case}) }}}}")),
            ));
        }
        let re = rx(&LONE, r"(?i)\(\s*приложение\s*\)");
        for m in re.find_iter(masked) {
            let id = unit.appendices.first().map(|(a, _)| a.get().clone());
            diags.push(hand_typed(
                sources,
                it,
                m.range(),
                "ссылка на приложение набрана вручную",
                id.map(|i| format!("({{{{ appendix(\"{i}\") }}}})")),
            ));
        }
    }
    if has(masked, finder!("п.")) || has(masked, finder!("ункт")) || has(masked, finder!("УНКТ"))
    {
        let re = rx(
            &CLAUSE,
            r"(?i)(?:\bпп?\.|\bпункт[а-яё]*)[\s\u{a0}]*(\d+(?:\.\d+)*)",
        );
        for c in re.captures_iter(masked) {
            let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
                continue;
            };
            // «п. 3 ст. 28 Федерального закона …» cites another act.
            let tail: String = masked[m.end()..]
                .chars()
                .take(48)
                .collect::<String>()
                .to_lowercase();
            if [
                "ст.",
                "стать",
                "закон",
                "постановлени",
                "приказ",
                "распоряжени",
                "част",
                "ч.",
                "указ",
                "решени",
                "положени",
                "порядк",
            ]
            .iter()
            .any(|w| tail.contains(w))
            {
                continue;
            }
            let id = find_by_number(unit, Target::Clause, n.as_str())
                .or_else(|| find_by_number(unit, Target::Row, n.as_str()));
            diags.push(hand_typed(
                sources,
                it,
                m.range(),
                "номер пункта набран вручную",
                id.map(|i| format!("{{{{ clause(\"{i}\") }}}}")),
            ));
        }
    }
}

fn find_by_number(unit: &Unit, target: Target, number: &str) -> Option<String> {
    let mut hits: Vec<(&String, &Numbered)> = unit
        .numbers
        .by_id
        .iter()
        .filter(|(_, n)| {
            n.target == target && (n.number == number || (n.number.is_empty() && number == "1"))
        })
        .collect();
    hits.sort_by(|a, b| a.0.cmp(b.0));
    hits.first().map(|(id, _)| (*id).clone())
}

fn hand_typed(
    sources: &Sources,
    it: &Item,
    range: std::ops::Range<usize>,
    message: &str,
    suggestion: Option<String>,
) -> Diagnostic {
    Diagnostic::error(Code::HandTypedReference, message.to_string())
        .at(locate(sources, it.file, it.text, range))
        .hint(match suggestion {
            Some(s) => format!("номера вычисляются: напишите {s}"),
            None => {
                "номера вычисляются: сошлитесь по id, например {{ clause(\"id\") }}".to_string()
            }
        })
}
