//! `prikaz hook install`: a git pre-commit hook that refuses a commit whose
//! plans are not formatted or do not pass `check` (warnings included). It
//! runs both: the README's old `exec prikaz fmt … && prikaz check …`
//! replaced the shell with `fmt` and never ran `check`.

use std::path::Path;

#[derive(clap::Args, Debug)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
}

#[derive(clap::Subcommand, Debug)]
pub enum HookAction {
    /// Записать .git/hooks/pre-commit: перед коммитом prikaz fmt --check и prikaz check
    Install {
        /// Заменить уже существующий хук pre-commit
        #[arg(long)]
        force: bool,
    },
}

/// The first line after the shebang: how a hook prikaz wrote is recognised.
const MARK: &str = "# prikaz hook";

/// The hook's text: `prikaz` from PATH, or the binary that installed it.
pub fn script(fallback: &Path) -> String {
    let fallback = fallback.to_string_lossy().replace('\'', "'\\''");
    format!(
        "#!/bin/sh\n{MARK}: written by `prikaz hook install`; a commit goes through only when\n\
         # the plans are formatted and pass `check` without warnings.\n\
         set -u\n\
         PRIKAZ=$(command -v prikaz || echo '{fallback}')\n\
         \"$PRIKAZ\" fmt --check || {{ echo 'prikaz: оформите планы: prikaz fmt' >&2; exit 1; }}\n\
         \"$PRIKAZ\" check --deny-warnings || {{ echo 'prikaz: коммит отклонён: исправьте то, что указано выше' >&2; exit 1; }}\n"
    )
}

pub(super) fn hook(a: HookArgs) -> i32 {
    let HookAction::Install { force } = a.action;
    let cwd = crate::project::root::absolute(Path::new("."));
    let repo = match crate::load::git::Repo::discover(&cwd) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return 2;
        }
    };
    let dir = repo.hooks_dir();
    let path = dir.join("pre-commit");
    if let Ok(old) = std::fs::read_to_string(&path)
        && !old.contains(MARK)
        && !force
    {
        eprintln!(
            "ошибка: хук {} уже есть и написан не prikaz; замените его с --force",
            path.display()
        );
        return 2;
    }
    let exe = std::env::current_exe().unwrap_or_else(|_| "prikaz".into());
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| crate::build::write_atomic(&path, script(&exe).as_bytes()))
        .and_then(|()| executable(&path));
    match written {
        Ok(()) => {
            if super::chatty() {
                println!("записан {}", path.display());
            }
            0
        }
        Err(e) => {
            eprintln!("ошибка: не удаётся записать {}: {e}", path.display());
            2
        }
    }
}

#[cfg(unix)]
fn executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut p = std::fs::metadata(path)?.permissions();
    p.set_mode(p.mode() | 0o111);
    std::fs::set_permissions(path, p)
}

#[cfg(not(unix))]
fn executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}
