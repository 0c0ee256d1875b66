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
//! differential tests in `tests/it/subset.rs` hold it to serde-saphyr's values
//! and spans on every plan and fixture and on thousands of mutated plans.
//!
//! Why it exists: `check` over a large repository spent most of its time in
//! serde-saphyr, which reads about 12 MB/s per core. Plans use a small, regular
//! part of YAML, and reading only that part is several times faster.

mod de;
mod parser;
mod scalars;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use serde::de::DeserializeOwned;

use de::De;
pub use de::Declined;
use parser::Parser;

/// Reads `text` as `T`, or `None` when the text is outside the subset or does
/// not deserialise (serde-saphyr then decides and explains).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let node = Parser::new(text).document().ok()?;
    crate::plan::spanned::with_protocol(|| T::deserialize(De(node)).ok())
}

// The node tree: built by `parser`, consumed by `de`.

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
