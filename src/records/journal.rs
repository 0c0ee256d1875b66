//! The registration journal: the repository's orders in registration order.

use chrono::{Datelike, NaiveDate};

use crate::index::Index;
use crate::records::register::split_number;

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
                .map(|p| {
                    format!(
                        "{} {}",
                        crate::index::refs::initials(p.item),
                        p.item.surname.get()
                    )
                })
                .unwrap_or_else(|| o.signatory.get().clone());
            JournalRow {
                date: o.date.get().0,
                number: o
                    .number
                    .as_ref()
                    .map(|n| n.get().trim().to_string())
                    .unwrap_or_default(),
                issuer: o.issuer.get().clone(),
                title: crate::lang::typo::squash(o.title.get()),
                signatory,
                status: o.status().russian(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let seq = |r: &JournalRow| split_number(&r.number).map(|(n, _)| n).unwrap_or(u32::MAX);
        (a.date, seq(a), &a.number, &a.title).cmp(&(b.date, seq(b), &b.number, &b.title))
    });
    rows
}
