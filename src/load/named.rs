//! Files a plan names (an emblem): read only from inside the repository,
//! only when they are regular files, and never more than a byte limit —
//! whatever the path, a symlink, a FIFO or a device says.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a named file was not read; the caller locates it at the path's value.
#[derive(Debug, thiserror::Error)]
pub enum NamedFileError {
    #[error("файл не прочитан ({0})")]
    Io(#[source] std::io::Error),
    #[error("файл лежит вне репозитория ({})", .0.display())]
    Outside(PathBuf),
    #[error("это не обычный файл (каталог, канал или устройство)")]
    NotRegular,
    #[error("файл слишком велик (больше {0} байт)")]
    TooLarge(u64),
    #[error("файл не в кодировке UTF-8")]
    NotUtf8,
}

/// The directory a plan's named files must lie in: the git repository that
/// holds the plan file (the nearest ancestor with `.git`), else `root` when
/// the plan is under it, else the plan file's own directory.
pub fn confinement(plan_file: &Path, root: &Path) -> PathBuf {
    let plan_dir = plan_file.parent().unwrap_or(root);
    let plan_dir = std::fs::canonicalize(plan_dir).unwrap_or_else(|_| plan_dir.to_path_buf());
    if let Some(repo) = plan_dir.ancestors().find(|d| d.join(".git").exists()) {
        return repo.to_path_buf();
    }
    match std::fs::canonicalize(root) {
        Ok(r) if plan_dir.starts_with(&r) => r,
        _ => plan_dir,
    }
}

/// Reads `path` (relative to the plan file's directory, or absolute) if,
/// with every symlink resolved, it is a regular file inside `within`, of at
/// most `max_bytes`.
pub fn read_confined(
    plan_file: &Path,
    path: &str,
    within: &Path,
    max_bytes: u64,
) -> Result<Vec<u8>, NamedFileError> {
    let base = plan_file.parent().unwrap_or(Path::new("."));
    let real = std::fs::canonicalize(base.join(path)).map_err(NamedFileError::Io)?;
    if !real.starts_with(within) {
        return Err(NamedFileError::Outside(real));
    }
    // Metadata of the resolved path, before opening: a FIFO would block the
    // open itself, a device has no size to check.
    let meta = std::fs::metadata(&real).map_err(NamedFileError::Io)?;
    if !meta.is_file() {
        return Err(NamedFileError::NotRegular);
    }
    if meta.len() > max_bytes {
        return Err(NamedFileError::TooLarge(max_bytes));
    }
    let file = std::fs::File::open(&real).map_err(NamedFileError::Io)?;
    // The file may grow between the check and the read: read no more than allowed.
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(NamedFileError::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(NamedFileError::TooLarge(max_bytes));
    }
    Ok(bytes)
}
