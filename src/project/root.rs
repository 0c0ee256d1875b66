//! The repository a command runs in, found as cargo finds `Cargo.toml`:
//! walking up from the current folder (or from the path given) to the
//! folder with `prikaz.toml`, or with `plans/registry.yaml`. Checking one
//! plan then loads the whole repository (the registry, the appendices and
//! acts it refers to) and reports that plan's diagnostics only; every
//! command behaves the same from every folder.

use std::path::{Component, Path, PathBuf};

/// Where a repository keeps its plans, templates and output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The repository's root: file names in diagnostics are relative to it.
    pub root: PathBuf,
    pub plans: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum RootError {
    #[error("не удаётся прочитать {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("{path}: путь «{value}» ведёт за пределы репозитория")]
    Outside { path: PathBuf, value: String },
}

/// `prikaz.toml`: every key optional, paths relative to its folder.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    plans: Option<String>,
    templates: Option<String>,
    out: Option<String>,
}

pub const CONFIG: &str = "prikaz.toml";

/// The repository `from` (a folder or a file) is in, if any.
pub fn discover(from: &Path) -> Result<Option<Layout>, RootError> {
    let start = if from.is_file() {
        from.parent().unwrap_or(from)
    } else {
        from
    };
    let start = absolute(start);
    // The nearest `prikaz.toml` names the plans folder: inside it, that is
    // the repository, whatever registries lie in between.
    let mut configured = None;
    if let Some(dir) = start.ancestors().find(|d| d.join(CONFIG).is_file()) {
        let l = read_config(dir, &dir.join(CONFIG))?;
        if start.starts_with(&l.plans) || start == l.root {
            return Ok(Some(l));
        }
        configured = Some(l);
    }
    for dir in start.ancestors() {
        if dir.join("plans").join("registry.yaml").is_file() {
            return Ok(Some(layout(dir, &Config::default())?));
        }
        // A folder of plans with its registry and no `plans/` above it (a
        // test fixture, a repository of plans alone) is its own root.
        if dir.join("registry.yaml").is_file() {
            let above = dir.parent().filter(|p| p.join("plans") == dir);
            if above.is_none() {
                let c = Config {
                    plans: Some(".".into()),
                    ..Config::default()
                };
                return Ok(Some(layout(dir, &c)?));
            }
        }
    }
    Ok(configured)
}

fn read_config(dir: &Path, path: &Path) -> Result<Layout, RootError> {
    let text = std::fs::read_to_string(path).map_err(|source| RootError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let config: Config = toml::from_str(&text).map_err(|source| RootError::Parse {
        path: path.to_path_buf(),
        source,
    })?;
    layout(dir, &config).map_err(|e| match e {
        RootError::Outside { value, .. } => RootError::Outside {
            path: path.to_path_buf(),
            value,
        },
        e => e,
    })
}

fn layout(dir: &Path, c: &Config) -> Result<Layout, RootError> {
    let at = |value: &Option<String>, default: &str| {
        let v = value.as_deref().unwrap_or(default);
        // The configured folders stay inside the repository, as every file
        // a plan names does.
        let p = Path::new(v);
        if p.is_absolute()
            || p.components()
                .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
        {
            return Err(RootError::Outside {
                path: dir.join(CONFIG),
                value: v.to_string(),
            });
        }
        Ok(absolute(&dir.join(p)))
    };
    Ok(Layout {
        root: dir.to_path_buf(),
        plans: at(&c.plans, "plans")?,
        templates: at(&c.templates, "templates")?,
        out: at(&c.out, "out")?,
    })
}

/// `p` made absolute against the current folder, `.` and `..` folded
/// without touching the file system (a path that does not exist yet still
/// has a place).
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(p)
    };
    crate::load::git::fold_dots(&joined)
}

/// What one command works on: the files to load and the part of them it
/// reports and builds.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The repository, when the paths are inside one.
    pub layout: Option<Layout>,
    /// The folder file names are shown relative to.
    pub root: PathBuf,
    /// What to load: the repository's plans and whatever else was named.
    pub load: Vec<PathBuf>,
    /// The paths named, absolute; empty for the whole repository.
    only: Vec<PathBuf>,
}

impl Scope {
    /// The scope of `paths` (the repository's plans when empty).
    pub fn of(paths: &[PathBuf]) -> Result<Scope, RootError> {
        let cwd = absolute(Path::new("."));
        let named: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
        let layout = discover(named.first().unwrap_or(&cwd))?;
        let Some(layout) = layout else {
            return Ok(Scope {
                layout: None,
                root: cwd,
                load: if paths.is_empty() {
                    vec![PathBuf::from("plans")]
                } else {
                    paths.to_vec()
                },
                only: Vec::new(),
            });
        };
        let mut load = vec![layout.plans.clone()];
        load.extend(
            named
                .iter()
                .filter(|p| !p.starts_with(&layout.plans))
                .cloned(),
        );
        // Naming the plans folder itself (or a folder above it) is the
        // whole repository.
        let only = named
            .into_iter()
            .filter(|p| !layout.plans.starts_with(p))
            .collect();
        Ok(Scope {
            root: layout.root.clone(),
            layout: Some(layout),
            load,
            only,
        })
    }

    /// Whether the file shown as `name` (relative to [`Scope::root`]) is
    /// among the paths named.
    pub fn covers(&self, name: &str) -> bool {
        if self.only.is_empty() {
            return true;
        }
        let path = absolute(&self.root.join(name));
        self.only.iter().any(|o| path.starts_with(o))
    }

    /// Whether only part of the repository was named.
    pub fn is_partial(&self) -> bool {
        !self.only.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tmp");
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, "kind: registry\n").expect("write");
        }
        dir
    }

    #[test]
    fn the_root_is_found_from_any_subfolder_by_its_registry() {
        let dir = repo(&["plans/registry.yaml", "plans/a/order.yaml"]);
        let root = dir.path().canonicalize().expect("canon");
        let found = discover(&root.join("plans/a")).expect("ok").expect("found");
        assert_eq!(found.root, root);
        assert_eq!(found.plans, root.join("plans"));
        assert_eq!(found.out, root.join("out"));
        let from_file = discover(&root.join("plans/a/order.yaml")).expect("ok");
        assert_eq!(from_file.map(|l| l.root), Some(root));
    }

    #[test]
    fn prikaz_toml_names_the_folders_and_may_not_leave_the_repository() {
        let dir = repo(&["docs/orders/registry.yaml"]);
        let root = dir.path().canonicalize().expect("canon");
        std::fs::write(
            root.join(CONFIG),
            "plans = \"docs/orders\"\nout = \"build\"\n",
        )
        .expect("write");
        let found = discover(&root.join("docs/orders"))
            .expect("ok")
            .expect("found");
        assert_eq!(found.plans, root.join("docs/orders"));
        assert_eq!(found.out, root.join("build"));
        assert_eq!(found.templates, root.join("templates"));
        std::fs::write(root.join(CONFIG), "plans = \"../elsewhere\"\n").expect("write");
        let e = discover(&root).expect_err("outside");
        assert!(e.to_string().contains("за пределы"), "{e}");
        std::fs::write(root.join(CONFIG), "plan = \"x\"\n").expect("write");
        let e = discover(&root).expect_err("unknown key");
        assert!(e.to_string().contains("plan"), "{e}");
    }

    #[test]
    fn a_folder_with_its_own_registry_is_its_own_root() {
        let dir = repo(&["plans/registry.yaml", "tests/kinds/registry.yaml"]);
        let root = dir.path().canonicalize().expect("canon");
        let found = discover(&root.join("tests/kinds"))
            .expect("ok")
            .expect("found");
        assert_eq!(found.root, root.join("tests/kinds"));
        assert_eq!(found.plans, root.join("tests/kinds"));
        // `plans/` itself belongs to the repository above it.
        let found = discover(&root.join("plans")).expect("ok").expect("found");
        assert_eq!(found.root, root);
    }

    #[test]
    fn a_folder_outside_any_repository_has_no_root() {
        let dir = tempfile::tempdir().expect("tmp");
        let inner = dir.path().join("x");
        std::fs::create_dir_all(&inner).expect("mkdir");
        // The temporary folder may itself sit in a repository on some
        // machine; only a root inside it would be wrong.
        let found = discover(&inner).expect("ok");
        assert!(found.is_none_or(|l| !l.root.starts_with(dir.path())));
    }

    #[test]
    fn folding_dots_keeps_a_path_that_does_not_exist() {
        assert_eq!(
            absolute(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}
