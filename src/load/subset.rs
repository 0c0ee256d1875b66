//! A fast reader for the part of YAML that plans are written in.
//!
//! serde-saphyr stays the authority. This reader either yields exactly the
//! value serde-saphyr would, or declines, and then serde-saphyr reads the file
//! and reports any error at its location. Declining is always safe, so
//! everything unusual declines: anchors, aliases, tags, directives, document
//! markers, tabs in indentation, CR line ends, non-printable characters,
//! duplicate keys, more-indented lines in folded scalars, scalars whose type
//! YAML resolves in surprising ways (`yes`, `0x1F`, `1e3`, `~` as text), and
//! any error of the target type (an unknown key, a missing one). The
//! differential tests in `tests/subset.rs` hold it to serde-saphyr's values
//! and spans on every plan and fixture and on thousands of mutated plans.
//!
//! Why it exists: `check` over a large repository spent most of its time in
//! serde-saphyr, which reads about 12 MB/s per core. Plans use a small, regular
//! part of YAML, and reading only that part is several times faster.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

/// Deeper documents are left to serde-saphyr, which enforces its own budget.
const MAX_DEPTH: usize = 32;

/// Reads `text` as `T`, or `None` when the text is outside the subset or does
/// not deserialise (serde-saphyr then decides and explains).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let node = Parser::new(text).document().ok()?;
    crate::plan::spanned::with_protocol(|| T::deserialize(De(node)).ok())
}

// ---------------------------------------------------------------- tree

#[derive(Debug)]
enum Kind<'a> {
    Null,
    /// `plain` scalars are typed by YAML's rules; quoted and block ones are text.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

/// A node and the byte range serde-saphyr reports for it: a scalar's text
/// (with its quotes), a block collection's first key or dash (empty), a flow
/// collection's opening bracket.
#[derive(Debug)]
struct Node<'a> {
    start: usize,
    len: usize,
    kind: Kind<'a>,
}

impl<'a> Node<'a> {
    fn scalar(start: usize, end: usize, mut text: Cow<'a, str>, plain: bool) -> Node<'a> {
        // Folded text grew by doubling; it moves into the plan as it is, so
        // give back the slack (glibc shrinks in place).
        if let Cow::Owned(t) = &mut text {
            t.shrink_to_fit();
        }
        Node {
            start,
            len: end - start,
            kind: Kind::Scalar { text, plain },
        }
    }
    fn null(at: usize) -> Node<'a> {
        Node::collection(at, 0, Kind::Null)
    }
    /// A block collection spans its first key or dash (`len` 0), a flow one
    /// its opening bracket (`len` 1), as serde-saphyr reports them.
    fn collection(start: usize, len: usize, kind: Kind<'a>) -> Node<'a> {
        Node { start, len, kind }
    }
}

/// The reader declines; serde-saphyr takes over.
#[derive(Debug)]
struct Decline;
type R<T> = Result<T, Decline>;

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

// ---------------------------------------------------------------- parser

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    depth: usize,
}

fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Parser<'a> {
        Parser {
            src,
            b: src.as_bytes(),
            depth: 0,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(b'\n')
    }

    fn line_end(&self, from: usize) -> usize {
        memchr::memchr(b'\n', self.b.get(from..).unwrap_or(&[]))
            .map(|i| from + i)
            .unwrap_or(self.b.len())
    }

    fn next_line(&self, from: usize) -> usize {
        (self.line_end(from) + 1).min(self.b.len())
    }

    /// Spaces at the start of the line; a tab there declines.
    fn indent(&self, ls: usize) -> R<usize> {
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

    fn document(&mut self) -> R<Node<'a>> {
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

    fn is_dash(&self, i: usize) -> bool {
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

    fn trim_end(&self, from: usize, mut end: usize) -> usize {
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
            } else if self.at(j) == b'\t' || self.is_dash(j) {
                return Err(Decline);
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
    fn plain(&mut self, i: usize, parent: usize) -> R<(Node<'a>, usize)> {
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
    fn quoted(&mut self, i: usize, parent: usize) -> R<(Node<'a>, usize)> {
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
    fn block_scalar(&mut self, i: usize, parent: usize) -> R<(Node<'a>, usize)> {
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

// ---------------------------------------------------------------- serde

/// Any error: the reader declines and serde-saphyr takes over.
#[derive(Debug)]
pub struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("outside the fast YAML subset")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Declined
    }
}

/// Deserialises a node by value, so text folded by the parser moves into
/// the plan without a second copy.
struct De<'a>(Node<'a>);

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

/// A decimal integer as YAML writes it canonically; anything cleverer
/// (`+1`, `012`, `1_000`, `0x1F`) is left to serde-saphyr.
fn canonical_int(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

fn canonical_float(s: &str) -> bool {
    match s.split_once('.') {
        None => canonical_int(s),
        Some((int, frac)) => {
            canonical_int(int) && !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit())
        }
    }
}

/// Plain scalars that YAML might read as something other than text.
fn maybe_typed(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
        )
}

fn visit_text<'de, V: Visitor<'de>>(text: Cow<'_, str>, v: V) -> Result<V::Value, Declined> {
    match text {
        Cow::Borrowed(b) => v.visit_str(b),
        Cow::Owned(o) => v.visit_string(o),
    }
}

fn visit_int<'de, V: Visitor<'de>>(s: &str, v: V) -> Result<V::Value, Declined> {
    if !canonical_int(s) {
        return Err(Declined);
    }
    match s.parse::<i64>() {
        Ok(i) => v.visit_i64(i),
        Err(_) => v.visit_u64(s.parse().map_err(|_| Declined)?),
    }
}

impl De<'_> {
    fn plain(&self) -> Option<&str> {
        match &self.0.kind {
            Kind::Scalar { text, plain: true } => Some(text),
            _ => None,
        }
    }
    /// A plain decimal number, parsed straight to the target width.
    fn float<F: std::str::FromStr>(&self) -> Result<F, Declined> {
        let s = self
            .plain()
            .filter(|s| canonical_float(s))
            .ok_or(Declined)?;
        s.parse().map_err(|_| Declined)
    }
}

macro_rules! ints {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
            visit_int(self.plain().ok_or(Declined)?, v)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for De<'_> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Null => v.visit_unit(),
            Kind::Scalar { text, plain: false } => visit_text(text, v),
            Kind::Scalar { text, plain: true } => {
                if is_null(&text) {
                    v.visit_unit()
                } else if text == "true" || text == "false" {
                    v.visit_bool(text == "true")
                } else if canonical_int(&text) {
                    visit_int(&text, v)
                } else if maybe_typed(&text) {
                    Err(Declined)
                } else {
                    visit_text(text, v)
                }
            }
            Kind::Seq(items) => v.visit_seq(Seq(items.into_iter())),
            Kind::Map(entries) => v.visit_map(Map {
                it: entries.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.plain() {
            Some("true") => v.visit_bool(true),
            Some("false") => v.visit_bool(false),
            _ => Err(Declined),
        }
    }

    ints!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
          deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        v.visit_f32(self.float()?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        v.visit_f64(self.float()?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Scalar { text, plain } if !(plain && is_null(&text)) => visit_text(text, v),
            _ => Err(Declined),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match &self.0.kind {
            Kind::Null => v.visit_none(),
            Kind::Scalar { text, plain: true } if is_null(text) => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Null => v.visit_unit(),
            _ => Err(Declined),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Declined> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, Declined> {
        if name == crate::plan::spanned::SPANNED {
            v.visit_seq(Spanned {
                start: self.0.start,
                len: self.0.len,
                node: Some(self.0),
                step: 0,
            })
        } else {
            v.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Seq(items) => v.visit_seq(Seq(items.into_iter())),
            _ => Err(Declined),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Declined> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, Declined> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Map(entries) => v.visit_map(Map {
                it: entries.into_iter(),
                value: None,
            }),
            _ => Err(Declined),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        self.deserialize_map(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Scalar { .. } => v.visit_enum(Enum {
                variant: self.0,
                value: None,
            }),
            Kind::Map(entries) if entries.len() == 1 => {
                let Some((variant, value)) = entries.into_iter().next() else {
                    return Err(Declined);
                };
                v.visit_enum(Enum {
                    variant,
                    value: Some(value),
                })
            }
            _ => Err(Declined),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        v.visit_unit()
    }
}

struct Seq<'a>(std::vec::IntoIter<Node<'a>>);

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = Declined;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Declined> {
        self.0.next().map(|n| seed.deserialize(De(n))).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'a> {
    it: std::vec::IntoIter<(Node<'a>, Node<'a>)>,
    value: Option<Node<'a>>,
}

impl<'de> de::MapAccess<'de> for Map<'_> {
    type Error = Declined;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Declined> {
        match self.it.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(De(k)).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Declined> {
        let v = self.value.take().ok_or(Declined)?;
        seed.deserialize(De(v))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.it.len())
    }
}

struct Enum<'a> {
    variant: Node<'a>,
    value: Option<Node<'a>>,
}

impl<'de, 'a> de::EnumAccess<'de> for Enum<'a> {
    type Error = Declined;
    type Variant = Variant<'a>;
    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Variant<'a>), Declined> {
        let v = seed.deserialize(De(self.variant))?;
        Ok((v, Variant(self.value)))
    }
}

struct Variant<'a>(Option<Node<'a>>);

impl<'de> de::VariantAccess<'de> for Variant<'_> {
    type Error = Declined;
    fn unit_variant(self) -> Result<(), Declined> {
        match self.0 {
            None => Ok(()),
            Some(_) => Err(Declined),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Declined> {
        seed.deserialize(De(self.0.ok_or(Declined)?))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Declined> {
        de::Deserializer::deserialize_seq(De(self.0.ok_or(Declined)?), v)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        de::Deserializer::deserialize_map(De(self.0.ok_or(Declined)?), v)
    }
}

/// The span protocol of [`crate::plan::Spanned`]: start, length, then the value.
struct Spanned<'a> {
    start: usize,
    len: usize,
    node: Option<Node<'a>>,
    step: u8,
}

impl<'de> de::SeqAccess<'de> for Spanned<'_> {
    type Error = Declined;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Declined> {
        self.step += 1;
        match self.step {
            1 => seed
                .deserialize((self.start as u64).into_deserializer())
                .map(Some),
            2 => seed
                .deserialize((self.len as u64).into_deserializer())
                .map(Some),
            _ => match self.node.take() {
                Some(n) => seed.deserialize(De(n)).map(Some),
                None => Ok(None),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(y: &str) -> Option<Node<'_>> {
        Parser::new(y).document().ok()
    }

    fn text<'n>(n: &'n Node, key: &str) -> &'n str {
        let Kind::Map(es) = &n.kind else {
            panic!("not a map")
        };
        for (k, v) in es {
            if let (Kind::Scalar { text: kt, .. }, Kind::Scalar { text, .. }) = (&k.kind, &v.kind)
                && kt == key
            {
                return text;
            }
        }
        panic!("no key {key}")
    }

    #[test]
    fn folds_plain_and_block_scalars_like_yaml() {
        let n =
            parse("a: one\n  two\n\n  three\nb: >-\n  x\n  y\n\n  z\nc: |\n  l1\n   l2\n").unwrap();
        assert_eq!(text(&n, "a"), "one two\nthree");
        assert_eq!(text(&n, "b"), "x y\nz");
        assert_eq!(text(&n, "c"), "l1\n l2\n");
    }

    #[test]
    fn decodes_quoted_scalars() {
        let n = parse("a: \"x\\ty \\u0416\"\nb: 'it''s'\nc: \"multi\n  line\"\n").unwrap();
        assert_eq!(text(&n, "a"), "x\ty Ж");
        assert_eq!(text(&n, "b"), "it's");
        assert_eq!(text(&n, "c"), "multi line");
    }

    #[test]
    fn declines_what_it_does_not_read() {
        for y in [
            "a: &x 1\nb: *x\n",
            "a: !tag x\n",
            "---\na: 1\n",
            "a: 1\na: 2\n",
            "a: b: c\n",
            "a:\n\t- x\n",
            "a: 1\r\nb: 2\r\n",
            "a: |2\n   x\n",
            "a: >\n  x\n    y\n",
            "- a\n",
        ] {
            assert!(parse(y).is_none(), "{y:?}");
        }
    }
}
