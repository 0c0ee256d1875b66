//! Domain rules over the loaded plans. Every rule has a stable code (a
//! [`Code`], usable in `allow:`), a one-line Russian message and the location
//! of the exact value it is about.
//!
//! This file holds the drivers — [`repository_rules`], [`UnitRules`] (the
//! text rules of one unit) and [`finish`] — which the pipeline runs; each
//! rule family has its own file.

use std::sync::OnceLock;

use regex::Regex;

use crate::diag::{Code, Diagnostic, Severity};
use crate::index::refs::Refs;
use crate::index::{Index, Unit, UnitKind, span_of};
use crate::lang::expr;
use crate::load::Workspace;

/// A prebuilt substring searcher: the rules run on every text of a
/// repository, and `str::contains` builds a new searcher on each call.
macro_rules! finder {
    ($needle:expr) => {{
        static F: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new($needle));
        &*F
    }};
}

fn has(hay: &str, f: &memchr::memmem::Finder) -> bool {
    f.find(hay.as_bytes()).is_some()
}

/// The leftmost match of `re` at or after `from` that stands as whole words
/// where `head` / `tail` ask (as `\b` before / after it would), for a regex
/// written without `\b`: Unicode word boundaries keep `regex` on its slow
/// backtracking engines, and these searches run on every text.
fn find_word<'h>(
    re: &Regex,
    hay: &'h str,
    mut from: usize,
    head: bool,
    tail: bool,
) -> Option<regex::Match<'h>> {
    let word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
    while from <= hay.len() {
        let m = re.find_at(hay, from)?;
        let before = hay[..m.start()].chars().next_back();
        let after = hay[m.end()..].chars().next();
        if (!head || !word(before)) && (!tail || !word(after)) {
            return Some(m);
        }
        // Refused here, it may match from the next character on, as the
        // regex with `\b` would find.
        from = m.start() + hay[m.start()..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn rx(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

// Declared after the helpers above: `finder!` is in scope only below it.
mod abbr;
mod allow;
mod budget;
mod control;
mod deadlines;
mod glyphs;
mod hand_typed;
mod header;
mod institutions;
pub mod lifecycle;
mod registry;
mod repository;
mod tables;
mod texts;
mod variants;

#[cfg(test)]
mod tests;

use abbr::AbbrState;
use allow::apply_allow;
use deadlines::{check_deadline, check_years};
use hand_typed::check_hand_typed;
use header::check_order_header;
use institutions::{Lexicon, institution_names};
use registry::check_registry;
use repository::check_repository;
use tables::check_tables;
pub use texts::locate;
use texts::{Role, unit_texts};

/// The rules about the repository as a whole — the registry, registration
/// numbers across orders, appendix owners, the lifecycle of orders: cheap,
/// and run on every analysis, however little changed.
pub fn repository_rules(ws: &Workspace, ix: &Index, diags: &mut Vec<Diagnostic>) {
    check_registry(ix, diags);
    control::check_registry(&ws.sources, ix, diags);
    check_repository(ix, diags);
    lifecycle::check(ix, diags);
}

/// The rules about one unit's texts and tables.
///
/// A unit's diagnostics depend only on its own files and the registry (the
/// pipeline caches them by those): a rule that needs to see other units
/// belongs in [`repository_rules`], or may only report an error (units with
/// errors are never cached).
pub struct UnitRules {
    lex: Lexicon,
}

impl UnitRules {
    pub fn new(ix: &Index) -> UnitRules {
        UnitRules {
            lex: Lexicon::new(ix),
        }
    }

    pub fn check(&self, ws: &Workspace, ix: &Index, unit: &Unit) -> Vec<Diagnostic> {
        check_unit(ix, &self.lex, ws, unit)
    }
}

/// `allow:` applied to what the index and the rules found, sorted.
pub fn finish(ws: &Workspace, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut diags = apply_allow(ws, diags);
    crate::diag::sort(&mut diags);
    diags
}

fn check_unit(ix: &Index, lex: &Lexicon, ws: &Workspace, unit: &Unit) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let refs = Refs::new(ix, unit);
    if let UnitKind::Order(o) = unit.kind {
        // The case forms of the signature and the control clause are the
        // resolver's to report: the pipeline runs it on every check.
        check_order_header(ix, unit.file, o, &mut diags);
    }
    let texts = unit_texts(unit);
    let order_date = match unit.kind {
        UnitKind::Order(o) => Some(o.date.get().0),
        UnitKind::Document(d) => d.date.as_ref().map(|d| d.get().0),
    };
    let mut abbr = AbbrState::default();
    let mut volume = budget::Volume::new();
    budget::check_rows(unit, &mut diags);
    for (pos, it) in texts.iter().enumerate() {
        let raw = it.text.get();
        control::check_text(&ws.sources, it.file, it.text, &mut diags);
        glyphs::check_text(&ws.sources, it.file, it.text, &mut diags);
        // References: every call must resolve.
        let (chars, errors) = if has(raw, finder!("{{")) || has(raw, finder!("{%")) {
            let (text, errors) = expr::expand(raw, |c| refs.resolve(c));
            (text.chars().count(), errors)
        } else {
            (raw.chars().count(), Vec::new())
        };
        volume.add(&ws.sources, it, chars, &mut diags);
        for e in errors {
            let sp = locate(&ws.sources, it.file, it.text, e.range.clone());
            diags.push(Diagnostic {
                code: e.code,
                severity: Severity::Error,
                message: e.message,
                hint: e.hint,
                span: Some(sp),
                secondary: Vec::new(),
            });
        }
        let masked = expr::mask_expressions(raw);
        let mut covered = institution_names(lex, &ws.sources, it, &masked, &mut diags);
        let variants = variants::institution_variants(
            &lex.variants,
            &ws.sources,
            it,
            &masked,
            &covered,
            &mut diags,
        );
        covered.extend(variants);
        if it.role == Role::Deadline {
            check_deadline(
                &ws.sources,
                it,
                unit.period.as_ref(),
                order_date,
                &mut diags,
            );
            continue;
        }
        if it.role != Role::Citation {
            if let Some(p) = &unit.period {
                check_years(&ws.sources, it, &masked, p, &mut diags);
            }
            if it.role != Role::Glossary {
                check_hand_typed(&ws.sources, unit, it, &masked, &mut diags);
            }
        }
        abbr.scan(&ws.sources, it, pos, masked, covered);
    }
    abbr.finish(lex, &ws.sources, &mut diags);
    check_tables(ix, unit, &mut diags);
    if let UnitKind::Order(_) = unit.kind {
        let used = refs.used.borrow();
        for (a, entry) in &unit.appendices {
            if entry.is_some() && !used.contains(a.get().as_str()) {
                diags.push(
                    Diagnostic::warning(
                        Code::AppendixUnreferenced,
                        format!("на приложение «{}» нет ссылки в тексте приказа", a.get()),
                    )
                    .at(span_of(unit.file, a))
                    .hint(format!(
                        "сошлитесь на него в пункте: {{{{ appendix(\"{}\") }}}}",
                        a.get()
                    )),
                );
            }
        }
    }
    diags
}
