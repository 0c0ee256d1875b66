//! References in the order's text: to its own appendices, typed as prikaz
//! prints them, and to other acts in the standard form, which become
//! `acts:` entries.

use std::sync::LazyLock;

use regex::Regex;

use super::Known;
use super::emit::Y;
use super::people::{self, fresh, translit};
use super::requisites::parse_date;
/// Appendix references typed exactly as prikaz prints them become
/// references; any other form stays, for `check` to report.
pub fn refs(text: &str, ids: &[String]) -> String {
    static LONE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(приложение\)").expect("regex"));
    static NUM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bприложени(е|я|ю|ем|и) № (\d+)").expect("regex"));
    let mut s = text.to_string();
    if ids.len() == 1 {
        s = LONE
            .replace_all(&s, format!("({{{{ appendix(\"{}\") }}}})", ids[0]).as_str())
            .into_owned();
    }
    if ids.len() > 1 {
        s = NUM
            .replace_all(&s, |c: &regex::Captures| {
                let whole = c[0].to_string();
                let Some(n) = c[2]
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=ids.len()).contains(n))
                else {
                    return whole;
                };
                let case = match &c[1] {
                    "я" => ", \"gen\"",
                    "ю" => ", \"dat\"",
                    "ем" => ", \"ins\"",
                    "и" => ", \"pre\"",
                    _ => "",
                };
                format!("{{{{ appendix(\"{}\"{case}) }}}}", ids[n - 1])
            })
            .into_owned();
    }
    s
}

/// The closing «»-quote that balances the one at `open` (byte offset).
fn closing_quote(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '«' => depth += 1,
            '»' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Acts cited in the standard form («приказом Министерства … от 29.08.2024
/// № 771-ОД «…»») become `acts:` entries and `{{ act(…) }}` references.
pub fn acts(text: &str, known: &Known, taken: &mut Vec<String>, acts: &mut Vec<Y>) -> String {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?P<kind>Федеральн(?:ый|ого|ому|ым|ом) закон(?:а|у|ом|е)?|приказ(?:а|у|ом|е)?|постановлени(?:е|я|ю|ем|и)",
            r"|распоряжени(?:е|я|ю|ем|и)|решени(?:е|я|ю|ем|и)|указ(?:а|у|ом|е)?|закон(?:а|у|ом|е)?)",
            r"(?P<issuer>(?:\s+[^«»\s][^«»]{0,200}?)?)\s+от\s+(?P<date>\d{2}\.\d{2}\.\d{4})\s+№\s*(?P<num>[^\s«,;]+)\s+«"
        ))
        .expect("regex")
    });
    let mut out = String::new();
    let mut last = 0;
    let mut pos = 0;
    while let Some(c) = RE.captures_at(text, pos) {
        let (Some(all), Some(kind_m)) = (c.get(0), c.name("kind")) else {
            break;
        };
        let open = all.end() - '«'.len_utf8();
        let Some(close) = closing_quote(text, open) else {
            pos = all.end();
            continue;
        };
        // Word boundary before the kind: «Приказом» at a sentence start
        // would print in lower case, so only lower-case kinds convert.
        let boundary = text[..kind_m.start()]
            .chars()
            .last()
            .is_none_or(|ch| !ch.is_alphanumeric());
        if !boundary {
            pos = all.end();
            continue;
        }
        let kind_word = kind_m.as_str();
        let (kind, case) = kind_and_case(kind_word);
        let issuer = c.name("issuer").map(|m| m.as_str().trim()).unwrap_or("");
        let Some(date) = parse_date(&c["date"]) else {
            pos = all.end();
            continue;
        };
        let title = &text[open + '«'.len_utf8()..close];
        let id = fresh(
            taken,
            &format!(
                "{}-{}",
                translit(kind.split(' ').next_back().unwrap_or(kind)),
                translit(&c["num"])
            ),
        );
        let mut a = Y::map();
        a.set("id", Y::raw(&id));
        a.set("kind", Y::s(kind));
        if !issuer.is_empty() {
            match people::org_by_genitive(known, issuer) {
                Some(o) => a.set("issuer", Y::raw(o.id.get())),
                None => a.set("issuer_gen", Y::s(issuer)),
            };
        }
        a.set("date", Y::raw(date.format("%Y-%m-%d").to_string()));
        a.set("number", Y::s(&c["num"]));
        a.set("title", Y::s(title));
        acts.push(a);
        out.push_str(&text[last..kind_m.start()]);
        out.push_str(&match case {
            Some(cs) => format!("{{{{ act(\"{id}\", \"{cs}\") }}}}"),
            None => format!("{{{{ act(\"{id}\") }}}}"),
        });
        last = close + '»'.len_utf8();
        pos = last;
    }
    out.push_str(&text[last..]);
    out
}

fn kind_and_case(word: &str) -> (&'static str, Option<&'static str>) {
    let (kind, stem): (&str, &str) = if word.starts_with("Федеральн") {
        ("Федеральный закон", word.rsplit(' ').next().unwrap_or(""))
    } else if word.starts_with("приказ") {
        ("приказ", word)
    } else if word.starts_with("постановлени") {
        ("постановление", word)
    } else if word.starts_with("распоряжени") {
        ("распоряжение", word)
    } else if word.starts_with("решени") {
        ("решение", word)
    } else if word.starts_with("указ") {
        ("указ", word)
    } else {
        ("закон", word)
    };
    let case = if stem.ends_with("ом") || stem.ends_with("ем") {
        Some("ins")
    } else if stem.ends_with('у') || stem.ends_with('ю') {
        Some("dat")
    } else if stem.ends_with('и') && !stem.ends_with("ии")
        || stem.ends_with('я')
        || stem.ends_with('а')
    {
        Some("gen")
    } else if stem.ends_with("ии") || stem.ends_with('е') && !stem.ends_with("ие") {
        Some("pre")
    } else {
        None
    };
    (kind, case)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acts_in_the_standard_form_become_references() {
        let mut taken = Vec::new();
        let mut list = Vec::new();
        let out = acts(
            "Во исполнение приказа Департамента по образованию от 08.06.2022 № 548-ОД «Об утверждении «Концепции»» и с целью",
            &Known::default(),
            &mut taken,
            &mut list,
        );
        assert_eq!(
            out,
            "Во исполнение {{ act(\"prikaz-548-od\", \"gen\") }} и с целью"
        );
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn appendix_references_convert_only_in_the_printed_form() {
        let ids = vec!["a1".to_string(), "a2".to_string()];
        assert_eq!(
            refs("в приложении № 2 к настоящему приказу", &ids),
            "в {{ appendix(\"a2\", \"pre\") }} к настоящему приказу"
        );
        assert_eq!(refs("(Приложение № 1)", &ids), "(Приложение № 1)");
        assert_eq!(refs("(приложение)", &ids[..1]), "({{ appendix(\"a1\") }})");
    }
}
