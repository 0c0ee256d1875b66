//! Diagnostics a clerk sees: a stable code, a one-line Russian message, the exact
//! place (file, line, column, with a source snippet as rustc shows it) and a hint.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use codespan_reporting::term::termcolor::WriteColor;
use serde::Serialize;

pub mod codes;
pub mod terminal;

pub use codes::Code;

pub type FileId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file, as a byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, kebab-case in output, e.g. `duplicate-id`; usable in `allow:`.
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
    pub span: Option<Span>,
    pub secondary: Vec<Label>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            span: None,
            secondary: Vec::new(),
        }
    }
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
    pub fn also(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}

/// All source files of a run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown to the user (relative where possible, `/` separators).
    pub name: String,
    pub text: String,
    /// Found on the first diagnostic in the file: most files never need them.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }
}

impl Sources {
    pub fn add(&mut self, name: String, text: String) -> FileId {
        self.files.push(SourceFile {
            name,
            text,
            line_starts: std::sync::OnceLock::new(),
        });
        self.files.len() - 1
    }

    /// Gives file `id` a new text (an edit in the editor, a re-read); its
    /// line index is found again when next needed.
    pub fn replace(&mut self, id: FileId, text: String) {
        if let Some(f) = self.files.get_mut(id) {
            f.text = text;
            f.line_starts = std::sync::OnceLock::new();
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id)
    }

    pub fn name(&self, id: FileId) -> &str {
        self.files.get(id).map(|f| f.name.as_str()).unwrap_or("?")
    }

    pub fn text(&self, id: FileId) -> &str {
        self.files.get(id).map(|f| f.text.as_str()).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let Some(f) = self.files.get(id) else {
            return (1, 1);
        };
        let offset = offset.min(f.text.len());
        let starts = f.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l.saturating_sub(1),
        };
        let start = starts.get(line).copied().unwrap_or(0);
        let col = f
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and column (in characters).
    pub fn offset_of(&self, id: FileId, line: u64, column: u64) -> usize {
        let Some(f) = self.files.get(id) else {
            return 0;
        };
        let line = usize::try_from(line).unwrap_or(1).max(1);
        let start = f
            .line_starts()
            .get(line - 1)
            .copied()
            .unwrap_or(f.text.len());
        let rest = f.text.get(start..).unwrap_or("");
        let col = usize::try_from(column).unwrap_or(1).max(1) - 1;
        start
            + rest
                .char_indices()
                .nth(col)
                .map(|(i, _)| i)
                .unwrap_or(rest.len())
    }
}

/// codespan reads the sources in place, with the lazily found line starts:
/// copying every text of a large repository into its own file table cost
/// more than the rules when there was nothing to report.
impl<'a> Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.files
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.files
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        Ok(match f.line_starts().binary_search(&byte_index) {
            Ok(l) => l,
            Err(next) => next.saturating_sub(1),
        })
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        let starts = f.line_starts();
        let start = |i: usize| match i.cmp(&starts.len()) {
            std::cmp::Ordering::Less => Ok(starts[i]),
            std::cmp::Ordering::Equal => Ok(f.text.len()),
            std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge {
                given: i,
                max: starts.len().saturating_sub(1),
            }),
        };
        Ok(start(line_index)?..start(line_index + 1)?)
    }
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human { color: bool },
    Json,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

pub fn count(diags: &[Diagnostic]) -> Counts {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Counts {
        errors,
        warnings: diags.len() - errors,
    }
}

/// Stable order: by file, position, then code.
/// Drops repeats of the same finding (same code, severity, place and
/// message) that two stages reported; `diags` must be sorted.
pub fn dedup(diags: &mut Vec<Diagnostic>) {
    diags.dedup_by(|b, a| {
        a.code == b.code && a.severity == b.severity && a.span == b.span && a.message == b.message
    });
}

pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let ka = a.span.map(|s| (s.file, s.start));
        let kb = b.span.map(|s| (s.file, s.start));
        ka.cmp(&kb)
            .then_with(|| a.code.as_str().cmp(b.code.as_str()))
            .then_with(|| a.message.cmp(&b.message))
    });
}

#[derive(Serialize)]
struct JsonDiag<'a> {
    code: &'a str,
    severity: Severity,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

/// One JSON object per line (JSON Lines), easy to stream and to grep.
pub fn to_json(sources: &Sources, d: &Diagnostic) -> String {
    let (line, column) = match d.span {
        Some(s) => {
            let (l, c) = sources.line_col(s.file, s.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let j = JsonDiag {
        code: d.code.as_str(),
        severity: d.severity,
        file: d.span.map(|s| sources.name(s.file)),
        line,
        column,
        message: &d.message,
        hint: d.hint.as_deref(),
        related: d
            .secondary
            .iter()
            .map(|l| {
                let (line, column) = sources.line_col(l.span.file, l.span.start);
                JsonRelated {
                    file: sources.name(l.span.file),
                    line,
                    column,
                    message: &l.message,
                }
            })
            .collect(),
    };
    serde_json::to_string(&j).unwrap_or_default()
}

/// Renders diagnostics as text with source snippets (rustc style).
pub fn emit(
    out: &mut dyn WriteColor,
    sources: &Sources,
    diags: &[Diagnostic],
) -> std::io::Result<()> {
    let mut escaping = terminal::Escaping::new(out);
    let out: &mut dyn WriteColor = &mut escaping;
    let config = term::Config::default();
    for d in diags {
        let sev = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut labels = Vec::new();
        if let Some(s) = d.span {
            labels.push(cs::Label::primary(s.file, clamp(sources, s)));
        }
        for l in &d.secondary {
            labels.push(
                cs::Label::secondary(l.span.file, clamp(sources, l.span))
                    .with_message(l.message.clone()),
            );
        }
        let mut notes = Vec::new();
        if let Some(h) = &d.hint {
            notes.push(format!("подсказка: {h}"));
        }
        let diag = cs::Diagnostic::new(sev)
            .with_code(d.code.as_str())
            .with_message(d.message.clone())
            .with_labels(labels)
            .with_notes(notes);
        if term::emit_to_write_style(&mut *out, &config, sources, &diag).is_err() {
            writeln!(out, "{}: {}", d.code, d.message)?;
        }
    }
    Ok(())
}

fn clamp(sources: &Sources, s: Span) -> std::ops::Range<usize> {
    let text = sources.text(s.file);
    let mut start = s.start.min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = s.end.clamp(start, text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Diagnostics as plain text, for tests and snapshots.
pub fn render_plain(sources: &Sources, diags: &[Diagnostic]) -> String {
    let mut buf = term::termcolor::NoColor::new(Vec::new());
    let _ = emit(&mut buf, sources, diags);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// `итого: 2 ошибки, 1 предупреждение`.
pub fn summary(c: Counts, files: usize) -> String {
    format!(
        "итого: {} {}, {} {} в {} {}",
        c.errors,
        plural(c.errors, "ошибка", "ошибки", "ошибок"),
        c.warnings,
        plural(
            c.warnings,
            "предупреждение",
            "предупреждения",
            "предупреждений"
        ),
        files,
        plural(files, "файле", "файлах", "файлах"),
    )
}

/// Russian plural form for a count.
pub fn plural<'a>(n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let n100 = n % 100;
    let n10 = n % 10;
    if (11..=14).contains(&n100) {
        many
    } else if n10 == 1 {
        one
    } else if (2..=4).contains(&n10) {
        few
    } else {
        many
    }
}

/// The closest candidate by edit distance, when it is close enough to be a likely typo.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests;
