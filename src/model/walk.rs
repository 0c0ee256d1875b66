//! The reading order of a document, written once: what a reader meets from
//! the letterhead to the approval sheet. The text renderer (textconv) and
//! the DOCX parity check of the tests walk it; each says how a part reads.

use super::*;

/// One part of a document, in reading order.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// A bundle's cover lines.
    Cover(&'a [String]),
    /// A bundle's contents: its title, the page column's label and one
    /// entry an order.
    Contents(&'a str, &'a str, &'a [BundleEntry]),
    /// The start of an order (in a bundle, each of its orders).
    Order(&'a Order),
    Letterhead(&'a Letterhead),
    /// The order's title.
    Title(&'a str),
    Preamble(&'a str),
    Operative(&'a Operative),
    /// A clause at its nesting depth (0 for a top-level clause).
    Clause(&'a Clause, usize),
    Signature(&'a Signature),
    Visa(&'a Visa),
    Executor(&'a Executor),
    /// The stamp (or grif) and title lines of an appendix or a standalone
    /// document, before its blocks.
    Heading {
        stamp: &'a [String],
        title: &'a [String],
    },
    Block(&'a Block),
    /// The approval sheet's title; its table follows as a [`Part::Table`].
    ApprovalSheet(&'a ApprovalSheet),
    /// A table that is not a block of the plan (the approval sheet's).
    Table(&'a Table),
    Qr(&'a Qr),
}

/// Calls `f` with every part of `doc` in reading order.
pub fn walk<'a>(doc: &'a Document, f: &mut impl FnMut(Part<'a>)) {
    match &doc.body {
        Body::Order(o) => order(o, f),
        Body::Standalone(s) => {
            f(Part::Heading {
                stamp: &s.stamp,
                title: &s.title,
            });
            s.blocks.iter().for_each(|b| f(Part::Block(b)));
        }
        Body::Bundle(b) => {
            f(Part::Cover(&b.cover));
            f(Part::Contents(&b.contents_title, &b.page_label, &b.entries));
            b.orders.iter().for_each(|o| order(o, f));
        }
    }
}

fn order<'a>(o: &'a Order, f: &mut impl FnMut(Part<'a>)) {
    f(Part::Order(o));
    f(Part::Letterhead(&o.letterhead));
    f(Part::Title(&o.title));
    o.preamble.iter().for_each(|p| f(Part::Preamble(p)));
    f(Part::Operative(&o.operative));
    clauses(&o.clauses, 0, f);
    f(Part::Signature(&o.signature));
    o.visas.iter().for_each(|v| f(Part::Visa(v)));
    if let Some(e) = &o.executor {
        f(Part::Executor(e));
    }
    for a in &o.appendices {
        f(Part::Heading {
            stamp: &a.stamp,
            title: &a.title,
        });
        a.blocks.iter().for_each(|b| f(Part::Block(b)));
    }
    if let Some(sheet) = &o.approval_sheet {
        f(Part::ApprovalSheet(sheet));
        f(Part::Table(&sheet.table));
    }
    if let Some(q) = &o.qr {
        f(Part::Qr(q));
    }
}

fn clauses<'a>(cs: &'a [Clause], depth: usize, f: &mut impl FnMut(Part<'a>)) {
    for c in cs {
        f(Part::Clause(c, depth));
        clauses(&c.children, depth + 1, f);
    }
}
