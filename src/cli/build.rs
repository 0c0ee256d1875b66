//! `prikaz build`: the documents of the plans as PDF and DOCX in `--out`.

use std::io::Write;

use codespan_reporting::term::termcolor::BufferedStandardStream;

use super::prepare::Edition;
use super::{BuildArgs, color_choice, engine, formats_of, prepare, review};
use crate::diag;

/// `build`: check first (errors stop the build with the same diagnostics as
/// `check`), then resolve and render every document into `--out`, with
/// `manifest.json` next to them.
pub(super) fn build(a: BuildArgs) -> i32 {
    let paths = super::repo_paths(a.paths.clone());
    let edition = Edition::of(a.final_, a.signed_only);
    let (project, mut prepared, scope) = match prepare(&a.paths, edition, a.pdfa, a.color) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(shard) = a.shard {
        prepared.docs.retain(|d| shard.holds(&d.id));
    }
    // The repository's `out/` wherever the command is run.
    let out = a.out.clone().unwrap_or_else(|| {
        scope
            .layout
            .as_ref()
            .map_or_else(|| "out".into(), |l| super::shown(&l.out))
    });
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
    let progress = super::progress::Progress::new(docs.len());
    let rendered =
        crate::build::render_all_with(&engine, &docs, formats, settings, &|_| progress.tick())
            .and_then(|mut files| {
                // The comparison tables are for reviewers, not the signed-off set.
                if a.compare.is_none() {
                    let settings = crate::records::manifest::Settings {
                        final_: a.final_,
                        pdfa: a.pdfa,
                        signed_only: a.signed_only,
                        shard: a.shard,
                    };
                    match crate::records::manifest::encode(&project, &prepared, &files, settings) {
                        Ok(m) => files.push(m),
                        Err(e) => {
                            return Err(vec![crate::build::BuildError::Manifest(e.to_string())]);
                        }
                    }
                }
                Ok(files)
            });
    progress.finish();
    let size: u64 = rendered
        .as_ref()
        .map(|files| files.iter().map(|f| f.bytes.len() as u64).sum())
        .unwrap_or(0);
    match rendered.map(|files| crate::build::write_set(&out, &files)) {
        Ok(Ok(written)) if !super::chatty() => {
            let _ = written;
            0
        }
        Ok(Ok(written)) => {
            for w in &written {
                match w.pages {
                    Some(p) => println!("записан {} ({p} стр.)", w.path.display()),
                    None => println!("записан {}", w.path.display()),
                }
            }
            let files = written.len() - usize::from(a.compare.is_none());
            eprintln!(
                "собрано документов: {}, файлов: {files} ({}) за {} мс",
                docs.len(),
                super::progress::size(size),
                started.elapsed().as_millis()
            );
            0
        }
        // An I/O failure, not a fault of the plans: exit 2, as documented.
        Ok(Err(e)) => {
            eprintln!("ошибка: {e}");
            2
        }
        Err(errors) => {
            let mut err = BufferedStandardStream::stderr(color_choice(a.color));
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
