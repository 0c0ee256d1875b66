//! The plans at one point in their history, resolved into documents: the work
//! tree, a git revision, or one file (e.g. a blob git hands to a textconv
//! driver) read in the context of the work tree's registry and appendices.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::git::{GitError, Repo};
use crate::load::{self, Parsed, Workspace};
use crate::model::{Body, Document};

pub struct Snapshot {
    pub ws: Workspace,
    pub docs: Vec<Document>,
    /// Load and resolve errors; the documents that resolved are still compared.
    pub diags: Vec<Diagnostic>,
}

fn resolved(ws: Workspace, mut diags: Vec<Diagnostic>) -> Snapshot {
    let (docs, more) = crate::resolve::resolve(&ws);
    diags.extend(more.into_iter().filter(|d| d.is_error()));
    diags.retain(|d| d.is_error());
    Snapshot { ws, docs, diags }
}

/// Plans on disk under `paths`, names relative to `root`.
pub fn worktree(paths: &[PathBuf], root: &Path) -> Snapshot {
    let (files, mut diags) = load::discover(paths);
    let (ws, more) = load::load(&files, root);
    diags.extend(more);
    resolved(ws, diags)
}

/// Plans under `prefixes` as committed at `rev`.
pub fn revision(repo: &Repo, rev: &str, prefixes: &[String]) -> Result<Snapshot, GitError> {
    let files = repo.plan_files(rev, prefixes)?;
    let (ws, diags) = load::load_bytes(files, repo.workdir());
    Ok(resolved(ws, diags))
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

/// Where the context of a lone file comes from: `plans/` in the current
/// directory when there is one, else the file's own directory.
pub fn context_dir(file: &Path, cwd: &Path) -> PathBuf {
    let plans = cwd.join("plans");
    if plans.is_dir() {
        plans
    } else {
        file.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.to_path_buf())
    }
}

/// `file` (shown as `name`) with the other plans of `context`: the context's
/// own version of the same plan (same kind and id) is left out.
pub struct Single {
    pub snapshot: Snapshot,
    /// Kind and id of the file, `None` for a registry or an unreadable file.
    pub key: Option<(&'static str, String)>,
}

pub fn single(name: &str, bytes: Vec<u8>, context: &Path, root: &Path) -> Single {
    let (ctx_files, _) = load::discover(&[context.to_path_buf()]);
    let own = std::fs::canonicalize(Path::new(name)).ok();
    let mut inputs = Vec::new();
    for p in ctx_files {
        if own.is_some() && std::fs::canonicalize(&p).ok() == own {
            continue;
        }
        if let Ok(b) = std::fs::read(&p) {
            let n = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            inputs.push((n, b));
        }
    }
    inputs.push((name.to_string(), bytes));
    let (mut ws, diags) = load::load_bytes(inputs, root);
    let file_id = ws
        .files
        .iter()
        .find(|(id, _)| ws.sources.name(*id) == name)
        .map(|(id, _)| *id);
    let key = file_id.and_then(|fid| {
        ws.files
            .iter()
            .find(|(id, _)| *id == fid)
            .and_then(|(_, p)| plan_key(p))
    });
    if let (Some(fid), Some(k)) = (file_id, &key) {
        ws.files
            .retain(|(id, p)| *id == fid || plan_key(p).as_ref() != Some(k));
    }
    Single {
        snapshot: resolved(ws, diags),
        key,
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
