//! The clauses of an order as a tree: numbers, dashes and letters, the
//! deadline at the end of a clause, the addressee before its sub-clauses.

use std::sync::LazyLock;

use regex::Regex;

use super::emit::{self, Y};
use super::people::fresh;
use super::source::Para;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Num,
    Dash,
    Letter,
}

#[derive(Debug, Clone)]
pub(super) struct Clause {
    pub kind: Kind,
    pub number: String,
    pub text: String,
    pub children: Vec<Clause>,
    /// Comments anchored in its paragraphs: their texts.
    pub comments: Vec<String>,
}

pub(super) fn marker(text: &str) -> Option<(Kind, String, String)> {
    static NUM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{1,3}(?:\.\d{1,3})*)(\.?)\s+(\S[\s\S]*)$").expect("regex")
    });
    static LETTER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^([а-яё])\)\s+(\S[\s\S]*)$").expect("regex"));
    if let Some(c) = NUM.captures(text) {
        // «2020 – 2021 учебный год» is not clause 2020.
        if c[2].is_empty() && !c[1].contains('.') {
            return None;
        }
        return Some((Kind::Num, c[1].to_string(), c[3].to_string()));
    }
    if let Some(rest) = ["– ", "— ", "- ", "• ", "−"]
        .iter()
        .find_map(|d| text.strip_prefix(d))
    {
        return Some((Kind::Dash, String::new(), rest.trim_start().to_string()));
    }
    if let Some(c) = LETTER.captures(text) {
        return Some((Kind::Letter, c[1].to_string(), c[2].to_string()));
    }
    None
}

/// The clauses as a tree: «2.1» under «2», dashes and letters under the
/// clause before them, unmarked paragraphs continuing the clause above.
pub(super) fn clause_tree(paras: &[&Para], notes: &mut Vec<String>) -> Vec<Clause> {
    let mut flat: Vec<(usize, Clause)> = Vec::new();
    for p in paras {
        let text = p.text.replace('\t', " ");
        match marker(&text) {
            Some((kind, number, rest)) => {
                // A letter belongs to the numbered clause above it, a dash
                // to the clause or letter above it; the same kind in a row
                // are siblings.
                let last_owner = match kind {
                    Kind::Letter => flat.iter().rev().find(|(_, c)| c.kind == Kind::Num),
                    _ => flat.iter().rev().find(|(_, c)| c.kind != Kind::Dash),
                }
                .map(|(d, _)| *d);
                let depth = match kind {
                    Kind::Num => {
                        let d = number.split('.').count() - 1;
                        let max = flat
                            .iter()
                            .rev()
                            .find(|(_, c)| c.kind == Kind::Num)
                            .map_or(0, |(d, _)| d + 1);
                        d.min(max)
                    }
                    _ => last_owner.map_or(0, |d| d + 1),
                };
                flat.push((
                    depth,
                    Clause {
                        kind,
                        number,
                        text: rest,
                        children: Vec::new(),
                        comments: p.comments.iter().map(|(_, t)| t.clone()).collect(),
                    },
                ));
            }
            None => match flat.last_mut() {
                Some((_, c)) => {
                    c.text.push('\n');
                    c.text.push_str(&text);
                    c.comments.extend(p.comments.iter().map(|(_, t)| t.clone()));
                }
                None => notes.push(format!("import: абзац без номера перед пунктами: {text}")),
            },
        }
    }
    fn build(flat: &[(usize, Clause)], i: &mut usize, depth: usize) -> Vec<Clause> {
        let mut out = Vec::new();
        while *i < flat.len() && flat[*i].0 >= depth {
            let mut c = flat[*i].1.clone();
            *i += 1;
            c.children = build(flat, i, depth + 1);
            out.push(c);
        }
        out
    }
    let mut i = 0;
    build(&flat, &mut i, 0)
}

/// «… в срок до 20.07.2025.» → («….», «до 20.07.2025»).
fn split_deadline(text: &str) -> (String, Option<String>) {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([\s\S]*\S)\s+в срок(?:\s+(до\s+[^:;]+?)|:\s+([^:;]+?))([.;:]?)$")
            .expect("regex")
    });
    match RE.captures(text) {
        Some(c) => {
            let deadline = c.get(2).or(c.get(3)).map(|m| m.as_str().to_string());
            (format!("{}{}", &c[1], &c[4]), deadline)
        }
        None => (text.to_string(), None),
    }
}

fn is_verb(word: &str) -> bool {
    let w = word.to_lowercase();
    w.ends_with("ть") || w.ends_with("ться") || w.ends_with("ти")
}

pub(super) struct Ctx {
    pub taken: Vec<String>,
    pub appendix_ids: Vec<String>,
    pub proposals: Vec<Y>,
    pub proposed_positions: Vec<Y>,
    pub proposed_orgs: Vec<Y>,
    /// Clauses that reviewers' comments are anchored at: (id, comment text).
    pub anchors: Vec<(String, String)>,
}

pub(super) fn clause_y(c: &Clause, id: &str, ctx: &mut Ctx) -> Y {
    ctx.anchors
        .extend(c.comments.iter().map(|t| (id.to_string(), t.clone())));
    let mut m = Y::map();
    m.set("id", Y::raw(id));
    if c.kind == Kind::Num {
        m.set("number", Y::s(&c.number));
    }
    let text = super::refs::refs(&emit::literal(&c.text), &ctx.appendix_ids);
    if c.children.is_empty() {
        let (text, deadline) = split_deadline(&text);
        m.set("text", Y::s(text));
        if let Some(d) = deadline {
            m.set("deadline", Y::s(d));
        }
        return m;
    }
    let first = text.split_whitespace().next().unwrap_or("");
    let key = if text.trim_end().ends_with(':') && !is_verb(first) {
        "to"
    } else {
        "text"
    };
    m.set(key, Y::s(text));
    let kinds: Vec<Kind> = c.children.iter().map(|k| k.kind).collect();
    match kinds.first() {
        Some(Kind::Dash) => {
            m.set("items", Y::raw("dash"));
        }
        Some(Kind::Letter) => {
            m.set("items", Y::raw("letters"));
        }
        _ => {}
    }
    let mut kids = Y::seq([]);
    for (i, k) in c.children.iter().enumerate() {
        let kid_id = match k.kind {
            Kind::Num => format!("p{}", k.number.replace('.', "-")),
            _ => format!("{id}-{}", i + 1),
        };
        let kid_id = fresh(&mut ctx.taken, &kid_id);
        let note = if k.kind != kinds[0] {
            vec!["import: подпункты оформлены по-разному; здесь — как первый из них".to_string()]
        } else {
            Vec::new()
        };
        kids.push(clause_y(k, &kid_id, ctx), note);
    }
    m.set("clauses", kids);
    m
}

/// «Контроль за исполнением … возложить на заместителя министра Н.В.
/// Шелабину.» / «… оставляю за собой.»
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_taken_off_the_end_of_a_clause() {
        assert_eq!(
            split_deadline("представить отчёт в срок до 20.07.2025."),
            ("представить отчёт.".into(), Some("до 20.07.2025".into()))
        );
        assert_eq!(
            split_deadline("провести в срок: ноябрь 2024 г.;"),
            ("провести;".into(), Some("ноябрь 2024 г.".into()))
        );
        assert_eq!(
            split_deadline("провести в течение года."),
            ("провести в течение года.".into(), None)
        );
    }

    #[test]
    fn markers_are_numbers_dashes_and_letters_not_years() {
        assert_eq!(marker("3.1. Обеспечить").map(|m| m.1), Some("3.1".into()));
        assert_eq!(marker("– обеспечить").map(|m| m.0), Some(Kind::Dash));
        assert_eq!(marker("б) работу").map(|m| m.1), Some("б".into()));
        assert!(marker("2020 – 2021 учебный год").is_none());
    }
}
