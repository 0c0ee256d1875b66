//! Incremental builds: a file is made again only when what it is made from
//! changed. Its *inputs* are one SHA-256 over everything the backends read —
//! the resolved document (so the registry entries it prints, its profile and
//! every number are in it), the template it uses, the added fonts, the
//! format and PDF settings, and the identity of this prikaz — recorded per
//! file in `out/manifest.json`. Equal inputs give byte-equal files (output
//! is deterministic), so a file whose inputs and bytes on disk are as
//! recorded is kept untouched.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::{BuildError, Formats, Staged, in_workers, prepare_dir, render};
use crate::model::Document;
use crate::render::pdf::{Engine, PdfSettings};

/// What the last build recorded of one file (from its manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub inputs: String,
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

/// Makes the files of `docs` whose inputs changed, in parallel, each staged
/// as soon as it is rendered (memory holds one document per worker, not the
/// set); keeps the others. Every document is tried even when one fails, so
/// that all errors are reported; on error nothing staged survives.
pub fn build_incremental(
    job: &Job,
    docs: &[Document],
    done: &(dyn Fn(&str) + Sync),
) -> Result<Built, Vec<BuildError>> {
    let mut templates: BTreeMap<&str, Option<String>> = BTreeMap::new();
    for d in docs {
        templates
            .entry(d.profile.template.as_str())
            .or_insert_with(|| template_identity(job.engine, &d.profile.template));
    }
    let dir_ready: OnceLock<Result<(), String>> = OnceLock::new();
    let results = in_workers(docs, |doc| {
        let r = one(job, doc, &templates, &dir_ready);
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
    templates: &BTreeMap<&str, Option<String>>,
    dir_ready: &OnceLock<Result<(), String>>,
) -> One {
    let template = templates
        .get(doc.profile.template.as_str())
        .cloned()
        .flatten();
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
            records.push(Record {
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
