//! Institution names written another way than the registry's, found without
//! pre-listed aliases: one school as «МБОУ «СОШ № 2 им. А.С. Пушкина»»,
//! «МАОУ СОШ № 2 им. А. С. Пушкина» and «МБОУ «СОШ № 2 им. А.Е. Пушкина»».
//! A mention starts at a legal-form word (МБОУ, ГАУ ДПО …); its name is
//! compared with the registry's after the legal form, quotes, «имени» and
//! spacing are normalised away: the same numbers and a small edit distance,
//! or the same words with an honorary part left out, make it a variant.

use std::sync::OnceLock;

use regex::Regex;

use super::texts::{Item, locate};
use crate::diag::{Code, Diagnostic, Sources};
use crate::index::Index;

/// A registry name, normalised for comparison.
pub(super) struct Known {
    canonical: String,
    name: Name,
}

/// A name taken apart for comparison.
#[derive(Debug, PartialEq)]
struct Name {
    /// The legal form's words («мбоу»).
    form: Vec<String>,
    /// The rest, normalised, as one string and as words.
    core: String,
    words: Vec<String>,
    numbers: Vec<String>,
}

/// Words of a legal form: «МБОУ», «ГАУ», «ДПО», «ОГБОУ», «МАДОУ» …
fn legal_form(word: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:[ФОМГЧН]?[ГО]?[БАКЧ]?[ДП]?[ОН]?У|ДО|ДПО|ВО|СПО|АНО|ДОД)$").ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(word))
}

/// The name without its legal form, quotes and punctuation, in lower case,
/// «имени» as «им.», initials without spaces («А. С.» as «а.с.»).
fn normalise(name: &str) -> Name {
    let clean = |x: &str| -> String {
        x.chars()
            .map(|c| match c {
                '«' | '»' | '"' | '„' | '“' | '”' | ',' | '(' | ')' | '\u{a0}' => ' ',
                _ => c,
            })
            .collect()
    };
    let mut form = Vec::new();
    let mut words: Vec<String> = Vec::new();
    // «Муниципальное бюджетное общеобразовательное учреждение «…»»: what
    // precedes the quoted name is its legal form, compared as initials
    // («мбоу»), as the short form is written.
    let mut rest = clean(name);
    if let Some(q) = name.find('«')
        && q > 0
    {
        let before: Vec<&str> = name[..q].split_whitespace().collect();
        if before.len() > 1 && before.iter().all(|w| w.chars().all(char::is_alphabetic)) {
            let initials: String = before
                .iter()
                .filter_map(|w| w.chars().next())
                .flat_map(char::to_lowercase)
                .collect();
            form.push(initials);
            rest = clean(&name[q..]);
        }
    }
    for w in rest.split_whitespace() {
        if words.is_empty() && form.len() < 3 && legal_form(w) {
            form.push(w.to_lowercase());
            continue;
        }
        let lw = w.to_lowercase();
        let lw = if lw == "имени" {
            "им.".to_string()
        } else {
            lw
        };
        // «А.» «С.» typed apart are one group of initials, as «А.С.».
        let initial = lw.chars().count() == 2 && lw.ends_with('.') && lw != "им.";
        match words.last_mut() {
            Some(prev) if initial && prev.ends_with('.') && prev != "им." && prev.len() <= 8 => {
                prev.push_str(&lw)
            }
            _ => words.push(lw),
        }
    }
    let numbers = words
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .cloned()
        .collect();
    Name {
        form,
        core: words.join(" "),
        words,
        numbers,
    }
}

pub(super) fn known(ix: &Index) -> Vec<Known> {
    let mut out = Vec::new();
    for i in ix.institutions.values() {
        let canonical = i.item.short.as_ref().unwrap_or(&i.item.name).get().clone();
        let names = std::iter::once(&i.item.name)
            .chain(i.item.short.iter())
            .chain(i.item.aliases.iter());
        for n in names {
            let name = normalise(n.get());
            if !name.core.is_empty() {
                out.push(Known {
                    canonical: canonical.clone(),
                    name,
                });
            }
        }
    }
    out
}

/// Generic words of a school's name: leaving these out changes nothing.
const GENERIC: [&str; 8] = [
    "им.",
    "№",
    "школа",
    "средняя",
    "основная",
    "общеобразовательная",
    "г.",
    "города",
];

/// Short words («сош», «оош», «№») tell schools apart: they must agree.
fn short_words(w: &[String]) -> Vec<&str> {
    w.iter()
        .map(String::as_str)
        .filter(|w| w.chars().count() <= 3 && !w.contains('.'))
        .collect()
}

/// Whether a mention is a variant of a registry name.
fn variant_of(m: &Name, k: &Name) -> bool {
    if m.numbers != k.numbers {
        return false;
    }
    if m.core == k.core {
        // Only quotes or spacing differ, or the legal form does.
        return !m.form.is_empty() && m.form != k.form;
    }
    let (a, b) = (m.core.chars().count(), k.core.chars().count());
    let close = short_words(&m.words) == short_words(&k.words)
        && strsim::levenshtein(&m.core, &k.core) <= (a.min(b) / 12).clamp(2, 4);
    // One leaves out words of the other (an honorary name, a town):
    // distinctive words in common, none of its own.
    let (short, long) = if m.words.len() <= k.words.len() {
        (&m.words, &k.words)
    } else {
        (&k.words, &m.words)
    };
    let distinctive = short
        .iter()
        .filter(|w| !GENERIC.contains(&w.as_str()) && w.chars().count() >= 3)
        .count();
    let contained =
        (distinctive >= 1 || !m.numbers.is_empty()) && short.iter().all(|w| long.contains(w));
    close || contained
}

/// Mentions of institutions in a text that are not a registry name as
/// written but a variant of one: reported with the canonical name, and
/// returned as covered so their capitals are not taken for abbreviations.
pub(super) fn institution_variants(
    known: &[Known],
    sources: &Sources,
    it: &Item,
    masked: &str,
    covered: &[std::ops::Range<usize>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<std::ops::Range<usize>> {
    if known.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for m in mentions(masked) {
        if covered.iter().any(|c| c.start < m.end && m.start < c.end) {
            continue;
        }
        let text = &masked[m.clone()];
        let name = normalise(text);
        // The registry's own name, whatever its quotes and spacing.
        if name.core.is_empty()
            || known
                .iter()
                .any(|k| k.name.core == name.core && k.name.form == name.form)
        {
            continue;
        }
        if let Some(k) = known.iter().find(|k| variant_of(&name, &k.name)) {
            diags.push(
                Diagnostic::warning(
                    Code::InstitutionAlias,
                    format!(
                        "«{text}» — вариант названия; каноническое название «{}»",
                        k.canonical
                    ),
                )
                .at(locate(sources, it.file, it.text, m.clone()))
                .hint(format!("возможно, имелось в виду «{}»", k.canonical)),
            );
            found.push(m);
        }
    }
    found
}

/// Stretches of text that name an institution: a legal-form word, then the
/// name up to a comma, semicolon or the end, or through its closing quote.
fn mentions(s: &str) -> Vec<std::ops::Range<usize>> {
    static START: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(start) = START
        .get_or_init(|| Regex::new(r"[ФОМГЧН]?[ГО]?[БАКЧ]?[ДП]?[ОН]?У").ok())
        .as_ref()
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut from = 0;
    // `\b…\b` around the form, checked outside the regex.
    while let Some(m) = super::find_word(start, s, from, true, true) {
        let mut depth = 0i32;
        let mut end = m.end();
        let mut words = 0;
        for (i, c) in s[m.end()..].char_indices() {
            let at = m.end() + i;
            match c {
                '«' | '„' | '“' => depth += 1,
                '»' | '”' => {
                    depth -= 1;
                    if depth <= 0 {
                        end = at + c.len_utf8();
                        if depth < 0 {
                            break;
                        }
                        // A closed name may go on («… им. А.С. Пушкина»).
                        continue;
                    }
                }
                ',' | ';' | ':' | '(' | ')' | '\n' if depth == 0 => break,
                ' ' if depth == 0 => {
                    words += 1;
                    // « и », « в », « с »: the mention ended before.
                    let next: String = s[at + 1..].chars().take(2).collect();
                    if words > 12 || next == "и " || next == "в " || next == "с " {
                        break;
                    }
                }
                _ => {}
            }
            if depth > 0 || !c.is_whitespace() {
                end = at + c.len_utf8();
            }
        }
        let text = s[m.start()..end].trim_end_matches(['.', ' ']);
        if text.len() > m.len() {
            out.push(m.start()..m.start() + text.len());
        }
        from = end.max(m.end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_variant(text: &str, of: &str) -> bool {
        variant_of(&normalise(text), &normalise(of))
    }

    #[test]
    fn a_school_written_another_way_is_a_variant_of_its_registry_name() {
        let reg = "МБОУ «СОШ № 2 им. А.С. Пушкина»";
        assert!(is_variant("МАОУ СОШ № 2 им. А. С. Пушкина", reg));
        // Quotes and spacing alone are typography, not another name.
        assert!(!is_variant("МБОУ СОШ № 2 им. А. С. Пушкина", reg));
        assert!(is_variant("МБОУ «СОШ № 2 им. А.Е. Пушкина»", reg));
        assert!(is_variant("МБОУ «СОШ № 2 имени Пушкина»", reg));
        assert!(is_variant(
            "МБОУ СОШ № 2 им. А.С. Пушкина г. Смоленска",
            reg
        ));
    }

    #[test]
    fn another_school_is_not_a_variant() {
        let reg = "МБОУ «СОШ № 2 им. А.С. Пушкина»";
        assert!(!is_variant("МБОУ «СОШ № 3 им. А.С. Пушкина»", reg));
        assert!(!is_variant("МБОУ «Гимназия № 2»", reg));
        assert!(!is_variant("МБОУ «Лицей»", "МБОУ «Гимназия»"));
        assert!(!is_variant("МБОУ «СОШ № 5»", "МБОУ «ООШ № 5»"));
    }

    #[test]
    fn mentions_run_from_the_legal_form_to_the_end_of_the_name() {
        let s = "Руководителям МБОУ «СОШ № 2 им. А.С. Пушкина», МБОУ СОШ № 14 и ОМСУ";
        let got: Vec<&str> = mentions(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(
            got,
            vec!["МБОУ «СОШ № 2 им. А.С. Пушкина»", "МБОУ СОШ № 14"]
        );
    }
}
