//! The body of a DOCX that prikaz wrote, read back as blocks: paragraphs
//! (properties and runs of text, tabs and breaks with their run
//! properties) and tables (rows of cells of blocks). Raw XML is kept for
//! what does not change, so an unchanged paragraph is copied byte for byte.

use quick_xml::Reader;
use quick_xml::events::Event;

/// A direct child element of a fragment: qualified name and byte range.
pub struct Child<'a> {
    pub name: String,
    pub raw: &'a str,
    /// The text between the start and end tags (empty for `<x/>`).
    pub inner: &'a str,
}

/// The direct children of the element that `xml` holds.
pub fn children(xml: &str) -> Vec<Child<'_>> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<(String, usize, usize)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let Ok(ev) = reader.read_event() else { break };
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(e) => {
                depth += 1;
                if depth == 2 {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    open = Some((name, before, after));
                }
            }
            Event::Empty(e) if depth == 1 => {
                out.push(Child {
                    name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                    raw: &xml[before..after],
                    inner: "",
                });
            }
            Event::End(_) => {
                if depth == 2
                    && let Some((name, start, inner_start)) = open.take()
                {
                    out.push(Child {
                        name,
                        raw: &xml[start..after],
                        inner: &xml[inner_start..before],
                    });
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub enum Atom {
    Text(String),
    Tab,
    Break(String),
}

/// A piece of a paragraph with the run properties it is set in.
#[derive(Debug, Clone)]
pub struct Piece {
    pub rpr: String,
    pub atom: Atom,
}

#[derive(Debug, Clone)]
pub struct Par<'a> {
    pub raw: &'a str,
    pub ppr: String,
    pub pieces: Vec<Piece>,
    pub text: String,
    /// Comment anchors (an approver's remarks on the clause): the range
    /// start, and its end with the reference run, copied.
    pub anchor_start: String,
    pub anchor_end: String,
}

#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub tcpr: String,
    pub blocks: Vec<Block<'a>>,
}

#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub raw: &'a str,
    pub trpr: String,
    pub cells: Vec<Cell<'a>>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Tbl<'a> {
    pub raw: &'a str,
    /// `tblPr` and `tblGrid`, copied.
    pub head: String,
    pub rows: Vec<Row<'a>>,
}

#[derive(Debug, Clone)]
pub enum Block<'a> {
    P(Par<'a>),
    T(Tbl<'a>),
    /// Anything else (the body's last `sectPr`), copied.
    Other(&'a str),
}

impl Block<'_> {
    /// What the blocks are compared by.
    pub fn key(&self) -> String {
        match self {
            Block::P(p) => format!("P\u{1}{}", p.text),
            Block::T(t) => format!(
                "T\u{1}{}",
                t.rows
                    .iter()
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\u{2}")
            ),
            Block::Other(raw) => format!("O\u{1}{raw}"),
        }
    }
}

fn unescape(s: &str) -> String {
    quick_xml::escape::unescape(s)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| s.to_string())
}

fn runs(p_inner_children: &[Child<'_>], pieces: &mut Vec<Piece>) {
    for c in p_inner_children {
        match c.name.as_str() {
            "w:r" => {
                let kids = children(c.raw);
                let rpr = kids
                    .iter()
                    .find(|k| k.name == "w:rPr")
                    .map(|k| k.raw.to_string())
                    .unwrap_or_default();
                for k in &kids {
                    let atom = match k.name.as_str() {
                        "w:t" => Atom::Text(unescape(k.inner)),
                        "w:tab" => Atom::Tab,
                        "w:br" | "w:cr" => Atom::Break(k.raw.to_string()),
                        _ => continue,
                    };
                    pieces.push(Piece {
                        rpr: rpr.clone(),
                        atom,
                    });
                }
            }
            "w:hyperlink" | "w:smartTag" | "w:ins" | "w:fldSimple" => {
                runs(&children(c.raw), pieces)
            }
            _ => {}
        }
    }
}

pub fn par(raw: &str) -> Par<'_> {
    let kids = children(raw);
    let ppr = kids
        .iter()
        .find(|k| k.name == "w:pPr")
        .map(|k| k.raw.to_string())
        .unwrap_or_default();
    let mut pieces = Vec::new();
    runs(&kids, &mut pieces);
    let (mut anchor_start, mut anchor_end) = (String::new(), String::new());
    for k in &kids {
        match k.name.as_str() {
            "w:commentRangeStart" => anchor_start.push_str(k.raw),
            "w:commentRangeEnd" => anchor_end.push_str(k.raw),
            "w:r" if k.raw.contains("<w:commentReference") => anchor_end.push_str(k.raw),
            _ => {}
        }
    }
    let text = pieces
        .iter()
        .map(|p| match &p.atom {
            Atom::Text(t) => t.as_str(),
            Atom::Tab => "\t",
            Atom::Break(_) => "\n",
        })
        .collect();
    Par {
        raw,
        ppr,
        pieces,
        text,
        anchor_start,
        anchor_end,
    }
}

pub fn blocks(container: &str) -> Vec<Block<'_>> {
    children(container)
        .into_iter()
        .filter_map(|c| match c.name.as_str() {
            "w:p" => Some(Block::P(par(c.raw))),
            "w:tbl" => Some(Block::T(tbl(c.raw))),
            "w:tcPr" | "w:trPr" => None,
            _ => Some(Block::Other(c.raw)),
        })
        .collect()
}

fn tbl(raw: &str) -> Tbl<'_> {
    let mut head = String::new();
    let mut rows = Vec::new();
    for c in children(raw) {
        match c.name.as_str() {
            "w:tr" => {
                let mut trpr = String::new();
                let mut cells = Vec::new();
                for k in children(c.raw) {
                    match k.name.as_str() {
                        "w:trPr" => trpr = k.raw.to_string(),
                        "w:tc" => {
                            let tcpr = children(k.raw)
                                .iter()
                                .find(|x| x.name == "w:tcPr")
                                .map(|x| x.raw.to_string())
                                .unwrap_or_default();
                            cells.push(Cell {
                                tcpr,
                                blocks: blocks(k.raw),
                            });
                        }
                        _ => {}
                    }
                }
                let text = cells
                    .iter()
                    .map(|c| {
                        c.blocks
                            .iter()
                            .map(Block::key)
                            .collect::<Vec<_>>()
                            .join("\u{3}")
                    })
                    .collect::<Vec<_>>()
                    .join(" | ");
                rows.push(Row {
                    raw: c.raw,
                    trpr,
                    cells,
                    text,
                });
            }
            _ => head.push_str(c.raw),
        }
    }
    Tbl { raw, head, rows }
}
