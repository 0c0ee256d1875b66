//! Printing a [`Diff`]: terminal text (coloured or with git's word-diff
//! brackets), Markdown for a merge request comment, JSON for tools.

use super::{Change, Diff, DocDiff, DocStatus, FieldChange, Kind, Op, Piece, PieceTag};

/// Verb forms agreeing with the item's noun (пункт, строка, приложение …).
fn verb(kind: Kind, op: Op, moved: bool) -> &'static str {
    // (masculine, feminine, neuter)
    let forms = match (op, moved) {
        (Op::Added, _) => ("добавлен", "добавлена", "добавлено"),
        (Op::Removed, _) => ("исключён", "исключена", "исключено"),
        (Op::Changed, true) => ("перемещён", "перемещена", "перемещено"),
        (Op::Changed, false) => ("изменён", "изменена", "изменено"),
    };
    match kind {
        Kind::Row => forms.1,
        Kind::Appendix => forms.2,
        _ => forms.0,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn doc_heading(d: &DocDiff) -> String {
    let title = d
        .new_title
        .as_ref()
        .or(d.old_title.as_ref())
        .cloned()
        .unwrap_or_default();
    match d.status {
        DocStatus::Added => format!("{title} — новый документ"),
        DocStatus::Removed => format!("{title} — документ удалён"),
        DocStatus::Changed => match (&d.old_title, &d.new_title) {
            (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
            _ => title,
        },
    }
}

/// `строка 1.4 → 2.4` when only the number differs, else both labels in full.
pub fn arrow(old: &str, new: &str) -> String {
    let simple = |l: &str| !l.contains([',', '«']);
    match (old.split_once(' '), new.split_once(' ')) {
        (Some((ow, _)), Some((nw, rest))) if ow == nw && simple(old) && simple(new) => {
            format!("{old} → {rest}")
        }
        _ => format!("{old} → {new}"),
    }
}

/// The headline of a change without its field details:
/// `Перемещена строка 1.2 → 2.4 (раздел 1 → раздел 2)`.
pub fn headline(c: &Change) -> String {
    let v = verb(c.kind, c.op, c.moved);
    let label = match (c.op, &c.old_label, &c.new_label) {
        (Op::Added, _, Some(n)) => n.clone(),
        (Op::Removed, Some(o), _) => o.clone(),
        (_, Some(o), Some(n)) if o != n => arrow(o, n),
        (_, Some(o), _) => o.clone(),
        (_, _, Some(n)) => n.clone(),
        _ => String::new(),
    };
    if c.kind == Kind::Requisite && c.op == Op::Changed {
        return capitalize(&label);
    }
    let mut s = format!("{} {label}", capitalize(v));
    let place = match (c.op, &c.old_place, &c.new_place) {
        (Op::Changed, Some(o), Some(n)) if c.moved && o != n => format!("{o} → {n}"),
        (Op::Added, _, Some(n)) | (Op::Removed, Some(n), _) => n.clone(),
        _ => String::new(),
    };
    if !place.is_empty() {
        s.push_str(&format!(" ({place})"));
    }
    s
}

/// A field change is shown as «old → new» when short or rewritten
/// altogether, and as the text with marked words otherwise.
fn as_replacement(f: &FieldChange) -> bool {
    let short = f.old.chars().count() <= 60 && f.new.chars().count() <= 60;
    let same: usize = f
        .words
        .iter()
        .filter(|p| p.tag == PieceTag::Same)
        .map(|p| p.text.trim().chars().count())
        .sum();
    short || f.old.is_empty() || f.new.is_empty() || same < 10
}

#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

fn pieces_text(pieces: &[Piece], style: Style) -> String {
    let mut s = String::new();
    for p in pieces {
        match (p.tag, style.color) {
            (PieceTag::Same, _) => s.push_str(&p.text),
            (PieceTag::Deleted, true) => s.push_str(&format!("\x1b[31;9m{}\x1b[0m", p.text)),
            (PieceTag::Inserted, true) => s.push_str(&format!("\x1b[32;4m{}\x1b[0m", p.text)),
            (PieceTag::Deleted, false) => s.push_str(&format!("[-{}-]", p.text)),
            (PieceTag::Inserted, false) => s.push_str(&format!("{{+{}+}}", p.text)),
        }
    }
    s
}

fn one_line(s: &str) -> String {
    s.replace('\n', " / ")
}

/// Terminal text.
pub fn text(diff: &Diff, style: Style) -> String {
    let bold = |s: &str| {
        if style.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let paint = |code: &str, s: &str| {
        if style.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    if diff.is_empty() {
        out.push_str("изменений в документах нет\n");
        return out;
    }
    for d in &diff.documents {
        out.push_str(&bold(&format!("{} [{}]", doc_heading(d), d.id)));
        out.push('\n');
        for c in &d.changes {
            let mark = match (c.op, c.moved) {
                (Op::Added, _) => paint("32", "+"),
                (Op::Removed, _) => paint("31", "-"),
                (Op::Changed, true) => paint("36", "↷"),
                (Op::Changed, false) => paint("33", "~"),
            };
            out.push_str(&format!("  {mark} {}", headline(c)));
            match c.op {
                Op::Added => out.push_str(&format!(
                    ": «{}»\n",
                    paint("32", &one_line(c.new_text.as_deref().unwrap_or("")))
                )),
                Op::Removed => out.push_str(&format!(
                    ": «{}»\n",
                    paint("31", &one_line(c.old_text.as_deref().unwrap_or("")))
                )),
                Op::Changed => {
                    out.push('\n');
                    for f in &c.fields {
                        if as_replacement(f) {
                            out.push_str(&format!(
                                "      {}: «{}» → «{}»\n",
                                f.label,
                                paint("31", &one_line(&f.old)),
                                paint("32", &one_line(&f.new))
                            ));
                        } else {
                            out.push_str(&format!(
                                "      {}: {}\n",
                                f.label,
                                one_line(&pieces_text(&f.words, style))
                            ));
                        }
                    }
                }
            }
        }
        if !d.renumbered.is_empty() {
            let list: Vec<String> = d.renumbered.iter().map(|r| arrow(&r.old, &r.new)).collect();
            out.push_str(&format!("  # перенумерация: {}\n", list.join(", ")));
        }
    }
    out
}

/// Escapes text for Markdown so a clerk's `*`, `_`, `[` or `|` stay literal.
/// Characters special only at a line's start need nothing: every line we
/// print starts with our own `- **`.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if "\\`*_[]<>|~".contains(ch) {
            out.push('\\');
        }
        if ch == '\n' {
            out.push_str("<br>");
            continue;
        }
        out.push(ch);
    }
    out
}

fn md_pieces(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        // Emphasis markers must hug the words, so surrounding spaces stay outside.
        let t = p.text.as_str();
        let core = t.trim();
        let (lead, trail) = if core.is_empty() {
            (t, "")
        } else {
            let start = t.find(core).unwrap_or(0);
            (&t[..start], &t[start + core.len()..])
        };
        match p.tag {
            PieceTag::Same => s.push_str(&md_escape(t)),
            _ if core.is_empty() => s.push_str(&md_escape(t)),
            PieceTag::Deleted => s.push_str(&format!("{lead}~~{}~~{trail}", md_escape(core))),
            PieceTag::Inserted => s.push_str(&format!("{lead}**{}**{trail}", md_escape(core))),
        }
    }
    s
}

/// Markdown for a merge request comment.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::from("## Изменения в документах\n\n");
    if diff.is_empty() {
        out.push_str("Изменений в документах нет.\n");
        return out;
    }
    for d in &diff.documents {
        out.push_str(&format!(
            "### {} (`{}`)\n\n",
            md_escape(&doc_heading(d)),
            d.id.replace('`', "")
        ));
        for c in &d.changes {
            out.push_str(&format!("- **{}**", md_escape(&headline(c))));
            match c.op {
                Op::Added => out.push_str(&format!(
                    ": {}\n",
                    md_escape(c.new_text.as_deref().unwrap_or(""))
                )),
                Op::Removed => out.push_str(&format!(
                    ": ~~{}~~\n",
                    md_escape(c.old_text.as_deref().unwrap_or(""))
                )),
                Op::Changed => {
                    out.push('\n');
                    for f in &c.fields {
                        if as_replacement(f) {
                            let old = if f.old.is_empty() {
                                "—".to_string()
                            } else {
                                format!("~~{}~~", md_escape(&f.old))
                            };
                            let new = if f.new.is_empty() {
                                "—".to_string()
                            } else {
                                format!("**{}**", md_escape(&f.new))
                            };
                            out.push_str(&format!("  - {}: {old} → {new}\n", md_escape(&f.label)));
                        } else {
                            out.push_str(&format!(
                                "  - {}: {}\n",
                                md_escape(&f.label),
                                md_pieces(&f.words)
                            ));
                        }
                    }
                }
            }
        }
        if !d.renumbered.is_empty() {
            let list: Vec<String> = d.renumbered.iter().map(|r| arrow(&r.old, &r.new)).collect();
            out.push_str(&format!(
                "- Перенумерация: {}\n",
                md_escape(&list.join(", "))
            ));
        }
        out.push('\n');
    }
    out
}

pub fn json(diff: &Diff) -> String {
    serde_json::to_string_pretty(diff).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
