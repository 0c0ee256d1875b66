//! The comparison table (сравнительная таблица) of an amended document:
//! № / Было (прежняя редакция) / Стало (новая редакция) / Комментарий, built
//! from a [`Diff`] as an ordinary [`Document`], so both backends print it.

use crate::model::{
    Align, Block, Body, Cell, Document, Emphasis, Meta, Para, Row, Run, Standalone, Table,
};
use crate::review::diff::format::headline;
use crate::review::diff::{
    Change, DocDiff, DocStatus, Field, FieldChange, Kind, Op, Piece, PieceTag,
};

/// One comparison document per changed document of `diff`; `new` gives each
/// its layout profile and file name.
pub fn documents(diffs: &[DocDiff], new: &[Document]) -> Vec<Document> {
    diffs
        .iter()
        .filter(|d| d.status == DocStatus::Changed)
        .filter_map(|d| {
            let doc = new.iter().find(|n| n.id == d.id)?;
            Some(document(d, doc))
        })
        .collect()
}

fn document(d: &DocDiff, doc: &Document) -> Document {
    let subject = d
        .old_title
        .clone()
        .unwrap_or_else(|| doc.meta.title.clone());
    // «Приказ от … № …» → «в приказ от … № …».
    let target = match subject.strip_prefix("Приказ ") {
        Some(rest) => format!("изменений, вносимых в приказ {rest}"),
        None => format!("изменений, вносимых в документ «{subject}»"),
    };
    let mut rows = Vec::new();
    for c in &d.changes {
        rows.push(change_row(rows.len() + 1, c));
    }
    if !d.renumbered.is_empty() {
        let olds: Vec<String> = d.renumbered.iter().map(|r| r.old.clone()).collect();
        let news: Vec<String> = d.renumbered.iter().map(|r| r.new.clone()).collect();
        rows.push(Row::Cells {
            id: None,
            cells: vec![
                Cell::text(format!("{}", rows.len() + 1)),
                Cell::text(olds.join(", ")),
                Cell::text(news.join(", ")),
                Cell::text("Перенумерация"),
            ],
        });
    }
    Document {
        id: format!("{}-сравнение", doc.id),
        file_stem: format!("{}_сравнение", doc.file_stem),
        meta: Meta {
            title: format!("Сравнительная таблица {target}"),
            ..doc.meta.clone()
        },
        profile: doc.profile.clone(),
        body: Body::Standalone(Standalone {
            stamp: Vec::new(),
            title: vec!["СРАВНИТЕЛЬНАЯ ТАБЛИЦА".into(), target],
            landscape: false,
            blocks: vec![Block::Table(Table::simple(
                &[
                    ("number", "№ п/п", 5.0, Align::Center),
                    ("old", "Было (прежняя редакция)", 38.0, Align::Left),
                    ("new", "Стало (новая редакция)", 38.0, Align::Left),
                    ("comment", "Комментарий", 19.0, Align::Left),
                ],
                rows,
            ))],
        }),
    }
}

fn run(text: impl Into<String>, emphasis: Emphasis) -> Run {
    Run {
        text: text.into(),
        emphasis,
    }
}

fn para_of(runs: Vec<Run>) -> Para {
    Para {
        marker: None,
        text: runs.iter().map(|r| r.text.as_str()).collect(),
        runs,
    }
}

/// The item's label in italics, so a reader sees what each cell is.
fn label_para(label: &str) -> Para {
    para_of(vec![run(label, Emphasis::Italic)])
}

/// One side of a field: its label and text; on a changed field the words
/// deleted (old side) or inserted (new side) are bold.
fn field_para(f: &Field, change: Option<&FieldChange>, old_side: bool, single: bool) -> Para {
    let mut runs = Vec::new();
    if !single {
        runs.push(run(format!("{}: ", capitalize(&f.label)), Emphasis::Plain));
    }
    match change {
        None => runs.push(run(f.text.clone(), Emphasis::Plain)),
        Some(c) => runs.extend(marked(&c.words, old_side)),
    }
    para_of(runs)
}

fn marked(pieces: &[Piece], old_side: bool) -> Vec<Run> {
    pieces
        .iter()
        .filter_map(|p| match (p.tag, old_side) {
            (PieceTag::Same, _) => Some(run(p.text.clone(), Emphasis::Plain)),
            (PieceTag::Deleted, true) | (PieceTag::Inserted, false) => {
                Some(run(p.text.clone(), Emphasis::Bold))
            }
            _ => None,
        })
        .collect()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn side(c: &Change, old_side: bool) -> Cell {
    let (fields, label) = if old_side {
        (&c.old_fields, &c.old_label)
    } else {
        (&c.new_fields, &c.new_label)
    };
    if fields.is_empty() {
        return Cell::text("—");
    }
    let mut paras = Vec::new();
    if let Some(l) = label
        && c.kind != Kind::Requisite
    {
        let l = match l.strip_prefix("п. ") {
            Some(rest) => format!("Пункт {rest}"),
            None => capitalize(l),
        };
        paras.push(label_para(&l));
    }
    let single = fields.len() == 1;
    for f in fields {
        if f.text.is_empty() {
            continue;
        }
        let fc = c.fields.iter().find(|x| x.key == f.key);
        let mut p = field_para(f, fc, old_side, single && c.kind != Kind::Requisite);
        // An added or removed item is new or gone as a whole.
        if c.op != Op::Changed {
            p.runs = p
                .runs
                .into_iter()
                .map(|r| Run {
                    emphasis: Emphasis::Bold,
                    ..r
                })
                .collect();
        }
        paras.push(p);
    }
    Cell {
        paras,
        colspan: 1,
        size_pt: None,
    }
}

fn change_row(n: usize, c: &Change) -> Row {
    let mut comment = headline(c);
    if c.op == Op::Changed && !c.fields.is_empty() && c.kind != Kind::Requisite {
        let what: Vec<&str> = c.fields.iter().map(|f| f.label.as_str()).collect();
        comment.push_str(&format!(": {}", what.join(", ")));
    }
    Row::Cells {
        id: c.id.clone(),
        cells: vec![
            Cell::text(n.to_string()),
            side(c, true),
            side(c, false),
            Cell::text(comment),
        ],
    }
}
