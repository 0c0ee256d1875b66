//! Typography of print text, applied once in `resolve` so both backends print
//! identical characters: «» quotes (with „“ inside), dashes with a no-break
//! space before them, no-break spaces after short prepositions and conjunctions,
//! inside `№ 2`, `п. 2`, `2024 г.`, and between initials and a surname.

use std::sync::OnceLock;

use regex::Regex;

pub const NBSP: char = '\u{a0}';

/// Lettered items skip ё, з, й, о, ч, ъ, ы, ь (common practice, see gost.md).
const ITEM_LETTERS: &[char] = &[
    'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'и', 'к', 'л', 'м', 'н', 'п', 'р', 'с', 'т', 'у', 'ф', 'х',
    'ц', 'ш', 'щ', 'э', 'ю', 'я',
];

/// The letter of the `i`-th lettered item (from 0); past «я», its number.
pub fn item_letter(i: usize) -> String {
    ITEM_LETTERS
        .get(i)
        .map(|c| c.to_string())
        .unwrap_or_else(|| (i + 1).to_string())
}

/// Which dash separates clauses of a sentence (profile setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    En,
    Em,
}

impl Dash {
    pub fn char(self) -> char {
        match self {
            Dash::En => '–',
            Dash::Em => '—',
        }
    }
}

/// `text` with every match of `re` replaced, copied only when one matched.
fn apply(text: &str, re: &Regex, with: &str) -> String {
    match re.replace_all(text, with) {
        std::borrow::Cow::Borrowed(_) => text.to_string(),
        std::borrow::Cow::Owned(s) => s,
    }
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

/// What reads as a line break in plan text: a line feed, a carriage return,
/// and U+000B, Word's own line break (Shift+Enter), which arrives by copy and
/// paste. Both backends see the line feed it is mapped to.
pub const LINE_BREAKS: [char; 3] = ['\n', '\r', '\u{b}'];

/// `s` with Word's line break (U+000B) as a line feed.
pub fn line_breaks(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\u{b}') {
        std::borrow::Cow::Owned(s.replace('\u{b}', "\n"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Collapse runs of whitespace (but keep no-break spaces) and trim.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.trim().chars() {
        if ch == ' ' || ch == '\t' || LINE_BREAKS.contains(&ch) {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

/// Straight and English quotes to «ёлочки», with „лапки“ for quotes nested inside.
pub fn quotes(s: &str) -> String {
    if !s.contains(['"', '“', '”', '«', '»']) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut depth = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '«' => {
                out.push(if depth == 0 { '«' } else { '„' });
                depth += 1;
            }
            '»' => {
                depth = depth.saturating_sub(1);
                out.push(if depth == 0 { '»' } else { '“' });
            }
            '"' | '“' | '”' => {
                let prev = if i == 0 { None } else { Some(chars[i - 1]) };
                let opens = match prev {
                    None => true,
                    Some(p) => p.is_whitespace() || "([{„«-–—/".contains(p),
                };
                if opens {
                    out.push(if depth == 0 { '«' } else { '„' });
                    depth += 1;
                } else {
                    depth = depth.saturating_sub(1);
                    out.push(if depth == 0 { '»' } else { '“' });
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Short words that must not end a line: they are glued to the next word.
const SHORT: &[&str] = &[
    "в",
    "во",
    "к",
    "ко",
    "с",
    "со",
    "у",
    "о",
    "об",
    "и",
    "а",
    "но",
    "на",
    "по",
    "до",
    "от",
    "за",
    "из",
    "не",
    "ни",
    "же",
    "для",
    "при",
    "без",
    "под",
    "над",
    "через",
];

pub fn typeset(s: &str, dash: Dash) -> String {
    static SPACED_DASH: OnceLock<Regex> = OnceLock::new();
    static YEAR_RANGE: OnceLock<Regex> = OnceLock::new();
    static NUMBER_SIGN: OnceLock<Regex> = OnceLock::new();
    static ABBR_NUM: OnceLock<Regex> = OnceLock::new();
    static YEAR_G: OnceLock<Regex> = OnceLock::new();
    static INITIALS: OnceLock<Regex> = OnceLock::new();
    static SURNAME_INITIALS: OnceLock<Regex> = OnceLock::new();
    static DAY_MONTH: OnceLock<Regex> = OnceLock::new();
    static ORDINAL_UNIT: OnceLock<Regex> = OnceLock::new();
    static PLACE: OnceLock<Regex> = OnceLock::new();
    let mut t = quotes(&squash(s));
    // A hyphen or dash between spaces is a dash; the space before it must not break.
    let d = dash.char();
    t = re(&SPACED_DASH, r"[ \u{a0}]+[-–—]+ ")
        .replace_all(&t, format!("{NBSP}{d} ").as_str())
        .into_owned();
    // 2024-2025 → 2024–2025 (a range takes an en dash, never a hyphen).
    // Each rule runs only on texts holding what it looks for: Unicode `\b`
    // sends the regex engine to its backtracker on Cyrillic, and most cells
    // of a table have no digit, no «№» and no abbreviation.
    let digit = t.bytes().any(|b| b.is_ascii_digit());
    let dot_space = t.contains(". ");
    // 2024-2025 → 2024–2025 (a range takes an en dash, never a hyphen).
    if digit && (t.contains('-') || t.contains('—')) {
        t = apply(
            &t,
            re(&YEAR_RANGE, r"\b((?:19|20)\d\d)[-—]((?:19|20)\d\d)\b"),
            "$1–$2",
        );
    }
    if digit && t.contains('№') {
        t = apply(&t, re(&NUMBER_SIGN, r"№ *(\d)"), &format!("№{NBSP}$1"));
    }
    if digit && dot_space {
        t = apply(
            &t,
            re(&ABBR_NUM, r"\b(п|пп|ст|ч|гл|разд|рис|табл|с|стр)\. (\d)"),
            &format!("$1.{NBSP}$2"),
        );
    }
    if digit && (t.contains(" г") || t.contains(" год")) {
        t = apply(
            &t,
            re(&YEAR_G, r"(\d) (г\.|гг\.|год|года|году)"),
            &format!("$1{NBSP}$2"),
        );
    }
    // Initials: a capital letter and a dot.
    let initial = t.as_bytes().windows(3).any(|w| {
        w[2] == b'.' && (w[0] == 0xD0 && (0x90..=0xAF).contains(&w[1]) || w[0..2] == [0xD0, 0x81])
    });
    if initial {
        t = apply(
            &t,
            re(&INITIALS, r"\b([А-ЯЁ]\.) ?([А-ЯЁ]\.) ([А-ЯЁ][а-яё]+)"),
            &format!("$1$2{NBSP}$3"),
        );
        t = apply(
            &t,
            re(&SURNAME_INITIALS, r"([А-ЯЁ][а-яё]+) ([А-ЯЁ]\.) ?([А-ЯЁ]\.)"),
            &format!("$1{NBSP}$2$3"),
        );
    }
    // «1 сентября», «IV квартал», «г. Смоленск» never part at the space.
    if digit && super::morph::MONTHS_GEN.iter().any(|m| t.contains(m)) {
        t = apply(
            &t,
            re(
                &DAY_MONTH,
                r"\b(\d{1,2}) (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\b",
            ),
            &format!("$1{NBSP}$2"),
        );
    }
    if [
        "квартал",
        "полугоди",
        "четверт",
        "триместр",
        "этап",
        "класс",
        "курс",
    ]
    .iter()
    .any(|w| t.contains(w))
    {
        t = apply(
            &t,
            re(
                &ORDINAL_UNIT,
                r"\b([IVX]{1,4}|\d) (квартал|полугоди|четверт|триместр|этап|класс|курс)",
            ),
            &format!("$1{NBSP}$2"),
        );
    }
    if dot_space {
        t = apply(
            &t,
            re(&PLACE, r"\b(г|с|д|п|пос|пгт|х|ст|р\.п)\. ([А-ЯЁ])"),
            &format!("$1.{NBSP}$2"),
        );
    }
    bound_runs(glue_short_words(&t))
}

/// The longest run of characters a line may not break in. Longer runs (no
/// real word is) get an invisible break opportunity, U+200B: the PDF writer
/// panics on a run over 64 KiB, and no page is that wide anyway.
pub const MAX_UNBREAKABLE: usize = 256;

fn bound_runs(s: String) -> String {
    // Fast path: a text this short cannot hold a run that long.
    if s.len() <= MAX_UNBREAKABLE {
        return s;
    }
    let mut out = String::with_capacity(s.len() + s.len() / MAX_UNBREAKABLE * 3);
    let mut run = 0usize;
    for c in s.chars() {
        if matches!(c, ' ' | '\n' | '\u{200b}' | '-' | '–' | '—' | '/') {
            run = 0;
        } else {
            run += 1;
            if run > MAX_UNBREAKABLE {
                out.push('\u{200b}');
                run = 1;
            }
        }
        out.push(c);
    }
    out
}

fn glue_short_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word_start = 0usize;
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    for (idx, &(i, c)) in bytes.iter().enumerate() {
        if c == ' ' {
            let word = &s[word_start..i];
            let bare = word.trim_start_matches(['(', '«', '„', '"']);
            let lower = bare.to_lowercase();
            let has_next = bytes.get(idx + 1).is_some();
            if has_next && SHORT.contains(&lower.as_str()) {
                out.push(NBSP);
            } else {
                out.push(' ');
            }
            word_start = i + 1;
        } else {
            if c == NBSP {
                word_start = i + c.len_utf8();
            }
            out.push(c);
        }
    }
    out
}

/// Upper-case the first letter.
pub fn capitalize(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(f) => f.to_uppercase().chain(it).collect(),
        None => String::new(),
    }
}

pub fn lowercase_first(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(f) => f.to_lowercase().chain(it).collect(),
        None => String::new(),
    }
}

/// Longest file stem in bytes: file systems allow 255 bytes a name, and the
/// extension (`.docx`) and a numeric suffix for twins must still fit.
pub const MAX_STEM_BYTES: usize = 200;

/// A string made safe as a file name on every file system (Windows included):
/// no separators or characters Windows refuses, no control or bidirectional
/// formatting characters (U+202E would show «fdp.exe» as «exe.pdf»), no
/// leading dot (a hidden file, or `..`), no device name of Windows, and at
/// most [`MAX_STEM_BYTES`] bytes, cut between characters.
pub fn file_stem(s: &str) -> String {
    let invisible = |c: char| matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{61c}' | '\u{feff}');
    let mut out: String = s
        .chars()
        .filter(|c| !invisible(*c))
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c if c.is_whitespace() => '_',
            c => c,
        })
        .collect();
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    if out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    let device = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.insert(0, '_');
    }
    if out.is_empty() {
        out.push_str("документ");
    }
    if out.len() > MAX_STEM_BYTES {
        let mut cut = MAX_STEM_BYTES;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_no_line_can_break_get_a_break_opportunity() {
        let word = "а".repeat(40_000);
        let t = typeset(&word, Dash::En);
        assert_eq!(
            t.replace('\u{200b}', ""),
            word,
            "only invisible breaks are added"
        );
        assert!(
            t.split('\u{200b}')
                .all(|r| r.chars().count() <= MAX_UNBREAKABLE)
        );
        // Short words glued with no-break spaces make one long run too.
        let glued = typeset(&"а ".repeat(30_000), Dash::En);
        let longest = glued
            .split([' ', '\u{200b}'])
            .map(|r| r.chars().count())
            .max()
            .unwrap_or(0);
        assert!(longest <= MAX_UNBREAKABLE, "{longest}");
        // Ordinary text is left alone.
        let plain = "Провести совещание с руководителями.".repeat(20);
        assert!(!typeset(&plain, Dash::En).contains('\u{200b}'));
    }

    #[test]
    fn straight_quotes_become_guillemets_with_nested_lapki() {
        assert_eq!(
            quotes(r#"приказ "Об утверждении "Концепции"""#),
            "приказ «Об утверждении „Концепции“»"
        );
        assert_eq!(quotes("«дорожная карта»"), "«дорожная карта»");
        assert_eq!(quotes("«план «дорожная карта»»"), "«план „дорожная карта“»");
    }

    #[test]
    fn spaced_hyphen_becomes_dash_glued_to_previous_word() {
        assert_eq!(
            typeset("ГАУ ДПО СОИРО - институт", Dash::En),
            "ГАУ ДПО СОИРО\u{a0}– институт"
        );
        assert_eq!(
            typeset("организационно-управленческое", Dash::En),
            "организационно-управленческое"
        );
        assert_eq!(typeset("а — б", Dash::Em), "а\u{a0}— б");
    }

    #[test]
    fn year_ranges_take_an_en_dash() {
        assert_eq!(
            typeset("в 2024-2025 учебном году", Dash::En),
            "в\u{a0}2024–2025 учебном году"
        );
    }

    #[test]
    fn short_words_and_numbers_are_glued() {
        let t = typeset("в срок до 10.11.2024 г. по п. 2 и № 5", Dash::En);
        assert_eq!(
            t,
            "в\u{a0}срок до\u{a0}10.11.2024\u{a0}г. по\u{a0}п.\u{a0}2 и\u{a0}№\u{a0}5"
        );
    }

    #[test]
    fn a_day_and_its_month_a_numeral_and_its_unit_a_place_and_its_name_are_glued() {
        assert_eq!(
            typeset(
                "до 1 сентября, IV квартал, 2 полугодие, г. Обнинск, с. Султан",
                Dash::En
            ),
            "до\u{a0}1\u{a0}сентября, IV\u{a0}квартал, 2\u{a0}полугодие, г.\u{a0}Обнинск, с.\u{a0}Султан"
        );
        // A number of things is not glued to what follows.
        assert_eq!(typeset("12 школ", Dash::En), "12 школ");
    }

    #[test]
    fn initials_are_glued_to_surname() {
        assert_eq!(typeset("В.А. Фоминых", Dash::En), "В.А.\u{a0}Фоминых");
        assert_eq!(typeset("Кольцова О. С.", Dash::En), "Кольцова\u{a0}О.С.");
    }

    #[test]
    fn file_stems_are_portable() {
        assert_eq!(file_stem("2024-10-31_978/ОД"), "2024-10-31_978_ОД");
        assert_eq!(file_stem("a: b?."), "a__b_");
        assert_eq!(file_stem(""), "документ");
    }

    #[test]
    fn file_stems_are_bounded_in_bytes_and_hide_nothing() {
        let emoji = format!("2024-10-31_979-{}", "😀".repeat(100));
        let stem = file_stem(&emoji);
        assert!(stem.len() <= MAX_STEM_BYTES, "{}", stem.len());
        assert!(stem.starts_with("2024-10-31_979-😀"));
        assert_eq!(file_stem("отчёт\u{202e}fdp.exe"), "отчётfdp.exe");
        assert_eq!(file_stem("..plan"), "_.plan");
        assert_eq!(file_stem(".hidden"), "_hidden");
        assert_eq!(file_stem("con"), "_con");
        assert_eq!(file_stem("COM1.x"), "_COM1.x");
        assert_eq!(file_stem("console"), "console");
    }
}
