//! Word (.docx): `word/document.xml` read as XML. Paragraphs keep their
//! style name, line breaks and tabs; Word's automatic numbering
//! (`numbering.xml`) is turned back into the printed markers («1.», «2.1.»,
//! «а)», «–»), since a clerk's order is numbered that way far more often than
//! by typed numbers; tables keep their spans (`gridSpan`, `vMerge`) and column
//! widths; a section in landscape marks its paragraphs. Deleted text of
//! tracked changes is left out, inserted text kept: the document as it reads.

use std::collections::HashMap;
use std::io::Read;

use super::ImportError;
use super::source::{Cell, Grid, Merge, Node, Para};
use super::xml::{self, El, X};

/// Package parts larger than this are refused (a zip bomb, not an order).
const MAX_PART: u64 = 64 << 20;

pub fn read_part(bytes: &[u8], name: &str) -> Result<Option<String>, ImportError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::Package(e.to_string()))?;
    let Ok(file) = zip.by_name(name) else {
        return Ok(None);
    };
    let mut s = String::new();
    file.take(MAX_PART)
        .read_to_string(&mut s)
        .map_err(|e| ImportError::Package(format!("{name}: {e}")))?;
    Ok(Some(s))
}

pub fn read(bytes: &[u8]) -> Result<Vec<Node>, ImportError> {
    let doc = read_part(bytes, "word/document.xml")?
        .ok_or_else(|| ImportError::Package("нет части word/document.xml".into()))?;
    let numbering = match read_part(bytes, "word/numbering.xml")? {
        Some(s) => Numbering::parse(&xml::parse(&s, "word/numbering.xml")?),
        None => Numbering::default(),
    };
    let comments = match read_part(bytes, "word/comments.xml")? {
        Some(s) => comments_of(&xml::parse(&s, "word/comments.xml")?),
        None => HashMap::new(),
    };
    let root = xml::parse(&doc, "word/document.xml")?;
    let body = root
        .child("body")
        .ok_or_else(|| ImportError::Package("в document.xml нет w:body".into()))?;
    let mut r = Reader {
        numbering,
        comments,
        out: Vec::new(),
        section_start: 0,
        next_break: false,
        ordinal: 0,
    };
    r.block_children(body);
    // The body's own sectPr describes the last section.
    if let Some(s) = body.child("sectPr") {
        r.end_section(s);
    }
    Ok(r.out)
}

struct Reader {
    numbering: Numbering,
    /// Comment id → (author, text), from `comments.xml`.
    comments: HashMap<String, (String, String)>,
    out: Vec<Node>,
    section_start: usize,
    next_break: bool,
    ordinal: usize,
}

impl Reader {
    fn block_children(&mut self, parent: &El) {
        for el in parent.elements() {
            match el.name.as_str() {
                "p" => self.paragraph(el),
                "tbl" => {
                    let mut g = self.table(el);
                    g.page_break = std::mem::take(&mut self.next_break);
                    self.ordinal += 1;
                    g.at = self.ordinal;
                    self.out.push(Node::Table(g));
                }
                // Content controls and tracked insertions hold paragraphs too.
                "sdt" | "sdtContent" | "ins" | "customXml" => self.block_children(el),
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: &El) {
        let ppr = p.child("pPr");
        let style = ppr
            .and_then(|x| x.child("pStyle"))
            .and_then(|s| s.attr("val"))
            .map(str::to_string);
        let mut text = String::new();
        let mut runs = RunState::default();
        runs.collect(p, &mut text);
        if let Some(marker) = ppr.and_then(|x| self.numbering.marker(x)) {
            text = format!("{marker} {text}");
        }
        let page_break = std::mem::take(&mut self.next_break)
            || runs.page_break_before
            || ppr.is_some_and(|x| x.child("pageBreakBefore").is_some_and(on));
        self.ordinal += 1;
        let comments = p
            .children("commentRangeStart")
            .filter_map(|c| c.attr("id"))
            .filter_map(|id| self.comments.get(id).cloned())
            .collect();
        let para = Para {
            text,
            style,
            comments,
            bold: runs.text_runs > 0 && runs.bold_runs == runs.text_runs,
            italic: runs.text_runs > 0 && runs.italic_runs == runs.text_runs,
            spaced: runs.text_runs > 0 && runs.spaced_runs == runs.text_runs,
            page_break,
            at: self.ordinal,
            ..Para::default()
        };
        // A break after the text starts the next paragraph's page.
        self.next_break |= runs.page_break_after;
        if !para.text.trim().is_empty() {
            self.out.push(Node::Para(para));
        } else if para.page_break {
            self.next_break = true;
        }
        if let Some(sect) = ppr.and_then(|x| x.child("sectPr")) {
            self.end_section(sect);
            self.next_break = true;
        }
    }

    fn end_section(&mut self, sect: &El) {
        let landscape = sect.child("pgSz").is_some_and(|s| {
            s.attr("orient") == Some("landscape")
                || matches!(
                    (s.attr("w").and_then(|w| w.parse::<u32>().ok()), s.attr("h").and_then(|h| h.parse::<u32>().ok())),
                    (Some(w), Some(h)) if w > h
                )
        });
        for n in &mut self.out[self.section_start..] {
            match n {
                Node::Para(p) => p.landscape = landscape,
                Node::Table(t) => t.landscape = landscape,
            }
        }
        self.section_start = self.out.len();
    }

    fn table(&mut self, tbl: &El) -> Grid {
        let widths = tbl
            .child("tblGrid")
            .map(|g| {
                g.children("gridCol")
                    .map(|c| c.attr("w").and_then(|w| w.parse().ok()).unwrap_or(0))
                    .collect()
            })
            .unwrap_or_default();
        let mut rows = Vec::new();
        for tr in rows_of(tbl) {
            let mut row = Vec::new();
            for tc in cells_of(tr) {
                let pr = tc.child("tcPr");
                let span = pr
                    .and_then(|p| p.child("gridSpan"))
                    .and_then(|s| s.attr("val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let merge = match pr.and_then(|p| p.child("vMerge")) {
                    Some(v) if v.attr("val") == Some("restart") => Merge::Restart,
                    Some(_) => Merge::Continue,
                    None => Merge::None,
                };
                let mut paras = Vec::new();
                let mut all_bold = true;
                let mut all_italic = true;
                let mut any = false;
                self.cell_paras(tc, &mut paras, &mut all_bold, &mut all_italic, &mut any);
                row.push(Cell {
                    paras,
                    span,
                    merge,
                    bold: any && all_bold,
                    italic: any && all_italic,
                });
            }
            rows.push(row);
        }
        Grid {
            rows,
            widths,
            ..Grid::default()
        }
    }

    fn cell_paras(
        &self,
        parent: &El,
        out: &mut Vec<String>,
        bold: &mut bool,
        italic: &mut bool,
        any: &mut bool,
    ) {
        for el in parent.elements() {
            match el.name.as_str() {
                "p" => {
                    let mut text = String::new();
                    let mut runs = RunState::default();
                    runs.collect(el, &mut text);
                    if let Some(m) = el.child("pPr").and_then(|x| self.numbering.marker(x)) {
                        text = format!("{m} {text}");
                    }
                    if runs.text_runs > 0 {
                        *any = true;
                        *bold &= runs.bold_runs == runs.text_runs;
                        *italic &= runs.italic_runs == runs.text_runs;
                    }
                    out.push(text);
                }
                // A table inside a cell: its rows as lines of the cell.
                "tbl" => {
                    for tr in rows_of(el) {
                        let line: Vec<String> = cells_of(tr)
                            .map(|tc| {
                                let mut v = Vec::new();
                                let (mut b, mut i, mut a) = (true, true, false);
                                self.cell_paras(tc, &mut v, &mut b, &mut i, &mut a);
                                v.join(" ")
                            })
                            .collect();
                        out.push(line.join(" | "));
                    }
                }
                "sdt" | "sdtContent" | "ins" | "customXml" => {
                    self.cell_paras(el, out, bold, italic, any)
                }
                _ => {}
            }
        }
        // Word ends a cell with an empty paragraph more often than not.
        while out.len() > 1 && out.last().is_some_and(|p| p.trim().is_empty()) {
            out.pop();
        }
        if out.is_empty() {
            out.push(String::new());
        }
    }
}

fn rows_of(tbl: &El) -> impl Iterator<Item = &El> {
    tbl.elements().flat_map(|e| match e.name.as_str() {
        "tr" => vec![e],
        // Rows wrapped in content controls or tracked insertions.
        "sdt" | "sdtContent" | "ins" | "customXml" => e
            .elements()
            .filter(|r| r.name == "tr" || r.name == "sdtContent")
            .flat_map(|r| {
                if r.name == "tr" {
                    vec![r]
                } else {
                    r.children("tr").collect()
                }
            })
            .collect(),
        _ => vec![],
    })
}

fn cells_of(tr: &El) -> impl Iterator<Item = &El> {
    tr.elements().flat_map(|e| match e.name.as_str() {
        "tc" => vec![e],
        "sdt" => e
            .child("sdtContent")
            .map(|c| c.children("tc").collect())
            .unwrap_or_default(),
        _ => vec![],
    })
}

/// `<w:b/>`, `<w:b w:val="1"/>` are on; `w:val="0"` / `"false"` off.
fn on(el: &El) -> bool {
    !matches!(el.attr("val"), Some("0") | Some("false") | Some("off"))
}

#[derive(Default)]
struct RunState {
    text_runs: usize,
    bold_runs: usize,
    italic_runs: usize,
    spaced_runs: usize,
    page_break_before: bool,
    page_break_after: bool,
}

impl RunState {
    fn collect(&mut self, el: &El, text: &mut String) {
        for k in el.elements() {
            match k.name.as_str() {
                "r" => self.run(k, text),
                // Hyperlinks, fields, smart tags, tracked insertions and
                // moves hold runs; deletions (`del`, `moveFrom`) do not count.
                "hyperlink" | "fldSimple" | "smartTag" | "ins" | "moveTo" | "sdt"
                | "sdtContent" | "customXml" => self.collect(k, text),
                _ => {}
            }
        }
    }

    fn run(&mut self, r: &El, text: &mut String) {
        let rpr = r.child("rPr");
        let bold = rpr.and_then(|p| p.child("b")).is_some_and(on);
        let italic = rpr.and_then(|p| p.child("i")).is_some_and(on);
        let caps = rpr.and_then(|p| p.child("caps")).is_some_and(on);
        // Spacing in twentieths of a point: two points and more is «вразрядку».
        let spaced = rpr
            .and_then(|p| p.child("spacing"))
            .and_then(|s| s.attr("val"))
            .and_then(|v| v.parse::<i32>().ok())
            .is_some_and(|v| v >= 40);
        let mut own = String::new();
        for k in r.elements() {
            match k.name.as_str() {
                "t" => {
                    for t in &k.kids {
                        if let X::Text(s) = t {
                            own.push_str(s);
                        }
                    }
                }
                "tab" | "ptab" => own.push('\t'),
                "br" | "cr" => {
                    if k.attr("type") == Some("page") {
                        if text.trim().is_empty() && own.trim().is_empty() {
                            self.page_break_before = true;
                        } else {
                            self.page_break_after = true;
                        }
                    } else {
                        own.push('\n');
                    }
                }
                "noBreakHyphen" => own.push('-'),
                "sym" => {
                    if let Some(c) = k
                        .attr("char")
                        .and_then(|c| u32::from_str_radix(c, 16).ok())
                        .and_then(char::from_u32)
                    {
                        own.push(c);
                    }
                }
                _ => {}
            }
        }
        if caps {
            own = own.to_uppercase();
        }
        if !own.trim().is_empty() {
            self.text_runs += 1;
            self.bold_runs += usize::from(bold);
            self.italic_runs += usize::from(italic);
            self.spaced_runs += usize::from(spaced);
        }
        text.push_str(&own);
    }
}

#[derive(Clone)]
struct Level {
    fmt: String,
    text: String,
    start: u32,
}

/// Word's list definitions and the counters that run through the document.
#[derive(Default)]
struct Numbering {
    /// numId → abstractNumId
    nums: HashMap<String, String>,
    /// abstractNumId → levels by ilvl
    abstracts: HashMap<String, Vec<Level>>,
    counters: std::cell::RefCell<HashMap<String, [u32; 9]>>,
}

impl Numbering {
    fn parse(root: &El) -> Numbering {
        let mut n = Numbering::default();
        for a in root.children("abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            let mut levels = vec![
                Level {
                    fmt: "decimal".into(),
                    text: String::new(),
                    start: 1
                };
                9
            ];
            for l in a.children("lvl") {
                let Some(i) = l
                    .attr("ilvl")
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|i| *i < 9)
                else {
                    continue;
                };
                levels[i] = Level {
                    fmt: l
                        .child("numFmt")
                        .and_then(|f| f.attr("val"))
                        .unwrap_or("decimal")
                        .to_string(),
                    text: l
                        .child("lvlText")
                        .and_then(|f| f.attr("val"))
                        .unwrap_or("")
                        .to_string(),
                    start: l
                        .child("start")
                        .and_then(|f| f.attr("val"))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1),
                };
            }
            n.abstracts.insert(id.to_string(), levels);
        }
        for num in root.children("num") {
            if let (Some(id), Some(a)) = (
                num.attr("numId"),
                num.child("abstractNumId").and_then(|x| x.attr("val")),
            ) {
                n.nums.insert(id.to_string(), a.to_string());
            }
        }
        n
    }

    /// The printed marker of a numbered paragraph, counting it.
    fn marker(&self, ppr: &El) -> Option<String> {
        let np = ppr.child("numPr")?;
        let num = np.child("numId")?.attr("val")?;
        let ilvl: usize = np
            .child("ilvl")
            .and_then(|x| x.attr("val"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
            .min(8);
        let abs = self.nums.get(num)?;
        let levels = self.abstracts.get(abs)?;
        let lvl = &levels[ilvl];
        if lvl.fmt == "none" {
            return None;
        }
        if lvl.fmt == "bullet" {
            return Some("–".into());
        }
        let mut counters = self.counters.borrow_mut();
        let c = counters.entry(abs.clone()).or_insert([0; 9]);
        c[ilvl] = if c[ilvl] == 0 {
            levels[ilvl].start
        } else {
            c[ilvl] + 1
        };
        for (deeper, slot) in c.iter_mut().enumerate().skip(ilvl + 1) {
            let _ = deeper;
            *slot = 0;
        }
        let mut out = lvl.text.clone();
        for (k, l) in levels.iter().enumerate().take(ilvl + 1) {
            let v = if c[k] == 0 { l.start } else { c[k] };
            out = out.replace(&format!("%{}", k + 1), &format_number(v, &l.fmt));
        }
        Some(out.trim().to_string()).filter(|s| !s.is_empty())
    }
}

fn format_number(v: u32, fmt: &str) -> String {
    const RU: &[char] = &[
        'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к', 'л', 'м', 'н', 'о', 'п', 'р', 'с', 'т',
        'у', 'ф', 'х', 'ц', 'ч', 'ш', 'щ', 'э', 'ю', 'я',
    ];
    let idx = (v.max(1) - 1) as usize;
    match fmt {
        "russianLower" => RU[idx % RU.len()].to_string(),
        "russianUpper" => RU[idx % RU.len()].to_uppercase().to_string(),
        "lowerLetter" => char::from(b'a' + (idx % 26) as u8).to_string(),
        "upperLetter" => char::from(b'A' + (idx % 26) as u8).to_string(),
        "lowerRoman" => roman(v).to_lowercase(),
        "upperRoman" => roman(v),
        _ => v.to_string(),
    }
}

fn roman(mut v: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (n, r) in table {
        while v >= n {
            s.push_str(r);
            v -= n;
        }
    }
    s
}

/// `comments.xml`: each comment's author and text.
fn comments_of(root: &El) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for c in root.children("comment") {
        let Some(id) = c.attr("id") else { continue };
        let mut text = String::new();
        for p in c.children("p") {
            if !text.is_empty() {
                text.push('\n');
            }
            RunState::default().collect(p, &mut text);
        }
        out.insert(
            id.to_string(),
            (c.attr("author").unwrap_or("").to_string(), text),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use docx_rs::{
        AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat,
        Numbering as Num, NumberingId, Paragraph, Run, Start, Table, TableCell, TableRow,
        VMergeType,
    };

    fn p(text: &str) -> Paragraph {
        Paragraph::new().add_run(Run::new().add_text(text))
    }

    fn cell(text: &str) -> TableCell {
        TableCell::new().add_paragraph(p(text))
    }

    /// A clerk's Word file: clauses numbered by Word, a header table with
    /// a merged column and a grouped header.
    fn word_file() -> Vec<u8> {
        let numbering = AbstractNumbering::new(1)
            .add_level(Level::new(
                0,
                Start::new(1),
                NumberFormat::new("decimal"),
                LevelText::new("%1."),
                LevelJc::new("left"),
            ))
            .add_level(Level::new(
                1,
                Start::new(1),
                NumberFormat::new("decimal"),
                LevelText::new("%1.%2."),
                LevelJc::new("left"),
            ))
            .add_level(Level::new(
                2,
                Start::new(1),
                NumberFormat::new("russianLower"),
                LevelText::new("%3)"),
                LevelJc::new("left"),
            ));
        let num = |text: &str, level: usize| {
            p(text).numbering(NumberingId::new(1), IndentLevel::new(level))
        };
        let table = Table::new(vec![
            TableRow::new(vec![
                cell("Школа").vertical_merge(VMergeType::Restart),
                cell("Число обучающихся").grid_span(2),
            ]),
            TableRow::new(vec![
                TableCell::new()
                    .add_paragraph(Paragraph::new())
                    .vertical_merge(VMergeType::Continue),
                cell("2024"),
                cell("2025"),
            ]),
            TableRow::new(vec![cell("МБОУ СОШ № 1"), cell("812"), cell("830")]),
        ]);
        let mut out = std::io::Cursor::new(Vec::new());
        Docx::new()
            .add_abstract_numbering(numbering)
            .add_numbering(Num::new(1, 1))
            .add_paragraph(num("Утвердить план.", 0))
            .add_paragraph(num("Руководителям школ:", 0))
            .add_paragraph(num("представить отчёт;", 1))
            .add_paragraph(num("провести совещание:", 1))
            .add_paragraph(num("с учителями;", 2))
            .add_paragraph(num("с родителями.", 2))
            .add_paragraph(num("Контроль оставляю за собой.", 0))
            .add_table(table)
            .build()
            .pack(&mut out)
            .expect("pack");
        out.into_inner()
    }

    #[test]
    fn word_numbering_becomes_printed_markers() {
        let nodes = read(&word_file()).expect("read");
        let texts: Vec<&str> = nodes
            .iter()
            .filter_map(|n| match n {
                Node::Para(p) => Some(p.text.as_str()),
                Node::Table(_) => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                "1. Утвердить план.",
                "2. Руководителям школ:",
                "2.1. представить отчёт;",
                "2.2. провести совещание:",
                "а) с учителями;",
                "б) с родителями.",
                "3. Контроль оставляю за собой."
            ]
        );
    }

    #[test]
    fn merged_and_spanned_header_cells_are_kept() {
        let nodes = read(&word_file()).expect("read");
        let Some(Node::Table(g)) = nodes.iter().find(|n| matches!(n, Node::Table(_))) else {
            panic!("no table")
        };
        assert_eq!(g.columns(), 3);
        assert_eq!(g.rows[0][0].merge, Merge::Restart);
        assert_eq!(g.rows[0][1].span, 2);
        assert_eq!(g.rows[1][0].merge, Merge::Continue);
        let (block, _) = super::super::tables::block(g);
        let mut m = super::super::emit::Y::map();
        m.set("b", block);
        let text = super::super::emit::file(&[], &m);
        assert!(
            text.contains("rowspan: 2") && text.contains("colspan: 2"),
            "{text}"
        );
    }
}
