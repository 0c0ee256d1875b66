//! The requisites of an order as printed: the kind of document, the
//! operative word, the date in every form clerks type it, the number and
//! the place; the control clause and the visas (under the signature or on an
//! approval sheet).

use std::sync::LazyLock;

use regex::Regex;

use super::Known;
use super::emit::{self, Y};
use super::people;
use super::source::{Node, Para};

pub fn is_title_like(s: &str) -> bool {
    let s = s.trim_start_matches(['*', ' ']);
    (s.starts_with("О ") || s.starts_with("Об ") || s.starts_with("О внесении"))
        && s.chars().count() > 8
}

pub(super) fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphabetic()).collect()
}

/// «ПРИКАЗ», «П Р И К А З», «ПОСТАНОВЛЕНИЕ» …: the kind of document.
pub(super) fn doc_kind(p: &Para) -> Option<bool> {
    let l = letters(&p.text).to_uppercase();
    let kinds = ["ПРИКАЗ", "ПОСТАНОВЛЕНИЕ", "РАСПОРЯЖЕНИЕ", "РЕШЕНИЕ"];
    if p.text.chars().count() < 40 && kinds.contains(&l.as_str()) {
        let spaced = p.text.trim().chars().filter(|c| *c == ' ').count() >= 3;
        return Some(spaced);
    }
    None
}

/// «приказываю:», «п р и к а з ы в а ю:», «ПОСТАНОВЛЯЮ:»: spaced or not.
pub(super) fn operative(p: &Para) -> Option<bool> {
    let l = letters(&p.text).to_lowercase();
    let words = [
        "приказываю",
        "постановляю",
        "распоряжаюсь",
        "приказываем",
        "решил",
        "решила",
    ];
    if p.text.chars().count() < 40 && words.contains(&l.as_str()) {
        return Some(p.spaced || p.text.trim().chars().filter(|c| *c == ' ').count() >= 3);
    }
    None
}

/// A month's number from its name in any case («августа», «Май»).
pub(super) fn month_of(word: &str) -> Option<u32> {
    crate::lang::deadline::month_of(&word.to_lowercase())
}

/// The order's date as printed: «31.10.2024», «29 августа 2025 г.»,
/// «« 31 » 10 20 24 г.» (a form with the year split by the blank line).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    static NUMERIC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b").expect("regex"));
    if let Some(c) = NUMERIC.captures(s) {
        let y: i32 = c[3].parse().ok()?;
        let y = if y < 100 { 2000 + y } else { y };
        return chrono::NaiveDate::from_ymd_opt(y, c[2].parse().ok()?, c[1].parse().ok()?);
    }
    let cleaned: String = s
        .chars()
        .map(|c| if "«»\"“”_".contains(c) { ' ' } else { c })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let day: u32 = words.first()?.parse().ok()?;
    let month = match words.get(1)? {
        w if w.chars().all(|c| c.is_ascii_digit()) => w.parse().ok()?,
        w => month_of(w)?,
    };
    let year: String = words[2..]
        .iter()
        .take_while(|w| w.chars().all(|c| c.is_ascii_digit()))
        .copied()
        .collect();
    let y: i32 = year.parse().ok()?;
    let y = if y < 100 { 2000 + y } else { y };
    chrono::NaiveDate::from_ymd_opt(y, month, day)
}

pub(super) fn number_of(s: &str) -> Option<String> {
    let at = s.find('№')?;
    let rest = s[at + '№'.len_utf8()..].trim_start();
    let n: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    (!n.is_empty() && !n.starts_with('_')).then_some(n)
}

pub(super) fn place_like(s: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(г\.|город |с\.|село |пос\.|п\.|рп\.|пгт\.?|д\.|ст-ца|х\.)\s*[А-ЯЁ]")
            .expect("regex")
    });
    s.chars().count() < 50 && RE.is_match(s)
}

pub(super) fn control(text: &str, known: &Known) -> Option<Y> {
    let t = text.trim();
    if !(t.starts_with("Контроль за исполнением")
        || t.starts_with("Контроль исполнения")
        || t.starts_with("Контроль над исполнением"))
    {
        return None;
    }
    if t.contains("оставляю за собой") {
        return Some(Y::raw("self"));
    }
    let after = t.split(" на ").last()?.trim_end_matches('.');
    let words: Vec<&str> = after.split_whitespace().collect();
    for take in [2usize, 1] {
        if words.len() >= take {
            let name = words[words.len() - take..].join(" ");
            if let Some(p) = people::person_by_short(known, &name) {
                let mut m = Y::map();
                m.set("person", Y::raw(p.id.get()));
                return Some(m);
            }
        }
    }
    None
}

/// A visa: who, when, and the result as printed («Согласовано», «Согласовано
/// с замечаниями: …», «Не согласовано: …»).
/// A visa as printed: who, when, the result (and the remarks in it).
pub(super) type Visa = (String, Option<chrono::NaiveDate>, String);

/// The visa as a plan holds it; remarks that a comment anchors at a clause
/// (`anchors`: clause id, comment text) name that clause.
pub(super) fn approval(visa: &Visa, anchors: &[(String, String)]) -> Y {
    let (person, date, result) = visa;
    let date = *date;
    let mut a = Y::map();
    a.set("person", Y::raw(person));
    if let Some(d) = date {
        a.set("date", Y::raw(d.format("%Y-%m-%d").to_string()));
    }
    let r = result.trim();
    let rest = |prefix: &str| {
        r[prefix.len()..]
            .trim_start_matches([':', ' '])
            .trim()
            .to_string()
    };
    let (code, remarks) = if r.starts_with("Согласовано с замечаниями") {
        (Some("remarks"), Some(rest("Согласовано с замечаниями")))
    } else if r.starts_with("Не согласовано") {
        (Some("rejected"), Some(rest("Не согласовано")))
    } else if r.starts_with("Согласовано") {
        (Some("agreed"), None)
    } else if r.is_empty() {
        (None, None)
    } else {
        (None, Some(r.to_string()))
    };
    if let Some(c) = code {
        a.set("result", Y::raw(c));
    }
    if let Some(text) = remarks.filter(|t| !t.is_empty()) {
        a.set("remarks", Y::s(emit::literal(&text)));
        let plain = super::source::clean(&text);
        if let Some((clause, _)) = anchors
            .iter()
            .find(|(_, t)| super::source::clean(t) == plain)
        {
            a.set("clause", Y::raw(clause));
        }
    }
    a
}

/// «ЛИСТ СОГЛАСОВАНИЯ» and its table, wherever they stand: the visas, and
/// the document without them.
pub(super) fn take_sheet(nodes: &[Node], known: &Known) -> (Vec<Node>, Option<Vec<Visa>>) {
    let at = nodes.iter().enumerate().position(|(i, n)| {
        matches!(n, Node::Para(p) if people::norm(p.text.split('\n').next().unwrap_or("")) == "ЛИСТСОГЛАСОВАНИЯ")
            && matches!(nodes.get(i + 1), Some(Node::Table(_)))
    });
    let Some(at) = at else {
        return (nodes.to_vec(), None);
    };
    let Some(Node::Table(g)) = nodes.get(at + 1) else {
        return (nodes.to_vec(), None);
    };
    let mut rows = Vec::new();
    for r in g.rows.iter().skip(1) {
        let cell = |k: usize| r.get(k).map(|c| c.text()).unwrap_or_default();
        let Some(p) = people::person_by_short(known, &cell(2)) else {
            continue;
        };
        rows.push((p.id.get().clone(), parse_date(&cell(3)), cell(4)));
    }
    let mut rest = nodes[..at].to_vec();
    rest.extend_from_slice(&nodes[at + 2..]);
    (rest, Some(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_dates_in_every_printed_form() {
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(parse_date("31.10.2024"), d(2024, 10, 31));
        assert_eq!(parse_date("« 31 » 10 20 24 г."), d(2024, 10, 31));
        assert_eq!(parse_date("« 06 » 10 2020 г."), d(2020, 10, 6));
        assert_eq!(parse_date("29 августа 2025 г."), d(2025, 8, 29));
        assert_eq!(parse_date("3 мая 2025 г."), d(2025, 5, 3));
        assert_eq!(parse_date("1 марта 2025"), d(2025, 3, 1));
    }
}
