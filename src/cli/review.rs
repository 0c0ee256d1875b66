//! Commands for reviewers: `diff`, `textconv`, `fmt`, and the comparison
//! table of `build --compare`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use codespan_reporting::term::termcolor::BufferedStandardStream;

use super::{ColorWhen, OutputFormat, color_choice, report};
use crate::load::git::Repo;
use crate::model::Document;
use crate::review::diff::{self, format::Style};
use crate::review::snapshot::{self, Snapshot};

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// Две ревизии git (по умолчанию HEAD и рабочий каталог; одна — она и рабочий каталог) или два файла
    #[arg(value_name = "РЕВИЗИЯ", num_args = 0..=2, display_order = 0)]
    pub revs: Vec<String>,
    /// Пути с планами после «--» (по умолчанию plans/)
    #[arg(last = true, value_name = "ПУТЬ", display_order = 1)]
    pub paths: Vec<PathBuf>,
    /// Формат: text (для терминала), markdown (для комментария к запросу на слияние), json
    #[arg(long = "format", value_enum, value_name = "ФОРМАТ", default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Код выхода 1, если документы изменились
    #[arg(long)]
    pub exit_code: bool,
    /// Цвет: auto (только в терминале, по умолчанию), always, never
    #[arg(long, value_enum, value_name = "КОГДА", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct TextconvArgs {
    /// Файл плана (git передаёт временный файл с содержимым из ревизии); «-» — стандартный ввод
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Файлы или каталоги с планами (по умолчанию plans/)
    #[arg(value_name = "ПУТЬ")]
    pub paths: Vec<PathBuf>,
    /// Только проверить: код выхода 1 и список файлов, если оформление отличается
    #[arg(long)]
    pub check: bool,
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// Errors of one side of a comparison: shown, and the documents that did
/// resolve are still compared.
fn show_errors(side: &str, s: &Snapshot, color: ColorWhen) {
    if s.diags.is_empty() {
        return;
    }
    eprintln!("{side}: документы с ошибками не сравниваются");
    report(
        s.project.sources(),
        &s.diags,
        OutputFormat::Human,
        color,
        s.project.sources().len(),
    );
}

pub fn diff(a: DiffArgs) -> i32 {
    let cwd = cwd();
    let files_mode = a.revs.len() == 2 && a.revs.iter().all(|r| Path::new(r).is_file());
    let (old, new) = if files_mode {
        let side = |name: &str| -> Result<Snapshot, i32> {
            let bytes = std::fs::read(name).map_err(|e| {
                eprintln!("ошибка: не удаётся прочитать «{name}»: {e}");
                2
            })?;
            let ctx = snapshot::context_dir(Path::new(name), &cwd);
            Ok(snapshot::single(name, bytes, &ctx, &cwd).snapshot)
        };
        match (side(&a.revs[0]), side(&a.revs[1])) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(c), _) | (_, Err(c)) => return c,
        }
    } else {
        let paths = super::repo_paths(a.paths.clone());
        let repo = match Repo::discover(&cwd) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("ошибка: {e}");
                return 2;
            }
        };
        let prefixes = repo.prefixes(&cwd, &paths);
        let old_rev = a.revs.first().map(String::as_str).unwrap_or("HEAD");
        let old = match snapshot::revision_project(&repo, old_rev, &prefixes, None) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("ошибка: {e}");
                return 2;
            }
        };
        let new = match a.revs.get(1) {
            Some(rev) => match snapshot::revision_project(&repo, rev, &prefixes, Some(&old)) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("ошибка: {e}");
                    return 2;
                }
            },
            None => crate::project::Project::open_reusing(&paths, repo.workdir(), Some(&old)),
        };
        snapshot::pair(old, new)
    };
    show_errors("прежняя редакция", &old, a.color);
    show_errors("новая редакция", &new, a.color);
    let d = diff::diff(&old.docs, &new.docs);
    let color = match a.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            use std::io::IsTerminal;
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let out = match a.format {
        DiffFormat::Text => diff::format::text(&d, Style { color }),
        DiffFormat::Markdown => diff::format::markdown(&d),
        DiffFormat::Json => diff::format::json(&d) + "\n",
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    // Two revisions of a large repository are millions of small
    // allocations; the process ends here, and freeing them one by one
    // would cost a tenth of the command.
    std::mem::forget((old, new));
    if a.exit_code && !d.is_empty() { 1 } else { 0 }
}

/// `textconv`: the document's text when the file resolves, else the file as
/// it is, so `git diff` always has something to show.
pub fn textconv(a: TextconvArgs) -> i32 {
    let cwd = cwd();
    let read = if super::stdin::is_stdin(std::slice::from_ref(&a.file)) {
        super::stdin::read_all().map_err(|_| None)
    } else {
        std::fs::read(&a.file).map_err(Some)
    };
    let bytes = match read {
        Ok(b) => b,
        Err(Some(e)) => {
            eprintln!("ошибка: не удаётся прочитать «{}»: {e}", a.file.display());
            return 2;
        }
        Err(None) => return 2,
    };
    let name = a.file.to_string_lossy().to_string();
    let ctx = snapshot::context_dir(&a.file, &cwd);
    let single = snapshot::single(&name, bytes.clone(), &ctx, &cwd);
    let docs: Vec<&Document> = single
        .key
        .as_ref()
        .map(|k| snapshot::documents_of(&single.snapshot.docs, k))
        .unwrap_or_default();
    let mut stdout = std::io::stdout().lock();
    if docs.is_empty() {
        if single.key.is_some() && !single.snapshot.diags.is_empty() {
            eprintln!(
                "prikaz textconv: «{}» не собирается в документ ({} ошибок); показан исходный текст",
                a.file.display(),
                single.snapshot.diags.len()
            );
        }
        let _ = stdout.write_all(&bytes);
        return 0;
    }
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            let _ = stdout.write_all(b"\n");
        }
        let _ = stdout.write_all(crate::render::text::render(d).as_bytes());
    }
    0
}

/// `bytes` with the UTF-8 byte-order mark the file `f` starts with, if it
/// does: Windows editors write one, and `fmt` keeps what it did not format.
fn with_bom(f: &std::path::Path, bytes: &[u8]) -> Vec<u8> {
    const BOM: &[u8] = b"\xef\xbb\xbf";
    let had = std::fs::File::open(f)
        .and_then(|mut file| {
            let mut head = [0u8; 3];
            std::io::Read::read_exact(&mut file, &mut head).map(|()| head == BOM)
        })
        .unwrap_or(false);
    if had && !bytes.starts_with(BOM) {
        [BOM, bytes].concat()
    } else {
        bytes.to_vec()
    }
}

pub fn fmt(a: FmtArgs) -> i32 {
    let paths = super::repo_paths(a.paths);
    let (files, diags) = crate::load::discover(&paths);
    let mut code = 0;
    if !diags.is_empty() {
        let sources = crate::diag::Sources::default();
        report(&sources, &diags, OutputFormat::Human, ColorWhen::Auto, 0);
        code = 2;
    }
    let mut changed = 0;
    let mut failed = 0;
    for f in &files {
        let text = match crate::load::read_text(f) {
            Ok(t) => t,
            Err(d) => {
                eprintln!("ошибка: {}: {}", f.display(), d.message);
                failed += 1;
                continue;
            }
        };
        let formatted = match crate::review::fmt::format(&text) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("ошибка: {}: {e}", f.display());
                failed += 1;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if a.check {
            println!("{}", f.display());
        } else if let Err(e) = crate::build::write_atomic(f, &with_bom(f, formatted.as_bytes())) {
            eprintln!("ошибка: не удалось записать {}: {e}", f.display());
            failed += 1;
        }
    }
    let total = files.len();
    if a.check {
        if changed > 0 {
            eprintln!(
                "оформление отличается в {changed} из {total} файлов; выполните «prikaz fmt»"
            );
        } else if failed == 0 {
            eprintln!("оформление в порядке: {total} файлов");
        } else {
            eprintln!("не прочитано файлов: {failed} из {total}; их оформление не проверено");
        }
    } else {
        eprintln!("переоформлено файлов: {changed} из {total}");
    }
    if failed > 0 {
        code = code.max(1);
    }
    if a.check && changed > 0 {
        code = code.max(1);
    }
    code
}

/// The comparison tables of `build --compare REV`: the plans at `rev`
/// against the work tree's documents `new`.
pub fn comparison_documents(
    rev: &str,
    paths: &[PathBuf],
    new: &[Document],
) -> Result<Vec<Document>, i32> {
    let cwd = cwd();
    let repo = Repo::discover(&cwd).map_err(|e| {
        eprintln!("ошибка: {e}");
        2
    })?;
    let prefixes = repo.prefixes(&cwd, paths);
    let old = snapshot::revision(&repo, rev, &prefixes).map_err(|e| {
        eprintln!("ошибка: {e}");
        2
    })?;
    show_errors("прежняя редакция", &old, ColorWhen::Auto);
    let d = diff::diff(&old.docs, new);
    let docs = crate::review::compare::documents(&d.documents, new);
    if docs.is_empty() {
        let mut err = BufferedStandardStream::stderr(color_choice(ColorWhen::Auto));
        let _ = writeln!(
            err,
            "изменений относительно «{rev}» нет: сравнительная таблица не нужна"
        );
    }
    Ok(docs)
}

/// `build --compare REV --tracked`: for every document changed since REV,
/// `<name>_исправления.docx` in `out` with the changes as Word revisions,
/// by the author and at the time of the newest commit that made them.
pub fn tracked(rev: &str, paths: &[PathBuf], new: &[Document], out: &Path) -> i32 {
    let cwd = cwd();
    let repo = match Repo::discover(&cwd) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return 2;
        }
    };
    let prefixes = repo.prefixes(&cwd, paths);
    let old = match snapshot::revision(&repo, rev, &prefixes) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return 2;
        }
    };
    show_errors("прежняя редакция", &old, ColorWhen::Auto);
    let d = diff::diff(&old.docs, new);
    // Changes not yet committed are the working copy's: HEAD's author and
    // time stand for them, so the file is the same on every machine.
    let (author, seconds) = repo
        .head_author()
        .unwrap_or_else(|| ("prikaz".to_string(), 0));
    let fallback = crate::review::tracked::Revisor::at(&author, seconds);
    // The plans after every commit since REV, for who changed what.
    let mut steps: Vec<(crate::review::tracked::Revisor, Vec<Document>)> = Vec::new();
    for (id, name, secs) in repo.commits_since(rev) {
        match snapshot::revision(&repo, &id, &prefixes) {
            Ok(s) => steps.push((crate::review::tracked::Revisor::at(&name, secs), s.docs)),
            Err(e) => {
                eprintln!("ошибка: {e}");
                return 2;
            }
        }
    }
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("ошибка: не удалось создать «{}»: {e}", out.display());
        return 2;
    }
    let mut written = 0;
    for doc_diff in d
        .documents
        .iter()
        .filter(|x| x.status == diff::DocStatus::Changed)
    {
        let (Some(n), Some(o)) = (
            new.iter().find(|n| n.id == doc_diff.id),
            old.docs.iter().find(|o| o.id == doc_diff.id),
        ) else {
            continue;
        };
        let mut who = crate::review::tracked::Authorship::new(fallback.clone());
        for (r, docs) in &steps {
            if let Err(e) = who.push(r.clone(), docs.iter().find(|d| d.id == n.id)) {
                eprintln!("ошибка: {}: {e}", n.id);
                return 2;
            }
        }
        let (bytes, revisions) = match crate::review::tracked::tracked(o, n, &who) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("ошибка: {}: {e}", n.id);
                return 2;
            }
        };
        let path = out.join(format!("{}_исправления.docx", n.file_stem));
        if let Err(e) = crate::build::write_atomic(&path, &bytes) {
            eprintln!("ошибка: не удалось записать «{}»: {e}", path.display());
            return 2;
        }
        if super::chatty() {
            println!("записан {} (исправлений: {revisions})", path.display());
        }
        written += 1;
    }
    if written == 0 {
        eprintln!("изменений относительно «{rev}» нет: документ с исправлениями не нужен");
    }
    0
}
