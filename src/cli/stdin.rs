//! `-` for standard input: an editor, a pipe or a hook hands a plan's text
//! without saving it. The text is read with the repository's other plans
//! (the registry, the appendices it names), in place of the file it
//! stands for (`--stdin-name`, or the plan of the same kind and id).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::FileId;
use crate::project::root::Scope;
use crate::project::{Project, plan_key};

/// Whether `paths` is the one path `-`.
pub fn is_stdin(paths: &[PathBuf]) -> bool {
    matches!(paths, [p] if p == Path::new("-"))
}

/// The bytes of standard input; `Err` is the exit code.
pub fn read_all() -> Result<Vec<u8>, i32> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| {
        eprintln!("ошибка: не удаётся прочитать стандартный ввод: {e}");
        2
    })?;
    Ok(bytes)
}

/// The repository of the current folder with `bytes` as the file `name`
/// (shown as given, `-` when none): the file of that name, and any other
/// plan of the same kind and id, give way to it.
pub fn project(bytes: Vec<u8>, name: Option<&Path>) -> Result<(Project, FileId), i32> {
    let scope = Scope::of(&[]).map_err(|e| {
        eprintln!("ошибка: {e}");
        2
    })?;
    let shown = name.map_or_else(
        || "-".to_string(),
        |n| n.to_string_lossy().replace('\\', "/"),
    );
    let mut project = match &scope.layout {
        Some(_) => Project::open(&scope.load, &scope.root),
        None => Project::from_memory(Vec::new(), &scope.root),
    };
    // The name as the repository shows it: relative to its root.
    let own = name.map(crate::project::root::absolute);
    let same: Vec<String> = (0..project.sources().len())
        .map(|f| project.sources().name(f).to_string())
        .filter(|n| own.as_ref() == Some(&crate::project::root::absolute(&scope.root.join(n))))
        .collect();
    let shown = same.first().cloned().unwrap_or(shown);
    for n in &same {
        project.remove_file(n);
    }
    let fid = project.set_file(&shown, bytes);
    if let Some(k) = project.parsed(fid).and_then(plan_key) {
        project.retain_files(|id, p| id == fid || plan_key(p).as_ref() != Some(&k));
    }
    Ok((project, fid))
}
