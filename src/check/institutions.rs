//! The registry's names compiled for the text rules ([`Lexicon`]), and the
//! rule on institution names: aliases are reported, names are covered.

use std::collections::HashMap;

use regex::Regex;

use super::texts::{Item, locate};
use crate::diag::{Code, Diagnostic, Sources};
use crate::index::Index;

/// Names and abbreviations of the registry, compiled once for all units.
pub(super) struct Lexicon {
    /// Canonical names, short names and aliases of institutions, longest first.
    names: Option<Regex>,
    /// For each alternative of `names`: Some((canonical, id)) when it is an alias.
    name_kinds: HashMap<String, Option<String>>,
    pub(super) common: Vec<String>,
    pub(super) known_abbr: Vec<String>,
    pub(super) full: HashMap<String, String>,
    /// Registry names normalised for finding variants (`variants`).
    pub(super) variants: Vec<super::variants::Known>,
}

fn phrase_pattern(s: &str) -> String {
    s.split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"[\s\u{a0}]+")
}

impl Lexicon {
    pub(super) fn new(ix: &Index) -> Lexicon {
        let mut name_kinds: HashMap<String, Option<String>> = HashMap::new();
        for i in ix.institutions.values() {
            let canonical = i.item.short.as_ref().unwrap_or(&i.item.name).get().clone();
            name_kinds.insert(i.item.name.get().clone(), None);
            if let Some(s) = &i.item.short {
                name_kinds.insert(s.get().clone(), None);
            }
            for a in &i.item.aliases {
                name_kinds
                    .entry(a.get().clone())
                    .or_insert(Some(canonical.clone()));
            }
        }
        let mut alts: Vec<&String> = name_kinds.keys().filter(|k| !k.trim().is_empty()).collect();
        alts.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let names = if alts.is_empty() {
            None
        } else {
            let pat = alts
                .iter()
                .map(|a| format!("(?:{})", phrase_pattern(a)))
                .collect::<Vec<_>>()
                .join("|");
            Regex::new(&pat).ok()
        };
        let mut common = Vec::new();
        let mut known_abbr = Vec::new();
        let mut full = HashMap::new();
        for a in ix.abbreviations.values() {
            if a.item.common {
                common.push(a.item.abbr.get().clone());
            }
            known_abbr.push(a.item.abbr.get().clone());
            full.insert(a.item.abbr.get().clone(), a.item.full.get().clone());
        }
        Lexicon {
            names,
            name_kinds,
            common,
            known_abbr,
            full,
            variants: super::variants::known(ix),
        }
    }

    /// Which institution name an occurrence is (normalising spaces).
    fn kind_of(&self, found: &str) -> Option<&Option<String>> {
        if let Some(k) = self.name_kinds.get(found) {
            return Some(k);
        }
        let norm = found.split_whitespace().collect::<Vec<_>>().join(" ");
        self.name_kinds.get(&norm)
    }
}

/// Institution names in a text: aliases are reported; all names are returned
/// as covered ranges so their capitals are not taken for abbreviations.
pub(super) fn institution_names(
    lex: &Lexicon,
    sources: &Sources,
    it: &Item,
    masked: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<std::ops::Range<usize>> {
    let Some(re) = &lex.names else {
        return Vec::new();
    };
    let mut covered = Vec::new();
    for m in re.find_iter(masked) {
        // A match must stand alone: not a part of a longer word.
        let before = masked[..m.start()].chars().next_back();
        let after = masked[m.end()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        covered.push(m.range());
        if let Some(Some(canonical)) = lex.kind_of(m.as_str()) {
            diags.push(
                Diagnostic::warning(
                    Code::InstitutionAlias,
                    format!(
                        "«{}» — вариант названия; каноническое название «{canonical}»",
                        m.as_str()
                    ),
                )
                .at(locate(sources, it.file, it.text, m.range()))
                .hint(format!("возможно, имелось в виду «{canonical}»")),
            );
        }
    }
    covered
}
