//! Rules on the registry itself: positions and organisations of people's
//! tenures, their dates, and parents of organisations.

use crate::diag::{Code, Diagnostic};
use crate::index::{Index, span_of};

pub(super) fn check_registry(ix: &Index, diags: &mut Vec<Diagnostic>) {
    for p in ix.people.values() {
        for t in &p.item.positions {
            if !ix.positions.contains_key(t.position.get().as_str()) {
                diags.push(
                    Index::unknown("должность", t.position.get(), ix.positions.keys().copied())
                        .at(span_of(p.file, &t.position)),
                );
            }
            if let Some(org) = &t.org
                && !ix.orgs.contains_key(org.get().as_str())
            {
                diags.push(
                    Index::unknown("организация", org.get(), ix.orgs.keys().copied())
                        .at(span_of(p.file, org)),
                );
            }
            if let (Some(f), Some(to)) = (&t.from, &t.to)
                && f.get().0 > to.get().0
            {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        "дата окончания полномочий раньше даты начала",
                    )
                    .at(span_of(p.file, to))
                    .also(span_of(p.file, f), "начало полномочий"),
                );
            }
        }
    }
    for o in ix.orgs.values() {
        if let Some(parent) = &o.item.parent
            && !ix.orgs.contains_key(parent.get().as_str())
        {
            diags.push(
                Index::unknown("организация", parent.get(), ix.orgs.keys().copied())
                    .at(span_of(o.file, parent)),
            );
        }
    }
}
