//! The rules of an order's path from draft to register: approvals (visas),
//! the electronic signature, and what `build --final` demands.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::index::queries::{approval_position, tenure_on};
use crate::index::{Entry, Index, span_of};
use crate::lang::morph::date_numeric;
use crate::plan::{ApprovalResult, OrderFile};

/// Rules on approvals and the electronic signature, run by `check`.
pub fn check(ix: &Index, diags: &mut Vec<Diagnostic>) {
    for org in ix.orgs.values() {
        if let Some(p) = &org.item.profile {
            for a in &p.approvers {
                if !ix.positions.contains_key(a.get().as_str()) {
                    diags.push(
                        Index::unknown("должность", a.get(), ix.positions.keys().copied())
                            .at(span_of(org.file, a)),
                    );
                }
            }
        }
    }
    for o in ix.orders.values() {
        check_order(ix, o, diags);
    }
}

fn check_order(ix: &Index, e: &Entry<OrderFile>, diags: &mut Vec<Diagnostic>) {
    let (file, o) = (e.file, e.item);
    let order_date = o.date.get().0;
    let signed = o.status().is_signed();
    let mut seen: BTreeMap<&str, crate::diag::Span> = BTreeMap::new();
    for a in &o.approvals {
        let Some(person) = ix.people.get(a.person.get().as_str()) else {
            diags.push(
                Index::unknown("лицо", a.person.get(), ix.people.keys().copied())
                    .at(span_of(file, &a.person)),
            );
            continue;
        };
        let span = span_of(file, &a.person);
        if let Some(first) = seen.get(a.person.get().as_str()) {
            diags.push(
                Diagnostic::warning(
                    Code::ApprovalDuplicate,
                    format!("виза «{}» указана дважды", a.person.get()),
                )
                .at(span)
                .also(*first, "первая виза"),
            );
        } else {
            seen.insert(a.person.get().as_str(), span);
        }
        match &a.position {
            Some(p) if !ix.positions.contains_key(p.get().as_str()) => diags.push(
                Index::unknown("должность", p.get(), ix.positions.keys().copied())
                    .at(span_of(file, p)),
            ),
            Some(_) => {}
            None => {
                let date = a.date.as_ref().map(|d| d.get().0).unwrap_or(order_date);
                if tenure_on(person.item, o.issuer.get(), date).is_none() {
                    diags.push(
                        Diagnostic::error(
                            Code::NotInOffice,
                            format!(
                                "визирующий «{}» не занимает должность в «{}» на {}",
                                a.person.get(),
                                o.issuer.get(),
                                date_numeric(date)
                            ),
                        )
                        .at(span)
                        .hint("укажите должность визы (position) или сроки полномочий в реестре"),
                    );
                }
            }
        }
        if let Some(d) = &a.date
            && d.get().0 > order_date
        {
            diags.push(
                Diagnostic::warning(
                    Code::ApprovalAfterSigning,
                    format!(
                        "виза от {} позже даты приказа {}",
                        date_numeric(d.get().0),
                        date_numeric(order_date)
                    ),
                )
                .at(span_of(file, d))
                .hint("визы собирают до подписания; проверьте дату визы или дату приказа"),
            );
        }
        if let Some(r) = &a.result
            && *r.get() == ApprovalResult::Rejected
        {
            diags.push(
                Diagnostic::warning(
                    Code::ApprovalRejected,
                    format!("«{}» не согласовал проект", a.person.get()),
                )
                .at(span_of(file, r))
                .hint("доработайте проект и получите визу заново"),
            );
        }
        if signed && (a.date.is_none() || a.result.is_none()) {
            diags.push(
                Diagnostic::error(
                    Code::ApprovalPending,
                    format!(
                        "приказ подписан, а виза «{}» не получена (нет {})",
                        a.person.get(),
                        match (a.date.is_none(), a.result.is_none()) {
                            (true, true) => "даты и результата",
                            (true, false) => "даты",
                            _ => "результата",
                        }
                    ),
                )
                .at(span)
                .hint("укажите date и result визы (agreed, remarks, rejected)"),
            );
        }
    }
    if let Some(es) = &o.esign {
        if let Some(owner) = &es.owner
            && !ix.people.contains_key(owner.get().as_str())
        {
            diags.push(
                Index::unknown("лицо", owner.get(), ix.people.keys().copied())
                    .at(span_of(file, owner)),
            );
        }
        let (from, to) = (es.from.get().0, es.to.get().0);
        if to < from {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    "сертификат действителен по дату раньше даты начала",
                )
                .at(span_of(file, &es.to))
                .also(span_of(file, &es.from), "начало срока действия"),
            );
        } else if order_date < from || order_date > to {
            diags.push(
                Diagnostic::error(
                    Code::EsignExpired,
                    format!(
                        "на дату приказа {} сертификат недействителен (с {} по {})",
                        date_numeric(order_date),
                        date_numeric(from),
                        date_numeric(to)
                    ),
                )
                .at(span_of(file, &es.certificate))
                .hint("подпишите действующим сертификатом или проверьте даты"),
            );
        }
        if !signed {
            diags.push(
                Diagnostic::warning(
                    Code::EsignUnsigned,
                    "указана электронная подпись, а приказ не подписан по статусу",
                )
                .at(span_of(file, &es.certificate))
                .hint("после подписания укажите status: signed"),
            );
        }
    }
}

/// What keeps each order from its final (signed-off) build: each is an error
/// that says exactly what is missing. `build --final` runs it after `check`.
pub fn final_readiness(ix: &Index) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for e in ix.orders.values() {
        let (file, o) = (e.file, e.item);
        let at = span_of(file, &o.id);
        let status = o.status();
        if !status.is_signed() {
            diags.push(
                Diagnostic::error(
                    Code::FinalNotSigned,
                    format!(
                        "приказ «{}» не подписан: статус «{}»",
                        o.id.get(),
                        status.russian()
                    ),
                )
                .at(o.status.as_ref().map(|s| span_of(file, s)).unwrap_or(at))
                .hint("после подписания укажите status: signed"),
            );
        }
        if o.number.is_none() {
            diags.push(
                Diagnostic::error(
                    Code::FinalNumberMissing,
                    format!("у приказа «{}» нет регистрационного номера", o.id.get()),
                )
                .at(at)
                .hint(format!(
                    "присвойте номер: prikaz register {}",
                    "<файл приказа>"
                )),
            );
        }
        let required: Vec<&str> = ix
            .orgs
            .get(o.issuer.get().as_str())
            .and_then(|g| g.item.profile.as_ref())
            .map(|p| p.approvers.iter().map(|a| a.get().as_str()).collect())
            .unwrap_or_default();
        for pos in required {
            let covered = o
                .approvals
                .iter()
                .any(|a| approval_position(ix, o, a) == Some(pos));
            if !covered {
                let name = ix
                    .positions
                    .get(pos)
                    .map(|p| p.item.name.get().clone())
                    .unwrap_or_else(|| pos.to_string());
                diags.push(
                    Diagnostic::error(
                        Code::FinalApprovalMissing,
                        format!("нет визы: {name}"),
                    )
                    .at(at)
                    .hint(format!(
                        "добавьте в approvals визу с position: {pos} (обязательна по профилю органа)"
                    )),
                );
            }
        }
        for a in &o.approvals {
            let span = span_of(file, &a.person);
            match a.result.as_ref().map(|r| *r.get()) {
                Some(ApprovalResult::Rejected) => diags.push(
                    Diagnostic::error(
                        Code::FinalApprovalRejected,
                        format!("виза «{}»: не согласовано", a.person.get()),
                    )
                    .at(span)
                    .hint("окончательная редакция не собирается с отказом в согласовании"),
                ),
                None => diags.push(
                    Diagnostic::error(
                        Code::FinalApprovalPending,
                        format!("виза «{}» ещё не получена", a.person.get()),
                    )
                    .at(span)
                    .hint("укажите date и result визы"),
                ),
                Some(_) if a.date.is_none() => diags.push(
                    Diagnostic::error(
                        Code::FinalApprovalPending,
                        format!("у визы «{}» нет даты", a.person.get()),
                    )
                    .at(span)
                    .hint("укажите date визы"),
                ),
                Some(_) => {}
            }
        }
    }
    diags
}
