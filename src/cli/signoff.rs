//! Commands of the sign-off: `register`, `journal`, `verify`.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Datelike;
use clap::ValueEnum;

use super::{ColorWhen, OutputFormat, report};
use crate::diag;
use crate::model::{Align, Block, Body, Cell, Document, Meta, Row, Standalone, Table};
use crate::records::journal::{self, JournalRow};
use crate::records::register;

#[derive(clap::Args, Debug)]
pub struct RegisterArgs {
    /// Файл подписанного приказа
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Индекс журнала (по умолчанию первый из registers органа), например ОД
    #[arg(long, value_name = "ИНДЕКС")]
    pub register: Option<String>,
    /// Каталог со всеми планами репозитория (по умолчанию plans/)
    #[arg(long, value_name = "КАТАЛОГ", default_value = "plans")]
    pub plans: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct JournalArgs {
    /// Файлы или каталоги с планами (по умолчанию plans/)
    #[arg(value_name = "ПУТЬ")]
    pub paths: Vec<PathBuf>,
    /// Только приказы этого календарного года
    #[arg(long, value_name = "ГОД")]
    pub year: Option<i32>,
    /// Только приказы этого органа (идентификатор)
    #[arg(long, value_name = "ОРГАН")]
    pub issuer: Option<String>,
    /// table (в терминал), csv, pdf или docx (в каталог --out)
    #[arg(long = "format", value_enum, value_name = "ФОРМАТ", default_value_t = JournalFormat::Table)]
    pub format: JournalFormat,
    /// Каталог для PDF и DOCX (по умолчанию out/); для CSV — каталог для
    /// journal.csv или имя файла .csv (без --out CSV выводится в терминал)
    #[arg(long, value_name = "КАТАЛОГ")]
    pub out: Option<PathBuf>,
    /// Разделитель граф CSV: «;» — как ждёт русский Excel, или «,»
    #[arg(long, value_name = "ЗНАК", default_value = ";")]
    pub separator: char,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum JournalFormat {
    Table,
    Csv,
    Pdf,
    Docx,
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// `register`: the next free number for the issuer, register and year,
/// written into the plan with `status: registered`.
pub fn register(a: RegisterArgs) -> i32 {
    let root = cwd();
    // From reading the journal to writing the number, one run at a time.
    let _lock = match register::Lock::acquire(&a.plans) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "ошибка: не удаётся занять журнал регистрации «{}»: {e}",
                a.plans.display()
            );
            return 2;
        }
    };
    let mut paths = vec![a.plans.clone()];
    if !a.file.starts_with(&a.plans) {
        paths.push(a.file.clone());
    }
    let project = crate::project::Project::open(&paths, &root);
    let analysis = project.analyze(crate::project::Options::check());
    let ws = project.workspace();
    let ix = &analysis.ix;
    let diags = analysis.diags.clone();
    let target = std::fs::canonicalize(&a.file).ok();
    let Some(entry) = ix.orders.values().find(|o| {
        std::fs::canonicalize(root.join(ws.sources.name(o.file))).ok() == target && target.is_some()
    }) else {
        eprintln!(
            "ошибка: «{}» — не приказ (kind: order) или файл не найден",
            a.file.display()
        );
        return 2;
    };
    let o = entry.item;
    // Registration needs a consistent repository: conflicting numbers, or
    // errors in this order, stop it.
    let blocking: Vec<diag::Diagnostic> = diags
        .into_iter()
        .filter(|d| d.is_error())
        .filter(|d| d.code == "number-duplicate" || d.span.is_some_and(|s| s.file == entry.file))
        .collect();
    if !blocking.is_empty() {
        report(
            &ws.sources,
            &blocking,
            OutputFormat::Human,
            ColorWhen::Auto,
            ws.sources.len(),
        );
        eprintln!("ошибка: номер не присвоен: исправьте ошибки выше");
        return 1;
    }
    if let Some(n) = &o.number {
        eprintln!(
            "ошибка: приказ «{}» уже зарегистрирован под номером «{}»",
            o.id.get(),
            n.get().trim()
        );
        return 1;
    }
    let status = o
        .status
        .as_ref()
        .map(|s| *s.get())
        .unwrap_or(crate::plan::Status::Draft);
    if !status.is_signed() {
        eprintln!(
            "ошибка: приказ «{}» не подписан (статус «{}»): регистрируют подписанный приказ",
            o.id.get(),
            status.russian()
        );
        eprintln!("подсказка: после подписания укажите status: signed");
        return 1;
    }
    let org = ix.orgs.get(o.issuer.get().as_str());
    let registers: Vec<String> = org
        .map(|g| {
            g.item
                .registers
                .iter()
                .map(|r| r.get().trim_start_matches('-').to_string())
                .collect()
        })
        .unwrap_or_default();
    let suffix = match (&a.register, registers.first()) {
        (Some(r), _) if registers.is_empty() || registers.contains(r) => r.clone(),
        (Some(r), _) => {
            eprintln!(
                "ошибка: у органа «{}» нет журнала «{r}»; есть: {}",
                o.issuer.get(),
                registers.join(", ")
            );
            return 2;
        }
        (None, Some(first)) => first.clone(),
        (None, None) => String::new(),
    };
    let year = o.date.get().0.year();
    let seq = register::next_number(ix, o.issuer.get(), &suffix, year);
    let number = if suffix.is_empty() {
        seq.to_string()
    } else {
        format!("{seq}-{suffix}")
    };
    let file = root.join(ws.sources.name(entry.file));
    let text = ws.sources.text(entry.file).to_string();
    let new_text = match register::write_registration(&text, &number) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return 1;
        }
    };
    // The file must not have changed under us since it was read.
    if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
        eprintln!(
            "ошибка: файл «{}» изменился во время регистрации; повторите",
            file.display()
        );
        return 1;
    }
    if let Err(e) = crate::build::write_atomic(&file, new_text.as_bytes()) {
        eprintln!("ошибка: не удалось записать {}: {e}", file.display());
        return 2;
    }
    println!(
        "зарегистрирован: приказ «{}» от {} № {number}",
        o.id.get(),
        crate::lang::morph::date_numeric(o.date.get().0)
    );
    0
}

fn journal_rows(
    a: &JournalArgs,
) -> Result<(Vec<JournalRow>, Option<crate::plan::Organisation>), i32> {
    let (project, _) = super::open(&a.paths)?;
    let analysis = project.analyze(crate::project::Options::check());
    if project.nothing_read() {
        report(
            project.sources(),
            &analysis.diags,
            OutputFormat::Human,
            ColorWhen::Auto,
            0,
        );
        return Err(2);
    }
    let ix = &analysis.ix;
    if let Some(i) = &a.issuer
        && !ix.orgs.contains_key(i.as_str())
    {
        let known: Vec<&str> = ix.orgs.keys().copied().collect();
        eprintln!(
            "ошибка: неизвестный орган «{i}»; есть: {}",
            known.join(", ")
        );
        return Err(2);
    }
    let org = a
        .issuer
        .as_deref()
        .and_then(|i| ix.orgs.get(i))
        .map(|e| e.item.clone());
    Ok((journal::journal(ix, a.year, a.issuer.as_deref()), org))
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn shorten(s: &str, max: usize) -> String {
    if width(s) <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// The journal as an aligned table for the terminal.
pub fn journal_table(rows: &[JournalRow]) -> String {
    let head = ["Дата", "Номер", "Заголовок", "Подписал", "Статус"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                crate::lang::morph::date_numeric(r.date),
                r.number.clone(),
                shorten(&r.title, 60),
                r.signatory.replace('\u{a0}', " "),
                r.status.to_string(),
            ]
        })
        .collect();
    let mut w = head.map(width);
    for c in &cells {
        for (i, v) in c.iter().enumerate() {
            w[i] = w[i].max(width(v));
        }
    }
    let line = |c: &[String]| {
        let mut s = String::new();
        for (i, v) in c.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(v);
            if i + 1 < c.len() {
                s.push_str(&" ".repeat(w[i] - width(v)));
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(&head.map(String::from));
    out.push_str(&line(&w.map(|n| "─".repeat(n))));
    for c in &cells {
        out.push_str(&line(c));
    }
    out.push_str(&format!("всего: {}\n", rows.len()));
    out
}

/// The journal as CSV that Excel opens as it is: a UTF-8 byte-order mark
/// (without it Excel reads Cyrillic as cp1251), Russian column names,
/// dates as DD.MM.YYYY and `separator` between cells (`;` for a Russian
/// Excel, whose decimal mark is the comma).
pub fn journal_csv(rows: &[JournalRow], separator: u8) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(separator)
        .from_writer(Vec::new());
    w.write_record(["Дата", "Номер", "Орган", "Заголовок", "Подписал", "Статус"])?;
    for r in rows {
        w.write_record([
            r.date.format("%d.%m.%Y").to_string(),
            r.number.clone(),
            r.issuer.clone(),
            r.title.clone(),
            r.signatory.replace('\u{a0}', " "),
            r.status.to_string(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// The journal as a document for the two backends.
pub fn journal_document(
    rows: &[JournalRow],
    year: Option<i32>,
    org: Option<&crate::plan::Organisation>,
) -> Document {
    let (profile, _) = crate::resolve::profile(org);
    let mut subtitle = String::from("приказов");
    if let Some(o) = org {
        let gen_name = o
            .cases
            .genitive
            .as_ref()
            .map(|g| g.get().clone())
            .unwrap_or_else(|| o.name.get().clone());
        subtitle.push_str(&format!(" {gen_name}"));
    }
    if let Some(y) = year {
        subtitle.push_str(&format!(" за {y} год"));
    }
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Row::Cells {
            id: Some(format!("{}-{}", r.issuer, r.number)),
            cells: vec![
                Cell::text((i + 1).to_string()),
                Cell::text(crate::lang::morph::date_numeric(r.date)),
                Cell::text(r.number.clone()),
                Cell::text(crate::lang::typo::typeset(
                    &r.title,
                    crate::lang::typo::Dash::En,
                )),
                Cell::text(r.signatory.clone()),
                Cell::text(r.status),
            ],
        })
        .collect();
    let stem = match (year, org) {
        (Some(y), Some(o)) => format!("журнал_{y}_{}", o.id.get()),
        (Some(y), None) => format!("журнал_{y}"),
        (None, Some(o)) => format!("журнал_{}", o.id.get()),
        (None, None) => "журнал".to_string(),
    };
    Document {
        id: stem.clone(),
        file_stem: crate::lang::typo::file_stem(&stem),
        meta: Meta {
            title: format!("Журнал регистрации {subtitle}"),
            author: org.map(|o| o.name.get().clone()).unwrap_or_default(),
            language: "ru".into(),
            draft: false,
            date: rows
                .iter()
                .map(|r| r.date.format("%Y-%m-%d").to_string())
                .max(),
        },
        profile,
        body: Body::Standalone(Standalone {
            stamp: Vec::new(),
            title: vec!["ЖУРНАЛ РЕГИСТРАЦИИ".into(), subtitle],
            landscape: true,
            blocks: vec![Block::Table(Table::simple(
                &[
                    ("number", "№ п/п", 5.0, Align::Center),
                    ("date", "Дата", 12.0, Align::Center),
                    ("reg", "Номер", 11.0, Align::Center),
                    ("title", "Заголовок", 50.0, Align::Left),
                    ("signatory", "Подписал", 14.0, Align::Left),
                    ("status", "Статус", 14.0, Align::Left),
                ],
                table_rows,
            ))],
        }),
    }
}

pub fn journal(a: JournalArgs) -> i32 {
    let (rows, org) = match journal_rows(&a) {
        Ok(r) => r,
        Err(c) => return c,
    };
    let mut stdout = std::io::stdout().lock();
    let sep = match a.separator {
        c if c.is_ascii() && c != '"' && c != '\n' => c as u8,
        c => {
            eprintln!(
                "ошибка: разделитель CSV «{c}» должен быть одним знаком ASCII, например «;» или «,»"
            );
            return 2;
        }
    };
    match a.format {
        JournalFormat::Table => {
            let _ = stdout.write_all(journal_table(&rows).as_bytes());
            0
        }
        JournalFormat::Csv => match journal_csv(&rows, sep) {
            Ok(s) => match &a.out {
                None => {
                    let _ = stdout.write_all(s.as_bytes());
                    0
                }
                Some(out) => {
                    // A name ending in .csv is the file; anything else the
                    // folder for journal.csv. Written atomically, as builds.
                    let (dir, name) = match out.extension().is_some_and(|e| e == "csv") {
                        true => (
                            out.parent()
                                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
                            out.file_name().map_or_else(
                                || "journal.csv".into(),
                                |n| n.to_string_lossy().into_owned(),
                            ),
                        ),
                        false => (out.clone(), "journal.csv".to_string()),
                    };
                    let file = crate::build::Rendered {
                        name,
                        bytes: s.into_bytes(),
                        pages: None,
                    };
                    match crate::build::write_set(&dir, &[file]) {
                        Ok(w) => {
                            for w in w {
                                println!("записан {}", w.path.display());
                            }
                            0
                        }
                        Err(e) => {
                            eprintln!("ошибка: {e}");
                            2
                        }
                    }
                }
            },
            Err(e) => {
                eprintln!("ошибка: {e}");
                2
            }
        },
        JournalFormat::Pdf | JournalFormat::Docx => {
            let doc = journal_document(&rows, a.year, org.as_ref());
            let engine = match super::engine(None, &[]) {
                Ok(e) => e,
                Err(c) => return c,
            };
            let formats = crate::build::Formats {
                pdf: a.format == JournalFormat::Pdf,
                docx: a.format == JournalFormat::Docx,
            };
            let settings = crate::render::pdf::PdfSettings { pdfa: false };
            match crate::build::build_all(
                &engine,
                &[doc],
                a.out.as_deref().unwrap_or(Path::new("out")),
                formats,
                settings,
            ) {
                Ok(written) => {
                    for w in written {
                        println!("записан {}", w.path.display());
                    }
                    0
                }
                Err(errors) => {
                    for e in &errors {
                        eprintln!("ошибка: {e}");
                    }
                    if errors.iter().any(|e| e.is_io()) {
                        2
                    } else {
                        1
                    }
                }
            }
        }
    }
}
