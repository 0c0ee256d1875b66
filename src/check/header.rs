//! Rules on an order's header: the issuer, the registration number and its
//! format, the signatory and controller in office, the executor.

use crate::diag::{Code, Diagnostic, FileId};
use crate::index::queries::tenure_on;
use crate::index::{Index, span_of};
use crate::plan::{Control, OrderFile, Status, Text};

pub(super) fn check_order_header(
    ix: &Index,
    file: FileId,
    o: &OrderFile,
    diags: &mut Vec<Diagnostic>,
) {
    let date = o.date.get().0;
    let issuer = ix.orgs.get(o.issuer.get().as_str());
    if issuer.is_none() {
        diags.push(
            Index::unknown("организация", o.issuer.get(), ix.orgs.keys().copied())
                .at(span_of(file, &o.issuer)),
        );
    }
    match &o.number {
        Some(n) => {
            let registers: Vec<&str> = issuer
                .map(|i| {
                    i.item
                        .registers
                        .iter()
                        .map(|r| r.get().trim_start_matches('-'))
                        .collect()
                })
                .unwrap_or_default();
            let value = n.get().trim();
            let (seq, suffix) = match value.split_once('-') {
                Some((a, b)) => (a, Some(b)),
                None => (value, None),
            };
            let seq_ok = !seq.is_empty() && seq.chars().all(|c| c.is_ascii_digit());
            let suffix_ok = match (suffix, registers.is_empty()) {
                (None, true) => true,
                (Some(s), true) => !s.is_empty(),
                (Some(s), false) => registers.contains(&s),
                (None, false) => false,
            };
            if !(seq_ok && suffix_ok) {
                let example = registers
                    .first()
                    .map(|r| format!("«{}-{r}»", if seq_ok { seq } else { "123" }));
                diags.push(
                    Diagnostic::error(
                        Code::NumberFormat,
                        format!("номер «{value}» не соответствует формату номеров органа"),
                    )
                    .at(span_of(file, n))
                    .hint(match example {
                        Some(e) => format!(
                            "ожидается порядковый номер и индекс журнала: {e}; индексы органа: {}",
                            registers.join(", ")
                        ),
                        None => "ожидается порядковый номер, например «123»".to_string(),
                    }),
                );
            }
        }
        None => {
            if o.status
                .as_ref()
                .is_some_and(|s| *s.get() == Status::Registered)
            {
                diags.push(
                    Diagnostic::error(
                        Code::NumberMissing,
                        "у зарегистрированного приказа нет регистрационного номера",
                    )
                    .at(span_of(file, &o.id))
                    .hint("присвойте номер: prikaz register <файл приказа>"),
                );
            }
        }
    }
    let person_at = |id: &Text, what: &str, diags: &mut Vec<Diagnostic>| {
        let Some(p) = ix.people.get(id.get().as_str()) else {
            diags.push(
                Index::unknown("лицо", id.get(), ix.people.keys().copied()).at(span_of(file, id)),
            );
            return;
        };
        if tenure_on(p.item, o.issuer.get(), date).is_none() {
            let held: Vec<String> = p
                .item
                .positions
                .iter()
                .map(|t| {
                    format!(
                        "{} ({}) {}–{}",
                        t.position.get(),
                        t.org.as_ref().map(|o| o.get().as_str()).unwrap_or("—"),
                        t.from
                            .as_ref()
                            .map(|d| crate::lang::morph::date_numeric(d.get().0))
                            .unwrap_or_default(),
                        t.to.as_ref()
                            .map(|d| crate::lang::morph::date_numeric(d.get().0))
                            .unwrap_or_default()
                    )
                })
                .collect();
            diags.push(
                Diagnostic::error(
                    Code::NotInOffice,
                    format!(
                        "{what} «{}» не занимает должность в «{}» на {}",
                        id.get(),
                        o.issuer.get(),
                        crate::lang::morph::date_numeric(date)
                    ),
                )
                .at(span_of(file, id))
                .hint(if held.is_empty() {
                    "укажите в реестре positions с датами from/to".to_string()
                } else {
                    format!("в реестре: {}", held.join("; "))
                }),
            );
        }
    };
    person_at(&o.signatory, "подписант", diags);
    if let Some(c) = &o.control
        && let Control::Person(p) = c.get()
    {
        person_at(p, "ответственный за контроль", diags);
    }
    if let Some(e) = &o.executor
        && !ix.people.contains_key(e.get().as_str())
    {
        diags.push(Index::unknown("лицо", e.get(), ix.people.keys().copied()).at(span_of(file, e)));
    }
}
