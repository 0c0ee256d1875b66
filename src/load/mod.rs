//! Finding plan files and reading them into the plan types, with located errors.
//!
//! Bad input never panics and never runs away: files are size-checked before
//! reading, YAML is parsed under a budget (depth, nodes, alias expansion), and
//! every failure becomes a diagnostic with the file, line and column.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;
use serde_saphyr::Error as YamlError;
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic, FileId, Sources, Span, closest};
use crate::plan::{AppendixFile, BundleFile, DocumentFile, OrderFile, RegistryFile};

pub mod git;
pub mod named;
pub mod subset;

/// Larger plans are refused before reading: a real order is far below this.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Deepest nesting a plan needs is about 10; 64 leaves room and stops bombs early.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
pub enum Parsed {
    Registry(RegistryFile),
    Order(OrderFile),
    Appendix(AppendixFile),
    Document(DocumentFile),
    Bundle(BundleFile),
}

/// All files of a run: sources for diagnostics and the parsed plans.
#[derive(Debug, Default)]
pub struct Workspace {
    pub sources: Sources,
    pub files: Vec<(FileId, Parsed)>,
    /// Root used to resolve relative asset paths (emblems).
    pub root: PathBuf,
}

pub const KINDS: [&str; 5] = ["registry", "order", "appendix", "document", "bundle"];

/// Plan files under the given paths, sorted for a stable order. Directories are
/// walked; a path given explicitly is taken even without a `.yaml` ending.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Err(e) => diags.push(Diagnostic::error(
                Code::Io,
                format!("не удаётся открыть «{}»: {}", p.display(), io_ru(&e)),
            )),
            Ok(m) if m.is_file() => files.push(p.clone()),
            Ok(_) => {
                let walker = WalkDir::new(p)
                    .follow_links(true)
                    .sort_by_file_name()
                    .max_depth(32);
                let inside = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                let mut walk = walker.into_iter();
                while let Some(entry) = walk.next() {
                    match entry {
                        // A link that leads out of the folder would put a file
                        // of the host (a token, /etc/passwd) into diagnostics.
                        Ok(e)
                            if e.path_is_symlink()
                                && !std::fs::canonicalize(e.path())
                                    .is_ok_and(|t| t.starts_with(&inside)) =>
                        {
                            diags.push(
                                Diagnostic::error(
                                    Code::Io,
                                    format!(
                                        "«{}» — символическая ссылка за пределы «{}»; она не читается",
                                        e.path().display(),
                                        p.display()
                                    ),
                                )
                                .hint("положите файл в каталог планов или укажите его путь явно"),
                            );
                            if e.file_type().is_dir() {
                                walk.skip_current_dir();
                            }
                        }
                        Ok(e) => {
                            if e.file_type().is_file() && is_plan_name(e.path()) {
                                files.push(e.into_path());
                            } else if e.file_type().is_dir()
                                && e.depth() > 0
                                && is_plan_name(e.path())
                            {
                                // A directory that looks like a plan is almost
                                // certainly a mistake the clerk wants to hear of.
                                diags.push(
                                    Diagnostic::warning(
                                        Code::Io,
                                        format!("«{}» — каталог, а не файл плана; его содержимое проверяется как каталог", e.path().display()),
                                    ),
                                );
                            }
                        }
                        Err(e) => {
                            let what = e
                                .path()
                                .map(|p| p.display().to_string())
                                .unwrap_or_default();
                            let link = e.path().is_some_and(|p| {
                                p.symlink_metadata().is_ok_and(|m| m.is_symlink())
                            });
                            let msg = if e.loop_ancestor().is_some() {
                                format!("циклическая символическая ссылка: «{what}»")
                            } else if link {
                                format!(
                                    "символическая ссылка «{what}» никуда не ведёт (цикл или нет цели)"
                                )
                            } else {
                                format!("не удаётся прочитать каталог «{what}»")
                            };
                            diags.push(Diagnostic::error(Code::Io, msg));
                        }
                    }
                }
            }
        }
    }
    files.sort();
    files.dedup();
    (files, diags)
}

pub fn is_plan_name(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

fn io_ru(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "файл не найден".into(),
        PermissionDenied => "нет доступа".into(),
        IsADirectory => "это каталог, а не файл".into(),
        _ => e.to_string(),
    }
}

/// Loads and parses files; each failure becomes a diagnostic, the rest go on.
pub fn load(paths: &[PathBuf], root: &Path) -> (Workspace, Vec<Diagnostic>) {
    load_with(paths, root, None)
}

/// The plan a file `(name, text)` gives when it was parsed already (the
/// same file of the other side of a `diff`): parsing is a pure function of
/// the text, so a copy of that plan is what parsing would give.
pub type Reuse<'r> = Option<&'r (dyn Fn(&str, &str) -> Option<Parsed> + Sync)>;

/// [`load`], taking what `reuse` has instead of parsing it again.
pub fn load_with(paths: &[PathBuf], root: &Path, reuse: Reuse) -> (Workspace, Vec<Diagnostic>) {
    // Reading and UTF-8 checking run on all cores too.
    let texts = paths
        .par_iter()
        .map(|p| (display_name(p, root), read_text(p)))
        .collect();
    parse_all(texts, root, reuse)
}

/// Parses files whose bytes are already in memory (a git revision, a file
/// passed by `git diff`): `(name shown in diagnostics, bytes)`. The same
/// checks as for files on disk apply (size, UTF-8, binary).
pub fn load_bytes(files: Vec<(String, Vec<u8>)>, root: &Path) -> (Workspace, Vec<Diagnostic>) {
    load_blobs(files.into_iter().map(|(n, b)| (n, Ok(b))).collect(), root)
}

/// [`load_bytes`] where some files were refused before reading (a git blob
/// whose header says it is larger than [`MAX_FILE_BYTES`]): `Err(size)`.
pub fn load_blobs(
    files: Vec<(String, Result<Vec<u8>, u64>)>,
    root: &Path,
) -> (Workspace, Vec<Diagnostic>) {
    load_blobs_with(files, root, None)
}

/// [`load_blobs`], taking what `reuse` has instead of parsing it again.
pub fn load_blobs_with(
    files: Vec<(String, Result<Vec<u8>, u64>)>,
    root: &Path,
    reuse: Reuse,
) -> (Workspace, Vec<Diagnostic>) {
    let texts = files
        .into_iter()
        .map(|(name, bytes)| (name, bytes.map_err(too_large).and_then(text_of)))
        .collect();
    parse_all(texts, root, reuse)
}

/// Registers every text as a source and parses the readable ones; a file
/// that could not be read gets its diagnostic at its start.
fn parse_all(
    texts: Vec<(String, Result<String, Diagnostic>)>,
    root: &Path,
    reuse: Reuse,
) -> (Workspace, Vec<Diagnostic>) {
    let mut ws = Workspace {
        root: root.to_path_buf(),
        ..Workspace::default()
    };
    let mut diags = Vec::new();
    let mut prepared = Vec::with_capacity(texts.len());
    for (name, text) in texts {
        match text {
            Ok(text) => prepared.push(ws.sources.add(name, text)),
            Err(mut d) => {
                let id = ws.sources.add(name, String::new());
                d.span = Some(Span {
                    file: id,
                    start: 0,
                    end: 0,
                });
                diags.push(d);
            }
        }
    }
    // Parse on all cores: parsing dominates `check` on large repositories.
    let results = prepared
        .par_iter()
        .map(|&id| {
            let text = ws.sources.text(id);
            match reuse.and_then(|r| r(ws.sources.name(id), text)) {
                Some(p) => Ok(p),
                None => parse_file(id, text),
            }
        })
        .collect::<Vec<_>>();
    for (id, r) in prepared.into_iter().zip(results) {
        match r {
            Ok(p) => ws.files.push((id, p)),
            Err(d) => diags.push(d),
        }
    }
    (ws, diags)
}

fn too_large(bytes: u64) -> Diagnostic {
    Diagnostic::error(
        Code::TooLarge,
        format!(
            "файл слишком большой: {} МБ (допустимо до {} МБ)",
            bytes / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
    .hint("разделите план на несколько файлов")
}

fn display_name(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Reads a file as UTF-8 text, refusing huge, binary and non-UTF-8 files with
/// a located diagnostic (the span is filled in by the caller).
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::error(Code::Io, format!("не удаётся открыть файл: {}", io_ru(&e)))
    })?;
    if meta.is_dir() {
        return Err(Diagnostic::error(
            Code::Io,
            "это каталог, а не файл плана".to_string(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            Code::Io,
            format!("не удаётся прочитать файл: {}", io_ru(&e)),
        )
    })?;
    text_from_bytes(bytes)
}

/// A file's bytes as plan text: the checks of a file read from disk (size,
/// binary, UTF-8, a byte-order mark dropped); the span is the caller's.
pub fn text_of(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    text_from_bytes(bytes)
}

fn text_from_bytes(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.contains(&0) {
        return Err(
            Diagnostic::error(Code::NotText, "файл не текстовый (содержит нулевые байты)")
                .hint("планы — это текстовые файлы YAML в кодировке UTF-8"),
        );
    }
    // simdutf8 validates Cyrillic text several times faster than std (the
    // copy costs less than std's check, and needs no `unsafe`); std is asked
    // only to locate an error.
    let text = match simdutf8::basic::from_utf8(&bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => String::from_utf8(bytes),
    };
    match text {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..'\u{feff}'.len_utf8());
            }
            Ok(s)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or(&[]));
            let line = before.matches('\n').count() + 1;
            Err(Diagnostic::error(
                Code::NotUtf8,
                format!("файл не в кодировке UTF-8 (байт {at}, строка {line})"),
            )
            .hint("сохраните файл в UTF-8 (в Блокноте: «Сохранить как» → UTF-8)"))
        }
    }
}

static KIND_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?m)^kind:[ \t]*["']?([A-Za-z_]+)["']?[ \t]*(?:#[^\r\n]*)?\r?$"#).ok()
});

/// serde-saphyr's options for plans: the budget (depth, nodes, aliases)
/// that stops YAML bombs, the same for `check`, `build` and `fmt`.
pub fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: 2_000_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_documents: 1,
        },
        with_snippet: false,
    }
}

/// Which YAML reader [`parse_file_with`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The fast reader, and serde-saphyr for whatever it declines.
    Auto,
    /// serde-saphyr only.
    Saphyr,
    /// The fast reader only; declining is an error (for tests and benchmarks).
    Subset,
}

/// Parses one file's text into its plan type, chosen by its top-level `kind:`.
pub fn parse_file(file: FileId, text: &str) -> Result<Parsed, Diagnostic> {
    parse_file_with(file, text, Reader::Auto)
}

/// [`parse_file`] with a chosen reader.
pub fn parse_file_with(file: FileId, text: &str, reader: Reader) -> Result<Parsed, Diagnostic> {
    let at = |start: usize, end: usize| Span { file, start, end };
    if text.trim().is_empty() {
        return Err(Diagnostic::error(Code::EmptyFile, "пустой файл")
            .at(at(0, 0))
            .hint("укажите вид документа, например «kind: order», или удалите файл"));
    }
    let caps = KIND_RE.as_ref().and_then(|re| re.captures(text));
    let Some(caps) = caps else {
        return Err(Diagnostic::error(
            Code::MissingKind,
            "не указан вид документа (kind) на верхнем уровне файла",
        )
        .at(at(0, 0))
        .hint(format!(
            "первой строкой напишите, например, «kind: order»; возможные виды: {}",
            KINDS.join(", ")
        )));
    };
    let kind = caps.get(1).map(|m| m.as_str()).unwrap_or("");
    let (ks, ke) = caps.get(1).map(|m| (m.start(), m.end())).unwrap_or((0, 0));
    let opts = yaml_options();
    // The fast reader first; serde-saphyr decides whatever it declines.
    let declined =
        || Diagnostic::error(Code::YamlSyntax, "быстрое чтение YAML не применимо").at(at(0, 0));
    fn read<T: serde::de::DeserializeOwned>(
        text: &str,
        opts: serde_saphyr::Options,
        reader: Reader,
    ) -> Option<Result<T, YamlError>> {
        if reader != Reader::Saphyr {
            match subset::from_str(text) {
                Some(v) => return Some(Ok(v)),
                None if reader == Reader::Subset => return None,
                None => {}
            }
        }
        Some(serde_saphyr::from_str_with_options(text, opts))
    }
    let parsed = match kind {
        "registry" => read(text, opts, reader).map(|r| r.map(Parsed::Registry)),
        "order" => read(text, opts, reader).map(|r| r.map(Parsed::Order)),
        "appendix" => read(text, opts, reader).map(|r| r.map(Parsed::Appendix)),
        "document" => read(text, opts, reader).map(|r| r.map(Parsed::Document)),
        "bundle" => read(text, opts, reader).map(|r| r.map(Parsed::Bundle)),
        other => {
            let hint = closest(other, KINDS)
                .map(|k| format!("возможно, имелось в виду «{k}»"))
                .unwrap_or_else(|| format!("возможные виды: {}", KINDS.join(", ")));
            return Err(Diagnostic::error(
                Code::UnknownKind,
                format!("неизвестный вид документа «{other}»"),
            )
            .at(at(ks, ke))
            .hint(hint));
        }
    };
    parsed
        .ok_or_else(declined)?
        .map_err(|e| yaml_diagnostic(file, text, &e))
}

fn innermost(e: &YamlError) -> &YamlError {
    match e {
        YamlError::WithSnippet { error, .. } => innermost(error),
        YamlError::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

/// Errors serde-saphyr reports as plain messages (ours from `Deserialize`
/// impls, or the parser's own English ones).
fn message_diagnostic(msg: &str) -> Diagnostic {
    // The parser appends its own position; ours is in the diagnostic already.
    let msg = msg.split(" at line ").next().unwrap_or(msg);
    if msg.contains("recursion limit") {
        Diagnostic::error(Code::YamlLimit, "слишком глубокая вложенность YAML")
            .hint("в плане не бывает больше нескольких уровней вложенности")
    } else if msg.starts_with("некорректн") || msg.starts_with("строка таблицы")
    {
        Diagnostic::error(Code::InvalidValue, msg.to_string())
    } else if msg.starts_with("expected sequence")
        || msg.contains("invalid type") && msg.contains("sequence")
    {
        Diagnostic::error(Code::InvalidType, "неверный тип значения: ожидается список")
            .hint("список записывается строками «- элемент» или [a, b]")
    } else if msg.starts_with("expected mapping") {
        Diagnostic::error(
            Code::InvalidType,
            "неверный тип значения: ожидается словарь «ключ: значение»",
        )
    } else if msg.starts_with("expected scalar") {
        Diagnostic::error(
            Code::InvalidType,
            "неверный тип значения: ожидается текст или число",
        )
    } else if msg.contains("tabs disallowed")
        || msg.contains("found a tab")
        || msg.contains("tab character")
    {
        // The commonest mistake of a file typed in Notepad or pasted from Word.
        Diagnostic::error(
            Code::YamlSyntax,
            "в отступе знак табуляции: YAML допускает в отступах только пробелы",
        )
        .hint("замените табуляцию пробелами (по два на уровень вложенности)")
    } else if msg.contains("mapping values are not allowed") {
        Diagnostic::error(
            Code::YamlSyntax,
            "двоеточие с пробелом внутри значения: YAML принял его за новый ключ",
        )
        .hint("заключите значение в кавычки: ключ: \"текст: с двоеточием\"")
    } else if msg.contains("did not find expected") || msg.contains("could not find expected") {
        Diagnostic::error(Code::YamlSyntax, format!("ошибка синтаксиса YAML: {msg}"))
            .hint("проверьте отступы строки и закрытые кавычки и скобки выше")
    } else if msg.is_empty() {
        Diagnostic::error(Code::YamlSyntax, "ошибка синтаксиса YAML")
    } else {
        Diagnostic::error(Code::YamlSyntax, format!("ошибка синтаксиса YAML: {msg}"))
    }
}

/// Which budget a file broke, in words (serde-saphyr's own text is Rust's).
fn breach_ru(b: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match b {
        B::Depth { .. } => format!("вложенность глубже {MAX_DEPTH} уровней"),
        B::Aliases { aliases } => format!("псевдонимов (*) больше допустимого: {aliases}"),
        B::Anchors { anchors } => format!("якорей (&) больше допустимого: {anchors}"),
        B::Nodes { .. } | B::Events { .. } => "слишком много значений".to_string(),
        B::Documents { .. } => "больше одного документа YAML («---») в файле".to_string(),
        _ => "превышен предел размера или сложности".to_string(),
    }
}

/// Turns a serde-saphyr error into a Russian diagnostic at its location.
pub fn yaml_diagnostic(file: FileId, text: &str, err: &YamlError) -> Diagnostic {
    let e = innermost(err);
    let span = err.location().or_else(|| e.location()).map(|loc| {
        let start = loc
            .span()
            .byte_offset()
            .and_then(|o| usize::try_from(o).ok())
            .unwrap_or_else(|| offset_of(text, loc.line(), loc.column()));
        let len = loc
            .span()
            .byte_len()
            .and_then(|o| usize::try_from(o).ok())
            .unwrap_or(0);
        Span {
            file,
            start: start.min(text.len()),
            end: (start + len).min(text.len()),
        }
    });
    let d = match e {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = closest(field, expected.iter().copied())
                .map(|k| format!("возможно, имелось в виду «{k}»"))
                .unwrap_or_else(|| format!("допустимые ключи: {}", expected.join(", ")));
            Diagnostic::error(Code::UnknownKey, format!("неизвестный ключ «{field}»")).hint(hint)
        }
        YamlError::SerdeMissingField { field, .. } => Diagnostic::error(
            Code::MissingKey,
            format!("не указан обязательный ключ «{field}»"),
        ),
        YamlError::DuplicateMappingKey { key, .. } => Diagnostic::error(
            Code::DuplicateKey,
            match key {
                Some(k) => format!("ключ «{k}» повторяется"),
                None => "ключ повторяется".to_string(),
            },
        )
        .hint("в YAML ключ может встречаться в словаре только один раз"),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let hint = closest(variant, expected.iter().copied())
                .map(|k| format!("возможно, имелось в виду «{k}»"))
                .unwrap_or_else(|| format!("допустимые значения: {}", expected.join(", ")));
            Diagnostic::error(
                Code::InvalidValue,
                format!("недопустимое значение «{variant}»"),
            )
            .hint(hint)
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => Diagnostic::error(
            Code::InvalidType,
            format!(
                "неверный тип значения: {}, ожидается {}",
                type_ru(unexpected),
                type_ru(expected)
            ),
        ),
        YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => Diagnostic::error(
            Code::InvalidValue,
            format!(
                "недопустимое значение {}, ожидается {}",
                type_ru(unexpected),
                type_ru(expected)
            ),
        ),
        YamlError::SerdeInvalidLength { len, expected, .. } => Diagnostic::error(
            Code::InvalidValue,
            format!(
                "неверное число элементов: {len}, ожидается {}",
                type_ru(expected)
            ),
        ),
        YamlError::NullIntoString { .. } => {
            Diagnostic::error(Code::InvalidType, "значение пусто, ожидается текст")
                .hint("допишите значение после двоеточия или удалите ключ")
        }
        YamlError::InvalidScalar { ty, .. } => Diagnostic::error(
            Code::InvalidType,
            format!("значение не подходит по типу: ожидается {}", type_ru(ty)),
        ),
        YamlError::Budget { breach, .. } => Diagnostic::error(
            Code::YamlLimit,
            format!(
                "файл превышает допустимую сложность YAML: {}",
                breach_ru(breach)
            ),
        )
        .hint("слишком глубокая вложенность или слишком много псевдонимов (&/*)"),
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => Diagnostic::error(
            Code::YamlLimit,
            "слишком много раскрытий псевдонимов YAML (&/*)",
        )
        .hint("похоже на «бомбу» из псевдонимов; используйте явные значения"),
        YamlError::MultipleDocuments { .. } => Diagnostic::error(
            Code::YamlSyntax,
            "в файле несколько документов YAML (разделитель ---)",
        )
        .hint("один файл — один документ"),
        YamlError::UnknownAnchor { .. } => Diagnostic::error(
            Code::YamlSyntax,
            "ссылка на неизвестную метку YAML (*метка)",
        ),
        YamlError::Eof { .. } => Diagnostic::error(Code::YamlSyntax, "неожиданный конец файла"),
        YamlError::Message { msg, .. } => message_diagnostic(msg),
        other => message_diagnostic(
            other
                .render_with_formatter(&serde_saphyr::UserMessageFormatter)
                .lines()
                .next()
                .unwrap_or_default(),
        ),
    };
    d.at_opt(span.or(Some(Span {
        file,
        start: 0,
        end: 0,
    })))
}

/// Serde's type descriptions in Russian, for the common cases.
fn type_ru(s: &str) -> String {
    let t = s.trim();
    let known = [
        ("a string", "текст"),
        ("string", "текст"),
        ("a sequence", "список"),
        ("sequence", "список"),
        ("a map", "словарь"),
        ("map", "словарь"),
        ("a boolean", "да/нет (true/false)"),
        ("boolean", "да/нет (true/false)"),
        ("bool", "да/нет (true/false)"),
        ("u8", "целое число"),
        ("u16", "целое число"),
        ("u32", "целое число"),
        ("i32", "целое число"),
        ("f32", "число"),
        ("unit", "пустое значение"),
        ("null", "пустое значение"),
    ];
    for (en, ru) in known {
        if t == en || t.starts_with(&format!("{en} ")) || t.starts_with(&format!("struct {en}")) {
            return ru.to_string();
        }
    }
    if t.starts_with("struct ") || t.contains("struct") {
        return "словарь".into();
    }
    if t.starts_with("enum") || t.starts_with("variant") {
        return "одно из допустимых значений".into();
    }
    if t.starts_with("integer") || t.starts_with("floating") {
        return "число".into();
    }
    t.to_string()
}

fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let mut off = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if (i as u64) + 1 == line {
            let col = usize::try_from(column).unwrap_or(1).max(1) - 1;
            return off + l.char_indices().nth(col).map(|(b, _)| b).unwrap_or(l.len());
        }
        off += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests;
