//! The plans at one point in their history, resolved into documents: the work
//! tree, a git revision, or one file (e.g. a blob git hands to a textconv
//! driver) read in the context of the work tree's registry and appendices.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::load::git::{GitError, Repo};
use crate::model::Document;
use crate::project::{Make, Options, Project, UnitCache, Wants};
pub use crate::project::{documents_of, plan_key};

pub struct Snapshot {
    pub project: Project,
    pub docs: Vec<Document>,
    /// Load and resolve errors; the documents that resolved are still compared.
    pub diags: Vec<Diagnostic>,
}

/// The documents of an analysis and its errors (the documents that did
/// resolve are still compared).
fn docs_and_errors(a: crate::project::Analysis) -> (Vec<Document>, Vec<Diagnostic>) {
    let diags = a.diags.into_iter().filter(|d| d.is_error()).collect();
    (a.docs, diags)
}

fn resolved(project: Project) -> Snapshot {
    let (docs, diags) = docs_and_errors(project.analyze(Options::default()));
    Snapshot {
        project,
        docs,
        diags,
    }
}

/// Two sides of a comparison, each made only for what differs: a document
/// whose fingerprint (its plan files, the registry, the emblems) is the
/// same on both sides is equal on both, so it is left out of both, with
/// its diagnostics. The repository's own rules still run on each side.
pub fn pair(old: Project, new: Project) -> (Snapshot, Snapshot) {
    let prints =
        |p: &Project| -> HashSet<(String, String)> { p.fingerprints().into_iter().collect() };
    let (old_fp, new_fp) = rayon::join(|| prints(&old), || prints(&new));
    let side = |project: Project, other: &HashSet<(String, String)>| {
        let (docs, diags) = {
            let scope = |id: &str, fp: &str| !other.contains(&(id.to_string(), fp.to_string()));
            let wants = Wants {
                scope: &scope,
                make: Make::All,
            };
            docs_and_errors(project.analyze_with(
                Options::default(),
                &mut UnitCache::memory(),
                &wants,
            ))
        };
        Snapshot {
            project,
            docs,
            diags,
        }
    };
    rayon::join(|| side(old, &new_fp), || side(new, &old_fp))
}

/// The plans of `rev` under `prefixes`, not yet resolved; what `other`
/// parsed of the same files is copied, not parsed again.
pub fn revision_project(
    repo: &Repo,
    rev: &str,
    prefixes: &[String],
    other: Option<&Project>,
) -> Result<Project, GitError> {
    let files = repo.plan_files(rev, prefixes)?;
    Ok(Project::from_blobs_reusing(files, repo.workdir(), other))
}

/// Plans on disk under `paths`, names relative to `root`.
pub fn worktree(paths: &[PathBuf], root: &Path) -> Snapshot {
    resolved(Project::open(paths, root))
}

/// Plans under `prefixes` as committed at `rev`.
pub fn revision(repo: &Repo, rev: &str, prefixes: &[String]) -> Result<Snapshot, GitError> {
    let files = repo.plan_files(rev, prefixes)?;
    Ok(resolved(Project::from_blobs(files, repo.workdir())))
}

/// Where the context of a lone file comes from: the plans of the repository
/// the file or the current folder is in, else `plans/` in the current folder,
/// else the file's own folder.
pub fn context_dir(file: &Path, cwd: &Path) -> PathBuf {
    // The repository's plans, found from the file (a plan opened in place)
    // or from the folder (git hands a temporary copy of a revision's file).
    let found = [file, cwd]
        .iter()
        .find_map(|p| crate::project::root::discover(p).ok().flatten());
    if let Some(l) = found {
        return l.plans;
    }
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
    let mut project = Project::open(&[context.to_path_buf()], root);
    // The context's copy of this very file gives way to the bytes given.
    if let Ok(own) = std::fs::canonicalize(Path::new(name)) {
        let same: Vec<String> = (0..project.sources().len())
            .map(|id| project.sources().name(id).to_string())
            .filter(|n| std::fs::canonicalize(root.join(n)).ok().as_ref() == Some(&own))
            .collect();
        for n in same {
            project.remove_file(&n);
        }
    }
    let fid = project.set_file(name, bytes);
    let key = project.parsed(fid).and_then(plan_key);
    if let Some(k) = &key {
        project.retain_files(|id, p| id == fid || plan_key(p).as_ref() != Some(k));
    }
    Single {
        snapshot: resolved(project),
        key,
    }
}
