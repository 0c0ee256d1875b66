//! Scalars: plain, quoted and block scalars with YAML's line folding, and the
//! YAML typing of plain scalars.

use std::borrow::Cow;

use super::parser::{Parser, is_ws};
use super::{Decline, Node, R};

impl<'a> Parser<'a> {
    /// Scans one line of a plain scalar from `i`: the end of its text and
    /// whether a comment follows.
    fn plain_line(&self, i: usize) -> R<(usize, bool)> {
        let le = self.line_end(i);
        let mut j = i;
        while j < le {
            let c = self.at(j);
            if c == b':' && (j + 1 >= le || is_ws(self.at(j + 1))) {
                return Err(Decline);
            }
            if is_ws(c) && self.at(j + 1) == b'#' {
                return Ok((self.trim_end(i, j), true));
            }
            j += 1;
        }
        Ok((self.trim_end(i, le), false))
    }

    /// A plain scalar in block context; continuation lines are deeper than
    /// `parent` and fold into spaces (blank lines into line breaks).
    pub(super) fn plain(&mut self, i: usize, parent: usize) -> R<(Node<'a>, usize)> {
        let (end, mut comment) = self.plain_line(i)?;
        let mut text = Cow::Borrowed(self.src.get(i..end).ok_or(Decline)?);
        let mut last = end;
        let mut next = self.next_line(i);
        while !comment {
            // Blank lines, then a deeper line continues the scalar.
            let mut ls = next;
            let mut blanks = 0;
            loop {
                if ls >= self.b.len() {
                    break;
                }
                let li = self.indent(ls)?;
                if self.at(ls + li) == b'\n' {
                    blanks += 1;
                    ls = self.next_line(ls);
                    continue;
                }
                break;
            }
            if ls >= self.b.len() {
                break;
            }
            let li = self.indent(ls)?;
            let at = ls + li;
            if li <= parent || self.at(at) == b'#' {
                break;
            }
            if self.is_dash(at) {
                return Err(Decline);
            }
            let (e, c) = self.plain_line(at)?;
            let t = text.to_mut();
            if blanks == 0 {
                t.push(' ');
            } else {
                t.extend(std::iter::repeat_n('\n', blanks));
            }
            t.push_str(self.src.get(at..e).ok_or(Decline)?);
            last = e;
            comment = c;
            next = self.next_line(at);
        }
        Ok((Node::scalar(i, last, text, true), next))
    }

    /// Line folding inside quoted scalars at the break at `nl`: trailing
    /// spaces go, blank lines become breaks, a single break a space. Returns
    /// where the next line's text starts.
    fn fold_break(&self, out: &mut String, nl: usize, parent: usize) -> R<usize> {
        let trimmed = out.trim_end_matches([' ', '\t']).len();
        out.truncate(trimmed);
        let mut ls = nl + 1;
        let mut blanks = 0;
        loop {
            if ls >= self.b.len() {
                return Err(Decline);
            }
            let mut j = ls;
            while is_ws(self.at(j)) && j < self.b.len() {
                j += 1;
            }
            if self.at(j) == b'\n' && j < self.b.len() {
                blanks += 1;
                ls = j + 1;
                continue;
            }
            // Continuation lines must be indented deeper than the collection,
            // with spaces only.
            let li = self.indent(ls)?;
            if li <= parent && parent > 0 || li == 0 {
                return Err(Decline);
            }
            if blanks == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', blanks));
            }
            return Ok(j);
        }
    }

    /// A single- or double-quoted scalar at `i`; returns it and the position
    /// after its closing quote.
    pub(super) fn quoted(&mut self, i: usize, parent: usize) -> R<(Node<'a>, usize)> {
        let q = self.at(i);
        let start = i + 1;
        let mut j = start;
        let mut out: Option<String> = None;
        loop {
            let Some(off) = memchr::memchr3(q, b'\\', b'\n', self.b.get(j..).unwrap_or(&[])) else {
                return Err(Decline);
            };
            let k = j + off;
            let c = self.b[k];
            if c == b'\\' && q == b'\'' {
                // A backslash is an ordinary character in single quotes.
                out.get_or_insert_with(String::new)
                    .push_str(self.src.get(j..=k).ok_or(Decline)?);
                j = k + 1;
                continue;
            }
            let run = self.src.get(j..k).ok_or(Decline)?;
            if c == q {
                if q == b'\'' && self.at(k + 1) == b'\'' {
                    let o = out.get_or_insert_with(String::new);
                    o.push_str(run);
                    o.push('\'');
                    j = k + 2;
                    continue;
                }
                let text = match out {
                    None => Cow::Borrowed(run),
                    Some(mut o) => {
                        o.push_str(run);
                        Cow::Owned(o)
                    }
                };
                return Ok((Node::scalar(i, k + 1, text, false), k + 1));
            }
            let o = out.get_or_insert_with(String::new);
            o.push_str(run);
            if c == b'\n' {
                j = self.fold_break(o, k, parent)?;
                continue;
            }
            // An escape in double quotes.
            let e = self.at(k + 1);
            j = k + 2;
            let ch = match e {
                b'0' => '\0',
                b'a' => '\x07',
                b'b' => '\x08',
                b't' | b'\t' => '\t',
                b'n' => '\n',
                b'v' => '\x0b',
                b'f' => '\x0c',
                b'r' => '\r',
                b'e' => '\x1b',
                b' ' => ' ',
                b'"' => '"',
                b'/' => '/',
                b'\\' => '\\',
                b'N' => '\u{85}',
                b'_' => '\u{a0}',
                b'L' => '\u{2028}',
                b'P' => '\u{2029}',
                b'x' | b'u' | b'U' => {
                    let n = match e {
                        b'x' => 2,
                        b'u' => 4,
                        _ => 8,
                    };
                    let hex = self.src.get(j..j + n).ok_or(Decline)?;
                    if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                        return Err(Decline);
                    }
                    j += n;
                    u32::from_str_radix(hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or(Decline)?
                }
                b'\n' => {
                    // An escaped break joins the lines without a space.
                    let mut m = k + 2;
                    while is_ws(self.at(m)) && m < self.b.len() {
                        m += 1;
                    }
                    if self.at(m) == b'\n' {
                        return Err(Decline);
                    }
                    j = m;
                    continue;
                }
                _ => return Err(Decline),
            };
            o.push(ch);
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is at `i`.
    pub(super) fn block_scalar(&mut self, i: usize, parent: usize) -> R<(Node<'a>, usize)> {
        #[derive(PartialEq)]
        enum Chomp {
            Clip,
            Strip,
            Keep,
        }
        let folded = self.at(i) == b'>';
        let mut j = i + 1;
        let chomp = match self.at(j) {
            b'-' => Chomp::Strip,
            b'+' => Chomp::Keep,
            _ => Chomp::Clip,
        };
        if chomp != Chomp::Clip {
            j += 1;
        }
        let le = self.line_end(i);
        let mut k = j;
        while k < le && is_ws(self.at(k)) {
            k += 1;
        }
        if k < le && !(self.at(k) == b'#' && k > j) {
            // An indentation indicator or stray text.
            return Err(Decline);
        }
        let mut ls = self.next_line(i);
        let mut lines: Vec<Option<&'a str>> = Vec::new();
        let mut indent: Option<usize> = None;
        let mut leading_max = 0;
        let mut start = ls;
        // serde-saphyr ends the span where the next token starts: after the
        // indentation of the line that ends the scalar.
        let mut end = self.b.len();
        while ls < self.b.len() {
            let le = self.line_end(ls);
            let mut sp = ls;
            while sp < le && self.at(sp) == b' ' {
                sp += 1;
            }
            let spaces = sp - ls;
            let blank = sp >= le;
            match indent {
                None if blank => {
                    leading_max = leading_max.max(spaces);
                    lines.push(None);
                }
                None => {
                    if self.at(sp) == b'\t' || spaces <= parent || leading_max > spaces {
                        return Err(Decline);
                    }
                    indent = Some(spaces);
                    start = sp;
                    lines.push(Some(self.src.get(sp..le).ok_or(Decline)?));
                }
                Some(ci) if blank => {
                    if spaces > ci {
                        return Err(Decline);
                    }
                    lines.push(None);
                }
                Some(ci) if spaces < ci => {
                    end = sp;
                    break;
                }
                Some(ci) => {
                    let text = self.src.get(ls + ci..le).ok_or(Decline)?;
                    if folded && text.starts_with([' ', '\t']) {
                        return Err(Decline);
                    }
                    lines.push(Some(text));
                }
            }
            ls = self.next_line(ls);
            if le >= self.b.len() {
                ls = self.b.len();
            }
        }
        if indent.is_none() {
            return Err(Decline);
        }
        let first = lines.iter().position(Option::is_some).ok_or(Decline)?;
        let last = lines.iter().rposition(Option::is_some).ok_or(Decline)?;
        let mut out = "\n".repeat(first);
        let mut pending_blanks = 0;
        for (n, l) in lines[first..=last].iter().enumerate() {
            match l {
                None => pending_blanks += 1,
                Some(t) => {
                    if n > 0 {
                        if folded {
                            if pending_blanks == 0 {
                                out.push(' ');
                            } else {
                                out.extend(std::iter::repeat_n('\n', pending_blanks));
                            }
                        } else {
                            out.extend(std::iter::repeat_n('\n', pending_blanks + 1));
                        }
                    }
                    pending_blanks = 0;
                    out.push_str(t);
                }
            }
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => out.push('\n'),
            Chomp::Keep => {
                if self.b.last() != Some(&b'\n') && ls >= self.b.len() {
                    return Err(Decline);
                }
                out.extend(std::iter::repeat_n('\n', 1 + lines.len() - 1 - last));
            }
        }
        Ok((Node::scalar(start, end, Cow::Owned(out), false), ls))
    }
}

pub(super) fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

/// A decimal integer as YAML writes it canonically; anything cleverer
/// (`+1`, `012`, `1_000`, `0x1F`) is left to serde-saphyr.
pub(super) fn canonical_int(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

pub(super) fn canonical_float(s: &str) -> bool {
    match s.split_once('.') {
        None => canonical_int(s),
        Some((int, frac)) => {
            canonical_int(int) && !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit())
        }
    }
}

/// Plain scalars that YAML might read as something other than text.
pub(super) fn maybe_typed(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
        )
}
