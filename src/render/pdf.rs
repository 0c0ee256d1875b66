//! PDF backend: typst embedded as a library.
//!
//! Our own [`World`] serves three kinds of files and nothing else: the layout
//! templates (`/templates/<name>.typ`), the document model as JSON
//! (`/data.json`) and assets such as the emblem (`/assets/…`). There is no
//! network, no package download and no system font unless the caller adds font
//! directories. The model goes to the template as data, so clerk-typed text is
//! never parsed as typst markup.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::Digest;
use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::{Code, Diagnostic, Sources, Span};
use crate::load::named::{NamedFileError, read_confined};
use crate::model::Document;

use crate::model::fonts::EMBEDDED as EMBEDDED_FONTS;

/// Templates shipped inside the binary; a `templates/` directory next to the
/// plans may override them or add new ones.
const EMBEDDED_TEMPLATES: [(&str, &str); 1] =
    [("default", include_str!("../../templates/default.typ"))];

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("шаблон оформления «{0}» не найден (ищется templates/{0}.typ)")]
    UnknownTemplate(String),
    #[error("недопустимое имя шаблона «{0}»: только латинские буквы, цифры, «-» и «_»")]
    BadTemplateName(String),
    #[error("не удалось прочитать {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("шаблон {}: {source}", .path.display())]
    Template {
        path: PathBuf,
        #[source]
        source: std::sync::Arc<NamedFileError>,
    },
    #[error("не удалось передать данные шаблону: {0}")]
    Json(#[from] serde_json::Error),
    /// Errors reported by typst while laying out: template errors, located in
    /// the template's file.
    #[error("ошибка вёрстки PDF")]
    Layout(Vec<Diagnostic>, Sources),
    #[error("ошибка записи PDF: {0}")]
    Export(String),
}

/// Options of one PDF export.
#[derive(Debug, Clone, Copy, Default)]
pub struct PdfSettings {
    /// PDF/A-2b for archiving.
    pub pdfa: bool,
}

/// Largest template read from a directory (the default one is 12 KB).
const TEMPLATE_MAX_BYTES: u64 = 1024 * 1024;

/// One template as found: the path shown in errors and its typst text —
/// embedded, or read from its directory the first time a document uses it,
/// under the rules for files the plans name (`load::named`).
#[derive(Debug)]
struct TemplateFile {
    shown: String,
    text: TemplateText,
    /// Parsed once per run, shared by every document (typst's memoised
    /// evaluation of the template then hits across documents).
    source: std::sync::OnceLock<Source>,
}

#[derive(Debug)]
enum TemplateText {
    Embedded(&'static str),
    File {
        path: PathBuf,
        /// The directory, symlinks resolved: the template must be inside it.
        within: PathBuf,
        read: std::sync::OnceLock<Result<String, std::sync::Arc<NamedFileError>>>,
    },
}

impl TemplateFile {
    fn text(&self) -> Result<String, PdfError> {
        match &self.text {
            TemplateText::Embedded(t) => Ok(t.to_string()),
            TemplateText::File { path, within, read } => read
                .get_or_init(|| {
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    read_confined(path, name, within, TEMPLATE_MAX_BYTES)
                        .and_then(|b| String::from_utf8(b).map_err(|_| NamedFileError::NotUtf8))
                        .map_err(std::sync::Arc::new)
                })
                .clone()
                .map_err(|source| PdfError::Template {
                    path: path.clone(),
                    source,
                }),
        }
    }
}

/// Everything that lives across builds: the standard library, the fonts and
/// the templates. Create once, render many documents.
pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    templates: BTreeMap<String, TemplateFile>,
    /// SHA-256 over the fonts added from directories, in the order added
    /// (the embedded ones are part of prikaz's identity).
    fonts_id: String,
}

impl Engine {
    /// An engine with the embedded fonts and templates only.
    pub fn new() -> Engine {
        let fonts: Vec<Font> = EMBEDDED_FONTS
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        let templates = EMBEDDED_TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    TemplateFile {
                        shown: format!("templates/{name}.typ"),
                        text: TemplateText::Embedded(text),
                        source: std::sync::OnceLock::new(),
                    },
                )
            })
            .collect();
        Engine {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            templates,
            fonts_id: String::new(),
        }
    }

    /// Adds fonts from directories (`--font-path`); files that are not fonts
    /// are skipped. Sorted by path so that font order (and thus fallback) is
    /// the same on every machine.
    pub fn add_font_dirs(&mut self, dirs: &[PathBuf]) -> Result<usize, PdfError> {
        let mut paths = Vec::new();
        for dir in dirs {
            for entry in walkdir::WalkDir::new(dir)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry = entry.map_err(|e| PdfError::Io {
                    path: dir.clone(),
                    source: e.into(),
                })?;
                let ext = entry
                    .path()
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase);
                if matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc" | "otc")) {
                    paths.push(entry.into_path());
                }
            }
        }
        let mut added = 0;
        let mut id = sha2::Sha256::new();
        id.update(self.fonts_id.as_bytes());
        for path in paths {
            let data = std::fs::read(&path).map_err(|source| PdfError::Io {
                path: path.clone(),
                source,
            })?;
            id.update(sha2::Sha256::digest(&data));
            for font in Font::iter(Bytes::new(data)) {
                self.fonts.push(font);
                added += 1;
            }
        }
        self.book = LazyHash::new(FontBook::from_fonts(&self.fonts));
        self.fonts_id = id.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok(added)
    }

    /// Finds the `*.typ` templates of a directory; they replace embedded ones
    /// of the same name. Only the names are listed here: a template is read
    /// when a document first uses it, so an unused one is never opened.
    pub fn add_template_dir(&mut self, dir: &Path) -> Result<usize, PdfError> {
        let io = |source| PdfError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let within = std::fs::canonicalize(dir).map_err(io)?;
        let read = std::fs::read_dir(dir).map_err(io)?;
        let mut n = 0;
        let mut entries: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.extension().and_then(|e| e.to_str()) != Some("typ") {
                continue;
            }
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if !valid_template_name(name) {
                continue;
            }
            self.templates.insert(
                name.to_string(),
                TemplateFile {
                    shown: path.to_string_lossy().replace('\\', "/"),
                    text: TemplateText::File {
                        path: path.clone(),
                        within: within.clone(),
                        read: std::sync::OnceLock::new(),
                    },
                    source: std::sync::OnceLock::new(),
                },
            );
            n += 1;
        }
        Ok(n)
    }

    /// What a document made with the template `name` depends on in this
    /// engine: the template's text and the fonts added (an incremental build
    /// keeps a file only if these are as they were).
    pub fn identity(&self, name: &str) -> Result<String, PdfError> {
        let tf = self
            .templates
            .get(name)
            .ok_or_else(|| PdfError::UnknownTemplate(name.to_string()))?;
        let mut h = sha2::Sha256::new();
        h.update(name.as_bytes());
        h.update([0]);
        h.update(tf.text()?.as_bytes());
        h.update([0]);
        h.update(self.fonts_id.as_bytes());
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// [`Engine::identity`] of every template at once: what a document
    /// depends on before it is known which template it uses.
    pub fn identity_all(&self) -> String {
        let mut h = sha2::Sha256::new();
        for (name, tf) in &self.templates {
            h.update(name.as_bytes());
            h.update([0]);
            match tf.text() {
                Ok(t) => h.update(t.as_bytes()),
                Err(e) => h.update(format!("\0{e}").as_bytes()),
            }
            h.update([0]);
        }
        h.update(self.fonts_id.as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Lays out a document; returns the paged document (for page counts and
    /// tests) before export.
    pub fn layout(&self, doc: &Document) -> Result<PagedDocument, PdfError> {
        let world = DocWorld::new(self, doc)?;
        let result = typst::compile::<PagedDocument>(&world);
        // typst memoises every layout in a process-wide cache that nothing
        // else empties: a build of a thousand orders, or a preview running
        // all day, would keep every document it ever laid out. Keep what
        // the last two compiles used (the template, the standard library,
        // the fonts' shaping), as typst-cli's watch mode does.
        typst::comemo::evict(2);
        match result.output {
            Ok(paged) => Ok(paged),
            Err(errors) => Err(world.diagnostics(errors.as_slice())),
        }
    }

    /// Lays out and exports a document to PDF bytes.
    pub fn render(&self, doc: &Document, settings: PdfSettings) -> Result<Vec<u8>, PdfError> {
        let paged = self.layout(doc)?;
        export(&paged, doc, settings)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// Exports a laid-out document. Identity and timestamp come from the
/// document, never from the clock or a random source: the same plans give
/// the same bytes on every machine.
pub fn export(
    paged: &PagedDocument,
    doc: &Document,
    settings: PdfSettings,
) -> Result<Vec<u8>, PdfError> {
    let timestamp = doc
        .meta
        .date
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| {
            use chrono::Datelike;
            Datetime::from_ymd_hms(d.year(), d.month() as u8, d.day() as u8, 0, 0, 0)
        })
        .map(Timestamp::new_utc);
    if settings.pdfa && timestamp.is_none() {
        return Err(PdfError::Export(
            "для PDF/A нужна дата документа: укажите date: в плане".into(),
        ));
    }
    let standards = if settings.pdfa {
        PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| PdfError::Export(e.message().to_string()))?
    } else {
        PdfStandards::default()
    };
    let options = PdfOptions {
        ident: Smart::Custom(format!("prikaz/{}", doc.file_stem)),
        creator: Smart::Custom(Some("prikaz".into())),
        timestamp,
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(paged, &options).map_err(|errs| {
        PdfError::Export(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// The printed pages on which each order of a bundle starts and ends, in
/// order, as the template counts pages (it marks both ends with
/// `<prikaz-order-start>` / `<prikaz-order-end>` metadata holding the page
/// counter): the DOCX contents carry them as the cached results of their
/// PAGEREF fields.
pub fn order_pages(paged: &PagedDocument) -> Vec<(u32, u32)> {
    let starts = labelled_numbers(paged, "prikaz-order-start");
    let ends = labelled_numbers(paged, "prikaz-order-end");
    starts.into_iter().zip(ends).collect()
}

fn labelled_numbers(paged: &PagedDocument, name: &str) -> Vec<u32> {
    use typst::introspection::{Introspector, MetadataElem};
    let Some(label) = typst::foundations::Label::new(typst::utils::PicoStr::intern(name)) else {
        return Vec::new();
    };
    paged
        .introspector()
        .query(&typst::foundations::Selector::Label(label))
        .iter()
        .filter_map(|c| c.to_packed::<MetadataElem>())
        .filter_map(|m| match &m.value {
            typst::foundations::Value::Int(n) => u32::try_from(*n).ok(),
            _ => None,
        })
        .collect()
}

fn valid_template_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// The world of one document.
struct DocWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    main_source: Source,
    template_id: FileId,
    template: Source,
    template_shown: String,
    data_id: FileId,
    data: Bytes,
    assets: Vec<(FileId, Bytes)>,
}

impl<'a> DocWorld<'a> {
    fn new(engine: &'a Engine, doc: &Document) -> Result<DocWorld<'a>, PdfError> {
        let name = &doc.profile.template;
        if !valid_template_name(name) {
            return Err(PdfError::BadTemplateName(name.clone()));
        }
        let tf = engine
            .templates
            .get(name)
            .ok_or_else(|| PdfError::UnknownTemplate(name.clone()))?;
        let path = format!("/templates/{name}.typ");
        let (Some(main), Some(template_id), Some(data_id)) =
            (file_id("/main.typ"), file_id(&path), file_id("/data.json"))
        else {
            return Err(PdfError::BadTemplateName(name.clone()));
        };
        // Read before anything is cached: an unreadable template fails here.
        let text = match tf.source.get() {
            Some(_) => String::new(),
            None => tf.text()?,
        };
        // The only generated typst code: fixed text, no user data in it.
        let main_text = format!("#import \"{path}\": render\n#render(json(\"/data.json\"))\n");
        // The measures the DOCX writer shares (`model::metrics`).
        let mut assets = Vec::new();
        if let Some(id) = file_id("/metrics.json") {
            assets.push((id, Bytes::new(crate::model::metrics::json())));
        }
        let mut emblems = Vec::new();
        match &doc.body {
            crate::model::Body::Order(o) => emblems.extend(o.letterhead.emblem.iter()),
            crate::model::Body::Bundle(b) => {
                emblems.extend(b.orders.iter().filter_map(|o| o.letterhead.emblem.as_ref()))
            }
            crate::model::Body::Standalone(_) => {}
        }
        for e in emblems {
            if let Some(id) = file_id(&e.path) {
                assets.push((id, Bytes::new(e.bytes.clone())));
            }
        }
        Ok(DocWorld {
            engine,
            main,
            main_source: Source::new(main, main_text),
            template_id,
            template: match tf.source.get() {
                Some(s) => s.clone(),
                None => tf
                    .source
                    .get_or_init(|| Source::new(template_id, text))
                    .clone(),
            },
            template_shown: tf.shown.clone(),
            data_id,
            data: Bytes::new(serde_json::to_vec(doc)?),
            assets,
        })
    }

    /// typst errors as our diagnostics, located in the template file.
    fn diagnostics(&self, errors: &[SourceDiagnostic]) -> PdfError {
        let mut sources = Sources::default();
        let file = sources.add(
            self.template_shown.clone(),
            self.template.text().to_string(),
        );
        let diags = errors
            .iter()
            .map(|e| {
                let mut d = match e.severity {
                    TypstSeverity::Error => Diagnostic::error(
                        Code::Template,
                        format!("ошибка в шаблоне: {}", e.message),
                    ),
                    TypstSeverity::Warning => Diagnostic::warning(
                        Code::Template,
                        format!("предупреждение шаблона: {}", e.message),
                    ),
                };
                // Point at the template; errors inside the generated main file
                // are reported at the place in the template that was called.
                let place = self.template_range(e.span).or_else(|| {
                    e.trace.iter().find_map(|t| {
                        self.template_range(typst::syntax::DiagSpan::from_span(t.span, None))
                    })
                });
                if let Some(r) = place {
                    d = d.at(Span {
                        file,
                        start: r.start,
                        end: r.end,
                    });
                }
                if let Some(h) = e.hints.first() {
                    d = d.hint(h.v.to_string());
                }
                d
            })
            .collect();
        PdfError::Layout(diags, sources)
    }

    fn template_range(
        &self,
        span: impl Into<typst::syntax::DiagSpan>,
    ) -> Option<std::ops::Range<usize>> {
        let span = span.into();
        match span.get() {
            typst::syntax::DiagSpanKind::Number { id, .. }
            | typst::syntax::DiagSpanKind::Range { id, .. }
                if id == self.template_id =>
            {
                self.range(span)
            }
            _ => None,
        }
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.main_source.clone())
        } else if id == self.template_id {
            Ok(self.template.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if id == self.template_id {
            return Ok(Bytes::from_string(self.template.clone()));
        }
        self.assets
            .iter()
            .find(|(a, _)| *a == id)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| FileError::NotFound(PathBuf::from(id.get().vpath().get_without_slash())))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    /// Documents never see the clock: `datetime.today()` is an error.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_directories_add_fonts_to_the_book() {
        let mut engine = Engine::new();
        let before = engine.fonts.len();
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let added = engine.add_font_dirs(&[dir]).expect("fonts");
        assert_eq!(added, 4, "the four Liberation Serif faces");
        assert_eq!(engine.fonts.len(), before + 4);
    }
}
