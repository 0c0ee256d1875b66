//! Plain text of a document, one paragraph or table row per line, with its
//! computed numbers: what `git diff` shows through the textconv driver. Line
//! breaks inside a paragraph become ` / ` so one change touches one line.

use crate::model::walk::{Part, walk};
use crate::model::{Block, Document, Row, Table, column_titles};

pub fn render(doc: &Document) -> String {
    let mut out: Vec<String> = Vec::new();
    walk(doc, &mut |part| match part {
        Part::Cover(lines) => {
            push(&mut out, lines.join(" / "));
            out.push(String::new());
        }
        // Page numbers are the layout's, not the text's.
        Part::Contents(title, _, entries) => {
            push(&mut out, title.to_string());
            for e in entries {
                push(&mut out, e.text.clone());
            }
        }
        // The orders of a bundle are set apart by a blank line.
        Part::Order(_) => {
            if !out.is_empty() {
                out.push(String::new());
            }
        }
        Part::Letterhead(lh) => {
            push(
                &mut out,
                lh.parent_lines
                    .iter()
                    .chain(&lh.body_lines)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" / "),
            );
            push(&mut out, lh.doc_kind.clone());
            push(&mut out, format!("{}    {}", lh.date, lh.number));
            if let Some(p) = &lh.place {
                push(&mut out, p.clone());
            }
            out.push(String::new());
        }
        Part::Title(t) => {
            push(&mut out, t.to_string());
            out.push(String::new());
        }
        Part::Preamble(p) => push(&mut out, p.to_string()),
        Part::Operative(op) => push(&mut out, op.text.clone()),
        Part::Clause(c, depth) => out.push(format!(
            "{}{} {}",
            "  ".repeat(depth),
            c.marker,
            one_line(&c.text)
        )),
        Part::Signature(s) => {
            out.push(String::new());
            push(
                &mut out,
                format!("{}    {}", s.position_lines.join(" / "), s.name),
            );
            if let Some(e) = &s.electronic {
                push(&mut out, e.lines.join(" / "));
            }
        }
        Part::Visa(v) => push(
            &mut out,
            format!("Виза: {} {} {}", v.position, v.name, v.date),
        ),
        Part::Executor(e) => push(&mut out, format!("Исполнитель: {}", e.lines.join(", "))),
        Part::Heading { stamp, title } => {
            if !out.is_empty() {
                out.push(String::new());
            }
            push(&mut out, stamp.join(" / "));
            push(&mut out, title.join(" / "));
            out.push(String::new());
        }
        Part::Block(b) => block(&mut out, b),
        Part::ApprovalSheet(sheet) => {
            out.push(String::new());
            push(&mut out, sheet.title.join(" / "));
        }
        Part::Table(t) => table(&mut out, t),
        Part::Qr(q) => push(&mut out, format!("QR: {}", q.text)),
    });
    let mut s = out.join("\n");
    s.push('\n');
    s
}

fn one_line(s: &str) -> String {
    s.replace('\n', " / ")
}

fn push(out: &mut Vec<String>, s: String) {
    if !s.trim().is_empty() {
        out.push(one_line(&s));
    }
}

fn block(out: &mut Vec<String>, b: &Block) {
    match b {
        Block::Heading { text } | Block::Subheading { text } | Block::Paragraph { text } => {
            push(out, text.clone())
        }
        Block::List(l) => {
            for it in &l.items {
                push(out, format!("{} {}", it.marker, it.text));
            }
        }
        Block::Table(t) => table(out, t),
    }
}

fn table(out: &mut Vec<String>, t: &Table) {
    if let Some(c) = &t.caption {
        push(out, c.clone());
    }
    push(out, format!("[{}]", column_titles(t).join(" | ")));
    for r in &t.rows {
        match r {
            Row::Section { text, .. } => push(out, format!("## {text}")),
            Row::Cells { cells, .. } => {
                let cols: Vec<String> = cells
                    .iter()
                    .map(|c| {
                        c.paras
                            .iter()
                            .map(|p| match &p.marker {
                                Some(m) => format!("{m} {}", p.text),
                                None => p.text.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join(" / ")
                    })
                    .collect();
                push(out, cols.join(" | "));
            }
        }
    }
}
