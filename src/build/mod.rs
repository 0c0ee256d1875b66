//! The build stage: resolved documents → PDF and DOCX files in the output
//! directory. Each file is written atomically (a temporary file in the same
//! directory, then a rename), so an interrupted or failed build never leaves a
//! half-written document behind.

use std::path::{Path, PathBuf};

mod incremental;
mod shard;
mod write;

pub use incremental::{Built, Carried, Job, Record, Recorded, build_incremental, inputs_of};
pub use shard::Shard;
pub use write::{Staged, commit, leftovers, prepare_dir, temporaries, write_atomic, write_set};

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
    let rendered = in_workers(docs, |d| {
        let r = render(engine, d, formats, settings);
        done(&d.id);
        r
    });
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

/// Stack of a document worker: typst lays out deep documents recursively.
const WORKER_STACK: usize = 32 * 1024 * 1024;

/// `f` over every item, on one worker per core, each taking the next item as
/// it frees up; results in the items' order.
///
/// Not rayon's pool: typst parallelises inside a document on that pool, and
/// a rayon worker waiting there steals another whole document onto its own
/// stack — a thousand orders overflowed it. Our workers are plain threads,
/// so typst's inner tasks never nest documents.
pub fn in_workers<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    // Even one document goes to a worker: the caller's stack may be small
    // (a test thread has 2 MiB).
    if threads == 0 {
        return Vec::new();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = Vec::with_capacity(items.len());
    slots.resize_with(items.len(), || None);
    let results = std::sync::Mutex::new(slots);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, || {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            let r = f(item);
                            if let Ok(mut slots) = results.lock()
                                && let Some(slot) = slots.get_mut(i)
                            {
                                *slot = Some(r);
                            }
                        }
                    })
            })
            .collect();
        // A worker that could not start leaves its share to the others.
        for h in handles.into_iter().flatten() {
            if let Err(panic) = h.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    let slots = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // A slot left empty (no worker could start) is filled here.
    slots
        .into_iter()
        .zip(items)
        .map(|(r, item)| r.unwrap_or_else(|| f(item)))
        .collect()
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

    #[test]
    fn workers_give_every_result_once_in_the_items_order() {
        let items: Vec<usize> = (0..500).collect();
        let seen = std::sync::atomic::AtomicUsize::new(0);
        let out = in_workers(&items, |i| {
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            i * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(seen.into_inner(), 500);
        assert!(in_workers(&[] as &[u8], |_| 0).is_empty());
    }

    /// A thread's default stack is 2 MiB; typst's layout of a long order
    /// recursed past it when documents nested on rayon's workers.
    #[test]
    fn document_workers_have_room_for_deep_recursion() {
        #[inline(never)]
        fn deep(n: usize) -> usize {
            let pad = std::hint::black_box([0u8; 1024]);
            if n == 0 {
                pad[0] as usize
            } else {
                deep(n - 1) + std::hint::black_box(pad[n % 1024]) as usize
            }
        }
        // About 8 MiB of frames on each worker.
        let out = in_workers(&[8000usize, 8000, 8000], |&n| deep(n));
        assert_eq!(out, vec![0, 0, 0]);
    }
}
