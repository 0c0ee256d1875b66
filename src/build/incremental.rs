//! Incremental builds: a file is made again only when what it is made from
//! changed. Its *inputs* are one SHA-256 over everything the backends read —
//! the resolved document (so the registry entries it prints, its profile and
//! every number are in it), the template it uses, the added fonts, the
//! format and PDF settings, and the identity of this prikaz — recorded per
//! file in `out/manifest.json`. Equal inputs give byte-equal files (output
//! is deterministic), so a file whose inputs and bytes on disk are as
//! recorded is kept untouched.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

use super::{BuildError, Formats, Staged, in_workers, prepare_dir, render};
use crate::model::Document;
use crate::render::pdf::{Engine, PdfSettings};

/// What the last build recorded of one file (from its manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub inputs: String,
    /// [`unit_key`] of the file (empty in older manifests).
    pub unit: String,
    pub sha256: String,
    pub bytes: usize,
    pub pages: Option<usize>,
}

/// One file of a build's set: made by this run, or kept from the last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    /// Id of the document it is made from.
    pub document: String,
    pub inputs: String,
    pub unit: String,
    pub sha256: String,
    pub bytes: usize,
    pub pages: Option<usize>,
    pub kept: bool,
}

/// One incremental run over a set of documents.
pub struct Job<'a> {
    pub engine: &'a Engine,
    pub formats: Formats,
    pub settings: PdfSettings,
    /// Where the files go (and where the kept ones are).
    pub out_dir: &'a Path,
    /// The last build's files, by name (empty: make everything).
    pub previous: &'a BTreeMap<String, Recorded>,
    /// Make every file, whatever was recorded (`build --force`).
    pub force: bool,
    /// Stage what is made in `out_dir` (`build`); otherwise only hash it
    /// (`verify`), and a file counts as kept when its inputs are as recorded.
    pub write: bool,
    /// [`Engine::identity_all`] of `engine`.
    pub engine_id: String,
    /// The final edition (`build --final`): its documents are not drafts.
    pub final_: bool,
}

/// What a file made from a document depends on before the document is made:
/// its fingerprint (plan files, registry, emblems, prikaz), every template
/// and font, the format, the PDF settings and the edition. A file whose key
/// and bytes are as recorded is kept without making its document at all.
pub fn unit_key(job: &Job, fingerprint: &str, ext: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        "prikaz-file",
        env!("CARGO_PKG_VERSION"),
        env!("PRIKAZ_BUILD_ID"),
        &job.engine_id,
        fingerprint,
        ext,
        if job.settings.pdfa { "pdfa" } else { "-" },
        if job.final_ { "final" } else { "draft" },
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex(&h.finalize())
}

impl Job<'_> {
    fn exts(&self) -> impl Iterator<Item = &'static str> {
        [("pdf", self.formats.pdf), ("docx", self.formats.docx)]
            .into_iter()
            .filter_map(|(ext, on)| on.then_some(ext))
    }

    /// The records of `entry`'s files when every one of them can be kept
    /// without making the document: recorded with the same [`unit_key`]
    /// and, when writing, the same bytes on disk.
    pub fn kept(&self, entry: &crate::project::Entry) -> Option<Vec<Record>> {
        if self.force {
            return None;
        }
        self.exts()
            .map(|ext| {
                let name = format!("{}.{ext}", entry.file_stem);
                let key = unit_key(self, &entry.fingerprint, ext);
                let r = self.previous.get(&name).filter(|r| r.unit == key)?;
                if self.write && !on_disk(&self.out_dir.join(&name), r) {
                    return None;
                }
                Some(Record {
                    name,
                    document: entry.id.clone(),
                    inputs: r.inputs.clone(),
                    unit: key,
                    sha256: r.sha256.clone(),
                    bytes: r.bytes,
                    pages: r.pages,
                    kept: true,
                })
            })
            .collect()
    }
}

/// What a run made: every file's record (in the documents' order) and the
/// new files staged beside their targets, for [`super::commit`].
#[derive(Debug)]
pub struct Built {
    pub records: Vec<Record>,
    pub staged: Vec<Staged>,
    /// Documents rendered (at least one file made).
    pub rendered: usize,
    /// Documents whose every file was kept.
    pub kept: usize,
}

/// Files found, while an analysis decides what to make, to be kept without
/// making their documents ([`Job::kept`]); added to the run's records by
/// [`Carried::merge`].
#[derive(Debug, Default)]
pub struct Carried(std::sync::Mutex<std::collections::HashMap<String, Vec<Record>>>);

impl Carried {
    /// Whether `entry`'s document must be made: not when all its files can
    /// be carried over from the last build.
    pub fn must_make(&self, job: &Job, entry: &crate::project::Entry) -> bool {
        match job.kept(entry) {
            Some(records) => {
                if let Ok(mut m) = self.0.lock() {
                    m.insert(entry.id.clone(), records);
                }
                false
            }
            None => true,
        }
    }

    /// `built`'s records with the carried ones, in the order of `entries`
    /// (the order a build from scratch records them in).
    pub fn merge(self, built: &mut Built, entries: &[crate::project::Entry]) {
        let mut carried = self.0.into_inner().unwrap_or_default();
        if carried.is_empty() {
            return;
        }
        let mut made: std::collections::HashMap<String, Vec<Record>> = Default::default();
        for r in std::mem::take(&mut built.records) {
            made.entry(r.document.clone()).or_default().push(r);
        }
        for e in entries {
            if let Some(rs) = made.remove(&e.id) {
                built.records.extend(rs);
            } else if let Some(rs) = carried.remove(&e.id) {
                built.kept += 1;
                built.records.extend(rs);
            }
        }
        // Made for no entry (none is expected): kept, not lost.
        for (_, rs) in made {
            built.records.extend(rs);
        }
    }
}

/// The inputs of the file `ext` ("pdf", "docx") of `doc`; `template` is
/// the engine's identity of the template the document uses.
pub fn inputs_of(template: &str, doc: &Document, ext: &str, settings: PdfSettings) -> String {
    inputs_from(template, &model_hash(doc), doc, ext, settings)
}

/// SHA-256 of the document model: the same JSON the template reads. A model
/// that cannot be written out hashes to what no record has, so its file is
/// made (and fails there).
fn model_hash(doc: &Document) -> String {
    let mut h = HashWriter(Sha256::new());
    if serde_json::to_writer(&mut h, doc).is_err() {
        h.0.update(b"\0unserialisable");
    }
    // The emblem's bytes are not in the JSON (the template reads the image
    // by path), yet a new image under the same path is a new document.
    let orders: Vec<&crate::model::Order> = match &doc.body {
        crate::model::Body::Order(o) => vec![o],
        crate::model::Body::Bundle(b) => b.orders.iter().collect(),
        crate::model::Body::Standalone(_) => Vec::new(),
    };
    for e in orders.iter().filter_map(|o| o.letterhead.emblem.as_ref()) {
        h.0.update((e.bytes.len() as u64).to_le_bytes());
        h.0.update(&e.bytes);
    }
    hex(&h.0.finalize())
}

fn inputs_from(
    template: &str,
    model: &str,
    doc: &Document,
    ext: &str,
    settings: PdfSettings,
) -> String {
    let mut h = Sha256::new();
    let pdfa = ext == "pdf" && settings.pdfa && doc.meta.date.is_some();
    for part in [
        "prikaz",
        env!("CARGO_PKG_VERSION"),
        env!("PRIKAZ_BUILD_ID"),
        template,
        ext,
        if pdfa { "pdfa" } else { "-" },
        model,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex(&h.finalize())
}

/// The template `name` as the engine has it, with the fonts it can use;
/// `None` when the template cannot be read (the render reports why).
fn template_identity(engine: &Engine, name: &str) -> Option<String> {
    engine.identity(name).ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether `path` holds exactly the recorded bytes (the size first: a
/// changed file is usually caught without reading it).
fn on_disk(path: &Path, r: &Recorded) -> bool {
    let same_size = std::fs::metadata(path).is_ok_and(|m| m.len() == r.bytes as u64);
    same_size && std::fs::read(path).is_ok_and(|b| hex(&Sha256::digest(&b)) == r.sha256)
}

/// Makes the files of `items` whose inputs changed, in parallel, each staged
/// as soon as it is rendered; keeps the others. `make` gives an item's
/// document, made in the worker that renders it (memory holds one document
/// per worker, not the set); `fingerprints` gives each document's (by id),
/// for the [`unit_key`] recorded. Every document is tried even when one
/// fails, so that all errors are reported; on error nothing staged survives.
pub fn build_incremental<T: Sync>(
    job: &Job,
    items: &[T],
    make: &(dyn Fn(&T) -> Option<Cow<'_, Document>> + Sync),
    fingerprints: &std::collections::HashMap<&str, &str>,
    done: &(dyn Fn(&str) + Sync),
) -> Result<Built, Vec<BuildError>> {
    let templates: Mutex<BTreeMap<String, Option<String>>> = Mutex::default();
    let identity = |name: &str| -> Option<String> {
        let mut t = templates.lock().ok()?;
        t.entry(name.to_string())
            .or_insert_with(|| template_identity(job.engine, name))
            .clone()
    };
    let dir_ready: OnceLock<Result<(), String>> = OnceLock::new();
    let results = in_workers(items, |item| {
        let Some(doc) = make(item) else {
            return Err(BuildError::Internal {
                file: String::new(),
                message: "документ не удалось составить заново".into(),
            });
        };
        let fp = fingerprints
            .get(doc.id.as_str())
            .copied()
            .unwrap_or_default();
        let template = identity(&doc.profile.template);
        let r = one(job, &doc, fp, template, &dir_ready);
        done(&doc.id);
        r
    });
    let mut built = Built {
        records: Vec::new(),
        staged: Vec::new(),
        rendered: 0,
        kept: 0,
    };
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((records, staged)) => {
                if records.iter().all(|r| r.kept) {
                    built.kept += 1;
                } else {
                    built.rendered += 1;
                }
                built.records.extend(records);
                built.staged.extend(staged);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(built)
    } else {
        Err(errors)
    }
}

type One = Result<(Vec<Record>, Vec<Staged>), BuildError>;

fn one(
    job: &Job,
    doc: &Document,
    fingerprint: &str,
    template: Option<String>,
    dir_ready: &OnceLock<Result<(), String>>,
) -> One {
    let mut records = Vec::new();
    let mut need = Formats {
        pdf: false,
        docx: false,
    };
    let mut fresh_inputs = BTreeMap::new();
    // One serialisation of the model for both formats.
    let model = template.as_ref().map(|_| model_hash(doc));
    for (ext, wanted) in [("pdf", job.formats.pdf), ("docx", job.formats.docx)] {
        if !wanted {
            continue;
        }
        let name = format!("{}.{ext}", doc.file_stem);
        // A template that cannot be read has no identity: always made.
        let inputs = template
            .as_deref()
            .zip(model.as_deref())
            .map(|(t, m)| inputs_from(t, m, doc, ext, job.settings));
        let kept = inputs.as_ref().and_then(|i| {
            let r = job.previous.get(&name).filter(|r| &r.inputs == i)?;
            (!job.force && (!job.write || on_disk(&job.out_dir.join(&name), r))).then_some(r)
        });
        match kept {
            Some(r) => records.push(Record {
                unit: unit_key(job, fingerprint, ext),
                name,
                document: doc.id.clone(),
                inputs: r.inputs.clone(),
                sha256: r.sha256.clone(),
                bytes: r.bytes,
                pages: r.pages,
                kept: true,
            }),
            None => {
                match ext {
                    "pdf" => need.pdf = true,
                    _ => need.docx = true,
                }
                fresh_inputs.insert(name, inputs.unwrap_or_default());
            }
        }
    }
    let mut staged = Vec::new();
    if need.pdf || need.docx {
        for f in render(job.engine, doc, need, job.settings)? {
            let sha256 = hex(&Sha256::digest(&f.bytes));
            if job.write {
                let ready =
                    dir_ready.get_or_init(|| prepare_dir(job.out_dir).map_err(|e| e.to_string()));
                if let Err(e) = ready {
                    return Err(BuildError::Write {
                        path: job.out_dir.to_path_buf(),
                        source: std::io::Error::other(e.clone()),
                    });
                }
                staged.push(Staged::new(job.out_dir, &f.name, &f.bytes, f.pages)?);
            }
            let ext = if f.name.ends_with(".pdf") {
                "pdf"
            } else {
                "docx"
            };
            records.push(Record {
                unit: unit_key(job, fingerprint, ext),
                inputs: fresh_inputs.remove(&f.name).unwrap_or_default(),
                document: doc.id.clone(),
                sha256,
                bytes: f.bytes.len(),
                pages: f.pages,
                kept: false,
                name: f.name,
            });
        }
    }
    // The document's files in the order the backends make them.
    records.sort_by_key(|r| !r.name.ends_with(".pdf"));
    Ok((records, staged))
}
