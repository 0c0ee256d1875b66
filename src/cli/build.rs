//! `prikaz build`: the documents of the plans as PDF and DOCX in `--out`.

use std::io::Write;

use codespan_reporting::term::termcolor::BufferedStandardStream;

use super::prepare::Edition;
use std::borrow::Cow;

use rayon::prelude::*;

use super::{BuildArgs, analyse, color_choice, engine, formats_of, review};
use crate::diag;
use crate::model::Document;
use crate::project::Entry;

/// `build`: check first (errors stop the build with the same diagnostics as
/// `check`), then resolve and render every document into `--out`, with
/// `manifest.json` next to them.
pub(super) fn build(a: BuildArgs) -> i32 {
    let paths = super::repo_paths(a.paths.clone());
    let edition = Edition::of(a.final_, a.signed_only);
    // The repository's `out/` wherever the command is run.
    let out = a.out.clone().unwrap_or_else(|| {
        crate::project::root::Scope::of(&a.paths)
            .ok()
            .and_then(|s| s.layout)
            .map_or_else(|| "out".into(), |l| super::shown(&l.out))
    });
    let engine = match engine(a.templates.as_deref(), &a.font_path) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let formats = formats_of(a.target);
    let settings = crate::render::pdf::PdfSettings { pdfa: a.pdfa };
    let out_dir = std::path::Path::new(&out);
    // What the last build made, for keeping what did not change; a
    // comparison edition is made whole and leaves the manifest alone.
    let previous = match (a.force, &a.compare) {
        (false, None) => crate::records::manifest::read(out_dir)
            .map(|m| crate::records::manifest::recorded(&m))
            .unwrap_or_default(),
        _ => Default::default(),
    };
    let job = crate::build::Job {
        engine: &engine,
        formats,
        settings,
        out_dir,
        previous: &previous,
        force: a.force,
        write: true,
        engine_id: engine.identity_all(),
        final_: a.final_,
    };
    let (project, scope) = match super::open(&a.paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut analysis = match analyse(&project, &scope, edition, a.pdfa, a.color) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if let Some(shard) = a.shard {
        analysis.entries.retain(|e| shard.holds(&e.id));
    }
    let started = std::time::Instant::now();
    if let (Some(rev), true) = (&a.compare, a.tracked) {
        let new: Vec<Document> = analysis
            .entries
            .par_iter()
            .filter_map(|e| analysis.make(e))
            .collect();
        return review::tracked(rev, &paths, &new, out_dir);
    }
    let (built, made) = if let Some(rev) = &a.compare {
        // A comparison edition is made whole, in memory: a reviewer's few
        // documents, not a repository's.
        let new: Vec<Document> = analysis
            .entries
            .par_iter()
            .filter_map(|e| analysis.make(e))
            .collect();
        let docs = match review::comparison_documents(rev, &paths, &new) {
            Ok(d) => d,
            Err(code) => return code,
        };
        let progress = super::progress::Progress::new(docs.len());
        let built = crate::build::build_incremental(
            &job,
            &docs,
            &|d| Some(Cow::Borrowed(d)),
            &analysis.fingerprints_by_id(),
            &|_| progress.tick(),
        );
        progress.finish();
        (built, docs.len())
    } else {
        render_stale(&job, &analysis, true)
    };
    let built = match built {
        Ok(b) => b,
        Err(errors) => return report_errors(&errors, a.color),
    };
    if super::verbose() {
        eprintln!(
            "документы: {} мс (сделано {made}, собрано {}, без изменений {})",
            started.elapsed().as_millis(),
            built.rendered,
            built.kept
        );
    }
    let size: u64 = built
        .records
        .iter()
        .filter(|r| !r.kept)
        .map(|r| r.bytes as u64)
        .sum();
    let mut staged = built.staged;
    let files = staged.len();
    // Also clears what a killed build left, when nothing else is written.
    if let Err(e) = crate::build::prepare_dir(out_dir) {
        return report_errors(&[e], a.color);
    }
    // The comparison tables are for reviewers, not the signed-off set.
    if a.compare.is_none() {
        let settings = crate::records::manifest::Settings {
            final_: a.final_,
            pdfa: a.pdfa,
            signed_only: a.signed_only,
            shard: a.shard,
        };
        let at = std::time::Instant::now();
        let m = match crate::records::manifest::encode(
            &project,
            &analysis.document_sources(),
            &built.records,
            settings,
        ) {
            Ok(m) => m,
            Err(e) => {
                let e = crate::build::BuildError::Manifest(e.to_string());
                return report_errors(&[e], a.color);
            }
        };
        if super::verbose() {
            eprintln!("манифест: {} мс", at.elapsed().as_millis());
        }
        // A manifest already as it would be is not rewritten: a build that
        // changed nothing touches nothing.
        let path = out_dir.join(crate::records::manifest::FILE_NAME);
        let same = std::fs::read(&path).is_ok_and(|b| b == m.bytes);
        if !same {
            match crate::build::Staged::new(out_dir, &m.name, &m.bytes, None) {
                Ok(s) => staged.push(s),
                Err(e) => return report_errors(&[e], a.color),
            }
        }
    }
    match crate::build::commit(staged) {
        Ok(written) if !super::chatty() => {
            let _ = written;
            0
        }
        Ok(written) => {
            // A line per file for a few; a thousand lines help no one (-v
            // still lists them).
            let listed = if files <= 20 || super::verbose() {
                files
            } else {
                0
            };
            for w in written.iter().take(listed) {
                match w.pages {
                    Some(p) => println!("записан {} ({p} стр.)", w.path.display()),
                    None => println!("записан {}", w.path.display()),
                }
            }
            let ms = started.elapsed().as_millis();
            let line = match (built.rendered, built.kept) {
                (0, kept) if kept > 0 => format!(
                    "документы не изменились со сборки ({kept}), ничего не записано — {ms} мс \
                     (--force соберёт заново)"
                ),
                (rendered, kept) => {
                    let mut line = format!(
                        "собрано документов: {rendered}, файлов: {files} ({}) за {ms} мс",
                        super::progress::size(size)
                    );
                    if kept > 0 {
                        line.push_str(&format!("; не изменились и не перезаписаны: {kept}"));
                    }
                    line
                }
            };
            eprintln!("{line}");
            0
        }
        // An I/O failure, not a fault of the plans: exit 2, as documented.
        Err(e) => {
            eprintln!("ошибка: {e}");
            2
        }
    }
}

/// Makes and renders the documents of `analysis` whose files `job` cannot
/// keep, each in the worker that renders it; the others' records are
/// carried over from the last build. Also gives how many were made.
pub(super) fn render_stale(
    job: &crate::build::Job,
    analysis: &crate::project::Analysis,
    progress: bool,
) -> (
    Result<crate::build::Built, Vec<crate::build::BuildError>>,
    usize,
) {
    let carried = crate::build::Carried::default();
    let stale: Vec<&Entry> = analysis
        .entries
        .par_iter()
        .filter(|e| carried.must_make(job, e))
        .collect();
    let bar = super::progress::Progress::new(if progress { stale.len() } else { 0 });
    let built = crate::build::build_incremental(
        job,
        &stale,
        &|e: &&Entry| analysis.make(e).map(Cow::Owned),
        &analysis.fingerprints_by_id(),
        &|_| bar.tick(),
    );
    bar.finish();
    let built = built.map(|mut b| {
        carried.merge(&mut b, &analysis.entries);
        b
    });
    (built, stale.len())
}

/// Errors of the backends (template errors located in the template), or a
/// file that could not be written; the exit code.
fn report_errors(errors: &[crate::build::BuildError], color: super::ColorWhen) -> i32 {
    let mut err = BufferedStandardStream::stderr(color_choice(color));
    for e in errors {
        match e.template_diagnostics() {
            Some((d, s)) => {
                let _ = diag::emit(&mut err, s, d);
            }
            None => {
                let _ = writeln!(err, "ошибка: {e}");
            }
        }
    }
    // A file-system failure is not the plans' fault: exit 2, as documented.
    if errors.iter().any(|e| e.is_io()) {
        2
    } else {
        1
    }
}
