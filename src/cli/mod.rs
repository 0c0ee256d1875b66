//! The command line: `check`, `build`, `schema`, `new`, the reviewers'
//! `diff`, `textconv`, `fmt`, and the sign-off's `register`, `journal`, `verify`. Exit codes: 0 clean,
//! 1 errors (or warnings under `--deny-warnings`), 2 usage or I/O.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diag::{self, Diagnostic, Sources};
use crate::project::{Documents, Options, Project};

mod review;
mod signoff;

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

/// The command line with its help in Russian: clap's own headings, flags and
/// "[default: …]" notes are replaced here, in one place.
pub fn command() -> clap::Command {
    use clap::{Arg, ArgAction, CommandFactory};
    fn russian(cmd: clap::Command, prefix: &str) -> clap::Command {
        let cmd = cmd
            .help_template("{about-with-newline}\nИспользование: {usage}\n\n{all-args}{after-help}")
            .subcommand_help_heading("Команды")
            .subcommand_value_name("КОМАНДА")
            .disable_help_flag(true)
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("Показать эту справку")
                    .help_heading("Параметры"),
            )
            .mut_args(|a| {
                let a = if a.get_action().takes_values() {
                    a.hide_default_value(true).hide_possible_values(true)
                } else {
                    a
                };
                if a.get_help_heading().is_none() {
                    let heading = if a.is_positional() {
                        "Аргументы"
                    } else {
                        "Параметры"
                    };
                    a.help_heading(heading)
                } else {
                    a
                }
            });
        // clap's usage line says «[OPTIONS]»: spell it out in Russian.
        let name = format!("{prefix}{}", cmd.get_name());
        let positionals: Vec<String> = cmd
            .get_positionals()
            .map(|p| {
                let v = p
                    .get_value_names()
                    .and_then(|v| v.first())
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| p.get_id().to_string());
                if p.is_last_set() {
                    format!("[-- {v}…]")
                } else if p.is_required_set() {
                    v
                } else {
                    format!("[{v}…]")
                }
            })
            .collect();
        let usage = if cmd.has_subcommands() {
            format!("{name} <КОМАНДА>")
        } else {
            format!("{name} [ПАРАМЕТРЫ] {}", positionals.join(" "))
        };
        let sub_prefix = format!("{name} ");
        cmd.override_usage(usage.trim_end().to_string())
            .mut_subcommands(|c| russian(c, &sub_prefix))
    }
    let cmd = Cli::command().disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("Показать версию"),
    );
    russian(cmd, "")
}

/// Parses the process arguments with [`command`]; usage errors are told in
/// Russian and end the process with code 2.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    use clap::error::{ContextKind, ErrorKind};
    let result = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            let ctx = |k| e.get(k).map(|v| v.to_string()).unwrap_or_default();
            let message = match e.kind() {
                ErrorKind::UnknownArgument => {
                    format!("неизвестный параметр «{}»", ctx(ContextKind::InvalidArg))
                }
                ErrorKind::InvalidSubcommand => {
                    let hint = ctx(ContextKind::SuggestedSubcommand);
                    let hint = if hint.is_empty() {
                        String::new()
                    } else {
                        format!("; возможно, имелось в виду «{hint}»")
                    };
                    format!(
                        "неизвестная команда «{}»{hint}",
                        ctx(ContextKind::InvalidSubcommand)
                    )
                }
                ErrorKind::InvalidValue => format!(
                    "недопустимое значение «{}» для {}; возможные: {}",
                    ctx(ContextKind::InvalidValue),
                    ctx(ContextKind::InvalidArg),
                    ctx(ContextKind::ValidValue)
                ),
                ErrorKind::MissingRequiredArgument => format!(
                    "не указан обязательный аргумент {}",
                    ctx(ContextKind::InvalidArg)
                ),
                ErrorKind::MissingSubcommand
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    "не указана команда: check, build, diff, fmt, explain, schema, new или textconv"
                        .to_string()
                }
                _ => e.to_string().trim().to_string(),
            };
            eprintln!("ошибка: {message}\nсправка: prikaz --help");
            std::process::exit(2);
        }
    }
}

/// Runs the CLI and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(a) => check(a),
        Command::Build(a) => build(a),
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
        Command::New(a) => new(a),
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
            let mut err = StandardStream::stderr(color_choice(color));
            let _ = diag::emit(&mut err, sources, diags);
            let _ = writeln!(err, "{}", diag::summary(diag::count(diags), files));
        }
    }
}

fn check(a: CheckArgs) -> i32 {
    let paths = default_paths(a.paths);
    let project = open(&paths);
    let analysis = project.analyze(Options::default());
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
        let analysis = project.analyze(Options { final_ });
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

/// `build`: check first (errors stop the build with the same diagnostics as
/// `check`), then resolve and render every document into `--out`, with
/// `manifest.json` next to them.
fn build(a: BuildArgs) -> i32 {
    let paths = default_paths(a.paths.clone());
    let (project, prepared) = match prepare(&paths, a.final_, a.color) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut docs = prepared.docs.clone();
    if let Some(rev) = &a.compare {
        docs = match review::comparison_documents(rev, &paths, &docs) {
            Ok(d) => d,
            Err(code) => return code,
        };
    }
    let engine = match engine(a.templates.as_deref(), &a.font_path) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let formats = formats_of(a.target);
    let settings = crate::render::pdf::PdfSettings { pdfa: a.pdfa };
    let started = std::time::Instant::now();
    match crate::build::build_all(&engine, &docs, &a.out, formats, settings) {
        Ok(written) => {
            for w in &written {
                match w.pages {
                    Some(p) => println!("записан {} ({p} стр.)", w.path.display()),
                    None => println!("записан {}", w.path.display()),
                }
            }
            // The comparison tables are for reviewers, not the signed-off set.
            if a.compare.is_none() {
                let settings = crate::records::manifest::Settings {
                    final_: a.final_,
                    pdfa: a.pdfa,
                };
                match crate::records::manifest::write(
                    &project, &prepared, &written, &a.out, settings,
                ) {
                    Ok(p) => println!("записан {}", p.display()),
                    Err(e) => {
                        eprintln!("ошибка: {e}");
                        return 1;
                    }
                }
            }
            eprintln!(
                "собрано документов: {}, файлов: {} за {} мс",
                docs.len(),
                written.len(),
                started.elapsed().as_millis()
            );
            0
        }
        Err(errors) => {
            let mut err = StandardStream::stderr(color_choice(a.color));
            for e in &errors {
                match e.template_diagnostics() {
                    Some((d, s)) => {
                        let _ = diag::emit(&mut err, s, d);
                    }
                    None => {
                        let _ = writeln!(err, "ошибка: {e}");
                    }
                }
            }
            1
        }
    }
}

/// The scaffold of `prikaz new`: a registry (if the repository has none), an
/// order and its appendix that pass `check`.
fn new(a: NewArgs) -> i32 {
    let date = match &a.date {
        Some(d) => match crate::plan::parse_date(d) {
            Some(d) => d,
            None => {
                eprintln!("ошибка: некорректная дата «{d}»: ожидается ГГГГ-ММ-ДД");
                return 2;
            }
        },
        None => today(),
    };
    match scaffold(&a.dir, date) {
        Ok(written) => {
            for w in written {
                println!("создан {}", w.display());
            }
            0
        }
        Err(e) => {
            eprintln!("ошибка: {e}");
            2
        }
    }
}

/// Today's date (UTC) from the system clock: only `new` asks for it; documents never do.
fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    chrono::NaiveDate::from_num_days_from_ce_opt(719_163 + days as i32).unwrap_or_default()
}

pub fn scaffold(dir: &Path, date: chrono::NaiveDate) -> Result<Vec<PathBuf>, String> {
    use chrono::Datelike;
    if dir.exists()
        && dir
            .read_dir()
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "каталог «{}» уже существует и не пуст",
            dir.display()
        ));
    }
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| "укажите имя каталога".to_string())?;
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("не удаётся создать «{}»: {e}", dir.display()))?;
    let school_start = if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    };
    let mut written = Vec::new();
    let plans_root = dir.parent().unwrap_or(Path::new("."));
    let has_registry = walkdir::WalkDir::new(plans_root)
        .max_depth(3)
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| {
            e.file_type().is_file()
                && std::fs::read_to_string(e.path())
                    .is_ok_and(|t| t.lines().any(|l| l.trim() == "kind: registry"))
        });
    if !has_registry {
        let reg = plans_root.join("registry.yaml");
        std::fs::write(&reg, REGISTRY_TEMPLATE)
            .map_err(|e| format!("не удаётся записать «{}»: {e}", reg.display()))?;
        written.push(reg);
    }
    let order = ORDER_TEMPLATE
        .replace("{id}", &id)
        .replace("{date}", &date.format("%Y-%m-%d").to_string())
        .replace(
            "{period}",
            &format!("{}/{}", school_start, school_start + 1),
        )
        .replace(
            "{deadline}",
            &crate::lang::morph::date_numeric(date + chrono::Days::new(30)),
        );
    let appendix = APPENDIX_TEMPLATE.replace("{id}", &id).replace("{month}", &{
        let d = date + chrono::Days::new(30);
        format!(
            "{} {}",
            crate::lang::deadline::MONTHS_NOM[d.month0() as usize],
            d.year()
        )
    });
    for (name, text) in [("order.yaml", order), ("appendix.yaml", appendix)] {
        let p = dir.join(name);
        std::fs::write(&p, text)
            .map_err(|e| format!("не удаётся записать «{}»: {e}", p.display()))?;
        written.push(p);
    }
    Ok(written)
}

const REGISTRY_TEMPLATE: &str = r#"# Реестр: органы, люди, должности, учреждения, сокращения.
kind: registry
organisations:
  - id: ministry
    name: Министерство образования и науки области
    short: Министерство
    cases:
      gen: Министерства образования и науки области
      dat: Министерству образования и науки области
    place: г. Город
    letterhead:
      - МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ ОБЛАСТИ
    registers: [ОД]
positions:
  - id: minister
    name: министр
    cases: { gen: министра, dat: министру, acc: министра, ins: министром }
  - id: deputy-minister
    name: заместитель министра
    cases: { gen: заместителя министра, dat: заместителю министра, acc: заместителя министра, ins: заместителем министра }
people:
  - id: minister
    surname: Иванов
    name: Иван
    patronymic: Иванович
    gender: м
    positions:
      - { position: minister, org: ministry, from: 2020-01-01 }
  - id: deputy
    surname: Петрова
    name: Мария
    patronymic: Сергеевна
    gender: ж
    phone: 8 (000) 000-00-00
    positions:
      - { position: deputy-minister, org: ministry, from: 2020-01-01 }
institutions: []
abbreviations: []
"#;

const ORDER_TEMPLATE: &str = r#"kind: order
id: {id}
issuer: ministry
date: {date}
status: draft
period: "{period}"
title: Об утверждении плана мероприятий
preamble: >-
  В целях организации работы
clauses:
  - id: approve
    text: Утвердить план мероприятий ({{ appendix("{id}-plan") }}).
  - id: report
    text: Представить отчёт о выполнении плана
    deadline: до {deadline}
control: { person: deputy }
signatory: minister
executor: deputy
appendices: [{id}-plan]
"#;

const APPENDIX_TEMPLATE: &str = r#"kind: appendix
id: {id}-plan
title: План мероприятий
blocks:
  - activities:
      numbering: hierarchical
      columns:
        - { key: activity, title: Мероприятие }
        - { key: deadline, title: Срок, type: deadline }
        - { key: responsible, title: Ответственный }
      sections:
        - title: Организационные мероприятия
          rows:
            - id: meeting
              activity: Совещание с исполнителями плана
              deadline: {month}
              responsible: Министерство
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_definition_is_consistent() {
        super::command().debug_assert();
    }

    #[test]
    fn help_is_in_russian() {
        let mut cmd = super::command();
        let help = cmd.render_help().to_string();
        assert!(
            help.contains("Использование:") && help.contains("Команды"),
            "{help}"
        );
        let build = cmd
            .find_subcommand_mut("build")
            .expect("build")
            .render_help()
            .to_string();
        for english in ["Usage", "Options", "Arguments", "Print help", "[default"] {
            assert!(!build.contains(english), "«{english}» in:\n{build}");
        }
    }
}
