//! Positions and names: LSP speaks UTF-16 line/character pairs and file
//! URIs; the pipeline speaks byte offsets and names relative to the root.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

/// Line starts of a text, for turning offsets into positions and back.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The UTF-16 position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// Where line `line` ends, before its `\n` or `\r\n`.
    fn line_end(&self, line: usize) -> usize {
        let end = self
            .starts
            .get(line + 1)
            .map(|&e| e - 1)
            .unwrap_or(self.text.len());
        let start = self.starts.get(line).copied().unwrap_or(0);
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }

    /// The byte offset of a UTF-16 position; past the end of a line is its
    /// end, past the last line the end of the text (as the protocol asks).
    pub fn offset(&self, p: Position) -> usize {
        let Some(&start) = self.starts.get(p.line as usize) else {
            return self.text.len();
        };
        let end = self.line_end(p.line as usize);
        let line = &self.text[start..end];
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= p.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

/// Applies an editor's change to a text: a range replaced, or (no range)
/// the whole text.
pub fn apply_change(text: &mut String, range: Option<Range>, new: &str) {
    match range {
        None => *text = new.to_string(),
        Some(r) => {
            let lines = Lines::new(text);
            let start = lines.offset(r.start);
            let end = lines.offset(r.end).max(start);
            text.replace_range(start..end, new);
        }
    }
}

/// The path a `file:` URI names.
pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path.
pub fn path_uri(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "kind: order\nзаголовок: «𝄞 ноты»\n";
        let lines = Lines::new(text);
        let at = text.find("ноты").unwrap();
        let p = lines.position(at);
        // «, 𝄞 (two units), space: the Cyrillic key counts one unit per letter.
        assert_eq!(p, Position::new(1, 15));
        assert_eq!(lines.offset(p), at);
        assert_eq!(lines.offset(Position::new(1, 999)), text.len() - 1);
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn a_crlf_line_ends_before_its_carriage_return() {
        let text = "kind: order\r\nid: x\r\n";
        let lines = Lines::new(text);
        assert_eq!(lines.offset(Position::new(0, 99)), "kind: order".len());
        assert_eq!(lines.position(text.find("x").unwrap()), Position::new(1, 4));
    }

    #[test]
    fn an_incremental_change_replaces_exactly_its_range() {
        let mut text = "signatory: fominykh\nexecutor: ivanova\n".to_string();
        apply_change(
            &mut text,
            Some(Range::new(Position::new(0, 11), Position::new(0, 19))),
            "petrov",
        );
        assert_eq!(text, "signatory: petrov\nexecutor: ivanova\n");
        apply_change(&mut text, None, "kind: registry\n");
        assert_eq!(text, "kind: registry\n");
    }

    #[test]
    fn file_uris_with_cyrillic_folders_round_trip() {
        let p = Path::new("/tmp/планы/приказ.yaml");
        let uri = path_uri(p).unwrap();
        assert!(uri.as_str().starts_with("file:///tmp/"));
        assert_eq!(uri_path(&uri).unwrap(), p);
    }
}
