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

use crate::build::{Formats, Written};
use crate::index::Index;
use crate::load::{Parsed, Workspace};
use crate::model::Document;

pub const FILE_NAME: &str = "manifest.json";

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub final_: bool,
    pub pdfa: bool,
    pub formats: Formats,
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
    #[error("не удаётся прочитать {path}: {message}")]
    Read { path: PathBuf, message: String },
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Files each document is made from: its own plan, the appendices (and, for
/// a bundle, the orders), and every registry file.
pub fn document_sources(
    ws: &Workspace,
    ix: &Index,
    docs: &[Document],
) -> BTreeMap<String, Vec<String>> {
    let name = |f| ws.sources.name(f).to_string();
    let registry: Vec<String> = ws
        .files
        .iter()
        .filter(|(_, p)| matches!(p, Parsed::Registry(_)))
        .map(|(f, _)| name(*f))
        .collect();
    let order_files = |id: &str| -> Vec<String> {
        let mut out = Vec::new();
        if let Some(o) = ix.orders.get(id) {
            out.push(name(o.file));
            for a in &o.item.appendices {
                if let Some(e) = ix.appendices.get(a.get().as_str()) {
                    out.push(name(e.file));
                }
            }
        }
        out
    };
    let mut map = BTreeMap::new();
    for d in docs {
        let mut files = if let Some(b) = ix.bundles.get(d.id.as_str()) {
            let mut v = vec![name(b.file)];
            for o in &b.item.orders {
                v.extend(order_files(o.get()));
            }
            v
        } else if let Some(doc) = ix.documents.get(d.id.as_str()) {
            vec![name(doc.file)]
        } else {
            order_files(&d.id)
        };
        files.extend(registry.iter().cloned());
        files.sort();
        files.dedup();
        map.insert(d.id.clone(), files);
    }
    map
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
    let Ok(repo) = crate::git::Repo::discover(&cwd) else {
        return (None, Vec::new());
    };
    let Some(commit) = repo.head_commit() else {
        return (None, Vec::new());
    };
    let mut uncommitted = Vec::new();
    for i in 0..ws.sources.len() {
        let Some(f) = ws.sources.get(i) else {
            continue;
        };
        let rel = repo
            .prefixes(&cwd, &[PathBuf::from(&f.name)])
            .pop()
            .unwrap_or_default();
        let same = repo
            .file_at("HEAD", &rel)
            .is_some_and(|b| String::from_utf8_lossy(&b).trim_start_matches('\u{feff}') == f.text);
        if !same {
            uncommitted.push(f.name.clone());
        }
    }
    uncommitted.sort();
    (Some(commit), uncommitted)
}

/// The manifest of a build: `written` are the files of `prepared`'s documents.
pub fn manifest(
    prepared: &crate::cli::Prepared,
    files: &[(String, Vec<u8>, Option<usize>)],
    settings: Settings,
) -> Manifest {
    let hashes = source_hashes(&prepared.ws);
    let (commit, uncommitted) = commit_of(&prepared.ws);
    let mut outputs = Vec::new();
    for (file, bytes, pages) in files {
        let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
        let Some(doc) = prepared.docs.iter().find(|d| d.file_stem == stem) else {
            continue;
        };
        let sources = prepared
            .sources
            .get(&doc.id)
            .into_iter()
            .flatten()
            .map(|p| Source {
                path: p.clone(),
                sha256: hashes.get(p).cloned().unwrap_or_default(),
            })
            .collect();
        outputs.push(Output {
            file: file.clone(),
            document: doc.id.clone(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len(),
            pages: *pages,
            sources,
        });
    }
    outputs.sort_by(|a, b| a.file.cmp(&b.file));
    let _ = settings.formats;
    Manifest {
        prikaz: env!("CARGO_PKG_VERSION").to_string(),
        commit,
        uncommitted,
        final_: settings.final_,
        pdfa: settings.pdfa,
        outputs,
    }
}

/// Writes `out/manifest.json` for the files just written.
pub fn write(
    prepared: &crate::cli::Prepared,
    written: &[Written],
    out: &Path,
    settings: Settings,
) -> Result<PathBuf, ManifestError> {
    let mut files = Vec::new();
    for w in written {
        let bytes = std::fs::read(&w.path).map_err(|e| ManifestError::Read {
            path: w.path.clone(),
            message: e.to_string(),
        })?;
        let name = w
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        files.push((name, bytes, w.pages));
    }
    let m = manifest(prepared, &files, settings);
    let path = out.join(FILE_NAME);
    let mut json = serde_json::to_string_pretty(&m).unwrap_or_default();
    json.push('\n');
    crate::build::write_atomic(&path, json.as_bytes()).map_err(|source| ManifestError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

pub fn read(out: &Path) -> Result<Manifest, ManifestError> {
    let path = out.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|e| ManifestError::Read {
        path: path.clone(),
        message: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| ManifestError::Read {
        path,
        message: e.to_string(),
    })
}
