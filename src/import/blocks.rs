//! Appendices and stand-alone documents: the stamp («Приложение № 2 к
//! приказу …», «УТВЕРЖДЕН приказом …»), the title, and the blocks —
//! headings, paragraphs, lists, groups of lists, glossaries and tables. Also
//! the references the order's text makes: to its appendices and to acts.

use std::sync::LazyLock;

use regex::Regex;

use super::emit::{self, Y};
use super::people::{fresh, norm, translit};
use super::requisites::{is_title_like, parse_date};
use super::source::{Node, Para};
use super::{Imported, Known, Options, OutFile, tables};

pub struct Appendix {
    pub id: String,
    pub yaml: Y,
    pub comments: Vec<String>,
    pub stamp_date: Option<chrono::NaiveDate>,
    pub stamp_number: Option<String>,
    /// «Приложение № 2»: the number the stamp prints.
    pub ordinal: Option<usize>,
    pub at: usize,
    /// The original printed a stamp above it.
    pub stamped: bool,
}

static APP_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^приложение(?:\s*№\s*(\d+))?\s*(?:к\s+(?:приказу|постановлению|распоряжению|решению)\b.*)?$").expect("regex")
});
static GRIF_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(УТВЕРЖДЕН[АОЫ]?|Утвержден[аоы]?)(\s+(приказом|постановлением|распоряжением|решением)\b.*)?$").expect("regex")
});

pub fn is_stamp(text: &str) -> bool {
    let first = text.split('\n').next().unwrap_or("").trim();
    APP_LINE.is_match(first) || GRIF_LINE.is_match(first)
}

/// Lines that carry a stamp on: «к приказу …», «от 06.10.2020 № 718-ОД».
fn stamp_continues(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("к приказу")
        || t.starts_with("к постановлению")
        || t.starts_with("к распоряжению")
        || t.starts_with("приказом")
        || t.starts_with("постановлением")
        || t.starts_with("распоряжением")
        || (t.starts_with("от ") && t.contains('№'))
        || GRIF_LINE.is_match(t)
        || t.chars().next().is_some_and(char::is_lowercase)
            && t.chars().count() < 90
            && !t.ends_with('.')
}

/// The issuer in the genitive as a stamp prints it («к приказу
/// Министерства …»): for a body the registry does not know.
pub fn stamp_genitive(nodes: &[Node]) -> Option<String> {
    nodes.iter().find_map(|n| match n {
        Node::Para(p) if is_stamp(&p.text) => {
            let joined = p.text.replace('\n', " ");
            // «к приказу Министерства …» or, in a grif, «приказом Министерства …».
            let at = ["к приказу ", "приказом "]
                .iter()
                .find_map(|k| joined.find(k).map(|i| i + k.len()))?;
            let rest = &joined[at..];
            let end = rest.find(" от ")?;
            Some(rest[..end].trim().to_string())
        }
        _ => None,
    })
}

fn title_continues(p: &Para) -> bool {
    p.text.chars().next().is_some_and(char::is_lowercase)
        && p.text.chars().count() < 220
        && !p.text.trim_end().ends_with(['.', ';'])
}

/// Splits what follows the order into appendices.
pub fn appendices(
    nodes: &[Node],
    known: &Known,
    taken: &mut Vec<String>,
    order_id: &str,
) -> Vec<Appendix> {
    let starts: Vec<usize> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n, Node::Para(p) if is_stamp(&p.text)))
        .map(|(i, _)| i)
        .collect();
    // A stamp split over paragraphs is one stamp; what comes before the
    // first stamp is an appendix that has none.
    let mut heads: Vec<usize> = Vec::new();
    if !nodes.is_empty() && starts.first() != Some(&0) {
        heads.push(0);
    }
    for s in starts {
        let joined = heads.last().is_some_and(|&h| {
            nodes[h + 1..=s].iter().all(
                |n| matches!(n, Node::Para(p) if stamp_continues(&p.text) || is_stamp(&p.text)),
            ) && s - h <= 4
        });
        if !joined {
            heads.push(s);
        }
    }
    let mut out = Vec::new();
    for (k, &h) in heads.iter().enumerate() {
        let end = heads.get(k + 1).copied().unwrap_or(nodes.len());
        let part = &nodes[h..end];
        out.push(appendix(part, known, taken, order_id, k + 1));
    }
    out
}

fn appendix(
    part: &[Node],
    known: &Known,
    taken: &mut Vec<String>,
    order_id: &str,
    n: usize,
) -> Appendix {
    let _ = known;
    let mut i = 0;
    let mut stamp_lines: Vec<String> = Vec::new();
    let mut at = 0;
    let mut landscape = false;
    let stamped = matches!(part.first(), Some(Node::Para(p)) if is_stamp(&p.text));
    while stamped && let Some(Node::Para(p)) = part.get(i) {
        if i == 0
            || (stamp_continues(&p.text) || is_stamp(&p.text)) && i < 5 && !is_title_like(&p.text)
        {
            if i == 0 {
                at = p.at;
                landscape = p.landscape;
            }
            stamp_lines.extend(p.text.split('\n').map(str::to_string));
            i += 1;
        } else {
            break;
        }
    }
    if !stamped && let Some(Node::Para(p)) = part.first() {
        at = p.at;
        landscape = p.landscape;
    }
    let has_app = stamp_lines
        .iter()
        .any(|l| APP_LINE.is_match(l.trim()) || l.trim().to_lowercase().starts_with("приложение"));
    let grif = stamp_lines
        .iter()
        .find_map(|l| GRIF_LINE.captures(l.trim()).map(|c| c[1].to_uppercase()));
    let ordinal = stamp_lines.iter().find_map(|l| {
        APP_LINE
            .captures(l.trim())
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok())
    });
    let from = stamp_lines
        .iter()
        .rev()
        .find(|l| l.trim_start().starts_with("от ") || l.contains(" от "));
    let stamp_date = from.and_then(|l| parse_date(l.split(" от ").last().unwrap_or(l)));
    let stamp_number = from.and_then(|l| {
        let at = l.find('№')?;
        let n: String = l[at + '№'.len_utf8()..]
            .trim_start()
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        (!n.is_empty()).then_some(n)
    });
    // The title: the next paragraph and its lower-case continuation lines.
    let mut title_lines: Vec<String> = Vec::new();
    if let Some(Node::Para(p)) = part.get(i) {
        title_lines.extend(p.text.split('\n').map(str::to_string));
        i += 1;
        while let Some(Node::Para(q)) = part.get(i) {
            if title_continues(q) && !p.text.contains('\n') {
                title_lines.push(q.text.clone());
                i += 1;
            } else {
                break;
            }
        }
    }
    let title = title_lines.join("\n");
    let base = format!("{order_id}-appendix-{n}");
    let id = fresh(taken, &base);
    let mut y = Y::map();
    y.set("kind", Y::raw("appendix"));
    y.set("id", Y::raw(&id));
    y.set("title", Y::s(emit::literal(&title)));
    let stamp = match (has_app, grif.is_some()) {
        (true, true) => "both",
        (false, true) => "grif",
        _ => "appendix",
    };
    y.set("stamp", Y::raw(stamp));
    if let Some(word) = &grif {
        let noun = match word.as_str() {
            "УТВЕРЖДЕНА" => "программа",
            "УТВЕРЖДЕНО" => "положение",
            "УТВЕРЖДЕНЫ" => "мероприятия",
            _ => "план",
        };
        y.set("noun", Y::s(noun));
    }
    if landscape {
        y.set("orientation", Y::raw("landscape"));
    }
    let (blocks, notes) = blocks_of(&part[i..]);
    if blocks.is_empty() {
        y.set("blocks", Y::seq([]));
        y.set("allow", Y::seq([Y::raw("empty-appendix")]));
    } else {
        y.set("blocks", blocks);
    }
    let mut comments = vec![if stamped {
        format!(
            "Приложение {n}, импортировано prikaz import: {}",
            stamp_lines.join(" / ")
        )
    } else {
        format!(
            "Приложение {n}, импортировано prikaz import; в оригинале у него нет отметки «Приложение к приказу …»"
        )
    }];
    comments.extend(notes);
    Appendix {
        id,
        yaml: y,
        comments,
        stamp_date,
        stamp_number,
        ordinal,
        at,
        stamped,
    }
}

/// A document without an order around it.
pub fn document(nodes: &[Node], known: &Known, opts: &Options) -> Imported {
    let mut taken = known.taken.clone();
    let mut i = 0;
    let mut title_lines: Vec<String> = Vec::new();
    while let Some(Node::Para(p)) = nodes.get(i) {
        if title_lines.is_empty() {
            title_lines.extend(p.text.split('\n').map(str::to_string));
        } else if title_continues(p) {
            title_lines.push(p.text.clone());
        } else {
            break;
        }
        i += 1;
    }
    let title = title_lines.join("\n");
    let base = opts.id.clone().unwrap_or_else(|| {
        translit(
            &title
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" "),
        )
    });
    let id = fresh(&mut taken, &base);
    let mut y = Y::map();
    y.set("kind", Y::raw("document"));
    y.set("id", Y::raw(&id));
    y.set("title", Y::s(emit::literal(&title)));
    if let Some(p) = period_of(&title) {
        y.set("period", Y::s(p));
    }
    if nodes.iter().any(|n| {
        matches!(n, Node::Para(p) if p.landscape) || matches!(n, Node::Table(t) if t.landscape)
    }) {
        y.set("orientation", Y::raw("landscape"));
    }
    let (blocks, notes) = blocks_of(&nodes[i..]);
    y.set("blocks", blocks);
    let mut header = vec![format!(
        "Импортировано prikaz import: {}",
        title.replace('\n', " ")
    )];
    header.extend(notes);
    Imported {
        id: id.clone(),
        kind: "document",
        files: vec![OutFile {
            name: "document.yaml".into(),
            text: emit::file(&header, &y),
        }],
        remarks: Vec::new(),
    }
}

/// The plan's period from its title: «в 2024-2025 учебном году» →
/// 2024/2025, «на 2022-2025 гг.» → 2022–2025, «на 2025 год» → 2025.
pub fn period_of(title: &str) -> Option<String> {
    static RANGE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d{4})\s*(?:[-–—/]|\s+–\s+)\s*(\d{4})").expect("regex"));
    static ONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bна\s+(\d{4})\s+год").expect("regex"));
    if let Some(c) = RANGE.captures(title) {
        let (a, b): (i32, i32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        if b < a || b - a > 10 {
            return None;
        }
        return Some(if title.contains("учебн") && b == a + 1 {
            format!("{a}/{b}")
        } else {
            format!("{a}–{b}")
        });
    }
    ONE.captures(title).map(|c| c[1].to_string())
}

static TERM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([А-ЯЁA-Z][А-ЯЁA-Zа-яёa-z0-9]{0,11}(?:\s[А-ЯЁA-Z]{1,8}){0,2})\s+[–—-]\s+\S")
        .expect("regex")
});

fn is_term(t: &str) -> bool {
    TERM.captures(t)
        .is_some_and(|c| c[1].chars().filter(|ch| ch.is_uppercase()).count() >= 2)
}

fn glossary_title(t: &str) -> bool {
    matches!(
        norm(t).as_str(),
        "ОБОЗНАЧЕНИЯ"
            | "СОКРАЩЕНИЯ"
            | "ПРИНЯТЫЕСОКРАЩЕНИЯ"
            | "СПИСОКСОКРАЩЕНИЙ"
            | "УСЛОВНЫЕОБОЗНАЧЕНИЯ"
            | "ИСПОЛЬЗУЕМЫЕСОКРАЩЕНИЯ"
            | "ПЕРЕЧЕНЬСОКРАЩЕНИЙ"
    )
}

fn list_marker(t: &str) -> Option<(char, usize, String)> {
    static NUM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{1,3})[.)]\s+(\S.*)$").expect("regex"));
    if let Some(c) = NUM.captures(t) {
        return Some(('n', c[1].parse().ok()?, c[2].to_string()));
    }
    for d in ["– ", "— ", "- ", "• "] {
        if let Some(r) = t.strip_prefix(d) {
            return Some(('d', 0, r.to_string()));
        }
    }
    None
}

fn heading_like(p: &Para, next: Option<&Node>) -> bool {
    let t = p.text.trim();
    let styled = p.style.as_deref().is_some_and(|s| {
        let s = s.to_lowercase();
        s.contains("heading") || s.contains("заголовок")
    });
    styled
        || t.chars().count() < 160
            && !t.ends_with(['.', ';', ',', ':'])
            && list_marker(t).is_none()
            && (p.bold
                || matches!(next, Some(Node::Table(_)))
                || matches!(next, Some(Node::Para(q)) if list_marker(&q.text).is_some()))
}

/// Consecutive list paragraphs from `i` of one style: (style, items, numbers).
fn take_list(nodes: &[Node], mut i: usize) -> (char, Vec<String>, Vec<usize>, usize) {
    let mut style = ' ';
    let mut items = Vec::new();
    let mut numbers = Vec::new();
    while let Some(Node::Para(p)) = nodes.get(i) {
        match list_marker(&p.text) {
            Some((s, n, text)) if style == ' ' || s == style => {
                if s == 'n' && !numbers.is_empty() && n == 1 {
                    break;
                }
                style = s;
                items.push(text.replace('\n', " "));
                numbers.push(n);
                i += 1;
            }
            _ => break,
        }
    }
    (style, items, numbers, i)
}

pub fn blocks_of(nodes: &[Node]) -> (Y, Vec<String>) {
    let mut out = Y::seq([]);
    let notes = Vec::new();
    let mut i = 0;
    while i < nodes.len() {
        match &nodes[i] {
            Node::Table(g) => {
                let (b, c) = tables::block(g);
                out.push(b, c);
                i += 1;
            }
            Node::Para(p) => {
                let t = p.text.trim();
                // Glossary, titled or not.
                let titled = glossary_title(t);
                let start = if titled { i + 1 } else { i };
                let mut j = start;
                let mut terms = Vec::new();
                while let Some(Node::Para(q)) = nodes.get(j) {
                    let lines: Vec<&str> = q.text.split('\n').collect();
                    if lines.iter().all(|l| is_term(l)) {
                        terms.extend(lines.iter().map(|l| emit::literal(l)));
                        j += 1;
                    } else {
                        break;
                    }
                }
                if !terms.is_empty() && (titled || terms.len() >= 2) {
                    let mut g = Y::map();
                    if titled {
                        g.set("title", Y::s(t.trim_end_matches(':')));
                    }
                    g.set("terms", Y::seq(terms.into_iter().map(Y::s)));
                    let mut b = Y::map();
                    b.set("glossary", g);
                    out.push(b, Vec::new());
                    i = j;
                    continue;
                }
                // Groups: a heading and a list numbered from 1, twice or more.
                let mut groups = Vec::new();
                let mut j = i;
                while let Some(Node::Para(h)) = nodes.get(j) {
                    if list_marker(&h.text).is_some() || !heading_like(h, nodes.get(j + 1)) {
                        break;
                    }
                    let (style, items, numbers, next) = take_list(nodes, j + 1);
                    if style != 'n' || numbers.first() != Some(&1) {
                        break;
                    }
                    groups.push((h.text.replace('\n', " "), items));
                    j = next;
                }
                if groups.len() >= 2 {
                    let mut gs = Y::seq([]);
                    for (title, items) in groups {
                        let mut g = Y::map();
                        g.set("title", Y::s(emit::literal(&title)));
                        g.set(
                            "items",
                            Y::seq(items.iter().map(|x| Y::s(emit::literal(x)))),
                        );
                        gs.push(g, Vec::new());
                    }
                    let mut inner = Y::map();
                    inner.set("groups", gs);
                    let mut b = Y::map();
                    b.set("groups", inner);
                    out.push(b, Vec::new());
                    i = j;
                    continue;
                }
                let (style, items, numbers, next) = take_list(nodes, i);
                if !items.is_empty() && (items.len() >= 2 || style == 'd') {
                    let mut l = Y::map();
                    l.set(
                        "style",
                        Y::raw(if style == 'n' { "numbered" } else { "dash" }),
                    );
                    l.set(
                        "items",
                        Y::seq(items.iter().map(|x| Y::s(emit::literal(x)))),
                    );
                    let mut b = Y::map();
                    b.set("list", l);
                    let sequential = numbers
                        .iter()
                        .enumerate()
                        .all(|(k, n)| style != 'n' || *n == k + 1);
                    let note = if sequential {
                        Vec::new()
                    } else {
                        vec![format!(
                            "import: номера в оригинале — {}; список нумеруется заново",
                            numbers
                                .iter()
                                .map(|n| n.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )]
                    };
                    out.push(b, note);
                    i = next;
                    continue;
                }
                let mut b = Y::map();
                let text = emit::literal(&t.replace('\n', " "));
                if heading_like(p, nodes.get(i + 1)) {
                    b.set("heading", Y::s(text));
                } else {
                    b.set("paragraph", Y::s(text));
                }
                out.push(b, Vec::new());
                i += 1;
            }
        }
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_come_from_titles() {
        assert_eq!(
            period_of("в 2024-2025 учебном году").as_deref(),
            Some("2024/2025")
        );
        assert_eq!(period_of("на 2022-2025 гг.").as_deref(), Some("2022–2025"));
        assert_eq!(
            period_of("на 2020 – 2021 учебный год").as_deref(),
            Some("2020/2021")
        );
        assert_eq!(period_of("о школах"), None);
    }
}
