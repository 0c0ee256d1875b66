//! DOCX parity helpers: the text a DOCX body reads, and the text the model
//! says it must read (as the PDF template prints it).

use prikaz::model::*;
use prikaz::render::docx::{
    Slot, body_cells, cell_para_text, clause_text, header_layout, list_item_text,
};

use crate::common::docx_xml;

/// The text of a DOCX body, paragraph by paragraph in document order (table
/// cells row by row, cell by cell); tabs as `\t`, line breaks as `\n`; empty
/// paragraphs skipped. Compared by the parity tests with [`expected_text`].
pub fn text_of(docx: &[u8]) -> Vec<String> {
    // A contents line's page numbers (PAGEREF results, «3–9») read as «#».
    let pages = regex::Regex::new(r"\t\d*(?:–\d*)?$").expect("regex");
    paragraph_texts(&docx_xml(docx))
        .into_iter()
        .map(|p| pages.replace(&p, "\t#").into_owned())
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn paragraph_texts(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut in_text = false;
    let mut rest = xml;
    while let Some(pos) = rest.find('<') {
        if in_text && let Some(c) = cur.as_mut() {
            c.push_str(&unescape(&rest[..pos]));
        }
        rest = &rest[pos..];
        let end = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        let name = tag
            .trim_start_matches('<')
            .split([' ', '>', '/'])
            .next()
            .unwrap_or("");
        let closing = tag.starts_with("</");
        let self_closing = tag.ends_with("/>");
        match (name, closing) {
            ("w:p", false) if !self_closing => cur = Some(String::new()),
            ("", true) if tag == "</w:p>" => {
                if let Some(t) = cur.take()
                    && !t.is_empty()
                {
                    out.push(t);
                }
            }
            ("w:t", false) => in_text = !self_closing,
            ("w:tab", false) if !tag.contains("w:val") => {
                if let Some(c) = cur.as_mut() {
                    c.push('\t');
                }
            }
            ("w:br", false) => {
                if let Some(c) = cur.as_mut() {
                    c.push('\n');
                }
            }
            _ => {
                if tag == "</w:t>" {
                    in_text = false;
                } else if tag == "</w:p>"
                    && let Some(t) = cur.take()
                    && !t.is_empty()
                {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// What the DOCX of `doc` must read, paragraph by paragraph: the model's
/// text in its reading order (`model::walk`), as the PDF template prints it.
pub fn expected_text(doc: &Document) -> Vec<String> {
    use prikaz::model::walk::{Part, walk};
    let hanging = doc.profile.clause_hanging;
    let mut out = Vec::new();
    walk(doc, &mut |part| match part {
        Part::Cover(lines) => push_lines(&mut out, lines),
        Part::Contents(title, label, entries) => {
            out.push(title.to_string());
            out.push(label.to_string());
            // Each line ends in its pages after a tab; `text_of` reads them as «#».
            out.extend(entries.iter().map(|e| format!("{}\t#", e.text)));
        }
        Part::Order(_) => {}
        Part::Letterhead(lh) => {
            let heading: Vec<String> = lh
                .parent_lines
                .iter()
                .chain(&lh.body_lines)
                .cloned()
                .collect();
            push_lines(&mut out, &heading);
            out.push(lh.doc_kind.clone());
            out.push(format!("{}\t{}", lh.date, lh.number));
            if let Some(p) = &lh.place {
                out.push(p.clone());
            }
        }
        Part::Title(t) | Part::Preamble(t) => out.push(t.to_string()),
        Part::Operative(op) => out.push(op.text.clone()),
        Part::Clause(c, _) => out.push(clause_text(c, hanging)),
        Part::Signature(s) => match &s.electronic {
            Some(e) => {
                push_lines(&mut out, &s.position_lines);
                push_lines(&mut out, &e.lines);
                out.push(s.name.clone());
            }
            None => out.push(format!("{}\t{}", s.position_lines.join("\n"), s.name)),
        },
        Part::Visa(v) => {
            let mut t = format!("{}\t{}\t{}", v.position, v.name, v.date);
            if let Some(r) = &v.remarks {
                t.push('\n');
                t.push_str(r);
            }
            out.push(t);
        }
        Part::Executor(e) => push_lines(&mut out, &e.lines),
        Part::Heading { stamp, title } => {
            push_lines(&mut out, stamp);
            push_lines(&mut out, title);
        }
        Part::Block(b) => blocks_text(&mut out, std::slice::from_ref(b)),
        Part::ApprovalSheet(sheet) => push_lines(&mut out, &sheet.title),
        Part::Table(t) => blocks_text(&mut out, &[Block::Table(t.clone())]),
        // The QR code is a picture: no text in the DOCX.
        Part::Qr(_) => {}
    });
    out.retain(|s| !s.is_empty());
    out
}

fn push_lines(out: &mut Vec<String>, lines: &[String]) {
    if !lines.is_empty() {
        out.push(lines.join("\n"));
    }
}

fn blocks_text(out: &mut Vec<String>, bs: &[Block]) {
    for b in bs {
        match b {
            Block::Heading { text } | Block::Subheading { text } | Block::Paragraph { text } => {
                out.push(text.clone())
            }
            Block::List(l) => out.extend(l.items.iter().map(list_item_text)),
            Block::Table(t) => {
                if let Some(c) = &t.caption {
                    out.push(c.clone());
                }
                let ncols = t.widths.len().max(1);
                for r in header_layout(t, ncols) {
                    for slot in r {
                        if let Slot::Cell { cell, .. } = slot {
                            out.push(cell.text.clone());
                        }
                    }
                }
                if t.number_row {
                    out.extend((1..=ncols).map(|i| i.to_string()));
                }
                for r in &t.rows {
                    match r {
                        Row::Section { text, .. } => out.push(text.clone()),
                        Row::Cells { cells, .. } => {
                            for (c, _) in body_cells(cells, ncols) {
                                out.extend(c.paras.iter().map(cell_para_text));
                            }
                        }
                    }
                }
            }
        }
    }
}
