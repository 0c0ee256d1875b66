//! OpenDocument text (.odt): `content.xml` read as XML. Automatic styles
//! lead back to the named style (a DOCX opened and saved by LibreOffice keeps
//! «PrikazClause»), to bold and italic, and through master pages to landscape
//! sections; tables keep column and row spans, turned into the same
//! span/merge cells the Word reader gives.

use std::collections::{HashMap, HashSet};

use super::ImportError;
use super::docx::read_part;
use super::source::{Cell, Grid, Merge, Node, Para};
use super::xml::{self, El, X};

#[derive(Default, Clone)]
struct Style {
    parent: Option<String>,
    bold: bool,
    italic: bool,
    spaced: bool,
    master: Option<String>,
    break_before: bool,
    width: Option<f32>,
}

pub fn read(bytes: &[u8]) -> Result<Vec<Node>, ImportError> {
    let content = read_part(bytes, "content.xml")?
        .ok_or_else(|| ImportError::Package("нет части content.xml".into()))?;
    let root = xml::parse(&content, "content.xml")?;
    let mut styles: HashMap<String, Style> = HashMap::new();
    let mut landscape_masters: HashMap<String, bool> = HashMap::new();
    if let Some(s) = read_part(bytes, "styles.xml")? {
        let sroot = xml::parse(&s, "styles.xml")?;
        let mut layouts: HashMap<String, bool> = HashMap::new();
        for part in sroot.elements() {
            for st in part.elements() {
                match st.name.as_str() {
                    "style" => {
                        if let Some(n) = st.attr("name") {
                            styles.insert(n.to_string(), style_of(st));
                        }
                    }
                    "page-layout" => {
                        let land = st.child("page-layout-properties").is_some_and(|p| {
                            p.attr("print-orientation") == Some("landscape")
                                || matches!((p.attr("page-width").and_then(length), p.attr("page-height").and_then(length)), (Some(w), Some(h)) if w > h)
                        });
                        if let Some(n) = st.attr("name") {
                            layouts.insert(n.to_string(), land);
                        }
                    }
                    "master-page" => {
                        if let (Some(n), Some(l)) = (st.attr("name"), st.attr("page-layout-name")) {
                            landscape_masters
                                .insert(n.to_string(), layouts.get(l).copied().unwrap_or(false));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut automatic = HashSet::new();
    if let Some(auto) = root.child("automatic-styles") {
        for st in auto.children("style") {
            if let Some(n) = st.attr("name") {
                styles.insert(n.to_string(), style_of(st));
                automatic.insert(n.to_string());
            }
        }
    }
    let text = root
        .child("body")
        .and_then(|b| b.child("text"))
        .ok_or_else(|| ImportError::Package("в content.xml нет office:text".into()))?;
    let mut r = Reader {
        styles,
        automatic,
        masters: landscape_masters,
        out: Vec::new(),
        landscape: false,
        next_break: false,
        ordinal: 0,
    };
    r.blocks(text);
    Ok(r.out)
}

fn style_of(st: &El) -> Style {
    let tp = st.child("text-properties");
    let pp = st.child("paragraph-properties");
    Style {
        parent: st.attr("parent-style-name").map(str::to_string),
        bold: tp.and_then(|t| t.attr("font-weight")) == Some("bold"),
        italic: tp.and_then(|t| t.attr("font-style")) == Some("italic"),
        spaced: tp
            .and_then(|t| t.attr("letter-spacing"))
            .and_then(length)
            .is_some_and(|cm| cm >= 0.07),
        master: st
            .attr("master-page-name")
            .filter(|m| !m.is_empty())
            .map(str::to_string),
        break_before: pp.and_then(|p| p.attr("break-before")) == Some("page"),
        width: st
            .child("table-column-properties")
            .and_then(|c| c.attr("column-width"))
            .and_then(length),
    }
}

/// «2.5cm», «1.2in», «14pt» in centimetres.
fn length(s: &str) -> Option<f32> {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic())?);
    let v: f32 = num.parse().ok()?;
    Some(match unit {
        "cm" => v,
        "mm" => v / 10.0,
        "in" => v * 2.54,
        "pt" => v * 2.54 / 72.0,
        _ => return None,
    })
}

struct Reader {
    styles: HashMap<String, Style>,
    automatic: HashSet<String>,
    masters: HashMap<String, bool>,
    out: Vec<Node>,
    landscape: bool,
    next_break: bool,
    ordinal: usize,
}

impl Reader {
    /// The named style behind an automatic one, and what it sets.
    fn resolve(&self, name: Option<&str>) -> (Option<String>, Style) {
        let Some(mut n) = name.map(str::to_string) else {
            return (None, Style::default());
        };
        let own = self.styles.get(&n).cloned().unwrap_or_default();
        let mut seen = 0;
        while let Some(p) = self.styles.get(&n).and_then(|s| s.parent.clone()) {
            if !self.automatic.contains(&n) || seen > 8 {
                break;
            }
            n = p;
            seen += 1;
        }
        (Some(n.replace("_20_", " ")), own)
    }

    fn blocks(&mut self, parent: &El) {
        for el in parent.elements() {
            match el.name.as_str() {
                "p" | "h" => self.paragraph(el, None),
                "list" => self.list(el),
                "table" => {
                    let g = self.table(el);
                    self.out.push(Node::Table(g));
                }
                "section" | "tracked-changes-not" => self.blocks(el),
                "soft-page-break" => {}
                _ => {}
            }
        }
    }

    fn list(&mut self, list: &El) {
        let mut n = 0;
        for item in list.children("list-item") {
            n += 1;
            for el in item.elements() {
                match el.name.as_str() {
                    "p" | "h" => self.paragraph(el, Some(format!("{n}."))),
                    "list" => self.list(el),
                    _ => {}
                }
            }
        }
    }

    fn paragraph(&mut self, p: &El, marker: Option<String>) {
        let (style, st) = self.resolve(p.attr("style-name"));
        if let Some(m) = &st.master {
            self.landscape = self.masters.get(m).copied().unwrap_or(false);
            self.next_break = true;
        }
        let mut text = String::new();
        let mut spans = (0usize, 0usize, 0usize);
        self.inline(p, &mut text, st.bold, st.italic, &mut spans);
        // Reviewers' comments (office:annotation) anchored in the paragraph.
        let comments = p
            .children("annotation")
            .map(|a| {
                let author = a
                    .child("creator")
                    .map(|c| {
                        c.kids
                            .iter()
                            .filter_map(|k| {
                                if let X::Text(t) = k {
                                    Some(t.as_str())
                                } else {
                                    None
                                }
                            })
                            .collect::<String>()
                    })
                    .unwrap_or_default();
                let mut body = String::new();
                for q in a.children("p") {
                    if !body.is_empty() {
                        body.push('\n');
                    }
                    let mut sp = (0, 0, 0);
                    self.inline(q, &mut body, false, false, &mut sp);
                }
                (author, body)
            })
            .collect();
        if let Some(m) = marker
            && !text.trim_start().starts_with(m.as_str())
        {
            text = format!("{m} {text}");
        }
        self.ordinal += 1;
        let page_break = std::mem::take(&mut self.next_break) || st.break_before;
        if text.trim().is_empty() {
            self.next_break |= page_break;
            return;
        }
        let spaced = st.spaced
            || p.elements()
                .any(|e| e.name == "span" && self.resolve(e.attr("style-name")).1.spaced);
        self.out.push(Node::Para(Para {
            text,
            style,
            spaced,
            comments,
            bold: spans.0 > 0 && spans.1 == spans.0,
            italic: spans.0 > 0 && spans.2 == spans.0,
            page_break,
            landscape: self.landscape,
            at: self.ordinal,
            ..Para::default()
        }));
    }

    /// Text of a paragraph; `spans` counts (runs with text, bold, italic).
    fn inline(
        &self,
        el: &El,
        out: &mut String,
        bold: bool,
        italic: bool,
        spans: &mut (usize, usize, usize),
    ) {
        for k in &el.kids {
            match k {
                X::Text(s) => {
                    if !s.trim().is_empty() {
                        spans.0 += 1;
                        spans.1 += usize::from(bold);
                        spans.2 += usize::from(italic);
                    }
                    out.push_str(s);
                }
                X::El(e) => match e.name.as_str() {
                    "span" | "a" | "text-input" | "ruby-base" => {
                        let (_, st) = self.resolve(e.attr("style-name"));
                        self.inline(e, out, bold || st.bold, italic || st.italic, spans);
                    }
                    "s" => {
                        let n: usize = e
                            .attr("c")
                            .and_then(|c| c.parse().ok())
                            .unwrap_or(1)
                            .min(100);
                        out.push_str(&" ".repeat(n));
                    }
                    "tab" => out.push('\t'),
                    "line-break" => out.push('\n'),
                    // Notes, annotations and tracked deletions are not the text.
                    _ => {}
                },
            }
        }
    }

    fn table(&mut self, t: &El) -> Grid {
        let mut widths = Vec::new();
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut pending: Vec<(usize, usize)> = Vec::new(); // per column: (rows left, span)
        let mut row_els: Vec<&El> = Vec::new();
        for el in t.elements() {
            match el.name.as_str() {
                "table-column" => {
                    let n: usize = el
                        .attr("number-columns-repeated")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .min(64);
                    let w = self
                        .styles
                        .get(el.attr("style-name").unwrap_or(""))
                        .and_then(|s| s.width)
                        .unwrap_or(1.0);
                    for _ in 0..n {
                        widths.push((w * 100.0).round() as u32);
                    }
                }
                "table-columns" | "table-header-columns" => {
                    for c in el.children("table-column") {
                        let w = self
                            .styles
                            .get(c.attr("style-name").unwrap_or(""))
                            .and_then(|s| s.width)
                            .unwrap_or(1.0);
                        widths.push((w * 100.0).round() as u32);
                    }
                }
                "table-row" => row_els.push(el),
                "table-header-rows" | "table-rows" | "table-row-group" => {
                    row_els.extend(el.children("table-row"))
                }
                _ => {}
            }
        }
        for tr in row_els {
            let repeat: usize = tr
                .attr("number-rows-repeated")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
                .clamp(1, 1000);
            for _ in 0..repeat {
                let mut row = Vec::new();
                let mut col = 0usize;
                let mut skip = 0usize;
                for c in tr.elements() {
                    if c.name != "table-cell" && c.name != "covered-table-cell" {
                        continue;
                    }
                    if skip > 0 {
                        skip -= 1;
                        col += 1;
                        continue;
                    }
                    if pending.len() <= col {
                        pending.resize(col + 1, (0, 1));
                    }
                    if c.name == "covered-table-cell" {
                        let (left, span) = pending[col];
                        if left > 0 {
                            pending[col].0 -= 1;
                            row.push(Cell {
                                paras: vec![String::new()],
                                span,
                                merge: Merge::Continue,
                                ..Cell::default()
                            });
                            skip = span.saturating_sub(1);
                        }
                        col += 1;
                        continue;
                    }
                    let span: usize = c
                        .attr("number-columns-spanned")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                    let rspan: usize = c
                        .attr("number-rows-spanned")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 1000);
                    let mut paras = Vec::new();
                    let mut spans = (0, 0, 0);
                    for p in c.elements() {
                        match p.name.as_str() {
                            "p" | "h" => {
                                let (_, st) = self.resolve(p.attr("style-name"));
                                let mut s = String::new();
                                self.inline(p, &mut s, st.bold, st.italic, &mut spans);
                                paras.push(s);
                            }
                            "list" => {
                                for item in p.children("list-item") {
                                    for q in item.children("p") {
                                        let mut s = String::new();
                                        self.inline(q, &mut s, false, false, &mut spans);
                                        paras.push(format!("– {s}"));
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    if paras.is_empty() {
                        paras.push(String::new());
                    }
                    pending[col] = (rspan - 1, span);
                    row.push(Cell {
                        paras,
                        span,
                        merge: if rspan > 1 {
                            Merge::Restart
                        } else {
                            Merge::None
                        },
                        bold: spans.0 > 0 && spans.1 == spans.0,
                        italic: spans.0 > 0 && spans.2 == spans.0,
                    });
                    skip = span - 1;
                    col += 1;
                }
                rows.push(row);
            }
        }
        self.ordinal += 1;
        Grid {
            rows,
            widths,
            page_break: std::mem::take(&mut self.next_break),
            landscape: self.landscape,
            at: self.ordinal,
        }
    }
}
