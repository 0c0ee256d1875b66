//! From paths to documents: the repository's scope of a command, its
//! diagnostics, and the documents the backends may make (`build`,
//! `verify`).

use std::path::PathBuf;

use super::{ColorWhen, OutputFormat, report, verbose};
use crate::diag::{self, Diagnostic};
use crate::project::root::Scope;
use crate::project::{Make, Options, Project, UnitCache, Wants};

/// The cache of unit results for a run over `scope`: in the repository's
/// root, or in memory for plans outside a repository.
pub fn cache_for(scope: Option<&Scope>) -> UnitCache {
    match scope.and_then(|s| s.layout.as_ref()) {
        Some(l) => UnitCache::open(&l.root),
        None => UnitCache::memory(),
    }
}

/// The project of `paths`: inside a repository, all its plans, file names
/// relative to its root (`project::root`); elsewhere what was named,
/// names relative to the current folder. `Err` is the exit code.
pub fn open(paths: &[PathBuf]) -> Result<(Project, Scope), i32> {
    let scope = match Scope::of(paths) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return Err(2);
        }
    };
    let started = std::time::Instant::now();
    let project = Project::open(&scope.load, &scope.root);
    if verbose() {
        match &scope.layout {
            Some(l) => eprintln!(
                "корень репозитория: {}; планы: {}",
                l.root.display(),
                l.plans.display()
            ),
            None => eprintln!("корень репозитория не найден: читаются {:?}", scope.load),
        }
        eprintln!(
            "прочитано файлов: {} за {} мс",
            project.sources().len(),
            started.elapsed().as_millis()
        );
    }
    Ok((project, scope))
}

/// The diagnostics of the part of the repository `scope` names: those in
/// its files, in the registry (which every plan reads) and those without
/// a place.
pub fn in_scope(project: &Project, scope: &Scope, diags: &[Diagnostic]) -> Vec<Diagnostic> {
    diags
        .iter()
        .filter(|d| match d.span {
            None => true,
            Some(s) => {
                scope.covers(project.sources().name(s.file))
                    || matches!(
                        project.parsed(s.file),
                        Some(crate::load::Parsed::Registry(_))
                    )
            }
        })
        .cloned()
        .collect()
}

/// Which edition `build` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    /// Every document, drafts with the «ПРОЕКТ» mark.
    Draft,
    /// The final edition of every document: all must be ready.
    Final,
    /// The final edition of the signed ones only (`--final --signed-only`):
    /// drafts and orders in approval are left out, not a failure.
    Signed,
}

impl Edition {
    /// The edition `--final` and `--signed-only` (or a manifest's record of
    /// them) ask for.
    pub fn of(final_: bool, signed_only: bool) -> Edition {
        match (final_, signed_only) {
            (false, _) => Edition::Draft,
            (true, false) => Edition::Final,
            (true, true) => Edition::Signed,
        }
    }
}

/// Leaves in `a` only the signed documents (orders signed or registered,
/// standalone documents with such a status, bundles of signed orders) and
/// the diagnostics of their files: a draft next to them does not stop the
/// final edition of the others.
fn keep_signed(project: &Project, a: &mut crate::project::Analysis) {
    let ix = &a.ix;
    let signed_order = |id: &str| {
        ix.orders
            .get(id)
            .is_some_and(|o| o.item.status().is_signed())
    };
    let signed: std::collections::BTreeSet<String> = a
        .entries
        .iter()
        .filter(|d| {
            if let Some(b) = ix.bundles.get(d.id.as_str()) {
                !b.item.orders.is_empty() && b.item.orders.iter().all(|o| signed_order(o.get()))
            } else if let Some(doc) = ix.documents.get(d.id.as_str()) {
                doc.item
                    .status
                    .as_ref()
                    .is_some_and(|s| s.get().is_signed())
            } else {
                signed_order(&d.id)
            }
        })
        .map(|d| d.id.clone())
        .collect();
    let sources = a.document_sources();
    let keep: std::collections::BTreeSet<&String> = sources
        .iter()
        .filter(|(id, _)| signed.contains(*id))
        .flat_map(|(_, files)| files)
        .collect();
    let left = a.entries.iter().filter(|d| !signed.contains(&d.id)).count();
    a.diags.retain(|d| {
        d.span
            .is_none_or(|s| keep.contains(&project.sources().name(s.file).to_string()))
    });
    a.docs.retain(|d| signed.contains(&d.id));
    a.entries.retain(|d| signed.contains(&d.id));
    if left > 0 && super::chatty() {
        eprintln!("не подписаны и в окончательную редакцию не входят: {left}");
    }
}

/// Checks the plans of `project` for the backends (errors stop it with the
/// diagnostics shown; `Err` is the exit code). The documents are not made:
/// [`crate::project::Analysis::make`] makes each when it is rendered, and
/// `entries` lists those of the set (the edition's, the paths named).
pub fn analyse<'p>(
    project: &'p Project,
    scope: &Scope,
    edition: Edition,
    pdfa: bool,
    color: ColorWhen,
) -> Result<crate::project::Analysis<'p>, i32> {
    let final_ = edition != Edition::Draft;
    let started = std::time::Instant::now();
    let mut cache = cache_for(Some(scope));
    let wants = Wants {
        scope: &|_, _| true,
        make: Make::None,
    };
    let mut analysis = project.analyze_with(Options::build(final_), &mut cache, &wants);
    cache.save();
    if verbose() {
        eprintln!(
            "проверка: {} мс (проверено заново: {} из {})",
            started.elapsed().as_millis(),
            analysis.checked,
            analysis.entries.len(),
        );
    }
    if pdfa {
        let undated = pdfa_undated(&analysis);
        analysis.diags.extend(undated);
        diag::sort(&mut analysis.diags);
    }
    analysis.diags = in_scope(project, scope, &analysis.diags);
    if edition == Edition::Signed {
        keep_signed(project, &mut analysis);
    }
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
    if scope.is_partial() {
        // Only the documents made from the files named.
        let registry: Vec<&str> = project
            .workspace()
            .files
            .iter()
            .filter(|(_, p)| matches!(p, crate::load::Parsed::Registry(_)))
            .map(|(f, _)| project.sources().name(*f))
            .collect();
        let sources = analysis.document_sources();
        let named = |id: &str| {
            sources.get(id).is_some_and(|fs| {
                fs.iter()
                    .any(|f| !registry.contains(&f.as_str()) && scope.covers(f))
            })
        };
        analysis.entries.retain(|d| named(&d.id));
    }
    Ok(analysis)
}

/// A warning for each document PDF/A cannot date (a standalone document
/// without `date:`), at its plan's id: it is built as an ordinary PDF.
fn pdfa_undated(a: &crate::project::Analysis) -> Vec<Diagnostic> {
    a.entries
        .iter()
        .filter(|d| !d.dated)
        .map(|d| {
            let at = a
                .ix
                .documents
                .get(d.id.as_str())
                .map(|e| crate::index::span_of(e.file, &e.item.id))
                .or_else(|| {
                    a.ix.bundles
                        .get(d.id.as_str())
                        .map(|e| crate::index::span_of(e.file, &e.item.id))
                });
            Diagnostic::warning(
                diag::Code::PdfaNoDate,
                format!(
                    "у документа «{}» нет даты, а PDF/A датирует файл по документу: он собран как обычный PDF",
                    d.id
                ),
            )
            .at_opt(at)
            .hint("укажите date: в плане (ГГГГ-ММ-ДД) — дату утверждения документа")
        })
        .collect()
}
