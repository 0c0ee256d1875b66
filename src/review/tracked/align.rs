//! How the two revisions line up: blocks and rows paired by their text,
//! paragraphs cut into words, and the marks put into paragraph and row
//! properties.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::parse::{Atom, Block, Piece};

#[derive(Clone, Copy)]
pub(super) enum Act {
    /// Equal text: (old, new).
    Same(usize, usize),
    Del(usize),
    Ins(usize),
    Pair(usize, usize),
}

/// Two runs of blocks aligned by their text; changed runs paired where a
/// paragraph resembles another (half its words or more in common) or a
/// table meets a table, the rest deleted or inserted whole.
pub(super) fn plan(old: &[Block], new: &[Block]) -> Vec<Act> {
    let ka: Vec<String> = old.iter().map(Block::key).collect();
    let kb: Vec<String> = new.iter().map(Block::key).collect();
    plan_by(&ka, &kb, |i, j| match (&old[i], &new[j]) {
        (Block::P(x), Block::P(y)) => likeness(&x.text, &y.text),
        (Block::T(_), Block::T(_)) => 1.0,
        _ => 0.0,
    })
}

/// Any two sequences aligned by their keys: equal runs kept, and in a
/// changed run the items `sim` finds alike (> 0) paired in order.
pub(super) fn plan_by<K: std::hash::Hash + Ord>(
    ka: &[K],
    kb: &[K],
    sim: impl Fn(usize, usize) -> f32,
) -> Vec<Act> {
    let mut acts = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, ka, kb) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => acts.extend((0..len).map(|k| Act::Same(old_index + k, new_index + k))),
            DiffOp::Delete {
                old_index, old_len, ..
            } => acts.extend((old_index..old_index + old_len).map(Act::Del)),
            DiffOp::Insert {
                new_index, new_len, ..
            } => acts.extend((new_index..new_index + new_len).map(Act::Ins)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let (mut i, mut j) = (old_index, new_index);
                for step in pairing(old_len, new_len, |a, b| sim(old_index + a, new_index + b)) {
                    match step {
                        Step::Pair => {
                            acts.push(Act::Pair(i, j));
                            i += 1;
                            j += 1;
                        }
                        Step::Del => {
                            acts.push(Act::Del(i));
                            i += 1;
                        }
                        Step::Ins => {
                            acts.push(Act::Ins(j));
                            j += 1;
                        }
                    }
                }
            }
        }
    }
    acts
}

#[derive(Clone, Copy)]
enum Step {
    Pair,
    Del,
    Ins,
}

/// The best in-order pairing of `n` old and `m` new items by `sim` (0 —
/// not a pair); unpaired insertions come before deletions, so that they
/// hang on the paragraph before, which a deletion would take away.
fn pairing(n: usize, m: usize, sim: impl Fn(usize, usize) -> f32) -> Vec<Step> {
    let mut score = vec![vec![0f32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let s = sim(i, j);
            let pair = if s > 0.0 {
                s + score[i + 1][j + 1]
            } else {
                0.0
            };
            score[i][j] = pair.max(score[i + 1][j]).max(score[i][j + 1]);
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m {
            let s = sim(i, j);
            if s > 0.0 && (score[i][j] - (s + score[i + 1][j + 1])).abs() < 1e-6 {
                out.push(Step::Pair);
                i += 1;
                j += 1;
            } else if (score[i][j] - score[i][j + 1]).abs() < 1e-6 {
                out.push(Step::Ins);
                j += 1;
            } else {
                out.push(Step::Del);
                i += 1;
            }
        } else if i < n {
            out.push(Step::Del);
            i += 1;
        } else {
            out.push(Step::Ins);
            j += 1;
        }
    }
    out
}

pub(super) fn likeness(a: &str, b: &str) -> f32 {
    let r = similar::TextDiff::from_words(a, b).ratio();
    if r >= 0.5 { r } else { 0.0 }
}

pub(super) fn raw<'a>(b: &Block<'a>) -> &'a str {
    match b {
        Block::P(p) => p.raw,
        Block::T(t) => t.raw,
        Block::Other(r) => r,
    }
}

/// Pieces cut at word boundaries, so a diff changes words, not letters.
pub(super) fn words(pieces: &[Piece]) -> Vec<Piece> {
    let mut out = Vec::new();
    for p in pieces {
        match &p.atom {
            Atom::Text(t) => {
                let mut cur = String::new();
                let mut space = None;
                for ch in t.chars() {
                    let s = ch.is_whitespace();
                    if space.is_some_and(|w| w != s) && !cur.is_empty() {
                        out.push(Piece {
                            rpr: p.rpr.clone(),
                            atom: Atom::Text(std::mem::take(&mut cur)),
                        });
                    }
                    space = Some(s);
                    cur.push(ch);
                }
                if !cur.is_empty() {
                    out.push(Piece {
                        rpr: p.rpr.clone(),
                        atom: Atom::Text(cur),
                    });
                }
            }
            _ => out.push(p.clone()),
        }
    }
    out
}

pub(super) fn key(p: &Piece) -> String {
    match &p.atom {
        Atom::Text(t) => format!("{}\u{1}{t}", p.rpr),
        Atom::Tab => "\t".into(),
        Atom::Break(r) => r.clone(),
    }
}

/// Properties `props` (`<w:pPr>…</w:pPr>` or empty) with `mark` put in its
/// paragraph-mark `w:rPr`.
pub(super) fn mark_ppr(ppr: &str, mark: &str) -> String {
    if ppr.is_empty() {
        return format!("<w:pPr><w:rPr>{mark}</w:rPr></w:pPr>");
    }
    for empty in ["<w:rPr />", "<w:rPr/>"] {
        if let Some(at) = ppr.find(empty) {
            return format!(
                "{}<w:rPr>{mark}</w:rPr>{}",
                &ppr[..at],
                &ppr[at + empty.len()..]
            );
        }
    }
    if let Some(at) = ppr.find("<w:rPr>") {
        let at = at + "<w:rPr>".len();
        return format!("{}{mark}{}", &ppr[..at], &ppr[at..]);
    }
    match ppr.rfind("</w:pPr>") {
        Some(at) => format!("{}<w:rPr>{mark}</w:rPr>{}", &ppr[..at], &ppr[at..]),
        None => ppr.replacen("/>", &format!("><w:rPr>{mark}</w:rPr></w:pPr>"), 1),
    }
}

/// A written paragraph (`<w:p …>…</w:p>`) with `mark` on its mark.
pub(super) fn mark_par(p: &str, mark: &str) -> String {
    let Some(open_end) = p.find('>') else {
        return p.to_string();
    };
    let (head, rest) = p.split_at(open_end + 1);
    if rest.starts_with("<w:pPr") {
        let end = match rest.find("</w:pPr>") {
            Some(e) => e + "</w:pPr>".len(),
            None => rest.find("/>").map_or(0, |e| e + 2),
        };
        return format!("{head}{}{}", mark_ppr(&rest[..end], mark), &rest[end..]);
    }
    format!("{head}{}{rest}", mark_ppr("", mark))
}

/// `props` (`<w:trPr>…</w:trPr>`, `<w:trPr/>` or empty) with `mark` added.
pub(super) fn mark_in(props: &str, tag: &str, mark: &str) -> String {
    if props.is_empty() {
        return format!("<{tag}>{mark}</{tag}>");
    }
    let close = format!("</{tag}>");
    match props.rfind(&close) {
        Some(at) => format!("{}{mark}{}", &props[..at], &props[at..]),
        None => format!("<{tag}>{mark}</{tag}>"),
    }
}

/// `xml` without the elements named `name`.
pub(super) fn strip(xml: &str, name: &str) -> String {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut s = xml.to_string();
    while let Some(a) = s.find(&open) {
        let end = match s[a..].find(&close) {
            Some(e) => a + e + close.len(),
            None => match s[a..].find("/>") {
                Some(e) => a + e + 2,
                None => break,
            },
        };
        s.replace_range(a..end, "");
    }
    s
}

/// The paragraph style a `w:pPr` names, if any.
pub(super) fn style_of(ppr: &str) -> Option<&str> {
    let at = ppr.find("<w:pStyle w:val=\"")? + "<w:pStyle w:val=\"".len();
    let end = ppr[at..].find('"')?;
    Some(&ppr[at..at + end])
}

/// `new_ppr` recording `old_ppr` as the properties before the change
/// (`w:pPrChange`, the last child of `w:pPr`; without the mark's run
/// properties and the section, which a property change does not hold).
pub(super) fn with_ppr_change(new_ppr: &str, old_ppr: &str, change_open: &str) -> String {
    let old = strip(&strip(old_ppr, "w:rPr"), "w:sectPr");
    let inner = old
        .strip_prefix("<w:pPr>")
        .and_then(|r| r.strip_suffix("</w:pPr>"))
        .unwrap_or("");
    let change = format!("{change_open}<w:pPr>{inner}</w:pPr></w:pPrChange>");
    match new_ppr.rfind("</w:pPr>") {
        Some(at) => format!("{}{change}{}", &new_ppr[..at], &new_ppr[at..]),
        None => format!("<w:pPr>{change}</w:pPr>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_marks_get_the_revision_in_every_shape_of_properties() {
        assert_eq!(mark_ppr("", "<m/>"), "<w:pPr><w:rPr><m/></w:rPr></w:pPr>");
        assert_eq!(
            mark_ppr("<w:pPr><w:rPr /><w:pStyle w:val=\"A\" /></w:pPr>", "<m/>"),
            "<w:pPr><w:rPr><m/></w:rPr><w:pStyle w:val=\"A\" /></w:pPr>"
        );
        assert_eq!(
            mark_ppr("<w:pPr><w:jc w:val=\"left\"/></w:pPr>", "<m/>"),
            "<w:pPr><w:jc w:val=\"left\"/><w:rPr><m/></w:rPr></w:pPr>"
        );
        assert_eq!(
            mark_in("<w:trPr><w:cantSplit /></w:trPr>", "w:trPr", "<m/>"),
            "<w:trPr><w:cantSplit /><m/></w:trPr>"
        );
    }
}
