//! Plans → the document model: numbers, references, names in their cases,
//! dates in Russian, typography. Runs after `validate`; anything it cannot
//! resolve is reported as a diagnostic (and `check` runs the same code paths).

pub mod assets;
pub mod signoff;

mod blocks;
mod fit;
mod order;
mod profile;
mod rows;
mod shrink;
mod tables;
mod text;

#[cfg(test)]
mod tests;

use crate::diag::Diagnostic;
use crate::index::refs::Refs;
use crate::index::{Index, Unit, UnitKind};
use crate::lang::typo;
use crate::model::*;
use crate::plan::*;

use blocks::blocks;
use text::{Prep, lines};

pub use order::signature_and_control;
pub use profile::{Style, profile};

/// The document of bundle `b` made of its orders' documents (those that
/// resolved, in the bundle's order).
pub fn bundle(
    ix: &Index,
    b: &crate::index::Entry<BundleFile>,
    orders: Vec<(Order, Meta)>,
) -> Document {
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
                    "{} {} от {} {} «{}»",
                    b.item
                        .entry_kind
                        .as_ref()
                        .map_or("Приказ", |k| k.get().as_str()),
                    o.issuer_gen,
                    o.letterhead.date,
                    o.letterhead.number,
                    o.title
                ),
                style.dash,
            ),
        })
        .collect();
    Document {
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
            cover_bold: b
                .item
                .cover_bold
                .as_ref()
                .map_or(b.item.cover.len(), |n| *n.get() as usize)
                .min(b.item.cover.len()),
            contents_title: b
                .item
                .contents_title
                .as_ref()
                .map_or_else(|| "Содержание".into(), |t| t.get().clone()),
            page_label: b
                .item
                .page_label
                .as_ref()
                .map_or_else(|| "стр.".into(), |t| t.get().clone()),
            entries,
            orders: orders.into_iter().map(|(o, _)| o).collect(),
        }),
    }
}

/// Two documents must never write the same file: the second of two equal
/// stems (in the documents' order) becomes `stem_2`, and so on.
pub fn unique_stems(stems: &mut [String]) {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for s in stems.iter_mut() {
        let n = seen.entry(s.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            *s = format!("{s}_{n}");
        }
    }
}

/// The document of one unit and the warnings fitting it gave, or what stops
/// it. It depends only on the unit's files and the registry, as the unit
/// rules of `check` do: the pipeline caches both by those.
pub fn unit(
    ix: &Index,
    unit: &Unit,
    assets: &assets::Assets,
) -> Result<(Document, Vec<Diagnostic>), Vec<Diagnostic>> {
    let refs = Refs::new(ix, unit);
    let mut doc = match unit.kind {
        UnitKind::Order(o) => order::order_document(ix, unit, o, &refs, assets)?,
        UnitKind::Document(d) => standalone_document(ix, unit, d, &refs),
    };
    let warnings = fit::fit_document(&mut doc);
    Ok((doc, warnings))
}

/// A standalone document: its title and blocks, in the issuer's style.
fn standalone_document(ix: &Index, unit: &Unit, d: &DocumentFile, refs: &Refs) -> Document {
    let org = d
        .issuer
        .as_ref()
        .and_then(|i| ix.orgs.get(i.get().as_str()))
        .map(|e| e.item);
    let (p, style) = profile(org);
    let prep = Prep { refs, style };
    Document {
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
    }
}
