//! Abbreviation rules: definitions «(далее – …)» and glossaries, uses before
//! the definition, undefined, unused, twice-defined and mistyped terms.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::institutions::Lexicon;
use super::texts::{Item, Role, locate};
use super::{has, rx};
use crate::diag::{Code, Diagnostic, FileId, Sources, Span};
use crate::plan::Text;

struct Definition {
    term: String,
    pos: usize,
    span: Span,
    used: bool,
    /// An entry of «Обозначения», not a «(далее – …)» in the text: the two
    /// together are one definition, given in both places by custom.
    glossary: bool,
}

/// A located hit: (term, reading position, (file, value, byte range in it)).
type Hit<'a> = (String, usize, (FileId, &'a Text, std::ops::Range<usize>));

/// A scanned text kept for the second pass, when every definition is known.
struct Pending<'a> {
    pos: usize,
    /// A title (it names the subject before the text defines its terms) or
    /// a citation of another act (its words are that act's): a use there is
    /// not «before the definition».
    title: bool,
    defs_here: Vec<(String, std::ops::Range<usize>)>,
    /// Ranges covered by institution names.
    covered: Vec<std::ops::Range<usize>>,
    file: FileId,
    masked: std::borrow::Cow<'a, str>,
    text: &'a Text,
}

#[derive(Default)]
pub(super) struct AbbrState<'a> {
    defs: Vec<Definition>,
    pending: Vec<Pending<'a>>,
}

/// How a defined term is found in text. A single word of word characters
/// (every abbreviation) is a substring between non-word characters, which
/// is what its regex `\bТЕРМИН\b` says, found without the regex engine:
/// Unicode word boundaries keep `regex` on its slow paths, and this search
/// runs on every text of every plan.
pub(super) enum TermMatcher {
    Word(memchr::memmem::Finder<'static>),
    /// The term's regex without its word boundaries (so that `regex` stays
    /// on its fast automata), the boundaries checked at each match: `head`
    /// and `tail` say which ends need one.
    Phrase {
        re: Regex,
        head: bool,
        tail: bool,
    },
}

impl TermMatcher {
    pub(super) fn new(term: &str) -> Option<TermMatcher> {
        let word = !term.is_empty() && term.chars().all(regex_syntax::is_word_character);
        let upper = term.chars().filter(|c| c.is_uppercase()).count();
        let alphabetic = term.chars().all(char::is_alphabetic);
        // Literal in its regex: capitals (an abbreviation) or not all letters.
        if word && (upper >= 2 || !alphabetic) {
            return Some(TermMatcher::Word(
                memchr::memmem::Finder::new(term.as_bytes()).into_owned(),
            ));
        }
        let (re, head, tail) = term_regex(term)?;
        Some(TermMatcher::Phrase { re, head, tail })
    }

    pub(super) fn find_iter<'h>(
        &'h self,
        hay: &'h str,
    ) -> Box<dyn Iterator<Item = std::ops::Range<usize>> + 'h> {
        match self {
            TermMatcher::Phrase { re, head, tail } => {
                let mut at = 0;
                Box::new(std::iter::from_fn(move || {
                    let m = super::find_word(re, hay, at, *head, *tail)?;
                    // Never empty: a term has a letter.
                    at = m.end().max(m.start() + 1);
                    Some(m.range())
                }))
            }
            TermMatcher::Word(f) => {
                let n = f.needle().len();
                Box::new(f.find_iter(hay.as_bytes()).filter_map(move |i| {
                    let before = hay[..i].chars().next_back();
                    let after = hay[i + n..].chars().next();
                    let bound = |c: Option<char>| !c.is_some_and(regex_syntax::is_word_character);
                    (bound(before) && bound(after)).then_some(i..i + n)
                }))
            }
        }
    }
}

/// Letter test with a fast path for ASCII and basic Cyrillic: the general
/// Unicode table lookup dominated `check` on large repositories.
#[inline]
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || ('А'..='я').contains(&c)
        || c == 'ё'
        || c == 'Ё'
        || (!c.is_ascii() && c.is_alphabetic())
}

#[inline]
fn is_word_char(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c) || (!c.is_ascii() && c.is_numeric())
}

#[inline]
fn is_upper(c: char) -> bool {
    c.is_ascii_uppercase()
        || ('А'..='Я').contains(&c)
        || c == 'Ё'
        || (!c.is_ascii() && !('а'..='я').contains(&c) && c.is_uppercase())
}

/// A word of a text, classified in [`scan_words`].
pub(super) struct WordInfo {
    pub(super) range: std::ops::Range<usize>,
    /// Looks like an abbreviation: Cyrillic letters only, two or more
    /// capitals, more capitals than small letters.
    pub(super) abbr: bool,
    /// Seven or more characters, every letter a capital (a heading word).
    pub(super) shouting: bool,
}

/// One pass over a text: its words (maximal runs of word characters) and
/// the lines typed mostly in capitals (eight or more letters, over 60 %
/// capitals). This runs on every text of every plan, so it classifies each
/// character once and allocates nothing in the common case.
pub(super) fn scan_words(
    text: &str,
    words: &mut Vec<WordInfo>,
    caps_lines: &mut Vec<std::ops::Range<usize>>,
) {
    struct Open {
        start: usize,
        chars: usize,
        letters: usize,
        upper: usize,
        cyrillic_only: bool,
    }
    words.clear();
    caps_lines.clear();
    let close = |o: Open, end: usize, words: &mut Vec<WordInfo>| {
        words.push(WordInfo {
            range: o.start..end,
            abbr: o.cyrillic_only && o.upper >= 2 && o.upper * 2 > o.letters,
            shouting: o.chars >= 7 && o.upper == o.letters,
        });
    };
    let (mut line_start, mut line_letters, mut line_upper) = (0, 0, 0);
    let mut open: Option<Open> = None;
    for (i, c) in text.char_indices() {
        let letter = is_letter(c);
        let upper = letter && is_upper(c);
        if letter {
            line_letters += 1;
            line_upper += usize::from(upper);
        }
        if is_word_char(c) {
            let o = open.get_or_insert(Open {
                start: i,
                chars: 0,
                letters: 0,
                upper: 0,
                cyrillic_only: true,
            });
            o.chars += 1;
            if letter {
                o.letters += 1;
                o.upper += usize::from(upper);
                if !('А'..='я').contains(&c) && c != 'Ё' && c != 'ё' {
                    o.cyrillic_only = false;
                }
            }
        } else if let Some(o) = open.take() {
            close(o, i, words);
        }
        if c == '\n' {
            if line_letters >= 8 && line_upper * 10 > line_letters * 6 {
                caps_lines.push(line_start..i + 1);
            }
            (line_start, line_letters, line_upper) = (i + 1, 0, 0);
        }
    }
    if let Some(o) = open.take() {
        close(o, text.len(), words);
    }
    if line_start < text.len() && line_letters >= 8 && line_upper * 10 > line_letters * 6 {
        caps_lines.push(line_start..text.len());
    }
}

/// The term of a «(далее – …)» without the quotes around the whole of it:
/// «Программа» → Программа, but МКУ «ИМЦ» keeps its own quotes, and so does
/// «МКУ «ИМЦ»» inside the outer pair.
fn unquoted(term: &str, range: std::ops::Range<usize>) -> (&str, std::ops::Range<usize>) {
    let t = term.trim();
    let lead = term.len() - term.trim_start().len();
    let balanced = |s: &str| s.matches('«').count() == s.matches('»').count();
    for (open, close) in [('«', '»'), ('"', '"')] {
        if let Some(inner) = t.strip_prefix(open).and_then(|x| x.strip_suffix(close))
            && balanced(inner)
        {
            let start = range.start + lead + open.len_utf8();
            return (inner, start..start + inner.len());
        }
    }
    (t, range.start + lead..range.start + lead + t.len())
}

impl<'a> AbbrState<'a> {
    pub(super) fn scan(
        &mut self,
        sources: &Sources,
        it: &Item<'a>,
        pos: usize,
        masked: std::borrow::Cow<'a, str>,
        covered: Vec<std::ops::Range<usize>>,
    ) {
        static DEF: OnceLock<Regex> = OnceLock::new();
        let mut defs_here: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        if it.role == Role::Glossary {
            // «ОМСУ – органы местного самоуправления»
            let sep = [" – ", " - ", " — ", "\u{a0}– ", "\u{a0}— "]
                .iter()
                .filter_map(|s| masked.find(s))
                .min();
            if let Some(i) = sep {
                let term = masked[..i].trim();
                let start = masked.find(term).unwrap_or(0);
                defs_here.push((term.to_string(), start..start + term.len()));
            }
        } else if has(&masked, finder!("далее")) {
            let re = rx(
                &DEF,
                r"\(\s*далее\s*(?:также\s*)?(?:[-–—]\s*|по тексту\s*[-–—]?\s*)?([^()]+?)\s*\)",
            );
            for c in re.captures_iter(&masked) {
                if let Some(t) = c.get(1) {
                    let (term, range) = unquoted(t.as_str(), t.range());
                    if !term.is_empty() {
                        defs_here.push((term.to_string(), range));
                    }
                }
            }
        }
        for (term, range) in &defs_here {
            self.defs.push(Definition {
                term: term.clone(),
                pos,
                span: locate(sources, it.file, it.text, range.clone()),
                used: false,
                glossary: it.role == Role::Glossary,
            });
        }
        self.pending.push(Pending {
            pos,
            title: matches!(it.role, Role::Title | Role::Citation),
            defs_here,
            covered,
            file: it.file,
            masked,
            text: it.text,
        });
    }

    pub(super) fn finish(&mut self, lex: &Lexicon, sources: &Sources, diags: &mut Vec<Diagnostic>) {
        // Second pass: with every definition known, find the uses.
        struct Term {
            term: String,
            matcher: TermMatcher,
            /// The first letters of the term: a text without them cannot use it.
            probe: memchr::memmem::Finder<'static>,
        }
        let terms: Vec<Term> = {
            let mut seen = std::collections::BTreeSet::new();
            self.defs
                .iter()
                .filter(|d| seen.insert(d.term.clone()))
                .filter_map(|d| {
                    let first_word = d.term.split_whitespace().next().unwrap_or(&d.term);
                    // Past the first letter, which a use may capitalise.
                    let probe: String = first_word.chars().skip(1).take(3).collect();
                    Some(Term {
                        term: d.term.clone(),
                        matcher: TermMatcher::new(&d.term)?,
                        probe: memchr::memmem::Finder::new(probe.as_bytes()).into_owned(),
                    })
                })
                .collect()
        };
        let pending = std::mem::take(&mut self.pending);
        let mut located: Vec<Hit<'a>> = Vec::new();
        let mut token_hits: Vec<Hit<'a>> = Vec::new();
        let (mut words, mut caps_lines) = (Vec::new(), Vec::new());
        for p in &pending {
            let masked: &str = &p.masked;
            let mut taken: Vec<std::ops::Range<usize>> =
                p.defs_here.iter().map(|(_, r)| r.clone()).collect();
            // A common abbreviation of several words («ФИС ОКО») is one term:
            // its words are not abbreviations of their own there.
            for c in lex.common.iter().filter(|c| c.contains(' ')) {
                taken.extend(
                    masked
                        .match_indices(c.as_str())
                        .map(|(i, _)| i..i + c.len()),
                );
            }
            for t in &terms {
                if !has(masked, &t.probe) {
                    continue;
                }
                for m in t.matcher.find_iter(masked) {
                    if taken.iter().any(|r| r.start <= m.start && m.end <= r.end) {
                        continue;
                    }
                    taken.push(m.clone());
                    located.push((t.term.clone(), p.pos, (p.file, p.text, m)));
                }
            }
            scan_words(masked, &mut words, &mut caps_lines);
            for (k, w) in words.iter().enumerate() {
                if !w.abbr {
                    continue;
                }
                let (start, end) = (w.range.start, w.range.end);
                // Lines typed in capitals (headings, titles) are not abbreviations.
                if caps_lines.iter().any(|r| r.contains(&start)) {
                    continue;
                }
                // «№ 338-ОД»: the register index of a number, not an abbreviation.
                if masked[..start].ends_with('-')
                    && masked[..start.saturating_sub(1)].ends_with(|c: char| c.is_ascii_digit())
                {
                    continue;
                }
                // Long words in capitals and their neighbours are headings
                // («ПЛАН МЕРОПРИЯТИЙ»): real abbreviations are short.
                let near_shouting = w.shouting
                    || k > 0 && words[k - 1].shouting
                    || words.get(k + 1).is_some_and(|n| n.shouting);
                if near_shouting {
                    continue;
                }
                if p.covered
                    .iter()
                    .chain(taken.iter())
                    .any(|r| r.start <= start && end <= r.end)
                {
                    continue;
                }
                token_hits.push((
                    masked[start..end].to_string(),
                    p.pos,
                    (p.file, p.text, start..end),
                ));
            }
        }
        self.finish_with(lex, sources, located, token_hits, &pending, diags);
    }

    fn finish_with(
        &mut self,
        lex: &Lexicon,
        sources: &Sources,
        located: Vec<Hit<'a>>,
        token_hits: Vec<Hit<'a>>,
        pending: &[Pending<'a>],
        diags: &mut Vec<Diagnostic>,
    ) {
        let titles: std::collections::HashSet<usize> =
            pending.iter().filter(|p| p.title).map(|p| p.pos).collect();
        let mut first_def: HashMap<String, usize> = HashMap::new();
        // Twice in the text, or twice in the glossary; once in each is the
        // usual practice, not a repetition.
        let mut first_of_kind: HashMap<(&str, bool), usize> = HashMap::new();
        for (i, d) in self.defs.iter().enumerate() {
            first_def.entry(d.term.clone()).or_insert(i);
            match first_of_kind.get(&(d.term.as_str(), d.glossary)) {
                Some(&j) => diags.push(
                    Diagnostic::warning(
                        Code::AbbrDefinedTwice,
                        format!("«{}» уже расшифровано выше", d.term),
                    )
                    .at(d.span)
                    .also(self.defs[j].span, "первая расшифровка")
                    .hint("расшифруйте сокращение один раз, при первом упоминании"),
                ),
                None => {
                    first_of_kind.insert((d.term.as_str(), d.glossary), i);
                }
            }
        }
        let mut reported_before: std::collections::BTreeSet<String> =
            std::collections::BTreeSet::new();
        for (term, pos, (file, text, range)) in &located {
            let Some(&j) = first_def.get(term.as_str()) else {
                continue;
            };
            self.defs[j].used = true;
            let def_pos = self.defs[j].pos;
            // A short name of ordinary words («дорожная карта», «Проект») is
            // used in its plain sense before the text fixes it; only an
            // abbreviation needs its expansion first.
            let abbreviation = term.chars().filter(|c| c.is_uppercase()).count()
                > term.chars().filter(|c| c.is_lowercase()).count();
            if *pos < def_pos
                && abbreviation
                && !titles.contains(pos)
                && reported_before.insert(term.clone())
            {
                diags.push(
                    Diagnostic::warning(
                        Code::AbbrUsedBeforeDefinition,
                        format!("«{term}» использовано до расшифровки"),
                    )
                    .at(locate(sources, *file, text, range.clone()))
                    .also(self.defs[j].span, "расшифровка дана позже")
                    .hint("перенесите расшифровку «(далее – …)» к первому упоминанию"),
                );
            }
        }
        // Definitions used only later in the same text also count.
        for d in &mut self.defs {
            if !d.used && located.iter().any(|(t, p, _)| t == &d.term && *p >= d.pos) {
                d.used = true;
            }
        }
        let defined: Vec<String> = self.defs.iter().map(|d| d.term.clone()).collect();
        let mut reported: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for (tok, _pos, (file, text, range)) in &token_hits {
            if lex.common.iter().any(|c| c == tok)
                || defined
                    .iter()
                    .any(|d| d.split_whitespace().any(|w| w == tok))
            {
                // A part of a defined phrase («СОИРО» of «ГАУ ДПО СОИРО») is a use of it.
                if let Some(d) = self
                    .defs
                    .iter_mut()
                    .find(|d| d.term.split_whitespace().any(|w| w == tok))
                {
                    d.used = true;
                }
                continue;
            }
            if !reported.insert(tok.clone()) {
                continue;
            }
            let known = lex.known_abbr.iter().any(|k| k == tok);
            if !known && ordinary_word(tok, pending) {
                continue;
            }
            let span = locate(sources, *file, text, range.clone());
            // A near miss only for what is not itself a known abbreviation:
            // «ОО» is not a typo of «МО» when the registry knows «ОО».
            let near = defined
                .iter()
                .map(String::as_str)
                .chain(lex.known_abbr.iter().map(String::as_str))
                .filter(|_| !known)
                .filter(|k| k.chars().count() == tok.chars().count() && !k.contains(' '))
                .find(|k| strsim::levenshtein(k, tok) == 1);
            match near {
                    Some(k) => diags.push(
                        Diagnostic::warning(Code::AbbrNearMiss, format!("«{tok}» — похоже на опечатку в сокращении «{k}»"))
                            .at(span)
                            .hint(format!("возможно, имелось в виду «{k}»")),
                    ),
                    None => diags.push(
                        Diagnostic::warning(Code::AbbrUndefined, format!("сокращение «{tok}» не расшифровано"))
                            .at(span)
                            .hint(match lex.full.get(tok) {
                                Some(f) => format!("при первом упоминании напишите «{f} (далее – {tok})» или добавьте его в «Обозначения»"),
                                None => format!("при первом упоминании напишите «полное название (далее – {tok})»"),
                            }),
                    ),
                }
        }
        for d in &self.defs {
            if !d.used {
                diags.push(
                    Diagnostic::warning(
                        Code::AbbrUnused,
                        format!("«{}» расшифровано, но больше не используется", d.term),
                    )
                    .at(d.span)
                    .hint("уберите расшифровку или используйте сокращение в тексте"),
                );
            }
        }
    }
}

/// Ordinary words orders print in capitals, in titles and stamps, whatever
/// else the document holds.
const CAPITALISED_WORDS: &[&str] = &[
    "акт",
    "график",
    "дорожная",
    "карта",
    "лист",
    "отчет",
    "перечень",
    "план",
    "положение",
    "порядок",
    "приказ",
    "приказываю",
    "приложение",
    "программа",
    "проект",
    "решение",
    "состав",
    "список",
    "сведения",
    "форма",
    "утвержден",
    "утверждена",
    "утверждено",
    "утверждены",
    "согласовано",
    "мероприятий",
    "мероприятия",
    "регламент",
    "паспорт",
    "справка",
    "заявка",
];

/// Whether a word in capitals is an ordinary word set in capitals
/// («СПИСОК», «ПЛАН»), not an abbreviation: it is one of the words orders
/// capitalise, or the same document writes it in lower case.
fn ordinary_word(tok: &str, pending: &[Pending]) -> bool {
    let lower: String = tok.chars().flat_map(char::to_lowercase).collect();
    let folded = lower.replace('ё', "е");
    // Real abbreviations of two or three letters («ОО», «ДО») are also
    // prepositions and particles; only longer words can be told apart.
    if lower.chars().count() < 4 {
        return false;
    }
    if CAPITALISED_WORDS.contains(&folded.as_str()) {
        return true;
    }
    // «список» anywhere, or «Список» opening a sentence: searched for this
    // word alone, since candidates are few and the texts many.
    let mut cs = lower.chars();
    let title: String = cs
        .next()
        .map(|f| f.to_uppercase().chain(cs).collect())
        .unwrap_or_default();
    let forms = [
        memchr::memmem::Finder::new(lower.as_bytes()),
        memchr::memmem::Finder::new(title.as_bytes()),
    ];
    pending.iter().any(|p| {
        let hay = p.masked.as_ref();
        forms.iter().any(|f| {
            f.find_iter(hay.as_bytes()).any(|i| {
                let before = hay[..i].chars().next_back();
                let after = hay[i + f.needle().len()..].chars().next();
                !before.is_some_and(is_letter) && !after.is_some_and(is_letter)
            })
        })
    })
}

/// A regex that finds a defined term and its inflected forms: each word of
/// the term may change its last two letters («Департамент» → «Департамента»).
fn term_regex(term: &str) -> Option<(Regex, bool, bool)> {
    // Every unit of a repository asks for the same few terms: compile each once.
    // Regex clones share their compiled program.
    use std::collections::HashMap;
    use std::sync::Mutex;
    type Parts = Option<(Regex, bool, bool)>;
    static CACHE: OnceLock<Mutex<HashMap<String, Parts>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(c) = cache.lock()
        && let Some(r) = c.get(term)
    {
        return r.clone();
    }
    let r =
        term_parts(term).and_then(|(body, head, tail)| Some((Regex::new(&body).ok()?, head, tail)));
    if let Ok(mut c) = cache.lock()
        && c.len() < 4096
    {
        c.insert(term.to_string(), r.clone());
    }
    r
}

/// The term's regex with its word boundaries: what [`TermMatcher`] finds.
#[cfg(test)]
pub(super) fn build_term_regex(term: &str) -> Option<Regex> {
    let (body, head, tail) = term_parts(term)?;
    let head = if head { r"(?:^|\b)" } else { "" };
    let tail = if tail { r"\b" } else { "" };
    Regex::new(&format!("{head}{body}{tail}")).ok()
}

/// The term's pattern without boundaries, and whether each end needs one.
fn term_parts(term: &str) -> Option<(String, bool, bool)> {
    let parts: Vec<String> = term
        .split_whitespace()
        .map(|w| {
            let chars: Vec<char> = w.chars().collect();
            let upper = chars.iter().filter(|c| c.is_uppercase()).count();
            if upper >= 2 || !chars.iter().all(|c| c.is_alphabetic()) {
                regex::escape(w)
            } else {
                // Inflected forms change the last two letters (or add up to
                // three to a short word), and a use may open a sentence:
                // «региональный координатор» → «Региональному координатору».
                let keep = if chars.len() <= 4 {
                    chars.len()
                } else {
                    chars.len() - 2
                };
                let first = chars[0];
                let rest: String = chars[1..keep].iter().collect();
                let head = match (first.to_lowercase().next(), first.to_uppercase().next()) {
                    (Some(lo), Some(up)) if lo != up => format!("[{lo}{up}]"),
                    _ => regex::escape(&first.to_string()),
                };
                format!("{head}{}[а-яё]{{0,3}}", regex::escape(&rest))
            }
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    // A word boundary only where the term has a word character to bound:
    // «МКУ «ИМЦ»» ends with a quote.
    let word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
    Some((
        parts.join(r"[\s\u{a0}]+"),
        word(term.chars().next()),
        word(term.chars().next_back()),
    ))
}
