//! What the editor shows over an id or an expression: who the person is on
//! the order's date, what `{{ appendix("…") }}` prints, a clause's number.

use crate::diag::FileId;
use crate::index::queries::tenure_on;
use crate::index::refs::{Refs, act_text};
use crate::index::{Index, Unit, UnitKind};
use crate::lang::expr;
use crate::lang::morph::Case;
use crate::load::{Parsed, Workspace};

use super::symbols::{self, Kind, Occurrence};

/// The order or document a file belongs to, numbered: its own unit, or the
/// order its appendix is attached to.
pub fn unit_of<'a>(ws: &'a Workspace, ix: &Index<'a>, file: FileId) -> Option<Unit<'a>> {
    let parsed = ws.files.iter().find(|(f, _)| *f == file).map(|(_, p)| p)?;
    let (ufile, kind) = match parsed {
        Parsed::Order(o) => (
            file,
            UnitKind::Order(ix.orders.get(o.id.get().as_str())?.item),
        ),
        Parsed::Document(d) => (
            file,
            UnitKind::Document(ix.documents.get(d.id.get().as_str())?.item),
        ),
        Parsed::Appendix(a) => {
            let owner = ix.owner.get(a.id.get().as_str())?;
            let o = ix.orders.get(owner)?;
            (o.file, UnitKind::Order(o.item))
        }
        Parsed::Registry(_) | Parsed::Bundle(_) => return None,
    };
    // Only the numbers are wanted here: `check` reports the unit's problems.
    Some(Unit::build(ix, ufile, kind, &mut Vec::new()))
}

/// Hover text (Markdown) and the byte range it is about.
pub fn hover(
    ws: &Workspace,
    ix: &Index,
    file: FileId,
    offset: usize,
) -> Option<(String, std::ops::Range<usize>)> {
    let src = ws.sources.text(file);
    let unit = unit_of(ws, ix, file);
    if let Some(range) = symbols::expression_at(src, offset) {
        let inner = src
            .get(range.start + 2..range.end - 2)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        return Some((printed(ix, unit.as_ref(), &inner), range));
    }
    if let Some(o) = symbols::at(ws, ix, file, offset) {
        let text = describe(ix, unit.as_ref(), &o)?;
        return Some((text, o.start..o.end));
    }
    let unit = unit?;
    number_at(&unit, file, offset)
}

/// What an expression prints in the document, or why it cannot.
fn printed(ix: &Index, unit: Option<&Unit>, expr_text: &str) -> String {
    let Some(unit) = unit else {
        return "Выражение вычисляется в приказе или документе; этот файл ни к одному не относится"
            .into();
    };
    let refs = Refs::new(ix, unit);
    match expr::eval(expr_text) {
        Err(e) => format!("**Ошибка в выражении:** {e}"),
        Ok(v) => {
            let mut out = String::new();
            for piece in expr::calls(&v) {
                match piece {
                    Ok(lit) => out.push_str(&lit),
                    Err(call) => match refs.resolve(&call) {
                        Ok(t) => out.push_str(&t),
                        Err((code, message, hint)) => {
                            let hint = hint.map(|h| format!(" ({h})")).unwrap_or_default();
                            return format!("**Ошибка:** {message}{hint} `{}`", code.as_str());
                        }
                    },
                }
            }
            format!("**Печатается:** «{out}»")
        }
    }
}

fn order_date<'a>(unit: Option<&Unit<'a>>) -> Option<(&'a str, chrono::NaiveDate)> {
    match unit?.kind {
        UnitKind::Order(o) => Some((o.issuer.get().as_str(), o.date.get().0)),
        UnitKind::Document(_) => None,
    }
}

/// Who or what an id names, as the document will print it.
fn describe(ix: &Index, unit: Option<&Unit>, o: &Occurrence) -> Option<String> {
    let id = o.id.as_str();
    let unknown = || format!("{} «{id}»: нет такого id", o.kind.noun());
    Some(match o.kind {
        Kind::Person => match ix.people.get(id) {
            None => unknown(),
            Some(p) => {
                let p = p.item;
                let name = crate::index::refs::full_name(p);
                let office = match order_date(unit) {
                    Some((org, date)) => match tenure_on(p, org, date) {
                        Some(t) => {
                            let pos = ix
                                .positions
                                .get(t.position.get().as_str())
                                .map(|p| p.item.name.get().clone())
                                .unwrap_or_else(|| t.position.get().clone());
                            let acting = if t.acting {
                                "исполняет обязанности: "
                            } else {
                                ""
                            };
                            format!("\n\n{acting}{pos} на {}", date.format("%d.%m.%Y"))
                        }
                        None => format!(
                            "\n\n**не занимает должности в «{org}» на {}**",
                            date.format("%d.%m.%Y")
                        ),
                    },
                    None => String::new(),
                };
                format!("**{name}**{office}")
            }
        },
        Kind::Institution => match ix.institutions.get(id) {
            None => unknown(),
            Some(i) => {
                let short = i
                    .item
                    .short
                    .as_ref()
                    .map(|s| format!("\n\nкратко: {}", s.get()))
                    .unwrap_or_default();
                format!("**{}**{short}", i.item.name.get())
            }
        },
        Kind::Org => match ix.orgs.get(id) {
            None => unknown(),
            Some(org) => format!("**{}**", org.item.name.get()),
        },
        Kind::Position => match ix.positions.get(id) {
            None => unknown(),
            Some(p) => format!("должность: **{}**", p.item.name.get()),
        },
        Kind::Order => match ix.orders.get(id) {
            None => unknown(),
            Some(ord) => {
                let o = ord.item;
                let number = o
                    .number
                    .as_ref()
                    .map(|n| format!(" № {}", n.get()))
                    .unwrap_or_default();
                format!(
                    "приказ от {}{number}\n\n{}",
                    o.date.get().0.format("%d.%m.%Y"),
                    o.title.get()
                )
            }
        },
        Kind::Document => match ix.documents.get(id) {
            None => unknown(),
            Some(d) => format!("документ: {}", d.item.title.get()),
        },
        Kind::Appendix => {
            let title = ix
                .appendices
                .get(id)
                .map(|a| a.item.title.get().replace('\n', " "));
            let printed = unit.and_then(|u| u.numbers.by_id.get(id)).map(|n| {
                if n.number.is_empty() {
                    "приложение".to_string()
                } else {
                    format!("приложение № {}", n.number)
                }
            });
            match (printed, title) {
                (None, None) => unknown(),
                (p, t) => format!(
                    "**{}**{}",
                    p.unwrap_or_else(|| "приложение (не входит в этот приказ)".into()),
                    t.map(|t| format!("\n\n{t}")).unwrap_or_default()
                ),
            }
        }
        Kind::Act => {
            let acts = match unit?.kind {
                UnitKind::Order(o) => &o.acts[..],
                UnitKind::Document(_) => &[],
            };
            match acts.iter().find(|a| a.id.get() == id) {
                None => unknown(),
                Some(a) => match act_text(ix, a, Case::Nom) {
                    Ok(t) => format!("**Печатается:** «{t}»"),
                    Err((_, m, _)) => format!("**Ошибка:** {m}"),
                },
            }
        }
        Kind::Local => match unit?.numbers.by_id.get(id) {
            None => unknown(),
            Some(n) => number_words(n),
        },
    })
}

fn number_words(n: &crate::index::Numbered) -> String {
    use crate::index::Target;
    let what = match n.target {
        Target::Clause => "пункт",
        Target::Row => "строка",
        Target::Section => "раздел",
        Target::Appendix => "приложение",
    };
    if n.number.is_empty() {
        format!("{what} без номера")
    } else {
        format!("{what} **{}**", n.number)
    }
}

/// The printed number of the clause or row whose text holds `offset`.
fn number_at(unit: &Unit, file: FileId, offset: usize) -> Option<(String, std::ops::Range<usize>)> {
    use crate::index::{NumberedClause, NumberedRow};
    fn within(t: Option<&crate::plan::Text>, offset: usize) -> Option<std::ops::Range<usize>> {
        let t = t?;
        let start = t.offset()?;
        (start <= offset && offset <= start + t.byte_len()).then(|| start..start + t.byte_len())
    }
    fn clauses(cs: &[NumberedClause], offset: usize) -> Option<(String, std::ops::Range<usize>)> {
        for c in cs {
            let s = c.spec;
            if let Some(r) =
                within(s.text.as_ref(), offset).or_else(|| within(s.to.as_ref(), offset))
            {
                let n = if c.number.is_empty() {
                    format!("подпункт «{}»", c.marker)
                } else {
                    format!("пункт **{}**", c.number)
                };
                return Some((n, r));
            }
            if let Some(hit) = clauses(&c.children, offset) {
                return Some(hit);
            }
        }
        None
    }
    if unit.file == file
        && let Some(hit) = clauses(&unit.clauses, offset)
    {
        return Some(hit);
    }
    for ((f, _), rows) in &unit.tables {
        if *f != file {
            continue;
        }
        for r in rows {
            if let NumberedRow::Row { spec, number } = r
                && let Some(start) = spec.offset()
                && start <= offset
                && offset <= start + spec.byte_len()
            {
                return Some((
                    format!("строка **{number}**"),
                    start..start + spec.byte_len(),
                ));
            }
        }
    }
    None
}
