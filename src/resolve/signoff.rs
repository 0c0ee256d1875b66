//! The sign-off parts of an order in the model: visas or the approval sheet,
//! the electronic-signature stamp, the QR code.

use crate::diag::{Code, Diagnostic, FileId};
use crate::index::queries::approval_position;
use crate::index::{Index, Target, Unit, span_of};
use crate::lang::morph::date_numeric;
use crate::lang::typo::{self, Dash};
use crate::model::{
    Align, ApprovalSheet, Cell, ClauseComment, ElectronicSignature, Qr, Row, Table, Visa,
};
use crate::plan::{Approval, ApprovalResult, ApprovalStyle, OrderFile, Organisation, Person};

/// Side of the printed QR code: readable by phones at arm's length, small
/// enough for the corner of the first page.
pub const QR_SIZE_MM: f32 = 20.0;

fn short_name(p: &Person) -> String {
    format!(
        "{}\u{a0}{}",
        crate::index::refs::initials(p),
        p.surname.get()
    )
}

fn full_name(p: &Person) -> String {
    let parts: Vec<&str> = [Some(&p.surname), p.name.as_ref(), p.patronymic.as_ref()]
        .into_iter()
        .flatten()
        .map(|t| t.get().as_str())
        .collect();
    if parts.len() > 1 {
        parts.join(" ")
    } else {
        format!("{} {}", p.surname.get(), crate::index::refs::initials(p))
    }
}

/// The remarks of a visa that names a clause, as a comment on that clause.
/// Whether the clause exists is checked with the order's requisites
/// ([`approval_clauses`]).
fn comment(a: &Approval, person: Option<&Person>, dash: Dash) -> Option<ClauseComment> {
    let clause = a.clause.as_ref()?;
    let text = a.remarks.as_ref()?.get().trim();
    Some(ClauseComment {
        clause: clause.get().clone(),
        author: person
            .map(|p| format!("{} {}", crate::index::refs::initials(p), p.surname.get()))
            .unwrap_or_else(|| a.person.get().clone()),
        date: a
            .date
            .as_ref()
            .map(|d| format!("{}T00:00:00Z", d.get().0.format("%Y-%m-%d"))),
        text: typo::typeset(text, dash),
    })
}

/// Visas that name a clause: the clause must be one of the order's, and
/// the visa must have remarks to anchor there.
pub fn approval_clauses(o: &OrderFile, unit: &Unit, file: FileId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in &o.approvals {
        let Some(c) = &a.clause else { continue };
        let known = unit
            .numbers
            .by_id
            .get(c.get().as_str())
            .is_some_and(|n| n.target == Target::Clause);
        if !known {
            let clauses = unit
                .numbers
                .by_id
                .iter()
                .filter(|(_, n)| n.target == Target::Clause)
                .map(|(id, _)| id.as_str());
            out.push(
                Diagnostic::error(
                    Code::UnknownReference,
                    format!("пункт «{}»: нет такого id в этом приказе", c.get()),
                )
                .at(span_of(file, c))
                .hint_opt(crate::index::refs::near(c.get(), clauses)),
            );
        } else if a.remarks.as_ref().is_none_or(|r| r.get().trim().is_empty()) {
            out.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("виза указывает пункт «{}», но замечаний нет", c.get()),
                )
                .at(span_of(file, c))
                .hint("добавьте remarks или уберите clause"),
            );
        }
    }
    out
}

/// Visas under the signature, or the approval sheet, as the issuer's profile says.
pub fn approvals(
    ix: &Index,
    o: &OrderFile,
    org: Option<&Organisation>,
    title: &str,
    dash: Dash,
) -> (Vec<Visa>, Option<ApprovalSheet>) {
    let visas: Vec<Visa> = o
        .approvals
        .iter()
        .map(|a| {
            let person = ix.people.get(a.person.get().as_str()).map(|e| e.item);
            let position = approval_position(ix, o, a)
                .and_then(|id| ix.positions.get(id))
                .map(|p| typo::capitalize(p.item.name.get()))
                .unwrap_or_default();
            let remarks = a.remarks.as_ref().map(|r| r.get().trim().to_string());
            let remarks = match (a.result.as_ref().map(|r| *r.get()), remarks) {
                (Some(ApprovalResult::Remarks), r) => Some(match r {
                    Some(r) => format!("Согласовано с замечаниями: {r}"),
                    None => "Согласовано с замечаниями".to_string(),
                }),
                (Some(ApprovalResult::Rejected), r) => Some(match r {
                    Some(r) => format!("Не согласовано: {r}"),
                    None => "Не согласовано".to_string(),
                }),
                (_, r) => r,
            };
            Visa {
                position: typo::typeset(&position, dash),
                name: person
                    .map(short_name)
                    .unwrap_or_else(|| a.person.get().clone()),
                date: a
                    .date
                    .as_ref()
                    .map(|d| date_numeric(d.get().0))
                    .unwrap_or_default(),
                remarks: remarks.map(|r| typo::typeset(&r, dash)),
                comment: comment(a, person, dash),
            }
        })
        .collect();
    let sheet = org
        .and_then(|g| g.profile.as_ref())
        .and_then(|p| p.approvals.as_ref())
        .is_some_and(|s| *s.get() == ApprovalStyle::Sheet);
    if !sheet || visas.is_empty() {
        return (visas, None);
    }
    let rows = visas
        .iter()
        .enumerate()
        .map(|(i, v)| Row::Cells {
            id: o.approvals.get(i).map(|a| a.person.get().clone()),
            cells: vec![
                Cell::text((i + 1).to_string()),
                Cell::text(v.position.clone()),
                Cell::text(v.name.clone()),
                Cell::text(v.date.clone()),
                Cell::text(v.remarks.clone().unwrap_or_else(|| {
                    let agreed = o
                        .approvals
                        .get(i)
                        .and_then(|a| a.result.as_ref())
                        .is_some_and(|r| *r.get() == ApprovalResult::Agreed);
                    if agreed {
                        "Согласовано".into()
                    } else {
                        String::new()
                    }
                })),
                Cell::text(""),
            ],
        })
        .collect();
    let table = Table::simple(
        &[
            ("number", "№ п/п", 5.0, Align::Center),
            ("position", "Должность", 30.0, Align::Left),
            ("name", "Фамилия, инициалы", 18.0, Align::Left),
            ("date", "Дата", 13.0, Align::Center),
            ("remarks", "Результат, замечания", 22.0, Align::Left),
            ("signature", "Подпись", 12.0, Align::Left),
        ],
        rows,
    );
    (
        Vec::new(),
        Some(ApprovalSheet {
            title: vec![
                "ЛИСТ СОГЛАСОВАНИЯ".into(),
                format!("проекта приказа «{title}»"),
            ],
            table,
            comments: visas.iter().filter_map(|v| v.comment.clone()).collect(),
        }),
    )
}

/// The stamp that replaces the handwritten signature (ГОСТ Р 7.0.97-2025).
pub fn electronic(ix: &Index, o: &OrderFile) -> Option<ElectronicSignature> {
    let es = o.esign.as_ref()?;
    let owner_id = es.owner.as_ref().unwrap_or(&o.signatory);
    let owner = ix
        .people
        .get(owner_id.get().as_str())
        .map(|e| full_name(e.item))
        .unwrap_or_else(|| owner_id.get().clone());
    Some(ElectronicSignature {
        lines: vec![
            "ДОКУМЕНТ ПОДПИСАН".into(),
            "ЭЛЕКТРОННОЙ ПОДПИСЬЮ".into(),
            format!("Сертификат: {}", es.certificate.get().trim()),
            format!("Владелец: {owner}"),
            format!(
                "Действителен с {} по {}",
                date_numeric(es.from.get().0),
                date_numeric(es.to.get().0)
            ),
        ],
    })
}

/// The QR code of `text`, or `None` when it is too long to encode.
pub fn qr(text: &str) -> Option<Qr> {
    let code = qrcode::QrCode::new(text.trim().as_bytes()).ok()?;
    let w = code.width();
    let colors = code.to_colors();
    let modules = colors
        .chunks(w)
        .map(|row| {
            row.iter()
                .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
                .collect()
        })
        .collect();
    Some(Qr {
        text: text.trim().to_string(),
        modules,
        size_mm: QR_SIZE_MM,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_code_is_square_with_finder_patterns() {
        let q = qr("https://example.org/prikaz/978-ОД").expect("qr");
        let n = q.modules.len();
        assert!(n >= 21 && (n - 21).is_multiple_of(4), "{n}");
        assert!(q.modules.iter().all(|r| r.len() == n));
        // The top-left finder pattern starts with seven dark modules.
        assert!(q.modules[0].starts_with("1111111"));
        assert!(q.modules[n - 1].starts_with("1111111"));
    }
}
