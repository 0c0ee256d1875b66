//! `allow:` lists of files and table rows: unknown rule codes are reported,
//! diagnostics inside an allowing scope are dropped.

use crate::diag::{Code, Diagnostic, FileId, Span, closest};
use crate::index::span_of;
use crate::load::{Parsed, Workspace};
use crate::plan::{BlockSpec, RowSpec, Spanned, Text};

/// The source extent of a table row: from its start to the end of its last
/// value (a mapping's own span covers only its first token).
fn row_extent(file: FileId, r: &Spanned<RowSpec>) -> Span {
    let mut span = span_of(file, r);
    let values = r
        .cells
        .iter()
        .flat_map(|(k, v)| [k, v])
        .chain(r.id.iter())
        .chain(r.number.iter())
        .chain(r.allow.iter());
    for v in values {
        let s = span_of(file, v);
        span.start = span.start.min(s.start);
        span.end = span.end.max(s.end);
    }
    span
}

#[allow(clippy::type_complexity)]
pub(super) fn apply_allow(ws: &Workspace, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let mut scopes: Vec<(Span, &str)> = Vec::new();
    let mut out = Vec::new();
    let mut add = |file: FileId,
                   whole: bool,
                   span: Span,
                   allow: &[Text],
                   out: &mut Vec<Diagnostic>| {
        for a in allow {
            let code = a.get().trim();
            if let Some(c) = codes.iter().find(|c| **c == code) {
                let scope = if whole {
                    Span {
                        file,
                        start: 0,
                        end: usize::MAX,
                    }
                } else {
                    span
                };
                scopes.push((scope, c));
            } else {
                out.push(
                    Diagnostic::error(Code::UnknownRule, format!("неизвестное правило «{code}»"))
                        .at(span_of(file, a))
                        .hint_opt(
                            closest(code, codes.iter().copied())
                                .map(|c| format!("возможно, имелось в виду «{c}»")),
                        ),
                );
            }
        }
    };
    let row_allows =
        |file: FileId,
         blocks: &[Spanned<BlockSpec>],
         out: &mut Vec<Diagnostic>,
         add: &mut dyn FnMut(FileId, bool, Span, &[Text], &mut Vec<Diagnostic>)| {
            for b in blocks {
                if let BlockSpec::Activities(t) = b.get() {
                    for r in t
                        .rows
                        .iter()
                        .chain(t.sections.iter().flat_map(|s| s.rows.iter()))
                    {
                        if !r.allow.is_empty() {
                            add(file, false, row_extent(file, r), &r.allow, out);
                        }
                    }
                }
            }
        };
    for (file, p) in &ws.files {
        let file = *file;
        let zero = Span {
            file,
            start: 0,
            end: 0,
        };
        match p {
            Parsed::Order(o) => add(file, true, zero, &o.allow, &mut out),
            Parsed::Appendix(a) => {
                add(file, true, zero, &a.allow, &mut out);
                row_allows(file, &a.blocks, &mut out, &mut add);
            }
            Parsed::Document(d) => {
                add(file, true, zero, &d.allow, &mut out);
                row_allows(file, &d.blocks, &mut out, &mut add);
            }
            _ => {}
        }
    }
    for d in diags {
        let suppressed = d.span.is_some_and(|s| {
            scopes.iter().any(|(scope, code)| {
                d.code == *code
                    && scope.file == s.file
                    && scope.start <= s.start
                    && s.end <= scope.end
            })
        });
        if !suppressed {
            out.push(d);
        }
    }
    out
}
