//! The plans at one point in their history, resolved into documents: the work
//! tree, a git revision, or one file (e.g. a blob git hands to a textconv
//! driver) read in the context of the work tree's registry and appendices.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::load::git::{GitError, Repo};
use crate::model::Document;
use crate::project::{Options, Project};
pub use crate::project::{documents_of, plan_key};

pub struct Snapshot {
    pub project: Project,
    pub docs: Vec<Document>,
    /// Load and resolve errors; the documents that resolved are still compared.
    pub diags: Vec<Diagnostic>,
}

fn resolved(project: Project) -> Snapshot {
    let (docs, diags) = {
        let a = project.analyze(Options::default());
        let diags: Vec<Diagnostic> = a.diags.into_iter().filter(|d| d.is_error()).collect();
        (a.docs, diags)
    };
    Snapshot {
        project,
        docs,
        diags,
    }
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
