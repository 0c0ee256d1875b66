//! What every reader produces: the document as a flat run of paragraphs and
//! tables, with the little formatting the recogniser needs (style name, bold,
//! page breaks, landscape sections). Readers know file formats; the
//! recogniser knows orders.

/// One paragraph: `\n` where the author broke the line, `\t` where they
/// tabbed (a date and a number on one line, a position and a name).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    pub text: String,
    /// The paragraph style's name as the file gives it (`PrikazClause`,
    /// `Heading 1`): a hint, never required.
    pub style: Option<String>,
    pub bold: bool,
    pub italic: bool,
    /// Letters set apart by character spacing («п р и к а з ы в а ю» made
    /// with the font's spacing rather than with spaces).
    pub spaced: bool,
    /// Text tables and Markdown: a blank line came before this one.
    pub gap_before: bool,
    /// A page or section starts here.
    pub page_break: bool,
    pub landscape: bool,
    /// Reviewers' comments anchored in this paragraph: (author, text).
    pub comments: Vec<(String, String)>,
    /// Where the paragraph starts in the source (line of a text file, or the
    /// paragraph's ordinal in a package), for the importer's own remarks.
    pub at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Merge {
    #[default]
    None,
    /// First cell of a vertically merged run.
    Restart,
    /// Covered by the cell above.
    Continue,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub paras: Vec<String>,
    pub span: usize,
    pub merge: Merge,
    pub bold: bool,
    pub italic: bool,
}

impl Cell {
    pub fn text(&self) -> String {
        self.paras.join("\n")
    }
    pub fn is_empty(&self) -> bool {
        self.paras.iter().all(|p| p.trim().is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    pub rows: Vec<Vec<Cell>>,
    /// Relative column widths when the file records them.
    pub widths: Vec<u32>,
    pub page_break: bool,
    pub landscape: bool,
    pub at: usize,
}

impl Grid {
    /// Number of grid columns: the widest row, spans counted.
    pub fn columns(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.iter().map(|c| c.span.max(1)).sum::<usize>())
            .max()
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Para(Para),
    Table(Grid),
}

/// Text as a plan holds it: no-break spaces and runs of spaces become one
/// space (typography puts the no-break ones back), soft hyphens go.
pub fn clean(s: &str) -> String {
    // Inner quotes „…“ are typography's: a plan writes «…«…»…» and the
    // renderer sets them again.
    let owned;
    let s = if s.contains('„') {
        owned = s.replace('„', "«").replace('“', "»");
        owned.as_str()
    } else {
        s
    };
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        if !out.is_empty() || s.starts_with('\n') {
            out.push('\n');
        }
        let mut prev_space = false;
        for ch in line.chars() {
            let ch = match ch {
                '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{2009}' | '\t' => ' ',
                '\u{ad}' | '\u{200b}' | '\u{feff}' => continue,
                c => c,
            };
            if ch == ' ' {
                if !prev_space {
                    out.push(' ');
                }
                prev_space = true;
            } else {
                out.push(ch);
                prev_space = false;
            }
        }
    }
    out.split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string()
}
