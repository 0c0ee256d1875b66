//! The text in comparison form (folded case, dashes and spaces) and its
//! split into tokens: numbers, dotted dates, words, dashes and slashes.

use chrono::NaiveDate;

use super::vocabulary::year_of;
use super::{ParseError, err, unparsed, ymd};

/// One char in comparison form. Char-for-char, so positions in the folded
/// text are positions in the original too.
fn fold(c: char) -> char {
    match c {
        c if c.is_whitespace() => ' ',
        '–' | '—' | '−' | '‒' | '―' | '‐' | '‑' => '-',
        'ё' | 'Ё' => 'е',
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// The text with whitespace runs squashed, as original and folded chars.
#[derive(Clone)]
pub(super) struct Text {
    orig: Vec<char>,
    pub(super) fold: Vec<char>,
}

impl Text {
    pub(super) fn new(s: &str) -> Text {
        let mut orig = Vec::new();
        for c in s.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if c == ' ' && orig.last().is_none_or(|l| *l == ' ') {
                continue;
            }
            orig.push(c);
        }
        while orig.last() == Some(&' ') {
            orig.pop();
        }
        let fold = orig.iter().map(|c| fold(*c)).collect();
        Text { orig, fold }
    }

    pub(super) fn slice(&self, a: usize, b: usize) -> Text {
        let b = b.min(self.orig.len());
        let a = a.min(b);
        Text::new(&self.orig[a..b].iter().collect::<String>())
    }

    pub(super) fn is_empty(&self) -> bool {
        self.orig.is_empty()
    }

    pub(super) fn starts_with(&self, phrase: &str) -> bool {
        let p: Vec<char> = phrase.chars().collect();
        self.fold.len() >= p.len() && self.fold[..p.len()] == p[..]
    }

    /// `phrase` followed by the end or a non-letter.
    pub(super) fn starts_with_word(&self, phrase: &str) -> bool {
        let n = phrase.chars().count();
        self.starts_with(phrase) && self.fold.get(n).is_none_or(|c| !c.is_alphanumeric())
    }

    pub(super) fn rest(&self, from: usize) -> String {
        self.orig
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    }

    /// Trims list punctuation and quotes from both ends.
    pub(super) fn trimmed(&self) -> Text {
        let junk = |c: &char| matches!(c, ' ' | ',' | ';' | '"' | '«' | '»' | '“' | '”' | '„');
        let a = self
            .orig
            .iter()
            .position(|c| !junk(c))
            .unwrap_or(self.orig.len());
        let b = self
            .orig
            .iter()
            .rposition(|c| !junk(c))
            .map_or(a, |b| b + 1);
        self.slice(a, b)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Num(String),
    Date(NaiveDate),
    Word(String),
    Dash,
    Slash,
}

/// Latin letters that look Cyrillic, typed by mistake inside Russian words.
fn cyrillic_lookalike(c: char) -> char {
    match c {
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        'k' => 'к',
        'm' => 'м',
        't' => 'т',
        'h' => 'н',
        'b' => 'в',
        _ => c,
    }
}

pub(super) fn lex(s: &[char]) -> Result<Vec<Tok>, ParseError> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c.is_ascii_digit() {
            let start = i;
            while s.get(i).is_some_and(|c| c.is_ascii_digit())
                || (s.get(i) == Some(&'.') && s.get(i + 1).is_some_and(|c| c.is_ascii_digit()))
            {
                i += 1;
            }
            let text: String = s[start..i].iter().collect();
            if text.contains('.') {
                out.push(Tok::Date(dotted_date(&text)?));
            } else {
                out.push(Tok::Num(text));
            }
        } else if c.is_alphabetic() {
            let start = i;
            while s.get(i).is_some_and(|c| c.is_alphabetic()) {
                i += 1;
            }
            let w: String = s[start..i].iter().collect();
            let cyrillic = w.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
            out.push(Tok::Word(if cyrillic {
                w.chars().map(cyrillic_lookalike).collect()
            } else {
                w
            }));
        } else {
            match c {
                '-' => out.push(Tok::Dash),
                '/' => out.push(Tok::Slash),
                // Abbreviation dots («г.», «кв.») and stray quotes carry nothing.
                ' ' | '.' | '"' | '«' | '»' | '“' | '”' | '„' => {}
                _ => return Err(unparsed()),
            }
            i += 1;
        }
    }
    Ok(out)
}

/// The message for a well-formed year outside [`super::YEARS`], shared with
/// the plan's `date:` so both say the same thing of «9999».
pub fn out_of_range(year: &str) -> ParseError {
    err(format!(
        "год {year} вне допустимого диапазона {}–{}",
        super::YEARS.start(),
        super::YEARS.end()
    ))
}

/// «15.12.2024», also with a two-digit year «15.12.24».
fn dotted_date(text: &str) -> Result<NaiveDate, ParseError> {
    let bad = || err(format!("нет такой даты: {text}"));
    let parts: Vec<&str> = text.split('.').collect();
    let [d, m, y] = parts[..] else {
        return Err(bad());
    };
    if d.len() > 2 || m.len() > 2 {
        return Err(bad());
    }
    let y = match y.len() {
        2 => y.parse::<i32>().ok().map(|y| 2000 + y),
        4 if y.bytes().all(|b| b.is_ascii_digit()) => match year_of(y) {
            Some(y) => Some(y),
            None => return Err(out_of_range(y)),
        },
        _ => None,
    }
    .ok_or_else(bad)?;
    let (d, m) = (
        d.parse::<u32>().map_err(|_| bad())?,
        m.parse::<u32>().map_err(|_| bad())?,
    );
    ymd(y, m, d).ok_or_else(bad)
}
