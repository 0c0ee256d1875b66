//! The one pipeline every command goes through: load → index (entities,
//! numbering, units: once) → rules → resolve → model.
//!
//! `check` is this pipeline without the backends: the resolver runs on every
//! analysis (a "dry resolve"), so whatever `build` could refuse is a located
//! diagnostic of `check` first. A [`Project`] keeps each file's text and parsed
//! plan, so a language server or a live preview re-parses only the file that
//! changed ([`Project::set_file`]) and then analyses the whole in memory.
//!
//! Nothing here prints, exits or picks an exit code: callers (the CLI, the
//! tests, the benches) decide what to do with an [`Analysis`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{self, Counts, Diagnostic, FileId, Sources, Span};
use crate::index::Index;

use crate::load::{self, Parsed, Workspace};
use crate::model::{Body, Document};
pub use cache::UnitCache;
pub use run::{Entry, Make, Wants};

pub mod cache;
pub mod root;
mod run;
#[cfg(test)]
mod tests;

/// What an analysis is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The signed-off edition (`build --final`): the lifecycle's readiness
    /// rules apply, and warnings stop the build too.
    pub final_: bool,
    /// Make the documents (`build`, `diff`, `textconv`). Without them only
    /// what could stop a document is resolved (`check`): the same
    /// diagnostics, without typesetting every row.
    pub documents: bool,
}

impl Default for Options {
    /// The documents of a draft build.
    fn default() -> Options {
        Options {
            final_: false,
            documents: true,
        }
    }
}

impl Options {
    /// `prikaz check`: every diagnostic, no documents.
    pub fn check() -> Options {
        Options {
            final_: false,
            documents: false,
        }
    }

    /// `prikaz build`, the final edition or a draft.
    pub fn build(final_: bool) -> Options {
        Options {
            final_,
            documents: true,
        }
    }
}

/// The plans of one run: every file's text and parsed plan, and what loading
/// them reported.
#[derive(Debug)]
pub struct Project {
    ws: Workspace,
    /// Diagnostics of loading, each located in its file (or unlocated: a path
    /// that could not be opened).
    load_diags: Vec<Diagnostic>,
    /// A path given could not be opened or walked (not a plan error).
    io_failed: bool,
    /// Files parsed since the project was made: what a re-check costs.
    parses: usize,
    /// SHA-256 of each file's text, by id: found once, for fingerprints.
    digests: std::sync::OnceLock<Vec<[u8; 32]>>,
}

impl Project {
    /// The plan files under `paths` (files or directories), names shown
    /// relative to `root`.
    pub fn open(paths: &[PathBuf], root: &Path) -> Project {
        Project::open_reusing(paths, root, None)
    }

    /// [`Project::open`], copying the plans `other` parsed from the same
    /// file with the same text (the other side of a `diff`).
    pub fn open_reusing(paths: &[PathBuf], root: &Path, other: Option<&Project>) -> Project {
        let (files, mut load_diags) = load::discover(paths);
        if files.is_empty() && !load_diags.iter().any(Diagnostic::is_error) {
            // A CI pointed at the wrong folder must not pass on nothing.
            let shown: Vec<String> = paths.iter().map(|p| format!("«{}»", p.display())).collect();
            load_diags.push(
                Diagnostic::error(
                    crate::diag::Code::Io,
                    format!("в {} нет файлов планов (*.yaml, *.yml)", shown.join(", ")),
                )
                .hint("укажите каталог с планами, например plans/"),
            );
        }
        let io_failed = !load_diags.is_empty();
        let parses = files.len();
        let reuse = other.map(Project::reuse);
        let (ws, more) = load::load_with(&files, root, reuse.as_ref().map(|r| r as _));
        load_diags.extend(more);
        Project {
            ws,
            load_diags,
            io_failed,
            parses,
            digests: Default::default(),
        }
    }

    /// Plans whose bytes are already in memory (a git revision, a blob git
    /// hands to a textconv driver): `(name shown in diagnostics, bytes)`.
    pub fn from_memory(files: Vec<(String, Vec<u8>)>, root: &Path) -> Project {
        Project::from_blobs(files.into_iter().map(|(n, b)| (n, Ok(b))).collect(), root)
    }

    /// [`Project::from_memory`] from texts: `(name, YAML)`.
    pub fn from_texts(files: &[(&str, &str)], root: &Path) -> Project {
        Project::from_memory(
            files
                .iter()
                .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
                .collect(),
            root,
        )
    }

    /// [`Project::from_memory`] with files refused before reading:
    /// `Err(size)`, reported as too large (a git blob's header gives its size).
    pub fn from_blobs(files: Vec<(String, Result<Vec<u8>, u64>)>, root: &Path) -> Project {
        Project::from_blobs_reusing(files, root, None)
    }

    /// [`Project::from_blobs`], copying the plans `other` parsed from the
    /// same file with the same text.
    pub fn from_blobs_reusing(
        files: Vec<(String, Result<Vec<u8>, u64>)>,
        root: &Path,
        other: Option<&Project>,
    ) -> Project {
        let parses = files.len();
        let reuse = other.map(Project::reuse);
        let (ws, load_diags) = load::load_blobs_with(files, root, reuse.as_ref().map(|r| r as _));
        Project {
            ws,
            load_diags,
            io_failed: false,
            parses,
            digests: Default::default(),
        }
    }

    /// What loading reported: files that could not be read or parsed.
    pub fn load_diagnostics(&self) -> &[Diagnostic] {
        &self.load_diags
    }

    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    pub fn sources(&self) -> &Sources {
        &self.ws.sources
    }

    pub fn root(&self) -> &Path {
        &self.ws.root
    }

    /// A path given could not be opened and no plan was read at all: a usage
    /// or I/O problem rather than a plan error.
    pub fn nothing_read(&self) -> bool {
        self.io_failed && self.ws.files.is_empty()
    }

    /// Files parsed since the project was opened (each file once on open, one
    /// more per [`Project::set_file`]).
    pub fn parses(&self) -> usize {
        self.parses
    }

    /// Finds this project's plan of a file of another one: the same path
    /// (a revision's `REV:` prefix aside) with the same text.
    fn reuse(&self) -> impl Fn(&str, &str) -> Option<load::Parsed> + Sync + '_ {
        fn path(name: &str) -> &str {
            name.split_once(':').map_or(name, |(_, p)| p)
        }
        let by_path: std::collections::HashMap<&str, usize> = self
            .ws
            .files
            .iter()
            .enumerate()
            .map(|(i, (f, _))| (path(self.ws.sources.name(*f)), i))
            .collect();
        move |name: &str, text: &str| {
            let &i = by_path.get(path(name))?;
            let (f, p) = self.ws.files.get(i)?;
            (self.ws.sources.text(*f) == text).then(|| p.clone())
        }
    }

    /// SHA-256 of each file's text, by file id.
    fn digests(&self) -> &[[u8; 32]] {
        self.digests.get_or_init(|| {
            use rayon::prelude::*;
            use sha2::Digest;
            (0..self.ws.sources.len())
                .into_par_iter()
                .map(|id| sha2::Sha256::digest(self.ws.sources.text(id).as_bytes()).into())
                .collect()
        })
    }

    /// Hashes file `id` again after its text changed, keeping the other
    /// files' digests: an editor's keystroke must not re-hash a thousand
    /// plans.
    fn refresh_digest(&mut self, id: FileId) {
        use sha2::Digest;
        let text = self.ws.sources.text(id);
        let Some(all) = self.digests.get_mut() else {
            return;
        };
        let d: [u8; 32] = sha2::Sha256::digest(text.as_bytes()).into();
        match id.cmp(&all.len()) {
            std::cmp::Ordering::Less => all[id] = d,
            std::cmp::Ordering::Equal => all.push(d),
            std::cmp::Ordering::Greater => self.digests = Default::default(),
        }
    }

    /// The file shown as `name`, if the project has it.
    pub fn file_id(&self, name: &str) -> Option<FileId> {
        (0..self.ws.sources.len()).find(|&id| self.ws.sources.name(id) == name)
    }

    /// The parsed plan of a file (`None` when it did not parse).
    pub fn parsed(&self, id: FileId) -> Option<&Parsed> {
        self.ws.files.iter().find(|(f, _)| *f == id).map(|(_, p)| p)
    }

    /// Replaces (or adds) the text of the file shown as `name` and re-parses
    /// that file alone; every other file keeps its text and parsed plan.
    pub fn set_file(&mut self, name: &str, bytes: Vec<u8>) -> FileId {
        self.parses += 1;
        let (text, read_error) = match load::text_of(bytes) {
            Ok(t) => (t, None),
            Err(d) => (String::new(), Some(d)),
        };
        let id = match self.file_id(name) {
            Some(id) => {
                self.ws.sources.replace(id, text);
                id
            }
            None => self.ws.sources.add(name.to_string(), text),
        };
        self.refresh_digest(id);
        self.load_diags
            .retain(|d| d.span.is_none_or(|s| s.file != id));
        self.ws.files.retain(|(f, _)| *f != id);
        let parsed = match read_error {
            Some(d) => Err(d.at(Span {
                file: id,
                start: 0,
                end: 0,
            })),
            None => load::parse_file(id, self.ws.sources.text(id)),
        };
        match parsed {
            Ok(p) => {
                // Files stay in the order they were read: the index takes
                // the first of two equal ids, as on a fresh load.
                let at = self.ws.files.partition_point(|(f, _)| *f < id);
                self.ws.files.insert(at, (id, p));
            }
            Err(d) => self.load_diags.push(d),
        }
        id
    }

    /// Drops a file from the analysis (its name stays known, with no text).
    pub fn remove_file(&mut self, name: &str) {
        if let Some(id) = self.file_id(name) {
            self.ws.sources.replace(id, String::new());
            self.refresh_digest(id);
            self.ws.files.retain(|(f, _)| *f != id);
            self.load_diags
                .retain(|d| d.span.is_none_or(|s| s.file != id));
        }
    }

    /// Keeps only the parsed files `keep` accepts (their diagnostics too).
    pub fn retain_files(&mut self, mut keep: impl FnMut(FileId, &Parsed) -> bool) {
        self.ws.files.retain(|(f, p)| keep(*f, p));
    }

    /// Every diagnostic `build` would give, without building: `prikaz check`.
    pub fn check(&self) -> Vec<Diagnostic> {
        self.analyze(Options::check()).diags
    }

    /// Runs the rules and the resolver over the whole project.
    pub fn analyze(&self, opts: Options) -> Analysis<'_> {
        run::run(self, opts, None, &Wants::everything(opts.documents))
    }

    /// Runs only what `wants` asks for, with the units' results taken from
    /// (and recorded in) `cache`: what a rebuild, a re-check or a language
    /// server pays for one edited plan of a thousand.
    pub fn analyze_with(
        &self,
        opts: Options,
        cache: &mut UnitCache,
        wants: &Wants,
    ) -> Analysis<'_> {
        run::run(self, opts, Some(cache), wants)
    }

    /// `(id, fingerprint)` of every document, without running the rules:
    /// equal fingerprints give equal documents and diagnostics.
    pub fn fingerprints(&self) -> Vec<(String, String)> {
        run::fingerprints(self)
    }
}

/// One run of the pipeline over a [`Project`]: the index, every diagnostic
/// (sorted, `allow:` applied) and the documents that resolved.
pub struct Analysis<'p> {
    pub ws: &'p Workspace,
    pub ix: Index<'p>,
    /// Documents made (all that resolved, unless the run asked for fewer);
    /// complete only when [`Analysis::buildable`] holds.
    pub docs: Vec<Document>,
    /// Every document of the run that resolved, made or not, in order.
    pub entries: Vec<Entry>,
    /// Units whose rules ran in this analysis (the others' results came
    /// from the cache or were out of scope).
    pub checked: usize,
    /// Units numbered in this analysis: those not taken from the cache.
    pub numbered: usize,
    /// The units analysed (numbered; `None`: taken from the cache, numbered
    /// when a document is made) with their files and kinds, and the
    /// emblems: what [`Analysis::make`] needs.
    units: Vec<Option<crate::index::Unit<'p>>>,
    kinds: Vec<(FileId, crate::index::UnitKind<'p>)>,
    assets: crate::resolve::assets::Assets,
    pub diags: Vec<Diagnostic>,
    pub opts: Options,
}

impl<'p> Analysis<'p> {
    pub fn counts(&self) -> Counts {
        diag::count(&self.diags)
    }

    /// Whether `build` may write these documents: no errors, and for the
    /// final edition no warnings either.
    pub fn buildable(&self) -> bool {
        let c = self.counts();
        c.errors == 0 && !(self.opts.final_ && c.warnings > 0)
    }

    /// Source files of each document (by document id), names as in
    /// diagnostics: its own plan, the appendices (and, for a bundle, the
    /// orders), and every registry file.
    pub fn document_sources(&self) -> BTreeMap<String, Vec<String>> {
        let ws = self.ws;
        let ix = &self.ix;
        let name = |f| ws.sources.name(f).to_string();
        let registry: Vec<String> = ws
            .files
            .iter()
            .filter(|(_, p)| matches!(p, Parsed::Registry(_)))
            .map(|(f, _)| name(*f))
            .collect();
        let order_files = |id: &str| -> Vec<String> {
            let mut out = Vec::new();
            if let Some(o) = ix.orders.get(id) {
                out.push(name(o.file));
                for a in &o.item.appendices {
                    if let Some(e) = ix.appendices.get(a.get().as_str()) {
                        out.push(name(e.file));
                    }
                }
            }
            out
        };
        let mut map = BTreeMap::new();
        for d in &self.entries {
            let mut files = if let Some(b) = ix.bundles.get(d.id.as_str()) {
                let mut v = vec![name(b.file)];
                for o in &b.item.orders {
                    v.extend(order_files(o.get()));
                }
                v
            } else if let Some(doc) = ix.documents.get(d.id.as_str()) {
                vec![name(doc.file)]
            } else {
                order_files(&d.id)
            };
            files.extend(registry.iter().cloned());
            files.sort();
            files.dedup();
            map.insert(d.id.clone(), files);
        }
        map
    }

    /// Each entry's fingerprint by document id.
    pub fn fingerprints_by_id(&self) -> std::collections::HashMap<&str, &str> {
        self.entries
            .iter()
            .map(|e| (e.id.as_str(), e.fingerprint.as_str()))
            .collect()
    }

    /// Makes the document of `entry` (one of [`Analysis::entries`]) now: a
    /// build makes each in its render worker, so memory holds the documents
    /// being rendered, not the repository's. What resolving it reports was
    /// reported by the analysis.
    pub fn make(&self, entry: &Entry) -> Option<Document> {
        let resolved = |i: usize| {
            let owned;
            let u = match self.units.get(i)? {
                Some(u) => u,
                None => {
                    let &(file, kind) = self.kinds.get(i)?;
                    owned = crate::index::Unit::build(&self.ix, file, kind, &mut Vec::new());
                    &owned
                }
            };
            crate::resolve::unit(&self.ix, u, &self.assets)
                .ok()
                .map(|(d, _)| d)
        };
        let mut doc = match entry.unit {
            Some(i) => resolved(i)?,
            None => {
                let b = self.ix.bundles.get(entry.id.as_str())?;
                let orders = b
                    .item
                    .orders
                    .iter()
                    .filter_map(|o| {
                        let i = self.kinds.iter().position(|(_, k)| {
                            matches!(k, crate::index::UnitKind::Order(_)) && k.id() == o.get()
                        })?;
                        match resolved(i)? {
                            Document {
                                body: Body::Order(order),
                                meta,
                                ..
                            } => Some((order, meta)),
                            _ => None,
                        }
                    })
                    .collect();
                crate::resolve::bundle(&self.ix, b, orders)
            }
        };
        doc.file_stem = entry.file_stem.clone();
        if self.opts.final_ {
            doc.meta.draft = false;
        }
        Some(doc)
    }

    /// Takes the documents out, with their source files, for the backends.
    pub fn into_documents(self) -> Documents {
        let sources = self.document_sources();
        Documents {
            docs: self.docs,
            entries: self.entries,
            sources,
        }
    }
}

/// Documents ready for the backends, with the files each is made from.
#[derive(Debug, Clone, Default)]
pub struct Documents {
    pub docs: Vec<Document>,
    /// Every document of the set, made or not (an incremental build makes
    /// only what changed).
    pub entries: Vec<Entry>,
    /// Source files of each document (by document id), names as in diagnostics.
    pub sources: BTreeMap<String, Vec<String>>,
}

/// Kind and id of a parsed plan file; the registry has no id.
pub fn plan_key(p: &Parsed) -> Option<(&'static str, String)> {
    match p {
        Parsed::Registry(_) => None,
        Parsed::Order(o) => Some(("order", o.id.get().clone())),
        Parsed::Appendix(a) => Some(("appendix", a.id.get().clone())),
        Parsed::Document(d) => Some(("document", d.id.get().clone())),
        Parsed::Bundle(b) => Some(("bundle", b.id.get().clone())),
    }
}

/// Documents a plan file takes part in: the order, document or bundle itself,
/// or the orders that carry an appendix.
pub fn documents_of<'a>(docs: &'a [Document], key: &(&str, String)) -> Vec<&'a Document> {
    docs.iter()
        .filter(|d| match key.0 {
            "appendix" => match &d.body {
                Body::Order(o) => o.appendices.iter().any(|a| a.id == key.1),
                _ => false,
            },
            _ => d.id == key.1,
        })
        .collect()
}
