//! Budgets for what one document expands to: rows of a table, texts (cells
//! and paragraphs), the length of one text and of the whole document. The
//! file-size cap bounds what is read; these bound what is typeset, so that
//! a plan `check` passes is one `build` can lay out in bounded memory.
//!
//! The limits are far above any real order (the largest seed has 92 rows
//! and 60 KB of text) and far below what exhausts a build machine: a
//! document at any one of them builds in under 5 s and 1.2 GB (README,
//! «Benchmarks»), where the probe's 100,000-row table took 7 GB.

use crate::diag::{Code, Diagnostic, FileId, Sources, Span};
use crate::index::{Unit, span_of};
use crate::plan::BlockSpec;

use super::texts::{Item, locate};

/// Rows of one table (activities, indicators, any table, a marker matrix).
pub const MAX_ROWS: usize = 5_000;
/// Texts of one document: every cell, clause, heading and list item.
pub const MAX_TEXTS: usize = 20_000;
/// Characters of one text after its references are expanded.
pub const MAX_TEXT_CHARS: usize = 50_000;
/// Characters of one document, about 1,000 printed pages.
pub const MAX_DOCUMENT_CHARS: usize = 2_000_000;

/// Where each row of a table starts, for locating the first one over the limit.
fn row_spans(file: FileId, b: &BlockSpec) -> Vec<Span> {
    match b {
        BlockSpec::Activities(t) => t
            .rows
            .iter()
            .chain(t.sections.iter().flat_map(|s| s.rows.iter()))
            .map(|r| span_of(file, r))
            .collect(),
        BlockSpec::Indicators(t) => t.rows.iter().map(|r| span_of(file, &r.indicator)).collect(),
        BlockSpec::Table(t) => t.rows.iter().map(|r| span_of(file, r)).collect(),
        BlockSpec::Markers(m) => m
            .rows
            .iter()
            .filter_map(|r| r.label.as_ref().map(|l| span_of(file, l)))
            .collect(),
        BlockSpec::Groups(g) => g
            .groups
            .iter()
            .flat_map(|gr| gr.items.iter().map(|t| span_of(file, t)))
            .collect(),
        _ => Vec::new(),
    }
}

fn rows_in(b: &BlockSpec) -> usize {
    match b {
        BlockSpec::Activities(t) => {
            t.rows.len() + t.sections.iter().map(|s| s.rows.len()).sum::<usize>()
        }
        BlockSpec::Indicators(t) => t.rows.len(),
        BlockSpec::Table(t) => t.rows.len(),
        BlockSpec::Markers(m) => m.rows.len(),
        BlockSpec::Groups(g) => g.groups.iter().map(|gr| gr.items.len()).sum(),
        _ => 0,
    }
}

/// Reports every table over [`MAX_ROWS`], at its first row over the limit
/// (or at the block when that row has no location of its own).
pub(super) fn check_rows(unit: &Unit, diags: &mut Vec<Diagnostic>) {
    for (file, blocks) in unit.block_lists() {
        for b in blocks {
            let n = rows_in(b.get());
            if n <= MAX_ROWS {
                continue;
            }
            let at = row_spans(file, b.get())
                .get(MAX_ROWS)
                .cloned()
                .unwrap_or_else(|| span_of(file, b));
            diags.push(over(
                at,
                format!("в таблице {n} строк, больше допустимых {MAX_ROWS}"),
                "разделите таблицу на несколько приложений или документов",
            ));
        }
    }
}

/// Checks the length of each text (`expanded` gives its length after
/// references, when it has any) and the totals of the document.
pub(super) struct Volume {
    texts: usize,
    chars: usize,
    reported: bool,
}

impl Volume {
    pub(super) fn new() -> Volume {
        Volume {
            texts: 0,
            chars: 0,
            reported: false,
        }
    }

    pub(super) fn add(
        &mut self,
        sources: &Sources,
        it: &Item,
        chars: usize,
        diags: &mut Vec<Diagnostic>,
    ) {
        self.texts += 1;
        self.chars = self.chars.saturating_add(chars);
        if chars > MAX_TEXT_CHARS {
            diags.push(over(
                start(sources, it),
                format!("текст длиной {chars} знаков, больше допустимых {MAX_TEXT_CHARS}"),
                "разбейте текст на несколько пунктов или абзацев",
            ));
        }
        if self.reported {
            return;
        }
        let what = if self.texts > MAX_TEXTS {
            format!("в документе больше {MAX_TEXTS} текстов (ячеек, пунктов, абзацев)")
        } else if self.chars > MAX_DOCUMENT_CHARS {
            format!("в документе больше {MAX_DOCUMENT_CHARS} знаков текста (около 1000 страниц)")
        } else {
            return;
        };
        self.reported = true;
        diags.push(over(
            start(sources, it),
            what,
            "разделите документ: вынесите часть приложений в отдельные документы",
        ));
    }
}

/// The first character of a text: a span over 50,000 characters would only
/// flood the terminal.
fn start(sources: &Sources, it: &Item) -> Span {
    let first = it.text.get().chars().next().map_or(0, char::len_utf8);
    locate(sources, it.file, it.text, 0..first)
}

fn over(at: Span, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(Code::TooBig, message).at(at).hint(hint)
}
