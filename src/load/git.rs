//! Reading plans as they were at a git revision, through gix (no `git`
//! program, no parsing of its output).

use std::path::{Path, PathBuf};

use crate::load::is_plan_name;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("«{0}» не находится в git-репозитории")]
    NotARepository(String),
    #[error("у репозитория нет рабочего каталога")]
    Bare,
    #[error("ревизия «{rev}» не найдена: {message}")]
    Revision { rev: String, message: String },
    #[error("не удаётся прочитать ревизию «{rev}»: {message}")]
    Read { rev: String, message: String },
}

/// A repository opened once for several revisions.
pub struct Repo {
    repo: gix::Repository,
    workdir: PathBuf,
}

impl Repo {
    /// The repository containing `dir` (searching upwards, as git does).
    pub fn discover(dir: &Path) -> Result<Repo, GitError> {
        let repo =
            gix::discover(dir).map_err(|_| GitError::NotARepository(dir.display().to_string()))?;
        let workdir = repo.workdir().ok_or(GitError::Bare)?.to_path_buf();
        let workdir = workdir.canonicalize().unwrap_or(workdir);
        Ok(Repo { repo, workdir })
    }

    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// Where git looks for hooks: `core.hooksPath` (relative to the work
    /// tree, as git reads it) or the repository's `hooks/`.
    pub fn hooks_dir(&self) -> PathBuf {
        let configured = self
            .repo
            .config_snapshot()
            .string("core.hooksPath")
            .map(|p| p.to_string());
        match configured {
            Some(p) if Path::new(&p).is_absolute() => PathBuf::from(p),
            Some(p) => self.workdir.join(p),
            None => self.repo.git_dir().join("hooks"),
        }
    }

    /// `paths` (relative to `cwd` or absolute) as prefixes inside the repository,
    /// with `/` separators; an empty prefix is the whole repository.
    pub fn prefixes(&self, cwd: &Path, paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .map(|p| {
                let abs = if p.is_absolute() {
                    p.clone()
                } else {
                    cwd.join(p)
                };
                let abs = normalize(&abs);
                abs.strip_prefix(&self.workdir)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default()
            })
            .collect()
    }

    /// The commit `HEAD` points at, as hex; `None` in a repository without commits.
    pub fn head_commit(&self) -> Option<String> {
        self.repo
            .rev_parse_single("HEAD")
            .ok()
            .map(|id| id.detach().to_string())
    }

    /// A file's bytes at `rev` (path inside the repository, `/` separators).
    pub fn file_at(&self, rev: &str, path: &str) -> Option<Vec<u8>> {
        let id = self.repo.rev_parse_single(rev).ok()?;
        let tree = id.object().ok()?.peel_to_tree().ok()?;
        let entry = tree.lookup_entry_by_path(path).ok()??;
        let size = self.repo.find_header(entry.object_id()).ok()?.size();
        if size > crate::load::MAX_FILE_BYTES {
            return None;
        }
        let blob = self.repo.find_blob(entry.object_id()).ok()?;
        Some(blob.data.clone())
    }

    /// Every blob at `rev` with its object id, by path inside the repository:
    /// whether a file is as committed is then a hash of its bytes, without
    /// reading the blob (the manifest asks this of every source).
    pub fn blob_ids(&self, rev: &str) -> Option<std::collections::HashMap<String, gix::ObjectId>> {
        let id = self.repo.rev_parse_single(rev).ok()?;
        let tree = id.object().ok()?.peel_to_tree().ok()?;
        let entries = tree.traverse().breadthfirst.files().ok()?;
        Some(
            entries
                .into_iter()
                .filter(|e| e.mode.is_blob())
                .map(|e| (e.filepath.to_string(), e.oid))
                .collect(),
        )
    }

    /// Whether `bytes` are the blob `id`, hashed as git hashes a file.
    pub fn is_blob(&self, id: &gix::oid, bytes: &[u8]) -> bool {
        gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, bytes)
            .is_ok_and(|h| h.as_ref() == id)
    }

    /// The commits after `since` up to HEAD on the first-parent line,
    /// oldest first: (id, author's name, time in seconds since the epoch).
    pub fn commits_since(&self, since: &str) -> Vec<(String, String, i64)> {
        let Some(stop) = self.repo.rev_parse_single(since).ok().map(|i| i.detach()) else {
            return Vec::new();
        };
        let Some(mut id) = self.repo.rev_parse_single("HEAD").ok().map(|i| i.detach()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // Enough for a review; a longer history is cut, not walked to its root.
        while id != stop && out.len() < 500 {
            let Ok(commit) = self.repo.find_commit(id) else {
                break;
            };
            let (name, seconds) = match commit.author() {
                Ok(a) => (a.name.to_string(), a.time().map(|t| t.seconds).unwrap_or(0)),
                Err(_) => (String::new(), 0),
            };
            out.push((id.to_string(), name, seconds));
            match commit.parent_ids().next() {
                Some(p) => id = p.detach(),
                None => break,
            }
        }
        out.reverse();
        out
    }

    /// HEAD's author and time (seconds since the epoch).
    pub fn head_author(&self) -> Option<(String, i64)> {
        let id = self.repo.rev_parse_single("HEAD").ok()?.detach();
        let commit = self.repo.find_commit(id).ok()?;
        let author = commit.author().ok()?;
        Some((author.name.to_string(), author.time().ok()?.seconds))
    }

    /// Whether `rev` names a commit (or a tree) in this repository.
    pub fn has_revision(&self, rev: &str) -> bool {
        self.repo.rev_parse_single(rev).is_ok()
    }

    /// Plan files (`.yaml`/`.yml`) under any of `prefixes` at revision `rev`:
    /// `(name for diagnostics, bytes)`, sorted by path; a blob larger than a
    /// plan may be is not inflated (`Err(size)`, from its header): a small
    /// repository can hold a gigabyte of zeros.
    #[allow(clippy::type_complexity)]
    pub fn plan_files(
        &self,
        rev: &str,
        prefixes: &[String],
    ) -> Result<Vec<(String, Result<Vec<u8>, u64>)>, GitError> {
        let read_err = |e: &dyn std::fmt::Display| GitError::Read {
            rev: rev.to_string(),
            message: e.to_string(),
        };
        let id = self
            .repo
            .rev_parse_single(rev)
            .map_err(|e| GitError::Revision {
                rev: rev.to_string(),
                message: e.to_string(),
            })?;
        let object = id.object().map_err(|e| read_err(&e))?;
        let tree = object.peel_to_tree().map_err(|e| read_err(&e))?;
        let entries = tree
            .traverse()
            .breadthfirst
            .files()
            .map_err(|e| read_err(&e))?;
        let mut out = Vec::new();
        for e in entries {
            if !e.mode.is_blob() {
                continue;
            }
            let path = e.filepath.to_string();
            if !is_plan_name(Path::new(&path)) || !under_any(&path, prefixes) {
                continue;
            }
            let name = format!("{rev}:{path}");
            let size = self
                .repo
                .find_header(e.oid)
                .map_err(|e| read_err(&e))?
                .size();
            if size > crate::load::MAX_FILE_BYTES {
                out.push((name, Err(size)));
                continue;
            }
            let blob = self.repo.find_blob(e.oid).map_err(|e| read_err(&e))?;
            out.push((name, Ok(blob.data.clone())));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

fn under_any(path: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| {
        let p = p.trim_end_matches('/');
        p.is_empty() || path == p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/'))
    })
}

/// `a/./b/../c` → `a/c` without touching the file system, `.` and `..`
/// folded as written (the path may not exist, or not any more).
pub fn fold_dots(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// [`fold_dots`], then the part that exists with its symlinks resolved.
fn normalize(p: &Path) -> PathBuf {
    let out = fold_dots(p);
    // Resolve symlinks of the part that exists (e.g. /tmp on macOS).
    let mut existing = out.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => {
                tail.push(n.to_os_string());
                existing.pop();
            }
            None => return out,
        }
    }
    let mut base = existing.canonicalize().unwrap_or(existing);
    for t in tail.into_iter().rev() {
        base.push(t);
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_whole_path_components_only() {
        let p = vec!["plans".to_string()];
        assert!(under_any("plans/a.yaml", &p));
        assert!(!under_any("plans-old/a.yaml", &p));
        assert!(under_any("x/a.yaml", &[String::new()]));
    }
}
