//! Tables by their header: an activity plan (№, activity, dates,
//! responsible …, with section rows and its numbering), target indicators by
//! year, or a generic table keeping its grouped header (column and row
//! spans) and its row of column numbers.

use std::sync::LazyLock;

use regex::Regex;

use super::emit::{self, Y};
use super::source::{Grid, Merge};

/// A cell placed on the grid: its first column and span.
#[derive(Debug, Clone)]
struct Slot {
    col: usize,
    span: usize,
    merge: Merge,
    text: String,
    paras: Vec<String>,
    italic: bool,
}

fn place(g: &Grid) -> Vec<Vec<Slot>> {
    g.rows
        .iter()
        .map(|r| {
            let mut col = 0;
            r.iter()
                .map(|c| {
                    let s = Slot {
                        col,
                        span: c.span.max(1),
                        merge: c.merge,
                        text: c
                            .paras
                            .iter()
                            .map(|p| p.trim())
                            .filter(|p| !p.is_empty())
                            .collect::<Vec<_>>()
                            .join(" "),
                        paras: c
                            .paras
                            .iter()
                            .map(|p| p.trim().to_string())
                            .filter(|p| !p.is_empty())
                            .collect(),
                        italic: c.italic,
                    };
                    col += s.span;
                    s
                })
                .collect()
        })
        .collect()
}

fn header_rows(rows: &[Vec<Slot>]) -> usize {
    let Some(first) = rows.first() else { return 0 };
    let mut h = 1;
    // Vertically merged header cells reach down into the rows below.
    for (k, row) in rows.iter().enumerate().skip(1).take(3) {
        if row.iter().any(|s| s.merge == Merge::Continue)
            && first.iter().any(|s| s.merge == Merge::Restart)
        {
            h = k + 1;
        } else {
            break;
        }
    }
    if h == 1 && first.len() > 1 && first.iter().any(|s| s.span > 1) && rows.len() > 2 {
        h = 2;
    }
    h
}

fn is_number_row(row: &[Slot]) -> bool {
    !row.is_empty()
        && row
            .iter()
            .enumerate()
            .all(|(i, s)| s.text == (i + 1).to_string())
}

/// Each column's title, grouped headers joined: «Количество ШНОР: всего».
fn leaf_titles(rows: &[Vec<Slot>], h: usize, ncols: usize) -> Vec<String> {
    (0..ncols)
        .map(|c| {
            let mut parts: Vec<String> = Vec::new();
            for row in &rows[..h] {
                if let Some(s) = row.iter().find(|s| s.col <= c && c < s.col + s.span)
                    && s.merge != Merge::Continue
                    && !s.text.is_empty()
                    && parts.last() != Some(&s.text)
                {
                    parts.push(s.text.clone());
                }
            }
            parts.join(": ")
        })
        .collect()
}

fn number_title(t: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(№|N|No)\.?\s*(п/п|п\.п\.)?$|^п/п$").expect("regex"));
    RE.is_match(t.trim())
}

fn key_for(title: &str, used: &mut Vec<String>) -> String {
    let t = title.to_lowercase();
    let base = if t.contains("мероприят")
        || t.contains("наименование")
        || t.contains("содержание")
        || t.contains("контрольн")
        || t.contains("направлени")
    {
        "activity"
    } else if t.starts_with("срок")
        || t.contains("сроки")
        || t.contains("дата")
        || t.contains("период")
    {
        "deadline"
    } else if t.contains("ответствен") || t.contains("исполнител") {
        "responsible"
    } else if t.contains("результат") || t.contains("форм") && t.contains("отч") {
        "result"
    } else if t.contains("показател") {
        "indicator"
    } else if t.contains("аудитор") || t.contains("участник") {
        "audience"
    } else if t.contains("описание") || t.contains("специфик") {
        "specifics"
    } else if t.contains("примечан") {
        "note"
    } else if t.contains("информац") {
        "info"
    } else {
        "column"
    };
    let mut key = base.to_string();
    let mut n = 2;
    while used.contains(&key) {
        key = format!("{base}{n}");
        n += 1;
    }
    used.push(key.clone());
    key
}

/// A cell's text as a plan holds it: a list line starts with «- ».
fn cell_text(paras: &[String]) -> String {
    paras
        .iter()
        .map(|p| {
            for d in ["– ", "— ", "- ", "• "] {
                if let Some(r) = p.strip_prefix(d) {
                    return format!("- {r}");
                }
            }
            p.clone()
        })
        .map(|p| emit::literal(&p))
        .enumerate()
        .fold(String::new(), |mut acc, (i, p)| {
            // List lines follow each other; paragraphs are set apart by a
            // blank line, else the plan glues them into one.
            if i > 0 {
                acc.push_str(if p.starts_with("- ") { "\n" } else { "\n\n" });
            }
            acc.push_str(&p);
            acc
        })
}

fn widths(g: &Grid, ncols: usize, data: &[Vec<Slot>]) -> Vec<u32> {
    let raw: Vec<f64> = if g.widths.len() == ncols && g.widths.iter().all(|w| *w > 0) {
        g.widths.iter().map(|w| f64::from(*w)).collect()
    } else {
        // Text tables: by the average length of the column's text.
        (0..ncols)
            .map(|c| {
                let lens: Vec<usize> = data
                    .iter()
                    .filter_map(|r| r.iter().find(|s| s.col == c && s.span == 1))
                    .map(|s| s.text.chars().count())
                    .collect();
                let avg = lens.iter().sum::<usize>() as f64 / lens.len().max(1) as f64;
                avg.sqrt().clamp(2.0, 14.0)
            })
            .collect()
    };
    let total: f64 = raw.iter().sum::<f64>().max(1.0);
    raw.iter()
        .map(|w| ((w * 100.0 / total).round() as u32).max(1))
        .collect()
}

pub fn block(g: &Grid) -> (Y, Vec<String>) {
    let rows = place(g);
    let ncols = g.columns();
    let h = header_rows(&rows);
    if rows.len() <= h || ncols < 2 {
        return generic(g, &rows, h.min(rows.len()), ncols);
    }
    let titles = leaf_titles(&rows, h, ncols);
    let has_activity = titles.iter().any(|t| {
        let t = t.to_lowercase();
        t.contains("мероприят") || t.contains("контрольн") || t.contains("наименование мероприят")
    });
    let has_when_who = titles.iter().any(|t| {
        let t = t.to_lowercase();
        t.contains("срок") || t.contains("ответствен") || t.contains("исполнител")
    });
    if h == 1 && has_activity && has_when_who {
        return activities(g, &rows, &titles);
    }
    if let Some(b) = indicators(&rows, h, &titles) {
        return (b, Vec::new());
    }
    generic(g, &rows, h, ncols)
}

fn activities(g: &Grid, rows: &[Vec<Slot>], titles: &[String]) -> (Y, Vec<String>) {
    static SECTION_NO: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{1,3})\.?\s+(\S[\s\S]*)$").expect("regex"));
    let ncols = titles.len();
    let num_col = number_title(&titles[0]);
    let first_data = if rows.get(1).is_some_and(|r| is_number_row(r)) {
        2
    } else {
        1
    };
    let number_row = first_data == 2;
    let data = &rows[first_data..];
    let content: Vec<usize> = (usize::from(num_col)..ncols).collect();
    let mut used = Vec::new();
    let keys: Vec<String> = content
        .iter()
        .map(|&c| key_for(&titles[c], &mut used))
        .collect();
    let mut optional = vec![false; content.len()];
    struct Sec {
        title: String,
        number: Option<String>,
        rows: Vec<Y>,
        italic: bool,
    }
    let mut loose: Vec<Y> = Vec::new();
    let mut sections: Vec<Sec> = Vec::new();
    let mut numbers: Vec<String> = Vec::new();
    for r in data {
        let filled: Vec<&Slot> = r.iter().filter(|s| !s.text.is_empty()).collect();
        let wide = r.iter().any(|s| s.span + 1 >= ncols && ncols > 2);
        let one = filled.len() == 1 && ncols > 2;
        let num_text = if num_col {
            r.iter()
                .find(|s| s.col == 0)
                .map(|s| s.text.clone())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let number_and_title = num_col
            && filled.len() == 2
            && filled[0].col == 0
            && num_text
                .trim_end_matches('.')
                .chars()
                .all(|c| c.is_ascii_digit())
            && !num_text.is_empty()
            && ncols > 3;
        if wide || one || number_and_title {
            let (mut number, mut title) = (
                None,
                filled
                    .iter()
                    .map(|s| s.text.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            if number_and_title {
                number = Some(num_text.trim_end_matches('.').to_string());
                title = filled[1].text.clone();
            } else if let Some(c) = SECTION_NO.captures(&title.clone()) {
                number = Some(c[1].to_string());
                title = c[2].to_string();
            }
            sections.push(Sec {
                title,
                number,
                rows: Vec::new(),
                italic: filled.iter().all(|s| s.italic),
            });
            continue;
        }
        let mut row = Y::map();
        if num_col && !num_text.is_empty() {
            numbers.push(num_text.clone());
            row.set("number", Y::s(num_text.trim_end_matches('.')));
        }
        for (k, &c) in content.iter().enumerate() {
            match r.iter().find(|s| s.col <= c && c < s.col + s.span) {
                Some(s) if s.col == c && !s.paras.is_empty() => {
                    row.set(&keys[k], Y::s(cell_text(&s.paras)));
                }
                _ => optional[k] = true,
            }
        }
        match sections.last_mut() {
            Some(s) => s.rows.push(row),
            None => loose.push(row),
        }
    }
    let hierarchical = numbers
        .iter()
        .any(|n| n.trim_end_matches('.').contains('.'));
    let dotted = numbers.iter().filter(|n| n.ends_with('.')).count() * 2 > numbers.len();
    let numbering = if num_col {
        if hierarchical {
            "hierarchical"
        } else {
            "continuous"
        }
    } else if sections.iter().any(|s| s.number.is_some()) {
        "sections"
    } else {
        "none"
    };
    let mut t = Y::map();
    t.set("numbering", Y::raw(numbering));
    if num_col {
        if dotted {
            t.set("number_dot", Y::raw("true"));
        }
        t.set("number_title", Y::s(&titles[0]));
    }
    if number_row {
        t.set("number_row", Y::raw("true"));
    }
    if !sections.is_empty() && sections.iter().all(|s| s.italic) {
        t.set("section_style", Y::raw("italic"));
    }
    let all_widths = widths(g, ncols, rows);
    let mut cols = Y::seq([]);
    for (k, &c) in content.iter().enumerate() {
        let mut col = Y::map();
        col.set("key", Y::raw(&keys[k]));
        col.set("title", Y::s(emit::literal(&titles[c])));
        if keys[k].starts_with("deadline") {
            col.set("type", Y::raw("deadline"));
        }
        col.set("width", Y::raw(all_widths[c].to_string()));
        if optional[k] {
            col.set("optional", Y::raw("true"));
        }
        cols.push(col, Vec::new());
    }
    t.set("columns", cols);
    if !loose.is_empty() {
        t.set("rows", Y::seq(loose));
    }
    if !sections.is_empty() {
        let mut ss = Y::seq([]);
        for s in sections {
            let mut y = Y::map();
            y.set("title", Y::s(emit::literal(&s.title)));
            if let Some(n) = &s.number {
                y.set("number", Y::s(n));
            }
            let empty = s.rows.is_empty();
            y.set("rows", Y::seq(s.rows));
            ss.push(
                y,
                if empty {
                    vec!["import: раздел без строк".into()]
                } else {
                    Vec::new()
                },
            );
        }
        t.set("sections", ss);
    }
    let mut b = Y::map();
    b.set("activities", t);
    (b, Vec::new())
}

fn year(t: &str) -> Option<i32> {
    let t = t
        .trim()
        .trim_end_matches("год")
        .trim_end_matches(" г.")
        .trim();
    (t.len() == 4)
        .then(|| t.parse().ok())
        .flatten()
        .filter(|y| (1990..2100).contains(y))
}

fn indicators(rows: &[Vec<Slot>], h: usize, titles: &[String]) -> Option<Y> {
    if h != 1 || titles.len() < 3 || !titles[1].to_lowercase().contains("ед") {
        return None;
    }
    let years: Vec<i32> = titles
        .iter()
        .rev()
        .map_while(|t| year(t))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let base = titles.len() - years.len();
    if years.is_empty() || !(2..=3).contains(&base) {
        return None;
    }
    let mut t = Y::map();
    t.set("indicator_title", Y::s(emit::literal(&titles[0])));
    t.set("unit_title", Y::s(emit::literal(&titles[1])));
    if base == 3 {
        t.set("baseline_title", Y::s(emit::literal(&titles[2])));
    }
    t.set("years", Y::seq(years.iter().map(|y| Y::raw(y.to_string()))));
    let mut out = Y::seq([]);
    for r in &rows[h..] {
        if r.len() != titles.len() || r.iter().any(|s| s.span != 1) {
            return None;
        }
        let mut row = Y::map();
        row.set("indicator", Y::s(cell_text(&r[0].paras)));
        row.set("unit", Y::s(cell_text(&r[1].paras)));
        if base == 3 {
            row.set("baseline", Y::s(cell_text(&r[2].paras)));
        }
        row.set(
            "values",
            Y::seq(r[base..].iter().map(|s| Y::s(cell_text(&s.paras)))),
        );
        out.push(row, Vec::new());
    }
    t.set("rows", out);
    let mut b = Y::map();
    b.set("indicators", t);
    Some(b)
}

fn generic(g: &Grid, rows: &[Vec<Slot>], h: usize, ncols: usize) -> (Y, Vec<String>) {
    let mut notes = Vec::new();
    let mut header = Y::seq([]);
    for (k, row) in rows[..h].iter().enumerate() {
        let mut hr = Y::seq([]);
        for s in row {
            if s.merge == Merge::Continue {
                continue;
            }
            let rowspan = if s.merge == Merge::Restart {
                1 + rows[k + 1..h]
                    .iter()
                    .take_while(|r| {
                        r.iter()
                            .any(|x| x.col == s.col && x.merge == Merge::Continue)
                    })
                    .count()
            } else {
                1
            };
            let text = emit::literal(&s.text);
            if s.span > 1 || rowspan > 1 {
                let mut c = Y::map();
                c.set("text", Y::s(text));
                if s.span > 1 {
                    c.set("colspan", Y::raw(s.span.to_string()));
                }
                if rowspan > 1 {
                    c.set("rowspan", Y::raw(rowspan.to_string()));
                }
                hr.push(c, Vec::new());
            } else {
                hr.push(Y::s(text), Vec::new());
            }
        }
        header.push(hr, Vec::new());
    }
    let mut start = h;
    let number_row = rows
        .get(h)
        .is_some_and(|r| is_number_row(r) && r.len() == ncols);
    if number_row {
        start += 1;
    }
    let mut body = Y::seq([]);
    let mut merged = false;
    for r in &rows[start..] {
        let mut cells = vec![String::new(); ncols];
        for s in r {
            if s.col < ncols && s.merge != Merge::Continue {
                cells[s.col] = cell_text(&s.paras);
            }
            merged |= s.span > 1 || s.merge != Merge::None;
        }
        body.push(Y::seq(cells.into_iter().map(Y::s)), Vec::new());
    }
    if merged {
        notes.push(
            "import: в строках таблицы были объединённые ячейки; текст — в первой из них".into(),
        );
    }
    let mut t = Y::map();
    t.set("header", header);
    t.set(
        "widths",
        Y::seq(
            widths(g, ncols, rows)
                .into_iter()
                .map(|w| Y::raw(w.to_string())),
        ),
    );
    if number_row {
        t.set("number_row", Y::raw("true"));
    }
    t.set("rows", body);
    let mut b = Y::map();
    b.set("table", t);
    (b, notes)
}
