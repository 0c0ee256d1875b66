//! `prikaz verify`: the files of `out/` against their manifest and against
//! a rebuild from the plans.

use std::path::PathBuf;

use super::ColorWhen;

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Файлы или каталоги с планами (по умолчанию plans/)
    #[arg(value_name = "ПУТЬ")]
    pub paths: Vec<PathBuf>,
    /// Каталог собранных документов с manifest.json (по умолчанию out/)
    #[arg(long, value_name = "КАТАЛОГ", default_value = "out")]
    pub out: PathBuf,
    /// Пересобрать каждый документ и сравнить байт в байт, а не только те,
    /// чьи входные данные изменились со сборки
    #[arg(long)]
    pub rebuild: bool,
}

/// `verify`: rebuild in memory and compare with `manifest.json` and with
/// the files on disk.
pub fn verify(a: VerifyArgs) -> i32 {
    let m = match crate::records::manifest::read(&a.out) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return 2;
        }
    };
    use super::prepare::Edition;
    let edition = Edition::of(m.final_, m.signed_only);
    let engine = match super::engine(None, &[]) {
        Ok(e) => e,
        Err(c) => return c,
    };
    let settings = crate::render::pdf::PdfSettings { pdfa: m.pdfa };
    let formats = crate::build::Formats {
        pdf: m.outputs.iter().any(|o| o.file.ends_with(".pdf")),
        docx: m.outputs.iter().any(|o| o.file.ends_with(".docx")),
    };
    // Documents whose inputs are as recorded would render to the recorded
    // bytes (output is deterministic): only the others are made and
    // rendered, unless --rebuild asks for every one. Each is hashed and
    // dropped as it is made.
    let previous = crate::records::manifest::recorded(&m);
    let job = crate::build::Job {
        engine: &engine,
        formats,
        settings,
        out_dir: &a.out,
        previous: &previous,
        force: a.rebuild,
        write: false,
        engine_id: engine.identity_all(),
        final_: m.final_,
    };
    let (project, scope) = match super::open(&a.paths) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let mut analysis = match super::analyse(&project, &scope, edition, m.pdfa, ColorWhen::Auto) {
        Ok(a) => a,
        Err(c) => return c,
    };
    // A shard's manifest vouches for its share of the documents only.
    if let Some(shard) = m.shard {
        analysis.entries.retain(|d| shard.holds(&d.id));
    }
    let built = match super::build::render_stale(&job, &analysis, false).0 {
        Ok(b) => b,
        Err(errors) => {
            for e in &errors {
                eprintln!("ошибка: {e}");
            }
            return 1;
        }
    };
    let remade = built.records.iter().filter(|r| !r.kept).count();
    let rebuilt = crate::records::manifest::manifest(
        &project,
        &analysis.document_sources(),
        &built.records,
        crate::records::manifest::Settings {
            final_: m.final_,
            pdfa: m.pdfa,
            signed_only: m.signed_only,
            shard: m.shard,
        },
    );
    let mut problems = Vec::new();
    for o in &m.outputs {
        let Some(r) = rebuilt.outputs.iter().find(|r| r.file == o.file) else {
            problems.push(format!("{}: документа больше нет в планах", o.file));
            continue;
        };
        for s in &o.sources {
            match r.sources.iter().find(|x| x.path == s.path) {
                Some(x) if x.sha256 != s.sha256 => problems.push(format!(
                    "{}: источник {} изменён после сборки",
                    o.file, s.path
                )),
                None => problems.push(format!("{}: источника {} больше нет", o.file, s.path)),
                _ => {}
            }
        }
        if r.sha256 != o.sha256 {
            let short = |h: &str| h.chars().take(12).collect::<String>();
            problems.push(format!(
                "{}: пересборка даёт другой файл (sha256 {} вместо {})",
                o.file,
                short(&r.sha256),
                short(&o.sha256)
            ));
        }
        match std::fs::read(a.out.join(&o.file)) {
            Ok(b) if crate::records::manifest::sha256_hex(&b) != o.sha256 => {
                problems.push(format!(
                    "{}: файл в {} не совпадает с manifest.json",
                    o.file,
                    a.out.display()
                ))
            }
            Ok(_) => {}
            Err(_) => problems.push(format!("{}: файла нет в {}", o.file, a.out.display())),
        }
    }
    for r in &rebuilt.outputs {
        if !m.outputs.iter().any(|o| o.file == r.file) {
            problems.push(format!("{}: документ не входит в manifest.json", r.file));
        }
    }
    if m.commit != rebuilt.commit {
        eprintln!(
            "примечание: сборка сделана из коммита {}, сейчас {}",
            m.commit.as_deref().unwrap_or("—"),
            rebuilt.commit.as_deref().unwrap_or("—")
        );
    }
    for t in crate::build::temporaries(&a.out, 0) {
        problems.push(format!(
            "{}: временный файл прерванной сборки; удалите его или пересоберите",
            t.display()
        ));
    }
    if problems.is_empty() {
        let how = match remade {
            n if n == m.outputs.len() => "и пересобираются байт в байт".to_string(),
            0 => "; входные данные не менялись со сборки (--rebuild пересоберёт все)".to_string(),
            n => format!(
                "; пересобрано байт в байт: {n}, входные данные остальных не менялись \
                 (--rebuild пересоберёт все)"
            ),
        };
        println!(
            "проверено файлов: {}; все совпадают с manifest.json{}{how}",
            m.outputs.len(),
            if how.starts_with(';') { "" } else { " " }
        );
        0
    } else {
        for p in &problems {
            eprintln!("расхождение: {p}");
        }
        eprintln!("расхождений: {}", problems.len());
        1
    }
}
