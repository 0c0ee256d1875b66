//! The command line: `check`, `build`, `schema`, `new`, the reviewers'
//! `diff`, `textconv`, `fmt`, and the sign-off's `register`, `journal`, `verify`. Exit codes: 0 clean,
//! 1 errors (or warnings under `--deny-warnings`), 2 usage or I/O.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};

use crate::diag::{self, Diagnostic, Sources};
use crate::project::{Documents, Options, Project};

mod build;
mod help;
mod new;
mod review;
mod signoff;

pub use help::{command, parse};

#[derive(Parser, Debug)]
#[command(
    name = "prikaz",
    version,
    about = "Приказы как код: планы в YAML превращаются в приказы с приложениями (PDF и DOCX)",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Проверить планы и сообщить об ошибках с точным местом
    Check(CheckArgs),
    /// Проверить планы и собрать документы (PDF и DOCX) в каталог out/
    Build(BuildArgs),
    /// Вывести JSON Schema формата планов (для подсказок в редакторе)
    Schema,
    /// Создать заготовку приказа с приложением, которая проходит проверку
    New(NewArgs),
    /// Показать изменения в документах между ревизиями git или двумя файлами
    Diff(review::DiffArgs),
    /// Текст документа с номерами для git diff (драйвер textconv)
    Textconv(review::TextconvArgs),
    /// Привести файлы планов к единому оформлению (комментарии сохраняются)
    Fmt(review::FmtArgs),
    /// Присвоить подписанному приказу следующий регистрационный номер
    Register(signoff::RegisterArgs),
    /// Журнал регистрации приказов: таблица, CSV, PDF или DOCX
    Journal(signoff::JournalArgs),
    /// Пересобрать документы и сверить с out/manifest.json
    Verify(signoff::VerifyArgs),
    /// Объяснить код диагностики (пример ошибки и исправления); без кода — список всех
    Explain(ExplainArgs),
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// Код диагностики, например duplicate-id
    #[arg(value_name = "КОД")]
    pub code: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Файлы или каталоги с планами (по умолчанию plans/)
    #[arg(value_name = "ПУТЬ")]
    pub paths: Vec<PathBuf>,
    /// Формат вывода: human (для человека, по умолчанию) или json (по объекту на строку)
    #[arg(long, value_enum, value_name = "ВИД", default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Считать предупреждения ошибками (код выхода 1)
    #[arg(long)]
    pub deny_warnings: bool,
    /// Цвет: auto (только в терминале, по умолчанию), always, never
    #[arg(long, value_enum, value_name = "КОГДА", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Файлы или каталоги с планами (по умолчанию plans/)
    #[arg(value_name = "ПУТЬ")]
    pub paths: Vec<PathBuf>,
    /// Каталог для готовых документов (по умолчанию out/)
    #[arg(long, value_name = "КАТАЛОГ", default_value = "out")]
    pub out: PathBuf,
    /// Что собирать: pdf, docx или all (по умолчанию оба формата)
    #[arg(long = "format", value_enum, value_name = "ФОРМАТ", default_value_t = Target::All)]
    pub target: Target,
    /// Окончательная редакция: без отметки «ПРОЕКТ»; отказ при ошибках и предупреждениях
    #[arg(long = "final")]
    pub final_: bool,
    /// PDF/A-2b для архивного хранения
    #[arg(long)]
    pub pdfa: bool,
    /// Дополнительный каталог шрифтов (по умолчанию — только встроенные)
    #[arg(long, value_name = "КАТАЛОГ")]
    pub font_path: Vec<PathBuf>,
    /// Каталог шаблонов оформления (по умолчанию templates/, если он есть)
    #[arg(long, value_name = "КАТАЛОГ")]
    pub templates: Option<PathBuf>,
    /// Вместо документов собрать сравнительную таблицу изменений относительно ревизии git
    #[arg(long, value_name = "РЕВИЗИЯ")]
    pub compare: Option<String>,
    /// Цвет: auto (только в терминале, по умолчанию), always, never
    #[arg(long, value_enum, value_name = "КОГДА", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// Каталог нового плана, например plans/2025-mon-plan
    #[arg(value_name = "КАТАЛОГ")]
    pub dir: PathBuf,
    /// Дата приказа (ГГГГ-ММ-ДД); по умолчанию сегодня
    #[arg(long, value_name = "ГГГГ-ММ-ДД")]
    pub date: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Target {
    Pdf,
    Docx,
    All,
}

/// Runs the CLI and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(a) => check(a),
        Command::Build(a) => build::build(a),
        Command::Schema => {
            let schema = crate::plan::json_schema();
            match serde_json::to_string_pretty(&schema) {
                Ok(s) => {
                    println!("{s}");
                    0
                }
                Err(e) => {
                    eprintln!("ошибка: {e}");
                    2
                }
            }
        }
        Command::New(a) => new::new(a),
        Command::Diff(a) => review::diff(a),
        Command::Textconv(a) => review::textconv(a),
        Command::Fmt(a) => review::fmt(a),
        Command::Register(a) => signoff::register(a),
        Command::Journal(a) => signoff::journal(a),
        Command::Verify(a) => signoff::verify(a),
        Command::Explain(a) => explain(a),
    }
}

/// `explain CODE`: the code's summary and its explanation; with no code,
/// every code with its summary.
fn explain(a: ExplainArgs) -> i32 {
    use crate::diag::Code;
    let Some(name) = a.code else {
        for c in Code::ALL {
            println!("{:<32} {}", c.as_str(), c.summary());
        }
        return 0;
    };
    match Code::from_name(name.trim()) {
        Some(c) => {
            println!("{} — {}\n\n{}", c.as_str(), c.summary(), c.explanation());
            0
        }
        None => {
            let hint = diag::closest(name.trim(), Code::ALL.iter().map(|c| c.as_str()))
                .map(|c| format!("; возможно, имелось в виду «{c}»"))
                .unwrap_or_default();
            eprintln!("ошибка: неизвестный код «{name}»{hint}\nсписок кодов: prikaz explain");
            2
        }
    }
}

pub fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("plans")]
    } else {
        paths
    }
}

/// The project of `paths`, file names shown relative to the current directory.
pub fn open(paths: &[PathBuf]) -> Project {
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Project::open(paths, &root)
}

pub fn color_choice(c: ColorWhen) -> ColorChoice {
    match c {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            }
        }
    }
}

pub fn report(
    sources: &Sources,
    diags: &[Diagnostic],
    format: OutputFormat,
    color: ColorWhen,
    files: usize,
) {
    match format {
        OutputFormat::Json => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            for d in diags {
                let _ = writeln!(lock, "{}", diag::to_json(sources, d));
            }
        }
        OutputFormat::Human => {
            let mut err = BufferedStandardStream::stderr(color_choice(color));
            let _ = diag::emit(&mut err, sources, diags);
            let _ = writeln!(err, "{}", diag::summary(diag::count(diags), files));
        }
    }
}

fn check(a: CheckArgs) -> i32 {
    let paths = default_paths(a.paths);
    let project = open(&paths);
    let analysis = project.analyze(Options::check());
    let diags = &analysis.diags;
    report(
        project.sources(),
        diags,
        a.format,
        a.color,
        project.sources().len(),
    );
    let c = diag::count(diags);
    if project.nothing_read() {
        return 2;
    }
    let code = if c.errors > 0 || (a.deny_warnings && c.warnings > 0) {
        1
    } else {
        0
    };
    // The process ends next: freeing a large repository's plans one
    // allocation at a time took a fifth of `check`'s time, for nothing.
    std::mem::forget(analysis);
    std::mem::forget(project);
    code
}

/// Checks and resolves the documents of `paths` for the backends; `Err` is
/// the exit code after the diagnostics were shown.
pub fn prepare(
    paths: &[PathBuf],
    final_: bool,
    color: ColorWhen,
) -> Result<(Project, Documents), i32> {
    let project = open(paths);
    let docs = {
        let analysis = project.analyze(Options::build(final_));
        let show = |diags: &[Diagnostic]| {
            report(
                project.sources(),
                diags,
                OutputFormat::Human,
                color,
                project.sources().len(),
            )
        };
        if project.nothing_read() {
            show(&analysis.diags);
            return Err(2);
        }
        if !analysis.diags.is_empty() {
            show(&analysis.diags);
        }
        if !analysis.buildable() {
            if final_ {
                if analysis.counts().errors == 0 {
                    eprintln!(
                        "окончательная редакция (--final) не собирается, пока есть предупреждения"
                    );
                } else {
                    eprintln!(
                        "окончательная редакция (--final) не собирается: исправьте то, что указано выше"
                    );
                }
            }
            return Err(1);
        }
        analysis.into_documents()
    };
    Ok((project, docs))
}

/// The PDF engine with the templates directory (`templates/` when present)
/// and extra font directories.
pub fn engine(
    templates: Option<&Path>,
    font_path: &[PathBuf],
) -> Result<crate::render::pdf::Engine, i32> {
    let mut engine = crate::render::pdf::Engine::new();
    let templates = templates.map(Path::to_path_buf).or_else(|| {
        let t = PathBuf::from("templates");
        t.is_dir().then_some(t)
    });
    if let Some(t) = templates
        && let Err(e) = engine.add_template_dir(&t)
    {
        eprintln!("ошибка: {e}");
        return Err(2);
    }
    if !font_path.is_empty()
        && let Err(e) = engine.add_font_dirs(font_path)
    {
        eprintln!("ошибка: {e}");
        return Err(2);
    }
    Ok(engine)
}

pub fn formats_of(t: Target) -> crate::build::Formats {
    crate::build::Formats {
        pdf: matches!(t, Target::Pdf | Target::All),
        docx: matches!(t, Target::Docx | Target::All),
    }
}
