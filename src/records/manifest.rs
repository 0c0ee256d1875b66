//! `out/manifest.json`: what each output file was made from (source files
//! with their SHA-256, the git commit) and the SHA-256 of every PDF and DOCX,
//! so CI output can be checked later by rebuilding (`prikaz verify`).
//!
//! The manifest holds nothing that depends on the machine: paths are relative
//! to where `build` runs, there is no time stamp, entries are sorted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::build::{Record, Recorded, Rendered};
use crate::load::Workspace;
use crate::project::Project;

pub const FILE_NAME: &str = "manifest.json";

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub final_: bool,
    pub pdfa: bool,
    /// The final edition of the signed documents only (`--signed-only`).
    pub signed_only: bool,
    /// The share of the documents built (`--shard`), `None` for all.
    pub shard: Option<crate::build::Shard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of prikaz that built the files.
    pub prikaz: String,
    /// The git commit the sources came from (`None` outside a repository).
    pub commit: Option<String>,
    /// Sources that differ from that commit (uncommitted edits).
    pub uncommitted: Vec<String>,
    #[serde(rename = "final")]
    pub final_: bool,
    pub pdfa: bool,
    /// Built with `--final --signed-only`: `verify` rebuilds the same set.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signed_only: bool,
    /// Built with `--shard K/N`: the manifest lists that share only, and
    /// `prikaz manifest merge` joins the shares into one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::build::Shard>,
    pub outputs: Vec<Output>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// File name inside the output directory.
    pub file: String,
    /// Plan id of the document.
    pub document: String,
    pub sha256: String,
    pub bytes: usize,
    pub pages: Option<usize>,
    /// SHA-256 of everything the file is made from (`build::inputs_of`): a
    /// rebuild keeps the file while this is unchanged.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub inputs: String,
    /// SHA-256 of what the file depends on before its document is made
    /// (`build::unit_key`): while it is unchanged, a rebuild neither checks
    /// nor makes the document again.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("не удалось записать {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("не удаётся прочитать {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} не читается как манифест: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("не удалось составить {path}: {source}")]
    Encode {
        path: PathBuf,
        source: serde_json::Error,
    },
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn source_hashes(ws: &Workspace) -> BTreeMap<String, String> {
    (0..ws.sources.len())
        .filter_map(|i| ws.sources.get(i))
        .map(|f| (f.name.clone(), sha256_hex(f.text.as_bytes())))
        .collect()
}

/// The commit of the repository around the current directory and the
/// sources that differ from it.
fn commit_of(ws: &Workspace) -> (Option<String>, Vec<String>) {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let Ok(repo) = crate::load::git::Repo::discover(&cwd) else {
        return (None, Vec::new());
    };
    let Some(commit) = repo.head_commit() else {
        return (None, Vec::new());
    };
    let ids = repo.blob_ids("HEAD").unwrap_or_default();
    let mut uncommitted = Vec::new();
    for i in 0..ws.sources.len() {
        let Some(f) = ws.sources.get(i) else {
            continue;
        };
        let rel = repo
            .prefixes(&cwd, &[PathBuf::from(&f.name)])
            .pop()
            .unwrap_or_default();
        // The blob's id first; a text read differently from its bytes (a
        // byte-order mark dropped) is compared with the blob itself.
        let same = ids.get(&rel).is_some_and(|id| {
            repo.is_blob(id, f.text.as_bytes())
                || repo.file_at("HEAD", &rel).is_some_and(|b| {
                    String::from_utf8_lossy(&b).trim_start_matches('\u{feff}') == f.text
                })
        });
        if !same {
            uncommitted.push(f.name.clone());
        }
    }
    uncommitted.sort();
    (Some(commit), uncommitted)
}

/// The manifest of a build: `records` are the files of the documents whose
/// source files `sources` gives (by document id).
pub fn manifest(
    project: &Project,
    sources: &BTreeMap<String, Vec<String>>,
    records: &[Record],
    settings: Settings,
) -> Manifest {
    let hashes = source_hashes(project.workspace());
    let (commit, uncommitted) = commit_of(project.workspace());
    let mut outputs = Vec::new();
    for r in records {
        let sources = sources
            .get(&r.document)
            .into_iter()
            .flatten()
            .map(|p| Source {
                path: p.clone(),
                sha256: hashes.get(p).cloned().unwrap_or_default(),
            })
            .collect();
        outputs.push(Output {
            file: r.name.clone(),
            document: r.document.clone(),
            sha256: r.sha256.clone(),
            bytes: r.bytes,
            pages: r.pages,
            inputs: r.inputs.clone(),
            unit: r.unit.clone(),
            sources,
        });
    }
    outputs.sort_by(|a, b| a.file.cmp(&b.file));
    Manifest {
        prikaz: env!("CARGO_PKG_VERSION").to_string(),
        commit,
        uncommitted,
        final_: settings.final_,
        signed_only: settings.signed_only,
        shard: settings.shard,
        pdfa: settings.pdfa,
        outputs,
    }
}

/// `manifest.json` for the files of a build, as one more file of the set:
/// put it in place last.
pub fn encode(
    project: &Project,
    sources: &BTreeMap<String, Vec<String>>,
    records: &[Record],
    settings: Settings,
) -> Result<Rendered, ManifestError> {
    to_file(&manifest(project, sources, records, settings))
}

/// A manifest as the file `manifest.json`.
pub fn to_file(m: &Manifest) -> Result<Rendered, ManifestError> {
    let mut json = serde_json::to_string_pretty(m).map_err(|source| ManifestError::Encode {
        path: PathBuf::from(FILE_NAME),
        source,
    })?;
    json.push('\n');
    Ok(Rendered {
        name: FILE_NAME.to_string(),
        bytes: json.into_bytes(),
        pages: None,
    })
}

/// What a manifest recorded of each file, for an incremental build. Files
/// recorded without inputs (older manifests) are made again.
pub fn recorded(m: &Manifest) -> BTreeMap<String, Recorded> {
    m.outputs
        .iter()
        .filter(|o| !o.inputs.is_empty())
        .map(|o| {
            (
                o.file.clone(),
                Recorded {
                    inputs: o.inputs.clone(),
                    unit: o.unit.clone(),
                    sha256: o.sha256.clone(),
                    bytes: o.bytes,
                    pages: o.pages,
                },
            )
        })
        .collect()
}

pub fn read(out: &Path) -> Result<Manifest, ManifestError> {
    let path = out.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|source| ManifestError::Read {
        path: path.clone(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| ManifestError::Parse { path, source })
}
