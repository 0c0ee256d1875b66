//! Flattening a resolved document into comparable items (requisites, clauses,
//! appendices, sections, rows, paragraphs) with their printed numbers and places.

use serde::Serialize;

use crate::model::{Block, Body, Clause, Document, Order, Row, Table, column_titles};

/// What kind of thing an item is; decides its label (`п. 2.1`, `строка 1.3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A requisite of the document: date, number, title, signatory, preamble.
    Requisite,
    Clause,
    Appendix,
    Section,
    Row,
    Paragraph,
}

/// One comparable piece of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub kind: Kind,
    pub id: Option<String>,
    /// Printed number (`2.1`, `1.3`, `2`), empty when the item has none.
    pub number: String,
    /// Where the item is, in words: `приложение № 1, раздел 2`.
    pub place: String,
    /// Index of the containing item (appendix, section, parent clause).
    #[serde(skip)]
    pub parent: Option<usize>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Stable key (`text`, a column key, `date` …).
    pub key: String,
    /// Label in words: the column's title, `текст`, `дата`.
    pub label: String,
    pub text: String,
}

impl Item {
    /// The item's text in one line: its fields joined.
    pub fn text(&self) -> String {
        self.fields
            .iter()
            .map(|f| f.text.as_str())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// `п. 2.1`, `строка 1.3`, `приложение № 2`, `абзац «Текст…»`.
    pub fn label(&self) -> String {
        let quote = || format!("«{}»", shorten(&self.text(), 60));
        match self.kind {
            Kind::Requisite => self
                .fields
                .first()
                .map(|f| f.label.clone())
                .unwrap_or_default(),
            Kind::Clause if !self.number.is_empty() => format!("п. {}", self.number),
            Kind::Clause => format!("подпункт {}", quote()),
            Kind::Row if !self.number.is_empty() => format!("строка {}", self.number),
            Kind::Row => format!("строка {}", quote()),
            Kind::Section if !self.number.is_empty() => format!("раздел {}", self.number),
            Kind::Section => format!("раздел {}", quote()),
            Kind::Appendix if !self.number.is_empty() => format!("приложение № {}", self.number),
            Kind::Appendix => "приложение".to_string(),
            Kind::Paragraph => format!("абзац {}", quote()),
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A document flattened for comparison.
#[derive(Debug, Clone)]
pub struct Flat {
    pub id: String,
    /// `Приказ от 31.10.2024 № 978-ОД «Об утверждении …»` or the title.
    pub title: String,
    pub items: Vec<Item>,
}

/// Flattens a resolved document into items in reading order.
pub fn flatten(doc: &Document) -> Flat {
    let mut items = Vec::new();
    let title = match &doc.body {
        Body::Order(o) => {
            flatten_order(&mut items, o, "");
            order_title(o)
        }
        Body::Standalone(s) => {
            push_requisite(&mut items, "title", "заголовок", s.title.join(" "), "");
            flatten_blocks(&mut items, &s.blocks, None, "");
            s.title.join(" ")
        }
        Body::Bundle(b) => {
            push_requisite(&mut items, "cover", "обложка", b.cover.join(" "), "");
            for (i, o) in b.orders.iter().enumerate() {
                let at = items.len();
                items.push(Item {
                    kind: Kind::Appendix,
                    id: Some(format!("order:{}", o.letterhead.number)),
                    number: (i + 1).to_string(),
                    place: String::new(),
                    parent: None,
                    fields: vec![field("title", "приказ", order_title(o))],
                });
                let place = order_title(o);
                let before = items.len();
                flatten_order(&mut items, o, &place);
                for it in &mut items[before..] {
                    if it.parent.is_none() {
                        it.parent = Some(at);
                    }
                }
            }
            doc.meta.title.clone()
        }
    };
    Flat {
        id: doc.id.clone(),
        title,
        items,
    }
}

pub fn order_title(o: &Order) -> String {
    format!(
        "Приказ от {} {} «{}»",
        o.letterhead.date, o.letterhead.number, o.title
    )
}

fn field(key: &str, label: &str, text: impl Into<String>) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        text: text.into(),
    }
}

fn push_requisite(items: &mut Vec<Item>, key: &str, label: &str, text: String, place: &str) {
    items.push(Item {
        kind: Kind::Requisite,
        id: Some(key.to_string()),
        number: String::new(),
        place: place.to_string(),
        parent: None,
        fields: vec![field(key, label, text)],
    });
}

fn flatten_order(items: &mut Vec<Item>, o: &Order, place: &str) {
    let lh = &o.letterhead;
    push_requisite(items, "date", "дата", lh.date.clone(), place);
    push_requisite(items, "number", "номер", lh.number.clone(), place);
    push_requisite(items, "title", "заголовок", o.title.clone(), place);
    push_requisite(items, "preamble", "преамбула", o.preamble.join("\n"), place);
    let sig = o
        .signature
        .position_lines
        .iter()
        .chain(std::iter::once(&o.signature.name))
        .filter(|l| !l.trim().is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    push_requisite(items, "signatory", "подпись", sig, place);
    if let Some(e) = &o.executor {
        push_requisite(items, "executor", "исполнитель", e.lines.join(", "), place);
    }
    let visas: Vec<&crate::model::Visa> = o.visas.iter().collect();
    let sheet_rows: Vec<String> = o
        .approval_sheet
        .iter()
        .flat_map(|s| &s.table.rows)
        .filter_map(|r| match r {
            Row::Cells { cells, .. } => Some(
                cells
                    .iter()
                    .skip(1)
                    .flat_map(|c| c.paras.iter().map(|p| p.text.clone()))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        })
        .collect();
    let approvals: Vec<String> = visas
        .iter()
        .map(|v| {
            [&v.position, &v.name, &v.date]
                .into_iter()
                .chain(v.remarks.as_ref())
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .chain(sheet_rows)
        .collect();
    push_requisite(items, "approvals", "визы", approvals.join("; "), place);
    if let Some(e) = &o.signature.electronic {
        push_requisite(
            items,
            "esign",
            "электронная подпись",
            e.lines.join(" "),
            place,
        );
    }
    flatten_clauses(items, &o.clauses, None, place);
    for a in &o.appendices {
        let number = a
            .stamp
            .first()
            .and_then(|s| s.split_once('№'))
            .map(|(_, n)| n.trim().to_string())
            .unwrap_or_default();
        let at = items.len();
        items.push(Item {
            kind: Kind::Appendix,
            id: Some(a.id.clone()),
            number: number.clone(),
            place: place.to_string(),
            parent: None,
            fields: vec![field("title", "заголовок", a.title.join(" "))],
        });
        let where_ = if number.is_empty() {
            "приложение".to_string()
        } else {
            format!("приложение № {number}")
        };
        flatten_blocks(items, &a.blocks, Some(at), &where_);
    }
}

fn flatten_clauses(items: &mut Vec<Item>, cs: &[Clause], parent: Option<usize>, place: &str) {
    use crate::model::MarkerKind;
    let parent_no = parent
        .and_then(|p| items.get(p))
        .map(|p| p.number.clone())
        .unwrap_or_default();
    for (k, c) in cs.iter().enumerate() {
        let at = items.len();
        // Dash and lettered sub-items are known by their parent's number.
        let number = match c.marker_kind {
            MarkerKind::Number => c.marker.trim_end_matches('.').to_string(),
            MarkerKind::Letter if parent_no.is_empty() => c.marker.clone(),
            MarkerKind::Letter => format!("{parent_no}, подп. {}", c.marker),
            MarkerKind::Dash if parent_no.is_empty() => format!("абз. {}", k + 1),
            MarkerKind::Dash => format!("{parent_no}, абз. {}", k + 1),
        };
        items.push(Item {
            kind: Kind::Clause,
            id: c.id.clone(),
            number,
            place: place.to_string(),
            parent,
            fields: vec![field("text", "текст", c.text.clone())],
        });
        if !c.children.is_empty() {
            flatten_clauses(items, &c.children, Some(at), place);
        }
    }
}

fn flatten_blocks(items: &mut Vec<Item>, blocks: &[Block], parent: Option<usize>, place: &str) {
    // A paragraph of text, unnumbered: headings, paragraphs, list items.
    let paragraph = |text: &str| Item {
        kind: Kind::Paragraph,
        id: None,
        number: String::new(),
        place: place.to_string(),
        parent,
        fields: vec![field("text", "текст", text.to_string())],
    };
    for b in blocks {
        match b {
            Block::Heading { text } | Block::Subheading { text } | Block::Paragraph { text } => {
                items.push(paragraph(text))
            }
            Block::List(l) => items.extend(l.items.iter().map(|it| paragraph(&it.text))),
            Block::Table(t) => flatten_table(items, t, parent, place),
        }
    }
}

fn flatten_table(items: &mut Vec<Item>, t: &Table, parent: Option<usize>, place: &str) {
    let titles = column_titles(t);
    let numbered = t.keys.first().is_some_and(|k| k == "number");
    let mut section: Option<usize> = None;
    let mut section_place = place.to_string();
    for r in &t.rows {
        match r {
            Row::Section { id, text, .. } => {
                let (number, title) = match text.split_once('\u{a0}') {
                    Some((n, rest))
                        if n.trim_end_matches('.').chars().all(|c| c.is_ascii_digit())
                            && !n.is_empty() =>
                    {
                        (n.trim_end_matches('.').to_string(), rest.to_string())
                    }
                    _ => (String::new(), text.clone()),
                };
                section = Some(items.len());
                section_place = if number.is_empty() {
                    format!("{place}, раздел «{}»", shorten(&title, 40))
                } else {
                    format!("{place}, раздел {number}")
                };
                items.push(Item {
                    kind: Kind::Section,
                    id: id.clone(),
                    number,
                    place: place.to_string(),
                    parent,
                    fields: vec![field("title", "наименование", title)],
                });
            }
            Row::Cells { id, cells } => {
                let mut fields = Vec::new();
                let mut number = String::new();
                let mut col = 0;
                for (i, c) in cells.iter().enumerate() {
                    let text = c
                        .paras
                        .iter()
                        .map(|p| match &p.marker {
                            Some(m) => format!("{m} {}", p.text),
                            None => p.text.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    if i == 0 && numbered {
                        number = text.trim_end_matches('.').to_string();
                    } else {
                        let key = t.keys.get(col).cloned().unwrap_or_else(|| col.to_string());
                        let label = titles
                            .get(col)
                            .filter(|l| !l.is_empty())
                            .cloned()
                            .unwrap_or_else(|| format!("графа {}", col + 1));
                        fields.push(Field {
                            key,
                            label: label.to_lowercase_first(),
                            text,
                        });
                    }
                    col += usize::from(c.colspan.max(1));
                }
                items.push(Item {
                    kind: Kind::Row,
                    id: id.clone(),
                    number,
                    place: section_place.clone(),
                    parent: section.or(parent),
                    fields,
                });
            }
        }
    }
}

trait LowerFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowerFirst for String {
    /// `Сроки` → `сроки`, but an abbreviation (`ОО`) stays as it is.
    fn to_lowercase_first(&self) -> String {
        let mut cs = self.chars();
        match (cs.next(), cs.next()) {
            (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => a
                .to_lowercase()
                .chain(std::iter::once(b))
                .chain(cs)
                .collect(),
            _ => self.clone(),
        }
    }
}
