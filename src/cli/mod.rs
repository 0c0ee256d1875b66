//! The command line: `check`, `build`, `schema`, `new`, the reviewers'
//! `diff`, `textconv`, `fmt`, and the sign-off's `register`, `journal`, `verify`. Exit codes: 0 clean,
//! 1 errors (or warnings under `--deny-warnings`), 2 usage or I/O.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};

use crate::diag::{self, Diagnostic, Sources};
use crate::project::Options;
use crate::project::root::Scope;

mod build;
mod help;
mod hook;
mod import;
mod manifest;
mod new;
mod prepare;
mod progress;
mod review;
mod schema;
mod serve;
mod signoff;
mod stdin;
mod verify;

pub use help::{command, parse};
pub use prepare::{analyse, in_scope, open};

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
    /// Тише: только диагностики и ошибки, без строк «записан …» и итогов
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Подробнее: где найден корень репозитория, что загружено и сколько заняло
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// How much the commands say besides diagnostics: set once from `-q`/`-v`.
static LOUDNESS: std::sync::atomic::AtomicI8 = std::sync::atomic::AtomicI8::new(0);

/// Whether lines that are not diagnostics («записан …», «итого: …») are shown.
pub fn chatty() -> bool {
    LOUDNESS.load(std::sync::atomic::Ordering::Relaxed) >= 0
}

/// Whether `-v` asked for the details.
pub fn verbose() -> bool {
    LOUDNESS.load(std::sync::atomic::Ordering::Relaxed) > 0
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Проверить планы и сообщить об ошибках с точным местом
    Check(CheckArgs),
    /// Проверить планы и собрать документы (PDF и DOCX) в каталог out/
    Build(BuildArgs),
    /// Вывести JSON Schema формата планов (для подсказок в редакторе)
    Schema(SchemaArgs),
    /// Создать заготовку приказа с приложением, которая проходит проверку
    New(NewArgs),
    /// Превратить документ Word, OpenDocument или текст в черновик плана и проверить его
    Import(import::ImportArgs),
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
    Verify(verify::VerifyArgs),
    /// Объяснить код диагностики (пример ошибки и исправления); без кода — список всех
    Explain(ExplainArgs),
    /// Вывести сценарий дополнения команд для оболочки (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Вывести страницу руководства man (prikaz man > prikaz.1)
    Man,
    /// Хук git pre-commit: prikaz hook install
    Hook(hook::HookArgs),
    /// Манифест сборки: prikaz manifest merge (объединить доли build --shard)
    Manifest(manifest::ManifestArgs),
    /// Языковой сервер (LSP) для редактора: диагностики, дополнение, переходы, переименование
    Lsp,
    /// Предпросмотр в браузере: страницы документа и диагностики, обновляются при сохранении
    Preview(serve::PreviewArgs),
    /// Справка по команде
    Help(HelpArgs),
}

#[derive(clap::Args, Debug)]
pub struct SchemaArgs {
    /// Добавить id этого репозитория (лица, органы, приложения, приказы, графы): редактор их дополняет
    #[arg(long)]
    pub repo: bool,
}

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// Оболочка: bash, zsh, fish, elvish или powershell
    #[arg(value_name = "ОБОЛОЧКА")]
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct HelpArgs {
    /// Команда, например build
    #[arg(value_name = "КОМАНДА")]
    pub command: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// Код диагностики, например duplicate-id
    #[arg(value_name = "КОД")]
    pub code: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Файлы или каталоги с планами (по умолчанию весь репозиторий); «-» — план со стандартного ввода
    #[arg(value_name = "ПУТЬ")]
    pub paths: Vec<PathBuf>,
    /// С «-»: какой файл репозитория заменяет текст со стандартного ввода (для редакторов и хуков)
    #[arg(long, value_name = "ФАЙЛ")]
    pub stdin_name: Option<PathBuf>,
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
    /// Каталог для готовых документов (по умолчанию out/ в корне репозитория)
    #[arg(long, value_name = "КАТАЛОГ")]
    pub out: Option<PathBuf>,
    /// Что собирать: pdf, docx или all (по умолчанию оба формата)
    #[arg(long = "format", value_enum, value_name = "ФОРМАТ", default_value_t = Target::All)]
    pub target: Target,
    /// Окончательная редакция: без отметки «ПРОЕКТ»; отказ при ошибках и предупреждениях
    #[arg(long = "final")]
    pub final_: bool,
    /// С --final: окончательная редакция только подписанных и зарегистрированных; проекты пропускаются, а не считаются ошибкой
    #[arg(long, requires = "final_")]
    pub signed_only: bool,
    /// Собрать только долю K из N документов (по хешу id: для нескольких раннеров CI; затем prikaz manifest merge)
    #[arg(long, value_name = "K/N", value_parser = shard_arg)]
    pub shard: Option<crate::build::Shard>,
    /// PDF/A-2b для архивного хранения
    #[arg(long)]
    pub pdfa: bool,
    /// Дополнительный каталог шрифтов (по умолчанию — только встроенные)
    #[arg(long, value_name = "КАТАЛОГ")]
    pub font_path: Vec<PathBuf>,
    /// Каталог шаблонов оформления (по умолчанию templates/, если он есть)
    #[arg(long, value_name = "КАТАЛОГ")]
    pub templates: Option<PathBuf>,
    /// Собрать все документы заново, даже те, что не изменились со сборки,
    /// записанной в manifest.json
    #[arg(long)]
    pub force: bool,
    /// Вместо документов собрать сравнительную таблицу изменений относительно ревизии git
    #[arg(long, value_name = "РЕВИЗИЯ")]
    pub compare: Option<String>,
    /// С --compare: вместо сравнительной таблицы — DOCX новой редакции с изменениями как
    /// исправлениями Word (рецензирование: принять или отклонить)
    #[arg(long, requires = "compare")]
    pub tracked: bool,
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
    /// Издающий орган: id из реестра (по умолчанию первый, в котором есть должностные лица)
    #[arg(long, value_name = "ID")]
    pub issuer: Option<String>,
    /// Подписывающий: id лица из реестра (по умолчанию первое лицо органа в должности на дату)
    #[arg(long, value_name = "ID")]
    pub signatory: Option<String>,
    /// Исполнитель: id лица из реестра (по умолчанию следующее лицо органа)
    #[arg(long, value_name = "ID")]
    pub executor: Option<String>,
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
    let loudness = if cli.quiet { -1 } else { i8::from(cli.verbose) };
    LOUDNESS.store(loudness, std::sync::atomic::Ordering::Relaxed);
    match cli.command {
        Command::Check(a) => check(a),
        Command::Build(a) => build::build(a),
        Command::Schema(a) => {
            let mut schema = crate::plan::json_schema();
            if a.repo {
                let (project, _) = match open(&[]) {
                    Ok(p) => p,
                    Err(code) => return code,
                };
                schema = crate::plan::with_ids(schema, &schema::repo_ids(&project));
            }
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
        Command::Import(a) => import::import(a),
        Command::Diff(a) => review::diff(a),
        Command::Textconv(a) => review::textconv(a),
        Command::Fmt(a) => review::fmt(a),
        Command::Register(a) => signoff::register(a),
        Command::Journal(a) => signoff::journal(a),
        Command::Verify(a) => verify::verify(a),
        Command::Explain(a) => explain(a),
        Command::Completions(a) => {
            let mut stdout = std::io::stdout().lock();
            clap_complete::generate(a.shell, &mut command(), "prikaz", &mut stdout);
            0
        }
        Command::Hook(a) => hook::hook(a),
        Command::Manifest(a) => manifest::manifest(a),
        Command::Lsp => serve::lsp(),
        Command::Preview(a) => serve::preview(&a),
        Command::Man => {
            let mut stdout = std::io::stdout().lock();
            match clap_mangen::Man::new(command()).render(&mut stdout) {
                Ok(()) => 0,
                // `prikaz man | head`: the reader has what it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    eprintln!("ошибка: {e}");
                    2
                }
            }
        }
        Command::Help(a) => {
            let mut cmd = command();
            let found = match &a.command {
                None => Some(cmd.render_help()),
                Some(name) => cmd.find_subcommand_mut(name).map(|c| c.render_help()),
            };
            match found {
                Some(help) => {
                    println!("{help}");
                    0
                }
                None => {
                    let name = a.command.unwrap_or_default();
                    let hint =
                        diag::closest(&name, command().get_subcommands().map(|c| c.get_name()))
                            .map(|c| format!("; возможно, имелось в виду «{c}»"))
                            .unwrap_or_default();
                    eprintln!("ошибка: неизвестная команда «{name}»{hint}\nсправка: prikaz --help");
                    2
                }
            }
        }
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

/// `paths`, or the plans folder of the repository the current folder is in
/// (`plans/` when there is none).
pub fn repo_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if !paths.is_empty() {
        return paths;
    }
    match Scope::of(&[]).ok().and_then(|s| s.layout) {
        Some(l) => vec![shown(&l.plans)],
        None => vec![PathBuf::from("plans")],
    }
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
            if chatty() {
                let _ = writeln!(err, "{}", diag::summary(diag::count(diags), files));
            }
        }
    }
}

fn check(a: CheckArgs) -> i32 {
    let opened = if stdin::is_stdin(&a.paths) {
        stdin::read_all()
            .and_then(|bytes| stdin::project(bytes, a.stdin_name.as_deref()))
            .map(|(p, f)| (p, None, Some(f)))
    } else {
        open(&a.paths).map(|(p, s)| (p, Some(s), None))
    };
    let (project, scope, piped) = match opened {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut cache = prepare::cache_for(scope.as_ref());
    let analysis = project.analyze_with(
        Options::check(),
        &mut cache,
        &crate::project::Wants::everything(false),
    );
    cache.save();
    let (diags, files) = match (&scope, piped) {
        (Some(scope), _) => {
            // The files checked for the clerk: those named (the registry is
            // read, not checked, when one plan is).
            let files = (0..project.sources().len())
                .filter(|&f| scope.covers(project.sources().name(f)))
                .count();
            (in_scope(&project, scope, &analysis.diags), files)
        }
        (None, Some(fid)) => {
            let own: Vec<Diagnostic> = analysis
                .diags
                .iter()
                .filter(|d| d.span.is_none_or(|s| s.file == fid))
                .cloned()
                .collect();
            (own, 1)
        }
        (None, None) => (analysis.diags.clone(), project.sources().len()),
    };
    let diags = &diags;
    report(project.sources(), diags, a.format, a.color, files);
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

/// The PDF engine with the templates directory (the repository's
/// `templates/` when present) and extra font directories.
pub fn engine(
    templates: Option<&Path>,
    font_path: &[PathBuf],
) -> Result<crate::render::pdf::Engine, i32> {
    let mut engine = crate::render::pdf::Engine::new();
    let templates = templates.map(Path::to_path_buf).or_else(|| {
        let here = Scope::of(&[]).ok().and_then(|s| s.layout);
        let t = here.map_or_else(|| PathBuf::from("templates"), |l| shown(&l.templates));
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

/// `p` relative to the current folder when it lies inside it (as a clerk
/// would type it), otherwise as it is.
pub fn shown(p: &Path) -> PathBuf {
    let cwd = crate::project::root::absolute(Path::new("."));
    match p.strip_prefix(&cwd) {
        Ok(r) if r.as_os_str().is_empty() => PathBuf::from("."),
        Ok(r) => r.to_path_buf(),
        Err(_) => p.to_path_buf(),
    }
}

fn shard_arg(s: &str) -> Result<crate::build::Shard, String> {
    crate::build::Shard::parse(s)
        .ok_or_else(|| format!("«{s}»: ожидается K/N, 1 ≤ K ≤ N, например 2/4"))
}

pub fn formats_of(t: Target) -> crate::build::Formats {
    crate::build::Formats {
        pdf: matches!(t, Target::Pdf | Target::All),
        docx: matches!(t, Target::Docx | Target::All),
    }
}
