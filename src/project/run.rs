//! One run of the pipeline, doing only the work a command needs: every unit
//! has a fingerprint (its files, the registry, the emblems, this prikaz),
//! a unit whose results a [`UnitCache`] holds is not checked again, and a
//! document is made only when the command asks for it. A full analysis is
//! the same run asking for everything.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::cache::{UnitCache, UnitResult};
use super::{Analysis, Options, Project};
use crate::diag::{self, Diagnostic, FileId};
use crate::index::{self, Index, Unit, UnitKind};
use crate::load::{Parsed, Workspace};
use crate::model::{Body, Document, Meta, Order};

/// A document of the analysis, made or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// Its file stem, unique in the repository.
    pub file_stem: String,
    /// SHA-256 over what the document is made from: its plan files, the
    /// registry, the emblems and this prikaz (for a bundle, its orders').
    pub fingerprint: String,
    /// Whether it carries a date (PDF/A needs one).
    pub dated: bool,
    /// Its unit in the analysis (`None`: a bundle), for [`Analysis::make`].
    pub unit: Option<usize>,
}

/// Which documents a run makes (a build makes none here: it makes each in
/// the worker that renders it, [`Analysis::make`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Make {
    None,
    All,
}

/// What a run is asked for.
pub struct Wants<'w> {
    /// Units (and bundles) to take part, by id and content fingerprint (as
    /// [`Project::fingerprints`] gives it); the others
    /// give neither diagnostics nor documents (`diff`: what is the same on
    /// both sides). The repository's own rules always run.
    pub scope: &'w (dyn Fn(&str, &str) -> bool + Sync),
    pub make: Make,
}

impl Wants<'_> {
    pub fn everything(documents: bool) -> Wants<'static> {
        Wants {
            scope: &|_, _| true,
            make: if documents { Make::All } else { Make::None },
        }
    }
}

enum Got {
    Skipped,
    Cached(UnitResult),
    /// Checked and resolved now; the document when it resolved and may be
    /// wanted, and whether it resolved at all.
    Fresh(UnitResult, Option<Document>, bool),
}

impl Got {
    fn result(&self) -> Option<&UnitResult> {
        match self {
            Got::Skipped => None,
            Got::Cached(r) | Got::Fresh(r, _, _) => Some(r),
        }
    }

    fn resolved(&self) -> bool {
        matches!(self, Got::Cached(_) | Got::Fresh(_, _, true))
    }
}

/// SHA-256 of what every unit depends on beyond its own files. With
/// `names`, the files' names too: diagnostics point at them by name, but
/// documents never print them (`diff` compares two revisions, whose files
/// are named `REV:path`).
fn context(
    ws: &Workspace,
    digests: &[[u8; 32]],
    assets: &crate::resolve::assets::Assets,
    names: bool,
) -> Sha256 {
    let mut h = Sha256::new();
    for part in [
        "prikaz-unit",
        env!("CARGO_PKG_VERSION"),
        env!("PRIKAZ_BUILD_ID"),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for (f, p) in &ws.files {
        if matches!(p, Parsed::Registry(_)) {
            let name = if names { ws.sources.name(*f) } else { "" };
            h.update((name.len() as u64).to_le_bytes());
            h.update(name.as_bytes());
            h.update(digests.get(*f).copied().unwrap_or_default());
        }
    }
    assets.fingerprint(&mut |b| {
        h.update((b.len() as u64).to_le_bytes());
        h.update(b);
    });
    h
}

struct Prints<'d> {
    hash: Sha256,
    names: bool,
    /// SHA-256 of each file's text, by file id.
    digests: &'d [[u8; 32]],
}

impl<'d> Prints<'d> {
    fn new(
        project: &'d Project,
        assets: &crate::resolve::assets::Assets,
        names: bool,
    ) -> Prints<'d> {
        let digests = project.digests();
        Prints {
            hash: context(&project.ws, digests, assets, names),
            names,
            digests,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The fingerprint of a unit made of `files` (and `more`, a bundle's
/// orders'), over `context`: with the files' names exactly when the
/// context has them.
fn fingerprint(context: &Prints, ws: &Workspace, files: &[FileId], more: &[&str]) -> String {
    let mut h = context.hash.clone();
    for &f in files {
        let name = if context.names {
            ws.sources.name(f)
        } else {
            ""
        };
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(context.digests.get(f).copied().unwrap_or_default());
    }
    for part in more {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// The files of the unit in `file`: an order's own and its appendices' (as
/// the index binds them), or a standalone document's.
fn unit_files(ix: &Index, file: FileId, kind: UnitKind) -> Vec<FileId> {
    let mut files = vec![file];
    if let UnitKind::Order(o) = kind {
        files.extend(
            o.appendices
                .iter()
                .filter_map(|a| ix.appendices.get(a.get().as_str()).map(|e| e.file)),
        );
    }
    files
}

fn bundle_fingerprint(
    ctx: &Prints,
    ws: &Workspace,
    b: &crate::index::Entry<crate::plan::BundleFile>,
    fp_of: &HashMap<&str, &String>,
) -> String {
    let members: Vec<&str> = b
        .item
        .orders
        .iter()
        .map(|o| fp_of.get(o.get().as_str()).map_or("-", |s| s.as_str()))
        .collect();
    fingerprint(ctx, ws, &[b.file], &members)
}

/// The content fingerprint of every document of `project` (orders,
/// standalone documents, bundles) as `(id, fingerprint)`, without running
/// the rules: what `diff` compares to leave out what two revisions share.
pub(super) fn fingerprints(project: &Project) -> Vec<(String, String)> {
    let ws = &project.ws;
    let (ix, _) = Index::build(ws);
    let assets = crate::resolve::assets::load(ws, &ix);
    let ctx = Prints::new(project, &assets, false);
    let mut out: Vec<(String, String)> = Vec::new();
    let orders: Vec<(&str, String)> = ix
        .orders
        .iter()
        .map(|(id, o)| {
            let files = unit_files(&ix, o.file, UnitKind::Order(o.item));
            (*id, fingerprint(&ctx, ws, &files, &[]))
        })
        .collect();
    let fp_of: HashMap<&str, &String> = orders.iter().map(|(id, fp)| (*id, fp)).collect();
    for b in ix.bundles.values() {
        out.push((
            b.item.id.get().clone(),
            bundle_fingerprint(&ctx, ws, b, &fp_of),
        ));
    }
    for d in ix.documents.values() {
        let files = unit_files(&ix, d.file, UnitKind::Document(d.item));
        out.push((d.item.id.get().clone(), fingerprint(&ctx, ws, &files, &[])));
    }
    out.extend(orders.into_iter().map(|(id, fp)| (id.to_string(), fp)));
    out
}

/// Each order's fingerprint (of `prints`, in the order of `kinds`) by id,
/// for its bundles'.
fn by_order<'a, 'k>(
    kinds: &'k [(FileId, UnitKind<'a>)],
    prints: &'k [String],
) -> HashMap<&'a str, &'k String> {
    kinds
        .iter()
        .zip(prints)
        .filter(|((_, k), _)| matches!(k, UnitKind::Order(_)))
        .map(|((_, k), c)| (k.id(), c))
        .collect()
}

fn dated(k: UnitKind) -> bool {
    match k {
        UnitKind::Order(_) => true,
        UnitKind::Document(d) => d.date.is_some(),
    }
}

pub(super) fn run<'p>(
    project: &'p Project,
    opts: Options,
    cache: Option<&mut UnitCache>,
    wants: &Wants,
) -> Analysis<'p> {
    let ws = &project.ws;
    let (ix, mut found) = Index::build(ws);
    let assets = crate::resolve::assets::load(ws, &ix);
    found.extend(assets.diagnostics());
    let ctx = Prints::new(project, &assets, true);
    let content = Prints::new(project, &assets, false);
    let kinds = index::unit_kinds(&ix);
    let (all_fps, all_contents): (Vec<String>, Vec<String>) = kinds
        .par_iter()
        .map(|&(file, kind)| {
            let files = unit_files(&ix, file, kind);
            (
                fingerprint(&ctx, ws, &files, &[]),
                fingerprint(&content, ws, &files, &[]),
            )
        })
        .unzip();
    // Only the units in scope are numbered and checked, and the orders of
    // a bundle in scope (for its document only).
    let in_scope: Vec<bool> = kinds
        .iter()
        .zip(&all_contents)
        .map(|((_, k), c)| (wants.scope)(k.id(), c))
        .collect();
    let content_of_order = by_order(&kinds, &all_contents);
    let mut members: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for b in ix.bundles.values() {
        if (wants.scope)(
            b.item.id.get(),
            &bundle_fingerprint(&content, ws, b, &content_of_order),
        ) {
            members.extend(b.item.orders.iter().map(|o| o.get().as_str()));
        }
    }
    let mut picked = Vec::new();
    let (mut fps, mut scoped) = (Vec::new(), Vec::new());
    for (i, (file, kind)) in kinds.iter().enumerate() {
        let member = matches!(kind, UnitKind::Order(_)) && members.contains(kind.id());
        if in_scope[i] || member {
            picked.push((*file, *kind));
            fps.push(all_fps[i].clone());
            scoped.push(in_scope[i]);
        }
    }
    let files: HashMap<&str, FileId> = (0..ws.sources.len())
        .map(|id| (ws.sources.name(id), id))
        .collect();
    // A unit the cache has is neither numbered nor checked: after one edit
    // of a thousand plans, one unit is.
    let shared = cache.as_deref();
    let hits: Vec<Option<UnitResult>> = fps
        .par_iter()
        .zip(&scoped)
        .map(|(fp, &scoped)| {
            scoped
                .then(|| shared.and_then(|c| c.get(fp, &files)))
                .flatten()
        })
        .collect();
    let built: Vec<(Option<Unit>, Vec<Diagnostic>)> = picked
        .par_iter()
        .zip(&hits)
        .map(|(&(file, kind), hit)| {
            if hit.is_some() {
                return (None, Vec::new());
            }
            let mut d = Vec::new();
            (Some(Unit::build(&ix, file, kind, &mut d)), d)
        })
        .collect();
    let (units, numbered): (Vec<Option<Unit>>, Vec<Vec<Diagnostic>>) = built.into_iter().unzip();
    let rules = crate::check::UnitRules::new(&ix);
    let keep_fresh = !matches!(wants.make, Make::None);
    let got: Vec<Got> = units
        .par_iter()
        .zip(hits)
        .zip(&numbered)
        .zip(&scoped)
        .map(|(((u, hit), numbering), &scoped)| {
            if !scoped {
                return Got::Skipped;
            }
            if let Some(hit) = hit {
                return Got::Cached(hit);
            }
            let Some(u) = u else {
                return Got::Skipped;
            };
            let numbering = numbering.clone();
            let found = rules.check(ws, &ix, u);
            match crate::resolve::unit(&ix, u, &assets) {
                Ok((doc, warnings)) => {
                    let r = UnitResult {
                        numbering,
                        rules: found,
                        resolve: warnings,
                        stem: doc.file_stem.clone(),
                    };
                    Got::Fresh(r, keep_fresh.then_some(doc), true)
                }
                Err(problems) => {
                    let r = UnitResult {
                        numbering,
                        rules: found,
                        resolve: problems,
                        stem: String::new(),
                    };
                    Got::Fresh(r, None, false)
                }
            }
        })
        .collect();
    // A bundle's order out of scope is numbered for its document; what
    // numbering reports there is reported too, as before.
    for ((d, g), &scoped) in numbered.into_iter().zip(&got).zip(&scoped) {
        if !scoped && matches!(g, Got::Skipped) {
            found.extend(d);
        }
    }
    if let Some(c) = cache {
        for (g, fp) in got.iter().zip(&fps) {
            match g {
                Got::Cached(_) => c.touch([fp]),
                Got::Fresh(r, _, _) => c.insert(fp.clone(), r, &ws.sources),
                Got::Skipped => {}
            }
        }
    }

    // Bundles: their own file and their orders' fingerprints.
    let is_order = |k: &UnitKind| matches!(k, UnitKind::Order(_));
    let fp_of = by_order(&kinds, &all_fps);
    let bundles: Vec<(crate::index::Entry<crate::plan::BundleFile>, String, String)> = ix
        .bundles
        .values()
        .map(|b| {
            (
                *b,
                bundle_fingerprint(&ctx, ws, b, &fp_of),
                bundle_fingerprint(&content, ws, b, &content_of_order),
            )
        })
        .collect();
    let resolved_unit: HashMap<&str, bool> = picked
        .iter()
        .zip(&got)
        .filter(|((_, k), _)| is_order(k))
        .map(|((_, k), g)| (k.id(), g.resolved()))
        .collect();

    // Entries, in the documents' order: units, then bundles; stems unique.
    let mut entries: Vec<(Entry, Option<usize>)> = Vec::new();
    for (i, (((_, k), g), fp)) in picked.iter().zip(&got).zip(&fps).enumerate() {
        if let (true, Some(r)) = (g.resolved(), g.result()) {
            entries.push((
                Entry {
                    id: k.id().to_string(),
                    file_stem: r.stem.clone(),
                    fingerprint: fp.clone(),
                    dated: dated(*k),
                    unit: Some(i),
                },
                Some(i),
            ));
        }
    }
    for (b, fp, same) in &bundles {
        if (wants.scope)(b.item.id.get(), same) {
            let dated = b
                .item
                .orders
                .iter()
                .any(|o| resolved_unit.get(o.get().as_str()) == Some(&true));
            entries.push((
                Entry {
                    id: b.item.id.get().clone(),
                    file_stem: crate::lang::typo::file_stem(b.item.id.get()),
                    fingerprint: fp.clone(),
                    dated,
                    unit: None,
                },
                None,
            ));
        }
    }
    let mut stems: Vec<String> = entries.iter().map(|(e, _)| e.file_stem.clone()).collect();
    crate::resolve::unique_stems(&mut stems);
    for ((e, _), s) in entries.iter_mut().zip(stems) {
        e.file_stem = s;
    }
    let want: Vec<bool> = vec![wants.make == Make::All; entries.len()];

    // Documents: the fresh ones kept, the cached ones made now, bundles from
    // their orders (made for them when not wanted themselves).
    let by_unit: HashMap<&str, usize> = picked
        .iter()
        .enumerate()
        .filter(|(_, (_, k))| is_order(k))
        .map(|(i, (_, k))| (k.id(), i))
        .collect();
    let mut needed: Vec<bool> = vec![false; units.len()];
    for ((e, at), w) in entries.iter().zip(&want) {
        if !*w {
            continue;
        }
        match at {
            Some(i) => needed[*i] = true,
            None => {
                if let Some(b) = ix.bundles.get(e.id.as_str()) {
                    for o in &b.item.orders {
                        if let Some(&i) = by_unit.get(o.get().as_str()) {
                            needed[i] = true;
                        }
                    }
                }
            }
        }
    }
    let mut got = got;
    let mut made: Vec<Option<Document>> = got
        .par_iter_mut()
        .zip(&units)
        .zip(&picked)
        .zip(&needed)
        .map(|(((g, u), &(file, kind)), &need)| {
            if !need {
                // Not wanted after all: freed now, not at the end.
                if let Got::Fresh(_, doc, _) = g {
                    *doc = None;
                }
                return None;
            }
            match g {
                Got::Fresh(_, doc, _) => doc.take(),
                // Out of scope or cached: made now (a bundle's order, a
                // stale file); what it reports was reported before.
                _ => {
                    let owned;
                    let u = match u {
                        Some(u) => u,
                        None => {
                            owned = Unit::build(&ix, file, kind, &mut Vec::new());
                            &owned
                        }
                    };
                    crate::resolve::unit(&ix, u, &assets).ok().map(|(d, _)| d)
                }
            }
        })
        .collect();
    let member = |id: &str| -> Option<(Order, Meta)> {
        let d = made.get(*by_unit.get(id)?)?.as_ref()?;
        match &d.body {
            Body::Order(o) => Some((o.clone(), d.meta.clone())),
            _ => None,
        }
    };
    let mut bundle_docs: BTreeMap<String, Document> = BTreeMap::new();
    for ((e, at), w) in entries.iter().zip(&want) {
        if let (true, None, Some(b)) = (*w, at, ix.bundles.get(e.id.as_str())) {
            let orders = b
                .item
                .orders
                .iter()
                .filter_map(|o| member(o.get()))
                .collect();
            bundle_docs.insert(e.id.clone(), crate::resolve::bundle(&ix, b, orders));
        }
    }
    let mut docs = Vec::new();
    for ((e, at), w) in entries.iter().zip(&want) {
        if !*w {
            continue;
        }
        let doc = match at {
            Some(i) => made.get_mut(*i).and_then(Option::take),
            None => bundle_docs.remove(&e.id),
        };
        if let Some(mut d) = doc {
            d.file_stem = e.file_stem.clone();
            if opts.final_ {
                d.meta.draft = false;
            }
            docs.push(d);
        }
    }
    drop(made);

    // Diagnostics: `allow:` applies to what the index and the rules find.
    let mut resolve_diags = Vec::new();
    for g in &got {
        if let Some(r) = g.result() {
            found.extend(r.numbering.iter().cloned());
            found.extend(r.rules.iter().cloned());
            resolve_diags.extend(r.resolve.iter().cloned());
        }
    }
    crate::check::repository_rules(ws, &ix, &mut found);
    let mut diags = crate::check::finish(ws, found);
    diags.extend(project.load_diags.iter().cloned());
    if opts.final_ {
        diags.extend(crate::check::lifecycle::final_readiness(&ix));
    }
    diags.extend(resolve_diags);
    diag::sort(&mut diags);
    diag::dedup(&mut diags);
    let entries: Vec<Entry> = entries.into_iter().map(|(e, _)| e).collect();
    let checked = got.iter().filter(|g| matches!(g, Got::Fresh(..))).count();
    let numbered = units.iter().filter(|u| u.is_some()).count();
    Analysis {
        numbered,
        units,
        kinds: picked,
        assets,
        checked,
        ws,
        ix,
        docs,
        entries,
        diags,
        opts,
    }
}
