//! The build stage: resolved documents → PDF and DOCX files in the output
//! directory. Each file is written atomically (a temporary file in the same
//! directory, then a rename), so an interrupted or failed build never leaves a
//! half-written document behind.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::model::Document;
use crate::render::docx::DocxError;
use crate::render::pdf::{self, Engine, PdfError, PdfSettings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub docx: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{file}: {source}")]
    Pdf { file: String, source: PdfError },
    #[error("{file}: {source}")]
    Docx {
        file: String,
        #[source]
        source: DocxError,
    },
    /// A backend (or a library under it) panicked on this document; the
    /// other documents are still reported, and nothing is written.
    #[error("{file}: внутренняя ошибка при сборке ({message}); сообщите разработчикам prikaz")]
    Internal { file: String, message: String },
    /// Writing a file of the set failed before any was put in place: the
    /// output directory is as it was.
    #[error("не удалось записать {path}: {source}; каталог не изменён")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Putting a staged file in place failed after others were: the set is
    /// mixed until the next build.
    #[error(
        "не удалось заменить {path}: {source}; часть файлов уже новая — запустите сборку ещё раз"
    )]
    Rename {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("не удалось составить манифест: {0}")]
    Manifest(String),
}

impl BuildError {
    /// Whether the failure is the file system's, not the plans': the CLI
    /// exits 2 for these, 1 for the rest.
    pub fn is_io(&self) -> bool {
        matches!(self, BuildError::Write { .. } | BuildError::Rename { .. })
    }

    /// Located template diagnostics, when the error came from a template.
    pub fn template_diagnostics(&self) -> Option<(&[Diagnostic], &Sources)> {
        match self {
            BuildError::Pdf {
                source: PdfError::Layout(d, s),
                ..
            } => Some((d, s)),
            _ => None,
        }
    }
}

/// One written file.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub pages: Option<usize>,
    pub bytes: usize,
}

/// One rendered file, in memory: its name, bytes and page count (PDF only).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub name: String,
    pub bytes: Vec<u8>,
    pub pages: Option<usize>,
}

/// Renders one document to the requested formats, in memory.
pub fn render(
    engine: &Engine,
    doc: &Document,
    formats: Formats,
    settings: PdfSettings,
) -> Result<Vec<Rendered>, BuildError> {
    // PDF/A dates its file from the document; one without a date is an
    // ordinary PDF (`prepare` warns at its plan), so `verify` rebuilds the
    // same bytes and the other documents are still made.
    let settings = PdfSettings {
        pdfa: settings.pdfa && doc.meta.date.is_some(),
    };
    let mut out = Vec::new();
    // A bundle's DOCX contents cite the pages of the PDF's layout.
    let bundle = matches!(doc.body, crate::model::Body::Bundle(_));
    let mut order_pages = Vec::new();
    if formats.pdf {
        let file = format!("{}.pdf", doc.file_stem);
        let (paged, bytes) = contained(&file, || {
            let paged = engine.layout(doc).map_err(|source| BuildError::Pdf {
                file: file.clone(),
                source,
            })?;
            let bytes = pdf::export(&paged, doc, settings).map_err(|source| BuildError::Pdf {
                file: file.clone(),
                source,
            })?;
            Ok((paged, bytes))
        })?;
        let pages = paged.pages().len();
        if bundle {
            order_pages = pdf::order_pages(&paged);
        }
        out.push(Rendered {
            name: file,
            bytes,
            pages: Some(pages),
        });
    }
    if formats.docx {
        let file = format!("{}.docx", doc.file_stem);
        if bundle && !formats.pdf {
            let pdf_file = format!("{}.pdf", doc.file_stem);
            let paged = contained(&pdf_file, || {
                engine.layout(doc).map_err(|source| BuildError::Pdf {
                    file: pdf_file.clone(),
                    source,
                })
            })?;
            order_pages = pdf::order_pages(&paged);
        }
        let bytes = contained(&file, || {
            crate::render::docx::render_with_pages(doc, &order_pages).map_err(|source| {
                BuildError::Docx {
                    file: file.clone(),
                    source,
                }
            })
        })?;
        out.push(Rendered {
            name: file,
            bytes,
            pages: None,
        });
    }
    Ok(out)
}

/// Runs one backend on one document; a panic in it (or in typst, krilla,
/// docx-rs under it) becomes [`BuildError::Internal`] naming the file, so it
/// neither ends the process nor takes the other documents with it.
fn contained<T>(file: &str, f: impl FnOnce() -> Result<T, BuildError>) -> Result<T, BuildError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "паника без сообщения".to_string());
        Err(BuildError::Internal {
            file: file.to_string(),
            message,
        })
    })
}

/// Renders every document, in parallel, in memory. Every document is
/// rendered even when one fails, so that all their errors are reported.
pub fn render_all(
    engine: &Engine,
    docs: &[Document],
    formats: Formats,
    settings: PdfSettings,
) -> Result<Vec<Rendered>, Vec<BuildError>> {
    render_all_with(engine, docs, formats, settings, &|_| {})
}

/// [`render_all`], calling `done` with each document's id as soon as it is
/// rendered (from the worker that rendered it): the command line's progress.
pub fn render_all_with(
    engine: &Engine,
    docs: &[Document],
    formats: Formats,
    settings: PdfSettings,
    done: &(dyn Fn(&str) + Sync),
) -> Result<Vec<Rendered>, Vec<BuildError>> {
    let rendered: Vec<_> = docs
        .par_iter()
        .map(|d| {
            let r = render(engine, d, formats, settings);
            done(&d.id);
            r
        })
        .collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(f) => files.extend(f),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Renders every document and writes the files into `out_dir` as one set
/// (see [`write_set`]): nothing is written unless every document rendered.
pub fn build_all(
    engine: &Engine,
    docs: &[Document],
    out_dir: &Path,
    formats: Formats,
    settings: PdfSettings,
) -> Result<Vec<Written>, Vec<BuildError>> {
    let files = render_all(engine, docs, formats, settings)?;
    write_set(out_dir, &files).map_err(|e| vec![e])
}

/// Writes the files into `out_dir` as a set: every one first goes to a
/// temporary file beside its target and is synced; only when all of them
/// are on disk are they renamed into place, in order, so a full disk or a
/// read-only file changes nothing in `out_dir`. Put the file that vouches
/// for the others (the manifest) last: a run killed between two renames
/// leaves new documents under the old manifest, which `verify` reports.
pub fn write_set(out_dir: &Path, files: &[Rendered]) -> Result<Vec<Written>, BuildError> {
    let write_error = |path: PathBuf| move |source| BuildError::Write { path, source };
    std::fs::create_dir_all(out_dir).map_err(write_error(out_dir.to_path_buf()))?;
    // What a killed build left behind is removed by the next one.
    for stale in leftovers(out_dir) {
        let _ = std::fs::remove_file(stale);
    }
    let mut staged = Vec::with_capacity(files.len());
    for f in files {
        let path = out_dir.join(&f.name);
        // On error the temporaries staged so far are deleted as they drop.
        let tmp = stage(&path, &f.bytes).map_err(write_error(path.clone()))?;
        staged.push((tmp, path, f));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, path, f) in staged {
        tmp.persist(&path).map_err(|e| BuildError::Rename {
            path: path.clone(),
            source: e.error,
        })?;
        written.push(Written {
            path,
            pages: f.pages,
            bytes: f.bytes.len(),
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

    #[test]
    fn a_panicking_backend_is_an_internal_error_naming_the_file() {
        let r: Result<(), BuildError> = contained("2024-10-31_978-ОД.pdf", || panic!("boom"));
        match r {
            Err(BuildError::Internal { file, message }) => {
                assert_eq!(file, "2024-10-31_978-ОД.pdf");
                assert_eq!(message, "boom");
            }
            other => panic!("{other:?}"),
        }
        let r = contained("a.docx", || -> Result<(), BuildError> {
            panic!("{}", String::from("formatted"))
        });
        assert!(matches!(r, Err(BuildError::Internal { message, .. }) if message == "formatted"));
    }

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

/// One share of the documents of a build spread over CI runners
/// (`build --shard K/N`): a document belongs to share `hash(id) mod N`, so
/// adding a document never moves the others to another runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// 1-based, as a CI matrix counts.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `K/N` with 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> Option<Shard> {
        let (k, n) = s.split_once('/')?;
        let (index, count) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// Whether the document `id` is in this share.
    pub fn holds(self, id: &str) -> bool {
        use sha2::{Digest, Sha256};
        let h = Sha256::digest(id.as_bytes());
        let n = u64::from_be_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
        n % u64::from(self.count) == u64::from(self.index - 1)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod shard_tests {
    use super::Shard;

    #[test]
    fn every_document_is_in_exactly_one_share_and_stays_there() {
        let ids: Vec<String> = (0..200).map(|i| format!("order-{i}")).collect();
        let shares: Vec<Shard> = (1..=4).map(|k| Shard { index: k, count: 4 }).collect();
        for id in &ids {
            assert_eq!(shares.iter().filter(|s| s.holds(id)).count(), 1, "{id}");
        }
        // Each share gets some: the hash spreads the ids.
        for s in &shares {
            assert!(ids.iter().filter(|id| s.holds(id)).count() > 20, "{s}");
        }
        assert_eq!(Shard::parse("2/4"), Some(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse("0/4"), None);
        assert_eq!(Shard::parse("5/4"), None);
    }
}
