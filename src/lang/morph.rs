//! The little Russian morphology orders need: surnames in a case by stated
//! gender (regular patterns only; anything else must be given in the registry),
//! the grif word agreed with its noun, month names, dates in words.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    Nom,
    Gen,
    Dat,
    Acc,
    Ins,
    Pre,
}

impl Case {
    pub const NAMES: &'static [&'static str] = &["nom", "gen", "dat", "acc", "ins", "pre"];

    pub fn parse(s: &str) -> Option<Case> {
        Some(match s {
            "nom" => Case::Nom,
            "gen" => Case::Gen,
            "dat" => Case::Dat,
            "acc" => Case::Acc,
            "ins" => Case::Ins,
            "pre" => Case::Pre,
            _ => return None,
        })
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            Case::Nom => "именительный",
            Case::Gen => "родительный",
            Case::Dat => "дательный",
            Case::Acc => "винительный",
            Case::Ins => "творительный",
            Case::Pre => "предложный",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    M,
    F,
}

/// A surname in a case, for the regular patterns of Russian surnames.
/// `None` when the pattern is not known: the registry must give the form.
pub fn surname(nom: &str, gender: Gender, case: Case) -> Option<String> {
    if case == Case::Nom {
        return Some(nom.to_string());
    }
    let lower = nom.to_lowercase();
    // Indeclinable: -их/-ых, -ко, -аго, -ово, and vowels other than -а/-я.
    let indeclinable = ["их", "ых", "ко", "енко", "аго", "яго", "ово", "ево"];
    if indeclinable.iter().any(|e| lower.ends_with(e))
        || lower.ends_with(['о', 'е', 'и', 'у', 'ю', 'э'])
    {
        return Some(nom.to_string());
    }
    let stem = |n: usize| -> String {
        let chars: Vec<char> = nom.chars().collect();
        chars[..chars.len().saturating_sub(n)].iter().collect()
    };
    match gender {
        Gender::M => {
            if ["ов", "ев", "ёв", "ин", "ын"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                let s = nom.to_string();
                return Some(match case {
                    Case::Gen | Case::Acc => s + "а",
                    Case::Dat => s + "у",
                    Case::Ins => s + "ым",
                    Case::Pre => s + "е",
                    Case::Nom => s,
                });
            }
            if ["ский", "цкий"].iter().any(|e| lower.ends_with(e)) {
                let s = stem(2);
                return Some(match case {
                    Case::Gen | Case::Acc => s + "ого",
                    Case::Dat => s + "ому",
                    Case::Ins => s + "им",
                    Case::Pre => s + "ом",
                    Case::Nom => nom.to_string(),
                });
            }
            let last = lower.chars().last()?;
            if "бвгдзклмнпрстфхцчшщж".contains(last) {
                let s = nom.to_string();
                let soft = "жшчщц".contains(last);
                return Some(match case {
                    Case::Gen | Case::Acc => s + "а",
                    Case::Dat => s + "у",
                    Case::Ins => s + if soft { "ем" } else { "ом" },
                    Case::Pre => s + "е",
                    Case::Nom => s,
                });
            }
            None
        }
        Gender::F => {
            if ["ова", "ева", "ёва", "ина", "ына"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                let s = stem(1);
                return Some(match case {
                    Case::Acc => s + "у",
                    Case::Gen | Case::Dat | Case::Ins | Case::Pre => s + "ой",
                    Case::Nom => nom.to_string(),
                });
            }
            if ["ская", "цкая"].iter().any(|e| lower.ends_with(e)) {
                let s = stem(2);
                return Some(match case {
                    Case::Acc => s + "ую",
                    _ => s + "ой",
                });
            }
            let last = lower.chars().last()?;
            // Female surnames ending in a consonant or ь do not decline.
            if "бвгдзклмнпрстфхцчшщжь".contains(last) {
                return Some(nom.to_string());
            }
            None
        }
    }
}

/// Grammatical class of a noun, for agreeing `УТВЕРЖДЕН/А/О/Ы` with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NounClass {
    Masculine,
    Feminine,
    Neuter,
    Plural,
}

/// The head noun of a phrase such as «дорожная карта» or «план мероприятий»:
/// the first word that does not look like an adjective.
pub fn head_noun(phrase: &str) -> String {
    let words: Vec<String> = phrase
        .split(|c: char| !c.is_alphabetic() && c != '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    let adjective = ["ая", "яя", "ое", "ее", "ый", "ий", "ой", "ые", "ие"];
    words
        .iter()
        .find(|w| !adjective.iter().any(|e| w.ends_with(e)) || w.chars().count() <= 3)
        .or(words.first())
        .cloned()
        .unwrap_or_default()
}

pub fn noun_class(noun: &str) -> NounClass {
    let w = head_noun(noun);
    // Masculine nouns in -ь that orders use; everything else in -ь is feminine.
    let masculine_soft = ["перечень", "календарь", "словарь", "путь", "рубль"];
    if masculine_soft.contains(&w.as_str()) {
        return NounClass::Masculine;
    }
    let plural_words = [
        "правила",
        "рекомендации",
        "списки",
        "изменения",
        "требования",
        "мероприятия",
        "показатели",
        "критерии",
        "нормы",
        "нормативы",
    ];
    if plural_words.contains(&w.as_str()) || w.ends_with(['ы', 'и']) {
        return NounClass::Plural;
    }
    if w.ends_with(['а', 'я', 'ь']) {
        return NounClass::Feminine;
    }
    if w.ends_with(['о', 'е', 'ё']) {
        return NounClass::Neuter;
    }
    NounClass::Masculine
}

/// `УТВЕРЖДЕН` agreed with the appendix's noun.
pub fn approved(noun: &str) -> &'static str {
    match noun_class(noun) {
        NounClass::Masculine => "УТВЕРЖДЕН",
        NounClass::Feminine => "УТВЕРЖДЕНА",
        NounClass::Neuter => "УТВЕРЖДЕНО",
        NounClass::Plural => "УТВЕРЖДЕНЫ",
    }
}

pub const MONTHS_GEN: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

pub fn date_numeric(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// `31 октября 2024 г.` with no-break spaces, as ГОСТ allows for the date requisite.
pub fn date_words(d: NaiveDate) -> String {
    let m = MONTHS_GEN[d.month0() as usize];
    format!("{}\u{a0}{}\u{a0}{}\u{a0}г.", d.day(), m, d.year())
}

/// A word in a case from a table of the forms Russian documents use for
/// «приложение» and kinds of acts; `None` when the word is not known.
pub fn common_noun(word: &str, case: Case) -> Option<String> {
    let forms: &[&str; 6] = match word.to_lowercase().as_str() {
        "приложение" => &[
            "приложение",
            "приложения",
            "приложению",
            "приложение",
            "приложением",
            "приложении",
        ],
        "приказ" => &[
            "приказ",
            "приказа",
            "приказу",
            "приказ",
            "приказом",
            "приказе",
        ],
        "постановление" => &[
            "постановление",
            "постановления",
            "постановлению",
            "постановление",
            "постановлением",
            "постановлении",
        ],
        "распоряжение" => &[
            "распоряжение",
            "распоряжения",
            "распоряжению",
            "распоряжение",
            "распоряжением",
            "распоряжении",
        ],
        "решение" => &[
            "решение",
            "решения",
            "решению",
            "решение",
            "решением",
            "решении",
        ],
        "письмо" => &["письмо", "письма", "письму", "письмо", "письмом", "письме"],
        "закон" => &["закон", "закона", "закону", "закон", "законом", "законе"],
        "указ" => &["указ", "указа", "указу", "указ", "указом", "указе"],
        "федеральный закон" => &[
            "Федеральный закон",
            "Федерального закона",
            "Федеральному закону",
            "Федеральный закон",
            "Федеральным законом",
            "Федеральном законе",
        ],
        "пункт" => &["пункт", "пункта", "пункту", "пункт", "пунктом", "пункте"],
        _ => return None,
    };
    let i = match case {
        Case::Nom => 0,
        Case::Gen => 1,
        Case::Dat => 2,
        Case::Acc => 3,
        Case::Ins => 4,
        Case::Pre => 5,
    };
    let form = forms[i];
    Some(if word.starts_with(char::is_uppercase) {
        crate::lang::typo::capitalize(form)
    } else {
        form.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_surnames_decline_by_stated_gender() {
        assert_eq!(
            surname("Шелабина", Gender::F, Case::Acc).as_deref(),
            Some("Шелабину")
        );
        assert_eq!(
            surname("Шелабина", Gender::F, Case::Dat).as_deref(),
            Some("Шелабиной")
        );
        assert_eq!(
            surname("Иванов", Gender::M, Case::Dat).as_deref(),
            Some("Иванову")
        );
        assert_eq!(
            surname("Иванов", Gender::M, Case::Ins).as_deref(),
            Some("Ивановым")
        );
        assert_eq!(
            surname("Фоминых", Gender::M, Case::Acc).as_deref(),
            Some("Фоминых")
        );
        assert_eq!(
            surname("Хнычева", Gender::F, Case::Gen).as_deref(),
            Some("Хнычевой")
        );
        assert_eq!(
            surname("Шмидт", Gender::F, Case::Dat).as_deref(),
            Some("Шмидт")
        );
        assert_eq!(
            surname("Шмидт", Gender::M, Case::Dat).as_deref(),
            Some("Шмидту")
        );
        assert_eq!(
            surname("Вишневская", Gender::F, Case::Acc).as_deref(),
            Some("Вишневскую")
        );
        assert_eq!(
            surname("Кольцова", Gender::F, Case::Nom).as_deref(),
            Some("Кольцова")
        );
    }

    #[test]
    fn irregular_surnames_are_not_guessed() {
        assert_eq!(surname("Толстая", Gender::F, Case::Gen), None);
        assert_eq!(surname("Гора", Gender::M, Case::Gen), None);
    }

    #[test]
    fn grif_agrees_with_the_head_noun() {
        assert_eq!(approved("план"), "УТВЕРЖДЕН");
        assert_eq!(approved("план мероприятий"), "УТВЕРЖДЕН");
        assert_eq!(approved("дорожная карта"), "УТВЕРЖДЕНА");
        assert_eq!(approved("положение"), "УТВЕРЖДЕНО");
        assert_eq!(approved("списки"), "УТВЕРЖДЕНЫ");
        assert_eq!(approved("методические рекомендации"), "УТВЕРЖДЕНЫ");
        assert_eq!(approved("перечень"), "УТВЕРЖДЕН");
        assert_eq!(approved("программа"), "УТВЕРЖДЕНА");
        assert_eq!(approved("мероприятия"), "УТВЕРЖДЕНЫ");
    }

    #[test]
    fn dates_print_in_words_and_digits() {
        let d = NaiveDate::from_ymd_opt(2024, 10, 31).unwrap();
        assert_eq!(date_words(d), "31\u{a0}октября\u{a0}2024\u{a0}г.");
        assert_eq!(date_numeric(d), "31.10.2024");
    }
}
