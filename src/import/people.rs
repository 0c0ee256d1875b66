//! Names and bodies of the original matched against the registry: an
//! issuer by its letterhead or name, people by initials and surname (in any
//! case: «Н.В. Шелабину» is Шелабина), and new ids made from Russian words.

use crate::plan::{Organisation, Person};

use super::Known;

/// Letters and digits only, upper case: «Министерство  образования» and
/// «МИНИСТЕРСТВО ОБРАЗОВАНИЯ» are the same body.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .map(|c| if c == 'Ё' { 'Е' } else { c })
        .collect()
}

/// The issuer whose letterhead (or name, or parent and name) reads as these
/// lines.
pub fn issuer<'a>(known: &Known<'a>, lines: &[String]) -> Option<&'a Organisation> {
    let want = norm(&lines.join(" "));
    if want.is_empty() {
        return None;
    }
    let by_id = |id: &str| known.orgs.iter().find(|o| o.id.get() == id).copied();
    let forms = |o: &Organisation| {
        let mut v = vec![
            norm(
                &o.letterhead
                    .iter()
                    .map(|l| l.get().as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            norm(o.name.get()),
        ];
        if let Some(p) = o.parent.as_ref().and_then(|p| by_id(p.get())) {
            let parent_head = if p.letterhead.is_empty() {
                norm(p.name.get())
            } else {
                norm(
                    &p.letterhead
                        .iter()
                        .map(|l| l.get().as_str())
                        .collect::<String>(),
                )
            };
            v.push(format!("{parent_head}{}", v[0]));
            v.push(format!("{parent_head}{}", norm(o.name.get())));
        }
        v
    };
    known
        .orgs
        .iter()
        .find(|o| forms(o).iter().any(|f| !f.is_empty() && *f == want))
        .or_else(|| {
            // The letterhead may carry a parent line the registry leaves out.
            known.orgs.iter().find(|o| {
                let f = forms(o);
                !f[0].is_empty() && want.ends_with(&f[0]) && f[0].len() * 2 > want.len()
            })
        })
        .copied()
}

/// The body whose genitive this text is (an act's issuer, a stamp).
pub fn org_by_genitive<'a>(known: &Known<'a>, genitive: &str) -> Option<&'a Organisation> {
    known
        .orgs
        .iter()
        .find(|o| {
            o.cases
                .genitive
                .as_ref()
                .is_some_and(|g| g.get() == genitive)
        })
        .copied()
}

pub fn initials(p: &Person) -> String {
    if let Some(i) = &p.initials {
        return i.get().replace(' ', "");
    }
    let first = |s: &Option<crate::plan::Text>| {
        s.as_ref()
            .and_then(|t| t.get().chars().next())
            .map(|c| format!("{c}."))
            .unwrap_or_default()
    };
    format!("{}{}", first(&p.name), first(&p.patronymic))
}

/// «Д.С. Хнычева», «Хнычева Д.С.», «Н.В. Шелабину» (any case of the
/// surname): initials and surname, split.
pub fn split_short(s: &str) -> Option<(String, String)> {
    let s = s.trim().trim_end_matches([',', ';']).trim();
    // A sentence's full stop after a surname, not the one of initials.
    let s = match s.strip_suffix('.') {
        Some(r) if r.chars().next_back().is_some_and(char::is_lowercase) => r,
        _ => s,
    };
    let compact: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let is_initials = |w: &str| {
        let w = w.replace(' ', "");
        let parts: Vec<&str> = w.split_terminator('.').collect();
        !parts.is_empty()
            && parts.len() <= 2
            && w.ends_with('.')
            && parts
                .iter()
                .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
    };
    let words: Vec<&str> = compact.split(' ').collect();
    let surname_ok = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 2
            && w.chars().all(|c| c.is_alphabetic() || c == '-')
    };
    // «Д.С.Хнычева» written without a space.
    if words.len() == 1
        && let Some(dot) = compact.rfind('.')
    {
        let (a, b) = compact.split_at(dot + 1);
        if is_initials(a) && surname_ok(b) {
            return Some((a.to_string(), b.to_string()));
        }
    }
    match words.as_slice() {
        [a, b] if is_initials(a) && surname_ok(b) => Some((a.to_string(), b.to_string())),
        [a, b, c] if is_initials(&format!("{a}{b}")) && surname_ok(c) => {
            Some((format!("{a}{b}"), c.to_string()))
        }
        [a, b] if surname_ok(a) && is_initials(b) => Some((b.to_string(), a.to_string())),
        _ => None,
    }
}

/// A surname in another case is the registry's one: same stem, an ending of
/// at most three letters apart.
fn same_surname(registry: &str, typed: &str) -> bool {
    if registry == typed {
        return true;
    }
    let r: Vec<char> = registry.chars().collect();
    let t: Vec<char> = typed.chars().collect();
    let common = r.iter().zip(&t).take_while(|(a, b)| a == b).count();
    common + 2 >= r.len() && common + 3 >= t.len() && common >= 3
}

pub fn person_by_short<'a>(known: &Known<'a>, s: &str) -> Option<&'a Person> {
    let (ini, surname) = split_short(s)?;
    let exact = known
        .people
        .iter()
        .find(|p| initials(p) == ini && p.surname.get() == &surname);
    exact
        .or_else(|| {
            known
                .people
                .iter()
                .find(|p| initials(p) == ini && same_surname(p.surname.get(), &surname))
        })
        .copied()
}

/// «Мирошниченко Татьяна Павловна»: surname, name and patronymic.
pub fn person_by_full<'a>(known: &Known<'a>, s: &str) -> Option<&'a Person> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let [surname, name, rest @ ..] = words.as_slice() else {
        return None;
    };
    known
        .people
        .iter()
        .find(|p| {
            p.surname.get() == surname
                && p.name.as_ref().is_some_and(|n| n.get() == name)
                && rest
                    .first()
                    .is_none_or(|pat| p.patronymic.as_ref().is_none_or(|x| x.get() == pat))
        })
        .copied()
}

/// Latin letters for an id: «Хнычева» → «khnycheva».
pub fn translit(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let t = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(t);
    }
    let mut id = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(part);
    }
    id
}

/// An id not yet taken: `base`, then `base-2`, `base-3` …
pub fn fresh(taken: &mut Vec<String>, base: &str) -> String {
    let base = if base.is_empty() { "item" } else { base };
    let mut id = base.to_string();
    let mut n = 2;
    while taken.iter().any(|t| t == &id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_split_in_both_orders_and_without_spaces() {
        assert_eq!(
            split_short("Д.С. Хнычева"),
            Some(("Д.С.".into(), "Хнычева".into()))
        );
        assert_eq!(
            split_short("Д.С.Хнычева"),
            Some(("Д.С.".into(), "Хнычева".into()))
        );
        assert_eq!(
            split_short("Хнычева Д.С."),
            Some(("Д.С.".into(), "Хнычева".into()))
        );
        assert_eq!(split_short("И.о. министра"), None);
    }

    #[test]
    fn surnames_in_another_case_match() {
        assert!(same_surname("Шелабина", "Шелабину"));
        assert!(same_surname("Белых", "Белых"));
        assert!(same_surname("Иванов", "Иванова"));
        assert!(!same_surname("Иванов", "Петрова"));
    }

    #[test]
    fn ids_are_latin() {
        assert_eq!(translit("Хнычева"), "khnycheva");
        assert_eq!(translit("Приказ № 978-ОД"), "prikaz-978-od");
    }
}
