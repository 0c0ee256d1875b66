//! What the rules and the resolver found in each unit, kept between runs by
//! the unit's fingerprint (its files, the registry, the emblems, this very
//! prikaz): a unit whose fingerprint is recorded is not checked again.
//!
//! The file is `.prikaz-cache/units.json` in the repository's root, with a
//! `.gitignore` of its own (as ruff's and pytest's caches do), so git never
//! sees it. It only ever saves time: an unreadable, foreign or stale file is
//! ignored, and `PRIKAZ_NO_CACHE=1` keeps it in memory only. Units with
//! errors are never recorded, so whatever could stop a build is always
//! found afresh.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, FileId, Label, Severity, Sources, Span};

/// Folder of the cache in the repository's root.
pub const DIR: &str = ".prikaz-cache";
const FILE: &str = "units.json";
/// Runs an entry survives unused (a plan edited back and forth, a branch
/// switched) before it is dropped.
const KEEP_UNUSED: u32 = 4;

/// A unit's results, as the pipeline uses them.
#[derive(Debug, Clone)]
pub struct UnitResult {
    /// What numbering the unit found (duplicate ids, fixed numbers), before
    /// `allow:` is applied: a unit found here is not numbered again.
    pub numbering: Vec<Diagnostic>,
    /// What the unit's rules found, before `allow:` is applied.
    pub rules: Vec<Diagnostic>,
    /// What resolving it warned about.
    pub resolve: Vec<Diagnostic>,
    /// Its document's file stem before stems are made unique.
    pub stem: String,
}

#[derive(Debug, Default)]
pub struct UnitCache {
    /// Where it is saved; `None`: kept in memory only.
    path: Option<PathBuf>,
    entries: BTreeMap<String, Stored>,
    used: HashSet<String>,
    added: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    numbering: Vec<StoredDiag>,
    rules: Vec<StoredDiag>,
    resolve: Vec<StoredDiag>,
    stem: String,
    /// Saves since it was last used.
    #[serde(default)]
    unused: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    /// The prikaz that wrote it: another one's findings are not reused.
    prikaz: String,
    entries: BTreeMap<String, Stored>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredSpan {
    file: String,
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredDiag {
    code: String,
    severity: Severity,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    span: Option<StoredSpan>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    secondary: Vec<(StoredSpan, String)>,
}

fn identity() -> String {
    format!("{} {}", env!("CARGO_PKG_VERSION"), env!("PRIKAZ_BUILD_ID"))
}

/// Whether the environment asks for no cache on disk.
fn disabled() -> bool {
    std::env::var_os("PRIKAZ_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
}

impl UnitCache {
    /// A cache that lives as long as the process (a language server, a test).
    pub fn memory() -> UnitCache {
        UnitCache::default()
    }

    /// The cache saved in `root`, or an empty one that will be saved there.
    pub fn open(root: &Path) -> UnitCache {
        if disabled() {
            return UnitCache::memory();
        }
        let path = root.join(DIR).join(FILE);
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<CacheFile>(&b).ok())
            .filter(|f| f.prikaz == identity())
            .map(|f| f.entries)
            .unwrap_or_default();
        UnitCache {
            path: Some(path),
            entries,
            ..UnitCache::default()
        }
    }

    /// Results recorded under `fingerprint`, located in `sources` (`None`
    /// when nothing is, or a file they point at is gone).
    pub fn get(&self, fingerprint: &str, files: &HashMap<&str, FileId>) -> Option<UnitResult> {
        let s = self.entries.get(fingerprint)?;
        let back = |list: &[StoredDiag]| -> Option<Vec<Diagnostic>> {
            list.iter().map(|d| restore(d, files)).collect()
        };
        Some(UnitResult {
            numbering: back(&s.numbering)?,
            rules: back(&s.rules)?,
            resolve: back(&s.resolve)?,
            stem: s.stem.clone(),
        })
    }

    /// Marks entries as used by this run (kept when saved).
    pub fn touch<'a>(&mut self, fingerprints: impl IntoIterator<Item = &'a String>) {
        self.used.extend(fingerprints.into_iter().cloned());
    }

    /// Records the results of a unit without errors.
    pub fn insert(&mut self, fingerprint: String, r: &UnitResult, sources: &Sources) {
        if r.numbering
            .iter()
            .chain(&r.rules)
            .chain(&r.resolve)
            .any(Diagnostic::is_error)
        {
            return;
        }
        let store = |list: &[Diagnostic]| list.iter().map(|d| stored(d, sources)).collect();
        self.entries.insert(
            fingerprint.clone(),
            Stored {
                numbering: store(&r.numbering),
                rules: store(&r.rules),
                resolve: store(&r.resolve),
                stem: r.stem.clone(),
                unused: 0,
            },
        );
        self.used.insert(fingerprint);
        self.added = true;
    }

    /// Writes the cache when this run recorded something new; a failure
    /// (a read-only checkout) only costs the next run its time.
    pub fn save(&mut self) {
        let Some(path) = self.path.clone() else {
            return;
        };
        if !self.added {
            return;
        }
        let used = &self.used;
        self.entries.retain(|fp, s| {
            if used.contains(fp) {
                s.unused = 0;
            } else {
                s.unused += 1;
            }
            s.unused <= KEEP_UNUSED
        });
        let file = CacheFile {
            prikaz: identity(),
            entries: std::mem::take(&mut self.entries),
        };
        let _ = write(&path, &file);
        self.entries = file.entries;
        self.added = false;
    }
}

fn write(path: &Path, file: &CacheFile) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    for (name, text) in [
        (
            ".gitignore",
            "# Сделано prikaz: кэш проверок, в git не нужен.\n*\n",
        ),
        (
            "CACHEDIR.TAG",
            "Signature: 8a477f597d28d172789f06886806bc55\n# prikaz: кэш проверок планов\n",
        ),
    ] {
        let p = dir.join(name);
        if !p.exists() {
            std::fs::write(p, text)?;
        }
    }
    let bytes = serde_json::to_vec(file).map_err(std::io::Error::other)?;
    // Atomic: two runs at once leave one whole file, never a mix.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn stored_span(s: Span, sources: &Sources) -> StoredSpan {
    StoredSpan {
        file: sources.name(s.file).to_string(),
        start: s.start,
        end: s.end,
    }
}

fn stored(d: &Diagnostic, sources: &Sources) -> StoredDiag {
    StoredDiag {
        code: d.code.as_str().to_string(),
        severity: d.severity,
        message: d.message.clone(),
        hint: d.hint.clone(),
        span: d.span.map(|s| stored_span(s, sources)),
        secondary: d
            .secondary
            .iter()
            .map(|l| (stored_span(l.span, sources), l.message.clone()))
            .collect(),
    }
}

fn restore(d: &StoredDiag, files: &HashMap<&str, FileId>) -> Option<Diagnostic> {
    let span = |s: &StoredSpan| -> Option<Span> {
        Some(Span {
            file: *files.get(s.file.as_str())?,
            start: s.start,
            end: s.end,
        })
    };
    Some(Diagnostic {
        code: Code::from_name(&d.code)?,
        severity: d.severity,
        message: d.message.clone(),
        hint: d.hint.clone(),
        span: match &d.span {
            Some(s) => Some(span(s)?),
            None => None,
        },
        secondary: d
            .secondary
            .iter()
            .map(|(s, m)| {
                Some(Label {
                    span: span(s)?,
                    message: m.clone(),
                })
            })
            .collect::<Option<_>>()?,
    })
}
