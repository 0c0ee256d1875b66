//! Repository-wide rules: registration numbers, appendix owners, orphan
//! appendices and the orders of bundles.

use std::collections::BTreeMap;

use chrono::Datelike;

use crate::diag::{Code, Diagnostic, Span, closest};
use crate::index::{Index, span_of};

pub(super) fn check_repository(ix: &Index, diags: &mut Vec<Diagnostic>) {
    // Registration numbers: one issuer, one calendar year, one number.
    let mut numbers: BTreeMap<(String, i32, String), Span> = BTreeMap::new();
    for o in ix.orders.values() {
        let Some(n) = &o.item.number else { continue };
        let key = (
            o.item.issuer.get().clone(),
            o.item.date.get().0.year(),
            n.get().trim().to_string(),
        );
        let span = span_of(o.file, n);
        if let Some(first) = numbers.get(&key) {
            diags.push(
                Diagnostic::error(
                    Code::NumberDuplicate,
                    format!(
                        "номер «{}» уже присвоен другому приказу этого органа в {} году",
                        key.2, key.1
                    ),
                )
                .at(span)
                .also(*first, "первый приказ с этим номером"),
            );
        } else {
            numbers.insert(key, span);
        }
    }
    // Appendices: each belongs to exactly one order.
    let mut owners: BTreeMap<&str, Span> = BTreeMap::new();
    for o in ix.orders.values() {
        for a in &o.item.appendices {
            let span = span_of(o.file, a);
            if let Some(first) = owners.get(a.get().as_str()) {
                if first.file != o.file {
                    diags.push(
                        Diagnostic::error(
                            Code::AppendixShared,
                            format!("приложение «{}» уже входит в другой приказ", a.get()),
                        )
                        .at(span)
                        .also(*first, "первый приказ")
                        .hint("у каждого приказа свои приложения: скопируйте файл под новым id"),
                    );
                } else {
                    diags.push(
                        Diagnostic::error(
                            Code::DuplicateId,
                            format!("приложение «{}» указано дважды", a.get()),
                        )
                        .at(span)
                        .also(*first, "первое упоминание"),
                    );
                }
            } else {
                owners.insert(a.get().as_str(), span);
            }
        }
    }
    for (id, a) in &ix.appendices {
        if !ix.owner.contains_key(id) {
            diags.push(
                Diagnostic::warning(
                    Code::AppendixOrphan,
                    format!("приложение «{id}» не входит ни в один приказ"),
                )
                .at(span_of(a.file, &a.item.id))
                .hint_opt(
                    closest(id, ix.orders.keys().copied())
                        .map(|o| format!("добавьте его в appendices приказа, например «{o}»")),
                ),
            );
        }
    }
    for b in ix.bundles.values() {
        for o in &b.item.orders {
            if !ix.orders.contains_key(o.get().as_str()) {
                diags.push(
                    Index::unknown("приказ", o.get(), ix.orders.keys().copied())
                        .at(span_of(b.file, o)),
                );
            }
        }
    }
}
