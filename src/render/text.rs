//! Plain text of a document, one paragraph or table row per line, with its
//! computed numbers: what `git diff` shows through the textconv driver. Line
//! breaks inside a paragraph become ` / ` so one change touches one line.

use crate::model::column_titles;
use crate::model::{Block, Body, Clause, Document, Order, Row};

pub fn render(doc: &Document) -> String {
    let mut out = Vec::new();
    match &doc.body {
        Body::Order(o) => order(&mut out, o),
        Body::Standalone(s) => {
            push(&mut out, s.stamp.join(" / "));
            push(&mut out, s.title.join(" / "));
            out.push(String::new());
            blocks(&mut out, &s.blocks);
        }
        Body::Bundle(b) => {
            push(&mut out, b.cover.join(" / "));
            out.push(String::new());
            push(&mut out, b.contents_title.clone());
            for e in &b.entries {
                push(&mut out, e.text.clone());
            }
            for o in &b.orders {
                out.push(String::new());
                order(&mut out, o);
            }
        }
    }
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

fn order(out: &mut Vec<String>, o: &Order) {
    let lh = &o.letterhead;
    push(
        out,
        lh.parent_lines
            .iter()
            .chain(&lh.body_lines)
            .cloned()
            .collect::<Vec<_>>()
            .join(" / "),
    );
    push(out, lh.doc_kind.clone());
    push(out, format!("{}    {}", lh.date, lh.number));
    if let Some(p) = &lh.place {
        push(out, p.clone());
    }
    out.push(String::new());
    push(out, o.title.clone());
    out.push(String::new());
    for p in &o.preamble {
        push(out, p.clone());
    }
    push(out, o.operative.text.clone());
    fn walk(out: &mut Vec<String>, cs: &[Clause], depth: usize) {
        for c in cs {
            out.push(format!(
                "{}{} {}",
                "  ".repeat(depth),
                c.marker,
                one_line(&c.text)
            ));
            walk(out, &c.children, depth + 1);
        }
    }
    walk(out, &o.clauses, 0);
    out.push(String::new());
    let s = &o.signature;
    push(
        out,
        format!("{}    {}", s.position_lines.join(" / "), s.name),
    );
    if let Some(e) = &s.electronic {
        push(out, e.lines.join(" / "));
    }
    for v in &o.visas {
        push(out, format!("Виза: {} {} {}", v.position, v.name, v.date));
    }
    if let Some(e) = &o.executor {
        push(out, format!("Исполнитель: {}", e.lines.join(", ")));
    }
    for a in &o.appendices {
        out.push(String::new());
        push(out, a.stamp.join(" / "));
        push(out, a.title.join(" / "));
        out.push(String::new());
        blocks(out, &a.blocks);
    }
    if let Some(sheet) = &o.approval_sheet {
        out.push(String::new());
        push(out, sheet.title.join(" / "));
        blocks(
            out,
            std::slice::from_ref(&Block::Table(sheet.table.clone())),
        );
    }
    if let Some(q) = &o.qr {
        push(out, format!("QR: {}", q.text));
    }
}

fn blocks(out: &mut Vec<String>, bs: &[Block]) {
    for b in bs {
        match b {
            Block::Heading { text } | Block::Paragraph { text } => push(out, text.clone()),
            Block::List(l) => {
                for it in &l.items {
                    push(out, format!("{} {}", it.marker, it.text));
                }
            }
            Block::Table(t) => {
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
        }
    }
}
