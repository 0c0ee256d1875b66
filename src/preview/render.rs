//! The preview's renderer: the repository's project kept in memory, one
//! document laid out by the embedded typst (its caches warm between
//! renders) and drawn as SVG pages, with the diagnostics of its files.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::project::{Options, Project, UnitCache, Wants};
use crate::render::pdf::Engine;

/// A diagnostic as the page shows it: place, message, the source line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shown {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Listed {
    pub id: String,
    pub title: String,
}

/// What the page shows, all of it; a new one for every change.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Snapshot {
    pub version: u64,
    pub documents: Vec<Listed>,
    pub document: Option<String>,
    /// Pages of the last document that rendered, as SVG.
    #[serde(skip)]
    pub pages: Vec<Arc<str>>,
    pub page_count: usize,
    /// A digest of each page's SVG: the page asks for a page by it and
    /// redraws only the pages that changed.
    pub page_hashes: Vec<String>,
    /// The pages are of an earlier text: the current one has errors.
    pub stale: bool,
    pub message: Option<String>,
    pub diagnostics: Vec<Shown>,
    /// How long the last render took (check, make, lay out, draw).
    pub render_ms: u64,
}

pub struct Renderer {
    project: Project,
    cache: UnitCache,
    engine: Engine,
    /// The document shown; `None` until there is one.
    current: Option<String>,
    /// A file whose document should be shown once the next render knows it.
    follow: Option<String>,
    last: Snapshot,
}

fn shown(project: &Project, d: &Diagnostic) -> Option<Shown> {
    let s = d.span?;
    let sources = project.sources();
    let (line, column) = sources.line_col(s.file, s.start);
    let source = sources
        .text(s.file)
        .lines()
        .nth(line - 1)
        .unwrap_or("")
        .to_string();
    Some(Shown {
        file: sources.name(s.file).to_string(),
        line,
        column,
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        code: d.code.as_str(),
        message: d.message.clone(),
        hint: d.hint.clone(),
        source,
    })
}

impl Renderer {
    pub fn new(project: Project, engine: Engine) -> Renderer {
        Renderer {
            project,
            cache: UnitCache::memory(),
            engine,
            current: None,
            follow: None,
            last: Snapshot::default(),
        }
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// A plan file's new text (a save seen by the watcher; `None`: it is
    /// gone); the document it belongs to becomes the one shown. `false`
    /// when the text is what the project has already.
    pub fn set_file(&mut self, name: &str, bytes: Option<Vec<u8>>) -> bool {
        let known = self.project.file_id(name);
        let now = known.map(|id| self.project.sources().text(id).as_bytes());
        match bytes {
            Some(b) => {
                if now == Some(b.as_slice()) {
                    return false;
                }
                self.project.set_file(name, b);
            }
            None => {
                if known.is_none() || now == Some(b"".as_slice()) {
                    return false;
                }
                self.project.remove_file(name);
            }
        }
        self.follow(name);
        true
    }

    /// Shows the document `file` (a name relative to the root) belongs to,
    /// from the next render on.
    pub fn follow(&mut self, file: &str) {
        self.follow = Some(file.to_string());
    }

    pub fn select(&mut self, id: &str) {
        self.current = Some(id.to_string());
        self.follow = None;
    }

    /// Checks the repository, makes and lays out the document shown. When
    /// its files have errors the last good pages stay, marked stale.
    pub fn render(&mut self) -> &Snapshot {
        let started = Instant::now();
        let a = self.project.analyze_with(
            Options::build(false),
            &mut self.cache,
            &Wants::everything(false),
        );
        let sources = a.document_sources();
        if let Some(file) = self.follow.take()
            && let Some((id, _)) = sources.iter().find(|(_, fs)| fs.contains(&file))
        {
            self.current = Some(id.clone());
        }
        let titles = titles(&a.ix);
        let documents: Vec<Listed> = a
            .entries
            .iter()
            .map(|e| Listed {
                id: e.id.clone(),
                title: titles.get(e.id.as_str()).cloned().unwrap_or_default(),
            })
            .collect();
        if self
            .current
            .as_ref()
            .is_none_or(|c| !documents.iter().any(|d| &d.id == c))
            && self.last.pages.is_empty()
        {
            self.current = documents.first().map(|d| d.id.clone());
        }
        let files: Vec<String> = self
            .current
            .as_ref()
            .and_then(|c| sources.get(c))
            .cloned()
            .unwrap_or_default();
        let registry = |name: &str| {
            self.project
                .file_id(name)
                .and_then(|id| self.project.parsed(id))
                .is_some_and(|p| matches!(p, crate::load::Parsed::Registry(_)))
        };
        // The document's own files and the registry they read; a file that
        // no longer parses belongs to no document but is what was edited.
        let mine: Vec<&Diagnostic> = a
            .diags
            .iter()
            .filter(|d| match d.span {
                None => true,
                Some(s) => {
                    let name = self.project.sources().name(s.file);
                    files.iter().any(|f| f == name)
                        || registry(name)
                        || self.project.parsed(s.file).is_none()
                }
            })
            .collect();
        let blocked = mine.iter().any(|d| d.is_error());
        let diagnostics: Vec<Shown> = mine
            .iter()
            .filter_map(|d| shown(&self.project, d))
            .collect();
        let entry = self
            .current
            .as_ref()
            .and_then(|c| a.entries.iter().find(|e| &e.id == c));
        let mut next = Snapshot {
            version: self.last.version + 1,
            documents,
            document: self.current.clone(),
            diagnostics,
            ..Snapshot::default()
        };
        let made = match (blocked, entry) {
            (true, _) => Err("в плане есть ошибки: показана последняя удачная сборка".to_string()),
            (false, None) => Err("нет документа для показа".to_string()),
            (false, Some(e)) => match a.make(e) {
                None => Err("документ не собрался".to_string()),
                Some(doc) => self
                    .engine
                    .layout(&doc)
                    .map_err(|e| format!("вёрстка не удалась: {e}")),
            },
        };
        match made {
            Ok(paged) => {
                let opts = typst_svg::SvgOptions::default();
                next.pages = paged
                    .pages()
                    .iter()
                    .map(|p| Arc::from(typst_svg::svg(p, &opts)))
                    .collect();
            }
            Err(m) => {
                let same_document = self.last.document == next.document;
                next.pages = if same_document {
                    self.last.pages.clone()
                } else {
                    Vec::new()
                };
                next.stale = !next.pages.is_empty();
                next.message = Some(m);
            }
        }
        next.page_count = next.pages.len();
        next.page_hashes = next.pages.iter().map(|p| digest(p)).collect();
        next.render_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last = next;
        &self.last
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.last
    }
}

fn digest(svg: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(svg.as_bytes());
    d.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

fn titles(ix: &crate::index::Index) -> BTreeMap<String, String> {
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = BTreeMap::new();
    for (id, o) in &ix.orders {
        let n = o
            .item
            .number
            .as_ref()
            .map(|n| format!("№ {} ", n.get()))
            .unwrap_or_default();
        out.insert(
            id.to_string(),
            format!("Приказ {n}{}", one_line(o.item.title.get())),
        );
    }
    for (id, d) in &ix.documents {
        out.insert(id.to_string(), one_line(d.item.title.get()));
    }
    for (id, b) in &ix.bundles {
        out.insert(id.to_string(), one_line(b.item.title.get()));
    }
    out
}
