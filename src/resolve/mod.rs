//! Plans → the document model: numbers, references, names in their cases,
//! dates in Russian, typography. Runs after `validate`; anything it cannot
//! resolve is reported as a diagnostic (and `check` runs the same code paths).

pub mod assets;
pub mod signoff;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diag::{Diagnostic, FileId};
use crate::index::queries::{criterion_value, tenure_on};
use crate::index::refs::{self, Refs};
use crate::index::{self, Entry, Index, NumberedClause, NumberedRow, Unit, UnitKind, span_of};
use crate::lang::deadline;
use crate::lang::expr;
use crate::lang::morph::{self, Case};
use crate::lang::typo::{self, Dash};
use crate::load::Workspace;
use crate::model::*;
use crate::plan::*;

/// Resolve-time choices of the issuer's profile that the model does not carry
/// (they shape text, not layout).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub dash: Dash,
    pub date_words: bool,
    pub operative: OperativeStyle,
    pub grif: bool,
    pub deadline_capitalize: bool,
}

/// Layout profile and text style of an issuer, with ГОСТ defaults (gost.md).
pub fn profile(org: Option<&Organisation>) -> (Profile, Style) {
    let spec = org.and_then(|o| o.profile.clone()).unwrap_or_default();
    let f = |v: &Option<Spanned<f32>>, d: f32| v.as_ref().map(|x| *x.get()).unwrap_or(d);
    let b = |v: &Option<Spanned<bool>>, d: bool| v.as_ref().map(|x| *x.get()).unwrap_or(d);
    let margins = spec
        .margins
        .as_ref()
        .map(|m| Margins {
            left: *m.left.get(),
            right: *m.right.get(),
            top: *m.top.get(),
            bottom: *m.bottom.get(),
        })
        .unwrap_or(Margins {
            left: 30.0,
            right: 10.0,
            top: 20.0,
            bottom: 20.0,
        });
    let p = Profile {
        template: spec
            .template
            .as_ref()
            .map(|t| t.get().clone())
            .unwrap_or_else(|| "default".into()),
        margins_mm: margins,
        font_family: spec
            .font_family
            .as_ref()
            .map(|t| t.get().clone())
            .unwrap_or_else(|| "Times New Roman".into()),
        pdf_font_family: "Liberation Serif".into(),
        font_size_pt: f(&spec.font_size, 14.0),
        table_font_size_pt: f(&spec.table_font_size, 12.0),
        small_font_size_pt: 10.0,
        line_spacing: f(&spec.line_spacing, 1.0),
        first_line_indent_mm: f(&spec.first_line_indent, 12.5),
        page_numbers_from: 2,
        appendix_page_restart: b(&spec.appendix_page_restart, false),
        title_bold: b(&spec.title_bold, true),
        title_align: match spec.title_align.as_ref().map(|a| *a.get()) {
            Some(AlignSpec::Left) => Align::Left,
            _ => Align::Center,
        },
        letterhead_bold: b(&spec.letterhead_bold, true),
        clause_hanging: b(&spec.clause_hanging, false),
    };
    let s = Style {
        dash: match spec.dash.as_ref().map(|d| *d.get()) {
            Some(DashSpec::En) => Dash::En,
            _ => Dash::Em,
        },
        date_words: spec
            .date_style
            .as_ref()
            .is_some_and(|d| *d.get() == DateStyle::Words),
        operative: match spec.operative.as_ref().map(|o| *o.get()) {
            Some(OperativeStyleSpec::Spaced) => OperativeStyle::Spaced,
            _ => OperativeStyle::Line,
        },
        grif: spec
            .stamp
            .as_ref()
            .is_some_and(|s| *s.get() == StampKind::Grif),
        deadline_capitalize: b(&spec.deadline_capitalize, true),
    };
    (p, s)
}

fn doc_kind_spaced(org: Option<&Organisation>) -> bool {
    org.and_then(|o| o.profile.as_ref())
        .and_then(|p| p.doc_kind_spaced.as_ref())
        .map(|v| *v.get())
        .unwrap_or(true)
}

/// One unit's text preparation: expansion of references, then typography.
struct Prep<'r, 'i, 'a> {
    refs: &'r Refs<'i, 'a>,
    style: Style,
}

impl Prep<'_, '_, '_> {
    fn raw(&self, raw: &str) -> String {
        let (s, _) = expr::expand(raw, |c| self.refs.resolve(c));
        s
    }
    fn text(&self, raw: &str) -> String {
        typo::typeset(&self.raw(raw), self.style.dash)
    }
    /// Paragraphs separated by blank lines.
    fn paragraphs(&self, raw: &str) -> Vec<String> {
        raw.split("\n\n")
            .map(|p| self.text(p))
            .filter(|p| !p.is_empty())
            .collect()
    }
    /// A cell's paragraphs and dash-list items: lines starting with `-`/`–`/`•`
    /// are items, other consecutive lines form one paragraph.
    fn cell_paras(&self, raw: &str) -> Vec<Para> {
        let expanded = self.raw(raw);
        let mut out: Vec<Para> = Vec::new();
        let mut current = String::new();
        let flush = |current: &mut String, out: &mut Vec<Para>, style: Style| {
            let t = typo::typeset(current, style.dash);
            if !t.is_empty() {
                out.push(Para::plain(None, t));
            }
            current.clear();
        };
        for line in expanded.lines() {
            let l = line.trim();
            if l.is_empty() {
                flush(&mut current, &mut out, self.style);
                continue;
            }
            let item = ["- ", "– ", "— ", "• ", "-\u{a0}", "–\u{a0}"]
                .iter()
                .find_map(|m| l.strip_prefix(m));
            match item {
                Some(rest) => {
                    flush(&mut current, &mut out, self.style);
                    out.push(Para::plain(
                        Some(self.style.dash.char().to_string()),
                        typo::typeset(rest, self.style.dash),
                    ));
                }
                None => {
                    // A line that continues a list item belongs to it.
                    if current.is_empty()
                        && let Some(last) = out.last_mut()
                        && last.marker.is_some()
                        && line.starts_with([' ', '\t'])
                    {
                        last.text = typo::typeset(&format!("{} {l}", last.text), self.style.dash);
                        continue;
                    }
                    if !current.is_empty() {
                        current.push(' ');
                    }
                    current.push_str(l);
                }
            }
        }
        flush(&mut current, &mut out, self.style);
        out
    }
}

fn date_text(d: NaiveDate, style: Style) -> String {
    if style.date_words {
        morph::date_words(d)
    } else {
        morph::date_numeric(d)
    }
}

/// The documents of every unit the pipeline numbered, and what stops the
/// others. The index's own diagnostics (duplicate ids, numbering) are the
/// pipeline's to report, so only what resolving adds is returned.
pub fn resolve(
    ws: &Workspace,
    ix: &Index,
    units: &[Unit],
    assets: &assets::Assets,
) -> (Vec<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut docs = Vec::new();
    let mut orders_by_id = std::collections::BTreeMap::new();
    // Typesetting every row of a large repository is worth both cores.
    let resolved: Vec<_> = units
        .par_iter()
        .map(|u| resolve_unit(ws, ix, u, assets))
        .collect();
    for (u, r) in units.iter().zip(resolved) {
        match r {
            Ok(d) => {
                if let Body::Order(o) = &d.body {
                    orders_by_id.insert(u.id().to_string(), (o.clone(), d.meta.clone()));
                }
                docs.push(d);
            }
            Err(mut e) => diags.append(&mut e),
        }
    }
    for b in ix.bundles.values() {
        let orders: Vec<(Order, Meta)> = b
            .item
            .orders
            .iter()
            .filter_map(|o| orders_by_id.get(o.get().as_str()).cloned())
            .collect();
        let first = b
            .item
            .orders
            .first()
            .and_then(|o| ix.orders.get(o.get().as_str()));
        let (p, style) = profile(
            first
                .and_then(|o| ix.orgs.get(o.item.issuer.get().as_str()))
                .map(|e| e.item),
        );
        let entries = orders
            .iter()
            .map(|(o, _)| BundleEntry {
                text: typo::typeset(
                    &format!(
                        "Приказ от {} {} «{}»",
                        o.letterhead.date, o.letterhead.number, o.title
                    ),
                    style.dash,
                ),
            })
            .collect();
        docs.push(Document {
            id: b.item.id.get().clone(),
            file_stem: typo::file_stem(b.item.id.get()),
            meta: Meta {
                title: typo::typeset(b.item.title.get(), style.dash),
                author: orders
                    .first()
                    .map(|(_, m)| m.author.clone())
                    .unwrap_or_default(),
                language: "ru".into(),
                draft: orders.iter().any(|(_, m)| m.draft),
                date: orders.iter().filter_map(|(_, m)| m.date.clone()).max(),
            },
            profile: p,
            body: Body::Bundle(Bundle {
                cover: b
                    .item
                    .cover
                    .iter()
                    .map(|c| typo::typeset(c.get(), style.dash))
                    .collect(),
                contents_title: "Содержание".into(),
                entries,
                orders: orders.into_iter().map(|(o, _)| o).collect(),
            }),
        });
    }
    // Two documents must never write the same file.
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for d in &mut docs {
        let n = seen.entry(d.file_stem.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            d.file_stem = format!("{}_{}", d.file_stem, n);
        }
    }
    (docs, diags)
}

/// A reference that could not be made (a missing case form), at the value
/// that asked for it.
fn err(file: FileId, at: &Text, e: refs::RefError) -> Diagnostic {
    Diagnostic::error(e.0, e.1)
        .at(span_of(file, at))
        .hint_opt(e.2)
}

/// Signature lines and the control clause text, or the diagnostics that stop them.
pub fn signature_and_control(
    ix: &Index,
    file: FileId,
    o: &OrderFile,
) -> Result<(Signature, Option<String>), Vec<Diagnostic>> {
    let date = o.date.get().0;
    let mut diags = Vec::new();
    let mut signature = Signature {
        position_lines: Vec::new(),
        name: String::new(),
        electronic: None,
    };
    // An unknown signatory is reported by validate as unknown-reference.
    if let Some(p) = ix.people.get(o.signatory.get().as_str()) {
        {
            let p = p.item;
            signature.name = format!("{} {}", refs::initials(p), p.surname.get());
            if let Some(t) = tenure_on(p, o.issuer.get(), date)
                && let Some(pos) = ix.positions.get(t.position.get().as_str())
            {
                let pos = pos.item;
                if t.acting {
                    match refs::case_form(
                        pos.name.get(),
                        &pos.cases,
                        Case::Gen,
                        "должности",
                        pos.id.get(),
                    ) {
                        Ok(g) => signature.position_lines.push(format!("И.о. {g}")),
                        Err(e) => diags.push(err(file, &o.signatory, e)),
                    }
                } else {
                    signature
                        .position_lines
                        .push(typo::capitalize(pos.name.get()));
                }
            }
        }
    }
    let control = match o.control.as_ref().map(|c| c.get()) {
        None => None,
        Some(Control::Itself) => {
            Some("Контроль за исполнением настоящего приказа оставляю за собой.".to_string())
        }
        Some(Control::Person(id)) => match ix.people.get(id.get().as_str()) {
            Some(p) => {
                let p = p.item;
                let position = tenure_on(p, o.issuer.get(), date)
                    .and_then(|t| ix.positions.get(t.position.get().as_str()))
                    .map(|pos| {
                        refs::case_form(
                            pos.item.name.get(),
                            &pos.item.cases,
                            Case::Acc,
                            "должности",
                            pos.item.id.get(),
                        )
                    });
                let surname = refs::surname_in(p, Case::Acc);
                match (position, surname) {
                    (Some(Ok(pos)), Ok(s)) => Some(format!(
                        "Контроль за исполнением настоящего приказа возложить на {pos} {} {s}.",
                        refs::initials(p)
                    )),
                    (Some(Err(e)), _) | (_, Err(e)) => {
                        diags.push(err(file, id, e));
                        None
                    }
                    (None, _) => None, // reported by validate as not-in-office
                }
            }
            None => None, // reported by validate as unknown-reference
        },
    };
    if diags.is_empty() {
        Ok((signature, control))
    } else {
        Err(diags)
    }
}

fn compose_clause(prep: &Prep, c: &ClauseSpec) -> String {
    let mut t = String::new();
    if let Some(to) = &c.to {
        t.push_str(prep.raw(to.get()).trim());
    }
    if let Some(x) = &c.text {
        if !t.is_empty() {
            t.push(' ');
        }
        t.push_str(prep.raw(x.get()).trim());
    } else if !t.is_empty() && !t.ends_with(':') {
        t.push(':');
    }
    if let Some(d) = &c.deadline {
        let printed = match deadline::parse(d.get()) {
            Ok(dl) => dl.print(false),
            Err(_) => d.get().trim().to_string(),
        };
        let punct: String = t
            .chars()
            .rev()
            .take_while(|c| ".;,:".contains(*c))
            .collect();
        let body = t.trim_end_matches(['.', ';', ',', ':']).to_string();
        let sep = if printed.starts_with("до ") {
            " в срок "
        } else {
            " в срок: "
        };
        t = format!(
            "{body}{sep}{printed}{}",
            punct.chars().rev().collect::<String>()
        );
    }
    typo::typeset(&t, prep.style.dash)
}

fn clauses(prep: &Prep, cs: &[NumberedClause]) -> Vec<Clause> {
    cs.iter()
        .map(|c| Clause {
            id: c.spec.id.as_ref().map(|i| i.get().clone()),
            marker: c.marker.clone(),
            marker_kind: c.kind,
            level: c.level,
            text: compose_clause(prep, c.spec),
            children: clauses(prep, &c.children),
        })
        .collect()
}

fn lines(s: &str, style: Style) -> Vec<String> {
    s.lines()
        .map(|l| typo::typeset(l, style.dash))
        .filter(|l| !l.is_empty())
        .collect()
}

fn resolve_unit(
    ws: &Workspace,
    ix: &Index,
    unit: &Unit,
    assets: &assets::Assets,
) -> Result<Document, Vec<Diagnostic>> {
    let refs = Refs::new(ix, unit);
    match unit.kind {
        UnitKind::Order(o) => {
            let org = ix.orgs.get(o.issuer.get().as_str()).map(|e| e.item);
            let (p, style) = profile(org);
            let prep = Prep { refs: &refs, style };
            let (signature, control) = signature_and_control(ix, unit.file, o)?;
            let mut cl = clauses(&prep, &unit.clauses);
            if let Some(c) = control {
                let next = unit
                    .clauses
                    .iter()
                    .rev()
                    .find_map(|c| c.number.parse::<u32>().ok())
                    .unwrap_or(0)
                    + 1;
                cl.push(Clause {
                    id: Some("control".into()),
                    marker: format!("{next}."),
                    marker_kind: MarkerKind::Number,
                    level: 1,
                    text: typo::typeset(&c, style.dash),
                    children: Vec::new(),
                });
            }
            let date = date_text(o.date.get().0, style);
            let number = o.number.as_ref().map(|n| n.get().trim().to_string());
            let org_gen = org
                .map(|g| {
                    refs::case_form(g.name.get(), &g.cases, Case::Gen, "организации", g.id.get())
                })
                .transpose()
                .map_err(|e| vec![err(unit.file, &o.issuer, e)])?
                .unwrap_or_default();
            let org_ins_stamp = org_gen.clone();
            let numbered = |n: &Option<String>| match n {
                Some(n) => format!("№ {n}"),
                None => "№ ____".to_string(),
            };
            let mut appendices = Vec::new();
            let total = unit.appendices.len();
            for (i, (_, entry)) in unit.appendices.iter().enumerate() {
                let Some(a) = entry else { continue };
                appendices.push(appendix(
                    ws,
                    &prep,
                    unit,
                    a,
                    i,
                    total,
                    &org_ins_stamp,
                    &date,
                    &numbered(&number),
                    style,
                ));
            }
            let executor = o
                .executor
                .as_ref()
                .and_then(|e| ix.people.get(e.get().as_str()))
                .map(|e| {
                    let p = e.item;
                    let full = [Some(&p.surname), p.name.as_ref(), p.patronymic.as_ref()]
                        .into_iter()
                        .flatten()
                        .map(|t| t.get().as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut l = vec![full];
                    if let Some(ph) = &p.phone {
                        l.push(ph.get().trim().to_string());
                    }
                    Executor { lines: l }
                });
            // An emblem that could not be read is an error of the pipeline's.
            let emblem = assets.emblem(o.issuer.get()).cloned();
            let letterhead = Letterhead {
                emblem,
                parent_lines: org
                    .and_then(|g| g.parent.as_ref())
                    .and_then(|pid| ix.orgs.get(pid.get().as_str()))
                    .map(|parent| org_lines(parent.item))
                    .unwrap_or_default(),
                body_lines: org.map(org_lines).unwrap_or_default(),
                doc_kind: "ПРИКАЗ".into(),
                doc_kind_spaced: doc_kind_spaced(org),
                date: date.clone(),
                number: typo::typeset(&numbered(&number), style.dash),
                place: o
                    .place
                    .as_ref()
                    .or(org.and_then(|g| g.place.as_ref()))
                    .map(|p| typo::typeset(p.get(), style.dash)),
            };
            let title = prep.text(o.title.get()).trim_end_matches('.').to_string();
            let op_style = match o.operative.as_ref().map(|s| *s.get()) {
                Some(OperativeStyleSpec::Line) => OperativeStyle::Line,
                Some(OperativeStyleSpec::Spaced) => OperativeStyle::Spaced,
                None => style.operative,
            };
            let meta = Meta {
                title: title.clone(),
                author: org.map(|g| g.name.get().clone()).unwrap_or_default(),
                language: "ru".into(),
                draft: o.status.as_ref().is_none_or(|s| !s.get().is_signed()),
                date: Some(o.date.get().0.format("%Y-%m-%d").to_string()),
            };
            let (visas, approval_sheet) =
                crate::resolve::signoff::approvals(ix, o, org, &title, style.dash);
            let mut signature = signature;
            signature.electronic = crate::resolve::signoff::electronic(ix, o);
            let stem = match &number {
                Some(n) => format!("{}_{}", o.date.get().0.format("%Y-%m-%d"), n),
                None => format!("{}_{}", o.date.get().0.format("%Y-%m-%d"), o.id.get()),
            };
            Ok(Document {
                id: o.id.get().clone(),
                file_stem: typo::file_stem(&stem),
                meta,
                profile: p,
                body: Body::Order(Order {
                    letterhead,
                    title,
                    preamble: o
                        .preamble
                        .as_ref()
                        .map(|p| prep.paragraphs(p.get()))
                        .unwrap_or_default(),
                    operative: Operative {
                        text: match op_style {
                            OperativeStyle::Line => "ПРИКАЗЫВАЮ:".into(),
                            OperativeStyle::Spaced => "приказываю:".into(),
                        },
                        style: op_style,
                    },
                    clauses: cl,
                    signature,
                    visas,
                    executor,
                    appendices,
                    approval_sheet,
                    qr: o
                        .qr
                        .as_ref()
                        .and_then(|q| crate::resolve::signoff::qr(q.get())),
                }),
            })
        }
        UnitKind::Document(d) => {
            let org = d
                .issuer
                .as_ref()
                .and_then(|i| ix.orgs.get(i.get().as_str()))
                .map(|e| e.item);
            let (p, style) = profile(org);
            let prep = Prep { refs: &refs, style };
            Ok(Document {
                id: d.id.get().clone(),
                file_stem: typo::file_stem(d.id.get()),
                meta: Meta {
                    title: typo::squash(&prep.text(d.title.get())),
                    author: org.map(|g| g.name.get().clone()).unwrap_or_default(),
                    language: "ru".into(),
                    draft: d.status.as_ref().is_none_or(|s| !s.get().is_signed()),
                    date: d
                        .date
                        .as_ref()
                        .map(|x| x.get().0.format("%Y-%m-%d").to_string()),
                },
                profile: p,
                body: Body::Standalone(Standalone {
                    stamp: Vec::new(),
                    title: lines(&prep.raw(d.title.get()), style),
                    landscape: d
                        .orientation
                        .as_ref()
                        .is_some_and(|o| *o.get() == Orientation::Landscape),
                    blocks: blocks(&prep, unit, unit.file, &d.blocks),
                }),
            })
        }
    }
}

fn org_lines(o: &Organisation) -> Vec<String> {
    if o.letterhead.is_empty() {
        vec![o.name.get().to_uppercase()]
    } else {
        o.letterhead
            .iter()
            .map(|l| l.get().trim().to_string())
            .collect()
    }
}

#[allow(clippy::too_many_arguments)]
fn appendix(
    _ws: &Workspace,
    prep: &Prep,
    unit: &Unit,
    a: &Entry<AppendixFile>,
    i: usize,
    total: usize,
    org_gen: &str,
    date: &str,
    number: &str,
    style: Style,
) -> Appendix {
    let a_item = a.item;
    let grif = a_item
        .stamp
        .as_ref()
        .map(|s| *s.get() == StampKind::Grif)
        .unwrap_or(style.grif);
    let stamp = if grif {
        let noun = a_item
            .noun
            .as_ref()
            .map(|n| n.get().clone())
            .unwrap_or_else(|| morph::head_noun(a_item.title.get()));
        vec![
            morph::approved(&noun).to_string(),
            format!("приказом {org_gen}"),
            format!("от {date} {number}"),
        ]
    } else {
        vec![
            if total == 1 {
                "Приложение".to_string()
            } else {
                format!("Приложение № {}", i + 1)
            },
            format!("к приказу {org_gen}"),
            format!("от {date} {number}"),
        ]
    };
    Appendix {
        id: a_item.id.get().clone(),
        stamp: stamp.iter().map(|s| typo::typeset(s, style.dash)).collect(),
        title: lines(&prep.raw(a_item.title.get()), style),
        landscape: a_item
            .orientation
            .as_ref()
            .is_some_and(|o| *o.get() == Orientation::Landscape),
        blocks: blocks(prep, unit, a.file, &a_item.blocks),
    }
}

fn blocks(prep: &Prep, unit: &Unit, file: FileId, specs: &[Spanned<BlockSpec>]) -> Vec<Block> {
    let mut out = Vec::new();
    for (bi, b) in specs.iter().enumerate() {
        match b.get() {
            BlockSpec::Heading(t) => out.push(Block::Heading {
                text: prep.text(t.get()),
            }),
            BlockSpec::Paragraph(t) => {
                for p in prep.paragraphs(t.get()) {
                    out.push(Block::Paragraph { text: p });
                }
            }
            BlockSpec::List(l) => {
                let style = l
                    .style
                    .as_ref()
                    .map(|s| *s.get())
                    .unwrap_or(ItemStyle::Dash);
                out.push(Block::List(List {
                    items: list_items(prep, style, l.items.iter().map(|t| t.get().as_str())),
                }));
            }
            BlockSpec::Activities(t) => {
                let rows = unit.tables.get(&(file, bi));
                out.push(activities(prep, t, rows.map(Vec::as_slice).unwrap_or(&[])));
            }
            BlockSpec::Indicators(t) => out.push(indicators(prep, t)),
            BlockSpec::Table(t) => out.push(generic(prep, t)),
            BlockSpec::Markers(m) => out.push(markers(prep, m)),
            BlockSpec::Groups(g) => {
                if let Some(c) = &g.caption {
                    out.push(Block::Heading {
                        text: prep.text(c.get()),
                    });
                }
                for gr in &g.groups {
                    out.push(Block::Paragraph {
                        text: prep.text(gr.title.get()),
                    });
                    out.push(Block::List(List {
                        items: list_items(
                            prep,
                            ItemStyle::Numbered,
                            gr.items.iter().map(|t| t.get().as_str()),
                        ),
                    }));
                }
            }
            BlockSpec::Glossary(g) => {
                out.push(Block::Heading {
                    text: g
                        .title
                        .as_ref()
                        .map(|t| prep.text(t.get()))
                        .unwrap_or_else(|| "Обозначения".into()),
                });
                for t in &g.terms {
                    out.push(Block::Paragraph {
                        text: prep.text(t.get()),
                    });
                }
            }
        }
    }
    out
}

fn list_items<'s>(
    prep: &Prep,
    style: ItemStyle,
    items: impl Iterator<Item = &'s str>,
) -> Vec<ListItem> {
    items
        .enumerate()
        .map(|(i, t)| ListItem {
            marker: match style {
                ItemStyle::Numbered => format!("{}.", i + 1),
                ItemStyle::Dash => prep.style.dash.char().to_string(),
                ItemStyle::Letters => {
                    const L: [char; 25] = [
                        'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'и', 'к', 'л', 'м', 'н', 'п', 'р', 'с',
                        'т', 'у', 'ф', 'х', 'ц', 'ш', 'щ', 'э', 'ю', 'я',
                    ];
                    L.get(i)
                        .map(|c| format!("{c})"))
                        .unwrap_or_else(|| format!("{})", i + 1))
                }
            },
            text: prep.text(t),
        })
        .collect()
}

fn activities(prep: &Prep, t: &ActivityTable, rows: &[NumberedRow]) -> Block {
    let numbering = index::numbering_of(t);
    // Rows get a number column; with `sections` only section titles are numbered.
    let numbered = matches!(numbering, Numbering::Hierarchical | Numbering::Continuous);
    let dot = t.number_dot.as_ref().is_some_and(|d| *d.get());
    let mut header = Vec::new();
    let mut widths = Vec::new();
    let mut align = Vec::new();
    let mut keys = Vec::new();
    if numbered {
        keys.push("number".to_string());
        header.push(HeaderCell::plain(
            t.number_title
                .as_ref()
                .map(|n| n.get().clone())
                .unwrap_or_else(|| "№ п/п".into()),
        ));
        widths.push(6.0);
        align.push(Align::Center);
    }
    for c in &t.columns {
        keys.push(c.key.get().clone());
        header.push(HeaderCell::plain(typo::typeset(
            c.title.get(),
            prep.style.dash,
        )));
        let deadline = c
            .kind
            .as_ref()
            .is_some_and(|k| *k.get() == ColumnType::Deadline);
        widths.push(c.width.as_ref().map(|w| *w.get()).unwrap_or(if deadline {
            12.0
        } else if c.key.get() == "activity" {
            30.0
        } else {
            16.0
        }));
        align.push(if c.center || deadline {
            Align::Center
        } else {
            Align::Left
        });
    }
    let section_style = match t.section_style.as_ref().map(|s| *s.get()) {
        Some(EmphasisSpec::Plain) => Emphasis::Plain,
        Some(EmphasisSpec::Italic) => Emphasis::Italic,
        _ => Emphasis::Bold,
    };
    let mut body = Vec::new();
    for r in rows {
        match r {
            NumberedRow::Section { spec, number } => {
                let title = prep.text(spec.title.get());
                let text = match number {
                    Some(n) if numbering != Numbering::None => format!("{n}.{}{title}", typo::NBSP),
                    _ => title,
                };
                body.push(Row::Section {
                    id: spec.id.as_ref().map(|i| i.get().clone()),
                    text,
                    style: section_style,
                });
            }
            NumberedRow::Row { spec, number } => {
                let mut cells = Vec::new();
                if numbered {
                    cells.push(Cell::text(if dot && !number.is_empty() {
                        format!("{number}.")
                    } else {
                        number.clone()
                    }));
                }
                for c in &t.columns {
                    let raw = spec
                        .cell(c.key.get())
                        .map(|v| v.get().as_str())
                        .unwrap_or("");
                    let deadline = c
                        .kind
                        .as_ref()
                        .is_some_and(|k| *k.get() == ColumnType::Deadline);
                    if deadline && !raw.contains("{{") && !raw.trim().is_empty() {
                        let printed = match deadline::parse(raw) {
                            Ok(d) => d.print(prep.style.deadline_capitalize),
                            Err(_) => raw.trim().to_string(),
                        };
                        cells.push(Cell::text(typo::typeset(&printed, prep.style.dash)));
                    } else {
                        cells.push(Cell {
                            paras: prep.cell_paras(raw),
                            colspan: 1,
                        });
                    }
                }
                body.push(Row::Cells {
                    id: spec.get().id.as_ref().map(|i| i.get().clone()),
                    cells,
                });
            }
        }
    }
    Block::Table(Table {
        id: t.id.as_ref().map(|i| i.get().clone()),
        keys,
        caption: t.caption.as_ref().map(|c| prep.text(c.get())),
        widths,
        header: vec![header],
        number_row: t.number_row.as_ref().is_some_and(|n| *n.get()),
        rows: body,
        keep_rows: true,
        align,
    })
}

fn indicators(prep: &Prep, t: &IndicatorTable) -> Block {
    let has_base = t.rows.iter().any(|r| r.baseline.is_some());
    let mut header = vec![
        HeaderCell::plain(
            t.indicator_title
                .as_ref()
                .map(|x| prep.text(x.get()))
                .unwrap_or_else(|| "Наименование показателя".into()),
        ),
        HeaderCell::plain(
            t.unit_title
                .as_ref()
                .map(|x| prep.text(x.get()))
                .unwrap_or_else(|| "Единица измерения".into()),
        ),
    ];
    let mut widths = vec![40.0, 10.0];
    let mut align = vec![Align::Left, Align::Center];
    if has_base {
        header.push(HeaderCell::plain(
            t.baseline_title
                .as_ref()
                .map(|x| prep.text(x.get()))
                .unwrap_or_else(|| "Базовое значение".into()),
        ));
        widths.push(8.0);
        align.push(Align::Center);
    }
    for y in t.years.get() {
        header.push(HeaderCell::plain(y.get().to_string()));
        widths.push(8.0);
        align.push(Align::Center);
    }
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                Cell::text(prep.text(r.indicator.get())),
                Cell::text(prep.text(r.unit.get())),
            ];
            if has_base {
                cells.push(Cell::text(
                    r.baseline
                        .as_ref()
                        .map(|b| prep.text(b.get()))
                        .unwrap_or_default(),
                ));
            }
            cells.extend(
                r.values
                    .get()
                    .iter()
                    .map(|v| Cell::text(prep.text(v.get()))),
            );
            Row::Cells {
                id: r.id.as_ref().map(|i| i.get().clone()),
                cells,
            }
        })
        .collect();
    Block::Table(Table {
        id: None,
        keys: Vec::new(),
        caption: t.caption.as_ref().map(|c| prep.text(c.get())),
        widths,
        header: vec![header],
        number_row: false,
        rows,
        keep_rows: true,
        align,
    })
}

fn generic(prep: &Prep, t: &GenericTable) -> Block {
    let header: Vec<Vec<HeaderCell>> = t
        .header
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| match c.get() {
                    HeaderCellSpec::Text(s) => HeaderCell::plain(prep.text(s)),
                    HeaderCellSpec::Number(n) => HeaderCell::plain(n.to_string()),
                    HeaderCellSpec::Span {
                        text,
                        colspan,
                        rowspan,
                    } => HeaderCell {
                        text: prep.text(text),
                        colspan: colspan.unwrap_or(1).max(1),
                        rowspan: rowspan.unwrap_or(1).max(1),
                        rotate: false,
                    },
                })
                .collect()
        })
        .collect();
    let cols = crate::index::queries::header_columns(&t.header)
        .max(t.rows.iter().map(|r| r.get().len()).max().unwrap_or(0));
    let widths = t
        .widths
        .as_ref()
        .map(|w| w.get().clone())
        .filter(|w| w.len() == cols)
        .unwrap_or_else(|| vec![1.0; cols]);
    let rows = t
        .rows
        .iter()
        .map(|r| Row::Cells {
            id: None,
            cells: r
                .get()
                .iter()
                .map(|c| Cell {
                    paras: prep.cell_paras(c.get()),
                    colspan: 1,
                })
                .collect(),
        })
        .collect();
    Block::Table(Table {
        id: None,
        keys: Vec::new(),
        caption: t.caption.as_ref().map(|c| prep.text(c.get())),
        widths,
        header,
        number_row: t.number_row.as_ref().is_some_and(|n| *n.get()),
        rows,
        keep_rows: true,
        align: vec![Align::Left; cols],
    })
}

fn markers(prep: &Prep, m: &MarkerMatrix) -> Block {
    let ix = prep.refs.ix;
    let mut top = vec![HeaderCell {
        text: prep.text(m.row_title.get()),
        colspan: 1,
        rowspan: 2,
        rotate: false,
    }];
    let mut second = Vec::new();
    let mut widths = vec![24.0];
    let mut align = vec![Align::Left];
    for g in &m.groups {
        top.push(HeaderCell {
            text: prep.text(g.title.get()),
            colspan: g.columns.len().max(1) as u16,
            rowspan: 1,
            rotate: false,
        });
        for c in &g.columns {
            second.push(HeaderCell {
                text: prep.text(c.get()),
                colspan: 1,
                rowspan: 1,
                rotate: true,
            });
            widths.push(3.0);
            align.push(Align::Center);
        }
    }
    for c in &m.criteria {
        top.push(HeaderCell {
            text: prep.text(c.title.get()),
            colspan: 1,
            rowspan: 2,
            rotate: true,
        });
        widths.push(4.0);
        align.push(Align::Center);
    }
    let rows = m
        .rows
        .iter()
        .map(|r| {
            let label = match (&r.label, &r.institution) {
                (Some(l), _) => prep.text(l.get()),
                (None, Some(i)) => ix
                    .institutions
                    .get(i.get().as_str())
                    .map(|e| e.item.short.as_ref().unwrap_or(&e.item.name).get().clone())
                    .unwrap_or_else(|| i.get().clone()),
                (None, None) => String::new(),
            };
            let mut cells = vec![Cell::text(typo::typeset(&label, prep.style.dash))];
            cells.extend(
                r.markers
                    .get()
                    .iter()
                    .map(|v| Cell::text(v.get().to_string())),
            );
            // Criteria are computed from the marks, never copied from the plan.
            for c in &m.criteria {
                cells.push(Cell::text(
                    criterion_value(m, c, r.markers.get().iter().map(|v| *v.get())).to_string(),
                ));
            }
            Row::Cells {
                id: r.institution.as_ref().map(|i| i.get().clone()),
                cells,
            }
        })
        .collect();
    Block::Table(Table {
        id: None,
        keys: Vec::new(),
        caption: m.caption.as_ref().map(|c| prep.text(c.get())),
        widths,
        header: vec![top, second],
        number_row: false,
        rows,
        keep_rows: true,
        align,
    })
}
