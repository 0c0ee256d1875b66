//! Plain text as it comes out of a PDF or a «save as text»: one paragraph a
//! line (two trailing spaces continue it on a new line, Markdown-style),
//! `**bold**`, `<b>`/`<i>` marks, and tables flattened with tabs or
//! Markdown pipes, their header repeated after every page break and a row
//! cut by the break continued in a row of its own.

use super::source::{Cell, Grid, Node, Para};

pub fn read(text: &str) -> Vec<Node> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<Node> = Vec::new();
    let mut table: Option<TableState> = None;
    let mut bold_open = false;
    let mut gap = false;
    let mut pending: Option<Para> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i + 1;
        if raw.trim().is_empty() {
            if let Some(p) = pending.take() {
                out.push(Node::Para(p));
            }
            if let Some(t) = table.as_mut() {
                t.page_break = true;
            }
            gap = true;
            continue;
        }
        if let Some(cells) = table_row(raw) {
            if let Some(p) = pending.take() {
                out.push(Node::Para(p));
            }
            let t = table.get_or_insert_with(|| TableState::new(line_no));
            t.push(cells);
            gap = false;
            continue;
        }
        if let Some(t) = table.take() {
            out.push(Node::Table(t.finish()));
        }
        let continues = raw.ends_with("  ") || bold_open;
        let (body, bold, italic, open_after) = marks(raw.trim(), bold_open);
        bold_open = open_after;
        let body = unmark_list(raw, &body);
        match pending.as_mut() {
            Some(p) => {
                p.text.push('\n');
                p.text.push_str(&body);
                p.bold |= bold;
            }
            None => {
                pending = Some(Para {
                    text: body,
                    bold,
                    italic,
                    gap_before: gap,
                    at: line_no,
                    ..Para::default()
                })
            }
        }
        gap = false;
        if !continues
            && !bold_open
            && let Some(p) = pending.take()
        {
            out.push(Node::Para(p));
        }
    }
    if let Some(p) = pending.take() {
        out.push(Node::Para(p));
    }
    if let Some(t) = table.take() {
        out.push(Node::Table(t.finish()));
    }
    out
}

/// `  - 3.1. Обеспечить …`: a Markdown list item that carries its own
/// printed number; the list dash is Markdown's, not the document's.
fn unmark_list(raw: &str, body: &str) -> String {
    let indented = raw.starts_with(' ') || raw.starts_with('\t');
    if indented
        && let Some(rest) = body.strip_prefix("- ").or_else(|| body.strip_prefix("* "))
        && rest.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        return rest.to_string();
    }
    body.to_string()
}

/// Strips `**…**`, `<b>…</b>`, `<i>…</i>`; says whether the line was bold or
/// italic and whether a `**` is still open at its end.
fn marks(line: &str, open: bool) -> (String, bool, bool, bool) {
    let mut bold = open;
    let mut italic = false;
    let mut s = line.to_string();
    for tag in ["<b>", "</b>", "<strong>", "</strong>"] {
        if s.contains(tag) {
            bold = true;
            s = s.replace(tag, "");
        }
    }
    for tag in ["<i>", "</i>", "<em>", "</em>"] {
        if s.contains(tag) {
            italic = true;
            s = s.replace(tag, "");
        }
    }
    let stars = s.matches("**").count();
    let mut open_after = open;
    if stars > 0 {
        bold = true;
        if stars % 2 == 1 {
            open_after = !open;
        }
        s = s.replace("**", "");
    }
    (s.trim().to_string(), bold, italic, open_after)
}

/// A line of a flattened table: tab-separated cells, or `| a | b |`.
fn table_row(raw: &str) -> Option<Vec<String>> {
    let t = raw.trim();
    if t.starts_with('|') && t.len() > 1 {
        let inner = t.trim_start_matches('|');
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        let cells: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
        return Some(cells);
    }
    if raw.contains('\t') {
        let cells: Vec<String> = raw
            .trim_end_matches(['\n', ' '])
            .split('\t')
            .map(|c| c.trim().to_string())
            .collect();
        if cells.iter().filter(|c| !c.is_empty()).count() >= 1 && cells.len() >= 2 {
            return Some(cells);
        }
    }
    None
}

fn is_rule(cells: &[String]) -> bool {
    !cells.is_empty()
        && cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

struct TableState {
    rows: Vec<Vec<String>>,
    header: Option<Vec<String>>,
    page_break: bool,
    at: usize,
}

impl TableState {
    fn new(at: usize) -> Self {
        TableState {
            rows: Vec::new(),
            header: None,
            page_break: false,
            at,
        }
    }

    fn push(&mut self, cells: Vec<String>) {
        if is_rule(&cells) {
            return;
        }
        let cells: Vec<String> = cells.into_iter().map(|c| marks(&c, false).0).collect();
        // A blank header (`| | | |`) or the header again: a page break.
        if cells.iter().all(|c| c.is_empty()) {
            self.page_break = true;
            return;
        }
        if self.header.as_ref() == Some(&cells) {
            self.page_break = true;
            return;
        }
        if self.header.is_none() {
            self.header = Some(cells.clone());
            self.rows.push(cells);
            return;
        }
        let broke = std::mem::take(&mut self.page_break);
        let first = cells.iter().find(|c| !c.is_empty());
        let continues = broke
            && self.rows.len() > 1
            && (cells.first().is_some_and(|c| c.is_empty())
                || first.is_some_and(|c| c.chars().next().is_some_and(char::is_lowercase)));
        if continues && let Some(prev) = self.rows.last_mut() {
            for (i, c) in cells.into_iter().enumerate() {
                if c.is_empty() {
                    continue;
                }
                if i >= prev.len() {
                    prev.resize(i + 1, String::new());
                }
                if prev[i].is_empty() {
                    prev[i] = c;
                } else {
                    prev[i].push(' ');
                    prev[i].push_str(&c);
                }
            }
            return;
        }
        self.rows.push(cells);
    }

    fn finish(self) -> Grid {
        let ncols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let rows = self
            .rows
            .into_iter()
            .map(|mut r| {
                // Trailing empty cells of a section row belong to its span.
                r.resize(ncols, String::new());
                r.into_iter()
                    .map(|text| Cell {
                        paras: split_cell(&text),
                        span: 1,
                        ..Cell::default()
                    })
                    .collect()
            })
            .collect();
        Grid {
            rows,
            at: self.at,
            ..Grid::default()
        }
    }
}

/// A flattened cell keeps its list as « - item - item»: each dash that
/// follows a colon or a semicolon starts a new line again.
fn split_cell(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, ch) in text.char_indices() {
        let rest = &text[i..];
        let before = cur.trim_end();
        if ch == ' '
            && (rest.starts_with(" - ") || rest.starts_with(" – "))
            && !before.is_empty()
            && (before.ends_with(':') || before.ends_with(';') || !out.is_empty())
        {
            out.push(cur.trim().to_string());
            cur.clear();
            continue;
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() || out.is_empty() {
        out.push(cur.trim().to_string());
    }
    out.retain(|p| !p.is_empty());
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_tables_drop_repeated_headers_and_join_rows_cut_by_a_page_break() {
        let nodes = read(
            "№\tМероприятие\tСрок\n1.\tВовлечение родительской\tВ течение\n\n№\tМероприятие\tСрок\n\tобщественности\tгода\n2.\tДругое\tМай\n",
        );
        let [Node::Table(g)] = nodes.as_slice() else {
            panic!("{nodes:?}")
        };
        assert_eq!(g.rows.len(), 3);
        assert_eq!(
            g.rows[1][1].text(),
            "Вовлечение родительской общественности"
        );
        assert_eq!(g.rows[1][2].text(), "В течение года");
    }

    #[test]
    fn pipe_tables_and_bold_titles_over_several_lines() {
        let nodes = read("**ПЛАН\nпо работе**\n\n| a | b |\n|--|--|\n| x | y |\n");
        let Node::Para(p) = &nodes[0] else { panic!() };
        assert_eq!(p.text, "ПЛАН\nпо работе");
        assert!(p.bold);
        let Node::Table(g) = &nodes[1] else { panic!() };
        assert_eq!(g.rows.len(), 2);
    }

    #[test]
    fn cell_lists_flattened_after_a_colon_become_lines_again() {
        assert_eq!(
            split_cell("Отчёты: - по школам - по районам"),
            vec!["Отчёты:", "- по школам", "- по районам"]
        );
        assert_eq!(split_cell("Цель - оценка"), vec!["Цель - оценка"]);
    }
}
