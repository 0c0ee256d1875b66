//! The path of an order from draft to register: approval (visa) and
//! electronic-signature rules, what `build --final` demands, the next
//! registration number, and the registration journal.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::diag::Diagnostic;
use crate::index::{Entry, Index, span_of};
use crate::morph::date_numeric;
use crate::plan::{ApprovalResult, OrderFile, Status};
use crate::validate::tenure_on;

fn status_of(o: &OrderFile) -> Status {
    o.status.as_ref().map(|s| *s.get()).unwrap_or(Status::Draft)
}

/// The position id an approval stands for: as written, or the one the
/// person holds in the issuer on the visa's date (the order's date if none).
pub fn approval_position<'a>(
    ix: &'a Index,
    o: &'a OrderFile,
    a: &'a crate::plan::Approval,
) -> Option<&'a str> {
    if let Some(p) = &a.position {
        return Some(p.get().as_str());
    }
    let date = a.date.as_ref().map(|d| d.get().0).unwrap_or(o.date.get().0);
    let person = ix.people.get(a.person.get().as_str())?;
    tenure_on(person.item, o.issuer.get(), date).map(|t| t.position.get().as_str())
}

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
    let signed = status_of(o).is_signed();
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
                    "approval-duplicate",
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
                            "not-in-office",
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
                    "approval-after-signing",
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
                    "approval-rejected",
                    format!("«{}» не согласовал проект", a.person.get()),
                )
                .at(span_of(file, r))
                .hint("доработайте проект и получите визу заново"),
            );
        }
        if signed && (a.date.is_none() || a.result.is_none()) {
            diags.push(
                Diagnostic::error(
                    "approval-pending",
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
                    "invalid-value",
                    "сертификат действителен по дату раньше даты начала",
                )
                .at(span_of(file, &es.to))
                .also(span_of(file, &es.from), "начало срока действия"),
            );
        } else if order_date < from || order_date > to {
            diags.push(
                Diagnostic::error(
                    "esign-expired",
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
                    "esign-unsigned",
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
        let status = status_of(o);
        if !status.is_signed() {
            diags.push(
                Diagnostic::error(
                    "final-not-signed",
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
                    "final-number-missing",
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
                        "final-approval-missing",
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
                        "final-approval-rejected",
                        format!("виза «{}»: не согласовано", a.person.get()),
                    )
                    .at(span)
                    .hint("окончательная редакция не собирается с отказом в согласовании"),
                ),
                None => diags.push(
                    Diagnostic::error(
                        "final-approval-pending",
                        format!("виза «{}» ещё не получена", a.person.get()),
                    )
                    .at(span)
                    .hint("укажите date и result визы"),
                ),
                Some(_) if a.date.is_none() => diags.push(
                    Diagnostic::error(
                        "final-approval-pending",
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

// ------------------------------------------------------------ registration

/// A registration number split into its sequence and register suffix.
pub fn split_number(n: &str) -> Option<(u32, &str)> {
    let n = n.trim();
    let (seq, suffix) = n.split_once('-').unwrap_or((n, ""));
    seq.parse().ok().map(|s| (s, suffix))
}

/// The next free sequence number of `issuer` in `register` for `year`, over
/// every order of the repository.
pub fn next_number(ix: &Index, issuer: &str, register: &str, year: i32) -> u32 {
    ix.orders
        .values()
        .filter(|o| o.item.issuer.get() == issuer && o.item.date.get().0.year() == year)
        .filter_map(|o| o.item.number.as_ref())
        .filter_map(|n| split_number(n.get()))
        .filter(|(_, s)| *s == register)
        .map(|(n, _)| n)
        .max()
        .unwrap_or(0)
        + 1
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RegisterError {
    #[error("приказ уже зарегистрирован под номером «{0}»")]
    AlreadyNumbered(String),
    #[error("в файле нет строки «date:» верхнего уровня, после которой записать номер")]
    NoDateLine,
}

/// Writes `number` (and `status: registered`) into the order's YAML text,
/// keeping everything else — comments, layout — as it is.
pub fn write_registration(text: &str, number: &str) -> Result<String, RegisterError> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let top = |l: &str, key: &str| {
        l.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .map(|r| r.split(" #").next().unwrap_or("").trim().to_string())
    };
    if let Some(v) = lines.iter().find_map(|l| top(l, "number"))
        && !v.is_empty()
        && v != "~"
        && v != "null"
    {
        return Err(RegisterError::AlreadyNumbered(
            v.trim_matches(['"', '\'']).to_string(),
        ));
    }
    lines.retain(|l| top(l, "number").is_none());
    let date = lines
        .iter()
        .position(|l| top(l, "date").is_some())
        .ok_or(RegisterError::NoDateLine)?;
    lines.insert(date + 1, format!("number: {number}"));
    match lines.iter().position(|l| top(l, "status").is_some()) {
        Some(i) => lines[i] = "status: registered".to_string(),
        None => lines.insert(date + 2, "status: registered".to_string()),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

// ------------------------------------------------------------ journal

/// One line of the registration journal.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalRow {
    pub date: NaiveDate,
    pub number: String,
    pub issuer: String,
    pub title: String,
    pub signatory: String,
    pub status: &'static str,
}

/// Orders of the repository in registration order (date, then number),
/// optionally of one year and one issuer.
pub fn journal(ix: &Index, year: Option<i32>, issuer: Option<&str>) -> Vec<JournalRow> {
    let mut rows: Vec<JournalRow> = ix
        .orders
        .values()
        .map(|e| e.item)
        .filter(|o| year.is_none_or(|y| o.date.get().0.year() == y))
        .filter(|o| issuer.is_none_or(|i| o.issuer.get() == i))
        .map(|o| {
            let signatory = ix
                .people
                .get(o.signatory.get().as_str())
                .map(|p| format!("{} {}", crate::refs::initials(p.item), p.item.surname.get()))
                .unwrap_or_else(|| o.signatory.get().clone());
            JournalRow {
                date: o.date.get().0,
                number: o
                    .number
                    .as_ref()
                    .map(|n| n.get().trim().to_string())
                    .unwrap_or_default(),
                issuer: o.issuer.get().clone(),
                title: crate::typo::squash(o.title.get()),
                signatory,
                status: status_of(o).russian(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let seq = |r: &JournalRow| split_number(&r.number).map(|(n, _)| n).unwrap_or(u32::MAX);
        (a.date, seq(a), &a.number, &a.title).cmp(&(b.date, seq(b), &b.number, &b.title))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_is_written_after_the_date_and_keeps_comments() {
        let src = "kind: order\nid: o\n# подписан\ndate: 2024-10-31\nstatus: signed # после визы\ntitle: Т\n";
        let out = write_registration(src, "12-ОД").expect("write");
        assert_eq!(
            out,
            "kind: order\nid: o\n# подписан\ndate: 2024-10-31\nnumber: 12-ОД\nstatus: registered\ntitle: Т\n"
        );
    }

    #[test]
    fn an_order_with_a_number_is_not_registered_again() {
        let src = "kind: order\ndate: 2024-10-31\nnumber: 5-ОД\n";
        assert_eq!(
            write_registration(src, "6-ОД"),
            Err(RegisterError::AlreadyNumbered("5-ОД".into()))
        );
    }

    #[test]
    fn numbers_split_into_sequence_and_register() {
        assert_eq!(split_number("978-ОД"), Some((978, "ОД")));
        assert_eq!(split_number("12"), Some((12, "")));
        assert_eq!(split_number("б/н"), None);
    }
}
