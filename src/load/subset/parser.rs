//! The line and indentation parser: block mappings and sequences, flow
//! collections, and the screening that declines whatever is unusual.

use std::borrow::Cow;

use super::{Decline, Kind, Node, R};

/// Deeper documents are left to serde-saphyr, which enforces its own budget.
const MAX_DEPTH: usize = 32;

/// Declines a key already in the mapping (serde-saphyr reports it). Small
/// mappings are searched; from 16 keys on they are hashed, so a huge mapping
/// cannot make the check quadratic.
fn check_fresh<'a>(
    entries: &[(Node<'a>, Node<'a>)],
    hashed: &mut std::collections::HashSet<Cow<'a, str>>,
    key: &Node<'a>,
) -> R<()> {
    let Kind::Scalar { text, .. } = &key.kind else {
        return Err(Decline);
    };
    let fresh = if entries.len() < 16 {
        !entries
            .iter()
            .any(|(k, _)| matches!(&k.kind, Kind::Scalar { text: t, .. } if t == text))
    } else {
        if hashed.is_empty() {
            for (k, _) in entries {
                if let Kind::Scalar { text: t, .. } = &k.kind {
                    hashed.insert(t.clone());
                }
            }
        }
        hashed.insert(text.clone())
    };
    if fresh { Ok(()) } else { Err(Decline) }
}

pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) b: &'a [u8],
    depth: usize,
}

pub(super) fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a str) -> Parser<'a> {
        Parser {
            src,
            b: src.as_bytes(),
            depth: 0,
        }
    }

    pub(super) fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(b'\n')
    }

    pub(super) fn line_end(&self, from: usize) -> usize {
        memchr::memchr(b'\n', self.b.get(from..).unwrap_or(&[]))
            .map(|i| from + i)
            .unwrap_or(self.b.len())
    }

    pub(super) fn next_line(&self, from: usize) -> usize {
        (self.line_end(from) + 1).min(self.b.len())
    }

    /// Spaces at the start of the line; a tab there declines.
    pub(super) fn indent(&self, ls: usize) -> R<usize> {
        let mut i = ls;
        while self.at(i) == b' ' && i < self.b.len() {
            i += 1;
        }
        if self.at(i) == b'\t' && i < self.b.len() {
            return Err(Decline);
        }
        Ok(i - ls)
    }

    /// The first line at or after `ls` that has content other than a comment.
    fn content_line(&self, mut ls: usize) -> R<Option<usize>> {
        while ls < self.b.len() {
            let i = ls + self.indent(ls)?;
            let c = self.at(i);
            if i < self.b.len() && c != b'\n' && c != b'#' {
                return Ok(Some(ls));
            }
            ls = self.next_line(ls);
        }
        Ok(None)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Decline);
        }
        Ok(())
    }

    /// Characters YAML forbids, CR line ends and document markers decline.
    fn screen(&self) -> R<()> {
        let b = self.b;
        let mut line_start = true;
        for (i, &c) in b.iter().enumerate() {
            if line_start && (b[i..].starts_with(b"---") || b[i..].starts_with(b"...") || c == b'%')
            {
                return Err(Decline);
            }
            line_start = c == b'\n';
            match c {
                b'\t' | b'\n' => {}
                0..=0x1f | 0x7f => return Err(Decline),
                // C1 controls and NEL (U+0080..U+009F).
                0xc2 if matches!(b.get(i + 1), Some(0x80..=0x9f)) => return Err(Decline),
                // BOM inside the text, U+FFFE, U+FFFF.
                0xef if matches!(
                    (b.get(i + 1), b.get(i + 2)),
                    (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
                ) =>
                {
                    return Err(Decline);
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn document(&mut self) -> R<Node<'a>> {
        self.screen()?;
        let Some(ls) = self.content_line(0)? else {
            return Err(Decline);
        };
        if self.indent(ls)? != 0 || !self.is_key(ls)? {
            return Err(Decline);
        }
        let (node, next) = self.block_map(0, ls)?;
        if self.content_line(next)?.is_some() {
            return Err(Decline);
        }
        Ok(node)
    }

    pub(super) fn is_dash(&self, i: usize) -> bool {
        self.at(i) == b'-' && (i + 1 >= self.b.len() || matches!(self.at(i + 1), b' ' | b'\n'))
    }

    /// Does the line content at `i` start a mapping entry (`key: …`)?
    fn is_key(&self, i: usize) -> R<bool> {
        let le = self.line_end(i);
        let mut j = match self.at(i) {
            q @ (b'"' | b'\'') => {
                // A quoted key closes on its own line.
                let mut j = i + 1;
                loop {
                    if j >= le {
                        return Ok(false);
                    }
                    let c = self.at(j);
                    if q == b'"' && c == b'\\' {
                        j += 2;
                        continue;
                    }
                    if c == q {
                        if q == b'\'' && self.at(j + 1) == b'\'' {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j += 1;
                }
                j += 1;
                while j < le && is_ws(self.at(j)) {
                    j += 1;
                }
                return Ok(j < le && self.at(j) == b':' && (j + 1 >= le || is_ws(self.at(j + 1))));
            }
            b'[' | b'{' | b'|' | b'>' => return Ok(false),
            _ => i,
        };
        while j < le {
            let c = self.at(j);
            if c == b':' && (j + 1 >= le || is_ws(self.at(j + 1))) {
                return Ok(true);
            }
            if is_ws(c) && self.at(j + 1) == b'#' {
                return Ok(false);
            }
            j += 1;
        }
        Ok(false)
    }

    /// A key at `i`; returns it and the position after its colon.
    fn key(&mut self, i: usize) -> R<(Node<'a>, usize)> {
        let le = self.line_end(i);
        match self.at(i) {
            b'"' | b'\'' => {
                let (node, end) = self.quoted(i, 0)?;
                if self.line_end(i) != self.line_end(end) {
                    return Err(Decline);
                }
                let mut j = end;
                while j < le && is_ws(self.at(j)) {
                    j += 1;
                }
                if self.at(j) != b':' {
                    return Err(Decline);
                }
                Ok((node, j + 1))
            }
            c if b"-?:,[]{}#&*!|>%@`".contains(&c) => Err(Decline),
            _ => {
                let mut j = i;
                while j < le {
                    let c = self.at(j);
                    if c == b':' && (j + 1 >= le || is_ws(self.at(j + 1))) {
                        let end = self.trim_end(i, j);
                        let text = self.src.get(i..end).ok_or(Decline)?;
                        return Ok((Node::scalar(i, end, Cow::Borrowed(text), true), j + 1));
                    }
                    if is_ws(c) && self.at(j + 1) == b'#' {
                        return Err(Decline);
                    }
                    j += 1;
                }
                Err(Decline)
            }
        }
    }

    pub(super) fn trim_end(&self, from: usize, mut end: usize) -> usize {
        while end > from && is_ws(self.b[end - 1]) {
            end -= 1;
        }
        end
    }

    /// A block mapping whose keys sit at column `ind`, the first at `first`.
    /// Returns it and the start of the line after it.
    fn block_map(&mut self, ind: usize, first: usize) -> R<(Node<'a>, usize)> {
        self.enter()?;
        let mut entries: Vec<(Node<'a>, Node<'a>)> = Vec::new();
        let mut hashed = std::collections::HashSet::new();
        let mut at = first;
        let next = loop {
            let (key, after) = self.key(at)?;
            check_fresh(&entries, &mut hashed, &key)?;
            let (value, next) = self.value_after(after, ind)?;
            entries.push((key, value));
            let Some(ls) = self.content_line(next)? else {
                break next;
            };
            let li = self.indent(ls)?;
            if li < ind {
                break next;
            }
            if li > ind || self.is_dash(ls + li) {
                return Err(Decline);
            }
            at = ls + li;
        };
        self.depth -= 1;
        Ok((Node::collection(first, 0, Kind::Map(entries)), next))
    }

    /// The value after a key's colon or a dash at `after`, in a collection
    /// at column `ind`.
    fn value_after(&mut self, after: usize, ind: usize) -> R<(Node<'a>, usize)> {
        let le = self.line_end(after);
        let mut j = after;
        while j < le && is_ws(self.at(j)) {
            j += 1;
        }
        if j >= le || self.at(j) == b'#' {
            return self.nested(self.next_line(after), ind, after.saturating_sub(1), true);
        }
        self.inline(j, ind)
    }

    /// A value on the lines after a key or dash: deeper than `parent`, or
    /// (after a key, `seq_beside`) a sequence at the same column as the keys.
    fn nested(
        &mut self,
        from: usize,
        parent: usize,
        null_at: usize,
        seq_beside: bool,
    ) -> R<(Node<'a>, usize)> {
        let Some(ls) = self.content_line(from)? else {
            return Ok((Node::null(null_at), from));
        };
        let li = self.indent(ls)?;
        let at = ls + li;
        if li > parent || seq_beside && li == parent && self.is_dash(at) {
            if self.is_dash(at) {
                return self.block_seq(li, at);
            }
            if self.is_key(at)? {
                return self.block_map(li, at);
            }
            return self.inline(at, parent);
        }
        Ok((Node::null(null_at), from))
    }

    fn block_seq(&mut self, ind: usize, first: usize) -> R<(Node<'a>, usize)> {
        self.enter()?;
        let mut items = Vec::new();
        let mut at = first;
        let next = loop {
            // `at` is a dash; its item starts after the following spaces.
            let le = self.line_end(at);
            let mut j = at + 1;
            while j < le && self.at(j) == b' ' {
                j += 1;
            }
            let (item, next) = if j >= le || self.at(j) == b'#' {
                self.nested(self.next_line(at), ind, at, false)?
            } else if self.at(j) == b'\t' {
                return Err(Decline);
            } else if self.is_dash(j) {
                // A compact nested sequence («- - "1."»): a table row of cells.
                self.block_seq(j - self.line_start(j), j)?
            } else if self.is_key(j)? {
                self.block_map(j - self.line_start(j), j)?
            } else {
                self.inline(j, ind)?
            };
            items.push(item);
            let Some(ls) = self.content_line(next)? else {
                break next;
            };
            let li = self.indent(ls)?;
            if li < ind || li == ind && !self.is_dash(ls + li) {
                break next;
            }
            if li > ind {
                return Err(Decline);
            }
            at = ls + li;
        };
        self.depth -= 1;
        Ok((Node::collection(first, 0, Kind::Seq(items)), next))
    }

    fn line_start(&self, i: usize) -> usize {
        memchr::memrchr(b'\n', &self.b[..i])
            .map(|p| p + 1)
            .unwrap_or(0)
    }

    /// A value that starts on the current line at `i`, inside a block
    /// collection at column `parent`. Returns it and the next line's start.
    fn inline(&mut self, i: usize, parent: usize) -> R<(Node<'a>, usize)> {
        let (node, end) = match self.at(i) {
            b'"' | b'\'' => self.quoted(i, parent)?,
            b'|' | b'>' => return self.block_scalar(i, parent),
            b'[' | b'{' => self.flow(i, parent)?,
            b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' => {
                return Err(Decline);
            }
            b'-' | b'?' | b':' if matches!(self.at(i + 1), b' ' | b'\t' | b'\n') => {
                return Err(Decline);
            }
            _ => return self.plain(i, parent),
        };
        // After a quoted or flow node only a comment may follow on its line.
        let le = self.line_end(end);
        let mut j = end;
        while j < le && is_ws(self.at(j)) {
            j += 1;
        }
        if j < le && !(self.at(j) == b'#' && j > end) {
            return Err(Decline);
        }
        Ok((node, self.next_line(end)))
    }

    /// Skips spaces, line breaks and comments inside a flow collection; lines
    /// must stay deeper than the block collection around it.
    fn flow_space(&self, mut j: usize, parent: usize) -> R<usize> {
        loop {
            match self.at(j) {
                _ if j >= self.b.len() => return Err(Decline),
                b' ' | b'\t' => j += 1,
                b'#' if j > 0 && matches!(self.b[j - 1], b' ' | b'\t' | b'\n') => {
                    j = self.line_end(j);
                }
                b'\n' => {
                    j += 1;
                    let li = self.indent(j)?;
                    let c = self.at(j + li);
                    if c != b'\n' && c != b'#' && li < parent.max(1) {
                        return Err(Decline);
                    }
                }
                _ => return Ok(j),
            }
        }
    }

    /// A flow sequence or mapping at `i`; returns it and the position after
    /// its closing bracket.
    fn flow(&mut self, i: usize, parent: usize) -> R<(Node<'a>, usize)> {
        self.enter()?;
        let map = self.at(i) == b'{';
        let close = if map { b'}' } else { b']' };
        let mut j = self.flow_space(i + 1, parent)?;
        let mut items = Vec::new();
        let mut entries: Vec<(Node<'a>, Node<'a>)> = Vec::new();
        let mut hashed = std::collections::HashSet::new();
        loop {
            if self.at(j) == close {
                if map && !entries.is_empty() && self.b[..j].trim_ascii_end().ends_with(b",") {
                    return Err(Decline);
                }
                j += 1;
                break;
            }
            let (node, end) = self.flow_node(j, parent)?;
            j = self.flow_space(end, parent)?;
            if map {
                if self.at(j) != b':' {
                    return Err(Decline);
                }
                check_fresh(&entries, &mut hashed, &node)?;
                j = self.flow_space(j + 1, parent)?;
                if matches!(self.at(j), b',' | b'}') {
                    return Err(Decline);
                }
                let (value, end) = self.flow_node(j, parent)?;
                entries.push((node, value));
                j = self.flow_space(end, parent)?;
            } else {
                if self.at(j) == b':' {
                    return Err(Decline);
                }
                items.push(node);
            }
            match self.at(j) {
                b',' => j = self.flow_space(j + 1, parent)?,
                c if c == close => {}
                _ => return Err(Decline),
            }
        }
        self.depth -= 1;
        let kind = if map {
            Kind::Map(entries)
        } else {
            Kind::Seq(items)
        };
        Ok((Node::collection(i, 1, kind), j))
    }

    fn flow_node(&mut self, j: usize, parent: usize) -> R<(Node<'a>, usize)> {
        match self.at(j) {
            b'"' | b'\'' => self.quoted(j, parent),
            b'[' | b'{' => self.flow(j, parent),
            b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' | b'|' | b'>' => {
                Err(Decline)
            }
            b'-' | b'?' | b':' if matches!(self.at(j + 1), b' ' | b'\t' | b'\n') => Err(Decline),
            _ => {
                // A plain scalar in flow context ends at a flow indicator, a
                // value colon, a comment or the end of the line.
                let le = self.line_end(j);
                let mut k = j;
                while k < le {
                    let c = self.at(k);
                    if matches!(c, b',' | b'[' | b']' | b'{' | b'}') {
                        break;
                    }
                    if c == b':'
                        && matches!(self.at(k + 1), b' ' | b'\t' | b'\n' | b',' | b']' | b'}')
                    {
                        break;
                    }
                    if is_ws(c) && self.at(k + 1) == b'#' {
                        break;
                    }
                    k += 1;
                }
                if matches!(self.at(k), b'[' | b'{') {
                    return Err(Decline);
                }
                let end = self.trim_end(j, k);
                if end == j {
                    return Err(Decline);
                }
                let text = self.src.get(j..end).ok_or(Decline)?;
                Ok((Node::scalar(j, end, Cow::Borrowed(text), true), end))
            }
        }
    }
}
