//! Writing the output: every file through a synced temporary beside its
//! target and a rename, a set of files put in place only when all are on
//! disk, and the temporaries a killed run left cleaned up.

use std::path::{Path, PathBuf};

use super::{BuildError, Rendered, Written};

/// Writes the files into `out_dir` as a set: every one first goes to a
/// temporary file beside its target and is synced; only when all of them
/// are on disk are they renamed into place, in order, so a full disk or a
/// read-only file changes nothing in `out_dir`. Put the file that vouches
/// for the others (the manifest) last: a run killed between two renames
/// leaves new documents under the old manifest, which `verify` reports.
pub fn write_set(out_dir: &Path, files: &[Rendered]) -> Result<Vec<Written>, BuildError> {
    prepare_dir(out_dir)?;
    let mut staged = Vec::with_capacity(files.len());
    for f in files {
        // On error the temporaries staged so far are deleted as they drop.
        staged.push(Staged::new(out_dir, &f.name, &f.bytes, f.pages)?);
    }
    commit(staged)
}

/// Makes `out_dir` and removes what a killed build left in it.
pub fn prepare_dir(out_dir: &Path) -> Result<(), BuildError> {
    std::fs::create_dir_all(out_dir).map_err(|source| BuildError::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    for stale in leftovers(out_dir) {
        let _ = std::fs::remove_file(stale);
    }
    Ok(())
}

/// A file written under a temporary name beside its target, synced and
/// closed, not yet in place: dropping it deletes it. A build stages each
/// file as soon as it is rendered, so it holds names, not documents.
#[derive(Debug)]
pub struct Staged {
    tmp: tempfile::TempPath,
    path: PathBuf,
    pages: Option<usize>,
    bytes: usize,
}

impl Staged {
    /// Stages `bytes` as `out_dir/name` (`out_dir` must exist).
    pub fn new(
        out_dir: &Path,
        name: &str,
        bytes: &[u8],
        pages: Option<usize>,
    ) -> Result<Staged, BuildError> {
        let path = out_dir.join(name);
        let tmp = stage(&path, bytes).map_err(|source| BuildError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(Staged {
            // Closed: a thousand staged files must not hold a thousand
            // descriptors (the usual limit is 1,024).
            tmp: tmp.into_temp_path(),
            path,
            pages,
            bytes: bytes.len(),
        })
    }
}

/// Puts staged files in place, in order (put the manifest last).
pub fn commit(staged: Vec<Staged>) -> Result<Vec<Written>, BuildError> {
    let mut written = Vec::with_capacity(staged.len());
    for s in staged {
        s.tmp.persist(&s.path).map_err(|e| BuildError::Rename {
            path: s.path.clone(),
            source: e.error,
        })?;
        written.push(Written {
            path: s.path,
            pages: s.pages,
            bytes: s.bytes,
        });
    }
    Ok(written)
}

/// Writes through a temporary file in the target's directory and renames it
/// into place: readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    stage(path, bytes)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `bytes` in a synced temporary file beside `path`, with the mode `path`
/// has (or the usual one); [`tempfile::NamedTempFile::persist`] puts it in
/// place, and dropping it deletes it.
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // A temporary file is private (0600); the file it becomes keeps the mode
    // of the file it replaces, or takes the usual one (0666 less the umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o666);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

const TEMP_PREFIX: &str = ".prikaz-";
const TEMP_SUFFIX: &str = ".tmp";

/// Temporary files a killed run left in `dir` (a write takes well under a
/// second, so one older than ten minutes belongs to no running write).
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    temporaries(dir, 600)
}

/// Temporary files of prikaz in `dir` at least `min_age_secs` old.
pub fn temporaries(dir: &Path, min_age_secs: u64) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let old = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() >= min_age_secs)
    };
    let mut out: Vec<PathBuf> = read
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(TEMP_PREFIX) && n.ends_with(TEMP_SUFFIX))
        })
        .filter(|p| old(p))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn atomic_writes_keep_the_mode_of_the_file_they_replace_or_follow_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tmp");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        let new = dir.path().join("new.pdf");
        write_atomic(&new, b"x").expect("write");
        // Tests run with the umask of the shell; a fresh file is never 0600
        // unless the umask says so.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").expect("write");
        assert_eq!(mode(&new), mode(&plain));
        let kept = dir.path().join("order.yaml");
        std::fs::write(&kept, b"a").expect("write");
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&kept, b"b").expect("write");
        assert_eq!(mode(&kept), 0o640);
    }

    #[test]
    fn only_old_temporaries_count_as_leftovers() {
        let dir = tempfile::tempdir().expect("tmp");
        let old = dir.path().join(".prikaz-abc.tmp");
        let fresh = dir.path().join(".prikaz-def.tmp");
        std::fs::write(&old, b"x").expect("write");
        std::fs::write(&fresh, b"x").expect("write");
        std::fs::write(dir.path().join("a.pdf"), b"x").expect("write");
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .expect("open")
            .set_modified(hour_ago)
            .expect("mtime");
        assert_eq!(leftovers(dir.path()), vec![old]);
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"one").expect("write");
        write_atomic(&p, b"two").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
