//! An order: letterhead, clauses with their deadlines, the signature and the
//! control clause, executor, and the appendices with their stamps.

use crate::diag::{Diagnostic, FileId};
use crate::index::queries::tenure_on;
use crate::index::refs::{self, Refs};
use crate::index::{Entry, Index, NumberedClause, Unit, span_of};
use crate::lang::morph::{self, Case};
use crate::lang::typo;
use crate::model::*;
use crate::plan::*;

use super::assets;
use super::blocks::blocks;
use super::profile::{Style, doc_kind_spaced, profile};
use super::text::{Prep, date_text, lines};

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
    // The phrases are the issuer's practice: its profile may word them.
    let profile = ix
        .orgs
        .get(o.issuer.get().as_str())
        .and_then(|e| e.item.profile.as_ref());
    let phrase = |pick: fn(&ProfileSpec) -> Option<&Text>, default: &str| {
        profile
            .and_then(pick)
            .map(|t| t.get().trim().to_string())
            .unwrap_or_else(|| default.to_string())
    };
    let control = match o.control.as_ref().map(|c| c.get()) {
        None => None,
        Some(Control::Itself) => Some(phrase(
            |p| p.control_self.as_ref(),
            "Контроль за исполнением настоящего приказа оставляю за собой.",
        )),
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
                    (Some(Ok(pos)), Ok(s)) => Some(
                        phrase(
                            |p| p.control_person.as_ref(),
                            "Контроль за исполнением настоящего приказа возложить на {кому}.",
                        )
                        .replace("{кому}", &format!("{pos} {} {s}", refs::initials(p))),
                    ),
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

/// How a clause's text leads into its deadline: «в срок до 10.12.2024»,
/// «в срок: ноябрь 2024 г.» for a bare date or period, and nothing for a
/// deadline that reads on by itself («ежеквартально», «в течение года», «по
/// мере необходимости», «не позднее …»).
fn deadline_joint(printed: &str) -> &'static str {
    const PERIODS: [&str; 16] = [
        "январ",
        "феврал",
        "март",
        "апрел",
        "ма",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
        "i ",
        "ii",
        "iv",
        "v",
    ];
    // The printed form glues «I\u{a0}квартал» with a no-break space.
    let lower = printed.to_lowercase().replace('\u{a0}', " ");
    if lower.starts_with("до ") {
        " в срок "
    } else if lower.starts_with("в срок") || lower.starts_with("срок") {
        " "
    } else if lower.starts_with(|c: char| c.is_ascii_digit())
        || PERIODS.iter().any(|p| lower.starts_with(p))
    {
        " в срок: "
    } else {
        " "
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
        let printed = super::tables::deadline_text(prep, d.get(), super::tables::First::Lower);
        let punct: String = t
            .chars()
            .rev()
            .take_while(|c| ".;,:".contains(*c))
            .collect();
        let body = t.trim_end_matches(['.', ';', ',', ':']).to_string();
        let mut punct: String = punct.chars().rev().collect();
        // «… до 1 апреля 2025 г.» ends the sentence with its own dot.
        if printed.ends_with('.') && punct.starts_with('.') {
            punct.remove(0);
        }
        t = format!("{body}{}{printed}{punct}", deadline_joint(&printed));
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

/// What of an order can fail to resolve: the signature, the control clause
/// and the issuer's genitive (for the letterhead and the stamps), with every
/// problem found. The rest of an order (clauses, appendices, tables) cannot
/// fail: its functions return model values, not `Result`s. So running this
/// alone — as `check` does — is exactly as strict as building the document.
pub(super) struct Requisites {
    pub signature: Signature,
    pub control: Option<String>,
    pub org_gen: String,
    pub problems: Vec<Diagnostic>,
}

pub(super) fn requisites(ix: &Index, unit: &Unit, o: &OrderFile) -> Requisites {
    let org = ix.orgs.get(o.issuer.get().as_str()).map(|e| e.item);
    let mut problems = Vec::new();
    let (signature, control) = match signature_and_control(ix, unit.file, o) {
        Ok(sc) => sc,
        Err(d) => {
            problems.extend(d);
            Default::default()
        }
    };
    let org_gen = match org
        .map(|g| refs::case_form(g.name.get(), &g.cases, Case::Gen, "организации", g.id.get()))
        .transpose()
    {
        Ok(g) => g.unwrap_or_default(),
        Err(e) => {
            problems.push(err(unit.file, &o.issuer, e));
            String::new()
        }
    };
    problems.extend(crate::resolve::signoff::approval_clauses(
        o, unit, unit.file,
    ));
    Requisites {
        signature,
        control,
        org_gen,
        problems,
    }
}

/// An order's document, or the diagnostics that stop it.
pub(super) fn order_document(
    ix: &Index,
    unit: &Unit,
    o: &OrderFile,
    refs: &Refs,
    assets: &assets::Assets,
) -> Result<Document, Vec<Diagnostic>> {
    let org = ix.orgs.get(o.issuer.get().as_str()).map(|e| e.item);
    let (p, style) = profile(org);
    let prep = Prep { refs, style };
    // Every problem of the order is reported at once, not the first alone.
    let Requisites {
        signature,
        control,
        org_gen,
        problems,
    } = requisites(ix, unit, o);
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
            // «Фоминых Вера Александровна», or «Фоминых В.А.» when the
            // registry gives only the initials: never the surname alone.
            let full = if p.name.is_none() && p.patronymic.is_none() {
                let i = crate::index::refs::initials(p);
                if i.is_empty() {
                    p.surname.get().clone()
                } else {
                    format!("{}\u{a0}{i}", p.surname.get())
                }
            } else {
                refs::full_name(p)
            };
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
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Document {
        id: o.id.get().clone(),
        file_stem: typo::file_stem(&stem),
        meta,
        profile: p,
        body: Body::Order(Order {
            letterhead,
            issuer_gen: typo::typeset(&org_ins_stamp, style.dash),
            title,
            preamble: o
                .preamble
                .as_ref()
                .map(|p| prep.paragraphs(p.get()))
                .unwrap_or_default(),
            operative: Operative {
                text: super::profile::operative_text(org).unwrap_or_else(|| match op_style {
                    OperativeStyle::Line => "ПРИКАЗЫВАЮ:".into(),
                    OperativeStyle::Spaced => "приказываю:".into(),
                }),
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
    let kind = a_item
        .stamp
        .as_ref()
        .map(|s| *s.get())
        .unwrap_or(style.stamp);
    let grif = || {
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
    };
    let mark = || {
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
    let stamp = match kind {
        StampKind::Grif => grif(),
        StampKind::Appendix => mark(),
        // Both, as many bodies print them: the mark, a blank line, the grif.
        StampKind::Both => {
            let mut v = mark();
            v.push(String::new());
            v.extend(grif());
            v
        }
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
