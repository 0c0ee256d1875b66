//! What diagnostics print goes to a terminal: control characters of the
//! plans (an ESC that clears the screen or retitles the window, a NUL, a
//! carriage return that overwrites the line) are shown escaped, and a line
//! is cut after [`MAX_LINE_CHARS`] characters so a 100,000-character value is
//! not echoed whole. Colours still pass: they are set by `set_color`, not
//! written as text.

use std::io::{self, Write};

use codespan_reporting::term::termcolor::{ColorSpec, WriteColor};

/// Longest line printed; the rest of it is shown as «…».
pub const MAX_LINE_CHARS: usize = 400;

/// The Russian word for the severity label codespan writes.
fn russian_label(s: &str) -> Option<&'static str> {
    Some(match s {
        "error" => "ошибка",
        "warning" => "предупреждение",
        "bug" => "внутренняя ошибка",
        "note" => "примечание",
        "help" => "подсказка",
        _ => return None,
    })
}

pub struct Escaping<'a> {
    inner: &'a mut dyn WriteColor,
    /// Characters of the current line written so far.
    column: usize,
    /// Bytes of a character split across two `write` calls.
    pending: Vec<u8>,
}

impl<'a> Escaping<'a> {
    pub fn new(inner: &'a mut dyn WriteColor) -> Escaping<'a> {
        Escaping {
            inner,
            column: 0,
            pending: Vec::new(),
        }
    }

    fn text(&mut self, s: &str) -> io::Result<()> {
        // The renderer writes a diagnostic's severity as one word at the
        // start of its first line: the clerk reads it in Russian, as the
        // rest («ошибка[unknown-person]: …»).
        if self.column == 0
            && let Some(ru) = russian_label(s)
        {
            self.column += ru.chars().count();
            return self.inner.write_all(ru.as_bytes());
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c == '\n' {
                self.column = 0;
                out.push(c);
                continue;
            }
            if self.column >= MAX_LINE_CHARS {
                continue;
            }
            self.column += 1;
            if self.column == MAX_LINE_CHARS {
                out.push('…');
                continue;
            }
            if c != '\t'
                && (c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
        }
        self.inner.write_all(out.as_bytes())
    }
}

impl Write for Escaping<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.pending);
        let valid = match std::str::from_utf8(&bytes) {
            Ok(_) => bytes.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 at all: show it as the lossy text it is.
            Err(_) => {
                self.text(&String::from_utf8_lossy(&bytes))?;
                return Ok(buf.len());
            }
        };
        let (done, rest) = bytes.split_at(valid);
        self.text(std::str::from_utf8(done).unwrap_or_default())?;
        self.pending = rest.to_vec();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl WriteColor for Escaping<'_> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.inner.reset()
    }
}

#[cfg(test)]
mod tests {
    use codespan_reporting::term::termcolor::NoColor;

    use super::*;

    fn through(s: &str) -> String {
        let mut buf = NoColor::new(Vec::new());
        Escaping::new(&mut buf)
            .write_all(s.as_bytes())
            .expect("write");
        String::from_utf8(buf.into_inner()).expect("utf-8")
    }

    #[test]
    fn control_characters_are_shown_escaped_and_lines_are_capped() {
        assert_eq!(
            through("a\u{1b}]0;x\u{7}b\r\0\n\tok"),
            "a\\u{1b}]0;x\\u{7}b\\u{d}\\u{0}\n\tok"
        );
        assert_eq!(through("имя\u{202e}txt"), "имя\\u{202e}txt");
        let long = through(&format!("{}\nnext", "я".repeat(100_000)));
        let first = long.lines().next().unwrap_or("");
        assert_eq!(first.chars().count(), MAX_LINE_CHARS);
        assert!(first.ends_with('…'));
        assert!(long.ends_with("\nnext"));
    }

    #[test]
    fn a_character_split_between_writes_is_kept_whole() {
        let mut buf = NoColor::new(Vec::new());
        {
            let mut w = Escaping::new(&mut buf);
            let bytes = "ж".as_bytes();
            w.write_all(&bytes[..1]).expect("write");
            w.write_all(&bytes[1..]).expect("write");
        }
        assert_eq!(String::from_utf8(buf.into_inner()).expect("utf-8"), "ж");
    }
}
